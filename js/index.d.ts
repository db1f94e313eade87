// Type declarations for connect-chat-events: the one source of truth for the package's types.
// Names follow the AWS API and the AWS JS SDK v3 (@aws-sdk/client-connect).

/** Allowed values of `Event.Type`. */
export type ChatEventType = 'DISCONNECT' | 'MESSAGE' | 'EVENT';

/** The chat action to perform. */
export interface ChatEvent {
  /** DISCONNECT, MESSAGE or EVENT. */
  Type: ChatEventType | undefined;
  /** Required for MESSAGE (e.g. `text/plain`) and EVENT (e.g. `application/vnd.amazonaws.connect.event.typing`). 1–100 characters. */
  ContentType?: string | undefined;
  /** Required for MESSAGE. At most 16,384 UTF-8 bytes. */
  Content?: string | undefined;
}

/** Contact properties applied when the event starts a new chat; ignored for an existing chat. */
export interface NewSessionDetails {
  /** Must contain `text/plain`. */
  SupportedMessagingContentTypes?: string[] | undefined;
  ParticipantDetails?: { DisplayName: string | undefined } | undefined;
  /** Keys: letters, digits, `-` and `_`; at most 32,768 UTF-8 bytes over all keys and values. */
  Attributes?: Record<string, string> | undefined;
  StreamingConfiguration?: { StreamingEndpointArn: string | undefined } | undefined;
}

/** Input of SendChatIntegrationEvent, as in `SendChatIntegrationEventCommandInput`. */
export interface SendChatIntegrationEventInput {
  /** External identifier of the customer; for SMS, an E.164 phone number. 1–255 characters. */
  SourceId: string | undefined;
  /** Chat system identifier; for SMS, an AWS End User Messaging phone-number ARN. 1–255 characters. */
  DestinationId: string | undefined;
  /** Channel classification, e.g. `connect:sms`. 1–100 characters. */
  Subtype?: string | undefined;
  Event: ChatEvent | undefined;
  NewSessionDetails?: NewSessionDetails | undefined;
}

/** `$metadata` of a response or a service error, as in the AWS JS SDK v3. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  cfId?: string;
  /** How many HTTP attempts the call made. */
  attempts: number;
  /** Milliseconds spent waiting between attempts. */
  totalRetryDelay: number;
}

/** Output of SendChatIntegrationEvent. */
export interface SendChatIntegrationEventOutput {
  /** Identifier of the chat contact; absent when no chat was active and the event did not start one. */
  InitialContactId?: string;
  /** Whether this event created a new chat contact. */
  NewChatCreated?: boolean;
  $metadata: ResponseMetadata;
}

/** Stable codes of validation issues. */
export type IssueCode =
  | 'type' | 'required' | 'length' | 'enum' | 'content-type' | 'bytes' | 'e164' | 'arn'
  | 'pattern' | 'contains' | 'unknown' | 'json' | 'encoding'
  | (string & {});

/** One validation problem: where, which rule, and a human message naming the limit. */
export interface ValidationIssue {
  /** e.g. `Event.Content`, `NewSessionDetails.Attributes.my-key`; `""` for the whole input. */
  path: string;
  code: IssueCode;
  message: string;
}

export interface ValidationResult {
  valid: boolean;
  issues: ValidationIssue[];
}

export interface ValidationOptions {
  /** Apply the documented service rules on top of the model's (default true). */
  strict?: boolean;
}

/** Thrown by `serializeChatIntegrationEvent` and rejected by `sendChatIntegrationEvent` for invalid input. */
export interface ChatEventValidationError extends Error {
  name: 'ChatEventValidationError';
  issues: ValidationIssue[];
  $fault: 'client';
}

/** Checks an input against every model constraint and (when strict) the documented rules. Never throws. */
export function validateChatIntegrationEvent(input: unknown, options?: ValidationOptions): ValidationResult;

