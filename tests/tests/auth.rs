//! Auth providers against an httpmock token endpoint: the client-credentials form, caching,
//! single flight, expiry, invalidation, error mapping, static headers and redaction.

mod support;

use camunda_sdk::auth::{
    self, AuthProvider, BasicAuth, BearerToken, NoAuth, OAuthConfig, OAuthProvider,
};
use camunda_sdk::{Config, Error};
use futures::future::join_all;
use httpmock::prelude::*;
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

const CLIENT_ID: &str = "orders-worker";
const CLIENT_SECRET: &str = "Zx9-Qm4vT7uLr2Wb8NcKe5Hy1PaJd3Fs";
const TOKEN_PATH: &str = "/oauth/token";

fn oauth_config(server: &MockServer) -> OAuthConfig {
    OAuthConfig::new(CLIENT_ID, CLIENT_SECRET).with_token_url(server.url(TOKEN_PATH))
}

fn provider(server: &MockServer) -> OAuthProvider {
    OAuthProvider::new(oauth_config(server), support::http())
}

async fn token_mock<'a>(
    server: &'a MockServer,
    token: &str,
    expires_in: serde_json::Value,
) -> httpmock::Mock<'a> {
    let body = json!({ "access_token": token, "expires_in": expires_in, "token_type": "Bearer" });
    server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200)
                .header("content-type", "application/json")
                .delay(Duration::from_millis(50))
                .json_body(body);
        })
        .await
}

async fn header(provider: &dyn AuthProvider) -> String {
    provider
        .authorization()
        .await
        .expect("authorization succeeds")
        .expect("a header is produced")
        .to_str()
        .unwrap()
        .to_owned()
}

fn auth_error(
    result: Result<Option<reqwest::header::HeaderValue>, Error>,
) -> (String, Option<u16>, bool) {
    match result {
        Err(Error::Auth {
            message,
            status,
            retryable,
            ..
        }) => (message, status, retryable),
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

/// Moves tokio's clock forward by `by` without freezing it (the token request's timeout timer
/// would otherwise fire at once while the runtime waits for the mock server).
async fn advance_clock(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

#[tokio::test]
async fn oauth_posts_the_client_credentials_form_and_caches_the_token() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header("content-type", "application/x-www-form-urlencoded")
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple("client_id", CLIENT_ID)
                .form_urlencoded_tuple("client_secret", CLIENT_SECRET)
                .form_urlencoded_tuple("audience", "zeebe.camunda.io")
                .form_urlencoded_tuple("scope", "camunda");
            then.status(200).json_body(json!({
                "access_token": "tok-1",
                "expires_in": 3600,
                "token_type": "Bearer"
            }));
        })
        .await;
    let provider = OAuthProvider::new(oauth_config(&server).with_scope("camunda"), support::http());

    let value = provider.authorization().await.unwrap().unwrap();
    assert_eq!(value, "Bearer tok-1");
    assert!(value.is_sensitive());
    assert_eq!(header(&provider).await, "Bearer tok-1");
    assert_eq!(
        mock.calls_async().await,
        1,
        "the second call uses the cache"
    );
}

#[tokio::test]
async fn no_scope_and_no_audience_are_not_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("grant_type", "client_credentials")
                .form_urlencoded_tuple_missing("scope")
                .form_urlencoded_tuple_missing("audience");
            then.status(200)
                .json_body(json!({ "access_token": "tok", "expires_in": "3600" }));
        })
        .await;
    let provider = OAuthProvider::new(oauth_config(&server).with_audience(""), support::http());
    assert_eq!(header(&provider).await, "Bearer tok");
    assert_eq!(header(&provider).await, "Bearer tok");
    assert_eq!(
        mock.calls_async().await,
        1,
        "a string expires_in is honoured"
    );
}

#[tokio::test]
async fn concurrent_callers_without_a_token_cause_one_request() {
    let server = MockServer::start_async().await;
    let mock = token_mock(&server, "shared", json!(3600)).await;
    let provider = provider(&server);

    let headers = join_all((0..20).map(|_| header(&provider))).await;
    assert!(headers.iter().all(|h| h == "Bearer shared"), "{headers:?}");
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test]
async fn concurrent_callers_with_an_expired_token_cause_one_request() {
    let server = MockServer::start_async().await;
    // `expires_in: 0`: every token is stale as soon as it arrives.
    let mock = token_mock(&server, "short-lived", json!(0)).await;
    let provider = provider(&server);

    assert_eq!(header(&provider).await, "Bearer short-lived");
    assert_eq!(mock.calls_async().await, 1);

    let headers = join_all((0..20).map(|_| header(&provider))).await;
    assert!(headers.iter().all(|h| h == "Bearer short-lived"));
    assert_eq!(
        mock.calls_async().await,
        2,
        "one refresh shared by 20 callers"
    );
}

