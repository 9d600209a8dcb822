//! A scripted job source: a loopback HTTP server that hands a real worker the jobs it was fed
//! and records what the worker sent back for each.

use super::{CamundaMock, TestJob};
use crate::{CamundaClient, Error, keys, types};
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What the worker sent for one job.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// `POST /v2/jobs/{key}/completion`.
    Completed {
        /// The variables sent, if any.
        variables: Option<Value>,
    },
    /// `POST /v2/jobs/{key}/failure`.
    Failed {
        /// The error message sent.
        message: Option<String>,
        /// The retries the job is left with.
        retries: Option<i32>,
    },
    /// `POST /v2/jobs/{key}/error`: a BPMN error.
    Errored {
        /// The BPMN error code.
        code: String,
        /// The message sent, if any.
        message: Option<String>,
        /// The variables sent, if any.
        variables: Option<Value>,
    },
}

/// One job's result as the server received it.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivered {
    /// The job.
    pub key: keys::JobKey,
    /// What the worker sent for it.
    pub decision: Decision,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Value>,
    delivered: Vec<Delivered>,
    activations: usize,
    bad_requests: Vec<String>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    notify: tokio::sync::Notify,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A job source for a real worker: feed it jobs ([`Self::push`]), point a client at it
/// ([`Self::client`]), run the worker until [`Self::wait_for`] has seen every result, then
/// assert on [`Self::delivered`].
///
/// Jobs are handed out at most `maxJobsToActivate` at a time, each once; with none left, an
/// activation is answered with no jobs after a short delay (like a long poll that times out).
pub struct ScriptedJobs {
    mock: CamundaMock,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for ScriptedJobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptedJobs")
            .field("url", &self.mock.url())
            .finish_non_exhaustive()
    }
}

/// How long an activation with no jobs left waits before it answers.
const EMPTY_POLL: Duration = Duration::from_millis(20);

impl ScriptedJobs {
    /// Starts the server (from async code).
    pub async fn start() -> Self {
        Self::install(CamundaMock::start().await).await
    }

    /// Starts the server (from a plain `#[test]` or a blocking worker's test).
    pub fn start_blocking() -> Self {
        super::block_on(Self::start())
    }

    async fn install(mock: CamundaMock) -> Self {
        let shared = Arc::new(Shared::default());
        let (s, s2) = (Arc::clone(&shared), Arc::clone(&shared));
        mock.activate_jobs(move |when, then| {
            when.raw().is_true(move |_| !s2.lock().queue.is_empty());
            then.raw().respond_with(move |req| activate(&s, req));
        })
        .await;
        mock.activate_jobs(|_, then| {
            then.ok(&types::JobActivationResult { jobs: Vec::new() })
                .delay(EMPTY_POLL);
        })
        .await;
        let s = Arc::clone(&shared);
        mock.complete_job(move |_, then| {
            then.raw()
                .respond_with(move |req| record(&s, "completion", req));
        })
        .await;
        let s = Arc::clone(&shared);
        mock.fail_job(move |_, then| {
            then.raw()
                .respond_with(move |req| record(&s, "failure", req));
        })
        .await;
        let s = Arc::clone(&shared);
        mock.throw_job_error(move |_, then| {
            then.raw().respond_with(move |req| record(&s, "error", req));
        })
        .await;
        mock.update_job(|_, then| {
            then.ok();
        })
        .await;
        Self { mock, shared }
    }

    /// Adds a job to hand out; give each job its own key ([`TestJob::key`]).
    pub fn push(&self, job: &TestJob) -> Result<&Self, Error> {
        let raw = job.to_json()?;
        self.shared.lock().queue.push_back(raw);
        Ok(self)
    }

    /// The typed mock underneath, to add expectations for other calls the code under test
    /// makes, and for its address and clients ([`CamundaMock::client`],
    /// [`CamundaMock::blocking_client`], [`CamundaMock::config`]).
    pub fn mock(&self) -> &CamundaMock {
        &self.mock
    }

