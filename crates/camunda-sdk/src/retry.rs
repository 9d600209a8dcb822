//! When a failed request is sent again, and how long to wait first.

use crate::Error;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// Retry policy for one client (or one call, with [`crate::CamundaClient::with_retry_policy`]).
///
/// Every request is retried on backpressure (429, 503, `RESOURCE_EXHAUSTED`) and on connection
/// failures where the request never left this process: the server did not act on it. A request
/// that may have been acted on (timeout, reset after sending, 500/502/504) is retried only when
/// the operation is idempotent (reads, `PUT`, `DELETE`) or when
/// [`retry_ambiguous`](Self::retry_ambiguous) is set: repeating a create could create twice.
///
/// Waits use full jitter (`random(0, min(max, initial · 2ⁿ))`) and never less than the server's
/// `Retry-After`.
///
/// ```
/// use camunda_sdk::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default()
///     .max_attempts(5)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5));
/// assert_eq!(policy.get_max_attempts(), 5);
/// assert_eq!(RetryPolicy::none().get_max_attempts(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial: Duration,
    max: Duration,
    retry_ambiguous: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, waits from 200 ms up to 5 s.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial: Duration::from_millis(200),
            max: Duration::from_secs(5),
            retry_ambiguous: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// How many times a request is sent at most (the first attempt included; at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry and the cap on any wait.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial = initial;
        self.max = max.max(initial);
        self
    }

    /// Also retry non-idempotent requests after an ambiguous failure (timeout, 502, 504). Only
    /// for callers who make their creates idempotent themselves.
    pub fn retry_ambiguous(mut self, yes: bool) -> Self {
        self.retry_ambiguous = yes;
        self
    }

    /// The configured number of attempts.
    pub fn get_max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether attempt number `attempt` (1-based) that failed with `error` should be followed by
    /// another, for an operation that is (or is not) idempotent.
    pub fn should_retry(&self, error: &Error, idempotent: bool, attempt: u32) -> bool {
        if attempt >= self.max_attempts {
            return false;
        }
        match error {
            Error::Auth { retryable, .. } => *retryable,
            Error::Transport { not_sent: true, .. } => true,
            _ if error.is_backpressure() => true,
            _ if error.is_ambiguous() => idempotent || self.retry_ambiguous,
            _ => false,
        }
    }

    /// How long to wait before attempt `attempt + 1`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .initial
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
            .min(self.max);
        let jittered = exp.mul_f64(random_unit());
        match retry_after {
            Some(server) => jittered.max(server.min(Duration::from_secs(300))),
            None => jittered,
        }
    }
}

/// A random number in `[0, 1)`, from the standard library's randomly keyed hasher.
pub(crate) fn random_unit() -> f64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> Error {
        Error::Http {
            operation: "op",
            status,
            problem: None,
            body: None,
            retry_after: None,
        }
    }

    #[test]
    fn backpressure_retries_everything_ambiguous_only_idempotent() {
        let p = RetryPolicy::default();
        assert!(p.should_retry(&http(503), false, 1));
        assert!(p.should_retry(&http(429), false, 1));
        assert!(!p.should_retry(&http(504), false, 1));
        assert!(p.should_retry(&http(504), true, 1));
        assert!(!p.should_retry(&http(400), true, 1));
        assert!(!p.should_retry(&http(404), true, 1));
        assert!(
            p.clone()
                .retry_ambiguous(true)
                .should_retry(&http(504), false, 1)
        );
    }

    #[test]
    fn attempts_are_bounded() {
        let p = RetryPolicy::default().max_attempts(3);
        assert!(p.should_retry(&http(503), true, 2));
        assert!(!p.should_retry(&http(503), true, 3));
        assert!(!RetryPolicy::none().should_retry(&http(503), true, 1));
    }

    #[test]
    fn delay_is_jittered_capped_and_honours_retry_after() {
        let p = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for attempt in 1..30 {
            assert!(p.delay(attempt, None) <= Duration::from_secs(1));
        }
        let waits: std::collections::HashSet<_> = (0..20).map(|_| p.delay(3, None)).collect();
        assert!(waits.len() > 1, "full jitter varies the wait");
        assert!(p.delay(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
    }
}
