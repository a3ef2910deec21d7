//! What an audit produces, for every module that reports, rates, triages or merges it: the
//! summary and its counts, the dossiers as found, the people behind the committee's
//! statistics, and what a shard carries to the merge. Below the pipeline (`audit`) and the
//! merge (`shard`): both use these types, neither imports the other for them.

use std::sync::Arc;

use compact_str::CompactString;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::date::DateValue;
use crate::finding::{Finding, Severity};
use crate::inspect::FileFormat;
use crate::text::normalize;

/// Counts for the report header.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    pub dossiers: usize,
    pub ledger_rows: usize,
    /// The people the ledger rows make: fewer than the rows where one person stands on several
    /// rosters or yearly sheets.
    #[serde(default)]
    pub ledger_people: usize,
    pub files: usize,
    /// Pages counted in PDF and TIFF files (and 1 for each other image).
    pub pages: u64,
    /// Scans whose resolution the file does not state.
    pub unknown_resolution: usize,
    pub findings: Counts,
    /// What `--since` kept in scope (absent without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// What `--baseline` matched (absent without it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineCounts>,
    /// Findings covered by a waiver: shown, not counted above.
    pub waived: usize,
    /// What the content rules could read of the documents they look at (absent when none is
    /// on).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ContentCounts>,
}

/// The documents the content rules look at, by what could be read of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContentCounts {
    /// Text read, readable enough to judge.
    pub read: usize,
    /// Text read, too little or too unsure to judge (content-unreadable).
    pub unreadable: usize,
    /// Scans whose text was not read: OCR off.
    pub needs_ocr: usize,
    /// Text that could not be taken out (content-unreadable says why).
    pub failed: usize,
    /// In a format no text is read from (BMP, GIF, an .xls).
    pub no_text: usize,
}

impl ContentCounts {
    pub fn add(&mut self, o: &ContentCounts) {
        self.read += o.read;
        self.unreadable += o.unreadable;
        self.needs_ocr += o.needs_ocr;
        self.failed += o.failed;
        self.no_text += o.no_text;
    }
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Scope {
    pub since: String,
    /// People whose application or admission falls on or after `since`, or whose dates are
    /// unknown (a folder without a ledger row).
    pub people_in_scope: usize,
    pub people_out_of_scope: usize,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct BaselineCounts {
    /// Findings already in the baseline: not reported.
    pub known: usize,
    /// Baseline entries no longer found: fixed since the baseline was made.
    pub fixed: usize,
}

/// What an audit is asked.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    /// Counts of the findings that are not waived.
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings.iter().filter(|f| f.waived.is_none()) {
            match f.severity {
                Severity::Error => c.error += 1,
                Severity::Warning => c.warning += 1,
                Severity::Info => c.info += 1,
            }
        }
        c
    }

    /// Findings at or above a severity.
    pub fn at_least(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.error,
            Severity::Warning => self.error + self.warning,
            Severity::Info => self.error + self.warning + self.info,
        }
    }
}

#[derive(Debug)]
pub struct AuditResult {
    pub as_of: Date,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub dossiers: Vec<DossierReport>,
    /// Everyone in scope, with the ledger facts the committee's statistics need. Personal
    /// data: used by `--report-dir`, never printed in the JSON report.
    pub people: Vec<PersonFacts>,
    /// 年度发展计划 and 支部名单 rows: the committee's branches and their plans.
    pub plan: Vec<crate::ledger::plan::PlanRow>,
    /// Set in a sharded run: what the merge needs from this shard.
    pub shard: Option<ShardData>,
}

/// One person as the statistics see them.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PersonFacts {
    pub index: usize,
    pub branch: CompactString,
    pub name: CompactString,
    pub dossier: Option<String>,
    pub stage: Option<CompactString>,
    pub stage_title: Option<CompactString>,
    pub id_number: Option<CompactString>,
    pub sex: Option<CompactString>,
    pub ethnicity: Option<CompactString>,
    pub education: Option<CompactString>,
    pub category: Option<CompactString>,
    pub birth: Option<Date>,
    pub activist: Option<Date>,
    pub admitted: Option<Date>,
}

impl PersonFacts {
    /// The text a category of the 年度发展计划 counts by (学历, 民族, 人员类别, 性别).
    pub fn text_by(&self, by: crate::schema::PlanBy) -> Option<&str> {
        use crate::schema::PlanBy;
        match by {
            PlanBy::Everyone => None,
            PlanBy::Education => self.education.as_deref(),
            PlanBy::Ethnicity => self.ethnicity.as_deref(),
            PlanBy::Category => self.category.as_deref(),
            PlanBy::Sex => self.sex.as_deref(),
        }
    }
}

