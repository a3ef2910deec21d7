//! Rule kinds: generic checks that the YAML rule set instantiates. Never touches the
//! filesystem; reads the joined model and returns findings.
//!
//! Each kind is one file here, named after it (`kind: resume-gap` lives in `resume_gap.rs`):
//! its parameters, their validation, its documentation and its check (see [`kind`]). The
//! registry below lists them, one line each. Helpers several kinds share are in [`shared`].
//!
//! ## Adding a kind
//!
//! 1. `src/rules/<kind>.rs`: the parameters (raw YAML and resolved), their validation with a
//!    message that names the YAML line ([`kind::Resolver::error`]), the check, what ledger
//!    columns it needs ([`kind::Parameters::needs`]: the survey lists it under 无法运行的检查
//!    where they are missing) and what documents it reads ([`kind::Parameters::reads`]).
//! 2. Its `pub mod` line and its registry line below. A registry line without its file does not
//!    compile; a kind left out of the registry is a name the default rules cannot load
//!    (`unknown variant`), so every test fails.
//! 3. A case in `tests/kinds.rs` (`every_kind_has_a_case` fails without one): a trigger and a
//!    near miss at each threshold (the day before and the day of an anniversary, the same day
//!    for an order, exactly at a limit).
//! 4. Its default rules, as below.
//!
//! ## Adding a default rule (of an existing kind)
//!
//! 1. `rules/default.yaml`: `id` (stable: reports and waivers use it), `kind`, `severity`,
//!    the Chinese `message`, `basis` (the article it enforces) and the kind's parameters; a
//!    rule that omits `severity` is an error, one that omits `enabled` is on.
//! 2. A fixture that triggers it and a near miss that must not:
//!    `every_default_rule_has_a_trigger_and_a_clean_near_miss` (tests/cli.rs) fails until one of
//!    its fixtures fires the rule. For the `defects` archive, append a defect person at the end
//!    of `defect_table` in `examples/gen_fixtures.rs`, with the findings it is there for
//!    (rule id, subject): a person inserted in the middle moves the cells pinned by tests (K15);
//!    the generator refuses a rule id that is no default rule, a finding planted twice, and a
//!    name used by two people. `cargo run --example gen_fixtures -- fixtures` rewrites the
//!    archive and `fixtures/defects.planted.tsv`, which
//!    `defects_archive_triggers_every_rule_exactly_where_planted` holds the audit to (every
//!    planted finding, once, and nothing else).
//! 3. `bash scripts/bless.sh`: the README's rule table and the snapshots in `tests/expected`
//!    are regenerated from the code; read the diff — every changed finding is one the change
//!    meant. The counts in tests/cli.rs are derived from the JSON, not typed.
//! 4. `cargo mutants --in-diff` on the change (docs/testing.md): every survivor killed by a
//!    test or listed, with its reason, in `.cargo/mutants.toml`.

pub mod kind;
pub mod shared;

pub mod ambiguous_file;
pub mod ambiguous_month;
pub mod birth_date_match;
pub mod branch_dormant;
pub mod catalog_date_mismatch;
pub mod catalog_item_missing;
pub mod catalog_unreadable;
pub mod combined_file_unverifiable;
pub mod content_unreadable;
pub mod document_date_mismatch;
pub mod document_of_another_person;
pub mod duplicate_file;
pub mod duplicate_person;
pub mod empty_file;
pub mod format_mismatch;
pub mod id_number;
pub mod id_number_mismatch;
pub mod interval;
pub mod invalid_date;
pub mod layout_ambiguous;
pub mod ledger_conflict;
pub mod ledger_header;
pub mod ledger_not_found;
pub mod low_resolution;
pub mod milestone_order;
pub mod missing_milestone;
pub mod named_people;
pub mod page_count_mismatch;
pub mod plan_shortfall;
pub mod probation_extension;
pub mod report_cadence;
pub mod required_documents;
pub mod resume_before_birth;
pub mod resume_gap;
pub mod resume_overlap;
pub mod resume_reversed;
pub mod theory_not_current;
pub mod training_length;
pub mod uncatalogued_document;
pub mod unmatched_dossier;
pub mod unmatched_ledger_row;
pub mod unmatched_resume;
pub mod unreadable_file;
pub mod unrecognized_file;
pub mod waiver_expired;
pub mod waiver_unused;
pub mod working_days;

