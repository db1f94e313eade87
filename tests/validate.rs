//! Integration tests of `connect_chat_events::validate`: every rule, boundaries, modes, hostile input.

use connect_chat_events::model::{
    ChatEvent, ChatEventType, NewSessionDetails, ParticipantDetails, SendChatIntegrationEventInput,
    StreamingConfiguration,
};
use connect_chat_events::validate::{
    self, code, parse_input_json, validate, Issue, Options, EVENT_CONTENT_TYPES,
    MESSAGE_CONTENT_TYPES, SUPPORTED_MESSAGING_CONTENT_TYPES,
};
use connect_chat_events::value;
use serde_json::{json, Value};

mod common;
use common::{ours, parse_input, validate_value};

const SMS_ARN: &str =
    "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef0123456789abcdef";

fn strict() -> Options {
    Options::default()
}

fn lax() -> Options {
    Options { strict: false }
}

fn sms_message() -> Value {
    json!({
        "SourceId": "+14155550123",
        "DestinationId": SMS_ARN,
        "Subtype": "connect:sms",
        "Event": {"Type": "MESSAGE", "ContentType": "text/plain", "Content": "hello"}
    })
}

/// A generic (non-SMS) message, so SMS identifier rules do not interfere.
fn plain_message() -> Value {
    json!({
        "SourceId": "customer-1",
        "DestinationId": "chat-system-1",
        "Event": {"Type": "MESSAGE", "ContentType": "text/plain", "Content": "hi"}
    })
}

fn full_session() -> Value {
    let mut v = plain_message();
    set(
        &mut v,
        "/NewSessionDetails",
        json!({
            "SupportedMessagingContentTypes": ["text/plain", "text/markdown"],
            "ParticipantDetails": {"DisplayName": "Jane"},
            "Attributes": {"order-id": "42", "tier_1": "gold"},
            "StreamingConfiguration": {"StreamingEndpointArn": "arn:aws:sns:us-east-1:123456789012:chat"}
        }),
    );
    v
}

/// Sets (creating the last member) the value at a JSON pointer.
fn set(v: &mut Value, pointer: &str, new: Value) {
    let (parent, last) = pointer.rsplit_once('/').expect("pointer");
    let obj = v
        .pointer_mut(parent)
        .expect("parent")
        .as_object_mut()
        .expect("object");
    obj.insert(last.to_owned(), new);
}

fn with(mut v: Value, pointer: &str, new: Value) -> Value {
    set(&mut v, pointer, new);
    v
}

fn without(mut v: Value, pointer: &str) -> Value {
    let (parent, last) = pointer.rsplit_once('/').expect("pointer");
    v.pointer_mut(parent)
        .expect("parent")
        .as_object_mut()
        .expect("object")
        .remove(last);
    v
}

fn check(v: &Value) -> Vec<Issue> {
    validate_value(v, &strict())
}

/// Asserts the issue list is exactly one issue with this path and code; returns it.
fn only(issues: &[Issue], path: &str, code: &str) -> Issue {
    assert_eq!(
        issues.len(),
        1,
        "expected exactly one issue {path}/{code}, got {issues:#?}"
    );
    let i = &issues[0];
    assert_eq!((i.path.as_str(), i.code), (path, code), "{issues:#?}");
    assert!(!i.message.is_empty());
    i.clone()
}

/// Asserts some issue has this path and code; returns it.
fn has(issues: &[Issue], path: &str, code: &str) -> Issue {
    issues
        .iter()
        .find(|i| i.path == path && i.code == code)
        .unwrap_or_else(|| panic!("no {path}/{code} in {issues:#?}"))
        .clone()
}

fn assert_valid(v: &Value) {
    assert_eq!(validate_value(v, &strict()), vec![], "strict");
    assert_eq!(validate_value(v, &lax()), vec![], "lax");
    assert!(parse_input(v, &strict()).is_ok());
    assert!(parse_input_json(&v.to_string(), &strict()).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Valid inputs

#[test]
fn valid_sms_message_event_disconnect() {
    assert_valid(&sms_message());
    let event = with(
        sms_message(),
        "/Event",
        json!({"Type": "EVENT", "ContentType": "application/vnd.amazonaws.connect.event.message.delivered",
               "Content": "{\"messageId\":\"abc\"}"}),
    );
    assert_valid(&event);
    let disconnect = with(sms_message(), "/Event", json!({"Type": "DISCONNECT"}));
    assert_valid(&disconnect);
    assert_valid(&full_session());
}

#[test]
fn every_documented_content_type_is_accepted() {
    for ct in MESSAGE_CONTENT_TYPES {
        assert_valid(&with(plain_message(), "/Event/ContentType", json!(ct)));
    }
    for ct in EVENT_CONTENT_TYPES {
        let v = with(
            plain_message(),
            "/Event",
            json!({"Type": "EVENT", "ContentType": ct}),
        );
        assert_valid(&v);
    }
    let list: Vec<&str> = SUPPORTED_MESSAGING_CONTENT_TYPES.to_vec();
    let v = with(
        full_session(),
        "/NewSessionDetails/SupportedMessagingContentTypes",
        json!(list),
    );
    assert_valid(&v);
}

#[test]
fn disconnect_allows_but_does_not_require_content() {
    let v = with(
        plain_message(),
        "/Event",
        json!({"Type": "DISCONNECT", "ContentType": "anything/else", "Content": "bye"}),
    );
    assert_valid(&v);
    assert_valid(&with(
        plain_message(),
        "/Event",
        json!({"Type": "DISCONNECT"}),
    ));
}

#[test]
fn event_without_content_is_valid() {
    let v = with(
        plain_message(),
        "/Event",
        json!({"Type": "EVENT", "ContentType": "application/vnd.amazonaws.connect.event.typing"}),
    );
    assert_valid(&v);
}

// ---------------------------------------------------------------------------------------------
// Non-objects, types, required

#[test]
fn non_object_inputs_give_one_type_issue() {
    for v in [
        json!(null),
        json!(1),
        json!("x"),
        json!([]),
        json!(true),
        json!([{"SourceId": "a"}]),
    ] {
        for opts in [strict(), lax()] {
            let issues = validate_value(&v, &opts);
            let i = only(&issues, "", code::TYPE);
            assert!(i.message.contains("must be a JSON object"), "{}", i.message);
        }
    }
    let i = only(&check(&json!([])), "", code::TYPE);
    assert!(i.message.contains("got an array"));
}

#[test]
fn wrong_types_name_the_expected_type() {
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(plain_message(), "/SourceId", json!(1)),
            "SourceId",
            "must be a string",
        ),
        (
            with(plain_message(), "/DestinationId", json!([])),
            "DestinationId",
            "must be a string",
        ),
        (
            with(plain_message(), "/Subtype", json!(false)),
            "Subtype",
            "must be a string",
        ),
        (
            with(plain_message(), "/Event", json!("MESSAGE")),
            "Event",
            "must be an object",
        ),
        (
            with(plain_message(), "/Event/Type", json!(1)),
            "Event.Type",
            "must be a string",
        ),
        (
            with(plain_message(), "/Event/ContentType", json!(true)),
            "Event.ContentType",
            "must be a string",
        ),
        (
            with(plain_message(), "/Event/Content", json!({"a": 1})),
            "Event.Content",
            "must be a string",
        ),
        (
            with(plain_message(), "/NewSessionDetails", json!([])),
            "NewSessionDetails",
            "must be an object",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/SupportedMessagingContentTypes",
                json!("text/plain"),
            ),
            "NewSessionDetails.SupportedMessagingContentTypes",
            "must be an array of strings",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/SupportedMessagingContentTypes",
                json!(["text/plain", 7]),
            ),
            "NewSessionDetails.SupportedMessagingContentTypes[1]",
            "must be a string",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/ParticipantDetails",
                json!("Jane"),
            ),
            "NewSessionDetails.ParticipantDetails",
            "must be an object",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/ParticipantDetails/DisplayName",
                json!(5),
            ),
            "NewSessionDetails.ParticipantDetails.DisplayName",
            "must be a string",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/Attributes",
                json!([["a", "b"]]),
            ),
            "NewSessionDetails.Attributes",
            "must be an object",
        ),
        (
            with(full_session(), "/NewSessionDetails/Attributes/n", json!(1)),
            "NewSessionDetails.Attributes.n",
            "must be a string",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/StreamingConfiguration",
                json!(1),
            ),
            "NewSessionDetails.StreamingConfiguration",
            "must be an object",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/StreamingConfiguration/StreamingEndpointArn",
                json!(1),
            ),
            "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn",
            "must be a string",
        ),
    ];
    for (v, path, text) in cases {
        for opts in [strict(), lax()] {
            let issues = validate_value(&v, &opts);
            let i = only(&issues, path, code::TYPE);
            assert!(i.message.contains(text), "{}", i.message);
            assert!(i.message.contains(path), "{}", i.message);
        }
        assert!(parse_input(&v, &strict()).is_err());
    }
}

