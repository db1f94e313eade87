//! The JavaScript API: a thin wasm-bindgen layer over the pure core.
//!
//! Everything here is conversion: JS values in, core calls, JS values (or one typed `Error`) out.
//! I/O (`fetch`), the clock and credential providers live only here. Nothing in this module may
//! panic on caller data: a panic inside wasm poisons the module for the whole process.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::client;
use crate::endpoint::{self, EndpointConfig};
use crate::errors::ServiceError;
use crate::retry::{
    self, classify, CallState, Decision, Failure, FailureClass, RateLimiter, RetryMode,
    RetryPolicy, RetryQuota, StopReason,
};
use crate::sigv4::{self, Credentials, SigningKeyCache, SigningParams};
use crate::validate::{self, Issue, Options};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` of Node 18+, browsers and workers, looked up at call time.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &JsValue) -> Result<Promise, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    // Checked versions of built-ins that throw on hostile values (revoked Proxies, throwing traps):
    // an uncaught JS exception would unwind through wasm and leave state half-updated.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_checked(v: &JsValue) -> Result<bool, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = getPrototypeOf)]
    fn prototype_of_checked(v: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn entries_checked(v: &JsValue) -> Result<Array, JsValue>;
}

#[wasm_bindgen(inline_js = r#"
export function cce_bytes(v) {
  try {
    if (v instanceof Uint8Array) return new Uint8Array(v);
    if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
  } catch {}
  return undefined;
}
export function cce_date_ms(v) {
  try { if (v instanceof Date) return v.getTime(); } catch {}
  return undefined;
}
export function cce_is_promise(v) {
  try { return v instanceof Promise; } catch { return false; }
}
"#)]
extern "C" {
    /// A copy of a `Uint8Array` / `ArrayBuffer` body, or `undefined`; never throws.
    fn cce_bytes(v: &JsValue) -> JsValue;
    /// `Date#getTime()` of a real `Date`, or `undefined`; never throws.
    fn cce_date_ms(v: &JsValue) -> Option<f64>;
    /// `v instanceof Promise`, `false` when that throws.
    fn cce_is_promise(v: &JsValue) -> bool;
}

/// `Array.isArray` that answers `false` instead of throwing (revoked Proxy).
fn is_array(v: &JsValue) -> bool {
    is_array_checked(v).unwrap_or(false)
}

/// The items of a caller's array (or array-like Proxy), read with catching property access.
fn array_items(v: &JsValue) -> Option<Vec<JsValue>> {
    let len = Reflect::get(v, &JsValue::from_str("length"))
        .ok()?
        .as_f64()?;
    if !(0.0..=1_000_000.0).contains(&len) {
        return None;
    }
    (0..len as u32)
        .map(|i| Reflect::get_u32(v, i).ok())
        .collect()
}

// Per-request helpers in JS, so that a send crosses the JS↔wasm boundary a few times with compact
// data instead of once per property (measured with bench/, see BENCHMARKS.md).
#[wasm_bindgen(inline_js = r#"
const enc = new TextEncoder();
let json = '';
export function cce_json(v) {
  const s = JSON.stringify(v);
  if (typeof s !== 'string') return -1;
  json = s;
  return s.length;
}
export function cce_json_take(mem, ptr, cap) {
  const w = enc.encodeInto(json, new Uint8Array(mem.buffer, ptr, cap)).written;
  json = '';
  return w;
}
export function cce_init(method, hs, body) {
  const headers = {};
  const p = hs.split('\n');
  for (let i = 0; i + 1 < p.length; i += 2) headers[p[i]] = p[i + 1];
  return { method, headers, body };
}
export async function cce_fetch(f, url, init) {
  const r = await (f ? f(url, init) : fetch(url, init));
  let st, h, tf;
  try { st = r.status; } catch {}
  const out = [typeof st === 'number' ? st : 0, ''];
  try { h = r.headers; } catch {}
  if (h !== null && (typeof h === 'object' || typeof h === 'function')) {
    try {
      if (typeof h[Symbol.iterator] === 'function') {
        for (const it of h) {
          if (Array.isArray(it) && typeof it[0] === 'string' && typeof it[1] === 'string') out.push(it[0], it[1]);
        }
      }
    } catch {}
  }
  try { tf = r.text; } catch {}
  if (typeof tf === 'function') {
    const t = await tf.call(r);
    if (typeof t === 'string') out[1] = t;
  }
  return out;
}
export function cce_meta(status, requestId, extendedRequestId, cfId, attempts, totalRetryDelay) {
  const m = {};
  if (status !== undefined) m.httpStatusCode = status;
  if (requestId !== undefined) m.requestId = requestId;
  if (extendedRequestId !== undefined) m.extendedRequestId = extendedRequestId;
  if (cfId !== undefined) m.cfId = cfId;
  m.attempts = attempts;
  m.totalRetryDelay = totalRetryDelay;
  return m;
}
export function cce_out(id, created, meta) {
  const o = {};
  if (id !== undefined) o.InitialContactId = id;
  if (created !== undefined) o.NewChatCreated = created;
  o.$metadata = meta;
  return o;
}
"#)]
extern "C" {
    /// `JSON.stringify(v)`, kept in JS for [`cce_json_take`]; its length in UTF-16 units, or -1
    /// when it gives no text.
    #[wasm_bindgen(catch)]
    fn cce_json(v: &JsValue) -> Result<f64, JsValue>;
    /// Writes the kept JSON text as UTF-8 into wasm memory at `ptr` (room for `cap` bytes, at
    /// least 3 per UTF-16 unit) with one `TextEncoder.encodeInto`; the bytes written.
    fn cce_json_take(mem: &JsValue, ptr: u32, cap: u32) -> u32;
    /// `{ method, headers, body }` for fetch; `headers` is `name\nvalue\n…` (values cannot hold
    /// a newline: the signer rejects them).
    fn cce_init(method: &str, headers: &str, body: &JsValue) -> Object;
    /// fetch (the given function or the global), then the body text: `[status, text, name,
    /// value, …]`, read as leniently as a Response-like object allows.
    #[wasm_bindgen(catch)]
    fn cce_fetch(f: &JsValue, url: &str, init: &Object) -> Result<Promise, JsValue>;
    fn cce_meta(
        status: &JsValue,
        request_id: &JsValue,
        extended_request_id: &JsValue,
        cf_id: &JsValue,
        attempts: f64,
        total_retry_delay: f64,
    ) -> Object;
    fn cce_out(id: &JsValue, created: &JsValue, meta: &Object) -> JsValue;
}

/// Bodies at least this long are hashed by the host hook when one is registered (Node's
/// OpenSSL); shorter ones in wasm, where the call costs more than it saves (measured crossover).
const HOST_HASH_MIN: usize = 1024;

