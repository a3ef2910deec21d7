//! Accepted findings: a baseline of known findings (report only what is new) and waivers
//! (approved, dated exceptions). Decides nothing about what is a defect; only what is counted.

use std::collections::HashMap;
use std::path::Path;

use globset::{Glob, GlobMatcher};
use jiff::civil::Date;
use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::finding::Waived;
use crate::results::{AuditResult, BaselineCounts, Counts};
use crate::rules::{Kind, waiver_expired, waiver_unused};

// ---------------------------------------------------------------------------------------------
// Baseline.

#[derive(Debug, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub as_of: String,
    pub entries: Vec<BaselineEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub rule: String,
    pub dossier: Option<String>,
    pub name: Option<String>,
    pub subject: Option<String>,
    pub key: String,
}

impl Baseline {
    pub fn of(result: &AuditResult) -> Baseline {
        Baseline {
            version: 1,
            as_of: result.as_of.to_string(),
            entries: result
                .findings
                .iter()
                .filter(|f| f.waived.is_none())
                .map(|f| BaselineEntry {
                    rule: f.rule.clone(),
                    dossier: f.dossier.clone(),
                    name: f.name.clone(),
                    subject: f.subject.clone(),
                    key: f.key(),
                })
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = crate::input::read_text(path, crate::input::MAX_BASELINE).map_err(|why| {
            BaselineError::Unreadable {
                path: path.display().to_string(),
                why,
            }
        })?;
        serde_json::from_str(&text).map_err(|e| BaselineError::Malformed {
            path: path.display().to_string(),
            line: e.line(),
            detail: e.to_string(),
        })
    }
}

/// Why a baseline file cannot be used: its path, and the line where its JSON is wrong.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("无法读取基线文件 {path}：{why}")]
    Unreadable {
        path: String,
        why: crate::input::InputError,
    },
    #[error("基线文件 {path} 格式错误（第 {line} 行）：{detail}")]
    Malformed {
        path: String,
        line: usize,
        detail: String,
    },
}

/// Drop the findings the baseline already knows (each entry matches one finding).
pub fn apply_baseline(result: &mut AuditResult, baseline: &Baseline) {
    let mut left: HashMap<&str, usize> = HashMap::new();
    for e in &baseline.entries {
        *left.entry(e.key.as_str()).or_default() += 1;
    }
    let before = result.findings.len();
    result.findings.retain(|f| {
        if f.waived.is_some() {
            return true;
        }
        match left.get_mut(f.key().as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        }
    });
    let known = before - result.findings.len();
    result.summary.baseline = Some(BaselineCounts {
        known,
        fixed: baseline.entries.len() - known,
    });
    result.summary.findings = Counts::of(&result.findings);
}

// ---------------------------------------------------------------------------------------------
// Waivers.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    waivers: Vec<RawWaiver>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: String,
    /// A glob over the dossier path (`第一党支部/*`); for a ledger row without a folder,
    /// over `branch:name`.
    dossier: String,
    subject: Option<String>,
    reason: String,
    approved_by: String,
    expires: String,
}

pub struct Waiver {
    rule: String,
    dossier: Pattern,
    subject: Option<String>,
    waived: Waived,
    expires: Date,
    /// 1-based line of the waiver in its file.
    line: usize,
}

pub struct Waivers {
    file: String,
    list: Vec<Waiver>,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(dangan::waivers))]
pub struct WaiverError {
    message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("这里")]
    span: SourceSpan,
}

/// A waiver's dossier: a path, or a glob when it has wildcards (a glob compiles to a regular
/// expression: 100,000 waivers naming one dossier each need none).
enum Pattern {
    Exact(String),
    Glob(GlobMatcher),
}

impl Pattern {
    fn new(p: &str) -> Result<Pattern, globset::Error> {
        if p.contains(['*', '?', '[', '{', '\\']) {
            Ok(Pattern::Glob(Glob::new(p)?.compile_matcher()))
        } else {
            Ok(Pattern::Exact(p.to_string()))
        }
    }

    fn is_match(&self, s: &str) -> bool {
        match self {
            Pattern::Exact(p) => p == s,
            Pattern::Glob(g) => g.is_match(s),
        }
    }
}

