//! Client configuration (filled in by the config work).

/// Client configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {}
