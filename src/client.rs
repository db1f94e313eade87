//! Request assembly and response handling for SendChatIntegrationEvent.
//!
//! Pure functions from data to data: the binding layer owns I/O (fetch), time and credentials, and
//! calls these to turn a validated input into signed request parts and a response into a result.
//! Keeping them here means every step of a send is testable natively.

use crate::errors::{self, ServiceError};
use crate::model::{SendChatIntegrationEventInput, SendChatIntegrationEventOutput};
use crate::sigv4::{self, Credentials, SigningError, SigningKeyCache, SigningParams};

/// HTTP path of the operation (restJson1 binding of `SendChatIntegrationEvent`).
pub const OPERATION_PATH: &str = "/chat-integration-event";
/// SigV4 signing name of Amazon Connect.
pub const SIGNING_NAME: &str = "connect";

/// Joins an endpoint (which may carry a base path, as custom endpoints can) and the operation path.
pub fn operation_url(endpoint: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    let mut url = String::with_capacity(base.len() + OPERATION_PATH.len());
    url.push_str(base);
    url.push_str(OPERATION_PATH);
    url
}

/// The signer of a client's requests to `endpoint` in `region`: the same signature as
/// [`prepare_body_hashed`], with the URL and scope canonicalized once.
pub fn operation_signer(endpoint: &str, region: &str) -> sigv4::FixedSigner {
    sigv4::FixedSigner::new(&operation_url(endpoint), region, SIGNING_NAME)
}

/// A request ready to hand to `fetch`: method, URL, headers (lower-case names) and body.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// Always `POST`.
    pub method: String,
    /// Endpoint URL plus the operation path.
    pub url: String,
    /// Headers to send, including `authorization`; never contains the secret access key.
    pub headers: Vec<(String, String)>,
    /// The compact JSON body.
    pub body: String,
}

