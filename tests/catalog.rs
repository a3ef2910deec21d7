//! Catalogs (卷内目录) checked against the scans (fixtures/catalogs, written by
//! `examples/shapes/catalogs.rs`), and `dangan catalog`: the catalogs and transfer lists it
//! writes, read back cell by cell, and audited again once copied into the archive.

mod common;

use std::collections::BTreeSet;

use common::{audit_json, check_snapshot, findings, fixture, triples};

#[test]
fn catalogs_in_both_shapes_audit_to_exactly_the_planted_findings() {
    let (code, json) = audit_json(&fixture("catalogs"), &[]);
    let t = |r: &str, w: &str, s: &str| (r.to_string(), w.to_string(), s.to_string());
    let zhao = "第一党支部/赵敏";
    let want: BTreeSet<_> = [
        t("catalog-item-missing", zhao, "conversion"),
        t("uncatalogued-document", zhao, "autobiography"),
        t("page-count-mismatch", zhao, "volunteer"),
        t("catalog-date-mismatch", zhao, "application"),
        t("catalog-unreadable", zhao, "catalog"),
        t("page-count-mismatch", "第二党支部/周杰", "autobiography"),
        t("catalog-unreadable", "", "catalog"),
    ]
    .into_iter()
    .collect();
    assert_eq!(triples(&json), want);
    // 赵敏 has two unreadable rows (a page cell, a title): one finding each.
    assert_eq!(findings(&json).len(), want.len() + 1);
    assert_eq!(code, 1, "catalog-item-missing is an error");
    let at = |rule: &str, dossier: &str| {
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == rule && f["dossier"].as_str().unwrap_or("") == dossier)
            .map(|f| {
                let l = &f["location"];
                format!(
                    "{} {}!{}",
                    l["file"].as_str().unwrap_or(""),
                    l["sheet"].as_str().unwrap_or(""),
                    l["cell"].as_str().unwrap_or("")
                )
            })
            .collect::<BTreeSet<_>>()
    };
    let z = "第一党支部/赵敏/卷内目录.xlsx 卷内目录";
    assert_eq!(
        at("catalog-unreadable", zhao),
        [format!("{z}!B9"), format!("{z}!D5")].into()
    );
    assert_eq!(at("page-count-mismatch", zhao), [format!("{z}!D6")].into());
    assert_eq!(
        at("catalog-date-mismatch", zhao),
        [format!("{z}!C2")].into()
    );
    assert_eq!(
        at("page-count-mismatch", "第二党支部/周杰"),
        ["第二党支部/第二党支部卷内目录.xlsx 卷内目录!E13".to_string()].into()
    );
    let message = |rule: &str, dossier: &str| {
        findings(&json)
            .iter()
            .find(|f| f["rule"] == rule && f["dossier"] == dossier)
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(
        message("page-count-mismatch", zhao),
        "卷内目录（卷内目录.xlsx）第6行写入党志愿书共 8 页，扫描件是 6 页（入党志愿书.pdf）"
    );
    assert!(
        message("catalog-date-mismatch", zhao).contains("2019-05，台账的申请入党时间是 2019-03-05")
    );
    let orphan = findings(&json)
        .iter()
        .find(|f| f["rule"] == "catalog-unreadable" && f["dossier"].is_null())
        .expect("the rows of 吴刚");
    assert_eq!(orphan["branch"], "第二党支部");
    assert!(
        orphan["message"]
            .as_str()
            .unwrap_or("")
            .contains("“吴刚”（2 行）")
    );
    check_snapshot("catalogs", &json);
}
