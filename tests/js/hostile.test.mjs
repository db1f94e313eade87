// Hostile and random values through every export of the installed package. validate never throws and
// returns typed issues; everything else throws only real Errors with a stable name from the package (never
// a TypeError, never the caller's own exception, never a wasm trap); and afterwards the module still works.
// Random values come from a seeded PRNG: rerun a failure with CCE_SEED=<seed printed in the test name>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { importPackage } from './support/app.mjs';
import { prng, seedFrom } from './support/prng.mjs';

const m = await importPackage();
const { ConnectChatClient, validateChatIntegrationEvent, serializeChatIntegrationEvent, signRequest, resolveEndpoint } = m;

const SEED = seedFrom();
const SECRET = 'hostile/test/secret+KEY+must+not+leak';
const CREDS = Object.freeze({ accessKeyId: 'AKIDHOSTILE', secretAccessKey: SECRET });
const VALID = Object.freeze({ SourceId: 'a', DestinationId: 'b', Event: Object.freeze({ Type: 'DISCONNECT' }) });
const VANILLA = [{ method: 'GET', url: 'https://example.amazonaws.com/' }, { region: 'us-east-1', service: 'service', signingDate: '2015-08-30T12:36:00Z',
  applyChecksum: false, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } }];
const VANILLA_SIG = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

// The caller's own exceptions are tagged, so we can tell if one escapes unwrapped.
class HostileError extends Error { constructor() { super('hostile value threw'); this.name = 'HostileError'; } }
const boom = () => { throw new HostileError(); };
const TRAPS = ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'setPrototypeOf', 'defineProperty',
  'deleteProperty', 'isExtensible', 'preventExtensions', 'apply', 'construct'];

function deep(depth, leaf, wrap) {
  let v = leaf;
  for (let i = 0; i < depth; i += 1) v = wrap(v);
  return v;
}

const TEN_MB = 'x'.repeat(10 * 1024 * 1024);
const TEN_MB_SURROGATES = '\ud800'.repeat(2 * 1024 * 1024);

