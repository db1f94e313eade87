// `connect-chat-events/iife`: the global a classic `<script src>` defines, typed by a reference directive.
/// <reference types="connect-chat-events/iife" />
type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: IsAny<typeof ConnectChatEvents> = false;
export const signature: string = ConnectChatEvents.signRequest({ url: 'https://example.amazonaws.com/' },
  { region: 'us-east-1', service: 'service', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } }).signature;
export const valid: boolean = ConnectChatEvents.validateChatIntegrationEvent({}).valid;
export const client = new ConnectChatEvents.ConnectChatClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' } });
export const maxContentBytes: number = ConnectChatEvents.chatEventRules.maxContentBytes;
// @ts-expect-error not a member of the global
ConnectChatEvents.sendChatIntegrationEvent();
