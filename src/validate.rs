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

//! - The limits and allowed values are in one place, [`RULES`] (serializable, so the console
//!   can show the same lists the validator applies).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{
    ChatEvent, ChatEventType, NewSessionDetails, ParticipantDetails, SendChatIntegrationEventInput,
    StreamingConfiguration,
};
use crate::value::{JsonError, Map, Value};

/// One validation problem: where it is, a stable code for programs, and a message for people.
/// Serializes as `{"path":…,"code":…,"message":…}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Member path such as `Event.ContentType` (`""` for the input as a whole).
    pub path: String,
    /// Stable rule code, one of [`code`]; the module docs have the table.
    pub code: &'static str,
    /// Human-readable explanation naming the path and the rule or limit broken.
    pub message: String,
}

impl Issue {
    fn new(path: impl Into<String>, code: &'static str, message: String) -> Issue {
        Issue {
            path: path.into(),
            code,
            message,
        }
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

// ---------------------------------------------------------------------------------------------
// The rules, in one place.

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

/// Subtypes whose messages must be `text/plain` (compared ASCII-case-insensitively).
pub const PLAIN_TEXT_SUBTYPES: [&str; 2] = [SMS_SUBTYPE, "connect:WhatsApp"];

/// The subtype whose identifiers are an E.164 number and a phone-number ARN.
const SMS_SUBTYPE: &str = "connect:sms";

/// Maximum UTF-8 bytes of `Event.Content` (documented).
pub const MAX_CONTENT_BYTES: usize = 16_384;
/// Maximum UTF-8 bytes over all attribute keys and values (documented).
pub const MAX_ATTRIBUTES_BYTES: usize = 32_768;

/// A length range in Unicode code points, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Length {
    /// Fewest code points allowed.
    pub min: usize,
    /// Most code points allowed.
    pub max: usize,
}

/// The model's length limits of every string member (serialized with camelCase keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lengths {
    /// `SourceId`.
    pub source_id: Length,
    /// `DestinationId`.
    pub destination_id: Length,
    /// `Subtype`.
    pub subtype: Length,
    /// `Event.ContentType`.
    pub content_type: Length,
    /// `Event.Content` (the documented byte limit is [`Rules::max_content_bytes`]).
    pub content: Length,
    /// Each item of `NewSessionDetails.SupportedMessagingContentTypes`.
    pub supported_messaging_content_type: Length,
    /// `NewSessionDetails.ParticipantDetails.DisplayName`.
    pub display_name: Length,
    /// Each key of `NewSessionDetails.Attributes`.
    pub attribute_key: Length,
    /// Each value of `NewSessionDetails.Attributes`.
    pub attribute_value: Length,
    /// `NewSessionDetails.StreamingConfiguration.StreamingEndpointArn`.
    pub streaming_endpoint_arn: Length,
}

/// Allowed `Event.ContentType` values per `Event.Type` (serialized with the wire type names as
/// keys: `{"MESSAGE":[…],"EVENT":[…]}`; `DISCONNECT` has no content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ContentTypes {
    /// For `MESSAGE`.
    #[serde(rename = "MESSAGE")]
    pub message: &'static [&'static str],
    /// For `EVENT`.
    #[serde(rename = "EVENT")]
    pub event: &'static [&'static str],
}

/// Every limit and allowed-value list the validator applies, for callers that show them (the
/// console's form, through the package's `chatEventRules`). Serialized with camelCase keys:
/// `maxContentBytes`, `maxAttributesBytes`, `eventTypes`, `contentTypes`,
/// `supportedMessagingContentTypes`, `requiredSupportedMessagingContentType`,
/// `plainTextSubtypes`, `lengths` (see [`Lengths`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// Maximum UTF-8 bytes of `Event.Content` (strict mode).
    pub max_content_bytes: usize,
    /// Maximum UTF-8 bytes over all attribute keys and values (strict mode).
    pub max_attributes_bytes: usize,
    /// The `Event.Type` values.
    pub event_types: [&'static str; 3],
    /// Allowed `Event.ContentType` values per `Event.Type` (strict mode).
    pub content_types: ContentTypes,
    /// Allowed `SupportedMessagingContentTypes` items (strict mode).
    pub supported_messaging_content_types: &'static [&'static str],
    /// The item `SupportedMessagingContentTypes` must contain (strict mode).
    pub required_supported_messaging_content_type: &'static str,
    /// Subtypes whose `MESSAGE` content type must be `text/plain` (strict mode).
    pub plain_text_subtypes: &'static [&'static str],
    /// The model's length limits (always).
    pub lengths: Lengths,
}

