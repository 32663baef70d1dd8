#!/usr/bin/env bash
# Build benchmarks, in a separate target directory so nobody else's build is
# disturbed: a clean debug build of the workspace, a rebuild with no change
# (build.rs must not run), a rebuild after touching openapi.yaml (build.rs must
# run), then codegen time alone and its growth with 10x/100x the operations.
# Usage: scripts/bench-build.sh [--quick]
#   BENCH_TARGET=/tmp/bench-target  NOOP_REPS=7  TOUCH_REPS=3  SKIP_CLEAN=1 (reuse the target dir)
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; fi
export CARGO_TARGET_DIR=${BENCH_TARGET:-/tmp/bench-target}
export CARGO_TERM_COLOR=never
NOOP_REPS=${NOOP_REPS:-7}
TOUCH_REPS=${TOUCH_REPS:-3}
if [ "$QUICK" = 1 ]; then NOOP_REPS=3; TOUCH_REPS=1; fi
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) printf "%.3f\n", a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { sort -g | awk 'NR==1 {min=$1} {max=$1} END {printf "%.3f..%.3f", min, max}'; }

echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "==> $(cargo --version), target dir $CARGO_TARGET_DIR"

BUILD=(cargo build --workspace)
if [ "${SKIP_CLEAN:-0}" != 1 ] && [ "$QUICK" = 0 ]; then
  rm -rf "$CARGO_TARGET_DIR"
  echo "==> clean build: ${BUILD[*]} (dependencies already downloaded)"
  t0=$(now)
  if ! "${BUILD[@]}" >"$LOG" 2>&1; then
    tail -5 "$LOG"
    BUILD=(cargo build --workspace --exclude unleashx-cli)
    echo "!!  the whole workspace does not build (see above); measuring ${BUILD[*]} instead"
    rm -rf "$CARGO_TARGET_DIR"
    t0=$(now)
    "${BUILD[@]}" >"$LOG" 2>&1 || { tail -20 "$LOG"; exit 1; }
  fi
  t1=$(now)
  echo "clean build: $(echo "$t1 - $t0" | bc | awk '{printf "%.1f", $1}') s ($(grep -c '^ *Compiling' "$LOG") crates compiled)"
else
  "${BUILD[@]}" >"$LOG" 2>&1 || { BUILD=(cargo build --workspace --exclude unleashx-cli); "${BUILD[@]}" >"$LOG" 2>&1; }
fi

echo "==> rebuild with no change, $NOOP_REPS times: ${BUILD[*]}"
times=()
for _ in $(seq 1 "$NOOP_REPS"); do
  t0=$(now); "${BUILD[@]}" >/dev/null 2>&1; t1=$(now)
  times+=("$(echo "$t1 - $t0" | bc)")
done
echo "no-change rebuild: median $(printf '%s\n' "${times[@]}" | median) s, range $(printf '%s\n' "${times[@]}" | minmax) s"
"${BUILD[@]}" -v >"$LOG" 2>&1
if grep -q 'Fresh unleashx-api ' "$LOG" && ! grep -q 'unleashx-api-[0-9a-f]*/build-script-build`' "$LOG"; then
  echo "no-change rebuild: unleashx-api is Fresh, its build script did not run: OK"
else
  echo "no-change rebuild: unleashx-api was NOT fresh:"; grep -i 'unleashx-api' "$LOG" | head
fi

echo "==> rebuild after touching openapi.yaml, $TOUCH_REPS times (its mtime is restored afterwards)"
ORIG_MTIME=$(stat -c %Y openapi.yaml)
ORIG_SUM=$(sha256sum openapi.yaml | cut -d' ' -f1)
restore_mtime() {
  if [ "$(sha256sum openapi.yaml | cut -d' ' -f1)" = "$ORIG_SUM" ]; then touch -d "@$ORIG_MTIME" openapi.yaml; fi
  rm -f "$LOG"
}
trap restore_mtime EXIT
times=()
ran=0
for _ in $(seq 1 "$TOUCH_REPS"); do
  touch openapi.yaml
  t0=$(now); "${BUILD[@]}" -v >"$LOG" 2>&1; t1=$(now)
  times+=("$(echo "$t1 - $t0" | bc)")
  if grep -q 'unleashx-api-[0-9a-f]*/build-script-build`' "$LOG"; then ran=$((ran + 1)); fi
done
echo "touched-spec rebuild: median $(printf '%s\n' "${times[@]}" | median) s, range $(printf '%s\n' "${times[@]}" | minmax) s; build script ran in $ran of $TOUCH_REPS; recompiled: $(grep '^ *Compiling' "$LOG" | awk '{print $2}' | xargs)"
restore_mtime
trap 'rm -f "$LOG"' EXIT
"${BUILD[@]}" >/dev/null 2>&1 || true

echo "==> codegen time alone (Spec::parse + generate_client + generate_httpmock), and growth with the spec"
# build.rs and its dependencies run unoptimized (cargo's build-override
# default is opt-level 0, in release too), so the dev profile is what a build sees.
if [ "$QUICK" = 1 ]; then
  cargo run -q -p unleashx-bench --bin codegen_time -- --quick
else
  echo "--- dev profile (unoptimized, as build.rs runs it)"
  cargo run -q -p unleashx-bench --bin codegen_time -- --scales 1,10
  cargo run -q -p unleashx-bench --bin codegen_time -- --scales 100 --runs 1
  echo "--- release profile"
  cargo run -q --release -p unleashx-bench --bin codegen_time -- --scales 1,10,100
fi
