// The whole loop of a channel integration, locally: an SMS relay (demo/sms-relay.mjs) subscribes to the chat's
// message stream, `connect-chat-events serve --streaming-endpoint` publishes the chat to it, the customer texts in
// through the relay (SendChatIntegrationEvent), the agent answers and ends the chat through the inspection API
// (as the console's reply box does), and the relay prints what it would text back.
//
//   node demo/relay-demo.mjs [--port 8787] [--keep]      (bash scripts/demo-relay.sh builds pkg/ first)
//
// With --keep the endpoint and the relay stay up: answer as the agent in the console, text in as the customer by
// typing a line here; Ctrl-C stops.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { startRelay, TOPIC_ARN } from './sms-relay.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep') || process.env.CCE_DEMO_KEEP === '1';
const portArg = process.argv.indexOf('--port');
const wantedPort = portArg > 0 ? process.argv[portArg + 1] : (process.env.CCE_DEMO_PORT ?? '8787');
const CUSTOMER = '+14155550123';
const say = (who, text) => console.log(`[${who}] ${text}`);

/** Starts the CLI from pkg/ with the topic mapped to the relay; resolves to { url, child }. */
function serve(port, relayUrl) {
  const child = spawn(process.execPath, [join(root, 'pkg/bin/connect-chat-events.mjs'), 'serve', '--port', String(port), '--quiet',
    '--streaming-endpoint', `${TOPIC_ARN}=${relayUrl}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /^listening on (\S+)$/m.exec(out);
      if (m) resolve({ url: m[1], child, banner: out });
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`serve exited with ${code}`), { code })));
  });
}

const relay = await startRelay({ print: (line) => console.log(line) });
let endpoint;
try {
  endpoint = await serve(wantedPort, relay.url);
} catch (e) {
  if (e.code !== 3 || portArg > 0) throw e;
  endpoint = await serve(0, relay.url); // 8787 is taken: any free port
}
relay.endpoint = endpoint.url;
console.log(`endpoint ${endpoint.url} streams ${TOPIC_ARN} to the relay at ${relay.url}\n`);

const next = (event) => new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`the relay saw no ${event} within 10 s`)), 10000);
  relay.once(event, (v) => { clearTimeout(t); resolve(v); });
});
async function agent(contactId, action, body) {
  const res = await fetch(`${endpoint.url}/_emulator/chats/${contactId}/${action}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`agent ${action}: HTTP ${res.status} ${await res.text()}`);
}

let failed = false;
try {
  say('customer', `${CUSTOMER} texts: Hi, my package has not arrived.`);
  const contactId = await relay.receiveSms(CUSTOMER, 'Hi, my package has not arrived.');
  say('relay', `sent it with SendChatIntegrationEvent: contact ${contactId}`);

  let reply = 'Hello! Sorry about that. What is your order number?';
  say('agent', reply);
  let outbound = next('outbound');
  await agent(contactId, 'messages', { Content: reply, ContentType: 'text/plain' });
  await outbound;

  say('customer', `${CUSTOMER} texts: A-1001`);
  await relay.receiveSms(CUSTOMER, 'A-1001');
  reply = 'Thanks! A-1001 ships tomorrow morning.';
  say('agent', reply);
  outbound = next('outbound');
  await agent(contactId, 'messages', { Content: reply, ContentType: 'text/plain' });
  await outbound;

  say('agent', 'ends the chat');
  const ended = next('ended');
  await agent(contactId, 'disconnect', {});
  await ended;

  const view = await (await fetch(`${endpoint.url}/_emulator/chats/${contactId}`)).json();
  const s = view.streaming;
  console.log(`\nmessage stream of ${contactId}: ${s.delivered} of ${s.published} notifications delivered, ${s.failed} failed ` +
    `(GET ${endpoint.url}/_emulator/chats/${contactId} shows each one)`);
} catch (e) {
  failed = true;
  console.error(`demo failed: ${e.message}`);
}

if (keep && !failed) {
  console.log(`\nStill running. Console: ${endpoint.url}/ (reply as the agent there).`);
  console.log(`Text in as the customer by typing a line here (e.g. "${CUSTOMER} hello again"); Ctrl-C stops.`);
  createInterface({ input: process.stdin }).on('line', (line) => {
    const m = /^\s*(\+\d{6,15})\s+(.+)$/.exec(line);
    if (!m) return console.log(`format: ${CUSTOMER} your text`);
    relay.receiveSms(m[1], m[2]).then((id) => say('relay', `sent to contact ${id}`), (e) => say('relay', `${e.name}: ${e.message}`));
  });
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
if (endpoint.child.exitCode === null) {
  const exited = new Promise((ok) => endpoint.child.once('exit', ok));
  endpoint.child.kill('SIGTERM');
  await exited;
}
await relay.close();
process.exit(failed ? 1 : 0);
