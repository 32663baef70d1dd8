#!/usr/bin/env bash
# The spec-change guard: what every change since the last release does to the
# public API of unleashx-api (client, catalogue, httpmock stubs), unleashx
# (its own items and what it re-exports) and unleashx-mock, per crate; exits 1
# on a breaking change that CHANGELOG.md does not acknowledge.
#
#   bash scripts/spec-diff.sh [options]      see `--help`; what CI runs has none
#   bash scripts/spec-diff.sh --accept       make openapi.yaml the baseline spec (scripts/release.sh)
#
# Baseline: the tree of the last commit that changed api-baseline/ (the
# release commit), with api-baseline/openapi.yaml as its spec. Both trees are
# built to rustdoc JSON under target/spec-diff (cached), then compared by
# cargo-semver-checks and by spec-diff's own check of field types and
# re-exported items. Installs cargo-semver-checks on first use.
# SPEC_DIFF_BIN=path runs that spec-diff binary instead of `cargo run`.
# Exit status: 0 no unacknowledged breaking change, 1 an unacknowledged breaking
# change or a published crate that no longer builds, 2 usage error or a
# baseline that does not build.
set -euo pipefail
cd "$(dirname "$0")/.."

# The guard's change ids follow this release's lint names and messages.
SEMVER_CHECKS_VERSION=0.51.0
installed="$(cargo semver-checks --version 2>/dev/null | awk '{print $2}' || true)"
if [ "${installed%.*}" != "${SEMVER_CHECKS_VERSION%.*}" ]; then
  echo "==> installing cargo-semver-checks $SEMVER_CHECKS_VERSION (first use: builds from source, 10-20 minutes)" >&2
  # Without the crate's LTO and single codegen unit: builds in about half the time.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --quiet --version "$SEMVER_CHECKS_VERSION" cargo-semver-checks
fi

if [ -n "${SPEC_DIFF_BIN:-}" ]; then
  spec_diff=("$SPEC_DIFF_BIN")
else
  spec_diff=(cargo run -q -p unleashx-spec-diff --bin spec-diff --)
fi

status=0
"${spec_diff[@]}" "$@" || status=$?
case "$status" in
  0) ;;
  1) echo "spec-diff.sh: breaking change(s) not acknowledged (see above)" >&2 ;;
  *) echo "spec-diff.sh: spec-diff failed with status $status" >&2 ;;
esac
exit "$status"
