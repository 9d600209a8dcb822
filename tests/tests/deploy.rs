//! Deployments: the multipart body on the wire, the sorted result, file errors before any
//! request, the default tenant, no retry after an ambiguous failure, and the blocking twin.

use camunda_sdk::deploy::{Resource, content_type_for};
use camunda_sdk::{CamundaClient, Config, Error, RetryPolicy, keys};
use httpmock::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn config(url: &str, tenant: Option<&str>) -> Config {
    let mut b = Config::builder().rest_address(url).no_auth();
    if let Some(t) = tenant {
        b = b.default_tenant_id(keys::TenantId::new(t).unwrap());
    }
    b.build().unwrap()
}

fn client(url: &str, tenant: Option<&str>) -> CamundaClient {
    CamundaClient::new(config(url, tenant))
        .unwrap()
        .with_retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(5)),
        )
}

/// One part of a `multipart/form-data` body.
#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Splits a multipart body (enough of RFC 7578 for what reqwest writes).
fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<Part> {
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut parts = Vec::new();
    let positions: Vec<usize> = find_all(text, delimiter.as_bytes());
    for w in positions.windows(2) {
        let chunk = &text[w[0] + delimiter.len()..w[1]];
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let chunk = chunk.strip_suffix(b"\r\n").unwrap_or(chunk);
        let split = find_all(chunk, b"\r\n\r\n")[0];
        let head = String::from_utf8_lossy(&chunk[..split]).into_owned();
        let mut part = Part {
            name: String::new(),
            file_name: None,
            content_type: None,
            body: chunk[split + 4..].to_vec(),
        };
        for line in head.lines() {
            let lower = line.to_ascii_lowercase();
            if lower.starts_with("content-disposition:") {
                for attr in line.split(';').skip(1) {
                    let (k, v) = attr.trim().split_once('=').unwrap();
                    let v = v.trim_matches('"').to_owned();
                    match k {
                        "name" => part.name = v,
                        "filename" => part.file_name = Some(v),
                        _ => {}
                    }
                }
            } else if lower.starts_with("content-type:") {
                part.content_type = Some(line["content-type:".len()..].trim().to_owned());
            }
        }
        parts.push(part);
    }
    parts
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// (content type header, body) of each request a mock matched.
type Captured = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

fn capture(captured: &Captured) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    let captured = captured.clone();
    move |req: &HttpMockRequest| {
        let ct = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        captured.lock().unwrap().push((ct, req.body_vec()));
        true
    }
}

const DEPLOYED: &str = r#"{
  "deploymentKey": "2251799813685200",
  "tenantId": "tenant-a",
  "deployments": [
    {"processDefinition": {"processDefinitionId": "order-process", "processDefinitionVersion": 3,
      "resourceName": "order.bpmn", "tenantId": "tenant-a", "processDefinitionKey": "2251799813685201"},
     "decisionDefinition": null, "decisionRequirements": null, "form": null, "resource": null},
    {"processDefinition": null, "decisionDefinition": {"decisionDefinitionId": "discount", "version": 1,
      "name": "Order discount", "tenantId": "tenant-a", "decisionRequirementsId": "discount-rules",
      "decisionDefinitionKey": "2251799813685203", "decisionRequirementsKey": "2251799813685202"},
     "decisionRequirements": null, "form": null, "resource": null},
    {"decisionRequirements": {"decisionRequirementsId": "discount-rules", "decisionRequirementsName": "Discount rules",
      "version": 1, "resourceName": "discount.dmn", "tenantId": "tenant-a", "decisionRequirementsKey": "2251799813685202"}},
    {"form": {"formId": "signup", "version": 2, "resourceName": "signup.form", "tenantId": "tenant-a",
      "formKey": "2251799813685204"}},
    {"resource": {"resourceId": "notes", "resourceName": "notes.txt", "version": 1, "tenantId": "tenant-a",
      "resourceKey": "2251799813685205"}, "someFutureField": true}
  ]
}"#;

