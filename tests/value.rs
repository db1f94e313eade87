//! Tests of `connect_chat_events::value`: unit cases, the nesting limit for any deserializer,
//! and a differential property test against serde_json (what it accepts and rejects, the values,
//! key order and error texts).
#![cfg(not(target_arch = "wasm32"))] // proptest is a native-only dev-dependency

use connect_chat_events::value::{Map, Number, Value, MAX_DEPTH};
use proptest::prelude::*;
use serde::Deserialize;

/// Our value in serde_json's terms, for comparison.
fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(Number::PosInt(n)) => serde_json::Value::from(*n),
        Value::Number(Number::NegInt(n)) => serde_json::Value::from(*n),
        Value::Number(Number::Float(x)) => serde_json::Value::from(*x),
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(to_serde).collect()),
        Value::Object(m) => {
            serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect())
        }
    }
}

/// Parses with both; they must agree on acceptance, on the value, and on the error text.
fn agree(text: &[u8]) -> Result<(), String> {
    let ours = Value::from_json(text);
    let theirs = serde_json::from_slice::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => {
            if &to_serde(a) != b {
                return Err(format!("values differ: {a:?} vs {b:?}"));
            }
            // Keys in the same (sorted) order, so messages list members alike.
            if let (Value::Object(m), serde_json::Value::Object(n)) = (a, b) {
                let ka: Vec<&String> = m.keys().collect();
                let kb: Vec<&String> = n.keys().collect();
                if ka != kb {
                    return Err(format!("key order differs: {ka:?} vs {kb:?}"));
                }
            }
            // Written out, it is byte-for-byte what serde_json writes of its own value. (Reading
            // that back need not give the same floats: serde_json's default float parser is not
            // exact, for either value type.)
            let written = serde_json::to_string(a).map_err(|e| e.to_string())?;
            if written != serde_json::to_string(b).map_err(|e| e.to_string())? {
                return Err(format!("written differently: {written}"));
            }
            Ok(())
        }
        (Err(a), Err(b)) => {
            if a.message() != b.to_string() || a.line() != b.line() || a.column() != b.column() {
                return Err(format!("errors differ: {} vs {b}", a.message()));
            }
            Ok(())
        }
        _ => Err(format!(
            "acceptance differs on {:?}: ours {:?}, serde_json {:?}",
            String::from_utf8_lossy(text),
            ours.as_ref().map(|_| ()).map_err(|e| e.message()),
            theirs.as_ref().map(|_| ()).map_err(|e| e.to_string())
        )),
    }
}

fn parse(text: &str) -> Value {
    Value::from_json(text.as_bytes()).unwrap()
}

#[test]
fn parses_every_kind_of_value() {
    let v =
        parse(r#" {"b":[true,false,null,-0.5e+3,7,-2,"x\n\u00e9\ud83d\ude00"],"a":{},"c":[]} "#);
    let m = v.as_object().unwrap();
    assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
    assert_eq!(m.get("a"), Some(&Value::Object(Map::new())));
    assert_eq!(m.get("c"), Some(&Value::Array(vec![])));
    assert_eq!(
        m.get("b"),
        Some(&Value::Array(vec![
            Value::Bool(true),
            Value::Bool(false),
            Value::Null,
            Value::Number(Number::Float(-500.0)),
            Value::Number(Number::PosInt(7)),
            Value::Number(Number::NegInt(-2)),
            Value::String("x\né😀".into()),
        ]))
    );
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"a":{},"b":[true,false,null,-500.0,7,-2,"x\né😀"],"c":[]}"#
    );
    assert_eq!(v.get("a").map(Value::type_name), Some("an object"));
    assert_eq!(v.get("zz"), None);
    assert!(v.is_object() && !v.is_null());
}

#[test]
fn numbers_are_read_as_serde_json_reads_them() {
    for (text, want) in [
        ("0", Number::PosInt(0)),
        ("-0", Number::Float(-0.0)),
        ("18446744073709551615", Number::PosInt(u64::MAX)),
        ("-9223372036854775808", Number::NegInt(i64::MIN)),
        ("1.50", Number::Float(1.5)),
        ("1E5", Number::Float(1e5)),
        ("1e-7", Number::Float(1e-7)),
        ("-12.000e+02", Number::Float(-1200.0)),
        (
            "123456789012345678901234567890",
            Number::Float(1.2345678901234568e29),
        ),
    ] {
        let v = parse(text);
        let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(to_serde(&v), theirs, "{text}");
        assert_eq!(v, Value::Number(want), "{text}");
    }
}

