#!/usr/bin/env bash
# Make fixtures/content-scans: the same two thought reports (one current, one whose theory is
# not) as real tools write them — page images drawn with a CJK font (fonts-noto-cjk) and saved
# as JPEG, TIFF (G4 and LZW), image-only PDFs (DCT, CCITT G4, Flate) made by img2pdf, a 双层PDF
# made by `tesseract … pdf`, born-digital PDFs made by LibreOffice Writer, and a page of
# scribbles no engine can read. The files are committed; run this only to remake them. Needs:
# python3 with pillow and img2pdf (pip), tesseract-ocr + tesseract-ocr-chi-sim,
# libreoffice-writer-nogui, fonts-noto-cjk.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fixtures/content-scans
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out"
cargo run --quiet --locked --example gen_fixtures -- "$tmp/fx" >/dev/null
reports="$tmp/fx/demo/第一党支部/01-张三/思想汇报"
cp "$reports/思想汇报2023年第1季度.docx" "$tmp/current.docx"
cp "$reports/思想汇报2023年第2季度.docx" "$tmp/outdated.docx"
python3 - "$tmp" "$out" <<'PY'
import random, sys
from PIL import Image, ImageDraw, ImageFont
import img2pdf

tmp, out = sys.argv[1], sys.argv[2]
font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 36, index=2)
PLEDGE = "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身。"
XI = "我认真学习习近平新时代中国特色社会主义思想，用党的创新理论武装头脑，指导实践。"
TWENTY = "我深入学习党的二十大精神，坚定不移听党话、跟党走。"

def letter(paragraphs, date):
    return ["思想汇报", "敬爱的党组织："] + paragraphs + ["此致", "敬礼！", "汇报人：张三", date]

def page(lines):
    # A4 at 200 dpi, grey; 36 px characters (about 13 pt), 36 to a line.
    img = Image.new("L", (1654, 2339), 255)
    d = ImageDraw.Draw(img)
    y = 160
    for line in lines:
        while line:
            d.text((150, y), line[:36], font=font, fill=0)
            line = line[36:]
            y += 60
    return img

current = page(letter([PLEDGE, XI, TWENTY], "2023年3月15日"))
outdated = page(letter([PLEDGE, XI], "2023年6月20日"))
dpi = (200, 200)
outdated.save(f"{out}/outdated.jpg", quality=60, dpi=dpi)
current.convert("1").save(f"{out}/current-g4.tif", compression="group4", dpi=dpi)
outdated.convert("1").save(f"{out}/outdated-lzw.tif", compression="tiff_lzw", dpi=dpi)
current.save(f"{tmp}/current.jpg", quality=60, dpi=dpi)
with open(f"{out}/current-dct.pdf", "wb") as f:
    f.write(img2pdf.convert(f"{tmp}/current.jpg"))
outdated.convert("1").save(f"{tmp}/outdated-g4.tif", compression="group4", dpi=dpi)
with open(f"{out}/outdated-ccitt.pdf", "wb") as f:
    f.write(img2pdf.convert(f"{tmp}/outdated-g4.tif"))
outdated.save(f"{tmp}/outdated.png", dpi=dpi)
with open(f"{out}/outdated-flate.pdf", "wb") as f:
    f.write(img2pdf.convert(f"{tmp}/outdated.png"))
# Two pages in one PDF (the outdated page as DCT, the current one as CCITT G4): read in one
# OCR process.
with open(f"{out}/two-pages.pdf", "wb") as f:
    f.write(img2pdf.convert([f"{out}/outdated.jpg", f"{out}/current-g4.tif"]))
# Scribbles: strokes where a hand would write, nothing an engine can read.
rng = random.Random(20261206)
noisy = Image.new("L", (1654, 2339), 255)
d = ImageDraw.Draw(noisy)
for row in range(24):
    y = 160 + row * 70
    x = 150
    while x < 1450:
        pts = [(x + rng.randint(0, 30), y + rng.randint(0, 40)) for _ in range(6)]
        d.line(pts, fill=rng.randint(0, 80), width=rng.randint(2, 5))
        x += rng.randint(25, 45)
noisy.save(f"{out}/scribbles.png", dpi=dpi)
outdated.save(f"{tmp}/outdated-page.png", dpi=dpi)
PY
OMP_THREAD_LIMIT=1 tesseract "$tmp/outdated-page.png" "$out/outdated-layered" -l chi_sim pdf >/dev/null 2>&1
for which in outdated current; do
  soffice --headless --norestore "-env:UserInstallation=file://$tmp/profile" --convert-to pdf \
    --outdir "$tmp" "$tmp/$which.docx" >/dev/null 2>&1
  cp "$tmp/$which.pdf" "$out/$which-born-digital.pdf"
done
# The same document as LibreOffice Writer saves it: its own .docx and .odt (styles, runs split
# where the writer likes, settings and metadata beside the text).
for fmt in odt docx 'doc:MS Word 97'; do
  mkdir -p "$tmp/$fmt"
  soffice --headless --norestore "-env:UserInstallation=file://$tmp/profile" --convert-to "$fmt" \
    --outdir "$tmp/$fmt" "$tmp/outdated.docx" >/dev/null 2>&1
  ext=${fmt%%:*}
  cp "$tmp/$fmt/outdated.$ext" "$out/outdated-libreoffice.$ext"
done
ls -l "$out"
