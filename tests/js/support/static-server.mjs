// A tiny static file server (127.0.0.1 only) for browser tests: serves files under `dir`,
// plus any extra in-memory routes `{ '/page.html': '<html>...' }`.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

export async function startStaticServer(dir, routes = {}) {
  const served = [];
  const server = http.createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    served.push(path);
    try {
      let body = path === '/favicon.ico' ? '' : routes[path];
      if (body === undefined) {
        const file = normalize(join(dir, path));
        if (!file.startsWith(normalize(dir))) throw new Error('outside');
        body = await readFile(file);
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    served,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}