/** The compact JSON body for an input; throws `ChatEventValidationError` when it is invalid. */
export function serializeChatIntegrationEvent(input: SendChatIntegrationEventInput, options?: ValidationOptions): string;

export interface AwsCredentialIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** When temporary credentials expire. */
  expiration?: Date;
}

/** The part of a `Response` the client reads from its transport. */
export interface ResponseLike {
  status: number;
  headers: { forEach(f: (value: string, name: string) => void): void } | { entries(): IterableIterator<[string, string]> };
  text(): Promise<string>;
}

/** An async credentials provider, in the shape of `@aws-sdk/credential-providers`. */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity> | AwsCredentialIdentity;

export interface SignableRequest {
  /** HTTP method; default `GET`. */
  method?: string;
  /** Absolute http(s) URL; its path is signed as it will be sent. */
  url: string;
  headers?: Record<string, string | number | ReadonlyArray<string>> | ReadonlyArray<readonly [string, string]> | Iterable<readonly [string, string]>;
  body?: string | Uint8Array | ArrayBuffer;
}

export interface SignOptions {
  region: string;
  service: string;
  credentials: AwsCredentialIdentity;
  /** Signing time; default now. */
  signingDate?: Date | string | number;
  /** Add and sign `x-amz-content-sha256` (default true). */
  applyChecksum?: boolean;
  /** URI-encode each path segment (default true; false only for S3). */
  uriEscapePath?: boolean;
  /** Remove dot segments and duplicate slashes (default true; false only for S3). */
  normalizePath?: boolean;
  /** Sign exactly these header names (lower-case; `host` is always signed), with no
   *  unsignable-header filter: for verifiers that name the headers they check. */
  signedHeaders?: string[];
}

