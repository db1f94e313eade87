// Where our end-to-end CPU goes (issue 14): the client's own work and the HTTP exchange, measured
// apart and together, against the canned server (bench/e2e-server.mjs) over HTTP on 127.0.0.1.
//
//   node bench/e2e-parts.mjs [--rounds 5] [--n 20000] [--size 64] [--concurrency 32]
//
// Each sample is a fresh client process (so no mode warms the JIT or the caches for another) that
// sends `--n` events after 2,000 unmeasured ones and reports its own CPU (process.cpuUsage, user +
// system) per event. Modes, interleaved in every round:
// - ours:     ConnectChatClient on the Node transport (what a Node user runs)
// - isolated: the same client on a transport that answers at once (no socket): the client's own work
// - floor:    the Node transport alone, sending one fixed signed request (the HTTP exchange's cost)
// - replay:   the Node transport alone, sending the exact request our client built (URL, headers, body)
// - wrapped:  ours, but the transport's answer replaced by the isolated mode's canned one after the
//             real exchange (whether reading the response costs anything)
// - sidecar:  the isolated client's send and the replay's exchange side by side (Promise.all), not
//             chained: whether the extra comes from the chaining or from doing both in one process
// - jswork:   plain JS work of about our client's size (node:crypto SHA-256 of JSON.stringify, 10
//             times), no socket
// - sidecarjs: that JS work side by side with the replay's exchange: what any work interleaved with
//             the HTTP exchange costs beyond its own
// If the parts added up, ours ≈ isolated + floor; the report prints both.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { pkgDir, REGION, CREDENTIALS, makeInput, median, fmt, table } from './common.mjs';
import { startServerProcess, load, SAMPLE_OPTIONS, freshSample, oursClient } from './e2e-common.mjs';

const MODES = ['ours', 'isolated', 'floor', 'replay', 'wrapped', 'sidecar', 'jswork', 'sidecarjs'];
const { values } = parseArgs({
  options: { ...SAMPLE_OPTIONS, rounds: { type: 'string', default: '5' }, n: { type: 'string', default: '20000' } },
});
const n = Number(values.n);
const size = Number(values.size);
const concurrency = Number(values.concurrency);

/** What the canned server answers, for the modes that skip the socket or its answer. */
const BODY = '{"InitialContactId":"c0ffee00-0000-4000-8000-000000000000","NewChatCreated":true}';
const HEADERS = new Map([['content-type', 'application/json'], ['content-length', String(BODY.length)],
  ['x-amzn-requestid', '00000000-0000-4000-8000-000000000001'], ['date', new Date().toUTCString()],
  ['connection', 'keep-alive'], ['keep-alive', 'timeout=5']]);
const canned = () => ({ status: 200, headers: HEADERS, text: async () => BODY });

async function sample(mode, endpoint) {
  const { client: ours, transport } = oursClient(pkgDir, endpoint);
  const input = makeInput(size);
  const client = (fetch) => oursClient(pkgDir, endpoint, fetch).client;
  let send;
  if (mode === 'ours') {
    send = () => ours.sendChatIntegrationEvent(input);
  } else if (mode === 'isolated') {
    const c = client(async () => canned());
    send = () => c.sendChatIntegrationEvent(input);
  } else if (mode === 'sidecar' || mode === 'jswork' || mode === 'sidecarjs') {
    const c = client(async () => canned());
    const work = mode === 'sidecar' ? () => c.sendChatIntegrationEvent(input) : async () => {
      let h = '';
      for (let k = 0; k < 10; k++) h = createHash('sha256').update(JSON.stringify({ ...input, k })).digest('hex');
      return h;
    };
    let request;
    await client(async (url, init) => { request = { url, init }; return canned(); }).sendChatIntegrationEvent(input);
    send = mode === 'jswork' ? work : () => Promise.all([work(), transport(request.url, request.init).then((r) => r.text())]);
  } else if (mode === 'wrapped') {
    const c = client((url, init) => transport(url, init).then(async (r) => { await r.text(); return canned(); }));
    send = () => c.sendChatIntegrationEvent(input);
  } else {
    let request;
    if (mode === 'replay') {
      await client(async (url, init) => { request = { url, init }; return canned(); }).sendChatIntegrationEvent(input);
    } else {
      request = {
        url: `${endpoint}/chat-integration-event`,
        init: {
          method: 'POST',
          headers: {
            'content-type': 'application/json', 'x-amz-date': '20261203T120000Z',
            authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20261203/${REGION}/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'0'.repeat(64)}`,
          },
          body: JSON.stringify(input),
        },
      };
    }
    send = () => transport(request.url, request.init).then((r) => r.text());
  }
  await load(send, 2000, concurrency);
  const r = await load(send, n, concurrency);
  process.stdout.write(JSON.stringify({ mode, cpuUsPerEvent: r.cpuUsPerEvent }) + '\n');
  transport.close();
}

if (values.client) {
  const [mode, url] = values.client.split(',');
  await sample(mode, url);
  process.exit(0);
}

const server = await startServerProcess();
const samples = Object.fromEntries(MODES.map((m) => [m, []]));
try {
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length]);
    for (const mode of order) {
      samples[mode].push(freshSample(fileURLToPath(import.meta.url), `${mode},${server.url}`, { n, size, concurrency }).cpuUsPerEvent);
    }
    process.stderr.write(`[e2e-parts] round ${round + 1}/${values.rounds}\n`);
  }
} finally {
  server.stop();
}
const m = Object.fromEntries(MODES.map((k) => [k, median(samples[k])]));
console.log(`Client CPU µs per event, Content ${size} B, concurrency ${concurrency}, ${n} events per sample, median of ${values.rounds} rounds (min–max):\n`);
console.log(table(['mode', 'µs', 'min–max'], MODES.map((k) => [k, fmt(m[k]), `${fmt(Math.min(...samples[k]))}–${fmt(Math.max(...samples[k]))}`])));
console.log(`\nisolated + floor = ${fmt(m.isolated + m.floor)} µs; ours = ${fmt(m.ours)} µs: ${fmt(m.ours - m.isolated - m.floor)} µs more than the parts.`);
console.log(`sidecar (the same two jobs, not chained) = ${fmt(m.sidecar)} µs: ${fmt(m.sidecar - m.isolated - m.replay)} µs more than isolated + replay.`);
console.log(`sidecarjs (JS work of ${fmt(m.jswork)} µs beside the exchange) = ${fmt(m.sidecarjs)} µs: ${fmt(m.sidecarjs - m.jswork - m.replay)} µs more than jswork + replay.`);
