//! Retry policy, back-off, retry quota, adaptive rate limiting and clock-skew correction.
//!
//! Pure functions from data to data, like the rest of the core: time arrives as numbers (unix
//! milliseconds, or seconds as `f64` for the rate limiter) and randomness as an `f64` in `[0, 1)`,
//! so every decision is deterministic under test. The binding layer owns the clock, the random
//! source, the sleeps and the HTTP attempts.
//!
//! The behaviour follows the AWS SDKs' retry modes (`@smithy/util-retry` of the AWS JS SDK v3,
//! `StandardRetryStrategy`, `AdaptiveRetryStrategy` and `DefaultRateLimiter`, and the
//! cross-SDK "standard" retry specification):
//!
//! * **standard**: at most `max_attempts` attempts (default 3); retry throttling
//!   (`ThrottlingException`, HTTP 429, ...) and transient failures (`InternalServiceException`,
//!   HTTP 500/502/503/504, connection errors, per-attempt timeouts), never client errors such as
//!   validation, access or signature errors; sleep `floor(rand × min(base × 2^retries, 20 s))`
//!   (full jitter) with `base` 100 ms, or 500 ms after throttling; every retry draws from a
//!   per-client [`RetryQuota`] (500 tokens, 5 per throttling retry, 10 per transient retry,
//!   refunded on success) so a long outage does not multiply traffic.
//! * **adaptive**: standard plus a client-side send rate ([`RateLimiter`], CUBIC) that drops on
//!   throttling and recovers, shared by all calls of a client.
//! * **off**: one attempt.
//!
//! Clock skew: when the service says the signature expired or the time is skewed, the offset
//! comes from the response `Date` header (or the server time quoted in the message), the
//! request is re-signed and sent once more; see [`clock_skew_correction`].
//!
//! Note on duplicates: SendChatIntegrationEvent has no idempotency token, so a retried request
//! whose first attempt reached the service (a dropped connection, a timeout, a 5xx after
//! processing) may be processed twice. Callers that prefer loss-reporting over duplicates use
//! mode `off` or a `shouldRetry` hook.

use crate::errors::ServiceError;
pub use crate::http_date::parse_http_date;

/// Default number of attempts (first try plus retries), as in the AWS SDKs.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Largest `max_attempts` accepted; more is a configuration mistake, not resilience.
pub const MAX_MAX_ATTEMPTS: u32 = 100;
/// Back-off base for non-throttling retries, in milliseconds (`DEFAULT_RETRY_DELAY_BASE`).
pub const DEFAULT_RETRY_DELAY_BASE_MS: f64 = 100.0;
/// Back-off base after throttling, in milliseconds (`THROTTLING_RETRY_DELAY_BASE`).
pub const THROTTLING_RETRY_DELAY_BASE_MS: f64 = 500.0;
/// Cap of one back-off sleep, in milliseconds (`MAXIMUM_RETRY_DELAY`).
pub const MAXIMUM_RETRY_DELAY_MS: f64 = 20_000.0;
/// Tokens in a fresh retry quota (`INITIAL_RETRY_TOKENS`).
pub const INITIAL_RETRY_TOKENS: u32 = 500;
/// Quota cost of a retry after throttling (`RETRY_COST`).
pub const RETRY_COST: u32 = 5;
/// Quota cost of a retry after a transient failure: timeouts, connection errors, 5xx
/// (`TIMEOUT_RETRY_COST`; the JS SDK charges it for its whole `TRANSIENT` class).
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens returned to the quota by a success that needed no retry (`NO_RETRY_INCREMENT`).
pub const NO_RETRY_INCREMENT: u32 = 1;
/// A retry-after hint may lengthen a back-off by at most this much, in milliseconds.
pub const RETRY_AFTER_EXTRA_MS: f64 = 5_000.0;
/// Name of the header that tells the service which attempt this is.
pub const REQUEST_HEADER: &str = "amz-sdk-request";
/// A clock is corrected when it is this far (milliseconds) from the server's (the SDKs' rule).
pub const CLOCK_SKEW_THRESHOLD_MS: f64 = 300_000.0;

