#!/usr/bin/env bash
# Cold debug build time of a tiny application that depends on camunda-sdk.
#
# Creates the app in a temporary directory (path dependency on this checkout, the workspace's
# Cargo.lock so dependency versions match), builds it with `cargo build` (debug, the default dev
# profile a user gets) into a fresh target directory, and prints one line:
#
#   build.cold_debug: <seconds> s (<cores> cores, load average <1 5 15> at start)
#
# Dependencies come from the local cargo registry cache (offline when possible); no compiler
# cache is used (RUSTC_WRAPPER is cleared). Usage: crates/camunda-bench/build-time.sh
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/app/src"
cat >"$tmp/app/Cargo.toml" <<TOML
[package]
name = "tiny-camunda-app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
camunda-sdk = { path = "$repo/crates/camunda-sdk" }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

# Not part of any enclosing workspace.
[workspace]
TOML
cat >"$tmp/app/src/main.rs" <<'RS'
use camunda_sdk::CamundaClient;

#[tokio::main]
async fn main() -> camunda_sdk::Result<()> {
    let client = CamundaClient::from_env()?;
    let topology = client.get_topology().await?;
    println!("{} brokers", topology.brokers.len());
    Ok(())
}
RS
cp "$repo/Cargo.lock" "$tmp/app/Cargo.lock"

export CARGO_TARGET_DIR="$tmp/target"
export RUSTC_WRAPPER=""
cores=$(nproc)
load=$(cut -d' ' -f1-3 /proc/loadavg)
offline=--offline
cargo fetch --offline --manifest-path "$tmp/app/Cargo.toml" >/dev/null 2>&1 || offline=
start=$(date +%s.%N)
cargo build $offline --quiet --manifest-path "$tmp/app/Cargo.toml"
end=$(date +%s.%N)
secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
echo "build.cold_debug: $secs s ($cores cores, load average $load at start)"
