//! Cell values into field values: text, dates at their precision and in their bounds, date
//! ranges, and the ledger rows and resume entries made of them.

use super::{
    BadDate, Column, DateBounds, FieldValue, Invalid, LedgerRow, LedgerSheet, ResumeEntry,
    ResumeOwner, SheetRef, UNKNOWN_DECIMALS,
};
use crate::date::{DateError, DateValue, RangeEnd, Reading, from_number, parse_date, parse_range};
use crate::schema::{FieldType, Schema};
use crate::text::normalize;
use calamine::Data;
use compact_str::CompactString;
use jiff::civil::Date;
use std::sync::Arc;

/// A cell as text; short texts (most cells) are held inline, without allocating.
pub(super) fn cell_text(d: &Data) -> CompactString {
    use compact_str::{ToCompactString, format_compact};
    match d {
        Data::String(s) => CompactString::from(s.trim()),
        Data::Int(i) => i.to_compact_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_compact_string(),
        Data::Float(f) => f.to_compact_string(),
        Data::Bool(b) => b.to_compact_string(),
        Data::DateTime(x) => {
            let (y, m, d, ..) = x.to_ymd_hms_milli();
            format_compact!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => CompactString::from(s.as_str()),
        Data::Error(e) => format_compact!("#{e:?}"),
        Data::Empty => CompactString::default(),
    }
}

/// A date cell's value; `shown` is how many decimals the cell displays, when known.
pub(super) fn date_cell(d: &Data, shown: u8) -> Result<Option<Reading>, Invalid> {
    let decimals = (shown != UNKNOWN_DECIMALS).then_some(u32::from(shown));
    let one = |r: Result<DateValue, DateError>| r.map(Reading::One);
    let r = match d {
        Data::Empty => return Ok(None),
        Data::String(s) if s.trim().is_empty() || crate::date::is_placeholder(s) => {
            return Ok(None);
        }
        Data::String(s) => one(parse_date(s)),
        Data::DateTimeIso(s) => one(parse_date(s)),
        Data::DateTime(x) if x.is_datetime() => {
            let (y, m, d, ..) = x.to_ymd_hms_milli();
            one(Date::new(y as i16, m as i8, d as i8)
                .map(DateValue::day)
                .map_err(|_| DateError::NotADate))
        }
        Data::Float(f) => from_number(*f, decimals),
        Data::Int(i) => from_number(*i as f64, decimals),
        _ => Err(DateError::Unrecognised),
    };
    r.map(Some).map_err(|e| match e {
        DateError::NotADate => Invalid::NoSuchDate,
        DateError::Unrecognised => Invalid::Unreadable,
    })
}

/// A reading within the bounds: of two, the ones that are.
pub(super) fn bounded_reading(r: Reading, b: DateBounds) -> Result<Reading, Invalid> {
    match r {
        Reading::One(v) => check_bounds(v, b).map(Reading::One),
        Reading::Either(x, y) => match (check_bounds(x, b), check_bounds(y, b)) {
            (Ok(x), Ok(y)) => Ok(Reading::Either(x, y)),
            (Ok(v), Err(_)) | (Err(_), Ok(v)) => Ok(Reading::One(v)),
            (Err(w), Err(_)) => Err(w),
        },
    }
}

pub(super) fn check_bounds(d: DateValue, b: DateBounds) -> Result<DateValue, Invalid> {
    if d.earliest() > b.as_of {
        Err(Invalid::AfterAsOf)
    } else if d.latest() < b.earliest {
        Err(Invalid::TooEarly)
    } else {
        Ok(d)
    }
}

pub(super) fn field_value(d: &Data, shown: u8, kind: FieldType, bounds: DateBounds) -> FieldValue {
    let invalid = |why| FieldValue::Invalid(bad(&cell_text(d), why));
    match kind {
        FieldType::Text => {
            let t = cell_text(d);
            if t.is_empty() {
                FieldValue::Empty
            } else {
                FieldValue::Text(t)
            }
        }
        FieldType::Date => match date_cell(d, shown) {
            Ok(None) => FieldValue::Empty,
            Ok(Some(r)) => match bounded_reading(r, bounds) {
                Ok(Reading::One(v)) => FieldValue::Date(v),
                Ok(Reading::Either(a, b)) => FieldValue::Either(a, b),
                Err(why) => invalid(why),
            },
            Err(why) => invalid(why),
        },
        FieldType::Range => match d {
            Data::String(s) if !s.trim().is_empty() && !crate::date::is_placeholder(s) => {
                match parse_range(s) {
                    Ok((a, RangeEnd::Date(b))) => {
                        match (check_bounds(a, bounds), check_bounds(b, bounds)) {
                            (Ok(a), Ok(b)) => FieldValue::Range(a, b),
                            (Err(w), _) | (_, Err(w)) => invalid(w),
                        }
                    }
                    Ok((_, RangeEnd::Present)) => invalid(Invalid::Unreadable),
                    Err(DateError::NotADate) => invalid(Invalid::NoSuchDate),
                    Err(DateError::Unrecognised) => invalid(Invalid::Unreadable),
                }
            }
            _ => match date_cell(d, shown) {
                Ok(None) => FieldValue::Empty,
                Ok(Some(r)) => match bounded_reading(r, bounds) {
                    Ok(Reading::One(v)) => FieldValue::Range(v, v),
                    Ok(Reading::Either(a, b)) => FieldValue::Either(a, b),
                    Err(why) => invalid(why),
                },
                Err(why) => invalid(why),
            },
        },
    }
}

/// Nothing but white space (also the full-width space and the zero-width ones that
/// [`normalize`] drops).
pub(super) fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
}

