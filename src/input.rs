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

/// Read `path` whole if it is at most `max` bytes; the error says why not, in Chinese.
pub fn read(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| crate::walk::describe_io(&e))?;
    let meta = file.metadata().map_err(|e| crate::walk::describe_io(&e))?;
    if meta.is_dir() {
        return Err("这是一个文件夹，不是文件".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() || t.is_socket() {
            return Err("这是设备文件，不是普通文件".into());
        }
    }
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::walk::describe_io(&e))?;
    if bytes.len() as u64 > max {
        return Err(format!("文件超过 {} MiB 的上限", max >> 20));
    }
    Ok(bytes)
}

/// [`read`] as text (UTF-8).
pub fn read_text(path: &Path, max: u64) -> Result<String, String> {
    String::from_utf8(read(path, max)?).map_err(|_| "文件不是 UTF-8 编码的文本".to_string())
}

/// A rule or waiver file: at most [`MAX_YAML`] bytes, of a shape [`check_yaml`] accepts.
pub fn read_yaml(path: &Path) -> Result<String, String> {
    let text = read_text(path, MAX_YAML)?;
    check_yaml(&text)?;
    Ok(text)
}

/// The deepest nesting a rule or waiver file may have (a real one has about ten levels).
pub const MAX_YAML_DEPTH: usize = 64;
/// The most bytes a rule or waiver file's aliases (`*name`) may repeat in all.
pub const MAX_YAML_EXPANSION: u64 = 64 << 20;

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
pub fn check_yaml(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let mut flow = 0usize;
    // Anchors: name → the bytes its node may span (to the end of its line when the value is
    // there, else to the end of the file: an upper bound).
    let mut anchors: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut expansion = 0u64;
    let mut line_start = true;
    let mut i = 0usize;
    let name_end = |from: usize| {
        let mut j = from;
        while j < b.len()
            && !matches!(
                b[j],
                b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
            )
        {
            j += 1;
        }
        j
    };
    while i < b.len() {
        let c = b[i];
        if line_start {
            line_start = false;
            // Block structure: indentation and item markers.
            let mut col = 0usize;
            while i + col < b.len()
                && (b[i + col] == b' '
                    || (matches!(b[i + col], b'-' | b'?') && b.get(i + col + 1) == Some(&b' ')))
            {
                col += 1;
            }
            if col / 2 > MAX_YAML_DEPTH * 2 {
                return Err(format!("嵌套层级过深（超过 {MAX_YAML_DEPTH} 层）"));
            }
            i += col;
            continue;
        }
        let after_space = i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        match c {
            b'\n' => line_start = true,
            b'#' if after_space => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if after_space || b[i - 1] == b':' => {
                let q = c;
                i += 1;
                while i < b.len() && b[i] != q {
                    if q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'[' | b'{' => {
                flow += 1;
                if flow > MAX_YAML_DEPTH {
                    return Err(format!("嵌套层级过深（超过 {MAX_YAML_DEPTH} 层）"));
                }
            }
            b']' | b'}' => flow = flow.saturating_sub(1),
            b'&' if after_space => {
                let end = name_end(i + 1);
                let eol = b[end..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |p| end + p);
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
                        return Err(format!(
                            "别名（*引用）展开后超过 {} MiB",
                            MAX_YAML_EXPANSION >> 20
                        ));
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
