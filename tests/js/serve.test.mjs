// The local endpoint (`connect-chat-events serve`), from the installed package, over real HTTP on 127.0.0.1:
// SigV4 verification, validation, chat semantics, the inspection API, faults, CORS, static files,
// persistence with --state, and the CLI's lifecycle.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, readFileSync, appendFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { appDir } from './support/app.mjs';
import { root } from './support/tools.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LOCAL, REGION, PHONE_ARN, SIGNATURE_MISMATCH, UUID, api, emulator, smsChat, message, startEmbedded, client,
  signedRequest, send, spawnServe, runCli, readSse,
} from './support/serve-helpers.mjs';

// Issue 16: writes to the inspection API need a JSON content type (or X-Emulator-Request), so the tests'
// POST/PUT calls carry one; a cross-site simple request (text/plain, a form) is refused (serve-attacks.test.mjs).
const JSON_WRITE = { 'content-type': 'application/json' };
const amz = (ms) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const parseAmz = (s) => Date.parse(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`);

describe('SendChatIntegrationEvent: chat semantics', () => {
  let srv;
  before(async () => { srv = await startEmbedded(); });
  after(() => srv.close());

  test('binds 127.0.0.1 by default and uses the documented local test pair', () => {
    assert.match(srv.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(srv.server.address().address, '127.0.0.1');
    assert.deepEqual({ ...emulator.LOCAL_CREDENTIALS }, LOCAL);
  });

  test('new chat → same contact → DISCONNECT → the next event starts a new contact', async () => {
    const c = client(srv.url);
    const chat = smsChat();
    const details = { ParticipantDetails: { DisplayName: 'Ana' }, Attributes: { plan: 'gold' }, SupportedMessagingContentTypes: ['text/plain'] };
    const first = await c.sendChatIntegrationEvent({ ...chat, Event: message('hello'), NewSessionDetails: details });
    assert.equal(first.NewChatCreated, true);
    assert.match(first.InitialContactId, UUID);
    assert.equal(first.$metadata.httpStatusCode, 200);
    assert.match(first.$metadata.requestId, UUID);

    const reply = await c.sendChatIntegrationEvent({ ...chat, Event: message('second'), NewSessionDetails: { ParticipantDetails: { DisplayName: 'Ignored' } } });
    assert.equal(reply.InitialContactId, first.InitialContactId);
    assert.equal(reply.NewChatCreated, false);
    assert.notEqual(reply.$metadata.requestId, first.$metadata.requestId);

    const typing = await c.sendChatIntegrationEvent({ ...chat, Event: { Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing' } });
    assert.equal(typing.InitialContactId, first.InitialContactId);
    assert.equal(typing.NewChatCreated, false);

    const bye = await c.sendChatIntegrationEvent({ ...chat, Event: { Type: 'DISCONNECT' } });
    assert.equal(bye.InitialContactId, first.InitialContactId);
    assert.equal(bye.NewChatCreated, false);

    const again = await c.sendChatIntegrationEvent({ ...chat, Event: message('back again') });
    assert.equal(again.NewChatCreated, true);
    assert.notEqual(again.InitialContactId, first.InitialContactId);

    const res = await send(`${srv.url}/_emulator/chats/${first.InitialContactId}`);
    assert.equal(res.status, 200);
    assert.equal(res.json.status, 'ENDED');
    assert.deepEqual(res.json.newSessionDetails, details, 'NewSessionDetails of the creating event are kept; later ones ignored');
    assert.deepEqual(res.json.transcript.map((e) => [e.type, e.content ?? e.contentType ?? null]),
      [['MESSAGE', 'hello'], ['MESSAGE', 'second'], ['EVENT', 'application/vnd.amazonaws.connect.event.typing'], ['DISCONNECT', null]]);
    assert.equal(res.json.transcript[0].requestId, first.$metadata.requestId);
    const active = await send(`${srv.url}/_emulator/chats?status=ACTIVE`);
    assert.deepEqual(active.json.chats.filter((x) => x.sourceId === chat.SourceId).map((x) => x.contactId), [again.InitialContactId]);
  });

  test('an EVENT with no active chat creates one', async () => {
    const out = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: { Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing' } });
    assert.equal(out.NewChatCreated, true);
    assert.match(out.InitialContactId, UUID);
  });

  test('DISCONNECT with no active chat answers 200 without InitialContactId', async () => {
    const out = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: { Type: 'DISCONNECT' } });
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.InitialContactId, undefined);
    assert.equal(out.NewChatCreated, false);
  });

  test('a chat is keyed by (SourceId, DestinationId, Subtype)', async () => {
    const c = client(srv.url);
    const chat = smsChat();
    const a = await c.sendChatIntegrationEvent({ ...chat, Event: message('a') });
    const otherDest = await c.sendChatIntegrationEvent({ ...chat, DestinationId: PHONE_ARN.replace('0123456789abcdef0123', 'ffffffffffffffff0123'), Event: message('b') });
    const noSubtype = await c.sendChatIntegrationEvent({ SourceId: chat.SourceId, DestinationId: chat.DestinationId, Event: message('c') });
    const same = await c.sendChatIntegrationEvent({ ...chat, Event: message('d') });
    assert.equal(new Set([a.InitialContactId, otherDest.InitialContactId, noSubtype.InitialContactId]).size, 3);
    assert.equal(same.InitialContactId, a.InitialContactId);
    assert.deepEqual([otherDest.NewChatCreated, noSubtype.NewChatCreated, same.NewChatCreated], [true, true, false]);
  });

  test('every response carries a uuid x-amzn-RequestId', async () => {
    const { url, init } = signedRequest(srv.url, { ...smsChat(), Event: message('x') });
    const responses = [
      await send(url, init),
      await send(`${srv.url}/chat-integration-event`, { method: 'POST', body: '{}' }),
      await send(`${srv.url}/nope`, { method: 'POST', headers: JSON_WRITE }),
      await send(`${srv.url}/_emulator/chats`),
      await send(`${srv.url}/`),
      await send(`${srv.url}/pkg/package.json`),
    ];
    assert.deepEqual(responses.map((r) => r.status), [200, 403, 404, 200, 200, 200]);
    const ids = responses.map((r) => r.headers.get('x-amzn-requestid'));
    for (const id of ids) assert.match(id, UUID);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('unknown paths answer 404 UnknownOperationException; wrong methods 405', async () => {
    const unknown = await send(`${srv.url}/contact/chat`, { method: 'POST', body: '{}' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.errorType, 'UnknownOperationException');
    assert.match(unknown.json.message, /chat-integration-event/);
    const get = await send(`${srv.url}/chat-integration-event`);
    assert.equal(get.status, 405);
    assert.match(get.headers.get('allow'), /POST/);
    const put = await send(`${srv.url}/_emulator/chats`, { method: 'DELETE' });
    assert.equal(put.status, 405);
  });
});

describe('SigV4 verification', () => {
  let srv;
  let clock = null; // when set, the server clock (ms)
  before(async () => { srv = await startEmbedded({ now: () => clock ?? Date.now() }); });
  after(() => srv.close());
  const body = () => ({ ...smsChat(), Event: message('signed') });
  const expectAuthError = (res, code, msg) => {
    assert.equal(res.status, 403, res.text);
    assert.equal(res.errorType, code);
    assert.equal(res.headers.get('content-type'), 'application/json');
    if (typeof msg === 'string') assert.equal(res.json.message, msg);
    else assert.match(res.json.message, msg);
    assert.match(res.headers.get('x-amzn-requestid'), UUID);
  };

  test('a correctly signed raw request is accepted (with and without x-amz-content-sha256)', async () => {
    for (const applyChecksum of [true, false]) {
      const { url, init } = signedRequest(srv.url, body(), { applyChecksum });
      assert.equal('x-amz-content-sha256' in init.headers, applyChecksum);
      const res = await send(url, init);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.NewChatCreated, true);
    }
  });

  test('missing Authorization → MissingAuthenticationTokenException', async () => {
    const res = await send(`${srv.url}/chat-integration-event`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body()) });
    expectAuthError(res, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  test('a tampered body (one byte) → InvalidSignatureException', async () => {
    for (const applyChecksum of [true, false]) {
      const { url, init } = signedRequest(srv.url, body(), { applyChecksum });
      init.body = init.body.replace('signed', 'signet');
      expectAuthError(await send(url, init), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    }
  });

  test('a wrong secret → InvalidSignatureException, through ConnectChatClient', async () => {
    const c = client(srv.url, { credentials: { accessKeyId: LOCAL.accessKeyId, secretAccessKey: `${LOCAL.secretAccessKey}x` } });
    await assert.rejects(c.sendChatIntegrationEvent(body()), (e) => {
      assert.equal(e.name, 'InvalidSignatureException');
      assert.equal(e.message, SIGNATURE_MISMATCH);
      assert.equal(e.$metadata.httpStatusCode, 403);
      assert.equal(e.$fault, 'client');
      return true;
    });
  });

  test('an unknown access key → UnrecognizedClientException', async () => {
    const { url, init } = signedRequest(srv.url, body(), { credentials: { accessKeyId: 'AKIDSOMEONEELSE00001', secretAccessKey: LOCAL.secretAccessKey } });
    expectAuthError(await send(url, init), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  test('a wrong region in the scope → InvalidSignatureException naming the expected scope', async () => {
    const { url, init } = signedRequest(srv.url, body(), { region: 'eu-west-2' });
    const day = init.headers['x-amz-date'].slice(0, 8);
    expectAuthError(await send(url, init), 'InvalidSignatureException',
      new RegExp(`^Credential should be scoped to a valid region, not 'eu-west-2'\\..*${day}/us-east-1/connect/aws4_request`));
    // ... also through the client configured for another region
    await assert.rejects(client(srv.url, { region: 'us-west-2' }).sendChatIntegrationEvent(body()),
      (e) => e.name === 'InvalidSignatureException' && /not 'us-west-2'/.test(e.message));
  });

  test('a wrong service in the scope → InvalidSignatureException', async () => {
    const { url, init } = signedRequest(srv.url, body(), { service: 'execute-api' });
    expectAuthError(await send(url, init), 'InvalidSignatureException', /^Credential should be scoped to correct service: 'connect'\./);
  });

  test('a scope date that differs from x-amz-date → InvalidSignatureException', async () => {
    const { url, init } = signedRequest(srv.url, body());
    const day = init.headers['x-amz-date'].slice(0, 8);
    const yesterday = amz(parseAmz(init.headers['x-amz-date']) - 86400000).slice(0, 8);
    init.headers.authorization = init.headers.authorization.replace(`/${day}/`, `/${yesterday}/`);
    expectAuthError(await send(url, init), 'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${yesterday}' != '${day}', from '${init.headers['x-amz-date']}'. Expected scope: ${day}/us-east-1/connect/aws4_request`);
  });

  test('host not signed → IncompleteSignatureException', async () => {
    const { url, init } = signedRequest(srv.url, body());
    assert.match(init.headers.authorization, /SignedHeaders=content-type;host;/);
    init.headers.authorization = init.headers.authorization.replace('content-type;host;', 'content-type;');
    expectAuthError(await send(url, init), 'IncompleteSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  });

  test('malformed Authorization headers → IncompleteSignatureException', async () => {
    const { url, init } = signedRequest(srv.url, body());
    const cases = [
      ['AWS4-HMAC-SHA256 Credential=AKIDLOCALCONNECT0001/20261125/us-east-1/connect/aws4_request', /requires 'Signature' parameter.*requires 'SignedHeaders' parameter/],
      ['Bearer abc', /AWS4-HMAC-SHA256/],
      [init.headers.authorization.replace(/Credential=[^,]+/, 'Credential=AKIDLOCALCONNECT0001/us-east-1'), /Credential/],
    ];
    for (const [authorization, msg] of cases) {
      expectAuthError(await send(url, { ...init, headers: { ...init.headers, authorization } }), 'IncompleteSignatureException', msg);
    }
    const noDate = { ...init.headers };
    delete noDate['x-amz-date'];
    expectAuthError(await send(url, { ...init, headers: noDate }), 'IncompleteSignatureException', /X-Amz-Date/);
    expectAuthError(await send(url, { ...init, headers: { ...init.headers, 'x-amz-date': '2026-11-25T00:00:00Z' } }),
      'IncompleteSignatureException', /ISO-8601 'basic format'/);
  });

  test('changing a signed header, the path or the query after signing → InvalidSignatureException; unsigned headers are ignored', async () => {
    const { url, init } = signedRequest(srv.url, body(), { headers: { 'x-amz-user-agent': 'test/1' } });
    expectAuthError(await send(url, { ...init, headers: { ...init.headers, 'x-amz-user-agent': 'test/2' } }), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    expectAuthError(await send(`${url}?extra=1`, init), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    expectAuthError(await send(url, { ...init, headers: { ...init.headers, 'content-type': 'application/x-amz-json-1.1' } }), 'InvalidSignatureException', SIGNATURE_MISMATCH);
    const ok = await send(url, { ...init, headers: { ...init.headers, 'user-agent': 'changed/after/signing', 'x-unsigned': '1' } });
    assert.equal(ok.status, 200, ok.text);
  });

  test('a repeated signed header (two header lines) is canonicalized as AWS does', async () => {
    const payload = JSON.stringify(body());
    const signed = api.signRequest(
      { method: 'POST', url: `${srv.url}/chat-integration-event`, headers: [['content-type', 'application/json'], ['x-amz-meta-tag', 'one'], ['x-amz-meta-tag', 'two']], body: payload },
      { region: REGION, service: 'connect', credentials: LOCAL },
    );
    assert.match(signed.canonicalRequest, /\nx-amz-meta-tag:one,two\n/);
    const post = (tags) => new Promise((resolve, reject) => {
      const headers = { ...signed.headers, 'x-amz-meta-tag': tags };
      const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/chat-integration-event', headers }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end(payload);
    });
    assert.equal(await post(['one', 'two']), 200);
    assert.equal(await post(['two', 'one']), 403, 'order of repeated values is signed');
  });

  test('a signature that is not the right one, even by one hex digit → InvalidSignatureException', async () => {
    const { url, init } = signedRequest(srv.url, body());
    const sig = /Signature=([0-9a-f]{64})$/.exec(init.headers.authorization)[1];
    const flipped = sig.slice(0, 63) + (sig[63] === '0' ? '1' : '0');
    init.headers.authorization = init.headers.authorization.replace(sig, flipped);
    expectAuthError(await send(url, init), 'InvalidSignatureException', SIGNATURE_MISMATCH);
  });

  test('a clock 20 minutes behind → "Signature expired" in AWS wording; 20 minutes ahead → "not yet current"', async () => {
    const past = new Date(Date.now() - 20 * 60 * 1000);
    const { url, init } = signedRequest(srv.url, body(), { signingDate: past });
    const res = await send(url, init);
    expectAuthError(res, 'InvalidSignatureException', /^Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - 15 min\.\)$/);
    const [, sent, limit, now] = /^Signature expired: (\S+) is now earlier than (\S+) \((\S+) - 15 min\.\)$/.exec(res.json.message);
    assert.equal(sent, amz(past.getTime()));
    assert.equal(parseAmz(now) - parseAmz(limit), 15 * 60 * 1000);
    assert.ok(Math.abs(parseAmz(now) - Date.now()) < 5000);

    const future = signedRequest(srv.url, body(), { signingDate: new Date(Date.now() + 20 * 60 * 1000) });
    expectAuthError(await send(future.url, future.init), 'InvalidSignatureException', /^Signature not yet current: \S+ is still later than \S+ \(\S+ \+ 15 min\.\)$/);

    // 14 minutes off either way is within the window.
    for (const off of [-14, 14]) {
      const near = signedRequest(srv.url, body(), { signingDate: new Date(Date.now() + off * 60 * 1000) });
      assert.equal((await send(near.url, near.init)).status, 200);
    }
  });

  test('the exact expiry message for a fixed server clock', async () => {
    clock = Date.parse('2026-11-25T00:30:00Z');
    try {
      const { url, init } = signedRequest(srv.url, body(), { signingDate: '20261125T000000Z' });
      expectAuthError(await send(url, init), 'InvalidSignatureException',
        'Signature expired: 20261125T000000Z is now earlier than 20261125T001500Z (20261125T003000Z - 15 min.)');
    } finally {
      clock = null;
    }
  });

  test('replaying a captured request: accepted while fresh (no idempotency), refused once expired', async () => {
    const { url, init } = signedRequest(srv.url, body());
    const first = await send(url, init);
    assert.equal(first.status, 200);
    const replay = await send(url, init);
    assert.equal(replay.status, 200);
    assert.equal(replay.json.InitialContactId, first.json.InitialContactId);
    assert.equal(replay.json.NewChatCreated, false);
    const chat = await send(`${srv.url}/_emulator/chats/${first.json.InitialContactId}`);
    assert.equal(chat.json.transcript.length, 2, 'a replay is processed twice, as the real service would');
    srv.state.clockOffsetMs = 16 * 60 * 1000;
    try {
      expectAuthError(await send(url, init), 'InvalidSignatureException', /^Signature expired: /);
    } finally {
      srv.state.clockOffsetMs = 0;
    }
    const after = await send(`${srv.url}/_emulator/chats/${first.json.InitialContactId}`);
    assert.equal(after.json.transcript.length, 2, 'the refused replay changed nothing');
  });

  test('a session token sent for a key pair that has none → UnrecognizedClientException', async () => {
    const c = client(srv.url, { credentials: { ...LOCAL, sessionToken: 'tok' } });
    await assert.rejects(c.sendChatIntegrationEvent(body()), (e) => e.name === 'UnrecognizedClientException');
  });
});

describe('session tokens', () => {
  let srv;
  const TEMP = { accessKeyId: 'ASIALOCALTEMP0000001', secretAccessKey: 'temp-secret-0001', sessionToken: 'session-token-value-0001' };
  before(async () => { srv = await startEmbedded({ credentials: [TEMP, { accessKeyId: 'AKIDOTHER00000000001', secretAccessKey: 'other-secret' }] }); });
  after(() => srv.close());
  const body = () => ({ ...smsChat(), Event: message('token') });

  test('the right token is accepted; a missing or wrong one → UnrecognizedClientException', async () => {
    const ok = await client(srv.url, { credentials: TEMP }).sendChatIntegrationEvent(body());
    assert.equal(ok.NewChatCreated, true);
    for (const credentials of [{ ...TEMP, sessionToken: undefined }, { ...TEMP, sessionToken: `${TEMP.sessionToken}x` }]) {
      await assert.rejects(client(srv.url, { credentials }).sendChatIntegrationEvent(body()), (e) => {
        assert.equal(e.name, 'UnrecognizedClientException');
        assert.equal(e.message, 'The security token included in the request is invalid.');
        return true;
      });
    }
  });

  test('several key pairs; the local test pair is not accepted when pairs are given', async () => {
    const other = await client(srv.url, { credentials: { accessKeyId: 'AKIDOTHER00000000001', secretAccessKey: 'other-secret' } }).sendChatIntegrationEvent(body());
    assert.equal(other.$metadata.httpStatusCode, 200);
    await assert.rejects(client(srv.url).sendChatIntegrationEvent(body()), (e) => e.name === 'UnrecognizedClientException');
  });

  test('/_emulator/info lists the key ids but never a user-supplied secret', async () => {
    const res = await send(`${srv.url}/_emulator/info`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json.credentials.map((c) => c.accessKeyId), [TEMP.accessKeyId, 'AKIDOTHER00000000001']);
    assert.ok(!res.text.includes(TEMP.secretAccessKey) && !res.text.includes('other-secret') && !res.text.includes(TEMP.sessionToken));
    assert.equal(res.json.credentials[0].sessionTokenRequired, true);
  });
});

describe('request validation and limits', () => {
  let srv;
  before(async () => { srv = await startEmbedded(); });
  after(() => srv.close());

  test('invalid inputs → 400 InvalidRequestException naming the field; nothing is recorded', async () => {
    const chat = smsChat();
    const cases = [
      [{ ...chat, Event: { Type: 'MESSAGE', ContentType: 'text/plain' } }, /Event\.Content/],
      [{ ...chat, SourceId: '5551234', Event: message('x') }, /SourceId/],
      [{ ...chat, DestinationId: 'not-an-arn', Event: message('x') }, /DestinationId/],
      [{ ...chat, Event: { Type: 'SHOUT' } }, /Event\.Type/],
      [{ DestinationId: PHONE_ARN, Event: message('x') }, /SourceId/],
      [{ ...chat, Event: message('x'.repeat(16385)) }, /Event\.Content/],
      [{ ...chat, Event: message('x'), NewSessionDetails: { Attributes: { 'bad key!': 'v' } } }, /NewSessionDetails\.Attributes/],
      [{ ...chat, Event: message('x'), NewSessionDetails: { SupportedMessagingContentTypes: ['text/markdown'] } }, /SupportedMessagingContentTypes/],
    ];
    for (const [input, field] of cases) {
      const expected = api.validateChatIntegrationEvent(input);
      assert.equal(expected.valid, false);
      const { url, init } = signedRequest(srv.url, input);
      const res = await send(url, init);
      assert.equal(res.status, 400, JSON.stringify(input).slice(0, 200));
      assert.equal(res.errorType, 'InvalidRequestException');
      assert.match(res.json.message, field);
      assert.match(res.json.message, /validation errors? detected/);
      for (const issue of expected.issues) assert.ok(res.json.message.includes(issue.path), `${issue.path} in ${res.json.message}`);
    }
    const chats = await send(`${srv.url}/_emulator/chats`);
    assert.equal(chats.json.chats.filter((c) => c.sourceId === chat.SourceId).length, 0);
  });

  test('the client and the server agree: what ConnectChatClient sends, the server accepts', async () => {
    const input = { ...smsChat(), Event: message('é😀 ünïcödé'), NewSessionDetails: { Attributes: {}, SupportedMessagingContentTypes: ['text/plain', 'text/markdown'], ParticipantDetails: { DisplayName: 'Zoë' }, StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:connect:us-east-1:123456789012:instance/x' } } };
    const out = await client(srv.url).sendChatIntegrationEvent(input);
    assert.equal(out.NewChatCreated, true);
    const chat = await send(`${srv.url}/_emulator/chats/${out.InitialContactId}`);
    assert.equal(chat.json.transcript[0].content, 'é😀 ünïcödé');
  });

  test('malformed JSON and non-object bodies → 400 InvalidRequestException', async () => {
    for (const raw of ['{"SourceId":', 'not json', '[]', 'null', '42', '']) {
      const { url, init } = signedRequest(srv.url, raw);
      const res = await send(url, init);
      assert.equal(res.status, 400, raw);
      assert.equal(res.errorType, 'InvalidRequestException');
      assert.match(res.json.message, /JSON/);
    }
  });

  test('bodies over 1 MiB → 413, with or without Content-Length; the server keeps working', async () => {
    const big = JSON.stringify({ ...smsChat(), Event: message('x'), Padding: 'y'.repeat(1024 * 1024) });
    const { url, init } = signedRequest(srv.url, big);
    const res = await send(url, init);
    assert.equal(res.status, 413);
    assert.equal(res.errorType, 'RequestEntityTooLargeException');
    assert.match(res.json.message, /1 MiB/);

    // Chunked (no Content-Length): 3 MiB streamed in 64 KiB pieces.
    const piece = new Uint8Array(64 * 1024).fill(0x20);
    let n = 0;
    const stream = new ReadableStream({
      pull(ctrl) {
        if (n++ < 48) ctrl.enqueue(piece);
        else ctrl.close();
      },
    });
    const chunked = await send(url, { method: 'POST', headers: init.headers, body: stream, duplex: 'half' });
    assert.equal(chunked.status, 413);

    // Exactly at the limit is read (and then refused for its content, not its size).
    const atLimit = ' '.repeat(1024 * 1024);
    const exact = signedRequest(srv.url, atLimit);
    const r = await send(exact.url, exact.init);
    assert.equal(r.status, 400);
    assert.equal(r.errorType, 'InvalidRequestException');

    // A huge declared Content-Length is answered at once, without waiting for (or buffering) the body.
    const early = await new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/chat-integration-event',
        headers: { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.write('{"SourceId":');
    });
    assert.equal(early, 413);

    const ok = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('still alive') });
    assert.equal(ok.NewChatCreated, true);
  });
});

describe('inspection API', () => {
  let srv;
  before(async () => { srv = await startEmbedded(); });
  after(() => srv.close());

  test('GET /_emulator/events streams ready, request and chat-event events', async () => {
    const chat = smsChat();
    const c = client(srv.url);
    const events = await readSse(`${srv.url}/_emulator/events`,
      (evs) => evs.filter((e) => e.event === 'chat-event').length >= 2 && evs.some((e) => e.event === 'request' && e.data.status === 403),
      {
        onOpen: async () => {
          await c.sendChatIntegrationEvent({ ...chat, Event: message('one') });
          await c.sendChatIntegrationEvent({ ...chat, Event: { Type: 'DISCONNECT' } });
          await send(`${srv.url}/chat-integration-event`, { method: 'POST', body: '{}' });
        },
      });
    assert.equal(events[0].event, 'ready');
    const chatEvents = events.filter((e) => e.event === 'chat-event');
    assert.equal(chatEvents[0].data.newChatCreated, true);
    assert.equal(chatEvents[0].data.entry.content, 'one');
    assert.equal(chatEvents[0].data.chat.sourceId, chat.SourceId);
    assert.equal(chatEvents[1].data.entry.type, 'DISCONNECT');
    assert.equal(chatEvents[1].data.chat.status, 'ENDED');
    assert.equal(chatEvents[1].data.contactId, chatEvents[0].data.contactId);
    const failed = events.find((e) => e.event === 'request' && e.data.status === 403);
    assert.equal(failed.data.errorType, 'MissingAuthenticationTokenException');
    assert.match(failed.data.requestId, UUID);
  });

  test('POST /_emulator/reset forgets every chat, and the next event starts a new one', async () => {
    const c = client(srv.url);
    const chat = smsChat();
    const a = await c.sendChatIntegrationEvent({ ...chat, Event: message('before reset') });
    const reset = await send(`${srv.url}/_emulator/reset`, { method: 'POST', headers: JSON_WRITE });
    assert.equal(reset.status, 200);
    assert.equal(reset.json.reset, true);
    assert.ok(reset.json.removed >= 1);
    assert.deepEqual((await send(`${srv.url}/_emulator/chats`)).json.chats, []);
    const b = await c.sendChatIntegrationEvent({ ...chat, Event: message('after reset') });
    assert.equal(b.NewChatCreated, true);
    assert.notEqual(b.InitialContactId, a.InitialContactId);
    assert.equal((await send(`${srv.url}/_emulator/chats/${a.InitialContactId}`)).status, 404);
  });

  test('GET/PUT /_emulator/faults validates and merges settings', async () => {
    const initial = await send(`${srv.url}/_emulator/faults`);
    assert.deepEqual({ ...initial.json, seed: 0 }, { throttleRate: 0, errorRate: 0, dropRate: 0, latencyMs: 0, seed: 0 });
    for (const bad of [{ throttleRate: 2 }, { errorRate: -0.1 }, { latencyMs: 1.5 }, { nonsense: 1 }, [], 'x']) {
      const res = await send(`${srv.url}/_emulator/faults`, { method: 'PUT', headers: JSON_WRITE, body: JSON.stringify(bad) });
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    const set = await send(`${srv.url}/_emulator/faults`, { method: 'PUT', headers: JSON_WRITE, body: JSON.stringify({ latencyMs: 5, seed: 'abc' }) });
    assert.equal(set.status, 200);
    assert.equal(set.json.latencyMs, 5);
    const merged = await send(`${srv.url}/_emulator/faults`, { method: 'PUT', headers: JSON_WRITE, body: JSON.stringify({ errorRate: 0 }) });
    assert.equal(merged.json.latencyMs, 5);
    assert.equal(merged.json.seed, set.json.seed);
    await send(`${srv.url}/_emulator/faults`, { method: 'PUT', headers: JSON_WRITE, body: JSON.stringify({ latencyMs: 0 }) });
  });

  test('unknown inspection routes → 404; GET /_emulator/info describes the endpoint', async () => {
    assert.equal((await send(`${srv.url}/_emulator/nothing`)).status, 404);
    const info = await send(`${srv.url}/_emulator/info`);
    assert.equal(info.json.region, REGION);
    assert.equal(info.json.endpoint, srv.url);
    assert.deepEqual(info.json.credentials, [{ accessKeyId: LOCAL.accessKeyId, secretAccessKey: LOCAL.secretAccessKey, localTestPair: true, sessionTokenRequired: false }]);
    assert.ok(info.json.routes.some((r) => r.path === '/_emulator/events'));
  });
});

describe('fault injection', () => {
  let srv;
  before(async () => { srv = await startEmbedded({ seed: 7 }); });
  after(() => srv.close());
  const setFaults = (f) => send(`${srv.url}/_emulator/faults`, { method: 'PUT', headers: JSON_WRITE, body: JSON.stringify(f) });
  const count = async () => (await send(`${srv.url}/_emulator/chats`)).json.chats.length;

  test('throttleRate 1 → 429 ThrottlingException; errorRate 1 → 500 InternalServiceException; state unchanged', async () => {
    const c = client(srv.url);
    const before = await count();
    await setFaults({ throttleRate: 1 });
    await assert.rejects(c.sendChatIntegrationEvent({ ...smsChat(), Event: message('x') }), (e) => {
      assert.equal(e.name, 'ThrottlingException');
      assert.equal(e.$metadata.httpStatusCode, 429);
      assert.equal(e.$fault, 'client');
      assert.match(e.$metadata.requestId, UUID);
      return true;
    });
    await setFaults({ throttleRate: 0, errorRate: 1 });
    await assert.rejects(c.sendChatIntegrationEvent({ ...smsChat(), Event: message('x') }), (e) => {
      assert.equal(e.name, 'InternalServiceException');
      assert.equal(e.$metadata.httpStatusCode, 500);
      assert.equal(e.$fault, 'server');
      return true;
    });
    await setFaults({ errorRate: 0 });
    assert.equal(await count(), before);
  });

  test('dropRate 1 → the connection closes without a response (fetch rejects)', async () => {
    await setFaults({ dropRate: 1 });
    try {
      const { url, init } = signedRequest(srv.url, { ...smsChat(), Event: message('x') });
      await assert.rejects(fetch(url, init), TypeError);
      await assert.rejects(client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('x') }));
    } finally {
      await setFaults({ dropRate: 0 });
    }
    assert.equal((await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('back') })).NewChatCreated, true);
  });

  test('latencyMs delays responses', async () => {
    await setFaults({ latencyMs: 300 });
    try {
      const t0 = Date.now();
      await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('slow') });
      assert.ok(Date.now() - t0 >= 290, `took ${Date.now() - t0} ms`);
    } finally {
      await setFaults({ latencyMs: 0 });
    }
    const t1 = Date.now();
    await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('fast') });
    assert.ok(Date.now() - t1 < 250);
  });

  test('a seed makes partial rates replayable', async () => {
    const run = async (seed) => {
      const s = await startEmbedded({ seed, faults: { throttleRate: 0.3, errorRate: 0.3 } });
      try {
        const statuses = [];
        for (let i = 0; i < 30; i++) {
          const { url, init } = signedRequest(s.url, { ...smsChat(), Event: message(`m${i}`) });
          statuses.push((await send(url, init)).status);
        }
        return statuses;
      } finally {
        await s.close();
      }
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.ok(a.includes(200) && a.includes(429) && a.includes(500), a.join(','));
  });
});

