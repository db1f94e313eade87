// Prints artifacts/matrix-bundle-sizes.json (written by tests/js/matrix-web-bundlers.test.mjs) as a
// Markdown table for the README: `node tests/matrix/web/sizes-table.mjs`.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { bundlers } = JSON.parse(readFileSync(join(root, 'artifacts', 'matrix-bundle-sizes.json'), 'utf8'));
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = ['| import | bundler | minified | JS emitted | gzip | brotli | .wasm files |', '|---|---|---|---:|---:|---:|---:|'];
for (const [spec, byBundler] of Object.entries(bundlers)) {
  for (const [name, s] of Object.entries(byBundler)) {
    rows.push(`| \`${spec}\` | ${name} ${s.version} | ${s.minified ? 'yes' : 'no'} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} | ${s.wasmFiles ? `${s.wasmFiles}: ${kb(s.wasmBytes)} (gzip ${kb(s.wasmGzip)}, brotli ${kb(s.wasmBrotli)})` : 0} |`);
  }
}
console.log(rows.join('\n'));
