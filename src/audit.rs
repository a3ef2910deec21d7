//! The pipeline: walk → classify → read spreadsheets → join → rules. One way, no cycles.

use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::classify::Classifier;
use crate::config::Config;
use crate::finding::{Finding, Severity};
use crate::join::{attach_resumes, join};
use crate::ledger::{DateBounds, HeaderIndex, LedgerRow, ResumeEntry, Workbook, read_workbook};
use crate::rules::{self, Context, Unreadable};
use crate::walk::{Ignore, describe_io, walk};

/// Counts for the report header.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub dossiers: usize,
    pub ledger_rows: usize,
    pub files: usize,
    pub findings: Counts,
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
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
}

/// The archive itself cannot be audited.
#[derive(Debug, thiserror::Error)]
#[error("无法读取档案文件夹 {path}：{detail}")]
pub struct ArchiveError {
    pub path: String,
    pub detail: String,
}

/// A spreadsheet to read, and whose it is.
enum Sheet {
    Loose(usize),
    Dossier(usize, usize),
}

pub fn audit(config: &Config, root: &Path, as_of: Date) -> Result<AuditResult, ArchiveError> {
    let ignore = Ignore {
        names: &config.ignore_names,
        prefixes: &config.ignore_prefixes,
    };
    let archive = walk(root, &ignore).map_err(|e| ArchiveError {
        path: root.display().to_string(),
        detail: describe_io(&e),
    })?;

    // Classify every dossier file by name.
    let classifier = Classifier::new(&config.documents);
    let mut classes: Vec<Vec<Option<usize>>> = archive
        .dossiers
        .par_iter()
        .map(|d| {
            d.files
                .iter()
                .map(|f| classifier.classify(f.stem()))
                .collect()
        })
        .collect();

    // Spreadsheets: loose ones may be ledgers or resume sheets; a dossier's own spreadsheet
    // that names no other document may be that person's resume.
    let resume_doc = config.documents.iter().position(|d| d.key == "resume");
    let mut jobs: Vec<Sheet> = Vec::new();
    for (i, f) in archive.loose.iter().enumerate() {
        if f.is_spreadsheet() {
            jobs.push(Sheet::Loose(i));
        }
    }
    for (d, dossier) in archive.dossiers.iter().enumerate() {
        for (i, f) in dossier.files.iter().enumerate() {
            if f.is_spreadsheet() && (classes[d][i].is_none() || classes[d][i] == resume_doc) {
                jobs.push(Sheet::Dossier(d, i));
            }
        }
    }
    let headers = HeaderIndex::new(config);
    let bounds = DateBounds {
        earliest: config.earliest,
        as_of,
    };
    let books: Vec<Workbook> = jobs
        .par_iter()
        .map(|job| match *job {
            Sheet::Loose(i) => {
                let f = &archive.loose[i];
                let branch = f.rel.split_once('/').map(|(b, _)| b);
                read_workbook(f, branch, config, &headers, bounds)
            }
            Sheet::Dossier(d, i) => read_workbook(
                &archive.dossiers[d].files[i],
                None,
                config,
                &headers,
                bounds,
            ),
        })
        .collect();

    let mut ledger: Vec<LedgerRow> = Vec::new();
    let mut resumes: Vec<ResumeEntry> = Vec::new();
    let mut resume_owner: Vec<Option<usize>> = Vec::new();
    let mut loose_recognised = vec![false; archive.loose.len()];
    let mut ledger_found = false;
    let mut unreadable: Vec<Unreadable> = archive
        .problems
        .iter()
        .map(|p| Unreadable {
            rel: p.rel.clone(),
            detail: p.detail.clone(),
            dossier: p.dossier,
        })
        .collect();
    for (job, book) in jobs.iter().zip(books) {
        let (rel, dossier) = match *job {
            Sheet::Loose(i) => (&archive.loose[i].rel, None),
            Sheet::Dossier(d, i) => (&archive.dossiers[d].files[i].rel, Some(d)),
        };
        if let Some(problem) = book.problem {
            unreadable.push(Unreadable {
                rel: rel.clone(),
                detail: problem,
                dossier,
            });
        }
        match *job {
            Sheet::Loose(i) => {
                loose_recognised[i] = book.recognised;
                ledger_found |= book.has_ledger;
                ledger.extend(book.ledger_rows);
            }
            Sheet::Dossier(d, i) => {
                if book.recognised && resume_doc.is_some() {
                    classes[d][i] = resume_doc;
                }
            }
        }
        resume_owner.extend(std::iter::repeat_n(dossier, book.resume_entries.len()));
        resumes.extend(book.resume_entries);
    }

    let mut people = join(config, &archive.dossiers, &ledger);
    let orphan_resumes = attach_resumes(config, &mut people, &ledger, &resumes, &resume_owner);
    let mut person_of_dossier = vec![None; archive.dossiers.len()];
    let mut person_of_row = vec![None; ledger.len()];
    for (i, p) in people.iter().enumerate() {
        if let Some(d) = p.dossier {
            person_of_dossier[d] = Some(i);
        }
        if let Some(r) = p.row {
            person_of_row[r] = Some(i);
        }
    }

    let ctx = Context {
        config,
        as_of,
        archive: &archive,
        classes: &classes,
        ledger: &ledger,
        ledger_found,
        resumes: &resumes,
        people: &people,
        person_of_dossier: &person_of_dossier,
        person_of_row: &person_of_row,
        loose_recognised: &loose_recognised,
        unreadable: &unreadable,
        orphan_resumes: &orphan_resumes,
    };
    let findings = rules::run(&ctx);
    Ok(AuditResult {
        as_of,
        summary: Summary {
            dossiers: archive.dossiers.len(),
            ledger_rows: ledger.len(),
            files: archive.file_count(),
            findings: Counts::of(&findings),
        },
        findings,
    })
}
