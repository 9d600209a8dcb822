//! Typed process variables.
//!
//! - Writing: a request builder's `variables(&value)` setter takes any `Serialize` that
//!   serialises to a JSON object; [`to_variables`] does the same for a model struct built by
//!   hand (their variable types all convert from a JSON map).
//! - Reading: [`from_map`] (job variables, instance creation results) and [`from_search`]
//!   (variable search results) decode into any `Deserialize`; a decode error names the variable.
//! - [`fetch`] reads a struct's worth of a process instance's variables, asking the server only
//!   for that struct's fields (names from its `schemars` schema) and fetching the full value of
//!   any variable the search truncated ([`full_value`]). Deriving `JsonSchema` needs
//!   `schemars = "1"` in your own dependencies (the SDK depends on it without its derive, which
//!   only your crate uses).
//!
//! ```no_run
//! # async fn run(client: camunda_sdk::CamundaClient) -> camunda_sdk::Result<()> {
//! use camunda_sdk::variables;
//!
//! #[derive(serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
//! struct Order {
//!     order_id: String,
//!     amount: u32,
//! }
//!
//! let created = client
//!     .create_process_instance()
//!     .process_definition_id("order-process")
//!     .variables(&Order { order_id: "A-1".into(), amount: 3 })
//!     .await?;
//! let order: Order = variables::fetch(&client, &created.process_instance_key).await?;
//! # Ok(()) }
//! ```

use crate::keys::ProcessInstanceKey;
use crate::types::{VariableSearchQuery, VariableSearchQueryFilter, VariableSearchResult};
use crate::{CamundaClient, Error, Result, filters};
use futures::TryStreamExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// `value` as request variables (`V` is inferred: `JobCompletionRequestVariables`,
/// `SetVariableRequestVariables`, …, or a plain `serde_json::Map`). `value` must serialise to
/// a JSON object; anything else is [`Error::InvalidArgument`].
///
/// ```
/// use camunda_sdk::{types, variables};
/// # fn main() -> camunda_sdk::Result<()> {
/// let vars: types::JobCompletionRequestVariables =
///     variables::to_variables(&serde_json::json!({ "approved": true }))?;
/// assert!(variables::to_variables::<serde_json::Map<_, _>>(&42).is_err());
/// # Ok(()) }
/// ```
pub fn to_variables<V: From<Map<String, Value>>>(value: &impl Serialize) -> Result<V> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(V::from(map)),
        Ok(other) => Err(Error::InvalidArgument {
            name: "variables",
            message: format!(
                "variables must serialise to a JSON object (name → value), not {}",
                kind(&other)
            ),
        }),
        Err(e) => Err(Error::InvalidArgument {
            name: "variables",
            message: format!("could not serialise the variables: {e}"),
        }),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes variables (`job.variables`, a creation result's `variables`, …) into `T`. A field
/// that does not decode is reported with the variable's name.
pub fn from_map<T: DeserializeOwned>(variables: &Map<String, Value>) -> Result<T> {
    decode("variables", variables.iter().map(|(k, v)| (k.as_str(), v)))
}

/// Decodes variable search results (`search_variables(...).items`) into `T`. The values are
/// JSON; a truncated value (`is_truncated`) is an error naming the variable — fetch it whole
/// with [`full_value`], or use [`fetch`], which does.
pub fn from_search<T: DeserializeOwned>(items: &[VariableSearchResult]) -> Result<T> {
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        if item.is_truncated {
            return Err(Error::Decode {
                operation: "searchVariables",
                message: format!(
                    "variable `{}`: the value is truncated in search results; fetch it with variables::full_value",
                    item.name
                ),
                path: None,
                body: String::new(),
                source: None,
            });
        }
        values.push((item.name.as_str(), parse_value(&item.name, &item.value)?));
    }
    decode("searchVariables", values.iter().map(|(k, v)| (*k, v)))
}

fn parse_value(name: &str, value: &str) -> Result<Value> {
    serde_json::from_str(value).map_err(|e| Error::Decode {
        operation: "searchVariables",
        path: None,
        message: format!("variable `{name}`: the value is not JSON: {e}"),
        body: value.chars().take(200).collect(),
        source: Some(e),
    })
}

