//! Dates as people write them in ledgers and resumes, with their precision kept.
//!
//! A ledger cell may be a real date cell, an Excel serial number, or text in a dozen forms
//! (`2021-03-05`, `2021.3.5`, `2021年3月5日`, `20210305`, `２０２１．０３`, `1998.07`). A value
//! written to the month stays a month: comparisons treat it as the whole month and report a
//! violation only when it holds for every day the value could mean.

use std::fmt;

use jiff::Span;
use jiff::civil::Date;

use crate::text::normalize;

/// How much of a date was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date at the precision it was written; `first` is the first day it can mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    first: Date,
    precision: Precision,
}

impl DateValue {
    pub fn day(date: Date) -> Self {
        DateValue {
            first: date,
            precision: Precision::Day,
        }
    }

    fn new(y: i64, m: Option<i64>, d: Option<i64>) -> Result<Self, DateError> {
        let (m, d, precision) = match (m, d) {
            (Some(m), Some(d)) => (m, d, Precision::Day),
            (Some(m), None) => (m, 1, Precision::Month),
            (None, _) => (1, 1, Precision::Year),
        };
        if !(1800..=2200).contains(&y) {
            return Err(DateError::NotADate);
        }
        let first =
            Date::new(y as i16, clamp_i8(m), clamp_i8(d)).map_err(|_| DateError::NotADate)?;
        Ok(DateValue { first, precision })
    }

    /// Five bytes: the first day (year, month, day) and the precision — how a packed ledger
    /// row keeps it.
    pub(crate) fn to_bytes(self) -> [u8; 5] {
        let [y0, y1] = self.first.year().to_le_bytes();
        let p = match self.precision {
            Precision::Year => 0,
            Precision::Month => 1,
            Precision::Day => 2,
        };
        [y0, y1, self.first.month() as u8, self.first.day() as u8, p]
    }

    /// What [`DateValue::to_bytes`] wrote; None for bytes it cannot have written.
    pub(crate) fn from_bytes([y0, y1, m, d, p]: [u8; 5]) -> Option<DateValue> {
        let precision = match p {
            0 => Precision::Year,
            1 => Precision::Month,
            2 => Precision::Day,
            _ => return None,
        };
        let first = Date::new(i16::from_le_bytes([y0, y1]), m as i8, d as i8).ok()?;
        Some(DateValue { first, precision })
    }

    /// Written to the day.
    pub fn is_day(&self) -> bool {
        self.precision == Precision::Day
    }

    /// The first day this value can mean.
    pub fn earliest(&self) -> Date {
        self.first
    }

    /// The last day this value can mean.
    pub fn latest(&self) -> Date {
        match self.precision {
            Precision::Day => self.first,
            Precision::Month => self.first.last_of_month(),
            Precision::Year => Date::new(self.first.year(), 12, 31).unwrap_or(self.first),
        }
    }

    /// Months since year 0, for resume arithmetic (resumes are written to the month).
    pub fn month_index(&self) -> i64 {
        i64::from(self.first.year()) * 12 + i64::from(self.first.month()) - 1
    }
}

fn clamp_i8(v: i64) -> i8 {
    v.clamp(-1, 99) as i8
}

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.first;
        match self.precision {
            Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
            Precision::Year => write!(f, "{:04}", d.year()),
        }
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Looks like a date, but the day does not exist (2023年2月30日) or a part is out of range.
    NotADate,
    /// Does not look like a date at all.
    Unrecognised,
}

/// One end of a range: a date or "to the present" (至今).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    Date(DateValue),
    Present,
}

/// Read a date written as text: the written precision is kept (a month stays a month).
///
/// ```
/// use dangan::date::parse_date;
/// let d = |s| parse_date(s).map(|v| v.to_string());
/// assert_eq!(d("2021年3月5日").as_deref(), Ok("2021-03-05"));
/// assert_eq!(d("2021/3/5").as_deref(), Ok("2021-03-05"));
/// assert_eq!(d("２０２１．０３").as_deref(), Ok("2021-03"));
/// assert_eq!(d("20210305").as_deref(), Ok("2021-03-05"));
/// assert!(parse_date("2023年2月30日").is_err());
/// assert!(parse_date("三月").is_err());
/// assert_eq!(d("二〇二一年三月五日").as_deref(), Ok("2021-03-05"));
/// assert_eq!(d("二零二一年十二月三十一日").as_deref(), Ok("2021-12-31"));
/// assert_eq!(d("二〇二一年十月").as_deref(), Ok("2021-10"));
/// assert!(parse_date("二〇二一年二月三十日").is_err());
/// ```
pub fn parse_date(raw: &str) -> Result<DateValue, DateError> {
    parse_normalized(&normalize(raw))
}

