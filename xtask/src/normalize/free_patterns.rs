//! `pattern` on strings that are not semantic keys (`BackupIdPrefix`: `^\d*\*$`): typify turns
//! each into a newtype checked by a regex engine at run time (a `regress` dependency) and makes
//! the value fallible to build. The server validates these itself; the SDK does not duplicate a
//! regex engine for them. Key types keep their patterns: `key_support.rs` checks those by hand.
//!
//! Runs after `ref_semantic_scalars`, so the only patterns left inline are not keys.

use crate::spec::{Site, walk_schemas};
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    walk_schemas(doc, &mut |schema, loc, site| {
        let Some(obj) = schema.as_object_mut() else {
            return;
        };
        let is_key_component = site == Site::Component
            && obj.get("x-semantic-type").and_then(Value::as_str) == Some(loc);
        if !is_key_component && obj.remove("pattern").is_some() {
            count += 1;
        }
    });
    count
}