thread_local! {
    /// The host's synchronous SHA-256 (string → lower-case hex), registered by the Node wrapper.
    static HASH_HOOK: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Internal: registers the host's synchronous SHA-256 of a string (lower-case hex), used for large
/// request bodies. Not part of the public API (the package wrappers do not re-export it).
#[wasm_bindgen(js_name = __cceSetHash)]
pub fn set_hash_hook(f: JsValue) {
    let f = f.dyn_into::<Function>().ok();
    HASH_HOOK.with(|h| {
        if let Ok(mut slot) = h.try_borrow_mut() {
            *slot = f;
        }
    });
}

/// The body's hash from the host hook, when registered and worth it; `None` means hash in wasm.
fn host_body_hash(body: &str, body_js: &JsValue) -> Option<String> {
    if body.len() < HOST_HASH_MIN {
        return None;
    }
    let f = HASH_HOOK.with(|h| h.try_borrow().ok().and_then(|f| f.clone()))?;
    let hex = f.call1(&JsValue::UNDEFINED, body_js).ok()?.as_string()?;
    // Trust only a well-formed digest; anything else falls back to the wasm hash.
    (hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then_some(hex)
}

thread_local! {
    /// Signing keys for `signRequest`, shared by every call in this module instance.
    static SIGN_CACHE: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

// ---------------------------------------------------------------------------------------------
// Errors: one enum, converted once into a JS Error with a stable `name` and structured fields.

/// Every failure the JS API can report, before conversion to a JS `Error`.
enum ApiError {
    /// Invalid SendChatIntegrationEvent input; carries every issue.
    Validation(Vec<Issue>),
    /// A bad argument to a function or constructor (names the field and the rule).
    Argument {
        name: &'static str,
        field: String,
        message: String,
    },
    /// The SigV4 signer refused its input.
    Signing(sigv4::SigningError),
    /// Endpoint configuration error.
    Endpoint(endpoint::EndpointError),
}

/// What `$metadata` reports about a call.
#[derive(Default, Clone)]
struct Meta {
    status: Option<u16>,
    request_id: Option<String>,
    extended_request_id: Option<String>,
    cf_id: Option<String>,
    attempts: u32,
    total_retry_delay: f64,
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    // Reflect.set on a fresh plain object cannot fail; ignoring the bool keeps this panic-free.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A number as JS writes it (`String(n)`): keeps Rust's float formatting (~14 KB) out of the wasm.
fn js_num(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

fn new_error(name: &str, message: &str) -> js_sys::Error {
    let err = js_sys::Error::new(message);
    err.set_name(name);
    err
}

fn issues_to_js(issues: &[Issue]) -> Array {
    let arr = Array::new_with_length(0);
    for issue in issues {
        let o = Object::new();
        set(&o, "path", &JsValue::from_str(&issue.path));
        set(&o, "code", &JsValue::from_str(issue.code));
        set(&o, "message", &JsValue::from_str(&issue.message));
        arr.push(&o);
    }
    arr
}

fn opt_js(s: &Option<String>) -> JsValue {
    s.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str)
}

fn meta_to_js(meta: &Meta) -> Object {
    cce_meta(
        &meta
            .status
            .map_or(JsValue::UNDEFINED, |s| JsValue::from_f64(f64::from(s))),
        &opt_js(&meta.request_id),
        &opt_js(&meta.extended_request_id),
        &opt_js(&meta.cf_id),
        f64::from(meta.attempts),
        meta.total_retry_delay,
    )
}

fn validation_message(issues: &[Issue]) -> String {
    let mut msg = String::from("Invalid SendChatIntegrationEvent input: ");
    for (i, issue) in issues.iter().take(3).enumerate() {
        if i > 0 {
            msg.push_str("; ");
        }
        msg.push_str(&issue.message);
    }
    if issues.len() > 3 {
        msg.push_str(&format!(" (and {} more; see .issues)", issues.len() - 3));
    }
    msg
}

impl From<ApiError> for JsValue {
    fn from(e: ApiError) -> JsValue {
        match e {
            ApiError::Validation(issues) => {
                let err = new_error("ChatEventValidationError", &validation_message(&issues));
                set(&err, "issues", &issues_to_js(&issues));
                set(&err, "$fault", &JsValue::from_str("client"));
                err.into()
            }
            ApiError::Argument {
                name,
                field,
                message,
            } => {
                let err = new_error(name, &message);
                set(&err, "field", &JsValue::from_str(&field));
                set(&err, "$fault", &JsValue::from_str("client"));
                err.into()
            }
            ApiError::Signing(e) => {
                let err = new_error("SigningError", &e.to_string());
                set(&err, "variant", &JsValue::from_str(e.variant()));
                set(&err, "$fault", &JsValue::from_str("client"));
                err.into()
            }
            ApiError::Endpoint(e) => {
                let err = new_error("EndpointError", &e.to_string());
                set(&err, "variant", &JsValue::from_str(e.variant()));
                set(&err, "$fault", &JsValue::from_str("client"));
                err.into()
            }
        }
    }
}

fn service_error_to_js(se: &ServiceError, meta: &Meta) -> js_sys::Error {
    let err = new_error(&se.code, &se.message);
    set(&err, "Message", &JsValue::from_str(&se.message));
    set(&err, "$fault", &JsValue::from_str(se.fault.as_str()));
    set(&err, "$metadata", &meta_to_js(meta));
    if se.retryable {
        let r = Object::new();
        set(&r, "throttling", &JsValue::from_bool(se.throttling));
        set(&err, "$retryable", &r);
    }
    if let Some(reason) = &se.reason {
        if let Ok(v) = js_sys::JSON::parse(&reason.to_string()) {
            set(&err, "Reason", &v);
        }
    }
    let resp = Object::new();
    set(
        &resp,
        "statusCode",
        &JsValue::from_f64(f64::from(se.status)),
    );
    set(&resp, "body", &JsValue::from_str(&se.body_excerpt));
    set(&err, "$response", &resp);
    err
}

// ---------------------------------------------------------------------------------------------
// Reading JS values without throwing.

/// Reads `obj[key]`; `undefined` when `obj` is not an object or a getter throws (reported by caller).
fn get(obj: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    if !obj.is_object() && !obj.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(obj, &JsValue::from_str(key))
}

fn arg_err(name: &'static str, field: &str, message: String) -> ApiError {
    ApiError::Argument {
        name,
        field: field.to_string(),
        message,
    }
}

fn describe(v: &JsValue) -> &'static str {
    if v.is_null() {
        "null"
    } else if v.is_undefined() {
        "undefined"
    } else if v.is_string() {
        "a string"
    } else if is_array(v) {
        "an array"
    } else if v.is_function() {
        "a function"
    } else if v.is_object() {
        "an object"
    } else if v.as_f64().is_some() {
        "a number"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else {
        "a value of another type"
    }
}

/// Reads an optional member: absent (`undefined`/`null`) gives `None`; a throwing getter is an error
/// naming the member.
fn opt_member(
    obj: &JsValue,
    key: &str,
    name: &'static str,
    path: &str,
) -> Result<Option<JsValue>, ApiError> {
    let v = get(obj, key).map_err(|_| {
        arg_err(
            name,
            path,
            format!("{path} could not be read (its getter threw)"),
        )
    })?;
    Ok(if v.is_undefined() || v.is_null() {
        None
    } else {
        Some(v)
    })
}

/// Reads an optional string member; absent (`undefined`/`null`) gives `None`.
fn opt_string(
    obj: &JsValue,
    key: &str,
    name: &'static str,
    path: &str,
) -> Result<Option<String>, ApiError> {
    let Some(v) = opt_member(obj, key, name, path)? else {
        return Ok(None);
    };
    match v.as_string() {
        Some(s) => Ok(Some(s)),
        None => Err(arg_err(
            name,
            path,
            format!("{path} must be a string; got {}", describe(&v)),
        )),
    }
}

fn req_string(
    obj: &JsValue,
    key: &str,
    name: &'static str,
    path: &str,
) -> Result<String, ApiError> {
    match opt_string(obj, key, name, path)? {
        Some(s) if !s.is_empty() => Ok(s),
        Some(_) => Err(arg_err(name, path, format!("{path} must not be empty"))),
        None => Err(arg_err(name, path, format!("{path} is required"))),
    }
}

fn opt_bool(
    obj: &JsValue,
    key: &str,
    name: &'static str,
    path: &str,
    default: bool,
) -> Result<bool, ApiError> {
    let Some(v) = opt_member(obj, key, name, path)? else {
        return Ok(default);
    };
    v.as_bool().ok_or_else(|| {
        arg_err(
            name,
            path,
            format!("{path} must be a boolean; got {}", describe(&v)),
        )
    })
}

/// `{ strict = true } = {}` for the validation functions; a broken options object means the default.
fn strict_option(options: &JsValue) -> Options {
    let strict = get(options, "strict")
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    Options { strict }
}

/// Turns any JS value into JSON text (UTF-8) the core can validate, or one issue explaining why not.
fn input_json(input: &JsValue) -> Result<Vec<u8>, Vec<Issue>> {
    if input.is_undefined() {
        return Err(vec![Issue {
            path: String::new(),
            code: "type",
            message: "the input must be an object; got undefined".to_string(),
        }]);
    }
    match cce_json(input) {
        // TextEncoder's output is always UTF-8; JSON.stringify's text has no lone surrogates.
        Ok(units) if units >= 0.0 && units <= f64::from(u32::MAX / 3) => {
            let cap = units as usize * 3;
            let mut buf = vec![0u8; cap];
            let written = cce_json_take(&wasm_bindgen::memory(), buf.as_ptr() as u32, cap as u32);
            buf.truncate(written as usize);
            Ok(buf)
        }
        Ok(_) => Err(vec![Issue {
            path: String::new(),
            code: "type",
            message: format!("the input must be an object; got {}", describe(input)),
        }]),
        Err(e) => {
            let why = get(&e, "message")
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            let mut why: String = why.chars().take(120).collect();
            if why.is_empty() {
                why.push_str("JSON.stringify threw");
            }
            Err(vec![Issue {
                path: String::new(),
                code: "json",
                message: format!("the input could not be read as JSON data ({why})"),
            }])
        }
    }
}

fn parse_input(
    input: &JsValue,
    opts: &Options,
) -> Result<crate::model::SendChatIntegrationEventInput, Vec<Issue>> {
    let json = input_json(input)?;
    validate::parse_input_json_bytes(&json, opts)
}

// ---------------------------------------------------------------------------------------------
// validate / serialize

/// `validateChatIntegrationEvent(input, { strict = true } = {})` → `{ valid, issues }`; never throws.
#[wasm_bindgen(js_name = validateChatIntegrationEvent)]
pub fn validate_chat_integration_event(input: JsValue, options: JsValue) -> JsValue {
    let opts = strict_option(&options);
    let issues = match parse_input(&input, &opts) {
        Ok(_) => Vec::new(),
        Err(issues) => issues,
    };
    let out = Object::new();
    set(&out, "valid", &JsValue::from_bool(issues.is_empty()));
    set(&out, "issues", &issues_to_js(&issues));
    out.into()
}

/// `serializeChatIntegrationEvent(input, { strict = true } = {})` → the JSON body; throws
/// `ChatEventValidationError` (with `.issues`) on invalid input.
#[wasm_bindgen(js_name = serializeChatIntegrationEvent)]
pub fn serialize_chat_integration_event(
    input: JsValue,
    options: JsValue,
) -> Result<String, JsValue> {
    let opts = strict_option(&options);
    match parse_input(&input, &opts) {
        Ok(parsed) => Ok(parsed.to_json()),
        Err(issues) => Err(ApiError::Validation(issues).into()),
    }
}

// ---------------------------------------------------------------------------------------------
// signRequest

fn read_credentials(v: &JsValue, name: &'static str, path: &str) -> Result<Credentials, ApiError> {
    if !v.is_object() {
        return Err(arg_err(name, path, format!("{path} must be an object {{ accessKeyId, secretAccessKey, sessionToken? }}; got {}", describe(v))));
    }
    let akid = req_string(v, "accessKeyId", name, &format!("{path}.accessKeyId"))?;
    let secret = req_string(
        v,
        "secretAccessKey",
        name,
        &format!("{path}.secretAccessKey"),
    )?;
    let token = opt_string(v, "sessionToken", name, &format!("{path}.sessionToken"))?
        .filter(|t| !t.is_empty());
    Ok(Credentials {
        access_key_id: akid,
        secret_access_key: secret,
        session_token: token,
    })
}

fn header_value(v: &JsValue, name: &'static str, path: &str) -> Result<String, ApiError> {
    if let Some(s) = v.as_string() {
        Ok(s)
    } else if let Some(n) = v.as_f64() {
        Ok(js_num(n))
    } else {
        Err(arg_err(
            name,
            path,
            format!("{path} must be a string; got {}", describe(v)),
        ))
    }
}

/// Reads headers given as an array of `[name, value]` pairs, a `Headers`/`Map`, or a plain object.
fn read_headers(v: &JsValue) -> Result<Vec<(String, String)>, ApiError> {
    const N: &str = "SigningError";
    let unreadable = |path: &str| {
        arg_err(
            N,
            path,
            format!("{path} could not be read (a getter or Proxy trap threw)"),
        )
    };
    let mut out = Vec::new();
    if v.is_undefined() || v.is_null() {
        return Ok(out);
    }
    // One [name, value] pair, from an array of pairs or an iterable's item.
    let read_pair =
        |pair: &JsValue, path: &str, out: &mut Vec<(String, String)>| -> Result<(), ApiError> {
            let items = if is_array(pair) {
                array_items(pair).ok_or_else(|| unreadable(path))?
            } else {
                Vec::new()
            };
            if items.len() != 2 {
                return Err(arg_err(
                    N,
                    path,
                    format!(
                        "{path} must be a [name, value] pair; got {}",
                        describe(pair)
                    ),
                ));
            }
            let name = items[0].as_string().ok_or_else(|| {
                arg_err(
                    N,
                    path,
                    format!("{path}[0] (the header name) must be a string"),
                )
            })?;
            out.push((name, header_value(&items[1], N, &format!("{path}[1]"))?));
            Ok(())
        };
    if is_array(v) {
        let pairs = array_items(v).ok_or_else(|| unreadable("request.headers"))?;
        for (i, pair) in pairs.iter().enumerate() {
            read_pair(pair, &format!("request.headers[{i}]"), &mut out)?;
        }
        return Ok(out);
    }
    if !v.is_object() {
        return Err(arg_err(N, "request.headers", format!("request.headers must be an object, a Headers or an array of [name, value] pairs; got {}", describe(v))));
    }
    // Headers and Map are iterable and yield [name, value]; plain objects are not.
    let is_iterable = get(v, "entries").map(|f| f.is_function()).unwrap_or(false)
        && prototype_of_checked(v).is_ok_and(|p| {
            !p.is_null() && p != JsValue::from(Object::get_prototype_of(&Object::new()))
        });
    if is_iterable {
        if let Ok(Some(iter)) = js_sys::try_iter(v) {
            for (i, item) in iter.enumerate() {
                let item = item.map_err(|_| unreadable("request.headers"))?;
                read_pair(&item, &format!("request.headers[{i}]"), &mut out)?;
            }
            return Ok(out);
        }
    }
    // A plain object; Object.entries gives real arrays, and values may be arrays (repeated headers,
    // as Node's http module represents them).
    let entries = entries_checked(v).map_err(|_| unreadable("request.headers"))?;
    for entry in entries.iter() {
        let pair: Array = entry.unchecked_into();
        let name = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let path = format!("request.headers.{name}");
        if is_array(&value) {
            for item in array_items(&value).ok_or_else(|| unreadable(&path))? {
                out.push((name.clone(), header_value(&item, N, &path)?));
            }
        } else if !value.is_undefined() {
            out.push((name, header_value(&value, N, &path)?));
        }
    }
    Ok(out)
}

fn read_body(v: &JsValue) -> Result<Vec<u8>, ApiError> {
    if v.is_undefined() || v.is_null() {
        Ok(Vec::new())
    } else if let Some(s) = v.as_string() {
        Ok(s.into_bytes())
    } else if let Some(bytes) = Some(cce_bytes(v)).filter(|b| !b.is_undefined()) {
        Ok(bytes.unchecked_ref::<Uint8Array>().to_vec())
    } else {
        Err(arg_err(
            "SigningError",
            "request.body",
            format!(
                "request.body must be a string or a Uint8Array; got {}",
                describe(v)
            ),
        ))
    }
}

/// Reads `signingDate` (a `Date`, an ISO 8601 string or epoch milliseconds) as unix seconds.
fn read_time(v: &JsValue) -> Result<i64, ApiError> {
    if v.is_undefined() || v.is_null() {
        return Ok(now_seconds());
    }
    if let Some(s) = v.as_string() {
        return sigv4::parse_signing_date(&s).map_err(ApiError::Signing);
    }
    let ms = if let Some(ms) = cce_date_ms(v) {
        ms
    } else if let Some(n) = v.as_f64() {
        n
    } else {
        return Err(arg_err(
            "SigningError",
            "options.signingDate",
            format!(
                "options.signingDate must be a Date or an ISO 8601 string; got {}",
                describe(v)
            ),
        ));
    };
    if !ms.is_finite() || ms.abs() > 8.64e15 {
        return Err(arg_err(
            "SigningError",
            "options.signingDate",
            "options.signingDate is not a valid date".to_string(),
        ));
    }
    Ok((ms / 1000.0).floor() as i64)
}

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

fn headers_to_object(headers: &[(String, String)]) -> Object {
    // A plain object holds one value per name: repeated names are joined with "," as in canonical form.
    let mut merged: Vec<(&str, String)> = Vec::with_capacity(headers.len());
    for (k, v) in headers {
        match merged.iter_mut().find(|(name, _)| *name == k.as_str()) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(v);
            }
            None => merged.push((k.as_str(), v.clone())),
        }
    }
    let o = Object::new();
    for (k, v) in merged {
        if k == "__proto__" {
            // Define it as an own data property instead of replacing the prototype.
            let desc = Object::new();
            set(&desc, "value", &JsValue::from_str(&v));
            set(&desc, "enumerable", &JsValue::TRUE);
            set(&desc, "writable", &JsValue::TRUE);
            set(&desc, "configurable", &JsValue::TRUE);
            Object::define_property(&o, &JsValue::from_str(k), &desc);
        } else {
            set(&o, k, &JsValue::from_str(&v));
        }
    }
    o
}

fn sign_request_impl(request: &JsValue, options: &JsValue) -> Result<JsValue, ApiError> {
    const N: &str = "SigningError";
    if !request.is_object() {
        return Err(arg_err(
            N,
            "request",
            format!(
                "request must be an object {{ method, url, headers?, body? }}; got {}",
                describe(request)
            ),
        ));
    }
    if !options.is_object() {
        return Err(arg_err(
            N,
            "options",
            format!(
                "options must be an object {{ region, service, credentials }}; got {}",
                describe(options)
            ),
        ));
    }
    let method =
        opt_string(request, "method", N, "request.method")?.unwrap_or_else(|| "GET".to_string());
    let url = req_string(request, "url", N, "request.url")?;
    let headers = read_headers(&get(request, "headers").map_err(|_| {
        arg_err(
            N,
            "request.headers",
            "request.headers could not be read".to_string(),
        )
    })?)?;
    let body = read_body(&get(request, "body").map_err(|_| {
        arg_err(
            N,
            "request.body",
            "request.body could not be read".to_string(),
        )
    })?)?;
    let region = req_string(options, "region", N, "options.region")?;
    let service = req_string(options, "service", N, "options.service")?;
    let creds_v = get(options, "credentials").map_err(|_| {
        arg_err(
            N,
            "options.credentials",
            "options.credentials could not be read".to_string(),
        )
    })?;
    let creds = read_credentials(&creds_v, N, "options.credentials")?;
    let time = read_time(&get(options, "signingDate").unwrap_or(JsValue::UNDEFINED))?;
    let params = SigningParams {
        region: &region,
        service: &service,
        time,
        apply_checksum: opt_bool(options, "applyChecksum", N, "options.applyChecksum", true)?,
        uri_escape_path: opt_bool(options, "uriEscapePath", N, "options.uriEscapePath", true)?,
        normalize_path: opt_bool(options, "normalizePath", N, "options.normalizePath", true)?,
    };
    let req = sigv4::Request {
        method: &method,
        url: &url,
        headers: &headers,
        body: &body,
    };
    let signed = SIGN_CACHE
        .with(|c| {
            c.try_borrow_mut()
                .map(|mut cache| sigv4::sign(&req, &creds, &params, &mut cache))
        })
        .map_err(|_| arg_err(N, "signRequest", "signRequest was re-entered".to_string()))?
        .map_err(ApiError::Signing)?;
    let out = Object::new();
    set(&out, "method", &JsValue::from_str(&signed.method));
    set(&out, "url", &JsValue::from_str(&signed.url));
    set(&out, "headers", &headers_to_object(&signed.headers));
    set(
        &out,
        "canonicalRequest",
        // Debug output: the session token is redacted (it is in `headers`, which must carry it).
        &JsValue::from_str(&signed.canonical_request_redacted()),
    );
    set(
        &out,
        "stringToSign",
        &JsValue::from_str(&signed.string_to_sign),
    );
    set(&out, "signature", &JsValue::from_str(&signed.signature));
    Ok(out.into())
}

/// `signRequest(request, options)` → `{ method, url, headers, canonicalRequest, stringToSign, signature }`.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(request: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    sign_request_impl(&request, &options).map_err(JsValue::from)
}

// ---------------------------------------------------------------------------------------------
// resolveEndpoint

struct EndpointInput {
    region: Option<String>,
    use_fips: bool,
    use_dualstack: bool,
    endpoint: Option<String>,
}

fn read_endpoint_input(config: &JsValue, name: &'static str) -> Result<EndpointInput, ApiError> {
    if !config.is_object() {
        return Err(arg_err(
            name,
            "config",
            format!(
                "the configuration must be an object {{ region, ... }}; got {}",
                describe(config)
            ),
        ));
    }
    let endpoint_v = get(config, "endpoint")
        .map_err(|_| arg_err(name, "endpoint", "endpoint could not be read".to_string()))?;
    let endpoint = if endpoint_v.is_undefined() || endpoint_v.is_null() {
        None
    } else if let Some(s) = endpoint_v.as_string() {
        Some(s)
    } else if let Some(href) = get(&endpoint_v, "href").ok().and_then(|h| h.as_string()) {
        Some(href) // a WHATWG URL object
    } else {
        return Err(arg_err(
            name,
            "endpoint",
            format!(
                "endpoint must be a URL string; got {}",
                describe(&endpoint_v)
            ),
        ));
    };
    Ok(EndpointInput {
        region: opt_string(config, "region", name, "region")?,
        use_fips: opt_bool(config, "useFipsEndpoint", name, "useFipsEndpoint", false)?,
        use_dualstack: opt_bool(
            config,
            "useDualstackEndpoint",
            name,
            "useDualstackEndpoint",
            false,
        )?,
        endpoint,
    })
}

fn resolve(input: &EndpointInput) -> Result<endpoint::ResolvedEndpoint, ApiError> {
    endpoint::resolve(&EndpointConfig {
        region: input.region.as_deref(),
        use_fips: input.use_fips,
        use_dualstack: input.use_dualstack,
        endpoint: input.endpoint.as_deref(),
    })
    .map_err(ApiError::Endpoint)
}

/// `resolveEndpoint({ region, useFipsEndpoint?, useDualstackEndpoint?, endpoint? })` → URL string.
#[wasm_bindgen(js_name = resolveEndpoint)]
pub fn resolve_endpoint(config: JsValue) -> Result<String, JsValue> {
    let input = read_endpoint_input(&config, "EndpointError")?;
    Ok(resolve(&input)?.url)
}

// ---------------------------------------------------------------------------------------------
// ConnectChatClient
//
// The retry loop's decisions (policy, quota, back-off, limiter, clock skew, credential refresh)
// are pure functions in `retry` and `client`; this part only sleeps, fetches, reads the clock
// and the random source, calls the user's hooks and converts values.

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    /// `AbortController`, for per-attempt timeouts combined with the caller's signal.
    #[derive(Clone)]
    type AbortController;
    #[wasm_bindgen(catch, constructor)]
    fn new() -> Result<AbortController, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortController) -> JsValue;
    #[wasm_bindgen(method)]
    fn abort(this: &AbortController, reason: &JsValue);
}

