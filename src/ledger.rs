//! Read spreadsheets: ledger rows (发展党员工作台账) and resume rows (简历).
//!
//! A sheet is recognised by its header row, not by file or sheet name: the first row (among
//! the first 30) whose cells name the `name` field and at least two date fields is a ledger
//! header; one that names a span (or start and end) and a description column is a resume
//! header. Title rows above the header, extra columns and blank rows are passed over. Every
//! value keeps its cell so that a finding can say `台账.xlsx 2021年!J7`.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use calamine::{Data, Reader, open_workbook_auto};
use compact_str::CompactString;
use jiff::civil::Date;

use crate::date::{DateError, DateValue, RangeEnd, Reading, from_number, parse_date, parse_range};
use crate::finding::Location;
use crate::schema::{FieldType, Schema};
use crate::text::{cell_name, normalize};
use crate::walk::FileEntry;

mod budget;
pub mod catalog;
mod header;
pub mod merge;
pub mod plan;
mod tape;
mod text_table;
pub use header::{
    Candidate, Column, HeaderColumn, HeaderIndex, HeaderKind, LedgerHeader, header_at,
};

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
    /// A month typed as a number that reads two ways (2021.1: January, or October with its 0
    /// dropped). Rules see the first; the audit also runs them with the second, and keeps a
    /// finding only when both readings give it.
    Either(DateValue, DateValue),
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

    /// A single date (the first reading of an ambiguous month).
    pub fn date(&self) -> Option<DateValue> {
        match self {
            FieldValue::Date(d) | FieldValue::Either(d, _) => Some(*d),
            _ => None,
        }
    }

    /// The other reading of an ambiguous month, the value itself otherwise.
    pub fn other_reading(&self) -> FieldValue {
        match self {
            FieldValue::Either(a, b) => FieldValue::Either(*b, *a),
            v => v.clone(),
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
    /// Further columns of a field written in numbered sub-columns (培养联系人 1 | 2):
    /// (field, column); their texts join the first column's.
    pub more: Box<[(usize, u32)]>,
    /// The branch folder the ledger sits in, when it sits in one (used when there is no
    /// branch column). Set once the layout is known, which may be after the sheet is read
    /// (`Workbook::set_folder_branch`).
    pub folder_branch: std::sync::OnceLock<Box<str>>,
    /// Indexed by field: where a row of this sheet keeps the field's value (its place among
    /// the fields the sheet has a column for). A row holds only those values: a ledger with
    /// 15 of the rule set's 40 fields costs 15 values a row, not 40.
    slots: Box<[Option<u16>]>,
    /// How many fields the sheet has a column for.
    width: usize,
    /// What the audit should say about the header itself.
    pub notes: Box<[HeaderNote]>,
}

/// Something about a ledger header a person should know, said by the rule kind
/// `ledger-header`: where it is (zero-based row and column of the header's bottom cell).
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderNote {
    /// A header one character off an alias, read as that alias (确定为入党积级分子时间).
    ReadAs {
        row: u32,
        col: u32,
        header: String,
        alias: String,
        field: usize,
    },
    /// A column whose header names a time but no field: its dates are not read.
    Unplaced { row: u32, col: u32, header: String },
}

impl LedgerSheet {
    pub fn new(at: SheetRef, cols: Box<[Option<u32>]>, more: Box<[(usize, u32)]>) -> LedgerSheet {
        let mut width = 0;
        let slots = cols
            .iter()
            .map(|c| {
                c.map(|_| {
                    width += 1;
                    u16::try_from(width - 1).unwrap_or(u16::MAX)
                })
            })
            .collect();
        LedgerSheet {
            at,
            cols,
            more,
            folder_branch: std::sync::OnceLock::new(),
            slots,
            width,
            notes: Box::new([]),
        }
    }
}

/// One person's row in a ledger.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub sheet: Arc<LedgerSheet>,
    /// Zero-based row in the sheet.
    pub row: u32,
    /// The values of the fields its sheet has a column for, in the sheet's slots; a row merged
    /// from several sheets holds every field's, indexed by field (see [`LedgerRow::slot`]).
    values: Box<[FieldValue]>,
    /// Position among all ledger rows of the archive (files in walk order, sheets, rows).
    pub seq: usize,
    /// Set when rows of other sheets were merged into this one (the same person on several
    /// rosters): where each value came from.
    pub merged: Option<Box<Merged>>,
}

#[cfg(test)]
impl LedgerRow {
    /// A row of text cells by field key, on a sheet of its own: for other modules' tests.
    pub(crate) fn of_texts(config: &Schema, cells: &[(&str, &str)]) -> LedgerRow {
        let mut cols = vec![None; config.fields.len()];
        for (c, (k, _)) in cells.iter().enumerate() {
            let f = config.field(k).unwrap_or_else(|| panic!("no field {k}"));
            cols[f] = Some(c as u32);
        }
        let sheet = Arc::new(LedgerSheet::new(
            SheetRef {
                file: Arc::from("台账.xlsx"),
                sheet: Arc::from("Sheet1"),
            },
            cols.into_boxed_slice(),
            Box::new([]),
        ));
        let mut values = vec![FieldValue::Empty; sheet.width];
        for (k, v) in cells {
            let f = config.field(k).unwrap_or_else(|| panic!("no field {k}"));
            if let Some(s) = sheet.slots[f] {
                values[usize::from(s)] = FieldValue::Text((*v).into());
            }
        }
        LedgerRow {
            sheet,
            row: 1,
            values: values.into_boxed_slice(),
            seq: 0,
            merged: None,
        }
    }
}

/// The rows a merged ledger row was made of, and which gave each value.
#[derive(Debug, Clone)]
pub struct Merged {
    /// (sheet, zero-based row) of every row merged, this row first.
    pub sources: Vec<(Arc<LedgerSheet>, u32)>,
    /// Indexed by field: the source that gave the value.
    pub of_field: Box<[u16]>,
    /// Fields on which the rows disagree.
    pub conflicts: Vec<merge::Conflict>,
}

