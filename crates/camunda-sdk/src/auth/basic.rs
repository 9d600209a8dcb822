//! The static providers: no auth, basic auth, a fixed bearer token.

use super::{AuthProvider, Secret, credential, scrub_secrets, sensitive};
use crate::error::Error;
use futures::future::{self, BoxFuture};
use reqwest::header::HeaderValue;
use std::borrow::Cow;
use std::fmt;

/// Sends no `Authorization` header.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoAuth;

impl AuthProvider for NoAuth {
    fn authorization(&self) -> BoxFuture<'_, Result<Option<HeaderValue>, Error>> {
        // A unit future: boxing it allocates nothing (this runs before every request).
        Box::pin(NoHeader)
    }
}

/// [`NoAuth`]'s answer, ready at once.
struct NoHeader;

impl std::future::Future for NoHeader {
    type Output = Result<Option<HeaderValue>, Error>;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::task::Poll::Ready(Ok(None))
    }
}

/// HTTP basic authentication: `Authorization: Basic base64(username:password)`.
///
/// ```
/// use camunda_sdk::auth::{AuthProvider, BasicAuth};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let auth = BasicAuth::new("demo", "demo");
/// let value = auth.authorization().await.unwrap().unwrap();
/// assert_eq!(value, "Basic ZGVtbzpkZW1v");
/// assert_eq!(format!("{auth:?}"), r#"BasicAuth { username: "demo", password: *** }"#);
/// # });
/// ```
#[derive(Clone)]
pub struct BasicAuth {
    username: String,
    password: Secret,
    header: Result<HeaderValue, String>,
}

impl BasicAuth {
    /// Credentials for basic authentication.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        let username = username.into();
        let password = password.into();
        let mut raw = Vec::with_capacity(username.len() + password.expose().len() + 1);
        raw.extend_from_slice(username.as_bytes());
        raw.push(b':');
        raw.extend_from_slice(password.expose().as_bytes());
        let header = HeaderValue::from_str(&format!("Basic {}", base64(&raw)))
            .map(sensitive)
            .map_err(|_| "the basic-auth header could not be built".to_owned());
        BasicAuth {
            username,
            password,
            header,
        }
    }

    /// The username.
    pub fn username(&self) -> &str {
        &self.username
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &Secret::new(""))
            .finish()
    }
}

impl AuthProvider for BasicAuth {
    fn authorization(&self) -> BoxFuture<'_, Result<Option<HeaderValue>, Error>> {
        Box::pin(future::ready(static_header(&self.header)))
    }

    fn scrub<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        let encoded = self.header.as_ref().ok().and_then(credential);
        scrub_secrets(text, encoded.into_iter().chain([self.password.expose()]))
    }
}

/// A fixed bearer token: `Authorization: Bearer <token>`. Refreshing it is up to you (build a
/// new client, or implement [`AuthProvider`]).
#[derive(Clone)]
pub struct BearerToken {
    token: Secret,
    header: Result<HeaderValue, String>,
}

impl BearerToken {
    /// A provider that always sends `token`.
    pub fn new(token: impl Into<Secret>) -> Self {
        let token = token.into();
        let header = if token.expose().is_empty() {
            Err("the bearer token is empty".to_owned())
        } else {
            HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                .map(sensitive)
                .map_err(|_| {
                    "the bearer token contains characters not allowed in a header".to_owned()
                })
        };
        BearerToken { token, header }
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken")
            .field("token", &Secret::new(""))
            .finish()
    }
}

impl AuthProvider for BearerToken {
    fn authorization(&self) -> BoxFuture<'_, Result<Option<HeaderValue>, Error>> {
        Box::pin(future::ready(static_header(&self.header)))
    }

    fn scrub<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        scrub_secrets(text, [self.token.expose()])
    }
}

fn static_header(header: &Result<HeaderValue, String>) -> Result<Option<HeaderValue>, Error> {
    match header {
        Ok(v) => Ok(Some(v.clone())),
        Err(message) => Err(Error::Auth {
            message: message.clone(),
            status: None,
            retryable: false,
            source: None,
        }),
    }
}

/// Standard base64 (RFC 4648) with padding.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(ALPHABET[(n >> 18) as usize & 63] as char);
        out.push(ALPHABET[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            ALPHABET[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            ALPHABET[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}
