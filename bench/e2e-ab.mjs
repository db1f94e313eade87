// A/B of two builds of our package end to end: the client on the Node transport against the canned
// server (bench/e2e-server.mjs) over HTTP on 127.0.0.1, the way each send-path change in
// BENCHMARKS.md was measured over real HTTP. Copy pkg/ before and after a change:
//   cp -r pkg /tmp/pkg-a; (change, bash scripts/build.sh); cp -r pkg /tmp/pkg-b
//   node bench/e2e-ab.mjs /tmp/pkg-a /tmp/pkg-b [--rounds 7] [--n 8000] [--size 64] [--concurrency 32]
// Each sample is a fresh client process (2,000 unmeasured events, then --n measured) that reports
// its own CPU (process.cpuUsage, user + system) per event; A and B alternate in every round.
// Prints the medians and the paired per-round ratio B/A (< 1: B is cheaper).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeInput, median, fmt } from './common.mjs';
import { startServerProcess, load, SAMPLE_OPTIONS, freshSample, oursClient } from './e2e-common.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: SAMPLE_OPTIONS });
const n = Number(values.n);
const size = Number(values.size);
const concurrency = Number(values.concurrency);

if (values.client) {
  const [dir, url] = values.client.split(',');
  const { client, transport } = oursClient(dir, url);
  const input = makeInput(size);
  const send = () => client.sendChatIntegrationEvent(input);
  await load(send, 2000, concurrency);
  const r = await load(send, n, concurrency);
  process.stdout.write(JSON.stringify({ cpuUsPerEvent: r.cpuUsPerEvent }) + '\n');
  transport.close();
  process.exit(0);
}

const [dirA, dirB] = positionals.map((d) => resolve(d));
if (!dirA || !dirB) {
  console.error('usage: node bench/e2e-ab.mjs <pkg dir A> <pkg dir B> [--rounds 7] [--n 8000] [--size 64] [--concurrency 32]');
  process.exit(2);
}
const server = await startServerProcess();
const samples = { A: [], B: [] };
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = round % 2 ? ['B', 'A'] : ['A', 'B'];
    for (const k of order) {
      const dir = k === 'A' ? dirA : dirB;
      samples[k].push(freshSample(fileURLToPath(import.meta.url), `${dir},${server.url}`, { n, size, concurrency }).cpuUsPerEvent);
    }
    process.stderr.write(`[e2e-ab] round ${round + 1}/${values.rounds}\n`);
  }
} finally {
  await server.stop();
}
const ratios = samples.B.map((b, i) => b / samples.A[i]);
console.log(`Client CPU µs per event over HTTP, Content ${size} B, concurrency ${concurrency}, ${n} events per sample, ${values.rounds} rounds:`);
console.log(`A ${fmt(median(samples.A))} µs  B ${fmt(median(samples.B))} µs  | B/A ${median(ratios).toFixed(3)} (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`);
