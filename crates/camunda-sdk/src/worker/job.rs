//! What a handler sees ([`Job`], [`JobContext`]) and what it returns ([`Outcome`]).

use super::api::JobApi;
use super::handler::HandlerError;
use crate::{Error, keys, types};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::sync::Arc;
use std::time::Duration;

/// An activated job, as handed to a handler. Cheap to clone.
#[derive(Clone)]
pub struct Job {
    raw: Arc<types::ActivatedJobResult>,
    ctx: JobContext,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("key", self.key())
            .field("type", &self.raw.type_)
            .field("process_instance_key", &self.raw.process_instance_key)
            .field("retries", &self.raw.retries)
            .finish_non_exhaustive()
    }
}

impl Job {
    pub(crate) fn new(raw: types::ActivatedJobResult, ctx: JobContext) -> Self {
        Self {
            raw: Arc::new(raw),
            ctx,
        }
    }

    /// The job's key.
    pub fn key(&self) -> &keys::JobKey {
        &self.raw.job_key
    }

    /// The job type.
    pub fn job_type(&self) -> &str {
        &self.raw.type_
    }

    /// The retries the job has left.
    pub fn retries(&self) -> i32 {
        self.raw.retries
    }

    /// When the job's lock expires, in ms since the UNIX epoch.
    pub fn deadline(&self) -> i64 {
        self.raw.deadline
    }

    /// The process instance the job belongs to.
    pub fn process_instance_key(&self) -> &keys::ProcessInstanceKey {
        &self.raw.process_instance_key
    }

    /// The BPMN element id of the job's task.
    pub fn element_id(&self) -> &keys::ElementId {
        &self.raw.element_id
    }

    /// The job's tenant.
    pub fn tenant_id(&self) -> &keys::TenantId {
        &self.raw.tenant_id
    }

    /// The lease token, when the job was activated with a lease.
    pub fn lease_token(&self) -> Option<&keys::JobLeaseToken> {
        self.raw.job_lease_token.as_ref()
    }

    /// The task's custom headers from the model.
    pub fn custom_headers(&self) -> &Map<String, Value> {
        &self.raw.custom_headers.0
    }

    /// One custom header, when it is a string.
    pub fn custom_header(&self, name: &str) -> Option<&str> {
        self.custom_headers().get(name).and_then(Value::as_str)
    }

    /// The fetched variables as JSON.
    pub fn variables_map(&self) -> &Map<String, Value> {
        &self.raw.variables.0
    }

    /// The fetched variables decoded into `T`. A variable that does not decode is an
    /// [`Error::Decode`] whose message names it (e.g. ``variable `amount`: invalid type``).
    pub fn variables<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_variables(self.variables_map())
    }

    /// One variable decoded into `T`; `Ok(None)` when it was not fetched or is `null`.
    pub fn variable<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, Error> {
        match self.variables_map().get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v).map(Some).map_err(|e| Error::Decode {
                operation: "jobVariables",
                path: Some(name.to_owned()),
                message: format!("variable `{name}`: {e}"),
                body: excerpt(&v.to_string()),
                source: Some(e),
            }),
        }
    }

    /// The job as the server sent it.
    pub fn raw(&self) -> &types::ActivatedJobResult {
        &self.raw
    }

    /// The handle for talking to the server about this job while it runs.
    pub fn context(&self) -> &JobContext {
        &self.ctx
    }

    /// Shorthand for [`JobContext::extend_timeout`].
    pub async fn extend_timeout(&self, timeout: Duration) -> Result<(), Error> {
        self.ctx.extend_timeout(timeout).await
    }
}

/// A running job's line to the server: extend its timeout while the handler works.
#[derive(Clone)]
pub struct JobContext {
    api: Arc<dyn JobApi>,
    key: keys::JobKey,
    lease: Option<keys::JobLeaseToken>,
    runtime: tokio::runtime::Handle,
}

impl std::fmt::Debug for JobContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobContext")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl JobContext {
    pub(crate) fn new(
        api: Arc<dyn JobApi>,
        key: keys::JobKey,
        lease: Option<keys::JobLeaseToken>,
        runtime: tokio::runtime::Handle,
    ) -> Self {
        Self {
            api,
            key,
            lease,
            runtime,
        }
    }

    /// The job's key.
    pub fn key(&self) -> &keys::JobKey {
        &self.key
    }

    /// Sets the job's timeout to `timeout` from now, so that it is not handed to another
    /// worker while this one is still working on it.
    ///
    /// Through a worker's client the request is sent once (the workers' calls bypass the
    /// transport's retries, see [`JobWorkerConfig::max_result_attempts`]); a failure is
    /// returned to you, and the automatic heartbeat simply tries again at its next beat.
    ///
    /// [`JobWorkerConfig::max_result_attempts`]: super::JobWorkerConfig::max_result_attempts
    pub async fn extend_timeout(&self, timeout: Duration) -> Result<(), Error> {
        let req = types::JobUpdateRequest {
            changeset: types::JobChangeset {
                timeout: Some(duration_ms(timeout)),
                ..Default::default()
            },
            job_lease_token: self.lease.clone(),
            operation_reference: None,
        };
        self.api.update_job(&self.key, req).await
    }

    /// [`Self::extend_timeout`] for blocking handlers (call it from the handler's thread, not
    /// from async code).
    pub fn extend_timeout_blocking(&self, timeout: Duration) -> Result<(), Error> {
        self.runtime.block_on(self.extend_timeout(timeout))
    }
}