/** Named hostile values, built fresh on each call (some are stateful). */
function hostileValues() {
  const cyclic = { SourceId: 'a' };
  cyclic.self = cyclic;
  const cyclicArr = [];
  cyclicArr.push(cyclicArr);
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const getterObj = {};
  for (const k of ['SourceId', 'DestinationId', 'Event', 'url', 'method', 'headers', 'body', 'region', 'service', 'credentials',
    'accessKeyId', 'secretAccessKey', 'endpoint', 'strict', 'fetch', 'abortSignal', 'then', 'entries', 'href', 'x-h']) {
    Object.defineProperty(getterObj, k, { get: boom, enumerable: true });
  }
  return {
    undefined, null: null, true: true, false: false, zero: 0, negZero: -0, NaN: NaN, Infinity: Infinity, negInfinity: -Infinity,
    maxNumber: Number.MAX_VALUE, minInt: Number.MIN_SAFE_INTEGER, float: 3.14159,
    bigint: 12345678901234567890n, symbol: Symbol('hostile'), emptyString: '', string: 'hello', loneHigh: '\ud800', loneLow: 'a\udc00b',
    nul: '\u0000', tenMB: TEN_MB, tenMBSurrogates: TEN_MB_SURROGATES, jsonLike: '{"SourceId":"a"}',
    function: function f() {}, arrow: () => VALID, asyncFn: async () => VALID, class: class X {},
    emptyArray: [], array: [1, 'a', null], sparse: [, , 3], arrayOfPairs: [['a', 'b']], bigArray: new Array(100_000).fill('x'),
    emptyObject: {}, nullProto: Object.create(null), date: new Date(), invalidDate: new Date(NaN), regexp: /x/g,
    map: new Map([['a', 'b']]), set: new Set([1]), weakMap: new WeakMap(), promise: Promise.resolve(VALID), error: new Error('e'),
    arrayBuffer: new ArrayBuffer(8), uint8: new Uint8Array([0, 255]), int32: new Int32Array(2), dataView: new DataView(new ArrayBuffer(2)),
    url: new URL('https://example.com/'), headers: new Headers({ a: 'b' }), abortSignal: AbortSignal.abort(),
    boxedString: new String('a'), boxedNumber: new Number(1),
    protoJson: JSON.parse('{"__proto__":{"SourceId":"x","polluted":true},"constructor":{"prototype":{"polluted":true}},"prototype":1}'),
    protoInInput: JSON.parse('{"SourceId":"a","DestinationId":"b","Event":{"Type":"DISCONNECT","__proto__":{"Content":"x"}},"__proto__":{"Subtype":"s"}}'),
    constructorKey: { constructor: 'x', toString: 'y', valueOf: 'z', hasOwnProperty: 1 },
    deepObject: deep(10_000, {}, (v) => ({ a: v })),
    deepArray: deep(10_000, [], (v) => [v]),
    deepEvent: { SourceId: 'a', DestinationId: 'b', Event: deep(10_000, { Type: 'DISCONNECT' }, (v) => ({ Type: 'EVENT', x: v })) },
    cyclic, cyclicArr,
    getters: getterObj,
    throwingToJSON: { toJSON: boom },
    toJSONWeird: { toJSON: () => Symbol('s') },
    throwingToPrimitive: { [Symbol.toPrimitive]: boom, toString: boom, valueOf: boom },
    throwingIterator: { [Symbol.iterator]: boom, entries: boom },
    badIterator: Object.assign(Object.create({ entries() {} }), { [Symbol.iterator]() { return { next: boom }; } }),
    proxyThrows: new Proxy({}, Object.fromEntries(TRAPS.map((t) => [t, boom]))),
    proxyFnThrows: new Proxy(() => {}, Object.fromEntries(TRAPS.map((t) => [t, boom]))),
    proxyLies: new Proxy({}, { get: (_, k) => (k === Symbol.iterator ? undefined : 'lie'), ownKeys: () => ['a', 'b'],
      getOwnPropertyDescriptor: () => ({ value: 'lie', enumerable: true, configurable: true }) }),
    revokedProxy: revoked,
    frozen: Object.freeze({ SourceId: Object.freeze(['a']) }),
    manyKeys: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, `v${i}`])),
    wrongTypes: { SourceId: 1, DestinationId: true, Subtype: [], Event: 'MESSAGE', NewSessionDetails: 5 },
    nestedWrong: { SourceId: 'a', DestinationId: 'b', Event: { Type: 7, ContentType: {}, Content: [] },
      NewSessionDetails: { SupportedMessagingContentTypes: [1, null], ParticipantDetails: 'x', Attributes: { a: 1, b: null, c: {} }, StreamingConfiguration: [] } },
    hugeMembers: { SourceId: TEN_MB, DestinationId: TEN_MB_SURROGATES, Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: TEN_MB } },
    surrogateMembers: { SourceId: '\ud800', DestinationId: '\udfff', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x\ud83d' } },
  };
}

const ISSUE_CODES = new Set(['type', 'required', 'length', 'enum', 'content-type', 'bytes', 'e164', 'arn', 'pattern', 'contains', 'unknown', 'json', 'encoding']);

function assertValidationResult(r, label) {
  assert.ok(r && typeof r === 'object', `${label}: result is an object`);
  assert.deepEqual(Object.keys(r).sort(), ['issues', 'valid'], label);
  assert.equal(typeof r.valid, 'boolean', label);
  assert.ok(Array.isArray(r.issues), label);
  assert.equal(r.valid, r.issues.length === 0, `${label}: valid iff no issues`);
  for (const i of r.issues) {
    assert.deepEqual(Object.keys(i).sort(), ['code', 'message', 'path'], label);
    assert.equal(typeof i.path, 'string', label);
    assert.equal(typeof i.code, 'string', label);
    assert.ok(ISSUE_CODES.has(i.code), `${label}: known issue code ${i.code}`);
    assert.equal(typeof i.message, 'string', label);
    assert.ok(i.message.length > 0 && i.message.length < 4096, `${label}: message is short (${i.message.length})`);
  }
}

