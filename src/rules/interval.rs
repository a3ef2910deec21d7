//! interval: the time between two milestones.

use jiff::Unit;
use jiff::civil::Date;

use crate::date::Duration;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::MilestoneRef;

pub struct Interval;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    from: Option<OneOrMore>,
    to: Option<String>,
    min: Option<String>,
    max: Option<String>,
    inclusive: Option<bool>,
    error_beyond: Option<String>,
}

/// One field key, or several: the first filled one counts.
#[derive(Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMore {
    One(String),
    More(Vec<String>),
}

/// The parameters resolved: `min` or `max`, not both.
#[derive(Debug, Clone)]
pub struct Params {
    /// The earlier milestone; with several, the first the row fills (转正支部大会时间, else
    /// 转为正式党员时间).
    pub from: Vec<MilestoneRef>,
    pub to: MilestoneRef,
    pub min: Option<Duration>,
    pub max: Option<Duration>,
    /// The period counts its first and its last day (预备期自2020年9月15日至2021年9月14日
    /// is one year): `min` is met one day before the anniversary.
    pub inclusive: bool,
    /// Past `max` the rule's severity; past this, an error (审批: warn after 3 months, error
    /// after the 6 the text allows in special cases).
    pub error_beyond: Option<Duration>,
}

impl RuleKind for Interval {
    const NAME: &'static str = "interval";
    const DOC: &'static str = "\
kind: interval — 两个环节之间的时长：to 至少在 from 之后 min，或至多在 from 之后 max。

参数：
  from: 字段键   较早的环节（birth 优先取身份证号中的出生日期，其次取台账出生年月）；
                 也可写一组 [conversion_meeting, converted]：取第一个已填写的，消息中的 {from_field} 说明用的是哪个
  to:   字段键   较晚的环节；区间字段可写 trained.start / trained.end
  min:  时长     至少间隔（1 year、18 years、6 months、5 days，或 1年、3个月）
  max:  时长     至多间隔（min 与 max 二选一）
  inclusive: true  起止两天都计入（入党志愿书写“预备期自2020年9月15日至2021年9月14日”即满一年）：
                 min 在周年的前一天即已满足，max 在周年的前一天到期；默认 false
  error_beyond: 时长  与 max 同用：超过 max 按规则的级别报告，超过 error_beyond 按错误报告
按月加减时月末对齐（1 月 31 日加 1 个月为 2 月末）。只到月的日期取最有利的解释，确定违反时才报告。
两个环节顺序颠倒时不报告（由 milestone-order 报告）。任一环节为空或无效时不检查。
消息变量：{from_field}、{to_field}、{from_value}、{to_value}、{limit}（规定时长）、{actual}（实际间隔）。
subject：to 字段。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            let Some((from, a)) = params
                .from
                .iter()
                .find_map(|&m| ctx.milestone(row, m).map(|v| (m, v)))
            else {
                continue;
            };
            let Some(b) = ctx.milestone(row, params.to) else {
                continue;
            };
            if a.earliest() > b.latest() {
                continue;
            }
            let (violated, limit) = match (&params.min, &params.max) {
                (Some(min), _) => {
                    let mut due = min.after(a.earliest());
                    if params.inclusive {
                        due = due.yesterday().unwrap_or(due);
                    }
                    (b.latest() < due, min)
                }
                (None, Some(max)) => (b.earliest() > due_by(max, a.latest(), params), max),
                (None, None) => continue,
            };
            if !violated {
                continue;
            }
            let (severe, limit) = match &params.error_beyond {
                Some(e) if b.earliest() > due_by(e, a.latest(), params) => (true, e),
                _ => (false, limit),
            };
            let mut f = ctx.finding(
                rule,
                Some(p),
                Some(ctx.config.milestone_key(params.to)),
                None,
                Some(row.location(Some(params.to.field))),
                &[
                    ("from_field", &ctx.config.milestone_title(from)),
                    ("to_field", &ctx.config.milestone_title(params.to)),
                    ("from_value", &a.to_string()),
                    ("to_value", &b.to_string()),
                    ("limit", &limit.to_string()),
                    ("actual", &describe(a.earliest(), b.earliest())),
                ],
            );
            if severe {
                f.severity = crate::finding::Severity::Error;
            }
            out.push(f);
        }
    }
}

/// The last day `max` after `from` allows (one day earlier when both ends count).
fn due_by(max: &Duration, from: Date, params: &Params) -> Date {
    let due = max.after(from);
    if params.inclusive {
        due.yesterday().unwrap_or(due)
    } else {
        due
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let before = r.errors.len();
        let names = match raw.from {
            Some(OneOrMore::One(m)) => vec![m],
            Some(OneOrMore::More(v)) => v,
            None => Vec::new(),
        };
        let from: Vec<MilestoneRef> = names.iter().filter_map(|m| r.milestone(m)).collect();
        let error_beyond = raw
            .error_beyond
            .as_deref()
            .and_then(|t| r.duration("error_beyond", t));
        let to = raw.to.as_deref().and_then(|m| r.milestone(m));
        let min = raw.min.as_deref().and_then(|t| r.duration("min", t));
        let max = raw.max.as_deref().and_then(|t| r.duration("max", t));
        if r.errors.len() > before {
            return None;
        }
        match (from.is_empty(), to) {
            (false, Some(to)) if min.is_some() != max.is_some() => Some(Params {
                from,
                to,
                min,
                max,
                inclusive: raw.inclusive.unwrap_or(false),
                error_beyond,
            }),
            _ => {
                let message = format!("规则 {} 需要 from、to，以及 min 或 max 之一", r.id);
                r.error(None, message, "", None);
                None
            }
        }
    }

    fn needs(&self) -> Vec<Need> {
        vec![
            Need::AtLeast(1, self.from.iter().map(|m| m.field).collect()),
            Need::milestone(self.to),
        ]
    }
}

/// `1年2个月3天` between two dates.
fn describe(a: Date, b: Date) -> String {
    match a.until((Unit::Year, b)) {
        Ok(span) => {
            let mut s = String::new();
            if span.get_years() != 0 {
                s.push_str(&format!("{}年", span.get_years()));
            }
            if span.get_months() != 0 {
                s.push_str(&format!("{}个月", span.get_months()));
            }
            if span.get_days() != 0 || s.is_empty() {
                s.push_str(&format!("{}天", span.get_days()));
            }
            s
        }
        Err(_) => String::new(),
    }
}
