// The runtime matrix's cell (issue 15): one portable function that every runtime runs against the
// package as its users import it, and the Node-side checks of what it returned.
//
// `runCell` is shipped to the runtime as source text (`CELL_SOURCE`), so it must stay self-contained:
// no imports, no closures over this module, nothing newer than ES2020, usable from a classic script.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, tool } from '../../../js/support/tools.mjs';
import { NodeSha256 } from '../../../js/support/node-sha256.mjs';

/* eslint-disable no-undef */
/**
 * Validates one good and one bad input, signs the suite vector, sends through a stub `fetch`
 * (recording the request it got) and, with `opts.endpoint`, sends to the local endpoint.
 * Each step's value or error is kept, so one failing step does not hide the others.
 */
export async function runCell(m, opts) {
  const steps = {};
  const errorOf = (e) => ({
    name: e && e.name, message: String((e && e.message) || e),
    stack: String((e && e.stack) || '').split('\n').slice(0, 5).join('\n'),
  });
  async function step(name, fn) {
    if (opts.only && !opts.only.includes(name)) return;
    try { steps[name] = { ok: true, value: await fn() }; } catch (e) { steps[name] = { ok: false, error: errorOf(e) }; }
  }
  const input = {
    SourceId: opts.sourceId,
    DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
    Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: opts.content },
  };
  const bad = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'FOO' } };
  const g = typeof globalThis !== 'undefined' ? globalThis : self;
  const runtime = g.Deno ? `deno ${g.Deno.version.deno}` : g.Bun ? `bun ${g.Bun.version}`
    : g.process && g.process.versions && g.process.versions.node ? `node ${g.process.versions.node}`
      : g.navigator ? g.navigator.userAgent : 'unknown';

  await step('exports', () => ({
    functions: Object.keys(m).filter((k) => typeof m[k] === 'function').sort(),
    rules: m.chatEventRules && typeof m.chatEventRules === 'object' ? Object.keys(m.chatEventRules).length : null,
  }));
  await step('validate', () => {
    const good = m.validateChatIntegrationEvent(input);
    const no = m.validateChatIntegrationEvent(bad);
    let thrown = null;
    try { m.serializeChatIntegrationEvent(bad); } catch (e) {
      thrown = { name: e.name, isError: e instanceof Error, issues: (e.issues || []).map((i) => `${i.path}:${i.code}`) };
    }
    return {
      good, body: m.serializeChatIntegrationEvent(input), thrown,
      bad: { valid: no.valid, issues: no.issues.map((i) => ({ path: i.path, code: i.code, message: typeof i.message })) },
    };
  });
  await step('sign', () => {
    const s = m.signRequest(opts.vector.request, opts.vector.options);
    return { authorization: s.headers.authorization, canonicalRequest: s.canonicalRequest, stringToSign: s.stringToSign };
  });
  await step('stub', async () => {
    const calls = [];
    const fetch = async (url, init) => {
      const headers = {};
      new Headers(init.headers).forEach((v, k) => { headers[k] = v; });
      const body = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body);
      calls.push({ url: String(url), method: init.method, headers, body });
      return new Response(JSON.stringify({ InitialContactId: 'stub-contact-1', NewChatCreated: true }),
        { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'stub-request-1' } });
    };
    const client = new m.ConnectChatClient({ region: 'us-east-1', credentials: opts.stubCredentials, fetch, maxAttempts: 1 });
    const output = await client.sendChatIntegrationEvent(input);
    return { output, calls };
  });
  if (opts.endpoint) {
    await step('local', async () => {
      const client = new m.ConnectChatClient({ region: 'us-east-1', endpoint: opts.endpoint, credentials: opts.localCredentials,
        maxAttempts: 1, requestTimeoutMs: 15000 });
      return client.sendChatIntegrationEvent(input);
    });
  }
  return { runtime, input, steps };
}
/* eslint-enable no-undef */

export const CELL_SOURCE = runCell.toString();

