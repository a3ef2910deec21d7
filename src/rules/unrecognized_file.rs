//! unrecognized-file: a file that is no document, no ledger and no resume.

use crate::finding::Finding;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::documents::{missing, tie, unverifiable};
use crate::rules::{Context, Params};

pub struct UnrecognizedFile;

impl RuleKind for UnrecognizedFile {
    const NAME: &'static str = "unrecognized-file";
    const DOC: &'static str = "\
kind: unrecognized-file — 文件名不含任何文书关键词的文件（含根目录和支部文件夹中的散落文件）。

不是台账、也不是简历的表格同样报告。参数：无。消息变量：{file}（相对路径）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let Some(d) = p.dossier else { continue };
            // A combined file is reported by combined-file-unverifiable when it may hold a
            // missing document; one with bookmarks naming documents is recognised.
            let mut combined = unverifiable(ctx, d);
            let reported = match (p.row, p.stage) {
                (Some(_), Some(stage)) if !combined.is_empty() => ctx.rules.iter().any(|r| {
                    matches!(&r.params, Params::CombinedFileUnverifiable(req)
                        if r.enabled && !missing(ctx, classifier, req, d, stage).is_empty())
                }),
                _ => false,
            };
            if !reported {
                combined.clear();
            }
            let files = ctx.archive.dossiers[d].files.iter().zip(&ctx.classes[d]);
            for (i, (f, class)) in files.enumerate() {
                // An empty file is empty-file's alone.
                if class.get().is_none()
                    && f.size > 0
                    && ctx.parts.get(d, i).is_empty()
                    && !combined.contains(&i)
                    && !ctx.is_unreadable(&f.rel)
                    && tie(classifier, f).is_none()
                {
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        None,
                        Some(f.rel.to_string()),
                        None,
                        &[("file", &f.rel)],
                    ));
                }
            }
        }
        for (f, recognised) in ctx.archive.loose.iter().zip(ctx.loose_recognised) {
            if *recognised || f.size == 0 || ctx.is_unreadable(&f.rel) {
                continue;
            }
            let mut finding = ctx.finding(
                rule,
                None,
                None,
                Some(f.rel.to_string()),
                None,
                &[("file", &f.rel)],
            );
            finding.branch = ctx.branch_of(&f.rel);
            out.push(finding);
        }
    }
}
