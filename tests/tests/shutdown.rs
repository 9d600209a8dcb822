//! Worker shutdown over real loopback HTTP, on paused time: what the report says is what
//! happens to every job, and no job is left locked on the server without the caller knowing.

mod support;

use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;

/// What the job server has seen and how it behaves.
#[derive(Default)]
struct Server {
    /// Job keys still to hand out.
    available: Vec<u64>,
    /// How long the server takes to answer an activation that hands out jobs (the answer is
    /// on its way while the worker shuts down).
    activation_delay: Duration,
    /// Hand out every available job, whatever the worker asked for.
    overfill: bool,
    /// How long the server takes to answer a completion.
    completion_delay: Duration,
    /// Jobs the server handed out.
    handed_out: Vec<u64>,
    completions: Vec<u64>,
    /// `(key, body)` of every failure request.
    failures: Vec<(u64, serde_json::Value)>,
}

async fn start(server: Arc<Mutex<Server>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        for _ in 0..1_000 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let server = server.clone();
            tokio::spawn(async move {
                let Some(req) = support::read_request(&mut sock).await else {
                    return;
                };
                let (status, body, delay) = {
                    let mut s = server.lock().unwrap();
                    let key = |suffix: &str| {
                        req.path
                            .strip_prefix("/v2/jobs/")
                            .and_then(|p| p.strip_suffix(suffix))
                            .and_then(|k| k.parse::<u64>().ok())
                    };
                    if req.path == "/v2/jobs/activation" {
                        let asked: serde_json::Value = serde_json::from_str(&req.body).unwrap();
                        let n = asked["maxJobsToActivate"].as_u64().unwrap() as usize;
                        let take = if s.overfill {
                            s.available.len()
                        } else {
                            n.min(s.available.len())
                        };
                        let keys: Vec<u64> = s.available.drain(..take).collect();
                        s.handed_out.extend(&keys);
                        let jobs: Vec<String> =
                            keys.iter().map(|k| support::job_json(*k, 0)).collect();
                        let delay = if keys.is_empty() {
                            // An empty long poll.
                            Duration::from_millis(50)
                        } else {
                            s.activation_delay
                        };
                        (200, format!(r#"{{"jobs":[{}]}}"#, jobs.join(",")), delay)
                    } else if let Some(k) = key("/completion") {
                        s.completions.push(k);
                        (204, String::new(), s.completion_delay)
                    } else if let Some(k) = key("/failure") {
                        s.failures
                            .push((k, serde_json::from_str(&req.body).unwrap()));
                        (204, String::new(), Duration::ZERO)
                    } else {
                        (404, String::new(), Duration::ZERO)
                    }
                };
                tokio::time::sleep(delay).await;
                support::respond(&mut sock, status, &body).await;
            });
        }
    });
    url
}

fn client(url: &str) -> CamundaClient {
    let config = Config::builder()
        .rest_address(url)
        .no_auth()
        .request_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    CamundaClient::new(config).unwrap()
}

fn config() -> JobWorkerConfig {
    JobWorkerConfig::new("charge")
        .max_jobs_active(8)
        .activation_batch_size(8)
        .request_timeout(Duration::from_millis(50))
        .backoff(Duration::from_millis(10), Duration::from_millis(100))
}

/// Lets virtual time pass (bounded) until `done` holds.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..10_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("{what}: not reached within 10 s of virtual time");
}

#[tokio::test(start_paused = true)]
async fn handlers_still_running_at_the_deadline_are_handed_back_and_never_complete() {
    let server = Arc::new(Mutex::new(Server {
        available: (1..=5).collect(),
        ..Default::default()
    }));
    let url = start(server.clone()).await;
    let client = client(&url);
    let worker = client.create_job_worker(config(), |_job: Job| async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        Ok(Outcome::complete())
    });
    wait_until("five jobs in flight", || worker.stats().in_flight == 5).await;

    let report = worker.shutdown(Duration::from_secs(1)).await;

    let mut unfinished: Vec<String> = report.unfinished.iter().map(|k| k.to_string()).collect();
    unfinished.sort();
    assert_eq!(unfinished, ["1", "2", "3", "4", "5"]);
    assert_eq!(report.drained, 0);
    assert!(!report.activation_abandoned);
    assert_eq!(report.jobs.len(), 5);
    for job in &report.jobs {
        assert_eq!(
            job.fate,
            camunda_sdk::worker::HandBack::HandedBack,
            "{job:?}"
        );
        assert!(!job.result_sent, "{job:?}");
    }
    {
        let s = server.lock().unwrap();
        let mut failed: Vec<u64> = s.failures.iter().map(|(k, _)| *k).collect();
        failed.sort_unstable();
        assert_eq!(failed, [1, 2, 3, 4, 5], "each job handed back once");
        for (_, body) in &s.failures {
            assert_eq!(body["retries"], 3, "retries unchanged: {body}");
            assert_eq!(body["retryBackOff"], 0, "available at once: {body}");
        }
    }
    // Long after the handlers would have finished, still no result for any listed job.
    tokio::time::sleep(Duration::from_secs(60)).await;
    let s = server.lock().unwrap();
    assert!(
        s.completions.is_empty(),
        "completed after the report: {:?}",
        s.completions
    );
    assert_eq!(s.failures.len(), 5);
    assert_eq!(worker.stats().in_flight, 0);
}

