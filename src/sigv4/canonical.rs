//! The canonical request's parts: the URI and query (SigV4 URI encoding) and the headers
//! (sorted, values trimmed and folded, repeated names joined).

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::{SigningError, UNSIGNABLE_HEADERS};

/// RFC 3986 unreserved bytes, the only ones SigV4 URI encoding keeps as they are.
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `data` SigV4 URI-encoded: unreserved bytes (and `/` with `keep_slash`) kept,
/// every other byte `%XX` in upper-case hex.
fn uri_encode_into(out: &mut String, data: &[u8], keep_slash: bool) {
    for &b in data {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            // Writing to a String cannot fail.
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Percent-decodes `s`; a `%` not followed by two hex digits is kept literally. `+` stays
/// `+` (it is not a space in a URL query).
fn percent_decode(s: &str) -> Vec<u8> {
    let bytes = s.as_bytes();
    let hex_digit = |at: usize| bytes.get(at).and_then(|&b| char::from(b).to_digit(16));
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match (b, hex_digit(i + 1), hex_digit(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                // Two hex digits: at most 0xff.
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Removes `.`/`..` segments and empty segments (duplicate slashes), keeping a leading and a
/// trailing slash, as botocore and the JS SDK do for non-S3 services.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if !segments.is_empty() && path.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical URI of `path`: `/` when empty, optionally normalized and (for every
/// service but S3) URI-encoded once more.
pub(super) fn canonical_uri(path: &str, normalize: bool, escape: bool) -> String {
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

/// The canonical query: each `key=value` pair decoded and re-encoded (a key without `=` gets
/// an empty value, empty pairs are dropped), sorted by key then value, joined with `&`.
pub(super) fn canonical_query(query: &str) -> String {
    let encode = |s: &str| {
        let mut out = String::with_capacity(s.len());
        uri_encode_into(&mut out, &percent_decode(s), false);
        out
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (encode(key), encode(value))
        })
        .collect();
    // Equal pairs are identical, so an unstable sort gives the same result.
    pairs.sort_unstable();
    let mut out = String::with_capacity(query.len() + 8);
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(key);
        out.push('=');
        out.push_str(value);
    }
    out
}

/// Appends `v` trimmed of spaces/tabs, inner runs of them folded to one space (SigV4 "Trimall").
pub(super) fn canonical_header_value(v: &str, out: &mut String) {
    let words = v.split([' ', '\t']).filter(|word| !word.is_empty());
    for (i, word) in words.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
}

/// Appends the canonical header line `name:value1,value2\n` (values canonicalized, in order).
pub(super) fn push_header_line<'v>(
    out: &mut String,
    name: &str,
    values: impl IntoIterator<Item = &'v str>,
) {
    out.push_str(name);
    out.push(':');
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        canonical_header_value(value, out);
    }
    out.push('\n');
}

/// The header part of a canonical request.
pub(super) struct CanonicalHeaders {
    /// One `name:values\n` line per signed name, sorted by name.
    pub(super) lines: String,
    /// The signed names joined with `;` (the `SignedHeaders` value).
    pub(super) signed: String,
}

impl CanonicalHeaders {
    /// Adds one signed name with its values (a non-empty run of one name, in request order).
    fn push(&mut self, group: &[&(String, String)]) {
        let name = group_name(group);
        if !self.signed.is_empty() {
            self.signed.push(';');
        }
        self.signed.push_str(name);
        push_header_line(
            &mut self.lines,
            name,
            group.iter().map(|(_, value)| value.as_str()),
        );
    }
}

/// The header name of a run of one name.
fn group_name<'a>(group: &[&'a (String, String)]) -> &'a str {
    group.first().map_or("", |(name, _)| name.as_str())
}

/// `a` and `b` compared as their ASCII lower-case forms.
fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|b| b.to_ascii_lowercase())
        .cmp(b.bytes().map(|b| b.to_ascii_lowercase()))
}

/// The canonical headers of `headers` (names already lower-case): with `only`, exactly the
/// names it lists (case-insensitively, sorted, duplicates once), each of which must be present;
/// else every name but [`UNSIGNABLE_HEADERS`]. A repeated name's values are joined with `,` in
/// request order.
///
/// One sort of the headers and one pass over them, so O(n log n) in the number of headers
/// (plus O(m log m) in the names of `only`).
pub(super) fn canonical_headers(
    headers: &[(String, String)],
    only: Option<&[&str]>,
) -> Result<CanonicalHeaders, SigningError> {
    let mut sorted: Vec<&(String, String)> = headers
        .iter()
        .filter(|(name, _)| only.is_some() || !UNSIGNABLE_HEADERS.contains(&name.as_str()))
        .collect();
    // Stable: the values of a repeated name keep their request order.
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut groups = sorted.chunk_by(|a, b| a.0 == b.0).peekable();
    let mut out = CanonicalHeaders {
        lines: String::with_capacity(256),
        signed: String::with_capacity(128),
    };
    let Some(only) = only else {
        groups.for_each(|group| out.push(group));
        return Ok(out);
    };
    let mut wanted: Vec<&str> = only.to_vec();
    wanted.sort_unstable_by(|a, b| cmp_ignore_case(a, b));
    wanted.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    for name in wanted {
        // Both sides are sorted: skip the names not wanted, then take this one's values.
        while groups
            .next_if(|g| cmp_ignore_case(group_name(g), name) == Ordering::Less)
            .is_some()
        {}
        match groups.next_if(|g| group_name(g).eq_ignore_ascii_case(name)) {
            Some(group) => out.push(group),
            None => {
                return Err(SigningError::MissingSignedHeader {
                    name: name.to_string(),
                })
            }
        }
    }
    Ok(out)
}
