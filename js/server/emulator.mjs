// The local Amazon Connect endpoint behind `connect-chat-events serve`: POST /chat-integration-event with
// exact SigV4 verification, the client's validation rules and chat semantics; an inspection API under
// /_emulator/ (not AWS); fault injection; optional persistence; the admin console (www/) at / and the
// package's own files at /pkg/. Plain Node, no dependencies. Embed it with:
//
//   import { startServer } from './node_modules/connect-chat-events/server/emulator.mjs';
//   const { url, port, close, state } = await startServer({ port: 0 });
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync, existsSync, statSync, createReadStream, realpathSync } from 'node:fs';
import { join, dirname, resolve, sep, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateChatIntegrationEvent } from '../node/index.mjs';
import { verifyRequest, AuthError } from './verify.mjs';
import { ChatStore, JournalError } from './store.mjs';
import { GuardError, allowedHosts, ownOrigins, parseTarget, checkHost, checkInspectionOrigin, checkWrite, WRITE_HEADER } from './guard.mjs';
import { Faults, checkFaults } from './faults.mjs';
import { StreamingPublisher, streamingEndpointMap } from './streaming.mjs';
import { createAgentRoutes } from './agent.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const BUSY = Symbol('requests in progress on this socket');
const EVENT_STREAM = Symbol('socket carries an event stream');
const REQUESTS = Symbol('requests started on this socket');
/** The package root (pkg/ in the repository, node_modules/connect-chat-events when installed). */
export const PACKAGE_ROOT = resolve(here, '..');

/** The documented local test key pair: public values, accepted only by this local endpoint. */
export const LOCAL_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDLOCALCONNECT0001',
  secretAccessKey: 'local-connect-secret-key-not-for-aws',
});
export const DEFAULT_PORT = 8787;
export const DEFAULT_REGION = 'us-east-1';
/** Largest accepted request body: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Bytes of an oversized body read (and discarded) before the connection is cut. */
const MAX_DRAIN_BYTES = 32 * 1024 * 1024;
/** Default time limits (ms): all request headers / the whole request must arrive within these; idle keep-alive. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Bytes an event-stream subscriber may leave unread before it is disconnected (a slow reader is dropped). */
export const MAX_SSE_BACKLOG_BYTES = 64 * 1024;
/** Default cap on open event streams; past it new subscribers get 503. */
export const DEFAULT_MAX_SUBSCRIBERS = 32;
/** Bytes of inspection responses (listings) that may wait for slow readers at once; past it: 503. */
export const MAX_PENDING_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Strict UTF-8: a body with invalid byte sequences is refused instead of silently repaired. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const OPERATION_PATH = '/chat-integration-event';
const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType';
const ALLOWED_HEADERS = 'authorization, content-type, x-amz-date, x-amz-security-token, x-amz-content-sha256, ' +
  `x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request, ${WRITE_HEADER}`;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.cts': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** `****` with the length, for secrets that must never be printed. */
export function mask(secret) {
  return secret ? `${'*'.repeat(4)} (${secret.length} characters, hidden)` : '';
}

