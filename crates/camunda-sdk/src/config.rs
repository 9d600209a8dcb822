//! Client configuration: from `CAMUNDA_*` environment variables, a typed builder, or both.
//!
//! The environment variables are the ones the official Camunda SDKs read (see [`ENV_VARS`]), so
//! the same deployment settings work for Java, Node, Python and Rust workers alike.
//!
//! - [`Config::from_env`] reads the process environment.
//! - [`Config::builder`] starts from defaults; [`ConfigBuilder::from_env`] starts from the
//!   environment, and every setter called afterwards wins over it.
//! - Every value is validated in [`ConfigBuilder::build`]; a bad one is an
//!   [`Error::Config`] whose `variable` names the environment variable (or the builder setter)
//!   at fault and whose message says what is expected.
//!
//! Secrets (client secret, basic password, bearer token, inline private keys) are held in
//! [`Secret`] and never appear in `Debug` or `Display` output.

use crate::auth::AuthProvider;
use crate::error::Error;
use crate::keys::TenantId;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Default cluster address when neither `CAMUNDA_REST_ADDRESS` nor `ZEEBE_REST_ADDRESS` is set.
pub const DEFAULT_REST_ADDRESS: &str = "http://localhost:8080";
/// Default OAuth token endpoint (Camunda SaaS).
pub const DEFAULT_OAUTH_URL: &str = "https://login.cloud.camunda.io/oauth/token";
/// Default OAuth audience (Camunda SaaS).
pub const DEFAULT_TOKEN_AUDIENCE: &str = "zeebe.camunda.io";
/// Default per-request timeout.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default TCP/TLS connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The environment variables [`Config::from_env`] reads: `(name, default, meaning)`.
///
/// An empty value counts as unset.
pub const ENV_VARS: &[(&str, &str, &str)] = &[
    (
        "CAMUNDA_REST_ADDRESS",
        DEFAULT_REST_ADDRESS,
        "Cluster REST address (http or https). A trailing `/` or `/v2` is removed; the client adds `/v2` itself.",
    ),
    (
        "ZEEBE_REST_ADDRESS",
        "",
        "Alias of CAMUNDA_REST_ADDRESS, read only when CAMUNDA_REST_ADDRESS is not set.",
    ),
    (
        "CAMUNDA_AUTH_STRATEGY",
        "inferred",
        "NONE, BASIC or OAUTH (case-insensitive). When unset: OAUTH if client id and secret are set, else BASIC if username and password are set, else NONE.",
    ),
    (
        "CAMUNDA_CLIENT_ID",
        "",
        "OAuth client id (required for OAUTH).",
    ),
    (
        "CAMUNDA_CLIENT_SECRET",
        "",
        "OAuth client secret (required for OAUTH).",
    ),
    (
        "CAMUNDA_OAUTH_URL",
        DEFAULT_OAUTH_URL,
        "OAuth token endpoint (client credentials grant).",
    ),
    (
        "CAMUNDA_TOKEN_AUDIENCE",
        DEFAULT_TOKEN_AUDIENCE,
        "OAuth audience sent to the token endpoint.",
    ),
    (
        "CAMUNDA_OAUTH_SCOPE",
        "",
        "OAuth scope sent to the token endpoint (not sent when unset).",
    ),
    (
        "CAMUNDA_BASIC_AUTH_USERNAME",
        "",
        "Username for BASIC authentication.",
    ),
    (
        "CAMUNDA_BASIC_AUTH_PASSWORD",
        "",
        "Password for BASIC authentication.",
    ),
    (
        "CAMUNDA_DEFAULT_TENANT_ID",
        "",
        "Tenant id added to requests that take one when the call does not name a tenant.",
    ),
    (
        "CAMUNDA_MTLS_CERT",
        "",
        "mTLS client certificate chain, inline PEM, `\\n` escapes allowed (wins over CAMUNDA_MTLS_CERT_PATH).",
    ),
    (
        "CAMUNDA_MTLS_CERT_PATH",
        "",
        "mTLS client certificate chain, path to a PEM file.",
    ),
    (
        "CAMUNDA_MTLS_KEY",
        "",
        "mTLS client private key, inline PEM, `\\n` escapes allowed (wins over CAMUNDA_MTLS_KEY_PATH).",
    ),
    (
        "CAMUNDA_MTLS_KEY_PATH",
        "",
        "mTLS client private key, path to a PEM file.",
    ),
    (
        "CAMUNDA_MTLS_CA",
        "",
        "Extra CA certificate(s) to trust, inline PEM, `\\n` escapes allowed (wins over CAMUNDA_MTLS_CA_PATH).",
    ),
    (
        "CAMUNDA_MTLS_CA_PATH",
        "",
        "Extra CA certificate(s) to trust, path to a PEM file.",
    ),
    (
        "CAMUNDA_REQUEST_TIMEOUT_MS",
        "30000",
        "Timeout of each HTTP request in milliseconds (per request, not per operation).",
    ),
];

