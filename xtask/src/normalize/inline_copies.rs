//! Inline copies of structured components: the bundler expanded ~650 filter `oneOf`s, ~90 enums
//! and many objects in place of their `$ref`. typify names each copy after its site, so the same
//! filter or enum becomes dozens of incompatible types. A non-trivial inline schema (an enum, an
//! object with properties, or a composition) that is structurally identical to a component —
//! ignoring documentation — becomes a reference to that component.
//!
//! Runs after `ref_semantic_scalars`, so copies compare equal once their keys are references.
//! Repeats to a fixed point: replacing an inner copy can make its parent equal to a component.

use super::{canonical, reference};
use crate::spec::{Site, schemas, walk_schemas};
use serde_json::Value;
use std::collections::HashMap;

fn is_structured(schema: &Value) -> bool {
    schema.get("enum").is_some()
        || schema.get("properties").is_some()
        || ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| schema.get(*k).is_some_and(|v| !is_single_ref_allof(k, v)))
}

/// `allOf: [$ref]` is how a nullable reference is written; it is a reference, not a copy.
fn is_single_ref_allof(key: &str, list: &Value) -> bool {
    key == "allOf"
        && list
            .as_array()
            .is_some_and(|l| l.len() == 1 && l[0].get("$ref").is_some())
}

fn without_nullable(schema: &Value) -> (Value, bool) {
    let mut s = schema.clone();
    let nullable = s
        .as_object_mut()
        .and_then(|o| o.remove("nullable"))
        .and_then(|v| v.as_bool())
        == Some(true);
    (s, nullable)
}

pub fn run(doc: &mut Value) -> usize {
    let mut total = 0;
    for _round in 0..16 {
        let mut by_shape: HashMap<String, String> = HashMap::new();
        for (name, schema) in schemas(doc) {
            if is_structured(schema) {
                let (s, _) = without_nullable(schema);
                by_shape
                    .entry(canonical(&s))
                    .or_insert_with(|| name.clone());
            }
        }
        let mut count = 0;
        walk_schemas(doc, &mut |schema, loc, site| {
            if site == Site::Component && !loc.contains(['.', '[', '/', '{']) {
                return; // a component root is a definition, not a copy
            }
            if !is_structured(schema) {
                return;
            }
            let (s, nullable) = without_nullable(schema);
            if let Some(name) = by_shape.get(&canonical(&s)) {
                *schema = reference(name, nullable);
                count += 1;
            }
        });
        if count == 0 {
            return total;
        }
        total += count;
    }
    panic!("ref_inline_copies did not reach a fixed point in 16 rounds");
}