pub use kind::{Need, Parameters, Reads, Resolver, Rule, RuleKind};

/// The registry: one line per kind, `Variant => module::Type`, in the order `dangan explain`
/// and the error messages list them. Generates [`Kind`], [`Params`] and the dispatch.
macro_rules! registry {
    ($($variant:ident => $module:ident :: $ty:ident,)*) => {
        /// The kinds of rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind {
            $($variant,)*
        }

        /// A rule's parameters, resolved: one variant per kind.
        #[derive(Debug)]
        pub enum Params {
            $($variant(<$module::$ty as RuleKind>::Params),)*
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The kind's name in YAML.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => <$module::$ty as RuleKind>::NAME,)*
                }
            }

            /// What it checks, its parameters and message variables; printed by `dangan explain`.
            pub fn doc(self) -> &'static str {
                match self {
                    $(Kind::$variant => <$module::$ty as RuleKind>::DOC,)*
                }
            }

            /// The source file the kind lives in.
            pub fn module(self) -> &'static str {
                match self {
                    $(Kind::$variant => concat!("src/rules/", stringify!($module), ".rs"),)*
                }
            }

            /// Weighed after the audit (by `crate::triage`), not by [`run`].
            pub fn after_audit(self) -> bool {
                match self {
                    $(Kind::$variant => <$module::$ty as RuleKind>::AFTER_AUDIT,)*
                }
            }

            pub fn from_name(name: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|k| k.name() == name)
            }

            /// Read and check a rule's parameters (the keys beyond the common ones).
            pub fn resolve(self, params: serde_yaml::Mapping, r: &mut Resolver<'_>) -> Option<Params> {
                match self {
                    $(Kind::$variant => {
                        let raw = kind::read_params::<$module::$ty>(params, r)?;
                        <<$module::$ty as RuleKind>::Params as Parameters>::resolve(raw, r)
                            .map(Params::$variant)
                    })*
                }
            }
        }

        impl Params {
            pub fn kind(&self) -> Kind {
                match self {
                    $(Params::$variant(_) => Kind::$variant,)*
                }
            }

            /// The ledger columns the rule cannot run without ([`Parameters::needs`]).
            pub fn needs(&self) -> Vec<kind::Need> {
                match self {
                    $(Params::$variant(p) => p.needs(),)*
                }
            }

            /// The documents whose text the rule reads ([`Parameters::reads`]).
            pub fn reads(&self) -> kind::Reads {
                match self {
                    $(Params::$variant(p) => p.reads(),)*
                }
            }
        }

        fn check(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
            match &rule.params {
                $(Params::$variant(p) => <$module::$ty as RuleKind>::check(ctx, rule, p, out),)*
            }
        }
    };
}

