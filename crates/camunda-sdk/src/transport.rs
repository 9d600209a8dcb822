//! The one request pipeline. Every operation, generated or hand-written, goes through
//! [`Transport::execute`]: auth header, default tenant, per-request timeout (long-poll aware),
//! a `tracing` span, retries, and mapping failures to [`Error`].

use crate::auth::AuthProvider;
use crate::keys::TenantId;
use crate::resilience::{self, Next, RetryPolicy};
use crate::types::ProblemDetail;
use crate::{Error, Result};
use bytes::Bytes;
use futures::FutureExt;
use reqwest::StatusCode;
use reqwest::header::{self, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tracing::Instrument;

pub(crate) use reqwest::Method;

/// What the pipeline needs to know about an operation (generated from the inventory).
#[derive(Debug)]
pub(crate) struct OpMeta {
    pub id: &'static str,
    /// Safe to send again after an ambiguous failure.
    pub idempotent: bool,
    /// The body has an optional top-level `tenantId` the default tenant may fill.
    pub tenant_in_body: bool,
    /// Read by the version guard (`version.rs`).
    pub added_in: Option<&'static str>,
    /// The server may hold the request for the body's `requestTimeout`.
    pub long_poll: bool,
    /// The `Accept` header: the success body's media type, and problem details.
    pub accept: &'static str,
}

/// A date-time query parameter as RFC 3339 with milliseconds (`2024-06-01T12:00:00.000Z`).
pub(crate) fn rfc3339(value: &chrono::DateTime<chrono::Utc>) -> String {
    value.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
pub(crate) fn encode_path(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Whether a serialised body has a `"requestTimeout"` key (or that text in a string). Only the
/// places of its rare `T` are compared: a window-by-window search cost ~700 instructions on a
/// 90-byte body, a tenth of what the SDK adds to a small call.
fn mentions_request_timeout(body: &[u8]) -> bool {
    const KEY: &[u8] = b"\"requestTimeout\"";
    const AT: usize = 8;
    memchr::memchr_iter(b'T', body).any(|i| i >= AT && body[i - AT..].starts_with(KEY))
}

/// The body of a request, serialised once so retries resend the same bytes.
pub(crate) enum Body {
    None,
    /// Shared, so a retry resends it without a copy.
    Json(bytes::Bytes),
    /// A multipart form is rebuilt for each attempt (forms are not cloneable).
    Multipart(Arc<dyn Fn() -> reqwest::multipart::Form + Send + Sync>),
}

/// One request, before the pipeline sends it.
pub(crate) struct Call {
    pub op: &'static OpMeta,
    pub method: Method,
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Body,
    /// Extra time the server may legitimately hold the request (long polling).
    pub hold: Duration,
    /// The caller reads the answer as a stream: the timeout bounds the wait for the answer to
    /// start, not the whole body (the caller bounds the gaps between chunks).
    pub streamed: bool,
}

impl Call {
    pub fn new(op: &'static OpMeta, method: Method, path: String) -> Self {
        Call {
            op,
            method,
            path,
            query: Vec::new(),
            body: Body::None,
            hold: Duration::ZERO,
            streamed: false,
        }
    }

    /// Marks the answer as read by the caller as a stream (see [`Call::streamed`](field@Call::streamed)).
    pub fn streamed(mut self) -> Self {
        self.streamed = true;
        self
    }

    pub fn query(mut self, name: &'static str, value: Option<String>) -> Self {
        if let Some(v) = value {
            self.query.push((name, v));
        }
        self
    }

    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::InvalidArgument {
            name: "body",
            message: format!("could not serialise the request body: {e}"),
        })?;
        // Reading the body again costs as much as a small call's decoding: only when it has the
        // field (serde_json writes keys unescaped, so the bytes show it when it is there).
        if self.op.long_poll && mentions_request_timeout(&bytes) {
            // The body's `requestTimeout` (job activation, or creating an instance that awaits
            // completion) is how long the server may hold the request. Only that field is read.
            #[derive(serde::Deserialize)]
            struct Hold {
                #[serde(rename = "requestTimeout")]
                request_timeout: Option<i64>,
            }
            let timeout = serde_json::from_slice::<Hold>(&bytes)
                .ok()
                .and_then(|h| h.request_timeout);
            self = self.long_poll(timeout);
        } else if self.op.long_poll {
            self = self.long_poll(None);
        }
        self.body = Body::Json(bytes.into());
        Ok(self)
    }

    pub fn multipart(
        mut self,
        form: Arc<dyn Fn() -> reqwest::multipart::Form + Send + Sync>,
    ) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    /// The server may hold this request for `request_timeout_ms` (job activation long poll).
    fn long_poll(mut self, request_timeout_ms: Option<i64>) -> Self {
        // The server's default long poll (a value of 0 or none) is 10 s at most.
        let ms = match request_timeout_ms {
            Some(ms) if ms > 0 => ms as u64,
            Some(ms) if ms < 0 => 0,
            _ => 10_000,
        };
        self.hold = Duration::from_millis(ms);
        self
    }
}

/// Shared by every clone of a client.
pub(crate) struct Transport {
    http: reqwest::Client,
    /// The cluster address without a trailing `/`.
    address: String,
    auth: Arc<dyn AuthProvider>,
    default_tenant: Option<TenantId>,
    request_timeout: Duration,
    /// The client-wide backpressure gate every attempt passes (`gate.rs`).
    gate: crate::gate::Gate,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("address", &self.address)
            .field("auth", &self.auth)
            .field("default_tenant", &self.default_tenant)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

/// Answers kept whole for error messages are cut to this many bytes.
const BODY_EXCERPT: usize = 512;

impl Transport {
    pub fn new(
        http: reqwest::Client,
        address: &str,
        auth: Arc<dyn AuthProvider>,
        default_tenant: Option<TenantId>,
        request_timeout: Duration,
    ) -> Self {
        Transport {
            http,
            address: address.trim_end_matches('/').to_owned(),
            auth,
            default_tenant,
            request_timeout,
            gate: crate::gate::Gate::new(Default::default()),
        }
    }

    /// Replaces the default backpressure gate.
    pub fn with_gate(mut self, gate: crate::gate::Gate) -> Self {
        self.gate = gate;
        self
    }

    pub fn gate(&self) -> &crate::gate::Gate {
        &self.gate
    }

    pub fn address(&self) -> &str {
        &self.address
    }

    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    pub fn default_tenant(&self) -> Option<&TenantId> {
        self.default_tenant.as_ref()
    }

    /// Sends `call` under `policy` and returns the successful response with its body unread,
    /// for answers the caller reads as a stream. Retries cover the exchange up to the headers.
    pub async fn execute(&self, call: Call, policy: &RetryPolicy) -> Result<reqwest::Response> {
        match self.exchange(call.streamed(), policy).await? {
            Answer::Streamed(resp) => Ok(resp),
            Answer::Whole { .. } => unreachable!("a streamed call yields the response"),
        }
    }

    /// Sends `call` under `policy` and reads the whole successful answer. The retry unit is the
    /// whole exchange: an answer whose body breaks off counts like a dropped connection.
    /// (This and the readers below map the exchange's future instead of awaiting it in one of
    /// their own: each `async fn` layer would keep another copy of the `Call`.)
    fn whole<'a>(
        &'a self,
        call: Call,
        policy: &'a RetryPolicy,
    ) -> impl Future<Output = Result<(StatusCode, Bytes)>> + Send + 'a {
        self.exchange(call, policy).map(|answer| match answer? {
            Answer::Whole { status, body, .. } => Ok((status, body)),
            Answer::Streamed(_) => unreachable!("only a streamed call yields the response"),
        })
    }

    // Not an `async fn`, here and below: an `async fn` keeps its by-value arguments twice in
    // its future (as arguments and as the body's locals), and this future is every call's.
    #[allow(clippy::manual_async_fn)]
    fn exchange<'a>(
        &'a self,
        mut call: Call,
        policy: &'a RetryPolicy,
    ) -> impl Future<Output = Result<Answer>> + Send + 'a {
        async move {
            // Hook for `consistency`: a surrounding wait names this operation in its timeout error.
            crate::consistency::note_operation(call.op.id);
            self.inject_tenant(&mut call);
            // Kept only when a subscriber wants it, and then boxed with the attempts it
            // covers: inline, a span would grow every call's future.
            let span = Some(tracing::debug_span!(
                "camunda.request",
                operation = call.op.id,
                method = %call.method,
                path = %call.path,
            ))
            .filter(|span| !span.is_disabled())
            .map(Box::new);
            let attempts = Attempts {
                transport: self,
                call: &call,
                policy,
                sent_auth: std::sync::Mutex::new(None),
                refreshed: AtomicBool::new(false),
            };
            match span {
                None => attempts.run().await,
                Some(span) => Box::pin(attempts.run().instrument(*span)).await,
            }
        }
    }

    /// `err` with every credential the client holds (and the one the request was sent with)
    /// replaced by `***` in the parts that quote the server's answer.
    fn scrub(&self, mut err: Error, sent: Option<&HeaderValue>) -> Error {
        let sent = sent.and_then(crate::auth::credential);
        let clean = |text: &mut String| {
            let scrubbed = self.auth.scrub(std::borrow::Cow::Borrowed(text.as_str()));
            let scrubbed = crate::auth::scrub_secrets(scrubbed, sent);
            if let std::borrow::Cow::Owned(new) = scrubbed {
                *text = new;
            }
        };
        match &mut err {
            Error::Http { problem, body, .. } => {
                if let Some(p) = problem {
                    for field in [&mut p.title, &mut p.detail, &mut p.instance]
                        .into_iter()
                        .flatten()
                    {
                        clean(field);
                    }
                    clean(&mut p.type_);
                }
                if let Some(b) = body {
                    clean(b);
                }
            }
            Error::Decode { body, message, .. } => {
                clean(body);
                clean(message);
            }
            _ => {}
        }
        err
    }

    /// Fills the default tenant into a body that takes one and does not name one.
    fn inject_tenant(&self, call: &mut Call) {
        let (Some(tenant), true, Body::Json(bytes)) =
            (&self.default_tenant, call.op.tenant_in_body, &mut call.body)
        else {
            return;
        };
        let Ok(serde_json::Value::Object(mut obj)) = serde_json::from_slice(bytes) else {
            return;
        };
        if obj.get("tenantId").is_none_or(serde_json::Value::is_null) {
            obj.insert("tenantId".into(), tenant.as_str().into());
            if let Ok(new) = serde_json::to_vec(&obj) {
                *bytes = new.into();
            }
        }
    }

    /// One exchange: the request, and the whole answer unless the call is streamed.
    /// `sent_auth` receives the `Authorization` value sent, for a 401.
    #[allow(clippy::manual_async_fn)]
    fn attempt<'a>(
        &'a self,
        call: &'a Call,
        sent_auth: &'a std::sync::Mutex<Option<HeaderValue>>,
    ) -> impl Future<Output = Result<Answer>> + Send + 'a {
        async move {
            // The credential first: the request built below is then not held across this wait.
            let authorization = self.auth.authorization().await?;
            let mut url = String::with_capacity(self.address.len() + call.path.len());
            url.push_str(&self.address);
            url.push_str(&call.path);
            let mut req = self
                .http
                .request(call.method.clone(), url)
                .header(header::ACCEPT, accept(call.op));
            if !call.query.is_empty() {
                req = req.query(&call.query);
            }
            match &call.body {
                Body::None => {}
                Body::Json(bytes) => {
                    req = req.header(header::CONTENT_TYPE, JSON).body(bytes.clone());
                }
                Body::Multipart(form) => req = req.multipart(form()),
            }
            if let Some(value) = authorization {
                req = req.header(header::AUTHORIZATION, value.clone());
                *sent_auth.lock().unwrap_or_else(|e| e.into_inner()) = Some(value);
            }
            // One timer, inline in this future, bounds the exchange (for a streamed call, up to the
            // answer's start). reqwest's own per-request timeout would box one timer for the
            // answer and another for its body: 4 allocations and ~1,800 instructions a call.
            let sending = req.send();
            // The operation and the timeout are looked up again where needed rather than kept:
            // each value kept across a wait is in every call's future.
            let exchange = async move {
                let op = call.op.id;
                let mut resp = sending
                    .await
                    .map_err(|e| transport_error(op, e, self.timeout(call)))?;
                let status = resp.status();
                if !status.is_success() {
                    // Boxed: only a failed call pays for reading a problem body, and inline it
                    // would grow every call's future.
                    return Err(Box::pin(http_error(op, resp, self.timeout(call))).await);
                }
                if call.streamed {
                    return Ok(Answer::Streamed(resp));
                }
                let body = read_body(op, &mut resp, self.timeout(call)).await?;
                // Taken, not copied: only `send_with_response` reads them.
                let headers = std::mem::take(resp.headers_mut());
                Ok(Answer::Whole {
                    status,
                    headers,
                    body,
                })
            };
            tokio::time::timeout(self.timeout(call), exchange)
                .await
                .unwrap_or_else(|_| {
                    Err(Error::Timeout {
                        operation: call.op.id,
                        after: self.timeout(call),
                    })
                })
        }
    }

    /// How long one attempt of `call` may take: the request timeout, plus the time the server
    /// may hold a long poll.
    fn timeout(&self, call: &Call) -> Duration {
        self.request_timeout + call.hold
    }

    /// The whole successful answer, read by `read` (one of [`read`]'s functions: the one place
    /// that knows how each kind of success body is read).
    pub fn answer<'a, T>(
        &'a self,
        call: Call,
        policy: &'a RetryPolicy,
        read: impl FnOnce(&'static str, StatusCode, Bytes) -> Result<T> + Send + 'a,
    ) -> impl Future<Output = Result<T>> + Send + 'a {
        let op = call.op.id;
        self.whole(call, policy).map(move |answer| {
            let (status, bytes) = answer?;
            read(op, status, bytes).map_err(|e| self.scrub(e, None))
        })
    }

    /// The whole answer with its status and headers, read by `read` (one of [`read`]'s
    /// functions).
    pub fn full<'a, T: 'a>(
        &'a self,
        call: Call,
        policy: &'a RetryPolicy,
        read: fn(&'static str, StatusCode, Bytes) -> Result<T>,
    ) -> impl Future<Output = Result<crate::request::Response<T>>> + Send + 'a {
        let op = call.op.id;
        self.exchange(call, policy).map(move |answer| {
            let Answer::Whole {
                status,
                headers,
                body,
            } = answer?
            else {
                unreachable!("only a streamed call yields the response")
            };
            let body = read(op, status, body).map_err(|e| self.scrub(e, None))?;
            Ok(crate::request::Response {
                status: status.as_u16(),
                headers,
                body,
            })
        })
    }
}

