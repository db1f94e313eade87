// The package as users get it: installed from the `npm pack` tarball into an empty folder (CCE_APP_DIR).
// CJS and ESM from Node, the exports map, esbuild bundles (Node and Chromium), a browser page without a
// bundler sending a real CORS request to the mock Connect, tsc --strict on typed examples, and the tarball.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, writeFileSync, readFileSync, cpSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { appDir, pkgDir, importPackage } from './support/app.mjs';
import { root, bin, tool } from './support/tools.mjs';
import { startMockConnect, TEST_CREDENTIALS } from './support/mock-connect.mjs';
import { startStaticServer } from './support/static-server.mjs';
import { launchChromium, openPage } from './support/browser.mjs';

const run = promisify(execFile);
const EXPORTS = ['ConnectChatClient', 'resolveEndpoint', 'serializeChatIntegrationEvent', 'signRequest', 'validateChatIntegrationEvent'];

// The AWS SigV4 test suite's get-vanilla vector.
const VANILLA = {
  request: { method: 'GET', url: 'https://example.amazonaws.com/' },
  options: {
    region: 'us-east-1', service: 'service', signingDate: '2015-08-30T12:36:00Z', applyChecksum: false,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  },
  signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
};
const VALID_INPUT = { SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'héllo 👋' } };

// The same smoke check in every runtime: validate, serialize, sign the vanilla vector.
const SMOKE = `
  const out = {};
  out.exports = Object.keys(m).filter((k) => ${JSON.stringify(EXPORTS)}.includes(k)).sort();
  out.types = ${JSON.stringify(EXPORTS)}.map((k) => typeof m[k]);
  out.valid = m.validateChatIntegrationEvent(${JSON.stringify(VALID_INPUT)}).valid;
  out.invalid = m.validateChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'FOO' } }).issues.map((i) => i.path + ':' + i.code);
  out.body = m.serializeChatIntegrationEvent(${JSON.stringify(VALID_INPUT)});
  out.signature = m.signRequest(${JSON.stringify(VANILLA.request)}, ${JSON.stringify(VANILLA.options)}).signature;
  out.endpoint = m.resolveEndpoint({ region: 'eu-central-1' });
  out.client = new m.ConnectChatClient({ region: 'us-west-2', credentials: { accessKeyId: 'AKID', secretAccessKey: 'never-shown' } }).endpoint;
`;

function checkSmoke(out) {
  assert.deepEqual(out.exports, EXPORTS);
  assert.deepEqual(out.types, EXPORTS.map(() => 'function'));
  assert.equal(out.valid, true);
  assert.deepEqual(out.invalid, ['Event.Type:enum']);
  assert.deepEqual(JSON.parse(out.body), VALID_INPUT);
  assert.equal(out.signature, VANILLA.signature);
  assert.equal(out.endpoint, 'https://connect.eu-central-1.amazonaws.com');
  assert.equal(out.client, 'https://connect.us-west-2.amazonaws.com');
}

test('require() from a CommonJS child process exposes and runs the 5 exports', async () => {
  const code = `const m = require('connect-chat-events');${SMOKE}
    out.resolved = require.resolve('connect-chat-events');
    process.stdout.write(JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ['-e', code], { cwd: appDir });
  const out = JSON.parse(stdout);
  checkSmoke(out);
  assert.equal(out.resolved, join(pkgDir, 'node', 'index.cjs'));
});

test('import from an ES module child process exposes and runs the 5 exports', async () => {
  const code = `import * as m from 'connect-chat-events';${SMOKE}
    out.resolved = import.meta.resolve('connect-chat-events');
    process.stdout.write(JSON.stringify(out));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: appDir });
  const out = JSON.parse(stdout);
  checkSmoke(out);
  assert.equal(out.resolved, pathToFileURL(join(pkgDir, 'node', 'index.mjs')).href);
});

