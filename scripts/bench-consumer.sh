#!/usr/bin/env bash
# What a tool pays at build time for depending on `unleashx`: two minimal
# tools (crates/unleashx-bench/consumer/), one on unleashx and one on bare
# reqwest + serde + tokio with the same TLS backend, each built from clean in
# a fresh target directory with the dependencies already downloaded. Debug
# and release, the two tools alternating (which goes first alternates too).
# Reports wall times, paired ratios, crate counts and stripped binary sizes.
#
# Usage: scripts/bench-consumer.sh [--quick] [--tls rustls|rustls-ring|native-tls]
#   --quick        debug only, one pair (about 2 minutes on 2 idle cores)
#   REPS=2         clean-build pairs per profile (default 1)
#   PROFILES=release  the profiles to build (default "debug release")
#   BENCH_DIR=DIR  where the copies and target directories go (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
TLS=rustls
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --tls) TLS=${2:?--tls needs a value}; shift ;;
    *) echo "bench-consumer: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
case "$TLS" in rustls|rustls-ring|native-tls) ;; *) echo "bench-consumer: --tls must be rustls, rustls-ring or native-tls" >&2; exit 2 ;; esac
REPS=${REPS:-1}
read -r -a PROFILES <<<"${PROFILES:-debug release}"
if [ "$QUICK" = 1 ]; then PROFILES=(debug); REPS=1; fi
export CARGO_TERM_COLOR=never
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_BUILD_RUSTFLAGS

if [ -n "${BENCH_DIR:-}" ]; then WORK=$BENCH_DIR; mkdir -p "$WORK"; else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi

echo "==> machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo); load average $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "==> $(cargo --version); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo ' (+ uncommitted changes)'); TLS feature: $TLS"

# A snapshot of the repository's files (tracked and new, not ignored), so
# edits during the run change nothing; then copies of the two tools with the
# unleashx path pointing into it, and the workspace's Cargo.lock beside each
# so both resolve the versions the workspace pins.
rm -rf "${WORK:?}/src"
mkdir -p "$WORK/src"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar -cf - 2>/dev/null | tar -xf - -C "$WORK/src"
TOOLS=(unleashx-tool reqwest-tool)
for tool in "${TOOLS[@]}"; do
  rm -rf "${WORK:?}/$tool"
  mkdir -p "$WORK/$tool"
  cp -r "crates/unleashx-bench/consumer/$tool/src" "crates/unleashx-bench/consumer/$tool/Cargo.toml" "$WORK/$tool/"
  sed -i "s#path = \"../../../unleashx\"#path = \"$WORK/src/crates/unleashx\"#" "$WORK/$tool/Cargo.toml"
  cp Cargo.lock "$WORK/$tool/Cargo.lock"
  FEATURES=(--no-default-features --features "$TLS")
  (cd "$WORK/$tool" && cargo fetch -q && cargo tree "${FEATURES[@]}" -q --prefix none -e normal,build >/dev/null)
done
FEATURES=(--no-default-features --features "$TLS")

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) printf "%.3f\n", a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# build TOOL PROFILE -> "wall_s cpu_s compiled_crates"; cpu is user + sys of
# cargo and everything it ran, which other load on the machine moves far
# less than the wall time.
build() {
  local tool=$1 profile=$2 flag=() log="$WORK/$1.$2.log"
  if [ "$profile" = release ]; then flag=(--release); fi
  rm -rf "$WORK/$tool/target"
  if ! (cd "$WORK/$tool" && CARGO_TARGET_DIR="$WORK/$tool/target" /usr/bin/time -f '%e %U %S' -o "$WORK/time" \
      cargo build --offline "${flag[@]}" "${FEATURES[@]}") >"$log" 2>&1; then
    tail -20 "$log" >&2
    echo "bench-consumer: $tool ($profile) does not build" >&2
    exit 1
  fi
  awk -v c="$(grep -c '^ *Compiling' "$log")" '{printf "%.1f %.1f %s\n", $1, $2 + $3, c}' "$WORK/time"
}

RESULTS="$WORK/results.txt"
: >"$RESULTS"
for profile in "${PROFILES[@]}"; do
  for rep in $(seq 1 "$REPS"); do
    order=("${TOOLS[@]}")
    if [ $((rep % 2)) = 0 ]; then order=("${TOOLS[1]}" "${TOOLS[0]}"); fi
    for tool in "${order[@]}"; do
      read -r secs cpu crates < <(build "$tool" "$profile")
      bin="$WORK/$tool/target/$profile/$tool"
      cp "$bin" "$WORK/$tool.$profile.stripped" && strip "$WORK/$tool.$profile.stripped"
      size=$(stat -c %s "$WORK/$tool.$profile.stripped")
      rm -rf "${WORK:?}/$tool/target"  # a clean target is 1-2 GiB; keep the disk free
      printf '%s %s %s %s %s %s %s\n' "$profile" "$rep" "$tool" "$secs" "$crates" "$size" "$cpu" | tee -a "$RESULTS"
    done
  done
done

count_tree() { (cd "$WORK/$1" && cargo tree --offline "${FEATURES[@]}" -q --prefix none -e normal,build | sort -u | wc -l); }
# column of RESULTS -> median for PROFILE and TOOL
med() { awk -v p="$1" -v t="$2" -v c="$3" '$1==p && $3==t {print $c}' "$RESULTS" | median; }
# paired ratios unleashx-tool/reqwest-tool of column C for PROFILE, one per line
ratios() { awk -v p="$1" -v c="$2" '$1==p {v[$2" "$3]=$c; r[$2]=1} END {for (k in r) if (v[k" reqwest-tool"] > 0) printf "%.3f\n", v[k" unleashx-tool"] / v[k" reqwest-tool"]}' "$RESULTS"; }
echo
echo "| profile | tool | clean build wall s | cpu s (user+sys) | crates compiled | crates in \`cargo tree -e normal,build\` | stripped binary MiB |"
echo "|---|---|---|---|---|---|---|"
for profile in "${PROFILES[@]}"; do
  for tool in "${TOOLS[@]}"; do
    printf '| %s | %s | %.1f | %.1f | %.0f | %s | %.2f |\n' "$profile" "$tool" "$(med "$profile" "$tool" 4)" "$(med "$profile" "$tool" 7)" \
      "$(med "$profile" "$tool" 5)" "$(count_tree "$tool")" "$(echo "$(med "$profile" "$tool" 6) / 1048576" | bc -l)"
  done
done
echo
for profile in "${PROFILES[@]}"; do
  wall=$(ratios "$profile" 4); cpu=$(ratios "$profile" 7); size=$(ratios "$profile" 6 | head -1)
  echo "$profile: unleashx-tool/reqwest-tool clean build wall $(echo "$wall" | median) (paired: $(echo "$wall" | sort -g | xargs)), cpu $(echo "$cpu" | median) (paired: $(echo "$cpu" | sort -g | xargs)); stripped size $size"
done
echo "(medians of $REPS pair(s); load average at the end $(cut -d' ' -f1-3 /proc/loadavg))"
