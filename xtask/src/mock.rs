//! The spec-driven mock server: Stoplight Prism, pinned in `xtask/mock/package-lock.json`,
//! installed with npm into `target/prism`, started on 127.0.0.1 behind the forwarding proxy in
//! `xtask/mock/serve.mjs` (Prism serves the spec's paths without the `/v2` base path).
//!
//! `cargo xtask mock` runs it in the foreground; the contract tests and `cargo xtask demo` use
//! [`MockServer::start`]. The server process watches its stdin: when the process that started it
//! ends, however it ends, Prism is stopped too.

use anyhow::{Context, bail};
use serde_json::Value;
use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Where the pinned package.json, its lock and the proxy script are committed.
pub const MOCK_DIR: &str = "xtask/mock";
/// Where npm installs Prism (git-ignored).
pub const INSTALL_DIR: &str = "target/prism";
/// The seed for dynamic (schema-generated) responses.
pub const SEED: &str = "20240601";
/// How long Prism may take to answer after it was started.
pub const START_TIMEOUT: Duration = Duration::from_secs(120);
/// Set to `1` (as `cargo xtask test` does) to make a test tier that needs the mock server fail
/// when the server cannot run, instead of skipping with a notice.
pub const REQUIRE_ENV: &str = "CAMUNDA_REQUIRE_PRISM";

fn npm() -> &'static str {
    if cfg!(windows) { "npm.cmd" } else { "npm" }
}

/// Installs the pinned Prism into `target/prism` unless the installed copy matches the lock.
/// Returns the install directory and whether anything was installed. Safe to call from several
/// processes at once (a file lock serialises them).
pub fn install(root: &Path) -> anyhow::Result<(PathBuf, bool)> {
    let dir = root.join(INSTALL_DIR);
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let lock = File::create(dir.with_extension("lock"))?;
    lock.lock().context("locking the Prism install directory")?;
    let mut changed = false;
    for name in ["package.json", "package-lock.json"] {
        let wanted = fs::read(root.join(MOCK_DIR).join(name))
            .with_context(|| format!("reading {MOCK_DIR}/{name}"))?;
        if fs::read(dir.join(name)).ok().as_deref() != Some(&wanted[..]) {
            fs::write(dir.join(name), &wanted)?;
            changed = true;
        }
    }
    let marker = dir.join("node_modules/.installed");
    if !changed && marker.exists() && prism_cli(&dir).exists() {
        return Ok((dir, false));
    }
    eprintln!("mock: installing the pinned Prism into {INSTALL_DIR} (npm ci)…");
    let status = Command::new(npm())
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--engine-strict=false",
            "--loglevel=error",
        ])
        .current_dir(&dir)
        .status()
        .context("running npm: the mock server needs Node.js (20 or newer) and npm on PATH")?;
    if !status.success() {
        bail!("npm ci in {} failed ({status})", dir.display());
    }
    if !prism_cli(&dir).exists() {
        bail!(
            "npm ci succeeded but {} is missing",
            prism_cli(&dir).display()
        );
    }
    fs::write(&marker, "")?;
    Ok((dir, true))
}

fn prism_cli(dir: &Path) -> PathBuf {
    dir.join("node_modules/@stoplight/prism-cli/dist/index.js")
}

/// For a test tier: starts the mock server on the vendored spec, or, when it cannot run (no
/// Node.js or npm on PATH, Prism not installable offline) and [`REQUIRE_ENV`] is not `1`, prints
/// a notice naming `tier` and how to run it, and returns `None` so the caller skips.
///
/// The notice goes to the process's stderr directly, not through `eprintln!`, so that the test
/// harness does not swallow it for a passing (skipped) test.
pub fn start_or_skip(root: &Path, tier: &str) -> Option<MockServer> {
    let started = node_version().and_then(|_| MockServer::start(root));
    match started {
        Ok(server) => Some(server),
        Err(e) if std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1") => {
            panic!("{tier}: the mock server cannot run and {REQUIRE_ENV}=1 requires it: {e:#}")
        }
        Err(e) => {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "note: {tier} SKIPPED: the mock server (Prism) cannot run: {e:#}\n\
                 note: to run it, install Node.js 20+ and npm, then run `cargo xtask test` (which \
                 sets {REQUIRE_ENV}=1 and fails instead of skipping)"
            );
            None
        }
    }
}

