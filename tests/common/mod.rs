//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

pub const AS_OF: &str = "2026-11-28";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// Copy a directory tree (to spoil a fixture without touching it).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.expect("walk fixture");
        let dest = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

pub fn dangan() -> Command {
    let mut c = Command::cargo_bin("dangan").expect("binary built");
    c.env("NO_COLOR", "1");
    // The result cache goes in the build's own folder, not the user's.
    c.env(
        "XDG_CACHE_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache"),
    );
    c
}

/// Audit an archive with extra arguments; returns (exit code, parsed JSON).
pub fn audit_json(archive: &Path, extra: &[&str]) -> (i32, Value) {
    let out = dangan()
        .arg("audit")
        .arg(archive)
        .args(["--as-of", AS_OF, "--format", "json"])
        .args(extra)
        .output()
        .expect("dangan runs");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let json: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("bad JSON ({e}): {stdout}"));
    (out.status.code().unwrap_or(-1), json)
}

pub fn findings(json: &Value) -> &Vec<Value> {
    json["findings"].as_array().expect("findings array")
}

/// The findings about dossiers, files and people: all but `branch-dormant`'s. The shape
/// fixtures are dated 2019–2022, so by the tests' as-of date (2026-11-28) each of their
/// branches has truly admitted no one for three years: that branch-level finding is pinned by
/// each fixture's snapshot (tests/expected) and tested in tests/kinds.rs, and the shape tests
/// look at the rest.
pub fn shape_findings(json: &Value) -> Vec<Value> {
    findings(json)
        .iter()
        .filter(|f| f["rule"] != "branch-dormant")
        .cloned()
        .collect()
}

/// (rule, dossier or name, subject) of every finding but `branch-dormant`'s
/// ([`shape_findings`]).
pub fn triples(json: &Value) -> BTreeSet<(String, String, String)> {
    shape_findings(json)
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            let who = if f["dossier"].is_null() {
                s("name")
            } else {
                s("dossier")
            };
            (s("rule"), who, s("subject"))
        })
        .collect()
}

pub fn check_snapshot(name: &str, json: &Value) {
    let path = root().join("tests/expected").join(format!("{name}.json"));
    let text = serde_json::to_string_pretty(json).expect("serialise") + "\n";
    if std::env::var_os("DANGAN_BLESS").is_some() {
        std::fs::write(&path, &text).expect("write snapshot");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with DANGAN_BLESS=1", path.display()));
    assert_eq!(
        text, want,
        "findings of fixtures/{name} differ from tests/expected/{name}.json"
    );
}

/// A PDF of numbered objects (object i+1 is `objs[i]`, body between `obj` and `endobj`) with a
/// classic cross-reference table.
pub fn pdf_of(objs: &[Vec<u8>], root: u32) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}
