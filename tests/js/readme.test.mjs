// Runs every ```js and ```html example of README.md against the installed package and the local
// endpoint (`connect-chat-events serve`, on a free port in place of 8787), and checks each output
// marked `// → expected` in the example.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import http from 'node:http';
import { root, tool } from './support/tools.mjs';
import { appDir, pkgDir } from './support/app.mjs';

const run = promisify(execFile);
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(js|html)\n([\s\S]*?)```/g)].map((m, i) => ({ lang: m[1], code: m[2], index: i }));

let serve;
let endpoint;
before(async () => {
  // Fail (never hang) if the endpoint does not come up.
  serve = spawn(process.execPath, [join(pkgDir, 'bin', 'connect-chat-events.mjs'), 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  endpoint = await new Promise((resolve, reject) => {
    let out = '';
    serve.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    setTimeout(() => reject(new Error(`serve did not print its URL within 30 s: ${out}`)), 30_000).unref();
  });
});
after(() => serve?.kill('SIGTERM'));

/** Expected outputs: the text after `// → ` up to an optional ` (comment)`. */
function expectations(code) {
  return [...code.matchAll(/\/\/ → (.+)$/gm)].map((m) => m[1].replace(/ \(.*\)$/, '').trim());
}

test('README has examples of every kind', () => {
  assert.ok(blocks.filter((b) => b.lang === 'js').length >= 5, 'js examples');
  assert.ok(blocks.some((b) => b.lang === 'html'), 'an html example');
  assert.ok(blocks.reduce((n, b) => n + expectations(b.code).length, 0) >= 6, 'checked outputs');
});

for (const block of blocks.filter((b) => b.lang === 'js')) {
  const first = block.code.split('\n').find((l) => l.trim()) ?? '';
  test(`README js example #${block.index}: ${first.slice(0, 70)}`, async () => {
    const file = join(appDir, `readme-${block.index}.mjs`);
    writeFileSync(file, block.code.replaceAll('http://127.0.0.1:8787', endpoint));
    const { stdout } = await run(process.execPath, [file], { cwd: appDir, timeout: 30_000 });
    for (const expected of expectations(block.code)) {
      assert.ok(stdout.includes(expected), `output should contain ${JSON.stringify(expected)}; got:\n${stdout}`);
    }
    assert.ok(!stdout.includes('local-connect-secret-key-not-for-aws'), 'no secret in output');
  });
}

for (const block of blocks.filter((b) => b.lang === 'html')) test(`README html example #${block.index} runs in Chromium without a bundler`, async () => {
  const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>readme</title>\n${block.code}`;
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(page);
    }
    try {
      const body = readFileSync(join(appDir, path));
      const type = path.endsWith('.wasm') ? 'application/wasm' : path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const pw = await tool('playwright-core'); // CommonJS: its exports arrive as the default export
  const { chromium } = pw.default ?? pw;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const pg = await browser.newPage();
    const logs = [];
    const errors = [];
    pg.on('console', (m) => (m.type() === 'error' ? errors : logs).push(m.text()));
    pg.on('pageerror', (e) => errors.push(String(e)));
    const logged = pg.waitForEvent('console', { timeout: 15_000 });
    await pg.goto(`http://127.0.0.1:${server.address().port}/`);
    await logged;
    assert.deepEqual(errors, []);
    assert.deepEqual(logs, ['true']);
  } finally {
    await browser.close();
    server.close();
  }
});
