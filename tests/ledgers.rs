//! Ledgers as branches keep them: rosters per stage, two- and three-row headers, months typed
//! as numbers, an ID typo in a folder name, the probation year (fixtures/rosters, written by
//! `examples/shapes/rosters.rs`, in .xlsx and in .ods), and `dangan survey`.

mod common;
use common::{
    AS_OF, audit_json, check_snapshot, dangan, findings, fixture, shape_findings, triples,
};

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn t(r: &str, w: &str, s: &str) -> (String, String, String) {
    (r.to_string(), w.to_string(), s.to_string())
}

/// The findings planted in both roster archives; the .ods one differs in 孙悦 only.
fn planted() -> BTreeSet<(String, String, String)> {
    [
        t(
            "id-number-mismatch",
            "第一党支部/02-李娜（110101199607080329）",
            "id_number",
        ),
        t("ledger-conflict", "第一党支部/03-王芳", "activist"),
        t("ambiguous-month", "第一党支部/04-刘洋", "activist"),
        t("ambiguous-month", "第二党支部/陈静", "birth"),
        t("probation-too-short", "第二党支部/陈静", "converted"),
        t("ambiguous-month", "第二党支部/赵磊", "birth"),
        t("birth-date-mismatch", "第二党支部/赵磊", "birth"),
    ]
    .into_iter()
    .collect()
}

#[test]
fn rosters_in_xlsx_audit_to_exactly_the_planted_findings() {
    let (code, json) = audit_json(&fixture("rosters"), &[]);
    assert_eq!(code, 1);
    let mut want = planted();
    // The cell shows 2021.10 (number format 0.00): October, and the candidate date is early.
    want.insert(t(
        "activist-period-too-short",
        "第二党支部/孙悦",
        "candidate",
    ));
    assert_eq!(triples(&json), want);
    assert_eq!(
        shape_findings(&json).len(),
        want.len(),
        "one defect, one finding"
    );
    assert_eq!(json["summary"]["ledger_rows"], 28);
    assert_eq!(json["summary"]["ledger_people"], 7);
    assert_eq!(json["summary"]["dossiers"], 7);
    check_snapshot("rosters", &json);
}

#[test]
fn rosters_in_ods_audit_to_exactly_the_planted_findings() {
    let (code, json) = audit_json(&fixture("rosters-ods"), &[]);
    assert_eq!(code, 1);
    let mut want = planted();
    // An .ods cell's number format is not read: 2021.1 is January or October, and January
    // passes.
    want.insert(t("ambiguous-month", "第二党支部/孙悦", "activist"));
    assert_eq!(triples(&json), want);
    assert_eq!(
        shape_findings(&json).len(),
        want.len(),
        "one defect, one finding"
    );
    assert_eq!(json["summary"]["ledger_rows"], 28);
    assert_eq!(json["summary"]["ledger_people"], 7);
    check_snapshot("rosters-ods", &json);
}

#[test]
fn a_conflict_names_both_cells_and_both_values() {
    let (_, json) = audit_json(&fixture("rosters"), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "ledger-conflict")
        .expect("a ledger-conflict");
    let msg = f["message"].as_str().unwrap_or_default();
    for part in [
        "入党积极分子名册!F8",
        "2021-03-10",
        "发展对象名册!E8",
        "2021-04-10",
    ] {
        assert!(msg.contains(part), "{part} missing in {msg}");
    }
    assert_eq!(f["location"]["sheet"], "发展对象名册");
    assert_eq!(f["location"]["cell"], "E8");
}

#[test]
fn an_id_typo_masks_both_numbers() {
    let (_, json) = audit_json(&fixture("rosters"), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "id-number-mismatch")
        .expect("an id-number-mismatch");
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(msg.contains("110101********0329"), "{msg}");
    assert!(msg.contains("110101********0229"), "{msg}");
    assert!(!msg.contains("19960708"), "a birth date shown in {msg}");
}

