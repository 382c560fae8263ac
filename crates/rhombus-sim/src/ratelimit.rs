//! The per-organisation rate limit: one token bucket per organisation,
//! shared by all its keys, running on simulated time.

use std::collections::HashMap;
use std::time::Duration;

/// How a rate-limited `429` says when to come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RetryAfterForm {
    /// `Retry-After: <seconds>`, rounded up.
    #[default]
    Seconds,
    /// `Retry-After: <HTTP date>`, the first whole second after a token is back.
    Date,
    /// No `Retry-After` header.
    Absent,
}

/// A token bucket per organisation: `burst` requests at once, then
/// `per_second` more each (simulated) second. An organisation is the client
/// org of a partner key (`x-auth-org`), or the key's own for other schemes.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimit {
    /// Requests an organisation may make at once (the bucket's size, at least 1).
    pub burst: u32,
    /// Tokens added per second of simulated time (a rate that is not positive
    /// and finite never refills: [`MAX_WAIT`] is then the wait).
    pub per_second: f64,
    /// How the `429` carries the wait.
    pub retry_after: RetryAfterForm,
}

/// The longest wait a `429` announces.
pub const MAX_WAIT: Duration = Duration::from_secs(86_400);

impl RateLimit {
    /// `burst` requests at once, `per_second` after that, `Retry-After` in seconds.
    pub fn new(burst: u32, per_second: f64) -> Self {
        Self {
            burst,
            per_second,
            retry_after: RetryAfterForm::Seconds,
        }
    }

    /// The same limit announcing its wait in `form`.
    pub fn with_retry_after(mut self, form: RetryAfterForm) -> Self {
        self.retry_after = form;
        self
    }
}

/// Tokens left and when they were counted.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Duration,
}

/// Every organisation's bucket.
#[derive(Debug, Default)]
pub(crate) struct Buckets(HashMap<String, Bucket>);

impl Buckets {
    /// Takes a token for `org` at simulated time `now`, or says how long
    /// (simulated) until one is back.
    pub(crate) fn take(
        &mut self,
        limit: &RateLimit,
        org: &str,
        now: Duration,
    ) -> Result<(), Duration> {
        let size = f64::from(limit.burst.max(1));
        let rate = if limit.per_second.is_finite() && limit.per_second > 0.0 {
            limit.per_second
        } else {
            0.0
        };
        let bucket = self.0.entry(org.to_owned()).or_insert(Bucket {
            tokens: size,
            at: now,
        });
        let gained = now.saturating_sub(bucket.at).as_secs_f64() * rate;
        bucket.tokens = (bucket.tokens + gained).min(size);
        bucket.at = bucket.at.max(now);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = if rate > 0.0 {
            Duration::try_from_secs_f64((1.0 - bucket.tokens) / rate).unwrap_or(MAX_WAIT)
        } else {
            MAX_WAIT
        };
        Err(wait.min(MAX_WAIT))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_drains_refills_and_is_per_organisation() {
        let limit = RateLimit::new(2, 0.5);
        let mut buckets = Buckets::default();
        let t0 = Duration::from_secs(100);
        assert_eq!(buckets.take(&limit, "a", t0), Ok(()));
        assert_eq!(buckets.take(&limit, "a", t0), Ok(()));
        assert_eq!(buckets.take(&limit, "a", t0), Err(Duration::from_secs(2)));
        assert_eq!(
            buckets.take(&limit, "b", t0),
            Ok(()),
            "another org has its own bucket"
        );
        let later = t0 + Duration::from_secs(1);
        assert_eq!(
            buckets.take(&limit, "a", later),
            Err(Duration::from_secs(1))
        );
        assert_eq!(
            buckets.take(&limit, "a", t0 + Duration::from_secs(2)),
            Ok(())
        );
        // Never more than the burst, however long the pause.
        let much_later = t0 + Duration::from_secs(3_600);
        assert_eq!(buckets.take(&limit, "a", much_later), Ok(()));
        assert_eq!(buckets.take(&limit, "a", much_later), Ok(()));
        assert!(buckets.take(&limit, "a", much_later).is_err());
    }

    #[test]
    fn a_rate_that_never_refills_waits_the_maximum() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let limit = RateLimit::new(0, rate);
            let mut buckets = Buckets::default();
            assert_eq!(buckets.take(&limit, "a", Duration::ZERO), Ok(()), "{rate}");
            assert_eq!(
                buckets.take(&limit, "a", Duration::ZERO),
                Err(MAX_WAIT),
                "{rate}"
            );
        }
    }
}
