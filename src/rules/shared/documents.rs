//! What a dossier holds and should hold: shared by required-documents, unrecognized-file,
//! ambiguous-file and combined-file-unverifiable.

use crate::classify::{Classifier, Match, unnamed_combined};
use crate::rules::Context;
use crate::rules::kind::{Parameters, Resolver};

/// The parameters of required-documents and combined-file-unverifiable, as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequired {
    /// Only these documents (default: the stage table's `requires`).
    pub documents: Option<Vec<String>>,
    /// The stage from which they are required (default: the first).
    pub from_stage: Option<String>,
    /// How long after a stage opens its `grace_documents` are not yet required.
    pub grace: Option<String>,
    pub grace_documents: Option<Vec<String>>,
}

/// The documents a rule requires, resolved.
#[derive(Debug, Clone)]
pub struct Required {
    /// None: the stage table's `requires`.
    pub documents: Option<Vec<usize>>,
    pub from_stage: usize,
    /// Documents made after their stage opens (预备党员考察表: its first assessment a quarter
    /// in), and how long they may be missing.
    pub grace: Option<(crate::date::Duration, Vec<usize>)>,
}

impl Parameters for Required {
    type Raw = RawRequired;

    fn resolve(raw: RawRequired, r: &mut Resolver<'_>) -> Option<Required> {
        let before = r.errors.len();
        let documents = raw
            .documents
            .map(|ds| ds.iter().filter_map(|d| r.document(d)).collect());
        let from_stage = match raw.from_stage.as_deref() {
            None => 0,
            Some(s) => r.stage(s).unwrap_or(0),
        };
        let grace = match raw.grace.as_deref() {
            None => None,
            Some(t) => r.duration("grace", t).map(|g| {
                let docs = raw.grace_documents.iter().flatten();
                (g, docs.filter_map(|d| r.document(d)).collect())
            }),
        };
        (r.errors.len() == before).then_some(Required {
            documents,
            from_stage,
            grace,
        })
    }
}

impl Required {
    /// Documents a person at `stage` must hold.
    pub fn at(&self, ctx: &Context<'_>, stage: usize) -> Vec<usize> {
        if stage < self.from_stage {
            return Vec::new();
        }
        if let Some(docs) = &self.documents {
            return docs.clone();
        }
        let mut v = Vec::new();
        for s in &ctx.config.stages[self.from_stage..=stage] {
            for &d in &s.requires {
                if !v.contains(&d) {
                    v.push(d);
                }
            }
        }
        v
    }
}

/// The documents a dossier holds: by file name, by material folder, or inside a combined
/// file by its bookmarks.
pub fn present(ctx: &Context<'_>, d: usize) -> Vec<usize> {
    let mut v: Vec<usize> = ctx.classes[d].iter().filter_map(|c| c.get()).collect();
    v.extend(ctx.parts.of_dossier(d).map(|p| p.document));
    v
}

/// A dossier's combined files that say nothing of what they hold: PDF or OFD files of more
/// than one page whose name names no document and that have no usable bookmarks.
pub fn unverifiable(ctx: &Context<'_>, d: usize) -> Vec<usize> {
    let files = &ctx.archive.dossiers[d].files;
    (0..files.len())
        .filter(|&i| {
            unnamed_combined(
                ctx.classes[d][i].get(),
                ctx.parts.get(d, i),
                &ctx.inspections[d][i],
            ) && !ctx.is_unreadable(&files[i].rel)
        })
        .collect()
}

/// The documents a person at their stage should hold under `required` and that are not there.
pub fn missing(
    ctx: &Context<'_>,
    classifier: &Classifier,
    required: &Required,
    d: usize,
    stage: usize,
) -> Vec<usize> {
    let present = present(ctx, d);
    let mut wanted = required.at(ctx, stage);
    wanted.retain(|doc| !present.contains(doc));
    if let Some((grace, docs)) = &required.grace
        && in_grace(ctx, d, stage, grace)
    {
        let opened = &ctx.config.stages[stage].requires;
        wanted.retain(|doc| !(docs.contains(doc) && opened.contains(doc)));
    }
    if wanted.is_empty() {
        return wanted;
    }
    // A file that fits two documents equally may be either: neither is reported missing
    // (ambiguous-file says what was seen).
    let maybe = maybe(ctx, classifier, d);
    wanted.retain(|doc| !maybe.contains(doc));
    wanted
}

/// Whether the stage of dossier `d`'s person opened less than `grace` before the as-of date.
fn in_grace(ctx: &Context<'_>, d: usize, stage: usize, grace: &crate::date::Duration) -> bool {
    let m = crate::schema::MilestoneRef {
        field: ctx.config.stages[stage].milestone,
        end: crate::schema::End::Start,
    };
    ctx.dossier_person(d)
        .and_then(|p| ctx.row(p))
        .and_then(|row| ctx.milestone(row, m))
        .is_some_and(|opened| grace.after(opened.earliest()) > ctx.as_of)
}

/// The documents a dossier's files may be: both of the two each unnamed file's name fits
/// equally.
pub fn maybe(ctx: &Context<'_>, classifier: &Classifier, d: usize) -> Vec<usize> {
    ctx.archive.dossiers[d]
        .files
        .iter()
        .zip(&ctx.classes[d])
        .filter(|(_, c)| c.get().is_none())
        .filter_map(|(f, _)| tie(classifier, f))
        .flat_map(|(a, b)| [a, b])
        .collect()
}

/// Two documents a dossier file's name fits equally, when it names no single one.
pub fn tie(classifier: &Classifier, f: &crate::walk::FileEntry) -> Option<(usize, usize)> {
    match classifier.matches(f.stem()) {
        Match::Tie(a, b) => Some((a, b)),
        _ => None,
    }
}
