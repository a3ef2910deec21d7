//! branch-dormant: a branch that has admitted no one (接收为预备党员) for N years before the
//! as-of date — the 四色研判's red, as a finding every output carries.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::rules::shared::dormancy::{listed_only, no_admission_for};
use crate::schema::MilestoneRef;

pub struct BranchDormant;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    years: Option<u32>,
    milestone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Params {
    pub years: u32,
    pub milestone: MilestoneRef,
}

impl RuleKind for BranchDormant {
    const NAME: &'static str = "branch-dormant";
    const DOC: &'static str = "\
kind: branch-dormant — 支部在审核基准日之前 years 年内没有接收预备党员（台账中没有接收记录也算）。
支部取自档案和台账，以及年度发展计划或支部名单（规则集的 plan）所列的支部：没有档案文件夹、台账中也没有人的支部同样报告。

参数：years（默认 3）；milestone（默认 admitted）。与 branch_rating 的 no_admission_years 是同一计算，
所以 JSON、SARIF 与委员会页面上的四色研判一致。每个支部一条，不属于任何档案。
消息变量：{branch}、{years}、{detail}（最近一次接收及距今多久）。subject：branch。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let mut last: BTreeMap<&str, Option<Date>> = BTreeMap::new();
        // A branch none of whose people the ledger lists is not known to the ledger: silent.
        for p in ctx.people.iter().filter(|p| !p.branch.is_empty()) {
            let Some(row) = ctx.row(p) else { continue };
            let admitted = ctx.milestone(row, params.milestone).map(|d| d.earliest());
            let e = last.entry(p.branch.as_str()).or_default();
            *e = (*e).max(admitted);
        }
        // The branches a 年度发展计划 or 支部名单 lists with no one in them.
        let known = ctx.people.iter().map(|p| p.branch.as_str());
        for branch in listed_only(known, ctx.plan) {
            last.entry(branch).or_default();
        }
        for (branch, last) in last {
            let Some(detail) = no_admission_for(last, ctx.as_of, params.years) else {
                continue;
            };
            let mut f = rule.finding(&[
                ("branch", branch),
                ("years", &params.years.to_string()),
                ("detail", &detail),
            ]);
            f.branch = Some(branch.to_string());
            f.subject = Some("branch".into());
            out.push(f);
        }
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let milestone = r.milestone(raw.milestone.as_deref().unwrap_or("admitted"))?;
        Some(Params {
            years: raw.years.unwrap_or(3),
            milestone,
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::milestone(self.milestone)]
    }
}