test('CJS and ESM in one process load and agree (dual package)', async () => {
  const esm = await importPackage();
  const { requireFromApp } = await import('./support/app.mjs');
  const cjs = requireFromApp('connect-chat-events');
  for (const name of EXPORTS) {
    assert.equal(typeof esm[name], 'function', name);
    assert.equal(typeof cjs[name], 'function', name);
  }
  const a = esm.signRequest(VANILLA.request, VANILLA.options);
  const b = cjs.signRequest(VANILLA.request, VANILLA.options);
  assert.equal(a.signature, VANILLA.signature);
  assert.deepEqual(a, b);
});

test('connect-chat-events/client from Node (require and import) is the same ConnectChatClient, alone', async () => {
  const code = (load) => `${load}
    const c = new m.ConnectChatClient({ region: 'eu-west-2', credentials: { accessKeyId: 'AKID', secretAccessKey: 'never-shown' } });
    process.stdout.write(JSON.stringify({ keys: Object.keys(m).sort(), endpoint: c.endpoint, same: m.ConnectChatClient === full.ConnectChatClient }));`;
  const cjs = await run(process.execPath, ['-e', code(`const m = require('connect-chat-events/client'); const full = require('connect-chat-events');`)], { cwd: appDir });
  const esm = await run(process.execPath, ['--input-type=module', '-e',
    code(`import * as m from 'connect-chat-events/client'; import * as full from 'connect-chat-events';`)], { cwd: appDir });
  for (const { stdout } of [cjs, esm]) {
    assert.deepEqual(JSON.parse(stdout), { keys: ['ConnectChatClient'], endpoint: 'https://connect.eu-west-2.amazonaws.com', same: true });
  }
});

/** Every `{ types, default }` leaf of an exports entry, by its condition path (e.g. `node.import`). */
function leaves(entry, path = []) {
  if (typeof entry === 'string') return [[path.join('.'), { default: entry }]];
  if ('default' in entry && typeof entry.default === 'string') return [[path.join('.') || 'default', entry]];
  return Object.entries(entry).flatMap(([k, v]) => leaves(v, [...path, k]));
}

test('exports map: conditions most specific first; every condition points to existing files and has existing types', () => {
  const pj = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pj.name, 'connect-chat-events');
  assert.equal(pj.type, 'module', '.d.ts files are ES module declarations; .d.cts CommonJS ones');
  const ORDER = ['workerd', 'edge-light', 'deno', 'worker', 'browser', 'node', 'default'];
  for (const sub of ['.', './client', './web', './client/web']) {
    // wrangler passes workerd and browser, Next passes edge-light and browser, Deno passes deno and node:
    // the first listed that matches wins, so the specific runtimes come first.
    assert.deepEqual(Object.keys(pj.exports[sub]), ORDER, `${sub}: condition order`);
    assert.deepEqual(Object.keys(pj.exports[sub].node), ['import', 'require'], `${sub}: node import/require`);
    assert.match(pj.exports[sub].node.require.types, /\.d\.cts$/, `${sub}: require condition uses CJS declarations`);
    assert.match(pj.exports[sub].node.import.types, /\.d\.ts$/, `${sub}: import condition uses ESM declarations`);
  }
  const targets = Object.entries(pj.exports).filter(([sub]) => sub !== './package.json')
    .flatMap(([sub, e]) => leaves(e).map(([cond, t]) => [`${sub} ${cond}`, t]));
  assert.ok(targets.length >= 30, `${targets.length} targets`);
  for (const [cond, t] of targets) {
    assert.ok(typeof t.types === 'string' && typeof t.default === 'string', `${cond} has types and default`);
    // `types` must come first for TypeScript to see it.
    assert.equal(Object.keys(t)[0], 'types', `${cond}: types is listed first`);
    for (const f of [t.types, t.default]) {
      assert.ok(existsSync(join(pkgDir, f)), `${cond} → ${f} exists in the installed package`);
    }
    assert.match(t.types, /\.d\.c?ts$/);
  }
  for (const f of [pj.main, pj.types, pj.module]) assert.ok(existsSync(join(pkgDir, f)), `${f} exists`);
  // Every JS entry's relative imports resolve to files in the package, and only web/ may wait at top level.
  const seen = new Set();
  const check = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const src = readFileSync(file, 'utf8');
    if (!file.includes(`${join(pkgDir, 'web')}/`)) {
      assert.doesNotMatch(src, /^await /m, `${file}: no top-level await (require(), classic scripts, workerd)`);
    }
    const specs = src.matchAll(/^\s*(?:import|export)\b[^'"\n]*?['"](\.[^'"?]+)(?:\?module)?['"]|require\(\s*['"](\.[^'"]+)['"]\)/gm);
    for (const spec of [...specs].map((m) => m[1] ?? m[2])) {
      const target = join(dirname(file), spec);
      assert.ok(existsSync(target), `${file} imports ${spec}, which exists`);
      if (/\.(c|m)?js$/.test(target)) check(target);
    }
  };
  for (const [, t] of targets) if (/\.(c|m)?js$/.test(t.default)) check(join(pkgDir, t.default));
});

