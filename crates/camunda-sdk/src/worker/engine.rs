//! The engine: one activation loop per worker, one task per job.

use super::api::JobApi;
use super::config::JobWorkerConfig;
use super::handler::{JobHandler, blocking};
use super::job::{Job, JobContext, Outcome, duration_ms};
use crate::{keys, types};
use futures::FutureExt;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinHandle;
use tracing::Instrument;

/// What a worker is doing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WorkerState {
    /// Activating jobs (or waiting for free capacity).
    Polling,
    /// The last activation failed; the next is not sent before `until`.
    BackingOff {
        /// The activation error.
        error: String,
        /// When the next activation is due.
        until: Instant,
    },
    /// No longer activating; in-flight jobs are finishing.
    Stopping,
    /// Shut down.
    Stopped,
}

/// Counters since the worker started.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkerStats {
    /// Activation requests sent.
    pub activation_requests: u64,
    /// Activation requests that failed.
    pub activation_errors: u64,
    /// Jobs activated.
    pub activated: u64,
    /// Jobs completed.
    pub completed: u64,
    /// Jobs failed (by the handler's decision, its error, or its panic).
    pub failed: u64,
    /// BPMN errors thrown.
    pub errored: u64,
    /// Jobs left to time out ([`Outcome::Ignore`]).
    pub ignored: u64,
    /// Handlers that returned `Err`.
    pub handler_errors: u64,
    /// Handlers that panicked.
    pub panicked: u64,
    /// Results (complete, fail, error) that could not be delivered after all attempts.
    pub result_failures: u64,
    /// Automatic timeout extensions sent.
    pub heartbeats: u64,
    /// Jobs that came without a lease token although the worker asked for leases: the server
    /// does not honour `withLease`.
    pub jobs_without_lease: u64,
    /// Jobs being handled now.
    pub in_flight: usize,
}

/// What a graceful shutdown achieved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Jobs that finished between the shutdown request and the deadline.
    pub drained: usize,
    /// Jobs whose handlers were still running at the deadline. Their tasks are not cancelled;
    /// if the process exits, the jobs time out on the server and are activated again.
    pub unfinished: Vec<keys::JobKey>,
}

impl ShutdownReport {
    fn merge(&mut self, other: ShutdownReport) {
        self.drained += other.drained;
        self.unfinished.extend(other.unfinished);
    }
}

#[derive(Default)]
struct Counters {
    activation_requests: AtomicU64,
    activation_errors: AtomicU64,
    activated: AtomicU64,
    completed: AtomicU64,
    failed: AtomicU64,
    errored: AtomicU64,
    ignored: AtomicU64,
    handler_errors: AtomicU64,
    panicked: AtomicU64,
    result_failures: AtomicU64,
    heartbeats: AtomicU64,
    jobs_without_lease: AtomicU64,
    finished: AtomicU64,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

struct Worker {
    api: Arc<dyn JobApi>,
    config: JobWorkerConfig,
    handler: Arc<dyn JobHandler>,
    runtime: tokio::runtime::Handle,
    semaphore: Arc<Semaphore>,
    state: Mutex<WorkerState>,
    counters: Counters,
    in_flight: Mutex<HashMap<keys::JobKey, usize>>,
    idle: Notify,
    stop: watch::Sender<bool>,
    poller: Mutex<Option<JoinHandle<()>>>,
    lease_warned: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Worker {
    fn set_state(&self, state: WorkerState) {
        let mut s = lock(&self.state);
        if !matches!(*s, WorkerState::Stopping | WorkerState::Stopped) {
            *s = state;
        }
    }

    fn track(&self, key: &keys::JobKey) {
        *lock(&self.in_flight).entry(key.clone()).or_default() += 1;
    }

    fn untrack(&self, key: &keys::JobKey) {
        {
            let mut map = lock(&self.in_flight);
            if let Some(n) = map.get_mut(key) {
                *n -= 1;
                if *n == 0 {
                    map.remove(key);
                }
            }
        }
        bump(&self.counters.finished);
        self.idle.notify_waiters();
    }

    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }
}

/// Untracks a job when its task ends, however it ends.
struct Tracked {
    worker: Arc<Worker>,
    key: keys::JobKey,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.worker.untrack(&self.key);
    }
}

/// A running worker: observe it, stop it, shut it down. Cheap to clone.
#[derive(Clone)]
pub struct WorkerHandle {
    inner: Arc<Worker>,
}

