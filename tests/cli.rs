//! Runs the `dangan` binary on the sample archives in `fixtures/` and checks its findings.
//!
//! The JSON of each archive is compared with `tests/expected/NAME.json`; after a deliberate
//! change, regenerate them with `DANGAN_BLESS=1 cargo test` and review the diff.

mod common;
use common::{
    AS_OF, audit_json, check_snapshot, copy_tree, dangan, findings, fixture, root, shape_findings,
    triples,
};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn default_rule_ids() -> BTreeSet<String> {
    let out = dangan().arg("rules").output().expect("dangan rules");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn clean_archive_has_no_findings() {
    let (code, json) = audit_json(&fixture("clean"), &[]);
    assert_eq!(
        findings(&json),
        &Vec::<Value>::new(),
        "clean archive must have no findings"
    );
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["dossiers"], 5);
    assert_eq!(json["summary"]["ledger_rows"], 5);
    check_snapshot("clean", &json);
}

#[test]
fn defects_archive_triggers_every_rule_exactly_where_planted() {
    let (code, json) = audit_json(&fixture("defects"), &[]);
    assert_eq!(code, 1);
    let got = triples(&json);
    let t = |r: &str, w: &str, s: &str| (r.to_string(), w.to_string(), s.to_string());
    let chen = findings(&json)
        .iter()
        .find(|f| f["rule"] == "duplicate-person")
        .and_then(|f| f["name"].as_str())
        .unwrap_or("");
    assert_eq!(chen, "陈辰");
    // What the generator planted, from its table of defect people (examples/gen_fixtures.rs).
    let planted = std::fs::read_to_string(root().join("fixtures/defects.planted.tsv"))
        .expect("fixtures/defects.planted.tsv: cargo run --example gen_fixtures -- fixtures");
    let want: BTreeSet<_> = planted
        .lines()
        .map(|l| {
            let mut cols = l.split('\t');
            let mut next = || cols.next().unwrap_or("");
            t(next(), next(), next())
        })
        .collect();
    assert!(want.len() > 20, "the planted list is read: {planted}");
    assert_eq!(got, want);
    // One defect, one finding: each triple above occurs once.
    assert_eq!(shape_findings(&json).len(), want.len());
    check_snapshot("defects", &json);
}

#[test]
fn every_default_rule_has_a_trigger_and_a_clean_near_miss() {
    let ids = default_rule_ids();
    let in_yaml = dangan::config::DEFAULT_RULES
        .lines()
        .filter(|l| l.trim_start().starts_with("- id:"))
        .count();
    assert_eq!(ids.len(), in_yaml, "rules listed: {ids:?}");
    let mut fired: BTreeSet<String> = BTreeSet::new();
    let waivers = root().join("fixtures/waivers.yaml");
    let with_waivers = ["--waivers", waivers.to_str().expect("utf-8")];
    for (name, extra) in [
        ("defects", &with_waivers[..]),
        ("no-ledger", &[][..]),
        ("scans", &[][..]),
        ("rosters", &[][..]),
        ("folders", &[][..]),
        ("layouts/unlisted-group", &[][..]),
        ("catalogs", &[][..]),
        // Its 年度发展党员计划.xlsx: plan-shortfall, and a listed branch with no one in it.
        ("demo", &[][..]),
        // Word, OpenDocument, OFD and PDF text: the content rules (tests/content.rs).
        ("content", &[][..]),
    ] {
        let (_, json) = audit_json(&fixture(name), extra);
        fired.extend(
            findings(&json)
                .iter()
                .filter_map(|f| f["rule"].as_str().map(str::to_string)),
        );
    }
    // The header rules and the procedure rules of issue 24 fire on the tiny archive of tests/kinds.rs, each at its
    // threshold and silent on its near miss (`procedure_rules_fire_just_past_their_thresholds`,
    // `each_rule_stays_silent_on_its_near_miss`); the whole-archive fixtures keep no column
    // for them yet.
    const ON_THE_TINY_ARCHIVE: [&str; 13] = [
        "header-read-as",
        "date-column-unplaced",
        "vetting-after-training",
        "pre-review-order",
        "approval-talk-missing",
        "introducers",
        "contacts",
        "thought-report-gap",
        "publicity-too-short",
        "training-too-short",
        "probation-extension",
        "conversion-overdue",
        "conversion-application-late",
    ];
    fired.extend(ON_THE_TINY_ARCHIVE.iter().map(|r| r.to_string()));
    let missing: Vec<_> = ids.difference(&fired).collect();
    assert!(
        missing.is_empty(),
        "rules never triggered by a fixture: {missing:?}"
    );
    let (_, clean) = audit_json(&fixture("clean"), &[]);
    assert!(findings(&clean).is_empty());
}

