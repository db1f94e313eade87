// The console's agent side, in Debian's headless Chromium (playwright-core), against `connect-chat-events serve
// --streaming-endpoint` from the installed package: a chat started from the form gets a reply box and an
// "End chat" button; both go through the inspection API into the transcript and the message stream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tool, root } from './support/tools.mjs';
import { importPackage } from './support/app.mjs';
import { startServe, LOCAL_CREDENTIALS } from './support/console-server.mjs';
import { startSubscriber } from './support/sns-subscriber.mjs';

const artifacts = join(root, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const ARN = 'arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:console-stream';
const ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';

let serve;
let browser;
let sub;
let pkg;

before(async () => {
  pkg = await importPackage();
  sub = await startSubscriber();
  serve = await startServe(['--streaming-endpoint', `${TOPIC}=${sub.url}`]);
  const pw = await tool('playwright-core');
  const chromium = pw.chromium ?? pw.default.chromium;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  if (serve) assert.equal(await serve.stop(), 0, 'serve stops cleanly on SIGTERM');
  await sub?.close();
});

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`);

test('reply as the agent and end the chat from the chats view; drafts survive live updates', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  try {
    await page.goto(`${serve.url}/`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
    await byTestId(page, 'use-local-credentials').click();
    await byTestId(page, 'source-id').fill('+12065550177');
    await byTestId(page, 'destination-id').fill(ARN);
    await byTestId(page, 'content').fill('Is anyone there?');
    await byTestId(page, 'streaming-arn').fill(TOPIC);
    const before = await byTestId(page, 'history').locator('li').count();
    await byTestId(page, 'send').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="history"] li').length > n, before);
    const result = await byTestId(page, 'result').innerText();
    const contactId = /InitialContactId: (\S+)/.exec(result)?.[1];
    assert.ok(contactId, result);

    const chat = byTestId(page, 'chats').locator(`[data-contact-id="${contactId}"]`);
    await chat.locator('.transcript li', { hasText: 'Is anyone there?' }).waitFor();
    const box = chat.getByLabel('Reply as the agent');
    await box.fill('Hello, this is the agent.');
    await chat.getByRole('button', { name: 'Send as agent' }).click();
    await chat.locator('.transcript li[data-role="agent"]', { hasText: 'Hello, this is the agent.' }).waitFor();
    assert.equal(await box.inputValue(), '', 'the box is emptied after sending');
    assert.match(await chat.locator('[data-testid="agent-note"]').innerText(), /Sent as the agent/);
    await sub.waitFor(() => sub.delivered(contactId).some((i) => i.ParticipantRole === 'AGENT' && i.Content === 'Hello, this is the agent.'));

    // A draft, focused, while another event re-renders the view live: the text and the focus stay.
    await box.fill('half-typed answ');
    const client = new pkg.ConnectChatClient({ region: 'us-east-1', endpoint: serve.url, credentials: LOCAL_CREDENTIALS });
    await client.sendChatIntegrationEvent({
      SourceId: '+12065550177', DestinationId: ARN, Subtype: 'connect:sms',
      Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'Still here' },
    });
    await chat.locator('.transcript li', { hasText: 'Still here' }).waitFor();
    assert.equal(await box.inputValue(), 'half-typed answ');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'agent-reply-text');
    await page.keyboard.type('er');
    await page.keyboard.press('Control+Enter'); // sends from the keyboard
    await chat.locator('.transcript li[data-role="agent"]', { hasText: 'half-typed answer' }).waitFor();

    // Every control still has an accessible name.
    const unnamed = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
        || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => el.outerHTML));
    assert.deepEqual(unnamed, []);
    await page.evaluate((id) => document.querySelector(`[data-contact-id="${id}"]`)?.scrollIntoView(), contactId);
    await page.screenshot({ path: join(artifacts, 'console-agent.png') });

    // End chat: ended in the view (no more reply box), on the server, and on the message stream.
    await chat.getByRole('button', { name: 'End chat' }).click();
    await page.waitForFunction((id) => document.querySelector(`[data-testid="chats"] [data-contact-id="${id}"]`)?.dataset.status === 'ended', contactId);
    assert.equal(await chat.getByLabel('Reply as the agent').count(), 0);
    const view = await (await fetch(`${serve.url}/_emulator/chats/${contactId}`)).json();
    assert.equal(view.status, 'ENDED');
    assert.deepEqual(view.transcript.map((e) => [e.type, e.participantRole ?? 'CUSTOMER']),
      [['MESSAGE', 'CUSTOMER'], ['MESSAGE', 'AGENT'], ['MESSAGE', 'CUSTOMER'], ['MESSAGE', 'AGENT'], ['DISCONNECT', 'AGENT']]);
    await sub.waitFor(() => sub.delivered(contactId).at(-1)?.ContentType === ENDED);
    assert.equal(view.streaming.status, 'streaming');
    // The chat card shows the delivery status of its message stream, kept up to date by stream-delivery events.
    await chat.locator('[data-testid="chat-streaming"]', { hasText: `Message streaming to ${sub.url}: 8 delivered, 0 failed, 0 pending.` })
      .waitFor({ timeout: 10000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an agent reply the endpoint refuses is reported beside the box, and the draft is kept', async () => {
  const client = new pkg.ConnectChatClient({ region: 'us-east-1', endpoint: serve.url, credentials: LOCAL_CREDENTIALS });
  const out = await client.sendChatIntegrationEvent({
    SourceId: '+12065550178', DestinationId: ARN, Subtype: 'connect:sms',
    Event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello' },
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(`${serve.url}/`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
    const chat = byTestId(page, 'chats').locator(`[data-contact-id="${out.InitialContactId}"]`);
    const tooLong = 'x'.repeat(16385);
    await chat.getByLabel('Reply as the agent').fill(tooLong);
    await chat.getByRole('button', { name: 'Send as agent' }).click();
    await chat.locator('[data-testid="agent-note"]', { hasText: 'InvalidRequestException' }).waitFor();
    assert.match(await chat.locator('[data-testid="agent-note"]').innerText(), /16385 bytes/);
    assert.equal(await chat.getByLabel('Reply as the agent').inputValue(), tooLong);
    const view = await (await fetch(`${serve.url}/_emulator/chats/${out.InitialContactId}`)).json();
    assert.equal(view.transcript.length, 1, 'nothing was added');
    assert.equal(view.streaming, null, 'no StreamingConfiguration: nothing is streamed');
    assert.equal(await chat.locator('[data-testid="chat-streaming"]').count(), 0);
  } finally {
    await context.close();
  }
});
