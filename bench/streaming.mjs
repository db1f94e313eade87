// Message streaming of the local endpoint, measured (bounded: about 10 s on 127.0.0.1):
//  1. SendChatIntegrationEvent latency without streaming, streaming to a fast subscriber, and streaming to a
//     subscriber that takes 200 ms per notification (delivery is off the request path: the three should match);
//  2. the delay from the send's answer to the subscriber receiving the MESSAGE (fast subscriber);
//  3. 1,000 messages over 10 chats: time until every notification is delivered, in order per chat.
//
//   bash scripts/build.sh && node bench/streaming.mjs
import http from 'node:http';
import { ConnectChatClient } from '../pkg/node/index.mjs';
import { startServer } from '../pkg/server/emulator.mjs';

const CREDS = { accessKeyId: 'AKIDLOCALCONNECT0001', secretAccessKey: 'local-connect-secret-key-not-for-aws' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:bench';
const DEST = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x) => `${x.toFixed(2)} ms`;

async function subscriber(delayMs) {
  const got = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const item = JSON.parse(JSON.parse(Buffer.concat(chunks)).Message);
      got.push({ at: performance.now(), item });
      setTimeout(() => res.end('ok'), delayMs);
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, got, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }) };
}

async function sendLatency(label, { streamTo, n = 300 }) {
  const srv = await startServer({ port: 0, ...(streamTo ? { streamingEndpoints: { [TOPIC]: streamTo } } : {}) });
  const client = new ConnectChatClient({ region: 'us-east-1', endpoint: srv.url, credentials: CREDS });
  const times = [];
  const sentAt = new Map();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await client.sendChatIntegrationEvent({
      SourceId: `+1555000${String(i % 10).padStart(4, '0')}`, DestinationId: DEST, Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: `m${i}` },
      NewSessionDetails: { StreamingConfiguration: { StreamingEndpointArn: TOPIC } },
    });
    const done = performance.now();
    if (i >= 20) times.push(done - t); // after warm-up
    sentAt.set(`m${i}`, done);
  }
  console.log(`${label.padEnd(46)} p50 ${ms(pct(times, 0.5))}  p99 ${ms(pct(times, 0.99))}  (${times.length} sends)`);
  return { srv, client, sentAt };
}

const fast = await subscriber(0);
const slow = await subscriber(200);
const a = await sendLatency('SendChatIntegrationEvent, no streaming', {});
const b = await sendLatency('SendChatIntegrationEvent, fast subscriber', { streamTo: fast.url });
const c = await sendLatency('SendChatIntegrationEvent, 200 ms subscriber', { streamTo: slow.url });

// 2. Answer → subscriber, for the fast subscriber's MESSAGE items.
await new Promise((ok) => setTimeout(ok, 300));
const delays = fast.got.filter((g) => g.item.Type === 'MESSAGE').map((g) => g.at - b.sentAt.get(g.item.Content)).filter((d) => d >= 0);
console.log(`${'answer → subscriber received (fast)'.padEnd(46)} p50 ${ms(pct(delays, 0.5))}  p99 ${ms(pct(delays, 0.99))}  (${delays.length} items)`);
for (const x of [a, b, c]) {
  x.client.free();
  await x.srv.close();
}

// 3. 1,000 messages over 10 chats, sent 10 at a time.
const burst = await subscriber(0);
const srv = await startServer({ port: 0, streamingEndpoints: { [TOPIC]: burst.url } });
const client = new ConnectChatClient({ region: 'us-east-1', endpoint: srv.url, credentials: CREDS });
const t0 = performance.now();
for (let i = 0; i < 100; i++) {
  await Promise.all(Array.from({ length: 10 }, (_, chat) => client.sendChatIntegrationEvent({
    SourceId: `+1555100${String(chat).padStart(4, '0')}`, DestinationId: DEST, Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: `${chat}:${i}` },
    NewSessionDetails: { StreamingConfiguration: { StreamingEndpointArn: TOPIC } },
  })));
}
const sent = performance.now();
while (burst.got.filter((g) => g.item.Type === 'MESSAGE').length < 1000 && performance.now() - t0 < 20000) await new Promise((ok) => setTimeout(ok, 5));
const done = performance.now();
const byChat = new Map();
for (const g of burst.got.filter((x) => x.item.Type === 'MESSAGE')) {
  const [chat, i] = g.item.Content.split(':').map(Number);
  if (!byChat.has(chat)) byChat.set(chat, []);
  byChat.get(chat).push(i);
}
const ordered = [...byChat.values()].every((xs) => xs.every((x, k) => x === k));
console.log(`1,000 messages / 10 chats: sent in ${ms(sent - t0)}, all ${burst.got.length} notifications delivered after ${ms(done - t0)}; ` +
  `in order per chat: ${ordered}`);
client.free();
await srv.close();
for (const s of [fast, slow, burst]) await s.close();
