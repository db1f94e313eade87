// End to end over real HTTP (issue 14): signed SendChatIntegrationEvent requests from this machine's
// Node to a server in another process on 127.0.0.1, each library with its default Node transport.
// Client CPU µs per event (process.cpuUsage of the client process only) and events/s, medians of
// interleaved rounds, and paired ratios.
//
//   node bench/e2e.mjs [--quick] [--rounds 7] [--ms 300] [--server canned,endpoint] [--json-out file]
//   bash bench/run.sh --only e2e [--quick]          # the same inside the full report
//
// Servers: the canned server (bench/e2e-server.mjs: a fixed 200 answer, no signature check) over
// HTTP and over HTTPS with a self-signed certificate made now (openssl), and the local endpoint
// (`connect-chat-events serve` from pkg/: verifies SigV4, validates, keeps the chats) over HTTP.
// The client runs in a child process started with NODE_EXTRA_CA_CERTS set to that certificate, so
// every contender trusts it through Node's CA store, with no TLS option of its own.
//
// Contenders (same SMS-like input as the other benchmarks, bench/common.mjs):
// - ours: ConnectChatClient from pkg/ with the Node transport (js/node/transport.cjs, default options),
//   passed as `fetch` (it becomes the Node default with the Rust-async client)
// - ours + global fetch: the same client on Node's fetch (the default before the Node transport)
// - @aws-sdk/client-connect: `new ConnectClient({ region, credentials, endpoint })`, its default
//   NodeHttpHandler (keep-alive agent, 50 sockets), `send(new SendChatIntegrationEventCommand(input))`
// - aws4fetch: `AwsClient.fetch(url, { method: 'POST', body })` (global fetch), then `await r.json()`
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  benchDir, benchRequire, pkgDir, REGION, CREDENTIALS, makeInput, loadOurs, loadSdk, median, fmt, fmtInt, sizeLabel, table,
} from './common.mjs';
import { makeCert, startServerProcess, load, undiciPoolTransport } from './e2e-common.mjs';

// Options only when run as a script (bench/run.mjs imports the renderers from here).
const isMain = Boolean(process.argv[1]) && import.meta.url === pathToFileURL(process.argv[1]).href;
const { values } = !isMain ? { values: {} } : parseArgs({
  options: {
    rounds: { type: 'string' },
    ms: { type: 'string' },
    server: { type: 'string', default: 'canned,endpoint' },
    quick: { type: 'boolean', default: false },
    client: { type: 'string' }, // internal: the client process, given its config file
    'json-out': { type: 'string' },
  },
});

export const CONTENDERS = ['ours', 'oursFetch', 'oursUndici', 'sdk', 'aws4fetch', 'floor'];
export const LABELS = {
  ours: 'ours (Node transport)',
  oursFetch: 'ours + global fetch',
  oursUndici: 'ours + undici Pool (not shipped)',
  sdk: '@aws-sdk/client-connect',
  aws4fetch: 'aws4fetch AwsClient.fetch',
  floor: 'floor: Node transport alone',
};

