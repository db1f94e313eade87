// Cold start: import aws4fetch, build a client, sign the first request (no fetch).
import { AwsClient } from 'aws4fetch';

const aws = new AwsClient({ accessKeyId: 'AKIDEXAMPLEBENCH0001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'connect' });
const req = await aws.sign('https://connect.us-east-1.amazonaws.com/chat-integration-event', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    SourceId: '+14155550100',
    DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
    Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hi, my order 4411 has not arrived yet.' },
  }),
});
if (!req.headers.get('authorization')) process.exit(1);
