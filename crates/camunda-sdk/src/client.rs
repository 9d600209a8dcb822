//! The async client. Its operation methods are generated (`generated/client.rs`); this file
//! holds construction and what those methods share.

use crate::Result;
use crate::config::Config;
use crate::resilience::RetryPolicy;
use crate::transport::{Call, Transport, read};
use futures::future::Either;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;

/// Async client for the Camunda 8 Orchestration Cluster REST API: one method per operation,
/// named after the operation id in snake_case.
///
/// Cheap to clone (an `Arc` inside); clones share the connection pool and credentials.
///
/// ```no_run
/// # async fn run() -> camunda_sdk::Result<()> {
/// use camunda_sdk::CamundaClient;
///
/// let client = CamundaClient::from_env()?;
/// let topology = client.get_topology().await?;
/// println!("{} brokers", topology.brokers.len());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct CamundaClient {
    transport: Arc<Transport>,
    retry: RetryPolicy,
    /// The workers made with [`CamundaClient::create_job_worker`], shared by clones.
    workers: Arc<std::sync::OnceLock<crate::worker::JobWorkers>>,
    /// The opt-in version guard (`version.rs`), shared by clones made after it was enabled.
    version_guard: Option<Arc<crate::version::Guard>>,
    /// The wait every eventually consistent read makes unless its builder says otherwise.
    consistency: Option<crate::consistency::Consistency>,
}

impl std::fmt::Debug for CamundaClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CamundaClient")
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .finish()
    }
}

impl CamundaClient {
    /// A client for `config`.
    pub fn new(config: Config) -> Result<Self> {
        let http = config.http_client()?;
        let auth = crate::auth::from_config(&config, http.clone());
        let transport = Transport::new(
            http,
            config.rest_address(),
            auth,
            config.default_tenant_id().cloned(),
            config.request_timeout(),
        )
        .with_gate(crate::gate::Gate::new(config.backpressure().clone()));
        Ok(CamundaClient {
            transport: Arc::new(transport),
            retry: RetryPolicy::default(),
            workers: Arc::default(),
            version_guard: None,
            consistency: None,
        })
    }

    /// A client configured from the `CAMUNDA_*` environment variables (see [`Config::from_env`]).
    pub fn from_env() -> Result<Self> {
        Self::new(Config::from_env()?)
    }

    /// A clone of this client that uses `policy` for its calls; the original keeps its own.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::RetryPolicy;
    /// let topology = client.with_retry_policy(RetryPolicy::none()).get_topology().await?;
    /// # Ok(()) }
    /// ```
    pub fn with_retry_policy(&self, policy: RetryPolicy) -> Self {
        CamundaClient {
            transport: self.transport.clone(),
            retry: policy,
            workers: self.workers.clone(),
            version_guard: self.version_guard.clone(),
            consistency: self.consistency.clone(),
        }
    }