describe('CORS and static files', () => {
  let srv;
  const ALLOWED = 'http://console.example.test';
  before(async () => { srv = await startEmbedded({ corsOrigins: [ALLOWED] }); });
  after(() => srv.close());

  test('preflight from a configured origin → allow-methods, allow-headers, max-age', async () => {
    const res = await fetch(`${srv.url}/chat-integration-event`, {
      method: 'OPTIONS',
      headers: { origin: ALLOWED, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-amz-date,x-amz-content-sha256' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    assert.match(res.headers.get('access-control-allow-headers'), /authorization/);
    assert.match(res.headers.get('access-control-allow-headers'), /x-amz-date/);
    assert.equal(res.headers.get('access-control-max-age'), '600');
  });

  test('other origins get no CORS headers', async () => {
    const pre = await fetch(`${srv.url}/chat-integration-event`, { method: 'OPTIONS', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    assert.equal(pre.status, 403);
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    const { url, init } = signedRequest(srv.url, { ...smsChat(), Event: message('x') });
    const res = await fetch(url, { ...init, headers: { ...init.headers, origin: 'http://evil.test' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-expose-headers'), null);
  });

  test('responses to a configured origin expose x-amzn-RequestId and x-amzn-ErrorType', async () => {
    const { url, init } = signedRequest(srv.url, { ...smsChat(), Event: message('x') });
    for (const headers of [{ ...init.headers, origin: ALLOWED }, { origin: ALLOWED }]) {
      const res = await fetch(url, { ...init, headers });
      assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
      assert.match(res.headers.get('access-control-expose-headers'), /x-amzn-RequestId/i);
      assert.match(res.headers.get('access-control-expose-headers'), /x-amzn-ErrorType/i);
    }
  });

  test('without --cors-origin no origin is allowed', async () => {
    const plain = await startEmbedded();
    try {
      const res = await fetch(`${plain.url}/chat-integration-event`, { method: 'OPTIONS', headers: { origin: ALLOWED, 'access-control-request-method': 'POST' } });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    } finally {
      await plain.close();
    }
  });

  test('serves the console at / and the package at /pkg/ with the right content types', async () => {
    const index = await fetch(`${srv.url}/`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await index.text(), /<html|<!doctype/i);
    const checks = [
      ['/pkg/web/index.js', 'text/javascript; charset=utf-8', /connect_chat_events/],
      ['/pkg/web/connect_chat_events_bg.wasm', 'application/wasm', null],
      ['/pkg/package.json', 'application/json; charset=utf-8', /"name": "connect-chat-events"/],
    ];
    for (const [path, type, body] of checks) {
      const res = await fetch(`${srv.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers.get('content-type'), type, path);
      const buf = new Uint8Array(await res.arrayBuffer());
      if (body) assert.match(new TextDecoder().decode(buf), body);
      else assert.deepEqual([...buf.slice(0, 4)], [0x00, 0x61, 0x73, 0x6d]);
    }
    assert.equal((await fetch(`${srv.url}/pkg/nope.js`)).status, 404);
  });

  test('path traversal out of the served folders is refused', async () => {
    const raw = (path) => new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: srv.port, path }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    for (const p of ['/pkg/../../../../etc/passwd', '/pkg/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc/passwd', '/pkg/..%2f..%2fpackage.json']) {
      assert.notEqual(await raw(p), 200, p);
    }
  });
});

describe('the CLI', () => {
  test('--help documents the flags and the inspection API', async () => {
    const { code, stdout } = await runCli(['serve', '--help']);
    assert.equal(code, 0);
    for (const flag of ['--host', '--port', '--region', '--access-key-id', '--secret-access-key', '--session-token', '--state',
      '--cors-origin', '--fault-throttle-rate', '--fault-error-rate', '--fault-drop-rate', '--latency-ms', '--seed',
      '/_emulator/chats', '/_emulator/events', '/_emulator/reset', '/_emulator/faults', LOCAL.accessKeyId]) {
      assert.ok(stdout.includes(flag), flag);
    }
    assert.equal((await runCli(['--help'])).code, 0);
  });

  test('the installed package provides the connect-chat-events bin (npx connect-chat-events)', () => {
    const bin = join(appDir, 'node_modules', '.bin', 'connect-chat-events');
    assert.ok(existsSync(bin), bin);
    const r = spawnSync(bin, ['serve', '--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /connect-chat-events serve/);
  });

  test('the demo client (demo/send-sms.mjs) runs a new chat, a reply, a typing event and a disconnect', async () => {
    const s = await spawnServe(['--quiet']);
    try {
      const r = spawnSync(process.execPath, [join(root, 'demo', 'send-sms.mjs'), s.url], { encoding: 'utf8', timeout: 30000 });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const ids = [...r.stdout.matchAll(/InitialContactId ([0-9a-f-]{36})/g)].map((m) => m[1]);
      assert.equal(ids.length, 4);
      assert.equal(new Set(ids).size, 1);
      assert.deepEqual([...r.stdout.matchAll(/NewChatCreated\s+(true|false)/g)].map((m) => m[1]), ['true', 'false', 'false', 'false']);
      assert.match(r.stdout, /ChatEventValidationError/);
      assert.match(r.stdout, /ENDED/);
      assert.ok(r.stdout.includes(`${s.url}/`), 'tells where the console is');
      const chats = (await send(`${s.url}/_emulator/chats`)).json.chats;
      assert.equal(chats.length, 1);
      assert.deepEqual(chats[0].transcript.map((e) => e.type), ['MESSAGE', 'MESSAGE', 'EVENT', 'DISCONNECT']);
    } finally {
      await s.stop();
    }
  });

  test('usage errors exit 2 with a message', async () => {
    for (const args of [['serve', '--port', 'x'], ['serve', '--bogus'], ['serve', '--access-key-id', 'A'], ['serve', '--fault-error-rate', '2'], ['frobnicate']]) {
      const { code, stderr } = await runCli(args);
      assert.equal(code, 2, args.join(' '));
      assert.ok(stderr.length > 0);
    }
  });

  test('prints the URL, region and the local credentials; SIGTERM and SIGINT exit 0', async () => {
    for (const signal of ['SIGTERM', 'SIGINT']) {
      const s = await spawnServe(['--region', 'eu-west-2']);
      assert.match(s.out.stdout, /^listening on http:\/\/127\.0\.0\.1:\d+$/m);
      assert.match(s.out.stdout, /region:\s+eu-west-2/);
      assert.ok(s.out.stdout.includes(LOCAL.accessKeyId) && s.out.stdout.includes(LOCAL.secretAccessKey));
      const out = await client(s.url, { region: 'eu-west-2' }).sendChatIntegrationEvent({ ...smsChat(), Event: message('cli') });
      assert.equal(out.NewChatCreated, true);
      // An open event stream must not keep it from stopping.
      const sse = fetch(`${s.url}/_emulator/events`).then((r) => r.text()).catch(() => '');
      await new Promise((r) => setTimeout(r, 100));
      const { code } = await s.stop(signal);
      assert.equal(code, 0, `${signal}: ${s.out.stderr}`);
      assert.match(s.out.stdout, /stopped/);
      await sse;
    }
  });

  test('user-supplied secrets and session tokens are never printed or logged', async () => {
    const secret = 'user-secret-never-printed-0123456789';
    const token = 'user-session-token-never-printed-987';
    const s = await spawnServe(['--access-key-id', 'AKIDUSERKEY000000001', '--secret-access-key', secret, '--session-token', token]);
    try {
      const creds = { accessKeyId: 'AKIDUSERKEY000000001', secretAccessKey: secret, sessionToken: token };
      assert.equal((await client(s.url, { credentials: creds }).sendChatIntegrationEvent({ ...smsChat(), Event: message('x') })).NewChatCreated, true);
      await assert.rejects(client(s.url, { credentials: { ...creds, secretAccessKey: `${secret}!` } }).sendChatIntegrationEvent({ ...smsChat(), Event: message('x') }));
      await assert.rejects(client(s.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('x') }), (e) => e.name === 'UnrecognizedClientException');
      const info = await send(`${s.url}/_emulator/info`);
      assert.ok(!info.text.includes(secret) && !info.text.includes(token));
      assert.match(s.out.stdout, /AKIDUSERKEY000000001/);
      assert.match(s.out.stdout, /\*\*\*\*/);
    } finally {
      assert.equal((await s.stop()).code, 0);
    }
    const all = s.out.stdout + s.out.stderr;
    assert.ok(!all.includes(secret), 'secret printed');
    assert.ok(!all.includes(token), 'token printed');
    assert.ok(!all.includes(LOCAL.secretAccessKey), 'the local pair is not accepted (so not printed) when a pair is given');
    assert.match(s.out.stderr, /POST \/chat-integration-event 200/);
  });

  test('fault flags: --fault-throttle-rate 1 → 429', async () => {
    const s = await spawnServe(['--fault-throttle-rate', '1', '--seed', '3', '--quiet']);
    try {
      const { url, init } = signedRequest(s.url, { ...smsChat(), Event: message('x') });
      const res = await send(url, init);
      assert.equal(res.status, 429);
      assert.equal(res.errorType, 'ThrottlingException');
      assert.equal((await send(`${s.url}/_emulator/faults`)).json.seed, 3);
    } finally {
      await s.stop();
    }
    assert.equal(s.out.stderr, '', '--quiet logs nothing');
  });

  test('a port in use → exit 3 with a clear message', async () => {
    const s = await spawnServe(['--quiet']);
    try {
      const port = new URL(s.url).port;
      const { code, stderr } = await runCli(['serve', '--port', port]);
      assert.equal(code, 3);
      assert.match(stderr, new RegExp(`port ${port} .* in use`));
    } finally {
      await s.stop();
    }
  });
});

describe('--state persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cce-state-'));
  const file = join(dir, 'chats.jsonl');

  test('chats survive a restart; a torn last line is ignored and cut; acknowledged writes are on disk', async () => {
    const chat = smsChat();
    const ended = smsChat();
    let s = await spawnServe(['--state', file, '--quiet']);
    const first = await client(s.url).sendChatIntegrationEvent({ ...chat, Event: message('one'), NewSessionDetails: { ParticipantDetails: { DisplayName: 'Kim' } } });
    // Acknowledged → already in the file, before any shutdown.
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].contactId, first.InitialContactId);
    await client(s.url).sendChatIntegrationEvent({ ...ended, Event: message('a') });
    await client(s.url).sendChatIntegrationEvent({ ...ended, Event: { Type: 'DISCONNECT' } });
    // A crash: SIGKILL, then a half-written record at the end of the journal.
    s.child.kill('SIGKILL');
    await s.exited;
    const good = readFileSync(file, 'utf8');
    appendFileSync(file, '{"v":1,"op":"event","at":"2026-11-25T00:00:00.000Z","contactId":"torn-contact","key":{"sourceId":"+1');

    s = await spawnServe(['--state', file, '--quiet']);
    try {
      assert.match(s.out.stdout, /3 record\(s\) loaded, torn last line of \d+ bytes ignored/);
      assert.equal(readFileSync(file, 'utf8'), good, 'the torn tail is cut so later appends start on a fresh line');
      const chats = (await send(`${s.url}/_emulator/chats`)).json.chats;
      assert.equal(chats.length, 2);
      assert.ok(!JSON.stringify(chats).includes('torn-contact'));
      const kept = chats.find((c) => c.contactId === first.InitialContactId);
      assert.equal(kept.status, 'ACTIVE');
      assert.deepEqual(kept.newSessionDetails, { ParticipantDetails: { DisplayName: 'Kim' } });
      const next = await client(s.url).sendChatIntegrationEvent({ ...chat, Event: message('two') });
      assert.equal(next.InitialContactId, first.InitialContactId);
      assert.equal(next.NewChatCreated, false);
      const endedNext = await client(s.url).sendChatIntegrationEvent({ ...ended, Event: message('b') });
      assert.equal(endedNext.NewChatCreated, true, 'a chat disconnected before the restart stays ended');
      assert.equal((await send(`${s.url}/_emulator/reset`, { method: 'POST', headers: JSON_WRITE })).status, 200);
      await client(s.url).sendChatIntegrationEvent({ ...chat, Event: message('after reset') });
    } finally {
      assert.equal((await s.stop()).code, 0);
    }
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) JSON.parse(line);

    s = await spawnServe(['--state', file, '--quiet']);
    try {
      const chats = (await send(`${s.url}/_emulator/chats`)).json.chats;
      assert.equal(chats.length, 1, 'the reset is replayed too');
      assert.equal(chats[0].transcript[0].content, 'after reset');
      assert.notEqual(chats[0].contactId, first.InitialContactId);
    } finally {
      await s.stop();
    }
  });

  test('a corrupted line in the middle refuses to start instead of losing data', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"v":1,"op":"reset","at":"2026-11-25T00:00:00.000Z"}\n{oops\n{"v":1,"op":"reset","at":"2026-11-25T00:00:00.000Z"}\n');
    await assert.rejects(spawnServe(['--state', bad]), (e) => {
      assert.equal(e.code, 1);
      assert.match(e.out.stderr, /line 2 is not valid JSON/);
      return true;
    });
  });
});