const fn len(min: usize, max: usize) -> Length {
    Length { min, max }
}

/// The rules.
pub const RULES: Rules = Rules {
    max_content_bytes: MAX_CONTENT_BYTES,
    max_attributes_bytes: MAX_ATTRIBUTES_BYTES,
    event_types: [
        ChatEventType::Disconnect.as_str(),
        ChatEventType::Message.as_str(),
        ChatEventType::Event.as_str(),
    ],
    content_types: ContentTypes {
        message: &MESSAGE_CONTENT_TYPES,
        event: &EVENT_CONTENT_TYPES,
    },
    supported_messaging_content_types: &SUPPORTED_MESSAGING_CONTENT_TYPES,
    required_supported_messaging_content_type: TEXT_PLAIN,
    plain_text_subtypes: &PLAIN_TEXT_SUBTYPES,
    lengths: Lengths {
        source_id: len(1, 255),
        destination_id: len(1, 255),
        subtype: len(1, 100),
        content_type: len(1, 100),
        content: len(1, 16_384),
        supported_messaging_content_type: len(1, 100),
        display_name: len(1, 256),
        attribute_key: len(1, 32_767),
        attribute_value: len(0, 32_767),
        streaming_endpoint_arn: len(1, 350),
    },
};

/// How many characters of a user's value a message or path may quote.
const MAX_ECHO: usize = 64;

const TOP_SHAPE: &str = "SendChatIntegrationEventInput";
const NSD_PATH: &str = "NewSessionDetails";
const SMCT_PATH: &str = "NewSessionDetails.SupportedMessagingContentTypes";
const PD_PATH: &str = "NewSessionDetails.ParticipantDetails";
const DN_PATH: &str = "NewSessionDetails.ParticipantDetails.DisplayName";
const ATTR_PATH: &str = "NewSessionDetails.Attributes";
const SC_PATH: &str = "NewSessionDetails.StreamingConfiguration";
const SEA_PATH: &str = "NewSessionDetails.StreamingConfiguration.StreamingEndpointArn";

// ---------------------------------------------------------------------------------------------
// Entry points.

/// Checks a value (e.g. a JS call's argument, or parsed JSON text) against all rules and returns
/// every problem found; empty means valid. Never panics and does not recurse into user data.
pub fn validate_value(v: &Value, opts: &Options) -> Vec<Issue> {
    let mut out = Vec::new();
    let Some(top) = v.as_object() else {
        out.push(Issue::new(
            "",
            code::TYPE,
            format!(
                "input must be a JSON object ({TOP_SHAPE}); got {}",
                v.type_name()
            ),
        ));
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
        unknown_members(
            &mut out,
            m,
            "Event",
            "ChatEvent",
            &["Type", "ContentType", "Content"],
        );
    }
    walk_new_session_details(&mut out, top.get("NewSessionDetails"), opts.strict);
    if opts.strict {
        unknown_members(
            &mut out,
            top,
            "",
            TOP_SHAPE,
            &[
                "SourceId",
                "DestinationId",
                "Subtype",
                "Event",
                "NewSessionDetails",
            ],
        );
    }
    out
}

/// Validates a value and, when it has no issues, builds the typed input from it (`null`s and,
/// when not strict, unknown members are dropped).
pub fn parse_input(v: &Value, opts: &Options) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    let issues = validate_value(v, opts);
    if !issues.is_empty() {
        return Err(issues);
    }
    input_from_value(v).ok_or_else(|| vec![conversion_bug()])
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

/// [`parse_input_json`] for JSON text as UTF-8 bytes: [`Value::from_json`] then
/// [`parse_input`]. Text that is not UTF-8 is reported like any other unparsable text.
pub fn parse_input_json_bytes(
    b: &[u8],
    opts: &Options,
) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    let v = Value::from_json(b).map_err(|e| vec![json_issue(&e)])?;
    parse_input(&v, opts)
}

