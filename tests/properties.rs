//! Property tests (proptest) of the pure core: no panics on any input, validation round trips,
//! signer determinism and sensitivity, secrets never in signer output, error-body parsing,
//! endpoint resolution and signing-time parsing.
//!
//! Case counts are set per property (see `config`) so the file runs in a few seconds in a debug
//! build; `PROPTEST_CASES=N` overrides every count for a deeper run, e.g.
//! `PROPTEST_CASES=20000 cargo test --release --test properties`.
#![cfg(not(target_arch = "wasm32"))] // proptest is a native-only dev-dependency

use std::collections::BTreeMap;

use connect_chat_events::client;
use connect_chat_events::endpoint::{resolve, EndpointConfig, SIGNING_NAME};
use connect_chat_events::errors::{parse_error, BODY_EXCERPT_BYTES};
use connect_chat_events::model::{
    ChatEvent, ChatEventType, NewSessionDetails, ParticipantDetails, SendChatIntegrationEventInput,
    StreamingConfiguration,
};
use connect_chat_events::sigv4::{
    format_amz_date, parse_signing_date, sha256_hex, sign, sign_with_payload_hash, Credentials,
    FixedSigner, Request, Signed, SigningError, SigningKeyCache, SigningParams,
};
use connect_chat_events::validate::{
    parse_input_json, validate, Options, EVENT_CONTENT_TYPES, MESSAGE_CONTENT_TYPES,
    SUPPORTED_MESSAGING_CONTENT_TYPES,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use serde::Deserialize;
use serde_json::{Map, Value};

mod common;
use common::{parse_input, validate_value};

/// The JSON value of a typed input, from its wire text.
fn to_value(input: &SendChatIntegrationEventInput) -> Value {
    serde_json::from_str(&input.to_json()).expect("to_json is JSON")
}

/// Smallest / largest unix time the signer accepts (0000-01-01T00:00:00Z, 9999-12-31T23:59:59Z).
const MIN_UNIX: i64 = -62_167_219_200;
const MAX_UNIX: i64 = 253_402_300_799;

/// `cases` for one property, unless `PROPTEST_CASES` is set (then that, for every property).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Strings

/// One character: mostly ASCII that matters to the rules, sometimes anything (incl. NUL,
/// controls, combining marks, astral-plane characters).
fn any_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => select(vec!['a', 'Z', '0', '9', '+', '-', '_', ':', '/', '.', ' ', '"', '\\', '{', '[']),
        2 => select(vec!['é', 'ß', '\u{0}', '\u{1f}', '\u{7f}', '\u{301}', '\u{2028}', '\u{feff}',
                         '\u{fffd}', '😀', '\u{10ffff}', '漢']),
        2 => any::<char>(),
    ]
}

/// Lengths on both sides of every limit the rules have.
const BOUNDARY_LENGTHS: [usize; 16] = [
    0, 1, 2, 64, 65, 100, 101, 255, 256, 257, 350, 351, 16_384, 16_385, 32_767, 32_768,
];

/// Any string: short and mixed, empty, a boundary-length run of one character (1-4 UTF-8
/// bytes), or a huge one (up to 70,000 characters).
fn any_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => vec(any_char(), 0..24).prop_map(|cs| cs.into_iter().collect()),
        2 => (any_char(), select(BOUNDARY_LENGTHS.to_vec()))
            .prop_map(|(c, n)| c.to_string().repeat(n)),
        1 => (any_char(), 0usize..70_000).prop_map(|(c, n)| c.to_string().repeat(n)),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// A string of `min..=max` characters; usually short, sometimes exactly at a bound.
fn text_between(min: usize, max: usize) -> BoxedStrategy<String> {
    let short_max = max.min(min + 24);
    prop_oneof![
        8 => vec(any_char(), min..=short_max).prop_map(|cs| cs.into_iter().collect::<String>()),
        1 => Just("x".repeat(max)),
        1 => Just("é".repeat(min)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// JSON

/// Member names: the model's, near misses, and anything.
fn any_key() -> BoxedStrategy<String> {
    prop_oneof![
        3 => select(vec![
            "SourceId", "DestinationId", "Subtype", "Event", "Type", "ContentType", "Content",
            "NewSessionDetails", "SupportedMessagingContentTypes", "ParticipantDetails",
            "DisplayName", "Attributes", "StreamingConfiguration", "StreamingEndpointArn",
            "sourceId", "source_id", "__proto__", "constructor", "",
        ])
        .prop_map(str::to_string),
        2 => any_text(),
    ]
    .boxed()
}

fn any_scalar() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from), // NaN and infinities become null
        any_text().prop_map(Value::String),
        select(vec![
            "MESSAGE",
            "EVENT",
            "DISCONNECT",
            "message",
            "text/plain",
            "connect:sms"
        ])
        .prop_map(Value::from),
    ]
    .boxed()
}

