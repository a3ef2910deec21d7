//! The spreadsheets: which to read, reading them (ahead or now), and sorting their rows into
//! ledger, resumes, catalogs and plans.

use crate::classify::Class;
use rayon::prelude::*;

use std::sync::Arc;

use super::append;
use crate::config::Config;
use crate::inspect::Inspection;
use crate::ledger::catalog_sheet::CatalogEntry;
use crate::ledger::{LedgerRow, ResumeEntry, SheetRole, Workbook};
use crate::walk::{Archive, PerFile, Unreadable};

/// A spreadsheet to read, and whose it is.
pub(super) enum Sheet {
    Loose(usize),
    Dossier(usize, usize),
}

/// What the spreadsheets held.
pub(super) struct Sheets {
    pub(super) ledger: Vec<LedgerRow>,
    pub(super) resumes: Vec<ResumeEntry>,
    pub(super) catalogs: CatalogRows,
    /// 年度发展计划 and 支部名单 rows, from spreadsheets outside the dossiers.
    pub(super) plan: Vec<crate::ledger::plan::PlanRow>,
    /// For each resume entry, the dossier whose own spreadsheet it came from.
    pub(super) resume_owner: crate::join::Runs<Option<usize>>,
    /// For each loose file, whether it was a recognised ledger or resume sheet.
    pub(super) loose_recognised: Vec<bool>,
    /// Whether any sheet had a ledger header (even with no rows under it).
    pub(super) ledger_found: bool,
    /// Without a ledger: the sheet that came nearest one, in words.
    pub(super) near_miss: Option<String>,
}

/// The spreadsheets to read: every loose one, and a dossier's that names no document or
/// names a resume or a catalog. An empty or already broken file is reported once, by the
/// inspection, and not read.
pub(super) fn sheet_jobs(
    config: &Config,
    archive: &Archive,
    classes: &PerFile<Class>,
    inspections: &PerFile<Inspection>,
    loose_inspections: &[Inspection],
) -> Vec<Sheet> {
    let (resume_doc, catalog_doc) = (config.keys.resume, config.keys.catalog);
    let readable = |f: &crate::walk::FileEntry, i: &Inspection| f.size > 0 && i.problem().is_none();
    let mut jobs: Vec<Sheet> = Vec::new();
    for (i, f) in archive.loose.iter().enumerate() {
        if f.is_spreadsheet() && readable(f, &loose_inspections[i]) {
            jobs.push(Sheet::Loose(i));
        }
    }
    for (d, dossier) in archive.dossiers.iter().enumerate() {
        for (i, f) in dossier.files.iter().enumerate() {
            let class = classes[d][i].get();
            if f.is_spreadsheet()
                && readable(f, &inspections[d][i])
                && (class.is_none() || class == resume_doc || class == catalog_doc)
            {
                jobs.push(Sheet::Dossier(d, i));
            }
        }
    }
    jobs
}

/// Catalog rows as read, with where each came from.
#[derive(Default)]
pub(super) struct CatalogRows {
    pub(super) entries: Vec<CatalogEntry>,
    /// For each row, the dossier whose own spreadsheet it came from; else the branch folder
    /// its file lies in.
    pub(super) owner: Vec<Option<usize>>,
    pub(super) branch: Vec<Option<Arc<str>>>,
    /// (dossier, file) of spreadsheets named as catalogs (卷内目录.xlsx) in which no catalog
    /// sheet was found.
    pub(super) unread: Vec<(usize, usize)>,
}

impl CatalogRows {
    pub(super) fn add(
        &mut self,
        entries: Vec<CatalogEntry>,
        dossier: Option<usize>,
        branch: Option<&str>,
    ) {
        let n = entries.len();
        if n == 0 {
            return;
        }
        self.owner.extend(std::iter::repeat_n(dossier, n));
        self.branch
            .extend(std::iter::repeat_n(branch.map(Arc::from), n));
        append(&mut self.entries, entries);
    }
}

