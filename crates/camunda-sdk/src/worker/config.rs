//! Worker configuration.

use crate::Error;
use crate::keys::TenantId;
use std::time::Duration;

const NAME: &str = "CAMUNDA_WORKER_NAME";
const MAX_JOBS_ACTIVE: &str = "CAMUNDA_WORKER_MAX_JOBS_ACTIVE";
const TIMEOUT: &str = "CAMUNDA_WORKER_TIMEOUT";
const REQUEST_TIMEOUT: &str = "CAMUNDA_WORKER_REQUEST_TIMEOUT";
const TENANT_IDS: &str = "CAMUNDA_WORKER_TENANT_IDS";

/// The environment variables [`JobWorkerConfig::from_env`] reads: `(name, default, meaning)`,
/// like [`crate::config::ENV_VARS`] for the client.
///
/// An empty value counts as unset.
pub const ENV_VARS: &[(&str, &str, &str)] = &[
    (
        NAME,
        "camunda-rs-worker",
        "Worker name the server records on the jobs the worker activates.",
    ),
    (
        MAX_JOBS_ACTIVE,
        "32",
        "Most jobs a worker holds activated and unfinished at once; also caps the activation batch size.",
    ),
    (
        TIMEOUT,
        "300000",
        "Job lock in milliseconds: how long an activated job stays with the worker.",
    ),
    (
        REQUEST_TIMEOUT,
        "20000",
        "How long one activation request long-polls when no job is available, in milliseconds.",
    ),
    (
        TENANT_IDS,
        "",
        "Comma-separated tenants to activate jobs for (the server's default when unset).",
    ),
];

/// How a job worker activates and runs jobs of one type.
///
/// ```
/// use camunda_sdk::worker::JobWorkerConfig;
/// use std::time::Duration;
///
/// let config = JobWorkerConfig::new("payment")
///     .worker_name("payments-1")
///     .max_jobs_active(64)
///     .timeout(Duration::from_secs(60))
///     .auto_heartbeat(true);
/// assert_eq!(config.max_jobs_active, 64);
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct JobWorkerConfig {
    /// The job type, as in the BPMN model (`<zeebe:taskDefinition type="..."/>`).
    pub job_type: String,
    /// The worker name the server records on activated jobs. Default `camunda-rs-worker`.
    pub worker_name: String,
    /// At most this many jobs are activated and not yet finished at any time. Default 32.
    pub max_jobs_active: usize,
    /// At most this many jobs are asked for in one activation request. Default 32.
    pub activation_batch_size: usize,
    /// How long an activated job is locked to this worker (the job timeout). Default 5 min.
    pub timeout: Duration,
    /// How long one activation request long-polls when no job is available. Default 20 s.
    /// The HTTP client's timeout must be longer than this.
    pub request_timeout: Duration,
    /// The variables to fetch; `None` fetches what the handler asks for (a [`typed`]
    /// handler asks for its struct's fields), or all variables.
    ///
    /// [`typed`]: crate::worker::typed
    pub fetch_variables: Option<Vec<String>>,
    /// The tenants to activate jobs for; empty means the server's default.
    pub tenant_ids: Vec<TenantId>,
    /// The first (and smallest) delay after a failed activation or result request. Default 100 ms.
    pub backoff_min: Duration,
    /// The largest delay between attempts. Default 10 s.
    pub backoff_max: Duration,
    /// Activate jobs with a lease (Camunda 8.10 `withLease`) and pass the lease token back on
    /// every command. Default `false`.
    pub with_lease: bool,
    /// Extend each job's timeout automatically (at two thirds of [`Self::timeout`]) while its
    /// handler runs. Default `false`.
    pub auto_heartbeat: bool,
    /// How long a graceful shutdown waits for in-flight jobs. Default 30 s.
    pub shutdown_deadline: Duration,
    /// How many times a job's complete/fail/error request is sent at most before it is given
    /// up on (also when the next attempt would come after the job's lock expires). This is the
    /// result's one retry budget: the client's [`RetryPolicy`](crate::RetryPolicy) does not
    /// apply to the worker's job commands, so retries never nest. Default 10.
    pub max_result_attempts: u32,
}

impl JobWorkerConfig {
    /// The defaults for `job_type`.
    pub fn new(job_type: impl Into<String>) -> Self {
        Self {
            job_type: job_type.into(),
            worker_name: "camunda-rs-worker".to_owned(),
            max_jobs_active: 32,
            activation_batch_size: 32,
            timeout: Duration::from_secs(300),
            request_timeout: Duration::from_secs(20),
            fetch_variables: None,
            tenant_ids: Vec::new(),
            backoff_min: Duration::from_millis(100),
            backoff_max: Duration::from_secs(10),
            with_lease: false,
            auto_heartbeat: false,
            shutdown_deadline: Duration::from_secs(30),
            max_result_attempts: 10,
        }
    }

