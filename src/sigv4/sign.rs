//! Signing a request: the checks of credentials, scope, time and request, the headers to send,
//! the string to sign, the signature and the `authorization` value.

use super::canonical::{canonical_header_value, canonical_headers, canonical_query, canonical_uri};
use super::date::check_time;
use super::url::parse_url;
use super::{
    format_amz_date, sha256_hex, Credentials, Request, Signed, SigningError, SigningKeyCache,
    SigningParams, ALGORITHM,
};

/// An HTTP token character (RFC 9110 `tchar`): what method and header names are made of.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `s` is a non-empty HTTP token.
fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// Whether `v` can be sent as a header value: no control character but tab.
pub(super) fn valid_header_value(v: &str) -> bool {
    v.bytes().all(|b| b == b'\t' || !b.is_ascii_control())
}

/// Whether `s` can be a region or service in a credential scope.
fn valid_scope_part(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The session token to sign with (`None`: none or empty), or why `creds` cannot sign.
pub(super) fn check_credentials(creds: &Credentials) -> Result<Option<&str>, SigningError> {
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
pub(super) fn scope_error(region: &str, service: &str) -> Option<SigningError> {
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

/// The last step of signing: what a canonical request gives.
pub(super) struct Signature {
    /// The SigV4 string to sign.
    pub(super) string_to_sign: String,
    /// The lower-case hex signature.
    pub(super) signature: String,
    /// The `authorization` header value.
    pub(super) authorization: String,
}

/// Signs `canonical_request` (whose `SignedHeaders` are `signed_headers`) at `amz_date` in the
/// scope `<day>/<region>/<service>/aws4_request`.
pub(super) fn sign_canonical_request(
    canonical_request: &str,
    signed_headers: &str,
    amz_date: &str,
    region: &str,
    service: &str,
    creds: &Credentials,
    cache: &mut SigningKeyCache,
) -> Signature {
    let day = amz_date.get(..8).unwrap_or_default();
    let scope = [day, "/", region, "/", service, "/aws4_request"].concat();
    // `join` and `concat` size their result exactly: one allocation each.
    let hash = sha256_hex(canonical_request.as_bytes());
    let string_to_sign = [ALGORITHM, amz_date, &scope, &hash].join("\n");
    let signature = cache.signature(
        &creds.secret_access_key,
        day,
        region,
        service,
        &string_to_sign,
    );
    let authorization = [
        ALGORITHM,
        " Credential=",
        &creds.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        signed_headers,
        ", Signature=",
        &signature,
    ]
    .concat();
    Signature {
        string_to_sign,
        signature,
        authorization,
    }
}

/// Signs `req` with SigV4 header authentication and returns the headers to send.
///
/// Adds `host` (unless given), `x-amz-date`, `x-amz-security-token` (with a session token),
/// `x-amz-content-sha256` (with `apply_checksum`, unless given) and `authorization`; any
/// incoming `authorization`, `x-amz-date` (and, with a session token,
/// `x-amz-security-token`) is replaced. A caller-given `x-amz-content-sha256` (e.g.
/// `UNSIGNED-PAYLOAD`) is used as the payload hash. Headers in
/// [`UNSIGNABLE_HEADERS`](super::UNSIGNABLE_HEADERS) are sent but not signed, unless
/// [`SigningParams::signed_headers`] names the headers to sign.
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
    // Credentials, scope, time, method and URL, in this order (FixedSigner keeps it).
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

    // Headers to send: the caller's (minus those replaced), then ours.
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
        let name = name.to_ascii_lowercase();
        match name.as_str() {
            "authorization" | "x-amz-date" => continue,
            "x-amz-security-token" if token.is_some() => continue,
            "host" => has_host = true,
            "x-amz-content-sha256" if given_payload_hash.is_none() => {
                let mut hash = String::new();
                canonical_header_value(value, &mut hash);
                given_payload_hash = Some(hash);
            }
            _ => {}
        }
        headers.push((name, value.clone()));
    }
    if !has_host {
        headers.push(("host".to_string(), url.host.clone()));
    }
    headers.push(("x-amz-date".to_string(), amz_date.clone()));
    if let Some(t) = token {
        headers.push(("x-amz-security-token".to_string(), t.to_string()));
    }
    let payload_hash = match given_payload_hash {
        Some(hash) => hash,
        None => {
            let hash = body_hash.unwrap_or_else(|| sha256_hex(req.body));
            if params.apply_checksum {
                headers.push(("x-amz-content-sha256".to_string(), hash.clone()));
            }
            hash
        }
    };

    let canonical = canonical_headers(&headers, params.signed_headers)?;
    let canonical_request = [
        req.method,
        &canonical_uri(url.path, params.normalize_path, params.uri_escape_path),
        &canonical_query(url.query),
        &canonical.lines,
        &canonical.signed,
        &payload_hash,
    ]
    .join("\n");
    let signature = sign_canonical_request(
        &canonical_request,
        &canonical.signed,
        &amz_date,
        params.region,
        params.service,
        creds,
        cache,
    );
    headers.push(("authorization".to_string(), signature.authorization));

    Ok(Signed {
        method: req.method.to_string(),
        url: url.without_fragment.to_string(),
        headers,
        canonical_request,
        string_to_sign: signature.string_to_sign,
        signature: signature.signature,
    })
}
