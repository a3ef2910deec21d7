//! missing-milestone: a milestone left empty while a later one is filled.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};

pub struct MissingMilestone;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    sequence: Option<Vec<String>>,
}

impl RuleKind for MissingMilestone {
    const NAME: &'static str = "missing-milestone";
    const DOC: &'static str = "\
kind: missing-milestone — 一个环节为空，而 sequence 中排在它后面的某个环节已填写：程序无法核验
（不等于违规）。台账没有该列时不检查；已报告为 invalid-date 的字段不算“为空”。

参数：sequence: [字段键, …]  按程序先后排列的时间字段。
消息变量：{field} 为空的字段、{later} 已填写的后续字段。subject：为空的字段键。";
    type Params = Sequence;

    fn check(
        ctx: &Context<'_>,
        rule: &Rule,
        Sequence(sequence): &Sequence,
        out: &mut Vec<Finding>,
    ) {
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            for (i, &f) in sequence.iter().enumerate() {
                if !row.has_column(f) || row.is_empty(f) != Some(true) {
                    continue;
                }
                let later = sequence[i + 1..]
                    .iter()
                    .copied()
                    .find(|&g| row.is_empty(g) == Some(false));
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
}

/// The fields in the order of the procedure.
#[derive(Debug)]
pub struct Sequence(pub Vec<usize>);

impl Parameters for Sequence {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Sequence> {
        let before = r.errors.len();
        let sequence: Vec<usize> = raw
            .sequence
            .iter()
            .flatten()
            .filter_map(|m| r.milestone(m).map(|m| m.field))
            .collect();
        if r.errors.len() > before {
            return None;
        }
        if sequence.len() < 2 {
            let message = format!("规则 {} 需要 sequence（至少两个时间字段）", r.id);
            r.error(None, message, "", None);
            return None;
        }
        Some(Sequence(sequence))
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::AtLeast(2, self.0.clone())]
    }
}
