#!/usr/bin/env bash
# Opens the workbooks dangan writes in LibreOffice (headless): the catalogs and transfer lists
# of `dangan catalog` (fixtures/catalogs with its per-dossier files, and the demo archive) and
# the reports of `--report-dir`. Every sheet of every workbook is converted to CSV; the check
# fails when LibreOffice reports an error, a sheet is not written, or a transfer list's totals
# are not the sum of its lines. Installs libreoffice-calc-nogui with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/office-check
rm -rf "$out" && mkdir -p "$out"
if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
    || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
  echo "installing libreoffice-calc-nogui, poppler-utils, fonts-noto-cjk (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui poppler-utils fonts-noto-cjk fontconfig >/dev/null
fi
cargo build --quiet --release
dangan=./target/release/dangan
$dangan catalog fixtures/catalogs --as-of 2026-11-28 -o "$out/catalogs" --per-dossier 2> /dev/null
$dangan catalog fixtures/demo --as-of 2026-11-28 -o "$out/demo" 2> /dev/null
$dangan audit fixtures/demo --as-of 2026-11-28 --report-dir "$out/reports" --fail-on never > /dev/null
profile="file://$(pwd)/$out/profile"
status=0
# One LibreOffice run per folder of workbooks (the per-dossier catalogs share a file name).
while IFS= read -r -d '' dir; do
  csv="$out/csv/${dir#"$out"/}"
  mkdir -p "$csv"
  books=("$dir"/*.xlsx)
  # 44,34,76,1: comma, double quote, UTF-8, from line 1; the last -1: every sheet to a file.
  if ! timeout 300 soffice --headless --norestore "-env:UserInstallation=$profile" \
      --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
      --outdir "$csv" "${books[@]}" > "$out/soffice.log" 2>&1; then
    echo "office check: LibreOffice failed on $dir"; cat "$out/soffice.log"; status=1; continue
  fi
  if grep -qi "error" "$out/soffice.log"; then
    echo "office check: LibreOffice reported an error in $dir"; cat "$out/soffice.log"; status=1
  fi
  # Every sheet of every workbook was written, and is not empty.
  python3 - "$csv" "${books[@]}" <<'PY' || status=1
import os, re, sys, zipfile
csv_dir, books = sys.argv[1], sys.argv[2:]
for book in books:
    stem = os.path.splitext(os.path.basename(book))[0]
    with zipfile.ZipFile(book) as z:
        names = re.findall(rb'<sheet name="([^"]*)"', z.read("xl/workbook.xml"))
    for n in names:
        path = os.path.join(csv_dir, f"{stem}-{n.decode()}.csv")
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            sys.exit(f"office check: sheet {n.decode()} of {book} was not opened")
PY
done < <(find "$out/catalogs" "$out/demo" "$out/reports" -name '*.xlsx' -printf '%h\0' | sort -zu)
books=$(find "$out/catalogs" "$out/demo" "$out/reports" -name '*.xlsx' | wc -l)
sheets=$(find "$out/csv" -name '*.csv' | wc -l)
# A transfer list's 合计 line is the sum of its lines (份数, 页数, 问题数).
python3 - "$out/csv" <<'PY' || status=1
import csv, glob, sys
lists = glob.glob(f"{sys.argv[1]}/**/*-移交清单.csv", recursive=True)
assert lists, "no transfer list converted"
for path in lists:
    rows = list(csv.reader(open(path, encoding="utf-8")))
    lines = [r for r in rows[3:] if r and r[0].isdigit()]
    total = next(r for r in rows if r and r[0] == "合计")
    for col in (4, 5, 7):
        if sum(int(r[col]) for r in lines) != int(total[col]):
            sys.exit(f"office check: {path}: column {col} does not add up to its 合计")
print(f"office check: {len(lists)} transfer lists add up")
PY
# Printed (to PDF, as LibreOffice prints them), no sheet is split by columns: every page shows
# one of its workbook's header rows whole — its first and its last column — which a page
# holding only some of the columns would not (the header row repeats on every page).
pdf="$out/pdf"
mkdir -p "$pdf"
for dir in "$out/reports" "$out/demo"; do
  timeout 300 soffice --headless --norestore "-env:UserInstallation=$profile" \
    --convert-to pdf --outdir "$pdf/${dir##*/}" "$dir"/*.xlsx > "$out/soffice-pdf.log" 2>&1 \
    || { echo "office check: LibreOffice could not print $dir"; cat "$out/soffice-pdf.log"; status=1; }
done
python3 - "$out" <<'PY' || status=1
import csv, glob, os, subprocess, sys
out = sys.argv[1]
pages_total = 0
for pdf in sorted(glob.glob(f"{out}/pdf/*/*.pdf")):
    group, stem = pdf.split("/")[-2], os.path.splitext(os.path.basename(pdf))[0]
    heads = []
    for path in glob.glob(f"{out}/csv/{group}/{stem}-*.csv"):
        rows = list(csv.reader(open(path, encoding="utf-8")))
        for r in rows[:4]:
            cells = [c.strip() for c in r if c.strip()]
            if len(cells) >= 3:
                heads.append((cells[0], cells[-1]))
                break
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    squeeze = lambda s: "".join(s.split())
    for i, page in enumerate(pages, 1):
        flat = squeeze(page)
        if not any(squeeze(a) in flat and squeeze(b) in flat for a, b in heads):
            sys.exit(f"office check: page {i} of {pdf} does not show a whole header row "
                     f"(a sheet printed across pages by columns?): {heads}")
    pages_total += len(pages)
print(f"office check: {pages_total} printed pages, each one page wide with its header row")
PY
[ $status = 0 ] && echo "office check: $books workbooks, $sheets sheets opened in LibreOffice without error ($out)"
exit $status
