//! uncatalogued-document: a dossier holds a material its catalog does not list.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::catalog::{catalogs, held};

pub struct UncataloguedDocument;

impl RuleKind for UncataloguedDocument {
    const NAME: &'static str = "uncatalogued-document";
    const DOC: &'static str = "\
kind: uncatalogued-document — 档案中有某种材料，卷内目录却没有列出。

只检查有卷内目录（可读的表格）的档案；目录本身不算。一个档案有本人的目录和支部总目录时，
两份目录分别核对。每种材料报告一次，指向它的第一个文件。
参数：无。消息变量：{document} 文书名称、{files} 该材料的文件、{catalog} 目录文件。
subject：文书键。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let Some(d) = p.dossier else { continue };
            if p.catalog.is_empty() {
                continue;
            }
            let held = held(ctx, d);
            for catalog in catalogs(ctx, classifier, p) {
                for h in held.iter().filter(|h| !catalog.names(h.doc)) {
                    let document = &ctx.config.documents[h.doc];
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        Some(document.key.clone()),
                        Some(h.first_file.clone()),
                        None,
                        &[
                            ("document", &document.title),
                            ("files", &h.files.join("、")),
                            ("catalog", catalog.name()),
                        ],
                    ));
                }
            }
        }
    }
}
