#!/usr/bin/env bash
# Opens the HTML reports of the demo archive in a real headless browser (Debian's chromium):
# fails on console errors or failed loads, writes screenshots and print-to-PDF files for review
# under target/browser-check/. Installs chromium and CJK fonts with apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/browser-check
rm -rf "$out" && mkdir -p "$out"
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium, fonts-noto-cjk (Debian packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
cargo build --quiet --release
./target/release/dangan audit fixtures/demo --as-of 2026-11-28 --waivers fixtures/waivers.yaml \
  --report-dir "$out/reports" --fail-on never > /dev/null
# The catalogs and transfer list of a branch (dangan catalog), printed on A4.
./target/release/dangan catalog fixtures/catalogs --as-of 2026-11-28 -o "$out/reports" 2> /dev/null
chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d)" --hide-scrollbars --enable-logging=stderr --v=0 "$@"
}
status=0
for page in index 机关第一党支部 第一党支部卷内目录; do
  url="file://$(pwd)/$out/reports/$page.html"
  chrome --window-size=1200,1600 --screenshot="$out/$page.png" "$url" 2> "$out/$page.log"
  chrome --no-pdf-header-footer --print-to-pdf="$out/$page.pdf" "$url" 2>> "$out/$page.log"
  for f in "$out/$page.png" "$out/$page.pdf"; do
    if [ ! -s "$f" ]; then echo "browser check: $f was not written"; status=1; fi
  done
  if grep -E "CONSOLE|Uncaught|net::ERR_" "$out/$page.log"; then
    echo "browser check: console errors or failed loads on $page.html"; status=1
  fi
  if ! head -c 5 "$out/$page.pdf" | grep -q "%PDF-"; then echo "browser check: $page.pdf is not a PDF"; status=1; fi
done
# The catalog page prints the transfer list, then each of the branch's catalogs on an A4 page
# of its own.
printed=$(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$out/第一党支部卷内目录.pdf")
want=$(( $(grep -o '<section class="catalog">' "$out/reports/第一党支部卷内目录.html" | wc -l) + 1 ))
if [ "$printed" != "$want" ]; then echo "browser check: the catalog page printed on $printed pages, not $want"; status=1; fi
[ $status = 0 ] && echo "browser check: 3 pages rendered, printed to PDF, no console errors ($out)"
exit $status