fn survey_json(archive: &Path) -> Value {
    let out = dangan()
        .arg("survey")
        .arg(archive)
        .args(["--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("dangan survey runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("survey JSON")
}

fn sheet<'a>(survey: &'a Value, file: &str, name: &str) -> &'a Value {
    survey["spreadsheets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["file"].as_str().is_some_and(|f| f.starts_with(file)))
        .flat_map(|b| b["sheets"].as_array().into_iter().flatten())
        .find(|s| s["sheet"] == name)
        .unwrap_or_else(|| panic!("no sheet {name} in {file}"))
}

/// (header, field) of every column of a sheet; field "" where unused.
fn columns(sheet: &Value) -> Vec<(String, String)> {
    sheet["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["header"].as_str().unwrap_or_default().to_string(),
                c["field"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn survey_shows_each_sheet_its_header_and_its_columns() {
    for archive in ["rosters", "rosters-ods"] {
        let s = survey_json(&fixture(archive));
        let roster = "发展党员名册";
        let applicants = sheet(&s, roster, "入党申请人名册");
        assert_eq!(applicants["role"], "ledger");
        assert_eq!(applicants["header_rows"], serde_json::json!([4, 5]));
        assert_eq!(
            columns(applicants),
            pairs(&[
                ("序号", ""),
                ("姓名", "name"),
                ("性别", "sex"),
                ("出生年月", "birth"),
                ("所在党支部", "branch"),
                ("申请入党 › 递交申请时间", "applied"),
                ("申请入党 › 谈话时间", "talked"),
                ("备注", ""),
            ]),
            "{archive}"
        );
        // Each column at its cell in the header's last row.
        assert_eq!(
            cells_of(applicants),
            ["A5", "B5", "C5", "D5", "E5", "F5", "G5", "H5"],
            "{archive}"
        );
        assert_eq!(applicants["rows_read"], 7);
        // 合计, 填表人 and 注： under the data.
        assert_eq!(applicants["rows_skipped"], 3);
        let reasons: Vec<&str> = applicants["skipped"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["reason"].as_str())
            .collect();
        assert_eq!(reasons, ["合计、签名或说明行"; 3]);

        let activists = sheet(&s, roster, "入党积极分子名册");
        let cols = columns(activists);
        assert!(
            cols.contains(&("培养联系人 › 1".into(), "contacts".into())),
            "{cols:?}"
        );
        assert!(
            cols.contains(&("培养联系人 › 2".into(), "contacts".into())),
            "{cols:?}"
        );

        // Groups written once, the cells to their right left empty: read the same way.
        let candidates = sheet(&s, roster, "发展对象名册");
        assert_eq!(candidates["header_rows"], serde_json::json!([4, 5]));
        let cols = columns(candidates);
        for (h, f) in [
            ("发展对象 › 确定时间", "candidate"),
            ("发展对象 › 政审时间", "vetted"),
            ("发展对象 › 集中培训时间", "trained"),
            ("入党介绍人 › 2", "introducers"),
        ] {
            assert!(cols.contains(&(h.into(), f.into())), "{h} in {cols:?}");
        }

        let probation = sheet(&s, roster, "预备党员名册");
        let cols = columns(probation);
        for (h, f) in [
            ("接收预备党员 › 支部大会时间", "admitted"),
            ("接收预备党员 › 上级党委审批时间", "approved"),
            ("转正 › 支部大会时间", "converted"),
            ("转正 › 上级党委审批时间", "conversion_approved"),
        ] {
            assert!(cols.contains(&(h.into(), f.into())), "{h} in {cols:?}");
        }

        // A three-row header under a title row.
        let yearly = sheet(&s, "2021年", "2021");
        assert_eq!(yearly["header_rows"], serde_json::json!([2, 4]));
        assert!(
            cells_of(yearly).iter().all(|c| c.ends_with('4')),
            "{yearly}"
        );
        let cols = columns(yearly);
        assert!(
            cols.contains(&(
                "发展党员各环节时间 › 入党积极分子 › 确定时间".into(),
                "activist".into()
            )),
            "{cols:?}"
        );
        assert!(cols.contains(&("姓名".into(), "name".into())), "{cols:?}");
        assert_eq!(yearly["rows_read"], 2);

        assert_eq!(s["people"]["rows"], 28, "{archive}");
        assert_eq!(s["people"]["people"], 7, "{archive}");
        assert_eq!(s["people"]["merged"], 7, "{archive}");
    }
}

#[test]
fn survey_in_words_for_a_person() {
    let out = dangan()
        .arg("survey")
        .arg(fixture("rosters"))
        .args(["--as-of", AS_OF])
        .output()
        .expect("dangan survey runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("工作表“入党申请人名册”：台账/名册，表头第 4–5 行，读取 7 行，跳过 3 行"),
        "{text}"
    );
    assert!(text.contains("台账 28 行，合并为 7 人"), "{text}");
    assert!(
        text.contains("跳过第 13 行（合计、签名或说明行）：合计 7人"),
        "{text}"
    );
}

/// A workbook with one sheet of the given rows (text cells).
fn workbook(path: &Path, rows: &[&[&str]]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).expect("cell");
            }
        }
    }
    wb.save(path).expect("save workbook");
}

