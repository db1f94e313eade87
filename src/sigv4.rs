//! AWS Signature Version 4 (header signing) for any service, plus a derived-key cache and
//! UTC time formatting/parsing.
//!
//! Pure and synchronous: the caller passes in the time (unix seconds), and nothing here does
//! I/O. The canonicalisation follows the AWS JS SDK v3 / aws-c-auth behaviour for non-S3
//! services (double-encoded, dot-segment-normalised path; decoded and re-encoded query;
//! trimmed and space-folded header values) and is checked against the public AWS SigV4 test
//! suite and botocore's `SigV4Auth` (see `tests/`).
//!
//! Secrets (secret access key, session token, derived keys) never appear in an error, a
//! `Debug` output or a returned value.

use crate::calendar::{civil_from_days, days_from_civil, days_in_month};
use crate::sha256::Sha256;

use crate::text::{concat, push_int, push_quoted, push_uint};

/// Name of the only algorithm this signer produces; it starts the string to sign and the
/// `authorization` header.
const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Header names that are passed through but never signed: proxies and browsers may rewrite
/// or drop them. This is the AWS JS SDK v3 list, so a request signed here signs the same
/// header set as the SDK the project is compatible with.
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

/// How many derived signing keys a [`SigningKeyCache`] keeps; one per (secret, day, region,
/// service), so a handful covers a long-running client that crosses midnight or a region.
const CACHE_CAPACITY: usize = 8;

/// Smallest unix time we format or sign (0000-01-01T00:00:00Z): the x-amz-date format has a
/// four-digit year.
const MIN_UNIX: i64 = -62_167_219_200;
/// Largest unix time we format or sign (9999-12-31T23:59:59Z).
const MAX_UNIX: i64 = 253_402_300_799;

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
}

impl<'a> SigningParams<'a> {
    /// Parameters for a non-S3 service: checksum header on, path escaped and normalised.
    pub fn new(region: &'a str, service: &'a str, time: i64) -> Self {
        SigningParams {
            region,
            service,
            time,
            apply_checksum: true,
            uri_escape_path: true,
            normalize_path: true,
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
        let mut out = String::with_capacity(self.canonical_request.len());
        for (i, line) in parts(&self.canonical_request, b'\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            if line.starts_with(TOKEN) {
                out.push_str(TOKEN);
                out.push_str("<redacted>");
            } else {
                out.push_str(line);
            }
        }
        out
    }
}

/// Why a request could not be signed; messages name the field and the rule, never a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigningError {
    /// The URL is not an absolute http(s) URL this signer understands.
    InvalidUrl {
        /// What rule the URL broke.
        reason: &'static str,
    },
    /// The method is empty or not an HTTP token.
    InvalidMethod,
    /// A header name is empty or not an HTTP token.
    InvalidHeaderName {
        /// The offending name.
        name: String,
    },
    /// A header value contains a control character (CR, LF, NUL, ...).
    InvalidHeaderValue {
        /// Name of the header whose value is invalid (the value is not repeated).
        name: String,
    },
    /// A time could not be parsed or is outside years 0000–9999.
    InvalidTime {
        /// The rejected input (shortened if long).
        input: String,
    },
    /// The signing region is empty.
    MissingRegion,
    /// The signing service name is empty.
    MissingService,
    /// The region or service contains characters that cannot appear in a credential scope.
    InvalidScope {
        /// `region` or `service`.
        field: &'static str,
    },
    /// A required credential field is empty.
    MissingCredentials {
        /// `access_key_id` or `secret_access_key`.
        field: &'static str,
    },
    /// The access key id contains characters that would break the `authorization` header.
    InvalidAccessKeyId,
}

impl SigningError {
    /// The variant's name, a stable identifier for programs (the JS error's `variant`).
    pub fn variant(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "InvalidUrl",
            Self::InvalidMethod { .. } => "InvalidMethod",
            Self::InvalidHeaderName { .. } => "InvalidHeaderName",
            Self::InvalidHeaderValue { .. } => "InvalidHeaderValue",
            Self::InvalidTime { .. } => "InvalidTime",
            Self::MissingRegion { .. } => "MissingRegion",
            Self::MissingService { .. } => "MissingService",
            Self::InvalidScope { .. } => "InvalidScope",
            Self::MissingCredentials { .. } => "MissingCredentials",
            Self::InvalidAccessKeyId { .. } => "InvalidAccessKeyId",
        }
    }

    /// The human-readable message (the JS error's `message`), built without `core::fmt`.
    pub fn message(&self) -> String {
        const TOKEN_RULE: &str = ": must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)";
        // Every message is `head`, then `field` (Debug-quoted when `quote`), then `tail`.
        let (head, field, quote, tail): (&str, &str, bool, &str) = match self {
            Self::InvalidUrl { reason } => ("invalid URL: ", reason, false, ""),
            Self::InvalidMethod => ("invalid HTTP method", "", false, TOKEN_RULE),
            Self::InvalidHeaderName { name } => ("invalid header name ", name, true, TOKEN_RULE),
            Self::InvalidHeaderValue { name } => (
                "invalid value for header ",
                name,
                true,
                ": control characters other than tab (CR, LF, NUL, ...) are not allowed",
            ),
            Self::InvalidTime { input } => (
                "invalid signing time ",
                input,
                true,
                ": expected an ISO 8601 UTC time such as 20150830T123600Z or \
                 2015-08-30T12:36:00Z, in years 0000-9999",
            ),
            Self::MissingRegion => (
                "missing signing region: it must be non-empty",
                "",
                false,
                "",
            ),
            Self::MissingService => (
                "missing signing service name: it must be non-empty",
                "",
                false,
                "",
            ),
            Self::InvalidScope { field } => (
                "invalid signing ",
                field,
                false,
                ": only letters, digits, '-', '_' and '.' are allowed",
            ),
            Self::MissingCredentials { field } => {
                ("missing credentials: ", field, false, " must be non-empty")
            }
            Self::InvalidAccessKeyId => (
                "invalid access_key_id: only visible ASCII without '/', ',' and '=' is allowed",
                "",
                false,
                "",
            ),
        };
        let mut out = String::with_capacity(head.len() + field.len() + 2 + tail.len());
        out.push_str(head);
        if quote {
            push_quoted(&mut out, field);
        } else {
            out.push_str(field);
        }
        out.push_str(tail);
        out
    }
}

impl std::fmt::Display for SigningError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for SigningError {}

/// Cache of derived signing keys, so the four-HMAC key derivation runs once per day, region
/// and service instead of once per request.
///
/// Entries are keyed by a SHA-256 of the secret (never the secret itself); the last
/// `CACHE_CAPACITY` (8) entries are kept, most recently used first.
#[derive(Clone, Default)]
pub struct SigningKeyCache {
    entries: Vec<CacheEntry>,
    hits: u64,
    misses: u64,
}

#[derive(Clone)]
struct CacheEntry {
    secret_hash: [u8; 32],
    date: String,
    region: String,
    service: String,
    #[cfg(test)]
    key: [u8; 32],
    /// HMAC-SHA256 with `key`, after its ipad/opad blocks: each signature hashes two blocks less.
    mac: KeyedMac,
}

