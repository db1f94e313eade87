// Shared pieces of the end-to-end benchmarks (bench/e2e.mjs, bench/transports.mjs): a self-signed
// certificate made at run time, the canned server in its own process, and a load loop that measures
// this process's CPU per event.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { benchDir, REGION, CREDENTIALS } from './common.mjs';

/** A fresh self-signed certificate for 127.0.0.1 / localhost (openssl); `{ cert, key, certPath, keyPath, cleanup }`. */
export function makeCert() {
  const dir = mkdtempSync(join(tmpdir(), 'cce-e2e-cert-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return {
    cert: readFileSync(certPath, 'utf8'),
    key: readFileSync(keyPath, 'utf8'),
    certPath,
    keyPath,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts `node script ...args` in its own process and waits for the line that says where it
 * listens: the canned server's `{"port":N,"tls":bool}`, or the local endpoint's `listening on URL`.
 * Resolves `{ url, port, child, stop() }`.
 */
export function startServerProcess(args = [], script = join(benchDir, 'e2e-server.mjs')) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let url;
      if (line.startsWith('{')) {
        const { port, tls } = JSON.parse(line);
        url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
      } else {
        url = /^listening on (https?:\/\/\S+)/.exec(line)?.[1];
      }
      if (!url) return;
      lines.removeAllListeners('line');
      child.stdout.resume(); // later output is not read
      resolve({
        url,
        port: Number(new URL(url).port),
        child,
        stop: () => new Promise((r) => {
          child.removeAllListeners('exit');
          if (child.exitCode !== null) return r();
          child.once('exit', () => r());
          child.stdin.end();
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        }),
      });
    });
  });
}

/**
 * `n` calls of `send()` with `concurrency` in flight; this process's CPU (user + system) and wall
 * time. Every call must resolve (a failed event fails the benchmark: it would flatter the contender).
 */
export async function load(send, n, concurrency) {
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      await send();
    }
  };
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  const wallNs = Number(process.hrtime.bigint() - t0);
  const cpu = process.cpuUsage(cpu0);
  return { n, cpuUsPerEvent: (cpu.user + cpu.system) / n, eventsPerSecond: n / (wallNs / 1e9), wallMs: wallNs / 1e6 };
}


/** undici's Pool (the `undici` package, bench dependency only) behind the fetch shape the client calls. */
export function undiciPoolTransport(undici, ca) {
  const pools = new Map();
  return (url, { method, headers, body, signal }) => {
    const u = new URL(url);
    let pool = pools.get(u.origin);
    if (!pool) {
      pool = new undici.Pool(u.origin, { connections: 50, keepAliveTimeout: 4000, connect: ca ? { ca } : undefined });
      pools.set(u.origin, pool);
    }
    return pool.request({ path: u.pathname + u.search, method, headers, body, signal }).then(async (r) => {
      const text = await r.body.text();
      const h = r.headers;
      return { status: r.statusCode, headers: { get: (n) => h[n.toLowerCase()] ?? null, forEach: (f) => { for (const k in h) f(h[k], k); } }, text: async () => text };
    });
  };
}


// ---------------------------------------------------------------------------------------------
// Fresh-process samples (bench/e2e-ab.mjs, bench/e2e-parts.mjs): each sample is a new `node` running
// the same script with `--client <arg>`, so no sample warms the JIT or the caches for another.

/** The options every fresh-process bench takes (`--client` is internal: one sample in this process). */
export const SAMPLE_OPTIONS = {
  rounds: { type: 'string', default: '7' },
  n: { type: 'string', default: '8000' },
  size: { type: 'string', default: '64' },
  concurrency: { type: 'string', default: '32' },
  client: { type: 'string' },
};

/** Runs `node script --client client --n --size --concurrency` and returns the JSON of its last stdout line. */
export function freshSample(script, client, { n, size, concurrency }) {
  const args = [script, '--client', client, '--n', String(n), '--size', String(size), '--concurrency', String(concurrency)];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`sample ${client} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * Our client from the package in `dir` (pkg/ or a copy) on `fetch`, or else on a new Node transport
 * of that package: `{ client, transport }` (the transport undefined when `fetch` was given; close it
 * when done).
 */
export function oursClient(dir, endpoint, fetch) {
  const require = createRequire(import.meta.url);
  const { ConnectChatClient } = require(join(dir, 'node', 'index.cjs'));
  const transport = fetch ? undefined : require(join(dir, 'node', 'transport.cjs')).createNodeTransport();
  const client = new ConnectChatClient({ region: REGION, credentials: CREDENTIALS, endpoint, maxAttempts: 1, fetch: fetch ?? transport });
  return { client, transport };
}
