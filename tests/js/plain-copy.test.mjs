// The plain copy every input is read from (`cce_plain`, src/wasm/input.rs) against the engine's own
// JSON: for every value, the copy must be exactly `JSON.parse(JSON.stringify(v))` (same members, in
// the same order, same numbers, same strings), `{ none }` where JSON.stringify gives undefined and
// `{ error }` where it throws; lone surrogates are reported instead of a copy. Hostile and random
// values; the seed is printed and CCE_SEED reproduces a run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, seedFrom } from './support/prng.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
// The snippet as the package ships it (wasm-bindgen writes each inline_js block to its own file).
const snippets = join(root, 'pkg', 'web', 'snippets');
const file = readdirSync(snippets, { recursive: true })
  .map((f) => join(snippets, String(f)))
  .find((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('export function cce_plain'));
const { cce_plain: plainCopy } = await import(file);

/** What the copy must be, from the engine's JSON. */
function expected(v) {
  let s;
  try {
    s = JSON.stringify(v);
  } catch {
    return { error: true };
  }
  if (s === undefined) return { none: true };
  return { text: s, value: JSON.parse(s) };
}

/** The old walk over the parsed copy that the counts replace: values at depths 0-4, arrays among them. */
function shape(v, depth = 0, n = { values: 0, arrays: 0 }) {
  n.values++;
  if (Array.isArray(v)) n.arrays++;
  if (depth < 4 && v !== null && typeof v === 'object') for (const x of Object.values(v)) shape(x, depth + 1, n);
  return n;
}

function check(name, v) {
  const want = expected(v);
  const got = plainCopy(v);
  if (want.error) {
    assert.equal(typeof got.error, 'string', `${name}: JSON.stringify throws, so the copy must report an error`);
    return;
  }
  if (want.none) {
    assert.deepEqual(got, { none: true }, `${name}: JSON has no text for it`);
    return;
  }
  if (/\\ud[89a-f][0-9a-f]{2}/i.test(want.text) && got.lone) {
    assert.ok(got.lone.length > 0, name);
    return;
  }
  assert.equal(got.error, undefined, `${name}: ${got.error}`);
  assert.deepStrictEqual(got.value, want.value, name);
  assert.equal(JSON.stringify(got.value), want.text, `${name}: members in JSON's order`);
  const n = shape(want.value);
  assert.deepEqual([got.values, got.arrays], [n.values, n.arrays], `${name}: counts`);
}

const boom = () => {
  throw new Error('boom');
};

test('the plain copy is JSON.parse(JSON.stringify(v)) for edge and hostile values', () => {
  const cyclic = { a: 1 };
  cyclic.self = cyclic;
  const shared = { s: 'x' };
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const numberWithOwnValueOf = new Number(5);
  numberWithOwnValueOf.valueOf = () => 7;
  const fnWithToJSON = Object.assign(() => 1, { toJSON: () => 'fn' });
  const protoKey = JSON.parse('{"__proto__":{"x":1},"b":2}');
  const values = {
    undefined, null: null, true: true, zero: 0, negZero: -0, negZeroInArray: [-0, { z: -0 }], NaN: NaN, inf: [Infinity, -Infinity],
    max: Number.MAX_VALUE, tiny: 5e-324, string: 'hé 👋 "q" \\ \n', emptyString: '', nul: '\u0000',
    loneHigh: { SourceId: 'a\ud800' }, loneKey: { ['k\udc00']: 1 }, pairedSurrogate: '\ud83d\ude00', escapedLookalike: '\\ud800',
    bigint: 1n, bigintInside: { a: [1n] }, symbol: Symbol('s'), symbolMember: { a: Symbol('s'), b: 1 }, symbolKey: { [Symbol('k')]: 1, a: 2 },
    fn: () => 1, fnMember: { f() {}, g: 1 }, fnInArray: [() => 1, undefined, Symbol('x')], fnWithToJSON, fnWithToJSONMember: { f: fnWithToJSON },
    sparse: [, , 3], holesAndUndef: [undefined, , null], undefinedMember: { a: undefined, b: 1 },
    date: new Date(0), invalidDate: new Date(NaN), dateMember: { d: new Date(1e12) },
    toJSONKey: { a: { toJSON: (k) => `key:${k}` }, list: [{ toJSON: (k) => `i:${k}` }] }, rootToJSON: { toJSON: (k) => ({ k }) },
    toJSONUndefined: { toJSON: () => undefined }, toJSONThrows: { a: { toJSON: boom } },
    boxed: [new Number(1), new String('s'), new Boolean(false), Object(1n)], boxedWithValueOf: numberWithOwnValueOf,
    map: new Map([['a', 1]]), set: new Set([1]), regexp: /x/g, error: new Error('e'),
    uint8: new Uint8Array([0, 255]), float: new Float64Array([-0, NaN]), arrayBuffer: new ArrayBuffer(4), url: new URL('https://example.com/'),
    numericKeys: { b: 1, 2: 'two', a: 3, 1: 'one', '-1': 'neg', '01': 'lead' }, protoKey, nullProto: Object.assign(Object.create(null), { a: 1 }),
    classInstance: new (class P { constructor() { this.x = 1; } get y() { return 2; } })(),
    inherited: Object.create({ inheritedMember: 1 }, { own: { value: 2, enumerable: true } }),
    nonEnumerable: Object.defineProperty({ a: 1 }, 'hidden', { value: 2, enumerable: false }),
    getter: { get a() { return 'got'; } }, throwingGetter: { get a() { return boom(); } },
    cyclic, sharedTwice: { a: shared, b: [shared, shared] },
    revoked, proxy: new Proxy({ a: 1 }, {}), proxyArray: new Proxy([1, 2], {}),
    proxyThrows: new Proxy({}, { ownKeys: boom }), proxyLies: new Proxy({}, { ownKeys: () => ['a'], getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }), get: () => 'lie' }),
    arrayLikeLength: Object.assign([1, 2, 3], { extra: 'dropped' }), deep: (() => { let v = 'leaf'; for (let i = 0; i < 100; i++) v = i % 2 ? { a: v } : [v]; return v; })(),
    input: { SourceId: '+14155550100', DestinationId: 'arn:aws:connect:us-east-1:1:instance/x', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'x'.repeat(16384) },
      NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: 'D' }, Attributes: { a: 'b' } } },
  };
  for (const [name, v] of Object.entries(values)) check(name, v);
});

