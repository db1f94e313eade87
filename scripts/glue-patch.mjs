// Two changes to wasm-bindgen's generated glue (run by build.sh on both glues, before anything else
// reads them). wasm-bindgen has an option for neither; each is measured in BENCHMARKS.md.
//
// 1. Long strings into wasm. `passStringToWasm0` copies a JS string into wasm memory one charCodeAt at
//    a time while the characters are ASCII, and calls TextEncoder.encodeInto only from the first
//    other one. That loop wins for short strings (no call into C++) but costs ~4.5 ns a character:
//    a 16 KiB ASCII Content took 74 µs against 2.5 µs for encodeInto on Node 20, a quarter of a
//    16 KiB send ("Long strings into wasm"). The crossover measured ~48 characters, so the loop is
//    kept for strings up to that length and encodeInto does the rest.
// 2. The memory's DataView. `getDataViewMemory0` (every string or optional value handed back to wasm
//    through memory) tells whether the memory grew by `buffer.detached`, which Node 20 does not
//    have; there it reads `WebAssembly.Memory#buffer`, a call into C++, on every use: 6 % of a
//    64 B send ("The memory's DataView"). The patch asks the cached Uint8Array's buffer instead;
//    its own check (`byteLength === 0` once the old buffer is detached) is the one wasm-bindgen
//    already relies on for every string read.
//
//   node scripts/glue-patch.mjs <glue.js>...
// Fails (exit 1) unless each file holds each patched text exactly once, so a wasm-bindgen update
// that changes the glue stops the build instead of shipping it unpatched.
import { readFileSync, writeFileSync } from 'node:fs';

const SHORT = 48;
const PATCHES = [
  {
    name: "passStringToWasm0's ASCII loop",
    within: 'function passStringToWasm0(',
    from: 'for (; offset < len; offset++) {',
    to: `if (len <= ${SHORT}) for (; offset < len; offset++) {`,
  },
  {
    name: "getDataViewMemory0's grown-memory check",
    within: 'function getDataViewMemory0(',
    from: [
      '    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {',
      '        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);',
      '    }',
    ].join('\n'),
    to: [
      '    const buffer = getUint8ArrayMemory0().buffer;',
      '    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== buffer) {',
      '        cachedDataViewMemory0 = new DataView(buffer);',
      '    }',
    ].join('\n'),
  },
];

for (const file of process.argv.slice(2)) {
  let glue = readFileSync(file, 'utf8');
  for (const p of PATCHES) {
    const at = glue.indexOf(p.from);
    // The text must sit inside the function it patches (the nearest function declaration before it).
    const inside = at >= 0 && glue.startsWith(`\n${p.within}`, glue.lastIndexOf('\nfunction ', at));
    if (!inside || glue.indexOf(p.from, at + 1) >= 0) {
      console.error(`[glue-patch] ${file}: ${p.name} not found exactly once (wasm-bindgen changed?)`);
      process.exit(1);
    }
    glue = glue.slice(0, at) + p.to + glue.slice(at + p.from.length);
  }
  writeFileSync(file, glue);
}
