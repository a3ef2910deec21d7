//! 四色研判: rate each branch by colour from rules in YAML (`branch_rating`), with the reasons.

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::{Span, Unit};

use crate::config::{Condition, Config};
use crate::finding::Severity;
use crate::results::AuditResult;

#[derive(Debug, Clone)]
pub struct BranchRating {
    pub branch: String,
    pub colour: String,
    pub label: String,
    pub hex: String,
    pub reasons: Vec<String>,
    pub last_admitted: Option<Date>,
    pub activists: usize,
    pub candidates: usize,
    pub dossiers: usize,
    pub defective: usize,
}

#[derive(Default)]
struct Facts {
    last_admitted: Option<Date>,
    activists: usize,
    candidates: usize,
    new_activists: usize,
    dossiers: usize,
    defective: usize,
}

pub fn rate(config: &Config, result: &AuditResult) -> Vec<BranchRating> {
    let with_errors: std::collections::HashSet<&str> = result
        .findings
        .iter()
        .filter(|x| x.waived.is_none() && x.severity == Severity::Error)
        .filter_map(|x| x.dossier.as_deref())
        .collect();
    let mut by_branch: BTreeMap<String, Facts> = BTreeMap::new();
    for p in &result.people {
        let f = by_branch.entry(p.branch.to_string()).or_default();
        if let Some(a) = p.admitted {
            f.last_admitted = Some(f.last_admitted.map_or(a, |l| l.max(a)));
        }
        match p.stage.as_deref() {
            Some("activist") => f.activists += 1,
            Some("candidate") => f.candidates += 1,
            _ => {}
        }
        if p.activist.is_some_and(|d| d.year() == result.as_of.year()) {
            f.new_activists += 1;
        }
        if let Some(d) = &p.dossier {
            f.dossiers += 1;
            let bad = with_errors.contains(d.as_str());
            if bad {
                f.defective += 1;
            }
        }
    }
    by_branch
        .into_iter()
        .filter(|(b, _)| !b.is_empty())
        .map(|(branch, f)| {
            let pipeline = f.activists + f.candidates;
            let rate = if f.dossiers == 0 {
                0.0
            } else {
                f.defective as f64 / f.dossiers as f64
            };
            let reason = |c: Condition| -> Option<String> {
                match c {
                    Condition::NoAdmissionYears(n) => {
                        let cutoff = result
                            .as_of
                            .checked_sub(Span::new().years(n))
                            .unwrap_or(Date::MIN);
                        match f.last_admitted {
                            Some(d) if d > cutoff => None,
                            Some(d) => Some(format!(
                                "{n} 年以上未接收预备党员（最近一次 {d}，距今 {}）",
                                d.until((Unit::Year, result.as_of))
                                    .map(|s| format!("{}年{}个月", s.get_years(), s.get_months()))
                                    .unwrap_or_default()
                            )),
                            None => Some(format!("{n} 年以上未接收预备党员（台账中没有接收记录）")),
                        }
                    }
                    Condition::NoPipeline if pipeline == 0 => {
                        Some("没有入党积极分子和发展对象".into())
                    }
                    Condition::PipelineBelow(n) if pipeline < n as usize => Some(format!(
                        "入党积极分子和发展对象共 {pipeline} 人，少于 {n} 人"
                    )),
                    Condition::DefectRateAtLeast(x) if f.dossiers > 0 && rate >= x => {
                        Some(format!(
                            "{} 份档案中 {} 份有错误（{:.0}%）",
                            f.dossiers,
                            f.defective,
                            rate * 100.0
                        ))
                    }
                    Condition::NoNewActivistThisYear if f.new_activists == 0 => Some(format!(
                        "{} 年没有新确定的入党积极分子",
                        result.as_of.year()
                    )),
                    _ => None,
                }
            };
            let mut chosen = None;
            for r in &config.ratings {
                let reasons: Vec<String> = r.conditions().into_iter().filter_map(reason).collect();
                if r.any.is_empty() || !reasons.is_empty() {
                    chosen = Some((r, reasons));
                    break;
                }
            }
            let (colour, label, hex, reasons) = match chosen {
                Some((r, reasons)) => {
                    let reasons = if reasons.is_empty() {
                        vec![format!(
                            "近期有接收，发展对象和积极分子 {pipeline} 人，档案无错误"
                        )]
                    } else {
                        reasons
                    };
                    (r.colour.clone(), r.label.clone(), r.hex.clone(), reasons)
                }
                None => (
                    "none".into(),
                    "未评定".into(),
                    "#9e9e9e".into(),
                    vec!["规则集中没有研判规则".into()],
                ),
            };
            BranchRating {
                branch,
                colour,
                label,
                hex,
                reasons,
                last_admitted: f.last_admitted,
                activists: f.activists,
                candidates: f.candidates,
                dossiers: f.dossiers,
                defective: f.defective,
            }
        })
        .collect()
}
