//! The user's own files (rule sets, waivers, baselines, shard reports): read whole, but never
//! more than a stated size, and never from a device (`--baseline /dev/zero` would otherwise be
//! read until memory runs out). A pipe (`--baseline <(…)`) is read like a file.

use std::io::Read;
use std::path::Path;

/// Largest rule or waiver file (YAML) read.
pub const MAX_YAML: u64 = 16 << 20;
/// Largest baseline read.
pub const MAX_BASELINE: u64 = 256 << 20;
/// Largest shard report read (a shard of 100,000 dossiers is about 200 MB).
pub const MAX_SHARD: u64 = 2 << 30;

/// Why one of the user's own files was not read, in Chinese (the caller names the file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// It could not be opened or read: as the system says it.
    #[error("{0}")]
    Io(String),
    #[error("这是一个文件夹，不是文件")]
    Folder,
    #[error("这是设备文件，不是普通文件")]
    Device,
    /// Larger than the limit, in bytes.
    #[error("文件超过 {} MiB 的上限", .0 >> 20)]
    TooBig(u64),
    #[error("文件不是 UTF-8 编码的文本")]
    NotUtf8,
    /// Nested deeper than [`MAX_YAML_DEPTH`].
    #[error("嵌套层级过深（超过 {MAX_YAML_DEPTH} 层）")]
    TooDeep,
    /// Its aliases would repeat more than [`MAX_YAML_EXPANSION`] bytes.
    #[error("别名（*引用）展开后超过 {} MiB", MAX_YAML_EXPANSION >> 20)]
    TooManyAliases,
}

impl InputError {
    fn io(e: &std::io::Error) -> InputError {
        InputError::Io(crate::broken::describe_io(e))
    }
}

