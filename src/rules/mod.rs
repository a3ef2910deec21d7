//! Rule kinds: generic checks that the YAML rule set instantiates. Never touches the
//! filesystem; reads the joined model and returns findings.
//!
//! One module per family of kinds; each kind documents its YAML keys and message variables in
//! [`kind_doc`], which `dangan explain ID` prints.
//!
//! | kind | module |
//! |---|---|
//! | required-documents, unrecognized-file, ambiguous-file, combined-file-unverifiable | [`documents`] |
//! | unreadable-file, empty-file, format-mismatch, low-resolution, duplicate-file, ledger-not-found | [`files`] |
//! | unmatched-dossier, unmatched-ledger-row, unmatched-resume, duplicate-person, id-number, birth-date-match, ledger-conflict, id-number-mismatch | [`identity`] |
//! | invalid-date, ambiguous-month | [`dates`] |
//! | missing-milestone, milestone-order | [`order`] |
//! | interval | [`interval`] |
//! | layout-ambiguous | [`layout`] |
//! | resume-gap, resume-overlap, resume-reversed | [`resume`] |

pub mod dates;
pub mod documents;
pub mod files;
pub mod identity;
pub mod interval;
pub mod layout;
pub mod order;
pub mod resume;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::{Config, End, Kind, MilestoneRef, Rule};
use crate::date::DateValue;
use crate::finding::{Finding, Location};
use crate::inspect::Inspection;
use crate::join::Person;
use crate::ledger::{FieldValue, LedgerRow, ResumeEntry};
use crate::text::render;
use crate::walk::{Archive, PerFile};

/// Something that could not be read: a walk error or a spreadsheet that would not open.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub rel: String,
    pub detail: String,
    pub dossier: Option<usize>,
}

/// Everything the rules look at.
pub struct Context<'a> {
    pub config: &'a Config,
    pub as_of: Date,
    pub archive: &'a Archive,
    /// For each dossier, for each of its files: the document it is.
    pub classes: &'a PerFile<Option<usize>>,
    pub ledger: &'a [LedgerRow],
    pub ledger_found: bool,
    /// Without a ledger: the sheet that came nearest one, in words.
    pub ledger_near_miss: Option<&'a str>,
    pub resumes: &'a [ResumeEntry],
    pub people: &'a [Person],
    /// For each dossier, the person it belongs to.
    pub person_of_dossier: &'a [Option<usize>],
    /// For each ledger row, the person it belongs to.
    pub person_of_row: &'a [Option<usize>],
    /// For each loose file (root or branch folder): whether it is a ledger or resume sheet.
    pub loose_recognised: &'a [bool],
    pub unreadable: &'a [Unreadable],
    /// The paths in `unreadable`, for a constant-time "already reported" check per file.
    pub unreadable_paths: &'a std::collections::HashSet<&'a str>,
    /// Resume entries (from sheets outside any dossier) that matched nobody.
    pub orphan_resumes: &'a [usize],
    /// For each dossier, for each of its files: what was found inside.
    pub inspections: &'a PerFile<Inspection>,
    /// For each dossier, for each of its files: the documents its bookmarks name.
    pub parts: &'a crate::classify::Parts,
    /// For each loose file: what was found inside.
    pub loose_inspections: &'a [Inspection],
    /// Groups of byte-identical dossier files, as (dossier, file) pairs in archive order.
    pub duplicate_groups: &'a [Vec<(usize, usize)>],
    /// In a sharded run, the ledger rows of the other shards' branches (for repeated IDs).
    pub foreign_rows: &'a [LedgerRow],
}

