//! The I/O of one attempt, over the global object (Node, browsers and workers alike): the
//! transport seam (`fetch`-shaped: `(url, { method, headers, body, signal })`, its result read
//! duck-typed as `{ status, headers, text() }`), `setTimeout` sleeps and the per-attempt
//! `AbortController` that the caller's `abortSignal` and `requestTimeoutMs` both trigger.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::errors::{abort_error, error, set};
use super::input::{get, is_obj, peek};
use super::names::name;

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

/// Calls `signal[method]('abort', f)`; whether the signal took it.
fn listen(signal: &JsValue, method: &'static str, f: &JsValue) -> bool {
    if !is_obj(signal) {
        return false;
    }
    match get(signal, method).map(|m| m.dyn_into::<Function>()) {
        Ok(Ok(m)) => m.call2(signal, &name("abort"), f).is_ok(),
        _ => false,
    }
}

/// `setTimeout(f, ms)`: the timer id.
fn set_timeout(f: &JsValue, ms: f64) -> JsValue {
    match global_fn("setTimeout") {
        Some(st) => st
            .call2(&global(), f, &JsValue::from_f64(ms))
            .unwrap_or(JsValue::UNDEFINED),
        None => JsValue::UNDEFINED,
    }
}

fn clear_timeout(id: &JsValue) {
    if let Some(ct) = global_fn("clearTimeout") {
        let _ = ct.call1(&global(), id);
    }
}

/// Sleeps `ms` milliseconds; an abort of `signal` ends it at once with an `AbortError`.
pub(crate) async fn sleep(ms: f64, signal: &JsValue) -> Result<(), JsValue> {
    if aborted(signal) {
        return Err(abort_error(signal));
    }
    let mut funcs = None;
    let promise = Promise::new(&mut |resolve, reject| funcs = Some((resolve, reject)));
    let Some((resolve, reject)) = funcs else {
        return Ok(());
    };
    let timer = set_timeout(&resolve, ms.max(0.0));
    let sig = signal.clone();
    let on_abort = Closure::<dyn FnMut()>::new(move || {
        let _ = reject.call1(&JsValue::UNDEFINED, &abort_error(&sig));
    });
    let listening = listen(signal, "addEventListener", on_abort.as_ref());
    let r = JsFuture::from(promise).await.map(|_| ());
    clear_timeout(&timer);
    if listening {
        listen(signal, "removeEventListener", on_abort.as_ref());
    }
    r
}

/// `await v` for any value (a rejected Promise or a throwing thenable is an `Err`).
pub(crate) async fn resolve(v: &JsValue) -> Result<JsValue, JsValue> {
    JsFuture::from(Promise::resolve(v)).await
}

/// A response as the core reads it.
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
    url: &str,
    headers: &Object,
    body: &JsValue,
    signal: &JsValue,
    timeout_ms: Option<f64>,
) -> Outcome {
    if aborted(signal) {
        return Outcome::Aborted;
    }
    let init = Object::new();
    set(&init, "method", &name("POST"));
    set(&init, "headers", headers);
    set(&init, "body", body);
    let has_signal = is_obj(signal);
    // 0: running, 1: timed out, 2: aborted by the caller.
    let why = Rc::new(Cell::new(0u8));
    let mut timer = None;
    let mut on_abort = None;
    if has_signal || timeout_ms.is_some() {
        let controller = global_fn("AbortController")
            .and_then(|c| Reflect::construct(&c, &js_sys::Array::new()).ok());
        if let Some(c) = controller {
            set(&init, "signal", &peek(&c, "signal"));
            let abort = get(&c, "abort")
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok());
            if let (Some(ms), Some(abort)) = (timeout_ms, abort.clone()) {
                let (why, c) = (why.clone(), c.clone());
                let f = Closure::<dyn FnMut()>::new(move || {
                    if why.get() == 0 {
                        why.set(1);
                        let _ = abort.call1(&c, &error("TimeoutError", "request timed out"));
                    }
                });
                timer = Some((set_timeout(f.as_ref(), ms), f));
            }
            if let (true, Some(abort)) = (has_signal, abort) {
                let (why, c) = (why.clone(), c.clone());
                let f = Closure::<dyn FnMut()>::new(move || {
                    if why.get() == 0 {
                        why.set(2);
                        let _ = abort.call1(&c, &JsValue::UNDEFINED);
                    }
                });
                if listen(signal, "addEventListener", f.as_ref()) {
                    on_abort = Some(f);
                }
            }
        } else if has_signal {
            set(&init, "signal", signal);
        }
    }
    let result = call_and_read(fetch, url, &init).await;
    if let Some((id, _f)) = &timer {
        clear_timeout(id);
    }
    if let Some(f) = &on_abort {
        listen(signal, "removeEventListener", f.as_ref());
    }
    match result {
        Ok(r) => Outcome::Response(r),
        Err(_) if why.get() == 1 => Outcome::Timeout,
        Err(_) if why.get() == 2 || aborted(signal) => Outcome::Aborted,
        Err(e) => Outcome::Failed(e),
    }
}

/// Calls the transport, then reads status, headers and body text as leniently as a
/// Response-like object allows.
async fn call_and_read(
    fetch: Option<&Function>,
    url: &str,
    init: &Object,
) -> Result<Response, JsValue> {
    let f = match fetch {
        Some(f) => f.clone(),
        None => global_fn("fetch").ok_or_else(|| {
            JsValue::from(js_sys::TypeError::new(
                "fetch is not available in this runtime; pass the fetch option",
            ))
        })?,
    };
    let r = f.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), init)?;
    let r = resolve(&r).await?;
    let status = peek(&r, "status")
        .as_f64()
        .filter(|s| (0.0..=999.0).contains(s))
        .map_or(0, |s| s as u16);
    let headers = read_headers(&peek(&r, "headers"));
    let mut text = String::new();
    if let Ok(tf) = peek(&r, "text").dyn_into::<Function>() {
        let t = resolve(&tf.call0(&r)?).await?;
        if let Some(t) = t.as_string() {
            text = t;
        }
    }
    Ok(Response {
        status,
        headers,
        text,
    })
}

#[wasm_bindgen(inline_js = r#"
export function cce_header_pairs(h) {
  const out = [];
  const add = (k, v) => { if (typeof k === 'string' && typeof v === 'string') out.push([k, v]); };
  try {
    if (typeof h[Symbol.iterator] === 'function') {
      for (const it of h) if (Array.isArray(it)) add(it[0], it[1]);
    } else if (typeof h.forEach === 'function') {
      h.forEach((v, k) => add(k, v));
    }
  } catch { /* a hostile iterator: the pairs read so far */ }
  return out;
}
"#)]
extern "C" {
    /// The `[name, value]` string pairs of a `Headers`-like object (iterable, else with
    /// `forEach`), read in one call; whatever cannot be read is skipped, nothing throws.
    fn cce_header_pairs(h: &JsValue) -> js_sys::Array;
}

/// Response headers, names lower-cased (at most [`MAX_HEADERS`]).
fn read_headers(h: &JsValue) -> Vec<(String, String)> {
    if !(h.is_object() || h.is_function()) {
        return Vec::new();
    }
    let pairs = cce_header_pairs(h);
    let n = pairs.length().min(MAX_HEADERS as u32);
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let p: js_sys::Array = pairs.get(i).unchecked_into();
        if let (Some(k), Some(v)) = (p.get(0).as_string(), p.get(1).as_string()) {
            out.push((k.to_ascii_lowercase(), v));
        }
    }
    out
}
