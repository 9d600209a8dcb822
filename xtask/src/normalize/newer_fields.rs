//! `x-properties-added-in-version` (on a schema: property name → server version) and
//! `x-added-in-version` (on a property schema, or on a whole component): the spec is the newest
//! server's, and it marks as `required` many properties that older servers never send
//! (`ActivatedJobResult.physicalTenantId`, `BrokerInfo.brokerId`, … are 8.10). Decoding an older
//! server's response then fails on a missing field. In every schema a response reaches, a
//! required property added after [`OLDEST_SUPPORTED_SERVER`] becomes optional, and its
//! description says from which version servers send it, so rustdoc shows why it is an `Option`.
//!
//! A schema reachable from both a request and a response is relaxed too: the one Rust type must
//! decode what the old server sends, and on a request an unset optional field is simply left out.
//! Schemas only requests reach stay as the newest spec has them.
//!
//! Runs after `ref_inline_copies` (the bundler's inline copies inside responses are references to
//! the annotated components by then, and the copies still compared equal to their component while
//! `required` was untouched), and after `optional_nullable_response_fields`, so the count is only
//! what this pass relaxes. Runs before `nullable_components_to_use_sites`, which wraps references
//! in required properties, and before pruning.

use crate::OLDEST_SUPPORTED_SERVER;
use crate::spec::{
    Direction, Site, collect_refs, operation_refs, reachable, ref_name, schema_ref, schemas,
    walk_schemas,
};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The sentence appended to a relaxed property's description; [`by_version`] counts it.
fn marker(version: &str) -> String {
    format!("Sent by servers {version} and later.")
}

/// `"8.10"` → `(8, 10)`, so that versions compare numerically.
fn parse(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().unwrap_or("0").parse().ok()?;
    Some((major, minor))
}

fn newer_than_oldest(version: &str) -> bool {
    let oldest = parse(OLDEST_SUPPORTED_SERVER).expect("OLDEST_SUPPORTED_SERVER is `major.minor`");
    parse(version).is_some_and(|v| v > oldest)
}

/// Components a response body can reach, through any nesting, the hand-written operations'
/// responses included.
fn response_components(doc: &Value) -> HashSet<String> {
    let mut queue = operation_refs(doc, Direction::Response);
    if let Some(kept) = doc.get(super::multipart::KEEP) {
        collect_refs(kept, &mut queue);
    }
    reachable(doc, queue)
}

/// The version from which servers send each property of `schema`, as far as the spec says.
fn added_in(schema: &Value, newer_components: &HashMap<String, String>) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, p) in props {
            let whole = ref_name(p)
                .or_else(|| p.pointer("/allOf/0").and_then(ref_name))
                .and_then(|n| newer_components.get(n));
            if let Some(v) = p.get("x-added-in-version").and_then(Value::as_str) {
                out.insert(name.clone(), v.to_owned());
            } else if let Some(v) = whole {
                out.insert(name.clone(), v.clone());
            }
        }
    }
    // The schema's own table wins: it is what the spec's authors maintain per property.
    for entry in schema
        .get("x-properties-added-in-version")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = entry.get("propertyName").and_then(Value::as_str);
        let version = entry
            .get("addedInVersionOverride")
            .or_else(|| entry.get("addedInVersion"))
            .and_then(Value::as_str);
        if let (Some(name), Some(version)) = (name, version) {
            out.insert(name.to_owned(), version.to_owned());
        }
    }
    out
}

/// The component a walk location belongs to (`BrokerInfo.partitions[items]` → `BrokerInfo`).
fn component_of(loc: &str) -> &str {
    loc.split(['.', '[', '/', '{']).next().unwrap_or(loc)
}

pub fn run(doc: &mut Value) -> usize {
    let reached = response_components(doc);
    let newer_components: HashMap<String, String> = schemas(doc)
        .iter()
        .filter_map(|(n, s)| {
            let v = s.get("x-added-in-version")?.as_str()?;
            newer_than_oldest(v).then(|| (n.clone(), v.to_owned()))
        })
        .collect();
    let mut count = 0;
    walk_schemas(doc, &mut |schema, loc, site| {
        let in_response = match site {
            Site::Response => true,
            Site::Component => reached.contains(component_of(loc)),
            Site::Parameter | Site::Request => false,
        };
        if !in_response {
            return;
        }
        let versions = added_in(schema, &newer_components);
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let Some(required) = obj.get("required").and_then(Value::as_array) else {
            return;
        };
        let relaxed: Vec<(String, String)> = required
            .iter()
            .filter_map(Value::as_str)
            .filter_map(|r| {
                let v = versions.get(r)?;
                newer_than_oldest(v).then(|| (r.to_owned(), v.clone()))
            })
            .collect();
        if relaxed.is_empty() {
            return;
        }
        let required = obj["required"].as_array_mut().expect("checked above");
        required.retain(|r| !relaxed.iter().any(|(n, _)| r.as_str() == Some(n)));
        if required.is_empty() {
            obj.remove("required");
        }
        let props = obj
            .get_mut("properties")
            .and_then(Value::as_object_mut)
            .expect("a schema with versioned properties has properties");
        for (name, version) in &relaxed {
            let Some(p) = props.get_mut(name) else {
                continue;
            };
            // A bare `$ref` cannot carry a description (its siblings are ignored), so the
            // reference moves into a one-branch `allOf`, the form nullable references use.
            if let Some(target) = ref_name(p).map(str::to_owned) {
                *p = json!({ "allOf": [{ "$ref": schema_ref(&target) }] });
            }
            let text = match p.get("description").and_then(Value::as_str) {
                Some(d) if !d.trim().is_empty() => {
                    format!("{}\n\n{}", d.trim_end(), marker(version))
                }
                _ => marker(version),
            };
            p["description"] = text.into();
            count += 1;
        }
    });
    count
}

