// Runtime matrix (issue 15), bundlers: a user's file that imports `connect-chat-events`, and one that imports
// `connect-chat-events/client`, bundled with each bundler's ordinary production settings — esbuild (esm, and
// --format=iife), webpack 5, Vite (build), `bun build` and Rollup with @rollup/plugin-node-resolve — then run in Chromium:
// validate, sign the get-vanilla vector, send through a stub fetch and to the local endpoint. The inline
// entries carry their wasm inside the JS, so no bundler may emit a .wasm file. Sizes go to
// artifacts/matrix-bundle-sizes.json (tests/matrix/web/sizes-table.mjs prints them as a table).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { promisify } from 'node:util';
import { BINARIES, cleanup, installApp, listFiles, mtool, mtoolVersion, run, startEndpoint, tarball, writeArtifact } from '../matrix/web/support/pkg.mjs';
import { CELL_SOURCE, cellOptions, checkCell } from '../matrix/web/support/cell.mjs';
import { launch, runPage } from '../matrix/web/support/browsers.mjs';
import { startStaticServer } from './support/static-server.mjs';
import { tool } from './support/tools.mjs';

// What the user wrote: no bundler-specific code. The default entry, and `./client` (ConnectChatClient alone).
const userFile = (spec) => `import * as m from '${spec}';
${CELL_SOURCE}
runCell(m, window.__opts).then((r) => { window.__result = r; }, (e) => { window.__result = { fatal: String((e && e.stack) || e) }; });
`;
// `wasm`: the .wasm files the build must emit. The inline entries carry their bytes (none); `./web` fetches
// its .wasm beside it (`new URL(…, import.meta.url)`), which webpack and Vite emit as an asset (esbuild and
// plain Rollup do not follow that pattern, so `./web` is for them no bundler entry).
const ENTRIES = {
  'connect-chat-events': { wasm: 0 },
  'connect-chat-events/client': { wasm: 0, checks: { only: ['exports', 'stub', 'local'], exports: ['ConnectChatClient'] } },
  'connect-chat-events/web': { wasm: 1, bundlers: ['webpack 5', 'vite (build)'] },
};

/** Each bundler: builds `entry` into `out`, returns the HTML (without options) that loads the bundle. */
const BUNDLERS = {
  'esbuild (esm)': {
    minified: true,
    version: async () => (await tool('esbuild')).version,
    async build({ entry, out }) {
      const esbuild = await tool('esbuild');
      const r = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', minify: true,
        outfile: join(out, 'main.js'), logLevel: 'silent', metafile: true });
      assertEsbuildInputs(r);
      return '<script type="module" src="/main.js"></script>';
    },
  },
  'esbuild (iife)': {
    minified: true,
    version: async () => (await tool('esbuild')).version,
    async build({ entry, out }) {
      const esbuild = await tool('esbuild');
      const r = await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'iife', minify: true,
        outfile: join(out, 'main.js'), logLevel: 'silent', metafile: true });
      assertEsbuildInputs(r);
      return '<script src="/main.js"></script>';
    },
  },
  'webpack 5': {
    minified: true,
    version: async () => mtoolVersion('webpack'),
    async build({ entry, out, dir }) {
      const { default: webpack } = await mtool('webpack');
      const compiler = webpack({ mode: 'production', context: dir, entry, output: { path: out, filename: 'main.js' },
        performance: { hints: false } });
      const stats = await promisify(compiler.run.bind(compiler))();
      await promisify(compiler.close.bind(compiler))();
      assert.ok(!stats.hasErrors(), stats.toString({ all: false, errors: true }));
      return '<script src="/main.js"></script>';
    },
  },
  'vite (build)': {
    minified: true,
    version: async () => mtoolVersion('vite'),
    async build({ entry, out, dir }) {
      const { build } = await mtool('vite');
      const project = join(dir, 'vite-project');
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, 'main.js'), readFileSync(entry));
      writeFileSync(join(project, 'index.html'), '<!doctype html><title>vite</title><script type="module" src="/main.js"></script>\n');
      await build({ root: project, logLevel: 'silent', configFile: false, build: { outDir: out, emptyOutDir: true } });
      // Vite writes its own index.html with hashed asset names; the page reuses its script tags.
      const html = readFileSync(join(out, 'index.html'), 'utf8');
      const tags = html.match(/<script[^>]*><\/script>/g);
      assert.ok(tags?.length, `vite's index.html loads a script: ${html}`);
      return tags.join('\n');
    },
  },
  'bun build': {
    minified: true,
    version: async () => mtoolVersion('bun'),
    async build({ entry, out, dir }) {
      await run(BINARIES.bun(), ['build', entry, '--target=browser', '--format=esm', '--minify', `--outdir=${out}`, '--entry-naming=main.js'],
        { cwd: dir, timeout: 60_000, env: { ...process.env, DO_NOT_TRACK: '1' } });
      return '<script type="module" src="/main.js"></script>';
    },
  },
  // Rollup ships no minifier (users add a plugin); its bundle is measured as built.
  'rollup + node-resolve': {
    minified: false,
    version: async () => `${mtoolVersion('rollup')} (+ @rollup/plugin-node-resolve ${mtoolVersion('@rollup/plugin-node-resolve')})`,
    async build({ entry, out }) {
      const { rollup } = await mtool('rollup');
      const { nodeResolve } = await mtool('@rollup/plugin-node-resolve');
      const bundle = await rollup({ input: entry, plugins: [nodeResolve({ browser: true })], onwarn: (w) => { throw new Error(w.message); } });
      await bundle.write({ dir: out, format: 'es', entryFileNames: 'main.js' });
      await bundle.close();
      return '<script type="module" src="/main.js"></script>';
    },
  },
};

