// The admin console (www/), end to end in Debian's headless Chromium driven by playwright-core, against
// `connect-chat-events serve` started from the installed package. Screenshots go to artifacts/console-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tool, root } from './support/tools.mjs';
import { importPackage, pkgDir } from './support/app.mjs';
import { startServe, LOCAL_CREDENTIALS } from './support/console-server.mjs';
import { layOutStaticSite, startStatic } from './support/console-static.mjs';

const artifacts = join(root, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const shot = (name) => join(artifacts, `console-${name}.png`);

const ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';
const SECRET = LOCAL_CREDENTIALS.secretAccessKey;

let serve;
let browser;
let pkg;

before(async () => {
  pkg = await importPackage();
  serve = await startServe();
  const pw = await tool('playwright-core'); // CommonJS: its exports arrive as the default export
  const chromium = pw.chromium ?? pw.default.chromium;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (serve) assert.equal(await serve.stop(), 0, 'serve stops cleanly on SIGTERM');
});

/** A fresh page (own context: own storage) that records console errors and page errors. */
async function openConsole({ width = 1280, height = 900, url = `${serve.url}/` } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} (${m.location()?.url ?? ''})`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
  return { page, context, errors };
}

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

/** Fills a valid SMS MESSAGE for a customer number. */
async function fillValid(page, sourceId, content = 'Hello from the console test') {
  await byTestId(page, 'source-id').fill(sourceId);
  await byTestId(page, 'destination-id').fill(ARN);
  await byTestId(page, 'subtype').fill('connect:sms');
  await byTestId(page, 'event-type').selectOption('MESSAGE');
  await byTestId(page, 'content-type').selectOption('text/plain');
  await byTestId(page, 'content').fill(content);
}

async function sendAndRead(page) {
  const before = await byTestId(page, 'history').locator('li').count();
  await byTestId(page, 'send').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="history"] li').length > n, before);
  return byTestId(page, 'result').innerText();
}

async function chatsFromServer() {
  const res = await fetch(`${serve.url}/_emulator/chats`);
  assert.equal(res.status, 200);
  return (await res.json()).chats;
}

test('the page loads the wasm package from the endpoint with no console errors, and every control has a label', async () => {
  const { page, context, errors } = await openConsole();
  try {
    assert.match(await page.locator('#load-status').innerText(), /Ready/);
    // The endpoint defaults to the origin the page came from.
    assert.equal(await byTestId(page, 'endpoint').inputValue(), serve.url);
    // Named controls found by their visible label are the test-id hooks.
    const labelled = {
      SourceId: 'source-id', DestinationId: 'destination-id', 'Subtype (optional)': 'subtype', 'Event type': 'event-type',
      'Content type': 'content-type', Content: 'content', Region: 'region', Endpoint: 'endpoint',
      'Access key ID': 'access-key-id', 'Secret access key': 'secret-access-key', 'Session token (optional)': 'session-token',
      'Participant display name': 'display-name', 'Streaming endpoint ARN': 'streaming-arn',
    };
    for (const [label, id] of Object.entries(labelled)) {
      assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('data-testid'), id, `label "${label}"`);
    }
    assert.equal(await page.getByLabel('text/plain', { exact: true }).isChecked(), true, 'text/plain is ticked by default');
    // Attribute rows get labels too.
    await byTestId(page, 'add-attribute').click();
    await page.getByLabel('Attribute 1 key').fill('channel');
    await page.getByLabel('Attribute 1 value').fill('sms');
    await page.getByRole('button', { name: 'Remove attribute 1' }).isVisible();
    // Every form control on the page has an accessible name, every button has text or a label.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => el.outerHTML));
    assert.deepEqual(unnamed, []);
    // The secret input is a password field; the page has not rendered any secret.
    assert.equal(await byTestId(page, 'secret-access-key').getAttribute('type'), 'password');
    assert.equal(await byTestId(page, 'session-token').getAttribute('type'), 'password');
    await page.getByRole('button', { name: 'Remove attribute 1' }).click();
    assert.equal(await page.locator('#attributes input').count(), 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot('empty') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an invalid event shows each problem beside its field and in the summary, and Send stays disabled', async () => {
  const { page, context, errors } = await openConsole();
  try {
    await byTestId(page, 'use-local-credentials').click();
    // Empty form: the required members are reported.
    const issues = byTestId(page, 'issues');
    assert.match(await issues.innerText(), /SourceId is required/);
    assert.equal(await byTestId(page, 'send').isDisabled(), true);

    await byTestId(page, 'source-id').fill('12065550100'); // no +: not E.164
    await byTestId(page, 'destination-id').fill('not-an-arn');
    await byTestId(page, 'content').fill('');
    const text = await issues.innerText();
    assert.match(text, /E\.164/);
    assert.match(text, /phone-number ARN/);
    assert.match(text, /Event\.Content is required/);
    assert.match(await page.locator('#source-id-issues').innerText(), /E\.164/, 'SourceId problem beside SourceId');
    assert.match(await page.locator('#destination-id-issues').innerText(), /ARN/, 'DestinationId problem beside it');
    assert.match(await page.locator('#content-issues').innerText(), /required/, 'Content problem beside Content');
    assert.equal(await byTestId(page, 'source-id').getAttribute('aria-invalid'), 'true');
    assert.equal(await byTestId(page, 'send').isDisabled(), true);
    assert.match(await page.locator('#send-why').innerText(), /Fix the problems/);
    // The preview says the body is not valid.
    assert.match(await byTestId(page, 'preview').innerText(), /not valid/);

    // SMS takes only text/plain: text/markdown is flagged on the content type.
    await byTestId(page, 'content-type').selectOption('text/markdown');
    assert.match(await page.locator('#content-type-issues').innerText(), /text\/plain/);
    // NewSessionDetails problems: supported types without text/plain, a bad attribute key.
    await page.getByLabel('text/markdown', { exact: true }).check();
    await page.getByLabel('text/plain', { exact: true }).uncheck();
    assert.match(await page.locator('#smct-issues').innerText(), /must contain text\/plain/);
    await byTestId(page, 'add-attribute').click();
    await page.getByLabel('Attribute 1 key').fill('bad key');
    assert.match(await page.locator('#attributes-issues').innerText(), /letters/);
    assert.equal(await page.getByLabel('Attribute 1 key').getAttribute('aria-invalid'), 'true');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot('invalid') });

    // Content: UTF-8 byte counter and the 16,384-byte limit.
    await byTestId(page, 'content').fill('héllo');
    assert.match(await byTestId(page, 'content-bytes').innerText(), /^6 \/ 16,384 bytes/);
    await byTestId(page, 'content').fill('é'.repeat(8193)); // 8,193 code points, 16,386 bytes
    assert.match(await byTestId(page, 'content-bytes').innerText(), /16,386 \/ 16,384 bytes/);
    assert.match(await page.locator('#content-issues').innerText(), /16,?384/);

    // ContentType choices follow Event.Type.
    await byTestId(page, 'event-type').selectOption('EVENT');
    let options = await byTestId(page, 'content-type').locator('option').allTextContents();
    assert.ok(options.includes('application/vnd.amazonaws.connect.event.typing'));
    assert.ok(!options.includes('text/plain'));
    await byTestId(page, 'event-type').selectOption('MESSAGE');
    options = await byTestId(page, 'content-type').locator('option').allTextContents();
    assert.ok(options.includes('text/plain') && options.includes('text/markdown'));
    assert.ok(!options.some((o) => o.includes('event.typing')));
    await byTestId(page, 'event-type').selectOption('DISCONNECT');
    assert.equal(await byTestId(page, 'content-type').isDisabled(), true);

    // Fixing everything enables Send.
    await fillValid(page, '+12065550101');
    await page.getByLabel('text/plain', { exact: true }).check();
    await page.getByLabel('Attribute 1 key').fill('good_key-1');
    assert.equal(await issues.locator('li').count(), 0);
    assert.match(await byTestId(page, 'validity').innerText(), /^Valid/);
    assert.equal(await byTestId(page, 'send').isEnabled(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a chat: new, then a reply on the same contact, then DISCONNECT; the chats view shows it live with its transcript', async () => {
  const { page, context, errors } = await openConsole();
  try {
    // A JSON request, as the inspection API's CSRF rules ask (a bare POST is refused with 403).
    const reset = await fetch(`${serve.url}/_emulator/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(reset.status, 200, `reset: ${reset.status} ${await reset.text()}`);
    await byTestId(page, 'use-local-credentials').click();
    assert.equal(await byTestId(page, 'send').isDisabled(), true, 'nothing to send yet');
    await fillValid(page, '+12065550102', 'First message');
    await page.getByLabel('Participant display name').fill('Pat Customer');
    await byTestId(page, 'add-attribute').click();
    await page.getByLabel('Attribute 1 key').fill('orderId');
    await page.getByLabel('Attribute 1 value').fill('A-1001');

    // The preview shows what is signed, from signRequest, with the local access key id.
    const preview = byTestId(page, 'preview');
    assert.equal(await byTestId(page, 'preview-body').innerText(),
      pkg.serializeChatIntegrationEvent({
        SourceId: '+12065550102', DestinationId: ARN, Subtype: 'connect:sms',
        Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'First message' },
        NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain'], ParticipantDetails: { DisplayName: 'Pat Customer' }, Attributes: { orderId: 'A-1001' } },
      }));
    const canonical = await byTestId(page, 'preview-canonical').innerText();
    assert.match(canonical, /^POST\n\/chat-integration-event\n\ncontent-type:application\/json\nhost:127\.0\.0\.1:\d+\n/);
    assert.match(await byTestId(page, 'preview-string-to-sign').innerText(), /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/connect\/aws4_request\n[0-9a-f]{64}$/);
    assert.match(await byTestId(page, 'preview-authorization').innerText(),
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCALCONNECT0001\/\d{8}\/us-east-1\/connect\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/);
    assert.ok(!(await preview.innerText()).includes(SECRET));

    // 1. A new chat.
    const first = await sendAndRead(page);
    assert.match(first, /NewChatCreated: true/);
    const contactId = /InitialContactId: (\S+)/.exec(first)?.[1];
    assert.ok(contactId, first);
    await page.screenshot({ path: shot('sent') });

    // 2. A reply on the same chat: same contact, not new.
    await byTestId(page, 'content').fill('Second message ✓');
    const second = await sendAndRead(page);
    assert.match(second, /NewChatCreated: false/);
    assert.match(second, new RegExp(`InitialContactId: ${contactId}`));

    // The chats view shows the active chat with both messages.
    const chat = byTestId(page, 'chats').locator(`[data-contact-id="${contactId}"]`);
    await chat.locator('li', { hasText: 'Second message ✓' }).waitFor();
    assert.equal(await chat.getAttribute('data-status'), 'active');
    assert.match(await chat.innerText(), /Pat Customer/);

    // 3. DISCONNECT ends it.
    await byTestId(page, 'event-type').selectOption('DISCONNECT');
    const third = await sendAndRead(page);
    assert.match(third, new RegExp(`InitialContactId: ${contactId}`));
    assert.match(third, /NewChatCreated: false/);
    await page.waitForFunction((id) => document.querySelector(`[data-testid="chats"] [data-contact-id="${id}"]`)?.dataset.status === 'ended', contactId);
    const transcript = await chat.locator('.transcript li').allInnerTexts();
    assert.equal(transcript.length, 3, transcript.join('\n'));
    assert.match(transcript[0], /MESSAGE.*text\/plain.*First message/s);
    assert.match(transcript[1], /Second message ✓/);
    assert.match(transcript[2], /DISCONNECT/);
    const [onServer] = (await chatsFromServer()).filter((c) => c.contactId === contactId);
    assert.equal(onServer.status, 'ENDED');

    // The next MESSAGE on the same (SourceId, DestinationId, Subtype) starts a new contact.
    await byTestId(page, 'event-type').selectOption('MESSAGE');
    await byTestId(page, 'content-type').selectOption('text/plain');
    const fourth = await sendAndRead(page);
    assert.match(fourth, /NewChatCreated: true/);
    assert.ok(!fourth.includes(contactId));

    // History: this session's four sends, newest first.
    const history = await byTestId(page, 'history').locator('li').allInnerTexts();
    assert.equal(history.length, 4);
    assert.match(history[3], /MESSAGE.*NewChatCreated: true/s);
    assert.match(history[1], /DISCONNECT/);
    // "Load" puts an earlier send back into the form.
    await page.getByRole('button', { name: 'Load send 1 into the form' }).click();
    assert.equal(await byTestId(page, 'content').inputValue(), 'First message');
    assert.equal(await page.getByLabel('Attribute 1 value').inputValue(), 'A-1001');

    // Live: an event sent by another client (Node, not this page) appears through the event stream.
    const client = new pkg.ConnectChatClient({ region: 'us-east-1', endpoint: serve.url, credentials: LOCAL_CREDENTIALS });
    const out = await client.sendChatIntegrationEvent({
      SourceId: '+12065550199', DestinationId: ARN, Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Sent from Node while the page watches' },
    });
    await byTestId(page, 'chats').locator(`[data-contact-id="${out.InitialContactId}"]`, { hasText: 'Sent from Node while the page watches' })
      .waitFor({ timeout: 10000 });
    await byTestId(page, 'chats').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('chats') });

    // Reset from the console empties the view.
    await byTestId(page, 'chats-reset').click();
    await byTestId(page, 'chats').getByText('No chats yet').waitFor();
    assert.deepEqual(await chatsFromServer(), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a refused request shows the typed error and its message', async () => {
  const { page, context, errors } = await openConsole();
  try {
    await fillValid(page, '+12065550103');
    await byTestId(page, 'access-key-id').fill('AKIDNOTKNOWN00000000');
    await byTestId(page, 'secret-access-key').fill('some-other-secret');
    const text = await sendAndRead(page);
    assert.match(text, /^UnrecognizedClientException: /);
    assert.equal(await byTestId(page, 'error-name').innerText(), 'UnrecognizedClientException');
    assert.ok((await byTestId(page, 'error-message').innerText()).length > 10);
    assert.match(text, /HTTP status: 403/);
    assert.match(await byTestId(page, 'history').innerText(), /UnrecognizedClientException \(HTTP 403\)/);
    // The right key id with the wrong secret: a signature mismatch.
    await byTestId(page, 'access-key-id').fill(LOCAL_CREDENTIALS.accessKeyId);
    assert.match(await sendAndRead(page), /^InvalidSignatureException: /);
    // The browser reports the 403 responses themselves; nothing else may be logged.
    assert.deepEqual(errors.filter((e) => !/Failed to load resource: the server responded with a status of 403/.test(e)), []);
    assert.equal(errors.length, 2);
  } finally {
    await context.close();
  }
});

