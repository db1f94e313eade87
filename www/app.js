// The admin console of connect-chat-events: a static page, no framework, no build step.
// Everything it checks, serializes and signs comes from the package's WebAssembly build, imported
// through the import map in index.html as `connect-chat-events`.
//
// Credentials: the secret access key and the session token are read from password inputs or held in
// this module's memory; they are written to sessionStorage only when the user ticks "Keep", never to
// localStorage, and never written back into the page (not as an input value, not as text).

const LOCAL_CREDENTIALS = Object.freeze({
  // The documented test key pair that `connect-chat-events serve` accepts by default. Not an AWS key.
  accessKeyId: 'AKIDLOCALCONNECT0001',
  secretAccessKey: 'local-connect-secret-key-not-for-aws',
});
const SESSION_KEY = 'connect-chat-events.console.credentials';
const OPERATION_PATH = '/chat-integration-event';
// The limits and content-type lists are the package's own rules (`chatEventRules`), set by
// `useRules` once the package has loaded: the console never keeps copies that could drift.
let CONTENT_LIMIT;
let ATTRIBUTES_LIMIT;
let CONTENT_TYPES;
let SUPPORTED_TYPES;
/** How the form labels a content type, where it says more than the type itself. */
const CONTENT_TYPE_LABELS = {
  'application/vnd.amazonaws.connect.event.connection.acknowledged': 'application/vnd.amazonaws.connect.event.connection.acknowledged (deprecated)',
};

function useRules(rules) {
  CONTENT_LIMIT = rules.maxContentBytes;
  ATTRIBUTES_LIMIT = rules.maxAttributesBytes;
  const options = (types) => types.map((t) => [t, CONTENT_TYPE_LABELS[t] ?? t]);
  CONTENT_TYPES = {
    MESSAGE: options(rules.contentTypes.MESSAGE),
    EVENT: options(rules.contentTypes.EVENT),
    DISCONNECT: [['', '(none: a DISCONNECT carries no content type)']],
  };
  SUPPORTED_TYPES = [...rules.supportedMessagingContentTypes];
}
const CONTENT_TYPE_HINTS = {
  MESSAGE: 'Required for MESSAGE. SMS and WhatsApp chats accept only text/plain.',
  EVENT: 'Required for EVENT. Delivered and read receipts carry Content such as {"messageId":"…"}.',
  DISCONNECT: 'DISCONNECT needs neither a content type nor content.',
};
const EXAMPLE = {
  SourceId: '+12065550100',
  DestinationId: 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef',
  Subtype: 'connect:sms',
  Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Hello! I need help with my order.' },
  NewSessionDetails: {
    SupportedMessagingContentTypes: ['text/plain'],
    ParticipantDetails: { DisplayName: 'Customer' },
    Attributes: { channel: 'sms' },
  },
};

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const byteLength = (s) => encoder.encode(s).length;
const fmt = (n) => n.toLocaleString('en-US');
const setInvalid = (node, bad) => (bad ? node.setAttribute('aria-invalid', 'true') : node.removeAttribute('aria-invalid'));

/** Creates an element: el('p', { class: 'x' }, 'text', child). Text is always set as text, never as HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

let api = null;
/** Credentials held in memory (from "Use local test credentials" or a kept session); never put back in the DOM. */
const held = { secretAccessKey: '', sessionToken: '', source: '' };
let sending = false;
let lastState = null;
let lastIssues = null;
const history = [];

// ---------------------------------------------------------------- form → input

function buildInput() {
  const input = {};
  const sourceId = $('source-id').value;
  const destinationId = $('destination-id').value;
  const subtype = $('subtype').value;
  if (sourceId !== '') input.SourceId = sourceId;
  if (destinationId !== '') input.DestinationId = destinationId;
  if (subtype !== '') input.Subtype = subtype;
  const event = { Type: $('event-type').value };
  const contentType = $('content-type').value;
  const content = $('content').value;
  // DISCONNECT carries neither: the two controls are disabled and left out of the body.
  if (contentType !== '' && event.Type !== 'DISCONNECT') event.ContentType = contentType;
  if (content !== '' && event.Type !== 'DISCONNECT') event.Content = content;
  input.Event = event;

  const nsd = {};
  const supported = SUPPORTED_TYPES.filter((t, i) => $(`smct-${i}`).checked);
  if (supported.length) nsd.SupportedMessagingContentTypes = supported;
  const displayName = $('display-name').value;
  if (displayName !== '') nsd.ParticipantDetails = { DisplayName: displayName };
  const rows = attributeRows();
  if (rows.length) {
    nsd.Attributes = {};
    for (const r of rows) nsd.Attributes[r.key] = r.value;
  }
  const arn = $('streaming-arn').value;
  if (arn !== '') nsd.StreamingConfiguration = { StreamingEndpointArn: arn };
  if (Object.keys(nsd).length) input.NewSessionDetails = nsd;
  return input;
}

