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
        // Written out (not serde_json::to_string) because this is the per-request hot path and
        // serde's generic serializer, instantiated in this size-optimized crate, escaped long
        // strings byte by byte. The output is byte-identical to `serde_json::to_string(self)`
        // (the derive above defines the shape; tests/model.rs pins the bytes).
        let mut o = Vec::with_capacity(self.json_len_hint());
        o.extend_from_slice(b"{\"SourceId\":");
        json_str(&mut o, &self.source_id);
        o.extend_from_slice(b",\"DestinationId\":");
        json_str(&mut o, &self.destination_id);
        o.extend_from_slice(b",\"Event\":{\"Type\":\"");
        o.extend_from_slice(self.event.event_type.as_str().as_bytes());
        o.push(b'"');
        if let Some(v) = &self.event.content_type {
            o.extend_from_slice(b",\"ContentType\":");
            json_str(&mut o, v);
        }
        if let Some(v) = &self.event.content {
            o.extend_from_slice(b",\"Content\":");
            json_str(&mut o, v);
        }
        o.push(b'}');
        if let Some(v) = &self.subtype {
            o.extend_from_slice(b",\"Subtype\":");
            json_str(&mut o, v);
        }
        if let Some(n) = &self.new_session_details {
            o.extend_from_slice(b",\"NewSessionDetails\":{");
            let mut first = true;
            let mut key = |o: &mut Vec<u8>, k: &[u8]| {
                if !first {
                    o.push(b',');
                }
                first = false;
                o.extend_from_slice(k);
            };
            if let Some(list) = &n.supported_messaging_content_types {
                key(&mut o, b"\"SupportedMessagingContentTypes\":[");
                for (i, item) in list.iter().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    json_str(&mut o, item);
                }
                o.push(b']');
            }
            if let Some(pd) = &n.participant_details {
                key(&mut o, b"\"ParticipantDetails\":{\"DisplayName\":");
                json_str(&mut o, &pd.display_name);
                o.push(b'}');
            }
            if let Some(attrs) = &n.attributes {
                key(&mut o, b"\"Attributes\":{");
                for (i, (k, v)) in attrs.iter().enumerate() {
                    if i > 0 {
                        o.push(b',');
                    }
                    json_str(&mut o, k);
                    o.push(b':');
                    json_str(&mut o, v);
                }
                o.push(b'}');
            }
            if let Some(sc) = &n.streaming_configuration {
                key(
                    &mut o,
                    b"\"StreamingConfiguration\":{\"StreamingEndpointArn\":",
                );
                json_str(&mut o, &sc.streaming_endpoint_arn);
                o.push(b'}');
            }
            o.push(b'}');
        }
        o.push(b'}');
        // Only UTF-8 strings and ASCII were written.
        String::from_utf8(o).unwrap_or_else(|_| String::from("{}"))
    }

    /// A capacity that avoids regrowing the body buffer in the common case.
    fn json_len_hint(&self) -> usize {
        let ev = &self.event;
        256 + self.source_id.len()
            + self.destination_id.len()
            + ev.content.as_ref().map_or(0, |c| c.len() + c.len() / 16)
            + ev.content_type.as_ref().map_or(0, String::len)
    }
}

/// Appends `s` as a JSON string exactly as serde_json writes it: `"` and `\\` escaped, the
/// control characters U+0000–U+001F as `\b \t \n \f \r` or `\u00xx` (lower-case hex), all else
/// (including U+007F and non-ASCII) verbatim.
fn json_str(o: &mut Vec<u8>, s: &str) {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `v` is < 0x20, '"' or '\\' (exact for "none": the classic zero-byte test
    // may flag extra bytes only in a word that also has a real match).
    const fn needs(v: u64) -> bool {
        let ctl = v.wrapping_sub(LO * 0x20) & !v;
        let q = v ^ (LO * 0x22);
        let q = q.wrapping_sub(LO) & !q;
        let b = v ^ (LO * 0x5c);
        let b = b.wrapping_sub(LO) & !b;
        (ctl | q | b) & HI != 0
    }
    let bytes = s.as_bytes();
    o.reserve(bytes.len() + 2);
    o.push(b'"');
    let mut start = 0; // first byte not yet copied
    let mut i = 0;
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            if !needs(u64::from_le_bytes(w)) {
                i += 8;
                continue;
            }
        }
        // Byte by byte through this word (or the tail).
        let end = (i + 8).min(bytes.len());
        while i < end {
            let c = bytes[i];
            let esc: &[u8] = match c {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                0x08 => b"\\b",
                0x09 => b"\\t",
                0x0a => b"\\n",
                0x0c => b"\\f",
                0x0d => b"\\r",
                0x00..=0x1f => b"",
                _ => {
                    i += 1;
                    continue;
                }
            };
            o.extend_from_slice(&bytes[start..i]);
            if esc.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                o.extend_from_slice(b"\\u00");
                o.push(HEX[usize::from(c >> 4)]);
                o.push(HEX[usize::from(c & 0xf)]);
            } else {
                o.extend_from_slice(esc);
            }
            i += 1;
            start = i;
        }
    }
    o.extend_from_slice(&bytes[start..]);
    o.push(b'"');
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
        let kind = match value {
            serde_json::Value::Null => return Ok(Self::default()),
            serde_json::Value::Object(mut m) => return Self::from_object(&mut m),
            serde_json::Value::Bool(_) => "a boolean",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Array(_) => "an array",
        };
        Err(OutputError::NotAnObject(kind))
    }
}