/// SHA-256 states after absorbing `key ^ ipad` and `key ^ opad`: HMAC with a fixed key.
#[derive(Clone)]
struct KeyedMac {
    inner: Sha256,
    outer: Sha256,
}

impl KeyedMac {
    /// The HMAC-SHA256 (RFC 2104) states for `key`; a key longer than a block is hashed first.
    fn new(key: &[u8]) -> Self {
        let hashed: [u8; 32];
        let key = if key.len() > 64 {
            hashed = Sha256::digest(key);
            &hashed[..]
        } else {
            key
        };
        let mut ipad = [0x36u8; 64];
        let mut opad = [0x5cu8; 64];
        for ((i, o), k) in ipad.iter_mut().zip(opad.iter_mut()).zip(key.iter()) {
            *i ^= k;
            *o ^= k;
        }
        let mut inner = Sha256::new();
        inner.update(&ipad);
        let mut outer = Sha256::new();
        outer.update(&opad);
        Self { inner, outer }
    }

    /// `HMAC-SHA256(key, msg)`; equal to `hmac_sha256(key, msg)`.
    fn mac(&self, msg: &[u8]) -> [u8; 32] {
        let mut inner = self.inner.clone();
        inner.update(msg);
        let mut outer = self.outer.clone();
        outer.update(&inner.finalize());
        outer.finalize()
    }
}

impl std::fmt::Debug for SigningKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyCache")
            .field("entries", &self.entries.len())
            .field("hits", &self.hits)
            .field("misses", &self.misses)
            .finish()
    }
}

impl SigningKeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of cached keys (at most 8), for tests and diagnostics.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the cache holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many lookups were served from the cache, for tests and diagnostics.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// How many lookups had to derive a key, for tests and diagnostics.
    pub fn misses(&self) -> u64 {
        self.misses
    }

    /// The signing key for (secret, day, region, service), derived on a miss.
    #[cfg(test)]
    fn get_or_derive(&mut self, secret: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
        self.entry(secret, date, region, service).key
    }

    /// The cache entry for (secret, day, region, service), derived on a miss; moved to the front.
    fn entry(&mut self, secret: &str, date: &str, region: &str, service: &str) -> &CacheEntry {
        let secret_hash: [u8; 32] = Sha256::digest(secret.as_bytes());
        let found = self.entries.iter().position(|e| {
            e.secret_hash == secret_hash
                && e.date == date
                && e.region == region
                && e.service == service
        });
        if let Some(i) = found {
            self.hits += 1;
            if i > 0 {
                let entry = self.entries.remove(i);
                self.entries.insert(0, entry);
            }
            return &self.entries[0];
        }
        self.misses += 1;
        let key = derive_signing_key(secret, date, region, service);
        self.entries.insert(
            0,
            CacheEntry {
                secret_hash,
                date: date.to_string(),
                region: region.to_string(),
                service: service.to_string(),
                #[cfg(test)]
                key,
                mac: KeyedMac::new(&key),
            },
        );
        self.entries.truncate(CACHE_CAPACITY);
        &self.entries[0]
    }
}

/// HMAC-SHA256 (RFC 2104), written out over SHA-256 so it has no error path.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    KeyedMac::new(key).mac(msg)
}

/// Derives the SigV4 signing key `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region),
/// service), "aws4_request")`; public so tests can check it against published examples.
/// `date_yyyymmdd` is the UTC day, e.g. `20150830`.
pub fn derive_signing_key(
    secret: &str,
    date_yyyymmdd: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    let mut k = Vec::with_capacity(4 + secret.len());
    k.extend_from_slice(b"AWS4");
    k.extend_from_slice(secret.as_bytes());
    let k_date = hmac_sha256(&k, date_yyyymmdd.as_bytes());
    let k_region = hmac_sha256(&k_date, region.as_bytes());
    let k_service = hmac_sha256(&k_region, service.as_bytes());
    hmac_sha256(&k_service, b"aws4_request")
}

/// Sorts in place (O(n log n), no allocation). Used instead of the standard sorts, whose
/// generic code is ~10 KB per element type in the wasm; the items sorted here (header names,
/// query pairs) order totally, and equal items are identical, so stability does not matter.
fn heap_sort<T: Ord>(v: &mut [T]) {
    fn sift_down<T: Ord>(v: &mut [T], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Lower-case hex of bytes, the encoding SigV4 uses for hashes and signatures.
pub fn hex_encode(data: &[u8]) -> String {
    // Into a byte buffer: no per-char UTF-8 encoding.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(data.len() * 2);
    for &b in data {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0x0f)]);
    }
    // Only ASCII hex digits were written.
    String::from_utf8(out).unwrap_or_default()
}

/// Lower-case hex SHA-256 of `data`: the payload hash of `x-amz-content-sha256`.
pub fn sha256_hex(data: &[u8]) -> String {
    hex_encode(&Sha256::digest(data))
}

// ---------------------------------------------------------------------------------------
// Byte-level string splitting
// ---------------------------------------------------------------------------------------
// `str::split_once`, `split` and `find` with char or string patterns bring in `core`'s
// generic searchers (a few KB of wasm); every separator here is one ASCII byte, so a byte
// scan does the same and both sides stay valid UTF-8.

/// `s` around its first `sep` (an ASCII byte), like `s.split_once(char::from(sep))`.
pub(crate) fn split_byte(s: &str, sep: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|b| b == sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// Like `s.split(char::from(sep))` for an ASCII `sep`: see [`parts`].
pub(crate) struct Parts<'a> {
    rest: Option<&'a str>,
    sep: u8,
}

/// The pieces of `s` between `sep` bytes (an ASCII byte), like `s.split(char::from(sep))`.
pub(crate) fn parts(s: &str, sep: u8) -> Parts<'_> {
    Parts { rest: Some(s), sep }
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let s = self.rest?;
        Some(match split_byte(s, self.sep) {
            Some((part, rest)) => {
                self.rest = Some(rest);
                part
            }
            None => {
                self.rest = None;
                s
            }
        })
    }
}

// ---------------------------------------------------------------------------------------
// Time
// ---------------------------------------------------------------------------------------

/// Appends `v` in decimal, left-padded with `0` to `width` characters.
fn push_digits(out: &mut String, v: i64, width: usize) {
    // The width of `v`'s decimal form (sign included), so the zeros go first.
    let mut len = if v < 0 { 2 } else { 1 };
    let mut n = v.unsigned_abs();
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    for _ in len..width {
        out.push('0');
    }
    push_int(out, v);
}

/// Formats unix seconds as the SigV4 timestamp `YYYYMMDDTHHMMSSZ` (e.g.
/// `20150830T123600Z`). Times outside years 0000–9999 are clamped to that range (the format
/// has a four-digit year); [`sign`] rejects them instead.
pub fn format_amz_date(unix: i64) -> String {
    let t = unix.clamp(MIN_UNIX, MAX_UNIX);
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut out = String::with_capacity(16);
    push_digits(&mut out, y, 4);
    push_digits(&mut out, m, 2);
    push_digits(&mut out, d, 2);
    out.push('T');
    push_digits(&mut out, secs / 3600, 2);
    push_digits(&mut out, secs / 60 % 60, 2);
    push_digits(&mut out, secs % 60, 2);
    out.push('Z');
    out
}