// ---------------------------------------------------------------------------------------------
// Secret
// ---------------------------------------------------------------------------------------------

/// A string that must not be logged: `Debug` and `Display` print `***`.
///
/// ```
/// let s = camunda_sdk::config::Secret::new("hunter2");
/// assert_eq!(s.to_string(), "***");
/// assert_eq!(format!("{s:?}"), "***");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

// ---------------------------------------------------------------------------------------------
// Auth and TLS settings
// ---------------------------------------------------------------------------------------------

/// OAuth 2.0 client-credentials settings.
///
/// `Debug` shows the client id and URLs but never the secret.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct OAuthConfig {
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// The token endpoint, default [`DEFAULT_OAUTH_URL`].
    pub token_url: String,
    /// The audience sent to the token endpoint, default [`DEFAULT_TOKEN_AUDIENCE`]; an empty
    /// string means no `audience` parameter is sent.
    pub audience: String,
    /// The scope sent to the token endpoint, if any.
    pub scope: Option<String>,
}

impl OAuthConfig {
    /// Client credentials with the default token URL and audience and no scope.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        OAuthConfig {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            token_url: DEFAULT_OAUTH_URL.to_owned(),
            audience: DEFAULT_TOKEN_AUDIENCE.to_owned(),
            scope: None,
        }
    }

    /// Sets the token endpoint.
    pub fn with_token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = url.into();
        self
    }

    /// Sets the audience (empty: none is sent).
    pub fn with_audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = audience.into();
        self
    }

    /// Sets the scope.
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }
}

/// How the client authenticates. `Debug` never shows secrets.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum AuthConfig {
    /// No `Authorization` header (a local cluster without authentication).
    None,
    /// HTTP basic authentication.
    Basic {
        /// The username.
        username: String,
        /// The password.
        password: Secret,
    },
    /// A static bearer token (you refresh it yourself).
    Bearer(Secret),
    /// OAuth 2.0 client credentials; tokens are fetched, cached and refreshed.
    OAuth(OAuthConfig),
    /// Your own [`AuthProvider`].
    Custom(Arc<dyn AuthProvider>),
}

impl AuthConfig {
    /// The strategy name as in `CAMUNDA_AUTH_STRATEGY` (`NONE`, `BASIC`, `OAUTH`), or `BEARER` /
    /// `CUSTOM` for the builder-only strategies.
    pub fn strategy(&self) -> &'static str {
        match self {
            AuthConfig::None => "NONE",
            AuthConfig::Basic { .. } => "BASIC",
            AuthConfig::Bearer(_) => "BEARER",
            AuthConfig::OAuth(_) => "OAUTH",
            AuthConfig::Custom(_) => "CUSTOM",
        }
    }
}

/// Where a PEM document comes from: inline text or a file.
///
/// `Debug` shows the file path, or only the length of inline PEM (it may be a private key).
#[derive(Clone, PartialEq, Eq)]
pub enum PemSource {
    /// The PEM text itself.
    Inline(String),
    /// A file holding the PEM text.
    File(PathBuf),
}

impl fmt::Debug for PemSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PemSource::Inline(s) => write!(f, "Inline(<{} bytes>)", s.len()),
            PemSource::File(p) => f.debug_tuple("File").field(p).finish(),
        }
    }
}

/// A PEM document that has been read and checked.
#[derive(Clone)]
pub struct Pem {
    source: PemSource,
    contents: Arc<[u8]>,
}

impl Pem {
    /// Where the document came from.
    pub fn source(&self) -> &PemSource {
        &self.source
    }

    /// The PEM bytes.
    pub fn contents(&self) -> &[u8] {
        &self.contents
    }

