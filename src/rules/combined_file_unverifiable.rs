//! combined-file-unverifiable: a combined PDF or OFD without bookmarks may hold the materials
//! the dossier lacks by name.

use crate::finding::{Finding, Location};
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::documents::{Required, missing, unverifiable};

pub struct CombinedFileUnverifiable;

impl RuleKind for CombinedFileUnverifiable {
    const NAME: &'static str = "combined-file-unverifiable";
    const DOC: &'static str = "\
kind: combined-file-unverifiable — 档案中有多页的 PDF 或 OFD 合订文件，文件名不含材料名称、也没有可用的书签
（如“张伟发展党员档案.pdf”），而档案按文件名缺少本阶段应有的材料：这些材料可能就在合订文件里，无法确认。
报告这一条（在该文件上，列出无法确认的材料），不再逐项报告 missing-document。给合订文件加上以材料命名的书签，
或按材料拆分文件，即可核对。有书签的合订文件按书签确认材料及其页码、页数（只读书签和页面树，不读页面内容）。
参数：documents（与 required-documents 相同，省略时用 stages 表）。消息变量：{file}、{pages}、{documents}。
subject：null。";
    type Params = Required;

    fn check(ctx: &Context<'_>, rule: &Rule, required: &Required, out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let (Some(d), Some(_), Some(stage)) = (p.dossier, p.row, p.stage) else {
                continue;
            };
            let files = unverifiable(ctx, d);
            if files.is_empty() {
                continue;
            }
            let missing = missing(ctx, classifier, required, d, stage);
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
                    Some(Location::file(f.rel.to_string())),
                    &[
                        ("file", &f.rel),
                        ("pages", &pages),
                        ("documents", &titles.join("、")),
                    ],
                ));
            }
        }
    }
}
