//! Look inside each file, cheaply: its real format (by signature, not extension), whether it is
//! intact, its resolution and its page count. Knows nothing of documents or rules.
//!
//! Only what is needed is read: the first 4 KiB for the signature, the segment or chunk
//! headers of an image, the TIFF directories, a PDF's tail, cross-reference and page
//! dictionaries. Image data is skipped with seeks, so a 2 GB scan costs a few small reads.
//! Hand-written parsers: JPEG segments, PNG chunks, TIFF directories (also used for the EXIF
//! block inside a JPEG) and the few PDF objects needed — each is a few dozen lines, and the
//! crates that cover these formats either decode image data or read whole files.

pub mod jpeg;
pub mod ofd;
pub mod pdf;
pub mod png;
pub mod stored;
pub mod tiff;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use serde::Serialize;

pub use crate::broken::Broken;

/// Files opened by [`inspect`] and [`content_hash`] in this process, for the phase timings
/// (`DANGAN_TIMINGS`): what the result cache saves is counted, not guessed.
static OPENED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static HASHED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// (files inspected, files hashed) so far in this process.
pub fn files_read() -> (usize, usize) {
    use std::sync::atomic::Ordering::Relaxed;
    (OPENED.load(Relaxed), HASHED.load(Relaxed))
}

/// A format recognised by its signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Pdf,
    Jpeg,
    Tiff,
    Png,
    Bmp,
    Gif,
    Webp,
    /// OFD (GB/T 33190), a zip with OFD.xml at its root.
    Ofd,
    /// Office Open XML (docx, xlsx, pptx; newer WPS files).
    Ooxml,
    /// OpenDocument (ods, odt).
    Odf,
    /// OLE compound file (doc, xls, older WPS).
    Ole,
    Zip,
    Unknown,
}

impl FileFormat {
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Pdf => "PDF",
            FileFormat::Jpeg => "JPEG",
            FileFormat::Tiff => "TIFF",
            FileFormat::Png => "PNG",
            FileFormat::Bmp => "BMP",
            FileFormat::Gif => "GIF",
            FileFormat::Webp => "WebP",
            FileFormat::Ofd => "OFD",
            FileFormat::Ooxml => "Office（docx/xlsx）",
            FileFormat::Odf => "OpenDocument（ods/odt）",
            FileFormat::Ole => "Office 97-2003（doc/xls/wps）",
            FileFormat::Zip => "ZIP",
            FileFormat::Unknown => "未知格式",
        }
    }

    /// A page image or a document of pages, whose resolution is checked.
    pub fn is_scan(self) -> bool {
        matches!(
            self,
            FileFormat::Pdf | FileFormat::Jpeg | FileFormat::Tiff | FileFormat::Png
        )
    }

    /// The formats a file extension promises; None for an extension dangan does not judge.
    pub fn expected_for(ext: &str) -> Option<&'static [FileFormat]> {
        use FileFormat::*;
        Some(match ext {
            "pdf" => &[Pdf],
            "jpg" | "jpeg" | "jpe" | "jfif" => &[Jpeg],
            "tif" | "tiff" => &[Tiff],
            "png" => &[Png],
            "bmp" => &[Bmp],
            "gif" => &[Gif],
            "webp" => &[Webp],
            "ofd" => &[Ofd],
            "docx" | "xlsx" | "xlsm" | "xlsb" | "pptx" => &[Ooxml],
            "ods" | "odt" | "odp" => &[Odf],
            "doc" | "xls" | "ppt" => &[Ole],
            "wps" | "et" | "dps" => &[Ole, Ooxml],
            "zip" => &[Zip, Ooxml, Odf, Ofd],
            _ => return None,
        })
    }
}

/// What was found inside a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspection {
    pub format: FileFormat,
    /// Why the content is broken and the bookmarks, which few files have: boxed together, so
    /// that every file's inspection carries one pointer for both (64 bytes an inspection).
    #[serde(skip)]
    pub(crate) rare: Option<Box<Rare>>,
    /// Resolution in dots per inch (the lower of the two axes; for a PDF the lowest page);
    /// None when the file does not state it.
    pub dpi: Option<f64>,
    /// Whether `dpi` is the pixels over A4 because the stated one was a camera's default.
    #[serde(skip)]
    pub dpi_from_pixels: bool,
    /// Pages of a PDF or TIFF (1 for a single image).
    pub pages: Option<u32>,
    /// A PDF whose pages name fonts: text to read without OCR.
    #[serde(skip)]
    pub text_layer: bool,
    /// The file's content hash, where the run computed it (a file whose size another shares,
    /// for the duplicates; every file of a shard) or the result cache had it.
    #[serde(skip)]
    pub hash: Option<ContentHash>,
    /// A 64-bit hash of the file's first 4 KiB, read for the signature anyway (0 when not
    /// read): two files of one size are hashed whole only when these agree. A file no longer
    /// than that has its whole [`Inspection::hash`] from the same bytes.
    #[serde(skip)]
    pub head: u64,
}

