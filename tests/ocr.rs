//! OCR with the real engine (Tesseract with its chi_sim model) on fixtures/content-scans:
//! page images as JPEG, G4 and LZW TIFF, image-only PDFs (DCT, CCITT G4, Flate), a 双层PDF,
//! a born-digital PDF and a page of scribbles. Without the engine these tests cannot run: they
//! say so and count as skipped, never as passed (this file has its own main, so that it can).
//! .ci/run installs the engine and sets DANGAN_REQUIRE_OCR=1, under which its absence fails.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

use common::*;

const DIR: &str = "第一党支部/01-张三/思想汇报";

/// The scans, each under the name it is filed as (a month of 2023, so that each is dated).
const SCANS: [(&str, &str); 10] = [
    ("current-dct.pdf", "思想汇报2023年1月-current-dct.pdf"),
    ("current-g4.tif", "思想汇报2023年2月-current-g4.tif"),
    (
        "outdated-born-digital.pdf",
        "思想汇报2023年3月-outdated-born-digital.pdf",
    ),
    ("outdated-ccitt.pdf", "思想汇报2023年4月-outdated-ccitt.pdf"),
    ("outdated-flate.pdf", "思想汇报2023年5月-outdated-flate.pdf"),
    (
        "outdated-layered.pdf",
        "思想汇报2023年6月-outdated-layered.pdf",
    ),
    ("outdated-lzw.tif", "思想汇报2023年7月-outdated-lzw.tif"),
    ("outdated.jpg", "思想汇报2023年8月-outdated.jpg"),
    ("scribbles.png", "思想汇报2023年9月-scribbles.png"),
    // The outdated page (DCT) and the current one (CCITT G4) in one PDF: read in one process,
    // the document as a whole mentions 二十大.
    ("two-pages.pdf", "思想汇报2023年10月-two-pages.pdf"),
];

fn engine_ready() -> bool {
    let program = std::env::var_os("DANGAN_TESSERACT").unwrap_or_else(|| "tesseract".into());
    std::process::Command::new(program)
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "chi_sim")
        })
}

fn archive_with_scans(at: &Path) -> std::path::PathBuf {
    let archive = at.join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    copy_tree(&fixture("clean"), &archive);
    let dir = archive.join(DIR);
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (from, to) in SCANS {
        std::fs::copy(
            root().join("fixtures/content-scans").join(from),
            dir.join(to),
        )
        .expect("copy");
    }
    archive
}

/// Every scan read by OCR, each judged by what it says: the outdated ones flagged, the current
/// ones silent, the scribbles unreadable; and a second run reads them from the cache.
fn every_format_is_read_and_judged() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let archive = archive_with_scans(dir.path());
    let cache = dir.path().join("cache");
    let run = || {
        let start = std::time::Instant::now();
        let out = dangan()
            .arg("audit")
            .arg(&archive)
            .args(["--as-of", AS_OF, "--format", "json", "--ocr", "--cache-dir"])
            .arg(&cache)
            .output()
            .map_err(|e| e.to_string())?;
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out.stderr)))?;
        Ok::<_, String>((json, start.elapsed()))
    };
    let (json, cold) = run()?;
    let got: BTreeSet<(String, String)> = findings(&json)
        .iter()
        .filter(|f| {
            f["file"]
                .as_str()
                .is_some_and(|p| p.starts_with(&format!("{DIR}/思想汇报2023")))
        })
        .filter(|f| f["rule"] != "low-resolution")
        .map(|f| {
            let file = f["file"].as_str().unwrap_or_default();
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                file.rsplit('-').next().unwrap_or(file).to_string(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("theory-not-current", "digital.pdf"),
        ("theory-not-current", "ccitt.pdf"),
        ("theory-not-current", "flate.pdf"),
        ("theory-not-current", "layered.pdf"),
        ("theory-not-current", "lzw.tif"),
        ("theory-not-current", "outdated.jpg"),
        ("content-unreadable", "scribbles.png"),
    ]
    .iter()
    .map(|(r, f)| (r.to_string(), f.to_string()))
    .collect();
    if got != want {
        return Err(format!("got {got:?}\nwant {want:?}"));
    }
    // Both pages of the two-page PDF were read (each page's date is in the text).
    let out = dangan()
        .args(["text", "--ocr"])
        .arg(root().join("fixtures/content-scans/two-pages.pdf"))
        .output()
        .map_err(|e| e.to_string())?;
    let text: String = String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !(text.contains("2023年6月20日") && text.contains("2023年3月15日")) {
        return Err(format!("two pages, not both read:\n{text}"));
    }
    let (again, warm) = run()?;
    if again["findings"] != json["findings"] {
        return Err("the cached run differs".into());
    }
    println!("    cold run {cold:.1?}, cached run {warm:.1?}");
    Ok(())
}

/// One case: Ok, or what went wrong.
type Case = fn() -> Result<(), String>;

/// The cases, by name.
const CASES: [(&str, Case); 1] = [(
    "every_format_is_read_and_judged",
    every_format_is_read_and_judged,
)];

/// Runs the cases, or lists them the way libtest does (`--list --format terse`, and with
/// `--ignored` the ones that would not run) so that cargo-nextest can drive this file too:
/// without the engine every case is listed as ignored, so nextest counts it skipped, not passed.
/// A name among the arguments (nextest passes `--exact NAME`) runs only that case.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ready = engine_ready();
    if args.iter().any(|a| a == "--list") {
        let ignored = args.iter().any(|a| a == "--ignored");
        if !(ready && ignored) {
            for (name, _) in CASES {
                println!("{name}: test");
            }
        }
        return ExitCode::SUCCESS;
    }
    if !ready {
        let why = "Tesseract with chi_sim not found (apt-get install tesseract-ocr tesseract-ocr-chi-sim)";
        if std::env::var_os("DANGAN_REQUIRE_OCR").is_some() {
            println!("ocr tests: FAILED — {why}, and DANGAN_REQUIRE_OCR is set");
            return ExitCode::FAILURE;
        }
        println!("ocr tests: 1 SKIPPED, not run — {why}");
        return ExitCode::SUCCESS;
    }
    let named: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let mut ran = 0;
    let mut failed = 0;
    for (name, case) in CASES {
        if !named.is_empty() && !named.iter().any(|n| *n == name) {
            continue;
        }
        ran += 1;
        match case() {
            Ok(()) => println!("test {name} ... ok"),
            Err(e) => {
                failed += 1;
                println!("test {name} ... FAILED\n{e}");
            }
        }
    }
    println!("ocr tests: {} passed, {failed} failed", ran - failed);
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
