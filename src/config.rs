//! The rule set: documents, stages, ledger fields and rules, read from YAML.
//!
//! `rules/default.yaml` is compiled into the binary; each `--rules FILE` is layered on top of
//! it. Layering is by key (a field, document or stage key; a rule id): alias lists
//! (`aliases`, `patterns`, `exclude`, the `ignore` lists and the `resume` column lists) add to
//! what is there, every other value replaces it. A mistake is a diagnostic that names the file,
//! line and column, and says which keys or values exist.

use std::path::Path;

use indexmap::IndexMap;
use jiff::civil::Date;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;

use crate::date::Duration;
use crate::finding::Severity;
use crate::text::normalize_header;

/// The default rule set, embedded.
pub const DEFAULT_RULES: &str = include_str!("../rules/default.yaml");
const DEFAULT_NAME: &str = "rules/default.yaml（内置）";

// ---------------------------------------------------------------------------------------------
// The YAML as written. Every value is optional so that an overlay can say only what it changes.

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    ruleset: Option<RawMeta>,
    dates: Option<RawDates>,
    ignore: Option<RawIgnore>,
    fields: Option<IndexMap<String, RawField>>,
    resume: Option<RawResume>,
    ledger: Option<RawLedger>,
    layout: Option<RawLayout>,
    documents: Option<IndexMap<String, RawDocument>>,
    stages: Option<Vec<RawStage>>,
    rules: Option<Vec<RawRule>>,
    branch_rating: Option<Vec<Rating>>,
}

/// One colour of the 四色研判 branch rating: a branch gets the first colour any of whose
/// conditions holds; the last colour (with no conditions) is the rest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub colour: String,
    pub label: String,
    #[serde(default = "default_hex")]
    pub hex: String,
    #[serde(default)]
    pub any: Vec<RawCondition>,
}

fn default_hex() -> String {
    "#607d8b".into()
}

/// One entry of `any:`, as written (`{ no_admission_years: 3 }`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub no_admission_years: Option<u32>,
    pub no_pipeline: Option<bool>,
    pub pipeline_below: Option<u32>,
    pub defect_rate_at_least: Option<f64>,
    pub no_new_activist_this_year: Option<bool>,
}

/// A condition of the branch rating.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// No one admitted (接收为预备党员) within this many years before the as-of date.
    NoAdmissionYears(u32),
    /// No activist and no candidate in the pipeline.
    NoPipeline,
    /// Fewer than this many activists and candidates in the pipeline.
    PipelineBelow(u32),
    /// At least this share (0–1) of the branch's dossiers have an error.
    DefectRateAtLeast(f64),
    /// No one became an activist in the as-of date's year.
    NoNewActivistThisYear,
}

impl Rating {
    pub fn conditions(&self) -> Vec<Condition> {
        let mut v = Vec::new();
        for c in &self.any {
            if let Some(n) = c.no_admission_years {
                v.push(Condition::NoAdmissionYears(n));
            }
            if c.no_pipeline == Some(true) {
                v.push(Condition::NoPipeline);
            }
            if let Some(n) = c.pipeline_below {
                v.push(Condition::PipelineBelow(n));
            }
            if let Some(x) = c.defect_rate_at_least {
                v.push(Condition::DefectRateAtLeast(x));
            }
            if c.no_new_activist_this_year == Some(true) {
                v.push(Condition::NoNewActivistThisYear);
            }
        }
        v
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: Option<String>,
    effective: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDates {
    earliest: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    prefixes: Vec<String>,
}

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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    title: Option<String>,
    #[serde(rename = "type")]
    kind: Option<FieldType>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(skip)]
    origin: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResume {
    #[serde(default)]
    start: Vec<String>,
    #[serde(default)]
    end: Vec<String>,
    #[serde(default)]
    span: Vec<String>,
    #[serde(default)]
    description: Vec<String>,
}

/// How the archive's folders are laid out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    root: Option<RootKind>,
    /// Regular expressions over a whole folder name: grouping folders (years, batches, stages).
    #[serde(default)]
    groups: Vec<String>,
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

/// How ledger sheets are read beyond their columns.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLedger {
    /// Rows that are not people: their first cell or their name starts with one of these.
    #[serde(default)]
    not_people: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    title: Option<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    regex: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(skip)]
    origin: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    key: String,
    title: Option<String>,
    milestone: Option<String>,
    requires: Option<Vec<String>>,
    #[serde(skip)]
    origin: usize,
}

