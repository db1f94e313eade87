#!/usr/bin/env node
// connect-chat-events: the package's command line. `serve` runs the local Amazon Connect endpoint.
import { startServer, LOCAL_CREDENTIALS, DEFAULT_PORT, DEFAULT_REGION, EMULATOR_ROUTES, mask } from '../server/emulator.mjs';
import { parseStreamingEndpoint, checkRetryPolicy, DEFAULT_RETRY_POLICY } from '../server/streaming.mjs';

/** The inspection routes' column: as wide as the longest method and path. */
const ROUTE_WIDTH = Math.max(...EMULATOR_ROUTES.map((r) => r.method.length + 1 + r.path.length)) + 2;

const HELP = `connect-chat-events serve — a local Amazon Connect endpoint for SendChatIntegrationEvent (not AWS)

Usage:
  connect-chat-events serve [options]
  connect-chat-events --help

Options:
  --host HOST                 interface to bind (default 127.0.0.1; anything else exposes the endpoint)
  --port PORT                 port (default ${DEFAULT_PORT}; 0 picks a free one)
  --region REGION             the region requests must be signed for (default ${DEFAULT_REGION})
  --access-key-id ID          accept this key pair instead of the local test pair; repeat with
  --secret-access-key KEY       --secret-access-key for several pairs (secrets are never printed)
  --session-token TOKEN       require this session token with the preceding key pair
                              (before any --access-key-id: with the local test pair)
  --state FILE                keep chats in FILE (checksummed JSON lines, fsync'ed before each response,
                              compacted on start and after a reset; created with mode 0600)
  --cors-origin ORIGIN        send CORS headers to this origin and let it use the inspection API
                              (repeatable; '*' for any)
  --allow-host NAME[:PORT]    also answer requests whose Host is NAME:PORT (repeatable); by default only
                              127.0.0.1, localhost, [::1] (and --host) with this port, against DNS rebinding
  --max-chats N               keep at most N chats; past it the earliest-ended chat is forgotten first,
                              then the oldest active one (default: no cap)
  --max-subscribers N         open event streams at most (default 32); a subscriber that leaves 64 KiB
                              unread is disconnected
  --fault-throttle-rate R     answer this share of requests (0..1) with 429 ThrottlingException
  --fault-error-rate R        answer this share with 500 InternalServiceException
  --fault-drop-rate R         drop this share of connections without a response
  --latency-ms MS             delay every SendChatIntegrationEvent response by MS
  --seed SEED                 seed of the fault injection PRNG (number or text), for replayable runs
  --headers-timeout-ms MS     close connections whose request headers take longer (default 10000)
  --request-timeout-ms MS     close connections whose whole request takes longer (default 30000)
  --keep-alive-timeout-ms MS  close idle keep-alive connections after MS (default 5000)
  --max-connections N         open connections at most; past it the oldest idle one is closed
                              (default 4096, less when the open-files limit is lower)
  --streaming-endpoint TOPIC_ARN=URL
                              message streaming: a chat whose StreamingConfiguration names this SNS
                              topic POSTs each transcript item to URL as an SNS HTTP notification
                              (repeatable; an ARN not mapped is recorded as "streaming requested,
                              no subscriber")
  --streaming-retry-policy JSON
                              SNS HTTP/S healthyRetryPolicy for those deliveries, delays in seconds
                              (default ${JSON.stringify({ numRetries: DEFAULT_RETRY_POLICY.numRetries, minDelayTarget: DEFAULT_RETRY_POLICY.minDelayTarget, maxDelayTarget: DEFAULT_RETRY_POLICY.maxDelayTarget })}, as SNS)
  --streaming-timeout-ms MS   a delivery attempt with no answer within MS fails (default 15000)
  --quiet                     no per-request log lines
  -h, --help                  this help

With no flags it accepts the documented local test key pair (public, useless against AWS):
  accessKeyId      ${LOCAL_CREDENTIALS.accessKeyId}
  secretAccessKey  ${LOCAL_CREDENTIALS.secretAccessKey}

AWS operation:
  POST /chat-integration-event     SendChatIntegrationEvent, SigV4 (service 'connect') verified exactly

Inspection API (not AWS):
${EMULATOR_ROUTES.map((r) => `  ${(r.method + ' ' + r.path).padEnd(ROUTE_WIDTH)}${r.description}`).join('\n')}
  Writes (POST, PUT) need 'Content-Type: application/json' or 'X-Emulator-Request: 1', so a web page on
  another site cannot send them; a browser Origin other than this endpoint's own or a --cors-origin is refused.

Also served: the admin console at /, and this package's files at /pkg/ (e.g. /pkg/web/index.js).
Stops cleanly on Ctrl-C (SIGINT) or SIGTERM. Docs: docs/local-endpoint.md in the repository.
`;

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { corsOrigins: [], allowHosts: [], credentials: [], faults: {}, quiet: false, streamingEndpoints: [] };
  let localToken;
  const take = (i, name) => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`${name} needs a value`);
    return v;
  };
  const rate = (v, name) => {
    const n = Number(v);
    if (v === '' || !(n >= 0 && n <= 1)) throw new UsageError(`${name} must be a number from 0 to 1, got '${v}'`);
    return n;
  };
  const integer = (v, name, min, max) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline;
    if (a.startsWith('--') && a.includes('=')) {
      inline = a.slice(a.indexOf('=') + 1);
      a = a.slice(0, a.indexOf('='));
    }
    const value = () => {
      if (inline !== undefined) return inline;
      const v = take(i, a);
      i += 1;
      return v;
    };
    switch (a) {
      case '-h': case '--help': opts.help = true; break;
      case '--quiet': opts.quiet = true; break;
      case '--host': opts.host = value(); break;
      case '--port': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`--port must be 0..65535, got '${v}'`);
        opts.port = n;
        break;
      }
      case '--region': {
        const v = value();
        if (!/^[a-z0-9-]{1,64}$/.test(v)) throw new UsageError(`--region looks wrong: '${v}'`);
        opts.region = v;
        break;
      }
      case '--access-key-id': opts.credentials.push({ accessKeyId: value() }); break;
      case '--secret-access-key': {
        const last = opts.credentials.at(-1);
        if (!last || last.secretAccessKey !== undefined) throw new UsageError('--secret-access-key must follow an --access-key-id');
        last.secretAccessKey = value();
        break;
      }
      case '--session-token': {
        const last = opts.credentials.at(-1);
        if (last) last.sessionToken = value();
        else localToken = value();
        break;
      }
      case '--state': opts.stateFile = value(); break;
      case '--cors-origin': opts.corsOrigins.push(value()); break;
      case '--allow-host': {
        const v = value();
        if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(v)) throw new UsageError(`--allow-host needs a host name, IP or [IPv6], optionally with :PORT; got '${v}'`);
        opts.allowHosts.push(v);
        break;
      }
      case '--max-chats': opts.maxChats = integer(value(), a, 1, 100_000_000); break;
      case '--max-subscribers': opts.maxSubscribers = integer(value(), a, 0, 100_000); break;
      case '--fault-throttle-rate': opts.faults.throttleRate = rate(value(), a); break;
      case '--fault-error-rate': opts.faults.errorRate = rate(value(), a); break;
      case '--fault-drop-rate': opts.faults.dropRate = rate(value(), a); break;
      case '--latency-ms': case '--fault-latency-ms': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 60000) throw new UsageError(`${a} must be an integer from 0 to 60000, got '${v}'`);
        opts.faults.latencyMs = Number(v);
        break;
      }
      case '--seed': opts.seed = value(); break;
      case '--headers-timeout-ms': opts.headersTimeoutMs = integer(value(), a, 0, 3_600_000); break;
      case '--request-timeout-ms': opts.requestTimeoutMs = integer(value(), a, 0, 3_600_000); break;
      case '--keep-alive-timeout-ms': opts.keepAliveTimeoutMs = integer(value(), a, 0, 3_600_000); break;
      case '--streaming-endpoint': {
        const v = value();
        try {
          parseStreamingEndpoint(v);
        } catch (e) {
          throw new UsageError(e.message);
        }
        opts.streamingEndpoints.push(v);
        break;
      }
      case '--streaming-retry-policy': {
        const v = value();
        try {
          opts.streamingRetryPolicy = checkRetryPolicy(JSON.parse(v));
        } catch (e) {
          throw new UsageError(`--streaming-retry-policy: ${e instanceof SyntaxError ? `not JSON (${e.message})` : e.message}`);
        }
        break;
      }
      case '--streaming-timeout-ms': opts.streamingTimeoutMs = integer(value(), a, 1, 3_600_000); break;
      case '--max-connections': opts.maxConnections = integer(value(), a, 1, 1_000_000); break;
      default: throw new UsageError(`unknown option '${argv[i]}'`);
    }
  }
  for (const c of opts.credentials) {
    if (c.secretAccessKey === undefined) throw new UsageError(`--access-key-id ${c.accessKeyId} needs a --secret-access-key`);
  }
  if (opts.credentials.length === 0) {
    opts.credentials.push({ ...LOCAL_CREDENTIALS, ...(localToken !== undefined ? { sessionToken: localToken } : {}) });
  } else if (localToken !== undefined) {
    throw new UsageError('--session-token before the first --access-key-id applies to the local test pair, which is not used when key pairs are given');
  }
  if (opts.seed !== undefined && /^\d+$/.test(opts.seed)) opts.seed = Number(opts.seed);
  return opts;
}

