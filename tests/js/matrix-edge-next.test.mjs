// Runtime matrix, Next.js: one app (tests/matrix/edge/next-app) with a route handler per runtime
// (`runtime = 'nodejs'` and `runtime = 'edge'`), importing the package as a Next user would, with NO next.config
// (so no serverExternalPackages, no webpack/turbopack rules). Built twice, with Turbopack (Next 16's default) and
// with webpack, then `next start` on 127.0.0.1; each route runs the cell and sends to the local endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  makeProject, run, toolBin, startProcess, freePort, fetchJson, startLocalEndpoint, freshSourceId, checkCell, requireTools,
} from '../matrix/edge/harness.mjs';

let project;
let server;
let nodePkg;
before(async () => {
  requireTools();
  project = makeProject('next-app', 'lib');
  server = await startLocalEndpoint(project.pkg);
  nodePkg = await import(pathToFileURL(join(project.pkg, 'node', 'index.mjs')).href);
});
after(async () => {
  await server?.close();
  project?.cleanup();
});

// app/cell/<route>/route.js: connect-chat-events and connect-chat-events/client, in each runtime.
const ROUTES = ['node', 'edge', 'node-client', 'edge-client'];

/** Every .js file under dir (recursively). */
function jsFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

async function waitForServer(url, proc, deadlineMs = 30_000) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (proc.child.exitCode !== null) throw new Error(`next start exited (${proc.child.exitCode}):\n${proc.output}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`next start did not answer within ${deadlineMs} ms:\n${proc.output}`);
}

test('the Next.js app has no next.config (the package needs no serverExternalPackages or wasm rules)', () => {
  const configs = readdirSync(project.dir).filter((f) => /^next\.config\./.test(f));
  assert.deepEqual(configs, []);
  assert.ok(!readFileSync(join(project.dir, 'package.json'), 'utf8').includes('serverExternalPackages'));
});

for (const bundler of ['turbopack', 'webpack']) {
  test(`next build (${bundler}) + next start: nodejs and edge route handlers (. and ./client)`, { timeout: 300_000 }, async (t) => {
    rmSync(join(project.dir, '.next'), { recursive: true, force: true });
    const started = Date.now();
    const built = await run(toolBin('next'), ['build', bundler === 'webpack' ? '--webpack' : '--turbopack'], { cwd: project.dir, timeoutMs: 240_000 });
    const buildMs = Date.now() - started;
    assert.equal(built.code, 0, `next build (${bundler}) failed:\n${built.stdout}\n${built.stderr}`);
    assert.match(built.stdout, bundler === 'webpack' ? /Next\.js [\d.]+ \(webpack\)/ : /Next\.js [\d.]+ \(Turbopack\)/);
    for (const route of ROUTES) assert.match(built.stdout, new RegExp(`ƒ /cell/${route}\\n`), `route /cell/${route} was built`);

    // The nodejs route's server code holds the package itself, wasm bytes inlined (base64 of "\0asm" is AGFzbQ):
    // the bundler followed the Node entry; nothing is left for Node to read from node_modules at run time.
    const serverDir = join(project.dir, '.next', 'server');
    const nodeFiles = jsFiles(serverDir).filter((f) => !relative(serverDir, f).startsWith('edge'));
    assert.ok(nodeFiles.some((f) => /["'`]AGFzbQ/.test(readFileSync(f, 'utf8'))), 'the nodejs server bundle inlines the wasm bytes');
    // The edge route gets the .wasm as a module (Next's middleware manifest lists it), not as bytes in the JS.
    const manifest = JSON.parse(readFileSync(join(serverDir, 'middleware-manifest.json'), 'utf8'));
    const edge = Object.values(manifest.functions).find((f) => f.page === '/cell/edge/route');
    assert.ok(edge, `edge function in the manifest: ${Object.keys(manifest.functions)}`);
    assert.ok(edge.wasm?.length >= 1, 'the edge route has a wasm binding');
    for (const w of edge.wasm) assert.ok(existsSync(join(project.dir, '.next', w.filePath)), `${w.filePath} exists`);

    const port = await freePort();
    const proc = startProcess(toolBin('next'), ['start', '-H', '127.0.0.1', '-p', String(port)], { cwd: project.dir });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForServer(base, proc);
      for (const route of ROUTES) {
        const sourceId = freshSourceId();
        const res = await fetchJson(`${base}/cell/${route}?endpoint=${encodeURIComponent(server.url)}&sourceId=${encodeURIComponent(sourceId)}`);
        assert.equal(res.status, 200, `${bundler} /cell/${route}: ${res.text}\n${proc.output}`);
        const out = res.json;
        if (route.startsWith('edge')) {
          assert.equal(out.runtime.edgeRuntime, 'edge-runtime', 'the edge route ran in the edge runtime');
          assert.equal(out.runtime.wasmCodegen, 'refused', 'lib/no-wasm-codegen.mjs was in force (as on Vercel)');
        } else {
          assert.equal(out.runtime.node, process.versions.node, 'the nodejs route ran in Node');
        }
        checkCell(out, { clientOnly: route.endsWith('-client'), nodePkg, local: { server, sourceId } });
      }
      t.diagnostic(`${bundler}: next build ${buildMs} ms, build + start + ${ROUTES.length} routes ${Date.now() - started} ms`);
    } finally {
      await proc.stop();
    }
  });
}