enum CredentialSource {
    Static(Credentials),
    Provider(Function),
}

/// Credentials from a provider, kept until 5 minutes before `expiration`.
struct CachedCredentials {
    credentials: Credentials,
    expiration_ms: Option<f64>,
}

struct Inner {
    region: String,
    endpoint: String,
    credentials: CredentialSource,
    fetch: Option<Function>,
    cache: RefCell<SigningKeyCache>,
    policy: RetryPolicy,
    should_retry: Option<Function>,
    request_timeout_ms: Option<f64>,
    logger: Option<JsValue>,
    /// Shared by all calls of the client, like the SDK's retry strategy.
    quota: RefCell<RetryQuota>,
    /// Adaptive mode's send rate, shared by all calls of the client.
    limiter: RefCell<RateLimiter>,
    /// Milliseconds to add to the local clock when signing (server minus local).
    clock_offset_ms: Cell<f64>,
    cached_credentials: RefCell<Option<CachedCredentials>>,
    /// The provider call in flight, which concurrent sends share.
    refreshing: RefCell<Option<Promise>>,
}

/// A client for SendChatIntegrationEvent; holds configuration, a signing-key cache, the retry
/// quota, the adaptive rate limiter, the clock offset and cached credentials.
#[wasm_bindgen]
pub struct ConnectChatClient {
    inner: Rc<Inner>,
}

