//! Responses as servers older than the spec send them decode through the SDK.
//!
//! - `every_response_as_the_oldest_server_sends_it_decodes` (no Node needed): for every operation
//!   of the pinned spec, a loopback server answers with a body built from the success response's
//!   schema with every property the oldest supported server does not send left out, and the
//!   operation is called through the SDK.
//! - The old-server tiers: Prism serving the 8.9 and 8.8 specs (fetched by their pinned versions,
//!   as `cargo xtask compat` does) with generated responses; every operation that spec has is
//!   called through the 8.10 SDK and its response must decode.

use super::{Args, Fail, Spec, ops, plan_in, snake};
use crate::sample::{Fill, Sampler};
use camunda_sdk::{CamundaClient, Error};
use serde_json::Value;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use xtask::inventory::ResponseKind;

/// Operations whose response shape truly changed between versions, with why: (spec version,
/// operation, reason). Goal: empty.
const CHANGED: &[(&str, &str, &str)] = &[
    (
        "8.8",
        "searchMappingRulesForGroup",
        "the 8.8 spec's response schema has only `page` (no `items`): a defect of that spec, so Prism leaves the results out",
    ),
    (
        "8.8",
        "searchMappingRulesForRole",
        "the 8.8 spec's response schema has only `page` (no `items`): a defect of that spec, so Prism leaves the results out",
    ),
    (
        "8.8",
        "searchMappingRulesForTenant",
        "the 8.8 spec's response schema has only `page` (no `items`): a defect of that spec, so Prism leaves the results out",
    ),
    (
        "8.8",
        "searchRolesForGroup",
        "the 8.8 spec's response schema has only `page` (no `items`): a defect of that spec, so Prism leaves the results out",
    ),
    (
        "8.8",
        "searchRolesForTenant",
        "the 8.8 spec's response schema has only `page` (no `items`): a defect of that spec, so Prism leaves the results out",
    ),
    (
        "8.8",
        "evaluateExpression",
        "`warnings` items were strings before 8.10, objects since",
    ),
    (
        "8.8",
        "getStartProcessForm",
        "`schema` was an object in the 8.8 spec, a string (the form JSON) since",
    ),
    (
        "8.8",
        "createAdminUser",
        "8.8 answers 201 without a body; 8.9 and later return the created user",
    ),
    (
        "8.8",
        "getUserTaskForm",
        "`schema` was an object in the 8.8 spec, a string (the form JSON) since",
    ),
];

/// A decode error from a key or id type whose pattern the old spec does not have (or has
/// looser): Prism generated a value from the old schema that no server produces (servers have
/// always validated ids on input), so the mock, not the SDK, is at fault.
fn looser_old_pattern(new: &Value, old: &Value, e: &Error) -> Option<String> {
    let Error::Decode { message, .. } = e else {
        return None;
    };
    let name = message.strip_prefix("invalid ")?.split_once(':')?.0;
    let pattern = |doc: &Value| {
        doc["components"]["schemas"][name]["pattern"]
            .as_str()
            .map(str::to_owned)
    };
    let new_pattern = pattern(new)?;
    (pattern(old).as_deref() != Some(new_pattern.as_str())).then(|| {
        format!("the old spec does not constrain {name} to `{new_pattern}`; Prism generated a value servers never send")
    })
}

/// The first success response of `op` in `doc`: status and JSON schema (None: no JSON body).
fn success(doc: &Value, op: &xtask::inventory::Operation) -> Option<(u16, Option<Value>)> {
    let responses = doc["paths"][&op.path][&op.method]["responses"].as_object()?;
    let (code, resp) = responses.iter().find(|(c, _)| c.starts_with('2'))?;
    let resp = Sampler { doc }.resolve(resp);
    let schema = resp.pointer("/content/application~1json/schema").cloned();
    Some((code.parse().ok()?, schema))
}

