//! One error type for every operation.
//!
//! HTTP failures carry the operation id, the status and the server's RFC 9457 problem detail
//! (or an excerpt of the raw body when it is not one). [`Error::is_retryable`] says whether
//! trying again can help; the client's retry policy uses the same answer.

use crate::types::ProblemDetail;
use std::path::PathBuf;
use std::time::Duration;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when talking to a Camunda cluster.
///
/// ```
/// # fn handle(err: camunda_sdk::Error) {
/// match &err {
///     camunda_sdk::Error::Http { status: 404, .. } => println!("not there (yet?)"),
///     e if e.is_retryable() => println!("transient: {e}"),
///     e => println!("failed: {e}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration is invalid; `variable` names the environment variable or builder
    /// setting at fault.
    #[error("invalid configuration {variable}: {message}")]
    Config {
        /// The variable or setting, e.g. `CAMUNDA_REST_ADDRESS`.
        variable: String,
        /// What is wrong with it and what is expected.
        message: String,
    },

    /// Credentials could not be obtained or were rejected.
    #[error("authentication failed: {message}")]
    Auth {
        /// What failed, e.g. the token endpoint's answer.
        message: String,
        /// The HTTP status of the token endpoint or API, when there was one.
        status: Option<u16>,
        /// Whether asking again later may succeed (token endpoint down, not a wrong secret).
        retryable: bool,
        /// The underlying failure (the token request's transport error), when there was one.
        #[source]
        source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
    },

    /// A key or identifier is not valid for its type.
    #[error(transparent)]
    InvalidKey(#[from] camunda_raw::InvalidKey),

    /// An argument was rejected before any request was sent.
    #[error("invalid argument `{name}`: {message}")]
    InvalidArgument {
        /// The argument.
        name: &'static str,
        /// Why it was rejected.
        message: String,
    },

    /// The server answered with an error status.
    #[error("{operation}: HTTP {status}{}", describe_problem(problem.as_deref(), body.as_deref()))]
    Http {
        /// The operation id, e.g. `createProcessInstance`.
        operation: &'static str,
        /// The HTTP status code.
        status: u16,
        /// The RFC 9457 problem detail, when the body was one.
        problem: Option<Box<ProblemDetail>>,
        /// The start of the body, when it was not a problem detail (an HTML proxy page, say).
        body: Option<String>,
        /// How long the server asked us to wait (`Retry-After`).
        retry_after: Option<Duration>,
    },

    /// The request could not be sent or its answer not received (connection refused or reset,
    /// DNS, TLS, a body that broke off). `Display` says whether the server may have acted on
    /// the request and names the root cause.
    #[error("{operation}: {}: {source}{}", transport_phase(*not_sent), root_cause(source))]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// Whether the request is known not to have reached the server (connect failure), so
        /// that even a non-idempotent request may be sent again.
        not_sent: bool,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },

    /// No answer arrived within the request timeout.
    #[error("{operation}: no answer within {after:?}")]
    Timeout {
        /// The operation id.
        operation: &'static str,
        /// The timeout that expired.
        after: Duration,
    },

    /// The server's answer did not decode into the expected type.
    #[error(
        "{operation}: could not decode the response{}: {message}",
        path.as_ref().map(|p| format!(" at `{p}`")).unwrap_or_default()
    )]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The JSON path of the value at fault (`jobs[3].retries`, `.` for the whole body), when
        /// known.
        path: Option<String>,
        /// The decoder's message: what was found and what was expected.
        message: String,
        /// The start of the body.
        body: String,
        /// The JSON decoder's error, when JSON decoding failed.
        #[source]
        source: Option<serde_json::Error>,
    },

    /// A local file could not be read or written.
    #[error("{}: {source}", path.as_ref().map_or_else(|| "I/O error".to_owned(), |p| p.display().to_string()))]
    Io {
        /// The file, when one was involved.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// A read with a consistency wait did not see the expected state in time.
    #[error(
        "{operation}: the expected state was not visible after {waited:?} ({attempts} attempts, last: {last})"
    )]
    ConsistencyTimeout {
        /// The operation id.
        operation: &'static str,
        /// How long it waited.
        waited: Duration,
        /// How many reads it made.
        attempts: u32,
        /// The last outcome, e.g. `HTTP 404`.
        last: String,
    },

    /// The server's version does not have this operation.
    #[error("{operation} needs Camunda {required} or newer; the server runs {server}")]
    NotSupported {
        /// The operation id.
        operation: &'static str,
        /// The version that added the operation.
        required: String,
        /// The version the server reported.
        server: String,
    },

    /// A paged search's server answered a cursor it had already answered earlier in the same
    /// walk: following it would loop forever or yield items twice. The items so far are
    /// incomplete; the page that repeated the cursor was not yielded.
    #[error(
        "{operation}: the server repeated page cursor {cursor:?} after {pages} pages of this walk; \
         the results so far are incomplete (the server's paging is broken, or the data changed \
         under the walk: start it again)"
    )]
    PagingLoop {
        /// The operation id.
        operation: &'static str,
        /// The cursor seen twice.
        cursor: String,
        /// The pages fetched in this walk, the repeating one included.
        pages: u64,
    },

    /// The client's own backpressure gate did not send the request: the cluster signalled
    /// overload, the client lowered its limit on requests in flight, and no permit came free
    /// within the request timeout (or the queue of waiting callers was full). Nothing reached the
    /// server, so trying again later is safe for every operation.
    #[error(
        "{operation}: not sent: the client is holding requests back because the cluster signalled backpressure ({}; limit {limit} in flight, {waiting} waiting); try again later, or raise the request timeout or CAMUNDA_SDK_BACKPRESSURE_MAX_WAITERS",
        if *queue_full { "the wait queue is full".to_owned() } else { format!("no permit within {waited:?}") }
    )]
    Throttled {
        /// The operation id.
        operation: &'static str,
        /// How long the request waited for a permit.
        waited: Duration,
        /// The gate's limit at the time.
        limit: usize,
        /// Callers still waiting at the time.
        waiting: usize,
        /// Refused at once because the wait queue was full, rather than after waiting.
        queue_full: bool,
    },

    /// The blocking client was used where it cannot work (inside an async runtime).
    #[error("{0}")]
    Runtime(String),
}