/// A dossier as found: who, what stage, and each file with what was seen inside it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DossierReport {
    pub dossier: String,
    /// Held inline up to 24 bytes, as the person's: no heap block a dossier for either.
    pub branch: CompactString,
    pub name: CompactString,
    /// The stage key, when the dossier has a ledger row with a milestone.
    pub stage: Option<CompactString>,
    pub files: Vec<FileReport>,
    /// (document, date): the ledger date each document with a milestone records, for
    /// `dangan catalog` (gathered only when asked: `Options::dated`).
    #[serde(skip)]
    pub dated: Vec<(usize, DateValue)>,
    /// The folder's path in the archive where it is not `dossier` (grouping folders between
    /// branch and person, a branch audited on its own); see [`DossierReport::path`].
    #[serde(skip)]
    pub other_path: Option<Box<str>>,
}

impl DossierReport {
    /// The folder's path relative to the archive root.
    pub fn path(&self) -> &str {
        self.other_path.as_deref().unwrap_or(&self.dossier)
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FileReport {
    pub file: Box<str>,
    /// The document key the file was classified as (shared by every file of that document).
    pub document: Option<Arc<str>>,
    pub format: FileFormat,
    pub size: u64,
    pub pages: Option<u32>,
    pub dpi: Option<f64>,
    /// The documents inside a combined file, by its bookmarks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contents: Vec<FilePart>,
}

/// A document inside a combined file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct FilePart {
    pub document: Arc<str>,
    /// One-based first page, when the bookmark's destination could be followed.
    pub first_page: Option<u32>,
    pub pages: Option<u32>,
}

/// A `--shard` that is not `K/N` with 0 ≤ K < N: what was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”应写作 K/N（0 ≤ K < N），如 0/4")]
pub struct ShardSyntax(pub String);

/// Shard `index` of `count` (0-based, as Kubernetes' JOB_COMPLETION_INDEX).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `K/N` with 0 ≤ K < N.
    pub fn parse(s: &str) -> Result<Shard, ShardSyntax> {
        let err = || ShardSyntax(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(err)?;
        let index: u32 = k.trim().parse().map_err(|_| err())?;
        let count: u32 = n.trim().parse().map_err(|_| err())?;
        if count == 0 || index >= count {
            return Err(err());
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard audits a branch (FNV-1a of the normalised name: stable everywhere).
    pub fn owns(&self, branch: &str) -> bool {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in normalize(branch).bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        (h % u64::from(self.count)) as u32 == self.index
    }
}

/// One dossier file's content fingerprint, for duplicates across shards.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fingerprint {
    pub file: String,
    pub dossier: String,
    pub branch: String,
    pub name: String,
    pub document: Option<String>,
    pub size: u64,
    /// xxh3-128, hex.
    pub hash: String,
}

/// What a shard adds to its JSON report.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardData {
    #[serde(flatten)]
    pub shard: Shard,
    /// Files at the archive's root, counted by shard 0 only in `summary.files`.
    pub fingerprints: Vec<Fingerprint>,
    pub people: Vec<PersonFacts>,
    /// The plan rows of the shard's branches (absent in reports of older versions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plan: Vec<crate::ledger::plan::PlanRow>,
    /// What the shard's run was: shards of different runs are never merged (absent in
    /// reports of older versions).
    #[serde(default)]
    pub run: Option<RunIdentity>,
}

/// The archive, rule set, scope and waivers a shard was audited with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// A hash of the archive root's name and the names directly inside it (the same wherever
    /// the archive is mounted).
    pub archive: String,
    /// `Config::fingerprint`.
    pub rules: String,
    pub since: Option<jiff::civil::Date>,
    /// A hash of the waiver file, if one was applied.
    pub waivers: Option<String>,
}

impl RunIdentity {
    /// What differs from `other`, in words (None when nothing does).
    pub(crate) fn differs(&self, other: &RunIdentity) -> Option<&'static str> {
        if self.archive != other.archive {
            Some("档案文件夹")
        } else if self.rules != other.rules {
            Some("规则文件")
        } else if self.since != other.since {
            Some("审核范围（--since）")
        } else if self.waivers != other.waivers {
            Some("豁免文件")
        } else {
            None
        }
    }
}
