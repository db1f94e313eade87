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
}

export interface SignedRequest {
  method: string;
  url: string;
  /** Lower-case names, including `authorization`, `x-amz-date`, `host`, and `x-amz-security-token` with a session token. */
  headers: Record<string, string>;
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

export interface ConnectChatClientConfig extends EndpointParameters {
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** A `fetch` to use instead of the global one. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export interface SendOptions {
  abortSignal?: AbortSignal;
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

/** Sends SendChatIntegrationEvent requests: validates, signs, and calls `fetch`. */
export class ConnectChatClient {
  constructor(config: ConnectChatClientConfig);
  /** The signing region. */
  readonly region: string;
  /** The resolved endpoint URL. */
  readonly endpoint: string;
  /** Validates (no request for invalid input), signs and sends one event. */
  sendChatIntegrationEvent(input: SendChatIntegrationEventInput, options?: SendOptions): Promise<SendChatIntegrationEventOutput>;
  /** A redacted view: region, endpoint, and what kind of credentials, never the keys. */
  toJSON(): { region: string; endpoint: string; credentials: string };
  /** Frees the wasm memory held by this client (optional; a FinalizationRegistry also does it). */
  free(): void;
}