impl std::fmt::Debug for WorkerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerHandle")
            .field("job_type", &self.inner.config.job_type)
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl WorkerHandle {
    /// The worker's configuration.
    pub fn config(&self) -> &JobWorkerConfig {
        &self.inner.config
    }

    /// What the worker is doing now.
    pub fn state(&self) -> WorkerState {
        lock(&self.inner.state).clone()
    }

    /// The worker's counters.
    pub fn stats(&self) -> WorkerStats {
        let c = &self.inner.counters;
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed);
        WorkerStats {
            activation_requests: get(&c.activation_requests),
            activation_errors: get(&c.activation_errors),
            activated: get(&c.activated),
            completed: get(&c.completed),
            failed: get(&c.failed),
            errored: get(&c.errored),
            ignored: get(&c.ignored),
            handler_errors: get(&c.handler_errors),
            panicked: get(&c.panicked),
            result_failures: get(&c.result_failures),
            heartbeats: get(&c.heartbeats),
            jobs_without_lease: get(&c.jobs_without_lease),
            in_flight: lock(&self.inner.in_flight).values().sum(),
        }
    }

    /// Whether the worker asked for leases and the server sent jobs without them.
    pub fn lease_not_honoured(&self) -> bool {
        self.inner
            .counters
            .jobs_without_lease
            .load(Ordering::Relaxed)
            > 0
    }

    /// The keys of the jobs being handled now.
    pub fn in_flight(&self) -> Vec<keys::JobKey> {
        lock(&self.inner.in_flight).keys().cloned().collect()
    }

    /// Stops activating jobs; jobs in flight go on. Use [`Self::shutdown`] to wait for them.
    pub fn stop(&self) {
        self.inner.stop.send_replace(true);
        *lock(&self.inner.state) = WorkerState::Stopping;
    }

    /// Stops activating, waits up to `deadline` for the jobs in flight to finish, and reports
    /// those that did not.
    pub async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        let finished_before = self.inner.counters.finished.load(Ordering::Relaxed);
        self.stop();
        self.drain(Instant::now() + deadline, finished_before).await
    }

    async fn drain(&self, until: Instant, finished_before: u64) -> ShutdownReport {
        let until = tokio::time::Instant::from_std(until);
        let poller = lock(&self.inner.poller).take();
        if let Some(poller) = poller {
            let _ = tokio::time::timeout_at(until, poller).await;
        }
        loop {
            let notified = self.inner.idle.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if lock(&self.inner.in_flight).is_empty() {
                break;
            }
            if tokio::time::timeout_at(until, notified).await.is_err() {
                break;
            }
        }
        *lock(&self.inner.state) = WorkerState::Stopped;
        let finished = self.inner.counters.finished.load(Ordering::Relaxed);
        ShutdownReport {
            drained: usize::try_from(finished - finished_before).unwrap_or(usize::MAX),
            unfinished: self.in_flight(),
        }
    }
}

/// The workers of one client: create them, then run them until a shutdown signal.
///
/// ```no_run
/// # async fn demo(api: std::sync::Arc<dyn camunda_sdk::worker::JobApi>) {
/// use camunda_sdk::worker::{Job, JobWorkerConfig, JobWorkers, Outcome};
/// use std::time::Duration;
///
/// let workers = JobWorkers::new(api);
/// workers.create_job_worker(JobWorkerConfig::new("payment"), |job: Job| async move {
///     tracing::info!(key = %job.key(), "charging");
///     Ok::<_, camunda_sdk::Error>(Outcome::complete())
/// });
/// let report = workers
///     .run_until(async { /* e.g. tokio::signal::ctrl_c().await */ }, Duration::from_secs(30))
///     .await;
/// assert!(report.unfinished.is_empty());
/// # }
/// ```
pub struct JobWorkers {
    api: Arc<dyn JobApi>,
    runtime: Option<tokio::runtime::Handle>,
    workers: Mutex<Vec<WorkerHandle>>,
}

impl std::fmt::Debug for JobWorkers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobWorkers")
            .field("workers", &*lock(&self.workers))
            .finish_non_exhaustive()
    }
}

impl JobWorkers {
    /// Workers that talk to the cluster through `api`. They run on the Tokio runtime current
    /// when each worker is created, unless [`Self::with_runtime`] names one.
    pub fn new(api: Arc<dyn JobApi>) -> Self {
        Self {
            api,
            runtime: None,
            workers: Mutex::new(Vec::new()),
        }
    }

    /// Runs the workers on `runtime` (for callers outside any runtime, such as a blocking
    /// client).
    pub fn with_runtime(mut self, runtime: tokio::runtime::Handle) -> Self {
        self.runtime = Some(runtime);
        self
    }

