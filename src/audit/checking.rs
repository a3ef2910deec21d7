//! The rules, and the documents' text the content rules read.

use crate::classify::Class;
use rayon::prelude::*;

use super::files::Files;
use super::people::Joined;
use super::progress::Progress;
use super::{Options, reading};
use crate::cache::Results;
use crate::config::Config;
use crate::rules::{self, Context};
use crate::walk::{Archive, PerFile, Unreadable};

/// What the content phase read: the documents' facts, and for the result cache the readings
/// it keeps by the files' cache keys — this run's, and those of documents the run did not
/// read (the cache's, kept as they were) — with how many were read anew.
struct ContentRead {
    contents: crate::content::Contents,
    kept: Vec<(u128, Vec<u8>)>,
    others: std::collections::HashMap<u128, Box<[u8]>>,
    read_anew: usize,
}

impl ContentRead {
    /// Keep the readings in the result cache, when any was read anew.
    fn remember(&self, cache: &Results) {
        if self.read_anew == 0 {
            return;
        }
        let mut entries = crate::cache::Entries::default();
        for (key, bytes) in &self.kept {
            entries.push(*key, |out| out.extend_from_slice(bytes));
        }
        for (key, bytes) in &self.others {
            entries.push(*key, |out| out.extend_from_slice(bytes));
        }
        cache.save_readings(entries);
    }
}

/// What the documents the content rules read say: each such file of a person's dossier (whole
/// files, not bookmarked parts; not files already found broken), read — text layers on the
/// readers' pool, OCR on the cores — and reduced to the facts the rules look at. A document
/// the result cache read before (unchanged, with the same rules, for the same person) is not
/// read again; with `keep`, what is read is encoded for the cache.
fn read_contents(
    (config, options): (&Config, &Options),
    (archive, classes): (&Archive, &PerFile<Class>),
    files: &mut Files,
    joined: &Joined,
    (readers, keep): (Option<&rayon::ThreadPool>, bool),
) -> ContentRead {
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
        return ContentRead {
            contents: crate::content::Contents::default(),
            kept: Vec::new(),
            others: Default::default(),
            read_anew: 0,
        };
    }
    // What the cache kept is taken only when documents are read: else it is written back
    // as it was.
    let mut beside = std::mem::take(&mut files.beside);
    let lens = crate::content::facts::Lens::new(phrases, config.content.clone());
    // (dossier, file) of each document to read: 8 bytes each, the owner's name looked up
    // when it is read (a million dossiers have a few million of these).
    let mut jobs: Vec<(u32, u32)> = Vec::new();
    for (d, dir) in archive.dossiers.iter().enumerate() {
        if joined.person_of_dossier[d].is_none() {
            continue;
        }
        for i in 0..dir.files.len() {
            let read = classes[d][i].get().is_some_and(|c| wanted[c])
                && files.inspections[d][i].problem().is_none();
            if read {
                jobs.push((d as u32, i as u32));
            }
        }
    }
    let reader = Reader {
        archive,
        files,
        options,
        lens: &lens,
        print: lens.fingerprint(),
        beside: &beside,
        keep,
    };
    let owner = |d: u32| {
        joined.person_of_dossier[d as usize].map_or("", |p| joined.people[p].name.as_str())
    };
    // Each reader gathers what it read; only documents with text are kept.
    let read = || {
        jobs.par_iter()
            .map(|&(d, i)| reader.read(d as usize, i as usize, owner(d)))
            .fold(Gathered::default, Gathered::add)
            .reduce(Gathered::default, Gathered::merge)
    };
    // OCR is work for the cores; reading text layers waits on the disk.
    let Gathered {
        docs,
        kept,
        had,
        read_anew,
        no_text,
        needs_ocr,
    } = if options.reading.ocr.is_some() {
        read()
    } else {
        reading(readers, read)
    };
    // What the cache had for a document read now is replaced (or dropped: no longer kept).
    for k in had {
        beside.remove(&k);
    }
    ContentRead {
        contents: crate::content::Contents::new(lens, docs, no_text, needs_ocr),
        kept,
        others: beside,
        read_anew,
    }
}

/// What the readers read: the documents with text, the cache's entries, the counts.
#[derive(Default)]
struct Gathered {
    docs: Vec<((u32, u32), crate::content::DocText)>,
    /// The readings to keep in the cache, by file key.
    kept: Vec<(u128, Vec<u8>)>,
    /// Keys of the cache's entries for documents read now.
    had: Vec<u128>,
    /// Readings kept that were not the cache's.
    read_anew: usize,
    no_text: usize,
    needs_ocr: usize,
}

impl Gathered {
    fn add(mut self, done: Done) -> Self {
        use crate::content::Unread;
        if let Some(side) = done.cache {
            self.had.extend(side.had);
            if let Some(bytes) = side.kept {
                self.read_anew += usize::from(!side.cached);
                self.kept.push(bytes);
            }
        }
        match done.text {
            Ok(t) => self.docs.push((done.at, t)),
            Err(Unread::NoText) => self.no_text += 1,
            Err(Unread::NeedsOcr) => self.needs_ocr += 1,
        }
        self
    }

