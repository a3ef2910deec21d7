//! Walk an archive's folder tree: every folder and file, in order. Knows nothing of documents
//! and decides nothing about which folder is a branch or a dossier: that is
//! [`crate::layout`]'s job, from what the walk found. Nothing is opened here but directories.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::broken::describe_io;
use crate::text::decode_name;

/// One file, with its path relative to the archive root (`/` separators, decoded name).
///
/// Kept small: an archive holds millions of these. The name and extension are slices of
/// `rel`, and the file's real path is rebuilt from the root when the file is opened.
#[derive(Debug, Clone)]
pub struct FileEntry {
    pub rel: Box<str>,
    /// Where the file name starts in `rel`.
    name_at: u32,
    pub size: u64,
    /// The file's modification time, inode and status-change time as the walk found them,
    /// hashed: with `rel` and `size`, what the result cache (`cache.rs`) keys the file's
    /// inspection by. 0 when unknown, or when the file changed in the last seconds before the
    /// walk (a change within the clock's granularity would go unseen): such a file is never
    /// taken from the cache.
    pub stamp: u64,
    /// The path below the root as the file system spells it, when a name on it is not
    /// UTF-8 (and `rel` holds the decoded text instead). Boxed twice so that the common case
    /// costs one word, not a wide pointer's two.
    #[allow(clippy::box_collection)]
    raw: Option<Box<PathBuf>>,
}

impl FileEntry {
    pub fn new(rel: String, size: u64, raw: Option<&Path>) -> FileEntry {
        let name_at = rel.rfind('/').map_or(0, |i| i + 1);
        FileEntry {
            name_at: u32::try_from(name_at).unwrap_or(0),
            rel: rel.into_boxed_str(),
            size,
            stamp: 0,
            raw: raw.map(|p| Box::new(p.to_path_buf())),
        }
    }

    /// The decoded file name.
    pub fn name(&self) -> &str {
        self.rel.get(self.name_at as usize..).unwrap_or(&self.rel)
    }

    /// The extension as written, without the dot ("" if none).
    fn ext_raw(&self) -> &str {
        let name = self.name();
        match name.rfind('.') {
            Some(i) if i > 0 => &name[i + 1..],
            _ => "",
        }
    }

    /// Lower-case extension without the dot ("" if none).
    pub fn ext(&self) -> std::borrow::Cow<'_, str> {
        let ext = self.ext_raw();
        if ext.bytes().any(|b| b.is_ascii_uppercase()) || !ext.is_ascii() {
            std::borrow::Cow::Owned(ext.to_lowercase())
        } else {
            std::borrow::Cow::Borrowed(ext)
        }
    }

    pub fn is_spreadsheet(&self) -> bool {
        let ext = self.ext_raw();
        ["xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "tsv"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    }

    /// The file name without its extension.
    pub fn stem(&self) -> &str {
        let name = self.name();
        let ext = self.ext_raw();
        if ext.is_empty() {
            name
        } else {
            &name[..name.len() - ext.len() - 1]
        }
    }

    /// The file's path on disk.
    pub fn path(&self, root: &Path) -> PathBuf {
        match &self.raw {
            Some(raw) => root.join(raw.as_path()),
            None => root.join(&*self.rel),
        }
    }
}

impl DossierDir {
    /// The dossier of `folder` (its own name) in `branch`; `path` is the folder's path
    /// relative to the archive root when that is not `branch/folder`.
    pub fn new(branch: &str, folder: &str, path: Option<&str>) -> DossierDir {
        let rel = format!("{branch}/{folder}");
        DossierDir {
            branch_len: u32::try_from(branch.len()).unwrap_or(0),
            other_path: path.filter(|p| *p != rel).map(Box::from),
            rel: rel.into_boxed_str(),
            files: Vec::new(),
        }
    }

    /// The folder's path relative to the archive root.
    pub fn path(&self) -> &str {
        self.other_path.as_deref().unwrap_or(&self.rel)
    }

    /// The branch it is filed under.
    pub fn branch(&self) -> &str {
        self.rel.get(..self.branch_len as usize).unwrap_or_default()
    }

    /// The folder's own name (`03-张三`): the last name on `rel`.
    pub fn folder(&self) -> &str {
        self.rel.rsplit('/').next().unwrap_or_default()
    }

    /// Named by its whole path under the branch (`第一党支部/2021年/03-张三`), where its
    /// branch and own name alone name another folder too.
    pub fn named_by_path(&mut self) {
        let path = self.path().to_string();
        let rel = format!("{}/{path}", self.branch());
        self.other_path = (rel != path).then(|| path.into_boxed_str());
        self.rel = rel.into_boxed_str();
    }
}

/// A dossier's folder. Kept small: an archive has one for every person (its branch and own
/// name are read from `rel`, not held again).
#[derive(Debug, Clone)]
pub struct DossierDir {
    /// The dossier as findings, baselines and waivers name it: branch and folder
    /// (`第一党支部/03-张三`), whatever grouping folders stand between them on disk.
    pub rel: Box<str>,
    /// The length of the branch's name at the start of `rel`.
    branch_len: u32,
    /// The folder's path relative to the archive root, where it is not `rel` (`2021年/03-张三`
    /// when the root is a branch with year folders); see [`DossierDir::path`].
    pub other_path: Option<Box<str>>,
    pub files: Vec<FileEntry>,
}

/// Something that could not be read — a file or folder the walk could not open, a file whose
/// inspection failed, a spreadsheet that would not open; reported by the `unreadable-file`
/// kind.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub rel: String,
    pub detail: String,
    /// The dossier it lies in, if any.
    pub dossier: Option<usize>,
}