#[tokio::test]
async fn token_is_refreshed_60s_before_expiry() {
    let server = MockServer::start_async().await;
    let mock = token_mock(&server, "hourly", json!(3600)).await;
    let provider = provider(&server);

    header(&provider).await;
    advance_clock(Duration::from_secs(3500)).await;
    header(&provider).await;
    assert_eq!(mock.calls_async().await, 1, "still 100 s left: cached");

    advance_clock(Duration::from_secs(45)).await;
    header(&provider).await;
    assert_eq!(mock.calls_async().await, 2, "55 s left: refreshed");
}

#[tokio::test]
async fn missing_expires_in_means_five_minutes() {
    let server = MockServer::start_async().await;
    let mock = token_mock(&server, "no-expiry", serde_json::Value::Null).await;
    let provider = provider(&server);

    header(&provider).await;
    // 300 s lifetime, refreshed a tenth (30 s) before expiry.
    advance_clock(Duration::from_secs(260)).await;
    header(&provider).await;
    assert_eq!(mock.calls_async().await, 1);
    advance_clock(Duration::from_secs(15)).await;
    header(&provider).await;
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn a_failed_refresh_keeps_using_the_unexpired_token() {
    let server = MockServer::start_async().await;
    let ok = token_mock(&server, "still-good", json!(3600)).await;
    let provider = provider(&server);
    assert_eq!(header(&provider).await, "Bearer still-good");
    ok.delete_async().await;

    let down = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(503).body("maintenance");
        })
        .await;
    advance_clock(Duration::from_secs(3570)).await;
    assert_eq!(header(&provider).await, "Bearer still-good");
    assert_eq!(down.calls_async().await, 1);

    advance_clock(Duration::from_secs(60)).await;
    let (_, status, retryable) = auth_error(provider.authorization().await);
    assert_eq!((status, retryable), (Some(503), true), "expired: the error");
}

#[tokio::test]
async fn invalidate_makes_the_next_call_fetch() {
    let server = MockServer::start_async().await;
    let mock = token_mock(&server, "tok", json!(3600)).await;
    let provider = provider(&server);

    let first = header(&provider).await;
    header(&provider).await;
    assert_eq!(mock.calls_async().await, 1);
    provider.invalidate(&reqwest::header::HeaderValue::from_str(&first).unwrap());
    let second = header(&provider).await;
    assert_eq!(mock.calls_async().await, 2);
    header(&provider).await;
    assert_eq!(mock.calls_async().await, 2);
    // A 401 for a credential that has been replaced since does not drop the new one.
    provider.invalidate(&reqwest::header::HeaderValue::from_static(
        "Bearer replaced-earlier",
    ));
    assert_eq!(header(&provider).await, second);
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn rejected_credentials_fail_fast_without_leaking_the_secret() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(401)
                .delay(Duration::from_millis(50))
                .json_body(json!({
                    "error": "unauthorized_client",
                    "error_description": format!("Invalid client secret {CLIENT_SECRET}")
                }));
        })
        .await;
    let provider = provider(&server);

    let results = join_all((0..20).map(|_| provider.authorization())).await;
    assert_eq!(
        mock.calls_async().await,
        1,
        "concurrent callers share the failure"
    );
    for result in results {
        let (message, status, retryable) = auth_error(result);
        assert_eq!(status, Some(401));
        assert!(!retryable);
        assert!(message.contains("unauthorized_client"), "{message}");
        assert!(message.contains("Invalid client secret"), "{message}");
        assert!(!message.contains(CLIENT_SECRET), "{message}");
    }

    // The failure is not cached: a later call asks again (the secret may have been fixed).
    let err = provider.authorization().await.unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(401));
    assert!(!err.to_string().contains(CLIENT_SECRET));
    assert!(!format!("{err:?}").contains(CLIENT_SECRET));
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test]
async fn client_errors_are_not_retryable() {
    for status in [400u16, 403, 404] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path(TOKEN_PATH);
                then.status(status).json_body(
                    json!({ "error": "invalid_request", "error_description": "audience unknown" }),
                );
            })
            .await;
        let (message, got, retryable) = auth_error(provider(&server).authorization().await);
        assert_eq!(got, Some(status));
        assert!(!retryable, "HTTP {status}");
        assert!(message.contains("audience unknown"), "{message}");
    }
}

#[tokio::test]
async fn server_errors_and_throttling_are_retryable() {
    for status in [500u16, 502, 503, 429] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path(TOKEN_PATH);
                then.status(status).body("<html>Service Unavailable</html>");
            })
            .await;
        let (message, got, retryable) = auth_error(provider(&server).authorization().await);
        assert_eq!(got, Some(status));
        assert!(retryable, "HTTP {status}");
        assert!(message.contains("Service Unavailable"), "{message}");
        assert!(
            message.contains(TOKEN_PATH),
            "names the endpoint: {message}"
        );
    }
}

