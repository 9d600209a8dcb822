//! Waiting for eventually consistent reads.
//!
//! Camunda's read side (every operation whose docs say "Eventually consistent") lags behind
//! writes: a process instance just created may answer 404 for a moment, and a search may not
//! list it yet. These helpers wrap *any* read — a closure that makes the call — and poll it with
//! backoff until it finds what was written, up to [`Consistency::timeout`]:
//!
//! - [`eventually`]: until the read does not answer 404;
//! - [`non_empty`]: until a search returns at least one item;
//! - [`until`]: until a caller predicate accepts the answer.
//!
//! On timeout they return [`Error::ConsistencyTimeout`] with how long they waited, how many
//! reads they made and the last outcome. Other errors end the wait at once (the client's retry
//! policy has already handled backpressure and transient failures). The `*_blocking` variants
//! do the same for [`crate::blocking::CamundaClient`].
//!
//! ```no_run
//! # async fn run(client: camunda_sdk::CamundaClient, key: camunda_sdk::keys::ProcessInstanceKey)
//! # -> camunda_sdk::Result<()> {
//! use camunda_sdk::consistency::{self, Consistency};
//! use std::time::Duration;
//!
//! let wait = Consistency::wait(Duration::from_secs(10));
//! let instance =
//!     consistency::eventually(&wait, || client.get_process_instance(&key).send()).await?;
//! let done = consistency::until(
//!     &wait,
//!     || client.get_process_instance(&key).send(),
//!     |i| i.end_date.is_some(),
//! )
//! .await?;
//! # Ok(()) }
//! ```

use crate::paging::PagedResult;
use crate::resilience::Next;
use crate::{Error, Result};
use std::cell::Cell;
use std::future::Future;
use std::time::{Duration, Instant};

/// How long and how often to poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consistency {
    timeout: Duration,
    initial_delay: Duration,
    max_delay: Duration,
}

impl Default for Consistency {
    /// Up to 10 s, polling after 50 ms, doubling up to 1 s between reads.
    fn default() -> Self {
        Consistency {
            timeout: Duration::from_secs(10),
            initial_delay: Duration::from_millis(50),
            max_delay: Duration::from_secs(1),
        }
    }
}

impl Consistency {
    /// Wait up to `timeout` (with the default backoff: 50 ms doubling up to 1 s).
    pub fn wait(timeout: Duration) -> Self {
        Consistency {
            timeout,
            ..Self::default()
        }
    }

    /// The delay after the first read, doubling after each read up to `max` (with jitter, the
    /// SDK's one backoff: each wait lies between `initial` and the doubled value).
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_delay = initial;
        self.max_delay = max.max(initial);
        self
    }

    /// How long it waits at most.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}

impl Consistency {
    /// The wait after read number `attempt`.
    fn delay(&self, attempt: u32) -> Duration {
        crate::resilience::backoff(self.initial_delay, self.max_delay, attempt)
    }
}

tokio::task_local! {
    /// The operation the wrapped read last called (set by the transport), for the timeout error.
    static OPERATION: Cell<Option<&'static str>>;
}

thread_local! {
    static THREAD_OPERATION: Cell<Option<&'static str>> = const { Cell::new(None) };
}

/// Called by the transport for every request: remembers the operation for a surrounding wait.
pub(crate) fn note_operation(op: &'static str) {
    let _ = OPERATION.try_with(|c| c.set(Some(op)));
    THREAD_OPERATION.with(|c| c.set(Some(op)));
}

/// Runs `fut` and reports the operation it last called through the transport (for errors
/// about a sequence of calls, such as a paging loop).
pub(crate) async fn observe_operation<F: Future>(fut: F) -> (F::Output, Option<&'static str>) {
    OPERATION
        .scope(Cell::new(None), async move {
            let out = fut.await;
            (out, OPERATION.with(Cell::get))
        })
        .await
}

