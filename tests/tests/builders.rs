//! Request builders: the call shapes users write, and what each puts on the wire.

mod support;

use camunda_sdk::enums::{
    ProcessInstanceSearchQuerySortRequestField, ProcessInstanceStateEnum, SortOrderEnum,
};
use camunda_sdk::keys::{JobKey, ProcessDefinitionKey};
use camunda_sdk::{Error, blocking};
use futures::TryStreamExt;
use serde_json::{Value, json};
use std::time::Duration;
use support::{Reply, Scripted};

const CREATED: &str = r#"{"processDefinitionId":"order-process","processDefinitionKey":"2251799813685249","processDefinitionVersion":3,"processInstanceKey":"2251799813690001","tenantId":"<default>","variables":{},"tags":[]}"#;

fn body(server: &Scripted, i: usize) -> Value {
    let received = server.received.lock().unwrap();
    serde_json::from_str(&received[i].body).unwrap()
}

/// A page of a process instance search with these keys, of `total` matches.
fn search_page(keys: &[&str], cursor: Option<&str>, total: usize) -> Reply {
    let items: Vec<Value> = keys
        .iter()
        .map(|k| json!({"processInstanceKey": k, "processDefinitionId": "order-process", "processDefinitionKey": "2251799813685249", "processDefinitionName": "Order", "processDefinitionVersion": 1, "startDate": "2025-01-01T00:00:00.000Z", "state": "ACTIVE", "hasIncident": false, "tenantId": "<default>", "tags": []}))
        .collect();
    let page = json!({"totalItems": total, "endCursor": cursor, "startCursor": null, "hasMoreTotalItems": false});
    Reply::json(200, &json!({"items": items, "page": page}).to_string())
}

#[derive(serde::Serialize)]
struct Order {
    id: &'static str,
    total: u32,
}

#[tokio::test]
async fn an_instance_starts_by_process_id_in_one_chain_and_is_cancelled_with_its_result() {
    let server = Scripted::start(vec![Reply::json(200, CREATED), Reply::json(204, "")]).await;
    let client = support::client_without_retries(&server.url);
    let order = Order {
        id: "A-1",
        total: 42,
    };
    let created = client
        .create_process_instance()
        .process_definition_id("order-process")
        .variables(&order)
        .send()
        .await
        .unwrap();
    client.cancel_process_instance(&created).await.unwrap();

    assert_eq!(
        body(&server, 0),
        json!({"processDefinitionId": "order-process", "variables": {"id": "A-1", "total": 42}})
    );
    let received = server.received.lock().unwrap();
    assert_eq!(
        received[1].path,
        "/v2/process-instances/2251799813690001/cancellation"
    );
}

#[tokio::test]
async fn the_creation_shape_follows_the_fields_set() {
    let server = Scripted::start(vec![Reply::json(200, CREATED)]).await;
    let client = support::client_without_retries(&server.url);
    let stored: ProcessDefinitionKey = "2251799813685249".parse().unwrap();
    client
        .create_process_instance()
        .process_definition_key(&stored)
        .await
        .unwrap();
    client
        .create_process_instance()
        .process_definition_id("order-process")
        .process_definition_version(3)
        .await
        .unwrap();
    assert_eq!(
        body(&server, 0),
        json!({"processDefinitionKey": "2251799813685249"})
    );
    assert_eq!(
        body(&server, 1),
        json!({"processDefinitionId": "order-process", "processDefinitionVersion": 3})
    );

    // Neither an id nor a key: refused before anything is sent, naming what to set.
    let err = client
        .create_process_instance()
        .variables(&order())
        .await
        .unwrap_err();
    let Error::InvalidArgument { name, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*name, "body");
    assert!(message.contains("`process_definition_id`"), "{message}");
    assert!(message.contains("`process_definition_key`"), "{message}");
    assert_eq!(server.received.lock().unwrap().len(), 2);
}

fn order() -> Order {
    Order {
        id: "A-2",
        total: 7,
    }
}

