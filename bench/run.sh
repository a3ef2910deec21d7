#!/usr/bin/env bash
# Benchmark: audit a generated archive of small scans; prints wall time, CPU time, files per
# second and peak memory, beside the floors (read every byte once; calamine alone reading the
# ledger and resume sheet), and the ratios dangan / floor.
# Usage: bench/run.sh [DOSSIERS]   (default 10000 dossiers; BENCH_DIR=… to choose the folder)
#        ROSTERS=1 bench/run.sh 100000   the ledger as four roster sheets (one person on several
#                                        rows, merged into one), instead of one ledger sheet
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
gen=()
ledger_file=发展党员工作台账.xlsx
if [ "${ROSTERS:-0}" = 1 ]; then
  gen=(--rosters)
  ledger_file=发展党员名册.xlsx
  dir=${BENCH_DIR:-/tmp/dangan-bench-$n-rosters}
else
  dir=${BENCH_DIR:-/tmp/dangan-bench-$n}
fi
cargo build --quiet --release --example gen_archive --example calamine_floor
cargo build --quiet --release
if [ ! -f "$dir/$ledger_file" ]; then
  ./target/release/examples/gen_archive "$dir" --dossiers "$n" --seed 1 "${gen[@]}"
fi
files=$(find "$dir" -type f | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "archive: $dir — $n dossiers, $files files, $bytes bytes"
timefile=$(mktemp)
trap 'rm -f "$timefile"' EXIT
declare -A wall
run() {
  local label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$timefile" ./target/release/dangan audit "$dir" --as-of 2026-11-28 --format json --output "${out:-/tmp/dangan-bench.json}" --fail-on never "$@"
  read -r w user sys rss < "$timefile"
  wall[$label]=$w
  awk -v l="$label" -v w="$w" -v u="$user" -v s="$sys" -v r="$rss" -v f="$files" \
    'BEGIN { printf "%-12s wall %6.2f s  cpu %6.2f s  %9.0f files/s  peak RSS %6.1f MB\n", l, w, u+s, (w>0?f/w:0), r/1024 }'
}
floor() {
  local label=$1
  local start end
  start=$(date +%s.%N)
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null
  end=$(date +%s.%N)
  wall[$label]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b-a }')
  awk -v l="$label" -v w="${wall[$label]}" -v f="$files" \
    'BEGIN { printf "%-12s wall %6.2f s  %9.0f files/s  (find | xargs cat: read every byte once)\n", l, w, f/w }'
}
drop_caches() {
  [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
}
# Fresh audits read every file (--no-cache); the re-audits below use a result cache of their own.
if drop_caches; then
  run "cold" --no-cache
else
  echo "(cannot drop the page cache here: cold-cache figures skipped)"
fi
run "warm 1" --no-cache
run "warm 2" --no-cache
rm -rf /tmp/dangan-bench-reports
run "report-dir" --no-cache --report-dir /tmp/dangan-bench-reports
echo "report-dir: $(ls /tmp/dangan-bench-reports | wc -l) files, $(du -sh /tmp/dangan-bench-reports | cut -f1)"
# dangan catalog: the audit, then every branch's catalogs and transfer list (workbook and page);
# with the per-dossier workbooks too.
catalog() {
  local label=$1
  shift
  rm -rf /tmp/dangan-bench-catalogs
  /usr/bin/time -f "%e %U %S %M" -o "$timefile" ./target/release/dangan catalog "$dir" --no-cache --as-of 2026-11-28 -o /tmp/dangan-bench-catalogs "$@" 2> /dev/null
  read -r w user sys rss < "$timefile"
  wall[$label]=$w
  awk -v l="$label" -v w="$w" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "%-12s wall %6.2f s  cpu %6.2f s  peak RSS %6.1f MB\n", l, w, u+s, r/1024 }'
  echo "$label: $(find /tmp/dangan-bench-catalogs -type f | wc -l) files, $(du -sh /tmp/dangan-bench-catalogs | cut -f1)"
}
catalog "catalog"
catalog "catalog+own" --per-dossier
if drop_caches; then floor "floor cold"; fi
floor "floor warm"
# The re-audit of an unchanged archive: the result cache filled once, then used; its floor is
# a directory listing with stat.
cachedir=$(mktemp -d)
trap 'rm -f "$timefile"; rm -rf "$cachedir"' EXIT
out=/tmp/dangan-bench-cached.json run "cache fill" --cache-dir "$cachedir"
out=/tmp/dangan-bench-cached.json run "re-audit 1" --cache-dir "$cachedir"
out=/tmp/dangan-bench-cached.json run "re-audit 2" --cache-dir "$cachedir"
cmp -s /tmp/dangan-bench.json /tmp/dangan-bench-cached.json && echo "re-audit: JSON byte-identical to the fresh audit's" || { echo "re-audit: JSON DIFFERS from the fresh audit's"; exit 1; }
if drop_caches; then out=/tmp/dangan-bench-cached.json run "re-audit cold" --cache-dir "$cachedir"; fi
stat_floor() {
  local label=$1 start end
  start=$(date +%s.%N)
  find "$dir" -type f -printf '%s %T@\n' > /dev/null
  end=$(date +%s.%N)
  wall[$label]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b-a }')
  printf "%-12s wall %6.2f s  (find -printf '%%s %%T@': stat every file, read none)\n" "$label" "${wall[$label]}"
}
if drop_caches; then stat_floor "stat cold"; fi
stat_floor "stat warm"
calamine=0
for book in "$dir"/*.xlsx; do
  out=$(./target/release/examples/calamine_floor "$book")
  echo "$out"
  calamine=$(awk -v a="$calamine" -v b="$(echo "$out" | grep -oE '[0-9.]+ ms' | cut -d' ' -f1)" 'BEGIN { print a + b }')
done
timings=$(DANGAN_TIMINGS=1 ./target/release/dangan audit "$dir" --no-cache --as-of 2026-11-28 --format json --output /tmp/dangan-bench.json --fail-on never 2>&1 | grep timing)
echo "$timings"
ledger=$(echo "$timings" | grep 读取台账和简历 | grep -oE '[0-9.]+ ms' | head -1 | cut -d' ' -f1)
walked=$(echo "$timings" | grep 读取档案目录 | grep -oE '[0-9.]+ ms' | head -1 | cut -d' ' -f1)
python3 -c "import json; d=json.load(open('/tmp/dangan-bench.json')); print('findings:', d['summary']['findings'], 'pages:', d['summary']['pages'])"
echo "ratios:"
ratio() { awk -v a="$2" -v b="$3" -v l="$1" 'BEGIN { if (a > 0 && b > 0) printf "  %-34s %.2f ×\n", l, a / b }'; }
ratio "dangan / floor, cold cache" "${wall[cold]:-0}" "${wall[floor cold]:-0}"
ratio "dangan / floor, warm (run 1)" "${wall[warm 1]}" "${wall[floor warm]}"
ratio "dangan / floor, warm (run 2)" "${wall[warm 2]}" "${wall[floor warm]}"
ratio "ledger phase / calamine alone" "$ledger" "$calamine"
ratio "re-audit / stat floor (warm, run 1)" "${wall[re-audit 1]}" "${wall[stat warm]}"
ratio "re-audit / stat floor (warm, run 2)" "${wall[re-audit 2]}" "${wall[stat warm]}"
ratio "re-audit / stat floor, cold" "${wall[re-audit cold]:-0}" "${wall[stat cold]:-0}"
ratio "walk phase / stat floor (fresh)" "$(awk -v m="$walked" 'BEGIN { print m / 1000 }')" "${wall[stat warm]}"
ratio "catalog / audit (warm run 2)" "${wall[catalog]}" "${wall[warm 2]}"
ratio "catalog --per-dossier / audit" "${wall[catalog+own]}" "${wall[warm 2]}"
ratio "second run / first run (warm)" "${wall[warm 2]}" "${wall[warm 1]}"