    fn load(source: PemSource, variable: &str) -> Result<Pem, Error> {
        let contents: Vec<u8> = match &source {
            PemSource::Inline(s) => s.as_bytes().to_vec(),
            PemSource::File(p) => std::fs::read(p).map_err(|e| {
                Error::config(
                    variable,
                    format!("cannot read PEM file {}: {e}", p.display()),
                )
            })?,
        };
        if !contents.windows(11).any(|w| w == b"-----BEGIN ") {
            return Err(Error::config(
                variable,
                "expected PEM text (a `-----BEGIN ...-----` block)",
            ));
        }
        Ok(Pem {
            source,
            contents: contents.into(),
        })
    }
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.source.fmt(f)
    }
}

/// TLS settings beyond the platform defaults: an mTLS client identity and extra trusted CAs.
#[derive(Clone, Debug, Default)]
pub struct TlsConfig {
    client_cert: Option<Pem>,
    client_key: Option<Pem>,
    ca_cert: Option<Pem>,
}

impl TlsConfig {
    /// The mTLS client certificate chain.
    pub fn client_cert(&self) -> Option<&Pem> {
        self.client_cert.as_ref()
    }

    /// The mTLS client private key.
    pub fn client_key(&self) -> Option<&Pem> {
        self.client_key.as_ref()
    }

    /// Extra CA certificate(s) trusted in addition to the platform's roots.
    pub fn ca_cert(&self) -> Option<&Pem> {
        self.ca_cert.as_ref()
    }

    /// Whether anything is configured.
    pub fn is_empty(&self) -> bool {
        self.client_cert.is_none() && self.client_key.is_none() && self.ca_cert.is_none()
    }
}

// ---------------------------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------------------------

/// Client configuration. Build it with [`Config::from_env`] or [`Config::builder`].
///
/// Fields are read through getters. `Debug` never shows secrets.
#[derive(Clone, Debug)]
pub struct Config {
    rest_address: String,
    auth: AuthConfig,
    default_tenant_id: Option<TenantId>,
    tls: TlsConfig,
    request_timeout: Duration,
    connect_timeout: Duration,
    user_agent_suffix: Option<String>,
}

impl Config {
    /// Reads the configuration from the process environment (see [`ENV_VARS`]).
    pub fn from_env() -> Result<Config, Error> {
        ConfigBuilder::default().from_env().build()
    }

    /// Reads the configuration through `lookup`, which maps a variable name to its value.
    ///
    /// ```
    /// use std::collections::HashMap;
    /// let env = HashMap::from([("CAMUNDA_REST_ADDRESS", "https://camunda.example.com/v2/")]);
    /// let config = camunda_sdk::Config::from_env_with(|k| env.get(k).map(|v| v.to_string()))?;
    /// assert_eq!(config.rest_address(), "https://camunda.example.com");
    /// # Ok::<_, camunda_sdk::Error>(())
    /// ```
    pub fn from_env_with(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, Error> {
        ConfigBuilder::default().from_env_with(lookup).build()
    }

    /// A builder starting from the defaults (not the environment; call
    /// [`ConfigBuilder::from_env`] for that).
    ///
    /// ```
    /// use std::time::Duration;
    /// use camunda_sdk::Config;
    ///
    /// let config = Config::builder()
    ///     .rest_address("https://bru-2.zeebe.camunda.io/my-cluster-id")
    ///     .oauth("my-client-id", "my-client-secret")
    ///     .default_tenant_id("tenant-a")
    ///     .request_timeout(Duration::from_secs(10))
    ///     .build()?;
    /// assert_eq!(config.auth().strategy(), "OAUTH");
    /// assert!(!format!("{config:?}").contains("my-client-secret"));
    /// # Ok::<_, camunda_sdk::Error>(())
    /// ```
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The cluster address without a trailing `/` or `/v2`, e.g. `http://localhost:8080`.
    pub fn rest_address(&self) -> &str {
        &self.rest_address
    }

    /// How the client authenticates.
    pub fn auth(&self) -> &AuthConfig {
        &self.auth
    }

    /// The tenant used when a call that takes a tenant does not name one.
    pub fn default_tenant_id(&self) -> Option<&TenantId> {
        self.default_tenant_id.as_ref()
    }

    /// mTLS identity and extra CAs.
    pub fn tls(&self) -> &TlsConfig {
        &self.tls
    }

    /// The timeout of each HTTP request (default 30 s). Long-polling requests may extend it by
    /// their own request timeout.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// The TCP/TLS connect timeout (default 10 s).
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Text appended to the user agent, if any.
    pub fn user_agent_suffix(&self) -> Option<&str> {
        self.user_agent_suffix.as_deref()
    }

    /// The `User-Agent` header: `camunda-rs/<version>`, plus the suffix.
    pub fn user_agent(&self) -> String {
        let base = concat!("camunda-rs/", env!("CARGO_PKG_VERSION"));
        match &self.user_agent_suffix {
            Some(s) => format!("{base} {s}"),
            None => base.to_owned(),
        }
    }

    /// Builds the HTTP client the SDK uses: connect timeout, user agent, connection pool and
    /// mTLS settings from this configuration, and **no total timeout** (long polling must be
    /// able to wait; the SDK sets a timeout on each request).
    pub fn http_client(&self) -> Result<reqwest::Client, Error> {
        let builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent())
            .pool_idle_timeout(Duration::from_secs(90))
            // No cap on idle connections per host: a worker with 256 jobs in flight keeps that
            // many connections busy, and a cap of 32 closed and reopened the rest on every
            // completion (1,950 connections for 20,000 jobs in the benchmark, 66 without).
            .tcp_keepalive(Duration::from_secs(60));
        let builder = self.apply_tls(builder)?;
        builder.build().map_err(|e| {
            Error::config(
                self.tls_variable(),
                format!("cannot build the HTTP client: {e}"),
            )
        })
    }

