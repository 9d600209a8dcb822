//! Auto-paging: a search builder's `.stream()` / `.iter()` follow the server's cursors, fetch
//! lazily, honour the page size set with `.page(…)` and `take(n)` caps, and end after an error.

mod support;

use camunda_sdk::paging::{self, Paging};
use camunda_sdk::types::LimitPagination;
use camunda_sdk::{RetryPolicy, types};
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use support::{Received, Reply, Scripted};

const TOTAL: usize = 2_350;
const PAGE: usize = 100;

use support::config;

use support::client_without_retries as client;

fn instance(n: usize) -> Value {
    json!({
        "processInstanceKey": (2251799813685000_u64 + n as u64).to_string(),
        "processDefinitionId": "order-process",
        "processDefinitionKey": "2251799813685249",
        "processDefinitionVersion": 1,
        "startDate": "2025-01-01T00:00:00Z",
        "state": "ACTIVE",
        "hasIncident": false,
        "tags": [],
        "tenantId": "<default>",
    })
}

/// A cursor that is valid base64, one per page.
fn cursor(page: usize) -> String {
    format!("c{page:03}")
}

/// The `total` items served `per_page` at a time, each page with its end cursor.
fn pages(total: usize, per_page: usize) -> Vec<Reply> {
    let count = total.div_ceil(per_page);
    (0..count)
        .map(|p| {
            let items: Vec<Value> = (p * per_page..((p + 1) * per_page).min(total))
                .map(instance)
                .collect();
            let body = json!({
                "items": items,
                "page": {
                    "totalItems": total,
                    "hasMoreTotalItems": false,
                    "startCursor": cursor(p),
                    "endCursor": cursor(p + 1),
                }
            });
            Reply::json(200, &body.to_string())
        })
        .collect()
}

fn page_of(req: &Received) -> Value {
    let body: Value = serde_json::from_str(&req.body).unwrap();
    body["page"].clone()
}

fn key_number(i: &types::ProcessInstanceResult) -> u64 {
    i.process_instance_key.to_string().parse().unwrap()
}

fn limit(n: usize) -> LimitPagination {
    LimitPagination {
        limit: Some(n as i32),
    }
}

#[tokio::test]
async fn follows_cursors_through_every_page_in_order() {
    let server = Scripted::start(pages(TOTAL, PAGE)).await;
    let items: Vec<_> = client(&server.url)
        .search_process_instances()
        .page(limit(PAGE))
        .stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(items.len(), TOTAL);
    for (n, item) in items.iter().enumerate() {
        assert_eq!(key_number(item), 2251799813685000 + n as u64, "item {n}");
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 24);
    // The server accepts connections concurrently; the log is in arrival order, which for a
    // sequential stream is request order.
    assert_eq!(page_of(&requests[0]), json!({ "limit": 100 }));
    for (p, req) in requests.iter().enumerate().skip(1) {
        assert_eq!(req.path, "/v2/process-instances/search");
        assert_eq!(
            page_of(req),
            json!({ "after": cursor(p), "limit": 100 }),
            "request {p} carries the previous page's end cursor"
        );
    }
}

#[tokio::test]
async fn take_stops_fetching() {
    let server = Scripted::start(pages(TOTAL, PAGE)).await;
    let items: Vec<_> = client(&server.url)
        .search_process_instances()
        .page(limit(PAGE))
        .stream()
        .take(150)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 150);
    assert_eq!(key_number(&items[149]), 2251799813685149);
    assert_eq!(server.requests().len(), 2);
}

/// A builder's stream takes no `Paging`, so a cap that shrinks the last request is reached
/// through `paging::stream` itself, with the builder sending each page.
#[tokio::test]
async fn max_items_caps_and_shrinks_the_last_request() {
    let server = Scripted::start(pages(TOTAL, PAGE)).await;
    let c = client(&server.url);
    let items: Vec<_> = paging::stream(
        types::ProcessInstanceSearchQuery::default(),
        Paging::new().page_size(100).max_items(130),
        move |query| {
            let c = c.clone();
            async move { c.search_process_instances().body(query).send().await }
        },
    )
    .try_collect()
    .await
    .unwrap();
    assert_eq!(items.len(), 130);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(page_of(&requests[1])["limit"], 30);
}

