//! The parser a workbook's rows stream into: headers found, each sheet taken for a ledger,
//! resume, catalog, plan or nothing, and its rows made into ledger rows and resume entries.

use super::cells::{cell_text, is_blank, ledger_row, resume_entry};
use super::{
    Candidate, Column, DateBounds, HEADER_SCAN_ROWS, HeaderColumn, HeaderIndex, HeaderKind,
    HeaderNote, LedgerSheet, RowSink, SheetRef, SheetRole, SheetSurvey, SkippedRow, SurveyColumn,
    Workbook, catalog_sheet, header, plan,
};
use crate::schema::{FieldType, Schema};
use crate::text::{cell_name, normalize};
use calamine::Data;
use compact_str::CompactString;
use std::sync::Arc;

/// A row held while the header is looked for.
pub(super) struct Buffered {
    pub(super) row: u32,
    pub(super) cells: Vec<Data>,
    pub(super) shown: Vec<u8>,
}

pub(super) enum State {
    /// Looking for a header among the first rows: the rows so far, and the first of them
    /// that may still start one.
    Seeking(Vec<Buffered>, usize),
    Ledger(Arc<LedgerSheet>),
    Resume(Vec<(usize, Column)>),
    Catalog(catalog_sheet::CatalogCols, catalog_sheet::Carried),
    /// A plan or list of branches: its columns and the branch of a merged cell above.
    Plan(plan::PlanCols, Option<CompactString>),
    Skip,
}

/// Turns rows into ledger rows and resume entries as they stream by: nothing of a sheet is
/// held but the row being read (and, until the header is found, the rows above it).
pub(super) struct Parser<'a> {
    pub(super) config: &'a Schema,
    pub(super) headers: &'a HeaderIndex,
    pub(super) bounds: DateBounds,
    pub(super) file: Arc<str>,
    pub(super) wb: &'a mut Workbook,
    pub(super) sheet: Option<Arc<SheetRef>>,
    pub(super) state: State,
    pub(super) last_row: u32,
    /// First characters of `config.not_people`, to test a row without normalising it.
    pub(super) not_people_first: Vec<char>,
}

/// The rows a sheet declares below `row`, to size a list once instead of doubling it as it
/// grows (a 300,000-row resume sheet would otherwise pass through copies of twice its size).
/// Reserved memory is only address space until it is written, so a sheet that declares more
/// than it holds costs nothing; the lists are trimmed at the end.
pub(super) fn rows_below(last_row: u32, row: u32) -> usize {
    const EXCEL_MAX_ROWS: u32 = 1 << 20;
    last_row.min(EXCEL_MAX_ROWS).saturating_sub(row) as usize
}

/// Rows listed one by one in a sheet's survey; the rest are counted.
pub(super) const SKIPPED_LISTED: usize = 20;

impl Parser<'_> {
    pub(super) fn survey(&mut self) -> Option<&mut SheetSurvey> {
        self.wb.sheets.last_mut()
    }

    /// Try the buffered rows as header starts, in order, each once it has the rows below it
    /// (or the sheet has ended).
    pub(super) fn seek(&mut self, at_end: bool) {
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
            // Likewise a plan under a title row: a header a row lower that names as many
            // categories or more (计划发展党员数 over 总数 | 高知识群体 | …) is the header.
            while let HeaderKind::Plan(p) = &kind
                && let Some(HeaderKind::Plan(lower)) =
                    header::header_at(&window(buf, i + 1), self.headers, self.config)
                && lower.counts.len() >= p.counts.len()
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
    pub(super) fn give_up(&mut self) {
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

    pub(super) fn begin(&mut self, kind: HeaderKind, first: u32, rows: u32) {
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
                let columns = catalog_sheet::survey_columns(&cols, first);
                if let Some(sv) = self.survey() {
                    sv.role = SheetRole::Catalog;
                    sv.header_rows = Some((first + 1, first + 1));
                    sv.columns = columns;
                }
                self.state = State::Catalog(cols, catalog_sheet::Carried::default());
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

    pub(super) fn skipped(&mut self, row: u32, reason: &'static str, text: &str) {
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
    /// its first character looked at first where normalising leaves it as it is.
    pub(super) fn is_not_people(&self, text: &str) -> bool {
        let starts = text.chars().next().is_some_and(|c| {
            self.not_people_first.contains(&c) || !crate::text::unchanged_by_normalize(c)
        });
        starts && {
            let n = normalize(text);
            self.config
                .not_people
                .iter()
                .any(|w| n.starts_with(w.as_str()))
        }
    }

    /// Why a ledger row is not a person, if it is not one.
    pub(super) fn not_a_person(
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

    pub(super) fn data_row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
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
                let previous = self.wb.resume_entries.last().and_then(|e| e.owner.as_ref());
                if let Some(e) = resume_entry(
                    cells,
                    shown,
                    cols,
                    self.config,
                    (sheet, row),
                    self.bounds,
                    previous,
                ) {
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
    pub(super) fn catalog_row(&mut self, row: u32, cells: &[Data], shown: &[u8]) {
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
        if let Some(e) =
            catalog_sheet::catalog_entry(cells, shown, *cols, &sheet, row, bounds, carried)
        {
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
    pub(super) fn passed_over(&mut self, row: u32, cells: &[Data]) -> bool {
        let Some(text) = first_text(cells).filter(|t| self.is_not_people(t)) else {
            return false;
        };
        self.skipped(row, "合计、签名或说明行", text);
        true
    }

    /// A plan row: totals and notes under the branches are passed over.
    pub(super) fn plan_row(&mut self, row: u32, cells: &[Data]) {
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
pub(super) fn example_word(text: &str, sheet: bool) -> Option<&'static str> {
    const WORDS: [&str; 4] = ["示例", "样例", "样表", "范例"];
    let n = normalize(text);
    let explained = (sheet && n.contains("说明")).then_some("说明");
    explained.or_else(|| WORDS.into_iter().find(|w| n.contains(w)))
}

/// A row's first non-blank text cell, trimmed.
pub(super) fn first_text(cells: &[Data]) -> Option<&str> {
    cells.iter().find_map(|c| match c {
        Data::String(s) if !is_blank(s) => Some(s.trim()),
        _ => None,
    })
}

/// The rows a header starting at `buf[i]` may span: up to three consecutive rows.
pub(super) fn window(buf: &[Buffered], i: usize) -> Vec<&[Data]> {
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
pub(super) fn missing_for_ledger(matched: &[String], config: &Schema) -> Vec<String> {
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