registry! {
    RequiredDocuments => required_documents::RequiredDocuments,
    UnrecognizedFile => unrecognized_file::UnrecognizedFile,
    UnreadableFile => unreadable_file::UnreadableFile,
    EmptyFile => empty_file::EmptyFile,
    FormatMismatch => format_mismatch::FormatMismatch,
    LowResolution => low_resolution::LowResolution,
    DuplicateFile => duplicate_file::DuplicateFile,
    LedgerNotFound => ledger_not_found::LedgerNotFound,
    LedgerHeader => ledger_header::LedgerHeaderKind,
    UnmatchedDossier => unmatched_dossier::UnmatchedDossier,
    UnmatchedLedgerRow => unmatched_ledger_row::UnmatchedLedgerRow,
    UnmatchedResume => unmatched_resume::UnmatchedResume,
    DuplicatePerson => duplicate_person::DuplicatePerson,
    InvalidDate => invalid_date::InvalidDate,
    MissingMilestone => missing_milestone::MissingMilestone,
    MilestoneOrder => milestone_order::MilestoneOrder,
    Interval => interval::Interval,
    NamedPeople => named_people::NamedPeople,
    WorkingDays => working_days::WorkingDays,
    TrainingLength => training_length::TrainingLength,
    ProbationExtension => probation_extension::ProbationExtension,
    ReportCadence => report_cadence::ReportCadence,
    BranchDormant => branch_dormant::BranchDormant,
    PlanShortfall => plan_shortfall::PlanShortfall,
    ResumeGap => resume_gap::ResumeGap,
    ResumeOverlap => resume_overlap::ResumeOverlap,
    ResumeReversed => resume_reversed::ResumeReversed,
    ResumeBeforeBirth => resume_before_birth::ResumeBeforeBirth,
    IdNumber => id_number::IdNumber,
    BirthDateMatch => birth_date_match::BirthDateMatch,
    AmbiguousMonth => ambiguous_month::AmbiguousMonth,
    LedgerConflict => ledger_conflict::LedgerConflict,
    IdNumberMismatch => id_number_mismatch::IdNumberMismatch,
    AmbiguousFile => ambiguous_file::AmbiguousFile,
    LayoutAmbiguous => layout_ambiguous::LayoutAmbiguous,
    CombinedFileUnverifiable => combined_file_unverifiable::CombinedFileUnverifiable,
    CatalogItemMissing => catalog_item_missing::CatalogItemMissing,
    UncataloguedDocument => uncatalogued_document::UncataloguedDocument,
    PageCountMismatch => page_count_mismatch::PageCountMismatch,
    CatalogDateMismatch => catalog_date_mismatch::CatalogDateMismatch,
    CatalogUnreadable => catalog_unreadable::CatalogUnreadable,
    TheoryNotCurrent => theory_not_current::TheoryNotCurrent,
    DocumentOfAnotherPerson => document_of_another_person::DocumentOfAnotherPerson,
    DocumentDateMismatch => document_date_mismatch::DocumentDateMismatch,
    ContentUnreadable => content_unreadable::ContentUnreadable,
    WaiverExpired => waiver_expired::WaiverExpired,
    WaiverUnused => waiver_unused::WaiverUnused,
}

use crate::classify::Class;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::date::DateValue;
use crate::finding::{Finding, Location};
use crate::inspect::Inspection;
use crate::join::Person;
use crate::ledger::catalog_sheet::CatalogEntry;
use crate::ledger::{LedgerRow, LedgerSheet, ResumeEntry};
use crate::schema::{MilestoneRef, Schema};
use crate::walk::{Archive, PerFile, Unreadable};

/// Everything the rules look at.
pub struct Context<'a> {
    pub config: &'a Schema,
    /// The documents' classifier (built once for the run).
    pub classifier: &'a crate::classify::Classifier,
    /// The rules of the run, in their order (a kind may ask whether another is on).
    pub rules: &'a [Rule],
    pub as_of: Date,
    pub archive: &'a Archive,
    /// For each dossier, for each of its files: the document it is.
    pub classes: &'a PerFile<Class>,
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
    /// Catalog (卷内目录) rows; each person's are in `Person::catalog`.
    pub catalogs: &'a [CatalogEntry],
    /// Catalog rows outside any dossier that matched nobody.
    pub orphan_catalog: &'a [usize],
    /// 年度发展计划 and 支部名单 rows (in a shard, of its branches).
    pub plan: &'a [crate::ledger::plan::PlanRow],
    /// (dossier, file) of spreadsheets named as catalogs with no catalog sheet in them.
    pub unread_catalogs: &'a [(usize, usize)],
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
    /// What the documents the content rules read say.
    pub contents: &'a crate::content::Contents,
}

