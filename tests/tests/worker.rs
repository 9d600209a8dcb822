//! The job worker engine against an in-memory fake of the job API that counts everything.

use camunda_sdk::worker::{
    ActivatedJob, HandlerError, Job, JobApi, JobWorkerConfig, JobWorkers, Outcome, WorkerHandle,
    WorkerState, typed,
};
use camunda_sdk::{Error, keys, types};
use futures::future::{BoxFuture, FutureExt};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn http(status: u16) -> Error {
    Error::Http {
        operation: "fake",
        status,
        problem: None,
        body: None,
        retry_after: None,
    }
}

fn job(
    key: u64,
    retries: i32,
    variables: serde_json::Value,
    lease: bool,
) -> types::ActivatedJobResult {
    let mut v = serde_json::json!({
        "customHeaders": {"region": "eu"},
        "deadline": 4_102_444_800_000_i64,
        "elementId": "task",
        "elementInstanceKey": "11",
        "jobKey": key.to_string(),
        "kind": "BPMN_ELEMENT",
        "listenerEventType": "UNSPECIFIED",
        "physicalTenantId": "default",
        "priority": 0,
        "processDefinitionId": "proc",
        "processDefinitionKey": "22",
        "processDefinitionVersion": 1,
        "processInstanceKey": "33",
        "retries": retries,
        "tags": [],
        "tenantId": "<default>",
        "type": "test",
        "variables": variables,
        "worker": "w",
    });
    if lease {
        v["jobLeaseToken"] = format!("lease-{key}").into();
    }
    serde_json::from_value(v).expect("a valid ActivatedJobResult")
}

/// Scripted behaviour of the fake.
#[derive(Default)]
struct Script {
    /// Errors returned by the next activation calls, in order.
    activation_errors: VecDeque<Error>,
    /// Fail every n-th completion call with a 503 before acting.
    complete_503_every: Option<usize>,
    /// Apply the completion of these keys but answer with a timeout (ambiguous failure).
    complete_ambiguous: Vec<String>,
    /// Non-retryable activation error until this is cleared.
    activation_always: Option<fn() -> Error>,
    /// An outage that begins when this many completions have been recorded: its errors go
    /// to [`Self::activation_errors`] in the same step, so it always begins mid-run, however
    /// slowly the test itself gets to run.
    outage_after: Option<(usize, Vec<Error>)>,
}

#[derive(Default)]
struct FakeState {
    available: VecDeque<types::ActivatedJobResult>,
    active: HashMap<String, usize>,
    max_active: usize,
    completions: HashMap<String, usize>,
    completion_requests: Vec<(String, types::JobCompletionRequest)>,
    fails: Vec<(String, types::JobFailRequest)>,
    errors: Vec<(String, types::JobErrorRequest)>,
    updates: Vec<(String, types::JobUpdateRequest)>,
    activations: Vec<types::JobActivationRequest>,
    complete_calls: usize,
    /// Broken rules, checked by the tests (a panic in the fake would be caught by the worker).
    violations: Vec<String>,
    script: Script,
}

struct Fake {
    limit: usize,
    state: Mutex<FakeState>,
}

impl Fake {
    fn new(limit: usize, jobs: impl IntoIterator<Item = types::ActivatedJobResult>) -> Arc<Self> {
        Arc::new(Self {
            limit,
            state: Mutex::new(FakeState {
                available: jobs.into_iter().collect(),
                ..Default::default()
            }),
        })
    }

    fn st(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap()
    }

    fn finish(&self, st: &mut FakeState, key: &str) -> Result<(), Error> {
        match st.active.get_mut(key) {
            Some(n) => {
                *n -= 1;
                if *n == 0 {
                    st.active.remove(key);
                }
                Ok(())
            }
            // Like the server: a job that is not activated is not found.
            None => Err(http(404)),
        }
    }

    fn total_completions(&self) -> usize {
        self.st().completions.values().sum()
    }
}

