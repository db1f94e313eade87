// One runtime-matrix cell, the same code in every runtime (workerd, Next.js route handlers, @edge-runtime/vm):
// given the package module as that runtime's user imported it, it validates, signs the SigV4 suite's get-vanilla
// vector, sends one event through a stub fetch and, when given an endpoint, to the local Connect endpoint.
// It returns plain JSON; the Node side (harness.mjs) asserts on it. Web APIs only: no Node built-ins.

export const VALID_INPUT = Object.freeze({
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'héllo 👋 from the edge' },
});

// tests/fixtures/sigv4/get-vanilla (the AWS SigV4 test suite).
const VANILLA = {
  request: { method: 'GET', url: 'https://example.amazonaws.com/' },
  options: {
    region: 'us-east-1', service: 'service', signingDate: '2015-08-30T12:36:00Z', applyChecksum: false,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  },
};

// The key pair the stub fetch sees signed with (never sent anywhere).
export const STUB_CREDENTIALS = Object.freeze({ accessKeyId: 'AKIDSTUBCELL0001', secretAccessKey: 'stub-cell-secret-not-for-aws' });
// docs/local-endpoint.md: the documented local test key pair.
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'AKIDLOCALCONNECT0001', secretAccessKey: 'local-connect-secret-key-not-for-aws' });

// Whether this runtime compiles wasm from bytes (Node: yes; workerd, Vercel's edge, the VM here: no).
function wasmCodegen() {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return 'allowed';
  } catch (e) {
    return /disallowed/.test(e?.message) ? 'refused' : `error: ${e?.message}`;
  }
}

const errorJson = (e) => ({ name: e?.name, message: e?.message, status: e?.$metadata?.httpStatusCode });

async function send(m, config, input) {
  try {
    const client = new m.ConnectChatClient({ region: 'us-east-1', maxAttempts: 1, ...config });
    return { output: await client.sendChatIntegrationEvent(input) };
  } catch (e) {
    return { error: errorJson(e) };
  }
}

/**
 * m: the imported module (namespace). Options: endpoint (the local endpoint's URL, or none),
 * sourceId (the SourceId of the event sent there: a new chat per cell), clientOnly (m is
 * connect-chat-events/client: only ConnectChatClient is there).
 */
export async function runCell(m, { endpoint, sourceId, clientOnly = false } = {}) {
  // Which runtime ran the cell: workerd's navigator.userAgent, the edge runtime's EdgeRuntime global, Node's version.
  const runtime = {
    userAgent: typeof navigator === 'object' ? navigator.userAgent ?? null : null,
    edgeRuntime: typeof EdgeRuntime === 'string' ? EdgeRuntime : null,
    node: globalThis.process?.versions?.node ?? null,
    wasmCodegen: wasmCodegen(),
  };
  const out = { exports: Object.keys(m).sort(), runtime };
  try {
    if (!clientOnly) {
      out.validation = m.validateChatIntegrationEvent(VALID_INPUT);
      out.invalid = m.validateChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'FOO' } }).issues.map((i) => `${i.path}:${i.code}`);
      out.body = m.serializeChatIntegrationEvent(VALID_INPUT);
      out.signature = m.signRequest(VANILLA.request, VANILLA.options).signature;
    }
    // The stub fetch: records what the client sent, answers like Connect.
    const seen = [];
    const stub = async (url, init) => {
      const body = typeof init.body === 'string' ? init.body : new TextDecoder().decode(init.body);
      seen.push({ url: String(url), method: init.method, headers: Object.fromEntries(new Headers(init.headers)), body });
      return new Response(JSON.stringify({ InitialContactId: 'stub-contact-1', NewChatCreated: true }),
        { status: 200, headers: { 'content-type': 'application/json', 'x-amzn-RequestId': 'stub-request-1' } });
    };
    out.stub = { ...(await send(m, { credentials: STUB_CREDENTIALS, fetch: stub }, VALID_INPUT)), requests: seen };
    if (endpoint) out.local = await send(m, { endpoint, credentials: LOCAL_CREDENTIALS }, { ...VALID_INPUT, SourceId: sourceId ?? VALID_INPUT.SourceId });
  } catch (e) {
    out.error = { ...errorJson(e), stack: String(e?.stack ?? '').split('\n').slice(0, 6).join('\n') };
  }
  return out;
}

/** A fetch handler's answer: runs the cell with ?endpoint= and ?sourceId= from the request URL. */
export async function cellResponse(m, request, { clientOnly = false } = {}) {
  const q = new URL(request.url).searchParams;
  const out = await runCell(m, { endpoint: q.get('endpoint') || undefined, sourceId: q.get('sourceId') || undefined, clientOnly });
  return new Response(JSON.stringify(out), { headers: { 'content-type': 'application/json' } });
}
