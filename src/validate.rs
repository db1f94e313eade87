//! Validation of `SendChatIntegrationEvent` input, from JSON (what JS callers hand us) or typed.
//!
//! Why: the service answers a bad request with one terse `InvalidRequestException`; checking
//! locally reports *every* problem at once, with the member path and the rule broken, before
//! anything is signed or sent.
//!
//! Two rule sets:
//! - **model rules** (always): JSON types, required members, the model's length limits (counted in
//!   Unicode code points, as Smithy does), and the `Event.Type` enum;
//! - **documented rules** (only with [`Options::strict`], the default): what the API reference
//!   says the service enforces beyond the model — content types per event type, the 16,384-byte
//!   `Content` limit, SMS identifiers, attribute key characters and total size, the
//!   `SupportedMessagingContentTypes` list, and unknown members.
//!
//! # Issue codes
//!
//! Stable strings (also available as constants in [`code`]):
//!
//! | code | meaning | mode |
//! |---|---|---|
//! | `type` | wrong JSON type; the message names the expected type. Path `""` when the input is not an object | always |
//! | `required` | a required member is absent (`null` counts as absent): `SourceId`, `DestinationId`, `Event`, `Event.Type`, `DisplayName` inside `ParticipantDetails`, `StreamingEndpointArn` inside `StreamingConfiguration`; strict adds `Event.ContentType` for `MESSAGE`/`EVENT` and `Event.Content` for `MESSAGE` | always / strict |
//! | `length` | outside the model's min-max, in Unicode code points; the message names the limit and the actual count | always |
//! | `enum` | `Event.Type` is not `DISCONNECT`, `MESSAGE` or `EVENT` (always); a `SupportedMessagingContentTypes` item is not an allowed type (strict). The message lists the allowed values | always / strict |
//! | `content-type` | `Event.ContentType` not allowed for the `Event.Type` (or, for `MESSAGE` on `connect:sms` / `connect:WhatsApp`, not `text/plain`); the message lists the allowed values | strict |
//! | `bytes` | `Event.Content` over 16,384 UTF-8 bytes, or `NewSessionDetails.Attributes` over 32,768 UTF-8 bytes over all keys and values; message names limit and actual | strict |
//! | `e164` | `SourceId` is not an E.164 number (`+`, then 2-15 digits, the first 1-9) while `Subtype` is `connect:sms` | strict |
//! | `arn` | `DestinationId` is not an AWS End User Messaging phone-number ARN while `Subtype` is `connect:sms`; or `StreamingEndpointArn` does not start with `arn:` | strict |
//! | `pattern` | an attribute key has characters other than `A-Z a-z 0-9 - _` | strict |
//! | `contains` | `SupportedMessagingContentTypes` does not contain `text/plain` | strict |
//! | `unknown` | a member that the shape does not have (a case-insensitive suggestion is given when one matches) | strict |
//! | `json` | [`parse_input_json`]: the text is not JSON (or nests deeper than serde_json's limit of 128) | always |
//! | `encoding` | [`parse_input_json`]: the text has a lone UTF-16 surrogate escape such as `"\ud800"` | always |
//!
//! # Semantics
//!
//! - `null` means absent everywhere (members, list items, map values), as the JS SDK drops
//!   `null`/`undefined`; [`parse_input`] drops them too. List item paths keep the index in the
//!   input array.
//! - Paths: `SourceId`, `Event.Type`, `NewSessionDetails.SupportedMessagingContentTypes[2]`,
//!   `NewSessionDetails.Attributes.my-key` (the key appended verbatim, so an empty key gives a
//!   trailing `.`). A rule about a whole object uses the object's path. A key longer than 64
//!   characters is cut to 64 and marked with `…` in paths, so hostile keys are not echoed.
//! - Messages never quote more than 64 characters of a user's value.
//! - Checks that depend on a member (SMS identifiers, content-type rules, `bytes`) run only when
//!   that member passed its model checks, so one bad value yields one issue, not a cascade; in
//!   particular `Content` longer than 16,384 code points gets `length`, not also `bytes`.
//! - Subtypes are compared ASCII-case-insensitively (`connect:SMS` is treated as `connect:sms`);
//!   other subtypes are accepted as they are (the service may know more than the docs list).
//! - `DISCONNECT` neither requires nor restricts `ContentType`/`Content`.

use crate::json::{self, Map, Value};
use crate::model::{ChatEventType, SendChatIntegrationEventInput};
use crate::text::{concat, push_uint};

/// One validation problem: where it is, a stable code for programs, and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Member path such as `Event.ContentType` (`""` for the input as a whole).
    pub path: String,
    /// Stable rule code, one of [`code`]; the module docs have the table.
    pub code: &'static str,
    /// Human-readable explanation naming the path and the rule or limit broken.
    pub message: String,
}

impl Issue {
    /// `{"path":…,"code":…,"message":…}`, compact JSON.
    pub fn to_json(&self) -> String {
        let mut o = Vec::with_capacity(self.path.len() + self.message.len() + 40);
        o.extend_from_slice(b"{\"path\":");
        crate::model::json_str(&mut o, &self.path);
        o.extend_from_slice(b",\"code\":");
        crate::model::json_str(&mut o, self.code);
        o.extend_from_slice(b",\"message\":");
        crate::model::json_str(&mut o, &self.message);
        o.push(b'}');
        String::from_utf8(o).unwrap_or_default()
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Validation switches, so callers can trade the documented (service-side) rules for
/// forward compatibility when AWS relaxes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Apply the documented rules and report unknown members (default `true`). When `false`,
    /// only the model rules apply and unknown members are ignored (dropped when serializing).
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { strict: true }
    }
}

/// The stable issue codes, as constants so callers need not repeat string literals.
pub mod code {
    /// Wrong JSON type, or the input is not an object.
    pub const TYPE: &str = "type";
    /// A required member is absent.
    pub const REQUIRED: &str = "required";
    /// Outside the model's length limits (Unicode code points).
    pub const LENGTH: &str = "length";
    /// Not one of the allowed values.
    pub const ENUM: &str = "enum";
    /// `Event.ContentType` not allowed for the event type or channel.
    pub const CONTENT_TYPE: &str = "content-type";
    /// Over a UTF-8 byte limit.
    pub const BYTES: &str = "bytes";
    /// Not an E.164 phone number.
    pub const E164: &str = "e164";
    /// Not the expected kind of ARN.
    pub const ARN: &str = "arn";
    /// Attribute key has characters outside `A-Z a-z 0-9 - _`.
    pub const PATTERN: &str = "pattern";
    /// A list misses a value it must contain.
    pub const CONTAINS: &str = "contains";
    /// A member the shape does not have.
    pub const UNKNOWN: &str = "unknown";
    /// Text that is not JSON.
    pub const JSON: &str = "json";
    /// JSON text with a lone UTF-16 surrogate escape.
    pub const ENCODING: &str = "encoding";
}

