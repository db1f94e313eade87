//! The signing time: `x-amz-date` text from unix seconds and back (the calendar work is in
//! `crate::calendar`), and the range check every signature makes.

use super::SigningError;
use crate::calendar::{format_basic, parse_timestamp, MAX_UNIX, MIN_UNIX};

/// Longest part of a rejected time text repeated in an error message.
const MAX_ECHO: usize = 64;

/// Formats unix seconds as the SigV4 timestamp `YYYYMMDDTHHMMSSZ` (e.g.
/// `20150830T123600Z`). Times outside years 0000–9999 are clamped to that range (the format
/// has a four-digit year); [`sign`](super::sign) rejects them instead.
pub fn format_amz_date(unix: i64) -> String {
    format_basic(unix)
}

/// Parses a UTC timestamp into unix seconds, so callers can sign at a time given as text
/// (e.g. a server `Date` for clock-skew correction).
///
/// Accepts the SigV4 basic form `20150830T123600Z` and ISO 8601 / RFC 3339 extended forms
/// `2015-08-30T12:36:00Z`, with optional fractional seconds (`.000`, truncated), `t`/space
/// separators, lower-case `z`, and offsets `+00:00`, `-0530`, `+05`. Rejects anything else,
/// impossible dates (e.g. 2015-02-29), leap seconds, and years outside 0000–9999.
pub fn parse_signing_date(s: &str) -> Result<i64, SigningError> {
    parse_timestamp(s).ok_or_else(|| time_error(s))
}

/// The error for the time text `s`, which repeats at most [`MAX_ECHO`] bytes of it (cut on a
/// char boundary) so messages stay short for huge inputs.
fn time_error(s: &str) -> SigningError {
    let mut end = s.len().min(MAX_ECHO);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let input = match s.get(..end) {
        Some(head) if end < s.len() => format!("{head}..."),
        _ => s.to_string(),
    };
    SigningError::InvalidTime { input }
}

/// Unix seconds `time` must be within years 0000–9999 (the four-digit year of `x-amz-date`).
pub(super) fn check_time(time: i64) -> Result<(), SigningError> {
    if (MIN_UNIX..=MAX_UNIX).contains(&time) {
        Ok(())
    } else {
        Err(SigningError::InvalidTime {
            input: time.to_string(),
        })
    }
}
