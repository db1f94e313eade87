// Cold start over real HTTP(S): import the library, build a client, send the first signed request to
// the URL given and read the answer, then exit. Started fresh by bench/e2e.mjs for each sample.
//   node bench/cold/e2e.mjs <ours|oursFetch|sdk|aws4fetch> <endpoint URL>
const [which, url] = process.argv.slice(2);
const credentials = { accessKeyId: 'AKIDEXAMPLEBENCH0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const input = {
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hi, my order 4411 has not arrived yet.' },
};
let out;
if (which === 'ours' || which === 'oursFetch') {
  const { ConnectChatClient } = await import('connect-chat-events');
  // The Node transport as the package ships it (the Node default once the client is Rust-async).
  const fetch = which === 'ours'
    ? (await import('../node_modules/connect-chat-events/node/transport.cjs')).default.createNodeTransport()
    : globalThis.fetch;
  const client = new ConnectChatClient({ region: 'us-east-1', credentials, endpoint: url, fetch });
  out = await client.sendChatIntegrationEvent(input);
} else if (which === 'sdk') {
  const { ConnectClient, SendChatIntegrationEventCommand } = await import('@aws-sdk/client-connect');
  const client = new ConnectClient({ region: 'us-east-1', credentials, endpoint: url });
  out = await client.send(new SendChatIntegrationEventCommand(input));
} else if (which === 'aws4fetch') {
  const { AwsClient } = await import('aws4fetch');
  const aws = new AwsClient({ ...credentials, region: 'us-east-1', service: 'connect' });
  const r = await aws.fetch(`${url}/chat-integration-event`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  out = await r.json();
} else {
  throw new Error(`unknown contender ${which}`);
}
if (out.NewChatCreated !== true) process.exit(1);
process.exit(0);