/// `Event.ContentType` values the service accepts for `MESSAGE`.
pub const MESSAGE_CONTENT_TYPES: [&str; 4] = [
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// `Event.ContentType` values the service accepts for `EVENT` (`connection.acknowledged` is
/// deprecated since 2024-12-31 but still documented, so still accepted).
pub const EVENT_CONTENT_TYPES: [&str; 4] = [
    "application/vnd.amazonaws.connect.event.typing",
    "application/vnd.amazonaws.connect.event.message.delivered",
    "application/vnd.amazonaws.connect.event.message.read",
    "application/vnd.amazonaws.connect.event.connection.acknowledged",
];

/// Values allowed in `NewSessionDetails.SupportedMessagingContentTypes`.
pub const SUPPORTED_MESSAGING_CONTENT_TYPES: [&str; 5] = [
    "text/plain",
    "text/markdown",
    "application/json",
    "application/vnd.amazonaws.connect.message.interactive",
    "application/vnd.amazonaws.connect.message.interactive.response",
];

/// The one content type every channel accepts (and SMS/WhatsApp messages must use).
pub const TEXT_PLAIN: &str = "text/plain";

/// Maximum UTF-8 bytes of `Event.Content` (documented).
pub const MAX_CONTENT_BYTES: usize = 16_384;
/// Maximum UTF-8 bytes over all attribute keys and values (documented).
pub const MAX_ATTRIBUTES_BYTES: usize = 32_768;

/// How many characters of a user's value a message or path may quote.
const MAX_ECHO: usize = 64;

const TOP_SHAPE: &str = "SendChatIntegrationEventInput";
const TOP_MEMBERS: &[&str] = &[
    "SourceId",
    "DestinationId",
    "Subtype",
    "Event",
    "NewSessionDetails",
];
const EVENT_MEMBERS: &[&str] = &["Type", "ContentType", "Content"];
const NSD_MEMBERS: &[&str] = &[
    "SupportedMessagingContentTypes",
    "ParticipantDetails",
    "Attributes",
    "StreamingConfiguration",
];
const PD_MEMBERS: &[&str] = &["DisplayName"];
const SC_MEMBERS: &[&str] = &["StreamingEndpointArn"];

// The lists above as messages show them (`join(", ")`, written out; a test checks them).
const TOP_LIST: &str = "SourceId, DestinationId, Subtype, Event, NewSessionDetails";
const EVENT_LIST: &str = "Type, ContentType, Content";
const NSD_LIST: &str =
    "SupportedMessagingContentTypes, ParticipantDetails, Attributes, StreamingConfiguration";
const MESSAGE_LIST: &str = "text/plain, text/markdown, application/json, \
    application/vnd.amazonaws.connect.message.interactive.response";
const EVENT_CT_LIST: &str = "application/vnd.amazonaws.connect.event.typing, \
    application/vnd.amazonaws.connect.event.message.delivered, \
    application/vnd.amazonaws.connect.event.message.read, \
    application/vnd.amazonaws.connect.event.connection.acknowledged";
const SMCT_LIST: &str = "text/plain, text/markdown, application/json, \
    application/vnd.amazonaws.connect.message.interactive, \
    application/vnd.amazonaws.connect.message.interactive.response";

const NSD_PATH: &str = "NewSessionDetails";
const SMCT_PATH: &str = "NewSessionDetails.SupportedMessagingContentTypes";
const PD_PATH: &str = "NewSessionDetails.ParticipantDetails";
const DN_PATH: &str = "NewSessionDetails.ParticipantDetails.DisplayName";
const ATTR_PATH: &str = "NewSessionDetails.Attributes";
const SC_PATH: &str = "NewSessionDetails.StreamingConfiguration";
const SEA_PATH: &str = "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn";

/// Checks a JSON value (e.g. the parsed argument of a JS call) against all rules and returns
/// every problem found; empty means valid. Never panics and does not recurse into user data.
pub fn validate_value(v: &Value, opts: &Options) -> Vec<Issue> {
    let mut out = Vec::new();
    let Some(top) = v.as_object() else {
        add(
            &mut out,
            "",
            code::TYPE,
            &[
                S("input must be a JSON object ("),
                S(TOP_SHAPE),
                S("); got "),
                S(found(v)),
            ],
        );
        return out;
    };
    let event_slot = obj_slot(top.get("Event"));
    let event_map = match event_slot {
        Slot::Ok(m) => Some(m),
        _ => None,
    };
    let core = Core {
        source_id: str_slot(top.get("SourceId")),
        destination_id: str_slot(top.get("DestinationId")),
        subtype: str_slot(top.get("Subtype")),
        event: match event_slot {
            Slot::Absent => Slot::Absent,
            Slot::Wrong(t) => Slot::Wrong(t),
            Slot::Ok(m) => Slot::Ok(EventCore {
                event_type: str_slot(m.get("Type")),
                content_type: str_slot(m.get("ContentType")),
                content: str_slot(m.get("Content")),
            }),
        },
        top_map: Some(top),
        event_map,
    };
    check_core(&core, opts.strict, &mut out);
    if let (Some(m), true) = (event_map, opts.strict) {
        unknown_members(&mut out, m, &EVENT_SHAPE);
    }
    walk_new_session_details(&mut out, top.get("NewSessionDetails"), opts.strict);
    if opts.strict {
        unknown_members(&mut out, top, &TOP);
    }
    out
}

/// Validates a JSON value and, when it has no issues, builds the typed input from it
/// (`null`s and, when not strict, unknown members are dropped).
pub fn parse_input(v: &Value, opts: &Options) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    let issues = validate_value(v, opts);
    if !issues.is_empty() {
        return Err(issues);
    }
    input_from_value(&mut v.clone()).ok_or_else(|| vec![conversion_bug()])
}

/// Parses JSON text (e.g. `JSON.stringify` output from JS), validates it and builds the typed
/// input. Unparsable text gives a single issue at path `""` with code `json`, or `encoding`
/// when the text has a lone UTF-16 surrogate escape (which well-formed `JSON.stringify` emits
/// for broken JS strings, and which UTF-8 cannot represent).
pub fn parse_input_json(
    s: &str,
    opts: &Options,
) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    parse_input_json_bytes(s.as_bytes(), opts)
}

/// [`parse_input_json`] for JSON text as UTF-8 bytes (e.g. from `TextEncoder`), without a
/// separate UTF-8 check: the parser checks the strings it reads, and text that is not UTF-8
/// is reported like any other unparsable text.
pub fn parse_input_json_bytes(
    b: &[u8],
    opts: &Options,
) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    let mut v = json::parse(b).map_err(|e| vec![json_issue(&e)])?;
    let issues = validate_value(&v, opts);
    if !issues.is_empty() {
        return Err(issues);
    }
    // Strings are moved out of the Value, not copied.
    input_from_value(&mut v).ok_or_else(|| vec![conversion_bug()])
}

/// [`parse_input_json_bytes`] then [`SendChatIntegrationEventInput::to_json`] in one step,
/// without building the typed input: the same issues, or the same request body bytes. For
/// callers that only need the body (the wasm bindings), this leaves the typed conversion and its
/// `BTreeMap` out of the binary.
pub fn serialize_input_json_bytes(b: &[u8], opts: &Options) -> Result<String, Vec<Issue>> {
    let v = json::parse(b).map_err(|e| vec![json_issue(&e)])?;
    let issues = validate_value(&v, opts);
    if !issues.is_empty() {
        return Err(issues);
    }
    body_from_value(&v, b.len() + 16).ok_or_else(|| vec![conversion_bug()])
}

