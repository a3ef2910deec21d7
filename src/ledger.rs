//! Read spreadsheets: ledger rows (发展党员工作台账) and resume rows (简历).
//!
//! A sheet is recognised by its header row, not by file or sheet name: the first row (among
//! the first 30) whose cells name the `name` field and at least two date fields is a ledger
//! header; one that names a span (or start and end) and a description column is a resume
//! header. Title rows above the header, extra columns and blank rows are passed over. Every
//! value keeps its cell so that a finding can say `台账.xlsx 2021年!J7`.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use calamine::{Data, Reader, open_workbook_auto};
use compact_str::CompactString;
use jiff::civil::Date;

use crate::config::{Config, FieldType};
use crate::date::{DateError, DateValue, RangeEnd, from_number, parse_date, parse_range};
use crate::finding::Location;
use crate::text::{cell_name, normalize, normalize_header};
use crate::walk::FileEntry;

const HEADER_SCAN_ROWS: usize = 30;

/// Why a date cell is not usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Not a date at all.
    Unreadable,
    /// Looks like a date but does not exist (2023年2月30日).
    NoSuchDate,
    /// Later than the audit's as-of date.
    AfterAsOf,
    /// Earlier than `dates.earliest` (1921-07-01).
    TooEarly,
}

/// A ledger cell as read. Texts up to 24 bytes (a name, an ID number, 汉族) are held inline:
/// a 100,000-row ledger has two million of these.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Empty,
    Text(CompactString),
    Date(DateValue),
    Range(DateValue, DateValue),
    /// A date cell that cannot be used: its text and why (boxed: rare, and it keeps every
    /// other value at 24 bytes).
    Invalid(BadDate),
}

impl FieldValue {
    pub fn is_empty(&self) -> bool {
        matches!(self, FieldValue::Empty)
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            FieldValue::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// Where a sheet is: the file (relative to the archive) and the sheet's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRef {
    pub file: Arc<str>,
    pub sheet: Arc<str>,
}

impl SheetRef {
    pub fn at(&self, row: u32, col: u32) -> Location {
        Location {
            file: self.file.to_string(),
            sheet: Some(self.sheet.to_string()),
            cell: Some(cell_name(row, col)),
        }
    }
}

/// A ledger sheet: where it is, and the column of each field (shared by all its rows).
#[derive(Debug)]
pub struct LedgerSheet {
    pub at: SheetRef,
    /// Indexed by field: the zero-based column, or None when the sheet has no such column.
    pub cols: Box<[Option<u32>]>,
    /// The branch folder the ledger sits in, when it sits in one (used when there is no
    /// branch column).
    pub folder_branch: Option<Box<str>>,
}

/// One person's row in a ledger.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub sheet: Arc<LedgerSheet>,
    /// Zero-based row in the sheet.
    pub row: u32,
    /// Indexed by field; Empty also where the sheet has no such column.
    values: Box<[FieldValue]>,
    /// Position among all ledger rows of the archive (files in walk order, sheets, rows).
    pub seq: usize,
}

impl LedgerRow {
    /// A field's value; None when the sheet has no such column.
    pub fn value(&self, field: usize) -> Option<&FieldValue> {
        if self.has_column(field) {
            self.values.get(field)
        } else {
            None
        }
    }

    pub fn has_column(&self, field: usize) -> bool {
        self.sheet.cols.get(field).is_some_and(Option::is_some)
    }

    /// Every field the sheet has: (field, column, value).
    pub fn cells(&self) -> impl Iterator<Item = (usize, u32, &FieldValue)> {
        self.sheet
            .cols
            .iter()
            .zip(self.values.iter())
            .enumerate()
            .filter_map(|(f, (c, v))| c.map(|c| (f, c, v)))
    }

    /// The birth date the row's ID number states, when it holds a valid one.
    pub fn id_birth(&self, id_field: Option<usize>, as_of: Date) -> Option<Date> {
        crate::idnum::check(self.text(id_field)?, as_of)
            .ok()
            .map(|i| i.birth)
    }

    pub fn folder_branch(&self) -> Option<&str> {
        self.sheet.folder_branch.as_deref()
    }

    pub fn text(&self, field: Option<usize>) -> Option<&str> {
        field
            .and_then(|f| self.value(f))
            .and_then(FieldValue::as_text)
    }

