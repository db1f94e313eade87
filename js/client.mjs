// ConnectChatClient, signRequest and resolveEndpoint: the JavaScript half of the package.
//
// This module does only I/O and object building: reading the caller's arguments (hostile-proof:
// throwing getters, revoked Proxies and odd types give typed errors, never a raw TypeError), fetch,
// timers, AbortSignals, the credentials provider, the `shouldRetry` hook, the logger, the batch
// worker pool, and the output and Error objects. Every rule and all client state stay in the wasm
// core (src/wasm.rs: `__CceCore` and the `__cce*` functions, all synchronous): validation and
// serialization, endpoint resolution, signing with the signing-key cache, response and error
// parsing, the retry policy, quota and rate limiter, the clock offset, and when cached credentials
// need a refresh. A send crosses into wasm once to serialize (which also hashes a small body, so
// the body never goes back in), then twice per attempt (sign, respond), plus once more when a
// `shouldRetry` hook decides.
//
// Written once as an ES module; scripts/assemble-pkg.mjs wires it to the wasm exports for every
// entry (a CommonJS copy for Node). Each `make*` factory takes exactly the exports it needs;
// `makeClient(wasm, hash?)` also takes Node's OpenSSL SHA-256 (string → lower-case hex), which
// hashes large bodies faster than the wasm does (the signature is the same).

/** Bodies at least this many bytes long are hashed by `hash` when there is one (measured
 *  crossover); smaller ones are hashed by the wasm as it serializes them. */
const HOST_HASH_MIN = 1024;
const CONFIG = 'ConfigurationError';

const isObj = (v) => v !== null && typeof v === 'object';

function isArray(v) {
  try { return Array.isArray(v); } catch { return false; }
}

function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return 'a string';
  if (isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'a value of another type';
}

/** `obj[key]`, `undefined` for a non-object; throws what a getter or Proxy trap throws. */
const get = (o, k) => (o !== null && (typeof o === 'object' || typeof o === 'function') ? o[k] : undefined);

/** `obj[key]`, `undefined` when reading it throws. */
function peek(o, k) {
  try { return get(o, k); } catch { return undefined; }
}

