//! Integration tests of `connect_chat_events::model`: wire JSON of input and output.

use std::collections::BTreeMap;

use connect_chat_events::model::{
    ChatEvent, ChatEventType, NewSessionDetails, OutputError, ParticipantDetails,
    SendChatIntegrationEventInput, SendChatIntegrationEventOutput, StreamingConfiguration,
};
use connect_chat_events::validate::{parse_input_json, Options};
use serde_json::{json, Value};

fn minimal() -> SendChatIntegrationEventInput {
    SendChatIntegrationEventInput {
        source_id: "+14155550123".into(),
        destination_id: "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1".into(),
        event: ChatEvent {
            event_type: ChatEventType::Disconnect,
            content_type: None,
            content: None,
        },
        subtype: None,
        new_session_details: None,
    }
}

fn full() -> SendChatIntegrationEventInput {
    let mut attributes = BTreeMap::new();
    attributes.insert("tier".to_owned(), "gold".to_owned());
    attributes.insert("order-id".to_owned(), "42".to_owned());
    SendChatIntegrationEventInput {
        source_id: "+14155550123".into(),
        destination_id: "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1".into(),
        event: ChatEvent {
            event_type: ChatEventType::Message,
            content_type: Some("text/plain".into()),
            content: Some("Hi \"there\" é😀\n".into()),
        },
        subtype: Some("connect:sms".into()),
        new_session_details: Some(NewSessionDetails {
            supported_messaging_content_types: Some(vec!["text/plain".into()]),
            participant_details: Some(ParticipantDetails {
                display_name: "Jane".into(),
            }),
            attributes: Some(attributes),
            streaming_configuration: Some(StreamingConfiguration {
                streaming_endpoint_arn: "arn:aws:sns:us-east-1:123456789012:t".into(),
            }),
        }),
    }
}

#[test]
fn minimal_input_exact_json_omits_absent_members() {
    assert_eq!(
        minimal().to_json(),
        r#"{"SourceId":"+14155550123","DestinationId":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1","Event":{"Type":"DISCONNECT"}}"#
    );
}

#[test]
fn full_input_exact_json_in_sdk_order() {
    assert_eq!(
        full().to_json(),
        concat!(
            r#"{"SourceId":"+14155550123","#,
            r#""DestinationId":"arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-1","#,
            r#""Event":{"Type":"MESSAGE","ContentType":"text/plain","Content":"Hi \"there\" é😀\n"},"#,
            r#""Subtype":"connect:sms","#,
            r#""NewSessionDetails":{"SupportedMessagingContentTypes":["text/plain"],"#,
            r#""ParticipantDetails":{"DisplayName":"Jane"},"#,
            r#""Attributes":{"order-id":"42","tier":"gold"},"#,
            r#""StreamingConfiguration":{"StreamingEndpointArn":"arn:aws:sns:us-east-1:123456789012:t"}}}"#
        )
    );
}

#[test]
fn empty_list_and_map_are_kept() {
    let mut input = minimal();
    input.new_session_details = Some(NewSessionDetails {
        supported_messaging_content_types: Some(vec![]),
        attributes: Some(BTreeMap::new()),
        ..NewSessionDetails::default()
    });
    let v: Value = serde_json::from_str(&input.to_json()).unwrap();
    assert_eq!(
        v["NewSessionDetails"],
        json!({"SupportedMessagingContentTypes": [], "Attributes": {}})
    );

    // An empty NewSessionDetails is still sent as {}.
    input.new_session_details = Some(NewSessionDetails::default());
    let v: Value = serde_json::from_str(&input.to_json()).unwrap();
    assert_eq!(v["NewSessionDetails"], json!({}));
}

#[test]
fn round_trips() {
    for input in [minimal(), full()] {
        let text = input.to_json();
        let back = parse_input_json(&text, &Options { strict: false }).unwrap();
        assert_eq!(back, input);
        // Through the validating parser too (lax: `minimal` has no Subtype-specific content).
        let parsed = parse_input_json(&text, &Options::default()).unwrap();
        assert_eq!(parsed, input);
        assert_eq!(parsed.to_json(), text);
    }
}