impl core::fmt::Debug for PreparedRequest {
    // The authorization header carries a signature, not a secret, but the token header is a credential.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                if k == "x-amz-security-token" {
                    (k.as_str(), "<redacted>")
                } else {
                    (k.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("PreparedRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Builds and signs the HTTP request for a validated input.
///
/// `extra_headers` lets the caller add headers that must be signed (such as `amz-sdk-request`
/// for retries); only what the request needs is sent, so browsers' CORS preflights stay simple.
pub fn prepare_request(
    input: &SendChatIntegrationEventInput,
    endpoint: &str,
    region: &str,
    credentials: &Credentials,
    time: i64,
    extra_headers: &[(String, String)],
    cache: &mut SigningKeyCache,
) -> Result<PreparedRequest, SigningError> {
    prepare_body_hashed(
        input.to_json(),
        None,
        endpoint,
        region,
        credentials,
        time,
        extra_headers,
        cache,
    )
}

/// Signs an already serialized body (retries re-sign the same body with a fresh time), with its
/// lower-case hex SHA-256 when the caller already has it (`None`: hash it here).
#[allow(clippy::too_many_arguments)]
pub fn prepare_body_hashed(
    body: String,
    body_hash: Option<String>,
    endpoint: &str,
    region: &str,
    credentials: &Credentials,
    time: i64,
    extra_headers: &[(String, String)],
    cache: &mut SigningKeyCache,
) -> Result<PreparedRequest, SigningError> {
    let url = operation_url(endpoint);
    let mut headers = Vec::with_capacity(1 + extra_headers.len());
    headers.push(("content-type".to_string(), "application/json".to_string()));
    headers.extend(extra_headers.iter().cloned());
    let params = SigningParams {
        region,
        service: SIGNING_NAME,
        time,
        // Browsers: send only what the request needs (x-amz-content-sha256 would widen the CORS
        // preflight). The payload hash is still part of the canonical request.
        apply_checksum: false,
        uri_escape_path: true,
        normalize_path: true,
        signed_headers: None,
    };
    let request = sigv4::Request {
        method: "POST",
        url: &url,
        headers: &headers,
        body: body.as_bytes(),
    };
    let signed = sigv4::sign_with_payload_hash(&request, credentials, &params, cache, body_hash)?;
    Ok(PreparedRequest {
        method: signed.method,
        url: signed.url,
        headers: signed.headers,
        body,
    })
}

/// What a response means: the operation's output, or the service error to raise.
pub fn parse_response(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<SendChatIntegrationEventOutput, Box<ServiceError>> {
    if !errors::is_success(status) {
        return Err(Box::new(errors::parse_error(status, headers, body)));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        // A 200 with an empty body is a valid, member-less output.
        return Ok(SendChatIntegrationEventOutput::default());
    }
    SendChatIntegrationEventOutput::from_json(body).map_err(|e| {
        let mut err = errors::parse_error(status, headers, body);
        err.code = "DeserializationError".to_string();
        err.message = format!(
            "the service answered HTTP {status} with a body that is not a SendChatIntegrationEvent output: {}",
            e.message()
        );
        err.fault = errors::Fault::Server;
        Box::new(err)
    })
}

/// Response header helpers, shared with error parsing.
pub use crate::errors::{header, request_id};

/// Cached credentials are refreshed this long (milliseconds) before they expire, as the AWS
/// SDKs do, so a request is never signed with credentials about to lapse in flight.
pub const CREDENTIALS_REFRESH_WINDOW_MS: f64 = 300_000.0;

/// Whether cached credentials expiring at `expiration_ms` (unix milliseconds; `None` = never)
/// must be fetched again at `now_ms`. Credentials without an expiration are kept for good.
pub fn credentials_need_refresh(expiration_ms: Option<f64>, now_ms: f64) -> bool {
    match expiration_ms {
        None => false,
        Some(exp) if exp.is_finite() => exp - now_ms < CREDENTIALS_REFRESH_WINDOW_MS,
        Some(_) => true,
    }
}

// ---------------------------------------------------------------------------------------------
// The client and its calls: every decision of a send, for the binding layer to carry out.

use crate::endpoint::{self, EndpointConfig, EndpointError};
use crate::model::SendChatIntegrationEventOutput as Output;
use crate::retry::{
    classify, CallState, Decision, Failure, FailureClass, RateLimiter, RetryMode, RetryPolicy,
    RetryQuota, StopReason,
};

/// Largest `requestTimeoutMs` (what `setTimeout` can wait: 2^31 - 1 ms).
pub const MAX_REQUEST_TIMEOUT_MS: f64 = 2_147_483_647.0;
/// `sendChatIntegrationEvents`' default `concurrency`.
pub const DEFAULT_CONCURRENCY: u32 = 10;
/// The largest `concurrency`.
pub const MAX_CONCURRENCY: u32 = 1000;
/// Largest `|signingDate|` in milliseconds (the range of a JS `Date`).
pub const MAX_DATE_MS: f64 = 8.64e15;

/// A configuration value that breaks its rule: the field and a message naming the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The option, e.g. `maxAttempts`.
    pub field: &'static str,
    /// What is wrong with it.
    pub message: String,
}

impl ConfigError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        ConfigError {
            field,
            message: message.into(),
        }
    }
}

/// `maxAttempts` (`None`: the default); `shown` is how the caller's value is written, for the message.
pub fn parse_max_attempts(v: Option<f64>, shown: &str) -> Result<u32, ConfigError> {
    match v {
        None => Ok(crate::retry::DEFAULT_MAX_ATTEMPTS),
        Some(n) => crate::retry::parse_max_attempts(n).map_err(|_| {
            ConfigError::new(
                "maxAttempts",
                format!(
                    "maxAttempts must be an integer from 1 to {}; got {shown}",
                    crate::retry::MAX_MAX_ATTEMPTS
                ),
            )
        }),
    }
}

/// `retryMode` (`None`: standard).
pub fn parse_retry_mode(v: Option<&str>) -> Result<RetryMode, ConfigError> {
    match v {
        None => Ok(RetryMode::Standard),
        Some(s) => RetryMode::parse(s).map_err(|e| ConfigError::new("retryMode", e.message())),
    }
}

/// `requestTimeoutMs`: milliseconds from 1 to [`MAX_REQUEST_TIMEOUT_MS`] (fractions allowed).
pub fn parse_request_timeout(v: Option<f64>) -> Result<Option<f64>, ConfigError> {
    match v {
        Some(ms) if !(ms > 0.0 && ms <= MAX_REQUEST_TIMEOUT_MS) => Err(ConfigError::new(
            "requestTimeoutMs",
            "requestTimeoutMs must be a number of milliseconds from 1 to 2147483647",
        )),
        v => Ok(v),
    }
}

/// A batch's `concurrency` (`None`: the default): an integer from 1 to [`MAX_CONCURRENCY`].
pub fn parse_concurrency(v: Option<f64>) -> Result<u32, ConfigError> {
    match v {
        None => Ok(DEFAULT_CONCURRENCY),
        Some(n) if n.fract() == 0.0 && (1.0..=f64::from(MAX_CONCURRENCY)).contains(&n) => {
            Ok(n as u32)
        }
        Some(_) => Err(ConfigError::new(
            "concurrency",
            "concurrency must be an integer from 1 to 1000",
        )),
    }
}

/// A `signingDate` in epoch milliseconds as unix seconds.
pub fn signing_time_from_ms(ms: f64) -> Result<i64, ConfigError> {
    if !ms.is_finite() || ms.abs() > MAX_DATE_MS {
        return Err(ConfigError::new(
            "options.signingDate",
            "options.signingDate is not a valid date",
        ));
    }
    Ok((ms / 1000.0).floor() as i64)
}

/// One member of a credentials object at `path` (`credentials`, `options.credentials`,
/// `credentials()`), checked as every API checks it: `None` when absent, `Some(Err(what))` when
/// not a string (`what` describes it). `accessKeyId` and `secretAccessKey` are required and
/// non-empty; an empty `sessionToken` is none. Errors are `(field, message)`.
pub fn credential_part(
    path: &str,
    key: &str,
    value: Option<Result<String, String>>,
) -> Result<Option<String>, (String, String)> {
    let field = format!("{path}.{key}");
    let required = key != "sessionToken";
    match value {
        None if required => Err((field.clone(), format!("{field} is required"))),
        None => Ok(None),
        Some(Err(what)) => Err((
            field.clone(),
            format!("{field} must be a string; got {what}"),
        )),
        Some(Ok(s)) if s.is_empty() && required => {
            Err((field.clone(), format!("{field} must not be empty")))
        }
        Some(Ok(s)) => Ok(Some(s).filter(|s| !s.is_empty())),
    }
}

/// The endpoint for a configuration (the endpoint rules).
pub fn resolve_endpoint(
    config: &EndpointConfig<'_>,
) -> Result<endpoint::ResolvedEndpoint, EndpointError> {
    endpoint::resolve(config)
}

/// The retry policy for `maxAttempts` (with how the caller wrote it) and `retryMode`; the count
/// is checked first.
pub fn retry_policy(
    max_attempts: Option<(f64, &str)>,
    mode: Option<&str>,
) -> Result<RetryPolicy, ConfigError> {
    let max = match max_attempts {
        Some((v, shown)) => parse_max_attempts(Some(v), shown)?,
        None => parse_max_attempts(None, "")?,
    };
    Ok(RetryPolicy::new(parse_retry_mode(mode)?, max))
}

/// One client's state: endpoint, signer with its key cache, credentials, retry policy, quota,
/// rate limiter and clock offset. Time (`now_ms`, unix milliseconds) and randomness (`rand`,
/// in [0, 1)) are passed in.
pub struct Client {
    /// The signing region.
    pub region: String,
    /// The resolved endpoint URL (without the operation path).
    pub endpoint: String,
    signer: sigv4::FixedSigner,
    credentials: Option<Credentials>,
    cache: SigningKeyCache,
    /// The retry settings.
    pub policy: RetryPolicy,
    quota: RetryQuota,
    limiter: RateLimiter,
    clock_offset_ms: f64,
    has_hook: bool,
}

impl core::fmt::Debug for Client {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "<redacted>"),
            )
            .field("policy", &self.policy)
            .field("clock_offset_ms", &self.clock_offset_ms)
            .finish()
    }
}

