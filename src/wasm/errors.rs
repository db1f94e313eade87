//! Every failure the JS API reports, turned into a real JS `Error` in one place: a stable `name`
//! (the AWS error code for service errors), the message, and the structured fields users read
//! (`issues`, `field`, `variant`, `$fault`, `$metadata`, `$response`, `$retryable`, `Reason`,
//! `Message`). Setting a field never throws (a frozen or hostile object just keeps what it has).

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::input::{peek, peek_string, ArgError};
use crate::client::ResponseMeta;
use crate::endpoint::EndpointError;
use crate::errors::ServiceError;
use crate::sigv4::SigningError;
use crate::validate::Issue;
use crate::value::Value;

/// Every failure, before it becomes a JS `Error`.
pub(crate) enum ApiError {
    /// Invalid SendChatIntegrationEvent input: every issue.
    Validation(Vec<Issue>),
    /// A bad argument to a function or constructor.
    Argument(ArgError),
    /// The SigV4 signer refused its input.
    Signing(SigningError),
    /// The endpoint rules refused the configuration.
    Endpoint(EndpointError),
    /// The service answered with an error; its response headers (lower-case names) and metadata.
    Service(Box<ServiceError>, Vec<(String, String)>, Metadata),
    /// An attempt did not complete within `requestTimeoutMs`.
    Timeout { attempt: u32, timeout_ms: f64 },
    /// The credentials provider threw or rejected (what it threw).
    Provider(JsValue),
    /// A provider's result is not a credentials object.
    ProviderValue(ArgError),
}

impl From<ArgError> for ApiError {
    fn from(e: ArgError) -> Self {
        ApiError::Argument(e)
    }
}

/// `$metadata`.
#[derive(Serialize, Clone, Default, Debug)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) http_status_code: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) extended_request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) cf_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) total_retry_delay: f64,
}

impl Metadata {
    /// The metadata of a call after `attempts` attempts and `delay` ms of back-off, with the
    /// ids of the last response if there was one.
    pub(crate) fn new(meta: Option<&ResponseMeta>, attempts: u32, delay: f64) -> Self {
        Metadata {
            http_status_code: meta.map(|m| m.status),
            request_id: meta.and_then(|m| m.request_id.clone()),
            extended_request_id: meta.and_then(|m| m.extended_request_id.clone()),
            cf_id: meta.and_then(|m| m.cf_id.clone()),
            attempts,
            total_retry_delay: delay,
        }
    }
}

#[derive(Serialize)]
struct IssueOut<'a> {
    path: &'a str,
    code: &'a str,
    message: &'a str,
}

/// A value as a JS value with named keys (plain objects, not Maps).
pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> JsValue {
    v.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .unwrap_or(JsValue::UNDEFINED)
}

/// Sets `o[k] = v`, ignoring a refusal (frozen object, throwing Proxy trap).
pub(crate) fn set(o: &JsValue, k: &'static str, v: &JsValue) {
    let _ = Reflect::set(o, &super::names::name(k), v);
}

/// Defines `o[k]` as an own data property (a key named `__proto__` must not replace the prototype).
pub(crate) fn define(o: &Object, k: &str, v: &JsValue) {
    let d = Object::new();
    set(&d, "value", v);
    set(&d, "enumerable", &JsValue::TRUE);
    set(&d, "writable", &JsValue::TRUE);
    set(&d, "configurable", &JsValue::TRUE);
    let _ = Reflect::define_property(o, &JsValue::from_str(k), &d);
}

/// `new Error(message)` with an own `name`.
pub(crate) fn error(name: &str, message: &str) -> JsValue {
    let e: JsValue = js_sys::Error::new(message).into();
    set(&e, "name", &JsValue::from_str(name));
    e
}

const CLIENT: &str = "client";

/// The message of a validation error: the first three issues, and how many more there are.
pub(crate) fn validation_message(issues: &[Issue]) -> String {
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

/// The issues as an array of `{ path, code, message }`.
pub(crate) fn issues_js(issues: &[Issue]) -> JsValue {
    let out: Vec<IssueOut<'_>> = issues
        .iter()
        .map(|i| IssueOut {
            path: &i.path,
            code: i.code,
            message: &i.message,
        })
        .collect();
    to_js(&out)
}

/// A parsed JSON value (the `Reason` union) as a JS value (objects built with own data
/// properties, so a `__proto__` key stays a key).
fn json_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(n.as_f64()),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(a) => a.iter().map(json_js).collect::<js_sys::Array>().into(),
        Value::Object(m) => {
            let o = Object::new();
            for (k, v) in m {
                define(&o, k, &json_js(v));
            }
            o.into()
        }
    }
}

