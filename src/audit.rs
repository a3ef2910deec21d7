//! The pipeline: walk → classify → read spreadsheets → join → rules. One way, no cycles.

use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;

use std::sync::Arc;

use compact_str::CompactString;

use crate::classify::Classifier;
use crate::config::Config;
use crate::inspect::{FileFormat, Inspection, inspect};
use crate::join::{attach_resumes, join};
use crate::ledger::catalog::CatalogEntry;
use crate::ledger::{DateBounds, HeaderIndex, LedgerRow, ResumeEntry, SheetRole, Workbook};
use crate::results::{
    AuditResult, Counts, DossierReport, FilePart, FileReport, PersonFacts, Scope, Shard, ShardData,
    Summary,
};
use crate::rules::{self, Context};
use crate::walk::{Archive, PerFile, Unreadable, describe_io};

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

/// A progress bar on stderr for long runs; a no-op unless asked for and stderr is a terminal.
/// With `DANGAN_TIMINGS` set in the environment, each phase's wall time goes to stderr (for
/// profiling and the benchmark).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    timings: Option<std::sync::Mutex<(&'static str, std::time::Instant)>>,
}

impl Progress {
    fn new(on: bool) -> Self {
        use std::io::IsTerminal;
        let timings = std::env::var_os("DANGAN_TIMINGS")
            .map(|_| std::sync::Mutex::new(("开始", std::time::Instant::now())));
        if !on || !std::io::stderr().is_terminal() {
            return Progress { bar: None, timings };
        }
        let pb = indicatif::ProgressBar::new_spinner();
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress {
            bar: Some(pb),
            timings,
        }
    }

    fn lap(&self, next: &'static str) {
        if let Some(t) = &self.timings
            && let Ok(mut t) = t.lock()
        {
            let (rss, peak) = resident_mb();
            crate::say!(
                "timing: {:<12} {:>9.1} ms  RSS {rss:>6.1} MB (peak {peak:>6.1} MB)",
                t.0,
                t.1.elapsed().as_secs_f64() * 1000.0,
            );
            *t = (next, std::time::Instant::now());
        }
    }

    fn phase(&self, message: &'static str, total: Option<u64>) {
        self.lap(message);
        if let Some(pb) = &self.bar {
            let style = match total {
                Some(n) => {
                    pb.set_length(n);
                    pb.set_position(0);
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {msg} [{bar:30}] {human_pos}/{human_len} 剩余 {eta}",
                    )
                }
                None => indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}"),
            };
            if let Ok(style) = style {
                pb.set_style(style.progress_chars("=> "));
            }
            pb.set_message(message);
        }
    }

    /// A line of the timings (nothing without `DANGAN_TIMINGS`).
    fn note(&self, line: impl FnOnce() -> String) {
        if self.timings.is_some() {
            crate::say!("timing: {}", line());
        }
    }

    fn tick(&self) {
        if let Some(pb) = &self.bar {
            pb.inc(1);
        }
    }
}

/// The process's resident set and its peak so far, in MB (Linux; 0 elsewhere), for the
/// phase timings.
fn resident_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.lap("");
        if let Some(pb) = &self.bar {
            pb.finish_and_clear();
        }
    }
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
    } = read_archive(config, root, options, cache, (readers, &progress))?;
    progress.phase("连接台账与档案", None);
    let joined = join_people(config, options, &archive, sheets);
    combined_from_catalogs(config, &archive, &classes, &mut files, &joined);

    progress.phase("读取文书内容", None);
    let (findings, content) = check(
        config,
        options,
        &archive,
        &classes,
        &files,
        &joined,
        &unreadable,
        (readers, &progress),
    );
    let (findings, in_scope, scope) = scope(config, options, &joined, findings);

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
    classes: PerFile<Option<usize>>,
    files: Files,
    unreadable: Vec<Unreadable>,
    sheets: Sheets,
}

/// The reading phases: the folders (and the ledgers read ahead), each file, the spreadsheets.
/// The result cache is used, kept up to date and let go here.
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
    drop(cache);
    progress.note(|| format!("读取表格：{} 个", crate::ledger::books_read()));
    Ok(Read {
        archive,
        classes,
        files,
        unreadable,
        sheets,
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
        &owns,
        &mut |files| ahead.read(root, files),
    ))
}

/// What is inside the files: each file's inspection, the documents combined files hold by
/// their bookmarks, and the groups of byte-identical files.
struct Files {
    inspections: PerFile<Inspection>,
    /// The loose files' inspections.
    loose: Vec<Inspection>,
    parts: crate::classify::Parts,
    duplicate_groups: Vec<Vec<(usize, usize)>>,
}