/// The `Content-Type` of a JSON body. Header values are made at compile time:
/// `HeaderValue::from_static` checks every byte when it runs (~450 instructions for the usual
/// `Accept`).
const JSON: HeaderValue = HeaderValue::from_static("application/json");

/// The `Accept` value of almost every operation.
const ACCEPT_JSON: &str = "application/json, application/problem+json";

/// The `Accept` header of `op`.
fn accept(op: &OpMeta) -> HeaderValue {
    const VALUE: HeaderValue = HeaderValue::from_static(ACCEPT_JSON);
    if op.accept == ACCEPT_JSON {
        VALUE
    } else {
        HeaderValue::from_static(op.accept)
    }
}

/// What the attempts of one exchange share. One reference to it is all the retry loop's
/// closures hold: each value they held themselves would be in every call's future.
struct Attempts<'a> {
    transport: &'a Transport,
    call: &'a Call,
    policy: &'a RetryPolicy,
    /// The `Authorization` value of the latest attempt, for a 401.
    sent_auth: std::sync::Mutex<Option<HeaderValue>>,
    /// Whether a 401 has made the credentials refresh (once per exchange).
    refreshed: AtomicBool,
}

impl Attempts<'_> {
    /// The attempts, each through the gate, retried as the policy says.
    fn run(&self) -> impl Future<Output = Result<Answer>> + Send + '_ {
        resilience::retry(
            self.call.op.id,
            move |_| async move {
                let t = self.transport;
                // Each attempt waits for a permit (at most the request timeout) and reports
                // back.
                let sent = || t.attempt(self.call, &self.sent_auth);
                let result = t.gate.run(self.call.op.id, t.request_timeout, sent).await;
                // Before anything logs it: an answer may echo the request's credentials.
                result.map_err(|e| t.scrub(e, self.sent_auth().as_ref()))
            },
            move |err, attempt| self.next(err, attempt),
        )
    }

    fn sent_auth(&self) -> Option<HeaderValue> {
        self.sent_auth
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// What follows a failed attempt.
    fn next(&self, err: &Error, attempt: u32) -> Next {
        // An API 401 means the credentials went stale: refresh once and resend at once. (A 401
        // from the token endpoint is an `Error::Auth`: refetching would not help.)
        if matches!(err, Error::Http { status: 401, .. })
            && !self.refreshed.swap(true, Ordering::Relaxed)
        {
            let rejected = self
                .sent_auth
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some(rejected) = rejected {
                self.transport.auth.invalidate(&rejected);
            }
            return Next::Now;
        }
        self.policy.next(err, self.call.op.idempotent, attempt)
    }
}

