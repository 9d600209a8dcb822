//! `multipart/form-data` request bodies (`createDeployment`, `createDocument`,
//! `createDocuments`): progenitor cannot generate them. They are removed from the document handed
//! to progenitor; the inventory still lists them (marked hand-written) and the facade implements
//! them on the shared transport. Their success responses are kept under [`KEEP`], so that
//! `prune_unreachable_components` keeps the models they return (`DeploymentResult`, …) and the
//! facade decodes into generated types rather than hand-written copies.

use crate::spec::METHODS;
use serde_json::Value;

/// Document extension holding the removed operations' success responses until pruning.
pub const KEEP: &str = "x-camunda-rs-hand-written-responses";

pub fn run(doc: &mut Value) -> usize {
    let mut removed = 0;
    let mut kept = Vec::new();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let before = item.len();
        item.retain(|method, op| {
            let drop = METHODS.contains(&method.as_str()) && is_multipart(op);
            if drop && let Some(responses) = op.get("responses").and_then(Value::as_object) {
                kept.extend(
                    responses
                        .iter()
                        .filter(|(code, _)| code.starts_with('2'))
                        .map(|(_, r)| r.clone()),
                );
            }
            !drop
        });
        removed += before - item.len();
    }
    // A path with no operation left is dropped too.
    paths.retain(|_, item| {
        item.as_object()
            .is_some_and(|i| i.keys().any(|k| METHODS.contains(&k.as_str())))
    });
    doc[KEEP] = Value::Array(kept);
    removed
}

pub fn is_multipart(op: &Value) -> bool {
    op.pointer("/requestBody/content")
        .and_then(Value::as_object)
        .is_some_and(|c| c.contains_key("multipart/form-data"))
}
