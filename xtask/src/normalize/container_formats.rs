//! `format` on array and object schemas (`TagSet` is a `string<Tag>[]` array with a format):
//! typify panics on it. A format only describes scalars, so it is dropped there.

use crate::spec::walk_schemas;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    walk_schemas(doc, &mut |schema, _, _| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let container = matches!(
            obj.get("type").and_then(Value::as_str),
            Some("array" | "object")
        );
        if container && obj.remove("format").is_some() {
            count += 1;
        }
    });
    count
}