test('the installed declarations declare all 5 exports (ESM and CJS flavours)', () => {
  for (const f of ['index.d.ts', 'index.d.cts']) {
    const dts = readFileSync(join(pkgDir, f), 'utf8');
    for (const name of ['validateChatIntegrationEvent', 'serializeChatIntegrationEvent', 'signRequest', 'resolveEndpoint']) {
      assert.match(dts, new RegExp(`export (declare )?function ${name}\\(`), `${f}: ${name}`);
    }
    assert.match(dts, /export (declare )?class ConnectChatClient/, `${f}: ConnectChatClient`);
  }
});

// ---------------------------------------------------------------------------------------------
// esbuild

let bundleDir;
async function buildBundle() {
  if (bundleDir) return bundleDir;
  const esbuild = await tool('esbuild');
  bundleDir = join(appDir, 'esbuild-out');
  mkdirSync(bundleDir, { recursive: true });
  const entry = join(appDir, 'esbuild-entry.mjs');
  writeFileSync(entry, `import * as m from 'connect-chat-events';
export function smoke() {${SMOKE} return out; }
`);
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022',
    outfile: join(bundleDir, 'bundle.mjs'), logLevel: 'silent', metafile: true,
  });
  assert.deepEqual(result.errors, []);
  // The browser condition picks the inline (wasm in the JS) build: no separate .wasm fetch needed.
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.includes('connect-chat-events/inline/')), `bundle uses the inline build: ${inputs.join(', ')}`);
  assert.ok(!inputs.some((p) => p.includes('/node/')), 'bundle does not pull in the node build');
  return bundleDir;
}

test('esbuild (platform browser, format esm) bundle runs in Node as .mjs', async () => {
  const dir = await buildBundle();
  const m = await import(pathToFileURL(join(dir, 'bundle.mjs')).href);
  checkSmoke(m.smoke());
});

// ---------------------------------------------------------------------------------------------
// Chromium: the esbuild bundle, and the ./web build loaded without a bundler sending to the mock.

let browser;
let mock;
let site;
// Started on first use, so a browser problem fails only the browser tests.
async function env() {
  browser ??= await launchChromium();
  mock ??= await startMockConnect();
  site ??= await startStaticServer(appDir, {
    '/bundle.html': '<!doctype html><title>bundle</title><script type="module">import { smoke } from "/esbuild-out/bundle.mjs"; window.__result = smoke();</script>',
  });
}
after(async () => {
  await browser?.close();
  await mock?.close();
  await site?.close();
});

test('esbuild bundle runs in Chromium and signs the get-vanilla vector', async () => {
  await buildBundle();
  await env();
  const page = await openPage(browser);
  try {
    await page.goto(`${site.url}/bundle.html`);
    const out = await page.waitForFunction(() => window.__result, null, { timeout: 20000 }).then((h) => h.jsonValue());
    checkSmoke(out);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
  }
});

