//! The people: ledger rows merged and joined to the dossiers, and what the reports keep of
//! them (the committee's facts, the dates documents record, the per-dossier file lists).

use crate::classify::Class;
use jiff::civil::Date;

use std::sync::Arc;

use compact_str::CompactString;

use super::Options;
use super::files::Files;
use super::sheets::Sheets;
use crate::config::Config;
use crate::join::{attach_resumes, join};
use crate::ledger::catalog_sheet::CatalogEntry;
use crate::ledger::{LedgerRow, ResumeEntry};
use crate::results::{DossierReport, FilePart, FileReport, PersonFacts};
use crate::walk::{Archive, PerFile};

/// The people: ledger rows merged, joined to the dossiers, resumes attached.
pub(super) struct Joined {
    pub(super) ledger: Vec<LedgerRow>,
    /// In a shard, the rows of other shards' branches.
    pub(super) foreign_rows: Vec<LedgerRow>,
    pub(super) people: Vec<crate::join::Person>,
    pub(super) resumes: Vec<ResumeEntry>,
    pub(super) orphan_resumes: Vec<usize>,
    pub(super) catalogs: Vec<CatalogEntry>,
    /// Catalog rows (outside any dossier) that matched nobody.
    pub(super) orphan_catalog: Vec<usize>,
    pub(super) plan: Vec<crate::ledger::plan::PlanRow>,
    pub(super) unread_catalogs: Vec<(usize, usize)>,
    pub(super) person_of_dossier: Vec<Option<usize>>,
    pub(super) person_of_row: Vec<Option<usize>>,
    pub(super) loose_recognised: Vec<bool>,
    pub(super) ledger_found: bool,
    pub(super) near_miss: Option<String>,
}

pub(super) fn join_people(
    config: &Config,
    options: &Options,
    archive: &Archive,
    sheets: Sheets,
) -> Joined {
    let shard = options.shard;
    let owns = |branch: &str| shard.is_none_or(|s| s.owns(branch));
    let (mut ledger, _) = crate::ledger::merge::merge_people(sheets.ledger, config);
    for (i, row) in ledger.iter_mut().enumerate() {
        row.seq = i;
    }
    // In a shard, the rows of other shards' branches are kept aside: they are not this shard's
    // people, but an ID number they share with a row here is still a repeat.
    // (Without shards every row is the run's own: the list is kept as it is, not copied.)
    let (mut ledger, foreign_rows): (Vec<LedgerRow>, Vec<LedgerRow>) = match shard {
        None => (ledger, Vec::new()),
        Some(_) => ledger
            .into_iter()
            .partition(|r| owns(r.branch(config).unwrap_or_default())),
    };
    let mut resumes = sheets.resumes;
    let mut people = join(config, &archive.dossiers, &ledger);
    let mut orphan_resumes =
        attach_resumes(config, &mut people, &ledger, &resumes, &sheets.resume_owner);
    let mut orphan_catalog = crate::join::attach_catalogs(
        config,
        &mut people,
        &ledger,
        &sheets.catalogs.entries,
        &sheets.catalogs.owner,
        &sheets.catalogs.branch,
    );
    if shard.is_some() {
        let theirs = of_foreign_row(config, &foreign_rows);
        orphan_resumes.retain(|&i| !theirs(resumes[i].id_number(), resumes[i].name()));
        orphan_catalog.retain(|&i| {
            let e = &sheets.catalogs.entries[i];
            !theirs(e.id_number.as_deref(), e.name.as_deref())
        });
    }
    // Names and ID numbers of resume rows served the matching; keep them only where a finding
    // will name them. The big lists are trimmed to their length.
    let mut orphan = vec![false; resumes.len()];
    for &i in &orphan_resumes {
        orphan[i] = true;
    }
    for (e, keep) in resumes.iter_mut().zip(orphan) {
        if !keep {
            e.owner = None;
        }
    }
    resumes.shrink_to_fit();
    ledger.shrink_to_fit();
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
    Joined {
        ledger,
        foreign_rows,
        people,
        resumes,
        orphan_resumes,
        catalogs: sheets.catalogs.entries,
        orphan_catalog,
        // In a shard, the plan rows of its own branches.
        plan: sheets
            .plan
            .into_iter()
            .filter(|r| owns(&r.branch))
            .collect(),
        unread_catalogs: sheets.catalogs.unread,
        person_of_dossier,
        person_of_row,
        loose_recognised: sheets.loose_recognised,
        ledger_found: sheets.ledger_found,
        near_miss: sheets.near_miss,
    }
}

/// Whether a resume row is of a person of another shard's branch (that shard checks it):
/// the ID numbers and names of those rows, and the test.
pub(super) fn of_foreign_row(
    config: &Config,
    foreign_rows: &[LedgerRow],
) -> impl Fn(Option<&str>, Option<&str>) -> bool + use<> {
    let mut ids = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for r in foreign_rows {
        if let Some(id) = r.text(config.keys.id_number) {
            ids.insert(crate::idnum::normalize(id));
        }
        if let Some(name) = r.text(Some(config.keys.name)) {
            names.insert(crate::text::normalize(name));
        }
    }
    move |id: Option<&str>, name: Option<&str>| match (id, name) {
        (Some(id), _) => ids.contains(&crate::idnum::normalize(id)),
        (None, Some(name)) => names.contains(&crate::text::normalize(name)),
        (None, None) => false,
    }
}

