//! What a document says. One job: a file in, its text out, with where the text came from and
//! how sure the reading is — then the few facts the content rules look at ([`facts`]).
//!
//! | format | text from |
//! |---|---|
//! | .docx (and .wps/.doc saved as OOXML) | `word/document.xml`, a line a paragraph |
//! | .doc (Word 97–2003, and .wps in its format) | the `WordDocument` stream through the piece table |
//! | .odt | `content.xml`'s paragraphs and headings |
//! | OFD | each page's `TextCode`s |
//! | PDF | its text layer (born digital, or the hidden layer of a 双层PDF) through each font's ToUnicode map; a PDF without one is a scan |
//! | JPEG, PNG, TIFF, scanned PDF | OCR (Tesseract), only with `--ocr`: a scanned PDF's page images are handed over as stored (DCT as JPEG, CCITT in a TIFF header, Flate pixels as PNM) |
//!
//! Other OLE files (.xls) have no text read. Reading knows nothing of rules: the rules
//! read [`facts::DocFacts`], as they read pages and dpi.

pub mod cache;
mod doc;
pub mod facts;
pub mod ocr;
mod ofd;
mod office;
mod pdf;
pub mod stored;

use crate::inspect::Broken;
use std::fs::File;
use std::path::Path;

use serde::Serialize;

use crate::inspect::{FileFormat, Inspection};

/// Where a document's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Word,
    OpenDocument,
    Ofd,
    PdfText,
    Ocr,
}

impl Source {
    /// In Chinese, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Source::Word => "Word 文档",
            Source::OpenDocument => "OpenDocument 文档",
            Source::Ofd => "OFD 文字",
            Source::PdfText => "PDF 文字层",
            Source::Ocr => "OCR 识别",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Source::Word => "word",
            Source::OpenDocument => "open-document",
            Source::Ofd => "ofd",
            Source::PdfText => "pdf-text",
            Source::Ocr => "ocr",
        }
    }

    pub fn from_key(k: &str) -> Option<Source> {
        [
            Source::Word,
            Source::OpenDocument,
            Source::Ofd,
            Source::PdfText,
            Source::Ocr,
        ]
        .into_iter()
        .find(|s| s.key() == k)
    }
}

/// A document's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub text: String,
    pub source: Source,
    /// OCR's mean word confidence, 0–100.
    pub confidence: Option<f32>,
}

/// What reading a file's text gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Extracted {
    Text(Text),
    /// A scan: its text needs OCR, which is off.
    NeedsOcr,
    /// A format no text is read from (BMP, GIF, a spreadsheet).
    NoText,
    /// The text could not be read: why, in Chinese.
    Failed(String),
}

/// How text is read in this run: OCR's engine (None: off) and the cache of what it read.
#[derive(Debug, Default)]
pub struct Reading {
    pub ocr: Option<ocr::Engine>,
    pub cache: Option<cache::Cache>,
    /// A text layer with fewer Chinese characters than this is no text layer (a scan with a
    /// stray caption): its pages go to OCR.
    pub min_layer_chars: u32,
}

/// Times a document was opened to read its text (or handed to OCR) in this process: what a re-audit
/// with a warm result cache does not do (tests and `DANGAN_TIMINGS` read it).
static READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How many times documents were opened to read their text so far.
pub fn documents_read() -> usize {
    READ.load(std::sync::atomic::Ordering::Relaxed)
}

