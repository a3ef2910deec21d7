//! probation-extension: the end of probation (预备期) against the conversion — a conversion
//! long after the year without a recorded extension, an extension outside six months to a
//! year, a date after 取消预备党员资格, or (`unconverted: true`) probation long over with no
//! conversion recorded.

use jiff::Unit;
use jiff::civil::Date;

use crate::date::{DateValue, Duration, RangeEnd, parse_range};
use crate::finding::Finding;
use crate::join::Person;
use crate::ledger::{FieldValue, LedgerRow};
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::{FieldType, MilestoneRef};

pub struct ProbationExtension;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    admitted: Option<String>,
    converted: Option<String>,
    extension: Option<String>,
    cancelled: Option<String>,
    probation: Option<String>,
    grace: Option<String>,
    min_extension: Option<String>,
    max_extension: Option<String>,
    unconverted: Option<bool>,
}

#[derive(Debug, Clone)]
pub struct Params {
    pub admitted: MilestoneRef,
    pub converted: MilestoneRef,
    /// 延长预备期: a text field (半年, 6个月, 一年, or the extension's range).
    pub extension: Option<usize>,
    /// 取消预备党员资格: a date field.
    pub cancelled: Option<MilestoneRef>,
    pub probation: Duration,
    pub grace: Duration,
    pub min_extension: Duration,
    pub max_extension: Duration,
    /// Report people whose probation ended more than `grace` before the as-of date and who
    /// have no conversion (instead of checking conversions).
    pub unconverted: bool,
}

