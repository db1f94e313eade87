// Runs credentials scenarios in child processes against the local fakes (support/cred-fakes.mjs).
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { appDir } from './app.mjs';
import { startSts, startSso, startContainer, startImds, startConnect, keys } from './cred-fakes.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** Starts every fake once; `reset()` clears their records and configuration between scenarios. */
export async function startFakes() {
  const f = { sts: await startSts(), sso: await startSso(), container: await startContainer(), imds: await startImds(), connect: await startConnect() };
  f.reset = () => {
    for (const s of [f.sts, f.sso, f.container, f.imds, f.connect]) {
      s.requests.length = 0;
      s.oracleFrom = undefined;
    }
    f.sts.roles = {};
    f.sso.roles = {};
    f.sso.accessToken = undefined;
    f.container.paths = {};
    f.container.authorization = undefined;
    f.container.delayMs = 0;
    f.imds.role = undefined;
    f.imds.credentials = undefined;
    f.imds.delayMs = 0;
  };
  f.close = () => Promise.all([f.sts, f.sso, f.container, f.imds, f.connect].map((s) => s.close()));
  return f;
}

/** The file name `aws sso login` caches a token under: sha1 of the session name or start URL. */
export const ssoCacheName = (id) => `${createHash('sha1').update(id).digest('hex')}.json`;

/**
 * Runs one scenario: `files` (path under HOME → text, or (home) => text), `env` (or (home) => env),
 * `spec` (support/cred-child.mjs), `redirect` (link-local host → local port). Nothing of the
 * parent's environment reaches the child but PATH and the app dir. Resolves the child's JSON plus
 * `home` and `stdout`.
 */
export function runScenario(fakes, { files = {}, env = {}, spec = {}, redirect } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'cce-cred-home-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(home, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, typeof text === 'function' ? text(home) : text, { mode: 0o700 });
  }
  const childEnv = {
    PATH: process.env.PATH,
    HOME: home,
    CCE_APP_DIR: appDir,
    CCE_TEST_CONNECT_URL: fakes.connect.url,
    CCE_TEST_SPEC: JSON.stringify(spec),
    CCE_TEST_FAKES: JSON.stringify([fakes.sts.url, fakes.sso.url, fakes.container.url, fakes.imds.url]),
    AWS_REGION: 'us-east-1',
    // Instance metadata is our fake unless a scenario says otherwise (never the network).
    AWS_EC2_METADATA_SERVICE_ENDPOINT: fakes.imds.url,
    ...(typeof env === 'function' ? env(home) : env),
  };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const args = [];
  if (redirect) {
    childEnv.CCE_TEST_REDIRECT = JSON.stringify(redirect);
    args.push('--require', join(here, 'cred-redirect.cjs'));
  }
  args.push(join(here, 'cred-child.mjs'));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: childEnv, cwd: home, timeout: 60000, encoding: 'utf8' }, (err, stdout, stderr) => {
      rmSync(home, { recursive: true, force: true });
      if (err) return reject(new Error(`scenario child failed: ${err.message}\n${stderr}`));
      try {
        resolve({ ...JSON.parse(stdout.trim().split('\n').pop()), home, stdout, stderr });
      } catch {
        reject(new Error(`scenario child printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}

/** Every secret the fakes know (for "never in an error" checks). */
export const allSecrets = () => [...keys.values()].flatMap((k) => [k.secretAccessKey, k.sessionToken]).filter(Boolean);
