// `connect-chat-events/web`: the same API as the root entry.
import { ConnectChatClient, validateChatIntegrationEvent, signRequest } from 'connect-chat-events/web';
import type { ValidationResult, SignedRequest } from 'connect-chat-events/web';

type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: [IsAny<typeof ConnectChatClient>, IsAny<typeof validateChatIntegrationEvent>, IsAny<typeof signRequest>] = [false, false, false];
export const result: ValidationResult = validateChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } });
export const signed: SignedRequest = signRequest({ url: 'https://example.amazonaws.com/' },
  { region: 'us-east-1', service: 'service', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } });
export const client = new ConnectChatClient({ region: 'us-east-1', credentials: async () => ({ accessKeyId: 'AKID', secretAccessKey: 'x' }) });
// @ts-expect-error region is a string
export const bad = new ConnectChatClient({ region: 42 });