/// Reads an optional number member; absent (`undefined`/`null`) gives `None`.
fn opt_number(
    obj: &JsValue,
    key: &str,
    name: &'static str,
    path: &str,
) -> Result<Option<f64>, ApiError> {
    let Some(v) = opt_member(obj, key, name, path)? else {
        return Ok(None);
    };
    match v.as_f64() {
        Some(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(arg_err(
            name,
            path,
            format!("{path} must be a finite number; got {}", describe(&v)),
        )),
    }
}

/// Reads an optional function member.
fn opt_function(
    obj: &JsValue,
    key: &str,
    name: &'static str,
    path: &str,
) -> Result<Option<Function>, ApiError> {
    let v = get(obj, key).map_err(|_| arg_err(name, path, format!("{path} could not be read")))?;
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else if v.is_function() {
        Ok(Some(v.unchecked_into()))
    } else {
        Err(arg_err(
            name,
            path,
            format!("{path} must be a function; got {}", describe(&v)),
        ))
    }
}

/// The retry options: `maxAttempts`, `retryMode`, `shouldRetry`, `requestTimeoutMs`, `logger`,
/// `systemClockOffset`.
struct RetryOptions {
    policy: RetryPolicy,
    should_retry: Option<Function>,
    request_timeout_ms: Option<f64>,
    logger: Option<JsValue>,
    clock_offset_ms: f64,
}

fn read_retry_options(config: &JsValue) -> Result<RetryOptions, ApiError> {
    const N: &str = "ConfigurationError";
    let max_attempts = match opt_number(config, "maxAttempts", N, "maxAttempts")? {
        None => retry::DEFAULT_MAX_ATTEMPTS,
        // The same rule as retry::parse_max_attempts, with the number written by JS.
        Some(n)
            if !(n.fract() == 0.0 && (1.0..=f64::from(retry::MAX_MAX_ATTEMPTS)).contains(&n)) =>
        {
            return Err(arg_err(
                N,
                "maxAttempts",
                format!(
                    "maxAttempts must be an integer from 1 to {}; got {}",
                    retry::MAX_MAX_ATTEMPTS,
                    js_num(n)
                ),
            ))
        }
        // Checked above: an integer in range.
        Some(n) => n as u32,
    };
    let mode = match opt_string(config, "retryMode", N, "retryMode")? {
        None => RetryMode::Standard,
        Some(s) => RetryMode::parse(&s).map_err(|e| arg_err(N, "retryMode", e.to_string()))?,
    };
    let request_timeout_ms = match opt_number(config, "requestTimeoutMs", N, "requestTimeoutMs")? {
        None => None,
        Some(ms) if ms > 0.0 && ms <= 2_147_483_647.0 => Some(ms),
        Some(_) => {
            return Err(arg_err(
                N,
                "requestTimeoutMs",
                "requestTimeoutMs must be a number of milliseconds from 1 to 2147483647"
                    .to_string(),
            ))
        }
    };
    let logger_v = get(config, "logger")
        .map_err(|_| arg_err(N, "logger", "logger could not be read".to_string()))?;
    let logger = if logger_v.is_undefined() || logger_v.is_null() {
        None
    } else if logger_v.is_object() {
        Some(logger_v)
    } else {
        return Err(arg_err(
            N,
            "logger",
            format!(
                "logger must be an object {{ debug, info, warn, error }}; got {}",
                describe(&logger_v)
            ),
        ));
    };
    Ok(RetryOptions {
        policy: RetryPolicy::new(mode, max_attempts),
        should_retry: opt_function(config, "shouldRetry", N, "shouldRetry")?,
        request_timeout_ms,
        logger,
        clock_offset_ms: opt_number(config, "systemClockOffset", N, "systemClockOffset")?
            .unwrap_or(0.0),
    })
}

#[wasm_bindgen]
impl ConnectChatClient {
    /// `new ConnectChatClient({ region, credentials, endpoint?, useFipsEndpoint?,
    /// useDualstackEndpoint?, fetch?, maxAttempts?, retryMode?, shouldRetry?, requestTimeoutMs?,
    /// logger?, systemClockOffset? })`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<ConnectChatClient, JsValue> {
        const N: &str = "ConfigurationError";
        let input = read_endpoint_input(&config, N)?;
        // A custom endpoint resolves without a region, but requests are always signed for one.
        req_string(&config, "region", N, "region")?;
        let resolved = resolve(&input)?;
        let creds_v = get(&config, "credentials").map_err(|_| {
            arg_err(
                N,
                "credentials",
                "credentials could not be read".to_string(),
            )
        })?;
        let credentials = if creds_v.is_function() {
            CredentialSource::Provider(creds_v.unchecked_into())
        } else if creds_v.is_undefined() || creds_v.is_null() {
            return Err(arg_err(N, "credentials", "credentials is required: an object { accessKeyId, secretAccessKey, sessionToken? } or an async function returning one".to_string()).into());
        } else {
            CredentialSource::Static(read_credentials(&creds_v, N, "credentials")?)
        };
        let fetch = opt_function(&config, "fetch", N, "fetch")?;
        let retry = read_retry_options(&config)?;
        Ok(ConnectChatClient {
            inner: Rc::new(Inner {
                region: resolved.signing_region,
                endpoint: resolved.url,
                credentials,
                fetch,
                cache: RefCell::new(SigningKeyCache::new()),
                policy: retry.policy,
                should_retry: retry.should_retry,
                request_timeout_ms: retry.request_timeout_ms,
                logger: retry.logger,
                quota: RefCell::new(RetryQuota::default()),
                limiter: RefCell::new(RateLimiter::new(js_sys::Date::now() / 1000.0)),
                clock_offset_ms: Cell::new(retry.clock_offset_ms),
                cached_credentials: RefCell::new(None),
                refreshing: RefCell::new(None),
            }),
        })
    }

    /// The signing region.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.inner.region.clone()
    }

    /// The resolved endpoint URL (without the operation path).
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.inner.endpoint.clone()
    }

    /// Milliseconds added to the local clock when signing; corrected from the service's `Date`
    /// header after a clock-skew error and kept for later calls.
    #[wasm_bindgen(getter = systemClockOffset)]
    pub fn system_clock_offset(&self) -> f64 {
        self.inner.clock_offset_ms.get()
    }

    /// Attempts per call, including the first.
    #[wasm_bindgen(getter = maxAttempts)]
    pub fn max_attempts(&self) -> u32 {
        self.inner.policy.max_attempts
    }

    /// `'standard'`, `'adaptive'` or `'off'`.
    #[wasm_bindgen(getter = retryMode)]
    pub fn retry_mode(&self) -> String {
        self.inner.policy.mode.as_str().to_string()
    }

    /// A redacted view for `JSON.stringify(client)`: never credentials.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let o = Object::new();
        set(&o, "region", &JsValue::from_str(&self.inner.region));
        set(&o, "endpoint", &JsValue::from_str(&self.inner.endpoint));
        let kind = match self.inner.credentials {
            CredentialSource::Static(_) => "[static credentials, redacted]",
            CredentialSource::Provider(_) => "[credentials provider]",
        };
        set(&o, "credentials", &JsValue::from_str(kind));
        set(
            &o,
            "retryMode",
            &JsValue::from_str(self.inner.policy.mode.as_str()),
        );
        set(
            &o,
            "maxAttempts",
            &JsValue::from_f64(f64::from(self.inner.policy.max_attempts)),
        );
        o.into()
    }

    /// `await client.sendChatIntegrationEvent(input, { abortSignal }?)`.
    #[wasm_bindgen(js_name = sendChatIntegrationEvent)]
    pub fn send_chat_integration_event(&self, input: JsValue, options: JsValue) -> Promise {
        // Read the input now, so later mutation by the caller cannot change what is sent.
        let parsed = parse_input(&input, &Options::default());
        let signal = get(&options, "abortSignal").unwrap_or(JsValue::UNDEFINED);
        let inner = Rc::clone(&self.inner);
        wasm_bindgen_futures::future_to_promise(async move {
            let parsed = parsed.map_err(|issues| JsValue::from(ApiError::Validation(issues)))?;
            send(&inner, parsed.to_json(), &signal).await
        })
    }

    /// `await client.sendChatIntegrationEvents(inputs, { concurrency = 10, abortSignal }?)` →
    /// one `{ status: 'fulfilled', value } | { status: 'rejected', reason }` per input, in input
    /// order (like `Promise.allSettled`); at most `concurrency` sends are in flight at once.
    #[wasm_bindgen(js_name = sendChatIntegrationEvents)]
    pub fn send_chat_integration_events(&self, inputs: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let prepared = read_batch(&inputs, &options);
        wasm_bindgen_futures::future_to_promise(async move {
            let (items, concurrency, signal) = prepared?;
            let results = Array::new_with_length(items.len() as u32);
            let workers = Array::new();
            let jobs = Rc::new(RefCell::new(items.into_iter().enumerate()));
            let count = concurrency.min(jobs.borrow().len()).max(1);
            for _ in 0..count {
                let (inner, jobs, results, signal) = (
                    Rc::clone(&inner),
                    Rc::clone(&jobs),
                    results.clone(),
                    signal.clone(),
                );
                workers.push(&wasm_bindgen_futures::future_to_promise(async move {
                    loop {
                        let next = jobs.try_borrow_mut().ok().and_then(|mut j| j.next());
                        let Some((i, item)) = next else { break };
                        let outcome = match item {
                            Err(issues) => Err(JsValue::from(ApiError::Validation(issues))),
                            Ok(input) => send(&inner, input.to_json(), &signal).await,
                        };
                        let settled = Object::new();
                        match outcome {
                            Ok(v) => {
                                set(&settled, "status", &JsValue::from_str("fulfilled"));
                                set(&settled, "value", &v);
                            }
                            Err(e) => {
                                set(&settled, "status", &JsValue::from_str("rejected"));
                                set(&settled, "reason", &e);
                            }
                        }
                        results.set(i as u32, settled.into());
                    }
                    Ok(JsValue::UNDEFINED)
                }));
            }
            JsFuture::from(Promise::all(&workers)).await?;
            Ok(results.into())
        })
    }
}

