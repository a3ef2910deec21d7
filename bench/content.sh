#!/usr/bin/env bash
# Benchmark of reading what documents say (src/content/):
#  1. text layers: an archive whose every application, thought report, autobiography and
#     conversion application is a born-digital PDF (LibreOffice's, fixtures/content-scans),
#     audited with the content rules on and off (alternating runs, medians) — as a re-audit
#     with the result cache warm (the default) and as a first audit (--no-cache);
#  2. OCR: page images read by dangan --ocr (no cache) beside `tesseract` alone over the same
#     images with the same parallelism (one process a core, OMP_THREAD_LIMIT=1);
#  3. the cached second run: dangan --ocr with a warm cache beside dangan without --ocr.
# Usage: bench/content.sh [DOSSIERS (default 2000)] [PAGES (default 24)] [RUNS (default 3)]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
pages=${2:-24}
runs=${3:-3}
cores=$(nproc)
cargo build --quiet --release --example gen_archive
cargo build --quiet --release
bin=./target/release/dangan
scans=fixtures/content-scans
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
off="$work/content-off.yaml"
printf 'rules:\n' > "$off"
for id in theory-not-current document-of-another-person document-date-mismatch content-unreadable; do
  printf '  - { id: %s, enabled: false }\n' "$id" >> "$off"
done

