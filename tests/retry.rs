//! Retry policy, back-off, quota, adaptive limiter and clock skew, with injected time and
//! randomness (every case is deterministic).

use connect_chat_events::errors::{parse_error, ServiceError};
use connect_chat_events::retry::*;

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn service(status: u16, code: &str, message: &str) -> ServiceError {
    let body = format!(r#"{{"message":{}}}"#, serde_json::json!(message));
    parse_error(status, &h(&[("x-amzn-errortype", code)]), body.as_bytes())
}

fn class_of(status: u16, code: &str) -> FailureClass {
    classify(&Failure::Service(&service(status, code, "m")))
}

#[test]
fn classification_follows_the_sdk() {
    assert_eq!(
        class_of(400, "ThrottlingException"),
        FailureClass::Throttling
    );
    assert_eq!(
        class_of(429, "ThrottlingException"),
        FailureClass::Throttling
    );
    assert_eq!(class_of(429, "Whatever"), FailureClass::Throttling);
    assert_eq!(
        class_of(400, "TooManyRequestsException"),
        FailureClass::Throttling
    );
    assert_eq!(
        class_of(500, "InternalServiceException"),
        FailureClass::Transient
    );
    for s in [500, 502, 503, 504] {
        assert_eq!(class_of(s, "UnknownError"), FailureClass::Transient, "{s}");
    }
    assert_eq!(class_of(400, "RequestTimeout"), FailureClass::Transient);
    assert_eq!(class_of(501, "NotImplemented"), FailureClass::ServerError);
    for (s, code) in [
        (400, "InvalidRequestException"),
        (403, "AccessDeniedException"),
        (404, "ResourceNotFoundException"),
        (403, "InvalidSignatureException"),
        (403, "SignatureDoesNotMatch"),
        (403, "UnrecognizedClientException"),
        (400, "ValidationException"),
    ] {
        let c = class_of(s, code);
        assert_eq!(c, FailureClass::ClientError, "{code}");
        assert!(!c.is_retryable());
    }
    assert_eq!(classify(&Failure::Connection), FailureClass::Transient);
    assert_eq!(classify(&Failure::Timeout), FailureClass::Transient);
    assert_eq!(FailureClass::Throttling.as_str(), "THROTTLING");
}

#[test]
fn backoff_is_full_jitter_exponential_with_a_cap() {
    let p = RetryPolicy::default();
    // rand = 1 shows the envelope: 100, 200, 400, ... capped at 20 s.
    let env: Vec<f64> = (0..10)
        .map(|i| p.backoff_ms(FailureClass::Transient, i, 1.0))
        .collect();
    assert_eq!(
        env,
        [100.0, 200.0, 400.0, 800.0, 1600.0, 3200.0, 6400.0, 12800.0, 20000.0, 20000.0]
    );
    let thr: Vec<f64> = (0..7)
        .map(|i| p.backoff_ms(FailureClass::Throttling, i, 1.0))
        .collect();
    assert_eq!(
        thr,
        [500.0, 1000.0, 2000.0, 4000.0, 8000.0, 16000.0, 20000.0]
    );
    // Floors, like Math.floor(b * min(x * 2^i, cap)).
    assert_eq!(p.backoff_ms(FailureClass::Transient, 2, 0.123_456), 49.0);
    assert_eq!(p.backoff_ms(FailureClass::Throttling, 0, 0.999_999), 499.0);
    assert_eq!(p.backoff_ms(FailureClass::Transient, 0, 0.0), 0.0);
    // Out-of-range randomness cannot produce a negative, huge or NaN sleep.
    assert_eq!(backoff_ms(100.0, 20_000.0, 3, -5.0), 0.0);
    assert_eq!(backoff_ms(100.0, 20_000.0, 3, 7.0), 800.0);
    assert_eq!(backoff_ms(100.0, 20_000.0, 3, f64::NAN), 0.0);
    assert_eq!(backoff_ms(100.0, 20_000.0, u32::MAX, 0.5), 10_000.0);
}

#[test]
fn decide_standard_mode() {
    let p = RetryPolicy::default();
    let mut q = RetryQuota::default();
    assert_eq!(q.capacity(), 500);
    // Attempt 1 failed with throttling: retry after jittered 500 ms base, cost 5.
    assert_eq!(
        p.decide(&mut q, FailureClass::Throttling, 1, None, None, 0.5),
        Decision::Retry {
            delay_ms: 250.0,
            cost: 5
        }
    );
    assert_eq!(q.capacity(), 495);
    // Attempt 2 failed with a 503: base 100 ms, second retry doubles, cost 10.
    assert_eq!(
        p.decide(&mut q, FailureClass::Transient, 2, None, None, 0.5),
        Decision::Retry {
            delay_ms: 100.0,
            cost: 10
        }
    );
    assert_eq!(q.capacity(), 485);
    // Attempt 3 of 3: stop, and nothing is taken.
    assert_eq!(
        p.decide(&mut q, FailureClass::Transient, 3, None, None, 0.5),
        Decision::Stop(StopReason::MaxAttempts)
    );
    assert_eq!(q.capacity(), 485);
    // Client and other server errors are never retried.
    for c in [FailureClass::ClientError, FailureClass::ServerError] {
        assert_eq!(
            p.decide(&mut q, c, 1, None, None, 0.5),
            Decision::Stop(StopReason::NotRetryable)
        );
    }
    assert_eq!(q.capacity(), 485);
    assert!(p.retries_enabled());
    assert!(p.attempts_left(2) && !p.attempts_left(3));
}

#[test]
fn off_mode_and_single_attempt() {
    let off = RetryPolicy::new(RetryMode::Off, 5);
    assert_eq!(off.max_attempts, 1);
    assert!(!off.retries_enabled());
    let mut q = RetryQuota::default();
    assert_eq!(
        off.decide(&mut q, FailureClass::Throttling, 1, Some(true), None, 0.5),
        Decision::Stop(StopReason::Off)
    );
    let one = RetryPolicy::new(RetryMode::Standard, 1);
    assert!(!one.retries_enabled());
    assert_eq!(
        one.decide(&mut q, FailureClass::Transient, 1, None, None, 0.5),
        Decision::Stop(StopReason::MaxAttempts)
    );
    assert_eq!(q.capacity(), 500);
}

#[test]
fn should_retry_hook_verdict_replaces_the_classification() {
    let p = RetryPolicy::new(RetryMode::Standard, 4);
    let mut q = RetryQuota::default();
    assert_eq!(
        p.decide(&mut q, FailureClass::Transient, 1, Some(false), None, 0.5),
        Decision::Stop(StopReason::NotRetryable)
    );
    assert!(matches!(
        p.decide(&mut q, FailureClass::ClientError, 1, Some(true), None, 0.5),
        Decision::Retry { cost: 10, .. }
    ));
    // Still bounded by max attempts and the quota.
    assert_eq!(
        p.decide(&mut q, FailureClass::ClientError, 4, Some(true), None, 0.5),
        Decision::Stop(StopReason::MaxAttempts)
    );
}

#[test]
fn quota_exhausts_and_refills_like_the_sdk() {
    let p = RetryPolicy::new(RetryMode::Standard, 3);
    let mut q = RetryQuota::default();
    // A long outage: 50 transient retries drain 500 tokens; then calls make single attempts.
    for i in 0..50 {
        assert!(
            matches!(
                p.decide(&mut q, FailureClass::Transient, 1, None, None, 0.0),
                Decision::Retry { .. }
            ),
            "retry {i}"
        );
    }
    assert_eq!(q.capacity(), 0);
    assert_eq!(
        p.decide(&mut q, FailureClass::Transient, 1, None, None, 0.0),
        Decision::Stop(StopReason::QuotaExhausted)
    );
    // Successes without retries add 1; a success after a retry refunds that retry's cost.
    for _ in 0..4 {
        q.record_success(None);
    }
    assert_eq!(q.capacity(), 4);
    assert_eq!(
        p.decide(&mut q, FailureClass::Throttling, 1, None, None, 0.0),
        Decision::Stop(StopReason::QuotaExhausted),
        "throttling costs 5"
    );
    q.record_success(None);
    assert!(matches!(
        p.decide(&mut q, FailureClass::Throttling, 1, None, None, 0.0),
        Decision::Retry { cost: 5, .. }
    ));
    assert_eq!(q.capacity(), 0);
    q.record_success(Some(5));
    assert_eq!(q.capacity(), 5);
    // Never above the maximum.
    let mut full = RetryQuota::default();
    full.record_success(Some(10));
    assert_eq!(full.capacity(), INITIAL_RETRY_TOKENS);
}

#[test]
fn retry_after_hints_lengthen_the_backoff_by_at_most_five_seconds() {
    let p = RetryPolicy::default();
    let mut q = RetryQuota::default();
    let d = |q: &mut RetryQuota, hint| p.decide(q, FailureClass::Throttling, 1, None, hint, 0.5);
    assert_eq!(
        d(&mut q, Some(1_000.0)),
        Decision::Retry {
            delay_ms: 1000.0,
            cost: 5
        }
    );
    assert_eq!(
        d(&mut q, Some(60_000.0)),
        Decision::Retry {
            delay_ms: 5250.0,
            cost: 5
        }
    );
    assert_eq!(
        d(&mut q, Some(10.0)),
        Decision::Retry {
            delay_ms: 250.0,
            cost: 5
        }
    );
    let now = 1_700_000_000_000.0;
    assert_eq!(
        retry_after_ms(&h(&[("x-amz-retry-after", "1500")]), now),
        Some(1500.0)
    );
    assert_eq!(
        retry_after_ms(&h(&[("Retry-After", "2")]), now),
        Some(2000.0)
    );
    assert_eq!(
        retry_after_ms(&h(&[("retry-after", "Tue, 14 Nov 2023 22:13:30 GMT")]), now),
        Some(10_000.0)
    );
    assert_eq!(retry_after_ms(&h(&[("retry-after", "soon")]), now), None);
    assert_eq!(
        retry_after_ms(&h(&[("x-amz-retry-after", "-3")]), now),
        Some(0.0)
    );
    assert_eq!(retry_after_ms(&h(&[]), now), None);
}

#[test]
fn call_state_counts_attempts_delay_and_refunds() {
    let p = RetryPolicy::new(RetryMode::Standard, 3);
    let mut q = RetryQuota::default();
    let mut s = CallState::new();
    assert_eq!(s.begin_attempt(&p, false), (1, 3));
    assert_eq!(request_header_value(1, 3), "attempt=1; max=3");
    assert!(matches!(
        s.fail(&p, &mut q, FailureClass::Throttling, None, None, 0.5),
        Decision::Retry { delay_ms, cost: 5 } if delay_ms == 250.0
    ));
    // A clock-skew re-send is an extra HTTP attempt outside max_attempts.
    assert_eq!(s.begin_attempt(&p, false), (2, 3));
    s.skew_corrected = true;
    assert_eq!(s.begin_attempt(&p, true), (3, 3));
    assert_eq!(s.policy_attempts, 2);
    assert!(matches!(
        s.fail(&p, &mut q, FailureClass::Transient, None, None, 0.25),
        Decision::Retry { delay_ms, cost: 10 } if delay_ms == 50.0
    ));
    assert_eq!(s.begin_attempt(&p, false), (4, 4));
    assert_eq!(s.total_retry_delay_ms, 300.0);
    assert_eq!(q.capacity(), 485);
    s.succeed(&mut q);
    assert_eq!(q.capacity(), 495, "the last retry's cost comes back");
    assert_eq!(s.attempts, 4);
}

#[test]
fn modes_and_max_attempts_parse() {
    assert_eq!(RetryMode::parse("standard"), Ok(RetryMode::Standard));
    assert_eq!(RetryMode::parse("adaptive"), Ok(RetryMode::Adaptive));
    assert_eq!(RetryMode::parse("off"), Ok(RetryMode::Off));
    let e = RetryMode::parse("legacy").unwrap_err();
    assert!(
        e.to_string().contains("'standard', 'adaptive' or 'off'"),
        "{e}"
    );
    assert_eq!(parse_max_attempts(3.0), Ok(3));
    for bad in [0.0, -1.0, 2.5, f64::NAN, f64::INFINITY, 101.0] {
        let e = parse_max_attempts(bad).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("maxAttempts must be an integer from 1 to 100"));
    }
}