function packageVersion() {
  try {
    return JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The soft open-files limit of this process (Linux /proc), or undefined. */
function openFilesLimit() {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m && m[1] !== 'unlimited' ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Default connection cap: 4096, less when the open-files limit is lower (leaving room for files). */
export function defaultMaxConnections() {
  const limit = openFilesLimit();
  return limit ? Math.max(16, Math.min(4096, limit - 64)) : 4096;
}

function timeoutOption(value, fallback, name) {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer (milliseconds)`);
  return value;
}

/** Where a decoded JSON value holds a string with a lone UTF-16 surrogate ('\\ud800' escapes), its path. */
function loneSurrogatePath(value, path = '') {
  const stack = [[value, path]];
  while (stack.length) {
    const [v, p] = stack.pop();
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return p || '(input)';
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        if (!isWellFormed(k)) return p ? `${p}.${k}` : k;
        stack.push([v[k], Array.isArray(v) ? `${p}[${k}]` : (p ? `${p}.${k}` : k)]);
      }
    }
  }
  return undefined;
}
const isWellFormed = String.prototype.isWellFormed
  ? (s) => s.isWellFormed()
  : (s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

/** Header name → every value received (req.headersDistinct, which Node added in 18.3). */
function headersDistinct(req) {
  if (req.headersDistinct) return req.headersDistinct;
  const out = Object.create(null);
  for (let i = 0; i < req.rawHeaders.length; i += 2) (out[req.rawHeaders[i].toLowerCase()] ??= []).push(req.rawHeaders[i + 1]);
  return out;
}

/**
 * Starts the endpoint. Options (all optional):
 *  host ('127.0.0.1'), port (8787; 0 for any free port), region ('us-east-1'),
 *  credentials ([{ accessKeyId, secretAccessKey, sessionToken? }]; default the local test pair),
 *  stateFile, corsOrigins ([] ; '*' for any), faults ({ throttleRate, errorRate, dropRate, latencyMs }), seed,
 *  wwwDir (default <package>/www), log ((line) => void), now (() => ms, the server clock),
 *  headersTimeoutMs (10000), requestTimeoutMs (30000), keepAliveTimeoutMs (5000): slow or idle clients are cut;
 *  maxConnections (4096, or less under a low open-files limit): past it the oldest idle connection is closed,
 *  allowHosts ([]: extra Host names/values to answer besides 127.0.0.1, localhost, [::1] and the bound host),
 *  maxChats (no cap: past it the earliest-ended chat, else the oldest, is forgotten), maxSubscribers (32),
 *  stateFs (the journal's fs functions; fault-injection tests only),
 *  streamingEndpoints ({ topicArn: url } or ['ARN=URL']): SNS topics whose chats are streamed to a local HTTP
 *  subscriber, streamingRetryPolicy (SNS healthyRetryPolicy, seconds), streamingTimeoutMs (15000) (streaming.mjs).
 * Resolves to { url, port, host, region, close(), state }.
 */
export async function startServer(options = {}) {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? DEFAULT_REGION;
  const credentials = options.credentials?.length ? options.credentials : [LOCAL_CREDENTIALS];
  const keys = Object.create(null);
  for (const c of credentials) {
    if (!c.accessKeyId || !c.secretAccessKey) throw new Error('every credential needs accessKeyId and secretAccessKey');
    keys[c.accessKeyId] = { secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken || undefined };
  }
  const corsOrigins = new Set(options.corsOrigins ?? []);
  const maxSubscribers = options.maxSubscribers ?? DEFAULT_MAX_SUBSCRIBERS;
  if (!Number.isInteger(maxSubscribers) || maxSubscribers < 0) throw new Error('maxSubscribers must be a non-negative integer');
  // Filled in once the port is known.
  let hosts = new Set();
  let own = new Set();
  const log = options.log ?? (() => {});
  const wwwDir = options.wwwDir ?? join(PACKAGE_ROOT, 'www');
  const version = packageVersion();
  const requestTimeout = timeoutOption(options.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS, 'requestTimeoutMs');
  let headersTimeout = timeoutOption(options.headersTimeoutMs, DEFAULT_HEADERS_TIMEOUT_MS, 'headersTimeoutMs');
  // Node refuses headersTimeout > requestTimeout; the whole request includes its headers anyway.
  if (requestTimeout > 0 && (headersTimeout === 0 || headersTimeout > requestTimeout)) headersTimeout = requestTimeout;
  const keepAliveTimeout = timeoutOption(options.keepAliveTimeoutMs, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, 'keepAliveTimeoutMs');
  const maxConnections = options.maxConnections ?? defaultMaxConnections();
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new Error('maxConnections must be a positive integer');

  const state = {
    /** Milliseconds added to the server clock (tests use it to replay requests later). */
    clockOffsetMs: 0,
    store: null,
    faults: new Faults(options.faults, options.seed),
    sse: new Set(),
    get chats() {
      return this.store.list();
    },
  };
  const baseNow = options.now ?? (() => Date.now());
  const now = () => baseNow() + state.clockOffsetMs;
  const streaming = new StreamingPublisher({
    endpoints: streamingEndpointMap(options.streamingEndpoints),
    retryPolicy: options.streamingRetryPolicy,
    attemptTimeoutMs: timeoutOption(options.streamingTimeoutMs, undefined, 'streamingTimeoutMs'),
    baseUrl: () => api.url,
    now,
    log,
    onDelivery: (contactId, delivery) => broadcast('stream-delivery', { contactId, delivery }),
  });
  state.streaming = streaming;
  state.store = new ChatStore({ stateFile: options.stateFile, now, maxChats: options.maxChats, fs: options.stateFs });

  function broadcast(event, data) {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of state.sse) {
      // A subscriber that does not read would make the server buffer every event for it: cut it instead.
      if (res.writableLength > MAX_SSE_BACKLOG_BYTES) {
        state.sse.delete(res);
        counters.slowSubscribersDropped += 1;
        res.destroy();
      } else {
        res.write(frame);
      }
    }
  }

  /** A transcript entry was appended (customer or agent): tell event-stream subscribers, stream it over SNS. */
  function appended(chat, entry, newChatCreated) {
    const { transcript, ...summary } = chat;
    broadcast('chat-event', { contactId: chat.contactId, newChatCreated, chat: { ...summary, events: transcript.length }, entry });
    streaming.publish(chat, entry);
  }

  function corsAllowed(origin) {
    return origin !== undefined && (corsOrigins.has('*') || corsOrigins.has(origin));
  }

  let pendingBytes = 0;
  /** Sends a large JSON text, counting its bytes until written (bounded memory with readers that stall). */
  function sendBig(res, text) {
    const n = Buffer.byteLength(text);
    if (pendingBytes + n > MAX_PENDING_RESPONSE_BYTES) {
      return sendError(res, 503, 'ServiceUnavailableException', 'Too many large responses are waiting for slow readers; retry shortly.',
        { 'retry-after': '1' });
    }
    pendingBytes += n;
    let counted = true;
    const done = () => {
      if (counted) {
        counted = false;
        pendingBytes -= n;
      }
    };
    res.once('finish', done);
    res.once('close', done);
    return sendJsonText(res, 200, text);
  }

  function sendJson(res, status, body, extra = {}) {
    return sendJsonText(res, status, JSON.stringify(body), extra);
  }

  function sendJsonText(res, status, text, extra = {}) {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extra });
    res.end(text);
  }

  function sendError(res, status, code, message, extra = {}) {
    sendJson(res, status, { message }, { 'x-amzn-ErrorType': code, ...extra });
  }

  /** Reads the body up to MAX_BODY_BYTES; past that, discards the rest (bounded) and reports tooLarge. */
  function readBody(req) {
    return new Promise((resolveBody, reject) => {
      const declared = Number(req.headers['content-length']);
      const chunks = [];
      let size = 0;
      let tooLarge = Number.isFinite(declared) && declared > MAX_BODY_BYTES;
      let settled = false;
      const done = (v) => {
        if (!settled) {
          settled = true;
          resolveBody(v);
        }
      };
      if (Number.isFinite(declared) && declared > MAX_DRAIN_BYTES) {
        done({ tooLarge: true, cut: true });
        return;
      }
      req.on('data', (chunk) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          tooLarge = true;
          chunks.length = 0;
        } else if (!tooLarge) {
          chunks.push(chunk);
        }
        if (size > MAX_DRAIN_BYTES) {
          req.pause();
          done({ tooLarge: true, cut: true });
        }
      });
      req.on('end', () => done(tooLarge ? { tooLarge: true } : { body: Buffer.concat(chunks) }));
      // A client that goes away mid-body (or is cut by requestTimeout): nothing to answer.
      req.on('error', () => done({ aborted: true }));
      req.on('close', () => {
        if (!req.complete) done({ aborted: true });
      });
    });
  }
  /**
   * An inspection-API write's JSON body (empty = `{}`): `{ body }`, or `undefined` once it has answered
   * (413 too large, 400 not JSON) or the client went away.
   */
  async function readJsonBody(req, res) {
    const read = await readBody(req);
    if (read.aborted) return undefined;
    if (read.tooLarge) {
      sendError(res, 413, 'RequestEntityTooLargeException', 'Body too large.', { connection: 'close' });
      if (read.cut) res.on('finish', () => req.socket.destroy());
      return undefined;
    }
    try {
      const text = read.body.toString('utf8');
      return { body: text.trim() === '' ? {} : JSON.parse(text) };
    } catch (e) {
      sendError(res, 400, 'InvalidRequestException', `The request body is not valid JSON: ${String(e.message).slice(0, 200)}`);
      return undefined;
    }
  }


  async function handleOperation(req, res, requestId, started, url) {
    const outcome = { requestId, method: req.method, path: req.url, at: new Date(now()).toISOString() };
    const finish = (status, extra = {}) => {
      Object.assign(outcome, { status, durationMs: Date.now() - started }, extra);
      broadcast('request', outcome);
      log(`${req.method} ${req.url} ${status}${extra.errorType ? ` ${extra.errorType}` : ''}` +
        `${extra.contactId ? ` contact=${extra.contactId}${extra.newChatCreated ? ' (new chat)' : ''}` : ''}` +
        ` (${outcome.durationMs} ms) requestId=${requestId}`);
    };
    const fail = (status, code, message, extra) => {
      sendError(res, status, code, message, extra);
      finish(status, { errorType: code, message });
    };

    const read = await readBody(req);
    if (read.aborted) {
      finish(0, { errorType: 'ClientAborted', message: 'the client closed the connection before the body was complete' });
      return;
    }
    if (read.tooLarge) {
      fail(413, 'RequestEntityTooLargeException',
        `Request body is larger than the ${MAX_BODY_BYTES} bytes (1 MiB) this endpoint accepts.`, { connection: 'close' });
      if (read.cut) res.on('finish', () => req.socket.destroy());
      return;
    }
    const body = read.body;

    // Faults, as the front end of a real service would produce them.
    const { latencyMs } = state.faults.settings;
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = state.faults.decide();
    if (fault === 'drop') {
      finish(0, { errorType: 'ConnectionDropped', message: 'fault injection: connection dropped before a response' });
      req.socket.destroy();
      return;
    }
    if (fault === 'throttle') return fail(429, 'ThrottlingException', 'Rate exceeded');
    if (fault === 'error') return fail(500, 'InternalServiceException', 'Internal service error (injected by the local endpoint).');

    let identity;
    try {
      identity = verifyRequest(
        { method: req.method, path: url.pathname, query: url.search.slice(1), headersDistinct: headersDistinct(req),
          headerLines: req.rawHeaders.length / 2, body },
        { keys, region, now },
      );
    } catch (e) {
      if (e instanceof AuthError) return fail(e.status, e.code, e.message);
      throw e;
    }
    outcome.accessKeyId = identity.accessKeyId;

    let input;
    let text;
    try {
      text = utf8.decode(body);
    } catch {
      return fail(400, 'InvalidRequestException', 'The request body is not valid UTF-8.');
    }
    try {
      input = JSON.parse(text);
    } catch (e) {
      return fail(400, 'InvalidRequestException', `The request body is not valid JSON: ${String(e.message).slice(0, 200)}`);
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return fail(400, 'InvalidRequestException', 'The request body must be a JSON object.');
    }
    const badString = loneSurrogatePath(input);
    if (badString !== undefined) {
      return fail(400, 'InvalidRequestException', `1 validation error detected: ${badString}: ` +
        'a string holds a lone UTF-16 surrogate (\\ud800-\\udfff escape without its pair), which is not valid Unicode.');
    }
    const { valid, issues } = validateChatIntegrationEvent(input);
    if (!valid) {
      const n = issues.length;
      return fail(400, 'InvalidRequestException',
        `${n} validation error${n === 1 ? '' : 's'} detected: ` + issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '));
    }

    let applied;
    try {
      applied = state.store.applyEvent(input, requestId);
    } catch (e) {
      if (!(e instanceof JournalError)) throw e;
      log(e.message);
      return fail(500, 'InternalServiceException', 'The local endpoint could not record the event in its state file ' +
        `(${e.code ?? 'error'}); nothing was changed.`);
    }
    const { output, chat, entry } = applied;
    sendJson(res, 200, output);
    finish(200, { contactId: output.InitialContactId, newChatCreated: output.NewChatCreated });
    if (chat) appended(chat, entry, output.NewChatCreated);
  }

  function serveFile(req, res, rootDir, rel) {
    let decoded;
    try {
      decoded = decodeURIComponent(rel);
    } catch {
      return sendError(res, 400, 'BadRequest', 'Malformed path.');
    }
    if (decoded.includes('\0')) return sendError(res, 400, 'BadRequest', 'Malformed path.');
    let base;
    try {
      base = realpathSync(rootDir);
    } catch {
      return sendError(res, 404, 'NotFound', `Not found: ${req.url.split('?')[0]}`);
    }
    let file = resolve(base, '.' + (decoded.startsWith('/') ? decoded : '/' + decoded));
    if (file !== base && !file.startsWith(base + sep)) return sendError(res, 404, 'NotFound', 'Not found.');
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const real = realpathSync(file);
      if (real !== base && !real.startsWith(base + sep)) return sendError(res, 404, 'NotFound', 'Not found.');
      const st = statSync(real);
      if (!st.isFile()) throw new Error('not a file');
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      createReadStream(real).pipe(res);
    } catch {
      sendError(res, 404, 'NotFound', `Not found: ${req.url.split('?')[0]}`);
    }
  }

  function landingPage(res) {
    const html = `<!doctype html><meta charset="utf-8"><title>connect-chat-events local endpoint</title>
<h1>connect-chat-events local endpoint</h1>
<p>This is a local stand-in for Amazon Connect's <code>SendChatIntegrationEvent</code> (not AWS). The admin console is not
part of this build. Try <a href="/_emulator/chats">/_emulator/chats</a>, <a href="/_emulator/events">/_emulator/events</a>
or <a href="/_emulator/info">/_emulator/info</a>.</p>\n`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  }

  function info() {
    return {
      name: 'connect-chat-events local endpoint (not AWS)',
      version,
      region,
      endpoint: api.url,
      operation: { method: 'POST', path: OPERATION_PATH, signingName: 'connect' },
      credentials: Object.keys(keys).map((id) => ({
        accessKeyId: id,
        // Only the public local test pair is shown in full; user-supplied secrets never leave the process.
        ...(id === LOCAL_CREDENTIALS.accessKeyId && keys[id].secretAccessKey === LOCAL_CREDENTIALS.secretAccessKey
          ? { secretAccessKey: LOCAL_CREDENTIALS.secretAccessKey, localTestPair: true }
          : { secretAccessKey: null, localTestPair: false }),
        sessionTokenRequired: keys[id].sessionToken !== undefined,
      })),
      persistent: Boolean(options.stateFile),
      limits: { maxBodyBytes: MAX_BODY_BYTES, headersTimeoutMs: headersTimeout, requestTimeoutMs: requestTimeout,
        keepAliveTimeoutMs: keepAliveTimeout, maxConnections, openConnections: sockets.size,
        maxChats: options.maxChats ?? null, chats: state.store.chats.size, chatsEvicted: state.store.evicted,
        maxSubscribers, subscribers: state.sse.size, maxSseBacklogBytes: MAX_SSE_BACKLOG_BYTES,
        pageSize: 100, maxPageSize: 1000, ...counters },
      hosts: [...hosts],
      routes: EMULATOR_ROUTES,
    };
  }

  async function handleEmulator(req, res, path, url) {
    if (await agentRoutes.handle(req, res, path)) return undefined;
    const route = (method, p) => req.method === method && path === p;
    // The writes: refused unless they carry what a cross-site simple request cannot.
    if (route('POST', '/_emulator/reset') || route('PUT', '/_emulator/faults')) {
      try {
        checkWrite(req);
      } catch (e) {
        counters.guardRefused += 1;
        return sendError(res, e.status, e.code, e.message);
      }
    }
    const knownPaths = ['/_emulator', '/_emulator/', '/_emulator/info', '/_emulator/chats', '/_emulator/events',
      '/_emulator/reset', '/_emulator/faults'];
    if ((route('GET', '/_emulator') || route('GET', '/_emulator/') || route('GET', '/_emulator/info'))) return sendJson(res, 200, info());
    const q = url.searchParams;
    if (route('GET', '/_emulator/chats')) {
      let text;
      try {
        text = state.store.page({ limit: q.get('limit'), next: q.get('next'), status: q.get('status') ?? undefined });
      } catch (e) {
        if (e instanceof RangeError) return sendError(res, 400, 'InvalidRequestException', e.message);
        throw e;
      }
      return sendBig(res, text);
    }
    const one = /^\/_emulator\/chats\/([^/]+)$/.exec(path);
    if (one && req.method === 'GET') {
      let id;
      try {
        id = decodeURIComponent(one[1]);
      } catch {
        return sendError(res, 400, 'BadRequest', 'Malformed contact id in the path.');
      }
      const chat = state.store.chats.get(id);
      if (!chat) return sendError(res, 404, 'ResourceNotFoundException', `No chat with contact id ${one[1]}.`);
      let page;
      try {
        page = state.store.withTranscriptPage(chat, { limit: q.get('limit'), next: q.get('next') });
      } catch (e) {
        if (e instanceof RangeError) return sendError(res, 400, 'InvalidRequestException', e.message);
        throw e;
      }
      return sendBig(res, JSON.stringify({ ...page, streaming: streaming.view(chat) }));
    }
    if (route('GET', '/_emulator/events')) {
      if (state.sse.size >= maxSubscribers) {
        counters.subscribersRefused += 1;
        return sendError(res, 503, 'ServiceUnavailableException', `Already ${state.sse.size} event-stream subscribers ` +
          `(the most this endpoint keeps, --max-subscribers); close one or retry later.`, { 'retry-after': '5' });
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ region, chats: state.store.chats.size, faults: state.faults.toJSON() })}\n\n`);
      state.sse.add(res);
      req.socket[EVENT_STREAM] = true; // long-lived, but may be closed to make room (EventSource reconnects)
      const ping = setInterval(() => res.write(': keep-alive\n\n'), 15000);
      ping.unref();
      res.on('close', () => {
        clearInterval(ping);
        state.sse.delete(res);
      });
      return;
    }
    if (route('GET', '/_emulator/streaming')) return sendJson(res, 200, streaming.info());
    if (route('POST', '/_emulator/reset')) {
      const removed = state.store.chats.size;
      try {
        state.store.reset();
      } catch (e) {
        if (!(e instanceof JournalError)) throw e;
        log(e.message);
        return sendError(res, 500, 'InternalServiceException', `The reset could not be recorded in the state file (${e.code ?? 'error'}); nothing was changed.`);
      }
      streaming.reset();
      broadcast('reset', { removed });
      log(`reset: ${removed} chat(s) removed`);
      return sendJson(res, 200, { reset: true, removed });
    }
    if (route('GET', '/_emulator/faults')) return sendJson(res, 200, state.faults.toJSON());
    if (route('PUT', '/_emulator/faults')) {
      const read = await readJsonBody(req, res);
      if (!read) return undefined;
      const { body } = read;
      const checked = checkFaults(body);
      if (checked.error) return sendError(res, 400, 'InvalidRequestException', checked.error);
      state.faults.update(checked.faults);
      if ('seed' in body) state.faults.reseed(body.seed);
      broadcast('faults', state.faults.toJSON());
      log(`faults: ${JSON.stringify(state.faults.toJSON())}`);
      return sendJson(res, 200, state.faults.toJSON());
    }
    if (knownPaths.includes(path) || one) {
      return sendError(res, 405, 'MethodNotAllowed', `${req.method} is not allowed on ${path}.`);
    }
    return sendError(res, 404, 'NotFound', `Unknown inspection route ${path}; see GET /_emulator/info.`);
  }

  async function handle(req, res) {
    const started = Date.now();
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    const origin = req.headers.origin;
    const allowed = corsAllowed(origin);
    if (allowed) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
      res.setHeader('vary', 'Origin');
    }
    // The request target and Host first: what is refused here reaches no route (DNS rebinding, confused paths).
    let url;
    try {
      url = parseTarget(req.url);
      checkHost(headersDistinct(req).host, hosts);
      if (url.pathname === '/_emulator' || url.pathname.startsWith('/_emulator/')) checkInspectionOrigin(req, own, corsOrigins);
    } catch (e) {
      if (!(e instanceof GuardError)) throw e;
      counters.guardRefused += 1;
      return sendError(res, e.status, e.code, e.message, e.status === 400 ? { connection: 'close' } : {});
    }
    const path = url.pathname;

    if (req.method === 'OPTIONS') {
      if (origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
        if (!allowed) {
          return sendError(res, 403, 'CorsForbidden', `Origin ${origin} is not allowed; start the endpoint with --cors-origin ${origin}.`);
        }
        const requested = req.headers['access-control-request-headers'];
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST, PUT, OPTIONS',
          'access-control-allow-headers': requested && /^[\w\-, ]*$/.test(requested) ? requested : ALLOWED_HEADERS,
          'access-control-max-age': '600',
        });
        return res.end();
      }
      res.writeHead(204, { allow: 'GET, HEAD, POST, PUT, OPTIONS' });
      return res.end();
    }

    if (path === OPERATION_PATH) {
      if (req.method !== 'POST') {
        return sendError(res, 405, 'MethodNotAllowedException', `${req.method} is not supported on ${OPERATION_PATH}; use POST.`, { allow: 'POST, OPTIONS' });
      }
      return handleOperation(req, res, requestId, started, url);
    }
    if (path === '/_emulator' || path.startsWith('/_emulator/')) return handleEmulator(req, res, path, url);
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/pkg' ) {
        res.writeHead(301, { location: '/pkg/' });
        return res.end();
      }
      if (path.startsWith('/pkg/')) return serveFile(req, res, PACKAGE_ROOT, path.slice('/pkg'.length));
      if (path === '/' && !existsSync(join(wwwDir, 'index.html'))) return landingPage(res);
      return serveFile(req, res, wwwDir, path);
    }
    return sendError(res, 404, 'UnknownOperationException', `No operation at ${req.method} ${path}. ` +
      `This endpoint implements SendChatIntegrationEvent (POST ${OPERATION_PATH}) only.`);
  }

  const agentRoutes = createAgentRoutes({ store: state.store, readJsonBody, sendJson, sendError, appended, log });

  const server = http.createServer({
    headersTimeout,
    requestTimeout,
    keepAliveTimeout,
    // How often Node checks headersTimeout / requestTimeout (its default, 30 s, would make short limits late).
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor((headersTimeout || requestTimeout || 4000) / 4))),
  }, (req, res) => {
    const socket = req.socket;
    socket[BUSY] = (socket[BUSY] ?? 0) + 1;
    socket[REQUESTS] = (socket[REQUESTS] ?? 0) + 1;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        socket[BUSY] -= 1;
      }
    };
    res.once('finish', release);
    res.once('close', release);
    handle(req, res).catch((e) => {
      log(`internal error: ${e?.stack ?? e}`);
      if (!res.headersSent) sendError(res, 500, 'InternalServiceException', 'Internal error in the local endpoint.');
      else res.destroy();
    });
  });
  // Malformed HTTP, oversized headers, timeouts: answer with a bare status when nothing was sent yet, then close.
  server.on('clientError', (err, socket) => {
    const status = err?.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : err?.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout'
        : '400 Bad Request';
    const responding = socket._httpMessage && socket._httpMessage.headersSent;
    if (socket.writable && !responding && err?.code !== 'ECONNRESET') {
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      socket.destroySoon?.();
      setTimeout(() => socket.destroy(), 1000).unref();
    } else {
      socket.destroy();
    }
  });

  // At most maxConnections sockets: past that the oldest connection with no request in progress (idle keep-alive,
  // or still sending its headers) is closed, so idle floods cannot lock out real clients or exhaust file descriptors.
  const sockets = new Set();
  const counters = { evicted: 0, refused: 0, acceptErrors: 0, idleClosed: 0, guardRefused: 0, subscribersRefused: 0, slowSubscribersDropped: 0 };
  // Node's headersTimeout only runs once a request has begun: a connection that never sends a byte (or only blank
  // lines) would stay open forever. Close it when no request has started within headersTimeout (nothing received)
  // or requestTimeout (something, but not a request).
  const firstRequestMs = headersTimeout || requestTimeout;
  function reapIfIdle(socket, second) {
    if (socket.destroyed || socket[REQUESTS]) return;
    if (socket.bytesRead > 0 && !second && requestTimeout > firstRequestMs) {
      setTimeout(reapIfIdle, requestTimeout - firstRequestMs, socket, true).unref();
      return;
    }
    counters.idleClosed += 1;
    if (socket.writable) socket.end('HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    setTimeout(() => socket.destroy(), 500).unref();
  }
  state.connections = { get open() { return sockets.size; }, maxConnections, counters };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (firstRequestMs > 0) setTimeout(reapIfIdle, firstRequestMs, socket, false).unref();
    if (sockets.size <= maxConnections) return;
    for (const s of sockets) {
      if (s !== socket && (!s[BUSY] || s[EVENT_STREAM])) {
        sockets.delete(s);
        s.destroy();
        counters.evicted += 1;
        return;
      }
    }
    sockets.delete(socket);
    socket.destroy();
    counters.refused += 1;
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', fail);
      // After listening, errors are per connection (e.g. accept() failing with EMFILE when file descriptors run
      // out): log them and keep serving rather than crashing on an unhandled 'error' event.
      server.on('error', (e) => {
        counters.acceptErrors += 1;
        if (counters.acceptErrors <= 5 || counters.acceptErrors % 1000 === 0) {
          log(`server error (${counters.acceptErrors}): ${e?.code ?? ''} ${e?.message ?? e}`);
        }
      });
      ok();
    });
  }).catch((e) => {
    state.store.close();
    throw e;
  });
  const port = server.address().port;
  hosts = allowedHosts({ host, port, allowHosts: options.allowHosts ?? [] });
  own = ownOrigins(hosts, port);
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  let closing;
  const api = {
    url: `http://${hostForUrl}:${port}`,
    port,
    host,
    region,
    state,
    server,
    /** Stops accepting, ends event streams and open connections, flushes and closes the state file. */
    close() {
      closing ??= new Promise((done) => {
        streaming.close();
        for (const res of state.sse) res.end();
        state.sse.clear();
        server.close(() => {
          state.store.close();
          done();
        });
        server.closeIdleConnections?.();
        setTimeout(() => server.closeAllConnections?.(), 1000).unref();
      });
      return closing;
    },
  };
  return api;
}

