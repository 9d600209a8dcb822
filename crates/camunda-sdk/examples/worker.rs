//! A job worker for `check-order` jobs that runs until Ctrl-C, with typed variables.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example worker
//! ```

use camunda_sdk::CamundaClient;
use camunda_sdk::worker::{JobWorkerConfig, Outcome, typed};
use serde::Deserialize;

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    amount: f64,
}

#[tokio::main]
async fn main() -> Result<(), camunda_sdk::Error> {
    let client = CamundaClient::from_env()?;
    // Only the variables `Order` names are fetched.
    client.create_job_worker(
        JobWorkerConfig::new("check-order").max_jobs_active(8),
        typed(|order: Order, job| async move {
            println!(
                "checking {} ({}) for job {}",
                order.order_id,
                order.amount,
                job.key()
            );
            Outcome::complete_with(&serde_json::json!({ "approved": order.amount < 1_000.0 }))
        }),
    );
    let report = client.run_workers().await; // until Ctrl-C, then drains
    println!("stopped; {} job(s) unfinished", report.unfinished.len());
    Ok(())
}