/// What few files' inspections hold ([`Inspection::problem`], [`Inspection::outline`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Rare {
    problem: Option<Box<str>>,
    outline: Option<Outline>,
}

/// A file's 128-bit content hash ([`content_hash`]), kept in 16 bytes aligned as a u64 (an
/// `Option` of it costs nothing more): every file's inspection carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(std::num::NonZeroU64, u64);

impl ContentHash {
    /// None for a hash whose upper half is 0 (one in 2⁶⁴): such a file is hashed again when
    /// needed.
    pub fn new(h: u128) -> Option<ContentHash> {
        Some(ContentHash(
            std::num::NonZeroU64::new((h >> 64) as u64)?,
            h as u64,
        ))
    }

    pub fn get(self) -> u128 {
        (u128::from(self.0.get()) << 64) | u128::from(self.1)
    }
}

impl Inspection {
    pub(crate) fn of(format: FileFormat) -> Self {
        Inspection {
            format,
            rare: None,
            dpi: None,
            dpi_from_pixels: false,
            pages: None,
            text_layer: false,
            hash: None,
            head: 0,
        }
    }

    /// An inspection that found the file broken, and why.
    pub(crate) fn broken(format: FileFormat, problem: impl Into<Box<str>>) -> Self {
        let mut insp = Inspection::of(format);
        insp.set_problem(problem);
        insp
    }

    /// Why the content is broken, if it is.
    pub fn problem(&self) -> Option<&str> {
        self.rare.as_ref()?.problem.as_deref()
    }

    /// Bookmarks of a PDF or OFD.
    pub fn outline(&self) -> Option<&Outline> {
        self.rare.as_ref()?.outline.as_ref()
    }

    pub(crate) fn set_problem(&mut self, problem: impl Into<Box<str>>) {
        self.rare.get_or_insert_default().problem = Some(problem.into());
    }

    pub(crate) fn set_outline(&mut self, outline: Outline) {
        self.rare.get_or_insert_default().outline = Some(outline);
    }
}

/// Facts about an image or document, as the format parsers report them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Meta {
    pub dpi: Option<f64>,
    /// Whether `dpi` was judged from the pixels over an A4 page, the file's own tag being a
    /// camera's default (a phone photo tagged 72 dpi).
    pub dpi_from_pixels: bool,
    pub pages: Option<u32>,
    /// Bookmarks of a PDF or OFD (None where there are none).
    pub outline: Option<Box<[Bookmark]>>,
    /// A PDF whose pages name fonts: it has text to read (born digital, or a 双层PDF's hidden
    /// layer); without, it is a scan.
    pub text_layer: bool,
}

/// A file's bookmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline(pub Box<[Bookmark]>);

/// One bookmark of a combined file: its title, depth (0 at the top) and the page it goes to
/// (zero-based; None when its destination cannot be followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bookmark {
    pub title: String,
    pub page: Option<u32>,
    pub depth: u8,
}

pub fn sniff(head: &[u8]) -> FileFormat {
    let starts = |sig: &[u8]| head.starts_with(sig);
    if starts(b"\xFF\xD8\xFF") {
        FileFormat::Jpeg
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        FileFormat::Png
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        FileFormat::Tiff
    } else if head.len() >= 5
        && head[..head.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
    {
        FileFormat::Pdf
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileFormat::Gif
    } else if starts(b"BM") && head.len() >= 14 {
        FileFormat::Bmp
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        FileFormat::Webp
    } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        FileFormat::Ole
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        FileFormat::Zip
    } else {
        FileFormat::Unknown
    }
}

