//! A document's reading as the result cache (`crate::cache`) keeps it, after the file's
//! inspection: so that a re-audit of unchanged documents with text reads none of them again.
//!
//! Kept: the facts of a text read without OCR (Word, OpenDocument, OFD, a PDF's text layer),
//! a document in a format with no text, and a Word/OpenDocument/OFD file whose text could not
//! be read. Not kept: anything OCR read or failed to read (the text cache, `cache.rs`, keeps
//! OCR's text by content and engine), and a scan left unread while OCR is off (known from its
//! inspection without reading it). An entry names the [`Lens`](super::facts::Lens) it was read
//! with (its phrases and settings) and, for facts, the owner they were read for: a changed
//! rule file or a dossier joined to another person reads the document again. Decoding trusts
//! nothing: a short or odd section is no section.

use compact_str::CompactString;

use super::facts::DocFacts;
use super::{DocText, Source, Unread};
use crate::bytes::{Bytes, put_text};
use crate::inspect::FileFormat;

const READ: u8 = 1;
const FAILED: u8 = 2;
const NO_TEXT: u8 = 3;

const SOURCES: [Source; 4] = [
    Source::Word,
    Source::OpenDocument,
    Source::Ofd,
    Source::PdfText,
];

/// The owner a document's facts were read for, as a key: the name as [`Lens::read`]
/// compares it.
///
/// [`Lens::read`]: super::facts::Lens::read
pub fn owner_key(owner: &str) -> u64 {
    let name = super::facts::compact(&crate::text::normalize_name(owner));
    xxhash_rust::xxh3::xxh3_64(name.as_bytes())
}

/// Append a reading to `out` when it is one the cache keeps (see the module's doc); whether
/// it was. `format` is the file's, as inspected.
pub fn encode(
    (lens, owner): (u64, u64),
    read: &Result<DocText, Unread>,
    format: FileFormat,
    out: &mut Vec<u8>,
) -> bool {
    let without_ocr = matches!(
        format,
        FileFormat::Ooxml | FileFormat::Odf | FileFormat::Ole | FileFormat::Ofd
    );
    let tag = match read {
        Ok(DocText::Read(f)) if f.source != Source::Ocr => READ,
        Ok(DocText::Failed(_)) if without_ocr => FAILED,
        Err(Unread::NoText) => NO_TEXT,
        _ => return false,
    };
    out.extend_from_slice(&lens.to_le_bytes());
    out.extend_from_slice(&owner.to_le_bytes());
    out.push(tag);
    match read {
        Ok(DocText::Read(f)) => put_facts(f, out),
        Ok(DocText::Failed(why)) => put_text(why, out),
        Err(_) => {}
    }
    true
}

fn put_facts(f: &DocFacts, out: &mut Vec<u8>) {
    let source = SOURCES.iter().position(|s| *s == f.source).unwrap_or(0) as u8;
    out.push(source);
    out.push(u8::from(f.readable) | u8::from(f.owner_named) << 1);
    out.extend_from_slice(&f.chars.to_le_bytes());
    match &f.written {
        Some((date, as_written)) => {
            out.push(1);
            out.extend_from_slice(&date.year().to_le_bytes());
            out.push(date.month() as u8);
            out.push(date.day() as u8);
            put_text(as_written, out);
        }
        None => out.push(0),
    }
    out.extend_from_slice(&(f.signers.len() as u32).to_le_bytes());
    for s in &f.signers {
        put_text(s, out);
    }
    out.extend_from_slice(&(f.phrases.len() as u32).to_le_bytes());
    for p in &f.phrases {
        out.extend_from_slice(&p.to_le_bytes());
    }
}

/// The reading [`encode`] wrote, if it was made with this lens — and, for facts, for this
/// owner; None otherwise, or if `bytes` are not one whole section.
pub fn decode(bytes: &[u8], (lens, owner): (u64, u64)) -> Option<Result<DocText, Unread>> {
    let mut r = Bytes(bytes);
    if u64::from_le_bytes(r.array()?) != lens {
        return None;
    }
    let for_owner = u64::from_le_bytes(r.array()?) == owner;
    let read = match r.byte()? {
        READ if for_owner => Ok(DocText::Read(Box::new(facts(&mut r)?))),
        FAILED => Ok(DocText::Failed(r.text()?.to_string())),
        NO_TEXT => Err(Unread::NoText),
        _ => return None,
    };
    r.is_empty().then_some(read)
}

