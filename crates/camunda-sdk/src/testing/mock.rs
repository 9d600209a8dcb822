//! The hand-written half of the typed mock server: [`CamundaMock`], the request matchers the
//! generated per-operation types wrap, and the typed answers ([`Then`]). The per-operation
//! methods are generated from the spec into `generated/mocks.rs`.

use crate::{CamundaClient, Config, ConfigBuilder, RetryPolicy};
use httpmock::MockServer;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::marker::PhantomData;
use std::time::Duration;

/// A loopback HTTP server that answers like a Camunda cluster, one typed method per operation
/// (`complete_job`, `search_process_instances`, …). Each method registers an expectation and
/// returns the [`httpmock::Mock`], to assert how often it was called.
///
/// A request no expectation matches gets httpmock's 404. The server stops when dropped.
pub struct CamundaMock {
    server: MockServer,
}

impl std::fmt::Debug for CamundaMock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CamundaMock")
            .field("url", &self.url())
            .finish()
    }
}

impl CamundaMock {
    /// Starts a server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        Self {
            server: MockServer::start_async().await,
        }
    }

    /// The server's address, for [`ConfigBuilder::rest_address`].
    pub fn url(&self) -> String {
        self.server.base_url()
    }

    /// A configuration for this server: its address and no authentication; add what your code
    /// under test needs.
    pub fn config(&self) -> ConfigBuilder {
        Config::builder().rest_address(self.url()).no_auth()
    }

    /// An async client for this server, without retries (so that an answer such as
    /// [`Then::backpressure`] reaches the caller at once).
    pub fn client(&self) -> CamundaClient {
        let config = self.config().build().expect("a loopback address is valid");
        CamundaClient::new(config)
            .expect("a client for a loopback address")
            .with_retry_policy(RetryPolicy::none())
    }

    /// A blocking client for this server, without retries.
    pub fn blocking_client(&self) -> crate::blocking::CamundaClient {
        let config = self.config().build().expect("a loopback address is valid");
        crate::blocking::CamundaClient::new(config)
            .expect("a client for a loopback address")
            .with_retry_policy(RetryPolicy::none())
    }

    /// The underlying httpmock server, for anything the typed methods do not cover.
    pub fn server(&self) -> &MockServer {
        &self.server
    }

    /// Registers one operation's expectation: the generated methods call this.
    pub(crate) async fn operation<W, R>(
        &self,
        method: &'static str,
        template: &'static str,
        wrap: fn(When) -> W,
        f: impl FnOnce(W, Then<R>),
    ) -> httpmock::Mock<'_> {
        self.server
            .mock_async(|when, then| {
                let when = When {
                    inner: when.method(method).path_matches(path_regex(template, None)),
                    template,
                };
                f(
                    wrap(when),
                    Then {
                        inner: then,
                        kind: PhantomData,
                    },
                );
            })
            .await
    }
}

/// The regex for a path template: `{name}` is any segment, or `value` for the parameter
/// `fixed.0`.
fn path_regex(template: &str, fixed: Option<(&str, &str)>) -> String {
    let mut re = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        re.push_str(&escape(&rest[..open]));
        let close = open + rest[open..].find('}').expect("a closed path parameter");
        let name = &rest[open + 1..close];
        match fixed {
            Some((n, value)) if n == name => {
                re.push_str(&escape(&crate::transport::encode_path(value)))
            }
            _ => re.push_str("[^/]+"),
        }
        rest = &rest[close + 1..];
    }
    re.push_str(&escape(rest));
    re.push('$');
    re
}

fn escape(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len());
    for c in literal.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Request matchers shared by the generated per-operation types (`CompleteJobWhen`, …), which
/// expose them under the operation's own parameter names and types.
pub struct When {
    inner: httpmock::When,
    template: &'static str,
}

impl std::fmt::Debug for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("When")
            .field("path", &self.template)
            .finish_non_exhaustive()
    }
}

impl When {
    /// Only requests whose path parameter `name` is `value`.
    pub(crate) fn path_param(self, name: &str, value: &str) -> Self {
        let re = path_regex(self.template, Some((name, value)));
        Self {
            inner: self.inner.path_matches(re),
            template: self.template,
        }
    }

    /// Only requests with the query parameter `name` set to `value`.
    pub(crate) fn query(self, name: &str, value: String) -> Self {
        Self {
            inner: self.inner.query_param(name, value),
            template: self.template,
        }
    }

    /// Only requests whose JSON body equals `body`.
    pub(crate) fn body<B: Serialize>(self, body: &B) -> Self {
        let value = serde_json::to_value(body).expect("a request model serialises to JSON");
        Self {
            inner: self.inner.json_body(value),
            template: self.template,
        }
    }