/// What the layout step (`crate::layout`) found, for the reports and `dangan survey`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LayoutReport {
    /// "archive" or "branch".
    pub root: &'static str,
    /// The root's branch name, when the root is one branch.
    pub root_branch: Option<String>,
    /// Whether `layout.root` decided it.
    pub pinned: bool,
    /// Grouping folders passed through: (path, above branches or not).
    pub groups: Vec<(String, bool)>,
    /// Folders that could not be told for sure: (path, what was seen and assumed).
    pub notes: Vec<(String, String)>,
    /// Branch folders: (path, branch name); the root's is "".
    pub branch_dirs: Vec<(String, String)>,
}

impl LayoutReport {
    /// The branch a path (a file or folder, relative to the root) lies in.
    pub fn branch_of(&self, rel: &str) -> Option<&str> {
        self.branch_dirs
            .iter()
            .filter(|(p, _)| {
                p.is_empty()
                    || rel
                        .strip_prefix(p.as_str())
                        .is_some_and(|r| r.starts_with('/'))
            })
            .max_by_key(|(p, _)| p.len())
            .map(|(_, b)| b.as_str())
    }
}

#[derive(Debug, Default)]
pub struct Archive {
    pub root: PathBuf,
    pub dossiers: Vec<DossierDir>,
    pub loose: Vec<FileEntry>,
    pub problems: Vec<Unreadable>,
    /// In a sharded run, the dossier folders of the other shards' branches: (relative path,
    /// folder name). Only their names are read, for ID numbers repeated across shards.
    pub foreign_folders: Vec<(String, String)>,
    /// What the layout step found: the root's kind, grouping folders, and what it could not
    /// tell.
    pub layout: LayoutReport,
}

impl Archive {
    pub fn file_count(&self) -> usize {
        self.loose.len() + self.dossiers.iter().map(|d| d.files.len()).sum::<usize>()
    }

    /// One value for each dossier file, computed in parallel by `f` and stored in archive
    /// order in a single list (allocated once, by the calling thread, rather than a list per
    /// dossier allocated by whichever worker computed it).
    pub fn per_file<T: Send>(&self, f: impl Fn(&FileEntry) -> T + Sync + Send) -> PerFile<T> {
        self.per_file_in(|_, file| f(file))
    }

    /// [`Self::per_file`] with the dossier each file is in.
    pub fn per_file_in<T: Send>(
        &self,
        f: impl Fn(&DossierDir, &FileEntry) -> T + Sync + Send,
    ) -> PerFile<T> {
        let mut starts = Vec::with_capacity(self.dossiers.len() + 1);
        let mut n = 0;
        for d in &self.dossiers {
            starts.push(n);
            n += d.files.len();
        }
        starts.push(n);
        // The k-th file's dossier is found from `starts` (no list of every file's place: 16
        // bytes a file, 60 MB at a million dossiers).
        let items = (0..n)
            .into_par_iter()
            .map(|k| {
                // The last dossier starting at or before k: an empty one shares its start
                // with the next.
                let d = starts.partition_point(|&s| s <= k) - 1;
                let dir = &self.dossiers[d];
                f(dir, &dir.files[k - starts[d]])
            })
            .collect();
        PerFile { items, starts }
    }
}

