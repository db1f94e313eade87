// Independent cross-checks of the local endpoint's SigV4 verification: requests signed by botocore's
// SigV4Auth (Python) and sent by the AWS JS SDK v3 (@aws-sdk/client-connect) over real HTTP are accepted,
// and the same requests with one byte changed, a wrong secret or a wrong token are refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { root, tool } from './support/tools.mjs';
import { LOCAL, REGION, SIGNATURE_MISMATCH, UUID, smsChat, message, startEmbedded, send } from './support/serve-helpers.mjs';

// The SDK warns about old Node versions on load; keep the test output readable.
process.removeAllListeners('warning');
process.on('warning', (w) => { if (!/NodeVersionSupportWarning/.test(`${w.name} ${w.message}`)) console.warn(w); });

const PYTHON = process.env.BOTOCORE_PYTHON ?? join(root, '.tools', 'venv', 'bin', 'python');
const SCRIPT = join(root, 'tests', 'diff', 'botocore_send.py');
const TEMP = { accessKeyId: 'ASIALOCALTEMP0000002', secretAccessKey: 'temp/secret+0002', sessionToken: 'FwoGZXIvYXdzEJr//////////session+token/==' };

function botocoreSend(request) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`botocore_send.py exited ${code}: ${err}`));
      const res = JSON.parse(out);
      try {
        res.json = JSON.parse(res.body);
      } catch {
        res.json = undefined;
      }
      resolve(res);
    });
    child.stdin.end(JSON.stringify(request));
  });
}

const getChat = async (url, id) => (await send(`${url}/_emulator/chats/${id}`)).json;