/// A bad retry configuration value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryConfigError {
    /// `retryMode` is not one of the known modes.
    UnknownMode(String),
    /// `maxAttempts` is out of range.
    MaxAttempts {
        /// The value given, as text.
        got: String,
        /// The largest value allowed.
        max: u32,
    },
}

impl RetryConfigError {
    /// The human-readable message (the `Display` text).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for RetryConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::UnknownMode(got) => write!(
                f,
                "retryMode must be 'standard', 'adaptive' or 'off'; got '{got}'"
            ),
            Self::MaxAttempts { got, max } => {
                write!(
                    f,
                    "maxAttempts must be an integer from 1 to {max}; got {got}"
                )
            }
        }
    }
}

impl std::error::Error for RetryConfigError {}

/// How a client retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryMode {
    /// Retries with exponential back-off, full jitter and a retry quota.
    #[default]
    Standard,
    /// Standard plus a client-side rate limiter that slows down on throttling.
    Adaptive,
    /// One attempt, no retries.
    Off,
}

impl RetryMode {
    /// Parses `'standard' | 'adaptive' | 'off'` (as the JS option spells them).
    pub fn parse(s: &str) -> Result<RetryMode, RetryConfigError> {
        match s {
            "standard" => Ok(RetryMode::Standard),
            "adaptive" => Ok(RetryMode::Adaptive),
            "off" => Ok(RetryMode::Off),
            other => Err(RetryConfigError::UnknownMode(
                crate::text::first_chars(other, 40).to_string(),
            )),
        }
    }

    /// The option's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
            RetryMode::Off => "off",
        }
    }
}

/// Checks a `maxAttempts` value given as a JS number.
pub fn parse_max_attempts(v: f64) -> Result<u32, RetryConfigError> {
    if v.fract() == 0.0 && (1.0..=f64::from(MAX_MAX_ATTEMPTS)).contains(&v) {
        Ok(v as u32)
    } else {
        Err(RetryConfigError::MaxAttempts {
            got: v.to_string(),
            max: MAX_MAX_ATTEMPTS,
        })
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// The service answered with an error.
    Service(&'a ServiceError),
    /// No response: the connection was refused, reset or dropped, or the body could not be read.
    Connection,
    /// The per-attempt timeout fired before the response was complete.
    Timeout,
}

/// The SDKs' error classes (`errorType` of `@smithy/util-retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureClass {
    /// Throttling: retried with the longer back-off base and the smaller quota cost.
    Throttling,
    /// Transient: 5xx gateway/internal errors, timeouts, connection failures; retried.
    Transient,
    /// Another server error (e.g. 501): not retried.
    ServerError,
    /// A client error (validation, access, signature, not found): never retried.
    ClientError,
}

impl FailureClass {
    /// Whether the standard policy retries this class.
    pub fn is_retryable(self) -> bool {
        matches!(self, FailureClass::Throttling | FailureClass::Transient)
    }

    /// Upper-case name as the SDK spells it (`THROTTLING`, ...), for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureClass::Throttling => "THROTTLING",
            FailureClass::Transient => "TRANSIENT",
            FailureClass::ServerError => "SERVER_ERROR",
            FailureClass::ClientError => "CLIENT_ERROR",
        }
    }
}

/// Classifies a failure like the SDK's `getRetryErrorType`: throttling first, then transient
/// (retryable codes and 500/502/503/504, timeouts, connection errors), then server or client.
pub fn classify(failure: &Failure<'_>) -> FailureClass {
    match failure {
        Failure::Connection | Failure::Timeout => FailureClass::Transient,
        Failure::Service(se) => {
            if se.throttling {
                FailureClass::Throttling
            } else if se.retryable {
                FailureClass::Transient
            } else if se.status >= 500 {
                FailureClass::ServerError
            } else {
                FailureClass::ClientError
            }
        }
    }
}

