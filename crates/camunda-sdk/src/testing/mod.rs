//! Test your own code without a cluster (feature `testing`; add
//! `camunda-sdk = { ..., features = ["testing"] }` under `[dev-dependencies]`).
//!
//! - **Handlers**: [`TestJob`] builds a [`Job`](crate::worker::Job) (typed variables, custom
//!   headers, retries, deadline, tenant) and [`TestJob::decide`] returns the
//!   [`Outcome`](crate::worker::Outcome) your handler decides, as the worker would send it.
//! - **Workers**: [`ScriptedJobs`] is a loopback server fed with jobs; run a real worker (async
//!   or blocking) against it and assert which jobs were completed, failed or errored, and with
//!   which variables ([`Delivered`], [`Decision`]).
//! - **Calls**: [`CamundaMock`] has one method per REST operation (generated from the spec),
//!   with typed matchers for path parameters, query and body, and typed answers:
//!   `then.ok(&model)`, `then.problem(404, "NOT_FOUND", "…")`, `then.backpressure()`.
//!
//! ```
//! use camunda_sdk::testing::CamundaMock;
//! use camunda_sdk::keys::JobKey;
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() -> Result<(), camunda_sdk::Error> {
//! let mock = CamundaMock::start().await;
//! let key: JobKey = "2251799813685249".parse()?;
//! let completed = mock
//!     .complete_job(|when, then| {
//!         when.job_key(&key);
//!         then.ok();
//!     })
//!     .await;
//! mock.client().complete_job(&key).await?;
//! completed.assert_async().await;
//! # Ok(()) }
//! ```

mod job;
mod mock;
mod script;

pub use job::TestJob;
pub use mock::{Binary, CamundaMock, Json, JsonOrNone, NoContent, Text, TextOrNone, Then, When};
pub use script::{Decision, Delivered, ScriptedJobs};

/// Runs a future to completion on the harness's runtime (for blocking tests).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    job::harness_runtime().block_on(f)
}

/// The per-operation matcher types of [`CamundaMock`] (`CompleteJobWhen`, …), generated from
/// the spec.
pub mod ops {
    pub use crate::generated::mocks::*;
}
