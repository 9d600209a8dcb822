//! Retries over real loopback HTTP with injected faults: the retry unit is the whole exchange
//! (a body cut after the headers counts like a dropped connection), and a job result has one
//! retry budget, not the worker's attempts times the client's.

mod support;

use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Error, RetryPolicy};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// How the server answers one request.
#[derive(Clone)]
enum Answer {
    /// A whole answer.
    Whole(u16, &'static str),
    /// A 200 whose headers promise more body than is sent before the connection closes.
    Cut,
    /// The connection closes without an answer.
    Drop,
    /// The connection stays open for a minute without an answer.
    Silent,
    /// A 200 whose body stops half way, the connection open for a minute.
    Stalled,
    /// A 200 whose body comes in these chunks (`transfer-encoding: chunked`).
    Chunked(&'static [&'static str]),
}

/// Answers requests from `script` in order (the last one repeats); records each path.
async fn scripted(script: Vec<Answer>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let paths = Arc::new(Mutex::new(Vec::new()));
    let log = paths.clone();
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    tokio::spawn(async move {
        for _ in 0..1_000 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (log, script) = (log.clone(), script.clone());
            tokio::spawn(async move {
                let Some(req) = support::read_request(&mut sock).await else {
                    return;
                };
                log.lock().unwrap().push(req.path);
                let answer = {
                    let mut s = script.lock().unwrap();
                    if s.len() > 1 {
                        s.pop_front().unwrap()
                    } else {
                        s[0].clone()
                    }
                };
                match answer {
                    Answer::Whole(status, body) => support::respond(&mut sock, status, body).await,
                    Answer::Cut => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"validLic";
                        let _ = sock.write_all(head.as_bytes()).await;
                        let _ = sock.shutdown().await;
                    }
                    Answer::Chunked(parts) => {
                        let mut out = String::from(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                        );
                        for part in parts {
                            out.push_str(&format!("{:x}\r\n{part}\r\n", part.len()));
                        }
                        out.push_str("0\r\n\r\n");
                        let _ = sock.write_all(out.as_bytes()).await;
                        let _ = sock.shutdown().await;
                    }
                    Answer::Drop => {}
                    Answer::Silent => tokio::time::sleep(Duration::from_secs(60)).await,
                    Answer::Stalled => {
                        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"validLic";
                        let _ = sock.write_all(head.as_bytes()).await;
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                }
            });
        }
    });
    (url, paths)
}

