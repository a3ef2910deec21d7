//! Reading a workbook: the reader for its format (xlsx cell by cell, xls and ods through
//! calamine's ranges, csv and tsv as text), streamed row by row into a [`RowSink`]; the
//! result cache's tapes; the workbooks read ahead for the layout.

use super::parse::{Parser, State};
use super::{DateBounds, HeaderIndex, Workbook, budget, tape, text_table};
use crate::broken::Broken;
use crate::schema::Schema;
use crate::walk::FileEntry;
use calamine::{Data, Reader, open_workbook_auto};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// Workbooks read before the layout was known, for the names of the people in their ledgers
/// (see `layout`): the reading proper takes them from here rather than reading them again.
pub struct ReadAhead<'a> {
    pub config: &'a Schema,
    pub headers: &'a HeaderIndex,
    pub bounds: DateBounds,
    pub(super) books: std::collections::HashMap<Box<str>, Workbook>,
    /// Where an unchanged workbook's rows are replayed from (and new ones recorded).
    pub(super) cache: Option<&'a crate::cache::Results>,
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

    pub(super) fn read_one(&self, root: &std::path::Path, file: &FileEntry) -> Workbook {
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
pub(super) static BOOKS_READ: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// Workbooks opened so far in this process.
pub fn books_read() -> usize {
    BOOKS_READ.load(std::sync::atomic::Ordering::Relaxed)
}

/// What reading a workbook needs.
pub(super) struct BookReader<'a> {
    pub(super) config: &'a Schema,
    pub(super) headers: &'a HeaderIndex,
    pub(super) bounds: DateBounds,
    pub(super) cache: Option<&'a crate::cache::Results>,
}

/// Runs a workbook's reader: one that panics (a workbook a reader chokes on) gives a workbook
/// whose problem says it is damaged, never a crash of the run.
fn guarded(read: impl FnOnce() -> Workbook) -> Workbook {
    std::panic::catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| Workbook {
        problem: Some("表格文件已损坏，读取时出错".into()),
        ..Workbook::default()
    })
}

impl BookReader<'_> {
    pub(super) fn workbook(&self, root: &std::path::Path, file: &FileEntry) -> Workbook {
        guarded(|| self.read_inner(root, file))
    }

    pub(super) fn read_inner(&self, root: &std::path::Path, file: &FileEntry) -> Workbook {
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
            wb.problem = Some(problem.to_string());
        }
        wb.ledger_rows.shrink_to_fit();
        wb.resume_entries.shrink_to_fit();
        wb
    }
}

/// Receives a workbook row by row, sheet by sheet.
pub(super) trait RowSink {
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

/// Columns beyond this are not read: a ledger has a few dozen, and a stray value far to the
/// right must not make the reader allocate a sheet-wide grid.
pub(super) const MAX_COLS: u32 = 1024;

/// Stream every sheet's non-empty rows (cells indexed by zero-based column) into `sink`. An
/// .xlsx is read cell by cell, so memory follows the row being read, never the sheet's used
/// range; .xls (at most 65,536 × 256) and .ods go through calamine's ranges. An error that
/// stops the whole file is returned; one that stops a sheet goes to the sink.
pub(super) fn stream_sheets(
    path: &std::path::Path,
    ext: &str,
    sink: &mut dyn RowSink,
) -> Result<(), Broken> {
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
pub(super) fn stream_xlsx(path: &std::path::Path, sink: &mut dyn RowSink) -> Result<(), Broken> {
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
pub(super) fn style_decimals(style: &calamine::Style) -> u8 {
    let Some(nf) = &style.number_format else {
        return UNKNOWN_DECIMALS;
    };
    let code = nf.format_code.trim();
    // A built-in format named by number only (numFmtId 2) comes with its code (0.00) from
    // calamine.
    if code.is_empty() || code.eq_ignore_ascii_case("general") {
        return UNKNOWN_DECIMALS;
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
pub(super) fn sheet_range<E: std::fmt::Display>(
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

pub(super) fn range_rows(name: &str, range: &calamine::Range<Data>, sink: &mut dyn RowSink) {
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
pub(super) fn describe_open_error(e: &calamine::Error) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_that_panics_gives_a_damaged_workbook_not_a_crash() {
        let wb = guarded(|| panic!("a workbook the reader chokes on"));
        assert_eq!(wb.problem.as_deref(), Some("表格文件已损坏，读取时出错"));
        assert!(wb.ledger_rows.is_empty());
        let fine = guarded(Workbook::default);
        assert_eq!(fine.problem, None);
    }

    #[test]
    fn an_open_error_says_what_a_person_can_do() {
        let said = |m: &'static str| describe_open_error(&calamine::Error::Msg(m));
        for damaged in [
            "invalid zip header",
            "Cfb error: bad sector",
            "Invalid file",
        ] {
            assert!(said(damaged).starts_with("文件已损坏"), "{damaged}");
        }
        for locked in ["Workbook is password protected", "file is encrypted"] {
            assert!(said(locked).starts_with("文件设有密码"), "{locked}");
        }
        let other = said("unsupported BIFF version");
        assert_eq!(other, "无法打开表格；unsupported BIFF version");
    }
}
