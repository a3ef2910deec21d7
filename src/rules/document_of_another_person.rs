//! document-of-another-person: a document signed by another person of the archive, filed in
//! this person's dossier.

use std::collections::HashMap;

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Parameters, Reads, Resolver, Rule, RuleKind};
use crate::rules::shared::content::{doc_finding, readable, resolve_documents};
use crate::text::name_key;

pub struct DocumentOfAnotherPerson;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    documents: Option<Vec<String>>,
}

#[derive(Debug)]
pub struct Params {
    pub documents: Vec<usize>,
}

impl RuleKind for DocumentOfAnotherPerson {
    const NAME: &'static str = "document-of-another-person";
    const DOC: &'static str = "\
kind: document-of-another-person — 档案中的材料署名是本档案库中的另一个人，而不是档案本人：
很可能放错了档案。

署名取自材料中的署名行（申请人：、汇报人：、报告人：、志愿人：、本人签名：、签名：…后的姓名）。
只在署名是本次审核中另一个人的姓名、且全文没有出现档案本人姓名时报告；署名认不出、
或者全文找不到任何人名时不报告（手写、OCR 识别不出）。
参数：documents: 文书键列表。消息变量：{file}、{document}、{signer}、{signer_dossier}
（署名者的档案，没有时为其支部）。subject：文书键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        // Everyone the archive names, with where their dossier is: this run's people, and in a
        // sharded run the other shards' dossier folders and ledger rows (by their branch).
        let mut people: HashMap<String, String> = HashMap::new();
        for p in ctx.people.iter().filter(|p| !p.name.is_empty()) {
            let place = p
                .dossier
                .map(|d| ctx.archive.dossiers[d].rel.to_string())
                .unwrap_or_else(|| p.branch.to_string());
            people.entry(name_key(&p.name)).or_insert(place);
        }
        for (rel, folder) in &ctx.archive.foreign_folders {
            let name = crate::join::name_from_folder(folder);
            if !name.is_empty() {
                people.entry(name_key(&name)).or_insert_with(|| rel.clone());
            }
        }
        for r in ctx.foreign_rows {
            if let Some(name) = r.text(Some(ctx.config.keys.name)).filter(|n| !n.is_empty()) {
                let branch = r.branch(ctx.config).unwrap_or_default();
                people
                    .entry(name_key(name))
                    .or_insert_with(|| branch.to_string());
            }
        }
        for doc in readable(ctx, &params.documents) {
            if doc.facts.owner_named || doc.person.name.is_empty() {
                continue;
            }
            let owner = name_key(&doc.person.name);
            let Some((signer, where_)) = doc.facts.signers.iter().find_map(|s| {
                let k = name_key(s);
                (k != owner).then(|| people.get(&k).map(|place| (s, place)))?
            }) else {
                continue;
            };
            let vars = [
                ("signer", signer.as_str()),
                ("signer_dossier", where_.as_str()),
            ];
            out.push(doc_finding(ctx, rule, &doc, &vars));
        }
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        resolve_documents(raw.documents, r).map(|documents| Params { documents })
    }

    fn reads(&self) -> Reads {
        Reads {
            documents: self.documents.clone(),
            phrases: Vec::new(),
        }
    }
}