// ---------------------------------------------------------------------------------------------
// The client process: every contender against every target, interleaved.
async function makeContender(name, url, credentials) {
  const input = (size) => makeInput(size);
  if (name === 'ours' || name === 'oursFetch' || name === 'oursUndici') {
    const { ConnectChatClient } = await loadOurs();
    const { createNodeTransport } = createRequire(import.meta.url)(join(pkgDir, 'node', 'transport.cjs'));
    const fetchFn = name === 'ours' ? createNodeTransport()
      : name === 'oursUndici' ? undiciPoolTransport(benchRequire('undici'), readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8'))
        : (u, init) => fetch(u, init);
    const client = new ConnectChatClient({ region: REGION, credentials, endpoint: url, fetch: fetchFn, maxAttempts: 1 });
    return (size) => { const i = input(size); return () => client.sendChatIntegrationEvent(i); };
  }
  if (name === 'floor') {
    // The same POST (body, headers of a signed request) through a Node transport, built once: no
    // validation, serialization, signing or response parsing. What any client on node:http pays.
    const { createNodeTransport } = createRequire(import.meta.url)(join(pkgDir, 'node', 'transport.cjs'));
    const t = createNodeTransport();
    const target = `${url}/chat-integration-event`;
    return (size) => {
      const body = JSON.stringify(input(size));
      const headers = {
        'content-type': 'application/json', host: new URL(url).host, 'x-amz-date': '20261203T120000Z',
        'x-amz-content-sha256': '0'.repeat(64),
        authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20261203/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=${'0'.repeat(64)}`,
      };
      return async () => {
        const r = await t(target, { method: 'POST', headers, body });
        if (r.status !== 200) throw new Error(`floor: HTTP ${r.status}`);
        return r.text();
      };
    };
  }
  if (name === 'sdk') {
    const { ConnectClient, SendChatIntegrationEventCommand } = await loadSdk();
    const client = new ConnectClient({ region: REGION, credentials: { ...credentials }, endpoint: url, maxAttempts: 1 });
    return (size) => { const i = input(size); return () => client.send(new SendChatIntegrationEventCommand(i)); };
  }
  if (name === 'aws4fetch') {
    const { AwsClient } = await import(pathToFileURL(benchRequire.resolve('aws4fetch')).href);
    const aws = new AwsClient({ ...credentials, region: REGION, service: 'connect', retries: 0 });
    const target = `${url}/chat-integration-event`;
    return (size) => {
      const i = input(size);
      return async () => {
        const r = await aws.fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(i) });
        if (r.status !== 200) throw new Error(`aws4fetch: HTTP ${r.status} ${await r.text()}`);
        return r.json();
      };
    };
  }
  throw new Error(name);
}

/** `send` whose failures say which contender and cell failed (a failed event fails the run). */
const named = (send, what) => () => send().catch((e) => { throw new Error(`e2e: ${what}: ${e?.name}: ${e?.message}`, { cause: e }); });

async function clientMain(configPath) {
  const cfg = JSON.parse(readFileSync(configPath, 'utf8'));
  // The SDK warns once about Node 20 and about queueing past its 50 sockets; keep stderr readable.
  await loadSdk();
  const samples = {}; // key target|c|size|contender → [{ cpuUsPerEvent, eventsPerSecond }]
  const sends = {};
  for (const t of cfg.targets) {
    for (const name of t.contenders) {
      const make = await makeContender(name, t.url, t.credentials);
      for (const size of t.sizes) sends[`${t.name}|${size}|${name}`] = make(size);
    }
  }
  const N = {};
  const cells = cfg.targets.flatMap((t) => t.concurrency.flatMap((c) => t.sizes.map((size) => ({ t: t.name, c, size, contenders: t.contenders }))));
  process.stderr.write(`[e2e] warm-up and calibration: ${cells.length} cells × up to ${CONTENDERS.length} contenders\n`);
  for (const { t, c, size, contenders } of cells) {
    for (const name of contenders) {
      const send = named(sends[`${t}|${size}|${name}`], `${name} → ${t}, c=${c}, ${size} B`);
      await load(send, Math.max(50, c), c);
      const n0 = Math.max(100, 2 * c);
      const r = await load(send, n0, c);
      N[`${t}|${c}|${size}|${name}`] = Math.max(n0, Math.round((cfg.ms / r.wallMs) * n0));
    }
  }
  for (let round = 0; round < cfg.rounds; round++) {
    process.stderr.write(`[e2e] round ${round + 1}/${cfg.rounds}\n`);
    for (const { t, c, size, contenders } of cells) {
      for (let k = 0; k < contenders.length; k++) {
        const name = contenders[(k + round) % contenders.length];
        const key = `${t}|${c}|${size}|${name}`;
        // Unmeasured: `c` events first, so each sample starts with its pool warm (a pool that
        // closed idle sockets while other cells ran would otherwise pay its reconnects here).
        await load(sends[`${t}|${size}|${name}`], c, c);
        (samples[key] ??= []).push(await load(named(sends[`${t}|${size}|${name}`], key), N[key], c));
      }
    }
  }
  writeFileSync(cfg.out, JSON.stringify({ cells, samples }));
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report.
/** Per cell: each contender's median CPU µs/event and events/s, and the paired per-round ratios. */
export function summarize({ cells, samples }) {
  return cells.map((cell) => {
    const k = (name) => `${cell.t}|${cell.c}|${cell.size}|${name}`;
    const med = {};
    for (const name of cell.contenders) {
      med[name] = {
        cpu: median(samples[k(name)].map((s) => s.cpuUsPerEvent)),
        eps: median(samples[k(name)].map((s) => s.eventsPerSecond)),
      };
    }
    const paired = (f) => median(samples[k('ours')].map((_, i) => f(i)));
    const cpu = (name, i) => samples[k(name)][i].cpuUsPerEvent;
    const eps = (name, i) => samples[k(name)][i].eventsPerSecond;
    return {
      ...cell,
      med,
      sdkOverOursCpu: paired((i) => cpu('sdk', i) / cpu('ours', i)),
      aws4fetchOverOursCpu: paired((i) => cpu('aws4fetch', i) / cpu('ours', i)),
      fetchOverOursCpu: paired((i) => cpu('oursFetch', i) / cpu('ours', i)),
      oursOverSdkEps: paired((i) => eps('ours', i) / eps('sdk', i)),
      undiciOverOursCpu: samples[k('oursUndici')] ? paired((i) => cpu('oursUndici', i) / cpu('ours', i)) : null,
    };
  });
}

const TARGET_LABELS = { http: 'canned server, HTTP', https: 'canned server, HTTPS (self-signed, run-time cert)', endpoint: 'local endpoint (`connect-chat-events serve`), HTTP' };

export function renderE2e(res) {
  const out = [];
  const rows = summarize(res);
  for (const t of [...new Set(rows.map((r) => r.t))]) {
    out.push(`**${TARGET_LABELS[t] ?? t}** — client CPU µs per event (median of ${res.rounds} interleaved rounds), then ratios paired per round:`);
    out.push('');
    out.push(table(
      ['c', 'Content', ...CONTENDERS.map((n) => `${LABELS[n]} µs`), 'SDK / ours CPU', 'aws4fetch / ours CPU', 'fetch / Node transport CPU (ours)', 'undici Pool / Node transport CPU (ours)', 'events/s ours · SDK · aws4fetch', 'ours / SDK events/s'],
      rows.filter((r) => r.t === t).map((r) => [
        String(r.c), sizeLabel(r.size), ...CONTENDERS.map((n) => (r.med[n] ? fmt(r.med[n].cpu) : '—')),
        `${fmt(r.sdkOverOursCpu, 2)}×`, `${fmt(r.aws4fetchOverOursCpu, 2)}×`, `${fmt(r.fetchOverOursCpu, 2)}×`, r.undiciOverOursCpu == null ? '—' : `${fmt(r.undiciOverOursCpu, 2)}×`,
        `${fmtInt(r.med.ours.eps)} · ${fmtInt(r.med.sdk.eps)} · ${fmtInt(r.med.aws4fetch.eps)}`, `${fmt(r.oursOverSdkEps, 2)}×`,
      ]),
    ));
    out.push('');
  }
  if (res.cold) out.push(renderCold(res.cold), '');
  return out.join('\n');
}

const COLD_LABELS = {
  bare: 'bare `node -e 0`',
  ours: 'ours (Node transport): import, new ConnectChatClient, first send, answer read',
  oursFetch: 'ours + global fetch: the same',
  sdk: '@aws-sdk/client-connect: import, new ConnectClient, first send()',
  aws4fetch: 'aws4fetch: import, new AwsClient, first fetch(), answer read',
};
export function renderCold(cold) {
  if (!cold) return '';
  const m = (w) => median(cold.samples[w]);
  return `Cold start over HTTPS to the canned server (spawn → exit of a fresh node, ms, median of ${cold.rounds} interleaved rounds):\n\n` +
    table(['script', 'median ms', 'min–max', '/ aws4fetch'], COLD.map((w) => [COLD_LABELS[w], fmt(m(w)),
      `${fmt(Math.min(...cold.samples[w]))}–${fmt(Math.max(...cold.samples[w]))}`, w === 'bare' ? '—' : `${fmt(m(w) / m('aws4fetch'), 2)}×`]));
}

/** The goals against the canned server: `[ok, text, detail]`. */
export function e2eGoals(res) {
  const rows = summarize(res).filter((r) => r.t === 'http' || r.t === 'https');
  const goals = [];
  for (const [sizes, want, label] of [[[64, 1024], 4, '¼'], [[16384], 3, '⅓']]) {
    const cells = rows.filter((r) => sizes.includes(r.size));
    if (!cells.length) continue;
    const worst = cells.reduce((a, b) => (b.sdkOverOursCpu < a.sdkOverOursCpu ? b : a));
    goals.push([worst.sdkOverOursCpu >= want, `client CPU per event ≤ ${label} of the SDK's, every cell at ${sizes.map(sizeLabel).join(' and ')} (HTTP and HTTPS)`,
      `lowest SDK/ours ${fmt(worst.sdkOverOursCpu, 2)}× (${worst.t}, c=${worst.c}, ${sizeLabel(worst.size)}); ${cells.map((r) => fmt(r.sdkOverOursCpu, 2)).join(' / ')}`]);
  }
  const c32 = rows.filter((r) => r.c === 32);
  if (c32.length) {
    const worst = c32.reduce((a, b) => (b.oursOverSdkEps < a.oursOverSdkEps ? b : a));
    goals.push([worst.oursOverSdkEps >= 3, 'throughput at concurrency 32 ≥ 3× the SDK\'s (canned server)',
      `lowest ours/SDK events/s ${fmt(worst.oursOverSdkEps, 2)}× (${worst.t}, ${sizeLabel(worst.size)}); ${c32.map((r) => fmt(r.oursOverSdkEps, 2)).join(' / ')}`]);
  }
  if (res.cold) {
    const m = (w) => median(res.cold.samples[w]);
    goals.push([m('ours') <= m('aws4fetch'), 'cold start (fresh node → first signed request answered, HTTPS) ≤ aws4fetch\'s',
      `${fmt(m('ours'))} ms vs ${fmt(m('aws4fetch'))} ms = ${fmt(m('ours') / m('aws4fetch'), 2)}× (ours + global fetch ${fmt(m('oursFetch'))} ms; SDK ${fmt(m('sdk'))} ms)`]);
  }
  return goals;
}

// ---------------------------------------------------------------------------------------------
// Cold start over HTTPS: spawn → exit of a fresh node that imports, builds a client, sends the first
// signed request to the canned server and reads the answer (bench/cold/e2e.mjs); interleaved rounds.
export const COLD = ['bare', 'ours', 'oursFetch', 'sdk', 'aws4fetch'];
async function coldStarts(url, caPath, rounds) {
  const once = (which) => new Promise((resolve, reject) => {
    const args = which === 'bare' ? ['-e', '0'] : [join(benchDir, 'cold', 'e2e.mjs'), which, url];
    const t0 = process.hrtime.bigint();
    const p = spawn(process.execPath, args, { cwd: benchDir, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath } });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`cold ${which} exited with ${code}`))));
  });
  for (const w of COLD) await once(w); // file cache warm; not counted
  const samples = Object.fromEntries(COLD.map((w) => [w, []]));
  process.stderr.write(`[e2e] cold starts over HTTPS: ${rounds} rounds\n`);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < COLD.length; k++) {
      const w = COLD[(k + r) % COLD.length];
      samples[w].push(await once(w));
    }
  }
  return { rounds, samples };
}