test('browser page (<script type=module>, no bundler) validates, signs and sends to the mock with CORS', async () => {
  await env();
  const preflights = [];
  const listener = (req) => { if (req.method === 'OPTIONS') preflights.push({ ...req.headers }); };
  mock.server.on('request', listener);
  const before = mock.requests.length;
  const page = await openPage(browser);
  const html = `<!doctype html><meta charset="utf-8"><title>connect-chat-events in the browser</title>
<body><h1>connect-chat-events</h1><pre id="out">running…</pre>
<script type="module">
import { ConnectChatClient, validateChatIntegrationEvent, signRequest } from '/node_modules/connect-chat-events/web/index.js';
const input = ${JSON.stringify(VALID_INPUT)};
const result = { validation: validateChatIntegrationEvent(input) };
result.signature = signRequest(${JSON.stringify(VANILLA.request)}, ${JSON.stringify(VANILLA.options)}).signature;
// One attempt: the preflight then asks only for the headers SigV4 needs (see maxAttempts in index.d.ts).
const client = new ConnectChatClient({ region: 'us-east-1', endpoint: ${JSON.stringify(mock.url)}, maxAttempts: 1,
  credentials: async () => (${JSON.stringify(TEST_CREDENTIALS)}) });
try {
  result.output = await client.sendChatIntegrationEvent(input);
} catch (e) {
  result.error = { name: e.name, message: e.message };
}
document.getElementById('out').textContent = JSON.stringify({ validation: result.validation, output: result.output, error: result.error }, null, 2);
window.__result = result;
</script>`;
  const pageSite = await startStaticServer(appDir, { '/index.html': html });
  try {
    await page.goto(`${pageSite.url}/index.html`);
    const out = await page.waitForFunction(() => window.__result, null, { timeout: 20000 }).then((h) => h.jsonValue());
    mkdirSync(join(root, 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(root, 'artifacts', 'browser-send.png') });
    assert.equal(out.error, undefined, `send failed: ${JSON.stringify(out.error)}`);
    assert.deepEqual(out.validation, { valid: true, issues: [] });
    assert.equal(out.signature, VANILLA.signature);
    assert.equal(out.output.NewChatCreated, true);
    assert.match(out.output.InitialContactId, /^contact-\d+$/);
    assert.equal(out.output.$metadata.httpStatusCode, 200);
    assert.match(out.output.$metadata.requestId, /^req-\d+$/);
    // A real cross-origin request: a preflight asked for the signed headers, and the POST was signed correctly.
    assert.ok(preflights.length >= 1, 'a CORS preflight reached the mock');
    const asked = (preflights[0]['access-control-request-headers'] ?? '').split(',').map((s) => s.trim()).sort();
    assert.deepEqual(asked, ['authorization', 'content-type', 'x-amz-date']);
    assert.equal(preflights[0].origin, pageSite.url);
    const sent = mock.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].method, 'POST');
    assert.equal(sent[0].path, '/chat-integration-event');
    assert.equal(sent[0].headers.origin, pageSite.url);
    assert.equal(sent[0].signatureValid, true, sent[0].verifyError ?? 'signature verified by the SDK signer');
    assert.deepEqual(JSON.parse(sent[0].body), VALID_INPUT);
    // The page loaded the web build and its .wasm from the package, nothing else.
    assert.ok(pageSite.served.includes('/node_modules/connect-chat-events/web/index.js'));
    assert.ok(pageSite.served.some((p) => p.endsWith('/web/connect_chat_events_bg.wasm')));
    assert.deepEqual(page.problems, []);
  } finally {
    mock.server.off('request', listener);
    await page.close();
    await pageSite.close();
  }
});

