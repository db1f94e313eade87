//! The I/O of one attempt, over the global object (Node, browsers and workers alike): the
//! transport seam (`fetch`-shaped: `(url, { method, headers, body, signal })`, its result read
//! duck-typed as `{ status, headers, text() }`), `setTimeout` sleeps (`cce_sleep`) and the
//! per-attempt `AbortController` that the caller's `abortSignal` and `requestTimeoutMs` both
//! trigger.

use js_sys::{Function, Promise};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::errors::abort_error;
use super::input::{is_obj, peek};
use super::names::name;
use crate::client::AttemptHeaders;

/// The most response headers read (a guard against an endless iterator).
const MAX_HEADERS: usize = 10_000;

fn global() -> JsValue {
    js_sys::global().into()
}

/// A function of the global object (looked up at each use, so a later polyfill counts).
fn global_fn(name: &'static str) -> Option<Function> {
    peek(&global(), name).dyn_into::<Function>().ok()
}

/// Whether `signal` has fired.
pub(crate) fn aborted(signal: &JsValue) -> bool {
    peek(signal, "aborted") == JsValue::TRUE
}

/// Sleeps `ms` milliseconds; an abort of `signal` ends it at once with an `AbortError`.
pub(crate) async fn sleep(ms: f64, signal: &JsValue) -> Result<(), JsValue> {
    if aborted(signal) {
        return Err(abort_error(signal));
    }
    JsFuture::from(cce_sleep(ms.max(0.0), signal))
        .await
        .map(|_| ())
        .map_err(|_| abort_error(signal))
}

/// The attempt's headers as a JS object, built in one object literal (`cce_headers`).
pub(crate) fn headers_js(h: &AttemptHeaders) -> JsValue {
    cce_headers(
        &name(AttemptHeaders::CONTENT_TYPE),
        h.amz_sdk_request.as_deref(),
        &h.amz_date,
        h.security_token.as_deref(),
        &h.authorization,
    )
}

/// A response as the core reads it.
#[derive(Deserialize)]
pub(crate) struct Response {
    pub(crate) status: u16,
    /// Header names lower-cased, in order; repeated names kept.
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) text: String,
}

/// How an attempt ended.
pub(crate) enum Outcome {
    Response(Response),
    /// `requestTimeoutMs` passed.
    Timeout,
    /// The caller's signal fired.
    Aborted,
    /// The transport threw or rejected (with this).
    Failed(JsValue),
}

/// One attempt: calls the transport (`fetch`: the configured function, else the global
/// `fetch`) with a signal that the caller's abort and the per-attempt timeout both trigger;
/// both also cut the body read short.
pub(crate) async fn attempt(
    fetch: Option<&Function>,
    url: &JsValue,
    headers: &JsValue,
    body: &JsValue,
    signal: &JsValue,
    timeout_ms: Option<f64>,
) -> Outcome {
    if aborted(signal) {
        return Outcome::Aborted;
    }
    // One signal for the attempt when there is anything to abort it; else none at all.
    let attempt_signal =
        (is_obj(signal) || timeout_ms.is_some()).then(|| cce_attempt_signal(signal, timeout_ms));
    let s = attempt_signal
        .as_ref()
        .map_or(JsValue::UNDEFINED, |st| peek(st, "signal"));
    let init = cce_init(headers, body, &s);
    let result = call_and_read(fetch, url, &init).await;
    // 0: running, 1: timed out, 2: aborted by the caller.
    let why = attempt_signal.map_or(0.0, |st| {
        if let Ok(end) = peek(&st, "end").dyn_into::<Function>() {
            let _ = end.call0(&st);
        }
        peek(&st, "why").as_f64().unwrap_or(0.0)
    });
    match result {
        Ok(r) => Outcome::Response(r),
        Err(_) if why == 1.0 => Outcome::Timeout,
        Err(_) if why == 2.0 || aborted(signal) => Outcome::Aborted,
        Err(e) => Outcome::Failed(e),
    }
}

/// Calls the transport and reads its answer (see `cce_exchange`).
async fn call_and_read(
    fetch: Option<&Function>,
    url: &JsValue,
    init: &JsValue,
) -> Result<Response, JsValue> {
    let f = match fetch {
        Some(f) => f.clone(),
        None => global_fn("fetch").ok_or_else(|| {
            JsValue::from(js_sys::TypeError::new(
                "fetch is not available in this runtime; pass the fetch option",
            ))
        })?,
    };
    let answer = JsFuture::from(cce_exchange(&f, url, init, MAX_HEADERS as u32)).await?;
    let mut r: Response = serde_wasm_bindgen::from_value(answer)
        .map_err(|e| JsValue::from(js_sys::TypeError::new(&e.to_string())))?;
    for (name, _) in &mut r.headers {
        name.make_ascii_lowercase();
    }
    Ok(r)
}

