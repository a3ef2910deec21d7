//! What each sheet was taken for, as `dangan survey` and `ledger-not-found` show it.

use super::Candidate;
use crate::schema::Schema;

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
    pub(super) fn new(sheet: &str) -> SheetSurvey {
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
