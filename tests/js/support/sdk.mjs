// The AWS JS SDK v3 (@aws-sdk/client-connect from .tools) as an oracle: run a
// SendChatIntegrationEvent through it with a capturing request handler, no network.
import { tool } from './tools.mjs';

// The SDK warns about old Node versions on load; keep the test output readable.
process.removeAllListeners('warning');
process.on('warning', (w) => { if (!/NodeVersionSupportWarning/.test(`${w.name} ${w.message}`)) console.warn(w); });

const { ConnectClient, SendChatIntegrationEventCommand } = await tool('@aws-sdk/client-connect');
const { HttpResponse } = await tool('@smithy/core/protocols');
export { HttpResponse };

/**
 * Sends `input` with the SDK; `respond(request)` gives `{ statusCode, headers, body }` (default 200 `{}`).
 * Returns `{ request, body, result?, error? }` where `request` is the SDK's signed HttpRequest.
 */
export async function sdkSend(input, { credentials, region = 'us-east-1', respond, systemClockOffset } = {}) {
  let request;
  const client = new ConnectClient({
    region,
    credentials: credentials ?? { accessKeyId: 'AKIDSDKDIFF', secretAccessKey: 'sdk/diff/secret' },
    maxAttempts: 1,
    ...(systemClockOffset ? { systemClockOffset } : {}),
    requestHandler: {
      handle: async (req) => {
        request = req;
        const r = respond ? respond(req) : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
        return { response: new HttpResponse({ statusCode: r.statusCode, headers: r.headers ?? {}, body: Buffer.from(r.body ?? '') }) };
      },
    },
  });
  const out = { request: undefined, body: undefined };
  try {
    out.result = await client.send(new SendChatIntegrationEventCommand(input));
  } catch (e) {
    out.error = e;
  } finally {
    client.destroy?.();
  }
  out.request = request;
  if (request) {
    const b = request.body;
    out.body = b == null ? '' : typeof b === 'string' ? b : Buffer.from(b.buffer ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b).toString('utf8');
  }
  return out;
}
