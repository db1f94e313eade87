// Production sending from the installed package in Node: retries (standard, adaptive, off, hook),
// back-off and the retry quota, amz-sdk-request, per-attempt timeouts, aborts during back-off,
// clock-skew correction, credential caching and refresh, the Node default credential chain,
// batches, and logging without secrets. Against tests/js/support/retry-server.mjs (127.0.0.1),
// which verifies every signature with the AWS SDK's signer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPackage } from './support/app.mjs';
import { startRetryServer, RETRY_CREDENTIALS } from './support/retry-server.mjs';

const { ConnectChatClient } = await importPackage();
const SECRET = RETRY_CREDENTIALS.secretAccessKey;
const INPUT = Object.freeze({ SourceId: 'customer-1', DestinationId: 'chat-system-1', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello' } });
const input = (i) => ({ ...INPUT, Event: { ...INPUT.Event, Content: `event ${i}` } });
const THROTTLE = Object.freeze({ status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message: 'Rate exceeded' } });
const err = (status, code, message = 'm') => ({ status, headers: code ? { 'x-amzn-errortype': code } : {}, body: { message } });

let server;
before(async () => { server = await startRetryServer(); });
after(async () => { await server.close(); });

const client = (extra = {}) => new ConnectChatClient({ region: 'us-east-1', endpoint: server.url, credentials: RETRY_CREDENTIALS, ...extra });
async function rejection(promise) {
  try { await promise; } catch (e) { return e; }
  assert.fail('expected a rejection');
}
function recorder() {
  const lines = [];
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((level) => [level, (msg, fields) => lines.push({ level, msg, fields })]));
  return { lines, logger };
}

test('throttling storm: retried with amz-sdk-request, then success; $metadata counts attempts and delay', async () => {
  server.reset();
  server.next(THROTTLE, THROTTLE);
  const { lines, logger } = recorder();
  const out = await client({ logger }).sendChatIntegrationEvent(INPUT);
  assert.equal(out.$metadata.attempts, 3);
  assert.equal(out.$metadata.httpStatusCode, 200);
  assert.ok(out.$metadata.totalRetryDelay >= 0 && out.$metadata.totalRetryDelay <= 500 + 1000);
  assert.deepEqual(server.requests.map((r) => r.headers['amz-sdk-request']), ['attempt=1; max=3', 'attempt=2; max=3', 'attempt=3; max=3']);
  assert.ok(server.requests.every((r) => r.signatureValid), 'every attempt is re-signed and valid');
  for (const r of server.requests) assert.ok(/SignedHeaders=[^,]*amz-sdk-request/.test(r.headers.authorization), 'the header is signed');
  const retries = lines.filter((l) => l.level === 'info');
  assert.equal(retries.length, 2);
  assert.match(retries[0].msg, /attempt 1\/3 failed with ThrottlingException \(THROTTLING\); retrying in \d+ ms/);
  const delays = retries.map((l) => l.fields.delay);
  assert.equal(delays.reduce((a, b) => a + b, 0), out.$metadata.totalRetryDelay);
  assert.ok(delays[0] < 500 && delays[1] < 1000, `full jitter under the throttling envelope: ${delays}`);
});

test('500/502/503/504 and InternalServiceException are retried; 501 and client errors are not', async () => {
  for (const e of [err(500, 'InternalServiceException'), err(502), err(503), err(504)]) {
    server.reset();
    server.next(e);
    const out = await client().sendChatIntegrationEvent(INPUT);
    assert.equal(out.$metadata.attempts, 2, `${e.status}`);
  }
  for (const [e, name] of [[err(501, 'NotImplemented'), 'NotImplemented'], [err(400, 'InvalidRequestException'), 'InvalidRequestException'],
    [err(403, 'AccessDeniedException'), 'AccessDeniedException'], [err(404, 'ResourceNotFoundException'), 'ResourceNotFoundException'],
    [err(403, 'UnrecognizedClientException'), 'UnrecognizedClientException']]) {
    server.reset();
    server.next(e);
    const x = await rejection(client().sendChatIntegrationEvent(INPUT));
    assert.equal(x.name, name);
    assert.equal(x.$metadata.attempts, 1, name);
    assert.equal(server.requests.length, 1, `${name} is not retried`);
  }
  // A wrong secret: InvalidSignatureException (clocks agree), never retried.
  server.reset();
  const x = await rejection(client({ credentials: { ...RETRY_CREDENTIALS, secretAccessKey: 'wrong+secret+000' } }).sendChatIntegrationEvent(INPUT));
  assert.equal(x.name, 'InvalidSignatureException');
  assert.equal(server.requests.length, 1);
});

