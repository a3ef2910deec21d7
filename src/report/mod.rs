//! Printers over `&[Finding]` (and the rule set as text). A printer never decides what is a
//! defect.

pub mod dir;
pub mod github;
pub mod handover;
pub mod html;
pub mod human;
pub mod json;
mod print;
pub(crate) use print::Print;
pub mod junit;
pub mod rules;
pub mod sarif;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write a report file under a temporary name beside the target, then rename it: an
/// interrupted run leaves no half-written report under the real name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] for a report produced piece by piece.
///
/// The temporary file has an unpredictable name and is created exclusively in the target's
/// folder (never through a link planted there), and is removed on every error. A target that
/// is a FIFO or a device (`-o /dev/stdout`) is written into, not replaced; a symbolic link is
/// followed to the file it names (which is replaced, the link kept); a dangling link is
/// refused.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let target = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("{} 是指向不存在位置的链接", path.display()),
            )
        })?,
        _ => path.to_path_buf(),
    };
    if let Ok(m) = std::fs::metadata(&target)
        && !m.is_file()
    {
        if m.is_dir() {
            return Err(std::io::Error::other(format!(
                "{} 是文件夹",
                target.display()
            )));
        }
        // A FIFO, a device or a socket: write into it.
        let f = std::fs::OpenOptions::new().write(true).open(&target)?;
        let mut w = std::io::BufWriter::new(f);
        produce(&mut w)?;
        return w.flush();
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".dangan-tmp");
    // A report is an ordinary file (readable by others as the umask allows), not the
    // owner-only file a temporary file is created as.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let tmp = builder.tempfile_in(dir)?;
    in_progress(tmp.path(), true);
    let tmp_path = tmp.path().to_path_buf();
    let mut w = std::io::BufWriter::new(tmp);
    let result = produce(&mut w)
        .and_then(|()| w.flush())
        .and_then(|()| w.into_inner().map_err(|e| e.into_error()))
        // Dropped on an error, the temporary file is removed.
        .and_then(|tmp| tmp.persist(&target).map(drop).map_err(|e| e.error));
    in_progress(&tmp_path, false);
    result
}

/// Temporary report files being written right now, removed if the run is interrupted.
static IN_PROGRESS: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn in_progress(tmp: &Path, writing: bool) {
    if let Ok(mut v) = IN_PROGRESS.lock() {
        if writing {
            v.push(tmp.to_path_buf());
        } else {
            v.retain(|p| p != tmp);
        }
    }
}

/// On Ctrl-C (or SIGTERM): remove the temporary files of reports being written, then exit
/// with 130. The real report names are only ever created by a rename of a finished file.
pub fn clean_up_on_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if let Ok(v) = IN_PROGRESS.lock() {
            for p in v.iter() {
                let _ = std::fs::remove_file(p);
            }
        }
        crate::say!("已中断：未写完的报告已删除");
        std::process::exit(130);
    });
}
