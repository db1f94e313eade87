// The --state journal never loses or silently drops acknowledged data (issue 16): per-record checksums, only
// a last line without its newline counts as torn, any other damage refuses to start (file and line named,
// file untouched), a BOM is handled, compaction on start and after reset by write-new + rename, mode 0600,
// clear errors for special or unwritable paths; kill -9 in the middle of a write; a full disk (a tiny tmpfs
// when this machine lets the test mount one, and always a writer that fails).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync, chmodSync, readdirSync, mkdirSync, rmSync } from 'node:fs';
import * as realFs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkgDir } from './support/app.mjs';
import { smsChat, message, client, send, spawnServe, startEmbedded, signedRequest } from './support/serve-helpers.mjs';

const journal = await import(pathToFileURL(join(pkgDir, 'server', 'journal.mjs')).href);
const dir = mkdtempSync(join(tmpdir(), 'cce-journal-'));
let n = 0;
const fresh = () => join(dir, `state-${++n}.jsonl`);
const event = (contactId, content, extra = {}) => ({
  v: 1, op: 'event', at: '2026-11-25T00:00:00.000Z', requestId: `r-${content}`, contactId,
  key: { sourceId: '+15550000001', destinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1', subtype: 'connect:sms' },
  event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: content }, ...extra,
});
const chatsOf = async (url) => (await send(`${url}/_emulator/chats?limit=1000`)).json.chats;

/** Starting the CLI on this file fails: resolves to its stderr (exit code 1). */
async function refused(file) {
  let err;
  await assert.rejects(spawnServe(['--state', file]), (e) => {
    err = e;
    return true;
  });
  assert.equal(err.code, 1, err.message);
  return err.out.stderr;
}

describe('damage is refused, the file left as it was', () => {
  test('a complete (newline-terminated) last record with a bad checksum is not "torn": refused, naming file and line', async () => {
    const file = fresh();
    const text = journal.frame(event('c-1', 'one')) + journal.frame(event('c-1', 'two')).replace('two', 'twp');
    writeFileSync(file, text);
    const stderr = await refused(file);
    assert.ok(stderr.includes(file), stderr);
    assert.match(stderr, /line 2 fails its checksum/);
    assert.equal(readFileSync(file, 'utf8'), text, 'untouched');
  });

  test('a complete last line that is not JSON, a null record, an unknown kind, a line without checksum among checksummed ones → refused', async () => {
    const good = journal.frame(event('c-1', 'one'));
    for (const [text, why] of [
      [`${good}{"v":1,"op":"ev\n`, /line 2 is not valid JSON/],
      ['null\n', /line 1 is not a record object \(got null\)/],
      [`${good}${JSON.stringify({ v: 9, op: 'snapshot' })}\n`, /line 2 has an unknown record kind "snapshot"/],
      [`${good}${JSON.stringify(event('c-1', 'x'))}\n`, /line 2 has no checksum while other lines have one/],
      [`${good}{"v":1,"op":"event"}\n`, /line 2 is an event record without/],
      [Buffer.concat([Buffer.from(good), Buffer.from([0xff, 0xfe, 0x0a])]), /line 2 is not valid UTF-8/],
    ]) {
      const file = fresh();
      writeFileSync(file, text);
      const before = readFileSync(file);
      assert.match(await refused(file), why);
      assert.deepEqual(readFileSync(file), before, 'untouched');
    }
  });

  test('only a last line without its newline is torn: ignored, reported, and dropped by the compaction', async () => {
    const file = fresh();
    const good = journal.frame(event('c-1', 'one')) + journal.frame(event('c-1', 'two'));
    writeFileSync(file, good + journal.frame(event('c-1', 'three')).slice(0, 40));
    const s = await spawnServe(['--state', file, '--quiet']);
    try {
      assert.match(s.out.stdout, /2 record\(s\) loaded, torn last line of 40 bytes ignored/);
      assert.equal(readFileSync(file, 'utf8'), good);
      assert.deepEqual((await chatsOf(s.url))[0].transcript.map((e) => e.content), ['one', 'two']);
    } finally {
      await s.stop();
    }
  });
});

