//! Handlers: closures that take a [`Job`] and decide its [`Outcome`], async or blocking.

use super::job::{Job, Outcome};
use futures::future::BoxFuture;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

/// Why a handler could not handle its job; the worker fails the job with this message.
///
/// Every [`std::error::Error`] converts into it, so `?` works in a handler on any error
/// (`camunda_sdk::Error`, `serde_json::Error`, `std::io::Error`, …); for a message of your own,
/// return `Err(HandlerError::new("…"))`. Like `anyhow::Error`, it does not implement
/// `std::error::Error` itself: that is what lets it convert from every error (an `anyhow::Error`
/// converts with `.map_err(HandlerError::new)`).
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

impl<E: std::error::Error> From<E> for HandlerError {
    fn from(error: E) -> Self {
        Self::new(error)
    }
}

mod sealed {
    pub trait Sealed {}
}

/// What a handler returns: an [`Outcome`], or `Result<Outcome, HandlerError>` when it can fail.
///
/// Only these two, so that a handler's `Ok(Outcome::complete())` has one possible type and
/// needs no annotation, and `?` converts any error into the [`HandlerError`].
#[diagnostic::on_unimplemented(
    message = "a job handler returns `Outcome` or `Result<Outcome, HandlerError>`, not `{Self}`",
    label = "returned by this handler",
    note = "`?` converts any error into a `HandlerError`: return `Ok(value?)`, or map the error with `.map_err(HandlerError::new)`"
)]
pub trait IntoOutcome: sealed::Sealed {
    /// The decision, or why there is none.
    fn into_outcome(self) -> Result<Outcome, HandlerError>;

    /// The variables a handler returning this needs (`None`: all of them). A [`typed`]
    /// handler's result carries its variables' fields here, because a handler is a plain
    /// closure and its return type is the only place such a fact can live.
    #[doc(hidden)]
    fn fetch_variables() -> Option<Vec<String>>
    where
        Self: Sized,
    {
        None
    }
}

impl sealed::Sealed for Outcome {}

impl IntoOutcome for Outcome {
    fn into_outcome(self) -> Result<Outcome, HandlerError> {
        Ok(self)
    }
}

impl sealed::Sealed for Result<Outcome, HandlerError> {}

impl IntoOutcome for Result<Outcome, HandlerError> {
    fn into_outcome(self) -> Result<Outcome, HandlerError> {
        self
    }
}

/// Something that handles jobs: every `Fn(Job) -> impl Future<Output = R>` where `R` is an
/// [`Outcome`] or a `Result<Outcome, HandlerError>`, and what [`typed`] and [`blocking`]
/// return.
///
/// Because the trait names `Fn(Job)` itself, a closure passed where a `JobHandler` is expected
/// needs no annotations: its argument is a [`Job`], and `Ok(..)` is a
/// `Result<Outcome, HandlerError>`.
///
/// Every handler, async or blocking, takes the job by value: an async handler's future outlives
/// the call that made it, so it must own the job, and a blocking one takes it the same way so
/// that code moves between the two unchanged. A [`Job`] is cheap to clone.
///
/// An `Err` fails the job with the error's message and the job's retries minus one; a panic
/// does the same with the panic's message.
///
/// ```no_run
/// # async fn demo(client: camunda_sdk::CamundaClient) {
/// use camunda_sdk::worker::{HandlerError, JobWorkerConfig, Outcome, blocking, typed};
///
/// // A decision that cannot fail.
/// client.create_job_worker(JobWorkerConfig::new("notify"), |job| async move {
///     println!("notifying for {}", job.process_instance_key());
///     Outcome::complete()
/// });
///
/// // One that can: `?` takes any error, `HandlerError::new` a message of your own.
/// client.create_job_worker(JobWorkerConfig::new("charge"), |job| async move {
///     let amount: f64 = job.variable("amount")?.unwrap_or_default();
///     if amount < 0.0 {
///         return Err(HandlerError::new(format!("cannot charge {amount}")));
///     }
///     Outcome::complete_with(&serde_json::json!({ "charged": amount }))
/// });
///
/// // Variables decoded into a struct; only its fields are fetched.
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Order {
///     amount: f64,
/// }
/// client.create_job_worker(
///     JobWorkerConfig::new("check-order"),
///     typed(|order: Order, _job| async move {
///         Outcome::complete_with(&serde_json::json!({ "approved": order.amount < 1000.0 }))
///     }),
/// );
///
/// // A plain function on the blocking thread pool takes the job the same way.
/// client.create_job_worker(
///     JobWorkerConfig::new("archive"),
///     blocking(|job| {
///         std::fs::write(format!("/tmp/{}", job.key()), job.job_type())?;
///         Ok(Outcome::complete())
///     }),
/// );
/// # }
/// ```
pub trait JobHandler: Fn(Job) -> <Self as JobHandler>::Future + Send + Sync + 'static {
    /// The future the handler returns for a job.
    type Future: Future<Output: IntoOutcome> + Send + 'static;

    /// The variables this handler needs, when it knows (`None`: all of them). The worker's
    /// [`fetch_variables`](super::JobWorkerConfig::fetch_variables), when set, takes precedence.
    fn fetch_variables(&self) -> Option<Vec<String>> {
        <<Self::Future as Future>::Output as IntoOutcome>::fetch_variables()
    }
}

impl<F, Fut> JobHandler for F
where
    F: Fn(Job) -> Fut + Send + Sync + 'static,
    Fut: Future<Output: IntoOutcome> + Send + 'static,
{
    type Future = Fut;
}

