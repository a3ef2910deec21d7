//! ledger-conflict: one person's rows disagree on a value.

use crate::finding::Finding;
use crate::ledger::merge::shown;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct LedgerConflict;

impl RuleKind for LedgerConflict {
    const NAME: &'static str = "ledger-conflict";
    const DOC: &'static str = "\
kind: ledger-conflict — 同一人的多行（不同工作表或工作簿：按阶段分的名册、按年度的台账）在同一项上
填得不一样。身份证号相同，或某行没有身份证号时同一支部同名，即为同一人；各行合并为一人，每个值保留
自己的单元格。相同的值不报告；只到月的日期与同月某天、2021.1 这样两读的数字与其中一种读法相符，
都不算不一致。同一工作表上的两行不合并（由 duplicate-person 报告）。参数：无。
消息变量：{field}、{value}、{location}、{other_value}、{other_location}。subject：字段键。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            for c in row.conflicts() {
                let field = &ctx.config.fields[c.field];
                let here = row.source_location(c.kept, c.field);
                let there = row.source_location(c.other, c.field);
                let kept = row.value(c.field).as_ref().map(shown);
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    Some(field.key.clone()),
                    None,
                    Some(there.clone()),
                    &[
                        ("field", &field.title),
                        ("value", kept.as_deref().unwrap_or_default()),
                        ("location", &here.to_string()),
                        ("other_value", &shown(&c.other_value)),
                        ("other_location", &there.to_string()),
                    ],
                ));
            }
        }
    }
}