#[tokio::test]
async fn an_unreachable_endpoint_is_retryable() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = OAuthConfig::new(CLIENT_ID, CLIENT_SECRET)
        .with_token_url(format!("http://127.0.0.1:{port}{TOKEN_PATH}"));
    let provider = OAuthProvider::new(config, support::http());
    let (message, status, retryable) = auth_error(provider.authorization().await);
    assert_eq!(status, None);
    assert!(retryable);
    assert!(message.contains("connect"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn a_slow_endpoint_times_out_as_retryable() {
    // A token endpoint on this runtime that reads the request and never answers: on paused
    // time the request timeout, and nothing else, decides.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}{TOKEN_PATH}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let Ok((sock, _)) = listener.accept().await else {
            return;
        };
        tokio::time::sleep(Duration::from_secs(3600)).await;
        drop(sock);
    });
    let config = OAuthConfig::new(CLIENT_ID, CLIENT_SECRET).with_token_url(url);
    let provider = OAuthProvider::new(config, support::http())
        .with_request_timeout(Duration::from_millis(200));
    let started = tokio::time::Instant::now();
    let (message, status, retryable) = auth_error(provider.authorization().await);
    assert_eq!(started.elapsed(), Duration::from_millis(200), "{message}");
    assert_eq!(status, None);
    assert!(retryable);
    assert!(message.contains("no answer in time"), "{message}");
}

#[tokio::test]
async fn a_success_that_is_not_a_token_is_not_retryable() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200).body("<html>login page</html>");
        })
        .await;
    let (message, status, retryable) = auth_error(provider(&server).authorization().await);
    assert_eq!(status, Some(200));
    assert!(!retryable);
    assert!(message.contains("not an OAuth token response"), "{message}");
}

#[tokio::test]
async fn basic_auth_header_is_base64_of_user_colon_password() {
    for (user, pass, encoded) in [
        ("demo", "demo", "ZGVtbzpkZW1v"),
        ("Aladdin", "open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ("a", "", "YTo="),
        ("ab", "c", "YWI6Yw=="),
        ("user", "pä55:wörd", "dXNlcjpww6Q1NTp3w7ZyZA=="),
    ] {
        let provider = BasicAuth::new(user, pass);
        let value = provider.authorization().await.unwrap().unwrap();
        assert_eq!(value, format!("Basic {encoded}").as_str(), "{user}:{pass}");
        assert!(value.is_sensitive());
        assert_eq!(provider.username(), user);
    }
}

#[tokio::test]
async fn bearer_and_no_auth_headers() {
    let bearer = BearerToken::new("eyJhbGciOi.static");
    let value = bearer.authorization().await.unwrap().unwrap();
    assert_eq!(value, "Bearer eyJhbGciOi.static");
    assert!(value.is_sensitive());

    assert!(NoAuth.authorization().await.unwrap().is_none());

    let bad = BearerToken::new("line\nbreak");
    let (_, status, retryable) = auth_error(bad.authorization().await);
    assert_eq!((status, retryable), (None, false));
}

#[tokio::test]
async fn provider_debug_output_is_redacted() {
    let server = MockServer::start_async().await;
    token_mock(&server, "debug-token-value", json!(3600)).await;
    let oauth = provider(&server);
    header(&oauth).await;

    let basic = BasicAuth::new("demo", CLIENT_SECRET);
    let bearer = BearerToken::new(CLIENT_SECRET);
    for text in [
        format!("{oauth:?}"),
        format!("{oauth:#?}"),
        format!("{basic:?}"),
        format!("{bearer:?}"),
        format!("{:?}", oauth_config(&server)),
    ] {
        assert!(!text.contains(CLIENT_SECRET), "{text}");
        assert!(!text.contains("debug-token-value"), "{text}");
        assert!(text.contains("***"), "{text}");
    }
    assert!(format!("{oauth:?}").contains(CLIENT_ID));
    assert!(format!("{basic:?}").contains("demo"));
}

#[tokio::test]
async fn from_config_builds_the_configured_provider() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("audience", "orchestration-api");
            then.status(200)
                .json_body(json!({ "access_token": "from-config", "expires_in": 60 }));
        })
        .await;
    let config = Config::builder()
        .oauth(CLIENT_ID, CLIENT_SECRET)
        .oauth_url(server.url(TOKEN_PATH))
        .audience("orchestration-api")
        .build()
        .unwrap();
    let provider = auth::from_config(&config, config.http_client().unwrap());
    assert_eq!(header(provider.as_ref()).await, "Bearer from-config");
    assert_eq!(mock.calls_async().await, 1);

    let basic = Config::builder().basic("demo", "demo").build().unwrap();
    let provider = auth::from_config(&basic, support::http());
    assert_eq!(header(provider.as_ref()).await, "Basic ZGVtbzpkZW1v");

    let bearer = Config::builder().bearer_token("static").build().unwrap();
    let provider = auth::from_config(&bearer, support::http());
    assert_eq!(header(provider.as_ref()).await, "Bearer static");

    let none = Config::builder().build().unwrap();
    let provider = auth::from_config(&none, support::http());
    assert!(provider.authorization().await.unwrap().is_none());

    let custom: Arc<dyn AuthProvider> = Arc::new(BearerToken::new("custom"));
    let config = Config::builder()
        .auth_provider(custom.clone())
        .build()
        .unwrap();
    let provider = auth::from_config(&config, support::http());
    assert!(Arc::ptr_eq(&provider, &custom));
}
