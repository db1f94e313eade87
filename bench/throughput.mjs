// Per-request cost, side by side in ONE Node process: interleaved rounds of every contender at every
// content size, each sample = N sequential awaited requests timed with process.hrtime.bigint().
//
//   node bench/throughput.mjs [--rounds 15] [--sample-ms 25] [--warmup-ms 400] [--json-out file]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CONTENDERS, SIZES, makeInput, median, fmt, table, sizeLabel } from './common.mjs';

const ORDER = ['ours', 'oursReal', 'sdk', 'aws4fetch', 'floor'];

export async function runThroughput({ rounds = 15, sampleMs = 25, warmupMs = 400, log = console.log } = {}) {
  const clients = {};
  for (const k of ORDER) clients[k] = await CONTENDERS[k].make();
  const inputs = Object.fromEntries(SIZES.map((n) => [n, makeInput(n)]));

  const timeN = async (c, input, n) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await c.send(input);
    return Number(process.hrtime.bigint() - t0) / 1e3 / n; // µs per request
  };

  // Warm up every contender at every size (JIT, caches, signing keys), then size each sample so it
  // lasts about sampleMs.
  const perSample = {};
  for (const k of ORDER) {
    for (const size of SIZES) {
      let n = 16, spent = 0, us = 0;
      while (spent < warmupMs) {
        us = await timeN(clients[k], inputs[size], n);
        spent += (us * n) / 1e3;
        if ((us * n) / 1e3 < 20) n *= 2;
      }
      perSample[`${k}/${size}`] = Math.max(8, Math.round((sampleMs * 1e3) / us));
    }
  }

  const samples = {};
  for (const k of ORDER) for (const size of SIZES) samples[`${k}/${size}`] = [];
  for (let r = 0; r < rounds; r++) {
    for (const size of SIZES) {
      // Rotate the order each round so no contender always runs right after the same neighbour.
      for (let j = 0; j < ORDER.length; j++) {
        const k = ORDER[(j + r) % ORDER.length];
        samples[`${k}/${size}`].push(await timeN(clients[k], inputs[size], perSample[`${k}/${size}`]));
      }
    }
    log?.(`  round ${r + 1}/${rounds} done`);
  }
  for (const c of Object.values(clients)) c.close();

  const stats = {};
  for (const [key, xs] of Object.entries(samples)) {
    stats[key] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: perSample[key], samples: xs };
  }
  // Paired per-round ratios: robust to the machine speeding up or slowing down between rounds.
  const paired = (a, b, size) => {
    const as = samples[`${a}/${size}`], bs = samples[`${b}/${size}`];
    const xs = as.map((x, i) => x / bs[i]);
    // `best`: ratio of each side's fastest round — the least disturbed by other load on the machine.
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), best: Math.min(...as) / Math.min(...bs) };
  };
  const ratios = {};
  for (const size of SIZES) {
    ratios[size] = {
      sdkOverOurs: paired('sdk', 'ours', size), // = how many times the SDK's throughput ours reaches
      aws4fetchOverOurs: paired('aws4fetch', 'ours', size),
      oursOverFloor: paired('ours', 'floor', size),
      oursRealOverFloor: paired('oursReal', 'floor', size),
    };
  }
  return { rounds, sampleMs, stats, ratios };
}

export function renderThroughput({ rounds, stats, ratios }) {
  const cell = (k, size) => {
    const s = stats[`${k}/${size}`];
    return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  };
  const rows = ORDER.map((k) => [CONTENDERS[k].label, ...SIZES.map((size) => cell(k, size))]);
  const out = [];
  out.push(`µs per request, median of ${rounds} interleaved rounds (min–max across rounds):\n`);
  out.push(table(['contender', ...SIZES.map(sizeLabel)], rows));
  const r = (x) => `${fmt(x.median, 2)}× (${fmt(x.min, 2)}–${fmt(x.max, 2)}; best ${fmt(x.best, 2)}×)`;
  out.push(`\nRatios, paired per round: median (min–max; ratio of the two fastest rounds):\n`);
  out.push(table(['ratio', ...SIZES.map(sizeLabel)], [
    ['ours vs SDK throughput (SDK µs / ours µs)', ...SIZES.map((s) => r(ratios[s].sdkOverOurs))],
    ['ours vs aws4fetch sign() (aws4fetch µs / ours µs)', ...SIZES.map((s) => r(ratios[s].aws4fetchOverOurs))],
    ['ours / floor (time)', ...SIZES.map((s) => r(ratios[s].oursOverFloor))],
    ['ours with real Response / floor (time)', ...SIZES.map((s) => r(ratios[s].oursRealOverFloor))],
  ]));
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '15' },
      'sample-ms': { type: 'string', default: '25' },
      'warmup-ms': { type: 'string', default: '400' },
      'json-out': { type: 'string' },
      quiet: { type: 'boolean', default: false },
    },
  });
  const res = await runThroughput({
    rounds: Number(values.rounds),
    sampleMs: Number(values['sample-ms']),
    warmupMs: Number(values['warmup-ms']),
    log: values.quiet ? null : (m) => process.stderr.write(m + '\n'),
  });
  if (values['json-out']) writeFileSync(values['json-out'], JSON.stringify(res, null, 2));
  console.log(renderThroughput(res));
}
