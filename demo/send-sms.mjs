// The demo: sends a sample SMS chat to the local Amazon Connect endpoint with ConnectChatClient — a new chat,
// a reply on the same chat, a typing event and a disconnect — then prints the transcript the endpoint kept.
//
//   node demo/send-sms.mjs http://127.0.0.1:8787   # against a running `connect-chat-events serve`
//   node demo/send-sms.mjs                         # starts an endpoint in-process on a free port
//
// Uses the built package in pkg/ (run scripts/build.sh first, or just `bash scripts/demo.sh`).
import { ConnectChatClient } from '../pkg/node/index.mjs';

const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCALCONNECT0001', secretAccessKey: 'local-connect-secret-key-not-for-aws' };
const region = process.env.CCE_DEMO_REGION ?? 'us-east-1';

let endpoint = process.argv[2] ?? process.env.CCE_ENDPOINT;
let embedded;
if (!endpoint) {
  const { startServer } = await import('../pkg/server/emulator.mjs');
  embedded = await startServer({ port: 0 });
  endpoint = embedded.url;
}

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

const client = new ConnectChatClient({ region, endpoint, credentials: LOCAL_CREDENTIALS });
const chat = {
  SourceId: '+14155550100', // the customer's phone number (E.164)
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
};

console.log(`${bold('connect-chat-events demo')}: an SMS chat sent with ConnectChatClient to the local Amazon Connect endpoint`);
console.log(`endpoint ${endpoint}, region ${region}, local test credentials ${LOCAL_CREDENTIALS.accessKeyId} (no AWS account needed)\n`);

let contactId;
async function step(n, title, input) {
  console.log(`${n}. ${title}`);
  const out = await client.sendChatIntegrationEvent({ ...chat, ...input });
  const same = contactId && out.InitialContactId === contactId ? ' (same contact)' : '';
  contactId ??= out.InitialContactId;
  console.log(`   → InitialContactId ${out.InitialContactId ?? '(none)'}${same}`);
  console.log(`     NewChatCreated   ${out.NewChatCreated}`);
  console.log(`     requestId        ${out.$metadata.requestId}   HTTP ${out.$metadata.httpStatusCode}`);
  return out;
}

try {
  await step(1, 'A customer texts in: a new SMS chat', {
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: "Hi! Where's my order #1234?" },
    NewSessionDetails: {
      ParticipantDetails: { DisplayName: 'Customer +1 415-555-0100' },
      SupportedMessagingContentTypes: ['text/plain'],
      Attributes: { channel: 'sms', orderId: '1234' },
    },
  });
  await step(2, 'The customer replies on the same chat', {
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'It was due yesterday.' },
  });
  await step(3, 'The customer is typing (an EVENT)', {
    Event: { Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing' },
  });
  await step(4, 'The conversation ends: DISCONNECT', { Event: { Type: 'DISCONNECT' } });

  console.log('5. Invalid input is caught before anything is sent:');
  try {
    await client.sendChatIntegrationEvent({ ...chat, SourceId: '415-555-0100', Event: { Type: 'MESSAGE', ContentType: 'text/html', Content: '<b>hi</b>' } });
    console.log('   (unexpectedly accepted)');
  } catch (e) {
    console.log(`   → ${e.name}`);
    for (const issue of e.issues ?? []) console.log(`     ${issue.path}: ${issue.message.length > 110 ? `${issue.message.slice(0, 107)}...` : issue.message}`);
  }

  const res = await fetch(`${endpoint}/_emulator/chats`);
  const { chats } = await res.json();
  const mine = chats.filter((c) => c.contactId === contactId);
  console.log(`\n${bold('Transcript')} ${dim(`(GET ${endpoint}/_emulator/chats)`)}`);
  for (const c of mine) {
    console.log(`  contact ${c.contactId}  ${c.subtype}  ${c.sourceId} → ${c.destinationId.split('/').pop()}  ${c.status}`);
    console.log(`  display name: ${c.newSessionDetails?.ParticipantDetails?.DisplayName ?? '-'}`);
    for (const e of c.transcript) {
      const what = e.type === 'MESSAGE' ? JSON.stringify(e.content) : e.type === 'EVENT' ? e.contentType : '';
      console.log(`    ${e.at.slice(11, 23)}  ${e.type.padEnd(10)} ${what}`);
    }
  }
  if (embedded) {
    console.log(`\n(the in-process endpoint stops now; run \`npx connect-chat-events serve\` for one that stays up)`);
  } else if (process.env.CCE_DEMO_KEEP === '0') {
    console.log(`\n${bold('Console')}: ${endpoint}/ — the endpoint stops with the demo; \`bash scripts/demo.sh --keep\` keeps it (and the console) running.`);
  } else {
    console.log(`\n${bold('Console')}: open ${endpoint}/ in a browser to see the chats and send events yourself.`);
  }
} catch (e) {
  console.error(`demo failed: ${e.name}: ${e.message}`);
  if (e.$metadata) console.error(`  HTTP ${e.$metadata.httpStatusCode}, requestId ${e.$metadata.requestId}`);
  process.exitCode = 1;
} finally {
  await embedded?.close();
}