/// Checks typed input (for Rust callers who built it directly). Types, required members and
/// `Event.Type` are guaranteed by the Rust types, so this applies the remaining rules: lengths
/// and, when strict, the documented rules. Unknown members cannot occur.
pub fn validate(input: &SendChatIntegrationEventInput, opts: &Options) -> Vec<Issue> {
    let mut out = Vec::new();
    let strict = opts.strict;
    let lengths = &RULES.lengths;
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
            lengths.display_name,
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
// Building the typed input from a validated value.

/// The typed input from a validated value (a `null` member, list item or map value is absent;
/// unknown members are ignored). `None` only for a shape validation should have rejected.
fn input_from_value(v: &Value) -> Option<SendChatIntegrationEventInput> {
    let top = v.as_object()?;
    let event = required_obj(top, "Event")?;
    let event_type = ChatEventType::parse(required_str(event, "Type")?)?;
    Some(SendChatIntegrationEventInput {
        source_id: required_str(top, "SourceId")?.to_owned(),
        destination_id: required_str(top, "DestinationId")?.to_owned(),
        event: ChatEvent {
            event_type,
            content_type: optional_str(event, "ContentType")?,
            content: optional_str(event, "Content")?,
        },
        subtype: optional_str(top, "Subtype")?,
        new_session_details: match present(top, "NewSessionDetails") {
            None => None,
            Some(v) => Some(new_session_details_from_value(v.as_object()?)?),
        },
    })
}

fn new_session_details_from_value(n: &Map) -> Option<NewSessionDetails> {
    let supported_messaging_content_types = match present(n, "SupportedMessagingContentTypes") {
        None => None,
        Some(list) => Some(
            list.as_array()?
                .iter()
                .filter(|item| !item.is_null())
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<String>>>()?,
        ),
    };
    let participant_details = match present(n, "ParticipantDetails") {
        None => None,
        Some(pd) => Some(ParticipantDetails {
            display_name: required_str(pd.as_object()?, "DisplayName")?.to_owned(),
        }),
    };
    let attributes = match present(n, "Attributes") {
        None => None,
        Some(attrs) => {
            // Inserted one by one: the members come sorted, so collecting (which sorts) would
            // only add a sort to the wasm.
            let mut out = BTreeMap::new();
            for (k, v) in attrs.as_object()? {
                if !v.is_null() {
                    out.insert(k.clone(), v.as_str()?.to_owned());
                }
            }
            Some(out)
        }
    };
    let streaming_configuration = match present(n, "StreamingConfiguration") {
        None => None,
        Some(sc) => Some(StreamingConfiguration {
            streaming_endpoint_arn: required_str(sc.as_object()?, "StreamingEndpointArn")?
                .to_owned(),
        }),
    };
    Some(NewSessionDetails {
        supported_messaging_content_types,
        participant_details,
        attributes,
        streaming_configuration,
    })
}

/// Member `k`; `None` when absent or `null`.
fn present<'a>(m: &'a Map, k: &str) -> Option<&'a Value> {
    m.get(k).filter(|v| !v.is_null())
}

/// A required string member; `None` when absent, `null` or another type.
fn required_str<'a>(m: &'a Map, k: &str) -> Option<&'a str> {
    present(m, k)?.as_str()
}

/// A required object member; `None` when absent, `null` or another type.
fn required_obj<'a>(m: &'a Map, k: &str) -> Option<&'a Map> {
    present(m, k)?.as_object()
}

/// An optional string member: `Some(None)` when absent or `null`, `None` for another type.
fn optional_str(m: &Map, k: &str) -> Option<Option<String>> {
    match present(m, k) {
        None => Some(None),
        Some(v) => Some(Some(v.as_str()?.to_owned())),
    }
}

// ---------------------------------------------------------------------------------------------
// Shared core: the same checks for the value walker and the typed input.

/// A member as seen by the checks: absent (or `null`), of the wrong JSON type (its type name
/// for the message), or present.
enum Slot<T> {
    Absent,
    Wrong(&'static str),
    Ok(T),
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
    /// The objects, when validating a value, to hint at misspelt required members.
    top_map: Option<&'a Map>,
    event_map: Option<&'a Map>,
}

/// Channels whose messages must be plain text; SMS also constrains the identifiers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Channel {
    Sms,
    PlainText,
    Other,
}

