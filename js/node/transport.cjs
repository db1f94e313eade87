'use strict';
// The Node transport: a fetch-shaped function over node:http / node:https with a keep-alive agent.
//
// Why not the global fetch: Node's fetch (undici) costs the client 2-4x more CPU per request than
// node:http with a keep-alive agent (BENCHMARKS.md, "Node transport"). The `undici` package's Pool
// is cheaper still under concurrency, but it would be a runtime dependency that needs Node >= 20.18
// and takes ~120 ms to load (cold start); node:http is built in and loads in a few ms.
// The client calls it like fetch:
//
//   const r = await transport(url, { method, headers, body, signal });
//   r.status; r.headers.get('x-amzn-requestid'); r.headers.forEach((value, name) => …); await r.text();
//
// What it guarantees (the client's retry and timeout logic relies on each):
// - `signal` aborts the attempt at any point (queued for a socket, connecting, sending, reading the
//   body): the request is destroyed and the promise rejects with the signal's reason (an
//   `AbortError` DOMException when the reason is undefined), as fetch does.
// - A connection or protocol error rejects with a `NetworkError` (`code` such as ECONNRESET,
//   ECONNREFUSED, ETIMEDOUT or a TLS code, the original error as `cause`), never a bare TypeError.
// - Idle sockets are closed after `idleTimeoutMs` (default 4 s: below the 5 s keep-alive of Node
//   servers and the 60 s of common load balancers; Node's agent also closes it 1 s before a shorter
//   `Keep-Alive: timeout=` the server announces), so a socket the server is about to close is not reused; if
//   the server closes one anyway as the request goes out, that rejects as a NetworkError
//   (`reusedSocket: true`), which the client retries.
// - At most `maxSockets` connections per origin; further requests wait for a free socket.
// - TLS verifies against Node's CA store (its bundled roots plus NODE_EXTRA_CA_CERTS, or the operating
//   system's under `node --use-openssl-ca`): no `ca` of its own unless given one, which replaces it.
// - The response body is read as UTF-8 and capped at `maxResponseBytes` (default 1 MiB; Connect's
//   answers are well under 1 KiB).

// node:http and node:https are loaded on the first request that needs them (node:https with TLS
// costs ~15-20 ms of start-up; an http:// endpoint such as the local one never loads it).
let http, https;

/** A connection-level failure: no usable HTTP response. Retryable by the client. */
class NetworkError extends Error {
  constructor(message, { code, cause, reusedSocket = false } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'NetworkError';
    /** The system or library error code (ECONNRESET, ECONNREFUSED, …), or undefined. */
    this.code = code;
    /** The request went out on a kept-alive socket (the server may have closed it meanwhile). */
    this.reusedSocket = reusedSocket;
  }
}

