//! The JavaScript API: `ConnectChatClient`, `validateChatIntegrationEvent`,
//! `serializeChatIntegrationEvent`, `signRequest`, `resolveEndpoint` and `chatEventRules`.
//!
//! A thin layer over the pure core: caller values are read here (`input`, `sign`), the send
//! loop carries out what [`crate::client::Client`] decides (`send`, over `transport`), and every
//! failure becomes a JS `Error` in one place (`errors`). Results cross as objects with named
//! keys (serde-wasm-bindgen). Nothing here may panic or let a JS exception unwind through wasm
//! frames: a panic or a broken borrow poisons the module for the whole process.

mod errors;
mod host_hash;
mod input;
mod names;
mod send;
mod sign;
mod transport;

pub use host_hash::set_host_sha256;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::client::{self, Client};
use crate::endpoint::EndpointConfig;
use crate::sigv4::{self, SigningKeyCache, SigningParams};
use crate::validate::{self, Issue, Options};
use errors::{js_error, set, ApiError};
use input::{arg_err, describe, peek, Reader};

thread_local! {
    /// Signing keys for `signRequest`, shared by every call in this module instance.
    static SIGN_CACHE: RefCell<SigningKeyCache> = RefCell::new(SigningKeyCache::new());
}

type JsResult<T> = Result<T, JsValue>;

fn throw(e: impl Into<ApiError>) -> JsValue {
    js_error(e.into())
}

/// `options.strict` (default true).
fn strict(options: &JsValue) -> Options {
    Options {
        strict: peek(options, "strict") != JsValue::FALSE,
    }
}

/// The request body for `input`, or every issue.
fn body_of(input: &JsValue, opts: &Options) -> Result<String, Vec<Issue>> {
    input::input(input, opts).map(|i| i.to_json())
}

#[derive(Serialize)]
struct Validation {
    valid: bool,
    issues: JsValueSer,
}

/// A JS value inside a serialized struct (serde-wasm-bindgen passes it through).
struct JsValueSer(JsValue);

impl Serialize for JsValueSer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_wasm_bindgen::preserve::serialize(&self.0, s)
    }
}

/// `validateChatIntegrationEvent(input, { strict = true }?)` → `{ valid, issues }`; never throws.
#[wasm_bindgen(js_name = validateChatIntegrationEvent)]
pub fn validate_chat_integration_event(input: JsValue, options: JsValue) -> JsValue {
    let issues = match body_of(&input, &strict(&options)) {
        Ok(_) => Vec::new(),
        Err(issues) => issues,
    };
    errors::to_js(&Validation {
        valid: issues.is_empty(),
        issues: JsValueSer(errors::issues_js(&issues)),
    })
}

/// `serializeChatIntegrationEvent(input, { strict = true }?)` → the JSON body; throws a
/// `ChatEventValidationError` (with `.issues`).
#[wasm_bindgen(js_name = serializeChatIntegrationEvent)]
pub fn serialize_chat_integration_event(input: JsValue, options: JsValue) -> JsResult<String> {
    body_of(&input, &strict(&options)).map_err(|i| throw(ApiError::Validation(i)))
}

/// `resolveEndpoint({ region, useFipsEndpoint?, useDualstackEndpoint?, endpoint? })` → the URL.
#[wasm_bindgen(js_name = resolveEndpoint)]
pub fn resolve_endpoint(config: JsValue) -> JsResult<String> {
    let c = input::endpoint_config(&config, "EndpointError").map_err(throw)?;
    client::resolve_endpoint(&EndpointConfig {
        region: c.region.as_deref(),
        use_fips: c.use_fips,
        use_dualstack: c.use_dualstack,
        endpoint: c.endpoint.as_deref(),
    })
    .map(|r| r.url)
    .map_err(|e| throw(ApiError::Endpoint(e)))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SignedOut<'a> {
    method: &'a str,
    url: &'a str,
    headers: JsValueSer,
    canonical_request: String,
    string_to_sign: &'a str,
    signature: &'a str,
}

