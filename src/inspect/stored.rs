//! An inspection as the result cache (`cache.rs`) keeps it: a few bytes, with the
//! file's content hash where one was computed. Decoding trusts nothing: a short or odd entry
//! is no entry (the file is inspected again).

use super::{Bookmark, FileFormat, Inspection, Outline};
use crate::bytes::{Bytes, put_text};

const FORMATS: [FileFormat; 13] = [
    FileFormat::Pdf,
    FileFormat::Jpeg,
    FileFormat::Tiff,
    FileFormat::Png,
    FileFormat::Bmp,
    FileFormat::Gif,
    FileFormat::Webp,
    FileFormat::Ofd,
    FileFormat::Ooxml,
    FileFormat::Odf,
    FileFormat::Ole,
    FileFormat::Zip,
    FileFormat::Unknown,
];

const DPI: u8 = 1;
const DPI_FROM_PIXELS: u8 = 2;
const PAGES: u8 = 4;
const TEXT_LAYER: u8 = 8;
const PROBLEM: u8 = 16;
const OUTLINE: u8 = 32;
const HASH: u8 = 64;
const HEAD: u8 = 128;

/// Append `insp` (with the file's content hash, if known) to `out`.
pub fn encode(insp: &Inspection, out: &mut Vec<u8>) {
    let hash = insp.hash;
    let format = FORMATS.iter().position(|f| *f == insp.format).unwrap_or(12) as u8;
    let flag = |on: bool, bit: u8| if on { bit } else { 0 };
    out.push(format);
    out.push(
        flag(insp.dpi.is_some(), DPI)
            | flag(insp.dpi_from_pixels, DPI_FROM_PIXELS)
            | flag(insp.pages.is_some(), PAGES)
            | flag(insp.text_layer, TEXT_LAYER)
            | flag(insp.problem().is_some(), PROBLEM)
            | flag(insp.outline().is_some(), OUTLINE)
            | flag(hash.is_some(), HASH)
            | flag(insp.head != 0, HEAD),
    );
    if let Some(dpi) = insp.dpi {
        out.extend_from_slice(&dpi.to_le_bytes());
    }
    if let Some(p) = insp.pages {
        out.extend_from_slice(&p.to_le_bytes());
    }
    if let Some(h) = hash {
        out.extend_from_slice(&h.get().to_le_bytes());
    }
    if insp.head != 0 {
        out.extend_from_slice(&insp.head.to_le_bytes());
    }
    if let Some(p) = insp.problem() {
        put_text(p, out);
    }
    if let Some(o) = insp.outline() {
        out.extend_from_slice(&(o.0.len() as u32).to_le_bytes());
        for b in &o.0 {
            out.push(b.depth);
            match b.page {
                Some(p) => {
                    out.push(1);
                    out.extend_from_slice(&p.to_le_bytes());
                }
                None => out.push(0),
            }
            put_text(&b.title, out);
        }
    }
}

/// The inspection [`encode`] wrote; None if `bytes` are not one, whole.
pub fn decode(bytes: &[u8]) -> Option<Inspection> {
    let mut r = Bytes(bytes);
    let format = *FORMATS.get(r.byte()? as usize)?;
    let flags = r.byte()?;
    let on = |bit: u8| flags & bit != 0;
    let mut insp = Inspection::of(format);
    insp.dpi_from_pixels = on(DPI_FROM_PIXELS);
    insp.text_layer = on(TEXT_LAYER);
    if on(DPI) {
        insp.dpi = Some(f64::from_le_bytes(r.array()?));
    }
    if on(PAGES) {
        insp.pages = Some(u32::from_le_bytes(r.array()?));
    }
    if on(HASH) {
        insp.hash = Some(super::ContentHash::new(u128::from_le_bytes(r.array()?))?);
    }
    if on(HEAD) {
        insp.head = u64::from_le_bytes(r.array()?);
    }
    if on(PROBLEM) {
        insp.set_problem(r.text()?);
    }
    if on(OUTLINE) {
        let n = r.u32()? as usize;
        // Each bookmark takes at least 6 bytes: a count beyond what is left is damage.
        if n > r.0.len() / 6 {
            return None;
        }
        let mut marks = Vec::with_capacity(n);
        for _ in 0..n {
            let depth = r.byte()?;
            let page = match r.byte()? {
                0 => None,
                1 => Some(u32::from_le_bytes(r.array()?)),
                _ => return None,
            };
            let title = r.text()?.to_string();
            marks.push(Bookmark { title, page, depth });
        }
        insp.set_outline(Outline(marks.into_boxed_slice()));
    }
    r.is_empty().then_some(insp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_and_damage_is_no_entry() {
        let mut full = Inspection {
            format: FileFormat::Pdf,
            dpi: Some(299.5),
            dpi_from_pixels: true,
            pages: Some(12),
            text_layer: true,
            hash: crate::inspect::ContentHash::new(u128::MAX - 1),
            head: 9,
            ..Inspection::of(FileFormat::Pdf)
        };
        full.set_problem("交叉引用表损坏");
        full.set_outline(Outline(
            vec![
                Bookmark {
                    title: "入党申请书".into(),
                    page: Some(0),
                    depth: 0,
                },
                Bookmark {
                    title: "思想汇报".into(),
                    page: None,
                    depth: 1,
                },
            ]
            .into_boxed_slice(),
        ));
        for format in FORMATS {
            let bare = Inspection::of(format);
            let mut out = Vec::new();
            encode(&bare, &mut out);
            assert_eq!(decode(&out), Some(bare));
        }
        let mut out = Vec::new();
        encode(&full, &mut out);
        assert_eq!(decode(&out), Some(full.clone()));
        // Every cut of it, and a byte more, is refused.
        for n in 0..out.len() {
            assert_eq!(decode(&out[..n]), None, "cut at {n}");
        }
        out.push(0);
        assert_eq!(decode(&out), None);
        assert_eq!(decode(&[13, 0]), None, "no such format");
        // A bookmark count beyond what is left is refused before anything is reserved for it.
        let mut marked = Inspection::of(FileFormat::Pdf);
        marked.set_outline(Outline(Vec::new().into_boxed_slice()));
        let mut out = Vec::new();
        encode(&marked, &mut out);
        assert_eq!(decode(&out), Some(marked));
        let at = out.len() - 4;
        out[at..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(decode(&out), None);
        // A hash whose upper half is 0 is not kept (it would read as "no hash").
        assert_eq!(crate::inspect::ContentHash::new(7), None);
        let h = (3u128 << 64) | 5;
        assert_eq!(
            crate::inspect::ContentHash::new(h).map(|c| c.get()),
            Some(h)
        );
    }
}