function error(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

function argErr(name, field, message) {
  const e = error(name, message);
  e.field = field;
  e.$fault = 'client';
  return e;
}

/** What the core throws (JSON text `{ name, message, issues | field | variant }`) as an Error with
 *  `$fault: 'client'`; anything else (a trap) as is. */
function coreError(e) {
  if (typeof e !== 'string') return e;
  const { name, message, ...fields } = JSON.parse(e);
  return Object.assign(error(name, message), fields, { $fault: 'client' });
}

/** `f(...args)`, with the core's errors as Errors. */
function call(f, ...args) {
  try { return f(...args); } catch (e) { throw coreError(e); }
}

/** An optional member: `undefined` when absent (`undefined`/`null`). */
function optMember(o, k, name, path) {
  let v;
  try { v = get(o, k); } catch { throw argErr(name, path, `${path} could not be read (its getter threw)`); }
  return v === null ? undefined : v;
}

function optString(o, k, name, path) {
  const v = optMember(o, k, name, path);
  if (v === undefined || typeof v === 'string') return v;
  throw argErr(name, path, `${path} must be a string; got ${describe(v)}`);
}

function reqString(o, k, name, path) {
  const s = optString(o, k, name, path);
  if (s === undefined) throw argErr(name, path, `${path} is required`);
  if (s === '') throw argErr(name, path, `${path} must not be empty`);
  return s;
}

function optBool(o, k, name, path, dflt) {
  const v = optMember(o, k, name, path);
  if (v === undefined) return dflt;
  if (typeof v === 'boolean') return v;
  throw argErr(name, path, `${path} must be a boolean; got ${describe(v)}`);
}

function optNumber(o, k, name, path) {
  const v = optMember(o, k, name, path);
  if (v === undefined || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw argErr(name, path, `${path} must be a finite number; got ${describe(v)}`);
}

function optFunction(o, k, name, path) {
  let v;
  try { v = get(o, k); } catch { throw argErr(name, path, `${path} could not be read`); }
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'function') return v;
  throw argErr(name, path, `${path} must be a function; got ${describe(v)}`);
}

/** `[accessKeyId, secretAccessKey, sessionToken?]` of a credentials object. */
function readCredentials(v, name, path) {
  if (!isObj(v)) {
    throw argErr(name, path, `${path} must be an object { accessKeyId, secretAccessKey, sessionToken? }; got ${describe(v)}`);
  }
  const id = reqString(v, 'accessKeyId', name, `${path}.accessKeyId`);
  const secret = reqString(v, 'secretAccessKey', name, `${path}.secretAccessKey`);
  const token = optString(v, 'sessionToken', name, `${path}.sessionToken`);
  return [id, secret, token || undefined];
}

/** `[region, endpoint, useFipsEndpoint, useDualstackEndpoint]` of an endpoint configuration. */
function readEndpointConfig(config, name) {
  if (!isObj(config)) {
    throw argErr(name, 'config', `the configuration must be an object { region, ... }; got ${describe(config)}`);
  }
  let ev;
  try { ev = config.endpoint; } catch { throw argErr(name, 'endpoint', 'endpoint could not be read'); }
  let endpoint;
  if (typeof ev === 'string') {
    endpoint = ev;
  } else if (ev !== undefined && ev !== null) {
    const href = peek(ev, 'href'); // a WHATWG URL object
    if (typeof href !== 'string') throw argErr(name, 'endpoint', `endpoint must be a URL string; got ${describe(ev)}`);
    endpoint = href;
  }
  return [
    optString(config, 'region', name, 'region'),
    endpoint,
    optBool(config, 'useFipsEndpoint', name, 'useFipsEndpoint', false),
    optBool(config, 'useDualstackEndpoint', name, 'useDualstackEndpoint', false),
  ];
}

/** A provider result's `expiration` (a Date, epoch milliseconds or a date string) in unix ms. */
function readExpiration(v) {
  let e;
  try { e = get(v, 'expiration'); } catch { return undefined; }
  if (e === undefined || e === null) return undefined;
  try { if (e instanceof Date) return e.getTime(); } catch { /* a hostile object */ }
  if (typeof e === 'number') return e;
  if (typeof e === 'string') return Date.parse(e);
  return NaN; // unreadable: never trusted, so refreshed on every call
}

function providerError(cause) {
  // A provider's own CredentialsProviderError (such as the Node default chain's) is clear already.
  if (peek(cause, 'name') === 'CredentialsProviderError') {
    try { cause.$fault = 'client'; } catch { /* frozen or hostile */ }
    return cause;
  }
  const m = peek(cause, 'message');
  const e = error('CredentialsProviderError', `the credentials provider failed: ${typeof m === 'string' ? m : 'it threw'}`);
  e.cause = cause;
  e.$fault = 'client';
  return e;
}

const aborted = (signal) => peek(signal, 'aborted') === true;

/** An `Error` named `AbortError`, with the signal's reason as `cause`. */
function abortError(signal) {
  const e = error('AbortError', 'The operation was aborted');
  let reason;
  try { reason = get(signal, 'reason'); } catch { /* none */ }
  if (reason !== undefined) e.cause = reason;
  e.$fault = 'client';
  return e;
}

function listen(signal, method, f) {
  if (!isObj(signal)) return false;
  try {
    const m = signal[method];
    if (typeof m !== 'function') return false;
    m.call(signal, 'abort', f);
    return true;
  } catch {
    return false;
  }
}

/** Sleeps `ms` milliseconds; an abort of `signal` ends it at once with an `AbortError`. */
function sleep(ms, signal) {
  if (aborted(signal)) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    let onAbort;
    const timer = setTimeout(() => {
      if (onAbort) listen(signal, 'removeEventListener', onAbort);
      resolve();
    }, Math.max(ms, 0));
    const cb = () => {
      clearTimeout(timer);
      listen(signal, 'removeEventListener', cb);
      reject(abortError(signal));
    };
    if (listen(signal, 'addEventListener', cb)) onAbort = cb;
  });
}

/** `{ httpStatusCode?, requestId?, extendedRequestId?, cfId?, attempts, totalRetryDelay }`. */
function metadata(m, st) {
  const o = {};
  if (m.status != null) o.httpStatusCode = m.status;
  if (m.requestId != null) o.requestId = m.requestId;
  if (m.extendedRequestId != null) o.extendedRequestId = m.extendedRequestId;
  if (m.cfId != null) o.cfId = m.cfId;
  o.attempts = st[0];
  o.totalRetryDelay = st[2];
  return o;
}

