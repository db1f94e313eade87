//! Input and output types of the Amazon Connect `SendChatIntegrationEvent` operation and their
//! JSON wire form.
//!
//! Why a module of its own: the request body must be what the AWS JS SDK v3 puts on the wire
//! (PascalCase member names, absent members omitted, empty lists/maps kept as `[]`/`{}`), and
//! the response must be read leniently (unknown members and `null`s ignored), so the JSON shape
//! is defined once, here (written out over [`crate::json`], no serde).
//!
//! Field declaration order follows the JS SDK v3 body order (required members first:
//! `SourceId`, `DestinationId`, `Event`, then `Subtype`, `NewSessionDetails`), so our bodies are
//! not only JSON-equal but usually byte-equal to the SDK's.
//!
//! Reading input (in [`crate::validate::parse_input`]) follows the JS SDK's treatment of
//! `null`: a `null` member, list item or map value counts as absent and is dropped.
//! Deserializing does *not* validate; use [`crate::validate`] for that.

use std::collections::BTreeMap;

use crate::json::{self, Value};

/// The request of `SendChatIntegrationEvent`: identifies a chat (source, destination, subtype)
/// and carries the event to apply to it. Serialize it with [`SendChatIntegrationEventInput::to_json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendChatIntegrationEventInput {
    /// External id of the customer participant (for SMS: the customer's E.164 number).
    pub source_id: String,
    /// Chat system id tied to the Connect instance and flow (for SMS: a phone-number ARN).
    pub destination_id: String,
    /// The event to apply to the chat.
    pub event: ChatEvent,
    /// Channel classification, e.g. `connect:sms`; part of the chat identity.
    pub subtype: Option<String>,
    /// Contact properties used only when the event starts a new chat.
    pub new_session_details: Option<NewSessionDetails>,
}

impl SendChatIntegrationEventInput {
    /// Compact JSON request body, member names and omissions exactly as the AWS JS SDK v3 sends.
    ///
    /// Why no `Result`: serializing these types cannot fail — every field is a string, enum with
    /// fixed names, list of strings or a `BTreeMap<String, String>`. The `{}` fallback exists only
    /// so this function has no panic path; it is unreachable.
    pub fn to_json(&self) -> String {
        // Written out: this is the per-request hot path. The output is byte-identical to what
        // serde_json wrote for these types with `rename_all = "PascalCase"` and absent members
        // skipped (tests/model.rs pins the bytes).
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
            // A member follows `{` (the first) or the end of another member.
            let key = |o: &mut Vec<u8>, k: &[u8]| {
                if o.last() != Some(&b'{') {
                    o.push(b',');
                }
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
pub(crate) fn json_str(o: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    o.reserve(bytes.len() + 2);
    o.push(b'"');
    let mut start = 0; // first byte not yet copied
    loop {
        // Word-at-a-time to the next byte that needs escaping (shared with the JSON reader).
        let i = crate::json::plain_run(bytes, start);
        let Some(&c) = bytes.get(i) else { break };
        o.extend_from_slice(&bytes[start..i]);
        match c {
            b'"' => o.extend_from_slice(b"\\\""),
            b'\\' => o.extend_from_slice(b"\\\\"),
            0x08 => o.extend_from_slice(b"\\b"),
            0x09 => o.extend_from_slice(b"\\t"),
            0x0a => o.extend_from_slice(b"\\n"),
            0x0c => o.extend_from_slice(b"\\f"),
            0x0d => o.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                o.extend_from_slice(b"\\u00");
                o.push(HEX[usize::from(c >> 4)]);
                o.push(HEX[usize::from(c & 0xf)]);
            }
        }
        start = i + 1;
    }
    o.extend_from_slice(&bytes[start..]);
    o.push(b'"');
}

/// The chat action of a request: a message, an event (typing, receipts) or a disconnect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatEvent {
    /// What kind of action this is (JSON member `Type`).
    pub event_type: ChatEventType,
    /// MIME type of `content`; required by the service for `MESSAGE` and `EVENT`.
    pub content_type: Option<String>,
    /// The payload (message text, or e.g. `{"messageId":"..."}` for receipts).
    pub content: Option<String>,
}

/// The kind of chat action; the wire values are `DISCONNECT`, `MESSAGE` and `EVENT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSessionDetails {
    /// Content types the customer side can receive; must include `text/plain`.
    pub supported_messaging_content_types: Option<Vec<String>>,
    /// How the customer is shown to the agent.
    pub participant_details: Option<ParticipantDetails>,
    /// Contact attributes available to the contact flow. A `BTreeMap` so output is deterministic.
    pub attributes: Option<BTreeMap<String, String>>,
    /// Where chat streaming events of the new contact are published.
    pub streaming_configuration: Option<StreamingConfiguration>,
}

/// Customer participant details of a new chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantDetails {
    /// Name shown for the customer (1-256 characters).
    pub display_name: String,
}

