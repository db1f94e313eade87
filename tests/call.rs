//! The per-call state machine (`client::Client` and `client::Call`), natively: every decision
//! the wasm send loop carries out — sign an attempt, done / retry after N ms / re-sign for clock
//! skew / fail / ask the hook — and the configuration rules the binding layer reports.

use connect_chat_events::client::{
    self, credential_part, parse_concurrency, parse_request_timeout, retry_policy,
    signing_time_from_ms, Call, Client, Next, Outcome,
};
use connect_chat_events::endpoint::EndpointConfig;
use connect_chat_events::retry::{FailureClass, RetryMode, RetryPolicy, StopReason};
use connect_chat_events::sigv4::{self, Credentials, SigningKeyCache};

const NOW: f64 = 1_700_000_000_000.0;

fn creds() -> Credentials {
    Credentials {
        access_key_id: "AKIDLOCAL".into(),
        secret_access_key: "local-secret-value".into(),
        session_token: None,
    }
}

fn client(policy: RetryPolicy, hook: bool) -> Client {
    let resolved = client::resolve_endpoint(&EndpointConfig {
        region: Some("us-east-1"),
        use_fips: false,
        use_dualstack: false,
        endpoint: Some("http://127.0.0.1:9"),
    })
    .expect("resolves");
    let mut c = Client::new(&resolved, policy, 0.0, hook, NOW);
    c.set_credentials(creds());
    c
}

fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const BODY: &str = "{}";

fn hash() -> String {
    sigv4::sha256_hex(BODY.as_bytes())
}

#[test]
fn an_attempt_is_signed_like_the_general_signer_and_a_success_is_done() {
    let mut c = client(RetryPolicy::default(), false);
    let mut call = Call::new();
    let a = c.begin_attempt(&mut call, &hash(), NOW).expect("signs");
    assert_eq!(
        c.operation_url(),
        "http://127.0.0.1:9/chat-integration-event"
    );
    let pairs = a.pairs();
    let get = |n: &str| {
        pairs
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, v)| v.to_string())
    };
    assert_eq!(get("amz-sdk-request").as_deref(), Some("attempt=1; max=3"));
    assert_eq!(get("x-amz-date").as_deref(), Some("20231114T221320Z"));
    assert!(get("host").is_none(), "the transport sets host");
    let expected = client::prepare_body_hashed(
        BODY.to_string(),
        None,
        "http://127.0.0.1:9",
        "us-east-1",
        &creds(),
        (NOW / 1000.0) as i64,
        &h(&[("amz-sdk-request", "attempt=1; max=3")]),
        &mut SigningKeyCache::new(),
    )
    .expect("signs");
    let auth = expected.headers.iter().find(|(n, _)| n == "authorization");
    assert_eq!(
        get("authorization").as_deref(),
        auth.map(|(_, v)| v.as_str())
    );
    assert_eq!(call.current(), (1, 3));
    let o = c.on_response(
        &mut call,
        200,
        &h(&[("x-amzn-requestid", "req-1")]),
        br#"{"InitialContactId":"c-1","NewChatCreated":true}"#,
        NOW,
        0.5,
    );
    match o {
        Outcome::Done(out, meta) => {
            assert_eq!(out.initial_contact_id.as_deref(), Some("c-1"));
            assert_eq!(out.new_chat_created, Some(true));
            assert_eq!(meta.status, 200);
            assert_eq!(meta.request_id.as_deref(), Some("req-1"));
        }
        other => panic!("not done: {other:?}"),
    }
    assert_eq!(call.attempts(), 1);
}

#[test]
fn throttling_retries_with_backoff_then_stops_at_max_attempts() {
    let mut c = client(RetryPolicy::new(RetryMode::Standard, 2), false);
    let mut call = Call::new();
    let throttled = h(&[("x-amzn-errortype", "ThrottlingException")]);
    c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    let o = c.on_response(
        &mut call,
        429,
        &throttled,
        br#"{"message":"slow"}"#,
        NOW,
        0.5,
    );
    let Outcome::Failed {
        error, class, next, ..
    } = o
    else {
        panic!("failed")
    };
    assert_eq!(error.code, "ThrottlingException");
    assert_eq!(class, FailureClass::Throttling);
    let Next::Retry(ms) = next else {
        panic!("retry: {next:?}")
    };
    assert!(ms > 0.0);
    assert_eq!(call.total_retry_delay_ms(), ms);
    c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    assert_eq!(call.current(), (2, 2));
    let o = c.on_response(&mut call, 429, &throttled, b"{}", NOW, 0.5);
    let Outcome::Failed { next, .. } = o else {
        panic!("failed")
    };
    assert_eq!(next, Next::Stop(StopReason::MaxAttempts));
}

#[test]
fn a_clock_skew_error_re_signs_once_without_counting_an_attempt() {
    let mut c = client(RetryPolicy::new(RetryMode::Standard, 1), false);
    let mut call = Call::new();
    c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    let skew = h(&[
        ("x-amzn-errortype", "InvalidSignatureException"),
        ("date", "Tue, 14 Nov 2023 23:13:20 GMT"),
    ]);
    let body = br#"{"message":"Signature expired: 20231114T221320Z is now earlier than 20231114T230820Z (20231114T231320Z - 5 min.)"}"#;
    let o = c.on_response(&mut call, 403, &skew, body, NOW, 0.5);
    let Outcome::Resign { offset_ms, .. } = o else {
        panic!("re-sign: {o:?}")
    };
    assert_eq!(offset_ms, 3_600_000.0);
    assert_eq!(c.clock_offset_ms(), 3_600_000.0);
    let a = c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    let date = Some(a.amz_date.clone());
    assert_eq!(
        date.as_deref(),
        Some("20231114T231320Z"),
        "signed with the server's time"
    );
    assert_eq!(call.current(), (2, 2), "one more than maxAttempts allows");
    // Only once per call.
    let o = c.on_response(&mut call, 403, &skew, body, NOW, 0.5);
    assert!(matches!(o, Outcome::Failed { .. }), "{o:?}");
}