/// The kinds of rule. Each kind is one generic check in `src/rules/`; a rule is a kind plus
/// its id, severity, message, basis and parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    RequiredDocuments,
    UnrecognizedFile,
    UnreadableFile,
    EmptyFile,
    FormatMismatch,
    LowResolution,
    DuplicateFile,
    LedgerNotFound,
    UnmatchedDossier,
    UnmatchedLedgerRow,
    UnmatchedResume,
    DuplicatePerson,
    InvalidDate,
    MissingMilestone,
    MilestoneOrder,
    Interval,
    ResumeGap,
    ResumeOverlap,
    ResumeReversed,
    IdNumber,
    BirthDateMatch,
    AmbiguousMonth,
    LedgerConflict,
    IdNumberMismatch,
    AmbiguousFile,
    LayoutAmbiguous,
    CombinedFileUnverifiable,
    WaiverExpired,
    WaiverUnused,
}

impl Kind {
    pub const ALL: [Kind; 29] = [
        Kind::RequiredDocuments,
        Kind::UnrecognizedFile,
        Kind::UnreadableFile,
        Kind::EmptyFile,
        Kind::FormatMismatch,
        Kind::LowResolution,
        Kind::DuplicateFile,
        Kind::LedgerNotFound,
        Kind::UnmatchedDossier,
        Kind::UnmatchedLedgerRow,
        Kind::UnmatchedResume,
        Kind::DuplicatePerson,
        Kind::InvalidDate,
        Kind::MissingMilestone,
        Kind::MilestoneOrder,
        Kind::Interval,
        Kind::ResumeGap,
        Kind::ResumeOverlap,
        Kind::ResumeReversed,
        Kind::IdNumber,
        Kind::BirthDateMatch,
        Kind::AmbiguousMonth,
        Kind::LedgerConflict,
        Kind::IdNumberMismatch,
        Kind::AmbiguousFile,
        Kind::LayoutAmbiguous,
        Kind::CombinedFileUnverifiable,
        Kind::WaiverExpired,
        Kind::WaiverUnused,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::RequiredDocuments => "required-documents",
            Kind::UnrecognizedFile => "unrecognized-file",
            Kind::UnreadableFile => "unreadable-file",
            Kind::EmptyFile => "empty-file",
            Kind::FormatMismatch => "format-mismatch",
            Kind::LowResolution => "low-resolution",
            Kind::DuplicateFile => "duplicate-file",
            Kind::LedgerNotFound => "ledger-not-found",
            Kind::UnmatchedDossier => "unmatched-dossier",
            Kind::UnmatchedLedgerRow => "unmatched-ledger-row",
            Kind::UnmatchedResume => "unmatched-resume",
            Kind::DuplicatePerson => "duplicate-person",
            Kind::InvalidDate => "invalid-date",
            Kind::MissingMilestone => "missing-milestone",
            Kind::MilestoneOrder => "milestone-order",
            Kind::Interval => "interval",
            Kind::ResumeGap => "resume-gap",
            Kind::ResumeOverlap => "resume-overlap",
            Kind::ResumeReversed => "resume-reversed",
            Kind::IdNumber => "id-number",
            Kind::BirthDateMatch => "birth-date-match",
            Kind::AmbiguousMonth => "ambiguous-month",
            Kind::LedgerConflict => "ledger-conflict",
            Kind::IdNumberMismatch => "id-number-mismatch",
            Kind::AmbiguousFile => "ambiguous-file",
            Kind::LayoutAmbiguous => "layout-ambiguous",
            Kind::CombinedFileUnverifiable => "combined-file-unverifiable",
            Kind::WaiverExpired => "waiver-expired",
            Kind::WaiverUnused => "waiver-unused",
        }
    }

    /// The parameter keys this kind takes (beyond id, kind, enabled, severity, message, basis,
    /// description, example).
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Kind::RequiredDocuments | Kind::CombinedFileUnverifiable => {
                &["documents", "from_stage"]
            }
            Kind::MissingMilestone => &["sequence"],
            Kind::MilestoneOrder => &["chains"],
            Kind::Interval => &["from", "to", "min", "max", "inclusive"],
            Kind::ResumeGap => &["max_gap", "allow_summer"],
            Kind::LowResolution => &["min_dpi"],
            Kind::DuplicateFile => &["same_dossier"],
            _ => &[],
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    kind: Option<Kind>,
    enabled: Option<bool>,
    severity: Option<Severity>,
    message: Option<String>,
    basis: Option<String>,
    description: Option<String>,
    example: Option<String>,
    documents: Option<Vec<String>>,
    from_stage: Option<String>,
    sequence: Option<Vec<String>>,
    chains: Option<Vec<Vec<String>>>,
    from: Option<String>,
    to: Option<String>,
    min: Option<String>,
    max: Option<String>,
    inclusive: Option<bool>,
    max_gap: Option<String>,
    allow_summer: Option<bool>,
    min_dpi: Option<f64>,
    same_dossier: Option<SameDossier>,
    #[serde(skip)]
    origin: usize,
}

