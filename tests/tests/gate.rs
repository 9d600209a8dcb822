//! The backpressure gate over real loopback HTTP: the limit falls under a storm of
//! `RESOURCE_EXHAUSTED` and recovers after it, job results pass a closed gate, a waiter past its
//! timeout gets `Error::Throttled`, and a worker keeps completing its jobs while its activations
//! are throttled.

mod support;

use camunda_sdk::gate::BackpressureConfig;
use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config, Error, RetryPolicy, keys};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// A cluster that can be overloaded (new work gets 503 `RESOURCE_EXHAUSTED`, results do not),
/// can hold process instance creations until released, and counts what it sees.
struct Cluster {
    overloaded: AtomicBool,
    hold_creates: AtomicBool,
    released: Semaphore,
    jobs: Mutex<VecDeque<u64>>,
    /// `(path, body)` of every request, in arrival order.
    received: Mutex<Vec<(String, String)>>,
    rejected: AtomicUsize,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Default for Cluster {
    fn default() -> Self {
        Cluster {
            overloaded: AtomicBool::default(),
            hold_creates: AtomicBool::default(),
            released: Semaphore::new(0),
            jobs: Mutex::default(),
            received: Mutex::default(),
            rejected: AtomicUsize::default(),
            in_flight: AtomicUsize::default(),
            max_in_flight: AtomicUsize::default(),
        }
    }
}

impl Cluster {
    fn count(&self, path: impl Fn(&str) -> bool) -> usize {
        self.received
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| path(p))
            .count()
    }

    fn completions(&self) -> usize {
        self.count(|p| p.ends_with("/completion"))
    }
}

const RESOURCE_EXHAUSTED: &str = r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":503,"detail":"the partition is overloaded"}"#;