#[tokio::test]
async fn an_error_is_an_item_and_ends_the_stream() {
    let mut script = pages(TOTAL, PAGE);
    script.truncate(1);
    script.push(Reply::json(
        400,
        r#"{"title":"INVALID_ARGUMENT","status":400,"detail":"bad cursor"}"#,
    ));
    script.extend(pages(TOTAL, PAGE));
    let server = Scripted::start(script).await;
    let results: Vec<_> = client(&server.url)
        .search_process_instances()
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), PAGE + 1);
    assert!(results[..PAGE].iter().all(Result::is_ok));
    assert_eq!(results[PAGE].as_ref().unwrap_err().status(), Some(400));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn stops_without_an_end_cursor_and_keeps_the_query() {
    let body = json!({
        "items": [instance(0), instance(1)],
        "page": { "totalItems": 50, "hasMoreTotalItems": true }
    });
    let server = Scripted::start(vec![Reply::json(200, &body.to_string())]).await;
    let items: Vec<_> = client(&server.url)
        .search_process_instances()
        .filter(|f| f.process_definition_id("order-process"))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let sent: Value = serde_json::from_str(&requests[0].body).unwrap();
    assert_eq!(sent["filter"]["processDefinitionId"], "order-process");
}

#[test]
fn blocking_iterator_pages_too() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(Scripted::start(pages(250, PAGE)));
    let client = camunda_sdk::blocking::CamundaClient::new(config(&server.url))
        .unwrap()
        .with_retry_policy(RetryPolicy::none());
    let items: Vec<_> = client
        .search_process_instances()
        .page(limit(PAGE))
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(items.len(), 250);
    assert_eq!(server.requests().len(), 3);
    let first_two: Vec<_> = client
        .search_process_instances()
        .page(limit(PAGE))
        .iter()
        .take(2)
        .collect();
    assert_eq!(first_two.len(), 2);
}

/// A page of two items whose end cursor is `end`.
fn page_ending(first: usize, end: &str) -> Reply {
    let body = json!({
        "items": [instance(first), instance(first + 1)],
        "page": { "totalItems": 1000, "hasMoreTotalItems": true, "endCursor": end }
    });
    Reply::json(200, &body.to_string())
}

/// Collects the stream's items up to its first error, bounded in time and count.
async fn walk(url: &str) -> (Vec<u64>, camunda_sdk::Error) {
    let mut stream = client(url).search_process_instances().stream().take(100);
    let mut keys = Vec::new();
    let run = async {
        while let Some(item) = stream.next().await {
            match item {
                Ok(i) => keys.push(key_number(&i)),
                Err(e) => return Some(e),
            }
        }
        None
    };
    let err = tokio::time::timeout(std::time::Duration::from_secs(5), run)
        .await
        .expect("the stream ends")
        .expect("the stream ends with an error");
    (keys, err)
}

fn assert_cursor_loop(err: &camunda_sdk::Error, cursor: &str) {
    match err {
        camunda_sdk::Error::PagingLoop {
            operation,
            cursor: c,
            ..
        } => {
            assert_eq!(*operation, "searchProcessInstances");
            assert_eq!(c, cursor);
        }
        other => panic!("expected Error::PagingLoop, got {other:?}"),
    }
    let shown = err.to_string();
    assert!(
        shown.contains("searchProcessInstances") && shown.contains(cursor),
        "{shown}"
    );
}

#[tokio::test]
async fn a_server_cycling_cursors_ends_the_stream_with_an_error() {
    // A, B, A, B, … (the last reply repeats).
    let server = Scripted::start(vec![
        page_ending(0, "cAAA"),
        page_ending(2, "cBBB"),
        page_ending(4, "cAAA"),
    ])
    .await;
    let (keys, err) = walk(&server.url).await;
    assert_cursor_loop(&err, "cAAA");
    // The pages before the loop, not the page that closed it.
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error_not_silently() {
    let server = Scripted::start(vec![page_ending(0, "cAAA"), page_ending(0, "cAAA")]).await;
    let (keys, err) = walk(&server.url).await;
    assert_cursor_loop(&err, "cAAA");
    assert_eq!(keys.len(), 2, "no duplicates: {keys:?}");
    assert_eq!(server.requests().len(), 2);
}