#[tokio::test]
async fn a_message_is_published_with_its_name_positional_and_a_duration_time_to_live() {
    let server = Scripted::start(vec![Reply::json(
        200,
        r#"{"messageKey":"2251799813690002","tenantId":"<default>"}"#,
    )])
    .await;
    let client = support::client_without_retries(&server.url);
    client
        .publish_message("payment-received")
        .correlation_key("A-1")
        .time_to_live(Duration::from_secs(60))
        .variables(&json!({"paid": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        body(&server, 0),
        json!({"name": "payment-received", "correlationKey": "A-1", "timeToLive": 60000, "variables": {"paid": true}})
    );
}

#[tokio::test]
async fn a_job_completes_without_a_body_and_fails_with_retries_and_a_back_off() {
    let server = Scripted::start(vec![Reply::json(204, "")]).await;
    let client = support::client_without_retries(&server.url);
    let job: JobKey = "2251799813690003".parse().unwrap();
    client.complete_job(&job).send().await.unwrap();
    client
        .complete_job(&job)
        .variables(&json!({"approved": true}))
        .await
        .unwrap();
    client
        .fail_job(&job)
        .retries(2)
        .error_message("stock service down")
        .retry_back_off(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(body(&server, 0), json!({}));
    assert_eq!(body(&server, 1), json!({"variables": {"approved": true}}));
    assert_eq!(
        body(&server, 2),
        json!({"retries": 2, "errorMessage": "stock service down", "retryBackOff": 30000})
    );
}

#[tokio::test]
async fn a_search_sets_a_typed_filter_a_sort_and_streams_every_page() {
    let server = Scripted::start(vec![
        search_page(&["1", "2"], Some("WzJd"), 3),
        search_page(&["3"], Some("WzNd"), 3),
        search_page(&[], None, 3),
    ])
    .await;
    let client = support::client_without_retries(&server.url);
    let keys: Vec<String> = client
        .search_process_instances()
        .filter(|f| {
            f.state(ProcessInstanceStateEnum::Active)
                .process_definition_id("order-process")
        })
        .sort_by(
            ProcessInstanceSearchQuerySortRequestField::StartDate,
            SortOrderEnum::Desc,
        )
        .stream()
        .map_ok(|i| i.process_instance_key.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys, ["1", "2", "3"]);
    let first = body(&server, 0);
    assert_eq!(
        first["filter"],
        json!({"state": "ACTIVE", "processDefinitionId": "order-process"})
    );
    assert_eq!(
        first["sort"],
        json!([{"field": "startDate", "order": "DESC"}])
    );
    assert_eq!(body(&server, 1)["page"]["after"], "WzJd");
}

#[tokio::test]
async fn an_invalid_key_is_reported_at_send_naming_the_argument() {
    let server = Scripted::start(vec![Reply::json(204, "")]).await;
    let client = support::client_without_retries(&server.url);
    let err = client.complete_job("not-a-key").send().await.unwrap_err();
    let Error::InvalidArgument { name, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*name, "jobKey");
    assert!(message.contains("not-a-key"), "{message}");
    let err = client
        .search_process_instances()
        .filter(|f| f.process_definition_key("nope"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "process_definition_key",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(server.received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn send_with_response_returns_the_status_and_headers_with_the_body() {
    let server = Scripted::start(vec![
        Reply::json(200, CREATED).header("x-request-id", "abc"),
    ])
    .await;
    let client = support::client_without_retries(&server.url);
    let answer = client
        .create_process_instance()
        .process_definition_id("order-process")
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["x-request-id"], "abc");
    assert_eq!(
        answer.body.process_instance_key.to_string(),
        "2251799813690001"
    );
}

#[test]
fn the_blocking_client_takes_the_same_builders() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(Scripted::start(vec![Reply::json(204, "")]));
    let client = blocking::CamundaClient::new(support::config(&server.url)).unwrap();
    let job: JobKey = "2251799813690003".parse().unwrap();
    client
        .fail_job(&job)
        .retries(2)
        .error_message("stock service down")
        .retry_back_off(Duration::from_secs(30))
        .send()
        .unwrap();
    assert_eq!(
        body(&server, 0),
        json!({"retries": 2, "errorMessage": "stock service down", "retryBackOff": 30000})
    );
}

#[tokio::test]
async fn a_clearable_field_is_set_cleared_or_left_alone() {
    let server = Scripted::start(vec![Reply::json(204, "")]).await;
    let client = support::client_without_retries(&server.url);
    let due: chrono::DateTime<chrono::Utc> = "2025-03-01T12:00:00Z".parse().unwrap();
    client
        .update_user_task("2251799813690004")
        .due_date(due)
        .candidate_groups(["sales"])
        .await
        .unwrap();
    client
        .update_user_task("2251799813690004")
        .clear_due_date()
        .await
        .unwrap();
    client
        .update_user_task("2251799813690004")
        .priority(80)
        .await
        .unwrap();
    assert_eq!(
        body(&server, 0)["changeset"],
        json!({"dueDate": "2025-03-01T12:00:00.000Z", "candidateGroups": ["sales"]})
    );
    assert_eq!(body(&server, 1)["changeset"], json!({"dueDate": ""}));
    assert_eq!(body(&server, 2)["changeset"], json!({"priority": 80}));
}

#[tokio::test]
async fn a_required_value_left_unset_is_named_before_anything_is_sent() {
    let server = Scripted::start(vec![Reply::json(201, "{}")]).await;
    let client = support::client_without_retries(&server.url);
    let err = client
        .create_user()
        .username("swillis")
        .name("Sam Willis")
        .email("sam@example.com")
        .await
        .unwrap_err();
    let Error::InvalidArgument { name, message } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*name, "password");
    assert!(message.contains(".password("), "{message}");
    assert!(server.received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_borrowed_body_is_sent_as_is_each_time_and_a_borrowed_search_pages_on() {
    let server = Scripted::start(vec![
        Reply::json(200, CREATED),
        Reply::json(200, CREATED),
        search_page(&["1"], Some("WzFd"), 2),
        search_page(&["2"], None, 2),
    ])
    .await;
    let client = support::client_without_retries(&server.url);
    let instruction: camunda_sdk::types::ProcessInstanceCreationInstruction =
        serde_json::from_value(
            json!({"processDefinitionId": "order-process", "variables": {"orderId": "A-1"}}),
        )
        .unwrap();
    for _ in 0..2 {
        client
            .create_process_instance()
            .body_ref(&instruction)
            .await
            .unwrap();
    }
    let expected = json!({"processDefinitionId": "order-process", "variables": {"orderId": "A-1"}});
    assert_eq!(body(&server, 0), expected);
    assert_eq!(body(&server, 1), expected);

    let query: camunda_sdk::types::ProcessInstanceSearchQuery =
        serde_json::from_value(json!({"filter": {"processDefinitionId": "order-process"}}))
            .unwrap();
    let keys: Vec<String> = client
        .search_process_instances()
        .body_ref(&query)
        .stream()
        .map_ok(|i| i.process_instance_key.to_string())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys, ["1", "2"]);
    assert_eq!(
        body(&server, 2)["filter"],
        json!({"processDefinitionId": "order-process"})
    );
    assert_eq!(body(&server, 3)["page"]["after"], "WzFd");
    // The borrowed query itself is unchanged (the stream pages on its own copy).
    assert!(query.page.is_none());
}