// ---------------------------------------------------------------------------------------------
// The orchestrator: certificate, servers, the client process, the report.
async function main() {
  const quick = values.quick;
  const rounds = Number(values.rounds ?? (quick ? 3 : 7));
  const ms = Number(values.ms ?? (quick ? 120 : 300));
  const which = new Set(values.server.split(','));
  const cert = makeCert();
  const servers = [];
  const targets = [];
  const load0 = loadavg();
  try {
    if (which.has('canned')) {
      // Idle connections are kept 65 s (as AWS front ends do, well past every client's pool
      // timeout), so no contender meets a keep-alive race that the run would count as a failure.
      const http = await startServerProcess(['--keep-alive-ms', '65000']);
      const https = await startServerProcess(['--keep-alive-ms', '65000', '--cert', cert.certPath, '--key', cert.keyPath]);
      servers.push(http, https);
      const shape = { concurrency: [1, 32, 128], sizes: [64, 1024, 16384], credentials: CREDENTIALS, contenders: CONTENDERS };
      targets.push({ name: 'http', url: http.url, ...shape }, { name: 'https', url: https.url, ...shape });
    }
    if (which.has('endpoint')) {
      const { LOCAL_CREDENTIALS } = await import(pathToFileURL(join(pkgDir, 'server', 'emulator.mjs')).href);
      const ep = await startServerProcess(['serve', '--port', '0', '--quiet', '--keep-alive-timeout-ms', '65000'], join(pkgDir, 'bin', 'connect-chat-events.mjs'));
      servers.push(ep);
      targets.push({ name: 'endpoint', url: ep.url, concurrency: [1, 32], sizes: [64, 1024], credentials: { ...LOCAL_CREDENTIALS },
        // The floor's fixed signature would not verify here.
        contenders: CONTENDERS.filter((n) => n !== 'floor' && n !== 'oursUndici') });
    }
    const base = join(tmpdir(), `cce-e2e-${process.pid}`);
    const cfg = { targets, rounds, ms, out: `${base}-out.json` };
    writeFileSync(`${base}-cfg.json`, JSON.stringify(cfg));
    await new Promise((resolve, reject) => {
      const p = spawn(process.execPath, [join(benchDir, 'e2e.mjs'), '--client', `${base}-cfg.json`],
        { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.certPath } });
      p.on('error', reject);
      p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`e2e client exited with ${code}`))));
    });
    const raw = JSON.parse(readFileSync(cfg.out, 'utf8'));
    rmSync(cfg.out, { force: true });
    rmSync(`${base}-cfg.json`, { force: true });
    const https = targets.find((t) => t.name === 'https');
    const cold = https ? await coldStarts(https.url, cert.certPath, quick ? 5 : 11) : null;
    const res = { ...raw, cold, rounds, ms, loadavgStart: load0, loadavgEnd: loadavg() };
    return res;
  } finally {
    for (const s of servers) await s.stop();
    cert.cleanup();
  }
}

if (values.client) {
  await clientMain(values.client);
} else if (isMain) {
  const res = await main();
  if (values['json-out']) {
    writeFileSync(values['json-out'], JSON.stringify(res));
  } else {
    console.log(renderE2e(res));
    for (const [ok, text, detail] of e2eGoals(res)) console.log(`- ${ok ? 'PASS' : 'FAIL'}  ${text}: ${detail}`);
    console.log(`\nLoad average: start ${res.loadavgStart.map((x) => x.toFixed(2)).join(' / ')}, end ${res.loadavgEnd.map((x) => x.toFixed(2)).join(' / ')}`);
  }
}