function setForm(input) {
  $('source-id').value = input.SourceId ?? '';
  $('destination-id').value = input.DestinationId ?? '';
  $('subtype').value = input.Subtype ?? '';
  $('event-type').value = input.Event?.Type ?? 'MESSAGE';
  fillContentTypes(input.Event?.ContentType ?? '');
  $('content').value = input.Event?.Content ?? '';
  const nsd = input.NewSessionDetails ?? {};
  SUPPORTED_TYPES.forEach((t, i) => { $(`smct-${i}`).checked = (nsd.SupportedMessagingContentTypes ?? []).includes(t); });
  $('display-name').value = nsd.ParticipantDetails?.DisplayName ?? '';
  $('streaming-arn').value = nsd.StreamingConfiguration?.StreamingEndpointArn ?? '';
  $('attributes').replaceChildren();
  for (const [k, v] of Object.entries(nsd.Attributes ?? {})) addAttributeRow(k, v, false);
  update();
}

// ---------------------------------------------------------------- content types

function fillContentTypes(preferred) {
  const type = $('event-type').value;
  const select = $('content-type');
  const current = preferred ?? select.value;
  const options = CONTENT_TYPES[type] ?? [];
  select.replaceChildren(...options.map(([value, label]) => el('option', { value }, label)));
  if (current !== undefined && options.some(([v]) => v === current)) select.value = current;
  select.disabled = type === 'DISCONNECT';
  $('content').disabled = type === 'DISCONNECT';
  $('content-type-hint').textContent = CONTENT_TYPE_HINTS[type] ?? '';
  const content = $('content');
  content.placeholder = type === 'EVENT'
    ? '{"messageId":"…"} for delivered and read receipts; empty for typing'
    : type === 'DISCONNECT' ? 'Not sent with DISCONNECT' : 'The message text';
}

// ---------------------------------------------------------------- attributes editor

let attrSeq = 0;
function addAttributeRow(key = '', value = '', focus = true) {
  const n = ++attrSeq;
  const row = el('div', { class: 'kv-row', 'data-row': n },
    el('label', { class: 'sr', for: `attr-key-${n}` }, 'Attribute key'),
    el('input', { id: `attr-key-${n}`, class: 'attr-key', placeholder: 'key', spellcheck: 'false', 'data-testid': 'attribute-key' }),
    el('label', { class: 'sr', for: `attr-value-${n}` }, 'Attribute value'),
    el('input', { id: `attr-value-${n}`, class: 'attr-value', placeholder: 'value', 'data-testid': 'attribute-value' }),
    el('button', { type: 'button', class: 'remove', 'data-testid': 'attribute-remove' }, 'Remove'),
  );
  row.querySelector('.attr-key').value = key;
  row.querySelector('.attr-value').value = value;
  row.querySelector('.remove').addEventListener('click', () => {
    const next = row.nextElementSibling ?? row.previousElementSibling;
    row.remove();
    renumberAttributes();
    update();
    (next?.querySelector('.attr-key') ?? $('add-attribute')).focus();
  });
  $('attributes').append(row);
  renumberAttributes();
  if (focus) row.querySelector('.attr-key').focus();
}

function renumberAttributes() {
  [...$('attributes').children].forEach((row, i) => {
    const [kl, , vl, , rm] = row.children;
    kl.textContent = `Attribute ${i + 1} key`;
    vl.textContent = `Attribute ${i + 1} value`;
    rm.setAttribute('aria-label', `Remove attribute ${i + 1}`);
  });
}

function attributeRows() {
  return [...$('attributes').children].map((row) => ({
    row,
    key: row.querySelector('.attr-key').value,
    value: row.querySelector('.attr-value').value,
  }));
}

// ---------------------------------------------------------------- credentials

