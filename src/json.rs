//! A small, strict JSON (RFC 8259) reader and writer: what the crate needs, nothing more.
//!
//! Why not serde_json: its generic machinery, number parsing tables and error formatting were
//! about a fifth of the browser wasm. This module keeps the behaviour callers can see:
//!
//! - the same accepted language as `serde_json::from_slice::<serde_json::Value>` (strict
//!   RFC 8259, UTF-8 only, no BOM, no trailing commas, lone UTF-16 surrogate escapes rejected,
//!   nesting limited to [`MAX_DEPTH`] levels as serde_json's recursion limit does, numbers that
//!   would overflow an `f64` rejected as "number out of range");
//! - objects as serde_json's default `Map` (a `BTreeMap`) holds them: keys sorted by bytes, a
//!   repeated key keeps its last value;
//! - serde_json's error texts (`<what> at line L column C`).
//!
//! Numbers are kept as their source text: the model has no numeric members, so a number is only
//! ever a wrong type (or an error code to echo), and no float parsing is needed.

use crate::text::push_uint;

/// Nesting limit: a document may nest arrays/objects at most `MAX_DEPTH - 1` levels deep, as
/// serde_json's recursion limit of 128 allows.
pub const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its (valid) source text, e.g. `-1.5e3`.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A JSON object: members sorted by key (bytewise), keys unique — as serde_json's `Map`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

impl Map {
    /// An empty object.
    pub fn new() -> Self {
        Map::default()
    }

    /// Builds an object from members in any order; a repeated key keeps its last value.
    pub fn from_entries(mut entries: Vec<(String, Value)>) -> Self {
        sort_dedup(&mut entries);
        Map { entries }
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// The value of member `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position(key)
            .ok()
            .and_then(|i| self.entries.get(i))
            .map(|(_, v)| v)
    }

    /// The value of member `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position(key)
            .ok()
            .and_then(|i| self.entries.get_mut(i))
            .map(|(_, v)| v)
    }

    /// The members, mutably, keys included: for taking an object apart (changing a key leaves
    /// the map unsorted, so only for a map that is dropped afterwards).
    pub(crate) fn entries_mut(&mut self) -> &mut [(String, Value)] {
        &mut self.entries
    }

    /// Removes and returns member `key`.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.position(key).ok().map(|i| self.entries.remove(i).1)
    }

    /// Sets member `key`, returning the value it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(i) => self
                .entries
                .get_mut(i)
                .map(|e| std::mem::replace(&mut e.1, value)),
            Err(i) => {
                self.entries.insert(i, (key, value));
                None
            }
        }
    }

    /// Members in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Map::from_entries(iter.into_iter().collect())
    }
}

/// Sorts members by key, keeping the last of repeated keys.
#[inline(never)]
fn sort_dedup(v: &mut Vec<(String, Value)>) {
    if v.windows(2).all(|w| w[0].0 < w[1].0) {
        return;
    }
    if v.len() <= 32 {
        // Stable insertion sort: equal keys keep their order.
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1].0 > v[j].0 {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
    } else {
        // Heap sort by (key, original position): no std sort (large generic code in the wasm),
        // O(n log n) for hostile inputs, and the position makes it stable. Members move by
        // pop/push only: tagged with their distance from the end, sorted into descending
        // order, then popped back in ascending order.
        let mut tagged: Vec<(String, usize, Value)> = Vec::with_capacity(v.len());
        while let Some((k, x)) = v.pop() {
            let from_end = tagged.len();
            tagged.push((k, from_end, x));
        }
        heap_sort(&mut tagged);
        while let Some((k, _, x)) = tagged.pop() {
            v.push((k, x));
        }
    }
    // Keep the last value of each run of equal keys.
    v.dedup_by(|later, earlier| {
        if later.0 == earlier.0 {
            std::mem::swap(&mut later.1, &mut earlier.1);
            true
        } else {
            false
        }
    });
}

fn heap_sort(v: &mut [(String, usize, Value)]) {
    // Descending by key, then by original position (ascending distance from the end).
    fn less(a: &(String, usize, Value), b: &(String, usize, Value)) -> bool {
        (b.0.as_str(), a.1) < (a.0.as_str(), b.1)
    }
    fn sift_down(v: &mut [(String, usize, Value)], mut node: usize) {
        loop {
            let mut child = 2 * node + 1;
            if child >= v.len() {
                break;
            }
            if child + 1 < v.len() && less(&v[child], &v[child + 1]) {
                child += 1;
            }
            if !less(&v[node], &v[child]) {
                break;
            }
            v.swap(node, child);
            node = child;
        }
    }
    for i in (0..v.len() / 2).rev() {
        sift_down(v, i);
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        if let Some(head) = v.get_mut(..end) {
            sift_down(head, 0);
        }
    }
}