fn check_core(c: &Core<'_>, strict: bool, out: &mut Vec<Issue>) {
    let lengths = &RULES.lengths;
    let source = string_member(
        out,
        "SourceId",
        &c.source_id,
        true,
        c.top_map,
        lengths.source_id,
    );
    let dest = string_member(
        out,
        "DestinationId",
        &c.destination_id,
        true,
        c.top_map,
        lengths.destination_id,
    );
    let subtype = string_member(out, "Subtype", &c.subtype, false, None, lengths.subtype);
    let channel = match subtype {
        Some(s) if s.eq_ignore_ascii_case(SMS_SUBTYPE) => Channel::Sms,
        Some(s)
            if PLAIN_TEXT_SUBTYPES
                .iter()
                .any(|t| s.eq_ignore_ascii_case(t)) =>
        {
            Channel::PlainText
        }
        _ => Channel::Other,
    };
    if strict && channel == Channel::Sms {
        if let Some(s) = source.filter(|s| !is_e164(s)) {
            out.push(Issue::new(
                "SourceId",
                code::E164,
                format!(
                    "SourceId must be an E.164 phone number (`+`, then 2-15 digits, the first \
                     1-9) when Subtype is connect:sms; got {}",
                    quote(s)
                ),
            ));
        }
        if let Some(d) = dest {
            if let Some(why) = phone_number_arn_problem(d) {
                out.push(Issue::new(
                    "DestinationId",
                    code::ARN,
                    format!(
                        "DestinationId must be an AWS End User Messaging phone-number ARN \
                         (arn:<aws|aws-cn|aws-us-gov>:sms-voice:<region>:<12-digit account>:\
                         phone-number/<id>) when Subtype is connect:sms: {why}; got {}",
                        quote(d)
                    ),
                ));
            }
        }
    }

    let event = match &c.event {
        Slot::Absent => {
            required_issue(out, "Event", c.top_map, "");
            return;
        }
        Slot::Wrong(t) => {
            type_issue(out, "Event", "an object", t);
            return;
        }
        Slot::Ok(e) => e,
    };
    let event_types = RULES.event_types.join(", ");
    let event_type = match event.event_type {
        Slot::Absent => {
            let suffix = format!("; one of {event_types}");
            required_issue(out, "Event.Type", c.event_map, &suffix);
            None
        }
        Slot::Wrong(t) => {
            type_issue(out, "Event.Type", "a string", t);
            None
        }
        Slot::Ok(s) => {
            let parsed = ChatEventType::parse(s);
            if parsed.is_none() {
                let case_only = RULES.event_types.iter().any(|t| t.eq_ignore_ascii_case(s));
                let hint = if case_only {
                    " (values are case-sensitive)"
                } else {
                    ""
                };
                out.push(Issue::new(
                    "Event.Type",
                    code::ENUM,
                    format!(
                        "Event.Type must be one of {event_types}; got {}{hint}",
                        quote(s)
                    ),
                ));
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
        lengths.content_type,
    );
    let content = string_member(
        out,
        "Event.Content",
        &event.content,
        false,
        None,
        lengths.content,
    );
    if !strict {
        return;
    }
    if let Some(body) = content.filter(|b| b.len() > MAX_CONTENT_BYTES) {
        out.push(Issue::new(
            "Event.Content",
            code::BYTES,
            format!(
                "Event.Content must be at most {MAX_CONTENT_BYTES} bytes (UTF-8); got {}",
                body.len()
            ),
        ));
    }
    let allowed: &[&str] = match event_type {
        Some(ChatEventType::Message) => &MESSAGE_CONTENT_TYPES,
        Some(ChatEventType::Event) => &EVENT_CONTENT_TYPES,
        Some(ChatEventType::Disconnect) | None => return,
    };
    let type_name = event_type.map_or("", ChatEventType::as_str);
    let is_message = event_type == Some(ChatEventType::Message);
    let allowed_list = allowed.join(", ");
    if matches!(event.content_type, Slot::Absent) {
        let suffix = format!(" when Event.Type is {type_name}; allowed: {allowed_list}");
        required_issue(out, "Event.ContentType", c.event_map, &suffix);
    }
    if is_message && matches!(event.content, Slot::Absent) {
        required_issue(
            out,
            "Event.Content",
            c.event_map,
            " when Event.Type is MESSAGE",
        );
    }
    let Some(ct) = content_type else { return };
    if is_message && channel != Channel::Other {
        if ct != TEXT_PLAIN {
            out.push(Issue::new(
                "Event.ContentType",
                code::CONTENT_TYPE,
                format!(
                    "Event.ContentType must be text/plain for a MESSAGE when Subtype is {} \
                     (the channel accepts only plain text); got {}",
                    quote(subtype.unwrap_or_default()),
                    quote(ct)
                ),
            ));
        }
    } else if !allowed.contains(&ct) {
        out.push(Issue::new(
            "Event.ContentType",
            code::CONTENT_TYPE,
            format!(
                "Event.ContentType is not allowed when Event.Type is {type_name}; allowed: \
                 {allowed_list}; got {}",
                quote(ct)
            ),
        ));
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
    limit: Length,
) -> Option<&'a str> {
    match *slot {
        Slot::Absent => {
            if required {
                required_issue(out, path, hint_map, "");
            }
            None
        }
        Slot::Wrong(t) => {
            type_issue(out, path, "a string", t);
            None
        }
        Slot::Ok(s) => match length_violation(s, limit) {
            Some(got) => {
                length_issue(out, path, "", limit, got);
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
                    other => type_issue(out, &smct_item_path(i), "a string", other.type_name()),
                }
            }
            check_smct_contains(out, has_plain, strict);
        }
        Some(other) => type_issue(out, SMCT_PATH, "an array of strings", other.type_name()),
    }
    match obj_slot(nsd.get("ParticipantDetails")) {
        Slot::Absent => {}
        Slot::Wrong(t) => type_issue(out, PD_PATH, "an object", t),
        Slot::Ok(pd) => {
            let slot = str_slot(pd.get("DisplayName"));
            string_member(
                out,
                DN_PATH,
                &slot,
                true,
                Some(pd),
                RULES.lengths.display_name,
            );
            if strict {
                unknown_members(out, pd, PD_PATH, "ParticipantDetails", &["DisplayName"]);
            }
        }
    }
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
                        other.type_name(),
                    ),
                }
            }
            check_attributes_total(out, total, strict);
        }
    }
    match obj_slot(nsd.get("StreamingConfiguration")) {
        Slot::Absent => {}
        Slot::Wrong(t) => type_issue(out, SC_PATH, "an object", t),
        Slot::Ok(sc) => {
            let slot = str_slot(sc.get("StreamingEndpointArn"));
            check_streaming_arn(out, &slot, Some(sc), strict);
            if strict {
                unknown_members(
                    out,
                    sc,
                    SC_PATH,
                    "StreamingConfiguration",
                    &["StreamingEndpointArn"],
                );
            }
        }
    }
    if strict {
        unknown_members(
            out,
            nsd,
            NSD_PATH,
            "NewSessionDetails",
            &[
                "SupportedMessagingContentTypes",
                "ParticipantDetails",
                "Attributes",
                "StreamingConfiguration",
            ],
        );
    }
}