/// Decodes name → value pairs into `T`, naming the variable at fault. The object is written one
/// variable per line so that the decoder's line number identifies the variable.
fn decode<'a, T: DeserializeOwned>(
    operation: &'static str,
    variables: impl Iterator<Item = (&'a str, &'a Value)>,
) -> Result<T> {
    let mut text = String::from("{\n");
    let mut names = Vec::new();
    for (i, (name, value)) in variables.enumerate() {
        if i > 0 {
            text.push_str(",\n");
        }
        // Compact JSON has no raw newlines (they are escaped inside strings).
        text.push_str(&serde_json::to_string(name).unwrap_or_default());
        text.push(':');
        text.push_str(&serde_json::to_string(value).unwrap_or_default());
        names.push(name);
    }
    text.push_str("\n}");
    serde_json::from_str(&text).map_err(|e| {
        // Line 1 is `{`; variable i is on line i + 2; the closing brace is after the last.
        let at = e
            .line()
            .checked_sub(2)
            .and_then(|i| names.get(i))
            .filter(|_| !e.to_string().starts_with("missing field"));
        let message = match at {
            Some(name) => format!("variable `{name}`: {e}"),
            None => e.to_string(),
        };
        Error::Decode {
            operation,
            path: at.map(|name| (*name).to_owned()),
            message,
            body: String::new(),
            source: Some(e),
        }
    })
}

/// The variable names `T` reads: the properties of its JSON schema (serde renames applied).
///
/// ```
/// #[derive(schemars::JsonSchema)]
/// #[serde(rename_all = "camelCase")]
/// struct Order { order_id: String, amount: u32 }
/// assert_eq!(camunda_sdk::variables::names::<Order>(), ["amount", "orderId"]);
/// ```
pub fn names<T: schemars::JsonSchema>() -> Vec<String> {
    let schema = schemars::schema_for!(T);
    let mut names: Vec<String> = schema
        .as_value()
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The search for `T`'s variables in the scope of process instance `key` (its own variables,
/// not those local to its elements).
pub fn query_for<T: schemars::JsonSchema>(key: &ProcessInstanceKey) -> Result<VariableSearchQuery> {
    Ok(VariableSearchQuery {
        filter: Some(VariableSearchQueryFilter {
            process_instance_key: Some(filters::eq(key).build()?),
            scope_key: Some(filters::eq(key).build()?),
            name: Some(filters::one_of(names::<T>()).build()?),
            ..Default::default()
        }),
        page: None,
        sort: Vec::new(),
    })
}

/// The whole value of a variable from search results: parsed from the result, or fetched with
/// `get_variable` when the search truncated it.
pub async fn full_value(client: &CamundaClient, item: &VariableSearchResult) -> Result<Value> {
    if !item.is_truncated {
        return parse_value(&item.name, &item.value);
    }
    let full = client.get_variable(&item.variable_key).await?;
    parse_value(&item.name, &full.value)
}

/// Reads process instance `key`'s variables into `T`, asking the server only for `T`'s fields
/// ([`names`]) and fetching truncated values whole.
pub async fn fetch<T: DeserializeOwned + schemars::JsonSchema>(
    client: &CamundaClient,
    key: &ProcessInstanceKey,
) -> Result<T> {
    let query = query_for::<T>(key)?;
    let items: Vec<VariableSearchResult> = client
        .search_variables()
        .body(query)
        .stream()
        .try_collect()
        .await?;
    let mut values = Vec::with_capacity(items.len());
    for item in &items {
        values.push((item.name.as_str(), full_value(client, item).await?));
    }
    decode("searchVariables", values.iter().map(|(k, v)| (*k, v)))
}

/// [`fetch`] for the blocking client.
pub fn fetch_blocking<T: DeserializeOwned + schemars::JsonSchema>(
    client: &crate::blocking::CamundaClient,
    key: &ProcessInstanceKey,
) -> Result<T> {
    client.block_on(fetch(client.inner(), key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Order {
        id: String,
        amount: u32,
    }

    #[test]
    fn decode_errors_name_the_variable() {
        let map = json!({ "id": "A-1", "amount": "many" });
        let err = from_map::<Order>(map.as_object().unwrap()).unwrap_err();
        assert!(err.to_string().contains("variable `amount`"), "{err}");
        let map = json!({ "id": "A-1" });
        let err = from_map::<Order>(map.as_object().unwrap()).unwrap_err();
        assert!(err.to_string().contains("missing field `amount`"), "{err}");
    }
}
