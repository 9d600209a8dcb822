//! The floor: the same requests as the SDK, hand-written with bare `reqwest` + `serde_json`,
//! decoding into the same generated types. What the SDK costs is its time over this.

use camunda_sdk::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// Any failure of the floor (it has no error model of its own).
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// A bare `reqwest` client against one address. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Floor {
    http: reqwest::Client,
    base: Arc<str>,
    timeout: Option<Duration>,
    copy_body: bool,
}

impl Floor {
    /// A floor client for `base` (e.g. `http://127.0.0.1:1234`) with reqwest's defaults.
    pub fn new(base: &str) -> Result<Floor, Error> {
        Ok(Floor {
            http: reqwest::Client::builder().build()?,
            base: base.into(),
            timeout: None,
            copy_body: false,
        })
    }

    /// A floor client for `base` over an HTTP client of the caller's (attribution: e.g. the
    /// SDK's connection-pool settings).
    pub fn with_client(base: &str, http: reqwest::Client) -> Floor {
        Floor {
            http,
            base: base.into(),
            timeout: None,
            copy_body: false,
        }
    }

    /// Attribution: set a per-request timeout on every request, as the SDK's transport does.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Floor {
        self.timeout = Some(timeout);
        self
    }

    /// Attribution: copy the response body into a `Vec` before decoding, as the SDK's
    /// transport does.
    pub fn with_body_copy(mut self) -> Floor {
        self.copy_body = true;
        self
    }

    /// Sends `req`, checks the status and decodes the whole body into `T`.
    async fn send<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, Error> {
        let mut req = req.header("accept", "application/json");
        if let Some(t) = self.timeout {
            req = req.timeout(t);
        }
        let resp = req.send().await?;
        let status = resp.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}").into());
        }
        let bytes = resp.bytes().await?;
        if bytes.is_empty() {
            // 204: decode `null` (for `()`).
            return Ok(serde_json::from_slice(b"null")?);
        }
        if self.copy_body {
            // What the SDK's `read_body` does: `resp.bytes()` then `.to_vec()`.
            let copy: Vec<u8> = std::hint::black_box(bytes.to_vec());
            return Ok(serde_json::from_slice(&copy)?);
        }
        Ok(serde_json::from_slice(&bytes)?)
    }

    fn post_request<B: Serialize>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<reqwest::RequestBuilder, Error> {
        Ok(self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(body)?))
    }

    /// `GET path`, decoded into `T`.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// `POST path` with a JSON body, decoded into `T` (`()` for an empty answer).
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, Error> {
        self.send(self.post_request(path, body)?).await
    }

    /// `GET /v2/topology`.
    pub async fn get_topology(&self) -> Result<types::TopologyResponse, Error> {
        self.get("/v2/topology").await
    }

    /// `POST /v2/process-instances`.
    pub async fn create_process_instance(
        &self,
        body: &types::ProcessInstanceCreationInstruction,
    ) -> Result<types::CreateProcessInstanceResult, Error> {
        self.post("/v2/process-instances", body).await
    }

    /// `POST /v2/process-instances/search`.
    pub async fn search_process_instances(
        &self,
        body: &types::ProcessInstanceSearchQuery,
    ) -> Result<types::ProcessInstanceSearchQueryResult, Error> {
        self.post("/v2/process-instances/search", body).await
    }

    /// `POST /v2/jobs/activation`.
    pub async fn activate_jobs(
        &self,
        body: &types::JobActivationRequest,
    ) -> Result<types::JobActivationResult, Error> {
        self.post("/v2/jobs/activation", body).await
    }

    /// `POST /v2/jobs/{key}/completion`.
    pub async fn complete_job(
        &self,
        key: &camunda_sdk::keys::JobKey,
        body: &types::JobCompletionRequest,
    ) -> Result<(), Error> {
        self.post(&format!("/v2/jobs/{key}/completion"), body).await
    }

    /// A minimal worker loop on the floor: the same fill-in-batches policy as the SDK's engine
    /// (activate when `min(batch, max / 2)` slots are free, asking for up to `batch`), one task
    /// per job that completes it. Returns when an activation comes back empty and every job
    /// has been completed.
    pub async fn run_worker(
        &self,
        activation: &types::JobActivationRequest,
        max: usize,
        batch: usize,
    ) -> Result<(), Error> {
        let max = max.max(1);
        let batch = batch.clamp(1, max);
        let threshold = batch.min((max / 2).max(1));
        let slots = Arc::new(Semaphore::new(max));
        let total = u32::try_from(max)?;
        let mut req = activation.clone();
        loop {
            let mut permits = Arc::clone(&slots)
                .acquire_many_owned(u32::try_from(threshold)?)
                .await?;
            let extra = (batch - threshold).min(slots.available_permits());
            if extra > 0
                && let Ok(p) = Arc::clone(&slots).try_acquire_many_owned(u32::try_from(extra)?)
            {
                permits.merge(p);
            }
            req.max_jobs_to_activate = i32::try_from(permits.num_permits())?;
            let jobs = self.activate_jobs(&req).await?.jobs;
            if jobs.is_empty() {
                break;
            }
            for job in jobs {
                let permit = permits
                    .split(1)
                    .ok_or("the server sent more jobs than asked for")?;
                let floor = self.clone();
                tokio::spawn(async move {
                    let done = types::JobCompletionRequest::default();
                    if let Err(e) = floor.complete_job(&job.job_key, &done).await {
                        eprintln!("floor: complete failed: {e}");
                    }
                    drop(permit);
                });
            }
        }
        drop(slots.acquire_many(total).await?);
        Ok(())
    }
}
