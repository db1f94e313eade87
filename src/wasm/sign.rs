//! `signRequest`'s arguments: the request (method, URL, headers in any of the shapes callers
//! use, body) and the options, read hostile-safe into the signer's types.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::input::{arg_err, describe, get, get_index, is_array, is_obj, ArgError, Reader};

const N: &str = "SigningError";

#[wasm_bindgen]
extern "C" {
    /// `Object.entries`, which runs Proxy traps and getters.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn entries_checked(v: &JsValue) -> Result<Array, JsValue>;
}

fn unreadable(path: &str) -> ArgError {
    arg_err(
        N,
        path,
        format!("{path} could not be read (a getter or Proxy trap threw)"),
    )
}

/// `${path}` as a header value: a string, or a number as JS writes it.
fn header_value(v: &JsValue, path: &str) -> Result<String, ArgError> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if v.as_f64().is_some() {
        return Ok(js_sys::Number::from(v.clone())
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default());
    }
    Err(arg_err(
        N,
        path,
        format!("{path} must be a string; got {}", describe(v)),
    ))
}

/// The items of a caller's array (or array-like Proxy).
fn array_items(v: &JsValue, path: &str) -> Result<Vec<JsValue>, ArgError> {
    let n = get(v, "length").map_err(|_| unreadable(path))?;
    match n.as_f64() {
        Some(n) if (0.0..=1_000_000.0).contains(&n) => (0..n as u32)
            .map(|i| get_index(v, i).map_err(|_| unreadable(path)))
            .collect(),
        _ => Err(unreadable(path)),
    }
}

/// One `[name, value]` pair.
fn pair(p: &JsValue, path: &str, out: &mut Vec<(String, String)>) -> Result<(), ArgError> {
    let items = if is_array(p) {
        array_items(p, path)?
    } else {
        Vec::new()
    };
    if items.len() != 2 {
        return Err(arg_err(
            N,
            path,
            format!("{path} must be a [name, value] pair; got {}", describe(p)),
        ));
    }
    let Some(name) = items[0].as_string() else {
        return Err(arg_err(
            N,
            path,
            format!("{path}[0] (the header name) must be a string"),
        ));
    };
    out.push((name, header_value(&items[1], &format!("{path}[1]"))?));
    Ok(())
}

/// Headers given as an array of `[name, value]` pairs, a `Headers`/`Map`, or a plain object
/// (whose values may be arrays: repeated headers, as Node's http module represents them).
pub(crate) fn headers(v: &JsValue) -> Result<Vec<(String, String)>, ArgError> {
    let mut out = Vec::new();
    if v.is_undefined() || v.is_null() {
        return Ok(out);
    }
    const P: &str = "request.headers";
    if is_array(v) {
        for (i, p) in array_items(v, P)?.iter().enumerate() {
            pair(p, &format!("{P}[{i}]"), &mut out)?;
        }
        return Ok(out);
    }
    if !is_obj(v) {
        return Err(arg_err(
            N,
            P,
            format!(
                "{P} must be an object, a Headers or an array of [name, value] pairs; got {}",
                describe(v)
            ),
        ));
    }
    // Headers and Map are iterable and yield [name, value]; plain objects are not.
    let object_proto = Reflect::get_prototype_of(&Object::new()).ok();
    let iterable = get(v, "entries").is_ok_and(|e| e.is_function())
        && Reflect::get_prototype_of(v).is_ok_and(|p| {
            !p.is_null()
                && object_proto
                    .as_ref()
                    .map_or(true, |o| JsValue::from(o) != JsValue::from(&p))
        });
    if iterable {
        if let Some(items) = super::input::iterate(v, 1_000_000).map_err(|_| unreadable(P))? {
            for (i, it) in items.iter().enumerate() {
                pair(it, &format!("{P}[{i}]"), &mut out)?;
            }
            return Ok(out);
        }
    }
    let entries = entries_checked(v).map_err(|_| unreadable(P))?;
    for e in entries.iter() {
        let name = get_index(&e, 0)
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        let value = get_index(&e, 1).unwrap_or(JsValue::UNDEFINED);
        let path = format!("{P}.{name}");
        if is_array(&value) {
            for item in array_items(&value, &path)? {
                out.push((name.clone(), header_value(&item, &path)?));
            }
        } else if !value.is_undefined() {
            out.push((name.clone(), header_value(&value, &path)?));
        }
    }
    Ok(out)
}

/// The body: a string (UTF-8), a Uint8Array or an ArrayBuffer (copied).
pub(crate) fn body(v: &JsValue) -> Result<Vec<u8>, ArgError> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    if let Some(b) = v.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(b).to_vec());
    }
    Err(arg_err(
        N,
        "request.body",
        format!(
            "request.body must be a string or a Uint8Array; got {}",
            describe(v)
        ),
    ))
}

/// Why `signingDate` could not be used.
pub(crate) enum TimeError {
    Arg(ArgError),
    Signing(crate::sigv4::SigningError),
}

/// `options.signingDate` (a Date, an ISO 8601 string or epoch milliseconds) as unix seconds.
pub(crate) fn signing_time(v: &JsValue) -> Result<i64, TimeError> {
    if v.is_undefined() || v.is_null() {
        return Ok((js_sys::Date::now() / 1000.0).floor() as i64);
    }
    if let Some(s) = v.as_string() {
        return crate::sigv4::parse_signing_date(&s).map_err(TimeError::Signing);
    }
    let ms = if let Some(d) = v.dyn_ref::<js_sys::Date>() {
        d.get_time()
    } else if let Some(n) = v.as_f64() {
        n
    } else {
        return Err(TimeError::Arg(arg_err(
            N,
            "options.signingDate",
            format!(
                "options.signingDate must be a Date or an ISO 8601 string; got {}",
                describe(v)
            ),
        )));
    };
    crate::client::signing_time_from_ms(ms).map_err(|e| {
        TimeError::Arg(ArgError {
            name: N,
            field: e.field.to_string(),
            message: e.message,
        })
    })
}

/// Reads `options`' boolean flags.
pub(crate) fn flags(options: &JsValue) -> Result<(bool, bool, bool), ArgError> {
    let r = Reader {
        obj: options,
        name: N,
    };
    Ok((
        r.opt_bool("applyChecksum", "options.applyChecksum", true)?,
        r.opt_bool("uriEscapePath", "options.uriEscapePath", true)?,
        r.opt_bool("normalizePath", "options.normalizePath", true)?,
    ))
}

/// `options.signedHeaders`: the exact header names to sign (`None`: the signer's default).
pub(crate) fn signed_headers(options: &JsValue) -> Result<Option<Vec<String>>, ArgError> {
    const P: &str = "options.signedHeaders";
    let v = get(options, "signedHeaders")
        .map_err(|_| arg_err(N, P, format!("{P} could not be read")))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !is_array(&v) {
        return Err(arg_err(
            N,
            P,
            format!("{P} must be an array of header names; got {}", describe(&v)),
        ));
    }
    array_items(&v, P)?
        .iter()
        .enumerate()
        .map(|(i, n)| {
            n.as_string().ok_or_else(|| {
                let path = format!("{P}[{i}]");
                arg_err(
                    N,
                    &path,
                    format!("{path} must be a string; got {}", describe(n)),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}
