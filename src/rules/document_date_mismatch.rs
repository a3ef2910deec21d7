//! document-date-mismatch: the date written in a document differs from the ledger milestone
//! it records by more than a tolerance.

use crate::date::Duration;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Reads, Resolver, Rule, RuleKind};
use crate::rules::shared::content::{doc_finding, readable};

pub struct DocumentDateMismatch;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    documents: Option<Vec<String>>,
    tolerance: Option<String>,
}

#[derive(Debug)]
pub struct Params {
    pub documents: Vec<usize>,
    pub tolerance: Duration,
    /// The ledger field each document's milestone is in.
    fields: Vec<usize>,
}

impl RuleKind for DocumentDateMismatch {
    const NAME: &'static str = "document-date-mismatch";
    const DOC: &'static str = "\
kind: document-date-mismatch — 材料中写的日期（落款）与台账中它所记录的环节时间相差超过 tolerance。

哪种材料记录哪个环节，由 documents 中的 milestone 给出（入党申请书 → 申请入党时间，转正申请书 →
提出转正申请时间）。材料的日期是文中最后一个完整日期；没有时不检查。台账只写到月时，与该月任何一天
相差不超过 tolerance 即可。无法可靠识别文字的材料不检查（content-unreadable）。
参数：documents: 文书键列表（每个都须有 milestone）；tolerance: 时长（默认 31d）。
消息变量：{file}、{document}、{written}、{milestone}、{ledger_date}、{tolerance}。subject：文书键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        for doc in readable(ctx, &params.documents) {
            let document = &ctx.config.documents[doc.document];
            let (Some((written, shown)), Some(milestone), Some(row)) =
                (&doc.facts.written, document.milestone, ctx.row(doc.person))
            else {
                continue;
            };
            let Some(ledger) = ctx.milestone(row, milestone) else {
                continue;
            };
            let span = params.tolerance.span();
            let lo = ledger.earliest().checked_sub(span).ok();
            let hi = ledger.latest().checked_add(span).ok();
            if lo.is_none_or(|lo| *written >= lo) && hi.is_none_or(|hi| *written <= hi) {
                continue;
            }
            let vars = [
                ("written", shown.as_str()),
                ("milestone", &ctx.config.milestone_title(milestone)),
                ("ledger_date", &ledger.to_string()),
                ("tolerance", &params.tolerance.to_string()),
            ];
            out.push(doc_finding(ctx, rule, &doc, &vars));
        }
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let mut documents = Vec::new();
        let mut fields = Vec::new();
        for d in raw.documents.unwrap_or_default() {
            let Some(i) = r.document(&d) else { continue };
            match r.schema.documents[i].milestone {
                Some(m) => {
                    documents.push(i);
                    fields.push(m.field);
                }
                None => {
                    let message =
                        format!("规则 {} 的文书「{d}」没有 milestone，无法与台账比较", r.id);
                    r.error(Some(&d), message, "文书没有环节时间", None);
                }
            }
        }
        let tolerance = r.duration("tolerance", raw.tolerance.as_deref().unwrap_or("31d"))?;
        if documents.is_empty() {
            let message = format!("规则 {} 需要 documents", r.id);
            r.error(None, message, "缺少参数", None);
            return None;
        }
        Some(Params {
            documents,
            tolerance,
            fields,
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::AtLeast(1, self.fields.clone())]
    }

    fn reads(&self) -> Reads {
        Reads {
            documents: self.documents.clone(),
            phrases: Vec::new(),
        }
    }
}