// ---------------------------------------------------------------------------------------------
// The AWS SigV4 suite's get-vanilla vector, read from the committed fixture.

const VANILLA_DIR = join(root, 'tests', 'fixtures', 'sigv4', 'get-vanilla');
const context = JSON.parse(readFileSync(join(VANILLA_DIR, 'context.json'), 'utf8'));
const date = context.timestamp.slice(0, 10).replaceAll('-', '');
export const VANILLA = {
  request: { method: 'GET', url: 'https://example.amazonaws.com/' },
  options: {
    region: context.region, service: context.service, signingDate: context.timestamp, applyChecksum: false,
    credentials: { accessKeyId: context.credentials.access_key_id, secretAccessKey: context.credentials.secret_access_key },
  },
  canonicalRequest: readFileSync(join(VANILLA_DIR, 'header-canonical-request.txt'), 'utf8').trim(),
  stringToSign: readFileSync(join(VANILLA_DIR, 'header-string-to-sign.txt'), 'utf8').trim(),
  authorization: `AWS4-HMAC-SHA256 Credential=${context.credentials.access_key_id}/${date}/${context.region}/${context.service}/aws4_request, `
    + `SignedHeaders=host;x-amz-date, Signature=${readFileSync(join(VANILLA_DIR, 'header-signature.txt'), 'utf8').trim()}`,
};

/** Stub-transport credentials: never sent anywhere (the stub `fetch` answers). */
export const STUB_CREDENTIALS = Object.freeze({ accessKeyId: 'AKIDMATRIXSTUB000001', secretAccessKey: 'matrix-stub-secret-not-for-aws' });
/** The local endpoint's documented test pair (docs/local-endpoint.md). */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'AKIDLOCALCONNECT0001', secretAccessKey: 'local-connect-secret-key-not-for-aws' });

