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
const HEADER: [&str; 17] = [
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

/// 李四's ledger row: a probationary member, every milestone in order and in time.
fn li_si() -> Vec<Cell> {
    [
        "李四",
        "女",
        "汉族",
        &id("32010219980712024"),
        "1998.07",
        BRANCH,
        "2021.03",
        "2021.03",
        "2021.05.10",
        "2022.05.10",
        "2022.06.01",
        "2022.06.10-12",
        "2022.07.01",
        "2022.09.20",
        "",
        "",
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
        ("入党申请书", "1", "2021.03"),
        ("入党积极分子培养教育考察登记表", "1", ""),
        ("自传", "1", ""),
        ("简历", "", ""),
        ("政审材料", "1", ""),
        ("集中培训表", "1", ""),
        ("入党志愿书", "1", "2022.07.01"),
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

/// A scan from the clean fixture: a JPEG whose JFIF header says 300 dpi.
fn jpeg() -> Vec<u8> {
    std::fs::read(fixture("clean").join("第一党支部/01-张三/入党志愿书（1）.jpg")).expect("jpeg")
}

/// (kind, the default rule of that kind, the defect planted).
type Case = (&'static str, &'static str, fn(&Tiny) -> Vec<String>);

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
            t.row(|r| set(r, "确定为发展对象时间", text("2021.04.01")));
            Vec::new()
        }),
        ("interval", "activist-period-too-short", |t| {
            t.row(|r| set(r, "确定为发展对象时间", text("2022.03.01")));
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