#[test]
fn deserialize_treats_null_as_absent() {
    let text = r#"{"SourceId":"s","DestinationId":"d","Subtype":null,
        "Event":{"Type":"EVENT","ContentType":null,"Content":null},
        "NewSessionDetails":{"SupportedMessagingContentTypes":[null,"text/plain"],
          "ParticipantDetails":null,"Attributes":{"a":null,"b":"1"},"StreamingConfiguration":null}}"#;
    let input = parse_input_json(text, &Options { strict: false }).unwrap();
    assert_eq!(input.subtype, None);
    assert_eq!(input.event.event_type, ChatEventType::Event);
    assert_eq!(input.event.content_type, None);
    let nsd = input.new_session_details.unwrap();
    assert_eq!(
        nsd.supported_messaging_content_types,
        Some(vec!["text/plain".to_owned()])
    );
    assert_eq!(nsd.attributes.unwrap().len(), 1);
    assert_eq!(nsd.participant_details, None);
}

#[test]
fn event_type_wire_values() {
    for (t, s) in [
        (ChatEventType::Disconnect, "DISCONNECT"),
        (ChatEventType::Message, "MESSAGE"),
        (ChatEventType::Event, "EVENT"),
    ] {
        assert_eq!(t.as_str(), s);
        assert_eq!(ChatEventType::parse(s), Some(t));
        assert_eq!(
            ChatEventType::parse(&serde_json::from_str::<String>(&format!("\"{s}\"")).unwrap())
                .unwrap(),
            t
        );
    }
    assert_eq!(ChatEventType::parse("message"), None);
    assert_eq!(ChatEventType::ALL.len(), 3);
}

#[test]
fn output_parses_with_unknown_members_and_nulls() {
    let out = SendChatIntegrationEventOutput::from_json(
        br#"{"InitialContactId":"c-1","NewChatCreated":true,"Extra":{"x":[1,2]},"Other":null}"#,
    )
    .unwrap();
    assert_eq!(out.initial_contact_id.as_deref(), Some("c-1"));
    assert_eq!(out.new_chat_created, Some(true));

    let out = SendChatIntegrationEventOutput::from_json(
        br#"{"InitialContactId":null,"NewChatCreated":false}"#,
    )
    .unwrap();
    assert_eq!(
        out,
        SendChatIntegrationEventOutput {
            initial_contact_id: None,
            new_chat_created: Some(false)
        }
    );

    for empty in [&b""[..], b"  \n", b"{}", b"null"] {
        assert_eq!(
            SendChatIntegrationEventOutput::from_json(empty).unwrap(),
            SendChatIntegrationEventOutput::default()
        );
    }
}

#[test]
fn output_rejects_garbage_with_clear_error() {
    for bad in [&b"<html>"[..], b"{", b"\xff"] {
        let err = SendChatIntegrationEventOutput::from_json(bad).unwrap_err();
        assert!(matches!(err, OutputError::Json(_)));
        assert!(err
            .to_string()
            .starts_with("SendChatIntegrationEvent response body is not valid output JSON"));
    }
    // A known member of another type names the member and both types.
    let err =
        SendChatIntegrationEventOutput::from_json(br#"{"NewChatCreated":"yes"}"#).unwrap_err();
    assert_eq!(
        err,
        OutputError::Member {
            member: "NewChatCreated",
            expected: "a boolean",
            got: "a string"
        }
    );
    assert!(err
        .to_string()
        .starts_with("SendChatIntegrationEvent response body is not valid output JSON"));
    for (bad, kind) in [
        (&b"[]"[..], "an array"),
        (br#"["c-1",true]"#, "an array"),
        (b"1", "a number"),
        (b"\"x\"", "a string"),
    ] {
        let err = SendChatIntegrationEventOutput::from_json(bad).unwrap_err();
        assert!(
            matches!(err, OutputError::NotAnObject(k) if k == kind),
            "{err}"
        );
        assert!(err
            .to_string()
            .starts_with("SendChatIntegrationEvent response body is not valid output JSON"));
    }
}

#[test]
fn output_serializes_omitting_absent() {
    let out = SendChatIntegrationEventOutput {
        initial_contact_id: Some("c".into()),
        new_chat_created: None,
    };
    assert_eq!(out.to_json(), r#"{"InitialContactId":"c"}"#);
}