/// A per-call state: the attempts so far and what the next step waits for.
#[derive(Debug, Clone, Default)]
pub struct Call {
    state: CallState,
    /// The next attempt is a clock-skew re-send (does not count against `maxAttempts`).
    skew_resend: bool,
    /// The current attempt's `(attempt, max)`.
    current: (u32, u32),
    /// A failure waiting for the `shouldRetry` hook: its class and retry-after hint.
    pending: Option<(FailureClass, Option<f64>)>,
}

impl Call {
    /// A call that has made no attempt yet.
    pub fn new() -> Self {
        Call::default()
    }
    /// HTTP attempts made so far (`$metadata.attempts`).
    pub fn attempts(&self) -> u32 {
        self.state.attempts
    }
    /// Milliseconds of back-off so far (`$metadata.totalRetryDelay`).
    pub fn total_retry_delay_ms(&self) -> f64 {
        self.state.total_retry_delay_ms
    }
    /// The current attempt and the maximum shown with it (`attempt N/max`).
    pub fn current(&self) -> (u32, u32) {
        self.current
    }
}

/// The headers of one signed attempt, by name (`host` is left to the transport; every attempt goes
/// to [`Client::operation_url`]). Every attempt sends the same set, so the JS layer can build them
/// as one object literal instead of a property at a time.
#[derive(Clone, PartialEq, Eq)]
pub struct AttemptHeaders {
    /// `amz-sdk-request` (`attempt=N; max=M`), when retries are on.
    pub amz_sdk_request: Option<String>,
    /// `x-amz-date`.
    pub amz_date: String,
    /// `x-amz-security-token`, with temporary credentials (a credential: never logged).
    pub security_token: Option<String>,
    /// `authorization`.
    pub authorization: String,
}

