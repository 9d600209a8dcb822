//! The blocking client over loopback HTTP: it works on plain threads and on a runtime's
//! blocking pool (the advice it gives), and refuses only on a runtime's async worker threads.

mod support;

use camunda_sdk::Error;
use camunda_sdk::blocking::CamundaClient;
use support::{Reply, Scripted};

const LICENSE: &str = r#"{"validLicense":true,"licenseType":"saas","isCommercial":true}"#;

async fn server_and_client() -> (Scripted, CamundaClient) {
    let server = Scripted::start(vec![Reply::json(200, LICENSE)]).await;
    let client = CamundaClient::new(support::config(&server.url)).unwrap();
    (server, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_from_spawn_blocking_as_its_error_advises() {
    let (_server, client) = server_and_client().await;
    let license = tokio::task::spawn_blocking(move || client.get_license().send())
        .await
        .unwrap()
        .unwrap();
    assert!(license.valid_license);
}

#[tokio::test(flavor = "current_thread")]
async fn works_from_spawn_blocking_on_a_current_thread_runtime() {
    let (_server, client) = server_and_client().await;
    let license = tokio::task::spawn_blocking(move || client.get_license().send())
        .await
        .unwrap()
        .unwrap();
    assert!(license.valid_license);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn works_from_a_plain_thread() {
    let (_server, client) = server_and_client().await;
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || tx.send(client.get_license().send()));
    assert!(rx.await.unwrap().unwrap().valid_license);
}

fn assert_refused(result: camunda_sdk::Result<camunda_sdk::types::LicenseResponse>) {
    match result {
        Err(Error::Runtime(msg)) => {
            assert!(msg.contains("spawn_blocking"), "{msg}");
        }
        other => panic!("expected Error::Runtime, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refuses_on_an_async_worker_thread() {
    let (server, client) = server_and_client().await;
    assert_refused(client.get_license().send());
    // Also inside a spawned task, and without sending anything.
    let c = client.clone();
    assert_refused(
        tokio::spawn(async move { c.get_license().send() })
            .await
            .unwrap(),
    );
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn refuses_on_a_current_thread_runtime() {
    let (_server, client) = server_and_client().await;
    assert_refused(client.get_license().send());
}
