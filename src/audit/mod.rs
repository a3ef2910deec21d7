//! The pipeline: walk → classify → look inside files → read spreadsheets → join → rules. One
//! way, no cycles. This file keeps the order of the phases and what passes between them; each
//! phase's work is in its own file:
//!
//! | file | phase |
//! |---|---|
//! | `files.rs` | every file's inspection (the result cache's, where unchanged), combined files' parts, byte-identical files |
//! | `sheets.rs` | which spreadsheets to read, and their rows sorted into ledger, resumes, catalogs, plans |
//! | `people.rs` | ledger rows merged and joined to dossiers; the facts and lists the reports keep |
//! | `checking.rs` | the rules, and the documents' text the content rules read |
//! | `progress.rs` | the progress bar and `DANGAN_TIMINGS` |

use crate::classify::Class;
use std::path::Path;

use jiff::civil::Date;

use crate::broken::describe_io;
use crate::config::Config;
use crate::inspect::Inspection;
use crate::ledger::{DateBounds, HeaderIndex, LedgerRow};
use crate::results::{AuditResult, Counts, PersonFacts, Scope, Shard, ShardData, Summary};
use crate::walk::{Archive, PerFile, Unreadable};

mod checking;
mod files;
mod people;
mod progress;
mod sheets;

use checking::read_and_check;
use files::{Files, fingerprints, scan_files, unreadable_files};
use people::{
    Joined, combined_from_catalogs, documents_dated, dossier_reports, join_people, person_facts,
};
use progress::Progress;
use sheets::{Sheets, read_sheets};

#[derive(Debug, Default)]
pub struct Options {
    pub as_of: Date,
    /// Keep only people who applied or were admitted on or after this date.
    pub since: Option<Date>,
    /// Show a progress bar on stderr (only drawn when stderr is a terminal).
    pub progress: bool,
    /// Audit only this shard's branches.
    pub shard: Option<Shard>,
    /// Gather each person's ledger facts for the committee's statistics (`AuditResult::people`);
    /// always done in a sharded run, whose merge may write them.
    pub people: bool,
    /// Files read at once by the walk, the inspection and the hashing: reading mostly waits
    /// on the disk or the network, so more readers than cores pay off.
    pub io_threads: usize,
    /// Gather the ledger date each document records, per dossier (`DossierReport::dated`),
    /// for `dangan catalog`.
    pub dated: bool,
    /// How documents' text is read (OCR's engine and the text cache).
    pub reading: crate::content::Reading,
    /// What the last run read from each unchanged file (None: read every file).
    pub results: Option<crate::cache::Results>,
}

/// Files read at once unless asked otherwise. On the 2-core benchmark machine a cold run over
/// 100,000 dossiers takes 28.4 s with 2 readers, 15.5 s with 8 and 14.6 s with 16; warm runs
/// are no slower with 8.
pub const DEFAULT_IO_THREADS: u16 = 8;

/// The archive itself cannot be audited.
#[derive(Debug, thiserror::Error)]
#[error("无法读取档案文件夹 {path}：{detail}")]
pub struct ArchiveError {
    pub path: String,
    pub detail: String,
}