/// The request body of a validated `Value`: the bytes `input_from_value` then `to_json` give
/// (`null`s and unknown members left out), `None` exactly when `input_from_value` gives `None`.
fn body_from_value(v: &Value, capacity: usize) -> Option<String> {
    use crate::model::json_str;
    let top = v.as_object()?;
    let mut o = Vec::with_capacity(capacity);
    o.extend_from_slice(b"{\"SourceId\":");
    json_str(&mut o, ref_str(top, "SourceId")??);
    o.extend_from_slice(b",\"DestinationId\":");
    json_str(&mut o, ref_str(top, "DestinationId")??);
    let ev = ref_obj(top, "Event")??;
    let event_type = ChatEventType::parse(ref_str(ev, "Type")??)?;
    o.extend_from_slice(b",\"Event\":{\"Type\":\"");
    o.extend_from_slice(event_type.as_str().as_bytes());
    o.push(b'"');
    opt_str_member(&mut o, b",\"ContentType\":", ref_str(ev, "ContentType")?);
    opt_str_member(&mut o, b",\"Content\":", ref_str(ev, "Content")?);
    o.push(b'}');
    opt_str_member(&mut o, b",\"Subtype\":", ref_str(top, "Subtype")?);
    if let Some(n) = ref_obj(top, "NewSessionDetails")? {
        o.extend_from_slice(b",\"NewSessionDetails\":{");
        match ref_member(n, "SupportedMessagingContentTypes") {
            None => {}
            Some(Value::Array(items)) => {
                o.extend_from_slice(b"\"SupportedMessagingContentTypes\":[");
                for item in items {
                    match item {
                        Value::Null => {}
                        Value::String(s) => {
                            comma_after(&mut o, b'[');
                            json_str(&mut o, s);
                        }
                        _ => return None,
                    }
                }
                o.push(b']');
            }
            Some(_) => return None,
        }
        if let Some(pd) = ref_obj(n, "ParticipantDetails")? {
            comma_after(&mut o, b'{');
            o.extend_from_slice(b"\"ParticipantDetails\":{\"DisplayName\":");
            json_str(&mut o, ref_str(pd, "DisplayName")??);
            o.push(b'}');
        }
        if let Some(m) = ref_obj(n, "Attributes")? {
            comma_after(&mut o, b'{');
            o.extend_from_slice(b"\"Attributes\":{");
            // Keys are sorted and unique, as in the `BTreeMap` of the typed input.
            for (k, v) in m {
                match v {
                    Value::Null => {}
                    Value::String(s) => {
                        comma_after(&mut o, b'{');
                        json_str(&mut o, k);
                        o.push(b':');
                        json_str(&mut o, s);
                    }
                    _ => return None,
                }
            }
            o.push(b'}');
        }
        if let Some(sc) = ref_obj(n, "StreamingConfiguration")? {
            comma_after(&mut o, b'{');
            o.extend_from_slice(b"\"StreamingConfiguration\":{\"StreamingEndpointArn\":");
            json_str(&mut o, ref_str(sc, "StreamingEndpointArn")??);
            o.push(b'}');
        }
        o.push(b'}');
    }
    o.push(b'}');
    String::from_utf8(o).ok()
}

/// A `,` unless the last byte is `open` (the first item of a list or object).
fn comma_after(o: &mut Vec<u8>, open: u8) {
    if o.last() != Some(&open) {
        o.push(b',');
    }
}

/// `key` then the JSON string, when present.
fn opt_str_member(o: &mut Vec<u8>, key: &[u8], v: Option<&str>) {
    if let Some(s) = v {
        o.extend_from_slice(key);
        crate::model::json_str(o, s);
    }
}

/// Member `k`; `None` when absent or `null`.
fn ref_member<'a>(m: &'a Map, k: &str) -> Option<&'a Value> {
    match m.get(k) {
        None | Some(Value::Null) => None,
        v => v,
    }
}

/// A string member: `Some(None)` when absent or `null`, `None` for another type ([`str_slot`]).
#[inline(never)]
fn ref_str<'a>(m: &'a Map, k: &str) -> Option<Option<&'a str>> {
    str_slot(m.get(k)).present()
}

/// An object member: `Some(None)` when absent or `null`, `None` for another type ([`obj_slot`]).
#[inline(never)]
fn ref_obj<'a>(m: &'a Map, k: &str) -> Option<Option<&'a Map>> {
    obj_slot(m.get(k)).present()
}

/// The typed input from a validated `Value` (a `null` member, list item or map value is absent;
/// unknown members are ignored). `None` only for a shape validation should have rejected.
/// Takes the strings out of `v`, leaving it gutted (to be dropped).
fn input_from_value(v: &mut Value) -> Option<SendChatIntegrationEventInput> {
    use crate::model::ChatEvent;
    let mut input = SendChatIntegrationEventInput {
        source_id: String::new(),
        destination_id: String::new(),
        event: ChatEvent {
            event_type: ChatEventType::Disconnect,
            content_type: None,
            content: None,
        },
        subtype: None,
        new_session_details: None,
    };
    // Everything is written into `input` (strings swapped out of the tree, which the caller
    // drops), so a failure drops only `input`.
    fill_input(&mut input, v.as_object_mut()?)?;
    Some(input)
}

fn fill_input(input: &mut SendChatIntegrationEventInput, top: &mut Map) -> Option<()> {
    use crate::model::{NewSessionDetails, ParticipantDetails, StreamingConfiguration};
    take_req(top, "SourceId", &mut input.source_id)?;
    take_req(top, "DestinationId", &mut input.destination_id)?;
    take_opt(top, "Subtype", &mut input.subtype)?;
    let ev = member_obj(top, "Event")??;
    input.event.event_type = match member(ev, "Type") {
        Some(Value::String(s)) => ChatEventType::parse(s)?,
        _ => return None,
    };
    take_opt(ev, "ContentType", &mut input.event.content_type)?;
    take_opt(ev, "Content", &mut input.event.content)?;
    let Some(n) = member_obj(top, "NewSessionDetails")? else {
        return Some(());
    };
    let nsd = input
        .new_session_details
        .insert(NewSessionDetails::default());
    match member(n, "SupportedMessagingContentTypes") {
        None => {}
        Some(Value::Array(items)) => {
            let list = nsd
                .supported_messaging_content_types
                .insert(Vec::with_capacity(items.len()));
            for item in items {
                match item {
                    Value::Null => {}
                    Value::String(s) => list.push(std::mem::take(s)),
                    _ => return None,
                }
            }
        }
        Some(_) => return None,
    }
    if let Some(pd) = member_obj(n, "ParticipantDetails")? {
        let pd_out = nsd.participant_details.insert(ParticipantDetails {
            display_name: String::new(),
        });
        take_req(pd, "DisplayName", &mut pd_out.display_name)?;
    }
    if let Some(m) = member_obj(n, "Attributes")? {
        let out = nsd.attributes.insert(std::collections::BTreeMap::new());
        // The map is dropped afterwards, so its keys may be taken too.
        for (k, v) in m.entries_mut() {
            match v {
                Value::Null => {}
                Value::String(s) => {
                    out.insert(std::mem::take(k), std::mem::take(s));
                }
                _ => return None,
            }
        }
    }
    if let Some(sc) = member_obj(n, "StreamingConfiguration")? {
        let sc_out = nsd.streaming_configuration.insert(StreamingConfiguration {
            streaming_endpoint_arn: String::new(),
        });
        take_req(
            sc,
            "StreamingEndpointArn",
            &mut sc_out.streaming_endpoint_arn,
        )?;
    }
    Some(())
}

