// The Node transport (js/node/transport.cjs, shipped as node/transport.cjs in the package) against
// servers on 127.0.0.1: responses, aborts and timeouts, connection errors as NetworkError, keep-alive
// reuse and idle closes, HTTPS with a self-signed certificate made now, the pool bound, the body cap,
// and the package's client sending through it to the local endpoint.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkgDir, importPackage } from './support/app.mjs';

const transportPath = join(pkgDir, 'node', 'transport.cjs');
const { createNodeTransport, nodeTransport, NetworkError } = createRequire(import.meta.url)(transportPath);
const T = { timeout: 15_000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A server on 127.0.0.1 that counts connections (total, open now, most open at once). */
async function serve(handler, { tls, keepAliveTimeout = 5000 } = {}) {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.keepAliveTimeout = keepAliveTimeout;
  const stats = { connections: 0, open: 0, maxOpen: 0, requests: [] };
  server.on(tls ? 'secureConnection' : 'connection', (s) => {
    stats.connections += 1;
    stats.open += 1;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    s.on('close', () => { stats.open -= 1; });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`;
  return {
    url,
    stats,
    server,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
  };
}
/** Reads the request body, then `respond(req, res, body)`. */
const withBody = (respond) => (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
};
const ok = withBody((req, res, body) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' });
  res.end(JSON.stringify({ method: req.method, path: req.url, body, headers: req.headers }));
});

const cleanups = [];
after(async () => { for (const f of cleanups.reverse()) await f(); });
async function fresh(handler, opts, transportOpts) {
  const srv = await serve(handler, opts);
  const t = createNodeTransport(transportOpts);
  cleanups.push(() => { t.close(); return srv.close(); });
  return { srv, t };
}

describe('responses', () => {
  test('status, headers and a UTF-8 body split across chunks; the request arrives as sent', T, async () => {
    const { srv, t } = await fresh(withBody((req, res, body) => {
      res.writeHead(201, [['Content-Type', 'application/json'], ['X-Amzn-RequestId', 'abc'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']]);
      const text = JSON.stringify({ body, host: req.headers.host, len: req.headers['content-length'], m: req.method, p: req.url, x: req.headers['x-amz-date'] });
      const bytes = Buffer.from(`${text}é€😀`);
      // Split inside the 4-byte emoji: the transport must decode the whole body, not chunk by chunk.
      res.write(bytes.subarray(0, bytes.length - 2));
      setTimeout(() => res.end(bytes.subarray(bytes.length - 2)), 20);
    }));
    const port = new URL(srv.url).port;
    const r = await t(`${srv.url}/chat-integration-event?x=1`, {
      method: 'POST', headers: { 'x-amz-date': '20260101T000000Z', host: `127.0.0.1:${port}` }, body: '{"k":"ü"}',
    });
    assert.equal(r.status, 201);
    assert.equal(r.ok, true);
    assert.equal(r.headers.get('x-amzn-requestid'), 'abc');
    assert.equal(r.headers.get('X-AMZN-REQUESTID'), 'abc');
    assert.equal(r.headers.get('set-cookie'), 'a=1, b=2');
    assert.equal(r.headers.get('absent'), null);
    const seen = [];
    r.headers.forEach((v, k) => seen.push([k, v]));
    assert.deepEqual(seen, [...r.headers.entries()]);
    assert.deepEqual(seen, [...r.headers]);
    assert.ok(seen.some(([k, v]) => k === 'content-type' && v === 'application/json'));
    const text = await r.text();
    assert.ok(text.endsWith('é€😀'), text);
    const got = JSON.parse(text.slice(0, -4));
    assert.deepEqual(got, { body: '{"k":"ü"}', host: `127.0.0.1:${port}`, len: '10', m: 'POST', p: '/chat-integration-event?x=1', x: '20260101T000000Z' });
  });

  test('an error status is a response, not a rejection', T, async () => {
    const { srv, t } = await fresh((req, res) => { res.writeHead(429, { 'x-amzn-errortype': 'ThrottlingException' }); res.end('{"message":"slow down"}'); });
    const r = await t(srv.url, { method: 'POST', body: 'x' });
    assert.equal(r.status, 429);
    assert.equal(r.ok, false);
    assert.equal(r.headers.get('x-amzn-errortype'), 'ThrottlingException');
    assert.equal(await r.text(), '{"message":"slow down"}');
  });

  test('a body over maxResponseBytes rejects (with and without content-length)', T, async () => {
    const big = 'x'.repeat(2000);
    const { srv, t } = await fresh((req, res) => {
      if (req.url === '/cl') { res.writeHead(200, { 'content-length': big.length }); res.end(big); return; }
      res.writeHead(200); res.write(big.slice(0, 900)); setTimeout(() => res.end(big.slice(900)), 10);
    }, {}, { maxResponseBytes: 1000 });
    for (const path of ['/cl', '/chunked']) {
      await assert.rejects(t(srv.url + path, { method: 'GET' }), (e) => e instanceof NetworkError && e.code === 'ERR_RESPONSE_TOO_LARGE');
    }
    const r = await createNodeTransport({ maxResponseBytes: 4000 })(srv.url + '/cl', {});
    assert.equal((await r.text()).length, 2000);
  });

  test('bad options are TypeErrors naming the option', () => {
    assert.throws(() => createNodeTransport({ maxSocket: 3 }), { name: 'TypeError', message: /unknown option maxSocket/ });
    assert.throws(() => createNodeTransport({ maxSockets: 0 }), { name: 'TypeError', message: /maxSockets must be a positive integer/ });
    assert.throws(() => createNodeTransport({ idleTimeoutMs: 1.5 }), { name: 'TypeError', message: /idleTimeoutMs/ });
  });
});

describe('aborts and timeouts', () => {
  test('abort while waiting for the response destroys the request and rejects with the reason', T, async () => {
    const { srv, t } = await fresh(() => { /* never answers */ });
    const c = new AbortController();
    const reason = new Error('caller gave up');
    const p = t(srv.url, { method: 'POST', body: 'x', signal: c.signal });
    await sleep(50);
    assert.equal(srv.stats.open, 1);
    c.abort(reason);
    await assert.rejects(p, (e) => e === reason);
    for (let i = 0; i < 50 && srv.stats.open > 0; i++) await sleep(10);
    assert.equal(srv.stats.open, 0, 'the connection was closed');
  });

  test('abort without a reason rejects with an AbortError; mid-body abort too', T, async () => {
    const { srv, t } = await fresh((req, res) => { res.writeHead(200, { 'content-length': 100 }); res.write('partial'); });
    const c = new AbortController();
    const p = t(srv.url, { signal: c.signal });
    await sleep(80); // the headers and part of the body have arrived
    c.abort();
    await assert.rejects(p, (e) => e.name === 'AbortError' && e instanceof DOMException);
    for (let i = 0; i < 50 && srv.stats.open > 0; i++) await sleep(10);
    assert.equal(srv.stats.open, 0);
  });

  test('an already aborted signal rejects without connecting', T, async () => {
    const { srv, t } = await fresh(ok);
    await assert.rejects(t(srv.url, { signal: AbortSignal.abort(new Error('before')) }), { message: 'before' });
    await sleep(20);
    assert.equal(srv.stats.connections, 0);
  });

  test('a timeout signal (AbortSignal.timeout) ends a stalled request with its TimeoutError', T, async () => {
    const { srv, t } = await fresh(() => {});
    const t0 = Date.now();
    await assert.rejects(t(srv.url, { signal: AbortSignal.timeout(150) }), { name: 'TimeoutError' });
    const ms = Date.now() - t0;
    assert.ok(ms >= 100 && ms < 3000, `${ms} ms`);
  });
});

describe('connection errors are NetworkErrors with a code', () => {
  test('connection refused → ECONNREFUSED', T, async () => {
    const srv = await serve(ok);
    const url = srv.url;
    await srv.close();
    const t = createNodeTransport();
    const e = await t(url, { method: 'POST', body: 'x' }).then(() => null, (err) => err);
    assert.ok(e instanceof NetworkError && e instanceof Error);
    assert.equal(e.name, 'NetworkError');
    assert.equal(e.code, 'ECONNREFUSED');
    assert.equal(e.cause.code, 'ECONNREFUSED');
    assert.match(e.message, /ECONNREFUSED/);
  });

  test('connection reset before the response, and in the middle of the body → ECONNRESET', T, async () => {
    const { srv, t } = await fresh((req, res) => {
      if (req.url === '/mid') { res.writeHead(200, { 'content-length': 1000 }); res.write('part'); setTimeout(() => req.socket.destroy(), 20); return; }
      req.socket.destroy();
    });
    for (const path of ['/before', '/mid']) {
      const e = await t(srv.url + path, {}).then(() => null, (err) => err);
      assert.ok(e instanceof NetworkError, `${path}: ${e}`);
      assert.equal(e.code, 'ECONNRESET', path);
      assert.ok(e.cause instanceof Error);
    }
  });

  test('a kept-alive socket the server drops on the next request → NetworkError(reusedSocket), then a fresh socket works', T, async () => {
    const perSocket = new WeakMap();
    const { srv, t } = await fresh(withBody((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      if (n === 2) { req.socket.destroy(); return; }
      res.end('ok');
    }));
    assert.equal(await (await t(srv.url, { method: 'POST', body: 'a' })).text(), 'ok');
    const e = await t(srv.url, { method: 'POST', body: 'b' }).then(() => null, (err) => err);
    assert.ok(e instanceof NetworkError);
    assert.equal(e.code, 'ECONNRESET');
    assert.equal(e.reusedSocket, true);
    assert.equal(await (await t(srv.url, { method: 'POST', body: 'c' })).text(), 'ok');
    assert.equal(srv.stats.connections, 2);
  });
});

describe('keep-alive and the pool', () => {
  test('sequential requests reuse one connection', T, async () => {
    const { srv, t } = await fresh(ok);
    for (let i = 0; i < 20; i++) assert.equal((await t(srv.url, { method: 'POST', body: String(i) })).status, 200);
    assert.equal(srv.stats.connections, 1);
  });

  test('the server closing idle sockets (its keep-alive timeout) never fails the next request', T, async () => {
    const { srv, t } = await fresh(ok, { keepAliveTimeout: 150 });
    for (let round = 0; round < 3; round++) {
      await Promise.all(Array.from({ length: 4 }, (_, i) => t(srv.url, { method: 'POST', body: String(i) }).then((r) => r.text())));
      await sleep(300); // the server has closed every idle socket
      assert.equal(srv.stats.open, 0);
    }
    assert.equal((await t(srv.url, { method: 'POST', body: 'last' })).status, 200);
  });

  test('idle sockets close after idleTimeoutMs, before a long server keep-alive', T, async () => {
    const { srv, t } = await fresh(ok, { keepAliveTimeout: 30_000 }, { idleTimeoutMs: 150 });
    await (await t(srv.url, {})).text();
    assert.equal(srv.stats.open, 1);
    for (let i = 0; i < 100 && srv.stats.open > 0; i++) await sleep(20);
    assert.equal(srv.stats.open, 0, 'the client closed the idle socket');
    assert.equal((await t(srv.url, {})).status, 200);
    assert.equal(srv.stats.connections, 2);
  });

  test('a server\'s Keep-Alive: timeout= hint shorter than idleTimeoutMs closes the socket a second early', T, async () => {
    // Node's server announces `Keep-Alive: timeout=2` for 2.5 s; the pooled socket must go before.
    const { srv, t } = await fresh(ok, { keepAliveTimeout: 2500 });
    const r = await t(srv.url, {});
    assert.equal(r.headers.get('keep-alive'), 'timeout=2');
    const t0 = Date.now();
    for (let i = 0; i < 150 && srv.stats.open > 0; i++) await sleep(20);
    const ms = Date.now() - t0;
    assert.equal(srv.stats.open, 0);
    assert.ok(ms < 2000, `closed by the client after ${ms} ms, before the server's 2.5 s`);
    assert.equal((await t(srv.url, {})).status, 200);
  });

  test('at most maxSockets connections; queued requests wait, and a queued abort leaves the rest working', T, async () => {
    const { srv, t } = await fresh((req, res) => setTimeout(() => res.end('ok'), 40), {}, { maxSockets: 3 });
    const c = new AbortController();
    const ps = Array.from({ length: 12 }, (_, i) => t(srv.url, { signal: i === 10 ? c.signal : undefined }));
    await sleep(10);
    c.abort(new Error('queued abort'));
    const rs = await Promise.allSettled(ps);
    assert.deepEqual(rs.map((r) => r.status), Array.from({ length: 12 }, (_, i) => (i === 10 ? 'rejected' : 'fulfilled')));
    assert.equal(rs[10].reason.message, 'queued abort');
    assert.equal(srv.stats.maxOpen, 3);
    assert.equal(srv.stats.connections, 3);
  });
});

