//! Dossiers filed as branches file them (fixtures/folders, written by
//! `examples/shapes/folders.rs`): a folder per material, the everyday names and the whole
//! vocabulary of a dossier, and a name that fits two documents.

mod common;
use common::{audit_json, check_snapshot, findings, fixture, shape_findings, triples};

#[test]
fn folders_audit_to_exactly_the_planted_findings() {
    let (code, json) = audit_json(&fixture("folders"), &[]);
    let t = |r: &str, w: &str| (r.to_string(), w.to_string(), String::new());
    let want: std::collections::BTreeSet<_> = [
        t("ambiguous-file", "第二党支部/郑强"),
        t("combined-file-unverifiable", "第二党支部/何静"),
        t("combined-file-unverifiable", "第二党支部/孔亮"),
        t("combined-file-unverifiable", "第二党支部/杨帆"),
    ]
    .into_iter()
    .collect();
    assert_eq!(triples(&json), want);
    assert_eq!(shape_findings(&json).len(), 4);
    // Warnings and infos do not fail the run.
    assert_eq!(code, 0);
    let yang = findings(&json)
        .iter()
        .find(|f| f["dossier"] == "第二党支部/杨帆")
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default();
    assert!(
        yang.contains("《入党申请书》、《入党积极分子培养教育考察登记表》、《自传》"),
        "{yang}"
    );
    check_snapshot("folders", &json);
}

#[test]
fn a_file_in_a_material_folder_is_that_material_and_counts_its_pages() {
    let (_, json) = audit_json(&fixture("folders"), &[]);
    let dossier = json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["dossier"] == "第一党支部/周伟")
        .expect("周伟");
    let volunteer: Vec<&str> = dossier["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["document"] == "volunteer")
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert_eq!(
        volunteer,
        [
            "第一党支部/周伟/06-入党志愿书/第1页.jpg",
            "第一党支部/周伟/06-入党志愿书/第2页.jpg",
            "第一党支部/周伟/06-入党志愿书/第3页.jpg",
            "第一党支部/周伟/06-入党志愿书/第4页.jpg",
        ]
    );
}

#[test]
fn everyday_names_are_the_documents_they_mean() {
    let (_, json) = audit_json(&fixture("folders"), &[]);
    let dossier = json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["dossier"] == "第一党支部/吴芳")
        .expect("吴芳");
    let doc = |name: &str| {
        dossier["files"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["file"].as_str().is_some_and(|p| p.ends_with(name)))
            .and_then(|f| f["document"].as_str())
            .unwrap_or("（未识别）")
            .to_string()
    };
    for (file, want) in [
        ("/申请书.pdf", "application"),
        ("/培养考察表.pdf", "activist_assessment"),
        ("/政审综合材料.pdf", "vetting"),
        ("/函调材料.pdf", "vetting"),
        ("/党校结业证书.pdf", "training"),
        ("/志愿书.pdf", "volunteer"),
        ("/预备党员考察鉴定表.pdf", "probation_assessment"),
        ("/谈话记录.pdf", "talk_record"),
        ("/推荐材料.pdf", "recommendation"),
        ("/支部大会决议.pdf", "branch_meeting"),
        ("/公示情况反馈表.pdf", "publicity"),
        ("/入党介绍人意见.pdf", "introducer_opinion"),
    ] {
        assert_eq!(doc(file), want, "{file}");
    }
}

/// (dossier, its files' paths) of an audit.
fn dossier_files(json: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["dossier"].as_str().unwrap_or_default().to_string(),
                d["files"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|f| f["file"].as_str().map(str::to_string))
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn one_branch_audited_on_its_own() {
    let root = fixture("layouts/branch-alone/第一党支部");
    let (code, json) = audit_json(&root, &[]);
    assert_eq!(
        shape_findings(&json),
        Vec::<serde_json::Value>::new(),
        "{json}"
    );
    assert_eq!(code, 0);
    let dossiers = dossier_files(&json);
    let names: Vec<&str> = dossiers.iter().map(|(d, _)| d.as_str()).collect();
    // Named by branch and folder, as in a whole archive; the batch folder is passed through
    // but the files keep their paths.
    assert_eq!(
        names,
        ["第一党支部/01-张伟", "第一党支部/王芳", "第一党支部/李娜"]
    );
    assert!(
        dossiers[1]
            .1
            .iter()
            .all(|f| f.starts_with("2022年第二批/王芳/")),
        "{dossiers:?}"
    );
    check_snapshot("layouts-branch-alone", &json);
}

#[test]
fn pinning_the_root_overrides_what_was_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("pin.yaml");
    std::fs::write(&rules, "layout:\n  root: archive\n").expect("rules");
    let root = fixture("layouts/branch-alone/第一党支部");
    let (_, json) = audit_json(&root, &["--rules", rules.to_str().expect("utf-8")]);
    // Pinned wrongly, each person's folder is a branch: nothing joins.
    assert!(
        findings(&json)
            .iter()
            .any(|f| f["rule"] == "ledger-row-without-dossier"),
        "{json}"
    );
}