pub(super) fn ledger_row(
    cells: &[Data],
    shown: &[u8],
    config: &Schema,
    sheet: &Arc<LedgerSheet>,
    row: u32,
    bounds: DateBounds,
) -> LedgerRow {
    let cell = |c: u32| cells.get(c as usize).unwrap_or(&Data::Empty);
    let decimals = |c: u32| shown.get(c as usize).copied().unwrap_or(UNKNOWN_DECIMALS);
    let mut values = vec![FieldValue::Empty; sheet.width];
    for ((f, c), s) in sheet.cols.iter().enumerate().zip(&sheet.slots) {
        if let (Some(c), Some(s)) = (*c, *s) {
            values[usize::from(s)] =
                field_value(cell(c), decimals(c), config.fields[f].kind, bounds);
        }
    }
    for &(f, c) in &sheet.more {
        let more = cell_text(cell(c));
        let Some(s) = sheet.slots.get(f).copied().flatten().map(usize::from) else {
            continue;
        };
        if more.is_empty() {
            continue;
        }
        values[s] = match &values[s] {
            FieldValue::Text(t) => FieldValue::Text(compact_str::format_compact!("{t}、{more}")),
            FieldValue::Empty => FieldValue::Text(more),
            other => other.clone(),
        };
    }
    LedgerRow {
        sheet: Arc::clone(sheet),
        row,
        values: super::packed::Packed::pack(&values),
        seq: 0,
        merged: None,
    }
}

pub(super) fn bad(raw: &str, why: Invalid) -> BadDate {
    Box::new((raw.to_string(), why))
}

/// The two ends of a span cell (`2005.09—2008.07`), each within the date bounds.
pub(super) fn span_ends(
    parsed: Result<(DateValue, RangeEnd), DateError>,
    raw: &str,
    bounds: DateBounds,
) -> (Result<DateValue, BadDate>, Result<RangeEnd, BadDate>) {
    let bounded = |v: DateValue| check_bounds(v, bounds).map_err(|w| bad(raw, w));
    match parsed {
        Ok((a, b)) => {
            let end = match b {
                RangeEnd::Present => Ok(RangeEnd::Present),
                RangeEnd::Date(b) => bounded(b).map(RangeEnd::Date),
            };
            (bounded(a), end)
        }
        Err(e) => {
            let why = if e == DateError::NotADate {
                Invalid::NoSuchDate
            } else {
                Invalid::Unreadable
            };
            (Err(bad(raw, why)), Err(bad(raw, why)))
        }
    }
}

