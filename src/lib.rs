//! # connect-chat-events
//!
//! Validate, serialize, SigV4-sign and send Amazon Connect `SendChatIntegrationEvent` requests.
//!
//! The crate is a pure, synchronous core (no I/O, no clock, no JS types), so every rule is
//! testable natively and deterministically, plus one thin wasm-bindgen module (`wasm`, built only
//! for `wasm32`) of synchronous exports. The package's JavaScript client (`js/client.mjs`) does the
//! I/O over them — `fetch`, timers, aborts, credential providers — while every rule and all client
//! state (validation, signing-key cache, retry policy, rate limiter, clock offset) stays here.
//!
//! | module | concern |
//! |---|---|
//! | [`model`] | input and output types, their serde wire form |
//! | [`value`] | the dynamic value validation reads, filled by serde (JSON text or JS values) |
//! | [`validate`] | every model constraint and documented rule, reported all at once |
//! | [`sigv4`] | a general AWS Signature Version 4 signer with a signing-key cache (`sha2`, `hmac`, `hex`) |
//! | [`endpoint`] | endpoint resolution for the `connect` service |
//! | [`errors`] | restJson1 error parsing |
//! | [`client`] | request assembly and response handling for the operation |
//! | [`retry`] | retry policy, back-off, retry quota, adaptive rate limiter, clock skew |
//! | `http_date` | HTTP dates (`Date`, `Retry-After`), for retry hints and clock skew |
//! | [`text`] | bounded quoting of caller values in messages |
#![warn(missing_docs, unreachable_pub, rust_2018_idioms)]

mod calendar;
pub mod client;
pub mod endpoint;
pub mod errors;
mod http_date;
pub mod model;
pub mod retry;
pub mod sigv4;
pub mod text;
pub mod validate;
pub mod value;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

/// The browser build's allocator (feature `small-alloc`): wasm in a page is single-threaded.
#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
#[global_allocator]
static ALLOC: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32-unknown-unknown without the atomics feature has exactly one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
