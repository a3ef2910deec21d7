//! Documents a dossier must hold, and files that are no document.

use crate::classify::{Classifier, Match};
use crate::config::{Params, Rule};
use crate::finding::Finding;
use crate::inspect::FileFormat;
use crate::rules::Context;

pub const REQUIRED_DOC: &str = "\
kind: required-documents — 档案缺少其所处阶段应有的材料。

每个有台账行、有档案文件夹的人，按台账中已填写的最后一个环节确定阶段（stages 表），
阶段所要求的材料是累积的：预备党员阶段也要求申请人、积极分子、发展对象各阶段的材料。

参数（都可省略）：
  documents:  [文书键, …]   只检查这些文书（省略时用 stages 表中的 requires）
  from_stage: 阶段键        documents 从哪个阶段起必须具备（默认第一个阶段）
消息变量：{document} 文书名称、{stage} 当前阶段名称、{name}、{dossier}
subject：文书键。没有台账行的文件夹不检查（已报告 dossier-without-ledger-row）。";

pub const UNRECOGNIZED_DOC: &str = "\
kind: unrecognized-file — 文件名不含任何文书关键词的文件（含根目录和支部文件夹中的散落文件）。

不是台账、也不是简历的表格同样报告。参数：无。消息变量：{file}（相对路径）。";

/// Documents a person at `stage` must hold under this rule.
fn required_at(ctx: &Context<'_>, rule: &Rule, stage: usize) -> Vec<usize> {
    match &rule.params {
        Params::RequiredDocuments {
            documents: Some(docs),
            from_stage,
        } => {
            if stage >= *from_stage {
                docs.clone()
            } else {
                Vec::new()
            }
        }
        Params::RequiredDocuments { from_stage, .. } => {
            let mut v = Vec::new();
            if stage >= *from_stage {
                for s in &ctx.config.stages[*from_stage..=stage] {
                    for &d in &s.requires {
                        if !v.contains(&d) {
                            v.push(d);
                        }
                    }
                }
            }
            v
        }
        _ => Vec::new(),
    }
}

/// The documents a dossier holds: by file name, by material folder, or inside a combined
/// file by its bookmarks.
fn present(ctx: &Context<'_>, d: usize) -> Vec<usize> {
    let mut v: Vec<usize> = ctx.classes[d].iter().flatten().copied().collect();
    v.extend(ctx.parts.of_dossier(d).map(|p| p.document));
    v
}

/// A dossier's combined files that say nothing of what they hold: PDF or OFD files of more
/// than one page whose name names no document and that have no usable bookmarks.
fn unverifiable(ctx: &Context<'_>, d: usize) -> Vec<usize> {
    let files = &ctx.archive.dossiers[d].files;
    (0..files.len())
        .filter(|&i| {
            let insp = &ctx.inspections[d][i];
            ctx.classes[d][i].is_none()
                && ctx.parts.get(d, i).is_empty()
                && matches!(insp.format, FileFormat::Pdf | FileFormat::Ofd)
                && insp.problem.is_none()
                && insp.pages.is_some_and(|p| p > 1)
                && !ctx.is_unreadable(&files[i].rel)
        })
        .collect()
}

/// The documents a person at their stage should hold under `rule` and that are not there.
fn missing(
    ctx: &Context<'_>,
    classifier: &Classifier,
    rule: &Rule,
    d: usize,
    stage: usize,
) -> Vec<usize> {
    let present = present(ctx, d);
    let mut wanted = required_at(ctx, rule, stage);
    wanted.retain(|doc| !present.contains(doc));
    if wanted.is_empty() {
        return wanted;
    }
    // A file that fits two documents equally may be either: neither is reported missing
    // (ambiguous-file says what was seen).
    let maybe: Vec<usize> = ctx.archive.dossiers[d]
        .files
        .iter()
        .zip(&ctx.classes[d])
        .filter(|(_, c)| c.is_none())
        .filter_map(|(f, _)| tie(classifier, f))
        .flat_map(|(a, b)| [a, b])
        .collect();
    wanted.retain(|doc| !maybe.contains(doc));
    wanted
}

pub fn required(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let classifier = Classifier::new(&ctx.config.documents);
    for p in ctx.people {
        let (Some(d), Some(_), Some(stage)) = (p.dossier, p.row, p.stage) else {
            continue;
        };
        // A combined file without bookmarks may hold them: combined-file-unverifiable says so.
        if !unverifiable(ctx, d).is_empty() {
            continue;
        }
        for doc in missing(ctx, &classifier, rule, d, stage) {
            let document = &ctx.config.documents[doc];
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(document.key.clone()),
                None,
                None,
                &[
                    ("document", &document.title),
                    ("stage", &ctx.config.stages[stage].title),
                ],
            ));
        }
    }
}

