//! Build a [`Job`] without a server and see what a handler decides for it.

use crate::worker::{DynHandler, HandlerError, Job, JobApi, JobContext, JobHandler, Outcome};
use crate::{Error, keys, types};
use futures::FutureExt;
use futures::future::BoxFuture;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// A job as a worker would receive it, built in a test. Every field has a plausible default
/// (key `1`, 3 retries, deadline 60 s after the UNIX epoch, tenant `<default>`, no variables).
///
/// ```
/// use camunda_sdk::testing::TestJob;
/// use camunda_sdk::worker::Outcome;
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), camunda_sdk::Error> {
/// let job = TestJob::new("check-order")
///     .variables(&serde_json::json!({ "amount": 1500.0 }))
///     .custom_header("region", "eu")
///     .retries(1)
///     .build()?;
/// let outcome = TestJob::decide(
///     &|job| async move {
///         let amount: f64 = job.variable("amount")?.unwrap_or_default();
///         Ok(if amount > 1000.0 { Outcome::fail("too much") } else { Outcome::complete() })
///     },
///     job,
/// )
/// .await;
/// assert_eq!(outcome, Outcome::fail("too much"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct TestJob {
    raw: Map<String, Value>,
    error: Option<String>,
    timeouts: Arc<Mutex<Vec<Duration>>>,
}

impl TestJob {
    /// A job of type `job_type`.
    pub fn new(job_type: &str) -> Self {
        let raw = json!({
            "type": job_type,
            "jobKey": "1",
            "processInstanceKey": "2",
            "rootProcessInstanceKey": "2",
            "processDefinitionKey": "3",
            "processDefinitionId": "test-process",
            "processDefinitionVersion": 1,
            "elementId": "task",
            "elementInstanceKey": "4",
            "customHeaders": {},
            "worker": "test-worker",
            "retries": 3,
            "deadline": 60_000,
            "variables": {},
            "tenantId": "<default>",
            "physicalTenantId": "<default>",
            "kind": "BPMN_ELEMENT",
            "listenerEventType": "UNSPECIFIED",
            "tags": [],
            "priority": 0,
        });
        let Value::Object(raw) = raw else {
            unreachable!("a JSON object literal")
        };
        Self {
            raw,
            error: None,
            timeouts: Arc::default(),
        }
    }

    fn set(mut self, name: &str, value: impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(v) => {
                self.raw.insert(name.to_owned(), v);
            }
            Err(e) => self.error = Some(format!("`{name}`: {e}")),
        }
        self
    }

    /// The job's key.
    pub fn key(self, key: keys::JobKey) -> Self {
        self.set("jobKey", key)
    }

    /// The process instance the job belongs to.
    pub fn process_instance_key(self, key: keys::ProcessInstanceKey) -> Self {
        self.set("processInstanceKey", key)
    }

    /// The BPMN element the job was created for.
    pub fn element_id(self, id: &str) -> Self {
        self.set("elementId", id)
    }

    /// The retries the job has left.
    pub fn retries(self, retries: i32) -> Self {
        self.set("retries", retries)
    }

    /// When the job's lock expires, in ms since the UNIX epoch.
    pub fn deadline(self, epoch_ms: i64) -> Self {
        self.set("deadline", epoch_ms)
    }

    /// The tenant that owns the job.
    pub fn tenant(self, tenant: keys::TenantId) -> Self {
        self.set("tenantId", tenant)
    }

    /// All variables at once, from any value that serialises to a JSON object (replaces those
    /// set before).
    pub fn variables(self, variables: &impl Serialize) -> Self {
        match serde_json::to_value(variables) {
            Ok(Value::Object(_)) => self.set("variables", variables),
            Ok(other) => {
                let mut s = self;
                s.error = Some(format!("`variables` must be a JSON object, not {other}"));
                s
            }
            Err(e) => {
                let mut s = self;
                s.error = Some(format!("`variables`: {e}"));
                s
            }
        }
    }

    /// One variable.
    pub fn variable(mut self, name: &str, value: &impl Serialize) -> Self {
        match serde_json::to_value(value) {
            Ok(v) => {
                if let Some(Value::Object(vars)) = self.raw.get_mut("variables") {
                    vars.insert(name.to_owned(), v);
                }
            }
            Err(e) => self.error = Some(format!("variable `{name}`: {e}")),
        }
        self
    }

    /// One custom header (the task's `zeebe:taskHeaders`).
    pub fn custom_header(mut self, name: &str, value: &str) -> Self {
        if let Some(Value::Object(headers)) = self.raw.get_mut("customHeaders") {
            headers.insert(name.to_owned(), Value::String(value.to_owned()));
        }
        self
    }

    /// The timeouts the handler asked for through [`Job::extend_timeout`] on jobs built from
    /// this value, in order.
    pub fn extended_timeouts(&self) -> Vec<Duration> {
        self.timeouts.lock().expect("not poisoned").clone()
    }

    /// The job as the server would send it in an activation response.
    pub(crate) fn to_json(&self) -> Result<Value, Error> {
        self.build()?;
        Ok(Value::Object(self.raw.clone()))
    }

    /// The [`Job`]. Fails with [`Error::InvalidArgument`] naming the setter whose value could
    /// not be used.
    pub fn build(&self) -> Result<Job, Error> {
        if let Some(message) = &self.error {
            return Err(Error::InvalidArgument {
                name: "TestJob",
                message: message.clone(),
            });
        }
        let raw: types::ActivatedJobResult =
            serde_json::from_value(Value::Object(self.raw.clone())).map_err(|e| {
                Error::InvalidArgument {
                    name: "TestJob",
                    message: format!("not a job the SDK could receive: {e}"),
                }
            })?;
        let api = Arc::new(Recorder {
            timeouts: Arc::clone(&self.timeouts),
        });
        let ctx = JobContext::new(
            api,
            raw.job_key.clone(),
            raw.job_lease_token.clone(),
            runtime(),
        );
        Ok(Job::new(raw, ctx))
    }

    /// Runs `handler` on `job` and returns what the worker would send for it: the handler's
    /// [`Outcome`], or for an `Err` or a panic the failure the worker turns it into (message,
    /// the job's retries minus one).
    pub async fn decide(handler: &impl JobHandler, job: Job) -> Outcome {
        let retries = job.retries();
        // The closure's synchronous part runs in `handle`, so it goes inside the caught future.
        let handled = AssertUnwindSafe(async { handler.handle(job).await })
            .catch_unwind()
            .await;
        as_worker_would(handled, retries)
    }

    /// [`Self::decide`] for tests without a Tokio runtime (a blocking handler, a plain `#[test]`).
    pub fn decide_blocking(handler: &impl JobHandler, job: Job) -> Outcome {
        let retries = job.retries();
        let handled = std::panic::catch_unwind(AssertUnwindSafe(|| {
            harness_runtime().block_on(handler.handle(job))
        }));
        as_worker_would(handled, retries)
    }
}

