//! 年度发展计划 and 支部名单 sheets: a row per branch (or unit) and year, the number of
//! admissions planned for each category (总数, 高知识群体, 少数民族 …), or — in a list of the
//! committee's branches — the branch alone.
//!
//! A plan header has a branch column (支部, 党支部, 单位) and at least one category column, over
//! one or two rows (计划发展党员数 merged over 总数 | 高知识群体 | …; 支部 merged down); a year
//! column (年度) is optional. A list header has a column the rule set's `plan.list` names
//! (支部名称, 党组织名称). Every value keeps its cell, so a finding can name it.

use calamine::Data;
use compact_str::CompactString;

use super::cell_text;
use crate::schema::Schema;
use crate::text::normalize_header;

/// The columns of a plan or list sheet (zero-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCols {
    pub branch: u32,
    pub year: Option<u32>,
    /// (category, column).
    pub counts: Vec<(usize, u32)>,
    /// Header rows used (1 or 2).
    pub rows: usize,
}

/// One row of a plan or list sheet.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct PlanRow {
    pub file: String,
    pub sheet: String,
    /// The branch cell (B4).
    pub cell: String,
    pub branch: CompactString,
    /// None in a list of branches, or a plan without a year column.
    pub year: Option<i16>,
    /// (category, planned admissions): the categories whose cells hold a number.
    pub counts: Vec<(usize, u32)>,
}

impl PlanRow {
    pub fn location(&self) -> crate::finding::Location {
        crate::finding::Location {
            file: self.file.clone(),
            sheet: Some(self.sheet.clone()),
            cell: Some(self.cell.clone()),
        }
    }

    /// The planned number for a category, where the row gives one.
    pub fn planned(&self, category: usize) -> Option<u32> {
        self.counts
            .iter()
            .find(|&&(c, _)| c == category)
            .map(|&(_, n)| n)
    }
}

/// What one header text names.
enum Names {
    Branch { list: bool },
    Year,
    Category(usize),
}

fn names(text: &str, config: &Schema) -> Option<Names> {
    let h = normalize_header(text);
    if h.is_empty() {
        return None;
    }
    let p = &config.plan;
    if p.list.contains(&h) {
        return Some(Names::Branch { list: true });
    }
    if p.branch.contains(&h) {
        return Some(Names::Branch { list: false });
    }
    if p.year.contains(&h) {
        return Some(Names::Year);
    }
    p.categories
        .iter()
        .position(|c| c.aliases.contains(&h))
        .map(Names::Category)
}

/// The plan or list header over the first one or two of `rows`, if they make one. In two
/// rows each column is named by its lower cell where that names something, else its upper
/// (a 支部 merged down, a 计划发展党员数 merged across over the categories).
pub fn plan_header(rows: &[&[Data]], config: &Schema) -> Option<PlanCols> {
    let one = header_of(&rows[..rows.len().min(1)], config);
    let two = (rows.len() >= 2)
        .then(|| header_of(&rows[..2], config))
        .flatten();
    match (one, two) {
        (Some(a), Some(b)) if b.counts.len() > a.counts.len() => Some(b),
        (None, Some(b)) => Some(b),
        (a, _) => a,
    }
}

fn header_of(rows: &[&[Data]], config: &Schema) -> Option<PlanCols> {
    let width = rows.iter().map(|r| r.len()).max()?;
    let (mut branch, mut list, mut year) = (None, false, None);
    let mut counts: Vec<(usize, u32)> = Vec::new();
    for c in 0..width {
        let Ok(col) = u32::try_from(c) else { break };
        let named = rows.iter().rev().find_map(|r| match r.get(c) {
            Some(Data::String(s)) => names(s, config),
            _ => None,
        });
        match named {
            Some(Names::Branch { list: l }) if branch.is_none() => {
                branch = Some(col);
                list = l;
            }
            Some(Names::Year) if year.is_none() => year = Some(col),
            Some(Names::Category(k)) if !counts.iter().any(|&(x, _)| x == k) => {
                counts.push((k, col));
            }
            _ => {}
        }
    }
    let branch = branch?;
    (list || !counts.is_empty()).then_some(PlanCols {
        branch,
        year,
        counts,
        rows: rows.len(),
    })
}

