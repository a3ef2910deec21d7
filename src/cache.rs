//! The result cache: what the last run read from each file — its inspection and, where it was
//! computed, its content hash; for a document with text, what the content rules read in it
//! (`content::stored`, a second table by the same keys) — so that a re-audit of an unchanged
//! archive reads directories, not files. One cache file per archive (and shard) and table,
//! beside the OCR text cache
//! (`content/cache.rs`) under one folder: `--cache-dir`, by default the user's cache
//! folder ([`default_dir`]), never inside the archive.
//!
//! A file's entry is keyed by its path in the archive, its size and its [`FileEntry::stamp`]
//! (modification and status-change time, inode; none for a file changed in the seconds before
//! the walk): any change to one of them reads the file again. Its known limit: where the file
//! system keeps no status-change time (Windows), a file rewritten in place with its size and
//! modification time put back (`touch -r`) keeps its old entry — `--verify-cache` hashes every
//! file and takes an entry only when the content hash it recorded still matches. The cache
//! file records the binary it was written by: another build's (or a damaged or foreign file)
//! is ignored and written anew, never read. It is written to a temporary file and renamed, so
//! runs sharing one folder never see half a cache.
//!
//! Layout (little-endian): `MAGIC`, the build (16 bytes), the entry count (u32), the index —
//! a (key u128, offset u32, length u32) record an entry, sorted by key, for a binary search
//! in place — then the entries' bytes. Nothing is decoded but the entries looked up.

use std::fs;
use std::path::{Path, PathBuf};

use crate::inspect::{ContentHash as Hash, Inspection};
use crate::walk::FileEntry;

const MAGIC: &[u8; 16] = b"dangan-results1\n";
const BOOK_MAGIC: &[u8; 16] = b"dangan-tape 1\n\0\0";
/// A tape's header: magic, build, the workbook's key and its content hash.
const BOOK_HEADER: usize = 16 * 4;
const RECORD: usize = 24;
const HEADER: usize = MAGIC.len() + 16 + 4;

/// The folder a user's caches go in: `$XDG_CACHE_HOME/dangan`, else `~/.cache/dangan`
/// (`%LOCALAPPDATA%\dangan` on Windows).
pub fn default_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("dangan"));
    }
    var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".cache")))
        .map(|d| d.join("dangan"))
}

/// Why a cache folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error(
        "缓存目录 {0} 在档案目录之内：dangan 不在档案中写入任何文件，请用 --cache-dir 指定别处"
    )]
    InsideArchive(String),
    #[error("无法创建缓存目录 {0}：{1}")]
    Create(String, std::io::Error),
}

/// `dir` made absolute, after checking that it is not inside the archive (also through
/// symbolic links) and creating it with `sub`.
pub fn prepare(dir: &Path, archive: &Path, sub: &Path) -> Result<PathBuf, CacheError> {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (d, a) = (abs(dir), abs(archive));
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    if d.starts_with(&a) || canon(&d).starts_with(canon(&a)) {
        return Err(CacheError::InsideArchive(dir.display().to_string()));
    }
    fs::create_dir_all(d.join(sub))
        .map_err(|e| CacheError::Create(dir.display().to_string(), e))?;
    Ok(d)
}

/// Write `bytes` to `path` through a temporary file in the same folder, renamed into place.
/// A cache that cannot be written is no error: the next run reads again.
pub fn write_atomic(path: &Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if let Ok(mut tmp) = tempfile::NamedTempFile::new_in(dir)
        && std::io::Write::write_all(&mut tmp, bytes).is_ok()
    {
        let _ = tmp.persist(path);
    }
}

/// The cache of one archive (or shard): the last run's entries, read at once, and where this
/// run's go.
#[derive(Debug)]
pub struct Results {
    /// The files' inspections.
    files: Table,
    /// The documents' readings (`content::stored`), by the same keys: a table of its own,
    /// written once the documents are read, so that the files' table is written while little
    /// else is held.
    readings: Table,
    /// The workbooks' tapes, a file each.
    books: PathBuf,
    build: [u8; 16],
    /// Take an entry only when the file's content hash still matches the one it recorded.
    pub verify: bool,
}

/// One cache file: its entries by key.
#[derive(Debug)]
struct Table {
    path: PathBuf,
    /// The last run's file, checked; empty when there was none (or it was refused).
    old: Vec<u8>,
    count: usize,
}

impl Table {
    fn new(path: PathBuf) -> Table {
        Table {
            path,
            old: Vec::new(),
            count: 0,
        }
    }

