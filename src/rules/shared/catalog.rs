//! A person's catalogs (卷内目录) against their dossier: shared by catalog-item-missing,
//! uncatalogued-document, page-count-mismatch, catalog-date-mismatch and catalog-unreadable.

use crate::classify::{Classifier, Match};
use crate::join::Person;
use crate::ledger::catalog::{CatalogEntry, row_pages};
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

/// A document a dossier holds: its files (a file of a combined PDF with its page range) and
/// pages (None when a file's pages are not known, such as a spreadsheet's).
pub struct Held {
    pub doc: usize,
    /// The first file's path, where a finding points.
    pub first_file: String,
    pub files: Vec<String>,
    pub pages: Option<u32>,
}

/// The documents a dossier holds, in the order first met, as a catalog lists them (a page of
/// the 入党志愿书 filed alone is the 入党志愿书), the catalog itself left out.
pub fn held(ctx: &Context<'_>, d: usize) -> Vec<Held> {
    let dir = &ctx.archive.dossiers[d];
    let mut out: Vec<Held> = Vec::new();
    let mut add = |doc: usize, rel: &str, shown: String, pages: Option<u32>| {
        let doc = ctx.config.filed_as(doc);
        if Some(doc) == ctx.config.keys.catalog {
            return;
        }
        match out.iter_mut().find(|h| h.doc == doc) {
            Some(h) => {
                h.files.push(shown);
                h.pages = h.pages.zip(pages).map(|(a, b)| a.saturating_add(b));
            }
            None => out.push(Held {
                doc,
                first_file: rel.to_string(),
                files: vec![shown],
                pages,
            }),
        }
    };
    for (i, f) in dir.files.iter().enumerate() {
        let short = f
            .rel
            .strip_prefix(dir.rel.as_str())
            .map_or(&*f.rel, |r| r.trim_start_matches('/'));
        if let Some(doc) = ctx.classes[d][i] {
            add(doc, &f.rel, short.to_string(), ctx.inspections[d][i].pages);
        }
        for p in ctx.parts.get(d, i) {
            let shown = match (p.first_page, p.pages) {
                (Some(a), Some(n)) if n > 1 => format!("{short} 第{a}–{}页", a + n - 1),
                (Some(a), _) => format!("{short} 第{a}页"),
                _ => short.to_string(),
            };
            add(p.document, &f.rel, shown, p.pages);
        }
    }
    out
}

/// The last part of a path.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// `第3行`: a row as a person reads it.
pub fn row_label(e: &CatalogEntry) -> String {
    format!("第{}行", e.row + 1)
}
