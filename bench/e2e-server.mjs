// The canned server of the end-to-end benchmark (bench/e2e.mjs): its own process, 127.0.0.1 only.
// Answers every POST with what Amazon Connect answers a SendChatIntegrationEvent that starts a chat,
// after reading the whole request body; anything else gets a 404. It does no signature check, so the
// client side pays for everything and the server as little as possible.
//
//   node bench/e2e-server.mjs [--cert cert.pem --key key.pem] [--keep-alive-ms 5000]
//
// Prints one line of JSON on stdout when listening: {"port":N,"tls":bool}. Exits when its stdin
// closes (the benchmark holds the other end, so the server never outlives it) or on SIGTERM.
import { createServer as createHttp } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    cert: { type: 'string' },
    key: { type: 'string' },
    'keep-alive-ms': { type: 'string', default: '5000' },
  },
});
const BODY = Buffer.from('{"InitialContactId":"c0ffee00-0000-4000-8000-000000000000","NewChatCreated":true}');
let requestId = 0;

function handle(req, res) {
  let bytes = 0;
  req.on('data', (c) => { bytes += c.length; });
  req.on('end', () => {
    if (req.method !== 'POST' || bytes === 0) {
      res.writeHead(404, { 'content-type': 'application/json', 'content-length': 2 });
      res.end('{}');
      return;
    }
    requestId += 1;
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': BODY.length,
      'x-amzn-requestid': `00000000-0000-4000-8000-${String(requestId).padStart(12, '0')}`,
    });
    res.end(BODY);
  });
}

const tls = values.cert !== undefined;
const server = tls
  ? createHttps({ cert: readFileSync(values.cert), key: readFileSync(values.key) }, handle)
  : createHttp(handle);
server.keepAliveTimeout = Number(values['keep-alive-ms']);
server.headersTimeout = Math.max(server.headersTimeout, server.keepAliveTimeout + 1000);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port, tls }) + '\n');
});
const stop = () => { server.closeAllConnections?.(); server.close(); process.exit(0); };
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