/// Audit the archive at `root`: the phases in their order. What a phase no longer needs is let
/// go before the next (100,000 dossiers are audited in under 300 MB).
pub fn audit(
    config: &Config,
    root: &Path,
    mut options: Options,
) -> Result<AuditResult, ArchiveError> {
    // The result cache is let go once the files are looked at.
    let cache = options.results.take();
    let options = &options;
    let progress = Progress::new(options.progress);
    // Reading (directories, file structure, hashes) runs on its own pool of readers; the
    // spreadsheets, the join and the rules are work for the cores (rayon's global pool).
    let readers = io_pool(options.io_threads);
    let readers = readers.as_ref();
    let Read {
        mut archive,
        classes,
        mut files,
        unreadable,
        sheets,
        cache,
    } = read_archive(config, root, options, cache, (readers, &progress))?;
    // The inspection's and the workbooks' buffers are gone: their pages go back to the system
    // before the join builds its indexes, and the join's before the rules run.
    crate::memory::give_back();
    progress.phase("连接台账与档案", None);
    let joined = join_people(config, options, &archive, sheets);
    combined_from_catalogs(config, &archive, &classes, &mut files, &joined);
    crate::memory::give_back();

    progress.phase("读取文书内容", None);
    let (findings, content) = read_and_check(
        (config, options),
        (&archive, &classes),
        &mut files,
        (&joined, &unreadable),
        (readers, cache, &progress),
    );
    let (findings, in_scope, scope) = scope(config, options, &joined, findings);
    progress.phase("汇总结果", None);

    // What only the rules needed is let go before the facts and lists are built: `joined`,
    // moved into a block, is a temporary whose other fields are dropped with the statement.
    let Joined {
        ledger,
        people,
        plan,
        ..
    } = { joined };
    drop(unreadable);
    let facts = if options.people || options.shard.is_some() {
        person_facts(config, options.as_of, &archive, &ledger, &people, &in_scope)
    } else {
        Vec::new()
    };
    let (facts, shard) = match options.shard {
        None => (facts, None),
        Some(sh) => {
            let prints = reading(readers, || {
                fingerprints(&archive, &classes, config, &people, &files.inspections)
            });
            shard_data(sh, prints, facts, options.people, &plan)
        }
    };
    let summary = summary(
        options,
        &archive,
        &files.inspections,
        &ledger,
        &findings,
        scope,
    );
    let summary = Summary { content, ..summary };
    let dated = documents_dated(config, options, &ledger, &people);
    // Last, the per-dossier file lists: the archive's paths are moved into them, not copied,
    // and the ledger is let go first.
    drop(ledger);
    progress.phase("整理档案清单", None);
    let dossiers = dossier_reports(
        config,
        &people,
        &in_scope,
        std::mem::take(&mut archive.dossiers),
        classes,
        files,
        dated,
    );
    Ok(AuditResult {
        plan,
        shard,
        people: facts,
        as_of: options.as_of,
        summary,
        findings,
        dossiers,
    })
}

/// What the reading phases found: the archive's folders and files, each file's document and
/// inspection, what could not be read, and the spreadsheets' rows.
struct Read {
    archive: Archive,
    classes: PerFile<Class>,
    files: Files,
    unreadable: Vec<Unreadable>,
    sheets: Sheets,
    /// The result cache, its last run's entries let go (the files' entries are written; the
    /// documents' readings are, once they are read).
    cache: Option<crate::cache::Results>,
}

/// The reading phases: the folders (and the ledgers read ahead), each file, the spreadsheets.
/// The result cache is looked up here, and its last run's entries let go.
fn read_archive(
    config: &Config,
    root: &Path,
    options: &Options,
    cache: Option<crate::cache::Results>,
    (readers, progress): (Option<&rayon::ThreadPool>, &Progress),
) -> Result<Read, ArchiveError> {
    let headers = HeaderIndex::new(config);
    let bounds = DateBounds {
        earliest: config.earliest,
        as_of: options.as_of,
    };
    let mut ahead =
        crate::ledger::ReadAhead::new(config, &headers, bounds).with_cache(cache.as_ref());
    progress.phase("读取档案目录", None);
    let archive = walk(config, root, options, readers, &mut ahead)?;
    // The walked tree, arranged into the archive, is gone: its pages go back before the
    // readers inspect every file (200,000 dossiers: 308 → 281 MB when the inspection starts).
    crate::memory::give_back();
    let mut classes = classify(config, &archive);
    progress.phase("检查文件", Some(archive.file_count() as u64));
    let files = scan_files(config, &archive, options, cache.as_ref(), readers, progress);
    progress.note(|| {
        let (inspected, hashed) = crate::inspect::files_read();
        format!("读取文件：检查 {inspected} 个，散列 {hashed} 个")
    });
    progress.phase("读取台账和简历", None);
    let mut unreadable = unreadable_files(&archive, &files.inspections, &files.loose);
    let sheets = read_sheets(
        config,
        ahead,
        &archive,
        &mut classes,
        &files.inspections,
        &files.loose,
        &mut unreadable,
    );
    let cache = cache.map(|mut c| {
        c.release();
        c
    });
    progress.note(|| format!("读取表格：{} 个", crate::ledger::books_read()));
    Ok(Read {
        archive,
        classes,
        files,
        unreadable,
        sheets,
        cache,
    })
}

/// The pool of readers: directories, file structure and hashes are read on it.
fn io_pool(threads: usize) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("dangan-io-{i}"))
        .build()
        .ok()
}

