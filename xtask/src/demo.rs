//! `cargo xtask demo`: the quickstart example against the spec-driven mock server.

use std::process::ExitCode;

pub fn run(_args: &[String]) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet")
}
