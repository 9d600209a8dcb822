//! Inline enums (~20 reachable from responses, more on requests): typify makes a closed enum per
//! site, and one value a newer server adds (`MIGRATING`) fails the whole response. Each inline
//! enum of two or more values becomes a component named after its site (identical enums share
//! one), so codegen can give every enum one open Rust type with an `Unknown(String)` fallback.
//! Single-value enums are discriminator tags and constants; they stay closed on purpose.
//!
//! Runs after `ref_inline_copies` (copies of existing enum components are references by then)
//! and after `pin_discriminator_tags`.

use super::{canonical, reference};
use crate::spec::{Site, schemas_mut, walk_schemas};
use heck::ToUpperCamelCase;
use serde_json::Value;
use std::collections::HashMap;

/// A type name from a walk location: `ActivatedJobResult.kind` → `ActivatedJobResultKind`.
fn name_for(loc: &str) -> String {
    let words: Vec<&str> = loc
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| {
            !w.is_empty()
                && !w.chars().all(|c| c.is_ascii_digit())
                && !matches!(
                    *w,
                    "items" | "oneOf" | "anyOf" | "allOf" | "request" | "application" | "json"
                )
        })
        .collect();
    words.join(" ").to_upper_camel_case()
}

pub fn run(doc: &mut Value) -> usize {
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    let mut by_shape: HashMap<String, String> = HashMap::new();
    let existing: Vec<String> = crate::spec::schemas(doc).keys().cloned().collect();
    let mut count = 0;
    walk_schemas(doc, &mut |schema, loc, site| {
        if site == Site::Component && !loc.contains(['.', '[', '/', '{', ' ']) {
            return;
        }
        let values = schema
            .get("enum")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        if values < 2 || schema.get("type").and_then(Value::as_str) != Some("string") {
            return;
        }
        let mut definition = schema.clone();
        let nullable = definition
            .as_object_mut()
            .and_then(|o| o.remove("nullable"))
            .is_some_and(|v| v == Value::Bool(true));
        let shape = canonical(&definition);
        let name = match by_shape.get(&shape) {
            Some(name) => name.clone(),
            None => {
                let mut name = name_for(loc);
                while existing.contains(&name) || hoisted.iter().any(|(n, _)| *n == name) {
                    name.push_str("Value");
                }
                hoisted.push((name.clone(), definition));
                by_shape.insert(shape, name.clone());
                name
            }
        };
        *schema = reference(&name, nullable);
        count += 1;
    });
    let components = schemas_mut(doc);
    for (name, schema) in hoisted {
        components.insert(name, schema);
    }
    count
}
