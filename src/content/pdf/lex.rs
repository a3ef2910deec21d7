//! The tokens of a content stream or a CMap, borrowed from its bytes: nothing is allocated
//! while a page's text operators are followed (a string's bytes are decoded only when a text
//! operator shows it, a number parsed only when an operator reads it).

pub(super) use crate::inspect::pdf::{hex_bytes, literal_bytes};
use crate::inspect::pdf::{is_ws, literal_end, skip_blank, word_end};

/// One token.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
    /// A number as written (`12`, `-3.5`, `.5`).
    Num(&'a [u8]),
    /// A name without its slash.
    Name(&'a [u8]),
    /// A hex string's digits (white space may be among them).
    Hex(&'a [u8]),
    /// A literal string between its parentheses, escapes not yet undone.
    Lit(&'a [u8]),
    /// `[` and `]`.
    Open,
    Close,
    /// `<<` and `>>`.
    DictOpen,
    DictClose,
    /// An operator (`Tj`, `endbfchar`, `true`, …).
    Op(&'a [u8]),
}

/// The tokens of `b` in order; inline image data (`BI … ID … EI`) is passed over. Every token
/// moves past at least one byte, so a damaged stream ends, never loops.
pub(super) fn tokens(b: &[u8]) -> impl Iterator<Item = Tok<'_>> {
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        pos = skip_blank(b, pos);
        let start = pos;
        let c = *b.get(pos)?;
        pos += 1;
        let tok = match c {
            b'[' => Tok::Open,
            b']' => Tok::Close,
            b'{' | b'}' => Tok::Op(&b[start..pos]),
            b'<' if b.get(pos) == Some(&b'<') => {
                pos += 1;
                Tok::DictOpen
            }
            b'>' if b.get(pos) == Some(&b'>') => {
                pos += 1;
                Tok::DictClose
            }
            b'<' => {
                let end = b[pos..]
                    .iter()
                    .position(|&c| c == b'>')
                    .map_or(b.len(), |i| pos + i);
                let digits = &b[pos..end];
                pos = (end + 1).min(b.len());
                Tok::Hex(digits)
            }
            b'(' => match literal_end(b, pos) {
                Some(end) => {
                    let raw = &b[pos..end];
                    pos = end + 1;
                    Tok::Lit(raw)
                }
                None => {
                    let raw = &b[pos..];
                    pos = b.len();
                    Tok::Lit(raw)
                }
            },
            b'/' => {
                pos = word_end(b, pos);
                Tok::Name(&b[start + 1..pos])
            }
            b')' | b'>' => Tok::Op(&b[start..pos]),
            _ => {
                pos = word_end(b, pos);
                let word = &b[start..pos];
                if matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.') {
                    Tok::Num(word)
                } else if word == b"ID" {
                    // Image data up to white space, "EI", white space (or the end).
                    let rest = &b[pos..];
                    pos += rest
                        .windows(4)
                        .position(|w| is_ws(w[0]) && &w[1..3] == b"EI" && is_ws(w[3]))
                        .map_or(rest.len(), |i| i + 3);
                    Tok::Op(b"EI")
                } else {
                    Tok::Op(word)
                }
            }
        };
        Some(tok)
    })
}

/// A number token's value.
pub(super) fn number(t: &Tok<'_>) -> Option<f64> {
    match t {
        // Most numbers in a content stream are integers (a TJ array's kerning between every
        // two glyphs): those are read without the float parser.
        Tok::Num(w) => match crate::inspect::pdf::ascii_int(w) {
            Some(i) => Some(i as f64),
            None => std::str::from_utf8(w).ok()?.parse().ok(),
        },
        _ => None,
    }
}

/// A string token's bytes (hex or literal) into `out`; false for other tokens.
pub(super) fn string_bytes(t: &Tok<'_>, out: &mut Vec<u8>) -> bool {
    match t {
        Tok::Hex(d) => hex_bytes(d, out),
        Tok::Lit(raw) => literal_bytes(raw, out),
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_content_stream() {
        let src =
            b"BT /F1 12 Tf [(a\\)b) -500 <4E2D>] TJ << /K 1 >> % note\nBI /W 1 ID \x00EI\xff EI ET";
        let toks: Vec<Tok<'_>> = tokens(src).collect();
        assert_eq!(
            toks,
            vec![
                Tok::Op(b"BT"),
                Tok::Name(b"F1"),
                Tok::Num(b"12"),
                Tok::Op(b"Tf"),
                Tok::Open,
                Tok::Lit(b"a\\)b"),
                Tok::Num(b"-500"),
                Tok::Hex(b"4E2D"),
                Tok::Close,
                Tok::Op(b"TJ"),
                Tok::DictOpen,
                Tok::Name(b"K"),
                Tok::Num(b"1"),
                Tok::DictClose,
                Tok::Op(b"BI"),
                Tok::Name(b"W"),
                Tok::Num(b"1"),
                Tok::Op(b"EI"),
                Tok::Op(b"ET"),
            ]
        );
        let mut buf = Vec::new();
        literal_bytes(b"a\\)b\\101\\n(c)", &mut buf);
        assert_eq!(buf, b"a)bA\n(c)");
        hex_bytes(b"4E 2d7", &mut buf);
        assert_eq!(buf, [0x4E, 0x2D, 0x70]);
        assert_eq!(number(&Tok::Num(b"-.5")), Some(-0.5));
    }

    #[test]
    fn damaged_streams_end() {
        for src in [&b"(unclosed"[..], b"<4E2D", b"[ /", b"(a\\", b")>}{ ID"] {
            assert!(tokens(src).count() <= src.len());
        }
    }

    #[test]
    fn numbers_integers_and_reals() {
        let n = |w: &'static [u8]| number(&Tok::Num(w));
        assert_eq!(n(b"-500"), Some(-500.0));
        assert_eq!(n(b"+3"), Some(3.0));
        assert_eq!(n(b"0012"), Some(12.0));
        assert_eq!(n(b"-14.5"), Some(-14.5));
        assert_eq!(n(b".5"), Some(0.5));
        assert_eq!(n(b"-300.01").map(|k| k < -300.0), Some(true));
        assert_eq!(n(b"-"), None);
        assert_eq!(n(b"1-2"), None);
        assert_eq!(number(&Tok::Op(b"12")), None);
    }
}
