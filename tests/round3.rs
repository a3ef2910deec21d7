//! The seven shapes of issue 21 (ledgers and scans as branches produce them), each a fixture
//! under fixtures/round3 written by examples/shapes/round3.rs: the complete dossier in that
//! shape audits clean and the one planted defect is found once.

mod common;

use std::collections::BTreeSet;

use common::*;

/// (rule, dossier or file) of every finding.
fn found(json: &serde_json::Value) -> BTreeSet<(String, String)> {
    findings(json)
        .iter()
        .map(|f| {
            let at = f["dossier"]
                .as_str()
                .or(f["file"].as_str())
                .unwrap_or_default();
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                at.to_string(),
            )
        })
        .collect()
}

fn shape(name: &str, rule: &str, at: &str) -> serde_json::Value {
    let (code, json) = audit_json(&fixture(&format!("round3/{name}")), &[]);
    let want: BTreeSet<(String, String)> = [(rule.to_string(), at.to_string())].into();
    assert_eq!(found(&json), want, "{name}");
    assert_eq!(findings(&json).len(), 1, "{name}: found once");
    // Exit 1 only for an error (--fail-on error, the default).
    let error = findings(&json)[0]["severity"] == "error";
    assert_eq!(code, i32::from(error), "{name}");
    assert_eq!(
        json["summary"]["ledger_people"], 2,
        "{name}: 张三 and 李四, no one else"
    );
    check_snapshot(&format!("round3-{name}"), &json);
    json
}

#[test]
fn stage_groups_over_time_columns() {
    // Read as a candidate, 李四 would owe no 入党志愿书: the groups make her probationary.
    let json = shape("stage-groups", "missing-document", "第一党支部/李四");
    assert_eq!(json["dossiers"][1]["stage"], "probationary");
}

#[test]
fn placeholders_in_date_cells() {
    // — and 待定 are empty cells: no invalid-date, and 李四 stays probationary.
    let json = shape("placeholders", "missing-document", "第一党支部/李四");
    assert_eq!(json["dossiers"][1]["stage"], "probationary");
}

#[test]
fn a_ledger_saved_as_gbk_csv() {
    shape("csv", "activist-period-too-short", "第一党支部/李四");
}

#[test]
fn phone_photos_tagged_72_dpi() {
    let json = shape("phone-photos", "low-resolution", "第一党支部/李四");
    let msg = findings(&json)[0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        msg.contains("约 137") && msg.contains("相机的默认值"),
        "{msg}"
    );
}

#[test]
fn middle_dots_written_other_ways() {
    // 热依拉丶阿不都 and 阿依古丽．买买提 are the ledger's 热依拉·阿不都 and 阿依古丽·买买提.
    let json = shape(
        "name-separators",
        "missing-document",
        "第一党支部/阿依古丽．买买提",
    );
    assert_eq!(json["summary"]["dossiers"], 2);
}

#[test]
fn dates_in_chinese_numerals() {
    shape("chinese-numerals", "approval-overdue", "第一党支部/李四");
}

#[test]
fn a_sample_under_its_caption_is_no_one() {
    // 王小明 of the 填写示例 table and of the 样表 sheet is not a ledger row without a dossier;
    // 李四, whose folder is missing, is.
    shape(
        "example-sheet",
        "ledger-row-without-dossier",
        "发展党员工作台账.xlsx",
    );
}
