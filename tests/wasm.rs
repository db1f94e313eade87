//! The JavaScript boundary, run inside a real wasm runtime: `wasm-pack test --node` and
//! `wasm-pack test --headless --chrome` (same file). Calls go through the exported functions with
//! JS values. `ConnectChatClient`, `signRequest` and `resolveEndpoint` are JavaScript (js/client.mjs,
//! tested with real `fetch` in tests/js/) over synchronous exports, which are called here directly.
#![cfg(target_arch = "wasm32")]

use connect_chat_events::client;
use connect_chat_events::sigv4::{self, Credentials, SigningKeyCache};
use connect_chat_events::wasm::{
    call_state_len, need_refresh, resolve_endpoint_values, serialize_chat_integration_event,
    sign_request_values, signing_time, validate_chat_integration_event, ClientCore,
};
use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON is valid")
}
fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).expect("object")
}
fn get_str(v: &JsValue, key: &str) -> String {
    get(v, key).as_string().unwrap_or_default()
}
/// A thrown core error (JSON text) or a JSON result, parsed.
fn parsed(v: &JsValue) -> JsValue {
    js(&v.as_string().expect("JSON text"))
}

const VALID: &str = r#"{"SourceId":"+14155550100","DestinationId":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef","Subtype":"connect:sms","Event":{"Type":"MESSAGE","ContentType":"text/plain","Content":"hello"}}"#;

#[wasm_bindgen_test]
fn validate_accepts_valid_and_never_throws_on_junk() {
    let ok = validate_chat_integration_event(js(VALID), true);
    assert_eq!(ok, "[]");
    for junk in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from_f64(1.0),
        js("[]"),
        js(r#"{"__proto__":{"x":1}}"#),
    ] {
        let issues: js_sys::Array = js(&validate_chat_integration_event(junk, true)).into();
        assert!(issues.length() >= 1);
        assert!(!get_str(&issues.get(0), "message").is_empty());
    }
    // A cyclic object makes JSON.stringify throw: still a result, not an exception.
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let issues: js_sys::Array = js(&validate_chat_integration_event(cyclic.into(), true)).into();
    assert_eq!(get_str(&issues.get(0), "code"), "json");
}

