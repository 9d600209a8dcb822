//! Error responses: most are `application/problem+json` (which progenitor leaves untyped), and
//! 13 differ (empty, or `application/json` alternatives). progenitor asserts that all error
//! responses of an operation share one type and panics. Every non-2xx response becomes the
//! `ProblemDetail` JSON shape, so errors are typed; the facade still keeps the raw body when a
//! server answers something else.
//!
//! Older specs (8.8) have no `ProblemDetail` component: the bundler inlined the schema into every
//! `application/problem+json` response. The first inline copy then becomes the component.

use crate::spec::{METHODS, schema_ref, schemas, schemas_mut};
use serde_json::{Value, json};

/// The schema of the first `application/problem+json` error response, if any.
fn inline_problem_schema(doc: &Value) -> Option<Value> {
    let paths = doc.get("paths")?.as_object()?;
    paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("responses").and_then(Value::as_object))
        .flat_map(|responses| responses.values())
        .find_map(|resp| {
            resp.pointer("/content/application~1problem+json/schema")
                .filter(|s| s.get("$ref").is_none())
                .cloned()
        })
}

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    if !schemas(doc).contains_key("ProblemDetail")
        && let Some(schema) = inline_problem_schema(doc)
    {
        schemas_mut(doc).insert("ProblemDetail".into(), schema);
        count += 1;
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    let unified = json!({
        "application/json": { "schema": { "$ref": schema_ref("ProblemDetail") } }
    });
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            for (code, resp) in responses.iter_mut() {
                if code.starts_with('2') {
                    continue;
                }
                if resp.get("content") != Some(&unified) {
                    resp["content"] = unified.clone();
                    count += 1;
                }
            }
        }
    }
    count
}
