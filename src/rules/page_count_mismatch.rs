//! page-count-mismatch: a catalog's pages for a material differ from the scans'.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::catalog::{catalogs, held, row_label};

pub struct PageCountMismatch;

impl RuleKind for PageCountMismatch {
    const NAME: &'static str = "page-count-mismatch";
    const DOC: &'static str = "\
kind: page-count-mismatch — 卷内目录写的页数与扫描件的页数不一致。

目录的页数取自页数列（8）或页号列（5-12 记 8 页；只写起始页号时，到下一行起始页号的前一页）；
扫描件的页数：PDF、TIFF 的页数，一张图片一页，合订 PDF 按书签所指的页。一种材料在目录中有
几行、在档案中有几个文件时，各自相加后比较。任何一边的页数不知道时不比较。
参数：无。消息变量：{document}、{catalog_pages}、{scan_pages}、{files}、{catalog}、{row}。
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
                for h in &held {
                    let rows: Vec<_> = catalog.rows_of(h.doc).collect();
                    let Some(&(_, first)) = rows.first() else {
                        continue;
                    };
                    let listed = rows.iter().try_fold(0u32, |sum, &(k, _)| {
                        Some(sum.saturating_add(catalog.pages(k)?))
                    });
                    let (Some(listed), Some(scanned)) = (listed, h.pages) else {
                        continue;
                    };
                    if listed == scanned {
                        continue;
                    }
                    let document = &ctx.config.documents[h.doc];
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        Some(document.key.clone()),
                        None,
                        Some(first.pages_location()),
                        &[
                            ("document", &document.title),
                            ("catalog_pages", &listed.to_string()),
                            ("scan_pages", &scanned.to_string()),
                            ("files", &h.files.join("、")),
                            ("catalog", catalog.name()),
                            ("row", &row_label(first)),
                        ],
                    ));
                }
            }
        }
    }
}
