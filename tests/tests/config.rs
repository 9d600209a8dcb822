//! `Config`: environment variables, defaults, the builder, validation errors, redaction, and the
//! HTTP client it builds. The environment is always read through a lookup map: no test touches
//! the process environment.

use camunda_sdk::config::{AuthConfig, ENV_VARS, PemSource, Secret};
use camunda_sdk::worker::{self, JobWorkerConfig};
use camunda_sdk::{Config, Error};
use httpmock::prelude::*;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::Duration;

const CLIENT_SECRET: &str = "Zx9-Qm4vT7uLr2Wb8NcKe5Hy1PaJd3Fs";
const BASIC_PASSWORD: &str = "P4ss-w0rd-7c1e9a5b2d8f";

/// A throwaway self-signed test certificate and its key (P-256), generated for these tests.
const TEST_CERT: &str = "-----BEGIN CERTIFICATE-----
MIIBizCCATGgAwIBAgIUOckHj6OR/i+TmIj79o5awb9saH0wCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPY2FtdW5kYS1ycy10ZXN0MCAXDTI2MTEyMjA5MjU0MVoYDzIx
MjYxMDI5MDkyNTQxWjAaMRgwFgYDVQQDDA9jYW11bmRhLXJzLXRlc3QwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARwKC8mC2RTs0HbI12hpLqY10xa/T6LWvdSFxUb
6n3fTB8U9WbtuDWJnrouIyuBnCrUSrl+U7/0XPu2Y/kapligo1MwUTAdBgNVHQ4E
FgQUOeADihACsfGiHGfmXI+GWaSZLAkwHwYDVR0jBBgwFoAUOeADihACsfGiHGfm
XI+GWaSZLAkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBOgej8
aB9Ykg1g7hQgdFXJvv+3dQ/o+f/K+71/GzxqiwIhAIzhrM+XC4PXdP6kf3+9X7t3
v0WSmbvJHddY8yTz9A7E
-----END CERTIFICATE-----
";
const TEST_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgN4NyjXWX+R2eZjWK
A5S2IR5LbmYP/r5v8fce0vPSEhihRANCAARwKC8mC2RTs0HbI12hpLqY10xa/T6L
WvdSFxUb6n3fTB8U9WbtuDWJnrouIyuBnCrUSrl+U7/0XPu2Y/kaplig
-----END PRIVATE KEY-----
";

type Env<'a> = &'a [(&'a str, &'a str)];

fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

fn from_env(pairs: &[(&str, &str)]) -> Result<Config, Error> {
    Config::from_env_with(lookup(pairs))
}

fn config_error(pairs: &[(&str, &str)]) -> (String, String) {
    match from_env(pairs) {
        Err(Error::Config { variable, message }) => (variable, message),
        other => panic!("expected Error::Config for {pairs:?}, got {other:?}"),
    }
}

/// A file in the temp dir, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "camunda-rs-config-test-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn defaults_when_nothing_is_set() {
    let config = from_env(&[]).unwrap();
    assert_eq!(config.rest_address(), "http://localhost:8080");
    assert!(matches!(config.auth(), AuthConfig::None));
    assert_eq!(config.auth().strategy(), "NONE");
    assert!(config.default_tenant_id().is_none());
    assert!(config.tls().is_empty());
    assert_eq!(config.request_timeout(), Duration::from_secs(30));
    assert_eq!(config.connect_timeout(), Duration::from_secs(10));
    assert_eq!(config.user_agent_suffix(), None);
    assert!(config.user_agent().starts_with("camunda-rs/"));
    assert!(!config.user_agent().contains(' '));

    let built = Config::builder().build().unwrap();
    assert_eq!(built.rest_address(), config.rest_address());
    assert_eq!(built.request_timeout(), config.request_timeout());
}

#[test]
fn empty_values_count_as_unset() {
    let config = from_env(&[
        ("CAMUNDA_REST_ADDRESS", ""),
        ("CAMUNDA_AUTH_STRATEGY", "  "),
        ("CAMUNDA_CLIENT_ID", ""),
        ("CAMUNDA_REQUEST_TIMEOUT_MS", ""),
    ])
    .unwrap();
    assert_eq!(config.rest_address(), "http://localhost:8080");
    assert!(matches!(config.auth(), AuthConfig::None));
    assert_eq!(config.request_timeout(), Duration::from_secs(30));
}