/// Inspect one file. Never panics on bad content: a parser panic becomes a problem.
pub fn inspect(path: &Path, size: u64) -> Inspection {
    if size > 0 {
        OPENED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
    match std::panic::catch_unwind(|| inspect_unguarded(path, size)) {
        Ok(i) => i,
        Err(_) => Inspection::broken(FileFormat::Unknown, "内容无法解析"),
    }
}

/// [`inspect`] without its guard against a parser's panic: for the property tests, which
/// must see a panic to fail on it (the guard would turn it into a problem string).
#[doc(hidden)]
pub fn inspect_unguarded(path: &Path, size: u64) -> Inspection {
    // An empty file has nothing to look at (empty-file reports it); it is not even opened.
    if size == 0 {
        return Inspection::of(FileFormat::Unknown);
    }
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return Inspection::broken(FileFormat::Unknown, crate::broken::describe_io(&e));
        }
    };
    let mut head = [0u8; 4096];
    let n = match read_up_to(&mut file, &mut head) {
        Ok(n) => n,
        Err(e) => {
            return Inspection::broken(FileFormat::Unknown, crate::broken::describe_io(&e));
        }
    };
    let head = &head[..n];
    let hashes = |insp: Inspection| Inspection {
        head: xxhash_rust::xxh3::xxh3_64(head).max(1),
        // The whole file was read: its content hash is this (the streaming hash of
        // `content_hash` gives the same digest).
        hash: (n as u64 == size)
            .then(|| ContentHash::new(xxhash_rust::xxh3::xxh3_128(head)))
            .flatten(),
        ..insp
    };
    let mut format = sniff(head);
    let result = match format {
        FileFormat::Jpeg => jpeg::inspect(&mut file, size),
        FileFormat::Png => png::inspect(&mut file, size),
        FileFormat::Tiff => tiff::inspect_file(&mut file, size),
        FileFormat::Pdf => pdf::inspect(&mut file, size, head),
        FileFormat::Zip => {
            format = zip_kind(&mut file);
            match format {
                FileFormat::Unknown => Err(Broken::from("ZIP 压缩包已损坏")),
                FileFormat::Ofd => {
                    if file.seek(SeekFrom::Start(0)).is_err() {
                        Err(Broken::from("OFD 无法读取"))
                    } else {
                        ofd::inspect(&mut file)
                    }
                }
                _ => Ok(Meta::default()),
            }
        }
        _ => Ok(Meta::default()),
    };
    hashes(match result {
        Ok(meta) => {
            let mut insp = Inspection {
                dpi: meta.dpi,
                dpi_from_pixels: meta.dpi_from_pixels,
                pages: meta.pages,
                text_layer: meta.text_layer,
                ..Inspection::of(format)
            };
            if let Some(o) = meta.outline {
                insp.set_outline(Outline(o));
            }
            insp
        }
        Err(problem) => Inspection::broken(format, problem.into_text()),
    })
}

/// OFD, OOXML, OpenDocument or plain zip, from the central directory (read at the end).
fn zip_kind(file: &mut File) -> FileFormat {
    if file.seek(SeekFrom::Start(0)).is_err() {
        return FileFormat::Unknown;
    }
    let Ok(archive) = zip::ZipArchive::new(&mut *file) else {
        return FileFormat::Unknown;
    };
    let mut kind = FileFormat::Zip;
    for name in archive.file_names() {
        let Ok(name) = name else { continue };
        match name.as_ref() {
            "OFD.xml" => return FileFormat::Ofd,
            "[Content_Types].xml" => kind = FileFormat::Ooxml,
            "mimetype" if kind == FileFormat::Zip => kind = FileFormat::Odf,
            _ => {}
        }
    }
    kind
}

