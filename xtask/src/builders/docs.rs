//! The rustdoc of each client method: the paragraph on its arguments and its `# Example`.

use super::fields::*;
use crate::model::OpModel;
use heck::ToUpperCamelCase;

/// The spec schema of the operation `id`'s parameter `name`.
pub(super) fn parameter_schema<'d>(
    doc: &'d serde_json::Value,
    id: &str,
    name: &str,
) -> Option<&'d serde_json::Value> {
    crate::model::operations_by_id(doc)
        .get(id)?
        .get("parameters")?
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)?
        .get("schema")
}

/// The spec schema of property `field` (a Rust field name) of component `model`.
pub(super) fn property_schema<'d>(
    doc: &'d serde_json::Value,
    model: &str,
    field: &str,
) -> Option<&'d serde_json::Value> {
    let (_, schema) = crate::spec::schemas(doc)
        .iter()
        .find(|(name, _)| name.to_upper_camel_case() == model)?;
    let field = field.trim_start_matches("r#").trim_end_matches('_');
    let props = schema.get("properties")?.as_object()?;
    props
        .iter()
        .find(|(k, _)| heck::ToSnakeCase::to_snake_case(k.as_str()) == field)
        .map(|(_, v)| v)
}

pub(super) fn example_arg<'d>(
    doc: &'d serde_json::Value,
    x: &Field,
    schema: Option<&'d serde_json::Value>,
) -> Option<crate::examples::Arg<'d>> {
    use crate::examples::{Arg, spec_example};
    let example = schema.and_then(|s| spec_example(doc, s));
    let ty = x.ty.to_string();
    Some(match &x.shape {
        Shape::Key | Shape::Str => Arg::Text(example),
        Shape::Millis => Arg::Millis,
        Shape::Vars => Arg::Vars,
        _ if ty == "i32" || ty == "i64" => Arg::Integer(example),
        _ if ty == "bool" => Arg::Bool,
        _ if ty.starts_with("enums ::") => Arg::Enum(example),
        _ => return None,
    })
}

/// The rustdoc example of an operation (see [`crate::examples`]).
pub(super) fn example(
    doc: &serde_json::Value,
    f: &OpModel,
    body: &Body,
    positional: &[&Field],
    unit: bool,
) -> Vec<String> {
    if let Some(snippet) = crate::op_examples::hand_written(&f.op.id) {
        return crate::examples::wrap(snippet);
    }
    let model = match body {
        Body::Struct { model, .. } | Body::Union { model, .. } => Some(model.to_string()),
        _ => None,
    };
    let mut args = Vec::new();
    for p in &f.path {
        let schema = parameter_schema(doc, &f.op.id, &p.wire);
        let example = schema.and_then(|s| crate::examples::spec_example(doc, s));
        args.push(crate::examples::literal(&crate::examples::Arg::Text(
            example,
        )));
    }
    for x in positional {
        let schema = model
            .as_deref()
            .and_then(|m| property_schema(doc, m, &x.name.to_string()));
        match example_arg(doc, x, schema) {
            Some(arg) => args.push(crate::examples::literal(&arg)),
            None => return Vec::new(),
        }
    }
    let mut setters = Vec::new();
    // Required values set by setters: a struct's required fields, or a union's first shape's.
    let (fields, required): (Vec<&Field>, Vec<String>) = match body {
        Body::Struct { fields, .. } => (
            fields.iter().collect(),
            fields
                .iter()
                .filter(|x| x.storage == Storage::Required)
                .map(|x| x.name.to_string())
                .collect(),
        ),
        Body::Union { fields, shapes, .. } => (
            fields.iter().collect(),
            shapes
                .first()
                .map(|s| s.3.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    for x in &fields {
        let name = x.name.to_string();
        let wanted =
            required.contains(&name) || matches!(x.shape, Shape::Vars) && name == "variables";
        if !wanted || positional.iter().any(|p| p.name == x.name) {
            continue;
        }
        let schema = model
            .as_deref()
            .and_then(|m| property_schema(doc, m, &name));
        if let Some(arg) = example_arg(doc, x, schema) {
            setters.push((name, crate::examples::literal(&arg)));
        }
    }
    crate::examples::render(&f.op.method_name(), &args, &setters, unit)
}

pub(super) fn positional_doc(f: &OpModel, positional: &[&Field]) -> String {
    let mut names: Vec<String> = f.path.iter().map(|p| format!("`{}`", p.ident)).collect();
    names.extend(positional.iter().map(|x| format!("`{}`", x.name)));
    if names.is_empty() {
        String::new()
    } else {
        format!(
            "Takes {}; everything else is set on the builder.",
            names.join(", ")
        )
    }
}
