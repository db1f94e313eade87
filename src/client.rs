//! Request assembly and response handling for SendChatIntegrationEvent.
//!
//! Pure functions from data to data: the binding layer owns I/O (fetch), time and credentials, and
//! calls these to turn a validated input into signed request parts and a response into a result.
//! Keeping them here means every step of a send is testable natively.

use crate::errors::{self, ServiceError};
use crate::model::{SendChatIntegrationEventInput, SendChatIntegrationEventOutput};
use crate::sigv4::{self, Credentials, SigningError, SigningKeyCache, SigningParams};

/// HTTP path of the operation (restJson1 binding of `SendChatIntegrationEvent`).
pub const OPERATION_PATH: &str = "/chat-integration-event";
/// SigV4 signing name of Amazon Connect.
pub const SIGNING_NAME: &str = "connect";

/// Joins an endpoint (which may carry a base path, as custom endpoints can) and the operation path.
pub fn operation_url(endpoint: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    let mut url = String::with_capacity(base.len() + OPERATION_PATH.len());
    url.push_str(base);
    url.push_str(OPERATION_PATH);
    url
}

/// The signer of a client's requests to `endpoint` in `region`: the same signature as
/// [`prepare_body_hashed`], with the URL and scope canonicalized once.
pub fn operation_signer(endpoint: &str, region: &str) -> sigv4::FixedSigner {
    sigv4::FixedSigner::new(&operation_url(endpoint), region, SIGNING_NAME)
}

/// A request ready to hand to `fetch`: method, URL, headers (lower-case names) and body.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// Always `POST`.
    pub method: String,
    /// Endpoint URL plus the operation path.
    pub url: String,
    /// Headers to send, including `authorization`; never contains the secret access key.
    pub headers: Vec<(String, String)>,
    /// The compact JSON body.
    pub body: String,
}

impl core::fmt::Debug for PreparedRequest {
    // The authorization header carries a signature, not a secret, but the token header is a credential.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k == "x-amz-security-token" {
                    (k.as_str(), "<redacted>")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Builds and signs the HTTP request for a validated input.
///
/// `extra_headers` lets the caller add headers that must be signed (such as `amz-sdk-request`
/// for retries); only what the request needs is sent, so browsers' CORS preflights stay simple.
pub fn prepare_request(
    input: &SendChatIntegrationEventInput,
    endpoint: &str,
    region: &str,
    credentials: &Credentials,
    time: i64,
    extra_headers: &[(String, String)],
    cache: &mut SigningKeyCache,
) -> Result<PreparedRequest, SigningError> {
    prepare_body_hashed(
        input.to_json(),
        None,
        endpoint,
        region,
        credentials,
        time,
        extra_headers,
        cache,
    )
}

/// Signs an already serialized body (retries re-sign the same body with a fresh time), with its
/// lower-case hex SHA-256 when the caller already has it (`None`: hash it here).
#[allow(clippy::too_many_arguments)]
pub fn prepare_body_hashed(
    body: String,
    body_hash: Option<String>,
    endpoint: &str,
    region: &str,
    credentials: &Credentials,
    time: i64,
    extra_headers: &[(String, String)],
    cache: &mut SigningKeyCache,
) -> Result<PreparedRequest, SigningError> {
    let url = operation_url(endpoint);
    let mut headers = Vec::with_capacity(1 + extra_headers.len());
    headers.push(("content-type".to_string(), "application/json".to_string()));
    headers.extend(extra_headers.iter().cloned());
    let params = SigningParams {
        region,
        service: SIGNING_NAME,
        time,
        // Browsers: send only what the request needs (x-amz-content-sha256 would widen the CORS
        // preflight). The payload hash is still part of the canonical request.
        apply_checksum: false,
        uri_escape_path: true,
        normalize_path: true,
        signed_headers: None,
    };
    let request = sigv4::Request {
        method: "POST",
        url: &url,
        headers: &headers,
        body: body.as_bytes(),
    };
    let signed = sigv4::sign_with_payload_hash(&request, credentials, &params, cache, body_hash)?;
    Ok(PreparedRequest {
        method: signed.method,
        url: signed.url,
        headers: signed.headers,
        body,
    })
}

/// What a response means: the operation's output, or the service error to raise.
pub fn parse_response(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<SendChatIntegrationEventOutput, Box<ServiceError>> {
    if !errors::is_success(status) {
        return Err(Box::new(errors::parse_error(status, headers, body)));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        // A 200 with an empty body is a valid, member-less output.
        return Ok(SendChatIntegrationEventOutput::default());
    }
    SendChatIntegrationEventOutput::from_json(body).map_err(|e| {
        let mut err = errors::parse_error(status, headers, body);
        err.code = "DeserializationError".to_string();
        err.message = crate::text::concat(&[
            "the service answered HTTP ",
            &crate::text::uint(u64::from(status)),
            " with a body that is not a SendChatIntegrationEvent output: ",
            &e.message(),
        ]);
        err.fault = errors::Fault::Server;
        Box::new(err)
    })
}

/// Response header helpers, shared with error parsing.
pub use crate::errors::{header, request_id};

/// Cached credentials are refreshed this long (milliseconds) before they expire, as the AWS
/// SDKs do, so a request is never signed with credentials about to lapse in flight.
pub const CREDENTIALS_REFRESH_WINDOW_MS: f64 = 300_000.0;

/// Whether cached credentials expiring at `expiration_ms` (unix milliseconds; `None` = never)
/// must be fetched again at `now_ms`. Credentials without an expiration are kept for good.
pub fn credentials_need_refresh(expiration_ms: Option<f64>, now_ms: f64) -> bool {
    match expiration_ms {
        None => false,
        Some(exp) if exp.is_finite() => exp - now_ms < CREDENTIALS_REFRESH_WINDOW_MS,
        Some(_) => true,
    }
}