let cellCount = 0;
/** The options of one cell: a SourceId of its own, so its chat on the local endpoint is recognisable. */
export function cellOptions(name, { endpoint, only } = {}) {
  cellCount += 1;
  const sourceId = `+1415${String(process.pid % 1000).padStart(3, '0')}${String(cellCount).padStart(4, '0')}`;
  return {
    sourceId, content: `matrix cell: ${name}`, vector: { request: VANILLA.request, options: VANILLA.options },
    stubCredentials: STUB_CREDENTIALS, localCredentials: LOCAL_CREDENTIALS, endpoint, only,
  };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const EXPORTS = ['ConnectChatClient', 'resolveEndpoint', 'serializeChatIntegrationEvent', 'signRequest', 'validateChatIntegrationEvent'];

function stepValue(out, name) {
  const s = out.steps[name];
  assert.ok(s, `step ${name} ran`);
  assert.ok(s.ok, `step ${name} failed: ${s.error?.name}: ${s.error?.message}\n${s.error?.stack}`);
  return s.value;
}

/**
 * Asserts what a cell returned: typed validation issues, the suite's Authorization, the stub
 * request (method, URL, JSON body, a signature an independent signer accepts) and, when the cell
 * sent to `endpoint`, the endpoint's answer and the chat it recorded.
 */
export async function checkCell(out, { endpoint, only, exports = EXPORTS } = {}) {
  const runs = (name) => !only || only.includes(name);
  if (runs('exports')) {
    const { functions, rules } = stepValue(out, 'exports');
    for (const n of exports) assert.ok(functions.includes(n), `exports ${n} (has ${functions.join(', ')})`);
    // The full entries also carry the rules table (an object); the client-only entries do not.
    if (exports.includes('signRequest')) assert.ok(rules > 0, `chatEventRules is a non-empty object (${rules})`);
  }
  if (runs('validate')) {
    const v = stepValue(out, 'validate');
    assert.deepEqual(v.good, { valid: true, issues: [] });
    assert.deepEqual(JSON.parse(v.body), out.input);
    assert.deepEqual(v.bad, { valid: false, issues: [{ path: 'Event.Type', code: 'enum', message: 'string' }] });
    assert.deepEqual(v.thrown, { name: 'ChatEventValidationError', isError: true, issues: ['Event.Type:enum'] });
  }
  if (runs('sign')) {
    const s = stepValue(out, 'sign');
    assert.equal(s.canonicalRequest, VANILLA.canonicalRequest);
    assert.equal(s.stringToSign, VANILLA.stringToSign);
    assert.equal(s.authorization, VANILLA.authorization);
  }
  if (runs('stub')) {
    const { output, calls } = stepValue(out, 'stub');
    assert.equal(calls.length, 1, 'one request reached the stub fetch');
    const [req] = calls;
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://connect.us-east-1.amazonaws.com/chat-integration-event');
    assert.match(req.headers['content-type'], /^application\/json/);
    assert.deepEqual(JSON.parse(req.body), out.input);
    const auth = req.headers.authorization ?? '';
    assert.match(auth, new RegExp(`^AWS4-HMAC-SHA256 Credential=${STUB_CREDENTIALS.accessKeyId}/\\d{8}/us-east-1/connect/aws4_request, `));
    const signed = /SignedHeaders=([^,]+)/.exec(auth)?.[1].split(';') ?? [];
    for (const h of ['content-type', 'host', 'x-amz-date']) assert.ok(signed.includes(h), `${h} is signed (${signed.join(';')})`);
    assert.equal(await verifySigV4(req, STUB_CREDENTIALS), true, 'the stub request verifies with @smithy/signature-v4');
    assert.equal(output.InitialContactId, 'stub-contact-1');
    assert.equal(output.NewChatCreated, true);
    assert.equal(output.$metadata.httpStatusCode, 200);
    assert.equal(output.$metadata.requestId, 'stub-request-1');
    assert.equal(output.$metadata.attempts, 1);
  }
  if (endpoint && runs('local')) {
    const output = stepValue(out, 'local');
    assert.equal(output.NewChatCreated, true);
    assert.match(output.InitialContactId, UUID);
    assert.equal(output.$metadata.httpStatusCode, 200);
    assert.match(output.$metadata.requestId, UUID);
    // The endpoint kept the chat under this cell's SourceId, with its message.
    const res = await fetch(`${endpoint}/_emulator/chats/${output.InitialContactId}`);
    assert.equal(res.status, 200);
    const chat = JSON.stringify(await res.json());
    assert.ok(chat.includes(out.input.SourceId) && chat.includes(out.input.Event.Content), `the endpoint recorded this cell's chat: ${chat.slice(0, 300)}`);
  }
}

/** Checks a recorded request's SigV4 signature with the AWS SDK's own signer (an oracle independent of the package). */
export async function verifySigV4(req, credentials) {
  const { SignatureV4 } = await tool('@smithy/signature-v4');
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(req.headers.authorization ?? '');
  if (!m || m[1] !== credentials.accessKeyId) return false;
  const url = new URL(req.url);
  const headers = { host: url.host, ...req.headers };
  const signedNames = m[4].split(';');
  const signedHeaders = Object.fromEntries(signedNames.map((h) => [h, headers[h]]));
  const amz = headers['x-amz-date'];
  const signingDate = new Date(`${amz.slice(0, 4)}-${amz.slice(4, 6)}-${amz.slice(6, 8)}T${amz.slice(9, 11)}:${amz.slice(11, 13)}:${amz.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service: m[3], region: m[2], credentials, sha256: NodeSha256, applyChecksum: false });
  const signedOut = await signer.sign(
    { method: req.method, protocol: url.protocol, hostname: url.hostname, port: url.port ? Number(url.port) : undefined,
      path: url.pathname, query: url.search ? Object.fromEntries(url.searchParams) : undefined, headers: signedHeaders, body: req.body },
    { signingDate },
  );
  return signedOut.headers.authorization === req.headers.authorization;
}
