// Types of `connect-chat-events/transport` (Node only): the keep-alive node:http/node:https
// transport that `ConnectChatClient` uses by default in Node, for callers who want other limits.

/** What the client hands a transport, in the shape of `fetch(url, init)`. */
export interface TransportInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** What a transport answers: the part of a `Response` the client reads. */
export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null; forEach(f: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

/** Assignable to `ConnectChatClient`'s `fetch` option; the client always passes a {@link TransportInit}. */
export type Transport = (url: string, init: RequestInit) => Promise<TransportResponse>;

export interface NodeTransportOptions {
  /** Connections per origin (default 50); further requests wait for one. */
  maxSockets?: number;
  /** TCP keep-alive probe delay in ms (default 1000). */
  keepAliveMsecs?: number;
  /** An idle pooled connection is closed after this many ms (default 4000). */
  idleTimeoutMs?: number;
  /** Larger response bodies fail the request (default 1 MiB). */
  maxResponseBytes?: number;
  /** Extra CA certificates (PEM) to trust, e.g. a local test server's. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
}

/** A connection failure (refused, reset, TLS); the client retries it. */
export class NetworkError extends Error {
  readonly name: 'NetworkError';
  /** The system or library error code (`ECONNRESET`, `ECONNREFUSED`, …). */
  readonly code?: string;
  /** The request went out on a kept-alive socket. */
  readonly reusedSocket: boolean;
  readonly cause?: unknown;
}

/** A keep-alive node:http/node:https transport with its own connection pool; pass it as `fetch`. */
export function createNodeTransport(options?: NodeTransportOptions): Transport;

/** The shared default transport of `ConnectChatClient` in Node. */
export const nodeTransport: Transport;