impl LedgerRow {
    /// Where the row keeps a field's value: its sheet's slot, or — merged from several
    /// sheets — the field itself.
    fn slot(&self, field: usize) -> Option<usize> {
        match &self.merged {
            None => self
                .sheet
                .slots
                .get(field)
                .copied()
                .flatten()
                .map(usize::from),
            Some(_) => Some(field),
        }
    }

    /// A field's value; None when the sheet has no such column.
    pub fn value(&self, field: usize) -> Option<&FieldValue> {
        if self.has_column(field) {
            self.values.get(self.slot(field)?)
        } else {
            None
        }
    }

    /// A row of `sheet` from every field's value, indexed by field (for tests).
    #[cfg(test)]
    pub(crate) fn from_fields(
        sheet: Arc<LedgerSheet>,
        row: u32,
        fields: Vec<FieldValue>,
    ) -> LedgerRow {
        let mut values = vec![FieldValue::Empty; sheet.width];
        for (v, s) in fields.into_iter().zip(sheet.slots.iter()) {
            if let Some(s) = s {
                values[usize::from(*s)] = v;
            }
        }
        LedgerRow {
            sheet,
            row,
            values: values.into_boxed_slice(),
            seq: 0,
            merged: None,
        }
    }

    /// Every field's value, indexed by field (Empty where no sheet has the column): the form
    /// a merged row keeps.
    pub(crate) fn dense(self, fields: usize) -> Vec<FieldValue> {
        if self.merged.is_some() {
            return self.values.into_vec();
        }
        let mut out = vec![FieldValue::Empty; fields];
        let mut values = self.values.into_vec().into_iter();
        for (f, s) in self.sheet.slots.iter().enumerate() {
            if s.is_some()
                && let (Some(o), Some(v)) = (out.get_mut(f), values.next())
            {
                *o = v;
            }
        }
        out
    }

    /// A milestone's date: a date field's, or a range's start or end; None when empty or
    /// unusable.
    pub fn milestone(&self, m: crate::schema::MilestoneRef) -> Option<DateValue> {
        match self.value(m.field)? {
            FieldValue::Range(a, b) => Some(if m.end == crate::schema::End::Start {
                *a
            } else {
                *b
            }),
            v => v.date(),
        }
    }

    pub fn has_column(&self, field: usize) -> bool {
        match &self.merged {
            None => self.sheet.cols.get(field).is_some_and(Option::is_some),
            Some(m) => m
                .sources
                .iter()
                .any(|(sheet, _)| sheet.cols.get(field).is_some_and(Option::is_some)),
        }
    }

    /// Every field some sheet of the row has a column for: (field, value).
    pub fn cells(&self) -> impl Iterator<Item = (usize, &FieldValue)> {
        (0..self.sheet.cols.len()).filter_map(|f| Some((f, self.value(f)?)))
    }

    /// The sheet and row a field's value came from.
    fn source(&self, field: usize) -> (&LedgerSheet, u32) {
        match &self.merged {
            Some(m) => {
                let i = m.of_field.get(field).copied().unwrap_or(0) as usize;
                m.sources
                    .get(i)
                    .map_or((&*self.sheet, self.row), |(s, r)| (&**s, *r))
            }
            None => (&self.sheet, self.row),
        }
    }

    /// The rows merged into this one (empty when it is one row).
    pub fn sources(&self) -> &[(Arc<LedgerSheet>, u32)] {
        self.merged.as_ref().map_or(&[], |m| m.sources.as_slice())
    }

    /// Fields on which the rows merged into this one disagree.
    pub fn conflicts(&self) -> &[merge::Conflict] {
        self.merged.as_ref().map_or(&[], |m| m.conflicts.as_slice())
    }

    /// The cell of a field in one of the merged rows (`source` indexes [`Self::sources`]).
    pub fn source_location(&self, source: u16, field: usize) -> Location {
        match self.sources().get(source as usize) {
            Some((sheet, row)) => sheet
                .at
                .at(*row, sheet.cols.get(field).copied().flatten().unwrap_or(0)),
            None => self.location(Some(field)),
        }
    }

    /// The row with its ambiguous months read the other way where `flip` says so (called
    /// once for each such cell, in field order).
    pub fn with_readings(&self, mut flip: impl FnMut() -> bool) -> LedgerRow {
        let mut r = self.clone();
        for v in r.values.iter_mut() {
            if matches!(v, FieldValue::Either(..)) && flip() {
                *v = v.other_reading();
            }
        }
        r
    }

    /// How many cells read two ways.
    pub fn ambiguous_cells(&self) -> usize {
        self.values
            .iter()
            .filter(|v| matches!(v, FieldValue::Either(..)))
            .count()
    }

    /// The birth date the row's ID number states, when it holds a valid one.
    pub fn id_birth(&self, id_field: Option<usize>, as_of: Date) -> Option<Date> {
        crate::idnum::check(self.text(id_field)?, as_of)
            .ok()
            .map(|i| i.birth)
    }

    pub fn folder_branch(&self) -> Option<&str> {
        self.sheet.folder_branch.get().map(|b| &**b)
    }

    /// The row's branch: its 党支部 column, else the branch folder its sheet was found in.
    pub fn branch(&self, config: &Schema) -> Option<&str> {
        self.text(config.keys.branch).or(self.folder_branch())
    }

    pub fn text(&self, field: Option<usize>) -> Option<&str> {
        field
            .and_then(|f| self.value(f))
            .and_then(FieldValue::as_text)
    }

