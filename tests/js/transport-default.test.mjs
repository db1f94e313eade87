// In Node, ConnectChatClient sends through the package's keep-alive node:http transport unless a
// `fetch` is given; `connect-chat-events/transport` exports it for other limits (ESM and CJS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { bin, root } from './support/tools.mjs';
import { appDir, importPackage, requireFromApp } from './support/app.mjs';

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const INPUT = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } };

async function server() {
  const seen = [];
  const srv = http.createServer((req, res) => {
    seen.push({ headers: req.headers, socket: req.socket.remotePort });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'r-1' });
      res.end('{"InitialContactId":"c-1","NewChatCreated":true}');
    });
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  return { srv, seen, url: `http://127.0.0.1:${srv.address().port}` };
}

test('the default Node transport is node:http with keep-alive; a fetch option wins', async () => {
  const { ConnectChatClient } = await importPackage();
  const { srv, seen, url } = await server();
  try {
    const c = new ConnectChatClient({ region: 'us-east-1', endpoint: url, credentials: CREDS });
    for (let i = 0; i < 3; i++) assert.equal((await c.sendChatIntegrationEvent(INPUT)).InitialContactId, 'c-1');
    // undici's fetch adds sec-fetch-mode and accept-language; node:http sends neither.
    for (const s of seen) {
      assert.equal(s.headers['sec-fetch-mode'], undefined);
      assert.equal(s.headers.connection, 'keep-alive');
    }
    assert.equal(new Set(seen.map((s) => s.socket)).size, 1, 'one kept-alive connection for three sends');
    let called = 0;
    const own = new ConnectChatClient({ region: 'us-east-1', endpoint: url, credentials: CREDS, fetch: (u, init) => { called++; return fetch(u, init); } });
    await own.sendChatIntegrationEvent(INPUT);
    assert.equal(called, 1);
  } finally {
    srv.closeAllConnections();
    srv.close();
  }
});

test('connect-chat-events/transport: createNodeTransport and NetworkError from import and require', async () => {
  // Through the exports map, as a user's module would import it.
  const entry = join(appDir, 'reexport-transport.mjs');
  writeFileSync(entry, "export * from 'connect-chat-events/transport';\n");
  const esm = await import(pathToFileURL(entry).href);
  const cjs = requireFromApp('connect-chat-events/transport');
  assert.equal(typeof esm.createNodeTransport, 'function');
  assert.equal(esm.NetworkError, cjs.NetworkError);
  const t = cjs.createNodeTransport({ maxSockets: 2 });
  const err = await t('http://127.0.0.1:1/', { method: 'POST', headers: {}, body: '' }).catch((e) => e);
  assert.ok(err instanceof cjs.NetworkError);
  assert.equal(err.code, 'ECONNREFUSED');
});

test('tsc --strict accepts the connect-chat-events/transport example (ESM and CommonJS) and its @ts-expect-error is needed', () => {
  const tsc = (dir) => {
    try {
      execFileSync(bin('tsc'), ['-p', dir], { encoding: 'utf8' });
      return { ok: true, output: '' };
    } catch (e) {
      return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };
  const project = (name, type, src) => {
    const dir = join(appDir, `types-${name}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'transport.ts'), src);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
        lib: ['es2022', 'dom'], types: [], skipLibCheck: false },
      files: ['transport.ts'],
    }));
    return dir;
  };
  const src = readFileSync(join(root, 'tests', 'types', 'transport.ts'), 'utf8');
  for (const type of ['module', 'commonjs']) {
    const r = tsc(project(`transport-${type}`, type, src));
    assert.ok(r.ok, `tsc failed for type=${type}:\n${r.output}`);
  }
  const stripped = tsc(project('transport-stripped', 'module', src.replaceAll('// @ts-expect-error', '// (expect error)')));
  assert.equal(stripped.ok, false);
  // The error is on the line after the directive (a string maxSockets), and only there.
  const line = src.split('\n').findIndex((l) => l.includes('@ts-expect-error')) + 2;
  assert.deepEqual([...stripped.output.matchAll(/transport\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])), [line], stripped.output);
});
