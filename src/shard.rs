//! Audits too large for one machine: `dangan audit --shard K/N` takes a stable share of the
//! branches (a branch is never split), and `dangan merge` combines the shards' JSON into the
//! outputs of a single run.
//!
//! What spans shards is carried in the shard's JSON (`shard`): the content fingerprint of
//! every file (duplicates across dossiers are found at the merge) and the people behind the
//! committee's statistics. Repeated ID numbers are found in every shard, because every shard
//! reads the whole root ledger and lists every branch's folder names.

use std::collections::HashMap;

use serde::Deserialize;

use crate::config::Config;
use crate::finding::{Finding, Location};
use crate::results::{AuditResult, Counts, DossierReport, PersonFacts, Scope, Summary};
pub use crate::results::{Fingerprint, RunIdentity, Shard, ShardData};
use crate::rules::Kind;
use crate::walk::archive_order;

/// A shard's JSON report, as read back.
#[derive(Debug, Deserialize)]
pub struct ShardReport {
    pub version: u32,
    pub as_of: jiff::civil::Date,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    pub dossiers: Vec<DossierReport>,
    pub shard: Option<ShardData>,
}

/// Why shard reports cannot be merged, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("没有可合并的分片")]
    NoShards,
    /// The first report has no shard part: an ordinary report.
    #[error("不是分片报告（缺少 shard 部分）：请用 audit --shard K/N --format json 生成")]
    NotAShardReport,
    /// A later report has none.
    #[error("不是分片报告（缺少 shard 部分）")]
    NotAShard,
    #[error("缺少分片 {index}/{count}")]
    Missing { index: u32, count: u32 },
    #[error("分片审核时使用的规则文件与本次合并的规则文件不同：请用同样的 --rules 合并")]
    OtherRules,
    #[error("分片 {index}/{count} 与其他分片的总数、版本或审核基准日不一致")]
    Inconsistent { index: u32, count: u32 },
    /// Another audit's shard: what differs (archive, scope, waivers …).
    #[error("分片 {index}/{count} 与其他分片不是同一次审核（{what}不同），不能合并")]
    OtherRun {
        index: u32,
        count: u32,
        what: String,
    },
    #[error("分片序号越界")]
    OutOfRange,
    #[error("分片 {index}/{count} 出现了两次")]
    Twice { index: u32, count: u32 },
}

/// The shards are every shard of one run (same count, version, as-of date, archive, rules,
/// scope and waivers, each once, none missing), audited with `config`'s rules; their as-of date.
fn check_shards(config: &Config, shards: &[ShardReport]) -> Result<jiff::civil::Date, MergeError> {
    let first = shards.first().ok_or(MergeError::NoShards)?;
    let as_of = first.as_of;
    let count = first
        .shard
        .as_ref()
        .map(|s| s.shard.count)
        .ok_or(MergeError::NotAShardReport)?;
    // Every shard must be there: a count past them is an error, not an allocation.
    if count as usize > shards.len() {
        let mut have: Vec<u32> = shards
            .iter()
            .filter_map(|r| r.shard.as_ref().map(|s| s.shard.index))
            .collect();
        have.sort_unstable();
        have.dedup();
        let missing = (0u32..)
            .zip(&have)
            .find(|(k, h)| k != *h)
            .map_or(have.len() as u32, |(k, _)| k);
        return Err(MergeError::Missing {
            index: missing,
            count,
        });
    }
    let run = first.shard.as_ref().and_then(|s| s.run.clone());
    if let Some(run) = &run
        && run.rules != config.fingerprint
    {
        return Err(MergeError::OtherRules);
    }
    let mut seen = vec![false; count as usize];
    for r in shards {
        let s = r.shard.as_ref().ok_or(MergeError::NotAShard)?;
        let (index, count_here) = (s.shard.index, s.shard.count);
        if r.version != 1 || count_here != count || r.as_of != as_of {
            return Err(MergeError::Inconsistent {
                index,
                count: count_here,
            });
        }
        if let (Some(a), Some(b)) = (&run, &s.run)
            && let Some(what) = a.differs(b)
        {
            return Err(MergeError::OtherRun {
                index,
                count: count_here,
                what: what.to_string(),
            });
        }
        let slot = seen.get_mut(index as usize).ok_or(MergeError::OutOfRange)?;
        if *slot {
            return Err(MergeError::Twice { index, count });
        }
        *slot = true;
    }
    if let Some(missing) = seen.iter().position(|x| !x) {
        return Err(MergeError::Missing {
            index: missing as u32,
            count,
        });
    }
    Ok(as_of)
}

