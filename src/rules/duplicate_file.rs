//! duplicate-file: byte-identical files, across dossiers or within one.

use crate::finding::{Finding, Severity};
use crate::rules::kind::{Parameters, Resolver, Rule, RuleKind};
use crate::rules::shared::files::file_finding;
use crate::rules::{Context, Params};

pub struct DuplicateFile;

/// What to do with byte-identical files inside one dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SameDossier {
    Error,
    Warning,
    Info,
    Off,
}

/// `same_dossier` as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    same_dossier: Option<SameDossier>,
    shared: Option<Vec<String>>,
}

impl RuleKind for DuplicateFile {
    const NAME: &'static str = "duplicate-file";
    const DOC: &'static str = "\
kind: duplicate-file — 两个文件内容逐字节相同。分属两份档案时按本规则的 severity 报告（可能归错了人）；
同一档案内按 same_dossier 报告（默认 warning；off 不报告）。每组相同文件中，第一个之后的每个各报告一次。
shared: [文书键, …] 是本来就写着几个人、会在几份档案中各放一份的材料（公示、支部大会记录、党委批复……）：
两个文件都是这类材料时，分属两份档案不算重复（同一份入党申请书在两份档案中仍然报告）。
参数：same_dossier: error|warning|info|off；shared。消息变量：{file}、{other}（第一个相同的文件）。subject：文书键。";
    type Params = Within;

    fn check(ctx: &Context<'_>, rule: &Rule, _: &Within, out: &mut Vec<Finding>) {
        let key = |d: usize, i: usize| {
            ctx.classes[d][i]
                .get()
                .map(|c| ctx.config.documents[c].key.as_str())
        };
        for group in ctx.duplicate_groups {
            let Some(&(d0, i0)) = group.first() else {
                continue;
            };
            let first = &ctx.archive.dossiers[d0].files[i0];
            for &(d, i) in &group[1..] {
                let Some(severity) = severity(rule, d == d0, [key(d0, i0), key(d, i)]) else {
                    continue;
                };
                let f = &ctx.archive.dossiers[d].files[i];
                let vars = [("other", &*first.rel)];
                let mut finding =
                    file_finding(ctx, rule, Some(d), f, ctx.classes[d][i].get(), &vars);
                finding.severity = severity;
                out.push(finding);
            }
        }
    }
}

/// The severity inside one dossier (None: not reported), and the documents that may be
/// filed alike in several dossiers.
#[derive(Debug)]
pub struct Within {
    pub same: Option<Severity>,
    pub shared: Vec<String>,
}

impl Parameters for Within {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Within> {
        let shared = raw.shared.unwrap_or_default();
        let before = r.errors.len();
        for k in &shared {
            r.document(k);
        }
        if r.errors.len() > before {
            return None;
        }
        Some(Within {
            same: match raw.same_dossier.unwrap_or(SameDossier::Warning) {
                SameDossier::Error => Some(Severity::Error),
                SameDossier::Warning => Some(Severity::Warning),
                SameDossier::Info => Some(Severity::Info),
                SameDossier::Off => None,
            },
            shared,
        })
    }
}

/// The severity a repeated file is reported at: the rule's when it repeats a file of another
/// dossier, `same_dossier`'s within one (None: not reported, or not a duplicate-file rule,
/// or both files are a `shared` document in two dossiers). `documents`: the two files'
/// document keys. The merge of shards uses it too.
pub fn severity(rule: &Rule, same_dossier: bool, documents: [Option<&str>; 2]) -> Option<Severity> {
    match &rule.params {
        Params::DuplicateFile(w) if same_dossier => w.same,
        Params::DuplicateFile(w)
            if documents
                .iter()
                .all(|d| d.is_some_and(|d| w.shared.iter().any(|s| s == d))) =>
        {
            None
        }
        Params::DuplicateFile(_) => Some(rule.severity),
        _ => None,
    }
}
