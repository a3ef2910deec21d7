//! Who repeats whom: the ID numbers of ledger rows and folder names, shared by
//! duplicate-person, unmatched-dossier, unmatched-ledger-row and the ID kinds.

use std::collections::HashSet;

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

/// This run's ledger rows whose ID number already appeared on an earlier row.
pub fn repeated_rows(ctx: &Context<'_>) -> Vec<bool> {
    let mut seen = HashSet::new();
    let mut out = vec![false; ctx.ledger.len()];
    for (row, local) in all_rows(ctx) {
        let Some(id) = row.text(ctx.config.keys.id_number) else {
            continue;
        };
        let repeat = !seen.insert(idnum::normalize(id));
        if let Some(i) = local {
            out[i] = repeat;
        }
    }
    out
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
