//! Workspace-level tests live in `tests/`.
//!
//! The README's Rust snippets are compiled here as doctests, so a snippet that stops compiling
//! fails `cargo test`.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[cfg(test)]
mod readme {
    /// Every variable `Config::from_env` reads has a row in the README's configuration table.
    #[test]
    fn the_configuration_table_lists_every_variable() {
        let readme = include_str!("../../README.md");
        for (name, default, _) in camunda_sdk::config::ENV_VARS {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{name}` |")))
                .unwrap_or_else(|| panic!("README: no row for {name}"));
            if !default.is_empty() {
                assert!(
                    row.contains(&format!("`{default}`")),
                    "README: {name} default: {row}"
                );
            }
        }
    }
}
