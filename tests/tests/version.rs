//! The opt-in version guard: learns the server version from the topology once and refuses
//! operations the server is too old for, without sending them.

mod support;

use camunda_sdk::{Config, Error};
use httpmock::prelude::*;

fn topology(version: &str) -> String {
    format!(
        r#"{{"brokers":[],"clusterSize":1,"partitionsCount":1,"replicationFactor":1,"gatewayVersion":"{version}","lastCompletedChangeId":"-1"}}"#
    )
}

const EMPTY_PAGE: &str = r#"{"items":[],"page":{"totalItems":0,"hasMoreTotalItems":false}}"#;

use support::client_without_retries as client;

#[tokio::test]
async fn refuses_an_8_10_operation_on_an_8_8_server_without_calling_it() {
    let server = MockServer::start_async().await;
    let topo = server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/topology");
            then.status(200)
                .header("content-type", "application/json")
                .body(topology("8.8.2"));
        })
        .await;
    // searchResources: available since 8.10.
    let resources = server
        .mock_async(|when, then| {
            when.path("/v2/resources/search");
            then.status(200)
                .header("content-type", "application/json")
                .body(EMPTY_PAGE);
        })
        .await;
    // searchProcessInstances: available since 8.6.
    let instances = server
        .mock_async(|when, then| {
            when.path("/v2/process-instances/search");
            then.status(200)
                .header("content-type", "application/json")
                .body(EMPTY_PAGE);
        })
        .await;

    let guarded = client(&server.base_url()).with_version_guard();
    let err = guarded.search_resources().await.unwrap_err();
    match &err {
        Error::NotSupported {
            operation,
            required,
            server,
        } => {
            assert_eq!(*operation, "searchResources");
            assert_eq!(required, "8.10");
            assert_eq!(server, "8.8.2");
        }
        other => panic!("expected NotSupported, got {other:?}"),
    }
    assert!(err.to_string().contains("needs Camunda 8.10"), "{err}");
    assert_eq!(
        resources.calls_async().await,
        0,
        "no request to the op's path"
    );

    // An operation the server has goes through; the version is not asked again.
    guarded.search_process_instances().await.unwrap();
    let clone = guarded.clone();
    assert!(clone.search_resources().await.is_err());
    assert_eq!(instances.calls_async().await, 1);
    assert_eq!(topo.calls_async().await, 1, "the version is learned once");
    assert_eq!(
        guarded.guarded_server_version().await.unwrap().as_deref(),
        Some("8.8.2")
    );

    // Without the guard nothing is checked.
    client(&server.base_url()).search_resources().await.unwrap();
    assert_eq!(resources.calls_async().await, 1);
    assert_eq!(topo.calls_async().await, 1);
}

#[tokio::test]
async fn a_new_enough_server_passes() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/topology");
            then.status(200)
                .header("content-type", "application/json")
                .body(topology("8.10.0-alpha3"));
        })
        .await;
    let resources = server
        .mock_async(|when, then| {
            when.path("/v2/resources/search");
            then.status(200)
                .header("content-type", "application/json")
                .body(EMPTY_PAGE);
        })
        .await;
    client(&server.base_url())
        .with_version_guard()
        .search_resources()
        .await
        .unwrap();
    assert_eq!(resources.calls_async().await, 1);
}

#[test]
fn blocking_client_guards_too() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/v2/topology");
        then.status(200)
            .header("content-type", "application/json")
            .body(topology("8.8.0"));
    });
    let resources = server.mock(|when, then| {
        when.path("/v2/resources/search");
        then.status(200).body(EMPTY_PAGE);
    });
    let config = Config::builder()
        .rest_address(server.base_url())
        .no_auth()
        .build()
        .unwrap();
    let client = camunda_sdk::blocking::CamundaClient::new(config)
        .unwrap()
        .with_version_guard();
    let err = client.search_resources().send().unwrap_err();
    assert!(matches!(err, Error::NotSupported { .. }), "{err:?}");
    assert_eq!(resources.calls(), 0);
}
