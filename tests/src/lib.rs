//! Workspace-level tests live in `tests/`.
//!
//! The README's Rust snippets are compiled here as doctests, so a snippet that stops compiling
//! fails `cargo test`.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
