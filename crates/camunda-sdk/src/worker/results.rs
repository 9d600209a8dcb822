//! What becomes of a job's result: its delivery under one retry budget, and, at a shutdown
//! deadline, the hand-back of the jobs that did not finish.

use super::engine::{Worker, bump};
use super::job::{Job, Outcome, duration_ms};
use crate::resilience::{self, Next};
use crate::{keys, types};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// What a graceful shutdown achieved, and what became of every job it did not finish.
///
/// A shutdown stops activating, then waits until the deadline:
///
/// - for an activation request still in flight: its answer is awaited and its jobs are
///   handled like any other (an answer still missing at the deadline is given up on, see
///   [`activation_abandoned`](Self::activation_abandoned));
/// - for every job in flight to finish: its handler returns and its result is delivered (or
///   given up on); those count as [`drained`](Self::drained).
///
/// At the deadline every job still in flight is taken away from its handler: the task is
/// aborted, so **no result is ever sent for a job listed in [`unfinished`](Self::unfinished)
/// after the report is returned**, and the job is handed back to the server at once (a
/// failure with its retries unchanged and no retry back-off), so that another worker can
/// activate it now instead of after the job timeout. [`jobs`](Self::jobs) says, per job,
/// whether the hand-back was accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShutdownReport {
    /// Jobs that finished between the shutdown request and the deadline.
    pub drained: usize,
    /// The keys of the jobs still in flight at the deadline (the keys of [`Self::jobs`]).
    pub unfinished: Vec<keys::JobKey>,
    /// What happened to each job still in flight at the deadline.
    pub jobs: Vec<UnfinishedJob>,
    /// An activation's answer was not taken in by the deadline (still on its way, or holding
    /// more jobs than the worker had room for) and was dropped. Jobs the server handed out in
    /// it stay locked until their timeout.
    pub activation_abandoned: bool,
}

impl ShutdownReport {
    pub(super) fn merge(&mut self, other: ShutdownReport) {
        self.drained += other.drained;
        self.unfinished.extend(other.unfinished);
        self.jobs.extend(other.jobs);
        self.activation_abandoned |= other.activation_abandoned;
    }
}

/// A job still in flight at the shutdown deadline: its task was aborted and it was handed back.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnfinishedJob {
    /// The job.
    pub key: keys::JobKey,
    /// The handler had already returned and its result (complete, fail or BPMN error) was
    /// being sent when the deadline came; the server may have applied it before the abort.
    /// Otherwise the handler was still running and no result was ever sent.
    pub result_sent: bool,
    /// Whether the server took the job back.
    pub fate: HandBack,
}

/// How handing a job back to the server at the shutdown deadline went.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HandBack {
    /// The server accepted the failure (retries unchanged, no back-off): the job can be
    /// activated again at once.
    HandedBack,
    /// The server did not take the job back: it stays locked until its timeout, then is
    /// activated again. A 404 after [`UnfinishedJob::result_sent`] most likely means the
    /// result sent before the deadline was applied.
    Refused {
        /// The error of the hand-back request.
        error: String,
    },
}

/// How long the hand-backs after a shutdown deadline may take together.
const HAND_BACK_TIMEOUT: Duration = Duration::from_secs(10);

/// Fails each job back to the server with its retries unchanged and no back-off, all at once.
pub(super) async fn hand_back(w: &Worker, revoked: Vec<(Job, bool)>) -> Vec<UnfinishedJob> {
    if revoked.is_empty() {
        return Vec::new();
    }
    let sends = revoked.iter().map(|(job, _)| {
        let req = types::JobFailRequest {
            error_message: Some(
                "the job worker shut down before the job was finished; handed back".to_owned(),
            ),
            job_lease_token: job.lease_token().cloned(),
            retries: Some(job.retries()),
            retry_back_off: Some(0),
            variables: None,
        };
        tokio::time::timeout(HAND_BACK_TIMEOUT, w.api.fail_job(job.key(), req))
    });
    let results = futures::future::join_all(sends).await;
    revoked
        .into_iter()
        .zip(results)
        .map(|((job, result_sent), result)| {
            let fate = match result {
                Ok(Ok(())) => {
                    bump(&w.counters.handed_back);
                    HandBack::HandedBack
                }
                Ok(Err(e)) => HandBack::Refused {
                    error: e.to_string(),
                },
                Err(_) => HandBack::Refused {
                    error: format!("no answer within {HAND_BACK_TIMEOUT:?}"),
                },
            };
            match &fate {
                HandBack::HandedBack => {
                    tracing::info!(job_key = %job.key(), result_sent, "job handed back at the shutdown deadline");
                }
                HandBack::Refused { error } => {
                    tracing::warn!(job_key = %job.key(), result_sent, %error, "could not hand the job back at the shutdown deadline; it stays locked until its timeout");
                }
            }
            UnfinishedJob {
                key: job.key().clone(),
                result_sent,
                fate,
            }
        })
        .collect()
}

