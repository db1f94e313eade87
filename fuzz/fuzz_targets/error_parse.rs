//! restJson1 error parsing: any status, headers and body through `errors::parse_error` and
//! `client::parse_response`, and the same headers through the retry hints and clock-skew
//! correction (`Retry-After`, `x-amz-retry-after` and `Date` parsing).
#![no_main]

use arbitrary::Arbitrary;
use connect_chat_events::{client, errors, retry};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let e = errors::parse_error(input.status, &input.headers, &input.body);
    assert_eq!(e.status, input.status);
    assert!(!e.code.is_empty());
    assert!(!e.code.contains([',', ':', '#']), "code is sanitized");
    assert!(!e.message.trim().is_empty());
    // The excerpt is the lossy decoding of a prefix of at most 1024 body bytes, cut at most
    // 3 bytes early so a character is not split.
    let n = input.body.len().min(errors::BODY_EXCERPT_BYTES);
    let ok = (n.saturating_sub(3)..=n)
        .any(|end| String::from_utf8_lossy(&input.body[..end]) == e.body_excerpt.as_str());
    assert!(ok, "body_excerpt is not a lossy prefix");
    assert!(e.body_excerpt.chars().count() <= errors::BODY_EXCERPT_BYTES);
    let _ = e.to_string();
    let _ = client::parse_response(input.status, &input.headers, &input.body);

    let now_ms = 1_700_000_000_000.0;
    if let Some(ms) = retry::retry_after_ms(&input.headers, now_ms) {
        assert!(ms >= 0.0 && !ms.is_nan(), "retry hint {ms}");
    }
    let date = errors::header(&input.headers, "date");
    if let Some(t) = date.and_then(retry::parse_http_date) {
        assert!((-62_167_219_200..=253_402_300_799).contains(&t), "date {t}");
    }
    if let Some(offset) = retry::clock_skew_correction(&e, date, now_ms, 0.0, false) {
        assert!(offset.is_finite() && offset.abs() >= retry::CLOCK_SKEW_THRESHOLD_MS);
    }
});
