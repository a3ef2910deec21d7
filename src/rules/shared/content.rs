//! The documents a content rule reads: each readable document of the given kinds in a
//! person's dossier, with the facts read from it; and the date a document bears.

use jiff::civil::Date;

use crate::content::DocText;
use crate::content::facts::DocFacts;
use crate::join::Person;
use crate::rules::Context;
use crate::walk::FileEntry;

/// A readable document of a person's dossier.
pub struct ReadDoc<'a> {
    pub person: &'a Person,
    pub dossier: usize,
    pub file: &'a FileEntry,
    /// The document it is (index into `Schema::documents`).
    pub document: usize,
    pub facts: &'a DocFacts,
}

/// Every readable document of the kinds in `documents`, in archive order. A document that
/// could not be read reliably is left out: `content-unreadable` reports it, no other rule
/// judges what it says.
pub fn readable<'a>(
    ctx: &'a Context<'_>,
    documents: &'a [usize],
) -> impl Iterator<Item = ReadDoc<'a>> {
    ctx.contents.iter().filter_map(move |(d, i, text)| {
        let DocText::Read(facts) = text else {
            return None;
        };
        let document = ctx.classes[d][i].get().filter(|c| documents.contains(c))?;
        (facts.readable).then_some(())?;
        Some(ReadDoc {
            person: ctx.dossier_person(d)?,
            dossier: d,
            file: &ctx.archive.dossiers[d].files[i],
            document,
            facts,
        })
    })
}

/// The date a document bears, as shown, and where it was found: the last date written in it,
/// else the period its file name names (its first day: the benefit of the doubt), else the
/// ledger milestone the document records (入党申请书 → 申请入党时间).
pub fn document_date(ctx: &Context<'_>, doc: &ReadDoc<'_>) -> Option<(Date, String, String)> {
    if let Some((date, shown)) = &doc.facts.written {
        return Some((*date, shown.to_string(), "文中落款".into()));
    }
    if let Some((first, _)) = crate::date::months_named(doc.file.stem()) {
        let (y, m) = (first.div_euclid(12), first.rem_euclid(12) + 1);
        let date = Date::new(i16::try_from(y).ok()?, m as i8, 1).ok()?;
        return Some((date, format!("{y}年{m}月"), "文件名".into()));
    }
    let milestone = ctx.config.documents[doc.document].milestone?;
    let value = ctx.milestone(ctx.row(doc.person)?, milestone)?;
    Some((
        value.earliest(),
        value.to_string(),
        format!("台账{}", ctx.config.milestone_title(milestone)),
    ))
}

/// A finding about a document read: its person, its document as subject, the file as
/// location, and `file` and `document` among the message's variables.
pub fn doc_finding(
    ctx: &Context<'_>,
    rule: &crate::rules::Rule,
    doc: &ReadDoc<'_>,
    vars: &[(&str, &str)],
) -> crate::finding::Finding {
    let document = &ctx.config.documents[doc.document];
    let mut all = vec![
        ("file", &*doc.file.rel),
        ("document", document.title.as_str()),
    ];
    all.extend_from_slice(vars);
    ctx.finding(
        rule,
        Some(doc.person),
        Some(document.key.clone()),
        Some(doc.file.rel.to_string()),
        Some(crate::finding::Location::file(doc.file.rel.clone())),
        &all,
    )
}

/// A content rule's `documents:`, each looked up (an unknown key is an error at its line);
/// None, with an error, when none is left.
pub fn resolve_documents(
    list: Option<Vec<String>>,
    r: &mut crate::rules::Resolver<'_>,
) -> Option<Vec<usize>> {
    let documents: Vec<usize> = list
        .unwrap_or_default()
        .iter()
        .filter_map(|d| r.document(d))
        .collect();
    if documents.is_empty() {
        let message = format!("规则 {} 需要 documents（要读的文书）", r.id);
        r.error(None, message, "缺少参数", None);
        return None;
    }
    Some(documents)
}