test('connect-chat-events/client bundles ConnectChatClient alone and sends from Chromium', async () => {
  await env();
  const esbuild = await tool('esbuild');
  const dir = join(appDir, 'esbuild-client');
  mkdirSync(dir, { recursive: true });
  const entry = join(appDir, 'esbuild-client-entry.mjs');
  writeFileSync(entry, `import { ConnectChatClient } from 'connect-chat-events/client';
export async function send(endpoint, credentials, input) {
  const client = new ConnectChatClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials });
  try { return { output: await client.sendChatIntegrationEvent(input) }; } catch (e) { return { error: { name: e.name, message: e.message } }; }
}
`);
  const result = await esbuild.build({
    entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true,
    outfile: join(dir, 'bundle.mjs'), logLevel: 'silent', metafile: true,
  });
  assert.deepEqual(result.errors, []);
  const inputs = Object.keys(result.metafile.inputs);
  assert.ok(inputs.some((p) => p.includes('connect-chat-events/inline/client.js')), `the client entry: ${inputs.join(', ')}`);
  assert.ok(!inputs.some((p) => /connect-chat-events\/(inline\/index|node\/)/.test(p)), `not the full entry: ${inputs.join(', ')}`);
  const page = await openPage(browser);
  const before = mock.requests.length;
  const html = `<!doctype html><title>client</title><script type="module">
import { send } from '/esbuild-client/bundle.mjs';
window.__result = await send(${JSON.stringify(mock.url)}, ${JSON.stringify(TEST_CREDENTIALS)}, ${JSON.stringify(VALID_INPUT)});
</script>`;
  const pageSite = await startStaticServer(appDir, { '/client.html': html });
  try {
    await page.goto(`${pageSite.url}/client.html`);
    const out = await page.waitForFunction(() => window.__result, null, { timeout: 20000 }).then((h) => h.jsonValue());
    assert.equal(out.error, undefined, `send failed: ${JSON.stringify(out.error)}`);
    assert.match(out.output.InitialContactId, /^contact-\d+$/);
    const sent = mock.requests.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].signatureValid, true, sent[0].verifyError ?? 'signature verified by the SDK signer');
    assert.deepEqual(JSON.parse(sent[0].body), VALID_INPUT);
    assert.deepEqual(page.problems, []);
  } finally {
    await page.close();
    await pageSite.close();
  }
});

// ---------------------------------------------------------------------------------------------
// TypeScript

