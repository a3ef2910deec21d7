//! Output for CI: SARIF, JUnit, GitHub annotations; baselines, waivers and --since.

mod common;
use common::{AS_OF, copy_tree, fixture};

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str], archive: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("dangan")
        .expect("binary")
        .arg(args[0])
        .arg(archive)
        .args(["--as-of", AS_OF])
        .args(&args[1..])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn json_of(args: &[&str], archive: &Path) -> (i32, Value) {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let (code, out, err) = run(&a, archive);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}")),
    )
}

#[test]
fn sarif_has_a_result_per_finding_and_the_rules() {
    let (_, json) = json_of(&["audit"], &fixture("defects"));
    let (code, out, _) = run(&["audit", "--format", "sarif"], &fixture("defects"));
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        json["findings"].as_array().map_or(0, Vec::len)
    );
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "missing-document"
        && r["help"]["text"].as_str().unwrap_or("").contains("依据")));
    for r in results {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap_or("")));
        assert!(!r["message"]["text"].as_str().unwrap_or("").is_empty());
    }
    // Valid against the SARIF 2.1.0 schema (vendored in tests/schemas). rtm.5's `language`
    // patterns carry a stray `]` that strict regex engines refuse: use the corrected pattern.
    let schema_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/schemas/sarif-2.1.0.json");
    let text = std::fs::read_to_string(schema_path)
        .expect("schema")
        .replace(
            r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            r"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$",
        );
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    // The same with waived findings (suppressions).
    let waivers = fixture("waivers.yaml");
    let (_, out, _) = run(
        &[
            "audit",
            "--format",
            "sarif",
            "--waivers",
            waivers.to_str().expect("utf-8"),
        ],
        &fixture("defects"),
    );
    let waived: Value = serde_json::from_str(&out).expect("json");
    let errors: Vec<String> = validator
        .iter_errors(&waived)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(
        waived["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "external")
    );
    // A deliberately broken log is refused: the check can fail.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
    let cell = results
        .iter()
        .find(|r| r["ruleId"] == "invalid-id-number")
        .expect("id result");
    let uri = cell["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap_or("");
    assert!(
        uri.ends_with(".xlsx") && uri.is_ascii(),
        "percent-encoded: {uri}"
    );
    assert_eq!(cell["properties"]["cell"], "E13");
}

#[test]
fn junit_has_a_suite_per_branch_and_a_case_per_dossier() {
    let (code, out, _) = run(&["audit", "--format", "junit"], &fixture("defects"));
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&out).expect("JUnit XML parses");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    let names: Vec<_> = suites.iter().filter_map(|s| s.attribute("name")).collect();
    assert!(
        names.contains(&"机关第一党支部") && names.contains(&"机关第二党支部"),
        "{names:?}"
    );
    let first = suites
        .iter()
        .find(|s| s.attribute("name") == Some("机关第一党支部"))
        .expect("suite");
    let cases: Vec<_> = first
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // 8 folders (刘强 周敏 吴刚 杨帆 郑洁 孙丽 何伟 王五), 赵六's ledger row, and the branch
    // as a whole (branch-dormant: its last admission was 2022-04-01).
    assert_eq!(cases.len(), 10);
    assert_eq!(first.attribute("tests"), Some("10"));
    assert!(
        cases
            .iter()
            .any(|c| c.attribute("name") == Some("（档案整体）")),
        "a case for the branch's own findings"
    );
    let failing = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    assert_eq!(
        first.attribute("failures"),
        Some(failing.to_string().as_str())
    );
    // 周敏 has only a warning: the case passes and carries it in system-out.
    let zhou = cases
        .iter()
        .find(|c| c.attribute("name") == Some("机关第一党支部/周敏"))
        .expect("周敏");
    assert!(!zhou.children().any(|n| n.has_tag_name("failure")));
    assert!(zhou.children().any(|n| n.has_tag_name("system-out")));
    // A clean archive: every case passes.
    let (code, out, _) = run(&["audit", "--format", "junit"], &fixture("clean"));
    assert_eq!(code, 0);
    let doc = roxmltree::Document::parse(&out).expect("parses");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        5
    );
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );
}

