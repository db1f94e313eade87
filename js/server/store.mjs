// Chats of the local endpoint, their paging and their optional persistence (--state FILE, see journal.mjs).
// A chat is identified by (SourceId, DestinationId, Subtype). Every accepted change is journaled (and
// fsync'ed) before it is applied and answered; the journal is compacted on start and after a reset.
// With maxChats, the oldest ended chat is forgotten first when a new chat would exceed the cap, then the
// oldest active one.
import { randomUUID } from 'node:crypto';
import { realpathSync, lstatSync } from 'node:fs';
import { Journal, JournalError, readJournal, frame } from './journal.mjs';

export { JournalError };
export const STATE_VERSION = 1;
/** Page sizes of the listing and of transcripts: default and largest allowed `?limit=`. */
export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
/** Serialized bytes after which a page ends early (at least one item is always returned). */
export const PAGE_BYTES = 1024 * 1024;

const keyOf = (sourceId, destinationId, subtype) => JSON.stringify([sourceId, destinationId, subtype ?? null]);
const SEQ = Symbol('creation sequence number');
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v) => typeof v === 'string';

/** Why a journal record cannot be replayed, or null. */
function checkRecord(rec) {
  if (!isObj(rec)) return `is not a record object (got ${rec === null ? 'null' : Array.isArray(rec) ? 'an array' : typeof rec})`;
  if (rec.op === 'reset') return null;
  if (rec.op === 'agent') {
    return isStr(rec.contactId) && isStr(rec.at) && isObj(rec.event) && isStr(rec.event.Type) ? null
      : 'is an agent record without contactId, at or event.Type';
  }
  if (rec.op !== 'event') return `has an unknown record kind ${JSON.stringify(rec.op)?.slice(0, 40)} (written by a newer version?)`;
  const { contactId, key, event, at } = rec;
  if (!isStr(contactId) || !isStr(at) || !isObj(key) || !isStr(key.sourceId) || !isStr(key.destinationId) ||
      !(key.subtype === undefined || key.subtype === null || isStr(key.subtype)) || !isObj(event) || !isStr(event.Type)) {
    return 'is an event record without contactId, at, key.sourceId, key.destinationId or event.Type';
  }
  return null;
}

