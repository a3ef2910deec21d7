//! resume-overlap: an entry that starts before the entries before it end.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::resume::{month_text, walk};

pub struct ResumeOverlap;

impl RuleKind for ResumeOverlap {
    const NAME: &'static str = "resume-overlap";
    const DOC: &'static str = "\
kind: resume-overlap — 一段经历开始的月份早于此前各段最晚的结束月份（同月衔接不算重叠）。
参数：无。消息变量：{text}、{start}、{prev_end}。subject：resume。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
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
}