/// Checks one `SupportedMessagingContentTypes` item; returns whether it is `text/plain`.
fn check_smct_item(out: &mut Vec<Issue>, index: usize, s: &str, strict: bool) -> bool {
    let limit = RULES.lengths.supported_messaging_content_type;
    if let Some(got) = length_violation(s, limit) {
        length_issue(out, &smct_item_path(index), "", limit, got);
        return false;
    }
    if strict && !SUPPORTED_MESSAGING_CONTENT_TYPES.contains(&s) {
        let path = smct_item_path(index);
        let message = format!(
            "{path} is not a supported messaging content type; allowed: {}; got {}",
            SUPPORTED_MESSAGING_CONTENT_TYPES.join(", "),
            quote(s)
        );
        out.push(Issue::new(path, code::ENUM, message));
    }
    s == TEXT_PLAIN
}

fn check_smct_contains(out: &mut Vec<Issue>, has_plain: bool, strict: bool) {
    if strict && !has_plain {
        out.push(Issue::new(
            SMCT_PATH,
            code::CONTAINS,
            format!("{SMCT_PATH} must contain {TEXT_PLAIN}"),
        ));
    }
}

/// Checks one attribute and adds its UTF-8 size to `total`.
fn check_attribute(out: &mut Vec<Issue>, key: &str, value: &str, strict: bool, total: &mut usize) {
    let lengths = &RULES.lengths;
    *total = total.saturating_add(key.len()).saturating_add(value.len());
    if let Some(got) = length_violation(key, lengths.attribute_key) {
        let path = attribute_path(key);
        length_issue(out, &path, " (attribute key)", lengths.attribute_key, got);
    }
    if strict && !all_word_chars(key) {
        let path = attribute_path(key);
        let message = format!(
            "{path}: attribute keys may contain only letters A-Z a-z, digits 0-9, `-` and `_`; \
             got key {}",
            quote(key)
        );
        out.push(Issue::new(path, code::PATTERN, message));
    }
    if let Some(got) = length_violation(value, lengths.attribute_value) {
        let path = attribute_path(key);
        length_issue(
            out,
            &path,
            " (attribute value)",
            lengths.attribute_value,
            got,
        );
    }
}

