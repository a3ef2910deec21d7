//! A finding about one file, as the file kinds write it.

use crate::finding::{Finding, Location};
use crate::rules::{Context, Rule};

/// The key of the document a file was taken for.
pub fn doc_key(ctx: &Context<'_>, class: Option<usize>) -> Option<String> {
    class.map(|c| ctx.config.documents[c].key.clone())
}

/// A finding about one file: the person of its dossier, or for a loose file its branch folder.
pub fn file_finding(
    ctx: &Context<'_>,
    rule: &Rule,
    dossier: Option<usize>,
    f: &crate::walk::FileEntry,
    class: Option<usize>,
    vars: &[(&str, &str)],
) -> Finding {
    let person = dossier.and_then(|d| ctx.dossier_person(d));
    let mut all = vec![("file", &*f.rel)];
    all.extend_from_slice(vars);
    let mut finding = ctx.finding(
        rule,
        person,
        doc_key(ctx, class),
        Some(f.rel.to_string()),
        Some(Location::file(f.rel.clone())),
        &all,
    );
    if finding.branch.is_none() {
        finding.branch = ctx.branch_of(&f.rel);
    }
    finding
}
