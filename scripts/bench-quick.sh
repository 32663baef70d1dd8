#!/usr/bin/env bash
# CI check that the benchmarks still build and run (no figures worth keeping):
# the criterion bench once in test mode, the unit tests, and every load
# binary in its quick mode. Loopback only; every loop bounded.
# Usage: scripts/bench-quick.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> cargo test -p unleashx-bench --all-targets (criterion benches run once each)"
cargo test -p unleashx-bench --all-targets
run() { cargo run -q -p unleashx-bench --bin "$@"; }
echo "==> load seq --quick"
run load -- seq --quick --max-secs 30
echo "==> load conc --quick (64 and 256 in flight)"
for variant in raw unleashx; do
  run load -- conc --quick --variant "$variant" --inflight 64 --max-secs 30
  run load -- conc --quick --variant "$variant" --inflight 256 --max-secs 30
done
echo "==> allocs --quick"
run allocs -- --quick
echo "==> codegen_time --quick"
run codegen_time -- --quick
echo "bench-quick: all benchmark targets ran"
