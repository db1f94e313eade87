// Shared pieces of the benchmarks: the input at each size, the stubbed network for each contender,
// the Node-crypto floor, and small statistics/formatting helpers. Nothing here touches the network.
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const root = join(benchDir, '..');
export const pkgDir = join(root, 'pkg');
/** Resolves packages from bench/node_modules (the pinned comparison packages). */
export const benchRequire = createRequire(join(benchDir, 'package.json'));

export const REGION = 'us-east-1';
export const CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDEXAMPLEBENCH0001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
});
export const ENDPOINT = `https://connect.${REGION}.amazonaws.com`;
export const URL_ = `${ENDPOINT}/chat-integration-event`;

/** The response every stub returns (what Connect answers when an event starts a chat). */
export const RESPONSE_BODY = '{"InitialContactId":"c","NewChatCreated":true}';
export const RESPONSE_BYTES = new TextEncoder().encode(RESPONSE_BODY);
export const RESPONSE_HEADERS = Object.freeze({ 'content-type': 'application/json', 'x-amzn-requestid': 'r' });

export const SIZES = [64, 1024, 16384];
export const sizeLabel = (n) => (n >= 1024 ? `${n / 1024} KiB` : `${n} B`);

/** ASCII, SMS-like text of exactly `n` bytes (deterministic). */
export function content(n) {
  const words = 'Hi, my order 4411 has not arrived yet. Could you check the delivery status and tell me when it ships? Thanks! ';
  let s = '';
  while (s.length < n) s += words;
  return s.slice(0, n);
}

/** A SendChatIntegrationEvent input for an SMS MESSAGE with `n` bytes of content (valid under strict rules). */
export function makeInput(n) {
  return {
    SourceId: '+14155550100',
    DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
    Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: content(n) },
    NewSessionDetails: {
      SupportedMessagingContentTypes: ['text/plain'],
      ParticipantDetails: { DisplayName: 'Customer' },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Stubbed responses. Each request gets a fresh response object (bodies are single-use); the header
// container and body bytes are built once and shared, for every contender alike.

const sharedHeaders = new Headers(RESPONSE_HEADERS);
/** A minimal `Response`-like object: what our client reads (status, headers iterable, text()). */
export const stubFetchLite = async (_url, _init) => ({
  status: 200,
  ok: true,
  headers: sharedHeaders,
  text: async () => RESPONSE_BODY,
});
/** A real WHATWG `Response` per call (what a real `fetch` hands back; includes undici's cost). */
export const stubFetchReal = async (_url, _init) =>
  new Response(RESPONSE_BODY, { status: 200, headers: RESPONSE_HEADERS });

// ---------------------------------------------------------------------------------------------
// Contenders. Each factory returns `{ send(input) → Promise, close() }`.

let oursModule;
export async function loadOurs() {
  // Through the package's exports map (`node` + `import`) — bench/node_modules/connect-chat-events → ../pkg.
  // CCE_BENCH_BUILD=inline measures the browser build instead (size profile, small allocator),
  // loaded from the package's inline/ entry, which runs in Node too.
  oursModule ??= process.env.CCE_BENCH_BUILD === 'inline'
    ? await import(pathToFileURL(join(pkgDir, 'inline', 'index.js')).href)
    : await import('connect-chat-events');
  return oursModule;
}

export async function makeOurs(fetch = stubFetchLite) {
  const { ConnectChatClient } = await loadOurs();
  const client = new ConnectChatClient({ region: REGION, credentials: CREDENTIALS, fetch });
  return { send: (input) => client.sendChatIntegrationEvent(input), close: () => client.free() };
}

let sdkModules;
export async function loadSdk() {
  if (!sdkModules) {
    // The SDK warns about Node 20 on load; keep the report readable.
    process.removeAllListeners('warning');
    process.on('warning', (w) => { if (!/NodeVersionSupportWarning/.test(`${w.name} ${w.message}`)) console.warn(w); });
    const sdk = await import(pathToFileURL(benchRequire.resolve('@aws-sdk/client-connect')).href);
    // HttpResponse from the same @smithy/core the client uses.
    const sdkRequire = createRequire(benchRequire.resolve('@aws-sdk/client-connect'));
    const protocols = await import(pathToFileURL(sdkRequire.resolve('@smithy/core/protocols')).href);
    sdkModules = { ...sdk, HttpResponse: protocols.HttpResponse };
  }
  return sdkModules;
}

export async function makeSdk() {
  const { ConnectClient, SendChatIntegrationEventCommand, HttpResponse } = await loadSdk();
  const client = new ConnectClient({
    region: REGION,
    credentials: { ...CREDENTIALS }, // the SDK tags the object it is given
    requestHandler: {
      // The SDK reads `body` with its stream collector; a Uint8Array is collected as is.
      handle: async (_request) => ({
        response: new HttpResponse({ statusCode: 200, headers: { ...RESPONSE_HEADERS }, body: RESPONSE_BYTES }),
      }),
    },
  });
  return {
    send: (input) => client.send(new SendChatIntegrationEventCommand(input)),
    close: () => client.destroy(),
  };
}

export async function makeAws4fetch() {
  const { AwsClient } = await import(pathToFileURL(benchRequire.resolve('aws4fetch')).href);
  const aws = new AwsClient({ ...CREDENTIALS, region: REGION, service: 'connect' });
  return {
    send: (input) =>
      aws.sign(URL_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) }),
    close: () => {},
  };
}

