//! Dossiers filed as branches file them (fixtures/folders, written by
//! `examples/shapes/folders.rs`): a folder per material, the everyday names and the whole
//! vocabulary of a dossier, and a name that fits two documents.

mod common;
use common::{audit_json, check_snapshot, findings, fixture, triples};

#[test]
fn folders_audit_to_exactly_the_planted_findings() {
    let (code, json) = audit_json(&fixture("folders"), &[]);
    let want: std::collections::BTreeSet<_> = [(
        "ambiguous-file".to_string(),
        "第二党支部/郑强".to_string(),
        String::new(),
    )]
    .into_iter()
    .collect();
    assert_eq!(triples(&json), want);
    assert_eq!(findings(&json).len(), 1);
    // An info finding does not fail the run.
    assert_eq!(code, 0);
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