/// A value for each dossier file, indexed like the archive: `values[dossier][file]`.
#[derive(Debug, Clone, Default)]
pub struct PerFile<T> {
    items: Vec<T>,
    /// Where each dossier's values start in `items`; one more entry than dossiers.
    starts: Vec<usize>,
}

impl<T> PerFile<T> {
    /// A value for each file from this one's.
    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> PerFile<U> {
        PerFile {
            items: self.items.iter().map(f).collect(),
            starts: self.starts.clone(),
        }
    }

    /// Every value, in archive order.
    pub fn all(&self) -> &[T] {
        &self.items
    }

    fn range(&self, dossier: usize) -> std::ops::Range<usize> {
        self.starts[dossier]..self.starts[dossier + 1]
    }
}

impl<T> std::ops::Index<usize> for PerFile<T> {
    type Output = [T];

    fn index(&self, dossier: usize) -> &[T] {
        &self.items[self.range(dossier)]
    }
}

impl<T> std::ops::IndexMut<usize> for PerFile<T> {
    fn index_mut(&mut self, dossier: usize) -> &mut [T] {
        let range = self.range(dossier);
        &mut self.items[range]
    }
}

/// Which names are system files.
pub struct Ignore<'a> {
    pub names: &'a [String],
    pub prefixes: &'a [String],
}

impl Ignore<'_> {
    fn skips(&self, name: &str) -> bool {
        // Compared without lowering every name the walk meets into a new string.
        let named = |n: &String| {
            if n.is_ascii() {
                n.eq_ignore_ascii_case(name)
            } else {
                *n == name.to_lowercase()
            }
        };
        self.names.iter().any(named) || self.prefixes.iter().any(|p| name.starts_with(p.as_str()))
    }
}

/// One thing the walk found, in order: a folder (before what it holds), a file, or a path
/// it could not read. `depth` is 1 for the root's own entries.
#[derive(Debug)]
pub enum Node {
    Dir {
        rel: Box<str>,
        depth: u16,
    },
    File {
        file: FileEntry,
        depth: u16,
    },
    Problem {
        rel: String,
        detail: String,
        depth: u16,
    },
}

/// The whole tree as walked: the root's own files, then each top-level folder's part, in
/// order (kept in parts: joining them would copy every entry once more).
#[derive(Debug, Default)]
pub struct Tree {
    pub root: PathBuf,
    pub parts: Vec<Vec<Node>>,
}

impl Tree {
    /// Every node, in order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.parts.iter().flatten()
    }

    pub fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Walk the archive: the root's own entries, then each top-level folder (in parallel), each
/// folder's entries sorted by name. The root must be a readable directory: anything else is a
/// usage error.
pub fn walk_tree(root: &Path, ignore: &Ignore<'_>) -> std::io::Result<Tree> {
    let meta = std::fs::metadata(root)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "不是文件夹",
        ));
    }
    let mut tops: Vec<(PathBuf, std::ffi::OsString, bool)> = std::fs::read_dir(root)?
        .filter_map(Result::ok)
        .map(|e| {
            let dir = std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir());
            (e.path(), e.file_name(), dir)
        })
        .collect();
    tops.sort_by(|a, b| a.1.cmp(&b.1));
    let mut tree = Tree {
        root: root.to_path_buf(),
        ..Tree::default()
    };
    // Links are followed only while they stay inside the archive.
    let real_root = std::fs::canonicalize(root)?;
    if is_pseudo(&real_root) {
        return Err(std::io::Error::other(
            "是系统的伪文件系统（/proc、/sys、/dev），不是档案",
        ));
    }
    // An archive at / holds them: they are left out.
    if real_root == Path::new("/") {
        tops.retain(|t| !is_pseudo(&t.0));
    }
    let ignore = &Walk {
        ignore,
        real_root: &real_root,
        settled: std::time::SystemTime::now()
            .checked_sub(RACY)
            .unwrap_or(std::time::UNIX_EPOCH),
    };
    // The root's files (and its broken links) first, then its folders.
    let mut top_files = Vec::new();
    for (path, _, _) in tops.iter().filter(|t| !t.2) {
        walk_from(root, path, ignore, &mut top_files);
    }
    tree.parts.push(top_files);
    let dirs: Vec<&PathBuf> = tops.iter().filter(|t| t.2).map(|t| &t.0).collect();
    let parts: Vec<Vec<Node>> = dirs
        .par_iter()
        .map(|path| {
            let mut nodes = Vec::new();
            walk_from(root, path, ignore, &mut nodes);
            nodes.shrink_to_fit();
            nodes
        })
        .collect();
    tree.parts.extend(parts);
    Ok(tree)
}