function credentials() {
  const accessKeyId = $('access-key-id').value.trim();
  const secretAccessKey = $('secret-access-key').value || held.secretAccessKey;
  const sessionToken = $('session-token').value || held.sessionToken;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

function describeCredentials() {
  const typed = $('secret-access-key').value !== '';
  const parts = [];
  if (typed) parts.push('Secret: typed in this tab.');
  else if (held.secretAccessKey) parts.push(held.source === 'local' ? 'Secret: the local test secret (hidden).' : 'Secret: kept for this tab (hidden).');
  else parts.push('Secret: none.');
  if ($('session-token').value || held.sessionToken) parts.push('Session token: set (hidden).');
  if ($('remember').checked) parts.push('Kept in sessionStorage until the tab closes.');
  $('credentials-state').textContent = parts.join(' ');
  const placeholder = !typed && held.secretAccessKey ? '•••••••• (hidden; type to replace)' : '';
  $('secret-access-key').placeholder = placeholder;
  $('session-token').placeholder = !$('session-token').value && held.sessionToken ? '•••••••• (hidden; type to replace)' : '';
}

function persistCredentials() {
  try {
    if ($('remember').checked) {
      const c = credentials();
      sessionStorage.setItem(SESSION_KEY, JSON.stringify({ ...c, source: $('secret-access-key').value ? 'typed' : held.source }));
    } else {
      sessionStorage.removeItem(SESSION_KEY);
    }
  } catch { /* storage unavailable: memory only */ }
}

function restoreCredentials() {
  let saved = null;
  try { saved = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null'); } catch { saved = null; }
  if (!saved || typeof saved !== 'object') return;
  $('access-key-id').value = saved.accessKeyId ?? '';
  held.secretAccessKey = saved.secretAccessKey ?? '';
  held.sessionToken = saved.sessionToken ?? '';
  held.source = saved.source === 'local' ? 'local' : 'session';
  $('remember').checked = true;
}

// ---------------------------------------------------------------- endpoint

function endpointValue() {
  return $('endpoint').value.trim();
}

function resolve(region, endpoint) {
  const base = api.resolveEndpoint({ region, ...(endpoint ? { endpoint } : {}) });
  return base.replace(/\/+$/, '') + OPERATION_PATH;
}

// ---------------------------------------------------------------- validation and preview

const FIELD_OF = [
  ['SourceId', 'source-id'],
  ['DestinationId', 'destination-id'],
  ['Subtype', 'subtype'],
  ['Event.ContentType', 'content-type'],
  ['Event.Content', 'content'],
  ['Event.Type', 'event-type'],
  ['Event', 'event-type'],
  ['NewSessionDetails.SupportedMessagingContentTypes', 'smct'],
  ['NewSessionDetails.ParticipantDetails', 'display-name'],
  ['NewSessionDetails.Attributes', 'attributes'],
  ['NewSessionDetails.StreamingConfiguration', 'streaming-arn'],
];
const FIELD_IDS = ['source-id', 'destination-id', 'subtype', 'event-type', 'content-type', 'content', 'display-name', 'streaming-arn', 'smct', 'attributes'];

function fieldFor(path) {
  for (const [prefix, id] of FIELD_OF) {
    if (path === prefix || path.startsWith(prefix + '.') || path.startsWith(prefix + '[')) return id;
  }
  return 'general';
}

/** The control to focus for a field (the first checkbox or attribute input for group fields). */
function controlFor(id) {
  if (id === 'smct') return $('smct-0');
  if (id === 'attributes') return $('attributes').querySelector('input') ?? $('add-attribute');
  if (id === 'general') return $('source-id');
  return $(id);
}

function update() {
  if (!api) return;
  const input = buildInput();
  const region = $('region').value.trim();
  const endpoint = endpointValue();

  // Byte counters.
  const content = $('content').value;
  const bytes = byteLength(content);
  const counter = $('content-bytes');
  counter.textContent = `${fmt(bytes)} / ${fmt(CONTENT_LIMIT)} bytes (UTF-8) · ${fmt([...content].length)} characters`;
  counter.classList.toggle('over', bytes > CONTENT_LIMIT);
  const rows = attributeRows();
  const attrBytes = rows.reduce((n, r) => n + byteLength(r.key) + byteLength(r.value), 0);
  $('attributes-bytes').textContent = rows.length
    ? `${fmt(attrBytes)} / ${fmt(ATTRIBUTES_LIMIT)} bytes over all keys and values`
    : 'No attributes: Attributes omitted.';
  $('attributes-bytes').classList.toggle('over', attrBytes > ATTRIBUTES_LIMIT);

  // Validation, from the wasm validator (strict: the documented service rules too).
  const result = api.validateChatIntegrationEvent(input);
  const issues = [...result.issues];
  // Duplicate attribute keys cannot be expressed in a JSON map: the later row would silently win.
  const seen = new Set();
  for (const r of rows) {
    if (seen.has(r.key)) issues.push({ path: `NewSessionDetails.Attributes.${r.key}`, code: 'duplicate', message: `NewSessionDetails.Attributes: the key "${r.key}" appears more than once` });
    seen.add(r.key);
  }
  const valid = issues.length === 0;

  const byField = new Map();
  for (const issue of issues) {
    const id = fieldFor(issue.path);
    if (!byField.has(id)) byField.set(id, []);
    byField.get(id).push(issue);
  }
  for (const id of [...FIELD_IDS, 'general']) {
    const list = $(`${id}-issues`);
    const mine = byField.get(id) ?? [];
    list.replaceChildren(...mine.map((i) => el('li', { 'data-code': i.code, 'data-path': i.path }, i.message)));
    const control = id === 'smct' || id === 'attributes' || id === 'general' ? null : $(id);
    if (control) setInvalid(control, mine.length > 0);
  }
  // Attribute rows: mark the rows whose key an issue names.
  for (const r of rows) {
    const bad = issues.some((i) => i.path === `NewSessionDetails.Attributes.${r.key}`);
    setInvalid(r.row.querySelector('.attr-key'), bad);
  }

  // Re-render the summary only when it changed, so a focused summary link keeps its focus.
  const signature = JSON.stringify(issues.map((i) => [i.path, i.code, i.message]));
  if (signature !== lastIssues) $('issues').replaceChildren(...issues.map((i) => {
    const id = fieldFor(i.path);
    const a = el('a', { href: `#${id === 'general' ? 'source-id' : id}`, 'data-path': i.path, 'data-code': i.code }, i.message);
    a.addEventListener('click', (e) => { e.preventDefault(); controlFor(id)?.focus(); });
    return el('li', {}, a);
  }));
  lastIssues = signature;
  const validity = $('validity');
  validity.textContent = valid
    ? 'Valid: the event passes every model constraint and documented rule.'
    : `${issues.length} problem${issues.length === 1 ? '' : 's'} to fix before sending:`;
  validity.classList.toggle('ok', valid);
  validity.classList.toggle('bad', !valid);

  // Connection checks.
  const connIssues = [];
  let url = null;
  try {
    url = resolve(region, endpoint);
  } catch (e) {
    connIssues.push(`${e.name}: ${e.message}`);
  }
  $('endpoint-issues').replaceChildren(...connIssues.map((m) => el('li', {}, m)));
  setInvalid($('endpoint'), connIssues.length > 0);
  const creds = credentials();
  const credIssues = [];
  if (!creds.accessKeyId) credIssues.push('An access key ID is needed to sign.');
  if (!creds.secretAccessKey) credIssues.push('A secret access key is needed to sign.');
  $('credentials-issues').replaceChildren(...credIssues.map((m) => el('li', {}, m)));
  describeCredentials();

  // Send button.
  const why = !valid ? 'Fix the problems above to send.'
    : connIssues.length ? 'Fix the endpoint or region to send.'
      : credIssues.length ? 'Enter credentials (or use the local test credentials) to send.'
        : sending ? 'Sending…' : '';
  $('send').disabled = Boolean(why);
  $('send-why').textContent = why;

  lastState = { input, valid, url, region, creds, credIssues, connIssues };
  renderPreview(lastState);
}

function redact(text, creds) {
  let out = text;
  if (creds.sessionToken) out = out.split(creds.sessionToken).join(`<session token: ${creds.sessionToken.length} characters, hidden>`);
  if (creds.secretAccessKey) out = out.split(creds.secretAccessKey).join('<secret hidden>');
  return out;
}

function block(title, text, testid) {
  return el('div', { class: 'block' },
    el('h3', {}, title),
    el('pre', { tabindex: '0', 'data-testid': testid, 'aria-label': title }, text));
}

function renderPreview({ input, valid, url, region, creds, credIssues, connIssues }) {
  const out = [];
  let body;
  if (valid) {
    body = api.serializeChatIntegrationEvent(input);
    out.push(block(`JSON body, exactly as sent (${fmt(byteLength(body))} bytes)`, body, 'preview-body'));
  } else {
    body = JSON.stringify(input);
    out.push(el('p', { class: 'note' }, 'The event is not valid yet: this is the body the form builds now; Send stays disabled.'));
    out.push(block('JSON body (not valid)', JSON.stringify(input, null, 2), 'preview-body'));
  }
  if (connIssues.length || !url) {
    out.push(el('p', { class: 'note' }, 'No request line or signature: the endpoint or region is not usable.'));
  } else if (credIssues.length) {
    out.push(block('Request', `POST ${url}`, 'preview-request'));
    out.push(el('p', { class: 'note' }, 'Enter credentials to see the canonical request, the string to sign and the Authorization header.'));
  } else {
    try {
      const signed = api.signRequest(
        { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
        // Same options as ConnectChatClient: it does not send x-amz-content-sha256.
        { region, service: 'connect', credentials: creds, applyChecksum: false },
      );
      const u = new URL(signed.url);
      const headerLines = Object.entries(signed.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
      out.push(block('HTTP request', redact(`${signed.method} ${u.pathname}${u.search} HTTP/1.1\n${headerLines}`, creds), 'preview-request'));
      out.push(block('Canonical request', redact(signed.canonicalRequest, creds), 'preview-canonical'));
      out.push(block('String to sign', redact(signed.stringToSign, creds), 'preview-string-to-sign'));
      out.push(block('Authorization header', redact(signed.headers.authorization, creds), 'preview-authorization'));
      out.push(el('p', { class: 'hint' },
        `Signed for this preview at ${signed.headers['x-amz-date']} (UTC). Send signs again at the moment it sends. ` +
        'The session token, if any, is hidden here; it is signed as x-amz-security-token.'));
    } catch (e) {
      out.push(el('p', { class: 'note bad' }, `Cannot sign: ${e.name}: ${redact(String(e.message), creds)}`));
    }
  }
  $('preview').replaceChildren(...out);
}

// ---------------------------------------------------------------- send

function line(key, value) {
  return el('p', { class: 'kv-line' }, el('span', { class: 'k' }, `${key}:`), ' ', el('code', {}, String(value)));
}

async function send() {
  update();
  const state = lastState;
  if (!state || $('send').disabled) return;
  sending = true;
  update();
  const result = $('result');
  result.className = 'result pending';
  result.replaceChildren(el('p', {}, 'Sending…'));
  const started = performance.now();
  const entry = { at: new Date(), input: structuredClone(state.input), url: state.url };
  let client;
  try {
    client = new api.ConnectChatClient({
      region: state.region,
      credentials: state.creds,
      ...(endpointValue() ? { endpoint: endpointValue() } : {}),
    });
    const out = await client.sendChatIntegrationEvent(state.input);
    entry.ok = true;
    entry.output = { InitialContactId: out.InitialContactId, NewChatCreated: out.NewChatCreated };
    entry.meta = out.$metadata;
    result.className = 'result ok';
    result.replaceChildren(
      el('p', { class: 'headline' }, `Sent: HTTP ${out.$metadata?.httpStatusCode ?? '?'} in ${Math.round(performance.now() - started)} ms`),
      line('InitialContactId', out.InitialContactId ?? '(absent: no chat was active and this event did not start one)'),
      line('NewChatCreated', out.NewChatCreated ?? '(absent)'),
      out.$metadata?.requestId ? line('Request ID', out.$metadata.requestId) : null,
    );
  } catch (e) {
    entry.ok = false;
    const name = e?.name ?? 'Error';
    const message = redact(String(e?.message ?? e), state.creds);
    entry.error = { name, message, status: e?.$metadata?.httpStatusCode };
    result.className = 'result error';
    const parts = [
      el('p', { class: 'headline' }, el('strong', { class: 'err-name', 'data-testid': 'error-name' }, name), ': ', el('span', { 'data-testid': 'error-message' }, message)),
    ];
    if (e?.$fault) parts.push(line('Fault', e.$fault));
    if (e?.$metadata?.httpStatusCode) parts.push(line('HTTP status', e.$metadata.httpStatusCode));
    if (e?.$metadata?.requestId) parts.push(line('Request ID', e.$metadata.requestId));
    if (Array.isArray(e?.issues)) parts.push(el('ul', {}, e.issues.map((i) => el('li', {}, i.message))));
    if (name === 'TypeError') {
      parts.push(el('p', { class: 'hint' }, 'The endpoint could not be reached from this page: it is down, the address is wrong, or it does not allow this origin (CORS). ' +
        'The real Amazon Connect endpoint does not answer browsers; use `connect-chat-events serve` to try the console.'));
    }
    result.replaceChildren(...parts);
  } finally {
    try { client?.free(); } catch { /* already freed */ }
    sending = false;
    history.push(entry);
    renderHistory();
    update();
    refreshChats();
  }
}

function renderHistory() {
  $('history-empty').hidden = history.length > 0;
  $('history').replaceChildren(...history.map((h, i) => {
    const ev = h.input.Event ?? {};
    const what = `${ev.Type ?? '?'}${ev.ContentType ? ` ${ev.ContentType}` : ''} from ${h.input.SourceId ?? '?'}`;
    const outcome = h.ok
      ? `InitialContactId: ${h.output.InitialContactId ?? '(absent)'}, NewChatCreated: ${h.output.NewChatCreated ?? '(absent)'}`
      : `${h.error.name}${h.error.status ? ` (HTTP ${h.error.status})` : ''}: ${h.error.message}`;
    const load = el('button', { type: 'button', class: 'small', 'aria-label': `Load send ${i + 1} into the form` }, 'Load');
    load.addEventListener('click', () => { setForm(h.input); $('source-id').focus(); });
    return el('li', { class: h.ok ? 'ok' : 'error' },
      el('time', { datetime: h.at.toISOString() }, h.at.toLocaleTimeString()), ' ',
      el('span', { class: 'what' }, what), ' → ',
      el('span', { class: 'outcome' }, outcome), ' ', load);
  }).reverse());
}

// ---------------------------------------------------------------- chats (local endpoint only)

let events = null;
let eventsBase = null;
let chatsTimer = null;
let chatsSeq = 0;

function chatsBase() {
  const endpoint = endpointValue();
  if (!endpoint) return null;
  try {
    const u = new URL(endpoint);
    if (!/^https?:$/.test(u.protocol)) return null;
    if (/(^|\.)(amazonaws\.com|amazonaws\.com\.cn|api\.aws|amazonwebservices\.com\.cn)$/i.test(u.hostname)) return null;
    return u.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

function chatsUnavailable(why) {
  closeEvents();
  $('chats-status').textContent = why;
  $('chats').replaceChildren(el('p', { class: 'note' },
    'The chats view is only available with the local endpoint (`connect-chat-events serve`).'));
  $('chats-refresh').disabled = false;
  $('chats-reset').disabled = true;
}

function closeEvents() {
  if (events) events.close();
  events = null;
  eventsBase = null;
}

function openEvents(base) {
  if (events && eventsBase === base) return;
  closeEvents();
  eventsBase = base;
  events = new EventSource(`${base}/_emulator/events`);
  const onEvent = () => scheduleChats();
  events.onmessage = onEvent;
  for (const name of ['chat', 'event', 'chat-event', 'contact', 'created', 'ended', 'disconnect', 'reset', 'update', 'chats']) {
    events.addEventListener(name, onEvent);
  }
  // A delivery changes only the chat's "Message streaming" line: refresh those, not the whole view.
  events.addEventListener('stream-delivery', () => {
    clearTimeout(streamingTimer);
    streamingTimer = setTimeout(refreshStreaming, 100);
  });
  events.onopen = () => { $('chats-status').textContent = `Live from ${base}/_emulator/events.`; };
  events.onerror = () => {
    if (events?.readyState === EventSource.CLOSED) $('chats-status').textContent = 'Live updates stopped; use Refresh.';
    else $('chats-status').textContent = 'Live updates interrupted; reconnecting…';
  };
}

function scheduleChats() {
  clearTimeout(chatsTimer);
  chatsTimer = setTimeout(refreshChats, 60);
}

/** Pages of the chat listing the console reads (100 chats each). */
const MAX_CHAT_PAGES = 10;

async function refreshChats() {
  const base = chatsBase();
  if (!base) {
    chatsUnavailable('This endpoint is not a local endpoint.');
    return;
  }
  const seq = ++chatsSeq;
  // Listings are paged (100 chats a page): follow `next` up to MAX_CHAT_PAGES pages.
  const chats = [];
  let next = null;
  try {
    for (let page = 0; page < MAX_CHAT_PAGES; page++) {
      const query = next === null ? '' : `?next=${encodeURIComponent(next)}`;
      const res = await fetch(`${base}/_emulator/chats${query}`, { cache: 'no-store', headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const data = await res.json();
      chats.push(...chatList(data));
      next = typeof data?.next === 'string' ? data.next : null;
      if (next === null || seq !== chatsSeq) break;
    }
  } catch (e) {
    if (seq === chatsSeq) chatsUnavailable(`No local endpoint answered at ${base}/_emulator/chats (${e.message}).`);
    return;
  }
  if (seq !== chatsSeq) return;
  $('chats-reset').disabled = false;
  renderChats({ chats });
  if (next !== null) $('chats-status').textContent = `Showing the first ${chats.length} chats (the oldest); the endpoint holds more.`;
  openEvents(base);
}

const pick = (o, ...keys) => {
  for (const k of keys) if (o && o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
};

function chatList(data) {
  if (Array.isArray(data)) return data;
  const list = pick(data, 'chats', 'Chats', 'items', 'contacts');
  if (Array.isArray(list)) return list;
  if (list && typeof list === 'object') return Object.values(list);
  return [];
}

function isActive(chat) {
  const status = String(pick(chat, 'status', 'Status', 'state', 'State') ?? '').toLowerCase();
  if (status) return status === 'active' || status === 'open' || status === 'connected';
  if (typeof chat.active === 'boolean') return chat.active;
  if (typeof chat.ended === 'boolean') return !chat.ended;
  return !pick(chat, 'endedAt', 'EndedAt', 'ended_at', 'disconnectedAt');
}

function timeText(v) {
  if (v === undefined) return '';
  const d = new Date(typeof v === 'number' && v < 1e12 ? v * 1000 : v);
  return Number.isNaN(d.getTime()) ? String(v) : d.toLocaleTimeString();
}

function renderEntry(entry) {
  const ev = pick(entry, 'Event', 'event') ?? entry;
  const type = pick(ev, 'Type', 'type') ?? pick(entry, 'Type', 'type') ?? '?';
  const contentType = pick(ev, 'ContentType', 'contentType');
  const content = pick(ev, 'Content', 'content');
  const at = pick(entry, 'at', 'time', 'timestamp', 'Timestamp', 'receivedAt', 'createdAt');
  const agent = pick(entry, 'participantRole', 'ParticipantRole') === 'AGENT';
  return el('li', { class: `entry t-${String(type).toLowerCase()}${agent ? ' from-agent' : ''}`, 'data-role': agent ? 'agent' : 'customer' },
    at !== undefined ? el('time', {}, timeText(at)) : null,
    agent ? el('span', { class: 'role' }, 'agent') : null,
    el('span', { class: 'etype' }, String(type)),
    contentType ? el('span', { class: 'ctype' }, String(contentType)) : null,
    content !== undefined ? el('span', { class: 'content' }, String(content)) : null);
}

// ---------------------------------------------------------------- the agent side (local endpoint only)

/** Reply drafts and the last outcome per chat: the chats view is re-rendered on every event, they must survive it. */
const agentDrafts = new Map();
const agentNotes = new Map();

/** The reply box and "End chat" button of an active chat: POST /_emulator/chats/{id}/messages and /disconnect. */
function agentControls(id) {
  const textId = `agent-reply-${id}`;
  const text = el('textarea', { id: textId, rows: 2, 'data-testid': 'agent-reply-text', placeholder: 'What the agent answers (Ctrl+Enter sends)',
    'aria-describedby': `agent-note-${id}` });
  text.value = agentDrafts.get(id) ?? '';
  text.addEventListener('input', () => agentDrafts.set(id, text.value));
  // Enter is a new line; Ctrl+Enter (⌘+Enter) sends, as in most chat tools.
  text.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  const sendButton = el('button', { type: 'submit', 'data-testid': 'agent-send' }, 'Send as agent');
  const end = el('button', { type: 'button', 'data-testid': 'agent-end' }, 'End chat');
  const note = el('p', { class: 'hint', id: `agent-note-${id}`, 'data-testid': 'agent-note', 'aria-live': 'polite' }, agentNotes.get(id) ?? '');
  const form = el('form', { class: 'agent-reply field', 'data-testid': 'agent-reply' },
    el('label', { for: textId }, 'Reply as the agent'), text, el('div', { class: 'buttons' }, sendButton, end), note);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (text.value.trim() === '') {
      note.textContent = 'Type a reply first.';
      return;
    }
    const ok = await agentRequest(id, 'messages', { Content: text.value, ContentType: 'text/plain' }, note, [sendButton, end]);
    if (ok) {
      agentDrafts.delete(id);
      text.value = '';
    }
  });
  end.addEventListener('click', () => agentRequest(id, 'disconnect', {}, note, [sendButton, end]));
  return form;
}

/** One inspection-API write (JSON, as the endpoint requires); the outcome goes to the chat's note. */
async function agentRequest(id, action, body, note, buttons) {
  const base = chatsBase();
  if (!base) return false;
  for (const b of buttons) b.disabled = true;
  let ok = false;
  try {
    const res = await fetch(`${base}/_emulator/chats/${encodeURIComponent(id)}/${action}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const out = await res.json().catch(() => ({}));
    ok = res.ok;
    const text = ok ? (action === 'messages' ? 'Sent as the agent.' : 'The agent ended the chat.')
      : `${res.headers.get('x-amzn-ErrorType') ?? `HTTP ${res.status}`}: ${out.message ?? ''}`;
    agentNotes.set(id, text);
    note.textContent = text;
  } catch (e) {
    agentNotes.set(id, `Failed: ${e.message}`);
    note.textContent = `Failed: ${e.message}`;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
  refreshChats();
  return ok;
}

function renderChats(data) {
  // The view is rebuilt: remember which reply box had the focus (and its caret) to give it back.
  const focused = document.activeElement?.dataset?.testid === 'agent-reply-text'
    ? { id: document.activeElement.id, start: document.activeElement.selectionStart, end: document.activeElement.selectionEnd } : null;
  renderChatList(data);
  if (focused) {
    const box = document.getElementById(focused.id);
    box?.focus();
    box?.setSelectionRange(focused.start, focused.end);
  }
}

function renderChatList(data) {
  const chats = chatList(data);
  if (!chats.length) {
    $('chats').replaceChildren(el('p', { class: 'hint' }, 'No chats yet. Send a MESSAGE or EVENT to start one.'));
    return;
  }
  // Active chats first, newest first within each group.
  const created = (c) => Date.parse(pick(c, 'createdAt', 'CreatedAt') ?? '') || 0;
  const sorted = chats.map((c, i) => ({ c, i }))
    .sort((a, b) => (Number(isActive(b.c)) - Number(isActive(a.c))) || (created(b.c) - created(a.c)) || (b.i - a.i))
    .map(({ c }) => c);
  $('chats').replaceChildren(...sorted.map((chat) => {
    const active = isActive(chat);
    const id = pick(chat, 'InitialContactId', 'initialContactId', 'contactId', 'ContactId', 'id') ?? '(no contact id)';
    const key = pick(chat, 'key', 'Key') ?? {};
    const source = pick(chat, 'SourceId', 'sourceId') ?? pick(key, 'SourceId', 'sourceId');
    const dest = pick(chat, 'DestinationId', 'destinationId') ?? pick(key, 'DestinationId', 'destinationId');
    const subtype = pick(chat, 'Subtype', 'subtype') ?? pick(key, 'Subtype', 'subtype');
    const nsd = pick(chat, 'NewSessionDetails', 'newSessionDetails') ?? {};
    const name = nsd?.ParticipantDetails?.DisplayName;
    const transcript = pick(chat, 'transcript', 'Transcript', 'events', 'Events', 'messages') ?? [];
    const streamArn = nsd?.StreamingConfiguration?.StreamingEndpointArn;
    return el('article', { class: `chat ${active ? 'active' : 'ended'}`, 'data-testid': 'chat', 'data-contact-id': id, 'data-status': active ? 'active' : 'ended' },
      el('h3', {},
        el('span', { class: `badge ${active ? 'active' : 'ended'}` }, active ? 'active' : 'ended'), ' ',
        el('code', { class: 'cid' }, String(id))),
      el('p', { class: 'meta' },
        `${source ?? '?'} → ${dest ?? '?'}${subtype ? ` (${subtype})` : ''}${name ? ` · ${name}` : ''}`),
      Array.isArray(transcript) && transcript.length
        ? el('ol', { class: 'transcript', 'aria-label': `Transcript of ${id}` }, transcript.map(renderEntry))
        : el('p', { class: 'hint' }, 'No transcript entries.'),
      streamArn ? el('p', { class: 'hint', 'data-testid': 'chat-streaming', 'data-stream-of': String(id) },
        streamText.get(String(id)) ?? `Message streaming to ${streamArn}…`) : null,
      active && id !== '(no contact id)' ? agentControls(String(id)) : null);
  }));
  refreshStreaming();
}

/** Last known message-streaming line per chat (from GET /_emulator/chats/{id}), kept across re-renders. */
const streamText = new Map();
let streamingSeq = 0;
let streamingTimer = null;

/** Fills the "Message streaming" line of the chats shown (at most 20 look-ups, 5 at a time). */
async function refreshStreaming() {
  const base = chatsBase();
  const nodes = [...document.querySelectorAll('[data-testid="chat-streaming"]')].slice(0, 20);
  if (!base || !nodes.length) return;
  const seq = ++streamingSeq;
  const describe = (s) => (s.status === 'streaming'
    ? `Message streaming to ${s.subscriber}: ${s.delivered} delivered, ${s.failed} failed, ${s.pending} pending.`
    : `Message streaming: ${s.status} for ${s.StreamingEndpointArn} (${s.undelivered} item${s.undelivered === 1 ? '' : 's'} undelivered).`);
  for (let i = 0; i < nodes.length; i += 5) {
    await Promise.all(nodes.slice(i, i + 5).map(async (node) => {
      const id = node.dataset.streamOf;
      try {
        const res = await fetch(`${base}/_emulator/chats/${encodeURIComponent(id)}?limit=1`, { cache: 'no-store' });
        const view = res.ok ? await res.json() : null;
        if (view?.streaming) streamText.set(id, describe(view.streaming));
      } catch { /* the line keeps its last text */ }
      if (seq === streamingSeq && streamText.has(id)) {
        for (const n of document.querySelectorAll('[data-testid="chat-streaming"]')) if (n.dataset.streamOf === id) n.textContent = streamText.get(id);
      }
    }));
  }
}

async function resetChats() {
  const base = chatsBase();
  if (!base) return;
  try {
    // A JSON content type: the endpoint refuses inspection writes a cross-site simple request could send.
    const res = await fetch(`${base}/_emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    $('chats-status').textContent = res.ok ? 'All chats were reset.' : `Reset failed: HTTP ${res.status}.`;
  } catch (e) {
    $('chats-status').textContent = `Reset failed: ${e.message}.`;
  }
  refreshChats();
}

// ---------------------------------------------------------------- wiring

function init() {
  // Supported content types: checkboxes (text/plain ticked by default, as the service requires it).
  $('smct').replaceChildren(...SUPPORTED_TYPES.map((t, i) =>
    el('label', { class: 'check' }, el('input', { type: 'checkbox', id: `smct-${i}`, value: t, 'data-testid': `smct-${t}` }), ` ${t}`)));
  $('smct-0').checked = true;
  fillContentTypes('text/plain');

  const origin = /^https?:$/.test(location.protocol) ? location.origin : '';
  $('endpoint').value = origin;
  restoreCredentials();

  $('event-type').addEventListener('change', () => { fillContentTypes(); update(); });
  for (const form of [$('conn-form'), $('event-form')]) {
    form.addEventListener('input', () => update());
    form.addEventListener('change', () => update());
    form.addEventListener('submit', (e) => e.preventDefault());
  }
  for (const id of ['access-key-id', 'secret-access-key', 'session-token', 'remember']) {
    $(id).addEventListener(id === 'remember' ? 'change' : 'input', () => { persistCredentials(); update(); });
  }
  let endpointTimer = null;
  for (const id of ['endpoint', 'region']) {
    $(id).addEventListener('input', () => { clearTimeout(endpointTimer); endpointTimer = setTimeout(refreshChats, 400); });
  }
  $('use-local').addEventListener('click', () => {
    $('access-key-id').value = LOCAL_CREDENTIALS.accessKeyId;
    $('secret-access-key').value = '';
    $('session-token').value = '';
    held.secretAccessKey = LOCAL_CREDENTIALS.secretAccessKey;
    held.sessionToken = '';
    held.source = 'local';
    persistCredentials();
    update();
  });
  $('forget').addEventListener('click', () => {
    $('access-key-id').value = '';
    $('secret-access-key').value = '';
    $('session-token').value = '';
    held.secretAccessKey = '';
    held.sessionToken = '';
    held.source = '';
    $('remember').checked = false;
    persistCredentials();
    update();
  });
  $('add-attribute').addEventListener('click', () => { addAttributeRow(); update(); });
  $('fill-example').addEventListener('click', () => setForm(EXAMPLE));
  $('clear-form').addEventListener('click', () => setForm({ Event: { Type: 'MESSAGE', ContentType: 'text/plain' }, NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'] } }));
  $('send').addEventListener('click', send);
  $('chats-refresh').addEventListener('click', refreshChats);
  $('chats-reset').addEventListener('click', resetChats);

  update();
  refreshChats();
}

async function main() {
  const status = $('load-status');
  try {
    api = await import('connect-chat-events');
  } catch (e) {
    status.textContent = `The package could not be loaded (${e.message}). Serve this page with \`connect-chat-events serve\`, ` +
      'or copy the package folder next to it as ./pkg/ (see docs/console.md).';
    status.classList.add('bad');
    $('send').disabled = true;
    return;
  }
  useRules(api.chatEventRules);
  init();
  status.textContent = 'Ready: validation, serialization and signing run in this page (WebAssembly).';
  status.classList.add('ok');
  document.documentElement.dataset.ready = 'true';
}

main();
