//! `Changeset` (user task update) and `JobResultCorrections` (a task listener's corrections)
//! type `dueDate` and `followUpDate` as `date-time`, but their descriptions say the field is
//! cleared by sending an empty string ("* `dueDate` - reset by providing an empty String");
//! `chrono::DateTime` cannot hold `""`, so a caller could never clear the date. The format is
//! dropped on every `date-time` property a component's description documents that way, so the
//! field is a string.

use crate::spec::schemas_mut;
use serde_json::Value;

/// The property names a description lists as cleared by an empty string.
fn cleared_by_empty_string(description: &str) -> Vec<&str> {
    description
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("* `")?;
            let (name, tail) = rest.split_once('`')?;
            let tail = tail.to_ascii_lowercase();
            let documented =
                (tail.contains("reset") || tail.contains("clear")) && tail.contains("empty string");
            documented.then_some(name)
        })
        .collect()
}

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    for schema in schemas_mut(doc).values_mut() {
        let fields: Vec<String> = match schema.get("description").and_then(Value::as_str) {
            Some(d) => cleared_by_empty_string(d)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            None => continue,
        };
        let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for field in fields {
            if let Some(p) = props.get_mut(&field).and_then(Value::as_object_mut)
                && p.get("format").and_then(Value::as_str) == Some("date-time")
            {
                p.remove("format");
                count += 1;
            }
        }
    }
    count
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_fields_cleared_by_an_empty_string() {
        let d = "Attributes:\n\n* `dueDate` - reset by providing an empty String\n\n\
                 * `assignee` - clear by providing an empty String\n\
                 * `candidateUsers` - reset by providing an empty list\n\
                 * `priority` - minimum 0";
        assert_eq!(super::cleared_by_empty_string(d), ["dueDate", "assignee"]);
    }
}
