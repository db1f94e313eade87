'use strict';
// One HTTP request with Node's http/https and a deadline, for the credential sources (instance
// metadata, container endpoint, STS, IAM Identity Center). No keep-alive: a credentials call is
// rare, and an idle socket must not keep the process alive.

const MAX_BODY = 1 << 20;

/** An error whose message is safe to show (never a header or body value). */
function httpError(message, code) {
  const e = new Error(message);
  e.code = code;
  return e;
}

/**
 * `request(url, { method, headers, body, timeoutMs })` → `{ status, headers, body }` (body as a
 * string). Rejects with a short reason on a network error, a timeout or a body over 1 MiB.
 */
function request(url, { method = 'GET', headers = {}, body, timeoutMs = 1000 } = {}) {
  return new Promise((resolve, reject) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      reject(httpError('not a valid URL', 'ERR_INVALID_URL'));
      return;
    }
    const mod = u.protocol === 'https:' ? require('node:https') : u.protocol === 'http:' ? require('node:http') : undefined;
    if (!mod) {
      reject(httpError(`unsupported protocol ${u.protocol}`, 'ERR_INVALID_PROTOCOL'));
      return;
    }
    const h = { ...headers };
    if (body !== undefined) h['content-length'] = String(Buffer.byteLength(body));
    let done = false;
    const finish = (fn, v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn(v);
    };
    const req = mod.request({
      protocol: u.protocol,
      hostname: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port || undefined,
      path: `${u.pathname}${u.search}`,
      method,
      headers: h,
      agent: false,
    }, (res) => {
      const chunks = [];
      let size = 0;
      res.on('data', (c) => {
        size += c.length;
        if (size > MAX_BODY) {
          req.destroy();
          finish(reject, httpError('response body over 1 MiB', 'ERR_BODY_TOO_LARGE'));
        } else {
          chunks.push(c);
        }
      });
      res.on('end', () => finish(resolve, { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => finish(reject, httpError(e.code || 'response error', e.code)));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish(reject, httpError(`timed out after ${timeoutMs} ms`, 'ETIMEDOUT'));
    }, timeoutMs);
    req.on('error', (e) => finish(reject, httpError(e.code ? `${e.code} (${u.host})` : 'request failed', e.code)));
    req.end(body);
  });
}

module.exports = { request };
