// Run by host-hash.test.mjs in a process of its own: `node host-hash-child.mjs [no-one-shot]`. With
// `no-one-shot`, node:crypto has no crypto.hash, as on Node < 20.12. Counts the SHA-256 calls the
// package makes into node:crypto while it signs bodies of several sizes (a stub fetch keeps each
// request), then replays the requests to the local endpoint, which checks their signatures.
// Prints { sizes: [{ bytes, oneShot, createHash, status }] } as JSON.
import { createRequire } from 'node:module';

const crypto = createRequire(import.meta.url)('node:crypto'); // the object the package's require sees
const counts = { oneShot: 0, createHash: 0 };
const wrap = (name, key) => {
  const f = crypto[name].bind(crypto);
  crypto[name] = (alg, ...rest) => { if (alg === 'sha256') counts[key] += 1; return f(alg, ...rest); };
};
if (process.argv[2] === 'no-one-shot') delete crypto.hash;
else wrap('hash', 'oneShot');
wrap('createHash', 'createHash');

const { startEmbedded, client, smsChat, message, api } = await import('./serve-helpers.mjs');
const srv = await startEmbedded();
try {
  const sent = [];
  const stub = async (url, init) => {
    sent.push({ url, init });
    return new Response('{"InitialContactId":"c","NewChatCreated":true}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const c = client(srv.url, { fetch: stub });
  const sizes = [];
  for (const content of ['short', 'x'.repeat(700), 'x'.repeat(900), 'é'.repeat(600), 'y'.repeat(16384)]) {
    const input = { ...smsChat(), Event: message(content) };
    const before = { ...counts };
    await c.sendChatIntegrationEvent(input);
    sizes.push({
      bytes: Buffer.byteLength(api.serializeChatIntegrationEvent(input)),
      oneShot: counts.oneShot - before.oneShot,
      createHash: counts.createHash - before.createHash,
    });
  }
  // Only now the endpoint runs (it hashes with node:crypto too): each signed request, as sent.
  for (const [i, { url, init }] of sent.entries()) {
    const headers = { ...init.headers };
    delete headers.host;
    sizes[i].status = (await fetch(url, { ...init, headers })).status;
  }
  process.stdout.write(JSON.stringify({ sizes }));
} finally {
  await srv.close();
}
