// Differential tests against the AWS JS SDK v3 (@aws-sdk/client-connect 3.1136.0 in .tools): the same inputs
// must give JSON-equal bodies, the same SigV4 authorization for the SDK's own signed request, and the same
// error name/message/fault/status/request id for the same HTTP error responses (documented differences asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importPackage } from './support/app.mjs';
import { sdkSend } from './support/sdk.mjs';
import { prng, seedFrom } from './support/prng.mjs';

const { ConnectChatClient, serializeChatIntegrationEvent, validateChatIntegrationEvent, signRequest } = await importPackage();

const SEED = seedFrom();
const CREDS = { accessKeyId: 'AKIDSDKDIFF', secretAccessKey: 'sdk/diff/secret+key' };
const ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';

const MESSAGE_TYPES = ['text/plain', 'text/markdown', 'application/json', 'application/vnd.amazonaws.connect.message.interactive.response'];
const EVENT_TYPES = ['application/vnd.amazonaws.connect.event.typing', 'application/vnd.amazonaws.connect.event.message.delivered',
  'application/vnd.amazonaws.connect.event.message.read'];
const SUPPORTED = ['text/markdown', 'application/json', 'application/vnd.amazonaws.connect.message.interactive',
  'application/vnd.amazonaws.connect.message.interactive.response'];
// Characters that stress JSON escaping and code-point counting.
const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\r', '\u0001', '\u001f', '\u007f', 'é', 'ß', '中', '文', '\u2028', '\u2029',
  '👋', '🏳️‍🌈', '\u0301', '<', '>', '&', "'", '\ufeff', '\uffff', '𝄞', '{', '}', ':', ','];
const KEY_CHARS = [...'abcXYZ019-_'];

