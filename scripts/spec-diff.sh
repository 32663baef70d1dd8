#!/usr/bin/env bash
# Compares the public Rust API generated from the accepted baseline
# (api-baseline/openapi.yaml, committed) with the one generated from the
# working tree's openapi.yaml, and fails (exit 1) on a breaking change that is
# not acknowledged in CHANGELOG.md. The baseline does not move with commits,
# so a committed breaking change keeps failing until it is acknowledged.
#
#   bash scripts/spec-diff.sh [spec-diff options]       baseline -> working tree (what CI runs)
#   bash scripts/spec-diff.sh --rev REV [options]       openapi.yaml at git revision REV -> working tree
#   bash scripts/spec-diff.sh --accept                  make the working tree's spec the baseline
#
# Acknowledge an intended breaking change with a line under `## [Unreleased]`
# in CHANGELOG.md that contains `BREAKING:` and names the subject the report
# prints (the type, e.g. `ApiTokenDetails`, or the operation for a Client
# method), or pass --allow-breaking for a one-off local run. --accept refuses
# while a breaking change is unacknowledged; run it when releasing, so that the
# next release is measured from this one.
# SPEC_DIFF_BIN=path runs that spec-diff binary instead of `cargo run`.
# Exit status: 0 no unacknowledged breaking change, 1 breaking, 2 usage or spec error.
set -euo pipefail
cd "$(dirname "$0")/.."

BASELINE=api-baseline/openapi.yaml
rev=""
accept=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rev) rev=${2:?--rev needs a git revision}; shift ;;
    --accept) accept=1 ;;
    *) args+=("$1") ;;
  esac
  shift
done

tmp="$(mktemp -d "${TMPDIR:-/tmp}/spec-diff.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

if [ "$accept" = 1 ]; then
  for a in ${args[@]+"${args[@]}"}; do
    if [ "$a" = --allow-breaking ] || [ "$a" = --no-changelog ]; then
      echo "spec-diff.sh: --accept needs every breaking change acknowledged in CHANGELOG.md; it does not take $a" >&2
      exit 2
    fi
  done
fi
if [ -n "$rev" ]; then
  if [ "$accept" = 1 ]; then
    echo "spec-diff.sh: --accept compares with the baseline; it does not take --rev" >&2
    exit 2
  fi
  if ! git rev-parse --verify --quiet "${rev}^{commit}" >/dev/null; then
    echo "spec-diff.sh: unknown git revision '${rev}'" >&2
    exit 2
  fi
  if ! git show "${rev}:openapi.yaml" > "$tmp/openapi.yaml" 2>"$tmp/git.err"; then
    echo "spec-diff.sh: openapi.yaml does not exist at ${rev}: $(cat "$tmp/git.err")" >&2
    exit 2
  fi
  old="$tmp/openapi.yaml"
  old_label="openapi.yaml@${rev}"
else
  if [ ! -f "$BASELINE" ]; then
    echo "spec-diff.sh: the baseline $BASELINE is missing; restore it from git (git checkout -- $BASELINE)" >&2
    exit 2
  fi
  old="$BASELINE"
  old_label="$BASELINE (accepted baseline)"
fi

changelog=()
if [ -f CHANGELOG.md ]; then
  changelog=(--changelog CHANGELOG.md)
fi

if [ -n "${SPEC_DIFF_BIN:-}" ]; then
  spec_diff=("$SPEC_DIFF_BIN")
else
  spec_diff=(cargo run -q -p unleashx-spec-diff --bin spec-diff --)
fi

# `|| status=$?` keeps set -e from ending the script before the message.
status=0
"${spec_diff[@]}" --old-label "$old_label" --new-label "openapi.yaml (working tree)" \
  "${changelog[@]}" ${args[@]+"${args[@]}"} "$old" openapi.yaml || status=$?
case "$status" in
  0) ;;
  1) echo "spec-diff.sh: breaking change(s) to the generated API are not acknowledged (see above)" >&2 ;;
  *) echo "spec-diff.sh: spec-diff failed with status $status" >&2 ;;
esac
if [ "$status" = 0 ] && [ "$accept" = 1 ]; then
  { printf '# The accepted API baseline for scripts/spec-diff.sh: openapi.yaml as of the\n'
    printf '# last release. Written by `bash scripts/spec-diff.sh --accept`; never edit by hand.\n'
    cat openapi.yaml; } > "$tmp/baseline.yaml"
  mv "$tmp/baseline.yaml" "$BASELINE"
  echo "spec-diff.sh: $BASELINE now holds the working tree's openapi.yaml; commit it"
fi
exit "$status"