/// What one exchange yields.
enum Answer {
    /// The status, the headers and the whole body.
    Whole {
        status: StatusCode,
        headers: header::HeaderMap,
        body: Bytes,
    },
    /// The response of a streamed call, its body unread.
    Streamed(reqwest::Response),
}

/// Readers of a whole answer for [`Transport::answer`] and [`Transport::full`], one per kind of
/// success body.
pub(crate) mod read {
    use super::{Bytes, Result, StatusCode, decode, utf8};
    use serde::de::DeserializeOwned;

    /// A JSON body.
    pub fn json<T: DeserializeOwned>(op: &'static str, _: StatusCode, body: Bytes) -> Result<T> {
        decode(op, &body)
    }

    /// A JSON body, or `None` for 204.
    pub fn json_or_none<T: DeserializeOwned>(
        op: &'static str,
        status: StatusCode,
        body: Bytes,
    ) -> Result<Option<T>> {
        if status == StatusCode::NO_CONTENT || body.is_empty() {
            return Ok(None);
        }
        decode(op, &body).map(Some)
    }

    /// No body the caller needs.
    pub fn unit(_: &'static str, _: StatusCode, _: Bytes) -> Result<()> {
        Ok(())
    }

    /// A text body.
    pub fn text(op: &'static str, _: StatusCode, body: Bytes) -> Result<String> {
        utf8(op, body)
    }

