//! The dynamic value that validation reads: a caller's input before it is known to have the
//! input's shape, filled by serde from JSON text (serde_json, [`Value::from_json`]) or from a JS
//! value (serde-wasm-bindgen, in the wasm layer).
//!
//! Why not `serde_json::Value`: a JS value can hold numbers JSON cannot (`NaN`, `±Infinity`,
//! which `serde_json::Value` would turn into `null`, i.e. "absent"), and serde-wasm-bindgen has
//! no nesting limit, so a cyclic or 100,000-deep JS value would overflow the stack. This value is
//! deserialized through a seed that counts nesting and stops at [`MAX_DEPTH`] with an error.
//!
//! Objects are a `BTreeMap`, as serde_json's default `Map`: keys sorted bytewise and unique (a
//! repeated key keeps its last value), so validation reports issues in a deterministic order.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{self, Serialize, SerializeMap, SerializeSeq, Serializer};

/// Nesting limit: a value may nest arrays/objects at most `MAX_DEPTH - 1` levels deep, the
/// limit serde_json's recursion limit of 128 gives JSON text.
pub const MAX_DEPTH: usize = 128;

/// A JSON-like value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null` (and, from JS, `undefined`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array (from JS, also the bytes of a typed array or `ArrayBuffer`, as numbers).
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// An object: members sorted by key (bytewise), keys unique.
pub type Map = BTreeMap<String, Value>;

/// A number as serde hands it over: integers exactly, everything else as an `f64`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer at or above zero.
    PosInt(u64),
    /// An integer below zero.
    NegInt(i64),
    /// Any other number; from JS also `NaN` and `±Infinity` (JSON text has none).
    Float(f64),
}

impl Number {
    /// Whether this is a float (not an integer), as serde_json's `Number::is_f64`.
    pub fn is_f64(&self) -> bool {
        matches!(self, Number::Float(_))
    }

    /// The number as JS holds it (integers beyond 2^53 rounded, as `JSON.parse` rounds them).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Number::PosInt(n) => n as f64,
            Number::NegInt(n) => n as f64,
            Number::Float(x) => x,
        }
    }
}

impl fmt::Display for Number {
    /// As serde_json shows numbers (`7`, `-2`, `1.5`, `1e21`); JS's non-finite numbers as JS
    /// names them (`NaN`, `Infinity`, `-Infinity`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::PosInt(n) => write!(f, "{n}"),
            Number::NegInt(n) => write!(f, "{n}"),
            Number::Float(x) => match serde_json::Number::from_f64(x) {
                Some(n) => write!(f, "{n}"),
                None if x.is_nan() => f.write_str("NaN"),
                None if x > 0.0 => f.write_str("Infinity"),
                None => f.write_str("-Infinity"),
            },
        }
    }
}

/// Why a JSON text could not be read as a [`Value`]: serde_json's error, kept whole.
#[derive(Debug)]
pub struct JsonError(serde_json::Error);

impl JsonError {
    /// `<what> at line L column C`, serde_json's text.
    pub fn message(&self) -> String {
        self.0.to_string()
    }

    /// 1-based line of the error.
    pub fn line(&self) -> usize {
        self.0.line()
    }

    /// Column of the error, as serde_json counts it.
    pub fn column(&self) -> usize {
        self.0.column()
    }

    /// Whether the text has a lone UTF-16 surrogate escape such as `"\ud800"`, which UTF-8
    /// cannot represent (serde_json has no public error kind for it, so its wording decides).
    pub fn is_lone_surrogate(&self) -> bool {
        let m = self.0.to_string();
        m.starts_with("lone leading surrogate in hex escape")
            || m.starts_with("unexpected end of hex escape")
    }

    /// serde_json's error.
    pub fn into_inner(self) -> serde_json::Error {
        self.0
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for JsonError {}

impl Value {
    /// Parses one JSON value from UTF-8 text, strictly (RFC 8259 as serde_json reads it: no
    /// trailing characters, no lone surrogate escapes, nesting below [`MAX_DEPTH`]).
    pub fn from_json(text: &[u8]) -> Result<Value, JsonError> {
        let mut de = serde_json::Deserializer::from_slice(text);
        let value = Value::deserialize(&mut de).map_err(JsonError)?;
        de.end().map_err(JsonError)?;
        Ok(value)
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The object, mutably, if this is one.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether this is an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// Member `key` of an object (`None` for other values).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|m| m.get(key))
    }

    /// The JSON type with an article (`a string`, `an object`, `null`), for "got …" in
    /// messages (never the value itself).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Deserializing, with the nesting limit.

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        Nested { depth: 0 }.deserialize(deserializer)
    }
}

/// Reads one value that sits inside `depth` arrays/objects.
#[derive(Clone, Copy)]
struct Nested {
    depth: usize,
}

impl Nested {
    /// The seed for the items of an array/object at this level, or an error past the limit.
    fn inner<E: de::Error>(self) -> Result<Nested, E> {
        let depth = self.depth + 1;
        if depth >= MAX_DEPTH {
            return Err(E::custom(format_args!(
                "recursion limit exceeded: values may nest at most {} arrays/objects deep",
                MAX_DEPTH - 1
            )));
        }
        Ok(Nested { depth })
    }
}

impl<'de> DeserializeSeed<'de> for Nested {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Nested {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(match u64::try_from(n) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(n),
        }))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(Number::PosInt(n)))
    }

    fn visit_i128<E: de::Error>(self, n: i128) -> Result<Value, E> {
        match (u64::try_from(n), i64::try_from(n)) {
            (Ok(n), _) => self.visit_u64(n),
            (_, Ok(n)) => self.visit_i64(n),
            _ => Err(E::custom(format_args!("integer {n} is out of range"))),
        }
    }

    fn visit_u128<E: de::Error>(self, n: u128) -> Result<Value, E> {
        match u64::try_from(n) {
            Ok(n) => self.visit_u64(n),
            Err(_) => Err(E::custom(format_args!("integer {n} is out of range"))),
        }
    }

    fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
        Ok(Value::Number(Number::Float(x)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Value, E> {
        self.inner::<E>()?;
        Ok(Value::Array(
            bytes
                .iter()
                .map(|&b| Value::Number(Number::PosInt(u64::from(b))))
                .collect(),
        ))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        // Not the size hint: a hostile source could claim any length.
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.inner()?;
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            // A repeated key keeps its last value, as serde_json's `Map` does.
            let value = map.next_value_seed(inner)?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

// ---------------------------------------------------------------------------------------------
// Serializing (e.g. `serde_json::to_string`), with the same nesting limit, so a value built in
// memory deeper than any parser allows gives an error instead of overflowing the stack.

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Limited {
            value: self,
            depth: 0,
        }
        .serialize(serializer)
    }
}

/// A value that sits inside `depth` arrays/objects.
struct Limited<'a> {
    value: &'a Value,
    depth: usize,
}

impl Serialize for Limited<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = |value| {
            let depth = self.depth + 1;
            if depth >= MAX_DEPTH {
                return Err(<S::Error as ser::Error>::custom(
                    "recursion limit exceeded while serializing a value",
                ));
            }
            Ok(Limited { value, depth })
        };
        match self.value {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(Number::PosInt(n)) => serializer.serialize_u64(*n),
            Value::Number(Number::NegInt(n)) => serializer.serialize_i64(*n),
            Value::Number(Number::Float(x)) => serializer.serialize_f64(*x),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&inner(item)?)?;
                }
                seq.end()
            }
            Value::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, &inner(v)?)?;
                }
                map.end()
            }
        }
    }
}