    /// The cell of a field, or of the row's first cell when the column is absent.
    pub fn location(&self, field: Option<usize>) -> Location {
        let Some(f) = field else {
            return self.sheet.at.at(self.row, 0);
        };
        let (sheet, row) = self.source(f);
        let col = sheet.cols.get(f).copied().flatten().unwrap_or(0);
        sheet.at.at(row, col)
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
    /// The second readings of a start or end typed as a number such as 2021.1 (January or
    /// October); None for almost every entry.
    pub alt: Option<Box<(Option<DateValue>, Option<DateValue>)>>,
}

impl ResumeEntry {
    /// The entry with its ambiguous months read the other way.
    pub fn other_reading(&self) -> ResumeEntry {
        let mut e = self.clone();
        if let Some(alt) = &self.alt {
            let (a, b) = **alt;
            let mut back = (None, None);
            if let (Some(a), Ok(s)) = (a, &mut e.start) {
                back.0 = Some(*s);
                *s = a;
            }
            if let (Some(b), Ok(RangeEnd::Date(x))) = (b, &mut e.end) {
                back.1 = Some(*x);
                *x = b;
            }
            e.alt = Some(Box::new(back));
        }
        e
    }

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
    pub catalog_entries: Vec<catalog::CatalogEntry>,
    /// 年度发展计划 and 支部名单 rows.
    pub plan_rows: Vec<plan::PlanRow>,
    /// Why the file could not be read, if it could not.
    pub problem: Option<String>,
    /// Whether any sheet had a recognised header.
    pub recognised: bool,
    /// Whether any sheet had a ledger header (even with no rows under it).
    pub has_ledger: bool,
    /// What each sheet was taken for (for `dangan survey` and `ledger-not-found`).
    pub sheets: Vec<SheetSurvey>,
}

impl Workbook {
    /// The branch of the folder the workbook sits in: its ledger rows' branch where the sheet
    /// has no branch column. Known only once the layout is, which may be after the reading.
    pub fn set_folder_branch(&self, branch: Option<&str>) {
        let Some(branch) = branch else { return };
        for row in &self.ledger_rows {
            // Rows of one sheet share it: the first row sets it, the others find it set.
            let _ = row.sheet.folder_branch.set(Box::from(branch));
        }
    }

    /// The names of the people in its ledger rows, as compared ([`crate::text::name_key`]).
    pub fn person_names<'a>(&'a self, config: &'a Schema) -> impl Iterator<Item = String> + 'a {
        self.ledger_rows
            .iter()
            .filter_map(|r| r.text(Some(config.keys.name)))
            .map(crate::text::name_key)
    }
}

/// Workbooks read before the layout was known, for the names of the people in their ledgers
/// (see `layout`): the reading proper takes them from here rather than reading them again.
pub struct ReadAhead<'a> {
    pub config: &'a Schema,
    pub headers: &'a HeaderIndex,
    pub bounds: DateBounds,
    books: std::collections::HashMap<Box<str>, Workbook>,
    /// Where an unchanged workbook's rows are replayed from (and new ones recorded).
    cache: Option<&'a crate::cache::Results>,
}

impl<'a> ReadAhead<'a> {
    pub fn new(config: &'a Schema, headers: &'a HeaderIndex, bounds: DateBounds) -> Self {
        ReadAhead {
            config,
            headers,
            bounds,
            books: std::collections::HashMap::new(),
            cache: None,
        }
    }

    /// Workbooks replayed from, and recorded in, the result cache.
    pub fn with_cache(mut self, cache: Option<&'a crate::cache::Results>) -> Self {
        self.cache = cache;
        self
    }

    fn read_one(&self, root: &std::path::Path, file: &FileEntry) -> Workbook {
        let reading = BookReader {
            config: self.config,
            headers: self.headers,
            bounds: self.bounds,
            cache: self.cache,
        };
        reading.workbook(root, file)
    }

    /// Read `files` (in parallel) and keep them; the names of the people in their ledgers.
    pub fn read(
        &mut self,
        root: &std::path::Path,
        files: &[&FileEntry],
    ) -> std::collections::HashSet<String> {
        use rayon::prelude::*;
        let books: Vec<Workbook> = files.par_iter().map(|f| self.read_one(root, f)).collect();
        let names = books
            .iter()
            .flat_map(|b| b.person_names(self.config))
            .collect();
        self.books = files
            .iter()
            .map(|f| Box::from(&*f.rel))
            .zip(books)
            .collect();
        names
    }

    /// The workbook at `rel` if it was read ahead (each is given out once).
    pub fn take(&mut self, rel: &str) -> Option<Workbook> {
        self.books.remove(rel)
    }

    /// The workbook of `file`: read ahead, or read now.
    pub fn get(
        &self,
        root: &std::path::Path,
        file: &FileEntry,
        ahead: Option<Workbook>,
    ) -> Workbook {
        ahead.unwrap_or_else(|| self.read_one(root, file))
    }
}

/// The bounds a date must fall within.
#[derive(Debug, Clone, Copy)]
pub struct DateBounds {
    pub earliest: Date,
    pub as_of: Date,
}

/// Read a spreadsheet. Never panics: a panic inside the reader becomes a problem.
pub fn read_workbook(
    root: &std::path::Path,
    file: &FileEntry,
    config: &Schema,
    headers: &HeaderIndex,
    bounds: DateBounds,
) -> Workbook {
    let reading = BookReader {
        config,
        headers,
        bounds,
        cache: None,
    };
    reading.workbook(root, file)
}

/// Workbooks opened by a reader in this process (a workbook replayed from the result cache is
/// not), for the phase timings.
static BOOKS_READ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Workbooks opened so far in this process.
pub fn books_read() -> usize {
    BOOKS_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// What reading a workbook needs.
struct BookReader<'a> {
    config: &'a Schema,
    headers: &'a HeaderIndex,
    bounds: DateBounds,
    cache: Option<&'a crate::cache::Results>,
}

