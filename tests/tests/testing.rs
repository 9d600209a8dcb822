//! `camunda_sdk::testing`: the handler harness, the scripted job source with real workers, and
//! the typed mock server, each used the way a user's test would.

use camunda_sdk::testing::{CamundaMock, Decision, ScriptedJobs, TestJob};
use camunda_sdk::worker::{HandlerError, Job, JobWorkerConfig, Outcome, typed};
use camunda_sdk::{Error, keys, types};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;

/// Only bounds a test that would otherwise hang; never a timing assertion.
const LIMIT: Duration = Duration::from_secs(20);

#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct Order {
    amount: f64,
    express: bool,
}

/// The handler under test (async, for `typed`).
async fn check(order: Order, job: Job) -> Result<Outcome, HandlerError> {
    decide(order, &job)
}

/// Its logic: reads typed variables, a custom header, retries and tenant.
fn decide(order: Order, job: &Job) -> Result<Outcome, HandlerError> {
    if job.tenant_id().as_ref() != "acme" {
        return Ok(Outcome::fail(format!(
            "unexpected tenant {}",
            job.tenant_id()
        )));
    }
    if order.amount > 10_000.0 {
        return Ok(Outcome::bpmn_error("TOO_LARGE", "needs a manual review"));
    }
    let limit: f64 = job
        .custom_header("limit")
        .map_or(Ok(1_000.0), str::parse)
        .map_err(|e| Error::InvalidArgument {
            name: "limit",
            message: format!("{e}"),
        })?;
    Outcome::complete_with(&json!({
        "approved": order.amount <= limit,
        "lastTry": job.retries() == 1,
        "priority": order.express,
    }))
}

fn acme() -> keys::TenantId {
    "acme".parse().unwrap()
}

fn key(n: u64) -> keys::JobKey {
    n.to_string().parse().unwrap()
}

#[tokio::test]
async fn the_harness_returns_the_outcome_the_handler_decides() {
    let handler = typed(check);
    let job = TestJob::new("check-order")
        .tenant(acme())
        .variables(&Order {
            amount: 1_500.0,
            express: true,
        })
        .custom_header("limit", "2000")
        .retries(1)
        .deadline(1_700_000_000_000)
        .build()
        .unwrap();
    assert_eq!(job.deadline(), 1_700_000_000_000);
    assert_eq!(
        TestJob::decide(&handler, job).await,
        Outcome::Complete {
            variables: Some(json!({ "approved": true, "lastTry": true, "priority": true }))
        }
    );

    let big = TestJob::new("check-order")
        .tenant(acme())
        .variable("amount", &20_000.0)
        .variable("express", &false)
        .build()
        .unwrap();
    assert_eq!(
        TestJob::decide(&handler, big).await,
        Outcome::bpmn_error("TOO_LARGE", "needs a manual review")
    );
}