#[test]
fn duplicate_keys_keep_the_last_value_in_key_order() {
    let v = parse(r#"{"b":1,"a":2,"b":3,"a":null,"c":4,"b":5}"#);
    assert_eq!(
        serde_json::to_string(&v).unwrap(),
        r#"{"a":null,"b":5,"c":4}"#
    );
    // Many keys, reversed, with repeats.
    let mut text = String::from("{");
    for i in (0..500).rev() {
        text.push_str(&format!("\"k{i:03}\":{i},\"k{:03}\":\"again{i}\",", i / 2));
    }
    text.push_str("\"z\":0}");
    agree(text.as_bytes()).unwrap();
    let v = parse(&text);
    let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(to_serde(&v), theirs);
    assert_eq!(v.as_object().unwrap().len(), 501);
}

#[test]
fn error_texts_and_positions_are_serde_jsons() {
    for (text, message) in [
        ("", "EOF while parsing a value at line 1 column 0"),
        ("{", "EOF while parsing an object at line 1 column 1"),
        ("[1", "EOF while parsing a list at line 1 column 2"),
        ("\"ab", "EOF while parsing a string at line 1 column 3"),
        ("x", "expected value at line 1 column 1"),
        ("{\"a\" 1}", "expected `:` at line 1 column 6"),
        ("[1 2]", "expected `,` or `]` at line 1 column 4"),
        ("{\"a\":1 \"b\"}", "expected `,` or `}` at line 1 column 8"),
        ("tru", "EOF while parsing a value at line 1 column 3"),
        ("trux", "expected ident at line 1 column 4"),
        ("\"\\x\"", "invalid escape at line 1 column 3"),
        ("01", "invalid number at line 1 column 2"),
        ("-", "EOF while parsing a value at line 1 column 1"),
        ("1e999", "number out of range at line 1 column 5"),
        (
            "\"\u{1}\"",
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 2",
        ),
        ("{1:2}", "key must be a string at line 1 column 2"),
        (
            "\"\\udc00\"",
            "lone leading surrogate in hex escape at line 1 column 7",
        ),
        (
            "\"\\ud800x\"",
            "unexpected end of hex escape at line 1 column 8",
        ),
        ("[1,]", "trailing comma at line 1 column 4"),
        ("{\"a\":1,}", "trailing comma at line 1 column 8"),
        ("{} {}", "trailing characters at line 1 column 4"),
        ("\n\n  [1,\n x]", "expected value at line 4 column 2"),
    ] {
        let e = Value::from_json(text.as_bytes()).unwrap_err();
        let theirs = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        assert_eq!(e.message(), message, "{text:?}");
        assert_eq!(theirs.to_string(), message, "serde_json on {text:?}");
        assert_eq!(e.to_string(), message);
    }
    // Invalid UTF-8 in a string, and outside one; a byte-order mark.
    for bad in [
        &b"\"\xff\""[..],
        b"\"a\xc3(\"",
        b"\"\xed\xa0\x80\"",
        b"\xef\xbb\xbf{}",
    ] {
        agree(bad).unwrap();
        assert!(Value::from_json(bad).is_err());
    }
}

#[test]
fn lone_surrogates_are_flagged() {
    for bad in [
        r#""\ud800""#,
        r#""\udc00""#,
        r#""\ud800\u0041""#,
        r#""\ud800x""#,
        r#""\udbff\ud800""#,
        r#""a\ud800\n""#,
    ] {
        let e = Value::from_json(bad.as_bytes()).unwrap_err();
        assert!(e.is_lone_surrogate(), "{bad}: {}", e.message());
        agree(bad.as_bytes()).unwrap();
    }
    assert!(!Value::from_json(b"\"\\x\"")
        .unwrap_err()
        .is_lone_surrogate());
    assert_eq!(parse(r#""\ud83d\ude00""#), Value::String("😀".into()));
}

#[test]
fn nesting_limit_is_serde_jsons_and_does_not_overflow() {
    for depth in [1usize, 126, 127, 128, 129, 1_000, 1_000_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let ours = Value::from_json(text.as_bytes());
            assert_eq!(ours.is_ok(), depth < MAX_DEPTH, "depth {depth}");
            if let Err(e) = ours {
                assert!(e
                    .message()
                    .starts_with("recursion limit exceeded at line 1"));
            }
            if depth <= 1_000 {
                agree(text.as_bytes()).unwrap();
            }
        }
    }
}

/// The limit is the value's own, not only serde_json's text parser's: a deserializer without
/// one (as serde-wasm-bindgen reading a deep or cyclic JS value) gets an error, not a stack
/// overflow. serde_json's in-memory `Value` is such a deserializer.
#[test]
fn nesting_limit_holds_for_any_deserializer() {
    for depth in [1usize, 127, 128, 10_000] {
        for array in [true, false] {
            let mut v = serde_json::Value::Null;
            for _ in 0..depth {
                v = if array {
                    serde_json::Value::Array(vec![v])
                } else {
                    serde_json::Value::Object([("a".to_owned(), v)].into_iter().collect())
                };
            }
            let ours = Value::deserialize(&v);
            assert_eq!(ours.is_ok(), depth < MAX_DEPTH, "depth {depth}");
            if let Err(e) = ours {
                assert!(e.to_string().starts_with("recursion limit exceeded"), "{e}");
            } else {
                assert_eq!(to_serde(&ours.unwrap()), v);
            }
            // Dismantle iteratively: a recursive drop of 10,000 levels could overflow the stack.
            loop {
                v = match v {
                    serde_json::Value::Array(mut a) => a.pop().unwrap_or_default(),
                    serde_json::Value::Object(mut m) => m.remove("a").unwrap_or_default(),
                    _ => break,
                };
            }
        }
    }
}

#[test]
fn numbers_near_the_f64_limit() {
    for text in [
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "1e308",
        "1e309",
        "0.1e310",
        "100e307",
        "1e-400",
        "0e999999",
        "-0.0e400",
        "1e99999999999999999999",
    ] {
        agree(text.as_bytes()).unwrap();
    }
}

#[test]
fn number_display_is_serde_jsons() {
    for text in [
        "0",
        "-0",
        "7",
        "-2",
        "1.5",
        "-1.5",
        "1.50",
        "100",
        "1e2",
        "1E2",
        "1.0",
        "0.5",
        "0.001",
        "0.0001",
        "0.00001",
        "1e-7",
        "1.25e-7",
        "123456.789",
        "1e15",
        "1e16",
        "1e17",
        "1.5e16",
        "1e-6",
        "1.5e-6",
        "0.000001234",
        "1e-5",
        "0.1e17",
        "1e20",
        "12345678901234567890",
        "-9223372036854775808",
        "18446744073709551615",
        "4.5e-300",
        "0.000",
        "-0e5",
        "9007199254740993",
        "-9223372036854775809",
        "18446744073709551616",
    ] {
        let n: serde_json::Number = serde_json::from_str(text).unwrap();
        let Value::Number(ours) = parse(text) else {
            panic!("{text} is a number");
        };
        assert_eq!(ours.to_string(), n.to_string(), "{text}");
        assert_eq!(ours.is_f64(), n.is_f64(), "{text}");
    }
    // What JS numbers JSON cannot hold look as JS shows them.
    assert_eq!(Number::Float(f64::NAN).to_string(), "NaN");
    assert_eq!(Number::Float(f64::INFINITY).to_string(), "Infinity");
    assert_eq!(Number::Float(f64::NEG_INFINITY).to_string(), "-Infinity");
}

// ---------------------------------------------------------------------------------------------
// Differential property tests.

/// JSON text built from pieces that stress the parser: odd numbers, escapes, whitespace,
/// non-ASCII, repeated keys.
fn json_text() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
        "-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?",
    ];
    let string = prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "(\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4}|[^\"\\\\\\x00-\\x1f]|é|😀){0,8}",
        "(\\\\u[dD][89abAB][0-9a-f]{2}\\\\u[dD][c-fC-F][0-9a-f]{2}){0,2}",
    ]
    .prop_map(|s| format!("\"{s}\""));
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        number,
        string.clone(),
    ];
    let ws = "[ \t\n\r]{0,2}";
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            (prop::collection::vec((inner.clone(), ws), 0..6)).prop_map(|items| {
                let items: Vec<String> = items
                    .into_iter()
                    .map(|(v, w)| format!("{w}{v}{w}"))
                    .collect();
                format!("[{}]", items.join(","))
            }),
            (prop::collection::vec(
                (
                    prop::sample::select(vec!["a", "b", "A", "ab", "", "é", "a\\u0062"]),
                    inner
                ),
                0..6
            ))
            .prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\" : {v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

