//! Request values built from the spec's schemas: a *minimal* value (required properties only)
//! and a *full* one (every property, to exercise as much of the SDK's serialisation as the
//! validator can check). Strings follow the spec's patterns and formats.

use serde_json::{Map, Value, json};

/// Which properties a generated object gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fill {
    Required,
    All,
    /// Every property a server of [`xtask::OLDEST_SUPPORTED_SERVER`] sends: all of them but
    /// those the spec marks as added later (`x-properties-added-in-version`,
    /// `x-added-in-version`), required or not, and no union branch added later.
    Oldest,
}

/// Whether the spec's `version` is newer than the oldest supported server.
fn newer(version: Option<&str>) -> bool {
    let parse = |v: &str| -> Option<(u32, u32)> {
        let (major, minor) = v.trim().split_once('.')?;
        Some((major.parse().ok()?, minor.parse().ok()?))
    };
    match (
        version.and_then(parse),
        parse(xtask::OLDEST_SUPPORTED_SERVER),
    ) {
        (Some(v), Some(oldest)) => v > oldest,
        _ => false,
    }
}

pub struct Sampler<'a> {
    pub doc: &'a Value,
}

/// Deeper than this, objects get only their required properties (filters nest `$or` lists).
const FULL_DEPTH: usize = 5;
const MAX_DEPTH: usize = 16;

impl<'a> Sampler<'a> {
    /// Follows `$ref`s (schemas, parameters, request bodies) to the definition.
    pub fn resolve(&self, mut v: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => match self.doc.pointer(r.trim_start_matches('#')) {
                    Some(target) => v = target,
                    None => return v,
                },
                None => return v,
            }
        }
        v
    }

    pub fn sample(&self, schema: &Value, fill: Fill) -> Value {
        self.at(schema, fill, 0)
    }

    fn at(&self, schema: &Value, fill: Fill, depth: usize) -> Value {
        let s = self.resolve(schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(c) = s.get("const") {
            return c.clone();
        }
        if let Some(first) = s
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|e| e.first())
        {
            return first.clone();
        }
        if let Some(branches) = s
            .get("oneOf")
            .or_else(|| s.get("anyOf"))
            .and_then(Value::as_array)
        {
            // The first branch; a plain value where the branches offer one (filters: a value
            // or an operator object), which keeps oneOf unambiguous.
            let sent = |b: &&Value| {
                fill != Fill::Oldest || !newer(self.resolve(b)["x-added-in-version"].as_str())
            };
            let pick = branches
                .iter()
                .filter(sent)
                .find(|b| {
                    let b = self.resolve(b);
                    !self.is_object(b) && b.get("oneOf").is_none() && b.get("allOf").is_none()
                })
                .or_else(|| {
                    // Object branches (pagination styles): the one with the most required
                    // properties is the least likely to match its siblings too.
                    branches.iter().filter(sent).rev().max_by_key(|b| {
                        let mut props = Map::new();
                        let mut required = Vec::new();
                        self.members(b, &mut props, &mut required);
                        required.len()
                    })
                });
            if let Some(b) = pick {
                return self.at(b, fill, depth + 1);
            }
        }
        // `allOf: [$ref]` is how a described or nullable reference is written: a reference,
        // not an object, when its one branch is not an object.
        if let Some([one]) = s.get("allOf").and_then(Value::as_array).map(Vec::as_slice)
            && s.get("properties").is_none()
            && !self.is_object(self.resolve(one))
        {
            return self.at(one, fill, depth + 1);
        }
        if self.is_object(s) {
            return self.object(s, fill, depth);
        }
        match s.get("type").and_then(Value::as_str) {
            Some("array") => {
                let n = s.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
                let n = if fill != Fill::Required && depth < FULL_DEPTH {
                    n.max(1)
                } else {
                    n
                };
                let item = s.get("items").cloned().unwrap_or(json!({}));
                Value::Array((0..n).map(|_| self.at(&item, fill, depth + 1)).collect())
            }
            Some("integer") => json!(number(s, 1.0) as i64),
            Some("number") => json!(number(s, 1.5)),
            Some("boolean") => json!(true),
            _ => Value::String(string(s)),
        }
    }

    fn is_object(&self, s: &Value) -> bool {
        s.get("type").and_then(Value::as_str) == Some("object")
            || s.get("properties").is_some()
            || s.get("allOf").is_some()
    }

    /// Properties and required names of an object schema, `allOf` branches merged.
    fn members(&self, s: &'a Value, props: &mut Map<String, Value>, required: &mut Vec<String>) {
        let s = self.resolve(s);
        for b in s
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.members(b, props, required);
        }
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                props.insert(k.clone(), v.clone());
            }
        }
        for entry in s
            .get("x-properties-added-in-version")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let version = entry
                .get("addedInVersionOverride")
                .or_else(|| entry.get("addedInVersion"));
            if let Some(name) = entry["propertyName"].as_str()
                && newer(version.and_then(Value::as_str))
                && let Some(p) = props.get_mut(name).and_then(Value::as_object_mut)
            {
                // Marked on this copy so that `object` can leave it out for `Fill::Oldest`
                // (a `$ref`'s siblings do not change what it resolves to).
                p.insert(
                    "x-added-in-version".into(),
                    version.cloned().unwrap_or_default(),
                );
            }
        }
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(r) = r.as_str()
                && !required.iter().any(|x| x == r)
            {
                required.push(r.to_owned());
            }
        }
    }

    fn object(&self, s: &'a Value, fill: Fill, depth: usize) -> Value {
        let mut props = Map::new();
        let mut required = Vec::new();
        self.members(s, &mut props, &mut required);
        let all = fill != Fill::Required && depth < FULL_DEPTH;
        let mut out = Map::new();
        for (name, schema) in &props {
            let later = newer(schema["x-added-in-version"].as_str())
                || newer(self.resolve(schema)["x-added-in-version"].as_str());
            if fill == Fill::Oldest && later {
                continue;
            }
            if required.contains(name) || all {
                let v = self.at(schema, fill, depth + 1);
                if !v.is_null() {
                    out.insert(name.clone(), v);
                }
            }
        }
        let min = s.get("minProperties").and_then(Value::as_u64).unwrap_or(0) as usize;
        for (name, schema) in &props {
            if out.len() >= min {
                break;
            }
            out.entry(name.clone())
                .or_insert_with(|| self.at(schema, Fill::Required, depth + 1));
        }
        Value::Object(out)
    }
}

