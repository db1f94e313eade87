// Echo server for the wasm boundary tests: answers every request with what it received, with CORS
// so the browser run can call it too. Usage: node echo-server.mjs <file to write the port to>.
import http from 'node:http';
import { writeFileSync } from 'node:fs';

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, OPTIONS');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('access-control-expose-headers', 'x-amzn-requestid, x-amzn-errortype');
    if (req.method === 'OPTIONS') return res.end();
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://x');
    // /error/<code>/<status> answers like an AWS restJson1 error; anything else echoes.
    const m = /^\/error\/([A-Za-z]+)\/(\d{3})/.exec(url.pathname);
    if (m) {
      res.writeHead(Number(m[2]), { 'content-type': 'application/json', 'x-amzn-requestid': 'echo-req-err', 'x-amzn-errortype': m[1] });
      return res.end(JSON.stringify({ message: `echo ${m[1]}` }));
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': 'echo-req-1' });
    res.end(JSON.stringify({ InitialContactId: 'echo-contact', NewChatCreated: true, echo: { method: req.method, path: req.url, headers: req.headers, body } }));
  });
});
server.listen(0, '127.0.0.1', () => writeFileSync(process.argv[2], String(server.address().port)));
