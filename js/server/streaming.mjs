// Chat message streaming for the local endpoint: a chat started with
// NewSessionDetails.StreamingConfiguration.StreamingEndpointArn publishes its transcript items (chat-items.mjs)
// to that SNS topic. Here a topic ARN maps to a local HTTP subscriber (--streaming-endpoint TOPIC_ARN=URL), and
// each item is POSTed to it as an Amazon SNS HTTP/S notification, as SNS delivers to a subscribed HTTP endpoint.
//
// Delivery is off the request path, one chat at a time in order (one notification in flight per chat), retried
// with the SNS HTTP/S delivery policy (default: 3 retries, 20 s apart), and every outcome is kept per chat for
// GET /_emulator/chats/{contactId}. The signature is NOT a real SNS signature (there is no certificate).
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { itemsForEntry } from './chat-items.mjs';

/** SNS's default delivery policy for HTTP/S endpoints (healthyRetryPolicy), delays in seconds. */
export const DEFAULT_RETRY_POLICY = Object.freeze({
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: 'linear',
});
/** Time one delivery attempt may take before it counts as failed. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 15_000;
/** Notifications waiting per chat (behind a subscriber that is down, say); past this, new ones fail at once. */
export const MAX_QUEUED_PER_CHAT = 1000;
/** Delivery records kept per chat: every waiting one and the latest finished ones (the oldest are dropped). */
const MAX_DELIVERIES_PER_CHAT = 2 * MAX_QUEUED_PER_CHAT;
/** SNS caps the total retry time of an HTTP/S policy at 3,600 s and numRetries at 100. */
const MAX_TOTAL_RETRY_SECONDS = 3600;
const MAX_RETRIES = 100;
const BACKOFF_FUNCTIONS = ['linear', 'exponential'];
export const NO_SUBSCRIBER = 'streaming requested, no subscriber';
export const STREAMING = 'streaming';
/** An Amazon Connect instance id for the items' InstanceId attribute (the emulator has no instance). */
export const LOCAL_INSTANCE_ID = '00000000-0000-4000-8000-00000000c0c0';
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256})$/;

/** Checks one topic ARN → URL mapping; returns { topicArn, url } or throws an Error naming the problem. */
export function checkStreamingEndpoint(topicArn, url) {
  if (typeof topicArn !== 'string' || !SNS_TOPIC_ARN.test(topicArn)) {
    throw new Error(`streaming endpoint: '${topicArn}' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`);
  }
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`streaming endpoint for ${topicArn}: '${url}' is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`streaming endpoint for ${topicArn}: '${url}' must be an http:// or https:// URL`);
  }
  return { topicArn, url: u.href };
}

/** `TOPIC_ARN=URL` (the CLI form) → { topicArn, url }. The ARN has no '=', so the first one splits. */
export function parseStreamingEndpoint(spec) {
  const i = String(spec).indexOf('=');
  if (i <= 0) throw new Error(`--streaming-endpoint needs TOPIC_ARN=URL, got '${spec}'`);
  return checkStreamingEndpoint(spec.slice(0, i), spec.slice(i + 1));
}

/**
 * The startServer option `streamingEndpoints` → Map(topicArn → url). Accepts an object { arn: url },
 * an array of 'ARN=URL' strings or { topicArn, url } objects, or a Map.
 */
export function streamingEndpointMap(option) {
  const map = new Map();
  if (option === undefined || option === null) return map;
  const entries = option instanceof Map ? [...option.entries()]
    : Array.isArray(option) ? option.map((e) => (typeof e === 'string' ? parseStreamingEndpoint(e) : e)).map((e) => [e.topicArn, e.url])
      : typeof option === 'object' ? Object.entries(option) : null;
  if (!entries) throw new Error('streamingEndpoints must be an object { topicArn: url }, an array or a Map');
  for (const [arn, url] of entries) {
    const checked = checkStreamingEndpoint(arn, url);
    map.set(checked.topicArn, checked.url);
  }
  return map;
}