#[test]
fn scans_are_inspected() {
    let (code, json) = audit_json(&fixture("scans"), &[]);
    assert_eq!(code, 1);
    let b = "档案室抽查支部";
    let t = |r: &str, w: &str, s: &str| (r.to_string(), format!("{b}/{w}"), s.to_string());
    let got: BTreeSet<_> = shape_findings(&json)
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            let (dir, name) = file.rsplit_once('/').unwrap_or(("", file));
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                dir.to_string(),
                name.to_string(),
            )
        })
        .collect();
    let want: BTreeSet<_> = [
        t("empty-file", "孙三", "自传.pdf"),
        t("format-mismatch", "孙三", "入党申请书.pdf"),
        t("format-mismatch", "孙三", "入党积极分子考察登记表.tif"),
        t("low-resolution", "孙三", "思想汇报2023年第4季度.jpg"),
        t("low-resolution", "孙三", "思想汇报2024年第1季度.png"),
        t("low-resolution", "孙三", "思想汇报2024年第2季度.tif"),
        t("low-resolution", "孙三", "思想汇报2024年第3季度.pdf"),
        t(
            "duplicate-file",
            "孙三",
            "思想汇报2024年第4季度（副本）.jpg",
        ),
        t("duplicate-file", "赵一", "入党申请书附件.jpg"),
        t("unreadable-file", "钱二", "入党申请书.pdf"),
        t("unreadable-file", "钱二", "入党积极分子考察登记表.jpg"),
        t("unreadable-file", "钱二", "思想汇报2023年第4季度.png"),
        t("unreadable-file", "钱二", "思想汇报2024年第1季度.png"),
        t("unreadable-file", "钱二", "思想汇报2024年第2季度.tif"),
        t("unreadable-file", "钱二", "思想汇报2024年第3季度.pdf"),
    ]
    .into_iter()
    .collect();
    assert_eq!(got, want);
    assert_eq!(
        shape_findings(&json).len(),
        want.len(),
        "one defect, one finding"
    );
    // Duplicates: across dossiers an error, inside one a warning.
    for f in findings(&json)
        .iter()
        .filter(|f| f["rule"] == "duplicate-file")
    {
        let across = f["dossier"] == format!("{b}/赵一");
        assert_eq!(
            f["severity"],
            if across { "error" } else { "warning" },
            "{f}"
        );
    }
    // The subject of a file finding is the document it was classified as.
    let empty = findings(&json)
        .iter()
        .find(|f| f["rule"] == "empty-file")
        .expect("empty-file");
    assert_eq!(empty["subject"], "autobiography");
    // Pages and resolution per file, near misses included.
    let files: Vec<&Value> = json["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .collect();
    let file = |name: &str| {
        *files
            .iter()
            .find(|f| f["file"].as_str().is_some_and(|p| p.ends_with(name)))
            .expect(name)
    };
    let pdf = file("赵一/入党申请书.pdf");
    assert_eq!(
        (pdf["pages"].as_u64(), pdf["dpi"].as_f64()),
        (Some(2), Some(200.0)),
        "incremental update, 1700×2200 on Letter"
    );
    let tif = file("赵一/入党积极分子考察登记表.tif");
    assert_eq!(
        (tif["pages"].as_u64(), tif["dpi"].as_f64()),
        (Some(3), Some(300.0))
    );
    let jpg = file("赵一/思想汇报2023年第4季度.jpg");
    assert_eq!(
        jpg["dpi"].as_f64(),
        Some(200.0),
        "200 dpi with trailing bytes is fine"
    );
    assert_eq!(
        file("李丁/入党积极分子考察登记表.pdf")["dpi"],
        Value::Null,
        "no image: unknown, not a defect"
    );
    assert_eq!(json["summary"]["unknown_resolution"], 1);
    check_snapshot("scans", &json);
}