fn object(v: Option<Value>) -> Result<Option<Map<String, Value>>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(format!(
            "the handler returned variables that are not a JSON object: {other}"
        )),
    }
}

enum Command {
    Complete(types::JobCompletionRequest),
    Fail(types::JobFailRequest),
    Error(types::JobErrorRequest),
}

fn fail_request(
    job: &Job,
    message: String,
    retries: Option<i32>,
    backoff: Option<Duration>,
) -> Command {
    Command::Fail(types::JobFailRequest {
        error_message: Some(message),
        job_lease_token: job.lease_token().cloned(),
        retries: Some(retries.unwrap_or((job.retries() - 1).max(0))),
        retry_back_off: backoff.map(duration_ms),
        variables: None,
    })
}

fn command(job: &Job, outcome: Outcome) -> Option<Command> {
    let lease = job.lease_token().cloned();
    Some(match outcome {
        Outcome::Complete { variables } => match object(variables) {
            Ok(vars) => Command::Complete(types::JobCompletionRequest {
                variables: vars.map(types::JobCompletionRequestVariables),
                job_lease_token: lease,
                ..Default::default()
            }),
            Err(msg) => fail_request(job, msg, None, None),
        },
        Outcome::Fail {
            message,
            retries,
            retry_backoff,
        } => fail_request(job, message, retries, retry_backoff),
        Outcome::BpmnError {
            code,
            message,
            variables,
        } => match object(variables) {
            Ok(vars) => Command::Error(types::JobErrorRequest {
                error_code: code,
                error_message: message,
                job_lease_token: lease,
                variables: vars.map(types::JobErrorRequestVariables),
            }),
            Err(msg) => fail_request(job, msg, None, None),
        },
        Outcome::Ignore => return None,
    })
}

pub(super) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, duration_ms)
}

/// Sends the handler's result under one retry budget (the worker's own: the calls go through
/// the client without the transport's retries): transient failures are retried with backoff
/// until the result is accepted, [`JobWorkerConfig::max_result_attempts`] are used up, or the
/// next attempt would come after the job's lock expires.
#[allow(clippy::manual_async_fn)]
pub(super) fn deliver<'a>(
    w: &'a Worker,
    job: &'a Job,
    outcome: Outcome,
    lock_until: Option<tokio::time::Instant>,
) -> impl std::future::Future<Output = ()> + Send + 'a {
    // The command is made now: the outcome would stay in the future, next to it, until the end.
    let cmd = command(job, outcome);
    async move {
        // Borrowed where it is: bound by value it would be stored twice.
        let Some(cmd) = &cmd else {
            bump(&w.counters.ignored);
            tracing::debug!("job left to time out");
            return;
        };
        let (what, counter) = match cmd {
            Command::Complete(_) => ("complete", &w.counters.completed),
            Command::Fail(_) => ("fail", &w.counters.failed),
            Command::Error(_) => ("throw an error for", &w.counters.errored),
        };
        let key = job.key();
        let cfg = &w.config;
        // An earlier attempt failed in a way that may have reached the server.
        let ambiguous = AtomicBool::new(false);
        let amb = &ambiguous;
        let send = move |_| async move {
            let result = match cmd {
                Command::Complete(r) => w.api.complete_job(key, r.clone()).await,
                Command::Fail(r) => w.api.fail_job(key, r.clone()).await,
                Command::Error(r) => w.api.throw_job_error(key, r.clone()).await,
            };
            match result {
                Err(e) if e.status() == Some(404) && amb.load(Ordering::Relaxed) => {
                    tracing::debug!(job_key = %key, "job already gone after an ambiguous attempt; assuming it was applied");
                    Ok(())
                }
                other => other,
            }
        };
        let next = |e: &crate::Error, attempt: u32| {
            let delay = resilience::honour_retry_after(
                resilience::backoff(cfg.backoff_min, cfg.backoff_max, attempt),
                e.retry_after(),
                RETRY_AFTER_CAP,
            );
            let within_lock =
                lock_until.is_none_or(|until| tokio::time::Instant::now() + delay < until);
            if !(e.is_retryable() && attempt < cfg.max_result_attempts && within_lock) {
                return Next::Stop;
            }
            amb.fetch_or(e.is_ambiguous(), Ordering::Relaxed);
            tracing::warn!(job_key = %key, error = %e, attempt, ?delay, "could not {what} the job; retrying");
            Next::Wait(delay)
        };
        match resilience::retry(what, send, next).await {
            Ok(()) => bump(counter),
            Err(e) => {
                bump(&w.counters.result_failures);
                tracing::error!(job_key = %key, error = %e, "could not {what} the job; giving up (it will time out and be activated again)");
            }
        }
    }
}

/// The longest `Retry-After` a result delivery honours (the job's lock bounds it anyway).
const RETRY_AFTER_CAP: Duration = Duration::from_secs(300);
