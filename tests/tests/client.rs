//! Behaviour of the facade's transport pipeline: retries, errors, default tenant, auth refresh,
//! and the blocking twin.

mod support;

use camunda_sdk::{CamundaClient, Config, Error, RetryPolicy, keys};
use httpmock::prelude::*;
use std::time::Duration;
use support::{Reply, Scripted};

fn client(url: &str) -> CamundaClient {
    let config = Config::builder()
        .rest_address(url)
        .no_auth()
        .build()
        .unwrap();
    CamundaClient::new(config)
        .unwrap()
        .with_retry_policy(fast_retries())
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5))
}

const SEARCH_PAGE: &str = r#"{"items":[],"page":{"totalItems":0,"hasMoreTotalItems":false}}"#;
const CREATED: &str = r#"{"processDefinitionId":"order-process","processDefinitionVersion":1,
  "tenantId":"<default>","variables":{},"processDefinitionKey":"2251799813685249",
  "processInstanceKey":"2251799813685250","tags":[]}"#;

#[tokio::test]
async fn search_retries_a_503_and_succeeds() {
    let server = Scripted::start(vec![
        Reply::json(503, r#"{"title":"Service Unavailable","status":503}"#),
        Reply::json(200, SEARCH_PAGE),
    ])
    .await;
    let result = client(&server.url).search_process_instances().await;
    let page = result.expect("the retry succeeds");
    assert!(page.items.is_empty());
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.path == "/v2/process-instances/search")
    );
}

#[tokio::test]
async fn create_is_not_retried_after_an_ambiguous_504() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/process-instances");
            then.status(504).body("gateway timeout");
        })
        .await;
    let err = client(&server.base_url())
        .create_process_instance()
        .process_definition_id("order-process")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(504));
    assert_eq!(err.operation(), Some("createProcessInstance"));
    assert_eq!(
        mock.calls_async().await,
        1,
        "a create must not be sent twice"
    );
}

#[tokio::test]
async fn ambiguous_create_is_retried_when_the_caller_opts_in() {
    let server = Scripted::start(vec![Reply::json(504, ""), Reply::json(200, CREATED)]).await;
    let created = client(&server.url)
        .with_retry_policy(fast_retries().retry_ambiguous(true))
        .create_process_instance()
        .process_definition_id("order-process")
        .await
        .expect("opted-in retry succeeds");
    assert_eq!(
        created.process_instance_key,
        keys::ProcessInstanceKey::from(2251799813685250_i64)
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn create_is_retried_on_backpressure() {
    let server = Scripted::start(vec![
        Reply::json(429, r#"{"title":"RESOURCE_EXHAUSTED","status":429}"#),
        Reply::json(200, CREATED),
    ])
    .await;
    client(&server.url)
        .create_process_instance()
        .process_definition_id("order-process")
        .await
        .expect("backpressure is safe to retry: the server did not act");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured() {
    let server = Scripted::start(vec![
        Reply::json(429, r#"{"title":"Too Many Requests","status":429}"#)
            .header("retry-after", "1"),
        Reply::json(200, SEARCH_PAGE),
    ])
    .await;
    let started = tokio::time::Instant::now();
    client(&server.url)
        .search_process_instances()
        .await
        .unwrap();
    // On paused time the exchanges take no time: the wait is what the server asked for, not
    // the policy's few milliseconds, and not more.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1010),
        "{waited:?}"
    );
}

#[tokio::test]
async fn retry_budget_is_bounded() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/process-instances/search");
            then.status(503).body("");
        })
        .await;
    let err = client(&server.base_url())
        .with_retry_policy(fast_retries().max_attempts(3))
        .search_process_instances()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    assert_eq!(mock.calls_async().await, 3);
}

#[tokio::test]
async fn error_bodies_map_to_the_right_shape() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v2/process-instances/1");
            then.status(404)
                .header("content-type", "application/problem+json")
                .body(r#"{"type":"about:blank","title":"NOT_FOUND","status":404,"detail":"Process instance with key '1' not found"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v2/process-instances/2");
            then.status(502)
                .header("content-type", "text/html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>");
        })
        .await;
    server
        .mock_async(|when, then| {
            when.path("/v2/process-instances/3");
            then.status(500);
        })
        .await;
    let c = client(&server.base_url()).with_retry_policy(RetryPolicy::none());

    let err = c.get_process_instance(1_i64).await.unwrap_err();
    let problem = err.problem().expect("a problem detail");
    assert_eq!(problem.title.as_deref(), Some("NOT_FOUND"));
    assert_eq!(err.status(), Some(404));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("not found"), "{err}");

    let err = c.get_process_instance(2_i64).await.unwrap_err();
    match &err {
        Error::Http {
            status: 502,
            problem: None,
            body: Some(body),
            ..
        } => {
            assert!(body.contains("502 Bad Gateway"))
        }
        other => panic!("expected an HTTP error with the HTML body, got {other:?}"),
    }

    let err = c.get_process_instance(3_i64).await.unwrap_err();
    match &err {
        Error::Http {
            status: 500,
            problem: None,
            body: None,
            operation: "getProcessInstance",
            ..
        } => {}
        other => panic!("expected an empty 500, got {other:?}"),
    }
}