fn scan_files(
    config: &Config,
    archive: &Archive,
    options: &Options,
    cache: Option<&crate::cache::Results>,
    readers: Option<&rayon::ThreadPool>,
    progress: &Progress,
) -> Files {
    let (mut inspections, loose, hits) = reading(readers, || inspect_all(archive, progress, cache));
    let parts = crate::classify::Parts::find(
        &Classifier::new(&config.documents),
        archive.dossiers.len(),
        |d| archive.dossiers[d].files.len(),
        |d, i| {
            let insp = &inspections[d][i];
            insp.outline.as_deref().map(|o| (&o.0[..], insp.pages))
        },
    );
    // A shard cannot see the other shards' files: it fingerprints every one of its own, and
    // the merge finds the duplicates.
    let (duplicate_groups, hashed) = if options.shard.is_some() {
        let every = archive
            .dossiers
            .iter()
            .enumerate()
            .flat_map(|(d, dir)| (0..dir.files.len()).map(move |i| (d, i)))
            .filter(|&(d, i)| archive.dossiers[d].files[i].size > 0);
        let n = reading(readers, || {
            crate::duplicates::hash_files(archive, &mut inspections, every)
        });
        (Vec::new(), n)
    } else {
        reading(readers, || {
            crate::duplicates::in_archive(archive, &mut inspections)
        })
    };
    if let Some(cache) = cache {
        let fresh = Fresh { hits, hashed };
        remember(cache, archive, (&inspections, &loose), fresh);
    }
    Files {
        inspections,
        loose,
        parts,
        duplicate_groups,
    }
}

/// What a run read anew: files found in the cache, and files hashed.
struct Fresh {
    hits: usize,
    hashed: usize,
}

/// Keep this run's inspections (and hashes) in the result cache — unless every file was
/// found there unchanged, nothing was hashed anew and no file has gone (then the cache
/// file is as it would be written).
fn remember(
    cache: &crate::cache::Results,
    archive: &Archive,
    (inspections, loose): (&PerFile<Inspection>, &[Inspection]),
    fresh: Fresh,
) {
    let keyed = archive
        .dossiers
        .iter()
        .flat_map(|d| &d.files)
        .chain(&archive.loose)
        .filter(|f| f.stamp != 0)
        .count();
    if fresh.hits == keyed && keyed == cache.len() && fresh.hashed == 0 {
        return;
    }
    let mut entries = crate::cache::Entries::default();
    let dossier_files = archive
        .dossiers
        .iter()
        .enumerate()
        .flat_map(|(d, dir)| dir.files.iter().zip(&inspections[d]));
    for (file, insp) in dossier_files.chain(archive.loose.iter().zip(loose)) {
        if let Some(key) = crate::cache::key(file) {
            entries.push(key, |out| crate::inspect::stored::encode(insp, out));
        }
    }
    cache.save(entries);
}

/// The people: ledger rows merged, joined to the dossiers, resumes attached.
struct Joined {
    ledger: Vec<LedgerRow>,
    /// In a shard, the rows of other shards' branches.
    foreign_rows: Vec<LedgerRow>,
    people: Vec<crate::join::Person>,
    resumes: Vec<ResumeEntry>,
    orphan_resumes: Vec<usize>,
    catalogs: Vec<CatalogEntry>,
    /// Catalog rows (outside any dossier) that matched nobody.
    orphan_catalog: Vec<usize>,
    plan: Vec<crate::ledger::plan::PlanRow>,
    unread_catalogs: Vec<(usize, usize)>,
    person_of_dossier: Vec<Option<usize>>,
    person_of_row: Vec<Option<usize>>,
    loose_recognised: Vec<bool>,
    ledger_found: bool,
    near_miss: Option<String>,
}