fn time_error(s: &str) -> SigningError {
    // Keep error messages short even for huge inputs; cut on a char boundary.
    let mut end = s.len().min(64);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let mut input = s.get(..end).unwrap_or_default().to_string();
    if end < s.len() {
        input.push_str("...");
    }
    SigningError::InvalidTime { input }
}

/// Cursor over ASCII digits and separators of a timestamp.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn num(&mut self, n: usize) -> Option<i64> {
        let digits = self.b.get(self.i..self.i + n)?;
        let mut v = 0i64;
        for &c in digits {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(c - b'0');
        }
        self.i += n;
        Some(v)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
}

/// Parses a UTC timestamp into unix seconds, so callers can sign at a time given as text
/// (e.g. a server `Date` for clock-skew correction).
///
/// Accepts the SigV4 basic form `20150830T123600Z` and ISO 8601 / RFC 3339 extended forms
/// `2015-08-30T12:36:00Z`, with optional fractional seconds (`.000`, truncated), `t`/space
/// separators, lower-case `z`, and offsets `+00:00`, `-0530`, `+05`. Rejects anything else,
/// impossible dates (e.g. 2015-02-29), leap seconds, and years outside 0000–9999.
pub fn parse_signing_date(s: &str) -> Result<i64, SigningError> {
    parse_date_inner(s).ok_or_else(|| time_error(s))
}

