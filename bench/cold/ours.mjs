// Cold start: import connect-chat-events, build a client, send the first (signed) request to a stub fetch.
import { ConnectChatClient } from 'connect-chat-events';

const fetch = async () => new Response('{"InitialContactId":"c","NewChatCreated":true}', { status: 200, headers: { 'x-amzn-requestid': 'r' } });
const client = new ConnectChatClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLEBENCH0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' }, fetch });
const out = await client.sendChatIntegrationEvent({
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hi, my order 4411 has not arrived yet.' },
});
if (out.InitialContactId !== 'c') process.exit(1);
