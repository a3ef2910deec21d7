//! A font's codes to text: its ToUnicode CMap (bfchar, bfrange with one destination or an
//! array), else UCS-2 codes, else (a simple font without a map) Latin-1.

use crate::inspect::pdf::HashMap;
use std::rc::Rc;

use super::lex::{Tok, hex_bytes, tokens};
use crate::inspect::pdf::{Name, Obj, Reader};

/// A font's code-to-text map.
#[derive(Debug, Default)]
pub(super) struct Font {
    /// Bytes per character code.
    pub(super) width: usize,
    /// Codes to one character, sorted by code (most of a ToUnicode map).
    chars: Vec<(u32, char)>,
    /// Codes to more than one character (ligatures), sorted by code.
    strs: Vec<(u32, Box<str>)>,
    /// `bfrange`s with one destination: codes lo..=hi map to it, its last character counting
    /// up (kept as ranges: `<0000> <FFFF> <0000>` is common and would be 65,536 entries).
    ranges: Vec<(u32, u32, Box<str>)>,
    /// Codes are UCS-2 (a Type0 font with a UCS2 CMap and no ToUnicode).
    ucs2: bool,
    /// `chars` as a table indexed by code, when its codes are all below [`DIRECT`] (a subset
    /// font numbers its glyphs from 1): a code is then looked up, not searched for.
    direct: Box<[Option<char>]>,
}

/// The most entries of a font's table by code (16 KB).
const DIRECT: u32 = 4096;

impl Font {
    /// A one-byte font with no map yet (tests build their maps with [`Font::map`]).
    #[cfg(test)]
    pub(super) fn simple() -> Font {
        Font {
            width: 1,
            ..Font::default()
        }
    }

    /// Map `code` to `text` (a later mapping of the same code wins).
    pub(super) fn map(&mut self, code: u32, text: &str) {
        let mut cs = text.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) => self.chars.push((code, c)),
            _ => self.strs.push((code, text.into())),
        }
    }

    /// Sort the maps for lookup; of two mappings of one code the later is kept.
    pub(super) fn seal(&mut self) {
        fn keep_last<T>(v: &mut Vec<(u32, T)>) {
            v.sort_by_key(|e| e.0);
            v.dedup_by(|later, earlier| {
                if later.0 == earlier.0 {
                    std::mem::swap(later, earlier);
                    true
                } else {
                    false
                }
            });
        }
        keep_last(&mut self.chars);
        keep_last(&mut self.strs);
        self.direct = match self.chars.last() {
            Some(&(top, _)) if top < DIRECT => {
                let mut table = vec![None; top as usize + 1];
                for &(c, ch) in &self.chars {
                    table[c as usize] = Some(ch);
                }
                table.into_boxed_slice()
            }
            _ => Box::default(),
        };
    }

    /// The bytes its maps hold.
    fn heap_bytes(&self) -> usize {
        let boxed = |s: &str| std::mem::size_of::<Box<str>>() + s.len();
        self.chars.len() * std::mem::size_of::<(u32, char)>()
            + self.direct.len() * std::mem::size_of::<Option<char>>()
            + self.strs.iter().map(|(_, s)| 8 + boxed(s)).sum::<usize>()
            + self
                .ranges
                .iter()
                .map(|(_, _, s)| 8 + boxed(s))
                .sum::<usize>()
    }

    pub(super) fn decode(&self, bytes: &[u8], out: &mut String) {
        for one in bytes.chunks(self.width.max(1)) {
            let c = code(one);
            let direct = self.direct.get(c as usize);
            if let Some(Some(ch)) = direct {
                out.push(*ch);
            } else if let Some(i) = direct
                .is_none()
                .then(|| self.chars.binary_search_by_key(&c, |e| e.0).ok())
                .flatten()
            {
                out.push(self.chars[i].1);
            } else if let Ok(i) = self.strs.binary_search_by_key(&c, |e| e.0) {
                out.push_str(&self.strs[i].1);
            } else if let Some((lo, _, base)) = self.ranges.iter().find(|r| r.0 <= c && c <= r.1) {
                let mut chars = base.chars();
                let last = chars.next_back();
                out.push_str(chars.as_str());
                if let Some(last) = last {
                    out.push(char::from_u32(last as u32 + (c - lo)).unwrap_or(last));
                }
            } else if self.ucs2
                || self.width == 1 && self.chars.is_empty() && self.ranges.is_empty()
            {
                // A simple font without a map: its codes are (near enough) Latin-1.
                if let Some(ch) = char::from_u32(c).filter(|ch| !ch.is_control()) {
                    out.push(ch);
                }
            }
        }
    }
}

