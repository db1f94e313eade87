// A minimal stand-in for Amazon Connect used by the package tests. It checks every request's
// SigV4 signature with the AWS SDK's own signer (@smithy/signature-v4), an oracle independent of
// ours, records what arrived, and answers with scripted responses.
import http from 'node:http';
import { tool } from './tools.mjs';
import { NodeSha256 } from './node-sha256.mjs';

export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDLOCALTEST000001',
  secretAccessKey: 'local+test+secret+not+a+real+key+000000',
});

export async function startMockConnect({ region = 'us-east-1', credentials = TEST_CREDENTIALS, cors = true } = {}) {
  const { SignatureV4 } = await tool('@smithy/signature-v4');
  const { Sha256 } = await tool('@aws-crypto/sha256-js').catch(() => ({}));
  const signer = new SignatureV4({ service: 'connect', region, credentials, sha256: Sha256 ?? NodeSha256, applyChecksum: false });
  const requests = [];
  const queue = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (cors) {
        res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
        res.setHeader('access-control-expose-headers', 'x-amzn-requestid,x-amzn-errortype');
      }
      if (req.method === 'OPTIONS') {
        res.setHeader('access-control-allow-methods', 'POST');
        res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '');
        res.end();
        return;
      }
      if (req.url.startsWith('/static/')) return (server.onStatic ?? (() => { res.statusCode = 404; res.end(); }))(req, res);
      const record = { method: req.method, path: req.url, headers: { ...req.headers }, body, signatureValid: false };
      requests.push(record);
      try {
        record.signatureValid = await verify(req, body);
      } catch (e) {
        record.verifyError = String(e);
      }
      const next = queue.shift() ?? defaultResponse;
      const { status, headers, body: out } = next(record);
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${requests.length}`, ...headers });
      res.end(out);
    });
  });

  async function verify(req, body) {
    const auth = req.headers.authorization ?? '';
    const m = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})/.exec(auth);
    if (!m) return false;
    const signed = m[5].split(';');
    const headers = {};
    for (const name of signed) headers[name] = req.headers[name];
    const amzDate = req.headers['x-amz-date'];
    const date = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const [path, query] = req.url.split('?');
    const unsignable = Object.fromEntries(Object.keys(req.headers).filter((h) => !signed.includes(h)).map((h) => [h, true]));
    const out = await signer.sign(
      { method: req.method, protocol: 'http:', hostname: req.headers.host.split(':')[0], port: Number(req.headers.host.split(':')[1]) || undefined,
        path, query: query ? Object.fromEntries(new URLSearchParams(query)) : undefined, headers, body },
      { signingDate: date, unsignableHeaders: new Set(Object.keys(unsignable)) },
    );
    return out.headers.authorization === auth && m[1] === credentials.accessKeyId;
  }

  let contacts = 0;
  function defaultResponse(record) {
    if (!record.signatureValid) {
      return { status: 403, headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
        body: JSON.stringify({ message: 'The request signature we calculated does not match the signature you provided.' }) };
    }
    contacts += 1;
    return { status: 200, headers: {}, body: JSON.stringify({ InitialContactId: `contact-${contacts}`, NewChatCreated: true }) };
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    server,
    /** Queue a response function for the next request: (record) => ({ status, headers, body }). */
    respond(fn) { queue.push(fn); },
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
