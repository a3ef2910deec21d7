//! unmatched-ledger-row: a ledger row with no dossier folder.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::identity::{duplicates_reported, repeated_rows};

pub struct UnmatchedLedgerRow;

impl RuleKind for UnmatchedLedgerRow {
    const NAME: &'static str = "unmatched-ledger-row";
    const DOC: &'static str = "\
kind: unmatched-ledger-row — 台账中的一行没有对应的档案文件夹。只报告这一条，不再逐项报告缺少的材料；
该行的日期、身份证号仍照常检查。身份证号与前面某行重复的行由 duplicate-person 报告，这里不再报告。参数：无。消息变量：{name}、{branch}。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let repeated = if duplicates_reported(ctx) {
            repeated_rows(ctx)
        } else {
            vec![false; ctx.ledger.len()]
        };
        for p in ctx.people.iter().filter(|p| p.dossier.is_none()) {
            let Some(r) = p.row else { continue };
            if repeated[r] {
                continue;
            }
            let row = &ctx.ledger[r];
            let at = row.location(Some(ctx.config.keys.name));
            out.push(ctx.finding(rule, Some(p), None, None, Some(at), &[]));
        }
    }
}
