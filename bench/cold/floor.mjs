// Cold start floor: node:crypto doing SigV4's hashing (deriving the signing key once) + JSON.stringify.
import { createHash, createHmac } from 'node:crypto';

const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
const date = amzDate.slice(0, 8);
const kSigning = hmac(hmac(hmac(hmac('AWS4wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', date), 'us-east-1'), 'connect'), 'aws4_request');
const body = JSON.stringify({
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hi, my order 4411 has not arrived yet.' },
});
const canonical = `POST\n/chat-integration-event\n\ncontent-type:application/json\nhost:connect.us-east-1.amazonaws.com\nx-amz-date:${amzDate}\n\ncontent-type;host;x-amz-date\n${createHash('sha256').update(body).digest('hex')}`;
const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${date}/us-east-1/connect/aws4_request\n${createHash('sha256').update(canonical).digest('hex')}`;
if (createHmac('sha256', kSigning).update(sts).digest('hex').length !== 64) process.exit(1);
