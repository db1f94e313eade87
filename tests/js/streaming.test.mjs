// Chat message streaming and the agent side of the local endpoint, from the installed package, over real HTTP on
// 127.0.0.1: a chat whose StreamingConfiguration names a mapped SNS topic is POSTed to a local subscriber as SNS
// HTTP notifications (envelope, item, order, retries), the agent answers and ends chats through the inspection
// API, and agent messages survive a restart with --state.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { root } from './support/tools.mjs';
import { join } from 'node:path';
import { UUID, smsChat, message, startEmbedded, client, send, spawnServe, runCli, readSse, emulator } from './support/serve-helpers.mjs';
import { pkgDir } from './support/app.mjs';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';
import { startSubscriber } from './support/sns-subscriber.mjs';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:connect-chat-stream';
const UNMAPPED = 'arn:aws:sns:us-east-1:123456789012:nobody-listens';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const JOINED = 'application/vnd.amazonaws.connect.event.participant.joined';
const LEFT = 'application/vnd.amazonaws.connect.event.participant.left';
const ENDED = 'application/vnd.amazonaws.connect.event.chat.ended';
const FAST_RETRIES = { numRetries: 3, minDelayTarget: 0.05, maxDelayTarget: 0.05 };

const streamed = (arn = TOPIC, extra = {}) => ({ StreamingConfiguration: { StreamingEndpointArn: arn }, ...extra });
const json = (body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const chatView = async (srv, id) => (await send(`${srv.url}/_emulator/chats/${id}`)).json;
/** The string SNS signs for a Notification, built here from the documentation, not from the server's code. */
const stringToSign = (e) => `Message\n${e.Message}\nMessageId\n${e.MessageId}\nTimestamp\n${e.Timestamp}\nTopicArn\n${e.TopicArn}\nType\n${e.Type}\n`;

describe('SNS HTTP notifications', () => {
  let sub;
  let srv;
  before(async () => {
    sub = await startSubscriber();
    srv = await startEmbedded({ streamingEndpoints: { [TOPIC]: sub.url }, streamingRetryPolicy: FAST_RETRIES });
  });
  after(async () => { await srv.close(); await sub.close(); });

  test('a customer message arrives as an SNS notification: headers, envelope and the Amazon Connect item', async () => {
    const chat = smsChat();
    const out = await client(srv.url).sendChatIntegrationEvent({
      ...chat, Event: message('Hi, where is my order?'), NewSessionDetails: streamed(TOPIC, { ParticipantDetails: { DisplayName: 'Ana' } }),
    });
    const id = out.InitialContactId;
    await sub.waitFor(() => sub.delivered(id).length === 2);
    const [joinedReq, msgReq] = sub.requests.filter((r) => r.item?.InitialContactId === id);

    // Headers, as SNS sends them to an HTTP endpoint.
    const h = msgReq.headers;
    assert.equal(msgReq.method, 'POST');
    assert.equal(msgReq.url, '/sns');
    assert.equal(h['x-amz-sns-message-type'], 'Notification');
    assert.equal(h['x-amz-sns-message-id'], msgReq.envelope.MessageId);
    assert.equal(h['x-amz-sns-topic-arn'], TOPIC);
    assert.match(h['x-amz-sns-subscription-arn'], new RegExp(`^${TOPIC}:[0-9a-f-]{36}$`));
    assert.equal(h['content-type'], 'text/plain; charset=UTF-8');

    // The envelope.
    const e = msgReq.envelope;
    assert.deepEqual(Object.keys(e).sort(), ['Message', 'MessageAttributes', 'MessageId', 'Signature', 'SignatureVersion',
      'SigningCertURL', 'Timestamp', 'TopicArn', 'Type', 'UnsubscribeURL']);
    assert.equal(e.Type, 'Notification');
    assert.match(e.MessageId, UUID);
    assert.notEqual(e.MessageId, joinedReq.envelope.MessageId);
    assert.equal(e.TopicArn, TOPIC);
    assert.equal(typeof e.Message, 'string');
    assert.match(e.Timestamp, ISO);
    assert.equal(e.SignatureVersion, '1');
    assert.equal(e.Signature, createHash('sha256').update(stringToSign(e)).digest('base64'), 'the documented stand-in signature');
    assert.ok(!/amazonaws\.com/.test(e.SigningCertURL), 'a real SNS verifier must refuse the certificate URL');
    assert.ok(e.SigningCertURL.startsWith(srv.url));
    assert.ok(e.UnsubscribeURL.includes(encodeURIComponent(h['x-amz-sns-subscription-arn'])));
    assert.deepEqual(e.MessageAttributes, {
      InitialContactId: { Type: 'String', Value: id },
      ContactId: { Type: 'String', Value: id },
      ParticipantRole: { Type: 'String', Value: 'CUSTOMER' },
      InstanceId: { Type: 'String', Value: e.MessageAttributes.InstanceId.Value },
      AccountId: { Type: 'String', Value: '123456789012' },
      Type: { Type: 'String', Value: 'MESSAGE' },
      ContentType: { Type: 'String', Value: 'text/plain' },
      MessageVisibility: { Type: 'String', Value: 'ALL' },
    });

    // The item: the customer joined, then the message.
    const joined = joinedReq.item;
    assert.deepEqual(Object.keys(joined).sort(), ['AbsoluteTime', 'ContactId', 'ContentType', 'DisplayName', 'Id', 'InitialContactId',
      'ParticipantId', 'ParticipantRole', 'Type']);
    assert.equal(joined.Type, 'EVENT');
    assert.equal(joined.ContentType, JOINED);
    assert.equal(joined.ParticipantRole, 'CUSTOMER');
    const item = msgReq.item;
    assert.match(item.Id, UUID);
    assert.equal(item.Type, 'MESSAGE');
    assert.equal(item.ContentType, 'text/plain');
    assert.equal(item.Content, 'Hi, where is my order?');
    assert.match(item.AbsoluteTime, ISO);
    assert.match(item.ParticipantId, UUID);
    assert.equal(item.ParticipantId, joined.ParticipantId);
    assert.equal(item.DisplayName, 'Ana');
    assert.equal(item.ParticipantRole, 'CUSTOMER');
    assert.equal(item.InitialContactId, id);
    assert.equal(item.ContactId, id);

    // The chat view records the outcome of each delivery.
    const view = await chatView(srv, id);
    assert.equal(view.streaming.status, 'streaming');
    assert.equal(view.streaming.StreamingEndpointArn, TOPIC);
    assert.equal(view.streaming.subscriber, sub.url);
    assert.equal(view.streaming.delivered, 2);
    assert.deepEqual(view.streaming.deliveries.map((d) => [d.MessageId, d.status, d.attempts, d.lastStatusCode]),
      [[joinedReq.envelope.MessageId, 'delivered', 1, 200], [e.MessageId, 'delivered', 1, 200]]);
  });

  test('typing events and a customer DISCONNECT stream as EVENTs: participant left, then chat ended (SYSTEM)', async () => {
    const chat = smsChat();
    const c = client(srv.url);
    const { InitialContactId: id } = await c.sendChatIntegrationEvent({ ...chat, Event: message('one'), NewSessionDetails: streamed() });
    await c.sendChatIntegrationEvent({ ...chat, Event: { Type: 'EVENT', ContentType: 'application/vnd.amazonaws.connect.event.typing' } });
    await c.sendChatIntegrationEvent({ ...chat, Event: { Type: 'DISCONNECT' } });
    await sub.waitFor(() => sub.delivered(id).length === 5);
    const items = sub.delivered(id);
    assert.deepEqual(items.map((i) => [i.Type, i.ContentType, i.ParticipantRole]), [
      ['EVENT', JOINED, 'CUSTOMER'], ['MESSAGE', 'text/plain', 'CUSTOMER'],
      ['EVENT', 'application/vnd.amazonaws.connect.event.typing', 'CUSTOMER'],
      ['EVENT', LEFT, 'CUSTOMER'], ['EVENT', ENDED, 'SYSTEM'],
    ]);
    assert.equal(items[4].ParticipantId, undefined, 'chat.ended comes from the system, no participant');
    assert.equal(items[4].InitialContactId, id);
  });

  test('in order per chat, one notification in flight per chat, across two interleaved chats', async () => {
    // Earlier messages are answered more slowly: any overlap of a chat's deliveries would reorder them.
    const slow = await startSubscriber({ respond: (r) => ({ status: 200, delayMs: r.item.Type === 'MESSAGE' ? 40 - 4 * Number(r.item.Content.slice(2)) : 0 }) });
    const own = await startEmbedded({ streamingEndpoints: { [TOPIC]: slow.url } });
    try {
      const c = client(own.url);
      const a = smsChat();
      const b = smsChat();
      const ids = {};
      for (let i = 0; i < 10; i++) {
        for (const [name, chat] of [['a', a], ['b', b]]) {
          const out = await c.sendChatIntegrationEvent({ ...chat, Event: message(`${name}-${i}`), NewSessionDetails: streamed() });
          ids[name] = out.InitialContactId;
        }
      }
      await slow.waitFor(() => slow.delivered(ids.a).length === 11 && slow.delivered(ids.b).length === 11);
      for (const name of ['a', 'b']) {
        assert.deepEqual(slow.delivered(ids[name]).filter((i) => i.Type === 'MESSAGE').map((i) => i.Content),
          Array.from({ length: 10 }, (_, i) => `${name}-${i}`));
      }
      assert.equal(slow.maxInFlightPerChat, 1);
      // The two chats do not wait for each other: their deliveries overlap in time.
      const spans = (id) => slow.requests.filter((r) => r.item.InitialContactId === id).map((r) => r.at);
      assert.ok(Math.min(...spans(ids.b)) < Math.max(...spans(ids.a)), 'chat b was served while chat a was');
    } finally {
      await own.close();
      await slow.close();
    }
  });

  test('chats without StreamingConfiguration stream nothing; their view says streaming: null', async () => {
    const before = sub.requests.length;
    const out = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('not streamed') });
    // A streamed chat after it: once its items arrived, the first chat's would have too.
    const marker = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('marker'), NewSessionDetails: streamed() });
    await sub.waitFor(() => sub.delivered(marker.InitialContactId).length === 2);
    assert.deepEqual(sub.requests.slice(before).map((r) => r.item.InitialContactId), [marker.InitialContactId, marker.InitialContactId]);
    assert.equal((await chatView(srv, out.InitialContactId)).streaming, null);
  });

  test('an ARN that no --streaming-endpoint maps is recorded as "streaming requested, no subscriber"', async () => {
    const before = sub.requests.length;
    const out = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('lost'), NewSessionDetails: streamed(UNMAPPED) });
    const view = (await chatView(srv, out.InitialContactId)).streaming;
    assert.equal(view.status, 'streaming requested, no subscriber');
    assert.equal(view.StreamingEndpointArn, UNMAPPED);
    assert.equal(view.subscriber, null);
    assert.equal(view.undelivered, 2);
    assert.deepEqual(view.deliveries, []);
    await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(sub.requests.length, before);
  });

  test('GET /_emulator/streaming lists the mappings and the retry policy', async () => {
    const info = (await send(`${srv.url}/_emulator/streaming`)).json;
    assert.equal(info.endpoints.length, 1);
    assert.equal(info.endpoints[0].topicArn, TOPIC);
    assert.equal(info.endpoints[0].url, sub.url);
    assert.deepEqual(info.retryDelaysSeconds, [0.05, 0.05, 0.05]);
  });
});

