// Runtime matrix, Cloudflare Workers: a Worker project (module syntax, tests/matrix/edge/worker) imports the
// package as a Worker author would; `wrangler deploy --dry-run --outdir` bundles it with wrangler's own rules
// (the workerd export condition, .wasm as CompiledWasm) and Miniflare runs that output in workerd. The worker's
// fetch handler runs the cell: validate, sign get-vanilla, send through a stub fetch and to the local endpoint.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeProject, run, tool, toolBin, startLocalEndpoint, freshSourceId, checkCell, root, LOCAL_CREDENTIALS } from '../matrix/edge/harness.mjs';

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

// The README's Worker example, as written there (the one ```javascript block with a Worker fetch handler), bundled
// and run the same way. It sends to Amazon Connect itself (no endpoint option): Miniflare's outbound service takes
// that request and forwards it, headers and body as sent, to a local endpoint that answers to the AWS host name,
// which verifies the signature and records the chat.
test('workerd: the README\'s Worker example, bundled by wrangler and run in Miniflare', { timeout: 120_000 }, async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```javascript\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => /export default \{[\s\S]*async fetch\(request, env\)/.test(b));
  assert.equal(blocks.length, 1, 'the README has one Worker example');
  writeFileSync(join(project.dir, 'src', 'readme.js'), blocks[0]);
  const outdir = join(project.dir, 'dist-readme');
  const built = await run(toolBin('wrangler'), ['deploy', '--dry-run', '--outdir', outdir, 'src/readme.js'], {
    cwd: project.dir, timeoutMs: 90_000, env: { WRANGLER_LOG_PATH: join(project.dir, '.wrangler', 'logs') } });
  assert.equal(built.code, 0, `wrangler deploy --dry-run failed:\n${built.stdout}\n${built.stderr}`);
  const script = readdirSync(outdir).find((f) => f.endsWith('.js'));

  const AWS_HOST = 'connect.us-east-1.amazonaws.com';
  const { startServer } = await import(pathToFileURL(join(project.pkg, 'server', 'emulator.mjs')).href);
  const aws = await startServer({ port: 0, host: '127.0.0.1', allowHosts: [AWS_HOST] });
  const seen = [];
  const forward = async (req) => {
    const url = new URL(req.url);
    const body = await req.text();
    seen.push({ url: req.url, method: req.method });
    const headers = Object.fromEntries(req.headers);
    return new Promise((resolve, reject) => {
      const r = httpRequest({ host: '127.0.0.1', port: aws.port, method: req.method, path: url.pathname + url.search,
        headers: { ...headers, host: url.host } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve(new Response(Buffer.concat(chunks), { status: res.statusCode,
          headers: Object.entries(res.headers).map(([k, v]) => [k, String(v)]) })));
      });
      r.on('error', reject);
      r.end(body);
    });
  };
  const { Miniflare } = await tool('miniflare');
  const mf = new Miniflare({
    modules: true, scriptPath: join(outdir, script), modulesRoot: outdir, compatibilityDate: COMPATIBILITY_DATE,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    bindings: {
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      CONNECT_PHONE_NUMBER_ARN: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
    },
    outboundService: forward,
  });
  try {
    const from = freshSourceId();
    const res = await mf.dispatchFetch('http://worker.test/sms', {
      method: 'POST', body: new URLSearchParams({ From: from, Body: 'Hello from the README' }), signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    const out = JSON.parse(text);
    assert.deepEqual(seen, [{ url: `https://${AWS_HOST}/chat-integration-event`, method: 'POST' }]);
    const chat = aws.state.chats.find((c) => c.sourceId === from);
    assert.ok(chat, `the endpoint verified the request and holds a chat for ${from}`);
    assert.equal(out.InitialContactId, chat.contactId);
    assert.deepEqual(chat.transcript.map((e) => [e.type, e.contentType, e.content]), [['MESSAGE', 'text/plain', 'Hello from the README']]);
  } finally {
    await mf.dispose();
    await aws.close();
  }
});