/** Runs f; returns { value } or { error }, classifying what was thrown. */
function attempt(f) {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
}

/** Records a problem if `error` is not an Error with one of `names` (or leaks the secret). */
function checkThrown(problems, label, error, names) {
  if (!(error instanceof Error)) {
    problems.push(`${label}: threw a non-Error ${typeof error} ${String(error).slice(0, 80)}`);
  } else if (!names.includes(error.name)) {
    problems.push(`${label}: threw ${error.name}: ${error.message.slice(0, 120)}`);
  } else if (error.message.includes(SECRET) || (JSON.stringify(error) ?? '').includes(SECRET)) {
    problems.push(`${label}: error leaks the secret`);
  } else if (typeof error.message !== 'string' || error.message.length === 0) {
    problems.push(`${label}: empty message`);
  }
}

/** Groups problems by their shape (the label minus the value name) for a readable failure. */
function report(problems) {
  return `${problems.length} problem(s):\n${[...new Set(problems)].slice(0, 40).join('\n')}`;
}

function assertModuleWorks() {
  const s = signRequest(...VANILLA);
  assert.equal(s.signature, VANILLA_SIG);
  assert.deepEqual(validateChatIntegrationEvent(VALID), { valid: true, issues: [] });
  assert.deepEqual(JSON.parse(serializeChatIntegrationEvent(VALID)), VALID);
  const bad = validateChatIntegrationEvent({ SourceId: '', DestinationId: 'b', Event: { Type: 'X' } });
  assert.deepEqual(bad.issues.map((i) => `${i.path}:${i.code}`).sort(), ['Event.Type:enum', 'SourceId:length']);
  assert.equal(resolveEndpoint({ region: 'us-west-2' }), 'https://connect.us-west-2.amazonaws.com');
  assert.equal(new ConnectChatClient({ region: 'us-east-1', credentials: CREDS }).endpoint, 'https://connect.us-east-1.amazonaws.com');
}

test('validateChatIntegrationEvent never throws on hostile inputs and options', () => {
  const problems = [];
  for (const [name, v] of Object.entries(hostileValues())) {
    for (const [label, f] of [
      [`validate(${name})`, () => validateChatIntegrationEvent(v)],
      [`validate(${name}, { strict: false })`, () => validateChatIntegrationEvent(v, { strict: false })],
      [`validate({...VALID, SourceId: ${name}})`, () => validateChatIntegrationEvent({ ...VALID, SourceId: v })],
      [`validate({...VALID, Event: { Type: ${name} }})`, () => validateChatIntegrationEvent({ ...VALID, Event: { Type: v } })],
      [`validate(NewSessionDetails.Attributes = ${name})`, () => validateChatIntegrationEvent({ ...VALID, NewSessionDetails: { Attributes: v } })],
      [`validate(Attributes.k = ${name})`, () => validateChatIntegrationEvent({ ...VALID, NewSessionDetails: { Attributes: { k: v } } })],
    ]) {
      const r = attempt(f);
      if ('error' in r) { problems.push(`${label}: threw ${r.error?.name}: ${r.error?.message}`); continue; }
      try { assertValidationResult(r.value, label); } catch (e) { problems.push(e.message); continue; }
      // None of the hostile values is itself a valid input.
      // (Not strict, unknown members such as an own `__proto__` key are ignored, so only check the strict call.)
      if (r.value.valid && label === `validate(${name})`) problems.push(`${label}: reported valid`);
    }
    // Hostile options: a broken options object means the defaults, so a valid input stays valid.
    const o = attempt(() => validateChatIntegrationEvent(VALID, v));
    if ('error' in o) problems.push(`validate(VALID, ${name}): threw ${o.error?.name}`);
    else if (!o.value.valid) problems.push(`validate(VALID, ${name}): not valid: ${JSON.stringify(o.value.issues)}`);
  }
  assert.deepEqual(problems, [], report(problems));
  assertModuleWorks();
});

