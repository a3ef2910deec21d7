//! A PDF's text layer — born-digital text and the invisible OCR layer of a 双层PDF (CID fonts
//! through their ToUnicode maps) — and, for a scanned PDF, its page images as an OCR engine
//! takes them: DCT (JPEG) passed through, CCITT G3/G4 wrapped in a TIFF header, Flate or raw
//! grey/RGB/bilevel pixels as PNM. No renderer: a page is one image in a scanned PDF.

use std::collections::HashMap;
use std::fs::File;
use std::rc::Rc;

use compact_str::CompactString;

use crate::inspect::pdf::{Dict, Obj, Reader, Token, content_tokens};

/// Pages whose text is read (a dossier document has a few; a combined file is not content
/// checked).
const MAX_PAGES: usize = 200;
/// A PDF this small is read whole at once (a born-digital document is tens of kilobytes).
const IN_MEMORY: u64 = 4 << 20;
/// The most text kept from one file.
const MAX_TEXT: usize = 1 << 20;

/// A page image, as an OCR engine reads it.
#[derive(Debug)]
pub enum PageImage {
    /// JPEG, TIFF or PNM bytes.
    Image(Vec<u8>),
    /// A page with no image (nothing to read).
    Blank,
    /// An image dangan cannot hand to the engine: its encoding.
    Unsupported(String),
}

/// The text layer of every page (up to [`MAX_PAGES`]).
pub fn text(file: &mut File, size: u64) -> Result<String, String> {
    let mut pdf = Reader::open(file, size, IN_MEMORY)?;
    let pages = pdf.pages(MAX_PAGES)?;
    let mut out = String::new();
    let mut fonts: HashMap<u32, Font> = HashMap::new();
    // Pages that inherit one resource dictionary share their font names: read once.
    let mut last: Option<(*const Obj, FontNames)> = None;
    for page in &pages {
        let key = page.resources.as_ref().map_or(std::ptr::null(), Rc::as_ptr);
        if last.as_ref().is_none_or(|(k, _)| *k != key) {
            let names = page_fonts(&mut pdf, page.resources.as_deref(), &mut fonts);
            last = Some((key, names));
        }
        let page_fonts = last.as_ref().map(|(_, n)| n.as_slice()).unwrap_or_default();
        let content = contents(&mut pdf, page.dict.get(b"Contents"))?;
        show_text(&content, page_fonts, &fonts, &mut out);
        out.push('\n');
        if out.len() > MAX_TEXT {
            break;
        }
    }
    Ok(out)
}

/// Each page's largest image (up to [`MAX_PAGES`]).
pub fn page_images(file: &mut File, size: u64) -> Result<Vec<PageImage>, String> {
    let mut pdf = Reader::open(file, size, IN_MEMORY)?;
    let pages = pdf.pages(MAX_PAGES)?;
    let mut out = Vec::new();
    for page in &pages {
        out.push(page_image(&mut pdf, page.resources.as_deref()));
    }
    Ok(out)
}

fn page_image(pdf: &mut Reader<'_>, res: Option<&Obj>) -> PageImage {
    let Some(xobjects) = res
        .and_then(|r| pdf.resolve(r).ok())
        .and_then(|r| r.as_dict().and_then(|d| d.get(b"XObject")).cloned())
        .and_then(|x| pdf.resolve(&x).ok())
    else {
        return PageImage::Blank;
    };
    let mut best: Option<(f64, Obj, Dict)> = None;
    for (_, r) in xobjects
        .as_dict()
        .map(|d| d.0.as_slice())
        .unwrap_or_default()
    {
        let Ok((dict, _)) = pdf.stream(r, false) else {
            continue;
        };
        if !dict.get(b"Subtype").is_some_and(|s| s.is_name(b"Image")) {
            continue;
        }
        let dim = |k: &[u8]| dict.get(k).and_then(Obj::as_f64).unwrap_or(0.0);
        let area = dim(b"Width") * dim(b"Height");
        if best.as_ref().is_none_or(|(a, _, _)| area > *a) {
            best = Some((area, r.clone(), dict));
        }
    }
    let Some((_, r, dict)) = best else {
        return PageImage::Blank;
    };
    image_bytes(pdf, &r, &dict).unwrap_or_else(PageImage::Unsupported)
}

