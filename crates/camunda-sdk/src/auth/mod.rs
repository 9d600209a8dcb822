//! Authentication: what goes into the `Authorization` header.
//!
//! Every request asks the client's [`AuthProvider`] for the header value. The SDK ships
//! [`NoAuth`], [`BasicAuth`], [`BearerToken`] and [`OAuthProvider`] (OAuth 2.0 client
//! credentials with an in-memory, single-flight token cache); [`from_config`] picks the one a
//! [`Config`](crate::Config) asks for. Implement [`AuthProvider`] yourself for anything else and
//! pass it to [`ConfigBuilder::auth_provider`](crate::ConfigBuilder::auth_provider).
//!
//! Secrets never appear in `Debug` output, `Display` output or logs, and produced header
//! values are marked sensitive.

mod basic;
mod oauth;

pub use crate::config::{AuthConfig, OAuthConfig, Secret};
pub use basic::{BasicAuth, BearerToken, NoAuth};
pub use oauth::{DEFAULT_TOKEN_LIFETIME, OAuthProvider, REFRESH_MARGIN};

use crate::config::Config;
use crate::error::Error;
use futures::future::BoxFuture;
use reqwest::header::HeaderValue;
use std::borrow::Cow;
use std::sync::Arc;

/// Supplies the `Authorization` header of every request.
///
/// ```
/// use camunda_sdk::auth::AuthProvider;
/// use futures::future::BoxFuture;
/// use reqwest::header::HeaderValue;
///
/// /// Reads a token that a sidecar keeps fresh.
/// #[derive(Debug)]
/// struct SidecarToken;
///
/// impl AuthProvider for SidecarToken {
///     fn authorization(&self) -> BoxFuture<'_, camunda_sdk::Result<Option<HeaderValue>>> {
///         Box::pin(async {
///             let mut value = HeaderValue::from_static("Bearer from-the-sidecar");
///             value.set_sensitive(true);
///             Ok(Some(value))
///         })
///     }
/// }
/// ```
pub trait AuthProvider: Send + Sync + std::fmt::Debug {
    /// The value of the `Authorization` header; `None` sends no header.
    ///
    /// Implementations should mark the value sensitive
    /// ([`HeaderValue::set_sensitive`]) so that it is never logged.
    fn authorization(&self) -> BoxFuture<'_, Result<Option<HeaderValue>, Error>>;

    /// The API answered 401 to a request sent with `rejected`. The client calls this before it
    /// resends the request once with a fresh [`authorization`](AuthProvider::authorization).
    /// Forget `rejected` if it is still the cached credential; a credential fetched since (by
    /// another request that got its 401 earlier) must be kept, or a burst of 401s would cause a
    /// burst of token requests.
    fn invalidate(&self, rejected: &HeaderValue) {
        let _ = rejected;
    }

    /// `text` with every credential this provider holds or has held (a client secret, a
    /// password, the current and previous tokens) replaced by `***`. The client passes every
    /// error body excerpt and problem detail it keeps through it, so that an API that echoes
    /// the request's headers cannot leak them into an error or a log line. (The credential of
    /// the `Authorization` value a request was sent with is scrubbed in any case.) The default
    /// changes nothing; providers holding credentials should override it, e.g. with
    /// [`scrub_secrets`].
    fn scrub<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        text
    }
}

/// `text` with each non-empty `secret` replaced by `***`: a helper for
/// [`AuthProvider::scrub`].
///
/// ```
/// use camunda_sdk::auth::scrub_secrets;
/// let text = scrub_secrets("token abc123 and abc123".into(), ["abc123"]);
/// assert_eq!(text, "token *** and ***");
/// ```
pub fn scrub_secrets<'a, 's>(
    text: Cow<'a, str>,
    secrets: impl IntoIterator<Item = &'s str>,
) -> Cow<'a, str> {
    let mut text = text;
    for secret in secrets {
        if !secret.is_empty() && text.contains(secret) {
            text = Cow::Owned(text.replace(secret, "***"));
        }
    }
    text
}

/// The credential of an `Authorization` value: what follows the scheme (`Bearer `, `Basic `).
pub(crate) fn credential(value: &HeaderValue) -> Option<&str> {
    let s = value.to_str().ok()?;
    Some(s.split_once(' ').map_or(s, |(_, c)| c.trim())).filter(|c| !c.is_empty())
}

/// The provider a configuration asks for, using `http` for token requests (OAuth).
///
/// OAuth token requests use the configuration's request timeout.
pub fn from_config(config: &Config, http: reqwest::Client) -> Arc<dyn AuthProvider> {
    match config.auth() {
        AuthConfig::None => Arc::new(NoAuth),
        AuthConfig::Basic { username, password } => {
            Arc::new(BasicAuth::new(username.clone(), password.clone()))
        }
        AuthConfig::Bearer(token) => Arc::new(BearerToken::new(token.clone())),
        AuthConfig::OAuth(oauth) => Arc::new(
            OAuthProvider::new(oauth.clone(), http).with_request_timeout(config.request_timeout()),
        ),
        AuthConfig::Custom(provider) => provider.clone(),
    }
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}
