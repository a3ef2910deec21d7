//! Shared pieces of the HTML reports: escaping and one self-contained page shell (inline CSS,
//! no scripts, no network), printable on A4.

pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const CSS: &str = r#"
:root { --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --red:#c62828; --amber:#b26a00; --blue:#0b5cad; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
       color: var(--ink); margin: 24px auto; max-width: 1100px; padding: 0 16px; line-height: 1.5; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.meta { color: var(--muted); font-size: 13px; margin-bottom: 16px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.findings { table-layout: fixed; } table.findings td { overflow-wrap: anywhere; }
.sev-error { color: var(--red); font-weight: bold; } .sev-warning { color: var(--amber); font-weight: bold; }
.sev-info { color: var(--blue); } .waived { color: var(--muted); text-decoration: line-through; }
.ok { color: #2e7d32; font-weight: bold; } .bad { color: var(--red); font-weight: bold; }
.chip { display: inline-block; min-width: 3.5em; padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: bold; text-align: center; }
details summary { cursor: pointer; color: var(--blue); } details ul { margin: 4px 0; padding-left: 18px; columns: 3; font-size: 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; } .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 130px; }
.card b { display: block; font-size: 22px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@page { size: A4; margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; }
  section.dossier { break-before: page; }
  section.dossier:first-of-type { break-before: auto; }
  details { display: block; } details > ul { display: block; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// A complete page: `title` in the head and as the first heading, then `body`.
pub fn page(title: &str, meta: &str, body: &str) -> String {
    page_styled(title, meta, body, "")
}

/// [`page`] with more style rules after the common ones.
pub fn page_styled(title: &str, meta: &str, body: &str, css: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{CSS}{css}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<div class=\"meta\">{meta}</div>\n{body}\n\
         <footer>由 dangan {v} 生成。本页不含外部资源，可直接打印或另存为 PDF。</footer>\n</body>\n</html>\n",
        t = esc(title),
        v = env!("CARGO_PKG_VERSION"),
    )
}

/// The longest branch file name (without the extension), in bytes: file systems allow 255,
/// and a report folder may be copied into a deeper path.
const STEM_MAX: usize = 120;

/// Whether Windows reserves a file name whatever its extension: CON, PRN, AUX, NUL, COM1–9,
/// LPT1–9 (CON.xlsx and con.支部.xlsx as well).
pub fn windows_reserved(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = base.to_ascii_uppercase();
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit()
            && upper.as_bytes()[3] != b'0')
}

/// A file-system-safe, unique and stable name for a branch's report files, valid on Windows
/// as on Linux. A name kept as it is stays as it is; a name that had to change (characters a
/// file name cannot hold, a trailing dot or space, a name Windows reserves such as CON, too
/// long, the committee's own `index` / `summary`, or capital letters — which Windows does not
/// tell from small ones, so Party and party would be one file there) gets a short hash of the
/// branch's real name, so that 甲:支部, 甲?支部 and 甲_支部 write three files, on every run the
/// same.
pub fn file_stem(branch: &str) -> String {
    let s: String = branch
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let mut s = s.trim_matches(['.', ' ']).to_string();
    if s.is_empty() {
        s = "未归属支部".into();
    }
    if windows_reserved(&s) {
        // CON → _CON-…, con.支部 → _con.支部-…: no longer a device name.
        s.insert(0, '_');
    }
    let reserved = ["index", "summary"]
        .iter()
        .any(|r| s.eq_ignore_ascii_case(r))
        || s.bytes().any(|b| b.is_ascii_uppercase());
    if s == branch && !reserved && s.len() <= STEM_MAX {
        return s;
    }
    let mut cut = s.len().min(STEM_MAX);
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    s.truncate(cut);
    let hash = xxhash_rust::xxh3::xxh3_64(branch.as_bytes());
    format!("{s}-{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Windows' rules for one path component: no `<>:"/\\|?*` or control character, no
    /// trailing dot or space, no device name, at most 255 UTF-16 units.
    fn valid_on_windows(name: &str) -> Result<(), String> {
        if name
            .chars()
            .any(|c| "<>:\"/\\|?*".contains(c) || c.is_control())
        {
            return Err(format!("{name}: a character Windows refuses"));
        }
        if name.ends_with(['.', ' ']) {
            return Err(format!("{name}: a trailing dot or space"));
        }
        if windows_reserved(name) {
            return Err(format!("{name}: a device name"));
        }
        if name.encode_utf16().count() > 255 {
            return Err(format!("{name}: longer than 255"));
        }
        Ok(())
    }

    #[test]
    fn branch_file_names_are_valid_and_distinct_on_windows() {
        let long = "很长的支部名称".repeat(40);
        let names = [
            "第一党支部",
            "机关第二党支部",
            "档案室抽查支部",
            "CON",
            "con",
            "Aux",
            "nul.支部",
            "COM1",
            "lpt9",
            "COM0",
            "甲:支部",
            "甲?支部",
            "甲_支部",
            "支部.",
            "支部 ",
            " .",
            "index",
            "Summary",
            "Party",
            "party",
            "a\u{202e}b",
            &long,
            "",
            "第一党支部（本部）",
        ];
        let mut seen = std::collections::HashMap::new();
        for n in names {
            let stem = file_stem(n);
            for file in [
                format!("{stem}.xlsx"),
                format!("{stem}.html"),
                format!("{stem}卷内目录.xlsx"),
            ] {
                valid_on_windows(&file).unwrap_or_else(|e| panic!("{n:?} → {e}"));
            }
            // Distinct where Windows does not tell capitals from small letters.
            if let Some(other) = seen.insert(stem.to_lowercase(), n) {
                panic!("{n:?} and {other:?} share the file name {stem} on Windows");
            }
        }
        // Kept as they are: the names branches really have.
        assert_eq!(file_stem("第一党支部"), "第一党支部");
        assert_eq!(file_stem("party"), "party");
        assert!(
            file_stem("CON").starts_with("_CON-"),
            "{}",
            file_stem("CON")
        );
        assert!(file_stem("COM0").starts_with("COM0-"), "capitals: hashed");
        assert!(
            windows_reserved("CON.xlsx")
                && windows_reserved("lpt1")
                && !windows_reserved("CONTACT")
        );
    }
}
