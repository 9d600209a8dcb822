//! Workers through the real client and HTTP pipeline, against an in-process job server that
//! counts: every job completed exactly once, never more in flight than the limit, slots refilled
//! as they free up, and recovery from an outage of 503s and dropped connections.

mod support;

use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config, RetryPolicy};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the job server has seen.
#[derive(Default)]
struct Ledger {
    available: VecDeque<u64>,
    in_flight: usize,
    max_in_flight: usize,
    completions: HashMap<u64, u32>,
    activations: u32,
    /// Per activation: jobs asked for (`maxJobsToActivate`) and jobs handed out.
    asked: Vec<(usize, usize)>,
    /// Requests still to be failed, in order: `Some(503)` answers 503, `None` drops the
    /// connection without an answer.
    faults: VecDeque<Option<u16>>,
}

/// Serves `/v2/jobs/activation` from the ledger's pool and records `/v2/jobs/{key}/completion`.
async fn job_server(ledger: Arc<Mutex<Ledger>>) -> String {
    // Bounded: far more connections than any test here needs.
    support::route(50_000, move |req| {
        let mut l = ledger.lock().unwrap();
        if let Some(fault) = l.faults.pop_front() {
            // `None` drops the connection: no answer at all.
            return fault.map(|status| (status, String::new()));
        }
        Some(if req.path == "/v2/jobs/activation" {
            l.activations += 1;
            let asked: serde_json::Value = serde_json::from_str(&req.body).unwrap();
            let n = asked["maxJobsToActivate"].as_u64().unwrap() as usize;
            let take = n.min(l.available.len());
            let keys: Vec<u64> = l.available.drain(..take).collect();
            l.asked.push((n, take));
            l.in_flight += keys.len();
            l.max_in_flight = l.max_in_flight.max(l.in_flight);
            let jobs: Vec<String> = keys.iter().map(|k| support::job_json_locked(*k)).collect();
            (200, format!(r#"{{"jobs":[{}]}}"#, jobs.join(",")))
        } else if let Some(key) = req
            .path
            .strip_prefix("/v2/jobs/")
            .and_then(|p| p.strip_suffix("/completion"))
        {
            let key: u64 = key.parse().unwrap();
            let seen = l.completions.entry(key).or_insert(0);
            *seen += 1;
            if *seen == 1 {
                l.in_flight -= 1;
                (204, String::new())
            } else {
                // A repeated completion is what a real server rejects.
                (404, r#"{"title":"NOT_FOUND","status":404}"#.to_owned())
            }
        } else {
            (404, String::new())
        })
    })
    .await
}

fn client(url: &str) -> CamundaClient {
    let config = Config::builder()
        .rest_address(url)
        .no_auth()
        .request_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    CamundaClient::new(config).unwrap().with_retry_policy(
        RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(10)),
    )
}

fn config(max: usize) -> JobWorkerConfig {
    JobWorkerConfig::new("charge")
        .max_jobs_active(max)
        .activation_batch_size(max)
        .request_timeout(Duration::from_millis(50))
        .backoff(Duration::from_millis(2), Duration::from_millis(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_jobs_over_http_are_completed_exactly_once() {
    let ledger = Arc::new(Mutex::new(Ledger {
        available: (1..=1000).collect(),
        ..Default::default()
    }));
    let url = job_server(ledger.clone()).await;
    let client = client(&url);
    // Checked after the run: a panic in a handler would only fail the job.
    let mismatched = Arc::new(Mutex::new(Vec::new()));
    let seen = mismatched.clone();
    client.create_job_worker(config(32), move |job: Job| {
        let seen = seen.clone();
        async move {
            let n: u64 = job.variable("n")?.unwrap_or_default();
            if n.to_string() != job.key().to_string() {
                seen.lock().unwrap().push((n, job.key().clone()));
            }
            Ok::<_, camunda_sdk::Error>(Outcome::complete())
        }
    });
    support::wait_until(|| ledger.lock().unwrap().completions.len() == 1000).await;
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());
    assert!(
        mismatched.lock().unwrap().is_empty(),
        "each handler saw its own job's variables: {:?}",
        mismatched.lock().unwrap()
    );

    let l = ledger.lock().unwrap();
    assert!(
        l.completions.values().all(|&n| n == 1),
        "each job completed once"
    );
    assert!(
        l.max_in_flight <= 32,
        "in flight peaked at {}",
        l.max_in_flight
    );
    assert!(
        l.activations <= 1000 / 8 + 8,
        "{} activation requests for 1000 jobs",
        l.activations
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_recovers_from_an_outage_and_loses_no_job() {
    let ledger = Arc::new(Mutex::new(Ledger {
        available: (1..=300).collect(),
        ..Default::default()
    }));
    let url = job_server(ledger.clone()).await;
    let client = client(&url);
    // A result budget longer than the outage: when only one job is in flight, it meets most
    // of the faults (the default budget of 10 sends would give up and leave it to time out).
    let worker = client
        .create_job_worker(config(16).max_result_attempts(64), |_job: Job| async move {
            Ok::<_, camunda_sdk::Error>(Outcome::complete())
        });
    support::wait_until(|| ledger.lock().unwrap().completions.len() >= 50).await;
    let drops = (0..40).filter(|i| i % 3 == 0).count();
    {
        // The outage: a run of 503s and dropped connections, hitting activations and
        // completions alike, long enough for several backoff cycles.
        let mut l = ledger.lock().unwrap();
        for i in 0..40 {
            l.faults
                .push_back(if i % 3 == 0 { None } else { Some(503) });
        }
    }
    support::wait_until(|| ledger.lock().unwrap().completions.len() == 300).await;
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());

    let l = ledger.lock().unwrap();
    assert!(l.faults.is_empty(), "the outage happened");
    assert_eq!(l.completions.len(), 300, "every job completed");
    // A completion is sent again only after a dropped connection (the server answers the
    // repeat 404 and the worker takes it as done), so repeats are bounded by the drops.
    let repeated = l.completions.values().filter(|&&n| n > 1).count();
    assert!(
        repeated <= drops,
        "{repeated} jobs completed more than once"
    );
    assert!(l.max_in_flight <= 16);
    let stats = worker.stats();
    assert_eq!(stats.completed, 300, "{stats:?}");
    assert_eq!(stats.result_failures, 0, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_refills_freed_slots_and_never_exceeds_its_limit() {
    const JOBS: usize = 200;
    let ledger = Arc::new(Mutex::new(Ledger {
        available: (1..=JOBS as u64).collect(),
        ..Default::default()
    }));
    let url = job_server(ledger.clone()).await;
    let client = client(&url);
    // Handlers hold their job until the test lets one go.
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (g, s) = (gate.clone(), started.clone());
    client.create_job_worker(config(8), move |_job: Job| {
        let (gate, started) = (g.clone(), s.clone());
        async move {
            started.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            gate.acquire().await.map(|p| p.forget()).ok();
            Ok::<_, camunda_sdk::Error>(Outcome::complete())
        }
    });
    let running = |n: usize| {
        let started = started.clone();
        move || started.load(std::sync::atomic::Ordering::SeqCst) >= n
    };
    support::wait_until(running(8)).await;
    // One job done: a slot is free, but the worker waits for a quarter of its 8 slots.
    gate.add_permits(1);
    support::wait_until(|| ledger.lock().unwrap().completions.len() == 1).await;
    // A second one: now it asks for exactly the two free slots.
    gate.add_permits(1);
    support::wait_until(running(10)).await;
    {
        let l = ledger.lock().unwrap();
        assert_eq!(l.asked, [(8, 8), (2, 2)], "activations (asked, handed out)");
        assert_eq!(l.in_flight, 8);
    }
    // Let everything through: the worker keeps re-activating as slots free.
    gate.add_permits(JOBS);
    support::wait_until(|| ledger.lock().unwrap().completions.len() == JOBS).await;
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());

    let l = ledger.lock().unwrap();
    assert!(l.completions.values().all(|&n| n == 1), "each job once");
    assert!(
        l.max_in_flight <= 8,
        "in flight peaked at {}",
        l.max_in_flight
    );
    let fed: Vec<_> = l.asked.iter().filter(|(_, handed)| *handed > 0).collect();
    assert!(
        fed.iter().all(|(asked, _)| (2..=8).contains(asked)),
        "each activation asks for a quarter of the slots or more, never more than the limit: {fed:?}"
    );
    assert!(
        fed.len() <= JOBS / 2,
        "{} activations for {JOBS} jobs",
        fed.len()
    );
}
