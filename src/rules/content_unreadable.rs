//! content-unreadable: a document the content rules would read whose text could not be read
//! reliably — nothing is said of what it says.

use crate::content::DocText;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::files::file_finding;

pub struct ContentUnreadable;

impl RuleKind for ContentUnreadable {
    const NAME: &'static str = "content-unreadable";
    const DOC: &'static str = "\
kind: content-unreadable — 内容规则要读的材料，文字无法可靠识别：内容规则不评判它，需人工阅读。

无法可靠识别：识别出的汉字少于 content.min_chars，或 OCR 的平均置信度低于 content.min_confidence
（手写、模糊、歪斜的扫描件）；以及无法取出文字的文件（PDF 中 OCR 不支持的图像编码，如 JBIG2、JPEG 2000，
逐页说明）。未开启 OCR 时的扫描件不报告（dangan 审核结果的内容检查一节统计其数量）。
参数：无。消息变量：{file}、{reason}。subject：文书键。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        for (d, i, text) in ctx.contents.iter() {
            let reason = match text {
                DocText::Read(f) if !f.readable => match f.confidence {
                    Some(c) if c < ctx.config.content.min_confidence => {
                        format!(
                            "OCR 平均置信度 {c:.0}%，低于 {:.0}%",
                            ctx.config.content.min_confidence
                        )
                    }
                    _ => format!("只识别出 {} 个汉字", f.chars),
                },
                DocText::Failed(why) => why.clone(),
                _ => continue,
            };
            let f = &ctx.archive.dossiers[d].files[i];
            out.push(file_finding(
                ctx,
                rule,
                Some(d),
                f,
                ctx.classes[d][i].get(),
                &[("reason", &reason)],
            ));
        }
    }
}
