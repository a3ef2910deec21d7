//! Catalogs (卷内目录) checked against the scans (fixtures/catalogs, written by
//! `examples/shapes/catalogs.rs`), and `dangan catalog`: the catalogs and transfer lists it
//! writes, read back cell by cell, and audited again once copied into the archive.

mod common;

use std::collections::BTreeSet;

use std::path::Path;

use common::{audit_json, check_snapshot, findings, fixture, shape_findings, triples};
use serde_json::Value;

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
    assert_eq!(shape_findings(&json).len(), want.len() + 1);
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
        ["第二党支部/第二党支部卷内目录.xlsx 卷内目录!E14".to_string()].into()
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

/// The fixture archive with its own catalogs taken out (the dossiers' and the branch's).
fn without_catalogs(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture(name), dir.path());
    for entry in walkdir::WalkDir::new(dir.path()) {
        let entry = entry.expect("walk");
        let file = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && file.contains("目录") && file.ends_with(".xlsx") {
            std::fs::remove_file(entry.path()).expect("rm");
        }
    }
    dir
}

/// `dangan catalog ARCHIVE -o OUT [extra]`, which must succeed.
fn write_catalogs(archive: &Path, out: &Path, extra: &[&str]) {
    let status = common::dangan()
        .args(["catalog", "--as-of", common::AS_OF, "-o"])
        .arg(out)
        .arg(archive)
        .args(extra)
        .output()
        .expect("dangan catalog runs");
    assert!(status.status.success(), "{status:?}");
}

/// (rule, dossier, subject, message) of every finding, for comparing two audits.
fn quads(json: &Value) -> BTreeSet<(String, String, String, String)> {
    findings(json)
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("rule"), s("dossier"), s("subject"), s("message"))
        })
        .collect()
}

/// Every sheet of a workbook as text rows.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(path).expect("open workbook");
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).expect("sheet");
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