/// How an eventually consistent read made by a request builder waits: set per call with
/// `.wait_visible(…)`, `.wait_until(…)`, `.wait_non_empty(…)` or `.no_wait()`, else the client's
/// default ([`crate::CamundaClient::with_consistency`], off unless set).
pub struct Wait<T> {
    mode: Mode<T>,
}

enum Mode<T> {
    ClientDefault,
    Off,
    Until(Consistency, Box<dyn Fn(&T) -> bool + Send + Sync>),
}

impl<T> Default for Wait<T> {
    fn default() -> Self {
        Wait {
            mode: Mode::ClientDefault,
        }
    }
}

impl<T> std::fmt::Debug for Wait<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match &self.mode {
            Mode::ClientDefault => "Wait::ClientDefault",
            Mode::Off => "Wait::Off",
            Mode::Until(..) => "Wait::Until",
        })
    }
}

impl<T> Wait<T> {
    /// Do not wait, whatever the client's default.
    pub(crate) fn off() -> Self {
        Wait { mode: Mode::Off }
    }

    /// Wait up to `timeout` for an answer `accept` takes (404s count as "not yet").
    pub(crate) fn until(
        timeout: Duration,
        accept: impl Fn(&T) -> bool + Send + Sync + 'static,
    ) -> Self {
        Wait {
            mode: Mode::Until(Consistency::wait(timeout), Box::new(accept)),
        }
    }

    /// Whether this wait reads once, without waiting: off, or the client's default on a client
    /// without one.
    pub(crate) fn reads_once(&self, client: &crate::CamundaClient) -> bool {
        match self.mode {
            Mode::Off => true,
            Mode::Until(..) => false,
            Mode::ClientDefault => client.consistency().is_none(),
        }
    }