/// For the operation inventory: how many required properties of `op`'s success responses (as
/// the spec is published, before normalisation) were added after the oldest supported server,
/// by version (`8.9:1,8.10:2`); `None` when there are none.
pub fn in_success_response(doc: &Value, op: &Value) -> Option<String> {
    let mut queue = Vec::new();
    for (_, resp) in op
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(code, _)| code.starts_with('2'))
    {
        collect_refs(resp, &mut queue);
    }
    let newer_components = HashMap::new();
    let mut counts: BTreeMap<(u32, u32), (String, usize)> = BTreeMap::new();
    let mut names: Vec<String> = reachable(doc, queue).into_iter().collect();
    names.sort();
    for name in names {
        let schema = &schemas(doc)[&name];
        let versions = added_in(schema, &newer_components);
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if let Some(v) = versions.get(r).filter(|v| newer_than_oldest(v))
                && let Some(key) = parse(v)
            {
                counts.entry(key).or_insert_with(|| (v.clone(), 0)).1 += 1;
            }
        }
    }
    (!counts.is_empty()).then(|| {
        counts
            .values()
            .map(|(v, n)| format!("{v}:{n}"))
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// How many properties [`run`] relaxed, by the version that added them (read back from the
/// descriptions it wrote), for the normalisation report.
pub fn by_version(doc: &Value) -> String {
    let mut counts: BTreeMap<(u32, u32), (String, usize)> = BTreeMap::new();
    let mut doc = doc.clone();
    walk_schemas(&mut doc, &mut |schema, _, _| {
        for p in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.values())
        {
            let Some(d) = p.get("description").and_then(Value::as_str) else {
                continue;
            };
            if let Some(v) = d
                .rsplit_once("Sent by servers ")
                .and_then(|(_, rest)| rest.strip_suffix(" and later."))
                && let Some(key) = parse(v)
            {
                counts.entry(key).or_insert_with(|| (v.to_owned(), 0)).1 += 1;
            }
        }
    });
    counts
        .values()
        .map(|(v, n)| format!("{v}: {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(newer_than_oldest("8.10"));
        assert!(newer_than_oldest("8.9"));
        assert!(!newer_than_oldest("8.8"));
        assert!(!newer_than_oldest("8.6"));
        assert!(!newer_than_oldest("not a version"));
    }

    #[test]
    fn relaxes_response_properties_only() {
        let mut doc = json!({
            "paths": {
                "/a": { "post": {
                    "requestBody": { "content": { "application/json": { "schema":
                        { "$ref": "#/components/schemas/Req" } } } },
                    "responses": { "200": { "content": { "application/json": { "schema":
                        { "$ref": "#/components/schemas/Resp" } } } } }
                } }
            },
            "components": { "schemas": {
                "Req": { "type": "object", "required": ["n"],
                    "properties": { "n": { "type": "string" } },
                    "x-properties-added-in-version": [{ "propertyName": "n", "addedInVersion": "8.10" }] },
                "Resp": { "type": "object", "required": ["old", "new", "obj"],
                    "properties": {
                        "old": { "type": "string" },
                        "new": { "type": "string", "description": "New." },
                        "obj": { "$ref": "#/components/schemas/Later" }
                    },
                    "x-properties-added-in-version": [
                        { "propertyName": "old", "addedInVersion": "8.8" },
                        { "propertyName": "new", "addedInVersion": "8.9" }
                    ] },
                "Later": { "type": "object", "x-added-in-version": "8.10" }
            } }
        });
        assert_eq!(run(&mut doc), 2);
        let resp = &doc["components"]["schemas"]["Resp"];
        assert_eq!(resp["required"], json!(["old"]));
        assert_eq!(
            resp["properties"]["new"]["description"],
            "New.\n\nSent by servers 8.9 and later."
        );
        assert_eq!(
            resp["properties"]["obj"]["allOf"][0]["$ref"],
            "#/components/schemas/Later"
        );
        assert_eq!(
            doc["components"]["schemas"]["Req"]["required"],
            json!(["n"])
        );
        assert_eq!(by_version(&doc), "8.9: 1, 8.10: 1");
    }
}
