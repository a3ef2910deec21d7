//! Finding a sheet's header: one, two or three rows, and what each column is.
//!
//! Real rosters put a group cell over its sub-columns (入党积极分子 over 确定时间 | 培养联系人),
//! merged or written once with the cells to its right left empty, and merge 序号 and 姓名 down
//! through the header rows. A column's name is then the list of its header texts from the top
//! down, a group carried to the right over the sub-headers under it.

use std::collections::HashMap;

use calamine::Data;

use super::catalog_sheet::{CatalogCols, CatalogColumn, catalog_header};
use crate::schema::{FieldType, Schema};
use crate::text::normalize_header;

/// What a header cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Field(usize),
    ResumeStart,
    ResumeEnd,
    ResumeSpan,
    ResumeDescription,
}

/// Header aliases, normalised, looked up once per cell.
pub struct HeaderIndex {
    ledger: HashMap<String, usize>,
    catalog: HashMap<String, CatalogColumn>,
    resume: HashMap<String, Column>,
    /// Last characters of the name field's aliases (姓名 → 名), to rule out a repeated header
    /// without normalising every name.
    name_last: Vec<char>,
}

impl HeaderIndex {
    pub fn new(config: &Schema) -> HeaderIndex {
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
        let mut catalog = HashMap::new();
        let c = &config.catalog;
        for (list, col) in [
            (&c.title, CatalogColumn::Title),
            (&c.pages, CatalogColumn::PageCount),
            (&c.page_numbers, CatalogColumn::PageNumbers),
            (&c.date, CatalogColumn::Date),
        ] {
            for a in list {
                catalog.entry(a.clone()).or_insert(col);
            }
        }
        let name_last = config.fields[config.keys.name]
            .aliases
            .iter()
            .filter_map(|a| a.chars().last())
            .collect();
        HeaderIndex {
            ledger,
            catalog,
            resume,
            name_last,
        }
    }

    /// Whether a text can be a header alias of the name field (a cheap first test).
    pub fn may_name_field(&self, text: &str) -> bool {
        text.trim_end()
            .chars()
            .last()
            .is_some_and(|c| self.name_last.contains(&c) || !c.is_alphanumeric() || c.is_ascii())
    }

    /// Whether a text is a catalog's title header (题名, 材料名称): the header repeated over
    /// each person's rows of a branch catalog.
    pub fn is_catalog_title(&self, text: &str) -> bool {
        self.catalog.get(&normalize_header(text)) == Some(&CatalogColumn::Title)
    }

    /// Whether a text is a header alias of `field` (a header repeated inside the data).
    pub fn names_field(&self, text: &str, field: usize) -> bool {
        self.ledger.get(&normalize_header(text)) == Some(&field)
    }
}

/// One column of a header as read: its texts from the top down and the field it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderColumn {
    pub col: u32,
    /// The header texts as written (line breaks removed), top down: 入党积极分子 › 确定时间.
    pub name: String,
    pub field: Option<usize>,
    /// The alias a header one character off was read as (确定为入党积级分子时间 → 确定为入党积极分子时间).
    pub read_as: Option<String>,
    /// Whether an unused column's header names a time (…时间, …日期, …年月): a date column
    /// dangan could not place.
    pub dated: bool,
}

/// The one field a header text is within one character of (a substitution, an insertion or a
/// deletion), and the alias it matched; None when none is, or two fields are. Only texts of
/// five characters or more: 学时 and 学历 are one character apart and different things.
fn near_field(text: &str, idx: &HeaderIndex) -> Option<(usize, String)> {
    let t: Vec<char> = text.chars().collect();
    if t.len() < 5 {
        return None;
    }
    let mut found: Option<(usize, String)> = None;
    for (alias, &f) in &idx.ledger {
        if alias.contains('>') || !one_edit(&t, alias) {
            continue;
        }
        match &found {
            Some((g, _)) if *g != f => return None,
            Some(_) => {}
            None => found = Some((f, alias.clone())),
        }
    }
    found
}

