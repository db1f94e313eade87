// A scripted stand-in for Amazon Connect for the retry tests and the soak: 127.0.0.1 only. It
// checks each request's SigV4 signature with the AWS SDK's own signer (@smithy/signature-v4), with
// any of several key pairs (rotating credentials), rejects requests whose x-amz-date is too far
// from its own clock (which may be set off on purpose) with `403 InvalidSignatureException
// "Signature expired"` and a `Date` header, and answers with scripted actions:
//   { status, headers?, body? }      a response (body: object → JSON)
//   { drop: true }                   socket.destroy() without a response
//   { delayMs, ...action }           wait, then act (a slow response)
//   { hang: true }                   never answer
// Scripted actions are used in order (`next(...)`); then `handler(record)` if set; then the default
// (success for a valid signature).
import http from 'node:http';
import { tool } from './tools.mjs';
import { NodeSha256 } from './node-sha256.mjs';

export const RETRY_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDRETRYTEST0000001',
  secretAccessKey: 'retry+test+secret+not+a+real+key+0000000',
});

const pad = (n, w = 2) => String(n).padStart(w, '0');
const amzDate = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
};
const parseAmzDate = (s) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15));

export async function startRetryServer({ region = 'us-east-1', keys = [RETRY_CREDENTIALS], clockOffsetMs = 0, maxSkewMs = 5 * 60_000,
  verifySignatures = true } = {}) {
  const { SignatureV4 } = await tool('@smithy/signature-v4');
  const secrets = new Map(keys.map((k) => [k.accessKeyId, k]));
  const requests = [];
  const queue = [];
  const sockets = new Set();
  const state = { handler: undefined, clockOffsetMs, inFlight: 0, maxInFlight: 0, delivered: new Map() };

  async function verify(req, body) {
    const auth = req.headers.authorization ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) return false;
    const key = secrets.get(m[1]);
    if (!key || m[3] !== region || m[4] !== 'connect') return false;
    const signed = m[5].split(';');
    const headers = {};
    for (const name of signed) headers[name] = req.headers[name];
    const signer = new SignatureV4({ service: 'connect', region, credentials: key, sha256: NodeSha256, applyChecksum: false });
    const [path] = req.url.split('?');
    const [host, port] = req.headers.host.split(':');
    const unsignable = new Set(Object.keys(req.headers).filter((h) => !signed.includes(h)));
    const out = await signer.sign({ method: req.method, protocol: 'http:', hostname: host, port: Number(port) || undefined, path, headers, body },
      { signingDate: new Date(parseAmzDate(req.headers['x-amz-date'])), unsignableHeaders: unsignable });
    return out.headers.authorization === auth;
  }

  const now = () => Date.now() + state.clockOffsetMs;
  const json = (status, obj, headers = {}) => ({ status, headers, body: obj });

  function defaultAction(record) {
    if (!record.signatureValid) {
      return json(403, { message: 'The request signature we calculated does not match the signature you provided.' },
        { 'x-amzn-errortype': 'InvalidSignatureException' });
    }
    if (record.skewMs !== undefined && Math.abs(record.skewMs) > maxSkewMs) {
      const t = now();
      const msg = record.skewMs < 0
        ? `Signature expired: ${record.headers['x-amz-date']} is now earlier than ${amzDate(t - maxSkewMs)} (${amzDate(t)} - 5 min.)`
        : `Signature not yet current: ${record.headers['x-amz-date']} is still later than ${amzDate(t + maxSkewMs)} (${amzDate(t)} + 5 min.)`;
      return json(403, { message: msg }, { 'x-amzn-errortype': 'InvalidSignatureException' });
    }
    return { deliver: true, status: 200 };
  }

  function respond(req, res, record, action) {
    if (action.delayMs) {
      const { delayMs, ...rest } = action;
      const t = setTimeout(() => { if (!res.destroyed) respond(req, res, record, rest); }, delayMs);
      res.on('close', () => clearTimeout(t));
      return;
    }
    if (action.hang) return;
    if (action.drop) {
      record.outcome = 'drop';
      req.socket.destroy();
      return;
    }
    let { status, headers = {}, body } = action;
    if (action.deliver) {
      // The event reached "Connect": count it (duplicates are retries of a delivered event).
      const key = record.body;
      const n = (state.delivered.get(key) ?? 0) + 1;
      state.delivered.set(key, n);
      body = { InitialContactId: `contact-${record.n}`, NewChatCreated: n === 1 };
    }
    record.outcome = status;
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `rid-${record.n}`, date: new Date(now()).toUTCString(), ...headers });
    res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      res.on('close', () => { state.inFlight -= 1; });
      const body = Buffer.concat(chunks).toString('utf8');
      const record = { n: requests.length + 1, at: Date.now(), method: req.method, path: req.url, headers: { ...req.headers }, body, signatureValid: false };
      requests.push(record);
      try {
        record.signatureValid = verifySignatures ? await verify(req, body) : true;
      } catch (e) {
        record.verifyError = String(e);
      }
      const d = req.headers['x-amz-date'];
      if (/^\d{8}T\d{6}Z$/.test(d ?? '')) record.skewMs = parseAmzDate(d) - now();
      const action = queue.shift() ?? state.handler?.(record) ?? defaultAction(record);
      respond(req, res, record, action.useDefault ? { ...defaultAction(record), ...action, useDefault: undefined } : action);
    });
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    state,
    /** Queue actions for the next requests, in order. */
    next(...actions) { queue.push(...actions); },
    /** A function (record) => action | undefined, used when the queue is empty. */
    set handler(fn) { state.handler = fn; },
    set clockOffsetMs(ms) { state.clockOffsetMs = ms; },
    addKey(k) { secrets.set(k.accessKeyId, k); },
    reset() { requests.length = 0; queue.length = 0; state.handler = undefined; state.maxInFlight = 0; state.delivered.clear(); },
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(resolve); }),
  };
}
