//! theory-not-current: an application or thought report that does not mention the party's
//! current theory as of the date it bears.

use jiff::civil::Date;

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Parameters, Reads, Resolver, Rule, RuleKind};
use crate::rules::shared::content::{doc_finding, document_date, readable, resolve_documents};

pub struct TheoryNotCurrent;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    documents: Option<Vec<String>>,
    requirements: Option<Vec<RawRequirement>>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirement {
    from: Option<String>,
    title: Option<String>,
    any: Option<Vec<String>>,
}

/// From `from` on, a document must mention one of `any`.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub from: Date,
    pub title: String,
    pub any: Vec<String>,
}

#[derive(Debug)]
pub struct Params {
    pub documents: Vec<usize>,
    pub requirements: Vec<Requirement>,
}

impl RuleKind for TheoryNotCurrent {
    const NAME: &'static str = "theory-not-current";
    const DOC: &'static str = "\
kind: theory-not-current — 申请书、思想汇报等材料没有体现其日期时党的最新理论。

参数：documents: 文书键列表；requirements: 列表，每项 { from: 日期, title: 名称, any: [短语…] }——
日期为 from 当天或之后的材料须提到 any 中的至少一个短语（各项累加：2024年的材料既要提到二十大，也要
提到二十届三中全会）。短语在去掉空白后的全文中查找（OCR 文字层常把汉字隔开）；八个字以上的短语
每八个字允许一个字不同（OCR 把“习近平”认成“习近乎”时仍算提到）。
材料的日期：文中最后一个完整日期（落款：2023年3月15日、二〇二三年三月十五日），没有时取文件名中的
年月或季度（取其第一天），再没有时取台账中该材料所记录的环节时间（入党申请书 → 申请入党时间）。
无法可靠识别文字的材料（字数过少、OCR 置信度低于 content.min_confidence）不检查，由 content-unreadable
报告；未开启 OCR 时扫描件不检查。
消息变量：{file}、{document}、{date}、{date_from}（文中落款 / 文件名 / 台账…）、{missing}
（缺少的各项：名称、起始日期和可用的短语）。subject：文书键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let Some(lens) = ctx.contents.lens.as_ref() else {
            return;
        };
        for doc in readable(ctx, &params.documents) {
            let Some((date, shown, from)) = document_date(ctx, &doc) else {
                continue;
            };
            let missing: Vec<String> = params
                .requirements
                .iter()
                .filter(|r| r.from <= date)
                .filter(|r| {
                    !r.any
                        .iter()
                        .filter_map(|p| lens.phrase(p))
                        .any(|i| doc.facts.phrases.binary_search(&i).is_ok())
                })
                .map(|r| {
                    let any: Vec<String> = r.any.iter().map(|p| format!("「{p}」")).collect();
                    format!("{}（{} 起：{}）", r.title, r.from, any.join("或"))
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let vars = [
                ("date", shown.as_str()),
                ("date_from", from.as_str()),
                ("missing", &missing.join("；")),
            ];
            out.push(doc_finding(ctx, rule, &doc, &vars));
        }
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let documents = resolve_documents(raw.documents, r);
        let mut requirements = Vec::new();
        for q in raw.requirements.unwrap_or_default() {
            let from = q.from.as_deref().unwrap_or_default();
            let date = crate::date::parse_date(from)
                .ok()
                .filter(|d| d.is_day())
                .map(|d| d.earliest());
            let any = q.any.unwrap_or_default();
            match date {
                Some(_) if any.is_empty() => {
                    let message = format!(
                        "规则 {} 的 requirements 中「{from}」一项没有 any 短语",
                        r.id
                    );
                    r.error(Some(from), message, "缺少短语", None);
                }
                Some(d) => requirements.push(Requirement {
                    from: d,
                    title: q.title.unwrap_or_else(|| from.to_string()),
                    any,
                }),
                None => {
                    let message = format!(
                        "规则 {} 的 requirements 中 from「{from}」不是完整日期",
                        r.id
                    );
                    r.error(
                        Some("from:"),
                        message,
                        "无效日期",
                        Some("写作 2022-10-16".into()),
                    );
                }
            }
        }
        if requirements.is_empty() {
            let message = format!("规则 {} 需要 requirements（日期和应提到的短语）", r.id);
            r.error(None, message, "缺少参数", None);
            return None;
        }
        Some(Params {
            documents: documents?,
            requirements,
        })
    }

    fn reads(&self) -> Reads {
        Reads {
            documents: self.documents.clone(),
            phrases: self
                .requirements
                .iter()
                .flat_map(|r| r.any.clone())
                .collect(),
        }
    }
}
