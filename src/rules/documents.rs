//! Documents a dossier must hold, and files that are no document.

use crate::classify::{Classifier, Match};
use crate::config::{Params, Rule};
use crate::finding::Finding;
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

pub fn required(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for p in ctx.people {
        let (Some(d), Some(_), Some(stage)) = (p.dossier, p.row, p.stage) else {
            continue;
        };
        let present = &ctx.classes[d];
        // A file that fits two documents equally may be either: neither is reported missing
        // (ambiguous-file says what was seen).
        let classifier = Classifier::new(&ctx.config.documents);
        let maybe: Vec<usize> = ctx.archive.dossiers[d]
            .files
            .iter()
            .zip(present)
            .filter(|(_, c)| c.is_none())
            .filter_map(|(f, _)| tie(&classifier, f))
            .flat_map(|(a, b)| [a, b])
            .collect();
        for doc in required_at(ctx, rule, stage) {
            if present.contains(&Some(doc)) || maybe.contains(&doc) {
                continue;
            }
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
        for (f, class) in ctx.archive.dossiers[d].files.iter().zip(&ctx.classes[d]) {
            if class.is_none() && !ctx.is_unreadable(&f.rel) && tie(&classifier, f).is_none() {
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
        if *recognised || ctx.is_unreadable(&f.rel) {
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