/// Whether `b` is one substitution, insertion or deletion away from `a` (not equal).
fn one_edit(a: &[char], b: &str) -> bool {
    let b: Vec<char> = b.chars().collect();
    let (short, long) = if a.len() <= b.len() {
        (a, &b[..])
    } else {
        (&b[..], a)
    };
    match long.len() - short.len() {
        0 => short.iter().zip(long).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let i = short.iter().zip(long).take_while(|(x, y)| x == y).count();
            short[i..] == long[i + 1..]
        }
        _ => false,
    }
}

/// A ledger header found in a sheet.
#[derive(Debug, Clone)]
pub struct LedgerHeader {
    /// How many rows it spans (1 to 3).
    pub rows: usize,
    /// (column, field): a field appears more than once only for numbered sub-columns
    /// (培养联系人 1 | 2).
    pub cols: Vec<(u32, usize)>,
    /// Every non-empty column, used or not (for `dangan survey`).
    pub columns: Vec<HeaderColumn>,
}

impl LedgerHeader {
    /// Distinct fields mapped, then columns mapped: more header rows must beat fewer.
    fn score(&self) -> (usize, usize) {
        (self.field_count(), self.cols.len())
    }

    /// How many distinct fields it maps.
    pub fn field_count(&self) -> usize {
        let mut seen: Vec<usize> = self.cols.iter().map(|&(_, f)| f).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }
}

/// What the rows at a start position are.
pub enum HeaderKind {
    Ledger(LedgerHeader),
    Resume(Vec<(usize, Column)>),
    Catalog(CatalogCols),
    Plan(super::plan::PlanCols),
}

/// The best a sheet without a ledger header came to: shown by `dangan survey` and in
/// `ledger-not-found`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Candidate {
    /// Zero-based row of its first header row.
    pub row: u32,
    /// The field keys it matched.
    pub matched: Vec<String>,
}

/// Rows of at most this many physical rows make a header.
const MAX_HEADER_ROWS: usize = 3;

/// Whether a header cell is a number under its group (培养联系人 over 1 | 2).
fn is_ordinal(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || ('①'..='⑳').contains(&c)
                || matches!(c, '一' | '二' | '三' | '四' | '五')
        })
}

/// The header texts of each column over `rows` (each a row's cells), top down, normalised.
/// A text in a row above the last is carried right over empty cells as long as a row below
/// has a sub-header there (a group cell merged or written once).
fn column_parts(rows: &[&[Data]]) -> Vec<Vec<(String, String)>> {
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let text = |r: &[Data], c: usize| match r.get(c) {
        Some(Data::String(s)) => {
            let raw: String = s.split_whitespace().collect();
            let n = normalize_header(&raw);
            (!n.is_empty()).then_some((n, raw))
        }
        _ => None,
    };
    let mut out: Vec<Vec<(String, String)>> = vec![Vec::new(); width];
    for (ri, row) in rows.iter().enumerate() {
        let below = &rows[ri + 1..];
        let mut carried: Option<(String, String)> = None;
        for (c, parts) in out.iter_mut().enumerate() {
            let t = match text(row, c) {
                Some(t) => {
                    carried = Some(t.clone());
                    Some(t)
                }
                None if below.iter().any(|b| text(b, c).is_some()) => carried.clone(),
                None => {
                    carried = None;
                    None
                }
            };
            if let Some(t) = t
                && parts.last().is_none_or(|(p, _)| *p != t.0)
            {
                parts.push(t);
            }
        }
    }
    out
}

/// The field a column with these header texts is, and whether it is a numbered sub-column.
fn field_of(parts: &[(String, String)], idx: &HeaderIndex) -> Option<(usize, bool)> {
    let n = parts.len();
    let last = &parts.last()?.0;
    let get = |k: &str| idx.ledger.get(k).copied();
    if n >= 2 {
        for p in parts[..n - 1].iter().rev() {
            if let Some(f) = get(&format!("{}>{last}", p.0)) {
                return Some((f, false));
            }
        }
        if let Some(f) = get(&format!("{}{last}", parts[n - 2].0)) {
            return Some((f, false));
        }
        if is_ordinal(last) {
            return get(&parts[n - 2].0).map(|f| (f, true));
        }
    }
    get(last).map(|f| (f, false))
}