describe('botocore SigV4Auth → local endpoint', () => {
  let srv;
  let tokenSrv;
  before(async () => {
    srv = await startEmbedded();
    tokenSrv = await startEmbedded({ credentials: [TEMP] });
  });
  after(async () => {
    await srv.close();
    await tokenSrv.close();
  });
  const base = (over = {}) => ({
    endpoint: srv.url, region: REGION, access_key: LOCAL.accessKeyId, secret: LOCAL.secretAccessKey, token: null,
    body: JSON.stringify({ ...smsChat(), Event: message('hello from botocore') }), ...over,
  });

  test('a botocore-signed request is accepted and creates the chat', async () => {
    const req = base();
    const res = await botocoreSend(req);
    assert.equal(res.status, 200, res.body);
    assert.equal(res.json.NewChatCreated, true);
    assert.match(res.json.InitialContactId, UUID);
    assert.match(res.headers['x-amzn-requestid'], UUID);
    assert.match(res.signed_headers, /(^|;)host(;|$)/);
    assert.doesNotMatch(res.signed_headers, /user-agent/, 'botocore leaves User-Agent unsigned');
    const chat = await getChat(srv.url, res.json.InitialContactId);
    assert.equal(chat.transcript[0].content, 'hello from botocore');
    // A second botocore request on the same chat.
    const again = await botocoreSend({ ...req, body: req.body.replace('hello from', 'hello again from') });
    assert.equal(again.status, 200, again.body);
    assert.equal(again.json.InitialContactId, res.json.InitialContactId);
    assert.equal(again.json.NewChatCreated, false);
  });

  test('the same request with one body byte changed after signing → 403 InvalidSignatureException', async () => {
    const res = await botocoreSend(base({ tamper: true }));
    assert.equal(res.status, 403);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.equal(res.json.message, SIGNATURE_MISMATCH);
  });

  test('a wrong secret, region or service in botocore → 403', async () => {
    const wrongSecret = await botocoreSend(base({ secret: `${LOCAL.secretAccessKey}!` }));
    assert.equal(wrongSecret.status, 403);
    assert.equal(wrongSecret.headers['x-amzn-errortype'], 'InvalidSignatureException');
    const wrongRegion = await botocoreSend(base({ region: 'ap-southeast-2' }));
    assert.equal(wrongRegion.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.match(wrongRegion.json.message, /not 'ap-southeast-2'/);
    const wrongService = await botocoreSend(base({ service: 'sms-voice' }));
    assert.equal(wrongService.headers['x-amzn-errortype'], 'InvalidSignatureException');
    assert.match(wrongService.json.message, /service: 'connect'/);
  });

  test('botocore with a session token: accepted when it matches, UnrecognizedClientException otherwise', async () => {
    const creds = { endpoint: tokenSrv.url, access_key: TEMP.accessKeyId, secret: TEMP.secretAccessKey };
    const ok = await botocoreSend(base({ ...creds, token: TEMP.sessionToken }));
    assert.equal(ok.status, 200, ok.body);
    assert.match(ok.signed_headers, /x-amz-security-token/);
    const wrong = await botocoreSend(base({ ...creds, token: `${TEMP.sessionToken}x` }));
    assert.equal(wrong.status, 403);
    assert.equal(wrong.headers['x-amzn-errortype'], 'UnrecognizedClientException');
    const none = await botocoreSend(base({ ...creds, token: null }));
    assert.equal(none.headers['x-amzn-errortype'], 'UnrecognizedClientException');
  });
});

describe('AWS JS SDK v3 (@aws-sdk/client-connect) → local endpoint', () => {
  let srv;
  let tokenSrv;
  let ConnectClient;
  let SendChatIntegrationEventCommand;
  before(async () => {
    ({ ConnectClient, SendChatIntegrationEventCommand } = await tool('@aws-sdk/client-connect'));
    srv = await startEmbedded();
    tokenSrv = await startEmbedded({ credentials: [TEMP] });
  });
  after(async () => {
    await srv.close();
    await tokenSrv.close();
  });

  /** A client aimed at the local endpoint; `capture` records the request as it goes on the wire. */
  function sdk({ url = srv.url, credentials = LOCAL, region = REGION, tamper = false } = {}) {
    // A fresh object: the SDK annotates the credentials it is given (a frozen one would throw).
    const client = new ConnectClient({ region, endpoint: url, credentials: { ...credentials }, maxAttempts: 1 });
    const wire = {};
    // The deserialize step runs after signing (finalizeRequest): what it sees is what is sent.
    client.middlewareStack.add((next) => async (args) => {
      if (tamper) {
        const body = typeof args.request.body === 'string' ? args.request.body : Buffer.from(args.request.body).toString('utf8');
        const i = body.indexOf('hello');
        assert.ok(i >= 0);
        args.request.body = body.slice(0, i) + 'j' + body.slice(i + 1);
      }
      wire.headers = { ...args.request.headers };
      return next(args);
    }, { step: 'deserialize', name: 'captureSignedRequest', priority: 'low' });
    return { client, wire };
  }
  const input = () => ({ ...smsChat(), Event: message('hello from the AWS SDK') });

  test('accepted; returns the InitialContactId the endpoint recorded; extra SDK headers do not break verification', async () => {
    const { client, wire } = sdk();
    const chat = input();
    const out = await client.send(new SendChatIntegrationEventCommand(chat));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(out.NewChatCreated, true);
    assert.match(out.InitialContactId, UUID);
    assert.match(out.$metadata.requestId, UUID);
    const recorded = await getChat(srv.url, out.InitialContactId);
    assert.equal(recorded.sourceId, chat.SourceId);
    assert.equal(recorded.transcript[0].content, 'hello from the AWS SDK');

    // The SDK's own headers were on the wire: user-agent unsigned, the others signed.
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(wire.headers.authorization)[1].split(';');
    assert.ok(wire.headers['user-agent'], 'user-agent sent');
    assert.ok(!signedHeaders.includes('user-agent'), 'user-agent unsigned');
    for (const h of ['x-amz-user-agent', 'amz-sdk-invocation-id', 'amz-sdk-request', 'host', 'x-amz-date', 'x-amz-content-sha256']) {
      assert.ok(wire.headers[h] !== undefined, `${h} sent`);
      assert.ok(signedHeaders.includes(h), `${h} signed`);
    }

    const reply = await client.send(new SendChatIntegrationEventCommand({ ...chat, Event: message('reply') }));
    assert.equal(reply.InitialContactId, out.InitialContactId);
    assert.equal(reply.NewChatCreated, false);
    const bye = await client.send(new SendChatIntegrationEventCommand({ ...chat, Event: { Type: 'DISCONNECT' } }));
    assert.equal(bye.InitialContactId, out.InitialContactId);
    const none = await client.send(new SendChatIntegrationEventCommand({ ...chat, Event: { Type: 'DISCONNECT' } }));
    assert.equal(none.InitialContactId, undefined);
    client.destroy();
  });

  test('a wrong secret → InvalidSignatureException', async () => {
    const { client } = sdk({ credentials: { ...LOCAL, secretAccessKey: `${LOCAL.secretAccessKey}x` } });
    await assert.rejects(client.send(new SendChatIntegrationEventCommand(input())), (e) => {
      assert.equal(e.name, 'InvalidSignatureException');
      assert.equal(e.message, SIGNATURE_MISMATCH);
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    client.destroy();
  });

  test('one body byte changed after signing → refused with InvalidSignatureException', async () => {
    const { client, wire } = sdk({ tamper: true });
    const before = (await send(`${srv.url}/_emulator/chats`)).json.chats.length;
    await assert.rejects(client.send(new SendChatIntegrationEventCommand(input())), (e) => {
      assert.equal(e.name, 'InvalidSignatureException');
      assert.equal(e.$metadata.httpStatusCode, 403);
      return true;
    });
    assert.ok(wire.headers.authorization, 'the tampered request had been signed');
    assert.equal((await send(`${srv.url}/_emulator/chats`)).json.chats.length, before, 'nothing recorded');
    client.destroy();
  });

  test('a wrong region → InvalidSignatureException naming it; unknown key → UnrecognizedClientException', async () => {
    const a = sdk({ region: 'eu-central-1' }).client;
    await assert.rejects(a.send(new SendChatIntegrationEventCommand(input())),
      (e) => e.name === 'InvalidSignatureException' && /not 'eu-central-1'/.test(e.message));
    const b = sdk({ credentials: { accessKeyId: 'AKIDNOBODY0000000001', secretAccessKey: 'x' } }).client;
    await assert.rejects(b.send(new SendChatIntegrationEventCommand(input())), (e) => e.name === 'UnrecognizedClientException');
  });

  test('session tokens through the SDK', async () => {
    const ok = sdk({ url: tokenSrv.url, credentials: TEMP }).client;
    const out = await ok.send(new SendChatIntegrationEventCommand(input()));
    assert.equal(out.NewChatCreated, true);
    const bad = sdk({ url: tokenSrv.url, credentials: { ...TEMP, sessionToken: 'nope' } }).client;
    await assert.rejects(bad.send(new SendChatIntegrationEventCommand(input())), (e) => e.name === 'UnrecognizedClientException');
  });

  test('input the SDK does not validate is refused by the endpoint as InvalidRequestException', async () => {
    const { client } = sdk();
    await assert.rejects(client.send(new SendChatIntegrationEventCommand({ ...smsChat(), SourceId: 'not-a-number', Event: { Type: 'MESSAGE', ContentType: 'text/html', Content: 'x' } })), (e) => {
      assert.equal(e.name, 'InvalidRequestException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.message, /SourceId/);
      assert.match(e.message, /Event\.ContentType/);
      return true;
    });
  });

  test('throttling from fault injection reaches the SDK as ThrottlingException', async () => {
    const s = await startEmbedded({ faults: { throttleRate: 1 } });
    try {
      const { client } = sdk({ url: s.url });
      await assert.rejects(client.send(new SendChatIntegrationEventCommand(input())), (e) => {
        assert.equal(e.name, 'ThrottlingException');
        assert.equal(e.$metadata.httpStatusCode, 429);
        return true;
      });
    } finally {
      await s.close();
    }
  });
});
