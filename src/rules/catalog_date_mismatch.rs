//! catalog-date-mismatch: a catalog's date for a material differs from the ledger milestone
//! the material records.

use crate::classify::Match;
use crate::date::DateValue;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::catalog::{catalogs, row_label};

pub struct CatalogDateMismatch;

impl RuleKind for CatalogDateMismatch {
    const NAME: &'static str = "catalog-date-mismatch";
    const DOC: &'static str = "\
kind: catalog-date-mismatch — 卷内目录中某材料的日期与台账中它所记录的环节时间不一致。

哪种材料记录哪个环节，由 documents 中的 milestone 给出（入党申请书 → 申请入党时间，入党志愿书
→ 接收为预备党员时间 …）。两边都写到日时按日比较；任何一边只写到月（或年）时按月（年）比较。
目录或台账的日期为空、无法识别时不比较（catalog-unreadable、invalid-date 另行报告）。
参数：无。消息变量：{document}、{catalog_date}、{milestone}（环节名称）、{ledger_date}、
{catalog}、{row}。subject：文书键。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            for catalog in catalogs(ctx, classifier, p) {
                for (_, e, m) in &catalog.rows {
                    let Match::One(doc) = *m else { continue };
                    let document = &ctx.config.documents[doc];
                    let (Some(milestone), Some(Ok((date, other)))) = (document.milestone, &e.date)
                    else {
                        continue;
                    };
                    let Some(ledger) = ctx.milestone(row, milestone) else {
                        continue;
                    };
                    if agree(*date, ledger) || other.is_some_and(|o| agree(o, ledger)) {
                        continue;
                    }
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        Some(document.key.clone()),
                        None,
                        Some(e.date_location()),
                        &[
                            ("document", &document.title),
                            ("catalog_date", &date.to_string()),
                            ("milestone", &ctx.config.milestone_title(milestone)),
                            ("ledger_date", &ledger.to_string()),
                            ("catalog", catalog.name()),
                            ("row", &row_label(e)),
                        ],
                    ));
                }
            }
        }
    }
}

/// Whether two dates agree at the coarser of their precisions (2021-06 and 2021-06-15 do).
fn agree(a: DateValue, b: DateValue) -> bool {
    a.earliest() <= b.latest() && b.earliest() <= a.latest()
}