fn client(url: &str) -> CamundaClient {
    CamundaClient::new(support::config(url))
        .unwrap()
        .with_retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

const LICENSE: &str = r#"{"validLicense":true,"licenseType":"saas","isCommercial":true}"#;

#[tokio::test]
async fn a_read_whose_body_is_cut_is_retried() {
    let (url, paths) = scripted(vec![Answer::Cut, Answer::Whole(200, LICENSE)]).await;
    let license = client(&url).get_license().await.unwrap();
    assert!(license.valid_license);
    assert_eq!(
        paths.lock().unwrap().len(),
        2,
        "sent again after the cut body"
    );
}

#[tokio::test]
async fn an_answer_in_several_chunks_is_read_whole() {
    let parts = &[
        r#"{"validLicense":true,"#,
        r#""licenseType":"saas","#,
        r#""isCommercial":true}"#,
    ];
    let (url, _) = scripted(vec![Answer::Chunked(parts)]).await;
    let license = client(&url).get_license().await.unwrap();
    assert!(license.valid_license);
    assert_eq!(license.license_type, "saas");
    assert!(license.is_commercial);
}

#[tokio::test]
async fn a_non_idempotent_call_whose_body_is_cut_is_not_retried_and_says_why() {
    let (url, paths) = scripted(vec![Answer::Cut, Answer::Whole(204, "")]).await;
    let err = client(&url).reset_clock().await.unwrap_err();
    assert_eq!(paths.lock().unwrap().len(), 1, "sent once");
    assert!(
        matches!(
            err,
            Error::Transport {
                not_sent: false,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_ambiguous());
    let shown = err.to_string();
    assert!(shown.contains("may have acted"), "{shown}");
    // The root cause, not just reqwest's "error decoding response body".
    assert!(
        shown.contains("root cause: end of file before message length reached"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_dropped_connection_names_its_root_cause() {
    let (url, _) = scripted(vec![Answer::Drop]).await;
    let err = client(&url).reset_clock().await.unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("root cause: connection closed before message completed"),
        "{shown}"
    );
    assert!(
        std::error::Error::source(&err).is_some(),
        "the source is kept"
    );
}

/// A client whose requests time out after 2 s and are not retried.
fn impatient(url: &str) -> CamundaClient {
    let config = camunda_sdk::Config::builder()
        .rest_address(url)
        .no_auth()
        .request_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    CamundaClient::new(config)
        .unwrap()
        .with_retry_policy(RetryPolicy::none())
}

#[tokio::test(start_paused = true)]
async fn an_answer_that_never_comes_times_out_with_the_operation_named() {
    let (url, paths) = scripted(vec![Answer::Silent]).await;
    let started = tokio::time::Instant::now();
    let err = impatient(&url).get_license().await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { operation: "getLicense", after } if after == Duration::from_secs(2)),
        "{err:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "not before the timeout"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "not after the server gave up"
    );
    assert_eq!(paths.lock().unwrap().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stops_half_way_times_out_too() {
    // The timeout bounds the whole exchange, not only the wait for the answer's headers.
    let (url, _) = scripted(vec![Answer::Stalled]).await;
    let started = tokio::time::Instant::now();
    let err = impatient(&url).get_license().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                operation: "getLicense",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

/// A job server whose job commands all answer 503 (a storm), with one job to hand out and a
/// job lock of `lock` from now (`None`: no deadline). Counts requests per path kind.
#[derive(Default)]
struct Storm {
    activations: u32,
    completions: u32,
    /// Activations to answer 503 before handing out the job.
    activation_503s: u32,
}

async fn storm_server(storm: Arc<Mutex<Storm>>, lock: Option<Duration>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let deadline = lock.map_or(0, |l| {
        (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            + l)
            .as_millis()
    });
    tokio::spawn(async move {
        let mut handed_out = false;
        for _ in 0..1_000 {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let Some(req) = support::read_request(&mut sock).await else {
                continue;
            };
            let (status, body) = {
                let mut s = storm.lock().unwrap();
                if req.path == "/v2/jobs/activation" {
                    s.activations += 1;
                    if s.activation_503s > 0 {
                        s.activation_503s -= 1;
                        (503, String::new())
                    } else if handed_out {
                        (200, r#"{"jobs":[]}"#.to_owned())
                    } else {
                        handed_out = true;
                        (
                            200,
                            format!(r#"{{"jobs":[{}]}}"#, support::job_json(1, deadline)),
                        )
                    }
                } else {
                    s.completions += 1;
                    (503, String::new())
                }
            };
            support::respond(&mut sock, status, &body).await;
        }
    });
    url
}

fn storm_worker(url: &str) -> camunda_sdk::worker::WorkerHandle {
    // The client's default retry policy (4 attempts) and the worker's default 10 result attempts.
    let client = CamundaClient::new(support::config(url)).unwrap();
    client.create_job_worker(
        JobWorkerConfig::new("charge").request_timeout(Duration::from_millis(50)),
        |_job: Job| async move { Ok(Outcome::complete()) },
    )
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{what}: not reached within 1000 s of virtual time");
}

#[tokio::test(start_paused = true)]
async fn a_job_result_has_one_retry_budget_under_a_503_storm() {
    let storm = Arc::new(Mutex::new(Storm::default()));
    let url = storm_server(storm.clone(), None).await;
    let worker = storm_worker(&url);
    wait_for("the result given up on", || {
        worker.stats().result_failures == 1
    })
    .await;
    let sends = storm.lock().unwrap().completions;
    println!("sends per job result under a 503 storm: {sends}");
    assert_eq!(
        sends,
        worker.config().max_result_attempts,
        "one budget, no nested retries"
    );
}

#[tokio::test(start_paused = true)]
async fn the_result_budget_ends_at_the_job_deadline() {
    let storm = Arc::new(Mutex::new(Storm::default()));
    // The job lock runs out 1 s after activation: with backoffs from 100 ms, only a few sends fit.
    let url = storm_server(storm.clone(), Some(Duration::from_secs(1))).await;
    let worker = storm_worker(&url);
    let started = tokio::time::Instant::now();
    wait_for("the result given up on", || {
        worker.stats().result_failures == 1
    })
    .await;
    let sends = storm.lock().unwrap().completions;
    assert!((2..10).contains(&sends), "{sends} sends");
    assert!(
        started.elapsed() <= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn an_activation_attempt_is_one_send() {
    let storm = Arc::new(Mutex::new(Storm {
        activation_503s: 5,
        ..Default::default()
    }));
    let url = storm_server(storm.clone(), None).await;
    let worker = storm_worker(&url);
    wait_for("the storm survived", || worker.stats().activated == 1).await;
    let stats = worker.stats();
    assert_eq!(stats.activation_errors, 5);
    assert_eq!(
        u64::from(storm.lock().unwrap().activations),
        stats.activation_requests,
        "each activation the worker counts is one request"
    );
}