#[test]
fn rate_limiter_matches_the_sdk_default_rate_limiter() {
    // Trace of @smithy/util-retry DefaultRateLimiter.updateClientSendingRate with a fake clock
    // starting at 1000 s: (dt, throttled) -> fillRate, measuredTxRate, enabled.
    let mut script: Vec<(f64, bool)> = Vec::new();
    script.extend(std::iter::repeat((0.1, false)).take(20));
    script.push((0.1, true));
    script.extend(std::iter::repeat((0.5, false)).take(10));
    script.push((0.1, true));
    script.push((0.1, true));
    script.extend(std::iter::repeat((1.0, false)).take(10));
    #[rustfmt::skip]
    let expected: [(f64, f64, bool); 43] = [
        (0.5, 0.0, false), (0.5, 0.0, false), (0.5, 0.0, false), (0.5, 0.0, false), (0.5, 8.0, false),
        (0.5, 8.0, false), (0.5, 8.0, false), (0.5, 8.0, false), (0.5, 8.0, false), (0.5, 9.6, false),
        (0.5324, 9.6, false), (0.6912, 9.6, false), (0.8788, 9.6, false), (1.0976, 9.6, false),
        (1.35, 9.92, false), (1.6384, 9.92, false), (1.9652, 9.92, false), (2.3328, 9.92, false),
        (2.7436, 9.92, false), (3.2, 9.984, false), (6.9888, 9.984, true), (8.74835866, 5.1968, true),
        (5.27872, 2.63936, true), (4.255744, 2.127872, true), (4.0511488, 2.0255744, true),
        (4.01022976, 2.00511488, true), (4.00204596, 2.00102298, true), (4.0004092, 2.0002046, true),
        (4.00008184, 2.00004092, true), (4.00001636, 2.00000818, true), (4.00000328, 2.00000164, true),
        (1.40000115, 2.00000164, true), (0.9800008, 2.00000164, true), (1.39999939, 2.80000033, true),
        (1.78064604, 1.36000007, true), (2.14400002, 1.07200001, true), (2.0288, 1.0144, true),
        (2.00576, 1.00288, true), (2.001152, 1.000576, true), (2.0002304, 1.0001152, true),
        (2.00004608, 1.00002304, true), (2.00000922, 1.00000461, true), (2.00000184, 1.00000092, true),
    ];
    let mut now = 1000.0;
    let mut l = RateLimiter::new(now);
    for (i, ((dt, thr), (fill, measured, enabled))) in script.iter().zip(expected).enumerate() {
        now += dt;
        l.update(now, *thr);
        assert!(
            (l.fill_rate() - fill).abs() < 1e-7,
            "step {i}: fill {} != {fill}",
            l.fill_rate()
        );
        assert!(
            (l.measured_rate() - measured).abs() < 1e-7,
            "step {i}: measured {} != {measured}",
            l.measured_rate()
        );
        assert_eq!(l.enabled(), enabled, "step {i}");
    }
}

