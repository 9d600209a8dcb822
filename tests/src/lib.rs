//! Workspace-level tests live in `tests/`. (The README's Rust snippets are compiled as
//! doctests of `camunda-sdk`, whose crate documentation includes it.)