    /// The cell of a field, or of the row's first cell when the column is absent.
    pub fn location(&self, field: Option<usize>) -> Location {
        let col = field
            .and_then(|f| self.sheet.cols.get(f).copied().flatten())
            .unwrap_or(0);
        self.sheet.at.at(self.row, col)
    }
}

/// A date cell that could not be used: its text and why.
pub type BadDate = Box<(String, Invalid)>;

/// One line of a resume. A sheet holds three or four per person: kept small.
#[derive(Debug, Clone)]
pub struct ResumeEntry {
    pub sheet: Arc<SheetRef>,
    /// Zero-based row and column of the entry's date cell.
    pub row: u32,
    pub col: u32,
    pub start: Result<DateValue, BadDate>,
    pub end: Result<RangeEnd, BadDate>,
    pub text: CompactString,
    /// The person it belongs to, for resume sheets outside a dossier (inline: a name or an ID
    /// number fits in the value itself).
    pub name: Option<CompactString>,
    pub id_number: Option<CompactString>,
}

impl ResumeEntry {
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn id_number(&self) -> Option<&str> {
        self.id_number.as_deref()
    }

    /// `简历.xlsx 简历!A5`: the entry's date cell.
    pub fn location(&self) -> Location {
        self.sheet.at(self.row, self.col)
    }
}

/// What one spreadsheet file held.
#[derive(Debug, Default)]
pub struct Workbook {
    pub ledger_rows: Vec<LedgerRow>,
    pub resume_entries: Vec<ResumeEntry>,
    /// Why the file could not be read, if it could not.
    pub problem: Option<String>,
    /// Whether any sheet had a recognised header.
    pub recognised: bool,
    /// Whether any sheet had a ledger header (even with no rows under it).
    pub has_ledger: bool,
}

/// The bounds a date must fall within.
#[derive(Debug, Clone, Copy)]
pub struct DateBounds {
    pub earliest: Date,
    pub as_of: Date,
}

/// What a header cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Field(usize),
    ResumeStart,
    ResumeEnd,
    ResumeSpan,
    ResumeDescription,
}

/// Header aliases, normalised, looked up once per cell.
pub struct HeaderIndex {
    ledger: HashMap<String, usize>,
    resume: HashMap<String, Column>,
}

impl HeaderIndex {
    pub fn new(config: &Config) -> HeaderIndex {
        let mut ledger = HashMap::new();
        for (i, f) in config.fields.iter().enumerate() {
            for a in &f.aliases {
                ledger.entry(a.clone()).or_insert(i);
            }
        }
        let mut resume = HashMap::new();
        let r = &config.resume;
        for (list, col) in [
            (&r.span, Column::ResumeSpan),
            (&r.start, Column::ResumeStart),
            (&r.end, Column::ResumeEnd),
            (&r.description, Column::ResumeDescription),
        ] {
            for a in list {
                resume.entry(a.clone()).or_insert(col);
            }
        }
        HeaderIndex { ledger, resume }
    }
}

/// Read a spreadsheet. Never panics: a panic inside the reader becomes a problem.
pub fn read_workbook(
    root: &std::path::Path,
    file: &FileEntry,
    folder_branch: Option<&str>,
    config: &Config,
    headers: &HeaderIndex,
    bounds: DateBounds,
) -> Workbook {
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        read_inner(root, file, folder_branch, config, headers, bounds)
    }));
    match result {
        Ok(wb) => wb,
        Err(_) => Workbook {
            problem: Some("表格文件已损坏，读取时出错".into()),
            ..Workbook::default()
        },
    }
}

fn read_inner(
    root: &std::path::Path,
    file: &FileEntry,
    folder_branch: Option<&str>,
    config: &Config,
    headers: &HeaderIndex,
    bounds: DateBounds,
) -> Workbook {
    let mut wb = Workbook::default();
    if file.size == 0 {
        wb.problem = Some("空文件（0 字节）".into());
        return wb;
    }
    let mut parser = Parser {
        config,
        headers,
        bounds,
        folder_branch,
        file: Arc::from(&*file.rel),
        wb: &mut wb,
        sheet: None,
        state: State::Skip,
        last_row: 0,
    };
    if let Err(problem) = stream_sheets(&file.path(root), &file.ext(), &mut parser) {
        wb.problem = Some(problem);
    }
    wb.ledger_rows.shrink_to_fit();
    wb.resume_entries.shrink_to_fit();
    wb
}