#[test]
fn required_members() {
    let cases: Vec<(Value, &str)> = vec![
        (without(plain_message(), "/SourceId"), "SourceId"),
        (without(plain_message(), "/DestinationId"), "DestinationId"),
        (without(plain_message(), "/Event"), "Event"),
        (without(plain_message(), "/Event/Type"), "Event.Type"),
        (
            with(
                full_session(),
                "/NewSessionDetails/ParticipantDetails",
                json!({}),
            ),
            "NewSessionDetails.ParticipantDetails.DisplayName",
        ),
        (
            with(
                full_session(),
                "/NewSessionDetails/StreamingConfiguration",
                json!({}),
            ),
            "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn",
        ),
    ];
    for (v, path) in cases {
        for opts in [strict(), lax()] {
            let i = only(&validate_value(&v, &opts), path, code::REQUIRED);
            assert!(
                i.message.contains(path) && i.message.contains("required"),
                "{}",
                i.message
            );
        }
    }
    let i = only(
        &check(&without(plain_message(), "/Event/Type")),
        "Event.Type",
        code::REQUIRED,
    );
    assert!(i.message.contains("DISCONNECT, MESSAGE, EVENT"));
}

#[test]
fn null_means_absent() {
    let i = only(
        &check(&with(plain_message(), "/SourceId", Value::Null)),
        "SourceId",
        code::REQUIRED,
    );
    assert!(i.message.contains("null counts as absent"), "{}", i.message);
    only(
        &check(&with(plain_message(), "/Event", Value::Null)),
        "Event",
        code::REQUIRED,
    );

    let mut v = plain_message();
    set(&mut v, "/Subtype", Value::Null);
    set(&mut v, "/NewSessionDetails", Value::Null);
    set(&mut v, "/Unknown", Value::Null); // null unknown member: absent, not reported
    assert_valid(&v);
    let parsed = parse_input(&v, &strict()).unwrap();
    assert_eq!(parsed.subtype, None);
    assert_eq!(parsed.new_session_details, None);

    let v = with(
        plain_message(),
        "/Event",
        json!({"Type": "DISCONNECT", "ContentType": null, "Content": null}),
    );
    assert_valid(&v);

    let mut v = full_session();
    set(
        &mut v,
        "/NewSessionDetails/SupportedMessagingContentTypes",
        json!([null, "text/plain", null]),
    );
    set(
        &mut v,
        "/NewSessionDetails/Attributes",
        json!({"a": null, "b": "1"}),
    );
    set(&mut v, "/NewSessionDetails/ParticipantDetails", Value::Null);
    set(
        &mut v,
        "/NewSessionDetails/StreamingConfiguration",
        Value::Null,
    );
    assert_valid(&v);
    let nsd = parse_input(&v, &strict())
        .unwrap()
        .new_session_details
        .unwrap();
    assert_eq!(
        nsd.supported_messaging_content_types,
        Some(vec!["text/plain".to_owned()])
    );
    assert_eq!(
        nsd.attributes.unwrap().into_iter().collect::<Vec<_>>(),
        vec![("b".into(), "1".into())]
    );
    assert_eq!(nsd.participant_details, None);

    // A null MESSAGE Content is absent, hence required in strict mode.
    let v = with(plain_message(), "/Event/Content", Value::Null);
    only(&check(&v), "Event.Content", code::REQUIRED);
}

#[test]
fn null_list_items_keep_their_input_index_in_paths() {
    let v = with(
        full_session(),
        "/NewSessionDetails/SupportedMessagingContentTypes",
        json!([null, "text/plain", ""]),
    );
    only(
        &check(&v),
        "NewSessionDetails.SupportedMessagingContentTypes[2]",
        code::LENGTH,
    );
}

// ---------------------------------------------------------------------------------------------
// Lengths (code points)

#[test]
fn source_id_length_counts_code_points_not_bytes_or_utf16_units() {
    for unit in ["a", "é", "😀"] {
        let ok = unit.repeat(255);
        assert_valid(&with(plain_message(), "/SourceId", json!(ok)));
        let bad = unit.repeat(256);
        for opts in [strict(), lax()] {
            let issues = validate_value(&with(plain_message(), "/SourceId", json!(bad)), &opts);
            let i = only(&issues, "SourceId", code::LENGTH);
            assert!(
                i.message.contains("1-255") && i.message.contains("got 256"),
                "{}",
                i.message
            );
        }
    }
    let i = only(
        &check(&with(plain_message(), "/SourceId", json!(""))),
        "SourceId",
        code::LENGTH,
    );
    assert_eq!(
        i.message,
        "SourceId must be 1-255 characters (Unicode code points); got 0"
    );
    let i = only(
        &check(&with(plain_message(), "/SourceId", json!("x".repeat(300)))),
        "SourceId",
        code::LENGTH,
    );
    assert_eq!(
        i.message,
        "SourceId must be 1-255 characters (Unicode code points); got 300"
    );
}

