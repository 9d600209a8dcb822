//! The gate's settings: profiles, knobs, and their environment variables.

use crate::{Error, Result};
use std::time::Duration;

/// A named set of gate settings (`CAMUNDA_SDK_BACKPRESSURE_PROFILE`).
///
/// | profile | initial max | floor | soft cut | severe cut (after) | step | waiters | opens after |
/// |---|---|---|---|---|---|---|---|
/// | `BALANCED` (default) | 64 | 1 | to 80 % | to 50 % (3 in a row) | 1 | 1,000 | 30 s quiet |
/// | `CONSERVATIVE` | 16 | 1 | to 70 % | to 50 % (2 in a row) | 1 | 250 | 60 s quiet |
/// | `AGGRESSIVE` | 256 | 4 | to 90 % | to 70 % (5 in a row) | 4 | 10,000 | 10 s quiet |
/// | `LEGACY` (or `OFF`) | — | — | — | — | — | — | never gates |
///
/// `LEGACY` only observes: it counts requests in flight and backpressure signals but never
/// limits or queues anything (requests are still retried by the [`crate::RetryPolicy`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackpressureProfile {
    /// The default: follows the cluster closely, recovers within seconds.
    #[default]
    Balanced,
    /// Starts low and backs off harder: for clusters shared with more important clients.
    Conservative,
    /// Backs off gently and recovers fast: for a cluster this client has mostly to itself.
    Aggressive,
    /// No gate: every request is sent at once (the behaviour before the gate existed).
    Legacy,
}

impl BackpressureProfile {
    /// The name as in `CAMUNDA_SDK_BACKPRESSURE_PROFILE`.
    pub fn name(self) -> &'static str {
        match self {
            BackpressureProfile::Balanced => "BALANCED",
            BackpressureProfile::Conservative => "CONSERVATIVE",
            BackpressureProfile::Aggressive => "AGGRESSIVE",
            BackpressureProfile::Legacy => "LEGACY",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        Some(match value.to_ascii_uppercase().as_str() {
            "BALANCED" => BackpressureProfile::Balanced,
            "CONSERVATIVE" => BackpressureProfile::Conservative,
            "AGGRESSIVE" => BackpressureProfile::Aggressive,
            "LEGACY" | "OFF" => BackpressureProfile::Legacy,
            _ => return None,
        })
    }
}

/// The gate's settings: a [profile](BackpressureProfile) and any knobs changed from it.
///
/// ```
/// use camunda_sdk::gate::{BackpressureConfig, BackpressureProfile};
///
/// let gate = BackpressureConfig::profile(BackpressureProfile::Conservative).floor(2);
/// let config = camunda_sdk::Config::builder().backpressure(gate).build()?;
/// assert_eq!(config.backpressure().initial_max, 16);
/// assert_eq!(config.backpressure().floor, 2);
/// # Ok::<_, camunda_sdk::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackpressureConfig {
    /// The profile the other values started from.
    pub profile: BackpressureProfile,
    /// The limit the first backpressure signal starts cutting from. At least 1.
    pub initial_max: u32,
    /// The lowest limit. At least 1, at most `initial_max`.
    pub floor: u32,
    /// A cut keeps this percentage of the limit (1-99).
    pub soft_factor: u32,
    /// A cut keeps this percentage once `severe_threshold` cuts came in a row (1-99).
    pub severe_factor: u32,
    /// How many cuts in a row, with no success in between, make the next one severe. At least 1.
    pub severe_threshold: u32,
    /// How much the limit grows per limit's worth of successes. At least 1.
    pub recovery_step: u32,
    /// How many callers may wait for a permit; more get [`Error::Throttled`] at once.
    pub max_waiters: u32,
    /// With no backpressure signal for this long the gate opens fully. Not zero.
    pub unlimited_after_healthy: Duration,
}

impl Default for BackpressureConfig {
    fn default() -> Self {
        Self::profile(BackpressureProfile::Balanced)
    }
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident: $ty:ty),* $(,)?) => {
        $( $(#[$doc])* pub fn $name(mut self, value: $ty) -> Self {
            self.$name = value;
            self
        } )*
    };
}

impl BackpressureConfig {
    /// The numbers of `profile` (see [`BackpressureProfile`]).
    pub fn profile(profile: BackpressureProfile) -> Self {
        let (initial_max, floor, soft, severe, threshold, step, waiters, open_s) = match profile {
            BackpressureProfile::Balanced | BackpressureProfile::Legacy => {
                (64, 1, 80, 50, 3, 1, 1_000, 30)
            }
            BackpressureProfile::Conservative => (16, 1, 70, 50, 2, 1, 250, 60),
            BackpressureProfile::Aggressive => (256, 4, 90, 70, 5, 4, 10_000, 10),
        };
        BackpressureConfig {
            profile,
            initial_max,
            floor,
            soft_factor: soft,
            severe_factor: severe,
            severe_threshold: threshold,
            recovery_step: step,
            max_waiters: waiters,
            unlimited_after_healthy: Duration::from_secs(open_s),
        }
    }

    setters! {
        /// Sets [`initial_max`](field@Self::initial_max).
        initial_max: u32,
        /// Sets [`floor`](field@Self::floor).
        floor: u32,
        /// Sets [`soft_factor`](field@Self::soft_factor) (a percentage).
        soft_factor: u32,
        /// Sets [`severe_factor`](field@Self::severe_factor) (a percentage).
        severe_factor: u32,
        /// Sets [`severe_threshold`](field@Self::severe_threshold).
        severe_threshold: u32,
        /// Sets [`recovery_step`](field@Self::recovery_step).
        recovery_step: u32,
        /// Sets [`max_waiters`](field@Self::max_waiters).
        max_waiters: u32,
        /// Sets [`unlimited_after_healthy`](field@Self::unlimited_after_healthy).
        unlimited_after_healthy: Duration,
    }