impl Context<'_> {
    /// Whether a file was already reported as unreadable (one defect, one finding).
    pub fn is_unreadable(&self, rel: &str) -> bool {
        self.unreadable_paths.contains(rel)
    }

    /// The branch a file or folder outside any dossier lies in, as the layout found it (under
    /// a year folder above the branches, the branch, not the year).
    pub fn branch_of(&self, rel: &str) -> Option<String> {
        self.archive
            .layout
            .branch_of(rel)
            .filter(|b| !b.is_empty())
            .map(str::to_string)
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
                    .map(move |((f, i), c)| (Some(d), f, i, c.get()))
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
        if Some(m.field) == self.config.keys.birth
            && let Some(b) = self.id_birth(row)
        {
            return Some(DateValue::day(b));
        }
        row.milestone(m)
    }

    pub fn id_birth(&self, row: &LedgerRow) -> Option<Date> {
        row.id_birth(self.config.keys.id_number, self.as_of)
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
            .map(|d| self.archive.dossiers[d].rel.to_string());
        let name = person.map(|p| p.name.to_string()).filter(|n| !n.is_empty());
        let branch = person
            .map(|p| p.branch.to_string())
            .filter(|b| !b.is_empty());
        let mut all: Vec<(&str, &str)> = Vec::with_capacity(vars.len() + 3);
        all.push(("name", name.as_deref().unwrap_or("")));
        all.push(("branch", branch.as_deref().unwrap_or("")));
        all.push(("dossier", dossier.as_deref().unwrap_or("")));
        all.extend_from_slice(vars);
        let mut f = rule.finding(&all);
        f.branch = branch;
        f.dossier = dossier;
        f.name = name;
        f.subject = subject;
        f.file = file.or_else(|| location.as_ref().map(|l| l.file.clone()));
        f.location = location;
        f.person = person.map(|p| p.index);
        f
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
    let present = ledger_columns(ctx);
    let has = |f: usize| present.get(f).copied().unwrap_or(false);
    let mut findings: Vec<Finding> = ctx
        .rules
        .par_iter()
        .enumerate()
        .filter(|(_, r)| r.enabled && !r.kind().after_audit())
        // A rule whose ledger columns no ledger has stays silent (`dangan survey` says why).
        .filter(|(_, r)| {
            r.params
                .needs()
                .iter()
                .all(|n| n.unmet(ctx.config, &has).is_none())
        })
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

/// For each field: whether a ledger sheet of the run has its column.
pub(crate) fn ledger_columns(ctx: &Context<'_>) -> Vec<bool> {
    let mut present = vec![false; ctx.config.fields.len()];
    for sheet in ledger_sheets(ctx) {
        let more = sheet.more.iter().map(|&(f, _)| f);
        let cols = sheet.cols.iter().enumerate();
        for f in cols
            .filter(|(_, c)| c.is_some())
            .map(|(f, _)| f)
            .chain(more)
        {
            if let Some(p) = present.get_mut(f) {
                *p = true;
            }
        }
    }
    present
}

/// The ledger sheets the run's rows come from, each once, in the order their rows first
/// appear; a row merged from several rosters brings every sheet it came from.
pub(crate) fn ledger_sheets<'a>(ctx: &Context<'a>) -> Vec<&'a LedgerSheet> {
    let mut seen: std::collections::HashSet<*const LedgerSheet> = std::collections::HashSet::new();
    let mut out = Vec::new();
    for row in ctx.ledger {
        let sources = row.sources().iter().map(|(s, _)| &**s);
        for sheet in std::iter::once(&*row.sheet).chain(sources) {
            if seen.insert(std::ptr::from_ref(sheet)) {
                out.push(sheet);
            }
        }
    }
    out
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
