#!/usr/bin/env bash
# CI check: a tool on `rustls-ring` that uses the simulator in its tests
# compiles no aws-lc-sys (unleashx-mock takes unleashx-api without its
# default TLS backend). `cargo tree` over a scratch tool with path
# dependencies, every edge kind, every target. A control tool on the default
# backend must show aws-lc-sys, so the search itself is known to work.
# Usage: scripts/tls-tree.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT

# tool NAME UNLEASHX_FEATURES: a tool with unleashx (those features only) and
# the simulator as a dev-dependency; prints whether its tree has aws-lc-sys.
tool() {
  local dir="$SCRATCH/$1"
  mkdir -p "$dir/src"
  cat >"$dir/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
unleashx = { path = "$ROOT/crates/unleashx", default-features = false, features = [$2] }

[dev-dependencies]
unleashx-mock = { path = "$ROOT/crates/unleashx-mock" }
TOML
  echo 'fn main() {}' >"$dir/src/main.rs"
  # The workspace's lock pins the same versions (cargo drops what is unused).
  cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
  if (cd "$dir" && cargo tree -q -e all --target all --prefix none) | grep -q '^aws-lc-sys '; then
    echo yes
  else
    echo no
  fi
}

echo "==> control: a tool on the default backend (rustls, aws-lc-rs) with the simulator as a dev-dependency"
control=$(tool control-tool '"rustls"')
echo "aws-lc-sys in its tree: $control"
if [ "$control" != yes ]; then
  echo "the control tool shows no aws-lc-sys: the search in this script is broken" >&2
  exit 1
fi

echo "==> a tool on rustls-ring with the simulator as a dev-dependency"
ring=$(tool ring-tool '"rustls-ring"')
echo "aws-lc-sys in its tree: $ring"
if [ "$ring" != no ]; then
  echo "a rustls-ring tool compiles aws-lc-sys for its tests: some dependency of unleashx-mock turns on unleashx-api's default TLS backend; see \`cargo tree -e all -i aws-lc-sys\` in such a tool" >&2
  exit 1
fi
