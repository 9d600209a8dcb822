//! Quickstart: the SDK's main flow against the cluster named by `CAMUNDA_REST_ADDRESS` (and the
//! other `CAMUNDA_*` variables; see the README). `cargo xtask demo` runs it against a mock server.
//!
//! ```sh
//! CAMUNDA_REST_ADDRESS=http://localhost:8080 cargo run -p camunda-sdk --example quickstart
//! ```
//!
//! Steps: topology, deploy `resources/order-process.bpmn`, start an instance with typed
//! variables, a worker that completes `check-order` jobs, a paged search, and an error case.

use camunda_sdk::paging::Paging;
use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config, types, variables};
use futures::TryStreamExt;
use serde::Serialize;
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

    // Each step prints its result and the next one runs even if it failed.
    // 1. Topology.
    match client.get_topology().await {
        Ok(topology) => println!(
            "[1/6] topology: {} broker(s), {} partition(s), gateway {}",
            topology.brokers.len(),
            topology.partitions_count,
            topology.gateway_version
        ),
        Err(e) => println!("[1/6] topology failed: {e}"),
    }

    // 2. Deploy the sample process from its file.
    match client.deploy_resources_from_files([BPMN], None).await {
        Ok(deployment) => {
            for p in &deployment.processes {
                println!(
                    "[2/6] deployed: {} version {} (key {})",
                    p.process_definition_id, p.process_definition_version, p.process_definition_key
                );
            }
        }
        // The process may be deployed already. (The mock server cannot validate multipart
        // file lists, so it rejects every deployment.)
        Err(e) => println!("[2/6] deploy failed: {e}"),
    }

    // 3. Start an instance with typed variables.
    let order = Order {
        order_id: "A-1001".into(),
        amount: 42.5,
        express: true,
    };
    let instruction = types::ProcessInstanceCreationInstructionById {
        process_definition_id: "order-process".parse()?,
        variables: Some(variables::to_variables(&order)?),
        await_completion: None,
        business_id: None,
        fetch_variables: Vec::new(),
        operation_reference: None,
        process_definition_version: None,
        request_timeout: None,
        runtime_instructions: Vec::new(),
        start_instructions: Vec::new(),
        tags: None,
        tenant_id: None,
    };
    match client.create_process_instance(&instruction.into()).await {
        Ok(created) => println!(
            "[3/6] started instance {} of {}",
            created.process_instance_key, created.process_definition_id
        ),
        Err(e) => println!("[3/6] start failed: {e}"),
    }

    // 4. A worker that completes `check-order` jobs; stopped after a few jobs or 5 seconds.
    let worker = client.create_job_worker(
        JobWorkerConfig::new("check-order").max_jobs_active(4),
        |job: Job| async move {
            let amount: Option<f64> = job.variable("amount")?;
            let approved = amount.is_none_or(|a| a < 1_000.0);
            Outcome::complete_with(&serde_json::json!({ "approved": approved }))
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

    // 5. A paged search: process instances, two per request, at most five.
    let query = types::ProcessInstanceSearchQuery::default();
    let found: Result<Vec<_>, _> = client
        .search_process_instances_stream(&query, Paging::new().page_size(2).max_items(5))
        .try_collect()
        .await;
    match found {
        Ok(instances) => {
            println!("[5/6] search: {} instance(s) found", instances.len());
            for i in &instances {
                println!("        {} {:?}", i.process_instance_key, i.state);
            }
        }
        Err(e) => println!("[5/6] search failed: {e}"),
    }

    // 6. An error case: a request without credentials.
    let anonymous = CamundaClient::new(
        Config::builder()
            .rest_address(client.address())
            .no_auth()
            .build()?,
    )?;
    match anonymous.get_topology().await {
        Err(e) => println!(
            "[6/6] without credentials: HTTP {} (retryable: {}): {e}",
            e.status().map_or("-".into(), |s| s.to_string()),
            e.is_retryable()
        ),
        Ok(_) => println!("[6/6] without credentials: accepted (this cluster has no auth)"),
    }
    Ok(())
}
