//! Contract tier: every operation of the SDK, called through the SDK against a spec-driven mock
//! server (Stoplight Prism, pinned in `xtask/mock/`, installed into `target/prism` by
//! `xtask::mock`) that validates each request against `spec/rest-api.yaml`.
//!
//! - A request the validator rejects (`sl-violations` on the response) fails the test.
//! - A response the SDK cannot decode fails the test, unless the mock itself flags that response
//!   as violating the spec (upstream examples that break their own patterns): those are listed
//!   separately, with the reason.
//! - Pass 1 gets the spec's examples back; pass 2 gets responses generated from the schemas
//!   (Prism's dynamic mode, fixed seed) and decodes them all.
//! - `the_validator_catches_a_broken_request` proves the tier can fail.
//!
//! Request values: path and query parameters from their schemas (patterns respected); bodies
//! from the spec's example when there is one, else a value with every property, else one with
//! only the required properties. Each candidate body is first sent raw (not through the SDK) as
//! a referee: a candidate the validator rejects on its own is skipped, so a failure through the
//! SDK is the SDK's doing.
//!
//! One mock server per test binary (`OnceLock`); it stops when this process ends.

#[path = "contract/old_servers.rs"]
mod old_servers;
#[path = "contract/ops.rs"]
mod ops;
#[path = "contract/sample.rs"]
mod sample;
mod support;

use camunda_sdk::{CamundaClient, Config, Error, RetryPolicy};
use sample::{Fill, Sampler};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use xtask::inventory::Operation;
use xtask::mock::{Exchange, MockServer, Violation};

/// Operations the SDK does not offer yet. Listed in the summary; an operation missing from the
/// SDK and not listed here fails the test.
const PENDING: &[&str] = &[];

fn root() -> PathBuf {
    xtask::repo_root()
}

/// The shared mock server, or `None` (after a printed notice) when it cannot run here; see
/// [`xtask::mock::start_or_skip`].
fn mock() -> Option<&'static MockServer> {
    static MOCK: OnceLock<Option<MockServer>> = OnceLock::new();
    MOCK.get_or_init(|| {
        let server =
            xtask::mock::start_or_skip(&root(), "contract tier (tests/tests/contract.rs)")?;
        eprintln!("contract: mock server ready in {:.1?}", server.startup);
        Some(server)
    })
    .as_ref()
}

struct Spec {
    doc: Value,
    ops: Vec<Operation>,
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let doc = xtask::spec::load(&root().join(xtask::codegen::SPEC)).expect("spec loads");
        let ops = xtask::inventory::build(&doc);
        Spec { doc, ops }
    })
}

/// Why a call did not happen or did not succeed.
#[derive(Debug)]
pub enum Fail {
    /// The SDK has no method for the operation (see [`PENDING`]).
    NotCovered,
    /// The value built from the spec did not decode into the SDK's argument type.
    Input(String),
    /// The SDK returned an error.
    Sdk(Error),
}

/// Arguments of one call, by the facade's parameter names (`body` for the request body).
#[derive(Default)]
pub struct Args {
    values: HashMap<String, Value>,
    /// Values for optional parameters, used only when the SDK's type cannot be left out.
    fallback: HashMap<String, Value>,
    /// What had to be filled in, for the report.
    notes: std::sync::Mutex<Vec<String>>,
}

impl Args {
    /// The argument `name`, decoded into the type the SDK method takes.
    pub fn get<T: DeserializeOwned>(&self, name: &str) -> Result<T, Fail> {
        let v = self.values.get(name).cloned().unwrap_or(Value::Null);
        match serde_json::from_value(v.clone()) {
            Ok(t) => Ok(t),
            Err(_) if v.is_null() && self.fallback.contains_key(name) => {
                self.notes.lock().unwrap().push(format!(
                    "`{name}` is optional in the spec, but the SDK method requires it"
                ));
                serde_json::from_value(self.fallback[name].clone())
                    .map_err(|e| Fail::Input(format!("`{name}`: {e}")))
            }
            Err(e) => Err(Fail::Input(format!(
                "the SDK's type for `{name}` rejects the spec-valid value {v}: {e}"
            ))),
        }
    }
}

/// The facade's name for a spec parameter (`physicalTenantId` → `physical_tenant_id`).
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let acronym_end = i > 0
                && chars[i - 1].is_uppercase()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev_lower || acronym_end {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(*c);
        }
    }
    out
}