function wasmSizes(buffers) {
  const bytes = Buffer.concat(buffers);
  return buffers.length ? { wasmBytes: bytes.length, wasmGzip: gzipSync(bytes, { level: 9 }).length, wasmBrotli: brotliCompressSync(bytes).length } : {};
}

function assertEsbuildInputs(r) {
  assert.deepEqual(r.errors, []);
  const inputs = Object.keys(r.metafile.inputs);
  assert.ok(inputs.some((p) => p.includes('connect-chat-events/inline/')), `bundles the inline entry: ${inputs.join(', ')}`);
  assert.ok(!inputs.some((p) => /connect-chat-events\/node\//.test(p)), `no Node entry: ${inputs.join(', ')}`);
}

let app;
let endpoint;
let b;
const sizes = {};
const results = [];
before(async () => {
  app = await installApp('bundlers');
  endpoint = await startEndpoint(app, { corsOrigins: ['*'] });
  b = await launch('chromium');
});
after(async () => {
  await b?.close();
  await endpoint?.close();
  const { source, sha256 } = await tarball();
  writeArtifact('matrix-web-bundlers.json', { tarball: source, sha256, cells: results });
  writeArtifact('matrix-bundle-sizes.json', {
    what: 'a user file importing the entry (its browser condition), each bundler\'s production build; bytes of all emitted JS',
    tarball: source, sha256, bundlers: sizes,
  });
  cleanup();
});

describe('runtime matrix: bundlers → Chromium', () => {
  for (const [spec, { wasm, checks = {}, bundlers }] of Object.entries(ENTRIES)) for (const [name, bundler] of Object.entries(BUNDLERS)) {
    if (bundlers && !bundlers.includes(name)) continue;
    const what = wasm ? `its .wasm as ${wasm} asset` : 'no .wasm file';
    test(`${name} bundles ${spec} with ${what}, and the bundle runs in Chromium`, { timeout: 120_000 }, async () => {
      const record = { bundler: name, spec, ok: false };
      results.push(record);
      const slug = `${name}-${spec}`.replace(/[^a-z0-9]+/g, '-');
      const dir = join(app.dir, `user-${slug}`);
      const out = join(app.dir, `dist-${slug}`);
      rmSync(out, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const entry = join(dir, 'main.js');
      writeFileSync(entry, userFile(spec));
      const started = Date.now();
      let tags;
      try {
        tags = await bundler.build({ entry, out, dir: app.dir });
      } catch (e) {
        record.error = String(e.message ?? e).slice(0, 1500);
        throw e;
      }
      record.buildMs = Date.now() - started;
      const files = listFiles(out);
      record.files = files;
      const js = files.filter((f) => /\.m?js$/.test(f));
      const bytes = Buffer.concat(js.map((f) => readFileSync(join(out, f))));
      const wasmFiles = files.filter((f) => f.endsWith('.wasm'));
      (sizes[spec] ??= {})[name] = { version: await bundler.version(), files: js, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length,
        brotli: brotliCompressSync(bytes).length, minified: bundler.minified, wasmFiles: wasmFiles.length,
        ...wasmSizes(wasmFiles.map((f) => readFileSync(join(out, f)))), buildMs: record.buildMs };
      assert.equal(wasmFiles.length, wasm, `${name} emitted ${wasm} .wasm file(s) (emitted: ${files.join(', ')})`);

      const opts = cellOptions(`bundle ${name} ${spec}`, { endpoint: endpoint.url, only: checks.only });
      const site = await startStaticServer(out, {
        '/matrix.html': `<!doctype html><meta charset="utf-8"><title>${name}</title><script>window.__opts = ${JSON.stringify(opts)};</script>\n${tags}`,
      });
      try {
        const { result, problems } = await runPage(b, `${site.url}/matrix.html`);
        record.problems = problems;
        assert.equal(result.fatal, undefined, `the bundle crashed: ${result.fatal}`);
        await checkCell(result, { endpoint: endpoint.url, ...checks });
        assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
        assert.deepEqual(site.served.filter((p) => p.endsWith('.wasm')), wasmFiles.map((f) => `/${f}`), 'the page fetched exactly the emitted .wasm');
      } finally {
        await site.close();
      }
      record.ok = true;
    });
  }
});
