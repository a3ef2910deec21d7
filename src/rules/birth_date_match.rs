//! birth-date-match: the ledger's birth date against the ID number's.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct BirthDateMatch;

impl RuleKind for BirthDateMatch {
    const NAME: &'static str = "birth-date-match";
    const DOC: &'static str = "\
kind: birth-date-match — 台账出生年月与身份证号中的出生日期不一致。按台账填写的精度比较：
填到月（1990.03）时只比年月。参数：无。消息变量：{ledger}、{id_birth}。subject：birth。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let Some(bf) = ctx.config.keys.birth else {
            return;
        };
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            let Some(ledger) = row.value(bf).and_then(|v| v.date()) else {
                continue;
            };
            let Some(id_birth) = ctx.id_birth(row) else {
                continue;
            };
            if id_birth < ledger.earliest() || id_birth > ledger.latest() {
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    Some(ctx.config.fields[bf].key.clone()),
                    None,
                    Some(row.location(Some(bf))),
                    &[
                        ("ledger", &ledger.to_string()),
                        ("id_birth", &id_birth.to_string()),
                    ],
                ));
            }
        }
    }
}
