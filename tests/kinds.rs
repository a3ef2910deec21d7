//! One test per rule kind on a tiny archive built in code, beside the whole-archive snapshots:
//! one branch, one probationary member 李四 (her eight materials and her resume, as scanned),
//! a one-row ledger written here. The tiny archive as built audits clean; each case plants one
//! defect and must fire its kind's rule. `every_kind_has_a_case` fails when a kind is added to
//! the registry without a case here.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{audit_json, findings, fixture};
use rust_xlsxwriter::Workbook;

const BRANCH: &str = "第一党支部";
const LEDGER: &str = "发展党员工作台账.xlsx";
const HEADER: [&str; 30] = [
    "姓名",
    "性别",
    "民族",
    "身份证号码",
    "出生年月",
    "所在党支部",
    "申请入党时间",
    "谈话时间",
    "确定为入党积极分子时间",
    "确定为发展对象时间",
    "政审时间",
    "集中培训时间",
    "接收为预备党员时间",
    "上级党委审批时间",
    "转为正式党员时间",
    "转正审批时间",
    "备注",
    "培养联系人",
    "入党介绍人",
    "公示时间",
    "支委会审查时间",
    "预审时间",
    "党委谈话时间",
    "转正申请时间",
    "延长预备期",
    "取消预备党员资格时间",
    "集中培训学时",
    "转正支部大会时间",
    "入党宣誓时间",
    "思想汇报时间",
];

/// A ledger cell: text, or a number (as Excel stores a typed 2021.1).
#[derive(Clone)]
enum Cell {
    T(String),
    N(f64),
}

/// A GB 11643 number with its check digit.
fn id(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// 李四's ledger row: a probationary member admitted 2025-09-01, every step of the procedure
/// recorded, in order and in time.
fn li_si() -> Vec<Cell> {
    [
        "李四",
        "女",
        "汉族",
        &id("32010219980712024"),
        "1998.07",
        BRANCH,
        "2023.03",
        "2023.03",
        "2023.05.10",
        "2024.05.10",
        "2025.06.01",
        "2025.06.10-12",
        "2025.09.01",
        "2025.11.20",
        "",
        "",
        "",
        "王强",
        "王强、赵刚",
        // Monday to Friday: five working days.
        "2025.08.04-2025.08.08",
        "2025.08.15",
        "2025.08.20",
        "2025.11.10",
        "",
        "",
        "",
        "",
        "",
        // The oath the day of admission.
        "2025.09.01",
        "",
    ]
    .iter()
    .map(|s| Cell::T(s.to_string()))
    .collect()
}

fn set(row: &mut [Cell], column: &str, value: Cell) {
    let i = HEADER.iter().position(|h| *h == column).expect("column");
    row[i] = value;
}

fn text(s: &str) -> Cell {
    Cell::T(s.to_string())
}

fn write_sheet(path: &Path, header: &[&str], rows: &[Vec<Cell>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::T(s) if s.is_empty() => {}
                Cell::T(s) => drop(ws.write_string(r, c, s.as_str()).expect("cell")),
                Cell::N(n) => drop(ws.write_number(r, c, *n).expect("cell")),
            }
        }
    }
    wb.save(path).expect("save workbook");
}

/// The ledger with one header cell written otherwise (李四's row unchanged).
fn header_as(t: &Tiny, from: &str, to: &str) {
    let header: Vec<&str> = HEADER
        .iter()
        .map(|h| if *h == from { to } else { h })
        .collect();
    assert!(header.contains(&to), "{from} is a header");
    write_sheet(&t.root().join(LEDGER), &header, &[li_si()]);
}

/// A 年度发展计划 at the archive's root: (branch, year, 总数, 少数民族, 高知识群体) rows.
fn plan(t: &Tiny, rows: &[(&str, &str, &str, &str, &str)]) {
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| [r.0, r.1, r.2, r.3, r.4].map(text).to_vec())
        .collect();
    write_sheet(
        &t.root().join("年度发展党员计划.xlsx"),
        &["支部", "年度", "总数", "少数民族", "高知识群体"],
        &rows,
    );
}

/// A resume sheet: (span, what) lines.
fn write_resume(path: &Path, lines: &[(&str, &str)]) {
    let rows: Vec<Vec<Cell>> = lines
        .iter()
        .enumerate()
        .map(|(i, (span, what))| vec![Cell::N(i as f64 + 1.0), text(span), text(what)])
        .collect();
    write_sheet(path, &["序号", "起止时间", "在何单位任何职"], &rows);
}

/// 李四's catalog as it should be: (题名, 页数, 日期) in filing order; the resume is a
/// spreadsheet, its pages unknown.
fn li_catalog() -> Vec<(&'static str, &'static str, &'static str)> {
    vec![
        ("入党申请书", "1", "2023.03"),
        ("入党积极分子培养教育考察登记表", "1", ""),
        ("自传", "1", ""),
        ("简历", "", ""),
        ("政审材料", "1", ""),
        ("集中培训表", "1", ""),
        ("入党志愿书", "1", "2025.09.01"),
        ("预备党员考察表", "1", ""),
    ]
}

/// A catalog in 李四's folder: 序号 | 题名 | 日期 | 页数.
fn write_catalog(t: &Tiny, rows: &[(&str, &str, &str)]) {
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .enumerate()
        .map(|(i, (title, pages, date))| {
            vec![
                Cell::N(i as f64 + 1.0),
                text(title),
                text(date),
                text(pages),
            ]
        })
        .collect();
    write_sheet(
        &t.person().join("卷内目录.xlsx"),
        &["序号", "题名", "日期", "页数"],
        &rows,
    );
}

/// 李四's catalog with one change.
fn catalog_with(
    t: &Tiny,
    change: impl FnOnce(&mut Vec<(&'static str, &'static str, &'static str)>),
) {
    let mut rows = li_catalog();
    change(&mut rows);
    write_catalog(t, &rows);
}

struct Tiny {
    dir: tempfile::TempDir,
    /// Files beside the archive (a waivers file), not in it.
    beside: tempfile::TempDir,
}

impl Tiny {
    /// The archive as built: it audits clean.
    fn new() -> Tiny {
        let t = Tiny {
            dir: tempfile::tempdir().expect("tempdir"),
            beside: tempfile::tempdir().expect("tempdir"),
        };
        let person = t.person();
        std::fs::create_dir_all(&person).expect("mkdir");
        common::copy_tree(&fixture("clean").join(BRANCH).join("李四"), &person);
        t.ledger(&[li_si()]);
        t
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn person(&self) -> PathBuf {
        self.root().join(BRANCH).join("李四")
    }

    fn ledger(&self, rows: &[Vec<Cell>]) {
        write_sheet(&self.root().join(LEDGER), &HEADER, rows);
    }

    /// The ledger with 李四's row changed.
    fn row(&self, change: impl FnOnce(&mut Vec<Cell>)) {
        let mut row = li_si();
        change(&mut row);
        self.ledger(&[row]);
    }

    fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.root().join(rel)).expect("read")
    }

    /// The audit's complaint about the rule file `rules:` + `yaml` beside the archive, which
    /// it must refuse (exit 2) at load.
    fn refused(&self, yaml: &str) -> String {
        let path = self.beside.path().join("refused.yaml");
        std::fs::write(&path, format!("rules:\n{yaml}")).expect("rules");
        let out = common::dangan()
            .args(["audit", "--as-of", "2026-11-28", "--rules"])
            .arg(&path)
            .arg(self.root())
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(2), "{yaml}: {err}");
        err
    }

    /// The rules that fired, with any extra arguments.
    fn fired(&self, extra: &[&str]) -> BTreeSet<String> {
        let (_, json) = audit_json(self.root(), extra);
        findings(&json)
            .iter()
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect()
    }
}

const LI: &str = "第一党支部/李四";