/** Response headers over Node's `IncomingMessage.headers` (names already lower-case). */
class NodeHeaders {
  #h;
  constructor(h) {
    this.#h = h;
  }
  get(name) {
    const v = this.#h[String(name).toLowerCase()];
    if (v === undefined) return null;
    return Array.isArray(v) ? v.join(', ') : v;
  }
  has(name) {
    return this.#h[String(name).toLowerCase()] !== undefined;
  }
  forEach(f, thisArg) {
    for (const k of Object.keys(this.#h)) f.call(thisArg, this.get(k), k, this);
  }
  *entries() {
    for (const k of Object.keys(this.#h)) yield [k, this.get(k)];
  }
  *keys() {
    yield* Object.keys(this.#h);
  }
  *values() {
    for (const k of Object.keys(this.#h)) yield this.get(k);
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** What the transport resolves with: status, headers and the whole body, already read. */
class NodeResponse {
  #text;
  constructor(status, statusText, headers, text, url) {
    this.status = status;
    this.statusText = statusText;
    this.ok = status >= 200 && status < 300;
    this.headers = headers;
    this.url = url;
    this.#text = text;
  }
  text() {
    return Promise.resolve(this.#text);
  }
  json() {
    return Promise.resolve(this.#text).then(JSON.parse);
  }
}

/** fetch's error for an abort without a reason. */
function abortReason(signal) {
  if (signal.reason !== undefined) return signal.reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

const OPTIONS = new Set(['maxSockets', 'keepAliveMsecs', 'idleTimeoutMs', 'maxResponseBytes', 'ca', 'rejectUnauthorized']);

/** A positive integer option or its default; a clear TypeError otherwise. */
function positive(options, name, dflt) {
  const v = options[name];
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v <= 0) throw new TypeError(`createNodeTransport: ${name} must be a positive integer; got ${String(v)}`);
  return v;
}

/**
 * Creates a transport with its own connection pool.
 * @param {object} [options]
 * @param {number} [options.maxSockets=50] connections per origin (the AWS SDK's default too)
 * @param {number} [options.keepAliveMsecs=1000] TCP keep-alive probe delay on pooled sockets
 * @param {number} [options.idleTimeoutMs=4000] an idle pooled socket is closed after this
 * @param {number} [options.maxResponseBytes=1048576] larger bodies reject with a NetworkError
 * @param {string|Buffer|Array} [options.ca] trusted CA certificates (PEM), replacing Node's
 * @param {boolean} [options.rejectUnauthorized=true]
 * @returns {Function} `transport(url, { method, headers, body, signal })` → Promise of a response;
 *   `transport.close()` closes the pooled sockets.
 */
function createNodeTransport(options = {}) {
  if (options === null || typeof options !== 'object') throw new TypeError('createNodeTransport: options must be an object');
  for (const k of Object.keys(options)) {
    if (!OPTIONS.has(k)) throw new TypeError(`createNodeTransport: unknown option ${k}`);
  }
  const maxSockets = positive(options, 'maxSockets', 50);
  const keepAliveMsecs = positive(options, 'keepAliveMsecs', 1000);
  const idleTimeoutMs = positive(options, 'idleTimeoutMs', 4000);
  const maxResponseBytes = positive(options, 'maxResponseBytes', 1 << 20);
  // `timeout` is the pooled sockets' idle timeout: Node's agent destroys a free socket when it
  // fires (on a busy socket it only emits 'timeout', which nothing here acts on: the attempt's
  // own time limit is the caller's signal). LIFO hands out the most recently used socket, so
  // under a light load the others go idle and close instead of all aging together.
  const agentOptions = { keepAlive: true, noDelay: true, keepAliveMsecs, maxSockets, maxFreeSockets: maxSockets, timeout: idleTimeoutMs, scheduling: 'lifo' };
  const tlsOptions = { ...agentOptions };
  if (options.ca !== undefined) tlsOptions.ca = options.ca;
  if (options.rejectUnauthorized !== undefined) tlsOptions.rejectUnauthorized = options.rejectUnauthorized !== false;
  let httpAgent, httpsAgent;

  // The client sends every request to one URL: parse it once.
  let lastUrl, lastTarget;
  function target(url) {
    if (url === lastUrl) return lastTarget;
    const u = new URL(url);
    const tls = u.protocol === 'https:';
    if (!tls && u.protocol !== 'http:') throw new TypeError(`node transport: unsupported URL scheme ${u.protocol}`);
    if (tls) {
      https ??= require('node:https');
      httpsAgent ??= new https.Agent(tlsOptions);
    } else {
      http ??= require('node:http');
      httpAgent ??= new http.Agent(agentOptions);
    }
    lastTarget = {
      lib: tls ? https : http,
      agent: tls ? httpsAgent : httpAgent,
      hostname: u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname,
      port: u.port || (tls ? 443 : 80),
      path: u.pathname + u.search,
    };
    lastUrl = url;
    return lastTarget;
  }

  function transport(url, init = {}) {
    return new Promise((resolve, reject) => {
      const { method = 'GET', headers = {}, body, signal } = init;
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      let t;
      try {
        t = target(String(url));
      } catch (e) {
        reject(e);
        return;
      }
      const hs = {};
      for (const k of Object.keys(headers)) hs[k] = headers[k];
      const payload = body === undefined || body === null ? undefined : typeof body === 'string' ? body : Buffer.from(body);
      if (payload !== undefined) hs['content-length'] = Buffer.byteLength(payload);

      let done = false;
      let onAbort;
      const finish = () => {
        done = true;
        if (onAbort) signal.removeEventListener('abort', onAbort);
      };
      const fail = (e) => {
        if (done) return;
        finish();
        reject(e);
      };
      const req = t.lib.request({ hostname: t.hostname, port: t.port, path: t.path, method, headers: hs, agent: t.agent });
      const networkError = (e) => {
        const code = e?.code;
        const reused = req.reusedSocket === true;
        return new NetworkError(`${method} ${url} failed: ${e?.message ?? e}${code ? ` (${code})` : ''}${reused ? ' on a reused connection' : ''}`,
          { code, cause: e, reusedSocket: reused });
      };
      if (signal) {
        onAbort = () => {
          fail(abortReason(signal));
          req.destroy();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
      req.on('error', (e) => fail(networkError(e)));
      req.on('response', (res) => {
        const len = Number(res.headers['content-length']);
        if (len > maxResponseBytes) {
          fail(new NetworkError(`${method} ${url}: response body of ${len} bytes is over maxResponseBytes (${maxResponseBytes})`, { code: 'ERR_RESPONSE_TOO_LARGE' }));
          req.destroy();
          return;
        }
        const chunks = [];
        let size = 0;
        res.on('data', (c) => {
          size += c.length;
          if (size > maxResponseBytes) {
            fail(new NetworkError(`${method} ${url}: response body is over maxResponseBytes (${maxResponseBytes})`, { code: 'ERR_RESPONSE_TOO_LARGE' }));
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('error', (e) => fail(networkError(e)));
        res.on('end', () => {
          if (done) return;
          finish();
          const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
          resolve(new NodeResponse(res.statusCode, res.statusMessage, new NodeHeaders(res.headers), text, url));
        });
        // The connection closed before the body's end: not every Node version emits 'error'.
        res.on('close', () => {
          if (!res.complete) fail(networkError(Object.assign(new Error('connection closed before the response body ended'), { code: 'ECONNRESET' })));
        });
      });
      req.end(payload);
    });
  }
  /** Closes the pooled sockets; requests in flight go on, later ones open new sockets. */
  transport.close = () => {
    httpAgent?.destroy();
    httpsAgent?.destroy();
  };
  return transport;
}

let defaultTransport;
/** The process-wide transport (created on first use, maxSockets 50): the Node default. */
function nodeTransport(url, init) {
  defaultTransport ??= createNodeTransport();
  return defaultTransport(url, init);
}

module.exports = { createNodeTransport, nodeTransport, NetworkError };