impl AttemptHeaders {
    /// The `content-type` every attempt sends.
    pub const CONTENT_TYPE: &'static str = "application/json";

    /// The headers as `(name, value)` pairs, in the order they are signed.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("content-type", Self::CONTENT_TYPE)];
        if let Some(v) = &self.amz_sdk_request {
            out.push((crate::retry::REQUEST_HEADER, v));
        }
        out.push(("x-amz-date", &self.amz_date));
        if let Some(t) = &self.security_token {
            out.push(("x-amz-security-token", t));
        }
        out.push(("authorization", &self.authorization));
        out
    }
}

/// Written by hand: the session token is redacted.
impl core::fmt::Debug for AttemptHeaders {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AttemptHeaders")
            .field("amz_sdk_request", &self.amz_sdk_request)
            .field("amz_date", &self.amz_date)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("authorization", &self.authorization)
            .finish()
    }
}

/// The ids a response carries, for `$metadata`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    /// HTTP status.
    pub status: u16,
    /// `x-amzn-RequestId` (or its variants).
    pub request_id: Option<String>,
    /// `x-amz-id-2`.
    pub extended_request_id: Option<String>,
    /// `x-amz-cf-id`.
    pub cf_id: Option<String>,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// Sleep this many milliseconds, then send again.
    Retry(f64),
    /// Surface the error.
    Stop(StopReason),
    /// Ask the `shouldRetry` hook, then call [`Client::verdict`].
    AskHook,
}

/// What a response means for the call.
#[derive(Debug)]
pub enum Outcome {
    /// The operation's output.
    Done(Output, ResponseMeta),
    /// A clock-skew error: the clock offset is now `offset_ms`; re-sign and send at once.
    Resign {
        /// The service's error code.
        code: String,
        /// The new `systemClockOffset`.
        offset_ms: f64,
        /// The response's ids.
        meta: ResponseMeta,
    },
    /// A service error, with what to do next.
    Failed {
        /// The parsed error.
        error: Box<ServiceError>,
        /// Its retry class.
        class: FailureClass,
        /// What to do next.
        next: Next,
        /// The response's ids.
        meta: ResponseMeta,
    },
}

impl Client {
    /// A client for a resolved endpoint with a retry policy, at `now_ms`; `clock_offset_ms` is
    /// the initial `systemClockOffset`, `has_hook` whether a `shouldRetry` hook decides retries.
    pub fn new(
        resolved: &endpoint::ResolvedEndpoint,
        policy: RetryPolicy,
        clock_offset_ms: f64,
        has_hook: bool,
        now_ms: f64,
    ) -> Client {
        Client {
            signer: operation_signer(&resolved.url, &resolved.signing_region),
            region: resolved.signing_region.clone(),
            endpoint: resolved.url.clone(),
            credentials: None,
            cache: SigningKeyCache::new(),
            policy,
            quota: RetryQuota::default(),
            limiter: RateLimiter::new(now_ms / 1000.0),
            clock_offset_ms,
            has_hook,
        }
    }

    /// The credentials to sign with from now on.
    pub fn set_credentials(&mut self, credentials: Credentials) {
        self.credentials = Some(credentials);
    }

    /// Milliseconds added to the local clock when signing.
    pub fn clock_offset_ms(&self) -> f64 {
        self.clock_offset_ms
    }

    /// Whether sends wait for adaptive mode's rate limiter.
    pub fn adaptive(&self) -> bool {
        self.policy.mode == RetryMode::Adaptive
    }

    /// Adaptive mode's send token at `now_ms`: `None` to go ahead, else milliseconds to sleep
    /// before asking again (1 to 60,000).
    pub fn acquire(&mut self, now_ms: f64) -> Option<f64> {
        self.limiter
            .acquire(now_ms / 1000.0)
            .map(|s| (s * 1000.0).ceil().clamp(1.0, 60_000.0))
    }