#[tokio::test]
async fn garbage_success_body_is_a_decode_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v2/topology");
            then.status(200).body("<html>captive portal</html>");
        })
        .await;
    let err = client(&server.base_url()).get_topology().await.unwrap_err();
    match err {
        Error::Decode {
            operation, body, ..
        } => {
            assert_eq!(operation, "getTopology");
            assert!(body.contains("captive portal"));
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// The topology an 8.9 server sends (no `brokerId`, added in 8.10), with `cluster_size` as given.
async fn topology_8_9(
    cluster_size: &str,
) -> camunda_sdk::Result<camunda_sdk::types::TopologyResponse> {
    let body = format!(
        r#"{{"brokers":[{{"nodeId":0,"host":"h","port":26501,"partitions":[],"version":"8.9.0"}}],
        "clusterSize":{cluster_size},"partitionsCount":1,"replicationFactor":1,
        "gatewayVersion":"8.9.0","lastCompletedChangeId":"-1"}}"#
    );
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/v2/topology");
            then.status(200).body(body);
        })
        .await;
    client(&server.base_url()).get_topology().await
}

#[tokio::test]
async fn an_8_9_topology_without_broker_ids_decodes() {
    let topology = topology_8_9("1").await.unwrap();
    assert_eq!(topology.brokers.len(), 1);
    assert_eq!(topology.brokers[0].broker_id, None, "added in 8.10");
}

#[tokio::test]
async fn a_value_of_the_wrong_type_is_a_decode_error_naming_its_json_path() {
    let err = topology_8_9(r#""three""#).await.unwrap_err();
    let Error::Decode {
        operation,
        path,
        message,
        ..
    } = &err
    else {
        panic!("expected a decode error, got {err:?}");
    };
    assert_eq!(*operation, "getTopology");
    assert_eq!(path.as_deref(), Some("clusterSize"));
    assert!(message.contains("expected i32"), "{message}");
    assert!(
        std::error::Error::source(&err).is_some(),
        "the JSON error is the source"
    );
    assert!(err.to_string().contains("at `clusterSize`"), "{err}");
}

#[tokio::test]
async fn default_tenant_is_injected_but_never_overrides() {
    let server = Scripted::start(vec![Reply::json(200, CREATED)]).await;
    let config = Config::builder()
        .rest_address(&server.url)
        .no_auth()
        .default_tenant_id(keys::TenantId::new("tenant-a").unwrap())
        .build()
        .unwrap();
    let c = CamundaClient::new(config).unwrap();

    c.create_process_instance()
        .process_definition_id("order-process")
        .await
        .unwrap();
    c.create_process_instance()
        .process_definition_id("order-process")
        .tenant_id("tenant-b")
        .await
        .unwrap();
    // A search body takes no top-level tenant: nothing is injected there.
    c.search_process_instances().await.ok();

    let bodies: Vec<serde_json::Value> = server
        .requests()
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    assert_eq!(bodies[0]["tenantId"], "tenant-a");
    assert_eq!(bodies[1]["tenantId"], "tenant-b");
    assert!(bodies[2].get("tenantId").is_none());
    assert!(
        !server.requests()[0].body.contains("null"),
        "no null for unset fields"
    );
}

#[tokio::test]
async fn a_401_refreshes_credentials_once_then_gives_up() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"access_token":"stale","expires_in":3600,"token_type":"Bearer"}"#);
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path("/v2/topology")
                .header("authorization", "Bearer stale");
            then.status(401).body("");
        })
        .await;
    let config = Config::builder()
        .rest_address(server.base_url())
        .oauth("my-client", "s3cr3t-value")
        .oauth_url(server.url("/oauth/token"))
        .build()
        .unwrap();
    let err = CamundaClient::new(config)
        .unwrap()
        .get_topology()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(token.calls_async().await, 2, "one refresh after the 401");
    assert_eq!(api.calls_async().await, 2, "one retry, not a loop");
}

