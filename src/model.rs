//! Input and output types of the Amazon Connect `SendChatIntegrationEvent` operation and their
//! JSON wire form.
//!
//! Why a module of its own: the request body must be what the AWS JS SDK v3 puts on the wire
//! (PascalCase member names, absent members omitted, empty lists/maps kept as `[]`/`{}`), and
//! the response must be read leniently (unknown members and `null`s ignored), so the JSON shape
//! is defined once, here, with serde's derive (`rename_all = "PascalCase"`, absent members
//! skipped) and written by serde_json.
//!
//! Field declaration order follows the JS SDK v3 body order (required members first:
//! `SourceId`, `DestinationId`, `Event`, then `Subtype`, `NewSessionDetails`), so our bodies are
//! not only JSON-equal but usually byte-equal to the SDK's.
//!
//! Reading input (in [`crate::validate::parse_input`]) follows the JS SDK's treatment of
//! `null`: a `null` member, list item or map value counts as absent and is dropped.
//! Deserializing does *not* validate; use [`crate::validate`] for that.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::value::Value;

/// The request of `SendChatIntegrationEvent`: identifies a chat (source, destination, subtype)
/// and carries the event to apply to it. Serialize it with [`SendChatIntegrationEventInput::to_json`].
///
/// `Deserialize` is the plain serde shape (a `null` list item or map value is an error, nothing
/// is validated); callers' input goes through [`crate::validate::parse_input`] instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendChatIntegrationEventInput {
    /// External id of the customer participant (for SMS: the customer's E.164 number).
    pub source_id: String,
    /// Chat system id tied to the Connect instance and flow (for SMS: a phone-number ARN).
    pub destination_id: String,
    /// The event to apply to the chat.
    pub event: ChatEvent,
    /// Channel classification, e.g. `connect:sms`; part of the chat identity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// Contact properties used only when the event starts a new chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_session_details: Option<NewSessionDetails>,
}

impl SendChatIntegrationEventInput {
    /// Compact JSON request body, member names and omissions exactly as the AWS JS SDK v3 sends:
    /// the one body writer.
    ///
    /// Why no `Result`: serializing these types cannot fail (strings, an enum with fixed names,
    /// a list of strings, a `BTreeMap<String, String>`). The `{}` fallback exists only so this
    /// function has no panic path; it is unreachable.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// The chat action of a request: a message, an event (typing, receipts) or a disconnect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatEvent {
    /// What kind of action this is (JSON member `Type`).
    #[serde(rename = "Type")]
    pub event_type: ChatEventType,
    /// MIME type of `content`; required by the service for `MESSAGE` and `EVENT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The payload (message text, or e.g. `{"messageId":"..."}` for receipts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// The kind of chat action; the wire values are `DISCONNECT`, `MESSAGE` and `EVENT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ChatEventType {
    /// Ends the chat for the customer.
    Disconnect,
    /// A chat message from the customer.
    Message,
    /// A chat event such as typing or a delivered/read receipt.
    Event,
}

impl ChatEventType {
    /// Every variant in model order, so callers can list allowed values without repeating them.
    pub const ALL: [ChatEventType; 3] = [
        ChatEventType::Disconnect,
        ChatEventType::Message,
        ChatEventType::Event,
    ];

    /// The wire value (`DISCONNECT`, `MESSAGE`, `EVENT`), for messages and headers.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChatEventType::Disconnect => "DISCONNECT",
            ChatEventType::Message => "MESSAGE",
            ChatEventType::Event => "EVENT",
        }
    }

    /// Parses an exact (case-sensitive, as the service is) wire value; `None` when unknown.
    pub fn parse(s: &str) -> Option<Self> {
        ChatEventType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Properties applied when the event creates a new chat contact (ignored for an existing chat).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewSessionDetails {
    /// Content types the customer side can receive; must include `text/plain`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_messaging_content_types: Option<Vec<String>>,
    /// How the customer is shown to the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_details: Option<ParticipantDetails>,
    /// Contact attributes available to the contact flow. A `BTreeMap` so output is deterministic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, String>>,
    /// Where chat streaming events of the new contact are published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streaming_configuration: Option<StreamingConfiguration>,
}

/// Customer participant details of a new chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParticipantDetails {
    /// Name shown for the customer (1-256 characters).
    pub display_name: String,
}

/// Streaming configuration of a new chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamingConfiguration {
    /// ARN of the streaming endpoint (an SNS topic ARN in practice; 1-350 characters).
    pub streaming_endpoint_arn: String,
}

/// The response of `SendChatIntegrationEvent`. Both members are optional because the service
/// omits `InitialContactId` when the event cannot be applied without an existing chat.
///
/// Read leniently, like the JS SDK: unknown members are ignored and `null` members are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SendChatIntegrationEventOutput {
    /// Id of the chat contact the event was applied to (or that was created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_contact_id: Option<String>,
    /// Whether this call created a new chat contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_chat_created: Option<bool>,
}

/// Why a response body could not be read as [`SendChatIntegrationEventOutput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    /// The body is not JSON: serde_json's text (`expected value at line 1 column 1`).
    Json(String),
    /// The body is JSON but not an object; the JSON type found, with an article.
    NotAnObject(&'static str),
    /// A known member has another JSON type than the output's.
    Member {
        /// `InitialContactId` or `NewChatCreated`.
        member: &'static str,
        /// The type it must have, with an article (`a string`, `a boolean`).
        expected: &'static str,
        /// The JSON type found, with an article.
        got: &'static str,
    },
}

