//! The `no_run` example every operation's rustdoc carries: a hand-written one showing a real use
//! for the most used operations ([`crate::op_examples`]), otherwise one generated from the
//! operation's required values with the spec's example values (keys and ids from their
//! components' `example`s). Doctests compile them, so they cannot go stale.

use serde_json::Value;

/// A value for the example: the schema's own `example`, else its component's.
pub fn spec_example<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    if let Some(e) = schema.get("example") {
        return Some(e);
    }
    let target = schema
        .get("$ref")
        .or_else(|| schema.pointer("/allOf/0/$ref"))
        .and_then(Value::as_str)?;
    let name = target.rsplit('/').next()?;
    let component = doc.pointer(&format!("/components/schemas/{name}"))?;
    spec_example(doc, component)
}

/// What an argument of the example is, for choosing its literal.
pub enum Arg<'a> {
    /// A key or a string: a string literal.
    Text(Option<&'a Value>),
    /// An integer.
    Integer(Option<&'a Value>),
    Bool,
    Millis,
    /// Variables: a small JSON object.
    Vars,
    /// An open enum: its wire text converts into it.
    Enum(Option<&'a Value>),
}

/// The Rust literal for an argument.
pub fn literal(arg: &Arg) -> String {
    match arg {
        Arg::Text(e) => format!(
            "{:?}",
            e.and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "example".to_owned())
        ),
        Arg::Integer(e) => e.and_then(Value::as_i64).unwrap_or(1).to_string(),
        Arg::Bool => "true".into(),
        Arg::Millis => "Duration::from_secs(30)".into(),
        Arg::Vars => "&json!({ \"orderId\": \"A-1042\", \"amount\": 129.5 })".into(),
        Arg::Enum(e) => format!("{:?}", e.and_then(Value::as_str).unwrap_or("UNSPECIFIED")),
    }
}

/// The doc lines of an example: the call (`method(args)` then `.setter(value)` lines), how its
/// answer is used, wrapped in a hidden async fn over a `client`.
pub fn render(
    method: &str,
    args: &[String],
    setters: &[(String, String)],
    returns_unit: bool,
) -> Vec<String> {
    let mut call = vec![format!("client\n    .{method}({})", args.join(", "))];
    for (name, value) in setters {
        call.push(format!("    .{name}({value})"));
    }
    call.push("    .send()\n    .await?;".into());
    let call = call.join("\n");
    let mut body = String::new();
    if returns_unit {
        body.push_str(&call);
    } else {
        body.push_str(&format!("let answer = {call}\nprintln!(\"{{answer:?}}\");"));
    }
    wrap(&body)
}

/// A snippet (the body of an async fn with `client` in scope) as doc lines of a `no_run`
/// doctest.
pub fn wrap(body: &str) -> Vec<String> {
    let mut lines = vec![
        String::new(),
        "# Example".into(),
        String::new(),
        "```no_run".into(),
        "# use camunda_sdk::{enums, keys, types};".into(),
        "# use serde_json::json;".into(),
        "# use std::time::Duration;".into(),
        "# async fn example(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {"
            .into(),
    ];
    lines.extend(body.lines().map(str::to_owned));
    lines.push("# Ok(())".into());
    lines.push("# }".into());
    lines.push("```".into());
    lines
}
