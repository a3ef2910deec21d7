//! `fixtures/catalogs`: dossiers with their catalogs (卷内目录) as branches keep them
//! (shared/domain.md §4). 第一党支部 files a catalog in each dossier; 第二党支部 keeps one
//! catalog workbook for the branch, 姓名 merged down over each person's rows.
//!
//! - 张三: the DA/T 22-2015 columns (序号 档号 文号 责任者 题名 日期 密级 页数 备注) under a title
//!   row, page counts, dates typed and as date cells, two 思想汇报 rows, a 合计 row: clean;
//! - 李明: a folder per material of page images, 材料名称 and 起止页号 (`1-2`, or the first
//!   page alone): clean;
//! - 王强: the dossier as one bookmarked PDF, 页号 the first page of each item: clean;
//! - 钱七: the dossier as one PDF without bookmarks, its catalog's 页号 tiling its pages: the
//!   catalog is its index, clean (see `src/catalog.rs`);
//! - 赵敏: every catalog defect once — a date that is not the ledger's, 自传 not listed, a page
//!   cell that is no number, a title that names no material, 入党志愿书 8 pages for a 6-page
//!   scan, 转正申请书 listed but absent;
//! - branch catalog: 孙丽 clean; the header printed again over 周杰's rows, and his 自传
//!   listed as 2 pages, scanned as 3; rows for 吴刚, who is in neither the folders nor the
//!   ledger.

use std::fs;
use std::path::Path;

use rust_xlsxwriter::{Format, XlsxError};

use super::V::{self, E, S, T};
use super::folders::{dates, outlined_pdf};
use super::{Pdf, Person, id, workbook, write_archive};

fn person(branch: &'static str, name: &'static str, stage: usize, seq: &str) -> Person {
    Person {
        branch,
        folder: Some(name.into()),
        in_ledger: true,
        name,
        sex: "女",
        nation: "汉族",
        id: T(id("320102", "19960101", seq)),
        birth: S("1996.01"),
        dates: dates(stage),
        files: Vec::new(),
        resume: None,
    }
}

fn people() -> Vec<Person> {
    let b1 = "第一党支部";
    let b2 = "第二党支部";
    let mut zhang = person(b1, "张三", 3, "101");
    zhang.files = vec![
        "思想汇报/思想汇报2020年第1季度.pdf",
        "思想汇报/思想汇报2020年第2季度.pdf",
    ];
    let mut li = person(b1, "李明", 3, "112");
    li.files = vec![
        "01-入党申请书/001.jpg",
        "01-入党申请书/002.jpg",
        "02-入党积极分子考察登记表/001.jpg",
        "03-自传/001.jpg",
        "03-自传/002.jpg",
        "03-自传/003.jpg",
        "04-政审材料/001.jpg",
        "05-集中培训表/001.jpg",
        "06-入党志愿书/001.jpg",
        "06-入党志愿书/002.jpg",
        "06-入党志愿书/003.jpg",
        "06-入党志愿书/004.jpg",
        "07-预备党员考察表/001.jpg",
    ];
    let mut zhao = person(b1, "赵敏", 3, "134");
    zhao.files = vec![
        "入党申请书.pdf",
        "入党积极分子考察登记表.pdf",
        "自传.pdf",
        "政审材料.pdf",
        "集中培训表.pdf",
        "预备党员考察表.pdf",
    ];
    let mut sun = person(b2, "孙丽", 4, "145");
    sun.files = super::ALL_DOCS.to_vec();
    let mut zhou = person(b2, "周杰", 2, "156");
    zhou.files = vec!["入党申请书.pdf", "入党积极分子考察登记表.pdf"];
    vec![
        zhang,
        li,
        person(b1, "王强", 3, "123"),
        zhao,
        person(b1, "钱七", 3, "167"),
        sun,
        zhou,
    ]
}

/// A PDF of `pages` pages, unique by `tag`.
fn pages(tag: &str, pages: usize) -> Vec<u8> {
    Pdf {
        tag,
        pages,
        ..Pdf::default()
    }
    .build()
}

/// A catalog sheet: an optional title row, then the header, then rows.
fn sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    title: Option<&str>,
    header: &[&str],
    rows: &[Vec<V>],
) -> Result<u32, XlsxError> {
    let date_fmt = Format::new().set_num_format("yyyy.mm.dd");
    let mut r = 0;
    if let Some(t) = title {
        ws.merge_range(0, 0, 0, header.len() as u16 - 1, t, &Format::new())?;
        r = 1;
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(r, c as u16, *h)?;
    }
    for row in rows {
        r += 1;
        for (c, v) in row.iter().enumerate() {
            super::write_cell(ws, r, c as u16, v, &date_fmt)?;
        }
    }
    Ok(r)
}