#[test]
fn other_length_limits() {
    let cases: Vec<(&str, usize, usize, &str)> = vec![
        ("/DestinationId", 1, 255, "DestinationId"),
        ("/Subtype", 1, 100, "Subtype"),
        ("/Event/ContentType", 1, 100, "Event.ContentType"),
        (
            "/NewSessionDetails/ParticipantDetails/DisplayName",
            1,
            256,
            "NewSessionDetails.ParticipantDetails.DisplayName",
        ),
        (
            "/NewSessionDetails/StreamingConfiguration/StreamingEndpointArn",
            1,
            350,
            "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn",
        ),
    ];
    for (pointer, min, max, path) in cases {
        // At the limits (multibyte, to prove code points): valid in lax mode.
        let at_max = format!("arn:{}", "é".repeat(max - 4));
        assert_eq!(
            validate_value(&with(full_session(), pointer, json!(at_max)), &lax()),
            vec![],
            "{path}"
        );
        let over = format!("arn:{}", "é".repeat(max - 3));
        let issues = validate_value(&with(full_session(), pointer, json!(over)), &lax());
        let i = only(&issues, path, code::LENGTH);
        assert!(i.message.contains(&format!("{min}-{max}")), "{}", i.message);
        assert!(
            i.message.contains(&format!("got {}", max + 1)),
            "{}",
            i.message
        );
        let issues = validate_value(&with(full_session(), pointer, json!("")), &lax());
        let i = only(&issues, path, code::LENGTH);
        assert!(i.message.contains("got 0"), "{}", i.message);
    }
}

#[test]
fn content_length_and_bytes() {
    // Exactly 16,384 bytes (8,192 two-byte code points): fine.
    let exact = "é".repeat(8192);
    assert_eq!(exact.len(), 16_384);
    assert_valid(&with(plain_message(), "/Event/Content", json!(exact)));
    // 16,384 four-byte code points: within the model's 16,384 code points, 65,536 bytes.
    // 16,385 bytes (8,192 code points + 1): documented byte limit only.
    let over = format!("{exact}a");
    let v = with(plain_message(), "/Event/Content", json!(over));
    let i = only(&check(&v), "Event.Content", code::BYTES);
    assert!(
        i.message.contains("16384") && i.message.contains("got 16385"),
        "{}",
        i.message
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);
    // Over 16,384 code points: model length (and not additionally `bytes`).
    let v = with(plain_message(), "/Event/Content", json!("a".repeat(16_385)));
    let i = only(&check(&v), "Event.Content", code::LENGTH);
    assert!(
        i.message.contains("1-16384") && i.message.contains("got 16385"),
        "{}",
        i.message
    );
    only(&validate_value(&v, &lax()), "Event.Content", code::LENGTH);
    // 16,384 emoji: model-valid, 65,536 bytes.
    let v = with(
        plain_message(),
        "/Event/Content",
        json!("😀".repeat(16_384)),
    );
    let i = only(&check(&v), "Event.Content", code::BYTES);
    assert!(i.message.contains("got 65536"), "{}", i.message);
    assert_eq!(validate_value(&v, &lax()), vec![]);
    // Empty content violates the model minimum.
    only(
        &validate_value(&with(plain_message(), "/Event/Content", json!("")), &lax()),
        "Event.Content",
        code::LENGTH,
    );
}

#[test]
fn supported_messaging_content_types_item_length() {
    let p = "/NewSessionDetails/SupportedMessagingContentTypes";
    let v = with(full_session(), p, json!(["text/plain", ""]));
    let i = only(
        &validate_value(&v, &lax()),
        "NewSessionDetails.SupportedMessagingContentTypes[1]",
        code::LENGTH,
    );
    assert!(i.message.contains("1-100"), "{}", i.message);
    let v = with(full_session(), p, json!(["text/plain", "x".repeat(101)]));
    let i = only(
        &validate_value(&v, &lax()),
        "NewSessionDetails.SupportedMessagingContentTypes[1]",
        code::LENGTH,
    );
    assert!(i.message.contains("got 101"), "{}", i.message);
}

#[test]
fn attribute_key_and_value_lengths() {
    let p = "/NewSessionDetails/Attributes";
    let v = with(full_session(), p, json!({"": "v"}));
    let i = only(
        &validate_value(&v, &lax()),
        "NewSessionDetails.Attributes.",
        code::LENGTH,
    );
    assert!(
        i.message.contains("key") && i.message.contains("1-32767") && i.message.contains("got 0"),
        "{}",
        i.message
    );

    let long_key = "k".repeat(32_768);
    let v = with(full_session(), p, json!({long_key.clone(): "v"}));
    let issues = validate_value(&v, &lax());
    assert_eq!(issues.len(), 1, "{issues:#?}");
    assert_eq!(issues[0].code, code::LENGTH);
    assert!(issues[0]
        .path
        .starts_with("NewSessionDetails.Attributes.kkk"));
    assert!(issues[0].path.chars().count() < 120, "path must be clipped");
    assert!(issues[0].message.contains("got 32768"));

    // Values may be empty (0-32767).
    assert_valid(&with(full_session(), p, json!({"empty": ""})));
    let v = with(full_session(), p, json!({"big": "é".repeat(32_768)}));
    let issues = validate_value(&v, &lax());
    let i = only(&issues, "NewSessionDetails.Attributes.big", code::LENGTH);
    assert!(
        i.message.contains("value")
            && i.message.contains("at most 32767")
            && i.message.contains("got 32768")
    );
    // Strict also reports the documented total.
    let issues = check(&v);
    assert_eq!(issues.len(), 2, "{issues:#?}");
    has(&issues, "NewSessionDetails.Attributes.big", code::LENGTH);
    has(&issues, "NewSessionDetails.Attributes", code::BYTES);
}

// ---------------------------------------------------------------------------------------------
// Enum and content types

#[test]
fn event_type_enum() {
    let v = with(plain_message(), "/Event/Type", json!("message"));
    for opts in [strict(), lax()] {
        let i = only(&validate_value(&v, &opts), "Event.Type", code::ENUM);
        assert!(
            i.message.contains("DISCONNECT, MESSAGE, EVENT"),
            "{}",
            i.message
        );
        assert!(i.message.contains("case-sensitive"), "{}", i.message);
    }
    let i = only(
        &check(&with(plain_message(), "/Event/Type", json!("TYPING"))),
        "Event.Type",
        code::ENUM,
    );
    assert!(!i.message.contains("case-sensitive"));
}

