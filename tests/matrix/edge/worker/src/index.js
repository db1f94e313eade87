import * as m from 'connect-chat-events';
import { cellResponse } from './cell.mjs';

export default {
  fetch: (request) => cellResponse(m, request),
};