describe('formats, compaction, permissions, paths', () => {
  test('a one-record file starting with a UTF-8 BOM keeps its record (written before checksums, or with one)', async () => {
    for (const line of [`${JSON.stringify(event('c-bom', 'bom'))}\n`, journal.frame(event('c-bom', 'bom'))]) {
      const file = fresh();
      writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(line)]));
      const s = await spawnServe(['--state', file, '--quiet']);
      try {
        assert.match(s.out.stdout, /1 record\(s\) loaded/);
        const chats = await chatsOf(s.url);
        assert.equal(chats.length, 1);
        assert.equal(chats[0].transcript[0].content, 'bom');
      } finally {
        await s.stop();
      }
      const after = readFileSync(file, 'utf8');
      assert.equal(after, journal.frame(event('c-bom', 'bom')), 'rewritten with a checksum, without the BOM');
    }
  });

  test('compaction on start (resets and ended history folded) and after a reset; atomic rename; mode 0600', async () => {
    const file = fresh();
    const lines = [];
    for (let i = 0; i < 50; i++) lines.push(journal.frame(event('c-old', `old${i}`)));
    lines.push(journal.frame({ v: 1, op: 'reset', at: '2026-11-25T00:00:01.000Z' }));
    lines.push(journal.frame(event('c-new', 'kept1')), journal.frame(event('c-new', 'kept2')));
    writeFileSync(file, lines.join(''));
    chmodSync(file, 0o644);
    const s = await spawnServe(['--state', file, '--quiet']);
    try {
      assert.match(s.out.stdout, /53 record\(s\) loaded/);
      assert.equal(readFileSync(file, 'utf8'), lines.slice(-2).join(''), 'only what rebuilds the chats');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      await client(s.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('after start') });
      assert.equal(readFileSync(file, 'utf8').split('\n').length - 1, 3);
      const r = await send(`${s.url}/_emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 200);
      assert.equal(statSync(file).size, 0, 'compacted to nothing after the reset');
      await client(s.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('after reset') });
    } finally {
      await s.stop();
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    const s2 = await spawnServe(['--state', file, '--quiet']);
    try {
      const chats = await chatsOf(s2.url);
      assert.deepEqual(chats.map((c) => c.transcript[0].content), ['after reset']);
    } finally {
      await s2.stop();
    }
  });

  test('with maxChats the journal is compacted again once most of it is forgotten chats; a restart keeps the same chats', async () => {
    const file = fresh();
    const srv = await startEmbedded({ stateFile: file, maxChats: 10 });
    let kept;
    try {
      for (let i = 0; i < 2500; i++) srv.state.store.applyEvent({ ...smsChat(), Event: message(`n${i}`) }, `q-${i}`);
      kept = (await chatsOf(srv.url)).map((c) => c.contactId);
      assert.equal(kept.length, 10);
      const lines = readFileSync(file, 'utf8').split('\n').length - 1;
      assert.ok(lines <= 2 * 10 + 1001, `${lines} lines for 10 chats`);
    } finally {
      await srv.close();
    }
    const again = await startEmbedded({ stateFile: file, maxChats: 10 });
    try {
      assert.deepEqual((await chatsOf(again.url)).map((c) => c.contactId), kept);
      assert.equal(readFileSync(file, 'utf8').split('\n').length - 1, 10, 'compacted on start');
    } finally {
      await again.close();
    }
  });

  test('a new state file is created with mode 0600; every line is JSON with its crc', async () => {
    const file = fresh();
    const s = await spawnServe(['--state', file, '--quiet']);
    try {
      await client(s.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('new file') });
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const rec = JSON.parse(readFileSync(file, 'utf8').trim());
      assert.match(rec.crc, /^[0-9a-f]{8}$/);
      assert.equal(rec.event.Content, 'new file');
    } finally {
      await s.stop();
    }
  });

  test('special and unusable paths → a clear error at start, exit 1, no crash at shutdown', async () => {
    const notDir = join(dir, 'plain-file');
    writeFileSync(notDir, 'x');
    for (const [path, why] of [
      ['/dev/null', /\/dev\/null is a character device; --state needs the path of a regular file/],
      [dir, /is a directory/],
      [join(notDir, 'state.jsonl'), /a part of the path is not a folder/],
      [join(dir, 'missing-folder', 'state.jsonl'), /its folder does not exist/],
    ]) {
      const stderr = await refused(path);
      assert.match(stderr, why, path);
      assert.doesNotMatch(stderr, /at .*\.mjs:\d+/, 'a message, not a stack trace');
    }
  });
});

describe('unwritable state files', () => {
  test('permission denied (a writer that fails with EACCES) and a read-only file system (a read-only tmpfs when mountable) → clear errors', async () => {
    const file = fresh();
    const denied = { ...realFs, openSync(path, flags, mode) {
      if (flags !== 'r') throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
      return realFs.openSync(path, flags, mode);
    } };
    await assert.rejects(startEmbedded({ stateFile: file, stateFs: denied }), (e) => {
      assert.equal(e.name, 'JournalError');
      assert.ok(e.message.includes(file));
      assert.match(e.message, /cannot write it: permission denied \(EACCES\)/);
      return true;
    });
    const ro = join(dir, 'read-only');
    mkdirSync(ro);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=16k', 'tmpfs', ro]).status === 0) {
      try {
        assert.match(await refused(join(ro, 'state.jsonl')), /read-only file system \(EROFS\)/);
      } finally {
        spawnSync('umount', [ro]);
      }
    } else {
      // Not mountable here: the same error as the file system would give, from a failing writer.
      const erofs = { ...realFs, openSync() { throw Object.assign(new Error('EROFS'), { code: 'EROFS' }); } };
      await assert.rejects(startEmbedded({ stateFile: join(ro, 'state.jsonl'), stateFs: erofs }), /read-only file system \(EROFS\)/);
    }
  });
});

describe('faults while writing', () => {
  test('kill -9 in the middle of a write: every acknowledged record survives, the half-written one is torn', async () => {
    const file = fresh();
    const child = join(dir, 'writer.mjs');
    writeFileSync(child, `
import * as fs from 'node:fs';
import { ChatStore } from ${JSON.stringify(pathToFileURL(join(pkgDir, 'server', 'store.mjs')).href)};
let writes = 0;
const stuck = new Int32Array(new SharedArrayBuffer(4));
// The 21st write puts half of its line on disk, then the process hangs there until it is killed.
const io = { ...fs, writeSync(fd, buf, off = 0, len = buf.length - off) {
  if (++writes === 21) { fs.writeSync(fd, buf, off, len >> 1); process.stdout.write('MIDWRITE\\n'); Atomics.wait(stuck, 0, 0); }
  return fs.writeSync(fd, buf, off, len);
} };
const store = new ChatStore({ stateFile: process.argv[2], fs: io });
const chat = { SourceId: '+15550001111', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/p', Subtype: 'connect:sms' };
for (let i = 0; ; i++) {
  store.applyEvent({ ...chat, Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'm' + i + 'x'.repeat(4000) } }, 'req-' + i);
  process.stdout.write('ACK req-' + i + '\\n');
}
`);
    const proc = spawn(process.execPath, [child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    await new Promise((resolve, reject) => {
      proc.stdout.on('data', (d) => {
        out += d;
        if (out.includes('MIDWRITE')) resolve();
      });
      proc.once('exit', () => reject(new Error(`writer exited early: ${err}`)));
    });
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const acked = [...out.matchAll(/ACK (\S+)/g)].map((m) => m[1]);
    assert.equal(acked.length, 20);
    const size = statSync(file).size;
    const s = await spawnServe(['--state', file, '--quiet']);
    try {
      assert.match(s.out.stdout, /20 record\(s\) loaded, torn last line of \d+ bytes ignored/);
      const chats = await chatsOf(s.url);
      const ids = (await send(`${s.url}/_emulator/chats/${chats[0].contactId}?limit=1000`)).json.transcript.map((e) => e.requestId);
      assert.deepEqual(ids, acked, 'every acknowledged record, in order, nothing else');
      assert.ok(statSync(file).size < size, 'the torn half line was dropped by the compaction');
    } finally {
      await s.stop();
    }
  });

  test('kill -9 of the CLI under concurrent load: every acknowledged request is in the state after restart', async () => {
    const file = fresh();
    const s = await spawnServe(['--state', file, '--quiet']);
    const acked = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const { url, init } = signedRequest(s.url, { ...smsChat(), Event: message('load') });
        try {
          const res = await fetch(url, init);
          if (res.status === 200) acked.push(res.headers.get('x-amzn-requestid'));
          await res.arrayBuffer();
        } catch {
          return; // killed
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    await new Promise((r) => setTimeout(r, 1500));
    s.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await s.exited;
    assert.ok(acked.length >= 20, `${acked.length} acknowledged`);
    const s2 = await spawnServe(['--state', file, '--quiet']);
    try {
      const ids = new Set();
      let next = null;
      do {
        const page = (await send(`${s2.url}/_emulator/chats?limit=1000${next ? `&next=${next}` : ''}`)).json;
        for (const c of page.chats) for (const e of c.transcript) ids.add(e.requestId);
        next = page.next;
      } while (next);
      for (const id of acked) assert.ok(ids.has(id), `acknowledged ${id} lost`);
    } finally {
      await s2.stop();
    }
  });

  test('a failing writer (full disk, EIO): the request gets 500, nothing changes, the journal stays loadable', async () => {
    const file = fresh();
    const mode = { fail: null };
    const io = {
      ...realFs,
      writeSync(fd, buf, off = 0, len = buf.length - off) {
        if (mode.fail === 'ENOSPC') {
          realFs.writeSync(fd, buf, off, Math.min(len, 10)); // a partial line reaches the disk, then the disk is full
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return realFs.writeSync(fd, buf, off, len);
      },
      fsyncSync(fd) {
        if (mode.fail === 'EIO') throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        return realFs.fsyncSync(fd);
      },
    };
    const srv = await startEmbedded({ stateFile: file, stateFs: io });
    try {
      const c = client(srv.url);
      const chat = smsChat();
      const first = await c.sendChatIntegrationEvent({ ...chat, Event: message('before') });
      const before = readFileSync(file);
      mode.fail = 'ENOSPC';
      await assert.rejects(c.sendChatIntegrationEvent({ ...chat, Event: message('lost ENOSPC') }), (e) => {
        assert.equal(e.name, 'InternalServiceException');
        assert.match(e.message, /could not record the event in its state file \(ENOSPC\); nothing was changed/);
        return true;
      });
      assert.deepEqual(readFileSync(file), before, 'the partial line was cut off again');
      assert.equal((await send(`${srv.url}/_emulator/chats/${first.InitialContactId}`)).json.transcript.length, 1, 'not applied in memory either');
      // Space again: writes go on, on a fresh line.
      mode.fail = null;
      assert.equal((await c.sendChatIntegrationEvent({ ...chat, Event: message('after') })).InitialContactId, first.InitialContactId);
      // A failed fsync leaves the file's state unknown: the journal is marked broken, nothing more is acknowledged.
      mode.fail = 'EIO';
      await assert.rejects(c.sendChatIntegrationEvent({ ...chat, Event: message('lost EIO') }), (e) => /\((EIO|EBROKEN)\)/.test(e.message)); // the client retries: EIO, then EBROKEN
      mode.fail = null;
      await assert.rejects(c.sendChatIntegrationEvent({ ...chat, Event: message('refused') }), (e) =>
        e.name === 'InternalServiceException' && /\(EBROKEN\)/.test(e.message));
      assert.equal((await send(`${srv.url}/_emulator/chats/${first.InitialContactId}`)).json.transcript.length, 2);
    } finally {
      await srv.close();
    }
    // What was acknowledged loads; the broken tail (no newline) is torn, nothing else.
    const reload = await startEmbedded({ stateFile: file });
    try {
      const chats = await chatsOf(reload.url);
      assert.deepEqual(chats[0].transcript.map((e) => e.content), ['before', 'after']);
    } finally {
      await reload.close();
    }
  });

  test('a full disk: a tiny tmpfs (mounted when allowed here, else a writer that fails with ENOSPC)', async () => {
    const mnt = join(dir, 'tiny');
    mkdirSync(mnt);
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', mnt]).status === 0;
    const file = join(mnt, 'state.jsonl');
    let enospc = 0;
    const io = {
      ...realFs,
      writeSync(fd, buf, off = 0, len = buf.length - off) {
        if (!mounted && realFs.fstatSync(fd).size + len > 64 * 1024) {
          enospc += 1;
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return realFs.writeSync(fd, buf, off, len);
      },
    };
    try {
      const acked = [];
      let failed = 0;
      const srv = await startEmbedded({ stateFile: file, stateFs: io });
      try {
        const c = client(srv.url);
        for (let i = 0; i < 40 && failed < 3; i++) {
          try {
            await c.sendChatIntegrationEvent({ ...smsChat(), Event: message(`fill ${i} ${'x'.repeat(4000)}`) });
            acked.push(`fill ${i}`);
          } catch (e) {
            assert.equal(e.name, 'InternalServiceException');
            assert.match(e.message, /ENOSPC/);
            failed += 1;
          }
        }
      } finally {
        await srv.close();
      }
      console.log(`# full disk (${mounted ? 'tmpfs 64 KiB' : 'failing writer at 64 KiB'}): ${acked.length} acknowledged, ${failed} refused with 500`);
      assert.ok(acked.length >= 5 && failed === 3, `${acked.length} acked, ${failed} failed`);
      if (!mounted) assert.ok(enospc >= 3);
      const { records, tornBytes } = journal.readJournal(file, () => null);
      assert.equal(tornBytes, 0, 'no partial line left behind');
      assert.deepEqual(records.map((r) => r.event.Content.split(' x')[0]), acked);
    } finally {
      if (mounted) spawnSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