/// Receives a workbook row by row, sheet by sheet.
trait RowSink {
    /// A new sheet begins; `last_row` is the last row its file declares (a hint, which may be
    /// wrong: it only sizes the lists).
    fn start(&mut self, sheet: &str, last_row: u32);
    fn row(&mut self, row: u32, cells: &[Data]);
    /// A sheet could not be read to its end.
    fn problem(&mut self, problem: String);
}

enum State {
    /// Looking for a header among the first rows; holds how many non-empty rows were seen.
    Seeking(usize),
    Ledger(Arc<LedgerSheet>),
    Resume(Vec<(usize, Column)>),
    Skip,
}

/// Turns rows into ledger rows and resume entries as they stream by: nothing of a sheet is
/// held but the row being read.
struct Parser<'a> {
    config: &'a Config,
    headers: &'a HeaderIndex,
    bounds: DateBounds,
    folder_branch: Option<&'a str>,
    file: Arc<str>,
    wb: &'a mut Workbook,
    sheet: Option<Arc<SheetRef>>,
    state: State,
    last_row: u32,
}

/// The rows a sheet declares below `row`, to size a list once instead of doubling it as it
/// grows (a 300,000-row resume sheet would otherwise pass through copies of twice its size).
/// Reserved memory is only address space until it is written, so a sheet that declares more
/// than it holds costs nothing; the lists are trimmed at the end.
fn rows_below(last_row: u32, row: u32) -> usize {
    const EXCEL_MAX_ROWS: u32 = 1 << 20;
    last_row.min(EXCEL_MAX_ROWS).saturating_sub(row) as usize
}

impl RowSink for Parser<'_> {
    fn start(&mut self, sheet: &str, last_row: u32) {
        self.last_row = last_row;
        self.sheet = Some(Arc::new(SheetRef {
            file: self.file.clone(),
            sheet: Arc::from(sheet),
        }));
        self.state = State::Seeking(0);
    }

    fn row(&mut self, row: u32, cells: &[Data]) {
        let Some(sheet) = &self.sheet else { return };
        match &mut self.state {
            State::Seeking(seen) => {
                *seen += 1;
                match header_of(cells, self.headers, self.config) {
                    Some(HeaderKind::Ledger(cols)) => {
                        self.wb.recognised = true;
                        self.wb.has_ledger = true;
                        let mut by_field = vec![None; self.config.fields.len()];
                        for &(c, f) in &cols {
                            by_field[f] = u32::try_from(c).ok();
                        }
                        let ledger = Arc::new(LedgerSheet {
                            at: SheetRef::clone(sheet),
                            cols: by_field.into_boxed_slice(),
                            folder_branch: self.folder_branch.map(Box::from),
                        });
                        self.state = State::Ledger(ledger);
                        let more = rows_below(self.last_row, row);
                        self.wb.ledger_rows.reserve(more);
                    }
                    Some(HeaderKind::Resume(cols)) => {
                        self.wb.recognised = true;
                        self.state = State::Resume(cols);
                        let more = rows_below(self.last_row, row);
                        self.wb.resume_entries.reserve(more);
                    }
                    None if *seen >= HEADER_SCAN_ROWS => self.state = State::Skip,
                    None => {}
                }
            }
            State::Ledger(ledger) => {
                if let Some(lr) = ledger_row(cells, self.config, ledger, row, self.bounds) {
                    self.wb.ledger_rows.push(lr);
                }
            }
            State::Resume(cols) => {
                if let Some(e) = resume_entry(cells, cols, self.config, sheet, row, self.bounds) {
                    self.wb.resume_entries.push(e);
                }
            }
            State::Skip => {}
        }
    }

    fn problem(&mut self, problem: String) {
        self.wb.problem = Some(problem);
    }
}

/// Columns beyond this are not read: a ledger has a few dozen, and a stray value far to the
/// right must not make the reader allocate a sheet-wide grid.
const MAX_COLS: u32 = 1024;