/// A worker whose first activation the server has answered with `jobs` jobs, an answer that
/// takes `delay` to arrive.
async fn activation_on_its_way(
    jobs: u64,
    delay: Duration,
) -> (Arc<Mutex<Server>>, camunda_sdk::worker::WorkerHandle) {
    let server = Arc::new(Mutex::new(Server {
        available: (1..=jobs).collect(),
        activation_delay: delay,
        ..Default::default()
    }));
    let url = start(server.clone()).await;
    let worker = client(&url)
        .create_job_worker(config(), |_job: Job| async move { Ok(Outcome::complete()) });
    wait_until("the server handed out the jobs", || {
        server.lock().unwrap().handed_out.len() == jobs as usize
    })
    .await;
    (server, worker)
}

#[tokio::test(start_paused = true)]
async fn an_activation_in_flight_at_shutdown_is_awaited_and_its_jobs_handled() {
    let (server, worker) = activation_on_its_way(8, Duration::from_millis(300)).await;

    let report = worker.shutdown(Duration::from_secs(5)).await;

    let s = server.lock().unwrap();
    let mut done: Vec<u64> = s.completions.clone();
    done.extend(s.failures.iter().map(|(k, _)| *k));
    done.sort_unstable();
    assert_eq!(
        done,
        (1..=8).collect::<Vec<_>>(),
        "every handed-out job handled"
    );
    assert!(report.unfinished.is_empty(), "{report:?}");
    assert_eq!(report.drained, 8);
    assert!(!report.activation_abandoned);
}

#[tokio::test(start_paused = true)]
async fn an_activation_still_unanswered_at_the_deadline_is_reported_abandoned() {
    let (server, worker) = activation_on_its_way(3, Duration::from_secs(20)).await;

    let report = worker.shutdown(Duration::from_secs(1)).await;

    assert!(report.activation_abandoned, "{report:?}");
    assert!(report.unfinished.is_empty());
    // The answer never reached a handler: the report's warning is the truth.
    assert!(server.lock().unwrap().completions.is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_result_still_on_its_way_at_the_deadline_is_reported_as_sent() {
    let server = Arc::new(Mutex::new(Server {
        available: vec![1],
        completion_delay: Duration::from_secs(20),
        ..Default::default()
    }));
    let url = start(server.clone()).await;
    let worker = client(&url)
        .create_job_worker(config(), |_job: Job| async move { Ok(Outcome::complete()) });
    wait_until("the completion sent", || {
        !server.lock().unwrap().completions.is_empty()
    })
    .await;

    let report = worker.shutdown(Duration::from_secs(1)).await;

    assert_eq!(report.jobs.len(), 1, "{report:?}");
    assert!(report.jobs[0].result_sent, "{report:?}");
    // This server still holds the job, so it takes it back.
    assert_eq!(
        report.jobs[0].fate,
        camunda_sdk::worker::HandBack::HandedBack
    );
    assert_eq!(worker.stats().handed_back, 1);
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        server.lock().unwrap().completions.len(),
        1,
        "no second send"
    );
}

#[tokio::test(start_paused = true)]
async fn jobs_beyond_the_worker_s_room_at_the_deadline_are_reported_abandoned() {
    let server = Arc::new(Mutex::new(Server {
        available: (1..=4).collect(),
        overfill: true,
        ..Default::default()
    }));
    let url = start(server.clone()).await;
    let worker = client(&url).create_job_worker(
        config().max_jobs_active(2).activation_batch_size(2),
        |_job: Job| async move {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok(Outcome::complete())
        },
    );
    wait_until("two jobs in flight", || worker.stats().in_flight == 2).await;

    let report = worker.shutdown(Duration::from_secs(1)).await;

    // Two jobs handed back; the two the worker had no room for are reported, not hidden.
    assert_eq!(report.jobs.len(), 2, "{report:?}");
    assert!(report.activation_abandoned, "{report:?}");
    assert_eq!(server.lock().unwrap().failures.len(), 2);
}