/// Read until the buffer is full or the file ends.
pub(crate) fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Read `len` bytes at `offset`, or fewer at the end of the file. The bytes are read into
/// the vector's spare room, not into zeros written first (a whole 40 KB PDF read for its text
/// was zeroed, then overwritten), by one `pread` where the system has it: a seek and then
/// reads of 8, 16, 32 KB … (the standard library's way of reading to an end it does not
/// know) were four system calls for a 43 KB PDF, and a system call costs more than reading
/// the bytes.
#[cfg(all(unix, target_pointer_width = "64"))]
pub(crate) fn read_at(file: &mut File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    use std::os::fd::AsRawFd;
    unsafe extern "C" {
        fn pread(
            fd: std::ffi::c_int,
            buf: *mut std::ffi::c_void,
            count: usize,
            offset: i64,
        ) -> isize;
    }
    let mut buf: Vec<u8> = Vec::with_capacity(len);
    while buf.len() < len {
        let at = offset
            .checked_add(buf.len() as u64)
            .and_then(|at| i64::try_from(at).ok())
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
        let spare = buf.spare_capacity_mut();
        let room = spare.len();
        // SAFETY: pread writes at most `room` bytes into the vector's spare room, memory the
        // vector owns and does not read; the length grows only by the count pread reports
        // written (never past `room`), so every byte below it is initialised.
        let n = unsafe { pread(file.as_raw_fd(), spare.as_mut_ptr().cast(), room, at) };
        match usize::try_from(n) {
            Ok(0) => break,
            Ok(n) => unsafe { buf.set_len(buf.len() + n.min(room)) },
            Err(_) => {
                let e = std::io::Error::last_os_error();
                if e.kind() != std::io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
    Ok(buf)
}

/// Read `len` bytes at `offset`, or fewer at the end of the file, into the vector's spare room.
#[cfg(not(all(unix, target_pointer_width = "64")))]
pub(crate) fn read_at(file: &mut File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut buf = Vec::with_capacity(len);
    // `take` stops at `len` without another read to look for the end.
    file.take(len as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Hash a whole file (xxh3-128), for byte-identical duplicates (only files whose size
/// equals another file's are hashed) and the text cache's keys. `size` (from the walk) sizes the buffer: a scan of a
/// few kilobytes does not get a 256 KiB buffer zeroed for it.
pub fn content_hash(path: &Path, size: u64) -> std::io::Result<u128> {
    HASHED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    const MAX_BUF: u64 = 256 * 1024;
    let mut file = File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; size.saturating_add(1).min(MAX_BUF) as usize];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.digest128())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inspection_is_64_bytes_and_keeps_its_problem_and_bookmarks() {
        // Every file of the archive has one, kept from the inspection to the reports.
        assert_eq!(std::mem::size_of::<Inspection>(), 64);
        let mut insp = Inspection::of(FileFormat::Pdf);
        assert_eq!((insp.problem(), insp.outline()), (None, None));
        insp.set_outline(Outline(Vec::new().into_boxed_slice()));
        assert_eq!(insp.problem(), None);
        insp.set_problem("交叉引用表损坏");
        assert_eq!(insp.problem(), Some("交叉引用表损坏"));
        assert!(insp.outline().is_some_and(|o| o.0.is_empty()));
        let broken = Inspection::broken(FileFormat::Tiff, "文件已损坏");
        assert_eq!(
            (broken.format, broken.problem()),
            (FileFormat::Tiff, Some("文件已损坏"))
        );
        assert!(broken.outline().is_none());
    }

    #[test]
    fn read_at_reads_what_is_there_from_an_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..100u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let mut f = File::open(&path).unwrap();
        assert_eq!(read_at(&mut f, 0, 100).unwrap(), bytes);
        assert_eq!(read_at(&mut f, 7, 3).unwrap(), vec![7, 8, 9]);
        // Fewer at the end of the file, none past it.
        assert_eq!(read_at(&mut f, 90, 20).unwrap(), bytes[90..]);
        assert_eq!(read_at(&mut f, 200, 5).unwrap(), Vec::<u8>::new());
        assert_eq!(read_at(&mut f, 10, 0).unwrap(), Vec::<u8>::new());
        // An offset no file can have is an error, not a read somewhere else.
        #[cfg(all(unix, target_pointer_width = "64"))]
        assert!(read_at(&mut f, u64::MAX - 1, 5).is_err());
        // A read the system refuses (a folder opened as a file) is an error, said once.
        #[cfg(target_os = "linux")]
        {
            let mut folder = File::open(dir.path()).unwrap();
            assert!(read_at(&mut folder, 0, 5).is_err());
        }
    }

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n"), FileFormat::Pdf);
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), FileFormat::Jpeg);
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), FileFormat::Tiff);
        assert_eq!(sniff(b"MM\0+\0\x08\0\0"), FileFormat::Tiff);
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), FileFormat::Png);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), FileFormat::Webp);
        assert_eq!(sniff(b"hello"), FileFormat::Unknown);
        assert_eq!(sniff(b""), FileFormat::Unknown);
    }

    #[test]
    fn extensions() {
        assert_eq!(
            FileFormat::expected_for("jpg"),
            Some(&[FileFormat::Jpeg][..])
        );
        assert!(FileFormat::expected_for("wps").is_some_and(|f| f.contains(&FileFormat::Ooxml)));
        assert_eq!(FileFormat::expected_for("txt"), None);
    }
}