/// A page's font names (`/F1`) with the object number of each.
pub(super) type FontNames = Vec<(Name, u32)>;

/// A file's fonts by object number (a font read before in the same thread may be shared, see
/// [`MAPS`]).
pub(super) type Fonts = HashMap<u32, Rc<Font>>;

/// The page's font names with the object each is (fonts shared by pages are read once).
pub(super) fn page_fonts(pdf: &mut Reader<'_>, res: Option<&Obj>, fonts: &mut Fonts) -> FontNames {
    let Some(font_dict) = res
        .and_then(|r| pdf.resolve(r).ok())
        .and_then(|r| r.as_dict().and_then(|d| d.get(b"Font")).cloned())
        .and_then(|f| pdf.resolve(&f).ok())
    else {
        return Vec::new();
    };
    let Obj::Dict(font_dict) = font_dict else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, r) in font_dict.0 {
        let Obj::Ref(n, _) = r else { continue };
        if let std::collections::hash_map::Entry::Vacant(e) = fonts.entry(n) {
            e.insert(read_font(pdf, &r).unwrap_or_default());
        }
        out.push((name, n));
    }
    out
}

fn read_font(pdf: &mut Reader<'_>, r: &Obj) -> Option<Rc<Font>> {
    let font = pdf.resolve(r).ok()?;
    let d = font.as_dict()?;
    let type0 = d.get(b"Subtype").is_some_and(|s| s.is_name(b"Type0"));
    if let Some(f) = d
        .get(b"ToUnicode")
        .and_then(|tu| to_unicode(pdf, tu, type0))
    {
        return Some(f);
    }
    Some(Rc::new(Font {
        width: if type0 { 2 } else { 1 },
        ucs2: type0
            && matches!(d.get(b"Encoding"), Some(Obj::Name(n)) if n.windows(4).any(|w| w == b"UCS2")),
        ..Font::default()
    }))
}

/// ToUnicode maps read on this thread, by their bytes as stored (and the font's type, which
/// sets a code's width when the map does not): the files of one producer carry the same map —
/// every 双层PDF Tesseract writes has one identity map, `<0000> <FFFF> <0000>` — which is then
/// inflated and parsed once. At most [`MAPS_BYTES`] are kept, stored and parsed (then it starts
/// again).
struct Maps {
    by_bytes: HashMap<MapKey, Rc<Font>>,
    bytes: usize,
}

/// What makes two ToUnicode maps the same: the font's type and the stream as stored.
#[derive(PartialEq, Eq, Hash)]
struct MapKey {
    type0: bool,
    flate: bool,
    stored: Box<[u8]>,
}

const MAPS_BYTES: usize = 1 << 20;

impl Maps {
    /// Keep `font` as the map of `key`, counting its stored bytes and what the parsed map
    /// holds: when that would take what is kept past `limit`, the maps kept so far are let go
    /// first; a map that alone is past it is not kept (a hostile file's huge map lives only
    /// while its file is read).
    fn keep(&mut self, key: MapKey, font: Rc<Font>, limit: usize) {
        let cost = key.stored.len() + font.heap_bytes();
        if cost > limit {
            return;
        }
        if self.bytes + cost > limit {
            self.by_bytes.clear();
            self.bytes = 0;
        }
        self.bytes += cost;
        self.by_bytes.insert(key, font);
    }
}

thread_local! {
    static MAPS: std::cell::RefCell<Maps> = std::cell::RefCell::new(Maps {
        by_bytes: HashMap::default(),
        bytes: 0,
    });
}

