// A tiny SMS relay: the channel side of an Amazon Connect chat integration, both directions.
//   in:  a text from the customer → SendChatIntegrationEvent (ConnectChatClient), asking for message streaming
//   out: the chat's message stream (SNS HTTP notifications) → what would be texted back to the customer
// No SMS is sent: the relay prints it. It keeps InitialContactId → phone number, as a real relay must, because the
// streamed items name the contact, not the customer's number.
//
// Used by demo/relay-demo.mjs (`bash scripts/demo-relay.sh`). Against a running endpoint:
//   node demo/sms-relay.mjs --endpoint http://127.0.0.1:8787 --port 8788
//   connect-chat-events serve --streaming-endpoint arn:aws:sns:us-east-1:123456789012:connect-chat-stream=http://127.0.0.1:8788/sns
// then type lines (`+14155550100 hello`) to text in as a customer.
import http from 'node:http';
import { EventEmitter } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ConnectChatClient } from '../pkg/node/index.mjs';

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:connect-chat-stream';
export const PHONE_NUMBER_ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';
const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALCONNECT0001', secretAccessKey: 'local-connect-secret-key-not-for-aws' };
const JOINED = 'application/vnd.amazonaws.connect.event.participant.joined';
const ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';

/**
 * Starts the relay on 127.0.0.1. Options: port (0), endpoint (the Connect endpoint, settable later as
 * relay.endpoint), topicArn, print ((line) => void). Emits 'outbound' { to, text, item }, 'ended' { contactId, to }.
 */
export async function startRelay({ port = 0, endpoint, topicArn = TOPIC_ARN, print = (l) => console.log(l) } = {}) {
  const relay = new EventEmitter();
  const phoneOf = new Map(); // InitialContactId → the customer's phone number
  const seen = new Set(); // SNS may deliver a message more than once: MessageId dedupes
  let warned = false;

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200).end(); // acknowledge at once; SNS retries anything else
      let envelope;
      let item;
      try {
        envelope = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        item = JSON.parse(envelope.Message);
      } catch {
        print('[relay] ignored a request that is not an SNS notification');
        return;
      }
      if (req.headers['x-amz-sns-message-type'] !== 'Notification' || envelope.TopicArn !== topicArn) return;
      if (seen.has(envelope.MessageId)) return;
      seen.add(envelope.MessageId);
      if (!warned && !/^https:\/\/sns\.[a-z0-9-]+\.amazonaws\.com\//.test(envelope.SigningCertURL ?? '')) {
        warned = true;
        print('[relay] (notifications from the local endpoint: not signed by SNS; a production relay verifies Signature)');
      }
      const visibility = envelope.MessageAttributes?.MessageVisibility?.Value ?? 'ALL';
      // Amazon Connect's documented filter for what faces the customer.
      if (!((visibility === 'CUSTOMER' || visibility === 'ALL') && item.ParticipantRole !== 'CUSTOMER')) return;
      const to = phoneOf.get(item.InitialContactId);
      if (!to) return; // a chat this relay did not start
      if (item.Type === 'MESSAGE') {
        print(`[relay] would text ${to}: ${item.Content}`);
        relay.emit('outbound', { to, text: item.Content, item });
      } else if (item.ContentType === JOINED) {
        print(`[relay] (${item.DisplayName} joined the chat with ${to})`);
      } else if (item.ContentType === ENDED) {
        print(`[relay] the chat with ${to} ended; the relay forgets contact ${item.InitialContactId}`);
        phoneOf.delete(item.InitialContactId);
        relay.emit('ended', { contactId: item.InitialContactId, to });
      }
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  relay.url = `http://127.0.0.1:${server.address().port}/sns`;
  relay.topicArn = topicArn;
  relay.endpoint = endpoint;

  /** A text from the customer: into the chat with SendChatIntegrationEvent. Resolves to the contact id. */
  relay.receiveSms = async (from, text) => {
    const client = new ConnectChatClient({ region: 'us-east-1', endpoint: relay.endpoint, credentials: LOCAL_CREDENTIALS });
    try {
      const out = await client.sendChatIntegrationEvent({
        SourceId: from,
        DestinationId: PHONE_NUMBER_ARN,
        Subtype: 'connect:sms',
        Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: text },
        NewSessionDetails: {
          SupportedMessagingContentTypes: ['text/plain'],
          ParticipantDetails: { DisplayName: from },
          StreamingConfiguration: { StreamingEndpointArn: topicArn },
        },
      });
      phoneOf.set(out.InitialContactId, from);
      return out.InitialContactId;
    } finally {
      client.free();
    }
  };
  relay.close = () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); });
  return relay;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const relay = await startRelay({ port: Number(arg('--port', '8788')), endpoint: arg('--endpoint', 'http://127.0.0.1:8787') });
  console.log(`relay listening on ${relay.url} (topic ${relay.topicArn}); sends to ${relay.endpoint}`);
  console.log('type "+14155550100 your text" to text in as a customer; Ctrl-C stops');
  createInterface({ input: process.stdin }).on('line', (line) => {
    const m = /^\s*(\+\d{6,15})\s+(.+)$/.exec(line);
    if (!m) return console.log('format: +14155550100 your text');
    relay.receiveSms(m[1], m[2]).catch((e) => console.log(`[relay] ${e.name}: ${e.message}`));
  });
  process.on('SIGINT', () => relay.close().then(() => process.exit(0)));
}
