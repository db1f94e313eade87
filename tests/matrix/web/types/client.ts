// `connect-chat-events/client`: ConnectChatClient alone.
import { ConnectChatClient } from 'connect-chat-events/client';
import type { SendChatIntegrationEventOutput } from 'connect-chat-events/client';
// @ts-expect-error the client-only entry has no signRequest
import { signRequest } from 'connect-chat-events/client';

type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: IsAny<typeof ConnectChatClient> = false;
export const unused = signRequest;
const client = new ConnectChatClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:8787', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } });
export async function send(): Promise<boolean | undefined> {
  const out: SendChatIntegrationEventOutput = await client.sendChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } });
  return out.NewChatCreated;
}