#[tokio::test]
async fn three_files_go_out_as_resources_parts_and_the_answer_is_sorted() {
    let server = MockServer::start_async().await;
    let captured = Captured::default();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/deployments")
                .header_includes("content-type", "multipart/form-data")
                .is_true(capture(&captured));
            then.status(200)
                .header("content-type", "application/json")
                .body(DEPLOYED);
        })
        .await;
    let paths = ["order.bpmn", "discount.dmn", "signup.form"].map(fixture);
    let deployment = client(&server.base_url(), None)
        .deploy_resources_from_files(&paths)
        .tenant_id("tenant-a")
        .send()
        .await
        .expect("deployed");
    mock.assert_calls_async(1).await;

    let (content_type, body) = captured.lock().unwrap()[0].clone();
    let parts = parse_multipart(&content_type, &body);
    let summary: Vec<_> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.file_name.as_deref(),
                p.content_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("resources", Some("order.bpmn"), Some("application/xml")),
            ("resources", Some("discount.dmn"), Some("application/xml")),
            ("resources", Some("signup.form"), Some("application/json")),
            ("tenantId", None, None),
        ]
    );
    for (part, path) in parts.iter().zip(&paths) {
        assert_eq!(part.body, std::fs::read(path).unwrap(), "{path:?}");
    }
    assert_eq!(parts[3].body, b"tenant-a");

    assert_eq!(deployment.key.as_str(), "2251799813685200");
    assert_eq!(deployment.tenant_id.as_str(), "tenant-a");
    assert_eq!(deployment.processes.len(), 1);
    let process = deployment.process("order-process").expect("the process");
    assert_eq!(process.process_definition_key.as_str(), "2251799813685201");
    assert_eq!(process.process_definition_version, 3);
    assert_eq!(process.resource_name, "order.bpmn");
    let decision = deployment.decision("discount").expect("the decision");
    assert_eq!(
        decision.decision_definition_key.as_str(),
        "2251799813685203"
    );
    assert_eq!(
        decision.decision_requirements_key.as_str(),
        "2251799813685202"
    );
    assert_eq!(deployment.decisions.len(), 1);
    assert_eq!(deployment.decision_requirements.len(), 1);
    assert_eq!(
        deployment.decision_requirements[0].decision_requirements_name,
        "Discount rules"
    );
    assert_eq!(deployment.forms.len(), 1);
    assert_eq!(deployment.forms[0].form_id.as_str(), "signup");
    assert_eq!(deployment.forms[0].form_key.as_str(), "2251799813685204");
    assert_eq!(deployment.resources.len(), 1);
    assert_eq!(
        deployment.resources[0].resource_key.as_str(),
        "2251799813685205"
    );
    assert_eq!(deployment.result.deployments.len(), 5);
}

#[tokio::test]
async fn the_default_tenant_is_sent_when_none_is_given_and_absent_without_one() {
    let server = MockServer::start_async().await;
    let captured = Captured::default();
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/v2/deployments")
                .is_true(capture(&captured));
            then.status(200)
                .header("content-type", "application/json")
                .body(DEPLOYED);
        })
        .await;
    let bpmn = Resource::new("order.bpmn", std::fs::read(fixture("order.bpmn")).unwrap());
    let with_default = client(&server.base_url(), Some("tenant-b"));
    with_default
        .create_deployment([bpmn.clone()])
        .await
        .unwrap();
    client(&server.base_url(), None)
        .create_deployment([bpmn.clone()])
        .await
        .unwrap();
    // A tenant set on the call wins over the default, and is the only one sent.
    with_default
        .create_deployment([bpmn])
        .tenant_id("tenant-c")
        .send()
        .await
        .unwrap();
    mock.assert_calls_async(3).await;
    let captured = captured.lock().unwrap();
    let tenants = |i: usize| -> Vec<Vec<u8>> {
        parse_multipart(&captured[i].0, &captured[i].1)
            .into_iter()
            .filter(|p| p.name == "tenantId")
            .map(|p| p.body)
            .collect()
    };
    assert_eq!(tenants(0), [b"tenant-b".to_vec()]);
    let without = parse_multipart(&captured[1].0, &captured[1].1);
    assert!(without.iter().all(|p| p.name == "resources"), "{without:?}");
    assert_eq!(tenants(2), [b"tenant-c".to_vec()]);
}

