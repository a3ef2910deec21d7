//! plan-shortfall: a branch that, at the end of a year, admitted fewer people than its
//! 年度发展计划 planned — in total or in a category (高知识群体, 少数民族 …).

use crate::finding::Finding;
use crate::ledger::plan::PlanRow;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::{MilestoneRef, PlanBy, Schema};
use crate::text::normalize;

pub struct PlanShortfall;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    milestone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Params {
    /// The milestone that counts as done (admitted: 接收为预备党员).
    pub milestone: MilestoneRef,
}

impl RuleKind for PlanShortfall {
    const NAME: &'static str = "plan-shortfall";
    const DOC: &'static str = "\
kind: plan-shortfall — 年度发展计划中某支部某年的计划数（总数或某一类别）在该年结束时没有完成。

参数：milestone（默认 admitted：该年接收为预备党员的人算完成）。计划表见规则集的 plan（支部、年度、
各类别的列；类别按台账的学历、民族、人员类别统计）。只看已经结束的年度（审核基准日为 12 月 31 日时含当年）；
没有年度一列的计划不检查；按台账中没有的列（如学历）统计的类别不检查。每个支部每年一条，列出没有完成的类别。
消息变量：{branch}、{year}、{detail}（如“总数计划 3 人、完成 1 人；少数民族计划 1 人、完成 0 人”）。
位置：计划表中该支部的单元格。subject：plan。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let (this, last_day) = (
            ctx.as_of.year(),
            ctx.as_of.month() == 12 && ctx.as_of.day() == 31,
        );
        let ended = |y: i16| y < this || (y == this && last_day);
        // A category counted by a column no ledger has cannot be judged: left out.
        let present = crate::rules::ledger_columns(ctx);
        let countable: Vec<bool> = ctx
            .config
            .plan
            .categories
            .iter()
            .map(|c| match by_field(ctx.config, c.by) {
                None => c.by == PlanBy::Everyone,
                Some(f) => present.get(f).copied().unwrap_or(false),
            })
            .collect();
        for row in ctx.plan.iter().filter(|r| r.year.is_some_and(ended)) {
            let Some(year) = row.year else { continue };
            let done = done_by_category(ctx, params, row, year);
            let short: Vec<String> = row
                .counts
                .iter()
                .filter(|&&(k, n)| countable[k] && done[k] < n)
                .map(|&(k, n)| {
                    let title = &ctx.config.plan.categories[k].title;
                    format!("{title}计划 {n} 人、完成 {} 人", done[k])
                })
                .collect();
            if short.is_empty() {
                continue;
            }
            let mut f = rule.finding(&[
                ("branch", row.branch.as_str()),
                ("year", &year.to_string()),
                ("detail", &short.join("；")),
            ]);
            f.branch = Some(row.branch.to_string());
            f.file = Some(row.file.clone());
            f.location = Some(row.location());
            f.subject = Some("plan".into());
            out.push(f);
        }
    }
}

/// For each category of the plan: the people of the row's branch whose milestone falls in
/// `year` and whom the category counts.
fn done_by_category(ctx: &Context<'_>, params: &Params, row: &PlanRow, year: i16) -> Vec<u32> {
    let cats = &ctx.config.plan.categories;
    let mut done = vec![0u32; cats.len()];
    let branch = normalize(&row.branch);
    for p in ctx.people.iter().filter(|p| normalize(&p.branch) == branch) {
        let Some(r) = ctx.row(p) else { continue };
        let in_year = ctx
            .milestone(r, params.milestone)
            .is_some_and(|d| d.earliest().year() == year);
        if !in_year {
            continue;
        }
        for (k, c) in cats.iter().enumerate() {
            if c.counts(r.text(by_field(ctx.config, c.by))) {
                done[k] += 1;
            }
        }
    }
    done
}

/// The ledger field a category counts by.
pub fn by_field(schema: &Schema, by: PlanBy) -> Option<usize> {
    let k = &schema.keys;
    match by {
        PlanBy::Everyone => None,
        PlanBy::Education => k.education,
        PlanBy::Ethnicity => k.ethnicity,
        PlanBy::Category => k.category,
        PlanBy::Sex => k.sex,
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let milestone = r.milestone(raw.milestone.as_deref().unwrap_or("admitted"))?;
        Some(Params { milestone })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::milestone(self.milestone)]
    }
}
