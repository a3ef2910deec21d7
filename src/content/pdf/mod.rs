//! A PDF's text layer — born-digital text and the invisible OCR layer of a 双层PDF (CID fonts
//! through their ToUnicode maps, [`font`]) — and, for a scanned PDF, its page images as an OCR
//! engine takes them ([`image`]). Content streams are followed with borrowed tokens ([`lex`]):
//! nothing is allocated per operator.

mod font;
mod form;
mod image;
mod lex;

use crate::inspect::Broken;
use std::fs::File;
use std::rc::Rc;

use crate::inspect::pdf::{Name, Obj, Reader};
use font::{Font, Fonts, page_fonts};
use form::{Drawn, Form, Forms};
use lex::{Tok, number, string_bytes, tokens};

/// Pages whose text is read (a dossier document has a few; a combined file is not content
/// checked).
const MAX_PAGES: usize = 200;
/// The bytes read at once from a PDF's end for its text: the cross-reference table, page tree,
/// fonts and ToUnicode maps of a born-digital document (its embedded font programs, most of its
/// bytes, lie before them and are not read).
const TEXT_TAIL: u64 = 16 << 10;
/// The bytes read at once from a scanned PDF's end for its page images (the whole of one this
/// small; images before them are read as needed).
const IN_MEMORY: u64 = 4 << 20;
/// The most text kept from one file.
const MAX_TEXT: usize = 1 << 20;
/// The most forms shown in one file (a form may draw another ten times, that one the next ten
/// times …: the count, not the text, is what grows).
const MAX_DRAWS: usize = 10_000;

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
pub fn text(file: &mut File, size: u64) -> Result<String, Broken> {
    let mut pdf = Reader::open(file, size, TEXT_TAIL)?;
    pdf.keep_from_second_lookup();
    let pages = pdf.pages(MAX_PAGES)?;
    let mut out = String::new();
    let mut fonts = Fonts::default();
    let mut forms = Forms::default();
    let draws = std::cell::Cell::new(0usize);
    let mut scratch = Vec::new();
    // Pages that inherit one resource dictionary share their font names: read once.
    let mut last: Option<(*const Obj, font::FontNames)> = None;
    for page in &pages {
        let key = page.resources.as_ref().map_or(std::ptr::null(), Rc::as_ptr);
        if last.as_ref().is_none_or(|(k, _)| *k != key) {
            let names = page_fonts(&mut pdf, page.resources.as_deref(), &mut fonts);
            last = Some((key, names));
        }
        let page_fonts = last.as_ref().map(|(_, n)| n.as_slice()).unwrap_or_default();
        let content = contents(&mut pdf, page.dict.get(b"Contents"))?;
        let drawn = forms.drawn_by(&mut pdf, &content, page.resources.as_deref(), &mut fonts);
        let with = Resources {
            fonts: &fonts,
            forms: &forms.all,
            draws: &draws,
        };
        show_text(&content, (page_fonts, &drawn), with, &mut scratch, &mut out);
        out.push('\n');
        if out.len() > MAX_TEXT {
            break;
        }
    }
    Ok(out)
}

/// Each page's largest image (up to [`MAX_PAGES`]).
pub fn page_images(file: &mut File, size: u64) -> Result<Vec<PageImage>, Broken> {
    let mut pdf = Reader::open(file, size, IN_MEMORY)?;
    let pages = pdf.pages(MAX_PAGES)?;
    let mut out = Vec::new();
    for page in &pages {
        out.push(image::page_image(&mut pdf, page.resources.as_deref()));
    }
    Ok(out)
}

/// A page's content streams, decoded and joined.
fn contents(pdf: &mut Reader<'_>, c: Option<&Obj>) -> Result<Vec<u8>, Broken> {
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

/// What a file's content streams are shown with: its fonts and its forms, read beforehand.
#[derive(Clone, Copy)]
struct Resources<'a> {
    fonts: &'a Fonts,
    forms: &'a [Form],
    /// Forms shown so far in the file.
    draws: &'a std::cell::Cell<usize>,
}

