// Writes the npm package's own files around the wasm-bindgen output (pkg/web/, target/node-glue/):
// one entry per runtime, each loading the same glue its own way, then package.json (the exports
// map, most specific condition first), the types, README and licence.
//
// | entry                 | runtime                               | how the wasm arrives                        |
// |-----------------------|---------------------------------------|---------------------------------------------|
// | workerd/              | Cloudflare Workers (wrangler)         | `import … from '….wasm'` (a compiled module)|
// | edge/                 | Next.js / Vercel edge (`edge-light`)  | `import … from '….wasm?module'`             |
// | inline/               | browsers, workers, Deno, bundlers     | bytes in the JS, compiled synchronously     |
// | node/                 | Node, Bun, Next.js nodejs routes      | bytes in the JS (base64), no fs: bundlers follow it |
// | web/                  | `<script type=module>` without bundler| fetched beside the glue (streamed, cached)  |
// | iife/                 | classic scripts, classic workers      | the inline entry as one script (global)     |
//
// Every entry but web/ initializes synchronously (no top-level await), so `require()`, classic
// scripts, IIFE bundles and workerd (which forbids wasm compilation from bytes) all work.
import { readFileSync, writeFileSync, copyFileSync, mkdirSync, existsSync, cpSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = join(root, 'pkg');
const nodeGlue = join(root, 'target', 'node-glue');
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)[1];
// esbuild (a build tool, scripts/setup.sh) turns ES modules into CommonJS and the IIFE script.
const esbuild = createRequire(join(root, '.tools', 'build', 'package.json'))('esbuild');

/** The public API; every entry exports exactly these names (`./client` only the first). */
export const API = [
  'ConnectChatClient',
  'validateChatIntegrationEvent',
  'serializeChatIntegrationEvent',
  'signRequest',
  'resolveEndpoint',
  'chatEventRules',
];
const write = (rel, text) => {
  mkdirSync(dirname(join(pkg, rel)), { recursive: true });
  writeFileSync(join(pkg, rel), text);
};
const typeModule = JSON.stringify({ type: 'module' }, null, 2) + '\n';

// ---------------------------------------------------------------------------------------------
// ES module entries over pkg/web/connect_chat_events.js (browsers, workers, Deno, workerd, edge)

// Every public name is a wasm-bindgen export (src/wasm/); `chatEventRules` is the frozen object
// the export of that name returns, computed once the module is initialized.
const wasmNames = API.filter((n) => n !== 'chatEventRules');
const fullApi = (glue) =>
  `import { ${wasmNames.join(', ')}, chatEventRules as rules } from '${glue}';\n` +
  `export { ${wasmNames.join(', ')} };\n` +
  `export const chatEventRules = /* @__PURE__ */ rules();\n`;
const clientApi = (glue) => `export { ConnectChatClient } from '${glue}';\n`;
/** An entry: its init module first (imports run in order), then the names. */
const entry = (init, api) => `import '${init}';\n${api}`;

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
const webWasm = readFileSync(join(pkg, 'web/connect_chat_events_bg.wasm'));

write('web/package.json', typeModule);
// web/: fetch the .wasm beside the glue (streaming compile, cacheable). The only asynchronous entry.
const webInit = `import init from './connect_chat_events.js';\n` +
  `await init({ module_or_path: new URL('./connect_chat_events_bg.wasm', import.meta.url) });\n`;
write('web/init.js', webInit);
write('web/index.js', entry('./init.js', fullApi('./connect_chat_events.js')));
write('web/client.js', entry('./init.js', clientApi('./connect_chat_events.js')));

// inline/: the bytes travel inside the JS; a synchronous compile (browsers allow it off and on
// the main thread for modules this size; Deno and bundlers need nothing else).
write('inline/package.json', typeModule);
write('inline/wasm.js', `export default ${wasmString(webWasm)};\n`);
write('inline/init.js',
  `import { initSync } from '../web/connect_chat_events.js';\n` +
  `import bin from './wasm.js';\n` +
  `const bytes = new Uint8Array(bin.length);\n` +
  `for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);\n` +
  `initSync({ module: bytes });\n`);
write('inline/index.js', entry('./init.js', fullApi('../web/connect_chat_events.js')));
write('inline/client.js', entry('./init.js', clientApi('../web/connect_chat_events.js')));

// workerd/: Cloudflare Workers compile no wasm from bytes; wrangler (and Miniflare) hand a `.wasm`
// import over as a compiled WebAssembly.Module.
write('workerd/package.json', typeModule);
write('workerd/init.js',
  `import { initSync } from '../web/connect_chat_events.js';\n` +
  `import module from '../web/connect_chat_events_bg.wasm';\n` +
  `initSync({ module });\n`);
write('workerd/index.js', entry('./init.js', fullApi('../web/connect_chat_events.js')));
write('workerd/client.js', entry('./init.js', clientApi('../web/connect_chat_events.js')));