function tsc(dir) {
  try {
    execFileSync(bin('tsc'), ['-p', dir], { encoding: 'utf8' });
    return { ok: true, output: '' };
  } catch (e) {
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Copies tests/types/<files> into a folder inside the installed app (so `connect-chat-events` resolves there). */
function typesProject(name, files, type) {
  const dir = join(appDir, `types-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of files) cpSync(join(root, 'tests', 'types', f), join(dir, f));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
      lib: ['es2022', 'dom'], types: [], skipLibCheck: false, noUnusedLocals: false, exactOptionalPropertyTypes: false },
    files,
  }));
  return dir;
}

test('tsc --strict (module nodenext) accepts the typed example, as ESM and as CommonJS', () => {
  for (const type of ['module', 'commonjs']) {
    const r = tsc(typesProject(`example-${type}`, ['example.ts'], type));
    assert.ok(r.ok, `tsc failed for type=${type}:\n${r.output}`);
  }
});

test('tsc --strict accepts the connect-chat-events/client example and rejects the other functions there', () => {
  for (const type of ['module', 'commonjs']) {
    const r = tsc(typesProject(`client-${type}`, ['client.ts'], type));
    assert.ok(r.ok, `tsc failed for type=${type}:\n${r.output}`);
  }
  const dir = typesProject('client-stripped', ['client.ts'], 'module');
  const src = readFileSync(join(dir, 'client.ts'), 'utf8');
  writeFileSync(join(dir, 'client.ts'), src.replaceAll('// @ts-expect-error', '// (expect error)'));
  assert.match(tsc(dir).output, /has no exported member.*signRequest/);
});

test('tsc --strict rejects wrong usage (every @ts-expect-error is needed)', () => {
  const r = tsc(typesProject('errors', ['errors.ts'], 'module'));
  assert.ok(r.ok, `tsc failed: an @ts-expect-error line compiled (unused directive) or another error:\n${r.output}`);
  // And the file does assert something: stripping the directives must produce errors, one per directive.
  const src = readFileSync(join(root, 'tests', 'types', 'errors.ts'), 'utf8');
  const directives = src.match(/\/\/ @ts-expect-error/g).length;
  assert.ok(directives >= 10, `errors.ts has ${directives} directives`);
  const dir = typesProject('errors-stripped', ['errors.ts'], 'module');
  writeFileSync(join(dir, 'errors.ts'), src.replaceAll('// @ts-expect-error', '// (expect error)'));
  const stripped = tsc(dir);
  assert.equal(stripped.ok, false);
  const lines = new Set([...stripped.output.matchAll(/errors\.ts\((\d+),\d+\): error/g)].map((m) => m[1]));
  assert.equal(lines.size, directives, `one error line per directive:\n${stripped.output}`);
});

// ---------------------------------------------------------------------------------------------
// The tarball

test('npm pack of pkg/ ships only the package (no source maps, tests, sources) and a small wasm', (t) => {
  const json = execFileSync('npm', ['pack', '--dry-run', '--json', join(root, 'pkg')], { encoding: 'utf8', cwd: mkdtempSync(join(appDir, 'pack-')) });
  const [info] = JSON.parse(json);
  assert.equal(info.name, 'connect-chat-events');
  const files = info.files.map((f) => f.path);
  for (const f of files) {
    assert.doesNotMatch(f, /\.map$/, `${f}: no source maps`);
    assert.doesNotMatch(f, /(^|\/)(tests?|src|target|\.tools)\//, `${f}: no tests or sources`);
    assert.doesNotMatch(f, /\.(rs|test\.mjs|tgz|log)$|(^|\/)\.gitignore$|Cargo/, `${f}: no build leftovers`);
  }
  for (const required of ['package.json', 'README.md', 'index.d.ts', 'index.d.cts', 'client.d.ts', 'client.d.cts',
    'node/index.cjs', 'node/index.mjs', 'node/wasm.cjs', 'node/connect_chat_events.cjs', 'node/client.entry.cjs', 'node/client.entry.mjs',
    'web/index.js', 'web/client.js', 'web/connect_chat_events_bg.wasm', 'inline/index.js', 'inline/client.js', 'inline/wasm.js',
    'workerd/index.js', 'workerd/client.js', 'edge/index.js', 'edge/client.js', 'iife/connect-chat-events.js',
    'iife/connect-chat-events.d.ts', 'server/emulator.d.ts']) {
    assert.ok(files.includes(required), `tarball contains ${required}`);
  }
  const wasm = info.files.filter((f) => f.path.endsWith('.wasm'));
  const sizes = wasm.map((f) => `${f.path} ${f.size} B`);
  t.diagnostic(`wasm: ${sizes.join(', ')}; tarball ${info.size} B packed, ${info.unpackedSize} B unpacked, ${files.length} files`);
  for (const f of wasm) assert.ok(f.size < 400 * 1024, `${f.path} is ${f.size} B (< 400 KiB)`);
  // Node's wasm travels as base64 in node/wasm.cjs (so bundlers carry it): the same bound on its bytes.
  const nodeWasm = createRequire(join(pkgDir, 'package.json'))('./node/wasm.cjs');
  assert.ok(WebAssembly.validate(nodeWasm), 'node/wasm.cjs holds a valid module');
  assert.ok(nodeWasm.length < 400 * 1024, `node wasm is ${nodeWasm.length} B (< 400 KiB)`);
  t.diagnostic(`node wasm (base64 in node/wasm.cjs): ${nodeWasm.length} B`);
  // The installed copy is the same wasm.
  assert.equal(statSync(join(pkgDir, 'web', 'connect_chat_events_bg.wasm')).size, wasm.find((f) => f.path === 'web/connect_chat_events_bg.wasm').size);
});
