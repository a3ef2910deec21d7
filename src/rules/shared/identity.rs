//! Who repeats whom: the ID numbers of ledger rows and folder names, shared by
//! duplicate-person, unmatched-dossier, unmatched-ledger-row and the ID kinds.

use std::collections::{HashMap, HashSet};

use crate::idnum::{self, IdError};
use crate::ledger::LedgerRow;
use crate::rules::{Context, Kind};

/// Whether duplicate-person is reporting repeated ID numbers: then the repeat of a number is
/// that rule's one finding, and is not reported again as a folder or row without a partner.
pub fn duplicates_reported(ctx: &Context<'_>) -> bool {
    ctx.rules
        .iter()
        .any(|r| r.enabled && r.kind() == Kind::DuplicatePerson)
}

/// Every ledger row of the archive in ledger order, with its index among this run's rows
/// (None for a row of another shard's branch).
pub fn all_rows<'a>(ctx: &'a Context<'_>) -> Vec<(&'a LedgerRow, Option<usize>)> {
    let mut v: Vec<_> = ctx
        .ledger
        .iter()
        .enumerate()
        .map(|(i, r)| (r, Some(i)))
        .chain(ctx.foreign_rows.iter().map(|r| (r, None)))
        .collect();
    v.sort_by_key(|(r, _)| r.seq);
    v
}

/// Every dossier folder whose name carries an ID number, in archive order: (relative path,
/// normalised ID, the person of this run, or None for another shard's folder).
pub fn all_folders(ctx: &Context<'_>) -> Vec<(String, String, Option<usize>)> {
    let mut v: Vec<(String, String, Option<usize>)> = ctx
        .people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let d = p.dossier?;
            let id = p.folder_id()?;
            Some((
                ctx.archive.dossiers[d].path().to_string(),
                idnum::normalize(id),
                Some(i),
            ))
        })
        .chain(
            ctx.archive
                .foreign_folders
                .iter()
                .filter_map(|(rel, folder)| Some((rel.clone(), idnum::find_in(folder)?, None))),
        )
        .collect();
    v.sort_by(|a, b| crate::walk::archive_order(&a.0, &b.0));
    v
}

/// A ledger row whose ID number an earlier row of the archive holds.
pub struct Repeat<'a> {
    pub row: &'a LedgerRow,
    /// Its index among this run's rows (None for a row of another shard's branch).
    pub local: Option<usize>,
    /// The first row with the number.
    pub first: &'a LedgerRow,
    /// The number, normalised.
    pub id: String,
}

/// Every ledger row of the archive whose ID number an earlier row holds, in ledger order.
/// Only the rows whose number's hash another row shares ([`shared_hashes`]) are remembered by
/// number.
pub fn repeats<'a>(ctx: &'a Context<'_>) -> Vec<Repeat<'a>> {
    let rows = all_rows(ctx);
    let id = |row: &LedgerRow| row.text(ctx.config.keys.id_number).map(idnum::normalize);
    let twice = shared_hashes(rows.iter().filter_map(|(row, _)| id(row)));
    let mut first: HashMap<String, &LedgerRow> = HashMap::new();
    let mut out = Vec::new();
    for (row, local) in rows {
        let Some(key) = id(row) else {
            continue;
        };
        // A number whose hash no other row has is not repeated (nor needs remembering).
        if !twice.contains(&crate::join::hash_of(&[&key])) {
            continue;
        }
        match first.get(&key) {
            Some(&f) => out.push(Repeat {
                row,
                local,
                first: f,
                id: key,
            }),
            None => {
                first.insert(key, row);
            }
        }
    }
    out
}

/// This run's ledger rows whose ID number already appeared on an earlier row.
pub fn repeated_rows(ctx: &Context<'_>) -> Vec<bool> {
    let mut out = vec![false; ctx.ledger.len()];
    for r in repeats(ctx) {
        if let Some(i) = r.local {
            out[i] = true;
        }
    }
    out
}

/// The hashes of the ID numbers more than one row holds (or of two numbers that share a hash:
/// the caller compares the numbers). Worked out in 8 bytes a row, so that only the rows of
/// these hashes are remembered by number — a million rows' numbers in a map took about 70 MB.
fn shared_hashes(ids: impl Iterator<Item = String>) -> HashSet<u64> {
    let mut hashes: Vec<u64> = ids.map(|id| crate::join::hash_of(&[&id])).collect();
    hashes.sort_unstable();
    hashes
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect()
}

/// People whose folder's ID number already appeared in an earlier folder's name.
pub fn repeated_folders(ctx: &Context<'_>) -> Vec<bool> {
    let mut seen = HashSet::new();
    let mut out = vec![false; ctx.people.len()];
    for (_, id, person) in all_folders(ctx) {
        let repeat = !seen.insert(id);
        if let Some(p) = person {
            out[p] = repeat;
        }
    }
    out
}

/// What is wrong with an ID number, in words.
pub fn describe(e: &IdError) -> String {
    match e {
        IdError::Malformed => "应为 18 位（末位可为 X），或 15 位旧号码".into(),
        IdError::CheckDigit(c) => format!("校验码不符，按前 17 位计算应为 {c}"),
        IdError::BirthDate => "其中的出生日期不存在或晚于审核基准日".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_hashes_are_those_of_numbers_held_twice() {
        let ids = ["110", "220", "110", "330", "330", "330", "440"];
        let twice = shared_hashes(ids.iter().map(|s| s.to_string()));
        let h = |s: &str| crate::join::hash_of(&[s]);
        assert_eq!(twice, HashSet::from([h("110"), h("330")]));
        assert!(shared_hashes(std::iter::empty()).is_empty());
        assert!(shared_hashes(["110".to_string()].into_iter()).is_empty());
    }
}