#[tokio::test]
async fn an_err_or_a_panic_becomes_the_failure_the_worker_would_send() {
    let bad_header = TestJob::new("check-order")
        .tenant(acme())
        .variables(&Order {
            amount: 1.0,
            express: false,
        })
        .custom_header("limit", "lots")
        .retries(3)
        .build()
        .unwrap();
    match TestJob::decide(&typed(check), bad_header).await {
        Outcome::Fail {
            message, retries, ..
        } => {
            assert!(message.contains("limit"), "{message}");
            assert_eq!(retries, Some(2));
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    let missing = TestJob::new("check-order").tenant(acme()).build().unwrap();
    assert!(matches!(
        TestJob::decide(&typed(check), missing).await,
        Outcome::Fail { message, .. } if message.contains("amount")
    ));
    let panics = |_job: Job| async move {
        if true {
            panic!("boom");
        }
        Outcome::complete()
    };
    let job = TestJob::new("x").build().unwrap();
    assert_eq!(
        TestJob::decide(&panics, job).await,
        Outcome::Fail {
            message: "job handler panicked: boom".into(),
            retries: Some(2),
            retry_backoff: None
        }
    );
}

#[test]
fn a_blocking_handler_runs_in_a_plain_test_and_its_timeout_extensions_are_recorded() {
    let template = TestJob::new("slow").retries(2);
    let handler = camunda_sdk::worker::blocking(|job| {
        job.context()
            .extend_timeout_blocking(Duration::from_secs(30))?;
        Ok(Outcome::complete())
    });
    let outcome = TestJob::decide_blocking(&handler, template.build().unwrap());
    assert_eq!(outcome, Outcome::complete());
    assert_eq!(template.extended_timeouts(), vec![Duration::from_secs(30)]);
}

#[test]
fn a_job_that_cannot_be_built_says_why() {
    let err = TestJob::new("x").variables(&[1, 2]).build().unwrap_err();
    assert!(err.to_string().contains("JSON object"), "{err}");
}

/// Five jobs: completed, completed (not approved), BPMN error, failure (bad header), failure
/// (wrong tenant).
fn feed(source: &ScriptedJobs) {
    let job = |k: u64, amount: f64| {
        TestJob::new("check-order")
            .key(key(k))
            .tenant(acme())
            .variables(&Order {
                amount,
                express: false,
            })
    };
    source.push(&job(1, 10.0)).unwrap();
    source.push(&job(2, 5_000.0)).unwrap();
    source.push(&job(3, 50_000.0)).unwrap();
    source
        .push(&job(4, 10.0).custom_header("limit", "x").retries(5))
        .unwrap();
    source
        .push(&job(5, 10.0).tenant("other".parse().unwrap()))
        .unwrap();
}

fn assert_decisions(mut delivered: Vec<camunda_sdk::testing::Delivered>) {
    assert_eq!(delivered.len(), 5, "{delivered:#?}");
    delivered.sort_by_key(|d| d.key.to_string());
    let completed = |approved: bool| Decision::Completed {
        variables: Some(json!({ "approved": approved, "lastTry": false, "priority": false })),
    };
    assert_eq!(delivered[0].decision, completed(true));
    assert_eq!(delivered[1].decision, completed(false));
    assert_eq!(
        delivered[2].decision,
        Decision::Errored {
            code: "TOO_LARGE".into(),
            message: Some("needs a manual review".into()),
            variables: None
        }
    );
    assert!(
        matches!(&delivered[3].decision, Decision::Failed { message: Some(m), retries: Some(4) } if m.contains("limit")),
        "{:?}",
        delivered[3]
    );
    assert!(
        matches!(&delivered[4].decision, Decision::Failed { message: Some(m), .. } if m.contains("unexpected tenant other")),
        "{:?}",
        delivered[4]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_async_worker_drains_the_scripted_jobs() {
    let source = ScriptedJobs::start().await;
    feed(&source);
    let client = source.client();
    client.create_job_worker(
        JobWorkerConfig::new("check-order").max_jobs_active(2),
        typed(check),
    );
    let delivered = client
        .run_workers_until(async {
            source.wait_for(5, LIMIT).await;
        })
        .await;
    assert!(delivered.unfinished.is_empty());
    assert_eq!(source.pending(), 0);
    assert!(source.activations() >= 3, "at most 2 jobs per activation");
    assert_decisions(source.delivered());
}

#[test]
fn a_real_blocking_worker_drains_the_scripted_jobs() {
    let source = ScriptedJobs::start_blocking();
    feed(&source);
    let client = source.blocking_client();
    // The blocking worker takes plain functions; decode the variables like `typed` does.
    client
        .create_job_worker(JobWorkerConfig::new("check-order"), |job| {
            decide(job.variables()?, &job)
        })
        .unwrap();
    let delivered = source.wait_for_blocking(5, LIMIT);
    client.run_workers_until(async {}).unwrap();
    assert_decisions(delivered);
}

#[tokio::test]
async fn the_typed_mock_matches_path_and_body_and_answers_with_a_model() {
    let mock = CamundaMock::start().await;
    let job = key(2251799813685249);
    let approved = json!({ "approved": true });
    // The mock matches a whole model; the client sends the same body through the builder.
    let request = types::JobCompletionRequest {
        variables: Some(camunda_sdk::variables::to_variables(&approved).unwrap()),
        ..Default::default()
    };
    let completed = mock
        .complete_job(|when, then| {
            when.job_key(&job).body(&request);
            then.ok();
        })
        .await;
    let client = mock.client();
    client
        .complete_job(&job)
        .variables(&approved)
        .await
        .unwrap();
    // Another key is not this expectation: httpmock answers 404.
    let other = client
        .complete_job(key(7))
        .variables(&approved)
        .await
        .unwrap_err();
    assert_eq!(other.status(), Some(404));
    completed.assert_calls_async(1).await;

    let page: types::ProcessInstanceSearchQueryResult = serde_json::from_value(json!({
        "items": [{
            "processInstanceKey": "2251799813690746", "processDefinitionId": "order-process",
            "processDefinitionName": "Order", "processDefinitionVersion": 1,
            "processDefinitionKey": "2251799813686749", "startDate": "2026-12-01T09:00:00.000Z",
            "state": "ACTIVE", "hasIncident": false, "tenantId": "<default>", "tags": []
        }],
        "page": { "totalItems": 1, "hasMoreTotalItems": false }
    }))
    .unwrap();
    mock.search_process_instances(|when, then| {
        when.body_matches(|q: &types::ProcessInstanceSearchQuery| q.filter.is_some());
        then.ok(&page);
    })
    .await;
    let found = client
        .search_process_instances()
        .filter(|f| f.process_definition_id("order-process"))
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);
    assert_eq!(
        found.items[0].process_instance_key.to_string(),
        "2251799813690746"
    );
}

#[tokio::test]
async fn the_typed_mock_answers_problems_and_backpressure() {
    let mock = CamundaMock::start().await;
    let instance: keys::ProcessInstanceKey = "42".parse().unwrap();
    mock.get_process_instance(|when, then| {
        when.process_instance_key(&instance);
        then.problem(404, "NOT_FOUND", "no process instance with key 42");
    })
    .await;
    mock.get_topology(|_, then| {
        then.backpressure();
    })
    .await;
    let client = mock.client();
    let err = client.get_process_instance(&instance).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    let problem = err.problem().expect("a problem detail");
    assert_eq!(problem.title.as_deref(), Some("NOT_FOUND"));
    assert_eq!(
        problem.detail.as_deref(),
        Some("no process instance with key 42")
    );
    let busy = client.get_topology().await.unwrap_err();
    assert!(busy.is_backpressure(), "{busy}");
    assert!(busy.is_retryable());
}

/// The typed test above, written against raw httpmock: the path, the JSON body and the JSON
/// answer by hand. Kept so the two stay comparable (README, "Testing your code").
#[tokio::test]
async fn the_same_expectation_with_raw_httpmock() {
    let server = httpmock::MockServer::start_async().await;
    let completed = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/v2/jobs/2251799813685249/completion")
                .json_body(json!({ "variables": { "approved": true } }));
            then.status(204);
        })
        .await;
    let client = camunda_sdk::CamundaClient::new(
        camunda_sdk::Config::builder()
            .rest_address(server.base_url())
            .no_auth()
            .build()
            .unwrap(),
    )
    .unwrap();
    client
        .complete_job(key(2251799813685249))
        .variables(&json!({ "approved": true }))
        .await
        .unwrap();
    completed.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_typed_mock_matches_query_parameters_and_answers_bytes() {
    let mock = CamundaMock::start().await;
    let id: keys::DocumentId = "invoice-7".parse().unwrap();
    let download = mock
        .get_document(|when, then| {
            when.document_id(&id).store_id("in-memory");
            then.ok(b"%PDF-1.7");
        })
        .await;
    let client = mock.client();
    let bytes = client
        .get_document(&id)
        .store_id("in-memory")
        .await
        .unwrap();
    assert_eq!(bytes, b"%PDF-1.7");
    let elsewhere = client.get_document(&id).store_id("gcp").await.unwrap_err();
    assert_eq!(
        elsewhere.status(),
        Some(404),
        "another store is not this expectation"
    );
    download.assert_calls_async(1).await;
}