impl Value {
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

    /// Compact JSON text, as serde_json writes a value (members in key order, strings escaped
    /// the same way); numbers are written as their source text. Does not recurse, so any depth
    /// of a value built in memory is fine.
    pub fn to_json(&self) -> String {
        enum Frame<'a> {
            Array(std::slice::Iter<'a, Value>),
            Object(std::slice::Iter<'a, (String, Value)>),
        }
        let mut out = Vec::new();
        // Each open container with whether it has written an item yet.
        let mut stack: Vec<(Frame<'_>, bool)> = Vec::new();
        let mut next = Some(self);
        loop {
            if let Some(v) = next.take() {
                match v {
                    Value::Null => out.extend_from_slice(b"null"),
                    Value::Bool(true) => out.extend_from_slice(b"true"),
                    Value::Bool(false) => out.extend_from_slice(b"false"),
                    Value::Number(n) => out.extend_from_slice(n.as_bytes()),
                    Value::String(s) => crate::model::json_str(&mut out, s),
                    Value::Array(a) => {
                        out.push(b'[');
                        stack.push((Frame::Array(a.iter()), false));
                    }
                    Value::Object(m) => {
                        out.push(b'{');
                        stack.push((Frame::Object(m.entries.iter()), false));
                    }
                }
            }
            let Some((frame, started)) = stack.last_mut() else {
                break;
            };
            let (key, item, close) = match frame {
                Frame::Array(it) => (None, it.next(), b']'),
                Frame::Object(it) => match it.next() {
                    Some((k, v)) => (Some(k), Some(v), b'}'),
                    None => (None, None, b'}'),
                },
            };
            let Some(v) = item else {
                out.push(close);
                stack.pop();
                continue;
            };
            if *started {
                out.push(b',');
            }
            *started = true;
            if let Some(k) = key {
                crate::model::json_str(&mut out, k);
                out.push(b':');
            }
            next = Some(v);
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

impl std::fmt::Display for Value {
    /// The compact JSON text ([`Value::to_json`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_json())
    }
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// What is wrong with a JSON text (serde_json's error kinds that a `Value` parse can raise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text ended inside a list.
    EofWhileParsingList,
    /// The text ended inside an object.
    EofWhileParsingObject,
    /// The text ended inside a string.
    EofWhileParsingString,
    /// The text ended where a value was expected.
    EofWhileParsingValue,
    /// An object member name is not followed by `:`.
    ExpectedColon,
    /// A list item is not followed by `,` or `]`.
    ExpectedListCommaOrEnd,
    /// An object member is not followed by `,` or `}`.
    ExpectedObjectCommaOrEnd,
    /// A misspelt `true`, `false` or `null`.
    ExpectedSomeIdent,
    /// Something that cannot start a value.
    ExpectedSomeValue,
    /// An unknown or malformed `\` escape.
    InvalidEscape,
    /// A malformed number.
    InvalidNumber,
    /// A number too large for an `f64`.
    NumberOutOfRange,
    /// A string is not UTF-8.
    InvalidUnicodeCodePoint,
    /// A raw control character (U+0000–U+001F) inside a string.
    ControlCharacterWhileParsingString,
    /// An object member name that is not a string.
    KeyMustBeAString,
    /// A lone UTF-16 surrogate escape (`\ud800`…`\udfff` without its pair).
    LoneLeadingSurrogateInHexEscape,
    /// A leading surrogate escape not followed by another `\u` escape.
    UnexpectedEndOfHexEscape,
    /// A `,` before `]` or `}`.
    TrailingComma,
    /// Non-whitespace after the value.
    TrailingCharacters,
    /// Nesting deeper than [`MAX_DEPTH`] allows.
    RecursionLimitExceeded,
}

impl ErrorKind {
    /// serde_json's text for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::EofWhileParsingList => "EOF while parsing a list",
            ErrorKind::EofWhileParsingObject => "EOF while parsing an object",
            ErrorKind::EofWhileParsingString => "EOF while parsing a string",
            ErrorKind::EofWhileParsingValue => "EOF while parsing a value",
            ErrorKind::ExpectedColon => "expected `:`",
            ErrorKind::ExpectedListCommaOrEnd => "expected `,` or `]`",
            ErrorKind::ExpectedObjectCommaOrEnd => "expected `,` or `}`",
            ErrorKind::ExpectedSomeIdent => "expected ident",
            ErrorKind::ExpectedSomeValue => "expected value",
            ErrorKind::InvalidEscape => "invalid escape",
            ErrorKind::InvalidNumber => "invalid number",
            ErrorKind::NumberOutOfRange => "number out of range",
            ErrorKind::InvalidUnicodeCodePoint => "invalid unicode code point",
            ErrorKind::ControlCharacterWhileParsingString => {
                "control character (\\u0000-\\u001F) found while parsing a string"
            }
            ErrorKind::KeyMustBeAString => "key must be a string",
            ErrorKind::LoneLeadingSurrogateInHexEscape => "lone leading surrogate in hex escape",
            ErrorKind::UnexpectedEndOfHexEscape => "unexpected end of hex escape",
            ErrorKind::TrailingComma => "trailing comma",
            ErrorKind::TrailingCharacters => "trailing characters",
            ErrorKind::RecursionLimitExceeded => "recursion limit exceeded",
        }
    }
}

/// A JSON syntax error and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What is wrong.
    pub kind: ErrorKind,
    /// 1-based line of the error.
    pub line: usize,
    /// Column of the error: bytes from the start of the line up to and including the offending
    /// byte (the text's length on the line for an unexpected end), as serde_json counts.
    pub column: usize,
}

impl Error {
    /// `<what> at line L column C`, as serde_json's `Display`.
    pub fn message(&self) -> String {
        let mut m = String::with_capacity(80);
        m.push_str(self.kind.as_str());
        m.push_str(" at line ");
        push_uint(&mut m, self.line as u64);
        m.push_str(" column ");
        push_uint(&mut m, self.column as u64);
        m
    }

