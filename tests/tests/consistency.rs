//! Waiting for eventually consistent reads: 404s and empty pages count as "not yet", other
//! errors end the wait, and a timeout says how long, how many attempts and the last outcome.

mod support;

use camunda_sdk::consistency::{self, Consistency};
use camunda_sdk::{Config, Error, keys};
use std::time::Duration;
use support::{Reply, Scripted};

const INSTANCE: &str = r#"{"processInstanceKey":"2251799813685250","processDefinitionId":"order-process",
  "processDefinitionKey":"2251799813685249","processDefinitionVersion":1,"startDate":"2025-01-01T00:00:00Z",
  "state":"ACTIVE","hasIncident":false,"tags":[],"tenantId":"<default>"}"#;
const NOT_FOUND: &str = r#"{"title":"NOT_FOUND","status":404,"detail":"no such instance"}"#;

use support::client_without_retries as client;

fn quick(timeout_ms: u64) -> Consistency {
    Consistency::wait(Duration::from_millis(timeout_ms))
        .backoff(Duration::from_millis(5), Duration::from_millis(20))
}

fn key() -> keys::ProcessInstanceKey {
    "2251799813685250".parse().unwrap()
}

#[tokio::test]
async fn two_404s_then_found() {
    let server = Scripted::start(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(404, NOT_FOUND),
        Reply::json(200, INSTANCE),
    ])
    .await;
    let c = client(&server.url);
    let key = key();
    let instance = consistency::eventually(&quick(2_000), || c.get_process_instance(&key).send())
        .await
        .unwrap();
    assert_eq!(instance.process_instance_key, key);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn constant_404_times_out_with_the_attempt_count() {
    let server = Scripted::start(vec![Reply::json(404, NOT_FOUND)]).await;
    let c = client(&server.url);
    let key = key();
    let wait = Consistency::wait(Duration::from_secs(10))
        .backoff(Duration::from_millis(50), Duration::from_secs(1));
    let err = consistency::eventually(&wait, || c.get_process_instance(&key).send())
        .await
        .unwrap_err();
    let Error::ConsistencyTimeout {
        operation,
        waited,
        attempts,
        last,
    } = &err
    else {
        panic!("expected ConsistencyTimeout, got {err:?}");
    };
    assert_eq!(*operation, "getProcessInstance");
    // On paused time the reads take no time: the wait is the timeout, to the millisecond.
    assert_eq!(waited.as_millis(), 10_000, "{waited:?}");
    // Waits between 50 ms and 1 s: at least one read per second, at most one per 50 ms.
    assert!((11..=201).contains(attempts), "{attempts}");
    assert_eq!(*attempts as usize, server.requests().len());
    assert_eq!(last, "HTTP 404");
}

#[tokio::test]
async fn other_errors_end_the_wait_at_once() {
    let server = Scripted::start(vec![Reply::json(
        400,
        r#"{"title":"INVALID_ARGUMENT","status":400}"#,
    )])
    .await;
    let c = client(&server.url);
    let key = key();
    let err = consistency::eventually(&quick(1_000), || c.get_process_instance(&key).send())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn non_empty_waits_for_an_item_and_predicates_name_the_operation() {
    let empty = r#"{"items":[],"page":{"totalItems":0,"hasMoreTotalItems":false}}"#;
    let one =
        format!(r#"{{"items":[{INSTANCE}],"page":{{"totalItems":1,"hasMoreTotalItems":false}}}}"#);
    let server = Scripted::start(vec![
        Reply::json(200, empty),
        Reply::json(200, empty),
        Reply::json(200, &one),
        Reply::json(200, INSTANCE),
    ])
    .await;
    let c = client(&server.url);
    let page = consistency::non_empty(&quick(2_000), || c.search_process_instances().send())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(server.requests().len(), 3);
    // (the script then answers every request with the instance, which has no end date)

    // A predicate that never holds: the timeout names the operation from the transport.
    let key = key();
    let err = consistency::until(
        &quick(60),
        || c.get_process_instance(&key).send(),
        |i| i.end_date.is_some(),
    )
    .await
    .unwrap_err();
    match err {
        Error::ConsistencyTimeout {
            operation, last, ..
        } => {
            assert_eq!(operation, "getProcessInstance");
            assert!(last.contains("not accepted"), "{last}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn blocking_waits_too() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(Scripted::start(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(200, INSTANCE),
    ]));
    let config = Config::builder()
        .rest_address(&server.url)
        .no_auth()
        .build()
        .unwrap();
    let c = camunda_sdk::blocking::CamundaClient::new(config).unwrap();
    let key = key();
    let instance =
        consistency::eventually_blocking(&quick(2_000), || c.get_process_instance(&key).send())
            .unwrap();
    assert_eq!(instance.process_instance_key, key);
}