fn number(s: &Value, default: f64) -> f64 {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let mut v = default;
    if let Some(m) = min {
        let exclusive = s.get("exclusiveMinimum") == Some(&Value::Bool(true));
        v = v.max(if exclusive { m + 1.0 } else { m });
    }
    if let Some(m) = max
        && v > m
    {
        v = m;
    }
    v
}

/// A string valid for the schema's pattern and format.
fn string(s: &Value) -> String {
    let pattern = s.get("pattern").and_then(Value::as_str).unwrap_or("");
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let mut v = match pattern {
        "^-?[0-9]+$" => "2251799813685249".to_owned(),
        "^(<default>|[\\w\\.\\-]{1,31})$" => "<default>".to_owned(),
        "^[0-9]+-[0-9]+$" => "2251799813685249-1".to_owned(),
        "^\\d*\\*$" => "1*".to_owned(),
        "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=)?$" => {
            "ZGVtbw==".to_owned()
        }
        _ => match format {
            "date-time" => "2024-06-01T12:00:00.000Z".to_owned(),
            "date" => "2024-06-01".to_owned(),
            "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6".to_owned(),
            "uri" => "https://example.com/demo".to_owned(),
            "uri-reference" => "/demo".to_owned(),
            "email" => "demo@example.com".to_owned(),
            "base64" | "byte" => "ZGVtbw==".to_owned(),
            _ => "demo".to_owned(),
        },
    };
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    while v.chars().count() < min {
        v.push('x');
    }
    if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
        v = v.chars().take(max as usize).collect();
    }
    v
}
