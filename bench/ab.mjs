// A/B of two builds of our package, side by side in ONE process with the floor, interleaved rounds
// (the way each change in BENCHMARKS.md was measured). Copy pkg/ somewhere before and after a change:
//   cp -r pkg /tmp/pkg-a; (change, bash scripts/build.sh); cp -r pkg /tmp/pkg-b
//   node bench/ab.mjs /tmp/pkg-a /tmp/pkg-b [rounds=11]
// Prints medians (µs/request) and paired per-round ratios: B/A < 1 means B is faster.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { makeInput, makeFloor, stubFetchLite, median, REGION, CREDENTIALS, SIZES } from './common.mjs';

const [dirA, dirB, rounds = '11'] = process.argv.slice(2);
if (!dirA || !dirB) {
  console.error('usage: node bench/ab.mjs <pkg dir A> <pkg dir B> [rounds]');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const make = (dir) => {
  // Through the package's Node entry (with its node:crypto hash hook), as users load it.
  const m = require(resolve(dir, 'node/index.cjs'));
  const client = new m.ConnectChatClient({ region: REGION, credentials: CREDENTIALS, fetch: stubFetchLite });
  return { send: (input) => client.sendChatIntegrationEvent(input) };
};
const contenders = { A: make(dirA), B: make(dirB), floor: makeFloor() };
const inputs = Object.fromEntries(SIZES.map((n) => [n, makeInput(n)]));
const timeN = async (c, input, n) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await c.send(input);
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
};
const perSample = {};
for (const k of Object.keys(contenders)) {
  for (const size of SIZES) {
    let n = 16, spent = 0, us = 0;
    while (spent < 300) {
      us = await timeN(contenders[k], inputs[size], n);
      spent += (us * n) / 1e3;
      if ((us * n) / 1e3 < 20) n *= 2;
    }
    perSample[`${k}/${size}`] = Math.max(8, Math.round(20e3 / us));
  }
}
const samples = {};
for (const k of Object.keys(contenders)) for (const size of SIZES) samples[`${k}/${size}`] = [];
const order = Object.keys(contenders);
for (let r = 0; r < Number(rounds); r++) {
  for (const size of SIZES) {
    for (let j = 0; j < order.length; j++) {
      const k = order[(j + r) % order.length];
      samples[`${k}/${size}`].push(await timeN(contenders[k], inputs[size], perSample[`${k}/${size}`]));
    }
  }
}
const paired = (xs, ys) => median(xs.map((x, i) => x / ys[i])).toFixed(3);
for (const size of SIZES) {
  const a = samples[`A/${size}`], b = samples[`B/${size}`], f = samples[`floor/${size}`];
  console.log(`${String(size).padStart(5)} B: A ${median(a).toFixed(1)} µs  B ${median(b).toFixed(1)} µs  floor ${median(f).toFixed(1)} µs  | B/A ${paired(b, a)}  A/floor ${paired(a, f)}  B/floor ${paired(b, f)}`);
}
