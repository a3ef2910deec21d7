//! The text cache: what OCR read from a file, keyed by the file's content (its 128-bit xxh3)
//! and the engine's version and language, so that a second run over unchanged files does no
//! OCR. A stat index — the file's path, size, modification time and inode — names the content
//! hash of a file already hashed, so an unchanged file is not even read again. Its known limit:
//! a file replaced by another of the same size and time (`touch -r`) keeps the old text.
//!
//! It lives under the user's cache folder (`--cache-dir`), never inside the archive. Every
//! entry is written to a temporary file and renamed into place, so runs (shards) that share
//! one folder never see half an entry; an entry that does not parse is ignored (read again).

use std::fs;
use std::path::{Path, PathBuf};

use super::{Source, Text};
use crate::cache::{CacheError, prepare, write_atomic};

const MAGIC: &str = "dangan-text 1";

#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    /// The engine and language, hashed: a folder of entries each.
    engine: String,
}

impl Cache {
    /// The cache in `dir` for this engine. Refused inside the archive (dangan never writes
    /// there) and where the folder cannot be made.
    pub fn open(dir: &Path, archive: &Path, engine: &str) -> Result<Cache, CacheError> {
        let engine = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(engine.as_bytes()));
        let d = prepare(dir, archive, &Path::new("text").join(&engine))?;
        prepare(dir, archive, Path::new("stat"))?;
        Ok(Cache { dir: d, engine })
    }

    /// The content hash of a file: from the stat index when the file is unchanged, else read
    /// (and recorded — unless the file changed in the last seconds, when a change within the
    /// clock's step would go unseen: the result cache's rule, `walk::stamp_now`).
    pub fn content_key(&self, path: &Path) -> std::io::Result<u128> {
        let meta = fs::metadata(path)?;
        let stamp = crate::walk::stamp_now(&meta);
        let index = (stamp != 0)
            .then(|| stat_key(path, &meta, stamp))
            .transpose()?
            .map(|stat| self.dir.join("stat").join(format!("{stat:032x}")));
        if let Some(index) = &index
            && let Ok(s) = fs::read_to_string(index)
            && let Ok(k) = u128::from_str_radix(s.trim(), 16)
        {
            return Ok(k);
        }
        let key = crate::inspect::content_hash(path, meta.len())?;
        if let Some(index) = &index {
            write_atomic(index, format!("{key:032x}").as_bytes());
        }
        Ok(key)
    }

    fn entry(&self, key: u128) -> PathBuf {
        self.dir
            .join("text")
            .join(&self.engine)
            .join(format!("{key:032x}.txt"))
    }

    /// The text read before from this content, if any.
    pub fn get(&self, key: u128) -> Option<Text> {
        let s = fs::read_to_string(self.entry(key)).ok()?;
        let (head, text) = s.split_once('\n')?;
        let mut parts = head.split('\t');
        if parts.next()? != MAGIC {
            return None;
        }
        let source = Source::from_key(parts.next()?)?;
        let confidence = match parts.next()? {
            "-" => None,
            c => Some(c.parse().ok()?),
        };
        Some(Text {
            text: text.to_string(),
            source,
            confidence,
        })
    }

    /// Keep the text read from this content. A cache that cannot be written is no error: the
    /// next run reads again.
    pub fn put(&self, key: u128, text: &Text) {
        let conf = text
            .confidence
            .map_or("-".to_string(), |c| format!("{c:.2}"));
        let body = format!("{MAGIC}\t{}\t{conf}\n{}", text.source.key(), text.text);
        write_atomic(&self.entry(key), body.as_bytes());
    }
}

/// The file's identity as the file system states it: path, size, and its stamp (modification
/// and status-change time, inode).
fn stat_key(path: &Path, meta: &fs::Metadata, stamp: u64) -> std::io::Result<u128> {
    let abs = std::path::absolute(path)?;
    let id = format!("{}\0{}\0{stamp}", abs.display(), meta.len());
    Ok(xxhash_rust::xxh3::xxh3_128(id.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        fs::create_dir_all(&archive).unwrap();
        let inside = Cache::open(&archive.join("cache"), &archive, "t");
        assert!(inside.unwrap_err().to_string().contains("档案目录之内"));
        let cache =
            Cache::open(&dir.path().join("cache"), &archive, "tesseract 5 chi_sim").unwrap();
        let file = archive.join("a.jpg");
        fs::write(&file, b"one").unwrap();
        let key = cache.content_key(&file).unwrap();
        assert_eq!(cache.get(key), None);
        let text = Text {
            text: "入党申请书\n张三\n".into(),
            source: Source::Ocr,
            confidence: Some(87.5),
        };
        cache.put(key, &text);
        assert_eq!(cache.get(key), Some(text));
        // Another engine's cache does not see it.
        let other =
            Cache::open(&dir.path().join("cache"), &archive, "tesseract 4 chi_sim").unwrap();
        assert_eq!(other.get(key), None);
        // Changed content (and size): another key.
        fs::write(&file, b"other").unwrap();
        assert_ne!(cache.content_key(&file).unwrap(), key);
        // A damaged entry is no entry.
        fs::write(cache.entry(key), "garbage").unwrap();
        assert_eq!(cache.get(key), None);
        // A file written just now is hashed, never looked up or recorded by its stat: rewritten
        // in place within the clock's step (same size, perhaps the same time), its new content
        // is what counts.
        fs::write(&file, b"three").unwrap();
        let three = cache.content_key(&file).unwrap();
        fs::write(&file, b"seven").unwrap();
        let seven = cache.content_key(&file).unwrap();
        assert_ne!(three, seven);
        assert_eq!(seven, crate::inspect::content_hash(&file, 5).unwrap());
        assert_eq!(
            fs::read_dir(dir.path().join("cache/stat")).unwrap().count(),
            0
        );
    }
}