test('max attempts: the last error surfaces with $metadata.attempts and totalRetryDelay', async () => {
  server.reset();
  server.handler = () => err(503, 'ServiceUnavailable', 'down');
  const x = await rejection(client({ maxAttempts: 4 }).sendChatIntegrationEvent(INPUT));
  assert.equal(x.name, 'ServiceUnavailable');
  assert.equal(x.$fault, 'server');
  assert.equal(x.$metadata.attempts, 4);
  assert.equal(x.$metadata.httpStatusCode, 503);
  assert.ok(x.$metadata.totalRetryDelay >= 0 && x.$metadata.totalRetryDelay <= 100 + 200 + 400);
  assert.deepEqual(server.requests.map((r) => r.headers['amz-sdk-request']), [1, 2, 3, 4].map((n) => `attempt=${n}; max=4`));
});

test('retryMode off and maxAttempts 1: one attempt and no amz-sdk-request header (simple CORS preflight)', async () => {
  for (const extra of [{ retryMode: 'off' }, { maxAttempts: 1 }]) {
    server.reset();
    server.next(THROTTLE);
    const c = client(extra);
    const x = await rejection(c.sendChatIntegrationEvent(INPUT));
    assert.equal(x.name, 'ThrottlingException');
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers['amz-sdk-request'], undefined);
    assert.equal(c.maxAttempts, 1);
  }
  assert.equal(client({ retryMode: 'adaptive' }).retryMode, 'adaptive');
  assert.equal(client().retryMode, 'standard');
  assert.equal(client().maxAttempts, 3);
});

test('dropped connections (socket.destroy) are retried; when all drop, the fetch error surfaces', async () => {
  server.reset();
  server.next({ drop: true }, { drop: true });
  const out = await client().sendChatIntegrationEvent(INPUT);
  assert.equal(out.$metadata.attempts, 3);
  server.reset();
  server.handler = () => ({ drop: true });
  const x = await rejection(client().sendChatIntegrationEvent(INPUT));
  assert.ok(x instanceof Error);
  // Issue 14: Node's default transport names a connection failure (not undici's bare TypeError).
  assert.equal(x.name, 'NetworkError');
  assert.match(x.code, /^E[A-Z]+$/);
  assert.ok(x.cause instanceof Error);
  assert.equal(x.$metadata.attempts, 3);
  assert.equal(server.requests.length, 3);
});

test('requestTimeoutMs: a slow attempt is cut off and retried; all slow → TimeoutError', async () => {
  server.reset();
  server.next({ delayMs: 2000, status: 200, body: {} });
  let t = Date.now();
  const out = await client({ requestTimeoutMs: 200 }).sendChatIntegrationEvent(INPUT);
  assert.equal(out.$metadata.attempts, 2);
  assert.ok(Date.now() - t < 1500, 'did not wait for the slow response');
  server.reset();
  server.handler = () => ({ hang: true });
  t = Date.now();
  const x = await rejection(client({ requestTimeoutMs: 150, maxAttempts: 2 }).sendChatIntegrationEvent(INPUT));
  assert.equal(x.name, 'TimeoutError');
  assert.match(x.message, /requestTimeoutMs \(150 ms\)/);
  assert.equal(x.$metadata.attempts, 2);
  assert.ok(Date.now() - t < 1500);
});

