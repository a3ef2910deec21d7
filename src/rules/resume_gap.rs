//! resume-gap: months between two resume entries that the resume does not account for.

use crate::date::Duration;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Parameters, Resolver, Rule, RuleKind};
use crate::rules::shared::resume::{month_text, walk};

pub struct ResumeGap;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    max_gap: Option<String>,
    allow_summer: Option<bool>,
}

/// The parameters resolved.
#[derive(Debug, Clone)]
pub struct Params {
    pub max_gap: Duration,
    /// July to September is no gap (the summer holidays between two schools).
    pub allow_summer: bool,
}

impl RuleKind for ResumeGap {
    const NAME: &'static str = "resume-gap";
    const DOC: &'static str = "\
kind: resume-gap — 相邻两段经历之间没有记载的月数超过 max_gap（简历按月记载）。

各段按开始时间排序；“之间”从此前各段最晚的结束月算起。7 月结束、同年 9 月开始（暑假）不算断档
（allow_summer: false 可关闭）。结束早于开始的段不参与检查（见 resume-reversed），无效日期也不参与。
参数：max_gap（默认 3 months）、allow_summer（默认 true）。
消息变量：{prev_end}、{next_start}、{months}、{text}（后一段的经历）。subject：resume。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let limit = params.max_gap.total_months();
        for p in ctx.people {
            walk(ctx, p, |s, latest| {
                let summer =
                    params.allow_summer && latest.rem_euclid(12) == 6 && s.start == latest + 2;
                let months = s.start - latest - 1;
                if months > limit && !summer {
                    let entry = &ctx.resumes[s.entry];
                    out.push(ctx.resume_finding(
                        rule,
                        p,
                        entry,
                        &[
                            ("prev_end", &month_text(latest)),
                            ("next_start", &s.start_text()),
                            ("months", &months.to_string()),
                            ("text", &entry.text),
                        ],
                    ));
                }
            });
        }
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let max_gap = match raw.max_gap.as_deref() {
            Some(t) => r.duration("max_gap", t)?,
            None => Duration {
                months: 3,
                ..Default::default()
            },
        };
        Some(Params {
            max_gap,
            allow_summer: raw.allow_summer.unwrap_or(true),
        })
    }
}
