// One change to wasm-bindgen's generated glue (run by build.sh on both glues, before anything
// else reads them): its `passStringToWasm0` copies a JS string into wasm memory one charCodeAt at
// a time while the characters are ASCII, and calls TextEncoder.encodeInto only from the first
// other one. That loop wins for short strings (no call into C++) but costs ~4.5 ns a character:
// a 16 KiB ASCII Content took 74 µs against 2.5 µs for encodeInto on Node 20, a quarter of a
// 16 KiB send (BENCHMARKS.md, "Long strings into wasm"). The crossover measured ~48 characters,
// so the loop is kept for strings up to that length and encodeInto does the rest.
//   node scripts/glue-strings.mjs <glue.js>...
// Fails (exit 1) unless each file holds the loop exactly once, so a wasm-bindgen update that
// changes the glue stops the build instead of shipping it unpatched.
import { readFileSync, writeFileSync } from 'node:fs';

const LOOP = 'for (; offset < len; offset++) {';
const SHORT = 48;

for (const file of process.argv.slice(2)) {
  const glue = readFileSync(file, 'utf8');
  const at = glue.indexOf(LOOP);
  if (at < 0 || glue.indexOf(LOOP, at + 1) >= 0 || !glue.slice(0, at).includes('function passStringToWasm0(')) {
    console.error(`[glue-strings] ${file}: passStringToWasm0's ASCII loop not found exactly once (wasm-bindgen changed?)`);
    process.exit(1);
  }
  writeFileSync(file, glue.slice(0, at) + `if (len <= ${SHORT}) ${LOOP}` + glue.slice(at + LOOP.length));
}
