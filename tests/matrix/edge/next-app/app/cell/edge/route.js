import '../../../lib/no-wasm-codegen.mjs'; // first: no wasm compilation from bytes, as on Vercel
import * as m from 'connect-chat-events';
import { cellResponse } from '../../../lib/cell.mjs';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export function GET(request) {
  return cellResponse(m, request);
}