const HANDWRITTEN = [
  { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } },
  { SourceId: '+14155550100', DestinationId: ARN, Subtype: 'connect:sms', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hi' } },
  { SourceId: 's', DestinationId: 'd', Subtype: 'connect:WhatsApp', Event: { Type: 'EVENT', ContentType: EVENT_TYPES[0] } },
  { SourceId: 's', DestinationId: 'd', Event: { Type: 'EVENT', ContentType: EVENT_TYPES[1], Content: '{"messageId":"m-1"}' } },
  // Every member.
  { SourceId: 'src-ü', DestinationId: 'dst-中文', Subtype: 'connect:Custom', Event: { Type: 'MESSAGE', ContentType: 'text/markdown', Content: '**bold** 👋\n"quoted" \\ back' },
    NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain', 'text/markdown'], ParticipantDetails: { DisplayName: 'Ann “A” O\'Neil' },
      Attributes: { 'order-id': '42', empty: '', Unicode_Key: 'värde 🎉' }, StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:connect:us-east-1:123456789012:instance/x' } } },
  // Empty list and map are kept.
  { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, NewSessionDetails: { Attributes: {} } },
  { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, NewSessionDetails: { SupportedMessagingContentTypes: [], Attributes: {} }, strictOff: true },
  { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, NewSessionDetails: {} },
  // Optional members given as undefined are omitted.
  { SourceId: 'a', DestinationId: 'b', Subtype: undefined, Event: { Type: 'DISCONNECT', ContentType: undefined, Content: undefined },
    NewSessionDetails: { ParticipantDetails: { DisplayName: 'x' }, Attributes: undefined, StreamingConfiguration: undefined } },
  // Limits: 255 code points of astral characters; 16,384-byte content; 256-character display name.
  { SourceId: '𝄞'.repeat(255), DestinationId: 'é'.repeat(255), Subtype: 'x'.repeat(100),
    Event: { Type: 'MESSAGE', ContentType: 'application/json', Content: JSON.stringify({ a: 'b'.repeat(16000) }).slice(0, 16384) },
    NewSessionDetails: { ParticipantDetails: { DisplayName: '👋'.repeat(256) } } },
  // Either side of the glue's short-string length (scripts/glue-patch.mjs: 48), non-ASCII first, last and inside.
  { SourceId: 'a'.repeat(48), DestinationId: 'é' + 'b'.repeat(48), Subtype: 'connect:' + 'c'.repeat(41) + 'ü',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x'.repeat(47) + '😀' + 'y'.repeat(2000) + '中' } },
  { SourceId: '\u2028\u2029', DestinationId: '</script><!--', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: '\u0000 nul and \ud83d\ude00' } },
  // null members, list items and map values are dropped by both.
  { SourceId: 'a', DestinationId: 'b', Subtype: null, Event: { Type: 'DISCONNECT', Content: null },
    NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain', null], Attributes: { k: null, j: 'v' }, ParticipantDetails: null } },
  // Attributes whose keys look like prototype members.
  { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, NewSessionDetails: { Attributes: JSON.parse('{"constructor":"c","toString":"t","hasOwnProperty":"h","__proto__":"p"}') } },
];

function randomInput(r) {
  const s = (lo, hi) => r.str(r.int(lo, hi), CHARS);
  const type = r.pick(['DISCONNECT', 'MESSAGE', 'EVENT']);
  const sms = r.bool(0.25);
  const input = {
    SourceId: sms ? `+${r.int(1, 9)}${String(r.int(0, 1e12)).padStart(r.int(1, 13), '0').slice(0, 13)}` : s(1, 40),
    DestinationId: sms ? ARN : s(1, 40),
  };
  if (sms) input.Subtype = 'connect:sms';
  else if (r.bool()) input.Subtype = r.pick(['connect:Custom', 'connect:WhatsApp', s(1, 20)]);
  // SMS and WhatsApp accept only plain text messages (a documented rule).
  const plainOnly = ['connect:sms', 'connect:WhatsApp'].includes(input.Subtype);
  const event = { Type: type };
  if (type === 'MESSAGE') {
    event.ContentType = plainOnly ? 'text/plain' : r.pick(MESSAGE_TYPES);
    event.Content = s(1, 300);
  } else if (type === 'EVENT') {
    event.ContentType = r.pick(EVENT_TYPES);
    if (r.bool()) event.Content = JSON.stringify({ messageId: s(1, 10) });
  }
  input.Event = event;
  if (r.bool(0.7)) {
    const nsd = {};
    if (r.bool()) nsd.SupportedMessagingContentTypes = ['text/plain', ...SUPPORTED.filter(() => r.bool())];
    if (r.bool()) nsd.ParticipantDetails = { DisplayName: s(1, 50) };
    if (r.bool()) {
      nsd.Attributes = {};
      for (let i = r.int(0, 6); i > 0; i -= 1) nsd.Attributes[r.str(r.int(1, 12), KEY_CHARS)] = s(0, 30);
    }
    if (r.bool(0.3)) nsd.StreamingConfiguration = { StreamingEndpointArn: `arn:aws:connect:us-east-1:123456789012:${s(1, 20)}` };
    input.NewSessionDetails = nsd;
  }
  return input;
}

function inputs() {
  const r = prng(SEED);
  const out = HANDWRITTEN.map((x) => {
    const { strictOff, ...input } = x;
    return { input, strict: !strictOff };
  });
  for (let i = 0; i < 24; i += 1) out.push({ input: randomInput(r), strict: true });
  return out;
}

const amzDateToIso = (d) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`;

test(`serialization: body JSON-equal to the SDK's for ${HANDWRITTEN.length} handwritten + 24 random inputs (seed ${SEED})`, async () => {
  const cases = inputs();
  assert.ok(cases.length >= 30);
  for (const [i, { input, strict }] of cases.entries()) {
    const v = validateChatIntegrationEvent(input, { strict });
    assert.equal(v.valid, true, `case ${i} is valid: ${JSON.stringify(v.issues)} ${JSON.stringify(input).slice(0, 200)}`);
    const ours = serializeChatIntegrationEvent(input, { strict });
    const sdk = await sdkSend(input, { credentials: CREDS });
    assert.equal(sdk.error, undefined, `SDK failed on case ${i}: ${sdk.error}`);
    assert.deepEqual(JSON.parse(ours), JSON.parse(sdk.body), `case ${i}: ${JSON.stringify(input).slice(0, 200)}`);
    // Compact JSON, as the SDK sends: no whitespace outside strings, same byte length.
    assert.equal(Buffer.byteLength(ours), Buffer.byteLength(sdk.body), `case ${i}: same length as the SDK's body`);
  }
});

test('serialization: empty list and map are kept, undefined members omitted (as the SDK does)', async () => {
  const input = { SourceId: 'a', DestinationId: 'b', Subtype: undefined, Event: { Type: 'DISCONNECT', Content: undefined },
    NewSessionDetails: { SupportedMessagingContentTypes: [], Attributes: {}, ParticipantDetails: undefined } };
  const ours = JSON.parse(serializeChatIntegrationEvent(input, { strict: false }));
  const sdk = JSON.parse((await sdkSend(input, { credentials: CREDS })).body);
  assert.deepEqual(ours, sdk);
  assert.deepEqual(ours.NewSessionDetails, { SupportedMessagingContentTypes: [], Attributes: {} });
  assert.ok(!('Subtype' in ours) && !('Content' in ours.Event));
});

