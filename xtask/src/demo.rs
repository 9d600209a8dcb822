//! `cargo xtask demo`: the quickstart example end to end against the spec-driven mock server,
//! no Camunda cluster needed. Writes the corrected copy of the spec ([`crate::demo_spec`]),
//! starts the mock on it (installing Prism the first time), runs
//! `cargo run -p camunda-sdk --example quickstart` pointed at it, stops it.

use crate::mock::MockServer;
use std::process::{Command, ExitCode};
use std::time::Instant;

pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let root = crate::repo_root();
    let t = Instant::now();
    let (_, installed) = crate::mock::install(&root)?;
    if installed {
        eprintln!("demo: installed the mock server in {:.1?}", t.elapsed());
    }
    let (spec, corrections) = crate::demo_spec::write(&root)?;
    eprintln!(
        "demo: the mock serves {}: {} with {} correction(s) of upstream defects that would stop it \
         (the SDK and the contract tier use the spec unchanged):",
        spec.strip_prefix(&root).unwrap_or(&spec).display(),
        crate::codegen::SPEC,
        corrections.len()
    );
    for c in &corrections {
        let shown = if c.places.len() > 12 {
            format!("{}, … {} in all", c.places[..5].join(", "), c.places.len())
        } else {
            c.places.join(", ")
        };
        eprintln!("  - {} [{shown}]", c.what);
    }
    let server = MockServer::start_with_spec(&root, &spec)?;
    // The spec's examples by default; `--dynamic` for answers generated from the schemas.
    let dynamic = args.iter().any(|a| a == "--dynamic");
    let url = if dynamic {
        server.dynamic_url.clone()
    } else {
        server.url.clone()
    };
    let answers = if dynamic {
        "values generated from the schemas (fixed seed); it may activate no jobs"
    } else {
        "the spec's own examples, so the same keys come back each time (`--dynamic`: generated)"
    };
    eprintln!(
        "demo: mock server (Prism) ready in {:.1?} at {url}; it answers with {answers}",
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
