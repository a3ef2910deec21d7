//! invalid-date: a date that cannot be true.

use crate::finding::Finding;
use crate::ledger::{FieldValue, Invalid};
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct InvalidDate;

impl RuleKind for InvalidDate {
    const NAME: &'static str = "invalid-date";
    const DOC: &'static str = "\
kind: invalid-date — 台账或简历中的日期无法识别、日历上不存在（2023年2月30日）、
晚于审核基准日（--as-of），或早于 dates.earliest（默认 1921-07-01）。

可识别的写法：日期单元格、Excel 序列号、2021-03-05、2021/3/5、2021.03.05、2021年3月5日、
20210305、全角数字、只到月（2021.03、2021年3月）；简历中“至今”。
这样的日期不再参与顺序、间隔检查，也不再报告为“未填写”（一个缺陷只报告一次）。
参数：无。消息变量：{field} 字段名称、{value} 原文、{detail} 原因。subject：字段键（简历为 resume）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for p in ctx.people {
            if let Some(row) = ctx.row(p) {
                for (f, value) in row.cells() {
                    let FieldValue::Invalid(bad) = value else {
                        continue;
                    };
                    let (raw, why) = &*bad;
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
}

/// Why a date cell is not usable, in words.
pub fn reason(ctx: &Context<'_>, why: Invalid) -> String {
    match why {
        Invalid::Unreadable => "无法识别为日期".into(),
        Invalid::NoSuchDate => "日历上没有这一天".into(),
        Invalid::AfterAsOf => format!("晚于审核基准日 {}", ctx.as_of),
        Invalid::TooEarly => format!("早于 {}", ctx.config.earliest),
    }
}
