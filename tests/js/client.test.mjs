// ConnectChatClient from the installed package, in Node, against the mock Amazon Connect (which checks
// every signature with the AWS SDK's own signer): results, wire shape, errors, abort, config, secrets.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import util from 'node:util';
import { importPackage } from './support/app.mjs';
import { startMockConnect, TEST_CREDENTIALS } from './support/mock-connect.mjs';

const { ConnectChatClient } = await importPackage();

const SECRET = TEST_CREDENTIALS.secretAccessKey;
const INPUT = Object.freeze({ SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hi ✓ 👋' },
  NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: 'Ann' }, Attributes: { 'order-id': '42', empty: '' } } });
const DISCONNECT = Object.freeze({ SourceId: 'customer-1', DestinationId: 'chat-system-1', Event: { Type: 'DISCONNECT' } });

// Headers Node's fetch (undici) adds by itself; everything else on the wire came from the client.
const FETCH_DEFAULTS = new Set(['connection', 'accept', 'accept-language', 'sec-fetch-mode', 'user-agent', 'accept-encoding', 'content-length']);

let mock;
before(async () => { mock = await startMockConnect(); });
after(async () => { await mock.close(); });

// One attempt per call: these tests are about one request and its response (retries are tested elsewhere).
const client = (extra = {}) => new ConnectChatClient({ region: 'us-east-1', endpoint: mock.url, credentials: TEST_CREDENTIALS, maxAttempts: 1, ...extra });
const signedHeaders = (auth) => /SignedHeaders=([^,]+),/.exec(auth)[1].split(';');

/** Asserts a value, its JSON and its inspection never carry the secret. */
function assertNoSecret(value, what, secret = SECRET) {
  const texts = [util.inspect(value, { showHidden: true, depth: 10, getters: true })];
  try { texts.push(JSON.stringify(value) ?? ''); } catch { /* cyclic: inspect covers it */ }
  if (value instanceof Error) texts.push(value.message, String(value.stack));
  for (const t of texts) assert.ok(!t.includes(secret), `${what} leaks the secret access key`);
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

test('success: result shape, and the request the mock verified', async () => {
  const n = mock.requests.length;
  const out = await client().sendChatIntegrationEvent(INPUT);
  assert.deepEqual(Object.keys(out).sort(), ['$metadata', 'InitialContactId', 'NewChatCreated']);
  assert.match(out.InitialContactId, /^contact-\d+$/);
  assert.equal(out.NewChatCreated, true);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.equal(out.$metadata.requestId, `req-${n + 1}`);
  assert.equal(out.$metadata.attempts, 1);
  assert.equal(out.$metadata.totalRetryDelay, 0);
  assert.equal(mock.requests.length, n + 1);
  const req = mock.requests[n];
  assert.equal(req.signatureValid, true, req.verifyError);
  assert.equal(req.method, 'POST');
  assert.equal(req.path, '/chat-integration-event');
  assert.deepEqual(JSON.parse(req.body), INPUT);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.equal(Buffer.byteLength(req.body), Number(req.headers['content-length']));
  const own = Object.keys(req.headers).filter((h) => !FETCH_DEFAULTS.has(h)).sort();
  assert.deepEqual(own, ['authorization', 'content-type', 'host', 'x-amz-date']);
  assert.deepEqual(signedHeaders(req.headers.authorization), ['content-type', 'host', 'x-amz-date']);
  assert.match(req.headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST000001\/\d{8}\/us-east-1\/connect\/aws4_request, /);
  // The signing time is now.
  const d = req.headers['x-amz-date'];
  const t = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +d.slice(9, 11), +d.slice(11, 13), +d.slice(13, 15));
  assert.ok(Math.abs(Date.now() - t) < 60_000, `x-amz-date ${d} is now`);
  assertNoSecret(out, 'the result');
});