/// The retry quota: a token bucket per client that every retry draws from and successes
/// refill, so that during an outage clients fall back to single attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryQuota {
    capacity: u32,
    max: u32,
}

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota::new(INITIAL_RETRY_TOKENS)
    }
}

impl RetryQuota {
    /// A full quota of `max` tokens.
    pub fn new(max: u32) -> Self {
        RetryQuota { capacity: max, max }
    }

    /// Tokens left.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Takes `cost` tokens if there are that many; `false` (and nothing taken) otherwise.
    pub fn try_acquire(&mut self, cost: u32) -> bool {
        if self.capacity >= cost {
            self.capacity -= cost;
            true
        } else {
            false
        }
    }

    /// A call succeeded: refund the cost of its last retry, or [`NO_RETRY_INCREMENT`] when it
    /// needed none (`recordSuccess`), up to the maximum.
    pub fn record_success(&mut self, last_retry_cost: Option<u32>) {
        let refund = last_retry_cost.unwrap_or(NO_RETRY_INCREMENT);
        self.capacity = self.capacity.saturating_add(refund).min(self.max);
    }
}

/// Why a failed attempt is not retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopReason {
    /// Retry mode `off`.
    Off,
    /// The attempt was the last one `max_attempts` allows.
    MaxAttempts,
    /// The failure is not retryable (or the `shouldRetry` hook said no).
    NotRetryable,
    /// The retry quota has fewer tokens than the retry costs.
    QuotaExhausted,
}

impl StopReason {
    /// A short, stable name for logs and errors.
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Off => "retries-off",
            StopReason::MaxAttempts => "max-attempts",
            StopReason::NotRetryable => "not-retryable",
            StopReason::QuotaExhausted => "retry-quota-exhausted",
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Decision {
    /// Sleep `delay_ms`, then send again; `cost` tokens were taken from the quota.
    Retry {
        /// Back-off before the next attempt, in whole milliseconds.
        delay_ms: f64,
        /// Quota tokens this retry cost (refunded if the call then succeeds).
        cost: u32,
    },
    /// Surface the error.
    Stop(StopReason),
}

/// The retry settings of a client. Immutable; the mutable parts are [`RetryQuota`],
/// [`RateLimiter`] (per client) and [`CallState`] (per call).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Retry mode.
    pub mode: RetryMode,
    /// Attempts per call, including the first (1 means no retries).
    pub max_attempts: u32,
    /// Back-off base for transient failures, in milliseconds.
    pub base_delay_ms: f64,
    /// Back-off base after throttling, in milliseconds.
    pub throttling_base_delay_ms: f64,
    /// Cap of one back-off, in milliseconds.
    pub max_delay_ms: f64,
    /// Quota cost of a retry after throttling.
    pub retry_cost: u32,
    /// Quota cost of a retry after a transient failure.
    pub timeout_retry_cost: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new(RetryMode::Standard, DEFAULT_MAX_ATTEMPTS)
    }
}

impl RetryPolicy {
    /// The SDK defaults for a mode and a number of attempts (`off` means one attempt).
    pub fn new(mode: RetryMode, max_attempts: u32) -> Self {
        RetryPolicy {
            mode,
            max_attempts: if mode == RetryMode::Off {
                1
            } else {
                max_attempts.max(1)
            },
            base_delay_ms: DEFAULT_RETRY_DELAY_BASE_MS,
            throttling_base_delay_ms: THROTTLING_RETRY_DELAY_BASE_MS,
            max_delay_ms: MAXIMUM_RETRY_DELAY_MS,
            retry_cost: RETRY_COST,
            timeout_retry_cost: TIMEOUT_RETRY_COST,
        }
    }

    /// Whether a call can make more than one attempt (and so sends `amz-sdk-request`).
    pub fn retries_enabled(&self) -> bool {
        self.mode != RetryMode::Off && self.max_attempts > 1
    }

    /// Whether a retry is possible at all after `attempt` (1-based) failed; when not, there is
    /// no point in asking a `shouldRetry` hook.
    pub fn attempts_left(&self, attempt: u32) -> bool {
        self.retries_enabled() && attempt < self.max_attempts
    }