#[test]
fn document_list_shows_pages_per_document() {
    let out = dangan()
        .args(["audit", "--as-of", AS_OF, "--list"])
        .arg(fixture("scans"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let zhao = text
        .lines()
        .find(|l| l.contains("档案室抽查支部/赵一 赵一"))
        .expect("赵一's line");
    assert!(zhao.contains("（入党积极分子）"), "{zhao}");
    assert!(
        zhao.contains("入党申请书 3页（2个文件）"),
        "2-page PDF and a JPEG: {zhao}"
    );
    assert!(
        zhao.contains("入党积极分子培养教育考察登记表 3页"),
        "3-page TIFF: {zhao}"
    );
    let qian = text
        .lines()
        .find(|l| l.contains("档案室抽查支部/钱二 钱二"))
        .expect("钱二's line");
    assert!(
        qian.contains("入党申请书 页数未知"),
        "a truncated PDF: {qian}"
    );
}

#[test]
fn no_ledger_is_one_finding() {
    let (code, json) = audit_json(&fixture("no-ledger"), &[]);
    assert_eq!(code, 1);
    let rules: Vec<_> = findings(&json)
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(rules, vec!["ledger-not-found"]);
    check_snapshot("no-ledger", &json);
}

#[test]
fn finding_fields_locate_the_cell() {
    let (_, json) = audit_json(&fixture("defects"), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "invalid-date" && f["subject"] == "candidate")
        .expect("invalid candidate date");
    assert_eq!(f["location"]["file"], "发展党员工作台账.xlsx");
    assert_eq!(f["location"]["sheet"], "2021年以来");
    assert_eq!(f["location"]["cell"], "K15");
    assert_eq!(f["severity"], "error");
    assert!(f["message"].as_str().unwrap_or("").contains("2022.13.40"));
    assert!(f["basis"].as_str().unwrap_or("").contains("细则"));
    // ID numbers in messages are masked.
    let id = findings(&json)
        .iter()
        .find(|f| f["rule"] == "invalid-id-number")
        .expect("id finding");
    assert!(id["message"].as_str().unwrap_or("").contains("********"));
}

#[test]
fn demo_archive_snapshot() {
    let (code, json) = audit_json(&fixture("demo"), &[]);
    assert_eq!(code, 1);
    check_snapshot("demo", &json);
}

#[test]
fn human_output_groups_by_branch_and_dossier() {
    let out = dangan()
        .args(["audit", "--as-of", AS_OF])
        .arg(fixture("defects"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let b1 = text.find("■ 机关第一党支部").expect("branch 1 heading");
    let b2 = text.find("■ 机关第二党支部").expect("branch 2 heading");
    let liu = text
        .find("档案 机关第一党支部/刘强")
        .expect("dossier heading");
    assert!(b1 < liu && liu < b2);
    assert!(text.contains("位置：发展党员工作台账.xlsx 2021年以来!K15"));
    assert!(text.contains("依据："));
    assert!(!text.contains("\x1b["), "no colour when not a terminal");
    // The totals line says what the JSON report counts.
    let (_, json) = audit_json(&fixture("defects"), &[]);
    let n = &json["summary"]["findings"];
    let totals = format!(
        "错误 {}，警告 {}，提示 {}",
        n["error"], n["warning"], n["info"]
    );
    assert!(text.contains(&totals), "{totals} in {text}");
}

#[test]
fn fail_on_controls_the_exit_code() {
    let (code, _) = audit_json(&fixture("defects"), &["--fail-on", "never"]);
    assert_eq!(code, 0);
    let (code, _) = audit_json(&fixture("clean"), &["--fail-on", "warning"]);
    assert_eq!(code, 0);
    // Warnings only: disable every error rule of the defects archive but talk-overdue (warning).
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("only-warnings.yaml");
    let mut yaml = String::from("rules:\n");
    for id in default_rule_ids() {
        if id != "talk-overdue" {
            yaml.push_str(&format!("  - id: {id}\n    enabled: false\n"));
        }
    }
    std::fs::write(&rules, yaml).expect("write rules");
    let r = rules.to_str().expect("utf-8 path");
    let (code, json) = audit_json(&fixture("defects"), &["--rules", r]);
    assert_eq!(json["summary"]["findings"]["warning"], 1);
    assert_eq!(
        code, 0,
        "a warning does not fail under the default --fail-on error"
    );
    let (code, _) = audit_json(&fixture("defects"), &["--rules", r, "--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn missing_archive_is_exit_2_with_the_path() {
    let out = dangan()
        .args(["audit", "/nonexistent/archive"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/archive"));
}

#[test]
fn output_inside_the_archive_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("clean"), dir.path());
    let out = dangan()
        .arg("audit")
        .arg(dir.path())
        .arg("--output")
        .arg(dir.path().join("report.json"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("report.json").exists());
}

#[test]
fn output_file_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    dangan()
        .arg("audit")
        .arg(fixture("defects"))
        .args(["--as-of", AS_OF, "--format", "json", "--output"])
        .arg(&report)
        .assert()
        .code(1);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["as_of"], AS_OF);
}

#[test]
fn the_archive_is_not_modified() {
    let before = tree_digest(&fixture("demo"));
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["human", "json"] {
        dangan()
            .arg("audit")
            .arg(fixture("demo"))
            .args(["--as-of", AS_OF, "--format", format, "--output"])
            .arg(dir.path().join(format!("out.{format}")))
            .assert()
            .code(1);
    }
    assert_eq!(before, tree_digest(&fixture("demo")));
}

#[test]
fn rules_and_explain() {
    let out = dangan().arg("rules").output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("missing-document") && text.contains("required-documents"));
    let out = dangan()
        .args(["explain", "resume-gap"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("示例："), "{text}");
    assert!(text.contains("max_gap"), "{text}");
    assert!(text.contains("src/rules/resume_gap.rs"), "{text}");
    let out = dangan()
        .args(["explain", "no-such-rule"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing-document"));
}

// ---------------------------------------------------------------------------------------------
// Rules are YAML: a user changes them without code.

fn with_rules(yaml: &str, archive: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("local.yaml");
    std::fs::write(&path, yaml).expect("write");
    audit_json(
        &fixture(archive),
        &["--rules", path.to_str().expect("utf-8")],
    )
}

#[test]
fn overlay_changes_severity_and_disables() {
    let (_, json) = with_rules(
        "rules:\n  - id: missing-document\n    severity: warning\n  - id: unrecognized-file\n    enabled: false\n",
        "defects",
    );
    let md = findings(&json)
        .iter()
        .find(|f| f["rule"] == "missing-document")
        .expect("still reported");
    assert_eq!(md["severity"], "warning");
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f["rule"] == "unrecognized-file")
    );
}

#[test]
fn overlay_changes_a_threshold_and_reads_ods_ledgers() {
    // The clean archive talks within 15–31 days; a one-day limit flags all four people with a talk date.
    let (_, json) = with_rules("rules:\n  - id: talk-overdue\n    max: 1 day\n", "clean");
    let talks: Vec<_> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "talk-overdue")
        .collect();
    assert_eq!(talks.len(), 4, "{json}");
    let ods = talks
        .iter()
        .find(|f| f["name"] == "阿依古丽·买买提")
        .expect("the .ods ledger row is read and joined to the folder with another middle dot");
    assert_eq!(ods["location"]["file"], "第二党支部/第二党支部台账.ods");
    assert_eq!(ods["location"]["cell"], "H3");
    assert_eq!(ods["dossier"], "第二党支部/阿依古丽・买买提");
    assert!(
        ods["message"].as_str().unwrap_or("").contains("超过1天"),
        "{ods}"
    );
}

#[test]
fn overlay_adds_a_document_regex() {
    let (_, json) = with_rules(
        "documents:\n  autobiography:\n    regex: ['^扫描\\d{4}$']\n",
        "defects",
    );
    assert!(
        !triples(&json)
            .iter()
            .any(|(_, w, _)| w == "机关第一党支部/刘强")
    );
    let e = yaml_error("documents:\n  autobiography:\n    regex: ['扫描(']\n");
    assert!(e.contains("bad.yaml:3:") && e.contains("正则"), "{e}");
}

#[test]
fn overlay_adds_a_document_alias() {
    // 扫描0001.jpg becomes the autobiography: both its findings disappear.
    let (_, json) = with_rules(
        "documents:\n  autobiography:\n    patterns: [扫描0001]\n",
        "defects",
    );
    let who = triples(&json);
    assert!(
        !who.iter().any(|(_, w, _)| w == "机关第一党支部/刘强"),
        "{who:?}"
    );
}

#[test]
fn overlay_adds_rules_of_existing_kinds() {
    let yaml = r#"
rules:
  - id: thought-reports-missing
    kind: required-documents
    message: "缺少《{document}》（{stage}）"
    basis: 本地要求：积极分子每季度提交思想汇报
    documents: [thought_report]
    from_stage: activist
  - id: training-before-publicity
    kind: interval
    severity: warning
    message: "{to_field} {to_value} 距 {from_field} {from_value} 超过半年"
    basis: 本地要求
    from: trained.end
    to: admitted
    max: 6 months
"#;
    let (_, json) = with_rules(yaml, "clean");
    let got = triples(&json);
    // 张三 and 阿依古丽 have thought reports; 李四 and 陈明 (past activist) do not.
    assert!(got.contains(&(
        "thought-reports-missing".into(),
        "第一党支部/李四".into(),
        "thought_report".into()
    )));
    assert!(got.contains(&(
        "thought-reports-missing".into(),
        "第二党支部/05-陈明".into(),
        "thought_report".into()
    )));
    assert!(
        !got.iter()
            .any(|(_, w, _)| w.contains("张三") || w.contains("阿依古丽"))
    );
    // No trained→admitted gap over six months in the clean archive.
    assert!(!got.iter().any(|(r, _, _)| r == "training-before-publicity"));
    // A rule that says no severity is an error, and on.
    let severities: BTreeSet<&str> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "thought-reports-missing")
        .filter_map(|f| f["severity"].as_str())
        .collect();
    assert_eq!(severities, ["error"].into());
}

fn yaml_error(yaml: &str) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, yaml).expect("write");
    let out = dangan()
        .arg("audit")
        .arg(fixture("clean"))
        .arg("--rules")
        .arg(&path)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "a rules error exits 2");
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn yaml_mistakes_point_at_line_and_column() {
    let e = yaml_error("rules:\n  - id: talk-overdue\n    severty: warning\n");
    assert!(e.contains("bad.yaml:3:5"), "{e}");
    assert!(e.contains("severty"), "{e}");

    let e = yaml_error("rules:\n  - id: x\n    kind: intervall\n    message: m\n    basis: b\n");
    assert!(e.contains("bad.yaml:3:11"), "{e}");
    assert!(e.contains("interval"), "lists the kinds: {e}");

    let e = yaml_error(
        "rules:\n  - id: x\n    kind: interval\n    message: m\n    basis: b\n    from: applied\n    to: talkd\n    max: 1 month\n",
    );
    assert!(e.contains("talkd") && e.contains("bad.yaml:7:"), "{e}");
    assert!(e.contains("talked"), "lists the fields: {e}");

    let e = yaml_error("rules:\n  - id: talk-overdue\n    max: a fortnight\n");
    assert!(
        e.contains("a fortnight") && e.contains("bad.yaml:3:"),
        "{e}"
    );

    let e = yaml_error("stages:\n  - key: activist\n    requires: [activist_asessment]\n");
    assert!(
        e.contains("activist_asessment") && e.contains("bad.yaml:3:"),
        "{e}"
    );

    let e = yaml_error("rules:\n  - id: talk-overdue\n    chains: [[applied, talked]]\n");
    assert!(e.contains("chains") && e.contains("bad.yaml:3:"), "{e}");

    // A theory window with no phrase to look for would pass every document: refused.
    let e = yaml_error(
        "rules:\n  - id: theory-not-current\n    requirements:\n      - { from: 2022-10-16, title: 二十大 }\n",
    );
    assert!(
        e.contains("没有 any 短语") && e.contains("bad.yaml:4:"),
        "{e}"
    );
    let e = yaml_error(
        "rules:\n  - id: theory-not-current\n    requirements:\n      - { from: 2022-10, any: [党的二十大] }\n",
    );
    assert!(
        e.contains("不是完整日期") && e.contains("bad.yaml:4:"),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bad input: the run goes on, and says what it could not read.

#[cfg(unix)]
#[test]
fn symlink_loops_gbk_names_and_broken_links_are_handled() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("clean"), dir.path());
    let dossier = dir.path().join("第一党支部/李四");
    std::os::unix::fs::symlink(&dossier, dossier.join("loop")).expect("symlink loop");
    std::os::unix::fs::symlink(
        dir.path().join("nowhere.pdf"),
        dossier.join("政审材料-链接.pdf"),
    )
    .expect("broken link");
    let (gbk, _, _) = encoding_rs::GBK.encode("思想汇报2022年第1季度.pdf");
    let mut pdf = std::fs::read(dossier.join("入党申请书.pdf")).expect("a fixture pdf");
    pdf.extend_from_slice(b"% gbk copy\n");
    std::fs::write(dossier.join(std::ffi::OsStr::from_bytes(&gbk)), pdf).expect("gbk file");
    let (_, json) = audit_json(dir.path(), &[]);
    let unreadable: Vec<_> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "unreadable-file")
        .map(|f| f["file"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        unreadable.iter().any(|f| f.ends_with("李四/loop")),
        "{unreadable:?}"
    );
    assert!(
        unreadable.iter().any(|f| f.ends_with("政审材料-链接.pdf")),
        "{unreadable:?}"
    );
    // The GBK-named thought report is decoded and recognised: no unrecognized-file. It is
    // opened by its name on disk (not the decoded one): not unreadable, and its page counted.
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f["rule"] == "unrecognized-file"),
        "{json}"
    );
    assert!(
        !unreadable.iter().any(|f| f.contains("思想汇报")),
        "{unreadable:?}"
    );
    let gbk_file = json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .find(|f| f["file"].as_str().is_some_and(|p| p.contains("思想汇报")))
        .expect("the GBK-named file is listed");
    assert_eq!(gbk_file["format"], "pdf", "{gbk_file}");
    assert_eq!(gbk_file["pages"], 1, "{gbk_file}");
}

