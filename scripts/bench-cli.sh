#!/usr/bin/env bash
# CLI cold start and size beside a bare reqwest hello-world
# (crates/unleashx-bench/src/bin/hello_reqwest.rs), both from the workspace
# release profile, measured in the same run.
# Needs hyperfine (apt-get install -y hyperfine); falls back to a timed loop.
# Usage: scripts/bench-cli.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-300}
if [ "${1:-}" = "--quick" ]; then RUNS=20; fi
TARGET=${CARGO_TARGET_DIR:-target}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "==> cargo build --release -p unleashx-bench --bin hello_reqwest"
cargo build --release -q -p unleashx-bench --bin hello_reqwest
cp "$TARGET/release/hello_reqwest" "$WORK/hello_reqwest"

echo "==> cargo build --release -p unleashx-cli --bin unleashx"
if ! cargo build --release -q -p unleashx-cli --bin unleashx 2>"$WORK/cli.err"; then
  tail -5 "$WORK/cli.err"
  echo "!!  the CLI does not build yet; only the baseline is measured."
  echo "    Reproduce later with: scripts/bench-cli.sh"
  CLI=
else
  cp "$TARGET/release/unleashx" "$WORK/unleashx"
  CLI=$WORK/unleashx
fi

size() { stat -c %s "$1"; }
echo
echo "| binary | size (release) | size (stripped copy) |"
echo "|---|---|---|"
for bin in ${CLI:+"$CLI"} "$WORK/hello_reqwest"; do
  cp "$bin" "$bin.stripped"
  strip "$bin.stripped"
  printf '| %s | %.2f MiB | %.2f MiB |\n' "$(basename "$bin")" "$(echo "$(size "$bin") / 1048576" | bc -l)" "$(echo "$(size "$bin.stripped") / 1048576" | bc -l)"
done
if [ -n "$CLI" ]; then
  echo "stripped size ratio unleashx/hello_reqwest: $(echo "scale=2; $(size "$CLI.stripped") / $(size "$WORK/hello_reqwest.stripped")" | bc)"
fi

echo
echo "==> cold start ($RUNS runs each, interleaved by hyperfine's order, no shell)"
if command -v hyperfine >/dev/null; then
  cmds=()
  if [ -n "$CLI" ]; then cmds+=("$CLI.stripped --help"); fi
  cmds+=("$WORK/hello_reqwest.stripped")
  hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$WORK/h.json" "${cmds[@]}" >"$WORK/h.txt" 2>&1 || { cat "$WORK/h.txt"; exit 1; }
  grep -v '^ *$' "$WORK/h.txt" | sed -n '1,40p'
  echo
  echo "| command | median ms | mean ± stddev ms | min..max ms |"
  echo "|---|---|---|---|"
  jq -r '.results[] | "| \(.command | sub(".*/"; "")) | \(.median*1000*100|round/100) | \(.mean*1000*100|round/100) ± \(.stddev*1000*100|round/100) | \(.min*1000*100|round/100)..\(.max*1000*100|round/100) |"' "$WORK/h.json"
  if [ -n "$CLI" ]; then
    jq -r '"median ratio unleashx --help / hello_reqwest: \((.results[0].median / .results[1].median)*100|round/100)"' "$WORK/h.json"
  fi
else
  for bin in ${CLI:+"$CLI.stripped --help"} "$WORK/hello_reqwest.stripped"; do
    t0=$(date +%s%N)
    for _ in $(seq 1 "$RUNS"); do $bin >/dev/null; done
    t1=$(date +%s%N)
    echo "$bin: $(echo "scale=3; ($t1 - $t0) / $RUNS / 1000000" | bc) ms mean"
  done
fi