test('validate: no prototype pollution and no inherited members from __proto__/constructor keys', () => {
  const r = validateChatIntegrationEvent(JSON.parse('{"SourceId":"a","DestinationId":"b","Event":{"Type":"DISCONNECT"},"__proto__":{"Subtype":"x"}}'));
  assert.equal(r.valid, false);
  assert.ok(r.issues.some((i) => i.path === '__proto__' && i.code === 'unknown'), JSON.stringify(r.issues));
  const attrs = JSON.parse('{"__proto__":"p","constructor":"c"}');
  const ok = { ...VALID, NewSessionDetails: { Attributes: attrs } };
  assert.equal(validateChatIntegrationEvent(ok).valid, true);
  const sent = JSON.parse(serializeChatIntegrationEvent(ok)).NewSessionDetails.Attributes;
  assert.deepEqual(Object.entries(sent).sort(), [['__proto__', 'p'], ['constructor', 'c']]);
  assert.equal(Object.getPrototypeOf(sent), Object.prototype);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.SourceId, undefined);
});

test('serializeChatIntegrationEvent throws only ChatEventValidationError, with the same issues as validate', () => {
  const problems = [];
  for (const [name, v] of Object.entries(hostileValues())) {
    for (const [label, input] of [[name, v], [`Event=${name}`, { ...VALID, Event: v }], [`Attributes=${name}`, { ...VALID, NewSessionDetails: { Attributes: v } }]]) {
      const r = attempt(() => serializeChatIntegrationEvent(input));
      const valid = validateChatIntegrationEvent(input);
      if ('value' in r) {
        if (!valid.valid) problems.push(`serialize(${label}): returned although validate says invalid`);
        else if (typeof r.value !== 'string') problems.push(`serialize(${label}): returned ${typeof r.value}`);
        continue;
      }
      checkThrown(problems, `serialize(${label})`, r.error, ['ChatEventValidationError']);
      if (r.error?.name === 'ChatEventValidationError') {
        try {
          assert.deepEqual(r.error.issues, valid.issues);
          assert.equal(r.error.$fault, 'client');
        } catch { problems.push(`serialize(${label}): issues differ from validate's`); }
      }
    }
  }
  assert.deepEqual(problems, [], report(problems));
  assertModuleWorks();
});

/** Every way a hostile value can enter signRequest. */
function signCalls(name, v) {
  const req = { method: 'POST', url: 'https://connect.us-east-1.amazonaws.com/p', headers: { 'content-type': 'application/json' }, body: '{}' };
  const opts = { region: 'us-east-1', service: 'connect', credentials: CREDS, signingDate: '2020-01-01T00:00:00Z' };
  return [
    [`sign(${name}, opts)`, () => signRequest(v, opts)],
    [`sign(req, ${name})`, () => signRequest(req, v)],
    [`sign(${name}, ${name})`, () => signRequest(v, v)],
    ...['method', 'url', 'headers', 'body'].map((k) => [`sign(req.${k}=${name})`, () => signRequest({ ...req, [k]: v }, opts)]),
    [`sign(req.headers.x-h=${name})`, () => signRequest({ ...req, headers: { 'x-h': v } }, opts)],
    [`sign(req.headers=[[x-h, ${name}]])`, () => signRequest({ ...req, headers: [['x-h', v]] }, opts)],
    [`sign(req.headers=[[${name}, v]])`, () => signRequest({ ...req, headers: [[v, 'v']] }, opts)],
    [`sign(req.headers=[${name}])`, () => signRequest({ ...req, headers: [v] }, opts)],
    [`sign(req.headers=Map x-h→${name})`, () => signRequest({ ...req, headers: new Map([['x-h', v]]) }, opts)],
    ...['region', 'service', 'credentials', 'signingDate', 'applyChecksum', 'uriEscapePath', 'normalizePath'].map((k) =>
      [`sign(opts.${k}=${name})`, () => signRequest(req, { ...opts, [k]: v })]),
    ...['accessKeyId', 'secretAccessKey', 'sessionToken'].map((k) =>
      [`sign(credentials.${k}=${name})`, () => signRequest(req, { ...opts, credentials: { ...CREDS, [k]: v } })]),
  ];
}

