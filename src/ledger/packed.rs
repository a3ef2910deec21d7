//! A ledger row's values packed into one allocation: per value a tag byte and its payload —
//! a text's length and bytes, a date's five bytes. A row of 16 fields was 16 values of 24
//! bytes (384 bytes, plus a heap block for every text over 24 bytes); packed, it is the bytes
//! its cells hold, about 120 for a typical row. A million-row ledger is read whole (rules
//! compare people across branches), so this is what it costs to keep.
//!
//! Values are decoded when asked for ([`Packed::get`]); a text is lent out as it is stored
//! ([`Packed::text`]). Rows are packed once, after their cells are read or merged.

use super::{FieldValue, Invalid};
use crate::date::DateValue;

const EMPTY: u8 = 0;
const TEXT: u8 = 1;
const DATE: u8 = 2;
const RANGE: u8 = 3;
const EITHER: u8 = 4;
const INVALID: u8 = 5;

/// A row's values, in slot order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Packed(Box<[u8]>);

impl Packed {
    pub(super) fn pack(values: &[FieldValue]) -> Packed {
        let mut out = Vec::with_capacity(values.iter().map(packed_len).sum());
        for v in values {
            match v {
                FieldValue::Empty => out.push(EMPTY),
                FieldValue::Text(t) => {
                    out.push(TEXT);
                    put_str(&mut out, t);
                }
                FieldValue::Date(d) => {
                    out.push(DATE);
                    out.extend_from_slice(&d.to_bytes());
                }
                FieldValue::Range(a, b) | FieldValue::Either(a, b) => {
                    out.push(if matches!(v, FieldValue::Range(..)) {
                        RANGE
                    } else {
                        EITHER
                    });
                    out.extend_from_slice(&a.to_bytes());
                    out.extend_from_slice(&b.to_bytes());
                }
                FieldValue::Invalid(bad) => {
                    out.push(INVALID);
                    out.push(bad.1 as u8);
                    put_str(&mut out, &bad.0);
                }
            }
        }
        Packed(out.into_boxed_slice())
    }

    /// Every value, in slot order.
    pub(super) fn unpack(&self) -> Vec<FieldValue> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some((v, next)) = self.decode(at) {
            out.push(v);
            at = next;
        }
        out
    }

    /// The value in `slot`; None past the last.
    pub(super) fn get(&self, slot: usize) -> Option<FieldValue> {
        self.decode(self.seek(slot)?).map(|(v, _)| v)
    }

    /// The text in `slot`, as stored; None when the value is not a text.
    pub(super) fn text(&self, slot: usize) -> Option<&str> {
        let at = self.seek(slot)?;
        if *self.0.get(at)? != TEXT {
            return None;
        }
        self.str_at(at + 1)
    }

    /// Whether `slot` holds nothing (None past the last).
    pub(super) fn is_empty_at(&self, slot: usize) -> Option<bool> {
        let at = self.seek(slot)?;
        Some(*self.0.get(at)? == EMPTY)
    }

    /// How many values read two ways.
    pub(super) fn either_count(&self) -> usize {
        let mut n = 0;
        let mut at = 0;
        while let Some(&tag) = self.0.get(at) {
            n += usize::from(tag == EITHER);
            let Some(next) = self.skip(at) else { break };
            at = next;
        }
        n
    }

    /// The offset of `slot`'s tag (the end, for the slot after the last: reading there
    /// gives nothing).
    fn seek(&self, slot: usize) -> Option<usize> {
        let mut at = 0;
        for _ in 0..slot {
            at = self.skip(at)?;
        }
        Some(at)
    }

    /// The offset after the value whose tag is at `at`.
    fn skip(&self, at: usize) -> Option<usize> {
        let next = match *self.0.get(at)? {
            EMPTY => at + 1,
            TEXT => {
                let (len, start) = self.len_at(at + 1)?;
                start + len
            }
            DATE => at + 1 + DATE_BYTES,
            RANGE | EITHER => at + 1 + 2 * DATE_BYTES,
            INVALID => {
                let (len, start) = self.len_at(at + 2)?;
                start + len
            }
            _ => return None,
        };
        (next <= self.0.len()).then_some(next)
    }

    /// The value whose tag is at `at`, and the offset after it.
    fn decode(&self, at: usize) -> Option<(FieldValue, usize)> {
        let next = self.skip(at)?;
        let date = |from: usize| {
            let b = self.0.get(from..from + DATE_BYTES)?;
            DateValue::from_bytes(b.try_into().ok()?)
        };
        let v = match *self.0.get(at)? {
            EMPTY => FieldValue::Empty,
            TEXT => FieldValue::Text(self.str_at(at + 1)?.into()),
            DATE => FieldValue::Date(date(at + 1)?),
            RANGE => FieldValue::Range(date(at + 1)?, date(at + 1 + DATE_BYTES)?),
            EITHER => FieldValue::Either(date(at + 1)?, date(at + 1 + DATE_BYTES)?),
            INVALID => {
                let why = invalid_from(*self.0.get(at + 1)?)?;
                FieldValue::Invalid(Box::new((self.str_at(at + 2)?.to_string(), why)))
            }
            _ => return None,
        };
        Some((v, next))
    }

    fn str_at(&self, at: usize) -> Option<&str> {
        let (len, start) = self.len_at(at)?;
        std::str::from_utf8(self.0.get(start..start + len)?).ok()
    }

    /// A length written at `at` (LEB128) and the offset after it.
    fn len_at(&self, mut at: usize) -> Option<(usize, usize)> {
        let mut len = 0usize;
        for shift in (0..35).step_by(7) {
            let b = *self.0.get(at)?;
            at += 1;
            len |= usize::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some((len, at));
            }
        }
        None
    }
}