/// What the worker would send for `handled` (its rule, shared with `worker::engine::run_job`).
fn as_worker_would(
    handled: Result<Result<Outcome, HandlerError>, Box<dyn std::any::Any + Send>>,
    job_retries: i32,
) -> Outcome {
    use crate::worker::engine::{handler_failure, panic_message};
    match handled {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => handler_failure(job_retries, e.to_string()),
        Err(payload) => handler_failure(
            job_retries,
            format!("job handler panicked: {}", panic_message(&*payload)),
        ),
    }
}

/// The current runtime, or the harness's own when the test has none.
fn runtime() -> tokio::runtime::Handle {
    tokio::runtime::Handle::try_current().unwrap_or_else(|_| harness_runtime().handle().clone())
}

pub(super) fn harness_runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a Tokio runtime for the test harness")
    })
}

/// The job's line to the server in a test: records timeout extensions, refuses the rest
/// (a handler decides; the worker, not the handler, completes the job).
struct Recorder {
    timeouts: Arc<Mutex<Vec<Duration>>>,
}

fn refused<T: Send + 'static>(what: &'static str) -> BoxFuture<'static, Result<T, Error>> {
    async move {
        Err(Error::InvalidArgument {
            name: what,
            message: "a TestJob has no server: return an Outcome instead".into(),
        })
    }
    .boxed()
}

impl JobApi for Recorder {
    fn activate_jobs(
        &self,
        _req: types::JobActivationRequest,
    ) -> BoxFuture<'_, Result<Vec<crate::worker::ActivatedJob>, Error>> {
        refused("activate_jobs")
    }
    fn complete_job(
        &self,
        _key: &keys::JobKey,
        _req: types::JobCompletionRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        refused("complete_job")
    }
    fn fail_job(
        &self,
        _key: &keys::JobKey,
        _req: types::JobFailRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        refused("fail_job")
    }
    fn throw_job_error(
        &self,
        _key: &keys::JobKey,
        _req: types::JobErrorRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        refused("throw_job_error")
    }
    fn update_job(
        &self,
        _key: &keys::JobKey,
        req: types::JobUpdateRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        if let Some(ms) = req.changeset.timeout {
            let ms = u64::try_from(ms).unwrap_or(0);
            self.timeouts
                .lock()
                .expect("not poisoned")
                .push(Duration::from_millis(ms));
        }
        async { Ok(()) }.boxed()
    }
}
