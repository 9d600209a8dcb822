//! Normalisation: named passes that rewrite constructs of the upstream spec that progenitor and
//! typify reject or generate wrongly. The generated code is never patched; the input is.
//!
//! Each pass lives in its own module, documents the upstream construct it handles, and returns
//! how many places it changed. On the pinned spec a pass that changes nothing is an error, so a
//! pass made dead by an upstream fix is noticed and deleted.

pub mod absolute_paths;
mod additional_properties;
mod alias_components;
mod clearable_dates;
mod container_formats;
mod discriminators;
mod error_responses;
mod free_patterns;
mod inline_copies;
mod inline_enums;
pub(crate) mod multipart;
pub(crate) mod newer_fields;
mod nullable_components;
mod problem_detail;
mod prune;
mod required_nullable;
mod semantic_scalars;
mod string_oneofs;
mod titles;
mod two_success_bodies;
mod union_fallbacks;

use serde_json::Value;

/// One normalisation pass.
pub struct Pass {
    pub name: &'static str,
    pub run: fn(&mut Value) -> usize,
}

/// The passes in the order they run. Order matters where noted in a pass's docs.
pub const PASSES: &[Pass] = &[
    Pass {
        name: "multipart_operations_to_facade",
        run: multipart::run,
    },
    Pass {
        name: "absolute_paths",
        run: absolute_paths::run,
    },
    Pass {
        name: "strip_titles",
        run: titles::run,
    },
    Pass {
        name: "drop_container_formats",
        run: container_formats::run,
    },
    Pass {
        name: "collapse_string_oneofs",
        run: string_oneofs::run,
    },
    Pass {
        name: "merge_alias_components",
        run: alias_components::run,
    },
    Pass {
        name: "ref_semantic_scalars",
        run: semantic_scalars::run,
    },
    Pass {
        name: "drop_free_string_patterns",
        run: free_patterns::run,
    },
    Pass {
        name: "ref_inline_copies",
        run: inline_copies::run,
    },
    Pass {
        name: "unify_error_responses",
        run: error_responses::run,
    },
    Pass {
        name: "drop_alternative_204",
        run: two_success_bodies::run,
    },
    Pass {
        name: "drop_additional_properties_false",
        run: additional_properties::run,
    },
    Pass {
        name: "pin_discriminator_tags",
        run: discriminators::run,
    },
    Pass {
        name: "fallback_for_unknown_union_tags",
        run: union_fallbacks::run,
    },
    Pass {
        name: "hoist_inline_enums",
        run: inline_enums::run,
    },
    Pass {
        name: "relax_problem_detail",
        run: problem_detail::run,
    },
    Pass {
        name: "optional_nullable_response_fields",
        run: required_nullable::run,
    },
    Pass {
        name: "optional_response_fields_older_servers_omit",
        run: newer_fields::run,
    },
    Pass {
        name: "nullable_components_to_use_sites",
        run: nullable_components::run,
    },
    Pass {
        name: "clearable_dates_as_strings",
        run: clearable_dates::run,
    },
    Pass {
        name: "prune_unreachable_components",
        run: prune::run,
    },
];

/// A breakdown of a pass's count, read from the document it left.
type Detail = fn(&Value) -> String;

/// Passes whose count the report breaks down, read from the document right after they ran.
const DETAILS: &[(&str, Detail)] = &[(
    "optional_response_fields_older_servers_omit",
    newer_fields::by_version,
)];

/// What each pass changed, in order, with a breakdown for the passes in [`DETAILS`].
pub struct Report(
    pub Vec<(&'static str, usize)>,
    pub Vec<(&'static str, String)>,
);

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (name, count) in &self.0 {
            writeln!(f, "{name:<40} {count:>5}")?;
            for (_, detail) in self.1.iter().filter(|(n, _)| n == name) {
                writeln!(f, "  {detail}")?;
            }
        }
        Ok(())
    }
}

/// Runs every pass. With `strict`, a pass that changes nothing is an error (the pinned spec);
/// without it (older or newer specs) such passes are only reported.
pub fn normalize(doc: &mut Value, strict: bool) -> anyhow::Result<Report> {
    let mut report = Vec::new();
    let mut details = Vec::new();
    for pass in PASSES {
        let count = (pass.run)(doc);
        for (_, detail) in DETAILS.iter().filter(|(n, _)| *n == pass.name) {
            details.push((pass.name, detail(doc)));
        }
        if count == 0 && strict {
            anyhow::bail!(
                "normalisation pass `{}` changed nothing: upstream may have fixed the construct; \
                 delete the pass",
                pass.name
            );
        }
        report.push((pass.name, count));
    }
    Ok(Report(report, details))
}

/// Keys that carry documentation only; they do not change what a schema accepts.
pub(crate) const DOC_KEYS: [&str; 4] = ["description", "example", "title", "externalDocs"];

/// A schema with its documentation removed and its keys sorted, for structural comparison.
pub(crate) fn canonical(schema: &Value) -> String {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(obj) => {
                let mut keys: Vec<_> = obj
                    .iter()
                    .filter(|(k, _)| !DOC_KEYS.contains(&k.as_str()) && !k.starts_with("x-"))
                    .collect();
                keys.sort_by(|a, b| a.0.cmp(b.0));
                let mut out = serde_json::Map::new();
                for (k, v) in keys {
                    let v = match (k.as_str(), v) {
                        // Property names are data, not keywords: keep every name.
                        ("properties", Value::Object(props)) => {
                            let mut names: Vec<_> = props.iter().collect();
                            names.sort_by(|a, b| a.0.cmp(b.0));
                            Value::Object(
                                names
                                    .into_iter()
                                    .map(|(n, s)| (n.clone(), strip(s)))
                                    .collect(),
                            )
                        }
                        _ => strip(v),
                    };
                    out.insert(k.clone(), v);
                }
                Value::Object(out)
            }
            Value::Array(list) => Value::Array(list.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(schema).to_string()
}

/// A reference to `name` that keeps the use site's nullability.
pub(crate) fn reference(name: &str, nullable: bool) -> Value {
    let r = serde_json::json!({ "$ref": crate::spec::schema_ref(name) });
    if nullable {
        serde_json::json!({ "nullable": true, "allOf": [r] })
    } else {
        r
    }
}