impl BookReader<'_> {
    fn workbook(&self, root: &std::path::Path, file: &FileEntry) -> Workbook {
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| self.read_inner(root, file)));
        match result {
            Ok(wb) => wb,
            Err(_) => Workbook {
                problem: Some("表格文件已损坏，读取时出错".into()),
                ..Workbook::default()
            },
        }
    }

    fn read_inner(&self, root: &std::path::Path, file: &FileEntry) -> Workbook {
        let BookReader {
            config,
            headers,
            bounds,
            cache,
        } = *self;
        let mut wb = Workbook::default();
        if file.size == 0 {
            wb.problem = Some("空文件（0 字节）".into());
            return wb;
        }
        let mut parser = Parser {
            config,
            headers,
            bounds,
            file: Arc::from(&*file.rel),
            wb: &mut wb,
            sheet: None,
            state: State::Skip,
            last_row: 0,
            not_people_first: config
                .not_people
                .iter()
                .filter_map(|w| w.chars().next())
                .collect(),
        };
        let path = file.path(root);
        let replayed = cache
            .and_then(|c| c.book(file, &path))
            .and_then(|t| tape::replay(&t, &mut parser));
        let outcome = replayed.unwrap_or_else(|| {
            BOOKS_READ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(cache) = cache else {
                return stream_sheets(&path, &file.ext(), &mut parser);
            };
            let mut recorder = tape::Recorder {
                inner: &mut parser,
                tape: Vec::new(),
            };
            let outcome = stream_sheets(&path, &file.ext(), &mut recorder);
            cache.keep_book(file, &path, &recorder.end(&outcome));
            outcome
        });
        if let Err(problem) = outcome {
            wb.problem = Some(problem);
        }
        wb.ledger_rows.shrink_to_fit();
        wb.resume_entries.shrink_to_fit();
        wb
    }
}

/// Receives a workbook row by row, sheet by sheet.
trait RowSink {
    /// A new sheet begins; `last_row` is the last row its file declares (a hint, which may be
    /// wrong: it only sizes the lists).
    fn start(&mut self, sheet: &str, last_row: u32);
    /// A non-empty row; `shown[c]` is how many decimals cell `c` displays where the file says
    /// ([`UNKNOWN_DECIMALS`] elsewhere; the slice may be shorter than the row).
    fn row(&mut self, row: u32, cells: &[Data], shown: &[u8]);
    /// The sheet has ended.
    fn finish(&mut self);
    /// A sheet could not be read to its end.
    fn problem(&mut self, problem: String);
}

/// A cell whose displayed decimals the file does not say.
pub const UNKNOWN_DECIMALS: u8 = u8::MAX;

/// A row held while the header is looked for.
struct Buffered {
    row: u32,
    cells: Vec<Data>,
    shown: Vec<u8>,
}

enum State {
    /// Looking for a header among the first rows: the rows so far, and the first of them
    /// that may still start one.
    Seeking(Vec<Buffered>, usize),
    Ledger(Arc<LedgerSheet>),
    Resume(Vec<(usize, Column)>),
    Catalog(catalog::CatalogCols, catalog::Carried),
    /// A plan or list of branches: its columns and the branch of a merged cell above.
    Plan(plan::PlanCols, Option<CompactString>),
    Skip,
}

/// Turns rows into ledger rows and resume entries as they stream by: nothing of a sheet is
/// held but the row being read (and, until the header is found, the rows above it).
struct Parser<'a> {
    config: &'a Schema,
    headers: &'a HeaderIndex,
    bounds: DateBounds,
    file: Arc<str>,
    wb: &'a mut Workbook,
    sheet: Option<Arc<SheetRef>>,
    state: State,
    last_row: u32,
    /// First characters of `config.not_people`, to test a row without normalising it.
    not_people_first: Vec<char>,
}

/// The rows a sheet declares below `row`, to size a list once instead of doubling it as it
/// grows (a 300,000-row resume sheet would otherwise pass through copies of twice its size).
/// Reserved memory is only address space until it is written, so a sheet that declares more
/// than it holds costs nothing; the lists are trimmed at the end.
fn rows_below(last_row: u32, row: u32) -> usize {
    const EXCEL_MAX_ROWS: u32 = 1 << 20;
    last_row.min(EXCEL_MAX_ROWS).saturating_sub(row) as usize
}

/// Rows listed one by one in a sheet's survey; the rest are counted.
const SKIPPED_LISTED: usize = 20;

