//! 30 components are `nullable` at the root: typify wraps each in `struct X(Option<XInner>)`, a
//! second type per schema. Nullability belongs to the use site, where an optional field already
//! reads `null` as `None`; a required use site keeps it through `allOf` + `nullable`.
//!
//! Runs after `optional_nullable_response_fields`, which makes most such use sites optional.

use super::reference;
use crate::spec::{ref_name, schemas_mut, walk_schemas};
use serde_json::Value;
use std::collections::HashSet;

pub fn run(doc: &mut Value) -> usize {
    let mut stripped: HashSet<String> = HashSet::new();
    for (name, schema) in schemas_mut(doc).iter_mut() {
        if let Some(obj) = schema.as_object_mut()
            && obj.remove("nullable").is_some()
        {
            stripped.insert(name.clone());
        }
    }
    let count = stripped.len();
    // A required property that refers to a stripped component keeps accepting null.
    walk_schemas(doc, &mut |schema, _, _| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let required: Vec<String> = obj
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            for name in &required {
                if let Some(p) = props.get_mut(name)
                    && let Some(target) = ref_name(p)
                        .filter(|t| stripped.contains(*t))
                        .map(str::to_owned)
                {
                    *p = reference(&target, true);
                }
            }
        }
    });
    count
}
