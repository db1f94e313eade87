//! Text helpers for messages that quote a caller's value.

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

    #[test]
    fn first_chars_cuts_on_characters() {
        assert_eq!(first_chars("", 3), "");
        assert_eq!(first_chars("abc", 3), "abc");
        assert_eq!(first_chars("abcd", 3), "abc");
        assert_eq!(first_chars("é👋xyz", 2), "é👋");
        assert_eq!(first_chars("é👋", 0), "");
    }
}
