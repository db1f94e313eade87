// Node's entry hashes request bodies with node:crypto (pkg/node/index.cjs registers it with the
// wasm): every body where Node has the one-shot crypto.hash (>= 20.12 / 21.7), else (createHash)
// bodies of 1 KiB and more, smaller ones in wasm. Either way the local endpoint, which re-signs with
// the request's own bytes, must accept the signature, at every body size across the 1 KiB threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmbedded, client, smsChat, message } from './support/serve-helpers.mjs';

test('signatures verify on both sides of the host-hash threshold (wasm and node:crypto SHA-256)', async () => {
  const srv = await startEmbedded();
  try {
    const c = client(srv.url);
    // Content bytes around 1 KiB (the body is ~200 bytes more), multi-byte text, and the 16 KiB limit.
    for (const content of ['x'.repeat(700), 'x'.repeat(823), 'x'.repeat(824), 'é'.repeat(600), '👋'.repeat(1000), 'y'.repeat(16384)]) {
      const out = await c.sendChatIntegrationEvent({ ...smsChat(), Event: message(content) });
      assert.equal(out.$metadata.httpStatusCode, 200, `${content.length} characters`);
      assert.equal(out.NewChatCreated, true);
    }
  } finally {
    await srv.close();
  }
});

// Which hash takes which body is decided once, on the first body, by what node:crypto has. Each
// case runs in a process of its own (the decision is per process), with and without crypto.hash.
for (const mode of ['one-shot', 'no-one-shot']) {
  test(`node:crypto hashes the bodies it pays for, ${mode === 'one-shot' ? 'with' : 'without'} crypto.hash`, () => {
    const child = fileURLToPath(new URL('./support/host-hash-child.mjs', import.meta.url));
    const { sizes } = JSON.parse(execFileSync(process.execPath, [child, mode], { encoding: 'utf8', env: process.env }));
    assert.equal(sizes.length, 5);
    for (const [i, s] of sizes.entries()) {
      assert.equal(s.status, 200, `${s.bytes}-byte body: the endpoint accepts the signature`);
      // The first body loads node:crypto and is hashed there, whatever its size; then the threshold holds.
      const host = mode === 'one-shot' || i === 0 || s.bytes >= 1024;
      const expected = mode === 'one-shot' ? [1, 0] : [0, host ? 1 : 0];
      assert.deepEqual([s.oneShot, s.createHash], expected, `body ${i}, ${s.bytes} bytes`);
    }
    assert.ok(sizes.slice(1).some((s) => s.bytes < 1024) && sizes.some((s) => s.bytes >= 1024), 'bodies on both sides of 1 KiB');
  });
}
