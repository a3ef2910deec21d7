//! catalog-item-missing: a catalog lists a material the dossier does not hold.

use crate::classify::Match;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::catalog::{catalogs, row_label};
use crate::rules::shared::documents::{maybe, present, unverifiable};

pub struct CatalogItemMissing;

impl RuleKind for CatalogItemMissing {
    const NAME: &'static str = "catalog-item-missing";
    const DOC: &'static str = "\
kind: catalog-item-missing — 卷内目录列出的材料，档案文件夹中没有。

目录行的题名按文件名的同一套文书名称和别名（documents）识别。档案中有无法判断内容的合订文件
（combined-file-unverifiable）时不报告；每份目录中的每种材料报告一次，指向它的第一行。
参数：无。消息变量：{document} 文书名称、{title} 目录中的题名、{catalog} 目录文件、{row}
（第N行）。subject：文书键。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let Some(d) = p.dossier else { continue };
            if p.catalog.is_empty() || !unverifiable(ctx, d).is_empty() {
                continue;
            }
            let filed = |d: usize| ctx.config.filed_as(d);
            let held: Vec<usize> = present(ctx, d).into_iter().map(filed).collect();
            // A file that fits two documents equally may be either.
            let maybe: Vec<usize> = maybe(ctx, classifier, d).into_iter().map(filed).collect();
            for catalog in catalogs(ctx, classifier, p) {
                let mut said: Vec<usize> = Vec::new();
                for (_, e, m) in &catalog.rows {
                    let Match::One(doc) = *m else { continue };
                    if held.contains(&doc)
                        || maybe.contains(&doc)
                        || said.contains(&doc)
                        || Some(doc) == ctx.config.keys.catalog
                    {
                        continue;
                    }
                    said.push(doc);
                    let document = &ctx.config.documents[doc];
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        Some(document.key.clone()),
                        None,
                        Some(e.location()),
                        &[
                            ("document", &document.title),
                            ("title", &e.title),
                            ("catalog", catalog.name()),
                            ("row", &row_label(e)),
                        ],
                    ));
                }
            }
        }
    }
}