    /// Starts a worker for `config.job_type` running `handler` (an async closure
    /// `|job: Job| async { ... }`, or [`typed`](super::typed), or any [`JobHandler`]).
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime, unless one was given with [`Self::with_runtime`].
    pub fn create_job_worker(
        &self,
        config: JobWorkerConfig,
        handler: impl JobHandler,
    ) -> WorkerHandle {
        let runtime = self
            .runtime
            .clone()
            .unwrap_or_else(tokio::runtime::Handle::current);
        let max = config.max_jobs_active.max(1);
        let (stop, _) = watch::channel(false);
        let worker = Arc::new(Worker {
            api: Arc::clone(&self.api),
            config,
            handler: Arc::new(handler),
            runtime: runtime.clone(),
            semaphore: Arc::new(Semaphore::new(max)),
            state: Mutex::new(WorkerState::Polling),
            counters: Counters::default(),
            in_flight: Mutex::new(HashMap::new()),
            idle: Notify::new(),
            stop,
            poller: Mutex::new(None),
            lease_warned: AtomicBool::new(false),
        });
        let span = tracing::info_span!(
            "job_worker",
            job_type = %worker.config.job_type,
            worker = %worker.config.worker_name
        );
        let poller = runtime.spawn(poll_loop(Arc::clone(&worker)).instrument(span));
        *lock(&worker.poller) = Some(poller);
        let handle = WorkerHandle { inner: worker };
        lock(&self.workers).push(handle.clone());
        handle
    }

    /// Starts a worker running the plain function `handler` on the blocking thread pool (see
    /// [`blocking`](super::blocking)); same engine and guarantees as
    /// [`Self::create_job_worker`].
    pub fn create_blocking_job_worker<F, E>(
        &self,
        config: JobWorkerConfig,
        handler: F,
    ) -> WorkerHandle
    where
        F: Fn(&Job) -> Result<Outcome, E> + Send + Sync + 'static,
        E: std::fmt::Display + 'static,
    {
        self.create_job_worker(config, blocking(handler))
    }

    /// The workers created so far.
    pub fn workers(&self) -> Vec<WorkerHandle> {
        lock(&self.workers).clone()
    }

    /// Stops every worker from activating, waits up to `deadline` for their jobs in flight,
    /// and reports those that did not finish.
    pub async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        let until = Instant::now() + deadline;
        let workers = self.workers();
        let before: Vec<u64> = workers
            .iter()
            .map(|w| w.inner.counters.finished.load(Ordering::Relaxed))
            .collect();
        for w in &workers {
            w.stop();
        }
        let reports =
            futures::future::join_all(workers.iter().zip(before).map(|(w, b)| w.drain(until, b)))
                .await;
        let mut report = ShutdownReport::default();
        for r in reports {
            report.merge(r);
        }
        report
    }

    /// Runs the workers until `signal` resolves (e.g. `tokio::signal::ctrl_c()`), then shuts
    /// them down gracefully within `deadline`.
    pub async fn run_until(
        &self,
        signal: impl Future<Output = ()>,
        deadline: Duration,
    ) -> ShutdownReport {
        signal.await;
        tracing::info!("shutting down job workers");
        self.shutdown(deadline).await
    }
}

/// A pseudo-random `u64` without a dependency: `RandomState` is seeded per instance.
fn random_u64() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

/// Exponential backoff with full jitter: uniform in `[min, min(max, min * 2^(attempt-1))]`.
pub(crate) fn backoff(min: Duration, max: Duration, attempt: u32) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let cap = min.saturating_mul(1u32 << exp).min(max).max(min);
    let span = u64::try_from((cap - min).as_micros()).unwrap_or(u64::MAX);
    if span == 0 {
        return min;
    }
    min + Duration::from_micros(random_u64() % (span + 1))
}

async fn sleep_or_stop(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    tokio::select! {
        biased;
        _ = stop.wait_for(|s| *s) => true,
        _ = tokio::time::sleep(d) => false,
    }
}

