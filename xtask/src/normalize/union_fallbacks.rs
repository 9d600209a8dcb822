//! The `discriminator` unions a response carries (`WaitStateDetails`,
//! `AgentInstanceMessageContent`, `ClusterRestoreOperation`) are closed: with each variant's tag
//! pinned (`pin_discriminator_tags`), a tag a newer server adds (8.10 itself added the `SIGNAL`
//! and `CONDITION` wait states) matches no variant and fails the whole response. Each such union
//! gets a last `oneOf` branch, a free-form object component named like its siblings
//! (`UnknownWaitStateDetails`, `AgentInstanceUnknownContent`, …), which keeps the object as
//! received. Known tags still decode to their own variant, because untagged variants are tried
//! in order and the fallback comes last.
//!
//! Request-only unions (`JobResult`, `SourceElementInstruction`, …) stay closed: the SDK builds
//! them, it never receives them. Runs after `pin_discriminator_tags`.

use crate::spec::{collect_refs, reachable, ref_name, schema_ref, schemas, schemas_mut};
use serde_json::{Value, json};
use std::collections::HashSet;

/// Components reachable from a response body.
fn response_components(doc: &Value) -> HashSet<String> {
    let mut queue = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for item in paths.values().filter_map(Value::as_object) {
            for op in item.values() {
                if let Some(responses) = op.get("responses") {
                    collect_refs(responses, &mut queue);
                }
            }
        }
    }
    reachable(doc, queue)
}

/// `JobWaitStateDetails` → `["Job", "Wait", "State", "Details"]`.
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

/// The variants' shared leading and trailing words around `Unknown`:
/// `ClusterRestoreBrokerOperation`, `ClusterRestoreModeChangeOperation` → `ClusterRestoreUnknownOperation`.
fn fallback_name(variants: &[String]) -> String {
    let split: Vec<Vec<&str>> = variants.iter().map(|v| words(v)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest)
        .take_while(|&i| split.iter().all(|w| w[i] == split[0][i]))
        .count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| {
            split
                .iter()
                .all(|w| w[w.len() - 1 - i] == split[0][split[0].len() - 1 - i])
        })
        .count();
    let first = &split[0];
    format!(
        "{}Unknown{}",
        first[..prefix].concat(),
        first[first.len() - suffix..].concat()
    )
}

pub fn run(doc: &mut Value) -> usize {
    let in_responses = response_components(doc);
    let mut fallbacks: Vec<(String, String, Value)> = Vec::new(); // (union, name, schema)
    let existing = schemas(doc);
    for (union, schema) in existing {
        let Some(prop) = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let Some(branches) = schema.get("oneOf").and_then(Value::as_array) else {
            continue;
        };
        if !in_responses.contains(union) {
            continue;
        }
        let variants: Vec<String> = branches
            .iter()
            .filter_map(|b| ref_name(b).map(str::to_owned))
            .collect();
        let mut name = fallback_name(&variants);
        while existing.contains_key(&name) {
            name.push_str("Value");
        }
        let description = format!(
            "A `{union}` variant this SDK does not know (from a newer server): the object as \
             received, `{prop}` included."
        );
        let fallback = json!({ "type": "object", "description": description });
        fallbacks.push((union.clone(), name, fallback));
    }
    let components = schemas_mut(doc);
    for (union, name, fallback) in &fallbacks {
        components.insert(name.clone(), fallback.clone());
        if let Some(branches) = components[union]
            .get_mut("oneOf")
            .and_then(Value::as_array_mut)
        {
            branches.push(json!({ "$ref": schema_ref(name) }));
        }
    }
    fallbacks.len()
}

#[cfg(test)]
mod tests {
    use super::fallback_name;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fallback_is_named_like_its_siblings() {
        assert_eq!(
            fallback_name(&names(&["JobWaitStateDetails", "TimerWaitStateDetails"])),
            "UnknownWaitStateDetails"
        );
        assert_eq!(
            fallback_name(&names(&[
                "AgentInstanceTextContent",
                "AgentInstanceObjectContent"
            ])),
            "AgentInstanceUnknownContent"
        );
        assert_eq!(
            fallback_name(&names(&[
                "ClusterRestoreBrokerOperation",
                "ClusterRestoreModeChangeOperation",
                "ClusterRestoreAwaitModeChangeOperation"
            ])),
            "ClusterRestoreUnknownOperation"
        );
        assert_eq!(fallback_name(&names(&["AB", "AB"])), "ABUnknown");
    }
}
