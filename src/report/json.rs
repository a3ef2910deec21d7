//! The stable JSON report (`--format json`); its schema is documented in the README.

use std::io::Write;

use serde::Serialize;

use crate::finding::Finding;
use crate::results::{AuditResult, DossierReport, Summary};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    as_of: String,
    summary: &'a Summary,
    findings: &'a [Finding],
    dossiers: &'a [DossierReport],
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<&'a crate::shard::ShardData>,
}

/// Write the report (pretty-printed, ending in a newline) as it is serialised.
pub fn write(result: &AuditResult, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let report = Report {
        version: 1,
        as_of: result.as_of.to_string(),
        summary: &result.summary,
        findings: &result.findings,
        dossiers: &result.dossiers,
        shard: result.shard.as_ref(),
    };
    // Buffered here, where the writer's type is known: serde_json writes a token at a time,
    // and each write through `dyn Write` would be a call that cannot be inlined.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    // An I/O error keeps its kind (a closed pipe is still a closed pipe).
    serde_json::to_writer_pretty(&mut out, &report).map_err(|e| match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    })?;
    out.write_all(b"\n")?;
    out.flush()
}
