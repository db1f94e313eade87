// Cold start: import @aws-sdk/client-connect, build a client, send the first (signed) request to a stub handler.
import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';
import { HttpResponse } from '@smithy/core/protocols';

process.removeAllListeners('warning');
const client = new ConnectClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLEBENCH0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  requestHandler: {
    handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers: { 'x-amzn-requestid': 'r', 'content-type': 'application/json' }, body: Buffer.from('{"InitialContactId":"c","NewChatCreated":true}') }) }),
  },
});
const out = await client.send(new SendChatIntegrationEventCommand({
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hi, my order 4411 has not arrived yet.' },
}));
if (out.InitialContactId !== 'c') process.exit(1);
