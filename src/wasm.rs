//! The JavaScript API: a thin wasm-bindgen layer over the pure core.
//!
//! Everything here is conversion: JS values in, core calls, JS values (or one typed `Error`) out,
//! all synchronous. `ConnectChatClient` is written in JavaScript (`js/client.mjs`): it does the
//! I/O (`fetch`, timers, aborts, credential providers, hooks, logging) over [`ClientCore`], which
//! keeps every rule and all client state (endpoint, signing-key cache, retry policy, quota, rate
//! limiter, clock offset). Nothing in this module may panic on caller data: a panic inside wasm
//! poisons the module for the whole process.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::client;
use crate::endpoint::{self, EndpointConfig};
use crate::retry::{
    self, classify, CallState, Decision, Failure, FailureClass, RateLimiter, RetryMode,
    RetryPolicy, RetryQuota,
};
use crate::sigv4::{self, Credentials, SigningKeyCache, SigningParams};
use crate::text;
use crate::validate::{self, Issue, Options};

#[wasm_bindgen]
extern "C" {
    // A checked `Array.isArray`, which throws on a revoked Proxy: an uncaught JS exception would
    // unwind through wasm and leave state half-updated.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_checked(v: &JsValue) -> Result<bool, JsValue>;
}

/// `Array.isArray` that answers `false` instead of throwing (revoked Proxy).
fn is_array(v: &JsValue) -> bool {
    is_array_checked(v).unwrap_or(false)
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
"#)]
extern "C" {
    /// `JSON.stringify(v)`, kept in JS for [`cce_json_take`]; its length in UTF-16 units, or -1
    /// when it gives no text.
    #[wasm_bindgen(catch)]
    fn cce_json(v: &JsValue) -> Result<f64, JsValue>;
    /// Writes the kept JSON text as UTF-8 into wasm memory at `ptr` (room for `cap` bytes, at
    /// least 3 per UTF-16 unit) with one `TextEncoder.encodeInto`; the bytes written.
    fn cce_json_take(mem: &JsValue, ptr: u32, cap: u32) -> u32;
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

fn validation_message(issues: &[Issue]) -> String {
    let mut msg = String::from("Invalid SendChatIntegrationEvent input: ");
    for (i, issue) in issues.iter().take(3).enumerate() {
        if i > 0 {
            msg.push_str("; ");
        }
        msg.push_str(&issue.message);
    }
    if issues.len() > 3 {
        msg.push_str(" (and ");
        text::push_uint(&mut msg, (issues.len() - 3) as u64);
        msg.push_str(" more; see .issues)");
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
                let err = new_error("SigningError", &e.message());
                set(&err, "variant", &JsValue::from_str(e.variant()));
                set(&err, "$fault", &JsValue::from_str("client"));
                err.into()
            }
            ApiError::Endpoint(e) => {
                let err = new_error("EndpointError", &e.message());
                set(&err, "variant", &JsValue::from_str(e.variant()));
                set(&err, "$fault", &JsValue::from_str("client"));
                err.into()
            }
        }
    }
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
            message: text::concat(&["the input must be an object; got ", describe(input)]),
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
                message: text::concat(&["the input could not be read as JSON data (", &why, ")"]),
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

/// Internal: a `signingDate` string (ISO 8601 or `YYYYMMDDTHHMMSSZ`) as unix seconds; throws
/// `SigningError`. Used by `signRequest` (js/client.mjs).
#[wasm_bindgen(js_name = __cceSigningTime)]
pub fn signing_time(s: &str) -> Result<f64, JsValue> {
    sigv4::parse_signing_date(s)
        .map(|t| t as f64)
        .map_err(|e| ApiError::Signing(e).into())
}

/// Internal: `signRequest` over values js/client.mjs has read and checked. `headers` is
/// `[name, value, …]`; `time` unix seconds; `flags` bit 0 `applyChecksum`, bit 1
/// `uriEscapePath`, bit 2 `normalizePath`. Returns `[method, url, canonicalRequest (session
/// token redacted), stringToSign, signature, name, value, …]`; throws `SigningError`.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen(js_name = __cceSignRequest)]
pub fn sign_request_values(
    method: String,
    url: String,
    headers: Vec<JsValue>,
    body: &[u8],
    region: String,
    service: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    time: f64,
    flags: u32,
) -> Result<Vec<JsValue>, JsValue> {
    let headers: Vec<(String, String)> = headers
        .chunks_exact(2)
        .map(|p| {
            (
                p[0].as_string().unwrap_or_default(),
                p[1].as_string().unwrap_or_default(),
            )
        })
        .collect();
    let creds = Credentials {
        access_key_id,
        secret_access_key,
        session_token: session_token.filter(|t| !t.is_empty()),
    };
    let params = SigningParams {
        region: &region,
        service: &service,
        time: time as i64,
        apply_checksum: flags & 1 != 0,
        uri_escape_path: flags & 2 != 0,
        normalize_path: flags & 4 != 0,
    };
    let req = sigv4::Request {
        method: &method,
        url: &url,
        headers: &headers,
        body,
    };
    const N: &str = "SigningError";
    let signed = SIGN_CACHE
        .with(|c| {
            c.try_borrow_mut()
                .map(|mut cache| sigv4::sign(&req, &creds, &params, &mut cache))
        })
        .map_err(|_| arg_err(N, "signRequest", "signRequest was re-entered".to_string()))?
        .map_err(ApiError::Signing)?;
    let mut out = Vec::with_capacity(5 + 2 * signed.headers.len());
    out.push(JsValue::from_str(&signed.method));
    out.push(JsValue::from_str(&signed.url));
    // Debug output: the session token is redacted (it is in the headers, which must carry it).
    out.push(JsValue::from_str(&signed.canonical_request_redacted()));
    out.push(JsValue::from_str(&signed.string_to_sign));
    out.push(JsValue::from_str(&signed.signature));
    for (k, v) in &signed.headers {
        out.push(JsValue::from_str(k));
        out.push(JsValue::from_str(v));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// resolveEndpoint

struct EndpointInput {
    region: Option<String>,
    use_fips: bool,
    use_dualstack: bool,
    endpoint: Option<String>,
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

/// Internal: `resolveEndpoint` over values js/client.mjs has read and checked; throws
/// `EndpointError`.
#[wasm_bindgen(js_name = __cceResolveEndpoint)]
pub fn resolve_endpoint_values(
    region: Option<String>,
    endpoint: Option<String>,
    use_fips: bool,
    use_dualstack: bool,
) -> Result<String, JsValue> {
    Ok(resolve(&EndpointInput {
        region,
        use_fips,
        use_dualstack,
        endpoint,
    })?
    .url)
}

// ---------------------------------------------------------------------------------------------
// ClientCore: the synchronous half of `ConnectChatClient`.
//
// The JS client (js/client.mjs) reads the caller's configuration, calls `fetch`, sleeps, aborts,
// calls the credentials provider, the `shouldRetry` hook and the logger. Everything it decides
// comes from here: endpoint resolution, the retry options' rules, signing (with the client's
// signing-key cache), response parsing, the retry policy with the client's quota and rate limiter,
// and the clock offset. A call's own state (`CallState`) lives in a `Float64Array` the JS side
// keeps per call and passes to each method, so nothing here has to be freed per call.

/// Slots of the per-call state array (`new Float64Array(CALL_STATE_LEN)` on the JS side).
mod slot {
    /// `CallState::attempts` (`$metadata.attempts`); the current attempt after `sign`.
    pub(super) const ATTEMPTS: usize = 0;
    /// `CallState::policy_attempts`.
    pub(super) const POLICY_ATTEMPTS: usize = 1;
    /// `CallState::total_retry_delay_ms` (`$metadata.totalRetryDelay`).
    pub(super) const TOTAL_RETRY_DELAY: usize = 2;
    /// `CallState::skew_corrected` (0 or 1).
    pub(super) const SKEW_CORRECTED: usize = 3;
    /// `CallState::last_retry_cost` plus one (0: none).
    pub(super) const LAST_RETRY_COST: usize = 4;
    /// 1 when the next attempt is a clock-skew re-send.
    pub(super) const SKEW_RESEND: usize = 5;
    /// The `max` of the current attempt (`attempt N/max` in logs and `amz-sdk-request`).
    pub(super) const MAX: usize = 6;
    /// A failure waiting for the `shouldRetry` hook: its class (see `class_code`).
    pub(super) const PENDING_CLASS: usize = 7;
    /// ... and its retry-after hint in milliseconds (when `PENDING_HAS_HINT` is 1).
    pub(super) const PENDING_HINT: usize = 8;
    /// 1 when `PENDING_HINT` holds a hint.
    pub(super) const PENDING_HAS_HINT: usize = 9;
    /// Length of the array.
    pub(super) const LEN: usize = 10;
}

fn slot_get(st: &[f64], i: usize) -> f64 {
    st.get(i).copied().unwrap_or(0.0)
}

fn slot_set(st: &mut [f64], i: usize, v: f64) {
    if let Some(x) = st.get_mut(i) {
        *x = v;
    }
}

/// A non-negative integer slot (`as` saturates; NaN gives 0).
fn slot_u32(st: &[f64], i: usize) -> u32 {
    slot_get(st, i) as u32
}

fn load_state(st: &[f64]) -> CallState {
    let cost = slot_u32(st, slot::LAST_RETRY_COST);
    CallState {
        attempts: slot_u32(st, slot::ATTEMPTS),
        policy_attempts: slot_u32(st, slot::POLICY_ATTEMPTS),
        total_retry_delay_ms: slot_get(st, slot::TOTAL_RETRY_DELAY),
        skew_corrected: slot_get(st, slot::SKEW_CORRECTED) != 0.0,
        last_retry_cost: cost.checked_sub(1),
    }
}

fn store_state(st: &mut [f64], s: &CallState) {
    slot_set(st, slot::ATTEMPTS, f64::from(s.attempts));
    slot_set(st, slot::POLICY_ATTEMPTS, f64::from(s.policy_attempts));
    slot_set(st, slot::TOTAL_RETRY_DELAY, s.total_retry_delay_ms);
    slot_set(
        st,
        slot::SKEW_CORRECTED,
        f64::from(u8::from(s.skew_corrected)),
    );
    slot_set(
        st,
        slot::LAST_RETRY_COST,
        s.last_retry_cost.map_or(0.0, |c| f64::from(c) + 1.0),
    );
}

fn class_code(c: FailureClass) -> f64 {
    match c {
        FailureClass::Throttling => 0.0,
        FailureClass::Transient => 1.0,
        FailureClass::ServerError => 2.0,
        FailureClass::ClientError => 3.0,
    }
}

fn class_from_code(n: f64) -> FailureClass {
    match n as u32 {
        0 => FailureClass::Throttling,
        1 => FailureClass::Transient,
        2 => FailureClass::ServerError,
        _ => FailureClass::ClientError,
    }
}

/// A retry decision for JS: the back-off in milliseconds (a number) or the stop reason (a string).
fn decision_js(d: Decision) -> JsValue {
    match d {
        Decision::Retry { delay_ms, .. } => JsValue::from_f64(delay_ms),
        Decision::Stop(reason) => JsValue::from_str(reason.as_str()),
    }
}

fn opt_str_js(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::UNDEFINED, JsValue::from_str)
}

/// Response headers from `name\nvalue\n…` (names lower-cased; JS drops pairs holding a newline).
fn split_headers(flat: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if flat.is_empty() {
        return out;
    }
    let mut parts = flat.split('\n');
    while let (Some(k), Some(v)) = (parts.next(), parts.next()) {
        out.push((k.to_ascii_lowercase(), v.to_string()));
    }
    out
}

/// Internal: the synchronous core of `ConnectChatClient` (js/client.mjs). Not part of the public
/// API: the package's entry points do not export it, and `index.d.ts` does not declare it.
#[wasm_bindgen(js_name = __CceCore)]
pub struct ClientCore {
    region: String,
    endpoint: String,
    credentials: Option<Credentials>,
    cache: SigningKeyCache,
    policy: RetryPolicy,
    /// Shared by all calls of the client, like the SDK's retry strategy.
    quota: RetryQuota,
    /// Adaptive mode's send rate, shared by all calls of the client.
    limiter: RateLimiter,
    /// Milliseconds to add to the local clock when signing (server minus local).
    clock_offset_ms: f64,
    /// Whether the client has a `shouldRetry` hook (failures then wait for [`ClientCore::decide`]).
    has_hook: bool,
}

#[wasm_bindgen(js_class = __CceCore)]
impl ClientCore {
    /// Resolves the endpoint (throws `EndpointError`); the caller has read and type-checked the
    /// values (`region` present and non-empty).
    #[wasm_bindgen(constructor)]
    pub fn new(
        region: Option<String>,
        endpoint: Option<String>,
        use_fips: bool,
        use_dualstack: bool,
    ) -> Result<ClientCore, JsValue> {
        let resolved = resolve(&EndpointInput {
            region,
            use_fips,
            use_dualstack,
            endpoint,
        })?;
        Ok(ClientCore {
            region: resolved.signing_region,
            endpoint: resolved.url,
            credentials: None,
            cache: SigningKeyCache::new(),
            policy: RetryPolicy::default(),
            quota: RetryQuota::default(),
            limiter: RateLimiter::new(js_sys::Date::now() / 1000.0),
            clock_offset_ms: 0.0,
            has_hook: false,
        })
    }

    /// `maxAttempts` (a finite number, or `undefined`) and `retryMode` (a string, or `undefined`):
    /// throws `ConfigurationError` for an out-of-range count (checked first) or an unknown mode.
    #[wasm_bindgen(js_name = setRetry)]
    pub fn set_retry(
        &mut self,
        max_attempts: Option<f64>,
        mode: Option<String>,
    ) -> Result<(), JsValue> {
        const N: &str = "ConfigurationError";
        let max_attempts = match max_attempts {
            None => retry::DEFAULT_MAX_ATTEMPTS,
            // The same rule as retry::parse_max_attempts, with the number written by JS.
            Some(n)
                if !(n.fract() == 0.0
                    && (1.0..=f64::from(retry::MAX_MAX_ATTEMPTS)).contains(&n)) =>
            {
                return Err(arg_err(
                    N,
                    "maxAttempts",
                    text::concat(&[
                        "maxAttempts must be an integer from 1 to ",
                        &text::uint(u64::from(retry::MAX_MAX_ATTEMPTS)),
                        "; got ",
                        &js_num(n),
                    ]),
                )
                .into())
            }
            // Checked above: an integer in range.
            Some(n) => n as u32,
        };
        let mode = match mode {
            None => RetryMode::Standard,
            Some(s) => RetryMode::parse(&s).map_err(|e| arg_err(N, "retryMode", e.message()))?,
        };
        self.policy = RetryPolicy::new(mode, max_attempts);
        Ok(())
    }

    /// The initial clock offset and whether a `shouldRetry` hook decides retries.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&mut self, clock_offset_ms: f64, has_hook: bool) {
        self.clock_offset_ms = clock_offset_ms;
        self.has_hook = has_hook;
    }

    /// The credentials to sign with from now on (already read and checked by the caller).
    #[wasm_bindgen(js_name = setCredentials)]
    pub fn set_credentials(
        &mut self,
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
    ) {
        self.credentials = Some(Credentials {
            access_key_id,
            secret_access_key,
            session_token: session_token.filter(|t| !t.is_empty()),
        });
    }

    /// The signing region.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.region.clone()
    }

    /// The resolved endpoint URL (without the operation path).
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.endpoint.clone()
    }

    /// Milliseconds added to the local clock when signing.
    #[wasm_bindgen(getter = systemClockOffset)]
    pub fn system_clock_offset(&self) -> f64 {
        self.clock_offset_ms
    }

    /// Attempts per call, including the first.
    #[wasm_bindgen(getter = maxAttempts)]
    pub fn max_attempts(&self) -> u32 {
        self.policy.max_attempts
    }

    /// `'standard'`, `'adaptive'` or `'off'`.
    #[wasm_bindgen(getter = retryMode)]
    pub fn retry_mode(&self) -> String {
        self.policy.mode.as_str().to_string()
    }

    /// Adaptive mode's send token at `now_ms`: 0 to go ahead, else milliseconds to sleep before
    /// asking again (1 to 60,000).
    pub fn acquire(&mut self, now_ms: f64) -> f64 {
        match self.limiter.acquire(now_ms / 1000.0) {
            None => 0.0,
            Some(seconds) => (seconds * 1000.0).ceil().clamp(1.0, 60_000.0),
        }
    }

    /// Starts the next attempt of a call (`st`) and signs it at `now_ms` plus the clock offset:
    /// `url\nname\nvalue\n…`, the headers to send (`host` left to fetch). `body_hash`, when
    /// given, is the body's lower-case hex SHA-256 and `body` may then be empty.
    pub fn sign(
        &mut self,
        st: &mut [f64],
        body: &str,
        body_hash: Option<String>,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        let mut state = load_state(st);
        let (attempt, max) =
            state.begin_attempt(&self.policy, slot_get(st, slot::SKEW_RESEND) != 0.0);
        store_state(st, &state);
        slot_set(st, slot::SKEW_RESEND, 0.0);
        slot_set(st, slot::MAX, f64::from(max));
        let extra = if self.policy.retries_enabled() {
            vec![(
                retry::REQUEST_HEADER.to_string(),
                retry::request_header_value(attempt, max),
            )]
        } else {
            Vec::new()
        };
        let Some(creds) = &self.credentials else {
            return Err(arg_err(
                "SigningError",
                "credentials",
                "no credentials to sign with".to_string(),
            )
            .into());
        };
        // Trust only a well-formed digest; anything else means hashing the body here.
        let body_hash = body_hash
            .filter(|h| h.len() == 64 && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        let signing_ms = now_ms + self.clock_offset_ms;
        let prepared = client::prepare_body_hashed(
            body.to_string(),
            body_hash,
            &self.endpoint,
            &self.region,
            creds,
            (signing_ms / 1000.0).floor() as i64,
            &extra,
            &mut self.cache,
        )
        .map_err(|e| JsValue::from(ApiError::Signing(e)))?;
        let mut out = String::with_capacity(512);
        out.push_str(&prepared.url);
        for (k, v) in &prepared.headers {
            if k != "host" {
                out.push('\n');
                out.push_str(k);
                out.push('\n');
                out.push_str(v);
            }
        }
        Ok(out)
    }

    /// Handles the response of the current attempt (`status`, headers as `name\nvalue\n…`, the
    /// body text) received at `now_ms`. Returns `[kind, status, requestId, extendedRequestId,
    /// cfId, …]`:
    /// * kind 0, success: `…, InitialContactId, NewChatCreated`;
    /// * kind 1, a clock-skew error to re-sign and send at once: `…, code, newClockOffset`;
    /// * kind 2, a service error: `…, code, message, fault, throttling (undefined when not
    ///   retryable), Reason as JSON text, body excerpt, class, decision` where the decision is the
    ///   back-off (a number), the stop reason (a string) or `undefined`: ask the `shouldRetry`
    ///   hook, then call [`ClientCore::decide`].
    pub fn respond(
        &mut self,
        st: &mut [f64],
        status: f64,
        headers: &str,
        body: &str,
        now_ms: f64,
    ) -> Vec<JsValue> {
        let status = if (0.0..=999.0).contains(&status) {
            status as u16
        } else {
            0
        };
        let headers = split_headers(headers);
        let adaptive = self.policy.mode == RetryMode::Adaptive;
        let date = client::header(&headers, "date");
        let mut out = vec![
            JsValue::UNDEFINED,
            JsValue::from_f64(f64::from(status)),
            opt_str_js(client::request_id(&headers)),
            opt_str_js(client::header(&headers, "x-amz-id-2")),
            opt_str_js(client::header(&headers, "x-amz-cf-id")),
        ];
        let mut state = load_state(st);
        match client::parse_response(status, &headers, body.as_bytes()) {
            Ok(output) => {
                state.succeed(&mut self.quota);
                if adaptive {
                    self.limiter.update(now_ms / 1000.0, false);
                }
                // Keep the offset right for later calls (the SDKs do it on success too).
                if let Some(server_s) = date.and_then(retry::parse_http_date) {
                    if let Some(new) = retry::updated_clock_offset(
                        server_s as f64 * 1000.0,
                        now_ms,
                        self.clock_offset_ms,
                    ) {
                        self.clock_offset_ms = new;
                    }
                }
                out[0] = JsValue::from_f64(0.0);
                out.push(opt_str_js(output.initial_contact_id.as_deref()));
                out.push(
                    output
                        .new_chat_created
                        .map_or(JsValue::UNDEFINED, JsValue::from_bool),
                );
            }
            Err(se) => {
                if adaptive {
                    self.limiter.update(now_ms / 1000.0, se.throttling);
                }
                if let Some(new) = retry::clock_skew_correction(
                    &se,
                    date,
                    now_ms,
                    self.clock_offset_ms,
                    state.skew_corrected,
                ) {
                    self.clock_offset_ms = new;
                    state.skew_corrected = true;
                    store_state(st, &state);
                    slot_set(st, slot::SKEW_RESEND, 1.0);
                    out[0] = JsValue::from_f64(1.0);
                    out.push(JsValue::from_str(&se.code));
                    out.push(JsValue::from_f64(new));
                    return out;
                }
                let class = classify(&Failure::Service(&se));
                let hint = retry::retry_after_ms(&headers, now_ms);
                let decision = self.fail_or_ask(&mut state, st, class, hint);
                store_state(st, &state);
                out[0] = JsValue::from_f64(2.0);
                out.push(JsValue::from_str(&se.code));
                out.push(JsValue::from_str(&se.message));
                out.push(JsValue::from_str(se.fault.as_str()));
                out.push(if se.retryable {
                    JsValue::from_bool(se.throttling)
                } else {
                    JsValue::UNDEFINED
                });
                out.push(
                    se.reason
                        .as_ref()
                        .map_or(JsValue::UNDEFINED, |r| JsValue::from_str(&r.to_json())),
                );
                out.push(JsValue::from_str(&se.body_excerpt));
                out.push(JsValue::from_str(class.as_str()));
                out.push(decision);
            }
        }
        out
    }

    /// The current attempt got no response at `now_ms`: a connection error, or the per-attempt
    /// timeout when `timeout` is true. Returns `[class, decision]` (the decision as in
    /// [`ClientCore::respond`]).
    pub fn failed(&mut self, st: &mut [f64], timeout: bool, now_ms: f64) -> Vec<JsValue> {
        let class = classify(if timeout {
            &Failure::Timeout
        } else {
            &Failure::Connection
        });
        if self.policy.mode == RetryMode::Adaptive {
            // Connection errors and timeouts count as non-throttling outcomes, as in the SDK.
            self.limiter.update(now_ms / 1000.0, false);
        }
        let mut state = load_state(st);
        let decision = self.fail_or_ask(&mut state, st, class, None);
        store_state(st, &state);
        vec![JsValue::from_str(class.as_str()), decision]
    }

    /// The decision about the failure waiting for the `shouldRetry` hook, with its `verdict`:
    /// the back-off (a number) or the stop reason (a string).
    pub fn decide(&mut self, st: &mut [f64], verdict: bool) -> JsValue {
        let mut state = load_state(st);
        let class = class_from_code(slot_get(st, slot::PENDING_CLASS));
        let hint =
            (slot_get(st, slot::PENDING_HAS_HINT) != 0.0).then(|| slot_get(st, slot::PENDING_HINT));
        let d = state.fail(
            &self.policy,
            &mut self.quota,
            class,
            Some(verdict),
            hint,
            js_sys::Math::random(),
        );
        store_state(st, &state);
        decision_js(d)
    }
}

impl ClientCore {
    /// Decides now, or (with a hook and a retry possible) keeps the failure in `st` for
    /// [`ClientCore::decide`] and returns `undefined`.
    fn fail_or_ask(
        &mut self,
        state: &mut CallState,
        st: &mut [f64],
        class: FailureClass,
        hint: Option<f64>,
    ) -> JsValue {
        if self.has_hook && self.policy.attempts_left(state.policy_attempts) {
            slot_set(st, slot::PENDING_CLASS, class_code(class));
            slot_set(st, slot::PENDING_HINT, hint.unwrap_or(0.0));
            slot_set(
                st,
                slot::PENDING_HAS_HINT,
                f64::from(u8::from(hint.is_some())),
            );
            return JsValue::UNDEFINED;
        }
        decision_js(state.fail(
            &self.policy,
            &mut self.quota,
            class,
            None,
            hint,
            js_sys::Math::random(),
        ))
    }
}

/// Internal: the length of the per-call state array of [`ClientCore`].
#[wasm_bindgen(js_name = __cceStateLen)]
pub fn call_state_len() -> u32 {
    slot::LEN as u32
}

/// Internal: whether cached provider credentials expiring at `expiration_ms` (`undefined`:
/// never) must be fetched again at `now_ms` (`client::credentials_need_refresh`).
#[wasm_bindgen(js_name = __cceNeedRefresh)]
pub fn need_refresh(expiration_ms: Option<f64>, now_ms: f64) -> bool {
    client::credentials_need_refresh(expiration_ms, now_ms)
}