const DATE_BYTES: usize = 5;

fn packed_len(v: &FieldValue) -> usize {
    match v {
        FieldValue::Empty => 1,
        FieldValue::Text(t) => 1 + 5 + t.len(),
        FieldValue::Date(_) => 1 + DATE_BYTES,
        FieldValue::Range(..) | FieldValue::Either(..) => 1 + 2 * DATE_BYTES,
        FieldValue::Invalid(bad) => 2 + 5 + bad.0.len(),
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    let mut len = s.len();
    loop {
        let b = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(s.as_bytes());
}

fn invalid_from(b: u8) -> Option<Invalid> {
    [
        Invalid::Unreadable,
        Invalid::NoSuchDate,
        Invalid::AfterAsOf,
        Invalid::TooEarly,
    ]
    .into_iter()
    .find(|w| *w as u8 == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;

    fn day(s: &str) -> DateValue {
        parse_date(s).expect("date")
    }

    #[test]
    fn every_kind_of_value_comes_back_as_it_went_in() {
        let long = "某某大学计算机科学与技术学院教工第一党支部".repeat(10);
        let values = vec![
            FieldValue::Text("张三".into()),
            FieldValue::Empty,
            FieldValue::Date(day("2021年3月5日")),
            FieldValue::Date(day("2021.03")),
            FieldValue::Date(day("2021")),
            FieldValue::Range(day("2021.03.01"), day("2021.03.31")),
            FieldValue::Either(day("2021.01"), day("2021.10")),
            FieldValue::Text(long.as_str().into()),
            FieldValue::Invalid(Box::new(("2023年2月30日".into(), Invalid::NoSuchDate))),
            FieldValue::Invalid(Box::new(("明天".into(), Invalid::Unreadable))),
            FieldValue::Invalid(Box::new(("2099.01".into(), Invalid::AfterAsOf))),
            FieldValue::Invalid(Box::new(("1900.01".into(), Invalid::TooEarly))),
            FieldValue::Text("".into()),
        ];
        let p = Packed::pack(&values);
        assert_eq!(p.unpack(), values);
        for (i, v) in values.iter().enumerate() {
            assert_eq!(p.get(i).as_ref(), Some(v), "slot {i}");
            assert_eq!(p.text(i), v.as_text(), "slot {i}");
            assert_eq!(p.is_empty_at(i), Some(v.is_empty()), "slot {i}");
        }
        assert_eq!(p.get(values.len()), None);
        assert_eq!(p.text(values.len()), None);
        assert_eq!(p.is_empty_at(values.len()), None);
        assert_eq!(p.either_count(), 1);
        // A 600-byte text takes a two-byte length; the row is what its cells hold.
        assert!(long.len() > 127);
        let short = Packed::pack(&values[..7]);
        assert_eq!(short.0.len(), (1 + 1 + 6) + 1 + 3 * 6 + 2 * 11);
    }

    #[test]
    fn a_row_of_nothing_is_empty_and_a_cut_row_gives_nothing_past_the_cut() {
        assert_eq!(Packed::pack(&[]).unpack(), Vec::<FieldValue>::new());
        let p = Packed::pack(&[
            FieldValue::Text("李四".into()),
            FieldValue::Date(day("2021.03")),
        ]);
        let cut = Packed(p.0[..p.0.len() - 1].into());
        assert_eq!(cut.get(0), Some(FieldValue::Text("李四".into())));
        assert_eq!(cut.get(1), None);
        assert_eq!(cut.unpack().len(), 1);
    }
}