test('an abort during the back-off wait rejects at once with AbortError; nothing more is sent', async () => {
  server.reset();
  // x-amz-retry-after makes the back-off at least 3 s.
  server.handler = () => ({ ...THROTTLE, headers: { ...THROTTLE.headers, 'x-amz-retry-after': '3000' } });
  const ac = new AbortController();
  const { lines, logger } = recorder();
  const p = client({ logger }).sendChatIntegrationEvent(INPUT, { abortSignal: ac.signal });
  while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(lines.some((l) => /retrying in 3000 ms/.test(l.msg)), 'in back-off');
  const t = Date.now();
  ac.abort();
  const x = await rejection(p);
  assert.ok(Date.now() - t < 200, `rejected at once (${Date.now() - t} ms)`);
  assert.ok(x instanceof Error);
  assert.equal(x.name, 'AbortError');
  assert.equal(x.$metadata.attempts, 1);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(server.requests.length, 1);
});

test('an abort during a slow attempt (with requestTimeoutMs set) is an AbortError, not a timeout', async () => {
  server.reset();
  server.handler = () => ({ hang: true });
  const ac = new AbortController();
  const p = client({ requestTimeoutMs: 5000 }).sendChatIntegrationEvent(INPUT, { abortSignal: ac.signal });
  while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
  ac.abort(new Error('user cancelled'));
  const x = await rejection(p);
  assert.equal(x.name, 'AbortError');
  assert.equal(x.cause?.message, 'user cancelled');
  assert.equal(server.requests.length, 1);
});

test('shouldRetry hook: replaces the classification, gets (error, attempt), still bounded', async () => {
  server.reset();
  server.handler = () => err(503);
  const seen = [];
  let x = await rejection(client({ shouldRetry: (e, attempt) => { seen.push([e.name, e.$metadata.httpStatusCode, attempt]); return false; } }).sendChatIntegrationEvent(INPUT));
  assert.equal(x.$metadata.attempts, 1);
  assert.deepEqual(seen, [['UnknownError', 503, 1]]);
  server.reset();
  server.next(err(400, 'InvalidRequestException'));
  const out = await client({ shouldRetry: async (e) => e.name === 'InvalidRequestException' }).sendChatIntegrationEvent(INPUT);
  assert.equal(out.$metadata.attempts, 2);
  server.reset();
  server.handler = () => err(400, 'InvalidRequestException');
  x = await rejection(client({ maxAttempts: 2, shouldRetry: () => true }).sendChatIntegrationEvent(INPUT));
  assert.equal(x.$metadata.attempts, 2);
  server.reset();
  server.next(err(503));
  const { lines, logger } = recorder();
  x = await rejection(client({ logger, shouldRetry: () => { throw new Error('hook bug'); } }).sendChatIntegrationEvent(INPUT));
  assert.equal(x.$metadata.attempts, 1);
  assert.ok(lines.some((l) => l.level === 'warn' && /shouldRetry threw \(hook bug\)/.test(l.msg)));
});

test('retry quota: a long outage exhausts it (500 tokens, 10 per transient retry), then single attempts', async () => {
  server.reset();
  server.handler = () => err(500, 'InternalServiceException');
  const { lines, logger } = recorder();
  const c = client({ logger });
  const results = await Promise.allSettled(Array.from({ length: 30 }, () => c.sendChatIntegrationEvent(INPUT)));
  assert.ok(results.every((r) => r.status === 'rejected' && r.reason.name === 'InternalServiceException'));
  // 30 first attempts + exactly 50 retries (500 / 10).
  assert.equal(server.requests.length, 30 + 50);
  assert.ok(lines.some((l) => l.level === 'warn' && l.fields.reason === 'retry-quota-exhausted'));
  server.reset();
  server.handler = () => err(500, 'InternalServiceException');
  const x = await rejection(c.sendChatIntegrationEvent(INPUT));
  assert.equal(x.$metadata.attempts, 1, 'the quota stays empty');
  // Successes refill it, 1 token each; another client has its own quota.
  server.handler = undefined;
  for (let i = 0; i < 10; i++) await c.sendChatIntegrationEvent(INPUT);
  server.reset();
  server.next(err(500, 'InternalServiceException'));
  assert.equal((await c.sendChatIntegrationEvent(INPUT)).$metadata.attempts, 2, '10 tokens buy one retry');
  server.next(err(500, 'InternalServiceException'));
  assert.equal((await client().sendChatIntegrationEvent(INPUT)).$metadata.attempts, 2);
});