/// Member `k`; `None` when absent or `null`.
fn member<'a>(m: &'a mut Map, k: &str) -> Option<&'a mut Value> {
    match m.get_mut(k) {
        None | Some(Value::Null) => None,
        v => v,
    }
}

/// A required string member, swapped into `to`; `None` when absent, `null` or another type.
#[inline(never)]
fn take_req(m: &mut Map, k: &str, to: &mut String) -> Option<()> {
    match member(m, k) {
        Some(Value::String(s)) => {
            std::mem::swap(to, s);
            Some(())
        }
        _ => None,
    }
}

/// An optional string member, taken into `to` (left `None` when absent or `null`); `None` for
/// another type.
#[inline(never)]
fn take_opt(m: &mut Map, k: &str, to: &mut Option<String>) -> Option<()> {
    match member(m, k) {
        None => {}
        Some(Value::String(s)) => *to = Some(std::mem::take(s)),
        Some(_) => return None,
    }
    Some(())
}

/// An object member: `Some(None)` when absent or `null`, `None` for another type.
#[inline(never)]
fn member_obj<'a>(m: &'a mut Map, k: &str) -> Option<Option<&'a mut Map>> {
    match member(m, k) {
        None => Some(None),
        Some(Value::Object(o)) => Some(Some(o)),
        Some(_) => None,
    }
}

/// Checks typed input (for Rust callers who built it directly). Types, required members and
/// `Event.Type` are guaranteed by the Rust types, so this applies the remaining rules: lengths
/// and, when strict, the documented rules. Unknown members cannot occur.
pub fn validate(input: &SendChatIntegrationEventInput, opts: &Options) -> Vec<Issue> {
    let mut out = Vec::new();
    let strict = opts.strict;
    let core = Core {
        source_id: Slot::Ok(&input.source_id),
        destination_id: Slot::Ok(&input.destination_id),
        subtype: opt_slot(input.subtype.as_deref()),
        event: Slot::Ok(EventCore {
            event_type: Slot::Ok(input.event.event_type.as_str()),
            content_type: opt_slot(input.event.content_type.as_deref()),
            content: opt_slot(input.event.content.as_deref()),
        }),
        top_map: None,
        event_map: None,
    };
    check_core(&core, strict, &mut out);
    let Some(nsd) = &input.new_session_details else {
        return out;
    };
    if let Some(list) = &nsd.supported_messaging_content_types {
        let mut has_plain = false;
        for (i, item) in list.iter().enumerate() {
            has_plain |= check_smct_item(&mut out, i, item, strict);
        }
        check_smct_contains(&mut out, has_plain, strict);
    }
    if let Some(pd) = &nsd.participant_details {
        string_member(
            &mut out,
            DN_PATH,
            &Slot::Ok(&pd.display_name),
            true,
            None,
            1,
            256,
        );
    }
    if let Some(attrs) = &nsd.attributes {
        let mut total = 0usize;
        for (k, v) in attrs {
            check_attribute(&mut out, k, v, strict, &mut total);
        }
        check_attributes_total(&mut out, total, strict);
    }
    if let Some(sc) = &nsd.streaming_configuration {
        check_streaming_arn(
            &mut out,
            &Slot::Ok(&sc.streaming_endpoint_arn),
            None,
            strict,
        );
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Shared core: the same checks for the JSON walker and the typed input.

/// A member as seen by the checks: absent (or `null`), of the wrong JSON type (its type name
/// for the message), or present.
enum Slot<T> {
    Absent,
    Wrong(&'static str),
    Ok(T),
}

impl<T> Slot<T> {
    /// `Some(None)` when absent, `Some(Some(v))` when present, `None` when of another type.
    fn present(self) -> Option<Option<T>> {
        match self {
            Slot::Absent => Some(None),
            Slot::Ok(v) => Some(Some(v)),
            Slot::Wrong(_) => None,
        }
    }
}

struct EventCore<'a> {
    event_type: Slot<&'a str>,
    content_type: Slot<&'a str>,
    content: Slot<&'a str>,
}

struct Core<'a> {
    source_id: Slot<&'a str>,
    destination_id: Slot<&'a str>,
    subtype: Slot<&'a str>,
    event: Slot<EventCore<'a>>,
    /// The JSON objects, when validating JSON, to hint at misspelt required members.
    top_map: Option<&'a Map>,
    event_map: Option<&'a Map>,
}

/// Channels whose messages must be plain text; SMS also constrains the identifiers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Channel {
    Sms,
    WhatsApp,
    Other,
}