impl Parser<'_> {
    fn survey(&mut self) -> Option<&mut SheetSurvey> {
        self.wb.sheets.last_mut()
    }

    /// Try the buffered rows as header starts, in order, each once it has the rows below it
    /// (or the sheet has ended).
    fn seek(&mut self, at_end: bool) {
        loop {
            let State::Seeking(buf, next) = &mut self.state else {
                return;
            };
            let i = *next;
            if i >= HEADER_SCAN_ROWS || (at_end && i >= buf.len()) {
                self.give_up();
                return;
            }
            // A start is tried with the rows it may span, and two more: a title above the
            // header may move it down by up to two rows.
            if i >= buf.len() || (!at_end && buf.len() < i + 5) {
                return;
            }
            let Some(mut kind) = header::header_at(&window(buf, i), self.headers, self.config)
            else {
                *next += 1;
                continue;
            };
            // A title merged over the whole header (2021年发展党员工作台账) is no group: a
            // header that starts a row lower and reads as many fields is the header.
            let mut i = i;
            while let HeaderKind::Ledger(l) = &kind
                && l.rows >= 2
                && let Some(HeaderKind::Ledger(lower)) =
                    header::header_at(&window(buf, i + 1), self.headers, self.config)
                && lower.field_count() >= l.field_count()
            {
                kind = HeaderKind::Ledger(lower);
                i += 1;
            }
            // Likewise a plan under a title row: a header a row lower that names more
            // categories (计划发展党员数 over 总数 | 高知识群体 | …) is the header.
            while let HeaderKind::Plan(p) = &kind
                && let Some(HeaderKind::Plan(lower)) =
                    header::header_at(&window(buf, i + 1), self.headers, self.config)
                && lower.counts.len() > p.counts.len()
            {
                kind = HeaderKind::Plan(lower);
                i += 1;
            }
            let used = match &kind {
                HeaderKind::Ledger(l) => l.rows,
                HeaderKind::Resume(_) | HeaderKind::Catalog(_) => 1,
                HeaderKind::Plan(p) => p.rows,
            };
            // A table under a caption saying it is a sample (填写示例：) is not people.
            if let Some(word) = buf[..i]
                .iter()
                .flat_map(|b| b.cells.iter())
                .find_map(|c| match c {
                    Data::String(s) => example_word(s, false),
                    _ => None,
                })
            {
                let at = buf[i].row + 1;
                if let Some(sv) = self.survey() {
                    sv.reason = Some(format!(
                        "第 {at} 行的表格上方写着“{word}”：是示例，不是台账"
                    ));
                }
                self.wb.recognised = true;
                self.state = State::Skip;
                return;
            }
            let first = buf[i].row;
            let rest = buf.split_off(i + used);
            self.begin(kind, first, used as u32);
            for b in rest {
                self.data_row(b.row, &b.cells, &b.shown);
            }
            return;
        }
    }

    /// No header among the first rows: the sheet is skipped, with the best near miss noted.
    fn give_up(&mut self) {
        let State::Seeking(buf, _) = std::mem::replace(&mut self.state, State::Skip) else {
            return;
        };
        let mut best = Candidate::default();
        for i in 0..buf.len() {
            let refs = window(&buf, i);
            let matched = header::candidate(&refs, self.headers, self.config);
            if matched.len() > best.matched.len() {
                best = Candidate {
                    row: buf[i].row,
                    matched,
                };
            }
        }
        let config = self.config;
        if let Some(sv) = self.survey() {
            sv.reason = Some(if buf.is_empty() {
                "空工作表".into()
            } else {
                format!(
                    "前 {} 行中没有表头（台账需要“姓名”和至少两个时间列；简历需要起止时间和经历列）",
                    buf.len().min(HEADER_SCAN_ROWS)
                )
            });
            if !best.matched.is_empty() {
                sv.missing = missing_for_ledger(&best.matched, config);
                sv.candidate = Some(best);
            }
        }
    }

    fn begin(&mut self, kind: HeaderKind, first: u32, rows: u32) {
        let Some(sheet) = &self.sheet else { return };
        self.wb.recognised = true;
        let config = self.config;
        let survey_columns = |columns: &[HeaderColumn]| {
            columns
                .iter()
                .map(|c| SurveyColumn {
                    cell: cell_name(first + rows - 1, c.col),
                    header: c.name.clone(),
                    field: c.field.map(|f| config.fields[f].key.clone()),
                })
                .collect::<Vec<_>>()
        };
        match kind {
            HeaderKind::Ledger(h) => {
                self.wb.has_ledger = true;
                let mut by_field = vec![None; config.fields.len()];
                let mut more = Vec::new();
                for &(c, f) in &h.cols {
                    match by_field[f] {
                        None => by_field[f] = Some(c),
                        Some(_) => more.push((f, c)),
                    }
                }
                let bottom = first + rows - 1;
                let notes: Vec<HeaderNote> = h
                    .columns
                    .iter()
                    .filter_map(|c| match (&c.read_as, c.field) {
                        (Some(alias), Some(field)) => Some(HeaderNote::ReadAs {
                            row: bottom,
                            col: c.col,
                            header: c.name.clone(),
                            alias: alias.clone(),
                            field,
                        }),
                        (None, None) if c.dated => Some(HeaderNote::Unplaced {
                            row: bottom,
                            col: c.col,
                            header: c.name.clone(),
                        }),
                        _ => None,
                    })
                    .collect();
                let mut ledger = LedgerSheet::new(
                    SheetRef::clone(sheet),
                    by_field.into_boxed_slice(),
                    more.into_boxed_slice(),
                );
                ledger.notes = notes.into_boxed_slice();
                let ledger = Arc::new(ledger);
                let columns = survey_columns(&h.columns);
                if let Some(sv) = self.survey() {
                    sv.role = SheetRole::Ledger;
                    sv.header_rows = Some((first + 1, first + rows));
                    sv.columns = columns;
                }
                self.state = State::Ledger(ledger);
                let more = rows_below(self.last_row, first);
                self.wb.ledger_rows.reserve(more);
            }
            HeaderKind::Resume(cols) => {
                if let Some(sv) = self.survey() {
                    sv.role = SheetRole::Resume;
                    sv.header_rows = Some((first + 1, first + 1));
                }
                self.state = State::Resume(cols);
                let more = rows_below(self.last_row, first);
                self.wb.resume_entries.reserve(more);
            }
            HeaderKind::Catalog(cols) => {
                let columns = catalog::survey_columns(&cols, first);
                if let Some(sv) = self.survey() {
                    sv.role = SheetRole::Catalog;
                    sv.header_rows = Some((first + 1, first + 1));
                    sv.columns = columns;
                }
                self.state = State::Catalog(cols, catalog::Carried::default());
            }
            HeaderKind::Plan(cols) => {
                let columns = plan::survey_columns(&cols, first + rows - 1, config);
                if let Some(sv) = self.survey() {
                    sv.role = SheetRole::Plan;
                    sv.header_rows = Some((first + 1, first + rows));
                    sv.columns = columns;
                }
                self.state = State::Plan(cols, None);
            }
        }
    }

    fn skipped(&mut self, row: u32, reason: &'static str, text: &str) {
        if let Some(sv) = self.survey() {
            sv.rows_skipped += 1;
            if sv.skipped.len() < SKIPPED_LISTED {
                sv.skipped.push(SkippedRow {
                    row: row + 1,
                    reason,
                    text: text.chars().take(40).collect(),
                });
            }
        }
    }

    /// Whether a row's text begins as totals, signatures and notes do (`config.not_people`):
    /// its first character looked at first, before anything is normalised.
    fn is_not_people(&self, text: &str) -> bool {
        let starts = text
            .chars()
            .next()
            .is_some_and(|c| self.not_people_first.contains(&c));
        starts && {
            let n = normalize(text);
            self.config
                .not_people
                .iter()
                .any(|w| n.starts_with(w.as_str()))
        }
    }

    /// Why a ledger row is not a person, if it is not one.
    fn not_a_person(
        &self,
        cells: &[Data],
        name: &str,
        ledger: &LedgerSheet,
    ) -> Option<&'static str> {
        let name_col = ledger.cols.get(self.config.keys.name).copied().flatten();
        if let Some(c) = name_col
            && self.headers.may_name_field(name)
            && self.headers.names_field(name, self.config.keys.name)
            && matches!(cells.get(c as usize), Some(Data::String(_)))
        {
            return Some("重复的表头");
        }
        for text in [first_text(cells), Some(name.trim())].into_iter().flatten() {
            if self.is_not_people(text) {
                return Some("合计、签名或说明行");
            }
        }
        is_blank(name).then_some("没有姓名")
    }

    fn data_row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
        let Some(sheet) = &self.sheet else { return };
        match &self.state {
            State::Ledger(ledger) => {
                let ledger = Arc::clone(ledger);
                let cell = |c: u32| cells.get(c as usize).unwrap_or(&Data::Empty);
                // A row without a name is a blank, a footnote or a total line: looked at
                // first, before anything is allocated.
                let Some(name_col) = ledger.cols.get(self.config.keys.name).copied().flatten()
                else {
                    return;
                };
                let name = cell_text(cell(name_col));
                if let Some(why) = self.not_a_person(cells, &name, &ledger) {
                    let text = cells
                        .iter()
                        .map(cell_text)
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ");
                    self.skipped(row, why, &text);
                    return;
                }
                let lr = ledger_row(cells, shown, self.config, &ledger, row, self.bounds);
                self.wb.ledger_rows.push(lr);
                if let Some(sv) = self.survey() {
                    sv.rows_read += 1;
                }
            }
            State::Resume(cols) => {
                if let Some(e) =
                    resume_entry(cells, shown, cols, self.config, sheet, row, self.bounds)
                {
                    self.wb.resume_entries.push(e);
                    if let Some(sv) = self.survey() {
                        sv.rows_read += 1;
                    }
                }
            }
            State::Catalog(..) => self.catalog_row(row, cells, shown),
            State::Plan(..) => self.plan_row(row, cells),
            State::Seeking(..) | State::Skip => {}
        }
    }
}

