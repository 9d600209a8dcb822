//! `additionalProperties: false` on 88 schemas, some of them in responses: typify turns it into
//! `deny_unknown_fields`, so one new field from a newer server would break decoding. Dropped
//! everywhere: unknown fields are ignored.

use crate::spec::walk_schemas;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    walk_schemas(doc, &mut |schema, _, _| {
        if let Some(obj) = schema.as_object_mut()
            && obj.get("additionalProperties") == Some(&Value::Bool(false))
        {
            obj.remove("additionalProperties");
            count += 1;
        }
    });
    count
}
