//! The one resilience layer: when a failed exchange is tried again and how long to wait first.
//!
//! One backoff ([`backoff`]: exponential with jitter) and one retry loop ([`retry`]) serve
//! every place that tries again: the transport (under a [`RetryPolicy`]), the job worker
//! (activation, and the delivery of a job's result, each under a single budget of its own —
//! the worker's calls go through the client without the transport's retries, so retries never
//! nest) and the consistency waits. Each caller decides per failure what comes next
//! ([`Next`]); the loop does the waiting and the logging.

use crate::Error;
use std::future::Future;
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
/// Waits grow exponentially with jitter (uniform between `initial` and
/// `min(max, initial · 2ⁿ⁻¹)` before attempt `n + 1`) and are never shorter than the server's
/// `Retry-After` (capped at 5 min).
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
        honour_retry_after(
            backoff(self.initial, self.max, attempt),
            retry_after,
            Duration::from_secs(300),
        )
    }

    /// What follows attempt `attempt` of an operation that failed with `error`.
    pub(crate) fn next(&self, error: &Error, idempotent: bool, attempt: u32) -> Next {
        if self.should_retry(error, idempotent, attempt) {
            Next::Wait(self.delay(attempt, error.retry_after()))
        } else {
            Next::Stop
        }
    }
}

/// Exponential backoff with jitter: uniform in `[min, min(max, min · 2^(attempt-1))]`. Never
/// shorter than `min`, so a storm of failures never turns into a storm of immediate retries.
pub(crate) fn backoff(min: Duration, max: Duration, attempt: u32) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let cap = min.saturating_mul(1u32 << exp).min(max).max(min);
    let span = u64::try_from((cap - min).as_micros()).unwrap_or(u64::MAX);
    if span == 0 {
        return min;
    }
    min + Duration::from_micros(random_u64() % (span + 1))
}

/// `delay`, or the server's `Retry-After` (capped at `cap`) when that is longer.
pub(crate) fn honour_retry_after(
    delay: Duration,
    retry_after: Option<Duration>,
    cap: Duration,
) -> Duration {
    retry_after.map_or(delay, |after| delay.max(after.min(cap)))
}

/// A pseudo-random `u64` without a dependency: `RandomState` is seeded per instance.
fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Give up: the error is the result.
    Stop,
    /// Try again at once (credentials were refreshed).
    Now,
    /// Try again after this wait.
    Wait(Duration),
}

/// The retry loop: runs `attempt(n)` for `n = 1, 2, …` until it succeeds or `next` says stop,
/// waiting as `next` says in between. `what` names the exchange in the log.
///
/// Not an `async fn`: that would keep `attempt` and `next` twice in the future (as arguments
/// and as the body's locals), and the transport's retry loop is in every call's future.
#[allow(clippy::manual_async_fn)]
pub(crate) fn retry<'a, T, Fut>(
    what: &'a str,
    mut attempt: impl FnMut(u32) -> Fut + 'a,
    mut next: impl FnMut(&Error, u32) -> Next + 'a,
) -> impl Future<Output = Result<T, Error>> + 'a
where
    Fut: Future<Output = Result<T, Error>> + 'a,
    T: 'a,
{
    async move {
        let mut n = 1;
        loop {
            let error = match attempt(n).await {
                Ok(v) => return Ok(v),
                Err(e) => e,
            };
            match next(&error, n) {
                Next::Stop => return Err(error),
                Next::Now => tracing::debug!(attempt = n, %error, "{what}: trying again at once"),
                Next::Wait(wait) => {
                    tracing::debug!(attempt = n, ?wait, %error, "{what}: retrying");
                    tokio::time::sleep(wait).await;
                }
            }
            n += 1;
        }
    }
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
            let d = p.delay(attempt, None);
            assert!(
                d >= Duration::from_millis(100) && d <= Duration::from_secs(1),
                "{d:?}"
            );
        }
        assert_eq!(p.delay(1, None), Duration::from_millis(100));
        let waits: std::collections::HashSet<_> = (0..20).map(|_| p.delay(3, None)).collect();
        assert!(waits.len() > 1, "full jitter varies the wait");
        assert!(p.delay(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(300),
            "a Retry-After is capped"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_loop_waits_as_told_and_stops_when_told() {
        let started = tokio::time::Instant::now();
        let mut sent = 0;
        let result: Result<(), Error> = retry(
            "op",
            |_| {
                sent += 1;
                std::future::ready(Err(http(503)))
            },
            |_, n| match n {
                1 => Next::Now,
                2 => Next::Wait(Duration::from_secs(7)),
                _ => Next::Stop,
            },
        )
        .await;
        assert_eq!(result.unwrap_err().status(), Some(503));
        assert_eq!(sent, 3);
        assert_eq!(started.elapsed(), Duration::from_secs(7));
    }
}