#[tokio::test]
async fn a_401_with_a_fresh_token_succeeds() {
    let api = Scripted::start(vec![
        Reply::json(401, ""),
        Reply::json(200, r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.10.0","lastCompletedChangeId":"-1"}"#),
    ])
    .await;
    let config = Config::builder()
        .rest_address(&api.url)
        .bearer_token("t0k3n")
        .build()
        .unwrap();
    let c = CamundaClient::new(config).unwrap();
    c.get_topology()
        .await
        .expect("the retry after the 401 succeeds");
    let requests = api.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| {
        r.headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == "Bearer t0k3n")
    }));
}

#[test]
fn blocking_client_works_without_a_runtime() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/v2/topology");
        then.status(200).header("content-type", "application/json").body(
            r#"{"brokers":[],"clusterSize":3,"partitionsCount":3,"replicationFactor":3,"gatewayVersion":"8.10.0","lastCompletedChangeId":"-1"}"#,
        );
    });
    let config = Config::builder()
        .rest_address(server.base_url())
        .no_auth()
        .build()
        .unwrap();
    let client = camunda_sdk::blocking::CamundaClient::new(config).unwrap();
    let topology = client.get_topology().send().unwrap();
    assert_eq!(topology.cluster_size, 3);
    // Usable from other threads at once.
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(client.get_topology().send().unwrap().partitions_count, 3));
        }
    });
}

#[tokio::test]
async fn blocking_client_inside_a_runtime_is_an_error_not_a_panic() {
    let config = Config::builder()
        .rest_address("http://127.0.0.1:9")
        .no_auth()
        .build()
        .unwrap();
    let client = camunda_sdk::blocking::CamundaClient::new(config).unwrap();
    match client.get_topology().send() {
        Err(Error::Runtime(msg)) => assert!(msg.contains("async runtime")),
        other => panic!("expected Error::Runtime, got {other:?}"),
    }
    // Dropping it here must not panic either.
    drop(client);
}

#[test]
fn every_async_operation_has_a_blocking_twin_with_the_same_signature() {
    let root = xtask::repo_root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();
    let async_src = read(xtask::builders::CLIENT);
    let blocking_src = read(xtask::builders::BLOCKING);
    let inventory = xtask::codegen::generate(&root.join(xtask::codegen::SPEC), true)
        .unwrap()
        .inventory;
    let signature = |src: &str, prefix: &str, method: &str| -> Option<String> {
        let start = src.find(&format!("{prefix}{method}("))? + prefix.len();
        let end = start + src[start..].find('{')?;
        // Compare tokens, not layout: drop whitespace and trailing commas.
        let compact: String = src[start..end].split_whitespace().collect();
        Some(compact.replace(",)", ")"))
    };
    let mut checked = 0;
    for op in inventory.iter().filter(|o| !o.hand_written) {
        let m = op.method_name();
        let a = signature(&async_src, "pub fn ", &m)
            .unwrap_or_else(|| panic!("async client lacks {m}"));
        // The same builder, on the blocking flavour.
        let b = signature(&blocking_src, "pub fn ", &m)
            .unwrap_or_else(|| panic!("blocking client lacks {m}"))
            .replace("<'_,Blocking<'_>>", "<'_>");
        assert_eq!(a, b, "signatures differ for {m}");
        checked += 1;
    }
    assert_eq!(checked, 241);
}

