// Memory over many requests through ONE client (stub fetch, 1 KiB MESSAGE): after a warm-up, samples
// V8 heapUsed (after gc), the wasm linear memory size, the wasm-bindgen externref table, rss and
// arrayBuffers every `every` requests, and reports growth per request.
//
//   node --expose-gc bench/memory.mjs [N=1000000] [--every 100000] [--warmup 20000] [--json-out file]
import { writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import { parseArgs } from 'node:util';

// The wasm-bindgen glue keeps its instance private; record it as it is created so the linear
// memory (`exports.memory`) and the externref table can be read. Must run before the import.
const instances = [];
const OrigInstance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(OrigInstance, {
  construct(target, args, newTarget) {
    const inst = Reflect.construct(target, args, newTarget);
    instances.push(inst);
    return inst;
  },
});
// The web glue (CCE_BENCH_BUILD=inline) instantiates asynchronously instead.
const origInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (...args) => {
  const r = await origInstantiate(...args);
  instances.push(r instanceof OrigInstance ? r : r.instance);
  return r;
};
const { loadOurs, makeOurs, makeInput, fmtInt, fmt, table } = await import('./common.mjs');
await loadOurs();
WebAssembly.Instance = OrigInstance;
WebAssembly.instantiate = origInstantiate;

/** Growth bound for a PASS, in bytes per request after warm-up (a real leak is tens of bytes or more). */
export const BOUND_BYTES_PER_REQUEST = 1;

export async function runMemory({ n = 1_000_000, every = 100_000, warmup = 20_000, log = null } = {}) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
  const client = await makeOurs();
  // Ours, not another module's (undici instantiates its llhttp wasm too): the one with wasm-bindgen's exports.
  const inst = instances.find((i) => typeof i.exports.__wbindgen_malloc === 'function');
  const input = makeInput(1024);
  const sample = (done) => {
    globalThis.gc();
    globalThis.gc();
    const m = process.memoryUsage();
    return {
      requests: done,
      heapUsed: m.heapUsed,
      wasmMemory: inst ? inst.exports.memory.buffer.byteLength : null,
      externrefs: inst?.exports.__wbindgen_externrefs?.length ?? null,
      rss: m.rss,
      // V8's young generation: it grows (and rss with it) when many objects survive a scavenge, up
      // to the --max-semi-space-size limit; not a leak, so it is shown next to rss.
      newSpace: getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? null,
      arrayBuffers: m.arrayBuffers,
      external: m.external,
    };
  };
  for (let i = 0; i < warmup; i++) await client.send(input);
  const samples = [sample(0)];
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < n; ) {
    const stop = Math.min(n, done + every);
    for (; done < stop; done++) await client.send(input);
    samples.push(sample(done));
    log?.(`  memory: ${fmtInt(done)} requests, heapUsed ${fmtInt(samples.at(-1).heapUsed)} B, wasm ${fmtInt(samples.at(-1).wasmMemory ?? 0)} B`);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  client.close();
  const first = samples[0], last = samples.at(-1);
  const per = (k) => (last[k] - first[k]) / n;
  const growth = { heapUsed: per('heapUsed'), wasmMemory: inst ? per('wasmMemory') : null, rss: per('rss'), arrayBuffers: per('arrayBuffers') };
  const pass = growth.heapUsed <= BOUND_BYTES_PER_REQUEST && (growth.wasmMemory ?? 0) <= BOUND_BYTES_PER_REQUEST &&
    (last.externrefs ?? 0) <= (first.externrefs ?? 0) + 16;
  return { n, every, warmup, seconds, samples, growth, pass, bound: BOUND_BYTES_PER_REQUEST };
}

export function renderMemory(res) {
  const rows = res.samples.map((s) => [fmtInt(s.requests), fmtInt(s.heapUsed), s.wasmMemory == null ? 'n/a' : fmtInt(s.wasmMemory),
    s.externrefs == null ? 'n/a' : fmtInt(s.externrefs), fmtInt(s.rss), s.newSpace == null ? 'n/a' : fmtInt(s.newSpace), fmtInt(s.arrayBuffers)]);
  const g = res.growth;
  return `Memory: ${fmtInt(res.n)} requests (1 KiB MESSAGE, stub fetch) through one client after ${fmtInt(res.warmup)} warm-up requests, ` +
    `${fmt(res.seconds)} s (${fmt((res.seconds * 1e6) / res.n)} µs/request); bytes after gc():\n\n` +
    table(['requests', 'heapUsed', 'wasm memory', 'externref table', 'rss', 'V8 new space', 'arrayBuffers'], rows) +
    `\n\nGrowth per request after warm-up: heapUsed ${fmt(g.heapUsed, 3)} B, wasm memory ${g.wasmMemory == null ? 'n/a' : fmt(g.wasmMemory, 3)} B, ` +
    `rss ${fmt(g.rss, 3)} B, arrayBuffers ${fmt(g.arrayBuffers, 3)} B → ${res.pass ? 'PASS' : 'FAIL'} (bound: ≤ ${res.bound} B/request for heapUsed and wasm memory, externref table flat)` +
    `\nrss is not a leak measure here: it grows early while V8 compiles hot code (optimized JS, wasm tier-up) and in ` +
    `steps when V8 enlarges its young generation (the "V8 new space" column), up to the --max-semi-space-size limit.`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { every: { type: 'string', default: '100000' }, warmup: { type: 'string', default: '20000' }, 'json-out': { type: 'string' } },
  });
  const res = await runMemory({
    n: Number(positionals[0] ?? 1_000_000),
    every: Number(values.every),
    warmup: Number(values.warmup),
    log: (m) => process.stderr.write(m + '\n'),
  });
  if (values['json-out']) writeFileSync(values['json-out'], JSON.stringify(res, null, 2));
  console.log(renderMemory(res));
  process.exitCode = 0;
}