type BatchItem = Result<crate::model::SendChatIntegrationEventInput, Vec<Issue>>;

/// Reads a batch's inputs (an array or any iterable, each parsed now) and options.
fn read_batch(
    inputs: &JsValue,
    options: &JsValue,
) -> Result<(Vec<BatchItem>, usize, JsValue), JsValue> {
    let iterable = js_sys::try_iter(inputs).ok().flatten().is_some() && !inputs.is_string();
    if !iterable {
        return Err(js_sys::TypeError::new(&format!(
            "sendChatIntegrationEvents expects an array of inputs; got {}",
            describe(inputs)
        ))
        .into());
    }
    let items: Vec<BatchItem> = Array::from(inputs)
        .iter()
        .map(|v| parse_input(&v, &Options::default()))
        .collect();
    let concurrency = match get(options, "concurrency")
        .unwrap_or(JsValue::UNDEFINED)
        .as_f64()
    {
        None => 10,
        Some(n) if n.fract() == 0.0 && (1.0..=1000.0).contains(&n) => n as usize,
        Some(_) => {
            return Err(
                js_sys::RangeError::new("concurrency must be an integer from 1 to 1000").into(),
            )
        }
    };
    let signal = get(options, "abortSignal").unwrap_or(JsValue::UNDEFINED);
    Ok((items, concurrency, signal))
}

