//! The blocking client: the same operations as [`crate::CamundaClient`], with the same names and
//! argument types, for code that has no async runtime.
//!
//! It owns a small tokio runtime (as `postgres` does over `tokio-postgres`), so callers never see
//! one. Called from inside an async runtime it returns [`Error::Runtime`] instead of blocking a
//! runtime thread (which could deadlock) or panicking.

use crate::config::Config;
use crate::retry::RetryPolicy;
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
/// let topology = client.get_topology()?;
/// println!("{} brokers", topology.brokers.len());
/// # Ok::<(), camunda_sdk::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CamundaClient {
    inner: crate::CamundaClient,
    runtime: Arc<Runtime>,
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
        }
    }

    /// The async client this one drives, for code that has both.
    pub fn inner(&self) -> &crate::CamundaClient {
        &self.inner
    }

    /// Runs `future` to completion on the owned runtime.
    pub(crate) fn block_on<T>(&self, future: impl Future<Output = Result<T>>) -> Result<T> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Runtime(
                "camunda_sdk::blocking::CamundaClient was called from inside an async runtime, \
                 where blocking would stall it; use camunda_sdk::CamundaClient (async) there, or \
                 call the blocking client from tokio::task::spawn_blocking"
                    .to_owned(),
            ));
        }
        match &self.runtime.0 {
            Some(rt) => rt.block_on(future),
            None => Err(Error::Runtime("the client's runtime has shut down".into())),
        }
    }
}