// ---------------------------------------------------------------------------------------------

/// Paths, sizes, modification times and contents of every file below `dir`.
fn tree_digest(dir: &Path) -> Vec<(PathBuf, u64, std::time::SystemTime, Vec<u8>)> {
    let mut v = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        let meta = entry.metadata().expect("meta");
        let bytes = if entry.file_type().is_file() {
            std::fs::read(entry.path()).expect("read")
        } else {
            Vec::new()
        };
        v.push((
            entry.path().to_path_buf(),
            meta.len(),
            meta.modified().expect("mtime"),
            bytes,
        ));
    }
    v
}

/// The number of readers changes how fast, never what is found: one reader and sixteen give
/// the same report; zero is refused as a usage error.
#[test]
fn io_threads_change_speed_not_results() {
    let demo = fixture("demo");
    let (code_one, one) = audit_json(&demo, &["--io-threads", "1"]);
    let (code_many, many) = audit_json(&demo, &["--io-threads", "16"]);
    assert_eq!(code_one, code_many);
    assert_eq!(one, many);
    assert!(!findings(&one).is_empty(), "the demo has findings");
    let out = dangan()
        .args(["audit"])
        .arg(&demo)
        .args(["--as-of", AS_OF, "--io-threads", "0"])
        .output()
        .expect("dangan runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--io-threads"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn allow_summer_decides_at_a_gap_limit_below_one_month() {
    // 陈明's resume (clean fixture) runs 2001.09–2007.07, 2007.09–2013.07, 2013.09–2017.07:
    // two July-to-September summers. At the default max_gap (3 months) a one-month gap never
    // counts; with max_gap 0 months, allow_summer decides.
    let dir = tempfile::tempdir().expect("tempdir");
    let gaps = |allow: bool| {
        let rules = dir.path().join(format!("strict-{allow}.yaml"));
        std::fs::write(
            &rules,
            format!(
                "rules:\n  - id: resume-gap\n    max_gap: 0 months\n    allow_summer: {allow}\n"
            ),
        )
        .expect("rules");
        let (_, json) = audit_json(
            &fixture("clean"),
            &["--rules", rules.to_str().expect("utf-8")],
        );
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "resume-gap" && f["name"] == "陈明")
            .count()
    };
    assert_eq!(gaps(true), 0, "summers are no gap");
    assert_eq!(gaps(false), 2, "each summer is a one-month gap");
}

#[test]
fn the_readme_rule_table_is_the_generated_one() {
    let out = dangan()
        .args(["rules", "--format", "markdown"])
        .output()
        .expect("dangan rules runs");
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).expect("utf-8");
    let readme = std::fs::read_to_string(common::root().join("README.md")).expect("README");
    let begin = readme.find("<!-- rules:begin").expect("begin marker");
    let body = &readme[begin..];
    let start = body.find('\n').expect("marker line") + 1;
    let end = body.find("<!-- rules:end -->").expect("end marker");
    assert_eq!(
        &body[start..end],
        table,
        "README's rule table differs from `dangan rules --format markdown`: paste its output"
    );
    // Every default rule is in it, one row each under the header and the rule line.
    assert_eq!(table.lines().count(), 2 + default_rule_ids().len());
}

