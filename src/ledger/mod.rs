//! Read spreadsheets: ledger rows (发展党员工作台账) and resume rows (简历).
//!
//! A sheet is recognised by its header row, not by file or sheet name: the first row (among
//! the first 30) whose cells name the `name` field and at least two date fields is a ledger
//! header; one that names a span (or start and end) and a description column is a resume
//! header. Title rows above the header, extra columns and blank rows are passed over. Every
//! value keeps its cell so that a finding can say `台账.xlsx 2021年!J7`.
//!
//! This file holds the types the rest of dangan sees; the work is in its parts:
//!
//! | file | job |
//! |---|---|
//! | `read.rs` | each format's reader streaming rows (`RowSink`); the cache's tapes (`tape.rs`); the workbooks read ahead |
//! | `parse.rs` | the parser: headers (`header.rs`), what each sheet is taken for, rows into ledger rows and resumes |
//! | `cells.rs` | cell values into field values and dates |
//! | `packed.rs` | a row's values packed into one allocation |
//! | `row.rs` | a ledger row and, merged from rosters (`merge.rs`), where its values came from |
//! | `survey.rs` | what each sheet was taken for, for `dangan survey` |
//! | `catalog_sheet.rs`, `plan.rs` | catalog sheets; 年度发展计划 and 支部名单 |
//! | `budget.rs`, `text_table.rs` | an .xls/.ods sized before reading; csv and tsv |

use std::sync::Arc;

use compact_str::CompactString;
use jiff::civil::Date;

use crate::date::{DateValue, RangeEnd};
use crate::finding::Location;
use crate::schema::Schema;
use crate::text::cell_name;

mod budget;
pub mod catalog_sheet;
mod cells;
mod header;
pub mod merge;
mod packed;
mod parse;
pub mod plan;
mod read;
mod row;
mod survey;
mod tape;
mod text_table;
use cells::{bad, bounded_reading, cell_text, date_cell};
pub use header::{
    Candidate, Column, HeaderColumn, HeaderIndex, HeaderKind, LedgerHeader, header_at,
};
use read::RowSink;
pub use read::{ReadAhead, UNKNOWN_DECIMALS, books_read, read_workbook};
pub use row::{LedgerRow, Merged};
pub use survey::{SheetRole, SheetSurvey, SkippedRow, SurveyColumn};

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

/// A ledger cell as read. A row keeps its cells packed (`packed.rs`) and gives them out as
/// these, decoded; texts up to 24 bytes (a name, an ID number, 汉族) are held inline.
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

/// A date cell that could not be used: its text and why.
pub type BadDate = Box<(String, Invalid)>;

/// Whose line of a resume it is, as its row names them (inline: a name or an ID number fits
/// in the value itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeOwner {
    pub name: Option<CompactString>,
    pub id_number: Option<CompactString>,
}

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
    /// The person it belongs to, for resume sheets outside a dossier: one for a person's
    /// consecutive lines (a sheet of three lines a person keeps one in three), let go once
    /// the line is matched to its person.
    pub owner: Option<Arc<ResumeOwner>>,
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
        self.owner.as_ref()?.name.as_deref()
    }

    pub fn id_number(&self) -> Option<&str> {
        self.owner.as_ref()?.id_number.as_deref()
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
    pub catalog_entries: Vec<catalog_sheet::CatalogEntry>,
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

/// The bounds a date must fall within.
#[derive(Debug, Clone, Copy)]
pub struct DateBounds {
    pub earliest: Date,
    pub as_of: Date,
}
