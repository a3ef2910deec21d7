//! JUnit XML (`--format junit`): one test suite per branch, one test case per dossier (or
//! ledger row without a folder), a failure per error; warnings and notes go to system-out.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::finding::{About, Finding, Severity};
use crate::results::AuditResult;

/// XML text: the HTML escapes, without the control characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|&c| (c as u32) >= 0x20 || matches!(c, '\n' | '\r' | '\t'))
        .collect();
    crate::report::html::esc(&clean)
}

fn case_name(f: &Finding) -> String {
    match f.about() {
        About::Dossier(d) => d.to_string(),
        About::LedgerOnly { name, .. } => format!("台账：{name}（无档案文件夹）"),
        About::BranchFolder(_) | About::Archive => "（档案整体）".to_string(),
    }
}

pub fn render(result: &AuditResult) -> String {
    // branch → case → findings; every dossier is a case, clean ones pass.
    let mut suites: BTreeMap<String, BTreeMap<String, Vec<&Finding>>> = BTreeMap::new();
    for d in &result.dossiers {
        suites
            .entry(d.branch.to_string())
            .or_default()
            .entry(d.dossier.clone())
            .or_default();
    }
    for f in result.findings.iter().filter(|f| f.waived.is_none()) {
        let branch = f
            .branch
            .clone()
            .unwrap_or_else(|| "（档案整体）".to_string());
        suites
            .entry(branch)
            .or_default()
            .entry(case_name(f))
            .or_default()
            .push(f);
    }
    let tests: usize = suites.values().map(BTreeMap::len).sum();
    let failures: usize = suites
        .values()
        .flat_map(|s| s.values())
        .filter(|fs| fs.iter().any(|f| f.severity == Severity::Error))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"dangan\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    for (branch, cases) in &suites {
        let f = cases
            .values()
            .filter(|fs| fs.iter().any(|f| f.severity == Severity::Error))
            .count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f}\" errors=\"0\" skipped=\"0\">",
            escape(branch),
            cases.len()
        );
        for (case, findings) in cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(branch),
                escape(case)
            );
            if findings.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            for f in findings.iter().filter(|f| f.severity == Severity::Error) {
                let place = f
                    .location
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "      <failure type=\"{}\" message=\"{}\">{}\n位置：{}\n依据：{}</failure>",
                    escape(&f.rule),
                    escape(&f.message),
                    escape(&f.message),
                    escape(&place),
                    escape(&f.basis)
                );
            }
            let notes: Vec<String> = findings
                .iter()
                .filter(|f| f.severity != Severity::Error)
                .map(|f| format!("{} [{}] {}", f.severity.label_zh(), f.rule, f.message))
                .collect();
            if !notes.is_empty() {
                let _ = writeln!(
                    out,
                    "      <system-out>{}</system-out>",
                    escape(&notes.join("\n"))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