#[test]
fn a_kinds_parameters_are_its_own_and_an_overlay_cannot_drop_one() {
    // A key the kind does not take, on a new rule and on an overlay of a built-in one: an
    // error at its line that names the keys the kind takes (from its parameter struct).
    let e = yaml_error("rules:\n  - id: resume-gap\n    max_gapp: 6 months\n");
    assert!(e.contains("不接受参数 max_gapp"), "{e}");
    assert!(e.contains("bad.yaml:3:5"), "{e}");
    assert!(
        e.contains("max_gap、allow_summer"),
        "lists the kind's keys: {e}"
    );
    let e = yaml_error(
        "rules:\n  - id: x\n    kind: empty-file\n    message: m\n    basis: b\n    min_dpi: 300\n",
    );
    assert!(
        e.contains("不接受参数 min_dpi") && e.contains("该类型没有参数"),
        "{e}"
    );
    // A value of the wrong type is an error of that rule, not a silent default.
    let e = yaml_error("rules:\n  - id: low-resolution\n    min_dpi: [300]\n");
    assert!(
        e.contains("low-resolution") && e.contains("参数有误"),
        "{e}"
    );
    // A key the engine needs, given the wrong type, is refused at load.
    let e = yaml_error("fields:\n  applied:\n    type: text\n");
    assert!(e.contains("字段 applied 必须是日期字段"), "{e}");
}

