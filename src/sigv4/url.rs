//! The parts of a request URL the signer needs: the `host` header value, the path and the
//! query, exactly as written (no decoding: that is the canonicalization's job).

use super::SigningError;

/// The parts of a URL the signer needs.
pub(super) struct ParsedUrl<'a> {
    /// Host header value: lower-cased, without userinfo and default port.
    pub(super) host: String,
    /// The path as written (may be empty).
    pub(super) path: &'a str,
    /// The query without its `?` (may be empty).
    pub(super) query: &'a str,
    /// The URL without its fragment.
    pub(super) without_fragment: &'a str,
}

/// Splits an absolute `http`/`https` URL, or says which rule it breaks.
pub(super) fn parse_url(url: &str) -> Result<ParsedUrl<'_>, SigningError> {
    let bad = |reason| SigningError::InvalidUrl { reason };
    if url.bytes().any(|b| b.is_ascii_control()) {
        return Err(bad("control characters are not allowed"));
    }
    let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
    let (scheme, rest) = without_fragment.split_once("://").ok_or(bad(
        "expected an absolute URL starting with http:// or https://",
    ))?;
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else if scheme.eq_ignore_ascii_case("http") {
        80
    } else {
        return Err(bad("scheme must be http or https"));
    };
    let (authority, path_query) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_userinfo, host_port)| host_port);
    let (host, port) = if let Some(inner) = host_port.strip_prefix('[') {
        let (ip6, after) = inner.split_once(']').ok_or(bad("unterminated IPv6 host"))?;
        let ip6_chars = ip6
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if ip6.is_empty() || !ip6_chars {
            return Err(bad("invalid IPv6 host"));
        }
        let port = match after {
            "" => "",
            p => p
                .strip_prefix(':')
                .ok_or(bad("unexpected characters after IPv6 host"))?,
        };
        // The host with its brackets.
        let host = host_port.get(..ip6.len() + 2).unwrap_or(host_port);
        (host, port)
    } else {
        host_port.split_once(':').unwrap_or((host_port, ""))
    };
    if host.is_empty() {
        return Err(bad("host is empty"));
    }
    let name_chars = host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !host.starts_with('[') && !name_chars {
        return Err(bad(
            "host must be ASCII letters, digits, '-', '.', '_' or '~' (use punycode)",
        ));
    }
    let mut host_header = host.to_ascii_lowercase();
    if !port.is_empty() {
        let port_error = bad("port must be a number from 0 to 65535");
        if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err(port_error);
        }
        let n: u32 = port.parse().map_err(|_| port_error.clone())?;
        if n > 65_535 {
            return Err(port_error);
        }
        if n != default_port {
            host_header.push(':');
            host_header.push_str(&n.to_string());
        }
    }
    Ok(ParsedUrl {
        host: host_header,
        path,
        query,
        without_fragment,
    })
}