impl Context<'_> {
    /// Whether a file was already reported as unreadable (one defect, one finding).
    pub fn is_unreadable(&self, rel: &str) -> bool {
        self.unreadable_paths.contains(rel)
    }

    /// The person a dossier belongs to.
    pub fn dossier_person(&self, d: usize) -> Option<&Person> {
        self.person_of_dossier[d].map(|p| &self.people[p])
    }

    /// Every file in the archive with its dossier (None for loose files) and inspection.
    pub fn all_files(
        &self,
    ) -> impl Iterator<
        Item = (
            Option<usize>,
            &crate::walk::FileEntry,
            &Inspection,
            Option<usize>,
        ),
    > {
        let dossier_files = self
            .archive
            .dossiers
            .iter()
            .enumerate()
            .flat_map(move |(d, dir)| {
                dir.files
                    .iter()
                    .zip(&self.inspections[d])
                    .zip(&self.classes[d])
                    .map(move |((f, i), c)| (Some(d), f, i, *c))
            });
        let loose = self
            .archive
            .loose
            .iter()
            .zip(self.loose_inspections)
            .map(|(f, i)| (None, f, i, None));
        dossier_files.chain(loose)
    }

    pub fn row(&self, p: &Person) -> Option<&LedgerRow> {
        p.row.map(|r| &self.ledger[r])
    }

    /// The value of a milestone for a person: a date, or None when empty or unusable.
    /// `birth` comes from the ID number when it is valid, else from the ledger.
    pub fn milestone(&self, row: &LedgerRow, m: MilestoneRef) -> Option<DateValue> {
        if Some(m.field) == self.config.birth_field
            && let Some(b) = self.id_birth(row)
        {
            return Some(DateValue::day(b));
        }
        match row.value(m.field)? {
            FieldValue::Range(a, b) => Some(if m.end == End::Start { *a } else { *b }),
            v => v.date(),
        }
    }

    pub fn id_birth(&self, row: &LedgerRow) -> Option<Date> {
        row.id_birth(self.config.id_field, self.as_of)
    }

    /// A finding about one line of a person's resume (subject `resume`, at its date cell).
    pub fn resume_finding(
        &self,
        rule: &Rule,
        person: &Person,
        entry: &ResumeEntry,
        vars: &[(&str, &str)],
    ) -> Finding {
        self.finding(
            rule,
            Some(person),
            Some("resume".into()),
            None,
            Some(entry.location()),
            vars,
        )
    }

    /// A finding about a person, with the rule's message rendered from `vars`
    /// (`name`, `branch` and `dossier` are always available).
    pub fn finding(
        &self,
        rule: &Rule,
        person: Option<&Person>,
        subject: Option<String>,
        file: Option<String>,
        location: Option<Location>,
        vars: &[(&str, &str)],
    ) -> Finding {
        let dossier = person
            .and_then(|p| p.dossier)
            .map(|d| self.archive.dossiers[d].rel.clone());
        let name = person.map(|p| p.name.clone()).filter(|n| !n.is_empty());
        let branch = person.map(|p| p.branch.clone()).filter(|b| !b.is_empty());
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(vars.len() + 3);
        all.push(("name", name.as_deref().unwrap_or("")));
        all.push(("branch", branch.as_deref().unwrap_or("")));
        all.push(("dossier", dossier.as_deref().unwrap_or("")));
        all.extend_from_slice(vars);
        let message = render(&rule.message, &all);
        Finding {
            rule: rule.id.clone(),
            severity: rule.severity,
            branch,
            dossier,
            name,
            subject,
            file: file.or_else(|| location.as_ref().map(|l| l.file.clone())),
            message,
            basis: rule.basis.clone(),
            location,
            waived: None,
            rule_order: 0,
            person: person.map(|p| p.index),
        }
    }
}

/// Run every enabled rule. Rules run in parallel; the result is sorted.
///
/// A month typed as the number 2021.1 reads two ways (January, or October with its 0
/// dropped). The rules then run once more for each other reading, and a finding about a person
/// with such a cell stands only if every reading gives it: dangan reports what it knows, not
/// what it guessed.
pub fn run(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings = run_once(ctx);
    let ambiguous: Vec<usize> = ctx
        .people
        .iter()
        .map(|p| {
            ctx.row(p).map_or(0, LedgerRow::ambiguous_cells)
                + p.resume
                    .iter()
                    .filter(|&&e| ctx.resumes[e].alt.is_some())
                    .count()
        })
        .collect();
    // Cells of one person beyond the third share a switch: 8 readings at most.
    let bits = ambiguous.iter().copied().max().unwrap_or(0).min(3);
    if bits == 0 {
        return findings;
    }
    type Key = (String, usize, Option<String>);
    let key = |f: &Finding| f.person.map(|p| (f.rule.clone(), p, f.subject.clone()));
    let mut keep: std::collections::HashSet<Key> = findings
        .iter()
        .filter(|f| f.person.is_some_and(|p| ambiguous[p] > 0))
        .filter_map(key)
        .collect();
    for reading in 1u32..(1 << bits) {
        // The n-th ambiguous cell of a person takes the other reading when bit n of `reading`
        // is set.
        let flip = |n: &mut u32| {
            let on = reading & (1 << (*n % bits as u32)) != 0;
            *n += 1;
            on
        };
        let mut counters = vec![0u32; ctx.people.len()];
        let mut ledger: Vec<LedgerRow> = ctx.ledger.to_vec();
        for (r, row) in ledger.iter_mut().enumerate() {
            if row.ambiguous_cells() > 0
                && let Some(p) = ctx.person_of_row[r]
            {
                *row = row.with_readings(|| flip(&mut counters[p]));
            }
        }
        let mut resumes: Vec<ResumeEntry> = ctx.resumes.to_vec();
        for p in ctx.people {
            for &e in &p.resume {
                if resumes[e].alt.is_some() && flip(&mut counters[p.index]) {
                    resumes[e] = resumes[e].other_reading();
                }
            }
        }
        let other = Context {
            ledger: &ledger,
            resumes: &resumes,
            ..*ctx
        };
        let found: std::collections::HashSet<Key> =
            run_once(&other).iter().filter_map(key).collect();
        keep.retain(|k| found.contains(k));
    }
    findings.retain(|f| match key(f) {
        Some(k) if ambiguous[k.1] > 0 => keep.contains(&k),
        _ => true,
    });
    findings
}

