//! ambiguous-file: a file name that fits two documents equally.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::documents::tie;

pub struct AmbiguousFile;

impl RuleKind for AmbiguousFile {
    const NAME: &'static str = "ambiguous-file";
    const DOC: &'static str = "\
kind: ambiguous-file — 档案中的文件名同样符合两种文书（关键词一样长，如单写“考察表”：积极分子的还是预备党员的），
无法确定是哪一份：不替用户猜，这个文件不算作任何一种文书；两种文书都不再报告缺少（missing-document），
也不再报告为无法识别。参数：无。消息变量：{file}、{first}、{second}（两种文书的名称）。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            let Some(d) = p.dossier else { continue };
            for (f, class) in ctx.archive.dossiers[d].files.iter().zip(&ctx.classes[d]) {
                if class.get().is_some() || ctx.is_unreadable(&f.rel) {
                    continue;
                }
                let Some((a, b)) = tie(classifier, f) else {
                    continue;
                };
                let docs = &ctx.config.documents;
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    None,
                    Some(f.rel.to_string()),
                    None,
                    &[
                        ("file", &f.rel),
                        ("first", &docs[a].title),
                        ("second", &docs[b].title),
                    ],
                ));
            }
        }
    }
}
