//! ~216 properties are both `required` and `nullable`: the key must be present even when its value
//! is null. A server that omits null members (as Camunda does for fields it does not track) then
//! fails to decode. A nullable property is made optional; on requests this also means an unset
//! field is left out rather than sent as `null`.
//!
//! A reference to a nullable component counts as nullable, so this runs before
//! `nullable_components_to_use_sites` strips nullability from components.

use crate::spec::{ref_name, schemas, walk_schemas};
use serde_json::Value;
use std::collections::HashSet;

pub fn run(doc: &mut Value) -> usize {
    let nullable_components: HashSet<String> = schemas(doc)
        .iter()
        .filter(|(_, s)| s.get("nullable") == Some(&Value::Bool(true)))
        .map(|(n, _)| n.clone())
        .collect();
    let is_nullable = |p: &Value| {
        p.get("nullable") == Some(&Value::Bool(true))
            || ref_name(p).is_some_and(|n| nullable_components.contains(n))
    };
    let mut count = 0;
    walk_schemas(doc, &mut |schema, _, _| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let nullable: HashSet<String> = match obj.get("properties").and_then(Value::as_object) {
            Some(props) => props
                .iter()
                .filter(|(_, p)| is_nullable(p))
                .map(|(n, _)| n.clone())
                .collect(),
            None => return,
        };
        if let Some(required) = obj.get_mut("required").and_then(Value::as_array_mut) {
            let before = required.len();
            required.retain(|r| !r.as_str().is_some_and(|r| nullable.contains(r)));
            count += before - required.len();
            if required.is_empty() {
                obj.remove("required");
            }
        }
    });
    count
}