#[test]
fn year_folders_above_the_branches() {
    let (code, json) = audit_json(&fixture("layouts/years-above"), &[]);
    assert_eq!(
        shape_findings(&json),
        Vec::<serde_json::Value>::new(),
        "{json}"
    );
    assert_eq!(code, 0);
    let dossiers = dossier_files(&json);
    assert_eq!(dossiers[0].0, "第一党支部/张伟");
    assert!(
        dossiers[0].1[0].starts_with("2019年/第一党支部/张伟/"),
        "{dossiers:?}"
    );
    check_snapshot("layouts-years-above", &json);
}

#[test]
fn a_stray_file_under_a_year_folder_is_listed_under_its_branch() {
    // 2021年/第一党支部/会议记录草稿.txt: the branch secretary of 第一党支部 must see it in
    // their list, not in a list for a "branch" called 2021年.
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("layouts/years-above"), dir.path());
    let stray = "2021年/第一党支部/会议记录草稿.txt";
    std::fs::write(dir.path().join(stray), "草稿").expect("write");
    let (_, json) = audit_json(dir.path(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["file"] == stray)
        .unwrap_or_else(|| panic!("no finding on the stray file: {json:#}"));
    assert_eq!(f["rule"], "unrecognized-file");
    assert_eq!(f["branch"], "第一党支部");
    assert_eq!(shape_findings(&json).len(), 1, "{json:#}");
}

#[test]
fn year_and_stage_folders_between_branch_and_person() {
    let (code, json) = audit_json(&fixture("layouts/groups-below"), &[]);
    assert_eq!(
        shape_findings(&json),
        Vec::<serde_json::Value>::new(),
        "{json}"
    );
    assert_eq!(code, 0);
    let names: Vec<String> = dossier_files(&json).into_iter().map(|(d, _)| d).collect();
    assert_eq!(
        names,
        [
            "第一党支部/李娜",
            "第一党支部/赵磊",
            "第二党支部/周伟",
            "第二党支部/陈静",
            "第二党支部/孙悦",
        ]
    );
    check_snapshot("layouts-groups-below", &json);
}

#[test]
fn an_unlisted_grouping_folder_is_said_once() {
    let (_, json) = audit_json(&fixture("layouts/unlisted-group"), &[]);
    let got = triples(&json);
    let want: std::collections::BTreeSet<_> =
        [("layout-ambiguous".to_string(), String::new(), String::new())]
            .into_iter()
            .collect();
    assert_eq!(got, want, "{json}");
    let f = &findings(&json)[0];
    assert_eq!(f["file"], "第一党支部/新发展党员");
    assert_eq!(f["branch"], "第一党支部");
    check_snapshot("layouts-unlisted-group", &json);
}