/// The ledger header these rows make, whether or not it qualifies.
fn ledger_header(rows: &[&[Data]], idx: &HeaderIndex) -> LedgerHeader {
    let mut cols: Vec<(u32, usize)> = Vec::new();
    let mut columns = Vec::new();
    for (c, parts) in column_parts(rows).into_iter().enumerate() {
        if parts.is_empty() {
            continue;
        }
        let Ok(col) = u32::try_from(c) else { break };
        let mut field = None;
        let mut read_as = None;
        let last = parts.last().map(|(n, _)| n.as_str()).unwrap_or_default();
        let found = field_of(&parts, idx).or_else(|| {
            let (f, alias) = near_field(last, idx)?;
            read_as = Some(alias);
            Some((f, false))
        });
        // A second column of a field already taken is a repeat, not an unplaced column.
        let named = found.is_some();
        if let Some((f, numbered)) = found
            && (numbered || !cols.iter().any(|&(_, g)| g == f))
        {
            cols.push((col, f));
            field = Some(f);
        } else {
            read_as = None;
        }
        let dated = !named && (last.contains("时间") || last.ends_with("年月"));
        let name = parts
            .iter()
            .map(|(_, raw)| raw.as_str())
            .collect::<Vec<_>>()
            .join(" › ");
        columns.push(HeaderColumn {
            col,
            name,
            field,
            read_as,
            dated,
        });
    }
    LedgerHeader {
        rows: rows.len(),
        cols,
        columns,
    }
}

/// Whether a header names the person and at least two milestones.
fn qualifies(h: &LedgerHeader, config: &Schema) -> bool {
    let has_name = h.cols.iter().any(|&(_, f)| f == config.keys.name);
    let mut dates: Vec<usize> = h
        .cols
        .iter()
        .map(|&(_, f)| f)
        .filter(|&f| config.fields[f].kind != FieldType::Text && Some(f) != config.keys.birth)
        .collect();
    dates.dedup();
    has_name && dates.len() >= 2
}

/// The header starting at `rows[0]`, if one does: the ledger header over one to three rows
/// that maps the most fields (more rows only when they map more), else a one-row catalog
/// header, else a one-row resume header. `rows` are consecutive physical rows (the caller checks).
pub fn header_at(rows: &[&[Data]], idx: &HeaderIndex, config: &Schema) -> Option<HeaderKind> {
    let mut best: Option<LedgerHeader> = None;
    for h in 1..=rows.len().min(MAX_HEADER_ROWS) {
        let cand = ledger_header(&rows[..h], idx);
        if qualifies(&cand, config) && best.as_ref().is_none_or(|b| cand.score() > b.score()) {
            best = Some(cand);
        }
    }
    if let Some(b) = best {
        return Some(HeaderKind::Ledger(b));
    }
    let first = rows.first()?;
    if let Some(c) = catalog_header(first, &idx.catalog, &idx.ledger, config) {
        return Some(HeaderKind::Catalog(c));
    }
    if let Some(p) = super::plan::plan_header(rows, config) {
        return Some(HeaderKind::Plan(p));
    }
    resume_header(first, idx, config).map(HeaderKind::Resume)
}

/// How far a row falls short of a ledger header (for `dangan survey`): the fields it maps.
pub fn candidate(rows: &[&[Data]], idx: &HeaderIndex, config: &Schema) -> Vec<String> {
    let mut best: Vec<String> = Vec::new();
    for h in 1..=rows.len().min(MAX_HEADER_ROWS) {
        let cand = ledger_header(&rows[..h], idx);
        if cand.field_count() > best.len() {
            best = cand
                .cols
                .iter()
                .map(|&(_, f)| config.fields[f].key.clone())
                .collect();
            best.dedup();
        }
    }
    best
}

