//! The archive's vocabulary, resolved: the ledger's fields, the documents a dossier may hold,
//! the stages of development, the layout of folders, the resume's columns, and the keys the
//! engine itself needs. Loaded from YAML by [`crate::config`]; read by every step below the
//! rules. Nothing here knows of rules, so the walk, the ledger and the join depend on this
//! module alone.

use jiff::civil::Date;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Free text (name, branch, ID number …).
    Text,
    /// One date.
    Date,
    /// A date or a range of dates (`2022.05.10-2022.05.12`).
    Range,
}

/// What the archive root is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RootKind {
    /// Found from the folders (see `crate::layout`).
    #[default]
    Auto,
    /// Branch folders inside (possibly under grouping folders).
    Archive,
    /// One branch: dossier folders inside (possibly under grouping folders).
    Branch,
}

/// The layout rules, resolved.
#[derive(Debug, Clone, Default)]
pub struct LayoutConfig {
    pub root: RootKind,
    pub groups: Vec<regex::Regex>,
}

/// A ledger column the engine knows.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub title: String,
    pub kind: FieldType,
    /// Header aliases, normalised with [`crate::text::normalize_header`].
    pub aliases: Vec<String>,
}

/// A document a dossier may hold.
#[derive(Debug, Clone)]
pub struct Document {
    pub key: String,
    pub title: String,
    pub patterns: Vec<String>,
    /// Regular expressions over the normalised, lower-case file stem.
    pub regex: Vec<regex::Regex>,
    pub exclude: Vec<String>,
    /// The ledger milestone whose date the material bears (入党申请书 → 申请入党时间): a
    /// catalog's date for it is checked against it (`catalog-date-mismatch`) and
    /// `dangan catalog` writes it as the item's 形成时间.
    pub milestone: Option<MilestoneRef>,
    /// The document it is filed inside (入党介绍人意见 is a page of the 入党志愿书): catalogs
    /// list and count it as that one.
    pub part_of: Option<usize>,
}

/// A stage of development, opened by a milestone.
#[derive(Debug, Clone)]
pub struct Stage {
    pub key: String,
    pub title: String,
    pub milestone: usize,
    pub requires: Vec<usize>,
}

/// Which end of a milestone a rule means: `trained.start` / `trained.end`; a plain name is
/// the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Start,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MilestoneRef {
    pub field: usize,
    pub end: End,
}

/// Column aliases of a resume sheet, normalised.
#[derive(Debug, Clone, Default)]
pub struct ResumeColumns {
    pub start: Vec<String>,
    pub end: Vec<String>,
    pub span: Vec<String>,
    pub description: Vec<String>,
}

/// Column aliases of a catalog (卷内目录) sheet, normalised, and the filing order.
#[derive(Debug, Clone, Default)]
pub struct CatalogColumns {
    /// 题名, 材料名称: the column naming the material (required).
    pub title: Vec<String>,
    /// 页数: a count. A page column (this or `page_numbers`) is required.
    pub pages: Vec<String>,
    /// 页号: page numbers in the volume, `5-12` or the first page alone.
    pub page_numbers: Vec<String>,
    /// 日期, 形成时间: optional.
    pub date: Vec<String>,
    /// Documents in filing order (`catalog.order`); the rest follow, by the stage that first
    /// requires them, then in the order of `documents`.
    pub order: Vec<usize>,
}

/// Whom a category of the 年度发展计划 counts among the people admitted in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanBy {
    /// Everyone admitted (总数).
    Everyone,
    /// By the ledger's 学历, 民族, 人员类别 or 性别 text.
    Education,
    Ethnicity,
    Category,
    Sex,
}

/// A category of the 年度发展计划 (总数, 高知识群体, 少数民族 …): the column headers that name
/// it and whom it counts.
#[derive(Debug, Clone)]
pub struct PlanCategory {
    pub key: String,
    pub title: String,
    /// Normalised column headers.
    pub aliases: Vec<String>,
    pub by: PlanBy,
    /// The person counts when the text contains one of these …
    pub any: Vec<String>,
    /// … or, where `any` is empty, when it is written and is none of these (民族 not 汉族).
    pub not: Vec<String>,
}

impl PlanCategory {
    /// Whether a person whose `by` text is `value` counts in this category: the one test the
    /// rule `plan-shortfall` and the committee's plan table share.
    pub fn counts(&self, value: Option<&str>) -> bool {
        if self.by == PlanBy::Everyone {
            return true;
        }
        let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return false;
        };
        if !self.any.is_empty() {
            return self.any.iter().any(|k| v.contains(k.as_str()));
        }
        !self.not.iter().any(|k| v == k)
    }
}