#[test]
fn rate_limiter_paces_sends_after_throttling() {
    let mut now = 0.0;
    let mut l = RateLimiter::new(now);
    // Before any throttling, sends are never delayed.
    for _ in 0..100 {
        assert_eq!(l.acquire(now), None);
        l.update(now, false);
        now += 0.01;
    }
    // 100 req/s measured; a throttle drops the rate to 70% of it and turns the bucket on.
    l.update(now, true);
    assert!(l.enabled());
    let rate = l.fill_rate();
    assert!(rate > 10.0 && rate < 100.0, "{rate}");
    // Sending as fast as allowed: over 2 s of simulated time, about rate × 2 sends get through.
    let start = now;
    let mut sent = 0;
    while now - start < 2.0 {
        match l.acquire(now) {
            None => sent += 1,
            Some(wait) => {
                assert!(wait > 0.0 && wait <= 1.0 / 0.5);
                now += wait;
            }
        }
    }
    let expected = rate * 2.0;
    assert!(
        (sent as f64) <= expected + l.fill_rate().max(1.0) + 1.0,
        "{sent} sends at {rate}/s"
    );
    assert!((sent as f64) >= expected * 0.5, "{sent} sends at {rate}/s");
    // Repeated throttling drives the rate down to the floor of 0.5/s, never below.
    for _ in 0..40 {
        now += 0.1;
        l.update(now, true);
    }
    assert_eq!(l.fill_rate(), 0.5);
    let wait = l.acquire(now + 10.0);
    assert!(wait.is_none() || wait.unwrap() <= 2.0);
}

