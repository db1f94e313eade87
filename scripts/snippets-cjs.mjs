// wasm-bindgen's nodejs target require()s the crate's inline_js snippets, but writes them as ES
// modules. This rewrites them as CommonJS (they may only `export function` / `export async
// function`), so Node 18+ loads them without require(esm). Only bench/profile.sh's unstripped
// nodejs-target build needs it (the package's Node entry is the web glue bundled by esbuild).
//   node scripts/snippets-cjs.mjs <dir with snippets/>   (or import { snippetsToCjs })
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** An ES module that only declares functions and `export function`s, as CommonJS. */
export function esmToCjs(text, file = 'module') {
  const names = [];
  const body = text.replace(/^export (async function|function) ([A-Za-z_$][\w$]*)/gm,
    (_, kw, name) => { names.push(name); return `${kw} ${name}`; });
  if (/^\s*(export|import)\b/m.test(body)) throw new Error(`${file}: only \`export function\` modules can be converted`);
  return `'use strict';\n${body}\nmodule.exports = { ${names.join(', ')} };\n`;
}

export function snippetsToCjs(dir) {
  if (!existsSync(dir)) return;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = join(dir, e.name);
    if (e.isDirectory()) { snippetsToCjs(f); continue; }
    if (!e.name.endsWith('.js')) continue;
    writeFileSync(f, esmToCjs(readFileSync(f, 'utf8'), f));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) snippetsToCjs(process.argv[2]);
