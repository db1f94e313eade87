//! The payload hash, with the host's SHA-256 where a runtime has a faster one. Node's OpenSSL
//! hashes a 16 KiB body several times faster than sha2 compiled to wasm (BENCHMARKS.md), so the
//! Node entry registers it (`pkg/node/index.cjs`); every other runtime hashes in wasm. Small
//! bodies always stay in wasm: the call into JS would cost more than it saves.

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

/// Bodies shorter than this are hashed in wasm even with a host hash.
const HOST_MIN_BYTES: usize = 1024;

thread_local! {
    /// `(body: string) => lower-case hex SHA-256 of its UTF-8 bytes`, when registered.
    static HOST: RefCell<Option<Function>> = const { RefCell::new(None) };
}

/// Registers the host's SHA-256 (Node's entry calls it once at load; not a public API).
#[wasm_bindgen(js_name = __setHostSha256)]
pub fn set_host_sha256(hash: Function) {
    HOST.with(|h| *h.borrow_mut() = Some(hash));
}

/// The hex SHA-256 of `body` (`body_js` is the same text as a JS string, already made for the
/// transport). A host hash that throws or answers anything but 64 lower-case hex digits is
/// ignored, and the body is hashed in wasm.
pub(crate) fn payload_hash(body: &str, body_js: &JsValue) -> String {
    if body.len() >= HOST_MIN_BYTES {
        // Cloned out first, so the JS call never runs while the cell is borrowed.
        let host = HOST.with(|h| h.borrow().clone());
        let hex = host
            .and_then(|f| f.call1(&JsValue::UNDEFINED, body_js).ok())
            .and_then(|v| v.as_string())
            .filter(|s| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
        if let Some(hex) = hex {
            return hex;
        }
    }
    crate::sigv4::sha256_hex(body.as_bytes())
}
