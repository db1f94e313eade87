//! The payload hash, with the host's SHA-256 where a runtime has a faster one. Node's OpenSSL
//! hashes a 16 KiB body several times faster than sha2 compiled to wasm (BENCHMARKS.md), so the
//! Node entry registers it (`pkg/node/index.cjs`), with the body length from which the call into
//! JS pays (it depends on the host function: Node's one-shot `crypto.hash` pays for every body,
//! `createHash` from 1 KiB); every other runtime hashes in wasm.

use std::cell::RefCell;

use js_sys::Function;
use wasm_bindgen::prelude::*;

/// The host hash used for bodies of at least this many bytes.
struct Host {
    /// `(body: string) => lower-case hex SHA-256 of its UTF-8 bytes`.
    hash: Function,
    min_bytes: usize,
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// Registers the host's SHA-256 for bodies of `min_bytes` and more (Node's entry calls it once
/// at load; not a public API).
#[wasm_bindgen(js_name = __setHostSha256)]
pub fn set_host_sha256(hash: Function, min_bytes: u32) {
    HOST.with(|h| {
        *h.borrow_mut() = Some(Host {
            hash,
            min_bytes: min_bytes as usize,
        })
    });
}

/// The hex SHA-256 of `body` (`body_js` is the same text as a JS string, already made for the
/// transport). A host hash that throws or answers anything but 64 lower-case hex digits is
/// ignored, and the body is hashed in wasm.
pub(crate) fn payload_hash(body: &str, body_js: &JsValue) -> String {
    // Cloned out first, so the JS call never runs while the cell is borrowed.
    let host = HOST.with(|h| {
        h.borrow()
            .as_ref()
            .filter(|h| body.len() >= h.min_bytes)
            .map(|h| h.hash.clone())
    });
    let hex = host
        .and_then(|f| f.call1(&JsValue::UNDEFINED, body_js).ok())
        .and_then(|v| v.as_string())
        .filter(|s| s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    if let Some(hex) = hex {
        return hex;
    }
    crate::sigv4::sha256_hex(body.as_bytes())
}