#[test]
fn written_catalogs_and_transfer_lists_read_back_cell_by_cell() {
    let archive = without_catalogs("catalogs");
    let out = tempfile::tempdir().expect("tempdir");
    write_catalogs(archive.path(), out.path(), &["--per-dossier"]);
    let book = sheets(&out.path().join("第一党支部卷内目录.xlsx"));
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["移交清单", "卷内目录"]);
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let transfer = &book[0].1;
    assert_eq!(transfer[0][0], "第一党支部发展党员档案移交清单");
    assert_eq!(
        transfer[2],
        row(&[
            "序号",
            "档案",
            "姓名",
            "阶段",
            "份数",
            "页数",
            "缺少的材料",
            "问题数",
            "备注"
        ])
    );
    assert_eq!(
        transfer[3],
        row(&[
            "1",
            "第一党支部/张三",
            "张三",
            "预备党员",
            "8",
            "24",
            "",
            "0",
            ""
        ])
    );
    assert_eq!(
        transfer[5],
        row(&[
            "3",
            "第一党支部/王强",
            "王强",
            "预备党员",
            "7",
            "14",
            "",
            "0",
            ""
        ])
    );
    assert_eq!(
        transfer[6],
        row(&[
            "4",
            "第一党支部/赵敏",
            "赵敏",
            "预备党员",
            "7",
            "12",
            "",
            "0",
            ""
        ])
    );
    // 钱七's one PDF without bookmarks, its catalog taken out: nothing to list, and said.
    assert_eq!(
        transfer[7],
        row(&[
            "5",
            "第一党支部/钱七",
            "钱七",
            "预备党员",
            "0",
            "0",
            "",
            "1",
            "1 个文件未列入（未能识别是哪份材料）"
        ])
    );
    assert_eq!(
        transfer[8][..8],
        row(&["合计", "5 卷", "", "", "29", "63", "", "1"])[..]
    );
    // The catalogs: a block per dossier, in path order, each printed on a page of its own.
    let catalogs = &book[1].1;
    assert_eq!(catalogs[0][0], "第一党支部卷内目录");
    let header = row(&["序号", "姓名", "题名", "形成时间", "页数", "文件", "备注"]);
    assert_eq!(catalogs[1], header);
    let blocks: Vec<&str> = catalogs
        .iter()
        .filter(|r| r[0].starts_with("档案："))
        .map(|r| r[0].as_str())
        .collect();
    assert_eq!(
        blocks,
        [
            "档案：第一党支部/张三　姓名：张三　阶段：预备党员",
            "档案：第一党支部/李明　姓名：李明　阶段：预备党员",
            "档案：第一党支部/王强　姓名：王强　阶段：预备党员",
            "档案：第一党支部/赵敏　姓名：赵敏　阶段：预备党员",
            "档案：第一党支部/钱七　姓名：钱七　阶段：预备党员",
        ]
    );
    let zhang = &catalogs[2..12];
    let items: Vec<Vec<String>> = zhang[1..9].iter().map(|r| r[..6].to_vec()).collect();
    assert_eq!(
        items,
        [
            row(&[
                "1",
                "张三",
                "入党申请书",
                "2019.03.05",
                "2",
                "入党申请书.pdf"
            ]),
            row(&[
                "2",
                "张三",
                "入党积极分子培养教育考察登记表",
                "",
                "3",
                "入党积极分子考察登记表.pdf"
            ]),
            row(&[
                "3",
                "张三",
                "思想汇报",
                "",
                "2",
                "思想汇报/思想汇报2020年第1季度.pdf、思想汇报/思想汇报2020年第2季度.pdf"
            ]),
            row(&["4", "张三", "自传", "", "4", "自传.pdf"]),
            row(&["5", "张三", "政审材料", "", "2", "政审材料.pdf"]),
            row(&["6", "张三", "集中培训表", "", "1", "集中培训表.pdf"]),
            row(&[
                "7",
                "张三",
                "入党志愿书",
                "2020.09.15",
                "8",
                "入党志愿书.pdf"
            ]),
            row(&["8", "张三", "预备党员考察表", "", "2", "预备党员考察表.pdf"]),
        ]
    );
    assert_eq!(zhang[9][..5], row(&["小计", "共 8 件", "", "", "24"])[..]);
    // A combined PDF's materials with their pages.
    let wang = catalogs
        .iter()
        .position(|r| r[0].starts_with("档案：第一党支部/王强"))
        .expect("王强's block");
    assert_eq!(catalogs[wang + 1][5], "王强发展党员档案.pdf 第1–2页");
    assert_eq!(catalogs[wang + 7][5], "王强发展党员档案.pdf 第12–14页");
    // The dossier's own workbook: the same block under the same header, with its 合计.
    let own = sheets(&out.path().join("卷内目录/第一党支部/张三/卷内目录.xlsx"));
    assert_eq!(own.len(), 1);
    assert_eq!(own[0].1[0][0], "卷内目录");
    assert_eq!(own[0].1[1], header);
    assert_eq!(own[0].1[2..11], zhang[..9]);
    assert_eq!(
        own[0].1[11][..5],
        row(&["合计", "共 8 件", "", "", "24"])[..]
    );
    // The page for printing.
    let html = std::fs::read_to_string(out.path().join("第一党支部卷内目录.html")).expect("html");
    assert_eq!(html.matches("<section class=\"catalog\">").count(), 5);
    assert!(html.contains("@page{size:A4"));
}

/// Audit a fixture without its catalogs, write catalogs and copy them in (into each dossier,
/// or each branch's workbook into its branch folder), audit again: the same findings.
fn round_trip(name: &str, per_dossier: bool) {
    let archive = without_catalogs(name);
    let (_, before) = audit_json(archive.path(), &[]);
    let out = tempfile::tempdir().expect("tempdir");
    write_catalogs(archive.path(), out.path(), &["--per-dossier"]);
    let mut copied = 0;
    if per_dossier {
        let own = out.path().join("卷内目录");
        for entry in walkdir::WalkDir::new(&own) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&own).expect("prefix");
                std::fs::copy(entry.path(), archive.path().join(rel)).expect("copy in");
                copied += 1;
            }
        }
    } else {
        for entry in std::fs::read_dir(out.path()).expect("out") {
            let path = entry.expect("entry").path();
            let file = path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .to_string();
            if let Some(branch) = file.strip_suffix("卷内目录.xlsx")
                && archive.path().join(branch).is_dir()
            {
                std::fs::copy(&path, archive.path().join(branch).join(&file)).expect("copy in");
                copied += 1;
            }
        }
    }
    assert!(copied > 0, "{name}: no catalog copied in");
    let (_, after) = audit_json(archive.path(), &[]);
    assert_eq!(
        quads(&after),
        quads(&before),
        "{name}: the catalogs changed the findings"
    );
    assert_eq!(findings(&after).len(), findings(&before).len());
}

#[test]
fn a_written_catalog_copied_into_its_dossier_audits_clean() {
    // The layouts: year folders above the branches, groups between branch and person, a
    // branch folder audited on its own.
    for name in [
        "catalogs",
        "folders",
        "demo",
        "layouts/years-above",
        "layouts/groups-below",
        "layouts/branch-alone/第一党支部",
        "rosters",
    ] {
        round_trip(name, true);
    }
}

