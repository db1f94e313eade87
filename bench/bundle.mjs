// Browser bundle size of an entry that uses only the client, from each library: esbuild
// (platform browser, format esm, bundle, minify), then raw / gzip -9 / brotli q11 bytes.
//
//   node bench/bundle.mjs [--json-out file] [--keep dir]
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync, brotliCompressSync, constants as z } from 'node:zlib';
import { benchDir, benchRequire, pkgDir, table, fmtInt } from './common.mjs';

const ENTRIES = {
  ours: {
    label: 'ours: `connect-chat-events` (exports `browser` → inline/, wasm as an escaped string in the JS)',
    code: `import { ConnectChatClient } from 'connect-chat-events';\nglobalThis.c = ConnectChatClient;\n`,
  },
  oursWeb: {
    label: 'ours: `connect-chat-events/web` (JS glue) + the .wasm file it fetches',
    code: `import { ConnectChatClient } from 'connect-chat-events/web';\nglobalThis.c = ConnectChatClient;\n`,
    extraFile: join(pkgDir, 'web', 'connect_chat_events_bg.wasm'),
  },
  oursClient: {
    label: 'ours: `connect-chat-events/client` (ConnectChatClient alone; browser → inline/client.js, wasm in the JS)',
    code: `import { ConnectChatClient } from 'connect-chat-events/client';\nglobalThis.c = ConnectChatClient;\n`,
  },
  oursClientWeb: {
    label: 'ours: `connect-chat-events/client/web` (JS glue) + the .wasm it fetches (the same web build)',
    code: `import { ConnectChatClient } from 'connect-chat-events/client/web';\nglobalThis.c = ConnectChatClient;\n`,
    extraFile: join(pkgDir, 'web', 'connect_chat_events_bg.wasm'),
  },
  sdk: {
    label: '@aws-sdk/client-connect (ConnectClient + SendChatIntegrationEventCommand)',
    code: `import { ConnectClient, SendChatIntegrationEventCommand } from '@aws-sdk/client-connect';\nglobalThis.c = [ConnectClient, SendChatIntegrationEventCommand];\n`,
  },
  aws4fetch: {
    label: 'aws4fetch (AwsClient)',
    code: `import { AwsClient } from 'aws4fetch';\nglobalThis.c = AwsClient;\n`,
  },
};

export const sizes = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, {
    params: { [z.BROTLI_PARAM_QUALITY]: 11, [z.BROTLI_PARAM_SIZE_HINT]: buf.length, [z.BROTLI_PARAM_MODE]: z.BROTLI_MODE_GENERIC },
  }).length,
});
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });

export async function runBundle({ keep } = {}) {
  const esbuild = benchRequire('esbuild');
  const out = keep ?? mkdtempSync(join(tmpdir(), 'cce-bundle-'));
  mkdirSync(out, { recursive: true });
  const res = { esbuild: esbuild.version };
  try {
    for (const [k, e] of Object.entries(ENTRIES)) {
      const outfile = join(out, `${k}.js`);
      const r = await esbuild.build({
        // Entries resolve from bench/, so `connect-chat-events` goes through pkg/'s exports map.
        stdin: { contents: e.code, resolveDir: benchDir, loader: 'js', sourcefile: `${k}-entry.js` },
        bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
        outfile, metafile: true, logLevel: 'error', legalComments: 'none',
      });
      const js = sizes(readFileSync(outfile));
      const inputs = Object.keys(r.metafile.inputs);
      const entry = { label: e.label, js, inputs: inputs.length };
      if (e.extraFile) {
        entry.wasm = sizes(readFileSync(e.extraFile));
        entry.total = add(js, entry.wasm);
      } else {
        entry.total = js;
      }
      if (k === 'ours') entry.resolvedTo = inputs.filter((p) => p.includes('connect-chat-events') || p.includes('pkg/'));
      res[k] = entry;
    }
  } finally {
    if (!keep) rmSync(out, { recursive: true, force: true });
  }
  return res;
}

export function renderBundle(res) {
  const rows = [];
  const row = (label, s) => rows.push([label, fmtInt(s.raw), fmtInt(s.gzip), fmtInt(s.brotli)]);
  row(res.ours.label, res.ours.total);
  row(res.oursWeb.label + ' — total', res.oursWeb.total);
  row('  └ web/ JS glue, minified', res.oursWeb.js);
  row('  └ connect_chat_events_bg.wasm', res.oursWeb.wasm);
  row(res.oursClient.label, res.oursClient.total);
  row(res.oursClientWeb.label + ' — total', res.oursClientWeb.total);
  row('  └ client/ JS glue, minified', res.oursClientWeb.js);
  row('  └ web/connect_chat_events_bg.wasm (the same file)', res.oursClientWeb.wasm);
  row(res.sdk.label, res.sdk.total);
  row(res.aws4fetch.label, res.aws4fetch.total);
  const out = [`Browser bundle (esbuild ${res.esbuild}: platform browser, format esm, bundle, minify; gzip -9, brotli q11), bytes:\n`];
  out.push(table(['bundle', 'raw', 'gzip', 'brotli'], rows));
  out.push(`\nours (browser condition) bundled: ${res.ours.resolvedTo.map((p) => p.replace(/.*?(pkg\/|connect-chat-events\/)/, 'pkg/')).join(', ')}`);
  return out.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { 'json-out': { type: 'string' }, keep: { type: 'string' } } });
  const res = await runBundle({ keep: values.keep });
  if (values['json-out']) writeFileSync(values['json-out'], JSON.stringify(res, null, 2));
  console.log(renderBundle(res));
}
