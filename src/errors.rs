//! restJson1 error parsing for Amazon Connect responses.
//!
//! Mirrors the AWS JS SDK v3 (`loadRestJsonErrorCode`, `sanitizeErrorCode`, and the
//! `@smithy` service-error-classification lists) so callers can branch on the same error
//! codes and retry decisions the official SDK would make. Never panics on any body.

use crate::text::{concat, uint};
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
    /// The `Reason` union of an `InvalidRequestException`, if present.
    pub reason: Option<Value>,
    /// The first ≤1024 bytes of the body as lossy UTF-8, for debugging.
    pub body_excerpt: String,
}

impl ServiceError {
    /// `<code> (HTTP <status>): <message>`, the `Display` text.
    pub fn display_message(&self) -> String {
        concat(&[
            &self.code,
            " (HTTP ",
            &uint(u64::from(self.status)),
            "): ",
            &self.message,
        ])
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display_message())
    }
}

impl std::error::Error for ServiceError {}

// Error codes the classification knows, each followed by its flag byte (below 0x20, so it also
// ends the name): one table and one scan instead of five lists.
/// A modeled Connect error with a client fault.
const MODELED_CLIENT: u8 = 1;
/// A modeled Connect error with a server fault.
const MODELED_SERVER: u8 = 2;
/// In `THROTTLING_ERROR_CODES` of `@smithy/service-error-classification`.
const THROTTLING: u8 = 4;
/// In `TRANSIENT_ERROR_CODES` of `@smithy/service-error-classification`, or a modeled error the
/// service marks retryable besides throttling.
const TRANSIENT: u8 = 8;
/// In `CLOCK_SKEW_ERROR_CODES` of `@smithy/service-error-classification`, minus
/// `AccessDeniedException` (a modeled Connect permission error, not a clock problem).
const CLOCK_SKEW: u8 = 16;

/// The modeled Connect errors for SendChatIntegrationEvent (`InvalidRequestException` 400,
/// `AccessDeniedException` 403, `ResourceNotFoundException` 404, `ThrottlingException` 429,
/// `InternalServiceException` 500) and the `@smithy` classification lists, with their flags.
const CODES: &[u8] = b"InvalidRequestException\x01\
AccessDeniedException\x01\
ResourceNotFoundException\x01\
ThrottlingException\x05\
InternalServiceException\x0a\
BandwidthLimitExceeded\x04\
EC2ThrottledException\x04\
LimitExceededException\x04\
PriorRequestNotComplete\x04\
ProvisionedThroughputExceededException\x04\
RequestLimitExceeded\x04\
RequestThrottled\x04\
RequestThrottledException\x04\
SlowDown\x04\
ThrottledException\x04\
Throttling\x04\
TooManyRequestsException\x04\
TransactionInProgressException\x04\
TimeoutError\x08\
RequestTimeout\x08\
RequestTimeoutException\x08\
AuthFailure\x10\
InvalidSignatureException\x10\
RequestExpired\x10\
RequestInTheFuture\x10\
RequestTimeTooSkewed\x10\
SignatureDoesNotMatch\x10";

/// The flags of `code` in [`CODES`]; 0 for codes not listed.
fn code_flags(code: &str) -> u8 {
    let mut start = 0;
    for (i, &b) in CODES.iter().enumerate() {
        if b < 0x20 {
            if CODES.get(start..i) == Some(code.as_bytes()) {
                return b;
            }
            start = i + 1;
        }
    }
    0
}

/// Whether a status means success (2xx), so callers parse the output instead of an error.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Decodes a restJson1 error response. Header names match case-insensitively; the body may
/// be anything (invalid UTF-8, non-JSON, non-object JSON, huge) without panicking.
pub fn parse_error(status: u16, headers: &[(String, String)], body: &[u8]) -> ServiceError {
    let mut parsed = parse_body(body);
    let obj = parsed.as_ref().and_then(Value::as_object);

    let code = error_code(headers, obj).unwrap_or_else(|| UNKNOWN_ERROR_CODE.to_string());
    let message = message(headers, obj).unwrap_or_else(|| fallback_message(&code, status));

    let code_str = code.as_str();
    let flags = code_flags(code_str);
    let fault = if flags & MODELED_SERVER != 0 || (flags & MODELED_CLIENT == 0 && status >= 500) {
        Fault::Server
    } else {
        Fault::Client
    };
    let throttling = status == 429 || flags & THROTTLING != 0;
    // `TRANSIENT_ERROR_STATUS_CODES`: 500, 502, 503, 504.
    let retryable = throttling || flags & TRANSIENT != 0 || matches!(status, 500 | 502 | 503 | 504);
    let clock_skew = flags & CLOCK_SKEW != 0;

    let reason = if code_str == "InvalidRequestException" {
        // Moved out of the parsed body (no copy of the tree).
        parsed
            .as_mut()
            .and_then(Value::as_object_mut)
            .and_then(|o| o.remove("Reason"))
            .filter(Value::is_object)
    } else {
        None
    };

    let request_id = request_id(headers).map(str::to_string);

    ServiceError {
        message,
        fault,
        status,
        retryable,
        throttling,
        clock_skew,
        request_id,
        extended_request_id: header(headers, "x-amz-id-2").map(str::to_string),
        cf_id: header(headers, "x-amz-cf-id").map(str::to_string),
        reason,
        body_excerpt: body_excerpt(body),
        code,
    }
}