#[test]
fn a_written_branch_workbook_in_its_branch_folder_audits_clean() {
    for name in ["catalogs", "folders", "demo"] {
        round_trip(name, false);
    }
}

#[test]
fn the_transfer_list_names_what_is_missing_and_counts_the_problems() {
    let (_, audit) = audit_json(&fixture("demo"), &["--fail-on", "never"]);
    let out = tempfile::tempdir().expect("tempdir");
    write_catalogs(&fixture("demo"), out.path(), &[]);
    let book = sheets(&out.path().join("机关第一党支部卷内目录.xlsx"));
    let transfer = &book[0].1;
    let liu = transfer
        .iter()
        .find(|r| r.get(2).map(String::as_str) == Some("刘强"))
        .expect("刘强's line");
    assert_eq!(liu[6], "自传");
    let problems = findings(&audit)
        .iter()
        .filter(|f| f["dossier"] == "机关第一党支部/刘强" && f["severity"] != "info")
        .count();
    assert!(problems > 0);
    assert_eq!(liu[7], problems.to_string());
    // An ID number in a folder name is masked in the list.
    let book = sheets(&out.path().join("机关第二党支部卷内目录.xlsx"));
    let chen = book[0]
        .1
        .iter()
        .find(|r| r.get(2).map(String::as_str) == Some("陈晨"))
        .expect("陈晨's line");
    assert!(chen[1].contains("********"), "{chen:?}");
    assert!(!chen[1].contains("110102199707070999"));
}

#[test]
fn catalog_refuses_to_write_inside_the_archive() {
    let archive = without_catalogs("catalogs");
    let inside = archive.path().join("第一党支部/目录输出");
    let out = common::dangan()
        .args(["catalog", "--as-of", common::AS_OF, "-o"])
        .arg(&inside)
        .arg(archive.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!inside.exists());
}

/// Rewrite a workbook's first sheet as a person editing it would leave it: values only,
/// numbers as numbers.
fn edit_sheet(path: &Path, edit: impl FnOnce(&mut Vec<Vec<String>>)) {
    let mut rows = sheets(path).swap_remove(0).1;
    edit(&mut rows);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("卷内目录").expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match v.parse::<f64>() {
                _ if v.is_empty() => {}
                Ok(n) => drop(ws.write_number(r, c, n).expect("cell")),
                Err(_) => drop(ws.write_string(r, c, v).expect("cell")),
            }
        }
    }
    wb.save(path).expect("save");
}

#[test]
fn an_edited_catalog_gives_exactly_the_planted_findings() {
    type Plant = fn(&Path);
    let cases: [(&str, Plant, (&str, &str, &str)); 4] = [
        (
            "a material dropped from the catalog",
            |a| {
                edit_sheet(&a.join("第一党支部/张三/卷内目录.xlsx"), |rows| {
                    rows.retain(|r| r.get(2).map(String::as_str) != Some("自传"))
                })
            },
            ("uncatalogued-document", "第一党支部/张三", "autobiography"),
        ),
        (
            "a page count changed",
            |a| {
                edit_sheet(&a.join("第一党支部/张三/卷内目录.xlsx"), |rows| {
                    for r in rows.iter_mut() {
                        if r.get(2).map(String::as_str) == Some("入党志愿书") {
                            r[4] = "7".into();
                        }
                    }
                })
            },
            ("page-count-mismatch", "第一党支部/张三", "volunteer"),
        ),
        (
            "a page scan taken out of the dossier",
            |a| std::fs::remove_file(a.join("第一党支部/李明/06-入党志愿书/004.jpg")).expect("rm"),
            ("page-count-mismatch", "第一党支部/李明", "volunteer"),
        ),
        (
            "a material listed that the dossier lacks",
            |a| {
                edit_sheet(&a.join("第一党支部/张三/卷内目录.xlsx"), |rows| {
                    let at = rows.len() - 1;
                    let line = ["9", "张三", "转正申请书", "", "2", "", ""];
                    rows.insert(at, line.iter().map(|s| s.to_string()).collect());
                })
            },
            ("catalog-item-missing", "第一党支部/张三", "conversion"),
        ),
    ];
    for (what, plant, (rule, dossier, subject)) in cases {
        let archive = without_catalogs("catalogs");
        let out = tempfile::tempdir().expect("tempdir");
        write_catalogs(archive.path(), out.path(), &["--per-dossier"]);
        for d in ["第一党支部/张三", "第一党支部/李明"] {
            std::fs::copy(
                out.path().join("卷内目录").join(d).join("卷内目录.xlsx"),
                archive.path().join(d).join("卷内目录.xlsx"),
            )
            .expect("copy in");
        }
        // 钱七's catalog is the index of his one PDF: it stays.
        let qian = "第一党支部/钱七/卷内目录.xlsx";
        std::fs::copy(fixture("catalogs").join(qian), archive.path().join(qian)).expect("copy");
        let (_, before) = audit_json(archive.path(), &[]);
        assert!(shape_findings(&before).is_empty(), "{what}: {before:#}");
        plant(archive.path());
        let (_, after) = audit_json(archive.path(), &[]);
        let want: BTreeSet<_> =
            [(rule.to_string(), dossier.to_string(), subject.to_string())].into();
        assert_eq!(triples(&after), want, "{what}");
        assert_eq!(shape_findings(&after).len(), 1, "{what}: {after:#}");
    }
}