    /// Quota cost of retrying a failure of this class.
    pub fn cost(&self, class: FailureClass) -> u32 {
        if class == FailureClass::Throttling {
            self.retry_cost
        } else {
            self.timeout_retry_cost
        }
    }

    /// The back-off before retry number `retries + 1` (`retries` = retries made so far):
    /// `floor(rand × min(base × 2^retries, cap))`, with the throttling base after throttling.
    pub fn backoff_ms(&self, class: FailureClass, retries: u32, rand: f64) -> f64 {
        let base = if class == FailureClass::Throttling {
            self.throttling_base_delay_ms
        } else {
            self.base_delay_ms
        };
        backoff_ms(base, self.max_delay_ms, retries, rand)
    }

    /// Decides about a failed attempt and, when it retries, takes the cost from `quota`.
    ///
    /// * `attempt`: the 1-based number of the attempt that failed (clock-skew re-sends excluded);
    /// * `verdict`: a `shouldRetry` hook's answer, which replaces the class's retryability;
    /// * `retry_after_ms`: a server hint (`x-amz-retry-after`, `Retry-After`), which may lengthen
    ///   the back-off by at most [`RETRY_AFTER_EXTRA_MS`];
    /// * `rand`: uniform in `[0, 1)` for the jitter.
    pub fn decide(
        &self,
        quota: &mut RetryQuota,
        class: FailureClass,
        attempt: u32,
        verdict: Option<bool>,
        retry_after_ms: Option<f64>,
        rand: f64,
    ) -> Decision {
        if self.mode == RetryMode::Off {
            return Decision::Stop(StopReason::Off);
        }
        if !verdict.unwrap_or_else(|| class.is_retryable()) {
            return Decision::Stop(StopReason::NotRetryable);
        }
        if !self.attempts_left(attempt) {
            return Decision::Stop(StopReason::MaxAttempts);
        }
        let cost = self.cost(class);
        if !quota.try_acquire(cost) {
            return Decision::Stop(StopReason::QuotaExhausted);
        }
        let mut delay_ms = self.backoff_ms(class, attempt.saturating_sub(1), rand);
        if let Some(hint) = retry_after_ms.filter(|h| h.is_finite()) {
            delay_ms = delay_ms.max(hint.min(delay_ms + RETRY_AFTER_EXTRA_MS).floor());
        }
        Decision::Retry { delay_ms, cost }
    }
}

