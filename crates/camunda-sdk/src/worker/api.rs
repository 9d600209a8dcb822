//! The seam between the worker engine and the cluster.

use crate::{Error, keys, types};
use futures::future::BoxFuture;

/// The five job operations a worker needs.
///
/// The SDK's clients implement this by calling the REST API. Implement it yourself to run a
/// worker (and your handlers) against an in-memory fake in tests:
///
/// ```
/// use camunda_sdk::worker::JobApi;
/// use camunda_sdk::{Error, keys, types};
/// use futures::future::{BoxFuture, FutureExt};
///
/// struct NoJobs;
///
/// impl JobApi for NoJobs {
///     fn activate_jobs(
///         &self,
///         _req: types::JobActivationRequest,
///     ) -> BoxFuture<'_, Result<Vec<types::ActivatedJobResult>, Error>> {
///         async { Ok(Vec::new()) }.boxed()
///     }
///     fn complete_job(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobCompletionRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
///     fn fail_job(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobFailRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
///     fn throw_job_error(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobErrorRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
///     fn update_job(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobUpdateRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
/// }
/// ```
///
/// The returned futures must not borrow `key` or `req` (clone what you need before the
/// `async` block); they may borrow `self`.
pub trait JobApi: Send + Sync + 'static {
    /// `POST /v2/jobs/activation`: activate up to `req.max_jobs_to_activate` jobs, long-polling
    /// for up to `req.request_timeout` ms when none are available.
    fn activate_jobs(
        &self,
        req: types::JobActivationRequest,
    ) -> BoxFuture<'_, Result<Vec<types::ActivatedJobResult>, Error>>;

    /// `POST /v2/jobs/{jobKey}/completion`.
    fn complete_job(
        &self,
        key: &keys::JobKey,
        req: types::JobCompletionRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// `POST /v2/jobs/{jobKey}/failure`.
    fn fail_job(
        &self,
        key: &keys::JobKey,
        req: types::JobFailRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// `POST /v2/jobs/{jobKey}/error`: throw a BPMN error.
    fn throw_job_error(
        &self,
        key: &keys::JobKey,
        req: types::JobErrorRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// `PATCH /v2/jobs/{jobKey}`: change a job's timeout or retries.
    fn update_job(
        &self,
        key: &keys::JobKey,
        req: types::JobUpdateRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// The most jobs one activation should ask for now, or `None` for no cap. The SDK's client
    /// answers with its backpressure gate's limit while the cluster pushes back, so a worker
    /// asks for fewer jobs instead of adding load; the default is no cap.
    fn activation_cap(&self) -> Option<usize> {
        None
    }
}
