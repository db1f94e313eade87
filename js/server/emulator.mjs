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
import { ChatStore } from './store.mjs';
import { Faults, checkFaults } from './faults.mjs';

const here = dirname(fileURLToPath(import.meta.url));
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
const OPERATION_PATH = '/chat-integration-event';
const EXPOSED_HEADERS = 'x-amzn-RequestId, x-amzn-ErrorType';
const ALLOWED_HEADERS = 'authorization, content-type, x-amz-date, x-amz-security-token, x-amz-content-sha256, ' +
  'x-amz-user-agent, amz-sdk-invocation-id, amz-sdk-request';

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
 *  wwwDir (default <package>/www), log ((line) => void), now (() => ms, the server clock).
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
  const log = options.log ?? (() => {});
  const wwwDir = options.wwwDir ?? join(PACKAGE_ROOT, 'www');
  const version = packageVersion();

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
  state.store = new ChatStore({ stateFile: options.stateFile, now });

  function broadcast(event, data) {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of state.sse) res.write(frame);
  }

  function corsAllowed(origin) {
    return origin !== undefined && (corsOrigins.has('*') || corsOrigins.has(origin));
  }

  function sendJson(res, status, body, extra = {}) {
    const text = JSON.stringify(body);
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
      req.on('error', reject);
    });
  }

  async function handleOperation(req, res, requestId, started) {
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
        { method: req.method, url: req.url, headersDistinct: headersDistinct(req), body },
        { keys, region, now },
      );
    } catch (e) {
      if (e instanceof AuthError) return fail(e.status, e.code, e.message);
      throw e;
    }
    outcome.accessKeyId = identity.accessKeyId;

    let input;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch (e) {
      return fail(400, 'InvalidRequestException', `The request body is not valid JSON: ${e.message}`);
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return fail(400, 'InvalidRequestException', 'The request body must be a JSON object.');
    }
    const { valid, issues } = validateChatIntegrationEvent(input);
    if (!valid) {
      const n = issues.length;
      return fail(400, 'InvalidRequestException',
        `${n} validation error${n === 1 ? '' : 's'} detected: ` + issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '));
    }

    const { output, chat, entry } = state.store.applyEvent(input, requestId);
    sendJson(res, 200, output);
    finish(200, { contactId: output.InitialContactId, newChatCreated: output.NewChatCreated });
    if (chat) {
      const { transcript, ...summary } = chat;
      broadcast('chat-event', { contactId: chat.contactId, newChatCreated: output.NewChatCreated, chat: { ...summary, events: transcript.length }, entry });
    }
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
      routes: EMULATOR_ROUTES,
    };
  }

  async function handleEmulator(req, res, path, url) {
    const route = (method, p) => req.method === method && path === p;
    const knownPaths = ['/_emulator', '/_emulator/', '/_emulator/info', '/_emulator/chats', '/_emulator/events',
      '/_emulator/reset', '/_emulator/faults'];
    if ((route('GET', '/_emulator') || route('GET', '/_emulator/') || route('GET', '/_emulator/info'))) return sendJson(res, 200, info());
    if (route('GET', '/_emulator/chats')) {
      const status = url.searchParams.get('status');
      const chats = state.store.list().filter((c) => !status || c.status === status.toUpperCase());
      return sendJson(res, 200, { chats });
    }
    const one = /^\/_emulator\/chats\/([^/]+)$/.exec(path);
    if (one && req.method === 'GET') {
      const chat = state.store.chats.get(decodeURIComponent(one[1]));
      return chat ? sendJson(res, 200, chat) : sendError(res, 404, 'ResourceNotFoundException', `No chat with contact id ${one[1]}.`);
    }
    if (route('GET', '/_emulator/events')) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`retry: 2000\nevent: ready\ndata: ${JSON.stringify({ region, chats: state.store.chats.size, faults: state.faults.toJSON() })}\n\n`);
      state.sse.add(res);
      const ping = setInterval(() => res.write(': keep-alive\n\n'), 15000);
      ping.unref();
      res.on('close', () => {
        clearInterval(ping);
        state.sse.delete(res);
      });
      return;
    }
    if (route('POST', '/_emulator/reset')) {
      const removed = state.store.chats.size;
      state.store.reset();
      broadcast('reset', { removed });
      log(`reset: ${removed} chat(s) removed`);
      return sendJson(res, 200, { reset: true, removed });
    }
    if (route('GET', '/_emulator/faults')) return sendJson(res, 200, state.faults.toJSON());
    if (route('PUT', '/_emulator/faults')) {
      const read = await readBody(req);
      if (read.tooLarge) return sendError(res, 413, 'RequestEntityTooLargeException', 'Body too large.');
      let body;
      try {
        body = JSON.parse(read.body.toString('utf8') || '{}');
      } catch (e) {
        return sendError(res, 400, 'InvalidRequestException', `The request body is not valid JSON: ${e.message}`);
      }
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
    let url;
    try {
      url = new URL(req.url, 'http://localhost');
    } catch {
      return sendError(res, 400, 'BadRequest', 'Malformed request target.');
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
      return handleOperation(req, res, requestId, started);
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

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      log(`internal error: ${e?.stack ?? e}`);
      if (!res.headersSent) sendError(res, 500, 'InternalServiceException', 'Internal error in the local endpoint.');
      else res.destroy();
    });
  });
  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  });

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', fail);
      ok();
    });
  }).catch((e) => {
    state.store.close();
    throw e;
  });
  const port = server.address().port;
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
  { method: 'GET', path: '/_emulator/chats', description: 'all chats with transcripts; ?status=ACTIVE|ENDED filters' },
  { method: 'GET', path: '/_emulator/chats/{contactId}', description: 'one chat' },
  { method: 'GET', path: '/_emulator/events', description: 'Server-Sent Events: ready, request, chat-event, reset, faults' },
  { method: 'POST', path: '/_emulator/reset', description: 'forget every chat (recorded in the state file too)' },
  { method: 'GET', path: '/_emulator/faults', description: 'current fault injection settings and seed' },
  { method: 'PUT', path: '/_emulator/faults', description: 'set any of throttleRate, errorRate, dropRate (0..1), latencyMs, seed' },
];
