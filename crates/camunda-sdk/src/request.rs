//! What every request builder shares: the client flavour it sends through, the answer with its
//! status and headers, and the conversions setters apply.
//!
//! `client.<operation>(…)` returns a builder from [`crate::builders`]; the same builder type
//! serves both clients. Its `send()` returns a future on the async client ([`Async`]) and the
//! value on the blocking one ([`Blocking`]); on the async client the builder can also be
//! `.await`ed directly.
//!
//! ```no_run
//! # async fn run(client: camunda_sdk::CamundaClient, blocking: camunda_sdk::blocking::CamundaClient) -> camunda_sdk::Result<()> {
//! let topology = client.get_topology().await?;
//! let same = blocking.get_topology().send()?;
//! assert_eq!(topology.cluster_size, same.cluster_size);
//! # Ok(()) }
//! ```
//!
//! A setter that cannot convert its argument (a key that does not validate, variables that do
//! not serialise into a JSON object) does not panic: the builder remembers the first such
//! error and `send()` returns it, as [`Error::InvalidArgument`] naming the setter, before
//! anything is sent.

use crate::{CamundaClient, Error, Result};
use futures::future::{BoxFuture, Either};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

pub(crate) mod parts;

mod sealed {
    pub trait Sealed {}
}

/// The client a builder sends through: [`Async`] or [`Blocking`]. It decides what `send()`
/// returns.
pub trait Flavor<'a>: Copy + Send + sealed::Sealed {
    /// What `send()` returns for a success value `T`: a future of `Result<T>` on the async
    /// client, `Result<T>` on the blocking one.
    type Output<T: Send + 'a>;

    /// The async client underneath (the blocking client wraps one).
    fn client(&self) -> &'a CamundaClient;

    /// Runs an exchange the way this flavour does.
    fn run<T, Fut>(self, exchange: Fut) -> Self::Output<T>
    where
        T: Send + 'a,
        Fut: Future<Output = Result<T>> + Send + 'a;
}

/// Builders of the async [`CamundaClient`]: `send()` returns a future, and the builder itself
/// can be `.await`ed.
#[derive(Clone, Copy, Debug)]
pub struct Async<'a>(pub(crate) &'a CamundaClient);

/// Builders of the [`blocking::CamundaClient`](crate::blocking::CamundaClient): `send()`
/// returns the value.
#[derive(Clone, Copy, Debug)]
pub struct Blocking<'a>(pub(crate) &'a crate::blocking::CamundaClient);

impl sealed::Sealed for Async<'_> {}
impl sealed::Sealed for Blocking<'_> {}

impl<'a> Flavor<'a> for Async<'a> {
    type Output<T: Send + 'a> = BoxFuture<'a, Result<T>>;

    fn client(&self) -> &'a CamundaClient {
        self.0
    }

    fn run<T, Fut>(self, exchange: Fut) -> Self::Output<T>
    where
        T: Send + 'a,
        Fut: Future<Output = Result<T>> + Send + 'a,
    {
        Box::pin(exchange)
    }
}

impl<'a> Flavor<'a> for Blocking<'a> {
    type Output<T: Send + 'a> = Result<T>;

    fn client(&self) -> &'a CamundaClient {
        self.0.inner()
    }

    fn run<T, Fut>(self, exchange: Fut) -> Self::Output<T>
    where
        T: Send + 'a,
        Fut: Future<Output = Result<T>> + Send + 'a,
    {
        block_on(self.0, exchange)
    }
}

/// The flavours whose builders are futures (`.await` without `.send()`).
pub trait AsyncFlavor<'a>: Flavor<'a> {
    /// `send()`'s output as the boxed future `IntoFuture` names.
    fn boxed<T: Send + 'a>(out: Self::Output<T>) -> BoxFuture<'a, Result<T>>;
}

impl<'a> AsyncFlavor<'a> for Async<'a> {
    fn boxed<T: Send + 'a>(out: Self::Output<T>) -> BoxFuture<'a, Result<T>> {
        out
    }
}

/// The flavours that block (`iter()` on paged searches).
pub trait BlockingFlavor<'a>: Flavor<'a> {
    /// The blocking client.
    fn blocking(&self) -> &'a crate::blocking::CamundaClient;
}

impl<'a> BlockingFlavor<'a> for Blocking<'a> {
    fn blocking(&self) -> &'a crate::blocking::CamundaClient {
        self.0
    }
}