    fn merge(mut self, other: Self) -> Self {
        self.docs.extend(other.docs);
        self.kept.extend(other.kept);
        self.had.extend(other.had);
        self.read_anew += other.read_anew;
        self.no_text += other.no_text;
        self.needs_ocr += other.needs_ocr;
        self
    }
}

/// What reads one document: where the files are, how, with which lens, and what the result
/// cache kept.
struct Reader<'a> {
    archive: &'a Archive,
    files: &'a Files,
    options: &'a Options,
    lens: &'a crate::content::facts::Lens,
    /// The lens's fingerprint.
    print: u64,
    beside: &'a std::collections::HashMap<u128, Box<[u8]>>,
    /// Encode what is read for the cache.
    keep: bool,
}

/// One document, read (small: 100,000 dossiers have half a million of them to read, most of
/// them scans left unread).
struct Done {
    at: (u32, u32),
    /// What was read (a document with no text is counted, not kept: why, in the error).
    text: Result<crate::content::DocText, crate::content::Unread>,
    /// What the result cache had and keeps of it, if anything.
    cache: Option<Box<CacheSide>>,
}

/// A document's reading and the result cache.
struct CacheSide {
    /// The file's key, when the cache had something for the file.
    had: Option<u128>,
    /// The reading came from the cache.
    cached: bool,
    /// The file's key and the reading as the cache keeps it.
    kept: Option<(u128, Vec<u8>)>,
}

impl Reader<'_> {
    fn read(&self, d: usize, i: usize, owner: &str) -> Done {
        use crate::content::{DocText, Extracted, Unread, stored};
        let f = &self.archive.dossiers[d].files[i];
        let inspection = &self.files.inspections[d][i];
        let key = (self.print, stored::owner_key(owner));
        // Without a result cache the file's key (a hash of its path) is not needed.
        let file_key = (self.keep || !self.beside.is_empty())
            .then(|| crate::cache::key(f))
            .flatten();
        let had = file_key.and_then(|k| self.beside.get(&k).map(|b| (k, b)));
        let before = had.and_then(|(_, b)| stored::decode(b, key));
        let cached = before.is_some();
        let text = before.unwrap_or_else(|| {
            let path = f.path(&self.archive.root);
            let reading = &self.options.reading;
            match crate::content::extract(&path, f.size, inspection, reading) {
                Extracted::Text(t) => Ok(DocText::Read(Box::new(self.lens.read(&t, owner)))),
                Extracted::NeedsOcr => Err(Unread::NeedsOcr),
                Extracted::NoText => Err(Unread::NoText),
                Extracted::Failed(why) => Ok(DocText::Failed(why)),
            }
        });
        let mut bytes = Vec::new();
        let kept = file_key
            .filter(|_| self.keep && stored::encode(key, &text, inspection.format, &mut bytes))
            .map(|k| (k, bytes));
        let had = had.map(|(k, _)| k);
        Done {
            at: (d as u32, i as u32),
            text,
            cache: (had.is_some() || kept.is_some())
                .then(|| Box::new(CacheSide { had, cached, kept })),
        }
    }
}

/// Read what the documents say, keep the readings in the result cache, and run the rules:
/// the findings, and what could be read of the documents.
pub(super) fn read_and_check(
    (config, options): (&Config, &Options),
    (archive, classes): (&Archive, &PerFile<Class>),
    files: &mut Files,
    (joined, unreadable): (&Joined, &[Unreadable]),
    (readers, cache, progress): (Option<&rayon::ThreadPool>, Option<Results>, &Progress),
) -> (
    Vec<crate::finding::Finding>,
    Option<crate::results::ContentCounts>,
) {
    let read = read_contents(
        (config, options),
        (archive, classes),
        files,
        joined,
        (readers, cache.is_some()),
    );
    progress.note(|| format!("读取文书：{} 个", crate::content::documents_read()));
    if let Some(cache) = cache {
        read.remember(&cache);
    }
    progress.phase("核对规则", None);
    check(
        config,
        options,
        archive,
        classes,
        files,
        joined,
        unreadable,
        &read.contents,
    )
}

/// Run the rules over the joined model and what the documents say: the findings, and what
/// could be read of the documents.
#[allow(clippy::too_many_arguments)]
fn check(
    config: &Config,
    options: &Options,
    archive: &Archive,
    classes: &PerFile<Class>,
    files: &Files,
    joined: &Joined,
    unreadable: &[Unreadable],
    contents: &crate::content::Contents,
) -> (
    Vec<crate::finding::Finding>,
    Option<crate::results::ContentCounts>,
) {
    let unreadable_paths: std::collections::HashSet<&str> =
        unreadable.iter().map(|u| u.rel.as_str()).collect();
    let ctx = Context {
        config,
        classifier: config.classifier(),
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