const JOBS: &str = r#"{"jobs":[
 {"jobKey":"101","type":"charge","processInstanceKey":"7","processDefinitionKey":"8","processDefinitionId":"order","processDefinitionVersion":1,
  "elementId":"charge","elementInstanceKey":"9","customHeaders":{},"worker":"w","retries":3,"deadline":1,"variables":{"amount":5},
  "tenantId":"tenant-a","kind":"BPMN_ELEMENT","listenerEventType":"UNSPECIFIED","tags":[],"priority":0,"physicalTenantId":"default"},
 {"jobKey":"102","type":"charge","processInstanceKey":"7","processDefinitionKey":"8","processDefinitionId":"order","processDefinitionVersion":1,
  "elementId":"charge","elementInstanceKey":"9","customHeaders":{},"worker":"w","retries":3,"deadline":1,"variables":{"amount":6},
  "tenantId":"tenant-a","kind":"BPMN_ELEMENT","listenerEventType":"UNSPECIFIED","tags":[],"priority":0,"physicalTenantId":"default"}]}"#;

#[tokio::test]
async fn worker_on_the_client_activates_with_the_default_tenant_and_completes_each_job() {
    use camunda_sdk::worker::{Job, JobWorkerConfig, Outcome};
    let server = MockServer::start_async().await;
    let activation = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/jobs/activation")
                .json_body_includes(r#"{"type":"charge","tenantIds":["tenant-a"]}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(JOBS);
        })
        .await;
    let done: Vec<_> = futures::future::join_all(["101", "102"].map(|key| {
        let server = &server;
        async move {
            server
                .mock_async(|when, then| {
                    when.method(POST)
                        .path(format!("/v2/jobs/{key}/completion"))
                        .json_body_includes(r#"{"variables":{"charged":true}}"#);
                    then.status(204);
                })
                .await
        }
    }))
    .await;
    let config = Config::builder()
        .rest_address(server.base_url())
        .no_auth()
        .default_tenant_id(keys::TenantId::new("tenant-a").unwrap())
        .build()
        .unwrap();
    let client = CamundaClient::new(config).unwrap();
    let worker = client.create_job_worker(
        JobWorkerConfig::new("charge")
            .max_jobs_active(4)
            .backoff(Duration::from_millis(5), Duration::from_millis(20)),
        |job: Job| async move {
            let amount: i64 = job.variable("amount")?.unwrap_or_default();
            assert!(amount > 0);
            Outcome::complete_with(&serde_json::json!({ "charged": true }))
        },
    );
    // Bounded wait for both completions.
    for _ in 0..400 {
        if worker.stats().completed >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let report = client.run_workers_until(async {}).await;
    assert!(report.unfinished.is_empty());
    assert!(activation.calls_async().await >= 1);
    for m in &done {
        assert!(m.calls_async().await >= 1, "each job is completed");
    }
    // The mock hands out the same two jobs on every activation, so they may complete again;
    // exactly-once against a counting server is the worker tests' job.
    let stats = worker.stats();
    assert!(stats.completed >= 2);
    assert_eq!(stats.failed + stats.result_failures, 0, "{stats:?}");
}

#[test]
fn debug_of_a_configured_client_shows_no_secret() {
    let config = Config::builder()
        .rest_address("https://cluster.example:443")
        .oauth("client-id-1", "sup3r-s3cret-value")
        .build()
        .unwrap();
    let shown = format!("{config:?}");
    assert!(!shown.contains("sup3r-s3cret-value"), "{shown}");
    let client = CamundaClient::new(config.clone()).unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("sup3r-s3cret-value"), "{shown}");
    assert!(shown.contains("cluster.example"));
    let blocking = camunda_sdk::blocking::CamundaClient::new(config).unwrap();
    assert!(!format!("{blocking:?}").contains("sup3r-s3cret-value"));
    let basic = Config::builder()
        .rest_address("http://localhost:8080")
        .basic("demo", "b4sic-passw0rd")
        .build()
        .unwrap();
    let client = CamundaClient::new(basic).unwrap();
    assert!(!format!("{client:?}").contains("b4sic-passw0rd"));
}