test('signatures: our signRequest reproduces the SDK authorization for its own signed requests', async () => {
  const cases = inputs().slice(0, 16);
  const variants = [
    { credentials: CREDS, region: 'us-east-1' },
    { credentials: { ...CREDS, sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==' }, region: 'eu-central-1' },
    { credentials: CREDS, region: 'ap-southeast-2', systemClockOffset: -86_400_000 * 3 + 12_345 },
  ];
  let compared = 0;
  for (const [i, { input }] of cases.entries()) {
    const variant = variants[i % variants.length];
    const { request, body, error } = await sdkSend(input, variant);
    assert.equal(error, undefined);
    const auth = request.headers.authorization;
    const m = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/connect\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(auth);
    assert.ok(m, auth);
    assert.equal(m[1], variant.region);
    const signed = m[2].split(';');
    assert.ok(!signed.includes('user-agent'), 'the SDK does not sign user-agent');
    assert.ok(signed.includes('x-amz-content-sha256'));
    const url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`;
    const opts = { region: variant.region, service: 'connect', credentials: variant.credentials,
      signingDate: amzDateToIso(request.headers['x-amz-date']), applyChecksum: true };
    // (1) Exactly the headers the SDK signed (x-amz-date, the checksum and token included), bytes body.
    const headers = Object.fromEntries(signed.map((h) => [h, request.headers[h]]));
    const ours = signRequest({ method: request.method, url, headers, body: new TextEncoder().encode(body) }, opts);
    assert.equal(ours.headers.authorization, auth, `case ${i}\n${ours.canonicalRequest}`);
    // (2) Without the headers our signer adds itself, string body, headers as [name, value] pairs: same result.
    const own = new Set(['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'host']);
    const pairs = signed.filter((h) => !own.has(h)).map((h) => [h, request.headers[h]]);
    const ours2 = signRequest({ method: 'POST', url, headers: pairs, body }, opts);
    assert.equal(ours2.headers.authorization, auth, `case ${i} (own headers)\n${ours2.canonicalRequest}`);
    for (const h of ['x-amz-date', 'x-amz-content-sha256', 'host']) assert.equal(ours2.headers[h], request.headers[h], h);
    if (variant.credentials.sessionToken) assert.equal(ours2.headers['x-amz-security-token'], variant.credentials.sessionToken);
    assert.ok(!JSON.stringify(ours2).includes(variant.credentials.secretAccessKey));
    compared += 1;
  }
  assert.equal(compared, 16);
});

// ---------------------------------------------------------------------------------------------
// Error parsing: the same response through the SDK and through our client.

const DISCONNECT = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } };

// `differs` lists the fields where we deliberately differ from the SDK, with our value (see src/errors.rs):
//  - no code anywhere: our name is `UnknownError` (errors.rs UNKNOWN_ERROR_CODE), the SDK's is `Unknown`;
//  - no message: ours names code and status ("X (HTTP 500) with no error message"), the SDK says `UnknownError`;
//  - a non-JSON body on an error status: the SDK throws a SyntaxError deserialization error with no $fault;
//    we still classify by status (`UnknownError`, server fault for 5xx) and keep the body in $response.
const ERROR_TABLE = [
  { status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestException' }, body: '{"Message":"bad","Reason":{"AttachedFileInvalidRequestExceptionReason":"INVALID_FILE_SIZE"}}' },
  { status: 403, headers: { 'x-amzn-errortype': 'AccessDeniedException' }, body: '{"message":"denied"}' },
  { status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.connect/' }, body: '{"Message":"nf"}' },
  { status: 404, headers: { 'x-amzn-errortype': 'com.amazonaws.connect#ResourceNotFoundException' }, body: '{"message":"hash"}' },
  { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: '{"message":"Rate exceeded"}' },
  { status: 500, headers: { 'x-amzn-errortype': 'InternalServiceException' }, body: '{"Message":"internal"}' },
  { status: 403, headers: { 'X-Amzn-ErrorType': 'InvalidSignatureException' }, body: '{"message":"Signature expired"}' },
  { status: 400, headers: { 'x-amzn-errortype': 'aws.protocoljson#SerializationException:http://x,extra' }, body: '{"message":"ser"}' },
  { status: 403, headers: {}, body: '{"code":"AccessDeniedException","message":"body code"}' },
  { status: 403, headers: {}, body: '{"Code":"UnrecognizedClientException","Message":"capital Code"}' },
  { status: 404, headers: {}, body: '{"__type":"com.amazonaws.connect#ResourceNotFoundException","Message":"__type"}' },
  { status: 400, headers: {}, body: '{"code":"InvalidRequestException","__type":"ThrottlingException","message":"code wins"}' },
  { status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestException' }, body: '{"code":"AccessDeniedException","message":"header wins"}' },
  { status: 400, headers: { 'x-amzn-errortype': 'InvalidRequestException' }, body: '{"message":"lower","Message":"upper"}' },
  { status: 418, headers: { 'x-amzn-errortype': 'SomeNewException' }, body: '{"message":"unknown code"}' },
  { status: 400, headers: {}, body: '{"message":"no code at all"}', differs: { name: 'UnknownError' } },
  { status: 503, headers: {}, body: '', differs: { name: 'UnknownError', message: 'HTTP 503 with no error code' } },
  { status: 500, headers: { 'x-amzn-errortype': 'InternalServiceException' }, body: '{}', differs: { message: 'InternalServiceException (HTTP 500) with no error message' } },
  { status: 502, headers: { 'content-type': 'text/html' }, body: '<html>Bad Gateway</html>', differs: { name: 'UnknownError', message: 'HTTP 502 with no error code', $fault: 'server', sdkName: 'SyntaxError' } },
];

async function ourError(status, headers, body) {
  // One attempt, as the SDK oracle is configured (maxAttempts: 1).
  const c = new ConnectChatClient({ region: 'us-east-1', credentials: CREDS, maxAttempts: 1,
    fetch: async () => new Response(body === '' ? null : body, { status, headers }) });
  try {
    await c.sendChatIntegrationEvent(DISCONNECT);
  } catch (e) {
    return e;
  } finally {
    c.free();
  }
  assert.fail('our client did not reject');
}

for (const row of ERROR_TABLE) {
  test(`error parsing vs the SDK: ${row.status} ${JSON.stringify(row.headers)} ${row.body.slice(0, 60)}`, async () => {
    const headers = { 'content-type': 'application/json', 'x-amzn-requestid': 'rid-diff-1', ...row.headers };
    const sdk = await sdkSend(DISCONNECT, { credentials: CREDS, respond: () => ({ statusCode: row.status, headers, body: row.body }) });
    const s = sdk.error;
    assert.ok(s instanceof Error, 'the SDK rejected');
    const o = await ourError(row.status, headers, row.body);
    assert.ok(o instanceof Error, 'we rejected with an Error');
    const d = row.differs ?? {};
    const sdkView = { name: s.name, message: s.message, $fault: s.$fault, status: s.$metadata?.httpStatusCode, requestId: s.$metadata?.requestId };
    const ourView = { name: o.name, message: o.message, $fault: o.$fault, status: o.$metadata.httpStatusCode, requestId: o.$metadata.requestId };
    const expected = { ...sdkView };
    // Documented differences: assert both sides explicitly.
    if ('name' in d) {
      assert.equal(s.name, d.sdkName ?? 'Unknown', 'the SDK names an error without a code "Unknown"');
      expected.name = d.name;
    }
    if ('message' in d) {
      if (!d.sdkName) assert.equal(s.message, 'UnknownError', 'the SDK falls back to "UnknownError" as message');
      expected.message = d.message;
    }
    if ('$fault' in d) {
      assert.equal(s.$fault, undefined, 'the SDK deserialization error has no $fault');
      expected.$fault = d.$fault;
    }
    assert.deepEqual(ourView, expected);
    assert.equal(ourView.status, row.status);
    assert.equal(ourView.requestId, 'rid-diff-1');
    assert.equal(o.$response.statusCode, row.status);
    assert.equal(o.$response.body, row.body);
    if (o.name === 'InvalidRequestException' && /Reason/.test(row.body)) {
      assert.deepEqual(o.Reason, JSON.parse(row.body).Reason);
      assert.deepEqual(s.Reason, o.Reason, 'the SDK exposes the same Reason');
    }
  });
}

test('retryability: we mark throttling and 5xx retryable where the SDK retry strategy would retry', async () => {
  // The SDK sets $retryable only from model traits (none on Connect's errors), but its retry strategy
  // still retries throttling codes and 5xx; our $retryable states that decision up front.
  const cases = [
    [429, 'ThrottlingException', { throttling: true }],
    [400, 'TooManyRequestsException', { throttling: true }],
    [500, 'InternalServiceException', { throttling: false }],
    [503, 'ServiceUnavailableException', { throttling: false }],
    [400, 'InvalidRequestException', undefined],
    [403, 'AccessDeniedException', undefined],
    [404, 'ResourceNotFoundException', undefined],
  ];
  for (const [status, code, retryable] of cases) {
    const e = await ourError(status, { 'x-amzn-errortype': code }, '{"message":"m"}');
    assert.equal(e.name, code);
    assert.deepEqual(e.$retryable, retryable, code);
  }
});
