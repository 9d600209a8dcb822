//! `cargo xtask demo`: the quickstart example end to end against the spec-driven mock server,
//! no Camunda cluster needed. Starts the mock (installing Prism the first time), runs
//! `cargo run -p camunda-sdk --example quickstart` pointed at it, stops it.

use crate::mock::MockServer;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// What a validating mock cannot do, printed after the run so a failed step is not a surprise.
const MOCK_LIMITS: &str = "\
demo: against the mock server some steps cannot succeed, whatever the client does:
  - deploy: Prism does not read repeated multipart parts as an array (\"resources must be array\");
  - worker: the spec's job activation example carries \"userTaskKey\": \"string\", which breaks the
    spec's own key pattern, so the SDK refuses it (with --dynamic the mock activates no jobs);
  - paged search: the spec's `page` is a oneOf of four schemas that every object matches, so the
    validator rejects any request with a `page`.
  A real cluster runs every step: point CAMUNDA_REST_ADDRESS at it and run
  `cargo run -p camunda-sdk --example quickstart`.";

pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let root = crate::repo_root();
    let t = Instant::now();
    let (_, installed) = crate::mock::install(&root)?;
    if installed {
        eprintln!("demo: installed the mock server in {:.1?}", t.elapsed());
    }
    let server = MockServer::start(&root)?;
    // The spec's examples by default; `--dynamic` for answers generated from the schemas.
    let url = if args.iter().any(|a| a == "--dynamic") {
        server.dynamic_url.clone()
    } else {
        server.url.clone()
    };
    eprintln!(
        "demo: mock server (Prism, {}) ready in {:.1?} at {url}",
        crate::codegen::SPEC,
        server.startup
    );
    let status = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "-p",
            "camunda-sdk",
            "--example",
            "quickstart",
        ])
        .current_dir(&root)
        .env("CAMUNDA_REST_ADDRESS", &url)
        .env("CAMUNDA_AUTH_STRATEGY", "BASIC")
        .env("CAMUNDA_BASIC_AUTH_USERNAME", "demo")
        .env("CAMUNDA_BASIC_AUTH_PASSWORD", "demo")
        .env_remove("CAMUNDA_CLIENT_ID")
        .env_remove("CAMUNDA_CLIENT_SECRET")
        .env_remove("CAMUNDA_DEFAULT_TENANT_ID")
        .status()?;
    server.stop();
    eprintln!("{MOCK_LIMITS}");
    if status.success() {
        eprintln!(
            "demo: done in {:.1?}; the mock server is stopped",
            t.elapsed()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("demo: the quickstart failed ({status})");
        Ok(ExitCode::FAILURE)
    }
}
