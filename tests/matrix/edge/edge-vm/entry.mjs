// Bundled with esbuild for the edge-light condition (as Next.js and Vercel bundle edge functions) and evaluated
// in @edge-runtime/vm with code generation off; the .wasm?module import is a global holding a precompiled module.
import * as full from 'connect-chat-events';
import * as client from 'connect-chat-events/client';
import * as web from 'connect-chat-events/web';
import { runCell } from './cell.mjs';

globalThis.__cells = {
  '.': (options) => runCell(full, options),
  './client': (options) => runCell(client, { ...options, clientOnly: true }),
  './web': (options) => runCell(web, options),
  sameClient: () => client.ConnectChatClient === full.ConnectChatClient && web.ConnectChatClient === full.ConnectChatClient,
};