#[test]
fn rest_address_loses_trailing_slash_and_v2() {
    for (input, expected) in [
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://localhost:8080/", "http://localhost:8080"),
        ("http://localhost:8080/v2", "http://localhost:8080"),
        ("http://localhost:8080/v2/", "http://localhost:8080"),
        (
            "https://bru-2.zeebe.camunda.io/abc-123/v2",
            "https://bru-2.zeebe.camunda.io/abc-123",
        ),
        (
            "https://camunda.example.com/gateway/",
            "https://camunda.example.com/gateway",
        ),
        ("  http://10.0.0.5:8088  ", "http://10.0.0.5:8088"),
    ] {
        let config = from_env(&[("CAMUNDA_REST_ADDRESS", input)]).unwrap();
        assert_eq!(config.rest_address(), expected, "input {input:?}");
        let built = Config::builder().rest_address(input).build().unwrap();
        assert_eq!(built.rest_address(), expected, "builder input {input:?}");
    }
}

#[test]
fn zeebe_rest_address_is_an_alias_and_camunda_wins() {
    let alias = from_env(&[("ZEEBE_REST_ADDRESS", "http://zeebe:8080/v2")]).unwrap();
    assert_eq!(alias.rest_address(), "http://zeebe:8080");

    let both = from_env(&[
        ("ZEEBE_REST_ADDRESS", "http://zeebe:8080"),
        ("CAMUNDA_REST_ADDRESS", "http://camunda:8080"),
    ])
    .unwrap();
    assert_eq!(both.rest_address(), "http://camunda:8080");
}

