//! Files and folders that cannot be read, and an archive without a ledger.

use crate::config::Rule;
use crate::finding::{Finding, Location};
use crate::rules::Context;

pub const UNREADABLE_DOC: &str = "\
kind: unreadable-file — 无法读取的文件或文件夹：没有权限、符号链接失效或成环、表格损坏或无法解析。

审核不会因此中止，其余文件照常检查。参数：无。消息变量：{file}（相对路径）、{detail}（原因）。";

pub const LEDGER_NOT_FOUND_DOC: &str = "\
kind: ledger-not-found — 档案根目录和支部文件夹中的表格都没有可识别的台账表头
（“姓名”加至少两个时间列，见 fields 中的 aliases）。

报告一次；此时不逐个报告档案找不到台账行。参数：无。";

pub fn unreadable(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for u in ctx.unreadable {
        let person = u
            .dossier
            .and_then(|d| ctx.person_of_dossier[d])
            .map(|p| &ctx.people[p]);
        let mut f = ctx.finding(
            rule,
            person,
            None,
            Some(u.rel.clone()),
            Some(Location::file(u.rel.clone())),
            &[("file", &u.rel), ("detail", &u.detail)],
        );
        if f.branch.is_none() {
            f.branch = u.rel.split_once('/').map(|(b, _)| b.to_string());
        }
        out.push(f);
    }
}

pub fn ledger_not_found(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    if !ctx.ledger_found {
        out.push(ctx.finding(rule, None, None, None, None, &[]));
    }
}
