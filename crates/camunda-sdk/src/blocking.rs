//! The blocking client: the same operations as [`crate::CamundaClient`], with the same names and
//! argument types, for code that has no async runtime.
//!
//! It owns a small tokio runtime (as `postgres` does over `tokio-postgres`), so callers never see
//! one. It works on any thread that may block: plain threads, and the blocking pool of an
//! application's own runtime (`tokio::task::spawn_blocking`). Called on a thread that drives
//! async tasks (inside `async` code) it returns [`Error::Runtime`] instead of stalling that
//! thread or panicking.

use crate::config::Config;
use crate::resilience::RetryPolicy;
use crate::{Error, Result};
use std::future::Future;
use std::sync::Arc;

/// Blocking client for the Camunda 8 Orchestration Cluster REST API. Cheap to clone and usable
/// from many threads at once.
///
/// ```no_run
/// use camunda_sdk::blocking::CamundaClient;
///
/// let client = CamundaClient::from_env()?;
/// let topology = client.get_topology().send()?;
/// println!("{} brokers", topology.brokers.len());
/// # Ok::<(), camunda_sdk::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CamundaClient {
    inner: crate::CamundaClient,
    runtime: Arc<Runtime>,
    workers: Arc<std::sync::OnceLock<crate::worker::JobWorkers>>,
}

/// The owned runtime; dropped without blocking even if the last clone goes away inside an async
/// context.
#[derive(Debug)]
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl CamundaClient {
    /// A client for `config`.
    pub fn new(config: Config) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("camunda-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Io {
                path: None,
                source: e,
            })?;
        // reqwest's connection pool must live on the runtime that drives it.
        let inner = {
            let _guard = runtime.enter();
            crate::CamundaClient::new(config)?
        };
        Ok(CamundaClient {
            inner,
            runtime: Arc::new(Runtime(Some(runtime))),
            workers: Arc::default(),
        })
    }

    /// A client configured from the `CAMUNDA_*` environment variables.
    pub fn from_env() -> Result<Self> {
        Self::new(Config::from_env()?)
    }

    /// A clone of this client that uses `policy` for its calls.
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        CamundaClient {
            inner: self.inner.with_retry_policy(policy),
            runtime: self.runtime.clone(),
            workers: self.workers.clone(),
        }
    }

    /// A clone of this client with the version guard on (see
    /// [`crate::CamundaClient::with_version_guard`]).
    pub fn with_version_guard(&self) -> Self {
        CamundaClient {
            inner: self.inner.with_version_guard(),
            runtime: self.runtime.clone(),
            workers: self.workers.clone(),
        }
    }

    /// A clone of this client on which every eventually consistent read waits (see
    /// [`crate::CamundaClient::with_consistency`]).
    pub fn with_consistency(&self, wait: crate::consistency::Consistency) -> Self {
        CamundaClient {
            inner: self.inner.with_consistency(wait),
            runtime: self.runtime.clone(),
            workers: self.workers.clone(),
        }
    }

    /// The async client this one drives, for code that has both.
    pub fn inner(&self) -> &crate::CamundaClient {
        &self.inner
    }

    /// Starts a job worker that runs the plain function `handler` for each job of
    /// `config.job_type` on a bounded pool of threads (at most `config.max_jobs_active` at
    /// once). Same engine and guarantees as the async client's workers. When the configuration
    /// names no tenant, the client's default tenant is used.
    ///
    /// ```no_run
    /// use camunda_sdk::blocking::CamundaClient;
    /// use camunda_sdk::worker::{JobWorkerConfig, Outcome};
    ///
    /// let client = CamundaClient::from_env()?;
    /// client.create_job_worker(JobWorkerConfig::new("send-email"), |job| {
    ///     println!("sending for {}", job.process_instance_key());
    ///     Outcome::complete()
    /// })?;
    /// let report = client.run_workers()?; // until Ctrl-C, then drains
    /// println!("{} jobs unfinished at shutdown", report.unfinished.len());
    /// # Ok::<(), camunda_sdk::Error>(())
    /// ```
    pub fn create_job_worker<F, R>(
        &self,
        config: crate::worker::JobWorkerConfig,
        handler: F,
    ) -> Result<crate::worker::WorkerHandle>
    where
        F: Fn(crate::worker::Job) -> R + Send + Sync + 'static,
        R: crate::worker::IntoOutcome,
    {
        let Some(rt) = &self.runtime.0 else {
            return Err(Error::Runtime("the client's runtime has shut down".into()));
        };
        let registry = self
            .workers
            .get_or_init(|| self.inner.job_workers().with_runtime(rt.handle().clone()));
        let config = self.inner.with_default_tenant(config);
        Ok(registry.create_blocking_job_worker(config, handler))
    }

    /// Runs the workers until Ctrl-C, then drains them (see
    /// [`crate::CamundaClient::run_workers`]). Blocks the calling thread.
    pub fn run_workers(&self) -> Result<crate::worker::ShutdownReport> {
        self.run_workers_until(async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::error!(error = %e, "cannot listen for Ctrl-C; stopping the workers");
            }
        })
    }

    /// Like [`run_workers`](Self::run_workers), but until `signal` resolves.
    pub fn run_workers_until(
        &self,
        signal: impl Future<Output = ()>,
    ) -> Result<crate::worker::ShutdownReport> {
        let Some(registry) = self.workers.get() else {
            return Ok(crate::worker::ShutdownReport::default());
        };
        self.block_on(async {
            signal.await;
            let deadline = registry
                .workers()
                .iter()
                .map(|w| w.config().shutdown_deadline)
                .max()
                .unwrap_or(std::time::Duration::from_secs(30));
            Ok(registry.shutdown(deadline).await)
        })
    }

    /// Runs `future` to completion on the owned runtime.
    pub(crate) fn block_on<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        if on_async_thread() {
            return Err(Error::Runtime(
                "camunda_sdk::blocking::CamundaClient was called from async code (a thread that \
                 drives an async runtime's tasks), where blocking would stall the runtime; use \
                 camunda_sdk::CamundaClient (async) there, or move the blocking call onto the \
                 blocking pool: tokio::task::spawn_blocking(move || client.…()).await"
                    .to_owned(),
            ));
        }
        match &self.runtime.0 {
            Some(rt) => rt.block_on(future),
            None => Err(Error::Runtime("the client's runtime has shut down".into())),
        }
    }
}