    /// Whether the text has a lone UTF-16 surrogate escape (not representable in UTF-8).
    pub fn is_lone_surrogate(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::LoneLeadingSurrogateInHexEscape | ErrorKind::UnexpectedEndOfHexEscape
        )
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Error {}

// ---------------------------------------------------------------------------------------------
// Parsing.

/// Parses one JSON value from UTF-8 bytes (surrounding whitespace allowed, nothing else).
pub fn parse(text: &[u8]) -> Result<Value, Error> {
    let mut p = Parser {
        b: text,
        i: 0,
        depth: 0,
    };
    let v = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err_at(ErrorKind::TrailingCharacters, p.i + 1));
    }
    Ok(v)
}

/// [`parse`] for text.
pub fn parse_str(text: &str) -> Result<Value, Error> {
    parse(text.as_bytes())
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    /// An error whose column ends at byte index `end` (exclusive).
    fn err_at(&self, kind: ErrorKind, end: usize) -> Error {
        let end = end.min(self.b.len());
        let head = self.b.get(..end).unwrap_or_default();
        let line_start = head.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
        let line = 1 + head.iter().filter(|&&c| c == b'\n').count();
        Error {
            kind,
            line,
            column: end - line_start,
        }
    }

    /// An error at the current byte (consumed) or, at the end, at the end.
    fn err(&self, kind: ErrorKind) -> Error {
        self.err_at(kind, self.i + 1)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.ws();
        let Some(c) = self.peek() else {
            return Err(self.err(ErrorKind::EofWhileParsingValue));
        };
        match c {
            b'"' => {
                self.i += 1;
                self.string().map(Value::String)
            }
            b'{' => self.container(true),
            b'[' => self.container(false),
            b't' => self.ident(b"true", Value::Bool(true)),
            b'f' => self.ident(b"false", Value::Bool(false)),
            b'n' => self.ident(b"null", Value::Null),
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            _ => Err(self.err(ErrorKind::ExpectedSomeValue)),
        }
    }

    fn ident(&mut self, word: &[u8], v: Value) -> Result<Value, Error> {
        self.i += 1;
        for &want in word.get(1..).unwrap_or_default() {
            match self.peek() {
                None => return Err(self.err(ErrorKind::EofWhileParsingValue)),
                Some(c) if c == want => self.i += 1,
                Some(_) => return Err(self.err(ErrorKind::ExpectedSomeIdent)),
            }
        }
        Ok(v)
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.err(ErrorKind::RecursionLimitExceeded));
        }
        self.i += 1;
        Ok(())
    }

    /// An array (`obj` false) or object after its opening bracket: one loop for both, as their
    /// grammar and errors differ only in the member key.
    fn container(&mut self, obj: bool) -> Result<Value, Error> {
        self.enter()?;
        let (close, eof, expected) = if obj {
            (
                b'}',
                ErrorKind::EofWhileParsingObject,
                ErrorKind::ExpectedObjectCommaOrEnd,
            )
        } else {
            (
                b']',
                ErrorKind::EofWhileParsingList,
                ErrorKind::ExpectedListCommaOrEnd,
            )
        };
        let mut items: Vec<Value> = Vec::new();
        let mut entries: Vec<(String, Value)> = Vec::new();
        let mut first = true;
        self.ws();
        loop {
            // At an item, or the end of an empty container.
            match self.peek() {
                Some(c) if c == close => {
                    if first {
                        break;
                    }
                    return Err(self.err(ErrorKind::TrailingComma));
                }
                None if first => return Err(self.err(eof)),
                None => return Err(self.err(ErrorKind::EofWhileParsingValue)),
                Some(b'"') => {}
                Some(_) if obj => return Err(self.err(ErrorKind::KeyMustBeAString)),
                Some(_) => {}
            }
            first = false;
            if obj {
                self.i += 1;
                let key = self.string()?;
                self.ws();
                match self.peek() {
                    Some(b':') => self.i += 1,
                    Some(_) => return Err(self.err(ErrorKind::ExpectedColon)),
                    None => return Err(self.err(eof)),
                }
                let v = self.value()?;
                entries.push((key, v));
            } else {
                items.push(self.value()?);
            }
            self.ws();
            match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(c) if c == close => break,
                Some(_) => return Err(self.err(expected)),
                None => return Err(self.err(eof)),
            }
        }
        self.i += 1;
        self.depth -= 1;
        Ok(if obj {
            sort_dedup(&mut entries);
            Value::Object(Map { entries })
        } else {
            Value::Array(items)
        })
    }

    /// The rest of a string whose opening `"` was consumed.
    fn string(&mut self) -> Result<String, Error> {
        let start = self.i;
        // Decoded text so far, once there is an escape (each decodes to at least one byte, so
        // empty means none yet); runs of plain bytes are copied whole.
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let j = plain_run(self.b, self.i);
            let run = self.b.get(self.i..j).unwrap_or_default();
            match self.b.get(j) {
                Some(b'"') => {
                    self.i = j + 1;
                    if buf.is_empty() {
                        // No escapes: one check, one copy.
                        return Ok(self.utf8(start, j)?.to_owned());
                    }
                    buf.extend_from_slice(run);
                    // Escapes decode to whole characters, so the decoded bytes are UTF-8 exactly
                    // when the raw text is; the raw text locates the bad byte.
                    return String::from_utf8(buf).map_err(|_| {
                        self.utf8(start, j)
                            .err()
                            .unwrap_or(self.err_at(ErrorKind::InvalidUnicodeCodePoint, j + 1))
                    });
                }
                Some(b'\\') => {
                    if buf.is_empty() {
                        buf.reserve(j - start + 16);
                    }
                    buf.extend_from_slice(run);
                    self.i = j + 1;
                    self.escape(&mut buf)?;
                }
                Some(_) => {
                    self.i = j;
                    return Err(self.err(ErrorKind::ControlCharacterWhileParsingString));
                }
                None => {
                    self.i = self.b.len();
                    return Err(self.err(ErrorKind::EofWhileParsingString));
                }
            }
        }
    }

    /// The bytes `from..to` as UTF-8, or an error at the first bad byte.
    fn utf8(&self, from: usize, to: usize) -> Result<&str, Error> {
        let bytes = self.b.get(from..to).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|e| {
            self.err_at(
                ErrorKind::InvalidUnicodeCodePoint,
                from + e.valid_up_to() + 1,
            )
        })
    }

    /// One escape after its `\`.
    fn escape(&mut self, buf: &mut Vec<u8>) -> Result<(), Error> {
        let Some(c) = self.peek() else {
            return Err(self.err(ErrorKind::EofWhileParsingString));
        };
        self.i += 1;
        let simple = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => 0,
            _ => return Err(self.err_at(ErrorKind::InvalidEscape, self.i)),
        };
        if c != b'u' {
            buf.push(simple);
            return Ok(());
        }
        let n = self.hex4()?;
        let code = if (0xDC00..=0xDFFF).contains(&n) {
            return Err(self.err_at(ErrorKind::LoneLeadingSurrogateInHexEscape, self.i));
        } else if (0xD800..=0xDBFF).contains(&n) {
            match self.peek() {
                Some(b'\\') => self.i += 1,
                Some(_) => {
                    self.i += 1;
                    return Err(self.err_at(ErrorKind::UnexpectedEndOfHexEscape, self.i));
                }
                None => return Err(self.err(ErrorKind::EofWhileParsingString)),
            }
            match self.peek() {
                Some(b'u') => self.i += 1,
                Some(_) => {
                    self.i += 1;
                    return Err(self.err_at(ErrorKind::UnexpectedEndOfHexEscape, self.i));
                }
                None => return Err(self.err(ErrorKind::EofWhileParsingString)),
            }
            let n2 = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&n2) {
                return Err(self.err_at(ErrorKind::LoneLeadingSurrogateInHexEscape, self.i));
            }
            0x1_0000 + (((n - 0xD800) << 10) | (n2 - 0xDC00))
        } else {
            n
        };
        let ch = char::from_u32(code).unwrap_or('\u{FFFD}');
        let mut tmp = [0u8; 4];
        buf.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
        Ok(())
    }

    /// Four hex digits; like serde_json, an error is placed after all four bytes.
    fn hex4(&mut self) -> Result<u32, Error> {
        let Some(quad) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.err(ErrorKind::EofWhileParsingString));
        };
        let mut n = 0u32;
        let mut ok = true;
        for &c in quad {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => {
                    ok = false;
                    0
                }
            };
            n = (n << 4) | u32::from(d);
        }
        self.i += 4;
        if !ok {
            return Err(self.err_at(ErrorKind::InvalidEscape, self.i));
        }
        Ok(n)
    }

    /// A number at `-` or a digit: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<String, Error> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.err(ErrorKind::InvalidNumber));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.err(ErrorKind::InvalidNumber)),
            None => return Err(self.err(ErrorKind::EofWhileParsingValue)),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.required_digits()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            self.required_digits()?;
        }
        let text = self.b.get(start..self.i).unwrap_or_default();
        if overflows_f64(text) {
            return Err(self.err_at(ErrorKind::NumberOutOfRange, self.i));
        }
        // ASCII only.
        Ok(std::str::from_utf8(text).unwrap_or_default().to_owned())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(self.err(ErrorKind::InvalidNumber)),
            None => Err(self.err(ErrorKind::EofWhileParsingValue)),
        }
    }
}