#[test]
fn supported_messaging_content_types_enum_and_contains() {
    let p = "/NewSessionDetails/SupportedMessagingContentTypes";
    let v = with(full_session(), p, json!(["text/plain", "text/html"]));
    let i = only(
        &check(&v),
        "NewSessionDetails.SupportedMessagingContentTypes[1]",
        code::ENUM,
    );
    assert!(
        i.message.contains("text/markdown") && i.message.contains("\"text/html\""),
        "{}",
        i.message
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);

    let v = with(full_session(), p, json!(["text/markdown"]));
    let i = only(
        &check(&v),
        "NewSessionDetails.SupportedMessagingContentTypes",
        code::CONTAINS,
    );
    assert!(i.message.contains("text/plain"), "{}", i.message);
    assert_eq!(validate_value(&v, &lax()), vec![]);

    let v = with(full_session(), p, json!([]));
    only(
        &check(&v),
        "NewSessionDetails.SupportedMessagingContentTypes",
        code::CONTAINS,
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);
}

#[test]
fn message_content_type_rules() {
    let v = with(
        plain_message(),
        "/Event/ContentType",
        json!("application/vnd.amazonaws.connect.event.typing"),
    );
    let i = only(&check(&v), "Event.ContentType", code::CONTENT_TYPE);
    for ct in MESSAGE_CONTENT_TYPES {
        assert!(i.message.contains(ct), "{}", i.message);
    }
    assert!(i.message.contains("MESSAGE"));
    assert_eq!(validate_value(&v, &lax()), vec![]);

    let v = without(plain_message(), "/Event/ContentType");
    let i = only(&check(&v), "Event.ContentType", code::REQUIRED);
    assert!(
        i.message.contains("MESSAGE") && i.message.contains("text/plain"),
        "{}",
        i.message
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);

    let v = without(plain_message(), "/Event/Content");
    only(&check(&v), "Event.Content", code::REQUIRED);
    assert_eq!(validate_value(&v, &lax()), vec![]);
}

#[test]
fn event_content_type_rules() {
    let v = with(
        plain_message(),
        "/Event",
        json!({"Type": "EVENT", "ContentType": "text/plain"}),
    );
    let i = only(&check(&v), "Event.ContentType", code::CONTENT_TYPE);
    for ct in EVENT_CONTENT_TYPES {
        assert!(i.message.contains(ct), "{}", i.message);
    }
    assert_eq!(validate_value(&v, &lax()), vec![]);

    let v = with(plain_message(), "/Event", json!({"Type": "EVENT"}));
    let i = only(&check(&v), "Event.ContentType", code::REQUIRED);
    assert!(
        i.message.contains("EVENT") && i.message.contains("event.typing"),
        "{}",
        i.message
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);
}

#[test]
fn sms_and_whatsapp_messages_must_be_plain_text() {
    let v = with(sms_message(), "/Event/ContentType", json!("text/markdown"));
    let i = only(&check(&v), "Event.ContentType", code::CONTENT_TYPE);
    assert!(
        i.message.contains("text/plain") && i.message.contains("connect:sms"),
        "{}",
        i.message
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);

    for subtype in ["connect:WhatsApp", "CONNECT:WHATSAPP", "connect:SMS"] {
        let mut v = with(plain_message(), "/Subtype", json!(subtype));
        if subtype == "connect:SMS" {
            set(&mut v, "/SourceId", json!("+4930123456"));
            set(&mut v, "/DestinationId", json!(SMS_ARN));
        }
        assert_valid(&v);
        let v = with(v, "/Event/ContentType", json!("application/json"));
        only(&check(&v), "Event.ContentType", code::CONTENT_TYPE);
    }
    // Events on SMS are not restricted to text/plain.
    let v = with(
        sms_message(),
        "/Event",
        json!({"Type": "EVENT", "ContentType": "application/vnd.amazonaws.connect.event.message.read"}),
    );
    assert_valid(&v);
}

#[test]
fn deprecated_connection_acknowledged_is_still_accepted() {
    let v = with(
        plain_message(),
        "/Event",
        json!({"Type": "EVENT", "ContentType": "application/vnd.amazonaws.connect.event.connection.acknowledged"}),
    );
    assert_valid(&v);
}

// ---------------------------------------------------------------------------------------------
// SMS identifiers

#[test]
fn sms_source_id_must_be_e164() {
    for ok in ["+14155550123", "+12", "+123456789012345", "+4930123456"] {
        assert_valid(&with(sms_message(), "/SourceId", json!(ok)));
    }
    for bad in [
        "14155550123",
        "+0123",
        "+1",
        "+1234567890123456",
        "+1 415 555",
        "+",
        "+１２",
        "+1415a",
    ] {
        let v = with(sms_message(), "/SourceId", json!(bad));
        let i = only(&check(&v), "SourceId", code::E164);
        assert!(
            i.message.contains("E.164") && i.message.contains("connect:sms"),
            "{}",
            i.message
        );
        assert_eq!(validate_value(&v, &lax()), vec![], "{bad}");
        // Not SMS: no E.164 rule.
        assert_valid(&without(v, "/Subtype"));
    }
}

