// Chats of the local endpoint and their optional persistence (--state FILE).
// A chat is identified by (SourceId, DestinationId, Subtype). The state file is a JSON-lines journal:
// every accepted change is appended and fsync'ed before the response; on load, the journal is replayed
// and a torn last line (a crash in the middle of a write) is ignored and cut off.
import { randomUUID } from 'node:crypto';
import { openSync, writeSync, fsyncSync, closeSync, readFileSync, existsSync, ftruncateSync } from 'node:fs';

export const STATE_VERSION = 1;

const keyOf = (sourceId, destinationId, subtype) => JSON.stringify([sourceId, destinationId, subtype ?? null]);

export class ChatStore {
  constructor({ stateFile, now = () => Date.now() } = {}) {
    this.now = now;
    /** contactId → chat, in creation order. */
    this.chats = new Map();
    /** chat key → contactId of its active chat. */
    this.active = new Map();
    this.stateFile = stateFile;
    this.fd = undefined;
    this.loaded = { lines: 0, tornBytes: 0 };
    if (stateFile) this.#open(stateFile);
  }

  #open(file) {
    if (existsSync(file)) {
      const buf = readFileSync(file);
      let good = 0; // bytes of complete, valid lines
      let start = 0;
      let lineNo = 0;
      while (start < buf.length) {
        const nl = buf.indexOf(0x0a, start);
        if (nl < 0) break; // the last line has no newline: its write was torn, never acknowledged
        lineNo += 1;
        const text = buf.subarray(start, nl).toString('utf8');
        let rec = null;
        if (text.trim() !== '') {
          try {
            rec = JSON.parse(text);
          } catch (e) {
            if (buf.subarray(nl + 1).toString('utf8').trim() === '') break; // torn last line
            throw new Error(`state file ${file}: line ${lineNo} is not valid JSON and is not the last line; ` +
              `refusing to start with a corrupted journal (${e.message})`);
          }
          this.#apply(rec);
          this.loaded.lines += 1;
        }
        good = nl + 1;
        start = nl + 1;
      }
      this.loaded.tornBytes = buf.length - good;
      this.fd = openSync(file, 'r+');
      if (good < buf.length) {
        ftruncateSync(this.fd, good);
        fsyncSync(this.fd);
      }
      closeSync(this.fd);
    }
    this.fd = openSync(file, 'a');
  }

  #append(rec) {
    if (this.fd === undefined) return;
    writeSync(this.fd, JSON.stringify(rec) + '\n');
    fsyncSync(this.fd);
  }

  #apply(rec) {
    switch (rec.op) {
      case 'event': {
        const { contactId, key, event, at, requestId } = rec;
        let chat = this.chats.get(contactId);
        if (!chat) {
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
          this.chats.set(contactId, chat);
          this.active.set(keyOf(key.sourceId, key.destinationId, key.subtype), contactId);
        }
        const entry = { at, requestId, type: event.Type };
        if (event.ContentType !== undefined) entry.contentType = event.ContentType;
        if (event.Content !== undefined) entry.content = event.Content;
        chat.transcript.push(entry);
        if (event.Type === 'DISCONNECT') {
          chat.status = 'ENDED';
          chat.endedAt = at;
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
        if (rec.event.Type === 'DISCONNECT') {
          chat.status = 'ENDED';
          chat.endedAt = rec.at;
          this.active.delete(keyOf(chat.sourceId, chat.destinationId, chat.subtype));
        }
        return { chat, entry };
      }
      case 'reset':
        this.chats.clear();
        this.active.clear();
        return null;
      default:
        return null; // unknown record kinds from newer versions are skipped
    }
  }

  /**
   * Applies a valid SendChatIntegrationEvent input; returns { output, chat, entry } where output is the
   * response body. Persisted (and fsync'ed) before it returns.
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
    this.#append(rec);
    const { chat, entry } = this.#apply(rec);
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
    this.#append(rec);
    return this.#apply(rec);
  }

  reset() {
    this.#append({ v: STATE_VERSION, op: 'reset', at: new Date(this.now()).toISOString() });
    this.#apply({ op: 'reset' });
  }

  list() {
    return [...this.chats.values()];
  }

  close() {
    if (this.fd === undefined) return;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