/// Stream every sheet's non-empty rows (cells indexed by zero-based column) into `sink`. An
/// .xlsx is read cell by cell, so memory follows the row being read, never the sheet's used
/// range; .xls (at most 65,536 × 256) and .ods go through calamine's ranges. An error that
/// stops the whole file is returned; one that stops a sheet goes to the sink.
fn stream_sheets(path: &std::path::Path, ext: &str, sink: &mut dyn RowSink) -> Result<(), String> {
    let mut head = [0u8; 8];
    let ole = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if ole && matches!(ext, "xlsx" | "xlsm") {
        // An OLE container named .xlsx: an encrypted workbook, or an .xls renamed.
        let opened: Result<calamine::Xls<_>, _> = calamine::open_workbook(path);
        let mut book = opened.map_err(|_| {
            "表格设有打开密码（加密），无法读取：请去掉密码后另存为 .xlsx".to_string()
        })?;
        for name in book.sheet_names() {
            match book.worksheet_range(&name) {
                Ok(range) => range_rows(&name, &range, sink),
                Err(e) => sink.problem(format!("工作表“{name}”无法读取：{e}")),
            }
        }
        return Ok(());
    }
    if matches!(ext, "xlsx" | "xlsm") {
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(path)
            .map_err(|e: calamine::XlsxError| describe_open_error(&calamine::Error::Xlsx(e)))?;
        for name in book.sheet_names() {
            let mut current: Option<u32> = None;
            let mut row: Vec<Data> = Vec::new();
            let read = (|| -> Result<(), calamine::XlsxError> {
                let mut cells = book.worksheet_cells_reader(&name)?;
                sink.start(&name, cells.dimensions().end.0);
                while let Some(cell) = cells.next_cell()? {
                    let (r, c) = cell.get_position();
                    if c >= MAX_COLS || matches!(cell.get_value(), calamine::DataRef::Empty) {
                        continue;
                    }
                    if current != Some(r) {
                        if let Some(prev) = current {
                            sink.row(prev, &row);
                        }
                        row.clear();
                        current = Some(r);
                    }
                    if row.len() <= c as usize {
                        row.resize(c as usize + 1, Data::Empty);
                    }
                    row[c as usize] = cell.get_value().clone().into();
                }
                Ok(())
            })();
            if let Some(prev) = current {
                sink.row(prev, &row);
            }
            if let Err(e) = read {
                sink.problem(format!("工作表“{name}”无法读取：{e}"));
            }
        }
        return Ok(());
    }
    let mut book = open_workbook_auto(path).map_err(|e| describe_open_error(&e))?;
    for name in book.sheet_names() {
        match book.worksheet_range(&name) {
            Ok(range) => range_rows(&name, &range, sink),
            Err(e) => sink.problem(format!("工作表“{name}”无法读取：{e}")),
        }
    }
    Ok(())
}

fn range_rows(name: &str, range: &calamine::Range<Data>, sink: &mut dyn RowSink) {
    sink.start(name, range.end().map_or(0, |(r, _)| r));
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut v: Vec<Data> = Vec::new();
    for (r, cells) in range.rows().enumerate() {
        if cells.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        v.clear();
        v.resize(col0.min(MAX_COLS) as usize, Data::Empty);
        v.extend(
            cells
                .iter()
                .take(MAX_COLS.saturating_sub(col0) as usize)
                .cloned(),
        );
        sink.row(row0 + r as u32, &v);
    }
}

/// A reason a person can act on, with the reader's own words after it.
fn describe_open_error(e: &calamine::Error) -> String {
    let tech = e.to_string();
    let lower = tech.to_lowercase();
    let what = if lower.contains("zip") || lower.contains("cfb") || lower.contains("invalid") {
        "文件已损坏、下载不完整，或扩展名与内容不符"
    } else if lower.contains("password") || lower.contains("encrypt") {
        "文件设有密码，无法读取"
    } else {
        "无法打开表格"
    };
    format!("{what}；{tech}")
}

enum HeaderKind {
    /// (column in range, field)
    Ledger(Vec<(usize, usize)>),
    Resume(Vec<(usize, Column)>),
}