/// A filter model being set by a search builder's `filter(|f| …)`: one setter per field,
/// each taking the field's value or anything that converts into it (a key's text, an enum
/// value, an `Advanced…Filter` with operators).
#[derive(Debug)]
pub struct Fields<T> {
    pub(crate) value: T,
    pub(crate) invalid: Option<(&'static str, String)>,
}

impl<T> Fields<T> {
    pub(crate) fn new(value: T) -> Self {
        Fields {
            value,
            invalid: None,
        }
    }

    pub(crate) fn reject(&mut self, name: &'static str, message: String) {
        if self.invalid.is_none() {
            self.invalid = Some((name, message));
        }
    }
}

/// Runs one exchange on the blocking client's runtime. The future is boxed and its output
/// written to a local, so the runtime's `block_on` is compiled once for all operations instead
/// of once per operation.
pub(crate) fn block_on<T>(
    client: &crate::blocking::CamundaClient,
    future: impl Future<Output = Result<T>>,
) -> Result<T> {
    let mut out = None;
    let erased: std::pin::Pin<Box<dyn Future<Output = Result<()>> + '_>> = Box::pin(async {
        out = Some(future.await);
        Ok(())
    });
    client.block_on(erased)?;
    out.unwrap_or_else(|| {
        Err(Error::Runtime(
            "the operation did not run to completion".into(),
        ))
    })
}

/// A successful answer with its status and headers, from a builder's `send_with_response()`.
#[derive(Debug)]
#[non_exhaustive]
pub struct Response<T> {
    /// The HTTP status (a 2xx).
    pub status: u16,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The decoded body.
    pub body: T,
}

/// The first invalid argument a builder saw; later ones are not reported over it.
pub(crate) fn reject(slot: &mut Option<Error>, name: &'static str, message: String) {
    if slot.is_none() {
        *slot = Some(Error::InvalidArgument { name, message });
    }
}

/// A key (or anything that converts into one, such as a string or a result that carries it).
pub(crate) fn key<K, V>(slot: &mut Option<Error>, name: &'static str, value: V) -> Option<K>
where
    V: TryInto<K>,
    V::Error: Display,
{
    match value.try_into() {
        Ok(k) => Some(k),
        Err(e) => {
            reject(slot, name, e.to_string());
            None
        }
    }
}

/// A list of keys (each anything that converts into one); the first that does not is reported.
pub(crate) fn keys<K, V>(
    slot: &mut Option<Error>,
    name: &'static str,
    values: impl IntoIterator<Item = V>,
) -> Option<Vec<K>>
where
    V: TryInto<K>,
    V::Error: Display,
{
    let mut out = Vec::new();
    for v in values {
        out.push(key(slot, name, v)?);
    }
    Some(out)
}

/// Variables (any `Serialize` value that is a JSON object) as the map a body carries.
pub(crate) fn variables<V: From<Map<String, Value>>>(
    slot: &mut Option<Error>,
    name: &'static str,
    value: &impl Serialize,
) -> Option<V> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Some(V::from(map)),
        Ok(other) => {
            let kind = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            };
            reject(
                slot,
                name,
                format!("must serialise to a JSON object (name → value), not {kind}"),
            );
            None
        }
        Err(e) => {
            reject(slot, name, format!("could not be serialised: {e}"));
            None
        }
    }
}

/// A duration as the whole milliseconds the API counts in (saturating).
pub(crate) fn millis<T: TryFrom<u128> + Bounded>(value: Duration) -> T {
    T::try_from(value.as_millis()).unwrap_or(T::MAX)
}

/// The integer types millisecond fields have.
pub(crate) trait Bounded {
    const MAX: Self;
}
impl Bounded for i64 {
    const MAX: Self = i64::MAX;
}
impl Bounded for i32 {
    const MAX: Self = i32::MAX;
}

/// A date-time as the API writes it in string fields (RFC 3339, milliseconds, `Z`).
pub(crate) fn date_time(value: chrono::DateTime<chrono::Utc>) -> String {
    crate::transport::rfc3339(&value)
}

/// The error for a required value that was never set.
pub(crate) fn missing(name: &'static str) -> Error {
    Error::InvalidArgument {
        name,
        message: format!("is required: set it with `.{name}(…)`"),
    }
}

/// The error for a body whose set fields match none of its shapes (a `oneOf`).
pub(crate) fn no_shape(choices: &'static str) -> Error {
    Error::InvalidArgument {
        name: "body",
        message: format!("the fields set match none of the request's shapes; set {choices}"),
    }
}