    /// A text body, or `None` for 204.
    pub fn text_or_none(
        op: &'static str,
        status: StatusCode,
        body: Bytes,
    ) -> Result<Option<String>> {
        if status == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        utf8(op, body).map(Some)
    }

    /// A binary body.
    pub fn bytes(_: &'static str, _: StatusCode, body: Bytes) -> Result<Vec<u8>> {
        Ok(body.to_vec())
    }
}

fn utf8(op: &'static str, bytes: Bytes) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| Error::Decode {
        operation: op,
        path: None,
        message: format!("the answer is not UTF-8: {e}"),
        body: String::new(),
        source: None,
    })
}

/// The whole body: a body that arrives in one chunk is that chunk (decoded from reqwest's
/// buffer, not copied). Read chunk by chunk through a borrow rather than by
/// `Response::bytes`, whose layers of `async fn` each keep their own copy of the response in
/// every call's future (and not an `async fn` itself, for the reason `Transport::exchange`
/// gives).
#[allow(clippy::manual_async_fn)]
fn read_body<'a>(
    op: &'static str,
    resp: &'a mut reqwest::Response,
    timeout: Duration,
) -> impl Future<Output = Result<bytes::Bytes>> + Send + 'a {
    async move {
        // One `Bytes` for a body that comes in one chunk, a buffer only when more follow.
        let mut first = Bytes::new();
        let mut whole: Option<bytes::BytesMut> = None;
        while let Some(chunk) = resp
            .chunk()
            .await
            .map_err(|e| transport_error(op, e, timeout))?
        {
            match &mut whole {
                None if first.is_empty() => first = chunk,
                None => {
                    let hint = resp.content_length().and_then(|n| usize::try_from(n).ok());
                    let need = first.len() + chunk.len();
                    let mut buf = bytes::BytesMut::with_capacity(hint.unwrap_or(0).max(need));
                    buf.extend_from_slice(&first);
                    buf.extend_from_slice(&chunk);
                    whole = Some(buf);
                }
                Some(buf) => buf.extend_from_slice(&chunk),
            }
        }
        Ok(whole.map_or(first, bytes::BytesMut::freeze))
    }
}