/// The one place a failure becomes a JS `Error`.
pub(crate) fn js_error(e: ApiError) -> JsValue {
    let client = JsValue::from_str(CLIENT);
    match e {
        ApiError::Validation(issues) => {
            let err = error("ChatEventValidationError", &validation_message(&issues));
            set(&err, "issues", &issues_js(&issues));
            set(&err, "$fault", &client);
            err
        }
        ApiError::Argument(a) | ApiError::ProviderValue(a) => {
            let err = error(a.name, &a.message);
            set(&err, "field", &JsValue::from_str(&a.field));
            set(&err, "$fault", &client);
            err
        }
        ApiError::Signing(s) => {
            let err = error("SigningError", &s.message());
            set(&err, "variant", &JsValue::from_str(s.variant()));
            set(&err, "$fault", &client);
            err
        }
        ApiError::Endpoint(s) => {
            let err = error("EndpointError", &s.message());
            set(&err, "variant", &JsValue::from_str(s.variant()));
            set(&err, "$fault", &client);
            err
        }
        ApiError::Service(se, headers, meta) => {
            let err = error(&se.code, &se.message);
            set(&err, "Message", &JsValue::from_str(&se.message));
            set(&err, "$fault", &JsValue::from_str(se.fault.as_str()));
            set(&err, "$metadata", &to_js(&meta));
            if se.retryable {
                let r = Object::new();
                set(&r, "throttling", &JsValue::from_bool(se.throttling));
                set(&err, "$retryable", &r);
            }
            if let Some(reason) = &se.reason {
                set(&err, "Reason", &json_js(reason));
            }
            let h = Object::new();
            let mut seen: Vec<(&str, String)> = Vec::new();
            for (k, v) in &headers {
                match seen.iter_mut().find(|(n, _)| n == k) {
                    Some((_, joined)) => {
                        joined.push(',');
                        joined.push_str(v);
                    }
                    None => seen.push((k, v.clone())),
                }
            }
            for (k, v) in &seen {
                define(&h, k, &JsValue::from_str(v));
            }
            let res = Object::new();
            set(&res, "statusCode", &JsValue::from(se.status));
            set(&res, "body", &JsValue::from_str(&se.body_excerpt));
            set(&res, "headers", &h);
            set(&err, "$response", &res);
            err
        }
        ApiError::Timeout {
            attempt,
            timeout_ms,
        } => {
            let err = error(
                "TimeoutError",
                &format!(
                    "attempt {attempt} did not complete within requestTimeoutMs ({} ms)",
                    super::input::js_num(timeout_ms)
                ),
            );
            set(&err, "$fault", &client);
            err
        }
        ApiError::Provider(cause) => {
            // A provider's own CredentialsProviderError (such as the Node default chain's) is clear already.
            if peek_string(&cause, "name").as_deref() == Some("CredentialsProviderError") {
                set(&cause, "$fault", &client);
                return cause;
            }
            let m = peek_string(&cause, "message");
            let err = error(
                "CredentialsProviderError",
                &format!(
                    "the credentials provider failed: {}",
                    m.as_deref().unwrap_or("it threw")
                ),
            );
            set(&err, "cause", &cause);
            set(&err, "$fault", &client);
            err
        }
    }
}

/// An `Error` named `AbortError`, with the signal's reason as `cause`.
pub(crate) fn abort_error(signal: &JsValue) -> JsValue {
    let err = error("AbortError", "The operation was aborted");
    let reason = peek(signal, "reason");
    if !reason.is_undefined() {
        set(&err, "cause", &reason);
    }
    set(&err, "$fault", &JsValue::from_str(CLIENT));
    err
}

/// Adds `$metadata` to an error object (a network or abort error keeps its own name and message).
pub(crate) fn with_meta(err: JsValue, meta: &Metadata) -> JsValue {
    if err.is_object() {
        set(&err, "$metadata", &to_js(meta));
    }
    err
}
