// The runtime matrix's tools and the package under test: the tarball named by CCE_PKG_TGZ (test.sh
// exports it), installed with npm into a fresh folder per runtime, as a user of that runtime would.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { root } from '../../../js/support/tools.mjs';

export const run = promisify(execFile);
export const matrixTools = join(root, '.tools', 'matrix-web');
const mreq = createRequire(join(matrixTools, 'package.json'));
const modules = join(matrixTools, 'node_modules');

function need(path) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run bash tests/matrix/web/install.sh (scripts/setup.sh does)`);
  return path;
}

/** The runtimes' binaries, by path (install.sh makes no bin links). */
export const BINARIES = {
  node18: () => need(join(modules, 'node18', 'bin', 'node')),
  node22: () => need(join(modules, 'node22', 'bin', 'node')),
  node24: () => need(join(modules, 'node24', 'bin', 'node')),
  bun: () => need(join(modules, 'bun', 'bin', 'bun.exe')),
  deno: () => need(join(modules, '@deno', 'linux-x64-glibc', 'deno')),
};

/** Imports one of the matrix's npm tools (.tools/matrix-web/node_modules). */
export async function mtool(name) {
  need(join(modules, '.install-ok'));
  return import(pathToFileURL(mreq.resolve(name)).href);
}
export const mtoolVersion = (name) => JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;

/** The tarball under test, copied once per process so a newer one published meanwhile does not mix in. */
let snapshot;
export async function tarball() {
  if (snapshot) return snapshot;
  const dir = mkdtempSync(join(tmpdir(), 'cce-matrix-'));
  let src = process.env.CCE_PKG_TGZ;
  if (!src) {
    // By hand without test.sh: pack the built pkg/, as tests/js/support/app.mjs does.
    const { stdout } = await run('npm', ['pack', join(root, 'pkg'), '--pack-destination', dir, '--silent']);
    src = join(dir, stdout.trim().split('\n').pop());
  }
  const file = join(dir, 'connect-chat-events.tgz');
  copyFileSync(src, file);
  snapshot = { file, dir, source: src, sha256: createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16) };
  return snapshot;
}

/**
 * An empty project with the tarball installed into its node_modules (one per runtime): by npm, or with
 * `installer: 'bun'` by `bun add`, as Bun's users install packages (the tarball has no dependencies, so
 * neither asks a registry). Deno has no installer for a local tarball (`file:` is a folder to it): npm.
 */
export async function installApp(name, { installer = 'npm', env } = {}) {
  const { file, dir: base } = await tarball();
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `matrix-${name}`, private: true }, null, 2));
  if (installer === 'bun') {
    await run(BINARIES.bun(), ['add', file], { cwd: dir, env: env ?? process.env, timeout: 60_000 });
  } else {
    await run('npm', ['install', '--no-audit', '--no-fund', '--silent', '--offline', file], { cwd: dir, timeout: 60_000 });
  }
  const pkgDir = join(dir, 'node_modules', 'connect-chat-events');
  return { dir, pkgDir, pj: JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) };
}

/**
 * Resolves `subpath` of a package.json `exports` map for a list of conditions the way Node and the
 * bundlers do: the first key in object order that is active (or `default`) wins, recursively.
 */
export function resolveExport(pj, subpath, conditions) {
  const active = new Set([...conditions, 'default']);
  const pick = (target) => {
    if (typeof target === 'string' || target === null) return target;
    for (const [key, value] of Object.entries(target)) {
      if (!active.has(key)) continue;
      const hit = pick(value);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const entry = pj.exports?.[subpath];
  if (entry === undefined) throw new Error(`exports has no ${JSON.stringify(subpath)} (has ${Object.keys(pj.exports ?? {}).join(', ')})`);
  const hit = pick(entry);
  if (hit == null) throw new Error(`exports[${JSON.stringify(subpath)}] matches none of ${conditions.join(', ')}`);
  return hit.replace(/^\.\//, '');
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  }).sort();
}

/** The local endpoint, started as its users start it in tests: `startServer` from `connect-chat-events/server`. */
export async function startEndpoint(app, options = {}) {
  const entry = join(app.dir, 'matrix-server.mjs');
  writeFileSync(entry, "export { startServer } from 'connect-chat-events/server';\n");
  const { startServer } = await import(pathToFileURL(entry).href);
  return startServer({ host: '127.0.0.1', port: 0, ...options });
}

/** Writes artifacts/<name>.json (gitignored) for the report. */
export function writeArtifact(name, data) {
  mkdirSync(join(root, 'artifacts'), { recursive: true });
  writeFileSync(join(root, 'artifacts', name), `${JSON.stringify(data, null, 2)}\n`);
}

/** Removes this process's copy of the tarball and the projects installed from it. */
export function cleanup() {
  if (snapshot) rmSync(snapshot.dir, { recursive: true, force: true });
  snapshot = undefined;
}