#[test]
fn github_annotations() {
    let (_, out, _) = run(&["audit", "--format", "github"], &fixture("defects"));
    let lines: Vec<_> = out.lines().collect();
    // One annotation per finding of the JSON report.
    let (_, json) = json_of(&["audit"], &fixture("defects"));
    assert_eq!(lines.len(), json["findings"].as_array().map_or(0, Vec::len));
    assert!(lines.len() > 20, "{}", lines.len());
    assert!(lines.iter().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
    let l = lines
        .iter()
        .find(|l| l.contains("title=invalid-date"))
        .expect("invalid-date");
    assert!(
        l.contains("file=") && l.contains("发展党员工作台账.xlsx"),
        "{l}"
    );
    assert!(!l.contains('\n'));
}

#[test]
fn baseline_reports_only_new_findings_and_counts_fixed_ones() {
    let work = tempfile::tempdir().expect("tempdir");
    let archive = work.path().join("archive");
    copy_tree(&fixture("defects"), &archive);
    let baseline = work.path().join("baseline.json");
    let out = Command::cargo_bin("dangan")
        .expect("binary")
        .arg("baseline")
        .arg(&archive)
        .args(["--as-of", AS_OF, "-o"])
        .arg(&baseline)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let b: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).expect("baseline")).expect("json");
    let (_, json) = json_of(&["audit"], &archive);
    let all = json["findings"].as_array().map_or(0, Vec::len);
    assert!(all > 20, "{all}");
    assert_eq!(b["entries"].as_array().map_or(0, Vec::len), all);

    // Unchanged: nothing new, exit 0.
    let bl = baseline.to_str().expect("utf-8");
    let (code, json) = json_of(&["audit", "--baseline", bl], &archive);
    assert_eq!(code, 0);
    assert_eq!(json["findings"].as_array().map_or(9, Vec::len), 0);
    assert_eq!(json["summary"]["baseline"]["known"], all);

    // Fix one (刘强's autobiography), break another (an empty file for 周敏).
    std::fs::write(
        archive.join("机关第一党支部/刘强/自传.pdf"),
        b"%PDF-1.4\n%%EOF\n",
    )
    .expect("write");
    std::fs::write(archive.join("机关第一党支部/周敏/思想汇报.pdf"), b"").expect("write");
    let (code, json) = json_of(&["audit", "--baseline", bl], &archive);
    assert_eq!(code, 1);
    let rules: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect();
    assert!(rules.contains(&"empty-file"), "{rules:?}");
    assert!(!rules.contains(&"missing-document"));
    assert_eq!(json["summary"]["baseline"]["fixed"], 1);
}

#[test]
fn waivers_apply_expire_and_go_unused() {
    let fixture_waivers = fixture("waivers.yaml");
    let (_, json) = json_of(
        &[
            "audit",
            "--waivers",
            fixture_waivers.to_str().expect("utf-8"),
        ],
        &fixture("defects"),
    );
    let f = json["findings"].as_array().expect("findings");
    let waived: Vec<_> = f.iter().filter(|x| x.get("waived").is_some()).collect();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["rule"], "missing-document");
    assert_eq!(waived[0]["waived"]["approved_by"], "机关党委 王书记");
    assert_eq!(json["summary"]["waived"], 1);
    let (_, unwaived) = json_of(&["audit"], &fixture("defects"));
    let errors = |j: &Value| j["summary"]["findings"]["error"].as_u64().unwrap_or(0);
    assert!(errors(&unwaived) > 1, "{unwaived}");
    assert_eq!(
        errors(&json),
        errors(&unwaived) - 1,
        "the waived error is not counted"
    );
    // The expired waiver does not apply; it is reported, as is the unused one, with its line.
    assert!(f.iter().any(|x| x["rule"] == "talk-overdue"));
    let expired = f
        .iter()
        .find(|x| x["rule"] == "waiver-expired")
        .expect("expired");
    assert_eq!(expired["location"]["cell"], "第9行");
    let unused = f
        .iter()
        .find(|x| x["rule"] == "waiver-unused")
        .expect("unused");
    assert_eq!(unused["location"]["cell"], "第14行");

    // A mistake in the waivers file is an error with its line.
    let dir = tempfile::tempdir().expect("tempdir");
    let w = dir.path().join("waivers.yaml");
    let ws = w.to_str().expect("utf-8");
    std::fs::write(&w, "waivers:\n  - rule: no-such-rule\n    dossier: x\n    reason: r\n    approved_by: a\n    expires: 2027-01-01\n").expect("write");
    let (code, _, err) = run(&["audit", "--waivers", ws], &fixture("defects"));
    assert_eq!(code, 2);
    assert!(
        err.contains("no-such-rule") && err.contains("waivers.yaml:2:"),
        "{err}"
    );
}

#[test]
fn since_limits_the_batch() {
    let (_, all) = json_of(&["audit"], &fixture("clean"));
    assert!(all["summary"].get("scope").is_none());
    let (_, json) = json_of(&["audit", "--since", "2021-01-01"], &fixture("clean"));
    // 张三 applied 2019 and was admitted 2020: out of scope; the other four are in.
    assert_eq!(json["summary"]["scope"]["people_in_scope"], 4);
    assert_eq!(json["summary"]["scope"]["people_out_of_scope"], 1);
    let dossiers: Vec<_> = json["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .map(|d| d["name"].as_str().unwrap_or(""))
        .collect();
    assert!(
        !dossiers.contains(&"张三") && dossiers.contains(&"李四"),
        "{dossiers:?}"
    );
    // The defects of people outside the batch are not reported.
    let (_, d) = json_of(&["audit", "--since", "2021-01-01"], &fixture("defects"));
    let who: Vec<_> = d["findings"]
        .as_array()
        .expect("f")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(
        !who.contains(&"郑洁"),
        "郑洁 applied 2019 and was admitted 2020: {who:?}"
    );
    assert!(who.contains(&"刘强"));
}
