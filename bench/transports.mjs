// The Node transports alone (no client, no signing), fetch-shaped, against the canned server in
// another process: why js/node/transport.cjs is node:http with a keep-alive agent. Client CPU µs per
// request (process.cpuUsage of this process) and requests/s, medians of interleaved rounds.
//
//   node bench/transports.mjs [--rounds 7] [--ms 300] [--json-out file]
//
// Contenders, each with a pool of 50 connections (the Node transport's and the SDK's default):
// - node:http / node:https with a keep-alive Agent: createNodeTransport() (the shipped transport)
// - the `undici` package's Pool + pool.request(), wrapped to the same fetch shape
// - Node's global fetch (the undici bundled in Node), its default dispatcher
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRequire, root, fmt, median } from './common.mjs';
import { makeCert, startServerProcess, load, undiciPoolTransport } from './e2e-common.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '7' }, ms: { type: 'string', default: '300' }, 'json-out': { type: 'string' } },
});
const ROUNDS = Number(values.rounds);
const require = createRequire(import.meta.url);
const { createNodeTransport } = require(join(root, 'js/node/transport.cjs'));
const undici = benchRequire('undici');

const BODY = JSON.stringify({ SourceId: '+14155550100', Event: { Type: 'MESSAGE', Content: 'x'.repeat(1024) } });
const HEADERS = {
  'content-type': 'application/x-amz-json-1.1',
  'x-amz-date': '20261203T110000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=' + '0'.repeat(64),
};

const cert = makeCert();
const servers = {
  http: await startServerProcess([]),
  https: await startServerProcess(['--cert', cert.certPath, '--key', cert.keyPath]),
};
const contenders = {
  'node:http keep-alive Agent (ours)': createNodeTransport({ ca: cert.cert }),
  'undici 7 Pool.request': undiciPoolTransport(undici, cert.cert),
};
// Global fetch over HTTPS trusts the self-signed cert through a dispatcher from the undici package
// (Node's fetch accepts one); over HTTP it runs on its own default dispatcher.
{
  const dispatcher = new undici.Agent({ connect: { ca: cert.cert } });
  contenders['global fetch (Node bundled undici)'] = (url, init) => (url.startsWith('https:') ? fetch(url, { ...init, dispatcher }) : fetch(url, init));
}

const names = Object.keys(contenders);
const cells = [];
for (const proto of ['http', 'https']) for (const c of [1, 32]) cells.push({ proto, c });

const sendOf = (name, proto) => {
  const t = contenders[name];
  const url = `${servers[proto].url}/chat-integration-event`;
  return async () => {
    const r = await t(url, { method: 'POST', headers: { ...HEADERS, host: `127.0.0.1:${servers[proto].port}` }, body: BODY });
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    await r.text();
  };
};

// Warm-up and calibration: n per sample so a sample lasts ~--ms at its cell.
const N = {};
for (const cell of cells) {
  for (const name of names) {
    const send = sendOf(name, cell.proto);
    await load(send, 200, cell.c);
    const r = await load(send, 400, cell.c);
    N[`${name}|${cell.proto}|${cell.c}`] = Math.max(200, Math.round((Number(values.ms) / r.wallMs) * 400));
  }
}
const samples = {};
for (let round = 0; round < ROUNDS; round++) {
  process.stderr.write(`[transports] round ${round + 1}/${ROUNDS}\n`);
  for (const cell of cells) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const key = `${name}|${cell.proto}|${cell.c}`;
      await load(sendOf(name, cell.proto), cell.c, cell.c); // unmeasured: the pool starts warm
      (samples[key] ??= []).push(await load(sendOf(name, cell.proto), N[key], cell.c));
    }
  }
}
await servers.http.stop();
await servers.https.stop();
cert.cleanup();

const out = { rounds: ROUNDS, cells: [] };
const lines = ['| transport | ' + cells.map((c) => `${c.proto.toUpperCase()} c=${c.c}`).join(' | ') + ' |', '|---|' + cells.map(() => '---').join('|') + '|'];
for (const name of names) {
  const row = [];
  for (const cell of cells) {
    const s = samples[`${name}|${cell.proto}|${cell.c}`];
    const cpu = median(s.map((x) => x.cpuUsPerEvent));
    const rps = median(s.map((x) => x.eventsPerSecond));
    out.cells.push({ name, ...cell, cpuUsPerEvent: cpu, eventsPerSecond: rps });
    row.push(`${fmt(cpu)} µs · ${Math.round(rps)}/s`);
  }
  lines.push(`| ${name} | ${row.join(' | ')} |`);
}
// What each costs to load in a fresh process (the cold start pays it before the first request).
const { execFileSync } = await import('node:child_process');
const loadMs = (code) => median(Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e',
  `const t = performance.now(); ${code}; process.stdout.write(String(performance.now() - t))`], { cwd: join(root, 'bench'), encoding: 'utf8' }))));
const loads = {
  'node:http keep-alive Agent (ours)': loadMs("require('node:http')"),
  'node:https (ours, first https:// request)': loadMs("require('node:https')"),
  'undici 7 package': loadMs("require('undici')"),
  'global fetch (first use of Response/Headers)': loadMs('new Headers(); Response'),
};
out.loadMs = loads;
lines.push('', 'Load time in a fresh process (ms, median of 5): ' + Object.entries(loads).map(([k, v]) => `${k} ${fmt(v)}`).join('; '));
const text = `Transports alone, 1 KiB POST to the canned server (another process), client CPU µs per request · requests/s, medians of ${ROUNDS} interleaved rounds:\n\n${lines.join('\n')}`;
console.log(text);
out.text = text;
if (values['json-out']) writeFileSync(values['json-out'], JSON.stringify(out, null, 2));
process.exit(0);
