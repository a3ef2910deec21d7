//! unreadable-file: a file or folder that cannot be read.

use crate::finding::{Finding, Location};
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::files::doc_key;

pub struct UnreadableFile;

impl RuleKind for UnreadableFile {
    const NAME: &'static str = "unreadable-file";
    const DOC: &'static str = "\
kind: unreadable-file — 无法读取的文件或文件夹：没有权限、符号链接失效或成环、表格损坏或无法解析。

审核不会因此中止，其余文件照常检查。参数：无。消息变量：{file}（相对路径）、{detail}（原因）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for u in ctx.unreadable {
            let person = u
                .dossier
                .and_then(|d| ctx.person_of_dossier[d])
                .map(|p| &ctx.people[p]);
            // The document the file was taken for, as the other file findings say.
            let class = u.dossier.and_then(|d| {
                let files = &ctx.archive.dossiers[d].files;
                let i = files.iter().position(|f| *f.rel == *u.rel)?;
                ctx.classes[d][i].get()
            });
            let mut f = ctx.finding(
                rule,
                person,
                doc_key(ctx, class),
                Some(u.rel.clone()),
                Some(Location::file(u.rel.clone())),
                &[("file", &u.rel), ("detail", &u.detail)],
            );
            if f.branch.is_none() {
                f.branch = ctx.branch_of(&u.rel);
            }
            out.push(f);
        }
    }
}