/// Reads `expiration` (a `Date`, epoch milliseconds or a date string) as unix milliseconds.
fn read_expiration(v: &JsValue) -> Option<f64> {
    let e = get(v, "expiration").ok()?;
    if e.is_undefined() || e.is_null() {
        None
    } else if let Some(ms) = cce_date_ms(&e) {
        Some(ms)
    } else if let Some(n) = e.as_f64() {
        Some(n)
    } else if let Some(s) = e.as_string() {
        Some(js_sys::Date::parse(&s))
    } else {
        Some(f64::NAN) // unreadable: never trusted, so refreshed on every call
    }
}

/// Static credentials, or the provider's, cached until 5 minutes before they expire; concurrent
/// calls that need a refresh share one provider call.
async fn credentials(inner: &Inner) -> Result<Credentials, JsValue> {
    let f = match &inner.credentials {
        CredentialSource::Static(c) => return Ok(c.clone()),
        CredentialSource::Provider(f) => f,
    };
    if let Ok(cached) = inner.cached_credentials.try_borrow() {
        if let Some(c) = cached.as_ref() {
            if !client::credentials_need_refresh(c.expiration_ms, js_sys::Date::now()) {
                return Ok(c.credentials.clone());
            }
        }
    }
    let in_flight = inner
        .refreshing
        .try_borrow()
        .ok()
        .and_then(|slot| slot.clone());
    let promise = match in_flight {
        Some(p) => p,
        None => {
            let ret = f
                .call0(&JsValue::UNDEFINED)
                .map_err(|e| provider_error(&e))?;
            let p = Promise::resolve(&ret);
            if let Ok(mut slot) = inner.refreshing.try_borrow_mut() {
                *slot = Some(p.clone());
            }
            p
        }
    };
    let result = JsFuture::from(promise.clone()).await;
    if let Ok(mut slot) = inner.refreshing.try_borrow_mut() {
        if slot.as_ref().is_some_and(|p| Object::is(p, &promise)) {
            *slot = None;
        }
    }
    let value = result.map_err(|e| provider_error(&e))?;
    let creds = read_credentials(&value, "CredentialsProviderError", "credentials()")
        .map_err(JsValue::from)?;
    if let Ok(mut cached) = inner.cached_credentials.try_borrow_mut() {
        *cached = Some(CachedCredentials {
            credentials: creds.clone(),
            expiration_ms: read_expiration(&value),
        });
    }
    Ok(creds)
}

fn provider_error(cause: &JsValue) -> JsValue {
    // A provider's own CredentialsProviderError (such as the Node default chain's) is clear already.
    if get(cause, "name")
        .ok()
        .and_then(|n| n.as_string())
        .as_deref()
        == Some("CredentialsProviderError")
    {
        let _ = Reflect::set(
            cause,
            &JsValue::from_str("$fault"),
            &JsValue::from_str("client"),
        );
        return cause.clone();
    }
    let why = get(cause, "message")
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "it threw".to_string());
    let err = new_error(
        "CredentialsProviderError",
        &format!("the credentials provider failed: {why}"),
    );
    set(&err, "cause", cause);
    set(&err, "$fault", &JsValue::from_str("client"));
    err.into()
}

// --- logging, sleeping, aborting

/// Calls `logger[level](message, fields)` if there is such a method; a throwing logger is ignored.
/// Messages and fields carry attempt numbers, status, error codes and request ids: never
/// credentials, signatures or bodies.
fn log(inner: &Inner, level: &str, message: &str, fields: &Object) {
    let Some(logger) = &inner.logger else {
        return;
    };
    if let Ok(f) = get(logger, level) {
        if f.is_function() {
            let f: Function = f.unchecked_into();
            let _ = f.call2(
                logger,
                &JsValue::from_str(&format!("connect-chat-events: {message}")),
                fields,
            );
        }
    }
}

fn fields(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o
}

fn num(n: impl Into<f64>) -> JsValue {
    JsValue::from_f64(n.into())
}

fn is_aborted(signal: &JsValue) -> bool {
    get(signal, "aborted")
        .ok()
        .and_then(|a| a.as_bool())
        .unwrap_or(false)
}

/// An `Error` named `AbortError`, with the signal's reason as `cause`.
fn abort_error(signal: &JsValue) -> JsValue {
    let err = new_error("AbortError", "The operation was aborted");
    if let Ok(reason) = get(signal, "reason") {
        if !reason.is_undefined() {
            set(&err, "cause", &reason);
        }
    }
    set(&err, "$fault", &JsValue::from_str("client"));
    err.into()
}

fn listen_abort(signal: &JsValue, method: &str, f: &Function) -> bool {
    if !signal.is_object() {
        return false;
    }
    match get(signal, method) {
        Ok(m) if m.is_function() => m
            .unchecked_into::<Function>()
            .call2(signal, &JsValue::from_str("abort"), f)
            .is_ok(),
        _ => false,
    }
}

