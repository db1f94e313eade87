// Wrong usage that the declarations must reject: each `@ts-expect-error` must be needed, or tsc fails.
import {
  ConnectChatClient,
  validateChatIntegrationEvent,
  serializeChatIntegrationEvent,
  signRequest,
  resolveEndpoint,
} from 'connect-chat-events';
import type { SendChatIntegrationEventInput, SignedRequest } from 'connect-chat-events';

const credentials = { accessKeyId: 'AKID', secretAccessKey: 'SECRET' };

// @ts-expect-error Event.Type is an enum
const badType: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'FOO' } };
// @ts-expect-error SourceId is required
const noSource: SendChatIntegrationEventInput = { DestinationId: 'b', Event: { Type: 'DISCONNECT' } };
// @ts-expect-error Event is required
const noEvent: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b' };
// @ts-expect-error Attributes values are strings
const badAttr: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, NewSessionDetails: { Attributes: { n: 1 } } };
// @ts-expect-error SupportedMessagingContentTypes is a list
const badList: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, NewSessionDetails: { SupportedMessagingContentTypes: 'text/plain' } };
// @ts-expect-error unknown member (excess property check)
const extra: SendChatIntegrationEventInput = { SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' }, Bogus: 1 };

// @ts-expect-error strict is a boolean
validateChatIntegrationEvent({}, { strict: 'yes' });
// @ts-expect-error the result is not a string
const notString: string = validateChatIntegrationEvent({});
// @ts-expect-error serialize needs a typed input
serializeChatIntegrationEvent(42);
// @ts-expect-error serialize returns a string
const notObject: { SourceId: string } = serializeChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } });

// @ts-expect-error region is required when signing
signRequest({ url: 'https://example.com/' }, { service: 'svc', credentials });
// @ts-expect-error url is required
signRequest({ method: 'GET' }, { region: 'us-east-1', service: 'svc', credentials });
// @ts-expect-error secretAccessKey is required
signRequest({ url: 'https://example.com/' }, { region: 'us-east-1', service: 'svc', credentials: { accessKeyId: 'AKID' } });
// @ts-expect-error body is a string or bytes
signRequest({ url: 'https://example.com/', body: { a: 1 } }, { region: 'us-east-1', service: 'svc', credentials });
// @ts-expect-error applyChecksum is a boolean
signRequest({ url: 'https://example.com/' }, { region: 'us-east-1', service: 'svc', credentials, applyChecksum: 'no' });
const signed: SignedRequest = signRequest({ url: 'https://example.com/' }, { region: 'us-east-1', service: 'svc', credentials });
// @ts-expect-error signature is a string
const sigNumber: number = signed.signature;

// @ts-expect-error useFipsEndpoint is a boolean
resolveEndpoint({ region: 'us-east-1', useFipsEndpoint: 'true' });
// @ts-expect-error resolveEndpoint returns a string
const endpointObj: URL = resolveEndpoint({ region: 'us-east-1' });

// @ts-expect-error region is a string
new ConnectChatClient({ region: 1, credentials });
// @ts-expect-error credentials are an object or a provider, not a string
new ConnectChatClient({ region: 'us-east-1', credentials: 'AKID:SECRET' });
// @ts-expect-error credentials need a secret
new ConnectChatClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID' } });
// @ts-expect-error fetch is a function
new ConnectChatClient({ region: 'us-east-1', credentials, fetch: 'global' });
const client = new ConnectChatClient({ region: 'us-east-1', credentials });
// @ts-expect-error region is read-only
client.region = 'eu-west-1';
// @ts-expect-error abortSignal must be an AbortSignal
void client.sendChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } }, { abortSignal: true });
async function wrongOutput(): Promise<void> {
  const out = await client.sendChatIntegrationEvent({ SourceId: 'a', DestinationId: 'b', Event: { Type: 'DISCONNECT' } });
  // @ts-expect-error NewChatCreated is a boolean
  const s: string = out.NewChatCreated;
  // @ts-expect-error there is no such output member
  void out.ContactId;
  void s;
}

void [badType, noSource, noEvent, badAttr, badList, extra, notString, notObject, sigNumber, endpointObj, wrongOutput];
