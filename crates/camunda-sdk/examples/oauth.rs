//! OAuth (client credentials) configuration, as for Camunda SaaS or a self-managed cluster with
//! Identity. The same settings come from the environment (`CAMUNDA_CLIENT_ID`,
//! `CAMUNDA_CLIENT_SECRET`, `CAMUNDA_OAUTH_URL`, `CAMUNDA_TOKEN_AUDIENCE`); here the builder
//! starts from the environment and sets what is missing.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=https://bru-2.zeebe.camunda.io/<cluster-id> \
//! CAMUNDA_CLIENT_ID=... CAMUNDA_CLIENT_SECRET=... cargo run -p camunda-sdk --example oauth
//! ```

use camunda_sdk::{CamundaClient, Config};

#[tokio::main]
async fn main() -> Result<(), camunda_sdk::Error> {
    let id = std::env::var("CAMUNDA_CLIENT_ID").unwrap_or_else(|_| "my-client".into());
    let secret = std::env::var("CAMUNDA_CLIENT_SECRET").unwrap_or_else(|_| "my-secret".into());
    let config = Config::builder()
        .from_env()
        .oauth(id, secret)
        .oauth_url("https://login.cloud.camunda.io/oauth/token")
        .audience("zeebe.camunda.io")
        .build()?;
    // Secrets never appear in Debug output.
    println!("{config:?}");
    let client = CamundaClient::new(config)?;
    // The token is fetched on the first call and refreshed before it expires.
    let topology = client.get_topology().await?;
    println!("{} broker(s)", topology.brokers.len());
    Ok(())
}
