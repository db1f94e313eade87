// `connect-chat-events/transport` (Node): the default transport's factory and error, typed; checked by
// `tsc --strict --noEmit` (module nodenext) against the installed package, as ESM and CommonJS.
import { ConnectChatClient } from 'connect-chat-events';
import { createNodeTransport, nodeTransport, NetworkError } from 'connect-chat-events/transport';
import type { Transport, NodeTransportOptions } from 'connect-chat-events/transport';

const options: NodeTransportOptions = { maxSockets: 8, idleTimeoutMs: 2000, maxResponseBytes: 65536 };
const transport: Transport = createNodeTransport(options);
export const client = new ConnectChatClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
  fetch: transport,
});
export const shared: Transport = nodeTransport;
export function describe(e: unknown): string | undefined {
  return e instanceof NetworkError ? `${e.name} ${e.code ?? ''} reused=${e.reusedSocket}` : undefined;
}
// @ts-expect-error maxSockets is a number
createNodeTransport({ maxSockets: '8' });
