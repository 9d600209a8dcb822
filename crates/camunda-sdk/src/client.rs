//! The async client. Its operation methods are generated (`generated/client.rs`); this file
//! holds construction and what those methods share.

use crate::config::Config;
use crate::retry::RetryPolicy;
use crate::transport::{Call, Transport};
use crate::{Error, Result};
use serde::de::DeserializeOwned;
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
        );
        Ok(CamundaClient {
            transport: Arc::new(transport),
            retry: RetryPolicy::default(),
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
        }
    }

    /// The retry policy this client uses.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The cluster address requests go to (without `/v2`).
    pub fn address(&self) -> &str {
        self.transport.address()
    }

    pub(crate) async fn send_json<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        self.transport.json(call, &self.retry).await
    }

    pub(crate) async fn send_json_or_none<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<Option<T>> {
        self.transport.json_or_none(call, &self.retry).await
    }

    pub(crate) async fn send_unit(&self, call: Call) -> Result<()> {
        self.transport.unit(call, &self.retry).await
    }

    pub(crate) async fn send_text(&self, call: Call) -> Result<String> {
        self.transport.text(call, &self.retry).await
    }

    pub(crate) async fn send_text_or_none(&self, call: Call) -> Result<Option<String>> {
        self.transport.text_or_none(call, &self.retry).await
    }

    pub(crate) async fn send_bytes(&self, call: Call) -> Result<Vec<u8>> {
        self.transport.bytes(call, &self.retry).await
    }
}

#[allow(dead_code)]
fn assert_send_sync() {
    fn is<T: Send + Sync + Clone>() {}
    is::<CamundaClient>();
    let _ = Error::Runtime(String::new());
}