async fn poll_loop(w: Arc<Worker>) {
    let mut stop = w.stop.subscribe();
    let cfg = &w.config;
    let max = cfg.max_jobs_active.max(1);
    let batch = cfg.activation_batch_size.clamp(1, max);
    // Keep the slots full: while no activation is outstanding, ask for every free slot (up to
    // `batch`) as soon as a quarter of the capacity is free, so slots freed during one
    // activation are asked for together by the next. Waiting for half the capacity left a
    // small worker (10 slots) running half empty; waiting for a single slot would send an
    // activation per finished job. A quarter bounds it to one activation per `max / 4` jobs.
    let threshold = batch.min(max.div_ceil(4)).max(1);
    let fetch = cfg
        .fetch_variables
        .clone()
        .or_else(|| w.handler.fetch_variables())
        .unwrap_or_default();
    let mut failures: u32 = 0;
    loop {
        let mut permits = tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => break,
            p = Arc::clone(&w.semaphore).acquire_many_owned(u32::try_from(threshold).unwrap_or(u32::MAX)) => match p {
                Ok(p) => p,
                Err(_) => break,
            },
        };
        let extra = (batch - threshold).min(w.semaphore.available_permits());
        if extra > 0
            && let Ok(p) = Arc::clone(&w.semaphore)
                .try_acquire_many_owned(u32::try_from(extra).unwrap_or(u32::MAX))
        {
            permits.merge(p);
        }
        let req = types::JobActivationRequest {
            fetch_variable: fetch.clone(),
            max_jobs_to_activate: i32::try_from(permits.num_permits()).unwrap_or(i32::MAX),
            request_timeout: Some(duration_ms(cfg.request_timeout)),
            tenant_filter: None,
            tenant_ids: cfg.tenant_ids.clone(),
            timeout: duration_ms(cfg.timeout),
            type_: cfg.job_type.clone(),
            with_lease: cfg.with_lease.then_some(true),
            worker: Some(cfg.worker_name.clone()),
        };
        bump(&w.counters.activation_requests);
        let activation = AssertUnwindSafe(w.api.activate_jobs(req)).catch_unwind();
        let result = tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => break,
            r = activation => r,
        };
        // A panicking `JobApi` is a bug, but it must not end the worker: report and back off.
        let result = result.unwrap_or_else(|payload| {
            Err(crate::Error::InvalidArgument {
                name: "JobApi::activate_jobs",
                message: format!("panicked: {}", panic_message(&*payload)),
            })
        });
        match result {
            Ok(jobs) => {
                if failures > 0 {
                    tracing::info!(after = failures, "job activation recovered");
                }
                failures = 0;
                w.set_state(WorkerState::Polling);
                if jobs.is_empty() {
                    drop(permits);
                    // A long poll that came back empty; pause briefly in case the server
                    // does not long-poll, so that an idle worker never spins.
                    if sleep_or_stop(&mut stop, cfg.backoff_min).await {
                        break;
                    }
                    continue;
                }
                tracing::debug!(count = jobs.len(), "activated jobs");
                for raw in jobs {
                    let permit = match permits.split(1) {
                        Some(p) => p,
                        // The server sent more jobs than asked for: wait for room.
                        None => match Arc::clone(&w.semaphore).acquire_owned().await {
                            Ok(p) => p,
                            Err(_) => break,
                        },
                    };
                    spawn_job(&w, raw, permit);
                }
            }
            Err(e) => {
                drop(permits);
                failures = failures.saturating_add(1);
                bump(&w.counters.activation_errors);
                let mut delay = if e.is_retryable() {
                    backoff(cfg.backoff_min, cfg.backoff_max, failures)
                } else {
                    cfg.backoff_max
                };
                if let Some(after) = e.retry_after() {
                    delay = delay.max(after.min(cfg.backoff_max));
                }
                if e.is_retryable() {
                    tracing::warn!(error = %e, attempt = failures, ?delay, "job activation failed; backing off");
                } else {
                    tracing::error!(error = %e, attempt = failures, ?delay, "job activation failed and will not succeed without a change (configuration, credentials or permissions); retrying at the maximum backoff");
                }
                w.set_state(WorkerState::BackingOff {
                    error: e.to_string(),
                    until: Instant::now() + delay,
                });
                if sleep_or_stop(&mut stop, delay).await {
                    break;
                }
            }
        }
        if w.stopping() {
            break;
        }
    }
    tracing::debug!("job activation stopped");
}

fn spawn_job(w: &Arc<Worker>, raw: types::ActivatedJobResult, permit: OwnedSemaphorePermit) {
    bump(&w.counters.activated);
    if w.config.with_lease && raw.job_lease_token.is_none() {
        bump(&w.counters.jobs_without_lease);
        if !w.lease_warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                job_type = %w.config.job_type,
                "the worker asked for job leases (withLease) but the server sent jobs without a lease token: it does not honour leases (Camunda before 8.10?); commands are sent without one"
            );
        }
    }
    let key = raw.job_key.clone();
    let span = tracing::info_span!(
        "job",
        job_key = %key,
        job_type = %raw.type_,
        process_instance_key = %raw.process_instance_key,
    );
    let ctx = JobContext::new(
        Arc::clone(&w.api),
        key.clone(),
        raw.job_lease_token.clone(),
        w.runtime.clone(),
    );
    let job = Job::new(raw, ctx);
    w.track(&key);
    let tracked = Tracked {
        worker: Arc::clone(w),
        key,
    };
    w.runtime.spawn(
        async move {
            run_job(&tracked.worker, job).await;
            // The permit goes back only after the result was delivered (or given up on).
            drop(permit);
            drop(tracked);
        }
        .instrument(span),
    );
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

