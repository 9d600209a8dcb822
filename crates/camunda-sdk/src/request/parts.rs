//! What a generated builder hands to the exchanges: its checked body and the request without
//! its body, as plain data, and the exchanges' entry points, generic and written once.
//!
//! Why data and not a closure: when each of the 241 builders returned its request maker as an
//! `impl Fn` and built its future inline, type and borrow checking those bodies was most of
//! camunda-sdk's compile time (each opaque closure and future is a new type whose `Send`-ness
//! and lifetimes are proven again). A builder's `send()` is now one call of a function below.

use super::{Flavor, Read, Response};
use crate::Result;
use crate::consistency::Wait;
use crate::transport::{Call, OpMeta};
use reqwest::Method;
use serde::Serialize;
use std::borrow::Cow;

/// A request without its body: what an operation's path and query parameters make.
pub(crate) struct Template {
    op: &'static OpMeta,
    method: Method,
    path: String,
    query: Vec<(&'static str, String)>,
    /// Whether the body is sent as JSON (operations without a request body have `B = ()`).
    json: bool,
}

impl Template {
    /// The request of `op` at `path`; `json` says whether it carries the builder's body.
    pub(crate) fn new(op: &'static OpMeta, method: Method, path: String, json: bool) -> Self {
        Template {
            op,
            method,
            path,
            query: Vec::new(),
            json,
        }
    }

    /// Adds a query parameter when it has a value.
    pub(crate) fn query(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(v) = value {
            self.query.push((name, v));
        }
        self
    }

    /// The request for `body`, keeping the template (a paged search or a waiting read asks
    /// again).
    fn call<B: Serialize>(&self, body: &B) -> Result<Call> {
        let mut call = Call::new(self.op, self.method.clone(), self.path.clone());
        call.query.clone_from(&self.query);
        if self.json { call.json(body) } else { Ok(call) }
    }

    /// The request for `body`, once.
    fn into_call<B: Serialize>(self, body: &B) -> Result<Call> {
        let mut call = Call::new(self.op, self.method, self.path);
        call.query = self.query;
        if self.json { call.json(body) } else { Ok(call) }
    }
}

/// A builder's body as the reads that ask again keep it: owned (a body set with `body_ref` is
/// borrowed until then).
pub(crate) trait OwnedBody {
    type Owned: Serialize + Send + Sync + 'static;
    fn into_owned_body(self) -> Self::Owned;
}

impl OwnedBody for () {
    type Owned = ();
    fn into_owned_body(self) {}
}

impl<T: Clone + Serialize + Send + Sync + 'static> OwnedBody for Cow<'_, T> {
    type Owned = T;
    fn into_owned_body(self) -> T {
        self.into_owned()
    }
}

/// A builder's checked body and the request it goes in.
pub(crate) struct Parts<B> {
    body: B,
    template: Template,
}

impl<B: Serialize> Parts<B> {
    pub(crate) fn new(body: B, template: Template) -> Self {
        Parts { body, template }
    }

    fn into_call(self) -> Result<Call> {
        self.template.into_call(&self.body)
    }

    fn owned(self) -> Parts<B::Owned>
    where
        B: OwnedBody,
    {
        Parts {
            body: self.body.into_owned_body(),
            template: self.template,
        }
    }

    /// The body and a maker of the request for any body of its type.
    fn split(self) -> (B, impl Fn(&B) -> Result<Call> + Send + Sync + 'static) {
        let template = self.template;
        (self.body, move |body: &B| template.call(body))
    }
}

/// `send()`: one exchange read by `R`.
pub(crate) fn send<'a, R, T, B, F>(on: F, parts: Result<Parts<B>>) -> F::Output<T>
where
    R: Read<T> + 'a,
    T: Send + 'a,
    B: Serialize,
    F: Flavor<'a>,
{
    on.run(super::send::<R, T>(
        on.client(),
        parts.and_then(Parts::into_call),
    ))
}

/// `send_with_response()`: one exchange, with the answer's status and headers.
pub(crate) fn send_full<'a, T, B, F>(
    on: F,
    parts: Result<Parts<B>>,
    read: fn(&'static str, reqwest::StatusCode, bytes::Bytes) -> Result<T>,
) -> F::Output<Response<T>>
where
    T: Send + 'a,
    B: Serialize,
    F: Flavor<'a>,
{
    on.run(super::send_full(
        on.client(),
        parts.and_then(Parts::into_call),
        read,
    ))
}

/// `send()` of an eventually consistent read: reads again while `wait` says so.
pub(crate) fn send_waiting<'a, R, T, B, F>(
    on: F,
    wait: Wait<T>,
    non_empty: Option<fn(&T) -> bool>,
    parts: Result<Parts<B>>,
) -> F::Output<T>
where
    R: Read<T> + 'a,
    T: Send + 'a,
    B: Serialize + OwnedBody,
    F: Flavor<'a>,
{
    // A read that does not wait (or whose arguments are invalid) is one exchange, its body
    // sent once; only a waiting read keeps an owned body and the template to ask again.
    match parts {
        Ok(parts) if !wait.reads_once(on.client()) => {
            let (body, request) = parts.owned().split();
            on.run(super::send_waiting::<R, T, _, _>(
                on.client(),
                wait,
                non_empty,
                body,
                request,
            ))
        }
        parts => send::<R, T, B, F>(on, parts),
    }
}

/// `stream()` / `iter()` of a paged search: every page, asked for with the page's cursor in
/// the body.
pub(crate) fn stream<Q, R>(
    client: crate::CamundaClient,
    parts: Result<Parts<Cow<'_, Q>>>,
) -> crate::paging::ItemStream<R::Item>
where
    Q: crate::paging::PagedQuery + Clone + Serialize + Send + Sync + 'static,
    R: crate::paging::PagedResult + serde::de::DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
{
    super::stream::<Q, R, _>(client, parts.map(|p| p.owned().split()))
}
