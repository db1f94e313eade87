// `connect-chat-events/client`: ConnectChatClient and every type, none of the other functions;
// checked by `tsc --strict --noEmit` (module nodenext) against the installed package.
import { ConnectChatClient } from 'connect-chat-events/client';
import type { SendChatIntegrationEventInput, SendChatIntegrationEventOutput, ConnectChatClientConfig } from 'connect-chat-events/client';
// @ts-expect-error signRequest is not part of the client entry
import { signRequest } from 'connect-chat-events/client';

const config: ConnectChatClientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } };
const client = new ConnectChatClient(config);
const input: SendChatIntegrationEventInput = {
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello' },
};
export async function send(): Promise<string | undefined> {
  const out: SendChatIntegrationEventOutput = await client.sendChatIntegrationEvent(input);
  return out.InitialContactId;
}
export const unused = signRequest;