fn facts(r: &mut Bytes<'_>) -> Option<DocFacts> {
    let source = *SOURCES.get(r.byte()? as usize)?;
    let flags = r.byte()?;
    if flags > 3 {
        return None;
    }
    let chars = r.u32()?;
    let written = match r.byte()? {
        0 => None,
        1 => {
            let year = i16::from_le_bytes(r.array()?);
            let (month, day) = (r.byte()? as i8, r.byte()? as i8);
            let date = jiff::civil::Date::new(year, month, day).ok()?;
            Some((date, CompactString::from(r.text()?)))
        }
        _ => return None,
    };
    // A damaged count stops at the first item past the end (nothing is reserved for it).
    let n = r.u32()? as usize;
    let signers = (0..n)
        .map(|_| r.text().map(CompactString::from))
        .collect::<Option<Vec<_>>>()?;
    let n = r.u32()? as usize;
    let phrases = (0..n)
        .map(|_| r.array().map(u16::from_le_bytes))
        .collect::<Option<Vec<_>>>()?;
    Some(DocFacts {
        source,
        confidence: None,
        chars,
        readable: flags & 1 != 0,
        written,
        signers,
        phrases,
        owner_named: flags & 2 != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> DocFacts {
        DocFacts {
            source: Source::PdfText,
            confidence: None,
            chars: 321,
            readable: true,
            written: Some((
                jiff::civil::date(2023, 3, 15),
                "二〇二三年三月十五日".into(),
            )),
            signers: vec!["张三".into(), "阿依古丽·买买提".into()],
            phrases: vec![0, 2, 7],
            owner_named: true,
        }
    }

    fn round(read: Result<DocText, Unread>, format: FileFormat) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        encode((7, 9), &read, format, &mut out).then_some(out)
    }

    #[test]
    fn every_kept_reading_round_trips() {
        let read = Ok(DocText::Read(Box::new(facts())));
        let bytes = round(read.clone(), FileFormat::Pdf).unwrap();
        assert_eq!(decode(&bytes, (7, 9)), Some(read));
        let unread = DocFacts {
            source: Source::Word,
            readable: false,
            owner_named: false,
            written: None,
            signers: Vec::new(),
            phrases: Vec::new(),
            ..facts()
        };
        let read = Ok(DocText::Read(Box::new(unread)));
        let bytes = round(read.clone(), FileFormat::Ooxml).unwrap();
        assert_eq!(decode(&bytes, (7, 9)), Some(read));
        let failed = Ok(DocText::Failed("word/document.xml 损坏".into()));
        let bytes = round(failed.clone(), FileFormat::Ooxml).unwrap();
        assert_eq!(decode(&bytes, (7, 9)), Some(failed));
        let bytes = round(Err(Unread::NoText), FileFormat::Bmp).unwrap();
        assert_eq!(decode(&bytes, (7, 9)), Some(Err(Unread::NoText)));
    }

    #[test]
    fn what_ocr_read_or_would_read_is_not_kept() {
        let ocr = DocFacts {
            source: Source::Ocr,
            confidence: Some(88.0),
            ..facts()
        };
        assert_eq!(
            round(Ok(DocText::Read(Box::new(ocr))), FileFormat::Jpeg),
            None
        );
        for format in [FileFormat::Pdf, FileFormat::Jpeg, FileFormat::Tiff] {
            assert_eq!(round(Ok(DocText::Failed("OCR 失败".into())), format), None);
        }
        assert_eq!(round(Err(Unread::NeedsOcr), FileFormat::Pdf), None);
    }

    #[test]
    fn another_lens_or_owner_or_damage_is_no_entry() {
        let bytes = round(Ok(DocText::Read(Box::new(facts()))), FileFormat::Pdf).unwrap();
        assert_eq!(decode(&bytes, (8, 9)), None, "another lens");
        assert_eq!(decode(&bytes, (7, 10)), None, "another owner");
        // What does not depend on the owner is kept for any owner.
        let bytes = round(Err(Unread::NoText), FileFormat::Bmp).unwrap();
        assert_eq!(decode(&bytes, (7, 10)), Some(Err(Unread::NoText)));
        let whole = round(Ok(DocText::Read(Box::new(facts()))), FileFormat::Pdf).unwrap();
        for cut in 0..whole.len() {
            assert_eq!(decode(&whole[..cut], (7, 9)), None, "cut at {cut}");
        }
        let mut longer = whole.clone();
        longer.push(0);
        assert_eq!(decode(&longer, (7, 9)), None);
        let mut odd_tag = whole.clone();
        odd_tag[16] = 9;
        assert_eq!(decode(&odd_tag, (7, 9)), None);
        // A count of u32::MAX signers or phrases: refused, nothing reserved for it.
        let at_phrases = whole.len() - 4 - 3 * 2;
        let mut many = whole[..at_phrases].to_vec();
        many.extend_from_slice(&u32::MAX.to_le_bytes());
        many.extend_from_slice(&[0, 0, 2, 0]);
        assert_eq!(decode(&many, (7, 9)), None);
    }

    #[test]
    fn owner_keys_compare_names_as_the_facts_do() {
        assert_eq!(owner_key("张 三"), owner_key("张三"));
        assert_ne!(owner_key("张三"), owner_key("李四"));
    }
}