fn check_core(c: &Core<'_>, strict: bool, out: &mut Vec<Issue>) {
    let source = string_member(out, "SourceId", &c.source_id, true, c.top_map, 1, 255);
    let dest = string_member(
        out,
        "DestinationId",
        &c.destination_id,
        true,
        c.top_map,
        1,
        255,
    );
    let subtype = string_member(out, "Subtype", &c.subtype, false, None, 1, 100);
    let channel = match subtype {
        Some(s) if s.eq_ignore_ascii_case("connect:sms") => Channel::Sms,
        Some(s) if s.eq_ignore_ascii_case("connect:whatsapp") => Channel::WhatsApp,
        _ => Channel::Other,
    };
    if strict && channel == Channel::Sms {
        if let Some(s) = source {
            if !is_e164(s) {
                add(
                    out,
                    "SourceId",
                    code::E164,
                    &[
                        S(
                            "SourceId must be an E.164 phone number (`+`, then 2-15 digits, the \
                           first 1-9) when Subtype is connect:sms; got ",
                        ),
                        Q(s),
                    ],
                );
            }
        }
        if let Some(d) = dest {
            if let Some(why) = phone_number_arn_problem(d) {
                add(
                    out,
                    "DestinationId",
                    code::ARN,
                    &[
                        S(
                            "DestinationId must be an AWS End User Messaging phone-number ARN \
                           (arn:<aws|aws-cn|aws-us-gov>:sms-voice:<region>:<12-digit account>:\
                           phone-number/<id>) when Subtype is connect:sms: ",
                        ),
                        S(why),
                        S("; got "),
                        Q(d),
                    ],
                );
            }
        }
    }

    let event = match &c.event {
        Slot::Absent => {
            required_issue(out, "Event", c.top_map, &[]);
            return;
        }
        Slot::Wrong(t) => {
            type_issue(out, "Event", "an object", t);
            return;
        }
        Slot::Ok(e) => e,
    };
    let event_type = match event.event_type {
        Slot::Absent => {
            required_issue(
                out,
                "Event.Type",
                c.event_map,
                &[S("; one of DISCONNECT, MESSAGE, EVENT")],
            );
            None
        }
        Slot::Wrong(t) => {
            type_issue(out, "Event.Type", "a string", t);
            None
        }
        Slot::Ok(s) => {
            let parsed = ChatEventType::parse(s);
            if parsed.is_none() {
                let hint = if ChatEventType::ALL
                    .iter()
                    .any(|t| t.as_str().eq_ignore_ascii_case(s))
                {
                    " (values are case-sensitive)"
                } else {
                    ""
                };
                add(
                    out,
                    "Event.Type",
                    code::ENUM,
                    &[
                        S("Event.Type must be one of DISCONNECT, MESSAGE, EVENT; got "),
                        Q(s),
                        S(hint),
                    ],
                );
            }
            parsed
        }
    };
    let content_type = string_member(
        out,
        "Event.ContentType",
        &event.content_type,
        false,
        None,
        1,
        100,
    );
    let content = string_member(out, "Event.Content", &event.content, false, None, 1, 16_384);
    if !strict {
        return;
    }
    if let Some(body) = content {
        if body.len() > MAX_CONTENT_BYTES {
            add(
                out,
                "Event.Content",
                code::BYTES,
                &[
                    S("Event.Content must be at most "),
                    N(MAX_CONTENT_BYTES),
                    S(" bytes (UTF-8); got "),
                    N(body.len()),
                ],
            );
        }
    }
    let (allowed, allowed_list, type_name): (&[&str], &str, &str) = match event_type {
        Some(ChatEventType::Message) => (&MESSAGE_CONTENT_TYPES, MESSAGE_LIST, "MESSAGE"),
        Some(ChatEventType::Event) => (&EVENT_CONTENT_TYPES, EVENT_CT_LIST, "EVENT"),
        Some(ChatEventType::Disconnect) | None => return,
    };
    let is_message = event_type == Some(ChatEventType::Message);
    if matches!(event.content_type, Slot::Absent) {
        required_issue(
            out,
            "Event.ContentType",
            c.event_map,
            &[
                S(" when Event.Type is "),
                S(type_name),
                S("; allowed: "),
                S(allowed_list),
            ],
        );
    }
    if is_message && matches!(event.content, Slot::Absent) {
        required_issue(
            out,
            "Event.Content",
            c.event_map,
            &[S(" when Event.Type is MESSAGE")],
        );
    }
    let Some(ct) = content_type else { return };
    if is_message && channel != Channel::Other {
        if ct != TEXT_PLAIN {
            let sub = subtype.unwrap_or_default();
            add(
                out,
                "Event.ContentType",
                code::CONTENT_TYPE,
                &[
                    S("Event.ContentType must be text/plain for a MESSAGE when Subtype is "),
                    Q(sub),
                    S(" (the channel accepts only plain text); got "),
                    Q(ct),
                ],
            );
        }
    } else if !allowed.contains(&ct) {
        add(
            out,
            "Event.ContentType",
            code::CONTENT_TYPE,
            &[
                S("Event.ContentType is not allowed when Event.Type is "),
                S(type_name),
                S("; allowed: "),
                S(allowed_list),
                S("; got "),
                Q(ct),
            ],
        );
    }
}

/// Reports required/type/length problems of a string member; returns the value only when it
/// passed, so dependent rules run on sound values only.
fn string_member<'a>(
    out: &mut Vec<Issue>,
    path: &str,
    slot: &Slot<&'a str>,
    required: bool,
    hint_map: Option<&Map>,
    min: usize,
    max: usize,
) -> Option<&'a str> {
    match *slot {
        Slot::Absent => {
            if required {
                required_issue(out, path, hint_map, &[]);
            }
            None
        }
        Slot::Wrong(t) => {
            type_issue(out, path, "a string", t);
            None
        }
        Slot::Ok(s) => match length_violation(s, min, max) {
            Some(got) => {
                length_issue(out, path, "", min, max, got);
                None
            }
            None => Some(s),
        },
    }
}

fn walk_new_session_details(out: &mut Vec<Issue>, v: Option<&Value>, strict: bool) {
    let nsd = match obj_slot(v) {
        Slot::Absent => return,
        Slot::Wrong(t) => {
            type_issue(out, NSD_PATH, "an object", t);
            return;
        }
        Slot::Ok(m) => m,
    };
    match nsd.get("SupportedMessagingContentTypes") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            let mut has_plain = false;
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::Null => {}
                    Value::String(s) => has_plain |= check_smct_item(out, i, s, strict),
                    other => type_issue(out, &smct_item_path(i), "a string", found(other)),
                }
            }
            check_smct_contains(out, has_plain, strict);
        }
        Some(other) => type_issue(out, SMCT_PATH, "an array of strings", found(other)),
    }
    walk_single(out, nsd, &PD_SHAPE, strict);
    match obj_slot(nsd.get("Attributes")) {
        Slot::Absent => {}
        Slot::Wrong(t) => type_issue(out, ATTR_PATH, "an object of string values", t),
        Slot::Ok(attrs) => {
            let mut total = 0usize;
            for (k, v) in attrs {
                match v {
                    Value::Null => {}
                    Value::String(s) => check_attribute(out, k, s, strict, &mut total),
                    other => type_issue(
                        out,
                        &attribute_path(k),
                        "a string (attribute values are strings)",
                        found(other),
                    ),
                }
            }
            check_attributes_total(out, total, strict);
        }
    }
    walk_single(out, nsd, &SC_SHAPE, strict);
    if strict {
        unknown_members(out, nsd, &NSD_SHAPE);
    }
}

/// An object shape, for its `unknown` issues (and, for a single-member shape, its member).
struct Shape {
    /// Member name in the parent object (a single-member shape) or the shape's path.
    key: &'static str,
    path: &'static str,
    name: &'static str,
    members: &'static [&'static str],
    /// `members` as messages show them.
    list: &'static str,
}

const TOP: Shape = Shape {
    key: "",
    path: "",
    name: TOP_SHAPE,
    members: TOP_MEMBERS,
    list: TOP_LIST,
};
const EVENT_SHAPE: Shape = Shape {
    key: "Event",
    path: "Event",
    name: "ChatEvent",
    members: EVENT_MEMBERS,
    list: EVENT_LIST,
};
const NSD_SHAPE: Shape = Shape {
    key: NSD_PATH,
    path: NSD_PATH,
    name: "NewSessionDetails",
    members: NSD_MEMBERS,
    list: NSD_LIST,
};
const PD_SHAPE: Shape = Shape {
    key: "ParticipantDetails",
    path: PD_PATH,
    name: "ParticipantDetails",
    members: PD_MEMBERS,
    list: "DisplayName",
};
const SC_SHAPE: Shape = Shape {
    key: "StreamingConfiguration",
    path: SC_PATH,
    name: "StreamingConfiguration",
    members: SC_MEMBERS,
    list: "StreamingEndpointArn",
};