#[wasm_bindgen(inline_js = r#"
const read = (o, k) => { try { return o[k]; } catch { return undefined; } };
// The [name, value] string pairs of a Headers-like object (iterable, else with forEach), at
// most max; whatever cannot be read is skipped, nothing throws.
function headerPairs(h, max) {
  const out = [];
  const add = (k, v) => { if (out.length < max && typeof k === 'string' && typeof v === 'string') out.push([k, v]); };
  try {
    if (typeof h[Symbol.iterator] === 'function') {
      for (const it of h) { if (out.length >= max) break; if (Array.isArray(it)) add(it[0], it[1]); }
    } else if (typeof h.forEach === 'function') {
      h.forEach((v, k) => add(k, v));
    }
  } catch { /* a hostile iterator: the pairs read so far */ }
  return out;
}
// The reason a timed-out attempt's signal aborts with (as AbortSignal.timeout's).
function timeoutReason() {
  try { return new DOMException('request timed out', 'TimeoutError'); } catch { /* no DOMException */ }
  return Object.assign(new Error('request timed out'), { name: 'TimeoutError' });
}
export function cce_attempt_signal(caller, ms) {
  const st = { signal: undefined, why: 0, end() {} };
  const hasCaller = caller !== null && typeof caller === 'object';
  let c;
  try {
    c = new globalThis.AbortController();
  } catch {
    // No AbortController (an old runtime): the caller's signal as it is, and no timeout.
    if (hasCaller) st.signal = caller;
    return st;
  }
  st.signal = c.signal;
  let timer, onAbort;
  if (ms !== undefined) {
    try {
      timer = globalThis.setTimeout(() => { if (st.why === 0) { st.why = 1; c.abort(timeoutReason()); } }, ms);
    } catch { /* no setTimeout: no timeout */ }
  }
  if (hasCaller) {
    onAbort = () => { if (st.why === 0) { st.why = 2; c.abort(); } };
    try { caller.addEventListener('abort', onAbort); } catch { onAbort = undefined; }
  }
  st.end = () => {
    try { if (timer !== undefined) globalThis.clearTimeout(timer); } catch { /* hostile global */ }
    try { if (onAbort) caller.removeEventListener('abort', onAbort); } catch { /* hostile signal */ }
  };
  return st;
}
export function cce_sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    let timer, onAbort;
    const unlisten = () => {
      try { if (onAbort) signal.removeEventListener('abort', onAbort); } catch { /* hostile signal */ }
    };
    try {
      timer = globalThis.setTimeout(() => { unlisten(); resolve(); }, ms);
    } catch {
      resolve(); // no setTimeout: no wait
      return;
    }
    if (signal !== null && typeof signal === 'object') {
      onAbort = () => {
        try { globalThis.clearTimeout(timer); } catch { /* hostile global */ }
        unlisten();
        reject();
      };
      try { signal.addEventListener('abort', onAbort); } catch { onAbort = undefined; }
    }
  });
}
export function cce_headers(contentType, sdkRequest, amzDate, token, authorization) {
  const h = { 'content-type': contentType };
  if (sdkRequest !== undefined) h['amz-sdk-request'] = sdkRequest;
  h['x-amz-date'] = amzDate;
  if (token !== undefined) h['x-amz-security-token'] = token;
  h.authorization = authorization;
  return h;
}
export function cce_init(headers, body, signal) {
  return signal === undefined ? { method: 'POST', headers, body } : { method: 'POST', headers, body, signal };
}
export async function cce_exchange(f, url, init, max) {
  const r = await f(url, init);
  const s = read(r, 'status');
  const h = read(r, 'headers');
  const t = read(r, 'text');
  let text = '';
  if (typeof t === 'function') {
    const v = await t.call(r);
    if (typeof v === 'string') text = v;
  }
  return {
    status: typeof s === 'number' && s >= 0 && s <= 999 ? Math.trunc(s) : 0,
    headers: h !== null && (typeof h === 'object' || typeof h === 'function') ? headerPairs(h, max) : [],
    text,
  };
}
"#)]
extern "C" {
    /// One exchange with the transport, read as leniently as a Response-like object allows:
    /// `await f(url, init)`, then `{ status, headers: [[name, value]], text }` (status 0 when
    /// it is not a number from 0 to 999; unreadable headers skipped; text `''` without a
    /// `text()` that gives a string). Rejects with what `f` or `text()` threw or rejected with.
    fn cce_exchange(f: &Function, url: &JsValue, init: &JsValue, max_headers: u32) -> Promise;

    /// The headers of one attempt (`AttemptHeaders`) as one object literal, in the order they
    /// are signed; the optional ones only when given. Object literals keep the property accesses
    /// monomorphic: a property at a time through one `Reflect.set` made the send 1.1-1.2x slower.
    fn cce_headers(
        content_type: &JsValue,
        amz_sdk_request: Option<&str>,
        amz_date: &str,
        security_token: Option<&str>,
        authorization: &str,
    ) -> JsValue;

    /// `fetch`'s init for one attempt: `{ method: 'POST', headers, body }`, and `signal` when given.
    fn cce_init(headers: &JsValue, body: &JsValue, signal: &JsValue) -> JsValue;

    /// Resolves after `ms` (at once without `setTimeout`); rejects (with nothing: the caller
    /// builds the error) when `signal` aborts first. The timer and the listener are always
    /// cleared; a hostile signal that refuses the listener is not listened to.
    fn cce_sleep(ms: f64, signal: &JsValue) -> Promise;

    /// The signal of one attempt, which the caller's `abortSignal` and the per-attempt timeout
    /// both abort: `{ signal, why, end }`. `why` is 0 while running, 1 once it timed out (the
    /// signal's reason a `TimeoutError`), 2 once the caller aborted; `end()` clears the timer and
    /// the listener. Without `AbortController` the signal is the caller's own (no timeout).
    /// Nothing in it throws: a hostile signal that refuses the listener is not listened to.
    fn cce_attempt_signal(caller: &JsValue, timeout_ms: Option<f64>) -> JsValue;
}
