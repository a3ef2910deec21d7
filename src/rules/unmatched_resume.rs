//! unmatched-resume: resume lines outside the dossiers that match nobody.

use crate::finding::{Finding, Location};
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct UnmatchedResume;

impl RuleKind for UnmatchedResume {
    const NAME: &'static str = "unmatched-resume";
    const DOC: &'static str = "\
kind: unmatched-resume — 档案文件夹以外的简历表中，某人的简历按身份证号、姓名都对不上任何人
（台账行或档案文件夹），这些简历无法检查。每个表格中的每个姓名报告一次。
参数：无。消息变量：{file}、{resume_name}、{rows}（行数）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        // One finding per (sheet, name), at the first row, in the order first seen.
        let mut groups: indexmap::IndexMap<(&str, &str, &str), (Location, usize)> =
            indexmap::IndexMap::new();
        for &e in ctx.orphan_resumes {
            let entry = &ctx.resumes[e];
            let name = entry.name().unwrap_or_default();
            groups
                .entry((&entry.sheet.file, &entry.sheet.sheet, name))
                .or_insert_with(|| (entry.location(), 0))
                .1 += 1;
        }
        for ((_, _, name), (loc, rows)) in groups {
            let shown = if name.is_empty() {
                "（未填姓名）"
            } else {
                name
            };
            let mut f = ctx.finding(
                rule,
                None,
                None,
                Some(loc.file.clone()),
                Some(loc.clone()),
                &[
                    ("file", &loc.file),
                    ("resume_name", shown),
                    ("rows", &rows.to_string()),
                ],
            );
            f.branch = ctx.branch_of(&loc.file);
            out.push(f);
        }
    }
}
