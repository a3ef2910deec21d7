//! empty-file: a file of 0 bytes.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::files::file_finding;

pub struct EmptyFile;

impl RuleKind for EmptyFile {
    const NAME: &'static str = "empty-file";
    const DOC: &'static str = "\
kind: empty-file — 0 字节的文件（上传或拷贝失败）。只报告这一条，不再报告为无法读取；按文件名仍算作该材料已有。
参数：无。消息变量：{file}。subject：该文件对应的文书键（无法对应时为 null）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for (d, f, _, class) in ctx.all_files() {
            if f.size == 0 {
                out.push(file_finding(ctx, rule, d, f, class, &[]));
            }
        }
    }
}
