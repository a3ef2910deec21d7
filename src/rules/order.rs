//! The order of milestones, and milestones left empty before a filled one.

use crate::config::{MilestoneRef, Params, Rule};
use crate::date::DateValue;
use crate::finding::Finding;
use crate::rules::Context;

pub const MISSING_DOC: &str = "\
kind: missing-milestone — 一个环节为空，而 sequence 中排在它后面的某个环节已填写：程序无法核验
（不等于违规）。台账没有该列时不检查；已报告为 invalid-date 的字段不算“为空”。

参数：sequence: [字段键, …]  按程序先后排列的时间字段。
消息变量：{field} 为空的字段、{later} 已填写的后续字段。subject：为空的字段键。";

pub const ORDER_DOC: &str = "\
kind: milestone-order — 一个环节的时间早于它之前应完成的环节。

参数：chains: [[字段键, …], …]  每条链按先后排列；区间字段写 trained.start / trained.end。
每条链中，每个已填写的环节与它前面最近一个已填写的环节比较（中间空着的环节被跳过）；
只到月的日期按整月比较，只有确定颠倒时才报告。
消息变量：{field}、{value} 较晚环节及其日期，{earlier}、{earlier_value} 应在前的环节。
subject：应在后的环节（区间写 trained.start 等）。";

pub fn missing(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let Params::MissingMilestone { sequence } = &rule.params else {
        return;
    };
    for p in ctx.people {
        let Some(row) = ctx.row(p) else { continue };
        for (i, &f) in sequence.iter().enumerate() {
            if !row.has_column(f) || !row.value(f).is_some_and(|v| v.is_empty()) {
                continue;
            }
            let later = sequence[i + 1..]
                .iter()
                .copied()
                .find(|&g| row.value(g).is_some_and(|v| !v.is_empty()));
            let Some(later) = later else { continue };
            let field = &ctx.config.fields[f];
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(field.key.clone()),
                None,
                Some(row.location(Some(f))),
                &[
                    ("field", &field.title),
                    ("later", &ctx.config.fields[later].title),
                ],
            ));
        }
    }
}

pub fn order(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let Params::MilestoneOrder { chains } = &rule.params else {
        return;
    };
    for p in ctx.people {
        let Some(row) = ctx.row(p) else { continue };
        for chain in chains {
            let mut prev: Option<(MilestoneRef, DateValue)> = None;
            for &m in chain {
                let Some(v) = ctx.milestone(row, m) else {
                    continue;
                };
                if let Some((pm, pv)) = prev
                    && pv.earliest() > v.latest()
                {
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        Some(ctx.config.milestone_key(m)),
                        None,
                        Some(row.location(Some(m.field))),
                        &[
                            ("field", &ctx.config.milestone_title(m)),
                            ("value", &v.to_string()),
                            ("earlier", &ctx.config.milestone_title(pm)),
                            ("earlier_value", &pv.to_string()),
                        ],
                    ));
                }
                prev = Some((m, v));
            }
        }
    }
}