describe('delivery retries', () => {
  test('a subscriber that fails the first 2 attempts of each notification gets them on the 3rd, same MessageId, after the delays', async () => {
    const seen = new Map();
    const sub = await startSubscriber({
      respond: (r) => {
        const n = (seen.get(r.envelope.MessageId) ?? 0) + 1;
        seen.set(r.envelope.MessageId, n);
        return { status: n <= 2 ? 500 : 200 };
      },
    });
    const srv = await startEmbedded({ streamingEndpoints: [`${TOPIC}=${sub.url}`], streamingRetryPolicy: { numRetries: 3, minDelayTarget: 0.1, maxDelayTarget: 0.1 } });
    try {
      const { InitialContactId: id } = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('retry me'), NewSessionDetails: streamed() });
      await sub.waitFor(() => sub.delivered(id).length === 2, 10000);
      const attempts = sub.requests.filter((r) => r.item.Type === 'MESSAGE');
      assert.deepEqual(attempts.map((r) => r.status), [500, 500, 200]);
      assert.equal(new Set(attempts.map((r) => r.envelope.MessageId)).size, 1, 'a retry resends the same message id');
      assert.equal(new Set(attempts.map((r) => r.body)).size, 1, 'and the same body');
      for (let i = 1; i < attempts.length; i++) assert.ok(attempts[i].at - attempts[i - 1].at >= 90, `retry ${i} waited`);
      // The joined event (first) was delivered before the message was tried at all: order holds through retries.
      const firstMessage = sub.requests.findIndex((r) => r.item.Type === 'MESSAGE');
      assert.equal(sub.requests.slice(0, firstMessage).filter((r) => r.status === 200).length, 1);
      const d = (await chatView(srv, id)).streaming.deliveries.find((x) => x.Type === 'MESSAGE');
      assert.equal(d.status, 'delivered');
      assert.equal(d.attempts, 3);
      assert.deepEqual(d.attemptLog.map((a) => a.statusCode), [500, 500, 200]);
    } finally {
      await srv.close();
      await sub.close();
    }
  });

  test('when the policy is exhausted the notification is recorded as failed and the next one is delivered', async () => {
    const sub = await startSubscriber({ respond: (r) => ({ status: r.item.Content === 'doomed' ? 503 : 200 }) });
    const srv = await startEmbedded({ streamingEndpoints: { [TOPIC]: sub.url }, streamingRetryPolicy: { numRetries: 2, minDelayTarget: 0.02, maxDelayTarget: 0.02 } });
    try {
      const chat = smsChat();
      const c = client(srv.url);
      const { InitialContactId: id } = await c.sendChatIntegrationEvent({ ...chat, Event: message('doomed'), NewSessionDetails: streamed() });
      await c.sendChatIntegrationEvent({ ...chat, Event: message('fine') });
      await sub.waitFor(() => sub.delivered(id).some((i) => i.Content === 'fine'));
      const v = (await chatView(srv, id)).streaming;
      assert.deepEqual(v.deliveries.map((d) => [d.Type, d.status, d.attempts]), [['EVENT', 'delivered', 1], ['MESSAGE', 'failed', 3], ['MESSAGE', 'delivered', 1]]);
      assert.equal(v.deliveries[1].lastError, 'HTTP 503');
      assert.equal(v.failed, 1);
      assert.equal(sub.requests.filter((r) => r.item.Content === 'doomed').length, 3);
    } finally {
      await srv.close();
      await sub.close();
    }
  });

  test('a subscriber that is down counts as failed attempts too (connection refused)', async () => {
    const sub = await startSubscriber();
    const deadUrl = sub.url;
    await sub.close();
    const srv = await startEmbedded({ streamingEndpoints: { [TOPIC]: deadUrl }, streamingRetryPolicy: { numRetries: 1, minDelayTarget: 0.01, maxDelayTarget: 0.01 } });
    try {
      const { InitialContactId: id } = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('x'), NewSessionDetails: streamed() });
      let v;
      for (let i = 0; i < 100; i++) {
        v = (await chatView(srv, id)).streaming;
        if (v.failed === 2) break;
        await new Promise((ok) => setTimeout(ok, 20));
      }
      assert.equal(v.failed, 2);
      assert.match(v.deliveries[0].lastError, /ECONNREFUSED/);
    } finally {
      await srv.close();
    }
  });

  test('an attempt with no answer within streamingTimeoutMs fails and is retried', async () => {
    const sub = await startSubscriber({ respond: (r, n) => ({ status: 200, delayMs: n === 0 ? 3000 : 0 }) });
    const srv = await startEmbedded({ streamingEndpoints: { [TOPIC]: sub.url }, streamingTimeoutMs: 150, streamingRetryPolicy: { numRetries: 1, minDelayTarget: 0, maxDelayTarget: 0 } });
    try {
      const { InitialContactId: id } = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('t'), NewSessionDetails: streamed() });
      let v;
      for (let i = 0; i < 100 && v?.delivered !== 2; i++) {
        await new Promise((ok) => setTimeout(ok, 30));
        v = (await chatView(srv, id)).streaming;
      }
      assert.equal(v.delivered, 2);
      assert.deepEqual(v.deliveries[0].attemptLog.map((a) => a.error ?? a.statusCode), ['no answer within 150 ms', 200]);
      assert.ok(v.deliveries[0].attemptLog[0].durationMs >= 140);
    } finally {
      await srv.close();
      await sub.close();
    }
  });

  test('a slow subscriber never delays SendChatIntegrationEvent', async () => {
    const sub = await startSubscriber({ respond: () => ({ status: 200, delayMs: 1500 }) });
    const srv = await startEmbedded({ streamingEndpoints: { [TOPIC]: sub.url } });
    try {
      const c = client(srv.url);
      const chat = smsChat();
      const times = [];
      let id;
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const out = await c.sendChatIntegrationEvent({ ...chat, Event: message(`m${i}`), NewSessionDetails: streamed() });
        times.push(performance.now() - t);
        id = out.InitialContactId;
      }
      const total = times.reduce((a, b) => a + b, 0);
      assert.ok(total < 1000, `5 sends took ${Math.round(total)} ms while the subscriber takes 1.5 s per notification`);
      const v = (await chatView(srv, id)).streaming;
      assert.ok(v.pending >= 5, `${v.pending} notifications still queued`);
      assert.equal(v.delivered, 0);
    } finally {
      await srv.close();
      await sub.close();
    }
  });

  test('behind a subscriber that does not answer, a chat queues at most 1,000 notifications; more fail at once', async () => {
    const { StreamingPublisher, MAX_QUEUED_PER_CHAT } = await import(pathToFileURL(join(pkgDir, 'server', 'streaming.mjs')).href);
    const sub = await startSubscriber({ respond: () => ({ status: 200, delayMs: 5000 }) });
    const publisher = new StreamingPublisher({ endpoints: new Map([[TOPIC, sub.url]]) });
    try {
      const chat = { contactId: '11111111-2222-4333-8444-555555555555', newSessionDetails: streamed(), transcript: [] };
      for (let i = 0; i < 1001; i++) {
        const entry = { at: new Date().toISOString(), type: 'MESSAGE', contentType: 'text/plain', content: `m${i}` };
        chat.transcript.push(entry);
        publisher.publish(chat, entry); // synchronous: never waits for the subscriber
      }
      const v = publisher.view(chat);
      assert.equal(MAX_QUEUED_PER_CHAT, 1000);
      assert.equal(v.published, 1002, 'the customer joined, then 1,001 messages');
      assert.equal(v.pending, 1000);
      assert.equal(v.failed, 2);
      assert.match(v.deliveries.at(-1).lastError, /1000 notifications of this chat are already waiting/);
    } finally {
      publisher.close();
      await sub.close();
    }
  });

  test('bad streaming options are refused at start', async () => {
    await assert.rejects(emulator.startServer({ port: 0, streamingEndpoints: { 'arn:aws:sqs:us-east-1:123456789012:q': 'http://127.0.0.1:1/' } }), /not an SNS topic ARN/);
    await assert.rejects(emulator.startServer({ port: 0, streamingEndpoints: { [TOPIC]: 'ftp://x/' } }), /http:\/\/ or https:\/\//);
    await assert.rejects(emulator.startServer({ port: 0, streamingRetryPolicy: { numRetries: 101 } }), /numRetries/);
    await assert.rejects(emulator.startServer({ port: 0, streamingTimeoutMs: 0 }), /streamingTimeoutMs/);
    await assert.rejects(emulator.startServer({ port: 0, streamingRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 20 } }), /minDelayTarget/);
    await assert.rejects(emulator.startServer({ port: 0, streamingRetryPolicy: { numRetries: 100, minDelayTarget: 40, maxDelayTarget: 40 } }), /3600/);
  });
});

