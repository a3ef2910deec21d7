//! Text normalisation shared by the classifier, the header matcher and the joiner.
//!
//! Everything a person types (folder names, header cells, names in the ledger) passes through
//! [`normalize`] before it is compared, so that full-width characters, stray spaces and the
//! 时间/日期 variants of a header do not decide whether two things are the same.

use std::borrow::Cow;
use std::ffi::OsStr;

use unicode_normalization::UnicodeNormalization;

/// NFKC (full-width → half-width), with all white space removed.
///
/// The middle dot of minority names (阿依古丽·买买提) is kept; the variants people type for it
/// (・ ･ • ‧) are folded into `·` so that the same name typed twice compares equal.
pub fn normalize(s: &str) -> String {
    // ASCII is already in NFKC: only the white space goes.
    if s.is_ascii() {
        return s.chars().filter(|c| !c.is_whitespace()).collect();
    }
    // Most text (names, dates like 2021年3月5日 or 2005.09—2009.07) is already in NFKC: a
    // quick check spares the decomposition and recomposition — first the cheapest (ASCII and
    // the CJK Unified Ideographs, which have no decompositions), then the tables'.
    if s.chars().all(unchanged_by_normalize)
        || unicode_normalization::is_nfkc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        fold(s.chars(), s.len())
    } else {
        fold(s.nfkc(), s.len())
    }
}

/// Whether [`normalize`] leaves a character that is not white space as it is, known without
/// its tables: ASCII and the CJK Unified Ideographs, which have no decompositions (a
/// zero-width space or a Kangxi radical, ⼩ for 小, it changes).
pub fn unchanged_by_normalize(c: char) -> bool {
    c.is_ascii() || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A person's name as written, for showing: [`normalize`], with the separators people type
/// for the middle dot of a minority name between two ideographs (． . 丶, beside ・ • ‧ which
/// [`normalize`] folds) written as `·`; spaces go, as [`normalize`] drops them.
///
/// ```
/// use dangan::text::normalize_name;
/// for typed in ["阿依古丽·买买提", "阿依古丽．买买提", "阿依古丽.买买提", "阿依古丽丶买买提",
///               "阿依古丽・买买提", "阿依古丽‧买买提"] {
///     assert_eq!(normalize_name(typed), "阿依古丽·买买提", "{typed}");
/// }
/// assert_eq!(normalize_name("李  四"), "李四");
/// ```
pub fn normalize_name(s: &str) -> String {
    // Most names have no separator to mark: normalised as they are.
    if !s.contains(['.', '．', '丶']) {
        return normalize(s);
    }
    let ideograph = |c: char| ('\u{3400}'..='\u{9fff}').contains(&c) && c != '丶';
    let chars: Vec<char> = s.chars().collect();
    let mut marked = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let between =
            i > 0 && ideograph(chars[i - 1]) && chars.get(i + 1).copied().is_some_and(ideograph);
        if between && matches!(c, '.' | '．' | '丶') {
            marked.push('·');
        } else {
            marked.push(c);
        }
    }
    normalize(&marked)
}

/// A person's name for comparing: [`normalize_name`] without the middle dot, so that
/// 阿依古丽．买买提 in a folder, 阿依古丽 买买提 typed with a space and 阿依古丽·买买提 in the
/// ledger are one person.
///
/// ```
/// use dangan::text::name_key;
/// for typed in ["阿依古丽·买买提", "阿依古丽．买买提", "阿依古丽 买买提", "阿依古丽丶买买提"] {
///     assert_eq!(name_key(typed), "阿依古丽买买提", "{typed}");
/// }
/// assert_eq!(name_key("李 四"), name_key("李四"));
/// assert_ne!(name_key("李四"), name_key("李五"));
/// ```
pub fn name_key(s: &str) -> String {
    let n = normalize_name(s);
    if n.contains('·') {
        n.replace('·', "")
    } else {
        n
    }
}

fn fold(chars: impl Iterator<Item = char>, len: usize) -> String {
    let mut out = String::with_capacity(len);
    for c in chars {
        match c {
            c if c.is_whitespace() => {}
            '\u{200b}' | '\u{feff}' => {}
            '・' | '･' | '•' | '‧' | '∙' | '⋅' => out.push('·'),
            c => out.push(c),
        }
    }
    out
}