/// `ParticipantDetails` or `StreamingConfiguration`: an object with one required string member.
#[inline(never)]
fn walk_single(out: &mut Vec<Issue>, nsd: &Map, shape: &Shape, strict: bool) {
    match obj_slot(nsd.get(shape.key)) {
        Slot::Absent => {}
        Slot::Wrong(t) => type_issue(out, shape.path, "an object", t),
        Slot::Ok(m) => {
            let slot = str_slot(m.get(shape.list));
            if shape.path == SC_PATH {
                check_streaming_arn(out, &slot, Some(m), strict);
            } else {
                string_member(out, DN_PATH, &slot, true, Some(m), 1, 256);
            }
            if strict {
                unknown_members(out, m, shape);
            }
        }
    }
}

/// Checks one `SupportedMessagingContentTypes` item; returns whether it is `text/plain`.
fn check_smct_item(out: &mut Vec<Issue>, index: usize, s: &str, strict: bool) -> bool {
    if let Some(got) = length_violation(s, 1, 100) {
        length_issue(out, &smct_item_path(index), "", 1, 100, got);
        return false;
    }
    if strict && !SUPPORTED_MESSAGING_CONTENT_TYPES.contains(&s) {
        let path = smct_item_path(index);
        add(
            out,
            &path,
            code::ENUM,
            &[
                S(&path),
                S(" is not a supported messaging content type; allowed: "),
                S(SMCT_LIST),
                S("; got "),
                Q(s),
            ],
        );
    }
    s == TEXT_PLAIN
}

fn check_smct_contains(out: &mut Vec<Issue>, has_plain: bool, strict: bool) {
    if strict && !has_plain {
        add(
            out,
            SMCT_PATH,
            code::CONTAINS,
            &[S(SMCT_PATH), S(" must contain "), S(TEXT_PLAIN)],
        );
    }
}

/// Checks one attribute and adds its UTF-8 size to `total`.
fn check_attribute(out: &mut Vec<Issue>, key: &str, value: &str, strict: bool, total: &mut usize) {
    *total = total.saturating_add(key.len()).saturating_add(value.len());
    if let Some(got) = length_violation(key, 1, 32_767) {
        length_issue(
            out,
            &attribute_path(key),
            " (attribute key)",
            1,
            32_767,
            got,
        );
    }
    if strict && !all_word_chars(key.as_bytes()) {
        let path = attribute_path(key);
        add(
            out,
            &path,
            code::PATTERN,
            &[
                S(&path),
                S(
                    ": attribute keys may contain only letters A-Z a-z, digits 0-9, `-` and `_`; \
                   got key ",
                ),
                Q(key),
            ],
        );
    }
    if let Some(got) = length_violation(value, 0, 32_767) {
        length_issue(
            out,
            &attribute_path(key),
            " (attribute value)",
            0,
            32_767,
            got,
        );
    }
}

fn check_attributes_total(out: &mut Vec<Issue>, total: usize, strict: bool) {
    if strict && total > MAX_ATTRIBUTES_BYTES {
        add(
            out,
            ATTR_PATH,
            code::BYTES,
            &[
                S(ATTR_PATH),
                S(" must total at most "),
                N(MAX_ATTRIBUTES_BYTES),
                S(" bytes (UTF-8) over all keys and values; got "),
                N(total),
            ],
        );
    }
}

fn check_streaming_arn(
    out: &mut Vec<Issue>,
    slot: &Slot<&str>,
    hint_map: Option<&Map>,
    strict: bool,
) {
    let Some(arn) = string_member(out, SEA_PATH, slot, true, hint_map, 1, 350) else {
        return;
    };
    if strict && !arn.starts_with("arn:") {
        add(
            out,
            SEA_PATH,
            code::ARN,
            &[
                S(SEA_PATH),
                S(" must be an ARN (starting with `arn:`, e.g. an SNS topic ARN); got "),
                Q(arn),
            ],
        );
    }
}