/// The messages of a run's findings of any of `rules`, in the report's order.
fn messages(json: &serde_json::Value, rules: &[&str]) -> Vec<String> {
    findings(json)
        .iter()
        .filter(|f| rules.iter().any(|r| f["rule"] == *r))
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A scan from the clean fixture: a JPEG whose JFIF header says 300 dpi.
fn jpeg() -> Vec<u8> {
    std::fs::read(fixture("clean").join("第一党支部/01-张三/入党志愿书（1）.jpg")).expect("jpeg")
}

/// A change to the tiny archive; the extra arguments of the run.
type Plant = fn(&Tiny) -> Vec<String>;

/// (kind, the default rule of that kind, the defect planted).
type Case = (&'static str, &'static str, Plant);

fn cases() -> Vec<Case> {
    vec![
        ("required-documents", "missing-document", |t| {
            std::fs::remove_file(t.person().join("自传.pdf")).expect("rm");
            Vec::new()
        }),
        ("unrecognized-file", "unrecognized-file", |t| {
            t.write(&format!("{LI}/随手记.jpg"), &jpeg());
            Vec::new()
        }),
        ("ambiguous-file", "ambiguous-file", |t| {
            let p = t.person();
            std::fs::rename(p.join("预备党员考察表.pdf"), p.join("考察表.pdf")).expect("mv");
            Vec::new()
        }),
        (
            "combined-file-unverifiable",
            "combined-file-unverifiable",
            |t| {
                std::fs::remove_dir_all(t.person()).expect("rm");
                let combined = fixture("folders").join("第二党支部/何静/何静档案.pdf");
                t.write(
                    &format!("{LI}/李四档案.pdf"),
                    &std::fs::read(combined).expect("pdf"),
                );
                Vec::new()
            },
        ),
        ("unreadable-file", "unreadable-file", |t| {
            t.write(&format!("{LI}/自传.pdf"), b"%PDF-1.4\n%%EOF garbage");
            Vec::new()
        }),
        ("empty-file", "empty-file", |t| {
            t.write(&format!("{LI}/自传.pdf"), b"");
            Vec::new()
        }),
        ("format-mismatch", "format-mismatch", |t| {
            t.write(&format!("{LI}/自传.pdf"), &jpeg());
            Vec::new()
        }),
        ("low-resolution", "low-resolution", |t| {
            let mut j = jpeg();
            // JFIF density: units 1 (dpi), 72 × 72.
            j[13] = 1;
            j[14..18].copy_from_slice(&[0, 72, 0, 72]);
            t.write(&format!("{LI}/思想汇报.jpg"), &j);
            Vec::new()
        }),
        ("duplicate-file", "duplicate-file", |t| {
            let bytes = t.read(&format!("{LI}/自传.pdf"));
            t.write(&format!("{LI}/自传（副本）.pdf"), &bytes);
            Vec::new()
        }),
        ("ledger-not-found", "ledger-not-found", |t| {
            std::fs::remove_file(t.root().join(LEDGER)).expect("rm");
            Vec::new()
        }),
        ("unmatched-dossier", "dossier-without-ledger-row", |t| {
            let bytes = t.read(&format!("{LI}/自传.pdf"));
            t.write("第一党支部/王五/入党申请书.pdf", &bytes[..bytes.len() - 1]);
            Vec::new()
        }),
        ("unmatched-ledger-row", "ledger-row-without-dossier", |t| {
            let mut other = li_si();
            set(&mut other, "姓名", text("赵六"));
            set(&mut other, "身份证号码", text(&id("11010119950101001")));
            set(&mut other, "出生年月", text("1995.01"));
            t.ledger(&[li_si(), other]);
            Vec::new()
        }),
        ("unmatched-resume", "resume-without-person", |t| {
            write_sheet(
                &t.root().join("人员简历.xlsx"),
                &["姓名", "起止时间", "在何单位任何职"],
                &[vec![
                    text("孙七"),
                    text("2010.09—2014.07"),
                    text("某大学学生"),
                ]],
            );
            Vec::new()
        }),
        ("duplicate-person", "duplicate-person", |t| {
            let mut other = li_si();
            set(&mut other, "姓名", text("赵六"));
            t.ledger(&[li_si(), other]);
            Vec::new()
        }),
        ("invalid-date", "invalid-date", |t| {
            t.row(|r| set(r, "政审时间", text("2022年2月30日")));
            Vec::new()
        }),
        ("missing-milestone", "missing-milestone", |t| {
            t.row(|r| set(r, "政审时间", text("")));
            Vec::new()
        }),
        ("milestone-order", "milestone-order", |t| {
            t.row(|r| set(r, "确定为发展对象时间", text("2023.05.09")));
            Vec::new()
        }),
        // The content kinds, with documents from fixtures/content (tests/content.rs has their
        // near misses).
        ("theory-not-current", "theory-not-current", |t| {
            let from =
                fixture("content").join("第一党支部/01-张三/思想汇报/思想汇报2022年第4季度.docx");
            t.write(
                &format!("{LI}/思想汇报2022年第4季度.docx"),
                &std::fs::read(from).expect("docx"),
            );
            Vec::new()
        }),
        (
            "document-of-another-person",
            "document-of-another-person",
            |t| {
                // Signed 李四, in 张三's folder.
                let from = fixture("content")
                    .join("第二党支部/05-陈明/思想汇报/思想汇报2023年第1季度.ofd");
                t.write(
                    &format!("{BRANCH}/张三/思想汇报2023年第1季度.ofd"),
                    &std::fs::read(from).expect("ofd"),
                );
                Vec::new()
            },
        ),
        ("document-date-mismatch", "document-date-mismatch", |t| {
            // Dated 2023年5月1日: 31 days after March is silent, after 2023.03.01 it is not.
            let from = fixture("content").join("第一党支部/李四/入党申请书.pdf");
            t.write(
                &format!("{LI}/入党申请书.pdf"),
                &std::fs::read(from).expect("pdf"),
            );
            t.row(|r| set(r, "申请入党时间", text("2023.03.01")));
            Vec::new()
        }),
        ("content-unreadable", "content-unreadable", |t| {
            let from = fixture("content")
                .join("第二党支部/王芳（44010320000101028X）/王芳入党申请书.docx");
            std::fs::remove_file(t.person().join("入党申请书.pdf")).expect("rm");
            t.write(
                &format!("{LI}/入党申请书.docx"),
                &std::fs::read(from).expect("docx"),
            );
            Vec::new()
        }),
        ("interval", "activist-period-too-short", |t| {
            t.row(|r| set(r, "确定为发展对象时间", text("2024.05.09")));
            Vec::new()
        }),
        ("resume-gap", "resume-gap", |t| {
            let lines = [
                ("2012.09—2016.07", "某大学学生"),
                ("2017.09—至今", "某局科员"),
            ];
            write_resume(&t.person().join("简历.xlsx"), &lines);
            Vec::new()
        }),
        ("resume-overlap", "resume-overlap", |t| {
            let lines = [
                ("2012.09—2016.07", "某大学学生"),
                ("2016.03—至今", "某局科员"),
            ];
            write_resume(&t.person().join("简历.xlsx"), &lines);
            Vec::new()
        }),
        ("resume-reversed", "resume-reversed", |t| {
            let lines = [
                ("2016.07—2012.09", "某大学学生"),
                ("2016.07—至今", "某局科员"),
            ];
            write_resume(&t.person().join("简历.xlsx"), &lines);
            Vec::new()
        }),
        ("resume-before-birth", "resume-before-birth", |t| {
            // Born 1998-07-12 (her ID number): an entry from the month before.
            resume_from(t, "1998.06");
            Vec::new()
        }),
        ("id-number", "invalid-id-number", |t| {
            t.row(|r| set(r, "身份证号码", text("320102199807120240")));
            Vec::new()
        }),
        ("birth-date-match", "birth-date-mismatch", |t| {
            t.row(|r| set(r, "出生年月", text("1997.07")));
            Vec::new()
        }),
        ("ambiguous-month", "ambiguous-month", |t| {
            t.row(|r| set(r, "申请入党时间", Cell::N(2021.1)));
            Vec::new()
        }),
        ("ledger-conflict", "ledger-conflict", |t| {
            let roster = [
                "姓名",
                "身份证号码",
                "所在党支部",
                "申请入党时间",
                "确定为入党积极分子时间",
            ];
            let li = li_si();
            let at = |c: &str| li[HEADER.iter().position(|h| *h == c).expect("col")].clone();
            let row = vec![
                at("姓名"),
                at("身份证号码"),
                at("所在党支部"),
                at("申请入党时间"),
                text("2021.06.10"),
            ];
            write_sheet(&t.root().join("入党积极分子名册.xlsx"), &roster, &[row]);
            Vec::new()
        }),
        ("id-number-mismatch", "id-number-mismatch", |t| {
            let folder = format!("李四（{}）", id("32010219980712025"));
            std::fs::rename(t.person(), t.root().join(BRANCH).join(folder)).expect("mv");
            Vec::new()
        }),
        ("layout-ambiguous", "layout-ambiguous", |t| {
            let batch = t.root().join(BRANCH).join("补录");
            std::fs::create_dir_all(&batch).expect("mkdir");
            std::fs::rename(t.person(), batch.join("李四")).expect("mv");
            Vec::new()
        }),
        ("catalog-item-missing", "catalog-item-missing", |t| {
            catalog_with(t, |c| c.push(("转正申请书", "1", "")));
            Vec::new()
        }),
        ("uncatalogued-document", "uncatalogued-document", |t| {
            catalog_with(t, |c| c.retain(|r| r.0 != "自传"));
            Vec::new()
        }),
        ("page-count-mismatch", "page-count-mismatch", |t| {
            catalog_with(t, |c| c[6].1 = "3");
            Vec::new()
        }),
        ("catalog-date-mismatch", "catalog-date-mismatch", |t| {
            catalog_with(t, |c| c[0].2 = "2020.03");
            Vec::new()
        }),
        ("catalog-unreadable", "catalog-unreadable", |t| {
            catalog_with(t, |c| c.push(("其他材料", "2", "")));
            Vec::new()
        }),
        ("named-people", "introducers", |t| {
            t.row(|r| set(r, "入党介绍人", text("王强")));
            Vec::new()
        }),
        ("working-days", "publicity-too-short", |t| {
            // Thursday to Monday: three working days.
            t.row(|r| set(r, "公示时间", text("2025.08.07-2025.08.11")));
            Vec::new()
        }),
        ("training-length", "training-too-short", |t| {
            t.row(|r| set(r, "集中培训时间", text("2025.06.10-11")));
            Vec::new()
        }),
        ("probation-extension", "probation-extension", |t| {
            t.row(|r| set(r, "延长预备期", text("3个月")));
            Vec::new()
        }),
        ("report-cadence", "thought-report-gap", |t| {
            reports(t, &quarters_since_activist(), Some(5));
            enable(t, "thought-report-gap")
        }),
        ("branch-dormant", "branch-dormant", |t| {
            t.row(|r| {
                set(r, "接收为预备党员时间", text("2023.11.28"));
                set(r, "上级党委审批时间", text("2024.01.20"));
            });
            enable(t, "branch-dormant")
        }),
        ("ledger-header", "date-column-unplaced", |t| {
            // Two characters off: not guessed, said.
            header_as(t, "转正申请时间", "转正申请日子时间");
            Vec::new()
        }),
        ("plan-shortfall", "plan-shortfall", |t| {
            // 2025: one admission planned, and one 少数民族; 李四 (汉族) was admitted.
            plan(t, &[(BRANCH, "2025", "1", "1", "")]);
            Vec::new()
        }),
        ("waiver-expired", "waiver-expired", |t| {
            waivers(t, "missing-document", "2026-01-01")
        }),
        ("waiver-unused", "waiver-unused", |t| {
            waivers(t, "missing-document", "2027-12-31")
        }),
    ]
}

/// A waivers file with one waiver for 李四; the arguments that pass it.
fn waivers(t: &Tiny, rule: &str, expires: &str) -> Vec<String> {
    let path = t.beside.path().join("waivers.yaml");
    let yaml = format!(
        "waivers:\n  - rule: {rule}\n    dossier: {LI}\n    reason: 测试\n    approved_by: 测试\n    expires: {expires}\n"
    );
    std::fs::write(&path, yaml).expect("waivers");
    vec!["--waivers".into(), path.display().to_string()]
}

/// A rules file beside the archive switching a rule on; the arguments that pass it.
fn enable(t: &Tiny, rule: &str) -> Vec<String> {
    let path = t.beside.path().join(format!("{rule}.yaml"));
    std::fs::write(
        &path,
        format!("rules:\n  - id: {rule}\n    enabled: true\n"),
    )
    .expect("rules");
    vec!["--rules".into(), path.display().to_string()]
}

/// The default rule `rule` restated as `{rule}-restated` with only the keys in `keep`: the
/// kind's built-in defaults fill the rest.
fn restate(t: &Tiny, rule: &str, keep: &str) -> Vec<String> {
    let path = t.beside.path().join(format!("{rule}-restated.yaml"));
    let yaml = format!(
        "rules:\n  - {{ id: {rule}, enabled: false }}\n  - id: {rule}-restated\n    kind: {rule}\n    severity: warning\n    message: 同上\n    basis: 同上\n{keep}"
    );
    std::fs::write(&path, yaml).expect("rules");
    vec!["--rules".into(), path.display().to_string()]
}

/// 李四's quarters from her activist date (2023-05-10) to the as-of date: 2023 Q3 … 2026 Q3.
fn quarters_since_activist() -> Vec<(u32, u32)> {
    (2023 * 4 + 2..=2026 * 4 + 2)
        .map(|q| (q / 4, q % 4 + 1))
        .collect()
}

/// A one-page thought report for each quarter, but the `skip`-th.
fn reports(t: &Tiny, quarters: &[(u32, u32)], skip: Option<usize>) {
    let pdf = t.read(&format!("{LI}/自传.pdf"));
    for (i, (y, q)) in quarters.iter().enumerate() {
        if Some(i) != skip {
            let mut bytes = pdf.clone();
            // Unique bytes (a comment after %%EOF): no two reports are duplicates.
            bytes.extend_from_slice(format!("\n% {y}-{q}\n").as_bytes());
            t.write(&format!("{LI}/思想汇报/{y}年第{q}季度.pdf"), &bytes);
        }
    }
}

/// 李四's quarters as a ledger cell lists them, one left out: `2023年第3季度、2023.12，…`
/// (quarters written as quarters and as a month in them, joined by 、 and ，).
fn listed_quarters(skip: Option<usize>) -> String {
    quarters_since_activist()
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != skip)
        .map(|(i, (y, q))| {
            let sep = if i % 2 == 0 { "、" } else { "，" };
            let entry = if i % 3 == 0 {
                format!("{y}.{:02}", q * 3)
            } else {
                format!("{y}年第{q}季度")
            };
            format!("{entry}{sep}")
        })
        .collect::<String>()
        .trim_end_matches(['、', '，'])
        .to_string()
}

/// (rule, a record just inside its threshold or of a legitimate convention): the rule must
/// not fire.
type NearMiss = (&'static str, &'static str, Plant);

