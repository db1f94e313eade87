//! The operation's request assembly and response handling (`client`), natively.

use connect_chat_events::client::{operation_url, parse_response, prepare_request, request_id};
use connect_chat_events::sigv4::{Credentials, SigningKeyCache};
use connect_chat_events::validate::{parse_input_json, Options};

const INPUT: &str = r#"{"SourceId":"+14155550100","DestinationId":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-01","Subtype":"connect:sms","Event":{"Type":"MESSAGE","ContentType":"text/plain","Content":"hi"}}"#;

fn creds(token: Option<&str>) -> Credentials {
    Credentials {
        access_key_id: "AKIDEXAMPLE".into(),
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
        session_token: token.map(str::to_string),
    }
}

#[test]
fn operation_url_joins_base_paths_without_doubling_slashes() {
    assert_eq!(
        operation_url("https://connect.us-east-1.amazonaws.com"),
        "https://connect.us-east-1.amazonaws.com/chat-integration-event"
    );
    assert_eq!(
        operation_url("http://127.0.0.1:8787/"),
        "http://127.0.0.1:8787/chat-integration-event"
    );
    assert_eq!(
        operation_url("http://h/base//"),
        "http://h/base/chat-integration-event"
    );
}

#[test]
fn prepared_request_sends_only_what_it_needs_and_never_the_secret() {
    let input = parse_input_json(INPUT, &Options::default()).unwrap();
    let mut cache = SigningKeyCache::new();
    for token in [None, Some("TOKEN")] {
        let p = prepare_request(
            &input,
            "https://connect.us-east-1.amazonaws.com",
            "us-east-1",
            &creds(token),
            1_440_938_160,
            &[],
            &mut cache,
        )
        .unwrap();
        assert_eq!(p.method, "POST");
        assert_eq!(p.body, input.to_json());
        let names: Vec<&str> = p.headers.iter().map(|(k, _)| k.as_str()).collect();
        let mut want = vec!["content-type", "host", "x-amz-date", "authorization"];
        if token.is_some() {
            want.insert(3, "x-amz-security-token");
        }
        assert_eq!(
            names, want,
            "no x-amz-content-sha256, no user-agent (CORS preflights stay small)"
        );
        let auth = &p
            .headers
            .iter()
            .find(|(k, _)| k == "authorization")
            .unwrap()
            .1;
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/connect/aws4_request, SignedHeaders=content-type;host;x-amz-date"));
        let debug = format!("{p:?}");
        assert!(
            !debug.contains("wJalrXUtnFEMI") && !debug.contains("TOKEN\""),
            "{debug}"
        );
    }
    // Same input, time and key: the same signature (deterministic); another time: another one.
    let mut at = |time| {
        prepare_request(
            &input,
            "https://h",
            "us-east-1",
            &creds(None),
            time,
            &[],
            &mut cache,
        )
        .unwrap()
    };
    let (a, b, c) = (at(1), at(1), at(2));
    assert_eq!(a, b);
    assert_ne!(a.headers, c.headers);
}

#[test]
fn responses_become_outputs_or_typed_service_errors() {
    let h = vec![("X-Amzn-RequestId".to_string(), "rid-1".to_string())];
    let out = parse_response(
        200,
        &h,
        br#"{"InitialContactId":"c-1","NewChatCreated":true,"Extra":1}"#,
    )
    .unwrap();
    assert_eq!(out.initial_contact_id.as_deref(), Some("c-1"));
    assert_eq!(out.new_chat_created, Some(true));
    let empty = parse_response(200, &h, b"  ").unwrap();
    assert_eq!(empty.initial_contact_id, None);
    let err = parse_response(429, &h, br#"{"message":"slow down"}"#).unwrap_err();
    assert_eq!(err.status, 429);
    assert!(err.retryable && err.throttling);
    let bad = parse_response(200, &h, b"<html>").unwrap_err();
    assert_eq!(bad.code, "DeserializationError");
    assert_eq!(bad.fault.as_str(), "server");
    assert_eq!(request_id(&h), Some("rid-1"));
}
