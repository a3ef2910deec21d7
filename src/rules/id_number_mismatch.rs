//! id-number-mismatch: the folder's ID number is not the ledger's for the same name.

use crate::finding::Finding;
use crate::idnum;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct IdNumberMismatch;

impl RuleKind for IdNumberMismatch {
    const NAME: &'static str = "id-number-mismatch";
    const DOC: &'static str = "\
kind: id-number-mismatch — 文件夹名中的身份证号不在台账中，而文件夹的姓名在本支部台账中恰好对应一行：
按姓名连接，报告这一处号码不一致（一个错误，一条问题；不再报告“无对应行”“无对应文件夹”）。
台账中的号码本身无效时不报告本条（由 id-number 报告）。参数：无。
消息变量：{folder_id}、{ledger_id}（均打码）。subject：id_number。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let id_field = ctx.config.keys.id_number;
        for p in ctx.people.iter().filter(|p| p.id_mismatch()) {
            let (Some(row), Some(folder_id), Some(d)) = (ctx.row(p), p.folder_id(), p.dossier)
            else {
                continue;
            };
            let Some(ledger_id) = row.text(id_field) else {
                continue;
            };
            if idnum::check(ledger_id, ctx.as_of).is_err() {
                continue;
            }
            let rel = &ctx.archive.dossiers[d].path().to_string();
            out.push(ctx.finding(
                rule,
                Some(p),
                Some("id_number".into()),
                Some(rel.clone()),
                Some(row.location(id_field)),
                &[
                    ("folder_id", &idnum::mask(&idnum::normalize(folder_id))),
                    ("ledger_id", &idnum::mask(&idnum::normalize(ledger_id))),
                ],
            ));
        }
    }
}
