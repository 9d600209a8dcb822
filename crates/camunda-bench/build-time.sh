#!/usr/bin/env bash
# Cold debug build time of the same one-call application on camunda-sdk and on the official
# `camunda-orchestration-sdk` 10.0.0 from the registry, one after the other in one run.
#
# Each app reads its client from the environment and asks for the topology once. Both build
# with plain `cargo build` (debug, the dev profile a user gets) into their own fresh target
# directory, with every crate downloaded beforehand (untimed), no compiler cache (RUSTC_WRAPPER
# cleared), and `--timings`. Prints per app the wall time, the peak RSS of the largest process
# (`/usr/bin/time`, where present) and the five slowest build units, then the ratio:
#
#   build.cold_debug.camunda-sdk: <s> s, peak RSS <MB> MB
#   build.cold_debug.official: <s> s, peak RSS <MB> MB
#   build.cold_debug.ratio: <ours / official>
#
# Usage: crates/camunda-bench/build-time.sh   (takes a few minutes on 2 cores)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RUSTC_WRAPPER=""
unset CARGO_TARGET_DIR

# make_app DIR DEPENDENCY-LINE CLIENT-EXPR TOPOLOGY-CALL
make_app() {
    mkdir -p "$1/src"
    cat >"$1/Cargo.toml" <<TOML
[package]
name = "tiny-camunda-app"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
$2
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

# Not part of any enclosing workspace.
[workspace]
TOML
    cat >"$1/src/main.rs" <<RS
#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = $3;
    let topology = client.$4().await?;
    println!("gateway {}", topology.gateway_version);
    Ok(())
}
RS
}

make_app "$tmp/ours" "camunda-sdk = { path = \"$repo/crates/camunda-sdk\" }" \
    "camunda_sdk::CamundaClient::from_env()?" get_topology
# The workspace's lock, so that dependency versions match the ones this repository tests.
cp "$repo/Cargo.lock" "$tmp/ours/Cargo.lock"
make_app "$tmp/official" 'camunda-orchestration-sdk = "=10.0.0"' \
    "camunda_orchestration_sdk::CamundaClient::from_env()?" topology

for app in ours official; do
    cargo fetch --quiet --manifest-path "$tmp/$app/Cargo.toml"
done

# The five slowest units of a `--timings` report, from the data it embeds.
slowest() {
    python3 - "$1" <<'PY' || echo "  (could not read the timings report)"
import json, re, sys
html = open(sys.argv[1]).read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
units = sorted(json.loads(m.group(1)), key=lambda u: -u["duration"])
for u in units[:5]:
    print(f"  {u['duration']:6.1f} s  {u['name']} {u['version']} {u.get('target', '').strip()}")
PY
}

declare -A secs
echo "cores: $(nproc), load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for app in ours official; do
    name=$([ "$app" = ours ] && echo camunda-sdk || echo official)
    export CARGO_TARGET_DIR="$tmp/$app/target"
    timer=()
    [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$tmp/$app.rss")
    start=$(date +%s.%N)
    "${timer[@]}" cargo build --offline --quiet --timings --manifest-path "$tmp/$app/Cargo.toml" \
        2>"$tmp/$app.log" || { cat "$tmp/$app.log"; exit 1; }
    end=$(date +%s.%N)
    secs[$app]=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
    rss=$([ -f "$tmp/$app.rss" ] && awk '{ printf "%d", $1 / 1024 }' "$tmp/$app.rss" || echo "?")
    echo "build.cold_debug.$name: ${secs[$app]} s, peak RSS $rss MB"
    slowest "$(ls "$tmp/$app/target/cargo-timings/cargo-timing-"*.html | head -1)"
done
unset CARGO_TARGET_DIR
awk -v a="${secs[ours]}" -v b="${secs[official]}" \
    'BEGIN { printf "build.cold_debug.ratio: %.2f (camunda-sdk / official)\n", a / b }'