/** Adds `$metadata` to an error (a network or abort error keeps its own name and message). */
function withMeta(e, m, st) {
  if (isObj(e)) {
    try { e.$metadata = metadata(m, st); } catch { /* frozen or hostile */ }
  }
  return e;
}

/** Header names as the core lower-cases them (ASCII only). */
const lower = (s) => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** Response headers (`name\nvalue\n…`) as a plain object; repeated names joined with ",". */
function headersObject(flat) {
  const o = {};
  if (!flat) return o;
  const p = flat.split('\n');
  for (let i = 0; i + 1 < p.length; i += 2) {
    const k = lower(p[i]);
    const v = Object.hasOwn(o, k) ? `${o[k]},${p[i + 1]}` : p[i + 1];
    define(o, k, v);
  }
  return o;
}

/** fetch (the given function or the global), then the body text: `[status, headers, text]`, read
 *  as leniently as a Response-like object allows; headers as `name\nvalue\n…`. */
async function fetchRead(f, url, init) {
  const r = await (f ? f(url, init) : fetch(url, init));
  let status, h, tf;
  try { status = r.status; } catch { /* not a Response */ }
  let hs = '';
  try { h = r.headers; } catch { /* not a Response */ }
  if (h !== null && (typeof h === 'object' || typeof h === 'function')) {
    try {
      if (typeof h[Symbol.iterator] === 'function') {
        for (const it of h) {
          if (Array.isArray(it) && typeof it[0] === 'string' && typeof it[1] === 'string'
            && !it[0].includes('\n') && !it[1].includes('\n')) {
            hs = hs ? `${hs}\n${it[0]}\n${it[1]}` : `${it[0]}\n${it[1]}`;
          }
        }
      }
    } catch { /* a hostile iterator */ }
  }
  try { tf = r.text; } catch { /* not a Response */ }
  let text = '';
  if (typeof tf === 'function') {
    const t = await tf.call(r);
    if (typeof t === 'string') text = t;
  }
  return [typeof status === 'number' ? status : 0, hs, text];
}

const NO_META = Object.freeze({});

/**
 * The ConnectChatClient class over the wasm exports `w` (`__CceCore`, `__cceStateLen`,
 * `__cceNeedRefresh`, `__cceSerialize`).
 */