#[test]
fn ledger_not_found_says_what_came_nearest() {
    let dir = tempfile::tempdir().expect("tempdir");
    workbook(
        &dir.path().join("名单.xlsx"),
        &[
            &["序号", "姓名", "申请入党时间", "备注"],
            &["1", "张三", "2021.03.05", ""],
        ],
    );
    std::fs::create_dir_all(dir.path().join("一支部/张三")).expect("mkdir");
    std::fs::write(dir.path().join("一支部/张三/入党申请书.pdf"), b"%PDF-1.4\n").expect("pdf");
    let (_, json) = audit_json(dir.path(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "ledger-not-found")
        .expect("ledger-not-found");
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("名单.xlsx 工作表“Sheet1” 第 1 行认出 姓名、申请入党时间，缺少至少两个时间列（现有 1 个）"),
        "{msg}"
    );
    let s = survey_json(dir.path());
    assert!(
        s["near_miss"]
            .as_str()
            .is_some_and(|n| n.contains("名单.xlsx")),
        "{s}"
    );
}

#[test]
fn a_person_twice_on_one_sheet_is_a_repeated_row_not_a_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let id = "11010519491231002X";
    workbook(
        &dir.path().join("台账.xlsx"),
        &[
            &[
                "姓名",
                "身份证号码",
                "所在党支部",
                "申请入党时间",
                "谈话时间",
            ],
            &["张三", id, "一支部", "2021.03.05", "2021.03.20"],
            &["张三", id, "一支部", "2021.03.05", "2021.03.25"],
        ],
    );
    std::fs::create_dir_all(dir.path().join("一支部/张三")).expect("mkdir");
    std::fs::write(dir.path().join("一支部/张三/入党申请书.pdf"), b"%PDF-1.4\n").expect("pdf");
    let (_, json) = audit_json(dir.path(), &[]);
    let rules: BTreeSet<&str> = findings(&json)
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains("duplicate-person"), "{rules:?}");
    assert!(!rules.contains("ledger-conflict"), "{rules:?}");
    assert_eq!(json["summary"]["ledger_people"], 2);
}

#[test]
fn a_user_adds_a_group_and_its_sub_column_in_yaml() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("档案");
    std::fs::create_dir_all(archive.join("一支部/张三")).expect("mkdir");
    std::fs::write(archive.join("一支部/张三/入党申请书.pdf"), b"%PDF-1.4\n").expect("pdf");
    workbook(
        &archive.join("名册.xlsx"),
        &[
            &["姓名", "所在党支部", "申请入党时间", "积极分子", ""],
            &["", "", "", "认定日期", "联系人"],
            &["张三", "一支部", "2021.03.05", "2021.09.01", "王五"],
        ],
    );
    let rules = dir.path().join("local.yaml");
    std::fs::write(
        &rules,
        "fields:\n  activist:\n    aliases: [积极分子>认定时间]\n  contacts:\n    aliases: [积极分子>联系人]\n",
    )
    .expect("rules");
    // Without the alias the sheet has one date column: no ledger.
    let (_, json) = audit_json(&archive, &[]);
    assert!(
        findings(&json)
            .iter()
            .any(|f| f["rule"] == "ledger-not-found"),
        "{json}"
    );
    let (_, json) = audit_json(&archive, &["--rules", rules.to_str().expect("utf-8")]);
    let fired: BTreeSet<(String, String, String)> = triples(&json)
        .into_iter()
        .filter(|(r, _, _)| r != "unreadable-file") // the stub PDF
        .collect();
    assert_eq!(
        fired,
        [t("missing-document", "一支部/张三", "activist_assessment")]
            .into_iter()
            .collect(),
        "{json}"
    );
    assert_eq!(json["dossiers"][0]["stage"], "activist");
}