/// Calls `op` through the SDK with arguments built from `spec`, trying each body candidate until
/// one decodes into the SDK's argument type.
async fn call(
    c: &CamundaClient,
    spec: &Spec,
    op: &xtask::inventory::Operation,
) -> Result<(), Fail> {
    let plan = plan_in(spec, op);
    let mut args = Args::default();
    for (name, _, value, fallback) in &plan.params {
        args.values.insert(snake(name), value.clone());
        args.fallback.insert(snake(name), fallback.clone());
    }
    let mut bodies = plan.bodies.iter().map(|(_, b)| Some(b)).peekable();
    if bodies.peek().is_none() {
        return ops::call(c, &op.id, &args).await;
    }
    let mut last = Err(Fail::Input("no body".into()));
    for body in bodies.flatten() {
        args.values.insert("body".into(), body.clone());
        last = ops::call(c, &op.id, &args).await;
        // The next candidate when the SDK's types reject this one, or the validator does (old
        // specs' pagination `oneOf`s match more than one branch for a full `page`).
        let refused = matches!(&last, Err(Fail::Sdk(e)) if matches!(e.status(), Some(400 | 422)));
        if !matches!(last, Err(Fail::Input(_))) && !refused {
            break;
        }
    }
    last
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_as_the_oldest_server_sends_it_decodes() {
    let spec = super::spec();
    let answer: Arc<Mutex<(u16, String)>> = Arc::new(Mutex::new((204, String::new())));
    let served = answer.clone();
    let url = crate::support::route(10_000, move |_| Some(served.lock().unwrap().clone())).await;
    let client = crate::support::client_without_retries(&url);
    let sampler = Sampler { doc: &spec.doc };
    let (mut decoded, mut without_body) = (0, 0);
    let mut failed = Vec::new();
    for op in &spec.ops {
        let Some((status, schema)) = success(&spec.doc, op) else {
            continue;
        };
        let body = match (&schema, op.response) {
            (Some(schema), ResponseKind::Json | ResponseKind::JsonOrNone) => {
                sampler.sample(schema, Fill::Oldest).to_string()
            }
            _ => String::new(),
        };
        let json = !body.is_empty();
        *answer.lock().unwrap() = (if json { status } else { 204 }, body.clone());
        match call(&client, spec, op).await {
            Ok(()) if json => decoded += 1,
            Ok(()) => without_body += 1,
            // Only JSON bodies are this test's concern; the rest have nothing to leave out.
            Err(_) if !json => without_body += 1,
            Err(Fail::Sdk(e)) => failed.push(format!("{}: {e}\n    body: {body}", op.id)),
            Err(e) => failed.push(format!("{}: {e:?}", op.id)),
        }
    }
    eprintln!(
        "as {} sends them: {decoded} JSON responses decoded, {} failed, {without_body} without a JSON body",
        xtask::OLDEST_SUPPORTED_SERVER,
        failed.len()
    );
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    // The bodies do leave out what older servers do not send.
    let activation = spec.ops.iter().find(|o| o.id == "activateJobs").unwrap();
    let schema = success(&spec.doc, activation).unwrap().1.unwrap();
    let job = |fill| sampler.sample(&schema, fill)["jobs"][0].clone();
    assert!(job(Fill::All).get("physicalTenantId").is_some());
    assert!(job(Fill::Oldest).get("physicalTenantId").is_none());
    assert!(job(Fill::Oldest).get("rootProcessInstanceKey").is_none());
    assert!(
        job(Fill::Oldest).get("tags").is_some(),
        "8.8 properties stay"
    );
    assert!(
        decoded > 150,
        "only {decoded} operations decoded a JSON body"
    );
}

/// Whether the `Error::Decode` a call failed with is about the response (not the arguments).
fn decode_error(result: &Result<(), Fail>) -> Option<&Error> {
    match result {
        Err(Fail::Sdk(e @ Error::Decode { .. })) => Some(e),
        _ => None,
    }
}

/// The old-server tier for one registry version of the spec: its own Prism, dynamic responses.
/// Returns the report and the operations whose response did not decode.
async fn old_server_pass(version: &str) -> Option<(String, Vec<String>)> {
    let root = xtask::repo_root();
    let Some(server_version) = xtask::fetch::PINS
        .iter()
        .find(|(v, _, _)| *v == version)
        .map(|p| p.1)
    else {
        panic!("{version} is not pinned in xtask/src/fetch.rs");
    };
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "old-server tier {server_version}: skipped, Node.js is not on PATH (the mock server needs it)"
        );
        return None;
    }
    let path = root.join(format!("target/compat/{version}/rest-api.yaml"));
    if let Err(e) = xtask::fetch::fetch(version, &path) {
        // Offline: the spec comes from the package registry (as for `cargo xtask compat`).
        eprintln!(
            "old-server tier {server_version}: skipped, the spec could not be fetched: {e:#}"
        );
        return None;
    }
    let doc = xtask::spec::load(&path).expect("old spec loads");
    let ops = xtask::inventory::build(&doc);
    let spec = Spec { doc, ops };
    let server = xtask::mock::MockServer::start_with_spec(&root, &path).expect("Prism starts");
    let client = super::client(&server.dynamic_url, &format!("old-{server_version}"), false);
    let bearer = super::client(&server.dynamic_url, &format!("old-{server_version}"), true);
    let started = std::time::Instant::now();
    let (mut decoded, mut not_in_sdk, mut no_answer) = (0, Vec::new(), Vec::new());
    let mut failed = Vec::new();
    let mut listed = Vec::new();
    let mut artefacts = Vec::new();
    for op in &spec.ops {
        let c = if super::plan_in(&spec, op).bearer {
            &bearer
        } else {
            &client
        };
        let from = server.exchanges(0).map(|e| e.len()).unwrap_or(0);
        let result = call(c, &spec, op).await;
        if let Some(e) = decode_error(&result) {
            let changed = CHANGED
                .iter()
                .find(|(v, id, _)| *v == server_version && *id == op.id);
            match (
                changed,
                looser_old_pattern(&super::spec().doc, &spec.doc, e),
            ) {
                (Some((_, _, why)), _) => listed.push(format!("{}: {why} ({e})", op.id)),
                (None, Some(why)) => artefacts.push(format!("{}: {why} ({e})", op.id)),
                (None, None) => failed.push(format!("{}: {e}", op.id)),
            }
            continue;
        }
        // What the old spec's validator said about the request, for the report.
        let violation = server
            .exchanges(from)
            .unwrap_or_default()
            .into_iter()
            .flat_map(|x| x.violations)
            .find(|v| v.in_request())
            .map(|v| format!(" [request: {v}]"))
            .unwrap_or_default();
        match result {
            Ok(()) => decoded += 1,
            Err(Fail::NotCovered) => not_in_sdk.push(op.id.clone()),
            Err(Fail::Input(m)) => no_answer.push(format!("{}: {m}{violation}", op.id)),
            Err(Fail::Sdk(e)) => no_answer.push(format!("{}: {e}{violation}", op.id)),
        }
    }
    failed.extend(
        CHANGED
            .iter()
            .filter(|(v, id, _)| {
                *v == server_version && !listed.iter().any(|l| l.starts_with(&format!("{id}:")))
            })
            .map(|(_, id, _)| format!("{id}: listed in CHANGED but decodes now; remove the entry")),
    );
    let mut report = String::new();
    let _ = writeln!(
        report,
        "old-server tier {server_version} (spec {version}): {} operations, {decoded} answered and decoded, {} did not decode, {} listed as changed, {} mock artefacts, {} not in the SDK, {} without a decodable answer (request refused by the old spec's validator, or an error status) in {:.1?}",
        spec.ops.len(),
        failed.len(),
        listed.len(),
        artefacts.len(),
        not_in_sdk.len(),
        no_answer.len(),
        started.elapsed()
    );
    for (title, rows) in [
        ("did not decode", &failed),
        ("listed as changed", &listed),
        ("mock artefacts, not the SDK's doing", &artefacts),
        ("not in the 8.10 SDK", &not_in_sdk),
        ("no decodable answer", &no_answer),
    ] {
        if !rows.is_empty() {
            let _ = writeln!(report, "{title}:\n  {}", rows.join("\n  "));
        }
    }
    server.stop();
    Some((report, failed))
}

async fn old_server_tier(version: &str) {
    let Some((report, failed)) = old_server_pass(version).await else {
        return;
    };
    println!("{report}");
    eprintln!("{}", report.lines().next().unwrap_or_default());
    let name = format!("target/contract-old-{version}.txt");
    let _ = std::fs::write(xtask::repo_root().join(name), &report);
    assert!(failed.is_empty(), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_an_8_9_server_decodes() {
    old_server_tier(xtask::fetch::COMPAT_VERSIONS[0]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_of_an_8_8_server_decodes() {
    old_server_tier(xtask::fetch::COMPAT_VERSIONS[1]).await;
}
