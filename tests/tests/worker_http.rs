//! Workers through the real client and HTTP pipeline, against an in-process job server that
//! counts: every job completed exactly once, never more in flight than the limit, slots refilled
//! as they free up, and recovery from an outage of 503s and dropped connections.

mod support;

use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config, RetryPolicy};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

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

fn job_json(key: u64) -> String {
    // The job lock runs out in ten minutes, as a server would set it.
    let deadline = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        + 600_000;
    format!(
        r#"{{"jobKey":"{key}","type":"charge","processInstanceKey":"7","processDefinitionKey":"8",
        "processDefinitionId":"order","processDefinitionVersion":1,"elementId":"charge",
        "elementInstanceKey":"9","customHeaders":{{}},"worker":"w","retries":3,"deadline":{deadline},
        "variables":{{"n":{key}}},"tenantId":"<default>","kind":"BPMN_ELEMENT",
        "listenerEventType":"UNSPECIFIED","tags":[],"priority":0,"physicalTenantId":"default"}}"#
    )
}

/// Serves `/v2/jobs/activation` from the ledger's pool and records `/v2/jobs/{key}/completion`.
async fn job_server(ledger: Arc<Mutex<Ledger>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        // Bounded: far more connections than any test here needs.
        for _ in 0..50_000 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let ledger = ledger.clone();
            tokio::spawn(async move {
                let Some(req) = support::read_request(&mut sock).await else {
                    return;
                };
                let (status, body) = {
                    let mut l = ledger.lock().unwrap();
                    if let Some(fault) = l.faults.pop_front() {
                        match fault {
                            Some(status) => (status, String::new()),
                            None => return, // drop the connection: no answer at all
                        }
                    } else if req.path == "/v2/jobs/activation" {
                        l.activations += 1;
                        let asked: serde_json::Value = serde_json::from_str(&req.body).unwrap();
                        let n = asked["maxJobsToActivate"].as_u64().unwrap() as usize;
                        let take = n.min(l.available.len());
                        let keys: Vec<u64> = l.available.drain(..take).collect();
                        l.asked.push((n, take));
                        l.in_flight += keys.len();
                        l.max_in_flight = l.max_in_flight.max(l.in_flight);
                        let jobs: Vec<String> = keys.iter().map(|k| job_json(*k)).collect();
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
                    }
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    url
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

/// Waits (bounded) until `done` holds.
async fn wait_until(mut done: impl FnMut() -> bool) {
    for _ in 0..2_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("condition not reached within 10 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_jobs_over_http_are_completed_exactly_once() {
    let ledger = Arc::new(Mutex::new(Ledger {
        available: (1..=1000).collect(),
        ..Default::default()
    }));
    let url = job_server(ledger.clone()).await;
    let client = client(&url);
    client.create_job_worker(config(32), |job: Job| async move {
        let n: u64 = job.variable("n")?.unwrap_or_default();
        assert_eq!(n.to_string(), job.key().to_string());
        Ok::<_, camunda_sdk::Error>(Outcome::complete())
    });
    wait_until(|| ledger.lock().unwrap().completions.len() == 1000).await;
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());

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
    client.create_job_worker(config(16), |_job: Job| async move {
        Ok::<_, camunda_sdk::Error>(Outcome::complete())
    });
    wait_until(|| ledger.lock().unwrap().completions.len() >= 50).await;
    {
        // The outage: a run of 503s and dropped connections, hitting activations and
        // completions alike, long enough for several backoff cycles.
        let mut l = ledger.lock().unwrap();
        for i in 0..40 {
            l.faults
                .push_back(if i % 3 == 0 { None } else { Some(503) });
        }
    }
    wait_until(|| ledger.lock().unwrap().completions.len() == 300).await;
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());

    let l = ledger.lock().unwrap();
    assert!(l.faults.is_empty(), "the outage happened");
    assert_eq!(l.completions.len(), 300, "every job completed");
    // A dropped connection after the server acted may make the worker send a completion
    // again; the server answers 404 and the worker treats it as done. No job is lost, and none
    // is completed twice *successfully*.
    assert!(l.completions.values().all(|&n| n >= 1));
    assert!(l.max_in_flight <= 16);
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
    wait_until(running(8)).await;
    // One job done: a slot is free, but the worker waits for a quarter of its 8 slots.
    gate.add_permits(1);
    wait_until(|| ledger.lock().unwrap().completions.len() == 1).await;
    // A second one: now it asks for exactly the two free slots.
    gate.add_permits(1);
    wait_until(running(10)).await;
    {
        let l = ledger.lock().unwrap();
        assert_eq!(l.asked, [(8, 8), (2, 2)], "activations (asked, handed out)");
        assert_eq!(l.in_flight, 8);
    }
    // Let everything through: the worker keeps re-activating as slots free.
    gate.add_permits(JOBS);
    wait_until(|| ledger.lock().unwrap().completions.len() == JOBS).await;
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