    /// Reads with `read` as this wait says. `non_empty` is the default predicate of a paged
    /// search (at least one item); other reads only wait while they answer 404.
    pub(crate) async fn read<Fut>(
        self,
        client: &crate::CamundaClient,
        non_empty: Option<fn(&T) -> bool>,
        read: impl FnMut() -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Result<T>>,
    {
        let mut read = read;
        match self.mode {
            Mode::Off => read().await,
            Mode::Until(wait, accept) => until(&wait, read, |v| accept(v)).await,
            Mode::ClientDefault => match client.consistency() {
                None => read().await,
                Some(wait) => until(wait, read, |v| non_empty.is_none_or(|p| p(v))).await,
            },
        }
    }
}

/// The default predicate of a paged search's wait: at least one item.
pub(crate) fn has_items<R: PagedResult>(page: &R) -> bool {
    !page.items().is_empty()
}

/// What one read produced.
enum Outcome<T> {
    Done(Result<T>),
    NotYet {
        last: String,
        operation: Option<&'static str>,
    },
}

fn judge<T>(result: Result<T>, accept: &mut impl FnMut(&T) -> bool, rejected: &str) -> Outcome<T> {
    match result {
        Ok(v) if accept(&v) => Outcome::Done(Ok(v)),
        Ok(_) => Outcome::NotYet {
            last: rejected.to_owned(),
            operation: None,
        },
        Err(e) if e.status() == Some(404) => Outcome::NotYet {
            last: "HTTP 404".to_owned(),
            operation: e.operation(),
        },
        Err(e) => Outcome::Done(Err(e)),
    }
}

/// Polls `read` until `accept` takes its answer (404s count as "not yet").
///
/// ```no_run
/// # async fn run(client: camunda_sdk::CamundaClient, key: camunda_sdk::keys::UserTaskKey)
/// # -> camunda_sdk::Result<()> {
/// use camunda_sdk::consistency::{self, Consistency};
/// let task = consistency::until(
///     &Consistency::default(),
///     || client.get_user_task(&key).send(),
///     |t| t.assignee.is_some(),
/// )
/// .await?;
/// # Ok(()) }
/// ```
pub async fn until<T, F, Fut, P>(wait: &Consistency, mut read: F, mut accept: P) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
    P: FnMut(&T) -> bool,
{
    OPERATION
        .scope(Cell::new(None), async move {
            // The runtime's clock, so that waits can be tested on paused time.
            let started = tokio::time::Instant::now();
            // Shared by the attempts (each a future of its own); never contended.
            let accept = std::sync::Mutex::new(&mut accept);
            // The one retry loop: an answer that is not there yet is an attempt that failed
            // with the timeout error it would end in, so that the last one is the result.
            crate::resilience::retry(
                "eventually consistent read",
                |attempts| {
                    let read = read();
                    let accept = &accept;
                    async move {
                        let answer = read.await;
                        let judged = judge(
                            answer,
                            &mut *accept.lock().unwrap_or_else(|p| p.into_inner()),
                            "the answer was not accepted yet",
                        );
                        let (last, operation) = match judged {
                            Outcome::Done(r) => return r,
                            Outcome::NotYet { last, operation } => (last, operation),
                        };
                        Err(Error::ConsistencyTimeout {
                            operation: operation
                                .or_else(|| OPERATION.with(Cell::get))
                                .unwrap_or("read"),
                            waited: started.elapsed(),
                            attempts,
                            last,
                        })
                    }
                },
                |err, attempts| match err {
                    Error::ConsistencyTimeout { waited, .. } if *waited < wait.timeout => {
                        Next::Wait(wait.delay(attempts).min(wait.timeout - *waited))
                    }
                    _ => Next::Stop,
                },
            )
            .await
        })
        .await
}

/// Polls `read` until it does not answer 404.
pub async fn eventually<T, F, Fut>(wait: &Consistency, read: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    until(wait, read, |_| true).await
}

/// Polls the search `read` until its page has at least one item.
///
/// ```no_run
/// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
/// use camunda_sdk::consistency::{self, Consistency};
/// let page = consistency::non_empty(&Consistency::default(), || {
///     client
///         .search_process_instances()
///         .filter(|f| f.process_definition_id("order-process"))
///         .send()
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub async fn non_empty<R, F, Fut>(wait: &Consistency, read: F) -> Result<R>
where
    R: PagedResult,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<R>>,
{
    until(wait, read, has_items::<R>).await
}

/// [`until`] for the blocking client.
///
/// ```no_run
/// # fn run(client: camunda_sdk::blocking::CamundaClient, key: camunda_sdk::keys::ProcessInstanceKey)
/// # -> camunda_sdk::Result<()> {
/// use camunda_sdk::consistency::{self, Consistency};
/// let instance = consistency::until_blocking(
///     &Consistency::default(),
///     || client.get_process_instance(&key).send(),
///     |i| i.end_date.is_some(),
/// )?;
/// # Ok(()) }
/// ```
pub fn until_blocking<T, F, P>(wait: &Consistency, mut read: F, mut accept: P) -> Result<T>
where
    F: FnMut() -> Result<T>,
    P: FnMut(&T) -> bool,
{
    let started = Instant::now();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        THREAD_OPERATION.with(|c| c.set(None));
        let (last, operation) = match judge(read(), &mut accept, "the answer was not accepted yet")
        {
            Outcome::Done(r) => return r,
            Outcome::NotYet { last, operation } => (last, operation),
        };
        let waited = started.elapsed();
        if waited >= wait.timeout {
            return Err(Error::ConsistencyTimeout {
                operation: operation
                    .or_else(|| THREAD_OPERATION.with(Cell::get))
                    .unwrap_or("read"),
                waited,
                attempts,
                last,
            });
        }
        std::thread::sleep(wait.delay(attempts).min(wait.timeout - waited));
    }
}

/// [`eventually`] for the blocking client.
pub fn eventually_blocking<T, F>(wait: &Consistency, read: F) -> Result<T>
where
    F: FnMut() -> Result<T>,
{
    until_blocking(wait, read, |_| true)
}

/// [`non_empty`] for the blocking client.
pub fn non_empty_blocking<R, F>(wait: &Consistency, read: F) -> Result<R>
where
    R: PagedResult,
    F: FnMut() -> Result<R>,
{
    until_blocking(wait, read, has_items::<R>)
}