    fn tls_variable(&self) -> &'static str {
        if self.tls.client_cert.is_some() {
            "CAMUNDA_MTLS_CERT"
        } else if self.tls.ca_cert.is_some() {
            "CAMUNDA_MTLS_CA"
        } else {
            "http_client"
        }
    }

    #[cfg(feature = "rustls")]
    fn apply_tls(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
        Ok(builder.tls_backend_preconfigured(crate::tls::client_config(&self.tls)?))
    }

    #[cfg(not(feature = "rustls"))]
    fn apply_tls(&self, builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
        if self.tls.is_empty() {
            Ok(builder)
        } else {
            Err(Error::config(
                self.tls_variable(),
                "TLS settings need the `rustls` feature of camunda-sdk",
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Builder
// ---------------------------------------------------------------------------------------------

/// A value and where it came from (an environment variable or a builder setter), so that
/// validation errors name the right one.
#[derive(Clone)]
struct Setting<T> {
    value: T,
    origin: &'static str,
}

impl<T> Setting<T> {
    fn new(value: T, origin: &'static str) -> Self {
        Setting { value, origin }
    }
}

#[derive(Clone, Debug)]
enum Strategy {
    /// `CAMUNDA_AUTH_STRATEGY`, validated in `build`.
    Env(Setting<String>),
    /// Chosen in code.
    None,
    Basic,
    OAuth,
    Bearer(Secret),
    Custom(Arc<dyn AuthProvider>),
}

impl<T: fmt::Debug> fmt::Debug for Setting<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} (from {})", self.value, self.origin)
    }
}

/// Builds a [`Config`]; see [`Config::builder`].
///
/// Setters never fail: every value is checked in [`build`](ConfigBuilder::build). Setters called
/// after [`from_env`](ConfigBuilder::from_env) win over the environment, and a bad environment
/// value that a setter replaces is not an error.
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    rest_address: Option<Setting<String>>,
    strategy: Option<Strategy>,
    client_id: Option<Setting<String>>,
    client_secret: Option<Setting<Secret>>,
    oauth_url: Option<Setting<String>>,
    audience: Option<Setting<String>>,
    scope: Option<Setting<String>>,
    basic_username: Option<Setting<String>>,
    basic_password: Option<Setting<Secret>>,
    default_tenant_id: Option<Setting<String>>,
    mtls_cert: Option<Setting<PemSource>>,
    mtls_key: Option<Setting<PemSource>>,
    mtls_ca: Option<Setting<PemSource>>,
    request_timeout: Option<Setting<String>>,
    request_timeout_code: Option<Duration>,
    connect_timeout: Option<Duration>,
    user_agent_suffix: Option<String>,
}

