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
