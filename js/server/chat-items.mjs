// The transcript items Amazon Connect streams for a chat (chat message streaming, StartContactStreaming): one
// JSON object per message or event, published to the chat's SNS topic as the notification's Message.
// Shape: Id, Type (MESSAGE | EVENT), ContentType, Content, AbsoluteTime, ParticipantId, DisplayName,
// ParticipantRole (CUSTOMER | AGENT | SYSTEM), InitialContactId, ContactId.
// Pure functions: the chat (from the store) and a transcript entry in, items out.
import { createHash, randomUUID } from 'node:crypto';

export const EVENT_CONTENT_TYPES = Object.freeze({
  joined: 'application/vnd.amazonaws.connect.event.participant.joined',
  left: 'application/vnd.amazonaws.connect.event.participant.left',
  ended: 'application/vnd.amazonaws.connect.event.chat.ended',
});
/** The agent the local endpoint plays: it joins the chat with its first message. */
export const AGENT_DISPLAY_NAME = 'Agent';
export const CUSTOMER_DISPLAY_NAME = 'Customer';

/**
 * A participant's id in a chat: derived from the contact id and the role, so it is the same after a restart
 * with --state without being stored (real Connect ids are opaque UUIDs too).
 */
export function participantId(contactId, role) {
  const h = createHash('sha256').update(`${contactId}\0${role}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function participant(chat, role) {
  if (role === 'SYSTEM') return { ParticipantRole: 'SYSTEM' };
  const name = role === 'CUSTOMER'
    ? chat.newSessionDetails?.ParticipantDetails?.DisplayName ?? CUSTOMER_DISPLAY_NAME
    : AGENT_DISPLAY_NAME;
  return { ParticipantId: participantId(chat.contactId, role), DisplayName: name, ParticipantRole: role };
}

function item(chat, at, role, type, contentType, content, id = randomUUID()) {
  const out = { Id: id, Type: type, ContentType: contentType };
  if (content !== undefined) out.Content = content;
  // The emulator has no transfers: the current contact is always the initial one.
  return { ...out, AbsoluteTime: at, ...participant(chat, role), InitialContactId: chat.contactId, ContactId: chat.contactId };
}

const joined = (chat, at, role) => item(chat, at, role, 'EVENT', EVENT_CONTENT_TYPES.joined);
const left = (chat, at, role) => item(chat, at, role, 'EVENT', EVENT_CONTENT_TYPES.left);
const ended = (chat, at) => item(chat, at, 'SYSTEM', 'EVENT', EVENT_CONTENT_TYPES.ended);

/** Whether an entry of the transcript comes from the agent (entries without participantRole are the customer's). */
export const isAgentEntry = (entry) => entry?.participantRole === 'AGENT';

/**
 * The items one new transcript entry produces, in order. `index` is the entry's position in chat.transcript (the
 * first entry of a chat also streams the customer joining; the agent's first entry streams the agent joining).
 */
export function itemsForEntry(chat, entry, index = chat.transcript.indexOf(entry)) {
  const earlier = chat.transcript.slice(0, Math.max(0, index));
  const agentJoined = earlier.some(isAgentEntry);
  const { at } = entry;
  const items = [];
  if (isAgentEntry(entry)) {
    if (entry.type === 'DISCONNECT') {
      if (agentJoined) items.push(left(chat, at, 'AGENT'));
      items.push(ended(chat, at));
      return items;
    }
    if (!agentJoined) items.push(joined(chat, at, 'AGENT'));
    items.push(item(chat, at, 'AGENT', 'MESSAGE', entry.contentType, entry.content, entry.id));
    return items;
  }
  if (index === 0) items.push(joined(chat, at, 'CUSTOMER'));
  if (entry.type === 'DISCONNECT') {
    items.push(left(chat, at, 'CUSTOMER'));
    items.push(ended(chat, at));
  } else {
    items.push(item(chat, at, 'CUSTOMER', entry.type, entry.contentType, entry.content));
  }
  return items;
}
