// The two patches scripts/glue-patch.mjs makes to wasm-bindgen's glue, on both glues the package
// ships (Node's CommonJS bundle and the web build). The DataView patch re-makes the memory's DataView
// only when the cached Uint8Array's buffer changed: after the wasm memory grows, values handed back
// to wasm through memory (strings, optional numbers) must land in the new memory, not throw on the
// detached one or go to the old one. The build's own fail-closed check is tested on a copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { pkgDir, requireFromApp } from './support/app.mjs';
import { root } from './support/tools.mjs';

const CREDENTIALS = { accessKeyId: 'AKIDGLUETEST', secretAccessKey: 'glue/test/secret' };
const event = (Content) => ({
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content },
});

async function sendsAcrossGrowth(glue, memory) {
  const bodies = [];
  const fetch = async (_url, init) => {
    bodies.push(init.body);
    return new Response('{"InitialContactId":"c-1","NewChatCreated":true}', {
      status: 200, headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'req-1' },
    });
  };
  const client = new glue.ConnectChatClient({ region: 'us-east-1', credentials: CREDENTIALS, fetch });
  const send = async (content) => {
    const out = await client.sendChatIntegrationEvent(event(content));
    assert.equal(out.InitialContactId, 'c-1');
    assert.equal(out.$metadata.requestId, 'req-1');
    assert.equal(JSON.parse(bodies.at(-1)).Event.Content, content);
  };
  await send('before the memory grows');
  const start = memory.buffer.byteLength;
  for (const mib of [2, 8, 24]) {
    // Reading the Content copies it into wasm memory, which grows to hold it.
    const r = glue.validateChatIntegrationEvent(event('x'.repeat(mib << 20)));
    assert.deepEqual(r.issues.map((i) => [i.path, i.code]), [['Event.Content', 'length']]);
    await send(`after ${mib} MiB crossed, é 👋`);
  }
  assert.ok(memory.buffer.byteLength >= start + (24 << 20), `memory grew: ${start} → ${memory.buffer.byteLength} bytes`);
}

test('Node glue: sends read and write wasm memory correctly after it grows', async () => {
  const glue = requireFromApp(join(pkgDir, 'node', 'connect_chat_events.cjs'));
  const wasm = glue.initSync({ module: requireFromApp(join(pkgDir, 'node', 'wasm.cjs')) });
  await sendsAcrossGrowth(glue, wasm.memory);
});

test('web glue: sends read and write wasm memory correctly after it grows', async () => {
  const glue = await import(pathToFileURL(join(pkgDir, 'web', 'connect_chat_events.js')).href);
  const wasm = glue.initSync({ module: readFileSync(join(pkgDir, 'web', 'connect_chat_events_bg.wasm')) });
  await sendsAcrossGrowth(glue, wasm.memory);
});

test('both glues carry both patches', () => {
  for (const file of [join(pkgDir, 'node', 'connect_chat_events.cjs'), join(pkgDir, 'web', 'connect_chat_events.js')]) {
    const glue = readFileSync(file, 'utf8');
    assert.match(glue, /if \(len <= 48\) for \(; offset < len; offset\+\+\)/, file);
    assert.match(glue, /const buffer = getUint8ArrayMemory0\(\)\.buffer;/, file);
    assert.doesNotMatch(glue, /wasm\.memory\.buffer !==|!== wasm\.memory\.buffer/, file);
  }
});

test('the build stops when a glue text to patch is missing or repeated', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cce-glue-'));
  const run = (text) => {
    const f = join(dir, 'glue.js');
    writeFileSync(f, text);
    try {
      execFileSync(process.execPath, [join(root, 'scripts', 'glue-patch.mjs'), f], { stdio: 'pipe' });
      return { code: 0, out: readFileSync(f, 'utf8') };
    } catch (e) {
      return { code: e.status, err: String(e.stderr) };
    }
  };
  // The unpatched web glue as wasm-bindgen writes it: target/node-glue is patched in place, so
  // undo the patches' known texts on a copy instead of rebuilding.
  const patched = readFileSync(join(pkgDir, 'web', 'connect_chat_events.js'), 'utf8');
  const raw = patched
    .replace('if (len <= 48) for (; offset < len; offset++) {', 'for (; offset < len; offset++) {')
    .replace(
      '    const buffer = getUint8ArrayMemory0().buffer;\n    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== buffer) {\n        cachedDataViewMemory0 = new DataView(buffer);\n    }',
      '    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {\n        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);\n    }',
    );
  assert.notEqual(raw, patched);
  const ok = run(raw);
  assert.equal(ok.code, 0);
  assert.equal(ok.out, patched);
  const missing = run(raw.replace('function getDataViewMemory0(', 'function getDataView(')); // the text outside its function
  assert.equal(missing.code, 1);
  assert.match(missing.err, /getDataViewMemory0's grown-memory check not found exactly once/);
  assert.equal(run(patched).code, 1); // already patched: the texts to patch are gone
  const twice = run(raw + raw.slice(raw.indexOf('function passStringToWasm0(')));
  assert.equal(twice.code, 1);
});