describe('HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cce-transport-cert-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');

  test('a self-signed server: trusted with `ca` (one TLS connection for many requests), refused without', T, async () => {
    const { srv, t } = await fresh(ok, { tls: { cert, key } }, { ca: cert });
    for (let i = 0; i < 5; i++) {
      const r = await t(srv.url, { method: 'POST', body: `b${i}` });
      assert.equal(JSON.parse(await r.text()).body, `b${i}`);
    }
    assert.equal(srv.stats.connections, 1);
    const e = await createNodeTransport()(srv.url, {}).then(() => null, (err) => err);
    assert.ok(e instanceof NetworkError, String(e));
    assert.match(e.code, /SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  /** A fresh `node [flags] -e` that POSTs `body` to `url` through the default transport: { code, stdout, stderr }. */
  const sendFromChild = (url, body, { flags = [], env = {} } = {}) => {
    const script = `const { nodeTransport } = require(${JSON.stringify(transportPath)});
      nodeTransport(${JSON.stringify(url)}, { method: 'POST', body: ${JSON.stringify(body)} })
        .then((r) => r.text()).then((t) => { process.stdout.write(JSON.parse(t).body); process.exit(0); }, (e) => { console.error(e.code); process.exit(1); });`;
    return new Promise((resolve) => {
      execFile(process.execPath, [...flags, '-e', script], { env: { ...process.env, ...env }, timeout: 10_000 },
        (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
    });
  };

  test('the default transport trusts NODE_EXTRA_CA_CERTS (Node\'s CA store as usual)', T, async () => {
    const { srv } = await fresh(ok, { tls: { cert, key } });
    const good = await sendFromChild(srv.url, 'via-extra-ca', { env: { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } });
    assert.equal(good.stdout, 'via-extra-ca', good.stderr);
    const bad = await sendFromChild(srv.url, 'via-extra-ca', { env: { NODE_EXTRA_CA_CERTS: '' } });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /SELF_SIGNED|UNABLE_TO_VERIFY/);
  });

  // `node --use-openssl-ca` makes Node's CA store OpenSSL's, the operating system's (/etc/ssl/certs here;
  // SSL_CERT_FILE stands in for it, so the test does not touch the machine's store). The transport passes no
  // `ca` of its own, so it follows.
  test('the default transport trusts the system CA store under node --use-openssl-ca', T, async () => {
    const { srv } = await fresh(ok, { tls: { cert, key } });
    const env = { NODE_EXTRA_CA_CERTS: '', SSL_CERT_FILE: join(dir, 'cert.pem') };
    const good = await sendFromChild(srv.url, 'via-system-ca', { flags: ['--use-openssl-ca'], env });
    assert.equal(good.stdout, 'via-system-ca', good.stderr);
    const bad = await sendFromChild(srv.url, 'via-system-ca', { env });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /SELF_SIGNED|UNABLE_TO_VERIFY/);
  });
});

describe('the package client through the transport', () => {
  test('sends to the local endpoint (connect-chat-events/server)', T, async () => {
    const { ConnectChatClient } = await importPackage();
    const { startServer, LOCAL_CREDENTIALS } = await import(pathToFileURL(join(pkgDir, 'server', 'emulator.mjs')).href);
    const srv = await startServer({ port: 0 });
    const t = createNodeTransport();
    cleanups.push(() => { t.close(); return srv.close(); });
    const client = new ConnectChatClient({ region: 'us-east-1', endpoint: srv.url, credentials: LOCAL_CREDENTIALS, fetch: t });
    const input = {
      SourceId: '+14155550100',
      DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
      Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello through node:http' },
    };
    const first = await client.sendChatIntegrationEvent(input);
    assert.equal(first.NewChatCreated, true);
    assert.equal(first.$metadata.httpStatusCode, 200);
    assert.match(first.$metadata.requestId, /^[0-9a-f-]{36}$/);
    const second = await client.sendChatIntegrationEvent({ ...input, Event: { ...input.Event, Content: 'again' } });
    assert.equal(second.NewChatCreated, false);
    assert.equal(second.InitialContactId, first.InitialContactId);
    // A bad signature comes back as the endpoint's typed error, through the same transport.
    const wrong = new ConnectChatClient({ region: 'us-east-1', endpoint: srv.url, credentials: { ...LOCAL_CREDENTIALS, secretAccessKey: 'wrong-secret-key-wrong-secret-key-wrong0' }, fetch: t, maxAttempts: 1 });
    await assert.rejects(wrong.sendChatIntegrationEvent(input), (e) => e.$metadata.httpStatusCode === 403 && e.$response.statusCode === 403);
  });

  test('a dropped connection is retried by the client; a timeout ends a stalled attempt', T, async () => {
    const { ConnectChatClient } = await importPackage();
    let n = 0;
    const { srv, t } = await fresh(withBody((req, res) => {
      n += 1;
      if (n === 1) { req.socket.destroy(); return; }
      if (n === 3) return; // stalls: the client's requestTimeoutMs ends the attempt
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': `r${n}` });
      res.end('{"InitialContactId":"c1","NewChatCreated":true}');
    }));
    const client = new ConnectChatClient({
      region: 'us-east-1', endpoint: srv.url, fetch: t, requestTimeoutMs: 300,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    });
    const input = { SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef', Subtype: 'connect:sms', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x' } };
    const a = await client.sendChatIntegrationEvent(input);
    assert.equal(a.$metadata.attempts, 2);
    assert.equal(a.$metadata.requestId, 'r2');
    const b = await client.sendChatIntegrationEvent(input);
    assert.equal(b.$metadata.attempts, 2);
    assert.equal(b.$metadata.requestId, 'r4');
    // And with retries off, the transport's error is what the caller sees.
    const once = new ConnectChatClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', fetch: t, maxAttempts: 1, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } });
    await assert.rejects(once.sendChatIntegrationEvent(input), (e) => e.name === 'NetworkError' && e.code === 'ECONNREFUSED' && e.$metadata.attempts === 1);
  });
});

test('the default instance is one shared transport', T, async () => {
  const { srv } = await fresh(ok);
  for (let i = 0; i < 3; i++) assert.equal((await nodeTransport(srv.url, {})).status, 200);
  assert.equal(srv.stats.connections, 1);
});
