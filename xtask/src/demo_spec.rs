//! The corrected copy of the spec that `cargo xtask demo` gives the mock server.
//!
//! A validating mock enforces the upstream spec as written, defects included, so some of the
//! quickstart's steps cannot succeed against it whatever the client sends. Each function here
//! repairs one class of defect in a copy of the document (written under `target/`, never over
//! `spec/`) and says how many places it changed. The SDK is generated from, and the contract
//! tier validates against, the upstream spec unchanged.

use crate::spec::{METHODS, ref_name};
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// Where the corrected copy is written, relative to the repository root.
pub const CORRECTED: &str = "target/demo/rest-api.json";

/// One class of defect repaired in the copy.
#[derive(Debug)]
pub struct Correction {
    /// What was wrong and what the copy does instead.
    pub what: &'static str,
    /// The places changed (component or operation names).
    pub places: Vec<String>,
}

/// Applies every correction to `doc`; returns those that changed something.
pub fn correct(doc: &mut Value) -> Vec<Correction> {
    let all = [
        multipart_arrays(doc),
        ambiguous_one_of(doc),
        key_examples(doc),
        problem_examples(doc),
        complete_example_pages(doc),
    ];
    all.into_iter().filter(|c| !c.places.is_empty()).collect()
}

/// Loads the upstream spec, corrects it and writes the copy; returns its path and the
/// corrections.
pub fn write(root: &Path) -> anyhow::Result<(PathBuf, Vec<Correction>)> {
    let mut doc = crate::spec::load(&root.join(crate::codegen::SPEC))?;
    let corrections = correct(&mut doc);
    let path = root.join(CORRECTED);
    std::fs::create_dir_all(path.parent().expect("a file in a directory"))?;
    std::fs::write(&path, serde_json::to_vec(&doc)?)?;
    Ok((path, corrections))
}

fn component<'a>(doc: &'a mut Value, schema: &Value) -> Option<(String, &'a mut Value)> {
    let name = ref_name(schema)?.to_owned();
    let found = doc.pointer_mut(&format!("/components/schemas/{name}"))?;
    Some((name, found))
}

/// Changed schemas: named components, and a count of the inline ones.
#[derive(Default)]
struct Places {
    components: Vec<String>,
    inline: usize,
}

impl Places {
    fn add(&mut self, loc: &str, site: crate::spec::Site) {
        if site == crate::spec::Site::Component && !loc.contains(['.', '[', '/']) {
            self.components.push(loc.to_owned());
        } else {
            self.inline += 1;
        }
    }

    fn names(mut self, inline: &str) -> Vec<String> {
        if self.inline > 0 {
            self.components.push(format!("{} {inline}", self.inline));
        }
        self.components
    }
}

/// Every (path, method, operation) of the document, cloned so that callers can mutate `doc`.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in METHODS {
            if let Some(op) = item.get(m) {
                out.push((path.clone(), m.to_owned(), op.clone()));
            }
        }
    }
    out
}

/// A multipart field declared as an array of files (`resources`, `files`) is sent as repeated
/// parts of the same name, as the spec's own descriptions say; Prism reads one part as a single
/// string and rejects it ("must be array"). The copy accepts a single file as well.
fn multipart_arrays(doc: &mut Value) -> Correction {
    let mut places = Vec::new();
    for (_, _, op) in operations(doc) {
        let Some(schema) = op.pointer("/requestBody/content/multipart~1form-data/schema") else {
            continue;
        };
        let Some((name, target)) = component(doc, schema) else {
            continue;
        };
        let Some(props) = target.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (prop, s) in props.iter_mut() {
            let files = s["type"] == "array" && s["items"]["format"] == "binary";
            if files {
                let one = s["items"].clone();
                *s = json!({ "anyOf": [s.clone(), one] });
                places.push(format!("{name}.{prop}"));
            }
        }
    }
    places.sort();
    places.dedup();
    Correction {
        what: "multipart file arrays also accept one part (Prism reads a single repeated part as a string, not an array)",
        places,
    }
}

/// A `oneOf` with two or more branches that require nothing cannot be met by any object that
/// fits both (an empty object, `{"limit": 2}` for the paging branches): the copy says `anyOf`.
fn ambiguous_one_of(doc: &mut Value) -> Correction {
    let schemas = doc["components"]["schemas"].clone();
    let open = |branch: &Value| {
        let b = ref_name(branch).map_or(branch, |n| &schemas[n]);
        b["type"] == "object"
            && b["additionalProperties"] != false
            && b["required"].as_array().is_none_or(Vec::is_empty)
    };
    let mut places = Places::default();
    crate::spec::walk_schemas(doc, &mut |s, loc, site| {
        let Some(o) = s.as_object_mut() else { return };
        let Some(branches) = o.get("oneOf").and_then(Value::as_array) else {
            return;
        };
        if branches.iter().filter(|b| open(b)).count() < 2 {
            return;
        }
        let branches = o.remove("oneOf").expect("has oneOf");
        o.insert("anyOf".into(), branches);
        places.add(loc, site);
    });
    Correction {
        what: "`oneOf` whose branches every object matches becomes `anyOf` (the validator rejected every value)",
        places: places.names("inline (every search's `page`, …)"),
    }
}

/// Example values for the key patterns, valid for the pattern they stand for.
const PATTERN_EXAMPLES: &[(&str, &str)] = &[
    (r"^-?[0-9]+$", "2251799813685249"),
    (r"^[0-9]+-[0-9]+$", "2251799813685249-1"),
];

