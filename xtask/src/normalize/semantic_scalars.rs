//! Inline copies of key scalars (~400): the bundler expanded every `$ref` to `JobKey`,
//! `ProcessInstanceKey`, `TenantId`, … in place, keeping `x-semantic-type`. typify would make a
//! new type per site (`ActivatedJobResultJobKey` ≠ `JobKey`). Each copy becomes a reference to
//! the component its `x-semantic-type` names, so one Rust type stands for one key everywhere.

use super::reference;
use crate::spec::{Site, schemas, walk_schemas};
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let components: Vec<String> = schemas(doc).keys().cloned().collect();
    let mut count = 0;
    walk_schemas(doc, &mut |schema, loc, site| {
        let Some(semantic) = schema.get("x-semantic-type").and_then(Value::as_str) else {
            return;
        };
        // The component itself stays a definition.
        if site == Site::Component && loc == semantic {
            return;
        }
        if schema.get("$ref").is_some() || !components.iter().any(|c| c == semantic) {
            return;
        }
        let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
        *schema = reference(semantic, nullable);
        count += 1;
    });
    count
}
