//! Byte-identical files: the one place they are grouped, for a single run (from the archive)
//! and for the merge of a sharded run (from the shards' fingerprints). Both give the same
//! groups: members in archive order, the first of each group the original.

use rayon::prelude::*;

use crate::inspect::{ContentHash, Inspection, content_hash};
use crate::results::Fingerprint;
use crate::walk::{Archive, PerFile, archive_order};

/// The groups of items sharing a key, with more than one member: each group in ascending
/// order of its items, the groups by their first item.
///
/// ```
/// let groups = dangan::duplicates::identical(vec![(7, 3), (1, 0), (7, 1), (2, 2)]);
/// assert_eq!(groups, vec![vec![1, 3]]);
/// ```
pub fn identical<K: Ord + Copy, T: Ord + Copy>(mut keyed: Vec<(K, T)>) -> Vec<Vec<T>> {
    keyed.sort_unstable();
    let mut out: Vec<Vec<T>> = keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|g| g.len() > 1)
        .map(|g| g.iter().map(|&(_, t)| t).collect())
        .collect();
    out.sort_unstable();
    out
}

/// Groups of byte-identical dossier files, as (dossier, file) pairs. Only files whose size
/// another file shares are hashed (where their inspection has no hash yet: the result cache
/// may have it), and the hash is kept in the inspection. A file that cannot be read for
/// hashing is left out (its inspection reports it). The second value: how many were read.
pub fn in_archive(
    archive: &Archive,
    inspections: &mut PerFile<Inspection>,
) -> (Vec<Vec<(usize, usize)>>, usize) {
    // Sizes (and first 4 KiB) sorted, not a map of lists: one small record per file, no
    // allocation per size.
    let mut sized: Vec<(u64, u64, u32, u32)> = Vec::with_capacity(archive.file_count());
    for (d, dossier) in archive.dossiers.iter().enumerate() {
        for (i, f) in dossier.files.iter().enumerate() {
            if f.size > 0 {
                sized.push((f.size, inspections[d][i].head, d as u32, i as u32));
            }
        }
    }
    sized.sort_unstable();
    let mut candidates: Vec<(u64, u32, u32)> = Vec::new();
    for run in sized.chunk_by(|a, b| a.0 == b.0) {
        // Files of one size whose first 4 KiB differ cannot be the same: only those that agree
        // are hashed whole (all of the size, where one's beginning was not read).
        let unknown = run.iter().any(|x| x.1 == 0);
        for same in run.chunk_by(|a, b| unknown || a.1 == b.1) {
            if same.len() > 1 {
                candidates.extend(same.iter().map(|&(size, _, d, i)| (size, d, i)));
            }
        }
    }
    drop(sized);
    let fresh = hash_files(
        archive,
        inspections,
        candidates.iter().map(|&(_, d, i)| (d as usize, i as usize)),
    );
    let hashed: Vec<((u64, u128), (usize, usize))> = candidates
        .iter()
        .filter_map(|&(size, d, i)| {
            let (d, i) = (d as usize, i as usize);
            inspections[d][i].hash.map(|h| ((size, h.get()), (d, i)))
        })
        .collect();
    (identical(hashed), fresh)
}

/// Hash the files named (dossier, file) whose inspection has no hash yet, in parallel, and
/// keep each hash in the inspection; how many were read.
pub fn hash_files(
    archive: &Archive,
    inspections: &mut PerFile<Inspection>,
    files: impl Iterator<Item = (usize, usize)>,
) -> usize {
    let missing: Vec<(usize, usize)> = files
        .filter(|&(d, i)| inspections[d][i].hash.is_none())
        .collect();
    let read: Vec<(usize, usize, ContentHash)> = missing
        .par_iter()
        .filter_map(|&(d, i)| {
            let f = &archive.dossiers[d].files[i];
            let hash = content_hash(&f.path(&archive.root), f.size).ok()?;
            Some((d, i, ContentHash::new(hash)?))
        })
        .collect();
    let n = read.len();
    for (d, i, hash) in read {
        inspections[d][i].hash = Some(hash);
    }
    n
}

/// The same groups from the shards' fingerprints: `prints` is put in archive order, and each
/// group holds indices into it.
pub fn in_shards(prints: &mut [Fingerprint]) -> Vec<Vec<usize>> {
    prints.sort_by(|a, b| archive_order(&a.file, &b.file));
    let keyed: Vec<((u64, &str), usize)> = prints
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.size, p.hash.as_str()), i))
        .collect();
    identical(keyed)
}