/// Decodes a JSON body. Only a body that fails is decoded a second time, tracking the path, so
/// that a successful decode costs nothing extra.
pub(crate) fn decode<T: DeserializeOwned>(op: &'static str, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|fast| decode_error::<T>(op, bytes, fast))
}

/// The error for a body `T` does not decode: the JSON path of the value at fault and the
/// decoder's message (what it found, what it expected).
pub(crate) fn decode_error<T: DeserializeOwned>(
    op: &'static str,
    bytes: &[u8],
    fast: serde_json::Error,
) -> Error {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        // Not expected (the same bytes, the same type); keep the first error.
        Ok(_) => (".".to_owned(), fast),
    };
    Error::Decode {
        operation: op,
        path: Some(path),
        message: source.to_string(),
        body: excerpt(bytes),
        source: Some(source),
    }
}

fn excerpt(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(BODY_EXCERPT)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > BODY_EXCERPT {
        s.push('…');
    }
    s
}

fn transport_error(op: &'static str, e: reqwest::Error, timeout: Duration) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            operation: op,
            after: timeout,
        }
    } else {
        Error::Transport {
            operation: op,
            not_sent: e.is_connect(),
            source: e,
        }
    }
}

/// Maps a non-2xx answer: the problem detail when the body is one, else an excerpt.
async fn http_error(op: &'static str, resp: reqwest::Response, timeout: Duration) -> Error {
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let bytes = match resp.bytes().await {
        Ok(b) => b,
        Err(e) => return transport_error(op, e, timeout),
    };
    let problem = serde_json::from_slice::<ProblemDetail>(&bytes)
        .ok()
        .filter(|p| p.title.is_some() || p.detail.is_some() || p.status.is_some());
    let body = match &problem {
        Some(_) => None,
        None if bytes.is_empty() => None,
        None => Some(excerpt(&bytes)),
    };
    Error::Http {
        operation: op,
        status,
        problem: problem.map(Box::new),
        body,
        retry_after,
    }
}

