//! The JavaScript boundary, run inside a real wasm runtime: `wasm-pack test --node` and
//! `wasm-pack test --headless --chrome` (same file). Calls go through the exported functions with
//! JS values, and the client makes a real `fetch` to the echo server that scripts/test.sh starts
//! (its URL is baked in at compile time from `CCE_ECHO_URL`).
#![cfg(target_arch = "wasm32")]

use connect_chat_events::wasm::{
    resolve_endpoint, serialize_chat_integration_event, sign_request,
    validate_chat_integration_event, ConnectChatClient,
};
use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
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

const VALID: &str = r#"{"SourceId":"+14155550100","DestinationId":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef","Subtype":"connect:sms","Event":{"Type":"MESSAGE","ContentType":"text/plain","Content":"hello"}}"#;

#[wasm_bindgen_test]
fn validate_accepts_valid_and_never_throws_on_junk() {
    let ok = validate_chat_integration_event(js(VALID), JsValue::UNDEFINED);
    assert_eq!(get(&ok, "valid"), JsValue::TRUE);
    for junk in [
        JsValue::NULL,
        JsValue::UNDEFINED,
        JsValue::from_f64(1.0),
        js("[]"),
        js(r#"{"__proto__":{"x":1}}"#),
    ] {
        let r = validate_chat_integration_event(junk, JsValue::UNDEFINED);
        assert_eq!(get(&r, "valid"), JsValue::FALSE);
        let issues: js_sys::Array = get(&r, "issues").into();
        assert!(issues.length() >= 1);
        assert!(!get_str(&issues.get(0), "message").is_empty());
    }
    // A cyclic object makes JSON.stringify throw: still a result, not an exception.
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    let r = validate_chat_integration_event(cyclic.into(), JsValue::UNDEFINED);
    assert_eq!(get(&r, "valid"), JsValue::FALSE);
}

#[wasm_bindgen_test]
fn serialize_throws_typed_error_with_issues() {
    let body = serialize_chat_integration_event(js(VALID), JsValue::UNDEFINED).expect("valid");
    assert!(body.starts_with(r#"{"SourceId":"+14155550100""#), "{body}");
    let err = serialize_chat_integration_event(
        js(r#"{"SourceId":"","Event":{"Type":"NOPE"}}"#),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    assert!(err.is_instance_of::<js_sys::Error>());
    assert_eq!(get_str(&err, "name"), "ChatEventValidationError");
    let issues: js_sys::Array = get(&err, "issues").into();
    assert!(issues.length() >= 3, "every problem at once");
    let paths: Vec<String> = issues.iter().map(|i| get_str(&i, "path")).collect();
    assert!(paths.iter().any(|p| p == "DestinationId"), "{paths:?}");
    assert!(paths.iter().any(|p| p == "Event.Type"), "{paths:?}");
}

#[wasm_bindgen_test]
fn sign_request_matches_the_public_suite_vector() {
    // aws-c-auth / aws4_testsuite `get-vanilla`.
    let req = js(r#"{"method":"GET","url":"https://example.amazonaws.com/"}"#);
    let opts = js(
        r#"{"region":"us-east-1","service":"service","applyChecksum":false,"signingDate":"2015-08-30T12:36:00Z",
        "credentials":{"accessKeyId":"AKIDEXAMPLE","secretAccessKey":"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}}"#,
    );
    let signed = sign_request(req, opts).expect("signs");
    assert_eq!(
        get_str(&signed, "signature"),
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
    let headers = get(&signed, "headers");
    assert_eq!(get_str(&headers, "x-amz-date"), "20150830T123600Z");
    assert_eq!(get_str(&headers, "host"), "example.amazonaws.com");
    let text = JSON::stringify(&signed).unwrap().as_string().unwrap();
    assert!(
        !text.contains("wJalrXUtnFEMI"),
        "the secret never appears in the result"
    );
    let err = sign_request(js(r#"{"url":"ftp://x"}"#), js(r#"{"region":"us-east-1","service":"s","credentials":{"accessKeyId":"a","secretAccessKey":"SECRETSECRET"}}"#)).unwrap_err();
    assert_eq!(get_str(&err, "name"), "SigningError");
    assert!(!get_str(&err, "message").contains("SECRETSECRET"));
}

#[wasm_bindgen_test]
fn resolve_endpoint_and_configuration_errors() {
    assert_eq!(
        resolve_endpoint(js(r#"{"region":"us-east-1"}"#)).unwrap(),
        "https://connect.us-east-1.amazonaws.com"
    );
    let err = resolve_endpoint(js(
        r#"{"region":"us-east-1","useFipsEndpoint":true,"endpoint":"http://127.0.0.1:1"}"#,
    ))
    .unwrap_err();
    assert_eq!(get_str(&err, "name"), "EndpointError");
    assert!(get_str(&err, "message").contains("FIPS"));
}

fn client(endpoint: &str) -> ConnectChatClient {
    let cfg = js(&format!(
        r#"{{"region":"us-east-1","endpoint":"{endpoint}","credentials":{{"accessKeyId":"AKIDLOCAL","secretAccessKey":"local-secret-value"}}}}"#
    ));
    ConnectChatClient::new(cfg).expect("client")
}

#[wasm_bindgen_test]
async fn client_sends_a_signed_request_with_real_fetch() {
    let echo = env!("CCE_ECHO_URL");
    let out =
        JsFuture::from(client(echo).send_chat_integration_event(js(VALID), JsValue::UNDEFINED))
            .await
            .expect("sent");
    assert_eq!(get_str(&out, "InitialContactId"), "echo-contact");
    assert_eq!(get(&out, "NewChatCreated"), JsValue::TRUE);
    let meta = get(&out, "$metadata");
    assert_eq!(get(&meta, "httpStatusCode").as_f64(), Some(200.0));
    assert_eq!(get(&meta, "attempts").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn client_maps_service_errors_and_sends_nothing_for_invalid_input() {
    let echo = env!("CCE_ECHO_URL");
    let err = JsFuture::from(
        client(&format!("{echo}/error/ThrottlingException/429"))
            .send_chat_integration_event(js(VALID), JsValue::UNDEFINED),
    )
    .await
    .unwrap_err();
    assert_eq!(get_str(&err, "name"), "ThrottlingException");
    assert_eq!(get_str(&err, "$fault"), "client");
    assert!(get(&err, "$retryable").is_object());
    let invalid = JsFuture::from(
        client("http://127.0.0.1:9").send_chat_integration_event(js("{}"), JsValue::UNDEFINED),
    )
    .await
    .unwrap_err();
    assert_eq!(
        get_str(&invalid, "name"),
        "ChatEventValidationError",
        "validation fails before any fetch (port 9 would refuse)"
    );
}
