//! format-mismatch: a file's content is not the format its extension says.

use crate::finding::Finding;
use crate::inspect::FileFormat;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::files::file_finding;

pub struct FormatMismatch;

impl RuleKind for FormatMismatch {
    const NAME: &'static str = "format-mismatch";
    const DOC: &'static str = "\
kind: format-mismatch — 文件内容的真实格式（按文件头特征判断）与扩展名不符，如改名为 .pdf 的 PNG、
改名为 .tif 的 JPEG。已报告为无法读取的文件不再报告。不认识的扩展名不检查。
参数：无。消息变量：{file}、{actual}（真实格式）、{ext}（扩展名）。subject：文书键。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for (d, f, i, class) in ctx.all_files() {
            // A file already reported as unreadable is not reported again for its extension.
            if f.size == 0
                || i.problem().is_some()
                || i.format == FileFormat::Unknown
                || ctx.is_unreadable(&f.rel)
            {
                continue;
            }
            let Some(expected) = FileFormat::expected_for(&f.ext()) else {
                continue;
            };
            if !expected.contains(&i.format) {
                let ext = format!(".{}", f.ext());
                let vars = [("actual", i.format.name()), ("ext", &ext)];
                out.push(file_finding(ctx, rule, d, f, class, &vars));
            }
        }
    }
}
