// Runtime matrix (issue 15), TypeScript: `tsc --strict` on a typed use of every subpath (`.`, `./web`,
// `./client`, `./client/web`, the `./iife` global, `./server`, `./transport`) against the installed tarball,
// in `module: nodenext` as ESM and as CommonJS, and with `moduleResolution: bundler`. Each file asserts its
// imports are not `any` and carries an `@ts-expect-error` that must be needed (tsc flags an unused one), so a
// missing or loose declaration fails. One tsc run per mode; each file's errors fail its own test.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, installApp, run, tarball, writeArtifact } from '../matrix/web/support/pkg.mjs';
import { bin, root, toolsDir } from './support/tools.mjs';

const SOURCES = join(root, 'tests', 'matrix', 'web', 'types');
const FILES = readdirSync(SOURCES).filter((f) => f.endsWith('.ts')).sort();
const SUBPATH = { 'root.ts': '.', 'web.ts': './web', 'client.ts': './client', 'client-web.ts': './client/web', 'iife.ts': './iife (global)',
  'server.ts': './server', 'transport.ts': './transport' };
const MODES = {
  'nodenext, ESM': { type: 'module', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, files: FILES },
  'nodenext, CommonJS': { type: 'commonjs', compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext' }, files: FILES },
  // `./transport` is Node-only (its one condition is `node`), which the bundler resolution does not set.
  'moduleResolution bundler': { type: 'module', compilerOptions: { module: 'esnext', moduleResolution: 'bundler' },
    files: FILES.filter((f) => f !== 'transport.ts') },
};

let app;
const outputs = {};
const results = [];
before(async () => {
  app = await installApp('types');
  // The three runs one after the other: each tsc is a full program check (the machine has 2 cores).
  for (const [mode, { type, compilerOptions, files }] of Object.entries(MODES)) {
    const dir = join(app.dir, `types-${mode.replace(/[^a-z]+/gi, '-')}`);
    mkdirSync(dir, { recursive: true });
    for (const f of files) cpSync(join(SOURCES, f), join(dir, f));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ private: true, type }));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'],
        // The package's declarations are checked too; TypeScript's own lib files are not (a third of the time).
        skipLibCheck: false, skipDefaultLibCheck: true,
        // A Node project's @types/node (the ./server and ./transport declarations use node:http types).
        typeRoots: [join(toolsDir, 'node_modules', '@types')], types: ['node'], ...compilerOptions },
      files,
    }));
    try {
      await run(bin('tsc'), ['-p', dir, '--pretty', 'false'], { cwd: dir, timeout: 90_000 });
      outputs[mode] = '';
    } catch (e) {
      outputs[mode] = `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e);
    }
  }
  const { source, sha256 } = await tarball();
  writeArtifact('matrix-web-types.json', { tarball: source, sha256, outputs });
});
after(() => cleanup());

for (const [mode, { files }] of Object.entries(MODES)) {
  describe(`runtime matrix: tsc --strict, ${mode}`, () => {
    for (const file of files) {
      test(`${SUBPATH[file]} (${file})`, () => {
        const out = outputs[mode];
        assert.equal(typeof out, 'string', 'tsc ran');
        const mine = out.split('\n').filter((l) => l.startsWith(`${file}(`));
        results.push({ mode, file, errors: mine });
        assert.deepEqual(mine, [], `tsc errors in ${file}:\n${mine.join('\n')}`);
        // An error tsc could not pin on a file (a config problem) fails every file.
        const elsewhere = out.split('\n').filter((l) => /error TS\d+/.test(l) && !FILES.some((f) => l.startsWith(`${f}(`)));
        assert.deepEqual(elsewhere, [], `tsc errors outside the example files:\n${elsewhere.join('\n')}`);
      });
    }
  });
}