#[test]
fn with_a_hook_a_failure_waits_for_the_verdict() {
    let mut c = client(RetryPolicy::default(), true);
    let mut call = Call::new();
    c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    let (class, next) = c.on_no_response(&mut call, true, NOW, 0.5);
    assert_eq!(class, FailureClass::Transient);
    assert_eq!(next, Next::AskHook);
    assert!(matches!(c.verdict(&mut call, true, 0.5), Next::Retry(_)));
    c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    let (_, next) = c.on_no_response(&mut call, false, NOW, 0.5);
    assert_eq!(next, Next::AskHook);
    assert_eq!(
        c.verdict(&mut call, false, 0.5),
        Next::Stop(StopReason::NotRetryable)
    );
}

#[test]
fn adaptive_mode_paces_after_throttling() {
    let mut c = client(RetryPolicy::new(RetryMode::Adaptive, 3), false);
    assert!(c.adaptive());
    assert_eq!(c.acquire(NOW), None, "off until the first throttle");
    let mut call = Call::new();
    c.begin_attempt(&mut call, &hash(), NOW).unwrap();
    let throttled = h(&[("x-amzn-errortype", "ThrottlingException")]);
    c.on_response(&mut call, 429, &throttled, b"{}", NOW, 0.5);
    let waits: Vec<Option<f64>> = (0..20).map(|_| c.acquire(NOW)).collect();
    assert!(waits.iter().any(Option::is_some), "{waits:?}");
    assert!(waits
        .iter()
        .flatten()
        .all(|ms| (1.0..=60_000.0).contains(ms)));
}

#[test]
fn configuration_rules() {
    let e = retry_policy(Some((0.0, "0")), None).unwrap_err();
    assert_eq!(e.field, "maxAttempts");
    assert!(e.message.contains("from 1 to 100; got 0"), "{}", e.message);
    // The count is checked before the mode.
    assert_eq!(
        retry_policy(Some((0.0, "0")), Some("legacy"))
            .unwrap_err()
            .field,
        "maxAttempts"
    );
    assert_eq!(
        retry_policy(None, Some("legacy")).unwrap_err().field,
        "retryMode"
    );
    assert_eq!(retry_policy(None, None).unwrap().max_attempts, 3);
    assert!(parse_request_timeout(Some(0.0)).is_err());
    assert!(parse_request_timeout(Some(2_147_483_648.0)).is_err());
    assert_eq!(parse_request_timeout(Some(1.5)).unwrap(), Some(1.5));
    assert_eq!(parse_concurrency(None).unwrap(), 10);
    assert!(parse_concurrency(Some(0.0)).is_err());
    assert!(parse_concurrency(Some(1.5)).is_err());
    assert!(parse_concurrency(Some(1001.0)).is_err());
    assert_eq!(signing_time_from_ms(1500.0).unwrap(), 1);
    assert!(signing_time_from_ms(f64::NAN).is_err());
    assert!(signing_time_from_ms(8.7e15).is_err());
    let e = credential_part("credentials", "accessKeyId", None).unwrap_err();
    assert_eq!(e.0, "credentials.accessKeyId");
    assert_eq!(e.1, "credentials.accessKeyId is required");
    let e = credential_part("c", "secretAccessKey", Some(Ok(String::new()))).unwrap_err();
    assert_eq!(e.1, "c.secretAccessKey must not be empty");
    let e = credential_part("c", "accessKeyId", Some(Err("a number".into()))).unwrap_err();
    assert_eq!(e.1, "c.accessKeyId must be a string; got a number");
    assert_eq!(
        credential_part("c", "sessionToken", Some(Ok(String::new()))).unwrap(),
        None
    );
    assert!(client::credentials_need_refresh(Some(NOW + 60_000.0), NOW));
    assert!(!client::credentials_need_refresh(None, NOW));
}

#[test]
fn an_attempt_with_a_session_token_sends_it_signed_and_never_shows_it() {
    let mut c = client(RetryPolicy::default(), false);
    c.set_credentials(Credentials {
        session_token: Some("SESSION-TOKEN-VALUE".into()),
        ..creds()
    });
    let mut call = Call::new();
    let a = c.begin_attempt(&mut call, &hash(), NOW).expect("signs");
    let names: Vec<&str> = a.pairs().iter().map(|(k, _)| *k).collect();
    assert_eq!(
        names,
        [
            "content-type",
            "amz-sdk-request",
            "x-amz-date",
            "x-amz-security-token",
            "authorization"
        ]
    );
    assert_eq!(a.security_token.as_deref(), Some("SESSION-TOKEN-VALUE"));
    assert!(a.authorization.contains(
        "SignedHeaders=amz-sdk-request;content-type;host;x-amz-date;x-amz-security-token,"
    ));
    let debug = format!("{a:?}");
    assert!(!debug.contains("SESSION-TOKEN-VALUE"), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");
}
