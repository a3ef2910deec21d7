//! Dates that cannot be true.

use crate::config::Rule;
use crate::finding::Finding;
use crate::ledger::{FieldValue, Invalid};
use crate::rules::Context;

pub const INVALID_DOC: &str = "\
kind: invalid-date — 台账或简历中的日期无法识别、日历上不存在（2023年2月30日）、
晚于审核基准日（--as-of），或早于 dates.earliest（默认 1921-07-01）。

可识别的写法：日期单元格、Excel 序列号、2021-03-05、2021/3/5、2021.03.05、2021年3月5日、
20210305、全角数字、只到月（2021.03、2021年3月）；简历中“至今”。
这样的日期不再参与顺序、间隔检查，也不再报告为“未填写”（一个缺陷只报告一次）。
参数：无。消息变量：{field} 字段名称、{value} 原文、{detail} 原因。subject：字段键（简历为 resume）。";

fn reason(ctx: &Context<'_>, why: Invalid) -> String {
    match why {
        Invalid::Unreadable => "无法识别为日期".into(),
        Invalid::NoSuchDate => "日历上没有这一天".into(),
        Invalid::AfterAsOf => format!("晚于审核基准日 {}", ctx.as_of),
        Invalid::TooEarly => format!("早于 {}", ctx.config.earliest),
    }
}

pub fn invalid(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for p in ctx.people {
        if let Some(row) = ctx.row(p) {
            for (f, value) in row.cells() {
                let FieldValue::Invalid(bad) = value else {
                    continue;
                };
                let (raw, why) = &**bad;
                let field = &ctx.config.fields[f];
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    Some(field.key.clone()),
                    None,
                    Some(row.location(Some(f))),
                    &[
                        ("field", &field.title),
                        ("value", raw),
                        ("detail", &reason(ctx, *why)),
                    ],
                ));
            }
        }
        for &e in &p.resume {
            let entry = &ctx.resumes[e];
            let mut bad: Vec<&(String, Invalid)> = Vec::new();
            if let Err(x) = &entry.start {
                bad.push(x);
            }
            if let Err(x) = &entry.end
                && !bad.iter().any(|b| b.0 == x.0)
            {
                bad.push(x);
            }
            for (raw, why) in bad {
                let detail = if raw.is_empty() {
                    "未填写".to_string()
                } else {
                    reason(ctx, *why)
                };
                out.push(ctx.resume_finding(
                    rule,
                    p,
                    entry,
                    &[
                        ("field", "简历起止时间"),
                        ("value", raw),
                        ("detail", &detail),
                    ],
                ));
            }
        }
    }
}

pub const AMBIGUOUS_MONTH_DOC: &str = "\
kind: ambiguous-month — 数字格式单元格中的 2021.1：可能是 1 月，也可能是去掉末尾 0 的 10 月（Excel 把
输入的 2021.10 存成数字 2021.1）。两种读法都参与检查：其他规则只有在两种读法下都违反时才报告。
单元格的数字格式显示两位小数（如 0.00）时按显示读，不算两可。文本单元格按原文读。每个单元格一条。
参数：无。消息变量：{field}、{value}、{first}、{second}、{year}。subject：字段键（简历为 resume）。";

pub fn ambiguous_month(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let month =
        |d: &crate::date::DateValue| format!("{}年{}月", d.earliest().year(), d.earliest().month());
    for p in ctx.people {
        if let Some(row) = ctx.row(p) {
            for (f, value) in row.cells() {
                let FieldValue::Either(a, b) = value else {
                    continue;
                };
                let field = &ctx.config.fields[f];
                let year = a.earliest().year().to_string();
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    Some(field.key.clone()),
                    None,
                    Some(row.location(Some(f))),
                    &[
                        ("field", &field.title),
                        ("value", &format!("{year}.1")),
                        ("first", &month(a)),
                        ("second", &month(b)),
                        ("year", &year),
                    ],
                ));
            }
        }
        for &e in &p.resume {
            let entry = &ctx.resumes[e];
            let Some(alt) = &entry.alt else { continue };
            let first = [
                entry.start.as_ref().ok().copied(),
                match entry.end {
                    Ok(crate::date::RangeEnd::Date(d)) => Some(d),
                    _ => None,
                },
            ];
            let mut seen: Vec<crate::date::DateValue> = Vec::new();
            for (a, b) in first.into_iter().zip([alt.0, alt.1]) {
                let (Some(a), Some(b)) = (a, b) else { continue };
                if seen.contains(&a) {
                    continue;
                }
                seen.push(a);
                let year = a.earliest().year().to_string();
                out.push(ctx.resume_finding(
                    rule,
                    p,
                    entry,
                    &[
                        ("field", "简历起止时间"),
                        ("value", &format!("{year}.1")),
                        ("first", &month(&a)),
                        ("second", &month(&b)),
                        ("year", &year),
                    ],
                ));
            }
        }
    }
}