fn near_misses() -> Vec<NearMiss> {
    vec![
        (
            "header-read-as",
            "a header two characters off is not guessed",
            |t| {
                header_as(t, "转正申请时间", "转正申请日子时间");
                Vec::new()
            },
        ),
        (
            "header-read-as",
            "a short header one character off (学时/学历)",
            |t| {
                header_as(t, "集中培训学时", "学历");
                Vec::new()
            },
        ),
        (
            "date-column-unplaced",
            "a header one character off is read, not lost",
            |t| {
                header_as(t, "确定为入党积极分子时间", "确定为入党积级分子时间");
                Vec::new()
            },
        ),
        (
            "milestone-order",
            "the higher committee's talk the day of approval",
            |t| {
                t.row(|r| set(r, "党委谈话时间", text("2025.11.20")));
                Vec::new()
            },
        ),
        ("plan-shortfall", "a plan met exactly", |t| {
            plan(t, &[(BRANCH, "2025", "1", "", "")]);
            Vec::new()
        }),
        ("plan-shortfall", "a year not over on the as-of date", |t| {
            plan(t, &[(BRANCH, "2026", "2", "1", "")]);
            Vec::new()
        }),
        (
            "plan-shortfall",
            "a category the ledger cannot count (no 学历 column)",
            |t| {
                plan(t, &[(BRANCH, "2025", "1", "", "1")]);
                Vec::new()
            },
        ),
        ("introducers", "a two-name cell with a comma", |t| {
            t.row(|r| set(r, "入党介绍人", text("王强,赵刚")));
            Vec::new()
        }),
        ("introducers", "a two-name cell with a space", |t| {
            t.row(|r| set(r, "入党介绍人", text("王强 赵刚")));
            Vec::new()
        }),
        (
            "introducers",
            "an introducer converted on the admission day",
            |t| {
                introducer_converted(t, "2025.09.01");
                Vec::new()
            },
        ),
        (
            "publicity-too-short",
            "five working days across a 调休 Sunday (2025-09-28)",
            |t| {
                t.row(|r| set(r, "公示时间", text("2025.09.25-2025.09.30")));
                Vec::new()
            },
        ),
        (
            "publicity-too-short",
            "a start written to the month only gives no length",
            |t| {
                t.row(|r| set(r, "公示时间", text("2025.09-2025.09.02")));
                Vec::new()
            },
        ),
        (
            "publicity-too-short",
            "a range written backwards gives no length",
            |t| {
                t.row(|r| set(r, "公示时间", text("2025.09.30-2025.09.25")));
                Vec::new()
            },
        ),
        (
            "publicity-too-short",
            "an end written to the month only gives no length",
            |t| {
                t.row(|r| set(r, "公示时间", text("2025.09.01-2025.09")));
                Vec::new()
            },
        ),
        (
            "publicity-too-short",
            "a single date (the start) gives no length",
            |t| {
                t.row(|r| set(r, "公示时间", text("2025.08.08")));
                Vec::new()
            },
        ),
        ("training-too-short", "two days but 24 class hours", |t| {
            t.row(|r| {
                set(r, "集中培训时间", text("2025.06.10-11"));
                set(r, "集中培训学时", text("24学时"));
            });
            Vec::new()
        }),
        ("probation-extension", "an extension of six months", |t| {
            t.row(|r| set(r, "延长预备期", text("6个月")));
            Vec::new()
        }),
        ("probation-extension", "an extension of a year", |t| {
            t.row(|r| set(r, "延长预备期", text("一年")));
            Vec::new()
        }),
        (
            "thought-report-gap",
            "every quarter listed in the ledger, both separators",
            |t| {
                t.row(|r| set(r, "思想汇报时间", text(&listed_quarters(None))));
                enable(t, "thought-report-gap")
            },
        ),
        (
            "thought-report-gap",
            "a ledger entry that names no period",
            |t| {
                let cell = format!("{}、第五次", listed_quarters(Some(5)));
                t.row(|r| set(r, "思想汇报时间", text(&cell)));
                enable(t, "thought-report-gap")
            },
        ),
        ("thought-report-gap", "a report every quarter", |t| {
            reports(t, &quarters_since_activist(), None);
            enable(t, "thought-report-gap")
        }),
        (
            "branch-dormant",
            "an admission one day within three years",
            |t| {
                t.row(|r| {
                    set(r, "接收为预备党员时间", text("2023.11.29"));
                    set(r, "上级党委审批时间", text("2024.01.20"));
                });
                enable(t, "branch-dormant")
            },
        ),
        (
            "conversion-overdue",
            "probation ended three months ago to the day",
            |t| {
                admitted_on(t, "2025.08.29", "");
                enable(t, "conversion-overdue")
            },
        ),
        (
            "probation-extension",
            "converted three months after probation ended",
            |t| {
                admitted_on(t, "2024.03.01", "2025.05.28");
                Vec::new()
            },
        ),
        (
            "conversion-application-late",
            "applied on the last day of probation",
            |t| {
                t.row(|r| set(r, "转正申请时间", text("2026.08.31")));
                Vec::new()
            },
        ),
        (
            "vetting-after-training",
            "vetting concluded the day training began",
            |t| {
                t.row(|r| set(r, "政审时间", text("2025.06.10")));
                Vec::new()
            },
        ),
        (
            "pre-review-order",
            "pre-review on the day of the committee review",
            |t| {
                t.row(|r| set(r, "预审时间", text("2025.08.15")));
                Vec::new()
            },
        ),
        (
            "missing-document",
            "预备党员考察表 not yet due a quarter after admission",
            |t| {
                std::fs::remove_file(t.person().join("预备党员考察表.pdf")).expect("rm");
                t.row(|r| {
                    set(r, "接收为预备党员时间", text("2026.08.29"));
                    set(r, "上级党委审批时间", text("2026.10.20"));
                });
                Vec::new()
            },
        ),
        ("resume-overlap", "在职攻读 alongside a job", |t| {
            let lines = [
                ("2012.09—2016.07", "某大学学生"),
                ("2016.07—至今", "某局科员"),
                ("2018.09—2021.07", "在职攻读某大学硕士学位"),
            ];
            write_resume(&t.person().join("简历.xlsx"), &lines);
            Vec::new()
        }),
        (
            "duplicate-file",
            "two empty files (each an empty-file)",
            |t| {
                t.write(&format!("{LI}/自传.pdf"), b"");
                t.write(&format!("{LI}/思想汇报.pdf"), b"");
                Vec::new()
            },
        ),
        (
            "resume-before-birth",
            "an entry from the month of birth",
            |t| {
                resume_from(t, "1998.07");
                Vec::new()
            },
        ),
        (
            "resume-before-birth",
            "an entry written to the year of birth (1998: its last month)",
            |t| {
                resume_from(t, "1998");
                Vec::new()
            },
        ),
        ("resume-gap", "the next entry starts the month after", |t| {
            let lines = [
                ("2012.09—2016.06", "某大学学生"),
                ("2016.07—至今", "某局科员"),
            ];
            write_resume(&t.person().join("简历.xlsx"), &lines);
            Vec::new()
        }),
    ]
}

/// 李四's resume: school from `start` to 2016.07, then work to the present.
fn resume_from(t: &Tiny, start: &str) {
    let school = format!("{start}—2016.07");
    let lines = [
        (school.as_str(), "某大学学生"),
        ("2016.07—至今", "某局科员"),
    ];
    write_resume(&t.person().join("简历.xlsx"), &lines);
}

/// 李四 admitted on `admitted` (approved a month later) and converted on `converted` ("": not).
fn admitted_on(t: &Tiny, admitted: &str, converted: &str) {
    let approved = format!("{}.28", &admitted[..7]);
    t.row(|r| {
        set(r, "接收为预备党员时间", text(admitted));
        set(r, "上级党委审批时间", text(&approved));
        set(r, "转为正式党员时间", text(converted));
    });
}

/// 王强, one of 李四's introducers, in the ledger as converted on `day` (with a folder, so
/// that the only question is his membership on 李四's admission day).
fn introducer_converted(t: &Tiny, day: &str) {
    let mut wang = li_si();
    set(&mut wang, "姓名", text("王强"));
    set(&mut wang, "身份证号码", text(&id("11010119900101001")));
    set(&mut wang, "出生年月", text("1990.01"));
    set(&mut wang, "接收为预备党员时间", text("2024.08.30"));
    set(&mut wang, "上级党委审批时间", text("2024.10.20"));
    set(&mut wang, "转为正式党员时间", text(day));
    set(&mut wang, "培养联系人", text("张三"));
    set(&mut wang, "入党介绍人", text("张三、赵刚"));
    t.ledger(&[li_si(), wang]);
}