/// A year as written: 2025, 2025.0, 2025年, 2025年度.
fn year_of(cell: &Data) -> Option<i16> {
    let y = match cell {
        Data::Int(i) => i16::try_from(*i).ok(),
        Data::Float(f) if f.fract() == 0.0 && (0.0..10000.0).contains(f) => Some(*f as i16),
        Data::String(s) => {
            let digits: String = s.trim().chars().take_while(char::is_ascii_digit).collect();
            (digits.len() == 4).then(|| digits.parse().ok()).flatten()
        }
        _ => None,
    }?;
    (1921..=2200).contains(&y).then_some(y)
}

/// A planned number: 3, 3.0, "3", "3人"; an empty or other cell plans nothing.
fn count_of(cell: &Data) -> Option<u32> {
    match cell {
        Data::Int(i) => u32::try_from(*i).ok(),
        Data::Float(f) if f.fract() == 0.0 && (0.0..1e6).contains(f) => Some(*f as u32),
        Data::String(s) => {
            let t = s.trim().trim_end_matches(['人', '名']);
            t.parse().ok()
        }
        _ => None,
    }
}

/// One data row under a plan header: None for a row without a branch (or a totals row,
/// which the caller passes over first). A branch cell left empty under a merged one takes
/// the branch above (`carried`).
pub fn plan_row(
    cells: &[Data],
    cols: &PlanCols,
    at: (&str, &str),
    row: u32,
    carried: &mut Option<CompactString>,
) -> Option<PlanRow> {
    let text = cells
        .get(cols.branch as usize)
        .map(cell_text)
        .filter(|t| !t.is_empty());
    let counts: Vec<(usize, u32)> = cols
        .counts
        .iter()
        .filter_map(|&(k, c)| count_of(cells.get(c as usize)?).map(|n| (k, n)))
        .collect();
    let year = cols
        .year
        .and_then(|c| cells.get(c as usize))
        .and_then(year_of);
    let branch = match text {
        Some(t) => {
            *carried = Some(t.clone());
            t
        }
        None if !counts.is_empty() => carried.clone()?,
        None => return None,
    };
    Some(PlanRow {
        file: at.0.to_string(),
        sheet: at.1.to_string(),
        cell: crate::text::cell_name(row, cols.branch),
        branch,
        year,
        counts,
    })
}