/// Full-jitter exponential back-off: `floor(rand × min(base × 2^retries, cap))` milliseconds.
/// `rand` is clamped to `[0, 1]`; a non-finite one counts as 0.
pub fn backoff_ms(base_ms: f64, cap_ms: f64, retries: u32, rand: f64) -> f64 {
    let rand = if rand.is_finite() {
        rand.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // The cap applies long before 2^64; stopping there keeps the exponent an `i32`, and
    // 2^64 × base overflows nothing in f64. Powers of two are exact.
    let envelope = base_ms * 2f64.powi(retries.min(64) as i32);
    (rand * envelope.min(cap_ms)).floor().max(0.0)
}

/// The `amz-sdk-request` header value: `attempt=N; max=M`.
pub fn request_header_value(attempt: u32, max_attempts: u32) -> String {
    format!("attempt={attempt}; max={max_attempts}")
}

/// The server's retry-after hint in milliseconds from now: `x-amz-retry-after` (milliseconds),
/// else `Retry-After` (seconds, or an HTTP date compared with `now_ms`). Negative hints are 0.
pub fn retry_after_ms(headers: &[(String, String)], now_ms: f64) -> Option<f64> {
    if let Some(v) = crate::errors::header(headers, "x-amz-retry-after") {
        return parse_decimal(v).map(|n| n.max(0.0));
    }
    let v = crate::errors::header(headers, "retry-after")?;
    if let Some(secs) = parse_decimal(v) {
        return Some((secs * 1000.0).max(0.0));
    }
    let at = parse_http_date(v)?;
    Some((at as f64 * 1000.0 - now_ms).max(0.0))
}

/// A finite decimal number `[+-]digits[.digits][e[+-]digits]` (what a retry-after header
/// holds; either side of the point may be empty, not both). `None` for anything else.
///
/// The grammar is `str::parse::<f64>`'s without its `inf`, `infinity` and `NaN` words; values
/// too large for an `f64` (`1e309`) are refused. Why not `str::parse`: std's correctly rounded
/// float parser and its tables are ~10 KB of the browser wasm, for a header that holds whole
/// seconds or milliseconds. The value is the digits as an integer (the first 19 significant
/// ones) times a power of ten: exactly std's result while both are exact in an `f64` (integers
/// up to 2^53, powers up to 10^22: every real header), otherwise within a relative 1e-13 of it
/// (tests/retry.rs); below 1e-300 (a wait of 0 ms either way) the result may be 0.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return None;
    }
    // The exponent, saturated: beyond ±100,000 the value is 0 or too large whatever the digits.
    let mut exp: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (sign, e) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            if e.is_empty() || !digits(e) {
                return None;
            }
            sign * e
                .bytes()
                .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(100_000))
        }
    };
    // The significant digits as an integer (at most 19, which a u64 holds); the exponent
    // accounts for the dropped ones and for those after the point.
    let mut n: u64 = 0;
    let mut kept = 0;
    for (i, b) in int.bytes().chain(frac.bytes()).enumerate() {
        let after_point = i >= int.len();
        if n == 0 && b == b'0' {
            exp -= i64::from(after_point);
        } else if kept < 19 {
            n = n * 10 + u64::from(b - b'0');
            kept += 1;
            exp -= i64::from(after_point);
        } else {
            exp += i64::from(!after_point);
        }
    }
    let value = scale(n as f64, exp);
    let value = if negative { -value } else { value };
    value.is_finite().then_some(value)
}

/// `x × 10^exp`: one correctly rounded multiplication or division while the power is exact
/// (up to 10^22), else in steps that neither overflow nor underflow early.
fn scale(x: f64, exp: i64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let mut x = x;
    let mut exp = exp;
    while exp > 22 {
        x *= 1e22;
        exp -= 22;
        if x.is_infinite() {
            return x;
        }
    }
    while exp < -22 {
        x /= 1e22;
        exp += 22;
        if x == 0.0 {
            return x;
        }
    }
    let power = 10f64.powi(exp.unsigned_abs() as i32);
    if exp >= 0 {
        x * power
    } else {
        x / power
    }
}

/// Per-call bookkeeping: attempts made, retries, back-off time and the last retry's cost.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallState {
    /// HTTP attempts made so far, including a clock-skew re-send (`$metadata.attempts`).
    pub attempts: u32,
    /// Attempts that count against `max_attempts` (clock-skew re-sends excluded).
    pub policy_attempts: u32,
    /// Milliseconds slept between attempts (`$metadata.totalRetryDelay`).
    pub total_retry_delay_ms: f64,
    /// Whether the clock was already corrected in this call (only once per call).
    pub skew_corrected: bool,
    /// Quota cost of the last retry, refunded on success.
    pub last_retry_cost: Option<u32>,
}

impl CallState {
    /// A call that has made no attempt yet.
    pub fn new() -> Self {
        CallState::default()
    }

    /// Starts an attempt and returns the `(attempt, max)` pair for `amz-sdk-request`.
    pub fn begin_attempt(&mut self, policy: &RetryPolicy, skew_resend: bool) -> (u32, u32) {
        self.attempts = self.attempts.saturating_add(1);
        if !skew_resend {
            self.policy_attempts = self.policy_attempts.saturating_add(1);
        }
        // A clock-skew re-send is one more attempt than the policy's maximum allows.
        (self.attempts, policy.max_attempts.max(self.attempts))
    }

    /// Records a success in the quota (a refund).
    pub fn succeed(&self, quota: &mut RetryQuota) {
        quota.record_success(self.last_retry_cost);
    }

