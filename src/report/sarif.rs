//! SARIF 2.1.0 (`--format sarif`): one result per finding, the rule set as the tool's rules.

use std::path::Path;

use serde_json::{Value, json};

use crate::config::Config;
use crate::finding::Severity;
use crate::results::AuditResult;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encode a relative path for a URI reference, keeping `/` between segments.
pub fn uri_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len() * 3);
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(result: &AuditResult, config: &Config, archive: &Path) -> String {
    let rules: Vec<Value> = config
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.kind().name(),
                "shortDescription": { "text": r.description.clone().unwrap_or_else(|| r.id.clone()) },
                "fullDescription": { "text": format!("{}（{}）", r.description.clone().unwrap_or_default(), r.basis) },
                "help": { "text": format!("依据：{}\n示例：{}", r.basis, r.example.clone().unwrap_or_default()) },
                "defaultConfiguration": { "level": level(r.severity), "enabled": r.enabled },
                "properties": { "basis": r.basis, "kind": r.kind().name() }
            })
        })
        .collect();
    let results: Vec<Value> = result
        .findings
        .iter()
        .map(|f| {
            let index = config.rules.iter().position(|r| r.id == f.rule);
            let target = f.location.as_ref().map(|l| l.file.clone()).or_else(|| f.file.clone()).or_else(|| f.dossier.as_ref().map(|d| format!("{d}/")));
            let mut r = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
                "properties": {
                    "branch": f.branch, "dossier": f.dossier, "name": f.name, "subject": f.subject,
                    "sheet": f.location.as_ref().and_then(|l| l.sheet.clone()),
                    "cell": f.location.as_ref().and_then(|l| l.cell.clone()),
                    "basis": f.basis
                }
            });
            if let Some(i) = index {
                r["ruleIndex"] = json!(i);
            }
            if let Some(t) = target {
                r["locations"] = json!([{
                    "physicalLocation": { "artifactLocation": { "uri": uri_path(&t), "uriBaseId": "ARCHIVE" } }
                }]);
            }
            if let Some(w) = &f.waived {
                r["suppressions"] = json!([{
                    "kind": "external",
                    "status": "accepted",
                    "justification": format!("{}（批准人：{}，有效期至 {}）", w.reason, w.approved_by, w.expires)
                }]);
            }
            r
        })
        .collect();
    let base = archive
        .canonicalize()
        .unwrap_or_else(|_| archive.to_path_buf());
    let base_uri = format!("file://{}/", uri_path(&base.to_string_lossy()));
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "dangan",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules
            }},
            "originalUriBaseIds": { "ARCHIVE": { "uri": base_uri } },
            "properties": { "as_of": result.as_of.to_string(), "ruleset": config.ruleset_name },
            "results": results
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
