//! The stable JSON report (`--format json`); its schema is documented in the README.

use serde::Serialize;

use crate::audit::{AuditResult, DossierReport, Summary};
use crate::finding::Finding;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    as_of: String,
    summary: &'a Summary,
    findings: &'a [Finding],
    dossiers: &'a [DossierReport],
}

pub fn render(result: &AuditResult) -> String {
    let report = Report {
        version: 1,
        as_of: result.as_of.to_string(),
        summary: &result.summary,
        findings: &result.findings,
        dossiers: &result.dossiers,
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