/// The index of the first `"`, `\\` or control byte at or after `from` (or the length).
pub(crate) fn plain_run(b: &[u8], from: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `v` is < 0x20, '"' or '\\' (no false negatives).
    const fn needs(v: u64) -> bool {
        let ctl = v.wrapping_sub(LO * 0x20) & !v;
        let q = v ^ (LO * 0x22);
        let q = q.wrapping_sub(LO) & !q;
        let s = v ^ (LO * 0x5c);
        let s = s.wrapping_sub(LO) & !s;
        (ctl | q | s) & HI != 0
    }
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        if needs(u64::from_le_bytes(w)) {
            break;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// The decimal parts of a valid JSON number: sign, significant digits (no leading or trailing
/// zeros; empty for zero) and the exponent `e` such that the value is `0.DIGITS × 10^e`.
fn decompose(text: &[u8]) -> (bool, Vec<u8>, i64) {
    let (neg, rest) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let mut digits = Vec::with_capacity(rest.len());
    // Digits before the point, leading zeros (which move the point; trailing ones do not), and
    // the exponent.
    let (mut int_len, mut lead, mut e) = (0i64, 0i64, 0i64);
    let (mut seen_point, mut in_exp, mut exp_neg) = (false, false, false);
    for &c in rest {
        if in_exp {
            match c {
                b'-' => exp_neg = true,
                b'0'..=b'9' => e = (e * 10 + i64::from(c - b'0')).min(1 << 40),
                _ => {}
            }
        } else if c == b'e' || c == b'E' {
            in_exp = true;
        } else if c == b'.' {
            seen_point = true;
        } else {
            if !seen_point {
                int_len += 1;
            }
            if digits.is_empty() && c == b'0' {
                lead += 1;
            } else {
                digits.push(c);
            }
        }
    }
    if exp_neg {
        e = -e;
    }
    while digits.last() == Some(&b'0') {
        digits.pop();
    }
    (neg, digits, int_len - lead + e)
}

/// Whether a valid JSON number's value rounds to infinity as an `f64` (serde_json's
/// "number out of range"): at or above `2^1024 - 2^970`, halfway between `f64::MAX` and `2^1024`.
fn overflows_f64(text: &[u8]) -> bool {
    // The cheap common case: few digits and no exponent.
    if text.len() < 300 && !text.iter().any(|&c| c == b'e' || c == b'E') {
        return false;
    }
    // 2^1024 - 2^970, exactly (309 digits).
    const LIMIT: &[u8] =
        b"17976931348623158079372897140530341507993413271003782693617377898044496829276475\
        09466490179775872070963302864166928879109465555478519404026306574886715058206819\
        08902000708383676273854845817711531764475730270069855571366959622842914819860834\
        936475292719074168444365510704342711559699508093042880177904174497792";
    let (_, digits, point) = decompose(text);
    if digits.is_empty() || point < 309 {
        return false;
    }
    if point > 309 {
        return true;
    }
    digits.as_slice() >= LIMIT
}

/// How serde_json shows a number (its `Display` of `Number`), from valid JSON number text:
/// integers that fit `u64`/`i64` as written; others are floats, shown as the shortest
/// round-trip form (serde_json's float writer): `1.5`, `100.0`, `1e+20`, `1e-7`, `-0.0`. Returns whether it is a float too.
/// Floats with more than 15 significant digits are shown as written (not shortened).
pub fn number_display(text: &str) -> (String, bool) {
    let b = text.as_bytes();
    if !b.iter().any(|&c| matches!(c, b'.' | b'e' | b'E')) {
        let (neg, digits) = match b.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, b),
        };
        let mut n: Option<u64> = Some(0);
        for &c in digits {
            n = n
                .and_then(|n| n.checked_mul(10))
                .and_then(|n| n.checked_add(u64::from(c - b'0')));
        }
        match (neg, n) {
            (false, Some(_)) => return (text.to_owned(), false),
            (true, Some(m)) if m != 0 && m <= 1 << 63 => return (text.to_owned(), false),
            _ => {}
        }
    }
    let (neg, digits, point) = decompose(b);
    let mut out = String::with_capacity(32);
    if neg {
        out.push('-');
    }
    if digits.is_empty() {
        out.push_str("0.0");
        return (out, true);
    }
    if digits.len() > 15 || !(-300..=308).contains(&point) {
        return (text.to_owned(), true);
    }
    // Digits are ASCII.
    let push =
        |out: &mut String, d: &[u8]| out.push_str(std::str::from_utf8(d).unwrap_or_default());
    let len = digits.len() as i64;
    let k = point - len; // value = DIGITS × 10^k
    if k >= 0 && point <= 16 {
        push(&mut out, &digits);
        for _ in 0..k {
            out.push('0');
        }
        out.push_str(".0");
    } else if point > 0 && point <= 16 {
        let (a, c) = digits.split_at(point as usize);
        push(&mut out, a);
        out.push('.');
        push(&mut out, c);
    } else if point > -5 && point <= 0 {
        out.push_str("0.");
        for _ in point..0 {
            out.push('0');
        }
        push(&mut out, &digits);
    } else {
        let (a, c) = digits.split_at(1);
        push(&mut out, a);
        if !c.is_empty() {
            out.push('.');
            push(&mut out, c);
        }
        out.push('e');
        if point > 0 {
            out.push('+');
        }
        crate::text::push_int(&mut out, point - 1);
    }
    (out, true)
}

/// How serde describes a JSON value in an "invalid type" error (`Unexpected`): `boolean `true``,
/// `integer `7``, `floating point `1.5``, `string "x"`, `sequence`, `map`, `null`.
pub fn unexpected(v: &Value) -> String {
    let mut s = String::new();
    push_unexpected(&mut s, v);
    s
}

/// Appends [`unexpected`]'s text.
pub(crate) fn push_unexpected(out: &mut String, v: &Value) {
    match v {
        Value::Bool(b) => {
            out.push_str("boolean `");
            out.push_str(if *b { "true" } else { "false" });
            out.push('`');
        }
        Value::Number(n) => {
            let (shown, float) = number_display(n);
            out.push_str(if float {
                "floating point `"
            } else {
                "integer `"
            });
            out.push_str(&shown);
            out.push('`');
        }
        Value::String(s) => {
            out.push_str("string ");
            crate::text::push_quoted(out, s);
        }
        Value::Array(_) => out.push_str("sequence"),
        Value::Object(_) => out.push_str("map"),
        Value::Null => out.push_str("null"),
    }
}