/// A font's ToUnicode map (None when its stream cannot be read), from [`MAPS`] where the same
/// bytes were read before.
fn to_unicode(pdf: &mut Reader<'_>, tu: &Obj, type0: bool) -> Option<Rc<Font>> {
    let parse = |cmap: &[u8]| {
        let mut f = Font {
            width: if type0 { 2 } else { 1 },
            ..Font::default()
        };
        read_cmap(cmap, &mut f);
        Rc::new(f)
    };
    let Some((flate, raw)) = pdf.stored(tu).ok()? else {
        // Another filter or a predictor: decoded as the reader does, not kept.
        return pdf.stream(tu, true).ok().map(|(_, cmap)| parse(&cmap));
    };
    let key = MapKey {
        type0,
        flate,
        stored: raw.into_boxed_slice(),
    };
    if let Some(f) = MAPS.with(|m| m.borrow().by_bytes.get(&key).cloned()) {
        return Some(f);
    }
    let font = if flate {
        parse(&pdf.inflate(&key.stored).ok()?)
    } else {
        parse(&key.stored)
    };
    MAPS.with(|m| m.borrow_mut().keep(key, Rc::clone(&font), MAPS_BYTES));
    Some(font)
}

/// A ToUnicode CMap: its code space (the width of a code) and its bfchar and bfrange maps.
pub(super) fn read_cmap(cmap: &[u8], f: &mut Font) {
    let mut operands: Vec<Tok<'_>> = Vec::new();
    let (mut src, mut hi, mut dst) = (Vec::new(), Vec::new(), Vec::new());
    let mut text = String::new();
    for token in tokens(cmap) {
        let Tok::Op(op) = token else {
            operands.push(token);
            continue;
        };
        match op {
            b"endcodespacerange" => {
                if let Some(Tok::Hex(lo)) = operands.first() {
                    hex_bytes(lo, &mut src);
                    f.width = src.len().clamp(1, 4);
                }
            }
            b"endbfchar" => {
                for pair in operands.chunks(2) {
                    if let [Tok::Hex(s), Tok::Hex(d)] = pair {
                        // Most entries map a code to one character of the BMP (`<01> <601D>`):
                        // read straight into the map, without the general path's buffers.
                        if let (Some(c), Some(ch)) = (
                            hex_number(s),
                            hex_number(d)
                                .filter(|_| d.len() == 4)
                                .and_then(char::from_u32),
                        ) {
                            f.chars.push((c, ch));
                            continue;
                        }
                        hex_bytes(s, &mut src);
                        hex_bytes(d, &mut dst);
                        utf16_into(&dst, &mut text);
                        f.map(code(&src), &text);
                    }
                }
            }
            b"endbfrange" => bfranges(&operands, f, (&mut src, &mut hi, &mut dst), &mut text),
            _ => {}
        }
        operands.clear();
    }
    f.seal();

    /// `lo hi dst` triples, where dst is one string (a range) or an array (one a code).
    fn bfranges(
        operands: &[Tok<'_>],
        f: &mut Font,
        (lo, hi, dst): (&mut Vec<u8>, &mut Vec<u8>, &mut Vec<u8>),
        text: &mut String,
    ) {
        let mut i = 0;
        while let [Tok::Hex(l), Tok::Hex(h), rest @ ..] = &operands[i..] {
            hex_bytes(l, lo);
            hex_bytes(h, hi);
            let (lo, hi) = (code(lo), code(hi));
            i += 2;
            match rest.first() {
                Some(Tok::Hex(d)) => {
                    i += 1;
                    hex_bytes(d, dst);
                    utf16_into(dst, text);
                    if lo <= hi {
                        f.ranges.push((lo, hi, text.as_str().into()));
                    }
                }
                Some(Tok::Open) => {
                    i += 1;
                    let mut c = lo;
                    while let Some(Tok::Hex(d)) = operands.get(i) {
                        i += 1;
                        // Codes past `hi` are not the range's (the array is as long as the
                        // stream, so it bounds the work).
                        if c <= hi {
                            hex_bytes(d, dst);
                            utf16_into(dst, text);
                            f.map(c, text);
                        }
                        c = c.saturating_add(1);
                    }
                    if operands.get(i) == Some(&Tok::Close) {
                        i += 1;
                    }
                }
                _ => return,
            }
        }
    }
}

/// A hex string of two to eight digits and nothing else, as a number (what [`hex_bytes`] and
/// [`code`] make of it); None for anything else (white space, an odd digit, a longer string).
fn hex_number(digits: &[u8]) -> Option<u32> {
    if !(2..=8).contains(&digits.len()) || !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.iter().try_fold(0u32, |n, &c| {
        let nibble = char::from(c).to_digit(16)?;
        Some(n << 4 | nibble)
    })
}

/// A code's bytes as a number (big-endian).
fn code(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |a, &x| (a << 8) | u32::from(x))
}