/// Combine every shard of one run into the result a single run would have given.
pub fn merge(config: &Config, shards: Vec<ShardReport>) -> Result<AuditResult, MergeError> {
    let as_of = check_shards(config, &shards)?;

    let order: HashMap<&str, usize> = config
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut findings: Vec<Finding> = Vec::new();
    let mut archive_wide: Vec<String> = Vec::new();
    let mut dossiers = Vec::new();
    let mut people = Vec::new();
    let mut plan = Vec::new();
    let mut fingerprints = Vec::new();
    let mut summary = Summary::default();
    let mut scope: Option<Scope> = None;
    for r in shards {
        for f in r.findings {
            // Archive-wide findings (root files, the ledger itself) are seen by every shard.
            if f.dossier.is_none() && f.name.is_none() {
                let key = serde_json::to_string(&f).unwrap_or_default();
                if archive_wide.contains(&key) {
                    continue;
                }
                archive_wide.push(key);
            }
            findings.push(f);
        }
        dossiers.extend(r.dossiers);
        summary.dossiers += r.summary.dossiers;
        summary.ledger_rows += r.summary.ledger_rows;
        summary.ledger_people += r.summary.ledger_people;
        summary.files += r.summary.files;
        summary.pages += r.summary.pages;
        summary.unknown_resolution += r.summary.unknown_resolution;
        if let Some(c) = &r.summary.content {
            summary.content.get_or_insert_with(Default::default).add(c);
        }
        if let Some(s) = r.summary.scope {
            let t = scope.get_or_insert_with(|| Scope {
                since: s.since.clone(),
                ..Scope::default()
            });
            t.people_in_scope += s.people_in_scope;
            t.people_out_of_scope += s.people_out_of_scope;
        }
        if let Some(data) = r.shard {
            people.extend(data.people);
            plan.extend(data.plan);
            fingerprints.extend(data.fingerprints);
        }
    }
    findings.extend(duplicate_findings(config, &mut fingerprints, &order));
    for f in &mut findings {
        f.rule_order = order.get(f.rule.as_str()).copied().unwrap_or(usize::MAX);
    }
    crate::rules::sort(&mut findings);
    dossiers.sort_by(|a: &DossierReport, b| archive_order(&a.dossier, &b.dossier));
    // People with a folder in archive order, then the ledger-only ones by branch and name.
    people.sort_by(|a: &PersonFacts, b| match (&a.dossier, &b.dossier) {
        (Some(x), Some(y)) => {
            archive_order(x, y).then_with(|| (&a.branch, &a.name).cmp(&(&b.branch, &b.name)))
        }
        (x, y) => (x.is_none(), &a.branch, &a.name).cmp(&(y.is_none(), &b.branch, &b.name)),
    });
    summary.findings = Counts::of(&findings);
    summary.scope = scope;
    Ok(AuditResult {
        plan,
        as_of,
        summary,
        findings,
        dossiers,
        people,
        shard: None,
    })
}

/// duplicate-file across the whole archive, from the shards' fingerprints, exactly as a
/// single run finds it: groups in archive order, the first of each group is the original.
fn duplicate_findings(
    config: &Config,
    prints: &mut [Fingerprint],
    order: &HashMap<&str, usize>,
) -> Vec<Finding> {
    let groups = crate::duplicates::in_shards(prints);
    let mut out = Vec::new();
    for rule in config
        .rules
        .iter()
        .filter(|r| r.enabled && r.kind() == Kind::DuplicateFile)
    {
        for g in &groups {
            let first = &prints[g[0]];
            for &i in &g[1..] {
                let p = &prints[i];
                let same = p.dossier == first.dossier;
                let Some(severity) = crate::rules::duplicate_file::severity(
                    rule,
                    same,
                    [first.document.as_deref(), p.document.as_deref()],
                ) else {
                    continue;
                };
                let vars = [
                    ("name", p.name.as_str()),
                    ("branch", p.branch.as_str()),
                    ("dossier", p.dossier.as_str()),
                    ("file", p.file.as_str()),
                    ("other", first.file.as_str()),
                ];
                let mut f = rule.finding(&vars);
                f.severity = severity;
                f.branch = Some(p.branch.clone()).filter(|b| !b.is_empty());
                f.dossier = Some(p.dossier.clone());
                f.name = Some(p.name.clone()).filter(|n| !n.is_empty());
                f.subject = p.document.clone();
                f.file = Some(p.file.clone());
                f.location = Some(Location::file(p.file.clone()));
                f.rule_order = order.get(rule.id.as_str()).copied().unwrap_or(usize::MAX);
                out.push(f);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_own() {
        assert_eq!(Shard::parse("1/4"), Ok(Shard { index: 1, count: 4 }));
        assert!(Shard::parse("4/4").is_err());
        assert!(Shard::parse("x").is_err());
        assert!(Shard::parse("0/0").is_err());
        // Every branch belongs to exactly one shard, the same one each time.
        for b in ["第一党支部", "机关第二党支部", "档案室抽查支部", ""] {
            let owners: Vec<u32> = (0..3)
                .filter(|&k| Shard { index: k, count: 3 }.owns(b))
                .collect();
            assert_eq!(owners.len(), 1, "{b}");
        }
    }
}