    /// Keep the last run's file if it is whole and this build's; else a line saying why not
    /// (nothing for another build's: a new version simply reads everything once).
    fn take(&mut self, bytes: Vec<u8>, build: &[u8; 16]) -> Option<String> {
        let damaged = || {
            Some(format!(
                "注意：缓存文件 {} 已损坏或不是 dangan 的缓存，已忽略（本次重新读取所有文件）",
                self.path.display()
            ))
        };
        if bytes.len() < HEADER || &bytes[..MAGIC.len()] != MAGIC {
            return damaged();
        }
        if bytes[MAGIC.len()..MAGIC.len() + 16] != build[..] {
            return None;
        }
        let count = u32::from_le_bytes(bytes[HEADER - 4..HEADER].try_into().ok()?) as usize;
        let payload_at = count
            .checked_mul(RECORD)
            .and_then(|n| n.checked_add(HEADER));
        match payload_at {
            Some(at) if at <= bytes.len() => {
                self.count = count;
                self.old = bytes;
                None
            }
            _ => damaged(),
        }
    }

    /// Read the last run's file, if there is one.
    fn load(&mut self, build: &[u8; 16]) -> Option<String> {
        fs::read(&self.path).ok().and_then(|b| self.take(b, build))
    }

    fn get(&self, key: u128) -> Option<&[u8]> {
        if self.old.is_empty() {
            return None;
        }
        let record = |i: usize| &self.old[HEADER + i * RECORD..HEADER + (i + 1) * RECORD];
        let key_of = |r: &[u8]| u128::from_le_bytes(r[..16].try_into().unwrap_or_default());
        let (mut lo, mut hi) = (0, self.count);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match key_of(record(mid)).cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let r = record(mid);
                    let at = u32::from_le_bytes(r[16..20].try_into().ok()?) as usize;
                    let len = u32::from_le_bytes(r[20..24].try_into().ok()?) as usize;
                    let start = HEADER + self.count * RECORD + at;
                    return self.old.get(start..start.checked_add(len)?);
                }
            }
        }
        None
    }

    /// Replace the file with this run's entries.
    fn save(&self, entries: Entries, build: &[u8; 16]) {
        let Entries { mut index, bytes } = entries;
        index.sort_unstable_by_key(|r| r.0);
        index.dedup_by_key(|r| r.0);
        let mut out = Vec::with_capacity(HEADER + index.len() * RECORD + bytes.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(build);
        out.extend_from_slice(&(index.len() as u32).to_le_bytes());
        for (key, at, len) in &index {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&at.to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
        }
        out.extend_from_slice(&bytes);
        write_atomic(&self.path, &out);
    }
}

impl Results {
    /// The cache of the archive at `root` (`tag`: the shard, or "") in the folder `dir`. The
    /// second value is a line to tell the user: the last cache file was damaged or foreign.
    pub fn open(
        dir: &Path,
        root: &Path,
        tag: &str,
    ) -> Result<(Results, Option<String>), CacheError> {
        let real = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let name = xxhash_rust::xxh3::xxh3_128(format!("{}\0{tag}", real.display()).as_bytes());
        let here = Path::new("results").join(format!("{name:032x}"));
        let dir = prepare(dir, root, &here.join("books"))?.join(here);
        let mut results = Results {
            build: build_id(),
            files: Table::new(dir.join("files.bin")),
            readings: Table::new(dir.join("readings.bin")),
            books: dir.join("books"),
            verify: false,
        };
        let note = results.files.load(&results.build);
        let also = results.readings.load(&results.build);
        Ok((results, note.or(also)))
    }

    /// The entries the last run left.
    pub fn len(&self) -> usize {
        self.files.count
    }

    pub fn is_empty(&self) -> bool {
        self.files.count == 0
    }

    /// The last run's entry for a file in this state, if any.
    pub fn get(&self, key: u128) -> Option<&[u8]> {
        self.files.get(key)
    }

    /// A file's inspection (with its content hash, if recorded) from the last run, if the
    /// file is unchanged (with [`Results::verify`], if its content still hashes to the recorded
    /// hash). Else the content hash if one was computed to verify it.
    pub fn inspection(&self, file: &FileEntry, path: &Path) -> Result<Inspection, Option<Hash>> {
        self.inspection_and_beside(file, path).map(|(insp, _)| insp)
    }

