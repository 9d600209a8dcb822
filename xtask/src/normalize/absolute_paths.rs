//! Two server bases: the document's `servers` puts every path under `/v2`, but 15 cluster-admin
//! paths (`/cluster/v2/status`, `/cluster/v2/backups/…`) override it with the bare host. progenitor
//! ignores `servers` and joins every path to one base URL, so one of the two groups always lands
//! on the wrong URL (`/v2/cluster/v2/…`). Each path that does not override the base is prefixed
//! with the document's base path, and the per-path overrides are removed; the raw client's base
//! URL is then the cluster address itself.

use serde_json::{Map, Value};

/// The path part of the document-level server URL (`{schema}://{host}:{port}/v2` → `/v2`).
pub fn base_path(doc: &Value) -> String {
    let url = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or("");
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme.find('/').map_or_else(String::new, |i| {
        after_scheme[i..].trim_end_matches('/').to_owned()
    })
}

pub fn run(doc: &mut Value) -> usize {
    let base = base_path(doc);
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return 0;
    };
    let mut count = 0;
    let mut out = Map::new();
    for (path, mut item) in std::mem::take(paths) {
        let own_server = item
            .as_object_mut()
            .and_then(|i| i.remove("servers"))
            .is_some();
        if own_server || base.is_empty() {
            out.insert(path, item);
        } else {
            out.insert(format!("{base}{path}"), item);
            count += 1;
        }
    }
    *paths = out;
    count
}
