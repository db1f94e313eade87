// Runtime matrix, Cloudflare Workers: a Worker project (module syntax, tests/matrix/edge/worker) imports the
// package as a Worker author would; `wrangler deploy --dry-run --outdir` bundles it with wrangler's own rules
// (the workerd export condition, .wasm as CompiledWasm) and Miniflare runs that output in workerd. The worker's
// fetch handler runs the cell: validate, sign get-vanilla, send through a stub fetch and to the local endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeProject, run, tool, toolBin, startLocalEndpoint, freshSourceId, checkCell } from '../matrix/edge/harness.mjs';

const COMPATIBILITY_DATE = '2026-04-01';
let project;
let server;
let nodePkg;
before(async () => {
  project = makeProject('worker', 'src');
  server = await startLocalEndpoint(project.pkg);
  nodePkg = await import(pathToFileURL(join(project.pkg, 'node', 'index.mjs')).href);
});
after(async () => {
  await server?.close();
  project?.cleanup();
});

const CELLS = [
  { entry: 'index', spec: 'connect-chat-events', file: 'workerd/index.js' },
  { entry: 'client', spec: 'connect-chat-events/client', file: 'workerd/client.js', clientOnly: true },
  { entry: 'web', spec: 'connect-chat-events/web', file: 'workerd/index.js' },
  { entry: 'client-web', spec: 'connect-chat-events/client/web', file: 'workerd/client.js', clientOnly: true },
];

for (const { entry, spec, file, clientOnly } of CELLS) {
  test(`workerd: ${spec} bundled by wrangler deploy --dry-run and run in Miniflare`, { timeout: 120_000 }, async (t) => {
    const outdir = join(project.dir, `dist-${entry}`);
    const started = Date.now();
    const built = await run(toolBin('wrangler'), ['deploy', '--dry-run', '--outdir', outdir, `src/${entry}.js`], {
      cwd: project.dir, timeoutMs: 90_000, env: { WRANGLER_LOG_PATH: join(project.dir, '.wrangler', 'logs') } });
    assert.equal(built.code, 0, `wrangler deploy --dry-run failed:\n${built.stdout}\n${built.stderr}`);
    const script = readdirSync(outdir).find((f) => f.endsWith('.js'));
    const bundle = readFileSync(join(outdir, script), 'utf8');

    const { Miniflare } = await tool('miniflare');
    const mf = new Miniflare({
      modules: true, scriptPath: join(outdir, script), modulesRoot: outdir, compatibilityDate: COMPATIBILITY_DATE,
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    });
    try {
      const sourceId = freshSourceId();
      const res = await mf.dispatchFetch(`http://cell.test/?endpoint=${encodeURIComponent(server.url)}&sourceId=${encodeURIComponent(sourceId)}`,
        { signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      const out = JSON.parse(text);
      assert.equal(out.runtime.userAgent, 'Cloudflare-Workers', 'the cell ran in workerd');
      assert.equal(out.runtime.wasmCodegen, 'refused', 'workerd refuses wasm compilation from bytes');
      checkCell(out, { clientOnly, nodePkg, local: { server, sourceId } });
      // wrangler resolved the package's workerd entry and kept the wasm as a separate module (no bytes in JS).
      assert.ok(bundle.includes(`node_modules/connect-chat-events/${file}`), `bundle is built from ${file}`);
      assert.ok(readdirSync(outdir).some((f) => f.endsWith('.wasm')), `wrangler emitted the .wasm module: ${readdirSync(outdir).join(', ')}`);
      t.diagnostic(`${spec}: wrangler + Miniflare ${Date.now() - started} ms; sent to ${server.url} from workerd`);
    } finally {
      await mf.dispose();
    }
  });
}
