//! OAuth 2.0 client credentials with an in-memory, single-flight token cache.

use super::{AuthProvider, OAuthConfig, credential, scrub_secrets, sensitive};
use crate::error::Error;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Lifetime assumed when the token endpoint does not send `expires_in`: short enough that a
/// token is refreshed long before a typical 1 h expiry, long enough not to hammer the endpoint.
pub const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);

/// How long before expiry a token is refreshed: 60 s, or a tenth of its lifetime when that is
/// shorter.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Longer `expires_in` values are capped to a year.
const MAX_TOKEN_LIFETIME_S: f64 = 365.0 * 24.0 * 3600.0;

/// OAuth 2.0 client credentials (`grant_type=client_credentials`).
///
/// - The token is fetched on first use, cached in memory, and refreshed when it is within
///   [`REFRESH_MARGIN`] (or a tenth of its lifetime, if shorter) of expiring. `expires_in` may be
///   a number or a numeric string; when absent, [`DEFAULT_TOKEN_LIFETIME`] is assumed.
/// - **Single flight**: however many tasks ask at once, one token request is made; the others
///   wait for it and share its result (including its failure).
/// - [`invalidate`](AuthProvider::invalidate) drops the cached token; the next call fetches.
/// - If a refresh fails while the cached token has not expired yet, the cached token is used.
/// - Failures are [`Error::Auth`]: 400/401/403 (and other 4xx but 408 and 429) are not
///   retryable, since the credentials or the endpoint are wrong; 408, 429, 5xx, timeouts and
///   connection errors are. There is no internal retry loop: a wrong secret fails at once.
///   Messages carry the endpoint's `error` and `error_description`, never the secret.
///
/// Time is measured with [`tokio::time::Instant`], so tests can move the clock with
/// `tokio::time::pause` / `advance`.
pub struct OAuthProvider {
    config: OAuthConfig,
    http: reqwest::Client,
    request_timeout: Duration,
    state: Mutex<State>,
    fetch: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    token: Option<CachedToken>,
    /// Incremented whenever a fetch finishes; a caller that waited for the fetch lock and sees
    /// a new generation shares that fetch's outcome instead of fetching again.
    generation: u64,
    /// The failure of the latest fetch, when it failed.
    last_error: Option<Failure>,
    /// Tokens replaced or dropped lately, still scrubbed from errors: an answer to a request
    /// sent with one may arrive after the switch.
    previous: VecDeque<HeaderValue>,
}

/// How many replaced tokens are remembered for scrubbing.
const PREVIOUS_TOKENS: usize = 4;

impl State {
    fn retire(&mut self, token: Option<CachedToken>) {
        if let Some(t) = token {
            if self.previous.len() == PREVIOUS_TOKENS {
                self.previous.pop_front();
            }
            self.previous.push_back(t.header);
        }
    }
}

#[derive(Clone)]
struct CachedToken {
    header: HeaderValue,
    refresh_at: Instant,
    expires_at: Instant,
}

#[derive(Clone, Debug)]
struct Failure {
    message: String,
    status: Option<u16>,
    retryable: bool,
    /// Shared, since every caller waiting on one token request gets the same failure.
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl Failure {
    fn caused_by(mut self, e: reqwest::Error) -> Self {
        self.source = Some(std::sync::Arc::new(e));
        self
    }
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        Error::Auth {
            message: f.message,
            status: f.status,
            retryable: f.retryable,
            source: f.source,
        }
    }
}

impl OAuthProvider {
    /// A provider that fetches tokens with `http` (build it with
    /// [`Config::http_client`](crate::Config::http_client) to share the SDK's settings).
    /// Token requests time out after 30 s; see
    /// [`with_request_timeout`](OAuthProvider::with_request_timeout).
    pub fn new(config: OAuthConfig, http: reqwest::Client) -> Self {
        OAuthProvider {
            config,
            http,
            request_timeout: crate::config::DEFAULT_REQUEST_TIMEOUT,
            state: Mutex::new(State::default()),
            fetch: tokio::sync::Mutex::new(()),
        }
    }

