//! An inspection as the result cache ([`crate::cache`]) keeps it: a few bytes, with the
//! file's content hash where one was computed. Decoding trusts nothing: a short or odd entry
//! is no entry (the file is inspected again).

use super::{Bookmark, FileFormat, Inspection, Outline};

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

/// Append `insp` (and the file's content hash, if known) to `out`.
pub fn encode(insp: &Inspection, hash: Option<u128>, out: &mut Vec<u8>) {
    let format = FORMATS.iter().position(|f| *f == insp.format).unwrap_or(12) as u8;
    let flag = |on: bool, bit: u8| if on { bit } else { 0 };
    out.push(format);
    out.push(
        flag(insp.dpi.is_some(), DPI)
            | flag(insp.dpi_from_pixels, DPI_FROM_PIXELS)
            | flag(insp.pages.is_some(), PAGES)
            | flag(insp.text_layer, TEXT_LAYER)
            | flag(insp.problem.is_some(), PROBLEM)
            | flag(insp.outline.is_some(), OUTLINE)
            | flag(hash.is_some(), HASH),
    );
    if let Some(dpi) = insp.dpi {
        out.extend_from_slice(&dpi.to_le_bytes());
    }
    if let Some(p) = insp.pages {
        out.extend_from_slice(&p.to_le_bytes());
    }
    if let Some(h) = hash {
        out.extend_from_slice(&h.to_le_bytes());
    }
    if let Some(p) = &insp.problem {
        text(p, out);
    }
    if let Some(o) = &insp.outline {
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
            text(&b.title, out);
        }
    }
}

fn text(s: &str, out: &mut Vec<u8>) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// The inspection and content hash [`encode`] wrote; None if `bytes` are not one, whole.
pub fn decode(bytes: &[u8]) -> Option<(Inspection, Option<u128>)> {
    let mut r = Cursor(bytes);
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
    let hash = if on(HASH) {
        Some(u128::from_le_bytes(r.array()?))
    } else {
        None
    };
    if on(PROBLEM) {
        insp.problem = Some(r.text()?);
    }
    if on(OUTLINE) {
        let n = u32::from_le_bytes(r.array()?) as usize;
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
            let title = r.text()?;
            marks.push(Bookmark { title, page, depth });
        }
        insp.outline = Some(Box::new(Outline(marks.into_boxed_slice())));
    }
    r.0.is_empty().then_some((insp, hash))
}

struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn text(&mut self) -> Option<String> {
        let n = u32::from_le_bytes(self.array()?) as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_round_trips_and_damage_is_no_entry() {
        let full = Inspection {
            format: FileFormat::Pdf,
            problem: Some("交叉引用表损坏".into()),
            dpi: Some(299.5),
            dpi_from_pixels: true,
            pages: Some(12),
            outline: Some(Box::new(Outline(
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
            ))),
            text_layer: true,
        };
        for format in FORMATS {
            let bare = Inspection::of(format);
            let mut out = Vec::new();
            encode(&bare, None, &mut out);
            assert_eq!(decode(&out), Some((bare, None)));
        }
        let mut out = Vec::new();
        encode(&full, Some(u128::MAX - 1), &mut out);
        assert_eq!(decode(&out), Some((full.clone(), Some(u128::MAX - 1))));
        // Every cut of it, and a byte more, is refused.
        for n in 0..out.len() {
            assert_eq!(decode(&out[..n]), None, "cut at {n}");
        }
        out.push(0);
        assert_eq!(decode(&out), None);
        assert_eq!(decode(&[13, 0]), None, "no such format");
    }
}
