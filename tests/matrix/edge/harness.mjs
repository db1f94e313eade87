// The Node side of the edge runtime matrix (tests/js/matrix-edge-*.test.mjs): the pinned runtimes installed by
// install.sh, a fresh work folder per test with the package tarball (CCE_PKG_TGZ) unpacked into its node_modules,
// the local Connect endpoint from that package, child processes with timeouts, and the checks every cell's JSON
// answer must pass.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCAL_CREDENTIALS, STUB_CREDENTIALS, VALID_INPUT } from './cell.mjs';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..', '..');
/** Where install.sh put the runtimes (wrangler, miniflare, next, @edge-runtime/vm, esbuild). */
export const toolsDir = process.env.CCE_MATRIX_EDGE_DIR ?? join(root, '.tools', 'matrix-edge');
const toolsRequire = createRequire(join(toolsDir, 'package.json'));

export const EXPORTS = ['ConnectChatClient', 'resolveEndpoint', 'serializeChatIntegrationEvent', 'signRequest', 'validateChatIntegrationEvent'];
export const VANILLA_SIGNATURE = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// Nothing reaches the internet: no telemetry, no metrics, no update checks.
export const QUIET_ENV = {
  NEXT_TELEMETRY_DISABLED: '1', WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1', CI: '1',
  WRANGLER_LOG: 'warn', WRANGLER_HIDE_BANNER: 'true', NO_COLOR: '1',
};
delete process.env.FORCE_COLOR;
Object.assign(process.env, QUIET_ENV);

export function requireTools() {
  if (!existsSync(join(toolsDir, 'node_modules', '.install-ok'))) {
    throw new Error(`the edge runtimes are not installed in ${toolsDir}: run bash tests/matrix/edge/install.sh`);
  }
}
/** A runtime package from the pinned install (CJS or ESM). */
export async function tool(name) {
  requireTools();
  return import(pathToFileURL(toolsRequire.resolve(name)).href);
}
export const toolBin = (name) => join(toolsDir, 'node_modules', '.bin', name);

let tarball;
/** The package under test: $CCE_PKG_TGZ (scripts/test.sh), else `npm pack pkg/` now. */
export function packageTarball() {
  if (tarball) return tarball;
  if (process.env.CCE_PKG_TGZ) {
    assert.ok(existsSync(process.env.CCE_PKG_TGZ), `CCE_PKG_TGZ=${process.env.CCE_PKG_TGZ} exists`);
    tarball = process.env.CCE_PKG_TGZ;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'cce-pack-'));
    const name = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', dir, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop();
    tarball = join(dir, name);
  }
  return tarball;
}

/**
 * A fresh copy of tests/matrix/edge/<project> under the tools folder (so the pinned runtimes resolve from its
 * node_modules by walking up, as in a user's project), with cell.mjs copied to <cellDir> and the package
 * tarball unpacked into its node_modules, as npm installs it.
 */
export function makeProject(project, cellDir) {
  requireTools();
  const work = join(toolsDir, 'work');
  mkdirSync(work, { recursive: true });
  for (const old of readdirSync(work)) if (old.startsWith(`${project}-`)) rmSync(join(work, old), { recursive: true, force: true });
  const dir = join(work, `${project}-${process.pid}`);
  cpSync(join(here, project), dir, { recursive: true });
  mkdirSync(join(dir, cellDir), { recursive: true });
  cpSync(join(here, 'cell.mjs'), join(dir, cellDir, 'cell.mjs'));
  const pkg = join(dir, 'node_modules', 'connect-chat-events');
  mkdirSync(pkg, { recursive: true });
  execFileSync('tar', ['xzf', packageTarball(), '-C', pkg, '--strip-components', '1']);
  // Removed when the test file ends (Next's build output is ~100 MB); CCE_MATRIX_KEEP=1 keeps it to look at.
  const cleanup = () => { if (process.env.CCE_MATRIX_KEEP !== '1') rmSync(dir, { recursive: true, force: true }); };
  return { dir, pkg, cleanup };
}

/** Text without ANSI colours (some tools colour even with NO_COLOR). */
export const plain = (text) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Runs a command with a time limit; resolves { code, stdout, stderr } (never rejects on exit code). */
export function run(cmd, args, { cwd, timeoutMs = 120_000, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd} ${args.join(' ')}: timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout: plain(stdout), stderr: plain(stderr) }); });
  });
}

/** A long-running child (a server): started, its output kept, stopped by its own pid. */
export function startProcess(cmd, args, { cwd, env = {} } = {}) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { child, output: '' };
  child.stdout.on('data', (d) => { proc.output += d; });
  child.stderr.on('data', (d) => { proc.output += d; });
  proc.exited = new Promise((resolve) => child.on('close', resolve));
  proc.stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await proc.exited;
      clearTimeout(t);
    }
  };
  return proc;
}

