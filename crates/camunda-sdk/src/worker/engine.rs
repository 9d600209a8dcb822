//! The engine: one activation loop per worker, one task per job.

use super::api::{JobApi, UndecodedJob};
use super::config::JobWorkerConfig;
use super::handler::{DynHandler, IntoOutcome, JobHandler, blocking};
use super::job::{Job, JobContext, Outcome, duration_ms};
use super::results::{ShutdownReport, deliver, hand_back, now_ms};
use crate::resilience;
use crate::{keys, types};
use futures::FutureExt;
use std::collections::HashMap;
use std::future::Future;
use std::hash::{BuildHasherDefault, Hasher};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
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
    /// Jobs failed (by the handler's decision, its error, or its panic, or because they did
    /// not decode).
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
    /// Jobs handed back to the server at a shutdown deadline.
    pub handed_back: u64,
    /// Activated jobs that did not decode: failed back to the server with the decode error when
    /// their key could be read, otherwise left to time out (logged at error).
    pub undecodable_jobs: u64,
    /// Jobs being handled now.
    pub in_flight: usize,
    /// Time activations spent waiting for the client's backpressure gate.
    pub gate_wait: Duration,
}

#[derive(Default)]
pub(super) struct Counters {
    activation_requests: AtomicU64,
    activation_errors: AtomicU64,
    activated: AtomicU64,
    pub(super) completed: AtomicU64,
    pub(super) failed: AtomicU64,
    pub(super) errored: AtomicU64,
    pub(super) ignored: AtomicU64,
    handler_errors: AtomicU64,
    panicked: AtomicU64,
    pub(super) result_failures: AtomicU64,
    heartbeats: AtomicU64,
    jobs_without_lease: AtomicU64,
    pub(super) handed_back: AtomicU64,
    undecodable_jobs: AtomicU64,
    finished: AtomicU64,
    gate_wait_us: AtomicU64,
}

pub(super) fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

pub(super) struct Worker {
    pub(super) api: Arc<dyn JobApi>,
    pub(super) config: JobWorkerConfig,
    handler: Arc<dyn DynHandler>,
    runtime: tokio::runtime::Handle,
    semaphore: Arc<Semaphore>,
    state: Mutex<WorkerState>,
    pub(super) counters: Counters,
    /// The jobs in flight, by a slot number of their own (the server may hand out a job
    /// again while an earlier activation of it is still being handled).
    in_flight: Mutex<Slots>,
    next_slot: AtomicU64,
    idle: Notify,
    stop: watch::Sender<bool>,
    poller: Mutex<Option<JoinHandle<()>>>,
    /// An activation request is on its way (for the shutdown report).
    activating: AtomicBool,
    lease_warned: AtomicBool,
}

/// The jobs in flight by slot number.
type Slots = HashMap<u64, Slot, BuildHasherDefault<SlotHasher>>;

/// Slot numbers are handed out in sequence and never come from outside: a multiplicative hash
/// spreads them well enough, without SipHash's cost on each of a job's three lookups.
#[derive(Default)]
struct SlotHasher(u64);

impl Hasher for SlotHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64((self.0 << 8) | u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// One job in flight.
struct Slot {
    job: Job,
    stage: Arc<AtomicU8>,
    abort: Option<tokio::task::AbortHandle>,
}

/// The handler runs; no result has been sent.
const HANDLING: u8 = 0;
/// The result is being delivered.
const SENDING: u8 = 1;
/// Taken away at the shutdown deadline: no result may be sent any more.
const REVOKED: u8 = 2;

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

    fn untrack(&self, slot: u64) {
        {
            let mut map = lock(&self.in_flight);
            // A slot taken at the shutdown deadline is not a finished job.
            if map.remove(&slot).is_some() {
                bump(&self.counters.finished);
            }
        }
        self.idle.notify_waiters();
    }

    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }
}