/// `signRequest(request, options)` → `{ method, url, headers, canonicalRequest, stringToSign,
/// signature }` (the session token redacted in `canonicalRequest`); throws `SigningError`.
#[wasm_bindgen(js_name = signRequest)]
pub fn sign_request(request: JsValue, options: JsValue) -> JsResult<JsValue> {
    const N: &str = "SigningError";
    if !input::is_obj(&request) {
        return Err(throw(arg_err(
            N,
            "request",
            format!(
                "request must be an object {{ method, url, headers?, body? }}; got {}",
                describe(&request)
            ),
        )));
    }
    if !input::is_obj(&options) {
        return Err(throw(arg_err(
            N,
            "options",
            format!(
                "options must be an object {{ region, service, credentials }}; got {}",
                describe(&options)
            ),
        )));
    }
    let req = Reader {
        obj: &request,
        name: N,
    };
    let opt = Reader {
        obj: &options,
        name: N,
    };
    let method = req
        .opt_string("method", "request.method")
        .map_err(throw)?
        .unwrap_or_else(|| "GET".to_string());
    let url = req.req_string("url", "request.url").map_err(throw)?;
    let h = input::get(&request, "headers").map_err(|_| {
        throw(arg_err(
            N,
            "request.headers",
            "request.headers could not be read".to_string(),
        ))
    })?;
    let headers = sign::headers(&h).map_err(throw)?;
    let b = input::get(&request, "body").map_err(|_| {
        throw(arg_err(
            N,
            "request.body",
            "request.body could not be read".to_string(),
        ))
    })?;
    let body = sign::body(&b).map_err(throw)?;
    let region = opt.req_string("region", "options.region").map_err(throw)?;
    let service = opt
        .req_string("service", "options.service")
        .map_err(throw)?;
    let c = input::get(&options, "credentials").map_err(|_| {
        throw(arg_err(
            N,
            "options.credentials",
            "options.credentials could not be read".to_string(),
        ))
    })?;
    let creds = input::credentials(&c, N, "options.credentials").map_err(throw)?;
    let time = sign::signing_time(&peek(&options, "signingDate")).map_err(|e| match e {
        sign::TimeError::Arg(a) => throw(a),
        sign::TimeError::Signing(s) => throw(ApiError::Signing(s)),
    })?;
    let (apply_checksum, uri_escape_path, normalize_path) = sign::flags(&options).map_err(throw)?;
    let names = sign::signed_headers(&options).map_err(throw)?;
    let names: Option<Vec<&str>> = names
        .as_ref()
        .map(|n| n.iter().map(String::as_str).collect());
    let params = SigningParams {
        region: &region,
        service: &service,
        time,
        apply_checksum,
        uri_escape_path,
        normalize_path,
        signed_headers: names.as_deref(),
    };
    let r = sigv4::Request {
        method: &method,
        url: &url,
        headers: &headers,
        body: &body,
    };
    let signed = SIGN_CACHE
        .with(|c| {
            c.try_borrow_mut()
                .map(|mut cache| sigv4::sign(&r, &creds, &params, &mut cache))
        })
        .map_err(|_| {
            throw(arg_err(
                N,
                "signRequest",
                "signRequest was re-entered".to_string(),
            ))
        })?
        .map_err(|e| throw(ApiError::Signing(e)))?;
    // A plain object holds one value per name: repeated names are joined with "," as in canonical form.
    let out = Object::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for (k, v) in &signed.headers {
        match seen.iter_mut().find(|(n, _)| n == k) {
            Some((_, j)) => {
                j.push(',');
                j.push_str(v);
            }
            None => seen.push((k.clone(), v.clone())),
        }
    }
    for (k, v) in &seen {
        errors::define(&out, k, &JsValue::from_str(v));
    }
    Ok(errors::to_js(&SignedOut {
        method: &signed.method,
        url: &signed.url,
        headers: JsValueSer(out.into()),
        canonical_request: signed.canonical_request_redacted(),
        string_to_sign: &signed.string_to_sign,
        signature: &signed.signature,
    }))
}

/// The validation rules the console shows (limits and content-type lists), as a frozen object
/// built from the validator's own [`validate::RULES`].
#[wasm_bindgen(js_name = chatEventRules)]
pub fn chat_event_rules() -> JsValue {
    let v = errors::to_js(&validate::RULES);
    deep_freeze(&v);
    v
}

