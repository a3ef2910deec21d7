//! A person's resume as ordered spans of months: shared by resume-gap, resume-overlap and
//! resume-reversed.

use crate::date::{DateValue, RangeEnd};
use crate::join::Person;
use crate::rules::Context;

/// A usable entry: its index, start and end month, and the dates as written (shown only in a
/// finding: formatted then, not for every entry of every resume).
pub struct Span {
    pub entry: usize,
    pub start: i64,
    pub end: i64,
    start_date: DateValue,
    /// None: 至今.
    end_date: Option<DateValue>,
}

impl Span {
    /// The start as written (`2019-07`).
    pub fn start_text(&self) -> String {
        self.start_date.to_string()
    }

    /// The end as written, or 至今.
    pub fn end_text(&self) -> String {
        self.end_date
            .map_or_else(|| "至今".to_string(), |d| d.to_string())
    }
}

/// A person's entries with usable dates, by start then end.
pub fn spans(ctx: &Context<'_>, p: &Person) -> Vec<Span> {
    let now = DateValue::day(ctx.as_of).month_index();
    let mut v: Vec<Span> = p
        .resume
        .iter()
        .filter_map(|&e| {
            let entry = &ctx.resumes[e];
            let start = entry.start.as_ref().ok()?;
            let (end, end_date) = match entry.end.as_ref().ok()? {
                RangeEnd::Date(d) => (d.month_index(), Some(*d)),
                RangeEnd::Present => (now, None),
            };
            Some(Span {
                entry: e,
                start: start.month_index(),
                end,
                start_date: *start,
                end_date,
            })
        })
        .collect();
    v.sort_by_key(|s| (s.start, s.end));
    v
}

/// A month index as `2021-03`.
pub fn month_text(m: i64) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// Walk the ordered, non-reversed entries with the latest end so far.
pub fn walk(ctx: &Context<'_>, p: &Person, visit: impl FnMut(&Span, i64)) {
    walk_where(ctx, p, |_| true, visit);
}

/// [`walk`] over the entries `keep` keeps (the others neither visited nor counted).
pub fn walk_where(
    ctx: &Context<'_>,
    p: &Person,
    keep: impl Fn(&Span) -> bool,
    mut visit: impl FnMut(&Span, i64),
) {
    let mut latest: Option<i64> = None;
    for s in spans(ctx, p).iter().filter(|s| s.end >= s.start && keep(s)) {
        if let Some(l) = latest {
            visit(s, l);
        }
        latest = Some(latest.map_or(s.end, |l| l.max(s.end)));
    }
}