fn run_once(ctx: &Context<'_>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = ctx
        .config
        .rules
        .par_iter()
        .enumerate()
        .filter(|(_, r)| r.enabled)
        .flat_map_iter(|(order, rule)| {
            let mut out = Vec::new();
            check(ctx, rule, &mut out);
            for f in &mut out {
                f.rule_order = order;
            }
            out
        })
        .collect();
    sort(&mut findings);
    findings
}

fn check(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    match rule.kind {
        Kind::RequiredDocuments => documents::required(ctx, rule, out),
        Kind::UnrecognizedFile => documents::unrecognized(ctx, rule, out),
        Kind::UnreadableFile => files::unreadable(ctx, rule, out),
        Kind::EmptyFile => files::empty(ctx, rule, out),
        Kind::FormatMismatch => files::format_mismatch(ctx, rule, out),
        Kind::LowResolution => files::low_resolution(ctx, rule, out),
        Kind::DuplicateFile => files::duplicate(ctx, rule, out),
        Kind::LedgerNotFound => files::ledger_not_found(ctx, rule, out),
        Kind::UnmatchedDossier => identity::unmatched_dossier(ctx, rule, out),
        Kind::UnmatchedLedgerRow => identity::unmatched_row(ctx, rule, out),
        Kind::UnmatchedResume => identity::unmatched_resume(ctx, rule, out),
        Kind::DuplicatePerson => identity::duplicate_person(ctx, rule, out),
        Kind::IdNumber => identity::id_number(ctx, rule, out),
        Kind::BirthDateMatch => identity::birth_date(ctx, rule, out),
        Kind::InvalidDate => dates::invalid(ctx, rule, out),
        Kind::MissingMilestone => order::missing(ctx, rule, out),
        Kind::MilestoneOrder => order::order(ctx, rule, out),
        Kind::Interval => interval::interval(ctx, rule, out),
        Kind::ResumeGap => resume::gap(ctx, rule, out),
        Kind::ResumeOverlap => resume::overlap(ctx, rule, out),
        Kind::ResumeReversed => resume::reversed(ctx, rule, out),
        Kind::AmbiguousMonth => dates::ambiguous_month(ctx, rule, out),
        Kind::LedgerConflict => identity::ledger_conflict(ctx, rule, out),
        Kind::IdNumberMismatch => identity::id_number_mismatch(ctx, rule, out),
        Kind::AmbiguousFile => documents::ambiguous(ctx, rule, out),
        Kind::LayoutAmbiguous => layout::ambiguous(ctx, rule, out),
        Kind::CombinedFileUnverifiable => documents::combined(ctx, rule, out),
        // Waivers are weighed after the audit, by `triage`.
        Kind::WaiverExpired | Kind::WaiverUnused => {}
    }
}

/// Branch, dossier (ledger-only rows last), rule order, then place.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            &a.branch,
            a.dossier.is_none(),
            &a.dossier,
            &a.name,
            a.rule_order,
            &a.location,
            &a.file,
            &a.subject,
        )
            .cmp(&(
                &b.branch,
                b.dossier.is_none(),
                &b.dossier,
                &b.name,
                b.rule_order,
                &b.location,
                &b.file,
                &b.subject,
            ))
    });
}

