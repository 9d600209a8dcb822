//! `*ExactMatch` components (53 of them) that are structurally identical to another component
//! (`ProcessInstanceKeyExactMatch` = `ProcessInstanceKey`, `…StateExactMatch` = `…StateEnum`):
//! typify emits a duplicate type for each. References to an alias are pointed at its canonical
//! component; the alias itself is then unreachable and pruned.
//!
//! Runs after `collapse_string_oneofs` (so `ScopeKeyExactMatch` compares equal to `ScopeKey`).

use super::canonical;
use crate::spec::{ref_name, schema_ref, schemas, walk_schemas};
use serde_json::Value;
use std::collections::HashMap;

pub fn run(doc: &mut Value) -> usize {
    let components = schemas(doc);
    let mut by_shape: HashMap<String, &str> = HashMap::new();
    for (name, schema) in components {
        if !name.ends_with("ExactMatch") {
            by_shape.entry(canonical(schema)).or_insert(name);
        }
    }
    let mut alias: HashMap<String, String> = HashMap::new();
    for (name, schema) in components {
        if let Some(base) = name.strip_suffix("ExactMatch") {
            // A semantic alias names its canonical component; otherwise match by shape.
            let target = schema
                .get("x-semantic-type")
                .and_then(Value::as_str)
                .filter(|t| components.contains_key(*t) && *t != name)
                .or_else(|| by_shape.get(&canonical(schema)).copied())
                .or_else(|| components.contains_key(base).then_some(base));
            if let Some(target) = target
                && canonical(&components[target]) == canonical(schema)
            {
                alias.insert(name.clone(), target.to_owned());
            }
        }
    }
    let mut count = 0;
    walk_schemas(doc, &mut |schema, _, _| {
        if let Some(target) = ref_name(schema).and_then(|n| alias.get(n)) {
            schema["$ref"] = schema_ref(target).into();
            count += 1;
        }
    });
    count
}
