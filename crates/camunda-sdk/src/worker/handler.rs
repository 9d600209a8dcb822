//! Handlers: async closures, typed closures and blocking functions.

use super::job::{Job, Outcome};
use futures::future::BoxFuture;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

/// Why a handler could not handle its job; the worker fails the job with this message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandlerError(String);

impl HandlerError {
    /// An error with `message`.
    pub fn new(message: impl fmt::Display) -> Self {
        Self(message.to_string())
    }

    /// The message the job is failed with.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HandlerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HandlerError {}

/// Something that handles jobs. Implemented for every
/// `Fn(Job) -> impl Future<Output = Result<Outcome, E>>` where `E: Display` (any error type),
/// and by [`typed`] and [`blocking`].
///
/// An `Err` fails the job with the error's message and the job's retries minus one; a panic
/// does the same with the panic's message.
pub trait JobHandler: Send + Sync + 'static {
    /// Handles one job.
    fn handle(&self, job: Job) -> BoxFuture<'static, Result<Outcome, HandlerError>>;

    /// The variables this handler needs, when it knows (`None`: all of them). The worker's
    /// [`fetch_variables`](super::JobWorkerConfig::fetch_variables), when set, takes precedence.
    fn fetch_variables(&self) -> Option<Vec<String>> {
        None
    }
}

impl<F, Fut, E> JobHandler for F
where
    F: Fn(Job) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Outcome, E>> + Send + 'static,
    E: fmt::Display + 'static,
{
    fn handle(&self, job: Job) -> BoxFuture<'static, Result<Outcome, HandlerError>> {
        let fut = self(job);
        Box::pin(async move { fut.await.map_err(HandlerError::new) })
    }
}

/// A handler typed on its variables; see [`typed`].
pub struct Typed<T, F> {
    f: F,
    fetch: Option<Vec<String>>,
    _vars: PhantomData<fn() -> T>,
}

impl<T, F> fmt::Debug for Typed<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Typed")
            .field("vars", &std::any::type_name::<T>())
            .field("fetch", &self.fetch)
            .finish_non_exhaustive()
    }
}

/// A handler that receives the job's variables decoded into `T`.
///
/// The worker fetches only `T`'s fields (from its JSON schema, so `#[serde(rename)]` is
/// honoured; a struct with a flattened map fetches everything). Variables that do not decode
/// fail the job with the decoder's message, which names the variable; the handler is not
/// called.
///
/// ```
/// use camunda_sdk::worker::{Job, Outcome, typed};
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Payment {
///     amount: u64,
///     currency: String,
/// }
///
/// let handler = typed(|vars: Payment, _job: Job| async move {
///     Outcome::complete_with(&serde_json::json!({ "charged": vars.amount }))
/// });
/// # let _ = handler;
/// ```
pub fn typed<T, F, Fut, E>(f: F) -> Typed<T, F>
where
    T: DeserializeOwned + JsonSchema + 'static,
    F: Fn(T, Job) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Outcome, E>> + Send + 'static,
    E: fmt::Display + 'static,
{
    Typed {
        f,
        fetch: schema_properties::<T>(),
        _vars: PhantomData,
    }
}

/// The top-level property names of `T`'s schema; `None` when `T` accepts other properties too
/// (or is not an object), so that every variable must be fetched.
pub(crate) fn schema_properties<T: JsonSchema>() -> Option<Vec<String>> {
    let schema = schemars::schema_for!(T);
    let obj = schema.as_object()?;
    if obj
        .get("additionalProperties")
        .is_some_and(|v| v != &serde_json::Value::Bool(false))
    {
        return None;
    }
    let props = obj.get("properties")?.as_object()?;
    Some(props.keys().cloned().collect())
}

impl<T, F, Fut, E> JobHandler for Typed<T, F>
where
    T: DeserializeOwned + JsonSchema + 'static,
    F: Fn(T, Job) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Outcome, E>> + Send + 'static,
    E: fmt::Display + 'static,
{
    fn handle(&self, job: Job) -> BoxFuture<'static, Result<Outcome, HandlerError>> {
        match job.variables::<T>() {
            Ok(vars) => {
                let fut = (self.f)(vars, job);
                Box::pin(async move { fut.await.map_err(HandlerError::new) })
            }
            Err(e) => Box::pin(async move { Err(HandlerError::new(e)) }),
        }
    }

    fn fetch_variables(&self) -> Option<Vec<String>> {
        self.fetch.clone()
    }
}

/// A blocking handler; see [`blocking`].
pub struct Blocking<F> {
    f: Arc<F>,
}

impl<F> fmt::Debug for Blocking<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Blocking").finish_non_exhaustive()
    }
}

/// Runs a plain function on Tokio's blocking thread pool, at most
/// [`max_jobs_active`](super::JobWorkerConfig::max_jobs_active) at a time per worker. Use
/// [`JobContext::extend_timeout_blocking`](super::JobContext::extend_timeout_blocking) from it.
pub fn blocking<F, E>(f: F) -> Blocking<F>
where
    F: Fn(&Job) -> Result<Outcome, E> + Send + Sync + 'static,
    E: fmt::Display + 'static,
{
    Blocking { f: Arc::new(f) }
}

impl<F, E> JobHandler for Blocking<F>
where
    F: Fn(&Job) -> Result<Outcome, E> + Send + Sync + 'static,
    E: fmt::Display + 'static,
{
    fn handle(&self, job: Job) -> BoxFuture<'static, Result<Outcome, HandlerError>> {
        let f = Arc::clone(&self.f);
        Box::pin(async move {
            let joined =
                tokio::task::spawn_blocking(move || f(&job).map_err(HandlerError::new)).await;
            match joined {
                Ok(result) => result,
                // Re-raised here so the engine reports it like an async handler's panic.
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(e) => Err(HandlerError::new(e)),
            }
        })
    }
}