/// What to do with byte-identical files inside one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SameDossier {
    Error,
    Warning,
    Info,
    Off,
}

impl RawRule {
    /// The parameter keys this rule sets.
    fn params_set(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        let pairs: [(&'static str, bool); 13] = [
            ("documents", self.documents.is_some()),
            ("from_stage", self.from_stage.is_some()),
            ("sequence", self.sequence.is_some()),
            ("chains", self.chains.is_some()),
            ("from", self.from.is_some()),
            ("to", self.to.is_some()),
            ("min", self.min.is_some()),
            ("max", self.max.is_some()),
            ("inclusive", self.inclusive.is_some()),
            ("max_gap", self.max_gap.is_some()),
            ("allow_summer", self.allow_summer.is_some()),
            ("min_dpi", self.min_dpi.is_some()),
            ("same_dossier", self.same_dossier.is_some()),
        ];
        for (k, set) in pairs {
            if set {
                v.push(k);
            }
        }
        v
    }

    fn overlay(&mut self, o: RawRule) {
        macro_rules! take {
            ($($f:ident),*) => { $( if o.$f.is_some() { self.$f = o.$f; } )* };
        }
        take!(
            kind,
            enabled,
            severity,
            message,
            basis,
            description,
            example,
            documents,
            from_stage,
            sequence,
            chains,
            from,
            to,
            min,
            max,
            inclusive,
            max_gap,
            allow_summer,
            min_dpi,
            same_dossier
        );
        self.origin = o.origin;
    }
}

// ---------------------------------------------------------------------------------------------
// The rule set as the engine uses it: names resolved to indices, durations parsed.

/// A ledger column the engine knows.
#[derive(Debug, Clone)]
pub struct Field {
    pub key: String,
    pub title: String,
    pub kind: FieldType,
    /// Header aliases, normalised with [`normalize_header`].
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

/// The parameters of a rule, checked against its kind.
#[derive(Debug, Clone)]
pub enum Params {
    None,
    RequiredDocuments {
        /// None: the stage table's `requires`.
        documents: Option<Vec<usize>>,
        from_stage: usize,
    },
    MissingMilestone {
        sequence: Vec<usize>,
    },
    MilestoneOrder {
        chains: Vec<Vec<MilestoneRef>>,
    },
    Interval {
        from: MilestoneRef,
        to: MilestoneRef,
        min: Option<Duration>,
        max: Option<Duration>,
        /// The period counts its first and its last day (预备期自2020年9月15日至2021年9月14日
        /// is one year): `min` is met one day before the anniversary.
        inclusive: bool,
    },
    ResumeGap {
        max_gap: Duration,
        allow_summer: bool,
    },
    LowResolution {
        min_dpi: f64,
    },
    DuplicateFile {
        /// Severity inside one dossier; None: not reported.
        same_dossier: Option<Severity>,
    },
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub kind: Kind,
    pub enabled: bool,
    pub severity: Severity,
    pub message: String,
    pub basis: String,
    pub description: Option<String>,
    pub example: Option<String>,
    pub params: Params,
    /// Which file defined or last changed it.
    pub origin: String,
}

/// Column aliases of a resume sheet, normalised.
#[derive(Debug, Clone, Default)]
pub struct ResumeColumns {
    pub start: Vec<String>,
    pub end: Vec<String>,
    pub span: Vec<String>,
    pub description: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub ruleset_name: String,
    /// A hash of the rule files' texts, as loaded: the rule set a shard was audited with.
    pub fingerprint: String,
    pub effective: Option<String>,
    pub earliest: Date,
    pub ignore_names: Vec<String>,
    pub ignore_prefixes: Vec<String>,
    pub fields: Vec<Field>,
    pub name_field: usize,
    pub branch_field: Option<usize>,
    pub id_field: Option<usize>,
    pub birth_field: Option<usize>,
    pub resume: ResumeColumns,
    /// Normalised beginnings of ledger rows that are not people (合计, 填表人, 注：).
    pub not_people: Vec<String>,
    pub layout: LayoutConfig,
    pub documents: Vec<Document>,
    pub stages: Vec<Stage>,
    pub rules: Vec<Rule>,
    pub ratings: Vec<Rating>,
}

impl Config {
    pub fn field(&self, key: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.key == key)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
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