fn transport_phase(not_sent: bool) -> &'static str {
    if not_sent {
        "could not connect (the request was not sent)"
    } else {
        "the exchange failed after the request was sent (ambiguous: the server may have acted on it)"
    }
}

/// ` (root cause: …)`: the innermost error of `e`'s source chain, when it says more than `e`.
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut root = e;
    while let Some(next) = root.source() {
        root = next;
    }
    if std::ptr::addr_eq(root, e) {
        return String::new();
    }
    format!(" (root cause: {root})")
}

fn describe_problem(problem: Option<&ProblemDetail>, body: Option<&str>) -> String {
    match (problem, body) {
        (Some(p), _) => {
            let mut s = String::new();
            if let Some(t) = &p.title {
                s.push_str(": ");
                s.push_str(t);
            }
            if let Some(d) = &p.detail {
                s.push_str(if s.is_empty() { ": " } else { " — " });
                s.push_str(d);
            }
            s
        }
        (None, Some(b)) if !b.is_empty() => format!(": {b}"),
        _ => String::new(),
    }
}

impl Error {
    /// The HTTP status, for errors the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Http { status, .. } => Some(*status),
            Error::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// The server's problem detail, when it sent one.
    pub fn problem(&self) -> Option<&ProblemDetail> {
        match self {
            Error::Http { problem, .. } => problem.as_deref(),
            _ => None,
        }
    }

    /// The operation id the error belongs to, when it came from an operation.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Http { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. }
            | Error::ConsistencyTimeout { operation, .. }
            | Error::PagingLoop { operation, .. }
            | Error::NotSupported { operation, .. }
            | Error::Throttled { operation, .. } => Some(operation),
            _ => None,
        }
    }

    /// Whether the server signalled backpressure: 429, 503, or a `RESOURCE_EXHAUSTED` problem.
    /// ([`Error::Throttled`], the client's own gate holding a request back, is not: the server
    /// never saw that request.)
    pub fn is_backpressure(&self) -> bool {
        match self {
            Error::Http {
                status, problem, ..
            } => {
                *status == 429
                    || *status == 503
                    || problem.as_ref().is_some_and(|p| {
                        p.title.as_deref() == Some("RESOURCE_EXHAUSTED")
                            || p.type_.ends_with("RESOURCE_EXHAUSTED")
                    })
            }
            _ => false,
        }
    }

    /// Whether the failure may have happened after the server acted on the request (a timeout,
    /// a dropped connection, 502, 504): repeating a non-idempotent request could act twice.
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Http { status, .. } => matches!(status, 500 | 502 | 504),
            Error::Transport { not_sent, .. } => !not_sent,
            Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// Whether trying again may succeed: backpressure, connection failures, timeouts, gateway
    /// errors, and token endpoints that are down. Whether a *particular* request is retried also
    /// depends on whether it is idempotent (see [`crate::RetryPolicy`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Auth { retryable, .. } => *retryable,
            Error::Transport { .. } | Error::Timeout { .. } | Error::Throttled { .. } => true,
            Error::Http { .. } => self.is_backpressure() || self.is_ambiguous(),
            _ => false,
        }
    }

    /// The server's requested wait (`Retry-After`), if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Http { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn config(variable: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Config {
            variable: variable.into(),
            message: message.into(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: Some(path.into()),
            source,
        }
    }
}