test('default config (retries on): the request also carries a signed amz-sdk-request header, still no user-agent', async () => {
  const n = mock.requests.length;
  const c = new ConnectChatClient({ region: 'us-east-1', endpoint: mock.url, credentials: TEST_CREDENTIALS });
  const out = await c.sendChatIntegrationEvent(DISCONNECT);
  assert.equal(out.$metadata.attempts, 1);
  const req = mock.requests[n];
  assert.equal(req.signatureValid, true, req.verifyError);
  const own = Object.keys(req.headers).filter((h) => !FETCH_DEFAULTS.has(h)).sort();
  assert.deepEqual(own, ['amz-sdk-request', 'authorization', 'content-type', 'host', 'x-amz-date']);
  assert.equal(req.headers['amz-sdk-request'], `attempt=1; max=${c.maxAttempts}`);
  assert.deepEqual(signedHeaders(req.headers.authorization), ['amz-sdk-request', 'content-type', 'host', 'x-amz-date']);
});

test('session token: x-amz-security-token is sent and signed, never user-agent', async () => {
  const n = mock.requests.length;
  const creds = { ...TEST_CREDENTIALS, sessionToken: 'FwoGZXIvYXdzE//session+token==' };
  await client({ credentials: creds }).sendChatIntegrationEvent(DISCONNECT);
  const req = mock.requests[n];
  assert.equal(req.signatureValid, true, req.verifyError);
  assert.equal(req.headers['x-amz-security-token'], creds.sessionToken);
  const own = Object.keys(req.headers).filter((h) => !FETCH_DEFAULTS.has(h)).sort();
  assert.deepEqual(own, ['authorization', 'content-type', 'host', 'x-amz-date', 'x-amz-security-token']);
  const signed = signedHeaders(req.headers.authorization);
  assert.deepEqual(signed, ['content-type', 'host', 'x-amz-date', 'x-amz-security-token']);
  assert.ok(!signed.includes('user-agent'));
});

test('credentials as an async provider and as a sync function; provider called per send', async () => {
  let calls = 0;
  const asyncClient = client({ credentials: async () => { calls += 1; await new Promise((r) => setTimeout(r, 5)); return { ...TEST_CREDENTIALS }; } });
  const syncClient = client({ credentials: () => { calls += 1; return { ...TEST_CREDENTIALS }; } });
  const n = mock.requests.length;
  assert.equal((await asyncClient.sendChatIntegrationEvent(DISCONNECT)).NewChatCreated, true);
  assert.equal((await syncClient.sendChatIntegrationEvent(DISCONNECT)).NewChatCreated, true);
  assert.equal((await asyncClient.sendChatIntegrationEvent(DISCONNECT)).NewChatCreated, true);
  // A provider's result is cached per client (refreshed before `expiration`), so one call per client.
  assert.equal(calls, 2);
  assert.deepEqual(mock.requests.slice(n).map((r) => r.signatureValid), [true, true, true]);
  // A provider that fails, or returns garbage, gives CredentialsProviderError and sends nothing.
  const m = mock.requests.length;
  const failing = [
    [async () => { throw new Error('sso expired'); }, /sso expired/],
    [() => { throw new Error('sync boom'); }, /sync boom/],
    [async () => 5, /credentials\(\)/],
    [async () => ({ accessKeyId: 'AKID' }), /secretAccessKey/],
  ];
  for (const [provider, re] of failing) {
    const e = await rejection(client({ credentials: provider }).sendChatIntegrationEvent(DISCONNECT));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'CredentialsProviderError');
    assert.match(e.message, re);
  }
  assert.equal(mock.requests.length, m);
});