pub const COMBINED_DOC: &str = "\
kind: combined-file-unverifiable — 档案中有多页的 PDF 或 OFD 合订文件，文件名不含材料名称、也没有可用的书签
（如“张伟发展党员档案.pdf”），而档案按文件名缺少本阶段应有的材料：这些材料可能就在合订文件里，无法确认。
报告这一条（在该文件上，列出无法确认的材料），不再逐项报告 missing-document。给合订文件加上以材料命名的书签，
或按材料拆分文件，即可核对。有书签的合订文件按书签确认材料及其页码、页数（只读书签和页面树，不读页面内容）。
参数：documents（与 required-documents 相同，省略时用 stages 表）。消息变量：{file}、{pages}、{documents}。
subject：null。";

pub fn combined(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let classifier = Classifier::new(&ctx.config.documents);
    for p in ctx.people {
        let (Some(d), Some(_), Some(stage)) = (p.dossier, p.row, p.stage) else {
            continue;
        };
        let files = unverifiable(ctx, d);
        if files.is_empty() {
            continue;
        }
        let missing = missing(ctx, &classifier, rule, d, stage);
        if missing.is_empty() {
            continue;
        }
        let titles: Vec<String> = missing
            .iter()
            .map(|&doc| format!("《{}》", ctx.config.documents[doc].title))
            .collect();
        for i in files {
            let f = &ctx.archive.dossiers[d].files[i];
            let pages = ctx.inspections[d][i].pages.unwrap_or(0).to_string();
            out.push(ctx.finding(
                rule,
                Some(p),
                None,
                Some(f.rel.to_string()),
                Some(crate::finding::Location::file(f.rel.to_string())),
                &[
                    ("file", &f.rel),
                    ("pages", &pages),
                    ("documents", &titles.join("、")),
                ],
            ));
        }
    }
}

/// Two documents a dossier file's name fits equally, when it names no single one.
fn tie(classifier: &Classifier, f: &crate::walk::FileEntry) -> Option<(usize, usize)> {
    match classifier.matches(f.stem()) {
        Match::Tie(a, b) => Some((a, b)),
        _ => None,
    }
}

pub const AMBIGUOUS_DOC: &str = "\
kind: ambiguous-file — 档案中的文件名同样符合两种文书（关键词一样长，如单写“考察表”：积极分子的还是预备党员的），
无法确定是哪一份：不替用户猜，这个文件不算作任何一种文书；两种文书都不再报告缺少（missing-document），
也不再报告为无法识别。参数：无。消息变量：{file}、{first}、{second}（两种文书的名称）。";

pub fn ambiguous(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let classifier = Classifier::new(&ctx.config.documents);
    for p in ctx.people {
        let Some(d) = p.dossier else { continue };
        for (f, class) in ctx.archive.dossiers[d].files.iter().zip(&ctx.classes[d]) {
            if class.is_some() || ctx.is_unreadable(&f.rel) {
                continue;
            }
            let Some((a, b)) = tie(&classifier, f) else {
                continue;
            };
            let docs = &ctx.config.documents;
            out.push(ctx.finding(
                rule,
                Some(p),
                None,
                Some(f.rel.to_string()),
                None,
                &[
                    ("file", &f.rel),
                    ("first", &docs[a].title),
                    ("second", &docs[b].title),
                ],
            ));
        }
    }
}

pub fn unrecognized(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let classifier = Classifier::new(&ctx.config.documents);
    for p in ctx.people {
        let Some(d) = p.dossier else { continue };
        // A combined file is reported by combined-file-unverifiable when it may hold a missing
        // document; one with bookmarks naming documents is recognised.
        let mut combined = unverifiable(ctx, d);
        let reported = match (p.row, p.stage) {
            (Some(_), Some(stage)) if !combined.is_empty() => ctx.config.rules.iter().any(|r| {
                r.enabled
                    && r.kind == crate::config::Kind::CombinedFileUnverifiable
                    && !missing(ctx, &classifier, r, d, stage).is_empty()
            }),
            _ => false,
        };
        if !reported {
            combined.clear();
        }
        let files = ctx.archive.dossiers[d].files.iter().zip(&ctx.classes[d]);
        for (i, (f, class)) in files.enumerate() {
            // An empty file is empty-file's alone.
            if class.is_none()
                && f.size > 0
                && ctx.parts.get(d, i).is_empty()
                && !combined.contains(&i)
                && !ctx.is_unreadable(&f.rel)
                && tie(&classifier, f).is_none()
            {
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    None,
                    Some(f.rel.to_string()),
                    None,
                    &[("file", &f.rel)],
                ));
            }
        }
    }
    for (f, recognised) in ctx.archive.loose.iter().zip(ctx.loose_recognised) {
        if *recognised || f.size == 0 || ctx.is_unreadable(&f.rel) {
            continue;
        }
        let mut finding = ctx.finding(
            rule,
            None,
            None,
            Some(f.rel.to_string()),
            None,
            &[("file", &f.rel)],
        );
        finding.branch = f.rel.split_once('/').map(|(b, _)| b.to_string());
        out.push(finding);
    }
}