/// Gives a job's slot back when its task ends, however it ends: the permit first, then the
/// entry in the worker's table.
struct Tracked {
    worker: Arc<Worker>,
    slot: u64,
    permit: Option<OwnedSemaphorePermit>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        drop(self.permit.take());
        self.worker.untrack(self.slot);
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
            handed_back: get(&c.handed_back),
            undecodable_jobs: get(&c.undecodable_jobs),
            in_flight: lock(&self.inner.in_flight).len(),
            gate_wait: Duration::from_micros(get(&c.gate_wait_us)),
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
        lock(&self.inner.in_flight)
            .values()
            .map(|s| s.job.key().clone())
            .collect()
    }

    /// Stops activating jobs; jobs in flight go on. Use [`Self::shutdown`] to wait for them.
    pub fn stop(&self) {
        self.inner.stop.send_replace(true);
        *lock(&self.inner.state) = WorkerState::Stopping;
    }

    /// Stops activating, waits up to `deadline` for an activation in flight and for the jobs in
    /// flight to finish, then aborts and hands back the jobs that did not (see
    /// [`ShutdownReport`] for the exact semantics).
    pub async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        let finished_before = self.inner.counters.finished.load(Ordering::Relaxed);
        self.stop();
        self.drain(tokio::time::Instant::now() + deadline, finished_before)
            .await
    }

    /// `until` is on the runtime's clock, like every timer of the worker.
    async fn drain(&self, until: tokio::time::Instant, finished_before: u64) -> ShutdownReport {
        let poller = lock(&self.inner.poller).take();
        let mut activation_abandoned = false;
        if let Some(mut poller) = poller
            && tokio::time::timeout_at(until, &mut poller).await.is_err()
        {
            poller.abort();
            activation_abandoned = self.inner.activating.load(Ordering::SeqCst);
            if activation_abandoned {
                tracing::warn!(
                    "an activation request was still unanswered at the shutdown deadline; jobs it may have activated stay locked until their timeout"
                );
            }
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
        // Take every job still in flight in one step, so that each counts either as drained
        // or as unfinished.
        let (finished, slots) = {
            let mut map = lock(&self.inner.in_flight);
            let finished = self.inner.counters.finished.load(Ordering::Relaxed);
            (finished, map.drain().map(|(_, s)| s).collect::<Vec<_>>())
        };
        let revoked: Vec<(Job, bool)> = slots
            .into_iter()
            .map(|slot| {
                // Whoever moves the stage first wins: the task cannot start sending now.
                let result_sent = slot.stage.swap(REVOKED, Ordering::SeqCst) == SENDING;
                if let Some(abort) = &slot.abort {
                    abort.abort();
                }
                (slot.job, result_sent)
            })
            .collect();
        let jobs = hand_back(&self.inner, revoked).await;
        *lock(&self.inner.state) = WorkerState::Stopped;
        ShutdownReport {
            drained: usize::try_from(finished - finished_before).unwrap_or(usize::MAX),
            unfinished: jobs.iter().map(|j| j.key.clone()).collect(),
            jobs,
            activation_abandoned,
        }
    }
}

