//! `audit --shard K/N` and `merge`: N shards merged give the single run, finding for finding.

mod common;
use common::{AS_OF, copy_tree, fixture};

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn dangan(args: &[&str], archive: Option<&Path>) -> (i32, String) {
    let mut c = Command::cargo_bin("dangan").expect("binary");
    c.arg(args[0]);
    if let Some(a) = archive {
        c.arg(a).args(["--as-of", AS_OF]);
    }
    let out = c.args(&args[1..]).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("report")).expect("json")
}

#[test]
fn merged_shards_equal_the_single_run() {
    let work = tempfile::tempdir().expect("tempdir");
    let archive = work.path().join("archive");
    copy_tree(&fixture("demo"), &archive);
    // A scan filed under two people of different branches: found only by the merge.
    std::fs::copy(
        archive.join("档案室抽查支部/赵一/入党申请书附件.jpg"),
        archive.join("第一党支部/01-张三/附件.jpg"),
    )
    .expect("copy");
    let out = |name: &str| work.path().join(name);
    let single = out("single.json");
    dangan(
        &[
            "audit",
            "--format",
            "json",
            "--fail-on",
            "never",
            "-o",
            single.to_str().expect("utf-8"),
        ],
        Some(&archive),
    );
    for n in [1u32, 2, 3, 5] {
        let mut parts = Vec::new();
        for k in 0..n {
            let part = out(&format!("shard-{k}-of-{n}.json"));
            let (code, err) = dangan(
                &[
                    "audit",
                    "--format",
                    "json",
                    "--fail-on",
                    "never",
                    "--shard",
                    &format!("{k}/{n}"),
                    "-o",
                    part.to_str().expect("utf-8"),
                ],
                Some(&archive),
            );
            assert_eq!(code, 0, "{err}");
            parts.push(part);
        }
        let merged = out(&format!("merged-{n}.json"));
        let mut args: Vec<&str> = vec!["merge"];
        args.extend(parts.iter().map(|p| p.to_str().unwrap_or("")));
        args.extend([
            "--format",
            "json",
            "--fail-on",
            "never",
            "-o",
            merged.to_str().expect("utf-8"),
        ]);
        let (code, err) = dangan(&args, None);
        assert_eq!(code, 0, "{err}");
        let (a, b) = (read(&single), read(&merged));
        assert_eq!(a["summary"], b["summary"], "{n} shards");
        assert_eq!(a["findings"], b["findings"], "{n} shards");
        assert_eq!(a["dossiers"], b["dossiers"], "{n} shards");
        assert_eq!(a, b);
    }
    let across = read(&single)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["rule"] == "duplicate-file" && f["severity"] == "error");
    assert!(
        across,
        "the cross-branch duplicate is in the single run, and so in every merge"
    );
}

#[test]
fn merge_refuses_incomplete_or_mixed_shards() {
    let work = tempfile::tempdir().expect("tempdir");
    let a = work.path().join("0.json");
    dangan(
        &[
            "audit",
            "--format",
            "json",
            "--shard",
            "0/2",
            "-o",
            a.to_str().expect("utf-8"),
        ],
        Some(&fixture("defects")),
    );
    let (code, err) = dangan(&["merge", a.to_str().expect("utf-8")], None);
    assert_eq!(code, 2);
    assert!(err.contains("缺少分片 1/2"), "{err}");
    let (code, err) = dangan(&["audit", "--shard", "0/2"], Some(&fixture("defects")));
    assert_eq!(code, 2);
    assert!(err.contains("--format json"), "{err}");
    let (code, _) = dangan(
        &["audit", "--format", "json", "--shard", "2/2"],
        Some(&fixture("defects")),
    );
    assert_eq!(code, 2, "K must be below N");
}

#[test]
fn merge_refuses_shards_of_different_runs_or_absurd_counts() {
    // Issue 13, item 20: shards of two archives, of two scopes, or claiming 4294967295 shards.
    let work = tempfile::tempdir().expect("tempdir");
    let shard = |archive: &str, k: u32, extra: &[&str]| {
        let out = work
            .path()
            .join(format!("{archive}-{k}-{}.json", extra.len()));
        let o = out.to_str().expect("utf-8").to_string();
        let spec = format!("{k}/2");
        let mut args = vec!["audit", "--format", "json", "--shard", &spec, "-o", &o];
        args.extend_from_slice(extra);
        let (code, err) = dangan(&args, Some(&fixture(archive)));
        assert!(code <= 1, "{err}");
        out
    };
    let merge = |a: &Path, b: &Path| {
        dangan(
            &[
                "merge",
                a.to_str().expect("utf-8"),
                b.to_str().expect("utf-8"),
            ],
            None,
        )
    };
    let (code, err) = merge(&shard("defects", 0, &[]), &shard("clean", 1, &[]));
    assert_eq!(code, 2);
    assert!(err.contains("档案文件夹不同"), "{err}");
    let (code, err) = merge(
        &shard("defects", 0, &[]),
        &shard("defects", 1, &["--since", "2021-01-01"]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("审核范围"), "{err}");
    let (code, _) = merge(&shard("defects", 0, &[]), &shard("defects", 1, &[]));
    assert_eq!(code, 1, "the same run's shards merge");

    let path = shard("defects", 0, &[]);
    let mut json = read(&path);
    json["shard"]["count"] = serde_json::json!(4_294_967_295u32);
    std::fs::write(&path, json.to_string()).expect("write");
    let (code, err) = dangan(&["merge", path.to_str().expect("utf-8")], None);
    assert_eq!(code, 2);
    assert!(err.contains("缺少分片 1/4294967295"), "{err}");
}

#[test]
fn merge_writes_the_same_reports() {
    let work = tempfile::tempdir().expect("tempdir");
    let waivers = fixture("waivers.yaml");
    let mut parts = Vec::new();
    for k in 0..2 {
        let p = work.path().join(format!("{k}.json"));
        dangan(
            &[
                "audit",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--shard",
                &format!("{k}/2"),
                "-o",
                p.to_str().expect("utf-8"),
            ],
            Some(&fixture("defects")),
        );
        parts.push(p);
    }
    let dir = work.path().join("reports");
    let (code, err) = dangan(
        &[
            "merge",
            parts[0].to_str().unwrap_or(""),
            parts[1].to_str().unwrap_or(""),
            "--waivers",
            waivers.to_str().expect("utf-8"),
            "--report-dir",
            dir.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(code, 1, "{err}");
    for f in [
        "index.html",
        "summary.xlsx",
        "机关第一党支部.xlsx",
        "机关第二党支部.html",
    ] {
        assert!(dir.join(f).exists(), "{f}");
    }
}