/// A combined file without bookmarks whose dossier's catalog tiles its pages gets the
/// catalog's rows as its parts (see `crate::holdings`).
pub(super) fn combined_from_catalogs(
    config: &Config,
    archive: &Archive,
    classes: &PerFile<Class>,
    files: &mut Files,
    joined: &Joined,
) {
    crate::holdings::place_combined(
        config,
        archive,
        classes,
        &files.inspections,
        &mut files.parts,
        &joined.people,
        &joined.catalogs,
    );
}

/// Each person in scope with the ledger facts the committee's statistics need.
pub(super) fn person_facts(
    config: &Config,
    as_of: Date,
    archive: &Archive,
    ledger: &[LedgerRow],
    people: &[crate::join::Person],
    in_scope: &[bool],
) -> Vec<PersonFacts> {
    let text = |r: Option<usize>, key: &str| {
        let f = config.field(key)?;
        ledger[r?].text(Some(f)).map(CompactString::from)
    };
    let date =
        |r: Option<usize>, key: &str| match config.field(key).and_then(|f| ledger[r?].value(f)) {
            Some(crate::ledger::FieldValue::Date(d) | crate::ledger::FieldValue::Either(d, _)) => {
                Some(d.earliest())
            }
            Some(crate::ledger::FieldValue::Range(d, _)) => Some(d.earliest()),
            _ => None,
        };
    people
        .iter()
        .filter(|p| in_scope[p.index])
        .map(|p| PersonFacts {
            index: p.index,
            branch: p.branch.as_str().into(),
            name: p.name.as_str().into(),
            dossier: p.dossier.map(|d| archive.dossiers[d].rel.to_string()),
            stage: p.stage.map(|s| config.stages[s].key.as_str().into()),
            stage_title: p.stage.map(|s| config.stages[s].title.as_str().into()),
            id_number: text(p.row, "id_number"),
            sex: text(p.row, "sex"),
            ethnicity: text(p.row, "ethnicity"),
            education: text(p.row, "education"),
            category: text(p.row, "category"),
            birth: p
                .row
                .and_then(|r| ledger[r].id_birth(config.keys.id_number, as_of))
                .or_else(|| date(p.row, "birth")),
            activist: date(p.row, "activist"),
            admitted: date(p.row, "admitted"),
        })
        .collect()
}

/// For each person, the ledger date each document with a milestone records (入党申请书 →
/// 申请入党时间); nothing unless asked (`Options::dated`).
pub(super) fn documents_dated(
    config: &Config,
    options: &Options,
    ledger: &[LedgerRow],
    people: &[crate::join::Person],
) -> Vec<Vec<(usize, crate::date::DateValue)>> {
    if !options.dated {
        return Vec::new();
    }
    let with_milestone: Vec<(usize, crate::schema::MilestoneRef)> = config
        .documents
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((i, d.milestone?)))
        .collect();
    people
        .iter()
        .map(|p| {
            let Some(row) = p.row.map(|r| &ledger[r]) else {
                return Vec::new();
            };
            with_milestone
                .iter()
                .filter_map(|&(doc, m)| Some((doc, row.milestone(m)?)))
                .collect()
        })
        .collect()
}

/// The per-dossier file lists of the reports, for the people in scope. The archive's paths
/// are moved into them, not copied; document keys are shared.
pub(super) fn dossier_reports(
    config: &Config,
    people: &[crate::join::Person],
    in_scope: &[bool],
    mut dirs: Vec<crate::walk::DossierDir>,
    classes: PerFile<Class>,
    files: Files,
    mut dated: Vec<Vec<(usize, crate::date::DateValue)>>,
) -> Vec<DossierReport> {
    let Files {
        inspections, parts, ..
    } = files;
    let doc_keys: Vec<Arc<str>> = config
        .documents
        .iter()
        .map(|d| Arc::from(d.key.as_str()))
        .collect();
    people
        .iter()
        .filter(|p| in_scope[p.index])
        .filter_map(|p| {
            let d = p.dossier?;
            let dir = &mut dirs[d];
            Some(DossierReport {
                other_path: dir.other_path.take(),
                dated: dated
                    .get_mut(p.index)
                    .map(std::mem::take)
                    .unwrap_or_default(),
                dossier: std::mem::take(&mut dir.rel).into_string(),
                branch: p.branch.clone(),
                name: p.name.clone(),
                stage: p.stage.map(|s| config.stages[s].key.as_str().into()),
                files: std::mem::take(&mut dir.files)
                    .into_iter()
                    .zip(&classes[d])
                    .zip(&inspections[d])
                    .enumerate()
                    .map(|(k, ((f, c), i))| FileReport {
                        file: f.rel,
                        document: c.get().map(|c| Arc::clone(&doc_keys[c])),
                        format: i.format,
                        size: f.size,
                        pages: i.pages,
                        dpi: i.dpi.map(|d| d.round()),
                        contents: parts
                            .get(d, k)
                            .iter()
                            .map(|p| FilePart {
                                document: Arc::clone(&doc_keys[p.document]),
                                first_page: p.first_page,
                                pages: p.pages,
                            })
                            .collect(),
                    })
                    .collect(),
            })
        })
        .collect()
}