// edge/: Next.js and Vercel edge functions load wasm the same way, spelled `?module`. Next's
// sandbox (and Vercel-style VMs) compile the module in the host realm, so it fails the glue's
// `instanceof WebAssembly.Module` check here and the glue would try to compile it again from
// "bytes" (refused: no wasm code generation). It is a genuine module: give it this realm's
// prototype, and `new WebAssembly.Instance` takes it as it is.
write('edge/package.json', typeModule);
write('edge/init.js',
  `import { initSync } from '../web/connect_chat_events.js';\n` +
  `import module from '../web/connect_chat_events_bg.wasm?module';\n` +
  `if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) === '[object WebAssembly.Module]') {\n` +
  `  Object.setPrototypeOf(module, WebAssembly.Module.prototype); // compiled in another realm\n` +
  `}\n` +
  `initSync({ module });\n`);
write('edge/index.js', entry('./init.js', fullApi('../web/connect_chat_events.js')));
write('edge/client.js', entry('./init.js', clientApi('../web/connect_chat_events.js')));

// iife/: classic `<script src>` and `importScripts()`: the inline entry as one script defining
// the global `ConnectChatEvents`.
await esbuild.build({
  entryPoints: [join(pkg, 'inline/index.js')], bundle: true, format: 'iife', globalName: 'ConnectChatEvents',
  platform: 'browser', target: 'es2020', outfile: join(pkg, 'iife/connect-chat-events.js'),
  legalComments: 'none', logLevel: 'error',
  banner: { js: `/* connect-chat-events ${version} — classic script: defines globalThis.ConnectChatEvents */` },
});

// ---------------------------------------------------------------------------------------------
// Node: CommonJS (one instance for require and import), the Node build of the wasm (speed)