impl SendChatIntegrationEventOutput {
    /// The members of a response object, as `Self::deserialize` reads them (unknown members
    /// ignored, `null` absent, other types an error worded as serde words it), written out so
    /// the wasm build carries no serde deserializer (nor, through serde's type errors, float
    /// formatting).
    fn from_object(
        m: &mut serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, OutputError> {
        use serde_json::Value;
        fn wrong(v: &Value, expected: &str) -> OutputError {
            let got = match v {
                Value::Bool(b) => format!("boolean `{b}`"),
                Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
                Value::Number(n) => format!("integer `{n}`"),
                Value::String(s) => format!("string {s:?}"),
                Value::Array(_) => "sequence".to_string(),
                Value::Object(_) => "map".to_string(),
                Value::Null => "null".to_string(),
            };
            OutputError::Json(<serde_json::Error as serde::de::Error>::custom(format!(
                "invalid type: {got}, expected {expected}"
            )))
        }
        let initial_contact_id = match m.remove("InitialContactId") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => return Err(wrong(&v, "a string")),
        };
        let new_chat_created = match m.get("NewChatCreated") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(v) => return Err(wrong(v, "a boolean")),
        };
        Ok(Self {
            initial_contact_id,
            new_chat_created,
        })
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

#[cfg(test)]
mod json_tests {
    use super::json_str;

    fn ours(s: &str) -> String {
        let mut o = Vec::new();
        json_str(&mut o, s);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn json_str_matches_serde_json_at_every_position() {
        // Every char class that matters, at every offset within and across 8-byte words.
        let specials = [
            '"', '\\', '\u{0}', '\u{8}', '\t', '\n', '\u{b}', '\u{c}', '\r', '\u{1f}', ' ',
            '\u{7f}', 'é', '€', '😀', 'a',
        ];
        for len in 0..20 {
            for pos in 0..len.max(1) {
                for &c in &specials {
                    let mut s: String = "abcdefghijklmnopqrstuvwxyz".chars().take(len).collect();
                    if len > 0 {
                        s.replace_range(pos..pos + 1, &c.to_string());
                    }
                    assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
        let full = r#"{"SourceId":"+1\n\"","DestinationId":"d\\","Event":{"Type":"EVENT","ContentType":"t/p","Content":"\u0001é😀"},"Subtype":"connect:sms","NewSessionDetails":{"SupportedMessagingContentTypes":["a","b\t"],"ParticipantDetails":{"DisplayName":"N"},"Attributes":{"10":"x","2":"\r","b":""},"StreamingConfiguration":{"StreamingEndpointArn":"arn"}}}"#;
        let partials = [
            full,
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"DISCONNECT"}}"#,
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE","Content":"c"},"NewSessionDetails":{}}"#,
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"Attributes":{},"StreamingConfiguration":{"StreamingEndpointArn":""}}}"#,
        ];
        for text in partials {
            let v: super::SendChatIntegrationEventInput = serde_json::from_str(text).unwrap();
            assert_eq!(v.to_json(), serde_json::to_string(&v).unwrap());
        }
        // The written-out readers agree with serde's derive, errors included.
        for body in [
            r#"{"InitialContactId":"c","NewChatCreated":true,"x":1}"#,
            r#"{"InitialContactId":null}"#,
            r#"{"NewChatCreated":"yes"}"#,
            r#"{"NewChatCreated":1.5}"#,
            r#"{"NewChatCreated":-2}"#,
            r#"{"InitialContactId":true}"#,
            r#"{"InitialContactId":[1]}"#,
            r#"{"InitialContactId":{}}"#,
            r#"{"InitialContactId":"a\"b","NewChatCreated":7}"#,
        ] {
            let value: serde_json::Value = serde_json::from_str(body).unwrap();
            let theirs =
                <super::SendChatIntegrationEventOutput as serde::Deserialize>::deserialize(&value)
                    .map_err(|e| e.to_string());
            let ours =
                super::SendChatIntegrationEventOutput::from_json(body.as_bytes()).map_err(|e| {
                    match e {
                        super::OutputError::Json(e) => e.to_string(),
                        other => other.to_string(),
                    }
                });
            assert_eq!(ours, theirs, "{body}");
        }
        let mut x: u32 = 1;
        for _ in 0..2000 {
            let s: String = (0..(x % 40))
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    char::from_u32(x % 0x130).unwrap_or('?')
                })
                .collect();
            assert_eq!(ours(&s), serde_json::to_string(&s).unwrap(), "{s:?}");
        }
    }
}
