//! layout-ambiguous: what the layout step could not tell for sure (see `crate::layout`).

use crate::finding::{Finding, Location};
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct LayoutAmbiguous;

impl RuleKind for LayoutAmbiguous {
    const NAME: &'static str = "layout-ambiguous";
    const DOC: &'static str = "\
kind: layout-ambiguous — 档案的文件夹结构有一处无法确定：根目录是整个档案还是一个支部分不清，或支部下
一个文件夹本身没有材料、其下的文件夹却有（按分组文件夹处理，规则文件 layout.groups 中没有它的名称）。
dangan 说明它看到了什么、按什么处理，每处只报告一次，不会因此逐个报告档案找不到台账行。
规则文件中写 layout: { root: archive | branch } 或在 layout.groups 中加上名称即可确定。
参数：无。消息变量：{folder}（文件夹，根目录为“.”）、{detail}。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for (folder, detail) in &ctx.archive.layout.notes {
            let shown = if folder.is_empty() {
                "."
            } else {
                folder.as_str()
            };
            let mut f = ctx.finding(
                rule,
                None,
                None,
                Some(shown.to_string()),
                Some(Location::file(shown.to_string())),
                &[("folder", shown), ("detail", detail)],
            );
            f.branch = ctx.archive.layout.branch_of(folder).map(str::to_string);
            out.push(f);
        }
    }
}