#[test]
fn a_catalog_workbook_dangan_cannot_read_is_said_once() {
    let archive = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("catalogs"), archive.path());
    let (_, before) = audit_json(archive.path(), &[]);
    // A catalog without a page column: named as one, read as none.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["序号", "题名", "备注"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    ws.write_string(1, 1, "入党申请书").expect("cell");
    wb.save(archive.path().join("第二党支部/孙丽/卷内目录.xlsx"))
        .expect("save");
    // A 全程纪实表 is a record of the steps, not a list of materials: not a catalog to read.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["环节", "完成情况"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    wb.save(archive.path().join("第二党支部/孙丽/全程纪实表.xlsx"))
        .expect("save");
    let (_, after) = audit_json(archive.path(), &[]);
    let new: Vec<&Value> = findings(&after)
        .iter()
        .filter(|f| !findings(&before).contains(f))
        .collect();
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["rule"], "catalog-unreadable");
    assert_eq!(new[0]["dossier"], "第二党支部/孙丽");
    assert_eq!(new[0]["file"], "第二党支部/孙丽/卷内目录.xlsx");
    assert!(
        new[0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("卷内目录（卷内目录.xlsx）无法核对：没有一个工作表有目录的表头"),
        "{}",
        new[0]["message"]
    );
}

/// A catalog as a secretary types it for 吴芳 (fixtures/folders), whose files carry the
/// everyday names and who filed a page of her 志愿书 on its own: the page is part of the
/// 入党志愿书 line, and its pages count there.
#[test]
fn a_page_of_the_volunteer_form_filed_alone_is_catalogued_as_the_form() {
    let archive = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("folders"), archive.path());
    let (_, before) = audit_json(archive.path(), &[]);
    let lines = [
        ("入党申请书", 1.0),
        ("入党申请人谈话记录", 1.0),
        ("推荐材料", 1.0),
        ("入党积极分子培养考察表", 1.0),
        ("公示情况反馈表", 1.0),
        ("个人自传", 1.0),
        ("函调材料", 1.0),
        ("政审综合材料", 1.0),
        ("党校结业证书", 1.0),
        ("中国共产党入党志愿书", 2.0),
        ("支部大会决议", 1.0),
        ("预备党员考察鉴定表", 1.0),
    ];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["序号", "材料名称", "页数"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    for (r, (title, pages)) in lines.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_number(r, 0, f64::from(r)).expect("cell");
        ws.write_string(r, 1, *title).expect("cell");
        ws.write_number(r, 2, *pages).expect("cell");
    }
    wb.save(archive.path().join("第一党支部/吴芳/卷内目录.xlsx"))
        .expect("save");
    let (_, after) = audit_json(archive.path(), &[]);
    assert_eq!(quads(&after), quads(&before), "{after:#}");
    // The written catalog lists the page in the 入党志愿书 line, not as a line of its own.
    let out = tempfile::tempdir().expect("tempdir");
    write_catalogs(&fixture("folders"), out.path(), &[]);
    let book = sheets(&out.path().join("第一党支部卷内目录.xlsx"));
    let volunteer = book[1]
        .1
        .iter()
        .find(|r| r[1] == "吴芳" && r[2] == "入党志愿书")
        .expect("吴芳's 入党志愿书 line");
    assert_eq!(volunteer[4], "2");
    assert_eq!(volunteer[5], "入党介绍人意见.pdf、志愿书.pdf");
    assert!(!book[1].1.iter().any(|r| r[2].contains("志愿书页")));
}

