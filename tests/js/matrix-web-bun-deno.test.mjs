// Runtime matrix (issue 15), Bun and Deno (npm `bun` and `deno`, installed by tests/matrix/web/install.sh):
// each runs a user's file in a project folder (package.json + node_modules with the tarball installed: by
// `bun add` for Bun, by npm for Deno), the way its users import npm packages there, and reports which
// exports-map entry it resolved. Every cell
// validates, signs the get-vanilla vector, sends through a stub fetch and sends to the local endpoint.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, BINARIES, installApp, run, startEndpoint, tarball, writeArtifact } from '../matrix/web/support/pkg.mjs';
import { CELL_SOURCE, cellOptions, checkCell } from '../matrix/web/support/cell.mjs';

const CLIENT_ONLY = { only: ['exports', 'stub', 'local'], exports: ['ConnectChatClient'] };

const esm = (spec) => `import * as m from '${spec}';
const opts = JSON.parse(${'globalThis.Deno ? Deno.args[0] : process.argv[2]'});
${CELL_SOURCE}
const out = await runCell(m, opts);
out.resolved = import.meta.resolve('${spec}');
console.log(JSON.stringify(out));
`;
const cjs = (spec) => `const m = require('${spec}');
const opts = JSON.parse(process.argv[2]);
${CELL_SOURCE}
runCell(m, opts).then((out) => { out.resolved = require.resolve('${spec}'); console.log(JSON.stringify(out)); });
`;

let endpoint;
let apps = {};
const results = [];
let home;
/** A private HOME and caches for the runtimes, inside the test's temporary folder. */
const runtimeEnv = () => ({ ...process.env, HOME: home, DENO_DIR: join(home, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1',
  BUN_INSTALL_CACHE_DIR: join(home, 'bun-cache'), DO_NOT_TRACK: '1' });
before(async () => {
  home = join((await tarball()).dir, 'runtime-home');
  mkdirSync(home, { recursive: true });
  // One install of the tarball per runtime: `bun add` for Bun, npm for Deno.
  const [bunApp, denoApp] = await Promise.all([installApp('bun', { installer: 'bun', env: runtimeEnv() }), installApp('deno')]);
  apps = { bun: bunApp, deno: denoApp };
  endpoint = await startEndpoint(denoApp);
});
after(async () => {
  await endpoint?.close();
  const { source, sha256 } = await tarball();
  writeArtifact('matrix-web-bun-deno.json', { tarball: source, sha256, cells: results });
  cleanup();
});

/** Runs one cell file in a runtime; the argument is the cell's options as JSON. */
async function cell(runtime, file, source, args, { spec, expectResolved, checks = {} }) {
  const app = apps[runtime];
  const record = { runtime, file, spec, ok: false };
  results.push(record);
  writeFileSync(join(app.dir, file), source);
  const opts = cellOptions(`${runtime} ${file}`, { endpoint: endpoint.url, only: checks.only });
  const env = runtimeEnv();
  let stdout;
  try {
    ({ stdout } = await run(BINARIES[runtime](), [...args, file, JSON.stringify(opts)], { cwd: app.dir, env, timeout: 45_000, maxBuffer: 8 << 20 }));
  } catch (e) {
    record.error = `${e.message}\n${e.stderr ?? ''}`.slice(0, 2000);
    throw e;
  }
  const out = JSON.parse(stdout.trim().split('\n').pop());
  record.version = out.runtime;
  record.resolved = out.resolved?.replace(/^.*node_modules\/connect-chat-events\//, '');
  assert.equal(record.resolved, expectResolved, `${runtime} resolved ${spec} to ${out.resolved}`);
  await checkCell(out, { endpoint: endpoint.url, ...checks });
  record.ok = true;
}

describe('runtime matrix: Bun', { concurrency: 2 }, () => {
  // `bun run` with --no-install: the package comes from node_modules, never fetched.
  const args = ['run', '--no-install'];
  test('bun · import connect-chat-events', { timeout: 60_000 }, () =>
    cell('bun', 'cell.mjs', esm('connect-chat-events'), args, { spec: '.', expectResolved: 'node/index.mjs' }));
  test('bun · require connect-chat-events', { timeout: 60_000 }, () =>
    cell('bun', 'cell.cjs', cjs('connect-chat-events'), args, { spec: '.', expectResolved: 'node/index.cjs' }));
  test('bun · import connect-chat-events/web', { timeout: 60_000 }, () =>
    cell('bun', 'cell-web.mjs', esm('connect-chat-events/web'), args, { spec: './web', expectResolved: 'node/index.mjs' }));
  test('bun · import connect-chat-events/client', { timeout: 60_000 }, () =>
    cell('bun', 'cell-client.mjs', esm('connect-chat-events/client'), args,
      { spec: './client', expectResolved: 'node/client.entry.mjs', checks: CLIENT_ONLY }));
});

describe('runtime matrix: Deno', { concurrency: 2 }, () => {
  // What a Deno user grants a script that talks to a local endpoint: the network to 127.0.0.1, nothing else.
  const net = () => `--allow-net=127.0.0.1:${new URL(endpoint.url).port}`;
  test('deno · import connect-chat-events (the "deno" condition)', { timeout: 60_000 }, () =>
    cell('deno', 'cell.mjs', esm('connect-chat-events'), ['run', '--no-prompt', net()], { spec: '.', expectResolved: 'inline/index.js' }));
  test('deno · import connect-chat-events/web (fetches its .wasm: needs read access to the package)', { timeout: 60_000 }, () =>
    cell('deno', 'cell-web.mjs', esm('connect-chat-events/web'), ['run', '--no-prompt', net(), `--allow-read=${apps.deno.pkgDir}`],
      { spec: './web', expectResolved: 'web/index.js' }));
  test('deno · import connect-chat-events/client', { timeout: 60_000 }, () =>
    cell('deno', 'cell-client.mjs', esm('connect-chat-events/client'), ['run', '--no-prompt', net()],
      { spec: './client', expectResolved: 'inline/client.js', checks: CLIENT_ONLY }));
  // Deno's require() resolves like Node's (conditions require, node), so a .cjs file gets the Node entry.
  test('deno · require connect-chat-events from a .cjs file (the "node" condition)', { timeout: 60_000 }, () =>
    cell('deno', 'cell.cjs', cjs('connect-chat-events'), ['run', '--no-prompt', net()], { spec: '.', expectResolved: 'node/index.cjs' }));
});
