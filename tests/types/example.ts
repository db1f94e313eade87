// A typed example using every API of connect-chat-events; checked by `tsc --strict --noEmit`
// (module nodenext) against the installed package, as ESM and as CommonJS.
import {
  ConnectChatClient,
  validateChatIntegrationEvent,
  serializeChatIntegrationEvent,
  signRequest,
  resolveEndpoint,
} from 'connect-chat-events';
import type {
  SendChatIntegrationEventInput,
  SendChatIntegrationEventOutput,
  ValidationResult,
  ValidationIssue,
  IssueCode,
  ChatEventType,
  ChatEventValidationError,
  ConnectServiceError,
  SignedRequest,
  SignOptions,
  SignableRequest,
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  EndpointParameters,
  ConnectChatClientConfig,
  ResponseMetadata,
  SendOptions,
} from 'connect-chat-events';

const type: ChatEventType = 'MESSAGE';
const input: SendChatIntegrationEventInput = {
  SourceId: '+14155550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: type, ContentType: 'text/plain', Content: 'hello' },
  NewSessionDetails: {
    SupportedMessagingContentTypes: ['text/plain'],
    ParticipantDetails: { DisplayName: 'Customer' },
    Attributes: { 'order-id': '42' },
    StreamingConfiguration: { StreamingEndpointArn: 'arn:aws:connect:us-east-1:123456789012:x' },
  },
};
// Optional members may be left out or set to undefined (as in the AWS SDK's input types).
const minimal: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b', Subtype: undefined, Event: { Type: 'DISCONNECT' } };

const result: ValidationResult = validateChatIntegrationEvent(input);
const loose: ValidationResult = validateChatIntegrationEvent(JSON.parse('{}') as unknown, { strict: false });
const valid: boolean = result.valid && loose.valid;
for (const issue of result.issues) {
  const i: ValidationIssue = issue;
  const path: string = i.path;
  const code: IssueCode = i.code;
  const known: boolean = code === 'required' || code === 'e164';
  const message: string = i.message;
  void [path, known, message];
}

const body: string = serializeChatIntegrationEvent(minimal, { strict: true });

const credentials: AwsCredentialIdentity = { accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'TOKEN', expiration: new Date() };
const provider: AwsCredentialIdentityProvider = async () => ({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' });
const syncProvider: AwsCredentialIdentityProvider = () => credentials;

const request: SignableRequest = { method: 'POST', url: 'https://connect.us-east-1.amazonaws.com/chat-integration-event', headers: { 'content-type': 'application/json' }, body };
const signOptions: SignOptions = { region: 'us-east-1', service: 'connect', credentials, signingDate: new Date(0), applyChecksum: false, uriEscapePath: true, normalizePath: true };
const signed: SignedRequest = signRequest(request, signOptions);
const authorization: string | undefined = signed.headers['authorization'];
const parts: string[] = [signed.method, signed.url, signed.canonicalRequest, signed.stringToSign, signed.signature];
signRequest({ url: 'https://example.com/', headers: [['x-a', '1'], ['x-a', '2']], body: new Uint8Array([1, 2]) },
  { region: 'us-east-1', service: 's3', credentials, signingDate: '2015-08-30T12:36:00Z' });
signRequest({ url: 'https://example.com/', headers: new Map([['x-a', '1']]), body: new ArrayBuffer(2) },
  { region: 'us-east-1', service: 'svc', credentials, signingDate: 1440938160000 });
signRequest({ url: 'https://example.com/', headers: { 'x-multi': ['a', 'b'], 'x-num': 5 } }, signOptions);

const params: EndpointParameters = { region: 'us-east-1', useFipsEndpoint: true, useDualstackEndpoint: false };
const url: string = resolveEndpoint(params);
const local: string = resolveEndpoint({ endpoint: new URL('http://127.0.0.1:8787') });

const config: ConnectChatClientConfig = {
  region: 'us-east-1',
  credentials: provider,
  endpoint: 'http://127.0.0.1:8787',
  fetch: (u: string, init: RequestInit) => fetch(u, init),
};
const client = new ConnectChatClient(config);
const client2 = new ConnectChatClient({ region: 'eu-west-2', credentials, useDualstackEndpoint: true });
const client3 = new ConnectChatClient({ region: 'us-east-1', credentials: syncProvider });
const region: string = client.region;
const endpoint: string = client2.endpoint;
const redacted: { region: string; endpoint: string; credentials: string } = client3.toJSON();

function isServiceError(e: unknown): e is ConnectServiceError {
  return e instanceof Error && '$fault' in e && '$metadata' in e;
}
function isValidationError(e: unknown): e is ChatEventValidationError {
  return e instanceof Error && e.name === 'ChatEventValidationError';
}

async function main(): Promise<void> {
  const options: SendOptions = { abortSignal: AbortSignal.timeout(5000) };
  try {
    const out: SendChatIntegrationEventOutput = await client.sendChatIntegrationEvent(input, options);
    const created: boolean | undefined = out.NewChatCreated;
    const contact: string | undefined = out.InitialContactId;
    const meta: ResponseMetadata = out.$metadata;
    const status: number | undefined = meta.httpStatusCode;
    const attempts: number = meta.attempts;
    const delay: number = meta.totalRetryDelay;
    void [created, contact, status, attempts, delay, meta.requestId, meta.extendedRequestId, meta.cfId];
  } catch (e) {
    if (isValidationError(e)) {
      const issues: ValidationIssue[] = e.issues;
      const fault: 'client' = e.$fault;
      void [issues, fault];
    } else if (isServiceError(e)) {
      const fault: 'client' | 'server' = e.$fault;
      const retry: boolean | undefined = e.$retryable?.throttling;
      const statusCode: number = e.$response.statusCode;
      const headers: Record<string, string> = e.$response.headers;
      const text: string = e.$response.body;
      const requestId: string | undefined = e.$metadata.requestId;
      if (e.name === 'ThrottlingException' || e.name === 'SomeFutureException') void 0;
      void [fault, retry, statusCode, headers, text, requestId, e.Message, e.Reason];
    }
  } finally {
    client.free();
  }
}

void [valid, authorization, parts, url, local, region, endpoint, redacted, main];