fn check_attributes_total(out: &mut Vec<Issue>, total: usize, strict: bool) {
    if strict && total > MAX_ATTRIBUTES_BYTES {
        out.push(Issue::new(
            ATTR_PATH,
            code::BYTES,
            format!(
                "{ATTR_PATH} must total at most {MAX_ATTRIBUTES_BYTES} bytes (UTF-8) over all \
                 keys and values; got {total}"
            ),
        ));
    }
}

fn check_streaming_arn(
    out: &mut Vec<Issue>,
    slot: &Slot<&str>,
    hint_map: Option<&Map>,
    strict: bool,
) {
    let limit = RULES.lengths.streaming_endpoint_arn;
    let Some(arn) = string_member(out, SEA_PATH, slot, true, hint_map, limit) else {
        return;
    };
    if strict && !arn.starts_with("arn:") {
        out.push(Issue::new(
            SEA_PATH,
            code::ARN,
            format!(
                "{SEA_PATH} must be an ARN (starting with `arn:`, e.g. an SNS topic ARN); got {}",
                quote(arn)
            ),
        ));
    }
}

/// Reports (strict mode only; callers check) members of `map` that the shape `shape` at `prefix`
/// does not have. `null` members count as absent and are not reported.
fn unknown_members(out: &mut Vec<Issue>, map: &Map, prefix: &str, shape: &str, members: &[&str]) {
    for (k, v) in map {
        if v.is_null() || members.contains(&k.as_str()) {
            continue;
        }
        let path = if prefix.is_empty() {
            clipped(k)
        } else {
            format!("{prefix}.{}", clipped(k))
        };
        let message = match members.iter().find(|m| loosely_equal(k, m)) {
            Some(m) => format!(
                "{path} is not a member of {shape}; did you mean `{m}`? (member names are \
                 case-sensitive)"
            ),
            None => format!(
                "{path} is not a member of {shape}; members are: {}",
                members.join(", ")
            ),
        };
        out.push(Issue::new(path, code::UNKNOWN, message));
    }
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

fn str_slot(v: Option<&Value>) -> Slot<&str> {
    match v {
        None | Some(Value::Null) => Slot::Absent,
        Some(Value::String(s)) => Slot::Ok(s),
        Some(other) => Slot::Wrong(other.type_name()),
    }
}

fn obj_slot(v: Option<&Value>) -> Slot<&Map> {
    match v {
        None | Some(Value::Null) => Slot::Absent,
        Some(Value::Object(m)) => Slot::Ok(m),
        Some(other) => Slot::Wrong(other.type_name()),
    }
}

fn opt_slot(v: Option<&str>) -> Slot<&str> {
    match v {
        None => Slot::Absent,
        Some(s) => Slot::Ok(s),
    }
}

fn type_issue(out: &mut Vec<Issue>, path: &str, expected: &str, got: &str) {
    out.push(Issue::new(
        path,
        code::TYPE,
        format!("{path} must be {expected}; got {got}"),
    ));
}

/// "X is required" then `suffix`, with a hint when the object has the member as `null` or
/// under a near-miss name (`sourceId`, `source_id`).
fn required_issue(out: &mut Vec<Issue>, path: &str, map: Option<&Map>, suffix: &str) {
    let name = path.rsplit('.').next().unwrap_or(path);
    let mut message = format!("{path} is required");
    if let Some(map) = map {
        if map.get(name).is_some_and(Value::is_null) {
            message.push_str(" (null counts as absent)");
        } else if let Some(k) = map.keys().find(|k| *k != name && loosely_equal(k, name)) {
            let _ = write!(
                message,
                " (found `{}`; member names are case-sensitive)",
                clipped(k)
            );
        }
    }
    message.push_str(suffix);
    out.push(Issue::new(path, code::REQUIRED, message));
}

/// A `length` issue at `path`; the message's subject is `path` then `what`.
fn length_issue(out: &mut Vec<Issue>, path: &str, what: &str, limit: Length, got: usize) {
    let Length { min, max } = limit;
    let range = if min == 0 {
        format!("at most {max}")
    } else {
        format!("{min}-{max}")
    };
    out.push(Issue::new(
        path,
        code::LENGTH,
        format!("{path}{what} must be {range} characters (Unicode code points); got {got}"),
    ));
}

/// `Some(code point count)` when `s` is outside the limit.
fn length_violation(s: &str, limit: Length) -> Option<usize> {
    // A code point is 1-4 bytes, so the byte length often decides without counting (which
    // matters for 10 MB strings).
    if s.len() <= limit.max && s.len().div_ceil(4) >= limit.min {
        return None;
    }
    let count = s.chars().count();
    (count < limit.min || count > limit.max).then_some(count)
}

/// Case- and punctuation-insensitive member-name match (`sourceId`, `source_id` ~ `SourceId`).
fn loosely_equal(a: &str, b: &str) -> bool {
    fn letters(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase())
    }
    // The length bound keeps a hostile 10 MB key from being scanned for every member name.
    a.len() <= 2 * b.len() + 8 && letters(b).next().is_some() && letters(a).eq(letters(b))
}