test('secrets never appear in the page or in storage; sessionStorage holds them only when the user opts in', async () => {
  const { page, context, errors } = await openConsole();
  try {
    const leaks = () => page.evaluate((secret) => ({
      text: document.body.innerText.includes(secret),
      html: document.documentElement.outerHTML.includes(secret),
      values: [...document.querySelectorAll('input, textarea, select')]
        .filter((el) => el.id !== 'secret-access-key' && el.value.includes(secret)).map((el) => el.id),
      placeholders: [...document.querySelectorAll('[placeholder]')].some((el) => el.placeholder.includes(secret)),
      local: localStorage.length,
      session: Object.keys(sessionStorage).map((k) => sessionStorage.getItem(k)).join('\n').includes(secret),
    }), SECRET);

    // Typed by the user into the password field, then used to sign and send.
    await byTestId(page, 'access-key-id').fill(LOCAL_CREDENTIALS.accessKeyId);
    await byTestId(page, 'secret-access-key').fill(SECRET);
    await fillValid(page, '+12065550104');
    assert.match(await sendAndRead(page), /NewChatCreated: true/);
    assert.deepEqual(await leaks(), { text: false, html: false, values: [], placeholders: false, local: 0, session: false });

    // The local test pair button: the secret goes to memory, not into the input.
    await byTestId(page, 'forget-credentials').click();
    assert.equal(await byTestId(page, 'send').isDisabled(), true, 'no credentials: no send');
    await byTestId(page, 'use-local-credentials').click();
    assert.equal(await byTestId(page, 'secret-access-key').inputValue(), '', 'the secret is not rendered back into the field');
    assert.match(await page.locator('#credentials-state').innerText(), /local test secret \(hidden\)/);
    assert.match(await sendAndRead(page), /NewChatCreated: false/);
    assert.deepEqual(await leaks(), { text: false, html: false, values: [], placeholders: false, local: 0, session: false });

    // Opting in keeps the credentials for this tab in sessionStorage (never localStorage)...
    await byTestId(page, 'remember').check();
    assert.equal((await leaks()).session, true);
    assert.equal((await leaks()).local, 0);
    // ...so a reload can still send, without showing the secret.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await byTestId(page, 'secret-access-key').inputValue(), '');
    assert.equal(await byTestId(page, 'remember').isChecked(), true);
    await fillValid(page, '+12065550104');
    assert.match(await sendAndRead(page), /NewChatCreated: false/);
    const after = await leaks();
    assert.deepEqual({ ...after, session: undefined }, { text: false, html: false, values: [], placeholders: false, local: 0, session: undefined });
    // Opting out removes them.
    await byTestId(page, 'remember').uncheck();
    assert.equal((await leaks()).session, false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('keyboard only: fill the form and send without the mouse', async () => {
  const { page, context, errors } = await openConsole();
  try {
    await byTestId(page, 'use-local-credentials').focus();
    await page.keyboard.press('Enter');
    await byTestId(page, 'source-id').focus();
    await page.keyboard.type('+12065550105');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'destination-id');
    await page.keyboard.type(ARN);
    await page.keyboard.press('Tab'); // subtype (prefilled connect:sms)
    await page.keyboard.press('Tab'); // event type
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'event-type');
    await page.keyboard.press('Tab'); // content type
    await page.keyboard.press('Tab'); // content
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'content');
    await page.keyboard.type('Typed with the keyboard');
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.dataset.testid === 'send');
    }
    assert.ok(reached, 'Tab reaches Send');
    await page.keyboard.press('Enter');
    await byTestId(page, 'result').getByText('NewChatCreated: true').waitFor();
    // A summary item moves focus to its field.
    await byTestId(page, 'source-id').fill('');
    await byTestId(page, 'issues').locator('a').first().focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'source-id');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('readable at 375 px wide: no horizontal scrolling, even with long previews and results', async () => {
  const { page, context, errors } = await openConsole({ width: 375, height: 812 });
  try {
    const overflow = () => page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    let o = await overflow();
    assert.ok(o.scroll <= o.inner, `empty form: scrollWidth ${o.scroll} > ${o.inner}`);
    await byTestId(page, 'use-local-credentials').click();
    await fillValid(page, '+12065550106', 'A long message without spaces: ' + 'x'.repeat(300));
    await byTestId(page, 'add-attribute').click();
    await page.getByLabel('Attribute 1 key').fill('k'.repeat(80));
    assert.match(await sendAndRead(page), /NewChatCreated: true/);
    await byTestId(page, 'chats').locator('[data-testid="chat"]').first().waitFor();
    o = await overflow();
    assert.ok(o.scroll <= o.inner, `after send: scrollWidth ${o.scroll} > ${o.inner}`);
    await byTestId(page, 'result').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('375') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('another endpoint than the local one: the chats view says it needs the local endpoint, the preview follows', async () => {
  const { page, context, errors } = await openConsole();
  try {
    await byTestId(page, 'use-local-credentials').click();
    await fillValid(page, '+12065550107');
    await byTestId(page, 'endpoint').fill('');
    await byTestId(page, 'region').fill('eu-west-2');
    await byTestId(page, 'chats').getByText('only available with the local endpoint').waitFor();
    assert.match(await byTestId(page, 'preview-request').innerText(), /\nhost: connect\.eu-west-2\.amazonaws\.com\n/);
    assert.match(await byTestId(page, 'preview-string-to-sign').innerText(), /\/eu-west-2\/connect\/aws4_request/);
    // A bad endpoint is reported beside the field and blocks sending.
    await byTestId(page, 'endpoint').fill('ftp://example.invalid');
    assert.match(await page.locator('#endpoint-issues').innerText(), /EndpointError/);
    assert.equal(await byTestId(page, 'send').isDisabled(), true);
    // Back to the local endpoint: the chats view returns.
    await byTestId(page, 'endpoint').fill(serve.url);
    await byTestId(page, 'region').fill('us-east-1');
    await page.waitForFunction(() => !document.querySelector('[data-testid="chats"]').innerText.includes('only available'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('from any static host: www/ with the package copied as pkg/, talking to serve through CORS', async () => {
  const site = await startStatic(layOutStaticSite(pkgDir));
  const cross = await startServe(['--cors-origin', site.url]);
  const { page, context, errors } = await openConsole({ url: `${site.url}/` });
  try {
    assert.match(await page.locator('#load-status').innerText(), /Ready/);
    // The static host is not an endpoint: the chats view says so.
    assert.equal(await byTestId(page, 'endpoint').inputValue(), site.url);
    await byTestId(page, 'chats').getByText('only available with the local endpoint').waitFor();
    await byTestId(page, 'endpoint').fill(cross.url);
    await byTestId(page, 'use-local-credentials').click();
    await fillValid(page, '+12065550108', 'Across origins');
    assert.match(await sendAndRead(page), /NewChatCreated: true/);
    await byTestId(page, 'chats').locator('[data-testid="chat"]', { hasText: 'Across origins' }).waitFor();
    // The only console error is the browser's report of the static host's 404 for /_emulator/chats.
    assert.deepEqual(errors.filter((e) => !/status of 404.*\/_emulator\/chats\)$/.test(e)), []);
  } finally {
    await context.close();
    await cross.stop();
    await site.close();
  }
});

test('the chats view follows the listing past its first page (100 chats a page)', async () => {
  const many = await startServe();
  try {
    const client = new pkg.ConnectChatClient({ region: 'us-east-1', endpoint: many.url, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const inputs = Array.from({ length: 130 }, (_, i) => ({
      SourceId: `+1206555${String(1000 + i)}`, DestinationId: ARN, Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: `paged chat ${i}` },
    }));
    const results = await client.sendChatIntegrationEvents(inputs, { concurrency: 8 });
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 130);
    const { page, context, errors } = await openConsole({ url: `${many.url}/` });
    try {
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="chat"]').length === 130, null, { timeout: 20000 });
      await byTestId(page, 'chats').locator('[data-testid="chat"]', { hasText: 'paged chat 129' }).waitFor();
      await byTestId(page, 'chats').locator('[data-testid="chat"]', { hasText: 'paged chat 0' }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  } finally {
    await many.stop();
  }
});