/// Key schemas without an example: Prism then answers with the placeholder `"string"`, which
/// breaks the key's own pattern, and the SDK rightly refuses it. The copy gives each one a
/// value that fits its pattern.
fn key_examples(doc: &mut Value) -> Correction {
    let mut places = Places::default();
    crate::spec::walk_schemas(doc, &mut |s, loc, site| {
        let Some(o) = s.as_object_mut() else { return };
        if o.contains_key("example") || o.contains_key("examples") {
            return;
        }
        let pattern = o.get("pattern").and_then(Value::as_str).unwrap_or_default();
        if let Some((_, ex)) = PATTERN_EXAMPLES.iter().find(|(p, _)| *p == pattern) {
            o.insert("example".into(), Value::String((*ex).into()));
            places.add(loc, site);
        }
    });
    Correction {
        what: "key schemas without an example get one matching their pattern (Prism served \"string\")",
        places: places.names("inline key properties"),
    }
}

/// Search results: Prism answers every page with the same example `endCursor` and
/// `hasMoreTotalItems: true`, so a walk that follows the cursor is handed the cursor it already
/// followed, which the SDK reports as a paging loop (`Error::PagingLoop`). The copy's example
/// page says it is the whole result (one item, `hasMoreTotalItems: false`).
fn complete_example_pages(doc: &mut Value) -> Correction {
    let what = "the example search page says it is the whole result (totalItems 1, hasMoreTotalItems false): Prism repeats one example endCursor on every page, which a walk must report as a loop";
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return Correction {
            what,
            places: Vec::new(),
        };
    };
    let mut places = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        if !["totalItems", "hasMoreTotalItems", "endCursor"]
            .iter()
            .all(|p| props.contains_key(*p))
        {
            continue;
        }
        props["totalItems"]["example"] = json!(1);
        props["hasMoreTotalItems"]["example"] = json!(false);
        places.push(name.clone());
    }
    Correction { what, places }
}

/// Error responses without an example: Prism assembles one from `ProblemDetail`'s property
/// examples, which describe a 400 (`Request property [maxJobsToActivates] cannot be parsed`),
/// whatever the status. The copy gives each a problem that matches its status and description.
fn problem_examples(doc: &mut Value) -> Correction {
    let mut places = Vec::new();
    for (path, method, op) in operations(doc) {
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            continue;
        };
        for (code, response) in responses {
            let Ok(status) = code.parse::<u16>() else {
                continue;
            };
            let Some(media) = response.pointer("/content/application~1problem+json") else {
                continue;
            };
            if media.get("example").is_some() || media.get("examples").is_some() {
                continue;
            }
            let detail = response["description"]
                .as_str()
                .unwrap_or_default()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let example = json!({
                "type": "about:blank",
                "title": reason(status),
                "status": status,
                "detail": detail,
                "instance": format!("/v2{path}"),
            });
            let pointer = format!(
                "/paths/{}/{method}/responses/{code}/content/application~1problem+json",
                path.replace('~', "~0").replace('/', "~1")
            );
            if let Some(Value::Object(m)) = doc.pointer_mut(&pointer) {
                m.insert("example".into(), example);
                places.push(format!("{status}"));
            }
        }
    }
    let mut counts: Map<String, Value> = Map::new();
    for p in &places {
        let n = counts.get(p).and_then(Value::as_u64).unwrap_or(0);
        counts.insert(p.clone(), (n + 1).into());
    }
    Correction {
        what: "error responses without an example get a problem matching their own status (Prism served the 400 example for all)",
        places: counts
            .into_iter()
            .map(|(status, n)| format!("{n}× {status}"))
            .collect(),
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upstream() -> Value {
        crate::spec::load(&crate::repo_root().join(crate::codegen::SPEC)).unwrap()
    }

    #[test]
    fn each_correction_changes_the_upstream_spec_and_fixes_its_defect() {
        let mut doc = upstream();
        let names: Vec<&str> = correct(&mut doc).iter().map(|c| c.what).collect();
        assert_eq!(names.len(), 5, "{names:?}");
        let page = &doc["components"]["schemas"]["SearchQueryPageResponse"]["properties"];
        assert_eq!(page["hasMoreTotalItems"]["example"], false);
        let s = &doc["components"]["schemas"];
        assert!(s["SearchQueryPageRequest"].get("oneOf").is_none());
        assert_eq!(s["UserTaskKey"]["example"], "2251799813685249");
        assert!(s["CreateDeploymentData"]["properties"]["resources"]["anyOf"].is_array());
        let problem = &doc["paths"]["/topology"]["get"]["responses"]["401"]["content"]["application/problem+json"]
            ["example"];
        assert_eq!(problem["status"], 401, "{problem}");
        assert_eq!(problem["title"], "Unauthorized");
    }

    #[test]
    fn a_oneof_with_one_open_branch_stays() {
        let mut doc = json!({ "paths": {}, "components": { "schemas": {
            "A": { "type": "object", "properties": { "a": {} } },
            "B": { "type": "object", "required": ["b"], "properties": { "b": {} } },
            "U": { "oneOf": [ { "$ref": "#/components/schemas/A" }, { "$ref": "#/components/schemas/B" } ] }
        } } });
        assert!(ambiguous_one_of(&mut doc).places.is_empty());
        assert!(doc["components"]["schemas"]["U"]["oneOf"].is_array());
    }
}
