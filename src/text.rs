//! Text helpers for messages.
//!
//! [`first_chars`] is what this module is for: quoting a bounded part of a caller's value in a
//! message, cut on a character boundary.
//!
//! The rest are the builders that once replaced `format!` / `{:?}` to keep `core::fmt` out of the
//! browser wasm. `core::fmt` is allowed again; new code uses `format!` / `write!`. Each is marked
//! "remove when unused" and goes once the last caller (json, model, validate, sigv4, wasm,
//! client) has moved to `format!`.

/// Appends the decimal form of `n` (as `Display` writes it). Remove when unused: use `write!`.
pub fn push_uint(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

/// Appends the decimal form of a signed `n`. Remove when unused: use `write!`.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs());
}

/// The decimal form of `n`. Remove when unused: use `n.to_string()`.
pub fn uint(n: u64) -> String {
    let mut s = String::with_capacity(20);
    push_uint(&mut s, n);
    s
}

/// Appends `s` in double quotes with `\`, `"` and control characters escaped: what `{:?}` writes
/// for text without unusual Unicode (which `{:?}` would escape too and this keeps as is).
/// Remove when unused: use `{:?}`.
pub fn push_quoted(out: &mut String, s: &str) {
    out.push('"');
    // Escapes are all ASCII, so scanning bytes and copying the runs between them keeps UTF-8 whole.
    let mut run = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0 => "\\0",
            0x01..=0x1f | 0x7f => "",
            _ => continue,
        };
        out.push_str(s.get(run..i).unwrap_or_default());
        run = i + 1;
        if esc.is_empty() {
            out.push_str("\\u{");
            push_hex(out, u32::from(b));
            out.push('}');
        } else {
            out.push_str(esc);
        }
    }
    out.push_str(s.get(run..).unwrap_or_default());
    out.push('"');
}

fn push_hex(out: &mut String, n: u32) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut started = false;
    for shift in (0..8).rev() {
        let d = (n >> (shift * 4)) & 0xf;
        if d != 0 || started || shift == 0 {
            started = true;
            out.push(char::from(HEX[d as usize]));
        }
    }
}

/// Concatenates string pieces: `concat(&["a", &b, "c"])`. Remove when unused: use `format!`.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The first `n` characters of `s` (all of it when shorter): for quoting a bounded part of a
/// caller's value in a message (a 10 MB value must not make a 10 MB error). A borrowed slice, cut
/// on a character boundary, where `&s[..n]` would count bytes and panic inside a character.
pub fn first_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((end, _)) => s.get(..end).unwrap_or(s),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(s: &str) -> String {
        let mut out = String::new();
        push_quoted(&mut out, s);
        out
    }

    #[test]
    fn first_chars_cuts_on_characters() {
        assert_eq!(first_chars("", 3), "");
        assert_eq!(first_chars("abc", 3), "abc");
        assert_eq!(first_chars("abcd", 3), "abc");
        assert_eq!(first_chars("é👋xyz", 2), "é👋");
        assert_eq!(first_chars("é👋", 0), "");
    }

    #[test]
    fn integers_match_display() {
        for n in [0u64, 7, 10, 99, 1000, 16384, u64::MAX] {
            assert_eq!(uint(n), n.to_string());
        }
        for n in [0i64, -1, -16385, i64::MIN, i64::MAX] {
            let mut s = String::new();
            push_int(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn quoting_matches_debug_for_ordinary_text() {
        for s in [
            "",
            "abc",
            "a\"b",
            "back\\slash",
            "tab\tnew\nline\r",
            "nul\0",
            "bell\u{7}",
            "del\u{7f}",
            "héllo ✓ 日本",
        ] {
            assert_eq!(quoted(s), format!("{s:?}"), "{s:?}");
        }
    }

    #[test]
    fn every_ascii_character_quotes_like_debug() {
        for b in 0u8..128 {
            let s: String = ['a', char::from(b), 'é', char::from(b)].iter().collect();
            assert_eq!(quoted(&s), format!("{s:?}"), "byte {b}");
        }
    }
}
