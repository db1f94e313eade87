// Node's entry hashes request bodies with node:crypto (pkg/node/index.cjs registers it with the
// wasm): every body where Node has the one-shot crypto.hash (>= 20.12 / 21.7), else (createHash)
// bodies of 1 KiB and more, smaller ones in wasm. Either way the local endpoint, which re-signs with
// the request's own bytes, must accept the signature, at every body size across the 1 KiB threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