/// The header a row is, if it is one.
fn header_of(cells: &[Data], idx: &HeaderIndex, config: &Config) -> Option<HeaderKind> {
    let mut ledger: Vec<(usize, usize)> = Vec::new();
    let mut resume: Vec<(usize, Column)> = Vec::new();
    for (c, cell) in cells.iter().enumerate() {
        let Data::String(s) = cell else { continue };
        let h = normalize_header(s);
        if h.is_empty() {
            continue;
        }
        if let Some(&f) = idx.ledger.get(&h)
            && !ledger.iter().any(|&(_, g)| g == f)
        {
            ledger.push((c, f));
        }
        if let Some(&col) = idx.resume.get(&h)
            && !resume.iter().any(|&(_, k)| k == col)
        {
            resume.push((c, col));
        }
    }
    let has_name = ledger.iter().any(|&(_, f)| f == config.name_field);
    let dates = ledger
        .iter()
        .filter(|&&(_, f)| {
            config.fields[f].kind != FieldType::Text && Some(f) != config.birth_field
        })
        .count();
    if has_name && dates >= 2 {
        return Some(HeaderKind::Ledger(ledger));
    }
    let has = |k: Column| resume.iter().any(|&(_, c)| c == k);
    let dated = has(Column::ResumeSpan) || (has(Column::ResumeStart) && has(Column::ResumeEnd));
    if dated && has(Column::ResumeDescription) {
        // A resume sheet outside a dossier carries name (and ID) columns too.
        for (c, f) in ledger {
            if f == config.name_field || Some(f) == config.id_field {
                resume.push((c, Column::Field(f)));
            }
        }
        return Some(HeaderKind::Resume(resume));
    }
    None
}

/// A cell as text; short texts (most cells) are held inline, without allocating.
fn cell_text(d: &Data) -> CompactString {
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

fn date_cell(d: &Data) -> Result<Option<DateValue>, Invalid> {
    let r = match d {
        Data::Empty => return Ok(None),
        Data::String(s) if s.trim().is_empty() => return Ok(None),
        Data::String(s) => parse_date(s),
        Data::DateTimeIso(s) => parse_date(s),
        Data::DateTime(x) if x.is_datetime() => {
            let (y, m, d, ..) = x.to_ymd_hms_milli();
            Date::new(y as i16, m as i8, d as i8)
                .map(DateValue::day)
                .map_err(|_| DateError::NotADate)
        }
        Data::Float(f) => from_number(*f),
        Data::Int(i) => from_number(*i as f64),
        _ => Err(DateError::Unrecognised),
    };
    r.map(Some).map_err(|e| match e {
        DateError::NotADate => Invalid::NoSuchDate,
        DateError::Unrecognised => Invalid::Unreadable,
    })
}

fn check_bounds(d: DateValue, b: DateBounds) -> Result<DateValue, Invalid> {
    if d.earliest() > b.as_of {
        Err(Invalid::AfterAsOf)
    } else if d.latest() < b.earliest {
        Err(Invalid::TooEarly)
    } else {
        Ok(d)
    }
}

fn field_value(d: &Data, kind: FieldType, bounds: DateBounds) -> FieldValue {
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
        FieldType::Date => match date_cell(d) {
            Ok(None) => FieldValue::Empty,
            Ok(Some(v)) => check_bounds(v, bounds).map_or_else(invalid, FieldValue::Date),
            Err(why) => invalid(why),
        },
        FieldType::Range => match d {
            Data::String(s) if !s.trim().is_empty() => match parse_range(s) {
                Ok((a, RangeEnd::Date(b))) => {
                    match (check_bounds(a, bounds), check_bounds(b, bounds)) {
                        (Ok(a), Ok(b)) => FieldValue::Range(a, b),
                        (Err(w), _) | (_, Err(w)) => invalid(w),
                    }
                }
                Ok((_, RangeEnd::Present)) => invalid(Invalid::Unreadable),
                Err(DateError::NotADate) => invalid(Invalid::NoSuchDate),
                Err(DateError::Unrecognised) => invalid(Invalid::Unreadable),
            },
            _ => match date_cell(d) {
                Ok(None) => FieldValue::Empty,
                Ok(Some(v)) => {
                    check_bounds(v, bounds).map_or_else(invalid, |v| FieldValue::Range(v, v))
                }
                Err(why) => invalid(why),
            },
        },
    }
}