/// The 年度发展计划 workbook's columns (a sheet per unit or branch, year and category), and a
/// list of the committee's branches (支部名单): normalised headers.
#[derive(Debug, Clone, Default)]
pub struct PlanColumns {
    /// 支部, 党支部, 单位: the branch a row plans for.
    pub branch: Vec<String>,
    /// 年度, 年份.
    pub year: Vec<String>,
    pub categories: Vec<PlanCategory>,
    /// Headers that alone make a sheet a list of branches (支部名称, 党组织名称).
    pub list: Vec<String>,
}

/// The fields, stages and documents the engine itself refers to, resolved once at load (by
/// `crate::config`, under the YAML keys of the same names). A date key must name a date
/// field; the name field must exist. An optional key that is absent turns its use
/// off (no `--since` on that milestone, no count of that stage).
#[derive(Debug, Clone, Default)]
pub struct Keys {
    /// 姓名: the one field every ledger must have.
    pub name: usize,
    pub branch: Option<usize>,
    pub id_number: Option<usize>,
    pub birth: Option<usize>,
    /// 申请入党时间 and 接收为预备党员时间: `--since` keeps the people with either on or after it.
    pub applied: Option<usize>,
    pub admitted: Option<usize>,
    /// 确定为入党积极分子时间: the committee's statistics.
    pub activist: Option<usize>,
    /// Text columns the committee's statistics break down by.
    pub sex: Option<usize>,
    pub ethnicity: Option<usize>,
    pub education: Option<usize>,
    pub category: Option<usize>,
    /// The stages the branch rating counts as the pipeline (入党积极分子, 发展对象).
    pub activist_stage: Option<usize>,
    pub candidate_stage: Option<usize>,
    /// The document a person's resume sheet is (简历).
    pub resume: Option<usize>,
    /// The document a catalog (卷内目录) is: a dossier's catalog never lists itself.
    pub catalog: Option<usize>,
}

/// The vocabulary of an archive, as the rule files define it.
#[derive(Debug, Clone)]
pub struct Schema {
    pub earliest: Date,
    pub ignore_names: Vec<String>,
    pub ignore_prefixes: Vec<String>,
    pub fields: Vec<Field>,
    pub keys: Keys,
    pub resume: ResumeColumns,
    pub catalog: CatalogColumns,
    /// The 年度发展计划 and 支部名单 sheets.
    pub plan: PlanColumns,
    /// Normalised beginnings of ledger rows that are not people (合计, 填表人, 注：).
    pub not_people: Vec<String>,
    pub layout: LayoutConfig,
    pub documents: Vec<Document>,
    pub stages: Vec<Stage>,
    /// Holidays and 调休 working weekends, for counting working days (公示).
    pub calendar: crate::calendar::Calendar,
    /// How documents' text is read and when it is readable.
    pub content: ContentSettings,
}

/// The `content:` section: how documents' text is read, and when a reading is good enough to
/// judge what a document says.
#[derive(Debug, Clone, PartialEq)]
pub struct ContentSettings {
    /// OCR of scans (also `--ocr`).
    pub ocr: bool,
    /// Tesseract's language model.
    pub language: String,
    /// Fewer Chinese characters read than this: unreadable (and a PDF text layer this thin is
    /// no text layer).
    pub min_chars: u32,
    /// OCR's mean word confidence (0–100) below this: unreadable (handwriting).
    pub min_confidence: f32,
}

impl Default for ContentSettings {
    fn default() -> Self {
        ContentSettings {
            ocr: false,
            language: "chi_sim".into(),
            min_chars: 30,
            min_confidence: 60.0,
        }
    }
}

impl Schema {
    pub fn field(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    /// `trained.end` → 集中培训时间（结束）
    pub fn milestone_title(&self, m: MilestoneRef) -> String {
        let f = &self.fields[m.field];
        match (f.kind, m.end) {
            (FieldType::Range, End::Start) => format!("{}（开始）", f.title),
            (FieldType::Range, End::End) => format!("{}（结束）", f.title),
            _ => f.title.clone(),
        }
    }

    /// The document a catalog lists `doc` as: the one it is part of, else itself.
    pub fn filed_as(&self, doc: usize) -> usize {
        self.documents[doc].part_of.unwrap_or(doc)
    }

    /// Where a document is filed in a catalog: its place in `catalog.order`, else after those,
    /// by the first stage requiring it, then by its place in `documents`.
    pub fn filing_rank(&self, doc: usize) -> (usize, usize, usize) {
        if let Some(i) = self.catalog.order.iter().position(|&d| d == doc) {
            return (0, i, 0);
        }
        let stage = self
            .stages
            .iter()
            .position(|s| s.requires.contains(&doc))
            .unwrap_or(self.stages.len());
        (1, stage, doc)
    }

    pub fn milestone_key(&self, m: MilestoneRef) -> String {
        let f = &self.fields[m.field];
        match (f.kind, m.end) {
            (FieldType::Range, End::Start) => format!("{}.start", f.key),
            (FieldType::Range, End::End) => format!("{}.end", f.key),
            _ => f.key.clone(),
        }
    }
}