export function makeClient(w, hash) {
  const Core = w.__CceCore;
  const serialize = w.__cceSerialize;
  const needRefresh = w.__cceNeedRefresh;
  const STATE_LEN = w.__cceStateLen();
  // `__cceSerialize` puts the body's hash in front of bodies shorter than this (all of them
  // without a host hash); `#send` splits it off.
  const hashBelow = hash === undefined ? Infinity : HOST_HASH_MIN;

  /** Sends SendChatIntegrationEvent requests: validates, signs, calls `fetch`, retries. */
  class ConnectChatClient {
    #core;
    #region;
    #endpoint;
    #maxAttempts;
    #retryMode;
    #adaptive;
    #provider;
    #fetch;
    #timeout;
    #logger;
    #hook;
    /** Credentials from the provider, `{ c, exp }`; `#signing` is what the core signs with. */
    #cached;
    #signing;
    /** The provider call in flight, which concurrent sends share. */
    #refreshing;

    constructor(config) {
      const N = CONFIG;
      const ep = readEndpointConfig(config, N);
      // A custom endpoint resolves without a region, but requests are always signed for one.
      reqString(config, 'region', N, 'region');
      const core = call((...a) => new Core(...a), ep[0], ep[1], ep[2], ep[3]);
      try {
        let cv;
        try { cv = config.credentials; } catch { throw argErr(N, 'credentials', 'credentials could not be read'); }
        if (typeof cv === 'function') {
          this.#provider = cv;
        } else if (cv === undefined || cv === null) {
          throw argErr(N, 'credentials', 'credentials is required: an object { accessKeyId, secretAccessKey, sessionToken? } or an async function returning one');
        } else {
          const [id, secret, token] = readCredentials(cv, N, 'credentials');
          core.setCredentials(id, secret, token);
        }
        this.#fetch = optFunction(config, 'fetch', N, 'fetch');
        const max = optNumber(config, 'maxAttempts', N, 'maxAttempts');
        // The core checks maxAttempts' range before retryMode is read, as the rules are ordered.
        let mode, modeError;
        try { mode = optString(config, 'retryMode', N, 'retryMode'); } catch (e) { modeError = e; }
        call(() => core.setRetry(max, String(max), mode));
        if (modeError) throw modeError;
        const timeout = optNumber(config, 'requestTimeoutMs', N, 'requestTimeoutMs');
        if (timeout !== undefined && !(timeout > 0 && timeout <= 2147483647)) {
          throw argErr(N, 'requestTimeoutMs', 'requestTimeoutMs must be a number of milliseconds from 1 to 2147483647');
        }
        this.#timeout = timeout;
        let logger;
        try { logger = config.logger; } catch { throw argErr(N, 'logger', 'logger could not be read'); }
        if (logger === null) logger = undefined;
        if (logger !== undefined && !isObj(logger)) {
          throw argErr(N, 'logger', `logger must be an object { debug, info, warn, error }; got ${describe(logger)}`);
        }
        this.#logger = logger;
        this.#hook = optFunction(config, 'shouldRetry', N, 'shouldRetry');
        const offset = optNumber(config, 'systemClockOffset', N, 'systemClockOffset') ?? 0;
        core.setOptions(offset, this.#hook !== undefined);
      } catch (e) {
        core.free();
        throw e;
      }
      this.#core = core;
      [this.#region, this.#endpoint, this.#maxAttempts, this.#retryMode] = JSON.parse(core.info());
      this.#adaptive = this.#retryMode === 'adaptive';
    }

    /** The signing region. */
    get region() { return this.#region; }
    /** The resolved endpoint URL (without the operation path). */
    get endpoint() { return this.#endpoint; }
    /** Attempts per call, including the first. */
    get maxAttempts() { return this.#maxAttempts; }
    /** `'standard'`, `'adaptive'` or `'off'`. */
    get retryMode() { return this.#retryMode; }
    /** Milliseconds added to the local clock when signing; corrected after a clock-skew error. */
    get systemClockOffset() { return this.#core.systemClockOffset; }

    /** A redacted view for `JSON.stringify(client)`: never credentials. */
    toJSON() {
      return {
        region: this.#region,
        endpoint: this.#endpoint,
        credentials: this.#provider ? '[credentials provider]' : '[static credentials, redacted]',
        retryMode: this.#retryMode,
        maxAttempts: this.#maxAttempts,
      };
    }

    /** Frees the wasm memory held by this client (optional; a FinalizationRegistry also does it). */
    free() {
      this.#core.free();
    }

    /** `await client.sendChatIntegrationEvent(input, { abortSignal }?)`. */
    sendChatIntegrationEvent(input, options) {
      // Read the input now, so later mutation by the caller cannot change what is sent.
      let body;
      try { body = serialize(input, true, hashBelow); } catch (e) { return Promise.reject(coreError(e)); }
      return this.#send(body, peek(options, 'abortSignal'));
    }

    /**
     * `await client.sendChatIntegrationEvents(inputs, { concurrency = 10, abortSignal }?)` → one
     * `{ status: 'fulfilled', value } | { status: 'rejected', reason }` per input, in input order;
     * at most `concurrency` sends are in flight at once.
     */
    async sendChatIntegrationEvents(inputs, options) {
      let iterable = false;
      if (typeof inputs !== 'string') {
        try { iterable = typeof inputs[Symbol.iterator] === 'function'; } catch { /* not iterable */ }
      }
      if (!iterable) throw new TypeError(`sendChatIntegrationEvents expects an array of inputs; got ${describe(inputs)}`);
      // Each input is read now.
      const items = Array.from(inputs, (v) => {
        try { return [serialize(v, true, hashBelow)]; } catch (e) { return [undefined, coreError(e)]; }
      });
      let concurrency = peek(options, 'concurrency');
      if (typeof concurrency !== 'number') concurrency = 10;
      else if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1000)) {
        throw new RangeError('concurrency must be an integer from 1 to 1000');
      }
      const signal = peek(options, 'abortSignal');
      const results = new Array(items.length);
      let next = 0;
      const worker = async () => {
        while (next < items.length) {
          const i = next++;
          const [body, invalid] = items[i];
          try {
            if (invalid) throw invalid;
            results[i] = { status: 'fulfilled', value: await this.#send(body, signal) };
          } catch (reason) {
            results[i] = { status: 'rejected', reason };
          }
        }
      };
      const workers = [];
      for (let n = Math.max(Math.min(concurrency, items.length), 1); n > 0; n--) workers.push(worker());
      await Promise.all(workers);
      return results;
    }

    /** Calls `logger[level](message, fields)` if there is such a method; a throwing logger is
     *  ignored. Messages and fields never carry credentials, signatures or bodies. */
    #log(level, message, fields) {
      const logger = this.#logger;
      if (logger === undefined) return;
      try {
        const f = logger[level];
        if (typeof f === 'function') f.call(logger, `connect-chat-events: ${message}`, fields);
      } catch { /* a throwing logger */ }
    }

    /** A provider's credentials (static ones are in the core already), cached until 5 minutes
     *  before they expire; concurrent calls that need a refresh share one provider call. */
    async #credentials() {
      const provider = this.#provider;
      const cached = this.#cached;
      let c;
      if (cached !== undefined && !needRefresh(cached.exp, Date.now())) {
        c = cached;
      } else {
        let p = this.#refreshing;
        if (p === undefined) {
          let ret;
          try { ret = provider(); } catch (e) { throw providerError(e); }
          p = Promise.resolve(ret);
          this.#refreshing = p;
        }
        let value;
        try {
          value = await p;
        } catch (e) {
          throw providerError(e);
        } finally {
          if (this.#refreshing === p) this.#refreshing = undefined;
        }
        c = { c: readCredentials(value, 'CredentialsProviderError', 'credentials()'), exp: readExpiration(value) };
        this.#cached = c;
      }
      if (this.#signing !== c) {
        this.#core.setCredentials(c.c[0], c.c[1], c.c[2]);
        this.#signing = c;
      }
    }

    /** Waits for adaptive mode's send token (no-op until the first throttling response). */
    async #sendToken(signal) {
      let waited = 0;
      // Bounded: each turn either sends or sleeps at least 1 ms.
      for (let i = 0; i < 100000; i++) {
        const ms = this.#core.acquire(Date.now());
        if (!(ms > 0)) break;
        await sleep(ms, signal);
        waited += ms;
      }
      if (waited > 0) this.#log('debug', `adaptive rate limiter delayed this send by ${waited} ms`, { rateLimiterDelay: waited });
    }

    /** Asks the `shouldRetry` hook; a hook that throws (or rejects) means "do not retry". */
    async #ask(err, attempt) {
      try {
        let v = this.#hook.call(undefined, err, attempt);
        let isPromise = false;
        try { isPromise = v instanceof Promise; } catch { /* a hostile value */ }
        if (isPromise) v = await v;
        return Boolean(v);
      } catch (e) {
        const m = peek(e, 'message');
        this.#log('warn', `shouldRetry threw (${typeof m === 'string' ? m : ''}); not retrying`, { attempt });
        return false;
      }
    }

    /** One attempt: fetch with a signal that the caller's abort and the per-attempt timeout both
     *  trigger; both also cut the body read short. `[0, response] | [1] timeout | [2] aborted |
     *  [3, error]` connection. */
    async #attempt(url, init, signal) {
      if (aborted(signal)) return [2];
      const hasSignal = isObj(signal);
      const timeout = this.#timeout;
      // 0: running, 1: timed out, 2: aborted by the caller.
      let why = 0;
      let timer, onAbort;
      if (hasSignal || timeout !== undefined) {
        let c;
        try { c = new AbortController(); } catch { /* none */ }
        if (c) {
          init.signal = c.signal;
          if (timeout !== undefined) {
            timer = setTimeout(() => {
              if (why === 0) {
                why = 1;
                c.abort(error('TimeoutError', 'request timed out'));
              }
            }, timeout);
          }
          if (hasSignal) {
            const cb = () => {
              if (why === 0) {
                why = 2;
                c.abort(undefined);
              }
            };
            if (listen(signal, 'addEventListener', cb)) onAbort = cb;
          }
        } else if (hasSignal) {
          init.signal = signal;
        }
      }
      try {
        return [0, await fetchRead(this.#fetch, url, init)];
      } catch (e) {
        if (why === 1) return [1];
        if (why === 2 || aborted(signal)) return [2];
        return [3, e];
      } finally {
        if (timer !== undefined) clearTimeout(timer);
        if (onAbort) listen(signal, 'removeEventListener', onAbort);
      }
    }

    /** `serialized`: from `__cceSerialize`, the body with its hash in front unless it is large. */
    async #send(serialized, signal) {
      const core = this.#core;
      const st = new Float64Array(STATE_LEN);
      // One hash for every attempt; the core signs without the body.
      let body = serialized, bodyHash;
      if (serialized.charCodeAt(0) === 123) {
        bodyHash = hash(body);
      } else {
        bodyHash = serialized.slice(0, 64);
        body = serialized.slice(64);
      }
      let m = NO_META;
      for (;;) {
        if (aborted(signal)) throw withMeta(abortError(signal), m, st);
        try {
          if (this.#adaptive) await this.#sendToken(signal);
          if (this.#provider !== undefined) await this.#credentials();
        } catch (e) {
          throw withMeta(e, m, st);
        }
        const signed = call(() => core.sign(st, bodyHash, Date.now())).split('\n');
        const url = signed[0];
        const headers = {};
        for (let i = 1; i + 1 < signed.length; i += 2) headers[signed[i]] = signed[i + 1];
        const attempt = st[0];
        const max = st[6];
        m = NO_META;
        if (this.#logger !== undefined) {
          this.#log('debug', `attempt ${attempt}/${max}: POST ${url}`, { attempt, maxAttempts: max });
        }
        const outcome = await this.#attempt(url, { method: 'POST', headers, body }, signal);
        const now = Date.now();
        let err, cls, decision;
        if (outcome[0] === 0) {
          const res = outcome[1];
          const r = JSON.parse(core.respond(st, res[0], res[1], res[2], now));
          m = { status: r[1], requestId: r[2], extendedRequestId: r[3], cfId: r[4] };
          if (r[0] === 0) {
            if (this.#logger !== undefined) {
              this.#log('debug', `attempt ${attempt}/${max} succeeded (HTTP ${r[1]})`, { attempt, httpStatusCode: r[1] });
            }
            const out = {};
            if (r[5] != null) out.InitialContactId = r[5];
            if (r[6] != null) out.NewChatCreated = r[6];
            out.$metadata = metadata(m, st);
            return out;
          }
          if (r[0] === 1) {
            const offset = st[10];
            this.#log('warn', `attempt ${attempt}/${max}: ${r[5]} (clock skew); systemClockOffset is now ${offset} ms, re-signing`,
              { attempt, systemClockOffset: offset });
            continue;
          }
          err = error(r[5], r[6]);
          err.Message = r[6];
          err.$fault = r[7];
          err.$metadata = metadata(m, st);
          if (r[8] != null) err.$retryable = { throttling: r[8] };
          if (r[9] != null) {
            try { err.Reason = JSON.parse(r[9]); } catch { /* not JSON */ }
          }
          err.$response = { statusCode: r[1], body: r[10], headers: headersObject(res[1]) };
          cls = r[11];
          decision = r[12];
        } else if (outcome[0] === 2) {
          this.#log('debug', `attempt ${attempt}/${max} aborted by the caller`, { attempt });
          throw withMeta(abortError(signal), m, st);
        } else {
          if (outcome[0] === 1) {
            err = error('TimeoutError', `attempt ${attempt} did not complete within requestTimeoutMs (${this.#timeout} ms)`);
            err.$fault = 'client';
          } else {
            err = outcome[1];
          }
          const r = JSON.parse(core.failed(st, outcome[0] === 1, now));
          cls = r[0];
          decision = r[1];
          withMeta(err, m, st);
        }
        const n = peek(err, 'name');
        const name = typeof n === 'string' ? n : 'Error';
        // `true`: retry after st[10] ms; a string: the stop reason; null: ask the hook.
        if (decision === null) decision = JSON.parse(core.decide(st, await this.#ask(err, attempt)));
        if (decision === true) {
          decision = st[10];
          this.#log('info', `attempt ${attempt}/${max} failed with ${name} (${cls}); retrying in ${decision} ms`,
            { attempt, error: name, delay: decision });
          try {
            await sleep(decision, signal);
          } catch (e) {
            throw withMeta(e, m, st);
          }
        } else {
          withMeta(err, m, st);
          this.#log(decision === 'retry-quota-exhausted' ? 'warn' : 'debug',
            `attempt ${attempt}/${max} failed with ${name}; not retrying (${decision})`, { attempt, error: name, reason: decision });
          throw err;
        }
      }
    }
  }
  // `using client = new ConnectChatClient(…)` frees it, as wasm-bindgen classes allow.
  if (Symbol.dispose) ConnectChatClient.prototype[Symbol.dispose] = ConnectChatClient.prototype.free;
  return ConnectChatClient;
}

/** `resolveEndpoint({ region, useFipsEndpoint?, useDualstackEndpoint?, endpoint? })` → URL string,
 *  over the wasm export `__cceResolveEndpoint`. */
export function makeResolveEndpoint(w) {
  const resolve = w.__cceResolveEndpoint;
  return function resolveEndpoint(config) {
    const ep = readEndpointConfig(config, 'EndpointError');
    return call(resolve, ep[0], ep[1], ep[2], ep[3]);
  };
}

/** `validateChatIntegrationEvent(input, { strict = true } = {})` → `{ valid, issues }` (never
 *  throws), over the wasm export `__cceValidate`. */
export function makeValidate(w) {
  const validate = w.__cceValidate;
  return function validateChatIntegrationEvent(input, options) {
    const issues = JSON.parse(validate(input, peek(options, 'strict') !== false));
    return { valid: issues.length === 0, issues };
  };
}

/** `serializeChatIntegrationEvent(input, { strict = true } = {})` → the JSON body; throws
 *  `ChatEventValidationError` (with `.issues`), over the wasm export `__cceSerialize`. */
export function makeSerialize(w) {
  const serialize = w.__cceSerialize;
  return function serializeChatIntegrationEvent(input, options) {
    return call(serialize, input, peek(options, 'strict') !== false, 0);
  };
}

const SIGNING = 'SigningError';

/** `${path}` as a header value: a string, or a number as JS writes it. */
function headerValue(v, path) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw argErr(SIGNING, path, `${path} must be a string; got ${describe(v)}`);
}

const unreadable = (path) => argErr(SIGNING, path, `${path} could not be read (a getter or Proxy trap threw)`);

/** The items of a caller's array (or array-like Proxy); throws `unreadable(path)`. */
function arrayItems(v, path) {
  try {
    const n = v.length;
    if (typeof n === 'number' && n >= 0 && n <= 1000000) {
      const out = [];
      for (let i = 0; i < (n >>> 0); i++) out.push(v[i]);
      return out;
    }
  } catch { /* below */ }
  throw unreadable(path);
}

/** One `[name, value]` pair, pushed onto `out` as two strings. */
function readPair(pair, path, out) {
  const items = isArray(pair) ? arrayItems(pair, path) : [];
  if (items.length !== 2) throw argErr(SIGNING, path, `${path} must be a [name, value] pair; got ${describe(pair)}`);
  if (typeof items[0] !== 'string') throw argErr(SIGNING, path, `${path}[0] (the header name) must be a string`);
  out.push(items[0], headerValue(items[1], `${path}[1]`));
}

/** Headers given as an array of `[name, value]` pairs, a `Headers`/`Map`, or a plain object (whose
 *  values may be arrays: repeated headers, as Node's http module represents them). */
function readHeaders(v) {
  const out = [];
  if (v === undefined || v === null) return out;
  if (isArray(v)) {
    const pairs = arrayItems(v, 'request.headers');
    for (let i = 0; i < pairs.length; i++) readPair(pairs[i], `request.headers[${i}]`, out);
    return out;
  }
  if (!isObj(v)) {
    throw argErr(SIGNING, 'request.headers', `request.headers must be an object, a Headers or an array of [name, value] pairs; got ${describe(v)}`);
  }
  // Headers and Map are iterable and yield [name, value]; plain objects are not.
  let iter;
  try {
    let proto;
    if (typeof v.entries === 'function' && (proto = Object.getPrototypeOf(v)) !== null && proto !== Object.prototype) {
      const f = v[Symbol.iterator];
      if (typeof f === 'function') {
        const it = f.call(v);
        if (isObj(it) && typeof it.next === 'function') iter = it;
      }
    }
  } catch { /* not iterable: read as a plain object */ }
  if (iter !== undefined) {
    for (let i = 0; ; i++) {
      let item;
      try {
        const r = iter.next();
        if (r.done) break;
        item = r.value;
      } catch {
        throw unreadable('request.headers');
      }
      readPair(item, `request.headers[${i}]`, out);
    }
    return out;
  }
  let entries;
  try { entries = Object.entries(v); } catch { throw unreadable('request.headers'); }
  for (const [name, value] of entries) {
    const path = `request.headers.${name}`;
    if (isArray(value)) {
      for (const item of arrayItems(value, path)) out.push(name, headerValue(item, path));
    } else if (value !== undefined) {
      out.push(name, headerValue(value, path));
    }
  }
  return out;
}

let encoder;

function readBody(v) {
  if (v === undefined || v === null) return new Uint8Array(0);
  if (typeof v === 'string') return (encoder ??= new TextEncoder()).encode(v);
  try {
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  } catch { /* a hostile object */ }
  throw argErr(SIGNING, 'request.body', `request.body must be a string or a Uint8Array; got ${describe(v)}`);
}

/** `options.signingDate` (a Date, an ISO 8601 string or epoch milliseconds) as unix seconds. */
function readTime(v, parse) {
  if (v === undefined || v === null) return Math.floor(Date.now() / 1000);
  if (typeof v === 'string') return parse(v);
  let ms;
  try { if (v instanceof Date) ms = v.getTime(); } catch { /* a hostile object */ }
  if (ms === undefined) {
    if (typeof v !== 'number') {
      throw argErr(SIGNING, 'options.signingDate', `options.signingDate must be a Date or an ISO 8601 string; got ${describe(v)}`);
    }
    ms = v;
  }
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw argErr(SIGNING, 'options.signingDate', 'options.signingDate is not a valid date');
  }
  return Math.floor(ms / 1000);
}

/** Own data property (a header named `__proto__` must not replace the prototype). */
function define(o, k, v) {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** `signRequest(request, options)` → `{ method, url, headers, canonicalRequest, stringToSign,
 *  signature }`, over the wasm exports `__cceSignRequest` and `__cceSigningTime`. */
export function makeSignRequest(w) {
  const sign = w.__cceSignRequest;
  const parseTime = w.__cceSigningTime;
  return function signRequest(request, options) {
    const N = SIGNING;
    if (!isObj(request)) throw argErr(N, 'request', `request must be an object { method, url, headers?, body? }; got ${describe(request)}`);
    if (!isObj(options)) throw argErr(N, 'options', `options must be an object { region, service, credentials }; got ${describe(options)}`);
    const method = optString(request, 'method', N, 'request.method') ?? 'GET';
    const url = reqString(request, 'url', N, 'request.url');
    let h, b, c;
    try { h = request.headers; } catch { throw argErr(N, 'request.headers', 'request.headers could not be read'); }
    const headers = readHeaders(h);
    try { b = request.body; } catch { throw argErr(N, 'request.body', 'request.body could not be read'); }
    const body = readBody(b);
    const region = reqString(options, 'region', N, 'options.region');
    const service = reqString(options, 'service', N, 'options.service');
    try { c = options.credentials; } catch { throw argErr(N, 'options.credentials', 'options.credentials could not be read'); }
    const creds = readCredentials(c, N, 'options.credentials');
    const time = readTime(peek(options, 'signingDate'), (d) => call(parseTime, d));
    const flags = (optBool(options, 'applyChecksum', N, 'options.applyChecksum', true) ? 1 : 0)
      | (optBool(options, 'uriEscapePath', N, 'options.uriEscapePath', true) ? 2 : 0)
      | (optBool(options, 'normalizePath', N, 'options.normalizePath', true) ? 4 : 0);
    const parts = [method, url, region, service, creds[0], creds[1], creds[2] ?? '', ...headers];
    const r = JSON.parse(call(sign, parts.join('\n'), new Float64Array(parts.map((p) => p.length)), body, time, flags));
    // A plain object holds one value per name: repeated names are joined with "," as in canonical form.
    const out = {};
    for (let i = 5; i + 1 < r.length; i += 2) {
      const k = r[i];
      define(out, k, Object.hasOwn(out, k) ? `${out[k]},${r[i + 1]}` : r[i + 1]);
    }
    return { method: r[0], url: r[1], headers: out, canonicalRequest: r[2], stringToSign: r[3], signature: r[4] };
  };
}
