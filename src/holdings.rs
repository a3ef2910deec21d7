//! A dossier's documents as a catalog lists them ([`Holdings`], used by the catalog rules
//! and by `dangan catalog`), and a combined file's contents from its dossier's catalog.
//!
//! A dossier scanned as one PDF (or OFD) without bookmarks names nothing inside it; when its
//! catalog (卷内目录) gives every material's pages, the catalog is the file's index, as
//! bookmarks would be. The catalog's rows are laid over the file's pages: page numbers
//! (页号 `5-12`, or first pages), or counts (页数) one after the other. Only when the rows not
//! filed as files of their own tile the file exactly — from page 1 to its last, no gap, no
//! overlap, every row naming one document — are they taken as the file's parts; otherwise
//! the file stays unverifiable (`combined-file-unverifiable` says so), and nothing is guessed.

use crate::classify::Class;
use crate::classify::{Classifier, Match, Part, Parts, unnamed_combined};
use crate::inspect::Inspection;
use crate::join::Person;
use crate::ledger::catalog_sheet::{CatalogEntry, Pages, row_pages};
use crate::schema::Schema;
use crate::walk::{Archive, PerFile};

/// A document a dossier holds, as a catalog lists it: its files (a combined file's part with
/// its pages) and pages (None when a file's pages are not known, such as a spreadsheet's).
pub struct Held {
    pub doc: usize,
    /// The first file's path in the archive, where a finding points.
    pub first_file: String,
    /// Paths within the dossier.
    pub files: Vec<String>,
    pub pages: Option<u32>,
}

/// A dossier's documents gathered file by file, in the order first met: a document filed
/// inside another (a page of the 入党志愿书 filed alone) under that one, the catalog itself
/// left out.
pub struct Holdings<'a> {
    config: &'a Schema,
    dossier: &'a str,
    pub held: Vec<Held>,
}

impl<'a> Holdings<'a> {
    pub fn new(config: &'a Schema, dossier: &'a str) -> Self {
        Holdings {
            config,
            dossier,
            held: Vec::new(),
        }
    }

    /// A file (`rel`, its path in the archive): the document its name is, with its pages,
    /// and the documents its parts are, each (document, first page, pages).
    pub fn file(
        &mut self,
        rel: &str,
        doc: Option<usize>,
        pages: Option<u32>,
        parts: impl Iterator<Item = (usize, Option<u32>, Option<u32>)>,
    ) {
        let short = rel
            .strip_prefix(self.dossier)
            .map_or(rel, |r| r.trim_start_matches('/'));
        if let Some(doc) = doc {
            self.add(doc, rel, short.to_string(), pages);
        }
        for (doc, first, pages) in parts {
            let shown = match (first, pages) {
                (Some(a), Some(n)) if n > 1 => format!("{short} 第{a}–{}页", a + n - 1),
                (Some(a), _) => format!("{short} 第{a}页"),
                _ => short.to_string(),
            };
            self.add(doc, rel, shown, pages);
        }
    }

    fn add(&mut self, doc: usize, rel: &str, shown: String, pages: Option<u32>) {
        let doc = self.config.filed_as(doc);
        if Some(doc) == self.config.keys.catalog {
            return;
        }
        match self.held.iter_mut().find(|h| h.doc == doc) {
            Some(h) => {
                h.files.push(shown);
                h.pages = h.pages.zip(pages).map(|(a, b)| a.saturating_add(b));
            }
            None => self.held.push(Held {
                doc,
                first_file: rel.to_string(),
                files: vec![shown],
                pages,
            }),
        }
    }
}

/// Add to `parts` the contents of each dossier's one combined file that its catalog tiles.
pub fn place_combined(
    config: &Schema,
    archive: &Archive,
    classes: &PerFile<Class>,
    inspections: &PerFile<Inspection>,
    parts: &mut Parts,
    people: &[Person],
    entries: &[CatalogEntry],
) {
    let classifier = Classifier::new(&config.documents);
    let mut placed_files = Vec::new();
    for p in people {
        let Some(d) = p.dossier else { continue };
        if p.catalog.is_empty() {
            continue;
        }
        let combined: Vec<usize> = (0..archive.dossiers[d].files.len())
            .filter(|&i| unnamed_combined(classes[d][i].get(), parts.get(d, i), &inspections[d][i]))
            .collect();
        let [file] = combined[..] else { continue };
        let Some(total) = inspections[d][file].pages else {
            continue;
        };
        // Documents filed as files of their own are not in the combined file.
        let own: Vec<usize> = classes[d]
            .iter()
            .filter_map(|c| c.get())
            .map(|c| config.filed_as(c))
            .collect();
        let mut by_file: Vec<(&str, Vec<&CatalogEntry>)> = Vec::new();
        for &i in &p.catalog {
            let e = &entries[i];
            match by_file.iter_mut().find(|(f, _)| *f == &*e.sheet.file) {
                Some((_, rows)) => rows.push(e),
                None => by_file.push((&e.sheet.file, vec![e])),
            }
        }
        let placed = by_file.iter().find_map(|(_, rows)| {
            let rows: Vec<(&CatalogEntry, usize)> = rows
                .iter()
                .map(|e| match classifier.matches(&e.title) {
                    Match::One(doc) => Some((*e, config.filed_as(doc))),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?
                .into_iter()
                .filter(|(_, doc)| !own.contains(doc))
                .collect();
            tile(&rows, total)
        });
        if let Some(found) = placed {
            placed_files.push(((d, file), found));
        }
    }
    parts.add(placed_files);
}

/// The rows laid over pages 1..=`total`, when they tile them exactly.
fn tile(rows: &[(&CatalogEntry, usize)], total: u32) -> Option<Vec<Part>> {
    if rows.is_empty() {
        return None;
    }
    let entries: Vec<&CatalogEntry> = rows.iter().map(|(e, _)| *e).collect();
    let numbered = entries
        .iter()
        .all(|e| matches!(e.pages, Pages::Range(..) | Pages::Start(_)));
    let counted = entries.iter().all(|e| matches!(e.pages, Pages::Count(_)));
    if !numbered && !counted {
        return None;
    }
    let mut next = 1u32;
    let mut out: Vec<Part> = Vec::new();
    for (k, &(e, doc)) in rows.iter().enumerate() {
        let first = e.pages.first().unwrap_or(next);
        let pages = row_pages(&entries, k, Some(total))?;
        if first != next || pages == 0 {
            return None;
        }
        next = first.checked_add(pages)?;
        match out.iter_mut().find(|p| p.document == doc) {
            // A document in two places (思想汇报 after each stage): its pages add up; its first
            // page is the first place's.
            Some(p) => p.pages = p.pages.map(|n| n + pages),
            None => out.push(Part {
                document: doc,
                first_page: Some(first),
                pages: Some(pages),
            }),
        }
    }
    (next == total + 1).then_some(out)
}
