// Starts `connect-chat-events serve --port 0` from the installed package (as a user would run it) and
// resolves to its URL, read from the `listening on http://127.0.0.1:PORT` line it prints.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pkgDir } from './app.mjs';

export const LOCAL_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDLOCALCONNECT0001',
  secretAccessKey: 'local-connect-secret-key-not-for-aws',
});

export async function startServe(args = []) {
  const bin = join(pkgDir, 'bin', 'connect-chat-events.mjs');
  if (!existsSync(bin)) throw new Error(`the installed package has no ${bin}: is js/bin in the build?`);
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--host', '127.0.0.1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 15 s\nstdout: ${stdout}\nstderr: ${stderr}`)), 15000);
    const check = () => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return {
    url,
    child,
    output: () => ({ stdout, stderr }),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