#[test]
fn command_line_dates_take_the_ledgers_forms() {
    // The forms clerks type, as the ledgers write them: each gives the same audit.
    let (_, want) = audit_json(&fixture("clean"), &["--since", "2021-01-01"]);
    for (as_of, since) in [
        ("2026/11/28", "2021年1月1日"),
        ("2026年11月28日", "2021.01.01"),
        ("20261128", "2021/1/1"),
    ] {
        let out = dangan()
            .arg("audit")
            .arg(fixture("clean"))
            .args(["--as-of", as_of, "--since", since, "--format", "json"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{as_of} {since}");
        let got: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(got["as_of"], "2026-11-28", "{as_of}");
        assert_eq!(got["summary"], want["summary"], "{as_of} {since}");
    }
    // A month alone is not a day; nonsense is refused; each with a message that says why.
    for (bad, says) in [
        ("2026.11", "没有写到日"),
        ("明天", "不是日期"),
        ("2026-02-30", "不是日期"),
    ] {
        let out = dangan()
            .arg("audit")
            .arg(fixture("clean"))
            .args(["--as-of", bad])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{bad}: {err}");
    }
}

#[test]
fn every_command_in_the_readme_runs_as_written() {
    // Each `cargo run --release -- ARGS` line of a ```sh block is run as `dangan ARGS` from a
    // folder where `fixtures` is the repository's (outputs land in that folder): none may be a
    // usage error (exit 2), as a bracketed option copied from a synopsis would be.
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let mut in_sh = false;
    let mut commands = Vec::new();
    for line in readme.lines() {
        match line.trim() {
            "```sh" => in_sh = true,
            "```" => in_sh = false,
            l if in_sh => {
                if let Some(args) = l.strip_prefix("cargo run --release -- ") {
                    commands.push(args.to_string());
                }
            }
            _ => {}
        }
    }
    assert!(commands.len() >= 4, "{commands:?}");
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(root().join("fixtures"), dir.path().join("fixtures"))
        .expect("symlink");
    for args in &commands {
        let out = dangan()
            .current_dir(dir.path())
            .args(args.split_whitespace())
            .output()
            .expect("runs");
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "`dangan {args}` exited {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn completions_and_the_man_page_name_every_subcommand() {
    use clap::CommandFactory;
    let names: Vec<String> = dangan::cli::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 9, "{names:?}");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = dangan()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        for n in &names {
            assert!(text.contains(n.as_str()), "{shell} completions lack {n}");
        }
    }
    let out = dangan().arg("man").output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(
        man.starts_with(".ie") || man.contains(".TH dangan 1"),
        "{man}"
    );
    for n in &names {
        assert!(
            man.contains(&format!("dangan\\-{n}")) || man.contains(n.as_str()),
            "man lacks {n}"
        );
    }
    let bad = dangan()
        .args(["completions", "cmd.exe"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn files_from_windows_read_alike_crlf_rules_and_capital_extensions() {
    // A rules file saved by Notepad (CRLF line ends): it loads, and an error in it names the
    // line it is on.
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("windows.yaml");
    std::fs::write(
        &good,
        "rules:\r\n  - id: resume-gap\r\n    max_gap: 2 months\r\n",
    )
    .expect("write");
    let (code, _) = audit_json(
        &fixture("clean"),
        &["--rules", good.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0);
    let e = yaml_error("rules:\r\n  - id: resume-gap\r\n    max_gapp: 6 months\r\n");
    assert!(e.contains("bad.yaml:3:5"), "{e}");
    // 入党申请书.PDF, as Windows scanners name files: the same document as .pdf.
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    copy_tree(&fixture("clean"), &archive);
    let li = archive.join("第一党支部/李四");
    std::fs::rename(li.join("入党申请书.pdf"), li.join("入党申请书.PDF")).expect("rename");
    let (code, json) = audit_json(&archive, &[]);
    assert_eq!(code, 0, "{json:#}");
    assert!(findings(&json).is_empty(), "{json:#}");
}

/// The kinds' built-in defaults are the values rules/default.yaml writes out: the same rule
/// restated without its optional parameters (under another id, the default one off) gives
/// the same findings, with the same severity, on a fixture where it fires. Checked by breaking
/// them: a changed default tolerance (31d), min_dpi (200) or same_dossier (warning) fails
/// here. branch-dormant's years and resume-gap's allow_summer have no fixture at their
/// boundary, so here only the restated rule's loading and firing is checked; their defaults
/// are held at both sides of the boundary on the tiny archive
/// (tests/kinds.rs `kinds_defaults_hold_at_their_boundaries`).
#[test]
fn a_rule_without_its_optional_parameters_takes_the_kinds_defaults() {
    let cases = [
        (
            "document-date-mismatch",
            "content",
            "severity: warning\n    documents: [application, conversion]",
        ),
        ("low-resolution", "scans", "severity: error"),
        ("branch-dormant", "demo", "severity: warning"),
        (
            "resume-gap",
            "defects",
            "severity: error\n    max_gap: 0 months",
        ),
        ("duplicate-file", "scans", "severity: error"),
    ];
    let found = |json: &Value, rule: &str| -> BTreeSet<(String, String, String, String)> {
        findings(json)
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
                (s("dossier"), s("file"), s("subject"), s("severity"))
            })
            .collect()
    };
    for (id, archive, keep) in cases {
        let (_, whole) = audit_json(&fixture(archive), &[]);
        let want = found(&whole, id);
        assert!(!want.is_empty(), "{id} fires on {archive}");
        let yaml = format!(
            "rules:\n  - {{ id: {id}, enabled: false }}\n  - id: {id}-restated\n    kind: {id}\n    {keep}\n    message: 同上\n    basis: 同上\n"
        );
        let (_, json) = with_rules(&yaml, archive);
        assert_eq!(found(&json, &format!("{id}-restated")), want, "{id}");
    }
}