impl Waivers {
    pub fn load(path: &Path, config: &Config) -> Result<Waivers, WaiverError> {
        let name = path.display().to_string();
        let text = crate::input::read_yaml(path).map_err(|e| WaiverError {
            message: format!("无法读取豁免文件 {name}：{e}"),
            src: NamedSource::new(name.clone(), String::new()),
            span: (0, 0).into(),
        })?;
        let err = |offset: usize, message: String| WaiverError {
            message,
            src: NamedSource::new(name.clone(), text.clone()),
            span: (
                offset.min(text.len()),
                1usize.min(text.len().saturating_sub(offset)),
            )
                .into(),
        };
        let raw: WaiverFile = serde_yaml::from_str(&text).map_err(|e| {
            let msg = e.to_string();
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
            err(
                e.location().map_or(0, |l| l.index()),
                format!("{name}：YAML 有误：{msg}"),
            )
        })?;
        // The n-th waiver starts at the n-th list item of the file.
        // (line, byte offset) of each: found in one pass (100,000 waivers load in linear time).
        let mut starts: Vec<(usize, usize)> = Vec::new();
        let mut offset = 0;
        for (i, l) in text.split_inclusive('\n').enumerate() {
            if l.trim_start().starts_with("- ") {
                starts.push((i + 1, offset));
            }
            offset += l.len();
        }
        let mut list = Vec::new();
        for (i, w) in raw.waivers.into_iter().enumerate() {
            let (line, at) = starts.get(i).copied().unwrap_or((1, 0));
            if config.rule(&w.rule).is_none() {
                return Err(err(
                    at,
                    format!("豁免中的规则“{}”不存在（见 dangan rules）", w.rule),
                ));
            }
            let expires = crate::date::parse_date(&w.expires)
                .map(|d| d.latest())
                .map_err(|_| err(at, format!("豁免的 expires“{}”不是日期", w.expires)))?;
            let dossier = Pattern::new(&w.dossier).map_err(|e| {
                err(
                    at,
                    format!("豁免的 dossier“{}”不是有效的通配符：{e}", w.dossier),
                )
            })?;
            list.push(Waiver {
                rule: w.rule,
                dossier,
                subject: w.subject,
                waived: Waived {
                    reason: w.reason,
                    approved_by: w.approved_by,
                    expires: expires.to_string(),
                },
                expires,
                line,
            });
        }
        Ok(Waivers { file: name, list })
    }
}

/// Mark the findings an unexpired waiver covers; report expired and unused waivers.
pub fn apply_waivers(result: &mut AuditResult, waivers: &Waivers, config: &Config) {
    let mut used = vec![false; waivers.list.len()];
    for f in &mut result.findings {
        let who = f.who();
        for (i, w) in waivers.list.iter().enumerate() {
            if w.expires < result.as_of
                || w.rule != f.rule
                || !w.dossier.is_match(&who)
                || w.subject
                    .as_ref()
                    .is_some_and(|s| Some(s) != f.subject.as_ref())
            {
                continue;
            }
            f.waived = Some(w.waived.clone());
            used[i] = true;
            break;
        }
    }
    for (order, rule) in config.rules.iter().enumerate().filter(|(_, r)| r.enabled) {
        for (i, w) in waivers.list.iter().enumerate() {
            let (expires, used) = (w.expires, used[i]);
            let fires = match rule.kind() {
                Kind::WaiverExpired => waiver_expired::fires(expires, result.as_of, used),
                Kind::WaiverUnused => waiver_unused::fires(expires, result.as_of, used),
                _ => false,
            };
            if !fires {
                continue;
            }
            let mut f = crate::rules::shared::waivers::finding(
                rule,
                &waivers.file,
                w.line,
                &w.rule,
                &w.waived.expires,
                &w.waived.approved_by,
            );
            f.rule_order = order;
            result.findings.push(f);
        }
    }
    crate::rules::sort(&mut result.findings);
    result.summary.findings = Counts::of(&result.findings);
    result.summary.waived = result
        .findings
        .iter()
        .filter(|f| f.waived.is_some())
        .count();
}