/// Read `path` whole if it is at most `max` bytes; the error says why not, in Chinese.
pub fn read(path: &Path, max: u64) -> Result<Vec<u8>, InputError> {
    let file = std::fs::File::open(path).map_err(|e| InputError::io(&e))?;
    let meta = file.metadata().map_err(|e| InputError::io(&e))?;
    if meta.is_dir() {
        return Err(InputError::Folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() || t.is_socket() {
            return Err(InputError::Device);
        }
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::io(&e))?;
    if bytes.len() as u64 > max {
        return Err(InputError::TooBig(max));
    }
    Ok(bytes)
}

/// [`read`] as text (UTF-8).
pub fn read_text(path: &Path, max: u64) -> Result<String, InputError> {
    String::from_utf8(read(path, max)?).map_err(|_| InputError::NotUtf8)
}

/// A rule or waiver file: at most [`MAX_YAML`] bytes, of a shape [`check_yaml`] accepts.
pub fn read_yaml(path: &Path) -> Result<String, InputError> {
    let text = read_text(path, MAX_YAML)?;
    check_yaml(&text)?;
    Ok(text)
}

/// The deepest nesting a rule or waiver file may have (a real one has about ten levels).
pub const MAX_YAML_DEPTH: usize = 64;
/// The most bytes a rule or waiver file's aliases (`*name`) may repeat in all.
pub const MAX_YAML_EXPANSION: u64 = 64 << 20;

/// `{`, `}` and `"` as bytes, named: the scanner below matches on them, and a brace or quote
/// written as a character literal throws off tools that count braces to find a function's end.
const LBRACE: u8 = 0x7B;
const RBRACE: u8 = 0x7D;
const DQUOTE: u8 = 0x22;

/// Check a YAML text's shape before it is parsed: its nesting (flow brackets, and block
/// indentation with `- ` items) and how much its aliases would repeat. The parser bounds
/// neither (300,000 levels take minutes; 120,000 aliases of one 64 KiB string take 8 GB).
/// A linear scan; anchors and aliases are told by the characters before them, quoted text
/// and comments are skipped.
///
/// ```
/// use dangan::input::check_yaml;
/// assert!(check_yaml("a: &x [1, 2]\nb: *x\n").is_ok());
/// assert!(check_yaml(&"[".repeat(100)).is_err());
/// let bomb = format!("a: &s \"{}\"\nb: [{}]\n", "x".repeat(65536), "*s, ".repeat(2000));
/// assert!(check_yaml(&bomb).is_err());
/// ```
pub fn check_yaml(text: &str) -> Result<(), InputError> {
    let b = text.as_bytes();
    let mut flow = 0usize;
    // Anchors: name → the bytes its node may span (to the end of its line when the value is
    // there, else to the end of the file: an upper bound).
    let mut anchors: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut expansion = 0u64;
    let mut line_start = true;
    let mut i = 0usize;
    let name_end = |from: usize| name_end(b, from);
    while i < b.len() {
        let c = b[i];
        if line_start {
            line_start = false;
            let col = indent(b, i);
            if col / 2 > MAX_YAML_DEPTH * 2 {
                return Err(InputError::TooDeep);
            }
            i += col;
            continue;
        }
        let after_space = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | LBRACE | b',');
        match c {
            b'\n' => line_start = true,
            b'#' if after_space => {
                i = line_end(b, i);
                continue;
            }
            DQUOTE | b'\'' if after_space || b[i - 1] == b':' => i = quote_end(b, i),
            b'[' | LBRACE => {
                flow += 1;
                if flow > MAX_YAML_DEPTH {
                    return Err(InputError::TooDeep);
                }
            }
            b']' | RBRACE => flow = flow.saturating_sub(1),
            b'&' if after_space => {
                let end = name_end(i + 1);
                let eol = line_end(b, end);
                let rest_blank = b[end..eol].iter().all(|x| x.is_ascii_whitespace());
                let span = if rest_blank { b.len() - end } else { eol - end };
                anchors.insert(&text[i + 1..end], span as u64);
                i = end;
                continue;
            }
            b'*' if after_space => {
                let end = name_end(i + 1);
                if let Some(span) = anchors.get(&text[i + 1..end]) {
                    expansion = expansion.saturating_add(*span);
                    if expansion > MAX_YAML_EXPANSION {
                        return Err(InputError::TooManyAliases);
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Where the line holding `from` ends (its newline, or the end of the text).
fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&x| x == b'\n')
        .map_or(b.len(), |p| from + p)
}

/// The closing quote of the quoted scalar opening at `at` (`"` with its `\` escapes, or
/// `'`), or the end of the text.
fn quote_end(b: &[u8], at: usize) -> usize {
    let q = b[at];
    let mut i = at + 1;
    while i < b.len() && b[i] != q {
        if q == DQUOTE && b[i] == b'\\' {
            i += 1;
        }
        i += 1;
    }
    i
}

/// Where an anchor or alias name starting at `from` ends.
fn name_end(b: &[u8], from: usize) -> usize {
    let mut j = from;
    while j < b.len()
        && !matches!(
            b[j],
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | LBRACE | RBRACE
        )
    {
        j += 1;
    }
    j
}

/// Block structure at a line's start: its indentation, item markers (`- `, `? `) counted in.
fn indent(b: &[u8], i: usize) -> usize {
    let mut col = 0usize;
    while i + col < b.len()
        && (b[i + col] == b' '
            || (matches!(b[i + col], b'-' | b'?') && b.get(i + col + 1) == Some(&b' ')))
    {
        col += 1;
    }
    col
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_says_why_in_its_own_words() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(read(dir.path(), 10), Err(InputError::Folder));
        #[cfg(unix)]
        assert_eq!(read(Path::new("/dev/null"), 10), Err(InputError::Device));
        let file = dir.path().join("rules.yaml");
        std::fs::write(&file, b"0123456789").expect("write");
        // Exactly at the limit is read; one byte past it is not.
        assert_eq!(read(&file, 10).map(|b| b.len()), Ok(10));
        assert_eq!(read(&file, 9), Err(InputError::TooBig(9)));
        assert_eq!(
            InputError::TooBig(16 << 20).to_string(),
            "文件超过 16 MiB 的上限"
        );
        std::fs::write(&file, b"a: \xff\n").expect("write");
        assert_eq!(read_text(&file, 10), Err(InputError::NotUtf8));
        let missing = dir.path().join("none.yaml");
        assert!(matches!(read(&missing, 10), Err(InputError::Io(why)) if why.contains("不存在")));
        assert_eq!(
            check_yaml(&"[".repeat(MAX_YAML_DEPTH + 1)),
            Err(InputError::TooDeep)
        );
        assert_eq!(check_yaml(&"[".repeat(MAX_YAML_DEPTH)), Ok(()));
    }
}
