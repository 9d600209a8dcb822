//! `oneOf` whose branches are all plain strings (`ScopeKey`, `ResourceKey` and their inline
//! copies, ~20 sites): typify makes an untagged enum that always decodes as its first branch
//! and cannot be used as a path parameter. On the wire it is one string, so it becomes one
//! string schema. When the schema's `format` names a component (`ResourceKey`), that component
//! becomes its semantic type, so the copies later turn into references to one key type.

use crate::spec::{ref_name, schemas, walk_schemas};
use serde_json::{Map, Value};

pub fn run(doc: &mut Value) -> usize {
    let components = schemas(doc).clone();
    let is_plain_string = |branch: &Value| {
        let mut s = branch;
        while let Some(name) = ref_name(s) {
            match components.get(name) {
                Some(target) => s = target,
                None => return false,
            }
        }
        s.get("type").and_then(Value::as_str) == Some("string") && s.get("enum").is_none()
    };
    let mut count = 0;
    walk_schemas(doc, &mut |schema, _, _| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let Some(branches) = obj.get("oneOf").and_then(Value::as_array) else {
            return;
        };
        if branches.is_empty() || !branches.iter().all(is_plain_string) {
            return;
        }
        obj.remove("oneOf");
        let mut out = Map::new();
        out.insert("type".into(), "string".into());
        for (k, v) in obj.iter() {
            if k != "type" {
                out.insert(k.clone(), v.clone());
            }
        }
        if !out.contains_key("x-semantic-type")
            && let Some(format) = out.get("format").and_then(Value::as_str)
            && components.contains_key(format)
        {
            out.insert("x-semantic-type".into(), format.into());
        }
        *obj = out;
        count += 1;
    });
    count
}
