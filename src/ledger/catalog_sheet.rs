//! Catalog (卷内目录) sheets: one row per material, naming it and its pages.
//!
//! A catalog header names a title column (题名, 材料名称) and a page column: a count (页数) or
//! page numbers (页号: `5-12`, or the first page alone, the item then running to the page
//! before the next item's). A catalog for a whole branch or archive also has a 姓名 (or
//! 身份证号码) column; a 姓名 cell merged down over a person's rows names each of them.
//! Every value keeps its cell, so a finding can say `卷内目录.xlsx 卷内目录!D5`.

use std::sync::Arc;

use calamine::Data;
use compact_str::CompactString;

use super::{
    BadDate, DateBounds, Invalid, SheetRef, UNKNOWN_DECIMALS, bad, bounded_reading, cell_text,
    date_cell,
};
use crate::date::{DateValue, Reading};
use crate::schema::Schema;
use crate::text::{normalize, normalize_header};

/// What a catalog header cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogColumn {
    Title,
    /// 页数: how many pages.
    PageCount,
    /// 页号: the pages' numbers in the volume (`5-12`, or the first alone).
    PageNumbers,
    Date,
}

/// The columns of a catalog sheet (zero-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogCols {
    pub title: u32,
    pub pages: u32,
    /// Whether `pages` holds page numbers (页号) rather than a count (页数).
    pub numbers: bool,
    pub date: Option<u32>,
    pub name: Option<u32>,
    pub id_number: Option<u32>,
}

/// A catalog row's pages, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pages {
    /// Nothing written.
    Empty,
    /// 页数 `8`.
    Count(u32),
    /// 页号 `5-12`: first and last page.
    Range(u32, u32),
    /// 页号 `5`: the first page; the item runs to the page before the next item's first.
    Start(u32),
    /// Neither a count nor page numbers: the text as written.
    Unreadable(CompactString),
}

impl Pages {
    /// The first page number, where the cell gives one.
    pub fn first(&self) -> Option<u32> {
        match *self {
            Pages::Range(a, _) | Pages::Start(a) => Some(a),
            _ => None,
        }
    }
}

/// The pages of row `k` of a catalog's rows (in order): a count, a range, or a first page up
/// to the next row's first page — up to `last_page` for the last row when the volume's pages
/// are known, else unknown.
pub fn row_pages(rows: &[&CatalogEntry], k: usize, last_page: Option<u32>) -> Option<u32> {
    match rows.get(k)?.pages {
        Pages::Count(n) => Some(n),
        Pages::Range(a, b) => Some(b - a + 1),
        Pages::Start(a) => {
            let next = match rows.get(k + 1) {
                Some(r) => r.pages.first()?,
                None => last_page?.checked_add(1)?,
            };
            (next > a).then(|| next - a)
        }
        Pages::Empty | Pages::Unreadable(_) => None,
    }
}

/// One row of a catalog.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    pub sheet: Arc<SheetRef>,
    /// Zero-based row.
    pub row: u32,
    pub cols: CatalogCols,
    /// The material's title as written.
    pub title: CompactString,
    pub pages: Pages,
    /// The date, with the second reading of a month typed as a number (2021.1: January or
    /// October); None when the sheet has no date column or the cell is empty.
    pub date: Option<Result<(DateValue, Option<DateValue>), BadDate>>,
    /// The person, in a catalog outside a dossier.
    pub name: Option<CompactString>,
    pub id_number: Option<CompactString>,
}

impl CatalogEntry {
    /// `卷内目录.xlsx 卷内目录!B3`: the row's title cell.
    pub fn location(&self) -> crate::finding::Location {
        self.sheet.at(self.row, self.cols.title)
    }

    pub fn pages_location(&self) -> crate::finding::Location {
        self.sheet.at(self.row, self.cols.pages)
    }

    pub fn date_location(&self) -> crate::finding::Location {
        self.sheet
            .at(self.row, self.cols.date.unwrap_or(self.cols.title))
    }
}