    /// Starts the next attempt of `call` and signs it at `now_ms` plus the clock offset, for a
    /// body whose lower-case hex SHA-256 is `body_hash`.
    pub fn begin_attempt(
        &mut self,
        call: &mut Call,
        body_hash: &str,
        now_ms: f64,
    ) -> Result<AttemptHeaders, SigningError> {
        let (attempt, max) = call.state.begin_attempt(&self.policy, call.skew_resend);
        call.skew_resend = false;
        call.current = (attempt, max);
        let sdk_request = self
            .policy
            .retries_enabled()
            .then(|| crate::retry::request_header_value(attempt, max));
        let creds = self
            .credentials
            .as_ref()
            .ok_or(SigningError::MissingCredentials {
                field: "access_key_id",
            })?;
        let time = ((now_ms + self.clock_offset_ms) / 1000.0).floor() as i64;
        let signed = self.signer.sign(
            creds,
            time,
            sdk_request.as_deref(),
            body_hash,
            &mut self.cache,
        )?;
        Ok(AttemptHeaders {
            amz_sdk_request: sdk_request,
            amz_date: signed.amz_date,
            security_token: creds.session_token.clone(),
            authorization: signed.authorization,
        })
    }

    /// The operation URL every attempt goes to (the same for the client's lifetime).
    pub fn operation_url(&self) -> &str {
        self.signer.url()
    }

    /// The response to the current attempt of `call`, received at `now_ms` (header names lower-case).
    pub fn on_response(
        &mut self,
        call: &mut Call,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: f64,
        rand: f64,
    ) -> Outcome {
        let adaptive = self.adaptive();
        let date = header(headers, "date");
        let meta = ResponseMeta {
            status,
            request_id: request_id(headers).map(str::to_string),
            extended_request_id: header(headers, "x-amz-id-2").map(str::to_string),
            cf_id: header(headers, "x-amz-cf-id").map(str::to_string),
        };
        match parse_response(status, headers, body) {
            Ok(output) => {
                call.state.succeed(&mut self.quota);
                if adaptive {
                    self.limiter.update(now_ms / 1000.0, false);
                }
                // Keep the offset right for later calls (the SDKs do it on success too).
                if let Some(server_s) = date.and_then(crate::retry::parse_http_date) {
                    if let Some(new) = crate::retry::updated_clock_offset(
                        server_s as f64 * 1000.0,
                        now_ms,
                        self.clock_offset_ms,
                    ) {
                        self.clock_offset_ms = new;
                    }
                }
                Outcome::Done(output, meta)
            }
            Err(error) => {
                if adaptive {
                    self.limiter.update(now_ms / 1000.0, error.throttling);
                }
                if let Some(new) = crate::retry::clock_skew_correction(
                    &error,
                    date,
                    now_ms,
                    self.clock_offset_ms,
                    call.state.skew_corrected,
                ) {
                    self.clock_offset_ms = new;
                    call.state.skew_corrected = true;
                    call.skew_resend = true;
                    return Outcome::Resign {
                        code: error.code,
                        offset_ms: new,
                        meta,
                    };
                }
                let class = classify(&Failure::Service(&error));
                let hint = crate::retry::retry_after_ms(headers, now_ms);
                let next = self.fail(call, class, hint, rand);
                Outcome::Failed {
                    error,
                    class,
                    next,
                    meta,
                }
            }
        }
    }

    /// The current attempt got no response at `now_ms`: a connection error, or the per-attempt
    /// timeout when `timeout` is true.
    pub fn on_no_response(
        &mut self,
        call: &mut Call,
        timeout: bool,
        now_ms: f64,
        rand: f64,
    ) -> (FailureClass, Next) {
        let class = classify(if timeout {
            &Failure::Timeout
        } else {
            &Failure::Connection
        });
        if self.adaptive() {
            // Connection errors and timeouts count as non-throttling outcomes, as in the SDK.
            self.limiter.update(now_ms / 1000.0, false);
        }
        (class, self.fail(call, class, None, rand))
    }

    /// The `shouldRetry` hook's verdict about the failure that asked for it.
    pub fn verdict(&mut self, call: &mut Call, verdict: bool, rand: f64) -> Next {
        let (class, hint) = call
            .pending
            .take()
            .unwrap_or((FailureClass::ClientError, None));
        let d = call.state.fail(
            &self.policy,
            &mut self.quota,
            class,
            Some(verdict),
            hint,
            rand,
        );
        next_of(d)
    }

    /// Decides now, or (with a hook and a retry possible) keeps the failure for [`Client::verdict`].
    fn fail(&mut self, call: &mut Call, class: FailureClass, hint: Option<f64>, rand: f64) -> Next {
        if self.has_hook && self.policy.attempts_left(call.state.policy_attempts) {
            call.pending = Some((class, hint));
            return Next::AskHook;
        }
        next_of(
            call.state
                .fail(&self.policy, &mut self.quota, class, None, hint, rand),
        )
    }
}

fn next_of(d: Decision) -> Next {
    match d {
        Decision::Retry { delay_ms, .. } => Next::Retry(delay_ms),
        Decision::Stop(reason) => Next::Stop(reason),
    }
}