#[test]
fn sms_destination_id_must_be_phone_number_arn() {
    let good = [
        SMS_ARN,
        "arn:aws-cn:sms-voice:cn-north-1:123456789012:phone-number/phone-1",
        "arn:aws-us-gov:sms-voice:us-gov-west-1:123456789012:phone-number/phone-1",
        "arn:aws:sms-voice:ap-southeast-2:000000000000:phone-number/phone_X-9",
    ];
    for ok in good {
        assert_valid(&with(sms_message(), "/DestinationId", json!(ok)));
    }
    let bad = [
        ("+18005550100", "six"),
        ("arn:aws:sms-voice:us-east-1:123456789012", "six"),
        (
            "urn:aws:sms-voice:us-east-1:123456789012:phone-number/p",
            "arn:",
        ),
        (
            "arn:aws-xx:sms-voice:us-east-1:123456789012:phone-number/p",
            "partition",
        ),
        (
            "arn:aws:mobiletargeting:us-east-1:123456789012:phone-number/p",
            "sms-voice",
        ),
        (
            "arn:aws:sms-voice:US-EAST-1:123456789012:phone-number/p",
            "region",
        ),
        (
            "arn:aws:sms-voice:useast1:123456789012:phone-number/p",
            "region",
        ),
        (
            "arn:aws:sms-voice:us-east-:123456789012:phone-number/p",
            "region",
        ),
        (
            "arn:aws-cn:sms-voice:us-east-1:123456789012:phone-number/p",
            "partition",
        ),
        (
            "arn:aws:sms-voice:cn-north-1:123456789012:phone-number/p",
            "partition",
        ),
        (
            "arn:aws:sms-voice:us-east-1:12345678901:phone-number/p",
            "12 digits",
        ),
        (
            "arn:aws:sms-voice:us-east-1:12345678901a:phone-number/p",
            "12 digits",
        ),
        (
            "arn:aws:sms-voice:us-east-1:123456789012:pool/pool-1",
            "phone-number/",
        ),
        (
            "arn:aws:sms-voice:us-east-1:123456789012:phone-number/",
            "id",
        ),
        (
            "arn:aws:sms-voice:us-east-1:123456789012:phone-number/a:b",
            "id",
        ),
    ];
    for (arn, why) in bad {
        let v = with(sms_message(), "/DestinationId", json!(arn));
        let i = only(&check(&v), "DestinationId", code::ARN);
        assert!(i.message.contains(why), "{arn}: {}", i.message);
        assert!(i.message.contains("phone-number ARN"), "{}", i.message);
        assert_eq!(validate_value(&v, &lax()), vec![]);
    }
}

#[test]
fn streaming_endpoint_arn_must_look_like_an_arn() {
    let p = "/NewSessionDetails/StreamingConfiguration/StreamingEndpointArn";
    let v = with(full_session(), p, json!("my-topic"));
    let i = only(
        &check(&v),
        "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn",
        code::ARN,
    );
    assert!(i.message.contains("arn:"), "{}", i.message);
    assert_eq!(validate_value(&v, &lax()), vec![]);
}

// ---------------------------------------------------------------------------------------------
// Attributes

#[test]
fn attribute_key_pattern() {
    assert_valid(&with(
        full_session(),
        "/NewSessionDetails/Attributes",
        json!({"my-key_1": "x", "ABC": "y"}),
    ));
    for key in ["my key", "a.b", "ключ", "a/b", "__proto__:"] {
        let v = with(
            full_session(),
            "/NewSessionDetails/Attributes",
            json!({key: "x"}),
        );
        let path = format!("NewSessionDetails.Attributes.{key}");
        let i = only(&check(&v), &path, code::PATTERN);
        assert!(
            i.message.contains("A-Z") && i.message.contains('_'),
            "{}",
            i.message
        );
        assert_eq!(validate_value(&v, &lax()), vec![]);
    }
}

#[test]
fn attributes_total_bytes() {
    // 32,768 bytes exactly: key "k" (1) + value (32,767) = 32,768.
    let v = with(
        full_session(),
        "/NewSessionDetails/Attributes",
        json!({"k": "v".repeat(32_767)}),
    );
    assert_valid(&v);
    // Two entries totalling 32,769.
    let v = with(
        full_session(),
        "/NewSessionDetails/Attributes",
        json!({"a": "x".repeat(16_383), "b": "y".repeat(16_384)}),
    );
    let i = only(&check(&v), "NewSessionDetails.Attributes", code::BYTES);
    assert!(
        i.message.contains("32768") && i.message.contains("got 32769"),
        "{}",
        i.message
    );
    assert_eq!(validate_value(&v, &lax()), vec![]);
    // Multibyte: bytes, not characters, count for the total.
    let v = with(
        full_session(),
        "/NewSessionDetails/Attributes",
        json!({"k": "é".repeat(16_384)}),
    );
    let i = only(&check(&v), "NewSessionDetails.Attributes", code::BYTES);
    assert!(i.message.contains("got 32769"), "{}", i.message);
}