#[test]
fn http_dates_in_all_three_formats() {
    let t = 784_111_777; // 1994-11-06T08:49:37Z
    assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
    assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(t));
    assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(t));
    assert_eq!(
        parse_http_date("  Sun, 06 Nov 1994 08:49:37 GMT\t"),
        Some(t)
    );
    assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    assert_eq!(
        parse_http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
        Some(1_835_481_599)
    );
    assert_eq!(
        parse_http_date("Monday, 01-Jan-24 00:00:00 GMT"),
        Some(1_704_067_200)
    );
    assert_eq!(
        parse_http_date("Wed Jan 10 12:00:00 2024"),
        Some(1_704_888_000)
    );
    for bad in [
        "",
        "yesterday",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 29 Feb 2100 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra",
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sun Nov 6 08:49:37",
        "1994-11-06T08:49:37Z",
        "Sun, ٠٦ Nov 1994 08:49:37 GMT",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad:?}");
    }
    assert_eq!(parse_http_date(&"Sun, ".repeat(1000)), None);
}

#[test]
fn clock_skew_offset_from_the_date_header() {
    let expired = service(
        403,
        "InvalidSignatureException",
        "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)",
    );
    assert!(expired.clock_skew);
    let server = 1_704_069_000_i64; // 2024-01-01T00:30:00Z
    let date = "Mon, 01 Jan 2024 00:30:00 GMT";
    assert_eq!(parse_http_date(date), Some(server));
    // The local clock is 30 minutes behind.
    let local = (server - 1800) as f64 * 1000.0;
    assert_eq!(
        clock_skew_correction(&expired, Some(date), local, 0.0, false),
        Some(1_800_000.0)
    );
    // Once per call.
    assert_eq!(
        clock_skew_correction(&expired, Some(date), local, 0.0, true),
        None
    );
    // An offset that already fixes it: nothing to do.
    assert_eq!(
        clock_skew_correction(&expired, Some(date), local, 1_800_000.0, false),
        None
    );
    // No Date header (a browser without Access-Control-Expose-Headers: date): the message.
    assert_eq!(
        clock_skew_correction(&expired, None, local, 0.0, false),
        Some(1_800_000.0)
    );
    assert_eq!(
        server_time_from_message("Signature not yet current: 20240101T010000Z is still later than 20240101T004500Z (20240101T003000Z + 15 min.)"),
        Some(server)
    );
    assert_eq!(server_time_from_message("Signature expired"), None);
    assert_eq!(server_time_from_message("x (2024)"), None);
    // A wrong secret gives InvalidSignatureException too, but the clocks agree: surface it.
    let mismatch = service(
        403,
        "InvalidSignatureException",
        "The request signature we calculated does not match",
    );
    assert_eq!(
        clock_skew_correction(
            &mismatch,
            Some(date),
            server as f64 * 1000.0 + 2_000.0,
            0.0,
            false
        ),
        None
    );
    // Other skew codes; not a skew code.
    let skewed = service(403, "RequestTimeTooSkewed", "The difference is too large");
    assert_eq!(
        clock_skew_correction(&skewed, Some(date), local + 3_600_000.0, 0.0, false),
        Some(-1_800_000.0),
        "a clock ahead gets a negative offset"
    );
    let throttled = service(429, "ThrottlingException", "slow down");
    assert_eq!(
        clock_skew_correction(&throttled, Some(date), local, 0.0, false),
        None
    );
    // Garbage dates never produce an offset.
    assert_eq!(
        clock_skew_correction(&skewed, Some("garbage"), local, 0.0, false),
        None
    );
    // The SDK's threshold: 5 minutes.
    assert_eq!(
        updated_clock_offset(1_000_000.0, 1_000_000.0 - 299_999.0, 0.0),
        None
    );
    assert_eq!(
        updated_clock_offset(1_000_000.0, 1_000_000.0 - 300_000.0, 0.0),
        Some(300_000.0)
    );
    assert_eq!(updated_clock_offset(f64::NAN, 0.0, 0.0), None);
}