/// Sleeps `ms` milliseconds with `setTimeout`; an abort of `signal` ends it at once with an
/// `AbortError`.
async fn sleep(ms: f64, signal: &JsValue) -> Result<(), JsValue> {
    if is_aborted(signal) {
        return Err(abort_error(signal));
    }
    let mut slots: (Option<Function>, Option<Function>) = (None, None);
    let promise = Promise::new(&mut |resolve, reject| slots = (Some(resolve), Some(reject)));
    let (Some(resolve), Some(reject)) = slots else {
        return Ok(());
    };
    let on_time = Closure::<dyn FnMut()>::new(move || {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let timer = set_timeout(on_time.as_ref().unchecked_ref(), ms.max(0.0));
    let sig = signal.clone();
    let on_abort = Closure::<dyn FnMut()>::new(move || {
        let _ = reject.call1(&JsValue::UNDEFINED, &abort_error(&sig));
    });
    let listening = listen_abort(
        signal,
        "addEventListener",
        on_abort.as_ref().unchecked_ref(),
    );
    let result = JsFuture::from(promise).await;
    clear_timeout(&timer);
    if listening {
        listen_abort(
            signal,
            "removeEventListener",
            on_abort.as_ref().unchecked_ref(),
        );
    }
    drop((on_time, on_abort));
    result.map(|_| ())
}

// --- one HTTP attempt

struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    text: String,
}

enum AttemptError {
    /// The caller's signal aborted.
    Aborted,
    /// `requestTimeoutMs` elapsed.
    Timeout,
    /// fetch or the body read failed (refused, reset, dropped connection).
    Connection(JsValue),
}

/// fetch, then the whole body.
async fn fetch_and_read(
    inner: &Inner,
    prepared: &client::PreparedRequest,
    init: &Object,
) -> Result<RawResponse, JsValue> {
    let f = inner
        .fetch
        .as_ref()
        .map_or(JsValue::UNDEFINED, |f| f.into());
    let out: Array = JsFuture::from(cce_fetch(&f, &prepared.url, init)?)
        .await?
        .unchecked_into();
    let status = out.get(0).as_f64().unwrap_or(0.0);
    let status = if (0.0..=999.0).contains(&status) {
        status as u16
    } else {
        0
    };
    let text = out.get(1).as_string().unwrap_or_default();
    let n = out.length();
    let mut headers = Vec::with_capacity((n.saturating_sub(2) / 2) as usize);
    let mut i = 2;
    while i + 1 < n {
        if let (Some(k), Some(v)) = (out.get(i).as_string(), out.get(i + 1).as_string()) {
            headers.push((k.to_ascii_lowercase(), v));
        }
        i += 2;
    }
    Ok(RawResponse {
        status,
        headers,
        text,
    })
}

/// One attempt: fetch with a signal that the caller's abort and the per-attempt timeout both
/// trigger; both also cut the body read short.
async fn attempt_once(
    inner: &Inner,
    prepared: &client::PreparedRequest,
    body_js: &JsValue,
    signal: &JsValue,
) -> Result<RawResponse, AttemptError> {
    if is_aborted(signal) {
        return Err(AttemptError::Aborted);
    }
    // fetch sets host (and content-length) itself from the URL; everything else is what was signed.
    let mut hs = String::with_capacity(512);
    for (k, v) in &prepared.headers {
        if k != "host" {
            if !hs.is_empty() {
                hs.push('\n');
            }
            hs.push_str(k);
            hs.push('\n');
            hs.push_str(v);
        }
    }
    let init = cce_init(&prepared.method, &hs, body_js);
    let has_signal = signal.is_object();
    // 0: running, 1: timed out, 2: aborted by the caller.
    let why = Rc::new(Cell::new(0u8));
    let mut timer = None;
    let mut on_timeout = None;
    let mut on_abort = None;
    let controller = if has_signal || inner.request_timeout_ms.is_some() {
        AbortController::new().ok()
    } else {
        None
    };
    match &controller {
        Some(c) => {
            set(&init, "signal", &c.signal());
            if let Some(ms) = inner.request_timeout_ms {
                let (w, c2) = (Rc::clone(&why), c.clone());
                let cb = Closure::<dyn FnMut()>::new(move || {
                    if w.get() == 0 {
                        w.set(1);
                        c2.abort(&new_error("TimeoutError", "request timed out").into());
                    }
                });
                timer = Some(set_timeout(cb.as_ref().unchecked_ref(), ms));
                on_timeout = Some(cb);
            }
            if has_signal {
                let (w, c2) = (Rc::clone(&why), c.clone());
                let cb = Closure::<dyn FnMut()>::new(move || {
                    if w.get() == 0 {
                        w.set(2);
                        c2.abort(&JsValue::UNDEFINED);
                    }
                });
                if listen_abort(signal, "addEventListener", cb.as_ref().unchecked_ref()) {
                    on_abort = Some(cb);
                }
            }
        }
        None if has_signal => set(&init, "signal", signal),
        None => {}
    }
    let result = fetch_and_read(inner, prepared, &init).await;
    if let Some(t) = &timer {
        clear_timeout(t);
    }
    if let Some(cb) = &on_abort {
        listen_abort(signal, "removeEventListener", cb.as_ref().unchecked_ref());
    }
    drop((on_timeout, on_abort));
    result.map_err(|e| match why.get() {
        1 => AttemptError::Timeout,
        2 => AttemptError::Aborted,
        _ if is_aborted(signal) => AttemptError::Aborted,
        _ => AttemptError::Connection(e),
    })
}

// --- the retry loop

fn sync_meta(meta: &mut Meta, state: &CallState) {
    meta.attempts = state.attempts;
    meta.total_retry_delay = state.total_retry_delay_ms;
}

/// Waits for adaptive mode's send token (no-op until the first throttling response).
async fn wait_for_send_token(inner: &Inner, signal: &JsValue) -> Result<(), JsValue> {
    let mut waited = 0.0;
    // Bounded: each turn either sends or sleeps at least 1 ms.
    for _ in 0..100_000 {
        let wait = inner
            .limiter
            .try_borrow_mut()
            .ok()
            .and_then(|mut l| l.acquire(js_sys::Date::now() / 1000.0));
        let Some(seconds) = wait else { break };
        let ms = (seconds * 1000.0).ceil().clamp(1.0, 60_000.0);
        sleep(ms, signal).await?;
        waited += ms;
    }
    if waited > 0.0 {
        log(
            inner,
            "debug",
            &format!(
                "adaptive rate limiter delayed this send by {} ms",
                js_num(waited)
            ),
            &fields(&[("rateLimiterDelay", num(waited))]),
        );
    }
    Ok(())
}

/// Asks the `shouldRetry` hook; a hook that throws (or rejects) means "do not retry".
async fn ask_hook(inner: &Inner, hook: &Function, err: &JsValue, attempt: u32) -> bool {
    let answer = match hook.call2(&JsValue::UNDEFINED, err, &num(attempt)) {
        Ok(v) if cce_is_promise(&v) => JsFuture::from(Promise::resolve(&v)).await,
        other => other,
    };
    match answer {
        Ok(v) => v.is_truthy(),
        Err(e) => {
            let why = get(&e, "message")
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            log(
                inner,
                "warn",
                &format!("shouldRetry threw ({why}); not retrying"),
                &fields(&[("attempt", num(attempt))]),
            );
            false
        }
    }
}

/// The retry decision for a failed attempt, asking the hook only when a retry is possible.
async fn decide(
    inner: &Inner,
    state: &mut CallState,
    class: FailureClass,
    err: &JsValue,
    retry_after: Option<f64>,
) -> Decision {
    let verdict = match &inner.should_retry {
        Some(hook) if inner.policy.attempts_left(state.policy_attempts) => {
            Some(ask_hook(inner, hook, err, state.attempts).await)
        }
        _ => None,
    };
    match inner.quota.try_borrow_mut() {
        Ok(mut quota) => state.fail(
            &inner.policy,
            &mut quota,
            class,
            verdict,
            retry_after,
            js_sys::Math::random(),
        ),
        Err(_) => Decision::Stop(StopReason::QuotaExhausted),
    }
}

fn success_to_js(out: &crate::model::SendChatIntegrationEventOutput, meta: &Meta) -> JsValue {
    cce_out(
        &opt_js(&out.initial_contact_id),
        &out.new_chat_created
            .map_or(JsValue::UNDEFINED, JsValue::from_bool),
        &meta_to_js(meta),
    )
}

async fn send(inner: &Inner, body: String, signal: &JsValue) -> Result<JsValue, JsValue> {
    let policy = &inner.policy;
    let adaptive = policy.mode == RetryMode::Adaptive;
    let mut state = CallState::new();
    let mut meta = Meta::default();
    let mut skew_resend = false;
    // One JS string for every attempt's fetch (and the host hash, for large bodies).
    let body_js = JsValue::from_str(&body);
    let body_hash = host_body_hash(&body, &body_js);
    loop {
        sync_meta(&mut meta, &state);
        if is_aborted(signal) {
            return Err(with_metadata(abort_error(signal), &meta));
        }
        if adaptive {
            wait_for_send_token(inner, signal)
                .await
                .map_err(|e| with_metadata(e, &meta))?;
        }
        let creds = credentials(inner)
            .await
            .map_err(|e| with_metadata(e, &meta))?;
        let (attempt, max) = state.begin_attempt(policy, skew_resend);
        skew_resend = false;
        meta = Meta::default();
        sync_meta(&mut meta, &state);
        let extra = if policy.retries_enabled() {
            vec![(
                retry::REQUEST_HEADER.to_string(),
                retry::request_header_value(attempt, max),
            )]
        } else {
            Vec::new()
        };
        let signing_ms = js_sys::Date::now() + inner.clock_offset_ms.get();
        let prepared = {
            let mut cache = inner.cache.try_borrow_mut().map_err(|_| {
                JsValue::from(arg_err(
                    "SigningError",
                    "cache",
                    "signing cache busy".to_string(),
                ))
            })?;
            client::prepare_body_hashed(
                body.clone(),
                body_hash.clone(),
                &inner.endpoint,
                &inner.region,
                &creds,
                (signing_ms / 1000.0).floor() as i64,
                &extra,
                &mut cache,
            )
            .map_err(|e| JsValue::from(ApiError::Signing(e)))?
        };
        if inner.logger.is_some() {
            log(
                inner,
                "debug",
                &format!("attempt {attempt}/{max}: POST {}", prepared.url),
                &fields(&[("attempt", num(attempt)), ("maxAttempts", num(max))]),
            );
        }
        let outcome = attempt_once(inner, &prepared, &body_js, signal).await;
        let now_ms = js_sys::Date::now();
        let (err, class, retry_after) = match outcome {
            Err(AttemptError::Aborted) => {
                log(
                    inner,
                    "debug",
                    &format!("attempt {attempt}/{max} aborted by the caller"),
                    &fields(&[("attempt", num(attempt))]),
                );
                return Err(with_metadata(abort_error(signal), &meta));
            }
            Err(AttemptError::Timeout) => {
                let ms = inner.request_timeout_ms.unwrap_or(0.0);
                let e = new_error(
                    "TimeoutError",
                    &format!(
                        "attempt {attempt} did not complete within requestTimeoutMs ({} ms)",
                        js_num(ms)
                    ),
                );
                set(&e, "$fault", &JsValue::from_str("client"));
                (e.into(), classify(&Failure::Timeout), None)
            }
            Err(AttemptError::Connection(e)) => (e, classify(&Failure::Connection), None),
            Ok(resp) => {
                meta.status = Some(resp.status);
                meta.request_id = client::request_id(&resp.headers).map(str::to_string);
                meta.extended_request_id =
                    client::header(&resp.headers, "x-amz-id-2").map(str::to_string);
                meta.cf_id = client::header(&resp.headers, "x-amz-cf-id").map(str::to_string);
                let date = client::header(&resp.headers, "date");
                match client::parse_response(resp.status, &resp.headers, resp.text.as_bytes()) {
                    Ok(out) => {
                        if let Ok(mut q) = inner.quota.try_borrow_mut() {
                            state.succeed(&mut q);
                        }
                        if adaptive {
                            if let Ok(mut l) = inner.limiter.try_borrow_mut() {
                                l.update(now_ms / 1000.0, false);
                            }
                        }
                        // Keep the offset right for later calls (the SDKs do it on success too).
                        if let Some(server_s) = date.and_then(retry::parse_http_date) {
                            let offset = inner.clock_offset_ms.get();
                            if let Some(new) = retry::updated_clock_offset(
                                server_s as f64 * 1000.0,
                                now_ms,
                                offset,
                            ) {
                                inner.clock_offset_ms.set(new);
                            }
                        }
                        if inner.logger.is_some() {
                            log(
                                inner,
                                "debug",
                                &format!(
                                    "attempt {attempt}/{max} succeeded (HTTP {})",
                                    resp.status
                                ),
                                &fields(&[
                                    ("attempt", num(attempt)),
                                    ("httpStatusCode", num(resp.status)),
                                ]),
                            );
                        }
                        return Ok(success_to_js(&out, &meta));
                    }
                    Err(se) => {
                        if adaptive {
                            if let Ok(mut l) = inner.limiter.try_borrow_mut() {
                                l.update(now_ms / 1000.0, se.throttling);
                            }
                        }
                        let offset = inner.clock_offset_ms.get();
                        if let Some(new) = retry::clock_skew_correction(
                            &se,
                            date,
                            now_ms,
                            offset,
                            state.skew_corrected,
                        ) {
                            inner.clock_offset_ms.set(new);
                            state.skew_corrected = true;
                            skew_resend = true;
                            log(
                                inner,
                                "warn",
                                &format!(
                                    "attempt {attempt}/{max}: {} (clock skew); systemClockOffset is now {} ms, re-signing",
                                    se.code,
                                    js_num(new)
                                ),
                                &fields(&[
                                    ("attempt", num(attempt)),
                                    ("systemClockOffset", num(new)),
                                ]),
                            );
                            continue;
                        }
                        let err = service_error_to_js(&se, &meta);
                        if let Some(r) = get(&err, "$response").ok().filter(|r| r.is_object()) {
                            set(
                                r.unchecked_ref(),
                                "headers",
                                &headers_to_object(&resp.headers),
                            );
                        }
                        let hint = retry::retry_after_ms(&resp.headers, now_ms);
                        (err.into(), classify(&Failure::Service(&se)), hint)
                    }
                }
            }
        };
        if adaptive && meta.status.is_none() {
            // Service errors updated the limiter above; connection errors and timeouts count as
            // non-throttling outcomes, as in the SDK.
            if let Ok(mut l) = inner.limiter.try_borrow_mut() {
                l.update(now_ms / 1000.0, false);
            }
        }
        let err = with_metadata(err, &meta);
        let name = get(&err, "name")
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "Error".to_string());
        match decide(inner, &mut state, class, &err, retry_after).await {
            Decision::Retry { delay_ms, .. } => {
                log(
                    inner,
                    "info",
                    &format!(
                        "attempt {attempt}/{max} failed with {name} ({}); retrying in {} ms",
                        class.as_str(),
                        js_num(delay_ms)
                    ),
                    &fields(&[
                        ("attempt", num(attempt)),
                        ("error", JsValue::from_str(&name)),
                        ("delay", num(delay_ms)),
                    ]),
                );
                sleep(delay_ms, signal).await.map_err(|e| {
                    sync_meta(&mut meta, &state);
                    with_metadata(e, &meta)
                })?;
            }
            Decision::Stop(reason) => {
                sync_meta(&mut meta, &state);
                let err = with_metadata(err, &meta);
                let level = if reason == StopReason::QuotaExhausted {
                    "warn"
                } else {
                    "debug"
                };
                log(
                    inner,
                    level,
                    &format!(
                        "attempt {attempt}/{max} failed with {name}; not retrying ({})",
                        reason.as_str()
                    ),
                    &fields(&[
                        ("attempt", num(attempt)),
                        ("error", JsValue::from_str(&name)),
                        ("reason", JsValue::from_str(reason.as_str())),
                    ]),
                );
                return Err(err);
            }
        }
    }
}

/// Adds `$metadata` to a network or abort error from fetch, keeping its own name and message.
fn with_metadata(e: JsValue, meta: &Meta) -> JsValue {
    if e.is_object() {
        let _ = Reflect::set(&e, &JsValue::from_str("$metadata"), &meta_to_js(meta));
    }
    e
}
