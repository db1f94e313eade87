// Soak: 10,000 events through the local endpoint with 20% injected faults; prints what happened.
//
//   bash scripts/build.sh && node bench/soak.mjs
//   node bench/soak.mjs --events 10000 --faults 0.2 --concurrency 50 --retry-mode standard --max-attempts 3 --seed 1
//   node bench/soak.mjs --transport node       # through the Node transport (pkg/node/transport.cjs)
//   node bench/soak.mjs --server scripted      # tests/js/support/retry-server.mjs, which also drops
//                                              # connections *after* delivering (so duplicates happen)
//
// Default server: the real local endpoint (`connect-chat-events serve`, pkg/server/emulator.mjs), in
// this process on 127.0.0.1, with fault injection split as throttleRate = faults/2, errorRate =
// faults/4, dropRate = faults/4 (its faults all happen before an event is processed). The client is
// the built package (pkg/node) with `sendChatIntegrationEvents`. Reports: delivered, failed with a
// surfaced error (by error name), duplicates seen by the endpoint, retries, wall time, and checks
// that no event was lost: every event is either delivered or reported failed.
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    faults: { type: 'string', default: '0.2' },
    concurrency: { type: 'string', default: '50' },
    'retry-mode': { type: 'string', default: 'standard' },
    'max-attempts': { type: 'string', default: '3' },
    server: { type: 'string', default: 'endpoint' },
    seed: { type: 'string', default: '1' },
    transport: { type: 'string', default: 'default' },
  },
});
const N = Number(args.events);
const FAULTS = Number(args.faults);

const { ConnectChatClient } = await import(pathToFileURL(join(root, 'pkg/node/index.mjs')).href);

let url;
let close;
let credentials;
let deliveredCounts; // () => Map(eventId -> times the endpoint processed it)
if (args.server === 'endpoint') {
  const { startServer, LOCAL_CREDENTIALS } = await import(pathToFileURL(join(root, 'pkg/server/emulator.mjs')).href);
  const server = await startServer({
    port: 0,
    faults: { throttleRate: FAULTS / 2, errorRate: FAULTS / 4, dropRate: FAULTS / 4 },
    seed: args.seed,
  });
  ({ url, close } = server);
  credentials = LOCAL_CREDENTIALS;
  deliveredCounts = () => {
    const counts = new Map();
    for (const chat of server.state.chats) {
      for (const entry of chat.transcript ?? []) {
        const m = /soak-(\d+)/.exec(JSON.stringify(entry));
        if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
      }
    }
    return counts;
  };
} else if (args.server === 'scripted') {
  const { startRetryServer, RETRY_CREDENTIALS } = await import(pathToFileURL(join(root, 'tests/js/support/retry-server.mjs')).href);
  const server = await startRetryServer({ verifySignatures: false });
  // A seeded PRNG: throttle, 500 and drops before processing, plus drops after processing (the
  // case that makes a retried event a duplicate), each a quarter of the fault rate.
  let s = Number(args.seed) >>> 0;
  const rand = () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const f = FAULTS / 4;
  server.handler = (record) => {
    const r = rand();
    if (r < f) return { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message: 'Rate exceeded' } };
    if (r < 2 * f) return { status: 500, headers: { 'x-amzn-errortype': 'InternalServiceException' }, body: { message: 'injected' } };
    if (r < 3 * f) return { drop: true };
    if (r < 4 * f) {
      const key = record.body;
      server.state.delivered.set(key, (server.state.delivered.get(key) ?? 0) + 1);
      return { drop: true };
    }
    return undefined;
  };
  ({ url, close } = server);
  credentials = RETRY_CREDENTIALS;
  deliveredCounts = () => {
    const counts = new Map();
    for (const [body, n] of server.state.delivered) {
      const m = /soak-(\d+)/.exec(body);
      if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + n);
    }
    return counts;
  };
} else {
  throw new Error(`--server must be 'endpoint' or 'scripted'; got ${args.server}`);
}

const client = new ConnectChatClient({
  region: 'us-east-1',
  endpoint: url,
  credentials,
  retryMode: args['retry-mode'],
  maxAttempts: Number(args['max-attempts']),
  requestTimeoutMs: 10_000,
  // --transport node: the Node transport; default: the client's own default.
  ...(args.transport === 'node' ? { fetch: (await import(pathToFileURL(join(root, 'pkg/node/transport.cjs')).href)).default.createNodeTransport() } : {}),
});
// 200 conversations (SMS numbers), each a chat receiving its share of messages.
const inputs = Array.from({ length: N }, (_, i) => ({
  SourceId: `+1415555${String(i % 200).padStart(4, '0')}`,
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: `soak-${i}` },
}));

const started = performance.now();
const results = await client.sendChatIntegrationEvents(inputs, { concurrency: Number(args.concurrency) });
const wallMs = performance.now() - started;

let delivered = 0;
let retries = 0;
let retryDelayMs = 0;
const failedBy = {};
for (const r of results) {
  const meta = r.status === 'fulfilled' ? r.value.$metadata : r.reason?.$metadata;
  retries += Math.max(0, (meta?.attempts ?? 1) - 1);
  retryDelayMs += meta?.totalRetryDelay ?? 0;
  if (r.status === 'fulfilled') delivered += 1;
  else failedBy[r.reason?.name ?? 'unknown'] = (failedBy[r.reason?.name ?? 'unknown'] ?? 0) + 1;
}
const failed = N - delivered;
const counts = deliveredCounts();
let duplicates = 0;
let missing = 0; // reported delivered, but the endpoint never processed it
let deliveredButReportedFailed = 0;
for (const [i, r] of results.entries()) {
  const n = counts.get(String(i)) ?? 0;
  duplicates += Math.max(0, n - 1);
  if (r.status === 'fulfilled' && n === 0) missing += 1;
  if (r.status === 'rejected' && n > 0) deliveredButReportedFailed += 1;
}
await close();

const lost = N - delivered - failed + missing;
const report = {
  server: args.server === 'endpoint' ? 'local endpoint (pkg/server/emulator.mjs)' : 'scripted retry-server',
  transport: args.transport === 'node' ? 'Node transport (node/transport.cjs)' : 'client default',
  events: N,
  injectedFaultRate: FAULTS,
  retryMode: client.retryMode,
  maxAttempts: client.maxAttempts,
  concurrency: Number(args.concurrency),
  delivered,
  failedWithSurfacedError: failed,
  failedBy,
  duplicatesSeenByEndpoint: duplicates,
  deliveredButReportedFailed,
  lost,
  retries,
  totalRetryDelayMs: Math.round(retryDelayMs),
  wallTimeMs: Math.round(wallMs),
  eventsPerSecond: Math.round(N / (wallMs / 1000)),
};
console.log(JSON.stringify(report, null, 2));
if (lost !== 0) {
  console.error(`LOST ${lost} event(s)`);
  process.exitCode = 1;
}
