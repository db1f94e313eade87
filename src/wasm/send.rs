//! The async send loop of `ConnectChatClient`: credentials, sign, transport, response, then
//! whatever the core decides (done / retry after N ms / re-sign for clock skew / fail). Every
//! decision is a call into [`crate::client::Client`]; this module only carries them out.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::errors::{self, js_error, set, with_meta, ApiError, Metadata};
use super::input::{self, get, peek, peek_string};
use super::transport::{self, aborted, Outcome as Transport};
use crate::client::{self, Call, Client, Next, Outcome, ResponseMeta};
use crate::retry::StopReason;
use crate::sigv4::Credentials;

/// Provider credentials as cached: `exp` unix ms (`None`: never expire; NaN: unreadable).
struct Cached {
    creds: Credentials,
    exp: Option<f64>,
    /// Which refresh this is (so the core is given each set of credentials once).
    generation: u64,
}

/// Everything a send needs, shared by the class and its in-flight calls (exported async methods
/// cannot borrow the class).
pub(crate) struct Inner {
    pub(crate) core: RefCell<Client>,
    pub(crate) provider: Option<Function>,
    pub(crate) fetch: Option<Function>,
    pub(crate) timeout_ms: Option<f64>,
    pub(crate) logger: Option<JsValue>,
    pub(crate) hook: Option<Function>,
    cached: RefCell<Option<Cached>>,
    /// The provider call in flight, which concurrent sends share.
    refreshing: RefCell<Option<Promise>>,
    /// The generation of the credentials the core signs with.
    signing: Cell<u64>,
    /// The operation URL as a JS string (the same for every send: made once).
    url: JsValue,
}

impl Inner {
    pub(crate) fn new(
        core: Client,
        provider: Option<Function>,
        fetch: Option<Function>,
        timeout_ms: Option<f64>,
        logger: Option<JsValue>,
        hook: Option<Function>,
    ) -> Self {
        Inner {
            url: JsValue::from_str(core.operation_url()),
            core: RefCell::new(core),
            provider,
            fetch,
            timeout_ms,
            logger,
            hook,
            cached: RefCell::new(None),
            refreshing: RefCell::new(None),
            signing: Cell::new(0),
        }
    }

