//! Repository automation for camunda-rs.
//!
//! `cargo xtask fetch-spec` obtains the upstream spec from the package registry and pins it;
//! `cargo xtask codegen [--check]` normalises `spec/rest-api.yaml` and regenerates the raw client.

use std::process::ExitCode;
use xtask::{codegen, demo, fetch, mock, test};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  fetch-spec [--version V] [--out PATH]   download the bundled spec from PyPI, verify its sha256
  codegen [--check]                       regenerate the committed files (or check they are current)
  codegen --spec PATH --out-dir DIR       generate a standalone raw crate from another spec
  compat [--version V]...                 fetch older specs and check they generate compiling clients
  mock                                    run the spec-driven mock server (Prism) until Ctrl-C
  demo                                    run the quickstart example against the mock server
  test [--skip STEP]...                   everything CI runs: fmt, codegen --check, clippy, tests,
                                          examples, compat
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fetch-spec") => fetch::run(&args[1..]),
        Some("codegen") => codegen::run(&args[1..]),
        Some("compat") => codegen::compat(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("mock") => mock::run(&args[1..]),
        Some("demo") => demo::run(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