impl ConfigBuilder {
    /// Takes every `CAMUNDA_*` variable that is set in the process environment (see
    /// [`ENV_VARS`]); setters called afterwards win.
    #[allow(clippy::wrong_self_convention)]
    pub fn from_env(self) -> Self {
        self.from_env_with(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](ConfigBuilder::from_env), reading variables through `lookup`.
    #[allow(clippy::wrong_self_convention)]
    pub fn from_env_with(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let get = |name: &'static str| -> Option<Setting<String>> {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .map(|v| Setting::new(v, name))
        };
        let pem = |inline: &'static str, path: &'static str| -> Option<Setting<PemSource>> {
            // Inline PEM keeps its line breaks: look it up untrimmed. Where an environment
            // cannot hold line breaks, `\n` escapes stand in for them.
            if let Some(v) = lookup(inline).filter(|v| !v.trim().is_empty()) {
                let v = if v.contains('\n') {
                    v
                } else {
                    v.replace("\\n", "\n")
                };
                return Some(Setting::new(PemSource::Inline(v), inline));
            }
            get(path).map(|s| Setting::new(PemSource::File(PathBuf::from(s.value)), path))
        };

        if let Some(s) = get("CAMUNDA_REST_ADDRESS").or_else(|| get("ZEEBE_REST_ADDRESS")) {
            self.rest_address = Some(s);
        }
        if let Some(s) = get("CAMUNDA_AUTH_STRATEGY") {
            self.strategy = Some(Strategy::Env(s));
        }
        macro_rules! take {
            ($field:ident, $var:literal) => {
                if let Some(s) = get($var) {
                    self.$field = Some(s);
                }
            };
        }
        take!(client_id, "CAMUNDA_CLIENT_ID");
        take!(oauth_url, "CAMUNDA_OAUTH_URL");
        take!(audience, "CAMUNDA_TOKEN_AUDIENCE");
        take!(scope, "CAMUNDA_OAUTH_SCOPE");
        take!(basic_username, "CAMUNDA_BASIC_AUTH_USERNAME");
        take!(default_tenant_id, "CAMUNDA_DEFAULT_TENANT_ID");
        if let Some(s) = get("CAMUNDA_CLIENT_SECRET") {
            self.client_secret = Some(Setting::new(Secret(s.value), s.origin));
        }
        if let Some(s) = get("CAMUNDA_BASIC_AUTH_PASSWORD") {
            self.basic_password = Some(Setting::new(Secret(s.value), s.origin));
        }
        if let Some(s) = get("CAMUNDA_REQUEST_TIMEOUT_MS") {
            self.request_timeout = Some(s);
            self.request_timeout_code = None;
        }
        if let Some(s) = pem("CAMUNDA_MTLS_CERT", "CAMUNDA_MTLS_CERT_PATH") {
            self.mtls_cert = Some(s);
        }
        if let Some(s) = pem("CAMUNDA_MTLS_KEY", "CAMUNDA_MTLS_KEY_PATH") {
            self.mtls_key = Some(s);
        }
        if let Some(s) = pem("CAMUNDA_MTLS_CA", "CAMUNDA_MTLS_CA_PATH") {
            self.mtls_ca = Some(s);
        }
        self
    }

    /// The cluster address, e.g. `https://camunda.example.com` (a trailing `/v2` is removed).
    pub fn rest_address(mut self, address: impl Into<String>) -> Self {
        self.rest_address = Some(Setting::new(address.into(), "rest_address"));
        self
    }

    /// OAuth client credentials; selects the OAUTH strategy.
    pub fn oauth(mut self, client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        self.client_id = Some(Setting::new(client_id.into(), "oauth"));
        self.client_secret = Some(Setting::new(client_secret.into(), "oauth"));
        self.strategy = Some(Strategy::OAuth);
        self
    }

    /// The OAuth token endpoint (default [`DEFAULT_OAUTH_URL`]).
    pub fn oauth_url(mut self, url: impl Into<String>) -> Self {
        self.oauth_url = Some(Setting::new(url.into(), "oauth_url"));
        self
    }