    /// A clone of this client that refuses operations the server is too old for.
    ///
    /// The first guarded call asks `GET /v2/topology` for the server's `gatewayVersion` (once;
    /// clones share the answer). A call to an operation added in a newer Camunda version (its
    /// docs say "available since Camunda X") then fails with [`Error::NotSupported`] without
    /// sending anything.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// let guarded = client.with_version_guard();
    /// match guarded.search_resources().await {
    ///     Err(camunda_sdk::Error::NotSupported { server, .. }) => println!("server {server} is too old"),
    ///     other => println!("{:?}", other.map(|page| page.items.len())),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn with_version_guard(&self) -> Self {
        CamundaClient {
            version_guard: Some(self.version_guard.clone().unwrap_or_default()),
            ..self.clone()
        }
    }

    /// A clone of this client on which every eventually consistent read waits, up to `wait`'s
    /// timeout, until its answer is there: a get until it stops answering 404, a paged search
    /// until it has at least one item (so a search that is empty for good takes the whole
    /// timeout). Off by default; a call opts out with `.no_wait()`, or picks its own wait with
    /// `.wait_visible(…)` / `.wait_until(…)`.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
    /// use camunda_sdk::consistency::Consistency;
    /// use std::time::Duration;
    ///
    /// let client = client.with_consistency(Consistency::wait(Duration::from_secs(5)));
    /// let created = client.create_process_instance().process_definition_id("order-process").await?;
    /// let instance = client.get_process_instance(&created).await?; // waits while it is 404
    /// # Ok(()) }
    /// ```
    pub fn with_consistency(&self, wait: crate::consistency::Consistency) -> Self {
        CamundaClient {
            consistency: Some(wait),
            ..self.clone()
        }
    }

    /// The client-wide wait of eventually consistent reads ([`with_consistency`](Self::with_consistency)).
    pub fn consistency(&self) -> Option<&crate::consistency::Consistency> {
        self.consistency.as_ref()
    }

    /// The server's version as the version guard learned it (asking the topology endpoint once),
    /// or `None` when the guard is off or the server does not report one.
    pub async fn guarded_server_version(&self) -> Result<Option<String>> {
        match &self.version_guard {
            Some(guard) => guard.server_version(&self.transport, &self.retry).await,
            None => Ok(None),
        }
    }

    /// The version guard's check, before every operation (a no-op unless enabled).
    async fn check_version(&self, call: &Call) -> Result<()> {
        match &self.version_guard {
            // Boxed: the check may itself ask the server (a whole exchange), and inline it would
            // double the size of every call's future, guarded or not.
            Some(guard) => Box::pin(guard.check(call.op, &self.transport, &self.retry)).await,
            None => Ok(()),
        }
    }

    /// The retry policy this client uses.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The backpressure gate shared by this client and its clones: its limit on requests in
    /// flight, the requests holding a permit and the callers waiting for one.
    ///
    /// ```no_run
    /// # fn run(client: camunda_sdk::CamundaClient) {
    /// let gate = client.backpressure();
    /// if let Some(limit) = gate.limit {
    ///     println!("throttled to {limit} requests, {} waiting", gate.waiting);
    /// }
    /// # }
    /// ```
    pub fn backpressure(&self) -> crate::gate::GateStats {
        self.transport.gate().stats()
    }

    /// The cluster address requests go to (without `/v2`).
    pub fn address(&self) -> &str {
        self.transport.address()
    }

    /// `send`'s exchange of `call`, after the version guard's check when the client has one.
    /// Without a guard it adds no layer to the call's future (every layer holds its own copy
    /// of the `Call`); a guarded call's check, which may ask the server, is boxed.
    fn guarded<'a, T, F>(
        &'a self,
        call: Call,
        send: impl FnOnce(&'a Transport, Call, &'a RetryPolicy) -> F + Send + 'a,
    ) -> impl Future<Output = Result<T>> + Send + 'a
    where
        T: Send + 'a,
        F: Future<Output = Result<T>> + Send + 'a,
    {
        match &self.version_guard {
            None => Either::Left(send(&self.transport, call, &self.retry)),
            Some(guard) => Either::Right(Box::pin(async move {
                guard.check(call.op, &self.transport, &self.retry).await?;
                send(&self.transport, call, &self.retry).await
            })),
        }
    }

    pub(crate) fn send_json<'a, T: DeserializeOwned + Send + 'a>(
        &'a self,
        call: Call,
    ) -> impl Future<Output = Result<T>> + Send + 'a {
        self.guarded(call, |t, call, retry| t.answer(call, retry, read::json))
    }

    pub(crate) fn send_json_or_none<'a, T: DeserializeOwned + Send + 'a>(
        &'a self,
        call: Call,
    ) -> impl Future<Output = Result<Option<T>>> + Send + 'a {
        self.guarded(call, |t, call, retry| {
            t.answer(call, retry, read::json_or_none)
        })
    }

    pub(crate) fn send_unit(&self, call: Call) -> impl Future<Output = Result<()>> + Send + '_ {
        self.guarded(call, |t, call, retry| t.answer(call, retry, read::unit))
    }

    pub(crate) fn send_text(&self, call: Call) -> impl Future<Output = Result<String>> + Send + '_ {
        self.guarded(call, |t, call, retry| t.answer(call, retry, read::text))
    }

    pub(crate) fn send_text_or_none(
        &self,
        call: Call,
    ) -> impl Future<Output = Result<Option<String>>> + Send + '_ {
        self.guarded(call, |t, call, retry| {
            t.answer(call, retry, read::text_or_none)
        })
    }

    pub(crate) fn send_bytes(
        &self,
        call: Call,
    ) -> impl Future<Output = Result<Vec<u8>>> + Send + '_ {
        self.guarded(call, |t, call, retry| t.answer(call, retry, read::bytes))
    }

    /// The body as received (the worker decodes an activation from it, job by job).
    fn send_body(&self, call: Call) -> impl Future<Output = Result<bytes::Bytes>> + Send + '_ {
        self.guarded(call, |t, call, retry| {
            t.answer(call, retry, |_, _, body| Ok(body))
        })
    }

    /// The whole answer with its status and headers (`send_with_response`).
    pub(crate) fn send_full<'a, T: Send + 'a>(
        &'a self,
        call: Call,
        read: fn(&'static str, reqwest::StatusCode, bytes::Bytes) -> Result<T>,
    ) -> impl Future<Output = Result<crate::request::Response<T>>> + Send + 'a {
        self.guarded(call, move |t, call, retry| t.full(call, retry, read))
    }

    /// The successful response itself, for answers read as a stream (document download),
    /// with the longest gap the caller should allow between chunks.
    pub(crate) async fn send_raw(
        &self,
        call: Call,
    ) -> Result<(reqwest::Response, std::time::Duration)> {
        self.check_version(&call).await?;
        let resp = self.transport.execute(call.streamed(), &self.retry).await?;
        Ok((resp, self.transport.request_timeout()))
    }

    /// The configured default tenant, for the multipart operations that add it themselves.
    pub(crate) fn default_tenant(&self) -> Option<&crate::keys::TenantId> {
        self.transport.default_tenant()
    }
}

