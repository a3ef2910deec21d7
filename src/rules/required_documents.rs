//! required-documents: a dossier lacks a material its stage requires.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::documents::{Required, missing, unverifiable};

pub struct RequiredDocuments;

impl RuleKind for RequiredDocuments {
    const NAME: &'static str = "required-documents";
    const DOC: &'static str = "\
kind: required-documents — 档案缺少其所处阶段应有的材料。

每个有台账行、有档案文件夹的人，按台账中已填写的最后一个环节确定阶段（stages 表），
阶段所要求的材料是累积的：预备党员阶段也要求申请人、积极分子、发展对象各阶段的材料。

参数（都可省略）：
  documents:  [文书键, …]   只检查这些文书（省略时用 stages 表中的 requires）
  from_stage: 阶段键        documents 从哪个阶段起必须具备（默认第一个阶段）
消息变量：{document} 文书名称、{stage} 当前阶段名称、{name}、{dossier}
subject：文书键。没有台账行的文件夹不检查（已报告 dossier-without-ledger-row）。";
    type Params = Required;

    fn check(ctx: &Context<'_>, rule: &Rule, required: &Required, out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let (Some(d), Some(_), Some(stage)) = (p.dossier, p.row, p.stage) else {
                continue;
            };
            // A combined file without bookmarks may hold them: combined-file-unverifiable
            // says so.
            if !unverifiable(ctx, d).is_empty() {
                continue;
            }
            for doc in missing(ctx, classifier, required, d, stage) {
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
}
