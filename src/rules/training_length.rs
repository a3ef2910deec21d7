//! training-length: a course (集中培训) shorter than so many days and so many class hours.

use crate::finding::Finding;
use crate::ledger::FieldValue;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::FieldType;

pub struct TrainingLength;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    field: Option<String>,
    min_days: Option<i32>,
    hours_field: Option<String>,
    min_hours: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Params {
    /// The course as a range (2020.07.10-2020.07.12).
    pub field: usize,
    pub min_days: i32,
    /// The class hours (学时), a text field, when the ledger keeps them.
    pub hours_field: Option<usize>,
    pub min_hours: f64,
}

impl RuleKind for TrainingLength {
    const NAME: &'static str = "training-length";
    const DOC: &'static str = "\
kind: training-length — 培训（区间字段）不足 min_days 天，且学时不足 min_hours。

参数：field: 区间字段键；min_days: 天数（起止两天都计入：2020.07.10-2020.07.12 是三天）；
hours_field: 可选，学时所在的文本字段（“24”“32学时”）；min_hours: 学时数。
天数或学时有一项达到即可（细则：一般不少于三天或二十四个学时）。只有学时一栏时按学时判断；
区间只写一个日期或只写到月、学时一栏也没有数字时不检查。
消息变量：{field}、{value}（区间或“未写”）、{days}、{hours}（学时或“未写”）、{min_days}、{min_hours}。
subject：字段键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let field = &ctx.config.fields[params.field];
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            let days = match row.value(params.field) {
                Some(FieldValue::Range(a, b)) if a != b && a.is_day() && b.is_day() => a
                    .earliest()
                    .until(b.earliest())
                    .ok()
                    .map(|s| (s.get_days() + 1, format!("{a}至{b}"))),
                _ => None,
            };
            let hours = params
                .hours_field
                .and_then(|f| row.text(Some(f)))
                .and_then(class_hours);
            let short_days = days.as_ref().map(|(d, _)| *d < params.min_days);
            let short_hours = hours.map(|h| h < params.min_hours);
            let violated = match (short_days, short_hours) {
                (Some(d), Some(h)) => d && h,
                (Some(d), None) => d,
                (None, Some(h)) => h,
                (None, None) => false,
            };
            if !violated || days.as_ref().is_some_and(|(d, _)| *d <= 0) {
                continue;
            }
            let (n, value) = days.unwrap_or((0, "未写".into()));
            let at = match (short_days, params.hours_field) {
                (None, Some(h)) => h,
                _ => params.field,
            };
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(field.key.clone()),
                None,
                Some(row.location(Some(at))),
                &[
                    ("field", &field.title),
                    ("value", &value),
                    ("days", &n.to_string()),
                    ("hours", &hours.map_or("未写".into(), |h| format!("{h}"))),
                    ("min_days", &params.min_days.to_string()),
                    ("min_hours", &params.min_hours.to_string()),
                ],
            ));
        }
    }
}

/// The number in a class-hours cell: 24 · 24学时 · 32课时 · 24.5.
fn class_hours(text: &str) -> Option<f64> {
    let t = crate::text::normalize(text);
    let num: String = t
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    num.parse().ok()
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
        let before = r.errors.len();
        let hours_field = raw.hours_field.as_deref().and_then(|k| r.text_field(k));
        if r.errors.len() > before {
            return None;
        }
        match (field, raw.min_days) {
            (Some(field), Some(min_days)) => Some(Params {
                field,
                min_days,
                hours_field,
                min_hours: raw.min_hours.unwrap_or(f64::INFINITY),
            }),
            _ => {
                let message = format!("规则 {} 需要 field（区间字段）和 min_days", r.id);
                r.error(None, message, "", None);
                None
            }
        }
    }

    fn needs(&self) -> Vec<Need> {
        let range = Need::Column(self.field);
        match self.hours_field {
            Some(h) => vec![Need::AnyOf(vec![range, Need::Column(h)])],
            None => vec![range],
        }
    }
}