/// What clerks write in a date cell for "none yet": — - / 无 暂无 未 待定 空. Such a cell is
/// empty, not a wrong date.
///
/// ```
/// use dangan::date::is_placeholder;
/// assert!(is_placeholder(" — ") && is_placeholder("／") && is_placeholder("暂无"));
/// assert!(!is_placeholder("2021.3") && !is_placeholder("无效日期"));
/// ```
pub fn is_placeholder(raw: &str) -> bool {
    const WORDS: [&str; 12] = [
        "-", "--", "—", "——", "―", "/", "//", "无", "暂无", "未", "待定", "空",
    ];
    // Placeholders are short: a date (2021.03.05) is not normalised to find out.
    if raw.trim().len() > 12 || raw.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let n = normalize(raw);
    let t = n.trim();
    WORDS.contains(&t) || (!t.is_empty() && t.chars().all(|c| matches!(c, '-' | '—' | '―' | '/')))
}

/// Chinese numerals as digits, in a date written with them: 二〇二一年三月五日 → 2021年3月5日,
/// 二零二一年十二月三十一日 → 2021年12月31日. A run with 十 is a number (十一 11, 二十 20, 三十一
/// 31); a run without is read digit by digit (二〇二一 2021, 三 3). None when the text has no
/// Chinese numeral.
fn chinese_numerals(s: &str) -> Option<String> {
    let digit = |c: char| {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or((c == '零').then_some(0))
    };
    if !s.chars().any(|c| digit(c).is_some() || c == '十') {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        if let Some(t) = run.iter().position(|&c| c == '十') {
            let tens = run[..t].first().and_then(|&c| digit(c)).unwrap_or(1);
            let ones = run.get(t + 1).and_then(|&c| digit(c)).unwrap_or(0);
            out.push_str(&(tens * 10 + ones).to_string());
        } else {
            for &c in run.iter() {
                out.push_str(&digit(c).unwrap_or(0).to_string());
            }
        }
        run.clear();
    };
    for c in s.chars() {
        if digit(c).is_some() || c == '十' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    Some(out)
}

/// [`parse_date`] of text already through [`normalize`] (which is idempotent): a range is
/// normalised once, not once for each part tried.
fn parse_normalized(s: &str) -> Result<DateValue, DateError> {
    match parse_digits(s) {
        Err(DateError::Unrecognised) => match chinese_numerals(s) {
            Some(d) => parse_digits(&d),
            None => Err(DateError::Unrecognised),
        },
        r => r,
    }
}

fn parse_digits(s: &str) -> Result<DateValue, DateError> {
    let s = strip_time(s);
    let nums = split_numbers(s).ok_or(DateError::Unrecognised)?;
    match nums.as_slice() {
        [(y, 4), (m, 1..=2), (d, 1..=2)] => DateValue::new(*y, Some(*m), Some(*d)),
        [(y, 4), (m, 1..=2)] => DateValue::new(*y, Some(*m), None),
        [(y, 4)] => DateValue::new(*y, None, None),
        [(n, 8)] => DateValue::new(n / 10000, Some(n / 100 % 100), Some(n % 100)),
        [(n, 6)] => DateValue::new(n / 100, Some(n % 100), None),
        _ => Err(DateError::Unrecognised),
    }
}

/// Drop a trailing time of day (`2021-03-05 00:00:00`, `2021-03-05T00:00:00`).
fn strip_time(s: &str) -> &str {
    if let Some(i) = s.find('T').filter(|&i| i >= 8) {
        return &s[..i];
    }
    // NFKC removed the space, so "2021-03-0500:00:00": cut before the two hour digits.
    if s.len() > 10
        && let Some(colon) = s.find(':')
        && colon >= 2
        && s.as_bytes()[colon - 2..colon]
            .iter()
            .all(u8::is_ascii_digit)
    {
        return &s[..colon - 2];
    }
    s
}

/// Split `2021年3月5日` / `2021.03.05` / `2021-3-5` into numbers with their digit counts.
/// Returns None when anything but digits and date separators appears.
fn split_numbers(s: &str) -> Option<Vec<(i64, usize)>> {
    let mut out: Vec<(i64, usize)> = Vec::with_capacity(3);
    let mut cur: Option<(i64, usize)> = None;
    let mut seps = 0;
    for c in s.chars() {
        if let Some(d) = c.to_digit(10) {
            let (v, n) = cur.unwrap_or((0, 0));
            if n >= 8 {
                return None;
            }
            cur = Some((v * 10 + i64::from(d), n + 1));
        } else if matches!(c, '.' | '-' | '/' | '年' | '月' | '日' | '号' | '_' | '、') {
            if let Some(x) = cur.take() {
                out.push(x);
            } else if !matches!(c, '日' | '号') || out.is_empty() {
                return None;
            }
            seps += 1;
            if seps > 4 {
                return None;
            }
        } else {
            return None;
        }
    }
    if let Some(x) = cur {
        out.push(x);
    }
    if out.is_empty() || out.len() > 3 {
        return None;
    }
    Some(out)
}

/// Read a range (`2022.05.10-2022.05.12`, `2005.09—2008.07`, `2012.07-至今`, `2022.5.10至12`).
/// A single date is a range of one value.
///
/// ```
/// use dangan::date::{parse_range, RangeEnd};
/// let (a, b) = parse_range("2005.09—2008.07").unwrap();
/// assert_eq!((a.to_string(), b), ("2005-09".into(), RangeEnd::Date(dangan::date::parse_date("2008.07").unwrap())));
/// let (a, b) = parse_range("2012.07-至今").unwrap();
/// assert_eq!((a.to_string(), b), ("2012-07".into(), RangeEnd::Present));
/// let (a, b) = parse_range("2022.5.10至12").unwrap();
/// assert_eq!(a.to_string(), "2022-05-10");
/// assert_eq!(b, RangeEnd::Date(dangan::date::parse_date("2022-05-12").unwrap()));
/// assert!(parse_range("去年").is_err());
/// ```
pub fn parse_range(raw: &str) -> Result<(DateValue, RangeEnd), DateError> {
    let s = normalize(raw);
    if let Ok(d) = parse_normalized(&s) {
        return Ok((d, RangeEnd::Date(d)));
    }
    let mut best = Err(DateError::Unrecognised);
    for (i, c) in s.char_indices() {
        if !matches!(c, '-' | '—' | '–' | '―' | '~' | '至' | '到' | '－' | '〜') {
            continue;
        }
        let left = &s[..i];
        let mut right = &s[i + c.len_utf8()..];
        while let Some(r) = right.strip_prefix(['—', '-', '–', '―']) {
            right = r;
        }
        let Ok(start) = parse_normalized(left) else {
            continue;
        };
        if matches!(right, "至今" | "今" | "现在" | "今天") {
            return Ok((start, RangeEnd::Present));
        }
        match parse_normalized(right) {
            Ok(end) => return Ok((start, RangeEnd::Date(end))),
            Err(DateError::NotADate) => best = Err(DateError::NotADate),
            Err(DateError::Unrecognised) => {
                // The end may leave out what it shares with the start: 2022.05.10-12, 2022.05.10-05.12.
                if let Some(end) = complete_from(start, right) {
                    return end.map(|e| (start, RangeEnd::Date(e)));
                }
            }
        }
    }
    best
}

fn complete_from(start: DateValue, right: &str) -> Option<Result<DateValue, DateError>> {
    let nums = split_numbers(right)?;
    let y = i64::from(start.first.year());
    let m = i64::from(start.first.month());
    Some(match (start.precision, nums.as_slice()) {
        (Precision::Day, [(d, 1..=2)]) => DateValue::new(y, Some(m), Some(*d)),
        (Precision::Day, [(m2, 1..=2), (d, 1..=2)]) => DateValue::new(y, Some(*m2), Some(*d)),
        (Precision::Month, [(m2, 1..=2)]) => DateValue::new(y, Some(*m2), None),
        _ => return None,
    })
}

/// An Excel serial day number (1900 date system) as a date. Serials ≥ 61 count from
/// 1899-12-30; 60 is Excel's fictitious 1900-02-29 and is refused.
///
/// ```
/// use dangan::date::from_excel_serial;
/// assert_eq!(from_excel_serial(44260.0).map(|d| d.to_string()).as_deref(), Some("2021-03-05"));
/// assert_eq!(from_excel_serial(1.0).map(|d| d.to_string()).as_deref(), Some("1900-01-01"));
/// assert_eq!(from_excel_serial(61.0).map(|d| d.to_string()).as_deref(), Some("1900-03-01"));
/// assert_eq!(from_excel_serial(60.0), None);
/// assert_eq!(from_excel_serial(f64::NAN), None);
/// ```
pub fn from_excel_serial(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let (base, offset) = match days {
        60 => return None,
        1..=59 => (Date::new(1899, 12, 31).ok()?, days),
        _ => (Date::new(1899, 12, 30).ok()?, days),
    };
    base.checked_add(Span::new().days(offset)).ok()
}

/// A date read from a number: one reading, or two where the number cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    One(DateValue),
    /// A month typed as `2021.1`: January, or October with its 0 dropped (Excel stores a typed
    /// 2021.10 as the number 2021.1). Rules count it as both.
    Either(DateValue, DateValue),
}

