//! unmatched-dossier: a dossier folder with no ledger row.

use crate::finding::{Finding, Location};
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::identity::{duplicates_reported, repeated_folders};

pub struct UnmatchedDossier;

impl RuleKind for UnmatchedDossier {
    const NAME: &'static str = "unmatched-dossier";
    const DOC: &'static str = "\
kind: unmatched-dossier — 档案文件夹在台账中找不到对应的行。

文件夹名含身份证号时按号码对应，否则按（支部，姓名）对应；支部名写法不同时，全台账唯一的
姓名也可对应。每个文件夹只报告一次，其中的文件仍照常检查。文件夹名中的身份证号与前面某个文件夹
重复时由 duplicate-person 报告，这里不再报告。找不到台账时不报告（见 ledger-not-found）。
参数：无。消息变量：{dossier}、{name}、{detail}（同名多行等原因）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        if !ctx.ledger_found {
            return;
        }
        let repeated = if duplicates_reported(ctx) {
            repeated_folders(ctx)
        } else {
            vec![false; ctx.people.len()]
        };
        for (i, p) in ctx.people.iter().enumerate() {
            if p.row.is_some() || repeated[i] {
                continue;
            }
            let Some(d) = p.dossier else { continue };
            let rel = &ctx.archive.dossiers[d].path().to_string();
            out.push(ctx.finding(
                rule,
                Some(p),
                None,
                Some(rel.clone()),
                Some(Location::file(rel.clone())),
                &[("detail", p.unmatched_detail())],
            ));
        }
    }
}
