// Resolves the test-only npm tools installed by scripts/setup.sh into .tools/ (oracles, esbuild, tsc, playwright).
import { createRequire } from 'node:module';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const toolsDir = join(root, '.tools');
const req = createRequire(join(toolsDir, 'package.json'));

/** Imports an npm package from .tools/node_modules (ESM or CJS). */
export async function tool(name) {
  return import(pathToFileURL(req.resolve(name)).href);
}
/** Path to a tool's binary in .tools/node_modules/.bin. */
export const bin = (name) => join(toolsDir, 'node_modules', '.bin', name);