/// Nothing but white space (also the full-width space and the zero-width ones that
/// [`normalize`] drops).
fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
}

fn ledger_row(
    cells: &[Data],
    config: &Config,
    sheet: &Arc<LedgerSheet>,
    row: u32,
    bounds: DateBounds,
) -> Option<LedgerRow> {
    let cell = |c: u32| cells.get(c as usize).unwrap_or(&Data::Empty);
    // A row without a name is a blank, a footnote or a total line: looked at first, before
    // anything is allocated.
    let name_col = sheet.cols.get(config.name_field).copied().flatten()?;
    let name = field_value(cell(name_col), FieldType::Text, bounds);
    if is_blank(name.as_text()?) {
        return None;
    }
    let mut values: Box<[FieldValue]> = vec![FieldValue::Empty; config.fields.len()].into();
    for (f, c) in sheet.cols.iter().enumerate() {
        if let Some(c) = *c {
            values[f] = field_value(cell(c), config.fields[f].kind, bounds);
        }
    }
    Some(LedgerRow {
        sheet: Arc::clone(sheet),
        row,
        values,
        seq: 0,
    })
}

fn bad(raw: &str, why: Invalid) -> BadDate {
    Box::new((raw.to_string(), why))
}

fn resume_entry(
    cells: &[Data],
    cols: &[(usize, Column)],
    config: &Config,
    sheet: &Arc<SheetRef>,
    row: u32,
    bounds: DateBounds,
) -> Option<ResumeEntry> {
    let get = |k: Column| cols.iter().find(|&&(_, c)| c == k).map(|&(i, _)| i);
    let text_of = |k: Column| get(k).map(|i| cell_text(cells.get(i).unwrap_or(&Data::Empty)));
    let text = text_of(Column::ResumeDescription).unwrap_or_default();
    let name = text_of(Column::Field(config.name_field)).filter(|s| !s.is_empty());
    let id_number = config
        .id_field
        .and_then(|f| text_of(Column::Field(f)))
        .filter(|s| !s.is_empty());
    let bounded = |v: DateValue, raw: &str| check_bounds(v, bounds).map_err(|w| bad(raw, w));
    let (start, end, at) = if let Some(i) = get(Column::ResumeSpan) {
        let d = cells.get(i).unwrap_or(&Data::Empty);
        let raw = cell_text(d);
        if raw.is_empty() {
            return None;
        }
        let parsed = match d {
            Data::String(s) => parse_range(s),
            _ => date_cell(d)
                .map_err(|_| DateError::Unrecognised)
                .and_then(|v| v.ok_or(DateError::Unrecognised))
                .map(|v| (v, RangeEnd::Date(v))),
        };
        match parsed {
            Ok((a, b)) => {
                let end = match b {
                    RangeEnd::Present => Ok(RangeEnd::Present),
                    RangeEnd::Date(b) => bounded(b, &raw).map(RangeEnd::Date),
                };
                (bounded(a, &raw), end, i)
            }
            Err(e) => {
                let why = if e == DateError::NotADate {
                    Invalid::NoSuchDate
                } else {
                    Invalid::Unreadable
                };
                (Err(bad(&raw, why)), Err(bad(&raw, why)), i)
            }
        }
    } else {
        let si = get(Column::ResumeStart)?;
        let ei = get(Column::ResumeEnd)?;
        let sd = cells.get(si).unwrap_or(&Data::Empty);
        let ed = cells.get(ei).unwrap_or(&Data::Empty);
        let (sraw, eraw) = (cell_text(sd), cell_text(ed));
        if sraw.is_empty() && eraw.is_empty() {
            return None;
        }
        let start = match date_cell(sd) {
            Ok(Some(v)) => bounded(v, &sraw),
            Ok(None) => Err(bad(&sraw, Invalid::Unreadable)),
            Err(w) => Err(bad(&sraw, w)),
        };
        let end = if matches!(normalize(&eraw).as_str(), "至今" | "今" | "现在") {
            Ok(RangeEnd::Present)
        } else {
            match date_cell(ed) {
                Ok(Some(v)) => bounded(v, &eraw).map(RangeEnd::Date),
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
        name,
        id_number,
    })
}
