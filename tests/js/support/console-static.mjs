// "Any static host": a plain static file server on 127.0.0.1 for a folder laid out as docs/console.md says
// (the console's www/ files, with the package's web/ build copied beside them as pkg/web/).
import http from 'node:http';
import { createReadStream, statSync, mkdtempSync, cpSync } from 'node:fs';
import { join, resolve, sep, extname } from 'node:path';
import { tmpdir } from 'node:os';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png',
};

/** Copies <pkg>/www/* and <pkg>/web/ into a fresh folder, as a user would for a static host. */
export function layOutStaticSite(pkgDir) {
  const dir = mkdtempSync(join(tmpdir(), 'cce-console-static-'));
  cpSync(join(pkgDir, 'www'), dir, { recursive: true });
  cpSync(join(pkgDir, 'web'), join(dir, 'pkg', 'web'), { recursive: true });
  return dir;
}

export async function startStatic(dir) {
  const base = resolve(dir);
  const server = http.createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(base, '.' + path);
    try {
      if (!file.startsWith(base + sep) || !statSync(file).isFile()) throw new Error('not found');
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(ok); }),
  };
}
