// The whole benchmark report for issue 6: per-request throughput (one process, interleaved), browser
// bundle sizes, cold starts and memory, then the issue's goals with PASS/FAIL (informational only).
// Normally started by `bash bench/run.sh`, which installs the pinned comparison packages and builds pkg/.
//
//   node bench/run.mjs [--rounds 15] [--cold-rounds 15] [--memory-n 200000] [--only throughput,bundle,cold,memory]
//                      [--quick] [--out bench/results]
//   --only e2e: the end-to-end run over real HTTP (bench/e2e.mjs; not in the default set: ~5 min, ~2 with --quick)
import { createRequire } from 'node:module';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchDir, pkgDir, root, versions, fmt, fmtInt, SIZES, sizeLabel } from './common.mjs';
import { renderThroughput } from './throughput.mjs';
import { renderBundle } from './bundle.mjs';
import { renderColdStart } from './coldstart.mjs';
import { renderE2e, e2eGoals } from './e2e.mjs';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '15' },
    'cold-rounds': { type: 'string', default: '15' },
    'memory-n': { type: 'string', default: '200000' },
    only: { type: 'string', default: 'throughput,bundle,cold,memory' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: join(benchDir, 'results') },
  },
});
if (values.quick) Object.assign(values, { rounds: '5', 'cold-rounds': '5', 'memory-n': '50000' });
const only = new Set(values.only.split(','));

const lines = [];
const say = (s = '') => { console.log(s); lines.push(s); };