/// Parses the body as JSON when it is small enough; `None` for empty, huge or invalid bodies.
fn parse_body(body: &[u8]) -> Option<Value> {
    if body.is_empty() || body.len() > MAX_PARSED_BODY_BYTES {
        return None;
    }
    // The parser rejects invalid UTF-8 and limits nesting depth (128), so this is bounded.
    Value::from_json(body).ok()
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
    for (k, v) in headers {
        if k.trim().eq_ignore_ascii_case(name) && !v.trim().is_empty() {
            return Some(v.trim());
        }
    }
    None
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
    // Byte positions of ASCII separators are character boundaries.
    let b = raw.as_bytes();
    let end = b
        .iter()
        .position(|&c| c == b',' || c == b':')
        .unwrap_or(b.len());
    let head = b.get(..end).unwrap_or_default();
    let start = head.iter().rposition(|&c| c == b'#').map_or(0, |i| i + 1);
    let s = raw.get(start..end).unwrap_or_default().trim();
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
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
    let status = uint(u64::from(status));
    let mut m = String::with_capacity(code.len() + 40);
    if code == UNKNOWN_ERROR_CODE {
        m.push_str("HTTP ");
        m.push_str(&status);
        m.push_str(" with no error code");
    } else {
        m.push_str(code);
        m.push_str(" (HTTP ");
        m.push_str(&status);
        m.push_str(") with no error message");
    }
    m
}

/// First ≤[`BODY_EXCERPT_BYTES`] bytes as lossy UTF-8, cut before a character that would
/// be split by the limit.
fn body_excerpt(body: &[u8]) -> String {
    let mut end = body.len().min(BODY_EXCERPT_BYTES);
    if end < body.len() {
        // Back up over at most 3 continuation bytes to the start of the split character.
        let floor = end.saturating_sub(3);
        let mut cut = end;
        while cut > floor && body.get(cut).is_some_and(|b| b & 0xC0 == 0x80) {
            cut -= 1;
        }
        if body.get(cut).is_some_and(|b| b & 0xC0 != 0x80) {
            end = cut;
        }
    }
    lossy(body.get(..end).unwrap_or_default())
}

/// `String::from_utf8_lossy(b).into_owned()` over `core::str::from_utf8` (which the wasm has
/// anyway) instead of std's `Utf8Chunks`: each maximal invalid subpart becomes one U+FFFD.
fn lossy(mut b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    loop {
        match std::str::from_utf8(b) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (valid, bad) = b.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                b = bad
                    .get(e.error_len().unwrap_or(bad.len())..)
                    .unwrap_or_default();
            }
        }
    }
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
    fn lossy_matches_std() {
        let cases: &[&[u8]] = &[
            b"",
            b"plain",
            "h\u{e9}llo \u{2713}".as_bytes(),
            b"\xff",
            b"a\xffb",
            b"\xe2\x82",
            b"\xe2\x82x",
            b"\xf0\x9f\x98",
            b"\xf0\x9f\x98\x80\xc0\xaf\xed\xa0\x80z",
            b"\x80\x80\x80",
            b"\xf4\x90\x80\x80",
        ];
        for c in cases {
            assert_eq!(lossy(c), String::from_utf8_lossy(c), "{c:?}");
        }
        let mut x: u32 = 0x1234_5678;
        for _ in 0..20_000 {
            let mut v = Vec::new();
            for _ in 0..(x % 9) {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                v.push(
                    [
                        0x41, 0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xff, 0xa0, 0x90,
                    ][(x % 11) as usize],
                );
            }
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            assert_eq!(lossy(&v), String::from_utf8_lossy(&v), "{v:?}");
        }
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
