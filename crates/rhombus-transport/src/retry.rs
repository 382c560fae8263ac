//! The retry policy: a pure function from one failed attempt to "retry after D" or "stop".

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode, header::RETRY_AFTER};

/// The most jitter added to a `Retry-After` wait.
const RETRY_AFTER_SPREAD: Duration = Duration::from_secs(1);

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy)]
pub enum Failure<'a> {
    /// The server answered with a non-success HTTP status.
    Status(StatusCode, &'a HeaderMap),
    /// The exchange failed below HTTP.
    Transport(TransportFailure),
}

/// A failure below HTTP status level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportFailure {
    /// Could not connect (refused, DNS, TLS handshake); the request was not sent.
    Connect,
    /// The connection was reset or closed before a response arrived.
    ConnectionReset,
    /// The response body ended early (connection dropped mid-body, or truncated JSON).
    TruncatedBody,
    /// The attempt ran past the per-attempt timeout.
    AttemptTimeout,
    /// HTTP 200 with an empty body (a transient fault of a server or proxy).
    EmptyBody,
    /// The server's TLS certificate was refused (unknown issuer, expired, wrong
    /// host name): permanent, not retried.
    Certificate,
    /// Anything else (not retried).
    Other,
}

/// The policy's answer for one failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again after this delay.
    Retry(Duration),
    /// Give up and report the failure.
    Stop,
}

/// Bounded exponential backoff with jitter, honouring `Retry-After`.
///
/// Retries 429 and 503 (after `Retry-After` when given, in seconds or as an HTTP date:
/// RFC 9110 has both carry it), 500, 502 and 504, connection failures and resets, truncated
/// and empty bodies, and attempt timeouts.
/// Never retries other statuses (400, 401, 403, ...). Without `Retry-After`, the delay
/// before retry `n` is drawn from `[d/2, d]` where `d = min(cap, base * 2^(n-1))`; with
/// it, from `[r, r + min(base, 1 s)]` (see [`retry_after_wait`](Self::retry_after_wait)).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use http::{HeaderMap, StatusCode};
/// use rhombus_transport::{Failure, RetryDecision, RetryPolicy};
///
/// let policy = RetryPolicy::default();
/// let headers = HeaderMap::new();
/// let unavailable = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &headers);
/// // Third attempt failed, jitter at its maximum: 4 s.
/// assert_eq!(
///     policy.decide_at(&unavailable, 3, SystemTime::now(), 1.0),
///     RetryDecision::Retry(Duration::from_secs(4))
/// );
/// let forbidden = Failure::Status(StatusCode::FORBIDDEN, &headers);
/// assert_eq!(policy.decide(&forbidden, 1), RetryDecision::Stop);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base: Duration,
    cap: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, base 1 s, cap 60 s, `Retry-After` honoured up to 5 minutes.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base: Duration::from_secs(1),
            cap: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(300),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries (one attempt).
    pub fn none() -> Self {
        RetryPolicy::default().with_max_attempts(1)
    }

    /// Sets the total number of attempts (first try included; at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff base and cap (tests use milliseconds).
    pub fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base = base;
        self.cap = cap.max(base);
        self
    }

    /// Sets the longest `Retry-After` honoured; longer requests are shortened to this.
    pub fn with_max_retry_after(mut self, max: Duration) -> Self {
        self.max_retry_after = max;
        self
    }

    /// Total number of attempts, first try included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The longest `Retry-After` honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether a failure is worth retrying at all (ignoring the attempt budget).
    pub fn is_retryable(failure: &Failure<'_>) -> bool {
        match failure {
            Failure::Status(status, _) => matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504),
            Failure::Transport(kind) => !matches!(
                kind,
                TransportFailure::Other | TransportFailure::Certificate
            ),
        }
    }

    /// Decides what to do after attempt number `attempt` (1-based) failed, using the
    /// current time and a random jitter.
    pub fn decide(&self, failure: &Failure<'_>, attempt: u32) -> RetryDecision {
        self.decide_at(failure, attempt, SystemTime::now(), fastrand::f64())
    }

    /// The pure form of [`decide`](Self::decide): `now` resolves HTTP-date `Retry-After`
    /// values, `jitter` in `[0, 1]` picks the backoff within `[d/2, d]` (or the wait
    /// within `[r, r + min(base, 1 s)]` after a `Retry-After` of `r`).
    pub fn decide_at(
        &self,
        failure: &Failure<'_>,
        attempt: u32,
        now: SystemTime,
        jitter: f64,
    ) -> RetryDecision {
        if attempt >= self.max_attempts || !Self::is_retryable(failure) {
            return RetryDecision::Stop;
        }
        let server_delay = match failure {
            Failure::Status(
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE,
                headers,
            ) => retry_after(headers, now),
            _ => None,
        };
        RetryDecision::Retry(match server_delay {
            Some(asked) => self.retry_after_wait(asked, jitter),
            None => self.backoff(attempt, jitter),
        })
    }

    /// The backoff delay after attempt `attempt` (1-based) with `jitter` in `[0, 1]`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = 2u32.saturating_pow(attempt.saturating_sub(1));
        let full = self.base.saturating_mul(exp).min(self.cap);
        full.mul_f64(0.5 + 0.5 * unit(jitter))
    }

    /// The wait for a server's `Retry-After` of `asked` with `jitter` in `[0, 1]`:
    /// what it asked (at most [`max_retry_after`](Self::max_retry_after)) plus up
    /// to one backoff base (at most a second) more, so clients told the same
    /// moment (all the keys of an organization share one rate limit) do not all
    /// come back at once; `Retry-After: 0` too.
    pub fn retry_after_wait(&self, asked: Duration, jitter: f64) -> Duration {
        let spread = self.base.min(RETRY_AFTER_SPREAD);
        asked
            .min(self.max_retry_after)
            .saturating_add(spread.mul_f64(unit(jitter)))
    }
}

