// Helpers for the local endpoint tests: the server from the installed package (embedded or as the CLI),
// signed raw requests, and sample inputs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pkgDir, importPackage } from './app.mjs';

export const LOCAL = Object.freeze({
  accessKeyId: 'AKIDLOCALCONNECT0001',
  secretAccessKey: 'local-connect-secret-key-not-for-aws',
});
export const REGION = 'us-east-1';
export const PHONE_ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';
export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let counter = 0;
/** A fresh SMS chat key (a new customer number per call). */
export function smsChat() {
  counter += 1;
  const prefix = String(process.pid % 1000).padStart(3, '0');
  return { SourceId: `+1555${prefix}${String(counter).padStart(5, '0')}`, DestinationId: PHONE_ARN, Subtype: 'connect:sms' };
}
export const message = (text) => ({ Type: 'MESSAGE', ContentType: 'text/plain', Content: text });

export const api = await importPackage();
export const emulator = await import(pathToFileURL(join(pkgDir, 'server', 'emulator.mjs')).href);
export const BIN = join(pkgDir, 'bin', 'connect-chat-events.mjs');

/** Starts the endpoint in-process (from the installed package) on a free port. */
export async function startEmbedded(options = {}) {
  return emulator.startServer({ port: 0, ...options });
}

export function client(url, { credentials = LOCAL, region = REGION, fetch } = {}) {
  return new api.ConnectChatClient({ region, endpoint: url, credentials, ...(fetch ? { fetch } : {}) });
}

/**
 * Signs a POST /chat-integration-event with the package's signer; returns { url, init } for fetch.
 * `body` may be an object (JSON-encoded) or a string/Uint8Array sent as is.
 */
export function signedRequest(base, body, { credentials = LOCAL, region = REGION, service = 'connect', signingDate,
  headers = {}, path = '/chat-integration-event', applyChecksum = true } = {}) {
  const payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const signed = api.signRequest(
    { method: 'POST', url: base + path, headers: { 'content-type': 'application/json', ...headers }, body: payload },
    { region, service, credentials, ...(signingDate ? { signingDate } : {}), applyChecksum },
  );
  const h = { ...signed.headers };
  delete h.host; // fetch sets Host itself, to the same value
  return { url: signed.url, init: { method: 'POST', headers: h, body: payload }, signed };
}

/** fetch → { status, headers, json, text }. */
export async function send(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text, errorType: res.headers.get('x-amzn-errortype') };
}

/** Runs `connect-chat-events serve --port 0 ...args` from the installed package. */
export async function spawnServe(args = [], { env } = {}) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d) => { out.stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { out.stderr += d; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listening line within 15 s\n${out.stdout}\n${out.stderr}`)), 15000);
    const check = () => {
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`serve exited with ${code}\n${out.stdout}\n${out.stderr}`), { code, out }));
    });
  });
  return {
    url,
    child,
    out,
    exited,
    /** Sends a signal and resolves to { code, signal } when the process exits. */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI to completion (for --help and usage errors). */
export function runCli(args, { timeoutMs = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timeout: ${args.join(' ')}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Reads Server-Sent Events from a URL until `until(events)` is true; returns the events. */
export async function readSse(url, until, { timeoutMs = 5000, onOpen } = {}) {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events = [];
  try {
    const res = await fetch(url, { signal: ac.signal });
    if (res.headers.get('content-type')?.startsWith('text/event-stream') !== true) throw new Error('not an event stream');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    let opened = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const frame = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = { event: 'message', data: '' };
        for (const line of frame.split('\n')) {
          if (line.startsWith('event: ')) ev.event = line.slice(7);
          else if (line.startsWith('data: ')) ev.data += line.slice(6);
        }
        if (ev.data) {
          ev.data = JSON.parse(ev.data);
          events.push(ev);
        }
        if (!opened && ev.event === 'ready') {
          opened = true;
          await onOpen?.();
        }
      }
      if (until(events)) break;
    }
    ac.abort();
    return events;
  } finally {
    clearTimeout(timer);
  }
}