/// Streaming configuration of a new chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamingConfiguration {
    /// ARN of the streaming endpoint (an SNS topic ARN in practice; 1-350 characters).
    pub streaming_endpoint_arn: String,
}

/// The response of `SendChatIntegrationEvent`. Both members are optional because the service
/// omits `InitialContactId` when the event cannot be applied without an existing chat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendChatIntegrationEventOutput {
    /// Id of the chat contact the event was applied to (or that was created).
    pub initial_contact_id: Option<String>,
    /// Whether this call created a new chat contact.
    pub new_chat_created: Option<bool>,
}

/// Why a response body could not be read as [`SendChatIntegrationEventOutput`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputError {
    /// The body is not JSON, or a known member has the wrong JSON type: the detail, worded as
    /// serde_json words it (`expected value at line 1 column 1`, `invalid type: string "x",
    /// expected a boolean`).
    Json(String),
    /// The body is JSON but not an object; the JSON type found, with an article.
    NotAnObject(&'static str),
}

impl OutputError {
    /// `SendChatIntegrationEvent response body is not valid output JSON: <detail>`.
    pub fn message(&self) -> String {
        let mut m =
            String::from("SendChatIntegrationEvent response body is not valid output JSON: ");
        match self {
            OutputError::Json(detail) => m.push_str(detail),
            OutputError::NotAnObject(kind) => {
                m.push_str("expected an object, got ");
                m.push_str(kind);
            }
        }
        m
    }
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for OutputError {}

impl SendChatIntegrationEventOutput {
    /// Reads a 200 response body leniently, like the JS SDK: unknown members are ignored,
    /// `null` members count as absent, and an empty (or whitespace-only) body or a bare `null`
    /// yields an output with both members absent. Anything else that is not a JSON object is
    /// an error.
    pub fn from_json(body: &[u8]) -> Result<Self, OutputError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        let value = json::parse(body).map_err(|e| OutputError::Json(e.message()))?;
        let kind = match value {
            Value::Null => return Ok(Self::default()),
            Value::Object(mut m) => return Self::from_object(&mut m),
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
        };
        Err(OutputError::NotAnObject(kind))
    }

    /// The members of a response object (unknown members ignored, `null` absent, other types an
    /// error worded as serde words it).
    fn from_object(m: &mut json::Map) -> Result<Self, OutputError> {
        fn wrong(v: &Value, expected: &str) -> OutputError {
            let mut m = String::from("invalid type: ");
            json::push_unexpected(&mut m, v);
            m.push_str(", expected ");
            m.push_str(expected);
            OutputError::Json(m)
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

    /// Compact JSON of the output (absent members omitted), e.g. `{"InitialContactId":"c"}`.
    pub fn to_json(&self) -> String {
        let mut o = Vec::with_capacity(64);
        o.push(b'{');
        if let Some(id) = &self.initial_contact_id {
            o.extend_from_slice(b"\"InitialContactId\":");
            json_str(&mut o, id);
        }
        if let Some(b) = self.new_chat_created {
            if o.len() > 1 {
                o.push(b',');
            }
            o.extend_from_slice(b"\"NewChatCreated\":");
            o.extend_from_slice(if b { b"true" } else { b"false" });
        }
        o.push(b'}');
        String::from_utf8(o).unwrap_or_default()
    }
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
            r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"Attributes":{},"StreamingConfiguration":{"StreamingEndpointArn":"a"}}}"#,
        ];
        // The texts are in serde_json's form already: reading and writing them changes nothing.
        let lax = crate::validate::Options { strict: false };
        for text in partials {
            let v = crate::validate::parse_input_json(text, &lax).unwrap();
            assert_eq!(v.to_json(), text);
        }
        // The written-out reader, errors worded as serde's derive worded them.
        let ok = |id: Option<&str>, created: Option<bool>| {
            Ok(super::SendChatIntegrationEventOutput {
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
                r#"{"NewChatCreated":"yes"}"#,
                err(r#"invalid type: string "yes", expected a boolean"#),
            ),
            (
                r#"{"NewChatCreated":1.5}"#,
                err("invalid type: floating point `1.5`, expected a boolean"),
            ),
            (
                r#"{"NewChatCreated":-2}"#,
                err("invalid type: integer `-2`, expected a boolean"),
            ),
            (
                r#"{"InitialContactId":true}"#,
                err("invalid type: boolean `true`, expected a string"),
            ),
            (
                r#"{"InitialContactId":[1]}"#,
                err("invalid type: sequence, expected a string"),
            ),
            (
                r#"{"InitialContactId":{}}"#,
                err("invalid type: map, expected a string"),
            ),
            (
                r#"{"InitialContactId":"a\"b","NewChatCreated":7}"#,
                err("invalid type: integer `7`, expected a boolean"),
            ),
        ] {
            let ours =
                super::SendChatIntegrationEventOutput::from_json(body.as_bytes()).map_err(|e| {
                    match e {
                        super::OutputError::Json(e) => e,
                        other => other.to_string(),
                    }
                });
            assert_eq!(ours, want, "{body}");
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