/// The workers of one client: create them, then run them until a shutdown signal.
///
/// ```no_run
/// # async fn demo(api: std::sync::Arc<dyn camunda_sdk::worker::JobApi>) {
/// use camunda_sdk::worker::{JobWorkerConfig, JobWorkers, Outcome};
/// use std::time::Duration;
///
/// let workers = JobWorkers::new(api);
/// workers.create_job_worker(JobWorkerConfig::new("payment"), |job| async move {
///     tracing::info!(key = %job.key(), "charging");
///     Outcome::complete()
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
    /// `|job| async move { ... }`, [`typed`](super::typed) or [`blocking`](super::blocking); see
    /// [`JobHandler`]).
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
            in_flight: Mutex::new(Slots::default()),
            next_slot: AtomicU64::new(0),
            idle: Notify::new(),
            stop,
            poller: Mutex::new(None),
            activating: AtomicBool::new(false),
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
    pub fn create_blocking_job_worker<F, R>(
        &self,
        config: JobWorkerConfig,
        handler: F,
    ) -> WorkerHandle
    where
        F: Fn(Job) -> R + Send + Sync + 'static,
        R: IntoOutcome,
    {
        self.create_job_worker(config, blocking(handler))
    }

    /// The workers created so far.
    pub fn workers(&self) -> Vec<WorkerHandle> {
        lock(&self.workers).clone()
    }

    /// Stops every worker from activating, waits up to `deadline` for their activations and
    /// jobs in flight, and aborts and hands back those that did not finish (see
    /// [`ShutdownReport`]).
    pub async fn shutdown(&self, deadline: Duration) -> ShutdownReport {
        let until = tokio::time::Instant::now() + deadline;
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
        // Under backpressure, ask for no more jobs than the client's gate admits requests.
        if let Some(cap) = w.api.activation_cap()
            && permits.num_permits() > cap.max(1)
        {
            drop(permits.split(permits.num_permits() - cap.max(1)));
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
        // Not raced against `stop`: the server may already have handed out jobs in the answer,
        // and dropping it would leave them locked. The shutdown deadline bounds this wait.
        w.activating.store(true, Ordering::SeqCst);
        let activation = AssertUnwindSafe(w.api.activate_jobs(req)).catch_unwind();
        let (result, gate_wait) = crate::gate::metered(activation).await;
        w.activating.store(false, Ordering::SeqCst);
        let gate_wait = u64::try_from(gate_wait.as_micros()).unwrap_or(u64::MAX);
        w.counters
            .gate_wait_us
            .fetch_add(gate_wait, Ordering::Relaxed);
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
                for job in jobs {
                    let permit = match permits.split(1) {
                        Some(p) => p,
                        // The server sent more jobs than asked for: wait for room. Until
                        // then the answer is not taken in (a shutdown deadline drops it).
                        None => {
                            w.activating.store(true, Ordering::SeqCst);
                            let room = Arc::clone(&w.semaphore).acquire_owned().await;
                            w.activating.store(false, Ordering::SeqCst);
                            match room {
                                Ok(p) => p,
                                Err(_) => break,
                            }
                        }
                    };
                    match job {
                        Ok(raw) => spawn_job(&w, raw, permit),
                        Err(undecoded) => fail_back_undecoded(&w, *undecoded, permit),
                    }
                }
            }
            Err(e) => {
                drop(permits);
                failures = failures.saturating_add(1);
                bump(&w.counters.activation_errors);
                let delay = if e.is_retryable() {
                    resilience::backoff(cfg.backoff_min, cfg.backoff_max, failures)
                } else {
                    cfg.backoff_max
                };
                let delay = resilience::honour_retry_after(delay, e.retry_after(), cfg.backoff_max);
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
    let span = tracing::info_span!(
        "job",
        job_key = %raw.job_key,
        job_type = %raw.type_,
        process_instance_key = %raw.process_instance_key,
    );
    let ctx = JobContext::new(
        Arc::clone(&w.api),
        raw.job_key.clone(),
        raw.job_lease_token.clone(),
        w.runtime.clone(),
    );
    let job = Job::new(raw, ctx);
    let slot = w.next_slot.fetch_add(1, Ordering::Relaxed);
    let stage = Arc::new(AtomicU8::new(HANDLING));
    lock(&w.in_flight).insert(
        slot,
        Slot {
            job: job.clone(),
            stage: Arc::clone(&stage),
            abort: None,
        },
    );
    // The permit goes back only after the result was delivered (or given up on).
    let tracked = Tracked {
        worker: Arc::clone(w),
        slot,
        permit: Some(permit),
    };
    let task = w
        .runtime
        .spawn(run_job(tracked, job, stage).instrument(span));
    if let Some(s) = lock(&w.in_flight).get_mut(&slot) {
        s.abort = Some(task.abort_handle());
    }
}

/// A job that did not decode is never handed to the handler: it is failed back at once with the
/// decode error and its retries decremented, as a handler error would be, so that the process
/// shows an incident when they run out instead of the job staying locked until its timeout.
fn fail_back_undecoded(w: &Arc<Worker>, job: UndecodedJob, permit: OwnedSemaphorePermit) {
    bump(&w.counters.activated);
    bump(&w.counters.undecodable_jobs);
    let Some(key) = job.key else {
        tracing::error!(
            job_type = %w.config.job_type,
            error = %job.error,
            job = %job.excerpt,
            "an activated job did not decode and its key cannot be read: it cannot be failed back and stays locked on the server until its timeout"
        );
        return;
    };
    tracing::warn!(
        job_key = %key,
        job_type = %w.config.job_type,
        error = %job.error,
        "an activated job did not decode; failing it back to the server"
    );
    let req = types::JobFailRequest {
        error_message: Some(job.error.to_string()),
        job_lease_token: job.lease_token,
        // Unreadable retries: no retry is left to count down from, so the incident shows now.
        retries: Some(job.retries.map_or(0, |r| (r - 1).max(0))),
        retry_back_off: None,
        variables: None,
    };
    // Not a slot of its own (there is no `Job` to hand to a handler or back at a deadline):
    // the failure is the job's one command, and the permit is held until it was sent.
    let w = Arc::clone(w);
    w.runtime.clone().spawn(async move {
        match w.api.fail_job(&key, req).await {
            Ok(()) => bump(&w.counters.failed),
            Err(e) => {
                bump(&w.counters.result_failures);
                tracing::warn!(job_key = %key, error = %e, "could not fail back a job that did not decode; it will time out and be activated again");
            }
        }
        drop(permit);
    });
}

/// What the worker sends for a handler that returned `Err` or panicked: a failure with the
/// job's retries minus one (so an incident shows when they run out) and no back-off.
pub(crate) fn handler_failure(job_retries: i32, message: String) -> Outcome {
    Outcome::Fail {
        message,
        retries: Some((job_retries - 1).max(0)),
        retry_backoff: None,
    }
}

pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(no message)".to_owned()
    }
}

// Not an `async fn` (nor `deliver`): that would keep the job and the outcome twice in every
// job's task (880 bytes now, 1,160 before), pushing it past glibc's fast path for blocks of up
// to 1,032 bytes.
#[allow(clippy::manual_async_fn)]
fn run_job(tracked: Tracked, job: Job, stage: Arc<AtomicU8>) -> impl Future<Output = ()> + Send {
    async move {
        let w = &*tracked.worker;
        // The lock's end on the runtime's clock (the server gives it in epoch ms), so that the
        // result's retry budget is measured on the same clock as its backoff.
        let lock_until = (job.deadline() > 0).then(|| {
            let left = u64::try_from(job.deadline() - now_ms()).unwrap_or(0);
            tokio::time::Instant::now() + Duration::from_millis(left)
        });
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
        let outcome = match result {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(e)) => {
                bump(&w.counters.handler_errors);
                tracing::warn!(error = %e, "job handler failed");
                handler_failure(job.retries(), e.to_string())
            }
            Err(payload) => {
                bump(&w.counters.panicked);
                let msg = panic_message(&*payload);
                tracing::error!(panic = %msg, "job handler panicked");
                handler_failure(job.retries(), format!("job handler panicked: {msg}"))
            }
        };
        if stage
            .compare_exchange(HANDLING, SENDING, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            // Taken away at the shutdown deadline and handed back: the result must not be sent.
            return;
        }
        deliver(w, &job, outcome, lock_until).await;
    }
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