test('clock skew: "Signature expired" with a Date header → corrected, re-signed, sent once more; offset kept', async () => {
  server.reset();
  const { lines, logger } = recorder();
  const c = client({ systemClockOffset: -30 * 60_000, logger }); // the client clock is 30 minutes slow
  const out = await c.sendChatIntegrationEvent(INPUT);
  assert.equal(out.$metadata.attempts, 2);
  assert.equal(out.$metadata.totalRetryDelay, 0);
  assert.equal(server.requests[0].outcome, 403);
  assert.deepEqual(server.requests.map((r) => r.signatureValid), [true, true]);
  assert.ok(Math.abs(c.systemClockOffset) < 5_000, `offset now ${c.systemClockOffset}`);
  assert.ok(lines.some((l) => l.level === 'warn' && /clock skew/.test(l.msg)));
  assert.equal((await c.sendChatIntegrationEvent(INPUT)).$metadata.attempts, 1, 'kept for later calls');
  // The server's clock is ahead instead; also with retries off (the rejected request was not processed).
  server.reset();
  server.clockOffsetMs = 45 * 60_000;
  try {
    const off = client({ retryMode: 'off' });
    const o = await off.sendChatIntegrationEvent(INPUT);
    assert.equal(o.$metadata.attempts, 2);
    assert.ok(Math.abs(off.systemClockOffset - 45 * 60_000) < 5_000);
    // Only once per call: a server whose clock keeps jumping gets the error surfaced.
    server.reset();
    let jump = 45 * 60_000;
    server.handler = () => {
      jump += 20 * 60_000;
      return { status: 403, headers: { 'x-amzn-errortype': 'InvalidSignatureException', date: new Date(Date.now() + jump).toUTCString() },
        body: { message: 'Signature expired: 20240101T000000Z is now earlier than 20240101T000000Z (20240101T000000Z - 5 min.)' } };
    };
    const x = await rejection(off.sendChatIntegrationEvent(INPUT));
    assert.equal(x.name, 'InvalidSignatureException');
    assert.match(x.message, /Signature/);
    assert.equal(x.$metadata.attempts, 2);
  } finally {
    server.clockOffsetMs = 0;
  }
});

test('credential providers: cached until 5 min before expiration; concurrent sends share one refresh', async () => {
  server.reset();
  let calls = 0;
  let n = 0;
  const provider = async () => {
    calls += 1;
    n += 1;
    const key = { accessKeyId: `AKIDROTATING${String(n).padStart(8, '0')}`, secretAccessKey: `rotating+secret+${n}`, sessionToken: `token-${n}` };
    server.addKey(key);
    await new Promise((r) => setTimeout(r, 50));
    // Expires in 1 minute: already inside the 5-minute refresh window, so every later call refreshes.
    return { ...key, expiration: new Date(Date.now() + 60_000) };
  };
  const c = client({ credentials: provider });
  const outs = await Promise.all(Array.from({ length: 10 }, () => c.sendChatIntegrationEvent(INPUT)));
  assert.equal(outs.length, 10);
  assert.equal(calls, 1, 'one shared refresh');
  assert.ok(server.requests.every((r) => r.signatureValid && r.headers['x-amz-security-token'] === 'token-1'));
  await Promise.all(Array.from({ length: 5 }, () => c.sendChatIntegrationEvent(INPUT)));
  assert.equal(calls, 2, 'near expiry → refreshed once more for the next burst');
  assert.equal(server.requests.at(-1).headers['x-amz-security-token'], 'token-2');
  // Long-lived credentials are not fetched again.
  let longCalls = 0;
  const long = client({ credentials: async () => { longCalls += 1; return { ...RETRY_CREDENTIALS, expiration: new Date(Date.now() + 3_600_000) }; } });
  for (let i = 0; i < 3; i++) await long.sendChatIntegrationEvent(INPUT);
  assert.equal(longCalls, 1);
  // A failed refresh is not cached: the next call tries again.
  let fail = true;
  const flaky = client({ credentials: async () => { if (fail) { fail = false; throw new Error('sts down'); } return RETRY_CREDENTIALS; } });
  const x = await rejection(flaky.sendChatIntegrationEvent(INPUT));
  assert.equal(x.name, 'CredentialsProviderError');
  assert.match(x.message, /sts down/);
  assert.equal((await flaky.sendChatIntegrationEvent(INPUT)).$metadata.attempts, 1);
});

