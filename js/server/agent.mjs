// The agent side of a local chat (inspection API, not AWS): the local endpoint plays the Amazon Connect agent.
//   POST /_emulator/chats/{contactId}/messages    { "Content": "...", "ContentType": "text/plain" }
//   POST /_emulator/chats/{contactId}/disconnect  {}
// Both need `content-type: application/json` (without it, 403 CsrfForbidden as every inspection write, or 415). The entries are persisted by the store (--state), appear in the
// transcript and the event stream, and are streamed to the chat's SNS subscriber (streaming.mjs).
import { randomUUID } from 'node:crypto';
import { JournalError } from './store.mjs';
import { checkWrite } from './guard.mjs';

const ROUTE = /^\/_emulator\/chats\/([^/]+)\/(messages|disconnect)$/;
/** What an agent may send (Amazon Connect's SendMessage content types for agents). */
export const AGENT_CONTENT_TYPES = Object.freeze([
  'text/plain',
  'text/markdown',
  'application/json',
  'application/vnd.amazonaws.connect.message.interactive',
]);
/** Subtypes whose channel carries plain text only. */
const TEXT_ONLY_SUBTYPES = new Set(['connect:sms', 'connect:whatsapp']);
export const MAX_AGENT_CONTENT_BYTES = 16384;

const isJson = (req) => /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '');
const wellFormed = (s) => (String.prototype.isWellFormed ? s.isWellFormed() : !/[\ud800-\udfff]/.test(s));

/** Checks a message body against the chat; returns { event } or { error }. */
export function checkAgentMessage(body, chat) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { error: 'The request body must be a JSON object { Content, ContentType }.' };
  const unknown = Object.keys(body).filter((k) => k !== 'Content' && k !== 'ContentType');
  if (unknown.length) return { error: `Unknown member ${unknown[0]}; an agent message has Content and ContentType.` };
  const { Content, ContentType = 'text/plain' } = body;
  if (typeof Content !== 'string' || Content.length === 0) return { error: 'Content is required: a non-empty string.' };
  if (!wellFormed(Content)) return { error: 'Content holds a lone UTF-16 surrogate, which is not valid Unicode.' };
  const bytes = Buffer.byteLength(Content, 'utf8');
  if (bytes > MAX_AGENT_CONTENT_BYTES) return { error: `Content is ${bytes} bytes (UTF-8); at most ${MAX_AGENT_CONTENT_BYTES} are allowed.` };
  if (typeof ContentType !== 'string' || !AGENT_CONTENT_TYPES.includes(ContentType)) {
    return { error: `ContentType must be one of ${AGENT_CONTENT_TYPES.join(', ')}.` };
  }
  if (TEXT_ONLY_SUBTYPES.has(String(chat.subtype).toLowerCase()) && ContentType !== 'text/plain') {
    return { error: `ContentType ${ContentType} cannot be sent on a ${chat.subtype} chat, which carries text/plain only.` };
  }
  const supported = chat.newSessionDetails?.SupportedMessagingContentTypes ?? ['text/plain'];
  if (ContentType !== 'text/plain' && !supported.includes(ContentType)) {
    return { error: `ContentType ${ContentType} is not among the chat's SupportedMessagingContentTypes (${supported.join(', ')}).` };
  }
  return { event: { Type: 'MESSAGE', ContentType, Content } };
}

/**
 * The agent routes. deps: store (ChatStore), readJsonBody(req, res) (→ { body } or undefined once answered), sendJson(res, status, body), sendError(res, status,
 * code, message), appended(chat, entry) (the transcript-item-appended hook: event stream + message streaming), log.
 * handle(req, res, path) answers and resolves to true when the path is an agent route, else resolves to false.
 */
export function createAgentRoutes({ store, readJsonBody, sendJson, sendError, appended, log = () => {} }) {
  async function handle(req, res, path) {
    const m = ROUTE.exec(path);
    if (!m) return false;
    const action = m[2];
    if (req.method !== 'POST') {
      sendError(res, 405, 'MethodNotAllowed', `${req.method} is not allowed on ${path}; use POST.`, { allow: 'POST' });
      return true;
    }
    let contactId;
    try {
      contactId = decodeURIComponent(m[1]);
    } catch {
      sendError(res, 400, 'BadRequest', 'Malformed contact id in the path.');
      return true;
    }
    try {
      checkWrite(req); // the inspection API's CSRF rule, as for its other writes (403 CsrfForbidden)
    } catch (e) {
      sendError(res, e.status, e.code, e.message);
      return true;
    }
    if (!isJson(req)) {
      sendError(res, 415, 'UnsupportedMediaTypeException', `POST ${path} needs content-type: application/json.`);
      return true;
    }
    const read = await readJsonBody(req, res);
    if (!read) return true;
    const { body } = read;
    const chat = store.chats.get(contactId);
    if (!chat) {
      sendError(res, 404, 'ResourceNotFoundException', `No chat with contact id ${contactId}.`);
      return true;
    }
    if (chat.status !== 'ACTIVE') {
      sendError(res, 409, 'ConflictException', `The chat ${contactId} has ended; the agent can no longer ${action === 'messages' ? 'send to it' : 'end it'}.`);
      return true;
    }
    let event;
    if (action === 'messages') {
      const checked = checkAgentMessage(body, chat);
      if (checked.error) {
        sendError(res, 400, 'InvalidRequestException', checked.error);
        return true;
      }
      event = checked.event;
    } else {
      if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).length) {
        sendError(res, 400, 'InvalidRequestException', 'A disconnect takes an empty JSON object {}.');
        return true;
      }
      event = { Type: 'DISCONNECT' };
    }
    const requestId = res.getHeader('x-amzn-RequestId') ?? randomUUID();
    const id = event.Type === 'MESSAGE' ? randomUUID() : undefined;
    let entry;
    try {
      ({ entry } = store.appendAgent(contactId, event, { requestId, id }));
    } catch (e) {
      if (!(e instanceof JournalError)) throw e;
      log(e.message);
      sendError(res, 500, 'InternalServiceException', `The local endpoint could not record the agent's ${action === 'messages' ? 'message' : 'disconnect'} ` +
        `in its state file (${e.code ?? 'error'}); nothing was changed.`);
      return true;
    }
    if (event.Type === 'MESSAGE') {
      sendJson(res, 200, { Id: id, AbsoluteTime: entry.at, InitialContactId: contactId });
      log(`agent: message to chat ${contactId} (${event.ContentType}, ${Buffer.byteLength(event.Content)} bytes)`);
    } else {
      sendJson(res, 200, { InitialContactId: contactId, Status: 'ENDED' });
      log(`agent: ended chat ${contactId}`);
    }
    appended(chat, entry, false);
    return true;
  }
  return { handle };
}
