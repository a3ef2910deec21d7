//! The rules, and the documents' text the content rules read.

use rayon::prelude::*;

use super::files::Files;
use super::people::Joined;
use super::progress::Progress;
use super::{Options, reading};
use crate::config::Config;
use crate::rules::{self, Context};
use crate::walk::{Archive, PerFile, Unreadable};

/// What the documents the content rules read say: each such file of a person's dossier (whole
/// files, not bookmarked parts; not files already found broken), read — text layers on the
/// readers' pool, OCR on the cores — and reduced to the facts the rules look at.
pub(super) fn read_contents(
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
pub(super) fn check(
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