    /// Decides about the failed attempt (see [`RetryPolicy::decide`]) and books the retry.
    pub fn fail(
        &mut self,
        policy: &RetryPolicy,
        quota: &mut RetryQuota,
        class: FailureClass,
        verdict: Option<bool>,
        retry_after_ms: Option<f64>,
        rand: f64,
    ) -> Decision {
        let d = policy.decide(
            quota,
            class,
            self.policy_attempts,
            verdict,
            retry_after_ms,
            rand,
        );
        if let Decision::Retry { delay_ms, cost } = d {
            self.total_retry_delay_ms += delay_ms;
            self.last_retry_cost = Some(cost);
        }
        d
    }
}

// ---------------------------------------------------------------------------------------------
// Adaptive mode: the client-side rate limiter.

/// The adaptive mode's client-side rate limiter: a token bucket whose fill rate follows CUBIC
/// congestion control, a port of the AWS SDKs' `DefaultRateLimiter`. It is off until the first
/// throttling response; then each throttle multiplies the rate by `beta` (0.7) and successes
/// grow it back along a cubic curve. Time is unix seconds as `f64`, injected by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimiter {
    beta: f64,
    min_capacity: f64,
    min_fill_rate: f64,
    scale_constant: f64,
    smooth: f64,
    enabled: bool,
    available_tokens: f64,
    last_max_rate: f64,
    measured_tx_rate: f64,
    request_count: f64,
    fill_rate: f64,
    last_throttle_time: f64,
    last_timestamp: Option<f64>,
    last_tx_rate_bucket: f64,
    max_capacity: f64,
    time_window: f64,
}

/// Rounds to 8 decimals, as the SDK's `getPrecise` (`parseFloat(n.toFixed(8))`).
#[inline(never)]
fn precise(n: f64) -> f64 {
    if n.is_finite() {
        (n * 1e8).round() / 1e8
    } else {
        n
    }
}

impl RateLimiter {
    /// A limiter with the SDK's constants, created at time `now` (seconds).
    pub fn new(now: f64) -> Self {
        RateLimiter {
            beta: 0.7,
            min_capacity: 1.0,
            min_fill_rate: 0.5,
            scale_constant: 0.4,
            smooth: 0.8,
            enabled: false,
            available_tokens: 0.0,
            last_max_rate: 0.0,
            measured_tx_rate: 0.0,
            request_count: 0.0,
            fill_rate: 0.5,
            last_throttle_time: now,
            last_timestamp: None,
            last_tx_rate_bucket: now.floor(),
            max_capacity: 1.0,
            time_window: 0.0,
        }
    }

    /// Whether the limiter throttles sends (after the first throttling response).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Current allowed send rate, in requests per second.
    pub fn fill_rate(&self) -> f64 {
        self.fill_rate
    }

    /// Smoothed measured send rate, in requests per second.
    pub fn measured_rate(&self) -> f64 {
        self.measured_tx_rate
    }

    /// Tries to take one send token at `now`. `None`: go ahead. `Some(wait)`: sleep `wait`
    /// seconds and call again (the SDK's `acquireTokenBucket` loop, one turn at a time).
    pub fn acquire(&mut self, now: f64) -> Option<f64> {
        if !self.enabled {
            return None;
        }
        self.refill(now);
        // A deficit below a nanotoken is rounding: waiting for it could spin forever when the
        // wait is smaller than the clock's resolution.
        if 1.0 - self.available_tokens > 1e-9 {
            let wait = (1.0 - self.available_tokens) / self.fill_rate;
            return Some(if wait.is_finite() { wait.max(0.0) } else { 1.0 });
        }
        self.available_tokens = (self.available_tokens - 1.0).max(0.0);
        None
    }