/**
 * The floor: only SigV4's hashing with a cached signing key, on Node's OpenSSL, plus JSON.stringify.
 * Same canonical request shape as ours (content-type, host, x-amz-date signed; payload hash included).
 */
export function makeFloor(now = () => new Date()) {
  const date = now().toISOString().slice(0, 10).replace(/-/g, '');
  const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
  const kDate = hmac('AWS4' + CREDENTIALS.secretAccessKey, date);
  const kSigning = hmac(hmac(hmac(kDate, REGION), 'connect'), 'aws4_request');
  const scope = `${date}/${REGION}/connect/aws4_request`;
  const host = `connect.${REGION}.amazonaws.com`;
  const sign = (input) => {
    const body = JSON.stringify(input);
    const amzDate = now().toISOString().replace(/[-:]|\.\d{3}/g, '');
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const canonical = `POST\n/chat-integration-event\n\ncontent-type:application/json\nhost:${host}\nx-amz-date:${amzDate}\n\ncontent-type;host;x-amz-date\n${payloadHash}`;
    const sts = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = createHmac('sha256', kSigning).update(sts).digest('hex');
    return { body, signature };
  };
  return { send: async (input) => sign(input), signSync: sign, close: () => {} };
}

export const CONTENDERS = {
  ours: { label: 'ours: sendChatIntegrationEvent (stub fetch, Response-like)', make: () => makeOurs(stubFetchLite) },
  oursReal: { label: 'ours, stub fetch returning a real `new Response`', make: () => makeOurs(stubFetchReal) },
  sdk: { label: '@aws-sdk/client-connect send() (stub handler)', make: makeSdk },
  aws4fetch: { label: 'aws4fetch sign() only', make: makeAws4fetch },
  floor: { label: 'floor: node:crypto SigV4 hashing + JSON.stringify', make: async () => makeFloor() },
};

// ---------------------------------------------------------------------------------------------
// Statistics and formatting.

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export const fmt = (x, d = 1) => (x >= 100 ? x.toFixed(0) : x.toFixed(d));
export const fmtInt = (n) => Math.round(n).toLocaleString('en-US');

/** Renders a Markdown table (the same text goes to the terminal and into BENCHMARKS.md). */
export function table(head, rows) {
  const all = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => '| ' + r.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  return [line(all[0]), '|' + w.map((n) => '-'.repeat(n + 2)).join('|') + '|', ...all.slice(1).map(line)].join('\n');
}

export function versions() {
  const v = (name) => {
    try {
      return JSON.parse(readFileSync(join(benchDir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      return 'missing';
    }
  };
  return {
    ours: v('connect-chat-events'),
    sdk: v('@aws-sdk/client-connect'),
    aws4fetch: v('aws4fetch'),
    esbuild: v('esbuild'),
  };
}