function describeCredentials(creds) {
  return creds.map((c) => {
    const local = c.accessKeyId === LOCAL_CREDENTIALS.accessKeyId && c.secretAccessKey === LOCAL_CREDENTIALS.secretAccessKey;
    const lines = [`  accessKeyId:      ${c.accessKeyId}${local ? '   (the local test pair: public, not valid on AWS)' : ''}`,
      `  secretAccessKey:  ${local ? c.secretAccessKey : mask(c.secretAccessKey)}`];
    if (c.sessionToken) lines.push(`  sessionToken:     ${mask(c.sessionToken)} (required)`);
    return lines.join('\n');
  }).join('\n');
}

async function serve(argv) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`connect-chat-events serve: ${e.message}\nRun 'connect-chat-events --help' for the options.\n`);
      process.exit(2);
    }
    throw e;
  }
  if (opts.help) {
    process.stdout.write(HELP);
    return;
  }
  const log = opts.quiet ? () => {} : (line) => process.stderr.write(`[serve] ${new Date().toISOString()} ${line}\n`);
  let app;
  try {
    app = await startServer({ ...opts, log });
  } catch (e) {
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(`connect-chat-events serve: port ${opts.port ?? DEFAULT_PORT} on ${opts.host ?? '127.0.0.1'} is in use; ` +
        'choose another with --port (0 picks a free one).\n');
      process.exit(3);
    }
    process.stderr.write(`connect-chat-events serve: ${e.message}\n`);
    process.exit(1);
  }
  const { url } = app;
  const host = opts.host ?? '127.0.0.1';
  const faults = app.state.faults.toJSON();
  const out = [
    'connect-chat-events local endpoint: Amazon Connect SendChatIntegrationEvent for local development (not AWS)',
    `listening on ${url}`,
    `  region:           ${app.region}   (sign for service 'connect')`,
    `  endpoint:         ${url}   (POST /chat-integration-event)`,
    `  console:          ${url}/`,
    `  inspection API:   ${url}/_emulator/   (chats, events, reset, faults)`,
    'credentials it accepts:',
    describeCredentials(opts.credentials),
  ];
  if (opts.stateFile) out.push(`  state file:       ${opts.stateFile} (${app.state.store.loaded.lines} record(s) loaded` +
    `${app.state.store.loaded.tornBytes ? `, torn last line of ${app.state.store.loaded.tornBytes} bytes ignored` : ''})`);
  for (const { topicArn, url: to } of app.state.streaming.info().endpoints) out.push(`  streaming:        ${topicArn} → ${to}`);
  if (opts.corsOrigins.length) out.push(`  CORS origins:     ${opts.corsOrigins.join(', ')}`);
  if (opts.allowHosts.length) out.push(`  extra hosts:      ${opts.allowHosts.join(', ')}`);
  if (opts.maxChats) out.push(`  chats kept:       ${opts.maxChats} at most (ended ones forgotten first)`);
  if (faults.throttleRate || faults.errorRate || faults.dropRate || faults.latencyMs) {
    out.push(`  faults:           ${JSON.stringify(faults)}`);
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) {
    out.push(`  WARNING: bound to ${host}; other machines can reach this endpoint.`);
  }
  out.push('Press Ctrl-C to stop.');
  process.stdout.write(out.join('\n') + '\n');

  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    app.close().then(() => {
      process.stdout.write('stopped\n');
      process.exit(0);
    }, (e) => {
      process.stderr.write(`error while stopping: ${e.message}\n`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'serve') {
  await serve(rest);
} else if (cmd === undefined || cmd === '-h' || cmd === '--help' || cmd === 'help') {
  process.stdout.write(HELP);
  if (cmd === undefined) process.exitCode = 2;
} else {
  process.stderr.write(`connect-chat-events: unknown command '${cmd}'. Run 'connect-chat-events --help'.\n`);
  process.exit(2);
}