    /// [`Results::inspection`], and what the last run kept beside it (a document's reading,
    /// `content::stored`; empty when nothing) — on the same terms: the file unchanged, and
    /// with [`Results::verify`] its content too.
    pub fn inspection_and_beside(
        &self,
        file: &FileEntry,
        path: &Path,
    ) -> Result<(Inspection, &[u8]), Option<Hash>> {
        let key = key(file);
        let stored = key
            .and_then(|k| self.files.get(k))
            .and_then(crate::inspect::stored::decode);
        let beside = || key.and_then(|k| self.readings.get(k)).unwrap_or_default();
        if !self.verify {
            return stored.map(|insp| (insp, beside())).ok_or(None);
        }
        let now = crate::inspect::content_hash(path, file.size)
            .ok()
            .and_then(Hash::new);
        match stored {
            Some(insp) if insp.hash.is_some() && insp.hash == now => Ok((insp, beside())),
            _ => Err(now),
        }
    }

    /// Let go of the last run's entries once everything has been looked up in them (they
    /// take tens of megabytes at 100,000 dossiers); [`Results::len`] still counts them.
    pub fn release(&mut self) {
        self.files.old = Vec::new();
        self.readings.old = Vec::new();
    }

    /// The tape of an unchanged workbook (see `ledger::tape`), if the last run recorded one:
    /// this build's, for the file in this state (with [`Results::verify`], with this content).
    pub fn book(&self, file: &FileEntry, path: &Path) -> Option<Vec<u8>> {
        let key = key(file)?;
        let mut bytes = fs::read(self.book_path(file)).ok()?;
        let head = bytes.get(..BOOK_HEADER)?;
        let fits = &head[..16] == BOOK_MAGIC
            && head[16..32] == self.build
            && head[32..48] == key.to_le_bytes()
            && (!self.verify
                || crate::inspect::content_hash(path, file.size).ok()
                    == Some(u128::from_le_bytes(head[48..64].try_into().ok()?)));
        fits.then(|| bytes.split_off(BOOK_HEADER))
    }

    /// Keep a workbook's tape (one file a workbook: a changed workbook's replaces the last).
    pub fn keep_book(&self, file: &FileEntry, path: &Path, tape: &[u8]) {
        let Some(key) = key(file) else { return };
        let Ok(hash) = crate::inspect::content_hash(path, file.size) else {
            return;
        };
        let mut out = Vec::with_capacity(BOOK_HEADER + tape.len());
        out.extend_from_slice(BOOK_MAGIC);
        out.extend_from_slice(&self.build);
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&hash.to_le_bytes());
        out.extend_from_slice(tape);
        write_atomic(&self.book_path(file), &out);
    }

    fn book_path(&self, file: &FileEntry) -> PathBuf {
        let name = xxhash_rust::xxh3::xxh3_128(file.rel.as_bytes());
        self.books.join(format!("{name:032x}.bin"))
    }

    /// Replace the cache file with this run's entries.
    pub fn save(&self, entries: Entries) {
        self.files.save(entries, &self.build);
    }

    /// Replace the documents' readings with this run's.
    pub fn save_readings(&self, entries: Entries) {
        self.readings.save(entries, &self.build);
    }
}

/// This run's entries, as they are encoded: one buffer, no allocation an entry.
#[derive(Debug, Default)]
pub struct Entries {
    index: Vec<(u128, u32, u32)>,
    bytes: Vec<u8>,
}

impl Entries {
    /// Add an entry: `encode` writes its bytes at the end of the buffer. Past 4 GiB of entries
    /// (far beyond any archive) the rest are left out.
    pub fn push(&mut self, key: u128, encode: impl FnOnce(&mut Vec<u8>)) {
        let at = self.bytes.len();
        encode(&mut self.bytes);
        match (u32::try_from(at), u32::try_from(self.bytes.len() - at)) {
            (Ok(at), Ok(len)) => self.index.push((key, at, len)),
            _ => self.bytes.truncate(at),
        }
    }
}

/// A file's key in the cache: its path, size and stamp; None for a file without a stamp.
pub fn key(file: &FileEntry) -> Option<u128> {
    if file.stamp == 0 {
        return None;
    }
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(file.rel.as_bytes());
    h.update(&[0]);
    h.update(&file.size.to_le_bytes());
    h.update(&file.stamp.to_le_bytes());
    Some(h.digest128())
}