/// The columns a plan sheet is read by, as `dangan survey` lists them.
pub(super) fn survey_columns(
    cols: &PlanCols,
    row: u32,
    config: &Schema,
) -> Vec<super::SurveyColumn> {
    let mut v = vec![(cols.branch, "支部".to_string(), "plan.branch".to_string())];
    if let Some(y) = cols.year {
        v.push((y, "年度".into(), "plan.year".into()));
    }
    for &(k, c) in &cols.counts {
        let cat = &config.plan.categories[k];
        v.push((c, cat.title.clone(), format!("plan.{}", cat.key)));
    }
    v.sort_by_key(|x| x.0);
    v.into_iter()
        .map(|(c, header, field)| super::SurveyColumn {
            cell: crate::text::cell_name(row, c),
            header,
            field: Some(field),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        crate::config::load(&[] as &[&str])
            .expect("default rules load")
            .schema
    }

    fn s(t: &str) -> Data {
        if t.is_empty() {
            Data::Empty
        } else {
            Data::String(t.into())
        }
    }

    #[test]
    fn a_two_row_header_with_categories_under_a_group() {
        let config = schema();
        let top = [s("支部"), s("年度"), s("计划发展党员数"), s(""), s("")];
        let bottom = [s(""), s(""), s("总数"), s("高知识群体"), s("少数民族")];
        let cols = plan_header(&[&top, &bottom], &config).expect("a plan header");
        assert_eq!((cols.branch, cols.year, cols.rows), (0, Some(1), 2));
        let keys: Vec<&str> = cols
            .counts
            .iter()
            .map(|&(k, _)| config.plan.categories[k].key.as_str())
            .collect();
        assert_eq!(keys, ["total", "high_knowledge", "minority"]);
    }

    #[test]
    fn a_list_of_branches_and_what_is_neither() {
        let config = schema();
        let list = [s("序号"), s("支部名称"), s("书记")];
        let cols = plan_header(&[&list], &config).expect("a list");
        assert_eq!((cols.branch, cols.counts.len()), (1, 0));
        // A branch column and a year alone are no plan: a unit's yearly table of anything.
        let other = [s("单位"), s("年度"), s("考核结果")];
        assert_eq!(plan_header(&[&other], &config), None);
    }

    #[test]
    fn rows_years_counts_and_a_merged_branch() {
        let config = schema();
        let header = [s("支部"), s("年度"), s("总数")];
        let cols = plan_header(&[&header], &config).expect("header");
        let mut carried = None;
        let at = ("计划.xlsx", "2025");
        let r = plan_row(
            &[s("第一党支部"), s("2025年"), Data::Float(3.0)],
            &cols,
            at,
            1,
            &mut carried,
        )
        .expect("row");
        assert_eq!(
            (
                r.branch.as_str(),
                r.year,
                r.counts.as_slice(),
                r.cell.as_str()
            ),
            ("第一党支部", Some(2025), &[(0, 3)][..], "A2")
        );
        let merged = plan_row(
            &[s(""), Data::Int(2026), s("2人")],
            &cols,
            at,
            2,
            &mut carried,
        )
        .expect("the branch above");
        assert_eq!(
            (merged.branch.as_str(), merged.planned(0)),
            ("第一党支部", Some(2))
        );
        assert!(plan_row(&[s(""), s(""), s("")], &cols, at, 3, &mut carried).is_none());
    }

    #[test]
    fn the_first_column_of_each_kind_is_the_one_read() {
        // 党支部 before 单位, 年度 before 年份, 总数 before 计划数 (another name for it).
        let config = schema();
        let row = [
            s("党支部"),
            s("年度"),
            s("总数"),
            s("单位"),
            s("年份"),
            s("计划数"),
        ];
        let cols = plan_header(&[&row], &config).expect("a plan header");
        assert_eq!((cols.branch, cols.year), (0, Some(1)));
        let counts: Vec<(&str, u32)> = cols
            .counts
            .iter()
            .map(|&(k, c)| (config.plan.categories[k].key.as_str(), c))
            .collect();
        assert_eq!(counts, [("total", 2)]);
    }

    #[test]
    fn a_year_as_written() {
        assert_eq!(year_of(&Data::Int(2025)), Some(2025));
        assert_eq!(year_of(&Data::Float(2025.0)), Some(2025));
        assert_eq!(year_of(&s("2025年度")), Some(2025));
        assert_eq!(year_of(&Data::Int(1900)), None);
        assert_eq!(year_of(&Data::Int(100_000)), None);
        assert_eq!(year_of(&Data::Float(2025.5)), None);
        assert_eq!(year_of(&Data::Float(1e9)), None);
    }

    #[test]
    fn a_count_as_written() {
        assert_eq!(count_of(&Data::Int(3)), Some(3));
        assert_eq!(count_of(&Data::Int(-3)), None);
        assert_eq!(count_of(&Data::Float(3.0)), Some(3));
        assert_eq!(count_of(&Data::Float(3.5)), None);
        assert_eq!(count_of(&Data::Float(2e6)), None);
        assert_eq!(count_of(&s("3人")), Some(3));
        assert_eq!(count_of(&s(" 3名 ")), Some(3));
        assert_eq!(count_of(&s("三人")), None);
        assert_eq!(count_of(&Data::Empty), None);
    }
}
