//! What the generated [`Condition`](super::Condition) impls read a filter's JSON with: the
//! properties of an object, each through a reader of its type.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Reads one value, or says why it does not fit.
type Reader<T> = fn(&Value) -> Result<T, String>;

/// A JSON object, or why not.
pub(crate) fn object(value: &Value) -> Result<&Map<String, Value>, String> {
    value
        .as_object()
        .ok_or_else(|| format!("{value} is not an object"))
}

/// A value through its own `Deserialize` (keys, enums, numbers, dates, text).
pub(crate) fn decoded<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

/// An optional property (absent or `null` is `None`, as serde reads an `Option`).
pub(crate) fn optional<T>(
    object: &Map<String, Value>,
    name: &str,
    read: Reader<T>,
) -> Result<Option<T>, String> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read(v).map(Some).map_err(|e| format!("{name}: {e}")),
    }
}

/// A list property (absent is empty, as the models' `#[serde(default)]` reads it).
pub(crate) fn list<T>(
    object: &Map<String, Value>,
    name: &str,
    read: Reader<T>,
) -> Result<Vec<T>, String> {
    match object.get(name) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| read(v).map_err(|e| format!("{name}: {e}")))
            .collect(),
        Some(v) => Err(format!("{name}: {v} is not a list")),
    }
}

// The two readers below serve conditions that the pinned spec has none of and older specs do
// (`cargo xtask compat` builds those): a checked string, and a required property.

/// A checked string through its `FromStr` (typify's hand-rolled `Deserialize` does the same).
#[allow(dead_code)]
pub(crate) fn parsed<T: std::str::FromStr<Err: std::fmt::Display>>(
    value: &Value,
) -> Result<T, String> {
    value
        .as_str()
        .ok_or_else(|| format!("{value} is not a string"))?
        .parse()
        .map_err(|e: T::Err| e.to_string())
}

/// A required property.
#[allow(dead_code)]
pub(crate) fn required<T>(
    object: &Map<String, Value>,
    name: &str,
    read: Reader<T>,
) -> Result<T, String> {
    match object.get(name) {
        None => Err(format!("{name} is missing")),
        Some(v) => read(v).map_err(|e| format!("{name}: {e}")),
    }
}