/** A `?limit=` value: DEFAULT_PAGE when absent, else an integer 1..MAX_PAGE; throws RangeError otherwise. */
export function pageLimit(value) {
  if (value === null || value === undefined) return DEFAULT_PAGE;
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_PAGE) {
    throw new RangeError(`limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  return Number(value);
}

/** A `?next=` token: a non-negative integer as text; throws RangeError otherwise. */
function pageToken(value) {
  if (value === null || value === undefined) return -1;
  if (!/^\d{1,15}$/.test(value)) throw new RangeError('next must be a token returned by a previous page');
  return Number(value);
}

/** The first index in `list` (sorted by SEQ) whose SEQ is greater than `seq`. */
function after(list, seq) {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid][SEQ] <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ChatStore {
  /** Options: stateFile, now (() => ms), maxChats (positive integer or undefined), fs (journal I/O, for tests). */
  constructor({ stateFile, now = () => Date.now(), maxChats, fs } = {}) {
    if (maxChats !== undefined && (!Number.isInteger(maxChats) || maxChats < 1)) throw new Error('maxChats must be a positive integer');
    this.now = now;
    this.maxChats = maxChats;
    /** contactId → chat. */
    this.chats = new Map();
    /** The chats in creation order (by SEQ), for paging. */
    this.order = [];
    /** contactId → chat, for the ended chats in the order they ended (the first to go when over maxChats). */
    this.ended = new Map();
    /** chat key → contactId of its active chat. */
    this.active = new Map();
    this.seq = 0;
    this.evicted = 0;
    this.stateFile = stateFile;
    this.journal = undefined;
    /** Records in the journal file (live or not), to compact it again when evictions make it mostly dead. */
    this.journalRecords = 0;
    /** Transcript entries of the kept chats: the records a compacted journal holds. */
    this.live = 0;
    this.loaded = { lines: 0, tornBytes: 0 };
    if (stateFile) this.#open(stateFile, fs);
  }

  #open(file, fs) {
    let path = file;
    try {
      if (lstatSync(file).isSymbolicLink()) path = realpathSync(file); // compaction replaces the file, not the link
    } catch { /* missing: created below */ }
    const { records, tornBytes, clean } = readJournal(path, checkRecord, fs);
    for (const rec of records) this.#apply(rec);
    this.loaded = { lines: records.length, tornBytes };
    this.journal = new Journal(path, fs);
    // Compaction on start; skipped when every record is still live and the file is clean (same content).
    if (clean && this.live === records.length) {
      this.journal.openForAppend();
      this.journalRecords = records.length;
    } else {
      this.#compact();
    }
  }

  /** Rewrites the journal as the records that rebuild the current chats (creation order: replays the same). */
  #compact() {
    if (!this.journal) return;
    const lines = [];
    for (const chat of this.order) {
      chat.transcript.forEach((entry, i) => {
        const event = { Type: entry.type };
        if (entry.contentType !== undefined) event.ContentType = entry.contentType;
        if (entry.content !== undefined) event.Content = entry.content;
        if (entry.participantRole === 'AGENT') {
          lines.push(frame({ v: STATE_VERSION, op: 'agent', at: entry.at, requestId: entry.requestId, id: entry.id, contactId: chat.contactId, event }));
          return;
        }
        const rec = {
          v: STATE_VERSION, op: 'event', at: entry.at, requestId: entry.requestId, contactId: chat.contactId,
          key: { sourceId: chat.sourceId, destinationId: chat.destinationId, subtype: chat.subtype }, event,
        };
        if (i === 0 && chat.newSessionDetails !== null) rec.newSessionDetails = chat.newSessionDetails;
        lines.push(frame(rec));
      });
    }
    this.journal.rewrite(lines);
    this.journalRecords = lines.length;
  }

  #forget(chat) {
    this.chats.delete(chat.contactId);
    this.ended.delete(chat.contactId);
    const i = after(this.order, chat[SEQ] - 1);
    if (this.order[i] === chat) this.order.splice(i, 1);
    const k = keyOf(chat.sourceId, chat.destinationId, chat.subtype);
    if (this.active.get(k) === chat.contactId) this.active.delete(k);
    this.live -= chat.transcript.length;
    this.evicted += 1;
  }

  /** Makes room for one more chat under maxChats: ended chats first (earliest ended), then the oldest. */
  #makeRoom() {
    while (this.maxChats !== undefined && this.chats.size >= this.maxChats) {
      const victim = this.ended.size ? this.ended.values().next().value : this.order[0];
      this.#forget(victim);
    }
  }

  #apply(rec) {
    switch (rec.op) {
      case 'event': {
        const { contactId, key, event, at, requestId } = rec;
        let chat = this.chats.get(contactId);
        if (!chat) {
          this.#makeRoom();
          chat = {
            contactId,
            sourceId: key.sourceId,
            destinationId: key.destinationId,
            subtype: key.subtype ?? null,
            status: 'ACTIVE',
            createdAt: at,
            endedAt: null,
            newSessionDetails: rec.newSessionDetails ?? null,
            transcript: [],
          };
          Object.defineProperty(chat, SEQ, { value: ++this.seq });
          this.chats.set(contactId, chat);
          this.order.push(chat);
          this.active.set(keyOf(key.sourceId, key.destinationId, key.subtype), contactId);
        }
        const entry = { at, requestId, type: event.Type };
        if (event.ContentType !== undefined) entry.contentType = event.ContentType;
        if (event.Content !== undefined) entry.content = event.Content;
        chat.transcript.push(entry);
        this.live += 1;
        if (event.Type === 'DISCONNECT' && chat.status !== 'ENDED') {
          chat.status = 'ENDED';
          chat.endedAt = at;
          this.ended.set(contactId, chat);
          this.active.delete(keyOf(chat.sourceId, chat.destinationId, chat.subtype));
        }
        return { chat, entry };
      }
      case 'agent': {
        // The agent side (POST /_emulator/chats/{contactId}/messages and /disconnect): see agent.mjs.
        const chat = this.chats.get(rec.contactId);
        if (!chat || chat.status !== 'ACTIVE') return null;
        const entry = { at: rec.at, requestId: rec.requestId, type: rec.event.Type, participantRole: 'AGENT' };
        if (rec.id !== undefined) entry.id = rec.id;
        if (rec.event.ContentType !== undefined) entry.contentType = rec.event.ContentType;
        if (rec.event.Content !== undefined) entry.content = rec.event.Content;
        chat.transcript.push(entry);
        this.live += 1;
        if (rec.event.Type === 'DISCONNECT') {
          chat.status = 'ENDED';
          chat.endedAt = rec.at;
          this.ended.set(chat.contactId, chat);
          this.active.delete(keyOf(chat.sourceId, chat.destinationId, chat.subtype));
        }
        return { chat, entry };
      }
      case 'reset':
        this.live = 0;
        this.chats.clear();
        this.order = [];
        this.ended.clear();
        this.active.clear();
        return null;
      default:
        return null;
    }
  }

  /**
   * Applies a valid SendChatIntegrationEvent input; returns { output, chat, entry } where output is the
   * response body. Journaled (and fsync'ed) before it is applied; throws JournalError when it could not be.
   */
  applyEvent(input, requestId) {
    const { SourceId, DestinationId, Subtype, Event, NewSessionDetails } = input;
    const k = keyOf(SourceId, DestinationId, Subtype);
    let contactId = this.active.get(k);
    let created = false;
    if (contactId === undefined) {
      if (Event.Type === 'DISCONNECT') {
        return { output: { NewChatCreated: false }, chat: null, entry: null };
      }
      contactId = randomUUID();
      created = true;
    }
    const event = { Type: Event.Type };
    if (Event.ContentType !== undefined) event.ContentType = Event.ContentType;
    if (Event.Content !== undefined) event.Content = Event.Content;
    const rec = {
      v: STATE_VERSION,
      op: 'event',
      at: new Date(this.now()).toISOString(),
      requestId,
      contactId,
      key: { sourceId: SourceId, destinationId: DestinationId, subtype: Subtype ?? null },
      event,
    };
    if (created && NewSessionDetails !== undefined) rec.newSessionDetails = NewSessionDetails;
    this.journal?.append(frame(rec));
    const evictedBefore = this.evicted;
    const { chat, entry } = this.#apply(rec);
    if (this.journal) {
      this.journalRecords += 1;
      // With --max-chats the file would keep every forgotten chat: compact once most of it is dead (amortized).
      if (this.evicted !== evictedBefore && this.journalRecords > 2 * this.live + 1000) {
        try {
          this.#compact();
        } catch { /* the record is on disk; the next start compacts */ }
      }
    }
    return { output: { InitialContactId: contactId, NewChatCreated: created }, chat, entry };
  }

  /**
   * Appends an agent entry ({ Type: 'MESSAGE', ContentType, Content } or { Type: 'DISCONNECT' }) to an active
   * chat, persisted like an event; returns { chat, entry }, or null when the chat is unknown or ended.
   */
  appendAgent(contactId, event, { requestId, id }) {
    const chat = this.chats.get(contactId);
    if (!chat || chat.status !== 'ACTIVE') return null;
    const rec = { v: STATE_VERSION, op: 'agent', at: new Date(this.now()).toISOString(), requestId, id, contactId, event };
    if (this.journal) {
      this.journal.append(frame(rec));
      this.journalRecords += 1;
    }
    return this.#apply(rec);
  }

  /** Forgets every chat; with a state file, the journal is compacted to nothing (atomically) first. */
  reset() {
    if (this.journal) this.journal.rewrite([]);
    this.journalRecords = 0;
    this.#apply({ op: 'reset' });
  }

  list() {
    return [...this.order];
  }

  /**
   * One page of chats in creation order: { chats, next } with at most `limit` chats (and about PAGE_BYTES),
   * each with the first page of its transcript. `status` filters (ACTIVE or ENDED); `next` continues.
   */
  page({ limit, next, status } = {}) {
    const n = pageLimit(limit);
    const from = pageToken(next);
    const want = status ? String(status).toUpperCase() : undefined;
    const parts = [];
    let bytes = 0;
    let last;
    let more = false;
    for (let i = after(this.order, from); i < this.order.length; i++) {
      const chat = this.order[i];
      if (want && chat.status !== want) continue;
      if (parts.length >= n || (parts.length > 0 && bytes >= PAGE_BYTES)) {
        more = true;
        break;
      }
      const text = JSON.stringify(this.withTranscriptPage(chat, {}));
      parts.push(text);
      bytes += text.length;
      last = chat;
    }
    return `{"chats":[${parts.join(',')}],"next":${more ? JSON.stringify(String(last[SEQ])) : 'null'}}`;
  }

  /**
   * A chat with one page of its transcript: `events` is the transcript's length, `transcriptNext` the token
   * of the next page (null at the end).
   */
  withTranscriptPage(chat, { limit, next } = {}) {
    const n = pageLimit(limit);
    const from = pageToken(next) + 1;
    const { transcript } = chat;
    const page = [];
    let bytes = 0;
    let i = from;
    for (; i < transcript.length && page.length < n && (page.length === 0 || bytes < PAGE_BYTES); i++) {
      page.push(transcript[i]);
      bytes += (transcript[i].content?.length ?? 0) + 100;
    }
    return {
      contactId: chat.contactId, sourceId: chat.sourceId, destinationId: chat.destinationId, subtype: chat.subtype,
      status: chat.status, createdAt: chat.createdAt, endedAt: chat.endedAt, newSessionDetails: chat.newSessionDetails,
      events: transcript.length, transcript: page, transcriptNext: i < transcript.length ? String(i - 1) : null,
    };
  }

  close() {
    this.journal?.close();
  }
}
