// Cold start: wall time from spawning a fresh `node` to its exit, for a script that imports the
// library, builds a client and produces the first signed request (bench/cold/*.mjs). Interleaved
// rounds, rotated order; median and min–max.
//
//   node bench/coldstart.mjs [--rounds 15] [--json-out file]
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, median, fmt, table } from './common.mjs';

const cold = (f) => [join(benchDir, 'cold', f)];
export const COLD = {
  bare: { label: 'bare `node -e 0`', args: ['-e', '0'] },
  floor: { label: 'floor: node:crypto SigV4 hashing (bench/cold/floor.mjs)', args: cold('floor.mjs') },
  ours: { label: 'ours: import, new ConnectChatClient, first sendChatIntegrationEvent', args: cold('ours.mjs') },
  sdk: { label: '@aws-sdk/client-connect: import, new ConnectClient, first send()', args: cold('sdk.mjs') },
  aws4fetch: { label: 'aws4fetch: import, new AwsClient, first sign()', args: cold('aws4fetch.mjs') },
};

function once(args) {
  return new Promise((resolve, reject) => {
    let err = '';
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: benchDir, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`node ${args.join(' ')} exited with ${code}: ${err.slice(0, 500)}`));
      else resolve(ms);
    });
  });
}

export async function runColdStart({ rounds = 15, log = null } = {}) {
  const keys = Object.keys(COLD);
  for (const k of keys) await once(COLD[k].args); // warm the OS file cache; not counted
  const samples = Object.fromEntries(keys.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(j + r) % keys.length];
      samples[k].push(await once(COLD[k].args));
    }
    log?.(`  cold-start round ${r + 1}/${rounds}`);
  }
  const stats = {};
  for (const k of keys) {
    const xs = samples[k];
    stats[k] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs };
  }
  return { rounds, stats };
}

export function renderColdStart({ rounds, stats }) {
  const rows = Object.keys(COLD).map((k) => {
    const s = stats[k];
    const over = k === 'bare' ? '—' : fmt(s.median - stats.bare.median);
    return [COLD[k].label, fmt(s.median), `${fmt(s.min)}–${fmt(s.max)}`, over];
  });
  return `Cold start (spawn → exit of a fresh node), ms, ${rounds} interleaved rounds:\n\n` +
    table(['script', 'median', 'min–max', 'over bare node'], rows) +
    `\n\nours / SDK: ${fmt(stats.ours.median / stats.sdk.median, 2)}×   ours / aws4fetch: ${fmt(stats.ours.median / stats.aws4fetch.median, 2)}×`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, 'json-out': { type: 'string' } } });
  const res = await runColdStart({ rounds: Number(values.rounds), log: (m) => process.stderr.write(m + '\n') });
  if (values['json-out']) writeFileSync(values['json-out'], JSON.stringify(res, null, 2));
  console.log(renderColdStart(res));
}