#[wasm_bindgen_test]
fn serialize_throws_typed_error_with_issues() {
    let body = serialize_chat_integration_event(js(VALID), true, 0.0).expect("valid");
    assert!(body.starts_with(r#"{"SourceId":"+14155550100""#), "{body}");
    let err = serialize_chat_integration_event(
        js(r#"{"SourceId":"","Event":{"Type":"NOPE"}}"#),
        true,
        0.0,
    )
    .unwrap_err();
    let err = parsed(&err);
    assert_eq!(get_str(&err, "name"), "ChatEventValidationError");
    let issues: js_sys::Array = get(&err, "issues").into();
    assert!(issues.length() >= 3, "every problem at once");
    let paths: Vec<String> = issues.iter().map(|i| get_str(&i, "path")).collect();
    assert!(paths.iter().any(|p| p == "DestinationId"), "{paths:?}");
    assert!(paths.iter().any(|p| p == "Event.Type"), "{paths:?}");
}

fn vanilla(url: &str, time: f64) -> Result<Vec<String>, JsValue> {
    let parts = [
        "GET",
        url,
        "us-east-1",
        "service",
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        "",
    ];
    let lens: Vec<f64> = parts
        .iter()
        .map(|p| p.encode_utf16().count() as f64)
        .collect();
    let out = sign_request_values(
        &parts.join("\n"),
        &lens,
        b"",
        time,
        0b110, // uriEscapePath, normalizePath; no x-amz-content-sha256
    )?;
    let arr: js_sys::Array = js(&out).into();
    Ok(arr
        .iter()
        .map(|v| v.as_string().unwrap_or_default())
        .collect())
}

#[wasm_bindgen_test]
fn sign_request_matches_the_public_suite_vector() {
    // aws-c-auth / aws4_testsuite `get-vanilla`; signRequest (js/client.mjs) reads the JS values.
    let time = signing_time("2015-08-30T12:36:00Z").expect("a date");
    let text = vanilla("https://example.amazonaws.com/", time).expect("signs");
    assert_eq!(
        text[4],
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    let headers: Vec<&[String]> = text[5..].chunks(2).collect();
    assert!(headers
        .iter()
        .any(|h| h[0] == "x-amz-date" && h[1] == "20150830T123600Z"));
    assert!(headers
        .iter()
        .any(|h| h[0] == "host" && h[1] == "example.amazonaws.com"));
    assert!(
        !text.iter().any(|t| t.contains("wJalrXUtnFEMI")),
        "the secret never appears in the result"
    );
    let err = parsed(&vanilla("ftp://x", time).unwrap_err());
    assert_eq!(get_str(&err, "name"), "SigningError");
    assert!(!get_str(&err, "message").contains("wJalrXUtnFEMI"));
    let err = parsed(&signing_time("yesterday").unwrap_err());
    assert_eq!(get_str(&err, "name"), "SigningError");
}

#[wasm_bindgen_test]
fn resolve_endpoint_and_endpoint_errors() {
    assert_eq!(
        resolve_endpoint_values(Some("us-east-1".to_string()), None, false, false).unwrap(),
        "https://connect.us-east-1.amazonaws.com"
    );
    let err = parsed(
        &resolve_endpoint_values(
            Some("us-east-1".to_string()),
            Some("http://127.0.0.1:1".to_string()),
            true,
            false,
        )
        .unwrap_err(),
    );
    assert_eq!(get_str(&err, "name"), "EndpointError");
    assert!(get_str(&err, "message").contains("FIPS"));
}

const NOW: f64 = 1_700_000_000_000.0;
/// SHA-256 of `{}`.
const EMPTY_OBJECT_HASH: &str = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

fn core(endpoint: &str) -> ClientCore {
    let mut c = ClientCore::new(
        Some("us-east-1".to_string()),
        Some(endpoint.to_string()),
        false,
        false,
    )
    .expect("core");
    c.set_retry(None, "", None).expect("defaults");
    c.set_options(0.0, false);
    c.set_credentials(
        "AKIDLOCAL".to_string(),
        "local-secret-value".to_string(),
        None,
    );
    c
}

fn state() -> Vec<f64> {
    vec![0.0; call_state_len() as usize]
}

fn respond(
    c: &mut ClientCore,
    st: &mut [f64],
    status: f64,
    headers: &str,
    body: &str,
    now: f64,
) -> js_sys::Array {
    js(&c.respond(st, status, headers, body, now)).into()
}

fn header<'a>(signed: &'a str, name: &str) -> Option<&'a str> {
    let parts: Vec<&str> = signed.split('\n').collect();
    parts[1..]
        .chunks(2)
        .find(|p| p[0] == name)
        .and_then(|p| p.get(1).copied())
}

#[wasm_bindgen_test]
fn core_signs_an_attempt_and_parses_a_success() {
    let mut c = core("http://127.0.0.1:9");
    assert_eq!(
        c.info(),
        r#"["us-east-1","http://127.0.0.1:9",3,"standard"]"#
    );
    let serialized =
        serialize_chat_integration_event(js(VALID), true, f64::INFINITY).expect("valid");
    // The body's hash comes in front of it.
    let (hash, body) = serialized.split_at(64);
    assert!(body.starts_with('{'));
    assert_eq!(hash, sigv4::sha256_hex(body.as_bytes()));
    let mut st = state();
    let signed = c.sign(&mut st, hash, NOW).expect("signs");
    assert!(signed.starts_with("http://127.0.0.1:9/chat-integration-event\n"));
    assert_eq!(header(&signed, "content-type"), Some("application/json"));
    assert_eq!(header(&signed, "amz-sdk-request"), Some("attempt=1; max=3"));
    assert_eq!(header(&signed, "x-amz-date"), Some("20231114T221320Z"));
    assert!(header(&signed, "authorization").is_some_and(|a| a.contains("Credential=AKIDLOCAL/")));
    assert_eq!(header(&signed, "host"), None, "fetch sets host");
    assert!(!signed.contains("local-secret-value"));
    // The same signature as the core's general request signer.
    let expected = client::prepare_body_hashed(
        body.to_string(),
        None,
        "http://127.0.0.1:9",
        "us-east-1",
        &Credentials {
            access_key_id: "AKIDLOCAL".to_string(),
            secret_access_key: "local-secret-value".to_string(),
            session_token: None,
        },
        (NOW / 1000.0) as i64,
        &[(
            "amz-sdk-request".to_string(),
            "attempt=1; max=3".to_string(),
        )],
        &mut SigningKeyCache::new(),
    )
    .expect("signs");
    let expected_auth = expected.headers.iter().find(|(n, _)| n == "authorization");
    assert_eq!(
        header(&signed, "authorization"),
        expected_auth.map(|(_, v)| v.as_str())
    );
    // A malformed hash is a typed error, not a wrong signature.
    let err = parsed(&c.sign(&mut state(), "abc", NOW).expect_err("bad hash"));
    assert_eq!(get_str(&err, "name"), "SigningError");
    assert_eq!(get_str(&err, "field"), "bodyHash");
    let out = respond(
        &mut c,
        &mut st,
        200.0,
        "X-Amzn-RequestId\nreq-1\ncontent-type\napplication/json",
        r#"{"InitialContactId":"c-1","NewChatCreated":true}"#,
        NOW,
    );
    assert_eq!(out.get(0).as_f64(), Some(0.0));
    assert_eq!(out.get(1).as_f64(), Some(200.0));
    assert_eq!(out.get(2).as_string().as_deref(), Some("req-1"));
    assert!(out.get(3).is_null(), "absent");
    assert_eq!(out.get(5).as_string().as_deref(), Some("c-1"));
    assert_eq!(out.get(6), JsValue::TRUE);
    assert_eq!(st[0], 1.0, "one attempt");
    assert!(!need_refresh(None, NOW));
    assert!(need_refresh(Some(NOW + 60_000.0), NOW));
    assert!(!need_refresh(Some(NOW + 3_600_000.0), NOW));
}

#[wasm_bindgen_test]
fn core_service_errors_and_retry_decisions() {
    let mut c = core("http://127.0.0.1:9");
    let mut st = state();
    c.sign(&mut st, EMPTY_OBJECT_HASH, NOW).expect("signs");
    let out = respond(
        &mut c,
        &mut st,
        429.0,
        "x-amzn-errortype\nThrottlingException",
        r#"{"message":"Rate exceeded"}"#,
        NOW,
    );
    assert_eq!(out.get(0).as_f64(), Some(2.0));
    assert_eq!(
        out.get(5).as_string().as_deref(),
        Some("ThrottlingException")
    );
    assert_eq!(out.get(6).as_string().as_deref(), Some("Rate exceeded"));
    assert_eq!(out.get(7).as_string().as_deref(), Some("client"));
    assert_eq!(out.get(8), JsValue::TRUE, "retryable, throttling");
    assert_eq!(out.get(11).as_string().as_deref(), Some("THROTTLING"));
    assert_eq!(out.get(12), JsValue::TRUE, "a retry");
    assert_eq!(st[2], st[10], "totalRetryDelay is the back-off");
    let signed = c.sign(&mut st, EMPTY_OBJECT_HASH, NOW).expect("signs");
    assert_eq!(header(&signed, "amz-sdk-request"), Some("attempt=2; max=3"));
    let out = respond(
        &mut c,
        &mut st,
        400.0,
        "x-amzn-errortype\nInvalidRequestException",
        r#"{"message":"bad"}"#,
        NOW,
    );
    assert_eq!(out.get(12).as_string().as_deref(), Some("not-retryable"));
    // With a shouldRetry hook, a failure waits for the verdict.
    c.set_options(0.0, true);
    let mut st = state();
    c.sign(&mut st, EMPTY_OBJECT_HASH, NOW).expect("signs");
    let out: js_sys::Array = js(&c.failed(&mut st, true, NOW)).into();
    assert_eq!(out.get(0).as_string().as_deref(), Some("TRANSIENT"));
    assert!(out.get(1).is_null(), "ask the hook");
    assert_eq!(c.decide(&mut st, false), r#""not-retryable""#);
    // Configuration errors are typed.
    let err = parsed(&c.set_retry(Some(0.0), "0", None).expect_err("out of range"));
    assert_eq!(get_str(&err, "name"), "ConfigurationError");
    assert_eq!(get_str(&err, "field"), "maxAttempts");
    assert!(get_str(&err, "message").contains("from 1 to 100; got 0"));
    let err = parsed(
        &c.set_retry(None, "", Some("legacy".to_string()))
            .expect_err("mode"),
    );
    assert_eq!(get_str(&err, "field"), "retryMode");
    let err = parsed(
        &ClientCore::new(
            Some("us-east-1".to_string()),
            Some("http://127.0.0.1:9".to_string()),
            true,
            false,
        )
        .err()
        .expect("FIPS with a custom endpoint"),
    );
    assert_eq!(get_str(&err, "name"), "EndpointError");
}
