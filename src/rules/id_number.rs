//! id-number: an ID number that GB 11643-1999 does not allow.

use crate::finding::{Finding, Location};
use crate::idnum;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::identity::describe;

pub struct IdNumber;

/// Why an 18-digit number ending in 000 is wrong, when it is: Excel keeps 15 significant
/// digits of a number, so an ID typed into a number cell (shown 3.20102E+17) loses its last
/// three. Said in the finding, with the fix.
fn stored_as_number(id: &str) -> &'static str {
    let n = idnum::normalize(id);
    let exponent = id.contains(['e', 'E']) && id.trim().parse::<f64>().is_ok_and(|f| f >= 1e14);
    let rounded = n.len() == 18 && n.bytes().all(|b| b.is_ascii_digit()) && n.ends_with("000");
    if exponent || rounded {
        "（末三位是 000：多半是 Excel 把身份证号存成了数字，只保留 15 位有效数字。请把这一列设为“文本”格式后重新输入号码）"
    } else {
        ""
    }
}

impl RuleKind for IdNumber {
    const NAME: &'static str = "id-number";
    const DOC: &'static str = "\
kind: id-number — 身份证号不符合 GB 11643-1999：长度不是 18 位（或 15 位旧号码）、含非法字符、
校验码不符（权重 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2，模 11 对应 10X98765432），
或出生日期码不存在、晚于审核基准日。检查台账中的号码和档案文件夹名中的号码。
参数：无。消息变量：{id}（已脱敏）、{detail}。subject：id_number。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let subject = Some("id_number".to_string());
        let id_field = ctx.config.keys.id_number;
        for p in ctx.people {
            let row = ctx.row(p);
            let row_id = row.and_then(|r| r.text(id_field));
            if let (Some(row), Some(id)) = (row, row_id)
                && let Err(e) = idnum::check(id, ctx.as_of)
            {
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    subject.clone(),
                    None,
                    Some(row.location(id_field)),
                    &[
                        ("id", &idnum::mask(&idnum::normalize(id))),
                        ("detail", &(describe(&e) + stored_as_number(id))),
                    ],
                ));
            }
            // The folder's number, unless it is the very number already checked in the
            // ledger, or differs from it (then id-number-mismatch says so, once).
            if let (Some(d), Some(id), false) = (p.dossier, p.folder_id(), p.id_mismatch()) {
                let same = row_id.is_some_and(|r| idnum::normalize(r) == idnum::normalize(id));
                if !same && let Err(e) = idnum::check(id, ctx.as_of) {
                    let rel = &ctx.archive.dossiers[d].path().to_string();
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        subject.clone(),
                        Some(rel.clone()),
                        Some(Location::file(rel.clone())),
                        &[
                            ("id", &idnum::mask(&idnum::normalize(id))),
                            ("detail", &describe(&e)),
                        ],
                    ));
                }
            }
        }
    }
}
