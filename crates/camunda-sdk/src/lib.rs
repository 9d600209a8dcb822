//! Rust SDK for the Camunda 8 Orchestration Cluster REST API (`/v2`).
//!
//! - [`CamundaClient`]: async, one method per REST operation; [`blocking::CamundaClient`] is its
//!   twin for synchronous code.
//! - [`keys`]: one validated type per semantic key (`ProcessInstanceKey`, `JobKey`, …), used in
//!   every model and signature.
//! - [`Config`]: from `CAMUNDA_*` environment variables or a typed builder; OAuth, basic, bearer
//!   or no auth.
//! - [`Error`]: one error type with the server's problem detail; safe retries.

pub mod auth;
pub mod config;
pub mod error;
pub mod worker;

pub use camunda_raw::{enums, keys, types};
pub use config::{Config, ConfigBuilder};
pub use error::{Error, Result};
