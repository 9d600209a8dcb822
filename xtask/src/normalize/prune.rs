//! ~130 components that no operation reaches (left behind by the bundler, or made unreachable by
//! the passes above): they would only add dead generated code. Runs last.

use crate::spec::{collect_refs, schemas, schemas_mut};
use serde_json::Value;
use std::collections::HashSet;

pub fn run(doc: &mut Value) -> usize {
    let mut reachable: HashSet<String> = HashSet::new();
    let mut queue = Vec::new();
    collect_refs(&doc["paths"], &mut queue);
    // The models the hand-written (multipart) operations return stay too.
    if let Some(kept) = doc
        .as_object_mut()
        .and_then(|d| d.remove(super::multipart::KEEP))
    {
        collect_refs(&kept, &mut queue);
    }
    let components = schemas(doc);
    while let Some(name) = queue.pop() {
        if reachable.insert(name.clone())
            && let Some(schema) = components.get(&name)
        {
            collect_refs(schema, &mut queue);
        }
    }
    let all = schemas_mut(doc);
    let before = all.len();
    all.retain(|name, _| reachable.contains(name));
    before - all.len()
}
