#!/usr/bin/env bash
# Client benchmarks beyond criterion, against in-process loopback servers only:
#  1. per-call time, the three clients interleaved round by round (load seq);
#  2. concurrency: 64 and 256 calls in flight over one client, raw and unleashx
#     run as separate processes alternately (load conc), with throughput,
#     p50/p99, connections opened (counted by the server) and peak RSS.
# Usage: scripts/bench-load.sh [--quick]   (REPS=7 CALLS=20000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
if [ "${1:-}" = "--quick" ]; then QUICK=1; fi
REPS=${REPS:-7}
CALLS=${CALLS:-20000}
SEQ_ARGS=()
if [ "$QUICK" = 1 ]; then REPS=2; CALLS=500; SEQ_ARGS=(--quick); fi

echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "==> cargo build --release -p unleashx-bench --bin load"
cargo build --release -q -p unleashx-bench --bin load
LOAD=${CARGO_TARGET_DIR:-target}/release/load

echo "==> sequential per-call time, variants interleaved"
for server in fixed sim; do
  for op in verify mint; do
    timeout 300 "$LOAD" seq --server "$server" --op "$op" "${SEQ_ARGS[@]}"
    echo
  done
done

OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
echo "==> concurrency: $CALLS verify calls, fixed server, raw and unleashx alternating, $REPS runs each"
for inflight in 64 256; do
  for rep in $(seq 1 "$REPS"); do
    for variant in raw unleashx; do
      timeout 120 "$LOAD" conc --variant "$variant" --inflight "$inflight" --calls "$CALLS" --max-secs 60 | tee -a "$OUT"
    done
  done
done

python3 - "$OUT" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def med(xs): return statistics.median(xs)
print()
print("| in flight | variant | runs | rps median (min..max) | p50 ms | p99 ms | connections opened (max) | peak RSS MiB (median) |")
print("|---|---|---|---|---|---|---|---|")
ratios = {}
for k in sorted({r["inflight"] for r in rows}):
    for v in ("raw", "unleashx"):
        rs = [r for r in rows if r["inflight"] == k and r["variant"] == v]
        if not rs: continue
        rps = [r["rps"] for r in rs]
        print(f"| {k} | {v} | {len(rs)} | {med(rps):.0f} ({min(rps):.0f}..{max(rps):.0f}) | {med([r['p50_us'] for r in rs])/1000:.2f} | {med([r['p99_us'] for r in rs])/1000:.2f} | {max(r['connections'] for r in rs)} (after ramp-up: +{max(r['connections']-r['connections_after_warmup'] for r in rs)}) | {med([r['peak_rss_kib'] for r in rs])/1024:.1f} |")
    raw = [r for r in rows if r["inflight"] == k and r["variant"] == "raw"]
    ux = [r for r in rows if r["inflight"] == k and r["variant"] == "unleashx"]
    pairs = [u["rps"] / r["rps"] for r, u in zip(raw, ux)]
    if pairs:
        print(f"| {k} | unleashx/raw | {len(pairs)} pairs | ratio of medians {med([u['rps'] for u in ux]) / med([r['rps'] for r in raw]):.3f}; median of paired ratios {med(pairs):.3f} ({min(pairs):.3f}..{max(pairs):.3f}) | | | | RSS ratio {med([u['peak_rss_kib'] for u in ux]) / med([r['peak_rss_kib'] for r in raw]):.3f} |")
EOF