const ERRORS = [
  { status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestException' }, body: { Message: 'bad event', Reason: { AttachedFileInvalidRequestExceptionReason: 'INVALID_FILE_NAME' } },
    name: 'InvalidRequestException', message: 'bad event', fault: 'client', retryable: undefined, reason: { AttachedFileInvalidRequestExceptionReason: 'INVALID_FILE_NAME' } },
  { status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: { message: 'not allowed' },
    name: 'AccessDeniedException', message: 'not allowed', fault: 'client', retryable: undefined },
  { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.connect/' }, body: { Message: 'no such instance' },
    name: 'ResourceNotFoundException', message: 'no such instance', fault: 'client', retryable: undefined },
  { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message: 'Rate exceeded' },
    name: 'ThrottlingException', message: 'Rate exceeded', fault: 'client', retryable: { throttling: true } },
  { status: 500, headers: { 'x-amzn-errortype': 'InternalServiceException' }, body: { Message: 'oops' },
    name: 'InternalServiceException', message: 'oops', fault: 'server', retryable: { throttling: false } },
  // Unmodeled: a proxy's 502 with an HTML body and no code.
  { status: 502, headers: { 'content-type': 'text/html' }, raw: '<html><body>502 Bad Gateway</body></html>',
    name: 'UnknownError', message: /502/, fault: 'server', retryable: { throttling: false } },
  // Where the code comes from: body `code`, body `__type` (with namespace), header wins over body.
  { status: 404, headers: {}, body: { code: 'ResourceNotFoundException', message: 'from code' },
    name: 'ResourceNotFoundException', message: 'from code', fault: 'client', retryable: undefined },
  { status: 403, headers: {}, body: { __type: 'com.amazonaws.connect#AccessDeniedException', Message: 'from __type' },
    name: 'AccessDeniedException', message: 'from __type', fault: 'client', retryable: undefined },
  { status: 400, headers: { 'X-Amzn-ErrorType': 'InvalidRequestException' }, body: { code: 'AccessDeniedException', __type: 'ThrottlingException', message: 'header wins' },
    name: 'InvalidRequestException', message: 'header wins', fault: 'client', retryable: undefined },
  { status: 400, headers: {}, body: { code: 'InvalidRequestException', __type: 'ThrottlingException', message: 'code beats __type' },
    name: 'InvalidRequestException', message: 'code beats __type', fault: 'client', retryable: undefined },
  { status: 403, headers: { 'x-amzn-errortype': 'ExpiredTokenException' }, body: { message: 'The security token included in the request is expired' },
    name: 'ExpiredTokenException', message: /expired/, fault: 'client', retryable: undefined },
];

for (const c of ERRORS) {
  test(`service error ${c.status} → ${c.name} (${JSON.stringify(c.headers)} ${c.raw ?? JSON.stringify(c.body)})`, async () => {
    const body = c.raw ?? JSON.stringify(c.body);
    mock.respond(() => ({ status: c.status, headers: { 'x-amzn-requestid': 'rid-error-1', ...c.headers }, body }));
    const n = mock.requests.length;
    const e = await rejection(client().sendChatIntegrationEvent(DISCONNECT));
    assert.equal(mock.requests[n].signatureValid, true);
    assert.ok(e instanceof Error, 'a real Error');
    assert.equal(e.name, c.name);
    if (c.message instanceof RegExp) assert.match(e.message, c.message); else assert.equal(e.message, c.message);
    assert.equal(e.$fault, c.fault);
    assert.deepEqual(e.$retryable, c.retryable);
    assert.equal(e.$metadata.httpStatusCode, c.status);
    assert.equal(e.$metadata.requestId, 'rid-error-1');
    assert.equal(e.$metadata.attempts, 1);
    assert.equal(e.$response.statusCode, c.status);
    assert.equal(e.$response.body, body);
    assert.equal(e.$response.headers['x-amzn-requestid'], 'rid-error-1');
    if (c.reason) assert.deepEqual(e.Reason, c.reason);
    if (c.body && !c.raw && c.name === 'InvalidRequestException') assert.equal(e.Message, c.message);
    assertNoSecret(e, `${c.name} error`);
  });
}

test('wrong secret → the mock rejects the signature → InvalidSignatureException', async () => {
  const n = mock.requests.length;
  const wrong = 'wrong+secret+that+must+not+leak+0000000';
  const e = await rejection(client({ credentials: { ...TEST_CREDENTIALS, secretAccessKey: wrong } }).sendChatIntegrationEvent(DISCONNECT));
  assert.equal(mock.requests[n].signatureValid, false);
  assert.equal(e.name, 'InvalidSignatureException');
  assert.match(e.message, /signature/);
  assert.equal(e.$fault, 'client');
  assert.equal(e.$metadata.httpStatusCode, 403);
  assertNoSecret(e, 'InvalidSignatureException', wrong);
});