fn deep_freeze(v: &JsValue) {
    if let Some(o) = v.dyn_ref::<Object>() {
        for entry in Object::entries(o).iter() {
            let child = js_sys::Array::from(&entry).get(1);
            if child.is_object() {
                deep_freeze(&child);
            }
        }
        Object::freeze(o);
    }
}

use wasm_bindgen::JsCast;

/// Sends SendChatIntegrationEvent requests: validates, signs, calls `fetch`, retries.
#[wasm_bindgen]
pub struct ConnectChatClient {
    inner: Rc<send::Inner>,
    /// Whether credentials came from a provider (for `toJSON`).
    has_provider: bool,
}

#[wasm_bindgen]
impl ConnectChatClient {
    /// `new ConnectChatClient({ region, credentials, endpoint?, useFipsEndpoint?,
    /// useDualstackEndpoint?, maxAttempts?, retryMode?, requestTimeoutMs?, fetch?, logger?,
    /// shouldRetry?, systemClockOffset? })`; throws `ConfigurationError` or `EndpointError`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> JsResult<ConnectChatClient> {
        const N: &str = "ConfigurationError";
        let ep = input::endpoint_config(&config, N).map_err(throw)?;
        let r = Reader {
            obj: &config,
            name: N,
        };
        // A custom endpoint resolves without a region, but requests are always signed for one.
        r.req_string("region", "region").map_err(throw)?;
        let resolved = client::resolve_endpoint(&EndpointConfig {
            region: ep.region.as_deref(),
            use_fips: ep.use_fips,
            use_dualstack: ep.use_dualstack,
            endpoint: ep.endpoint.as_deref(),
        })
        .map_err(|e| throw(ApiError::Endpoint(e)))?;
        let cv = input::get(&config, "credentials").map_err(|_| {
            throw(arg_err(
                N,
                "credentials",
                "credentials could not be read".to_string(),
            ))
        })?;
        let (provider, static_creds) = if let Some(f) = cv.dyn_ref::<js_sys::Function>() {
            (Some(f.clone()), None)
        } else if cv.is_undefined() || cv.is_null() {
            return Err(throw(arg_err(N, "credentials", "credentials is required: an object { accessKeyId, secretAccessKey, sessionToken? } or an async function returning one".to_string())));
        } else {
            (
                None,
                Some(input::credentials(&cv, N, "credentials").map_err(throw)?),
            )
        };
        let fetch = r.opt_function("fetch", "fetch").map_err(throw)?;
        let max = r.opt_number("maxAttempts", "maxAttempts").map_err(throw)?;
        // maxAttempts' range is checked before retryMode is read, as the rules are ordered.
        let mode = r.opt_string("retryMode", "retryMode");
        let shown = max.map(input::js_num);
        let policy = client::retry_policy(
            max.zip(shown.as_deref()),
            mode.as_ref().ok().and_then(|m| m.as_deref()),
        )
        .map_err(|e| throw(arg_err(N, e.field, e.message)))?;
        mode.map_err(throw)?;
        let timeout = r
            .opt_number("requestTimeoutMs", "requestTimeoutMs")
            .map_err(throw)?;
        let timeout = client::parse_request_timeout(timeout)
            .map_err(|e| throw(arg_err(N, e.field, e.message)))?;
        let logger = r.raw("logger", "logger").map_err(throw)?;
        if let Some(l) = &logger {
            if !input::is_obj(l) {
                return Err(throw(arg_err(
                    N,
                    "logger",
                    format!(
                        "logger must be an object {{ debug, info, warn, error }}; got {}",
                        describe(l)
                    ),
                )));
            }
        }
        let hook = r
            .opt_function("shouldRetry", "shouldRetry")
            .map_err(throw)?;
        let offset = r
            .opt_number("systemClockOffset", "systemClockOffset")
            .map_err(throw)?
            .unwrap_or(0.0);
        let mut core = Client::new(
            &resolved,
            policy,
            offset,
            hook.is_some(),
            js_sys::Date::now(),
        );
        if let Some(c) = static_creds {
            core.set_credentials(c);
        }
        Ok(ConnectChatClient {
            has_provider: provider.is_some(),
            inner: Rc::new(send::Inner::new(
                core, provider, fetch, timeout, logger, hook,
            )),
        })
    }

    /// The signing region.
    #[wasm_bindgen(getter)]
    pub fn region(&self) -> String {
        self.inner.core.borrow().region.clone()
    }

    /// The resolved endpoint URL (without the operation path).
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.inner.core.borrow().endpoint.clone()
    }

    /// Attempts per call, including the first.
    #[wasm_bindgen(getter = maxAttempts)]
    pub fn max_attempts(&self) -> u32 {
        self.inner.core.borrow().policy.max_attempts
    }

    /// `'standard'`, `'adaptive'` or `'off'`.
    #[wasm_bindgen(getter = retryMode)]
    pub fn retry_mode(&self) -> String {
        self.inner.core.borrow().policy.mode.as_str().to_string()
    }

    /// Milliseconds added to the local clock when signing; corrected after a clock-skew error.
    #[wasm_bindgen(getter = systemClockOffset)]
    pub fn system_clock_offset(&self) -> f64 {
        self.inner.core.borrow().clock_offset_ms()
    }

    /// A redacted view for `JSON.stringify(client)`: never credentials.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsValue {
        let core = self.inner.core.borrow();
        let o = Object::new();
        set(&o, "region", &JsValue::from_str(&core.region));
        set(&o, "endpoint", &JsValue::from_str(&core.endpoint));
        set(
            &o,
            "credentials",
            &JsValue::from_str(if self.has_provider {
                "[credentials provider]"
            } else {
                "[static credentials, redacted]"
            }),
        );
        set(
            &o,
            "retryMode",
            &JsValue::from_str(core.policy.mode.as_str()),
        );
        set(&o, "maxAttempts", &JsValue::from(core.policy.max_attempts));
        o.into()
    }

    /// `await client.sendChatIntegrationEvent(input, { abortSignal }?)` →
    /// `{ InitialContactId?, NewChatCreated?, $metadata }`.
    #[wasm_bindgen(js_name = sendChatIntegrationEvent)]
    pub fn send_chat_integration_event(&self, input: JsValue, options: JsValue) -> Promise {
        // Read the input now, so later mutation by the caller cannot change what is sent.
        match body_of(&input, &Options { strict: true }) {
            Ok(body) => future_to_promise(send::send(
                self.inner.clone(),
                body,
                peek(&options, "abortSignal"),
            )),
            Err(issues) => Promise::reject(&throw(ApiError::Validation(issues))),
        }
    }

    /// `await client.sendChatIntegrationEvents(inputs, { concurrency = 10, abortSignal }?)` →
    /// one `{ status: 'fulfilled', value } | { status: 'rejected', reason }` per input, in order.
    #[wasm_bindgen(js_name = sendChatIntegrationEvents)]
    pub fn send_chat_integration_events(&self, inputs: JsValue, options: JsValue) -> Promise {
        let items = if inputs.is_string() {
            Ok(None)
        } else {
            input::iterate(&inputs, usize::MAX)
        };
        let items = match items {
            Ok(Some(items)) => items,
            Ok(None) => {
                let m = format!(
                    "sendChatIntegrationEvents expects an array of inputs; got {}",
                    describe(&inputs)
                );
                return Promise::reject(&js_sys::TypeError::new(&m).into());
            }
            Err(e) => return Promise::reject(&e),
        };
        // Each input is read now.
        let bodies: Vec<Result<String, JsValue>> = items
            .iter()
            .map(|v| {
                body_of(v, &Options { strict: true }).map_err(|i| throw(ApiError::Validation(i)))
            })
            .collect();
        let c = peek(&options, "concurrency").as_f64();
        let concurrency = match client::parse_concurrency(c) {
            Ok(n) => n,
            Err(e) => return Promise::reject(&js_sys::RangeError::new(&e.message).into()),
        };
        future_to_promise(send::send_batch(
            self.inner.clone(),
            bodies,
            concurrency,
            peek(&options, "abortSignal"),
        ))
    }
}