/// The kernel's pseudo-file-systems: endless, and never an archive.
fn is_pseudo(path: &Path) -> bool {
    ["/proc", "/sys", "/dev"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// What the walk of each top-level folder needs.
struct Walk<'a> {
    ignore: &'a Ignore<'a>,
    /// The archive's real (canonical) path: a link is followed only to a place below it.
    real_root: &'a Path,
    /// A file modified after this is not stamped (see [`FileEntry::stamp`]).
    settled: std::time::SystemTime,
}

/// How long before the walk a file must have been last modified to be stamped: file times
/// move in steps of a few milliseconds (a kernel tick) on Linux and up to 2 s on FAT, so a
/// file rewritten within one step of the last run keeps its time (git's "racily clean" index
/// entries, solved the same way).
const RACY: std::time::Duration = std::time::Duration::from_secs(3);

/// [`FileEntry::stamp`] of a file as it is now (0 when it changed in the last seconds): for a
/// cache that looks a file up outside the walk.
pub fn stamp_now(meta: &std::fs::Metadata) -> u64 {
    let settled = std::time::SystemTime::now()
        .checked_sub(RACY)
        .unwrap_or(std::time::UNIX_EPOCH);
    stamp(meta, settled)
}

/// [`FileEntry::stamp`] from the file's metadata: modification time, and on Unix the inode
/// and the status-change time too (a `chmod` that makes a file unreadable changes only that).
fn stamp(meta: &std::fs::Metadata, settled: std::time::SystemTime) -> u64 {
    let Ok(modified) = meta.modified() else {
        return 0;
    };
    let Ok(since_epoch) = modified.duration_since(std::time::UNIX_EPOCH) else {
        return 0;
    };
    if modified >= settled {
        return 0;
    }
    let mut bytes = [0u8; 40];
    bytes[..16].copy_from_slice(&since_epoch.as_nanos().to_le_bytes());
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = std::time::UNIX_EPOCH
            .checked_add(std::time::Duration::new(
                u64::try_from(meta.ctime()).unwrap_or(0),
                u32::try_from(meta.ctime_nsec()).unwrap_or(0),
            ))
            .unwrap_or(std::time::UNIX_EPOCH);
        if changed >= settled {
            return 0;
        }
        bytes[16..24].copy_from_slice(&meta.ino().to_le_bytes());
        bytes[24..32].copy_from_slice(&meta.ctime().to_le_bytes());
        bytes[32..].copy_from_slice(&meta.ctime_nsec().to_le_bytes());
    }
    // Never 0: that is "unknown".
    xxhash_rust::xxh3::xxh3_64(&bytes).max(1)
}

impl Walk<'_> {
    fn skips(&self, name: &str) -> bool {
        self.ignore.skips(name)
    }

    /// Where a link leads, when that is outside the archive (or nowhere it can tell).
    fn leaves(&self, link: &Path) -> Option<String> {
        match std::fs::canonicalize(link) {
            Ok(target) if target.starts_with(self.real_root) => None,
            Ok(target) => Some(target.display().to_string()),
            // A broken link is reported by the walk itself.
            Err(_) => None,
        }
    }
}

