#!/usr/bin/env bash
# Cold debug build time of the same one-call application on camunda-sdk and on the official
# `camunda-orchestration-sdk` 10.0.0 from the registry, built alternately in one run.
#
# Each app reads its client from the environment and asks for the topology once. Both build
# with plain `cargo build` (debug, the dev profile a user gets) into a fresh target directory
# per build, with every crate downloaded beforehand (untimed), no compiler cache (RUSTC_WRAPPER
# cleared), and `--timings`. Incremental compilation is off (`CARGO_INCREMENTAL=0`): cargo
# compiles registry crates without it, but camunda-sdk comes in here as a path dependency, which
# cargo would compile incrementally (about 5 s more on its two crates' critical path) — a cost a
# user of the published crate never pays. The official's crates come from the registry either
# way. The apps build `ROUNDS` times each (default 2), alternating, because this shared machine's
# speed drifts within minutes. Prints per build the wall time, the peak RSS of the largest process
# (`/usr/bin/time`, where present) and, for the first round, the five slowest build units; then
# each round's ratio and the ratio of the medians:
#
#   build.cold_debug.camunda-sdk: <s> s, peak RSS <MB> MB   (round 1)
#   build.cold_debug.official: <s> s, peak RSS <MB> MB      (round 1)
#   ...
#   build.cold_debug.ratio: <median ours / median official>
#
# Usage: [ROUNDS=n] crates/camunda-bench/build-time.sh   (about 2.5 minutes per round on 2 cores)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RUSTC_WRAPPER="" CARGO_INCREMENTAL=0
rounds=${ROUNDS:-2}
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
echo "cores: $(nproc), load average at start: $(cut -d' ' -f1-3 /proc/loadavg), rounds: $rounds"
for round in $(seq "$rounds"); do
    for app in ours official; do
        name=$([ "$app" = ours ] && echo camunda-sdk || echo official)
        export CARGO_TARGET_DIR="$tmp/$app/target"
        rm -rf "$CARGO_TARGET_DIR"
        timer=()
        [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$tmp/$app.rss")
        start=$(date +%s.%N)
        "${timer[@]}" cargo build --offline --quiet --timings --manifest-path "$tmp/$app/Cargo.toml" \
            2>"$tmp/$app.log" || { cat "$tmp/$app.log"; exit 1; }
        end=$(date +%s.%N)
        secs[$app.$round]=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
        rss=$([ -f "$tmp/$app.rss" ] && awk '{ printf "%d", $1 / 1024 }' "$tmp/$app.rss" || echo "?")
        echo "build.cold_debug.$name: ${secs[$app.$round]} s, peak RSS $rss MB (round $round)"
        [ "$round" = 1 ] && slowest "$(ls "$tmp/$app/target/cargo-timings/cargo-timing-"*.html | head -1)"
    done
    awk -v a="${secs[ours.$round]}" -v b="${secs[official.$round]}" -v r="$round" \
        'BEGIN { printf "build.cold_debug.ratio.round%d: %.2f\n", r, a / b }'
done
unset CARGO_TARGET_DIR
median() { tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ours=$(for r in $(seq "$rounds"); do echo "${secs[ours.$r]}"; done | median)
official=$(for r in $(seq "$rounds"); do echo "${secs[official.$r]}"; done | median)
echo "build.cold_debug.median: camunda-sdk $ours s, official $official s"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v a="$ours" -v b="$official" \
    'BEGIN { printf "build.cold_debug.ratio: %.2f (camunda-sdk / official, medians)\n", a / b }'