/// The catalog header in a row, if it is one: a title and a page column.
pub(super) fn catalog_header(
    cells: &[Data],
    catalog: &std::collections::HashMap<String, CatalogColumn>,
    ledger: &std::collections::HashMap<String, usize>,
    config: &Schema,
) -> Option<CatalogCols> {
    let (mut title, mut pages, mut date, mut name, mut id_number) = (None, None, None, None, None);
    for (c, cell) in cells.iter().enumerate() {
        let Data::String(s) = cell else { continue };
        let h = normalize_header(s);
        if h.is_empty() {
            continue;
        }
        let Ok(col) = u32::try_from(c) else { break };
        match catalog.get(&h) {
            Some(CatalogColumn::Title) => {
                title.get_or_insert(col);
            }
            Some(k @ (CatalogColumn::PageCount | CatalogColumn::PageNumbers)) => {
                pages.get_or_insert((col, *k == CatalogColumn::PageNumbers));
            }
            Some(CatalogColumn::Date) => {
                date.get_or_insert(col);
            }
            None => match ledger.get(&h) {
                Some(&f) if f == config.keys.name => {
                    name.get_or_insert(col);
                }
                Some(&f) if Some(f) == config.keys.id_number => {
                    id_number.get_or_insert(col);
                }
                _ => {}
            },
        }
    }
    let (pages, numbers) = pages?;
    Some(CatalogCols {
        title: title?,
        pages,
        numbers,
        date,
        name,
        id_number,
    })
}

/// The columns a catalog sheet is read by, as `dangan survey` lists them.
pub(super) fn survey_columns(cols: &CatalogCols, row: u32) -> Vec<super::SurveyColumn> {
    let pages = if cols.numbers { "页号" } else { "页数" };
    let mut found = [
        (Some(cols.title), "题名", "catalog.title"),
        (Some(cols.pages), pages, "catalog.pages"),
        (cols.date, "日期", "catalog.date"),
        (cols.name, "姓名", "name"),
        (cols.id_number, "身份证号码", "id_number"),
    ];
    found.sort_by_key(|&(c, ..)| c);
    found
        .into_iter()
        .filter_map(|(c, header, key)| {
            Some(super::SurveyColumn {
                cell: crate::text::cell_name(row, c?),
                header: header.to_string(),
                field: Some(key.to_string()),
            })
        })
        .collect()
}

/// A whole number of pages in a cell: 8, 8.0, "8", "8页", "共8页".
fn whole(n: f64) -> Option<u32> {
    (n.fract() == 0.0 && (1.0..=100_000.0).contains(&n)).then_some(n as u32)
}

/// A page cell's text: `8`, `8页`, `共8页`, `5-12`, `5—12`, `5～12`, `第5至12页`.
fn pages_text(s: &str, numbers: bool) -> Pages {
    let n = normalize(s);
    if n.is_empty() {
        return Pages::Empty;
    }
    let bare: String = n
        .chars()
        .filter(|c| !matches!(c, '共' | '第' | '页' | '张' | 'p' | 'P'))
        .collect();
    let number = |t: &str| t.parse::<f64>().ok().and_then(whole);
    let parts: Vec<&str> = bare
        .split(['-', '—', '–', '~', '～', '至', '到', '－'])
        .collect();
    match parts.as_slice() {
        [one] => match number(one) {
            Some(v) if numbers => Pages::Start(v),
            Some(v) => Pages::Count(v),
            None => Pages::Unreadable(CompactString::from(s.trim())),
        },
        [a, b] => match (number(a), number(b)) {
            (Some(a), Some(b)) if a <= b => Pages::Range(a, b),
            _ => Pages::Unreadable(CompactString::from(s.trim())),
        },
        _ => Pages::Unreadable(CompactString::from(s.trim())),
    }
}

fn pages_cell(d: &Data, numbers: bool) -> Pages {
    let number = |v: Option<u32>| match v {
        Some(v) if numbers => Pages::Start(v),
        Some(v) => Pages::Count(v),
        None => Pages::Unreadable(cell_text(d)),
    };
    match d {
        Data::Empty => Pages::Empty,
        Data::Float(f) => number(whole(*f)),
        Data::Int(i) => number(whole(*i as f64)),
        Data::String(s) => pages_text(s, numbers),
        _ => Pages::Unreadable(cell_text(d)),
    }
}

/// The person a row of a catalog outside a dossier belongs to: its own name and number, or
/// those of the row above when its 姓名 cell is empty (merged down over the person's rows).
#[derive(Debug, Default)]
pub(super) struct Carried {
    name: Option<CompactString>,
    id_number: Option<CompactString>,
}

