//! Error responses: most are `application/problem+json` (which progenitor leaves untyped), and
//! 13 differ (empty, or `application/json` alternatives). progenitor asserts that all error
//! responses of an operation share one type and panics. Every non-2xx response becomes the
//! `ProblemDetail` JSON shape, so errors are typed; the facade still keeps the raw body when a
//! server answers something else.

use crate::spec::{METHODS, schema_ref};
use serde_json::{Value, json};

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
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