    /// Sets the timeout of each token request.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The settings.
    pub fn config(&self) -> &OAuthConfig {
        &self.config
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state inconsistent (every update is
        // a plain assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn token(&self) -> Result<HeaderValue, Error> {
        let seen = {
            let state = self.state();
            if let Some(t) = &state.token
                && Instant::now() < t.refresh_at
            {
                return Ok(t.header.clone());
            }
            state.generation
        };

        let _flight = self.fetch.lock().await;
        {
            let state = self.state();
            if state.generation != seen {
                // Someone fetched while we waited: share their outcome.
                if let Some(f) = &state.last_error {
                    return Err(f.clone().into());
                }
                if let Some(t) = &state.token {
                    return Ok(t.header.clone());
                }
                // Invalidated since: fetch.
            } else if let Some(t) = &state.token
                && Instant::now() < t.refresh_at
            {
                return Ok(t.header.clone());
            }
        }

        let outcome = self.fetch_token().await;
        let mut state = self.state();
        state.generation = state.generation.wrapping_add(1);
        match outcome {
            Ok(token) => {
                let header = token.header.clone();
                let old = state.token.replace(token);
                state.retire(old);
                state.last_error = None;
                Ok(header)
            }
            Err(failure) => {
                if let Some(t) = &state.token
                    && Instant::now() < t.expires_at
                {
                    tracing::warn!(
                        client_id = %self.config.client_id,
                        error = %failure.message,
                        "OAuth token refresh failed; using the cached token until it expires"
                    );
                    let header = t.header.clone();
                    state.last_error = None;
                    return Ok(header);
                }
                let old = state.token.take();
                state.retire(old);
                state.last_error = Some(failure.clone());
                Err(failure.into())
            }
        }
    }

    async fn fetch_token(&self) -> Result<CachedToken, Failure> {
        let url = &self.config.token_url;
        tracing::debug!(client_id = %self.config.client_id, token_url = %url, "fetching OAuth token");
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.config.client_id),
            ("client_secret", self.config.client_secret.expose()),
        ];
        if !self.config.audience.is_empty() {
            form.push(("audience", &self.config.audience));
        }
        if let Some(scope) = &self.config.scope {
            form.push(("scope", scope));
        }

        let sent_at = Instant::now();
        let response = self
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .timeout(self.request_timeout)
            .send()
            .await
            .map_err(|e| self.failure(None, true, describe_reqwest(&e)).caused_by(e))?;
        let status = response.status();
        let body = response.text().await.map_err(|e| {
            self.failure(
                Some(status.as_u16()),
                true,
                format!("reading the answer failed: {}", describe_reqwest(&e)),
            )
            .caused_by(e)
        })?;

        if !status.is_success() {
            let code = status.as_u16();
            let retryable = matches!(code, 408 | 429) || status.is_server_error();
            let detail = describe_error_body(&body);
            let what = if matches!(code, 400 | 401 | 403) {
                "rejected the client credentials"
            } else {
                "failed"
            };
            let failure = self.failure(
                Some(code),
                retryable,
                format!("HTTP {code} ({what}){detail}"),
            );
            tracing::warn!(
                client_id = %self.config.client_id,
                token_url = %url,
                status = code,
                error = %failure.message,
                "OAuth token request failed"
            );
            return Err(failure);
        }

