//! restJson1 error parsing for Amazon Connect responses.
//!
//! Mirrors the AWS JS SDK v3 (`loadRestJsonErrorCode`, `sanitizeErrorCode`, and the
//! `@smithy` service-error-classification lists) so callers can branch on the same error
//! codes and retry decisions the official SDK would make. Never panics on any body.

use crate::value::{Map, Value};

/// Bodies larger than this are not parsed as JSON (error bodies are tiny; a huge one is a
/// proxy page or garbage, and parsing it would only cost time and memory).
pub const MAX_PARSED_BODY_BYTES: usize = 64 * 1024;

/// Length cap of [`ServiceError::body_excerpt`], in bytes of the original body.
pub const BODY_EXCERPT_BYTES: usize = 1024;

/// Code used when neither the headers nor the body name an error code.
pub const UNKNOWN_ERROR_CODE: &str = "UnknownError";

/// Who is at fault, so callers know whether changing the request can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The request was wrong (4xx or a modeled client error).
    Client,
    /// The service failed (5xx or a modeled server error).
    Server,
}

impl Fault {
    /// Lower-case name (`"client"` / `"server"`), the JS SDK's `$fault` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Client => "client",
            Fault::Server => "server",
        }
    }
}

/// A non-2xx response decoded into what a caller needs to report, retry or fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// Sanitized error code, e.g. `ResourceNotFoundException`; `UnknownError` if none was sent.
    pub code: String,
    /// Human-readable message from the service, or a fallback naming code and status.
    pub message: String,
    /// Client or server fault.
    pub fault: Fault,
    /// HTTP status code.
    pub status: u16,
    /// Whether retrying the same request may succeed (throttling, transient or 5xx errors).
    pub retryable: bool,
    /// Whether the error is throttling (retry with a longer back-off).
    pub throttling: bool,
    /// Whether the error says the request time was off (fix the clock, then re-sign).
    pub clock_skew: bool,
    /// `x-amzn-RequestId` (or `x-amzn-request-id` / `x-amz-request-id`), for AWS support.
    pub request_id: Option<String>,
    /// `x-amz-id-2`, the extended request id.
    pub extended_request_id: Option<String>,
    /// `x-amz-cf-id`, the CloudFront request id.
    pub cf_id: Option<String>,
    /// The `Reason` union of an `InvalidRequestException` (always a JSON object), if present.
    pub reason: Option<Value>,
    /// The first ≤1024 bytes of the body as lossy UTF-8, for debugging.
    pub body_excerpt: String,
}

/// `<code> (HTTP <status>): <message>`.
impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for ServiceError {}

/// The modeled errors of SendChatIntegrationEvent and their fault, which holds whatever the
/// status: `InvalidRequestException` (400), `AccessDeniedException` (403),
/// `ResourceNotFoundException` (404), `ThrottlingException` (429), `InternalServiceException` (500).
fn modeled_fault(code: &str) -> Option<Fault> {
    match code {
        "InvalidRequestException"
        | "AccessDeniedException"
        | "ResourceNotFoundException"
        | "ThrottlingException" => Some(Fault::Client),
        "InternalServiceException" => Some(Fault::Server),
        _ => None,
    }
}

/// `THROTTLING_ERROR_CODES` of `@smithy/service-error-classification`: retried with the longer
/// throttling back-off.
const THROTTLING_ERROR_CODES: &[&str] = &[
    "BandwidthLimitExceeded",
    "EC2ThrottledException",
    "LimitExceededException",
    "PriorRequestNotComplete",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "ThrottledException",
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "TransactionInProgressException",
];

/// `TRANSIENT_ERROR_CODES` of `@smithy/service-error-classification`, plus
/// `InternalServiceException`, which Connect models as retryable.
const TRANSIENT_ERROR_CODES: &[&str] = &[
    "TimeoutError",
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalServiceException",
];

