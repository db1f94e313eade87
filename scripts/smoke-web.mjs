// Smoke check of a web build (wasm-bindgen --target web output) in Node: load it, validate an
// input, sign the AWS SigV4 suite's get-vanilla vector, send through a stub fetch (a success and a
// modeled error). scripts/test.sh runs it on the plain stable browser build, the fallback of
// scripts/build.sh's size-only build, so the package never depends on the size-only flags.
//
//   node scripts/smoke-web.mjs <dir with connect_chat_events.js and connect_chat_events_bg.wasm>
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';

const dir = resolve(process.argv[2] ?? 'pkg/web');
const glue = await import(pathToFileURL(join(dir, 'connect_chat_events.js')).href);
glue.initSync({ module: readFileSync(join(dir, 'connect_chat_events_bg.wasm')) });
const { validateChatIntegrationEvent, signRequest, ConnectChatClient } = glue;

const input = {
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/abc',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello' },
};
assert.equal(validateChatIntegrationEvent(input).valid, true);
const bad = validateChatIntegrationEvent({ ...input, Event: { Type: 'NOPE' } });
assert.equal(bad.valid, false);
assert.ok(bad.issues.some((i) => i.path === 'Event.Type'), JSON.stringify(bad.issues));

// aws-sig-v4-test-suite get-vanilla.
const signed = signRequest(
  { method: 'GET', url: 'https://example.amazonaws.com/' },
  {
    region: 'us-east-1',
    service: 'service',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    signingDate: '20150830T123600Z',
    applyChecksum: false,
  },
);
assert.equal(
  signed.headers.authorization,
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
    'SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
);

const reply = (status, body, headers = {}) =>
  new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
let answer = () => reply(200, '{"InitialContactId":"c-1","NewChatCreated":true}');
const client = new ConnectChatClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  fetch: async () => answer(),
});
const out = await client.sendChatIntegrationEvent(input);
assert.equal(out.InitialContactId, 'c-1');
assert.equal(out.$metadata.httpStatusCode, 200);
answer = () => reply(404, '{"Message":"no such number"}', { 'x-amzn-errortype': 'ResourceNotFoundException' });
await assert.rejects(client.sendChatIntegrationEvent(input), (e) => {
  assert.equal(e.name, 'ResourceNotFoundException');
  assert.equal(e.message, 'no such number');
  assert.equal(e.$fault, 'client');
  return true;
});
console.log(`[smoke] ${dir}: validate, signRequest (get-vanilla), send (200, 404) ok`);
