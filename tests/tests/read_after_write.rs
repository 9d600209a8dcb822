//! Read-after-write on the builders of eventually consistent operations: a read waits while the
//! server answers 404 (or, for a search, an empty page), other errors end the wait at once, and
//! a timeout says what it waited for. Waits run on paused time.

mod support;

use camunda_sdk::consistency::Consistency;
use camunda_sdk::{Error, blocking, keys};
use serde_json::json;
use std::time::Duration;
use support::{Reply, Scripted};

const CREATED: &str = r#"{"processDefinitionId":"order-process","processDefinitionKey":"2251799813685249","processDefinitionVersion":1,"processInstanceKey":"2251799813685250","tenantId":"<default>","variables":{},"tags":[]}"#;
const INSTANCE: &str = r#"{"processInstanceKey":"2251799813685250","processDefinitionId":"order-process",
  "processDefinitionKey":"2251799813685249","processDefinitionVersion":1,"startDate":"2025-01-01T00:00:00Z",
  "state":"ACTIVE","hasIncident":false,"tags":[],"tenantId":"<default>"}"#;
const NOT_FOUND: &str = r#"{"title":"NOT_FOUND","status":404,"detail":"no such instance"}"#;
const FORBIDDEN: &str = r#"{"title":"FORBIDDEN","status":403,"detail":"not allowed"}"#;

fn page(items: usize) -> Reply {
    let instance: serde_json::Value = serde_json::from_str(INSTANCE).unwrap();
    let items = vec![instance; items];
    Reply::json(
        200,
        &json!({"items": items, "page": {"totalItems": items.len(), "startCursor": null, "endCursor": null, "hasMoreTotalItems": false}})
            .to_string(),
    )
}

#[tokio::test(start_paused = true)]
async fn create_then_read_waits_through_three_404s() {
    let server = Scripted::start(vec![
        Reply::json(200, CREATED),
        Reply::json(404, NOT_FOUND),
        Reply::json(404, NOT_FOUND),
        Reply::json(404, NOT_FOUND),
        Reply::json(200, INSTANCE),
    ])
    .await;
    let client = support::client_without_retries(&server.url);
    let created = client
        .create_process_instance()
        .process_definition_id("order-process")
        .await
        .unwrap();
    let instance = client
        .get_process_instance(&created)
        .wait_visible(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(instance.process_instance_key, created.process_instance_key);
    let paths: Vec<String> = server.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths.len(), 5, "{paths:?}");
    assert!(
        paths[1..]
            .iter()
            .all(|p| p == "/v2/process-instances/2251799813685250")
    );
}

#[tokio::test(start_paused = true)]
async fn a_search_waits_until_it_finds_something() {
    let server = Scripted::start(vec![page(0), page(0), page(2)]).await;
    let client = support::client_without_retries(&server.url);
    let found = client
        .search_process_instances()
        .filter(|f| f.process_definition_id("order-process"))
        .wait_non_empty(Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(found.items.len(), 2);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_403_ends_the_wait_at_once() {
    let server = Scripted::start(vec![
        Reply::json(403, FORBIDDEN),
        Reply::json(200, INSTANCE),
    ])
    .await;
    let client = support::client_without_retries(&server.url);
    let err = client
        .get_process_instance("2251799813685250")
        .wait_visible(Duration::from_secs(10))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_timeout_says_what_it_waited_for() {
    let server = Scripted::start(vec![Reply::json(404, NOT_FOUND)]).await;
    let client = support::client_without_retries(&server.url);
    let started = tokio::time::Instant::now();
    let err = client
        .get_process_instance("2251799813685250")
        .wait_visible(Duration::from_secs(3))
        .await
        .unwrap_err();
    let Error::ConsistencyTimeout {
        operation,
        waited,
        attempts,
        last,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*operation, "getProcessInstance");
    assert_eq!(last, "HTTP 404");
    assert_eq!(*attempts as usize, server.requests().len());
    assert!(
        *attempts > 3,
        "backoff from 50 ms up to 1 s makes more than 3 reads in 3 s"
    );
    assert!(
        *waited >= Duration::from_secs(3) && started.elapsed() < Duration::from_secs(4),
        "{waited:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("getProcessInstance") && message.contains("HTTP 404"),
        "{message}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_predicate_waits_for_the_state_the_caller_needs() {
    let completed = INSTANCE.replace("ACTIVE", "COMPLETED");
    let server = Scripted::start(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(200, INSTANCE),
        Reply::json(200, &completed),
    ])
    .await;
    let client = support::client_without_retries(&server.url);
    let instance = client
        .get_process_instance("2251799813685250")
        .wait_until(Duration::from_secs(10), |i| {
            i.state.to_string() == "COMPLETED"
        })
        .await
        .unwrap();
    assert_eq!(instance.state.to_string(), "COMPLETED");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_client_default_waits_on_every_flagged_read_and_no_wait_opts_out() {
    let server = Scripted::start(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(200, INSTANCE),
        Reply::json(404, NOT_FOUND),
    ])
    .await;
    let client = support::client_without_retries(&server.url)
        .with_consistency(Consistency::wait(Duration::from_secs(5)));
    let key: keys::ProcessInstanceKey = "2251799813685250".parse().unwrap();
    client.get_process_instance(&key).await.unwrap();
    assert_eq!(server.requests().len(), 2);

    let err = client
        .get_process_instance(&key)
        .no_wait()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(server.requests().len(), 3);

    // Without the default, a read is sent once.
    let plain = support::client_without_retries(&server.url);
    assert_eq!(
        plain.get_process_instance(&key).await.unwrap_err().status(),
        Some(404)
    );
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn the_blocking_client_waits_the_same_way() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(Scripted::start(vec![
        Reply::json(404, NOT_FOUND),
        Reply::json(200, INSTANCE),
    ]));
    let client = blocking::CamundaClient::new(support::config(&server.url)).unwrap();
    let instance = client
        .get_process_instance("2251799813685250")
        .wait_visible(Duration::from_secs(10))
        .send()
        .unwrap();
    assert_eq!(
        instance.process_instance_key.to_string(),
        "2251799813685250"
    );
    assert_eq!(server.requests().len(), 2);
}
