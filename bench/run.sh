#!/usr/bin/env bash
# Benchmark: audit a generated archive of small scans; prints wall time, files per second and
# peak memory, beside the floors (read every byte once; calamine alone reading the ledger).
# Usage: bench/run.sh [DOSSIERS]   (default 10000 dossiers, about 50,000 scans)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
dir=${BENCH_DIR:-/tmp/dangan-bench-$n}
cargo build --quiet --release --example gen_fixtures
cargo build --quiet --release
if [ ! -f "$dir/发展党员工作台账.xlsx" ]; then
  ./target/release/examples/gen_fixtures --archive "$dir" "$n" 1 0
fi
files=$(find "$dir" -type f | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "archive: $dir — $n dossiers, $files files, $bytes bytes"
run() {
  local label=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o /tmp/dangan-bench-time ./target/release/dangan audit "$dir" --as-of 2026-11-28 --format json --output /tmp/dangan-bench.json --fail-on never "$@"
  read -r wall user sys rss < /tmp/dangan-bench-time
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v f="$files" \
    'BEGIN { printf "%-12s wall %6.2f s  cpu %6.2f s  %9.0f files/s  peak RSS %6.1f MB\n", l, w, u+s, (w>0?f/w:0), r/1024 }'
}
if [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
  run "cold cache"
else
  echo "(cannot drop the page cache here: cold-cache figure skipped)"
fi
run "warm 1"
run "warm 2"
rm -rf /tmp/dangan-bench-reports
run "report-dir" --report-dir /tmp/dangan-bench-reports
echo "report-dir: $(ls /tmp/dangan-bench-reports | wc -l) files, $(du -sh /tmp/dangan-bench-reports | cut -f1)"
if [ -w /proc/sys/vm/drop_caches ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then
  floor_start=$(date +%s.%N)
  find "$dir" -type f -print0 | xargs -0 cat > /dev/null
  floor_end=$(date +%s.%N)
  awk -v a="$floor_start" -v b="$floor_end" -v f="$files" 'BEGIN { printf "%-12s wall %6.2f s  %9.0f files/s  (find | xargs cat, cold cache)\n", "floor cold", b-a, f/(b-a) }'
fi
floor_start=$(date +%s.%N)
find "$dir" -type f -print0 | xargs -0 cat > /dev/null
floor_end=$(date +%s.%N)
awk -v a="$floor_start" -v b="$floor_end" -v f="$files" 'BEGIN { printf "%-12s wall %6.2f s  %9.0f files/s  (find | xargs cat: read every byte once)\n", "floor", b-a, f/(b-a) }'
cargo build --quiet --release --example calamine_floor
for book in "$dir"/*.xlsx; do ./target/release/examples/calamine_floor "$book"; done
DANGAN_TIMINGS=1 ./target/release/dangan audit "$dir" --as-of 2026-11-28 --format json --output /tmp/dangan-bench.json --fail-on never 2>&1 | grep timing
python3 -c "import json; d=json.load(open('/tmp/dangan-bench.json')); print('findings:', d['summary']['findings'], 'pages:', d['summary']['pages'])"
