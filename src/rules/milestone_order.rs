//! milestone-order: a milestone dated before one that must come first.

use crate::date::DateValue;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::MilestoneRef;

pub struct MilestoneOrder;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    chains: Option<Vec<Vec<String>>>,
}

impl RuleKind for MilestoneOrder {
    const NAME: &'static str = "milestone-order";
    const DOC: &'static str = "\
kind: milestone-order — 一个环节的时间早于它之前应完成的环节。

参数：chains: [[字段键, …], …]  每条链按先后排列；区间字段写 trained.start / trained.end。
每条链中，每个已填写的环节与它前面最近一个已填写的环节比较（中间空着的环节被跳过）；
只到月的日期按整月比较，只有确定颠倒时才报告。
消息变量：{field}、{value} 较晚环节及其日期，{earlier}、{earlier_value} 应在前的环节。
subject：应在后的环节（区间写 trained.start 等）。";
    type Params = Chains;

    fn check(ctx: &Context<'_>, rule: &Rule, Chains(chains): &Chains, out: &mut Vec<Finding>) {
        let s = ctx.config;
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
                            Some(s.milestone_key(m)),
                            None,
                            Some(row.location(Some(m.field))),
                            &[
                                ("field", &s.milestone_title(m)),
                                ("value", &v.to_string()),
                                ("earlier", &s.milestone_title(pm)),
                                ("earlier_value", &pv.to_string()),
                            ],
                        ));
                    }
                    prev = Some((m, v));
                }
            }
        }
    }
}

/// Chains of milestones, each in the order of the procedure.
#[derive(Debug)]
pub struct Chains(pub Vec<Vec<MilestoneRef>>);

impl Parameters for Chains {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Chains> {
        let before = r.errors.len();
        let chains: Vec<Vec<MilestoneRef>> = raw
            .chains
            .iter()
            .flatten()
            .map(|c| c.iter().filter_map(|m| r.milestone(m)).collect())
            .collect();
        if r.errors.len() > before {
            return None;
        }
        if chains.is_empty() {
            r.error(None, format!("规则 {} 需要 chains", r.id), "", None);
            return None;
        }
        Some(Chains(chains))
    }

    fn needs(&self) -> Vec<Need> {
        let chain = |c: &Vec<MilestoneRef>| Need::AtLeast(2, c.iter().map(|m| m.field).collect());
        vec![Need::AnyOf(self.0.iter().map(chain).collect())]
    }
}