/// The image's bytes in a form the engine reads.
fn image_bytes(pdf: &mut Reader<'_>, r: &Obj, dict: &Dict) -> Result<PageImage, String> {
    let filters: Vec<Vec<u8>> = match dict.get(b"Filter") {
        None => Vec::new(),
        Some(Obj::Name(n)) => vec![n.clone()],
        Some(Obj::Array(a)) => a
            .iter()
            .filter_map(|f| match f {
                Obj::Name(n) => Some(n.clone()),
                _ => None,
            })
            .collect(),
        Some(_) => return Err("图像编码无法识别".into()),
    };
    let int = |k: &[u8]| dict.get(k).and_then(Obj::as_int).unwrap_or(0).max(0) as u32;
    let (w, h) = (int(b"Width"), int(b"Height"));
    let names: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
    match names.as_slice() {
        [b"DCTDecode"] => Ok(PageImage::Image(pdf.stream(r, false)?.1)),
        [b"CCITTFaxDecode"] => {
            let data = pdf.stream(r, false)?.1;
            let parms = match dict.get(b"DecodeParms") {
                Some(Obj::Dict(p)) => Some(p.clone()),
                Some(Obj::Array(a)) => a.first().and_then(Obj::as_dict).cloned(),
                _ => None,
            };
            let p = |k: &[u8]| parms.as_ref().and_then(|p| p.get(k)).cloned();
            let k = p(b"K").and_then(|k| k.as_int()).unwrap_or(0);
            let black_is_1 = matches!(p(b"BlackIs1"), Some(Obj::Bool(true)));
            let cols = p(b"Columns")
                .and_then(|c| c.as_int())
                .map_or(1728, |c| c as u32);
            let rows = p(b"Rows").and_then(|c| c.as_int()).map_or(h, |c| c as u32);
            Ok(PageImage::Image(ccitt_tiff(
                &data, cols, rows, k, black_is_1,
            )))
        }
        [] | [b"FlateDecode"] => {
            let bpc = int(b"BitsPerComponent");
            let comps = match dict.get(b"ColorSpace") {
                Some(Obj::Name(n)) if n == b"DeviceGray" || n == b"CalGray" => 1,
                Some(Obj::Name(n)) if n == b"DeviceRGB" || n == b"CalRGB" => 3,
                None if dict.get(b"ImageMask").is_some() => 1,
                _ => return Err("图像色彩空间不受支持（索引色、ICC 或 CMYK）".into()),
            };
            let data = pdf.stream(r, true)?.1;
            pnm(&data, w, h, comps, bpc)
                .map(PageImage::Image)
                .ok_or_else(|| format!("{bpc} 位 {comps} 通道的像素无法转换"))
        }
        other => Err(format!(
            "图像编码为 {}，无法交给 OCR",
            other
                .iter()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .collect::<Vec<_>>()
                .join(" + ")
        )),
    }
}

/// Raw pixels as PNM: 8-bit grey (P5), 8-bit RGB (P6), 1-bit (P4, where 1 is black — the
/// opposite of DeviceGray's, so inverted). None for other depths or short data.
fn pnm(data: &[u8], w: u32, h: u32, comps: u32, bpc: u32) -> Option<Vec<u8>> {
    let (w, h) = (w as usize, h as usize);
    let (magic, row) = match (comps, bpc) {
        (1, 8) => ("P5", w),
        (3, 8) => ("P6", w * 3),
        (1, 1) => ("P4", w.div_ceil(8)),
        _ => return None,
    };
    let len = row.checked_mul(h)?;
    let pixels = data.get(..len)?;
    let mut out = format!("{magic}\n{w} {h}\n{}", if bpc == 1 { "" } else { "255\n" }).into_bytes();
    if bpc == 1 {
        out.extend(pixels.iter().map(|b| !b));
    } else {
        out.extend_from_slice(pixels);
    }
    Some(out)
}

