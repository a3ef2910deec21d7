//! Form XObjects: content drawn by `/Name Do` from a resource dictionary's `/XObject`, with
//! its own content stream and (often) its own fonts. Word processors' headers and stamps, and
//! some digitisation vendors' whole text layers, are drawn this way. The forms a content stream
//! draws are read before it is shown (fonts loaded, streams decoded), so that showing it
//! borrows everything and allocates nothing; an image drawn by `Do` is only looked up (its
//! dictionary, never its pixels).

use crate::inspect::pdf::HashMap;

use super::font::{FontNames, Fonts, page_fonts};
use super::lex::{Tok, tokens};
use crate::inspect::pdf::{Name, Obj, Reader};

/// Forms inside forms followed this deep (a real document nests one or two).
const MAX_DEPTH: usize = 8;
/// Forms read from one file at most.
const MAX_FORMS: usize = 1_000;

/// One form: its content, decoded; the font names its resources give; the forms it draws.
pub(super) struct Form {
    pub(super) content: Vec<u8>,
    pub(super) names: FontNames,
    pub(super) drawn: Drawn,
}

/// The forms one content stream draws: (name, index in [`Forms::all`]).
pub(super) type Drawn = Vec<(Vec<u8>, usize)>;

/// Every form of a file read so far.
#[derive(Default)]
pub(super) struct Forms {
    pub(super) all: Vec<Form>,
    /// Object number → its form (None: an XObject that is no form, or one being read — a form
    /// that draws itself is not followed).
    seen: HashMap<u32, Option<usize>>,
}

impl Forms {
    /// The forms `content` draws, looked up in `res` (the resources it is drawn with); their
    /// fonts are loaded into `fonts`.
    pub(super) fn drawn_by(
        &mut self,
        pdf: &mut Reader<'_>,
        content: &[u8],
        res: Option<&Obj>,
        fonts: &mut Fonts,
    ) -> Drawn {
        self.drawn_at(pdf, content, res, fonts, 0)
    }

    fn drawn_at(
        &mut self,
        pdf: &mut Reader<'_>,
        content: &[u8],
        res: Option<&Obj>,
        fonts: &mut Fonts,
        depth: usize,
    ) -> Drawn {
        // Most pages draw nothing: one pass over the bytes, not over the tokens.
        if depth >= MAX_DEPTH || !content.windows(2).any(|w| w == b"Do") {
            return Drawn::new();
        }
        let names = do_names(content);
        if names.is_empty() {
            return Drawn::new();
        }
        let Some(xobjects) = xobject_dict(pdf, res) else {
            return Drawn::new();
        };
        let mut drawn = Drawn::new();
        for name in names {
            let Some(r @ Obj::Ref(n, _)) = xobjects
                .iter()
                .find(|(k, _)| k[..] == name[..])
                .map(|e| &e.1)
            else {
                continue;
            };
            let form = match self.seen.get(n) {
                Some(known) => *known,
                None => {
                    self.seen.insert(*n, None);
                    let form = self.read(pdf, r, res, fonts, depth);
                    self.seen.insert(*n, form);
                    form
                }
            };
            if let Some(i) = form {
                drawn.push((name.to_vec(), i));
            }
        }
        drawn
    }

    /// The form `r` is, read; None when it is an image or cannot be read.
    fn read(
        &mut self,
        pdf: &mut Reader<'_>,
        r: &Obj,
        parent: Option<&Obj>,
        fonts: &mut Fonts,
        depth: usize,
    ) -> Option<usize> {
        if self.all.len() >= MAX_FORMS {
            return None;
        }
        let dict = pdf.resolve(r).ok()?;
        let d = dict.as_dict()?;
        if !d.get(b"Subtype").is_some_and(|s| s.is_name(b"Form")) {
            return None;
        }
        // A form without resources of its own uses those it is drawn with.
        let own = d.get(b"Resources").cloned();
        let res = own.as_ref().or(parent);
        let (_, content) = pdf.stream(r, true).ok()?;
        let names = page_fonts(pdf, res, fonts);
        let drawn = self.drawn_at(pdf, &content, res, fonts, depth + 1);
        self.all.push(Form {
            content,
            names,
            drawn,
        });
        Some(self.all.len() - 1)
    }
}

/// The names drawn by `Do` in a content stream, each once, in order.
fn do_names(content: &[u8]) -> Vec<&[u8]> {
    let mut names: Vec<&[u8]> = Vec::new();
    let mut last: Option<&[u8]> = None;
    for t in tokens(content) {
        match t {
            Tok::Name(n) => last = Some(n),
            Tok::Op(b"Do") => {
                if let Some(n) = last.take()
                    && !names.contains(&n)
                {
                    names.push(n);
                }
            }
            _ => last = None,
        }
    }
    names
}

/// A resource dictionary's `/XObject` entries.
fn xobject_dict(pdf: &mut Reader<'_>, res: Option<&Obj>) -> Option<Vec<(Name, Obj)>> {
    let res = pdf.resolve(res?).ok()?;
    let x = res.as_dict()?.get(b"XObject")?.clone();
    match pdf.resolve(&x).ok()? {
        Obj::Dict(d) => Some(d.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn do_names_are_the_names_before_do_once_each() {
        let content = b"q /Im0 Do Q BT /F1 12 Tf (x) Tj ET /Fm1 Do /Im0 Do /F1 12 Tf /Fm2 Do";
        assert_eq!(
            do_names(content),
            vec![&b"Im0"[..], &b"Fm1"[..], &b"Fm2"[..]]
        );
        // A name that is an operand of something else is not drawn.
        assert!(do_names(b"/Fm1 12 Tf Do").is_empty());
    }
}