test('adaptive mode: throttling turns on the client-side rate limiter, which paces later sends', async () => {
  server.reset();
  const { lines, logger } = recorder();
  const c = client({ retryMode: 'adaptive', logger });
  // Warm up so the limiter measures a send rate, then a throttling storm.
  for (let i = 0; i < 20; i++) await c.sendChatIntegrationEvent(INPUT);
  server.next(THROTTLE, THROTTLE, THROTTLE, THROTTLE);
  const t = Date.now();
  const results = await c.sendChatIntegrationEvents(Array.from({ length: 12 }, (_, i) => input(i)), { concurrency: 4 });
  assert.ok(results.every((r) => r.status === 'fulfilled'), JSON.stringify(results.map((r) => r.reason?.name)));
  const delayed = lines.filter((l) => l.fields?.rateLimiterDelay > 0);
  assert.ok(delayed.length > 0, 'some sends waited for the rate limiter');
  assert.ok(Date.now() - t > 200, 'the burst was slowed down');
  // Standard mode has no limiter: the same storm only costs back-off.
  server.reset();
  const s = recorder();
  const std = client({ logger: s.logger });
  server.next(THROTTLE, THROTTLE, THROTTLE, THROTTLE);
  await std.sendChatIntegrationEvents(Array.from({ length: 12 }, (_, i) => input(i)), { concurrency: 4 });
  assert.equal(s.lines.filter((l) => l.fields?.rateLimiterDelay > 0).length, 0);
});

test('sendChatIntegrationEvents: results in input order, allSettled shape, concurrency respected', async () => {
  server.reset();
  // Faults on first attempts only (by item, not by arrival order), so each item fails at most once and
  // the test does not depend on how the client's connection pool recovers from dropped sockets.
  const item = (r) => Number(/event (\d+)/.exec(r.body)?.[1] ?? -1);
  const first = (r) => /attempt=1;/.test(r.headers['amz-sdk-request'] ?? '');
  server.handler = (r) => (first(r) && item(r) % 7 === 6 ? { drop: true }
    : first(r) && item(r) % 5 === 4 ? err(503) : { useDefault: true, delayMs: 10 });
  const inputs = Array.from({ length: 40 }, (_, i) => input(i));
  inputs[3] = { SourceId: '', DestinationId: 'x', Event: { Type: 'NOPE' } };
  const c = client({ maxAttempts: 5 });
  const results = await c.sendChatIntegrationEvents(inputs, { concurrency: 5 });
  assert.equal(results.length, 40);
  assert.deepEqual(Object.keys(results[0]).sort(), ['status', 'value']);
  assert.equal(results[3].status, 'rejected');
  assert.equal(results[3].reason.name, 'ChatEventValidationError');
  for (const [i, r] of results.entries()) {
    if (i === 3) continue;
    assert.equal(r.status, 'fulfilled', `${i}: ${r.reason?.name} ${r.reason?.message} ${r.reason?.cause?.code} ${JSON.stringify(r.reason?.$metadata)}`);
  }
  assert.ok(server.state.maxInFlight <= 5, `max in flight ${server.state.maxInFlight}`);
  // 39 valid items + 5 dropped + 7 answered 503 on their first attempt, each retried once.
  assert.equal(server.requests.length, 39 + 5 + 7);
  // Each delivered body is the input at that index.
  const delivered = new Set(server.requests.filter((r) => r.outcome === 200).map((r) => JSON.parse(r.body).Event.Content));
  for (let i = 0; i < 40; i++) if (i !== 3) assert.ok(delivered.has(`event ${i}`), `event ${i}`);
  // Iterables work; an abort settles every remaining item as AbortError; bad arguments reject.
  server.reset();
  server.handler = () => ({ useDefault: true, delayMs: 50 });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 80);
  const aborted = await c.sendChatIntegrationEvents(new Set(inputs.filter((_, i) => i !== 3)), { concurrency: 2, abortSignal: ac.signal });
  assert.equal(aborted.length, 39);
  assert.ok(aborted.filter((r) => r.status === 'fulfilled').length >= 1);
  assert.ok(aborted.slice(-10).every((r) => r.status === 'rejected' && r.reason.name === 'AbortError'));
  await assert.rejects(c.sendChatIntegrationEvents(5), /array/);
  await assert.rejects(c.sendChatIntegrationEvents([], { concurrency: 0 }), RangeError);
  assert.deepEqual(await c.sendChatIntegrationEvents([]), []);
});