#[test]
fn each_rule_stays_silent_on_its_near_miss() {
    let mut failed = Vec::new();
    for (rule, what, plant) in near_misses() {
        let t = Tiny::new();
        let extra = plant(&t);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let fired = t.fired(&extra);
        if fired.contains(rule) {
            failed.push(format!("{rule} fired on its near miss: {what}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn procedure_rules_fire_just_past_their_thresholds() {
    // (rule, the record one step past the near miss).
    let cases: Vec<(&str, Plant)> = vec![
        ("header-read-as", |t| {
            header_as(t, "确定为入党积极分子时间", "确定为入党积级分子时间");
            Vec::new()
        }),
        ("header-read-as", |t| {
            // 接受/接收, the commonest slip.
            header_as(t, "接收为预备党员时间", "接受为预备党员时间");
            Vec::new()
        }),
        ("thought-report-gap", |t| {
            // The ledger's list, one quarter left out.
            t.row(|r| set(r, "思想汇报时间", text(&listed_quarters(Some(5)))));
            enable(t, "thought-report-gap")
        }),
        ("milestone-order", |t| {
            t.row(|r| set(r, "入党宣誓时间", text("2025.08.31")));
            Vec::new()
        }),
        ("milestone-order", |t| {
            t.row(|r| set(r, "党委谈话时间", text("2025.11.21")));
            Vec::new()
        }),
        ("introducers", |t| {
            introducer_converted(t, "2025.09.02");
            Vec::new()
        }),
        ("introducers", |t| {
            t.row(|r| set(r, "入党介绍人", text("李四、赵刚")));
            Vec::new()
        }),
        ("contacts", |t| {
            t.row(|r| set(r, "培养联系人", text("")));
            Vec::new()
        }),
        ("publicity-too-short", |t| {
            // Fri 26, Sun 28 (worked), Mon 29, Tue 30: four.
            t.row(|r| set(r, "公示时间", text("2025.09.26-2025.09.30")));
            Vec::new()
        }),
        ("training-too-short", |t| {
            t.row(|r| {
                set(r, "集中培训时间", text("2025.06.10-11"));
                set(r, "集中培训学时", text("23"));
            });
            Vec::new()
        }),
        ("probation-extension", |t| {
            t.row(|r| set(r, "延长预备期", text("13个月")));
            Vec::new()
        }),
        ("conversion-application-late", |t| {
            t.row(|r| set(r, "转正申请时间", text("2026.09.01")));
            Vec::new()
        }),
        ("conversion-overdue", |t| {
            admitted_on(t, "2025.08.27", "");
            enable(t, "conversion-overdue")
        }),
        ("probation-extension", |t| {
            // Probation ended 2025-02-28; converted more than three months later, no extension.
            admitted_on(t, "2024.03.01", "2025.06.01");
            Vec::new()
        }),
        ("vetting-after-training", |t| {
            t.row(|r| set(r, "政审时间", text("2025.06.11")));
            Vec::new()
        }),
        ("pre-review-order", |t| {
            t.row(|r| set(r, "预审时间", text("2025.08.14")));
            Vec::new()
        }),
        ("pre-review-order", |t| {
            // The 公示 ends after the branch meeting.
            t.row(|r| set(r, "公示时间", text("2025.08.27-2025.09.02")));
            Vec::new()
        }),
        ("approval-talk-missing", |t| {
            t.row(|r| set(r, "党委谈话时间", text("")));
            Vec::new()
        }),
        ("missing-document", |t| {
            std::fs::remove_file(t.person().join("预备党员考察表.pdf")).expect("rm");
            t.row(|r| {
                set(r, "接收为预备党员时间", text("2026.08.28"));
                set(r, "上级党委审批时间", text("2026.10.20"));
            });
            Vec::new()
        }),
        ("resume-before-birth", |t| {
            // The ledger says 1997.01, her ID number 1998-07-12: the ID number counts.
            t.row(|r| set(r, "出生年月", text("1997.01")));
            resume_from(t, "1998.06");
            Vec::new()
        }),
        ("resume-before-birth", |t| {
            // No ID number: the ledger's 出生年月 (1998.07) counts.
            t.row(|r| set(r, "身份证号码", text("")));
            resume_from(t, "1998.06");
            Vec::new()
        }),
        ("activist-period-too-short", |t| {
            // 发展对象 the very day of 积极分子: no time at all is still too short (an
            // interval is skipped only when its steps are reversed, not on the same day).
            t.row(|r| set(r, "确定为发展对象时间", text("2023.05.10")));
            Vec::new()
        }),
        ("resume-gap", |t| {
            let lines = [
                ("2012.09—2016.05", "某大学学生"),
                ("2016.07—至今", "某局科员"),
            ];
            write_resume(&t.person().join("简历.xlsx"), &lines);
            Vec::new()
        }),
    ];
    let mut failed = Vec::new();
    for (i, (rule, plant)) in cases.into_iter().enumerate() {
        let t = Tiny::new();
        let extra = plant(&t);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let fired = t.fired(&extra);
        if !fired.contains(rule) {
            failed.push(format!("case {i}: {rule} did not fire (fired: {fired:?})"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn approval_warns_past_three_months_and_errs_past_six() {
    let severity_at = |approved: &str| {
        let t = Tiny::new();
        t.row(|r| set(r, "上级党委审批时间", text(approved)));
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .find(|f| f["rule"] == "approval-overdue")
            .map(|f| f["severity"].as_str().unwrap_or("").to_string())
    };
    assert_eq!(severity_at("2025.12.01"), None);
    assert_eq!(severity_at("2025.12.02").as_deref(), Some("warning"));
    assert_eq!(severity_at("2026.03.01").as_deref(), Some("warning"));
    assert_eq!(severity_at("2026.03.02").as_deref(), Some("error"));
}

#[test]
fn the_tiny_archive_as_built_audits_clean() {
    let t = Tiny::new();
    let (code, json) = audit_json(t.root(), &[]);
    assert!(findings(&json).is_empty(), "{json:#}");
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["dossiers"], 1);
    assert_eq!(json["summary"]["ledger_people"], 1);
}

#[test]
fn the_tiny_archive_with_its_catalog_audits_clean() {
    let t = Tiny::new();
    write_catalog(&t, &li_catalog());
    let (code, json) = audit_json(t.root(), &[]);
    assert!(findings(&json).is_empty(), "{json:#}");
    assert_eq!(code, 0);
}

#[test]
fn each_kind_fires_on_its_planted_defect() {
    let mut failed = Vec::new();
    for (kind, rule, plant) in cases() {
        let t = Tiny::new();
        let extra = plant(&t);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let fired = t.fired(&extra);
        if !fired.contains(rule) {
            failed.push(format!("{kind}: {rule} did not fire (fired: {fired:?})"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_kind_has_a_case() {
    let kinds: BTreeSet<&str> = dangan::rules::Kind::ALL.iter().map(|k| k.name()).collect();
    let cased: BTreeSet<&str> = cases().iter().map(|c| c.0).collect();
    assert_eq!(
        kinds, cased,
        "a kind without a tiny-archive case, or a case without a kind"
    );
}

#[test]
fn ledgers_as_clerks_type_them_audit_clean() {
    // Placeholders in date cells are empty cells (not invalid dates, not a later stage), and
    // dates in Chinese numerals are dates: 李四's row typed so audits as clean as the original.
    for (what, column, value) in [
        ("a dash for 转为正式党员时间", "转为正式党员时间", "—"),
        ("无 for 转正审批时间", "转正审批时间", "无"),
        ("a slash for 转正申请时间", "转正申请时间", "／"),
        ("待定 for 转正支部大会时间", "转正支部大会时间", "待定"),
        (
            "a Chinese-numeral date",
            "接收为预备党员时间",
            "二〇二五年九月一日",
        ),
        (
            "a Chinese-numeral date with 零 and 十",
            "上级党委审批时间",
            "二零二五年十一月二十日",
        ),
    ] {
        let t = Tiny::new();
        t.row(|r| set(r, column, text(value)));
        let (code, json) = audit_json(t.root(), &[]);
        assert!(findings(&json).is_empty(), "{what}: {json:#}");
        assert_eq!(code, 0, "{what}");
        let stage = &json["dossiers"][0]["stage"];
        assert_eq!(
            stage, "probationary",
            "{what}: stage from the last real date"
        );
    }
    // The same Chinese-numeral date one day too early is still checked: 审批 before 接收.
    let t = Tiny::new();
    t.row(|r| set(r, "上级党委审批时间", text("二〇二五年八月三十一日")));
    assert!(t.fired(&[]).contains("milestone-order"));
}

#[test]
fn a_minority_name_joins_whatever_separator_its_folder_uses() {
    // 李四's folder renamed 李·四 / 李．四 / 李 四 / 李丶四: the same person as the ledger's 李四,
    // and the ledger written 李·四 joins the folder 李四.
    for folder in ["李·四", "李．四", "李 四", "李丶四", "李.四"] {
        let t = Tiny::new();
        std::fs::rename(t.person(), t.root().join(BRANCH).join(folder)).expect("rename");
        let (code, json) = audit_json(t.root(), &[]);
        assert!(findings(&json).is_empty(), "{folder}: {json:#}");
        assert_eq!(code, 0, "{folder}");
    }
    let t = Tiny::new();
    t.row(|r| set(r, "姓名", text("李·四")));
    let (_, json) = audit_json(t.root(), &[]);
    assert!(findings(&json).is_empty(), "{json:#}");
}

#[test]
fn an_id_number_excel_stored_as_a_number_says_why_it_is_wrong() {
    // 32010219980712024X typed into a number cell: Excel keeps 3.20102199807120E17.
    let t = Tiny::new();
    t.row(|r| set(r, "身份证号码", Cell::N(3.201_021_998_071_2e17)));
    let (_, json) = audit_json(t.root(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "invalid-id-number")
        .unwrap_or_else(|| panic!("{json:#}"));
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(msg.contains("存成了数字") && msg.contains("文本"), "{msg}");
    let blamed_on_excel = |id: &str| {
        let t = Tiny::new();
        t.row(|r| set(r, "身份证号码", text(id)));
        let (_, json) = audit_json(t.root(), &[]);
        let f = findings(&json)
            .iter()
            .find(|f| f["rule"] == "invalid-id-number")
            .unwrap_or_else(|| panic!("{json:#}"))
            .clone();
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("存成了数字")
    };
    // The rounded number as a clerk copied it into a text cell: 18 digits ending in 000.
    assert!(blamed_on_excel("320102199807120000"));
    // A wrong check digit typed as text: wrong, and not blamed on Excel; nor is a number
    // one digit short that happens to end in 000.
    assert!(!blamed_on_excel("320102199807120241"));
    assert!(!blamed_on_excel("32010219980712000"));
}

/// A JPEG photo: JFIF at `dpi` per inch, a frame of `w` × `h` pixels (the image data a stub).
fn photo(dpi: u16, w: u16, h: u16) -> Vec<u8> {
    let seg = |code: u8, body: &[u8]| {
        let mut v = vec![0xFF, code];
        v.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(body);
        v
    };
    let mut jfif = b"JFIF\0\x01\x01\x01".to_vec();
    jfif.extend_from_slice(&dpi.to_be_bytes());
    jfif.extend_from_slice(&dpi.to_be_bytes());
    jfif.extend_from_slice(&[0, 0]);
    let mut sof = vec![8];
    sof.extend_from_slice(&h.to_be_bytes());
    sof.extend_from_slice(&w.to_be_bytes());
    sof.extend_from_slice(&[1, 1, 0x11, 0]);
    let mut v = vec![0xFF, 0xD8];
    v.extend(seg(0xE0, &jfif));
    v.extend(seg(0xC0, &sof));
    v.extend(seg(0xDA, &[1, 1, 0, 0, 63, 0]));
    v.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    v
}

#[test]
fn phone_photos_are_judged_by_their_pixels_not_their_72_dpi_tag() {
    // A 3024 × 4032 phone photo of the 自传, tagged 72 dpi: about 345 dpi over A4 — clean.
    let t = Tiny::new();
    std::fs::remove_file(t.person().join("自传.pdf")).expect("rm");
    t.write(&format!("{LI}/自传.jpg"), &photo(72, 3024, 4032));
    let (code, json) = audit_json(t.root(), &[]);
    assert!(findings(&json).is_empty(), "{json:#}");
    assert_eq!(code, 0);
    // A 1600 × 1200 photo tagged 96: about 137 dpi over A4 — too coarse, and the message says
    // how it was judged.
    let t = Tiny::new();
    std::fs::remove_file(t.person().join("自传.pdf")).expect("rm");
    t.write(&format!("{LI}/自传.jpg"), &photo(96, 1600, 1200));
    let (_, json) = audit_json(t.root(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "low-resolution")
        .unwrap_or_else(|| panic!("{json:#}"));
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("约 137") && msg.contains("相机的默认值"),
        "{msg}"
    );
}

#[test]
fn samples_and_instructions_are_not_people() {
    // Beside the ledger, a workbook a county sends with its form: a sheet whose table sits
    // under a 填写示例 caption, and a sheet named 样表 — each with a sample person 张三.
    let t = Tiny::new();
    let mut sample = li_si();
    set(&mut sample, "姓名", text("张三"));
    set(&mut sample, "身份证号码", text(&id("11010519900101001")));
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1").expect("name");
    ws.write_string(0, 0, "填写示例：").expect("caption");
    let ws = wb.add_worksheet();
    ws.set_name("样表").expect("name");
    for (sheet, top) in [(0usize, 1u32), (1, 0)] {
        let ws = wb.worksheet_from_index(sheet).expect("sheet");
        for (c, h) in HEADER.iter().enumerate() {
            ws.write_string(top, c as u16, *h).expect("header");
        }
        for (c, cell) in sample.iter().enumerate() {
            if let Cell::T(s) = cell {
                ws.write_string(top + 1, c as u16, s.as_str())
                    .expect("cell");
            }
        }
    }
    wb.save(t.root().join("发展党员工作台账填报要求.xlsx"))
        .expect("save");
    let (code, json) = audit_json(t.root(), &[]);
    assert!(findings(&json).is_empty(), "{json:#}");
    assert_eq!(code, 0);
    assert_eq!(json["summary"]["ledger_people"], 1, "张三 is no one");
    let out = common::dangan()
        .arg("survey")
        .arg(t.root())
        .output()
        .expect("survey");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("第 2 行的表格上方写着“示例”：是示例，不是台账")
            && text.contains("工作表名含“样表”"),
        "{text}"
    );
}

/// 李四's ledger as CSV text: a header and her row, 备注 quoted with a comma and a line break
/// in it, CRLF line ends.
fn ledger_csv() -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut row = li_si();
    set(&mut row, "备注", text("曾任团支书，\n2024年评为优秀"));
    let cells: Vec<String> = row
        .iter()
        .map(|c| match c {
            Cell::T(s) => quote(s),
            Cell::N(n) => n.to_string(),
        })
        .collect();
    format!("{}\r\n{}\r\n", HEADER.join(","), cells.join(","))
}

#[test]
fn a_ledger_saved_as_csv_in_any_encoding_is_read() {
    // Excel's CSV on Chinese Windows (GBK), a system export with a UTF-8 BOM, and UTF-16: each
    // read as the ledger, and the archive audits as clean as with the .xlsx.
    let csv = ledger_csv();
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(csv.as_bytes());
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(csv.encode_utf16().flat_map(u16::to_le_bytes));
    for (what, bytes) in [
        ("GBK", gbk.into_owned()),
        ("UTF-8 BOM", bom),
        ("UTF-16", utf16),
    ] {
        let t = Tiny::new();
        std::fs::remove_file(t.root().join(LEDGER)).expect("rm xlsx");
        t.write("发展党员工作台账.csv", &bytes);
        let (code, json) = audit_json(t.root(), &[]);
        assert!(findings(&json).is_empty(), "{what}: {json:#}");
        assert_eq!(code, 0, "{what}");
        assert_eq!(json["summary"]["ledger_people"], 1, "{what}");
    }
    // Bytes in no encoding dangan knows: one finding at the file, saying so.
    let t = Tiny::new();
    std::fs::remove_file(t.root().join(LEDGER)).expect("rm xlsx");
    t.write("发展党员工作台账.csv", &[0x81, 0x20, 0xFF, 0xFE, 0xFF]);
    let (_, json) = audit_json(t.root(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "unreadable-file")
        .unwrap_or_else(|| panic!("{json:#}"));
    assert!(
        f["message"].as_str().unwrap_or_default().contains("编码"),
        "{f}"
    );
}

#[test]
fn stage_groups_over_time_columns_place_each_date() {
    // A three-row header as county forms have it: a title, the stage groups merged over their
    // sub-columns, and sub-columns named 时间 under each group — with an activists' 培训时间
    // and a candidate's 谈话时间 that are neither the 集中培训 nor the application talk.
    let t = Tiny::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let merged = rust_xlsxwriter::Format::new();
    ws.merge_range(0, 0, 0, 13, "发展党员工作台账", &merged)
        .expect("title");
    let groups: [(&str, u16, u16); 5] = [
        ("入党申请", 4, 5),
        ("积极分子", 6, 7),
        ("发展对象", 8, 10),
        ("预备党员", 11, 12),
        ("转正", 13, 13),
    ];
    for (c, h) in ["姓名", "民族", "身份证号码", "所在党支部"]
        .iter()
        .enumerate()
    {
        ws.merge_range(1, c as u16, 2, c as u16, h, &merged)
            .expect("merged down");
    }
    for (g, a, b) in groups {
        if a == b {
            ws.write_string(1, a, g).expect("group");
        } else {
            ws.merge_range(1, a, 1, b, g, &merged).expect("group");
        }
    }
    let subs = [
        "时间",
        "谈话时间",
        "时间",
        "培训时间",
        "时间",
        "政审时间",
        "谈话时间",
        "时间",
        "上级党委审批时间",
        "时间",
    ];
    for (i, s) in subs.iter().enumerate() {
        ws.write_string(2, 4 + i as u16, *s).expect("sub");
    }
    let row = [
        "李四",
        "汉族",
        &id("32010219980712024"),
        BRANCH,
        "2023.03",
        "2023.03",
        "2023.05.10",
        // The activists' course in 2023, before 李四 was a candidate: not the 集中培训.
        "2023.07.01-2023.07.02",
        "2024.05.10",
        "2025.06.01",
        // A candidate's talk in 2024: not the application talk.
        "2024.06.01",
        "2025.09.01",
        "2025.11.20",
        "",
    ];
    for (c, v) in row.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(3, c as u16, *v).expect("cell");
        }
    }
    wb.save(t.root().join(LEDGER)).expect("save");
    let (code, json) = audit_json(t.root(), &[]);
    assert!(findings(&json).is_empty(), "{json:#}");
    assert_eq!(code, 0);
    assert_eq!(json["dossiers"][0]["stage"], "probationary");
    let out = common::dangan()
        .args(["survey", "--format", "json"])
        .arg(t.root())
        .output()
        .expect("survey");
    let survey: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let fields: Vec<String> = survey["spreadsheets"][0]["sheets"][0]["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["field"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        fields[4..],
        [
            "applied",
            "talked",
            "activist",
            "activist_training",
            "candidate",
            "vetted",
            "candidate_talk",
            "admitted",
            "approved",
            "converted"
        ],
        "{fields:?}"
    );
}

#[test]
fn a_header_one_character_off_is_read_and_said_once() {
    // 接受为预备党员时间 (接受/接收): read as 接收为预备党员时间, so 李四 is still probationary and
    // nothing else is reported; one info finding names the cell and what it was read as.
    let t = Tiny::new();
    header_as(&t, "接收为预备党员时间", "接受为预备党员时间");
    let (code, json) = audit_json(t.root(), &[]);
    assert_eq!(code, 0);
    let all = findings(&json);
    assert_eq!(all.len(), 1, "{json:#}");
    assert_eq!(all[0]["rule"], "header-read-as");
    assert_eq!(all[0]["location"]["cell"], "M1");
    let msg = all[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("接受为预备党员时间") && msg.contains("接收为预备党员时间"),
        "{msg}"
    );
    assert_eq!(json["dossiers"][0]["stage"], "probationary");
}

#[test]
fn kinds_defaults_hold_at_their_boundaries() {
    // Rules that leave out a parameter get the kind's built-in value, which rules/default.yaml
    // only restates: branch-dormant's years (3), resume-gap's allow_summer (true) and its
    // max_gap (3 months; default.yaml sets 0), each checked on both sides of its boundary
    // with the parameter left out.
    let admitted = |day: &'static str| {
        move |t: &Tiny| {
            t.row(|r| {
                set(r, "接收为预备党员时间", text(day));
                set(r, "上级党委审批时间", text("2024.01.20"));
            });
            restate(t, "branch-dormant", "")
        }
    };
    let resume = |lines: [(&'static str, &'static str); 2]| {
        move |t: &Tiny| {
            write_resume(&t.person().join("简历.xlsx"), &lines);
            restate(t, "resume-gap", "    max_gap: 0 months\n")
        }
    };
    let resume_default = |lines: [(&'static str, &'static str); 2]| {
        move |t: &Tiny| {
            write_resume(&t.person().join("简历.xlsx"), &lines);
            restate(t, "resume-gap", "")
        }
    };
    type Setup = Box<dyn Fn(&Tiny) -> Vec<String>>;
    let cases: Vec<(&str, bool, Setup)> = vec![
        (
            "branch-dormant-restated",
            true,
            Box::new(admitted("2023.11.28")),
        ),
        (
            "branch-dormant-restated",
            false,
            Box::new(admitted("2023.11.29")),
        ),
        (
            "resume-gap-restated",
            false,
            Box::new(resume([
                ("2012.09—2016.07", "某大学学生"),
                ("2016.09—至今", "某局科员"),
            ])),
        ),
        (
            "resume-gap-restated",
            true,
            Box::new(resume([
                ("2012.09—2016.06", "某大学学生"),
                ("2016.08—至今", "某局科员"),
            ])),
        ),
        // resume-gap's max_gap left out too: 3 months (default.yaml sets 0).
        (
            "resume-gap-restated",
            false,
            Box::new(resume_default([
                ("2012.09—2016.07", "某大学学生"),
                ("2016.11—至今", "某局科员"),
            ])),
        ),
        (
            "resume-gap-restated",
            true,
            Box::new(resume_default([
                ("2012.09—2016.07", "某大学学生"),
                ("2016.12—至今", "某局科员"),
            ])),
        ),
    ];
    let mut failed = Vec::new();
    for (i, (rule, fires, plant)) in cases.into_iter().enumerate() {
        let t = Tiny::new();
        let extra = plant(&t);
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let fired = t.fired(&extra);
        if fired.contains(rule) != fires {
            failed.push(format!(
                "case {i}: {rule} should fire: {fires}; fired: {fired:?}"
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn a_folder_named_by_an_id_number_not_in_the_ledger_says_so() {
    let t = Tiny::new();
    let bytes = t.read(&format!("{LI}/自传.pdf"));
    let other = id("11010119950101001");
    t.write(&format!("第一党支部/{other}-王五/入党申请书.pdf"), &bytes);
    let (_, json) = audit_json(t.root(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "dossier-without-ledger-row")
        .unwrap_or_else(|| panic!("{json:#}"));
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(
        msg.contains("文件夹名中的身份证号") && msg.contains("不在台账中"),
        "{msg}"
    );
    // The detail masks it (the folder's name, which says where to look, is as it is).
    assert!(msg.contains("110101********0011"), "{msg}");
}

#[test]
fn a_document_in_a_format_without_text_is_counted_not_read() {
    let t = Tiny::new();
    let (_, json) = audit_json(t.root(), &[]);
    assert_eq!(json["summary"]["content"]["no_text"], 0, "{json:#}");
    // A thought report as a BMP: a picture format dangan reads no text from, even with OCR.
    let mut bmp = b"BM".to_vec();
    bmp.resize(64, 0);
    t.write(&format!("{LI}/思想汇报2025年第4季度.bmp"), &bmp);
    let (_, json) = audit_json(t.root(), &[]);
    assert_eq!(json["summary"]["content"]["no_text"], 1, "{json:#}");
    assert_eq!(json["summary"]["content"]["failed"], 0, "{json:#}");
}

#[test]
fn a_resume_month_typed_as_a_number_is_a_gap_only_if_both_readings_are() {
    // 2016.1 in a number cell: January or October 2016 (Excel dropped the 0 of 2016.10).
    let resume = |t: &Tiny, end: Cell| {
        write_sheet(
            &t.person().join("简历.xlsx"),
            &["起", "止", "在何单位任何职"],
            &[
                vec![Cell::N(2012.09), end, text("某大学学生")],
                vec![text("2016.11"), text("至今"), text("某局科员")],
            ],
        );
    };
    let gaps = |t: &Tiny| {
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "resume-gap")
            .count()
    };
    let t = Tiny::new();
    resume(&t, Cell::N(2016.1));
    assert_eq!(gaps(&t), 0, "read as October the entries meet");
    // Written as January, the nine months between are a gap.
    let t = Tiny::new();
    resume(&t, text("2016.01"));
    assert_eq!(gaps(&t), 1);
}

#[test]
fn a_finding_from_ambiguous_cells_stands_only_if_every_mix_of_their_readings_gives_it() {
    // 2024.1 typed as a number: January or October 2024 (Excel dropped the 0 of 2024.10).
    // 积极分子 and 发展对象 both typed so: read alike (both January, both October) or
    // 积极分子 in January and 发展对象 in October, the period is short of a year; only
    // 积极分子 in October and 发展对象 in January reverses them, and then there is no
    // period to judge. So the finding is not certain, and not reported — which takes trying
    // every mix of the readings, not only "all one way" and "all the other". The typed
    // 出生年月 before them (1998.1) makes three such cells, so each is switched by a bit of
    // its own.
    let activist_period = |birth: Cell| {
        let t = Tiny::new();
        t.row(|r| {
            set(r, "出生年月", birth);
            set(r, "确定为入党积极分子时间", Cell::N(2024.1));
            set(r, "确定为发展对象时间", Cell::N(2024.1));
        });
        t.fired(&[]).contains("activist-period-too-short")
    };
    assert!(!activist_period(Cell::N(1998.1)));
    assert!(!activist_period(text("1998.07")));
    // Written out, the same dates are certain: the period is too short.
    let t = Tiny::new();
    t.row(|r| {
        set(r, "确定为入党积极分子时间", text("2024.01"));
        set(r, "确定为发展对象时间", text("2024.01"));
    });
    assert!(t.fired(&[]).contains("activist-period-too-short"));

    // The same in a resume, with three months between entries allowed: the first entry ends in
    // 2014.1, the second starts in 2015.1, both typed as numbers. Read alike, or ending in
    // January and starting in October, more than three months are missing; ending in October
    // 2014 and starting in January 2015, two are. Not certain: no gap reported.
    let gaps = |end: Cell, start: Cell| {
        let t = Tiny::new();
        write_sheet(
            &t.person().join("简历.xlsx"),
            &["起", "止", "在何单位任何职"],
            &[
                vec![text("2012.09"), end, text("某大学学生")],
                vec![start, text("至今"), text("某局科员")],
            ],
        );
        let rules = t.beside.path().join("gap.yaml");
        std::fs::write(
            &rules,
            "rules:\n  - { id: resume-gap, max_gap: 3 months }\n",
        )
        .expect("rules");
        let (_, json) = audit_json(t.root(), &["--rules", &rules.display().to_string()]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "resume-gap")
            .count()
    };
    assert_eq!(gaps(Cell::N(2014.1), Cell::N(2015.1)), 0);
    assert_eq!(gaps(text("2014.01"), text("2015.01")), 1);
    assert_eq!(gaps(text("2014.10"), text("2015.10")), 1);
    assert_eq!(gaps(text("2014.10"), text("2015.01")), 0);
}

#[test]
fn a_rules_stage_and_text_field_are_looked_up_by_key() {
    let t = Tiny::new();
    let rules = |name: &str, yaml: &str| {
        let path = t.beside.path().join(name);
        std::fs::write(&path, format!("rules:\n{yaml}")).expect("rules");
        path.display().to_string()
    };
    // 转正申请书 required from a stage: 李四, a probationary member, has none.
    let from = |stage: &str| {
        let r = rules(
            &format!("from-{stage}.yaml"),
            &format!(
                "  - id: conversion-from\n    kind: required-documents\n    severity: error\n    message: 缺少《{{document}}》\n    basis: 测试\n    documents: [conversion]\n    from_stage: {stage}\n"
            ),
        );
        t.fired(&["--rules", &r]).contains("conversion-from")
    };
    assert!(from("probationary"), "required from her own stage");
    assert!(!from("full"), "required only from the next stage");

    // A text field that is not one: the help lists the text fields, and only them.
    let err = t.refused("  - { id: introducers, field: no_such_field }\n");
    assert!(err.contains("可用的文本字段"), "{err}");
    // The help (wrapped over lines by the error printer) ends the message.
    let help = err.split("可用的文本字段").nth(1).unwrap_or_default();
    assert!(help.contains("introducers"), "{help}");
    assert!(
        !help.contains("applied"),
        "a date field offered as text: {help}"
    );
}

#[test]
fn a_catalog_row_is_missing_once_and_never_for_a_file_that_may_be_it() {
    let missing = |t: &Tiny| -> Vec<String> {
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "catalog-item-missing")
            .map(|f| f["subject"].as_str().unwrap_or("").to_string())
            .collect()
    };
    // 转正申请书 listed twice and held nowhere: said once.
    let t = Tiny::new();
    catalog_with(&t, |c| {
        c.push(("转正申请书", "1", ""));
        c.push(("转正申请书", "1", ""));
    });
    assert_eq!(missing(&t), ["conversion"]);
    // The catalog names itself: it is there, being read.
    let t = Tiny::new();
    catalog_with(&t, |c| c.insert(0, ("卷内目录", "1", "")));
    assert_eq!(missing(&t), Vec::<String>::new());
    // 考察表.pdf may be the 预备党员考察表 the catalog lists (ambiguous-file says which is
    // unclear): not missing.
    let t = Tiny::new();
    catalog_with(&t, |_| {});
    let p = t.person();
    std::fs::rename(p.join("预备党员考察表.pdf"), p.join("考察表.pdf")).expect("mv");
    assert_eq!(missing(&t), Vec::<String>::new());
    assert!(t.fired(&[]).contains("ambiguous-file"));
}

#[test]
fn a_shared_document_in_two_dossiers_is_no_duplicate_and_an_own_one_is() {
    // The same scan in 李四's folder and in 赵六's: a 公示 names both (one notice, filed in
    // each dossier); an 自传 is one person's.
    let duplicates = |name: &str| {
        let t = Tiny::new();
        t.write(&format!("{LI}/{name}"), &jpeg());
        t.write(&format!("{BRANCH}/赵六/{name}"), &jpeg());
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "duplicate-file")
            .count()
    };
    assert_eq!(duplicates("公示材料.jpg"), 0);
    assert!(duplicates("自传（附照片）.jpg") > 0);
}

#[test]
fn the_grace_after_admission_waives_only_its_documents_of_that_stage() {
    // Admitted 2026.08.29, three months before the as-of date (2026-11-28): within the grace,
    // the 预备党员考察表 is not yet due. The grace waives only its documents that this stage
    // opens: the 入党志愿书 (opened here, not a grace document) and the 入党积极分子考察表 (a
    // grace document, opened two stages before) are still required.
    let missing = |file: &str| {
        let t = Tiny::new();
        std::fs::remove_file(t.person().join(file)).expect("rm");
        t.row(|r| {
            set(r, "接收为预备党员时间", text("2026.08.29"));
            set(r, "上级党委审批时间", text("2026.10.20"));
        });
        let (_, json) = audit_json(t.root(), &[]);
        messages(&json, &["missing-document"])
    };
    assert_eq!(missing("预备党员考察表.pdf"), Vec::<String>::new());
    for (file, title) in [
        ("入党志愿书.pdf", "《入党志愿书》"),
        ("入党积极分子考察登记表.pdf", "《入党积极分子"),
    ] {
        let said = missing(file);
        assert_eq!(said.len(), 1, "{file}: {said:?}");
        assert!(said[0].contains(title), "{file}: {said:?}");
    }
}

#[test]
fn two_folders_named_with_one_id_number_are_one_person_twice() {
    let t = Tiny::new();
    let li = t.person();
    let number = id("32010219980712024");
    let named = t.root().join(BRANCH).join(format!("李四{number}"));
    std::fs::rename(&li, &named).expect("mv");
    let again = t.root().join(BRANCH).join(format!("李四（补）{number}"));
    std::fs::create_dir_all(&again).expect("mkdir");
    common::copy_tree(&named, &again);
    let (_, json) = audit_json(t.root(), &[]);
    let twice: Vec<&serde_json::Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "duplicate-person" && f["subject"] == "id_number")
        .collect();
    assert_eq!(twice.len(), 1, "{json:#}");
    let msg = twice[0]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("与档案文件夹"), "{msg}");
    // The repeat is duplicate-person's to say, not unmatched-dossier's too; with
    // duplicate-person off, the second folder is a folder without a ledger row.
    let unmatched =
        |json: &serde_json::Value| messages(json, &["dossier-without-ledger-row"]).len();
    assert_eq!(unmatched(&json), 0, "{json:#}");
    let off = t.beside.path().join("no-duplicates.yaml");
    std::fs::write(
        &off,
        "rules:\n  - { id: duplicate-person, enabled: false }\n",
    )
    .expect("rules");
    let (_, json) = audit_json(t.root(), &["--rules", &off.display().to_string()]);
    assert_eq!(unmatched(&json), 1, "{json:#}");
}

#[test]
fn a_ledger_row_repeating_a_number_is_duplicate_persons_alone() {
    // A second row, without a folder, with 李四's ID number (and another name): the repeat is
    // duplicate-person's to say, not unmatched-ledger-row's too; with duplicate-person off,
    // it is a row without a dossier. A third row of a number no other row holds is a row
    // without a dossier either way.
    let t = Tiny::new();
    let mut again = li_si();
    set(&mut again, "姓名", text("李思"));
    let mut other = li_si();
    set(&mut other, "姓名", text("赵六"));
    set(&mut other, "身份证号码", text(&id("11010119950101001")));
    set(&mut other, "出生年月", text("1995.01"));
    t.ledger(&[li_si(), again, other]);
    let said = |extra: &[&str]| {
        let (_, json) = audit_json(t.root(), extra);
        let count = |rule: &str| findings(&json).iter().filter(|f| f["rule"] == rule).count();
        (
            count("duplicate-person"),
            messages(&json, &["ledger-row-without-dossier"]),
        )
    };
    let (twice, unmatched) = said(&[]);
    assert_eq!(twice, 1);
    assert_eq!(unmatched.len(), 1, "{unmatched:?}");
    assert!(unmatched[0].contains("赵六"), "{unmatched:?}");
    let off = t.beside.path().join("no-duplicates.yaml");
    std::fs::write(
        &off,
        "rules:\n  - { id: duplicate-person, enabled: false }\n",
    )
    .expect("rules");
    let (twice, unmatched) = said(&["--rules", &off.display().to_string()]);
    assert_eq!(twice, 0);
    assert_eq!(unmatched.len(), 2, "{unmatched:?}");
}

#[test]
fn an_invalid_id_number_in_a_folder_name_is_said_once() {
    let said = |ledger_id: &str| {
        let t = Tiny::new();
        // A wrong check digit (…0242 is right), in the folder's name.
        let folder = t.root().join(BRANCH).join("李四320102199807120241");
        std::fs::rename(t.person(), &folder).expect("mv");
        t.row(|r| set(r, "身份证号码", text(ledger_id)));
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "invalid-id-number")
            .map(|f| f["file"].as_str().unwrap_or("ledger").to_string())
            .collect::<Vec<_>>()
    };
    // The ledger has no number: the folder's is checked, and wrong.
    let only_folder = said("");
    assert_eq!(only_folder.len(), 1, "{only_folder:?}");
    // The same wrong number in the ledger too: said once, of the ledger's cell.
    let both = said("320102199807120241");
    assert_eq!(both.len(), 1, "{both:?}");
}

#[test]
fn an_interval_takes_min_or_max_and_needs_its_columns() {
    let t = Tiny::new();
    // Both bounds, or neither: refused, at load.
    for bounds in ["    min: 1 year\n    max: 2 years\n", ""] {
        let err = t.refused(&format!(
            "  - id: both-ways\n    kind: interval\n    message: 同上\n    basis: 同上\n    from: applied\n    to: talked\n{bounds}"
        ));
        assert!(err.contains("min 或 max 之一"), "{err}");
    }
    // Without a 转正申请时间 column, conversion-application-late cannot run: the survey says
    // which column it lacks.
    assert_eq!(
        not_run_because(
            |t| header_as(t, "转正申请时间", "备用列"),
            "conversion-application-late"
        )
        .as_deref(),
        Some("台账没有「转正申请时间」列")
    );
}

#[test]
fn an_invalid_resume_month_written_twice_in_an_entry_is_said_once() {
    let invalid = |start: &str, end: &str| {
        let t = Tiny::new();
        write_sheet(
            &t.person().join("简历.xlsx"),
            &["起", "止", "在何单位任何职"],
            &[vec![text(start), text(end), text("某大学学生")]],
        );
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "invalid-date")
            .count()
    };
    // A one-month stint whose month does not exist, written as start and end: one finding.
    assert_eq!(invalid("2016.13", "2016.13"), 1);
    // Two months that do not exist: two.
    assert_eq!(invalid("2016.13", "2017.14"), 2);
}

#[test]
fn resolution_is_judged_to_the_half_dot_and_its_minimum_must_be_positive() {
    // min_dpi 200.5 and a scan tagged 200 dpi: within half a dot, as the message would round
    // it (200 shown against 200), so not reported; 199 dpi is.
    let low = |dpi: u16, min: &str| -> Result<bool, String> {
        let t = Tiny::new();
        std::fs::remove_file(t.person().join("自传.pdf")).expect("rm");
        t.write(&format!("{LI}/自传.jpg"), &photo(dpi, 2480, 3508));
        let path = t.beside.path().join("dpi.yaml");
        std::fs::write(
            &path,
            format!("rules:\n  - {{ id: low-resolution, min_dpi: {min} }}\n"),
        )
        .expect("rules");
        let path = path.display().to_string();
        let out = common::dangan()
            .args([
                "audit",
                "--as-of",
                "2026-11-28",
                "--format",
                "json",
                "--rules",
                &path,
            ])
            .arg(t.root())
            .output()
            .expect("run");
        if out.status.code() == Some(2) {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        Ok(findings(&json)
            .iter()
            .any(|f| f["rule"] == "low-resolution"))
    };
    assert_eq!(low(200, "200.5"), Ok(false));
    assert_eq!(low(199, "200.5"), Ok(true));
    for bad in ["-5", "0"] {
        let err = low(200, bad).expect_err(bad);
        assert!(err.contains("min_dpi 应为正数"), "{err}");
    }
}

#[test]
fn a_folder_two_ledger_rows_could_be_is_joined_to_neither_and_says_why() {
    // Two 李四 in the ledger (two people, two ID numbers); her folder names no number.
    let t = Tiny::new();
    let mut other = li_si();
    set(&mut other, "身份证号码", text(&id("11010119900101001")));
    set(&mut other, "出生年月", text("1990.01"));
    t.ledger(&[li_si(), other]);
    let (_, json) = audit_json(t.root(), &[]);
    let f = findings(&json)
        .iter()
        .find(|f| f["rule"] == "dossier-without-ledger-row")
        .unwrap_or_else(|| panic!("{json:#}"));
    let msg = f["message"].as_str().unwrap_or_default();
    assert!(msg.contains("台账中有 2 行同名“李四”"), "{msg}");
    assert!(msg.contains("加上身份证号"), "{msg}");
}

#[test]
fn named_people_say_how_many_were_written_and_whom_they_mean() {
    let detail = |rule: &str, column: &str, names: &str| {
        let t = Tiny::new();
        t.row(|r| set(r, column, text(names)));
        let (_, json) = audit_json(t.root(), &[]);
        findings(&json)
            .iter()
            .find(|f| f["rule"] == rule)
            .and_then(|f| f["message"].as_str())
            .map(str::to_string)
    };
    let one = detail("introducers", "入党介绍人", "王强").unwrap_or_default();
    assert!(one.contains("写了 1 人，应为 2 人"), "{one}");
    let three = detail("contacts", "培养联系人", "王强、赵刚、孙丽").unwrap_or_default();
    assert!(three.contains("写了 3 人，应为 1–2 人"), "{three}");

    // Two 王强 in the archive: the one of 李四's branch converted long before her admission,
    // one of another branch only after it. Hers is meant: no finding.
    let wang = |branch: &str, number: &str, converted: &str| {
        let mut w = li_si();
        set(&mut w, "姓名", text("王强"));
        set(&mut w, "所在党支部", text(branch));
        set(&mut w, "身份证号码", text(&id(number)));
        set(&mut w, "出生年月", text("1990.01"));
        set(&mut w, "接收为预备党员时间", text("2019.08.30"));
        set(&mut w, "上级党委审批时间", text("2019.10.20"));
        set(&mut w, "转为正式党员时间", text(converted));
        set(&mut w, "培养联系人", text("张三"));
        set(&mut w, "入党介绍人", text("张三、赵刚"));
        w
    };
    let t = Tiny::new();
    t.ledger(&[
        li_si(),
        wang(BRANCH, "11010119900101001", "2020.08.30"),
        wang("第二党支部", "11010119900101002", "2025.10.01"),
    ]);
    let (_, json) = audit_json(t.root(), &[]);
    let introducers: Vec<&serde_json::Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "introducers" && f["dossier"] == LI)
        .collect();
    assert!(introducers.is_empty(), "{introducers:#?}");
    // Only the other branch's 王强: the name means him, and he was not yet a full member.
    let t = Tiny::new();
    t.ledger(&[
        li_si(),
        wang("第二党支部", "11010119900101002", "2025.10.01"),
    ]);
    let (_, json) = audit_json(t.root(), &[]);
    let late = findings(&json)
        .iter()
        .find(|f| f["rule"] == "introducers" && f["dossier"] == LI)
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default();
    assert!(late.contains("才转为正式党员"), "{json:#}");
}

#[test]
fn a_plan_year_ends_on_its_last_day_and_named_people_need_min_below_max() {
    // 2026's plan of two, none admitted in 2026: judged once the year is over — on its last
    // day, not the day before.
    let short_on = |as_of: &str| {
        let t = Tiny::new();
        plan(&t, &[(BRANCH, "2026", "2", "", "")]);
        let out = common::dangan()
            .arg("audit")
            .arg(t.root())
            .args(["--as-of", as_of, "--format", "json", "--fail-on", "never"])
            .output()
            .expect("run");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        findings(&json)
            .iter()
            .any(|f| f["rule"] == "plan-shortfall")
    };
    assert!(short_on("2026-12-31"));
    assert!(!short_on("2026-12-30"));

    // min above max is refused at load.
    let err = Tiny::new().refused("  - { id: introducers, min: 3, max: 2 }\n");
    assert!(err.contains("min 不大于 max"), "{err}");
}

#[test]
fn an_extended_probation_ends_that_much_later() {
    // Admitted 2024-03-01, probation extended by six months: it ends 2025-08-31.
    let said = |converted: &str| {
        let t = Tiny::new();
        t.row(|r| {
            set(r, "接收为预备党员时间", text("2024.03.01"));
            set(r, "上级党委审批时间", text("2024.05.20"));
            set(r, "延长预备期", text("6个月"));
            set(r, "转为正式党员时间", text(converted));
        });
        let (_, json) = audit_json(t.root(), &[]);
        messages(&json, &["probation-extension", "conversion-overdue"])
    };
    // Converted the day it ended: in order.
    assert_eq!(said("2025.08.31"), Vec::<String>::new());
    // Converted when the year would have ended, before the six months: too early.
    let early = said("2025.03.01");
    assert!(
        early.iter().any(|m| m.contains("早于延长后的期满")),
        "{early:?}"
    );
    // Converted past the extended end and its three months' grace: late, and said against
    // the extension.
    let late = said("2025.12.31");
    assert!(
        late.iter().any(|m| m.contains("比延长 6 个月后的预备期满")),
        "{late:?}"
    );
}

#[test]
fn a_plan_needs_the_ledgers_admission_column() {
    let why = not_run_because(
        |t| {
            plan(t, &[(BRANCH, "2025", "1", "", "")]);
            header_as(t, "接收为预备党员时间", "备用列");
        },
        "plan-shortfall",
    );
    assert_eq!(why.as_deref(), Some("台账没有「接收为预备党员时间」列"));
}

/// What the survey says a rule lacks, for 李四's archive with `change` made to it.
fn not_run_because(change: impl FnOnce(&Tiny), rule: &str) -> Option<String> {
    let t = Tiny::new();
    change(&t);
    // The rule on (a no-op for the rules on by default), so that one off by default is asked.
    let on = enable(&t, rule);
    let out = common::dangan()
        .arg("survey")
        .arg(t.root())
        .args(["--as-of", "2026-11-28", "--format", "json"])
        .args(&on)
        .output()
        .expect("survey");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("survey JSON");
    json["checks_not_run"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["rule"] == rule)
        .and_then(|c| c["reason"].as_str())
        .map(str::to_string)
}

#[test]
fn the_survey_names_the_columns_a_rule_lacks() {
    // Either column gives a birth date: lacking both, resume-before-birth cannot run.
    let neither = not_run_because(
        |t| {
            let header: Vec<&str> = HEADER
                .iter()
                .map(|h| match *h {
                    "出生年月" => "备用一",
                    "身份证号码" => "备用二",
                    h => h,
                })
                .collect();
            write_sheet(&t.root().join(LEDGER), &header, &[li_si()]);
        },
        "resume-before-birth",
    );
    assert_eq!(
        neither.as_deref(),
        Some("台账没有「出生年月」「身份证号码」中的任何一列")
    );
    assert_eq!(
        not_run_because(
            |t| header_as(t, "出生年月", "备用一"),
            "resume-before-birth"
        ),
        None
    );
    // An extension is judged from admission to conversion.
    assert_eq!(
        not_run_because(
            |t| header_as(t, "转为正式党员时间", "备用列"),
            "probation-extension"
        )
        .as_deref(),
        Some("台账没有「转为正式党员时间」列")
    );
    // A branch is dormant by its admissions.
    assert_eq!(
        not_run_because(
            |t| header_as(t, "接收为预备党员时间", "备用列"),
            "branch-dormant"
        )
        .as_deref(),
        Some("台账没有「接收为预备党员时间」列")
    );
}

#[test]
fn nothing_is_dated_after_a_cancelled_probation() {
    // 李四's last step is the higher committee's approval, 2025-11-20.
    let said = |cancelled: &str| {
        let t = Tiny::new();
        t.row(|r| set(r, "取消预备党员资格时间", text(cancelled)));
        let (_, json) = audit_json(t.root(), &[]);
        messages(&json, &["probation-extension", "conversion-overdue"])
    };
    // Cancelled the day of the approval: nothing after it.
    assert_eq!(said("2025.11.20"), Vec::<String>::new());
    // Cancelled the day before: the approval comes after the cancellation.
    let after = said("2025.11.19");
    assert!(
        after
            .iter()
            .any(|m| m.contains("取消预备党员资格（2025-11-19）之后还有上级党委审批时间")),
        "{after:?}"
    );
}

#[test]
fn a_damaged_file_is_not_also_judged_by_its_extension() {
    let rules_for = |bytes: &[u8]| {
        let t = Tiny::new();
        std::fs::remove_file(t.person().join("自传.pdf")).expect("rm");
        t.write(&format!("{LI}/自传.pdf"), bytes);
        t.fired(&[])
    };
    // A whole JPEG saved as .pdf: its format does not match its name.
    assert!(rules_for(&jpeg()).contains("format-mismatch"));
    // The same JPEG cut off halfway: damaged, said as such, and only that.
    let whole = jpeg();
    let cut = &whole[..whole.len() / 2];
    let fired = rules_for(cut);
    assert!(!fired.contains("format-mismatch"), "{fired:?}");
    assert!(!fired.is_empty(), "the damage is said: {fired:?}");
}

#[test]
fn a_damaged_file_with_a_name_of_two_documents_is_said_damaged_only() {
    // 考察表.pdf fits two documents; readable, that is what is said. Damaged, the damage is
    // said and nothing is guessed from its name.
    let fired = |bytes: &[u8]| {
        let t = Tiny::new();
        let p = t.person();
        std::fs::remove_file(p.join("预备党员考察表.pdf")).expect("rm");
        std::fs::write(p.join("考察表.pdf"), bytes).expect("write");
        t.fired(&[])
    };
    let whole = jpeg();
    assert!(fired(&whole).contains("ambiguous-file"));
    let damaged = fired(&whole[..whole.len() / 2]);
    assert!(damaged.contains("unreadable-file"), "{damaged:?}");
    assert!(!damaged.contains("ambiguous-file"), "{damaged:?}");
}

#[test]
fn a_resume_month_typed_as_a_number_is_said_at_either_end() {
    let said = |start: Cell, end: Cell| {
        let t = Tiny::new();
        write_sheet(
            &t.person().join("简历.xlsx"),
            &["起", "止", "在何单位任何职"],
            &[
                vec![start, end, text("某大学学生")],
                vec![text("2016.11"), text("至今"), text("某局科员")],
            ],
        );
        let (_, json) = audit_json(t.root(), &[]);
        messages(&json, &["ambiguous-month"]).len()
    };
    assert_eq!(said(text("2012.09"), text("2016.11")), 0);
    assert_eq!(said(Cell::N(2012.1), text("2016.11")), 1);
    assert_eq!(said(text("2012.09"), Cell::N(2016.1)), 1);
    assert_eq!(said(Cell::N(2012.1), Cell::N(2016.1)), 2);
}

#[test]
fn another_persons_findings_stand_beside_ambiguous_cells() {
    // 王强 is in the ledger with no folder; 李四's application month is typed as a number or
    // as text. Only findings about people with such cells wait for every reading: 王强's are
    // reported either way (and carry his name and branch).
    let about_wang = |applied: Cell| {
        let t = Tiny::new();
        let mut li = li_si();
        set(&mut li, "申请入党时间", applied);
        let mut wang = li_si();
        set(&mut wang, "姓名", text("王强"));
        set(&mut wang, "身份证号码", text(&id("11010119900101001")));
        set(&mut wang, "出生年月", text("1990.01"));
        t.ledger(&[li, wang]);
        let (_, json) = audit_json(t.root(), &[]);
        let mut rules: Vec<String> = findings(&json)
            .iter()
            .filter(|f| f["name"] == "王强" && f["branch"] == BRANCH)
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect();
        rules.sort();
        rules
    };
    let plain = about_wang(text("2023.03"));
    assert!(!plain.is_empty());
    assert_eq!(about_wang(Cell::N(2023.1)), plain);
}

#[test]
fn a_stray_file_is_listed_under_the_branch_it_lies_in() {
    let t = Tiny::new();
    t.write(&format!("{BRANCH}/随手记.jpg"), &jpeg());
    t.write("随手记.jpg", &jpeg());
    let (_, json) = audit_json(t.root(), &[]);
    let branch_of = |file: &str| {
        findings(&json)
            .iter()
            .find(|f| f["file"] == file)
            .map(|f| f["branch"].clone())
            .unwrap_or_else(|| panic!("no finding about {file}: {json:#}"))
    };
    assert_eq!(branch_of(&format!("{BRANCH}/随手记.jpg")), BRANCH);
    assert_eq!(branch_of("随手记.jpg"), serde_json::Value::Null);
}

#[test]
fn thought_reports_are_due_from_the_first_quarter_that_begins_after_the_activist_date() {
    let gap = |activist: &str, from: (u32, u32)| {
        report_gap_after(|t| {
            t.row(|r| set(r, "确定为入党积极分子时间", text(activist)));
            let quarters: Vec<(u32, u32)> = quarters_since_activist()
                .into_iter()
                .filter(|&q| q >= from)
                .collect();
            reports(t, &quarters, None);
        })
    };
    // An activist from 10 June (the last month of a quarter): the third quarter is the first
    // whole one, and is due.
    assert!(!gap("2023.06.10", (2023, 3)));
    assert!(gap("2023.06.10", (2023, 4)));
    // From 10 July (its first month) the third quarter is under way: the fourth is the first.
    assert!(!gap("2023.07.10", (2023, 4)));
    assert!(gap("2023.07.10", (2024, 1)));
}

/// Whether thought-report-gap fires on the tiny archive after `change`.
fn report_gap_after(change: impl FnOnce(&Tiny)) -> bool {
    let t = Tiny::new();
    change(&t);
    let extra = enable(&t, "thought-report-gap");
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    t.fired(&extra).contains("thought-report-gap")
}

#[test]
fn a_catalog_dates_thought_reports_in_its_thought_report_rows_only() {
    let quarters = quarters_since_activist();
    let skip = quarters.iter().position(|&q| q == (2025, 3));
    // 2025's third quarter has no report; the catalog dates the 入党志愿书 2025.09.01, which is
    // no thought report: the gap stands.
    assert!(report_gap_after(|t| {
        reports(t, &quarters, skip);
        catalog_with(t, |_| {});
    }));
    // A thought report the catalog lists in that quarter fills it.
    assert!(!report_gap_after(|t| {
        reports(t, &quarters, skip);
        catalog_with(t, |c| c.push(("思想汇报", "1", "2025.08.15")));
    }));
}

#[test]
fn a_person_without_a_folder_is_judged_by_the_ledgers_list_alone() {
    let without_folder = |listed: String| {
        report_gap_after(|t| {
            std::fs::remove_dir_all(t.person()).expect("rm");
            t.row(|r| set(r, "思想汇报时间", text(&listed)));
        })
    };
    assert!(without_folder(listed_quarters(Some(5))));
    assert!(!without_folder(listed_quarters(None)));
}

#[test]
fn an_undated_report_takes_no_date_from_the_dossier_folders_name() {
    // Every quarter but one has its report; the one left is undated, in a dossier folder whose
    // name holds a month. The person is not judged (the report may be any quarter's).
    assert!(!report_gap_after(|t| {
        let quarters = quarters_since_activist();
        reports(t, &quarters, Some(5));
        let pdf = t.read(&format!("{LI}/自传.pdf"));
        t.write(
            &format!("{LI}/思想汇报/思想汇报.pdf"),
            &[pdf, b"\n% undated\n".to_vec()].concat(),
        );
        let moved = t.root().join(BRANCH).join("李四（2023年7月）");
        std::fs::rename(t.person(), moved).expect("mv");
    }));
}

#[test]
fn a_combined_file_that_may_hold_thought_reports_keeps_the_person_unjudged() {
    let with_combined = |from: &str| {
        report_gap_after(|t| {
            reports(t, &quarters_since_activist(), Some(5));
            let pdf = std::fs::read(fixture("folders").join(from)).expect("pdf");
            t.write(&format!("{LI}/李四材料.pdf"), &pdf);
        })
    };
    // Its bookmarks name an application and an assessment, no thought report: judged.
    assert!(with_combined("第二党支部/黄敏/黄敏材料.pdf"));
    // Two pages and no bookmarks: a report may be inside; not judged.
    assert!(!with_combined("第二党支部/何静/何静档案.pdf"));
}

#[test]
fn introducers_are_asked_for_only_from_the_candidate_date() {
    let fired = |candidate: &str| {
        let t = Tiny::new();
        t.row(|r| {
            set(r, "确定为发展对象时间", text(candidate));
            set(r, "入党介绍人", text(""));
        });
        t.fired(&[]).contains("introducers")
    };
    assert!(fired("2024.05.10"));
    assert!(!fired(""));
}

#[test]
fn a_catalog_row_without_a_title_is_said_to_have_none() {
    let t = Tiny::new();
    catalog_with(&t, |c| c.push(("", "1", "2025.10.01")));
    let (_, json) = audit_json(t.root(), &[]);
    let said = messages(&json, &["catalog-unreadable"]);
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(said[0].contains("题名为空"), "{said:?}");
    assert!(!said[0].contains("不是已知的材料名称"), "{said:?}");
}

#[test]
fn an_empty_file_is_said_empty_and_not_judged_by_its_extension() {
    let t = Tiny::new();
    t.write(&format!("{LI}/入党申请书附件.jpg"), b"");
    // Named as no material: empty all the same, and only that; with an image in it, it is
    // a file no material is named in.
    t.write(&format!("{LI}/扫描001.jpg"), b"");
    t.write(&format!("{LI}/扫描002.jpg"), &jpeg());
    let (_, json) = audit_json(t.root(), &[]);
    let rules = |file: &str| -> Vec<String> {
        findings(&json)
            .iter()
            .filter(|f| f["file"] == format!("{LI}/{file}"))
            .filter_map(|f| f["rule"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(rules("入党申请书附件.jpg"), ["empty-file"]);
    assert_eq!(rules("扫描001.jpg"), ["empty-file"]);
    assert_eq!(rules("扫描002.jpg"), ["unrecognized-file"]);
}

#[test]
fn a_concurrent_word_is_found_however_the_entry_writes_it() {
    // A job since 2016.07 and an entry from 2018.09 that is concurrent only if it holds one of
    // the rule's words (here also MBA), matched after full-width letters and spaces are read
    // as the plain text they are.
    let overlaps = |entry: &str| {
        let t = Tiny::new();
        let lines = [
            ("2012.09—2016.07", "某大学学生"),
            ("2016.07—至今", "某局科员"),
            ("2018.09—2021.07", entry),
        ];
        write_resume(&t.person().join("简历.xlsx"), &lines);
        let rules = t.beside.path().join("overlap.yaml");
        std::fs::write(
            &rules,
            "rules:\n  - { id: resume-overlap, concurrent: [在职攻读, MBA] }\n",
        )
        .expect("rules");
        t.fired(&["--rules", &rules.display().to_string()])
            .contains("resume-overlap")
    };
    assert!(overlaps("某大学硕士研究生"));
    // Spaces or full-width letters in an entry without any of the words: still an overlap.
    assert!(overlaps("某大学 硕士研究生"));
    assert!(!overlaps("在职攻读某大学硕士学位"));
    assert!(!overlaps("在职 攻读某大学硕士学位"));
    assert!(!overlaps("攻读ＭＢＡ学位"));
    assert!(!overlaps("M BA, part time"));
}

#[test]
fn training_is_counted_in_days_only_between_two_different_days() {
    let fired = |span: &str, hours: &str| {
        let t = Tiny::new();
        t.row(|r| {
            set(r, "集中培训时间", text(span));
            set(r, "集中培训学时", text(hours));
        });
        t.fired(&[]).contains("training-too-short")
    };
    assert!(fired("2025.06.10-11", ""));
    // One day written once, or months: no days to count, and no class hours to judge by.
    assert!(!fired("2025.06.10", ""));
    assert!(!fired("2025.06-2025.07", ""));
    // No days to count: judged by the class hours alone, and their cell is the one named.
    assert!(fired("2025.06", "23"));
    assert!(!fired("2025.06", "24"));
    let t = Tiny::new();
    t.row(|r| {
        set(r, "集中培训时间", text("2025.06"));
        set(r, "集中培训学时", text("23"));
    });
    let (_, json) = audit_json(t.root(), &[]);
    let cell = findings(&json)
        .iter()
        .find(|f| f["rule"] == "training-too-short")
        .map(|f| f["location"]["cell"].clone());
    let col = HEADER
        .iter()
        .position(|h| *h == "集中培训学时")
        .expect("col");
    let hours_cell = dangan::text::cell_name(1, col as u32);
    assert_eq!(cell, Some(serde_json::Value::from(hours_cell)));
}

#[test]
fn a_resume_entry_within_one_month_is_not_reversed() {
    let reversed = |span: &str| {
        let t = Tiny::new();
        let lines = [
            ("2012.09—2016.07", "某大学学生"),
            (span, "某局见习"),
            ("2016.07—至今", "某局科员"),
        ];
        write_resume(&t.person().join("简历.xlsx"), &lines);
        t.fired(&[]).contains("resume-reversed")
    };
    assert!(!reversed("2016.07—2016.07"));
    assert!(reversed("2016.07—2016.06"));
}

#[test]
fn a_resume_row_outside_the_dossiers_is_attached_by_its_id_number_before_its_name() {
    // A branch's resume workbook: its rows for 李四 carry her ID number and a misspelt name
    // (李斯). The ID number says whose they are: her resume's two-year gap is hers.
    let t = Tiny::new();
    std::fs::remove_file(t.person().join("简历.xlsx")).expect("rm");
    let li_id = id("32010219980712024");
    write_sheet(
        &t.root().join(BRANCH).join("简历汇总.xlsx"),
        &["姓名", "身份证号码", "起止时间", "在何单位任何职"],
        &[
            vec![
                text("李斯"),
                text(&li_id),
                text("2012.09—2016.07"),
                text("某大学学生"),
            ],
            vec![
                text("李斯"),
                text(&li_id),
                text("2018.07—至今"),
                text("某局科员"),
            ],
        ],
    );
    let (_, json) = audit_json(t.root(), &[]);
    let gaps: Vec<&serde_json::Value> = findings(&json)
        .iter()
        .filter(|f| f["rule"] == "resume-gap")
        .collect();
    assert_eq!(gaps.len(), 1, "{json:#}");
    assert_eq!(gaps[0]["name"], "李四");
}

#[test]
fn the_survey_says_training_cannot_be_judged_without_its_days_or_hours() {
    let without = |cols: &[&str]| {
        not_run_because(
            |t| {
                let header: Vec<&str> = HEADER
                    .iter()
                    .map(|h| if cols.contains(h) { "备用列" } else { *h })
                    .collect();
                write_sheet(&t.root().join(LEDGER), &header, &[li_si()]);
            },
            "training-too-short",
        )
    };
    assert_eq!(
        without(&["集中培训时间", "集中培训学时"]).as_deref(),
        Some("台账没有「集中培训时间」列；台账没有「集中培训学时」列")
    );
    assert_eq!(without(&["集中培训学时"]), None);
}

#[test]
fn thought_report_gap_needs_the_activist_date() {
    // Off by default: asked for, it says it cannot run without the date it counts from.
    let why = not_run_because(
        |t| header_as(t, "确定为入党积极分子时间", "备用列"),
        "thought-report-gap",
    );
    assert!(
        why.as_deref()
            .is_some_and(|w| w.contains("确定为入党积极分子时间")),
        "{why:?}"
    );
    // With the column, it runs.
    assert_eq!(not_run_because(|_| {}, "thought-report-gap"), None);
}

#[test]
fn a_month_shown_with_two_decimals_is_read_as_shown() {
    // 2012.1 in a cell formatted 0.00 shows 2012.10: October, no question asked — also in a
    // workbook whose only number format is that one, and with Excel's built-in formats 2
    // (0.00) and 4 (#,##0.00) named by number only. Without a format it is asked.
    let said = |format: Option<rust_xlsxwriter::Format>| {
        let t = Tiny::new();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, h) in ["起", "止", "在何单位任何职"].iter().enumerate() {
            ws.write_string(0, c as u16, *h).expect("header");
        }
        match format {
            Some(f) => ws.write_number_with_format(1, 0, 2012.1, &f).expect("cell"),
            None => ws.write_number(1, 0, 2012.1).expect("cell"),
        };
        ws.write_string(1, 1, "2016.11").expect("cell");
        ws.write_string(1, 2, "某大学学生").expect("cell");
        ws.write_string(2, 0, "2016.11").expect("cell");
        ws.write_string(2, 1, "至今").expect("cell");
        ws.write_string(2, 2, "某局科员").expect("cell");
        wb.save(t.person().join("简历.xlsx")).expect("save");
        let (_, json) = audit_json(t.root(), &[]);
        messages(&json, &["ambiguous-month"]).len()
    };
    let code = |c: &str| Some(rust_xlsxwriter::Format::new().set_num_format(c));
    let built_in = |i: u8| Some(rust_xlsxwriter::Format::new().set_num_format_index(i));
    assert_eq!(said(code("0.00")), 0);
    assert_eq!(said(built_in(2)), 0);
    assert_eq!(said(built_in(4)), 0);
    assert_eq!(said(None), 1);
}

#[test]
fn publicity_too_short_needs_the_publicity_column() {
    let why = not_run_because(
        |t| header_as(t, "公示时间", "备用列"),
        "publicity-too-short",
    );
    assert!(
        why.as_deref().is_some_and(|w| w.contains("公示时间")),
        "{why:?}"
    );
    assert_eq!(not_run_because(|_| {}, "publicity-too-short"), None);
}

#[test]
fn a_blank_catalog_title_names_no_document_whatever_the_aliases() {
    // An alias for files named by digits alone (`^\d*$`) matches an empty title too. A row
    // with no title still names nothing (catalog-unreadable says it is blank): the 自传 the
    // catalog no longer lists is uncatalogued.
    let t = Tiny::new();
    catalog_with(&t, |c| {
        c.retain(|r| r.0 != "自传");
        c.push(("", "1", ""));
    });
    let rules = t.beside.path().join("digits.yaml");
    std::fs::write(
        &rules,
        "documents:\n  autobiography:\n    regex: ['^\\d*$']\n",
    )
    .expect("rules");
    let (_, json) = audit_json(t.root(), &["--rules", &rules.display().to_string()]);
    let uncatalogued = messages(&json, &["uncatalogued-document"]);
    assert_eq!(uncatalogued.len(), 1, "{uncatalogued:?}");
    assert!(uncatalogued[0].contains("自传"), "{uncatalogued:?}");
    assert_eq!(messages(&json, &["catalog-unreadable"]).len(), 1);
}

#[test]
fn a_catalog_row_that_fits_two_documents_lists_both() {
    // 考察表 fits 入党积极分子培养教育考察登记表 and 预备党员考察表 alike: a row so titled lists
    // neither as uncatalogued (catalog-unreadable says the title is two-way).
    let uncatalogued = |title: Option<&'static str>| {
        let t = Tiny::new();
        catalog_with(&t, |c| {
            c.retain(|r| !r.0.contains("考察"));
            if let Some(title) = title {
                c.push((title, "2", ""));
            }
        });
        let (_, json) = audit_json(t.root(), &[]);
        messages(&json, &["uncatalogued-document"]).len()
    };
    assert_eq!(uncatalogued(Some("考察表")), 0);
    assert_eq!(uncatalogued(None), 2);
}

#[test]
fn a_catalog_row_that_fits_two_pages_of_one_document_lists_that_document() {
    // 党委谈话审批意见 fits two pages of the 入党志愿书 alike (上级党委派人谈话, 党委审批意见),
    // both filed as the 入党志愿书: the row lists it, nothing two-way about it.
    let t = Tiny::new();
    catalog_with(&t, |c| {
        for r in c.iter_mut().filter(|r| r.0 == "入党志愿书") {
            r.0 = "党委谈话审批意见";
        }
    });
    let (_, json) = audit_json(t.root(), &[]);
    let said = messages(&json, &["catalog-unreadable", "uncatalogued-document"]);
    assert!(said.is_empty(), "{said:?}");
    assert_eq!(messages(&json, &["catalog-item-missing"]).len(), 0);
}
