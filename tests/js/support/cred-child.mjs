// One credentials scenario, run in a child process whose environment the test controls entirely
// (HOME is a temp dir, only the AWS_* variables of the scenario are set). Prints one JSON line:
//   ours:   our default chain (the packed package's node/credentials.cjs) → access key id, source;
//   sent:   a ConnectChatClient created with no `credentials` sends an event to CCE_TEST_CONNECT_URL;
//   oracle: the AWS SDK's defaultProvider() (@aws-sdk/credential-provider-node) → access key id.
// CCE_TEST_SPEC (JSON): { oracle = true, sends = 1, concurrent = false, timeouts, profile }.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pkgDir, importPackage } from './app.mjs';

const spec = JSON.parse(process.env.CCE_TEST_SPEC || '{}');
const out = {};
const describe = (e) => ({ name: e?.name, message: String(e?.message) });
const summary = (c) => ({ accessKeyId: c.accessKeyId, hasSessionToken: Boolean(c.sessionToken),
  expiration: c.expiration ? new Date(c.expiration).toISOString() : undefined });

const { resolveDefaultCredentials } = createRequire(import.meta.url)(join(pkgDir, 'node', 'credentials.cjs'));
let t0 = Date.now();
try {
  const r = await resolveDefaultCredentials({ timeouts: spec.timeouts, profile: spec.profile });
  out.ours = { ...summary(r.credentials), source: r.source };
} catch (e) {
  out.ours = { error: describe(e) };
}
out.ours.ms = Date.now() - t0;

if (process.env.CCE_TEST_CONNECT_URL && (spec.sends ?? 1) > 0) {
  const { ConnectChatClient } = await importPackage();
  const client = new ConnectChatClient({ endpoint: process.env.CCE_TEST_CONNECT_URL, maxAttempts: 1, profile: spec.profile });
  const input = { SourceId: '+14155550100', DestinationId: 'arn:aws:connect:us-east-1:123456789012:instance/x', Event: { Type: 'DISCONNECT' } };
  const one = () => client.sendChatIntegrationEvent(input).then((r) => ({ contact: r.InitialContactId }), (e) => ({ error: describe(e) }));
  const n = spec.sends ?? 1;
  out.sent = spec.concurrent ? await Promise.all(Array.from({ length: n }, one)) : [];
  if (!spec.concurrent) for (let i = 0; i < n; i++) out.sent.push(await one());
}

if (spec.oracle !== false) {
  process.removeAllListeners('warning');
  process.on('warning', () => {});
  // Tell the fakes that the requests from here on are the SDK's.
  for (const url of JSON.parse(process.env.CCE_TEST_FAKES || '[]')) await fetch(`${url}/__oracle-begins`).catch(() => {});
  const { tool } = await import('./tools.mjs');
  const { defaultProvider } = await tool('@aws-sdk/credential-provider-node');
  t0 = Date.now();
  try {
    out.oracle = summary(await defaultProvider(spec.profile ? { profile: spec.profile } : {})());
  } catch (e) {
    out.oracle = { error: describe(e) };
  }
  out.oracle.ms = Date.now() - t0;
}
console.log(JSON.stringify(out));