/// `TRANSIENT_ERROR_STATUS_CODES` of `@smithy/service-error-classification`.
const TRANSIENT_ERROR_STATUS_CODES: &[u16] = &[500, 502, 503, 504];

/// `CLOCK_SKEW_ERROR_CODES` of `@smithy/service-error-classification`, minus
/// `AccessDeniedException` (a modeled Connect permission error, not a clock problem).
const CLOCK_SKEW_ERROR_CODES: &[&str] = &[
    "AuthFailure",
    "InvalidSignatureException",
    "RequestExpired",
    "RequestInTheFuture",
    "RequestTimeTooSkewed",
    "SignatureDoesNotMatch",
];

/// Whether a status means success (2xx), so callers parse the output instead of an error.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a restJson1 error response. Header names match case-insensitively; the body may
/// be anything (invalid UTF-8, non-JSON, non-object JSON, huge) without panicking.
pub fn parse_error(status: u16, headers: &[(String, String)], body: &[u8]) -> ServiceError {
    let mut obj = parse_body(body);

    let code = error_code(headers, obj.as_ref()).unwrap_or_else(|| UNKNOWN_ERROR_CODE.to_string());
    let message = message(headers, obj.as_ref()).unwrap_or_else(|| fallback_message(&code, status));

    let fault = modeled_fault(&code).unwrap_or(if status >= 500 {
        Fault::Server
    } else {
        Fault::Client
    });
    let throttling = status == 429 || THROTTLING_ERROR_CODES.contains(&code.as_str());
    let retryable = throttling
        || TRANSIENT_ERROR_CODES.contains(&code.as_str())
        || TRANSIENT_ERROR_STATUS_CODES.contains(&status);
    let clock_skew = CLOCK_SKEW_ERROR_CODES.contains(&code.as_str());

    let reason = if code == "InvalidRequestException" {
        // Moved out of the parsed body (no copy of the tree).
        obj.as_mut()
            .and_then(|o| o.remove("Reason"))
            .filter(Value::is_object)
    } else {
        None
    };

    ServiceError {
        message,
        fault,
        status,
        retryable,
        throttling,
        clock_skew,
        request_id: request_id(headers).map(str::to_string),
        extended_request_id: header(headers, "x-amz-id-2").map(str::to_string),
        cf_id: header(headers, "x-amz-cf-id").map(str::to_string),
        reason,
        body_excerpt: body_excerpt(body),
        code,
    }
}

/// The body as a JSON object when it is one and small enough; `None` for empty, huge, invalid
/// or non-object bodies (the headers may still name the error).
///
/// The crate's dynamic [`Value`] rather than a derived struct: the `code` member matches in any
/// case (the JS SDK's `findKey`), the members' types vary (a numeric code, a non-string message
/// are skipped, not errors), and a repeated member keeps its last value as `JSON.parse` does
/// instead of failing the whole body. [`Value::from_json`] rejects invalid UTF-8 and stops at
/// 128 levels of nesting, so after the size cap the work is bounded.
fn parse_body(body: &[u8]) -> Option<Map> {
    if body.is_empty() || body.len() > MAX_PARSED_BODY_BYTES {
        return None;
    }
    match Value::from_json(body).ok()? {
        Value::Object(members) => Some(members),
        _ => None,
    }
}

/// The request id AWS returns: `x-amzn-RequestId` (any case), else `x-amzn-request-id`, else
/// `x-amz-request-id`.
pub fn request_id(headers: &[(String, String)]) -> Option<&str> {
    ["x-amzn-requestid", "x-amzn-request-id", "x-amz-request-id"]
        .iter()
        .find_map(|name| header(headers, name))
}

/// First non-empty (trimmed) value of a header, by case-insensitive name: the one header lookup
/// for responses (errors, metadata, retry hints).
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .find(|v| !v.is_empty())
}

