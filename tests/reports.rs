//! `--report-dir`: per-branch workbooks and pages, the committee summary, privacy.

mod common;
use common::{AS_OF, fixture};

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use calamine::{Data, Reader, open_workbook_auto};
use serde_json::Value;

/// Audit with --report-dir; returns the JSON report.
fn report(archive: &Path, dir: &Path, extra: &[&str]) -> Value {
    let out = Command::cargo_bin("dangan")
        .expect("binary")
        .arg("audit")
        .arg(archive)
        .args(["--as-of", AS_OF, "--format", "json", "--report-dir"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).expect("workbook opens");
    let range = wb.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn all_cells(path: &Path) -> String {
    let mut wb = open_workbook_auto(path).expect("workbook opens");
    let mut out = String::new();
    for name in wb.sheet_names() {
        if let Ok(r) = wb.worksheet_range(&name) {
            for row in r.rows() {
                for c in row {
                    out.push_str(&c.to_string());
                    out.push('\t');
                }
            }
        }
    }
    out
}

#[test]
fn branch_workbook_is_read_back_cell_by_cell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let waivers = fixture("waivers.yaml");
    report(
        &fixture("defects"),
        dir.path(),
        &["--waivers", waivers.to_str().expect("utf-8")],
    );
    let xlsx = dir.path().join("机关第一党支部.xlsx");
    let rows = sheet(&xlsx, "问题清单");
    assert_eq!(
        rows[0],
        [
            "档案",
            "姓名",
            "材料/字段",
            "级别",
            "问题",
            "位置",
            "依据",
            "规则"
        ]
    );
    let liu = rows
        .iter()
        .find(|r| r[0] == "机关第一党支部/刘强" && r[7] == "missing-document")
        .expect("刘强 row");
    assert_eq!(liu[1], "刘强");
    assert_eq!(liu[2], "自传");
    assert_eq!(liu[3], "已豁免");
    assert!(
        liu[4].contains("缺少《自传》") && liu[4].contains("已豁免"),
        "{liu:?}"
    );
    let zhao = rows
        .iter()
        .find(|r| r[7] == "ledger-row-without-dossier")
        .expect("赵六");
    assert_eq!((zhao[0].as_str(), zhao[1].as_str()), ("台账：赵六", "赵六"));
    assert_eq!(zhao[5], "发展党员工作台账.xlsx 2021年以来!B17");
    // Only this branch's findings: 8 folders' and 赵六's, as in the JSON.
    let status = sheet(&xlsx, "档案情况");
    assert_eq!(
        status[0],
        ["档案", "姓名", "阶段", "状态", "问题数", "文件数", "页数"]
    );
    let yang = status.iter().find(|r| r[1] == "杨帆").expect("杨帆");
    assert_eq!((yang[2].as_str(), yang[3].as_str()), ("发展对象", "有错误"));
    let wang = status.iter().find(|r| r[1] == "王五").expect("王五");
    assert_eq!(wang[2], "未知");
    assert_eq!(status.len(), 1 + 9, "8 folders and 赵六's ledger row");
    assert!(
        !dir.path()
            .read_dir()
            .expect("dir")
            .any(|e| e.is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".dangan-tmp")))
    );
}

#[test]
fn html_is_self_contained_and_printable() {
    let dir = tempfile::tempdir().expect("tempdir");
    report(&fixture("demo"), dir.path(), &[]);
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "html") {
            let html = std::fs::read_to_string(&path).expect("read");
            assert!(
                html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">")
            );
            for banned in ["<script", "<link", "src=", "@import", "url(", "https://"] {
                assert!(
                    !html.contains(banned),
                    "{} contains {banned}",
                    path.display()
                );
            }
            assert!(html.contains("@page { size: A4"));
        }
    }
    let branch =
        std::fs::read_to_string(dir.path().join("机关第二党支部.html")).expect("branch page");
    assert!(
        branch.contains("<section class=\"dossier\">"),
        "page breaks between dossiers"
    );
    assert!(branch.contains("简历断档"));
}