pub(super) fn resume_entry(
    cells: &[Data],
    shown: &[u8],
    cols: &[(usize, Column)],
    config: &Schema,
    (sheet, row): (&Arc<SheetRef>, u32),
    bounds: DateBounds,
    previous: Option<&Arc<ResumeOwner>>,
) -> Option<ResumeEntry> {
    let get = |k: Column| cols.iter().find(|&&(_, c)| c == k).map(|&(i, _)| i);
    let text_of = |k: Column| get(k).map(|i| cell_text(cells.get(i).unwrap_or(&Data::Empty)));
    let text = text_of(Column::ResumeDescription).unwrap_or_default();
    let name = text_of(Column::Field(config.keys.name)).filter(|s| !s.is_empty());
    let id_number = config
        .keys
        .id_number
        .and_then(|f| text_of(Column::Field(f)))
        .filter(|s| !s.is_empty());
    let decimals = |c: usize| shown.get(c).copied().unwrap_or(UNKNOWN_DECIMALS);
    // The second readings of months typed as 2021.1 (start, end).
    let mut alt: (Option<DateValue>, Option<DateValue>) = (None, None);
    let mut read = |d: &Data, c: usize, end: bool| -> Result<Option<DateValue>, Invalid> {
        Ok(match date_cell(d, decimals(c))? {
            None => None,
            Some(r) => Some(match bounded_reading(r, bounds)? {
                Reading::One(v) => v,
                Reading::Either(a, b) => {
                    if end {
                        alt.1 = Some(b);
                    } else {
                        alt.0 = Some(b);
                    }
                    a
                }
            }),
        })
    };
    let (start, end, at) = if let Some(i) = get(Column::ResumeSpan) {
        let d = cells.get(i).unwrap_or(&Data::Empty);
        let raw = cell_text(d);
        if raw.is_empty() {
            return None;
        }
        let parsed = match d {
            Data::String(s) => parse_range(s),
            _ => read(d, i, false)
                .map_err(|_| DateError::Unrecognised)
                .and_then(|v| v.ok_or(DateError::Unrecognised))
                .map(|v| (v, RangeEnd::Date(v))),
        };
        alt.1 = alt.0;
        let (start, end) = span_ends(parsed, &raw, bounds);
        (start, end, i)
    } else {
        let si = get(Column::ResumeStart)?;
        let ei = get(Column::ResumeEnd)?;
        let sd = cells.get(si).unwrap_or(&Data::Empty);
        let ed = cells.get(ei).unwrap_or(&Data::Empty);
        let (sraw, eraw) = (cell_text(sd), cell_text(ed));
        if sraw.is_empty() && eraw.is_empty() {
            return None;
        }
        let start = match read(sd, si, false) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(bad(&sraw, Invalid::Unreadable)),
            Err(w) => Err(bad(&sraw, w)),
        };
        let end = if matches!(normalize(&eraw).as_str(), "至今" | "今" | "现在") {
            Ok(RangeEnd::Present)
        } else {
            match read(ed, ei, true) {
                Ok(Some(v)) => Ok(RangeEnd::Date(v)),
                Ok(None) => Err(bad(&eraw, Invalid::Unreadable)),
                Err(w) => Err(bad(&eraw, w)),
            }
        };
        (start, end, si)
    };
    Some(ResumeEntry {
        sheet: Arc::clone(sheet),
        row,
        col: at as u32,
        start,
        end,
        text,
        owner: owner(name, id_number, previous),
        alt: (alt.0.is_some() || alt.1.is_some()).then(|| Box::new(alt)),
    })
}