    /// Calls `logger[level](message, fields)` if there is such a method; a throwing logger is
    /// ignored. Messages and fields never carry credentials, signatures or bodies.
    fn log(
        &self,
        level: &'static str,
        message: impl FnOnce() -> String,
        fields: impl FnOnce() -> Vec<(&'static str, JsValue)>,
    ) {
        // Nothing is formatted for a client without a logger.
        let Some(logger) = &self.logger else { return };
        if let Ok(f) = peek(logger, level).dyn_into::<Function>() {
            let o = Object::new();
            for (k, v) in fields() {
                set(&o, k, &v);
            }
            let msg = format!("connect-chat-events: {}", message());
            let _ = f.call2(logger, &JsValue::from_str(&msg), &o);
        }
    }

    /// A provider's credentials, cached until 5 minutes before they expire; concurrent calls
    /// that need a refresh share one provider call. The core is given them before signing.
    async fn credentials(&self) -> Result<(), ApiError> {
        let Some(provider) = &self.provider else {
            return Ok(());
        };
        let now = js_sys::Date::now();
        let fresh = self
            .cached
            .borrow()
            .as_ref()
            .filter(|c| !client::credentials_need_refresh(c.exp, now))
            .map(|c| c.generation);
        let generation = match fresh {
            Some(g) => g,
            None => {
                let existing = self.refreshing.borrow().clone();
                let p = match existing {
                    Some(p) => p,
                    None => {
                        let ret = provider
                            .call0(&JsValue::UNDEFINED)
                            .map_err(ApiError::Provider)?;
                        let p = Promise::resolve(&ret);
                        *self.refreshing.borrow_mut() = Some(p.clone());
                        p
                    }
                };
                let value = JsFuture::from(p.clone()).await;
                let mut refreshing = self.refreshing.borrow_mut();
                if refreshing
                    .as_ref()
                    .is_some_and(|q| JsValue::from(q) == JsValue::from(&p))
                {
                    *refreshing = None;
                }
                drop(refreshing);
                let value = value.map_err(ApiError::Provider)?;
                let creds = input::credentials(&value, "CredentialsProviderError", "credentials()")
                    .map_err(ApiError::ProviderValue)?;
                let mut cached = self.cached.borrow_mut();
                let generation = cached.as_ref().map_or(1, |c| c.generation + 1);
                *cached = Some(Cached {
                    creds,
                    exp: expiration(&value),
                    generation,
                });
                generation
            }
        };
        if self.signing.get() != generation {
            if let Some(c) = self.cached.borrow().as_ref() {
                self.core.borrow_mut().set_credentials(c.creds.clone());
                self.signing.set(c.generation);
            }
        }
        Ok(())
    }

    /// Waits for adaptive mode's send token (no-op until the first throttling response).
    async fn send_token(&self, signal: &JsValue) -> Result<(), JsValue> {
        let mut waited = 0.0;
        // Bounded: each turn either sends or sleeps at least 1 ms.
        for _ in 0..100_000 {
            let wait = self.core.borrow_mut().acquire(js_sys::Date::now());
            let Some(ms) = wait else { break };
            transport::sleep(ms, signal).await?;
            waited += ms;
        }
        if waited > 0.0 {
            self.log(
                "debug",
                || {
                    format!(
                        "adaptive rate limiter delayed this send by {} ms",
                        input::js_num(waited)
                    )
                },
                || vec![("rateLimiterDelay", waited.into())],
            );
        }
        Ok(())
    }

    /// Asks the `shouldRetry` hook; a hook that throws (or rejects) means "do not retry".
    async fn ask(&self, hook: &Function, err: &JsValue, attempt: u32) -> bool {
        let v = match hook.call2(&JsValue::UNDEFINED, err, &attempt.into()) {
            Ok(v) => match v.dyn_into::<Promise>() {
                Ok(p) => JsFuture::from(p).await,
                Err(v) => Ok(v),
            },
            Err(e) => Err(e),
        };
        match v {
            Ok(v) => v.is_truthy(),
            Err(e) => {
                let m = peek_string(&e, "message").unwrap_or_default();
                self.log(
                    "warn",
                    || format!("shouldRetry threw ({m}); not retrying"),
                    || vec![("attempt", attempt.into())],
                );
                false
            }
        }
    }
}

/// A provider result's `expiration` (a Date, epoch milliseconds or a date string) in unix ms;
/// NaN when it is something else (never trusted, so refreshed on every call).
fn expiration(v: &JsValue) -> Option<f64> {
    let e = get(v, "expiration").ok()?;
    if e.is_undefined() || e.is_null() {
        return None;
    }
    if let Some(d) = e.dyn_ref::<js_sys::Date>() {
        return Some(d.get_time());
    }
    if let Some(n) = e.as_f64() {
        return Some(n);
    }
    if let Some(s) = e.as_string() {
        return Some(js_sys::Date::parse(&s));
    }
    Some(f64::NAN)
}

/// The operation's output as it crosses to JS.
#[derive(Serialize)]
struct OutputJs {
    #[serde(rename = "InitialContactId", skip_serializing_if = "Option::is_none")]
    initial_contact_id: Option<String>,
    #[serde(rename = "NewChatCreated", skip_serializing_if = "Option::is_none")]
    new_chat_created: Option<bool>,
    #[serde(rename = "$metadata")]
    metadata: Metadata,
}

fn meta(m: Option<&ResponseMeta>, call: &Call) -> Metadata {
    Metadata::new(m, call.attempts(), call.total_retry_delay_ms())
}

/// One `sendChatIntegrationEvent` call with a serialized, valid body.
pub(crate) async fn send(
    inner: Rc<Inner>,
    body: String,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    let body_js = JsValue::from_str(&body);
    // One hash for every attempt.
    let body_hash = super::host_hash::payload_hash(&body, &body_js);
    let body = body_js;
    let mut call = Call::new();
    let mut last: Option<ResponseMeta> = None;
    loop {
        if aborted(&signal) {
            return Err(with_meta(
                errors::abort_error(&signal),
                &meta(last.as_ref(), &call),
            ));
        }
        if inner.core.borrow().adaptive() {
            if let Err(e) = inner.send_token(&signal).await {
                return Err(with_meta(e, &meta(last.as_ref(), &call)));
            }
        }
        if let Err(e) = inner.credentials().await {
            return Err(with_meta(js_error(e), &meta(last.as_ref(), &call)));
        }
        // The core's borrow ends with this statement, before anything calls into JS.
        let signed =
            inner
                .core
                .borrow_mut()
                .begin_attempt(&mut call, &body_hash, js_sys::Date::now());
        let headers = signed.map_err(|e| js_error(ApiError::Signing(e)))?;
        let headers = transport::headers_js(&headers);
        let (attempt, max) = call.current();
        last = None;
        if inner.logger.is_some() {
            inner.log(
                "debug",
                || {
                    let core = inner.core.borrow();
                    format!("attempt {attempt}/{max}: POST {}", core.operation_url())
                },
                || vec![("attempt", attempt.into()), ("maxAttempts", max.into())],
            );
        }
        let outcome = transport::attempt(
            inner.fetch.as_ref(),
            &inner.url,
            &headers,
            &body,
            &signal,
            inner.timeout_ms,
        )
        .await;
        let now = js_sys::Date::now();
        let rand = js_sys::Math::random();
        let (err, class, next) = match outcome {
            Transport::Response(res) => {
                let o = inner.core.borrow_mut().on_response(
                    &mut call,
                    res.status,
                    &res.headers,
                    res.text.as_bytes(),
                    now,
                    rand,
                );
                match o {
                    Outcome::Done(out, m) => {
                        inner.log(
                            "debug",
                            || format!("attempt {attempt}/{max} succeeded (HTTP {})", m.status),
                            || {
                                vec![
                                    ("attempt", attempt.into()),
                                    ("httpStatusCode", m.status.into()),
                                ]
                            },
                        );
                        return Ok(errors::to_js(&OutputJs {
                            initial_contact_id: out.initial_contact_id,
                            new_chat_created: out.new_chat_created,
                            metadata: meta(Some(&m), &call),
                        }));
                    }
                    Outcome::Resign {
                        code, offset_ms, ..
                    } => {
                        inner.log(
                            "warn",
                            || format!(
                                "attempt {attempt}/{max}: {code} (clock skew); systemClockOffset is now {} ms, re-signing",
                                input::js_num(offset_ms)
                            ),
                            || vec![("attempt", attempt.into()), ("systemClockOffset", offset_ms.into())],
                        );
                        continue;
                    }
                    Outcome::Failed {
                        error,
                        class,
                        next,
                        meta: m,
                    } => {
                        let md = meta(Some(&m), &call);
                        last = Some(m);
                        (
                            js_error(ApiError::Service(error, res.headers, md)),
                            class,
                            next,
                        )
                    }
                }
            }
            Transport::Aborted => {
                inner.log(
                    "debug",
                    || format!("attempt {attempt}/{max} aborted by the caller"),
                    || vec![("attempt", attempt.into())],
                );
                return Err(with_meta(errors::abort_error(&signal), &meta(None, &call)));
            }
            Transport::Timeout | Transport::Failed(_) => {
                let timeout = matches!(outcome, Transport::Timeout);
                let err = match outcome {
                    Transport::Failed(e) => e,
                    _ => js_error(ApiError::Timeout {
                        attempt,
                        timeout_ms: inner.timeout_ms.unwrap_or(0.0),
                    }),
                };
                let (class, next) = inner
                    .core
                    .borrow_mut()
                    .on_no_response(&mut call, timeout, now, rand);
                (with_meta(err, &meta(None, &call)), class, next)
            }
        };
        let name = peek_string(&err, "name").unwrap_or_else(|| "Error".to_string());
        let next = match (next, &inner.hook) {
            (Next::AskHook, Some(hook)) => {
                let verdict = inner.ask(hook, &err, attempt).await;
                inner
                    .core
                    .borrow_mut()
                    .verdict(&mut call, verdict, js_sys::Math::random())
            }
            (n, _) => n,
        };
        match next {
            Next::Retry(ms) => {
                inner.log(
                    "info",
                    || {
                        format!(
                            "attempt {attempt}/{max} failed with {name} ({}); retrying in {} ms",
                            class.as_str(),
                            input::js_num(ms)
                        )
                    },
                    || {
                        vec![
                            ("attempt", attempt.into()),
                            ("error", JsValue::from_str(&name)),
                            ("delay", ms.into()),
                        ]
                    },
                );
                if let Err(e) = transport::sleep(ms, &signal).await {
                    return Err(with_meta(e, &meta(last.as_ref(), &call)));
                }
            }
            Next::Stop(reason) => {
                let err = with_meta(err, &meta(last.as_ref(), &call));
                inner.log(
                    if reason == StopReason::QuotaExhausted {
                        "warn"
                    } else {
                        "debug"
                    },
                    || {
                        format!(
                            "attempt {attempt}/{max} failed with {name}; not retrying ({})",
                            reason.as_str()
                        )
                    },
                    || {
                        vec![
                            ("attempt", attempt.into()),
                            ("error", JsValue::from_str(&name)),
                            ("reason", JsValue::from_str(reason.as_str())),
                        ]
                    },
                );
                return Err(err);
            }
            Next::AskHook => return Err(err),
        }
    }
}

/// `sendChatIntegrationEvents`: each input is read now; at most `concurrency` sends are in
/// flight; one `{ status, value | reason }` per input, in input order.
pub(crate) async fn send_batch(
    inner: Rc<Inner>,
    items: Vec<Result<String, JsValue>>,
    concurrency: u32,
    signal: JsValue,
) -> Result<JsValue, JsValue> {
    let n = items.len();
    /// Each input's body (or its validation error), taken by the worker that sends it.
    type Items = Rc<RefCell<Vec<Option<Result<String, JsValue>>>>>;
    let items: Items = Rc::new(RefCell::new(items.into_iter().map(Some).collect()));
    let results: Rc<RefCell<Vec<JsValue>>> = Rc::new(RefCell::new(vec![JsValue::UNDEFINED; n]));
    let next = Rc::new(Cell::new(0usize));
    let workers = js_sys::Array::new();
    for _ in 0..(concurrency as usize).min(n).max(1) {
        let (inner, items, results, next, signal) = (
            inner.clone(),
            items.clone(),
            results.clone(),
            next.clone(),
            signal.clone(),
        );
        workers.push(&future_to_promise(async move {
            while next.get() < n {
                let i = next.get();
                next.set(i + 1);
                let item = items.borrow_mut().get_mut(i).and_then(Option::take);
                let r = match item {
                    Some(Ok(body)) => send(inner.clone(), body, signal.clone()).await,
                    Some(Err(invalid)) => Err(invalid),
                    None => Err(JsValue::UNDEFINED),
                };
                let o = Object::new();
                match r {
                    Ok(v) => {
                        set(&o, "status", &JsValue::from_str("fulfilled"));
                        set(&o, "value", &v);
                    }
                    Err(reason) => {
                        set(&o, "status", &JsValue::from_str("rejected"));
                        set(&o, "reason", &reason);
                    }
                }
                if let Some(slot) = results.borrow_mut().get_mut(i) {
                    *slot = o.into();
                }
            }
            Ok(JsValue::UNDEFINED)
        }));
    }
    JsFuture::from(Promise::all(&workers)).await?;
    let out: js_sys::Array = results.borrow().iter().collect();
    Ok(out.into())
}