    /// The OAuth audience (default [`DEFAULT_TOKEN_AUDIENCE`]; empty: none is sent).
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(Setting::new(audience.into(), "audience"));
        self
    }

    /// The OAuth scope.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(Setting::new(scope.into(), "scope"));
        self
    }

    /// HTTP basic credentials; selects the BASIC strategy.
    pub fn basic(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.basic_username = Some(Setting::new(username.into(), "basic"));
        self.basic_password = Some(Setting::new(password.into(), "basic"));
        self.strategy = Some(Strategy::Basic);
        self
    }

    /// A static bearer token sent as `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.strategy = Some(Strategy::Bearer(token.into()));
        self
    }

    /// No authentication, whatever the environment says.
    pub fn no_auth(mut self) -> Self {
        self.strategy = Some(Strategy::None);
        self
    }

    /// Your own [`AuthProvider`].
    pub fn auth_provider(mut self, provider: Arc<dyn AuthProvider>) -> Self {
        self.strategy = Some(Strategy::Custom(provider));
        self
    }

    /// The tenant used when a call does not name one (validated as a [`TenantId`]).
    pub fn default_tenant_id(mut self, tenant: impl AsRef<str>) -> Self {
        self.default_tenant_id = Some(Setting::new(
            tenant.as_ref().to_owned(),
            "default_tenant_id",
        ));
        self
    }

    /// The timeout of each HTTP request (default 30 s; must not be zero).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = None;
        self.request_timeout_code = Some(timeout);
        self
    }

    /// The connect timeout (default 10 s; must not be zero).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Text appended to the `User-Agent` header, e.g. `my-app/1.2`.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The mTLS client certificate chain as inline PEM.
    pub fn mtls_cert_pem(mut self, pem: impl Into<String>) -> Self {
        self.mtls_cert = Some(Setting::new(PemSource::Inline(pem.into()), "mtls_cert"));
        self
    }

    /// The mTLS client certificate chain from a PEM file.
    pub fn mtls_cert_path(mut self, path: impl AsRef<Path>) -> Self {
        self.mtls_cert = Some(Setting::new(
            PemSource::File(path.as_ref().to_owned()),
            "mtls_cert",
        ));
        self
    }

    /// The mTLS client private key as inline PEM.
    pub fn mtls_key_pem(mut self, pem: impl Into<String>) -> Self {
        self.mtls_key = Some(Setting::new(PemSource::Inline(pem.into()), "mtls_key"));
        self
    }

    /// The mTLS client private key from a PEM file.
    pub fn mtls_key_path(mut self, path: impl AsRef<Path>) -> Self {
        self.mtls_key = Some(Setting::new(
            PemSource::File(path.as_ref().to_owned()),
            "mtls_key",
        ));
        self
    }

    /// Extra CA certificate(s) to trust, as inline PEM.
    pub fn mtls_ca_pem(mut self, pem: impl Into<String>) -> Self {
        self.mtls_ca = Some(Setting::new(PemSource::Inline(pem.into()), "mtls_ca"));
        self
    }

    /// Extra CA certificate(s) to trust, from a PEM file.
    pub fn mtls_ca_path(mut self, path: impl AsRef<Path>) -> Self {
        self.mtls_ca = Some(Setting::new(
            PemSource::File(path.as_ref().to_owned()),
            "mtls_ca",
        ));
        self
    }

    /// Validates everything and builds the [`Config`].
    ///
    /// Errors are [`Error::Config`] naming the variable or setter at fault.
    pub fn build(self) -> Result<Config, Error> {
        let rest_address = match &self.rest_address {
            Some(s) => normalize_address(&s.value, s.origin)?,
            None => DEFAULT_REST_ADDRESS.to_owned(),
        };
        let auth = self.build_auth()?;
        let default_tenant_id = self
            .default_tenant_id
            .as_ref()
            .map(|s| {
                TenantId::new(s.value.as_str()).map_err(|e| {
                    Error::config(
                        s.origin,
                        format!(
                            "expected a tenant id (1-31 letters, digits, `_`, `.`, `-`, or `<default>`): {e}"
                        ),
                    )
                })
            })
            .transpose()?;
        let request_timeout = match (&self.request_timeout, self.request_timeout_code) {
            (_, Some(d)) if d.is_zero() => {
                return Err(Error::config(
                    "request_timeout",
                    "expected a positive duration",
                ));
            }
            (_, Some(d)) => d,
            (Some(s), None) => match s.value.parse::<u64>() {
                Ok(ms) if ms > 0 => Duration::from_millis(ms),
                _ => {
                    return Err(Error::config(
                        s.origin,
                        format!(
                            "expected a positive whole number of milliseconds, got `{}`",
                            s.value
                        ),
                    ));
                }
            },
            (None, None) => DEFAULT_REQUEST_TIMEOUT,
        };
        let connect_timeout = match self.connect_timeout {
            Some(d) if d.is_zero() => {
                return Err(Error::config(
                    "connect_timeout",
                    "expected a positive duration",
                ));
            }
            Some(d) => d,
            None => DEFAULT_CONNECT_TIMEOUT,
        };
        if let Some(suffix) = &self.user_agent_suffix
            && reqwest::header::HeaderValue::from_str(suffix).is_err()
        {
            return Err(Error::config(
                "user_agent_suffix",
                "expected visible ASCII text usable in a User-Agent header",
            ));
        }

        let tls = self.build_tls()?;
        #[cfg(not(feature = "rustls"))]
        if rest_address.starts_with("https:") {
            return Err(Error::config(
                self.rest_address
                    .as_ref()
                    .map_or("rest_address", |s| s.origin),
                "https:// addresses need the `rustls` feature of camunda-sdk",
            ));
        }

        Ok(Config {
            rest_address,
            auth,
            default_tenant_id,
            tls,
            request_timeout,
            connect_timeout,
            user_agent_suffix: self.user_agent_suffix,
        })
    }

    fn build_tls(&self) -> Result<TlsConfig, Error> {
        let load = |s: &Option<Setting<PemSource>>| -> Result<Option<Pem>, Error> {
            s.as_ref()
                .map(|s| Pem::load(s.value.clone(), s.origin))
                .transpose()
        };
        let tls = TlsConfig {
            client_cert: load(&self.mtls_cert)?,
            client_key: load(&self.mtls_key)?,
            ca_cert: load(&self.mtls_ca)?,
        };
        match (&self.mtls_cert, &self.mtls_key) {
            (Some(c), None) => {
                return Err(Error::config(
                    c.origin,
                    "a client certificate needs its private key too (CAMUNDA_MTLS_KEY or CAMUNDA_MTLS_KEY_PATH)",
                ));
            }
            (None, Some(k)) => {
                return Err(Error::config(
                    k.origin,
                    "a client private key needs its certificate too (CAMUNDA_MTLS_CERT or CAMUNDA_MTLS_CERT_PATH)",
                ));
            }
            _ => {}
        }
        #[cfg(not(feature = "rustls"))]
        if let Some(s) = self
            .mtls_cert
            .as_ref()
            .or(self.mtls_ca.as_ref())
            .or(self.mtls_key.as_ref())
        {
            return Err(Error::config(
                s.origin,
                "TLS settings need the `rustls` feature of camunda-sdk",
            ));
        }
        Ok(tls)
    }

    fn build_auth(&self) -> Result<AuthConfig, Error> {
        #[derive(PartialEq)]
        enum Kind {
            None,
            Basic,
            OAuth,
        }
        let kind = match &self.strategy {
            Some(Strategy::Bearer(token)) => {
                if reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .is_err()
                    || token.expose().is_empty()
                {
                    return Err(Error::config(
                        "bearer_token",
                        "expected a non-empty token of visible ASCII characters",
                    ));
                }
                return Ok(AuthConfig::Bearer(token.clone()));
            }
            Some(Strategy::Custom(p)) => return Ok(AuthConfig::Custom(p.clone())),
            Some(Strategy::None) => Kind::None,
            Some(Strategy::Basic) => Kind::Basic,
            Some(Strategy::OAuth) => Kind::OAuth,
            Some(Strategy::Env(s)) => match s.value.to_ascii_uppercase().as_str() {
                "NONE" => Kind::None,
                "BASIC" => Kind::Basic,
                "OAUTH" => Kind::OAuth,
                _ => {
                    return Err(Error::config(
                        s.origin,
                        format!("expected NONE, BASIC or OAUTH, got `{}`", s.value),
                    ));
                }
            },
            None => {
                // Infer from the credentials present; half a pair is a mistake, not NONE.
                let oauth = (self.client_id.as_ref(), self.client_secret.as_ref());
                let basic = (self.basic_username.as_ref(), self.basic_password.as_ref());
                match (oauth, basic) {
                    ((Some(_), Some(_)), _) => Kind::OAuth,
                    (_, (Some(_), Some(_))) => Kind::Basic,
                    ((Some(id), None), _) => {
                        return Err(Error::config(
                            "CAMUNDA_CLIENT_SECRET",
                            format!(
                                "{} is set, so the OAuth client secret is needed too (or set CAMUNDA_AUTH_STRATEGY=NONE)",
                                id.origin
                            ),
                        ));
                    }
                    ((None, Some(secret)), _) => {
                        return Err(Error::config(
                            "CAMUNDA_CLIENT_ID",
                            format!(
                                "{} is set, so the OAuth client id is needed too (or set CAMUNDA_AUTH_STRATEGY=NONE)",
                                secret.origin
                            ),
                        ));
                    }
                    (_, (Some(user), None)) => {
                        return Err(Error::config(
                            "CAMUNDA_BASIC_AUTH_PASSWORD",
                            format!(
                                "{} is set, so the basic-auth password is needed too (or set CAMUNDA_AUTH_STRATEGY=NONE)",
                                user.origin
                            ),
                        ));
                    }
                    (_, (None, Some(pass))) => {
                        return Err(Error::config(
                            "CAMUNDA_BASIC_AUTH_USERNAME",
                            format!(
                                "{} is set, so the basic-auth username is needed too (or set CAMUNDA_AUTH_STRATEGY=NONE)",
                                pass.origin
                            ),
                        ));
                    }
                    _ => Kind::None,
                }
            }
        };
        match kind {
            Kind::None => Ok(AuthConfig::None),
            Kind::Basic => {
                let username = self.basic_username.as_ref().ok_or_else(|| {
                    Error::config(
                        "CAMUNDA_BASIC_AUTH_USERNAME",
                        "required when the auth strategy is BASIC",
                    )
                })?;
                let password = self.basic_password.as_ref().ok_or_else(|| {
                    Error::config(
                        "CAMUNDA_BASIC_AUTH_PASSWORD",
                        "required when the auth strategy is BASIC",
                    )
                })?;
                if username.value.contains(':') {
                    return Err(Error::config(
                        username.origin,
                        "a basic-auth username cannot contain `:`",
                    ));
                }
                Ok(AuthConfig::Basic {
                    username: username.value.clone(),
                    password: password.value.clone(),
                })
            }
            Kind::OAuth => {
                let client_id = self.client_id.as_ref().ok_or_else(|| {
                    Error::config(
                        "CAMUNDA_CLIENT_ID",
                        "required when the auth strategy is OAUTH",
                    )
                })?;
                let client_secret = self.client_secret.as_ref().ok_or_else(|| {
                    Error::config(
                        "CAMUNDA_CLIENT_SECRET",
                        "required when the auth strategy is OAUTH",
                    )
                })?;
                let token_url = match &self.oauth_url {
                    Some(s) => {
                        parse_http_url(&s.value, s.origin)?;
                        s.value.clone()
                    }
                    None => DEFAULT_OAUTH_URL.to_owned(),
                };
                Ok(AuthConfig::OAuth(OAuthConfig {
                    client_id: client_id.value.clone(),
                    client_secret: client_secret.value.clone(),
                    token_url,
                    audience: self
                        .audience
                        .as_ref()
                        .map_or_else(|| DEFAULT_TOKEN_AUDIENCE.to_owned(), |s| s.value.clone()),
                    scope: self
                        .scope
                        .as_ref()
                        .map(|s| s.value.clone())
                        .filter(|s| !s.is_empty()),
                }))
            }
        }
    }
}

fn parse_http_url(value: &str, variable: &str) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(value).map_err(|e| {
        Error::config(
            variable,
            format!("expected an http:// or https:// URL, got `{value}` ({e})"),
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(Error::config(
            variable,
            format!("expected an http:// or https:// URL with a host, got `{value}`"),
        ));
    }
    Ok(url)
}

/// Trims `/` and a trailing `/v2`, then checks that what is left is an http(s) URL.
fn normalize_address(value: &str, variable: &str) -> Result<String, Error> {
    let mut address = value.trim().trim_end_matches('/');
    if let Some(stripped) = address.strip_suffix("/v2") {
        address = stripped.trim_end_matches('/');
    }
    let url = parse_http_url(address, variable)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(
            variable,
            format!("expected an address without `?query` or `#fragment`, got `{value}`"),
        ));
    }
    Ok(address.to_owned())
}