impl OutputError {
    /// `SendChatIntegrationEvent response body is not valid output JSON: <detail>`.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendChatIntegrationEvent response body is not valid output JSON: ")?;
        match self {
            OutputError::Json(detail) => f.write_str(detail),
            OutputError::NotAnObject(kind) => write!(f, "expected an object, got {kind}"),
            OutputError::Member {
                member,
                expected,
                got,
            } => write!(f, "{member} must be {expected}; got {got}"),
        }
    }
}

impl std::error::Error for OutputError {}

impl SendChatIntegrationEventOutput {
    /// Reads a 200 response body leniently, like the JS SDK: unknown members are ignored,
    /// `null` members count as absent, a repeated member keeps its last value (as `JSON.parse`
    /// does), and an empty (or whitespace-only) body or a bare `null` yields an output with both
    /// members absent. Anything else that is not a JSON object is an error.
    ///
    /// Read through the crate's one JSON reader ([`Value::from_json`], which error bodies use
    /// too) rather than a second, typed serde_json reader: the two members are looked up and
    /// type-checked here, with messages naming the member.
    pub fn from_json(body: &[u8]) -> Result<Self, OutputError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let members = match Value::from_json(body) {
            Err(e) => return Err(OutputError::Json(e.message())),
            Ok(Value::Null) => return Ok(Self::default()),
            Ok(Value::Object(members)) => members,
            Ok(other) => return Err(OutputError::NotAnObject(other.type_name())),
        };
        let member = |name: &'static str| members.get(name).filter(|v| !v.is_null());
        let wrong = |member: &'static str, expected: &'static str, v: &Value| OutputError::Member {
            member,
            expected,
            got: v.type_name(),
        };
        let initial_contact_id = match member("InitialContactId") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => return Err(wrong("InitialContactId", "a string", v)),
        };
        let new_chat_created = match member("NewChatCreated") {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => return Err(wrong("NewChatCreated", "a boolean", v)),
        };
        Ok(SendChatIntegrationEventOutput {
            initial_contact_id,
            new_chat_created,
        })
    }

    /// Compact JSON of the output (absent members omitted), e.g. `{"InitialContactId":"c"}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

#[cfg(test)]
mod tests {
    use super::{OutputError, SendChatIntegrationEventOutput};
    use crate::validate::{parse_input_json, Options};

    #[test]
    fn bodies_are_serde_json_form() {
        let full = r#"{"SourceId":"+1\n\"","DestinationId":"d\\","Event":{"Type":"EVENT","ContentType":"t/p","Content":"\u0001é😀"},"Subtype":"connect:sms","NewSessionDetails":{"SupportedMessagingContentTypes":["a","b\t"],"ParticipantDetails":{"DisplayName":"N"},"Attributes":{"10":"x","2":"\r","b":""},"StreamingConfiguration":{"StreamingEndpointArn":"arn"}}}"#;
        let partials = [
            full,
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"DISCONNECT"}}"#,
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE","Content":"c"},"NewSessionDetails":{}}"#,
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"Attributes":{},"StreamingConfiguration":{"StreamingEndpointArn":"a"}}}"#,
        ];
        // The texts are in serde_json's form already: reading and writing them changes nothing.
        let lax = Options { strict: false };
        for text in partials {
            let v = parse_input_json(text, &lax).unwrap();
            assert_eq!(v.to_json(), text);
        }
    }

    #[test]
    fn output_errors_name_the_member_and_the_types() {
        let ok = |id: Option<&str>, created: Option<bool>| {
            Ok(SendChatIntegrationEventOutput {
                initial_contact_id: id.map(str::to_owned),
                new_chat_created: created,
            })
        };
        let err = |m: &str| Err(m.to_owned());
        for (body, want) in [
            (
                r#"{"InitialContactId":"c","NewChatCreated":true,"x":1}"#,
                ok(Some("c"), Some(true)),
            ),
            (r#"{"InitialContactId":null}"#, ok(None, None)),
            (
                r#"{"InitialContactId":"a","InitialContactId":"b"}"#,
                ok(Some("b"), None),
            ),
            (
                r#"{"NewChatCreated":"yes"}"#,
                err("NewChatCreated must be a boolean; got a string"),
            ),
            (
                r#"{"NewChatCreated":1.5}"#,
                err("NewChatCreated must be a boolean; got a number"),
            ),
            (
                r#"{"NewChatCreated":-2}"#,
                err("NewChatCreated must be a boolean; got a number"),
            ),
            (
                r#"{"InitialContactId":true}"#,
                err("InitialContactId must be a string; got a boolean"),
            ),
            (
                r#"{"InitialContactId":[1]}"#,
                err("InitialContactId must be a string; got an array"),
            ),
            (
                r#"{"InitialContactId":{}}"#,
                err("InitialContactId must be a string; got an object"),
            ),
            (
                r#"{"InitialContactId":"a\"b","NewChatCreated":7}"#,
                err("NewChatCreated must be a boolean; got a number"),
            ),
            (
                r#"{"InitialContactId":"c""#,
                err("EOF while parsing an object at line 1 column 23"),
            ),
        ] {
            let ours =
                SendChatIntegrationEventOutput::from_json(body.as_bytes()).map_err(|e| match e {
                    OutputError::Json(e) => e,
                    OutputError::Member { .. } => e
                        .to_string()
                        .trim_start_matches(
                            "SendChatIntegrationEvent response body is not valid output JSON: ",
                        )
                        .to_owned(),
                    other => other.to_string(),
                });
            assert_eq!(ours, want, "{body}");
        }
    }
}