/// Arbitrary JSON trees (up to 4 levels, ~48 nodes).
fn any_json() -> BoxedStrategy<Value> {
    any_scalar()
        .prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..6).prop_map(Value::Array),
                vec((any_key(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
            ]
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Model-based inputs

const SMS_ARN_PREFIX: &str = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/";

/// Inputs built to pass every rule in strict mode (and so in lax mode).
fn valid_input() -> BoxedStrategy<SendChatIntegrationEventInput> {
    let channel = prop_oneof![
        Just(None),
        Just(Some("connect:sms".to_string())),
        Just(Some("connect:SMS".to_string())),
        Just(Some("connect:WhatsApp".to_string())),
        text_between(1, 100)
            .prop_filter("not a known channel", |s| {
                !s.eq_ignore_ascii_case("connect:sms")
                    && !s.eq_ignore_ascii_case("connect:whatsapp")
            })
            .prop_map(Some),
    ];
    let ids = (
        "\\+[1-9][0-9]{1,14}",
        "[A-Za-z0-9_-]{1,40}",
        text_between(1, 255),
        text_between(1, 255),
    );
    let content = prop_oneof![
        4 => text_between(1, 40),
        1 => Just("x".repeat(16_384)),
        1 => Just("é".repeat(8_192)),
    ];
    let event_parts = (
        select(ChatEventType::ALL.to_vec()),
        any::<Index>(),
        prop::option::of(content.clone()),
        content,
        prop::option::of(text_between(1, 100)),
    );
    (channel, ids, event_parts, prop::option::of(valid_session()))
        .prop_map(|(subtype, (e164, phone_id, src, dst), ev, nsd)| {
            let sms = subtype
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("connect:sms"));
            let plain_only = subtype.is_some();
            let (source_id, destination_id) = if sms {
                (e164, format!("{SMS_ARN_PREFIX}{phone_id}"))
            } else {
                (src, dst)
            };
            let (event_type, pick, opt_content, content, free_ct) = ev;
            let event = match event_type {
                ChatEventType::Disconnect => ChatEvent {
                    event_type,
                    content_type: free_ct,
                    content: opt_content,
                },
                ChatEventType::Message => ChatEvent {
                    event_type,
                    content_type: Some(if plain_only {
                        "text/plain".to_string()
                    } else {
                        pick.get(&MESSAGE_CONTENT_TYPES).to_string()
                    }),
                    content: Some(content),
                },
                ChatEventType::Event => ChatEvent {
                    event_type,
                    content_type: Some(pick.get(&EVENT_CONTENT_TYPES).to_string()),
                    content: opt_content,
                },
            };
            SendChatIntegrationEventInput {
                source_id,
                destination_id,
                event,
                subtype,
                new_session_details: nsd,
            }
        })
        .boxed()
}

fn valid_session() -> BoxedStrategy<NewSessionDetails> {
    let smct = vec(select(SUPPORTED_MESSAGING_CONTENT_TYPES.to_vec()), 0..5).prop_map(|mut v| {
        v.push("text/plain");
        v.into_iter().map(str::to_string).collect::<Vec<_>>()
    });
    (
        prop::option::of(smct),
        prop::option::of(text_between(1, 256)),
        prop::option::of(btree_map("[A-Za-z0-9_-]{1,20}", text_between(0, 40), 0..6)),
        prop::option::of(text_between(0, 346)),
    )
        .prop_map(|(smct, name, attrs, arn)| NewSessionDetails {
            supported_messaging_content_types: smct,
            participant_details: name.map(|display_name| ParticipantDetails { display_name }),
            attributes: attrs,
            streaming_configuration: arn.map(|a| StreamingConfiguration {
                streaming_endpoint_arn: format!("arn:{a}"),
            }),
        })
        .boxed()
}

/// Typed inputs with arbitrary strings (mostly invalid in some way).
fn any_typed_input() -> BoxedStrategy<SendChatIntegrationEventInput> {
    let nsd = (
        prop::option::of(vec(any_text(), 0..4)),
        prop::option::of(any_text()),
        prop::option::of(btree_map(any_text(), any_text(), 0..4)),
        prop::option::of(any_text()),
    )
        .prop_map(|(smct, name, attrs, arn)| NewSessionDetails {
            supported_messaging_content_types: smct,
            participant_details: name.map(|display_name| ParticipantDetails { display_name }),
            attributes: attrs,
            streaming_configuration: arn.map(|a| StreamingConfiguration {
                streaming_endpoint_arn: a,
            }),
        });
    (
        (any_text(), any_text(), prop::option::of(any_text())),
        (
            select(ChatEventType::ALL.to_vec()),
            prop::option::of(any_text()),
            prop::option::of(any_text()),
        ),
        prop::option::of(nsd),
    )
        .prop_map(|((source_id, destination_id, subtype), (t, ct, c), nsd)| {
            SendChatIntegrationEventInput {
                source_id,
                destination_id,
                event: ChatEvent {
                    event_type: t,
                    content_type: ct,
                    content: c,
                },
                subtype,
                new_session_details: nsd,
            }
        })
        .boxed()
}

/// One edit of a JSON tree at a node chosen by index.
#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    SetNull,
    Replace(Value),
    /// Renames an object member to a near miss (lower-cased first letter).
    Rename,
    Insert(String, Value),
    WrapInArray,
    StringToNumber,
}

fn mutation() -> impl Strategy<Value = (Index, Mutation)> {
    let m = prop_oneof![
        Just(Mutation::Remove),
        Just(Mutation::SetNull),
        any_json().prop_map(Mutation::Replace),
        any_scalar().prop_map(Mutation::Replace),
        Just(Mutation::Rename),
        (any_key(), any_json()).prop_map(|(k, v)| Mutation::Insert(k, v)),
        Just(Mutation::WrapInArray),
        Just(Mutation::StringToNumber),
    ];
    (any::<Index>(), m)
}

