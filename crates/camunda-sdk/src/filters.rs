//! Search filters that read well.
//!
//! The raw filter fields are untagged enums — an exact value or an `Advanced*Filter` with
//! `$eq`, `$in`, `$gt`… — one type per field type (`StringFilterProperty`,
//! `ProcessInstanceKeyFilterProperty`, `DateTimeFilterProperty`, …). A [`Filter`] is built
//! with the same words for all of them and converted into whichever type the field has:
//!
//! ```
//! use camunda_sdk::filters;
//! use camunda_sdk::types::ProcessInstanceSearchQueryFilter;
//!
//! # fn main() -> camunda_sdk::Result<()> {
//! let since: chrono::DateTime<chrono::Utc> = "2025-01-01T00:00:00Z".parse().unwrap();
//! let until: chrono::DateTime<chrono::Utc> = "2025-02-01T00:00:00Z".parse().unwrap();
//! let filter = ProcessInstanceSearchQueryFilter {
//!     process_definition_id: Some(filters::eq("order-process").build()?),
//!     state: Some(filters::one_of(["ACTIVE", "COMPLETED"]).build()?),
//!     start_date: Some(filters::gte(since).lt(until).build()?),
//!     process_definition_version: Some(filters::between(2, 5).build()?),
//!     ..Default::default()
//! };
//! # Ok(()) }
//! ```
//!
//! [`Filter::build`] checks that the target type carries every condition: a range on a field
//! that has no ranges is an [`Error::InvalidArgument`], not a condition silently dropped.

use crate::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};

/// What the generated [`Condition`] impls read with.
pub(crate) mod read;

/// A filter condition, built from the free functions of this module and converted into a
/// raw filter type with [`build`](Filter::build).
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    /// An exact value, or the `$`-operators.
    value: std::result::Result<Value, String>,
}

fn to_value(v: impl Serialize) -> std::result::Result<Value, String> {
    serde_json::to_value(v).map_err(|e| e.to_string())
}

impl Filter {
    fn op(op: &str, v: std::result::Result<Value, String>) -> Self {
        Filter::empty().and(op, v)
    }

    fn empty() -> Self {
        Filter {
            value: Ok(Value::Object(Map::new())),
        }
    }

    fn and(self, op: &str, v: std::result::Result<Value, String>) -> Self {
        let value = match (self.value, v) {
            (Err(e), _) | (_, Err(e)) => Err(e),
            (Ok(Value::Object(mut m)), Ok(v)) => {
                m.insert(op.to_owned(), v);
                Ok(Value::Object(m))
            }
            // An exact value combined with an operator: spell it as `$eq`.
            (Ok(exact), Ok(v)) => {
                let mut m = Map::new();
                m.insert("$eq".to_owned(), exact);
                m.insert(op.to_owned(), v);
                Ok(Value::Object(m))
            }
        };
        Filter { value }
    }

    /// Also: not equal to `v`.
    pub fn neq(self, v: impl Serialize) -> Self {
        self.and("$neq", to_value(v))
    }
    /// Also: greater than `v`.
    pub fn gt(self, v: impl Serialize) -> Self {
        self.and("$gt", to_value(v))
    }
    /// Also: greater than or equal to `v`.
    pub fn gte(self, v: impl Serialize) -> Self {
        self.and("$gte", to_value(v))
    }
    /// Also: less than `v`.
    pub fn lt(self, v: impl Serialize) -> Self {
        self.and("$lt", to_value(v))
    }
    /// Also: less than or equal to `v`.
    pub fn lte(self, v: impl Serialize) -> Self {
        self.and("$lte", to_value(v))
    }
    /// Also: the field is (or is not) set.
    pub fn exists(self, exists: bool) -> Self {
        self.and("$exists", Ok(Value::Bool(exists)))
    }
    /// Also: none of `values`.
    pub fn not_in<T: Serialize>(self, values: impl IntoIterator<Item = T>) -> Self {
        self.and("$notIn", list(values))
    }

    /// The JSON this filter sends.
    pub fn to_json(&self) -> Result<Value> {
        self.value
            .clone()
            .map_err(|message| Error::InvalidArgument {
                name: "filter",
                message,
            })
    }