/// (document, first page, pages) of each part of a dossier's combined file.
fn contents(json: &serde_json::Value, dossier: &str) -> Vec<(String, u64, u64)> {
    json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["dossier"] == dossier)
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .flat_map(|f| f["contents"].as_array().into_iter().flatten())
        .map(|p| {
            (
                p["document"].as_str().unwrap_or_default().to_string(),
                p["first_page"].as_u64().unwrap_or(0),
                p["pages"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn bookmarks_name_the_documents_of_a_combined_file_with_their_pages() {
    let (_, json) = audit_json(&fixture("folders"), &[]);
    let s = |d: &str, a: u64, n: u64| (d.to_string(), a, n);
    assert_eq!(
        contents(&json, "第一党支部/冯丽"),
        [
            s("application", 1, 2),
            s("activist_assessment", 3, 1),
            s("autobiography", 4, 2),
            s("vetting", 6, 1),
            s("training", 7, 1),
            // Its pages are bookmarks below it: the range runs to the next top-level one.
            s("volunteer", 8, 4),
            s("probation_assessment", 12, 1),
            s("conversion", 13, 2),
        ]
    );
    // Named destinations (a /Names /Dests tree).
    assert_eq!(
        contents(&json, "第二党支部/黄敏"),
        [s("application", 1, 1), s("activist_assessment", 2, 2)]
    );
    // An OFD's outline, a material nested below a group bookmark.
    assert_eq!(
        contents(&json, "第二党支部/郭涛"),
        [s("application", 1, 2), s("activist_assessment", 3, 2)]
    );
    // An outline that cannot be followed names nothing.
    assert!(contents(&json, "第二党支部/杨帆").is_empty());
}

fn survey(archive: &std::path::Path) -> serde_json::Value {
    let out = common::dangan()
        .arg("survey")
        .arg(archive)
        .args(["--as-of", common::AS_OF, "--format", "json"])
        .output()
        .expect("dangan survey runs");
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).expect("survey JSON")
}

#[test]
fn survey_shows_the_folders_as_understood() {
    let s = survey(&fixture("layouts/branch-alone/第一党支部"));
    let f = &s["folders"];
    assert_eq!(f["layout"]["root"], "branch");
    assert_eq!(f["layout"]["root_branch"], "第一党支部");
    assert_eq!(
        f["layout"]["groups"],
        serde_json::json!([["2022年第二批", false]])
    );
    assert_eq!(f["branches"], serde_json::json!([["第一党支部", 3]]));

    let s = survey(&fixture("layouts/years-above"));
    let f = &s["folders"];
    assert_eq!(f["layout"]["root"], "archive");
    assert_eq!(
        f["layout"]["groups"],
        serde_json::json!([["2019年", true], ["2021年", true]])
    );

    let s = survey(&fixture("folders"));
    let f = &s["folders"];
    assert_eq!(f["material_folders"], 8);
    assert_eq!(f["combined_with_bookmarks"], 3);
    assert_eq!(f["combined_without"], 3);
    assert_eq!(f["unrecognised"][0][0], "考察表.pdf");

    let s = survey(&fixture("demo"));
    let unrecognised = &s["folders"]["unrecognised"];
    assert_eq!(unrecognised[0][0], "扫描*.jpg", "{unrecognised}");
}

#[test]
fn a_branch_of_combined_files_is_told_by_the_ledgers_names() {
    // No file name names a document (张伟发展党员档案.pdf): only the ledger's names tell the
    // person folders (张伟, 02-李娜, 王芳（ID）) from branches.
    let root = fixture("layouts/combined-alone/第三党支部");
    let (code, json) = audit_json(&root, &[]);
    assert_eq!(
        shape_findings(&json),
        Vec::<serde_json::Value>::new(),
        "{json}"
    );
    assert_eq!(code, 0);
    let names: Vec<String> = dossier_files(&json).into_iter().map(|(d, _)| d).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(
        names.iter().all(|n| n.starts_with("第三党支部/")),
        "{names:?}"
    );
    assert_eq!(
        contents(&json, "第三党支部/02-李娜").len(),
        8,
        "the bookmarks name the eight materials"
    );
    check_snapshot("layouts-combined-alone", &json);

    // Without the ledger, nothing tells them apart: the same archive is read as branches.
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("第三党支部");
    common::copy_tree(&root, &copy);
    std::fs::remove_file(copy.join("第三党支部发展党员台账.xlsx")).expect("remove ledger");
    let (_, json) = audit_json(&copy, &[]);
    let names: Vec<String> = dossier_files(&json).into_iter().map(|(d, _)| d).collect();
    assert!(names.is_empty(), "{names:?}");
}

#[test]
fn a_person_folder_holding_scan_batches_is_one_dossier() {
    // 孙悦/正式材料/…, 孙悦/补充材料/…: 孙悦 is a person in the ledger, so a dossier, not a
    // grouping folder with two dossiers in it.
    let (code, json) = audit_json(&fixture("layouts/scan-batches"), &[]);
    assert_eq!(
        shape_findings(&json),
        Vec::<serde_json::Value>::new(),
        "{json}"
    );
    assert_eq!(code, 0);
    let dossiers = dossier_files(&json);
    let names: Vec<&str> = dossiers.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(names, ["第一党支部/周伟", "第一党支部/孙悦"]);
    assert_eq!(dossiers[1].1.len(), 8, "{dossiers:?}");
    check_snapshot("layouts-scan-batches", &json);
}