/** Runs `node [nodeArgs] script args --json-out tmp`; its progress goes to our stderr; returns the JSON. */
function child(script, args = [], nodeArgs = []) {
  const jsonOut = join(tmpdir(), `cce-bench-${process.pid}-${script.replace(/\W/g, '_')}.json`);
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeArgs, join(benchDir, script), ...args, '--json-out', jsonOut],
      { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(readFileSync(jsonOut, 'utf8'))) : reject(new Error(`${script} exited with ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// The machine and the build under test.
const sh = (cmd, args) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return 'unknown'; } };
const cpuModel = (sh('lscpu', []).match(/^Model name:\s*(.+)$/m) || [])[1] || cpus()[0]?.model || 'unknown';
// The Node build carries its wasm as base64 in node/wasm.cjs (bundlers follow it without asset rules).
const wasmPath = join(pkgDir, 'node', 'wasm.cjs');
const wasm = existsSync(wasmPath) ? createRequire(import.meta.url)(wasmPath) : null;
const v = versions();
const started = new Date();
const load0 = loadavg();
const meta = {
  date: started.toISOString(),
  cpu: cpuModel,
  cores: cpus().length,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  git: sh('git', ['-C', root, 'rev-parse', '--short', 'HEAD']) + (sh('git', ['-C', root, 'status', '--porcelain', '--', 'src', 'js', 'scripts', 'Cargo.toml']) ? ' (+ uncommitted changes)' : ''),
  wasmBytes: wasm?.length ?? null,
  wasmSha256: wasm ? createHash('sha256').update(wasm).digest('hex').slice(0, 16) : null,
  versions: v,
};
say(`# connect-chat-events benchmarks`);
say();
say(`- date: ${meta.date}`);
say(`- machine: ${meta.cpu}, ${meta.cores} cores, ${meta.platform}; load average at start ${load0.map((x) => x.toFixed(2)).join(' / ')}`);
say(`- node ${meta.node}; connect-chat-events ${v.ours} (git ${meta.git}; node wasm ${fmtInt(meta.wasmBytes ?? 0)} B, sha256 ${meta.wasmSha256}…)`);
say(`- compared: @aws-sdk/client-connect ${v.sdk}, aws4fetch ${v.aws4fetch}; bundler esbuild ${v.esbuild}`);
say(`- all requests are signed SendChatIntegrationEvent calls with the network stubbed; SMS-like ASCII text/plain MESSAGE, Content ${SIZES.map(sizeLabel).join(' / ')}`);
say();

const res = { meta, options: values };
if (only.has('throughput')) {
  process.stderr.write(`[bench] throughput: ${values.rounds} interleaved rounds in one process…\n`);
  res.throughput = await child('throughput.mjs', ['--rounds', values.rounds]);
  say(`## Per-request cost (one process, interleaved)`);
  say();
  say(renderThroughput(res.throughput));
  say();
}
if (only.has('bundle')) {
  process.stderr.write(`[bench] bundles…\n`);
  res.bundle = await child('bundle.mjs');
  say(`## Browser bundle`);
  say();
  say(renderBundle(res.bundle));
  say();
}
if (only.has('cold')) {
  process.stderr.write(`[bench] cold starts: ${values['cold-rounds']} rounds…\n`);
  res.cold = await child('coldstart.mjs', ['--rounds', values['cold-rounds']]);
  say(`## Cold start`);
  say();
  say(renderColdStart(res.cold));
  say();
}
if (only.has('e2e')) {
  process.stderr.write(`[bench] end to end over real HTTP (bench/e2e.mjs)…\n`);
  res.e2e = await child('e2e.mjs', values.quick ? ['--quick'] : []);
  say(`## End to end over real HTTP (issue 14)`);
  say();
  say(renderE2e(res.e2e));
  say();
}
if (only.has('memory')) {
  process.stderr.write(`[bench] memory: ${values['memory-n']} requests…\n`);
  res.memory = await child('memory.mjs', [values['memory-n']], ['--expose-gc']);
  const { renderMemory } = await import('./memory.mjs');
  say(`## Memory`);
  say();
  say(renderMemory(res.memory));
  say(`(The issue's goal is 1,000,000 requests: \`node --expose-gc bench/memory.mjs 1000000\`.)`);
  say();
}

// ---------------------------------------------------------------------------------------------
// The limits of the open issues, checked against this run (informational: absolute times drift on a
// busy machine). Issue 13: throughput with a stub transport and the browser bundle; issue 14: end to end.
const goals = [];
const goal = (text, ok, detail) => goals.push([ok == null ? 'n/a ' : ok ? 'PASS' : 'FAIL', text, detail]);
if (res.throughput) {
  const r = res.throughput.ratios;
  for (const [size, want] of [[64, 10], [1024, 10], [16384, 3]]) {
    const x = r[size].sdkOverOurs.median;
    goal(`(issue 13) ≥ ${want}× the SDK's throughput at ${sizeLabel(size)} (stub transport)`, x >= want, `${fmt(x, 2)}× (fastest rounds: ${fmt(r[size].sdkOverOurs.best, 2)}×)`);
  }
}
if (res.bundle) {
  const cap = 60000;
  const sdk = res.bundle.sdk.total.brotli;
  const i = res.bundle.ours.total.brotli, w = res.bundle.oursWeb.total.brotli;
  goal(`(issue 13) \`import { ConnectChatClient } from 'connect-chat-events'\` bundle (esbuild, brotli, JS + wasm) ≤ ${fmtInt(cap)} B`, i <= cap,
    `${fmtInt(i)} B = ${fmt(i / sdk, 2)}× the SDK's ${fmtInt(sdk)} B (\`/web\`: glue + .wasm ${fmtInt(w)} B)`);
}
if (res.cold) {
  const s = res.cold.stats;
  goal(`(stub) cold start ≤ ½ of the SDK's`, s.ours.median <= s.sdk.median / 2,
    `${fmt(s.ours.median)} ms vs ${fmt(s.sdk.median)} ms = ${fmt(s.ours.median / s.sdk.median, 2)}× (fastest runs: ${fmt(s.ours.min / s.sdk.min, 2)}×)`);
  goal(`(stub, aim) cold start matches aws4fetch's sign()`, s.ours.median <= s.aws4fetch.median * 1.05,
    `${fmt(s.ours.median)} ms vs ${fmt(s.aws4fetch.median)} ms = ${fmt(s.ours.median / s.aws4fetch.median, 2)}× (fastest runs: ${fmt(s.ours.min / s.aws4fetch.min, 2)}×)`);
}
if (res.memory) {
  const m = res.memory;
  goal(`no per-request memory growth (${fmtInt(m.n)} requests; goal run: 1,000,000)`, m.pass,
    `heapUsed ${fmt(m.growth.heapUsed, 3)} B/req, wasm memory ${m.growth.wasmMemory == null ? 'n/a' : fmt(m.growth.wasmMemory, 3)} B/req`);
}
if (res.e2e) {
  for (const [ok, text, detail] of e2eGoals(res.e2e)) goal(`(issue 14) ${text}`, ok, detail);
}
const load1 = loadavg();
say(`## Limits of the open issues (informational, this run)`);
say();
for (const [st, text, detail] of goals) say(`- ${st}  ${text}: ${detail}`);
say();
say(`Load average at end: ${load1.map((x) => x.toFixed(2)).join(' / ')} on ${meta.cores} cores` +
  (Math.max(load0[0], load1[0]) > meta.cores * 0.75 ? ' — the machine was busy; absolute times are noisy, prefer the paired ratios.' : '.'));

mkdirSync(values.out, { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
writeFileSync(join(values.out, `${stamp}.json`), JSON.stringify({ ...res, goals }, null, 2));
writeFileSync(join(values.out, `${stamp}.md`), lines.join('\n') + '\n');
writeFileSync(join(values.out, 'latest.md'), lines.join('\n') + '\n');
process.stderr.write(`[bench] report written to ${join(values.out, `${stamp}.md`)} (and latest.md, ${stamp}.json)\n`);