/** A free TCP port on 127.0.0.1 (for servers that cannot report the one they picked). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** fetch with a deadline, answering the parsed JSON body (and the text when it is not JSON). */
export async function fetchJson(url, { timeoutMs = 30_000 } = {}) {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text), text };
  } catch {
    return { status: res.status, json: undefined, text };
  }
}

/** The local Connect endpoint from the package under test (its server/ folder), on 127.0.0.1. */
export async function startLocalEndpoint(pkg) {
  const { startServer } = await import(pathToFileURL(join(pkg, 'server', 'emulator.mjs')).href);
  return startServer({ port: 0, host: '127.0.0.1' });
}

let sourceCounter = 0;
/** A fresh customer number, so each cell's local send opens its own chat. */
export function freshSourceId() {
  sourceCounter += 1;
  return `+1555${String(process.pid % 1000).padStart(3, '0')}${String(sourceCounter).padStart(4, '0')}`;
}

/**
 * The checks every cell's answer must pass. nodePkg: the package's Node entry (re-signs the stub's request to
 * prove the runtime under test signed it exactly as Node does). local: { server, sourceId } when the cell sent to
 * the local endpoint.
 */
export function checkCell(out, { clientOnly = false, nodePkg, local } = {}) {
  assert.equal(out.error, undefined, `the cell threw: ${JSON.stringify(out.error)}`);
  if (clientOnly) {
    assert.deepEqual(out.exports, ['ConnectChatClient']);
  } else {
    for (const name of EXPORTS) assert.ok(out.exports.includes(name), `exports ${name} (has ${out.exports.join(', ')})`);
    assert.deepEqual(out.validation, { valid: true, issues: [] });
    assert.deepEqual(out.invalid, ['Event.Type:enum']);
    assert.deepEqual(JSON.parse(out.body), VALID_INPUT);
    assert.equal(out.signature, VANILLA_SIGNATURE, 'get-vanilla signature');
  }
  // The stub fetch: one signed POST with the event as its body, and the client parsed the stub's answer.
  assert.equal(out.stub.error, undefined, `stub send failed: ${JSON.stringify(out.stub.error)}`);
  assert.equal(out.stub.output.InitialContactId, 'stub-contact-1');
  assert.equal(out.stub.output.NewChatCreated, true);
  assert.equal(out.stub.output.$metadata.httpStatusCode, 200);
  assert.equal(out.stub.output.$metadata.requestId, 'stub-request-1');
  assert.equal(out.stub.requests.length, 1);
  const [req] = out.stub.requests;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'https://connect.us-east-1.amazonaws.com/chat-integration-event');
  assert.deepEqual(JSON.parse(req.body), VALID_INPUT);
  const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/us-east-1\/connect\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(req.headers.authorization ?? '');
  assert.ok(auth, `SigV4 authorization header: ${req.headers.authorization}`);
  assert.equal(auth[1], STUB_CREDENTIALS.accessKeyId);
  if (nodePkg) {
    // The same request signed by the package in Node (same date) gives the same Authorization.
    const signed = auth[3].split(';');
    const d = req.headers['x-amz-date'];
    const headers = Object.fromEntries(signed.filter((h) => h !== 'host').map((h) => [h, req.headers[h]]));
    const again = nodePkg.signRequest({ method: 'POST', url: req.url, headers, body: req.body }, {
      region: 'us-east-1', service: 'connect', credentials: STUB_CREDENTIALS, applyChecksum: signed.includes('x-amz-content-sha256'),
      signingDate: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
    });
    assert.equal(again.headers.authorization, req.headers.authorization, 'the runtime signed exactly as the Node build does');
  }
  if (local) {
    assert.ok(out.local, 'the cell sent to the local endpoint');
    assert.equal(out.local.error, undefined, `local send failed: ${JSON.stringify(out.local.error)}`);
    assert.match(out.local.output.InitialContactId, UUID);
    assert.equal(out.local.output.NewChatCreated, true);
    assert.equal(out.local.output.$metadata.httpStatusCode, 200);
    // The endpoint verified the signature (else 403) and holds the chat with the event.
    const chat = local.server.state.chats.find((c) => c.sourceId === local.sourceId);
    assert.ok(chat, `the local endpoint has a chat for ${local.sourceId}`);
    assert.equal(chat.contactId, out.local.output.InitialContactId);
  }
}

export { LOCAL_CREDENTIALS };