/// `s` cut to at most [`MAX_ECHO`] characters; `true` when it was cut.
fn clip(s: &str) -> (&str, bool) {
    match s.char_indices().nth(MAX_ECHO) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// `s` for a path: at most [`MAX_ECHO`] characters, marked with `…` when cut.
fn clipped(s: &str) -> String {
    match clip(s) {
        (head, true) => format!("{head}…"),
        (s, false) => s.to_owned(),
    }
}

/// A user's value for a message: quoted and escaped (`"`, `\`, control characters), at most
/// [`MAX_ECHO`] characters, marked with `…` inside the quotes when cut.
fn quote(s: &str) -> String {
    let (head, cut) = clip(s);
    let mut out = String::with_capacity(head.len() + 8);
    out.push('"');
    for c in head.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_ascii_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    if cut {
        out.push('…');
    }
    out.push('"');
    out
}

fn smct_item_path(index: usize) -> String {
    format!("{SMCT_PATH}[{index}]")
}

fn attribute_path(key: &str) -> String {
    format!("{ATTR_PATH}.{}", clipped(key))
}

/// `^\+[1-9][0-9]{1,14}$`.
fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len()) && all_digits(digits) && !digits.starts_with('0')
}

/// Why `s` is not `arn:<aws|aws-cn|aws-us-gov>:sms-voice:<region>:<12 digits>:phone-number/<id>`,
/// or `None` when it is.
fn phone_number_arn_problem(s: &str) -> Option<&'static str> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return Some("it needs six `:`-separated parts");
    };
    if arn != "arn" {
        return Some("it must start with `arn:`");
    }
    if !matches!(partition, "aws" | "aws-cn" | "aws-us-gov") {
        return Some("the partition must be aws, aws-cn or aws-us-gov");
    }
    if service != "sms-voice" {
        return Some("the service must be sms-voice");
    }
    if !is_region(region) {
        return Some("the region must look like us-east-1");
    }
    let region_partition = if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else {
        "aws"
    };
    if region_partition != partition {
        return Some("the region does not belong to the partition");
    }
    if account.len() != 12 || !all_digits(account) {
        return Some("the account must be 12 digits");
    }
    let Some(id) = resource.strip_prefix("phone-number/") else {
        return Some("the resource must be phone-number/<id>");
    };
    if id.is_empty() || !all_word_chars(id) {
        return Some("the phone-number id must be letters, digits, `-` or `_`");
    }
    None
}

