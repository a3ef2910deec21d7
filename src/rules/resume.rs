//! Resumes (简历): gaps, overlaps and entries that end before they start.

use crate::config::{Params, Rule};
use crate::date::{DateValue, RangeEnd};
use crate::finding::Finding;
use crate::join::Person;
use crate::rules::Context;

pub const GAP_DOC: &str = "\
kind: resume-gap — 相邻两段经历之间没有记载的月数超过 max_gap（简历按月记载）。

各段按开始时间排序；“之间”从此前各段最晚的结束月算起。7 月结束、同年 9 月开始（暑假）不算断档
（allow_summer: false 可关闭）。结束早于开始的段不参与检查（见 resume-reversed），无效日期也不参与。
参数：max_gap（默认 3 months）、allow_summer（默认 true）。
消息变量：{prev_end}、{next_start}、{months}、{text}（后一段的经历）。subject：resume。";

pub const OVERLAP_DOC: &str = "\
kind: resume-overlap — 一段经历开始的月份早于此前各段最晚的结束月份（同月衔接不算重叠）。
参数：无。消息变量：{text}、{start}、{prev_end}。subject：resume。";

pub const REVERSED_DOC: &str = "\
kind: resume-reversed — 一段经历的结束早于开始（按月比较）。参数：无。
消息变量：{text}、{start}、{end}。subject：resume。";

/// A usable entry: (entry index, start month, end month, start, end shown).
struct Span {
    entry: usize,
    start: i64,
    end: i64,
    start_text: String,
    end_text: String,
}

fn month_of(d: &DateValue) -> i64 {
    d.month_index()
}

fn spans(ctx: &Context<'_>, p: &Person) -> Vec<Span> {
    let now = DateValue::day(ctx.as_of).month_index();
    let mut v: Vec<Span> = p
        .resume
        .iter()
        .filter_map(|&e| {
            let entry = &ctx.resumes[e];
            let start = entry.start.as_ref().ok()?;
            let (end, end_text) = match entry.end.as_ref().ok()? {
                RangeEnd::Date(d) => (month_of(d), d.to_string()),
                RangeEnd::Present => (now, "至今".to_string()),
            };
            Some(Span {
                entry: e,
                start: month_of(start),
                end,
                start_text: start.to_string(),
                end_text,
            })
        })
        .collect();
    v.sort_by_key(|s| (s.start, s.end));
    v
}

fn month_text(m: i64) -> String {
    format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1)
}

/// Walk the ordered, non-reversed entries with the latest end so far.
fn walk(ctx: &Context<'_>, p: &Person, mut visit: impl FnMut(&Span, i64)) {
    let mut latest: Option<i64> = None;
    for s in spans(ctx, p).iter().filter(|s| s.end >= s.start) {
        if let Some(l) = latest {
            visit(s, l);
        }
        latest = Some(latest.map_or(s.end, |l| l.max(s.end)));
    }
}

pub fn gap(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let Params::ResumeGap {
        max_gap,
        allow_summer,
    } = &rule.params
    else {
        return;
    };
    let limit = max_gap.total_months();
    for p in ctx.people {
        walk(ctx, p, |s, latest| {
            let summer = *allow_summer && latest.rem_euclid(12) == 6 && s.start == latest + 2;
            let months = s.start - latest - 1;
            if months > limit && !summer {
                let entry = &ctx.resumes[s.entry];
                out.push(ctx.resume_finding(
                    rule,
                    p,
                    entry,
                    &[
                        ("prev_end", &month_text(latest)),
                        ("next_start", &s.start_text),
                        ("months", &months.to_string()),
                        ("text", &entry.text),
                    ],
                ));
            }
        });
    }
}

pub fn overlap(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for p in ctx.people {
        walk(ctx, p, |s, latest| {
            if s.start < latest {
                let entry = &ctx.resumes[s.entry];
                out.push(ctx.resume_finding(
                    rule,
                    p,
                    entry,
                    &[
                        ("text", &entry.text),
                        ("start", &s.start_text),
                        ("prev_end", &month_text(latest)),
                    ],
                ));
            }
        });
    }
}

pub fn reversed(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for p in ctx.people {
        for s in spans(ctx, p).iter().filter(|s| s.end < s.start) {
            let entry = &ctx.resumes[s.entry];
            out.push(ctx.resume_finding(
                rule,
                p,
                entry,
                &[
                    ("text", &entry.text),
                    ("start", &s.start_text),
                    ("end", &s.end_text),
                ],
            ));
        }
    }
}
