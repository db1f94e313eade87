//! The JavaScript API: a thin wasm-bindgen layer over the pure core.
//!
//! Everything here is conversion: JS values in, core calls, JS values (or one typed `Error`) out,
//! all synchronous. `ConnectChatClient` is written in JavaScript (`js/client.mjs`): it does the
//! I/O (`fetch`, timers, aborts, credential providers, hooks, logging) over [`ClientCore`], which
//! keeps every rule and all client state (endpoint, signing-key cache, retry policy, quota, rate
//! limiter, clock offset). Nothing in this module may panic on caller data: a panic inside wasm
//! poisons the module for the whole process.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::client;
use crate::endpoint::{self, EndpointConfig};
use crate::model::json_str;
use crate::retry::{
    self, classify, CallState, Decision, Failure, FailureClass, RateLimiter, RetryMode,
    RetryPolicy, RetryQuota,
};
#[cfg(not(feature = "client-only"))]
use crate::sigv4::SigningParams;
use crate::sigv4::{self, Credentials, FixedSigner, SigningKeyCache};
use crate::text;
use crate::validate::{self, Issue, Options};

// Per-request helpers in JS, so that a send crosses the JS↔wasm boundary a few times with compact
// data instead of once per property (measured with bench/, see BENCHMARKS.md).
#[wasm_bindgen(inline_js = r#"
const enc = new TextEncoder();
let json = '';
// What a value is, for "got …" in messages (the same words as js/client.mjs's describe).
function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return 'a string';
  try { if (Array.isArray(v)) return 'an array'; } catch { /* a revoked Proxy */ }
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'a value of another type';
}
export function cce_json(v) {
  let s;
  try {
    s = JSON.stringify(v);
  } catch (e) {
    let m;
    try { m = e !== null && (typeof e === 'object' || typeof e === 'function') ? e.message : m; } catch { /* hostile */ }
    json = typeof m === 'string' ? m : '';
    return -2 - 2 * json.length;
  }
  if (typeof s !== 'string') {
    json = describe(v);
    return -1 - 2 * json.length;
  }
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
    /// `JSON.stringify(v)`, kept in JS for [`cce_json_take`]; its length in UTF-16 units. When it
    /// gives no text, `-1 - 2n` and what `v` is ("an array", n units) is kept instead; when it
    /// throws, `-2 - 2n` and the error's `message` (or "", n units) is kept instead.
    fn cce_json(v: &JsValue) -> f64;
    /// Writes the kept JSON text as UTF-8 into wasm memory at `ptr` (room for `cap` bytes, at
    /// least 3 per UTF-16 unit) with one `TextEncoder.encodeInto`; the bytes written.
    fn cce_json_take(mem: &JsValue, ptr: u32, cap: u32) -> u32;
}