/// A catalog row, or None for a blank row.
pub(super) fn catalog_entry(
    cells: &[Data],
    shown: &[u8],
    cols: CatalogCols,
    sheet: &Arc<SheetRef>,
    row: u32,
    bounds: DateBounds,
    carried: &mut Carried,
) -> Option<CatalogEntry> {
    let cell = |c: u32| cells.get(c as usize).unwrap_or(&Data::Empty);
    let text = |c: Option<u32>| c.map(|c| cell_text(cell(c))).filter(|t| !t.is_empty());
    let title = cell_text(cell(cols.title));
    let pages = pages_cell(cell(cols.pages), cols.numbers);
    let date_data = cols.date.map(cell);
    let has_date = date_data.is_some_and(|d| !cell_text(d).is_empty());
    let name = text(cols.name);
    let id_number = text(cols.id_number);
    if name.is_some() || id_number.is_some() {
        carried.name = name;
        carried.id_number = id_number;
    }
    if title.is_empty() && pages == Pages::Empty && !has_date {
        return None;
    }
    let date = match (cols.date, date_data) {
        (Some(c), Some(d)) if has_date => {
            let decimals = shown.get(c as usize).copied().unwrap_or(UNKNOWN_DECIMALS);
            let read = date_cell(d, decimals)
                .and_then(|r| r.map(|r| bounded_reading(r, bounds)).transpose());
            Some(match read {
                Ok(Some(Reading::One(v))) => Ok((v, None)),
                Ok(Some(Reading::Either(a, b))) => Ok((a, Some(b))),
                Ok(None) => Err(bad(&cell_text(d), Invalid::Unreadable)),
                Err(why) => Err(bad(&cell_text(d), why)),
            })
        }
        _ => None,
    };
    Some(CatalogEntry {
        sheet: Arc::clone(sheet),
        row,
        cols,
        title,
        pages,
        date,
        name: carried.name.clone(),
        id_number: carried.id_number.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_cells_read_as_counts_ranges_or_first_pages() {
        assert_eq!(pages_cell(&Data::Float(8.0), false), Pages::Count(8));
        assert_eq!(pages_cell(&Data::Float(8.0), true), Pages::Start(8));
        assert_eq!(pages_cell(&Data::Int(8), false), Pages::Count(8));
        assert_eq!(pages_cell(&Data::Int(8), true), Pages::Start(8));
        assert!(matches!(
            pages_cell(&Data::Int(0), false),
            Pages::Unreadable(_)
        ));
        assert_eq!(
            pages_cell(&Data::String("共8页".into()), false),
            Pages::Count(8)
        );
        assert_eq!(
            pages_cell(&Data::String("5-12".into()), true),
            Pages::Range(5, 12)
        );
        assert_eq!(
            pages_cell(&Data::String("5—12".into()), false),
            Pages::Range(5, 12)
        );
        assert_eq!(
            pages_cell(&Data::String("第5至12页".into()), true),
            Pages::Range(5, 12)
        );
        assert_eq!(
            pages_cell(&Data::String("１２".into()), false),
            Pages::Count(12)
        );
        assert_eq!(pages_cell(&Data::Empty, false), Pages::Empty);
        assert_eq!(pages_cell(&Data::String(" ".into()), false), Pages::Empty);
        for bad in ["八", "12-5", "1-2-3", "0", "2.5"] {
            assert!(
                matches!(
                    pages_cell(&Data::String(bad.into()), false),
                    Pages::Unreadable(_)
                ),
                "{bad}"
            );
        }
        assert!(matches!(
            pages_cell(&Data::Float(2.5), false),
            Pages::Unreadable(_)
        ));
    }

    #[test]
    fn a_first_page_runs_to_the_next_rows_first_page() {
        let sheet = Arc::new(SheetRef {
            file: Arc::from("卷内目录.xlsx"),
            sheet: Arc::from("卷内目录"),
        });
        let cols = CatalogCols {
            title: 1,
            pages: 2,
            numbers: true,
            date: None,
            name: None,
            id_number: None,
        };
        let entry = |pages| CatalogEntry {
            sheet: Arc::clone(&sheet),
            row: 0,
            cols,
            title: "入党申请书".into(),
            pages,
            date: None,
            name: None,
            id_number: None,
        };
        let rows = [
            entry(Pages::Start(3)),
            entry(Pages::Start(5)),
            entry(Pages::Start(5)),
            entry(Pages::Start(9)),
        ];
        let refs: Vec<&CatalogEntry> = rows.iter().collect();
        assert_eq!(row_pages(&refs, 0, None), Some(2));
        // Two rows starting on one page: the first one's pages cannot be told.
        assert_eq!(row_pages(&refs, 1, None), None);
        assert_eq!(row_pages(&refs, 2, None), Some(4));
        // The last row runs to the volume's last page, where it is known.
        assert_eq!(row_pages(&refs, 3, Some(10)), Some(2));
        assert_eq!(row_pages(&refs, 3, Some(9)), Some(1));
        assert_eq!(row_pages(&refs, 3, Some(8)), None);
        assert_eq!(row_pages(&refs, 3, None), None);
    }
}