fn parse_date_inner(s: &str) -> Option<i64> {
    let mut c = Cursor {
        b: s.as_bytes(),
        i: 0,
    };
    let year = c.num(4)?;
    let extended = c.eat(b'-');
    let month = c.num(2)?;
    if extended && !c.eat(b'-') {
        return None;
    }
    let day = c.num(2)?;
    if !(c.eat(b'T') || c.eat(b't') || (extended && c.eat(b' '))) {
        return None;
    }
    let hour = c.num(2)?;
    if extended && !c.eat(b':') {
        return None;
    }
    let minute = c.num(2)?;
    if extended && !c.eat(b':') {
        return None;
    }
    let second = c.num(2)?;
    if extended && (c.peek() == Some(b'.') || c.peek() == Some(b',')) {
        c.i += 1;
        let start = c.i;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            c.i += 1;
        }
        let n = c.i - start;
        if n == 0 || n > 9 {
            return None;
        }
    }
    let offset = match c.peek()? {
        b'Z' | b'z' => {
            c.i += 1;
            0
        }
        sign @ (b'+' | b'-') if extended => {
            c.i += 1;
            let oh = c.num(2)?;
            let om = if c.i == c.b.len() {
                0
            } else {
                c.eat(b':');
                c.num(2)?
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    if c.i != c.b.len() {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let unix =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    (MIN_UNIX..=MAX_UNIX).contains(&unix).then_some(unix)
}

// ---------------------------------------------------------------------------------------
// Encoding and canonicalisation
// ---------------------------------------------------------------------------------------

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// SigV4 URI encoding: unreserved bytes kept, everything else `%XX` upper-case.
fn uri_encode_into(out: &mut String, data: &[u8], keep_slash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in data {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes bytes; a `%` not followed by two hex digits is kept literally. `+` stays
/// `+` (it is not a space in a URL query).
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hi = b.get(i + 1).copied().and_then(hex_val);
            let lo = b.get(i + 2).copied().and_then(hex_val);
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Removes `.`/`..` segments and empty segments (duplicate slashes), keeping a leading and a
/// trailing slash, as botocore and the JS SDK do for non-S3 services.
fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    let base = out.len();
    // Where each kept segment (with its separating '/') starts in `out`: `..` cuts back to it.
    let mut starts: Vec<usize> = Vec::new();
    for seg in parts(path, b'/') {
        match seg {
            "" | "." => {}
            ".." => {
                if let Some(start) = starts.pop() {
                    out.truncate(start);
                }
            }
            s => {
                starts.push(out.len());
                if out.len() > base {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    if !starts.is_empty() && path.ends_with('/') {
        out.push('/');
    }
    out
}

fn canonical_uri(path: &str, normalize: bool, escape: bool) -> String {
    let path = if path.is_empty() { "/" } else { path };
    let mut p = if normalize {
        normalize_path(path)
    } else {
        path.to_string()
    };
    if p.is_empty() {
        p.push('/');
    }
    if escape {
        let mut out = String::with_capacity(p.len() + 8);
        uri_encode_into(&mut out, p.as_bytes(), true);
        out
    } else {
        p
    }
}

fn canonical_query(query: &str) -> String {
    // Each pair is encoded as `key NUL value` into one buffer. Encoded text has no NUL, and NUL
    // sorts before every other byte, so sorting these strings sorts by key, then by value (as
    // pairs would), with the same sort as the header names.
    let mut buf = String::with_capacity(query.len() + 8);
    let mut ends: Vec<usize> = Vec::new();
    for part in parts(query, b'&').filter(|p| !p.is_empty()) {
        let (k, v) = split_byte(part, b'=').unwrap_or((part, ""));
        uri_encode_into(&mut buf, &percent_decode(k), false);
        buf.push('\0');
        uri_encode_into(&mut buf, &percent_decode(v), false);
        ends.push(buf.len());
    }
    let mut pairs: Vec<&str> = Vec::with_capacity(ends.len());
    let mut start = 0;
    for end in ends {
        pairs.push(buf.get(start..end).unwrap_or_default());
        start = end;
    }
    heap_sort(&mut pairs);
    let mut out = String::with_capacity(buf.len());
    for (i, pair) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        let (k, v) = split_byte(pair, 0).unwrap_or((pair, ""));
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Trims spaces/tabs and folds inner runs of spaces/tabs to one space (SigV4 "Trimall").
fn canonical_header_value(v: &str, out: &mut String) {
    // Copies the runs between spaces/tabs (ASCII, so the runs are whole UTF-8).
    let blank = |i: usize| matches!(v.as_bytes().get(i), Some(b' ' | b'\t'));
    let (mut i, mut first) = (0, true);
    loop {
        while blank(i) {
            i += 1;
        }
        if i >= v.len() {
            return;
        }
        let start = i;
        while i < v.len() && !blank(i) {
            i += 1;
        }
        if !first {
            out.push(' ');
        }
        first = false;
        out.push_str(v.get(start..i).unwrap_or_default());
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

fn valid_header_value(v: &str) -> bool {
    v.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

fn valid_scope_part(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The parts of a URL the signer needs.
struct ParsedUrl<'a> {
    /// Host header value: lower-cased, without userinfo and default port.
    host: String,
    path: &'a str,
    query: &'a str,
    /// The URL without its fragment.
    without_fragment: &'a str,
}

fn parse_url(url: &str) -> Result<ParsedUrl<'_>, SigningError> {
    let bad = |reason| SigningError::InvalidUrl { reason };
    if url.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err(bad("control characters are not allowed"));
    }
    let without_fragment = split_byte(url, b'#').map_or(url, |(a, _)| a);
    let sep = without_fragment
        .as_bytes()
        .windows(3)
        .position(|w| w == b"://")
        .ok_or(bad(
            "expected an absolute URL starting with http:// or https://",
        ))?;
    let scheme = without_fragment.get(..sep).unwrap_or_default();
    let rest = without_fragment.get(sep + 3..).unwrap_or_default();
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else if scheme.eq_ignore_ascii_case("http") {
        80
    } else {
        return Err(bad("scheme must be http or https"));
    };
    let auth_end = rest
        .bytes()
        .position(|b| b == b'/' || b == b'?')
        .unwrap_or(rest.len());
    let authority = rest.get(..auth_end).unwrap_or_default();
    let path_query = rest.get(auth_end..).unwrap_or_default();
    let (path, query) = split_byte(path_query, b'?').unwrap_or((path_query, ""));
    let host_port = match authority.bytes().rposition(|b| b == b'@') {
        Some(i) => authority.get(i + 1..).unwrap_or_default(),
        None => authority,
    };
    let (host, port) = if let Some(inner) = host_port.strip_prefix('[') {
        let (h, after) = split_byte(inner, b']').ok_or(bad("unterminated IPv6 host"))?;
        if h.is_empty()
            || !h
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(bad("invalid IPv6 host"));
        }
        let port = match after {
            "" => "",
            p => p
                .strip_prefix(':')
                .ok_or(bad("unexpected characters after IPv6 host"))?,
        };
        (host_port.get(..h.len() + 2).unwrap_or(host_port), port)
    } else {
        split_byte(host_port, b':').unwrap_or((host_port, ""))
    };
    if host.is_empty() {
        return Err(bad("host is empty"));
    }
    if !host.starts_with('[')
        && !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    {
        return Err(bad(
            "host must be ASCII letters, digits, '-', '.', '_' or '~' (use punycode)",
        ));
    }
    let mut host_header = host.to_ascii_lowercase();
    if !port.is_empty() {
        if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("port must be a number from 0 to 65535"));
        }
        // At most 5 digits: no overflow.
        let n = port.bytes().fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
        if n > 65_535 {
            return Err(bad("port must be a number from 0 to 65535"));
        }
        if n != default_port {
            host_header.push(':');
            push_uint(&mut host_header, u64::from(n));
        }
    }
    Ok(ParsedUrl {
        host: host_header,
        path,
        query,
        without_fragment,
    })
}

// ---------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------

/// The session token to sign with (`None`: none or empty), or why `creds` cannot sign.
fn check_credentials(creds: &Credentials) -> Result<Option<&str>, SigningError> {
    if creds.access_key_id.is_empty() {
        return Err(SigningError::MissingCredentials {
            field: "access_key_id",
        });
    }
    if creds.secret_access_key.is_empty() {
        return Err(SigningError::MissingCredentials {
            field: "secret_access_key",
        });
    }
    if !creds
        .access_key_id
        .bytes()
        .all(|b| b.is_ascii_graphic() && !matches!(b, b'/' | b',' | b'='))
    {
        return Err(SigningError::InvalidAccessKeyId);
    }
    let token = creds.session_token.as_deref().filter(|t| !t.is_empty());
    if token.is_some_and(|t| !valid_header_value(t)) {
        return Err(SigningError::InvalidHeaderValue {
            name: "x-amz-security-token".to_string(),
        });
    }
    Ok(token)
}

/// Why `region` and `service` cannot be a credential scope, if they cannot.
fn scope_error(region: &str, service: &str) -> Option<SigningError> {
    if region.is_empty() {
        Some(SigningError::MissingRegion)
    } else if !valid_scope_part(region) {
        Some(SigningError::InvalidScope { field: "region" })
    } else if service.is_empty() {
        Some(SigningError::MissingService)
    } else if !valid_scope_part(service) {
        Some(SigningError::InvalidScope { field: "service" })
    } else {
        None
    }
}

/// Unix seconds `time` must be within years 0000–9999 (the four-digit year of `x-amz-date`).
fn check_time(time: i64) -> Result<(), SigningError> {
    if (MIN_UNIX..=MAX_UNIX).contains(&time) {
        return Ok(());
    }
    let mut input = String::with_capacity(20);
    push_int(&mut input, time);
    Err(SigningError::InvalidTime { input })
}

/// The string to sign, the signature and the `authorization` value for a canonical request
/// signed at `amz_date` in the scope `<day>` + `scope_tail` (`/region/service/aws4_request`).
#[allow(clippy::too_many_arguments)]
fn finish(
    amz_date: &str,
    scope_tail: &str,
    canonical_request: &str,
    signed_headers: &str,
    creds: &Credentials,
    cache: &mut SigningKeyCache,
    region: &str,
    service: &str,
) -> (String, String, String) {
    let date = amz_date.get(..8).unwrap_or_default();
    let string_to_sign = concat(&[
        ALGORITHM,
        "\n",
        amz_date,
        "\n",
        date,
        scope_tail,
        "\n",
        &sha256_hex(canonical_request.as_bytes()),
    ]);
    let entry = cache.entry(&creds.secret_access_key, date, region, service);
    let signature = hex_encode(&entry.mac.mac(string_to_sign.as_bytes()));
    let authorization = concat(&[
        ALGORITHM,
        " Credential=",
        &creds.access_key_id,
        "/",
        date,
        scope_tail,
        ", SignedHeaders=",
        signed_headers,
        ", Signature=",
        &signature,
    ]);
    (string_to_sign, signature, authorization)
}

/// Signs `req` with SigV4 header authentication and returns the headers to send.
///
/// Adds `host` (unless given), `x-amz-date`, `x-amz-security-token` (with a session token),
/// `x-amz-content-sha256` (with `apply_checksum`, unless given) and `authorization`; any
/// incoming `authorization`, `x-amz-date` (and, with a session token,
/// `x-amz-security-token`) is replaced. A caller-given `x-amz-content-sha256` (e.g.
/// `UNSIGNED-PAYLOAD`) is used as the payload hash. Headers in [`UNSIGNABLE_HEADERS`] are
/// sent but not signed.
pub fn sign(
    req: &Request<'_>,
    creds: &Credentials,
    params: &SigningParams<'_>,
    cache: &mut SigningKeyCache,
) -> Result<Signed, SigningError> {
    sign_with_payload_hash(req, creds, params, cache, None)
}

/// [`sign`], with the lower-case hex SHA-256 of `req.body` computed by the caller (e.g. by a
/// faster host hash for large bodies). `None` hashes `req.body` here. The caller must pass the
/// true hash of `req.body`: it is not checked.
pub fn sign_with_payload_hash(
    req: &Request<'_>,
    creds: &Credentials,
    params: &SigningParams<'_>,
    cache: &mut SigningKeyCache,
    body_hash: Option<String>,
) -> Result<Signed, SigningError> {
    // Credentials, scope and time.
    let token = check_credentials(creds)?;
    if let Some(e) = scope_error(params.region, params.service) {
        return Err(e);
    }
    check_time(params.time)?;
    if !is_token(req.method) {
        return Err(SigningError::InvalidMethod);
    }
    let url = parse_url(req.url)?;
    let amz_date = format_amz_date(params.time);

    // Output headers: caller's (minus replaced ones), then ours.
    let mut headers: Vec<(String, String)> = Vec::with_capacity(req.headers.len() + 5);
    let mut has_host = false;
    let mut given_payload_hash: Option<String> = None;
    for (name, value) in req.headers {
        if !is_token(name) {
            return Err(SigningError::InvalidHeaderName { name: name.clone() });
        }
        if !valid_header_value(value) {
            return Err(SigningError::InvalidHeaderValue { name: name.clone() });
        }
        let lname = name.to_ascii_lowercase();
        match lname.as_str() {
            "authorization" | "x-amz-date" => continue,
            "x-amz-security-token" if token.is_some() => continue,
            "host" => has_host = true,
            "x-amz-content-sha256" if given_payload_hash.is_none() => {
                let mut v = String::new();
                canonical_header_value(value, &mut v);
                given_payload_hash = Some(v);
            }
            _ => {}
        }
        headers.push((lname, value.clone()));
    }
    if !has_host {
        headers.push(("host".to_string(), url.host.clone()));
    }
    headers.push(("x-amz-date".to_string(), amz_date.clone()));
    if let Some(t) = token {
        headers.push(("x-amz-security-token".to_string(), t.to_string()));
    }
    let payload_hash = match given_payload_hash {
        Some(h) => h,
        None => {
            let h = body_hash.unwrap_or_else(|| sha256_hex(req.body));
            if params.apply_checksum {
                headers.push(("x-amz-content-sha256".to_string(), h.clone()));
            }
            h
        }
    };

    // Canonical headers: signable names, sorted; repeated names joined with ',' in order.
    let mut names: Vec<&str> = headers
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| !UNSIGNABLE_HEADERS.contains(n))
        .collect();
    heap_sort(&mut names);
    names.dedup();
    let mut canonical_headers = String::with_capacity(256);
    let mut signed_headers = String::with_capacity(128);
    for name in &names {
        if !signed_headers.is_empty() {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        let mut first = true;
        for (_, v) in headers.iter().filter(|(n, _)| n == name) {
            if !first {
                canonical_headers.push(',');
            }
            first = false;
            canonical_header_value(v, &mut canonical_headers);
        }
        canonical_headers.push('\n');
    }

    let canonical_request = concat(&[
        req.method,
        "\n",
        &canonical_uri(url.path, params.normalize_path, params.uri_escape_path),
        "\n",
        &canonical_query(url.query),
        "\n",
        &canonical_headers,
        "\n",
        &signed_headers,
        "\n",
        &payload_hash,
    ]);
    let scope_tail = concat(&["/", params.region, "/", params.service, "/aws4_request"]);
    let (string_to_sign, signature, authorization) = finish(
        &amz_date,
        &scope_tail,
        &canonical_request,
        &signed_headers,
        creds,
        cache,
        params.region,
        params.service,
    );
    headers.push(("authorization".to_string(), authorization));

    Ok(Signed {
        method: req.method.to_string(),
        url: url.without_fragment.to_string(),
        headers,
        canonical_request,
        string_to_sign,
        signature,
    })
}

/// Signs the requests of one client: `POST` of a JSON body to one URL, with `content-type`,
/// optionally `amz-sdk-request`, `x-amz-date` and (with a session token) `x-amz-security-token`.
///
/// Everything about the URL and the scope is checked and canonicalized once, in [`FixedSigner::new`];
/// each [`FixedSigner::sign`] then writes the canonical request directly. The result is the same,
/// header for header, as [`sign_with_payload_hash`] on that request with `apply_checksum` off and
/// the path escaped and normalized (a property test checks this), and so are the errors, in the
/// same order.
#[derive(Debug, Clone)]
pub struct FixedSigner {
    /// The URL without its fragment.
    url: String,
    /// `POST\n<canonical URI>\n<canonical query>\n`.
    prefix: String,
    /// `host:<host>\n`.
    host_line: String,
    /// `/<region>/<service>/aws4_request`.
    scope_tail: String,
    region: String,
    service: String,
    /// A region or service error, reported after the credential checks (as `sign` does).
    scope_error: Option<SigningError>,
    /// A URL error, reported after the time check (as `sign` does).
    url_error: Option<SigningError>,
}

/// What [`FixedSigner::sign`] adds to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedSigned {
    /// The `x-amz-date` header value.
    pub amz_date: String,
    /// The `authorization` header value.
    pub authorization: String,
}

impl FixedSigner {
    /// A signer for `url` in `region` for `service`. Never fails: what is wrong with the URL or
    /// the scope is reported by each [`FixedSigner::sign`], in the order [`sign`] reports it.
    pub fn new(url: &str, region: &str, service: &str) -> Self {
        let scope_error = scope_error(region, service);
        let (url, prefix, host_line, url_error) = match parse_url(url) {
            Ok(u) => {
                let mut host_line = String::with_capacity(u.host.len() + 6);
                host_line.push_str("host:");
                canonical_header_value(&u.host, &mut host_line);
                host_line.push('\n');
                let prefix = concat(&[
                    "POST\n",
                    &canonical_uri(u.path, true, true),
                    "\n",
                    &canonical_query(u.query),
                    "\n",
                ]);
                (u.without_fragment.to_string(), prefix, host_line, None)
            }
            Err(e) => (String::new(), String::new(), String::new(), Some(e)),
        };
        FixedSigner {
            url,
            prefix,
            host_line,
            scope_tail: concat(&["/", region, "/", service, "/aws4_request"]),
            region: region.to_string(),
            service: service.to_string(),
            scope_error,
            url_error,
        }
    }

    /// The URL requests go to (without any fragment); empty when the URL is invalid.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Signs one request at unix seconds `time` whose body has the lower-case hex SHA-256
    /// `payload_hash` (not checked), with `sdk_request` as the `amz-sdk-request` value if given.
    pub fn sign(
        &self,
        creds: &Credentials,
        time: i64,
        sdk_request: Option<&str>,
        payload_hash: &str,
        cache: &mut SigningKeyCache,
    ) -> Result<FixedSigned, SigningError> {
        let token = check_credentials(creds)?;
        if let Some(e) = &self.scope_error {
            return Err(e.clone());
        }
        check_time(time)?;
        if let Some(e) = &self.url_error {
            return Err(e.clone());
        }
        if sdk_request.is_some_and(|v| !valid_header_value(v)) {
            return Err(SigningError::InvalidHeaderValue {
                name: "amz-sdk-request".to_string(),
            });
        }
        let amz_date = format_amz_date(time);
        let signed_headers = match (sdk_request.is_some(), token.is_some()) {
            (false, false) => "content-type;host;x-amz-date",
            (false, true) => "content-type;host;x-amz-date;x-amz-security-token",
            (true, false) => "amz-sdk-request;content-type;host;x-amz-date",
            (true, true) => "amz-sdk-request;content-type;host;x-amz-date;x-amz-security-token",
        };
        // The canonical request: headers in sorted order (amz-sdk-request < content-type < host <
        // x-amz-date < x-amz-security-token).
        let mut cr = String::with_capacity(
            self.prefix.len() + self.host_line.len() + token.map_or(0, str::len) + 320,
        );
        cr.push_str(&self.prefix);
        if let Some(v) = sdk_request {
            cr.push_str("amz-sdk-request:");
            canonical_header_value(v, &mut cr);
            cr.push('\n');
        }
        cr.push_str("content-type:application/json\n");
        cr.push_str(&self.host_line);
        cr.push_str("x-amz-date:");
        cr.push_str(&amz_date);
        cr.push('\n');
        if let Some(t) = token {
            cr.push_str("x-amz-security-token:");
            canonical_header_value(t, &mut cr);
            cr.push('\n');
        }
        cr.push('\n');
        cr.push_str(signed_headers);
        cr.push('\n');
        cr.push_str(payload_hash);
        let (_, _, authorization) = finish(
            &amz_date,
            &self.scope_tail,
            &cr,
            signed_headers,
            creds,
            cache,
            &self.region,
            &self.service,
        );
        Ok(FixedSigned {
            amz_date,
            authorization,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "SESSIONTOKEN-very-secret-value";
    const T: i64 = 1_440_938_160; // 2015-08-30T12:36:00Z

    fn creds(token: Option<&str>) -> Credentials {
        Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SECRET.into(),
            session_token: token.map(str::to_string),
        }
    }

    fn sign_simple(
        url: &str,
        headers: &[(String, String)],
        token: Option<&str>,
    ) -> Result<Signed, SigningError> {
        let req = Request {
            method: "POST",
            url,
            headers,
            body: b"{}",
        };
        sign(
            &req,
            &creds(token),
            &SigningParams::new("us-east-1", "connect", T),
            &mut SigningKeyCache::new(),
        )
    }

    fn header<'a>(s: &'a Signed, name: &str) -> Vec<&'a str> {
        s.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn h(n: &str, v: &str) -> (String, String) {
        (n.to_string(), v.to_string())
    }

    #[test]
    fn suite_get_vanilla() {
        let req = Request {
            method: "GET",
            url: "https://example.amazonaws.com/",
            headers: &[],
            body: b"",
        };
        let mut p = SigningParams::new("us-east-1", "service", T);
        p.apply_checksum = false;
        let s = sign(&req, &creds(None), &p, &mut SigningKeyCache::new()).unwrap();
        assert_eq!(
            s.signature,
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert_eq!(
            header(&s, "authorization"),
            ["AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"]
        );
        let names: Vec<&str> = s.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["host", "x-amz-date", "authorization"]);
    }

    #[test]
    fn signing_key_matches_aws_documentation_example() {
        // From the AWS "Examples of how to derive a signing key" page.
        let k = derive_signing_key(SECRET, "20120215", "us-east-1", "iam");
        assert_eq!(
            hex_encode(&k),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn hmac_matches_rfc4231_case_6_long_key() {
        let key = [0xaau8; 131];
        let mac = hmac_sha256(
            &key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            hex_encode(&mac),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn cache_hit_gives_same_key_and_result() {
        let mut cache = SigningKeyCache::new();
        let req = Request {
            method: "POST",
            url: "https://connect.us-east-1.amazonaws.com/x",
            headers: &[],
            body: b"{}",
        };
        let p = SigningParams::new("us-east-1", "connect", T);
        let a = sign(&req, &creds(None), &p, &mut cache).unwrap();
        let b = sign(&req, &creds(None), &p, &mut cache).unwrap();
        assert_eq!(a, b);
        assert_eq!((cache.len(), cache.hits(), cache.misses()), (1, 1, 1));
        // Same day, different time: still a hit, and matches a cold cache.
        let p2 = SigningParams::new("us-east-1", "connect", T + 3600);
        let warm = sign(&req, &creds(None), &p2, &mut cache).unwrap();
        let cold = sign(&req, &creds(None), &p2, &mut SigningKeyCache::new()).unwrap();
        assert_eq!(warm, cold);
        assert_eq!(cache.hits(), 2);
    }

    #[test]
    fn cache_is_bounded_and_keeps_recent() {
        let mut cache = SigningKeyCache::new();
        for day in 0..20 {
            let date = format!("201508{:02}", day + 1);
            cache.get_or_derive(SECRET, &date, "us-east-1", "connect");
        }
        assert_eq!(cache.len(), CACHE_CAPACITY);
        let misses = cache.misses();
        cache.get_or_derive(SECRET, "20150820", "us-east-1", "connect");
        assert_eq!(
            cache.misses(),
            misses,
            "most recent entry must still be cached"
        );
        cache.get_or_derive(SECRET, "20150801", "us-east-1", "connect");
        assert_eq!(
            cache.misses(),
            misses + 1,
            "oldest entry must have been evicted"
        );
        assert_eq!(cache.len(), CACHE_CAPACITY);
    }

    #[test]
    fn cache_keys_on_secret_day_region_service() {
        let mut cache = SigningKeyCache::new();
        let base = cache.get_or_derive(SECRET, "20150830", "us-east-1", "connect");
        let others = [
            cache.get_or_derive("other-secret", "20150830", "us-east-1", "connect"),
            cache.get_or_derive(SECRET, "20150831", "us-east-1", "connect"),
            cache.get_or_derive(SECRET, "20150830", "eu-west-2", "connect"),
            cache.get_or_derive(SECRET, "20150830", "us-east-1", "sts"),
        ];
        for k in others {
            assert_ne!(k, base);
        }
        assert_eq!(cache.len(), 5);
        assert_eq!(
            cache.get_or_derive(SECRET, "20150830", "us-east-1", "connect"),
            base
        );
        assert_eq!(
            base,
            derive_signing_key(SECRET, "20150830", "us-east-1", "connect")
        );
    }

    #[test]
    fn format_dates() {
        assert_eq!(format_amz_date(T), "20150830T123600Z");
        assert_eq!(format_amz_date(0), "19700101T000000Z");
        assert_eq!(format_amz_date(-1), "19691231T235959Z");
        assert_eq!(format_amz_date(951_782_400), "20000229T000000Z");
        assert_eq!(format_amz_date(1_709_164_799), "20240228T235959Z");
        assert_eq!(format_amz_date(1_709_164_800), "20240229T000000Z");
        assert_eq!(format_amz_date(4_107_542_399), "21000228T235959Z");
        assert_eq!(format_amz_date(4_107_542_400), "21000301T000000Z"); // 2100 is not leap
        assert_eq!(format_amz_date(MAX_UNIX), "99991231T235959Z");
        assert_eq!(format_amz_date(MIN_UNIX), "00000101T000000Z");
        assert_eq!(format_amz_date(i64::MAX), "99991231T235959Z");
        assert_eq!(format_amz_date(i64::MIN), "00000101T000000Z");
    }

    #[test]
    fn push_digits_pads_like_the_display_version() {
        fn old(v: i64, width: usize) -> String {
            let s = v.to_string();
            let mut out = "0".repeat(width.saturating_sub(s.len()));
            out.push_str(&s);
            out
        }
        for v in [
            0, 1, 9, 10, 59, 99, 100, 999, 1000, 9999, 10_000, 123_456, -1, -5, -100,
        ] {
            for width in [0, 1, 2, 4, 6] {
                let mut out = String::from("x");
                push_digits(&mut out, v, width);
                assert_eq!(out, format!("x{}", old(v, width)), "{v} {width}");
            }
        }
        for v in [i64::MIN, i64::MAX] {
            let mut out = String::new();
            push_digits(&mut out, v, 4);
            assert_eq!(out, v.to_string());
        }
    }

    #[test]
    fn parse_and_format_round_trip() {
        let mut t = MIN_UNIX;
        while t < MAX_UNIX {
            assert_eq!(parse_signing_date(&format_amz_date(t)), Ok(t), "{t}");
            t += 86_400 * 37 + 3_601;
        }
    }

    #[test]
    fn parse_accepted_forms() {
        for s in [
            "20150830T123600Z",
            "2015-08-30T12:36:00Z",
            "2015-08-30T12:36:00.000Z",
            "2015-08-30T12:36:00.999999999Z",
            "2015-08-30t12:36:00z",
            "2015-08-30 12:36:00Z",
            "2015-08-30T12:36:00+00:00",
            "2015-08-30T14:36:00+02:00",
            "2015-08-30T07:06:00-0530",
            "2015-08-30T13:36:00+01",
            "2015-08-30T12:36:00.5-00:00",
        ] {
            assert_eq!(parse_signing_date(s), Ok(T), "{s}");
        }
        assert_eq!(parse_signing_date("2000-02-29T00:00:00Z"), Ok(951_782_400));
        assert_eq!(parse_signing_date("1969-12-31T23:59:59Z"), Ok(-1));
    }

    #[test]
    fn parse_rejects_bad_inputs() {
        for s in [
            "",
            "2015",
            "2015-08-30",
            "20150830T123600",
            "2015-08-30T12:36:00",
            "2015-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2015-13-01T00:00:00Z",
            "2015-00-01T00:00:00Z",
            "2015-04-31T00:00:00Z",
            "2015-08-30T24:00:00Z",
            "2015-08-30T12:60:00Z",
            "2015-08-30T12:36:60Z",
            "2015-08-30T12:36:00.Z",
            "2015-08-30T12:36:00.0000000000Z",
            "2015-08-30T12:36:00+24:00",
            "2015-08-30T12:36:00ZZ",
            " 2015-08-30T12:36:00Z",
            "2015-08-30T12:36:00Z ",
            "20150830T123600+0000",
            "2015-0830T12:36:00Z",
            "२०१५-08-30T12:36:00Z",
            "0000-01-01T00:00:00+00:01",
            "9999-12-31T23:59:59-00:01",
            "Sun, 30 Aug 2015 12:36:00 GMT",
        ] {
            assert!(
                matches!(parse_signing_date(s), Err(SigningError::InvalidTime { .. })),
                "{s:?} accepted"
            );
        }
        let long = "x".repeat(1000);
        match parse_signing_date(&long) {
            Err(SigningError::InvalidTime { input }) => assert!(input.len() < 80),
            other => panic!("{other:?}"),
        }
        // Cutting a long non-ASCII input must respect char boundaries.
        assert!(parse_signing_date(&"é".repeat(100)).is_err());
    }

    #[test]
    fn session_token_header_is_added_signed_and_replaces_incoming() {
        let incoming = [
            h("X-Amz-Security-Token", "old"),
            h("X-Amz-Date", "19990101T000000Z"),
            h("Authorization", "x"),
        ];
        let s = sign_simple(
            "https://connect.us-east-1.amazonaws.com/",
            &incoming,
            Some(TOKEN),
        )
        .unwrap();
        assert_eq!(header(&s, "x-amz-security-token"), [TOKEN]);
        assert_eq!(header(&s, "x-amz-date"), ["20150830T123600Z"]);
        assert_eq!(header(&s, "authorization").len(), 1);
        assert!(s
            .canonical_request
            .contains(&format!("x-amz-security-token:{TOKEN}\n")));
        assert!(header(&s, "authorization")[0]
            .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"));
        // Without a token, an incoming token header is passed through and signed; an empty token is no token.
        let s = sign_simple("https://h.example/", &incoming, Some("")).unwrap();
        assert_eq!(header(&s, "x-amz-security-token"), ["old"]);
    }

    #[test]
    fn host_header_rules() {
        let cases = [
            ("https://Example.COM/", "example.com"),
            ("https://example.com:443/", "example.com"),
            ("http://example.com:80/", "example.com"),
            ("https://example.com:80/", "example.com:80"),
            ("http://example.com:8080", "example.com:8080"),
            ("https://user:pw@example.com:8443/x?y#z", "example.com:8443"),
            ("https://[::1]:8443/", "[::1]:8443"),
            ("https://[::1]/", "[::1]"),
        ];
        for (url, host) in cases {
            let s = sign_simple(url, &[], None).unwrap();
            assert_eq!(header(&s, "host"), [host], "{url}");
        }
        let s = sign_simple(
            "https://example.com/a#frag",
            &[h("Host", "given.example")],
            None,
        )
        .unwrap();
        assert_eq!(header(&s, "host"), ["given.example"]);
        assert_eq!(s.url, "https://example.com/a");
    }

    #[test]
    fn checksum_header_and_given_payload_hash() {
        let s = sign_simple("https://h.example/", &[], None).unwrap();
        assert_eq!(header(&s, "x-amz-content-sha256"), [sha256_hex(b"{}")]);
        assert!(s.canonical_request.ends_with(&sha256_hex(b"{}")));
        let s = sign_simple(
            "https://h.example/",
            &[h("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")],
            None,
        )
        .unwrap();
        assert_eq!(header(&s, "x-amz-content-sha256"), ["UNSIGNED-PAYLOAD"]);
        assert!(s.canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
    }

    #[test]
    fn unsignable_headers_pass_through_unsigned() {
        let hs = [
            h("User-Agent", "ua"),
            h("X-Amzn-Trace-Id", "t"),
            h("Content-Type", "application/json"),
        ];
        let s = sign_simple("https://h.example/", &hs, None).unwrap();
        assert_eq!(header(&s, "user-agent"), ["ua"]);
        assert!(!s.canonical_request.contains("user-agent"));
        assert!(!s.canonical_request.contains("x-amzn-trace-id"));
        assert!(s
            .canonical_request
            .contains("\ncontent-type;host;x-amz-content-sha256;x-amz-date\n"));
    }

    #[test]
    fn canonical_query_and_path() {
        assert_eq!(canonical_query("b=2&a=1&a=0&c"), "a=0&a=1&b=2&c=");
        assert_eq!(
            canonical_query("a+b=c d&%7e=%zz&x=%2f"),
            "a%2Bb=c%20d&x=%2F&~=%25zz"
        );
        assert_eq!(canonical_query("&&a=1&"), "a=1");
        assert_eq!(canonical_query("k=a=b"), "k=a%3Db");
        assert_eq!(canonical_uri("", true, true), "/");
        assert_eq!(canonical_uri("/a/./b/../c//d/", true, true), "/a/c/d/");
        assert_eq!(canonical_uri("/../..", true, true), "/");
        assert_eq!(canonical_uri("/a%2Fb/é", true, true), "/a%252Fb/%C3%A9");
        assert_eq!(canonical_uri("/a//b/../", false, true), "/a//b/../");
        assert_eq!(canonical_uri("/a b//c", false, false), "/a b//c");
        let mut v = String::new();
        canonical_header_value(" \t a \t\t b  c \t", &mut v);
        assert_eq!(v, "a b c");
    }

    #[test]
    fn rejects_invalid_inputs_with_clear_errors() {
        let url = "https://h.example/";
        let err = |r: Result<Signed, SigningError>| r.unwrap_err();
        assert!(matches!(
            err(sign_simple("ftp://h/", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("h.example/x", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("https:///x", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("https://h:99999/", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("https://h:x/", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("https://h\n/", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("https://[::1/", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple("https://hé.example/", &[], None)),
            SigningError::InvalidUrl { .. }
        ));
        assert!(matches!(
            err(sign_simple(url, &[h("bad name", "v")], None)),
            SigningError::InvalidHeaderName { .. }
        ));
        assert!(matches!(
            err(sign_simple(url, &[h("", "v")], None)),
            SigningError::InvalidHeaderName { .. }
        ));
        assert!(matches!(
            err(sign_simple(url, &[h("x", "a\r\nb: c")], None)),
            SigningError::InvalidHeaderValue { .. }
        ));
        assert!(matches!(
            err(sign_simple(url, &[h("x", "a\0")], None)),
            SigningError::InvalidHeaderValue { .. }
        ));
        assert!(matches!(
            err(sign_simple(url, &[], Some("tok\nen"))),
            SigningError::InvalidHeaderValue { .. }
        ));
        let req = Request {
            method: "GE T",
            url,
            headers: &[],
            body: b"",
        };
        let p = SigningParams::new("us-east-1", "connect", T);
        let mut cache = SigningKeyCache::new();
        assert_eq!(
            sign(&req, &creds(None), &p, &mut cache),
            Err(SigningError::InvalidMethod)
        );
        let req = Request {
            method: "GET",
            ..req
        };
        let mut c = creds(None);
        c.access_key_id.clear();
        assert_eq!(
            sign(&req, &c, &p, &mut cache),
            Err(SigningError::MissingCredentials {
                field: "access_key_id"
            })
        );
        let mut c = creds(None);
        c.secret_access_key.clear();
        assert_eq!(
            sign(&req, &c, &p, &mut cache),
            Err(SigningError::MissingCredentials {
                field: "secret_access_key"
            })
        );
        let mut c = creds(None);
        c.access_key_id = "AKID/x".into();
        assert_eq!(
            sign(&req, &c, &p, &mut cache),
            Err(SigningError::InvalidAccessKeyId)
        );
        let bad = |region, service, time| {
            sign(
                &req,
                &creds(None),
                &SigningParams::new(region, service, time),
                &mut SigningKeyCache::new(),
            )
        };
        assert_eq!(bad("", "connect", T), Err(SigningError::MissingRegion));
        assert_eq!(bad("us-east-1", "", T), Err(SigningError::MissingService));
        assert_eq!(
            bad("us east", "connect", T),
            Err(SigningError::InvalidScope { field: "region" })
        );
        assert_eq!(
            bad("us-east-1", "con/nect", T),
            Err(SigningError::InvalidScope { field: "service" })
        );
        assert!(matches!(
            bad("us-east-1", "connect", MAX_UNIX + 1),
            Err(SigningError::InvalidTime { .. })
        ));
        assert!(matches!(
            bad("us-east-1", "connect", i64::MIN),
            Err(SigningError::InvalidTime { .. })
        ));
    }

    #[test]
    fn secrets_never_leak() {
        let c = creds(Some(TOKEN));
        let dbg = format!("{c:?}");
        assert!(
            !dbg.contains(SECRET) && !dbg.contains(TOKEN) && dbg.contains("AKIDEXAMPLE"),
            "{dbg}"
        );
        let mut cache = SigningKeyCache::new();
        let req = Request {
            method: "POST",
            url: "https://h.example/p?q=1",
            headers: &[],
            body: b"{}",
        };
        let p = SigningParams::new("us-east-1", "connect", T);
        let s = sign(&req, &c, &p, &mut cache).unwrap();
        let key_hex = hex_encode(&derive_signing_key(
            SECRET,
            "20150830",
            "us-east-1",
            "connect",
        ));
        let dbg_cache = format!("{cache:?}");
        assert!(
            !dbg_cache.contains(&key_hex) && !dbg_cache.contains(SECRET),
            "{dbg_cache}"
        );
        let secret_hash = sha256_hex(SECRET.as_bytes());
        for text in [
            &s.method,
            &s.url,
            &s.canonical_request,
            &s.string_to_sign,
            &s.signature,
            &format!("{s:?}"),
        ] {
            assert!(
                !text.contains(SECRET) && !text.contains(&key_hex) && !text.contains(&secret_hash)
            );
        }
        for (n, v) in &s.headers {
            assert!(!v.contains(SECRET) && !v.contains(&key_hex), "{n}");
        }
        // Errors never carry the secret or token, even when they are what is wrong.
        let mut bad = c.clone();
        bad.session_token = Some(format!("{TOKEN}\r\n"));
        let e = sign(&req, &bad, &p, &mut cache).unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains(TOKEN) && !shown.contains(SECRET), "{shown}");
        for e in [
            SigningError::MissingCredentials {
                field: "secret_access_key",
            },
            SigningError::InvalidAccessKeyId,
            SigningError::InvalidHeaderValue { name: "x".into() },
        ] {
            assert!(!e.to_string().contains(SECRET));
        }
    }
}

#[cfg(test)]
mod heap_sort_tests {
    #[test]
    fn heap_sort_matches_std_sort() {
        let mut x: u32 = 7;
        for n in 0..60 {
            let mut v: Vec<(String, String)> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    (format!("k{}", x % 7), format!("v{}", x % 5))
                })
                .collect();
            let mut want = v.clone();
            want.sort();
            super::heap_sort(&mut v);
            assert_eq!(v, want);
        }
    }
}

#[cfg(test)]
mod split_tests {
    use super::{parts, split_byte};

    #[test]
    fn byte_splitting_matches_std() {
        let cases = [
            "", "a", "/", "//", "a/b", "/a/b/", "a//b", "é/ü/", "/./../x", "a=b=c", "&&a&", "k=",
        ];
        for s in cases {
            for sep in [b'/', b'=', b'&'] {
                let c = char::from(sep);
                assert_eq!(split_byte(s, sep), s.split_once(c), "{s:?} {c}");
                assert_eq!(
                    parts(s, sep).collect::<Vec<_>>(),
                    s.split(c).collect::<Vec<_>>(),
                    "{s:?} {c}"
                );
            }
        }
    }
}
