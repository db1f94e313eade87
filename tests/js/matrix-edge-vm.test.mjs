// Runtime matrix, Vercel-style edge functions: @edge-runtime/vm with wasm code generation off (as in production).
// The cell (tests/matrix/edge/edge-vm/entry.mjs) is bundled with esbuild for the edge-light condition; the package's
// `.wasm?module` import becomes a global holding a WebAssembly.Module compiled by the host, the way Next.js and
// Vercel hand wasm to edge functions (the module comes from the host's realm, not the VM's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeProject, tool, startLocalEndpoint, freshSourceId, checkCell } from '../matrix/edge/harness.mjs';

let project;
let server;
let nodePkg;
let bundle;
const bindings = {};
before(async () => {
  project = makeProject('edge-vm', '.');
  server = await startLocalEndpoint(project.pkg);
  nodePkg = await import(pathToFileURL(join(project.pkg, 'node', 'index.mjs')).href);
  const esbuild = await tool('esbuild');
  // `import wasm from './x.wasm?module'` → `export default wasm_<sha1 of the path>`, a global the host injects.
  const wasmModules = {
    name: 'wasm-module',
    setup(b) {
      b.onResolve({ filter: /\.wasm\?module$/ }, (a) => ({ path: join(a.resolveDir, a.path.replace(/\?module$/, '')), namespace: 'wasm-module' }));
      b.onLoad({ filter: /.*/, namespace: 'wasm-module' }, (a) => {
        const name = `wasm_${createHash('sha1').update(a.path).digest('hex')}`;
        bindings[name] = a.path;
        return { contents: `export default globalThis.${name};`, loader: 'js' };
      });
    },
  };
  const result = await esbuild.build({
    entryPoints: [join(project.dir, 'entry.mjs')], absWorkingDir: project.dir, bundle: true, write: false, metafile: true,
    format: 'iife', platform: 'neutral', target: 'es2022', conditions: ['edge-light', 'worker', 'browser'], mainFields: ['module', 'main'],
    plugins: [wasmModules], logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  bundle = { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
});
after(async () => {
  await server?.close();
  project?.cleanup();
});

async function edgeVM() {
  const { EdgeVM } = await tool('@edge-runtime/vm');
  const modules = Object.fromEntries(Object.entries(bindings).map(([name, path]) => [name, new WebAssembly.Module(readFileSync(path))]));
  return new EdgeVM({ codeGeneration: { strings: false, wasm: false }, extend: (context) => Object.assign(context, modules) });
}

test('edge-light bundle: the edge entry, its .wasm as a module import, no wasm bytes in the JS', () => {
  assert.ok(bundle.inputs.some((p) => p.endsWith('connect-chat-events/edge/index.js')), `edge entry: ${bundle.inputs.join(', ')}`);
  assert.ok(bundle.inputs.some((p) => p.startsWith('wasm-module:')), 'the .wasm is imported with ?module');
  assert.ok(!bundle.inputs.some((p) => /connect-chat-events\/(inline|node|web\/index)/.test(p)), `no other build: ${bundle.inputs.join(', ')}`);
  assert.ok(Object.keys(bindings).length >= 1);
});

test('@edge-runtime/vm really refuses wasm compilation from bytes (codeGeneration.wasm false)', async () => {
  const vm = await edgeVM();
  assert.throws(() => vm.evaluate('new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))'), /Wasm code generation disallowed by embedder/);
  await assert.rejects(vm.evaluate('WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))'), /Wasm code generation disallowed by embedder/);
});

for (const [spec, clientOnly] of [['.', false], ['./client', true], ['./web', false]]) {
  test(`@edge-runtime/vm (codegen off): connect-chat-events${spec.slice(1)} validates, signs, sends`, { timeout: 60_000 }, async () => {
    const vm = await edgeVM();
    vm.evaluate(bundle.code);
    const sourceId = freshSourceId();
    const out = await vm.evaluate(`__cells[${JSON.stringify(spec)}]`)({ endpoint: server.url, sourceId });
    assert.equal(out.runtime.edgeRuntime, 'edge-runtime', 'the cell ran in the edge runtime VM');
    assert.equal(out.runtime.wasmCodegen, 'refused');
    checkCell(JSON.parse(JSON.stringify(out)), { clientOnly, nodePkg, local: { server, sourceId } });
  });
}

test('@edge-runtime/vm: the three subpaths share one ConnectChatClient (one wasm instance)', async () => {
  const vm = await edgeVM();
  vm.evaluate(bundle.code);
  assert.equal(vm.evaluate('__cells.sameClient()'), true);
});