/// `Retry-After` in seconds or as an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.signed_duration_since(chrono::Utc::now());
    delta.to_std().ok().or(Some(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn long_poll_extends_the_timeout() {
        static OP: OpMeta = OpMeta {
            id: "activateJobs",
            idempotent: false,
            tenant_in_body: false,
            added_in: None,
            long_poll: true,
            accept: "application/json",
        };
        let call = Call::new(&OP, Method::POST, "/v2/jobs/activation".into());
        assert_eq!(call.long_poll(Some(60_000)).hold, Duration::from_secs(60));
        let call = Call::new(&OP, Method::POST, "/v2/jobs/activation".into());
        assert_eq!(call.long_poll(Some(-1)).hold, Duration::ZERO);

        // From the body: its top-level `requestTimeout`, else the server's default of 10 s.
        let hold = |body: serde_json::Value| {
            Call::new(&OP, Method::POST, "/v2/jobs/activation".into())
                .json(&body)
                .unwrap()
                .hold
        };
        let at = |ms| Duration::from_millis(ms);
        assert_eq!(hold(serde_json::json!({"requestTimeout": 2500})), at(2500));
        assert_eq!(hold(serde_json::json!({"type": "x"})), at(10_000));
        let nested = serde_json::json!({"variables": {"requestTimeout": 1}});
        assert_eq!(hold(nested), at(10_000));
    }
}
