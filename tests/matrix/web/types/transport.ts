// `connect-chat-events/transport` (Node only): the keep-alive transport, assignable to the client's fetch.
import { createNodeTransport, nodeTransport, NetworkError } from 'connect-chat-events/transport';
import { ConnectChatClient } from 'connect-chat-events';

type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: [IsAny<typeof createNodeTransport>, IsAny<typeof nodeTransport>, IsAny<typeof NetworkError>] = [false, false, false];
export const client = new ConnectChatClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' },
  fetch: createNodeTransport({ maxSockets: 4, idleTimeoutMs: 1000 }) });
export const isNetwork = (e: unknown): boolean => e instanceof NetworkError && e.code === 'ECONNRESET';
// @ts-expect-error maxSockets is a number
export const bad = createNodeTransport({ maxSockets: 'many' });