    /// This filter as the raw filter type `P` (usually inferred from the field it is assigned
    /// to). Fails when `P` cannot express every condition.
    pub fn build<P: Condition>(self) -> Result<P> {
        let json = self.to_json()?;
        let invalid = |message: String| Error::InvalidArgument {
            name: "filter",
            message,
        };
        let typed = P::from_json(&json).map_err(|e| {
            invalid(format!(
                "{json} is not a valid {}: {e}",
                std::any::type_name::<P>()
            ))
        })?;
        let back = serde_json::to_value(&typed).map_err(|e| invalid(e.to_string()))?;
        if !same(&json, &back) {
            return Err(invalid(format!(
                "{} does not support {json} (it keeps only {back})",
                std::any::type_name::<P>()
            )));
        }
        Ok(typed)
    }
}

/// A raw search filter condition type (`StringFilterProperty`, `AdvancedDateTimeFilter`, …) that
/// [`Filter::build`] can produce. These types derive only `Serialize` (they travel in requests
/// only); `cargo xtask codegen` implements this for each of them, reading the JSON the way
/// their `Deserialize` derive would.
pub trait Condition: Serialize + Sized {
    /// Reads `value` as this type, or says why it does not fit.
    fn from_json(value: &Value) -> std::result::Result<Self, String>;
}

/// Equal up to the representation of numbers and keys (a numeric key sent as `5` comes back
/// as `"5"`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same(v, w))
        }
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            n.to_string() == *s
        }
        _ => a == b,
    }
}

fn list<T: Serialize>(values: impl IntoIterator<Item = T>) -> std::result::Result<Value, String> {
    values
        .into_iter()
        .map(to_value)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// Exactly `v` (a string, number, key, enum value or date).
pub fn eq(v: impl Serialize) -> Filter {
    Filter { value: to_value(v) }
}

/// Not equal to `v`.
pub fn neq(v: impl Serialize) -> Filter {
    Filter::op("$neq", to_value(v))
}

/// Any of `values` (`$in`).
pub fn one_of<T: Serialize>(values: impl IntoIterator<Item = T>) -> Filter {
    Filter::op("$in", list(values))
}

/// None of `values` (`$notIn`).
pub fn not_in<T: Serialize>(values: impl IntoIterator<Item = T>) -> Filter {
    Filter::op("$notIn", list(values))
}

/// Greater than `v`.
pub fn gt(v: impl Serialize) -> Filter {
    Filter::op("$gt", to_value(v))
}

/// Greater than or equal to `v`.
pub fn gte(v: impl Serialize) -> Filter {
    Filter::op("$gte", to_value(v))
}

/// Less than `v`.
pub fn lt(v: impl Serialize) -> Filter {
    Filter::op("$lt", to_value(v))
}

/// Less than or equal to `v`.
pub fn lte(v: impl Serialize) -> Filter {
    Filter::op("$lte", to_value(v))
}

/// From `low` to `high`, both included.
pub fn between(low: impl Serialize, high: impl Serialize) -> Filter {
    gte(low).lte(high)
}

/// The field is (or is not) set.
pub fn exists(exists: bool) -> Filter {
    Filter::op("$exists", Ok(Value::Bool(exists)))
}

/// Matches the pattern (`*` any characters, `?` one character) — string fields only.
pub fn like(pattern: impl Into<String>) -> Filter {
    Filter::op("$like", Ok(Value::String(pattern.into())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types;
    use serde_json::json;

    #[test]
    fn builds_the_raw_shapes() {
        let p: types::StringFilterProperty = eq("order").build().unwrap();
        assert_eq!(serde_json::to_value(&p).unwrap(), json!("order"));
        let p: types::StringFilterProperty = one_of(["a", "b"]).build().unwrap();
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"$in": ["a", "b"]})
        );
        let key: crate::keys::ProcessInstanceKey = "2251799813685250".parse().unwrap();
        let p: types::ProcessInstanceKeyFilterProperty = one_of([key.clone()]).build().unwrap();
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"$in": ["2251799813685250"]})
        );
        let p: types::IntegerFilterProperty = between(2, 5).build().unwrap();
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"$gte": 2, "$lte": 5})
        );
    }

    #[test]
    fn unsupported_conditions_are_errors() {
        let r: Result<types::StringFilterProperty> = gt("a").build();
        assert!(matches!(r, Err(Error::InvalidArgument { .. })), "{r:?}");
    }
}
