//! 8 `discriminator` unions (`JobResult`, `WaitStateDetails`, `SourceElementInstruction`, …):
//! progenitor ignores `discriminator`, and in an untagged enum the first variant that fits
//! structurally wins, so a `TIMER` wait state can decode as a `JOB` one. Each variant's tag
//! property is pinned to its single mapped value: the enum stays untagged, but each variant's
//! tag field now accepts only its own value, so the tag decides the variant.

use crate::spec::{ref_name, schemas_mut};
use serde_json::{Value, json};

pub fn run(doc: &mut Value) -> usize {
    let schemas = schemas_mut(doc);
    let mut pins: Vec<(String, String, String)> = Vec::new(); // (component, property, tag)
    for schema in schemas.values() {
        let Some(disc) = schema.get("discriminator") else {
            continue;
        };
        let Some(prop) = disc.get("propertyName").and_then(Value::as_str) else {
            continue;
        };
        if let Some(mapping) = disc.get("mapping").and_then(Value::as_object) {
            for (tag, target) in mapping {
                if let Some(name) = ref_name(&json!({ "$ref": target })) {
                    pins.push((name.to_owned(), prop.to_owned(), tag.clone()));
                }
            }
        }
    }
    let mut count = 0;
    for (component, prop, tag) in pins {
        let Some(variant) = schemas.get_mut(&component) else {
            continue;
        };
        let pinned = json!({ "type": "string", "enum": [tag] });
        let target = owner_of(variant, &prop);
        let Some(obj) = target.as_object_mut() else {
            continue;
        };
        let description = obj
            .get("properties")
            .and_then(|p| p.get(&prop))
            .and_then(|p| p.get("description"))
            .cloned();
        let mut pinned = pinned;
        if let Some(d) = description {
            pinned["description"] = d;
        }
        if !obj.contains_key("properties") {
            obj.insert("properties".into(), json!({}));
        }
        obj["properties"][&prop] = pinned;
        let required = obj.entry("required").or_insert_with(|| json!([]));
        if let Some(list) = required.as_array_mut()
            && !list.iter().any(|r| r == prop.as_str())
        {
            list.push(prop.as_str().into());
        }
        count += 1;
    }
    count
}

/// The object schema that declares `prop`: the variant itself, or the `allOf` member that does.
fn owner_of<'a>(variant: &'a mut Value, prop: &str) -> &'a mut Value {
    let declared_in_member = variant
        .get("allOf")
        .and_then(Value::as_array)
        .and_then(|l| {
            l.iter()
                .position(|m| m.get("properties").and_then(|p| p.get(prop)).is_some())
        });
    match declared_in_member {
        Some(i) => &mut variant["allOf"][i],
        None => variant,
    }
}
