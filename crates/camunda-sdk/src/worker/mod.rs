//! Job workers: activate jobs of a type, run a handler for each, and complete, fail or throw a
//! BPMN error — without losing a job or dying on an outage.
//!
//! - [`JobWorkers`] holds a client's workers; [`JobWorkers::create_job_worker`] starts one
//!   with a [`JobWorkerConfig`] and a handler, [`JobWorkers::run_until`] and
//!   [`JobWorkers::shutdown`] stop them gracefully.
//! - A handler is an async closure `|job| async move { ... }` returning an [`Outcome`], or a
//!   `Result<Outcome, HandlerError>` when it can fail (`?` converts any error), a [`typed`]
//!   closure that receives the job's variables decoded into a struct (and fetches only its
//!   fields), or a [`blocking`] function; all take the [`Job`] by value (see [`JobHandler`]).
//! - An `Err` fails the job with its message and the job's retries minus one; a panic does the
//!   same and the worker carries on.
//! - The engine never has more than [`JobWorkerConfig::max_jobs_active`] jobs in flight, asks
//!   only for free capacity, in batches, long-polls, and backs off with jitter on errors while
//!   it keeps polling through any outage; results are sent right away and retried on transient
//!   errors. [`WorkerHandle::state`] and [`WorkerHandle::stats`] show how it is doing.
//! - [`JobApi`] is the seam to the cluster: the SDK's clients implement it, and tests can run
//!   handlers against a fake.

mod api;
mod config;
pub(crate) mod engine;
mod handler;
mod job;
mod results;

pub use api::{ActivatedJob, JobApi, UndecodedJob, decode_activation};
pub use config::{ENV_VARS, JobWorkerConfig};
pub use engine::{JobWorkers, WorkerHandle, WorkerState, WorkerStats};
#[cfg(feature = "testing")]
pub(crate) use handler::DynHandler;
pub use handler::{HandlerError, IntoOutcome, JobHandler, blocking, typed};
pub use job::{Job, JobContext, Outcome};
pub use results::{HandBack, ShutdownReport, UnfinishedJob};
