//! working-days: a period of a range field (公示) shorter than so many working days, counted
//! on the holiday calendar of the rule set.

use crate::finding::Finding;
use crate::ledger::FieldValue;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::FieldType;

pub struct WorkingDays;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    field: Option<String>,
    min: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Params {
    /// A range field (公示时间 2022.06.06-2022.06.10).
    pub field: usize,
    /// At least this many working days, both ends counted.
    pub min: u32,
}

impl RuleKind for WorkingDays {
    const NAME: &'static str = "working-days";
    const DOC: &'static str = "\
kind: working-days — 区间字段（公示时间）所含工作日少于 min。

参数：field: 区间字段键；min: 工作日数（起止两天都计入）。
工作日按规则集的 calendar（每年的法定节假日和调休上班日，来自国务院办公厅的通知）计算：周六、周日
不算，法定假日不算，调休上班的周末算。calendar 中没有的年份只按周末计算，消息中说明。
两端都写到日的区间才检查；只写一个日期（多为开始日期）、或只写到月时不检查。
消息变量：{field}、{value}（区间）、{days}（工作日数）、{min}、{note}（未收录年份的说明，可为空）。
subject：字段键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let field = &ctx.config.fields[params.field];
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            let Some(FieldValue::Range(a, b)) = row.value(params.field) else {
                continue;
            };
            // One date (a range of one day is how a single date cell is held) gives no length.
            if a == b || !a.is_day() || !b.is_day() || b.earliest() < a.earliest() {
                continue;
            }
            let counted = ctx.config.calendar.working_days(a.earliest(), b.earliest());
            if counted.count >= params.min {
                continue;
            }
            let note = if counted.unknown_years.is_empty() {
                String::new()
            } else {
                let years: Vec<String> = counted
                    .unknown_years
                    .iter()
                    .map(|y| format!("{y}年"))
                    .collect();
                format!(
                    "（规则集的节假日表中没有{}，只按周末计算）",
                    years.join("、")
                )
            };
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(field.key.clone()),
                None,
                Some(row.location(Some(params.field))),
                &[
                    ("field", &field.title),
                    ("value", &format!("{a}至{b}")),
                    ("days", &counted.count.to_string()),
                    ("min", &params.min.to_string()),
                    ("note", &note),
                ],
            ));
        }
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let s = r.schema;
        let field = raw
            .field
            .as_deref()
            .and_then(|k| s.field(k))
            .filter(|&i| s.fields[i].kind == FieldType::Range);
        match (field, raw.min) {
            (Some(field), Some(min)) => Some(Params { field, min }),
            _ => {
                let message = format!("规则 {} 需要 field（区间字段）和 min（工作日数）", r.id);
                r.error(None, message, "", None);
                None
            }
        }
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Column(self.field)]
    }
}