/** Validates a (partial) SNS HTTP/S healthyRetryPolicy; returns the full policy or throws. Delays in seconds. */
export function checkRetryPolicy(partial = {}) {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) throw new Error('the retry policy must be an object');
  const p = { ...DEFAULT_RETRY_POLICY };
  for (const [k, v] of Object.entries(partial)) {
    if (!(k in DEFAULT_RETRY_POLICY)) throw new Error(`retry policy: unknown member '${k}'; expected ${Object.keys(DEFAULT_RETRY_POLICY).join(', ')}`);
    if (k === 'backoffFunction') {
      if (!BACKOFF_FUNCTIONS.includes(v)) throw new Error(`retry policy: backoffFunction must be one of ${BACKOFF_FUNCTIONS.join(', ')}`);
    } else if (k.endsWith('DelayTarget')) {
      // SNS takes whole seconds (at least 1); fractions are allowed here so tests and demos can retry quickly.
      if (typeof v !== 'number' || !(v >= 0 && v <= MAX_TOTAL_RETRY_SECONDS)) throw new Error(`retry policy: ${k} must be a number of seconds from 0 to 3600`);
    } else if (!Number.isInteger(v) || v < 0 || v > MAX_RETRIES) {
      throw new Error(`retry policy: ${k} must be an integer from 0 to ${MAX_RETRIES}`);
    }
    p[k] = v;
  }
  if (p.minDelayTarget > p.maxDelayTarget) throw new Error('retry policy: minDelayTarget must not exceed maxDelayTarget');
  if (p.numNoDelayRetries + p.numMinDelayRetries + p.numMaxDelayRetries > p.numRetries) {
    throw new Error('retry policy: numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries must not exceed numRetries');
  }
  const total = retryDelays(p).reduce((a, b) => a + b, 0);
  if (total > MAX_TOTAL_RETRY_SECONDS) throw new Error(`retry policy: the retries add up to ${total} s, more than SNS's limit of 3600 s`);
  return p;
}

/**
 * The delay (seconds) before each retry, in SNS's four phases: immediate (no delay), pre-backoff (minDelayTarget),
 * backoff (from minDelayTarget to maxDelayTarget by backoffFunction), post-backoff (maxDelayTarget). No jitter.
 */
export function retryDelays(p) {
  const backoff = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
  const out = [];
  for (let i = 0; i < p.numNoDelayRetries; i++) out.push(0);
  for (let i = 0; i < p.numMinDelayRetries; i++) out.push(p.minDelayTarget);
  for (let i = 0; i < backoff; i++) {
    const t = backoff === 1 ? 1 : i / (backoff - 1);
    out.push(p.backoffFunction === 'exponential' && p.minDelayTarget > 0
      ? p.minDelayTarget * (p.maxDelayTarget / p.minDelayTarget) ** t
      : p.minDelayTarget + (p.maxDelayTarget - p.minDelayTarget) * t);
  }
  for (let i = 0; i < p.numMaxDelayRetries; i++) out.push(p.maxDelayTarget);
  return out;
}

