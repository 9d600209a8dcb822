//! The seam between the worker engine and the cluster.

use crate::{Error, keys, types};
use futures::future::BoxFuture;
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// One job of an activation result: decoded, or what could be read of a job that did not decode.
pub type ActivatedJob = Result<types::ActivatedJobResult, Box<UndecodedJob>>;

/// A job of an activation result that did not decode into [`types::ActivatedJobResult`] (a
/// property of the wrong type, or one a server of another version sends differently). The
/// worker fails it back to the server at once with [`error`](Self::error) as the message, so it
/// is neither handled blindly nor left locked until its timeout.
#[derive(Debug)]
#[non_exhaustive]
pub struct UndecodedJob {
    /// The job's key, when it could be read; without it the job cannot be failed back.
    pub key: Option<keys::JobKey>,
    /// The job's retries, when they could be read.
    pub retries: Option<i32>,
    /// The job's lease token, when it carries a readable one.
    pub lease_token: Option<keys::JobLeaseToken>,
    /// Why it did not decode: operation `activateJobs`, the JSON path (`jobs[3].retries`) and
    /// what was expected.
    pub error: Error,
    /// The start of the job as received, without its variables and custom headers (they may
    /// hold secrets).
    pub excerpt: String,
}

/// The owned twin of [`Batch`], for locating the error in a body that is not a batch.
#[derive(Deserialize)]
struct BatchShape {
    #[serde(rename = "jobs")]
    _jobs: Vec<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Decoded {
    jobs: Vec<types::ActivatedJobResult>,
}

#[derive(Deserialize)]
struct Batch<'a> {
    #[serde(borrow)]
    jobs: Vec<&'a RawValue>,
}

/// Decodes a `POST /v2/jobs/activation` response body job by job, so that one job that does not
/// decode does not take the batch with it. Only a body that is not an activation result at all
/// (no `jobs` list) is an error.
///
/// For [`JobApi`] implementations that read the HTTP response themselves.
pub fn decode_activation(body: &[u8]) -> Result<Vec<ActivatedJob>, Error> {
    const OP: &str = "activateJobs";
    // The usual answer, every job decoding, in one pass; only a batch with a job that does not
    // decode is read a second time, job by job (splitting it first would scan every job twice).
    if let Ok(whole) = serde_json::from_slice::<Decoded>(body) {
        return Ok(whole.jobs.into_iter().map(Ok).collect());
    }
    let batch: Batch<'_> = serde_json::from_slice(body)
        .map_err(|e| crate::transport::decode_error::<BatchShape>(OP, body, e))?;
    Ok(batch
        .jobs
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let bytes = raw.get().as_bytes();
            serde_json::from_slice(bytes).map_err(|fast| {
                let mut error =
                    crate::transport::decode_error::<types::ActivatedJobResult>(OP, bytes, fast);
                if let Error::Decode { path, body, .. } = &mut error {
                    *path = Some(match path.as_deref() {
                        None | Some(".") => format!("jobs[{i}]"),
                        Some(p) => format!("jobs[{i}].{p}"),
                    });
                    *body = String::new();
                }
                Box::new(undecoded(bytes, error))
            })
        })
        .collect())
}

/// What can still be read of a job that did not decode.
fn undecoded(bytes: &[u8], error: Error) -> UndecodedJob {
    let mut value: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
    let field = |name: &str| value.get(name).cloned();
    let key = field("jobKey").and_then(|v| keys::JobKey::deserialize(v).ok());
    let retries = field("retries")
        .and_then(|v| v.as_i64())
        .and_then(|r| i32::try_from(r).ok());
    let lease_token = field("jobLeaseToken").and_then(|v| keys::JobLeaseToken::deserialize(v).ok());
    let excerpt = match value.as_object_mut() {
        Some(job) => {
            for secret in ["variables", "customHeaders"] {
                if job.contains_key(secret) {
                    job.insert(secret.to_owned(), Value::String("…".to_owned()));
                }
            }
            cut(&value.to_string())
        }
        // Not an object: a scalar or a broken document, no named fields to hide.
        None => cut(&String::from_utf8_lossy(bytes)),
    };
    UndecodedJob {
        key,
        retries,
        lease_token,
        error,
        excerpt,
    }
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(300) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The five job operations a worker needs.
///
/// The SDK's clients implement this by calling the REST API. Implement it yourself to run a
/// worker (and your handlers) against an in-memory fake in tests:
///
/// ```
/// use camunda_sdk::worker::{ActivatedJob, JobApi};
/// use camunda_sdk::{Error, keys, types};
/// use futures::future::{BoxFuture, FutureExt};
///
/// struct NoJobs;
///
/// impl JobApi for NoJobs {
///     fn activate_jobs(
///         &self,
///         _req: types::JobActivationRequest,
///     ) -> BoxFuture<'_, Result<Vec<ActivatedJob>, Error>> {
///         // A fake returns `Ok(job)` per job; `decode_activation` turns a response body
///         // into this list, jobs that do not decode included.
///         async { Ok(Vec::new()) }.boxed()
///     }
///     fn complete_job(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobCompletionRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
///     fn fail_job(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobFailRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
///     fn throw_job_error(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobErrorRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
///     fn update_job(
///         &self,
///         _key: &keys::JobKey,
///         _req: types::JobUpdateRequest,
///     ) -> BoxFuture<'_, Result<(), Error>> {
///         async { Ok(()) }.boxed()
///     }
/// }
/// ```
///
/// The returned futures must not borrow `key` or `req` (clone what you need before the
/// `async` block); they may borrow `self`.
pub trait JobApi: Send + Sync + 'static {
    /// `POST /v2/jobs/activation`: activate up to `req.max_jobs_to_activate` jobs, long-polling
    /// for up to `req.request_timeout` ms when none are available. Each job is decoded on its
    /// own ([`decode_activation`]): one that does not decode is an `Err` in the list, which the
    /// worker fails back to the server.
    fn activate_jobs(
        &self,
        req: types::JobActivationRequest,
    ) -> BoxFuture<'_, Result<Vec<ActivatedJob>, Error>>;

    /// `POST /v2/jobs/{jobKey}/completion`.
    fn complete_job(
        &self,
        key: &keys::JobKey,
        req: types::JobCompletionRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// `POST /v2/jobs/{jobKey}/failure`.
    fn fail_job(
        &self,
        key: &keys::JobKey,
        req: types::JobFailRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// `POST /v2/jobs/{jobKey}/error`: throw a BPMN error.
    fn throw_job_error(
        &self,
        key: &keys::JobKey,
        req: types::JobErrorRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// `PATCH /v2/jobs/{jobKey}`: change a job's timeout or retries.
    fn update_job(
        &self,
        key: &keys::JobKey,
        req: types::JobUpdateRequest,
    ) -> BoxFuture<'_, Result<(), Error>>;

    /// The most jobs one activation should ask for now, or `None` for no cap. The SDK's client
    /// answers with its backpressure gate's limit while the cluster pushes back, so a worker
    /// asks for fewer jobs instead of adding load; the default is no cap.
    fn activation_cap(&self) -> Option<usize> {
        None
    }
}