/// Walk `start` (a direct entry of the root) and everything below it into `nodes`, leaving out
/// system files (Thumbs.db …). A symbolic link is followed only when it
/// leads to a place inside the archive; one that leads out is reported, not followed. What is
/// neither a file nor a folder (a FIFO, a device) is reported, not read.
fn walk_from(root: &Path, start: &Path, ignore: &Walk<'_>, nodes: &mut Vec<Node>) {
    let mut walker = WalkDir::new(start)
        .follow_links(true)
        .sort_by(|a, b| a.file_name().cmp(b.file_name()))
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let depth = (err.depth() + 1) as u16;
                let rel = err
                    .path()
                    .map(|p| rel_path(root, p))
                    .unwrap_or_else(|| "（未知路径）".to_string());
                let detail = if err.loop_ancestor().is_some() {
                    "符号链接成环".to_string()
                } else if let Some(io) = err.io_error() {
                    describe_io(io)
                } else {
                    err.to_string()
                };
                nodes.push(Node::Problem { rel, detail, depth });
                continue;
            }
        };
        let depth = (entry.depth() + 1) as u16;
        let (name, _) = decode_name(entry.file_name());
        if ignore.skips(&name) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let rel = rel_path(root, entry.path());
        if entry.path_is_symlink()
            && let Some(target) = ignore.leaves(entry.path())
        {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            nodes.push(Node::Problem {
                rel,
                detail: format!("符号链接指向档案之外（{target}），未跟随"),
                depth,
            });
            continue;
        }
        if entry.file_type().is_dir() {
            nodes.push(Node::Dir {
                rel: rel.into_boxed_str(),
                depth,
            });
            continue;
        }
        if !entry.file_type().is_file() {
            nodes.push(Node::Problem {
                rel,
                detail: "不是普通文件（管道、设备或套接字），未读取".into(),
                depth,
            });
            continue;
        }
        let meta = entry.metadata().ok();
        let size = meta.as_ref().map_or(0, |m| m.len());
        let below = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let mut file = FileEntry::new(rel, size, below.to_str().is_none().then_some(below));
        file.stamp = meta.map_or(0, |m| stamp(&m, ignore.settled));
        nodes.push(Node::File { file, depth });
    }
}

/// The archive's order of two relative paths: folder by folder, so that `a/b` comes before
/// `a-b/c` (a plain string comparison would put `-` before `/`).
pub fn archive_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    // The common case: a UTF-8 path, already `/`-separated.
    #[cfg(unix)]
    if let Some(s) = rel.to_str() {
        return s.to_owned();
    }
    let mut out = String::new();
    // Only a path with a name that is not UTF-8 needs its folders on disk.
    let mut dir = rel.to_str().is_none().then(|| root.to_path_buf());
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        let raw = c.as_os_str();
        let name = decode_name(raw).0;
        match dir.as_mut() {
            Some(dir) => {
                // A GBK-named entry beside a UTF-8 one of the same name (张三 twice) is
                // marked, so that the two are never one path.
                let twin = raw.to_str().is_none() && dir.join(&*name).exists();
                out.push_str(&if twin {
                    mark_gbk(&name)
                } else {
                    name.into_owned()
                });
                dir.push(raw);
            }
            None => out.push_str(&name),
        }
    }
    out
}

