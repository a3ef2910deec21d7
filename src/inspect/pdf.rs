//! PDF: is it whole (header, `startxref`, `%%EOF`, a cross-reference section that parses,
//! following incremental updates), how many pages, and at what resolution its page images were
//! scanned. Reads the tail, the cross-reference sections and the page-tree dictionaries; page
//! content and image data are never read.

use super::Broken;
/// The maps of a file's objects, keyed by object numbers and offsets: foldhash (already in the
/// build through hashbrown, seeded per process) instead of SipHash, which was a tenth of the
/// time a small PDF's text took to read.
pub(crate) type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
use std::fs::File;
use std::rc::Rc;

use super::{Meta, read_at};

/// Windows read when an object does not fit in the first one.
const WINDOWS: [usize; 4] = [4 * 1024, 64 * 1024, 1024 * 1024, 8 * 1024 * 1024];
/// A PDF this small is read whole, at once, and parsed from memory: one read instead of a
/// dozen windows (a born-digital dossier document is 30–60 KB).
const WHOLE: u64 = 64 * 1024;
/// Largest stream (cross-reference or object stream) decoded, before and after inflating.
const MAX_STREAM: u64 = 64 * 1024 * 1024;
const MAX_PAGES: usize = 100_000;
/// Bookmarks read at the most (a dossier has a few dozen).
const MAX_BOOKMARKS: usize = 10_000;
/// The most bytes read from one file, raw and inflated together: a hostile file hits it and is
/// reported, instead of being read for minutes.
pub const MAX_READ: u64 = 256 * 1024 * 1024;
/// The most indirect objects parsed from one file.
pub const MAX_OBJECTS: u32 = 1_000_000;
/// How deep one object's lookup may lead to another's (a stream's /Length kept in an object
/// stream, …) before the chain is called circular.
const MAX_DEPTH: u32 = 16;

/// A zlib (FlateDecode) stream inflated, up to [`MAX_STREAM`] bytes: libdeflate, one
/// decompressor a thread, into a buffer eight times the stream's size, doubled while the
/// stream does not fit (a stream's inflated size is not written anywhere). Bytes after the
/// stream's end (a PDF's /Length often counts an end of line) are ignored; a damaged or cut
/// stream is an error, never a part of its text.
fn inflate(raw: &[u8]) -> Result<Vec<u8>, Broken> {
    use libdeflater::{DecompressionError, Decompressor};
    thread_local! {
        static INFLATE: std::cell::RefCell<Decompressor> = std::cell::RefCell::new(Decompressor::new());
    }
    INFLATE.with_borrow_mut(|z| {
        let mut room = raw.len().saturating_mul(8).clamp(4096, MAX_STREAM as usize);
        loop {
            let mut out = vec![0; room];
            match z.zlib_decompress(raw, &mut out) {
                Ok(n) => {
                    out.truncate(n);
                    return Ok(out);
                }
                Err(DecompressionError::InsufficientSpace) if room < MAX_STREAM as usize => {
                    room = room.saturating_mul(2).min(MAX_STREAM as usize);
                }
                Err(DecompressionError::InsufficientSpace) => return Err("流解压后过大".into()),
                Err(DecompressionError::BadData) => return Err("流解压失败".into()),
            }
        }
    })
}

/// A PDF text string: UTF-16 with its byte-order mark, UTF-8 with its mark, else GBK (as
/// Chinese writers often store it), else Latin-1 (PDFDocEncoding's ASCII part).
pub(crate) fn decode_text(b: &[u8]) -> String {
    if let Some(rest) = b.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = b.strip_prefix(b"\xFF\xFE") {
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    if let Ok(s) = std::str::from_utf8(b) {
        return s.to_string();
    }
    if let Some(s) = encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(b) {
        return s.into_owned();
    }
    b.iter().map(|&c| char::from(c)).collect()
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Name(Name),
    /// A string's bytes, escapes undone (titles of bookmarks are read; most strings are not
    /// looked at).
    Str(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    Ref(u32, u16),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Dict(pub(crate) Vec<(Name, Obj)>);

/// A name's bytes (without the slash), inline up to 16 bytes.
pub(crate) type Name = smallvec::SmallVec<[u8; 16]>;

impl Dict {
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Obj> {
        self.0.iter().find(|(k, _)| k[..] == *key).map(|(_, v)| v)
    }
}

impl Obj {
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Int(i) => Some(*i),
            Obj::Real(f) => Some(*f as i64),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Obj::Int(i) => Some(*i as f64),
            Obj::Real(f) => Some(*f),
            _ => None,
        }
    }

    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Obj::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub(crate) fn is_name(&self, n: &[u8]) -> bool {
        matches!(self, Obj::Name(x) if x[..] == *n)
    }
}

// ---------------------------------------------------------------------------------------------
// A small tokenizer over a byte window. `Eof` means: read a larger window and try again.

#[derive(Debug, PartialEq)]
enum Error {
    Eof,
    Bad(&'static str),
}

struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
}

pub(crate) fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    is_ws(c)
        || matches!(
            c,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        )
}

/// Past the white space and comments from `pos`.
pub(crate) fn skip_blank(b: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = b.get(pos) {
        if is_ws(c) {
            pos += 1;
        } else if c == b'%' {
            while b.get(pos).is_some_and(|&c| c != b'\r' && c != b'\n') {
                pos += 1;
            }
        } else {
            break;
        }
    }
    pos
}

/// A PDF integer (`[+-]?[0-9]+`) as written, without going through UTF-8 and `str::parse`;
/// None for anything else, or one past `i64`.
pub(crate) fn ascii_int(w: &[u8]) -> Option<i64> {
    let (negative, digits) = match w.split_first()? {
        (b'-', rest) => (true, rest),
        (b'+', rest) => (false, rest),
        _ => (false, w),
    };
    if digits.is_empty() {
        return None;
    }
    // Counted on the negative side, where `i64` reaches one further.
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_sub(i64::from(d - b'0'))?;
    }
    if negative { Some(v) } else { v.checked_neg() }
}

/// Where the regular characters from `pos` end (a name's, a number's, a keyword's).
pub(crate) fn word_end(b: &[u8], mut pos: usize) -> usize {
    while b.get(pos).is_some_and(|&c| !is_delim(c)) {
        pos += 1;
    }
    pos
}

/// Where a literal string whose bytes start at `from` (after its `(`) ends: the index of its
/// closing `)` (parentheses balance, a backslash escapes the next byte), or None when the bytes
/// end first.
pub(crate) fn literal_end(b: &[u8], from: usize) -> Option<usize> {
    let (mut level, mut i) = (1usize, from);
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' => i += 1,
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A hex string's bytes into `out` (cleared first); an odd last digit is followed by 0.
pub(crate) fn hex_bytes(digits: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut high: Option<u8> = None;
    for &c in digits {
        let nibble = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => continue,
        };
        match high.take() {
            Some(h) => out.push(h << 4 | nibble),
            None => high = Some(nibble),
        }
    }
    if let Some(h) = high {
        out.push(h << 4);
    }
}

/// A literal string's bytes into `out` (cleared first), escapes undone.
pub(crate) fn literal_bytes(raw: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while let Some(&c) = raw.get(i) {
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let Some(&e) = raw.get(i) else { break };
        i += 1;
        match e {
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match raw.get(i) {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push(v as u8);
            }
            b'\r' => {
                if raw.get(i) == Some(&b'\n') {
                    i += 1;
                }
            }
            b'\n' => {}
            other => out.push(other),
        }
    }
}

impl<'a> Lexer<'a> {
    fn new(b: &'a [u8], pos: usize) -> Self {
        Lexer { b, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        self.pos = skip_blank(self.b, self.pos);
    }

    fn word(&mut self) -> Result<&'a [u8], Error> {
        self.skip_ws();
        self.token()
    }

