//! `cargo xtask test`: everything CI checks, in one command, in the order that fails fastest.

use std::process::{Command, ExitCode};
use std::time::Instant;

/// Each step: a name and the cargo arguments. Environment: `INSTA_UPDATE=no` so a changed
/// snapshot fails instead of being written, and `CAMUNDA_REQUIRE_PRISM=1` so a tier that needs
/// the mock server fails when it cannot run instead of skipping.
const STEPS: &[(&str, &[&str])] = &[
    ("fmt", &["fmt", "--all", "--check"]),
    ("codegen --check", &["xtask", "codegen", "--check"]),
    (
        "clippy",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    ),
    (
        "raw client (camunda-raw --features client)",
        &[
            "check",
            "-p",
            "camunda-raw",
            "--features",
            "client",
            "--quiet",
        ],
    ),
    // The SDK's own code must build on camunda-raw's default models, one serde half per
    // direction: the other steps build it next to the tests, which turn on `serde-all`.
    (
        "camunda-sdk on the default models",
        &["check", "-p", "camunda-sdk", "--quiet"],
    ),
    ("test", &["test", "--workspace", "--quiet"]),
    (
        "examples",
        &["build", "--workspace", "--examples", "--quiet"],
    ),
    ("compat (8.9, 8.8 specs)", &["xtask", "compat"]),
];

pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let skip: Vec<&str> = args
        .windows(2)
        .filter(|w| w[0] == "--skip")
        .map(|w| w[1].as_str())
        .collect();
    let started = Instant::now();
    let mut passed = 0;
    for (name, cargo_args) in STEPS {
        if skip.iter().any(|s| name.starts_with(s)) {
            eprintln!("== {name}: skipped");
            continue;
        }
        eprintln!("== {name}");
        let t = Instant::now();
        let status = Command::new(env!("CARGO"))
            .args(*cargo_args)
            .current_dir(crate::repo_root())
            .env("INSTA_UPDATE", "no")
            .env("CI", "true")
            // The Prism tiers skip where Node.js is missing; here they must run.
            .env(crate::mock::REQUIRE_ENV, "1")
            .status()?;
        if !status.success() {
            eprintln!("== {name}: FAILED after {:.0?}", t.elapsed());
            println!("{passed} passed, 1 failed");
            return Ok(ExitCode::FAILURE);
        }
        passed += 1;
        eprintln!("== {name}: ok ({:.0?})", t.elapsed());
    }
    eprintln!("all steps passed in {:.0?}", started.elapsed());
    Ok(ExitCode::SUCCESS)
}
