//! ledger-not-found: no spreadsheet of the archive has a ledger's header.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct LedgerNotFound;

impl RuleKind for LedgerNotFound {
    const NAME: &'static str = "ledger-not-found";
    const DOC: &'static str = "\
kind: ledger-not-found — 档案根目录和支部文件夹中的表格都没有可识别的台账表头
（“姓名”加至少两个时间列，见 fields 中的 aliases）。

报告一次；此时不逐个报告档案找不到台账行。参数：无。
消息变量：{detail}，最接近台账表头的工作表及它缺少什么（没有可比的表格时为空）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        if !ctx.ledger_found {
            let detail = ctx
                .ledger_near_miss
                .map(|n| format!("（最接近的是 {n}）"))
                .unwrap_or_default();
            out.push(ctx.finding(rule, None, None, None, None, &[("detail", &detail)]));
        }
    }
}
