//! Quickstart: the SDK's main flow against the cluster named by `CAMUNDA_REST_ADDRESS` (and the
//! other `CAMUNDA_*` variables; see the README). `cargo xtask demo` runs it against a mock server.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example quickstart
//! ```
//!
//! Steps: topology, deploy `resources/order-process.bpmn`, start an instance with typed
//! variables, a worker that completes `check-order` jobs, a paged search, and an error case.

use camunda_sdk::worker::{JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config};
use futures::{StreamExt, TryStreamExt};
use serde::Serialize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BPMN: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/resources/order-process.bpmn"
);

/// The variables the process starts with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    amount: f64,
    express: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = CamundaClient::from_env()?;
    println!("cluster: {}", client.address());

    // Each step prints its result and the next one runs even if it failed; the exit status
    // says whether all succeeded.
    let mut failed = 0;
    // 1. Topology.
    match client.get_topology().await {
        Ok(topology) => println!(
            "[1/6] topology: {} broker(s), {} partition(s), gateway {}",
            topology.brokers.len(),
            topology.partitions_count,
            topology.gateway_version
        ),
        Err(e) => {
            failed += 1;
            println!("[1/6] topology failed: {e}")
        }
    }

    // 2. Deploy the sample process from its file.
    match client.deploy_resources_from_files([BPMN]).await {
        Ok(deployment) => {
            println!(
                "[2/6] deployed: deployment {} with {} process(es)",
                deployment.key,
                deployment.processes.len()
            );
            for p in &deployment.processes {
                println!(
                    "        {} version {} (key {})",
                    p.process_definition_id, p.process_definition_version, p.process_definition_key
                );
            }
        }
        Err(e) => {
            failed += 1;
            println!("[2/6] deploy failed: {e}")
        }
    }

    // 3. Start an instance with typed variables.
    let order = Order {
        order_id: "A-1001".into(),
        amount: 42.5,
        express: true,
    };
    let started = client
        .create_process_instance()
        .process_definition_id("order-process")
        .variables(&order)
        .await;
    match started {
        Ok(created) => println!(
            "[3/6] started instance {} of {}",
            created.process_instance_key, created.process_definition_id
        ),
        Err(e) => {
            failed += 1;
            println!("[3/6] start failed: {e}")
        }
    }

    // 4. A worker that completes `check-order` jobs; stopped after a few jobs or 5 seconds.
    let decided = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&decided);
    let worker = client.create_job_worker(
        JobWorkerConfig::new("check-order").max_jobs_active(4),
        move |job| {
            let seen = Arc::clone(&seen);
            async move {
                let amount: Option<f64> = job.variable("amount")?;
                let approved = amount.is_none_or(|a| a < 1_000.0);
                seen.lock()
                    .unwrap()
                    .push(format!("{} approved={approved}", job.key()));
                Outcome::complete_with(&serde_json::json!({ "approved": approved }))
            }
        },
    );
    let started = Instant::now();
    let report = client
        .run_workers_until(async {
            while worker.stats().completed < 3 && started.elapsed() < Duration::from_secs(5) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
        .await;
    let stats = worker.stats();
    println!(
        "[4/6] worker: {} activation request(s) ({} failed), {} job(s) activated, {} completed, {} failed ({} unfinished at shutdown)",
        stats.activation_requests,
        stats.activation_errors,
        stats.activated,
        stats.completed,
        stats.failed,
        report.unfinished.len()
    );
    if stats.completed == 0 {
        failed += 1;
    }
    for d in decided.lock().unwrap().iter().take(3) {
        println!("        job {d}");
    }

    // 5. A paged search: process instances, two per request, at most five.
    let found: Result<Vec<_>, _> = client
        .search_process_instances()
        .limit(2)
        .stream()
        .take(5)
        .try_collect()
        .await;
    match found {
        Ok(instances) => {
            println!("[5/6] search: {} instance(s) found", instances.len());
            for i in &instances {
                println!("        {} {:?}", i.process_instance_key, i.state);
            }
        }
        Err(e) => {
            failed += 1;
            println!("[5/6] search failed: {e}")
        }
    }

    // 6. An error case: a request without credentials.
    let anonymous = CamundaClient::new(
        Config::builder()
            .rest_address(client.address())
            .no_auth()
            .build()?,
    )?;
    match anonymous.get_topology().await {
        Err(e) if e.status() == Some(401) => println!(
            "[6/6] without credentials: refused as expected (retryable: {}): {e}",
            e.is_retryable()
        ),
        Err(e) => {
            failed += 1;
            println!("[6/6] without credentials: unexpected error: {e}")
        }
        Ok(_) => println!("[6/6] without credentials: accepted (this cluster has no auth)"),
    }
    if failed > 0 {
        return Err(format!("{failed} of 6 steps failed").into());
    }
    Ok(())
}
