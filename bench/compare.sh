#!/usr/bin/env bash
# Compare two dangan binaries on one generated archive, alternating warm runs, and print each
# run and the medians of wall time and peak RSS with their ratio (new / old).
# Usage: bench/compare.sh OLD_BINARY [DOSSIERS] [RUNS]   (the new binary: target/release/dangan)
#   e.g. git worktree add /tmp/base REV && (cd /tmp/base && cargo build --release)
#        bench/compare.sh /tmp/base/target/release/dangan 100000 5
set -euo pipefail
cd "$(dirname "$0")/.."
old=$1
n=${2:-10000}
runs=${3:-5}
dir=${BENCH_DIR:-/tmp/dangan-bench-$n}
cargo build --quiet --release --example gen_archive
cargo build --quiet --release
new=./target/release/dangan
if [ ! -f "$dir/发展党员工作台账.xlsx" ]; then
  ./target/release/examples/gen_archive "$dir" --dossiers "$n" --seed 1
fi
timefile=$(mktemp)
trap 'rm -f "$timefile"' EXIT
one() {
  /usr/bin/time -f "%e %M" -o "$timefile" "$1" audit "$dir" --as-of 2026-11-28 --format json \
    --output /tmp/dangan-compare.json --fail-on never
  cat "$timefile"
}
one "$new" > /dev/null # warm the page cache
declare -a ow om nw nm
for i in $(seq "$runs"); do
  read -r w m < <(one "$old"); ow+=("$w"); om+=("$m")
  read -r w m < <(one "$new"); nw+=("$w"); nm+=("$m")
  printf 'run %d: old %6.2f s %6.1f MB   new %6.2f s %6.1f MB\n' "$i" "${ow[-1]}" \
    "$(echo "${om[-1]} / 1024" | bc -l)" "${nw[-1]}" "$(echo "${nm[-1]} / 1024" | bc -l)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
mow=$(median "${ow[@]}"); mnw=$(median "${nw[@]}")
mom=$(median "${om[@]}"); mnm=$(median "${nm[@]}")
awk -v a="$mow" -v b="$mnw" -v c="$mom" -v d="$mnm" -v n="$n" 'BEGIN {
  printf "%d dossiers, medians: old %.2f s %.1f MB, new %.2f s %.1f MB; new/old: time %.3f, memory %.3f\n",
    n, a, c / 1024, b, d / 1024, b / a, d / c }'