test('the logger sees every attempt and never a secret, token or signature', async () => {
  server.reset();
  server.next(THROTTLE, { drop: true });
  const { lines, logger } = recorder();
  const creds = { accessKeyId: 'AKIDWITHTOKEN0000001', secretAccessKey: SECRET, sessionToken: 'session-token-must-not-leak' };
  server.addKey(creds);
  await client({ credentials: creds, logger }).sendChatIntegrationEvent(INPUT);
  const attempts = lines.filter((l) => /attempt \d\/3: POST/.test(l.msg)).map((l) => l.fields.attempt);
  assert.deepEqual(attempts, [1, 2, 3]);
  const text = JSON.stringify(lines);
  for (const secret of [SECRET, 'session-token-must-not-leak', ...server.requests.map((r) => /Signature=(\w+)/.exec(r.headers.authorization)[1])]) {
    assert.ok(!text.includes(secret), 'log leaks a secret');
  }
  assert.ok(!/authorization/i.test(text));
  // A logger with missing or throwing methods does not break sends.
  server.reset();
  server.next(THROTTLE);
  assert.equal((await client({ logger: { info() { throw new Error('x'); } } }).sendChatIntegrationEvent(INPUT)).$metadata.attempts, 2);
});

test('configuration errors for the retry options', () => {
  const cases = [
    [{ maxAttempts: 0 }, /maxAttempts must be an integer from 1 to 100/],
    [{ maxAttempts: 2.5 }, /maxAttempts/],
    [{ maxAttempts: '3' }, /maxAttempts must be a finite number/],
    [{ retryMode: 'legacy' }, /retryMode must be 'standard', 'adaptive' or 'off'/],
    [{ requestTimeoutMs: 0 }, /requestTimeoutMs/],
    [{ requestTimeoutMs: -5 }, /requestTimeoutMs/],
    [{ logger: 5 }, /logger must be an object/],
    [{ shouldRetry: true }, /shouldRetry must be a function/],
    [{ systemClockOffset: Infinity }, /systemClockOffset/],
  ];
  for (const [extra, re] of cases) {
    assert.throws(() => client(extra), (e) => e.name === 'ConfigurationError' && re.test(e.message), JSON.stringify(extra));
  }
  const j = JSON.parse(JSON.stringify(client({ retryMode: 'adaptive', maxAttempts: 5 })));
  assert.equal(j.retryMode, 'adaptive');
  assert.equal(j.maxAttempts, 5);
});

// --- Node's default credential chain (process.env is restored after each case)

const AWS_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_CREDENTIAL_EXPIRATION', 'HOME'];
async function withEnv(vars, fn) {
  const saved = Object.fromEntries(AWS_VARS.map((k) => [k, process.env[k]]));
  const home = mkdtempSync(join(tmpdir(), 'cce-home-'));
  for (const k of AWS_VARS) delete process.env[k];
  process.env.HOME = home;
  Object.assign(process.env, typeof vars === 'function' ? vars(home) : vars);
  try {
    return await fn(home);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    rmSync(home, { recursive: true, force: true });
  }
}
const noCreds = () => new ConnectChatClient({ endpoint: server.url });