/// What a handler decided to do with its job.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// Complete the job, optionally setting variables (a JSON object).
    Complete {
        /// The variables to set; must be a JSON object.
        variables: Option<Value>,
    },
    /// Fail the job.
    Fail {
        /// Why; shown in Operate.
        message: String,
        /// The retries left; `None` means the job's retries minus one.
        retries: Option<i32>,
        /// How long until the job may be activated again.
        retry_backoff: Option<Duration>,
    },
    /// Throw a BPMN error, to be caught by an error event in the model.
    BpmnError {
        /// The error code the catch event matches.
        code: String,
        /// A message for humans.
        message: Option<String>,
        /// Variables for the catching scope; must be a JSON object.
        variables: Option<Value>,
    },
    /// Do nothing: the job times out and is activated again later. It no longer counts
    /// against [`max_jobs_active`](super::JobWorkerConfig::max_jobs_active).
    Ignore,
}

impl Outcome {
    /// Complete without variables.
    pub fn complete() -> Self {
        Outcome::Complete { variables: None }
    }

    /// Complete with `variables`, which must serialise to a JSON object.
    ///
    /// The error is a [`HandlerError`] so that a handler can return this as it is.
    pub fn complete_with(variables: &impl Serialize) -> Result<Self, HandlerError> {
        Ok(Outcome::Complete {
            variables: Some(to_object(variables)?),
        })
    }

    /// Fail with `message`, leaving the job's retries minus one.
    pub fn fail(message: impl Into<String>) -> Self {
        Outcome::Fail {
            message: message.into(),
            retries: None,
            retry_backoff: None,
        }
    }

    /// Throw the BPMN error `code`.
    pub fn bpmn_error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Outcome::BpmnError {
            code: code.into(),
            message: Some(message.into()),
            variables: None,
        }
    }
}

fn to_object(value: &impl Serialize) -> Result<Value, Error> {
    let v = serde_json::to_value(value).map_err(|e| Error::InvalidArgument {
        name: "variables",
        message: e.to_string(),
    })?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(Error::InvalidArgument {
            name: "variables",
            message: format!("must serialise to a JSON object, not {v}"),
        })
    }
}

pub(crate) fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn excerpt(s: &str) -> String {
    match s.char_indices().nth(256) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// Decodes job variables into `T`; on failure the message names the variable at fault (found
/// from the error position in a pretty-printed copy, so no extra dependency is needed).
pub(crate) fn decode_variables<T: DeserializeOwned>(vars: &Map<String, Value>) -> Result<T, Error> {
    let pretty = serde_json::to_string_pretty(vars).unwrap_or_default();
    serde_json::from_str::<T>(&pretty).map_err(|e| {
        let path = locate(&pretty, e.line());
        let message = if path.is_empty() {
            e.to_string()
        } else {
            format!("variable `{}`: {e}", path.join("."))
        };
        Error::Decode {
            operation: "jobVariables",
            path: (!path.is_empty()).then(|| path.join(".")),
            message,
            body: excerpt(&serde_json::to_string(vars).unwrap_or_default()),
            source: Some(e),
        }
    })
}

/// The object keys leading to `line` (1-based) of a `to_string_pretty` document.
fn locate(pretty: &str, line: usize) -> Vec<String> {
    let lines: Vec<&str> = pretty.lines().collect();
    let Some(idx) = line.checked_sub(1).filter(|i| *i < lines.len()) else {
        return Vec::new();
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut path = Vec::new();
    // The error's own line: a key there is the innermost step; otherwise (a closing brace)
    // the innermost step is the key that opened it, at the same indentation.
    let mut limit = indent(lines[idx]);
    match key_of(lines[idx].trim_start()) {
        Some(key) => path.push(key),
        None => limit += 1,
    }
    for l in lines[..idx].iter().rev() {
        if limit == 0 {
            break;
        }
        let ind = indent(l);
        if ind >= limit {
            continue;
        }
        if let Some(key) = key_of(l.trim_start()) {
            path.push(key);
        }
        limit = ind;
    }
    path.reverse();
    path
}

/// The key of a pretty-printed `"key": value` line.
fn key_of(line: &str) -> Option<String> {
    let rest = line.strip_prefix('"')?;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => {
                let after = &rest[i + 1..];
                return if after.starts_with(": ") {
                    serde_json::from_str(&line[..i + 2]).ok()
                } else {
                    None
                };
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Vars {
        name: String,
        inner: Inner,
        amount: u32,
    }

    fn vars(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn names_the_bad_variable() {
        let e = decode_variables::<Vars>(&vars(
            serde_json::json!({"name": "a", "inner": {"n": 1}, "amount": "lots"}),
        ))
        .unwrap_err();
        assert!(e.to_string().contains("variable `amount`"), "{e}");

        let e = decode_variables::<Vars>(&vars(
            serde_json::json!({"name": "a", "inner": {"n": "x"}, "amount": 1}),
        ))
        .unwrap_err();
        assert!(e.to_string().contains("variable `inner.n`"), "{e}");

        let e = decode_variables::<Vars>(&vars(serde_json::json!({"name": "a", "amount": 1})))
            .unwrap_err();
        assert!(e.to_string().contains("missing field `inner`"), "{e}");

        let e = decode_variables::<Vars>(&vars(
            serde_json::json!({"name": "a", "inner": {}, "amount": 1}),
        ))
        .unwrap_err();
        assert!(e.to_string().contains("`inner`"), "{e}");
    }
}