async fn serve(cluster: Arc<Cluster>) -> String {
    // Bounded: more connections than any test here makes.
    support::serve(20_000, move |req| {
        let c = cluster.clone();
        async move {
            let now = c.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            c.max_in_flight.fetch_max(now, Ordering::SeqCst);
            c.received
                .lock()
                .unwrap()
                .push((req.path.clone(), req.body.clone()));
            let result = req.path.ends_with("/completion")
                || req.path.ends_with("/failure")
                || req.path.ends_with("/error");
            let create = req.path == "/v2/process-instances";
            if create && c.hold_creates.load(Ordering::SeqCst) {
                c.released.acquire().await.unwrap().forget();
            }
            let answer = if result {
                (204, String::new())
            } else if c.overloaded.load(Ordering::SeqCst) {
                c.rejected.fetch_add(1, Ordering::SeqCst);
                (503, RESOURCE_EXHAUSTED.to_owned())
            } else if req.path == "/v2/jobs/activation" {
                let asked: serde_json::Value = serde_json::from_str(&req.body).unwrap();
                let n = asked["maxJobsToActivate"].as_u64().unwrap() as usize;
                let mut pool = c.jobs.lock().unwrap();
                let take = n.min(pool.len());
                let jobs: Vec<String> = pool.drain(..take).map(support::job_json_locked).collect();
                (200, format!(r#"{{"jobs":[{}]}}"#, jobs.join(",")))
            } else {
                (204, String::new())
            };
            c.in_flight.fetch_sub(1, Ordering::SeqCst);
            Some(answer)
        }
    })
    .await
}

fn client(url: &str, gate: BackpressureConfig) -> CamundaClient {
    let config = Config::builder()
        .rest_address(url)
        .no_auth()
        .request_timeout(Duration::from_secs(5))
        .backpressure(gate)
        .build()
        .unwrap();
    CamundaClient::new(config)
        .unwrap()
        .with_retry_policy(RetryPolicy::none())
}

/// A gated call the cluster answers with 204 (or 503 while overloaded).
async fn cancel(client: &CamundaClient, key: u64) -> Result<(), Error> {
    let key: keys::ProcessInstanceKey = key.to_string().parse().unwrap();
    client.cancel_process_instance(&key).await
}

/// A gated call the cluster can hold; its HTTP timeout includes the 10 s long-poll allowance,
/// so it outlives the gate's 5 s wait.
fn create(client: &CamundaClient) -> tokio::task::JoinHandle<Result<(), Error>> {
    let client = client.clone();
    tokio::spawn(async move {
        client
            .create_process_instance()
            .process_definition_id("order")
            .await
            .map(drop)
    })
}

/// `n` concurrent cancellations; how many succeeded.
async fn wave(client: &CamundaClient, n: u64) -> usize {
    let calls = (1..=n).map(|k| {
        let client = client.clone();
        tokio::spawn(async move { cancel(&client, k).await })
    });
    let results = futures::future::join_all(calls).await;
    results
        .into_iter()
        .filter(|r| matches!(r, Ok(Ok(()))))
        .count()
}

/// Waits (bounded) until `done` holds.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..5_000 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("timed out waiting until {what}");
}

#[tokio::test(start_paused = true)]
async fn the_limit_falls_under_a_backpressure_storm_and_recovers_after_it() {
    let cluster = Arc::new(Cluster::default());
    let url = serve(cluster.clone()).await;
    let client = client(&url, BackpressureConfig::default());
    assert_eq!(
        client.backpressure().limit,
        None,
        "open before any backpressure"
    );

    cluster.overloaded.store(true, Ordering::SeqCst);
    let mut limits = Vec::new();
    for _ in 0..6 {
        assert_eq!(wave(&client, 40).await, 0);
        limits.push(
            client
                .backpressure()
                .limit
                .expect("a limit under backpressure"),
        );
    }
    // Forty rejections of requests sent together cut once (64 to 80 %), not forty times; the
    // next wave cuts once more, and the limit never rises until it reaches the floor.
    assert_eq!(limits[..2], [51, 40], "{limits:?}");
    assert!(limits.windows(2).all(|w| w[1] <= w[0]), "{limits:?}");
    let low = *limits.last().unwrap();
    assert_eq!(low, 1, "{limits:?}");
    // At that limit the cluster sees no more than the limit at once.
    cluster.max_in_flight.store(0, Ordering::SeqCst);
    assert_eq!(wave(&client, 40).await, 0);
    assert!(cluster.max_in_flight.load(Ordering::SeqCst) <= low);
    let stats = client.backpressure();
    assert!(stats.backpressure_signals >= 7, "{stats:?}");
    assert_eq!((stats.in_flight, stats.waiting), (0, 0));

    // The storm ends: callers queue behind the limit, all succeed, and the limit grows back.
    cluster.overloaded.store(false, Ordering::SeqCst);
    let low = client.backpressure().limit.unwrap();
    for _ in 0..5 {
        assert_eq!(wave(&client, 40).await, 40);
    }
    let grown = client
        .backpressure()
        .limit
        .expect("still limited right after the storm");
    assert!(grown > low, "grew from {low} to {grown}");
    // After a quiet period the gate opens fully.
    tokio::time::advance(Duration::from_secs(31)).await;
    cancel(&client, 1).await.unwrap();
    assert_eq!(client.backpressure().limit, None);
}

/// Cuts the limit to 1 with one rejected call, then fills it with a creation the cluster holds.
async fn close_the_gate(
    cluster: &Cluster,
    client: &CamundaClient,
) -> tokio::task::JoinHandle<Result<(), Error>> {
    cluster.overloaded.store(true, Ordering::SeqCst);
    assert!(cancel(client, 1).await.unwrap_err().is_backpressure());
    cluster.overloaded.store(false, Ordering::SeqCst);
    assert_eq!(client.backpressure().limit, Some(1));
    cluster.hold_creates.store(true, Ordering::SeqCst);
    let held = create(client);
    wait_until("the creation reaches the cluster", || {
        cluster.count(|p| p == "/v2/process-instances") == 1
    })
    .await;
    assert_eq!(client.backpressure().in_flight, 1);
    held
}

/// Spawns a cancellation and waits until it waits at the gate.
async fn queued_cancel(
    client: &CamundaClient,
    key: u64,
) -> tokio::task::JoinHandle<Result<(), Error>> {
    let caller = client.clone();
    let call = tokio::spawn(async move { cancel(&caller, key).await });
    wait_until("the cancellation waits at the gate", || {
        client.backpressure().waiting == 1
    })
    .await;
    call
}

#[tokio::test]
async fn job_results_pass_while_the_gate_is_closed() {
    let cluster = Arc::new(Cluster::default());
    let url = serve(cluster.clone()).await;
    let client = client(&url, BackpressureConfig::default().initial_max(1));
    let held = close_the_gate(&cluster, &client).await;

    // A gated call now waits for the one permit...
    let waiting = queued_cancel(&client, 2).await;

    // ...while completing, failing and throwing an error on jobs go straight through.
    let key: keys::JobKey = "2251799813685249".parse().unwrap();
    client.complete_job(&key).await.unwrap();
    client.fail_job(&key).await.unwrap();
    client.throw_job_error(&key).error_code("E1").await.unwrap();
    assert_eq!(cluster.count(|p| p.starts_with("/v2/jobs/")), 3);
    assert_eq!(
        client.backpressure().waiting,
        1,
        "the cancellation still waits"
    );
    assert!(!waiting.is_finished());
    assert_eq!(
        cluster.count(|p| p.ends_with("/cancellation")),
        1,
        "only the first"
    );

    // The held creation ends; the waiting cancellation gets its permit and is sent.
    cluster.released.add_permits(1);
    let _ = held.await.unwrap();
    waiting.await.unwrap().unwrap();
    assert_eq!(cluster.count(|p| p.ends_with("/cancellation")), 2);
}

#[tokio::test(start_paused = true)]
async fn a_waiter_past_its_timeout_gets_a_throttled_error_and_nothing_is_sent() {
    let cluster = Arc::new(Cluster::default());
    let url = serve(cluster.clone()).await;
    let client = client(
        &url,
        BackpressureConfig::default().initial_max(1).max_waiters(1),
    );
    let held = close_the_gate(&cluster, &client).await;

    let first = queued_cancel(&client, 2).await;
    // The queue holds one waiter: the next caller is refused at once.
    match cancel(&client, 3).await {
        Err(Error::Throttled {
            queue_full: true,
            waited,
            ..
        }) => assert_eq!(waited, Duration::ZERO),
        other => panic!("expected a full queue, got {other:?}"),
    }
    // The waiter gives up after the 5 s request timeout.
    let started = tokio::time::Instant::now();
    let err = first.await.unwrap().unwrap_err();
    match &err {
        Error::Throttled {
            operation,
            waited,
            limit,
            queue_full: false,
            ..
        } => {
            assert_eq!(*operation, "cancelProcessInstance");
            assert!(*waited >= Duration::from_secs(5), "{waited:?}");
            assert_eq!(*limit, 1);
        }
        other => panic!("expected Throttled, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(6));
    assert!(err.is_retryable());
    assert!(!err.is_backpressure(), "the cluster never saw it");
    assert!(err.to_string().contains("not sent"), "{err}");
    assert_eq!(
        cluster.count(|p| p.ends_with("/cancellation")),
        1,
        "only the first"
    );
    assert_eq!(client.backpressure().throttled, 2);

    cluster.released.add_permits(1);
    let _ = held.await.unwrap();
    // The permit came back: the gate admits again.
    cancel(&client, 4).await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_worker_completes_its_jobs_while_its_activations_are_throttled() {
    let cluster = Arc::new(Cluster::default());
    cluster.jobs.lock().unwrap().extend(1..=8);
    let url = serve(cluster.clone()).await;
    let client = client(&url, BackpressureConfig::default().initial_max(1));
    let go = Arc::new(Semaphore::new(0));
    let gate = go.clone();
    let config = JobWorkerConfig::new("charge")
        .max_jobs_active(32)
        .activation_batch_size(32)
        .request_timeout(Duration::from_millis(50))
        .backoff(Duration::from_millis(10), Duration::from_millis(20));
    let worker = client.create_job_worker(config, move |_job: Job| {
        let go = gate.clone();
        async move {
            go.acquire().await.unwrap().forget();
            Ok(Outcome::complete())
        }
    });
    wait_until("eight jobs run", || worker.stats().in_flight == 8).await;

    // The cluster pushes back on activations: the gate cuts its limit to 1...
    cluster.overloaded.store(true, Ordering::SeqCst);
    wait_until("an activation is rejected", || {
        cluster.rejected.load(Ordering::SeqCst) >= 1
    })
    .await;
    cluster.overloaded.store(false, Ordering::SeqCst);
    // ...another caller fills it, and the worker's next activation waits at the gate.
    let held = {
        cluster.hold_creates.store(true, Ordering::SeqCst);
        create(&client)
    };
    wait_until("the activation waits at the gate", || {
        client.backpressure().waiting == 1
    })
    .await;
    let activations = cluster.count(|p| p == "/v2/jobs/activation");

    // The handlers finish: all eight results flow past the closed gate.
    go.add_permits(8);
    wait_until("eight completions", || cluster.completions() == 8).await;
    assert_eq!(worker.stats().completed, 8);
    assert_eq!(
        client.backpressure().waiting,
        1,
        "the activation still waits"
    );
    assert_eq!(cluster.count(|p| p == "/v2/jobs/activation"), activations);

    // The gate opens a permit; under its limit of 1 the worker asks for one job, not 32.
    cluster.jobs.lock().unwrap().extend(9..=20);
    cluster.released.add_permits(1);
    let _ = held.await.unwrap();
    wait_until("the next activation", || {
        cluster.count(|p| p == "/v2/jobs/activation") > activations
    })
    .await;
    let asked: Vec<u64> = cluster
        .received
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p == "/v2/jobs/activation")
        .map(|(_, b)| {
            serde_json::from_str::<serde_json::Value>(b).unwrap()["maxJobsToActivate"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(asked[0], 32);
    assert_eq!(asked[activations], 1, "{asked:?}");
    wait_until("the wait shows in the worker's stats", || {
        worker.stats().gate_wait > Duration::ZERO
    })
    .await;
    go.add_permits(100);
    let report = worker.shutdown(Duration::from_secs(5)).await;
    assert!(report.unfinished.is_empty());
}

#[test]
fn profiles_and_knobs_come_from_the_environment_and_the_builder_wins() {
    use camunda_sdk::gate::BackpressureProfile;
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    };
    let config = Config::from_env_with(env(&[
        ("CAMUNDA_SDK_BACKPRESSURE_PROFILE", "conservative"),
        ("CAMUNDA_SDK_BACKPRESSURE_FLOOR", "2"),
    ]))
    .unwrap();
    let gate = config.backpressure();
    assert_eq!(gate.profile, BackpressureProfile::Conservative);
    assert_eq!((gate.initial_max, gate.floor), (16, 2));
    assert_eq!(
        Config::from_env_with(|_| None).unwrap().backpressure(),
        &BackpressureConfig::profile(BackpressureProfile::Balanced)
    );

    let bad = env(&[("CAMUNDA_SDK_BACKPRESSURE_MAX_WAITERS", "lots")]);
    match Config::from_env_with(bad) {
        Err(Error::Config { variable, message }) => {
            assert_eq!(variable, "CAMUNDA_SDK_BACKPRESSURE_MAX_WAITERS");
            assert!(message.contains("`lots`"), "{message}");
        }
        other => panic!("expected a config error, got {other:?}"),
    }
    // A setter after the environment replaces it, bad values included.
    let config = Config::builder()
        .from_env_with(bad)
        .backpressure_profile(BackpressureProfile::Legacy)
        .build()
        .unwrap();
    assert!(!config.backpressure().enabled());
    // Values set in code are checked too, naming the field.
    let err = Config::builder()
        .backpressure(BackpressureConfig::default().soft_factor(120))
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config { variable, .. } if variable == "backpressure.soft_factor"),
        "{err:?}"
    );
}