/** The string SNS signs for a Notification (SignatureVersion 1 and 2): name/value lines in this order. */
export function snsStringToSign(envelope) {
  const keys = ['Message', 'MessageId', ...(envelope.Subject !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type'];
  return keys.map((k) => `${k}\n${envelope[k]}\n`).join('');
}

/** The emulator's stand-in for Signature: base64 SHA-256 of the string to sign. An integrity check, not a signature. */
export function localSignature(envelope) {
  return createHash('sha256').update(snsStringToSign(envelope), 'utf8').digest('base64');
}

const attr = (Value) => ({ Type: 'String', Value });

/** The SNS HTTP notification (headers and JSON body) for one item. */
export function notification({ item, topicArn, subscriptionArn, messageId, timestamp, baseUrl, instanceId = LOCAL_INSTANCE_ID }) {
  const account = SNS_TOPIC_ARN.exec(topicArn)?.[2] ?? '';
  const envelope = {
    Type: 'Notification',
    MessageId: messageId,
    TopicArn: topicArn,
    Message: JSON.stringify(item),
    Timestamp: timestamp,
    SignatureVersion: '1',
  };
  envelope.Signature = localSignature(envelope);
  // Not an sns.<region>.amazonaws.com URL on purpose: a real SNS verifier refuses these notifications.
  envelope.SigningCertURL = `${baseUrl}/_emulator/streaming/no-certificate.pem`;
  envelope.UnsubscribeURL = `${baseUrl}/_emulator/streaming?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(subscriptionArn)}`;
  envelope.MessageAttributes = {
    InitialContactId: attr(item.InitialContactId),
    ContactId: attr(item.ContactId),
    ParticipantRole: attr(item.ParticipantRole),
    InstanceId: attr(instanceId),
    AccountId: attr(account),
    Type: attr(item.Type),
    ContentType: attr(item.ContentType),
    MessageVisibility: attr('ALL'),
  };
  const headers = {
    'content-type': 'text/plain; charset=UTF-8', // what SNS sends unless a delivery policy sets headerContentType
    'user-agent': 'Amazon Simple Notification Service Agent',
    'x-amz-sns-message-type': 'Notification',
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': topicArn,
    'x-amz-sns-subscription-arn': subscriptionArn,
  };
  return { headers, body: JSON.stringify(envelope), envelope };
}

/** Waits ms, or less when `signal` aborts (its listener is removed either way). */
const sleep = (ms, signal) => new Promise((resolve) => {
  const stop = () => {
    clearTimeout(t);
    signal.removeEventListener('abort', stop);
    resolve();
  };
  const t = setTimeout(stop, ms);
  t.unref?.();
  signal.addEventListener('abort', stop, { once: true });
});

/**
 * Publishes chats' transcript items to their mapped subscribers. Options: endpoints (Map topicArn → url),
 * retryPolicy, attemptTimeoutMs, baseUrl (() => the server's URL, for SigningCertURL/UnsubscribeURL),
 * now (() => ms), log, onDelivery ((contactId, delivery) => void, on every status change).
 */
export class StreamingPublisher {
  /** chat object → its streaming state: a chat the store forgets (reset, --max-chats) takes its state with it. */
  #chats = new WeakMap();
  /** Bumped by reset(): queues of an earlier generation stop. */
  #generation = 0;
  #closed = new AbortController();

  constructor({ endpoints = new Map(), retryPolicy, attemptTimeoutMs = DEFAULT_ATTEMPT_TIMEOUT_MS, baseUrl = () => '',
    now = () => Date.now(), log = () => {}, onDelivery = () => {} } = {}) {
    this.endpoints = endpoints;
    if (!Number.isInteger(attemptTimeoutMs) || attemptTimeoutMs < 1) throw new Error('streamingTimeoutMs must be a positive integer (milliseconds)');
    this.retryPolicy = checkRetryPolicy(retryPolicy ?? {});
    this.delays = retryDelays(this.retryPolicy);
    this.attemptTimeoutMs = attemptTimeoutMs;
    this.baseUrl = baseUrl;
    this.now = now;
    this.log = log;
    this.onDelivery = onDelivery;
    // Keep-alive connections to the subscribers: a delivery costs one request, not one connection.
    this.agents = { 'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }), 'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }) };
    /** One subscription ARN per mapped topic, as SNS gives each subscription. */
    this.subscriptions = new Map([...endpoints.keys()].map((arn) => [arn, `${arn}:${randomUUID()}`]));
  }

  /** The streaming state of a chat (created on first use, also for chats loaded from --state). */
  #state(chat) {
    const arn = chat.newSessionDetails?.StreamingConfiguration?.StreamingEndpointArn;
    if (typeof arn !== 'string') return null;
    let s = this.#chats.get(chat);
    if (!s) {
      const url = this.endpoints.get(arn) ?? null;
      s = { arn, url, queue: [], running: false, deliveries: [], published: 0, delivered: 0, failed: 0, unrouted: 0, generation: this.#generation };
      this.#chats.set(chat, s);
    }
    return s;
  }

  /** Streams the items of a transcript entry just appended to `chat`. Returns at once; delivery happens later. */
  publish(chat, entry) {
    if (this.#closed.signal.aborted) return;
    const s = this.#state(chat);
    if (!s) return; // no StreamingConfiguration: nothing is streamed
    const items = itemsForEntry(chat, entry);
    s.published += items.length;
    if (!s.url) {
      if (s.unrouted === 0) this.log(`streaming: chat ${chat.contactId} asked for ${s.arn}, which no --streaming-endpoint maps: ${NO_SUBSCRIBER}`);
      s.unrouted += items.length;
      return;
    }
    for (const item of items) {
      const d = {
        MessageId: randomUUID(),
        ItemId: item.Id,
        Type: item.Type,
        ContentType: item.ContentType,
        ParticipantRole: item.ParticipantRole,
        status: 'queued',
        attempts: 0,
        queuedAt: new Date(this.now()).toISOString(),
        attemptLog: [],
      };
      s.deliveries.push(d);
      if (s.queue.length >= MAX_QUEUED_PER_CHAT) {
        d.status = 'failed';
        d.failedAt = d.queuedAt;
        d.lastError = `not sent: ${MAX_QUEUED_PER_CHAT} notifications of this chat are already waiting`;
        s.failed += 1;
      } else {
        s.queue.push({ d, item, timestamp: d.queuedAt });
      }
      this.#trim(s);
      this.onDelivery(chat.contactId, d);
    }
    if (!s.running) {
      s.running = true;
      setImmediate(() => this.#drain(chat.contactId, s));
    }
  }

  #trim(s) {
    while (s.deliveries.length > MAX_DELIVERIES_PER_CHAT) {
      const i = s.deliveries.findIndex((d) => d.status === 'delivered' || d.status === 'failed');
      if (i < 0) break;
      s.deliveries.splice(i, 1);
    }
  }

  async #drain(contactId, s) {
    try {
      while (s.queue.length && !this.#closed.signal.aborted && s.generation === this.#generation) {
        await this.#deliver(contactId, s, s.queue[0]);
        s.queue.shift();
      }
    } finally {
      s.running = false;
    }
  }

  async #deliver(contactId, s, { d, item, timestamp }) {
    const subscriptionArn = this.subscriptions.get(s.arn);
    const { headers, body } = notification({ item, topicArn: s.arn, subscriptionArn, messageId: d.MessageId, timestamp, baseUrl: this.baseUrl() });
    for (let attempt = 0; attempt <= this.delays.length; attempt++) {
      if (this.#closed.signal.aborted || s.generation !== this.#generation) return;
      if (attempt > 0) {
        const waitMs = Math.round(this.delays[attempt - 1] * 1000);
        d.status = 'retrying';
        d.nextAttemptAt = new Date(this.now() + waitMs).toISOString();
        this.onDelivery(contactId, d);
        await sleep(waitMs, this.#closed.signal);
        if (this.#closed.signal.aborted) return;
      }
      d.status = 'delivering';
      d.attempts = attempt + 1;
      delete d.nextAttemptAt;
      const started = Date.now();
      const outcome = await this.#attempt(s.url, headers, body);
      const entry = { at: new Date(this.now()).toISOString(), durationMs: Date.now() - started, ...outcome };
      d.attemptLog.push(entry);
      if (outcome.statusCode !== undefined) d.lastStatusCode = outcome.statusCode;
      if (outcome.ok) {
        d.status = 'delivered';
        d.deliveredAt = entry.at;
        s.delivered += 1;
        delete d.lastError;
        this.onDelivery(contactId, d);
        return;
      }
      d.lastError = outcome.error ?? `HTTP ${outcome.statusCode}`;
    }
    if (this.#closed.signal.aborted) return;
    d.status = 'failed';
    d.failedAt = new Date(this.now()).toISOString();
    s.failed += 1;
    this.log(`streaming: gave up on ${d.MessageId} (${d.Type} ${d.ContentType}) of chat ${contactId} after ${d.attempts} attempts: ${d.lastError}`);
    this.onDelivery(contactId, d);
  }

  /** One POST; a 2xx answer is a delivery, anything else (status, network error, timeout) a failed attempt. */
  #attempt(url, headers, body) {
    return new Promise((resolve) => {
      const u = new URL(url);
      const lib = u.protocol === 'https:' ? https : http;
      let settled = false;
      const done = (outcome) => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          this.#closed.signal.removeEventListener('abort', onClose);
          resolve(outcome);
        }
      };
      const req = lib.request(u, {
        method: 'POST',
        agent: this.agents[u.protocol],
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        res.resume(); // the answer's body is not used
        res.on('end', () => done({ ok: res.statusCode >= 200 && res.statusCode < 300, statusCode: res.statusCode }));
        res.on('error', () => done({ ok: false, statusCode: res.statusCode, error: 'the answer was cut off' }));
      });
      const timer = setTimeout(() => {
        done({ ok: false, error: `no answer within ${this.attemptTimeoutMs} ms` });
        req.destroy();
      }, this.attemptTimeoutMs);
      timer.unref?.();
      const onClose = () => {
        done({ ok: false, error: 'the endpoint stopped' });
        req.destroy();
      };
      this.#closed.signal.addEventListener('abort', onClose, { once: true });
      req.on('error', (e) => done({ ok: false, error: `${e.code ?? e.name}: ${e.message}` }));
      req.end(body);
    });
  }

  /** The delivery status of a chat, for GET /_emulator/chats/{contactId}; null when it asked for no streaming. */
  view(chat) {
    const s = this.#state(chat);
    if (!s) return null;
    return {
      StreamingEndpointArn: s.arn,
      status: s.url ? STREAMING : NO_SUBSCRIBER,
      subscriber: s.url,
      ...(s.url ? { SubscriptionArn: this.subscriptions.get(s.arn) } : {}),
      published: s.published,
      delivered: s.delivered,
      failed: s.failed,
      pending: s.url ? s.queue.length : 0,
      ...(s.url ? {} : { undelivered: s.unrouted }),
      deliveries: s.deliveries.map((d) => ({ ...d, attemptLog: d.attemptLog.map((a) => ({ ...a })) })),
    };
  }

  /** Mappings, for GET /_emulator/streaming. */
  info() {
    return {
      endpoints: [...this.endpoints].map(([topicArn, url]) => ({ topicArn, url, SubscriptionArn: this.subscriptions.get(topicArn) })),
      retryPolicy: this.retryPolicy,
      retryDelaysSeconds: this.delays,
      attemptTimeoutMs: this.attemptTimeoutMs,
    };
  }

  /** Forgets every chat's streaming state (POST /_emulator/reset): queued notifications and retries are dropped. */
  reset() {
    this.#generation += 1;
    this.#chats = new WeakMap();
  }

  /** Stops: pending retries and queued notifications are dropped, attempts in flight aborted. */
  close() {
    this.#closed.abort();
    for (const a of Object.values(this.agents)) a.destroy();
  }
}
