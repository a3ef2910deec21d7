//! A person's catalogs (卷内目录) against their dossier: shared by catalog-item-missing,
//! uncatalogued-document, page-count-mismatch, catalog-date-mismatch and catalog-unreadable.

use crate::classify::{Classifier, Match};
use crate::holdings::{Held, Holdings};
use crate::join::Person;
use crate::ledger::catalog_sheet::{CatalogEntry, row_pages};
use crate::rules::Context;

/// One catalog of a person: the rows one file holds for them, in the file's order.
pub struct Catalog<'a> {
    /// The catalog file's path in the archive.
    pub file: &'a str,
    /// (row index into `ctx.catalogs`, the row, what its title names).
    pub rows: Vec<(usize, &'a CatalogEntry, Match)>,
    /// The rows alone, in the same order (for [`row_pages`]).
    entries: Vec<&'a CatalogEntry>,
}

impl Catalog<'_> {
    /// The catalog file's name, as messages name it (the finding's place gives the path).
    pub fn name(&self) -> &str {
        file_name(self.file)
    }

    /// Whether a row names `doc` (alone, or as one of two it fits equally).
    pub fn names(&self, doc: usize) -> bool {
        self.rows.iter().any(|(_, _, m)| match *m {
            Match::One(d) => d == doc,
            Match::Tie(a, b) => a == doc || b == doc,
            Match::None => false,
        })
    }

    /// The rows naming `doc` alone.
    pub fn rows_of(&self, doc: usize) -> impl Iterator<Item = (usize, &CatalogEntry)> + '_ {
        self.rows
            .iter()
            .enumerate()
            .filter(move |(_, (_, _, m))| *m == Match::One(doc))
            .map(|(k, (_, e, _))| (k, *e))
    }

    /// The pages of row `k`: a count, a range, or a first page up to the next row's first
    /// page (unknown for the last row, or when the next row gives no first page).
    pub fn pages(&self, k: usize) -> Option<u32> {
        row_pages(&self.entries, k, None)
    }
}

/// A person's catalogs, one per file (a dossier's own, and rows of a branch catalog), each
/// checked on its own. Empty for a person without a dossier: there is nothing to check the
/// catalog against (unmatched-ledger-row says the folder is missing).
pub fn catalogs<'a>(
    ctx: &'a Context<'_>,
    classifier: &Classifier,
    person: &Person,
) -> Vec<Catalog<'a>> {
    let mut out: Vec<Catalog<'a>> = Vec::new();
    if person.dossier.is_none() {
        return out;
    }
    for &i in &person.catalog {
        let e = &ctx.catalogs[i];
        let filed = |d: usize| ctx.config.filed_as(d);
        let m = match classifier.matches(&e.title) {
            _ if e.title.trim().is_empty() => Match::None,
            Match::One(d) => Match::One(filed(d)),
            Match::Tie(a, b) if filed(a) == filed(b) => Match::One(filed(a)),
            Match::Tie(a, b) => Match::Tie(filed(a), filed(b)),
            Match::None => Match::None,
        };
        match out.iter_mut().find(|c| c.file == &*e.sheet.file) {
            Some(c) => {
                c.rows.push((i, e, m));
                c.entries.push(e);
            }
            None => out.push(Catalog {
                file: &e.sheet.file,
                rows: vec![(i, e, m)],
                entries: vec![e],
            }),
        }
    }
    out
}

/// The documents a dossier holds, as a catalog lists them (see [`Holdings`]).
pub fn held(ctx: &Context<'_>, d: usize) -> Vec<Held> {
    let dir = &ctx.archive.dossiers[d];
    let mut h = Holdings::new(ctx.config, dir.path());
    for (i, f) in dir.files.iter().enumerate() {
        let parts = ctx.parts.get(d, i).iter();
        h.file(
            &f.rel,
            ctx.classes[d][i].get(),
            ctx.inspections[d][i].pages,
            parts.map(|p| (p.document, p.first_page, p.pages)),
        );
    }
    h.held
}

/// The last part of a path.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `第3行`: a row as a person reads it.
pub fn row_label(e: &CatalogEntry) -> String {
    format!("第{}行", e.row + 1)
}
