//! AWS Signature Version 4 (header signing) for any service, with a derived-key cache.
//!
//! Pure and synchronous: the caller passes in the time (unix seconds), and nothing here does
//! I/O. The canonicalisation follows the AWS JS SDK v3 / aws-c-auth behaviour for non-S3
//! services (double-encoded, dot-segment-normalised path; decoded and re-encoded query;
//! trimmed and space-folded header values) and is checked against the public AWS SigV4 test
//! suite and botocore's `SigV4Auth` (see `tests/`).
//!
//! | module | concern |
//! |---|---|
//! | `url` | the parts of the request URL the signer needs (host header, path, query) |
//! | `canonical` | the canonical request: URI and query encoding, header canonicalization |
//! | `sign` | [`sign`]: checks, the string to sign, the signature, the `authorization` value |
//! | `key_cache` | [`SigningKeyCache`] and [`derive_signing_key`] (HMAC-SHA256 via `hmac`/`sha2`) |
//! | `fixed` | [`FixedSigner`], the client's precomputed path for its one request shape |
//! | `date` | `x-amz-date` formatting and parsing ([`format_amz_date`], [`parse_signing_date`]) |
//! | `error` | [`SigningError`] |
//!
//! Secrets (secret access key, session token, derived keys) never appear in an error, a
//! `Debug` output or a returned value.

mod canonical;
mod date;
mod error;
mod fixed;
mod key_cache;
mod sign;
mod url;

use sha2::{Digest, Sha256};

pub use date::{format_amz_date, parse_signing_date};
pub use error::SigningError;
pub use fixed::{FixedSigned, FixedSigner};
pub use key_cache::{derive_signing_key, SigningKeyCache};
pub use sign::{sign, sign_with_payload_hash};

/// Name of the only algorithm this signer produces; it starts the string to sign and the
/// `authorization` header.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Header names that are passed through but never signed: proxies and browsers may rewrite
/// or drop them. This is the AWS JS SDK v3 list, so a request signed here signs the same
/// header set as the SDK the project is compatible with. [`SigningParams::signed_headers`]
/// bypasses it.
pub const UNSIGNABLE_HEADERS: [&str; 15] = [
    "authorization",
    "cache-control",
    "connection",
    "expect",
    "from",
    "keep-alive",
    "max-forwards",
    "pragma",
    "referer",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// AWS credentials used to sign; kept together so the session token cannot be forgotten.
#[derive(Clone)]
pub struct Credentials {
    /// Access key id (not secret; it appears in the `authorization` header).
    pub access_key_id: String,
    /// Secret access key; never printed.
    pub secret_access_key: String,
    /// Session token of temporary credentials; sent as `x-amz-security-token`, never printed.
    pub session_token: Option<String>,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// The HTTP request to sign, borrowed so signing does not copy the body.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// HTTP method, e.g. `POST`; used exactly as given (not upper-cased).
    pub method: &'a str,
    /// Absolute `http`/`https` URL whose path and query are exactly what goes on the wire
    /// (already percent-encoded by the caller).
    pub url: &'a str,
    /// Request headers in order; names are case-insensitive and may repeat.
    pub headers: &'a [(String, String)],
    /// Request body bytes, hashed into the signature.
    pub body: &'a [u8],
}

/// Where, when and how to sign; separate from the request so one request shape can be
/// signed for several regions or times.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// Signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// Signing name of the service, e.g. `connect`.
    pub service: &'a str,
    /// Signing time in unix seconds (UTC).
    pub time: i64,
    /// Add an `x-amz-content-sha256` header with the payload hash (as the JS SDK does).
    pub apply_checksum: bool,
    /// URI-encode each path segment (a second time); true for every service but S3.
    pub uri_escape_path: bool,
    /// Remove `.`/`..` segments and duplicate slashes from the path; true for every service
    /// but S3.
    pub normalize_path: bool,
    /// Sign exactly these header names (matched case-insensitively; sorted and deduplicated
    /// here), bypassing [`UNSIGNABLE_HEADERS`]: what a verifier needs to re-sign a received
    /// request with the `SignedHeaders` it lists (botocore signs e.g. `cache-control`). Every
    /// name must be in the request as sent (the caller's headers plus `host`, `x-amz-date` and
    /// the others [`sign`] adds), or signing fails with [`SigningError::MissingSignedHeader`].
    /// Nothing is added to the list: a verifier that requires `host` to be signed checks that
    /// itself. `None`: every header except [`UNSIGNABLE_HEADERS`].
    pub signed_headers: Option<&'a [&'a str]>,
}

impl<'a> SigningParams<'a> {
    /// Parameters for a non-S3 service: checksum header on, path escaped and normalised,
    /// every signable header signed.
    pub fn new(region: &'a str, service: &'a str, time: i64) -> Self {
        SigningParams {
            region,
            service,
            time,
            apply_checksum: true,
            uri_escape_path: true,
            normalize_path: true,
            signed_headers: None,
        }
    }
}

/// The signed request plus the intermediate strings, which callers can log to debug a
/// `SignatureDoesNotMatch` (they contain no secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// HTTP method, as given.
    pub method: String,
    /// The request URL without any fragment.
    pub url: String,
    /// Headers to send: the caller's (names lower-cased, order kept) followed by `host` (if
    /// absent), `x-amz-date`, `x-amz-security-token`, `x-amz-content-sha256` and
    /// `authorization`.
    pub headers: Vec<(String, String)>,
    /// The SigV4 canonical request.
    pub canonical_request: String,
    /// The SigV4 string to sign.
    pub string_to_sign: String,
    /// Hex signature (also inside the `authorization` header).
    pub signature: String,
}

impl Signed {
    /// The canonical request with the session token's value replaced by `<redacted>`: what debug
    /// output shows. The token is a credential; every other line stays, so it can still be compared
    /// line by line with the canonical request AWS reports in a signature error.
    pub fn canonical_request_redacted(&self) -> String {
        const TOKEN: &str = "x-amz-security-token:";
        self.canonical_request
            .split('\n')
            .map(|line| {
                if line.starts_with(TOKEN) {
                    "x-amz-security-token:<redacted>"
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Lower-case hex SHA-256 of `data`: the payload hash of `x-amz-content-sha256`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex_32(&Sha256::digest(data).into())
}

/// Lower-case hex of a 32-byte hash or MAC. `hex::encode` builds its `String` a `char` at a
/// time (a tenth of a signature's time); encoding into a buffer of the right size does not.
fn hex_32(bytes: &[u8; 32]) -> String {
    let mut buf = [0u8; 64];
    // The buffer is exactly twice as long as the input and hex digits are ASCII, so neither
    // step fails.
    hex::encode_to_slice(bytes, &mut buf)
        .ok()
        .and_then(|()| String::from_utf8(buf.to_vec()).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
