//! A worker against servers of other versions, over real HTTP: jobs shaped as 8.9 and 8.8 send
//! them are handled like any other, and a job that does not decode is failed back at once (with
//! the decode error and its retries decremented) instead of being lost or locking the batch.

mod support;

use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the job server has seen.
#[derive(Default)]
struct Ledger {
    /// Activation answers still to serve, in order; afterwards every activation is empty.
    batches: Vec<String>,
    completions: HashMap<u64, u32>,
    /// `/v2/jobs/{key}/failure` bodies, in arrival order.
    failures: Vec<(u64, serde_json::Value)>,
}

/// Properties 8.10 servers send that 8.9 servers do not.
const ADDED_IN_8_10: [&str; 4] = [
    "priority",
    "businessId",
    "jobLeaseToken",
    "physicalTenantId",
];
/// Properties 8.9 servers send that 8.8 servers do not.
const ADDED_IN_8_9: [&str; 1] = ["rootProcessInstanceKey"];

/// A job as an 8.10 server sends it, minus `omit`.
fn job(key: u64, omit: &[&str]) -> serde_json::Value {
    let mut job = serde_json::json!({
        "jobKey": key.to_string(), "type": "charge", "processInstanceKey": "7",
        "rootProcessInstanceKey": "7", "processDefinitionKey": "8",
        "processDefinitionId": "order", "processDefinitionVersion": 1, "elementId": "charge",
        "elementInstanceKey": "9", "customHeaders": {}, "worker": "w", "retries": 3,
        "deadline": 4_102_444_800_000_i64, "variables": { "n": key }, "tenantId": "<default>",
        "kind": "BPMN_ELEMENT", "listenerEventType": "UNSPECIFIED", "tags": [], "priority": 0,
        "businessId": null, "jobLeaseToken": "lease", "physicalTenantId": "default"
    });
    for name in omit {
        job.as_object_mut().unwrap().remove(*name);
    }
    job
}

fn batch(jobs: Vec<serde_json::Value>) -> String {
    serde_json::json!({ "jobs": jobs }).to_string()
}

/// Serves the ledger's batches on `/v2/jobs/activation` and records completions and failures.
async fn job_server(ledger: Arc<Mutex<Ledger>>) -> String {
    // Bounded: an idle worker long-polls every 50 ms; no test here runs for long.
    support::route(5_000, move |req| {
        let mut l = ledger.lock().unwrap();
        let job_path = req.path.strip_prefix("/v2/jobs/");
        Some(if req.path == "/v2/jobs/activation" {
            let body = if l.batches.is_empty() {
                batch(Vec::new())
            } else {
                l.batches.remove(0)
            };
            (200, body)
        } else if let Some(key) = job_path.and_then(|p| p.strip_suffix("/completion")) {
            *l.completions.entry(key.parse().unwrap()).or_insert(0) += 1;
            (204, String::new())
        } else if let Some(key) = job_path.and_then(|p| p.strip_suffix("/failure")) {
            let body = serde_json::from_str(&req.body).unwrap();
            l.failures.push((key.parse().unwrap(), body));
            (204, String::new())
        } else {
            (404, String::new())
        })
    })
    .await
}

fn config() -> JobWorkerConfig {
    JobWorkerConfig::new("charge")
        .max_jobs_active(16)
        .activation_batch_size(16)
        .request_timeout(Duration::from_millis(50))
        .backoff(Duration::from_millis(2), Duration::from_millis(20))
}

/// Runs a worker that completes every job it is handed until the server has seen `answers`
/// completions and failures, then shuts it down; returns its stats.
async fn run(ledger: &Arc<Mutex<Ledger>>, answers: usize) -> camunda_sdk::worker::WorkerStats {
    let url = job_server(ledger.clone()).await;
    let client = support::client_without_retries(&url);
    let worker =
        client.create_job_worker(config(), |_job: Job| async move { Ok(Outcome::complete()) });
    support::wait_until(|| {
        let l = ledger.lock().unwrap();
        l.completions.values().sum::<u32>() as usize + l.failures.len() >= answers
    })
    .await;
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty(), "{report:?}");
    worker.stats()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_does_not_decode_is_failed_back_and_the_rest_of_the_batch_completes() {
    let mut jobs: Vec<_> = (1..=10).map(|k| job(k, &[])).collect();
    // Job 6 carries a version that is not a number: it cannot become an `ActivatedJobResult`.
    jobs[5]["processDefinitionVersion"] = "one".into();
    let ledger = Arc::new(Mutex::new(Ledger {
        batches: vec![batch(jobs)],
        ..Default::default()
    }));
    let stats = run(&ledger, 10).await;

    let l = ledger.lock().unwrap();
    let mut completed: Vec<u64> = l.completions.keys().copied().collect();
    completed.sort_unstable();
    assert_eq!(completed, [1, 2, 3, 4, 5, 7, 8, 9, 10]);
    assert!(
        l.completions.values().all(|&n| n == 1),
        "each completed once"
    );
    assert_eq!(l.failures.len(), 1, "the malformed job is failed back once");
    let (key, body) = &l.failures[0];
    assert_eq!(*key, 6);
    let message = body["errorMessage"].as_str().unwrap();
    assert!(
        message.contains("activateJobs") && message.contains("jobs[5].processDefinitionVersion"),
        "{message}"
    );
    assert!(message.contains("expected i32"), "{message}");
    assert_eq!(
        body["retries"], 2,
        "retries decremented like a handler error"
    );
    assert_eq!(
        body["jobLeaseToken"], "lease",
        "the lease travels with the failure"
    );
    assert_eq!(stats.undecodable_jobs, 1);
    assert_eq!(stats.activated, 10);
    assert_eq!(stats.completed, 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_shaped_as_8_9_and_8_8_servers_send_them_are_handled() {
    let to_8_8: Vec<&str> = ADDED_IN_8_10.iter().chain(&ADDED_IN_8_9).copied().collect();
    let jobs: Vec<_> = (1..=8)
        .map(|k| {
            if k % 2 == 0 {
                job(k, &ADDED_IN_8_10)
            } else {
                job(k, &to_8_8)
            }
        })
        .collect();
    assert!(jobs.iter().all(|j| j.get("physicalTenantId").is_none()));
    let ledger = Arc::new(Mutex::new(Ledger {
        batches: vec![batch(jobs)],
        ..Default::default()
    }));
    let stats = run(&ledger, 8).await;

    let l = ledger.lock().unwrap();
    assert_eq!(l.completions.len(), 8, "every job completed");
    assert!(l.completions.values().all(|&n| n == 1));
    assert!(l.failures.is_empty(), "no job failed: {:?}", l.failures);
    assert_eq!(stats.undecodable_jobs, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_without_a_readable_key_is_not_failed_and_does_not_stop_the_batch() {
    let mut jobs: Vec<_> = (1..=3).map(|k| job(k, &[])).collect();
    jobs[1]["jobKey"] = serde_json::json!({ "not": "a key" });
    let ledger = Arc::new(Mutex::new(Ledger {
        batches: vec![batch(jobs)],
        ..Default::default()
    }));
    let stats = run(&ledger, 2).await;

    let l = ledger.lock().unwrap();
    let mut completed: Vec<u64> = l.completions.keys().copied().collect();
    completed.sort_unstable();
    assert_eq!(completed, [1, 3]);
    assert!(l.failures.is_empty(), "nothing to fail back without a key");
    assert_eq!(stats.undecodable_jobs, 1);
}