/// A file's modification time in nanoseconds since 1970 (0 when unknown).
pub fn modified_ns(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// The running binary: its version, size and modification time. A rebuilt dangan (whose
/// inspection may read files differently) does not take an older one's entries.
fn build_id() -> [u8; 16] {
    build_id_of(std::env::current_exe().and_then(fs::metadata).ok().as_ref())
}

/// The id of a dangan binary with this metadata (of this version).
fn build_id_of(exe: Option<&fs::Metadata>) -> [u8; 16] {
    let exe = exe
        .map(|m| format!("{}\0{}", m.len(), modified_ns(m)))
        .unwrap_or_default();
    let id = format!("{}\0{exe}", env!("CARGO_PKG_VERSION"));
    xxhash_rust::xxh3::xxh3_128(id.as_bytes()).to_le_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(items: &[(u128, &[u8])]) -> Entries {
        let mut e = Entries::default();
        for (k, b) in items {
            e.push(*k, |out| out.extend_from_slice(b));
        }
        e
    }

    #[test]
    fn entries_round_trip_and_damage_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        fs::create_dir_all(&archive).unwrap();
        let inside = Results::open(&archive.join("c"), &archive, "");
        assert!(matches!(inside, Err(CacheError::InsideArchive(_))));
        let cache = dir.path().join("cache");
        let (r, note) = Results::open(&cache, &archive, "").unwrap();
        assert!(r.is_empty() && note.is_none());
        r.save(entries(&[
            (9, b"nine"),
            (3, b""),
            (5, b"five"),
            (u128::MAX, b"max"),
        ]));
        let (r, note) = Results::open(&cache, &archive, "").unwrap();
        assert_eq!((r.len(), note), (4, None));
        assert!(!r.is_empty());
        assert_eq!(r.get(5), Some(&b"five"[..]));
        assert_eq!(r.get(9), Some(&b"nine"[..]));
        assert_eq!(r.get(3), Some(&b""[..]));
        assert_eq!(r.get(u128::MAX), Some(&b"max"[..]));
        assert_eq!(r.get(4), None);
        assert_eq!(r.get(0), None);
        // Another shard of the same archive has a cache of its own.
        let (other, _) = Results::open(&cache, &archive, "1/2").unwrap();
        assert!(other.is_empty());
        // Damaged: cut inside the index, or not a cache at all.
        let bytes = fs::read(&r.files.path).unwrap();
        for bad in [&bytes[..HEADER + RECORD], &b"PK\x03\x04 not ours"[..]] {
            fs::write(&r.files.path, bad).unwrap();
            let (r, note) = Results::open(&cache, &archive, "").unwrap();
            assert!(r.is_empty());
            assert!(note.unwrap().contains("已损坏"));
        }
        // Another build's: ignored without a word.
        let mut foreign = bytes.clone();
        foreign[MAGIC.len()] ^= 1;
        fs::write(&r.files.path, &foreign).unwrap();
        let (r, note) = Results::open(&cache, &archive, "").unwrap();
        assert!(r.is_empty() && note.is_none());
        // An entry's bytes cut off: that entry is gone, not read past the end.
        fs::write(&r.files.path, &bytes[..bytes.len() - 1]).unwrap();
        let (r, _) = Results::open(&cache, &archive, "").unwrap();
        assert_eq!(r.get(u128::MAX), None);
        assert_eq!(r.get(5), Some(&b"five"[..]));
        // A run that cached nothing leaves a header alone: whole, not damaged; one byte less
        // is.
        r.save(entries(&[]));
        let none = fs::read(&r.files.path).unwrap();
        assert_eq!(none.len(), HEADER);
        let (r, note) = Results::open(&cache, &archive, "").unwrap();
        assert!(r.is_empty() && note.is_none(), "{note:?}");
        fs::write(&r.files.path, &none[..HEADER - 1]).unwrap();
        let (_, note) = Results::open(&cache, &archive, "").unwrap();
        assert!(note.is_some_and(|n| n.contains("已损坏")));
    }

    #[test]
    fn verifying_takes_an_entry_only_when_its_content_hash_still_matches() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        fs::create_dir_all(&archive).unwrap();
        let path = archive.join("a.pdf");
        fs::write(&path, b"%PDF-1.4 now").unwrap();
        let hash = Hash::new(crate::inspect::content_hash(&path, 12).unwrap()).unwrap();
        let other = Hash::new(hash.get() ^ 1).unwrap();
        let mut file = FileEntry::new("a.pdf".into(), 12, None);
        file.stamp = 42;
        let insp = |hash: Option<Hash>| Inspection {
            pages: Some(3),
            hash,
            ..Inspection::of(crate::inspect::FileFormat::Pdf)
        };
        let cache = dir.path().join("cache");
        let save = |h: Option<Hash>| {
            let (r, _) = Results::open(&cache, &archive, "").unwrap();
            let mut e = Entries::default();
            e.push(key(&file).unwrap(), |out| {
                crate::inspect::stored::encode(&insp(h), out)
            });
            r.save(e);
            Results::open(&cache, &archive, "").unwrap().0
        };
        // The recorded content, the file as it was: taken, with or without verifying.
        let mut r = save(Some(hash));
        assert_eq!(r.inspection(&file, &path), Ok(insp(Some(hash))));
        r.verify = true;
        assert_eq!(r.inspection(&file, &path), Ok(insp(Some(hash))));
        // Recorded from other content (a replacement the stamp could not see): taken without
        // verifying — the known limit — and refused with, the new hash handed back.
        let mut r = save(Some(other));
        assert_eq!(r.inspection(&file, &path), Ok(insp(Some(other))));
        r.verify = true;
        assert_eq!(r.inspection(&file, &path), Err(Some(hash)));
        // No hash recorded: nothing to verify against.
        let mut r = save(None);
        r.verify = true;
        assert_eq!(r.inspection(&file, &path), Err(Some(hash)));
        // Another stamp: not this file's entry.
        file.stamp = 43;
        r.verify = false;
        assert_eq!(r.inspection(&file, &path), Err(None));
    }

    #[test]
    fn a_workbooks_tape_is_its_own_while_unchanged_and_verified_by_content() {
        let dir = tempfile::tempdir().unwrap();
        let archive = dir.path().join("archive");
        fs::create_dir_all(&archive).unwrap();
        let path = archive.join("台账.xlsx");
        fs::write(&path, b"PK first").unwrap();
        let mut file = FileEntry::new("台账.xlsx".into(), 8, None);
        file.stamp = 5;
        let (mut r, _) = Results::open(&dir.path().join("cache"), &archive, "").unwrap();
        assert_eq!(r.book(&file, &path), None);
        r.keep_book(&file, &path, b"tape");
        assert_eq!(r.book(&file, &path).as_deref(), Some(&b"tape"[..]));
        // Another state of the file (its stamp): not its tape.
        let mut other = file.clone();
        other.stamp = 6;
        assert_eq!(r.book(&other, &path), None);
        // The same size and stamp, other bytes (what the stamp cannot see): taken without
        // verifying, refused with.
        fs::write(&path, b"PK other").unwrap();
        assert_eq!(r.book(&file, &path).as_deref(), Some(&b"tape"[..]));
        r.verify = true;
        assert_eq!(r.book(&file, &path), None);
        // A file without a stamp keeps no tape.
        file.stamp = 0;
        r.keep_book(&file, &path, b"never");
        assert_eq!(r.book(&file, &path), None);
        // A damaged tape file (cut in its header) is no tape.
        file.stamp = 5;
        r.verify = false;
        fs::write(r.book_path(&file), b"dangan-tape").unwrap();
        assert_eq!(r.book(&file, &path), None);
    }

    #[test]
    fn a_rebuilt_binary_is_another_build() {
        // Modification times read to the nanosecond; the build's id changes with the
        // binary's size or time, and the running binary's id is its own.
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::write(&a, b"dangan").unwrap();
        fs::write(&b, b"dangan").unwrap();
        let at = |s: u64, ns: u32| {
            std::time::UNIX_EPOCH + std::time::Duration::new(1_700_000_000 + s, ns)
        };
        fs::File::options()
            .write(true)
            .open(&a)
            .unwrap()
            .set_modified(at(0, 5))
            .unwrap();
        fs::File::options()
            .write(true)
            .open(&b)
            .unwrap()
            .set_modified(at(1, 5))
            .unwrap();
        let (ma, mb) = (fs::metadata(&a).unwrap(), fs::metadata(&b).unwrap());
        assert_eq!(modified_ns(&ma), 1_700_000_000 * 1_000_000_000 + 5);
        assert_ne!(build_id_of(Some(&ma)), build_id_of(Some(&mb)));
        fs::write(&b, b"dangan, rebuilt").unwrap();
        fs::File::options()
            .write(true)
            .open(&b)
            .unwrap()
            .set_modified(at(0, 5))
            .unwrap();
        let mb = fs::metadata(&b).unwrap();
        assert_ne!(build_id_of(Some(&ma)), build_id_of(Some(&mb)), "size");
        let me = std::env::current_exe().and_then(fs::metadata).unwrap();
        assert_eq!(build_id(), build_id_of(Some(&me)));
    }

    #[test]
    fn a_file_without_a_stamp_has_no_key() {
        let mut f = FileEntry::new("支部/张三/自传.pdf".into(), 10, None);
        assert_eq!(key(&f), None);
        f.stamp = 7;
        let k = key(&f);
        assert!(k.is_some());
        f.size = 11;
        assert_ne!(key(&f), k);
        f.size = 10;
        f.stamp = 8;
        assert_ne!(key(&f), k);
    }
}
