//! Why a request could not be signed.

use std::fmt::Write as _;

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
    /// A header named in [`SigningParams::signed_headers`](super::SigningParams::signed_headers)
    /// is not in the request.
    MissingSignedHeader {
        /// The name as given in the list.
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

/// `s` in double quotes, with `"`, `\` and ASCII control characters escaped as Rust's `{:?}`
/// escapes them (`\n`, `\0`, `\u{1}`) and everything else as it is. Written out because the
/// browser build compiles `{:?}` to nothing (`-Zfmt-debug=none`, scripts/build.sh).
struct Quoted<'a>(&'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            if c == '"' || c == '\\' || c.is_ascii_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                f.write_char(c)?;
            }
        }
        f.write_char('"')
    }
}

/// The rule a method or header name breaks.
const TOKEN_RULE: &str = "must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)";

impl SigningError {
    /// The variant's name, a stable identifier for programs (the JS error's `variant`).
    pub fn variant(&self) -> &'static str {
        match self {
            Self::InvalidUrl { .. } => "InvalidUrl",
            Self::InvalidMethod => "InvalidMethod",
            Self::InvalidHeaderName { .. } => "InvalidHeaderName",
            Self::InvalidHeaderValue { .. } => "InvalidHeaderValue",
            Self::MissingSignedHeader { .. } => "MissingSignedHeader",
            Self::InvalidTime { .. } => "InvalidTime",
            Self::MissingRegion => "MissingRegion",
            Self::MissingService => "MissingService",
            Self::InvalidScope { .. } => "InvalidScope",
            Self::MissingCredentials { .. } => "MissingCredentials",
            Self::InvalidAccessKeyId => "InvalidAccessKeyId",
        }
    }

    /// The human-readable message (the JS error's `message`); the same as `to_string()`.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for SigningError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::InvalidUrl { reason } => write!(f, "invalid URL: {reason}"),
            Self::InvalidMethod => write!(f, "invalid HTTP method: {TOKEN_RULE}"),
            Self::InvalidHeaderName { name } => {
                write!(f, "invalid header name {}: {TOKEN_RULE}", Quoted(name))
            }
            Self::InvalidHeaderValue { name } => write!(
                f,
                "invalid value for header {}: control characters other than tab \
                 (CR, LF, NUL, ...) are not allowed",
                Quoted(name)
            ),
            Self::MissingSignedHeader { name } => write!(
                f,
                "signed header {} is not in the request: every name in signed_headers \
                 must be a header of the request",
                Quoted(name)
            ),
            Self::InvalidTime { input } => write!(
                f,
                "invalid signing time {}: expected an ISO 8601 UTC time such as \
                 20150830T123600Z or 2015-08-30T12:36:00Z, in years 0000-9999",
                Quoted(input)
            ),
            Self::MissingRegion => f.write_str("missing signing region: it must be non-empty"),
            Self::MissingService => {
                f.write_str("missing signing service name: it must be non-empty")
            }
            Self::InvalidScope { field } => write!(
                f,
                "invalid signing {field}: only letters, digits, '-', '_' and '.' are allowed"
            ),
            Self::MissingCredentials { field } => {
                write!(f, "missing credentials: {field} must be non-empty")
            }
            Self::InvalidAccessKeyId => f.write_str(
                "invalid access_key_id: only visible ASCII without '/', ',' and '=' is allowed",
            ),
        }
    }
}

impl std::error::Error for SigningError {}