    /// Feeds the outcome of an attempt at `now` (`updateClientSendingRate`).
    pub fn update(&mut self, now: f64, throttled: bool) {
        self.update_measured_rate(now);
        let calculated = if throttled {
            let rate = if self.enabled {
                self.measured_tx_rate.min(self.fill_rate)
            } else {
                self.measured_tx_rate
            };
            self.last_max_rate = rate;
            self.calculate_time_window();
            self.last_throttle_time = now;
            self.enabled = true;
            precise(rate * self.beta)
        } else {
            self.calculate_time_window();
            precise(
                self.scale_constant * (now - self.last_throttle_time - self.time_window).powi(3)
                    + self.last_max_rate,
            )
        };
        let new_rate = calculated.min(2.0 * self.measured_tx_rate);
        self.refill(now);
        self.fill_rate = new_rate.max(self.min_fill_rate);
        self.max_capacity = new_rate.max(self.min_capacity);
        self.available_tokens = self.available_tokens.min(self.max_capacity);
    }

    fn refill(&mut self, now: f64) {
        let Some(last) = self.last_timestamp else {
            self.last_timestamp = Some(now);
            return;
        };
        let fill = (now - last).max(0.0) * self.fill_rate;
        self.available_tokens = (self.available_tokens + fill).min(self.max_capacity);
        self.last_timestamp = Some(now);
    }

    fn calculate_time_window(&mut self) {
        self.time_window =
            precise((self.last_max_rate * (1.0 - self.beta) / self.scale_constant).cbrt());
    }

    fn update_measured_rate(&mut self, now: f64) {
        let bucket = (now * 2.0).floor() / 2.0;
        self.request_count += 1.0;
        if bucket > self.last_tx_rate_bucket {
            let current = self.request_count / (bucket - self.last_tx_rate_bucket);
            self.measured_tx_rate =
                precise(current * self.smooth + self.measured_tx_rate * (1.0 - self.smooth));
            self.request_count = 0.0;
            self.last_tx_rate_bucket = bucket;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Clock skew.

/// The offset (milliseconds, server minus local) to sign with from now on, when the server
/// time `server_ms` shows the local clock plus `offset_ms` is at least
/// [`CLOCK_SKEW_THRESHOLD_MS`] off; `None` when the current offset is good enough
/// (the SDKs' `getUpdatedSystemClockOffset`).
pub fn updated_clock_offset(server_ms: f64, local_now_ms: f64, offset_ms: f64) -> Option<f64> {
    if !server_ms.is_finite() || !local_now_ms.is_finite() {
        return None;
    }
    ((local_now_ms + offset_ms - server_ms).abs() >= CLOCK_SKEW_THRESHOLD_MS)
        .then_some(server_ms - local_now_ms)
}

/// The server time quoted in a SigV4 time error message, in unix seconds: AWS writes
/// `Signature expired: 20240101T000000Z is now earlier than 20240101T001000Z (20240101T001500Z - 5 min.)`
/// (and `... is still later than ... (T + 5 min.)`); the time in parentheses is the server's.
pub fn server_time_from_message(message: &str) -> Option<i64> {
    let (_, after) = message.rsplit_once('(')?;
    // `split` always yields a first piece.
    let stamp = after
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    if stamp.len() != 16 {
        return None;
    }
    crate::sigv4::parse_signing_date(stamp).ok()
}

/// Whether a clock-skew error should be corrected, and with which offset: the error is a
/// clock-skew error (`Signature expired`, `RequestTimeTooSkewed`, ...), this call has not
/// corrected yet, and the server time — from the `Date` header, else quoted in the message —
/// is at least [`CLOCK_SKEW_THRESHOLD_MS`] away from the local clock plus the current offset.
/// `Some(offset)`: store it, re-sign and send once more (no back-off, no quota: a request
/// rejected for its time was not processed).
pub fn clock_skew_correction(
    error: &ServiceError,
    date_header: Option<&str>,
    local_now_ms: f64,
    offset_ms: f64,
    already_corrected: bool,
) -> Option<f64> {
    if already_corrected || !error.clock_skew {
        return None;
    }
    let server_s = date_header
        .and_then(parse_http_date)
        .or_else(|| server_time_from_message(&error.message))?;
    updated_clock_offset(server_s as f64 * 1000.0, local_now_ms, offset_ms)
}
