// Writes the npm package's own files around the wasm-bindgen output in pkg/:
// package.json (one package, an exports map per runtime, types for each), the ESM/CJS wrappers,
// the JS client module (js/client.mjs, as web/client.js and node/client.cjs), the inline-wasm build
// for bundlers and workers, types, README and licence.
import { readFileSync, writeFileSync, copyFileSync, mkdirSync, existsSync, cpSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snippetsToCjs, esmToCjs } from './snippets-cjs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1];

/** The public API; the wrappers re-export exactly these names. */
export const API = [
  'ConnectChatClient',
  'validateChatIntegrationEvent',
  'serializeChatIntegrationEvent',
  'signRequest',
  'resolveEndpoint',
  'chatEventRules',
];
const names = API.join(', ');
const write = (rel, text) => {
  mkdirSync(dirname(join(pkg, rel)), { recursive: true });
  writeFileSync(join(pkg, rel), text);
};

// Node: wasm-bindgen's nodejs target is CommonJS and loads the wasm synchronously.
write('node/package.json', JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');
// Its glue require()s the inline_js snippets, which wasm-bindgen writes as ES modules.
snippetsToCjs(join(pkg, 'node/snippets'));
// Every public name is a wasm-bindgen export (src/wasm/); `chatEventRules` is the frozen object
// the export of that name returns.
const wasmNames = API.filter((n) => n !== 'chatEventRules');
const esmExports = `export { ${wasmNames.join(', ')} };\nexport const chatEventRules = /* @__PURE__ */ rules();\n`;
const glueImports = `${wasmNames.join(', ')}, chatEventRules as rules`;
write('node/client.cjs', esmToCjs(readFileSync(join(root, 'js/client.mjs'), 'utf8'), 'js/client.mjs'));
// The Node wrappers add Node's default credential chain and region (js/node/credentials.cjs) to
// ConnectChatClient; index.mjs re-exports index.cjs so CJS and ESM share one class.
// Every js/node/*.cjs module (the chain's sources: credentials.cjs loads its siblings).
for (const f of (await import('node:fs')).readdirSync(join(root, 'js/node')).filter((n) => n.endsWith('.cjs'))) {
  copyFileSync(join(root, 'js/node', f), join(pkg, 'node', f));
}
write('node/index.cjs', `'use strict';
const w = require('./connect_chat_events.js');
const { withDefaults } = require('./client.cjs');
const { withNodeDefaults } = require('./credentials.cjs');
// Bodies of 1 KiB and more are hashed by Node's OpenSSL (several times faster than sha2 in wasm;
// the signature is the same). node:crypto is loaded on the first such body: it costs ~2.5 ms of
// cold start.
let crypto;
w.__setHostSha256((s) => (crypto ??= require('node:crypto')).createHash('sha256').update(s, 'utf8').digest('hex'));
const { nodeTransport } = require('./transport.cjs');
/** Node's defaults: credentials and region from the environment and ~/.aws (credentials.cjs), and the
 *  keep-alive node:http transport (transport.cjs) unless the caller gives \`fetch\`. */
function nodeDefaults(config) {
  const c = withNodeDefaults(config);
  if (c === null || typeof c !== 'object') return c;
  let fetch;
  try { fetch = c.fetch; } catch { return c; } // a throwing getter: the constructor reports it
  if (fetch !== undefined && fetch !== null) return c;
  // An override on top of the caller's object, which stays the prototype (getters and all).
  return Object.create(c, { fetch: { value: nodeTransport, enumerable: true } });
}
/** ConnectChatClient with Node's defaults. */
const ConnectChatClient = withDefaults(w.ConnectChatClient, nodeDefaults);
module.exports = {
${API.map((n) => (n === 'ConnectChatClient' ? '  ConnectChatClient' : n === 'chatEventRules' ? '  chatEventRules: w.chatEventRules()' : `  ${n}: w.${n}`)).join(',\n')},
};
`);
write('node/index.mjs',
  `import m from './index.cjs';\nexport const { ${names} } = m;\n`);

// Browsers without a bundler: fetch the .wasm beside this file (streamed, cacheable).
write('web/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
write('web/index.js',
  `import init, { ${glueImports} } from './connect_chat_events.js';\n` +
  `await init({ module_or_path: new URL('./connect_chat_events_bg.wasm', import.meta.url) });\n` +
  esmExports);

// Bundlers, workers and other runtimes: the wasm travels inside the JS, so no asset handling is needed.
const wasm = readFileSync(join(pkg, 'web/connect_chat_events_bg.wasm'));
write('inline/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
// The bytes as a JS string, one character per byte, ASCII-only source: printable ASCII as is, the
// rest as \xNN. Brotli/gzip see the module's own structure (not base64's 6-bit shuffle): ~13% smaller
// compressed than base64 for this wasm, and bundlers keep the escapes as they are.
const wasmString = (bytes) => {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + '"';
};
/** An entry that instantiates the wasm in `./wasm.js` (a string from `wasmString`). */
const inlineEntry = (names, exportsText) =>
  `import init, { ${names} } from '../web/connect_chat_events.js';\n` +
  `import bin from './wasm.js';\n` +
  `const bytes = new Uint8Array(bin.length);\n` +
  `for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n` +
  `await init({ module_or_path: bytes });\n` +
  exportsText;
write('inline/wasm.js', `export default ${wasmString(wasm)};\n`);
write('inline/index.js', inlineEntry(glueImports, esmExports));

// `connect-chat-events/client`: ConnectChatClient alone, over the same web glue and wasm (one
// build serves every browser entry; the client entry keeps its own copy of the bytes so that a
// bundle of it needs nothing from inline/).
const clientExport = `export { ConnectChatClient };\n`;
mkdirSync(join(pkg, 'client'), { recursive: true });
write('client/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
copyFileSync(join(pkg, 'web/connect_chat_events_bg.wasm'), join(pkg, 'client/connect_chat_events_bg.wasm'));
write('client/index.js',
  `import init, { ConnectChatClient } from '../web/connect_chat_events.js';\n` +
  `await init({ module_or_path: new URL('./connect_chat_events_bg.wasm', import.meta.url) });\n` +
  clientExport);
write('client/wasm.js', `export default ${wasmString(wasm)};\n`);
write('client/inline.js', inlineEntry('ConnectChatClient', clientExport));
write('node/client-entry.cjs', `'use strict';\nmodule.exports = { ConnectChatClient: require('./index.cjs').ConnectChatClient };\n`);
write('node/client-entry.mjs', `import m from './index.cjs';\nexport const { ConnectChatClient } = m;\n`);

// Types: one hand-written source, as ESM and CJS declarations.
const dts = readFileSync(join(root, 'js/index.d.ts'), 'utf8');
write('index.d.ts', dts);
// connect-chat-events/transport (Node only): the default Node transport, for other limits.
const transportDts = readFileSync(join(root, 'js/transport.d.ts'), 'utf8');
write('transport.d.ts', transportDts);
write('transport.d.cts', transportDts);
write('node/transport.mjs', "import m from './transport.cjs';\nexport const { createNodeTransport, nodeTransport, NetworkError } = m;\n");
write('index.d.cts', dts);
// The client entry's declarations: the class and every type, none of the other functions.
const typeNames = [...dts.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
const clientDts = (from) => `export { ConnectChatClient } from '${from}';\nexport type { ${typeNames.join(', ')} } from '${from}';\n`;
write('client/index.d.ts', clientDts('../index.js'));
write('client/index.d.cts', clientDts('../index.cjs'));

const inline = { types: './index.d.ts', default: './inline/index.js' };
const clientInline = { types: './client/index.d.ts', default: './client/inline.js' };
const manifest = {
  name: 'connect-chat-events',
  version,
  description: 'Validate, serialize, SigV4-sign and send Amazon Connect SendChatIntegrationEvent requests from Node and browsers (Rust + WebAssembly).',
  license: 'Apache-2.0',
  keywords: ['aws', 'amazon-connect', 'chat', 'sigv4', 'sms', 'wasm'],
  engines: { node: '>=18' },
  sideEffects: ['./web/index.js', './inline/index.js', './client/index.js', './client/inline.js'],
  main: './node/index.cjs',
  module: './inline/index.js',
  types: './index.d.ts',
  exports: {
    '.': {
      node: {
        import: { types: './index.d.ts', default: './node/index.mjs' },
        require: { types: './index.d.cts', default: './node/index.cjs' },
      },
      browser: inline,
      worker: inline,
      workerd: inline,
      deno: inline,
      default: inline,
    },
    './web': { types: './index.d.ts', default: './web/index.js' },
    './client': {
      node: {
        import: { types: './client/index.d.ts', default: './node/client-entry.mjs' },
        require: { types: './client/index.d.cts', default: './node/client-entry.cjs' },
      },
      browser: clientInline,
      worker: clientInline,
      workerd: clientInline,
      deno: clientInline,
      default: clientInline,
    },
    './client/web': { types: './client/index.d.ts', default: './client/index.js' },
    './transport': {
      node: {
        import: { types: './transport.d.ts', default: './node/transport.mjs' },
        require: { types: './transport.d.cts', default: './node/transport.cjs' },
      },
    },
    './server': './server/emulator.mjs',
    './package.json': './package.json',
  },
  files: ['index.d.ts', 'index.d.cts', 'transport.d.ts', 'transport.d.cts', 'node/', 'web/', 'inline/', 'client/', 'bin/', 'server/', 'www/', 'README.md', 'LICENSE'],
};
// The local endpoint (`npx connect-chat-events serve`) and the admin console it serves.
for (const [from, to] of [['js/bin', 'bin'], ['js/server', 'server'], ['www', 'www']]) {
  if (existsSync(join(root, from))) cpSync(join(root, from), join(pkg, to), { recursive: true });
}
if (existsSync(join(root, 'js/bin/connect-chat-events.mjs'))) {
  manifest.bin = { 'connect-chat-events': './bin/connect-chat-events.mjs' };
}
write('package.json', JSON.stringify(manifest, null, 2) + '\n');
copyFileSync(join(root, 'README.md'), join(pkg, 'README.md'));
if (existsSync(join(root, 'LICENSE'))) copyFileSync(join(root, 'LICENSE'), join(pkg, 'LICENSE'));
console.error(`[build] pkg/ assembled: connect-chat-events@${version}, wasm ${wasm.length} bytes` +
  (process.env.WASM_OPT_RAN === '1' ? ' (wasm-opt -Oz)' : ' (not optimized)'));
