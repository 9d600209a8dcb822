//! `Changeset.dueDate` and `followUpDate` are `date-time`, but the API documents that sending an
//! empty string resets them; `chrono::DateTime` cannot hold `""`. The format is dropped there so
//! the field is a string.

use crate::spec::schemas_mut;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let Some(props) = schemas_mut(doc)
        .get_mut("Changeset")
        .and_then(|c| c.get_mut("properties"))
        .and_then(Value::as_object_mut)
    else {
        return 0;
    };
    let mut count = 0;
    for field in ["dueDate", "followUpDate"] {
        if let Some(p) = props.get_mut(field).and_then(Value::as_object_mut)
            && p.remove("format").is_some()
        {
            count += 1;
        }
    }
    count
}