fn count_read() {
    READ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// The text of a file, as its inspection found it. Never panics on bad content. A PDF whose
/// pages name no font is a scan: without OCR it is not even opened again.
/// `size` is the file's, as the walk found it.
pub fn extract(path: &Path, size: u64, inspection: &Inspection, reading: &Reading) -> Extracted {
    match std::panic::catch_unwind(|| extract_unguarded(path, size, inspection, reading)) {
        Ok(e) => e,
        Err(_) => Extracted::Failed("内容无法解析".into()),
    }
}

fn extract_unguarded(
    path: &Path,
    size: u64,
    inspection: &Inspection,
    reading: &Reading,
) -> Extracted {
    let format = inspection.format;
    let open = || {
        count_read();
        File::open(path).map_err(|e| Broken::io(&e))
    };
    let text = |text: String, source| {
        Extracted::Text(Text {
            text,
            source,
            confidence: None,
        })
    };
    let result = match format {
        FileFormat::Ooxml => open()
            .and_then(|mut f| office::docx(&mut f))
            .map(|t| t.map_or(Extracted::NoText, |t| text(t, Source::Word))),
        FileFormat::Odf => open()
            .and_then(|mut f| office::odt(&mut f))
            .map(|t| t.map_or(Extracted::NoText, |t| text(t, Source::OpenDocument))),
        FileFormat::Ole => open()
            .and_then(|mut f| doc::text(&mut f))
            .map(|t| t.map_or(Extracted::NoText, |t| text(t, Source::Word))),
        FileFormat::Ofd => open()
            .and_then(|mut f| ofd::text(&mut f))
            .map(|t| text(t, Source::Ofd)),
        FileFormat::Pdf => pdf_text(path, size, inspection.text_layer, reading),
        FileFormat::Jpeg | FileFormat::Png | FileFormat::Tiff => {
            Ok(ocr_cached(path, reading, |e| {
                e.file(path)
                    .map(|o| (o.text, o.confidence))
                    .map_err(Broken::from)
            }))
        }
        _ => Ok(Extracted::NoText),
    };
    result.unwrap_or_else(|e| Extracted::Failed(e.to_string()))
}

/// A PDF's text layer when it has one, else OCR of its page images.
fn pdf_text(
    path: &Path,
    size: u64,
    text_layer: bool,
    reading: &Reading,
) -> Result<Extracted, Broken> {
    if !text_layer && reading.ocr.is_none() {
        return Ok(Extracted::NeedsOcr);
    }
    if text_layer {
        count_read();
        let mut f = File::open(path).map_err(|e| crate::broken::describe_io(&e))?;
        let layer = pdf::text(&mut f, size)?;
        if facts::han_count(&layer) as u32 >= reading.min_layer_chars.max(1) {
            return Ok(Extracted::Text(Text {
                text: layer,
                source: Source::PdfText,
                confidence: None,
            }));
        }
    }
    Ok(ocr_cached(path, reading, |engine| {
        let mut f = File::open(path).map_err(|e| crate::broken::describe_io(&e))?;
        let images = pdf::page_images(&mut f, size)?;
        let unsupported: Vec<String> = images
            .iter()
            .enumerate()
            .filter_map(|(i, image)| match image {
                pdf::PageImage::Unsupported(why) => Some(format!("第 {} 页{why}", i + 1)),
                _ => None,
            })
            .collect();
        if !unsupported.is_empty() {
            return Err(unsupported.join("；").into());
        }
        let pages: Vec<&[u8]> = images
            .iter()
            .filter_map(|image| match image {
                pdf::PageImage::Image(bytes) => Some(bytes.as_slice()),
                _ => None,
            })
            .collect();
        if pages.is_empty() {
            return Err("PDF 既没有文字层，也没有页面图像".into());
        }
        let mut text = String::new();
        let (mut weighted, mut weight) = (0f64, 0f64);
        for o in engine.pages(&pages)? {
            if let Some(c) = o.confidence {
                let n = o.text.chars().count() as f64;
                weighted += f64::from(c) * n;
                weight += n;
            }
            text.push_str(&o.text);
        }
        Ok((text, (weight > 0.0).then(|| (weighted / weight) as f32)))
    }))
}

/// OCR through the cache: the text read before from the same content by the same engine, else
/// `run` (and kept). Without OCR: [`Extracted::NeedsOcr`].
fn ocr_cached(
    path: &Path,
    reading: &Reading,
    run: impl FnOnce(&ocr::Engine) -> Result<(String, Option<f32>), Broken>,
) -> Extracted {
    let Some(engine) = &reading.ocr else {
        return Extracted::NeedsOcr;
    };
    let key = reading
        .cache
        .as_ref()
        .and_then(|c| c.content_key(path).ok().map(|k| (c, k)));
    if let Some((cache, k)) = key
        && let Some(t) = cache.get(k)
    {
        return Extracted::Text(t);
    }
    count_read();
    match run(engine) {
        Ok((text, confidence)) => {
            let t = Text {
                text,
                source: Source::Ocr,
                confidence,
            };
            if let Some((cache, k)) = key {
                cache.put(k, &t);
            }
            Extracted::Text(t)
        }
        Err(e) => Extracted::Failed(e.to_string()),
    }
}

/// What was read of one document the content rules look at (a scan left unread while OCR
/// is off is only counted: 100,000 dossiers hold hundreds of thousands).
#[derive(Debug, Clone, PartialEq)]
pub enum DocText {
    /// Its text was read: the facts in it.
    Read(Box<facts::DocFacts>),
    /// Its text could not be read: why.
    Failed(String),
}

/// Why a document the content rules look at has no text to read (counted, not kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// A format no text is read from (BMP, an .xls).
    NoText,
    /// A scan, while OCR is off.
    NeedsOcr,
}

/// The documents read for the content rules, by (dossier, file), and what could not be.
#[derive(Debug, Default)]
pub struct Contents {
    /// None when no content rule is on.
    pub lens: Option<facts::Lens>,
    docs: Vec<((u32, u32), DocText)>,
    /// Documents of a kind the content rules read in a format with no text (BMP, an .xls).
    pub no_text: usize,
    /// Scans left unread: OCR is off.
    pub needs_ocr: usize,
}

impl Contents {
    pub fn new(
        lens: facts::Lens,
        mut docs: Vec<((u32, u32), DocText)>,
        no_text: usize,
        needs_ocr: usize,
    ) -> Self {
        docs.sort_by_key(|(k, _)| *k);
        Contents {
            lens: Some(lens),
            docs,
            no_text,
            needs_ocr,
        }
    }

    /// What was read of a dossier's file, if it was looked at.
    pub fn get(&self, dossier: usize, file: usize) -> Option<&DocText> {
        let key = (dossier as u32, file as u32);
        self.docs
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| &self.docs[i].1)
    }

    /// Every document looked at: (dossier, file, what was read), in archive order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, &DocText)> {
        self.docs
            .iter()
            .map(|((d, f), t)| (*d as usize, *f as usize, t))
    }

    /// The documents by what could be read of them; None when no content rule is on.
    pub fn counts(&self) -> Option<crate::results::ContentCounts> {
        self.lens.as_ref()?;
        let mut c = crate::results::ContentCounts {
            no_text: self.no_text,
            needs_ocr: self.needs_ocr,
            ..Default::default()
        };
        for (_, t) in &self.docs {
            match t {
                DocText::Read(f) if f.readable => c.read += 1,
                DocText::Read(_) => c.unreadable += 1,
                DocText::Failed(_) => c.failed += 1,
            }
        }
        Some(c)
    }
}