impl Reading {
    /// The reading a single value stands for (the first of two).
    pub fn first(self) -> DateValue {
        match self {
            Reading::One(v) | Reading::Either(v, _) => v,
        }
    }
}

/// A number in a number cell: an Excel serial (20000–80000: 1954–2119), a typed `20210305`,
/// or a month typed with a decimal point. `decimals` is how many decimals the cell displays,
/// when the file says (a number format `0.00` shows 2021.1 as 2021.10).
///
/// The month is the digits after the point as the number is written at its shortest: 2021.3
/// and 2021.03 are March, 2021.11 November, 2021.12 December. One digit `1` is January or
/// October — unless the cell displays two decimals — and gives [`Reading::Either`].
///
/// ```
/// use dangan::date::{from_number, Reading};
/// let month = |n, shown| match from_number(n, shown).unwrap() {
///     Reading::One(v) => v.to_string(),
///     Reading::Either(a, b) => format!("{a}|{b}"),
/// };
/// assert_eq!(month(1995.3, None), "1995-03");
/// assert_eq!(month(2021.12, None), "2021-12");
/// assert_eq!(month(2021.1, None), "2021-01|2021-10");
/// assert_eq!(month(2021.1, Some(2)), "2021-10");
/// assert_eq!(month(2021.1, Some(1)), "2021-01");
/// assert_eq!(month(44260.0, None), "2021-03-05");
/// ```
pub fn from_number(n: f64, decimals: Option<u32>) -> Result<Reading, DateError> {
    if !n.is_finite() {
        return Err(DateError::Unrecognised);
    }
    if n.fract() == 0.0 {
        let i = n as i64;
        let one = |v: Result<DateValue, DateError>| v.map(Reading::One);
        if (20_000..=80_000).contains(&i) {
            return from_excel_serial(n)
                .map(|d| Reading::One(DateValue::day(d)))
                .ok_or(DateError::NotADate);
        }
        if (18_000_101..=22_001_231).contains(&i) {
            return one(DateValue::new(
                i / 10000,
                Some(i / 100 % 100),
                Some(i % 100),
            ));
        }
        if (180_001..=220_012).contains(&i) {
            return one(DateValue::new(i / 100, Some(i % 100), None));
        }
        if (1800..=2200).contains(&i) {
            return one(DateValue::new(i, None, None));
        }
        return Err(DateError::Unrecognised);
    }
    let y = n.trunc() as i64;
    if (1800..=2200).contains(&y) {
        // The digits after the point as the cell shows them, else at their shortest.
        let shown = match decimals {
            Some(d @ 1..=4) => format!("{n:.*}", d as usize),
            _ => format!("{n}"),
        };
        let digits = shown.split_once('.').map_or("", |(_, f)| f);
        let month = |m: &str| m.parse::<i64>().map_err(|_| DateError::Unrecognised);
        return match digits {
            "1" if decimals.is_none() => Ok(Reading::Either(
                DateValue::new(y, Some(1), None)?,
                DateValue::new(y, Some(10), None)?,
            )),
            d if d.len() == 1 => Ok(Reading::One(DateValue::new(y, Some(month(d)?), None)?)),
            d if d.len() == 2 => Ok(Reading::One(DateValue::new(y, Some(month(d)?), None)?)),
            _ => Err(DateError::NotADate),
        };
    }
    if (20_000.0..=80_000.0).contains(&n) {
        return from_excel_serial(n)
            .map(|d| Reading::One(DateValue::day(d)))
            .ok_or(DateError::NotADate);
    }
    Err(DateError::Unrecognised)
}