/// Reports (strict mode only; callers check) members of `map` that the shape does not have.
/// `null` members count as absent and are not reported.
#[inline(never)]
fn unknown_members(out: &mut Vec<Issue>, map: &Map, shape: &Shape) {
    let prefix = shape.path;
    let members = shape.members;
    for (k, v) in map {
        if v.is_null() || members.contains(&k.as_str()) {
            continue;
        }
        let mut path = String::with_capacity(prefix.len() + 1 + k.len().min(4 * MAX_ECHO + 3));
        if !prefix.is_empty() {
            path.push_str(prefix);
            path.push('.');
        }
        push_clipped(&mut path, k);
        let tail: [&str; 3] = match members.iter().find(|m| loosely_equal(k, m)) {
            Some(m) => [
                "; did you mean `",
                m,
                "`? (member names are case-sensitive)",
            ],
            None => ["; members are: ", shape.list, ""],
        };
        add(
            out,
            &path,
            code::UNKNOWN,
            &[
                S(&path),
                S(" is not a member of "),
                S(shape.name),
                S(tail[0]),
                S(tail[1]),
                S(tail[2]),
            ],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

fn str_slot(v: Option<&Value>) -> Slot<&str> {
    match v {
        None | Some(Value::Null) => Slot::Absent,
        Some(Value::String(s)) => Slot::Ok(s),
        Some(other) => Slot::Wrong(found(other)),
    }
}

fn obj_slot(v: Option<&Value>) -> Slot<&Map> {
    match v {
        None | Some(Value::Null) => Slot::Absent,
        Some(Value::Object(m)) => Slot::Ok(m),
        Some(other) => Slot::Wrong(found(other)),
    }
}

fn opt_slot(v: Option<&str>) -> Slot<&str> {
    match v {
        None => Slot::Absent,
        Some(s) => Slot::Ok(s),
    }
}

/// The JSON type of a value, with an article, for "got ..." in messages (never the value).
fn found(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn type_issue(out: &mut Vec<Issue>, path: &str, expected: &str, got: &str) {
    add(
        out,
        path,
        code::TYPE,
        &[S(path), S(" must be "), S(expected), S("; got "), S(got)],
    );
}

/// A piece of an issue message: text as is, a user's value quoted (see [`quoted`]), or a number.
#[derive(Clone, Copy)]
enum P<'a> {
    S(&'a str),
    Q(&'a str),
    N(usize),
}
use self::P::{N, Q, S};

/// Appends message pieces.
fn push_parts(message: &mut String, parts: &[P<'_>]) {
    for p in parts {
        match *p {
            S(s) => message.push_str(s),
            Q(s) => push_quoted_clipped(message, s),
            N(n) => push_uint(message, n as u64),
        }
    }
}

/// Adds an issue whose message is `parts` joined (one out-of-line push for every rule).
#[inline(never)]
fn add(out: &mut Vec<Issue>, path: &str, code: &'static str, parts: &[P<'_>]) {
    let mut message = String::with_capacity(
        parts
            .iter()
            .map(|p| match *p {
                S(s) => s.len(),
                _ => 24,
            })
            .sum(),
    );
    push_parts(&mut message, parts);
    out.push(Issue {
        path: path.to_owned(),
        code,
        message,
    });
}

/// "X is required" then `suffix`, with a hint when the object has the member as `null` or
/// under a near-miss name (`sourceId`, `source_id`).
#[inline(never)]
fn required_issue(out: &mut Vec<Issue>, path: &str, map: Option<&Map>, suffix: &[P<'_>]) {
    let name = match path.bytes().rposition(|b| b == b'.') {
        Some(i) => path.get(i + 1..).unwrap_or(path),
        None => path,
    };
    let mut message = String::with_capacity(path.len() + 96);
    message.push_str(path);
    message.push_str(" is required");
    if let Some(map) = map {
        if map.get(name).is_some_and(Value::is_null) {
            message.push_str(" (null counts as absent)");
        } else if let Some(k) = map
            .keys()
            .find(|k| k.as_str() != name && loosely_equal(k, name))
        {
            message.push_str(" (found `");
            push_clipped(&mut message, k);
            message.push_str("`; member names are case-sensitive)");
        }
    }
    push_parts(&mut message, suffix);
    out.push(Issue {
        path: path.to_owned(),
        code: code::REQUIRED,
        message,
    });
}

/// A `length` issue at `path`; the message's subject is `path` then `what`.
#[inline(never)]
fn length_issue(out: &mut Vec<Issue>, path: &str, what: &str, min: usize, max: usize, got: usize) {
    let range = if min == 0 {
        [S(" must be at most "), S(""), S("")]
    } else {
        [S(" must be "), N(min), S("-")]
    };
    add(
        out,
        path,
        code::LENGTH,
        &[
            S(path),
            S(what),
            range[0],
            range[1],
            range[2],
            N(max),
            S(" characters (Unicode code points); got "),
            N(got),
        ],
    );
}

/// `Some(code point count)` when `s` is outside `min..=max` code points. Counts only when the
/// byte length cannot decide (a code point is 1-4 bytes).
fn length_violation(s: &str, min: usize, max: usize) -> Option<usize> {
    let bytes = s.len();
    if bytes <= max && bytes.div_ceil(4) >= min {
        return None;
    }
    // Code points are the bytes that do not continue a UTF-8 sequence.
    let mut count = 0;
    for &b in s.as_bytes() {
        count += usize::from((b as i8) >= -0x40);
    }
    (count < min || count > max).then_some(count)
}

/// Case- and punctuation-insensitive member-name match (`sourceId`, `source_id` ~ `SourceId`).
fn loosely_equal(a: &str, b: &str) -> bool {
    /// The next letter or digit at or after `*i`, lower-cased.
    fn next(s: &[u8], i: &mut usize) -> Option<u8> {
        while let Some(&c) = s.get(*i) {
            *i += 1;
            if c.is_ascii_alphanumeric() {
                return Some(c.to_ascii_lowercase());
            }
        }
        None
    }
    if a.len() > 2 * b.len() + 8 {
        return false;
    }
    let (mut i, mut j) = (0, 0);
    let mut any = false;
    loop {
        let c = next(a.as_bytes(), &mut i);
        if c != next(b.as_bytes(), &mut j) {
            return false;
        }
        if c.is_none() {
            // Equal, and not both empty.
            return any;
        }
        any = true;
    }
}

/// `s` cut to at most [`MAX_ECHO`] characters on a char boundary; `true` when it was cut.
fn clip(s: &str) -> (&str, bool) {
    let mut n = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        // The start of a character (not a UTF-8 continuation byte).
        if (b as i8) >= -0x40 {
            if n == MAX_ECHO {
                return (s.get(..i).unwrap_or_default(), true);
            }
            n += 1;
        }
    }
    (s, false)
}

fn push_clipped(buf: &mut String, s: &str) {
    let (head, cut) = clip(s);
    buf.push_str(head);
    if cut {
        buf.push('…');
    }
}

/// Appends a user's value for a message: quoted, escaped, at most [`MAX_ECHO`] characters.
fn push_quoted_clipped(buf: &mut String, s: &str) {
    let (head, cut) = clip(s);
    crate::text::push_quoted(buf, head);
    if cut {
        buf.pop();
        buf.push_str("…\"");
    }
}

fn smct_item_path(index: usize) -> String {
    let mut p = String::with_capacity(SMCT_PATH.len() + 8);
    p.push_str(SMCT_PATH);
    p.push('[');
    push_uint(&mut p, index as u64);
    p.push(']');
    p
}

fn attribute_path(key: &str) -> String {
    let mut p = String::with_capacity(ATTR_PATH.len() + 1 + key.len().min(4 * MAX_ECHO + 3));
    p.push_str(ATTR_PATH);
    p.push('.');
    push_clipped(&mut p, key);
    p
}

/// `^\+[1-9][0-9]{1,14}$`, by hand.
fn is_e164(s: &str) -> bool {
    match s.as_bytes() {
        [b'+', first, rest @ ..] => {
            matches!(first, b'1'..=b'9') && (1..=14).contains(&rest.len()) && all_digits(rest)
        }
        _ => false,
    }
}

/// Why `s` is not `arn:<aws|aws-cn|aws-us-gov>:sms-voice:<region>:<12 digits>:phone-number/<id>`,
/// or `None` when it is.
fn phone_number_arn_problem(s: &str) -> Option<&'static str> {
    // The first five `:`-separated parts; the sixth is the rest.
    let mut parts: [&[u8]; 5] = [b""; 5];
    let mut rest = s.as_bytes();
    for part in &mut parts {
        let Some(i) = rest.iter().position(|&b| b == b':') else {
            return Some("it needs six `:`-separated parts");
        };
        let (head, tail) = rest.split_at(i);
        *part = head;
        rest = tail.get(1..).unwrap_or_default();
    }
    let [arn, partition, service, region, account] = parts;
    if arn != b"arn" {
        return Some("it must start with `arn:`");
    }
    if !matches!(partition, b"aws" | b"aws-cn" | b"aws-us-gov") {
        return Some("the partition must be aws, aws-cn or aws-us-gov");
    }
    if service != b"sms-voice" {
        return Some("the service must be sms-voice");
    }
    if !is_region(region) {
        return Some("the region must look like us-east-1");
    }
    let region_partition: &[u8] = if region.starts_with(b"cn-") {
        b"aws-cn"
    } else if region.starts_with(b"us-gov-") {
        b"aws-us-gov"
    } else {
        b"aws"
    };
    if region_partition != partition {
        return Some("the region does not belong to the partition");
    }
    if account.len() != 12 || !all_digits(account) {
        return Some("the account must be 12 digits");
    }
    let Some(id) = rest.strip_prefix(b"phone-number/") else {
        return Some("the resource must be phone-number/<id>");
    };
    if id.is_empty() || !all_word_chars(id) {
        return Some("the phone-number id must be letters, digits, `-` or `_`");
    }
    None
}

/// Whether `s` has only `A-Z a-z 0-9 - _`.
fn all_word_chars(s: &[u8]) -> bool {
    s.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn all_digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

/// `[a-z]{2,}(-[a-z]+)+-[0-9]+`, e.g. `us-east-1`, `us-gov-west-1`.
fn is_region(s: &[u8]) -> bool {
    // Parts before the last: letters, the first at least two; the last: digits; 3+ parts.
    let mut parts = 0;
    let mut len = 0;
    let mut letters = true;
    let mut digits = true;
    for &b in s {
        if b == b'-' {
            if len < if parts == 0 { 2 } else { 1 } || !letters {
                return false;
            }
            parts += 1;
            len = 0;
            letters = true;
            digits = true;
        } else {
            len += 1;
            letters &= b.is_ascii_lowercase();
            digits &= b.is_ascii_digit();
        }
    }
    parts >= 2 && len > 0 && digits
}

fn json_issue(e: &json::Error) -> Issue {
    if e.is_lone_surrogate() {
        let mut message = String::from(
            "input JSON has a lone UTF-16 surrogate escape (\\ud800-\\udfff without its pair) at line ",
        );
        push_uint(&mut message, e.line as u64);
        message.push_str(" column ");
        push_uint(&mut message, e.column as u64);
        message.push_str(
            "; such strings cannot be sent as UTF-8 — fix the JS string \
             (e.g. with String.prototype.toWellFormed())",
        );
        Issue {
            path: String::new(),
            code: code::ENCODING,
            message,
        }
    } else {
        Issue {
            path: String::new(),
            code: code::JSON,
            message: concat(&["input is not valid JSON: ", &e.message()]),
        }
    }
}

/// Unreachable in practice: validation guarantees the shape the typed conversion needs.
fn conversion_bug() -> Issue {
    Issue {
        path: String::new(),
        code: code::TYPE,
        message: concat(&[
            "input passed validation but could not be converted to ",
            TOP_SHAPE,
            "; this is a bug, please report it",
        ]),
    }
}

#[cfg(test)]
mod conversion_tests {
    use super::*;

    #[test]
    fn byte_helpers_match_str_versions() {
        fn old_is_region(s: &str) -> bool {
            let lower = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
            let Some((head, number)) = s.rsplit_once('-') else {
                return false;
            };
            let Some((first, middle)) = head.split_once('-') else {
                return false;
            };
            !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
                && first.len() >= 2
                && lower(first)
                && middle.split('-').all(lower)
        }
        for r in [
            "",
            "-",
            "--",
            "us-east-1",
            "us-gov-west-1",
            "u-east-1",
            "us-east-",
            "us--1",
            "us-1",
            "us-east-1a",
            "us-East-1",
            "cn-north-1",
            "us-a-b-c-10",
            "-us-east-1",
            "us-east--1",
            "us-east-1-",
            "ab-c-0",
            "é-east-1",
            "us-east-1-2",
            "us-east-x",
            "us-east-1é",
            "ab-c-d-e-12345",
            "a-b-1",
            "ab-1-1",
        ] {
            assert_eq!(is_region(r.as_bytes()), old_is_region(r), "{r:?}");
        }
        for s in [
            "",
            "a",
            "é✓日本🎉",
            &"é".repeat(64),
            &"é".repeat(65),
            &"🎉x".repeat(40),
        ] {
            let old = match s.char_indices().nth(MAX_ECHO) {
                Some((i, _)) => (&s[..i], true),
                None => (s, false),
            };
            assert_eq!(clip(s), old);
            assert_eq!(
                length_violation(s, 0, 0),
                Some(s.chars().count()).filter(|&n| n > 0)
            );
        }
    }

    #[test]
    fn loosely_equal_matches_iterator_version() {
        fn old(a: &str, b: &str) -> bool {
            fn norm(s: &str) -> impl Iterator<Item = u8> + '_ {
                s.bytes()
                    .filter(u8::is_ascii_alphanumeric)
                    .map(|b| b.to_ascii_lowercase())
            }
            a.len() <= 2 * b.len() + 8 && norm(b).next().is_some() && norm(a).eq(norm(b))
        }
        let words = [
            "",
            "-",
            "_",
            "SourceId",
            "sourceId",
            "source_id",
            "SOURCE-ID",
            "SourceIdX",
            "Source",
            "x",
            "X",
            "é",
            "é-x",
            "x-é",
            "__________________x",
            "Type",
            "type_",
        ];
        for a in words {
            for b in words {
                assert_eq!(loosely_equal(a, b), old(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn written_out_lists() {
        for (list, items) in [
            (TOP_LIST, TOP_MEMBERS),
            (EVENT_LIST, EVENT_MEMBERS),
            (NSD_LIST, NSD_MEMBERS),
            ("DisplayName", PD_MEMBERS),
            ("StreamingEndpointArn", SC_MEMBERS),
            (MESSAGE_LIST, &MESSAGE_CONTENT_TYPES),
            (EVENT_CT_LIST, &EVENT_CONTENT_TYPES),
            (SMCT_LIST, &SUPPORTED_MESSAGING_CONTENT_TYPES),
        ] {
            assert_eq!(list, items.join(", "));
        }
    }

    #[test]
    fn written_out_conversion() {
        let head = r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"#;
        for (text, want) in [
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"DISCONNECT"}}"#,
                Some(r#""DISCONNECT"}}"#),
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE","ContentType":null,"Content":"c","Extra":1},"Subtype":null,"NewSessionDetails":null,"Unknown":[1]}"#,
                Some(r#""MESSAGE","Content":"c"}}"#),
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"EVENT","ContentType":"t","Content":"c"},"Subtype":"connect:sms","NewSessionDetails":{"SupportedMessagingContentTypes":[null,"text/plain",null],"ParticipantDetails":{"DisplayName":"n","x":2},"Attributes":{"b":"1","a":null,"c":""},"StreamingConfiguration":{"StreamingEndpointArn":"arn"}}}"#,
                Some(
                    r#""EVENT","ContentType":"t","Content":"c"},"Subtype":"connect:sms","NewSessionDetails":{"SupportedMessagingContentTypes":["text/plain"],"ParticipantDetails":{"DisplayName":"n"},"Attributes":{"b":"1","c":""},"StreamingConfiguration":{"StreamingEndpointArn":"arn"}}}"#,
                ),
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"SupportedMessagingContentTypes":null,"ParticipantDetails":null,"Attributes":null,"StreamingConfiguration":null}}"#,
                Some(r#""MESSAGE"},"NewSessionDetails":{}}"#),
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"SupportedMessagingContentTypes":[],"Attributes":{}}}"#,
                Some(
                    r#""MESSAGE"},"NewSessionDetails":{"SupportedMessagingContentTypes":[],"Attributes":{}}}"#,
                ),
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"Message"}}"#,
                None,
            ),
            (
                r#"{"SourceId":1,"DestinationId":"d","Event":{"Type":"MESSAGE"}}"#,
                None,
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"Attributes":{"a":1}}}"#,
                None,
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"SupportedMessagingContentTypes":[1]}}"#,
                None,
            ),
            (
                r#"{"SourceId":"s","DestinationId":"d","Event":{"Type":"MESSAGE"},"NewSessionDetails":{"ParticipantDetails":{}}}"#,
                None,
            ),
        ] {
            let v = json::parse_str(text).unwrap();
            let want = want.map(|tail| concat(&[head, tail]));
            assert_eq!(body_from_value(&v, 0), want, "{text}");
            assert_eq!(
                input_from_value(&mut { v }).map(|i| i.to_json()),
                want,
                "{text}"
            );
        }
    }
}