test('default chain: environment variables, with region from AWS_REGION / AWS_DEFAULT_REGION', async () => {
  await withEnv({ AWS_ACCESS_KEY_ID: RETRY_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: 'us-east-1' }, async () => {
    server.reset();
    const c = noCreds();
    assert.equal(c.region, 'us-east-1');
    assert.equal((await c.sendChatIntegrationEvent(INPUT)).$metadata.attempts, 1);
    assert.ok(server.requests[0].signatureValid);
    assert.equal(JSON.parse(JSON.stringify(c)).credentials, '[credentials provider]');
  });
  await withEnv({ AWS_DEFAULT_REGION: 'eu-west-2' }, async () => {
    assert.equal(new ConnectChatClient({ credentials: RETRY_CREDENTIALS }).region, 'eu-west-2');
  });
});

test('default chain: ~/.aws/credentials and ~/.aws/config with AWS_PROFILE and [profile x]', async () => {
  await withEnv((home) => {
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'credentials'), `[default]\naws_access_key_id = AKIDNOTTHISONE\naws_secret_access_key = nope\n`);
    writeFileSync(join(home, '.aws', 'config'),
      `# comment\n[default]\nregion = eu-central-1\n\n[profile relay]\nregion = us-east-1 ; inline comment\naws_access_key_id=${RETRY_CREDENTIALS.accessKeyId}\naws_secret_access_key=${SECRET}\n`);
    return { AWS_PROFILE: 'relay' };
  }, async () => {
    server.reset();
    const c = noCreds();
    assert.equal(c.region, 'us-east-1');
    await c.sendChatIntegrationEvent(INPUT);
    assert.ok(server.requests[0].signatureValid);
  });
  await withEnv((home) => {
    const file = join(home, 'creds.ini');
    writeFileSync(file, `[default]\naws_access_key_id = AKIDFROMFILE00000001\naws_secret_access_key = ${SECRET}\naws_session_token = tok-from-file\n`);
    server.addKey({ accessKeyId: 'AKIDFROMFILE00000001', secretAccessKey: SECRET, sessionToken: 'tok-from-file' });
    return { AWS_SHARED_CREDENTIALS_FILE: file, AWS_REGION: 'us-east-1' };
  }, async () => {
    server.reset();
    await noCreds().sendChatIntegrationEvent(INPUT);
    assert.ok(server.requests[0].signatureValid);
    assert.equal(server.requests[0].headers['x-amz-security-token'], 'tok-from-file');
  });
});

test('default chain: nothing found → CredentialsProviderError naming every place looked, no request, no secret', async () => {
  await withEnv({ AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'half-configured-secret' }, async (home) => {
    server.reset();
    const x = await rejection(noCreds().sendChatIntegrationEvent(INPUT));
    assert.equal(x.name, 'CredentialsProviderError');
    assert.match(x.message, /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \(AWS_ACCESS_KEY_ID not set\)/);
    assert.ok(x.message.includes(join(home, '.aws', 'credentials')) && x.message.includes(join(home, '.aws', 'config')));
    assert.match(x.message, /profile 'default' \(file not found\)/);
    assert.ok(!x.message.includes('half-configured-secret'));
    assert.equal(server.requests.length, 0);
  });
  await withEnv((home) => {
    mkdirSync(join(home, '.aws'));
    writeFileSync(join(home, '.aws', 'config'), `[profile sso]\nsso_start_url = https://example.awsapps.com/start\nregion = us-east-1\n`);
    return { AWS_PROFILE: 'sso' };
  }, async () => {
    const x = await rejection(noCreds().sendChatIntegrationEvent(INPUT));
    assert.equal(x.name, 'CredentialsProviderError');
    assert.match(x.message, /uses SSO credentials/);
    // SSO is resolved now (tests/js/credentials*.test.mjs): the error names what the profile lacks.
    assert.match(x.message, /has no sso_account_id, sso_region, sso_role_name/);
  });
  await withEnv({}, async () => {
    assert.throws(() => noCreds(), (e) => e.name === 'ConfigurationError' && /AWS_REGION and AWS_DEFAULT_REGION/.test(e.message));
  });
});
