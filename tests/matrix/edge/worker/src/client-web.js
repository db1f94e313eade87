import * as m from 'connect-chat-events/client/web';
import { cellResponse } from './cell.mjs';

export default {
  fetch: (request) => cellResponse(m, request, { clientOnly: true }),
};