#[tokio::test]
async fn a_missing_file_fails_naming_it_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body(DEPLOYED);
        })
        .await;
    let client = client(&server.base_url(), None);
    let missing = fixture("no-such-process.bpmn");
    let err = client
        .deploy_resources_from_files([fixture("order.bpmn"), missing.clone()])
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path: Some(p), .. } if *p == missing),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("no-such-process.bpmn"),
        "the message names the path: {err}"
    );

    // A directory is not a file to deploy either.
    let dir = fixture("");
    let err = client
        .deploy_resources_from_files([dir.clone()])
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Io { path: Some(p), .. } if *p == dir),
        "{err:?}"
    );
    assert!(err.to_string().contains("directory"), "{err}");

    // And an empty list is an argument error.
    let err = client
        .deploy_resources_from_files(Vec::<PathBuf>::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    let err = client.create_deployment([]).await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");

    // So is a tenant id the server would refuse, reported at send and naming the setter.
    let err = client
        .deploy_resources_from_files([fixture("order.bpmn")])
        .tenant_id("no spaces allowed")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "tenant_id",
                ..
            }
        ),
        "{err:?}"
    );

    assert_eq!(mock.calls_async().await, 0, "no request reached the server");
}

#[tokio::test]
async fn a_deployment_is_not_retried_after_an_ambiguous_504() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/v2/deployments");
            then.status(504);
        })
        .await;
    let err = client(&server.base_url(), None)
        .create_deployment([Resource::new("order.bpmn", "<x/>")])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(504));
    assert_eq!(mock.calls_async().await, 1);
}

#[test]
fn content_types_follow_the_extension() {
    assert_eq!(content_type_for("a.bpmn"), "application/xml");
    assert_eq!(content_type_for("a.DMN"), "application/xml");
    assert_eq!(content_type_for("a.form"), "application/json");
    assert_eq!(content_type_for("a.json"), "application/json");
    assert_eq!(content_type_for("a.rpa"), "application/octet-stream");
    assert_eq!(content_type_for("noext"), "application/octet-stream");
    let custom = Resource::new("a.bin", vec![1, 2]).with_content_type("image/png");
    assert_eq!(custom.content_type(), "image/png");
    assert_eq!(custom.content(), &[1, 2]);
}

#[test]
fn the_blocking_client_deploys_files_too() {
    let server = MockServer::start();
    let captured = Captured::default();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/v2/deployments")
            .is_true(capture(&captured));
        then.status(200)
            .header("content-type", "application/json")
            .body(DEPLOYED);
    });
    let client =
        camunda_sdk::blocking::CamundaClient::new(config(&server.base_url(), None)).unwrap();
    let deployment = client
        .deploy_resources_from_files([fixture("order.bpmn")])
        .tenant_id("tenant-d")
        .send()
        .unwrap();
    mock.assert_calls(1);
    assert_eq!(
        deployment.processes[0].process_definition_id.as_str(),
        "order-process"
    );
    let (ct, body) = captured.lock().unwrap()[0].clone();
    let parts = parse_multipart(&ct, &body);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].file_name.as_deref(), Some("order.bpmn"));
    assert_eq!(
        (parts[1].name.as_str(), &parts[1].body[..]),
        ("tenantId", &b"tenant-d"[..])
    );

    let missing = fixture("missing.dmn");
    let err = client
        .deploy_resources_from_files([&missing])
        .send()
        .unwrap_err();
    assert!(err.to_string().contains("missing.dmn"), "{err}");
    mock.assert_calls(1);
}