export interface SignedRequest {
  method: string;
  url: string;
  /** Lower-case names, including `authorization`, `x-amz-date`, `host`, and `x-amz-security-token` with a session token. */
  headers: Record<string, string>;
  /** The canonical request, for debugging; the session token's value shows as `<redacted>`. */
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/** Signs any HTTP request with AWS Signature Version 4. Throws `SigningError` for bad input. */
export function signRequest(request: SignableRequest, options: SignOptions): SignedRequest;

export interface EndpointParameters {
  region?: string;
  useFipsEndpoint?: boolean;
  useDualstackEndpoint?: boolean;
  /** A custom endpoint, used as given (e.g. the local endpoint `http://127.0.0.1:8787`). */
  endpoint?: string | URL;
}

/** The endpoint URL of Amazon Connect for a configuration; throws `EndpointError` for a bad one. */
export function resolveEndpoint(params: EndpointParameters): string;

/** Retry modes, as in the AWS SDKs. */
export type RetryMode = 'standard' | 'adaptive' | 'off';

/** A logger in the shape of the AWS SDK's (`console` works). Every method is optional. */
export interface Logger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Any error a send can reject with: a service error, a `TimeoutError` (per-attempt timeout), a
 * network error from the transport (in Node a `NetworkError` with `code` and `cause`; elsewhere what `fetch` rejects with), each with `$metadata`.
 */
export type SendError = (ConnectServiceError | TimeoutError | (Error & { $metadata?: ResponseMetadata }));

export interface ConnectChatClientConfig extends EndpointParameters {
  /**
   * The signing region. Required in browsers; in Node, when omitted, taken from `AWS_REGION`,
   * `AWS_DEFAULT_REGION` or the profile's `region` in `~/.aws/config`.
   */
  region?: string;
  /**
   * An object, or an async provider in the shape of `@aws-sdk/credential-providers`. A provider's
   * result is cached and refreshed 5 minutes before its `expiration` (without one, it is kept);
   * concurrent sends share one refresh. Required in browsers; in Node, when omitted, the AWS JS
   * SDK v3's default chain: environment, the `~/.aws` profile (static keys, credential_process,
   * IAM Identity Center, assume-role, web identity), web identity from the environment (EKS IRSA),
   * the container endpoint (ECS, EKS Pod Identity), EC2 instance metadata (IMDSv2); see
   * docs/credentials.md. When nothing is found, or a configured source fails, sends reject with a
   * `CredentialsProviderError` naming the places looked at or the source that failed.
   */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Node only: the shared-file profile for the default chain and region (default `AWS_PROFILE` or `default`). */
  profile?: string;
  /**
   * The transport: a `fetch` to use instead of the default (Node: the package's keep-alive node:http
   * transport, `connect-chat-events/transport`; elsewhere the global `fetch`). It is called as
   * `fetch(url, { method, headers, body, signal })`, must honour `signal` for timeouts and aborts, and
   * may answer a `Response` or any object with `status`, `headers` (`forEach` or `entries`) and `text()`.
   */
  fetch?: (input: string, init: RequestInit) => Promise<Response | ResponseLike>;
  /**
   * Attempts per call, including the first (default 3; 1–100). With more than one, each request
   * carries a signed `amz-sdk-request: attempt=N; max=M` header. In browsers that header is part
   * of the CORS preflight's `Access-Control-Request-Headers`; the local endpoint
   * (`connect-chat-events serve`) and AWS allow it. Use `maxAttempts: 1` or `retryMode: 'off'` to
   * keep the preflight to `authorization, content-type, x-amz-date` (+ `x-amz-security-token`).
   *
   * SendChatIntegrationEvent has no idempotency token: a retry after a dropped connection, a
   * timeout or a 5xx may deliver an event twice. Choose `retryMode: 'off'` or a `shouldRetry`
   * hook if duplicates are worse than reported failures.
   */
  maxAttempts?: number;
  /**
   * `'standard'` (default): exponential back-off with full jitter (base 100 ms, 500 ms after
   * throttling, cap 20 s) and a per-client retry quota (500 tokens; 5 per throttling retry,
   * 10 per transient retry; refunded on success). `'adaptive'`: standard plus a client-side send
   * rate (CUBIC) shared by all calls of the client, which drops on throttling and recovers.
   * `'off'`: one attempt. Retried: ThrottlingException / 429, InternalServiceException,
   * 500/502/503/504, connection errors and per-attempt timeouts; never validation, access or
   * signature errors. A clock-skew rejection is corrected and re-sent once in every mode.
   */
  retryMode?: RetryMode;
  /**
   * Decides whether a failed attempt is retried, replacing the built-in classification (the
   * attempt limit and the retry quota still apply). `attempt` is the 1-based attempt that failed.
   * Called only when a retry is possible. Throwing (or rejecting) means no.
   */
  shouldRetry?: (error: SendError, attempt: number) => boolean | Promise<boolean>;
  /** Per-attempt timeout in milliseconds (fetch and body); a timed-out attempt is retried. Default: none. */
  requestTimeoutMs?: number;
  /** Sees each attempt (debug), each retry (info), clock corrections and quota exhaustion (warn). Never credentials. */
  logger?: Logger;
  /** Milliseconds added to the local clock when signing (default 0); corrected automatically on clock-skew errors. */
  systemClockOffset?: number;
}

export interface SendOptions {
  /** Aborts the call: the in-flight fetch and any back-off wait end at once with an `AbortError`. */
  abortSignal?: AbortSignal;
}

export interface SendManyOptions extends SendOptions {
  /** Sends in flight at once (default 10; 1–1000). */
  concurrency?: number;
}

/** One result of `sendChatIntegrationEvents`, as `Promise.allSettled` gives them. */
export type SendResult =
  | { status: 'fulfilled'; value: SendChatIntegrationEventOutput }
  | { status: 'rejected'; reason: SendError | ChatEventValidationError | AbortError | CredentialsProviderError };

/** A per-attempt timeout (`requestTimeoutMs`), surfaced when no retry is left. */
export interface TimeoutError extends Error {
  name: 'TimeoutError';
  $fault: 'client';
  $metadata: ResponseMetadata;
}

/** The call was aborted through `abortSignal`; `cause` is the signal's reason. */
export interface AbortError extends Error {
  name: 'AbortError';
  $metadata?: ResponseMetadata;
}

/** The credentials provider (or Node's default chain) failed; the message names what was looked at. */
export interface CredentialsProviderError extends Error {
  name: 'CredentialsProviderError';
  $fault: 'client';
  /** Node's default chain: each place looked at and why it gave nothing. */
  tried?: string[];
}

/** A service error, as the AWS JS SDK v3 throws it: `name` is the AWS error code. */
export interface ConnectServiceError extends Error {
  name: 'InvalidRequestException' | 'AccessDeniedException' | 'ResourceNotFoundException' | 'ThrottlingException'
    | 'InternalServiceException' | (string & {});
  Message?: string;
  $fault: 'client' | 'server';
  $metadata: ResponseMetadata;
  $retryable?: { throttling: boolean };
  /** The HTTP response, for debugging: status, headers and the start of the body. */
  $response: { statusCode: number; headers: Record<string, string>; body: string };
  /** For InvalidRequestException, the reason union when the service sends one. */
  Reason?: unknown;
}

/** Sends SendChatIntegrationEvent requests: validates, signs, calls `fetch`, retries. */
export class ConnectChatClient {
  constructor(config: ConnectChatClientConfig);
  /** The signing region. */
  readonly region: string;
  /** The resolved endpoint URL. */
  readonly endpoint: string;
  /** Attempts per call, including the first. */
  readonly maxAttempts: number;
  /** The retry mode. */
  readonly retryMode: RetryMode;
  /** Milliseconds added to the local clock when signing; kept across calls after a clock-skew correction. */
  readonly systemClockOffset: number;
  /** Validates (no request for invalid input), signs and sends one event, retrying as configured. */
  sendChatIntegrationEvent(input: SendChatIntegrationEventInput, options?: SendOptions): Promise<SendChatIntegrationEventOutput>;
  /**
   * Sends many events with at most `concurrency` in flight, sharing the client's retry quota, rate
   * limiter, credentials and signing-key cache. Never rejects for a failed item: each result is
   * settled, in input order. Rejects only for a bad argument (not an array, bad concurrency).
   */
  sendChatIntegrationEvents(inputs: Iterable<SendChatIntegrationEventInput>, options?: SendManyOptions): Promise<SendResult[]>;
  /** A redacted view: region, endpoint, retry settings, and what kind of credentials, never the keys. */
  toJSON(): { region: string; endpoint: string; credentials: string; retryMode: RetryMode; maxAttempts: number };
  /** Frees the wasm memory held by this client (optional; a FinalizationRegistry also does it). */
  free(): void;
}

/** The validation rules, for forms and consoles: the limits and the content-type lists the
 *  validator applies (the same values, from the same source). Frozen. */
export interface ChatEventRules {
  /** Largest `Event.Content`, in UTF-8 bytes. */
  readonly maxContentBytes: number;
  /** Largest `NewSessionDetails.Attributes`, in UTF-8 bytes over all keys and values. */
  readonly maxAttributesBytes: number;
  /** The `Event.Type` values. */
  readonly eventTypes: readonly string[];
  /** `Event.ContentType` values of a MESSAGE and of an EVENT. */
  readonly contentTypes: { readonly MESSAGE: readonly string[]; readonly EVENT: readonly string[] };
  /** Values of `NewSessionDetails.SupportedMessagingContentTypes`. */
  readonly supportedMessagingContentTypes: readonly string[];
  /** The item `SupportedMessagingContentTypes` must contain. */
  readonly requiredSupportedMessagingContentType: string;
  /** Subtypes whose MESSAGE content type must be `text/plain`. */
  readonly plainTextSubtypes: readonly string[];
  /** The model's length limits: `{ min, max }` per member. */
  readonly lengths: { readonly [member: string]: { readonly min: number; readonly max: number } };
}

export declare const chatEventRules: ChatEventRules;
