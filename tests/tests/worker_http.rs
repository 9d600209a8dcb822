//! Workers through the real client and HTTP pipeline, against an in-process job server that
//! counts: every job completed exactly once, never more in flight than the limit, slots refilled
//! as they free up, and recovery from an outage of 503s and dropped connections.

mod support;

use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
use camunda_sdk::{CamundaClient, Config, RetryPolicy};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What the job server has seen.
#[derive(Default)]
struct Ledger {
    available: VecDeque<u64>,
    /// Jobs locked now (activated, not completed, lock not run out).
    in_flight: usize,
    completions: HashMap<u64, u32>,
    activations: u32,
    /// Per activation: jobs asked for (`maxJobsToActivate`) and jobs handed out.
    asked: Vec<(usize, usize)>,
    /// Requests still to be failed, in order: `Some(503)` answers 503, `None` drops the
    /// connection without an answer.
    faults: VecDeque<Option<u16>>,
    /// Faults that begin once this many jobs were completed, in the same step as that
    /// completion: they always begin mid-run, however late the test itself gets to look.
    outage_after: Option<(usize, Vec<Option<u16>>)>,
    /// Activated jobs not completed yet, and when their lock (the activation's `timeout`)
    /// runs out. Like the real server, a job whose lock ran out is offered again: whatever
    /// answer gets lost on the way, a job is never lost for longer than its lock.
    locked: HashMap<u64, Instant>,
    /// Jobs offered again after their lock ran out.
    reoffered: u32,
    /// Per lease token (one per job and activation): when the job was handed out and when the
    /// worker first sent a command for it, as steps of [`Self::step`]. The worker holds a
    /// slot for a job over at least that span; a job whose answer was lost on the way shows
    /// no command and holds no slot (the server cannot tell, so `in_flight` counts it).
    held: HashMap<String, (u64, Option<u64>)>,
    step: u64,
}

impl Ledger {
    /// Puts the jobs whose lock ran out back in front of the pool.
    fn expire_locks(&mut self) {
        let now = Instant::now();
        let expired: Vec<u64> = (self.locked.iter())
            .filter(|(_, until)| **until <= now)
            .map(|(key, _)| *key)
            .collect();
        for key in expired {
            self.locked.remove(&key);
            self.in_flight -= 1;
            self.available.push_front(key);
            self.reoffered += 1;
        }
    }