#[test]
fn oauth_is_inferred_from_client_credentials_with_saas_defaults() {
    let config = from_env(&[
        ("CAMUNDA_CLIENT_ID", "my-client"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
    ])
    .unwrap();
    let AuthConfig::OAuth(oauth) = config.auth() else {
        panic!("expected OAuth, got {:?}", config.auth());
    };
    assert_eq!(oauth.client_id, "my-client");
    assert_eq!(oauth.client_secret.expose(), CLIENT_SECRET);
    assert_eq!(
        oauth.token_url,
        "https://login.cloud.camunda.io/oauth/token"
    );
    assert_eq!(oauth.audience, "zeebe.camunda.io");
    assert_eq!(oauth.scope, None);
}

#[test]
fn oauth_explicit_strategy_is_case_insensitive_and_reads_every_setting() {
    let config = from_env(&[
        ("CAMUNDA_AUTH_STRATEGY", "oAuth"),
        ("CAMUNDA_CLIENT_ID", "worker"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
        (
            "CAMUNDA_OAUTH_URL",
            "http://keycloak:18080/auth/realms/camunda-platform/protocol/openid-connect/token",
        ),
        ("CAMUNDA_TOKEN_AUDIENCE", "orchestration-api"),
        ("CAMUNDA_OAUTH_SCOPE", "camunda"),
    ])
    .unwrap();
    let AuthConfig::OAuth(oauth) = config.auth() else {
        panic!("expected OAuth, got {:?}", config.auth());
    };
    assert_eq!(oauth.client_id, "worker");
    assert_eq!(
        oauth.token_url,
        "http://keycloak:18080/auth/realms/camunda-platform/protocol/openid-connect/token"
    );
    assert_eq!(oauth.audience, "orchestration-api");
    assert_eq!(oauth.scope.as_deref(), Some("camunda"));
}

#[test]
fn basic_is_inferred_and_explicit() {
    let pairs = [
        ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", BASIC_PASSWORD),
    ];
    for strategy in [None, Some("BASIC"), Some("basic")] {
        let mut env = pairs.to_vec();
        if let Some(s) = strategy {
            env.push(("CAMUNDA_AUTH_STRATEGY", s));
        }
        let config = from_env(&env).unwrap();
        let AuthConfig::Basic { username, password } = config.auth() else {
            panic!("expected Basic for {strategy:?}, got {:?}", config.auth());
        };
        assert_eq!(username, "demo");
        assert_eq!(password.expose(), BASIC_PASSWORD);
    }
}

#[test]
fn oauth_wins_when_both_credential_pairs_are_present() {
    let config = from_env(&[
        ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", BASIC_PASSWORD),
        ("CAMUNDA_CLIENT_ID", "my-client"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
    ])
    .unwrap();
    assert_eq!(config.auth().strategy(), "OAUTH");

    let explicit = from_env(&[
        ("CAMUNDA_AUTH_STRATEGY", "BASIC"),
        ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", BASIC_PASSWORD),
        ("CAMUNDA_CLIENT_ID", "my-client"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
    ])
    .unwrap();
    assert_eq!(explicit.auth().strategy(), "BASIC");
}

#[test]
fn explicit_none_ignores_credentials() {
    let config = from_env(&[
        ("CAMUNDA_AUTH_STRATEGY", "NONE"),
        ("CAMUNDA_CLIENT_ID", "my-client"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
    ])
    .unwrap();
    assert!(matches!(config.auth(), AuthConfig::None));
}

#[test]
fn tenant_and_timeout_are_read() {
    let config = from_env(&[
        ("CAMUNDA_DEFAULT_TENANT_ID", "tenant-a"),
        ("CAMUNDA_REQUEST_TIMEOUT_MS", "1500"),
    ])
    .unwrap();
    assert_eq!(config.default_tenant_id().unwrap().as_str(), "tenant-a");
    assert_eq!(config.request_timeout(), Duration::from_millis(1500));

    let default_tenant = from_env(&[("CAMUNDA_DEFAULT_TENANT_ID", "<default>")]).unwrap();
    assert_eq!(
        default_tenant.default_tenant_id().unwrap().as_str(),
        "<default>"
    );
}

#[test]
fn each_bad_value_names_its_variable() {
    let missing = "/definitely/not/here/camunda-rs.pem";
    // (environment, variable named in the error, text the message must contain)
    let cases: &[(Env, &str, &str)] = &[
        (
            &[("CAMUNDA_REST_ADDRESS", "localhost:8080")],
            "CAMUNDA_REST_ADDRESS",
            "http",
        ),
        (
            &[("CAMUNDA_REST_ADDRESS", "not a url")],
            "CAMUNDA_REST_ADDRESS",
            "http",
        ),
        (
            &[("CAMUNDA_REST_ADDRESS", "ftp://files.example.com")],
            "CAMUNDA_REST_ADDRESS",
            "http",
        ),
        (
            &[("ZEEBE_REST_ADDRESS", "grpc://zeebe:26500")],
            "ZEEBE_REST_ADDRESS",
            "http",
        ),
        (
            &[("CAMUNDA_AUTH_STRATEGY", "KERBEROS")],
            "CAMUNDA_AUTH_STRATEGY",
            "NONE, BASIC or OAUTH",
        ),
        (
            &[
                ("CAMUNDA_AUTH_STRATEGY", "OAUTH"),
                ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
            ],
            "CAMUNDA_CLIENT_ID",
            "required",
        ),
        (
            &[
                ("CAMUNDA_AUTH_STRATEGY", "OAUTH"),
                ("CAMUNDA_CLIENT_ID", "my-client"),
            ],
            "CAMUNDA_CLIENT_SECRET",
            "required",
        ),
        (
            &[("CAMUNDA_CLIENT_ID", "my-client")],
            "CAMUNDA_CLIENT_SECRET",
            "CAMUNDA_CLIENT_ID is set",
        ),
        (
            &[
                ("CAMUNDA_AUTH_STRATEGY", "BASIC"),
                ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
            ],
            "CAMUNDA_BASIC_AUTH_PASSWORD",
            "required",
        ),
        (
            &[("CAMUNDA_BASIC_AUTH_PASSWORD", BASIC_PASSWORD)],
            "CAMUNDA_BASIC_AUTH_USERNAME",
            "CAMUNDA_BASIC_AUTH_PASSWORD is set",
        ),
        (
            &[
                ("CAMUNDA_CLIENT_ID", "my-client"),
                ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
                ("CAMUNDA_OAUTH_URL", "login.example.com/token"),
            ],
            "CAMUNDA_OAUTH_URL",
            "http",
        ),
        (
            &[("CAMUNDA_REQUEST_TIMEOUT_MS", "30s")],
            "CAMUNDA_REQUEST_TIMEOUT_MS",
            "milliseconds",
        ),
        (
            &[("CAMUNDA_REQUEST_TIMEOUT_MS", "0")],
            "CAMUNDA_REQUEST_TIMEOUT_MS",
            "positive",
        ),
        (
            &[("CAMUNDA_REQUEST_TIMEOUT_MS", "-5")],
            "CAMUNDA_REQUEST_TIMEOUT_MS",
            "milliseconds",
        ),
        (
            &[("CAMUNDA_DEFAULT_TENANT_ID", "tenant with spaces")],
            "CAMUNDA_DEFAULT_TENANT_ID",
            "tenant id",
        ),
        (
            &[(
                "CAMUNDA_DEFAULT_TENANT_ID",
                "a-tenant-id-that-is-far-too-long-to-be-valid",
            )],
            "CAMUNDA_DEFAULT_TENANT_ID",
            "tenant id",
        ),
        (
            &[
                ("CAMUNDA_MTLS_CERT_PATH", missing),
                ("CAMUNDA_MTLS_KEY", TEST_KEY),
            ],
            "CAMUNDA_MTLS_CERT_PATH",
            "cannot read",
        ),
        (
            &[
                ("CAMUNDA_MTLS_CERT", TEST_CERT),
                ("CAMUNDA_MTLS_KEY_PATH", missing),
            ],
            "CAMUNDA_MTLS_KEY_PATH",
            "cannot read",
        ),
        (
            &[("CAMUNDA_MTLS_CA_PATH", missing)],
            "CAMUNDA_MTLS_CA_PATH",
            "cannot read",
        ),
        (
            &[("CAMUNDA_MTLS_CA", "not pem at all")],
            "CAMUNDA_MTLS_CA",
            "PEM",
        ),
        (
            &[("CAMUNDA_MTLS_CERT", TEST_CERT)],
            "CAMUNDA_MTLS_CERT",
            "private key",
        ),
        (
            &[("CAMUNDA_MTLS_KEY", TEST_KEY)],
            "CAMUNDA_MTLS_KEY",
            "certificate",
        ),
    ];
    for (env, variable, expectation) in cases {
        let (got_variable, message) = config_error(env);
        assert_eq!(&got_variable, variable, "env {env:?}: {message}");
        assert!(
            message.contains(expectation),
            "env {env:?}: message {message:?} should mention {expectation:?}"
        );
        assert!(!message.contains(CLIENT_SECRET) && !message.contains(BASIC_PASSWORD));
        let display = Error::Config {
            variable: got_variable,
            message,
        }
        .to_string();
        assert!(display.contains(variable), "{display}");
    }
}

#[test]
fn builder_overrides_env() {
    let env = lookup(&[
        ("CAMUNDA_REST_ADDRESS", "http://from-env:8080"),
        ("CAMUNDA_CLIENT_ID", "env-client"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
        ("CAMUNDA_DEFAULT_TENANT_ID", "env-tenant"),
        ("CAMUNDA_REQUEST_TIMEOUT_MS", "1000"),
    ]);
    let config = Config::builder()
        .from_env_with(env)
        .rest_address("http://from-code:9090/v2")
        .basic("code-user", BASIC_PASSWORD)
        .default_tenant_id("code-tenant")
        .request_timeout(Duration::from_secs(5))
        .connect_timeout(Duration::from_secs(2))
        .user_agent_suffix("my-app/1.2")
        .build()
        .unwrap();
    assert_eq!(config.rest_address(), "http://from-code:9090");
    let AuthConfig::Basic { username, .. } = config.auth() else {
        panic!("expected Basic, got {:?}", config.auth());
    };
    assert_eq!(username, "code-user");
    assert_eq!(config.default_tenant_id().unwrap().as_str(), "code-tenant");
    assert_eq!(config.request_timeout(), Duration::from_secs(5));
    assert_eq!(config.connect_timeout(), Duration::from_secs(2));
    assert_eq!(config.user_agent_suffix(), Some("my-app/1.2"));
    assert!(config.user_agent().ends_with(" my-app/1.2"));

    // Settings the code does not touch still come from the environment.
    let partial = Config::builder()
        .from_env_with(lookup(&[
            ("CAMUNDA_REST_ADDRESS", "http://from-env:8080"),
            ("CAMUNDA_CLIENT_ID", "env-client"),
            ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
        ]))
        .oauth_url("http://idp.local/token")
        .scope("camunda")
        .build()
        .unwrap();
    assert_eq!(partial.rest_address(), "http://from-env:8080");
    let AuthConfig::OAuth(oauth) = partial.auth() else {
        panic!("expected OAuth, got {:?}", partial.auth());
    };
    assert_eq!(oauth.client_id, "env-client");
    assert_eq!(oauth.token_url, "http://idp.local/token");
    assert_eq!(oauth.scope.as_deref(), Some("camunda"));
}

#[test]
fn a_bad_env_value_replaced_in_code_is_not_an_error() {
    let config = Config::builder()
        .from_env_with(lookup(&[
            ("CAMUNDA_REST_ADDRESS", "not a url"),
            ("CAMUNDA_AUTH_STRATEGY", "KERBEROS"),
            ("CAMUNDA_REQUEST_TIMEOUT_MS", "soon"),
        ]))
        .rest_address("http://ok:8080")
        .no_auth()
        .request_timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    assert_eq!(config.rest_address(), "http://ok:8080");
    assert!(matches!(config.auth(), AuthConfig::None));
    assert_eq!(config.request_timeout(), Duration::from_secs(3));

    // ...but the environment applied after the code wins again.
    let err = Config::builder()
        .rest_address("http://ok:8080")
        .from_env_with(lookup(&[("CAMUNDA_REST_ADDRESS", "not a url")]))
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::Config { variable, .. } if variable == "CAMUNDA_REST_ADDRESS"),
        "{err:?}"
    );
}

#[test]
fn builder_errors_are_reported_by_build_and_name_the_setter() {
    let cases: Vec<(camunda_sdk::ConfigBuilder, &str)> = vec![
        (Config::builder().rest_address("nope"), "rest_address"),
        (
            Config::builder().default_tenant_id("bad tenant!"),
            "default_tenant_id",
        ),
        (
            Config::builder().request_timeout(Duration::ZERO),
            "request_timeout",
        ),
        (
            Config::builder().connect_timeout(Duration::ZERO),
            "connect_timeout",
        ),
        (
            Config::builder()
                .oauth("id", CLIENT_SECRET)
                .oauth_url("ftp://x"),
            "oauth_url",
        ),
        (Config::builder().bearer_token(""), "bearer_token"),
        (Config::builder().bearer_token("a\nb"), "bearer_token"),
        (Config::builder().mtls_cert_pem(TEST_CERT), "mtls_cert"),
        (
            Config::builder().user_agent_suffix("bad\nsuffix"),
            "user_agent_suffix",
        ),
    ];
    for (builder, setter) in cases {
        match builder.build() {
            Err(Error::Config { variable, message }) => {
                assert_eq!(variable, setter, "{message}");
                assert!(!message.is_empty());
            }
            other => panic!("{setter}: expected Error::Config, got {other:?}"),
        }
    }
}

#[test]
fn builder_strategies() {
    let bearer = Config::builder().bearer_token("eyJ.token").build().unwrap();
    assert!(matches!(bearer.auth(), AuthConfig::Bearer(t) if t.expose() == "eyJ.token"));

    let oauth = Config::builder()
        .oauth("id", CLIENT_SECRET)
        .audience("")
        .build()
        .unwrap();
    let AuthConfig::OAuth(o) = oauth.auth() else {
        panic!("expected OAuth");
    };
    assert_eq!(o.audience, "", "an empty audience is kept: none is sent");

    let none = Config::builder()
        .from_env_with(lookup(&[
            ("CAMUNDA_CLIENT_ID", "id"),
            ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
        ]))
        .no_auth()
        .build()
        .unwrap();
    assert!(matches!(none.auth(), AuthConfig::None));

    let provider: std::sync::Arc<dyn camunda_sdk::auth::AuthProvider> =
        std::sync::Arc::new(camunda_sdk::auth::NoAuth);
    let custom = Config::builder()
        .auth_provider(provider.clone())
        .build()
        .unwrap();
    let AuthConfig::Custom(p) = custom.auth() else {
        panic!("expected Custom");
    };
    assert!(std::sync::Arc::ptr_eq(p, &provider));
}

#[test]
fn debug_never_shows_secrets() {
    let env = lookup(&[
        ("CAMUNDA_CLIENT_ID", "my-client"),
        ("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET),
        ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
        ("CAMUNDA_BASIC_AUTH_PASSWORD", BASIC_PASSWORD),
        ("CAMUNDA_MTLS_CERT", TEST_CERT),
        ("CAMUNDA_MTLS_KEY", TEST_KEY),
    ]);
    let builder = Config::builder().from_env_with(env);
    let oauth = builder.clone().build().unwrap();
    let basic = builder
        .clone()
        .basic("demo", BASIC_PASSWORD)
        .build()
        .unwrap();
    let bearer = Config::builder()
        .bearer_token(CLIENT_SECRET)
        .build()
        .unwrap();
    let key_body = TEST_KEY.lines().nth(1).unwrap();

    for text in [
        format!("{builder:?}"),
        format!("{oauth:?}"),
        format!("{oauth:#?}"),
        format!("{basic:?}"),
        format!("{bearer:?}"),
        format!("{:?}", oauth.auth()),
        format!("{:?}", oauth.tls()),
    ] {
        assert!(!text.contains(CLIENT_SECRET), "client secret in {text}");
        assert!(!text.contains(BASIC_PASSWORD), "password in {text}");
        assert!(!text.contains(key_body), "private key in {text}");
    }
    let oauth_debug = format!("{oauth:?}");
    assert!(oauth_debug.contains("my-client"), "{oauth_debug}");
    assert!(oauth_debug.contains("***"), "{oauth_debug}");
    assert!(format!("{basic:?}").contains("demo"));
}

#[test]
fn secret_display_and_debug_are_redacted() {
    let secret = Secret::new(CLIENT_SECRET);
    assert_eq!(secret.to_string(), "***");
    assert_eq!(format!("{secret:?}"), "***");
    assert_eq!(format!("{secret:#?}"), "***");
    assert_eq!(secret.expose(), CLIENT_SECRET);
    assert_eq!(Secret::from(String::from("x")).expose(), "x");
}

#[test]
fn env_vars_table_lists_exactly_the_variables_read() {
    let asked = RefCell::new(BTreeSet::new());
    let _ = Config::from_env_with(|name| {
        asked.borrow_mut().insert(name.to_owned());
        None
    });
    // Inline and path variables are asked in turn; ask with everything set too, so that
    // nothing read only in some branch is missed.
    let all: HashMap<&str, &str> = ENV_VARS.iter().map(|(n, _, _)| (*n, "x")).collect();
    let _ = Config::from_env_with(|name| {
        asked.borrow_mut().insert(name.to_owned());
        all.get(name).map(|v| v.to_string())
    });
    let table: BTreeSet<String> = ENV_VARS.iter().map(|(n, _, _)| n.to_string()).collect();
    assert_eq!(asked.into_inner(), table);
    for (name, _, meaning) in ENV_VARS {
        assert!(name.starts_with("CAMUNDA_") || name.starts_with("ZEEBE_"));
        assert!(!meaning.is_empty(), "{name} has no meaning");
    }
    let defaults: HashMap<&str, &str> = ENV_VARS.iter().map(|(n, d, _)| (*n, *d)).collect();
    assert_eq!(defaults["CAMUNDA_REST_ADDRESS"], "http://localhost:8080");
    assert_eq!(defaults["CAMUNDA_REQUEST_TIMEOUT_MS"], "30000");
}

#[test]
fn worker_env_vars_list_exactly_the_variables_read_with_their_defaults() {
    let asked = RefCell::new(BTreeSet::new());
    JobWorkerConfig::from_lookup("t", |name| {
        asked.borrow_mut().insert(name.to_owned());
        None
    })
    .unwrap();
    // Set, each value is parsed: the defaults the list gives must be the ones `new` has.
    let set: HashMap<&str, &str> = worker::ENV_VARS
        .iter()
        .filter(|(_, d, _)| !d.is_empty())
        .map(|(n, d, _)| (*n, *d))
        .collect();
    let from_defaults = JobWorkerConfig::from_lookup("t", |name| {
        asked.borrow_mut().insert(name.to_owned());
        set.get(name).map(|v| v.to_string())
    })
    .unwrap();
    let listed: BTreeSet<String> = worker::ENV_VARS
        .iter()
        .map(|(n, _, _)| n.to_string())
        .collect();
    assert_eq!(asked.into_inner(), listed);
    assert_eq!(
        format!("{from_defaults:?}"),
        format!("{:?}", JobWorkerConfig::new("t"))
    );
    for (name, _, meaning) in worker::ENV_VARS {
        assert!(name.starts_with("CAMUNDA_WORKER_"), "{name}");
        assert!(!meaning.is_empty(), "{name} has no meaning");
    }
}

/// The README's configuration table has one row per variable the client or a worker reads, in
/// the lists' order, with the lists' default and meaning, and no other rows.
#[test]
fn readme_configuration_table_matches_the_variables_read() {
    let readme = include_str!("../../README.md");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Configuration\n"))
        .expect("README has a Configuration section");
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `")).collect();
    let expected: Vec<String> = ENV_VARS
        .iter()
        .chain(worker::ENV_VARS)
        .map(|(name, default, meaning)| {
            let default = if default.is_empty() {
                "—".to_owned()
            } else {
                format!("`{default}`")
            };
            format!("| `{name}` | {default} | {meaning} |")
        })
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn mtls_from_inline_pem_and_files_builds_a_client() {
    let inline = from_env(&[
        ("CAMUNDA_REST_ADDRESS", "https://camunda.example.com"),
        ("CAMUNDA_MTLS_CERT", TEST_CERT),
        ("CAMUNDA_MTLS_KEY", TEST_KEY),
        ("CAMUNDA_MTLS_CA", TEST_CERT),
    ])
    .unwrap();
    assert!(matches!(
        inline.tls().client_cert().unwrap().source(),
        PemSource::Inline(_)
    ));
    inline.http_client().unwrap();

    // Environments that cannot hold line breaks pass `\n` escapes.
    let escaped = from_env(&[
        ("CAMUNDA_MTLS_CERT", &TEST_CERT.replace('\n', "\\n")),
        ("CAMUNDA_MTLS_KEY", &TEST_KEY.replace('\n', "\\n")),
    ])
    .unwrap();
    assert_eq!(
        escaped.tls().client_key().unwrap().contents(),
        TEST_KEY.as_bytes()
    );
    escaped.http_client().unwrap();

    let cert = TempFile::new("cert.pem", TEST_CERT);
    let key = TempFile::new("key.pem", TEST_KEY);
    let from_files = from_env(&[
        ("CAMUNDA_MTLS_CERT_PATH", cert.path()),
        ("CAMUNDA_MTLS_KEY_PATH", key.path()),
        ("CAMUNDA_MTLS_CA_PATH", cert.path()),
    ])
    .unwrap();
    assert_eq!(
        from_files.tls().client_key().unwrap().source(),
        &PemSource::File(key.0.clone())
    );
    assert_eq!(
        from_files.tls().client_cert().unwrap().contents(),
        TEST_CERT.as_bytes()
    );
    from_files.http_client().unwrap();

    let builder = Config::builder()
        .mtls_cert_path(&cert.0)
        .mtls_key_pem(TEST_KEY)
        .mtls_ca_pem(TEST_CERT)
        .build()
        .unwrap();
    builder.http_client().unwrap();
}

#[test]
fn malformed_pem_fails_when_the_client_is_built() {
    let garbage = "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n";
    let config = from_env(&[("CAMUNDA_MTLS_CA", garbage)]).unwrap();
    match config.http_client() {
        Err(Error::Config { variable, .. }) => assert_eq!(variable, "CAMUNDA_MTLS_CA"),
        other => panic!("expected Error::Config, got {other:?}"),
    }
}

#[tokio::test]
async fn http_client_sends_the_user_agent() {
    let server = MockServer::start_async().await;
    let config = Config::builder()
        .rest_address(server.base_url())
        .user_agent_suffix("my-worker/0.3")
        .build()
        .unwrap();
    let expected = config.user_agent();
    assert!(expected.starts_with("camunda-rs/") && expected.ends_with(" my-worker/0.3"));
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/topology")
                .header("user-agent", expected.as_str());
            then.status(200).body("{}");
        })
        .await;
    let response = config
        .http_client()
        .unwrap()
        .get(format!("{}/v2/topology", config.rest_address()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(mock.calls_async().await, 1);
}