/// Both clients can be shared across tasks and threads (checked at compile time).
const _: () = {
    const fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<CamundaClient>();
    shareable::<crate::blocking::CamundaClient>();
};

/// The client is the workers' job source: activation, completion, failure, BPMN errors and
/// timeout updates go through the same pipeline (auth, retries, tracing) as every other call.
/// A job command is its builder's future as it is (it owns its request: nothing borrows the key
/// or the request), not boxed once more.
/// The workers' own client ([`CamundaClient::job_workers`]) has no transport retries: the
/// worker retries activations and results under its own budget.
impl crate::worker::JobApi for CamundaClient {
    fn activate_jobs(
        &self,
        req: crate::types::JobActivationRequest,
    ) -> futures::future::BoxFuture<'_, Result<Vec<crate::worker::ActivatedJob>>> {
        Box::pin(async move {
            // The same call as `CamundaClient::activate_jobs`, decoded job by job.
            let call = Call::new(
                &crate::generated::ops::ACTIVATE_JOBS,
                reqwest::Method::POST,
                "/v2/jobs/activation".into(),
            );
            let body = self.send_body(call.json(&req)?).await?;
            crate::worker::decode_activation(&body)
        })
    }

    fn complete_job(
        &self,
        key: &crate::keys::JobKey,
        req: crate::types::JobCompletionRequest,
    ) -> futures::future::BoxFuture<'_, Result<()>> {
        self.complete_job(key).body(req).send()
    }

    fn fail_job(
        &self,
        key: &crate::keys::JobKey,
        req: crate::types::JobFailRequest,
    ) -> futures::future::BoxFuture<'_, Result<()>> {
        self.fail_job(key).body(req).send()
    }

    fn throw_job_error(
        &self,
        key: &crate::keys::JobKey,
        req: crate::types::JobErrorRequest,
    ) -> futures::future::BoxFuture<'_, Result<()>> {
        self.throw_job_error(key).body(req).send()
    }

    fn activation_cap(&self) -> Option<usize> {
        self.transport.gate().activation_cap()
    }

    fn update_job(
        &self,
        key: &crate::keys::JobKey,
        req: crate::types::JobUpdateRequest,
    ) -> futures::future::BoxFuture<'_, Result<()>> {
        self.update_job(key).body(req).send()
    }
}

