//! Loading the spec and walking the schemas inside it.
//!
//! The document is held as a `serde_json::Value` (insertion-ordered) so that normalisation passes
//! can rewrite any construct, including ones `openapiv3` would reject, before it is typed.

use anyhow::Context;
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::path::Path;

pub fn load(path: &Path) -> anyhow::Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_yaml::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `#/components/schemas/Name` for a component name.
pub fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// The component name behind a `$ref`, if the schema is a plain reference.
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

pub fn schemas(doc: &Value) -> &Map<String, Value> {
    doc["components"]["schemas"]
        .as_object()
        .expect("components.schemas is an object")
}

pub fn schemas_mut(doc: &mut Value) -> &mut Map<String, Value> {
    doc["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas is an object")
}

/// Where a schema sits in the document, for passes that treat requests and responses apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Site {
    Component,
    Parameter,
    Request,
    Response,
}

/// Calls `f` on every schema in the document: components, parameters, request and response
/// bodies, and every schema nested in those (properties, items, compositions).
/// Children are visited before their parent, so `f` sees already-rewritten subschemas.
/// `f` receives a human-readable location and the site.
pub fn walk_schemas(doc: &mut Value, f: &mut dyn FnMut(&mut Value, &str, Site)) {
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (name, schema) in schemas.iter_mut() {
            walk_schema(schema, name, Site::Component, f);
        }
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for (method, op) in item.iter_mut() {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let loc = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{method} {path}"), str::to_owned);
                walk_operation(op, &loc, f);
            }
        }
    }
}

fn walk_operation(op: &mut Value, loc: &str, f: &mut dyn FnMut(&mut Value, &str, Site)) {
    if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
        for p in params {
            let name = p["name"].as_str().unwrap_or("?").to_owned();
            if let Some(s) = p.get_mut("schema") {
                walk_schema(s, &format!("{loc}.{name}"), Site::Parameter, f);
            }
        }
    }
    if let Some(content) = op
        .pointer_mut("/requestBody/content")
        .and_then(Value::as_object_mut)
    {
        for (mime, media) in content.iter_mut() {
            if let Some(s) = media.get_mut("schema") {
                walk_schema(s, &format!("{loc} request {mime}"), Site::Request, f);
            }
        }
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (code, resp) in responses.iter_mut() {
            if let Some(content) = resp.get_mut("content").and_then(Value::as_object_mut) {
                for (mime, media) in content.iter_mut() {
                    if let Some(s) = media.get_mut("schema") {
                        walk_schema(s, &format!("{loc} {code} {mime}"), Site::Response, f);
                    }
                }
            }
        }
    }
}

/// The keywords whose values are single subschemas or maps/lists of them.
pub fn walk_schema(
    schema: &mut Value,
    loc: &str,
    site: Site,
    f: &mut dyn FnMut(&mut Value, &str, Site),
) {
    if let Some(obj) = schema.as_object_mut() {
        if let Some(props) = obj.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, p) in props.iter_mut() {
                walk_schema(p, &format!("{loc}.{name}"), site, f);
            }
        }
        for key in ["items", "not"] {
            if let Some(s) = obj.get_mut(key) {
                walk_schema(s, &format!("{loc}[{key}]"), site, f);
            }
        }
        if let Some(ap) = obj.get_mut("additionalProperties")
            && ap.is_object()
        {
            walk_schema(ap, &format!("{loc}{{*}}"), site, f);
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = obj.get_mut(key).and_then(Value::as_array_mut) {
                for (i, s) in list.iter_mut().enumerate() {
                    walk_schema(s, &format!("{loc}/{key}[{i}]"), site, f);
                }
            }
        }
    }
    f(schema, loc, site);
}

/// Every component name a value refers to, directly or through nesting.
pub fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(obj) => {
            if let Some(name) = ref_name(value) {
                out.push(name.to_owned());
            }
            for v in obj.values() {
                collect_refs(v, out);
            }
        }
        Value::Array(list) => list.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The components `queue` names and every component they reach through references.
pub fn reachable(doc: &Value, mut queue: Vec<String>) -> HashSet<String> {
    let components = schemas(doc);
    let mut seen = HashSet::new();
    while let Some(name) = queue.pop() {
        if seen.insert(name.clone())
            && let Some(schema) = components.get(&name)
        {
            collect_refs(schema, &mut queue);
        }
    }
    seen
}

/// Which way a schema travels between client and server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// In what clients send: parameters and request bodies.
    Request,
    /// In what servers answer: responses, of every status.
    Response,
}

/// The components the operations' parameters and request bodies ([`Direction::Request`]) or
/// their responses ([`Direction::Response`]) name directly; [`reachable`] closes the set.
pub fn operation_refs(doc: &Value, direction: Direction) -> Vec<String> {
    let mut out = Vec::new();
    for item in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(Value::as_object)
    {
        if direction == Direction::Request
            && let Some(shared) = item.get("parameters")
        {
            collect_refs(shared, &mut out);
        }
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let parts: &[&str] = match direction {
                Direction::Request => &["parameters", "requestBody"],
                Direction::Response => &["responses"],
            };
            for part in parts {
                if let Some(v) = op.get(*part) {
                    collect_refs(v, &mut out);
                }
            }
        }
    }
    out
}
