//! Printers over `&[Finding]`. A printer never decides what is a defect.

pub mod dir;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write a report file under a temporary name beside the target, then rename it: an
/// interrupted run leaves no half-written report under the real name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// [`write_atomic`] for a report produced piece by piece.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".dangan-tmp");
    let tmp = PathBuf::from(tmp);
    in_progress(&tmp, true);
    let result = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        produce(&mut w)?;
        w.flush()
    });
    let result = match result {
        Ok(()) => std::fs::rename(&tmp, path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    };
    in_progress(&tmp, false);
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
        eprintln!("已中断：未写完的报告已删除");
        std::process::exit(130);
    });
}