/// The months a file or catalog title names, as month indices (year × 12 + month − 1):
/// a quarter (`2021年第二季度`, `2021年第3季度`, `2021Q3`), a month or a day (`2021.06`,
/// `2021年6月`, `20210615`). None when it names no period (思想汇报1).
///
/// ```
/// use dangan::date::months_named;
/// let q3 = (2021 * 12 + 6, 2021 * 12 + 8);
/// assert_eq!(months_named("思想汇报（2021年第三季度）"), Some(q3));
/// assert_eq!(months_named("2021年第3季度思想汇报"), Some(q3));
/// assert_eq!(months_named("思想汇报2021.06"), Some((2021 * 12 + 5, 2021 * 12 + 5)));
/// assert_eq!(months_named("思想汇报20210615"), Some((2021 * 12 + 5, 2021 * 12 + 5)));
/// assert_eq!(months_named("2021年3季度"), Some(q3));
/// assert_eq!(months_named("思想汇报1"), None);
/// ```
pub fn months_named(text: &str) -> Option<(i64, i64)> {
    static QUARTER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"((?:19|20)\d{2})\D{0,3}?(?:第?([1-4一二三四])季|[qQ]([1-4]))")
            .expect("quarter pattern")
    });
    static MONTH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"((?:19|20)\d{2})(?:年|[.\-_/])(\d{1,2})(?:\D|$)|((?:19|20)\d{2})(\d{2})\d{2}",
        )
        .expect("month pattern")
    });
    let t = normalize(text);
    if let Some(c) = QUARTER.captures(&t) {
        let y: i64 = c[1].parse().ok()?;
        let q = c.get(2).or(c.get(3))?.as_str();
        let q: i64 = match q {
            "一" => 1,
            "二" => 2,
            "三" => 3,
            "四" => 4,
            n => n.parse().ok()?,
        };
        let first = y * 12 + (q - 1) * 3;
        return Some((first, first + 2));
    }
    let c = MONTH.captures(&t)?;
    let (y, m) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(y), Some(m), _, _) | (_, _, Some(y), Some(m)) => (
            y.as_str().parse::<i64>().ok()?,
            m.as_str().parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    (1..=12)
        .contains(&m)
        .then_some((y * 12 + m - 1, y * 12 + m - 1))
}