thread_local! {
    /// Signing keys for `signRequest`, shared by every call in this module instance.
    static SIGN_CACHE: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

// ---------------------------------------------------------------------------------------------
// Errors: one enum, thrown as compact JSON text that js/client.mjs (`coreError`) turns into a JS
// Error with a stable `name`, the structured fields and `$fault: 'client'`.

/// Every failure the JS API can report, before conversion to JSON text.
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

/// `[issue, …]` as a JSON array of `{path, code, message}`.
fn issues_json(o: &mut Vec<u8>, issues: &[Issue]) {
    o.push(b'[');
    for (i, issue) in issues.iter().enumerate() {
        if i > 0 {
            o.push(b',');
        }
        o.extend_from_slice(issue.to_json().as_bytes());
    }
    o.push(b']');
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

/// JSON text from bytes this module wrote (always UTF-8: whole `&str`s and ASCII).
fn utf8(o: Vec<u8>) -> String {
    String::from_utf8(o).unwrap_or_default()
}

impl From<ApiError> for JsValue {
    /// `{"name":…,"message":…,<"issues"|"field"|"variant">:…}` as a JS string (thrown).
    fn from(e: ApiError) -> JsValue {
        let (name, message, key, issues, value) = match e {
            ApiError::Validation(issues) => (
                "ChatEventValidationError",
                validation_message(&issues),
                "issues",
                Some(issues),
                String::new(),
            ),
            ApiError::Argument {
                name,
                field,
                message,
            } => (name, message, "field", None, field),
            ApiError::Signing(e) => (
                "SigningError",
                e.message(),
                "variant",
                None,
                e.variant().to_string(),
            ),
            ApiError::Endpoint(e) => (
                "EndpointError",
                e.message(),
                "variant",
                None,
                e.variant().to_string(),
            ),
        };
        let mut o = Vec::with_capacity(64 + message.len());
        o.extend_from_slice(b"{\"name\":");
        json_str(&mut o, name);
        o.extend_from_slice(b",\"message\":");
        json_str(&mut o, &message);
        o.push(b',');
        json_str(&mut o, key);
        o.push(b':');
        match issues {
            Some(issues) => issues_json(&mut o, &issues),
            None => json_str(&mut o, &value),
        }
        o.push(b'}');
        JsValue::from_str(&utf8(o))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading JS values without throwing.

fn arg_err(name: &'static str, field: &str, message: String) -> ApiError {
    ApiError::Argument {
        name,
        field: field.to_string(),
        message,
    }
}

/// Turns any JS value into JSON text (UTF-8) the core can validate, or one issue explaining why not.
fn input_json(input: &JsValue) -> Result<Vec<u8>, Vec<Issue>> {
    let units = cce_json(input);
    if units >= 0.0 {
        return Ok(take_json(units));
    }
    let k = -units - 1.0;
    let text = take_json((k / 2.0).floor());
    // TextEncoder's output is always UTF-8.
    let text = String::from_utf8(text).unwrap_or_default();
    if k % 2.0 == 0.0 {
        return Err(vec![Issue {
            path: String::new(),
            code: "type",
            message: text::concat(&["the input must be an object; got ", &text]),
        }]);
    }
    let mut why = text::first_chars(&text, 120).to_string();
    if why.is_empty() {
        why.push_str("JSON.stringify threw");
    }
    Err(vec![Issue {
        path: String::new(),
        code: "json",
        message: text::concat(&["the input could not be read as JSON data (", &why, ")"]),
    }])
}

/// The text kept by [`cce_json`] (`units` UTF-16 units long) as UTF-8 bytes.
fn take_json(units: f64) -> Vec<u8> {
    let cap = if units <= f64::from(u32::MAX / 3) {
        units as usize * 3
    } else {
        0
    };
    let mut buf = vec![0u8; cap];
    let written = cce_json_take(&wasm_bindgen::memory(), buf.as_ptr() as u32, cap as u32);
    buf.truncate(written as usize);
    buf
}

/// The request body for `input`, or every issue (the typed input is never built here).
fn parse_input(input: &JsValue, opts: &Options) -> Result<String, Vec<Issue>> {
    let json = input_json(input)?;
    validate::serialize_input_json_bytes(&json, opts)
}

// ---------------------------------------------------------------------------------------------
// validate / serialize

/// Internal: `validateChatIntegrationEvent` (js/client.mjs reads `options.strict`) → the issues as
/// a JSON array (empty: valid); never throws.
#[cfg(not(feature = "client-only"))]
#[wasm_bindgen(js_name = __cceValidate)]
pub fn validate_chat_integration_event(input: JsValue, strict: bool) -> String {
    let mut o = Vec::new();
    match parse_input(&input, &Options { strict }) {
        Ok(_) => o.extend_from_slice(b"[]"),
        Err(issues) => issues_json(&mut o, &issues),
    }
    utf8(o)
}

/// Internal: `serializeChatIntegrationEvent` → the JSON body; throws a `ChatEventValidationError`
/// (as JSON text, see [`ApiError`]) on invalid input. A body shorter than `hash_below` bytes comes
/// with its lower-case hex SHA-256 in front (64 characters; a body starts with `{`), so that
/// `ConnectChatClient` signs without passing the body back; larger ones the host may hash.
#[wasm_bindgen(js_name = __cceSerialize)]
pub fn serialize_chat_integration_event(
    input: JsValue,
    strict: bool,
    hash_below: f64,
) -> Result<String, JsValue> {
    match parse_input(&input, &Options { strict }) {
        Ok(body) => {
            if (body.len() as f64) < hash_below {
                let mut out = String::with_capacity(64 + body.len());
                out.push_str(&sigv4::sha256_hex(body.as_bytes()));
                out.push_str(&body);
                Ok(out)
            } else {
                Ok(body)
            }
        }
        Err(issues) => Err(ApiError::Validation(issues).into()),
    }
}

// ---------------------------------------------------------------------------------------------
// signRequest

/// Internal: a `signingDate` string (ISO 8601 or `YYYYMMDDTHHMMSSZ`) as unix seconds; throws
/// `SigningError`. Used by `signRequest` (js/client.mjs).
#[cfg(not(feature = "client-only"))]
#[wasm_bindgen(js_name = __cceSigningTime)]
pub fn signing_time(s: &str) -> Result<f64, JsValue> {
    sigv4::parse_signing_date(s)
        .map(|t| t as f64)
        .map_err(|e| ApiError::Signing(e).into())
}

#[cfg(not(feature = "client-only"))]
/// The strings JS joined with one separator character after each, given their lengths in UTF-16
/// units (a lone surrogate arrives as one U+FFFD, also one unit); missing ones are empty.
fn split_utf16<'a>(joined: &'a str, lens: &[f64]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(lens.len());
    let mut chars = joined.char_indices();
    let mut start = 0;
    for &n in lens {
        let mut units = 0.0;
        let mut end = start;
        while units < n {
            let Some((i, c)) = chars.next() else { break };
            units += c.len_utf16() as f64;
            end = i + c.len_utf8();
        }
        out.push(joined.get(start..end).unwrap_or_default());
        // The separator.
        start = chars.next().map_or(joined.len(), |(i, c)| i + c.len_utf8());
    }
    out
}

/// Internal: `signRequest` over values js/client.mjs has read and checked: `joined` holds
/// `method, url, region, service, accessKeyId, secretAccessKey, sessionToken ("": none), name,
/// value, …`, each followed by one separator character, `lens` their lengths in UTF-16 units;
/// `time` unix seconds; `flags` bit 0 `applyChecksum`, bit 1 `uriEscapePath`, bit 2
/// `normalizePath`. Returns the JSON array `[method, url, canonicalRequest (session token
/// redacted), stringToSign, signature, name, value, …]`; throws `SigningError`.
#[cfg(not(feature = "client-only"))]
#[wasm_bindgen(js_name = __cceSignRequest)]
pub fn sign_request_values(
    joined: &str,
    lens: &[f64],
    body: &[u8],
    time: f64,
    flags: u32,
) -> Result<String, JsValue> {
    let v = split_utf16(joined, lens);
    let at = |i: usize| v.get(i).copied().unwrap_or_default();
    let headers: Vec<(String, String)> = v
        .get(7..)
        .unwrap_or_default()
        .chunks_exact(2)
        .map(|p| (p[0].to_string(), p[1].to_string()))
        .collect();
    let token = at(6);
    let creds = Credentials {
        access_key_id: at(4).to_string(),
        secret_access_key: at(5).to_string(),
        session_token: (!token.is_empty()).then(|| token.to_string()),
    };
    let params = SigningParams {
        region: at(2),
        service: at(3),
        time: time as i64,
        apply_checksum: flags & 1 != 0,
        uri_escape_path: flags & 2 != 0,
        normalize_path: flags & 4 != 0,
    };
    let req = sigv4::Request {
        method: at(0),
        url: at(1),
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
    let mut o = Vec::with_capacity(1024);
    o.push(b'[');
    json_str(&mut o, &signed.method);
    o.push(b',');
    json_str(&mut o, &signed.url);
    o.push(b',');
    // Debug output: the session token is redacted (it is in the headers, which must carry it).
    json_str(&mut o, &signed.canonical_request_redacted());
    o.push(b',');
    json_str(&mut o, &signed.string_to_sign);
    o.push(b',');
    json_str(&mut o, &signed.signature);
    for (k, v) in &signed.headers {
        o.push(b',');
        json_str(&mut o, k);
        o.push(b',');
        json_str(&mut o, v);
    }
    o.push(b']');
    Ok(utf8(o))
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
#[cfg(not(feature = "client-only"))]
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
    /// A number result of `respond`, `failed` or `decide`: the new clock offset (clock-skew
    /// re-send) or the back-off in milliseconds (a retry).
    pub(super) const NUM: usize = 10;
    /// Length of the array.
    pub(super) const LEN: usize = 11;
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

/// A retry decision as JSON: `true` (retry after the back-off in `st[slot::NUM]`, milliseconds),
/// the stop reason (a string) or `null` (none yet: ask the `shouldRetry` hook).
fn push_decision(o: &mut Vec<u8>, st: &mut [f64], d: Option<Decision>) {
    match d {
        Some(Decision::Retry { delay_ms, .. }) => {
            slot_set(st, slot::NUM, delay_ms);
            o.extend_from_slice(b"true");
        }
        Some(Decision::Stop(reason)) => json_str(o, reason.as_str()),
        None => o.extend_from_slice(b"null"),
    }
}

/// Sets the kind of a `respond` result (`[0,…`).
fn set_kind(o: &mut [u8], kind: u8) {
    if let Some(k) = o.get_mut(1) {
        *k = kind;
    }
}

/// `,` and an optional string as JSON (`null`: none).
fn push_opt(o: &mut Vec<u8>, s: Option<&str>) {
    o.push(b',');
    match s {
        Some(s) => json_str(o, s),
        None => o.extend_from_slice(b"null"),
    }
}

/// Response headers from `name\nvalue\n…` (names lower-cased; JS drops pairs holding a newline).
fn split_headers(flat: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if flat.is_empty() {
        return out;
    }
    let mut parts = sigv4::parts(flat, b'\n');
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
    /// Signs this client's requests (URL and scope canonicalized once).
    signer: FixedSigner,
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
            signer: client::operation_signer(&resolved.url, &resolved.signing_region),
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

    /// `maxAttempts` (a finite number, or `undefined`; `max_text` is `String(maxAttempts)`, for the
    /// message) and `retryMode` (a string, or `undefined`): throws `ConfigurationError` for an
    /// out-of-range count (checked first) or an unknown mode.
    #[wasm_bindgen(js_name = setRetry)]
    pub fn set_retry(
        &mut self,
        max_attempts: Option<f64>,
        max_text: &str,
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
                        max_text,
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

    /// The JSON array `[region (signing), endpoint (resolved URL, without the operation path),
    /// maxAttempts (attempts per call, including the first), retryMode]`.
    pub fn info(&self) -> String {
        let mut o = Vec::with_capacity(96);
        o.push(b'[');
        json_str(&mut o, &self.region);
        o.push(b',');
        json_str(&mut o, &self.endpoint);
        o.push(b',');
        o.extend_from_slice(text::uint(u64::from(self.policy.max_attempts)).as_bytes());
        o.push(b',');
        json_str(&mut o, self.policy.mode.as_str());
        o.push(b']');
        utf8(o)
    }

    /// Milliseconds added to the local clock when signing.
    #[wasm_bindgen(getter = systemClockOffset)]
    pub fn system_clock_offset(&self) -> f64 {
        self.clock_offset_ms
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
    /// `url\nname\nvalue\n…`, the headers to send (`host` left to fetch). `body_hash` is the
    /// body's lower-case hex SHA-256 (from `__cceSerialize`, or the host's hash of a large body).
    pub fn sign(
        &mut self,
        st: &mut [f64],
        body_hash: &str,
        now_ms: f64,
    ) -> Result<String, JsValue> {
        const N: &str = "SigningError";
        if !(body_hash.len() == 64
            && body_hash
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        {
            return Err(arg_err(
                N,
                "bodyHash",
                "the body hash must be 64 lower-case hex digits".to_string(),
            )
            .into());
        }
        let mut state = load_state(st);
        let (attempt, max) =
            state.begin_attempt(&self.policy, slot_get(st, slot::SKEW_RESEND) != 0.0);
        store_state(st, &state);
        slot_set(st, slot::SKEW_RESEND, 0.0);
        slot_set(st, slot::MAX, f64::from(max));
        let sdk_request = self
            .policy
            .retries_enabled()
            .then(|| retry::request_header_value(attempt, max));
        let Some(creds) = &self.credentials else {
            return Err(
                arg_err(N, "credentials", "no credentials to sign with".to_string()).into(),
            );
        };
        let signing_ms = now_ms + self.clock_offset_ms;
        let signed = self
            .signer
            .sign(
                creds,
                (signing_ms / 1000.0).floor() as i64,
                sdk_request.as_deref(),
                body_hash,
                &mut self.cache,
            )
            .map_err(|e| JsValue::from(ApiError::Signing(e)))?;
        let mut out = String::with_capacity(256 + signed.authorization.len());
        out.push_str(self.signer.url());
        out.push_str("\ncontent-type\napplication/json");
        if let Some(v) = &sdk_request {
            out.push('\n');
            out.push_str(retry::REQUEST_HEADER);
            out.push('\n');
            out.push_str(v);
        }
        out.push_str("\nx-amz-date\n");
        out.push_str(&signed.amz_date);
        if let Some(t) = creds.session_token.as_deref() {
            out.push_str("\nx-amz-security-token\n");
            out.push_str(t);
        }
        out.push_str("\nauthorization\n");
        out.push_str(&signed.authorization);
        Ok(out)
    }

    /// Handles the response of the current attempt (`status`, headers as `name\nvalue\n…`, the
    /// body text) received at `now_ms`. Returns the JSON array `[kind, status, requestId,
    /// extendedRequestId, cfId, …]` (absent values `null`):
    /// * kind 0, success: `…, InitialContactId, NewChatCreated`;
    /// * kind 1, a clock-skew error to re-sign and send at once: `…, code`, the new clock offset
    ///   in `st[slot::NUM]`;
    /// * kind 2, a service error: `…, code, message, fault, throttling (null when not
    ///   retryable), Reason as JSON text, body excerpt, class, decision` (see `push_decision`;
    ///   `null`: ask the `shouldRetry` hook, then call [`ClientCore::decide`]).
    pub fn respond(
        &mut self,
        st: &mut [f64],
        status: f64,
        headers: &str,
        body: &str,
        now_ms: f64,
    ) -> String {
        let status = if (0.0..=999.0).contains(&status) {
            status as u16
        } else {
            0
        };
        let headers = split_headers(headers);
        let adaptive = self.policy.mode == RetryMode::Adaptive;
        let date = client::header(&headers, "date");
        let mut o = Vec::with_capacity(256);
        let mut state = load_state(st);
        // The kind (index 1) is set below.
        o.extend_from_slice(b"[0");
        o.push(b',');
        let mut num = String::new();
        text::push_uint(&mut num, u64::from(status));
        o.extend_from_slice(num.as_bytes());
        push_opt(&mut o, client::request_id(&headers));
        push_opt(&mut o, client::header(&headers, "x-amz-id-2"));
        push_opt(&mut o, client::header(&headers, "x-amz-cf-id"));
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
                push_opt(&mut o, output.initial_contact_id.as_deref());
                o.extend_from_slice(match output.new_chat_created {
                    Some(true) => b",true",
                    Some(false) => b",false",
                    None => b",null",
                });
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
                    slot_set(st, slot::NUM, new);
                    set_kind(&mut o, b'1');
                    push_opt(&mut o, Some(&se.code));
                    o.push(b']');
                    return utf8(o);
                }
                let class = classify(&Failure::Service(&se));
                let hint = retry::retry_after_ms(&headers, now_ms);
                let decision = self.fail_or_ask(&mut state, st, class, hint);
                store_state(st, &state);
                set_kind(&mut o, b'2');
                push_opt(&mut o, Some(&se.code));
                push_opt(&mut o, Some(&se.message));
                push_opt(&mut o, Some(se.fault.as_str()));
                o.extend_from_slice(match (se.retryable, se.throttling) {
                    (false, _) => b",null",
                    (true, true) => b",true",
                    (true, false) => b",false",
                });
                push_opt(&mut o, se.reason.as_ref().map(|r| r.to_string()).as_deref());
                push_opt(&mut o, Some(&se.body_excerpt));
                push_opt(&mut o, Some(class.as_str()));
                o.push(b',');
                push_decision(&mut o, st, decision);
            }
        }
        o.push(b']');
        utf8(o)
    }

    /// The current attempt got no response at `now_ms`: a connection error, or the per-attempt
    /// timeout when `timeout` is true. Returns the JSON array `[class, decision]` (the decision as
    /// in [`ClientCore::respond`]).
    pub fn failed(&mut self, st: &mut [f64], timeout: bool, now_ms: f64) -> String {
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
        let mut o = Vec::with_capacity(48);
        o.push(b'[');
        json_str(&mut o, class.as_str());
        o.push(b',');
        push_decision(&mut o, st, decision);
        o.push(b']');
        utf8(o)
    }

    /// The decision about the failure waiting for the `shouldRetry` hook, with its `verdict`, as
    /// JSON (see `push_decision`).
    pub fn decide(&mut self, st: &mut [f64], verdict: bool) -> String {
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
        let mut o = Vec::with_capacity(32);
        push_decision(&mut o, st, Some(d));
        utf8(o)
    }
}

impl ClientCore {
    /// Decides now, or (with a hook and a retry possible) keeps the failure in `st` for
    /// [`ClientCore::decide`] and returns `None`.
    fn fail_or_ask(
        &mut self,
        state: &mut CallState,
        st: &mut [f64],
        class: FailureClass,
        hint: Option<f64>,
    ) -> Option<Decision> {
        if self.has_hook && self.policy.attempts_left(state.policy_attempts) {
            slot_set(st, slot::PENDING_CLASS, class_code(class));
            slot_set(st, slot::PENDING_HINT, hint.unwrap_or(0.0));
            slot_set(
                st,
                slot::PENDING_HAS_HINT,
                f64::from(u8::from(hint.is_some())),
            );
            return None;
        }
        Some(state.fail(
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