/// UTF-16BE bytes as text into `out` (cleared first).
fn utf16_into(b: &[u8], out: &mut String) {
    out.clear();
    out.extend(
        char::decode_utf16(
            b.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])),
        )
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixture's text layer, read on this thread.
    fn read(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/content-scans")
            .join(name);
        let size = std::fs::metadata(&path).expect("fixture").len();
        let mut file = std::fs::File::open(&path).expect("fixture");
        super::super::text(&mut file, size).expect("text layer")
    }

    /// The same, on a thread of its own: no map read before.
    fn read_alone(name: &'static str) -> String {
        std::thread::spawn(move || read(name))
            .join()
            .expect("thread")
    }

    fn maps_kept() -> usize {
        MAPS.with(|m| m.borrow().by_bytes.len())
    }

    #[test]
    fn maps_kept_up_to_their_limit_then_let_go() {
        let mut m = Maps {
            by_bytes: HashMap::default(),
            bytes: 0,
        };
        let key = |b: u8, n: usize| MapKey {
            type0: true,
            flate: false,
            stored: vec![b; n].into_boxed_slice(),
        };
        m.keep(key(1, 60), Rc::default(), 100);
        m.keep(key(2, 40), Rc::default(), 100);
        // Exactly at the limit: both kept.
        assert_eq!((m.by_bytes.len(), m.bytes), (2, 100));
        // One byte more: the two let go, the new one kept.
        m.keep(key(3, 1), Rc::default(), 100);
        assert_eq!((m.by_bytes.len(), m.bytes), (1, 1));
        assert!(m.by_bytes.contains_key(&key(3, 1)));
        // A parsed map counts what it holds: 8 bytes a code in its list and 4 in its table by
        // code, here 8 codes (0–7) and 4 bytes stored (100 in all) is kept; 9 codes (112) alone
        // are past the limit, not kept.
        let codes = |n: u32| {
            let mut f = Font::simple();
            (0..n).for_each(|c| f.map(c, "中"));
            f.seal();
            Rc::new(f)
        };
        m.keep(key(4, 4), codes(8), 100);
        assert_eq!((m.by_bytes.len(), m.bytes), (1, 100));
        m.keep(key(5, 4), codes(9), 100);
        assert_eq!((m.by_bytes.len(), m.bytes), (1, 100));
        assert!(!m.by_bytes.contains_key(&key(5, 4)));
        // A ligature and a range: each its code or codes (8 bytes), its text and the box it
        // is in (16 bytes); one code to one character, 8 bytes, and its table by code up to
        // that code (codes 0–2, 4 bytes each).
        let mut f = Font::default();
        read_cmap(
            b"1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <01> <00660069> <02> <4E2D> endbfchar 1 beginbfrange <10> <20> <4E2D> endbfrange",
            &mut f,
        );
        assert_eq!(f.heap_bytes(), (8 + 16 + 2) + (8 + 16 + 3) + 8 + 3 * 4);
    }

    #[test]
    fn maps_read_before_are_used_only_for_the_same_bytes() {
        // Two LibreOffice documents (each with its own subset fonts' maps) and a Tesseract
        // 双层PDF (one identity map), read one after another on one thread: each reads as it
        // does alone, whatever maps the one before left.
        let files = [
            "current-born-digital.pdf",
            "outdated-born-digital.pdf",
            "outdated-layered.pdf",
        ];
        let alone: Vec<String> = files.iter().map(|f| read_alone(f)).collect();
        assert!(alone[0].contains("二十大"), "{}", alone[0]);
        assert!(
            alone[2].replace(' ', "").contains("思想汇报"),
            "{}",
            alone[2]
        );
        for (f, a) in files.iter().zip(&alone) {
            assert_eq!(&read(f), a, "{f}");
        }
        // Read again, every map comes from what was kept: nothing more is kept.
        let kept = maps_kept();
        assert!(kept >= 3, "{kept}");
        for (f, a) in files.iter().zip(&alone) {
            assert_eq!(&read(f), a, "{f}");
        }
        assert_eq!(maps_kept(), kept);
    }

    #[test]
    fn cmap_bfchar_and_bfrange() {
        let cmap = b"/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <5165> <0002> <515A> <0003> <00660069> <0002> <515A> endbfchar
2 beginbfrange <0010> <0012> <7533> <0040> <0040> <4E2D> endbfrange
2 beginbfrange <0020> <0021> [<8BF7> <4E66> <4E2D>] <0030> <0030> <4E66> endbfrange endcmap";
        let mut f = Font::default();
        read_cmap(cmap, &mut f);
        assert_eq!(f.width, 2);
        let mut out = String::new();
        f.decode(
            &[
                0, 1, 0, 2, 0, 0x10, 0, 0x11, 0, 3, 0, 0x20, 0, 0x21, 0, 0x22, 0, 0x30, 0, 0x40, 0,
                0x99,
            ],
            &mut out,
        );
        // 0x22 is past the array's range (its third entry is not mapped); 0x30 follows the
        // array in its block, 0x40 another range in its.
        assert_eq!(out, "入党申甴fi请书书中");
    }

    #[test]
    fn a_later_mapping_of_a_code_wins() {
        let mut f = Font::simple();
        f.map(0x41, "甲");
        f.map(0x42, "乙");
        f.map(0x41, "丙");
        f.seal();
        let mut out = String::new();
        f.decode(b"AB", &mut out);
        assert_eq!(out, "丙乙");
    }

    #[test]
    fn codes_looked_up_in_a_table_up_to_its_limit_and_searched_past_it() {
        // Codes up to 4,095 get a table by code; a font with a code past it keeps searching
        // its list. Either way every code reads the same.
        for (top, table) in [(DIRECT - 1, DIRECT as usize), (DIRECT, 0)] {
            let mut f = Font {
                width: 2,
                ..Font::default()
            };
            f.map(1, "甲");
            f.map(top, "乙");
            f.map(2, "fi");
            f.seal();
            assert_eq!(f.direct.len(), table, "top code {top}");
            let mut out = String::new();
            let [hi, lo] = (top as u16).to_be_bytes();
            f.decode(&[0, 1, hi, lo, 0, 2, 0, 3, 0xFF, 0xFF], &mut out);
            assert_eq!(out, "甲乙fi", "top code {top}");
        }
    }

    #[test]
    fn hex_numbers_as_the_general_path_reads_them() {
        // Every string the short path takes reads as hex_bytes and code read it; the rest
        // (odd, spaced, too long, not hex) is left to them.
        for d in [&b"01"[..], b"601D", b"601d", b"00FF", b"FFFFFFFF", b"0000"] {
            let mut bytes = Vec::new();
            hex_bytes(d, &mut bytes);
            assert_eq!(hex_number(d), Some(code(&bytes)), "{d:?}");
        }
        for d in [
            &b""[..],
            b"1",
            b"601",
            b"60 1D",
            b"0000000000",
            b"G1",
            b"+1",
        ] {
            assert_eq!(hex_number(d), None, "{d:?}");
        }
        // A map read both ways gives the same text: a surrogate and a two-character
        // destination go the long way.
        let mut f = Font::default();
        read_cmap(
            b"1 begincodespacerange <00> <FF> endcodespacerange 5 beginbfchar <01> <601D> <02> <D800> <03> <00660069> <1> <4E2D> <04> <41> endbfchar",
            &mut f,
        );
        let mut out = String::new();
        f.decode(&[1, 2, 3, 0x10, 4], &mut out);
        // A one-byte destination is half a UTF-16 unit, padded: U+4100.
        assert_eq!(out, "思\u{FFFD}fi中\u{4100}");
    }
}
