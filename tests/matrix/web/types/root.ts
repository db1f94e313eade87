// `connect-chat-events`: every export typed (none `any`), the input types strict enough to catch a typo.
import { ConnectChatClient, validateChatIntegrationEvent, serializeChatIntegrationEvent, signRequest, resolveEndpoint, chatEventRules } from 'connect-chat-events';
import type { SendChatIntegrationEventInput, SendChatIntegrationEventOutput, ValidationResult, SignedRequest, ChatEventRules } from 'connect-chat-events';

type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: [IsAny<typeof ConnectChatClient>, IsAny<typeof validateChatIntegrationEvent>, IsAny<typeof serializeChatIntegrationEvent>,
  IsAny<typeof signRequest>, IsAny<typeof resolveEndpoint>, IsAny<typeof chatEventRules>] = [false, false, false, false, false, false];

const input: SendChatIntegrationEventInput = {
  SourceId: '+14155550100', DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123', Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello' },
};
const result: ValidationResult = validateChatIntegrationEvent(input);
export const firstPath: string | undefined = result.issues[0]?.path;
export const body: string = serializeChatIntegrationEvent(input);
const signed: SignedRequest = signRequest({ method: 'GET', url: 'https://example.amazonaws.com/' }, {
  region: 'us-east-1', service: 'service', signingDate: '2015-08-30T12:36:00Z', applyChecksum: false,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
});
export const signature: string = signed.signature;
export const endpoint: string = resolveEndpoint({ region: 'eu-central-1' });
export const rules: ChatEventRules = chatEventRules;
const client = new ConnectChatClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' }, maxAttempts: 1,
  fetch: async () => new Response('{}', { status: 200 }) });
export async function send(): Promise<string | undefined> {
  const out: SendChatIntegrationEventOutput = await client.sendChatIntegrationEvent(input);
  return out.InitialContactId;
}
// @ts-expect-error Event.Type is DISCONNECT | MESSAGE | EVENT
export const wrong: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'FOO' } };
