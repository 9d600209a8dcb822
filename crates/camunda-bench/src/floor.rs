//! The floor: the same requests as the SDK, hand-written with bare `reqwest` + `serde_json`,
//! decoding into plain structs ([`crate::plain`]). What the SDK costs is its time over this.
//!
//! For attribution, a floor can decode into the SDK's generated types instead
//! ([`Floor::decoding_sdk_types`]), add a per-request timeout or copy the body before decoding.

use crate::plain;
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
    sdk_types: bool,
    clone_request: bool,
}

impl Floor {
    /// A floor client for `base` (e.g. `http://127.0.0.1:1234`) with reqwest's defaults.
    pub fn new(base: &str) -> Result<Floor, Error> {
        Ok(Floor::with_client(
            base,
            reqwest::Client::builder().build()?,
        ))
    }

    /// A floor client for `base` over an HTTP client of the caller's (attribution: e.g. the
    /// SDK's connection-pool settings).
    pub fn with_client(base: &str, http: reqwest::Client) -> Floor {
        Floor {
            http,
            base: base.into(),
            timeout: None,
            copy_body: false,
            sdk_types: false,
            clone_request: false,
        }
    }

    /// Attribution: set a per-request timeout on every request, as the SDK's transport does.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Floor {
        self.timeout = Some(timeout);
        self
    }

    /// Attribution: copy the response body into a `Vec` before decoding.
    pub fn with_body_copy(mut self) -> Floor {
        self.copy_body = true;
        self
    }

    /// Attribution: callers decode into the SDK's generated types (validated keys, open enums,
    /// parsed date-times) instead of the plain ones (see [`Floor::sdk_types`]).
    pub fn decoding_sdk_types(mut self) -> Floor {
        self.sdk_types = true;
        self
    }

    /// Attribution: the caller clones the SDK's request body before each call, as the bench
    /// does for the SDK (its builders take the body by value) — see [`Floor::clones_request`].
    pub fn cloning_request(mut self) -> Floor {
        self.clone_request = true;
        self
    }

    /// Whether the bench should clone the SDK's request body before this floor's calls.
    pub fn clones_request(&self) -> bool {
        self.clone_request
    }

    /// Whether this floor is meant to decode into the SDK's types (the `typed_*` calls).
    pub fn sdk_types(&self) -> bool {
        self.sdk_types
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
    pub async fn get_topology(&self) -> Result<plain::Topology, Error> {
        self.get("/v2/topology").await
    }

    /// `POST /v2/process-instances`.
    pub async fn create_process_instance(
        &self,
        body: &plain::CreateInstance,
    ) -> Result<plain::CreatedInstance, Error> {
        self.post("/v2/process-instances", body).await
    }

    /// `POST /v2/process-instances/search`.
    pub async fn search_process_instances(
        &self,
        body: &plain::Search,
    ) -> Result<plain::SearchResult, Error> {
        self.post("/v2/process-instances/search", body).await
    }

    /// `POST /v2/jobs/activation`.
    pub async fn activate_jobs(&self, body: &plain::Activate) -> Result<plain::Activated, Error> {
        self.post("/v2/jobs/activation", body).await
    }

    /// `GET /v2/topology` into the SDK's type.
    pub async fn typed_get_topology(&self) -> Result<types::TopologyResponse, Error> {
        self.get("/v2/topology").await
    }

    /// `POST /v2/process-instances` into the SDK's type.
    pub async fn typed_create_process_instance(
        &self,
        body: &plain::CreateInstance,
    ) -> Result<types::CreateProcessInstanceResult, Error> {
        self.post("/v2/process-instances", body).await
    }

    /// `POST /v2/process-instances/search` into the SDK's type.
    pub async fn typed_search_process_instances(
        &self,
        body: &plain::Search,
    ) -> Result<types::ProcessInstanceSearchQueryResult, Error> {
        self.post("/v2/process-instances/search", body).await
    }

    /// `POST /v2/jobs/activation` into the SDK's type.
    pub async fn typed_activate_jobs(
        &self,
        body: &plain::Activate,
    ) -> Result<types::JobActivationResult, Error> {
        self.post("/v2/jobs/activation", body).await
    }

    /// `POST /v2/jobs/{key}/completion`.
    pub async fn complete_job(&self, key: &str) -> Result<(), Error> {
        self.post(
            &format!("/v2/jobs/{key}/completion"),
            &plain::Complete::default(),
        )
        .await
    }

    /// A minimal worker loop on the floor that keeps its slots full: whenever a slot is free
    /// and no activation is outstanding, ask for every free slot (up to `batch`); one task per
    /// job that completes it. Returns when an activation comes back empty and every job has
    /// been completed.
    pub async fn run_worker(
        &self,
        activation: &plain::Activate,
        max: usize,
        batch: usize,
    ) -> Result<(), Error> {
        let max = max.max(1);
        let batch = batch.clamp(1, max);
        let slots = Arc::new(Semaphore::new(max));
        let total = u32::try_from(max)?;
        let mut req = activation.clone();
        loop {
            let mut permits = Arc::clone(&slots).acquire_owned().await?;
            let extra = (batch - 1).min(slots.available_permits());
            if extra > 0
                && let Ok(p) = Arc::clone(&slots).try_acquire_many_owned(u32::try_from(extra)?)
            {
                permits.merge(p);
            }
            req.max_jobs_to_activate = i64::try_from(permits.num_permits())?;
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
                    if let Err(e) = floor.complete_job(&job.job_key).await {
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
