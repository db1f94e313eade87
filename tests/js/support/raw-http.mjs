// Raw HTTP/1.1 over a TCP socket, for requests an HTTP client would normalize (two Authorization headers,
// absolute-form targets, a missing Host, a foreign Host). Only 127.0.0.1.
import net from 'node:net';

/**
 * Sends `head` (a string; "\r\n" line ends, without the blank line) and `body`, with `connection: close`,
 * and resolves to { status, headers (lower-case name → last value), body, ms } once the server closes.
 */
export function rawHttp(port, head, body = '', { timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const sock = net.connect(port, '127.0.0.1');
    const chunks = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${head.split('\r\n')[0]}`));
    }, timeoutMs);
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      const lines = text.slice(0, end < 0 ? text.length : end).split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const bodyText = end < 0 ? '' : Buffer.from(text.slice(end + 4), 'latin1').toString('utf8');
      let json;
      try {
        json = JSON.parse(bodyText);
      } catch {
        json = undefined;
      }
      resolve({ status, headers, body: bodyText, json, errorType: headers['x-amzn-errortype'], ms: Date.now() - started });
    });
    const payload = Buffer.from(body);
    const hasLength = /^content-length:/im.test(head);
    sock.end(Buffer.concat([
      Buffer.from(`${head}\r\n${hasLength ? '' : `content-length: ${payload.length}\r\n`}connection: close\r\n\r\n`, 'latin1'),
      payload,
    ]));
  });
}

/**
 * A signed POST as raw header lines: signs `body` for `http://HOST:PORT${path}` with the package's signer and
 * returns { lines: ['name: value', ...], body } for rawHttp (the request line is the caller's).
 */
export function signedLines(api, { port, host = `127.0.0.1:${port}`, path = '/chat-integration-event', body, credentials, region = 'us-east-1', headers = {} }) {
  const signed = api.signRequest(
    { method: 'POST', url: `http://${host}${path}`, headers: { 'content-type': 'application/json', ...headers }, body },
    { region, service: 'connect', credentials },
  );
  return { lines: Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`), body, signed };
}
