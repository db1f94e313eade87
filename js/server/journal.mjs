// The state file (--state FILE): a journal of JSON records, one per line, each ending in a CRC-32 of the
// record (`{...,"crc":"1a2b3c4d"}`, so every line is still plain JSON). A record is acknowledged only after
// its whole line, newline included, is written and fsync'ed; so on load only a last line WITHOUT its
// newline is a torn write (ignored). Any other damage (a bad checksum, invalid JSON or UTF-8, a record of
// the wrong shape) refuses to start, naming the file and line, and leaves the file as it was. Compaction
// writes a new file next to it (mode 0600), fsyncs it and renames it over the old one atomically.
import * as nodeFs from 'node:fs';
import { crc32 } from 'node:zlib';
import { dirname, basename, join } from 'node:path';

/** A state file that cannot be used: the message names the file (and the line, for damage). */
export class JournalError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'JournalError';
    this.code = code;
  }
}

const BOM = [0xef, 0xbb, 0xbf];
const CRC_TAIL = /,"crc":"([0-9a-f]{8})"\}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const CLOSE = Buffer.from('}');
const hex8 = (n) => (n >>> 0).toString(16).padStart(8, '0');

/** One journal line for a record (an object with at least one member). */
export function frame(record) {
  const text = JSON.stringify(record);
  return `${text.slice(0, -1)},"crc":"${hex8(crc32(text))}"}\n`;
}

function kind(st) {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function reason(e) {
  const why = {
    EACCES: 'permission denied', EPERM: 'operation not permitted', ENOENT: 'its folder does not exist',
    ENOTDIR: 'a part of the path is not a folder', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded', EISDIR: 'it is a directory', EIO: 'input/output error',
  }[e?.code];
  return why ? `${why} (${e.code})` : String(e?.message ?? e);
}

/**
 * Reads and checks a journal without changing it. `check(record)` returns an error message for a record of
 * the wrong shape. Returns { records, tornBytes, lines, exists, clean (every line checksummed, no BOM,
 * blank or torn line) }; throws JournalError for damage.
 */
export function readJournal(file, check, fs = nodeFs) {
  let st;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if (e.code === 'ENOENT') return { records: [], tornBytes: 0, exists: false };
    throw new JournalError(`state file ${file}: cannot read it: ${reason(e)}`, e.code);
  }
  if (!st.isFile()) {
    throw new JournalError(`state file ${file} is ${kind(st)}; --state needs the path of a regular file (created if missing)`, 'ENOTFILE');
  }
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new JournalError(`state file ${file}: cannot read it: ${reason(e)}`, e.code);
  }
  let start = buf.length >= 3 && BOM.every((b, i) => buf[i] === b) ? 3 : 0;
  const records = [];
  let lineNo = 0;
  let checked = 0;
  let firstLegacy = 0;
  const damaged = (what) => new JournalError(`state file ${file}: line ${lineNo} ${what}; refusing to start with a ` +
    'damaged journal (the file was not changed; repair or move it)', 'EDAMAGED');
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    if (nl < 0) break; // no newline: a torn write, never acknowledged
    lineNo += 1;
    let text;
    try {
      text = utf8.decode(buf.subarray(start, nl));
    } catch {
      throw damaged('is not valid UTF-8');
    }
    const lineStart = start;
    start = nl + 1;
    if (text.trim() === '') continue;
    const tail = CRC_TAIL.exec(text);
    let body = text;
    if (tail) {
      body = `${text.slice(0, tail.index)}}`;
      // The checksum of the bytes before the (ASCII) tail, then '}': no re-encoding of the text.
      const bodyEnd = nl - (text.length - tail.index);
      if (hex8(crc32(CLOSE, crc32(buf.subarray(lineStart, bodyEnd)))) !== tail[1]) {
        throw damaged('fails its checksum (the record was changed or damaged)');
      }
      checked += 1;
    } else {
      firstLegacy ||= lineNo;
    }
    let record;
    try {
      record = JSON.parse(body);
    } catch (e) {
      throw damaged(`is not valid JSON (${e.message})`);
    }
    const problem = check(record);
    if (problem) throw damaged(problem);
    records.push(record);
  }
  // Files written before checksums (no line has one) are read as they are; a line without a checksum among
  // lines with one has been damaged.
  if (checked > 0 && firstLegacy) {
    lineNo = firstLegacy;
    throw damaged('has no checksum while other lines have one');
  }
  // Already compact when nothing would change on rewrite (no BOM, legacy line, blank line or torn tail).
  const clean = start === buf.length && checked === records.length && !(buf[0] === BOM[0] && buf[1] === BOM[1]) &&
    lineNo === records.length;
  return { records, tornBytes: buf.length - start, lines: lineNo, exists: true, clean };
}

/** Folder fsync, so a rename survives a crash (not every file system allows it; then nothing to do). */
function syncDir(dir, fs) {
  let fd;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch { /* EISDIR/EINVAL on some systems */ } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** An open journal for appends. `fs` may be replaced (fault-injection tests): openSync, writeSync, fsyncSync… */
export class Journal {
  constructor(file, fs = nodeFs) {
    this.file = file;
    this.fs = fs;
    this.fd = undefined;
    this.size = 0;
    this.broken = null;
  }

  /** Replaces the file with exactly `lines` (write new file, fsync, rename), then opens it for appends. */
  rewrite(lines) {
    const { fs, file } = this;
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    let fd;
    try {
      fd = fs.openSync(tmp, 'w', 0o600);
      const buf = Buffer.from(lines.join(''));
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, file);
    } catch (e) {
      if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already failing */ }
      try { fs.unlinkSync(tmp); } catch { /* not created */ }
      throw new JournalError(`state file ${file}: cannot write it: ${reason(e)}`, e.code);
    }
    syncDir(dirname(file), fs);
    this.close(); // the old file's descriptor (every line on it was fsync'ed already)
    try {
      this.fd = fs.openSync(file, 'a', 0o600);
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      throw new JournalError(`state file ${file}: cannot open it for writing: ${reason(e)}`, e.code);
    }
    this.broken = null;
  }

  /** Opens the existing file for appends as it is (mode set to 0600). */
  openForAppend() {
    const { fs, file } = this;
    try {
      this.fd = fs.openSync(file, 'a', 0o600);
      fs.fchmodSync(this.fd, 0o600);
      this.size = fs.fstatSync(this.fd).size;
    } catch (e) {
      throw new JournalError(`state file ${file}: cannot open it for writing: ${reason(e)}`, e.code);
    }
  }

  /**
   * Appends one line and fsyncs it. On failure the partial line is cut off again (so the next record starts
   * on a fresh line) and JournalError is thrown: the caller must not acknowledge the change.
   */
  append(line) {
    const { fs, file } = this;
    if (this.broken) throw new JournalError(`state file ${file} is not writable since an earlier failure (${this.broken}); restart the endpoint`, 'EBROKEN');
    const buf = Buffer.from(line);
    let off = 0;
    try {
      while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
      fs.fsyncSync(this.fd);
    } catch (e) {
      try {
        // Even when no byte was reported written: a failing write may have left some on disk.
        fs.ftruncateSync(this.fd, this.size);
        fs.fsyncSync(this.fd);
      } catch {
        this.broken = reason(e);
      }
      throw new JournalError(`state file ${file}: the change was not recorded: ${reason(e)}`, e.code);
    }
    this.size += buf.length;
  }

  close() {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      this.fs.fsyncSync(fd);
    } catch { /* best effort: every acknowledged line was fsync'ed already */ } finally {
      this.fs.closeSync(fd);
    }
  }
}
