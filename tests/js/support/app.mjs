// The package as a user gets it: scripts/test.sh packs pkg/ with `npm pack`, installs the tarball
// into an empty folder and points CCE_APP_DIR there. Tests import it from that folder only.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { root } from './tools.mjs';

function ensureApp() {
  if (process.env.CCE_APP_DIR && existsSync(join(process.env.CCE_APP_DIR, 'node_modules/connect-chat-events'))) {
    return process.env.CCE_APP_DIR;
  }
  // Fallback for running one test file by hand: pack and install now.
  const dir = mkdtempSync(join(tmpdir(), 'cce-app-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  const tgz = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', dir, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', join(dir, tgz)], { cwd: dir });
  process.env.CCE_APP_DIR = dir;
  return dir;
}

export const appDir = ensureApp();
export const pkgDir = join(appDir, 'node_modules', 'connect-chat-events');
export const requireFromApp = createRequire(join(appDir, 'package.json'));

/** `import * from 'connect-chat-events'` from inside the installed app, through the exports map. */
export async function importPackage() {
  const entry = join(appDir, 'reexport.mjs');
  if (!existsSync(entry)) writeFileSync(entry, "export * from 'connect-chat-events';\n");
  return import(pathToFileURL(entry).href);
}