impl Parser<'_> {
    /// A catalog row: totals and notes under the items are passed over, as in a ledger.
    fn catalog_row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
        let Some(sheet) = &self.sheet else { return };
        let sheet = Arc::clone(sheet);
        if self.passed_over(row, cells) {
            return;
        }
        if let State::Catalog(cols, _) = &self.state
            && let Some(Data::String(t)) = cells.get(cols.title as usize)
            && self.headers.is_catalog_title(t)
        {
            self.skipped(row, "重复的表头", t);
            return;
        }
        let bounds = self.bounds;
        let State::Catalog(cols, carried) = &mut self.state else {
            return;
        };
        if let Some(e) = catalog::catalog_entry(cells, shown, *cols, &sheet, row, bounds, carried) {
            self.wb.catalog_entries.push(e);
            if let Some(sv) = self.survey() {
                sv.rows_read += 1;
            }
        }
    }
}

impl Parser<'_> {
    /// Whether a row under a catalog or plan header is a totals, signature or note row (合计,
    /// 填表人, 注：): passed over, and listed by the survey.
    fn passed_over(&mut self, row: u32, cells: &[Data]) -> bool {
        let Some(text) = first_text(cells).filter(|t| self.is_not_people(t)) else {
            return false;
        };
        self.skipped(row, "合计、签名或说明行", text);
        true
    }

    /// A plan row: totals and notes under the branches are passed over.
    fn plan_row(&mut self, row: u32, cells: &[Data]) {
        let Some(sheet) = &self.sheet else { return };
        let sheet = Arc::clone(sheet);
        if self.passed_over(row, cells) {
            return;
        }
        let State::Plan(cols, carried) = &mut self.state else {
            return;
        };
        let at = (&*sheet.file, &*sheet.sheet);
        if let Some(r) = plan::plan_row(cells, cols, at, row, carried) {
            self.wb.plan_rows.push(r);
            if let Some(sv) = self.survey() {
                sv.rows_read += 1;
            }
        }
    }
}

/// The word that marks a sheet name (`sheet`) or a caption above a table as instructions or
/// a sample, if one does. 说明 counts only in a sheet's name: a real ledger often carries a
/// 填表说明 line above its header.
fn example_word(text: &str, sheet: bool) -> Option<&'static str> {
    const WORDS: [&str; 4] = ["示例", "样例", "样表", "范例"];
    let n = normalize(text);
    let explained = (sheet && n.contains("说明")).then_some("说明");
    explained.or_else(|| WORDS.into_iter().find(|w| n.contains(w)))
}

/// A row's first non-blank text cell, trimmed.
fn first_text(cells: &[Data]) -> Option<&str> {
    cells.iter().find_map(|c| match c {
        Data::String(s) if !is_blank(s) => Some(s.trim()),
        _ => None,
    })
}

/// The rows a header starting at `buf[i]` may span: up to three consecutive rows.
fn window(buf: &[Buffered], i: usize) -> Vec<&[Data]> {
    let Some(first) = buf.get(i) else {
        return Vec::new();
    };
    buf[i..]
        .iter()
        .take(3)
        .enumerate()
        .take_while(|(k, b)| b.row == first.row + *k as u32)
        .map(|(_, b)| b.cells.as_slice())
        .collect()
}