/// A jitter as a fraction in `[0, 1]` (a value that is not a number counts as 1).
fn unit(jitter: f64) -> f64 {
    if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// Parses a `Retry-After` header: delay-seconds or an HTTP date (relative to `now`;
/// dates in the past mean "now").
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn policy() -> RetryPolicy {
        RetryPolicy::default()
    }

    fn status(code: u16) -> (StatusCode, HeaderMap) {
        (StatusCode::from_u16(code).unwrap(), HeaderMap::new())
    }

    #[test]
    fn retries_transient_statuses_and_never_client_errors() {
        for code in [429, 500, 502, 503, 504] {
            let (s, h) = status(code);
            assert!(
                matches!(
                    policy().decide(&Failure::Status(s, &h), 1),
                    RetryDecision::Retry(_)
                ),
                "{code}"
            );
        }
        for code in [400, 401, 403, 404, 410, 501] {
            let (s, h) = status(code);
            assert_eq!(
                policy().decide(&Failure::Status(s, &h), 1),
                RetryDecision::Stop,
                "{code}"
            );
        }
    }

    #[test]
    fn transport_failures() {
        for kind in [
            TransportFailure::Connect,
            TransportFailure::ConnectionReset,
            TransportFailure::TruncatedBody,
            TransportFailure::AttemptTimeout,
            TransportFailure::EmptyBody,
        ] {
            assert!(RetryPolicy::is_retryable(&Failure::Transport(kind)));
        }
        for kind in [TransportFailure::Other, TransportFailure::Certificate] {
            assert!(!RetryPolicy::is_retryable(&Failure::Transport(kind)));
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let p = policy().with_max_attempts(3);
        let f = Failure::Transport(TransportFailure::ConnectionReset);
        assert!(matches!(p.decide(&f, 1), RetryDecision::Retry(_)));
        assert!(matches!(p.decide(&f, 2), RetryDecision::Retry(_)));
        assert_eq!(p.decide(&f, 3), RetryDecision::Stop);
        assert_eq!(RetryPolicy::none().decide(&f, 1), RetryDecision::Stop);
        assert_eq!(RetryPolicy::default().max_attempts(), 5);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let p = policy();
        let now = SystemTime::UNIX_EPOCH;
        let f = Failure::Transport(TransportFailure::AttemptTimeout);
        assert_eq!(
            p.decide_at(&f, 1, now, 1.0),
            RetryDecision::Retry(Duration::from_secs(1))
        );
        assert_eq!(
            p.decide_at(&f, 1, now, 0.0),
            RetryDecision::Retry(Duration::from_millis(500))
        );
        assert_eq!(
            p.decide_at(&f, 3, now, 1.0),
            RetryDecision::Retry(Duration::from_secs(4))
        );
        let capped = p.clone().with_max_attempts(100);
        assert_eq!(capped.backoff(7, 1.0), Duration::from_secs(60));
        assert_eq!(capped.backoff(99, 1.0), Duration::from_secs(60));
        assert_eq!(capped.backoff(99, 0.0), Duration::from_secs(30));
        assert_eq!(capped.backoff(2, f64::NAN), Duration::from_secs(2));
        let fast = p.with_backoff(Duration::from_millis(2), Duration::from_millis(5));
        assert_eq!(fast.backoff(1, 1.0), Duration::from_millis(2));
        assert_eq!(fast.backoff(4, 1.0), Duration::from_millis(5));
    }

    #[test]
    fn backoff_stays_within_bounds_and_never_shrinks() {
        let policies = [
            RetryPolicy::default(),
            policy().with_backoff(Duration::from_millis(3), Duration::from_millis(50)),
            policy().with_backoff(Duration::ZERO, Duration::ZERO),
        ];
        for p in policies {
            for jitter in [0.0, 0.25, 0.5, 0.99, 1.0] {
                let mut previous = Duration::ZERO;
                for attempt in 1..=200 {
                    let full = p
                        .base
                        .saturating_mul(2u32.saturating_pow(attempt - 1))
                        .min(p.cap);
                    let delay = p.backoff(attempt, jitter);
                    assert!(
                        delay <= full && delay >= full / 2,
                        "{p:?} {attempt} {jitter}"
                    );
                    assert!(delay >= previous, "{p:?} {attempt} {jitter}");
                    previous = delay;
                }
            }
        }
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &h);
        assert_eq!(
            policy().decide_at(&f, 1, now, 0.0),
            RetryDecision::Retry(Duration::from_secs(7))
        );

        let date = httpdate::fmt_http_date(now + Duration::from_secs(12));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&date).unwrap());
        let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &h);
        assert_eq!(
            policy().decide_at(&f, 1, now, 0.0),
            RetryDecision::Retry(Duration::from_secs(12))
        );

        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        h.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));

        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &h);
        assert_eq!(
            policy().decide_at(&f, 2, now, 1.0),
            RetryDecision::Retry(Duration::from_secs(2)),
            "unparseable Retry-After falls back to backoff"
        );
    }

    #[test]
    fn retry_after_waits_get_jitter_even_at_zero() {
        let now = SystemTime::UNIX_EPOCH;
        let p = policy().with_backoff(Duration::from_millis(400), Duration::from_secs(60));
        let mut h = HeaderMap::new();
        for (asked, seconds) in [("0", 0), ("7", 7)] {
            h.insert(RETRY_AFTER, HeaderValue::from_str(asked).unwrap());
            let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &h);
            let asked = Duration::from_secs(seconds);
            let waits: Vec<_> = [0.0, 0.25, 1.0, f64::NAN]
                .map(|jitter| p.decide_at(&f, 1, now, jitter))
                .to_vec();
            let ms = |n| RetryDecision::Retry(asked + Duration::from_millis(n));
            assert_eq!(
                waits,
                [ms(0), ms(100), ms(400), ms(400)],
                "Retry-After: {seconds}"
            );
        }
        // A date in the past is a wait of zero, jittered the same way.
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_str(&httpdate::fmt_http_date(now)).unwrap(),
        );
        let f = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &h);
        assert_eq!(
            p.decide_at(&f, 1, now + Duration::from_secs(9), 0.5),
            RetryDecision::Retry(Duration::from_millis(200))
        );
        let uncapped = p.with_max_retry_after(Duration::MAX);
        assert_eq!(
            uncapped.retry_after_wait(Duration::MAX, 1.0),
            Duration::MAX,
            "saturates"
        );
    }

    #[test]
    fn retry_after_is_capped_and_only_for_429_and_503() {
        let now = SystemTime::UNIX_EPOCH;
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("3600"));
        let p = policy().with_max_retry_after(Duration::from_millis(20));
        let f = Failure::Status(StatusCode::TOO_MANY_REQUESTS, &h);
        assert_eq!(
            p.decide_at(&f, 1, now, 0.0),
            RetryDecision::Retry(Duration::from_millis(20))
        );
        let f = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &h);
        assert_eq!(
            p.decide_at(&f, 1, now, 1.0),
            RetryDecision::Retry(Duration::from_millis(1020)),
            "the cap, plus the jitter"
        );
        let slow = p
            .clone()
            .with_backoff(Duration::from_secs(60), Duration::from_secs(60));
        assert_eq!(
            slow.decide_at(&f, 1, now, 1.0),
            RetryDecision::Retry(Duration::from_millis(1020)),
            "a second of jitter at most"
        );
        for other in [StatusCode::INTERNAL_SERVER_ERROR, StatusCode::BAD_GATEWAY] {
            let f = Failure::Status(other, &h);
            assert_eq!(
                p.decide_at(&f, 1, now, 1.0),
                RetryDecision::Retry(Duration::from_secs(1)),
                "{other}: backoff, not Retry-After"
            );
        }
    }
}