        let parsed: TokenResponse = serde_json::from_str(&body).map_err(|e| {
            self.failure(
                Some(status.as_u16()),
                false,
                format!("the answer is not an OAuth token response ({e})"),
            )
        })?;
        if parsed.access_token.is_empty() {
            return Err(self.failure(
                Some(status.as_u16()),
                false,
                "the answer has an empty access_token".to_owned(),
            ));
        }
        if let Some(t) = &parsed.token_type
            && !t.eq_ignore_ascii_case("bearer")
        {
            tracing::warn!(token_type = %t, "OAuth token type is not Bearer; sending it as Bearer");
        }
        let header = HeaderValue::from_str(&format!("Bearer {}", parsed.access_token))
            .map(sensitive)
            .map_err(|_| {
                self.failure(
                    Some(status.as_u16()),
                    false,
                    "the access_token contains characters not allowed in a header".to_owned(),
                )
            })?;
        let lifetime = parsed
            .expires_in
            .and_then(|v| v.seconds())
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs);
        let margin = REFRESH_MARGIN.min(lifetime / 10);
        tracing::debug!(
            client_id = %self.config.client_id,
            expires_in_s = lifetime.as_secs(),
            "fetched OAuth token"
        );
        Ok(CachedToken {
            header,
            refresh_at: sent_at + (lifetime - margin),
            expires_at: sent_at + lifetime,
        })
    }

    /// A failure whose message names the endpoint and never contains a credential.
    fn failure(&self, status: Option<u16>, retryable: bool, detail: String) -> Failure {
        let message = format!("token endpoint {}: {detail}", self.config.token_url);
        let message = self.scrub(message.into()).into_owned();
        Failure {
            message,
            status,
            retryable,
            source: None,
        }
    }
}

#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<ExpiresIn>,
    #[serde(default)]
    token_type: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ExpiresIn {
    Number(f64),
    Text(String),
}

impl ExpiresIn {
    fn seconds(&self) -> Option<u64> {
        let n = match self {
            ExpiresIn::Number(n) => *n,
            ExpiresIn::Text(s) => s.trim().parse().ok()?,
        };
        (n.is_finite() && n >= 0.0).then(|| n.min(MAX_TOKEN_LIFETIME_S) as u64)
    }
}

/// `: error: description` from an OAuth error body, or an excerpt of a body that is not one.
fn describe_error_body(body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: Option<String>,
        error_description: Option<String>,
    }
    match serde_json::from_str::<OAuthError>(body) {
        Ok(OAuthError {
            error: Some(e),
            error_description: Some(d),
        }) => format!(": {e}: {d}"),
        Ok(OAuthError {
            error: Some(e),
            error_description: None,
        }) => format!(": {e}"),
        Ok(OAuthError {
            error: None,
            error_description: Some(d),
        }) => format!(": {d}"),
        _ if body.trim().is_empty() => String::new(),
        _ => {
            let trimmed = body.trim();
            let excerpt: String = trimmed.chars().take(200).collect();
            let ellipsis = if excerpt.len() < trimmed.len() {
                "…"
            } else {
                ""
            };
            format!(": {excerpt}{ellipsis}")
        }
    }
}

fn describe_reqwest(e: &reqwest::Error) -> String {
    let mut message = if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        "cannot connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

impl fmt::Debug for OAuthProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let has_token = self.state().token.is_some();
        f.debug_struct("OAuthProvider")
            .field("config", &self.config)
            .field("request_timeout", &self.request_timeout)
            .field("has_token", &has_token)
            .finish()
    }
}

impl AuthProvider for OAuthProvider {
    fn authorization(&self) -> BoxFuture<'_, Result<Option<HeaderValue>, Error>> {
        Box::pin(async move { self.token().await.map(Some) })
    }

    fn scrub<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        let state = self.state();
        let tokens = state
            .token
            .iter()
            .map(|t| &t.header)
            .chain(&state.previous)
            .filter_map(credential);
        scrub_secrets(text, tokens.chain([self.config.client_secret.expose()]))
    }

    fn invalidate(&self, rejected: &HeaderValue) {
        let mut state = self.state();
        if state.token.as_ref().is_some_and(|t| t.header == *rejected) {
            let old = state.token.take();
            state.retire(old);
            state.last_error = None;
        }
    }
}