/// Normalise a column header: [`normalize`], lower-case, `日期` read as `时间`, and any
/// parenthesised hint (`出生年月（年.月）`) or required-marker (`*`) dropped.
pub fn normalize_header(s: &str) -> String {
    let n = normalize(s).to_lowercase();
    let mut out = String::with_capacity(n.len());
    let mut depth = 0usize;
    for c in n.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            '*' | ':' => {}
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.replace("日期", "时间")
}

/// A file or folder name as text, whichever encoding it arrived in.
///
/// Archives zipped on Windows carry GBK bytes; those are decoded without replacement. A name
/// that is neither UTF-8 nor GBK is shown lossily (the second value is then `false`).
pub fn decode_name(name: &OsStr) -> (Cow<'_, str>, bool) {
    if let Some(s) = name.to_str() {
        return (Cow::Borrowed(s), true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        if let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(bytes)
        {
            return (Cow::Owned(s.into_owned()), true);
        }
    }
    (name.to_string_lossy(), false)
}

/// Replace `{key}` in a message template with its value; unknown keys are left as they are.
pub fn render(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let key = &after[..close];
                match vars.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The A1 name of a zero-based (row, column) cell.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col as u64 + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    letters.reverse();
    let mut s = String::from_utf8(letters).unwrap_or_default();
    s.push_str(&(row as u64 + 1).to_string());
    s
}

/// Whether a character would act on a terminal or a CI log instead of showing: control
/// characters (line breaks, escape, bell …) and the bidirectional formatting characters
/// (U+202E and the like reverse how a name reads).
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// Text from the archive (a file name, a cell, a waiver's reason) made safe to print: every
/// character that would act instead of show is written as an escape (`\n`, `\u{1b}`), so a
/// name cannot start a line of its own, move the cursor or pose as a CI command.
///
/// ```
/// use dangan::text::visible;
/// assert_eq!(visible("张三"), "张三");
/// assert_eq!(visible("a\n::error::x"), "a\\n::error::x");
/// assert_eq!(visible("\u{1b}]0;title\u{7}"), "\\u{1b}]0;title\\u{7}");
/// assert_eq!(visible("abc\u{202E}gpj.exe"), "abc\\u{202e}gpj.exe");
/// ```
pub fn visible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(acts) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick path (text already in NFKC) gives what full NFKC gives, for every character
    /// of the Basic Multilingual Plane between other text.
    #[test]
    fn quick_path_agrees_with_full_nfkc() {
        for c in (0u32..0x1_0000).filter_map(char::from_u32) {
            for s in [format!("张{c}三"), format!("{c}"), format!("2021{c}03")] {
                assert_eq!(normalize(&s), fold(s.nfkc(), s.len()), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn normalizes_full_width_and_spaces() {
        assert_eq!(normalize(" 张　三 "), "张三");
        assert_eq!(normalize("２０２１．０３"), "2021.03");
        assert_eq!(normalize("阿依古丽・买买提"), "阿依古丽·买买提");
    }

    #[test]
    fn header_variants() {
        assert_eq!(normalize_header("申请入党日期"), "申请入党时间");
        assert_eq!(normalize_header("出生年月（年.月）"), "出生年月");
        assert_eq!(normalize_header("* 姓 名"), "姓名");
    }

    #[test]
    fn decodes_gbk() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let (bytes, _, _) = encoding_rs::GBK.encode("入党申请书.pdf");
            let (s, ok) = decode_name(OsStr::from_bytes(&bytes));
            assert!(ok);
            assert_eq!(s, "入党申请书.pdf");
            let (_, ok) = decode_name(OsStr::from_bytes(&[0xff, 0xff, 0x41]));
            assert!(!ok);
        }
    }

    #[test]
    fn renders_templates() {
        assert_eq!(
            render(
                "缺少{doc}（{stage}）{x}",
                &[("doc", "自传"), ("stage", "发展对象")]
            ),
            "缺少自传（发展对象）{x}"
        );
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 25), "Z5");
        assert_eq!(cell_name(9, 26), "AA10");
    }
}