fn n(v: f64) -> V {
    V::N(v)
}

fn dossier_catalogs(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let b1 = root.join("第一党支部");
    // 张三: DA/T 22-2015 columns, counts, a 合计 row.
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("卷内目录")?;
    let rows = [
        ("入党申请书", S("2019.03.05"), 2.0),
        ("入党积极分子培养教育考察登记表", S("2019.06"), 3.0),
        ("思想汇报（2020年第一季度）", S("2020.03"), 1.0),
        ("思想汇报（2020年第二季度）", S("2020.06"), 1.0),
        ("自传", E, 4.0),
        ("政治审查材料", S("2020.08.01"), 2.0),
        ("集中培训表", E, 1.0),
        ("中国共产党入党志愿书", V::D(2020, 9, 15), 8.0),
        ("预备党员考察表", E, 2.0),
    ];
    let mut cells: Vec<Vec<V>> = rows
        .iter()
        .enumerate()
        .map(|(i, (title, date, pages))| {
            vec![
                n(i as f64 + 1.0),
                E,
                E,
                S("张三"),
                S(title),
                date.clone(),
                E,
                n(*pages),
                E,
            ]
        })
        .collect();
    cells.push(vec![S("合计"), E, E, E, E, E, E, n(24.0), E]);
    let header = [
        "序号",
        "档号",
        "文号",
        "责任者",
        "题名",
        "日期",
        "密级",
        "页数",
        "备注",
    ];
    sheet(ws, Some("卷内目录"), &header, &cells)?;
    wb.save(b1.join("张三/卷内目录.xlsx"))?;
    for (file, n) in [
        ("入党申请书.pdf", 2),
        ("入党积极分子考察登记表.pdf", 3),
        ("自传.pdf", 4),
        ("政审材料.pdf", 2),
        ("集中培训表.pdf", 1),
        ("入党志愿书.pdf", 8),
        ("预备党员考察表.pdf", 2),
    ] {
        fs::write(
            b1.join("张三").join(file),
            pages(&format!("张三/{file}"), n),
        )?;
    }

    // 李明: 材料名称 and 起止页号, a range or the first page alone.
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("目录")?;
    let rows = [
        ("入党申请书", "1-2"),
        ("入党积极分子考察登记表", "3"),
        ("自传", "4-6"),
        ("政审材料", "7"),
        ("集中培训表", "8"),
        ("入党志愿书", "9-12"),
        ("预备党员考察表", "13"),
    ];
    let cells: Vec<Vec<V>> = rows
        .iter()
        .enumerate()
        .map(|(i, (t, p))| vec![n(i as f64 + 1.0), S(t), S(p), E])
        .collect();
    sheet(ws, None, &["序号", "材料名称", "起止页号", "备注"], &cells)?;
    wb.save(b1.join("李明/李明卷内目录.xlsx"))?;

    // 王强: one bookmarked PDF; 页号 the first page of each item.
    fs::write(
        b1.join("王强/王强发展党员档案.pdf"),
        outlined_pdf(
            "王强",
            14,
            &[
                (0, "入党申请书", 0),
                (0, "入党积极分子培养教育考察登记表", 2),
                (0, "自传", 3),
                (0, "政审材料", 5),
                (0, "集中培训表", 6),
                (0, "入党志愿书", 7),
                (0, "预备党员考察表", 11),
            ],
            false,
            false,
        ),
    )?;
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("卷内目录")?;
    let rows = [
        ("入党申请书", n(1.0)),
        ("入党积极分子培养教育考察登记表", n(3.0)),
        ("自传", n(4.0)),
        ("政审材料", n(6.0)),
        ("集中培训表", n(7.0)),
        ("入党志愿书", n(8.0)),
        ("预备党员考察表", S("12-14")),
    ];
    let cells: Vec<Vec<V>> = rows
        .iter()
        .enumerate()
        .map(|(i, (t, p))| vec![n(i as f64 + 1.0), S(t), p.clone()])
        .collect();
    sheet(ws, None, &["序号", "题名", "页号"], &cells)?;
    wb.save(b1.join("王强/卷内目录.xlsx"))?;

    // 钱七: one PDF without bookmarks; its catalog's 页号 tile its 10 pages.
    fs::write(b1.join("钱七/钱七档案.pdf"), pages("钱七/钱七档案.pdf", 10))?;
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("卷内目录")?;
    let rows = [
        ("入党申请书", "1-2"),
        ("入党积极分子培养教育考察登记表", "3"),
        ("自传", "4-5"),
        ("政审材料", "6"),
        ("集中培训表", "7"),
        ("入党志愿书", "8-9"),
        ("预备党员考察表", "10"),
    ];
    let cells: Vec<Vec<V>> = rows
        .iter()
        .enumerate()
        .map(|(i, (t, p))| vec![n(i as f64 + 1.0), S(t), S(p)])
        .collect();
    sheet(ws, None, &["序号", "题名", "页号"], &cells)?;
    wb.save(b1.join("钱七/卷内目录.xlsx"))?;

    // 赵敏: every catalog defect once.
    fs::write(
        b1.join("赵敏/入党志愿书.pdf"),
        pages("赵敏/入党志愿书.pdf", 6),
    )?;
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("卷内目录")?;
    let rows = [
        ("入党申请书", S("2019.05"), n(1.0)),
        ("入党积极分子培养教育考察登记表", E, n(1.0)),
        ("政审材料", E, n(1.0)),
        ("集中培训表", E, S("一页")),
        ("入党志愿书", S("2020.09.15"), n(8.0)),
        ("预备党员考察表", E, n(1.0)),
        ("转正申请书", E, n(2.0)),
        ("个人总结", E, n(1.0)),
    ];
    let cells: Vec<Vec<V>> = rows
        .iter()
        .enumerate()
        .map(|(i, (t, d, p))| vec![n(i as f64 + 1.0), S(t), d.clone(), p.clone()])
        .collect();
    sheet(ws, None, &["序号", "题名", "日期", "页数"], &cells)?;
    wb.save(b1.join("赵敏/卷内目录.xlsx"))?;
    Ok(())
}