/// A byte edit: delete, insert or replace one byte with one that matters to JSON.
fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    const BYTES: &[u8] = b"{}[],:\"\\0123456789-+.eEtfnulr \n\x01\x7f\xc3\xa9\xff";
    let mut b = text.as_bytes().to_vec();
    for &(at, op, byte) in edits {
        let at = if b.is_empty() { 0 } else { at % (b.len() + 1) };
        let c = BYTES[usize::from(byte) % BYTES.len()];
        match op % 3 {
            0 if at < b.len() => {
                b.remove(at);
            }
            1 if at < b.len() => b[at] = c,
            _ => b.insert(at, c),
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Generated JSON: both accept, same value (and key order), and the output reads back.
    #[test]
    fn generated_json_agrees_with_serde_json(text in json_text()) {
        prop_assert!(Value::from_json(text.as_bytes()).is_ok() || serde_json::from_str::<serde_json::Value>(&text).is_err(), "{}", text);
        agree(text.as_bytes()).map_err(TestCaseError::fail)?;
    }

    /// Mutated JSON: accept/reject agreement, equal values, and the same error kind and line.
    #[test]
    fn mutated_json_agrees_with_serde_json(
        text in json_text(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..4),
    ) {
        let bytes = mutate(&text, &edits);
        agree(&bytes).map_err(TestCaseError::fail)?;
    }

    /// Arbitrary bytes never panic and agree on acceptance.
    #[test]
    fn arbitrary_bytes_agree(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        agree(&bytes).map_err(TestCaseError::fail)?;
    }
}