describe('the agent side: POST /_emulator/chats/{contactId}/messages and /disconnect', () => {
  let sub;
  let srv;
  before(async () => {
    sub = await startSubscriber();
    srv = await startEmbedded({ streamingEndpoints: { [TOPIC]: sub.url } });
  });
  after(async () => { await srv.close(); await sub.close(); });

  test('the agent answers and ends the chat: transcript, event stream and message stream', async () => {
    const chat = smsChat();
    const { InitialContactId: id } = await client(srv.url).sendChatIntegrationEvent({ ...chat, Event: message('Hello?'), NewSessionDetails: streamed() });
    let reply;
    const events = await readSse(`${srv.url}/_emulator/events`, (evs) => evs.filter((e) => e.event === 'chat-event').length >= 2, {
      onOpen: async () => {
        reply = await send(`${srv.url}/_emulator/chats/${id}/messages`, json({ Content: 'Hi! Let me check.', ContentType: 'text/plain' }));
        await send(`${srv.url}/_emulator/chats/${id}/messages`, json({ Content: 'It ships tomorrow.' }));
      },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.match(reply.json.Id, UUID);
    assert.match(reply.json.AbsoluteTime, ISO);
    assert.equal(reply.json.InitialContactId, id);
    const agentEvents = events.filter((e) => e.event === 'chat-event');
    assert.deepEqual(agentEvents.map((e) => [e.data.contactId, e.data.entry.participantRole, e.data.entry.content]),
      [[id, 'AGENT', 'Hi! Let me check.'], [id, 'AGENT', 'It ships tomorrow.']]);

    const bye = await send(`${srv.url}/_emulator/chats/${id}/disconnect`, json({}));
    assert.equal(bye.status, 200, bye.text);
    assert.deepEqual(bye.json, { InitialContactId: id, Status: 'ENDED' });

    await sub.waitFor(() => sub.delivered(id).length === 7);
    const items = sub.delivered(id);
    assert.deepEqual(items.map((i) => [i.Type, i.ContentType, i.ParticipantRole, i.Content ?? null]), [
      ['EVENT', JOINED, 'CUSTOMER', null], ['MESSAGE', 'text/plain', 'CUSTOMER', 'Hello?'],
      ['EVENT', JOINED, 'AGENT', null], ['MESSAGE', 'text/plain', 'AGENT', 'Hi! Let me check.'],
      ['MESSAGE', 'text/plain', 'AGENT', 'It ships tomorrow.'],
      ['EVENT', LEFT, 'AGENT', null], ['EVENT', ENDED, 'SYSTEM', null],
    ]);
    assert.equal(items[3].Id, reply.json.Id, 'the streamed item carries the id the API answered');
    assert.equal(items[3].DisplayName, 'Agent');
    assert.equal(items[2].ParticipantId, items[3].ParticipantId);
    assert.notEqual(items[3].ParticipantId, items[1].ParticipantId);
    assert.equal(sub.requests.find((r) => r.item?.Id === items[3].Id).envelope.MessageAttributes.ParticipantRole.Value, 'AGENT');

    const view = await chatView(srv, id);
    assert.equal(view.status, 'ENDED');
    assert.deepEqual(view.transcript.map((e) => [e.type, e.participantRole ?? 'CUSTOMER', e.content ?? null]), [
      ['MESSAGE', 'CUSTOMER', 'Hello?'], ['MESSAGE', 'AGENT', 'Hi! Let me check.'], ['MESSAGE', 'AGENT', 'It ships tomorrow.'],
      ['DISCONNECT', 'AGENT', null],
    ]);
    // Ended: the agent can do nothing more, and the customer's next message starts a new contact.
    const late = await send(`${srv.url}/_emulator/chats/${id}/messages`, json({ Content: 'late' }));
    assert.equal(late.status, 409);
    assert.equal(late.errorType, 'ConflictException');
    assert.equal((await send(`${srv.url}/_emulator/chats/${id}/disconnect`, json({}))).status, 409);
    const next = await client(srv.url).sendChatIntegrationEvent({ ...chat, Event: message('back') });
    assert.equal(next.NewChatCreated, true);
  });

  test('refused agent requests: not JSON, bad members, content types the chat cannot carry, unknown chats', async () => {
    const { InitialContactId: id } = await client(srv.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('hi') });
    const path = `${srv.url}/_emulator/chats/${id}/messages`;
    const form = await send(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Content=hi' });
    assert.equal(form.status, 403, 'a cross-site form cannot post as the agent');
    assert.equal(form.errorType, 'CsrfForbidden');
    assert.equal((await send(path, { method: 'POST', body: '{"Content":"hi"}' })).status, 403, 'text/plain (a CORS-simple type) is refused');
    const header = await send(path, { method: 'POST', headers: { 'x-emulator-request': '1', 'content-type': 'text/plain' }, body: '{"Content":"hi"}' });
    assert.equal(header.status, 415, 'the body must still be declared JSON');
    const foreign = await send(path, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: '{"Content":"hi"}' });
    assert.equal(foreign.status, 403, 'another origin may not use the inspection API');
    const cases = [
      [{}, /Content is required/],
      [{ Content: '' }, /Content is required/],
      [{ Content: 'x'.repeat(16385) }, /16385 bytes/],
      [{ Content: 'hi', ContentType: 'text/html' }, /ContentType must be one of/],
      [{ Content: '**hi**', ContentType: 'text/markdown' }, /connect:sms chat, which carries text\/plain only/],
      [{ Content: 'hi', Extra: 1 }, /Unknown member Extra/],
      [['hi'], /JSON object/],
    ];
    for (const [body, pattern] of cases) {
      const r = await send(path, json(body));
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.errorType, 'InvalidRequestException');
      assert.match(r.json.message, pattern);
    }
    const broken = await send(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"Content":' });
    assert.equal(broken.status, 400);
    assert.equal((await send(`${srv.url}/_emulator/chats/${id}/disconnect`, json({ Reason: 'x' }))).status, 400);
    assert.equal((await send(path)).status, 405);
    const unknown = await send(`${srv.url}/_emulator/chats/00000000-0000-4000-8000-000000000000/messages`, json({ Content: 'hi' }));
    assert.equal(unknown.status, 404);
    assert.equal(unknown.errorType, 'ResourceNotFoundException');
    // None of it reached the transcript.
    assert.equal((await chatView(srv, id)).transcript.length, 1);
  });

  test('markdown goes through on a chat that supports it', async () => {
    const { InitialContactId: id } = await client(srv.url).sendChatIntegrationEvent({
      SourceId: 'customer-42', DestinationId: 'web-widget', Event: message('hi'),
      NewSessionDetails: { SupportedMessagingContentTypes: ['text/plain', 'text/markdown'] },
    });
    const r = await send(`${srv.url}/_emulator/chats/${id}/messages`, json({ Content: '**bold**', ContentType: 'text/markdown' }));
    assert.equal(r.status, 200, r.text);
    const json2 = await send(`${srv.url}/_emulator/chats/${id}/messages`, json({ Content: '{}', ContentType: 'application/json' }));
    assert.equal(json2.status, 400, 'application/json is not among its supported types');
  });
});

describe('--streaming-endpoint and --state from the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cce-stream-'));
  const file = join(dir, 'state.jsonl');

  test('agent messages survive a restart; the agent keeps its participant id and does not join twice', async () => {
    const sub = await startSubscriber();
    let s = await spawnServe(['--state', file, '--quiet', '--streaming-endpoint', `${TOPIC}=${sub.url}`,
      '--streaming-retry-policy', '{"numRetries":1,"minDelayTarget":0.05,"maxDelayTarget":0.05}']);
    let id;
    try {
      assert.ok(s.out.stdout.includes(`streaming:        ${TOPIC} → ${sub.url}`), s.out.stdout);
      id = (await client(s.url).sendChatIntegrationEvent({ ...smsChat(), Event: message('before'), NewSessionDetails: streamed() })).InitialContactId;
      const r = await send(`${s.url}/_emulator/chats/${id}/messages`, json({ Content: 'kept across restarts' }));
      assert.equal(r.status, 200, r.text);
      await sub.waitFor(() => sub.delivered(id).length === 4);
    } finally {
      assert.equal((await s.stop()).code, 0);
    }
    assert.match(readFileSync(file, 'utf8'), /"op":"agent"/);
    const agentBefore = sub.delivered(id).find((i) => i.ParticipantRole === 'AGENT' && i.Type === 'MESSAGE');

    s = await spawnServe(['--state', file, '--quiet', `--streaming-endpoint=${TOPIC}=${sub.url}`]);
    try {
      const view = (await send(`${s.url}/_emulator/chats/${id}`)).json;
      assert.equal(view.status, 'ACTIVE');
      const agentEntry = view.transcript.find((e) => e.participantRole === 'AGENT');
      assert.equal(agentEntry.content, 'kept across restarts');
      assert.equal(agentEntry.id, agentBefore.Id);
      assert.equal(view.streaming.status, 'streaming');
      assert.equal((await send(`${s.url}/_emulator/chats/${id}/messages`, json({ Content: 'after the restart' }))).status, 200);
      await sub.waitFor(() => sub.delivered(id).length === 5);
      const last = sub.delivered(id).at(-1);
      assert.equal(last.Content, 'after the restart');
      assert.equal(last.ParticipantId, agentBefore.ParticipantId);
      assert.equal((await send(`${s.url}/_emulator/chats/${id}/disconnect`, json({}))).status, 200);
    } finally {
      assert.equal((await s.stop()).code, 0);
      await sub.close();
    }
    s = await spawnServe(['--state', file, '--quiet']);
    try {
      const view = (await send(`${s.url}/_emulator/chats/${id}`)).json;
      assert.equal(view.status, 'ENDED', 'the agent disconnect is persisted too');
      assert.deepEqual(view.transcript.map((e) => e.participantRole ?? 'CUSTOMER'), ['CUSTOMER', 'AGENT', 'AGENT', 'AGENT']);
      assert.equal(view.streaming.status, 'streaming requested, no subscriber', 'this run maps no topic');
    } finally {
      await s.stop();
    }
  });

  test('agent records are checked on load and kept by journal compaction', async () => {
    const { ChatStore } = await import(pathToFileURL(join(pkgDir, 'server', 'store.mjs')).href);
    const old = join(dir, 'before-checksums.jsonl');
    const id = '0c5e154a-16f0-4cfe-8ecf-4d2ab907abf9';
    // A journal written before checksums: loaded as is, then compacted (rewritten with checksums) on start.
    writeFileSync(old, [
      { v: 1, op: 'event', at: '2026-12-03T10:00:00.000Z', requestId: 'r1', contactId: id, key: { sourceId: '+14155550100', destinationId: 'd', subtype: null },
        event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hi' }, newSessionDetails: streamed() },
      { v: 1, op: 'agent', at: '2026-12-03T10:00:01.000Z', requestId: 'r2', id: 'a1', contactId: id, event: { Type: 'MESSAGE', ContentType: 'text/plain', Content: 'hello from the agent' } },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    let store = new ChatStore({ stateFile: old });
    store.close();
    const compacted = readFileSync(old, 'utf8');
    assert.match(compacted, /"op":"agent".*"crc":"[0-9a-f]{8}"/, compacted);
    store = new ChatStore({ stateFile: old });
    try {
      const chat = store.chats.get(id);
      assert.deepEqual(chat.transcript.map((e) => [e.participantRole ?? 'CUSTOMER', e.content, e.id]),
        [['CUSTOMER', 'hi', undefined], ['AGENT', 'hello from the agent', 'a1']]);
      assert.deepEqual(chat.newSessionDetails, streamed());
    } finally {
      store.close();
    }
    // An agent record without its event is refused, naming the line.
    const bad = join(dir, 'bad-agent.jsonl');
    writeFileSync(bad, JSON.stringify({ v: 1, op: 'agent', at: 'x', contactId: id }) + '\n');
    assert.throws(() => new ChatStore({ stateFile: bad }), /line 1.*agent record without contactId, at or event\.Type/s);
  });

  test('usage errors and help', async () => {
    for (const [args, pattern] of [
      [['--streaming-endpoint', 'no-equals-sign'], /TOPIC_ARN=URL/],
      [['--streaming-endpoint', `${TOPIC}=not a url`], /is not a URL/],
      [['--streaming-endpoint', `arn:aws:sqs:us-east-1:123456789012:q=http://127.0.0.1:9/`], /not an SNS topic ARN/],
      [['--streaming-retry-policy', '{nope'], /not JSON/],
      [['--streaming-retry-policy', '{"numRetries":-1}'], /numRetries/],
    ]) {
      const r = await runCli(['serve', ...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, pattern);
    }
    const { stdout } = await runCli(['serve', '--help']);
    for (const s of ['--streaming-endpoint TOPIC_ARN=URL', '--streaming-retry-policy', '/_emulator/chats/{contactId}/messages',
      '/_emulator/chats/{contactId}/disconnect', '/_emulator/streaming']) assert.ok(stdout.includes(s), s);
  });
});

test('the relay demo (demo/relay-demo.mjs): the customer texts in, the agent answers, the relay prints what it would text back', () => {
  const r = spawnSync(process.execPath, [join(root, 'demo', 'relay-demo.mjs'), '--port', '0'], { encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const relayLines = r.stdout.split('\n').filter((l) => l.startsWith('[relay] would text') || l.includes('ended; the relay forgets'));
  assert.deepEqual(relayLines.map((l) => l.replace(/contact \S+$/, 'contact …')), [
    '[relay] would text +14155550123: Hello! Sorry about that. What is your order number?',
    '[relay] would text +14155550123: Thanks! A-1001 ships tomorrow morning.',
    '[relay] the chat with +14155550123 ended; the relay forgets contact …',
  ]);
  assert.ok(!r.stdout.includes('would text +14155550123: Hi, my package'), 'the customer\'s own messages are not texted back');
  assert.match(r.stdout, /8 of 8 notifications delivered, 0 failed/);
});
