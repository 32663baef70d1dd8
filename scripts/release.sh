#!/usr/bin/env bash
# One release, from a clean tree with every breaking change acknowledged:
#   1. runs the guard (scripts/spec-diff.sh) for each crate's verdict and
#      accepts openapi.yaml as the baseline spec;
#   2. bumps each published crate by its verdict (0.x: breaking -> minor,
#      otherwise patch; >= 1.0: major, minor, patch), and every in-workspace
#      requirement on it;
#   3. moves CHANGELOG.md's [Unreleased] section under the new versions;
#   4. records the versions in api-baseline/RELEASE, so the release commit is
#      the next baseline tree;
#   5. runs `cargo package --workspace` (with verification), commits, and runs
#      the guard against the new baseline (it must be green).
# Nothing is pushed, tagged or published.
#
#   bash scripts/release.sh [--date YYYY-MM-DD]
# Exit status: 0 released, 1 the guard or packaging failed, 2 usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

date="$(date -u +%F)"
while [ $# -gt 0 ]; do
  case "$1" in
    --date) date=${2:?--date needs YYYY-MM-DD}; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "release.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ -n "$(git status --porcelain)" ]; then
  echo "release.sh: the tree has uncommitted changes; commit or stash them first" >&2
  exit 2
fi
if ! grep -q '^## \[Unreleased\]' CHANGELOG.md; then
  echo "release.sh: CHANGELOG.md has no '## [Unreleased]' section to release" >&2
  exit 2
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/release.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

echo "==> guard: each crate's verdict; accept openapi.yaml as the baseline spec"
bash scripts/spec-diff.sh --verdicts "$tmp/verdicts" --accept || exit 1

# Published crates and their manifests; the guard judges the first three,
# the generator (pinned with `=` by unleashx-api) gets a patch release.
crates=(unleashx-api unleashx unleashx-mock unleashx-codegen)
manifest() {
  case "$1" in
    unleashx-api) echo Cargo.toml ;;
    *) echo "crates/$1/Cargo.toml" ;;
  esac
}
bump() { # version verdict
  local major minor patch
  IFS=. read -r major minor patch <<<"$1"
  case "$major:$2" in
    0:breaking) echo "0.$((minor + 1)).0" ;;
    0:*) echo "0.$minor.$((patch + 1))" ;;
    *:breaking) echo "$((major + 1)).0.0" ;;
    *:additive) echo "$major.$((minor + 1)).0" ;;
    *) echo "$major.$minor.$((patch + 1))" ;;
  esac
}

summary=()
for c in "${crates[@]}"; do
  m="$(manifest "$c")"
  old="$(sed -n '/^\[package\]/,/^\[/{s/^version = "\([^"]*\)"/\1/p}' "$m" | head -1)"
  [ -n "$old" ] || { echo "release.sh: no version in $m" >&2; exit 2; }
  verdict="$(awk -v c="$c" '$1 == c {print $2}' "$tmp/verdicts")"
  new="$(bump "$old" "${verdict:-patch}")"
  echo "    $c $old -> $new (${verdict:-not judged: patch})"
  # The package's own version, then every path requirement on it.
  sed -i "0,/^version = \"$old\"/s//version = \"$new\"/" "$m"
  for other in Cargo.toml crates/*/Cargo.toml; do
    sed -i -E "s/^($c = \{ path = \"[^\"]+\", version = \"=?)[^\"]*\"/\1$new\"/" "$other"
  done
  summary+=("$c $new")
done
cargo metadata -q --format-version 1 >/dev/null # Cargo.lock: the new versions

main_version="$(sed -n 's/^unleashx \(.*\)/\1/p' <(printf '%s\n' "${summary[@]}"))"
list="$(IFS=,; echo "${summary[*]}" | sed 's/,/, /g')"
sed -i "0,/^## \[Unreleased\]/s//## [Unreleased]\n\n## [$main_version] - $date\n\nCrates: $list./" CHANGELOG.md
printf '%s\n' "${summary[@]}" > api-baseline/RELEASE

echo "==> cargo package --workspace (each published crate packaged and built from its package)"
# RELEASE_PACKAGE_FLAGS=--no-verify skips the build (the release test does;
# CI packages with verification on its own).
# shellcheck disable=SC2086
cargo package --workspace --allow-dirty --quiet ${RELEASE_PACKAGE_FLAGS:-} || exit 1

git add -A Cargo.toml Cargo.lock crates/*/Cargo.toml CHANGELOG.md api-baseline
git commit -q -m "release $main_version: $list"
echo "==> guard against the new baseline (the release commit)"
bash scripts/spec-diff.sh || exit 1
echo "release.sh: committed $(git rev-parse --short HEAD): $list; tag and publish it when it is merged"