/// A decoded GBK name marked as such, before its extension: 张三〔GBK〕, 自传〔GBK〕.pdf.
fn mark_gbk(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => {
            format!("{stem}〔GBK〕.{ext}")
        }
        _ => format!("{name}〔GBK〕"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_entry_is_one_string_sliced() {
        let f = FileEntry::new("第一党支部/张三/入党申请书.PDF".into(), 10, None);
        assert_eq!(f.name(), "入党申请书.PDF");
        assert_eq!(f.stem(), "入党申请书");
        assert_eq!(f.ext(), "pdf");
        assert!(!f.is_spreadsheet());
        assert_eq!(
            f.path(Path::new("/archive")),
            Path::new("/archive/第一党支部/张三/入党申请书.PDF")
        );

        let f = FileEntry::new("台账.2021.XLSX".into(), 1, None);
        assert_eq!(
            (f.name(), f.stem(), &*f.ext()),
            ("台账.2021.XLSX", "台账.2021", "xlsx")
        );
        assert!(f.is_spreadsheet());

        // No extension, a leading dot, a non-ASCII extension.
        let f = FileEntry::new("支部/李四/自传".into(), 1, None);
        assert_eq!((f.stem(), &*f.ext()), ("自传", ""));
        let f = FileEntry::new("支部/李四/.hidden".into(), 1, None);
        assert_eq!((f.stem(), &*f.ext()), (".hidden", ""));
        let f = FileEntry::new("支部/李四/自传.文档".into(), 1, None);
        assert_eq!((f.stem(), &*f.ext()), ("自传", "文档"));

        // A name that is not UTF-8 is opened by its bytes on disk, not by the decoded text.
        let raw = Path::new("支部/raw-name.pdf");
        let f = FileEntry::new("支部/解码后.pdf".into(), 1, Some(raw));
        assert_eq!(f.path(Path::new("/a")), Path::new("/a/支部/raw-name.pdf"));
        assert_eq!(f.name(), "解码后.pdf");
    }

    #[test]
    fn a_dossier_folder_reads_its_branch_and_own_name_from_its_path() {
        let d = DossierDir::new("第一党支部", "03-张三", Some("第一党支部/03-张三"));
        assert_eq!(
            (d.branch(), d.folder(), d.path()),
            ("第一党支部", "03-张三", "第一党支部/03-张三")
        );
        assert!(d.other_path.is_none(), "the path is the name");
        // Year folders between the branch and the dossier; then named by the whole path.
        let mut d = DossierDir::new("第一党支部", "03-张三", Some("2021年/03-张三"));
        assert_eq!(
            (&*d.rel, d.path()),
            ("第一党支部/03-张三", "2021年/03-张三")
        );
        d.named_by_path();
        assert_eq!(&*d.rel, "第一党支部/2021年/03-张三");
        assert_eq!(
            (d.branch(), d.folder(), d.path()),
            ("第一党支部", "03-张三", "2021年/03-张三")
        );
        let mut d = DossierDir::new("第一党支部", "03-张三", Some("第一党支部/2021年/03-张三"));
        d.named_by_path();
        assert_eq!(
            (&*d.rel, d.other_path.as_deref()),
            (
                "第一党支部/第一党支部/2021年/03-张三",
                Some("第一党支部/2021年/03-张三")
            )
        );
        assert_eq!((d.branch(), d.folder()), ("第一党支部", "03-张三"));
        assert_eq!(std::mem::size_of::<DossierDir>(), 64);
    }

    #[test]
    fn per_file_values_are_indexed_like_the_archive() {
        let dir = |n: usize| DossierDir {
            files: (0..n)
                .map(|i| FileEntry::new(format!("b/d{n}/f{i}.pdf"), i as u64, None))
                .collect(),
            ..DossierDir::new("b", &format!("d{n}"), None)
        };
        let archive = Archive {
            dossiers: vec![dir(2), dir(0), dir(3)],
            ..Archive::default()
        };
        let mut sizes = archive.per_file(|f| f.size);
        assert_eq!(sizes.all(), &[0, 1, 0, 1, 2]);
        assert_eq!(&sizes[0], &[0, 1]);
        assert!(sizes[1].is_empty());
        assert_eq!(&sizes[2], &[0, 1, 2]);
        sizes[2][1] = 9;
        assert_eq!(&sizes[2], &[0, 9, 2]);
        // Each file is given with its own dossier, empty dossiers first, together and last.
        let archive = Archive {
            dossiers: vec![dir(0), dir(2), dir(0), dir(0), dir(1), dir(3), dir(0)],
            ..Archive::default()
        };
        let places = archive.per_file_in(|d, f| format!("{}:{}", d.rel, f.name()));
        let expected = ["b/d2:f0.pdf", "b/d2:f1.pdf", "b/d1:f0.pdf"];
        let expected = expected
            .iter()
            .chain(&["b/d3:f0.pdf", "b/d3:f1.pdf", "b/d3:f2.pdf"]);
        assert!(
            places
                .all()
                .iter()
                .eq(expected.map(|s| s.to_string()).collect::<Vec<_>>().iter())
        );
        assert_eq!(places[4], ["b/d1:f0.pdf".to_string()]);
        assert!(places[6].is_empty() && places[0].is_empty());
    }
}
