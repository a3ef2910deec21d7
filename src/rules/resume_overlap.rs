//! resume-overlap: an entry that starts before the entries before it end.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Parameters, Resolver, Rule, RuleKind};
use crate::rules::shared::resume::{month_text, walk_where};
use crate::text::normalize;

pub struct ResumeOverlap;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    concurrent: Option<Vec<String>>,
}

/// Words that mark an entry held alongside another (在职攻读, 兼职), normalised.
#[derive(Debug, Clone)]
pub struct Concurrent(pub Vec<String>);

impl RuleKind for ResumeOverlap {
    const NAME: &'static str = "resume-overlap";
    const DOC: &'static str = "\
kind: resume-overlap — 一段经历开始的月份早于此前各段最晚的结束月份（同月衔接不算重叠）。
参数：concurrent: [词, …]  经历中含这些词（在职攻读、党校学习、挂职、兼职……）的是与本职同时进行的
经历：不算重叠，也不参与比较。消息变量：{text}、{start}、{prev_end}。subject：resume。";
    type Params = Concurrent;

    fn check(
        ctx: &Context<'_>,
        rule: &Rule,
        Concurrent(words): &Concurrent,
        out: &mut Vec<Finding>,
    ) {
        // One pass of an automaton over each entry as written; the entry is normalised only
        // when it is not already in NFKC (full-width letters) or holds white space.
        let Ok(ac) = aho_corasick::AhoCorasick::new(words) else {
            return;
        };
        let alongside = |e: usize| {
            let raw = ctx.resumes[e].text.as_str();
            if words.is_empty() {
                return false;
            }
            if ac.is_match(raw) {
                return true;
            }
            let plain = !raw.chars().any(char::is_whitespace)
                && (raw.is_ascii()
                    || unicode_normalization::is_nfkc_quick(raw.chars())
                        == unicode_normalization::IsNormalized::Yes);
            !plain && ac.is_match(&normalize(raw))
        };
        for p in ctx.people {
            walk_where(
                ctx,
                p,
                |s| !alongside(s.entry),
                |s, latest| {
                    if s.start < latest {
                        let entry = &ctx.resumes[s.entry];
                        out.push(ctx.resume_finding(
                            rule,
                            p,
                            entry,
                            &[
                                ("text", &entry.text),
                                ("start", &s.start_text()),
                                ("prev_end", &month_text(latest)),
                            ],
                        ));
                    }
                },
            );
        }
    }
}

impl Parameters for Concurrent {
    type Raw = RawParams;

    fn resolve(raw: RawParams, _: &mut Resolver<'_>) -> Option<Concurrent> {
        Some(Concurrent(
            raw.concurrent
                .unwrap_or_default()
                .iter()
                .map(|w| normalize(w))
                .filter(|w| !w.is_empty())
                .collect(),
        ))
    }
}