impl RuleKind for ProbationExtension {
    const NAME: &'static str = "probation-extension";
    const DOC: &'static str = "\
kind: probation-extension — 预备期满与转正：预备期满后很久才转正而没有延长预备期的记录、延长不在
六个月至一年之间、取消预备党员资格之后还有日期；unconverted: true 时改查预备期早已期满而台账没有转正。

参数：
  admitted / converted: 字段键   接收为预备党员、转为正式党员（默认 admitted、converted）
  extension: 字段键     可选，延长预备期（文本：半年、6个月、一年、12，或延长的起止日期；无、否 为未延长）
  cancelled: 字段键     可选，取消预备党员资格时间
  probation: 时长       预备期（默认 1 year；起止两天都计入，2020-09-15 接收，2021-09-14 期满）
  grace: 时长           期满后支部讨论转正的宽限（默认 3 months：晚几天、几周是常事）
  min_extension / max_extension: 时长   延长的范围（默认 6 months、1 year）
  unconverted: true     只查未转正的人：期满加宽限早于审核基准日，又没有转正、延长或取消资格的记录
                        （台账没有转正一列时不查）
消息变量：{detail}（具体问题）、{end}（预备期满之日）。subject：转正字段键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            let Some(admitted) = ctx.milestone(row, params.admitted) else {
                continue;
            };
            let ext = params.extension.and_then(|f| row.text(Some(f)));
            let ext = ext.map(|t| (t, extension_months(t)));
            let mut push = |field: usize, end: Option<Date>, detail: String| {
                out.push(finding(ctx, rule, p, row, field, params, end, &detail));
            };
            let ext_field = params.extension.unwrap_or(params.converted.field);
            let months = match ext {
                Some((t, Extension::Unreadable)) => {
                    push(
                        ext_field,
                        None,
                        format!(
                            "延长预备期“{t}”无法识别（写 半年、6个月、一年，或延长的起止日期）"
                        ),
                    );
                    continue;
                }
                Some((_, Extension::Months(m))) => {
                    let (lo, hi) = (
                        params.min_extension.total_months(),
                        params.max_extension.total_months(),
                    );
                    if m < lo || m > hi {
                        push(
                            ext_field,
                            None,
                            format!(
                                "延长预备期 {m} 个月，应为{}至{}",
                                params.min_extension, params.max_extension
                            ),
                        );
                    }
                    m
                }
                Some((_, Extension::None)) | None => 0,
            };
            // The last day of probation: admitted + probation (+ extension) − 1 day.
            let span = Duration {
                years: 0,
                months: params.probation.total_months() + months,
                days: params.probation.days,
            };
            let end = span
                .after(admitted.earliest())
                .yesterday()
                .unwrap_or(Date::MAX);
            let due = params.grace.after(end);
            if let Some(c) = params.cancelled.and_then(|m| ctx.milestone(row, m)) {
                if let Some((f, v)) = dated_after(ctx, row, c, params) {
                    let title = &ctx.config.fields[f].title;
                    push(
                        f,
                        None,
                        format!("取消预备党员资格（{c}）之后还有{title} {v}"),
                    );
                }
                continue;
            }
            let converted = ctx.milestone(row, params.converted);
            match (converted, params.unconverted) {
                (Some(c), false) if c.earliest() > due => {
                    let late = describe(end, c.earliest());
                    let detail = if months == 0 {
                        format!(
                            "转为正式党员时间 {c} 比预备期满（{end}）晚{late}，台账没有延长预备期的记录"
                        )
                    } else {
                        format!(
                            "转为正式党员时间 {c} 比延长 {months} 个月后的预备期满（{end}）还晚{late}"
                        )
                    };
                    push(params.converted.field, Some(end), detail);
                }
                (Some(c), false) if months > 0 && c.latest() < end => push(
                    params.converted.field,
                    Some(end),
                    format!(
                        "预备期延长了 {months} 个月，转为正式党员时间 {c} 却早于延长后的期满（{end}）"
                    ),
                ),
                (None, true) if row.has_column(params.converted.field) && ctx.as_of > due => {
                    let since = describe(end, ctx.as_of);
                    push(
                        params.converted.field,
                        Some(end),
                        format!(
                            "预备期已于 {end} 期满，至审核基准日已过{since}，台账没有转正、延长预备期或取消预备党员资格的记录"
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    ctx: &Context<'_>,
    rule: &Rule,
    p: &Person,
    row: &LedgerRow,
    field: usize,
    params: &Params,
    end: Option<Date>,
    detail: &str,
) -> Finding {
    ctx.finding(
        rule,
        Some(p),
        Some(ctx.config.milestone_key(params.converted)),
        None,
        Some(row.location(Some(field))),
        &[
            ("detail", detail),
            ("end", &end.map(|d| d.to_string()).unwrap_or_default()),
        ],
    )
}

/// The first date field of the row dated after the cancellation (the cancellation aside).
fn dated_after(
    ctx: &Context<'_>,
    row: &LedgerRow,
    cancelled: DateValue,
    params: &Params,
) -> Option<(usize, DateValue)> {
    row.cells().find_map(|(f, v)| {
        if Some(f) == params.cancelled.map(|m| m.field)
            || ctx.config.fields[f].kind == FieldType::Text
        {
            return None;
        }
        let d = match v {
            FieldValue::Range(_, b) => Some(b),
            v => v.date(),
        }?;
        (d.earliest() > cancelled.latest()).then_some((f, d))
    })
}

/// What a 延长预备期 cell says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extension {
    None,
    Months(i64),
    Unreadable,
}

/// 半年 · 6个月 · 六个月 · 一年 · 12 · 2021.09.15-2022.03.14 · 无 / 否 / 未延长.
pub fn extension_months(text: &str) -> Extension {
    let t = crate::text::normalize(text);
    let t = t
        .trim_start_matches("延长预备期")
        .trim_start_matches("延长");
    if t.is_empty() || matches!(t, "无" | "否" | "未延长" | "不延长" | "-" | "—" | "/" | "0")
    {
        return Extension::None;
    }
    if t.contains("半年") {
        return Extension::Months(6);
    }
    if let Ok((a, RangeEnd::Date(b))) = parse_range(t)
        && a != b
    {
        let days = a.earliest().until(b.latest()).map_or(0, |s| s.get_days());
        // A range of about n months (起止两天都计入): round to whole months.
        return Extension::Months(((f64::from(days) + 1.0) / 30.44).round() as i64);
    }
    let digits = t.replace("个", "");
    let (num, unit) = digits.split_at(
        digits
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_digit() || "一二三四五六七八九十壹".contains(*c)))
            .map_or(digits.len(), |(i, _)| i),
    );
    let n = match num.parse::<i64>() {
        Ok(n) => n,
        Err(_) => match num {
            "一" | "壹" => 1,
            "二" => 2,
            "三" => 3,
            "四" => 4,
            "五" => 5,
            "六" => 6,
            "七" => 7,
            "八" => 8,
            "九" => 9,
            "十" => 10,
            "十一" => 11,
            "十二" => 12,
            _ => return Extension::Unreadable,
        },
    };
    match unit {
        "月" | "" => Extension::Months(n),
        "年" => Extension::Months(n * 12),
        _ => Extension::Unreadable,
    }
}

/// `1年2个月` from a to b.
fn describe(a: Date, b: Date) -> String {
    match a.until((Unit::Year, b)) {
        Ok(s) if s.get_years() > 0 => format!("{}年{}个月", s.get_years(), s.get_months()),
        Ok(s) if s.get_months() > 0 => format!("{}个月{}天", s.get_months(), s.get_days()),
        Ok(s) => format!("{}天", s.get_days()),
        Err(_) => String::new(),
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let before = r.errors.len();
        let admitted = r.milestone(raw.admitted.as_deref().unwrap_or("admitted"));
        let converted = r.milestone(raw.converted.as_deref().unwrap_or("converted"));
        let extension = raw.extension.as_deref().and_then(|k| r.text_field(k));
        let cancelled = raw.cancelled.as_deref().and_then(|k| r.milestone(k));
        let mut dur = |key: &str, v: &Option<String>, default: &str| {
            r.duration(key, v.as_deref().unwrap_or(default))
        };
        let probation = dur("probation", &raw.probation, "1 year");
        let grace = dur("grace", &raw.grace, "3 months");
        let min_extension = dur("min_extension", &raw.min_extension, "6 months");
        let max_extension = dur("max_extension", &raw.max_extension, "1 year");
        if r.errors.len() > before {
            return None;
        }
        Some(Params {
            admitted: admitted?,
            converted: converted?,
            extension,
            cancelled,
            probation: probation?,
            grace: grace?,
            min_extension: min_extension?,
            max_extension: max_extension?,
            unconverted: raw.unconverted.unwrap_or(false),
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![
            Need::milestone(self.admitted),
            Need::milestone(self.converted),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn how_late_is_said_in_years_months_or_days() {
        let d = |t: &str| t.parse::<Date>().expect("date");
        assert_eq!(describe(d("2024-01-01"), d("2025-03-02")), "1年2个月");
        assert_eq!(describe(d("2025-08-31"), d("2025-12-31")), "4个月0天");
        assert_eq!(describe(d("2025-01-01"), d("2025-01-15")), "14天");
    }

    #[test]
    fn extensions_as_clerks_write_them() {
        let m = |t| extension_months(t);
        assert_eq!(m("半年"), Extension::Months(6));
        assert_eq!(m("延长预备期半年"), Extension::Months(6));
        assert_eq!(m("6个月"), Extension::Months(6));
        assert_eq!(m("六个月"), Extension::Months(6));
        assert_eq!(m("一年"), Extension::Months(12));
        assert_eq!(m("12"), Extension::Months(12));
        assert_eq!(m("3个月"), Extension::Months(3));
        assert_eq!(m("2021.09.15-2022.03.14"), Extension::Months(6));
        // Both ends count: 77 days (2.53 months) round to three, 76 days (2.50 less a
        // little) to two.
        assert_eq!(m("2021.01.01-2021.03.18"), Extension::Months(3));
        assert_eq!(m("2021.01.01-2021.03.17"), Extension::Months(2));
        // Every month count a clerk writes in Chinese numerals.
        let numerals = [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
        ];
        for (n, numeral) in (1..).zip(numerals) {
            let written = format!("{numeral}个月");
            assert_eq!(
                extension_months(&written),
                Extension::Months(n),
                "{numeral}"
            );
        }
        assert_eq!(m("壹年"), Extension::Months(12));
        assert_eq!(m("十三个月"), Extension::Unreadable);
        assert_eq!(m("无"), Extension::None);
        assert_eq!(m("否"), Extension::None);
        assert_eq!(m("待定吧"), Extension::Unreadable);
    }
}