/// A [`JobHandler`] behind a pointer, as the engine and the test harness hold it.
pub(crate) trait DynHandler: Send + Sync {
    /// Runs the handler on `job`. Call it inside the future that catches the handler's panics:
    /// the closure's synchronous part runs here.
    fn handle(&self, job: Job) -> BoxFuture<'static, Result<Outcome, HandlerError>>;

    /// See [`JobHandler::fetch_variables`].
    fn fetch_variables(&self) -> Option<Vec<String>>;
}

impl<H: JobHandler> DynHandler for H {
    fn handle(&self, job: Job) -> BoxFuture<'static, Result<Outcome, HandlerError>> {
        let fut = self(job);
        Box::pin(async move { fut.await.into_outcome() })
    }

    fn fetch_variables(&self) -> Option<Vec<String>> {
        JobHandler::fetch_variables(self)
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
/// use camunda_sdk::worker::{Outcome, typed};
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Payment {
///     amount: u64,
///     currency: String,
/// }
///
/// let handler = typed(|vars: Payment, _job| async move {
///     Outcome::complete_with(&serde_json::json!({ "charged": vars.amount }))
/// });
/// # let _ = handler;
/// ```
pub fn typed<T, F, Fut>(f: F) -> impl JobHandler
where
    T: DeserializeOwned + JsonSchema + 'static,
    F: Fn(T, Job) -> Fut + Send + Sync + 'static,
    Fut: Future<Output: IntoOutcome> + Send + 'static,
{
    move |job: Job| {
        let called = job.variables::<T>().map(|vars| f(vars, job));
        async move {
            let result = match called {
                Ok(fut) => fut.await.into_outcome(),
                Err(e) => Err(HandlerError::from(e)),
            };
            Decoded::<T> {
                result,
                _vars: PhantomData,
            }
        }
    }
}

/// A [`typed`] handler's result: the decision, and (in its type) the variables to fetch.
struct Decoded<T> {
    result: Result<Outcome, HandlerError>,
    _vars: PhantomData<fn() -> T>,
}

impl<T> sealed::Sealed for Decoded<T> {}

impl<T: JsonSchema> IntoOutcome for Decoded<T> {
    fn into_outcome(self) -> Result<Outcome, HandlerError> {
        self.result
    }

    fn fetch_variables() -> Option<Vec<String>> {
        schema_properties::<T>()
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

/// Runs the plain function `f` on Tokio's blocking thread pool, at most
/// [`max_jobs_active`](super::JobWorkerConfig::max_jobs_active) at a time per worker. It takes
/// the [`Job`] by value, as an async handler does, and returns an [`Outcome`] or a
/// `Result<Outcome, HandlerError>`. Use
/// [`JobContext::extend_timeout_blocking`](super::JobContext::extend_timeout_blocking) from it.
pub fn blocking<F, R>(f: F) -> impl JobHandler
where
    F: Fn(Job) -> R + Send + Sync + 'static,
    R: IntoOutcome,
{
    let f = Arc::new(f);
    move |job: Job| {
        let f = Arc::clone(&f);
        async move {
            match tokio::task::spawn_blocking(move || f(job).into_outcome()).await {
                Ok(result) => result,
                // Re-raised here so the engine reports it like an async handler's panic.
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(e) => Err(HandlerError::new(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_mark_keeps_the_message_of_common_errors() {
        fn json() -> Result<Outcome, HandlerError> {
            let _: u32 = serde_json::from_str("\"x\"")?;
            Ok(Outcome::complete())
        }
        fn io() -> Result<Outcome, HandlerError> {
            std::fs::read("/nonexistent/camunda-sdk-handler-test")?;
            Ok(Outcome::complete())
        }
        fn sdk() -> Result<Outcome, HandlerError> {
            let _: Payment = super::super::job::decode_variables(&serde_json::Map::new())?;
            Ok(Outcome::complete())
        }
        let json_msg = serde_json::from_str::<u32>("\"x\"")
            .unwrap_err()
            .to_string();
        assert_eq!(json().unwrap_err().message(), json_msg);
        let io_msg = std::fs::read("/nonexistent/camunda-sdk-handler-test")
            .unwrap_err()
            .to_string();
        assert_eq!(io().unwrap_err().message(), io_msg);
        let sdk_msg = super::super::job::decode_variables::<Payment>(&serde_json::Map::new())
            .unwrap_err()
            .to_string();
        assert_eq!(sdk().unwrap_err().message(), sdk_msg);
        assert!(sdk_msg.contains("missing field `amount`"), "{sdk_msg}");
    }

    #[derive(Debug, serde::Deserialize, JsonSchema)]
    #[allow(dead_code)]
    struct Payment {
        amount: u64,
        #[serde(rename = "customerId")]
        customer: String,
    }

    #[test]
    fn only_typed_handlers_narrow_the_fetched_variables() {
        let typed = typed(|_: Payment, _job| async { Outcome::complete() });
        let mut fetched = JobHandler::fetch_variables(&typed).unwrap();
        fetched.sort();
        assert_eq!(fetched, ["amount", "customerId"]);

        let plain = |_job| async { Ok(Outcome::complete()) };
        assert_eq!(JobHandler::fetch_variables(&plain), None);
        let blocking = blocking(|_job| Outcome::complete());
        assert_eq!(JobHandler::fetch_variables(&blocking), None);
    }
}
