//! Input and output types of the Amazon Connect `SendChatIntegrationEvent` operation and their
//! JSON wire form.
//!
//! Why a module of its own: the request body must be what the AWS JS SDK v3 puts on the wire
//! (PascalCase member names, absent members omitted, empty lists/maps kept as `[]`/`{}`), and
//! the response must be read leniently (unknown members and `null`s ignored), so the JSON shape
//! is defined once, here, by serde attributes.
//!
//! Field declaration order follows the JS SDK v3 body order (required members first:
//! `SourceId`, `DestinationId`, `Event`, then `Subtype`, `NewSessionDetails`), so our bodies are
//! not only JSON-equal but usually byte-equal to the SDK's.
//!
//! Deserialization (used by [`crate::validate::parse_input`]) follows the JS SDK's treatment of
//! `null`: a `null` member, list item or map value counts as absent and is dropped.
//! Deserializing does *not* validate; use [`crate::validate`] for that.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

/// The request of `SendChatIntegrationEvent`: identifies a chat (source, destination, subtype)
/// and carries the event to apply to it. Serialize it with [`SendChatIntegrationEventInput::to_json`].
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
    /// Compact JSON request body, member names and omissions exactly as the AWS JS SDK v3 sends.
    ///
    /// Why no `Result`: serializing these types cannot fail — every field is a string, bool,
    /// enum with fixed names, list of strings or a `BTreeMap<String, String>` (string keys), and
    /// serde_json only fails for non-string map keys or failing custom `Serialize` impls. The
    /// `{}` fallback exists only so this function has no panic path; it is unreachable.
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
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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

    /// The wire value (`DISCONNECT`, `MESSAGE`, `EVENT`), for messages and headers without serde.
    pub const fn as_str(self) -> &'static str {
        match self {
            ChatEventType::Disconnect => "DISCONNECT",
            ChatEventType::Message => "MESSAGE",
            ChatEventType::Event => "EVENT",
        }
    }

    /// Parses an exact (case-sensitive, as the service is) wire value; `None` when unknown.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "DISCONNECT" => Some(ChatEventType::Disconnect),
            "MESSAGE" => Some(ChatEventType::Message),
            "EVENT" => Some(ChatEventType::Event),
            _ => None,
        }
    }
}

/// Properties applied when the event creates a new chat contact (ignored for an existing chat).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewSessionDetails {
    /// Content types the customer side can receive; must include `text/plain`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_list_dropping_nulls"
    )]
    pub supported_messaging_content_types: Option<Vec<String>>,
    /// How the customer is shown to the agent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_details: Option<ParticipantDetails>,
    /// Contact attributes available to the contact flow. A `BTreeMap` so output is deterministic.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_map_dropping_nulls"
    )]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct SendChatIntegrationEventOutput {
    /// Id of the chat contact the event was applied to (or that was created).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_contact_id: Option<String>,
    /// Whether this call created a new chat contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_chat_created: Option<bool>,
}

/// Why a response body could not be read as [`SendChatIntegrationEventOutput`].
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The body is not JSON, or a known member has the wrong JSON type.
    #[error("SendChatIntegrationEvent response body is not valid output JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The body is JSON but not an object (serde would otherwise accept an array for a struct).
    #[error("SendChatIntegrationEvent response body is not valid output JSON: expected an object, got {0}")]
    NotAnObject(&'static str),
}

impl SendChatIntegrationEventOutput {
    /// Reads a 200 response body leniently, like the JS SDK: unknown members are ignored,
    /// `null` members count as absent, and an empty (or whitespace-only) body or a bare `null`
    /// yields an output with both members absent. Anything else that is not a JSON object is
    /// an error.
    pub fn from_json(body: &[u8]) -> Result<Self, OutputError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let value: serde_json::Value = serde_json::from_slice(body).map_err(OutputError::Json)?;
        let kind = match &value {
            serde_json::Value::Null => return Ok(Self::default()),
            serde_json::Value::Object(_) => {
                return Self::deserialize(&value).map_err(OutputError::Json)
            }
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
        };
        Err(OutputError::NotAnObject(kind))
    }
}

/// Reads an optional list of strings, dropping `null` items as the JS SDK does.
fn de_list_dropping_nulls<'de, D>(d: D) -> Result<Option<Vec<String>>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Option<Vec<Option<String>>> = Option::deserialize(d)?;
    Ok(raw.map(|items| items.into_iter().flatten().collect()))
}

/// Reads an optional string map, dropping entries whose value is `null` as the JS SDK does.
fn de_map_dropping_nulls<'de, D>(d: D) -> Result<Option<BTreeMap<String, String>>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Option<BTreeMap<String, Option<String>>> = Option::deserialize(d)?;
    Ok(raw.map(|m| {
        m.into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }))
}