impl CamundaClient {
    /// A new, separate registry of job workers that take jobs through this client (for
    /// applications that manage several groups of workers; most use
    /// [`create_job_worker`](Self::create_job_worker)).
    pub fn job_workers(&self) -> crate::worker::JobWorkers {
        // The workers hold a client without a registry of its own, so no reference cycle.
        // It sends each job command once: the worker owns the one retry budget of an
        // activation and of a job result, so retries never nest.
        let api = CamundaClient {
            transport: self.transport.clone(),
            retry: RetryPolicy::none(),
            workers: Arc::default(),
            version_guard: self.version_guard.clone(),
            // Workers only send commands; none of them is an eventually consistent read.
            consistency: None,
        };
        crate::worker::JobWorkers::new(Arc::new(api))
    }

    fn registry(&self) -> &crate::worker::JobWorkers {
        self.workers.get_or_init(|| self.job_workers())
    }

    /// Starts a job worker on this client: it activates jobs of `config.job_type` and runs
    /// `handler` for each (an async closure `|job| async move { ... }`, a
    /// [`typed`](crate::worker::typed) or [`blocking`](crate::worker::blocking) handler; see
    /// [`JobHandler`](crate::worker::JobHandler)).
    /// When the configuration names no tenant, the client's default tenant is used.
    ///
    /// Must be called inside a Tokio runtime.
    ///
    /// ```no_run
    /// # async fn run(client: camunda_sdk::CamundaClient) {
    /// use camunda_sdk::worker::{JobWorkerConfig, Outcome};
    ///
    /// client.create_job_worker(JobWorkerConfig::new("send-email"), |job| async move {
    ///     println!("sending for {}", job.process_instance_key());
    ///     Outcome::complete()
    /// });
    /// let report = client.run_workers().await; // until Ctrl-C, then drains
    /// println!("{} jobs unfinished at shutdown", report.unfinished.len());
    /// # }
    /// ```
    pub fn create_job_worker(
        &self,
        config: crate::worker::JobWorkerConfig,
        handler: impl crate::worker::JobHandler,
    ) -> crate::worker::WorkerHandle {
        self.registry()
            .create_job_worker(self.with_default_tenant(config), handler)
    }

    pub(crate) fn with_default_tenant(
        &self,
        mut config: crate::worker::JobWorkerConfig,
    ) -> crate::worker::JobWorkerConfig {
        if config.tenant_ids.is_empty()
            && let Some(t) = self.transport.default_tenant()
        {
            config.tenant_ids = vec![t.clone()];
        }
        config
    }

    /// Runs the workers started with [`create_job_worker`](Self::create_job_worker) until
    /// Ctrl-C, then stops activating and waits for jobs in flight up to the longest
    /// `shutdown_deadline` of the workers' configurations.
    pub async fn run_workers(&self) -> crate::worker::ShutdownReport {
        self.run_workers_until(async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::error!(error = %e, "cannot listen for Ctrl-C; stopping the workers");
            }
        })
        .await
    }

    /// Like [`run_workers`](Self::run_workers), but until `signal` resolves.
    pub async fn run_workers_until(
        &self,
        signal: impl std::future::Future<Output = ()>,
    ) -> crate::worker::ShutdownReport {
        let registry = self.registry();
        signal.await;
        let deadline = registry
            .workers()
            .iter()
            .map(|w| w.config().shutdown_deadline)
            .max()
            .unwrap_or(std::time::Duration::from_secs(30));
        registry.shutdown(deadline).await
    }
}