impl JobApi for Fake {
    fn activate_jobs(
        &self,
        req: types::JobActivationRequest,
    ) -> BoxFuture<'_, Result<Vec<ActivatedJob>, Error>> {
        async move {
            let jobs = {
                let mut st = self.st();
                st.activations.push(req.clone());
                if let Some(e) = st.script.activation_always {
                    return Err(e());
                }
                if let Some(e) = st.script.activation_errors.pop_front() {
                    return Err(e);
                }
                let want = usize::try_from(req.max_jobs_to_activate).unwrap();
                let active: usize = st.active.values().sum();
                if want < 1 || active + want > self.limit {
                    let limit = self.limit;
                    st.violations.push(format!(
                        "asked for {want} jobs with {active} in flight (limit {limit})"
                    ));
                }
                let n = want.min(st.available.len());
                let jobs: Vec<_> = st.available.drain(..n).collect();
                for j in &jobs {
                    *st.active.entry(j.job_key.to_string()).or_default() += 1;
                }
                let active: usize = st.active.values().sum();
                st.max_active = st.max_active.max(active);
                jobs
            };
            if jobs.is_empty() {
                // A (short) long poll.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            Ok(jobs.into_iter().map(Ok).collect())
        }
        .boxed()
    }

    fn complete_job(
        &self,
        key: &keys::JobKey,
        req: types::JobCompletionRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        let key = key.to_string();
        async move {
            let mut st = self.st();
            st.complete_calls += 1;
            if let Some(n) = st.script.complete_503_every
                && st.complete_calls.is_multiple_of(n)
            {
                return Err(http(503));
            }
            self.finish(&mut st, &key)?;
            *st.completions.entry(key.clone()).or_default() += 1;
            st.completion_requests.push((key.clone(), req));
            let done: usize = st.completions.values().sum();
            if st
                .script
                .outage_after
                .as_ref()
                .is_some_and(|(n, _)| done >= *n)
                && let Some((_, errors)) = st.script.outage_after.take()
            {
                st.script.activation_errors.extend(errors);
            }
            if let Some(i) = st.script.complete_ambiguous.iter().position(|k| *k == key) {
                st.script.complete_ambiguous.remove(i);
                return Err(Error::Timeout {
                    operation: "completeJob",
                    after: Duration::from_millis(1),
                });
            }
            Ok(())
        }
        .boxed()
    }

    fn fail_job(
        &self,
        key: &keys::JobKey,
        req: types::JobFailRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        let key = key.to_string();
        async move {
            let mut st = self.st();
            self.finish(&mut st, &key)?;
            st.fails.push((key, req));
            Ok(())
        }
        .boxed()
    }

    fn throw_job_error(
        &self,
        key: &keys::JobKey,
        req: types::JobErrorRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        let key = key.to_string();
        async move {
            let mut st = self.st();
            self.finish(&mut st, &key)?;
            st.errors.push((key, req));
            Ok(())
        }
        .boxed()
    }

    fn update_job(
        &self,
        key: &keys::JobKey,
        req: types::JobUpdateRequest,
    ) -> BoxFuture<'_, Result<(), Error>> {
        let key = key.to_string();
        async move {
            self.st().updates.push((key, req));
            Ok(())
        }
        .boxed()
    }
}

fn config(limit: usize) -> JobWorkerConfig {
    JobWorkerConfig::new("test")
        .max_jobs_active(limit)
        .activation_batch_size(limit)
        .backoff(Duration::from_millis(1), Duration::from_millis(8))
        .timeout(Duration::from_secs(60))
        .request_timeout(Duration::from_millis(5))
}

async fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn assert_each_once(fake: &Fake, n: u64) {
    let st = fake.st();
    assert_eq!(st.completions.len() as u64, n, "distinct keys completed");
    for k in 1..=n {
        assert_eq!(st.completions.get(&k.to_string()), Some(&1), "key {k}");
    }
    assert!(st.fails.is_empty(), "no fails: {:?}", st.fails.first());
    assert!(st.active.is_empty(), "nothing left in flight");
    assert!(st.violations.is_empty(), "{:?}", st.violations);
}