/// Whether this thread is driving async tasks right now (a runtime's worker thread polling a
/// task, or `block_on`), where blocking is wrong and `Runtime::block_on` would panic.
///
/// Tokio has no public query for this, and [`tokio::runtime::Handle::try_current`] cannot
/// tell: it also succeeds on the blocking pool (`spawn_blocking`), where blocking is fine. What
/// differs is the cooperative-scheduling budget: the scheduler gives every task poll (and
/// `block_on`) a finite budget, while the blocking pool and plain threads run unconstrained.
/// The probe spends the budget until Tokio would make the caller yield (at most 128 units),
/// then gives it all back by dropping the guards newest first.
fn on_async_thread() -> bool {
    use std::task::{Context, Poll, Waker};
    if tokio::runtime::Handle::try_current().is_err() {
        return false;
    }
    let mut cx = Context::from_waker(Waker::noop());
    let mut spent = Vec::new();
    let constrained = loop {
        match tokio::task::coop::poll_proceed(&mut cx) {
            Poll::Pending => break true,
            // An unconstrained budget never runs out; a constrained one does within 128.
            Poll::Ready(_) if spent.len() > 256 => break false,
            Poll::Ready(restore) => spent.push(restore),
        }
    };
    while let Some(restore) = spent.pop() {
        drop(restore);
    }
    constrained
}
