//! Repository automation for camunda-rs, as a library so that tests can run codegen in-process.

pub mod builders;
pub mod codegen;
pub mod conditions;
pub mod demo;
pub mod demo_spec;
pub mod derives;
pub mod examples;
pub mod facade;
pub mod fetch;
pub mod inventory;
pub mod mock;
pub mod mocks;
pub mod model;
pub mod normalize;
pub mod op_examples;
pub mod paging;
pub mod spec;
pub mod test;

use std::path::PathBuf;

/// The oldest server version the SDK supports. Response properties the spec says were added
/// later are optional in the generated models (normalisation pass
/// `optional_response_fields_older_servers_omit`), because servers of this version never send
/// them.
pub const OLDEST_SUPPORTED_SERVER: &str = "8.8";

/// The repository root (the parent of `xtask/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the root")
        .to_path_buf()
}

/// Takes the value that follows `flag` in `args`, if the flag is present.
pub fn flag_value(args: &[String], flag: &str) -> anyhow::Result<Option<String>> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .cloned()
            .map(Some)
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value")),
    }
}