fn escape_pointer(k: &str) -> String {
    k.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer(k: &str) -> String {
    k.replace("~1", "/").replace("~0", "~")
}

fn pointers(v: &Value, base: &str, out: &mut Vec<String>) {
    out.push(base.to_string());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                pointers(c, &format!("{base}/{}", escape_pointer(k)), out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                pointers(c, &format!("{base}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn apply(v: &mut Value, at: Index, m: Mutation) {
    let mut all = Vec::new();
    pointers(v, "", &mut all);
    let ptr = at.get(&all).clone();
    match m {
        Mutation::Remove | Mutation::Rename => {
            let Some((parent, last)) = ptr.rsplit_once('/') else {
                return;
            };
            let last = unescape_pointer(last);
            match v.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    if let Some(old) = map.remove(&last) {
                        if matches!(m, Mutation::Rename) {
                            let mut renamed = last.clone();
                            if let Some(first) = renamed.get(..1) {
                                renamed.replace_range(..1, &first.to_ascii_lowercase());
                            }
                            renamed.push('_');
                            map.insert(renamed, old);
                        }
                    }
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::SetNull => set(v, &ptr, Value::Null),
        Mutation::Replace(new) => set(v, &ptr, new),
        Mutation::Insert(k, new) => {
            if let Some(Value::Object(map)) = v.pointer_mut(&ptr) {
                map.insert(k, new);
            }
        }
        Mutation::WrapInArray => {
            if let Some(node) = v.pointer_mut(&ptr) {
                let old = node.take();
                *node = Value::Array(vec![old]);
            }
        }
        Mutation::StringToNumber => {
            if let Some(node) = v.pointer_mut(&ptr) {
                if let Value::String(s) = node {
                    *node = Value::from(s.len());
                }
            }
        }
    }
}

fn set(v: &mut Value, ptr: &str, new: Value) {
    if let Some(node) = v.pointer_mut(ptr) {
        *node = new;
    }
}

/// Valid inputs as JSON with 1-4 random edits: mostly almost valid, sometimes still valid.
fn near_valid_json() -> BoxedStrategy<Value> {
    (valid_input(), vec(mutation(), 0..4))
        .prop_map(|(input, edits)| {
            let mut v = to_value(&input);
            for (at, m) in edits {
                apply(&mut v, at, m);
            }
            v
        })
        .boxed()
}

/// Adds a `null` member to every object (an unknown name, plus one absent model member
/// chosen by `known`) and a `null` item to every array.
fn sprinkle_nulls(v: &mut Value, known: Index) {
    const OPTIONAL: [&str; 8] = [
        "Subtype",
        "NewSessionDetails",
        "ContentType",
        "Content",
        "SupportedMessagingContentTypes",
        "ParticipantDetails",
        "Attributes",
        "StreamingConfiguration",
    ];
    match v {
        Value::Object(m) => {
            for c in m.values_mut() {
                sprinkle_nulls(c, known);
            }
            m.insert("Unknown_Member".to_string(), Value::Null);
            m.entry(known.get(&OPTIONAL).to_string())
                .or_insert(Value::Null);
        }
        Value::Array(a) => {
            for c in a.iter_mut() {
                sprinkle_nulls(c, known);
            }
            a.insert(known.index(a.len() + 1), Value::Null);
        }
        _ => {}
    }
}

/// Whatever JSON `parse_input` accepted: it re-validates cleanly, serializes, and parses back
/// to the same value, in the same mode.
fn check_accepted_round_trip(input: &SendChatIntegrationEventInput, opts: &Options) {
    assert_eq!(validate(input, opts), Vec::new(), "typed re-validation");
    let json = input.to_json();
    let reparsed: Value = serde_json::from_str(&json).expect("to_json is JSON");
    assert_eq!(validate_value(&reparsed, opts), Vec::new(), "{json}");
    let again = parse_input_json(&json, opts).expect("serialized input parses");
    assert_eq!(&again, input);
    assert_eq!(again.to_json(), json, "serialization is stable");
}

fn both_modes() -> [Options; 2] {
    [Options { strict: true }, Options { strict: false }]
}

proptest! {
    #![proptest_config(config(512))]

    /// Near-valid inputs (a valid input with random edits): never a panic; the JSON-text path
    /// agrees with the value path; anything accepted round-trips; strict accepts only what lax
    /// accepts.
    #[test]
    fn near_valid_inputs_validate_consistently(v in near_valid_json()) {
        let text = serde_json::to_string(&v).expect("value serializes");
        let mut accepted = [false; 2];
        for (i, opts) in both_modes().iter().enumerate() {
            let from_value = parse_input(&v, opts);
            let from_text = parse_input_json(&text, opts);
            prop_assert_eq!(&from_value, &from_text);
            if let Ok(input) = &from_value {
                accepted[i] = true;
                check_accepted_round_trip(input, opts);
            }
        }
        prop_assert!(!accepted[0] || accepted[1], "strict accepted what lax rejected");
    }

    /// The model-based generator is right (every generated input passes both modes, so the
    /// round-trip properties are not vacuous), and valid inputs round-trip through JSON text
    /// and JSON values alike.
    #[test]
    fn valid_inputs_round_trip(input in valid_input()) {
        for opts in both_modes() {
            prop_assert_eq!(validate(&input, &opts), Vec::new());
            let v = to_value(&input);
            prop_assert_eq!(validate_value(&v, &opts), Vec::new());
            let parsed = parse_input(&v, &opts);
            prop_assert_eq!(parsed.as_ref(), Ok(&input));
            check_accepted_round_trip(&input, &opts);
        }
    }

    /// `null` means absent everywhere: adding `null` members (known or unknown names), `null`
    /// list items and `null` attribute values to a valid input changes nothing, in both modes.
    #[test]
    fn nulls_are_absent(input in valid_input(), known in any::<Index>()) {
        let mut v = to_value(&input);
        sprinkle_nulls(&mut v, known);
        for opts in both_modes() {
            let parsed = parse_input(&v, &opts);
            prop_assert_eq!(parsed.as_ref(), Ok(&input), "{}", v);
        }
    }

    /// The typed validator and the JSON validator report the same issues for any typed input.
    #[test]
    fn typed_and_json_validation_agree(input in any_typed_input()) {
        let v = to_value(&input);
        for opts in both_modes() {
            prop_assert_eq!(validate(&input, &opts), validate_value(&v, &opts));
        }
    }
}

proptest! {
    #![proptest_config(config(1024))]

    /// Validation of arbitrary JSON never panics, in both modes, and `parse_input` agrees with
    /// `validate_value`; what it accepts round-trips. A `Value` deserialized straight from the
    /// in-memory value (no text, as serde-wasm-bindgen fills it from JS) validates the same.
    #[test]
    fn validation_never_panics_on_arbitrary_json(v in any_json()) {
        let direct = connect_chat_events::value::Value::deserialize(&v).expect("within the nesting limit");
        for opts in both_modes() {
            let issues = validate_value(&v, &opts);
            prop_assert_eq!(&connect_chat_events::validate::validate_value(&direct, &opts), &issues);
            match parse_input(&v, &opts) {
                Ok(input) => {
                    prop_assert!(issues.is_empty());
                    check_accepted_round_trip(&input, &opts);
                }
                Err(e) => prop_assert_eq!(e, issues),
            }
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// `parse_input_json` never panics on arbitrary text, bytes read as lossy UTF-8, JSON-like
    /// text (escapes, lone surrogates) or edited JSON of valid inputs; what it accepts
    /// round-trips.
    #[test]
    fn parse_input_json_never_panics(
        text in prop_oneof![
            any::<String>(),
            vec(any::<u8>(), 0..256).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            "[\\[\\]{}\":,0-9a-fA-Fu\\\\ tnrul.eE+-]{0,80}",
            "\\{\"SourceId\":\"(\\\\u[dD][89abAB][0-9a-f]{2}|\\\\u[dD][c-fC-F][0-9a-f]{2}|x){1,3}\"\\}",
            (valid_input(), vec((any::<Index>(), any::<char>(), 0u8..3), 1..4)).prop_map(|(i, edits)| {
                let mut chars: Vec<char> = i.to_json().chars().collect();
                for (at, c, op) in edits {
                    let n = at.index(chars.len().max(1));
                    match op {
                        0 if !chars.is_empty() => { chars.remove(n); }
                        1 => chars.insert(n.min(chars.len()), c),
                        _ => chars.truncate(n),
                    }
                }
                chars.into_iter().collect()
            }),
        ]
    ) {
        for opts in both_modes() {
            match parse_input_json(&text, &opts) {
                Ok(input) => check_accepted_round_trip(&input, &opts),
                Err(issues) => prop_assert!(!issues.is_empty()),
            }
        }
    }
}

/// Nesting far past serde_json's recursion limit is an error, not a stack overflow.
#[test]
fn deep_nesting_is_rejected_without_overflow() {
    for depth in [100usize, 126, 200, 1_000, 100_000] {
        let doc = format!(
            "{{\"SourceId\":{}1{},\"DestinationId\":\"d\",\"Event\":{{\"Type\":\"DISCONNECT\"}}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        for opts in both_modes() {
            let issues = parse_input_json(&doc, &opts).expect_err("nested SourceId is invalid");
            assert_eq!(issues.len(), 1, "depth {depth}: {issues:?}");
            let expected = if depth < 128 { "type" } else { "json" };
            assert_eq!(issues[0].code, expected, "depth {depth}: {issues:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Signing

#[derive(Debug, Clone)]
struct SignCase {
    method: String,
    host: String,
    segments: Vec<String>,
    query: Vec<(String, String)>,
    /// Signed headers with unique names `x-p<i>-...` and visible-ASCII values without spaces
    /// (so a different value is a different canonical value).
    headers: Vec<(String, String)>,
    user_agent: String,
    body: Vec<u8>,
    time: i64,
    region: String,
    service: String,
    access_key_id: String,
    secret: String,
    token: Option<String>,
    apply_checksum: bool,
}

impl SignCase {
    fn url(&self) -> String {
        let query: Vec<String> = self.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "https://{}/{}?{}#fragment",
            self.host,
            self.segments.join("/"),
            query.join("&")
        )
    }

    fn all_headers(&self) -> Vec<(String, String)> {
        let mut h = self.headers.clone();
        h.push(("User-Agent".to_string(), self.user_agent.clone()));
        h
    }

    fn sign_with(&self, cache: &mut SigningKeyCache) -> Result<Signed, SigningError> {
        let url = self.url();
        let headers = self.all_headers();
        let req = Request {
            method: &self.method,
            url: &url,
            headers: &headers,
            body: &self.body,
        };
        let creds = Credentials {
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret.clone(),
            session_token: self.token.clone(),
        };
        let mut params = SigningParams::new(&self.region, &self.service, self.time);
        params.apply_checksum = self.apply_checksum;
        sign(&req, &creds, &params, cache)
    }

    fn sign(&self) -> Signed {
        self.sign_with(&mut SigningKeyCache::new())
            .expect("generated requests are signable")
    }
}

/// Secrets: 20-40 characters of an alphabet that cannot occur by chance in the signer output.
const SECRET_RE: &str = "[A-Za-z0-9/+]{20,40}";

fn sign_case() -> BoxedStrategy<SignCase> {
    (
        (
            "[A-Z]{1,8}",
            "[a-z0-9]{1,10}(\\.[a-z0-9]{1,10}){0,3}",
            vec("[A-Za-z0-9_~-]{1,8}", 0..4),
            vec(("[a-z]{1,6}", "[A-Za-z0-9]{0,6}"), 0..4),
        ),
        (
            vec("[!-~]{1,12}", 0..4).prop_map(|vals| {
                vals.into_iter()
                    .enumerate()
                    .map(|(i, v)| (format!("X-P{i}-Test"), v))
                    .collect::<Vec<_>>()
            }),
            "[ -~]{0,30}",
            vec(any::<u8>(), 0..128),
            prop_oneof![0i64..4_102_444_800, MIN_UNIX..=MAX_UNIX],
        ),
        (
            "[a-z]{2}-[a-z]{2,8}-[1-9]",
            "[a-z]{2,10}",
            "[A-Z0-9]{16,20}",
            SECRET_RE,
            prop::option::of("[A-Za-z0-9/+=]{20,60}"),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (method, host, segments, query),
                (headers, user_agent, body, time),
                (region, service, access_key_id, secret, token, apply_checksum),
            )| SignCase {
                method,
                host,
                segments,
                query,
                headers,
                user_agent,
                body,
                time,
                region,
                service,
                access_key_id,
                secret,
                token,
                apply_checksum,
            },
        )
        .boxed()
}

/// A change to one part of a request that SigV4 signs.
#[derive(Debug, Clone)]
enum SignedChange {
    Method(String),
    PathSegment(Index, String),
    AddPathSegment(String),
    QueryValue(Index, String),
    AddQueryParam(String, String),
    HeaderValue(Index, String),
    BodyByte(Index, u8),
    Time(i64),
    Region(String),
    Service(String),
    Secret(String),
    Token(String),
}

fn signed_change() -> impl Strategy<Value = SignedChange> {
    prop_oneof![
        "[A-Z]{1,8}".prop_map(SignedChange::Method),
        (any::<Index>(), "[A-Za-z0-9_~-]{1,8}").prop_map(|(i, s)| SignedChange::PathSegment(i, s)),
        "[A-Za-z0-9_~-]{1,8}".prop_map(SignedChange::AddPathSegment),
        (any::<Index>(), "[A-Za-z0-9]{0,6}").prop_map(|(i, s)| SignedChange::QueryValue(i, s)),
        ("[a-z]{1,6}", "[A-Za-z0-9]{0,6}").prop_map(|(k, v)| SignedChange::AddQueryParam(k, v)),
        (any::<Index>(), "[!-~]{1,12}").prop_map(|(i, s)| SignedChange::HeaderValue(i, s)),
        (any::<Index>(), 1u8..=255).prop_map(|(i, m)| SignedChange::BodyByte(i, m)),
        (MIN_UNIX..=MAX_UNIX).prop_map(SignedChange::Time),
        "[a-z]{2}-[a-z]{2,8}-[1-9]".prop_map(SignedChange::Region),
        "[a-z]{2,10}".prop_map(SignedChange::Service),
        SECRET_RE.prop_map(SignedChange::Secret),
        "[A-Za-z0-9/+=]{20,60}".prop_map(SignedChange::Token),
    ]
}

/// Makes `new` differ from `old` (appending a character in the same alphabet).
fn differ(new: String, old: &str, extra: char) -> String {
    if new == old {
        format!("{new}{extra}")
    } else {
        new
    }
}

/// Applies the change; returns what it changed, for failure messages.
fn change(c: &mut SignCase, ch: SignedChange) -> &'static str {
    match ch {
        SignedChange::Method(m) => {
            c.method = differ(m, &c.method, 'X');
            "method"
        }
        SignedChange::PathSegment(i, s) if !c.segments.is_empty() => {
            let n = i.index(c.segments.len());
            c.segments[n] = differ(s, &c.segments[n], 'x');
            "path segment"
        }
        SignedChange::PathSegment(_, s) | SignedChange::AddPathSegment(s) => {
            c.segments.push(s);
            "path (added segment)"
        }
        SignedChange::QueryValue(i, v) if !c.query.is_empty() => {
            let n = i.index(c.query.len());
            c.query[n].1 = differ(v, &c.query[n].1, 'x');
            "query value"
        }
        SignedChange::QueryValue(_, v) => {
            c.query.push(("k".to_string(), v));
            "query (added param)"
        }
        SignedChange::AddQueryParam(k, v) => {
            c.query.push((k, v));
            "query (added param)"
        }
        SignedChange::HeaderValue(i, v) if !c.headers.is_empty() => {
            let n = i.index(c.headers.len());
            c.headers[n].1 = differ(v, &c.headers[n].1, '!');
            "signed header value"
        }
        SignedChange::HeaderValue(_, v) => {
            c.headers.push(("X-Added".to_string(), v));
            "signed header (added)"
        }
        SignedChange::BodyByte(i, mask) => {
            if c.body.is_empty() {
                c.body.push(mask);
            } else {
                let n = i.index(c.body.len());
                c.body[n] ^= mask;
            }
            "body byte"
        }
        SignedChange::Time(t) => {
            c.time = if t == c.time {
                if t == MAX_UNIX {
                    t - 1
                } else {
                    t + 1
                }
            } else {
                t
            };
            "time"
        }
        SignedChange::Region(r) => {
            c.region = differ(r, &c.region, 'x');
            "region"
        }
        SignedChange::Service(s) => {
            c.service = differ(s, &c.service, 'x');
            "service"
        }
        SignedChange::Secret(s) => {
            c.secret = differ(s, &c.secret, 'x');
            "secret"
        }
        SignedChange::Token(t) => {
            let old = c.token.clone().unwrap_or_default();
            c.token = Some(differ(t, &old, 'x'));
            "session token"
        }
    }
}

/// An arbitrary URL: raw text, or an http(s) URL assembled from arbitrary parts.
fn any_url() -> BoxedStrategy<String> {
    prop_oneof![
        any::<String>(),
        (
            select(vec![
                "https://", "http://", "HTTPS://", "ftp://", "https:/", ""
            ]),
            prop_oneof![
                "[a-zA-Z0-9.~_-]{0,12}",
                "\\[[0-9a-f:.]{0,12}\\]",
                any::<String>(),
                "[a-z]{1,5}@[a-z]{1,5}"
            ],
            prop::option::of("[0-9]{0,7}"),
            prop_oneof!["(/[a-zA-Z0-9.%~ _-]{0,6}){0,4}", any::<String>()],
            prop::option::of("[a-zA-Z0-9=&%+._~-]{0,20}"),
            prop::option::of(any::<String>()),
        )
            .prop_map(|(scheme, host, port, path, query, fragment)| {
                let mut u = format!("{scheme}{host}");
                if let Some(p) = port {
                    u.push(':');
                    u.push_str(&p);
                }
                u.push_str(&path);
                if let Some(q) = query {
                    u.push('?');
                    u.push_str(&q);
                }
                if let Some(f) = fragment {
                    u.push('#');
                    u.push_str(&f);
                }
                u
            }),
    ]
    .boxed()
}

fn any_header() -> BoxedStrategy<(String, String)> {
    (
        prop_oneof![
            select(vec![
                "Host",
                "host",
                "x-amz-date",
                "X-Amz-Security-Token",
                "x-amz-content-sha256",
                "authorization",
                "user-agent",
                "content-type",
                "X-Amz-Target",
            ])
            .prop_map(str::to_string),
            "[!-~]{0,10}",
            any::<String>(),
        ],
        prop_oneof!["[\t -~]{0,20}", any::<String>()],
    )
        .boxed()
}

proptest! {
    #![proptest_config(config(512))]

    /// Signing is deterministic: twice with a cold cache, and again with the warm cache.
    #[test]
    fn signing_is_deterministic(c in sign_case()) {
        let mut cache = SigningKeyCache::new();
        let first = c.sign_with(&mut cache).expect("signable");
        let warm = c.sign_with(&mut cache).expect("signable");
        prop_assert_eq!(&first, &c.sign());
        prop_assert_eq!(&first, &warm);
        prop_assert_eq!(cache.hits(), 1);
    }

    /// Any change of a signed part changes the signature.
    #[test]
    fn changing_a_signed_part_changes_the_signature(c in sign_case(), ch in signed_change()) {
        let before = c.sign();
        let mut changed = c.clone();
        let what = change(&mut changed, ch);
        let after = changed.sign();
        prop_assert_ne!(&before.signature, &after.signature, "{} changed but the signature did not", what);
    }

    /// Unsigned parts (user-agent, an unsignable header, the URL fragment, the access key id,
    /// which is in the authorization header but not in the string to sign) do not change the
    /// signature.
    #[test]
    fn changing_an_unsigned_part_keeps_the_signature(
        c in sign_case(),
        ua in "[ -~]{0,30}",
        trace in "[!-~]{1,20}",
        akid in "[A-Z0-9]{16,20}",
    ) {
        let before = c.sign();
        let mut other = c.clone();
        other.user_agent = ua.clone();
        other.headers.push(("X-Amzn-Trace-Id".to_string(), trace));
        other.access_key_id = akid.clone();
        let url = c.url().replace("#fragment", "#other");
        let headers = other.all_headers();
        let req = Request { method: &c.method, url: &url, headers: &headers, body: &c.body };
        let creds = Credentials {
            access_key_id: akid,
            secret_access_key: c.secret.clone(),
            session_token: c.token.clone(),
        };
        let mut params = SigningParams::new(&c.region, &c.service, c.time);
        params.apply_checksum = c.apply_checksum;
        let after = sign(&req, &creds, &params, &mut SigningKeyCache::new()).expect("signable");
        prop_assert_eq!(&before.signature, &after.signature);
        prop_assert_eq!(&before.canonical_request, &after.canonical_request);
        let ua_sent = after.headers.iter().find(|(n, _)| n == "user-agent").map(|(_, v)| v.as_str());
        prop_assert_eq!(ua_sent, Some(ua.as_str()));
    }

    /// The secret access key appears nowhere in the signer's output: not in the canonical
    /// request, the string to sign, the headers, the URL, the signature, nor in the `Debug`
    /// output of the result or of the credentials (which also hide the session token).
    #[test]
    fn secret_never_appears_in_signed_output(c in sign_case()) {
        let s = c.sign();
        prop_assert!(!s.canonical_request.contains(&c.secret));
        prop_assert!(!s.string_to_sign.contains(&c.secret));
        prop_assert!(!s.signature.contains(&c.secret));
        prop_assert!(!s.url.contains(&c.secret));
        for (n, v) in &s.headers {
            prop_assert!(!n.contains(&c.secret) && !v.contains(&c.secret), "{}", n);
        }
        let signed_debug = format!("{s:?}");
        prop_assert!(!signed_debug.contains(&c.secret));
        let creds = Credentials {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret.clone(),
            session_token: c.token.clone(),
        };
        let dbg = format!("{creds:?}");
        prop_assert!(!dbg.contains(&c.secret));
        if let Some(t) = &c.token {
            prop_assert!(!dbg.contains(t.as_str()));
        }
        let mut cache = SigningKeyCache::new();
        c.sign_with(&mut cache).expect("signable");
        let cache_debug = format!("{cache:?}");
        prop_assert!(!cache_debug.contains(&c.secret));
    }

    /// Arbitrary method, URL, headers, body, scope, time and credentials: never a panic;
    /// errors never echo the secret; a signed result is deterministic and well-formed.
    #[test]
    fn signing_never_panics_on_arbitrary_requests(
        method in prop_oneof!["[A-Z]{1,7}", any::<String>()],
        url in any_url(),
        headers in vec(any_header(), 0..5),
        body in vec(any::<u8>(), 0..64),
        time in prop_oneof![any::<i64>(), 0i64..4_102_444_800],
        region in prop_oneof!["[a-z]{2}-[a-z]{2,8}-[1-9]", any::<String>()],
        service in prop_oneof!["[a-z]{2,10}", any::<String>()],
        akid in prop_oneof!["[A-Z0-9]{16,20}", any::<String>()],
        secret in SECRET_RE,
        token in prop::option::of(prop_oneof!["[A-Za-z0-9/+=]{0,60}", any::<String>()]),
        flags in any::<(bool, bool, bool)>(),
    ) {
        let req = Request { method: &method, url: &url, headers: &headers, body: &body };
        let creds = Credentials { access_key_id: akid, secret_access_key: secret.clone(), session_token: token };
        let params = SigningParams {
            region: &region,
            service: &service,
            time,
            apply_checksum: flags.0,
            uri_escape_path: flags.1,
            normalize_path: flags.2,
            signed_headers: None,
        };
        let first = sign(&req, &creds, &params, &mut SigningKeyCache::new());
        let again = sign(&req, &creds, &params, &mut SigningKeyCache::new());
        prop_assert_eq!(&first, &again);
        match first {
            Ok(s) => {
                prop_assert_eq!(s.signature.len(), 64);
                prop_assert!(!s.canonical_request.contains(&secret));
                for (_, v) in &s.headers {
                    prop_assert!(!v.contains(['\r', '\n', '\0']));
                }
            }
            Err(e) => {
                prop_assert!(!e.to_string().contains(&secret));
                let debug = format!("{e:?}");
                prop_assert!(!debug.contains(&secret));
            }
        }
    }
}

/// How many cases of `fixed_signer_matches_the_general_signer` signed (checked below).
static SIGNED_OK: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Most cases of the fixed-signer property must sign, or it compares only errors.
#[test]
fn fixed_signer_property_mostly_signs() {
    fixed_signer_matches_the_general_signer();
    let ok = SIGNED_OK.load(std::sync::atomic::Ordering::Relaxed);
    assert!(ok >= 200, "only {ok} signed cases");
}

proptest! {
    #![proptest_config(config(1024))]

    /// The client's fixed-shape signer gives the general signer's result, header for header,
    /// and the same error (the first one in the same order) on any URL, scope, time,
    /// credentials and `amz-sdk-request` value; with a warm or a cold cache.
    #[test]
    fn fixed_signer_matches_the_general_signer(
        url in prop_oneof![
            4 => "https?://[a-zA-Z0-9.-]{1,12}(:[0-9]{1,5})?(/[a-zA-Z0-9.%~ _-]{0,6}){0,3}(\\?[a-z=&%]{0,10})?(#[a-z]{0,4})?",
            1 => any_url(),
        ],
        body in vec(any::<u8>(), 0..80),
        time in prop_oneof![4 => 0i64..4_102_444_800, 1 => any::<i64>()],
        region in prop_oneof![6 => "[a-z]{2}-[a-z]{2,8}-[1-9]", 1 => any::<String>(), 1 => Just(String::new())],
        service in prop_oneof![6 => Just("connect".to_string()), 1 => any::<String>(), 1 => Just(String::new())],
        akid in prop_oneof![6 => "[A-Z0-9]{16,20}", 1 => any::<String>(), 1 => Just(String::new())],
        secret in prop_oneof![6 => SECRET_RE, 1 => Just(String::new())],
        token in prop::option::of(prop_oneof!["[A-Za-z0-9/+=]{0,60}", "[ \t]{0,2}[A-Za-z \t]{0,12}", any::<String>()]),
        sdk_request in prop::option::of(prop_oneof![4 => "attempt=[0-9]{1,3}; max=[0-9]{1,3}", 1 => "[\t -~]{0,20}", 1 => any::<String>()]),
    ) {
        let mut headers = vec![("content-type".to_string(), "application/json".to_string())];
        if let Some(v) = &sdk_request {
            headers.push(("amz-sdk-request".to_string(), v.clone()));
        }
        let req = Request { method: "POST", url: &url, headers: &headers, body: &body };
        let creds = Credentials { access_key_id: akid, secret_access_key: secret, session_token: token };
        let params = SigningParams {
            region: &region,
            service: &service,
            time,
            apply_checksum: false,
            uri_escape_path: true,
            normalize_path: true,
            signed_headers: None,
        };
        let hash = sha256_hex(&body);
        let general = sign_with_payload_hash(&req, &creds, &params, &mut SigningKeyCache::new(), Some(hash.clone()));
        let signer = FixedSigner::new(&url, &region, &service);
        let mut cache = SigningKeyCache::new();
        for _ in 0..2 {
            let fixed = signer.sign(&creds, time, sdk_request.as_deref(), &hash, &mut cache);
            match (&general, fixed) {
                (Ok(g), Ok(f)) => {
                    SIGNED_OK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let get = |name: &str| g.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
                    prop_assert_eq!(get("x-amz-date"), Some(f.amz_date));
                    prop_assert_eq!(get("authorization"), Some(f.authorization));
                    prop_assert_eq!(signer.url(), g.url.as_str());
                }
                (Err(g), Err(f)) => prop_assert_eq!(g, &f),
                (g, f) => prop_assert!(false, "general {:?} but fixed {:?}", g, f),
            }
        }
    }
}

/// The `SignedHeaders=` value of a signed request's authorization header.
fn signed_headers_of(s: &Signed) -> String {
    let auth = s
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default();
    auth.split_once("SignedHeaders=")
        .and_then(|(_, rest)| rest.split_once(','))
        .map(|(list, _)| list.to_string())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(config(512))]

    /// Signing with `signed_headers` set to the names the default signs gives the default
    /// result (given in any order and case, with repeats).
    #[test]
    fn signed_headers_list_of_the_default_set_gives_the_default_result(
        c in sign_case(),
        picks in vec(any::<Index>(), 0..4),
        upper in any::<bool>(),
    ) {
        let default = c.sign();
        let list = signed_headers_of(&default);
        let mut names: Vec<String> = list.split(';').rev().map(str::to_string).collect();
        for i in picks {
            let again = names[i.index(names.len())].clone();
            names.push(again);
        }
        if upper {
            names.iter_mut().for_each(|n| *n = n.to_ascii_uppercase());
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let url = c.url();
        let headers = c.all_headers();
        let req = Request { method: &c.method, url: &url, headers: &headers, body: &c.body };
        let creds = Credentials {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret.clone(),
            session_token: c.token.clone(),
        };
        let mut params = SigningParams::new(&c.region, &c.service, c.time);
        params.apply_checksum = c.apply_checksum;
        params.signed_headers = Some(&names);
        let listed = sign(&req, &creds, &params, &mut SigningKeyCache::new()).expect("signable");
        prop_assert_eq!(listed, default);
    }

    /// Any list of names: the request signs exactly those present (lower-cased, sorted, once),
    /// or fails naming one that is absent; never a panic.
    #[test]
    fn signed_headers_list_signs_exactly_the_listed_names(
        c in sign_case(),
        names in vec(prop_oneof![
            select(vec!["host", "x-amz-date", "user-agent", "X-P0-Test", "x-p1-test", "content-type", "cache-control", ""]).prop_map(str::to_string),
            "[!-~]{0,8}",
            any::<String>(),
        ], 0..6),
    ) {
        let url = c.url();
        let headers = c.all_headers();
        let req = Request { method: &c.method, url: &url, headers: &headers, body: &c.body };
        let creds = Credentials {
            access_key_id: c.access_key_id.clone(),
            secret_access_key: c.secret.clone(),
            session_token: c.token.clone(),
        };
        let list: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut params = SigningParams::new(&c.region, &c.service, c.time);
        params.apply_checksum = c.apply_checksum;
        params.signed_headers = Some(&list);
        let signed = sign(&req, &creds, &params, &mut SigningKeyCache::new());
        let mut want: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
        want.sort();
        want.dedup();
        let present = |n: &str| c.sign().headers.iter().any(|(h, _)| h == n && h != "authorization");
        match signed {
            Ok(s) => {
                prop_assert!(want.iter().all(|n| present(n)));
                prop_assert_eq!(signed_headers_of(&s), want.join(";"));
            }
            Err(SigningError::MissingSignedHeader { name }) => {
                prop_assert!(names.contains(&name));
                prop_assert!(!present(&name.to_ascii_lowercase()));
            }
            Err(e) => prop_assert!(false, "unexpected error {:?}", e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Error bodies

fn any_body() -> BoxedStrategy<Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..2048),
        any_json().prop_map(|v| v.to_string().into_bytes()),
        (
            select(vec!["code", "Code", "__type", "x"]),
            any_text(),
            select(vec!["message", "Message", "errorMessage", "m"]),
            any_text()
        )
            .prop_map(|(ck, c, mk, m)| {
                serde_json::json!({ ck: c, mk: m, "Reason": {"A": 1} })
                    .to_string()
                    .into_bytes()
            }),
        (any::<u8>(), 60_000usize..70_000).prop_map(|(b, n)| vec![b; n]),
        // Multi-byte characters across the 1,024-byte cut, at every alignment.
        (
            0usize..4,
            select(vec!["é", "😀", "漢", "\u{80}"]),
            300usize..1100
        )
            .prop_map(|(pad, s, n)| format!("{}{}", "a".repeat(pad), s.repeat(n)).into_bytes()),
    ]
    .boxed()
}

fn error_headers() -> BoxedStrategy<Vec<(String, String)>> {
    vec(
        (
            prop_oneof![
                select(vec![
                    "x-amzn-ErrorType",
                    "X-AMZN-ERRORTYPE",
                    "x-amzn-errormessage",
                    "x-amzn-RequestId",
                    "x-amz-request-id",
                    "x-amz-id-2",
                    "x-amz-cf-id",
                ])
                .prop_map(str::to_string),
                any_text(),
            ],
            any_text(),
        ),
        0..4,
    )
    .boxed()
}

proptest! {
    #![proptest_config(config(512))]

    /// `parse_error` never panics; its code is sanitized and non-empty, its message non-empty,
    /// and its body excerpt is the lossy UTF-8 of a prefix of at most 1,024 body bytes (cut at
    /// most 3 bytes early so no character is split). Note: the excerpt *string* can be longer
    /// than 1,024 bytes, since each invalid byte becomes a 3-byte U+FFFD; it has at most 1,024
    /// characters. `client::parse_response` never panics either.
    #[test]
    fn parse_error_never_panics(status in any::<u16>(), headers in error_headers(), body in any_body()) {
        let e = parse_error(status, &headers, &body);
        prop_assert_eq!(e.status, status);
        prop_assert!(!e.code.is_empty() && e.code.trim() == e.code);
        prop_assert!(!e.code.contains([',', ':', '#']));
        prop_assert!(!e.message.trim().is_empty());
        let n = body.len().min(BODY_EXCERPT_BYTES);
        prop_assert!(
            (n.saturating_sub(3)..=n).any(|end| String::from_utf8_lossy(&body[..end]) == e.body_excerpt.as_str()),
            "excerpt is not a lossy prefix of the body"
        );
        prop_assert!(e.body_excerpt.chars().count() <= BODY_EXCERPT_BYTES);
        if std::str::from_utf8(&body).is_ok() {
            // Valid UTF-8 is cut before a split character, never replaced by U+FFFD.
            prop_assert!(body.starts_with(e.body_excerpt.as_bytes()));
            prop_assert!(e.body_excerpt.len() <= BODY_EXCERPT_BYTES);
            prop_assert!(e.body_excerpt.len() + 3 >= n);
        }
        let _ = e.to_string();
        let _ = client::parse_response(status, &headers, &body);
    }
}

// ---------------------------------------------------------------------------------------------
// Retry hints and back-off

mod retry_hints {
    use super::{any_text, config};
    use connect_chat_events::retry::{backoff_ms, parse_decimal, parse_http_date, retry_after_ms};
    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::{select, Index};

    const DAYS: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    /// 9999-12-31T23:59:59Z.
    const MAX_HTTP_DATE: i64 = 253_402_300_799;

    /// A unix time written in the three HTTP-date forms (RFC 850 only for 1970-2069, the years
    /// its two digits stand for). The calendar here is independent of the crate's: 1970-01-01
    /// was a Thursday, and the date comes from counting whole years and months.
    fn http_dates(t: i64) -> Vec<String> {
        let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
        let weekday = DAYS[days.rem_euclid(7) as usize];
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let (mut year, mut rest) = (1970, days);
        while rest >= if leap(year) { 366 } else { 365 } {
            rest -= if leap(year) { 366 } else { 365 };
            year += 1;
        }
        let lengths = [
            31,
            if leap(year) { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let mut month = 0;
        while rest >= lengths[month] {
            rest -= lengths[month];
            month += 1;
        }
        let (day, mon) = (rest + 1, MONTHS[month]);
        let clock = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
        let short = &weekday[..3];
        let mut out = vec![
            format!("{short}, {day:02} {mon} {year} {clock} GMT"),
            format!("{short} {mon} {day:>2} {clock} {year}"),
        ];
        if year < 2070 {
            out.push(format!(
                "{weekday}, {day:02}-{mon}-{:02} {clock} GMT",
                year % 100
            ));
        }
        out
    }

    fn mutated_date() -> BoxedStrategy<String> {
        (
            0..=MAX_HTTP_DATE,
            any::<Index>(),
            vec(
                (
                    any::<Index>(),
                    0..3u8,
                    select(
                        " ,:-+0123456789GMTSunMonNovFebday\t\u{e9}\u{a0}"
                            .chars()
                            .collect::<Vec<_>>(),
                    ),
                ),
                1..4,
            ),
        )
            .prop_map(|(t, form, edits)| {
                let forms = http_dates(t);
                let mut c: Vec<char> = forms[form.index(forms.len())].chars().collect();
                for (at, op, ch) in edits {
                    let i = at.index(c.len() + 1);
                    match op {
                        0 if i < c.len() => {
                            c.remove(i);
                        }
                        1 if i < c.len() => c[i] = ch,
                        _ => c.insert(i, ch),
                    }
                }
                c.into_iter().collect()
            })
            .boxed()
    }

    proptest! {
        #![proptest_config(config(2048))]

        /// Every time from 1970 to 9999, in every form, parses back to itself.
        #[test]
        fn http_dates_round_trip(t in prop_oneof![0..=MAX_HTTP_DATE, 0i64..4_102_444_800]) {
            for s in http_dates(t) {
                prop_assert_eq!(parse_http_date(&s), Some(t), "{}", s);
            }
        }

        /// Almost-right dates never panic; what is accepted is a real time that reads back
        /// the same from its IMF-fixdate form.
        #[test]
        fn parse_http_date_never_panics(s in prop_oneof![mutated_date(), any_text()]) {
            if let Some(t) = parse_http_date(&s) {
                prop_assert!((-62_167_219_200..=MAX_HTTP_DATE).contains(&t), "{} from {:?}", t, s);
                if t >= 0 {
                    prop_assert_eq!(parse_http_date(&http_dates(t)[0]), Some(t));
                }
            }
        }

        /// `parse_decimal` accepts what `str::parse::<f64>` accepts, restricted to finite numbers
        /// written with digits, signs, a point and an exponent, and its value is std's within a
        /// relative 1e-13 (or both are below 1e-300, a wait of 0 ms either way); see its docs for
        /// why it is not std's parser.
        #[test]
        fn parse_decimal_is_std_without_words(s in prop_oneof!["[-+.eE0-9]{0,12}", "[-+.eEinfatyINFATY0-9]{0,9}", any_text()]) {
            let words = s.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E'));
            let std = s.parse::<f64>().ok().filter(|v| v.is_finite() && !words && s.is_ascii());
            let ours = parse_decimal(&s);
            prop_assert_eq!(ours.is_some(), std.is_some(), "{:?}: ours {:?} std {:?}", s, ours, std);
            if let (Some(a), Some(b)) = (ours, std) {
                let close = (a - b).abs() <= b.abs() * 1e-13 || (a.abs() < 1e-300 && b.abs() < 1e-300);
                prop_assert!(close, "{:?}: ours {} std {}", s, a, b);
            }
        }

        /// Retry hints from any headers are absent or a finite wait of at least 0 ms.
        #[test]
        fn retry_after_is_never_negative_or_nan(
            headers in vec((
                prop_oneof![
                    select(vec!["x-amz-retry-after", "Retry-After", "RETRY-AFTER"]).prop_map(str::to_string),
                    any_text(),
                ],
                prop_oneof![mutated_date(), "[-+.eE0-9]{0,12}", any_text()],
            ), 0..3),
            now in prop_oneof![Just(1_700_000_000_000.0), any::<f64>()],
        ) {
            if let Some(ms) = retry_after_ms(&headers, now) {
                prop_assert!(ms >= 0.0 && !ms.is_nan(), "{}", ms);
            }
        }

        /// The back-off is a whole number of milliseconds within the full-jitter envelope
        /// `[0, min(base × 2^retries, cap)]`, for any randomness.
        #[test]
        fn backoff_stays_in_its_envelope(
            base in prop_oneof![Just(100.0), Just(500.0), 0.0f64..10_000.0],
            cap in prop_oneof![Just(20_000.0), 0.0f64..100_000.0],
            retries in prop_oneof![0u32..70, any::<u32>()],
            rand in prop_oneof![0.0f64..1.0, any::<f64>()],
        ) {
            let d = backoff_ms(base, cap, retries, rand);
            let envelope = (base * 2f64.powi(retries.min(64) as i32)).min(cap);
            prop_assert!(d >= 0.0 && d <= envelope && d.fract() == 0.0, "{} of {}", d, envelope);
            if (0.0..=1.0).contains(&rand) {
                prop_assert_eq!(d, (rand * envelope).floor());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoints

fn any_region() -> BoxedStrategy<Option<String>> {
    prop::option::of(prop_oneof![
        "[a-z]{2,4}(-[a-z]{1,6}){1,2}-[0-9]{1,2}",
        select(vec![
            "us-east-1",
            "cn-north-1",
            "us-gov-west-1",
            "us-iso-east-1",
            "eusc-de-east-1",
            "aws-global",
            "-us-east-1",
            "us_east_1",
            ""
        ])
        .prop_map(str::to_string),
        any_text(),
    ])
    .boxed()
}

fn any_endpoint() -> BoxedStrategy<Option<String>> {
    prop::option::of(prop_oneof![
        "(https?|HTTPS?)://[a-z0-9._-]{1,20}(:[0-9]{1,6})?(/[a-z/]{0,10})?",
        "https://\\[[0-9a-f:]{0,10}\\](:[0-9]{1,5})?/?",
        any_url(),
    ])
    .boxed()
}

proptest! {
    #![proptest_config(config(1024))]

    /// `resolve` never panics; an Ok URL is the custom endpoint exactly (an http(s) URL without
    /// whitespace), or `https://connect...` containing the region; the signing name is always
    /// `connect` and the signing region the configured one.
    #[test]
    fn resolve_never_panics(
        region in any_region(),
        endpoint in any_endpoint(),
        use_fips in any::<bool>(),
        use_dualstack in any::<bool>(),
        path in any_text(),
    ) {
        let cfg = EndpointConfig {
            region: region.as_deref(),
            use_fips,
            use_dualstack,
            endpoint: endpoint.as_deref(),
        };
        match resolve(&cfg) {
            Ok(r) => {
                prop_assert_eq!(r.signing_name, SIGNING_NAME);
                prop_assert_eq!(r.signing_region.as_str(), region.as_deref().unwrap_or(""));
                match &endpoint {
                    Some(e) => {
                        prop_assert_eq!(&r.url, e);
                        let lower = r.url.to_ascii_lowercase();
                        prop_assert!(lower.starts_with("https://") || lower.starts_with("http://"));
                    }
                    None => {
                        prop_assert!(r.url.starts_with("https://connect"), "{}", r.url);
                        let region = region.as_deref().unwrap_or("\u{0}");
                        prop_assert!(r.url.contains(region), "{} lacks {}", r.url, region);
                    }
                }
                prop_assert!(!r.url.bytes().any(|b| b.is_ascii_whitespace() || b.is_ascii_control()));
                let _ = r.url_for_path(&path);
            }
            Err(e) => {
                let _ = (e.to_string(), e.variant());
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Signing time

proptest! {
    #![proptest_config(config(4096))]

    /// `parse_signing_date` never panics on arbitrary or almost-right text; what it accepts is
    /// within years 0000-9999 and formats back to text it parses to the same time.
    #[test]
    fn parse_signing_date_never_panics(
        s in prop_oneof![
            any::<String>(),
            "[0-9TZz:+ .,-]{0,30}",
            (MIN_UNIX..=MAX_UNIX, vec((any::<Index>(), any_char()), 1..3)).prop_map(|(t, edits)| {
                let mut chars: Vec<char> = format_amz_date(t).chars().collect();
                for (i, c) in edits {
                    let n = i.index(chars.len());
                    chars[n] = c;
                }
                chars.into_iter().collect()
            }),
        ]
    ) {
        if let Ok(t) = parse_signing_date(&s) {
            prop_assert!((MIN_UNIX..=MAX_UNIX).contains(&t));
            prop_assert_eq!(parse_signing_date(&format_amz_date(t)), Ok(t));
        }
    }

    /// For every time in range: basic, extended, fractional and offset forms parse back to it.
    #[test]
    fn signing_dates_round_trip(t in prop_oneof![MIN_UNIX..=MAX_UNIX, 0i64..4_102_444_800], off_min in -1439i64..=1439) {
        let basic = format_amz_date(t);
        prop_assert_eq!(basic.len(), 16);
        prop_assert_eq!(parse_signing_date(&basic), Ok(t));
        let ext = format!(
            "{}-{}-{}T{}:{}:{}",
            &basic[0..4], &basic[4..6], &basic[6..8], &basic[9..11], &basic[11..13], &basic[13..15]
        );
        prop_assert_eq!(parse_signing_date(&format!("{ext}Z")), Ok(t));
        prop_assert_eq!(parse_signing_date(&format!("{ext}.999999999z")), Ok(t));
        // The same instant written in local time with an offset.
        let local = t + off_min * 60;
        if (MIN_UNIX..=MAX_UNIX).contains(&local) {
            let b = format_amz_date(local);
            let sign = if off_min < 0 { '-' } else { '+' };
            let a = off_min.abs();
            let text = format!(
                "{}-{}-{}T{}:{}:{}{sign}{:02}:{:02}",
                &b[0..4], &b[4..6], &b[6..8], &b[9..11], &b[11..13], &b[13..15], a / 60, a % 60
            );
            prop_assert_eq!(parse_signing_date(&text), Ok(t), "{}", text);
        }
    }

    /// `format_amz_date` never panics and always gives 16 characters (clamped to the range).
    #[test]
    fn format_amz_date_never_panics(t in any::<i64>()) {
        let s = format_amz_date(t);
        prop_assert_eq!(s.len(), 16);
        prop_assert_eq!(parse_signing_date(&s), Ok(t.clamp(MIN_UNIX, MAX_UNIX)));
    }
}

/// The attribute map of a typed input keeps its order through JSON (a `BTreeMap`), which the
/// agreement property above relies on.
#[test]
fn attribute_order_is_stable() {
    let mut attrs = BTreeMap::new();
    attrs.insert("b".to_string(), "1".to_string());
    attrs.insert("a".to_string(), "2".to_string());
    let input = SendChatIntegrationEventInput {
        source_id: "s".into(),
        destination_id: "d".into(),
        event: ChatEvent {
            event_type: ChatEventType::Disconnect,
            content_type: None,
            content: None,
        },
        subtype: None,
        new_session_details: Some(NewSessionDetails {
            attributes: Some(attrs),
            ..NewSessionDetails::default()
        }),
    };
    assert!(input
        .to_json()
        .contains(r#""Attributes":{"a":"2","b":"1"}"#));
}
