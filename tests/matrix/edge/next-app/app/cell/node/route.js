import * as m from 'connect-chat-events';
import { cellResponse } from '../../../lib/cell.mjs';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function GET(request) {
  return cellResponse(m, request);
}
