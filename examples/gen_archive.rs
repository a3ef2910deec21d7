//! A synthetic archive of any size, for benchmarks and scale tests:
//!
//!     cargo run --release --example gen_archive -- OUT --dossiers N \
//!         [--seed S] [--defect-rate R] [--remark-chars C] [--rosters]
//!
//! N dossiers in branches of 40 with a realistic stage mix, each with the documents its stage
//! requires as small unique scans (PDF, JPEG, two-page TIFF, PNG); a ledger of N rows and a
//! root resume sheet of 3N rows. `--defect-rate` plants defects in that share of the dossiers
//! and lists the findings they must cause in `OUT.expected-findings.json`; `--remark-chars`
//! gives every ledger row a 备注 cell of that many random characters (a big ledger file).
//! `--rosters` writes the ledger as four roster sheets (入党申请人名册 … 预备党员名册, each
//! person on the roster of every stage reached) instead of one ledger sheet.
//! The same seed writes the same bytes. OUT is replaced.

#[allow(dead_code)]
#[path = "gen_fixtures.rs"]
mod fixtures;

use std::process::ExitCode;

const USAGE: &str = "usage: gen_archive OUT --dossiers N [--seed S] [--defect-rate R] [--remark-chars C] [--rosters]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let (mut dossiers, mut seed, mut rate, mut remarks) = (10_000usize, 1u64, 0.0f64, 0usize);
    let mut rosters = false;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        let parsed = match a.as_str() {
            "--dossiers" => value("--dossiers").and_then(|v| {
                v.parse()
                    .map(|n| dossiers = n)
                    .map_err(|e| format!("--dossiers: {e}"))
            }),
            "--seed" => value("--seed").and_then(|v| {
                v.parse()
                    .map(|n| seed = n)
                    .map_err(|e| format!("--seed: {e}"))
            }),
            "--defect-rate" => value("--defect-rate").and_then(|v| match v.parse::<f64>() {
                Ok(r) if (0.0..=1.0).contains(&r) => {
                    rate = r;
                    Ok(())
                }
                _ => Err(format!("--defect-rate: {v} is not between 0 and 1")),
            }),
            "--remark-chars" => value("--remark-chars").and_then(|v| {
                v.parse()
                    .map(|n| remarks = n)
                    .map_err(|e| format!("--remark-chars: {e}"))
            }),
            "--rosters" => {
                rosters = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if flag.starts_with('-') => Err(format!("unknown option {flag}")),
            path if out.is_none() => {
                out = Some(std::path::PathBuf::from(path));
                Ok(())
            }
            extra => Err(format!("unexpected argument {extra}")),
        };
        if let Err(e) = parsed {
            eprintln!("gen_archive: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let Some(out) = out else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match fixtures::write_synthetic(&out, dossiers, seed, rate, remarks, rosters) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_archive: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