test('nesting past the core\'s limit is cut off in the copy, never a stack overflow', () => {
  let v = {};
  for (let i = 0; i < 100_000; i++) v = { a: v };
  const got = plainCopy(v);
  assert.equal(got.error, undefined);
  let depth = 0;
  for (let x = got.value; x && typeof x === 'object' && 'a' in x; x = x.a) depth++;
  assert.ok(depth > 128 && depth < 200, `the copy keeps more than the core reads (128), not all of it: ${depth}`);
});

test('random values: the plain copy is JSON.parse(JSON.stringify(v))', () => {
  const seed = seedFrom();
  console.log(`seed ${seed} (CCE_SEED=${seed} reproduces this run)`);
  const r = prng(seed);
  const POOL = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0000', 'é', '中', '👋', '\u2028', '\ud800', '\udc00'];
  const leaf = () => r.pick([
    () => r.str(r.int(0, 8), POOL), () => r.int(-5, 5), () => r.pick([0, -0, 1.5, -1e300, NaN, Infinity]), () => r.bool(), () => null,
    () => undefined, () => () => 0, () => Symbol('s'), () => new Date(r.int(0, 2e12)), () => new Number(r.int(0, 9)), () => new String('b'),
    () => ({ toJSON: (k) => `j${k}` }),
  ])();
  const gen = (depth) => {
    if (depth > 5 || r.bool(0.4)) return leaf();
    if (r.bool()) return Array.from({ length: r.int(0, 4) }, () => gen(depth + 1));
    const o = {};
    for (let i = r.int(0, 4); i > 0; i--) o[r.pick(['a', 'b', '1', '10', '__x', 'é', 'SourceId', r.str(2, POOL)])] = gen(depth + 1);
    return o;
  };
  for (let i = 0; i < 3000; i++) check(`random #${i} (seed ${seed})`, gen(0));
});