/// One planned call: parameter values and body candidates.
struct Plan {
    /// (spec name, in, value or null, fallback value)
    params: Vec<(String, String, Value, Value)>,
    bodies: Vec<(&'static str, Value)>,
    /// Basic auth, unless the operation accepts only a bearer token.
    bearer: bool,
}

fn plan(op: &Operation) -> Plan {
    plan_in(spec(), op)
}

/// [`plan`] from another spec (an older server's).
fn plan_in(spec: &Spec, op: &Operation) -> Plan {
    let doc = &spec.doc;
    let s = Sampler { doc };
    let item = &doc["paths"][&op.path];
    let raw = &item[&op.method];
    let mut params = Vec::new();
    let all = item["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(raw["parameters"].as_array().into_iter().flatten());
    for p in all {
        let p = s.resolve(p);
        let name = p["name"].as_str().unwrap_or_default().to_owned();
        let place = p["in"].as_str().unwrap_or_default().to_owned();
        if place == "header" {
            continue;
        }
        let required = p["required"].as_bool().unwrap_or(false) || place == "path";
        let sample = s.sample(&p["schema"], Fill::Required);
        let value = if required {
            sample.clone()
        } else {
            Value::Null
        };
        params.push((name, place, value, sample));
    }
    let mut bodies = Vec::new();
    let body = s.resolve(&raw["requestBody"]);
    if let Some(media) = body.pointer("/content/application~1json") {
        if let Some(ex) = media.get("example").cloned().or_else(|| {
            media
                .get("examples")
                .and_then(Value::as_object)
                .and_then(|m| m.values().next())
                .map(|e| s.resolve(e)["value"].clone())
        }) {
            bodies.push(("example", ex));
        }
        bodies.push(("full", s.sample(&media["schema"], Fill::All)));
        bodies.push(("minimal", s.sample(&media["schema"], Fill::Required)));
    }
    let security = raw.get("security").unwrap_or(&doc["security"]);
    let schemes: Vec<&str> = security
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    let bearer = !schemes.is_empty() && !schemes.contains(&"basicAuth");
    Plan {
        params,
        bodies,
        bearer,
    }
}

/// The URL the SDK will call, for the referee (through the same proxy).
fn url(base_url: &str, op: &Operation, params: &[(String, String, Value, Value)]) -> String {
    let mut path = format!("{}{}", op.base.trim_end_matches('/'), op.path);
    let mut query = Vec::new();
    for (name, place, value, _) in params {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        match place.as_str() {
            "path" => path = path.replace(&format!("{{{name}}}"), &encode(&text)),
            "query" => query.push(format!("{name}={}", encode(&text))),
            _ => {}
        }
    }
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    format!("{base_url}{path}{q}")
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Sends a request raw (not through the SDK) with the plan's parameters and `body`; returns
/// the request violations the validator reports.
async fn referee(
    http: &reqwest::Client,
    base_url: &str,
    tag: &str,
    op: &Operation,
    plan: &Plan,
    body: Option<&Value>,
) -> Vec<Violation> {
    let server = mock().expect("the mock server runs");
    let from = server.exchanges(0).map(|e| e.len()).unwrap_or(0);
    let method = reqwest::Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap();
    let mut request = http
        .request(method, url(base_url, op, &plan.params))
        .header("user-agent", tag);
    request = if plan.bearer {
        request.bearer_auth("demo")
    } else {
        request.basic_auth("demo", Some("demo"))
    };
    if op.request == xtask::inventory::RequestKind::Multipart {
        request = request.multipart(multipart_form(&op.id));
    } else if let Some(body) = body {
        request = request.json(body);
    }
    if request.send().await.is_err() {
        return vec![];
    }
    server
        .exchanges(from)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| e.user_agent == tag)
        .flat_map(|e| e.violations)
        .filter(Violation::in_request)
        .collect()
}

/// A plain multipart body for a hand-written operation, the way any HTTP client would send it:
/// the referee for what the SDK sends.
fn multipart_form(id: &str) -> reqwest::multipart::Form {
    use reqwest::multipart::{Form, Part};
    let file = |name: &str, text: &str| {
        Part::text(text.to_owned())
            .file_name(name.to_owned())
            .mime_str("text/plain")
            .unwrap()
    };
    match id {
        "createDeployment" => Form::new().part("resources", file("order-process.bpmn", "<x/>")),
        "createDocument" => Form::new().part("file", file("note.txt", "hello")).part(
            "metadata",
            Part::text(r#"{"fileName":"note.txt"}"#)
                .mime_str("application/json")
                .unwrap(),
        ),
        _ => Form::new()
            .part("files", file("a.txt", "one"))
            .part("files", file("b.txt", "two")),
    }
}

/// The verdict on one operation.
#[derive(Debug)]
enum Verdict {
    Passed,
    /// Passed as far as the SDK is concerned; the mock's own response violates the spec.
    MockFlagged(String),
    /// The validator rejects the raw request built from the spec too: the spec cannot be met
    /// (`oneOf` branches that all match) or the validator cannot parse the request (Prism
    /// does not read repeated multipart parts as an array, nor JSON parts as objects).
    SpecDefect(String),
    /// A failure listed in [`KNOWN`].
    Known(String),
    Failed(String),
    Pending,
}

/// SDK defects found by this tier and reported, not yet fixed: (pass, text in the failure,
/// what is wrong). A matching failure is listed, not failed; an entry that matches nothing fails
/// the pass, so the list shrinks as fixes land.
const KNOWN: &[(&str, &str, &str)] = &[];

/// Judges one call from its result, the exchanges the proxy logged for it, and the request
/// violations the referee got for the same request sent raw.
fn judge(result: Result<(), Fail>, exchanges: &[Exchange], baseline: &[Violation]) -> Verdict {
    let request: Vec<&Violation> = exchanges
        .iter()
        .flat_map(|e| e.violations.iter())
        .filter(|v| v.in_request())
        .collect();
    let response: Vec<String> = exchanges
        .iter()
        .flat_map(|e| e.violations.iter())
        .filter(|v| !v.in_request())
        .map(ToString::to_string)
        .collect();
    let join = |v: &[&Violation]| {
        v.iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("; ")
    };
    if !request.is_empty() {
        let all_known = request
            .iter()
            .all(|v| baseline.iter().any(|b| b.message == v.message));
        return if all_known {
            Verdict::SpecDefect(join(&request))
        } else {
            Verdict::Failed(format!("request violates the spec: {}", join(&request)))
        };
    }
    match result {
        Err(Fail::NotCovered) => Verdict::Failed("the SDK has no method for it".into()),
        Err(Fail::Input(m)) => Verdict::Failed(m),
        Err(Fail::Sdk(e)) if !response.is_empty() => Verdict::MockFlagged(format!(
            "{e}; the mock's response violates the spec: {}",
            response.join("; ")
        )),
        Err(Fail::Sdk(e)) => match unflagged_bad_key(&e) {
            Some(why) => Verdict::MockFlagged(format!("{e}; {why}")),
            None => Verdict::Failed(e.to_string()),
        },
        Ok(()) if exchanges.is_empty() => Verdict::Failed("no request reached the mock".into()),
        Ok(()) if !response.is_empty() => Verdict::MockFlagged(format!(
            "decoded, but the mock's response violates the spec: {}",
            response.join("; ")
        )),
        Ok(()) => Verdict::Passed,
    }
}

/// Prism does not validate every response it serves: an upstream example with a placeholder
/// key (`"userTaskKey": "string"`) sometimes passes unflagged. When the SDK rejects a key value
/// that breaks the spec's own pattern for that key, the response is at fault, not the SDK.
fn unflagged_bad_key(e: &Error) -> Option<String> {
    let Error::Decode { message, .. } = e else {
        return None;
    };
    let rest = message.split("invalid ").nth(1)?;
    let (name, rest) = rest.split_once(": \"")?;
    let (value, _) = rest.split_once('"')?;
    let pattern = spec().doc["components"]["schemas"][name]["pattern"].as_str()?;
    let digits = value.strip_prefix('-').unwrap_or(value);
    let valid = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    (pattern == "^-?[0-9]+$" && !valid).then(|| {
        format!(
            "the mock served {name} {value:?}, which breaks the spec's pattern {pattern} (not flagged by the mock)"
        )
    })
}

fn client(url: &str, tag: &str, bearer: bool) -> CamundaClient {
    let config = Config::builder()
        .rest_address(url)
        .user_agent_suffix(tag)
        .request_timeout(Duration::from_secs(30));
    let config = if bearer {
        config.bearer_token("demo")
    } else {
        config.basic("demo", "demo")
    };
    CamundaClient::new(config.build().expect("config"))
        .expect("client")
        .with_retry_policy(RetryPolicy::none())
}

/// Picks a verdict's reason for one section of the report.
type Pick = fn(&Verdict) -> Option<&str>;

/// Calls every operation against `base_url`; returns the report and the failed operation ids.
async fn pass(name: &str, base_url: &str) -> (String, Vec<String>) {
    let server = mock().expect("the mock server runs");
    let tag = format!("contract-{name}");
    let referee_tag = format!("contract-referee-{name}");
    let basic = client(base_url, &tag, false);
    let bearer = client(base_url, &tag, true);
    let http = support::http();
    let started = Instant::now();
    let mut verdicts = Vec::new();
    let mut body_sources: HashMap<&str, usize> = HashMap::new();
    let mut rejected_examples = Vec::new();
    let mut notes = Vec::new();
    for op in &spec().ops {
        if PENDING.contains(&op.id.as_str()) {
            verdicts.push((op.id.clone(), Verdict::Pending));
            continue;
        }
        let plan = plan(op);
        let mut args = Args::default();
        for (name, _, value, fallback) in &plan.params {
            args.values.insert(snake(name), value.clone());
            args.fallback.insert(snake(name), fallback.clone());
        }
        let candidates: Vec<(&str, Option<&Value>)> = if plan.bodies.is_empty() {
            vec![("none", None)]
        } else {
            plan.bodies.iter().map(|(s, b)| (*s, Some(b))).collect()
        };
        let mut chosen = None;
        let mut baseline = Vec::new();
        for (source, body) in candidates {
            baseline = referee(&http, base_url, &referee_tag, op, &plan, body).await;
            chosen = Some((source, body));
            if baseline.is_empty() {
                break;
            }
            if source == "example" {
                let why: Vec<String> = baseline.iter().map(ToString::to_string).collect();
                rejected_examples.push(format!("{}: {}", op.id, why.join("; ")));
            }
        }
        if let Some((source, body)) = chosen {
            *body_sources.entry(source).or_default() += 1;
            if let Some(body) = body {
                args.values.insert("body".into(), body.clone());
            }
        }
        let from = server.exchanges(0).map(|e| e.len()).unwrap_or(0);
        let sdk = if plan.bearer { &bearer } else { &basic };
        let result = ops::call(sdk, &op.id, &args).await;
        let exchanges: Vec<Exchange> = server
            .exchanges(from)
            .expect("exchange log")
            .into_iter()
            .filter(|e| e.user_agent.contains(&tag))
            .collect();
        let mut verdict = judge(result, &exchanges, &baseline);
        if let Verdict::Failed(why) = &verdict
            && let Some((_, _, what)) = KNOWN
                .iter()
                .find(|(pass, text, _)| (*pass == name || *pass == "*") && why.contains(text))
        {
            verdict = Verdict::Known(format!("{what} ({why})"));
        }
        verdicts.push((op.id.clone(), verdict));
        for note in args.notes.into_inner().unwrap() {
            notes.push(format!("{}: {note}", op.id));
        }
    }
    let stale: Vec<&str> = KNOWN
        .iter()
        .filter(|(pass, text, _)| {
            (*pass == name || *pass == "*")
                && !verdicts
                    .iter()
                    .any(|(_, v)| matches!(v, Verdict::Known(w) if w.contains(text)))
        })
        .map(|(_, text, _)| *text)
        .collect();

    let is = |f: fn(&Verdict) -> bool| verdicts.iter().filter(|(_, v)| f(v)).count();
    let passed = is(|v| matches!(v, Verdict::Passed | Verdict::MockFlagged(_)));
    let failed: Vec<String> = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Failed(_)))
        .map(|(id, _)| id.clone())
        .chain(stale.iter().map(|t| format!("(stale KNOWN entry {t:?})")))
        .collect();
    let mut report = String::new();
    let _ = writeln!(
        report,
        "contract ({name}): {passed} passed, {} failed ({} known SDK defects, {} rejected raw too, {} not in the SDK yet; {} operations in the spec) in {:.1?}",
        failed.len(),
        is(|v| matches!(v, Verdict::Known(_))),
        is(|v| matches!(v, Verdict::SpecDefect(_))),
        is(|v| matches!(v, Verdict::Pending)),
        verdicts.len(),
        started.elapsed()
    );
    if !failed.is_empty() {
        let _ = writeln!(report, "failed: {}", failed.join(", "));
    }
    let mut sources: Vec<_> = body_sources.into_iter().collect();
    sources.sort();
    let _ = writeln!(report, "request bodies used (by source): {sources:?}");
    let sections: [(&str, Pick); 5] = [
        ("FAILED", |v| match v {
            Verdict::Failed(w) => Some(w),
            _ => None,
        }),
        ("known SDK defect (listed in KNOWN)", |v| match v {
            Verdict::Known(w) => Some(w),
            _ => None,
        }),
        (
            "not the SDK's doing: the validator rejects the raw request built from the spec too",
            |v| match v {
                Verdict::SpecDefect(w) => Some(w),
                _ => None,
            },
        ),
        (
            "mock-flagged, not a failure: the mock's response breaks the spec",
            |v| match v {
                Verdict::MockFlagged(w) => Some(w),
                _ => None,
            },
        ),
        ("not covered yet: no SDK method", |v| match v {
            Verdict::Pending => Some(""),
            _ => None,
        }),
    ];
    for (title, pick) in sections {
        let rows: Vec<String> = verdicts
            .iter()
            .filter_map(|(id, v)| pick(v).map(|w| format!("  {id} {w}")))
            .collect();
        if !rows.is_empty() {
            let _ = writeln!(report, "{title}:\n{}", rows.join("\n"));
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(report, "SDK API notes:\n  {}", notes.join("\n  "));
    }
    if !rejected_examples.is_empty() {
        let _ = writeln!(
            report,
            "spec examples the validator rejects (another body was used):\n  {}",
            rejected_examples.join("\n  ")
        );
    }
    (report, failed)
}

/// Prints the report (the test harness shows it on failure, `--nocapture` always) and keeps a
/// copy in `target/contract-<pass>.txt`.
fn publish(report: &str) {
    println!("{report}");
    let first = report.lines().next().unwrap_or_default();
    eprintln!("{first}");
    let name = if first.contains("(static)") {
        "static"
    } else {
        "dynamic"
    };
    let _ = std::fs::write(root().join(format!("target/contract-{name}.txt")), report);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_with_the_specs_examples() {
    let Some(server) = mock() else { return };
    let (report, failed) = pass("static", &server.url).await;
    publish(&report);
    assert!(failed.is_empty(), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_with_generated_responses() {
    let Some(server) = mock() else { return };
    let (report, failed) = pass("dynamic", &server.dynamic_url).await;
    publish(&report);
    assert!(failed.is_empty(), "{report}");
}

/// Proves the tier can fail: requests the validator must reject, judged like the contract calls.
#[tokio::test]
async fn the_validator_catches_a_broken_request() {
    let Some(server) = mock() else { return };
    let http = support::http();
    let tag = "contract-broken";
    let from = server.exchanges(0).unwrap().len();
    // A body without the required process definition (key or id).
    let missing_field = http
        .post(format!("{}/v2/process-instances", server.url))
        .basic_auth("demo", Some("demo"))
        .header("user-agent", tag)
        .json(&serde_json::json!({ "variables": { "orderId": 1 } }))
        .send()
        .await
        .unwrap();
    assert!(
        missing_field.status().is_client_error(),
        "{}",
        missing_field.status()
    );
    // A path key that does not match the key pattern.
    let bad_key = http
        .get(format!("{}/v2/process-instances/not-a-key", server.url))
        .basic_auth("demo", Some("demo"))
        .header("user-agent", tag)
        .send()
        .await
        .unwrap();
    assert!(bad_key.status().is_client_error(), "{}", bad_key.status());
    // No credentials: the security schemes are enforced.
    let anonymous = http
        .get(format!("{}/v2/topology", server.url))
        .header("user-agent", tag)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    let exchanges: Vec<Exchange> = server
        .exchanges(from)
        .unwrap()
        .into_iter()
        .filter(|e| e.user_agent == tag)
        .collect();
    assert_eq!(exchanges.len(), 3, "{exchanges:#?}");
    for e in &exchanges[..2] {
        match judge(Ok(()), std::slice::from_ref(e), &[]) {
            Verdict::Failed(why) => {
                assert!(why.contains("request violates the spec"), "{why}");
                eprintln!("caught: {} {}: {why}", e.method, e.path);
            }
            other => panic!("{} {} was not caught: {other:?}", e.method, e.path),
        }
    }
    assert!(
        exchanges[0]
            .violations
            .iter()
            .any(|v| v.in_request() && v.message.contains("processDefinition")),
        "{:#?}",
        exchanges[0].violations
    );
}

#[test]
fn parameter_names_match_the_facade() {
    assert_eq!(snake("physicalTenantId"), "physical_tenant_id");
    assert_eq!(snake("dryRun"), "dry_run");
    assert_eq!(snake("from"), "from");
}