/// A shard's data: its fingerprints and the facts of its people. The shard's JSON carries
/// the facts; the result keeps a copy only for --report-dir (`people`).
fn shard_data(
    shard: crate::shard::Shard,
    fingerprints: Vec<crate::results::Fingerprint>,
    mut facts: Vec<PersonFacts>,
    people: bool,
    plan: &[crate::ledger::plan::PlanRow],
) -> (Vec<PersonFacts>, Option<ShardData>) {
    let data = ShardData {
        shard,
        run: None,
        plan: plan.to_vec(),
        fingerprints,
        people: if people {
            facts.clone()
        } else {
            std::mem::take(&mut facts)
        },
    };
    (facts, Some(data))
}

/// Walk the folders and find the layout. The spreadsheets that may be ledgers are read
/// before the layout is found (a folder named as a person in them is a dossier), into `ahead`.
fn walk(
    config: &Config,
    root: &Path,
    options: &Options,
    readers: Option<&rayon::ThreadPool>,
    ahead: &mut crate::ledger::ReadAhead<'_>,
) -> Result<Archive, ArchiveError> {
    let shard = options.shard;
    let owns = |branch: &str| shard.is_none_or(|s| s.owns(branch));
    let tree =
        reading(readers, || crate::layout::walk(root, config)).map_err(|e| ArchiveError {
            path: root.display().to_string(),
            detail: describe_io(&e),
        })?;
    Ok(crate::layout::arrange_archive(
        tree,
        config,
        config.classifier(),
        &owns,
        &mut |files| ahead.read(root, files),
    ))
}

/// `--since`: the batch of people who applied or were admitted on or after the date; the
/// findings about the others are left out.
fn scope(
    config: &Config,
    options: &Options,
    joined: &Joined,
    mut findings: Vec<crate::finding::Finding>,
) -> (Vec<crate::finding::Finding>, Vec<bool>, Option<Scope>) {
    let keys = &config.keys;
    let in_scope: Vec<bool> = joined
        .people
        .iter()
        .map(|p| match (options.since, p.row) {
            (Some(since), Some(r)) => [keys.applied, keys.admitted].iter().any(|&k| {
                k.and_then(|f| joined.ledger[r].value(f))
                    .and_then(|v| v.date())
                    .is_some_and(|d| d.latest() >= since)
            }),
            _ => true,
        })
        .collect();
    let scope = options.since.map(|since| Scope {
        since: since.to_string(),
        people_in_scope: in_scope.iter().filter(|x| **x).count(),
        people_out_of_scope: in_scope.iter().filter(|x| !**x).count(),
    });
    findings.retain(|f| f.person.is_none_or(|p| in_scope[p]));
    (findings, in_scope, scope)
}

/// The run's counts.
fn summary(
    options: &Options,
    archive: &Archive,
    inspections: &PerFile<Inspection>,
    ledger: &[LedgerRow],
    findings: &[crate::finding::Finding],
    scope: Option<Scope>,
) -> Summary {
    // Files at the root are seen by every shard; shard 0 counts them.
    let root_files = archive
        .loose
        .iter()
        .filter(|f| !f.rel.contains('/'))
        .count();
    let files = match options.shard {
        Some(sh) if sh.index != 0 => archive.file_count() - root_files,
        _ => archive.file_count(),
    };
    let all = inspections.all();
    Summary {
        dossiers: archive.dossiers.len(),
        ledger_rows: ledger.iter().map(|r| r.sources().len().max(1)).sum(),
        ledger_people: ledger.len(),
        files,
        pages: all.iter().filter_map(|i| i.pages).map(u64::from).sum(),
        unknown_resolution: all
            .iter()
            .filter(|i| i.problem().is_none() && i.dpi.is_none() && i.format.is_scan())
            .count(),
        findings: Counts::of(findings),
        scope,
        baseline: None,
        waived: 0,
        content: None,
    }
}

/// Every dossier file's document, by its name.
fn classify(config: &Config, archive: &Archive) -> PerFile<Class> {
    let classifier = config.classifier();
    archive.per_file_in(|d, f| Class::of(classifier.classify_in(d.path(), f)))
}

/// Run a job that reads files on the readers' pool (here, if the pool could not be built).
fn reading<T: Send>(readers: Option<&rayon::ThreadPool>, job: impl FnOnce() -> T + Send) -> T {
    match readers {
        Some(pool) => pool.install(job),
        None => job(),
    }
}

/// Move `more` onto the end of `all`; the first non-empty list is taken as it is, so a single
/// big ledger or resume sheet is never copied.
fn append<T>(all: &mut Vec<T>, more: Vec<T>) {
    if all.is_empty() {
        *all = more;
    } else {
        all.extend(more);
    }
}