/// `node --version`, or why Node.js cannot be run.
fn node_version() -> anyhow::Result<String> {
    let out = Command::new("node")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .context("Node.js (`node`) is not on PATH")?;
    if !out.status.success() {
        bail!("`node --version` failed ({})", out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// One request the proxy forwarded, as it logged it.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// `static` (the spec's examples) or `dynamic` (generated from the schemas).
    pub mode: String,
    pub method: String,
    /// The path the client sent (with `/v2`).
    pub path: String,
    pub status: u16,
    pub user_agent: String,
    pub content_type: String,
    /// What Prism reported in `sl-violations`.
    pub violations: Vec<Violation>,
    /// The start of an error response's body.
    pub body: Option<String>,
}

/// A violation of the spec that Prism found in a request or in its own response.
#[derive(Clone, Debug)]
pub struct Violation {
    /// `request` or `response`, then where (`body`, `query`, `path`, a property path…).
    pub location: Vec<String>,
    pub severity: String,
    pub code: String,
    pub message: String,
}

impl Violation {
    /// A violation in the request the client sent.
    pub fn in_request(&self) -> bool {
        self.location.first().is_some_and(|l| l == "request")
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location.join("."), self.message)
    }
}

/// A running mock server; stopped on drop.
pub struct MockServer {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Proxy address answering with the spec's examples, e.g. `http://127.0.0.1:41234`.
    pub url: String,
    /// Proxy address answering with responses generated from the schemas (fixed seed).
    pub dynamic_url: String,
    /// The JSON-lines exchange log.
    pub log: PathBuf,
    /// How long Prism took to answer.
    pub startup: Duration,
}

impl MockServer {
    /// Installs Prism if needed and starts it on free ports of 127.0.0.1 with the vendored spec.
    pub fn start(root: &Path) -> anyhow::Result<MockServer> {
        Self::start_with_spec(root, &root.join(crate::codegen::SPEC))
    }

    /// [`start`](Self::start) serving another spec file (an older server's, for the old-server
    /// contract tiers, or the demo's corrected copy).
    pub fn start_with_spec(root: &Path, spec: &Path) -> anyhow::Result<MockServer> {
        static N: AtomicU32 = AtomicU32::new(0);
        let (dir, _) = install(root)?;
        let log = dir.join(format!(
            "exchanges-{}-{}.jsonl",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let started = Instant::now();
        let mut child = Command::new("node")
            .arg(root.join(MOCK_DIR).join("serve.mjs"))
            .arg("--prism-dir")
            .arg(&dir)
            .arg("--spec")
            .arg(spec)
            .arg("--log")
            .arg(&log)
            .args(["--seed", SEED])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("starting node: the mock server needs Node.js (20 or newer) on PATH")?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if line.starts_with("READY ") && tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = MockServer {
            child,
            stdin,
            url: String::new(),
            dynamic_url: String::new(),
            log,
            startup: Duration::ZERO,
        };
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                bail!("the mock server did not become ready within {START_TIMEOUT:?} (or exited)")
            }
        };
        let ports: Vec<&str> = line.split_whitespace().skip(1).collect();
        let [static_port, dynamic_port] = ports[..] else {
            bail!("unexpected line from serve.mjs: {line}");
        };
        server.url = format!("http://127.0.0.1:{static_port}");
        server.dynamic_url = format!("http://127.0.0.1:{dynamic_port}");
        server.startup = started.elapsed();
        Ok(server)
    }

    /// The exchanges logged so far, starting at line `from`.
    pub fn exchanges(&self, from: usize) -> anyhow::Result<Vec<Exchange>> {
        let text = fs::read_to_string(&self.log)?;
        text.lines()
            .skip(from)
            .filter(|l| !l.trim().is_empty())
            .map(parse_exchange)
            .collect()
    }

    /// Stops the server and waits for it to exit.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        // Closing stdin asks serve.mjs to stop Prism and exit; kill it if it does not.
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(6);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_file(&self.log);
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn parse_exchange(line: &str) -> anyhow::Result<Exchange> {
    let v: Value = serde_json::from_str(line).with_context(|| format!("exchange log: {line}"))?;
    let s = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
    Ok(Exchange {
        mode: s("mode"),
        method: s("method"),
        path: s("path"),
        status: v["status"].as_u64().unwrap_or(0) as u16,
        user_agent: s("userAgent"),
        content_type: s("contentType"),
        body: v["body"].as_str().map(str::to_owned),
        violations: v["violations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| Violation {
                location: x["location"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|l| match l {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect(),
                severity: x["severity"].as_str().unwrap_or_default().to_owned(),
                code: x["code"].as_str().unwrap_or_default().to_owned(),
                message: x["message"].as_str().unwrap_or_default().to_owned(),
            })
            .collect(),
    })
}

/// `cargo xtask mock`: install, start, print the addresses, run until Ctrl-C (or stdin closes).
pub fn run(_args: &[String]) -> anyhow::Result<ExitCode> {
    let root = crate::repo_root();
    let t = Instant::now();
    let (_, installed) = install(&root)?;
    if installed {
        eprintln!("mock: installed in {:.1?}", t.elapsed());
    }
    let server = MockServer::start(&root)?;
    println!(
        "mock server ready in {:.1?} (Prism, spec {})",
        server.startup,
        crate::codegen::SPEC
    );
    println!("  examples:  CAMUNDA_REST_ADDRESS={}", server.url);
    println!("  generated: CAMUNDA_REST_ADDRESS={}", server.dynamic_url);
    println!(
        "  any basic credentials pass, e.g. CAMUNDA_BASIC_AUTH_USERNAME=demo CAMUNDA_BASIC_AUTH_PASSWORD=demo"
    );
    println!("  exchange log: {}", server.log.display());
    println!("press Ctrl-C (or close stdin) to stop");
    // Ctrl-C reaches the whole process group: serve.mjs stops Prism on SIGINT by itself.
    let mut line = String::new();
    while std::io::stdin().read_line(&mut line).unwrap_or(0) > 0 {
        line.clear();
    }
    server.stop();
    Ok(ExitCode::SUCCESS)
}