write('node/package.json', JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');
/** An ES module (with its imports) as one CommonJS file. */
const toCjs = (from, to) => esbuild.buildSync({
  entryPoints: [from], bundle: true, format: 'cjs', platform: 'node', target: 'node18',
  outfile: join(pkg, to), legalComments: 'none', logLevel: 'error',
});
// The glue with its inline_js snippets; the wasm bytes as base64 in a module of their own, so a
// bundler (Next.js, webpack, esbuild --platform=node) carries them along with no asset rules.
toCjs(join(nodeGlue, 'connect_chat_events.js'), 'node/connect_chat_events.cjs');
write('node/wasm.cjs', `'use strict';\nmodule.exports = Buffer.from('${readFileSync(join(nodeGlue, 'connect_chat_events_bg.wasm')).toString('base64')}', 'base64');\n`);
toCjs(join(root, 'js/client.mjs'), 'node/client.cjs');
// Every js/node/*.cjs module (the credential chain's sources, the transport).
for (const f of readdirSync(join(root, 'js/node')).filter((n) => n.endsWith('.cjs'))) {
  copyFileSync(join(root, 'js/node', f), join(pkg, 'node', f));
}
write('node/index.cjs', `'use strict';
const w = require('./connect_chat_events.cjs');
w.initSync({ module: require('./wasm.cjs') });
const { withDefaults } = require('./client.cjs');
const { withNodeDefaults } = require('./credentials.cjs');
// Request bodies are hashed by Node's OpenSSL (the signature is the same). node:crypto is loaded on
// the first body hashed (~2.5 ms of cold start), and what it has decides, once: the one-shot
// crypto.hash (Node >= 20.12 / 21.7) takes every body (a 411-byte body costs 0.8 µs against ~3 µs for
// sha2 in wasm); without it createHash (1.7 µs a call) takes bodies from 1 KiB, smaller ones stay in wasm.
w.__setHostSha256(function firstBody(s) {
  const crypto = require('node:crypto');
  const oneShot = typeof crypto.hash === 'function';
  const hash = oneShot ? (t) => crypto.hash('sha256', t) : (t) => crypto.createHash('sha256').update(t, 'utf8').digest('hex');
  w.__setHostSha256(hash, oneShot ? 0 : 1024);
  return hash(s);
}, 0);
const { nodeTransport } = require('./transport.cjs');
// Bun's own fetch is fast (the node:http transport is for Node's undici fetch).
const useNodeTransport = typeof process.versions.bun !== 'string';
/** Node's defaults: credentials and region from the environment and ~/.aws (credentials.cjs), and the
 *  keep-alive node:http transport (transport.cjs) unless the caller gives \`fetch\`. */
function nodeDefaults(config) {
  const c = withNodeDefaults(config);
  if (!useNodeTransport || c === null || typeof c !== 'object') return c;
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
write('node/index.mjs', `import m from './index.cjs';\nexport const { ${API.join(', ')} } = m;\n`);
write('node/client.entry.cjs', `'use strict';\nmodule.exports = { ConnectChatClient: require('./index.cjs').ConnectChatClient };\n`);
write('node/client.entry.mjs', `import m from './index.cjs';\nexport const { ConnectChatClient } = m;\n`);
write('node/transport.mjs', "import m from './transport.cjs';\nexport const { createNodeTransport, nodeTransport, NetworkError } = m;\n");

// ---------------------------------------------------------------------------------------------
// Types: one hand-written source per subpath, as ESM (.d.ts: the package is "type": "module")
// and as CommonJS (.d.cts) declarations.

const dts = readFileSync(join(root, 'js/index.d.ts'), 'utf8');
write('index.d.ts', dts);
write('index.d.cts', dts);
// The client entry: the class and every type, none of the other functions.
const typeNames = [...dts.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]);
const clientDts = (from) => `export { ConnectChatClient } from '${from}';\nexport type { ${typeNames.join(', ')} } from '${from}';\n`;
write('client.d.ts', clientDts('./index.js'));
write('client.d.cts', clientDts('./index.cjs'));
const transportDts = readFileSync(join(root, 'js/transport.d.ts'), 'utf8');
write('transport.d.ts', transportDts);
write('transport.d.cts', transportDts);
// The classic script's global.
write('iife/connect-chat-events.d.ts',
  `// \`<script src=".../iife/connect-chat-events.js">\` defines this global.\n` +
  `import type * as api from '../index.js';\n` +
  `declare global {\n  const ConnectChatEvents: typeof api;\n}\nexport {};\n`);

// ---------------------------------------------------------------------------------------------
// package.json

/** The conditions of one subpath, most specific first (wrangler passes workerd *and* browser; Next
 *  passes edge-light and browser; Deno passes deno and node; Bun passes node). */
const conditions = ({ workerd, edge, inline, node, types, ctypes }) => ({
  workerd: { types, default: workerd },
  'edge-light': { types, default: edge },
  deno: { types, default: inline },
  worker: { types, default: inline },
  browser: { types, default: inline },
  node: {
    import: { types, default: node.import },
    require: { types: ctypes, default: node.require },
  },
  default: { types, default: inline },
});
const manifest = {
  name: 'connect-chat-events',
  version,
  description: 'Validate, serialize, SigV4-sign and send Amazon Connect SendChatIntegrationEvent requests from Node, browsers, workers and edge runtimes (Rust + WebAssembly).',
  license: 'Apache-2.0',
  keywords: ['aws', 'amazon-connect', 'chat', 'sigv4', 'sms', 'wasm', 'cloudflare-workers', 'edge'],
  type: 'module',
  engines: { node: '>=18' },
  // The init modules instantiate the wasm; everything else may be dropped when unused.
  sideEffects: ['./*/init.js', './iife/*.js', './node/*.cjs'],
  main: './node/index.cjs',
  module: './inline/index.js',
  types: './index.d.ts',
  exports: {
    '.': conditions({
      workerd: './workerd/index.js', edge: './edge/index.js', inline: './inline/index.js',
      node: { import: './node/index.mjs', require: './node/index.cjs' }, types: './index.d.ts', ctypes: './index.d.cts',
    }),
    './client': conditions({
      workerd: './workerd/client.js', edge: './edge/client.js', inline: './inline/client.js',
      node: { import: './node/client.entry.mjs', require: './node/client.entry.cjs' }, types: './client.d.ts', ctypes: './client.d.cts',
    }),
    // Browsers without a bundler that want the .wasm as its own (cached) file; elsewhere the
    // runtime's entry, so `connect-chat-events/web` works wherever it is imported.
    './web': conditions({
      workerd: './workerd/index.js', edge: './edge/index.js', inline: './web/index.js',
      node: { import: './node/index.mjs', require: './node/index.cjs' }, types: './index.d.ts', ctypes: './index.d.cts',
    }),
    './client/web': conditions({
      workerd: './workerd/client.js', edge: './edge/client.js', inline: './web/client.js',
      node: { import: './node/client.entry.mjs', require: './node/client.entry.cjs' }, types: './client.d.ts', ctypes: './client.d.cts',
    }),
    './iife': { types: './iife/connect-chat-events.d.ts', default: './iife/connect-chat-events.js' },
    './transport': {
      node: {
        import: { types: './transport.d.ts', default: './node/transport.mjs' },
        require: { types: './transport.d.cts', default: './node/transport.cjs' },
      },
    },
    './server': { types: './server/emulator.d.ts', default: './server/emulator.mjs' },
    './package.json': './package.json',
  },
  files: ['*.d.ts', '*.d.cts', 'node/', 'web/', 'inline/', 'workerd/', 'edge/', 'iife/', 'bin/', 'server/', 'www/', 'README.md', 'LICENSE'],
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
console.error(`[build] pkg/ assembled: connect-chat-events@${version}, web wasm ${webWasm.length} bytes` +
  (process.env.WASM_OPT_RAN === '1' ? ' (wasm-opt -Oz)' : ' (not optimized)'));