    /// Hands out up to `n` jobs, locked for `lock`.
    fn activate(&mut self, n: usize, lock: Duration) -> Vec<String> {
        self.expire_locks();
        self.activations += 1;
        let take = n.min(self.available.len());
        let keys: Vec<u64> = self.available.drain(..take).collect();
        self.asked.push((n, take));
        self.in_flight += keys.len();
        let until = Instant::now() + lock;
        self.locked.extend(keys.iter().map(|key| (*key, until)));
        let deadline = (SystemTime::now() + lock)
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis();
        let activation = self.activations;
        self.step += 1;
        let step = self.step;
        keys.iter()
            .map(|key| {
                let lease = format!("{key}/{activation}");
                self.held.insert(lease.clone(), (step, None));
                let mut job = support::job_json(*key, deadline);
                job.pop();
                format!(r#"{job},"jobLeaseToken":"{lease}"}}"#)
            })
            .collect()
    }

    /// The most jobs the worker held at once (see [`Self::held`]).
    fn max_held(&self) -> usize {
        let mut changes: Vec<(u64, i64)> = (self.held.values())
            .filter_map(|(from, to)| to.map(|to| [(*from, 1), (to, -1)]))
            .flatten()
            .collect();
        changes.sort_unstable();
        let mut held = 0;
        let mut max = 0;
        for (_, change) in changes {
            held += change;
            max = max.max(held);
        }
        usize::try_from(max).unwrap()
    }

    /// The first completion of a job is accepted (also after its lock ran out, as the server
    /// does until the job is completed), a repeat is not found: `false`.
    fn complete(&mut self, key: u64, lease: Option<&str>) -> bool {
        self.step += 1;
        if let Some((_, to @ None)) = lease.and_then(|l| self.held.get_mut(l)) {
            *to = Some(self.step);
        }
        let seen = self.completions.entry(key).or_insert(0);
        *seen += 1;
        if *seen > 1 {
            return false;
        }
        if self.locked.remove(&key).is_some() {
            self.in_flight -= 1;
        } else {
            self.available.retain(|k| *k != key);
        }
        if (self.outage_after.as_ref()).is_some_and(|(n, _)| self.completions.len() >= *n)
            && let Some((_, faults)) = self.outage_after.take()
        {
            self.faults.extend(faults);
        }
        true
    }
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
            let asked: serde_json::Value = serde_json::from_str(&req.body).unwrap();
            let n = asked["maxJobsToActivate"].as_u64().unwrap() as usize;
            let lock = Duration::from_millis(asked["timeout"].as_u64().unwrap());
            let jobs = l.activate(n, lock);
            (200, format!(r#"{{"jobs":[{}]}}"#, jobs.join(",")))
        } else if let Some(key) = req
            .path
            .strip_prefix("/v2/jobs/")
            .and_then(|p| p.strip_suffix("/completion"))
        {
            let body: serde_json::Value = serde_json::from_str(&req.body).unwrap();
            if l.complete(key.parse().unwrap(), body["jobLeaseToken"].as_str()) {
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
            Ok(Outcome::complete())
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
    assert!(l.max_held() <= 32, "in flight peaked at {}", l.max_held());
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
    // The outage, after 50 completions: a run of 503s and dropped connections, hitting
    // activations and completions alike, long enough for several backoff cycles.
    let outage: Vec<Option<u16>> = (0..40)
        .map(|i| if i % 3 == 0 { None } else { Some(503) })
        .collect();
    let drops = outage.iter().filter(|f| f.is_none()).count();
    ledger.lock().unwrap().outage_after = Some((50, outage));
    let url = job_server(ledger.clone()).await;
    let client = client(&url);
    // A result budget longer than the outage: when only one job is in flight, it meets most
    // of the faults (the default budget of 10 sends would give up and leave it to time out).
    // The lock is far longer than the run (well under a second), and bounds each result's
    // retry budget too: a job comes back only if an answer was lost on the way, and then well
    // within the wait below.
    let worker = client.create_job_worker(
        config(16)
            .max_result_attempts(64)
            .timeout(Duration::from_secs(30)),
        |_job: Job| async move { Ok(Outcome::complete()) },
    );
    // Bounded, and not a verdict: on a loaded machine the run may take long, and a job whose
    // activation answer got lost is back only after its lock.
    let started = Instant::now();
    while ledger.lock().unwrap().completions.len() < 300 {
        if started.elapsed() > Duration::from_secs(120) {
            let l = ledger.lock().unwrap();
            panic!(
                "{} of 300 jobs completed in 120 s; {} in the pool, locked: {:?}, {} offered again, {} faults left; {:?}",
                l.completions.len(),
                l.available.len(),
                l.locked.keys().collect::<Vec<_>>(),
                l.reoffered,
                l.faults.len(),
                worker.stats()
            );
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());

    let l = ledger.lock().unwrap();
    assert!(l.outage_after.is_none(), "the outage began");
    assert!(l.faults.is_empty(), "the outage ended");
    assert_eq!(l.completions.len(), 300, "every job completed");
    // A completion is sent again only after a dropped connection (the server answers the
    // repeat 404 and the worker takes it as done), so repeats are bounded by the drops.
    let repeated = l.completions.values().filter(|&&n| n > 1).count();
    assert!(
        repeated <= drops,
        "{repeated} jobs completed more than once ({} offered again)",
        l.reoffered
    );
    assert!(l.max_held() <= 16, "in flight peaked at {}", l.max_held());
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
            Ok(Outcome::complete())
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
    assert!(l.max_held() <= 8, "in flight peaked at {}", l.max_held());
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