/// What a near-miss header lacks to be a ledger header.
fn missing_for_ledger(matched: &[String], config: &Schema) -> Vec<String> {
    let mut missing = Vec::new();
    let name = &config.fields[config.keys.name];
    if !matched.contains(&name.key) {
        missing.push(format!("{}列", name.title));
    }
    let dates = matched
        .iter()
        .filter(|k| {
            config.field(k).is_some_and(|f| {
                config.fields[f].kind != FieldType::Text && Some(f) != config.keys.birth
            })
        })
        .count();
    if dates < 2 {
        missing.push(format!("至少两个时间列（现有 {dates} 个）"));
    }
    missing
}

impl RowSink for Parser<'_> {
    fn start(&mut self, sheet: &str, last_row: u32) {
        self.last_row = last_row;
        self.sheet = Some(Arc::new(SheetRef {
            file: self.file.clone(),
            sheet: Arc::from(sheet),
        }));
        self.wb.sheets.push(SheetSurvey::new(sheet));
        self.state = State::Seeking(Vec::new(), 0);
        if let Some(word) = example_word(sheet, true) {
            // 填表说明, 填写示例, 样表: instructions and samples, not people.
            if let Some(sv) = self.survey() {
                sv.reason = Some(format!("工作表名含“{word}”：是填表说明或示例，不是台账"));
            }
            // Understood, as what it is: not an unrecognised file.
            self.wb.recognised = true;
            self.state = State::Skip;
        }
    }

    fn row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
        if let State::Seeking(buf, _) = &mut self.state {
            buf.push(Buffered {
                row,
                cells: cells.to_vec(),
                shown: shown.to_vec(),
            });
            self.seek(false);
        } else {
            self.data_row(row, cells, shown);
        }
    }

    fn finish(&mut self) {
        self.seek(true);
        self.state = State::Skip;
    }

    fn problem(&mut self, problem: String) {
        if let Some(sv) = self.survey() {
            sv.reason = Some(problem.clone());
        }
        self.wb.problem = Some(problem);
    }
}

/// What a sheet was taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetRole {
    Ledger,
    Resume,
    Catalog,
    /// 年度发展计划 or 支部名单.
    Plan,
    Skipped,
}

/// A header column as `dangan survey` shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SurveyColumn {
    /// The header's bottom cell (E4).
    pub cell: String,
    /// Its texts top down: 入党积极分子 › 确定时间.
    pub header: String,
    /// The field it was read as; None: not used.
    pub field: Option<String>,
}

/// A row under a header that was not read as a person or a resume line.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SkippedRow {
    /// One-based, as the spreadsheet shows it.
    pub row: u32,
    pub reason: &'static str,
    pub text: String,
}

/// What dangan understood of one sheet (for `dangan survey`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SheetSurvey {
    pub sheet: String,
    pub role: SheetRole,
    /// Why a sheet was skipped.
    pub reason: Option<String>,
    /// One-based first and last header rows.
    pub header_rows: Option<(u32, u32)>,
    pub columns: Vec<SurveyColumn>,
    pub rows_read: usize,
    pub rows_skipped: usize,
    /// The first skipped rows.
    pub skipped: Vec<SkippedRow>,
    /// For a sheet without a header: the rows that came nearest a ledger header.
    pub candidate: Option<Candidate>,
    /// What that near miss lacks.
    pub missing: Vec<String>,
}

impl SheetSurvey {
    fn new(sheet: &str) -> SheetSurvey {
        SheetSurvey {
            sheet: sheet.to_string(),
            role: SheetRole::Skipped,
            reason: None,
            header_rows: None,
            columns: Vec::new(),
            rows_read: 0,
            rows_skipped: 0,
            skipped: Vec::new(),
            candidate: None,
            missing: Vec::new(),
        }
    }