/// A one-row resume header: a span (or start and end) and a description column.
fn resume_header(
    cells: &[Data],
    idx: &HeaderIndex,
    config: &Schema,
) -> Option<Vec<(usize, Column)>> {
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
    let has = |k: Column| resume.iter().any(|&(_, c)| c == k);
    let dated = has(Column::ResumeSpan) || (has(Column::ResumeStart) && has(Column::ResumeEnd));
    if !(dated && has(Column::ResumeDescription)) {
        return None;
    }
    // A resume sheet outside a dossier carries name (and ID) columns too.
    for (c, f) in ledger {
        if f == config.keys.name || Some(f) == config.keys.id_number {
            resume.push((c, Column::Field(f)));
        }
    }
    Some(resume)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Data {
        if t.is_empty() {
            Data::Empty
        } else {
            Data::String(t.into())
        }
    }

    fn row(cells: &[&str]) -> Vec<Data> {
        cells.iter().map(|c| s(c)).collect()
    }

    fn config() -> Schema {
        crate::config::load(&[] as &[&str])
            .expect("default rules load")
            .schema
    }

    fn mapped(rows: &[Vec<Data>]) -> (usize, Vec<(String, Option<String>)>) {
        let config = config();
        let idx = HeaderIndex::new(&config);
        let refs: Vec<&[Data]> = rows.iter().map(Vec::as_slice).collect();
        let Some(HeaderKind::Ledger(h)) = header_at(&refs, &idx, &config) else {
            panic!("no ledger header in {rows:?}");
        };
        let cols = h
            .columns
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.field.map(|f| config.fields[f].key.clone()),
                )
            })
            .collect();
        (h.rows, cols)
    }

    #[test]
    fn two_row_header_with_stage_groups() {
        let (rows, cols) = mapped(&[
            row(&[
                "序号",
                "姓名",
                "申请入党",
                "",
                "入党积极分子",
                "",
                "发展对象",
                "",
                "接收预备党员",
                "",
                "转正",
                "",
            ]),
            row(&[
                "",
                "",
                "时间",
                "谈话时间",
                "确定时间",
                "培养联系人",
                "确定时间",
                "政审时间",
                "支部大会时间",
                "上级党委审批时间",
                "支部大会时间",
                "上级党委审批时间",
            ]),
            row(&[
                "1",
                "张三",
                "2019.03",
                "2019.04",
                "2019.09",
                "王五",
                "2020.10",
                "2020.11",
                "2021.06.01",
                "2021.07.01",
                "2022.06.01",
                "2022.07.01",
            ]),
        ]);
        assert_eq!(rows, 2);
        let field = |name: &str| {
            cols.iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, f)| f.clone())
        };
        assert_eq!(field("姓名").as_deref(), Some("name"));
        assert_eq!(field("申请入党 › 时间").as_deref(), Some("applied"));
        assert_eq!(field("申请入党 › 谈话时间").as_deref(), Some("talked"));
        assert_eq!(
            field("入党积极分子 › 确定时间").as_deref(),
            Some("activist")
        );
        assert_eq!(
            field("入党积极分子 › 培养联系人").as_deref(),
            Some("contacts")
        );
        assert_eq!(field("发展对象 › 确定时间").as_deref(), Some("candidate"));
        assert_eq!(field("发展对象 › 政审时间").as_deref(), Some("vetted"));
        assert_eq!(
            field("接收预备党员 › 支部大会时间").as_deref(),
            Some("admitted")
        );
        assert_eq!(
            field("接收预备党员 › 上级党委审批时间").as_deref(),
            Some("approved")
        );
        assert_eq!(field("转正 › 支部大会时间").as_deref(), Some("converted"));
        assert_eq!(
            field("转正 › 上级党委审批时间").as_deref(),
            Some("conversion_approved")
        );
        assert_eq!(field("序号"), None);
    }

    #[test]
    fn one_row_header_is_not_joined_to_the_first_data_row() {
        let (rows, cols) = mapped(&[
            row(&["姓名", "申请入党时间", "确定为入党积极分子时间", "备注"]),
            row(&["张三", "2019.03", "", "组织关系转入"]),
        ]);
        assert_eq!(rows, 1);
        assert_eq!(cols.len(), 4);
    }

    #[test]
    fn numbered_sub_columns_are_one_field_and_line_breaks_are_ignored() {
        let (_, cols) = mapped(&[
            row(&[
                "姓名",
                "申请入党\n时间",
                "确定为入党积极\n分子时间",
                "培养联系人",
                "",
            ]),
            row(&["", "", "", "1", "2"]),
        ]);
        let contacts = cols
            .iter()
            .filter(|(_, f)| f.as_deref() == Some("contacts"))
            .count();
        assert_eq!(contacts, 2, "{cols:?}");
        assert!(
            cols.iter()
                .any(|(n, f)| n == "申请入党时间" && f.as_deref() == Some("applied"))
        );
    }

    #[test]
    fn three_row_header() {
        let (rows, cols) = mapped(&[
            row(&["姓名", "发展党员各环节时间", "", "", ""]),
            row(&["", "入党积极分子", "发展对象", "接收预备党员", ""]),
            row(&[
                "",
                "确定时间",
                "确定时间",
                "支部大会时间",
                "上级党委审批时间",
            ]),
        ]);
        assert_eq!(rows, 3);
        let keys: Vec<_> = cols.iter().filter_map(|(_, f)| f.as_deref()).collect();
        assert_eq!(
            keys,
            ["name", "activist", "candidate", "admitted", "approved"]
        );
    }

    #[test]
    fn one_edit_is_one_substitution_insertion_or_deletion() {
        let e = |a: &str, b: &str| one_edit(&a.chars().collect::<Vec<_>>(), b);
        let alias = "确定为入党积极分子时间";
        assert!(e("确定为入党积级分子时间", alias));
        assert!(e("确定入党积极分子时间", alias));
        assert!(e("确定为为入党积极分子时间", alias));
        assert!(e("确定为入党积极分子时间啊", alias));
        assert!(!e(alias, alias));
        assert!(!e("确定为入党积级分子时问", alias));
        assert!(!e("确定入党积极份子时间", alias));
        assert!(!e("确定入党积极分子时", alias));
    }

    #[test]
    fn a_header_one_character_off_is_read_as_the_one_field_it_is_near() {
        let config = config();
        let idx = HeaderIndex::new(&config);
        let key = |t: &str| near_field(t, &idx).map(|(f, _)| config.fields[f].key.clone());
        assert_eq!(
            near_field("确定为入党积级分子时间", &idx).map(|(_, alias)| alias),
            Some("确定为入党积极分子时间".to_string())
        );
        // Near two aliases of one field: that field.
        assert_eq!(key("确认入党积极分子时间").as_deref(), Some("activist"));
        // Near aliases of two fields (入党申请时间, 转正申请时间): neither.
        assert_eq!(key("转党申请时间"), None);
        // Five characters are enough (出生年月 with one more); four are not (学时, 学历).
        assert_eq!(key("出生的年月").as_deref(), Some("birth"));
        assert_eq!(key("出生年日"), None);
        assert_eq!(key("相差很远的表头文字"), None);
    }

    #[test]
    fn numbers_under_a_group_are_ordinals() {
        for s in ["1", "12", "②", "三"] {
            assert!(is_ordinal(s), "{s}");
        }
        for s in ["", "1a", "六", "姓名"] {
            assert!(!is_ordinal(s), "{s}");
        }
    }

    #[test]
    fn the_header_index_answers_for_names_titles_and_fields() {
        let config = config();
        let idx = HeaderIndex::new(&config);
        assert!(idx.is_catalog_title("题名"));
        assert!(!idx.is_catalog_title("页数"));
        assert!(idx.names_field("姓名", config.keys.name));
        assert!(!idx.names_field("姓名", config.keys.name + 1));
        assert!(!idx.names_field("题名", config.keys.name));
        // A cheap first test of a name header: its last character ends some alias of 姓名, or
        // is no letter of any script (a bracket, a note mark), or is ASCII.
        assert!(idx.may_name_field("姓名"));
        assert!(idx.may_name_field("姓名（必填）"));
        assert!(idx.may_name_field("Name"));
        assert!(!idx.may_name_field("出生年月"));
        assert!(!idx.may_name_field(""));
    }

    #[test]
    fn a_resume_header_has_dates_and_what_was_done() {
        let config = config();
        let idx = HeaderIndex::new(&config);
        let is_resume = |header: &[&str]| {
            let rows = [row(header), row(&["2012.09—2016.07", "某大学学生"])];
            let refs: Vec<&[Data]> = rows.iter().map(Vec::as_slice).collect();
            matches!(header_at(&refs, &idx, &config), Some(HeaderKind::Resume(_)))
        };
        assert!(is_resume(&["起止时间", "在何单位任何职"]));
        assert!(!is_resume(&["起止时间", "备注"]));
        assert!(!is_resume(&["备注", "在何单位任何职"]));
    }
}