export const EMULATOR_ROUTES = [
  { method: 'GET', path: '/_emulator/info', description: 'region, endpoint, accepted access key ids, routes' },
  { method: 'GET', path: '/_emulator/chats', description: 'chats, 100 a page (?limit= up to 1000, ?next= from the last page); ?status=ACTIVE|ENDED' },
  { method: 'GET', path: '/_emulator/chats/{contactId}', description: 'one chat, its transcript paged likewise (?limit=, ?next=), and its message streaming deliveries' },
  { method: 'GET', path: '/_emulator/events', description: 'Server-Sent Events: ready, request, chat-event, stream-delivery, reset, faults' },
  { method: 'POST', path: '/_emulator/chats/{contactId}/messages', description: 'the agent answers: JSON { Content, ContentType }' },
  { method: 'POST', path: '/_emulator/chats/{contactId}/disconnect', description: 'the agent ends the chat: JSON {}' },
  { method: 'GET', path: '/_emulator/streaming', description: 'message streaming: SNS topic → subscriber mappings, retry policy' },
  { method: 'POST', path: '/_emulator/reset', description: 'forget every chat (and compact the state file); JSON or X-Emulator-Request' },
  { method: 'GET', path: '/_emulator/faults', description: 'current fault injection settings and seed' },
  { method: 'PUT', path: '/_emulator/faults', description: 'set any of throttleRate, errorRate, dropRate (0..1), latencyMs, seed (JSON body)' },
];