#[test]
fn credentials_refresh_five_minutes_ahead_of_expiry() {
    use connect_chat_events::client::credentials_need_refresh;
    let now = 1_700_000_000_000.0;
    assert!(!credentials_need_refresh(None, now), "no expiration: kept");
    assert!(!credentials_need_refresh(Some(now + 300_001.0), now));
    assert!(credentials_need_refresh(Some(now + 299_999.0), now));
    assert!(credentials_need_refresh(Some(now - 1.0), now));
    assert!(
        credentials_need_refresh(Some(f64::NAN), now),
        "unreadable: refreshed"
    );
}

#[test]
fn config_error_messages() {
    let cases = [
        (
            RetryConfigError::UnknownMode("legacy".into()),
            "retryMode must be 'standard', 'adaptive' or 'off'; got 'legacy'",
        ),
        (
            RetryConfigError::UnknownMode(String::new()),
            "retryMode must be 'standard', 'adaptive' or 'off'; got ''",
        ),
        (
            RetryConfigError::MaxAttempts {
                got: "2.5".into(),
                max: 100,
            },
            "maxAttempts must be an integer from 1 to 100; got 2.5",
        ),
        (
            RetryConfigError::MaxAttempts {
                got: "NaN".into(),
                max: 7,
            },
            "maxAttempts must be an integer from 1 to 7; got NaN",
        ),
    ];
    for (e, want) in cases {
        assert_eq!(e.message(), want);
        assert_eq!(e.to_string(), want);
    }
    // The value is written as Rust writes an f64 (the wasm layer writes it as JS does).
    for (v, got) in [
        (0.0, "0"),
        (-1.0, "-1"),
        (2.5, "2.5"),
        (101.0, "101"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
    ] {
        assert_eq!(
            parse_max_attempts(v).unwrap_err().message(),
            format!("maxAttempts must be an integer from 1 to 100; got {got}")
        );
    }
}

#[test]
fn request_header_values() {
    assert_eq!(request_header_value(1, 3), "attempt=1; max=3");
    assert_eq!(request_header_value(4, 3), "attempt=4; max=3");
    assert_eq!(request_header_value(10, 100), "attempt=10; max=100");
    assert_eq!(
        request_header_value(u32::MAX, 0),
        "attempt=4294967295; max=0"
    );
}

#[test]
fn parse_decimal_agrees_with_std() {
    use connect_chat_events::retry::parse_decimal;
    // Accepted / rejected as std's parser does, for finite values.
    let cases = [
        "0",
        "2",
        "1500",
        "-3",
        "+7",
        "1.5",
        ".5",
        "5.",
        "0.001",
        "1e3",
        "1E+3",
        "2.5e-3",
        "120.000",
        "00012",
        "123456789012345678901234567890",
        "0.000000000000000000000000001",
        "1e308",
        "",
        " 1",
        "1 ",
        "1.2.3",
        "e5",
        "1e",
        "1e+",
        "--1",
        "+-1",
        ".",
        "abc",
        "1_000",
        "0x10",
        "inf",
        "NaN",
        "infinity",
        "1e309",
        "9007199254740993",
        "1.7976931348623157e308",
        "2.2250738585072014e-308",
        "1e-320",
        "-0",
        "0.1234567890123456789012345",
        "98765432109876543210.5e-3",
        "1e-100000000000",
        "1e100000000000",
    ];
    for s in cases {
        let std = s.parse::<f64>().ok().filter(|v| v.is_finite());
        let ours = parse_decimal(s);
        match (std, ours) {
            (None, None) => {}
            (Some(a), Some(b)) => {
                // Outside the exact range (long digits, large powers) a few hundred ulps at most;
                // below 1e-300 (a wait of 0 ms either way) the value may be 0.
                let tol = a.abs() * 1e-13;
                let tiny = a.abs() < 1e-300 && b.abs() < 1e-300;
                assert!((a - b).abs() <= tol || tiny, "{s}: std {a} ours {b}");
            }
            _ => panic!("{s}: std {std:?} ours {ours:?}"),
        }
    }
    // Exact for every realistic header: integers and short decimals.
    for n in 0..20_000u32 {
        let s = format!("{}.{:03}", n / 7, n % 1000);
        assert_eq!(parse_decimal(&s), s.parse::<f64>().ok(), "{s}");
        let s = n.to_string();
        assert_eq!(parse_decimal(&s), Some(f64::from(n)));
    }
}

#[test]
fn hostile_retry_hints_give_no_hint() {
    let now = 1_700_000_000_000.0;
    let hint = |name: &str, value: &str| retry_after_ms(&h(&[(name, value)]), now);
    for bad in [
        "inf", "Infinity", "NaN", "-inf", "1e309", "0x1p3", "1,5", "١٢",
    ] {
        assert_eq!(hint("x-amz-retry-after", bad), None, "{bad}");
        assert_eq!(hint("retry-after", bad), None, "{bad}");
    }
    // A megabyte of digits is too large for an f64; a megabyte of text is no date.
    assert_eq!(hint("retry-after", &"9".repeat(1 << 20)), None);
    assert_eq!(hint("retry-after", &"Sun, ".repeat(200_000)), None);
    // A tiny or negative hint is no wait at all, never a negative one.
    assert_eq!(hint("retry-after", "1e-400"), Some(0.0));
    assert_eq!(hint("retry-after", "-0"), Some(0.0));
    assert_eq!(
        hint("retry-after", "Thu, 01 Jan 1970 00:00:00 GMT"),
        Some(0.0)
    );
    // x-amz-retry-after wins even when it is garbage (no fall-back to Retry-After).
    assert_eq!(
        retry_after_ms(
            &h(&[("x-amz-retry-after", "soon"), ("retry-after", "3")]),
            now
        ),
        None
    );
}

#[test]
fn cubic_time_window_uses_the_exact_cube_root() {
    // After a throttle at a measured 10 req/s the window is cbrt(10 × 0.3 / 0.4) = cbrt(7.5)
    // seconds: the rate is back to its old maximum exactly that long after the throttle.
    let mut now = 0.0;
    let mut l = RateLimiter::new(now);
    for _ in 0..40 {
        now += 0.1;
        l.update(now, false);
    }
    let measured = l.measured_rate();
    l.update(now, true);
    let window = (measured * 0.3 / 0.4_f64).cbrt();
    let mut probe = l.clone();
    probe.update(now + window, false);
    assert!(
        (probe.fill_rate() - measured.min(2.0 * probe.measured_rate())).abs() < 1e-6,
        "{} vs {measured}",
        probe.fill_rate()
    );
}
