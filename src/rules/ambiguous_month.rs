//! ambiguous-month: a month typed as the number 2021.1 (January, or October).

use crate::finding::Finding;
use crate::ledger::FieldValue;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct AmbiguousMonth;

impl RuleKind for AmbiguousMonth {
    const NAME: &'static str = "ambiguous-month";
    const DOC: &'static str = "\
kind: ambiguous-month — 数字格式单元格中的 2021.1：可能是 1 月，也可能是去掉末尾 0 的 10 月（Excel 把
输入的 2021.10 存成数字 2021.1）。两种读法都参与检查：其他规则只有在两种读法下都违反时才报告。
单元格的数字格式显示两位小数（如 0.00）时按显示读，不算两可。文本单元格按原文读。每个单元格一条。
参数：无。消息变量：{field}、{value}、{first}、{second}、{year}。subject：字段键（简历为 resume）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let month = |d: &crate::date::DateValue| {
            format!("{}年{}月", d.earliest().year(), d.earliest().month())
        };
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
                            ("first", &month(&a)),
                            ("second", &month(&b)),
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
}