#[test]
fn deep_nesting_in_attribute_value_is_a_type_error() {
    // Within serde_json's parse recursion limit (128).
    let mut nested = json!("leaf");
    for _ in 0..100 {
        nested = json!([nested]);
    }
    let v = with(full_session(), "/NewSessionDetails/Attributes/deep", nested);
    let i = only(&check(&v), "NewSessionDetails.Attributes.deep", code::TYPE);
    assert!(i.message.contains("must be a string"));
    assert!(parse_input_json(&v.to_string(), &strict()).is_err());

    // Built in memory far deeper than any parser allows: the validator does not recurse.
    let mut deep = value::Value::Null;
    for _ in 0..200_000 {
        let mut m = value::Map::new();
        m.insert("x".into(), deep);
        deep = value::Value::Object(m);
    }
    let mut v = ours(&full_session());
    v.as_object_mut()
        .and_then(|m| m.get_mut("NewSessionDetails"))
        .and_then(value::Value::as_object_mut)
        .and_then(|m| m.get_mut("Attributes"))
        .and_then(value::Value::as_object_mut)
        .unwrap()
        .insert("deep".into(), deep);
    for opts in [strict(), lax()] {
        let issues = validate::validate_value(&v, &opts);
        only(&issues, "NewSessionDetails.Attributes.deep", code::TYPE);
    }
    // Writing it out does not recurse past the nesting limit either: an error, not a crash.
    let err = serde_json::to_string(&v).unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
    // Dismantle iteratively: dropping a 200,000-deep Value recursively would overflow the stack.
    let mut cur = v
        .as_object_mut()
        .and_then(|m| m.get_mut("NewSessionDetails"))
        .and_then(value::Value::as_object_mut)
        .and_then(|m| m.get_mut("Attributes"))
        .and_then(value::Value::as_object_mut)
        .and_then(|m| m.remove("deep"))
        .unwrap();
    while let value::Value::Object(mut m) = cur {
        cur = m.remove("x").unwrap_or(value::Value::Null);
    }

    // Text nested deeper than serde_json's limit is a `json` issue, not a crash.
    let text = format!(
        "{{\"SourceId\":\"a\",\"DestinationId\":\"b\",\"Event\":{{\"Type\":\"DISCONNECT\"}},\
         \"NewSessionDetails\":{{\"Attributes\":{{\"deep\":{}{}}}}}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let issues = parse_input_json(&text, &strict()).unwrap_err();
    let i = only(&issues, "", code::JSON);
    assert!(i.message.contains("recursion limit"), "{}", i.message);
}

// ---------------------------------------------------------------------------------------------
// Unknown members

#[test]
fn unknown_members_in_strict_mode_only() {
    let cases: Vec<(&str, &str)> = vec![
        ("/Foo", "Foo"),
        ("/__proto__", "__proto__"),
        ("/constructor", "constructor"),
        ("/Event/Foo", "Event.Foo"),
        ("/NewSessionDetails/Foo", "NewSessionDetails.Foo"),
        (
            "/NewSessionDetails/ParticipantDetails/Foo",
            "NewSessionDetails.ParticipantDetails.Foo",
        ),
        (
            "/NewSessionDetails/StreamingConfiguration/Foo",
            "NewSessionDetails.StreamingConfiguration.Foo",
        ),
    ];
    for (pointer, path) in cases {
        let v = with(full_session(), pointer, json!({"polluted": true}));
        let i = only(&check(&v), path, code::UNKNOWN);
        assert!(i.message.contains("is not a member of"), "{}", i.message);
        assert_eq!(validate_value(&v, &lax()), vec![]);
        // Dropped when parsed leniently.
        let parsed = parse_input(&v, &lax()).unwrap();
        let out: Value = serde_json::from_str(&parsed.to_json()).unwrap();
        assert_eq!(out, full_session());
    }
}

#[test]
fn unknown_member_suggestions() {
    let v = json!({"sourceId": "+1", "DestinationId": "d", "Event": {"type": "DISCONNECT"}});
    let issues = check(&v);
    assert_eq!(issues.len(), 4, "{issues:#?}");
    let i = has(&issues, "sourceId", code::UNKNOWN);
    assert!(
        i.message.contains("did you mean `SourceId`"),
        "{}",
        i.message
    );
    let i = has(&issues, "SourceId", code::REQUIRED);
    assert!(i.message.contains("found `sourceId`"), "{}", i.message);
    let i = has(&issues, "Event.type", code::UNKNOWN);
    assert!(i.message.contains("did you mean `Type`"), "{}", i.message);
    has(&issues, "Event.Type", code::REQUIRED);

    let v = with(plain_message(), "/source_id", json!("x"));
    let i = only(&check(&v), "source_id", code::UNKNOWN);
    assert!(
        i.message.contains("did you mean `SourceId`"),
        "{}",
        i.message
    );

    let v = with(plain_message(), "/Bogus", json!("x"));
    let i = only(&check(&v), "Bogus", code::UNKNOWN);
    assert!(
        i.message
            .contains("SourceId, DestinationId, Subtype, Event, NewSessionDetails"),
        "{}",
        i.message
    );

    // Lax: unknown ignored, but the required hint still helps.
    let v = json!({"sourceId": "+1", "DestinationId": "d", "Event": {"Type": "DISCONNECT"}});
    let i = only(&validate_value(&v, &lax()), "SourceId", code::REQUIRED);
    assert!(i.message.contains("found `sourceId`"));
}

// ---------------------------------------------------------------------------------------------
// Several problems at once, modes

fn many_problems() -> Value {
    json!({
        "SourceId": "4155550123",                        // e164 (strict)
        "DestinationId": "",                             // length (model)
        "Subtype": "connect:sms",
        "Event": {"Type": "MESSAGE", "ContentType": "text/markdown"}, // content-type + Content required (strict)
        "NewSessionDetails": {
            "SupportedMessagingContentTypes": ["text/html", 3], // enum (strict), type (model), contains (strict)
            "ParticipantDetails": {},                    // DisplayName required (model)
            "Attributes": {"bad key": "v", "n": 1},      // pattern (strict), type (model)
            "StreamingConfiguration": {"StreamingEndpointArn": "topic"}, // arn (strict)
            "Extra": 1                                   // unknown (strict)
        }
    })
}

#[test]
fn reports_every_problem_at_once() {
    let issues = check(&many_problems());
    let expected = [
        ("SourceId", code::E164),
        ("DestinationId", code::LENGTH),
        ("Event.ContentType", code::CONTENT_TYPE),
        ("Event.Content", code::REQUIRED),
        (
            "NewSessionDetails.SupportedMessagingContentTypes[0]",
            code::ENUM,
        ),
        (
            "NewSessionDetails.SupportedMessagingContentTypes[1]",
            code::TYPE,
        ),
        (
            "NewSessionDetails.SupportedMessagingContentTypes",
            code::CONTAINS,
        ),
        (
            "NewSessionDetails.ParticipantDetails.DisplayName",
            code::REQUIRED,
        ),
        ("NewSessionDetails.Attributes.bad key", code::PATTERN),
        ("NewSessionDetails.Attributes.n", code::TYPE),
        (
            "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn",
            code::ARN,
        ),
        ("NewSessionDetails.Extra", code::UNKNOWN),
    ];
    assert_eq!(issues.len(), expected.len(), "{issues:#?}");
    for (path, c) in expected {
        has(&issues, path, c);
    }
    // Deterministic order.
    assert_eq!(issues, check(&many_problems()));
    assert!(matches!(parse_input(&many_problems(), &strict()), Err(e) if e == issues));
}

#[test]
fn lax_mode_keeps_model_rules_only() {
    let issues = validate_value(&many_problems(), &lax());
    let expected = [
        ("DestinationId", code::LENGTH),
        (
            "NewSessionDetails.SupportedMessagingContentTypes[1]",
            code::TYPE,
        ),
        (
            "NewSessionDetails.ParticipantDetails.DisplayName",
            code::REQUIRED,
        ),
        ("NewSessionDetails.Attributes.n", code::TYPE),
    ];
    assert_eq!(issues.len(), expected.len(), "{issues:#?}");
    for (path, c) in expected {
        has(&issues, path, c);
    }
}

#[test]
fn options_default_is_strict() {
    assert!(Options::default().strict);
}

#[test]
fn issue_serializes_with_plain_field_names() {
    let i = only(
        &check(&without(plain_message(), "/SourceId")),
        "SourceId",
        code::REQUIRED,
    );
    let j: Value = serde_json::to_value(&i).unwrap();
    assert_eq!(
        j,
        json!({"path": "SourceId", "code": "required", "message": "SourceId is required"})
    );
    assert_eq!(i.to_string(), "SourceId is required");
}

// ---------------------------------------------------------------------------------------------
// Hostile values are never echoed in full

#[test]
fn huge_values_are_not_echoed() {
    let huge = "é".repeat(5_000_000); // 10 MB
    let cases = vec![
        with(sms_message(), "/SourceId", json!(huge)),
        with(sms_message(), "/Event/Type", json!(huge)),
        with(
            sms_message(),
            "/Event/ContentType",
            json!(format!("x{}", &huge[..200])),
        ),
        with(
            plain_message(),
            "/Event/ContentType",
            json!("application/".to_owned() + &"z".repeat(80)),
        ),
        with(sms_message(), "/DestinationId", json!("x".repeat(200))),
        with(
            full_session(),
            "/NewSessionDetails/Attributes",
            json!({huge.clone(): "v"}),
        ),
        with(full_session(), &format!("/{huge}"), json!(1)),
    ];
    for v in cases {
        let issues = check(&v);
        assert!(!issues.is_empty());
        for i in issues {
            assert!(
                i.message.chars().count() < 600,
                "message too long: {} chars",
                i.message.len()
            );
            assert!(
                i.path.chars().count() < 120,
                "path too long: {} chars",
                i.path.len()
            );
        }
    }
    // Quoting clips on a char boundary and marks the cut.
    let v = with(plain_message(), "/Event/Type", json!("😀".repeat(100)));
    let i = only(&check(&v), "Event.Type", code::ENUM);
    assert!(
        i.message.contains(&format!("\"{}…\"", "😀".repeat(64))),
        "{}",
        i.message
    );
}

// ---------------------------------------------------------------------------------------------
// parse_input / parse_input_json

#[test]
fn parse_input_builds_typed_input() {
    let parsed = parse_input(&full_session(), &strict()).unwrap();
    let expected = SendChatIntegrationEventInput {
        source_id: "customer-1".into(),
        destination_id: "chat-system-1".into(),
        event: ChatEvent {
            event_type: ChatEventType::Message,
            content_type: Some("text/plain".into()),
            content: Some("hi".into()),
        },
        subtype: None,
        new_session_details: Some(NewSessionDetails {
            supported_messaging_content_types: Some(vec![
                "text/plain".into(),
                "text/markdown".into(),
            ]),
            participant_details: Some(ParticipantDetails {
                display_name: "Jane".into(),
            }),
            attributes: Some(
                [("order-id", "42"), ("tier_1", "gold")]
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
            streaming_configuration: Some(StreamingConfiguration {
                streaming_endpoint_arn: "arn:aws:sns:us-east-1:123456789012:chat".into(),
            }),
        }),
    };
    assert_eq!(parsed, expected);
    assert_eq!(
        parse_input_json(&full_session().to_string(), &strict()).unwrap(),
        expected
    );
}

#[test]
fn parse_input_json_rejects_lone_surrogates() {
    for bad in [
        r"\ud800",
        r"\udc00",
        r"\ud800\u0041",
        r"\ud800x",
        r"\udbff\ud800",
        r"a\ud800\n",
    ] {
        let text = format!(
            r#"{{"SourceId":"{bad}","DestinationId":"d","Event":{{"Type":"DISCONNECT"}}}}"#
        );
        let issues = parse_input_json(&text, &strict()).unwrap_err();
        let i = only(&issues, "", code::ENCODING);
        assert!(
            i.message.contains("surrogate") && i.message.contains("line 1"),
            "{bad}: {}",
            i.message
        );
    }
    // A proper pair is fine: one code point.
    let text = r#"{"SourceId":"\ud83d\ude00","DestinationId":"d","Event":{"Type":"DISCONNECT"}}"#;
    assert_eq!(parse_input_json(text, &strict()).unwrap().source_id, "😀");
}

#[test]
fn parse_input_json_rejects_garbage() {
    for bad in [
        "",
        " ",
        "{",
        "not json",
        r#"{"a":1,}"#,
        "{} {}",
        "'x'",
        "\u{feff}{}",
        "NaN",
        r#"{"SourceId":"\x"}"#,
    ] {
        let issues = parse_input_json(bad, &strict()).unwrap_err();
        let i = only(&issues, "", code::JSON);
        assert!(
            i.message.starts_with("input is not valid JSON"),
            "{bad:?}: {}",
            i.message
        );
    }
    // Valid JSON that is not an object: a type issue, as for values.
    only(
        &parse_input_json("[]", &strict()).unwrap_err(),
        "",
        code::TYPE,
    );
    only(
        &parse_input_json("null", &strict()).unwrap_err(),
        "",
        code::TYPE,
    );
}

// ---------------------------------------------------------------------------------------------
// Typed validation

fn typed() -> SendChatIntegrationEventInput {
    parse_input(&full_session(), &strict()).unwrap()
}

#[test]
fn typed_validation_applies_the_same_rules() {
    assert_eq!(validate(&typed(), &strict()), vec![]);
    assert_eq!(
        validate(&parse_input(&sms_message(), &strict()).unwrap(), &strict()),
        vec![]
    );

    let mut t = typed();
    t.source_id = String::new();
    t.subtype = Some("connect:sms".into());
    t.event.content_type = None;
    t.event.content = Some("é".repeat(8193));
    let nsd = t.new_session_details.as_mut().unwrap();
    nsd.supported_messaging_content_types = Some(vec!["text/markdown".into(), String::new()]);
    nsd.participant_details = Some(ParticipantDetails {
        display_name: "x".repeat(257),
    });
    nsd.attributes
        .as_mut()
        .unwrap()
        .insert("bad key".into(), "v".into());
    nsd.streaming_configuration = Some(StreamingConfiguration {
        streaming_endpoint_arn: "topic".into(),
    });
    let issues = validate(&t, &strict());
    let expected = [
        ("SourceId", code::LENGTH),
        ("DestinationId", code::ARN),
        ("Event.Content", code::BYTES),
        ("Event.ContentType", code::REQUIRED),
        (
            "NewSessionDetails.SupportedMessagingContentTypes[1]",
            code::LENGTH,
        ),
        (
            "NewSessionDetails.SupportedMessagingContentTypes",
            code::CONTAINS,
        ),
        (
            "NewSessionDetails.ParticipantDetails.DisplayName",
            code::LENGTH,
        ),
        ("NewSessionDetails.Attributes.bad key", code::PATTERN),
        (
            "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn",
            code::ARN,
        ),
    ];
    assert_eq!(issues.len(), expected.len(), "{issues:#?}");
    for (path, c) in expected {
        has(&issues, path, c);
    }
    let lax_issues = validate(&t, &lax());
    assert_eq!(lax_issues.len(), 3, "{lax_issues:#?}");
    has(&lax_issues, "SourceId", code::LENGTH);
    has(
        &lax_issues,
        "NewSessionDetails.SupportedMessagingContentTypes[1]",
        code::LENGTH,
    );
    has(
        &lax_issues,
        "NewSessionDetails.ParticipantDetails.DisplayName",
        code::LENGTH,
    );
}

#[test]
fn typed_and_json_validation_agree() {
    // Inputs that are well-typed but break value rules: both entry points must report the same.
    let inputs = vec![
        with(sms_message(), "/SourceId", json!("0")),
        with(
            sms_message(),
            "/Event/ContentType",
            json!("application/json"),
        ),
        with(
            plain_message(),
            "/Event",
            json!({"Type": "EVENT", "ContentType": "x"}),
        ),
        with(
            full_session(),
            "/NewSessionDetails/Attributes",
            json!({"a b": "é".repeat(20_000)}),
        ),
        with(
            full_session(),
            "/NewSessionDetails/SupportedMessagingContentTypes",
            json!(["text/html"]),
        ),
    ];
    for v in inputs {
        let typed = parse_input(&v, &lax()).unwrap();
        for opts in [strict(), lax()] {
            assert_eq!(validate(&typed, &opts), validate_value(&v, &opts), "{v}");
        }
    }
}

/// The one body path (`parse_input_json` then `to_json`) over inputs mixing every member state
/// (absent, null, wrong type, valid, unknown): the issues are `validate_value`'s, and an accepted
/// input's body is the input with `null`s and unknown members dropped (an independent oracle
/// over serde_json values).
#[test]
fn body_is_the_input_without_nulls_and_unknown_members() {
    let strings = [
        r#""s""#,
        r#""+14155550123""#,
        r#""a\"b\\c\n\u0001é😀\u00e9\ud83d\ude00""#,
        r#""MESSAGE""#,
        r#""EVENT""#,
        r#""DISCONNECT""#,
        r#""text/plain""#,
        r#""connect:sms""#,
        r#""arn:aws:sns:us-east-1:123456789012:t""#,
        r#""""#,
    ];
    let others = ["null", "1", "true", "[]", "{}", r#"["text/plain"]"#];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let pick = |next: &mut dyn FnMut(usize) -> usize| -> Option<String> {
        match next(12) {
            0 | 1 => None,
            2 => Some(others[next(others.len())].to_owned()),
            _ => Some(strings[next(strings.len())].to_owned()),
        }
    };
    fn obj(members: &[(&str, Option<String>)]) -> String {
        let body: Vec<String> = members
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k:?}:{v}")))
            .collect();
        format!("{{{}}}", body.join(","))
    }
    let mut oks = [0; 2];
    for round in 0..4000 {
        let event = obj(&[
            ("Content", pick(&mut next)),
            (
                "Type",
                match next(6) {
                    0 => pick(&mut next),
                    t => Some(format!("{:?}", ["MESSAGE", "EVENT", "DISCONNECT"][t % 3])),
                },
            ),
            ("ContentType", pick(&mut next)),
            ("Extra", if next(6) == 0 { Some("1".into()) } else { None }),
        ]);
        let smct = match next(4) {
            0 => None,
            1 => pick(&mut next),
            _ => Some(format!(
                "[{}]",
                (0..next(4))
                    .map(|_| pick(&mut next).unwrap_or_else(|| "null".into()))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        };
        let attrs = match next(4) {
            0 => None,
            1 => pick(&mut next),
            _ => Some(obj(&[
                ("b", pick(&mut next)),
                ("a", pick(&mut next)),
                ("a-1", pick(&mut next)),
                ("", pick(&mut next)),
            ])),
        };
        let nsd = match next(3) {
            0 => None,
            1 => pick(&mut next),
            _ => Some(obj(&[
                ("SupportedMessagingContentTypes", smct),
                (
                    "ParticipantDetails",
                    match next(3) {
                        0 => None,
                        1 => pick(&mut next),
                        _ => Some(obj(&[("DisplayName", pick(&mut next))])),
                    },
                ),
                ("Attributes", attrs),
                (
                    "StreamingConfiguration",
                    match next(3) {
                        0 => None,
                        1 => pick(&mut next),
                        _ => Some(obj(&[("StreamingEndpointArn", pick(&mut next))])),
                    },
                ),
            ])),
        };
        let event = match next(6) {
            0 => pick(&mut next),
            _ => Some(event),
        };
        let text = obj(&[
            ("Subtype", pick(&mut next)),
            (
                "SourceId",
                if next(8) == 0 {
                    pick(&mut next)
                } else {
                    Some(r#""s""#.into())
                },
            ),
            ("Event", event),
            ("DestinationId", Some(r#""d""#.into())),
            ("NewSessionDetails", nsd),
            (
                "Unknown",
                if next(8) == 0 {
                    Some("[1]".into())
                } else {
                    None
                },
            ),
        ]);
        let text = if round % 500 == 0 {
            format!(" {text}x")
        } else {
            text
        };
        for (i, opts) in [strict(), lax()].iter().enumerate() {
            let typed = parse_input_json(&text, opts).map(|i| i.to_json());
            oks[i] += usize::from(typed.is_ok());
            match (&typed, value::Value::from_json(text.as_bytes())) {
                (Ok(body), Ok(v)) => {
                    assert_eq!(validate::validate_value(&v, opts), vec![], "{text}");
                    let body: Value = serde_json::from_str(body).unwrap();
                    let input: Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(body, known_members_only(&input), "{text}");
                }
                (Err(issues), Ok(v)) => {
                    assert_eq!(&validate::validate_value(&v, opts), issues, "{text}")
                }
                (Err(issues), Err(_)) => assert_eq!(issues[0].code, code::JSON, "{text}"),
                (Ok(_), Err(e)) => panic!("accepted text that is not JSON: {e}: {text}"),
            }
        }
    }
    // Both outcomes are well represented.
    assert!(oks[0] > 20 && oks[1] > 400 && oks[1] < 3600, "{oks:?}");
}

/// An input as the service should see it: `null` members, list items and map values dropped,
/// and only the model's members kept (attribute keys are data, all kept).
fn known_members_only(v: &Value) -> Value {
    fn keep(v: &Value, members: &[&str]) -> serde_json::Map<String, Value> {
        v.as_object()
            .into_iter()
            .flatten()
            .filter(|(k, v)| !v.is_null() && members.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
    let mut top = keep(
        v,
        &[
            "SourceId",
            "DestinationId",
            "Subtype",
            "Event",
            "NewSessionDetails",
        ],
    );
    if let Some(e) = top.get_mut("Event") {
        *e = Value::Object(keep(e, &["Type", "ContentType", "Content"]));
    }
    if let Some(n) = top.get_mut("NewSessionDetails") {
        let mut nsd = keep(
            n,
            &[
                "SupportedMessagingContentTypes",
                "ParticipantDetails",
                "Attributes",
                "StreamingConfiguration",
            ],
        );
        if let Some(Value::Array(items)) = nsd.get_mut("SupportedMessagingContentTypes") {
            items.retain(|i| !i.is_null());
        }
        if let Some(pd) = nsd.get_mut("ParticipantDetails") {
            *pd = Value::Object(keep(pd, &["DisplayName"]));
        }
        if let Some(Value::Object(attrs)) = nsd.get_mut("Attributes") {
            attrs.retain(|_, v| !v.is_null());
        }
        if let Some(sc) = nsd.get_mut("StreamingConfiguration") {
            *sc = Value::Object(keep(sc, &["StreamingEndpointArn"]));
        }
        *n = Value::Object(nsd);
    }
    Value::Object(top)
}
