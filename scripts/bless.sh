#!/usr/bin/env bash
# Regenerate what is generated from the code: the README's rule table (from `dangan rules
# --format markdown`) and the fixture snapshots in tests/expected (DANGAN_BLESS=1). Review the
# diff before committing: every changed finding should be one the change meant.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --locked
table=$(./target/debug/dangan rules --format markdown)
python3 - "$table" <<'PY'
import sys
table = sys.argv[1] + "\n"
text = open("README.md", encoding="utf-8").read()
begin = text.index("<!-- rules:begin")
start = text.index("\n", begin) + 1
end = text.index("<!-- rules:end -->")
open("README.md", "w", encoding="utf-8").write(text[:start] + table + text[end:])
PY
DANGAN_BLESS=1 cargo test --quiet --locked --test cli --test ledgers --test folders --test catalog --test content --test round3 --test aliases >/dev/null
git status --short README.md tests/expected