    /// The bytes up to the next delimiter, from here.
    fn token(&mut self) -> Result<&'a [u8], Error> {
        let start = self.pos;
        self.pos = word_end(self.b, self.pos);
        if self.pos == self.b.len() {
            return Err(Error::Eof);
        }
        Ok(&self.b[start..self.pos])
    }

    fn keyword(&mut self, k: &[u8]) -> Result<(), Error> {
        if self.word()? == k {
            Ok(())
        } else {
            Err(Error::Bad("缺少关键字"))
        }
    }

    fn int(&mut self) -> Result<i64, Error> {
        let w = self.word()?;
        ascii_int(w).ok_or(Error::Bad("应为整数"))
    }

    fn value(&mut self, depth: usize) -> Result<Obj, Error> {
        if depth > 64 {
            return Err(Error::Bad("嵌套过深"));
        }
        self.skip_ws();
        match self.peek().ok_or(Error::Eof)? {
            b'<' if self.b.get(self.pos + 1) == Some(&b'<') => self.dict(depth),
            b'<' => self.hex_string(),
            b'(' => self.literal_string(),
            b'[' => self.array(depth),
            b'/' => {
                self.pos += 1;
                Ok(Obj::Name(Name::from_slice(self.token()?)))
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => self.number(),
            _ => self.boolean_or_null(),
        }
    }

    /// `<< /Key value … >>`
    fn dict(&mut self, depth: usize) -> Result<Obj, Error> {
        self.pos += 2;
        let mut d = Vec::new();
        loop {
            self.skip_ws();
            match self.peek().ok_or(Error::Eof)? {
                b'>' => {
                    if self.b.get(self.pos + 1).is_none() {
                        return Err(Error::Eof);
                    }
                    self.pos += 2;
                    return Ok(Obj::Dict(Dict(d)));
                }
                b'/' => {
                    let Obj::Name(k) = self.value(depth + 1)? else {
                        return Err(Error::Bad("字典键"));
                    };
                    if k[..] == *b"Widths" && self.skip_numbers() {
                        continue;
                    }
                    let v = self.value(depth + 1)?;
                    d.push((k, v));
                }
                _ => return Err(Error::Bad("字典键应为名称")),
            }
        }
    }

    /// `<48656C6C6F>`; an odd last digit is followed by 0.
    fn hex_string(&mut self) -> Result<Obj, Error> {
        let from = self.pos + 1;
        let end = self.b[from..]
            .iter()
            .position(|&c| c == b'>')
            .ok_or(Error::Eof)?
            + from;
        let mut bytes = Vec::new();
        hex_bytes(&self.b[from..end], &mut bytes);
        self.pos = end + 1;
        Ok(Obj::Str(bytes))
    }

    /// `(text)`, with balanced parentheses and backslash escapes.
    fn literal_string(&mut self) -> Result<Obj, Error> {
        let from = self.pos + 1;
        let end = literal_end(self.b, from).ok_or(Error::Eof)?;
        let mut out = Vec::new();
        literal_bytes(&self.b[from..end], &mut out);
        self.pos = end + 1;
        Ok(Obj::Str(out))
    }

    /// Pass over an array of plain numbers (a font's `/Widths`: hundreds of glyph widths
    /// that nothing here reads), leaving it out of its dictionary. False, with nothing moved,
    /// when the next value is anything else or ends past the bytes at hand: then it is read.
    fn skip_numbers(&mut self) -> bool {
        self.skip_ws();
        if self.peek() != Some(b'[') {
            return false;
        }
        for (i, &c) in self.b.iter().enumerate().skip(self.pos + 1) {
            match c {
                b']' => {
                    self.pos = i + 1;
                    return true;
                }
                b'0'..=b'9' | b'.' | b'-' | b'+' => {}
                c if is_ws(c) => {}
                _ => return false,
            }
        }
        false
    }

    /// `[ value … ]`
    fn array(&mut self, depth: usize) -> Result<Obj, Error> {
        self.pos += 1;
        let mut v = Vec::new();
        loop {
            self.skip_ws();
            if self.peek().ok_or(Error::Eof)? == b']' {
                self.pos += 1;
                return Ok(Obj::Array(v));
            }
            v.push(self.value(depth + 1)?);
        }
    }

    /// An integer, a real, or an indirect reference `12 0 R`.
    fn number(&mut self) -> Result<Obj, Error> {
        let w = self.word()?;
        if let Some(i) = ascii_int(w) {
            if i >= 0
                && let Some(g) = self.generation_and_r()?
            {
                return Ok(Obj::Ref(i as u32, g));
            }
            return Ok(Obj::Int(i));
        }
        std::str::from_utf8(w)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .map(Obj::Real)
            .ok_or(Error::Bad("数字"))
    }

    /// After an object number: `0 R` makes it a reference — the generation, and the lexer past
    /// the `R`; anything else leaves the lexer where it was (None). Looked at byte by byte, so an
    /// array of plain numbers (a font's /Widths) costs one word each. A window that ends before
    /// the `R` could be seen is `Eof`: the caller reads a larger one.
    fn generation_and_r(&mut self) -> Result<Option<u16>, Error> {
        let b = self.b;
        let g_from = skip_blank(b, self.pos);
        match b.get(g_from) {
            None => return Err(Error::Eof),
            Some(c) if !c.is_ascii_digit() => return Ok(None),
            Some(_) => {}
        }
        let g_end = word_end(b, g_from);
        if g_end == b.len() {
            return Err(Error::Eof);
        }
        let Some(g) = ascii_int(&b[g_from..g_end]) else {
            return Ok(None);
        };
        let r_from = skip_blank(b, g_end);
        let r_end = word_end(b, r_from);
        if r_end == b.len() {
            return Err(Error::Eof);
        }
        if &b[r_from..r_end] != b"R" {
            return Ok(None);
        }
        self.pos = r_end;
        Ok(Some(g as u16))
    }

    /// `true`, `false`, `null`.
    fn boolean_or_null(&mut self) -> Result<Obj, Error> {
        let w = self.word()?;
        match w {
            b"true" => Ok(Obj::Bool(true)),
            b"false" => Ok(Obj::Bool(false)),
            b"null" => Ok(Obj::Null),
            _ => Err(Error::Bad("无法识别的对象")),
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Loc {
    Free,
    At(u64),
    InStream(u32, u32),
}

struct Pdf<'f> {
    file: &'f mut File,
    /// The file's last bytes from an offset, when they were read at once (a PDF read for its
    /// text): windows within them are slices, not reads.
    mem: Option<(u64, Vec<u8>)>,
    size: u64,
    xref: HashMap<u32, Loc>,
    trailer: Dict,
    cache: HashMap<u32, Obj>,
    /// Objects looked up once, when objects are kept only from their second lookup (see
    /// [`Pdf::get`]); None when every object is kept from its first.
    looked_up: Option<HashSet<u32>>,
    objstms: HashMap<u32, ObjStream>,
    /// Bytes read so far (raw and inflated) and objects parsed: see `MAX_READ`, `MAX_OBJECTS`.
    read: u64,
    objects: u32,
    /// Lookups in progress (an object whose reading needs another's).
    depth: u32,
    /// The budget hit, if one was: the file is then reported as not inspected to the end,
    /// even where the parse would have gone on without what it could not read.
    limit: Option<Broken>,
    /// The largest image (width, height) of each resource dictionary met, by its object
    /// number or, inherited inline, by its shared copy (kept alive here).
    images: HashMap<ResKey, (Rc<Obj>, Option<Size>)>,
    /// A page's resources name a font (the file has text to read).
    fonts: bool,
    /// The resource dictionaries already looked at for fonts.
    font_checked: HashSet<ResKey>,
}

/// Which resource dictionary: an indirect one by number, an inline one by its shared copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ResKey {
    Ref(u32),
    Inline(usize),
}

/// An image's width and height in pixels.
type Size = (f64, f64);

/// Inherited page attributes (MediaBox, Resources) are shared by the pages below, not copied.
type Inherited = Option<Rc<Obj>>;

/// The message for a budget hit, naming it.
fn limit(what: &str) -> Broken {
    format!("超出检查上限（{what}），未检查完").into()
}

/// A decoded object stream: its bytes (padded with white space so the last object does not
/// end at the buffer's end) and where each object starts.
struct ObjStream {
    data: Vec<u8>,
    offsets: Vec<(u32, usize)>,
}

/// An object as read from the file, and where its stream data starts (if it has one).
struct Indirect {
    value: Obj,
    stream_at: Option<u64>,
}

impl<'f> Pdf<'f> {
    /// Open a PDF whose first bytes were read (`head`): a small file (at most
    /// [`WHOLE`]) is parsed from memory — all of it, in one read at most —, a larger one
    /// through windows read as needed.
    fn open(file: &'f mut File, size: u64, head: &[u8]) -> Result<Self, Broken> {
        if head.len() as u64 == size {
            return Self::open_in(file, size, Some((0, head.to_vec())));
        }
        if size <= WHOLE {
            let all = read_at(file, 0, size as usize).map_err(|e| e.to_string())?;
            return Self::open_in(file, size, Some((0, all)));
        }
        Self::open_in(file, size, None)
    }

    /// Open a PDF whose last bytes may already be in memory (`mem`: from an offset to the end).
    fn open_in(file: &'f mut File, size: u64, mem: Option<(u64, Vec<u8>)>) -> Result<Self, Broken> {
        let tail_len = size.min(2048);
        let tail = match &mem {
            Some((_, m)) if m.len() as u64 >= tail_len => {
                std::borrow::Cow::Borrowed(&m[m.len() - tail_len as usize..])
            }
            _ => std::borrow::Cow::Owned(
                read_at(file, size - tail_len, tail_len as usize).map_err(|e| e.to_string())?,
            ),
        };
        let eof = rfind(&tail, b"%%EOF").ok_or("PDF 缺少 %%EOF 结束标记（文件不完整或被截断）")?;
        // After the last %%EOF only white space (or a stray byte or two) may follow; the start
        // of another revision there means an incremental update was cut off.
        let after = &tail[eof + 5..];
        if after.windows(3).any(|w| w == b"obj") || after.windows(4).any(|w| w == b"xref") {
            return Err("PDF 末尾的增量更新不完整（文件被截断）".into());
        }
        let sx =
            rfind(&tail[..eof], b"startxref").ok_or("PDF 缺少 startxref（文件不完整或被截断）")?;
        let mut lx = Lexer::new(&tail[..eof], sx + 9);
        let start = lx
            .int()
            .map_err(|_| "PDF 的 startxref 后没有有效位置".to_string())?;
        let start = u64::try_from(start)
            .ok()
            .filter(|&s| s < size)
            .ok_or("PDF 的交叉引用表位置超出文件")?;
        drop(tail);
        let mut pdf = Pdf {
            file,
            mem,
            size,
            xref: HashMap::default(),
            trailer: Dict::default(),
            cache: HashMap::default(),
            looked_up: None,
            objstms: HashMap::default(),
            read: 0,
            objects: 0,
            depth: 0,
            limit: None,
            images: HashMap::default(),
            fonts: false,
            font_checked: HashSet::default(),
        };
        let mut next = Some(start);
        let mut seen = HashSet::default();
        let mut first = true;
        while let Some(at) = next {
            if !seen.insert(at) || seen.len() > 10_000 {
                return Err("PDF 交叉引用表链成环".into());
            }
            let trailer = pdf
                .read_section(at)
                .map_err(|e| format!("PDF 交叉引用表损坏（偏移 {at}）：{e}"))?;
            // A hybrid file's cross-reference stream: each read once, however many sections
            // point at it.
            if let Some(Obj::Int(x)) = trailer.get(b"XRefStm")
                && let Ok(x) = u64::try_from(*x)
                && seen.insert(x)
            {
                let _ = pdf.read_section(x);
            }
            if let Some(l) = pdf.limit.take() {
                return Err(l);
            }
            next = trailer
                .get(b"Prev")
                .and_then(Obj::as_int)
                .and_then(|p| u64::try_from(p).ok());
            if first {
                pdf.trailer = trailer;
                first = false;
            }
        }
        if pdf.trailer.get(b"Root").is_none() {
            return Err("PDF 的 trailer 中没有 /Root".into());
        }
        Ok(pdf)
    }

    /// `len` bytes from `at` (fewer at the end of the file): borrowed from the bytes in memory
    /// where they hold them, else read.
    fn window(&mut self, at: u64, len: usize) -> Result<std::borrow::Cow<'_, [u8]>, Broken> {
        self.spend(len as u64)?;
        if let Some((from, m)) = &self.mem
            && at >= *from
        {
            let start = ((at - from) as usize).min(m.len());
            let end = start.saturating_add(len).min(m.len());
            return Ok(std::borrow::Cow::Borrowed(&m[start..end]));
        }
        read_at(self.file, at, len)
            .map(std::borrow::Cow::Owned)
            .map_err(|e| Broken::from(e.to_string()))
    }

    /// Count bytes against the file's budget.
    fn spend(&mut self, bytes: u64) -> Result<(), Broken> {
        self.read = self.read.saturating_add(bytes);
        if self.read > MAX_READ {
            return Err(self.hit("读取超过 256 MiB"));
        }
        Ok(())
    }

    /// Note a budget hit; its message.
    fn hit(&mut self, what: &str) -> Broken {
        self.limit.get_or_insert_with(|| limit(what)).clone()
    }

    /// Parse with growing windows until the parser no longer runs out of bytes.
    fn parse_at<T>(
        &mut self,
        at: u64,
        mut f: impl FnMut(&mut Lexer<'_>) -> Result<T, Error>,
    ) -> Result<(T, usize), Broken> {
        for w in WINDOWS {
            let buf = self.window(at, w)?;
            let full = buf.len() < w;
            let mut lx = Lexer::new(&buf, 0);
            match f(&mut lx) {
                Ok(v) => return Ok((v, lx.pos)),
                Err(Error::Eof) if !full => continue,
                Err(Error::Eof) => return Err("意外的文件结尾".into()),
                Err(Error::Bad(m)) => return Err(m.into()),
            }
        }
        Err("对象过大".into())
    }

    /// One cross-reference section (classic table or stream); returns its trailer dictionary.
    fn read_section(&mut self, at: u64) -> Result<Dict, Broken> {
        let head = self.window(at, 32)?;
        let mut lx = Lexer::new(&head, 0);
        lx.skip_ws();
        let (table, pos) = (head[lx.pos..].starts_with(b"xref"), lx.pos);
        if table {
            self.read_table(at + pos as u64 + 4)
        } else {
            self.read_xref_stream(at)
        }
    }

    fn read_table(&mut self, mut at: u64) -> Result<Dict, Broken> {
        loop {
            let (sub, used) = self.parse_at(at, |lx| {
                lx.skip_ws();
                if lx.b[lx.pos..].starts_with(b"trailer") {
                    lx.pos += 7;
                    let d = lx.value(0)?;
                    return Ok(Err(d));
                }
                let first = lx.int()?;
                let count = lx.int()?;
                Ok(Ok((first, count)))
            })?;
            at += used as u64;
            let (first, count) = match sub {
                Err(Obj::Dict(d)) => return Ok(d),
                Err(_) => return Err("trailer 不是字典".into()),
                Ok(x) => x,
            };
            if !(0..=i64::from(MAX_OBJECTS)).contains(&count)
                || first < 0
                || at + count as u64 * 20 > self.size
            {
                return Err("子节数目异常".into());
            }
            // Entries are 20 bytes each after the header line's end of line.
            let buf = self.window(at, 2)?;
            let skip = buf.iter().take_while(|c| is_ws(**c)).count() as u64;
            at += skip;
            let bytes = self.window(at, count as usize * 20)?.into_owned();
            if bytes.len() < count as usize * 20 {
                return Err("交叉引用表不完整".into());
            }
            for (i, e) in bytes.chunks_exact(20).enumerate() {
                let off = ascii_int(&e[..10]).and_then(|o| u64::try_from(o).ok());
                let (Some(off), kind) = (off, e[17]) else {
                    return Err("交叉引用条目格式错误".into());
                };
                let loc = match kind {
                    b'n' => Loc::At(off),
                    b'f' => Loc::Free,
                    _ => return Err("交叉引用条目格式错误".into()),
                };
                self.xref.entry(first as u32 + i as u32).or_insert(loc);
            }
            if self.xref.len() > MAX_OBJECTS as usize {
                return Err(self.hit("交叉引用条目超过 100 万个"));
            }
            at += count as u64 * 20;
        }
    }

    fn read_object(&mut self, at: u64) -> Result<Indirect, Broken> {
        let ((value, stream), used) = self.parse_at(at, |lx| {
            lx.int()?;
            lx.int()?;
            lx.keyword(b"obj")?;
            let v = lx.value(0)?;
            let save = lx.pos;
            let stream = match (&v, lx.word()) {
                (Obj::Dict(_), Ok(b"stream")) => {
                    if lx.peek() == Some(b'\r') {
                        lx.pos += 1;
                    }
                    if lx.peek() == Some(b'\n') {
                        lx.pos += 1;
                    }
                    true
                }
                _ => {
                    lx.pos = save;
                    false
                }
            };
            Ok((v, stream))
        })?;
        Ok(Indirect {
            value,
            stream_at: stream.then_some(at + used as u64),
        })
    }

    fn stream_data(&mut self, dict: &Dict, at: u64) -> Result<Vec<u8>, Broken> {
        let filter = one_filter(dict).ok_or("不支持的压缩方式")?;
        let data = match filter {
            None => self.stream_raw(dict, at)?,
            Some(b"FlateDecode") => {
                // Inflated straight from the file's bytes in memory (no copy of the raw stream).
                let raw = self.stream_window(dict, at)?;
                let data = inflate(&raw)?;
                self.spend(data.len() as u64)?;
                data
            }
            Some(_) => return Err("不支持的压缩方式".into()),
        };
        let parms = match dict.get(b"DecodeParms") {
            Some(Obj::Dict(p)) => Some(p.clone()),
            Some(Obj::Array(a)) => a.first().and_then(Obj::as_dict).cloned(),
            _ => None,
        };
        let predictor = parms
            .as_ref()
            .and_then(|p| p.get(b"Predictor"))
            .and_then(Obj::as_int)
            .unwrap_or(1);
        if predictor >= 10 {
            let cols = parms
                .as_ref()
                .and_then(|p| p.get(b"Columns"))
                .and_then(Obj::as_int)
                .unwrap_or(1)
                .max(1) as usize;
            return unpredict_png(&data, cols);
        }
        if predictor != 1 {
            return Err("不支持的预测器".into());
        }
        Ok(data)
    }

    /// A stream's bytes as stored (still compressed).
    fn stream_raw(&mut self, dict: &Dict, at: u64) -> Result<Vec<u8>, Broken> {
        self.stream_window(dict, at)
            .map(std::borrow::Cow::into_owned)
    }

    /// A stream's bytes as stored, borrowed where the file is in memory.
    fn stream_window(
        &mut self,
        dict: &Dict,
        at: u64,
    ) -> Result<std::borrow::Cow<'_, [u8]>, Broken> {
        let len = match dict.get(b"Length") {
            Some(Obj::Ref(n, g)) => self.get(*n, *g)?.as_int(),
            Some(o) => o.as_int(),
            None => None,
        }
        .and_then(|l| u64::try_from(l).ok())
        .ok_or("流缺少长度")?;
        if len > MAX_STREAM || at + len > self.size {
            return Err("流长度超出文件".into());
        }
        self.window(at, len as usize)
    }

    fn read_xref_stream(&mut self, at: u64) -> Result<Dict, Broken> {
        let obj = self.read_object(at)?;
        let (Obj::Dict(dict), Some(data_at)) = (&obj.value, obj.stream_at) else {
            return Err("既不是 xref 表也不是交叉引用流".into());
        };
        if !dict.get(b"Type").is_some_and(|t| t.is_name(b"XRef")) {
            return Err("交叉引用流类型错误".into());
        }
        let data = self.stream_data(dict, data_at)?;
        let w: Vec<usize> = match dict.get(b"W") {
            Some(Obj::Array(a)) if a.len() == 3 => a
                .iter()
                .map(|x| x.as_int().unwrap_or(0).clamp(0, 8) as usize)
                .collect(),
            _ => return Err("交叉引用流缺少 /W".into()),
        };
        let size = dict.get(b"Size").and_then(Obj::as_int).unwrap_or(0);
        let index: Vec<i64> = match dict.get(b"Index") {
            Some(Obj::Array(a)) => a.iter().filter_map(Obj::as_int).collect(),
            _ => vec![0, size],
        };
        let row = w[0] + w[1] + w[2];
        if row == 0 {
            return Err("交叉引用流 /W 无效".into());
        }
        let field = |b: &[u8]| b.iter().fold(0u64, |acc, &x| (acc << 8) | u64::from(x));
        let mut rows = data.chunks_exact(row);
        for pair in index.chunks(2) {
            let [first, count] = pair else { break };
            for i in 0..*count {
                let Some(r) = rows.next() else {
                    return Err("交叉引用流数据不完整".into());
                };
                let kind = if w[0] == 0 { 1 } else { field(&r[..w[0]]) };
                let a = field(&r[w[0]..w[0] + w[1]]);
                let b = field(&r[w[0] + w[1]..]);
                let loc = match kind {
                    0 => Loc::Free,
                    1 => Loc::At(a),
                    2 => Loc::InStream(a as u32, b as u32),
                    _ => continue,
                };
                self.xref.entry((first + i) as u32).or_insert(loc);
                if self.xref.len() > MAX_OBJECTS as usize {
                    return Err(self.hit("交叉引用条目超过 100 万个"));
                }
            }
        }
        Ok(dict.clone())
    }

    /// Object `num`, kept for later lookups — from its second lookup on when the reader asked
    /// for that (the text layer's reader: most of the objects it reads, a font, a stream's
    /// length, are looked up once, and keeping a copy of each cost as much as parsing it).
    /// Elsewhere every object is kept from its first: a large file's objects read twice would
    /// count twice against its read budget.
    fn get(&mut self, num: u32, gen_: u16) -> Result<Obj, Broken> {
        if let Some(o) = self.cache.get(&num) {
            return Ok(o.clone());
        }
        if self.depth >= MAX_DEPTH {
            return Err(self.hit("对象之间的引用嵌套超过 16 层，可能循环引用"));
        }
        self.objects += 1;
        if self.objects > MAX_OBJECTS {
            return Err(self.hit("对象超过 100 万个"));
        }
        self.depth += 1;
        let value = self.load(num, gen_);
        self.depth -= 1;
        let value = value?;
        if self.looked_up.as_mut().is_none_or(|once| !once.insert(num)) {
            self.cache.insert(num, value.clone());
        }
        Ok(value)
    }

    fn load(&mut self, num: u32, _gen: u16) -> Result<Obj, Broken> {
        Ok(match self.xref.get(&num).copied() {
            None | Some(Loc::Free) => Obj::Null,
            Some(Loc::At(at)) => {
                if at >= self.size {
                    return Err(format!("对象 {num} 的位置超出文件").into());
                }
                self.read_object(at)?.value
            }
            Some(Loc::InStream(stm, idx)) => self.in_objstm(stm, idx)?,
        })
    }

    fn in_objstm(&mut self, stm: u32, idx: u32) -> Result<Obj, Broken> {
        if !self.objstms.contains_key(&stm) {
            let Some(Loc::At(at)) = self.xref.get(&stm).copied() else {
                return Err("对象流不存在".into());
            };
            let obj = self.read_object(at)?;
            let (Obj::Dict(dict), Some(data_at)) = (&obj.value, obj.stream_at) else {
                return Err("对象流损坏".into());
            };
            let mut data = self.stream_data(dict, data_at)?;
            let n = dict.get(b"N").and_then(Obj::as_int).unwrap_or(0).max(0) as usize;
            let first = dict.get(b"First").and_then(Obj::as_int).unwrap_or(0).max(0) as usize;
            let mut lx = Lexer::new(&data, 0);
            let mut offsets = Vec::with_capacity(n.min(100_000));
            for _ in 0..n.min(100_000) {
                let (Ok(num), Ok(off)) = (lx.int(), lx.int()) else {
                    break;
                };
                offsets.push((num as u32, first.saturating_add(off.max(0) as usize)));
            }
            data.extend_from_slice(b" \n");
            self.objstms.insert(stm, ObjStream { data, offsets });
        }
        let Some(stream) = self.objstms.get(&stm) else {
            return Err("对象流损坏".into());
        };
        let &(_, off) = stream.offsets.get(idx as usize).ok_or("对象流索引越界")?;
        let mut lx = Lexer::new(&stream.data, off.min(stream.data.len()));
        lx.value(0).map_err(|_| Broken::from("对象流中的对象损坏"))
    }

    fn resolve(&mut self, o: &Obj) -> Result<Obj, Broken> {
        let mut o = o.clone();
        for _ in 0..8 {
            match o {
                Obj::Ref(n, g) => o = self.get(n, g)?,
                _ => return Ok(o),
            }
        }
        Err("引用层级过深".into())
    }

    /// (pages, lowest page resolution, each page's object number in order) from the page
    /// tree.
    fn pages(&mut self) -> Result<(u32, Option<f64>, Vec<u32>), Broken> {
        let mut lowest: Option<f64> = None;
        let mut numbers = Vec::new();
        self.walk_pages(|pdf, number, _, media, res| {
            numbers.push(number);
            if !pdf.fonts
                && let Some(r) = &res
            {
                pdf.fonts = pdf.names_fonts(r);
            }

            if let Some(dpi) = pdf.page_dpi(media.as_deref(), res) {
                lowest = Some(lowest.map_or(dpi, |l: f64| l.min(dpi)));
            }
            true
        })?;
        Ok((numbers.len() as u32, lowest, numbers))
    }

    /// Visit each page in order — its object number (`u32::MAX` for an inline one), its
    /// dictionary, and its MediaBox and Resources, inherited where the page does not say —
    /// until `visit` returns false.
    fn walk_pages(
        &mut self,
        mut visit: impl FnMut(&mut Self, u32, &Dict, Inherited, Inherited) -> bool,
    ) -> Result<(), Broken> {
        let root = self.trailer.get(b"Root").cloned().ok_or("缺少 /Root")?;
        let root = self.resolve(&root)?;
        let pages = root
            .as_dict()
            .and_then(|d| d.get(b"Pages"))
            .cloned()
            .ok_or("缺少 /Pages")?;
        let mut stack: Vec<(Obj, Inherited, Inherited)> = vec![(pages, None, None)];
        let mut seen = HashSet::default();
        while let Some((node, media, res)) = stack.pop() {
            let number = match node {
                Obj::Ref(n, _) => Some(n),
                _ => None,
            };
            if let Some(n) = number
                && !seen.insert(n)
            {
                return Err("页面树成环".into());
            }
            if seen.len() > MAX_PAGES * 2 {
                return Err("页面过多".into());
            }
            let node = self.resolve(&node)?;
            let Some(d) = node.as_dict() else { continue };
            let media = d.get(b"MediaBox").map(|m| Rc::new(m.clone())).or(media);
            let res = d.get(b"Resources").map(|r| Rc::new(r.clone())).or(res);
            match d.get(b"Kids") {
                Some(kids) if !d.get(b"Type").is_some_and(|t| t.is_name(b"Page")) => {
                    let kids = self.resolve(kids)?;
                    if let Obj::Array(kids) = kids {
                        for k in kids.into_iter().rev() {
                            stack.push((k, media.clone(), res.clone()));
                        }
                    }
                }
                _ => {
                    if !visit(self, number.unwrap_or(u32::MAX), d, media, res) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// The bookmarks (outline), depth first, with the page each goes to (read from the outline
    /// and the page tree only, never page content). Empty when there is none.
    fn outline(&mut self, page_numbers: &[u32]) -> Result<Vec<super::Bookmark>, Broken> {
        let page_of: HashMap<u32, u32> = page_numbers
            .iter()
            .enumerate()
            .map(|(i, &n)| (n, i as u32))
            .collect();
        let root = self.trailer.get(b"Root").cloned().ok_or("缺少 /Root")?;
        let root = self.resolve(&root)?;
        let Some(root) = root.as_dict().cloned() else {
            return Ok(Vec::new());
        };
        let Some(outlines) = root.get(b"Outlines").cloned() else {
            return Ok(Vec::new());
        };
        let outlines = self.resolve(&outlines)?;
        let first = outlines.as_dict().and_then(|d| d.get(b"First")).cloned();
        let mut out = Vec::new();
        let mut seen = HashSet::default();
        let mut stack: Vec<(Obj, u8)> = first.into_iter().map(|f| (f, 0)).collect();
        while let Some((item, depth)) = stack.pop() {
            if let Obj::Ref(n, _) = item
                && !seen.insert(n)
            {
                return Err("书签成环".into());
            }
            if out.len() >= MAX_BOOKMARKS {
                return Err("书签过多".into());
            }
            let item = self.resolve(&item)?;
            let Some(d) = item.as_dict() else { continue };
            let title = match d.get(b"Title").map(|t| self.resolve(t)) {
                Some(Ok(Obj::Str(b))) => decode_text(&b),
                _ => String::new(),
            };
            let dest = match (d.get(b"Dest"), d.get(b"A")) {
                (Some(dest), _) => Some(dest.clone()),
                (None, Some(a)) => {
                    let a = self.resolve(a)?;
                    a.as_dict()
                        .filter(|a| a.get(b"S").is_some_and(|s| s.is_name(b"GoTo")))
                        .and_then(|a| a.get(b"D").cloned())
                }
                _ => None,
            };
            let page = match dest {
                Some(dest) => self.dest_page(&dest, &root, &page_of),
                None => None,
            };
            out.push(super::Bookmark { title, page, depth });
            if let Some(next) = d.get(b"Next") {
                stack.push((next.clone(), depth));
            }
            if let Some(first) = d.get(b"First") {
                stack.push((first.clone(), depth.saturating_add(1)));
            }
        }
        Ok(out)
    }

    /// The page (zero-based) a destination goes to: an explicit `[page /XYZ …]`, or a name
    /// looked up in the catalog's /Dests or its /Names /Dests tree.
    fn dest_page(&mut self, dest: &Obj, root: &Dict, page_of: &HashMap<u32, u32>) -> Option<u32> {
        let dest = self.resolve(dest).ok()?;
        let named = match &dest {
            Obj::Name(n) => Some(self.named_dest(n, root)?),
            Obj::Str(n) => Some(self.named_dest(n, root)?),
            _ => None,
        };
        let array = match named.unwrap_or(dest) {
            Obj::Array(a) => a,
            Obj::Dict(d) => match self.resolve(d.get(b"D")?).ok()? {
                Obj::Array(a) => a,
                _ => return None,
            },
            _ => return None,
        };
        match array.first()? {
            Obj::Ref(n, _) => page_of.get(n).copied(),
            // Some writers give the page's index instead of the page (remote-style).
            Obj::Int(i) => u32::try_from(*i).ok(),
            _ => None,
        }
    }

    fn named_dest(&mut self, name: &[u8], root: &Dict) -> Option<Obj> {
        if let Some(dests) = root.get(b"Dests")
            && let Ok(Obj::Dict(d)) = self.resolve(dests)
            && let Some(v) = d.get(name)
        {
            return self.resolve(v).ok();
        }
        let names = self.resolve(root.get(b"Names")?).ok()?;
        let tree = names.as_dict()?.get(b"Dests")?.clone();
        let mut stack = vec![tree];
        let mut visited = 0usize;
        while let Some(node) = stack.pop() {
            visited += 1;
            if visited > MAX_BOOKMARKS {
                return None;
            }
            let node = self.resolve(&node).ok()?;
            let d = node.as_dict()?;
            if let Some(Ok(Obj::Array(pairs))) = d.get(b"Names").map(|n| self.resolve(n)) {
                for pair in pairs.chunks(2) {
                    if let [Obj::Str(k), v] = pair
                        && k.as_slice() == name
                    {
                        return self.resolve(v).ok();
                    }
                }
            }
            if let Some(Ok(Obj::Array(kids))) = d.get(b"Kids").map(|k| self.resolve(k)) {
                stack.extend(kids);
            }
        }
        None
    }

    /// Whether a resource dictionary names a font, itself or through a form it draws (each
    /// dictionary looked at once, however many pages share it).
    fn names_fonts(&mut self, res: &Rc<Obj>) -> bool {
        self.names_fonts_at(res, 0)
    }

    fn names_fonts_at(&mut self, res: &Rc<Obj>, depth: usize) -> bool {
        let key = match &**res {
            Obj::Ref(n, _) => ResKey::Ref(*n),
            _ => ResKey::Inline(Rc::as_ptr(res) as usize),
        };
        if !self.font_checked.insert(key) {
            return false;
        }
        let Ok(Obj::Dict(res)) = self.resolve(res) else {
            return false;
        };
        if let Some(fonts) = res.get(b"Font").cloned()
            && self
                .resolve(&fonts)
                .ok()
                .and_then(|f| f.as_dict().map(|d| !d.0.is_empty()))
                .unwrap_or(false)
        {
            return true;
        }
        // A form XObject's own resources (some text layers are drawn as a form): followed as
        // deep as the text reader follows forms.
        if depth >= 8 {
            return false;
        }
        let Some(Ok(Obj::Dict(xobjects))) = res.get(b"XObject").map(|x| self.resolve(x)) else {
            return false;
        };
        for (_, r) in xobjects.0 {
            let Ok(Obj::Dict(x)) = self.resolve(&r) else {
                continue;
            };
            if x.get(b"Subtype").is_some_and(|s| s.is_name(b"Form"))
                && let Some(inner) = x.get(b"Resources")
                && self.names_fonts_at(&Rc::new(inner.clone()), depth + 1)
            {
                return true;
            }
        }
        false
    }

    /// The resolution of a page's largest image against its MediaBox.
    fn page_dpi(&mut self, media: Option<&Obj>, res: Inherited) -> Option<f64> {
        let media = self.resolve(media?).ok()?;
        let Obj::Array(b) = media else { return None };
        let v: Vec<f64> = b.iter().filter_map(Obj::as_f64).collect();
        let [x0, y0, x1, y1] = v.as_slice() else {
            return None;
        };
        let (pw, ph) = ((x1 - x0).abs() / 72.0, (y1 - y0).abs() / 72.0);
        if !(pw > 0.0 && ph > 0.0 && pw.is_finite() && ph.is_finite()) {
            return None;
        }
        let (w, h) = self.largest_image(res?)?;
        let (pw, ph) = if (w > h) == (pw > ph) {
            (pw, ph)
        } else {
            (ph, pw)
        };
        Some((w / pw).min(h / ph)).filter(|d| d.is_finite())
    }

    /// The (width, height) of the largest image in a resource dictionary, worked out once per
    /// dictionary however many pages share it.
    fn largest_image(&mut self, res: Rc<Obj>) -> Option<Size> {
        let key = match &*res {
            Obj::Ref(n, _) => ResKey::Ref(*n),
            _ => ResKey::Inline(Rc::as_ptr(&res) as usize),
        };
        if let Some((_, found)) = self.images.get(&key) {
            return *found;
        }
        let found = self.find_largest_image(&res);
        self.images.insert(key, (res, found));
        found
    }

    fn find_largest_image(&mut self, res: &Obj) -> Option<Size> {
        let res = self.resolve(res).ok()?;
        let xobjects = res.as_dict()?.get(b"XObject")?.clone();
        let xobjects = self.resolve(&xobjects).ok()?;
        let mut best: Option<Size> = None;
        for (_, r) in &xobjects.as_dict()?.0 {
            let Obj::Ref(n, _) = r else { continue };
            let Some(Loc::At(at)) = self.xref.get(n).copied() else {
                continue;
            };
            let Ok(obj) = self.read_object(at) else {
                continue;
            };
            let Some(d) = obj.value.as_dict() else {
                continue;
            };
            if !d.get(b"Subtype").is_some_and(|s| s.is_name(b"Image")) {
                continue;
            }
            let (Some(w), Some(h)) = (
                d.get(b"Width").and_then(Obj::as_f64),
                d.get(b"Height").and_then(Obj::as_f64),
            ) else {
                continue;
            };
            if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
                continue;
            }
            if best.is_none_or(|(bw, bh)| w * h > bw * bh) {
                best = Some((w, h));
            }
        }
        best
    }
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Undo PNG row predictors (xref streams are usually /Predictor 12).
fn unpredict_png(data: &[u8], cols: usize) -> Result<Vec<u8>, Broken> {
    let stride = cols + 1;
    let mut out = Vec::with_capacity(data.len() / stride * cols);
    let mut prev = vec![0u8; cols];
    for row in data.chunks(stride) {
        if row.len() < stride {
            break;
        }
        let (kind, bytes) = (row[0], &row[1..]);
        let mut cur = vec![0u8; cols];
        for i in 0..cols {
            let left = if i > 0 { cur[i - 1] } else { 0 };
            let up = prev[i];
            let ul = if i > 0 { prev[i - 1] } else { 0 };
            cur[i] = match kind {
                0 => bytes[i],
                1 => bytes[i].wrapping_add(left),
                2 => bytes[i].wrapping_add(up),
                3 => bytes[i].wrapping_add(((u16::from(left) + u16::from(up)) / 2) as u8),
                4 => {
                    let p = i16::from(left) + i16::from(up) - i16::from(ul);
                    let (pa, pb, pc) = (
                        (p - i16::from(left)).abs(),
                        (p - i16::from(up)).abs(),
                        (p - i16::from(ul)).abs(),
                    );
                    let pred = if pa <= pb && pa <= pc {
                        left
                    } else if pb <= pc {
                        up
                    } else {
                        ul
                    };
                    bytes[i].wrapping_add(pred)
                }
                _ => return Err("预测器数据错误".into()),
            };
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

/// Integrity problems are errors; a page tree that cannot be followed leaves pages and
/// resolution unknown (the file is still whole).
pub fn inspect(file: &mut File, size: u64, head: &[u8]) -> Result<Meta, Broken> {
    let mut pdf = Pdf::open(file, size, head)?;
    let meta = match pdf.pages() {
        Ok((pages, dpi, numbers)) => {
            // Bookmarks that cannot be followed are no bookmarks: the file is still whole.
            let outline = pdf.outline(&numbers).unwrap_or_default();
            Meta {
                dpi_from_pixels: false,
                dpi,
                pages: Some(pages),
                outline: (!outline.is_empty()).then(|| outline.into_boxed_slice()),
                text_layer: pdf.fonts,
            }
        }
        Err(_) => Meta::default(),
    };
    match pdf.limit {
        Some(l) => Err(l),
        None => Ok(meta),
    }
}

// ---------------------------------------------------------------------------------------------
// The object reader, for what reads page content (`crate::content::pdf`): the same budgets and
// the same tolerance of damage as the inspection.

/// A page: its dictionary and its resources (inherited where the page does not say, and then
/// shared with the pages that inherit them).
pub(crate) struct Page {
    pub(crate) dict: Dict,
    pub(crate) resources: Option<Rc<Obj>>,
}

/// A stream's filter, when it has at most one: `Some(None)` for none, `Some(Some(name))` for
/// one (named alone or in an array of one); None for a chain or anything else.
fn one_filter(dict: &Dict) -> Option<Option<&[u8]>> {
    match dict.get(b"Filter") {
        None => Some(None),
        Some(Obj::Name(n)) => Some(Some(n)),
        Some(Obj::Array(a)) if a.len() == 1 => match &a[0] {
            Obj::Name(n) => Some(Some(n)),
            _ => None,
        },
        _ => None,
    }
}

/// A PDF opened for reading its pages' content.
pub(crate) struct Reader<'f>(Pdf<'f>);

impl<'f> Reader<'f> {
    /// Open a PDF; its last `tail` bytes (the whole file if it is smaller, or at most
    /// [`WHOLE`]) are read first, in one read: where a writer puts the cross-reference table, the page tree, the fonts and
    /// their maps (objects elsewhere — a content stream written first — are read as needed;
    /// embedded font programs, most of a born-digital file's bytes, are never read).
    pub(crate) fn open(file: &'f mut File, size: u64, tail: u64) -> Result<Self, Broken> {
        let from = if size <= WHOLE {
            0
        } else {
            size.saturating_sub(tail)
        };
        let m = read_at(file, from, (size - from) as usize).map_err(|e| e.to_string())?;
        Pdf::open_in(file, size, Some((from, m))).map(Reader)
    }

    /// Keep each object only from its second lookup on (see `Pdf::get`): for a reader that
    /// looks most objects up once.
    pub(crate) fn keep_from_second_lookup(&mut self) {
        self.0.looked_up = Some(HashSet::default());
    }

    /// The first `max` pages in order.
    pub(crate) fn pages(&mut self, max: usize) -> Result<Vec<Page>, Broken> {
        let mut pages = Vec::new();
        self.0.walk_pages(|_, _, d, _, res| {
            pages.push(Page {
                dict: d.clone(),
                resources: res,
            });
            pages.len() < max
        })?;
        Ok(pages)
    }

    /// The object a reference points to (other objects as they are).
    pub(crate) fn resolve(&mut self, o: &Obj) -> Result<Obj, Broken> {
        self.0.resolve(o)
    }

    /// A stream object's dictionary and its bytes: decoded when it is Flate-compressed or not
    /// compressed, else as stored (`decode` false: always as stored).
    pub(crate) fn stream(&mut self, o: &Obj, decode: bool) -> Result<(Dict, Vec<u8>), Broken> {
        let Obj::Ref(n, _) = o else {
            return Err("不是流对象".into());
        };
        let Some(Loc::At(at)) = self.0.xref.get(n).copied() else {
            return Err(format!("流对象 {n} 不存在").into());
        };
        let obj = self.0.read_object(at)?;
        let (Obj::Dict(dict), Some(data_at)) = (obj.value, obj.stream_at) else {
            return Err(format!("对象 {n} 不是流").into());
        };
        let data = if decode {
            self.0.stream_data(&dict, data_at)?
        } else {
            self.0.stream_raw(&dict, data_at)?
        };
        Ok((dict, data))
    }

    /// A stream's bytes as stored, and whether they are Flate-compressed; None for a stream
    /// that needs another filter or decode parameters (read it with [`Reader::stream`]).
    pub(crate) fn stored(&mut self, o: &Obj) -> Result<Option<(bool, Vec<u8>)>, Broken> {
        let (dict, raw) = self.stream(o, false)?;
        let flate = match one_filter(&dict) {
            Some(None) => false,
            Some(Some(b"FlateDecode")) => true,
            _ => return Ok(None),
        };
        if dict.get(b"DecodeParms").is_some() {
            return Ok(None);
        }
        Ok(Some((flate, raw)))
    }

    /// Flate-compressed bytes inflated, counted against the file's reading budget.
    pub(crate) fn inflate(&mut self, raw: &[u8]) -> Result<Vec<u8>, Broken> {
        let data = inflate(raw)?;
        self.0.spend(data.len() as u64)?;
        Ok(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflate_whole_damaged_and_oversized_streams() {
        let text = b"BT /F1 12 Tf (a) Tj ET ".repeat(100);
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&text, 6);
        assert_eq!(inflate(&z).as_deref(), Ok(&text[..]));
        assert_eq!(inflate(&z[..z.len() / 2]), Err("流解压失败".into()));
        assert_eq!(inflate(b"\x78\x9c not deflate"), Err("流解压失败".into()));
        // Two calls on one thread: the decompressor is reset between streams.
        assert_eq!(inflate(&z).as_deref(), Ok(&text[..]));
        let bomb = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0; MAX_STREAM as usize + 1], 9);
        assert_eq!(inflate(&bomb).map(|v| v.len()), Err("流解压后过大".into()));
        let at_limit = miniz_oxide::deflate::compress_to_vec_zlib(&vec![0; MAX_STREAM as usize], 9);
        assert_eq!(inflate(&at_limit).map(|v| v.len()), Ok(MAX_STREAM as usize));
    }

    #[test]
    fn lexer_values() {
        let src = b"<< /Type /Page /MediaBox [0 0 595.3 842] /Kids [3 0 R 4 0 R] /S (a(b)c) /H <0aff> >> ";
        let mut lx = Lexer::new(src, 0);
        let Obj::Dict(d) = lx.value(0).unwrap() else {
            panic!("dict")
        };
        assert!(d.get(b"Type").unwrap().is_name(b"Page"));
        assert_eq!(
            d.get(b"Kids"),
            Some(&Obj::Array(vec![Obj::Ref(3, 0), Obj::Ref(4, 0)]))
        );
        assert_eq!(
            d.get(b"MediaBox").and_then(|m| if let Obj::Array(a) = m {
                a[2].as_f64()
            } else {
                None
            }),
            Some(595.3)
        );
        let mut lx = Lexer::new(b"<< /A 1", 0);
        assert_eq!(lx.value(0), Err(Error::Eof));
    }

    #[test]
    fn a_streams_one_filter_alone_or_in_an_array_of_one() {
        let filter = |src: &[u8]| {
            let Ok(Obj::Dict(d)) = Lexer::new(src, 0).value(0) else {
                panic!("dict")
            };
            one_filter(&d).map(|f| f.map(<[u8]>::to_vec))
        };
        let flate = Some(Some(b"FlateDecode".to_vec()));
        assert_eq!(filter(b"<< /Length 3 >> "), Some(None));
        assert_eq!(filter(b"<< /Filter /FlateDecode >> "), flate);
        assert_eq!(filter(b"<< /Filter [/FlateDecode] >> "), flate);
        // A chain, an empty array or anything but a name: not one filter.
        assert_eq!(
            filter(b"<< /Filter [/ASCIIHexDecode /FlateDecode] >> "),
            None
        );
        assert_eq!(filter(b"<< /Filter [] >> "), None);
        assert_eq!(filter(b"<< /Filter [1] >> "), None);
        assert_eq!(filter(b"<< /Filter 1 >> "), None);
    }

    #[test]
    fn a_fonts_widths_are_passed_over_when_they_are_plain_numbers() {
        let dict = |src: &[u8]| -> Result<Dict, Error> {
            match Lexer::new(src, 0).value(0)? {
                Obj::Dict(d) => Ok(d),
                _ => panic!("dict"),
            }
        };
        let keys = |d: &Dict| d.0.iter().map(|(k, _)| k.to_vec()).collect::<Vec<_>>();
        let d = dict(b"<< /FirstChar 0 /Widths [0 1000\n-5.5 +3 .5] /ToUnicode 6 0 R >> ").unwrap();
        assert_eq!(keys(&d), [&b"FirstChar"[..], b"ToUnicode"]);
        assert_eq!(d.get(b"ToUnicode"), Some(&Obj::Ref(6, 0)));
        // A reference, or an array of anything but plain numbers, is read as ever.
        let d = dict(b"<< /Widths 9 0 R >> ").unwrap();
        assert_eq!(d.get(b"Widths"), Some(&Obj::Ref(9, 0)));
        let d = dict(b"<< /Widths [1 2 0 R] /W [1 2] >> ").unwrap();
        assert_eq!(
            d.get(b"Widths"),
            Some(&Obj::Array(vec![Obj::Int(1), Obj::Ref(2, 0)]))
        );
        assert_eq!(
            d.get(b"W"),
            Some(&Obj::Array(vec![Obj::Int(1), Obj::Int(2)]))
        );
        // Cut off inside the array: more bytes are asked for, as for any value.
        assert_eq!(dict(b"<< /Widths [0 1000 1000"), Err(Error::Eof));
    }

    #[test]
    fn integers_and_references_as_written() {
        assert_eq!(ascii_int(b"0"), Some(0));
        assert_eq!(ascii_int(b"+17"), Some(17));
        assert_eq!(ascii_int(b"-17"), Some(-17));
        assert_eq!(ascii_int(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(ascii_int(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(ascii_int(b"9223372036854775808"), None);
        for not in [&b""[..], b"-", b"+", b"1.5", b"1e3", b"12a", b"--1"] {
            assert_eq!(ascii_int(not), None, "{:?}", String::from_utf8_lossy(not));
        }
        let values = |src: &[u8]| {
            let mut lx = Lexer::new(src, 0);
            let Ok(Obj::Array(a)) = lx.value(0) else {
                panic!("array")
            };
            a
        };
        // A font's widths: numbers, none a reference; then references among numbers.
        assert_eq!(
            values(b"[0 1000 500 -3 2.5] "),
            [
                Obj::Int(0),
                Obj::Int(1000),
                Obj::Int(500),
                Obj::Int(-3),
                Obj::Real(2.5)
            ]
        );
        assert_eq!(
            values(b"[7 0 R 8 1 R 9 10 11 0 R 12 /R] "),
            [
                Obj::Ref(7, 0),
                Obj::Ref(8, 1),
                Obj::Int(9),
                Obj::Int(10),
                Obj::Ref(11, 0),
                Obj::Int(12),
                Obj::Name(Name::from_slice(b"R")),
            ]
        );
        // A window that ends before the R could be seen: read a larger one.
        for cut in [&b"[4 "[..], b"[4 0", b"[4 0 ", b"[4 0 R"] {
            let mut lx = Lexer::new(cut, 0);
            assert_eq!(
                lx.value(0),
                Err(Error::Eof),
                "{:?}",
                String::from_utf8_lossy(cut)
            );
        }
    }

    /// A PDF 1.5 file whose objects sit in an object stream, indexed by a cross-reference
    /// stream (optionally with the PNG Up predictor, as most writers use).
    fn xref_stream_pdf(predictor: bool) -> Vec<u8> {
        let objs = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /I 6 0 R >> >> >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /I 6 0 R >> >> >>",
        ];
        let mut body = String::new();
        let mut header = String::new();
        for (i, o) in objs.iter().enumerate() {
            header.push_str(&format!("{} {} ", i + 1, body.len()));
            body.push_str(o);
            body.push(' ');
        }
        let stm = format!("{header}{body}");
        let z = miniz_oxide::deflate::compress_to_vec_zlib(stm.as_bytes(), 6);
        let mut out = b"%PDF-1.5\n".to_vec();
        let objstm_at = out.len();
        out.extend_from_slice(
            format!("5 0 obj\n<< /Type /ObjStm /N 4 /First {} /Filter /FlateDecode /Length {} >>\nstream\n", header.len(), z.len())
                .as_bytes(),
        );
        out.extend_from_slice(&z);
        out.extend_from_slice(b"\nendstream\nendobj\n");
        let image_at = out.len();
        out.extend_from_slice(b"6 0 obj\n<< /Type /XObject /Subtype /Image /Width 2550 /Height 3300 /Length 0 >>\nstream\n\nendstream\nendobj\n");
        let xref_at = out.len();
        // Rows: type (1 byte), field 2 (4 bytes), field 3 (2 bytes).
        let mut rows: Vec<[u8; 7]> = vec![[0, 0, 0, 0, 0, 0xFF, 0xFF]];
        for i in 0..4u16 {
            let mut r = [2, 0, 0, 0, 5, 0, 0];
            r[5..7].copy_from_slice(&i.to_be_bytes());
            rows.push(r);
        }
        for at in [objstm_at, image_at, xref_at] {
            let mut r = [1, 0, 0, 0, 0, 0, 0];
            r[1..5].copy_from_slice(&(at as u32).to_be_bytes());
            rows.push(r);
        }
        let mut raw = Vec::new();
        let mut prev = [0u8; 7];
        for r in &rows {
            if predictor {
                raw.push(2);
                raw.extend(r.iter().zip(prev).map(|(a, b)| a.wrapping_sub(b)));
                prev = *r;
            } else {
                raw.extend_from_slice(r);
            }
        }
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
        let parms = if predictor {
            "/DecodeParms << /Predictor 12 /Columns 7 >> "
        } else {
            ""
        };
        out.extend_from_slice(
            format!(
                "7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R {parms}/Filter /FlateDecode /Length {} >>\nstream\n",
                z.len()
            )
            .as_bytes(),
        );
        out.extend_from_slice(&z);
        out.extend_from_slice(
            format!("\nendstream\nendobj\nstartxref\n{xref_at}\n%%EOF\n").as_bytes(),
        );
        out
    }

    fn inspect_bytes(bytes: &[u8]) -> Result<Meta, Broken> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("x.pdf");
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        let mut f = File::open(&path).map_err(|e| e.to_string())?;
        // As the inspection reads it: its first 4 KiB first.
        inspect(&mut f, bytes.len() as u64, &bytes[..bytes.len().min(4096)])
    }

    #[test]
    fn xref_streams_and_object_streams() {
        for predictor in [false, true] {
            let meta = inspect_bytes(&xref_stream_pdf(predictor)).unwrap();
            assert_eq!(meta.pages, Some(2), "predictor {predictor}");
            // 2550 × 3300 pixels on US Letter: 300 dpi.
            assert_eq!(
                meta.dpi.map(|d| d.round()),
                Some(300.0),
                "predictor {predictor}"
            );
        }
    }

    #[test]
    fn truncated_and_garbled() {
        let good = xref_stream_pdf(true);
        assert!(inspect_bytes(&good[..good.len() - 30]).is_err(), "no %%EOF");
        let mut bad = good.clone();
        // Point startxref at the middle of nowhere.
        let at = bad.windows(9).rposition(|w| w == b"startxref").unwrap() + 10;
        bad[at] = if bad[at] == b'1' { b'2' } else { b'1' };
        assert!(
            inspect_bytes(&bad).is_err(),
            "startxref pointing at garbage"
        );
    }

    #[test]
    fn png_predictor() {
        // Two rows, Up filter on the second.
        let data = [0, 1, 2, 2, 1, 1];
        assert_eq!(unpredict_png(&data, 2).unwrap(), vec![1, 2, 2, 3]);
    }
}