/// A builder's argument error or the value.
pub(crate) fn check(slot: Option<Error>) -> Result<()> {
    match slot {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The body a free-form JSON request sends when the caller sets none: `{}`.
pub(crate) fn empty_body<T: From<Map<String, Value>>>() -> T {
    T::from(Map::new())
}

/// How a kind of success body is read (`send()` of a builder picks one). The exchanges are
/// written once here, generic, instead of once per operation in every builder: less code for
/// the compiler to check, and none compiled until a crate sends the operation.
pub(crate) trait Read<T>: Send {
    /// Sends `call` and reads its answer as `T`.
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<T>> + Send + '_;
}

/// A JSON body.
pub(crate) struct Json;
/// A JSON body, or `None` for 204.
pub(crate) struct JsonOrNone;
/// No body.
pub(crate) struct Unit;
/// A text body.
pub(crate) struct Text;
/// A text body, or `None` for 204.
pub(crate) struct TextOrNone;
/// A binary body.
pub(crate) struct Bytes;

impl<T: serde::de::DeserializeOwned + Send + 'static> Read<T> for Json {
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<T>> + Send + '_ {
        client.send_json(call)
    }
}

impl<T: serde::de::DeserializeOwned + Send + 'static> Read<Option<T>> for JsonOrNone {
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<Option<T>>> + Send + '_ {
        client.send_json_or_none(call)
    }
}

impl Read<()> for Unit {
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<()>> + Send + '_ {
        client.send_unit(call)
    }
}

impl Read<String> for Text {
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<String>> + Send + '_ {
        client.send_text(call)
    }
}

impl Read<Option<String>> for TextOrNone {
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<Option<String>>> + Send + '_ {
        client.send_text_or_none(call)
    }
}

impl Read<Vec<u8>> for Bytes {
    fn read(
        client: &CamundaClient,
        call: crate::transport::Call,
    ) -> impl Future<Output = Result<Vec<u8>>> + Send + '_ {
        client.send_bytes(call)
    }
}

/// A builder's exchange: the request it built (or its first invalid argument), read by `R`.
/// Not an `async fn`: its future would keep the `Call` argument for as long as it runs, next to
/// the exchange the `Call` was moved into.
pub(crate) fn send<'a, R: Read<T>, T: Send + 'a>(
    client: &'a CamundaClient,
    call: Result<crate::transport::Call>,
) -> impl Future<Output = Result<T>> + Send + 'a {
    match call {
        Ok(call) => Either::Left(R::read(client, call)),
        Err(e) => Either::Right(std::future::ready(Err(e))),
    }
}

/// A builder's exchange with its status and headers.
pub(crate) fn send_full<'a, T: Send + 'a>(
    client: &'a CamundaClient,
    call: Result<crate::transport::Call>,
    read: fn(&'static str, reqwest::StatusCode, bytes::Bytes) -> Result<T>,
) -> impl Future<Output = Result<Response<T>>> + Send + 'a {
    match call {
        Ok(call) => Either::Left(client.send_full(call, read)),
        Err(e) => Either::Right(std::future::ready(Err(e))),
    }
}

/// An eventually consistent read that waits: the request made again from its body for every
/// read `wait` makes. (A read that does not wait is [`send`]'s exchange: `parts::send_waiting`
/// decides, before a body is kept.)
pub(crate) fn send_waiting<'a, R, T, B, M>(
    client: &'a CamundaClient,
    wait: crate::consistency::Wait<T>,
    non_empty: Option<fn(&T) -> bool>,
    body: B,
    request: M,
) -> impl Future<Output = Result<T>> + Send + 'a
where
    R: Read<T>,
    T: Send + 'a,
    B: Send + 'a,
    M: Fn(&B) -> Result<crate::transport::Call> + Send + 'a,
{
    wait.read(client, non_empty, move || {
        let call = request(&body);
        async move { R::read(client, call?).await }
    })
}

/// A paged search's items, page by page (`stream()` / `iter()` of its builder).
pub(crate) fn stream<Q, R, M>(
    client: CamundaClient,
    parts: Result<(Q, M)>,
) -> crate::paging::ItemStream<R::Item>
where
    Q: crate::paging::PagedQuery,
    R: crate::paging::PagedResult + serde::de::DeserializeOwned + Send + 'static,
    R::Item: Send + 'static,
    M: Fn(&Q) -> Result<crate::transport::Call> + Send + Sync + 'static,
{
    match parts {
        Ok((body, request)) => {
            crate::paging::stream(body, crate::paging::Paging::new(), move |body: Q| {
                let client = client.clone();
                let call = request(&body);
                async move { client.send_json::<R>(call?).await }
            })
        }
        Err(e) => crate::paging::failed(e),
    }
}