#[test]
fn branch_files_hold_only_their_own_people() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json = report(&fixture("demo"), dir.path(), &["--show-id-numbers"]);
    // Everyone's name and branch, from the report itself.
    let mut people: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in json["dossiers"].as_array().expect("dossiers") {
        people
            .entry(d["branch"].as_str().unwrap_or("").into())
            .or_default()
            .push(d["name"].as_str().unwrap_or("").into());
    }
    for f in json["findings"].as_array().expect("findings") {
        if let (Some(b), Some(n)) = (f["branch"].as_str(), f["name"].as_str()) {
            people.entry(b.into()).or_default().push(n.into());
        }
    }
    let ledger = fixture("demo").join("发展党员工作台账.xlsx");
    let ids: Vec<(String, String)> = sheet(&ledger, "2021年以来")
        .into_iter()
        .skip(3)
        .filter(|r| r.len() > 6 && !r[4].is_empty())
        .map(|r| (r[6].clone(), r[4].clone()))
        .collect();
    assert!(people.len() >= 5);
    for branch in people.keys() {
        let stem = branch.as_str();
        let html = std::fs::read_to_string(dir.path().join(format!("{stem}.html"))).expect("html");
        let cells = all_cells(&dir.path().join(format!("{stem}.xlsx")));
        for (other, names) in people.iter().filter(|(b, _)| *b != branch) {
            for n in names {
                // A name shared by two branches is no leak (陈晨 / 陈辰 differ).
                if people[branch].contains(n) {
                    continue;
                }
                assert!(
                    !html.contains(n.as_str()),
                    "{n} of {other} appears in {stem}.html"
                );
                assert!(
                    !cells.contains(n.as_str()),
                    "{n} of {other} appears in {stem}.xlsx"
                );
            }
        }
        for (b, id) in &ids {
            if b != branch {
                assert!(
                    !html.contains(id.as_str()) && !cells.contains(id.as_str()),
                    "an ID of {b} appears in {stem}"
                );
            }
        }
    }
}

#[test]
fn id_numbers_are_masked_unless_asked() {
    let full = "44010320000101028X";
    let dir = tempfile::tempdir().expect("tempdir");
    report(&fixture("clean"), dir.path(), &[]);
    let html = std::fs::read_to_string(dir.path().join("第二党支部.html")).expect("html");
    assert!(
        html.contains("王芳（440103********028X）") && !html.contains(full),
        "masked by default"
    );
    let summary = all_cells(&dir.path().join("summary.xlsx"));
    assert!(!summary.contains(full));
    let dir = tempfile::tempdir().expect("tempdir");
    report(&fixture("clean"), dir.path(), &["--show-id-numbers"]);
    let html = std::fs::read_to_string(dir.path().join("第二党支部.html")).expect("html");
    assert!(html.contains(full));
}

#[test]
fn summary_counts_and_colours() {
    let dir = tempfile::tempdir().expect("tempdir");
    report(&fixture("clean"), dir.path(), &[]);
    let basic = sheet(&dir.path().join("summary.xlsx"), "基本情况");
    let row = |label: &str| {
        basic
            .iter()
            .find(|r| r[0] == label)
            .cloned()
            .unwrap_or_else(|| panic!("{label}: {basic:?}"))
    };
    assert_eq!(row("合计")[1], "5");
    assert_eq!(row("女性")[1], "3"); // 李四 阿依古丽 王芳
    assert_eq!(row("少数民族")[1], "2"); // 维吾尔族 回族
    assert_eq!(row("35 岁及以下")[1], "5");
    assert_eq!(row("阶段：正式党员")[1], "1");
    // Four colours, with the reasons.
    let colours = sheet(&dir.path().join("summary.xlsx"), "四色研判");
    let first = colours
        .iter()
        .find(|r| r[0] == "第一党支部")
        .expect("第一党支部");
    // No activist or candidate left in 第一党支部 (张三 full, 李四 probationary): red, with the reason.
    assert_eq!(first[1], "红色");
    assert!(first[2].contains("没有入党积极分子和发展对象"), "{first:?}");
    let second = colours
        .iter()
        .find(|r| r[0] == "第二党支部")
        .expect("第二党支部");
    // 陈明 admitted 2025-10-10 (over a year before the as-of date), 阿依古丽 the only activist left:
    // yellow, for both reasons.
    assert_eq!(second[1], "黄色");
    assert!(second[2].contains("1 年以上未接收预备党员"), "{second:?}");
    assert!(second[2].contains("少于 2 人"), "{second:?}");
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(index.contains("四色研判") && index.contains("基本情况") && index.contains("<svg"));
    assert!(
        index.contains("<details><summary>5</summary>"),
        "numbers drill down to the people"
    );
}

#[test]
fn rating_thresholds_come_from_yaml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rating.yaml");
    std::fs::write(
        &rules,
        "branch_rating:\n  - colour: blue\n    label: 蓝色\n    hex: \"#1565c0\"\n    any: [{ no_new_activist_this_year: true }]\n  - colour: green\n    label: 绿色\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    report(
        &fixture("clean"),
        &out,
        &["--rules", rules.to_str().expect("utf-8")],
    );
    let colours = sheet(&out.join("summary.xlsx"), "四色研判");
    assert!(
        colours.iter().skip(1).all(|r| r[1] == "蓝色"),
        "{colours:?}"
    );
    assert!(colours[1][2].contains("2026 年没有新确定的入党积极分子"));
}

