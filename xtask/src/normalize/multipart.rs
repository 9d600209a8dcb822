//! `multipart/form-data` request bodies (`createDeployment`, `createDocument`,
//! `createDocuments`): progenitor cannot generate them. They are removed from the document handed
//! to progenitor; the inventory still lists them (marked hand-written) and the facade implements
//! them on the shared transport.

use crate::spec::METHODS;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let mut removed = 0;
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let before = item.len();
        item.retain(|method, op| !(METHODS.contains(&method.as_str()) && is_multipart(op)));
        removed += before - item.len();
    }
    // A path with no operation left is dropped too.
    paths.retain(|_, item| {
        item.as_object()
            .is_some_and(|i| i.keys().any(|k| METHODS.contains(&k.as_str())))
    });
    removed
}

pub fn is_multipart(op: &Value) -> bool {
    op.pointer("/requestBody/content")
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key("multipart/form-data"))
}
