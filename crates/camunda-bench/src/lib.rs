//! Benchmark harness for `camunda-sdk`: an in-process HTTP/1.1 server with canned responses,
//! a hand-written `reqwest` + `serde_json` floor client decoding into plain structs, and CPU time from `/proc`.
//!
//! Run it with `cargo run --release -p camunda-bench`; see the README's "Performance" section.

pub mod canned;
pub mod cpu;
pub mod floor;
pub mod gate;
pub mod plain;
pub mod server;