    /// Only requests whose body decodes into `B` and satisfies `f`.
    pub(crate) fn body_matches<B: DeserializeOwned>(
        self,
        f: impl Fn(&B) -> bool + Send + Sync + 'static,
    ) -> Self {
        Self {
            inner: self.inner.is_true(move |req| {
                serde_json::from_slice::<B>(req.body_ref()).is_ok_and(|b| f(&b))
            }),
            template: self.template,
        }
    }

    /// The httpmock matcher, for anything the typed ones do not cover.
    pub fn raw(self) -> httpmock::When {
        self.inner
    }
}

/// A JSON answer of type `T` (200).
#[derive(Debug)]
pub struct Json<T>(PhantomData<fn() -> T>);
/// A JSON answer of type `T` (200) or nothing (204).
#[derive(Debug)]
pub struct JsonOrNone<T>(PhantomData<fn() -> T>);
/// No body (204).
#[derive(Debug)]
pub struct NoContent;
/// A text answer (XML or plain text).
#[derive(Debug)]
pub struct Text;
/// A text answer, or nothing (204).
#[derive(Debug)]
pub struct TextOrNone;
/// A binary answer.
#[derive(Debug)]
pub struct Binary;

/// The answer to a matched request; `R` ([`Json`], [`NoContent`], …) is what the operation
/// returns on success, so `ok` takes exactly that.
pub struct Then<R> {
    inner: httpmock::Then,
    kind: PhantomData<fn() -> R>,
}

impl<R> std::fmt::Debug for Then<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Then").finish_non_exhaustive()
    }
}

impl<R> Then<R> {
    fn map(self, f: impl FnOnce(httpmock::Then) -> httpmock::Then) -> Self {
        Self {
            inner: f(self.inner),
            kind: PhantomData,
        }
    }

    fn body(self, status: u16, content_type: &str, body: Vec<u8>) -> Self {
        self.map(|t| {
            t.status(status)
                .header("content-type", content_type)
                .body(body)
        })
    }

    fn json(self, status: u16, content_type: &str, body: &impl Serialize) -> Self {
        let bytes = serde_json::to_vec(body).expect("a response model serialises to JSON");
        self.body(status, content_type, bytes)
    }

    /// An RFC 9457 problem, as the cluster sends for errors:
    /// `then.problem(404, "NOT_FOUND", "no such process instance")`.
    pub fn problem(self, status: u16, title: &str, detail: &str) -> Self {
        let problem = serde_json::json!({
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
        });
        self.json(status, "application/problem+json", &problem)
    }

    /// Backpressure: 503 with a `RESOURCE_EXHAUSTED` problem, which the SDK retries.
    pub fn backpressure(self) -> Self {
        self.problem(
            503,
            "RESOURCE_EXHAUSTED",
            "Expected to handle the request, but the broker is out of capacity",
        )
    }

    /// Answers after `delay` (for timeout tests).
    pub fn delay(self, delay: Duration) -> Self {
        self.map(|t| t.delay(delay))
    }

    /// The httpmock answer, for anything the typed ones do not cover.
    pub fn raw(self) -> httpmock::Then {
        self.inner
    }
}

impl<T: Serialize> Then<Json<T>> {
    /// 200 with `body`.
    pub fn ok(self, body: &T) -> Self {
        self.json(200, "application/json", body)
    }
}

impl<T: Serialize> Then<JsonOrNone<T>> {
    /// 200 with `body`.
    pub fn ok(self, body: &T) -> Self {
        self.json(200, "application/json", body)
    }

    /// 204: nothing to return.
    pub fn no_content(self) -> Self {
        self.map(|t| t.status(204))
    }
}

impl Then<NoContent> {
    /// 204.
    pub fn ok(self) -> Self {
        self.map(|t| t.status(204))
    }
}

impl Then<Text> {
    /// 200 with `body`.
    pub fn ok(self, body: &str) -> Self {
        self.body(200, "text/plain; charset=utf-8", body.as_bytes().to_vec())
    }
}

impl Then<TextOrNone> {
    /// 200 with `body`.
    pub fn ok(self, body: &str) -> Self {
        self.body(200, "text/plain; charset=utf-8", body.as_bytes().to_vec())
    }

    /// 204: nothing to return.
    pub fn no_content(self) -> Self {
        self.map(|t| t.status(204))
    }
}

impl Then<Binary> {
    /// 200 with `body`.
    pub fn ok(self, body: &[u8]) -> Self {
        self.body(200, "application/octet-stream", body.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_path_parameter_matches_only_its_value() {
        assert_eq!(
            path_regex("/v2/jobs/{jobKey}/completion", None),
            r"^/v2/jobs/[^/]+/completion$"
        );
        assert_eq!(
            path_regex("/v2/jobs/{jobKey}/completion", Some(("jobKey", "42"))),
            r"^/v2/jobs/42/completion$"
        );
        assert_eq!(
            path_regex("/v2/a-b/{x}/{y}", Some(("y", "a b"))),
            r"^/v2/a\-b/[^/]+/a%20b$"
        );
    }
}