#[tokio::test]
async fn a_wrong_secret_fails_fast_without_a_retry_storm() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/oauth/token");
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"error":"unauthorized_client","error_description":"Invalid client secret"}"#);
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.path("/v2/topology");
            then.status(200).body("{}");
        })
        .await;
    let config = Config::builder()
        .rest_address(server.base_url())
        .oauth("my-client", "wr0ng-s3cret")
        .oauth_url(server.url("/oauth/token"))
        .build()
        .unwrap();
    let client = CamundaClient::new(config).unwrap();
    let calls = futures::future::join_all((0..20).map(|_| client.get_topology().send())).await;
    for result in calls {
        match result {
            Err(Error::Auth {
                retryable: false,
                status: Some(401),
                message,
                ..
            }) => {
                assert!(message.contains("Invalid client secret"));
                assert!(!message.contains("wr0ng-s3cret"));
            }
            other => panic!("expected a non-retryable auth error, got {other:?}"),
        }
    }
    assert_eq!(
        api.calls_async().await,
        0,
        "no API call without credentials"
    );
    assert_eq!(
        token.calls_async().await,
        1,
        "20 concurrent callers share one failed token request; no retries"
    );
}

/// Hands out `Bearer v{n}`; a rejection of the current credential moves to the next one.
#[derive(Debug, Default)]
struct RotatingToken {
    generation: std::sync::atomic::AtomicU32,
}

impl camunda_sdk::auth::AuthProvider for RotatingToken {
    fn authorization(
        &self,
    ) -> futures::future::BoxFuture<'_, Result<Option<reqwest::header::HeaderValue>, Error>> {
        let n = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        let value = reqwest::header::HeaderValue::from_str(&format!("Bearer v{n}")).unwrap();
        Box::pin(async move { Ok(Some(value)) })
    }

    fn invalidate(&self, rejected: &reqwest::header::HeaderValue) {
        let n = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        if rejected.as_bytes() == format!("Bearer v{n}").as_bytes() {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn a_burst_of_401s_refreshes_the_credential_once() {
    let server = MockServer::start_async().await;
    let rejected = server
        .mock_async(|when, then| {
            when.path("/v2/topology")
                .header("authorization", "Bearer v0");
            then.status(401);
        })
        .await;
    let accepted = server
        .mock_async(|when, then| {
            when.path("/v2/topology").header("authorization", "Bearer v1");
            then.status(200).header("content-type", "application/json").body(
                r#"{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"8.10.0","lastCompletedChangeId":"-1"}"#,
            );
        })
        .await;
    let provider = std::sync::Arc::new(RotatingToken::default());
    let config = Config::builder()
        .rest_address(server.base_url())
        .auth_provider(provider.clone())
        .build()
        .unwrap();
    let client = CamundaClient::new(config).unwrap();
    let results = futures::future::join_all((0..20).map(|_| client.get_topology().send())).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(
        provider
            .generation
            .load(std::sync::atomic::Ordering::SeqCst),
        1,
        "20 rejections of the same credential cause one refresh"
    );
    assert_eq!(rejected.calls_async().await, 20);
    assert_eq!(accepted.calls_async().await, 20);
}