/// Whether `s` has only `A-Z a-z 0-9 - _`.
fn all_word_chars(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `[a-z]{2,}(-[a-z]+)+-[0-9]+`, e.g. `us-east-1`, `us-gov-west-1`.
fn is_region(s: &str) -> bool {
    let lower = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase());
    let Some((head, number)) = s.rsplit_once('-') else {
        return false;
    };
    let Some((first, middle)) = head.split_once('-') else {
        return false;
    };
    !number.is_empty()
        && all_digits(number)
        && first.len() >= 2
        && lower(first)
        && middle.split('-').all(lower)
}

/// The issue for JSON text that could not be read.
fn json_issue(e: &JsonError) -> Issue {
    if e.is_lone_surrogate() {
        Issue::new(
            "",
            code::ENCODING,
            format!(
                "input JSON has a lone UTF-16 surrogate escape (\\ud800-\\udfff without its pair) \
                 at line {} column {}; such strings cannot be sent as UTF-8 — fix the JS string \
                 (e.g. with String.prototype.toWellFormed())",
                e.line(),
                e.column()
            ),
        )
    } else {
        Issue::new(
            "",
            code::JSON,
            format!("input is not valid JSON: {}", e.message()),
        )
    }
}

/// Unreachable in practice: validation guarantees the shape the typed conversion needs.
fn conversion_bug() -> Issue {
    Issue::new(
        "",
        code::TYPE,
        format!(
            "input passed validation but could not be converted to {TOP_SHAPE}; this is a bug, \
             please report it"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        for (r, ok) in [
            ("us-east-1", true),
            ("us-gov-west-1", true),
            ("cn-north-1", true),
            ("us-a-b-c-10", true),
            ("ab-c-0", true),
            ("ab-c-d-e-12345", true),
            ("", false),
            ("-", false),
            ("--", false),
            ("u-east-1", false),
            ("us-east-", false),
            ("us--1", false),
            ("us-1", false),
            ("us-east-1a", false),
            ("us-East-1", false),
            ("-us-east-1", false),
            ("us-east--1", false),
            ("us-east-1-", false),
            ("é-east-1", false),
            ("us-east-1-2", false),
            ("us-east-x", false),
            ("us-east-1é", false),
            ("a-b-1", false),
            ("ab-1-1", false),
        ] {
            assert_eq!(is_region(r), ok, "{r:?}");
        }
    }

    #[test]
    fn clipping_and_lengths() {
        for (s, chars) in [
            ("", 0),
            ("a", 1),
            ("é✓日本🎉", 5),
            (&*"é".repeat(64), 64),
            (&*"é".repeat(65), 65),
            (&*"🎉x".repeat(40), 80),
        ] {
            let (head, cut) = clip(s);
            assert_eq!(cut, chars > MAX_ECHO, "{s:?}");
            assert_eq!(head.chars().count(), chars.min(MAX_ECHO), "{s:?}");
            assert!(s.starts_with(head));
            assert_eq!(
                length_violation(s, len(0, 0)),
                Some(chars).filter(|&n| n > 0)
            );
        }
        assert_eq!(
            quote("a\"b\\\n\r\t\0\u{1}\u{7f}é"),
            r#""a\"b\\\n\r\t\0\u{1}\u{7f}é""#
        );
        assert_eq!(quote(&"x".repeat(70)), format!("\"{}…\"", "x".repeat(64)));
    }

    #[test]
    fn loose_member_names() {
        for (a, b, want) in [
            ("sourceId", "SourceId", true),
            ("source_id", "SourceId", true),
            ("SOURCE-ID", "SourceId", true),
            ("SourceIdX", "SourceId", false),
            ("Source", "SourceId", false),
            ("", "", false),
            ("-", "_", false),
            ("é-x", "x-é", true),
            ("x", "X", true),
            ("__________________x", "x", false),
            ("type_", "Type", true),
        ] {
            assert_eq!(loosely_equal(a, b), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn conversion_drops_nulls_and_unknown_members() {
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
            let v = Value::from_json(text.as_bytes()).unwrap();
            let want = want.map(|tail| format!("{head}{tail}"));
            assert_eq!(input_from_value(&v).map(|i| i.to_json()), want, "{text}");
        }
    }
}
