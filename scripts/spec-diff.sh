#!/usr/bin/env bash
# Compares the public Rust API generated from openapi.yaml at a git revision
# (default HEAD) with the one generated from the working tree's openapi.yaml,
# and fails (exit 1) on a breaking change that is not acknowledged.
#
#   bash scripts/spec-diff.sh [BASE_REV] [spec-diff options]
#
# Acknowledge an intended breaking change with a line under `## [Unreleased]`
# in CHANGELOG.md that contains `BREAKING:` and names the subject the report
# prints (the type, e.g. `ApiTokenDetails`, or the operation for a Client
# method), or pass --allow-breaking for a one-off local run.
# Exit status: 0 no unacknowledged breaking change, 1 breaking, 2 usage or spec error.
set -euo pipefail
cd "$(dirname "$0")/.."

base="HEAD"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  base="$1"
  shift
fi

if ! git rev-parse --verify --quiet "${base}^{commit}" >/dev/null; then
  echo "spec-diff.sh: unknown git revision '${base}'" >&2
  exit 2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/spec-diff.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if ! git show "${base}:openapi.yaml" > "$tmp/openapi.yaml" 2>"$tmp/git.err"; then
  echo "spec-diff.sh: openapi.yaml does not exist at ${base}: $(cat "$tmp/git.err")" >&2
  exit 2
fi

changelog=()
if [ -f CHANGELOG.md ]; then
  changelog=(--changelog CHANGELOG.md)
fi

# `|| status=$?` keeps set -e from ending the script before the message.
status=0
cargo run -q -p unleashx-codegen --bin spec-diff -- \
  --old-label "openapi.yaml@${base}" --new-label "openapi.yaml (working tree)" \
  "${changelog[@]}" "$@" "$tmp/openapi.yaml" openapi.yaml || status=$?
case "$status" in
  0) ;;
  1) echo "spec-diff.sh: breaking change(s) to the generated API are not acknowledged (see above)" >&2 ;;
  *) echo "spec-diff.sh: spec-diff failed with status $status" >&2 ;;
esac
exit "$status"
