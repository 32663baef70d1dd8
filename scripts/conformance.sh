#!/usr/bin/env bash
# Sends every request example of openapi.yaml through `unleashx api` to Prism
# serving the spec, once in static mode (the spec's examples) and once with
# --dynamic (random responses drawn from the schemas, each request repeated),
# with Prism's --errors so a request that violates the spec gets an error
# status. Fails on an exit code other than 0, on output that is not JSON, or on
# any violation in Prism's log.
#
#   bash scripts/conformance.sh            # DYNAMIC_RUNS=10 by default
set -euo pipefail
cd "$(dirname "$0")/.."

DYNAMIC_RUNS="${DYNAMIC_RUNS:-10}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-60}"
PRISM=tools/node_modules/.bin/prism
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
CLI="$TARGET_DIR/debug/unleashx"

work="$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")"
# The CLI may store credentials: keep them in the scratch folder.
export XDG_CONFIG_HOME="$work/config"
prism_pid=""
cleanup() {
  if [ -n "$prism_pid" ] && kill -0 "$prism_pid" 2>/dev/null; then
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$PRISM" ]; then
  echo "==> installing Prism (npm ci in tools/)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "==> cargo build -p unleashx-cli"
cargo build -q -p unleashx-cli
[ -x "$CLI" ] || { echo "conformance: $CLI was not built" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start_prism() { # MODE [extra prism args]
  local mode="$1"; shift
  local port; port="$(free_port)"
  log="$work/prism-$mode.log"
  "$PRISM" mock openapi.yaml -h 127.0.0.1 -p "$port" --errors "$@" >"$log" 2>&1 &
  prism_pid=$!
  base="http://127.0.0.1:$port"
  local waited=0
  until grep -q "Prism is listening" "$log" 2>/dev/null; do
    if ! kill -0 "$prism_pid" 2>/dev/null; then
      echo "conformance: Prism ($mode) exited during startup:" >&2; cat "$log" >&2; exit 1
    fi
    if [ "$waited" -ge $((STARTUP_TIMEOUT * 10)) ]; then
      echo "conformance: Prism ($mode) did not listen within ${STARTUP_TIMEOUT}s:" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.1; waited=$((waited + 1))
  done
  echo "==> Prism ($mode) listening on $base"
}

stop_prism() {
  kill "$prism_pid" 2>/dev/null || true
  wait "$prism_pid" 2>/dev/null || true
  prism_pid=""
}

failures=0
passed=0
# check NAME ALLOWED_CODES(space-separated) -- ENV=... unleashx args...
check() {
  local name="$1" allowed="$2"; shift 3
  local out="$work/out" err="$work/err" code=0
  env "$@" >"$out" 2>"$err" </dev/null || code=$?
  local ok=1
  case " $allowed " in *" $code "*) ;; *) ok=0 ;; esac
  if [ "$ok" = 1 ] && [ "$code" = 0 ] && ! python3 -c 'import json,sys; json.load(sys.stdin)' <"$out" 2>/dev/null; then
    ok=0; echo "    stdout is not one JSON document"
  fi
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1))
  else
    failures=$((failures + 1))
    echo "  FAIL $name: exit $code (expected one of: $allowed)"
    sed 's/^/    stdout: /' "$out" | head -20
    sed 's/^/    stderr: /' "$err" | head -20
  fi
}

# What to run comes from the spec: `unleashx api --list` gives each operation
# and the variable its credential is read from; spec-facts gives every request
# example of openapi.yaml (operationId, example name, JSON body). Each example
# is sent with `unleashx api OPERATION --input FILE`, so a new operation is
# covered with no edit here; one without a request example fails the run.
mapfile -t REQUESTS < <(cargo run -q -p unleashx-bench --bin spec-facts -- requests openapi.yaml)
[ "${#REQUESTS[@]}" -gt 0 ] || { echo "conformance: spec-facts listed no request" >&2; exit 1; }
declare -A TOKEN_ENV=()
while IFS=$'\t' read -r id method path credential env_var; do
  TOKEN_ENV[$id]="$env_var"
done < <("$CLI" api --list --output text)
declare -A HAS_REQUEST=()
for line in "${REQUESTS[@]}"; do HAS_REQUEST[${line%%$'\t'*}]=1; done
for id in "${!TOKEN_ENV[@]}"; do
  [ -n "${HAS_REQUEST[$id]:-}" ] \
    || { echo "conformance: $id has no request example in openapi.yaml; add one" >&2; exit 1; }
done

run_all() {
  local cli=("$CLI" --base-url "$base" --output json)
  local line id name body env_var token input
  for line in "${REQUESTS[@]}"; do
    IFS=$'\t' read -r id name body <<<"$line"
    env_var="${TOKEN_ENV[$id]:-}"
    [ -n "$env_var" ] || { failures=$((failures + 1)); echo "  FAIL $id: not in \`unleashx api --list\`"; continue; }
    token=()
    [ "$env_var" = "-" ] || token=("$env_var=x")
    input=()
    if [ "$name" != "-" ]; then
      printf '%s' "$body" >"$work/body.json"
      input=(--input "$work/body.json")
    fi
    check "api $id ($name)" "0" -- "${token[@]}" "${cli[@]}" api "$id" "${input[@]}"
  done
}

check_log() {
  local mode="$1"
  if grep -Eiq 'violation|did not pass the validation rules' "$log"; then
    failures=$((failures + 1))
    echo "  FAIL Prism ($mode) reported violations:"
    grep -Ei 'violation|did not pass the validation rules' "$log" | sed 's/^/    /' | head -40
  fi
}

start_prism static
run_all
check_log static
stop_prism

start_prism dynamic --dynamic
for _ in $(seq 1 "$DYNAMIC_RUNS"); do
  run_all
done
check_log dynamic
stop_prism

echo "==> conformance: $passed passed, $failures failed"
[ "$failures" -eq 0 ]