    /// Whether requests are gated at all (every profile but `LEGACY`).
    pub fn enabled(&self) -> bool {
        self.profile != BackpressureProfile::Legacy
    }

    /// Checks the values; `env` picks whether errors name the environment variable or the
    /// builder field.
    pub(crate) fn validate(&self, env: bool) -> Result<()> {
        let name = |knob: &str| {
            if env {
                let unit = if knob == "unlimited_after_healthy" {
                    "_MS"
                } else {
                    ""
                };
                format!(
                    "CAMUNDA_SDK_BACKPRESSURE_{}{unit}",
                    knob.to_ascii_uppercase()
                )
            } else {
                format!("backpressure.{knob}")
            }
        };
        let bad = |knob: &str, what: &str| Err(Error::config(name(knob), what));
        if self.initial_max == 0 {
            return bad("initial_max", "expected at least 1 request");
        }
        if self.floor == 0 || self.floor > self.initial_max {
            return bad("floor", "expected at least 1 and at most the initial max");
        }
        for (knob, pct) in [
            ("soft_factor", self.soft_factor),
            ("severe_factor", self.severe_factor),
        ] {
            if !(1..=99).contains(&pct) {
                return bad(
                    knob,
                    "expected the percentage of the limit a cut keeps, 1 to 99",
                );
            }
        }
        if self.severe_threshold == 0 {
            return bad("severe_threshold", "expected at least 1");
        }
        if self.recovery_step == 0 {
            return bad("recovery_step", "expected at least 1");
        }
        if self.unlimited_after_healthy.is_zero() {
            return bad("unlimited_after_healthy", "expected a positive duration");
        }
        Ok(())
    }
}

/// The environment variables of the gate, read by [`crate::Config::from_env`].
pub(crate) const ENV_KNOBS: [&str; 9] = [
    "CAMUNDA_SDK_BACKPRESSURE_PROFILE",
    "CAMUNDA_SDK_BACKPRESSURE_INITIAL_MAX",
    "CAMUNDA_SDK_BACKPRESSURE_FLOOR",
    "CAMUNDA_SDK_BACKPRESSURE_SOFT_FACTOR",
    "CAMUNDA_SDK_BACKPRESSURE_SEVERE_FACTOR",
    "CAMUNDA_SDK_BACKPRESSURE_SEVERE_THRESHOLD",
    "CAMUNDA_SDK_BACKPRESSURE_RECOVERY_STEP",
    "CAMUNDA_SDK_BACKPRESSURE_MAX_WAITERS",
    "CAMUNDA_SDK_BACKPRESSURE_UNLIMITED_AFTER_HEALTHY_MS",
];

/// The settings from the variables that were set (`(name, value)`): the profile's numbers, then
/// each knob that is set.
pub(crate) fn from_env(vars: &[(&'static str, String)]) -> Result<BackpressureConfig> {
    let get = |name: &str| vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    let profile = match get(ENV_KNOBS[0]) {
        None => BackpressureProfile::Balanced,
        Some(v) => BackpressureProfile::parse(v).ok_or_else(|| {
            Error::config(
                ENV_KNOBS[0],
                format!("expected BALANCED, CONSERVATIVE, AGGRESSIVE or LEGACY, got `{v}`"),
            )
        })?,
    };
    let mut c = BackpressureConfig::profile(profile);
    let fields: [&mut u32; 7] = [
        &mut c.initial_max,
        &mut c.floor,
        &mut c.soft_factor,
        &mut c.severe_factor,
        &mut c.severe_threshold,
        &mut c.recovery_step,
        &mut c.max_waiters,
    ];
    for (name, field) in ENV_KNOBS[1..8].iter().zip(fields) {
        if let Some(v) = get(name) {
            *field = v
                .parse()
                .map_err(|_| Error::config(*name, format!("expected a whole number, got `{v}`")))?;
        }
    }
    if let Some(v) = get(ENV_KNOBS[8]) {
        c.unlimited_after_healthy = v.parse().map(Duration::from_millis).map_err(|_| {
            Error::config(
                ENV_KNOBS[8],
                format!("expected a whole number of milliseconds, got `{v}`"),
            )
        })?;
    }
    c.validate(true)?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_knobs_override_the_profile_and_bad_values_name_the_variable() {
        let vars = |v: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            v.iter().map(|(n, v)| (*n, v.to_string())).collect()
        };
        let c = from_env(&vars(&[
            ("CAMUNDA_SDK_BACKPRESSURE_PROFILE", "aggressive"),
            ("CAMUNDA_SDK_BACKPRESSURE_FLOOR", "8"),
            (
                "CAMUNDA_SDK_BACKPRESSURE_UNLIMITED_AFTER_HEALTHY_MS",
                "1500",
            ),
        ]))
        .unwrap();
        assert_eq!(c.profile, BackpressureProfile::Aggressive);
        assert_eq!((c.initial_max, c.floor), (256, 8));
        assert_eq!(c.unlimited_after_healthy, Duration::from_millis(1500));
        for (var, value) in [
            ("CAMUNDA_SDK_BACKPRESSURE_PROFILE", "FAST"),
            ("CAMUNDA_SDK_BACKPRESSURE_SOFT_FACTOR", "0.7"),
            ("CAMUNDA_SDK_BACKPRESSURE_SOFT_FACTOR", "100"),
            ("CAMUNDA_SDK_BACKPRESSURE_FLOOR", "0"),
        ] {
            match from_env(&vars(&[(var, value)])) {
                Err(Error::Config { variable, .. }) => assert_eq!(variable, var),
                other => panic!("{var}={value}: {other:?}"),
            }
        }
    }
}
