//! `getStartProcessForm` and `getUserTaskForm` answer 200 with JSON or 204 with no body;
//! progenitor requires one success type and panics. The 204 is dropped from codegen; the facade
//! maps a 204 to `Ok(None)`.

use crate::spec::METHODS;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    for item in paths.values_mut().filter_map(Value::as_object_mut) {
        for (method, op) in item.iter_mut() {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            let has_body = |r: &Value| {
                r.get("content")
                    .is_some_and(|c| c.as_object().is_some_and(|c| !c.is_empty()))
            };
            let bodied = responses
                .iter()
                .any(|(code, r)| code.starts_with('2') && code != "204" && has_body(r));
            if bodied && responses.get("204").is_some_and(|r| !has_body(r)) {
                responses.shift_remove("204");
                count += 1;
            }
        }
    }
    count
}
