//! The blocking twin of `worker.rs`: a plain closure per job, no async code.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example blocking_worker
//! ```

use camunda_sdk::blocking::CamundaClient;
use camunda_sdk::worker::{JobWorkerConfig, Outcome};

fn main() -> Result<(), camunda_sdk::Error> {
    let client = CamundaClient::from_env()?;
    client.create_job_worker(JobWorkerConfig::new("ship-order"), |job| {
        let order_id: Option<String> = job.variable("orderId")?;
        println!("shipping {order_id:?} (job {})", job.key());
        Ok(Outcome::complete())
    })?;
    let report = client.run_workers()?; // until Ctrl-C, then drains
    println!("stopped; {} job(s) unfinished", report.unfinished.len());
    Ok(())
}