async fn run_job(w: &Worker, job: Job) {
    let handler = Arc::clone(&w.handler);
    let j = job.clone();
    let handled = AssertUnwindSafe(async move { handler.handle(j).await }).catch_unwind();
    let result = if w.config.auto_heartbeat {
        tokio::select! {
            r = handled => r,
            () = heartbeat(w, &job) => return,
        }
    } else {
        handled.await
    };
    let default_retries = (job.retries() - 1).max(0);
    let outcome = match result {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => {
            bump(&w.counters.handler_errors);
            tracing::warn!(error = %e, "job handler failed");
            Outcome::Fail {
                message: e.to_string(),
                retries: Some(default_retries),
                retry_backoff: None,
            }
        }
        Err(payload) => {
            bump(&w.counters.panicked);
            let msg = panic_message(&*payload);
            tracing::error!(panic = %msg, "job handler panicked");
            Outcome::Fail {
                message: format!("job handler panicked: {msg}"),
                retries: Some(default_retries),
                retry_backoff: None,
            }
        }
    };
    deliver(w, &job, outcome).await;
}

/// Extends the job's timeout at two thirds of the lock, forever (the caller drops it).
async fn heartbeat(w: &Worker, job: &Job) {
    let period = (w.config.timeout * 2 / 3).max(Duration::from_millis(10));
    loop {
        tokio::time::sleep(period).await;
        match job.context().extend_timeout(w.config.timeout).await {
            Ok(()) => bump(&w.counters.heartbeats),
            Err(e) => tracing::warn!(error = %e, "could not extend the job's timeout"),
        }
    }
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

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, duration_ms)
}

/// Sends the handler's result, retrying transient failures with backoff (independently of the
/// activation backoff) until it is accepted, the attempts run out, or the job's lock expires.
async fn deliver(w: &Worker, job: &Job, outcome: Outcome) {
    let Some(cmd) = command(job, outcome) else {
        bump(&w.counters.ignored);
        tracing::debug!("job left to time out");
        return;
    };
    let (what, counter) = match &cmd {
        Command::Complete(_) => ("complete", &w.counters.completed),
        Command::Fail(_) => ("fail", &w.counters.failed),
        Command::Error(_) => ("throw an error for", &w.counters.errored),
    };
    let key = job.key();
    let mut ambiguous = false;
    let mut attempt: u32 = 0;
    loop {
        attempt += 1;
        let result = match &cmd {
            Command::Complete(r) => w.api.complete_job(key, r.clone()).await,
            Command::Fail(r) => w.api.fail_job(key, r.clone()).await,
            Command::Error(r) => w.api.throw_job_error(key, r.clone()).await,
        };
        let e = match result {
            Ok(()) => {
                bump(counter);
                return;
            }
            Err(e) => e,
        };
        if ambiguous && e.status() == Some(404) {
            // An earlier attempt that failed ambiguously most likely went through.
            tracing::debug!(job_key = %key, "job already gone after an ambiguous attempt; assuming it was applied");
            bump(counter);
            return;
        }
        let delay = backoff(w.config.backoff_min, w.config.backoff_max, attempt);
        let delay = e.retry_after().map_or(delay, |a| delay.max(a));
        let within_deadline = job.deadline() <= 0 || now_ms() + duration_ms(delay) < job.deadline();
        if e.is_retryable() && attempt < w.config.max_result_attempts && within_deadline {
            ambiguous |= e.is_ambiguous();
            tracing::warn!(job_key = %key, error = %e, attempt, ?delay, "could not {what} the job; retrying");
            tokio::time::sleep(delay).await;
            continue;
        }
        bump(&w.counters.result_failures);
        tracing::error!(job_key = %key, error = %e, attempt, "could not {what} the job; giving up (it will time out and be activated again)");
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_within_bounds() {
        let (min, max) = (Duration::from_millis(10), Duration::from_millis(200));
        for attempt in 1..40 {
            let d = backoff(min, max, attempt);
            assert!(d >= min && d <= max, "{d:?}");
        }
        assert_eq!(backoff(min, max, 1), min);
        let spread: std::collections::HashSet<_> = (0..20).map(|_| backoff(min, max, 10)).collect();
        assert!(spread.len() > 1, "jitter");
    }
}
