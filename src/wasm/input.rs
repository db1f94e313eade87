//! Reading caller values without ever letting a JS exception unwind through wasm: every read
//! goes through `Reflect` (which catches) or a small catching JS helper, and every rule about a
//! value's type is written once here (`describe` words the "got …" of every message).

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::model::SendChatIntegrationEventInput;
use crate::validate::{self, code, Issue, Options};
use crate::value::Value;

#[wasm_bindgen(inline_js = r#"
const isLone = (s) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
// String.prototype.isWellFormed where the runtime has it (not Node 18): the same answer, faster.
const wellFormed = typeof String.prototype.isWellFormed === 'function'
  ? (s) => s.isWellFormed() : (s) => !isLone(s);
function message(e) {
  let m;
  try { m = e !== null && (typeof e === 'object' || typeof e === 'function') ? e.message : m; } catch { /* hostile */ }
  return typeof m === 'string' ? m : '';
}
// Where the plain copy holds a string (or a member name) with a lone surrogate: member paths as
// the validator writes them (`Event.Content`, `List[2]`); a member name is marked with `key`.
function lonePaths(v, path, out, depth) {
  if (typeof v === 'string') {
    if (!wellFormed(v)) out.push({ path, key: false });
  } else if (depth < 128 && v !== null && typeof v === 'object') {
    if (Array.isArray(v)) {
      v.forEach((x, i) => lonePaths(x, `${path}[${i}]`, out, depth + 1));
    } else {
      for (const [k, x] of Object.entries(v)) {
        if (!wellFormed(k)) out.push({ path, key: true });
        lonePaths(x, path === '' ? k : `${path}.${k}`, out, depth + 1);
      }
    }
  }
  return out;
}
// Whether `v` has the internal slot that `valueOf` checks (a boxed primitive of that type);
// no getter or Proxy trap runs.
function branded(valueOf, v) {
  try { valueOf.call(v); return true; } catch { return false; }
}
// ECMA-262 SerializeJSONProperty step 4: a boxed number, string, boolean or BigInt is its primitive
// (ToNumber and ToString run the box's own valueOf/toString, as JSON.stringify does).
function unbox(v) {
  if (branded(Number.prototype.valueOf, v)) return Number(v);
  if (branded(String.prototype.valueOf, v)) return String(v);
  if (branded(Boolean.prototype.valueOf, v)) return Boolean.prototype.valueOf.call(v);
  if (typeof BigInt === 'function' && branded(BigInt.prototype.valueOf, v)) return BigInt.prototype.valueOf.call(v);
  return v;
}
// Deeper than the core reads (value::MAX_DEPTH, 128): the copy stops descending there, and the
// core's read reports the nesting.
const COPY_DEPTH = 130;
// The JSON value of `holder[key]` (already read: `v`) as JSON.stringify then JSON.parse would give
// it back, built directly (ECMA-262 SerializeJSONProperty, -Object and -Array): toJSON(key) is
// called; boxed primitives are unboxed; undefined, functions and Symbols are dropped (null in
// arrays); -0 becomes 0 and non-finite numbers null; BigInt and cycles throw TypeErrors; members
// are the own enumerable string keys in their order. Strings are shared, not copied. `st` counts
// the values at depths 0-4 and the arrays among them, and notes a lone surrogate.
function copy(key, v, depth, st) {
  if ((typeof v === 'object' && v !== null) || typeof v === 'function' || typeof v === 'bigint') {
    const toJSON = v.toJSON;
    if (typeof toJSON === 'function') v = toJSON.call(v, key);
  }
  if (typeof v === 'object' && v !== null) {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) v = unbox(v);
  }
  switch (typeof v) {
    case 'string':
      if (!wellFormed(v)) st.lone = true;
      break;
    case 'number':
      v = Number.isFinite(v) ? v + 0 : null;
      break;
    case 'boolean':
      break;
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object':
      if (v === null) break;
      return copyObject(v, depth, st);
    default:
      return undefined;
  }
  if (depth <= 4) st.values++;
  return v;
}
function copyObject(v, depth, st) {
  if (st.stack.includes(v)) throw new TypeError('Converting circular structure to JSON');
  const isArray = Array.isArray(v);
  if (depth <= 4) {
    st.values++;
    if (isArray) st.arrays++;
  }
  if (depth >= COPY_DEPTH) return isArray ? [] : {};
  st.stack.push(v);
  let out;
  if (isArray) {
    const n = Math.min(Math.max(Math.trunc(Number(v.length)) || 0, 0), Number.MAX_SAFE_INTEGER);
    out = [];
    for (let i = 0; i < n; i++) {
      const x = copy(String(i), v[i], depth + 1, st);
      if (x === undefined) {
        if (depth + 1 <= 4) st.values++;
        out.push(null);
      } else {
        out.push(x);
      }
    }
  } else {
    out = {};
    for (const k of Object.keys(v)) {
      const x = copy(k, v[k], depth + 1, st);
      if (x === undefined) continue;
      if (!wellFormed(k)) st.lone = true;
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
  }
  st.stack.pop();
  return out;
}
// A plain copy of the caller's value with JSON's semantics (above), made inside a catch, so a
// throwing getter or a revoked Proxy never unwinds through wasm; serde-wasm-bindgen then reads the
// copy. (It was JSON.parse(JSON.stringify(v)): the same value, but both passes over every string
// cost a 16 KiB Content ~90 µs on Node 20.) Lone surrogates are found here: a JS string becomes
// UTF-8 on its way into Rust, U+FFFD in their place. The counts let the typed read tell whether
// it saw all of the copy: the input type's values sit at depths 0-3, so anything else adds to them.
export function cce_plain(v) {
  const st = { values: 0, arrays: 0, lone: false, stack: [] };
  let value;
  try {
    value = copy('', v, 0, st);
  } catch (e) {
    return { error: message(e) };
  }
  if (value === undefined) return { none: true };
  const lone = st.lone ? lonePaths(value, '', [], 0) : [];
  return lone.length > 0 ? { lone } : { value, values: st.values, arrays: st.arrays };
}
"#)]
extern "C" {
    /// A plain copy of `v` (see the JS above): `{ value }`, `{ lone: [{ path, key }] }` when
    /// strings hold lone surrogates, `{ none: true }` when JSON has no text for `v`, `{ error }`
    /// (the message) when making the copy throws (as `JSON.stringify` would).
    fn cce_plain(v: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array_checked(v: &JsValue) -> Result<bool, JsValue>;
}

/// `Array.isArray(v)`; false when it throws.
pub(crate) fn is_array(v: &JsValue) -> bool {
    is_array_checked(v).unwrap_or(false)
}

/// What a value is, for "got …" in messages.
pub(crate) fn describe(v: &JsValue) -> &'static str {
    if v.is_null() {
        "null"
    } else if v.is_undefined() {
        "undefined"
    } else if v.is_string() {
        "a string"
    } else if is_array(v) {
        "an array"
    } else if v.is_function() {
        "a function"
    } else if v.is_object() {
        "an object"
    } else if v.as_f64().is_some() {
        "a number"
    } else if v.as_bool().is_some() {
        "a boolean"
    } else {
        "a value of another type"
    }
}

/// A number as JS writes it (`String(n)`), for messages that quote one.
pub(crate) fn js_num(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// Whether `v` is a non-null object (functions excluded), as the API's "must be an object" means.
pub(crate) fn is_obj(v: &JsValue) -> bool {
    v.is_object()
}

/// `o[k]`: `Ok(undefined)` for a non-object, `Err` with what a getter or Proxy trap threw.
pub(crate) fn get(o: &JsValue, k: &'static str) -> Result<JsValue, JsValue> {
    if o.is_object() || o.is_function() {
        Reflect::get(o, &super::names::name(k))
    } else {
        Ok(JsValue::UNDEFINED)
    }
}

/// `o[i]` of an array-like.
pub(crate) fn get_index(o: &JsValue, i: u32) -> Result<JsValue, JsValue> {
    if o.is_object() || o.is_function() {
        Reflect::get_u32(o, i)
    } else {
        Ok(JsValue::UNDEFINED)
    }
}

/// `o[k]`, `undefined` when reading it throws.
pub(crate) fn peek(o: &JsValue, k: &'static str) -> JsValue {
    get(o, k).unwrap_or(JsValue::UNDEFINED)
}

/// A string member of `o`, if it is one.
pub(crate) fn peek_string(o: &JsValue, k: &'static str) -> Option<String> {
    peek(o, k).as_string()
}

/// A bad argument: the error's name, the field and the message.
#[derive(Debug)]
pub(crate) struct ArgError {
    pub(crate) name: &'static str,
    pub(crate) field: String,
    pub(crate) message: String,
}

pub(crate) fn arg_err(name: &'static str, field: &str, message: String) -> ArgError {
    ArgError {
        name,
        field: field.to_string(),
        message,
    }
}

/// Reads the members of one configuration object, naming errors `name`.
pub(crate) struct Reader<'a> {
    pub(crate) obj: &'a JsValue,
    pub(crate) name: &'static str,
}

impl Reader<'_> {
    /// An optional member: `None` when absent (`undefined`/`null`).
    pub(crate) fn member(&self, k: &'static str, path: &str) -> Result<Option<JsValue>, ArgError> {
        let v = get(self.obj, k).map_err(|_| {
            arg_err(
                self.name,
                path,
                format!("{path} could not be read (its getter threw)"),
            )
        })?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    /// Like [`Reader::member`], with the shorter "could not be read" message.
    pub(crate) fn raw(&self, k: &'static str, path: &str) -> Result<Option<JsValue>, ArgError> {
        let v = get(self.obj, k)
            .map_err(|_| arg_err(self.name, path, format!("{path} could not be read")))?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    pub(crate) fn opt_string(
        &self,
        k: &'static str,
        path: &str,
    ) -> Result<Option<String>, ArgError> {
        match self.member(k, path)? {
            None => Ok(None),
            Some(v) => v.as_string().map(Some).ok_or_else(|| {
                arg_err(
                    self.name,
                    path,
                    format!("{path} must be a string; got {}", describe(&v)),
                )
            }),
        }
    }

    pub(crate) fn req_string(&self, k: &'static str, path: &str) -> Result<String, ArgError> {
        match self.opt_string(k, path)? {
            None => Err(arg_err(self.name, path, format!("{path} is required"))),
            Some(s) if s.is_empty() => Err(arg_err(
                self.name,
                path,
                format!("{path} must not be empty"),
            )),
            Some(s) => Ok(s),
        }
    }

    pub(crate) fn opt_bool(
        &self,
        k: &'static str,
        path: &str,
        dflt: bool,
    ) -> Result<bool, ArgError> {
        match self.member(k, path)? {
            None => Ok(dflt),
            Some(v) => v.as_bool().ok_or_else(|| {
                arg_err(
                    self.name,
                    path,
                    format!("{path} must be a boolean; got {}", describe(&v)),
                )
            }),
        }
    }

    pub(crate) fn opt_number(&self, k: &'static str, path: &str) -> Result<Option<f64>, ArgError> {
        match self.member(k, path)? {
            None => Ok(None),
            Some(v) => match v.as_f64() {
                Some(n) if n.is_finite() => Ok(Some(n)),
                _ => Err(arg_err(
                    self.name,
                    path,
                    format!("{path} must be a finite number; got {}", describe(&v)),
                )),
            },
        }
    }

    pub(crate) fn opt_function(
        &self,
        k: &'static str,
        path: &str,
    ) -> Result<Option<Function>, ArgError> {
        match self.raw(k, path)? {
            None => Ok(None),
            Some(v) => v.dyn_into::<Function>().map(Some).map_err(|v| {
                arg_err(
                    self.name,
                    path,
                    format!("{path} must be a function; got {}", describe(&v)),
                )
            }),
        }
    }
}

/// A credentials object `{ accessKeyId, secretAccessKey, sessionToken? }` at `path`.
pub(crate) fn credentials(
    v: &JsValue,
    name: &'static str,
    path: &str,
) -> Result<crate::sigv4::Credentials, ArgError> {
    if !is_obj(v) {
        return Err(arg_err(
            name,
            path,
            format!(
                "{path} must be an object {{ accessKeyId, secretAccessKey, sessionToken? }}; got {}",
                describe(v)
            ),
        ));
    }
    let r = Reader { obj: v, name };
    let part = |k: &'static str| -> Result<Option<String>, ArgError> {
        let p = format!("{path}.{k}");
        let v = r
            .member(k, &p)?
            .map(|v| v.as_string().ok_or_else(|| describe(&v).to_string()));
        crate::client::credential_part(path, k, v).map_err(|(field, message)| ArgError {
            name,
            field,
            message,
        })
    };
    let access_key_id = part("accessKeyId")?.unwrap_or_default();
    let secret_access_key = part("secretAccessKey")?.unwrap_or_default();
    let session_token = part("sessionToken")?;
    Ok(crate::sigv4::Credentials {
        access_key_id,
        secret_access_key,
        session_token,
    })
}

/// The endpoint configuration `{ region?, endpoint?, useFipsEndpoint?, useDualstackEndpoint? }`.
pub(crate) struct EndpointValues {
    pub(crate) region: Option<String>,
    pub(crate) endpoint: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dualstack: bool,
}

pub(crate) fn endpoint_config(
    config: &JsValue,
    name: &'static str,
) -> Result<EndpointValues, ArgError> {
    if !is_obj(config) {
        return Err(arg_err(
            name,
            "config",
            format!(
                "the configuration must be an object {{ region, ... }}; got {}",
                describe(config)
            ),
        ));
    }
    let r = Reader { obj: config, name };
    let ev = get(config, "endpoint")
        .map_err(|_| arg_err(name, "endpoint", "endpoint could not be read".to_string()))?;
    let endpoint = if let Some(s) = ev.as_string() {
        Some(s)
    } else if ev.is_undefined() || ev.is_null() {
        None
    } else {
        // A WHATWG URL object.
        Some(peek_string(&ev, "href").ok_or_else(|| {
            arg_err(
                name,
                "endpoint",
                format!("endpoint must be a URL string; got {}", describe(&ev)),
            )
        })?)
    };
    Ok(EndpointValues {
        region: r.opt_string("region", "region")?,
        endpoint,
        use_fips: r.opt_bool("useFipsEndpoint", "useFipsEndpoint", false)?,
        use_dualstack: r.opt_bool("useDualstackEndpoint", "useDualstackEndpoint", false)?,
    })
}

/// The caller's input, validated, from a plain copy made with `JSON.stringify`'s semantics that
/// serde-wasm-bindgen reads: typed when that read accounts for the whole copy and the input is
/// valid (the common case: one property read per member, no probing of each value's type),
/// else as the core's dynamic value, which reports every issue with the caller's member names.
pub(crate) fn input(
    input: &JsValue,
    opts: &Options,
) -> Result<SendChatIntegrationEventInput, Vec<Issue>> {
    let copy = cce_plain(input);
    match typed(&copy) {
        Some(typed) if validate::validate(&typed, opts).is_empty() => Ok(typed),
        _ => validate::parse_input(&input_value(&copy, input)?, opts),
    }
}

/// The copy as the typed input, when that holds every value of the copy: no member the input
/// type lacks, no `null`, no array where an object belongs (serde-wasm-bindgen reads an array's
/// missing properties as absent members, and an array of pairs as a map). Then the typed input
/// is exactly what the dynamic read would build from the copy, so it is valid exactly when
/// [`validate::validate`] finds nothing.
fn typed(copy: &JsValue) -> Option<SendChatIntegrationEventInput> {
    let value = peek(copy, "value");
    // serde-wasm-bindgen reads an array where a map belongs as `[key, value]` pairs, and one
    // that holds anything else throws in JS: such an `Attributes` goes to the dynamic read.
    if value.is_undefined() || is_array(&peek(&peek(&value, "NewSessionDetails"), "Attributes")) {
        return None;
    }
    let typed: SendChatIntegrationEventInput = serde_wasm_bindgen::from_value(value).ok()?;
    let (values, arrays) = counts(&typed);
    let counted = |k: &'static str, n: usize| peek(copy, k).as_f64() == Some(n as f64);
    (counted("values", values) && counted("arrays", arrays)).then_some(typed)
}

/// The values a JSON form of `i` holds (`i` itself, every member and list item, as `cce_plain`
/// counts them; all within depth 3) and how many of them are arrays.
fn counts(i: &SendChatIntegrationEventInput) -> (usize, usize) {
    let present = |o: bool| usize::from(o);
    let e = &i.event;
    // The input, SourceId, DestinationId, Event and Event.Type are always there.
    let mut values = 5
        + present(e.content_type.is_some())
        + present(e.content.is_some())
        + present(i.subtype.is_some());
    let mut arrays = 0;
    if let Some(n) = &i.new_session_details {
        values += 1;
        if let Some(list) = &n.supported_messaging_content_types {
            values += 1 + list.len();
            arrays += 1;
        }
        if let Some(a) = &n.attributes {
            values += 1 + a.len();
        }
        // An object with its one member.
        values += 2 * present(n.participant_details.is_some());
        values += 2 * present(n.streaming_configuration.is_some());
    }
    (values, arrays)
}

/// The copy as the core's dynamic value, or the issues saying why it cannot be read.
fn input_value(r: &JsValue, input: &JsValue) -> Result<Value, Vec<Issue>> {
    if let Some(m) = peek(r, "error").as_string() {
        let mut why: String = m.chars().take(120).collect();
        if why.is_empty() {
            why.push_str("JSON.stringify threw");
        }
        return Err(vec![Issue {
            path: String::new(),
            code: code::JSON,
            message: format!("the input could not be read as JSON data ({why})"),
        }]);
    }
    let lone = peek(r, "lone");
    if lone.is_object() {
        return Err(lone_issues(&lone));
    }
    if peek(r, "none").is_truthy() {
        return Err(vec![Issue {
            path: String::new(),
            code: code::TYPE,
            message: format!("the input must be an object; got {}", describe(input)),
        }]);
    }
    serde_wasm_bindgen::from_value(peek(r, "value")).map_err(|e| {
        // The error is a JS `Error`; its text starts with "Error: ".
        let text = e.to_string();
        let why = text.strip_prefix("Error: ").unwrap_or(&text);
        vec![Issue {
            path: String::new(),
            code: code::JSON,
            message: format!("the input could not be read as JSON data ({why})"),
        }]
    })
}

/// One `encoding` issue per string (or member name) with a lone surrogate.
fn lone_issues(lone: &JsValue) -> Vec<Issue> {
    let n = peek(lone, "length").as_f64().unwrap_or(0.0) as u32;
    (0..n)
        .map(|i| {
            let item = get_index(lone, i).unwrap_or(JsValue::UNDEFINED);
            let path = peek_string(&item, "path").unwrap_or_default();
            let what = match (peek(&item, "key").is_truthy(), path.is_empty()) {
                (true, true) => "a member name of the input".to_string(),
                (true, false) => format!("a member name in {path}"),
                (false, true) => "the input".to_string(),
                (false, false) => path.clone(),
            };
            Issue {
                path,
                code: code::ENCODING,
                message: format!(
                    "{what} has a lone UTF-16 surrogate (\\ud800-\\udfff without its pair), which \
                     cannot be sent as UTF-8; fix the JS string (e.g. with String.prototype.toWellFormed())"
                ),
            }
        })
        .collect()
}

/// Iterates `v` with its `Symbol.iterator` (at most `limit` items), every step caught:
/// `Ok(None)` when `v` is not iterable, `Err` with what the iterator threw.
pub(crate) fn iterate(v: &JsValue, limit: usize) -> Result<Option<Vec<JsValue>>, JsValue> {
    if !(v.is_object() || v.is_function()) {
        return Ok(None);
    }
    let f = Reflect::get(v, &js_sys::Symbol::iterator())?;
    let Some(f) = f.dyn_ref::<Function>() else {
        return Ok(None);
    };
    let it = f.call0(v)?;
    let next = get(&it, "next")?;
    let Some(next) = next.dyn_ref::<Function>() else {
        return Ok(None);
    };
    let mut out = Vec::new();
    while out.len() < limit {
        let r = next.call0(&it)?;
        if get(&r, "done")?.is_truthy() {
            break;
        }
        out.push(get(&r, "value")?);
    }
    Ok(Some(out))
}