    pub fn milestone_key(&self, m: MilestoneRef) -> String {
        let f = &self.fields[m.field];
        match (f.kind, m.end) {
            (FieldType::Range, End::Start) => format!("{}.start", f.key),
            (FieldType::Range, End::End) => format!("{}.end", f.key),
            _ => f.key.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Diagnostics.

/// One mistake in a rules file, pointing at its line and column.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(dangan::rules))]
pub struct ConfigError {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: SourceSpan,
    label: String,
    #[help]
    help: Option<String>,
}

/// Every mistake found in the rule files; the run stops with exit code 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("规则文件有 {} 处错误，审核未进行", .errors.len())]
pub struct ConfigErrors {
    #[related]
    pub errors: Vec<ConfigError>,
}

struct Source {
    name: String,
    text: String,
}

impl Source {
    fn error(
        &self,
        offset: usize,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        let offset = offset.min(self.text.len());
        let len = self.text[offset..]
            .find('\n')
            .unwrap_or(self.text.len() - offset)
            .clamp(1, 80);
        let len = len.min(self.text.len().saturating_sub(offset));
        ConfigError {
            message,
            src: NamedSource::new(self.name.clone(), self.text.clone()),
            span: (offset, len).into(),
            label: label.to_string(),
            help,
        }
    }

    /// Byte offset of `needle` inside the block that `anchor` opens (the anchor line and the
    /// lines indented deeper than it); the anchor itself when the needle is not there.
    fn locate(&self, anchor: &str, needle: Option<&str>) -> usize {
        let text = &self.text;
        let Some(a) = find_anchor(text, anchor) else {
            return 0;
        };
        let Some(needle) = needle else {
            return a;
        };
        let line_start = text[..a].rfind('\n').map_or(0, |i| i + 1);
        let base = leading_spaces(&text[line_start..]);
        let mut end = text.len();
        let mut pos = text[a..].find('\n').map_or(text.len(), |i| a + i + 1);
        while pos < text.len() {
            let line = &text[pos..];
            let trimmed = line.trim_start_matches(' ');
            let blank =
                trimmed.starts_with('\n') || trimmed.starts_with('\r') || trimmed.starts_with('#');
            if !blank && leading_spaces(line) <= base {
                end = pos;
                break;
            }
            pos = line.find('\n').map_or(text.len(), |i| pos + i + 1);
        }
        text[a..end].find(needle).map_or(a, |i| a + i)
    }
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `id: X` or `X:` (as a map key), at a word boundary.
fn find_anchor(text: &str, anchor: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(anchor) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + anchor.len()..].chars().next();
        let ok_before = before.is_none_or(|c| c == ' ' || c == '\n' || c == '"' || c == '\'');
        let ok_after =
            after.is_none_or(|c| matches!(c, ' ' | '\n' | '\r' | '"' | '\'' | ',' | '}' | '#'));
        if ok_before && ok_after {
            return Some(at);
        }
        from = at + anchor.len();
    }
    None
}

fn yaml_error(src: &Source, e: &serde_yaml::Error) -> ConfigError {
    let offset = e.location().map_or(0, |l| l.index());
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let help = if msg.contains("unknown variant") {
        Some(format!(
            "可用的规则类型：{}",
            Kind::ALL
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join("、")
        ))
    } else {
        None
    };
    src.error(
        offset,
        format!("{}：YAML 有误：{msg}", src.name),
        "这里",
        help,
    )
}

// ---------------------------------------------------------------------------------------------
// Loading.

/// Load the embedded default rule set and layer each user file on top.
pub fn load(user_files: &[impl AsRef<Path>]) -> Result<Config, ConfigErrors> {
    let mut sources = vec![Source {
        name: DEFAULT_NAME.to_string(),
        text: DEFAULT_RULES.to_string(),
    }];
    let mut errors = Vec::new();
    for p in user_files {
        let p = p.as_ref();
        match crate::input::read_yaml(p) {
            Ok(text) => sources.push(Source {
                name: p.display().to_string(),
                text,
            }),
            Err(e) => errors.push(ConfigError {
                message: format!("无法读取规则文件 {}：{e}", p.display()),
                src: NamedSource::new(p.display().to_string(), String::new()),
                span: (0, 0).into(),
                label: String::new(),
                help: None,
            }),
        }
    }
    let mut merged = RawFile::default();
    for (i, src) in sources.iter().enumerate() {
        match serde_yaml::from_str::<Option<RawFile>>(&src.text) {
            Ok(raw) => overlay(&mut merged, raw.unwrap_or_default(), i),
            Err(e) => errors.push(yaml_error(src, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(ConfigErrors { errors });
    }
    let config = resolve(merged, &sources, &mut errors);
    match config {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(ConfigErrors { errors }),
    }
}

fn overlay(into: &mut RawFile, o: RawFile, origin: usize) {
    if let Some(m) = o.ruleset {
        let meta = into.ruleset.get_or_insert_with(RawMeta::default);
        if m.name.is_some() {
            meta.name = m.name;
        }
        if m.effective.is_some() {
            meta.effective = m.effective;
        }
    }
    if let Some(d) = o.dates
        && d.earliest.is_some()
    {
        into.dates.get_or_insert_with(RawDates::default).earliest = d.earliest;
    }
    if let Some(ig) = o.ignore {
        let cur = into.ignore.get_or_insert_with(RawIgnore::default);
        cur.names.extend(ig.names);
        cur.prefixes.extend(ig.prefixes);
    }
    if let Some(fields) = o.fields {
        let cur = into.fields.get_or_insert_with(IndexMap::new);
        for (k, mut f) in fields {
            f.origin = origin;
            match cur.get_mut(&k) {
                Some(e) => {
                    if f.title.is_some() {
                        e.title = f.title;
                    }
                    if f.kind.is_some() {
                        e.kind = f.kind;
                    }
                    e.aliases.extend(f.aliases);
                    e.origin = origin;
                }
                None => {
                    cur.insert(k, f);
                }
            }
        }
    }
    if let Some(r) = o.resume {
        let cur = into.resume.get_or_insert_with(RawResume::default);
        cur.start.extend(r.start);
        cur.end.extend(r.end);
        cur.span.extend(r.span);
        cur.description.extend(r.description);
    }
    if let Some(l) = o.ledger {
        let cur = into.ledger.get_or_insert_with(RawLedger::default);
        cur.not_people.extend(l.not_people);
    }
    if let Some(l) = o.layout {
        let cur = into.layout.get_or_insert_with(RawLayout::default);
        if l.root.is_some() {
            cur.root = l.root;
        }
        cur.groups.extend(l.groups);
    }
    if let Some(docs) = o.documents {
        let cur = into.documents.get_or_insert_with(IndexMap::new);
        for (k, mut d) in docs {
            d.origin = origin;
            match cur.get_mut(&k) {
                Some(e) => {
                    if d.title.is_some() {
                        e.title = d.title;
                    }
                    e.patterns.extend(d.patterns);
                    e.regex.extend(d.regex);
                    e.exclude.extend(d.exclude);
                    e.origin = origin;
                }
                None => {
                    cur.insert(k, d);
                }
            }
        }
    }
    if let Some(stages) = o.stages {
        let cur = into.stages.get_or_insert_with(Vec::new);
        for mut s in stages {
            s.origin = origin;
            match cur.iter_mut().find(|e| e.key == s.key) {
                Some(e) => {
                    if s.title.is_some() {
                        e.title = s.title;
                    }
                    if s.milestone.is_some() {
                        e.milestone = s.milestone;
                    }
                    if s.requires.is_some() {
                        e.requires = s.requires;
                    }
                    e.origin = origin;
                }
                None => cur.push(s),
            }
        }
    }
    if o.branch_rating.is_some() {
        into.branch_rating = o.branch_rating;
    }
    if let Some(rules) = o.rules {
        let cur = into.rules.get_or_insert_with(Vec::new);
        for mut r in rules {
            r.origin = origin;
            match cur.iter_mut().find(|e| e.id == r.id) {
                Some(e) => e.overlay(r),
                None => cur.push(r),
            }
        }
    }
}

/// A header alias, normalised; `group>sub` (入党积极分子>确定时间) names a sub-column under a
/// group cell of a two- or three-row header, each part normalised on its own.
pub fn header_alias(alias: &str) -> String {
    alias
        .split('>')
        .map(normalize_header)
        .collect::<Vec<_>>()
        .join(">")
}

/// Names to indices, strings to durations; every mistake is pushed to `errors`.
/// The most memory one regular expression of a rule file may compile to (and its lazy DFA
/// use): 500 patterns then stay within about 400 MB, however they are written.
const REGEX_SIZE: usize = 256 << 10;
const REGEX_DFA: usize = 512 << 10;

/// A rule file's regular expression, within [`REGEX_SIZE`].
fn user_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE)
        .dfa_size_limit(REGEX_DFA)
        .build()
}

fn resolve(raw: RawFile, sources: &[Source], errors: &mut Vec<ConfigError>) -> Option<Config> {
    let last = &sources[sources.len() - 1];
    let meta = raw.ruleset.unwrap_or_default();
    let earliest_text = raw
        .dates
        .and_then(|d| d.earliest)
        .unwrap_or_else(|| "1921-07-01".to_string());
    let earliest = match crate::date::parse_date(&earliest_text) {
        Ok(d) => d.earliest(),
        Err(_) => {
            let src = sources
                .iter()
                .rev()
                .find(|s| s.text.contains(&earliest_text))
                .unwrap_or(last);
            errors.push(src.error(
                src.locate("earliest:", Some(&earliest_text)),
                format!("dates.earliest 不是日期：{earliest_text}"),
                "应为 YYYY-MM-DD",
                None,
            ));
            Date::new(1921, 7, 1).ok()?
        }
    };

    // Fields.
    let mut fields = Vec::new();
    for (key, f) in raw.fields.unwrap_or_default() {
        let src = &sources[f.origin];
        let (Some(kind), false) = (f.kind, f.aliases.is_empty()) else {
            errors.push(src.error(
                src.locate(&format!("{key}:"), None),
                format!("字段 {key} 需要 type（text、date、range）和至少一个 aliases"),
                "新字段不完整",
                None,
            ));
            continue;
        };
        fields.push(Field {
            title: f.title.unwrap_or_else(|| f.aliases[0].clone()),
            aliases: f.aliases.iter().map(|a| header_alias(a)).collect(),
            key,
            kind,
        });
    }
    let field_of = |key: &str| fields.iter().position(|f| f.key == key);
    let name_field = match field_of("name") {
        Some(i) => i,
        None => {
            errors.push(last.error(0, "规则集缺少字段 name（姓名列）".into(), "", None));
            return None;
        }
    };
    let branch_field = field_of("branch");
    let id_field = field_of("id_number");
    let birth_field = field_of("birth");
    let date_field_names = || {
        fields
            .iter()
            .filter(|f| f.kind != FieldType::Text)
            .map(|f| f.key.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };

    // Documents.
    let mut documents = Vec::new();
    for (key, d) in raw.documents.unwrap_or_default() {
        let src = &sources[d.origin];
        if d.patterns.is_empty() && d.regex.is_empty() {
            errors.push(src.error(
                src.locate(&format!("{key}:"), None),
                format!("文书 {key} 没有 patterns（文件名关键词）或 regex"),
                "至少一个关键词",
                None,
            ));
            continue;
        }
        let mut regex = Vec::new();
        for r in &d.regex {
            match user_regex(r) {
                Ok(re) => regex.push(re),
                Err(e) => errors.push(src.error(
                    src.locate(&format!("{key}:"), Some(r)),
                    format!("文书 {key} 的正则表达式有误：{e}"),
                    "无法编译",
                    Some("按文件名（去掉扩展名、全角转半角、小写）匹配，如 ^\\d{4}-自传$".into()),
                )),
            }
        }
        documents.push(Document {
            title: d
                .title
                .or_else(|| d.patterns.first().cloned())
                .unwrap_or_else(|| key.clone()),
            regex,
            patterns: d
                .patterns
                .iter()
                .map(|p| crate::text::normalize(p).to_lowercase())
                .collect(),
            exclude: d
                .exclude
                .iter()
                .map(|p| crate::text::normalize(p).to_lowercase())
                .collect(),
            key,
        });
    }
    let doc_names = || {
        documents
            .iter()
            .map(|d| d.key.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let doc_of = |key: &str| documents.iter().position(|d| d.key == key);

    // Stages.
    let mut stages = Vec::new();
    for s in raw.stages.unwrap_or_default() {
        let src = &sources[s.origin];
        let anchor = format!("key: {}", s.key);
        let Some(m) = s.milestone.as_deref() else {
            errors.push(src.error(
                src.locate(&anchor, None),
                format!("阶段 {} 缺少 milestone", s.key),
                "",
                None,
            ));
            continue;
        };
        let Some(milestone) = field_of(m).filter(|&i| fields[i].kind != FieldType::Text) else {
            errors.push(src.error(
                src.locate(&anchor, Some(m)),
                format!("阶段 {} 的 milestone「{m}」不是日期字段", s.key),
                "未知字段",
                Some(format!("可用的日期字段：{}", date_field_names())),
            ));
            continue;
        };
        let mut requires = Vec::new();
        for d in s.requires.unwrap_or_default() {
            match doc_of(&d) {
                Some(i) => requires.push(i),
                None => errors.push(src.error(
                    src.locate(&anchor, Some(&d)),
                    format!("阶段 {} 要求的文书「{d}」不存在", s.key),
                    "未知文书",
                    Some(format!("可用的文书：{}", doc_names())),
                )),
            }
        }
        stages.push(Stage {
            title: s.title.unwrap_or_else(|| s.key.clone()),
            key: s.key,
            milestone,
            requires,
        });
    }
    let stage_names = || {
        stages
            .iter()
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };

    // Rules.
    let mut rules = Vec::new();
    for r in raw.rules.unwrap_or_default() {
        let src = &sources[r.origin];
        let anchor = format!("id: {}", r.id);
        let at = |needle: Option<&str>| src.locate(&anchor, needle);
        let Some(kind) = r.kind else {
            errors.push(src.error(
                at(None),
                format!("规则 {} 没有 kind，也不是对已有规则的修改", r.id),
                "缺少 kind",
                Some(format!(
                    "可用的规则类型：{}",
                    Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join("、")
                )),
            ));
            continue;
        };
        for p in r.params_set() {
            if !kind.params().contains(&p) {
                let takes = if kind.params().is_empty() {
                    "该类型没有参数".to_string()
                } else {
                    format!(
                        "{} 类型可用的参数：{}",
                        kind.name(),
                        kind.params().join("、")
                    )
                };
                errors.push(src.error(
                    at(Some(&format!("{p}:"))),
                    format!("规则 {} 的类型 {} 不接受参数 {p}", r.id, kind.name()),
                    "多余的参数",
                    Some(takes),
                ));
            }
        }
        let (Some(message), Some(basis)) = (r.message.clone(), r.basis.clone()) else {
            errors.push(src.error(
                at(None),
                format!("规则 {} 需要 message 和 basis", r.id),
                "",
                None,
            ));
            continue;
        };
        let mut bad = false;
        let milestone =
            |name: &str, bad: &mut bool, errors: &mut Vec<ConfigError>| -> Option<MilestoneRef> {
                let (base, end) = match name.split_once('.') {
                    Some((b, "start")) => (b, End::Start),
                    Some((b, "end")) => (b, End::End),
                    Some(_) => (name, End::Start),
                    None => (name, End::Start),
                };
                match field_of(base).filter(|&i| fields[i].kind != FieldType::Text) {
                    Some(field) => Some(MilestoneRef { field, end }),
                    None => {
                        *bad = true;
                        errors.push(src.error(
                            at(Some(name)),
                            format!("规则 {} 引用的时间字段「{name}」不存在", r.id),
                            "未知字段",
                            Some(format!(
                                "可用的日期字段：{}（区间字段可写 .start / .end）",
                                date_field_names()
                            )),
                        ));
                        None
                    }
                }
            };
        let duration = |key: &str,
                        text: &Option<String>,
                        bad: &mut bool,
                        errors: &mut Vec<ConfigError>|
         -> Option<Duration> {
            let t = text.as_deref()?;
            match Duration::parse(t) {
                Some(d) => Some(d),
                None => {
                    *bad = true;
                    errors.push(src.error(
                        at(Some(&format!("{key}:"))),
                        format!("规则 {} 的 {key}「{t}」不是时长", r.id),
                        "无法识别的时长",
                        Some("写作 1 year、3 months、18 years、5 days，或 1年、3个月".into()),
                    ));
                    None
                }
            }
        };
        let params = match kind {
            Kind::RequiredDocuments | Kind::CombinedFileUnverifiable => {
                let documents = r.documents.as_ref().map(|ds| {
                    ds.iter()
                        .filter_map(|d| {
                            let i = doc_of(d);
                            if i.is_none() {
                                bad = true;
                                errors.push(src.error(
                                    at(Some(d)),
                                    format!("规则 {} 的文书「{d}」不存在", r.id),
                                    "未知文书",
                                    Some(format!("可用的文书：{}", doc_names())),
                                ));
                            }
                            i
                        })
                        .collect()
                });
                let from_stage = match r.from_stage.as_deref() {
                    None => 0,
                    Some(s) => match stages.iter().position(|st| st.key == s) {
                        Some(i) => i,
                        None => {
                            bad = true;
                            errors.push(src.error(
                                at(Some(s)),
                                format!("规则 {} 的阶段「{s}」不存在", r.id),
                                "未知阶段",
                                Some(format!("可用的阶段：{}", stage_names())),
                            ));
                            0
                        }
                    },
                };
                Params::RequiredDocuments {
                    documents,
                    from_stage,
                }
            }
            Kind::MissingMilestone => {
                let sequence = r
                    .sequence
                    .iter()
                    .flatten()
                    .filter_map(|m| milestone(m, &mut bad, errors).map(|m| m.field))
                    .collect::<Vec<_>>();
                if sequence.len() < 2 && !bad {
                    bad = true;
                    errors.push(src.error(
                        at(None),
                        format!("规则 {} 需要 sequence（至少两个时间字段）", r.id),
                        "",
                        None,
                    ));
                }
                Params::MissingMilestone { sequence }
            }
            Kind::MilestoneOrder => {
                let chains = r
                    .chains
                    .iter()
                    .flatten()
                    .map(|c| {
                        c.iter()
                            .filter_map(|m| milestone(m, &mut bad, errors))
                            .collect::<Vec<_>>()
                    })
                    .collect::<Vec<_>>();
                if chains.is_empty() && !bad {
                    bad = true;
                    errors.push(src.error(
                        at(None),
                        format!("规则 {} 需要 chains", r.id),
                        "",
                        None,
                    ));
                }
                Params::MilestoneOrder { chains }
            }
            Kind::Interval => {
                let from = r
                    .from
                    .as_deref()
                    .and_then(|m| milestone(m, &mut bad, errors));
                let to = r.to.as_deref().and_then(|m| milestone(m, &mut bad, errors));
                let min = duration("min", &r.min, &mut bad, errors);
                let max = duration("max", &r.max, &mut bad, errors);
                match (from, to) {
                    (Some(from), Some(to)) if min.is_some() != max.is_some() => Params::Interval {
                        from,
                        to,
                        min,
                        max,
                        inclusive: r.inclusive.unwrap_or(false),
                    },
                    _ => {
                        if !bad {
                            errors.push(src.error(
                                at(None),
                                format!("规则 {} 需要 from、to，以及 min 或 max 之一", r.id),
                                "",
                                None,
                            ));
                        }
                        bad = true;
                        Params::None
                    }
                }
            }
            Kind::ResumeGap => {
                let max_gap = match r.max_gap {
                    Some(_) => {
                        duration("max_gap", &r.max_gap, &mut bad, errors).unwrap_or_default()
                    }
                    None => Duration {
                        months: 3,
                        ..Default::default()
                    },
                };
                Params::ResumeGap {
                    max_gap,
                    allow_summer: r.allow_summer.unwrap_or(true),
                }
            }
            Kind::LowResolution => {
                let min_dpi = r.min_dpi.unwrap_or(200.0);
                if !(min_dpi.is_finite() && min_dpi > 0.0) {
                    bad = true;
                    errors.push(src.error(
                        at(Some("min_dpi:")),
                        format!("规则 {} 的 min_dpi 应为正数", r.id),
                        "无效的分辨率",
                        None,
                    ));
                }
                Params::LowResolution { min_dpi }
            }
            Kind::DuplicateFile => Params::DuplicateFile {
                same_dossier: match r.same_dossier.unwrap_or(SameDossier::Warning) {
                    SameDossier::Error => Some(Severity::Error),
                    SameDossier::Warning => Some(Severity::Warning),
                    SameDossier::Info => Some(Severity::Info),
                    SameDossier::Off => None,
                },
            },
            _ => Params::None,
        };
        if bad {
            continue;
        }
        rules.push(Rule {
            id: r.id,
            kind,
            enabled: r.enabled.unwrap_or(true),
            severity: r.severity.unwrap_or(Severity::Error),
            message,
            basis,
            description: r.description,
            example: r.example,
            params,
            origin: src.name.clone(),
        });
    }

    let raw_layout = raw.layout.unwrap_or_default();
    let mut layout = LayoutConfig {
        root: raw_layout.root.unwrap_or_default(),
        groups: Vec::new(),
    };
    for g in &raw_layout.groups {
        match user_regex(g) {
            Ok(re) => layout.groups.push(re),
            Err(e) => {
                let src = sources
                    .iter()
                    .rev()
                    .find(|s| s.text.contains(g.as_str()))
                    .unwrap_or(last);
                errors.push(src.error(
                    src.locate("groups:", Some(g)),
                    format!("layout.groups 的正则表达式有误：{e}"),
                    "无法编译",
                    Some("按整个文件夹名匹配，如 ^\\d{4}年$".into()),
                ));
            }
        }
    }

    let resume = raw.resume.unwrap_or_default();
    let norm = |v: Vec<String>| v.iter().map(|s| normalize_header(s)).collect::<Vec<_>>();
    let ignore = raw.ignore.unwrap_or_default();
    Some(Config {
        ruleset_name: meta.name.unwrap_or_else(|| "dangan".into()),
        fingerprint: {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            for s in sources {
                h.update(s.text.as_bytes());
                h.update(b"\0");
            }
            format!("{:032x}", h.digest128())
        },
        effective: meta.effective,
        earliest,
        ignore_names: ignore.names.iter().map(|s| s.to_lowercase()).collect(),
        ignore_prefixes: ignore.prefixes,
        fields,
        name_field,
        branch_field,
        id_field,
        birth_field,
        resume: ResumeColumns {
            start: norm(resume.start),
            end: norm(resume.end),
            span: norm(resume.span),
            description: norm(resume.description),
        },
        not_people: raw
            .ledger
            .unwrap_or_default()
            .not_people
            .iter()
            .map(|s| crate::text::normalize(s))
            .filter(|s| !s.is_empty())
            .collect(),
        layout,
        documents,
        stages,
        rules,
        ratings: raw.branch_rating.unwrap_or_default(),
    })
}
