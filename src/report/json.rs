//! The stable JSON report (`--format json`); its schema is documented in the README.

use std::io::Write;

use rayon::prelude::*;

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

/// Write the report (pretty-printed, ending in a newline) as it is serialised. Byte for byte
/// what `serde_json::to_writer_pretty` writes; the dossiers — most of a large archive's
/// report — are serialised on every core, a batch at a time, and written in order.
pub fn write(result: &AuditResult, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let report = |dossiers| Report {
        version: 1,
        as_of: result.as_of.to_string(),
        summary: &result.summary,
        findings: &result.findings,
        dossiers,
        shard: result.shard.as_ref(),
    };
    // Buffered here, where the writer's type is known: serde_json writes a token at a time,
    // and each write through `dyn Write` would be a call that cannot be inlined.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    // Everything but the dossiers, with an empty list where they go: at the top level, two
    // spaces in (a key inside a nested object is indented further, and a string's quotes are
    // escaped).
    let mut outer = Vec::new();
    serde_json::to_writer_pretty(&mut outer, &report(&[])).map_err(io_error)?;
    const EMPTY: &[u8] = b"\n  \"dossiers\": []";
    let at = outer
        .windows(EMPTY.len())
        .position(|w| w == EMPTY)
        .filter(|_| !result.dossiers.is_empty());
    let Some(at) = at else {
        out.write_all(&outer)?;
        out.write_all(b"\n")?;
        return out.flush();
    };
    out.write_all(&outer[..at + EMPTY.len() - 1])?;
    const BATCH: usize = 512;
    for (n, window) in result.dossiers.chunks(BATCH * 32).enumerate() {
        let parts: Vec<std::io::Result<Vec<u8>>> = window
            .par_chunks(BATCH)
            .map(|batch| {
                let mut text = Vec::with_capacity(batch.len() * 1024);
                // One dossier's text at a time, in one buffer for the batch.
                let mut one = Vec::with_capacity(4096);
                for d in batch {
                    one.clear();
                    serde_json::to_writer_pretty(&mut one, d).map_err(io_error)?;
                    // Each line of the element two levels in (a JSON string holds no raw line
                    // break: every one is the printer's).
                    for line in one.split(|&b| b == b'\n') {
                        text.extend_from_slice(b"\n    ");
                        text.extend_from_slice(line);
                    }
                    text.push(b',');
                }
                Ok(text)
            })
            .collect();
        for (i, part) in parts.into_iter().enumerate() {
            let part = part?;
            // The first element follows the `[`; the comma after the very last one goes.
            let last = (n * 32 + i + 1) * BATCH >= result.dossiers.len();
            out.write_all(if last { &part[..part.len() - 1] } else { &part })?;
        }
    }
    out.write_all(b"\n  ]")?;
    out.write_all(&outer[at + EMPTY.len()..])?;
    out.write_all(b"\n")?;
    out.flush()
}

/// An I/O error keeps its kind (a closed pipe is still a closed pipe).
fn io_error(e: serde_json::Error) -> std::io::Error {
    match e.io_error_kind() {
        Some(kind) => std::io::Error::new(kind, e),
        None => std::io::Error::other(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::FileFormat;
    use crate::results::FileReport;

    fn dossier(i: usize) -> DossierReport {
        DossierReport {
            dossier: format!("第一党支部/张{i}"),
            branch: "第一党支部".into(),
            name: compact_str::format_compact!("张{i}"),
            stage: i.is_multiple_of(2).then(|| "full".into()),
            files: (0..i % 3)
                .map(|f| FileReport {
                    file: format!("第一党支部/张{i}/入党申请书{f}.pdf \\ \"引号\"").into(),
                    document: Some("application".into()),
                    format: FileFormat::Pdf,
                    size: 700 + f as u64,
                    pages: Some(1),
                    dpi: Some(300.0),
                    contents: Vec::new(),
                })
                .collect(),
            dated: Vec::new(),
            other_path: None,
        }
    }

    #[test]
    fn the_parallel_printer_writes_what_serde_json_writes() {
        // Around the batch sizes: none, one, a batch, a batch and one, a window and one.
        for n in [0, 1, 2, 511, 512, 513, 1025, 512 * 32, 512 * 32 + 1] {
            let mut result = AuditResult {
                as_of: jiff::civil::date(2026, 11, 28),
                summary: Summary::default(),
                findings: Vec::new(),
                dossiers: (0..n).map(dossier).collect(),
                people: Vec::new(),
                plan: Vec::new(),
                shard: None,
            };
            for shard in [false, true] {
                if shard {
                    result.shard = Some(crate::results::ShardData {
                        shard: crate::results::Shard { index: 0, count: 2 },
                        run: None,
                        plan: Vec::new(),
                        fingerprints: Vec::new(),
                        people: Vec::new(),
                    });
                }
                let mut ours = Vec::new();
                write(&result, &mut ours).unwrap();
                let report = Report {
                    version: 1,
                    as_of: result.as_of.to_string(),
                    summary: &result.summary,
                    findings: &result.findings,
                    dossiers: &result.dossiers,
                    shard: result.shard.as_ref(),
                };
                let mut theirs = serde_json::to_vec_pretty(&report).unwrap();
                theirs.push(b'\n');
                assert!(ours == theirs, "{n} dossiers, shard {shard}");
            }
        }
    }
}