    /// The defaults for `job_type`, overridden by the `CAMUNDA_WORKER_*` variables in
    /// [`ENV_VARS`].
    ///
    /// A value that does not parse is an [`Error::Config`] naming the variable.
    pub fn from_env(job_type: impl Into<String>) -> Result<Self, Error> {
        Self::from_lookup(job_type, |name| std::env::var(name).ok())
    }

    /// Like [`Self::from_env`], reading variables through `lookup` (for tests, or another
    /// source of settings).
    ///
    /// ```
    /// use camunda_sdk::worker::JobWorkerConfig;
    ///
    /// let config = JobWorkerConfig::from_lookup("payment", |name| {
    ///     (name == "CAMUNDA_WORKER_MAX_JOBS_ACTIVE").then(|| "8".to_owned())
    /// })
    /// .unwrap();
    /// assert_eq!(config.max_jobs_active, 8);
    /// ```
    pub fn from_lookup(
        job_type: impl Into<String>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Error> {
        let mut config = Self::new(job_type);
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        if let Some(v) = get(NAME) {
            config.worker_name = v.trim().to_owned();
        }
        if let Some(v) = get(MAX_JOBS_ACTIVE) {
            let n = parse_positive(MAX_JOBS_ACTIVE, &v)?;
            config.max_jobs_active = n as usize;
            config.activation_batch_size = config.activation_batch_size.min(n as usize);
        }
        if let Some(v) = get(TIMEOUT) {
            config.timeout = Duration::from_millis(parse_positive(TIMEOUT, &v)?);
        }
        if let Some(v) = get(REQUEST_TIMEOUT) {
            config.request_timeout = Duration::from_millis(parse_positive(REQUEST_TIMEOUT, &v)?);
        }
        if let Some(v) = get(TENANT_IDS) {
            config.tenant_ids = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    TenantId::new(s).map_err(|e| Error::Config {
                        variable: TENANT_IDS.to_owned(),
                        message: e.to_string(),
                    })
                })
                .collect::<Result<_, _>>()?;
        }
        Ok(config)
    }

    /// Sets [`Self::worker_name`].
    pub fn worker_name(mut self, name: impl Into<String>) -> Self {
        self.worker_name = name.into();
        self
    }

    /// Sets [`Self::max_jobs_active`] (at least 1).
    pub fn max_jobs_active(mut self, n: usize) -> Self {
        self.max_jobs_active = n.max(1);
        self
    }

    /// Sets [`Self::activation_batch_size`] (at least 1).
    pub fn activation_batch_size(mut self, n: usize) -> Self {
        self.activation_batch_size = n.max(1);
        self
    }

    /// Sets [`Self::timeout`], the job lock.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`Self::request_timeout`], the long-poll duration.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets [`Self::fetch_variables`].
    pub fn fetch_variables<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.fetch_variables = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sets [`Self::tenant_ids`].
    pub fn tenant_ids(mut self, tenants: impl IntoIterator<Item = TenantId>) -> Self {
        self.tenant_ids = tenants.into_iter().collect();
        self
    }

    /// Sets [`Self::backoff_min`] and [`Self::backoff_max`].
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.backoff_min = min;
        self.backoff_max = max.max(min);
        self
    }

    /// Sets [`Self::with_lease`].
    pub fn with_lease(mut self, on: bool) -> Self {
        self.with_lease = on;
        self
    }

    /// Sets [`Self::auto_heartbeat`].
    pub fn auto_heartbeat(mut self, on: bool) -> Self {
        self.auto_heartbeat = on;
        self
    }

    /// Sets [`Self::shutdown_deadline`].
    pub fn shutdown_deadline(mut self, deadline: Duration) -> Self {
        self.shutdown_deadline = deadline;
        self
    }

    /// Sets [`Self::max_result_attempts`] (at least 1).
    pub fn max_result_attempts(mut self, n: u32) -> Self {
        self.max_result_attempts = n.max(1);
        self
    }
}

fn parse_positive(variable: &str, value: &str) -> Result<u64, Error> {
    match value.trim().parse::<u64>() {
        Ok(n) if n > 0 && n <= i32::MAX as u64 => Ok(n),
        _ => Err(Error::Config {
            variable: variable.to_owned(),
            message: format!("{value:?} is not a positive whole number"),
        }),
    }
}