#[test]
fn the_plan_against_what_was_done_and_the_branches_it_lists() {
    // fixtures/demo/年度发展党员计划.xlsx (examples/gen_fixtures.rs `write_plan`): 2025 plans
    // 第一党支部 1 (李四 admitted: met), 第二党支部 2 with 1 少数民族 (陈明, 回族: total short),
    // 机关第三党支部 1 (no folder, no ledger row); 2026 is not over.
    let dir = tempfile::tempdir().expect("tempdir");
    let json = report(&fixture("demo"), dir.path(), &[]);
    let plan = sheet(&dir.path().join("summary.xlsx"), "发展计划");
    let row = |year: &str, cat: &str| {
        plan.iter()
            .find(|r| r[0] == year && r[1] == cat)
            .cloned()
            .unwrap_or_else(|| panic!("{year} {cat}: {plan:?}"))
    };
    assert_eq!(row("2025", "总数")[2..], ["4", "2", "50%"]);
    assert_eq!(row("2025", "少数民族")[2..], ["1", "1", "100%"]);
    // The demo ledger has no 学历 column: not counted, not 0.
    assert_eq!(row("2025", "高知识群体")[2..], ["1", "台账无此项", "—"]);
    assert_eq!(row("2026", "总数")[2..], ["3", "0", "0%"]);
    // The listed branch with no one in it is rated, with its own lists, and named in the JSON.
    let colours = sheet(&dir.path().join("summary.xlsx"), "四色研判");
    let third = colours
        .iter()
        .find(|r| r[0] == "机关第三党支部")
        .unwrap_or_else(|| panic!("机关第三党支部 rated: {colours:?}"));
    assert_eq!(third[1], "红色");
    assert!(dir.path().join("机关第三党支部.html").exists());
    let of = |rule: &str| -> Vec<(String, String)> {
        json["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["rule"] == rule)
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                (s("branch"), s("message"))
            })
            .collect()
    };
    let dormant = of("branch-dormant");
    assert!(
        dormant.iter().any(|(b, _)| b == "机关第三党支部"),
        "{dormant:?}"
    );
    let short = of("plan-shortfall");
    assert_eq!(
        short,
        [
            (
                "机关第三党支部".to_string(),
                "机关第三党支部2025年发展计划没有完成：总数计划 1 人、完成 0 人".to_string()
            ),
            (
                "第二党支部".to_string(),
                "第二党支部2025年发展计划没有完成：总数计划 2 人、完成 1 人".to_string()
            ),
        ]
    );
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(index.contains("发展计划完成情况"));
}

/// For each sheet of a workbook: (name, its pageSetup and sheetPr XML, its page header).
fn print_setup(path: &Path) -> Vec<(String, String, String)> {
    let file = std::fs::File::open(path).expect("workbook");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut read = |name: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).expect("part"), &mut s).expect("xml");
        s
    };
    let book = read("xl/workbook.xml");
    let names: Vec<String> = book
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let xml = read(&format!("xl/worksheets/sheet{}.xml", i + 1));
            let pick = |open: &str, close: &str| {
                xml.split(open)
                    .nth(1)
                    .and_then(|s| s.split(close).next())
                    .unwrap_or_default()
                    .to_string()
            };
            let setup = format!(
                "{} {}",
                pick("<sheetPr", "</sheetPr>"),
                pick("<pageSetup", "/>")
            );
            assert!(
                book.contains(&format!("_xlnm.Print_Titles\" localSheetId=\"{i}\"")),
                "{}: sheet {name} repeats no header row",
                path.display()
            );
            (name.clone(), setup, pick("<oddHeader>", "</oddHeader>"))
        })
        .collect()
}

#[test]
fn every_report_sheet_prints_one_page_wide_on_a4_with_its_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    report(&fixture("demo"), dir.path(), &[]);
    let mut books: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    books.sort();
    assert!(books.len() >= 7, "{books:?}");
    for book in &books {
        for (sheet, setup, header) in print_setup(book) {
            let at = format!("{} {sheet}", book.display());
            assert!(setup.contains("paperSize=\"9\""), "{at}: not A4: {setup}");
            assert!(
                setup.contains("fitToPage=\"1\"") && setup.contains("fitToHeight=\"0\""),
                "{at}: not one page wide: {setup}"
            );
            assert!(header.contains("审核基准日 2026-11-28"), "{at}: {header}");
            let wide = ["问题清单", "四色研判", "各规则", "人员明细"].contains(&sheet.as_str());
            assert_eq!(setup.contains("landscape"), wide, "{at}: {setup}");
        }
    }
}
