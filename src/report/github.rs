//! GitHub Actions workflow commands (`--format github`): one annotation line per finding.

use std::fmt::Write;
use std::path::Path;

use crate::finding::Severity;
use crate::results::AuditResult;

/// A workflow command's message: `%`, CR and LF encoded as the runner expects, and every
/// other character that would act on a log (escape sequences, bidi overrides) shown escaped.
fn data(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    crate::text::visible(&s).into_owned()
}

fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(result: &AuditResult, archive: &Path) -> String {
    let mut out = String::new();
    for f in result.findings.iter().filter(|f| f.waived.is_none()) {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(file) = f.location.as_ref().map(|l| &l.file).or(f.file.as_ref()) {
            props.push(format!(
                "file={}",
                property(&archive.join(file).to_string_lossy())
            ));
        }
        props.push(format!("title={}", property(&f.rule)));
        let place = f
            .location
            .as_ref()
            .map(|l| format!("（{l}）"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "::{level} {}::{}{}",
            props.join(","),
            data(&f.message),
            data(&place)
        );
    }
    out
}
