//! `ProblemDetail` requires all five RFC 9457 members, but RFC 9457 makes every member optional
//! and real servers and proxies omit some (`instance` especially). With them required a body
//! missing one would not decode as a typed error. All become optional.

use crate::spec::schemas_mut;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let Some(pd) = schemas_mut(doc).get_mut("ProblemDetail") else {
        return 0;
    };
    match pd.as_object_mut().and_then(|o| o.remove("required")) {
        Some(Value::Array(list)) => list.len(),
        _ => 0,
    }
}
