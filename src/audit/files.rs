//! Looking inside every file: inspections (from the result cache where unchanged), the
//! documents combined files hold, byte-identical files, and what could not be read.

use crate::classify::Class;
use rayon::prelude::*;

use super::progress::Progress;
use super::{Options, reading};
use crate::config::Config;
use crate::inspect::{FileFormat, Inspection, inspect};
use crate::walk::{Archive, PerFile, Unreadable};

/// What is inside the files: each file's inspection, the documents combined files hold by
/// their bookmarks, and the groups of byte-identical files.
pub(super) struct Files {
    pub(super) inspections: PerFile<Inspection>,
    /// The loose files' inspections.
    pub(super) loose: Vec<Inspection>,
    pub(super) parts: crate::classify::Parts,
    pub(super) duplicate_groups: Vec<Vec<(usize, usize)>>,
    /// What the result cache kept beside unchanged files' inspections (documents' readings,
    /// `content::stored`), by the files' cache keys; taken by the content phase.
    pub(super) beside: std::collections::HashMap<u128, Box<[u8]>>,
}

pub(super) fn scan_files(
    config: &Config,
    archive: &Archive,
    options: &Options,
    cache: Option<&crate::cache::Results>,
    readers: Option<&rayon::ThreadPool>,
    progress: &Progress,
) -> Files {
    let Inspected {
        mut inspections,
        loose,
        hits,
        beside,
    } = reading(readers, || inspect_all(archive, progress, cache));
    let parts = crate::classify::Parts::find(
        config.classifier(),
        archive.dossiers.len(),
        |d| archive.dossiers[d].files.len(),
        |d, i| {
            let insp = &inspections[d][i];
            insp.outline().map(|o| (&o.0[..], insp.pages))
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
        beside,
    }
}

/// What a run read anew: files found in the cache, and files hashed.
pub(super) struct Fresh {
    pub(super) hits: usize,
    pub(super) hashed: usize,
}

/// Keep this run's inspections (and hashes) in the result cache — unless every file was
/// found there unchanged, nothing was hashed anew and no file has gone (then the cache
/// file is as it would be written).
pub(super) fn remember(
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

/// Every file's inspection, and what the result cache kept beside them.
pub(super) struct Inspected {
    inspections: PerFile<Inspection>,
    loose: Vec<Inspection>,
    /// How many files came from the cache.
    hits: usize,
    beside: std::collections::HashMap<u128, Box<[u8]>>,
}

/// Look inside every file (signature, integrity, resolution, pages), in parallel: the
/// dossiers' files, then the loose ones. A file the result cache has, unchanged, is not read
/// (with `--verify-cache`, only its content is: its hash must match); what the cache kept
/// beside its inspection is kept for the content phase.
pub(super) fn inspect_all(
    archive: &Archive,
    progress: &Progress,
    cache: Option<&crate::cache::Results>,
) -> Inspected {
    let hits = std::sync::atomic::AtomicUsize::new(0);
    let beside = std::sync::Mutex::new(std::collections::HashMap::new());
    let look = |f: &crate::walk::FileEntry| {
        progress.tick();
        let path = f.path(&archive.root);
        let Some(cache) = cache else {
            return inspect(&path, f.size);
        };
        match cache.inspection_and_beside(f, &path) {
            Ok((found, rest)) => {
                hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if !rest.is_empty()
                    && let Some(key) = crate::cache::key(f)
                    && let Ok(mut b) = beside.lock()
                {
                    b.insert(key, rest.into());
                }
                found
            }
            Err(hash) => {
                let mut insp = inspect(&path, f.size);
                insp.hash = hash.or(insp.hash);
                insp
            }
        }
    };
    let inspections = archive.per_file(look);
    let loose = archive.loose.par_iter().map(look).collect();
    Inspected {
        inspections,
        loose,
        hits: hits.into_inner(),
        beside: beside.into_inner().unwrap_or_default(),
    }
}

/// What the walk and the inspection could not read, each reported once (unreadable-file).
pub(super) fn unreadable_files(
    archive: &Archive,
    inspections: &PerFile<Inspection>,
    loose_inspections: &[Inspection],
) -> Vec<Unreadable> {
    let mut unreadable: Vec<Unreadable> = archive.problems.clone();
    for (d, dossier) in archive.dossiers.iter().enumerate() {
        for (f, i) in dossier.files.iter().zip(&inspections[d]) {
            let problem = match (i.problem(), i.format) {
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
        if let Some(p) = i.problem() {
            unreadable.push(Unreadable {
                rel: f.rel.to_string(),
                detail: p.to_string(),
                dossier: None,
            });
        }
    }
    unreadable
}

/// Every dossier file's content hash, for the merge of a sharded run (reads every file).
pub(super) fn fingerprints(
    archive: &crate::walk::Archive,
    classes: &PerFile<Class>,
    config: &Config,
    people: &[crate::join::Person],
    inspections: &PerFile<Inspection>,
) -> Vec<crate::shard::Fingerprint> {
    let mut name_of = vec![String::new(); archive.dossiers.len()];
    for p in people {
        if let Some(d) = p.dossier {
            name_of[d] = p.name.to_string();
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
                        dossier: dir.rel.to_string(),
                        branch: dir.branch().to_string(),
                        name: name.clone(),
                        document: classes[d][i].get().map(|c| config.documents[c].key.clone()),
                        size: f.size,
                        hash: format!("{hash:032x}"),
                    })
                })
        })
        .collect()
}
