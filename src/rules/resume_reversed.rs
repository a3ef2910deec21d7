//! resume-reversed: an entry that ends before it starts.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::resume::spans;

pub struct ResumeReversed;

impl RuleKind for ResumeReversed {
    const NAME: &'static str = "resume-reversed";
    const DOC: &'static str = "\
kind: resume-reversed — 一段经历的结束早于开始（按月比较）。参数：无。
消息变量：{text}、{start}、{end}。subject：resume。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for p in ctx.people {
            for s in spans(ctx, p).iter().filter(|s| s.end < s.start) {
                let entry = &ctx.resumes[s.entry];
                out.push(ctx.resume_finding(
                    rule,
                    p,
                    entry,
                    &[
                        ("text", &entry.text),
                        ("start", &s.start_text()),
                        ("end", &s.end_text()),
                    ],
                ));
            }
        }
    }
}
