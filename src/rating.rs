//! 四色研判: rate each branch by colour from rules in YAML (`branch_rating`), with the reasons.

use std::collections::BTreeMap;

use jiff::civil::Date;

use serde::Deserialize;

use crate::finding::Severity;
use crate::results::AuditResult;
use crate::rules::shared::dormancy::no_admission_for;
use crate::schema::Schema;

/// One colour of the 四色研判 branch rating: a branch gets the first colour any of whose
/// conditions holds; the last colour (with no conditions) is the rest.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rating {
    pub colour: String,
    pub label: String,
    #[serde(default = "default_hex")]
    pub hex: String,
    #[serde(default)]
    pub any: Vec<RawCondition>,
}

fn default_hex() -> String {
    "#607d8b".into()
}

/// One entry of `any:`, as written (`{ no_admission_years: 3 }`).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCondition {
    pub no_admission_years: Option<u32>,
    pub no_pipeline: Option<bool>,
    pub pipeline_below: Option<u32>,
    pub defect_rate_at_least: Option<f64>,
    pub no_new_activist_this_year: Option<bool>,
}

/// A condition of the branch rating.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Condition {
    /// No one admitted (接收为预备党员) within this many years before the as-of date.
    NoAdmissionYears(u32),
    /// No activist and no candidate in the pipeline.
    NoPipeline,
    /// Fewer than this many activists and candidates in the pipeline.
    PipelineBelow(u32),
    /// At least this share (0–1) of the branch's dossiers have an error.
    DefectRateAtLeast(f64),
    /// No one became an activist in the as-of date's year.
    NoNewActivistThisYear,
}

impl Rating {
    pub fn conditions(&self) -> Vec<Condition> {
        let mut v = Vec::new();
        for c in &self.any {
            if let Some(n) = c.no_admission_years {
                v.push(Condition::NoAdmissionYears(n));
            }
            if c.no_pipeline == Some(true) {
                v.push(Condition::NoPipeline);
            }
            if let Some(n) = c.pipeline_below {
                v.push(Condition::PipelineBelow(n));
            }
            if let Some(x) = c.defect_rate_at_least {
                v.push(Condition::DefectRateAtLeast(x));
            }
            if c.no_new_activist_this_year == Some(true) {
                v.push(Condition::NoNewActivistThisYear);
            }
        }
        v
    }
}

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

/// What the rating looks at, per branch.
fn facts_by_branch(schema: &Schema, result: &AuditResult) -> BTreeMap<String, Facts> {
    let stage_key = |s: Option<usize>| s.map(|s| schema.stages[s].key.as_str());
    let (activist, candidate) = (
        stage_key(schema.keys.activist_stage),
        stage_key(schema.keys.candidate_stage),
    );
    let with_errors: std::collections::HashSet<&str> = result
        .findings
        .iter()
        .filter(|x| x.waived.is_none() && x.severity == Severity::Error)
        .filter_map(|x| x.dossier.as_deref())
        .collect();
    let mut by_branch: BTreeMap<String, Facts> = BTreeMap::new();
    // The branches a 年度发展计划 or 支部名单 lists, with no one in them: rated all the same.
    let known = result.people.iter().map(|p| p.branch.as_str());
    for branch in crate::rules::shared::dormancy::listed_only(known, &result.plan) {
        by_branch.entry(branch.to_string()).or_default();
    }
    for p in &result.people {
        let f = by_branch.entry(p.branch.to_string()).or_default();
        if let Some(a) = p.admitted {
            f.last_admitted = Some(f.last_admitted.map_or(a, |l| l.max(a)));
        }
        let stage = p.stage.as_deref();
        if stage.is_some() && stage == activist {
            f.activists += 1;
        } else if stage.is_some() && stage == candidate {
            f.candidates += 1;
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
}

/// Rate each branch of `result` by the first of `ratings` whose conditions hold.
pub fn rate(ratings: &[Rating], schema: &Schema, result: &AuditResult) -> Vec<BranchRating> {
    let by_branch = facts_by_branch(schema, result);
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
                        no_admission_for(f.last_admitted, result.as_of, n)
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
            for r in ratings {
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