    /// An async client for this server, without retries.
    pub fn client(&self) -> CamundaClient {
        self.mock.client()
    }

    /// A blocking client for this server, without retries.
    pub fn blocking_client(&self) -> crate::blocking::CamundaClient {
        self.mock.blocking_client()
    }

    /// The results received so far, in the order they arrived.
    pub fn delivered(&self) -> Vec<Delivered> {
        self.shared.lock().delivered.clone()
    }

    /// Jobs not handed out yet.
    pub fn pending(&self) -> usize {
        self.shared.lock().queue.len()
    }

    /// Activation requests that got jobs.
    pub fn activations(&self) -> usize {
        self.shared.lock().activations
    }

    /// Waits until `n` results have arrived or `limit` has passed; returns the results either
    /// way (check the count). `limit` only bounds a test that would otherwise hang.
    pub async fn wait_for(&self, n: usize, limit: Duration) -> Vec<Delivered> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.shared.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.shared.lock().delivered.len() >= n {
                break;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                break;
            }
        }
        self.checked()
    }

    /// [`Self::wait_for`] for blocking code.
    pub fn wait_for_blocking(&self, n: usize, limit: Duration) -> Vec<Delivered> {
        let deadline = Instant::now() + limit;
        let mut state = self.shared.lock();
        while state.delivered.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        drop(state);
        self.checked()
    }

    fn checked(&self) -> Vec<Delivered> {
        let state = self.shared.lock();
        assert!(
            state.bad_requests.is_empty(),
            "the worker sent requests the job source could not read: {:?}",
            state.bad_requests
        );
        state.delivered.clone()
    }
}

fn json_response(status: u16, body: &Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

fn activate(shared: &Shared, req: &HttpMockRequest) -> HttpMockResponse {
    let asked: Value = serde_json::from_slice(req.body_ref()).unwrap_or(Value::Null);
    let n = asked["maxJobsToActivate"].as_u64().unwrap_or(0) as usize;
    let job_type = asked["type"].as_str().unwrap_or_default().to_owned();
    let mut state = shared.lock();
    let mut jobs = Vec::new();
    // Only jobs of the requested type, in the order they were pushed.
    let mut i = 0;
    while jobs.len() < n && i < state.queue.len() {
        if state.queue[i]["type"] == job_type.as_str() {
            jobs.push(state.queue.remove(i).expect("in range"));
        } else {
            i += 1;
        }
    }
    if !jobs.is_empty() {
        state.activations += 1;
    }
    json_response(200, &json!({ "jobs": jobs }))
}

fn record(shared: &Shared, what: &str, req: &HttpMockRequest) -> HttpMockResponse {
    let path = req.uri().path().to_owned();
    let key = path.split('/').nth(3).unwrap_or_default();
    let body: Value = serde_json::from_slice(req.body_ref()).unwrap_or(Value::Null);
    let text = |name: &str| body[name].as_str().map(str::to_owned);
    let vars = |b: &Value| b.get("variables").filter(|v| !v.is_null()).cloned();
    let decision = match what {
        "completion" => Decision::Completed {
            variables: vars(&body),
        },
        "failure" => Decision::Failed {
            message: text("errorMessage"),
            retries: body["retries"].as_i64().and_then(|r| i32::try_from(r).ok()),
        },
        _ => Decision::Errored {
            code: text("errorCode").unwrap_or_default(),
            message: text("errorMessage"),
            variables: vars(&body),
        },
    };
    let mut state = shared.lock();
    match key.parse::<keys::JobKey>() {
        Ok(key) => state.delivered.push(Delivered { key, decision }),
        Err(e) => state.bad_requests.push(format!("{path}: {e}")),
    }
    drop(state);
    shared.changed.notify_all();
    shared.notify.notify_waiters();
    HttpMockResponse::builder().status(204).build()
}