/// The text a content stream shows, with a line break where the text moves to another line:
/// the text line matrix's vertical position is followed through BT (reset), Td, TD, Tm, T*,
/// ' and ", so that runs placed one by one (a new BT and an absolute Td for each font run, as
/// LibreOffice writes) join on their line. A form it draws (`Do`, see [`form`]) shows its text
/// there, on lines of its own. `names` are the stream's font names and the forms it draws;
/// `scratch` holds a string's bytes while they are decoded.
fn show_text(
    content: &[u8],
    (names, drawn): (&[(Name, u32)], &Drawn),
    with: Resources<'_>,
    scratch: &mut Vec<u8>,
    out: &mut String,
) {
    let fonts = with.fonts;
    let mut operands: Vec<Tok<'_>> = Vec::new();
    let mut font: Option<&Font> = None;
    let (mut y, mut leading) = (0f64, 0f64);
    let mut shown_at: Option<f64> = None;
    for token in tokens(content) {
        let Tok::Op(op) = token else {
            operands.push(token);
            continue;
        };
        let num = |i: usize| operands.get(i).and_then(number);
        match op {
            b"BT" => y = 0.0,
            b"Tf" => {
                font = match operands.first() {
                    Some(Tok::Name(n)) => names
                        .iter()
                        .find(|(k, _)| k[..] == **n)
                        .and_then(|(_, id)| fonts.get(id).map(|f| &**f)),
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
            b"Do" => {
                // A form drawn over and over (a stamp a thousand times) is shown up to the
                // text kept from a file, no further.
                if out.len() <= MAX_TEXT
                    && with.draws.get() < MAX_DRAWS
                    && let Some(Tok::Name(n)) = operands.last()
                    && let Some((_, i)) = drawn.iter().find(|(k, _)| k[..] == **n)
                    && let Some(form) = with.forms.get(*i)
                {
                    with.draws.set(with.draws.get() + 1);
                    if !out.is_empty() && !out.ends_with('\n') {
                        out.push('\n');
                    }
                    show_text(
                        &form.content,
                        (&form.names, &form.drawn),
                        with,
                        scratch,
                        out,
                    );
                    // What the stream shows next starts a line of its own.
                    shown_at = Some(f64::NAN);
                }
            }
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
            show(&operands, f, scratch, out);
        }
        operands.clear();
    }
}

/// The string a text operator shows (its last operand), or each string of a TJ array, with a
/// space where the array moves the text on by more than 0.3 em.
fn show(operands: &[Tok<'_>], f: &Font, scratch: &mut Vec<u8>, out: &mut String) {
    if operands.last() != Some(&Tok::Close) {
        if let Some(t) = operands.last()
            && string_bytes(t, scratch)
        {
            f.decode(scratch, out);
        }
        return;
    }
    let start = operands.iter().rposition(|t| *t == Tok::Open).unwrap_or(0);
    for item in &operands[start..] {
        if string_bytes(item, scratch) {
            f.decode(scratch, out);
        } else if number(item).is_some_and(|k| k < -300.0) {
            out.push(' ');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_operators_and_lines() {
        let mut f = Font::simple();
        f.map(u32::from(b'A'), "申");
        f.seal();
        let fonts = Fonts::from_iter([(7, Rc::new(f))]);
        let names = vec![(Name::from_slice(b"F1"), 7)];
        let content =
            b"BT /F1 12 Tf 1 0 0 1 10 700 Tm (AB) Tj [(A) -500 (A)] TJ 0 -14 Td (A) Tj ET\n";
        let mut out = String::new();
        let with = Resources {
            fonts: &fonts,
            forms: &[],
            draws: &std::cell::Cell::new(0),
        };
        show_text(
            content,
            (&names, &Vec::new()),
            with,
            &mut Vec::new(),
            &mut out,
        );
        assert_eq!(out, "申申 申\n申");
    }
}