/// (材料名称, 形成时间, 页数)
type Row = (&'static str, &'static str, f64);

/// 第二党支部's catalog workbook: 姓名 merged down over each person's rows.
fn branch_catalog(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let b2 = root.join("第二党支部");
    fs::write(b2.join("周杰/自传.pdf"), pages("周杰/自传.pdf", 3))?;
    let blocks: [(&str, Vec<Row>); 3] = [
        (
            "孙丽",
            vec![
                ("入党申请书", "2019.03.05", 1.0),
                ("入党积极分子考察登记表", "", 1.0),
                ("自传", "", 1.0),
                ("政审材料", "", 1.0),
                ("集中培训表", "", 1.0),
                ("入党志愿书", "2020.09.15", 1.0),
                ("预备党员考察表", "", 1.0),
                ("转正申请书", "", 1.0),
            ],
        ),
        (
            "周杰",
            vec![
                ("入党申请书", "2019.03", 1.0),
                ("入党积极分子考察登记表", "", 1.0),
                ("自传", "", 2.0),
            ],
        ),
        ("吴刚", vec![("入党申请书", "", 1.0), ("自传", "", 2.0)]),
    ];
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("卷内目录")?;
    let header = ["姓名", "序号", "材料名称", "形成时间", "页数"];
    ws.merge_range(0, 0, 0, 4, "第二党支部发展党员档案卷内目录", &Format::new())?;
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h)?;
    }
    let mut r = 2u32;
    for (name, rows) in &blocks {
        // The header printed again over 周杰's rows, as a catalog printed per person has it.
        if *name == "周杰" {
            for (c, h) in header.iter().enumerate() {
                ws.write_string(r, c as u16, *h)?;
            }
            r += 1;
        }
        let first = r;
        for (i, (title, date, pages)) in rows.iter().enumerate() {
            ws.write_number(r, 1, i as f64 + 1.0)?;
            ws.write_string(r, 2, *title)?;
            if !date.is_empty() {
                ws.write_string(r, 3, *date)?;
            }
            ws.write_number(r, 4, *pages)?;
            r += 1;
        }
        ws.merge_range(first, 0, r - 1, 0, name, &Format::new())?;
    }
    ws.write_string(r, 0, "合计")?;
    ws.write_number(r, 4, 18.0)?;
    wb.save(b2.join("第二党支部卷内目录.xlsx"))?;
    Ok(())
}

pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    write_archive(root, &people(), None)?;
    dossier_catalogs(root)?;
    branch_catalog(root)?;
    Ok(())
}
