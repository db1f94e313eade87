// Types of `connect-chat-events/server`: the local Amazon Connect endpoint (Node only).
// docs/local-endpoint.md describes the behaviour; js/server/emulator.mjs is the implementation.
import type { Server } from 'node:http';

/** An access key pair the endpoint accepts. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Fault injection, each rate between 0 and 1. */
export interface FaultSettings {
  throttleRate?: number;
  errorRate?: number;
  dropRate?: number;
  latencyMs?: number;
}

/** SNS `healthyRetryPolicy` for message streaming deliveries (seconds). */
export interface StreamingRetryPolicy {
  numRetries?: number;
  numNoDelayRetries?: number;
  minDelayTarget?: number;
  maxDelayTarget?: number;
  numMinDelayRetries?: number;
  numMaxDelayRetries?: number;
  backoffFunction?: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

/** Options of `startServer`; all optional. */
export interface ServerOptions {
  /** Address to bind: `127.0.0.1` by default. */
  host?: string;
  /** 8787 by default; 0 for any free port. */
  port?: number;
  /** `us-east-1` by default. */
  region?: string;
  /** Accepted key pairs; by default the documented local test pair (`LOCAL_CREDENTIALS`). */
  credentials?: LocalCredentials[];
  /** A journal file: chats survive restarts and crashes (every acknowledged write is on disk). */
  stateFile?: string;
  /** Origins allowed by CORS (`'*'` for any); none by default. */
  corsOrigins?: string[];
  faults?: FaultSettings;
  /** Seed of the fault injection's random numbers. */
  seed?: number;
  /** The admin console's files (default: the package's www/). */
  wwwDir?: string;
  /** Receives one line per request and event (secrets masked). */
  log?: (line: string) => void;
  /** The server clock in milliseconds (default `Date.now`). */
  now?: () => number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  keepAliveTimeoutMs?: number;
  maxConnections?: number;
  /** Extra Host header values to answer (besides 127.0.0.1, localhost, [::1] and the bound host). */
  allowHosts?: string[];
  /** Past this many chats the earliest-ended (else the oldest) is forgotten. */
  maxChats?: number;
  /** Cap on open event streams (default 32). */
  maxSubscribers?: number;
  /** SNS topic ARN → local subscriber URL, as an object or `'ARN=URL'` strings. */
  streamingEndpoints?: Record<string, string> | string[];
  streamingRetryPolicy?: StreamingRetryPolicy;
  streamingTimeoutMs?: number;
}

/** A running endpoint. */
export interface RunningServer {
  /** `http://127.0.0.1:PORT`: pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly region: string;
  /** The endpoint's internal state (inspection only; its shape may change between versions). */
  readonly state: unknown;
  readonly server: Server;
  /** Stops accepting, ends event streams and open connections, flushes and closes the state file. */
  close(): Promise<void>;
}

/** Starts the local endpoint. */
export function startServer(options?: ServerOptions): Promise<RunningServer>;

/** The documented local test key pair: public values, accepted only by this local endpoint. */
export const LOCAL_CREDENTIALS: Readonly<{ accessKeyId: string; secretAccessKey: string }>;
export const DEFAULT_PORT: number;
export const DEFAULT_REGION: string;
/** Largest accepted request body (1 MiB). */
export const MAX_BODY_BYTES: number;
export const DEFAULT_HEADERS_TIMEOUT_MS: number;
export const DEFAULT_REQUEST_TIMEOUT_MS: number;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS: number;
export const MAX_SSE_BACKLOG_BYTES: number;
export const DEFAULT_MAX_SUBSCRIBERS: number;
export const MAX_PENDING_RESPONSE_BYTES: number;
/** The package root (node_modules/connect-chat-events when installed). */
export const PACKAGE_ROOT: string;
/** A secret as the logs show it: its length, never its characters. */
export function mask(secret: string | undefined | null): string;
/** Default connection cap: 4096, less when the open-files limit is lower. */
export function defaultMaxConnections(): number;
/** The inspection API's routes, as the `--help` text and `/_emulator/info` list them. */
export const EMULATOR_ROUTES: ReadonlyArray<{ method: string; path: string; description: string }>;