const WAIVER_EXPIRED_DOC: &str = "\
kind: waiver-expired — --waivers 文件中的一条豁免已过期（expires 早于审核基准日）：它不再生效，
被它豁免的问题重新计入。参数：无。消息变量：{file}、{line}、{rule}、{expires}、{approved_by}。";

const WAIVER_UNUSED_DOC: &str = "\
kind: waiver-unused — --waivers 文件中的一条豁免没有对应任何问题（问题已整改，或写错了规则、档案）：
应当删除。参数：无。消息变量：{file}、{line}、{rule}、{expires}、{approved_by}。";

/// What each kind does and which YAML keys it takes; printed by `dangan explain`.
pub fn kind_doc(kind: Kind) -> &'static str {
    match kind {
        Kind::RequiredDocuments => documents::REQUIRED_DOC,
        Kind::UnrecognizedFile => documents::UNRECOGNIZED_DOC,
        Kind::UnreadableFile => files::UNREADABLE_DOC,
        Kind::EmptyFile => files::EMPTY_DOC,
        Kind::FormatMismatch => files::FORMAT_MISMATCH_DOC,
        Kind::LowResolution => files::LOW_RESOLUTION_DOC,
        Kind::DuplicateFile => files::DUPLICATE_DOC,
        Kind::LedgerNotFound => files::LEDGER_NOT_FOUND_DOC,
        Kind::UnmatchedDossier => identity::UNMATCHED_DOSSIER_DOC,
        Kind::UnmatchedLedgerRow => identity::UNMATCHED_ROW_DOC,
        Kind::UnmatchedResume => identity::UNMATCHED_RESUME_DOC,
        Kind::DuplicatePerson => identity::DUPLICATE_DOC,
        Kind::IdNumber => identity::ID_NUMBER_DOC,
        Kind::BirthDateMatch => identity::BIRTH_DATE_DOC,
        Kind::InvalidDate => dates::INVALID_DOC,
        Kind::MissingMilestone => order::MISSING_DOC,
        Kind::MilestoneOrder => order::ORDER_DOC,
        Kind::Interval => interval::INTERVAL_DOC,
        Kind::ResumeGap => resume::GAP_DOC,
        Kind::ResumeOverlap => resume::OVERLAP_DOC,
        Kind::ResumeReversed => resume::REVERSED_DOC,
        Kind::AmbiguousMonth => dates::AMBIGUOUS_MONTH_DOC,
        Kind::LedgerConflict => identity::LEDGER_CONFLICT_DOC,
        Kind::IdNumberMismatch => identity::ID_MISMATCH_DOC,
        Kind::AmbiguousFile => documents::AMBIGUOUS_DOC,
        Kind::LayoutAmbiguous => layout::AMBIGUOUS_DOC,
        Kind::CombinedFileUnverifiable => documents::COMBINED_DOC,
        Kind::WaiverExpired => WAIVER_EXPIRED_DOC,
        Kind::WaiverUnused => WAIVER_UNUSED_DOC,
    }
}

/// The source file a kind lives in, so a reader can go from a rule id to its code.
pub fn kind_module(kind: Kind) -> &'static str {
    match kind {
        Kind::RequiredDocuments
        | Kind::UnrecognizedFile
        | Kind::AmbiguousFile
        | Kind::CombinedFileUnverifiable => "src/rules/documents.rs",
        Kind::UnreadableFile
        | Kind::LedgerNotFound
        | Kind::EmptyFile
        | Kind::FormatMismatch
        | Kind::LowResolution
        | Kind::DuplicateFile => "src/rules/files.rs",
        Kind::UnmatchedDossier
        | Kind::UnmatchedLedgerRow
        | Kind::UnmatchedResume
        | Kind::DuplicatePerson
        | Kind::IdNumber
        | Kind::BirthDateMatch
        | Kind::LedgerConflict
        | Kind::IdNumberMismatch => "src/rules/identity.rs",
        Kind::InvalidDate | Kind::AmbiguousMonth => "src/rules/dates.rs",
        Kind::MissingMilestone | Kind::MilestoneOrder => "src/rules/order.rs",
        Kind::Interval => "src/rules/interval.rs",
        Kind::LayoutAmbiguous => "src/rules/layout.rs",
        Kind::ResumeGap | Kind::ResumeOverlap | Kind::ResumeReversed => "src/rules/resume.rs",
        Kind::WaiverExpired | Kind::WaiverUnused => "src/triage.rs",
    }
}