#[test]
fn id_numbers_in_file_names_are_masked_in_the_written_catalog() {
    let archive = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("catalogs"), archive.path());
    let id = "320102199601011451";
    std::fs::copy(
        archive.path().join("第二党支部/孙丽/入党申请书.pdf"),
        archive
            .path()
            .join(format!("第二党支部/孙丽/身份证复印件{id}.pdf")),
    )
    .expect("copy");
    let out = tempfile::tempdir().expect("tempdir");
    write_catalogs(archive.path(), out.path(), &[]);
    let book = sheets(&out.path().join("第二党支部卷内目录.xlsx"));
    let line = book[1]
        .1
        .iter()
        .find(|r| r[1] == "孙丽" && r[2] == "入党申请人登记表")
        .expect("the copy of the ID card, as 入党申请人登记表");
    assert_eq!(line[5], "身份证复印件320102********1451.pdf");
    let html = std::fs::read_to_string(out.path().join("第二党支部卷内目录.html")).expect("html");
    assert!(!html.contains(id));
}

#[test]
fn a_second_run_into_the_same_folder_leaves_no_workbook_of_a_branch_since_renamed() {
    let archive = without_catalogs("catalogs");
    let out = tempfile::tempdir().expect("tempdir");
    std::fs::write(out.path().join("说明.txt"), "not dangan's").expect("write");
    write_catalogs(archive.path(), out.path(), &[]);
    assert!(out.path().join("第二党支部卷内目录.xlsx").is_file());
    std::fs::rename(
        archive.path().join("第二党支部"),
        archive.path().join("第二党支部（机关）"),
    )
    .expect("rename");
    write_catalogs(archive.path(), out.path(), &[]);
    assert!(!out.path().join("第二党支部卷内目录.xlsx").exists());
    assert!(!out.path().join("第二党支部卷内目录.html").exists());
    assert!(out.path().join("第二党支部（机关）卷内目录.xlsx").is_file());
    assert!(out.path().join("第一党支部卷内目录.xlsx").is_file());
    assert!(
        out.path().join("说明.txt").is_file(),
        "a file dangan did not write is left"
    );
}

/// 钱七's dossier is one PDF without bookmarks; its catalog's 页号 tile its 10 pages, so the
/// catalog is its index. A catalog that does not tile it (a range past its last page) leaves
/// it unverifiable, and nothing is guessed.
#[test]
fn a_catalog_that_tiles_a_combined_file_is_its_index_and_one_that_does_not_is_not() {
    let (_, json) = audit_json(&fixture("catalogs"), &[]);
    assert!(
        !findings(&json)
            .iter()
            .any(|f| f["dossier"] == "第一党支部/钱七"),
        "{json:#}"
    );
    let qian = json["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .find(|d| d["dossier"] == "第一党支部/钱七")
        .expect("钱七");
    let combined = qian["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["file"] == "第一党支部/钱七/钱七档案.pdf")
        .expect("the combined file");
    let parts: Vec<(String, u64, u64)> = combined["contents"]
        .as_array()
        .expect("contents")
        .iter()
        .map(|p| {
            (
                p["document"].as_str().unwrap_or("").to_string(),
                p["first_page"].as_u64().unwrap_or(0),
                p["pages"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(parts[0], ("application".to_string(), 1, 2));
    assert_eq!(parts[5], ("volunteer".to_string(), 8, 2));
    assert_eq!(parts.len(), 7);
    for last in ["10-11", "9"] {
        let archive = tempfile::tempdir().expect("tempdir");
        common::copy_tree(&fixture("catalogs"), archive.path());
        edit_sheet(
            &archive.path().join("第一党支部/钱七/卷内目录.xlsx"),
            |rows| {
                let n = rows.len() - 1;
                rows[n][2] = last.to_string();
            },
        );
        let (_, after) = audit_json(archive.path(), &[]);
        let qian: Vec<&str> = findings(&after)
            .iter()
            .filter(|f| f["dossier"] == "第一党支部/钱七")
            .filter_map(|f| f["rule"].as_str())
            .collect();
        assert_eq!(qian, ["combined-file-unverifiable"], "last row {last}");
    }
}

#[test]
fn files_are_named_within_their_dossier_whatever_folders_stand_above_it() {
    let out = tempfile::tempdir().expect("tempdir");
    write_catalogs(
        &fixture("layouts/years-above"),
        out.path(),
        &["--per-dossier"],
    );
    let book = sheets(&out.path().join("第一党支部卷内目录.xlsx"));
    let zhang = book[1]
        .1
        .iter()
        .find(|r| r[1] == "张伟" && r[2] == "入党志愿书")
        .expect("张伟's 入党志愿书");
    assert_eq!(zhang[5], "入党志愿书.pdf");
    assert!(
        out.path()
            .join("卷内目录/2019年/第一党支部/张伟/卷内目录.xlsx")
            .is_file()
    );
}