test('abortSignal already aborted → AbortError', async () => {
  const ac = new AbortController();
  ac.abort();
  const n = mock.requests.length;
  const e = await rejection(client().sendChatIntegrationEvent(DISCONNECT, { abortSignal: ac.signal }));
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'AbortError');
  assert.equal(mock.requests.length, n, 'nothing reached the server');
});

test('abortSignal aborted mid-flight while the server is slow → AbortError', async () => {
  const arrived = [];
  const slow = http.createServer((req) => { arrived.push(req.url); /* never answers */ });
  await new Promise((r) => slow.listen(0, '127.0.0.1', r));
  try {
    const ac = new AbortController();
    const c = new ConnectChatClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${slow.address().port}`, credentials: TEST_CREDENTIALS });
    const p = c.sendChatIntegrationEvent(DISCONNECT, { abortSignal: ac.signal });
    const started = Date.now();
    while (arrived.length === 0 && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(arrived, ['/chat-integration-event'], 'the request reached the slow server');
    ac.abort();
    const e = await rejection(p);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'AbortError');
    assert.ok(Date.now() - started < 5000);
  } finally {
    slow.closeAllConnections();
    await new Promise((r) => slow.close(r));
  }
});

test('invalid input → ChatEventValidationError, nothing is sent', async () => {
  const n = mock.requests.length;
  let fetched = 0;
  const bad = [
    { SourceId: '', DestinationId: 'b', Event: { Type: 'MESSAGE' } },
    { SourceId: 'a', DestinationId: 'b', Event: { Type: 'FOO' } },
    null,
    'a string',
    { SourceId: 'not-e164', DestinationId: 'b', Subtype: 'connect:sms', Event: { Type: 'DISCONNECT' } },
  ];
  for (const input of bad) {
    const e = await rejection(client({ fetch: async () => { fetched += 1; throw new Error('must not fetch'); } }).sendChatIntegrationEvent(input));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'ChatEventValidationError');
    assert.equal(e.$fault, 'client');
    assert.ok(Array.isArray(e.issues) && e.issues.length > 0);
    for (const i of e.issues) assert.deepEqual(Object.keys(i).sort(), ['code', 'message', 'path']);
    const e2 = await rejection(client().sendChatIntegrationEvent(input));
    assert.equal(e2.name, 'ChatEventValidationError');
  }
  const first = await rejection(client().sendChatIntegrationEvent(bad[0]));
  assert.deepEqual(first.issues.map((i) => `${i.path}:${i.code}`).sort(), ['Event.Content:required', 'Event.ContentType:required', 'SourceId:length']);
  assert.equal(fetched, 0);
  assert.equal(mock.requests.length, n);
});

test('the input is read at call time: later mutation does not change what is sent', async () => {
  const n = mock.requests.length;
  const input = structuredClone(DISCONNECT);
  const p = client().sendChatIntegrationEvent(input);
  input.SourceId = 'mutated';
  await p;
  assert.equal(JSON.parse(mock.requests[n].body).SourceId, 'customer-1');
});

test('a custom fetch option is used (with url and init), not the global fetch', async () => {
  const calls = [];
  const realFetch = globalThis.fetch;
  let globalCalls = 0;
  globalThis.fetch = (...a) => { globalCalls += 1; return realFetch(...a); };
  try {
    const c = new ConnectChatClient({ region: 'us-east-1', endpoint: 'https://connect.example.test/base', credentials: TEST_CREDENTIALS, maxAttempts: 1,
      fetch: async (url, init) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ InitialContactId: 'from-custom-fetch', NewChatCreated: false }), { status: 200, headers: { 'x-amzn-RequestId': 'custom-rid' } });
      } });
    const out = await c.sendChatIntegrationEvent(DISCONNECT);
    assert.equal(out.InitialContactId, 'from-custom-fetch');
    assert.equal(out.NewChatCreated, false);
    assert.equal(out.$metadata.requestId, 'custom-rid');
    assert.equal(calls.length, 1);
    assert.equal(typeof calls[0].url, 'string');
    assert.equal(calls[0].url, 'https://connect.example.test/base/chat-integration-event');
    assert.equal(calls[0].init.method, 'POST');
    assert.deepEqual(JSON.parse(calls[0].init.body), DISCONNECT);
    const h = calls[0].init.headers;
    assert.deepEqual(Object.keys(h).sort(), ['authorization', 'content-type', 'x-amz-date']);
    assert.equal(globalCalls, 0);
    // Issue 14: without the option, Node sends through the package's keep-alive node:http
    // transport, not the global fetch (browsers and workers use the global fetch).
    await client().sendChatIntegrationEvent(DISCONNECT);
    assert.equal(globalCalls, 0);
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('a network failure rejects with the fetch error (plus $metadata), not a crash', async () => {
  const c = new ConnectChatClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: TEST_CREDENTIALS });
  const e = await rejection(c.sendChatIntegrationEvent(DISCONNECT));
  assert.ok(e instanceof Error);
  // Connection errors are retried up to maxAttempts (default 3).
  assert.equal(e.$metadata.attempts, c.maxAttempts);
  assertNoSecret(e, 'network error');
  // The client still works afterwards.
  assert.equal((await client().sendChatIntegrationEvent(DISCONNECT)).NewChatCreated, true);
});

test('constructor configuration errors are typed Errors', () => {
  const cases = [
    [{ region: '', credentials: TEST_CREDENTIALS }, 'ConfigurationError', /region/],
    [{ region: 'us-east-1', credentials: null }, 'ConfigurationError', /credentials is required/],
    [{ region: 'us-east-1', credentials: { accessKeyId: 'AKID' } }, 'ConfigurationError', /secretAccessKey/],
    [{ region: 'us-east-1', credentials: { secretAccessKey: SECRET } }, 'ConfigurationError', /accessKeyId/],
    [{ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 42 } }, 'ConfigurationError', /secretAccessKey must be a string/],
    [{ region: 'us-east-1', credentials: 'AKID:SECRET' }, 'ConfigurationError', /credentials/],
    [{ region: 'us-east-1', credentials: TEST_CREDENTIALS, fetch: 'fetch' }, 'ConfigurationError', /fetch must be a function/],
    [{ region: 'us-east-1', credentials: TEST_CREDENTIALS, fetch: {} }, 'ConfigurationError', /fetch must be a function/],
    [{ region: 'us-east-1', credentials: TEST_CREDENTIALS, useFipsEndpoint: true, endpoint: 'https://example.com' }, 'EndpointError', /FIPS/],
    [{ region: 'us-east-1', credentials: TEST_CREDENTIALS, useDualstackEndpoint: true, endpoint: 'https://example.com' }, 'EndpointError', /[Dd]ual/],
    [{ region: 'us-east-1', credentials: TEST_CREDENTIALS, useFipsEndpoint: 'yes' }, 'ConfigurationError', /useFipsEndpoint must be a boolean/],
    [{ region: 'us-east-1', credentials: TEST_CREDENTIALS, endpoint: 42 }, 'ConfigurationError', /endpoint/],
    [undefined, 'ConfigurationError', /configuration/],
    [null, 'ConfigurationError', /configuration/],
  ];
  for (const [config, name, re] of cases) {
    let err;
    try { new ConnectChatClient(config); } catch (e) { err = e; }
    assert.ok(err instanceof Error, `${JSON.stringify(config)} throws an Error`);
    assert.equal(err.name, name, `${JSON.stringify(config)}: ${err.message}`);
    assert.match(err.message, re);
    assert.equal(err.$fault, 'client');
    assertNoSecret(err, `config error ${err.message}`);
  }
});

test('missing region or credentials in Node with nothing configured: typed errors naming where it looked', async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFileSync } = await import('node:child_process');
  const { appDir } = await import('./support/app.mjs');
  const home = mkdtempSync(join(tmpdir(), 'cce-empty-home-'));
  const code = `import { ConnectChatClient } from 'connect-chat-events';
    const out = {};
    try { new ConnectChatClient({ credentials: { accessKeyId: 'AKID', secretAccessKey: ${JSON.stringify(SECRET)} } }); } catch (e) { out.region = [e.name, e.message]; }
    const c = new ConnectChatClient({ region: 'us-east-1', fetch: async () => new Response('{}') });
    try { await c.sendChatIntegrationEvent(${JSON.stringify(DISCONNECT)}); out.creds = 'sent'; } catch (e) { out.creds = [e.name, e.message]; }
    console.log(JSON.stringify(out));`;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', code],
    { cwd: appDir, env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8' });
  assert.ok(!stdout.includes(SECRET));
  const out = JSON.parse(stdout);
  assert.equal(out.region[0], 'ConfigurationError');
  assert.match(out.region[1], /region/);
  assert.match(out.region[1], /AWS_REGION/);
  assert.equal(out.creds[0], 'CredentialsProviderError');
  assert.match(out.creds[1], /AWS_ACCESS_KEY_ID/);
});

test('endpoint and region getters: defaults, FIPS, dual-stack, custom URL object', () => {
  const c = (cfg) => new ConnectChatClient({ credentials: TEST_CREDENTIALS, ...cfg });
  assert.equal(c({ region: 'us-west-2' }).endpoint, 'https://connect.us-west-2.amazonaws.com');
  assert.equal(c({ region: 'us-east-1', useFipsEndpoint: true }).endpoint, 'https://connect-fips.us-east-1.amazonaws.com');
  assert.equal(c({ region: 'eu-west-2', useDualstackEndpoint: true }).endpoint, 'https://connect.eu-west-2.api.aws');
  assert.equal(c({ region: 'cn-north-1' }).endpoint, 'https://connect.cn-north-1.amazonaws.com.cn');
  const local = c({ region: 'ap-southeast-2', endpoint: new URL(mock.url) });
  assert.equal(local.region, 'ap-southeast-2');
  assert.ok(local.endpoint.startsWith(mock.url));
});

test('JSON.stringify, util.inspect and toJSON of clients never show the secret', async () => {
  const token = 'session-token-also-secret-123';
  const clients = [
    client(),
    client({ credentials: { ...TEST_CREDENTIALS, sessionToken: token } }),
    client({ credentials: async () => TEST_CREDENTIALS }),
  ];
  for (const c of clients) {
    assertNoSecret(c, 'client');
    assertNoSecret(c, 'client', token);
    assertNoSecret(c, 'client', TEST_CREDENTIALS.accessKeyId);
    const j = JSON.parse(JSON.stringify(c));
    assert.ok(['credentials', 'endpoint', 'region'].every((k) => k in j), JSON.stringify(j));
    assert.ok(Object.values(j).every((v) => typeof v !== 'object'), 'a flat, redacted view');
    assert.equal(j.region, 'us-east-1');
    assert.equal(j.endpoint, mock.url);
    assert.equal(typeof j.credentials, 'string');
    assert.doesNotMatch(util.inspect(c, { showHidden: true, depth: 20 }), /local\+test|session-token/);
  }
  assert.notEqual(JSON.parse(JSON.stringify(clients[0])).credentials, JSON.parse(JSON.stringify(clients[2])).credentials,
    'toJSON tells static credentials and a provider apart');
});

test('free() releases the client; using it afterwards throws an Error, not a wasm trap', async () => {
  const c = client();
  c.free();
  let err;
  try { await c.sendChatIntegrationEvent(DISCONNECT); } catch (e) { err = e; }
  assert.ok(err instanceof Error);
  // The module is not poisoned.
  assert.equal((await client().sendChatIntegrationEvent(DISCONNECT)).NewChatCreated, true);
});

test('concurrent sends from one client all succeed and are signed', async () => {
  const n = mock.requests.length;
  const c = client({ credentials: async () => TEST_CREDENTIALS });
  const outs = await Promise.all(Array.from({ length: 20 }, (_, i) => c.sendChatIntegrationEvent({ ...DISCONNECT, SourceId: `s-${i}` })));
  assert.equal(outs.length, 20);
  assert.ok(outs.every((o) => o.NewChatCreated === true));
  const reqs = mock.requests.slice(n);
  assert.equal(reqs.length, 20);
  assert.ok(reqs.every((r) => r.signatureValid));
  assert.deepEqual(reqs.map((r) => JSON.parse(r.body).SourceId).sort(), Array.from({ length: 20 }, (_, i) => `s-${i}`).sort());
});