/// A resume line's owner: the previous line's when it names the same person (they share
/// one), none when the row names nobody.
fn owner(
    name: Option<CompactString>,
    id_number: Option<CompactString>,
    previous: Option<&Arc<ResumeOwner>>,
) -> Option<Arc<ResumeOwner>> {
    if name.is_none() && id_number.is_none() {
        return None;
    }
    let owner = ResumeOwner { name, id_number };
    match previous {
        Some(p) if **p == owner => Some(Arc::clone(p)),
        _ => Some(Arc::new(owner)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn bounds() -> DateBounds {
        DateBounds {
            earliest: Date::new(1921, 7, 1).expect("date"),
            as_of: Date::new(2026, 11, 28).expect("date"),
        }
    }

    /// A field value in a few words: the date, both readings, the range, or why not.
    fn said(v: FieldValue) -> String {
        match v {
            FieldValue::Empty => "empty".into(),
            FieldValue::Text(t) => format!("text {t}"),
            FieldValue::Date(d) => d.to_string(),
            FieldValue::Range(a, b) => format!("{a}..{b}"),
            FieldValue::Either(a, b) => format!("{a} or {b}"),
            FieldValue::Invalid(b) => format!("{:?}", b.1),
        }
    }

    fn as_date(d: Data, shown: u8) -> String {
        said(field_value(&d, shown, FieldType::Date, bounds()))
    }

    fn as_range(d: Data) -> String {
        said(field_value(
            &d,
            UNKNOWN_DECIMALS,
            FieldType::Range,
            bounds(),
        ))
    }

    fn text(s: &str) -> Data {
        Data::String(s.into())
    }

    #[test]
    fn a_cell_as_text() {
        assert_eq!(cell_text(&Data::Float(2021.0)), "2021");
        assert_eq!(cell_text(&Data::Float(2021.5)), "2021.5");
        assert_eq!(cell_text(&Data::Float(-0.0)), "0");
        // Whole numbers from 10^15 on are written as floating-point numbers are.
        assert_eq!(
            cell_text(&Data::Float(999_999_999_999_999.0)),
            "999999999999999"
        );
        assert_eq!(cell_text(&Data::Float(1e15)), "1000000000000000.0");
        assert_eq!(cell_text(&Data::Float(1e20)), "1e20");
        assert_eq!(cell_text(&Data::Int(7)), "7");
        assert_eq!(cell_text(&text("  李四 ")), "李四");
        assert_eq!(cell_text(&Data::Empty), "");
    }

    #[test]
    fn a_date_cell_of_every_kind() {
        let u = UNKNOWN_DECIMALS;
        assert_eq!(as_date(Data::Empty, u), "empty");
        assert_eq!(as_date(text("  "), u), "empty");
        assert_eq!(as_date(text("—"), u), "empty");
        assert_eq!(as_date(text("2021.03.05"), u), "2021-03-05");
        assert_eq!(as_date(text("2021.02.30"), u), "NoSuchDate");
        assert_eq!(as_date(text("无效"), u), "Unreadable");
        assert_eq!(
            as_date(Data::DateTimeIso("2021-03-05T00:00:00".into()), u),
            "2021-03-05"
        );
        let serial = |kind| Data::DateTime(ExcelDateTime::new(44260.0, kind, false));
        assert_eq!(
            as_date(serial(ExcelDateTimeType::DateTime), u),
            "2021-03-05"
        );
        assert_eq!(
            as_date(serial(ExcelDateTimeType::TimeDelta), u),
            "Unreadable"
        );
        assert_eq!(as_date(Data::Float(44260.0), u), "2021-03-05");
        assert_eq!(as_date(Data::Int(20210305), u), "2021-03-05");
        // A typed 2021.1: two readings, unless the cell shows its decimals.
        assert_eq!(as_date(Data::Float(2021.1), u), "2021-01 or 2021-10");
        assert_eq!(as_date(Data::Float(2021.1), 1), "2021-01");
        assert_eq!(as_date(Data::Bool(true), u), "Unreadable");
    }

    #[test]
    fn dates_within_the_bounds_and_at_them() {
        let u = UNKNOWN_DECIMALS;
        assert_eq!(as_date(text("2026.11.28"), u), "2026-11-28");
        assert_eq!(as_date(text("2026.11.29"), u), "AfterAsOf");
        assert_eq!(as_date(text("2026.11"), u), "2026-11");
        assert_eq!(as_date(text("2026.12"), u), "AfterAsOf");
        assert_eq!(as_date(text("1921.07.01"), u), "1921-07-01");
        assert_eq!(as_date(text("1921.06.30"), u), "TooEarly");
        // A month is in bounds if any day of it is.
        assert_eq!(as_date(text("1921.07"), u), "1921-07");
        assert_eq!(as_date(text("1921.06"), u), "TooEarly");
    }

    #[test]
    fn a_range_cell() {
        assert_eq!(
            as_range(text("2022.05.10-2022.05.12")),
            "2022-05-10..2022-05-12"
        );
        assert_eq!(as_range(text(" ")), "empty");
        assert_eq!(as_range(text("—")), "empty");
        assert_eq!(as_range(text("2022.05.10-至今")), "Unreadable");
        assert_eq!(as_range(text("2022.03.01-2022.02.30")), "NoSuchDate");
        assert_eq!(as_range(text("2022.05.10-2027.01.01")), "AfterAsOf");
        assert_eq!(as_range(text("几天")), "Unreadable");
        assert_eq!(as_range(Data::Float(44260.0)), "2021-03-05..2021-03-05");
        assert_eq!(as_range(Data::Empty), "empty");
    }

    #[test]
    fn blank_is_white_space_of_any_width() {
        assert!(is_blank(""));
        assert!(is_blank(" \u{3000}\t"));
        assert!(is_blank("\u{200b}\u{feff}"));
        assert!(!is_blank(" a "));
    }

    #[test]
    fn a_span_that_is_no_date_says_why() {
        let why = |e: DateError| {
            let (Err(a), Err(b)) = span_ends(Err(e), "2021.02.30-2022.01", bounds()) else {
                panic!("both ends unusable");
            };
            (a.1, b.1)
        };
        assert_eq!(
            why(DateError::NotADate),
            (Invalid::NoSuchDate, Invalid::NoSuchDate)
        );
        assert_eq!(
            why(DateError::Unrecognised),
            (Invalid::Unreadable, Invalid::Unreadable)
        );
    }

    #[test]
    fn a_persons_consecutive_resume_lines_share_one_owner() {
        let o = |name: Option<&str>, id: Option<&str>, prev: Option<&Arc<ResumeOwner>>| {
            owner(name.map(Into::into), id.map(Into::into), prev)
        };
        let id = Some("110101199001011234");
        let first = o(Some("张三"), id, None).expect("an owner");
        let same = o(Some("张三"), id, Some(&first)).expect("an owner");
        assert!(Arc::ptr_eq(&first, &same), "the same person: one owner");
        // Another name or another ID number is another owner, with what its row says.
        for (name, number) in [(Some("李四"), id), (Some("张三"), None), (None, id)] {
            let other = o(name, number, Some(&first)).expect("an owner");
            assert!(!Arc::ptr_eq(&first, &other), "{name:?} {number:?}");
            assert_eq!(other.name.as_deref(), name);
            assert_eq!(other.id_number.as_deref(), number);
        }
        assert_eq!(o(None, None, Some(&first)), None, "a row naming nobody");
    }

    #[test]
    fn a_resume_line_with_a_start_only_is_kept_with_its_end_unreadable() {
        let config = crate::config::load(&[] as &[&str])
            .expect("default rules")
            .schema;
        let sheet = Arc::new(SheetRef {
            file: Arc::from("简历.xlsx"),
            sheet: Arc::from("简历"),
        });
        let cols = [
            (0, Column::ResumeStart),
            (1, Column::ResumeEnd),
            (2, Column::ResumeDescription),
        ];
        let line = |start: Data, end: Data| {
            let cells = [start, end, text("某大学学习")];
            resume_entry(
                &cells,
                &[UNKNOWN_DECIMALS; 3],
                &cols,
                &config,
                (&sheet, 3),
                bounds(),
                None,
            )
        };
        let e = line(text("2019.09"), Data::Empty).expect("a line with a start");
        assert!(e.start.is_ok());
        assert!(matches!(&e.end, Err(b) if b.1 == Invalid::Unreadable));
        let e = line(Data::Empty, text("2023.07")).expect("a line with an end");
        assert!(matches!(&e.start, Err(b) if b.1 == Invalid::Unreadable));
        assert!(e.end.is_ok());
        assert!(
            line(Data::Empty, Data::Empty).is_none(),
            "no dates: no line"
        );
    }
}