# The documents the content rules read: the PDFs made to carry text.
text_pdfs() { find "$1" -type f \( -name '*入党申请书*.pdf' -o -name '*思想汇报*.pdf' -o -name '*自传*.pdf' -o -name '*转正申请*.pdf' \); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
seconds() { local s e; s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N); awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f\n", b - a }'; }
ratio() { awk -v a="$2" -v b="$3" -v l="$1" 'BEGIN { if (b > 0) printf "  %-48s %.2f ×\n", l, a / b }'; }

if [ "${SKIP_TEXT:-0}" != 1 ]; then
echo "== 1. text layers: $n dossiers, every document the content rules read has text"
# Each is LibreOffice's born-digital PDF of a current thought report, made unique by a comment
# of its own length before `startxref` (no two the same size, as in a real archive: equal
# sizes would make the duplicate check hash every one of them, in both runs).
text_dir=/tmp/dangan-bench-text-current-$n
if [ ! -f "$text_dir/发展党员工作台账.xlsx" ]; then
  ./target/release/examples/gen_archive "$text_dir" --dossiers "$n" --seed 1 > /dev/null
  text_pdfs "$text_dir" \
    | python3 -c '
import sys
src = open(sys.argv[1], "rb").read()
k = src.rindex(b"startxref")
for i, p in enumerate(sys.stdin.read().splitlines()):
    open(p, "wb").write(src[:k] + b"%" + b"x" * i + b"\n" + src[k:])
' "$scans/current-born-digital.pdf"
fi
texts=$(text_pdfs "$text_dir" | wc -l)
echo "archive: $text_dir — $(find "$text_dir" -type f | wc -l) files, $texts of them with text"
# The copied document is dated 2023-03-15 whatever the ledger says: document-date-mismatch
# fires on most applications, findings a real archive would not have. The second ratio is
# the same reading without that rule's output.
no_date="$work/no-date-rule.yaml"
printf 'rules:\n  - { id: document-date-mismatch, enabled: false }\n' > "$no_date"
audit() { "$bin" audit "$text_dir" --as-of 2026-11-28 --format json --fail-on never "$@"; }
# Two ways to run: a re-audit (the default: the result cache, warm — it keeps each document's
# reading beside its inspection) and a first audit (--no-cache: every file read and parsed).
text_cache="$work/text-cache"
audit --cache-dir "$text_cache" > /dev/null
for mode in warm fresh; do
  if [ "$mode" = warm ]; then how=(--cache-dir "$text_cache"); else how=(--no-cache); fi
  on=(); without=(); quiet=()
  for _ in $(seq "$runs"); do
    without+=("$(seconds audit "${how[@]}" --rules "$off")")
    on+=("$(seconds audit "${how[@]}")")
    quiet+=("$(seconds audit "${how[@]}" --rules "$no_date")")
  done
  t_off=$(printf '%s\n' "${without[@]}" | median)
  t_on=$(printf '%s\n' "${on[@]}" | median)
  t_quiet=$(printf '%s\n' "${quiet[@]}" | median)
  if [ "$mode" = warm ]; then
    echo "-- re-audit, result cache warm (the default):"
  else
    echo "-- first audit, --no-cache:"
  fi
  echo "content rules off: ${t_off} s   on: ${t_on} s   on without the date rule: ${t_quiet} s   (medians of $runs)"
  phase=$(DANGAN_TIMINGS=1 "$bin" audit "$text_dir" --as-of 2026-11-28 --format json --fail-on never "${how[@]}" 2>&1 >/dev/null | grep 读取文书内容 | grep -oE '[0-9.]+ ms' | head -1)
  opened=$(DANGAN_TIMINGS=1 "$bin" audit "$text_dir" --as-of 2026-11-28 --format json --fail-on never "${how[@]}" 2>&1 >/dev/null | grep -oE '读取文书：[0-9]+' | head -1)
  echo "the reading phase alone: $phase ($opened documents opened)"
  ratio "audit with text reading / without ($mode)" "$t_on" "$t_off"
  ratio "  the same, without the date rule's findings" "$t_quiet" "$t_off"
done
# The same archive with no two documents' font maps alike (bench/unique_maps.py): each map is
# inflated and parsed, as in a real archive of documents with subset fonts of their own.
unique_dir=/tmp/dangan-bench-text-unique-$n
if [ ! -f "$unique_dir/发展党员工作台账.xlsx" ]; then
  rm -rf "$unique_dir"
  cp -r "$text_dir" "$unique_dir"
  text_pdfs "$unique_dir" \
    | python3 bench/unique_maps.py "$scans/current-born-digital.pdf"
fi
u_on=(); u_off=()
for _ in $(seq "$runs"); do
  u_off+=("$(seconds "$bin" audit "$unique_dir" --as-of 2026-11-28 --format json --fail-on never --no-cache --rules "$off")")
  u_on+=("$(seconds "$bin" audit "$unique_dir" --as-of 2026-11-28 --format json --fail-on never --no-cache)")
done
u_t_off=$(printf '%s\n' "${u_off[@]}" | median)
u_t_on=$(printf '%s\n' "${u_on[@]}" | median)
echo "-- first audit, no two documents' font maps alike: content rules off: ${u_t_off} s   on: ${u_t_on} s   (medians of $runs)"
ratio "audit with text reading / without (fresh, maps unshared)" "$u_t_on" "$u_t_off"
audit --no-cache | python3 -c "
import json, sys, collections
d = json.load(sys.stdin)
print('documents read:', d['summary']['content']['read'], '  findings:', dict(collections.Counter(f['rule'] for f in d['findings'])))"
fi

echo "== 2. OCR: $pages page images (A4, 200 dpi), $cores at once"
ocr_dir="$work/ocr"
cp -r fixtures/clean "$ocr_dir"
find "$ocr_dir" -type f \( -name '*.jpg' -o -name '*.png' -o -name '*.tif' \) -delete
reports="$ocr_dir/第一党支部/01-张三/思想汇报"
mkdir -p "$reports"
kinds=(outdated.jpg current-g4.tif outdated-lzw.tif)
for i in $(seq "$pages"); do
  f=${kinds[$((i % 3))]}
  cp "$scans/$f" "$reports/思想汇报（$i）.${f##*.}"
done
tess_runs=(); dangan_runs=(); phase_runs=()
for _ in $(seq "$runs"); do
  tess_runs+=("$(seconds sh -c "find '$reports' -type f -print0 | OMP_THREAD_LIMIT=1 xargs -0 -P $cores -I{} tesseract {} - -l chi_sim")")
  s=$(date +%s.%N)
  phase=$(DANGAN_TIMINGS=1 "$bin" audit "$ocr_dir" --as-of 2026-11-28 --format json --fail-on never --ocr --no-cache 2>&1 >/dev/null \
    | grep 读取文书内容 | grep -oE '[0-9.]+ ms' | head -1 | cut -d' ' -f1)
  e=$(date +%s.%N)
  dangan_runs+=("$(awk -v a="$s" -v b="$e" 'BEGIN { printf "%.3f\n", b - a }')")
  phase_runs+=("$(awk -v p="$phase" 'BEGIN { printf "%.3f\n", p / 1000 }')")
done
tess=$(printf '%s\n' "${tess_runs[@]}" | median)
dangan_ocr=$(printf '%s\n' "${dangan_runs[@]}" | median)
phase=$(printf '%s\n' "${phase_runs[@]}" | median)
echo "tesseract alone: ${tess} s ($(awk -v t="$tess" -v p="$pages" -v c="$cores" 'BEGIN { printf "%.2f", t * c / p }') s of a core a page)   dangan --ocr: ${dangan_ocr} s, of which the OCR phase ${phase} s   (medians of $runs)"
ratio "dangan's OCR phase / tesseract alone" "$phase" "$tess"
ratio "the whole dangan --ocr run / tesseract alone" "$dangan_ocr" "$tess"

echo "== 3. the second run, from the cache"
cache="$work/cache"
"$bin" audit "$ocr_dir" --as-of 2026-11-28 --format json --fail-on never --ocr --cache-dir "$cache" > /dev/null
cached=(); plain=()
for _ in $(seq "$runs"); do
  cached+=("$(seconds "$bin" audit "$ocr_dir" --as-of 2026-11-28 --format json --fail-on never --ocr --cache-dir "$cache")")
  plain+=("$(seconds "$bin" audit "$ocr_dir" --as-of 2026-11-28 --format json --fail-on never)")
done
t_cached=$(printf '%s\n' "${cached[@]}" | median)
t_plain=$(printf '%s\n' "${plain[@]}" | median)
echo "cached --ocr: ${t_cached} s   without --ocr: ${t_plain} s"
ratio "cached --ocr / without --ocr" "$t_cached" "$t_plain"
