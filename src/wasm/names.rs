//! JS strings for the fixed names and words that cross on every send (member names such as
//! `status` and `headers`, header names, `POST`): each is made once and reused, because a fresh
//! one costs a UTF-8 decode in JS every time (about a third of a send's string traffic;
//! serde-wasm-bindgen caches its field names the same way). Only `&'static str`s go in, so the
//! cache holds at most the program's literals.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

thread_local! {
    /// `(address, length)` of each literal and its JS string.
    static NAMES: RefCell<Vec<((usize, usize), JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `s` as a JS string, made on its first use.
pub(crate) fn name(s: &'static str) -> JsValue {
    let key = (s.as_ptr() as usize, s.len());
    NAMES.with(|names| {
        if let Some((_, v)) = names.borrow().iter().find(|(k, _)| *k == key) {
            return v.clone();
        }
        let v = JsValue::from_str(s);
        names.borrow_mut().push((key, v.clone()));
        v
    })
}