function checkSigned(problems, label, out) {
  if (!out || typeof out !== 'object' || !/^[0-9a-f]{64}$/.test(out.signature) || typeof out.headers?.authorization !== 'string') {
    problems.push(`${label}: returned a malformed result`);
  } else if (JSON.stringify(out).includes(SECRET)) {
    problems.push(`${label}: result leaks the secret`);
  }
}

test('signRequest throws only SigningError on hostile requests and options', () => {
  const problems = [];
  for (const [name, v] of Object.entries(hostileValues())) {
    for (const [label, f] of signCalls(name, v)) {
      const r = attempt(f);
      if ('value' in r) checkSigned(problems, label, r.value);
      else checkThrown(problems, label, r.error, ['SigningError']);
    }
  }
  assert.deepEqual(problems, [], report(problems));
  assertModuleWorks();
});

test('resolveEndpoint throws only EndpointError; the client constructor only ConfigurationError/EndpointError', () => {
  const problems = [];
  const base = { region: 'us-east-1', credentials: CREDS };
  for (const [name, v] of Object.entries(hostileValues())) {
    const calls = [
      [`resolveEndpoint(${name})`, () => resolveEndpoint(v), ['EndpointError']],
      ...['region', 'endpoint', 'useFipsEndpoint', 'useDualstackEndpoint'].map((k) =>
        [`resolveEndpoint({ ${k}: ${name} })`, () => resolveEndpoint({ region: 'us-east-1', [k]: v }), ['EndpointError']]),
      [`new ConnectChatClient(${name})`, () => new ConnectChatClient(v), ['ConfigurationError', 'EndpointError']],
      ...['region', 'credentials', 'endpoint', 'useFipsEndpoint', 'useDualstackEndpoint', 'fetch', 'profile', 'maxAttempts', 'retryMode',
        'shouldRetry', 'requestTimeoutMs', 'logger', 'systemClockOffset'].map((k) =>
        [`new ConnectChatClient({ ${k}: ${name} })`, () => new ConnectChatClient({ ...base, [k]: v }), ['ConfigurationError', 'EndpointError']]),
      ...['accessKeyId', 'secretAccessKey', 'sessionToken'].map((k) =>
        [`new ConnectChatClient({ credentials.${k}: ${name} })`, () => new ConnectChatClient({ ...base, credentials: { ...CREDS, [k]: v } }), ['ConfigurationError']]),
    ];
    for (const [label, f, names] of calls) {
      const r = attempt(f);
      if ('value' in r) {
        if (label.startsWith('resolveEndpoint') && (typeof r.value !== 'string' || !/^https?:\/\//.test(r.value))) problems.push(`${label}: returned ${String(r.value).slice(0, 60)}`);
        if (r.value instanceof ConnectChatClient) {
          if (JSON.stringify(r.value).includes(SECRET)) problems.push(`${label}: client JSON leaks the secret`);
          r.value.free();
        }
      } else {
        checkThrown(problems, label, r.error, names);
      }
    }
  }
  assert.deepEqual(problems, [], report(problems));
  assertModuleWorks();
});

test('sendChatIntegrationEvent: hostile inputs reject (never throw synchronously) with ChatEventValidationError, nothing fetched', async () => {
  const problems = [];
  let fetched = 0;
  const client = new ConnectChatClient({ region: 'us-east-1', credentials: CREDS, fetch: async () => { fetched += 1; return new Response('{}'); } });
  for (const [name, v] of Object.entries(hostileValues())) {
    for (const [label, input] of [[name, v], [`Event=${name}`, { ...VALID, Event: v }]]) {
      let p;
      try { p = client.sendChatIntegrationEvent(input); } catch (e) { problems.push(`send(${label}): threw synchronously ${e?.name}`); continue; }
      if (!(p instanceof Promise)) { problems.push(`send(${label}): did not return a Promise`); continue; }
      try {
        await p;
        problems.push(`send(${label}): resolved`);
      } catch (e) {
        checkThrown(problems, `send(${label})`, e, ['ChatEventValidationError']);
      }
    }
  }
  assert.deepEqual(problems, [], report(problems));
  assert.equal(fetched, 0, 'no request for invalid input');
  assertModuleWorks();
});

test('sendChatIntegrationEvent: a hostile options/abortSignal never reaches fetch as a non-AbortSignal', async () => {
  // fetch rejects a `signal` that is not an AbortSignal with a TypeError; the client must not pass one on.
  const problems = [];
  const client = new ConnectChatClient({ region: 'us-east-1', credentials: CREDS,
    fetch: async (url, init) => {
      let isSignal = false;
      try { isSignal = init.signal instanceof AbortSignal; } catch { /* a hostile object */ }
      if ('signal' in init && !isSignal) throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
      return new Response('{"NewChatCreated":false}', { status: 200 });
    } });
  for (const [name, v] of Object.entries(hostileValues())) {
    if (name === 'abortSignal') continue;
    for (const [label, opts] of [[`options=${name}`, v], [`abortSignal=${name}`, { abortSignal: v }]]) {
      try {
        const out = await client.sendChatIntegrationEvent(VALID, opts);
        if (out.NewChatCreated !== false) problems.push(`send(VALID, ${label}): wrong output`);
      } catch (e) {
        // A typed configuration error would be acceptable; fetch's TypeError is not.
        checkThrown(problems, `send(VALID, ${label})`, e, ['ConfigurationError']);
      }
    }
  }
  assert.deepEqual(problems, [], report(problems));
});

// ---------------------------------------------------------------------------------------------
// Random values (seeded).

const KEYS = ['SourceId', 'DestinationId', 'Subtype', 'Event', 'Type', 'ContentType', 'Content', 'NewSessionDetails',
  'SupportedMessagingContentTypes', 'ParticipantDetails', 'DisplayName', 'Attributes', 'StreamingConfiguration', 'StreamingEndpointArn',
  '__proto__', 'constructor', 'toJSON', 'url', 'method', 'headers', 'body', 'region', 'service', 'credentials', 'accessKeyId',
  'secretAccessKey', 'sessionToken', 'signingDate', 'endpoint', 'useFipsEndpoint', 'x-amz-date', 'authorization', 'host', ''];
const STRS = ['', 'a', 'MESSAGE', 'EVENT', 'DISCONNECT', 'text/plain', 'connect:sms', '+14155550100', 'https://x.test/', 'http://127.0.0.1:1/a/../b?x=1&x=2#f',
  'us-east-1', '\ud800', '\udc00', '👋', '\u0000', ' ', '  padded  ', '\n', 'é'.repeat(300), 'a'.repeat(20000), '2015-08-30T12:36:00Z', '20150830T123600Z',
  'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef', '%', '%zz', '/', '//', '?', '#', 'GET', 'get', 'P O S T'];

function randomValue(r, depth = 0) {
  const k = r.int(0, depth > 4 ? 6 : 11);
  switch (k) {
    case 0: return r.pick([undefined, null, true, false]);
    case 1: return r.pick([0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -0, 1e21, 1440938160000]);
    case 2: case 3: return r.pick(STRS);
    case 4: return r.str(r.int(0, 40), STRS.map((s) => s.slice(0, 2)).filter(Boolean));
    case 5: return r.pick([1n, Symbol('r'), () => 1, new Date(r.int(-1e13, 1e13)), new Uint8Array(r.int(0, 5)), /r/]);
    case 6: return r.pick([boom, {}, [], Object.create(null)]);
    case 7: case 8: case 9: {
      const o = r.bool(0.1) ? Object.create(null) : {};
      for (let i = r.int(0, 5); i > 0; i -= 1) {
        const key = r.pick(KEYS);
        if (r.bool(0.05)) Object.defineProperty(o, key, { get: boom, enumerable: true, configurable: true });
        else Object.defineProperty(o, key, { value: randomValue(r, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return r.bool(0.05) ? new Proxy(o, { ownKeys: boom }) : o;
    }
    default: return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
  }
}

/** A mostly valid input with a few members replaced by random values. */
function mutatedInput(r) {
  const input = structuredClone({ SourceId: '+14155550100', DestinationId: STRS[22], Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hi' },
    NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: 'n' }, Attributes: { a: 'b' },
      StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:connect:us-east-1:1:x' } } });
  const paths = [[], ['Event'], ['NewSessionDetails'], ['NewSessionDetails', 'Attributes'], ['NewSessionDetails', 'ParticipantDetails']];
  for (let i = r.int(0, 3); i > 0; i -= 1) {
    const path = r.pick(paths);
    let target = input;
    for (const p of path) target = target?.[p];
    if (target && typeof target === 'object') {
      if (r.bool(0.3)) delete target[r.pick(Object.keys(target))];
      else target[r.pick(KEYS)] = randomValue(r, 2);
    }
  }
  return input;
}

test(`random values (seed ${SEED}): 4000 inputs through validate/serialize/send, 3000 through signRequest/resolveEndpoint/constructor`, async () => {
  const r = prng(SEED);
  const problems = [];
  let valids = 0;
  let signed = 0;
  const client = new ConnectChatClient({ region: 'us-east-1', credentials: CREDS, fetch: async () => new Response('{"NewChatCreated":true,"InitialContactId":"c"}') });
  for (let i = 0; i < 4000; i += 1) {
    const input = i % 2 ? mutatedInput(r) : randomValue(r);
    const strict = r.bool(0.7);
    const v = attempt(() => validateChatIntegrationEvent(input, { strict }));
    if ('error' in v) { problems.push(`#${i} validate threw ${v.error?.name}: ${v.error?.message}`); continue; }
    try { assertValidationResult(v.value, `#${i}`); } catch (e) { problems.push(e.message); continue; }
    const s = attempt(() => serializeChatIntegrationEvent(input, { strict }));
    if (v.value.valid) {
      valids += 1;
      if ('error' in s) problems.push(`#${i} valid but serialize threw ${s.error?.name}: ${s.error?.message}`);
      else {
        // The body is the input's JSON (members the input had, nothing added).
        const body = JSON.parse(s.value);
        if (JSON.stringify(body) !== s.value) problems.push(`#${i} body is not compact JSON`);
        // (null members, list items and map values are dropped, as the AWS SDK's serializer does.)
        // Not strict, unknown members are ignored and dropped (src/validate.rs `Options::strict`).
        const expected = stripNulls(JSON.parse(JSON.stringify(input)));
        if (!deepEqualLoose(strict ? expected : project(expected, SHAPE), body)) {
          problems.push(`#${i} (strict ${strict}) body differs from the input: ${s.value.slice(0, 300)} vs ${JSON.stringify(input).slice(0, 300)}`);
        }
      }
    } else if (!('error' in s)) {
      problems.push(`#${i} invalid but serialize returned`);
    } else {
      checkThrown(problems, `#${i} serialize`, s.error, ['ChatEventValidationError']);
    }
    if (i % 8 === 0 && strict) {
      try {
        const out = await client.sendChatIntegrationEvent(input);
        if (!v.value.valid) problems.push(`#${i} send resolved for invalid input`);
        else if (out.NewChatCreated !== true) problems.push(`#${i} send: wrong output`);
      } catch (e) {
        if (v.value.valid) problems.push(`#${i} send rejected valid input: ${e?.name} ${e?.message}`);
        else checkThrown(problems, `#${i} send`, e, ['ChatEventValidationError']);
      }
    }
  }
  for (let i = 0; i < 3000; i += 1) {
    const req = r.bool(0.6)
      ? { method: r.pick(['GET', 'POST', 'PUT', randomValue(r, 3)]), url: r.pick([STRS[9], STRS[10], 'https://example.com/a b/%2F', randomValue(r, 3)]),
        headers: r.pick([{ 'x-a': r.pick(STRS) }, [['X-A', r.pick(STRS)], ['x-a', r.pick(STRS)]], randomValue(r, 2)]), body: r.pick([r.pick(STRS), new Uint8Array(3), randomValue(r, 3)]) }
      : randomValue(r);
    const opts = r.bool(0.6)
      ? { region: r.pick(['us-east-1', randomValue(r, 3)]), service: r.pick(['connect', 's3', randomValue(r, 3)]),
        credentials: r.pick([CREDS, { ...CREDS, sessionToken: r.pick(STRS) }, randomValue(r, 3)]), signingDate: r.pick([undefined, STRS[20], STRS[21], randomValue(r, 3)]),
        applyChecksum: r.pick([true, false, undefined, randomValue(r, 4)]) }
      : randomValue(r);
    const sr = attempt(() => signRequest(req, opts));
    if ('value' in sr) { signed += 1; checkSigned(problems, `#${i} sign`, sr.value); } else checkThrown(problems, `#${i} sign`, sr.error, ['SigningError']);
    const cfg = r.bool(0.5) ? { region: r.pick(['us-east-1', 'cn-north-1', 'us-gov-west-1', randomValue(r, 3)]), endpoint: r.pick([undefined, STRS[9], randomValue(r, 3)]),
      useFipsEndpoint: r.pick([undefined, true, false, randomValue(r, 4)]), useDualstackEndpoint: r.pick([undefined, true, randomValue(r, 4)]),
      credentials: r.pick([CREDS, async () => CREDS, randomValue(r, 3)]), fetch: r.pick([undefined, fetch, randomValue(r, 4)]) } : randomValue(r);
    const re = attempt(() => resolveEndpoint(cfg));
    if ('error' in re) checkThrown(problems, `#${i} resolveEndpoint`, re.error, ['EndpointError']);
    const cc = attempt(() => new ConnectChatClient(cfg));
    if ('error' in cc) checkThrown(problems, `#${i} constructor`, cc.error, ['ConfigurationError', 'EndpointError']);
    else cc.value.free();
  }
  assert.deepEqual(problems, [], report(problems));
  // The generators do reach both outcomes.
  assert.ok(valids > 100, `only ${valids} random inputs were valid`);
  // About 1.4% of these fully random requests are signable (each of ~11 members may be junk): ~40 of 3000.
  assert.ok(signed > 15, `only ${signed} random requests signed`);
  assertModuleWorks();
});

function stripNulls(v) {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(stripNulls);
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) Object.defineProperty(o, k, { value: stripNulls(x), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

// Members of each structure of SendChatIntegrationEventInput (true: a leaf, 'map'/'list': kept as is).
const SHAPE = { SourceId: true, DestinationId: true, Subtype: true, Event: { Type: true, ContentType: true, Content: true },
  NewSessionDetails: { SupportedMessagingContentTypes: 'list', ParticipantDetails: { DisplayName: true }, Attributes: 'map',
    StreamingConfiguration: { StreamingEndpointArn: true } } };

function project(v, shape) {
  if (!v || typeof v !== 'object' || Array.isArray(v) || typeof shape !== 'object') return v;
  const o = {};
  for (const [k, sub] of Object.entries(shape)) if (Object.hasOwn(v, k)) o[k] = project(v[k], sub);
  return o;
}

function deepEqualLoose(a, b) {
  try { assert.deepEqual(a, b); return true; } catch { return false; }
}

test('after everything: the module is not poisoned (sign, validate, serialize, send all correct)', async () => {
  // Run the heaviest hostile values once more, then check every function.
  for (const v of Object.values(hostileValues())) {
    validateChatIntegrationEvent(v);
    attempt(() => signRequest({ url: 'https://x.test/', headers: v, body: v }, { region: v, service: 's', credentials: CREDS }));
  }
  assertModuleWorks();
  const c = new ConnectChatClient({ region: 'us-east-1', credentials: CREDS, fetch: async () => new Response('{"InitialContactId":"ok","NewChatCreated":true}') });
  const out = await c.sendChatIntegrationEvent(VALID);
  assert.equal(out.InitialContactId, 'ok');
  assert.equal(out.$metadata.httpStatusCode, 200);
});
