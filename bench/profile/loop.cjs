// A tight loop of sendChatIntegrationEvent (stub fetch, Response-like) for `node --cpu-prof`.
//   GLUE=path/to/connect_chat_events.js node loop.cjs [size=64] [seconds=5]   (needs pkg/ built)
// The glue's ConnectChatClient (the Rust class; the glue may be an unstripped copy).
const path = require('path');
const glue = require(process.env.GLUE || path.join(__dirname, '../../pkg/node/connect_chat_events.js'));
const { ConnectChatClient } = glue;
// The body hash on node:crypto, as pkg/node/index.cjs registers it (so the profile is what Node users run).
const crypto = require('crypto');
if (typeof crypto.hash === 'function') glue.__setHostSha256((s) => crypto.hash('sha256', s), 0);
else glue.__setHostSha256((s) => crypto.createHash('sha256').update(s, 'utf8').digest('hex'), 1024);
const size = Number(process.argv[2] || 64), seconds = Number(process.argv[3] || 5);
const words = 'Hi, my order 4411 has not arrived yet. Could you check the delivery status and tell me when it ships? Thanks! ';
let s = ''; while (s.length < size) s += words; s = s.slice(0, size);
const input = { SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef', Subtype: 'connect:sms', Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: s }, NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: 'Customer' } } };
const headers = new Headers({ 'content-type': 'application/json', 'x-amzn-requestid': 'r' });
const fetch = async () => ({ status: 200, ok: true, headers, text: async () => '{"InitialContactId":"c","NewChatCreated":true}' });
const client = new ConnectChatClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLEBENCH0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, fetch });
(async () => {
  for (let i = 0; i < 2000; i++) await client.sendChatIntegrationEvent(input);
  const end = Date.now() + seconds * 1000; let n = 0; const t0 = process.hrtime.bigint();
  while (Date.now() < end) { for (let i = 0; i < 100; i++) await client.sendChatIntegrationEvent(input); n += 100; }
  console.log(`size ${size}: ${n} requests, ${(Number(process.hrtime.bigint() - t0) / 1e3 / n).toFixed(1)} µs/request`);
})();
