#!/usr/bin/env bash
# Runs every test: the spec lint, the whole workspace's tests, then the tests
# that need Node or Python tools (a plain `cargo test` skips those as
# #[ignore]d; they run here with -- --ignored).
# Installs the Node tools it needs (tools/package-lock.json) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x tools/node_modules/.bin/spectral ]; then
  echo "==> installing Spectral (npm ci in tools/)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "==> spectral lint openapi.yaml (spectral:oas, failing on any warning)"
tools/node_modules/.bin/spectral lint openapi.yaml --ruleset .spectral.yaml --fail-severity=hint

echo "==> spec-diff: each published crate's API against the last release (breaking changes must be acknowledged)"
bash scripts/spec-diff.sh

echo "==> cargo test --workspace --all-features"
cargo test --workspace --all-features

echo "==> spec-diff and release.sh on scratch clones with spec changes (#[ignore]d: they build the crates)"
cargo test -p unleashx-spec-diff --test guard -- --ignored

echo "==> the library against Prism (the tests plain cargo test ignores: they need Prism)"
cargo test -p unleashx --all-features --test prism_conformance -- --ignored

echo "==> the CLI against Prism (static and dynamic examples)"
bash scripts/conformance.sh

echo "==> schemathesis against the simulator"
bash scripts/schemathesis.sh