/// The rules that stay silent for lack of a ledger column, as the survey lists them.
fn checks_not_run(archive: &Path) -> Vec<(String, String)> {
    survey_json(archive)["checks_not_run"]
        .as_array()
        .expect("checks_not_run is a list")
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap_or_default().to_string(),
                c["reason"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn survey_says_which_checks_cannot_run_for_lack_of_a_column() {
    // The demo ledger has no 入党介绍人, 公示时间 or 党委谈话时间 column: those rules are silent
    // there, and the survey says so, naming the column.
    let demo = checks_not_run(&fixture("demo"));
    let reason = |list: &[(String, String)], rule: &str| {
        list.iter()
            .find(|(r, _)| r == rule)
            .map(|(_, why)| why.clone())
    };
    assert_eq!(
        reason(&demo, "introducers").as_deref(),
        Some("台账没有「入党介绍人」列")
    );
    assert_eq!(
        reason(&demo, "publicity-too-short").as_deref(),
        Some("台账没有「公示时间」列")
    );
    assert_eq!(
        reason(&demo, "approval-talk-missing").as_deref(),
        Some("台账没有「党委谈话时间」列")
    );
    // Rules whose columns the demo has are not listed.
    for rule in ["milestone-order", "approval-overdue", "training-too-short"] {
        assert_eq!(reason(&demo, rule), None, "{rule} can run on the demo");
    }
    // The rosters keep 入党介绍人 and 培养联系人: those two can run there.
    let rosters = checks_not_run(&fixture("rosters"));
    assert_eq!(reason(&rosters, "introducers"), None);
    assert_eq!(reason(&rosters, "contacts"), None);
    assert!(reason(&rosters, "publicity-too-short").is_some());
    // Without a ledger, no ledger rule can run, and that is the reason given.
    let none = checks_not_run(&fixture("no-ledger"));
    assert_eq!(
        reason(&none, "milestone-order").as_deref(),
        Some("未找到台账")
    );
    // A content rule that compares with the ledger needs it too; one that reads only the
    // documents does not.
    assert_eq!(
        reason(&none, "document-date-mismatch").as_deref(),
        Some("未找到台账")
    );
    assert!(
        reason(&none, "theory-not-current").is_none_or(|why| !why.contains("台账")),
        "{none:?}"
    );
    assert!(
        reason(&demo, "document-date-mismatch").is_none_or(|why| !why.contains("台账")),
        "{demo:?}"
    );
    let text = dangan()
        .arg("survey")
        .arg(fixture("demo"))
        .output()
        .expect("dangan survey runs");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("无法运行的检查") && text.contains("台账没有「入党介绍人」列：introducers"),
        "{text}"
    );
}

/// A ledger longer than any stride a reader uses (600 rows, as .xlsx and as .csv) read row by
/// row: every row, in order, each with its own name and dates.
#[test]
fn every_row_of_a_long_ledger_is_read_in_order() {
    use dangan::ledger::{DateBounds, HeaderIndex, read_workbook};
    let config = dangan::config::load(&[] as &[&str]).expect("default rules");
    let headers = HeaderIndex::new(&config.schema);
    let bounds = DateBounds {
        earliest: jiff::civil::date(1990, 1, 1),
        as_of: jiff::civil::date(2026, 11, 28),
    };
    const N: usize = 600;
    let header = [
        "序号",
        "姓名",
        "党支部",
        "申请入党时间",
        "确定为入党积极分子时间",
    ];
    let row = |i: usize| {
        [
            (i + 1).to_string(),
            format!("人员{i:04}"),
            format!("第{}党支部", i % 7 + 1),
            format!("2021-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            format!("2022-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
        ]
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("cell");
    }
    let mut csv = header.join(",") + "\n";
    for i in 0..N {
        for (c, v) in row(i).iter().enumerate() {
            ws.write_string(i as u32 + 1, c as u16, v).expect("cell");
        }
        csv.push_str(&(row(i).join(",") + "\n"));
    }
    wb.save(dir.path().join("台账.xlsx")).expect("save");
    std::fs::write(dir.path().join("台账.csv"), csv).expect("csv");
    let name = config.schema.field("name");
    let applied = config.schema.field("applied");
    for file in ["台账.xlsx", "台账.csv"] {
        let size = std::fs::metadata(dir.path().join(file))
            .expect("meta")
            .len();
        let entry = dangan::walk::FileEntry::new(file.to_string(), size, None);
        let read = read_workbook(dir.path(), &entry, &config.schema, &headers, bounds);
        assert_eq!(read.problem, None, "{file}");
        assert_eq!(read.ledger_rows.len(), N, "{file}");
        for (i, r) in read.ledger_rows.iter().enumerate() {
            let [_, want_name, _, want_date, _] = row(i);
            assert_eq!(
                r.text(name),
                Some(want_name.as_str()),
                "{file} row {}",
                i + 2
            );
            let date = r
                .value(applied.expect("applied"))
                .and_then(|v| v.date())
                .map(|d| d.earliest().to_string());
            assert_eq!(
                date.as_deref(),
                Some(want_date.as_str()),
                "{file} row {}",
                i + 2
            );
        }
    }
}

#[test]
fn survey_shows_resume_and_plan_sheets_their_header_and_rows() {
    let clean = survey_json(&fixture("clean"));
    let resumes = sheet(&clean, "人员简历", "简历");
    assert_eq!(resumes["role"], "resume");
    assert_eq!(resumes["header_rows"], serde_json::json!([2, 2]));
    assert_eq!(resumes["rows_read"], 4);
    let demo = survey_json(&fixture("demo"));
    let yearly = sheet(&demo, "年度发展党员计划", "年度计划");
    assert_eq!(yearly["role"], "plan");
    assert_eq!(yearly["header_rows"], serde_json::json!([2, 3]));
    assert_eq!(yearly["rows_read"], 4);
    let branches = sheet(&demo, "年度发展党员计划", "支部名单");
    assert_eq!(branches["rows_read"], 6);
    let catalogs = survey_json(&fixture("catalogs"));
    let branch = sheet(&catalogs, "第二党支部/第二党支部卷内目录", "卷内目录");
    assert_eq!(branch["role"], "catalog");
    assert_eq!(
        columns(branch),
        pairs(&[
            ("姓名", "name"),
            ("题名", "catalog.title"),
            ("日期", "catalog.date"),
            ("页数", "catalog.pages"),
        ])
    );
}

/// The `ledger-not-found` message of an archive whose one workbook has the given rows.
fn nearest(rows: &[&[&str]]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    workbook(&dir.path().join("名单.xlsx"), rows);
    std::fs::create_dir_all(dir.path().join("一支部/张三")).expect("mkdir");
    std::fs::write(dir.path().join("一支部/张三/入党申请书.pdf"), b"%PDF-1.4\n").expect("pdf");
    let (_, json) = audit_json(dir.path(), &[]);
    findings(&json)
        .iter()
        .find(|f| f["rule"] == "ledger-not-found")
        .and_then(|f| f["message"].as_str())
        .expect("ledger-not-found")
        .to_string()
}

#[test]
fn a_near_miss_over_two_rows_lacks_only_the_name() {
    // Two header rows map three fields (one row alone maps one): the near miss is the two
    // rows, and with exactly two time columns it lacks only the name.
    let msg = nearest(&[
        &["序号", "申请入党时间", "入党积极分子", ""],
        &["", "", "确定时间", "培养联系人"],
        &["1", "2021.03.05", "2021.09.01", "王五"],
    ]);
    assert!(
        msg.contains("第 1 行认出 申请入党时间、确定为入党积极分子时间、培养联系人，缺少姓名列）"),
        "{msg}"
    );
    assert!(!msg.contains("至少两个时间列"), "{msg}");
    // Of two near misses alike, the first is named.
    let msg = nearest(&[
        &["序号", "姓名", "申请入党时间"],
        &["1", "张三", "2021.03.05"],
        &[],
        &["序号", "姓名", "申请入党时间"],
        &["1", "李四", "2021.04.05"],
    ]);
    assert!(
        msg.contains("第 1 行认出 姓名、申请入党时间，缺少"),
        "{msg}"
    );
    // A second row that maps as many fields, other ones, does not replace the first.
    let msg = nearest(&[
        &["姓名", "确定为入党积极分子时间"],
        &["", "谈话时间"],
        &["张三", "2021.09.01"],
    ]);
    assert!(
        msg.contains("第 1 行认出 姓名、确定为入党积极分子时间，缺少"),
        "{msg}"
    );
}

#[test]
fn a_plan_under_a_title_row_starts_below_it() {
    // A title over a one-row plan header is no part of the header: the survey shows the header
    // on its own row, as it does a ledger's. A plan header over two rows (计划发展党员数 over
    // its categories) keeps both.
    let dir = tempfile::tempdir().expect("tempdir");
    workbook(
        &dir.path().join("年度发展党员计划.xlsx"),
        &[
            &["2021年度发展党员计划"],
            &["党支部", "年度", "总数", "高知识群体"],
            &["第一党支部", "2021", "3", "1"],
            &["第二党支部", "2021", "2", "0"],
        ],
    );
    workbook(
        &dir.path().join("发展党员计划.xlsx"),
        &[
            &["党支部", "年度", "计划发展党员数", ""],
            &["", "", "总数", "高知识群体"],
            &["第一党支部", "2021", "3", "1"],
        ],
    );
    let s = survey_json(dir.path());
    let titled = sheet(&s, "年度发展党员计划", "Sheet1");
    assert_eq!(titled["role"], "plan", "{titled}");
    assert_eq!(titled["header_rows"], serde_json::json!([2, 2]), "{titled}");
    assert_eq!(titled["rows_read"], 2, "{titled}");
    let grouped = sheet(&s, "发展党员计划", "Sheet1");
    assert_eq!(
        grouped["header_rows"],
        serde_json::json!([1, 2]),
        "{grouped}"
    );
    assert_eq!(grouped["rows_read"], 1, "{grouped}");
    // The columns at their cells in the header's last row.
    assert_eq!(cells_of(titled), ["A2", "B2", "C2", "D2"]);
    assert_eq!(cells_of(grouped), ["A2", "B2", "C2", "D2"]);
}

/// The cells of a sheet's columns in the survey.
fn cells_of(sheet: &Value) -> Vec<String> {
    sheet["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["cell"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_catalog_sheet_shows_its_name_and_id_columns() {
    // A branch's catalog with the person's name and ID number beside each row, and a branch
    // column the catalog does not use: each column the catalog reads at its cell, under the
    // field it is read as.
    let catalog = &one_sheet(
        "卷内目录.xlsx",
        &[
            &["卷内目录"],
            &[
                "序号",
                "所在党支部",
                "身份证号码",
                "姓名",
                "题名",
                "日期",
                "页数",
            ],
            &[
                "1",
                "第一党支部",
                "",
                "张三",
                "入党申请书",
                "2021.03.05",
                "2",
            ],
        ],
    );
    assert_eq!(catalog["role"], "catalog", "{catalog}");
    assert_eq!(
        catalog["header_rows"],
        serde_json::json!([2, 2]),
        "{catalog}"
    );
    let fields: Vec<String> = catalog["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["field"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        fields,
        [
            "id_number",
            "name",
            "catalog.title",
            "catalog.date",
            "catalog.pages"
        ]
    );
    assert_eq!(cells_of(catalog), ["C2", "D2", "E2", "F2", "G2"]);
    assert_eq!(catalog["rows_read"], 1, "{catalog}");
}

#[test]
fn a_sheet_lists_its_first_twenty_skipped_rows_and_counts_the_rest() {
    let mut rows: Vec<Vec<String>> = vec![
        vec![
            "姓名".into(),
            "申请入党时间".into(),
            "确定为入党积极分子时间".into(),
        ],
        vec!["张三".into(), "2021.03.05".into(), "2021.09.01".into()],
    ];
    for k in 1..=21 {
        rows.push(vec![
            format!("说明：第 {k} 条"),
            String::new(),
            String::new(),
        ]);
    }
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let ledger = &one_sheet("台账.xlsx", &refs);
    assert_eq!(ledger["rows_read"], 1, "{ledger}");
    assert_eq!(ledger["rows_skipped"], 21, "{ledger}");
    let listed = ledger["skipped"].as_array().map(Vec::len);
    assert_eq!(listed, Some(20), "{ledger}");
    assert_eq!(ledger["skipped"][19]["row"], 22, "{ledger}");
}

#[test]
fn a_total_row_is_known_however_its_first_character_is_written() {
    // A zero-width space pasted in front of 合计, and 小计 with the Kangxi radical ⼩ (as some
    // converted text has it): totals all the same, not people.
    let ledger = &one_sheet(
        "台账.xlsx",
        &[
            &["姓名", "申请入党时间", "确定为入党积极分子时间"],
            &["张三", "2021.03.05", "2021.09.01"],
            &["\u{200b}合计", "1", ""],
            &["\u{2f29}计", "1", ""],
            &["李四", "2021.04.05", "2021.10.01"],
            // 合计 under a date column, a blank cell before it.
            &[" ", "合计", ""],
        ],
    );
    assert_eq!(ledger["rows_read"], 2, "{ledger}");
    assert_eq!(ledger["rows_skipped"], 3, "{ledger}");
    let reasons: Vec<&str> = ledger["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["reason"].as_str())
        .collect();
    assert_eq!(reasons, ["合计、签名或说明行"; 3], "{ledger}");
}

#[test]
fn a_header_takes_more_rows_only_when_they_map_more() {
    // A row of format hints under a one-row header maps nothing more (a hint in brackets is
    // dropped): the header is the one row, and the hint row is passed over as no person.
    let ledger = &one_sheet(
        "台账.xlsx",
        &[
            &["姓名", "申请入党时间", "确定为入党积极分子时间"],
            &["", "（年.月）", "（年.月）"],
            &["张三", "2021.03", "2021.09"],
        ],
    );
    assert_eq!(ledger["header_rows"], serde_json::json!([1, 1]), "{ledger}");
    assert_eq!(ledger["rows_read"], 1, "{ledger}");
    assert_eq!(ledger["skipped"][0]["row"], 2, "{ledger}");
}

#[test]
fn columns_past_the_1024th_are_not_read() {
    // A header whose second time column is the 1,024th column is a ledger; one past it is
    // beyond what is read (a sheet's far cells never grow a row).
    let role = |col: u16| {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "姓名").expect("cell");
        ws.write_string(0, 1, "申请入党时间").expect("cell");
        ws.write_string(0, col, "确定为入党积极分子时间")
            .expect("cell");
        ws.write_string(1, 0, "张三").expect("cell");
        ws.write_string(1, 1, "2021.03.05").expect("cell");
        ws.write_string(1, col, "2021.09.01").expect("cell");
        wb.save(dir.path().join("台账.xlsx")).expect("save");
        let s = survey_json(dir.path());
        sheet(&s, "台账", "Sheet1")["role"].clone()
    };
    assert_eq!(role(1023), "ledger");
    assert_ne!(role(1024), "ledger");
}

#[test]
fn a_resume_sheet_needs_both_ends_or_a_span() {
    let role = |rows: &[&[&str]]| one_sheet("简历.xlsx", rows)["role"].clone();
    let both: [&[&str]; 2] = [
        &["起始时间", "终止时间", "在何单位任何职"],
        &["2016.09", "2020.07", "某大学学生"],
    ];
    let span: [&[&str]; 2] = [
        &["起止时间", "在何单位任何职"],
        &["2016.09-2020.07", "某大学学生"],
    ];
    let start: [&[&str]; 2] = [&["起始时间", "在何单位任何职"], &["2016.09", "某大学学生"]];
    let end: [&[&str]; 2] = [&["终止时间", "在何单位任何职"], &["2020.07", "某大学学生"]];
    assert_eq!(role(&both), "resume");
    assert_eq!(role(&span), "resume");
    assert_ne!(role(&start), "resume");
    assert_ne!(role(&end), "resume");
}

#[test]
fn ledgers_without_a_branch_column_take_their_folders_branch() {
    // Each branch keeps its ledger in its folder, with no 党支部 column, and each has a 张三:
    // two people, one in each branch, each joined to the dossier in that branch.
    let dir = tempfile::tempdir().expect("tempdir");
    for (branch, applied) in [("第一党支部", "2021.03.05"), ("第二党支部", "2022.04.06")]
    {
        let folder = dir.path().join(branch);
        std::fs::create_dir_all(folder.join("张三")).expect("mkdir");
        workbook(
            &folder.join("台账.xlsx"),
            &[
                &["姓名", "申请入党时间", "确定为入党积极分子时间"],
                &["张三", applied, ""],
            ],
        );
        std::fs::write(folder.join("张三/入党申请书.pdf"), b"%PDF-1.4\n").expect("pdf");
    }
    let (_, json) = audit_json(dir.path(), &[]);
    assert_eq!(json["summary"]["ledger_people"], 2, "{:#}", json["summary"]);
    let joined: Vec<&Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "dossier-without-ledger-row" || f["rule"] == "ledger-conflict")
        .collect();
    assert!(joined.is_empty(), "{joined:#?}");
}

#[test]
fn a_milestone_no_sheet_of_a_merged_person_has_is_not_missing() {
    // 张三 on two rosters of his branch, merged: neither has a 政审时间 or 集中培训时间 column,
    // so nothing is missing there though later milestones are filled. A roster with the
    // column, empty, makes it missing.
    let missing = |second: &[&str]| {
        let dir = tempfile::tempdir().expect("tempdir");
        let folder = dir.path().join("第一党支部");
        std::fs::create_dir_all(folder.join("张三")).expect("mkdir");
        std::fs::write(folder.join("张三/入党申请书.pdf"), b"%PDF-1.4\n").expect("pdf");
        workbook(
            &folder.join("积极分子名册.xlsx"),
            &[
                &["姓名", "申请入党时间", "确定为入党积极分子时间"],
                &["张三", "2021.03.05", "2021.09.01"],
            ],
        );
        let mut dates = vec!["张三", "2022.09.01", "2023.06.01"];
        dates.resize(second.len(), "");
        workbook(&folder.join("预备党员名册.xlsx"), &[second, &dates]);
        let (_, json) = audit_json(dir.path(), &[]);
        assert_eq!(json["summary"]["ledger_people"], 1, "{:#}", json["summary"]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "missing-milestone")
            .filter_map(|f| f["subject"].as_str().map(str::to_string))
            .collect::<Vec<_>>()
    };
    let without = ["姓名", "确定为发展对象时间", "接收为预备党员时间"];
    assert_eq!(missing(&without), Vec::<String>::new());
    let with = [
        "姓名",
        "确定为发展对象时间",
        "接收为预备党员时间",
        "政审时间",
    ];
    assert_eq!(missing(&with), ["vetted"]);
}

/// The survey of an archive holding one workbook, `file`, of one sheet of `rows`: that
/// sheet's part.
fn one_sheet(file: &str, rows: &[&[&str]]) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    workbook(&dir.path().join(file), rows);
    let stem = file.trim_end_matches(".xlsx");
    sheet(&survey_json(dir.path()), stem, "Sheet1").clone()
}