/// `loadRestJsonErrorCode`: header `x-amzn-ErrorType`, else body `code` (any case), else `__type`.
fn error_code(headers: &[(String, String)], obj: Option<&Map>) -> Option<String> {
    if let Some(code) = header(headers, "x-amzn-errortype").and_then(sanitize_error_code) {
        return Some(code);
    }
    let obj = obj?;
    let body_code = obj
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("code"))
        .and_then(|(_, v)| scalar_text(v))
        .and_then(|s| sanitize_error_code(&s));
    body_code.or_else(|| {
        obj.get("__type")
            .and_then(scalar_text)
            .and_then(|s| sanitize_error_code(&s))
    })
}

/// Strings as-is and numbers as text (the JS SDK stringifies numeric codes); else `None`.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `sanitizeErrorCode`: keep what precedes the first `,` and the first `:`, then what follows
/// the last `#`; trimmed. `None` when nothing is left.
pub fn sanitize_error_code(raw: &str) -> Option<String> {
    // `split` and `rsplit` always yield at least one piece.
    let head = raw.split([',', ':']).next().unwrap_or_default();
    let name = head.rsplit('#').next().unwrap_or_default().trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// Body `message`, `Message`, `errorMessage`, then header `x-amzn-ErrorMessage`.
fn message(headers: &[(String, String)], obj: Option<&Map>) -> Option<String> {
    let from_body = obj.and_then(|o| {
        ["message", "Message", "errorMessage"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_str))
            .find(|s| !s.trim().is_empty())
    });
    from_body
        .or_else(|| header(headers, "x-amzn-errormessage"))
        .map(str::to_string)
}

fn fallback_message(code: &str, status: u16) -> String {
    if code == UNKNOWN_ERROR_CODE {
        format!("HTTP {status} with no error code")
    } else {
        format!("{code} (HTTP {status}) with no error message")
    }
}

/// First ≤[`BODY_EXCERPT_BYTES`] bytes as lossy UTF-8, cut before a character that would be
/// split by the limit.
fn body_excerpt(body: &[u8]) -> String {
    let mut end = body.len().min(BODY_EXCERPT_BYTES);
    if end < body.len() {
        // A continuation byte (`10xxxxxx`) at the limit means a character is split: cut at its
        // first byte, at most 3 bytes back. Stray continuation bytes stay (as U+FFFD).
        let is_start = |i: usize| body.get(i).is_some_and(|b| b & 0xC0 != 0x80);
        if let Some(start) = (end.saturating_sub(3)..=end).rev().find(|&i| is_start(i)) {
            end = start;
        }
    }
    String::from_utf8_lossy(body.get(..end).unwrap_or_default()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_does_not_split_characters() {
        let mut body = vec![b'a'; 1023];
        body.extend_from_slice("é".as_bytes()); // bytes 1023..1025
        body.extend_from_slice(b"tail");
        let e = body_excerpt(&body);
        assert_eq!(e.len(), 1023);
        assert!(e.bytes().all(|b| b == b'a'));

        let mut body = vec![b'a'; 1022];
        body.extend_from_slice("é".as_bytes()); // fits exactly
        body.extend_from_slice(b"tail");
        assert_eq!(body_excerpt(&body).len(), 1024);

        // Invalid continuation bytes at the cut are kept (as U+FFFD), not looped over.
        let body = vec![0x80u8; 4000];
        let e = body_excerpt(&body);
        assert_eq!(e.chars().count(), 1024);
        assert!(e.chars().all(|c| c == '\u{FFFD}'));
    }

    #[test]
    fn sanitize_examples() {
        assert_eq!(
            sanitize_error_code("com.amazonaws.connect#ResourceNotFoundException").as_deref(),
            Some("ResourceNotFoundException")
        );
        assert_eq!(
            sanitize_error_code("InvalidRequestException:http://internal.amazon.com/").as_deref(),
            Some("InvalidRequestException")
        );
        assert_eq!(sanitize_error_code(" : x"), None);
    }
}