fn join_people(config: &Config, options: &Options, archive: &Archive, sheets: Sheets) -> Joined {
    let shard = options.shard;
    let owns = |branch: &str| shard.is_none_or(|s| s.owns(branch));
    let (mut ledger, _) = crate::ledger::merge::merge_people(sheets.ledger, config);
    for (i, row) in ledger.iter_mut().enumerate() {
        row.seq = i;
    }
    // In a shard, the rows of other shards' branches are kept aside: they are not this shard's
    // people, but an ID number they share with a row here is still a repeat.
    let (mut ledger, foreign_rows): (Vec<LedgerRow>, Vec<LedgerRow>) = ledger
        .into_iter()
        .partition(|r| owns(r.branch(config).unwrap_or_default()));
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
            e.name = None;
            e.id_number = None;
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
fn of_foreign_row(
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
/// catalog's rows as its parts (see `crate::catalog`).
fn combined_from_catalogs(
    config: &Config,
    archive: &Archive,
    classes: &PerFile<Option<usize>>,
    files: &mut Files,
    joined: &Joined,
) {
    crate::catalog::place_combined(
        config,
        archive,
        classes,
        &files.inspections,
        &mut files.parts,
        &joined.people,
        &joined.catalogs,
    );
}

/// What the documents the content rules read say: each such file of a person's dossier (whole
/// files, not bookmarked parts; not files already found broken), read — text layers on the
/// readers' pool, OCR on the cores — and reduced to the facts the rules look at.
fn read_contents(
    config: &Config,
    options: &Options,
    archive: &Archive,
    classes: &PerFile<Option<usize>>,
    files: &Files,
    joined: &Joined,
    readers: Option<&rayon::ThreadPool>,
) -> crate::content::Contents {
    use crate::content::{DocText, Extracted};
    let mut wanted = vec![false; config.documents.len()];
    let mut phrases = Vec::new();
    for rule in config.rules.iter().filter(|r| r.enabled) {
        let reads = rule.params.reads();
        for d in reads.documents {
            wanted[d] = true;
        }
        phrases.extend(reads.phrases);
    }
    if !wanted.contains(&true) {
        return crate::content::Contents::default();
    }
    let lens = crate::content::facts::Lens::new(phrases, config.content.clone());
    let mut jobs: Vec<(usize, usize, &str)> = Vec::new();
    for (d, dir) in archive.dossiers.iter().enumerate() {
        let Some(p) = joined.person_of_dossier[d] else {
            continue;
        };
        for i in 0..dir.files.len() {
            let read = classes[d][i].is_some_and(|c| wanted[c])
                && files.inspections[d][i].problem.is_none();
            if read {
                jobs.push((d, i, joined.people[p].name.as_str()));
            }
        }
    }
    // A document with no text to read is counted, not kept: why, in the error.
    enum Unread {
        NoText,
        NeedsOcr,
    }
    let read = || {
        jobs.par_iter()
            .map(|&(d, i, owner)| {
                let f = &archive.dossiers[d].files[i];
                let inspection = &files.inspections[d][i];
                let path = f.path(&archive.root);
                let text =
                    match crate::content::extract(&path, f.size, inspection, &options.reading) {
                        Extracted::Text(t) => DocText::Read(Box::new(lens.read(&t, owner))),
                        Extracted::NeedsOcr => return Err(Unread::NeedsOcr),
                        Extracted::NoText => return Err(Unread::NoText),
                        Extracted::Failed(why) => DocText::Failed(why),
                    };
                Ok(((d as u32, i as u32), text))
            })
            .collect::<Vec<_>>()
    };
    // OCR is work for the cores; reading text layers waits on the disk.
    let results = if options.reading.ocr.is_some() {
        read()
    } else {
        reading(readers, read)
    };
    let count = |u: fn(&Unread) -> bool| {
        results
            .iter()
            .filter(|r| r.as_ref().err().is_some_and(u))
            .count()
    };
    let no_text = count(|u| matches!(u, Unread::NoText));
    let needs_ocr = count(|u| matches!(u, Unread::NeedsOcr));
    let docs = results.into_iter().filter_map(Result::ok).collect();
    crate::content::Contents::new(lens, docs, no_text, needs_ocr)
}

/// Read the documents the content rules look at, then run the rules over the joined model:
/// the findings, and what could be read of the documents.
#[allow(clippy::too_many_arguments)]
fn check(
    config: &Config,
    options: &Options,
    archive: &Archive,
    classes: &PerFile<Option<usize>>,
    files: &Files,
    joined: &Joined,
    unreadable: &[Unreadable],
    (readers, progress): (Option<&rayon::ThreadPool>, &Progress),
) -> (
    Vec<crate::finding::Finding>,
    Option<crate::results::ContentCounts>,
) {
    let contents = &read_contents(config, options, archive, classes, files, joined, readers);
    progress.phase("核对规则", None);
    let unreadable_paths: std::collections::HashSet<&str> =
        unreadable.iter().map(|u| u.rel.as_str()).collect();
    let ctx = Context {
        config,
        rules: &config.rules,
        as_of: options.as_of,
        archive,
        classes,
        ledger: &joined.ledger,
        ledger_found: joined.ledger_found,
        ledger_near_miss: joined.near_miss.as_deref(),
        resumes: &joined.resumes,
        people: &joined.people,
        person_of_dossier: &joined.person_of_dossier,
        person_of_row: &joined.person_of_row,
        loose_recognised: &joined.loose_recognised,
        unreadable,
        unreadable_paths: &unreadable_paths,
        orphan_resumes: &joined.orphan_resumes,
        catalogs: &joined.catalogs,
        orphan_catalog: &joined.orphan_catalog,
        plan: &joined.plan,
        unread_catalogs: &joined.unread_catalogs,
        inspections: &files.inspections,
        parts: &files.parts,
        loose_inspections: &files.loose,
        duplicate_groups: &files.duplicate_groups,
        foreign_rows: &joined.foreign_rows,
        contents,
    };
    (rules::run(&ctx), contents.counts())
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
                    .and_then(crate::ledger::FieldValue::date)
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
            .filter(|i| i.problem.is_none() && i.dpi.is_none() && i.format.is_scan())
            .count(),
        findings: Counts::of(findings),
        scope,
        baseline: None,
        waived: 0,
        content: None,
    }
}

/// Every dossier file's document, by its name.
fn classify(config: &Config, archive: &Archive) -> PerFile<Option<usize>> {
    let classifier = Classifier::new(&config.documents);
    archive.per_file_in(|d, f| classifier.classify_in(d.path(), f))
}

/// Look inside every file (signature, integrity, resolution, pages), in parallel: the
/// dossiers' files, then the loose ones. A file the result cache has, unchanged, is not read
/// (with `--verify-cache`, only its content is: its hash must match). The third value: how
/// many files came from the cache.
fn inspect_all(
    archive: &Archive,
    progress: &Progress,
    cache: Option<&crate::cache::Results>,
) -> (PerFile<Inspection>, Vec<Inspection>, usize) {
    let hits = std::sync::atomic::AtomicUsize::new(0);
    let look = |f: &crate::walk::FileEntry| {
        progress.tick();
        let path = f.path(&archive.root);
        let Some(cache) = cache else {
            return inspect(&path, f.size);
        };
        match cache.inspection(f, &path) {
            Ok(found) => {
                hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                found
            }
            Err(hash) => {
                let insp = inspect(&path, f.size);
                Inspection {
                    hash: hash.or(insp.hash),
                    ..insp
                }
            }
        }
    };
    let inspections = archive.per_file(look);
    let loose_inspections = archive.loose.par_iter().map(look).collect();
    (inspections, loose_inspections, hits.into_inner())
}

/// What the walk and the inspection could not read, each reported once (unreadable-file).
fn unreadable_files(
    archive: &Archive,
    inspections: &PerFile<Inspection>,
    loose_inspections: &[Inspection],
) -> Vec<Unreadable> {
    let mut unreadable: Vec<Unreadable> = archive.problems.clone();
    for (d, dossier) in archive.dossiers.iter().enumerate() {
        for (f, i) in dossier.files.iter().zip(&inspections[d]) {
            let problem = match (&i.problem, i.format) {
                (Some(p), _) => p.to_string(),
                (None, FileFormat::Unknown) if f.size > 0 => {
                    "无法识别的文件格式（不是 PDF、JPEG、TIFF、PNG、OFD 等扫描件格式）".to_string()
                }
                _ => continue,
            };
            unreadable.push(Unreadable {
                rel: f.rel.to_string(),
                detail: problem,
                dossier: Some(d),
            });
        }
    }
    for (f, i) in archive.loose.iter().zip(loose_inspections) {
        if let Some(p) = &i.problem {
            unreadable.push(Unreadable {
                rel: f.rel.to_string(),
                detail: p.to_string(),
                dossier: None,
            });
        }
    }
    unreadable
}

/// What the spreadsheets held.
struct Sheets {
    ledger: Vec<LedgerRow>,
    resumes: Vec<ResumeEntry>,
    catalogs: CatalogRows,
    /// 年度发展计划 and 支部名单 rows, from spreadsheets outside the dossiers.
    plan: Vec<crate::ledger::plan::PlanRow>,
    /// For each resume entry, the dossier whose own spreadsheet it came from.
    resume_owner: Vec<Option<usize>>,
    /// For each loose file, whether it was a recognised ledger or resume sheet.
    loose_recognised: Vec<bool>,
    /// Whether any sheet had a ledger header (even with no rows under it).
    ledger_found: bool,
    /// Without a ledger: the sheet that came nearest one, in words.
    near_miss: Option<String>,
}

/// The spreadsheets to read: every loose one, and a dossier's that names no document or
/// names a resume or a catalog. An empty or already broken file is reported once, by the
/// inspection, and not read.
fn sheet_jobs(
    config: &Config,
    archive: &Archive,
    classes: &PerFile<Option<usize>>,
    inspections: &PerFile<Inspection>,
    loose_inspections: &[Inspection],
) -> Vec<Sheet> {
    let (resume_doc, catalog_doc) = (config.keys.resume, config.keys.catalog);
    let readable = |f: &crate::walk::FileEntry, i: &Inspection| f.size > 0 && i.problem.is_none();
    let mut jobs: Vec<Sheet> = Vec::new();
    for (i, f) in archive.loose.iter().enumerate() {
        if f.is_spreadsheet() && readable(f, &loose_inspections[i]) {
            jobs.push(Sheet::Loose(i));
        }
    }
    for (d, dossier) in archive.dossiers.iter().enumerate() {
        for (i, f) in dossier.files.iter().enumerate() {
            let class = classes[d][i];
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
struct CatalogRows {
    entries: Vec<CatalogEntry>,
    /// For each row, the dossier whose own spreadsheet it came from; else the branch folder
    /// its file lies in.
    owner: Vec<Option<usize>>,
    branch: Vec<Option<Arc<str>>>,
    /// (dossier, file) of spreadsheets named as catalogs (卷内目录.xlsx) in which no catalog
    /// sheet was found.
    unread: Vec<(usize, usize)>,
}

impl CatalogRows {
    fn add(&mut self, entries: Vec<CatalogEntry>, dossier: Option<usize>, branch: Option<&str>) {
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
fn settle_dossier_sheet(
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
fn read_sheets(
    config: &Config,
    mut ahead: crate::ledger::ReadAhead<'_>,
    archive: &Archive,
    classes: &mut PerFile<Option<usize>>,
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
    let mut resume_owner: Vec<Option<usize>> = Vec::new();
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
                if settle_dossier_sheet(config, &mut classes[d][i], &book, rel, unreadable_book) {
                    catalogs.unread.push((d, i));
                }
            }
        }
        let branch = dossier
            .is_none()
            .then(|| archive.layout.branch_of(rel))
            .flatten();
        catalogs.add(book.catalog_entries, dossier, branch);
        resume_owner.extend(std::iter::repeat_n(dossier, book.resume_entries.len()));
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

/// Each person in scope with the ledger facts the committee's statistics need.
fn person_facts(
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
            dossier: p.dossier.map(|d| archive.dossiers[d].rel.clone()),
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
fn documents_dated(
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
fn dossier_reports(
    config: &Config,
    people: &[crate::join::Person],
    in_scope: &[bool],
    mut dirs: Vec<crate::walk::DossierDir>,
    classes: PerFile<Option<usize>>,
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
                dossier: std::mem::take(&mut dir.rel),
                branch: p.branch.clone(),
                name: p.name.clone(),
                stage: p.stage.map(|s| config.stages[s].key.clone()),
                files: std::mem::take(&mut dir.files)
                    .into_iter()
                    .zip(&classes[d])
                    .zip(&inspections[d])
                    .enumerate()
                    .map(|(k, ((f, c), i))| FileReport {
                        file: f.rel,
                        document: c.map(|c| Arc::clone(&doc_keys[c])),
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

/// Every dossier file's content hash, for the merge of a sharded run (reads every file).
fn fingerprints(
    archive: &crate::walk::Archive,
    classes: &PerFile<Option<usize>>,
    config: &Config,
    people: &[crate::join::Person],
    inspections: &PerFile<Inspection>,
) -> Vec<crate::shard::Fingerprint> {
    let mut name_of = vec![String::new(); archive.dossiers.len()];
    for p in people {
        if let Some(d) = p.dossier {
            name_of[d] = p.name.clone();
        }
    }
    archive
        .dossiers
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, dir)| {
            let name = &name_of[d];
            dir.files
                .iter()
                .enumerate()
                .filter(|(_, f)| f.size > 0)
                .filter_map(move |(i, f)| {
                    let hash = inspections[d][i].hash?.get();
                    Some(crate::shard::Fingerprint {
                        file: f.rel.to_string(),
                        dossier: dir.rel.clone(),
                        branch: dir.branch.clone(),
                        name: name.clone(),
                        document: classes[d][i].map(|c| config.documents[c].key.clone()),
                        size: f.size,
                        hash: format!("{hash:032x}"),
                    })
                })
        })
        .collect()
}
