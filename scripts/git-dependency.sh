#!/usr/bin/env bash
# A tool outside the workspace that takes unleashx as a git dependency on this
# clone (`git = "file://..."`, i.e. the committed HEAD, as an internal tool
# would take it), builds, and builds a client against a loopback address.
# CI runs it; uncommitted changes are not part of what it tests.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

tool="$(mktemp -d "${TMPDIR:-/tmp}/git-dep-tool.XXXXXX")"
trap 'rm -rf "$tool"' EXIT
mkdir -p "$tool/src"
cat > "$tool/Cargo.toml" <<TOML
[package]
name = "git-dep-tool"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
unleashx = { git = "file://$repo" }
unleashx-api = { git = "file://$repo" }

[workspace]
TOML
cat > "$tool/src/main.rs" <<'RS'
fn main() {
    let client = unleashx::Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("a loopback base URL is a valid configuration");
    println!(
        "git-dep-tool: unleashx client for {} (TLS backend {:?})",
        client.base_url(),
        unleashx_api::tls::BACKEND
    );
}
RS
# The workspace's lock file pins the same dependency versions, so the build
# reuses what target/ already holds.
cp Cargo.lock "$tool/Cargo.lock"
echo "==> git dependency: a scratch tool on unleashx from file://$repo (HEAD $(git rev-parse --short HEAD))"
CARGO_TARGET_DIR="$repo/target" cargo run -q --manifest-path "$tool/Cargo.toml"
