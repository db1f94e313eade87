'use strict';
// `credential_process`: runs the profile's command through the shell (as the AWS CLI and SDK do),
// with a timeout, and reads its JSON output (Version 1). Neither its output nor its stderr is ever
// repeated in an error: they may hold secrets.

const { spawn } = require('node:child_process');

const TIMEOUT_MS = 60000;
const MAX_OUTPUT = 1 << 20;

/** The command's stdout; on a timeout its whole process group is killed (a shell's children too). */
function run(command, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(command, { shell: true, env, stdio: ['ignore', 'pipe', 'ignore'], detached: process.platform !== 'win32', windowsHide: true });
    } catch (e) {
      reject(new Error(`the command could not run (${e.code || 'error'})`));
      return;
    }
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (fn, v) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(v);
    };
    const kill = () => {
      try { process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    };
    const timer = setTimeout(() => {
      kill();
      settle(reject, new Error(`the command timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (c) => {
      size += c.length;
      if (size > MAX_OUTPUT) {
        kill();
        settle(reject, new Error('the command printed over 1 MiB'));
      } else {
        chunks.push(c);
      }
    });
    child.on('error', (e) => settle(reject, new Error(`the command could not run (${e.code || 'error'})`)));
    child.on('close', (code, signal) => {
      if (code === 0) settle(resolve, Buffer.concat(chunks).toString('utf8'));
      else settle(reject, new Error(code !== null ? `the command exited with code ${code}` : `the command was killed (${signal})`));
    });
  });
}

/** Credentials from `command`'s standard output. */
async function fromProcess(command, ctx) {
  const out = await run(command, ctx.env, ctx.timeouts?.process ?? TIMEOUT_MS);
  let data;
  try {
    data = JSON.parse(out);
  } catch {
    throw new Error('the command did not print JSON');
  }
  if (data === null || typeof data !== 'object') throw new Error('the command did not print a JSON object');
  if (data.Version !== 1) throw new Error('the command did not return Version 1');
  if (typeof data.AccessKeyId !== 'string' || !data.AccessKeyId || typeof data.SecretAccessKey !== 'string' || !data.SecretAccessKey) {
    throw new Error('the command returned no AccessKeyId and SecretAccessKey');
  }
  const creds = { accessKeyId: data.AccessKeyId, secretAccessKey: data.SecretAccessKey };
  if (typeof data.SessionToken === 'string' && data.SessionToken) creds.sessionToken = data.SessionToken;
  if (data.Expiration !== undefined) {
    const exp = new Date(data.Expiration);
    if (Number.isNaN(exp.getTime())) throw new Error('the command returned an Expiration that is not a date');
    if (exp.getTime() <= Date.now()) throw new Error('the command returned expired credentials');
    creds.expiration = exp;
  }
  if (typeof data.AccountId === 'string' && data.AccountId) creds.accountId = data.AccountId;
  return creds;
}

module.exports = { fromProcess };
