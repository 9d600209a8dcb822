//! No credential the client holds reaches an error: an API that echoes the request's
//! `Authorization` header in its error body (raw or as a problem detail) is scrubbed.

mod support;

use camunda_sdk::{CamundaClient, Config, RetryPolicy};
use support::{Reply, Scripted};

const TOKEN: &str = "s3cr3t-t0ken-value";

/// An error answer that echoes `echo` back, the way some proxies and debug pages do.
fn echoing(status: u16, echo: &str, as_problem: bool) -> Reply {
    let body = if as_problem {
        serde_json::json!({
            "type": "about:blank",
            "title": format!("rejected {echo}"),
            "status": status,
            "detail": format!("request headers: authorization: {echo}"),
            "instance": format!("/v2/license?auth={echo}"),
        })
        .to_string()
    } else {
        format!("<html>request headers: authorization: {echo}</html>")
    };
    Reply {
        status,
        headers: vec![(
            "content-type",
            if as_problem {
                "application/problem+json"
            } else {
                "text/html"
            }
            .into(),
        )],
        body,
    }
}

/// A client of `config`, without retries.
fn no_retries(config: camunda_sdk::ConfigBuilder) -> CamundaClient {
    CamundaClient::new(config.build().unwrap())
        .unwrap()
        .with_retry_policy(RetryPolicy::none())
}

/// A client of `url` sending `Bearer TOKEN`, without retries.
fn bearer_client(url: &str) -> CamundaClient {
    no_retries(Config::builder().rest_address(url).bearer_token(TOKEN))
}

fn assert_clean(err: &camunda_sdk::Error, secrets: &[&str]) {
    let shown = format!("{err} {err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{secret:?} leaked: {shown}");
    }
    assert!(
        shown.contains("***"),
        "the echo is marked as scrubbed: {shown}"
    );
}

#[tokio::test]
async fn a_bearer_token_echoed_in_an_error_body_is_scrubbed() {
    for as_problem in [false, true] {
        let server =
            Scripted::start(vec![echoing(400, &format!("Bearer {TOKEN}"), as_problem)]).await;
        let err = bearer_client(&server.url).get_license().await.unwrap_err();
        assert_eq!(err.status(), Some(400));
        assert_clean(&err, &[TOKEN]);
    }
}

#[tokio::test]
async fn a_basic_password_echoed_in_an_error_body_is_scrubbed() {
    // demo:pa55w0rd-xyz
    let header = "Basic ZGVtbzpwYTU1dzByZC14eXo=";
    let server = Scripted::start(vec![echoing(
        403,
        &format!("{header} (pa55w0rd-xyz)"),
        false,
    )])
    .await;
    let client = no_retries(
        Config::builder()
            .rest_address(&server.url)
            .basic("demo", "pa55w0rd-xyz"),
    );
    let err = client.get_license().await.unwrap_err();
    assert_clean(&err, &["pa55w0rd-xyz", "ZGVtbzpwYTU1dzByZC14eXo="]);
}

#[tokio::test]
async fn oauth_secrets_and_current_and_previous_tokens_are_scrubbed() {
    let token = |t: &str| {
        Reply::json(
            200,
            &format!(r#"{{"access_token":"{t}","expires_in":3600}}"#),
        )
    };
    let server = Scripted::start(vec![
        token("old-t0ken-aaaa"),
        Reply::json(401, r#"{"title":"UNAUTHORIZED","status":401}"#),
        token("new-t0ken-bbbb"),
        echoing(
            400,
            "Bearer new-t0ken-bbbb, earlier Bearer old-t0ken-aaaa, form client_secret=cl1ent-s3cret",
            true,
        ),
    ])
    .await;
    let client = no_retries(
        Config::builder()
            .rest_address(&server.url)
            .oauth("my-client", "cl1ent-s3cret")
            .oauth_url(format!("{}/token", server.url)),
    );
    let err = client.get_license().await.unwrap_err();
    assert_eq!(err.status(), Some(400), "{err:?}");
    assert_eq!(server.requests().len(), 4);
    assert_clean(&err, &["old-t0ken-aaaa", "new-t0ken-bbbb", "cl1ent-s3cret"]);
}

#[tokio::test]
async fn a_token_echoed_in_an_undecodable_answer_is_scrubbed() {
    let echo = format!(r#"{{"echo":"authorization: Bearer {TOKEN}"}}"#);
    let server = Scripted::start(vec![Reply::json(200, &echo)]).await;
    let err = bearer_client(&server.url).get_license().await.unwrap_err();
    assert!(matches!(err, camunda_sdk::Error::Decode { .. }), "{err:?}");
    assert_clean(&err, &[TOKEN]);
}

/// Every log event and span, rendered with its fields.
#[derive(Clone, Default)]
struct Capture(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl tracing::Subscriber for Capture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut f = Fields(span.metadata().name().to_owned());
        span.record(&mut f);
        let mut lines = self.0.lock().unwrap();
        lines.push(f.0);
        tracing::span::Id::from_u64(lines.len() as u64)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut f = Fields(String::new());
        values.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut f = Fields(String::new());
        event.record(&mut f);
        self.0.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn a_token_echoed_in_a_retried_answer_never_reaches_a_log_line() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = Scripted::start(vec![
        echoing(503, &format!("Bearer {TOKEN}"), false),
        Reply::json(
            200,
            r#"{"validLicense":true,"licenseType":"saas","isCommercial":true}"#,
        ),
    ])
    .await;
    let client = bearer_client(&server.url).with_retry_policy(RetryPolicy::default().backoff(
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(2),
    ));
    client.get_license().await.unwrap();
    let lines = capture.0.lock().unwrap();
    let retried: Vec<&String> = lines.iter().filter(|l| l.contains("retrying")).collect();
    assert_eq!(retried.len(), 1, "the 503 was logged: {lines:?}");
    assert!(retried[0].contains("***"), "{}", retried[0]);
    for line in lines.iter() {
        assert!(!line.contains(TOKEN), "leaked into a log line: {line}");
    }
}
