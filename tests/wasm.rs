//! The JavaScript boundary, run inside a real wasm runtime: `wasm-pack test --node` and
//! `wasm-pack test --headless --chrome` (same file). Calls go through the exported functions and
//! the `ConnectChatClient` class with JS values, as a JS caller makes them: results are objects
//! with named keys, errors real JS `Error`s with a `name` and structured fields. The send loop
//! runs against a stub transport (the `fetch` option); tests/js/ drive it with real `fetch`.
#![cfg(target_arch = "wasm32")]

use connect_chat_events::wasm::{
    chat_event_rules, resolve_endpoint, serialize_chat_integration_event, sign_request,
    validate_chat_integration_event, ConnectChatClient,
};
use js_sys::{Function, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
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
fn is_error(v: &JsValue) -> bool {
    v.is_instance_of::<js_sys::Error>()
}

const VALID: &str = r#"{"SourceId":"+14155550100","DestinationId":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef","Subtype":"connect:sms","Event":{"Type":"MESSAGE","ContentType":"text/plain","Content":"hello"}}"#;

#[wasm_bindgen_test]
fn validate_returns_named_keys_and_never_throws_on_junk() {
    let ok = validate_chat_integration_event(js(VALID), JsValue::UNDEFINED);
    assert_eq!(get(&ok, "valid"), JsValue::TRUE);
    assert_eq!(js_sys::Array::from(&get(&ok, "issues")).length(), 0);
    for junk in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from_f64(1.0),
        js("[]"),
        js(r#"{"__proto__":{"x":1}}"#),
    ] {
        let r = validate_chat_integration_event(junk, JsValue::UNDEFINED);
        assert_eq!(get(&r, "valid"), JsValue::FALSE);
        let issues = js_sys::Array::from(&get(&r, "issues"));
        assert!(issues.length() >= 1);
        assert!(!get_str(&issues.get(0), "message").is_empty());
    }
    // A cyclic object makes JSON.stringify throw: still a result, not an exception.
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let r = validate_chat_integration_event(cyclic.into(), JsValue::UNDEFINED);
    let issues = js_sys::Array::from(&get(&r, "issues"));
    assert_eq!(get_str(&issues.get(0), "code"), "json");
}

#[wasm_bindgen_test]
fn serialize_throws_a_typed_error_with_issues() {
    let body = serialize_chat_integration_event(js(VALID), JsValue::UNDEFINED).expect("valid");
    assert!(body.starts_with(r#"{"SourceId":"+14155550100""#), "{body}");
    let err = serialize_chat_integration_event(
        js(r#"{"SourceId":"","Event":{"Type":"NOPE"}}"#),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    assert!(is_error(&err), "a real Error");
    assert_eq!(get_str(&err, "name"), "ChatEventValidationError");
    assert_eq!(get_str(&err, "$fault"), "client");
    let issues = js_sys::Array::from(&get(&err, "issues"));
    assert!(issues.length() >= 3, "every problem at once");
    let paths: Vec<String> = issues.iter().map(|i| get_str(&i, "path")).collect();
    assert!(paths.iter().any(|p| p == "DestinationId"), "{paths:?}");
    assert!(paths.iter().any(|p| p == "Event.Type"), "{paths:?}");
}

fn vanilla(url: &str, date: &str) -> Result<JsValue, JsValue> {
    let request = js(&format!(r#"{{"method":"GET","url":"{url}"}}"#));
    let options = js(&format!(
        r#"{{"region":"us-east-1","service":"service","signingDate":"{date}","applyChecksum":false,
        "credentials":{{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}}}}"#
    ));
    sign_request(request, options)
}

#[wasm_bindgen_test]
fn sign_request_matches_the_public_suite_vector() {
    // aws-c-auth / aws4_testsuite `get-vanilla`.
    let out = vanilla("https://example.amazonaws.com/", "2015-08-30T12:36:00Z").expect("signs");
    assert_eq!(
        get_str(&out, "signature"),
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    let headers = get(&out, "headers");
    assert_eq!(get_str(&headers, "x-amz-date"), "20150830T123600Z");
    assert_eq!(get_str(&headers, "host"), "example.amazonaws.com");
    assert!(get_str(&out, "canonicalRequest").starts_with("GET\n/\n"));
    assert!(get_str(&out, "stringToSign").starts_with("AWS4-HMAC-SHA256\n"));
    let text = JSON::stringify(&out).unwrap().as_string().unwrap();
    assert!(!text.contains("wJalrXUtnFEMI"), "the secret never appears");
    let err = vanilla("ftp://x", "2015-08-30T12:36:00Z").unwrap_err();
    assert!(is_error(&err));
    assert_eq!(get_str(&err, "name"), "SigningError");
    assert!(!get_str(&err, "variant").is_empty());
    assert!(!get_str(&err, "message").contains("wJalrXUtnFEMI"));
    let err = vanilla("https://example.amazonaws.com/", "yesterday").unwrap_err();
    assert_eq!(get_str(&err, "name"), "SigningError");
    // A throwing getter is a typed error naming the field, not an exception through wasm.
    let hostile: JsValue =
        Function::new_no_args("return { get url() { throw new Error('boom'); } };")
            .call0(&JsValue::UNDEFINED)
            .unwrap();
    let err = sign_request(hostile, js(r#"{"region":"r","service":"s"}"#)).unwrap_err();
    assert_eq!(get_str(&err, "field"), "request.url");
}

#[wasm_bindgen_test]
fn resolve_endpoint_and_endpoint_errors() {
    assert_eq!(
        resolve_endpoint(js(r#"{"region":"us-east-1"}"#)).unwrap(),
        "https://connect.us-east-1.amazonaws.com"
    );
    let err = resolve_endpoint(js(
        r#"{"region":"us-east-1","endpoint":"http://127.0.0.1:1","useFipsEndpoint":true}"#,
    ))
    .unwrap_err();
    assert!(is_error(&err));
    assert_eq!(get_str(&err, "name"), "EndpointError");
    assert!(get_str(&err, "message").contains("FIPS"));
}

#[wasm_bindgen_test]
fn rules_are_frozen_and_come_from_the_validator() {
    let r = chat_event_rules();
    assert_eq!(get(&r, "maxContentBytes").as_f64(), Some(16384.0));
    assert!(js_sys::Object::is_frozen(&r.clone().into()));
    let types: js_sys::Array = get(&get(&r, "contentTypes"), "MESSAGE").unchecked_into();
    assert_eq!(types.get(0).as_string().as_deref(), Some("text/plain"));
    assert!(js_sys::Object::is_frozen(&types.into()));
}

/// A client whose transport is `fetch` (JS source of a function `(url, init) => response`).
fn client(fetch: &str, extra: &str) -> Result<ConnectChatClient, JsValue> {
    let config = js(&format!(
        r#"{{"region":"us-east-1","endpoint":"http://127.0.0.1:9",
        "credentials":{{"accessKeyId":"AKIDLOCAL","secretAccessKey":"local-secret-value"}}{extra}}}"#
    ));
    let f = Function::new_with_args("url, init", fetch);
    Reflect::set(&config, &"fetch".into(), &f).unwrap();
    ConnectChatClient::new(config)
}

#[wasm_bindgen_test]
fn constructor_errors_are_typed() {
    let err = ConnectChatClient::new(JsValue::NULL)
        .err()
        .expect("not an object");
    assert_eq!(get_str(&err, "name"), "ConfigurationError");
    assert_eq!(get_str(&err, "field"), "config");
    let err = client("", r#","maxAttempts":0"#).err().expect("range");
    assert_eq!(get_str(&err, "field"), "maxAttempts");
    assert!(get_str(&err, "message").contains("from 1 to 100; got 0"));
    let err = client("", r#","retryMode":"legacy""#).err().expect("mode");
    assert_eq!(get_str(&err, "field"), "retryMode");
    let err = client("", r#","requestTimeoutMs":0"#)
        .err()
        .expect("timeout");
    assert_eq!(get_str(&err, "field"), "requestTimeoutMs");
    let err = client("", r#","useFipsEndpoint":true"#)
        .err()
        .expect("FIPS + custom endpoint");
    assert_eq!(get_str(&err, "name"), "EndpointError");
    let c = client("", r#","maxAttempts":5,"retryMode":"adaptive""#).expect("valid");
    assert_eq!(c.max_attempts(), 5);
    assert_eq!(c.retry_mode(), "adaptive");
    let shown = JSON::stringify(&c.to_json()).unwrap().as_string().unwrap();
    assert!(!shown.contains("local-secret-value"), "{shown}");
}

#[wasm_bindgen_test]
async fn send_signs_calls_the_transport_and_returns_named_keys() {
    let c = client(
        r#"globalThis.__seen = { url, init };
        return { status: 200, headers: new Map([['x-amzn-RequestId', 'req-1']]),
                 text: async () => '{"InitialContactId":"c-1","NewChatCreated":true}' };"#,
        "",
    )
    .unwrap();
    let out = JsFuture::from(c.send_chat_integration_event(js(VALID), JsValue::UNDEFINED))
        .await
        .expect("sent");
    assert_eq!(get_str(&out, "InitialContactId"), "c-1");
    assert_eq!(get(&out, "NewChatCreated"), JsValue::TRUE);
    let meta = get(&out, "$metadata");
    assert_eq!(get(&meta, "httpStatusCode").as_f64(), Some(200.0));
    assert_eq!(get_str(&meta, "requestId"), "req-1");
    assert_eq!(get(&meta, "attempts").as_f64(), Some(1.0));
    let seen = get(&js_sys::global(), "__seen");
    assert_eq!(
        get_str(&seen, "url"),
        "http://127.0.0.1:9/chat-integration-event"
    );
    let init = get(&seen, "init");
    assert_eq!(get_str(&init, "method"), "POST");
    let headers = get(&init, "headers");
    assert_eq!(get_str(&headers, "content-type"), "application/json");
    assert_eq!(get_str(&headers, "amz-sdk-request"), "attempt=1; max=3");
    assert!(get_str(&headers, "authorization").contains("Credential=AKIDLOCAL/"));
    assert!(get_str(&init, "body").starts_with(r#"{"SourceId":"#));
}

#[wasm_bindgen_test]
async fn service_errors_are_real_errors_after_the_retries() {
    let c = client(
        r#"globalThis.__calls = (globalThis.__calls || 0) + 1;
        return { status: 429, headers: [['x-amzn-errortype', 'ThrottlingException']],
                 text: () => '{"message":"Rate exceeded"}' };"#,
        r#","maxAttempts":2"#,
    )
    .unwrap();
    let err = JsFuture::from(c.send_chat_integration_event(js(VALID), JsValue::UNDEFINED))
        .await
        .expect_err("throttled twice");
    assert!(is_error(&err));
    assert_eq!(get_str(&err, "name"), "ThrottlingException");
    assert_eq!(get_str(&err, "message"), "Rate exceeded");
    assert_eq!(get_str(&err, "$fault"), "client");
    assert_eq!(get(&get(&err, "$retryable"), "throttling"), JsValue::TRUE);
    let meta = get(&err, "$metadata");
    assert_eq!(get(&meta, "attempts").as_f64(), Some(2.0));
    assert!(get(&meta, "totalRetryDelay").as_f64().unwrap_or(0.0) > 0.0);
    assert_eq!(
        get(&get(&err, "$response"), "statusCode").as_f64(),
        Some(429.0)
    );
    // Invalid input rejects before anything is sent.
    let err = JsFuture::from(c.send_chat_integration_event(js("{}"), JsValue::UNDEFINED))
        .await
        .expect_err("invalid");
    assert_eq!(get_str(&err, "name"), "ChatEventValidationError");
}

#[wasm_bindgen_test]
async fn a_transport_failure_is_the_transport_error_with_metadata() {
    let c = client(
        "throw new TypeError('fetch failed');",
        r#","maxAttempts":1"#,
    )
    .unwrap();
    let err = JsFuture::from(c.send_chat_integration_event(js(VALID), JsValue::UNDEFINED))
        .await
        .expect_err("no connection");
    assert_eq!(get_str(&err, "message"), "fetch failed");
    assert_eq!(get(&get(&err, "$metadata"), "attempts").as_f64(), Some(1.0));
}

/// Caller values reach the core through serde-wasm-bindgen, after a plain copy in JS: a string
/// with a lone surrogate (which would become U+FFFD as UTF-8) is an `encoding` issue at its path,
/// a member whose value is `undefined` is dropped (as `JSON.stringify` drops it), and nesting
/// past the limit is a `json` issue, not a stack overflow.
#[wasm_bindgen_test]
fn inputs_cross_as_values_with_json_semantics() {
    let f = Function::new_no_args(
        "return { SourceId: 'a\\ud800', DestinationId: 'b', Event: { Type: 'DISCONNECT', Extra: undefined } };",
    );
    let r = validate_chat_integration_event(f.call0(&JsValue::NULL).unwrap(), JsValue::UNDEFINED);
    let issues = js_sys::Array::from(&get(&r, "issues"));
    assert_eq!(issues.length(), 1);
    assert_eq!(get_str(&issues.get(0), "path"), "SourceId");
    assert_eq!(get_str(&issues.get(0), "code"), "encoding");
    // A literal backslash followed by "ud800" is an ordinary string.
    let r = validate_chat_integration_event(
        js(r#"{"SourceId":"\\ud800","DestinationId":"b","Event":{"Type":"DISCONNECT"}}"#),
        JsValue::UNDEFINED,
    );
    assert_eq!(get(&r, "valid"), JsValue::TRUE);
    let deep =
        Function::new_no_args("let v = {}; for (let i = 0; i < 1000; i++) v = { a: v }; return v;");
    let r =
        validate_chat_integration_event(deep.call0(&JsValue::NULL).unwrap(), JsValue::UNDEFINED);
    let issues = js_sys::Array::from(&get(&r, "issues"));
    assert_eq!(get_str(&issues.get(0), "code"), "json");
    let message = get_str(&issues.get(0), "message");
    assert!(message.contains("nest"), "{message}");
}

/// Inputs the typed read could take for something else (an array read as an object or a map, an
/// enum given as an object, members it does not see) are read dynamically, with the same
/// issues and bodies as before it.
#[wasm_bindgen_test]
fn values_the_typed_read_does_not_hold_are_read_dynamically() {
    const HEAD: &str = r#""SourceId":"s","DestinationId":"d""#;
    let lax = js(r#"{"strict":false}"#);
    for (rest, strict, path, code) in [
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":[]"#,
            true,
            "NewSessionDetails",
            "type",
        ),
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":[]"#,
            false,
            "NewSessionDetails",
            "type",
        ),
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":{"Attributes":[]}"#,
            false,
            "NewSessionDetails.Attributes",
            "type",
        ),
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":{"Attributes":[["a","b"]]}"#,
            false,
            "NewSessionDetails.Attributes",
            "type",
        ),
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":{"Attributes":[null,1]}"#,
            false,
            "NewSessionDetails.Attributes",
            "type",
        ),
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":{"SupportedMessagingContentTypes":"text/plain"}"#,
            false,
            "NewSessionDetails.SupportedMessagingContentTypes",
            "type",
        ),
        (r#""Event":"DISCONNECT""#, false, "Event", "type"),
        (
            r#""Event":{"Type":"DISCONNECT"},"NewSessionDetails":{"ParticipantDetails":[]}"#,
            false,
            "NewSessionDetails.ParticipantDetails",
            "type",
        ),
        (
            r#""Event":{"Type":{"DISCONNECT":null}}"#,
            false,
            "Event.Type",
            "type",
        ),
        (
            r#""Event":{"Type":"DISCONNECT"},"Extra":1"#,
            true,
            "Extra",
            "unknown",
        ),
    ] {
        let input = js(&format!("{{{HEAD},{rest}}}"));
        let r = validate_chat_integration_event(
            input,
            if strict {
                JsValue::UNDEFINED
            } else {
                lax.clone()
            },
        );
        let issues = js_sys::Array::from(&get(&r, "issues"));
        assert_eq!(issues.length(), 1, "{rest}");
        assert_eq!(get_str(&issues.get(0), "path"), path, "{rest}");
        assert_eq!(get_str(&issues.get(0), "code"), code, "{rest}");
    }
    // Members the typed read does not see are dropped as before: nulls, and unknown members
    // when not strict.
    for (rest, options) in [
        (
            r#""Event":{"Type":"DISCONNECT"},"Subtype":null,"NewSessionDetails":{"SupportedMessagingContentTypes":["text/plain",null]}"#,
            JsValue::UNDEFINED,
        ),
        (
            r#""Event":{"Type":"DISCONNECT","X":[1]},"NewSessionDetails":{"SupportedMessagingContentTypes":["text/plain"],"Y":{}}"#,
            lax.clone(),
        ),
    ] {
        let body = serialize_chat_integration_event(js(&format!("{{{HEAD},{rest}}}")), options)
            .expect("valid");
        assert_eq!(
            body,
            format!(
                r#"{{{HEAD},"Event":{{"Type":"DISCONNECT"}},"NewSessionDetails":{{"SupportedMessagingContentTypes":["text/plain"]}}}}"#
            ),
            "{rest}"
        );
    }
}