async fn complete(_job: Job) -> Outcome {
    Outcome::complete()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_jobs_complete_exactly_once_within_the_limit() {
    let fake = Fake::new(
        32,
        (1..=1000).map(|k| job(k, 3, serde_json::json!({}), false)),
    );
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(config(32), complete);
    wait_until("1000 completions", || fake.total_completions() == 1000).await;
    let report = workers.shutdown(Duration::from_secs(2)).await;
    assert!(report.unfinished.is_empty());
    assert_each_once(&fake, 1000);
    let st = fake.st();
    assert!(st.max_active <= 32, "max in flight {}", st.max_active);
    let with_jobs = st.activations.len();
    assert!(with_jobs <= 1000 / 8, "{with_jobs} activation requests");
    let stats = w.stats();
    assert_eq!(stats.activated, 1000);
    assert_eq!(stats.completed, 1000);
    assert_eq!(w.state(), WorkerState::Stopped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovers_from_an_outage_and_completes_every_job_once() {
    let fake = Fake::new(
        16,
        (1..=300).map(|k| job(k, 3, serde_json::json!({}), false)),
    );
    {
        let mut st = fake.st();
        st.script.complete_503_every = Some(7);
        st.script.complete_ambiguous = vec!["5".into(), "150".into()];
    }
    // The outage, after 50 completions: 503s, timeouts (dropped connections) and a token
    // endpoint that is down. It starts inside the fake: a test that polled for the 50th
    // completion could, on a loaded machine, wake up after all 300, and see no outage.
    let outage = (0..12)
        .map(|i| match i % 3 {
            0 => http(503),
            1 => Error::Timeout {
                operation: "activateJobs",
                after: Duration::from_millis(5),
            },
            _ => Error::Auth {
                message: "token endpoint down".into(),
                status: Some(503),
                retryable: true,
                source: None,
            },
        })
        .collect();
    fake.st().script.outage_after = Some((50, outage));
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(config(16), complete);
    wait_until("300 completions", || fake.total_completions() == 300).await;
    let report = workers.shutdown(Duration::from_secs(2)).await;
    assert!(report.unfinished.is_empty());
    assert_each_once(&fake, 300);
    {
        let st = fake.st();
        assert!(st.script.outage_after.is_none(), "the outage began");
        assert!(st.script.activation_errors.is_empty(), "the outage ended");
    }
    let stats = w.stats();
    assert_eq!(stats.activation_errors, 12);
    assert_eq!(stats.completed, 300);
    assert_eq!(stats.result_failures, 0);
    assert!(fake.st().max_active <= 16);
}

#[tokio::test(start_paused = true)]
async fn a_non_retryable_activation_error_is_reported_and_backed_off() {
    let fake = Fake::new(8, (1..=5).map(|k| job(k, 3, serde_json::json!({}), false)));
    fake.st().script.activation_always = Some(|| Error::Auth {
        message: "bad secret".into(),
        status: Some(401),
        retryable: false,
        source: None,
    });
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(
        config(8).backoff(Duration::from_millis(1), Duration::from_millis(30)),
        complete,
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
    match w.state() {
        WorkerState::BackingOff { error, .. } => assert!(error.contains("bad secret"), "{error}"),
        other => panic!("expected BackingOff, got {other:?}"),
    }
    // Not retryable: every wait is the maximum (30 ms), so requests at 0, 30, …, 150 ms.
    let requests = fake.st().activations.len();
    assert!((5..=6).contains(&requests), "{requests} requests in 150 ms");
    // Fixed (say, the secret was rotated): the worker carries on by itself.
    fake.st().script.activation_always = None;
    wait_until("5 completions", || fake.total_completions() == 5).await;
    assert_eq!(w.state(), WorkerState::Polling);
    workers.shutdown(Duration::from_secs(1)).await;
    assert_each_once(&fake, 5);
}

#[tokio::test(start_paused = true)]
async fn shutdown_drains_in_flight_jobs_and_reports_the_rest() {
    let fake = Fake::new(
        16,
        (1..=10).map(|k| job(k, 3, serde_json::json!({}), false)),
    );
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(config(16), |job: Job| async move {
        let key: u64 = job.key().as_str().parse().unwrap();
        let pause = if key.is_multiple_of(2) { 30 } else { 10_000 };
        tokio::time::sleep(Duration::from_millis(pause)).await;
        Ok(Outcome::complete())
    });
    wait_until("10 jobs in flight", || w.stats().in_flight == 10).await;
    let requests_before = fake.st().activations.len();
    let started = tokio::time::Instant::now();
    let report = workers.shutdown(Duration::from_millis(300)).await;
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(300),
        "up to the deadline"
    );
    assert_eq!(report.drained, 5);
    let mut unfinished: Vec<u64> = report
        .unfinished
        .iter()
        .map(|k| k.as_str().parse().unwrap())
        .collect();
    unfinished.sort_unstable();
    assert_eq!(unfinished, vec![1, 3, 5, 7, 9]);
    assert_eq!(fake.total_completions(), 5);
    // Handed back with their retries unchanged, at once.
    let mut fails: Vec<(String, Option<i32>, Option<i64>)> = fake
        .st()
        .fails
        .iter()
        .map(|(k, r)| (k.clone(), r.retries, r.retry_back_off))
        .collect();
    fails.sort();
    let expected: Vec<_> = ["1", "3", "5", "7", "9"]
        .iter()
        .map(|k| (k.to_string(), Some(3), Some(0)))
        .collect();
    assert_eq!(fails, expected);
    assert_eq!(w.state(), WorkerState::Stopped);
    tokio::time::sleep(Duration::from_millis(30)).await;
    assert!(
        fake.st().activations.len() <= requests_before + 1,
        "no activation after stop"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_and_an_error_each_fail_their_job_once() {
    let fake = Fake::new(
        8,
        [1, 2, 3].map(|k| job(k, 3, serde_json::json!({}), false)),
    );
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(config(8), |job: Job| async move {
        match job.key().as_str() {
            "1" => panic!("handler exploded"),
            "2" => Err(Error::InvalidArgument {
                name: "amount",
                message: "boom".into(),
            }
            .into()),
            _ => Ok(Outcome::complete()),
        }
    });
    wait_until("2 fails and 1 completion", || {
        let st = fake.st();
        st.fails.len() == 2 && st.completions.len() == 1
    })
    .await;
    workers.shutdown(Duration::from_secs(1)).await;
    let st = fake.st();
    let mut fails = st.fails.clone();
    fails.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(fails.len(), 2);
    assert_eq!(fails[0].0, "1");
    let msg = fails[0].1.error_message.as_deref().unwrap();
    assert!(msg.contains("handler exploded"), "{msg}");
    assert_eq!(fails[0].1.retries, Some(2));
    assert_eq!(fails[1].0, "2");
    let msg = fails[1].1.error_message.as_deref().unwrap();
    assert!(msg.contains("boom"), "{msg}");
    assert_eq!(fails[1].1.retries, Some(2));
    let stats = w.stats();
    assert_eq!(
        (stats.panicked, stats.handler_errors, stats.failed),
        (1, 1, 2)
    );
    assert_eq!(stats.completed, 1);
}

#[tokio::test(start_paused = true)]
async fn outcomes_fail_bpmn_error_and_ignore() {
    // The ignored job stays activated on the server but leaves the worker's in-flight count,
    // so the fake allows one more.
    let fake = Fake::new(
        9,
        [1, 2, 3, 4].map(|k| job(k, 1, serde_json::json!({}), false)),
    );
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(config(8), |job: Job| async move {
        Ok(match job.key().as_str() {
            "1" => Outcome::Fail {
                message: "no stock".into(),
                retries: Some(5),
                retry_backoff: Some(Duration::from_secs(2)),
            },
            "2" => Outcome::BpmnError {
                code: "OUT_OF_STOCK".into(),
                message: Some("none left".into()),
                variables: Some(serde_json::json!({"item": "x"})),
            },
            "3" => Outcome::Ignore,
            // Checked by the test through what reaches the server (an assertion here would
            // only fail the job).
            _ => Outcome::complete_with(
                &serde_json::json!({"done": true, "region": job.custom_header("region")}),
            )?,
        })
    });
    wait_until("4 outcomes", || {
        w.stats().ignored == 1 && fake.st().completions.len() == 1
    })
    .await;
    wait_until("fail and error", || {
        let st = fake.st();
        st.fails.len() == 1 && st.errors.len() == 1
    })
    .await;
    // Let the worker poll again with the ignored job out of its count.
    tokio::time::sleep(Duration::from_millis(30)).await;
    workers.shutdown(Duration::from_secs(1)).await;
    let st = fake.st();
    assert_eq!(st.fails[0].1.retries, Some(5));
    assert_eq!(st.fails[0].1.retry_back_off, Some(2000));
    assert_eq!(st.errors[0].1.error_code, "OUT_OF_STOCK");
    assert_eq!(st.errors[0].1.variables.as_ref().unwrap()["item"], "x");
    let vars = st.completion_requests[0].1.variables.as_ref().unwrap();
    assert_eq!(vars["done"], true);
    assert_eq!(vars["region"], "eu", "the job's custom header");
    // The ignored job is still activated on the server, left to time out.
    assert!(st.active.contains_key("3"));
    assert!(
        Outcome::complete_with(&3).is_err(),
        "variables must be an object"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_worker_completes_every_job_once() {
    let fake = Fake::new(
        8,
        (1..=200).map(|k| job(k, 3, serde_json::json!({}), false)),
    );
    let workers = JobWorkers::new(fake.clone());
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (r, p) = (running.clone(), peak.clone());
    let w = workers.create_blocking_job_worker(config(8), move |job| {
        let now = r.fetch_add(1, Ordering::SeqCst) + 1;
        p.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(1));
        r.fetch_sub(1, Ordering::SeqCst);
        if job.key().as_str() == "0" {
            return Err(HandlerError::new("never"));
        }
        Ok(Outcome::complete())
    });
    wait_until("200 completions", || fake.total_completions() == 200).await;
    workers.shutdown(Duration::from_secs(2)).await;
    assert_each_once(&fake, 200);
    assert!(peak.load(Ordering::SeqCst) <= 8);
    assert!(fake.st().max_active <= 8);
    assert_eq!(w.stats().completed, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_worker_panics_fail_the_job() {
    let fake = Fake::new(8, [job(1, 1, serde_json::json!({}), false)]);
    let workers = JobWorkers::new(fake.clone());
    workers.create_blocking_job_worker(config(8), |_job| -> Outcome { panic!("blocking boom") });
    wait_until("a fail", || fake.st().fails.len() == 1).await;
    workers.shutdown(Duration::from_secs(1)).await;
    let st = fake.st();
    assert!(
        st.fails[0]
            .1
            .error_message
            .as_deref()
            .unwrap()
            .contains("blocking boom"),
        "{:?}",
        st.fails[0]
    );
    assert_eq!(st.fails[0].1.retries, Some(0), "floored at 0");
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Payment {
    amount: u32,
    #[serde(rename = "customerId")]
    customer_id: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_handler_fetches_its_fields_and_fails_on_bad_variables() {
    let fake = Fake::new(
        8,
        [
            job(
                1,
                3,
                serde_json::json!({"amount": 12, "customerId": "c1"}),
                false,
            ),
            job(
                2,
                3,
                serde_json::json!({"amount": "lots", "customerId": "c2"}),
                false,
            ),
        ],
    );
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let workers = JobWorkers::new(fake.clone());
    workers.create_job_worker(
        config(8),
        typed(move |vars: Payment, _job: Job| {
            c.fetch_add(1, Ordering::SeqCst);
            async move {
                Outcome::complete_with(
                    &serde_json::json!({"charged": vars.amount, "by": vars.customer_id}),
                )
            }
        }),
    );
    wait_until("1 completion and 1 fail", || {
        let st = fake.st();
        st.completions.len() == 1 && st.fails.len() == 1
    })
    .await;
    workers.shutdown(Duration::from_secs(1)).await;
    let st = fake.st();
    let mut fetched = st.activations[0].fetch_variable.clone();
    fetched.sort();
    assert_eq!(fetched, ["amount", "customerId"]);
    assert_eq!(st.completion_requests[0].0, "1");
    let vars = st.completion_requests[0].1.variables.as_ref().unwrap();
    assert_eq!(vars["charged"], 12);
    assert_eq!(st.fails[0].0, "2");
    let msg = st.fails[0].1.error_message.as_deref().unwrap();
    assert!(msg.contains("`amount`"), "{msg}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "never called with a default"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explicit_fetch_variables_take_precedence() {
    let fake = Fake::new(8, []);
    let workers = JobWorkers::new(fake.clone());
    workers.create_job_worker(
        config(8).fetch_variables(["a"]),
        typed(|_vars: Payment, _job: Job| async { Ok(Outcome::complete()) }),
    );
    wait_until("an activation", || !fake.st().activations.is_empty()).await;
    workers.shutdown(Duration::from_secs(1)).await;
    assert_eq!(fake.st().activations[0].fetch_variable, ["a"]);
}

async fn run_lease(tokens: bool) -> (Arc<Fake>, WorkerHandle) {
    let fake = Fake::new(8, (1..=5).map(|k| job(k, 3, serde_json::json!({}), tokens)));
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(config(8).with_lease(true), |job: Job| async move {
        job.extend_timeout(Duration::from_secs(5)).await?;
        Ok(Outcome::complete())
    });
    wait_until("5 completions", || fake.total_completions() == 5).await;
    workers.shutdown(Duration::from_secs(1)).await;
    (fake, w)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lease_tokens_are_passed_back() {
    let (fake, w) = run_lease(true).await;
    let st = fake.st();
    assert_eq!(st.activations[0].with_lease, Some(true));
    for (key, req) in &st.completion_requests {
        let token = req.job_lease_token.as_ref().expect("a lease token");
        assert_eq!(token.as_str(), format!("lease-{key}"));
    }
    assert_eq!(st.updates.len(), 5);
    for (key, req) in &st.updates {
        assert_eq!(req.changeset.timeout, Some(5000));
        assert_eq!(
            req.job_lease_token.as_ref().unwrap().as_str(),
            format!("lease-{key}")
        );
    }
    assert!(!w.lease_not_honoured());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_ignores_leases_is_reported() {
    let (fake, w) = run_lease(false).await;
    assert!(w.lease_not_honoured());
    assert_eq!(w.stats().jobs_without_lease, 5);
    assert_eq!(fake.st().completions.len(), 5);
}

#[tokio::test(start_paused = true)]
async fn auto_heartbeat_extends_long_jobs() {
    let fake = Fake::new(8, [job(1, 3, serde_json::json!({}), false)]);
    let workers = JobWorkers::new(fake.clone());
    let w = workers.create_job_worker(
        config(8)
            .timeout(Duration::from_millis(30))
            .auto_heartbeat(true),
        |_job: Job| async {
            tokio::time::sleep(Duration::from_millis(120)).await;
            Ok(Outcome::complete())
        },
    );
    wait_until("1 completion", || fake.total_completions() == 1).await;
    // Every 20 ms (two thirds of the 30 ms lock) during a 120 ms handler.
    let after = fake.st().updates.len();
    assert!((5..=6).contains(&after), "{after} heartbeats");
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(
        fake.st().updates.len(),
        after,
        "no heartbeat after the handler finished"
    );
    assert_eq!(fake.st().updates[0].1.changeset.timeout, Some(30));
    assert_eq!(w.stats().heartbeats, after as u64);
    workers.shutdown(Duration::from_secs(1)).await;
}

#[test]
fn config_from_environment() {
    let env: HashMap<&str, &str> = [
        ("CAMUNDA_WORKER_NAME", "w-1"),
        ("CAMUNDA_WORKER_MAX_JOBS_ACTIVE", "8"),
        ("CAMUNDA_WORKER_TIMEOUT", "60000"),
        ("CAMUNDA_WORKER_REQUEST_TIMEOUT", "10000"),
        ("CAMUNDA_WORKER_TENANT_IDS", "a, b"),
    ]
    .into();
    let c = JobWorkerConfig::from_lookup("pay", |k| env.get(k).map(|v| v.to_string())).unwrap();
    assert_eq!(c.worker_name, "w-1");
    assert_eq!(c.max_jobs_active, 8);
    assert!(c.activation_batch_size <= 8);
    assert_eq!(c.timeout, Duration::from_secs(60));
    assert_eq!(c.request_timeout, Duration::from_secs(10));
    let tenants: Vec<&str> = c.tenant_ids.iter().map(|t| t.as_str()).collect();
    assert_eq!(tenants, ["a", "b"]);

    for (var, value) in [
        ("CAMUNDA_WORKER_MAX_JOBS_ACTIVE", "lots"),
        ("CAMUNDA_WORKER_TIMEOUT", "-1"),
        ("CAMUNDA_WORKER_TENANT_IDS", "a b c"),
    ] {
        let err = JobWorkerConfig::from_lookup("pay", |k| (k == var).then(|| value.to_owned()))
            .unwrap_err();
        match err {
            Error::Config { variable, .. } => assert_eq!(variable, var),
            other => panic!("expected a config error, got {other}"),
        }
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
#[allow(dead_code)]
struct Order {
    item: Item,
}

#[derive(serde::Deserialize, schemars::JsonSchema)]
#[allow(dead_code)]
struct Item {
    qty: u32,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_errors_name_nested_and_missing_variables() {
    let fake = Fake::new(
        8,
        [
            job(1, 3, serde_json::json!({"item": {"qty": "x"}}), false),
            job(2, 3, serde_json::json!({"other": 1}), false),
            job(3, 3, serde_json::json!({"item": {}}), false),
        ],
    );
    let workers = JobWorkers::new(fake.clone());
    workers.create_job_worker(
        config(8),
        typed(|_order: Order, _job: Job| async { Ok(Outcome::complete()) }),
    );
    wait_until("3 fails", || fake.st().fails.len() == 3).await;
    workers.shutdown(Duration::from_secs(1)).await;
    let st = fake.st();
    let msg = |key: &str| {
        st.fails
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, r)| r.error_message.clone())
            .unwrap()
    };
    assert!(msg("1").contains("`item.qty`"), "{}", msg("1"));
    assert!(msg("2").contains("missing field `item`"), "{}", msg("2"));
    assert!(
        msg("3").contains("`item`") && msg("3").contains("`qty`"),
        "{}",
        msg("3")
    );
    assert_eq!(st.activations[0].fetch_variable, ["item"]);
}