/// What a dossier's spreadsheet is, once read: a catalog when a sheet is one, else a resume
/// when a sheet is one. Whether it is named as a catalog (…目录.xlsx) and holds none.
pub(super) fn settle_dossier_sheet(
    config: &Config,
    class: &mut Option<usize>,
    book: &Workbook,
    rel: &str,
    unreadable: bool,
) -> bool {
    let catalog_doc = config.keys.catalog;
    let is_catalog = book.sheets.iter().any(|s| s.role == SheetRole::Catalog);
    let named = class.is_some() && *class == catalog_doc;
    if is_catalog && catalog_doc.is_some() {
        *class = catalog_doc;
    } else if book.recognised && config.keys.resume.is_some() {
        *class = config.keys.resume;
    }
    named && !is_catalog && !unreadable && rel.contains("目录")
}

/// Read the spreadsheets in parallel: loose ones may be ledgers or resume sheets; a dossier's
/// own spreadsheet that names no other document may be that person's resume (and is then
/// classified as one). A workbook that cannot be read joins `unreadable`.
pub(super) fn read_sheets(
    config: &Config,
    mut ahead: crate::ledger::ReadAhead<'_>,
    archive: &Archive,
    classes: &mut PerFile<Class>,
    inspections: &PerFile<Inspection>,
    loose_inspections: &[Inspection],
    unreadable: &mut Vec<Unreadable>,
) -> Sheets {
    let jobs = sheet_jobs(config, archive, classes, inspections, loose_inspections);
    let rel_of = |job: &Sheet| match *job {
        Sheet::Loose(i) => &archive.loose[i],
        Sheet::Dossier(d, i) => &archive.dossiers[d].files[i],
    };
    let read: Vec<Option<Workbook>> = jobs.iter().map(|j| ahead.take(&rel_of(j).rel)).collect();
    let books: Vec<Workbook> = jobs
        .par_iter()
        .zip(read)
        .map(|(job, read)| {
            let f = rel_of(job);
            let book = ahead.get(&archive.root, f, read);
            if let Sheet::Loose(_) = job {
                book.set_folder_branch(archive.layout.branch_of(&f.rel));
            }
            book
        })
        .collect();
    let mut ledger: Vec<LedgerRow> = Vec::new();
    let mut plan = Vec::new();
    let mut resumes: Vec<ResumeEntry> = Vec::new();
    let mut resume_owner = crate::join::Runs::default();
    let mut catalogs = CatalogRows::default();
    let mut loose_recognised = vec![false; archive.loose.len()];
    let mut ledger_found = false;
    let mut near: Vec<(&str, Vec<crate::ledger::SheetSurvey>)> = Vec::new();
    for (job, mut book) in jobs.iter().zip(books) {
        let (rel, dossier) = match *job {
            Sheet::Loose(i) => (&archive.loose[i].rel, None),
            Sheet::Dossier(d, i) => (&archive.dossiers[d].files[i].rel, Some(d)),
        };
        let unreadable_book = book.problem.is_some();
        if let Some(problem) = book.problem.take() {
            unreadable.push(Unreadable {
                rel: rel.to_string(),
                detail: problem,
                dossier,
            });
        }
        match *job {
            Sheet::Loose(i) => {
                loose_recognised[i] = book.recognised;
                ledger_found |= book.has_ledger;
                near.push((&archive.loose[i].rel, std::mem::take(&mut book.sheets)));
                append(&mut ledger, book.ledger_rows);
                append(&mut plan, book.plan_rows);
            }
            Sheet::Dossier(d, i) => {
                let mut class = classes[d][i].get();
                let catalog = settle_dossier_sheet(config, &mut class, &book, rel, unreadable_book);
                classes[d][i] = Class::of(class);
                if catalog {
                    catalogs.unread.push((d, i));
                }
            }
        }
        let branch = dossier
            .is_none()
            .then(|| archive.layout.branch_of(rel))
            .flatten();
        catalogs.add(book.catalog_entries, dossier, branch);
        resume_owner.push_n(dossier, book.resume_entries.len());
        append(&mut resumes, book.resume_entries);
    }
    Sheets {
        ledger,
        plan,
        resumes,
        resume_owner,
        catalogs,
        loose_recognised,
        near_miss: if ledger_found {
            None
        } else {
            crate::survey::near_miss(near.iter().map(|(f, s)| (*f, s.as_slice())), config)
        },
        ledger_found,
    }
}