/// CCITT fax data wrapped in a one-strip TIFF: K < 0 is Group 4 (compression 4), K = 0 one-
/// dimensional Group 3, K > 0 two-dimensional Group 3 (compression 3 with T4Options bit 0).
fn ccitt_tiff(data: &[u8], cols: u32, rows: u32, k: i64, black_is_1: bool) -> Vec<u8> {
    let (compression, options_tag, options) = if k < 0 {
        (4u16, 293u16, 0u32)
    } else {
        (3, 292, u32::from(k > 0))
    };
    // Fax data codes white and black runs; PDF shows them as coded unless BlackIs1, which
    // turns them over (white runs drawn black). TIFF: WhiteIsZero (0) shows them as coded.
    let photometric = if black_is_1 { 1u16 } else { 0 };
    let entries: [(u16, u16, u32); 10] = [
        (256, 4, cols),
        (257, 4, rows),
        (258, 3, 1),
        (259, 3, u32::from(compression)),
        (262, 3, u32::from(photometric)),
        (273, 4, 0), // StripOffsets, set below
        (277, 3, 1),
        (278, 4, rows),
        (279, 4, data.len() as u32),
        (options_tag, 4, options),
    ];
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_at = (8 + ifd_len) as u32;
    let mut out = Vec::with_capacity(data_at as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    let mut sorted = entries;
    sorted.sort_by_key(|e| e.0);
    for (tag, typ, value) in sorted {
        let value = if tag == 273 { data_at } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if typ == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// A font's code-to-text map.
#[derive(Debug, Default)]
struct Font {
    /// Bytes per character code.
    width: usize,
    map: HashMap<u32, CompactString>,
    /// `bfrange`s with one destination: codes lo..=hi map to it, its last character counting
    /// up (kept as ranges: `<0000> <FFFF> <0000>` is common and would be 65,536 entries).
    ranges: Vec<(u32, u32, String)>,
    /// Codes are UCS-2 (a Type0 font with a UCS2 CMap and no ToUnicode).
    ucs2: bool,
}

impl Font {
    fn decode(&self, bytes: &[u8], out: &mut String) {
        for code in bytes.chunks(self.width.max(1)) {
            let c = code.iter().fold(0u32, |a, &b| (a << 8) | u32::from(b));
            if let Some(s) = self.map.get(&c) {
                out.push_str(s);
            } else if let Some((lo, _, base)) = self.ranges.iter().find(|r| r.0 <= c && c <= r.1) {
                let mut chars: Vec<char> = base.chars().collect();
                if let Some(last) = chars.last_mut() {
                    *last = char::from_u32(*last as u32 + (c - lo)).unwrap_or(*last);
                }
                out.extend(chars);
            } else if self.ucs2 || self.width == 1 && self.map.is_empty() && self.ranges.is_empty()
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
type FontNames = Vec<(Vec<u8>, u32)>;

/// The page's font names with the object each is (fonts shared by pages are read once).
fn page_fonts(
    pdf: &mut Reader<'_>,
    res: Option<&Obj>,
    fonts: &mut HashMap<u32, Font>,
) -> FontNames {
    let Some(font_dict) = res
        .and_then(|r| pdf.resolve(r).ok())
        .and_then(|r| r.as_dict().and_then(|d| d.get(b"Font")).cloned())
        .and_then(|f| pdf.resolve(&f).ok())
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, r) in font_dict.as_dict().map(|d| d.0.clone()).unwrap_or_default() {
        let Obj::Ref(n, _) = r else { continue };
        if let std::collections::hash_map::Entry::Vacant(e) = fonts.entry(n) {
            e.insert(read_font(pdf, &r).unwrap_or_default());
        }
        out.push((name, n));
    }
    out
}

fn read_font(pdf: &mut Reader<'_>, r: &Obj) -> Option<Font> {
    let font = pdf.resolve(r).ok()?;
    let d = font.as_dict()?;
    let type0 = d.get(b"Subtype").is_some_and(|s| s.is_name(b"Type0"));
    let mut f = Font {
        width: if type0 { 2 } else { 1 },
        ..Font::default()
    };
    if let Some(tu) = d.get(b"ToUnicode")
        && let Ok((_, cmap)) = pdf.stream(tu, true)
    {
        read_cmap(&cmap, &mut f);
    } else if type0 {
        f.ucs2 =
            matches!(d.get(b"Encoding"), Some(Obj::Name(n)) if n.windows(4).any(|w| w == b"UCS2"));
    }
    Some(f)
}

/// A ToUnicode CMap: its code space (the width of a code) and its bfchar and bfrange maps.
fn read_cmap(cmap: &[u8], f: &mut Font) {
    let mut padded = cmap.to_vec();
    padded.extend_from_slice(b" \n");
    let mut operands: Vec<Obj> = Vec::new();
    let code = |b: &[u8]| b.iter().fold(0u32, |a, &x| (a << 8) | u32::from(x));
    let utf16 = |b: &[u8]| -> CompactString {
        char::decode_utf16(
            b.chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])),
        )
        .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
    };
    for token in content_tokens(&padded) {
        let Token::Operator(op) = token else {
            if let Token::Operand(o) = token {
                operands.push(o);
            }
            continue;
        };
        match op {
            b"endcodespacerange" => {
                if let Some(Obj::Str(lo)) = operands.first() {
                    f.width = lo.len().clamp(1, 4);
                }
            }
            b"endbfchar" => {
                for pair in operands.chunks(2) {
                    if let [Obj::Str(src), Obj::Str(dst)] = pair {
                        f.map.insert(code(src), utf16(dst));
                    }
                }
            }
            b"endbfrange" => {
                for triple in operands.chunks(3) {
                    let [Obj::Str(lo), Obj::Str(hi), dst] = triple else {
                        continue;
                    };
                    let (lo, hi) = (code(lo), code(hi));
                    if hi < lo {
                        continue;
                    }
                    match dst {
                        Obj::Str(d) => f.ranges.push((lo, hi, utf16(d).into())),
                        Obj::Array(items) => {
                            for (c, item) in (lo..=hi).zip(items.iter().take(0x1_0000)) {
                                if let Obj::Str(d) = item {
                                    f.map.insert(c, utf16(d));
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        operands.clear();
    }
}

/// A page's content streams, decoded and joined.
fn contents(pdf: &mut Reader<'_>, c: Option<&Obj>) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let refs = match c {
        None => return Ok(out),
        Some(Obj::Array(a)) => a.clone(),
        Some(r @ Obj::Ref(..)) => match pdf.resolve(r)? {
            Obj::Array(a) => a,
            _ => vec![r.clone()],
        },
        Some(_) => return Ok(out),
    };
    for r in refs {
        let (_, data) = pdf.stream(&r, true)?;
        out.extend_from_slice(&data);
        out.extend_from_slice(b"\n");
    }
    Ok(out)
}

/// The text a content stream shows, with a line break where the text moves to another line:
/// the text line matrix's vertical position is followed through BT (reset), Td, TD, Tm, T*,
/// ' and ", so that runs placed one by one (a new BT and an absolute Td for each font run, as
/// LibreOffice writes) join on their line.
fn show_text(
    content: &[u8],
    names: &[(Vec<u8>, u32)],
    fonts: &HashMap<u32, Font>,
    out: &mut String,
) {
    let mut operands: Vec<Obj> = Vec::new();
    let mut font: Option<&Font> = None;
    let (mut y, mut leading) = (0f64, 0f64);
    let mut shown_at: Option<f64> = None;
    for token in content_tokens(content) {
        let op = match token {
            Token::Operand(o) => {
                operands.push(o);
                continue;
            }
            Token::Operator(op) => op,
        };
        let num = |i: usize| operands.get(i).and_then(Obj::as_f64);
        match op {
            b"BT" => y = 0.0,
            b"Tf" => {
                font = match operands.first() {
                    Some(Obj::Name(n)) => names
                        .iter()
                        .find(|(k, _)| k == n)
                        .and_then(|(_, id)| fonts.get(id)),
                    _ => None,
                };
            }
            b"TL" => leading = num(0).unwrap_or(0.0),
            b"Td" => y += num(1).unwrap_or(0.0),
            b"TD" => {
                let ty = num(1).unwrap_or(0.0);
                leading = -ty;
                y += ty;
            }
            b"Tm" => y = num(5).unwrap_or(y),
            b"T*" | b"'" | b"\"" => {
                y -= leading;
                // A new line even where the leading is 0.
                shown_at = shown_at.map(|s| if s == y { f64::NAN } else { s });
            }
            _ => {}
        }
        let shows = matches!(op, b"Tj" | b"TJ" | b"'" | b"\"");
        if let (true, Some(f)) = (shows, font) {
            if shown_at.is_some_and(|s| s.is_nan() || (s - y).abs() > 0.5) && !out.ends_with('\n') {
                out.push('\n');
            }
            shown_at = Some(y);
            match operands.last() {
                Some(Obj::Str(s)) => f.decode(s, out),
                Some(Obj::Array(items)) => {
                    for item in items {
                        match item {
                            Obj::Str(s) => f.decode(s, out),
                            n if n.as_f64().is_some_and(|k| k < -300.0) => out.push(' '),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        operands.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmap_bfchar_and_bfrange() {
        let cmap = b"/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <5165> <0002> <515A> endbfchar
1 beginbfrange <0010> <0012> <7533> endbfrange
1 beginbfrange <0020> <0021> [<8BF7> <4E66>] endbfrange endcmap";
        let mut f = Font::default();
        read_cmap(cmap, &mut f);
        assert_eq!(f.width, 2);
        let mut out = String::new();
        f.decode(
            &[0, 1, 0, 2, 0, 0x10, 0, 0x11, 0, 0x20, 0, 0x21, 0, 0x99],
            &mut out,
        );
        assert_eq!(out, "入党申甴请书");
    }

    #[test]
    fn text_operators_and_lines() {
        let mut f = Font {
            width: 1,
            ..Font::default()
        };
        f.map.insert(u32::from(b'A'), "申".into());
        let fonts = HashMap::from([(7, f)]);
        let names = vec![(b"F1".to_vec(), 7)];
        let content =
            b"BT /F1 12 Tf 1 0 0 1 10 700 Tm (AB) Tj [(A) -500 (A)] TJ 0 -14 Td (A) Tj ET\n";
        let mut out = String::new();
        show_text(content, &names, &fonts, &mut out);
        assert_eq!(out, "申申 申\n申");
    }

    #[test]
    fn ccitt_header_is_a_tiff() {
        let t = ccitt_tiff(&[1, 2, 3], 2480, 3508, -1, false);
        assert_eq!(&t[..4], b"II*\0");
        assert_eq!(&t[t.len() - 3..], &[1, 2, 3]);
        let mut f = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut f, &t).unwrap();
        let meta = crate::inspect::tiff::inspect_file(&mut f, t.len() as u64);
        assert_eq!(meta.map(|m| m.pages), Ok(Some(1)));
        // PhotometricInterpretation (tag 262) follows BlackIs1: img2pdf writes a BlackIsZero
        // G4 TIFF as BlackIs1 true, and poppler draws it white on black only the other way.
        let photometric = |t: &[u8]| {
            let n = u16::from_le_bytes([t[8], t[9]]) as usize;
            (0..n)
                .map(|i| &t[10 + i * 12..22 + i * 12])
                .find(|e| u16::from_le_bytes([e[0], e[1]]) == 262)
                .map(|e| u16::from_le_bytes([e[8], e[9]]))
        };
        assert_eq!(photometric(&ccitt_tiff(&[0], 8, 8, -1, true)), Some(1));
        assert_eq!(photometric(&ccitt_tiff(&[0], 8, 8, -1, false)), Some(0));
    }

    #[test]
    fn pnm_of_raw_pixels() {
        assert_eq!(
            pnm(&[0, 255], 2, 1, 1, 8).unwrap(),
            b"P5\n2 1\n255\n\x00\xff"
        );
        assert_eq!(pnm(&[0b1010_0000], 3, 1, 1, 1).unwrap(), b"P4\n3 1\n\x5f");
        assert!(pnm(&[0], 2, 1, 1, 8).is_none());
    }
}