    /// The near miss as text: `第 3 行：姓名、申请入党时间`.
    pub fn near_miss(&self, config: &Schema) -> Option<String> {
        let c = self.candidate.as_ref()?;
        let titles: Vec<&str> = c
            .matched
            .iter()
            .filter_map(|k| config.field(k).map(|f| config.fields[f].title.as_str()))
            .collect();
        Some(format!(
            "第 {} 行认出 {}，缺少{}",
            c.row + 1,
            titles.join("、"),
            self.missing.join("、")
        ))
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
    if matches!(ext, "csv" | "tsv") {
        return text_table::stream(path, ext == "tsv", sink);
    }
    let mut head = [0u8; 8];
    let ole = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && head == *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    // calamine builds .xls and .ods sheets as dense grids: sized first (budget.rs).
    if ole {
        budget::check_xls(path)?;
    } else if ext == "ods" {
        budget::check_ods(path)?;
    }
    if ole && matches!(ext, "xlsx" | "xlsm") {
        // An OLE container named .xlsx: an encrypted workbook, or an .xls renamed.
        let opened: Result<calamine::Xls<_>, _> = calamine::open_workbook(path);
        let mut book = opened.map_err(|_| {
            "表格设有打开密码（加密），无法读取：请去掉密码后另存为 .xlsx".to_string()
        })?;
        for name in book.sheet_names() {
            sheet_range(&name, book.worksheet_range(&name), sink);
        }
        return Ok(());
    }
    if matches!(ext, "xlsx" | "xlsm") {
        return stream_xlsx(path, sink);
    }
    let mut book = open_workbook_auto(path).map_err(|e| describe_open_error(&e))?;
    for name in book.sheet_names() {
        sheet_range(&name, book.worksheet_range(&name), sink);
    }
    Ok(())
}

/// An .xlsx read cell by cell: memory follows the row being read, never the sheet's used
/// range.
fn stream_xlsx(path: &std::path::Path, sink: &mut dyn RowSink) -> Result<(), String> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path)
        .map_err(|e: calamine::XlsxError| describe_open_error(&calamine::Error::Xlsx(e)))?;
    for name in book.sheet_names() {
        let mut current: Option<u32> = None;
        let mut row: Vec<Data> = Vec::new();
        let mut shown: Vec<u8> = Vec::new();
        let mut started = false;
        let read = (|| -> Result<(), calamine::XlsxError> {
            let mut cells = book.worksheet_cells_reader(&name)?;
            sink.start(&name, cells.dimensions().end.0);
            started = true;
            let decimals: Vec<u8> = cells.styles().iter().map(style_decimals).collect();
            // Style ids cost a little per cell: read them only when some style shows
            // decimals (a number format such as 0.00), which is what they are for.
            let styled = decimals.iter().any(|&d| d != UNKNOWN_DECIMALS && d > 0);
            loop {
                let (cell, style) = if styled {
                    match cells.next_cell_with_style_id()? {
                        Some(x) => x,
                        None => break,
                    }
                } else {
                    match cells.next_cell()? {
                        Some(cell) => (cell, 0),
                        None => break,
                    }
                };
                let (r, c) = cell.get_position();
                if c >= MAX_COLS || matches!(cell.get_value(), calamine::DataRef::Empty) {
                    continue;
                }
                if current != Some(r) {
                    if let Some(prev) = current {
                        sink.row(prev, &row, &shown);
                    }
                    row.clear();
                    shown.clear();
                    current = Some(r);
                }
                let c = c as usize;
                if row.len() <= c {
                    row.resize(c + 1, Data::Empty);
                }
                row[c] = cell.get_value().clone().into();
                if styled && matches!(row[c], Data::Float(_)) {
                    let d = decimals.get(style).copied().unwrap_or(UNKNOWN_DECIMALS);
                    if d != UNKNOWN_DECIMALS {
                        if shown.len() <= c {
                            shown.resize(c + 1, UNKNOWN_DECIMALS);
                        }
                        shown[c] = d;
                    }
                }
            }
            Ok(())
        })();
        if !started {
            sink.start(&name, 0);
        }
        if let Some(prev) = current {
            sink.row(prev, &row, &shown);
        }
        if let Err(e) = read {
            sink.problem(format!("工作表“{name}”无法读取：{e}"));
        }
        sink.finish();
    }
    Ok(())
}

/// How many decimals a cell style displays; [`UNKNOWN_DECIMALS`] for the general format.
fn style_decimals(style: &calamine::Style) -> u8 {
    let Some(nf) = &style.number_format else {
        return UNKNOWN_DECIMALS;
    };
    let code = nf.format_code.trim();
    if code.is_empty() || code.eq_ignore_ascii_case("general") {
        // Excel's built-in formats: 2 is 0.00, 4 is #,##0.00.
        return match nf.format_id {
            Some(2 | 4) => 2,
            Some(1 | 3) => 0,
            _ => UNKNOWN_DECIMALS,
        };
    }
    let section = code.split(';').next().unwrap_or(code);
    match section.split_once('.') {
        Some((_, frac)) => frac
            .chars()
            .take_while(|c| matches!(c, '0' | '#' | '?'))
            .count() as u8,
        None => 0,
    }
}

/// One sheet read through calamine's range (.xls, .ods).
fn sheet_range<E: std::fmt::Display>(
    name: &str,
    range: Result<calamine::Range<Data>, E>,
    sink: &mut dyn RowSink,
) {
    match range {
        Ok(range) => range_rows(name, &range, sink),
        Err(e) => {
            sink.start(name, 0);
            sink.problem(format!("工作表“{name}”无法读取：{e}"));
        }
    }
    sink.finish();
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
        sink.row(row0 + r as u32, &v, &[]);
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

/// A date cell's value; `shown` is how many decimals the cell displays, when known.
fn date_cell(d: &Data, shown: u8) -> Result<Option<Reading>, Invalid> {
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
fn bounded_reading(r: Reading, b: DateBounds) -> Result<Reading, Invalid> {
    match r {
        Reading::One(v) => check_bounds(v, b).map(Reading::One),
        Reading::Either(x, y) => match (check_bounds(x, b), check_bounds(y, b)) {
            (Ok(x), Ok(y)) => Ok(Reading::Either(x, y)),
            (Ok(v), Err(_)) | (Err(_), Ok(v)) => Ok(Reading::One(v)),
            (Err(w), Err(_)) => Err(w),
        },
    }
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

fn field_value(d: &Data, shown: u8, kind: FieldType, bounds: DateBounds) -> FieldValue {
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
fn is_blank(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{200b}' | '\u{feff}'))
}

fn ledger_row(
    cells: &[Data],
    shown: &[u8],
    config: &Schema,
    sheet: &Arc<LedgerSheet>,
    row: u32,
    bounds: DateBounds,
) -> LedgerRow {
    let cell = |c: u32| cells.get(c as usize).unwrap_or(&Data::Empty);
    let decimals = |c: u32| shown.get(c as usize).copied().unwrap_or(UNKNOWN_DECIMALS);
    let mut values: Box<[FieldValue]> = vec![FieldValue::Empty; sheet.width].into();
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
        values,
        seq: 0,
        merged: None,
    }
}

fn bad(raw: &str, why: Invalid) -> BadDate {
    Box::new((raw.to_string(), why))
}

/// The two ends of a span cell (`2005.09—2008.07`), each within the date bounds.
fn span_ends(
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

fn resume_entry(
    cells: &[Data],
    shown: &[u8],
    cols: &[(usize, Column)],
    config: &Schema,
    sheet: &Arc<SheetRef>,
    row: u32,
    bounds: DateBounds,
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
        name,
        id_number,
        alt: (alt.0.is_some() || alt.1.is_some()).then(|| Box::new(alt)),
    })
}