/// A length of time in a rule: `1 year`, `3 months`, `18 years`, `5 days`, `1年`, `3个月`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Duration {
    pub years: i64,
    pub months: i64,
    pub days: i64,
}

impl Duration {
    /// A duration as a rule file writes it.
    ///
    /// ```
    /// use dangan::date::Duration;
    /// assert_eq!(Duration::parse("1 year").map(|d| d.total_months()), Some(12));
    /// assert_eq!(Duration::parse("3个月").map(|d| d.total_months()), Some(3));
    /// assert_eq!(Duration::parse("5 days").map(|d| d.days), Some(5));
    /// assert_eq!(Duration::parse("soon"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Duration> {
        let s = normalize(s).to_lowercase();
        let mut out = Duration::default();
        let mut rest = s.as_str();
        let mut any = false;
        while !rest.is_empty() {
            let digits = rest.chars().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            let n: i64 = rest[..digits].parse().ok()?;
            rest = &rest[digits..];
            let unit_len = rest
                .char_indices()
                .find(|(_, c)| c.is_ascii_digit())
                .map_or(rest.len(), |(i, _)| i);
            let unit = rest[..unit_len].trim_end_matches([',', '、']);
            rest = &rest[unit_len..];
            match unit {
                "year" | "years" | "y" | "年" | "周年" => out.years += n,
                "month" | "months" | "m" | "个月" | "月" => out.months += n,
                "day" | "days" | "d" | "天" | "日" => out.days += n,
                _ => return None,
            }
            any = true;
        }
        any.then_some(out)
    }

    pub fn span(&self) -> Span {
        Span::new()
            .years(self.years)
            .months(self.months)
            .days(self.days)
    }

    /// `date + self`, saturating at the calendar's ends.
    pub fn after(&self, date: Date) -> Date {
        date.checked_add(self.span()).unwrap_or(Date::MAX)
    }

    /// Whole months, for resume gaps (days are ignored).
    pub fn total_months(&self) -> i64 {
        self.years * 12 + self.months
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.years != 0 {
            parts.push(format!("{}年", self.years));
        }
        if self.months != 0 {
            parts.push(format!("{}个月", self.months));
        }
        if self.days != 0 {
            parts.push(format!("{}天", self.days));
        }
        if parts.is_empty() {
            parts.push("0天".into());
        }
        f.write_str(&parts.concat())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        match parse_date(s) {
            Ok(v) => v.to_string(),
            Err(e) => format!("{e:?}"),
        }
    }

    #[test]
    fn text_forms() {
        assert_eq!(d("2021-03-05"), "2021-03-05");
        assert_eq!(d("2021/3/5"), "2021-03-05");
        assert_eq!(d("2021.03.05"), "2021-03-05");
        assert_eq!(d("2021年3月5日"), "2021-03-05");
        assert_eq!(d("20210305"), "2021-03-05");
        assert_eq!(d("２０２１．０３．０５"), "2021-03-05");
        assert_eq!(d("2021.03"), "2021-03");
        assert_eq!(d("2021年3月"), "2021-03");
        assert_eq!(d("1998"), "1998");
        assert_eq!(d(" 2021-03-05 00:00:00"), "2021-03-05");
        assert_eq!(d("2021-03-05T00:00:00"), "2021-03-05");
    }

    #[test]
    fn impossible_and_garbage() {
        assert_eq!(d("2022.13.40"), "NotADate");
        assert_eq!(d("2023年2月30日"), "NotADate");
        assert_eq!(d("不详"), "Unrecognised");
        assert_eq!(d(""), "Unrecognised");
        assert_eq!(d("2021..03"), "Unrecognised");
    }

    #[test]
    fn ranges() {
        let (a, b) = parse_range("2022.05.10-2022.05.12").unwrap();
        assert_eq!(
            (a.to_string(), b),
            (
                "2022-05-10".into(),
                RangeEnd::Date(parse_date("2022-05-12").unwrap())
            )
        );
        let (_, b) = parse_range("2005.09—2008.07").unwrap();
        assert_eq!(b, RangeEnd::Date(parse_date("2008.07").unwrap()));
        let (_, b) = parse_range("2012.07-至今").unwrap();
        assert_eq!(b, RangeEnd::Present);
        let (_, b) = parse_range("2022-05-10-2022-05-12").unwrap();
        assert_eq!(b, RangeEnd::Date(parse_date("2022-05-12").unwrap()));
        let (_, b) = parse_range("2022.05.10-12").unwrap();
        assert_eq!(b, RangeEnd::Date(parse_date("2022-05-12").unwrap()));
        let (a, b) = parse_range("2022.05.10").unwrap();
        assert_eq!(RangeEnd::Date(a), b);
        assert!(parse_range("2022.05.10-2022.13.12").is_err());
    }

    #[test]
    fn numbers_and_serials() {
        let n = |x: f64| match from_number(x, None) {
            Ok(Reading::One(v)) => v.to_string(),
            Ok(Reading::Either(a, b)) => format!("{a}|{b}"),
            Err(e) => format!("{e:?}"),
        };
        assert_eq!(n(44260.0), "2021-03-05");
        assert_eq!(n(20210305.0), "2021-03-05");
        assert_eq!(n(1998.07), "1998-07");
        assert_eq!(n(1995.3), "1995-03");
        assert_eq!(n(2021.2), "2021-02");
        assert_eq!(n(1998.1), "1998-01|1998-10");
        assert_eq!(n(1998.11), "1998-11");
        assert_eq!(n(1998.12), "1998-12");
        assert_eq!(n(1998.13), "NotADate");
        assert_eq!(n(1998.123), "NotADate");
        assert_eq!(
            from_number(1998.1, Some(2)),
            Ok(Reading::One(parse_date("1998.10").unwrap()))
        );
        assert!(from_excel_serial(60.0).is_none());
        assert_eq!(from_excel_serial(61.0).unwrap().to_string(), "1900-03-01");
        assert_eq!(from_excel_serial(1.0).unwrap().to_string(), "1900-01-01");
    }

    #[test]
    fn month_precision_bounds() {
        let m = parse_date("2024.02").unwrap();
        assert_eq!(m.earliest().to_string(), "2024-02-01");
        assert_eq!(m.latest().to_string(), "2024-02-29");
    }

    #[test]
    fn durations() {
        assert_eq!(
            Duration::parse("1 year"),
            Some(Duration {
                years: 1,
                ..Default::default()
            })
        );
        assert_eq!(Duration::parse("3 months").unwrap().total_months(), 3);
        assert_eq!(Duration::parse("3个月").unwrap().total_months(), 3);
        assert_eq!(Duration::parse("1年6个月").unwrap().total_months(), 18);
        assert_eq!(Duration::parse("5 days").unwrap().days, 5);
        assert_eq!(Duration::parse("soon"), None);
        assert_eq!(Duration::parse("3 fortnights"), None);
        let jan31 = Date::new(2021, 1, 31).unwrap();
        assert_eq!(
            Duration::parse("1 month").unwrap().after(jan31).to_string(),
            "2021-02-28"
        );
    }

    #[test]
    fn precision_and_month_arithmetic() {
        let v = |s: &str| parse_date(s).expect(s);
        assert!(v("2021年3月5日").is_day());
        assert!(!v("2021年3月").is_day());
        assert!(!v("2021年").is_day());
        // Months since year 0: January is the year's month 0.
        assert_eq!(v("2021年1月").month_index(), 2021 * 12);
        assert_eq!(v("2021年3月5日").month_index(), 2021 * 12 + 2);
        assert_eq!(
            v("2022年1月").month_index() - v("2021年12月").month_index(),
            1
        );
    }

    #[test]
    fn placeholders_are_short_dashes_or_words() {
        // (Also the doc examples: nextest, which mutation testing runs, skips doc tests.)
        for p in [" — ", "／", "暂无", "无", "-/-", "————"] {
            assert!(is_placeholder(p), "{p:?}");
        }
        // "————" is twelve bytes, the most a placeholder has; five dashes are fifteen.
        for p in ["", "—————", "2021.3", "无效日期", "12"] {
            assert!(!is_placeholder(p), "{p:?}");
        }
    }

    #[test]
    fn digits_numerals_and_times() {
        let d = |s: &str| parse_date(s).map(|v| v.to_string());
        assert_eq!(d("二〇二一年三月五日").as_deref(), Ok("2021-03-05"));
        assert_eq!(d("二零二一年十二月三十一日").as_deref(), Ok("2021-12-31"));
        assert_eq!(d("20210305").as_deref(), Ok("2021-03-05"));
        assert_eq!(d("202103").as_deref(), Ok("2021-03"));
        // Month or day 0 is no date, written out or packed.
        for s in ["2021年0月", "2021.00.05", "20210005", "202100"] {
            assert_eq!(parse_date(s), Err(DateError::NotADate), "{s}");
        }
        // A time of day is dropped; ten characters hold no date and time, so a colon there is
        // no time's (the text is not cut down to the year 2021).
        assert_eq!(d("2021-03-05 09:30:00").as_deref(), Ok("2021-03-05"));
        assert_eq!(d("2021.03:05"), Err(DateError::Unrecognised));
    }

    #[test]
    fn separators_and_shared_parts_of_a_range() {
        let d = |s: &str| parse_date(s).map(|v| v.to_string());
        // At most four separators: 年 月 日 and one more 号 still read; a fifth is too many.
        assert_eq!(d("2021年3月5日号").as_deref(), Ok("2021-03-05"));
        assert_eq!(d("2021年3月5日号号"), Err(DateError::Unrecognised));
        // The end of a range may leave out the year (and the month) it shares with the start.
        let end = |s: &str| match parse_range(s) {
            Ok((_, RangeEnd::Date(e))) => e.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(end("2022.05.10-06.12"), "2022-06-12");
        assert_eq!(end("2022.05.10-12"), "2022-05-12");
        assert_eq!(end("2022.05至07"), "2022-07");
    }

    #[test]
    fn serials_and_typed_numbers() {
        let serial = |n: f64| from_excel_serial(n).map(|d| d.to_string());
        assert_eq!(serial(44260.0).as_deref(), Some("2021-03-05"));
        assert_eq!(serial(1.0).as_deref(), Some("1900-01-01"));
        // Outside Excel's serials: before day 1 and past 9999-12-31.
        assert_eq!(serial(0.0), None);
        assert_eq!(serial(0.5), None);
        assert_eq!(serial(2_958_466.0), None);
        assert_eq!(serial(f64::INFINITY), None);
        let one = |n: f64| match from_number(n, None) {
            Ok(Reading::One(v)) => v.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(one(20210305.0), "2021-03-05");
        assert_eq!(one(202103.0), "2021-03");
        assert_eq!(one(2021.0), "2021");
    }

    #[test]
    fn a_typed_month_reads_as_the_cell_shows_it() {
        let read = |n: f64, decimals: Option<u32>| match from_number(n, decimals) {
            Ok(Reading::One(v)) => v.to_string(),
            Ok(Reading::Either(a, b)) => format!("{a} or {b}"),
            Err(e) => format!("{e:?}"),
        };
        // 2021.1 as stored: January, or October with its 0 dropped.
        assert_eq!(read(2021.1, None), "2021-01 or 2021-10");
        // Shown with one decimal, the cell says January; with two, 2021.10 says October.
        assert_eq!(read(2021.1, Some(1)), "2021-01");
        assert_eq!(read(2021.1, Some(2)), "2021-10");
        assert_eq!(read(2021.03, None), "2021-03");
        // Three decimals (2021.010) are no month.
        assert_eq!(read(2021.01, Some(3)), "NotADate");
    }

    #[test]
    fn the_months_a_title_names() {
        let q3 = Some((2021 * 12 + 6, 2021 * 12 + 8));
        assert_eq!(months_named("思想汇报（2021年第三季度）"), q3);
        assert_eq!(months_named("2021年第3季度思想汇报"), q3);
        assert_eq!(months_named("2021Q3"), q3);
        assert_eq!(months_named("2021年3季度"), q3);
        assert_eq!(
            months_named("2021年第一季度"),
            Some((2021 * 12, 2021 * 12 + 2))
        );
        let june = Some((2021 * 12 + 5, 2021 * 12 + 5));
        assert_eq!(months_named("思想汇报2021.06"), june);
        assert_eq!(months_named("思想汇报2021年6月"), june);
        assert_eq!(months_named("思想汇报20210615"), june);
        assert_eq!(months_named("思想汇报2021.13"), None);
        assert_eq!(months_named("思想汇报1"), None);
    }

    #[test]
    fn a_duration_is_said_in_chinese() {
        let said = |s: &str| Duration::parse(s).expect(s).to_string();
        assert_eq!(said("1年6个月"), "1年6个月");
        assert_eq!(said("2 years"), "2年");
        assert_eq!(said("3 months"), "3个月");
        assert_eq!(said("5 days"), "5天");
        assert_eq!(said("1年2个月3天"), "1年2个月3天");
        assert_eq!(Duration::default().to_string(), "0天");
    }
}
