#!/usr/bin/env bash
# Simulator throughput beside Prism, same machine, same run, loopback only.
# Starts the release simulator and `prism mock openapi.yaml` on 127.0.0.1,
# loads get-token and the customer-token mint with wrk for DURATION seconds
# each (ROUNDS rounds, the servers alternating), stops both, prints a table.
# Needs: wrk (apt-get install -y wrk), curl, jq, tools/node_modules (npm ci).
# Usage: scripts/bench-sim.sh [--quick]   (DURATION=10 ROUNDS=2 CONNS=32 THREADS=1)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
if [ "${1:-}" = "--quick" ]; then DURATION=2; ROUNDS=1; fi

for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench-sim: $tool is missing (apt-get install -y $tool)" >&2; exit 1; }
done
PRISM=tools/node_modules/.bin/prism
if [ ! -x "$PRISM" ]; then
  echo "==> installing Prism (npm ci in tools/)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "==> cargo build --release -p unleashx-mock"
cargo build --release -q -p unleashx-mock
MOCK=${CARGO_TARGET_DIR:-target}/release/unleashx-mock

# Paths and the credential header come from the spec (spec-facts).
FACTS=$(cargo run -q -p unleashx-bench --bin spec-facts -- operations openapi.yaml)
path_of() { awk -F'\t' -v id="$1" '$1 == id {print $3}' <<<"$FACTS"; }
LOGIN_PATH=$(path_of login)
GENERATE_PATH=$(path_of generate_token)
GET_PATH=$(path_of get_token)
MINT_PATH=$(path_of get_token_by_customer_id)
HEADER=$(cargo run -q -p unleashx-bench --bin spec-facts -- token-header openapi.yaml)
for v in LOGIN_PATH GENERATE_PATH GET_PATH MINT_PATH HEADER; do
  [ -n "${!v}" ] || { echo "bench-sim: spec-facts gave no $v" >&2; exit 1; }
done

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# A seeded API token for the demo account (the mint needs one).
SEEDED=359b83f43a5f5702cfbdedad269bd4f1d726fc576c48cdc65b594ce57896f0f9
cat >"$WORK/fixtures.json" <<EOF
{"accounts":[{"email":"demo@unleashx.test","otp":"123456","workspace_name":"Demo Workspace",
  "customer_salt":"048372910564","api_tokens":[{"token":"$SEEDED","name":"bench","expires_at":null}]}]}
EOF

"$MOCK" --addr 127.0.0.1:0 --fixtures "$WORK/fixtures.json" >"$WORK/mock.out" 2>"$WORK/mock.err" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/mock.out" ] && break; sleep 0.1; done
SIM=$(jq -r .base_url "$WORK/mock.out")
case "$SIM" in http://127.0.0.1:*) ;; *) echo "bench-sim: simulator did not start: $(cat "$WORK/mock.err")" >&2; exit 1;; esac

# Login token by the OTP flow, then generate-token so get-token has one to return.
curl -sf -X POST "$SIM$LOGIN_PATH" -H 'content-type: application/json' -d '{"username":"demo@unleashx.test"}' >/dev/null
LOGIN=$(curl -sf -X POST "$SIM$LOGIN_PATH" -H 'content-type: application/json' \
  -d '{"username":"demo@unleashx.test","otp":"123456"}' | jq -r .token)
API=$(curl -sf -X POST "$SIM$GENERATE_PATH" -H "$HEADER: $LOGIN" | jq -r .token)
[ -n "$API" ] && [ "$API" != null ] || { echo "bench-sim: generate-token failed" >&2; exit 1; }

PRISM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$PRISM" mock openapi.yaml -p "$PRISM_PORT" -h 127.0.0.1 >"$WORK/prism.log" 2>&1 &
PIDS+=($!)
PRISM_URL=http://127.0.0.1:$PRISM_PORT
for _ in $(seq 1 300); do
  curl -s -o /dev/null -H "$HEADER: $LOGIN" "$PRISM_URL$GET_PATH" && break
  sleep 0.2
done

cat >"$WORK/get.lua" <<EOF
wrk.method = "GET"
wrk.headers["$HEADER"] = "$LOGIN"
EOF
cat >"$WORK/mint.lua" <<EOF
wrk.method = "POST"
wrk.headers["$HEADER"] = "$API"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"customer_id":"048372910564"}'
EOF

echo "==> sanity: one call of each"
for url in "$SIM" "$PRISM_URL"; do
  echo "  $url get-token: $(curl -s -o /dev/null -w '%{http_code}' -H "$HEADER: $LOGIN" "$url$GET_PATH")," \
    "mint: $(curl -s -o /dev/null -w '%{http_code}' -X POST -H "$HEADER: $API" -H 'content-type: application/json' \
      -d '{"customer_id":"048372910564"}' "$url$MINT_PATH")"
done

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for op in get mint; do
    for server in simulator prism; do
      if [ "$server" = simulator ]; then base=$SIM; else base=$PRISM_URL; fi
      if [ "$op" = get ]; then path=$GET_PATH; else path=$MINT_PATH; fi
      echo "==> round $round: $server $op (wrk -t$THREADS -c$CONNS -d${DURATION}s)"
      timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/$op.lua" "$base$path" >"$WORK/wrk.out" 2>&1 || true
      rps=$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.out")
      p50=$(awk '$1=="50%" {print $2}' "$WORK/wrk.out")
      p99=$(awk '$1=="99%" {print $2}' "$WORK/wrk.out")
      bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WORK/wrk.out")
      errs=$(awk '/Socket errors:/ {print}' "$WORK/wrk.out")
      echo "    rps=$rps p50=$p50 p99=$p99 non2xx=${bad:-0} ${errs}"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$op" "${rps:-0}" "${p50:-0ms}" "${p99:-0ms}" "${bad:-0}" >>"$RESULTS"
    done
  done
done

python3 - "$RESULTS" <<'EOF'
import statistics, sys
def ms(v):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if v.endswith(unit):
            return float(v[: -len(unit)]) * f
    return float(v)
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print()
print("| operation | server | runs | requests/s median (min..max) | p50 ms | p99 ms (median) | non-2xx |")
print("|---|---|---|---|---|---|---|")
for op in ("get", "mint"):
    med = {}
    for server in ("simulator", "prism"):
        rs = [r for r in rows if r[0] == server and r[1] == op]
        if not rs: continue
        rps = [float(r[2]) for r in rs]
        med[server] = statistics.median(rps)
        print(f"| {'get-token' if op == 'get' else 'gettokenbycustomerid'} | {server} | {len(rs)} | {med[server]:.0f} ({min(rps):.0f}..{max(rps):.0f}) | {statistics.median([ms(r[3]) for r in rs]):.2f} | {statistics.median([ms(r[4]) for r in rs]):.2f} | {sum(int(r[5]) for r in rs)} |")
    if med.get("prism"):
        print(f"| {'get-token' if op == 'get' else 'gettokenbycustomerid'} | simulator/prism | | {med['simulator'] / med['prism']:.1f}x | | | |")
EOF
