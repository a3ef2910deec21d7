//! `fixtures/rosters` (xlsx) and `fixtures/rosters-ods`: ledgers kept the way branches keep
//! them (shared/domain.md §6). A roster workbook with one sheet per stage (入党申请人名册,
//! 入党积极分子名册, 发展对象名册, 预备党员名册), two-row headers with stage groups — merged in
//! one sheet, written once and left "looking merged" in another — 培养联系人 and 入党介绍人 over
//! 1 | 2, title rows above and 合计 / 填表人 / 注： rows below; and two yearly ledgers with a
//! three-row header. Seven people stand on several rows each. Planted, and nothing else:
//!
//! - 李娜: her folder's ID number has a one-digit typo → id-number-mismatch;
//! - 王芳: 确定为入党积极分子时间 2021.03.10 on one roster, 2021.04.10 on another → ledger-conflict;
//! - 刘洋: 确定为入党积极分子时间 typed as the number 2021.1 → ambiguous-month (both readings fine);
//! - 陈静: 出生年月 the number 1990.1, her ID says October → ambiguous-month only; converted
//!   2021-09-13 after admission 2020-09-15 → probation-too-short (张伟, 2021-09-14, is a full year);
//! - 赵磊: 出生年月 1992.1, his ID says May → birth-date-mismatch (both readings) and ambiguous-month;
//! - 孙悦: 确定为入党积极分子时间 2021.1 in a cell formatted 0.00 (it shows 2021.10): in xlsx that is
//!   October, and 确定为发展对象时间 2022-05-10 is too early → activist-period-too-short; an .ods
//!   cell's format is not read, so there it is ambiguous-month (January passes).
//!
//! Everyone else's dossier is complete and audits clean.

use std::fs;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign};

/// A cell of the model both writers take.
#[derive(Clone, Debug)]
pub enum C {
    E,
    S(String),
    /// A number in a general cell.
    N(f64),
    /// A number in a cell formatted 0.00.
    N2(f64),
    /// A real date cell.
    D(u16, u8, u8),
}
use C::*;

fn s(t: &str) -> C {
    if t.is_empty() { E } else { S(t.to_string()) }
}

/// A sheet: its rows and merged ranges (first row, first col, last row, last col); the text of
/// a merged range is its top-left cell.
pub struct Sheet {
    pub name: &'static str,
    pub rows: Vec<Vec<C>>,
    pub merges: Vec<(u32, u16, u32, u16)>,
}

fn row(cells: &[&str]) -> Vec<C> {
    cells.iter().map(|c| s(c)).collect()
}

pub fn write_xlsx(path: &Path, sheets: &[Sheet]) -> Result<(), Box<dyn std::error::Error>> {
    let mut wb = super::workbook()?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let two = Format::new().set_num_format("0.00");
    let merged = Format::new().set_align(FormatAlign::Center);
    for sh in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(sh.name)?;
        for (r, cells) in sh.rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if sh.merges.iter().any(|m| (m.0, m.1) == (r, c)) {
                    continue;
                }
                match v {
                    E => {}
                    S(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    N(n) => {
                        ws.write_number(r, c, *n)?;
                    }
                    N2(n) => {
                        ws.write_number_with_format(r, c, *n, &two)?;
                    }
                    D(y, m, d) => {
                        ws.write_datetime_with_format(
                            r,
                            c,
                            ExcelDateTime::from_ymd(*y, *m, *d)?,
                            &date,
                        )?;
                    }
                }
            }
        }
        for &(r0, c0, r1, c1) in &sh.merges {
            let text = match sh.rows.get(r0 as usize).and_then(|r| r.get(c0 as usize)) {
                Some(S(t)) => t.clone(),
                _ => String::new(),
            };
            ws.merge_range(r0, c0, r1, c1, &text, &merged)?;
        }
    }
    wb.save(path)?;
    Ok(())
}

pub fn write_ods(path: &Path, sheets: &[Sheet]) -> Result<(), Box<dyn std::error::Error>> {
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
    let mut tables = String::new();
    for sh in sheets {
        tables.push_str(&format!("<table:table table:name=\"{}\">", esc(sh.name)));
        for (r, cells) in sh.rows.iter().enumerate() {
            tables.push_str("<table:table-row>");
            for (c, v) in cells.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let covered = sh.merges.iter().any(|m| {
                    (m.0..=m.2).contains(&r) && (m.1..=m.3).contains(&c) && (m.0, m.1) != (r, c)
                });
                if covered {
                    tables.push_str("<table:covered-table-cell/>");
                    continue;
                }
                let span = sh
                    .merges
                    .iter()
                    .find(|m| (m.0, m.1) == (r, c))
                    .map(|m| {
                        format!(
                            " table:number-rows-spanned=\"{}\" table:number-columns-spanned=\"{}\"",
                            m.2 - m.0 + 1,
                            m.3 - m.1 + 1
                        )
                    })
                    .unwrap_or_default();
                tables.push_str(&match v {
                    E => format!("<table:table-cell{span}/>"),
                    S(t) => format!(
                        "<table:table-cell{span} office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                        esc(t)
                    ),
                    N(n) => format!(
                        "<table:table-cell{span} office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    ),
                    N2(n) => format!(
                        "<table:table-cell{span} office:value-type=\"float\" office:value=\"{n}\"><text:p>{n:.2}</text:p></table:table-cell>"
                    ),
                    D(y, m, d) => format!(
                        "<table:table-cell{span} office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y}-{m}-{d}</text:p></table:table-cell>"
                    ),
                });
            }
            tables.push_str("</table:table-row>");
        }
        tables.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    );
    super::ods_package(path, &content)
}

/// One person of the fixture and the cells the rosters give them.
struct Who {
    branch: &'static str,
    name: &'static str,
    sex: &'static str,
    id: String,
    /// 出生年月 as typed.
    birth: C,
    applied: C,
    talked: C,
    activist: C,
    /// 确定为入党积极分子时间 as the 发展对象名册 has it (王芳's differs).
    activist_again: C,
    contacts: [&'static str; 2],
    candidate: C,
    vetted: C,
    trained: &'static str,
    introducers: [&'static str; 2],
    admitted: C,
    approved: C,
    converted: C,
    conversion_approved: C,
    /// Documents in the folder.
    docs: usize,
    folder: String,
}

fn people() -> Vec<Who> {
    let id = super::id;
    let b1 = "第一党支部";
    let b2 = "第二党支部";
    let li_na = id("110101", "19960708", "022");
    // One digit of the sequence mistyped in her folder's name.
    let mut typo: Vec<char> = li_na.chars().collect();
    typo[15] = if typo[15] == '9' {
        '0'
    } else {
        char::from(typo[15] as u8 + 1)
    };
    let typo: String = typo.into_iter().collect();
    vec![
        Who {
            branch: b1,
            name: "张伟",
            sex: "男",
            id: id("110101", "19950312", "013"),
            birth: N(1995.3),
            applied: s("2018.03.05"),
            talked: s("2018.03.20"),
            activist: D(2018, 9, 10),
            activist_again: D(2018, 9, 10),
            contacts: ["王建国", "李红"],
            candidate: s("20191008"),
            vetted: s("2019年11月5日"),
            trained: "2019.11.11-2019.11.15",
            introducers: ["王建国", "李红"],
            admitted: D(2020, 9, 15),
            approved: s("2020.10.20"),
            // The day before the anniversary: a full year (预备期自2020年9月15日至2021年9月14日).
            converted: D(2021, 9, 14),
            conversion_approved: s("2021.10.15"),
            docs: 8,
            folder: "01-张伟".into(),
        },
        Who {
            branch: b1,
            name: "李娜",
            sex: "女",
            id: li_na,
            birth: N(1996.07),
            applied: s("2019.04.01"),
            talked: s("2019.04.15"),
            activist: s("2019.10.08"),
            activist_again: s("2019.10.08"),
            contacts: ["王建国", ""],
            candidate: s("2020.11.02"),
            vetted: s("2020.12.01"),
            trained: "2020.12.07-2020.12.11",
            introducers: ["王建国", "赵敏"],
            admitted: s("2021.06.18"),
            approved: s("2021.07.20"),
            converted: E,
            conversion_approved: E,
            docs: 7,
            folder: format!("02-李娜（{typo}）"),
        },
        Who {
            branch: b1,
            name: "王芳",
            sex: "女",
            id: id("110102", "19990215", "024"),
            birth: S("1999.02".into()),
            applied: s("2020.09.01"),
            talked: s("2020.09.10"),
            activist: s("2021.03.10"),
            activist_again: s("2021.04.10"),
            contacts: ["李红", "赵敏"],
            candidate: s("2022.05.06"),
            vetted: s("2022.06.01"),
            trained: "2022.06.13-2022.06.17",
            introducers: ["李红", "赵敏"],
            admitted: E,
            approved: E,
            converted: E,
            conversion_approved: E,
            docs: 3,
            folder: "03-王芳".into(),
        },
        Who {
            branch: b1,
            name: "刘洋",
            sex: "男",
            id: id("110102", "19981203", "035"),
            birth: N(1998.12),
            applied: s("2020.06.01"),
            talked: s("2020.06.20"),
            // January or October: both after the application, neither breaks a rule.
            activist: N(2021.1),
            activist_again: N(2021.1),
            contacts: ["王建国", ""],
            candidate: E,
            vetted: E,
            trained: "",
            introducers: ["", ""],
            admitted: E,
            approved: E,
            converted: E,
            conversion_approved: E,
            docs: 2,
            folder: "04-刘洋".into(),
        },
        Who {
            branch: b2,
            name: "陈静",
            sex: "女",
            id: id("110105", "19901005", "046"),
            // January or October; her ID number says October: no mismatch.
            birth: N(1990.1),
            applied: s("2018.05.06"),
            talked: s("2018.05.20"),
            activist: s("2018.11.12"),
            activist_again: s("2018.11.12"),
            contacts: ["周强", "吴丽"],
            candidate: s("2019.12.02"),
            vetted: s("2020.01.06"),
            trained: "2020.01.13-2020.01.17",
            introducers: ["周强", "吴丽"],
            admitted: D(2020, 9, 15),
            approved: s("2020.11.10"),
            // Two days short of the anniversary: probation-too-short.
            converted: D(2021, 9, 13),
            conversion_approved: s("2021.10.20"),
            docs: 8,
            folder: "陈静".into(),
        },
        Who {
            branch: b2,
            name: "赵磊",
            sex: "男",
            id: id("110105", "19920518", "057"),
            // January or October; his ID number says May: a mismatch either way.
            birth: N(1992.1),
            applied: s("2019.03.04"),
            talked: s("2019.03.18"),
            activist: s("2019.09.09"),
            activist_again: s("2019.09.09"),
            contacts: ["周强", ""],
            candidate: s("2020.10.12"),
            vetted: s("2020.11.09"),
            trained: "2020.11.16-2020.11.20",
            introducers: ["周强", "吴丽"],
            admitted: s("2021.05.24"),
            approved: s("2021.06.28"),
            converted: E,
            conversion_approved: E,
            docs: 7,
            folder: "赵磊".into(),
        },
        Who {
            branch: b2,
            name: "孙悦",
            sex: "女",
            id: id("110105", "20000306", "068"),
            birth: N(2000.03),
            applied: s("2020.03.02"),
            talked: s("2020.03.16"),
            // Shows 2021.10 (format 0.00): October, and 2022-05-10 is then too early.
            activist: N2(2021.1),
            activist_again: N2(2021.1),
            contacts: ["吴丽", ""],
            candidate: s("2022.05.10"),
            vetted: s("2022.06.06"),
            trained: "2022.06.13-2022.06.17",
            introducers: ["吴丽", "周强"],
            admitted: E,
            approved: E,
            converted: E,
            conversion_approved: E,
            docs: 3,
            folder: "孙悦".into(),
        },
    ]
}

/// Title rows every roster carries: 附件, the title (merged), 填报单位 and 填报日期.
fn titles(title: &str, width: u16, merges: &mut Vec<(u32, u16, u32, u16)>) -> Vec<Vec<C>> {
    merges.push((1, 0, 1, width - 1));
    vec![
        row(&["附件6："]),
        row(&[title]),
        row(&[
            "填报单位（盖章）：机关党委",
            "",
            "",
            "",
            "填报日期：2026年11月20日",
        ]),
    ]
}

fn footer(n: usize) -> Vec<Vec<C>> {
    vec![
        row(&[&format!("合计 {n}人")]),
        row(&["填表人：王建国", "", "", "审核人：李红"]),
        row(&["注：1. 时间格式为年.月.日；2. 本表按支部填报。"]),
    ]
}

fn roster_sheets(people: &[Who]) -> Vec<Sheet> {
    let mut sheets = Vec::new();

    // 入党申请人名册: no ID column (rows join by branch and name); 申请入党 over two sub-columns.
    let mut merges = Vec::new();
    let mut rows = titles("入党申请人名册", 8, &mut merges);
    rows.push(row(&[
        "序号",
        "姓名",
        "性别",
        "出生年月",
        "所在党支部",
        "申请入党",
        "",
        "备注",
    ]));
    rows.push(row(&["", "", "", "", "", "递交申请时间", "谈话时间", ""]));
    for c in [0u16, 1, 2, 3, 4, 7] {
        merges.push((3, c, 4, c));
    }
    merges.push((3, 5, 3, 6));
    for (i, p) in people.iter().enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            s(p.sex),
            p.birth.clone(),
            s(p.branch),
            p.applied.clone(),
            p.talked.clone(),
            E,
        ]);
    }
    rows.extend(footer(people.len()));
    sheets.push(Sheet {
        name: "入党申请人名册",
        rows,
        merges,
    });

    // 入党积极分子名册: 培养联系人 over 1 | 2.
    let mut merges = Vec::new();
    let mut rows = titles("入党积极分子名册", 7, &mut merges);
    rows.push(row(&[
        "序号",
        "姓名",
        "身份证号码",
        "所在党支部",
        "申请入党时间",
        "确定为入党积极分子时间",
        "培养联系人",
        "",
    ]));
    rows.push(row(&["", "", "", "", "", "", "1", "2"]));
    for c in 0u16..6 {
        merges.push((3, c, 4, c));
    }
    merges.push((3, 6, 3, 7));
    for (i, p) in people
        .iter()
        .filter(|p| !matches!(p.activist, E))
        .enumerate()
    {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            S(p.id.clone()),
            s(p.branch),
            p.applied.clone(),
            p.activist.clone(),
            s(p.contacts[0]),
            s(p.contacts[1]),
        ]);
    }
    rows.extend(footer(rows.len() - 5));
    sheets.push(Sheet {
        name: "入党积极分子名册",
        rows,
        merges,
    });

    // 发展对象名册: looks merged only — each group written once, the cells to its right empty.
    let mut merges = Vec::new();
    let mut rows = titles("发展对象名册", 10, &mut merges);
    merges.clear();
    rows.push(row(&[
        "序号",
        "姓名",
        "身份证号码",
        "所在党支部",
        "确定为入党积极分子时间",
        "发展对象",
        "",
        "",
        "入党介绍人",
        "",
    ]));
    rows.push(row(&[
        "",
        "",
        "",
        "",
        "",
        "确定时间",
        "政审时间",
        "集中培训时间",
        "1",
        "2",
    ]));
    for (i, p) in people
        .iter()
        .filter(|p| !matches!(p.candidate, E))
        .enumerate()
    {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            S(p.id.clone()),
            s(p.branch),
            p.activist_again.clone(),
            p.candidate.clone(),
            p.vetted.clone(),
            s(p.trained),
            s(p.introducers[0]),
            s(p.introducers[1]),
        ]);
    }
    rows.extend(footer(rows.len() - 5));
    sheets.push(Sheet {
        name: "发展对象名册",
        rows,
        merges,
    });

    // 预备党员名册: 接收预备党员 and 转正, each over 支部大会时间 | 上级党委审批时间.
    let mut merges = Vec::new();
    let mut rows = titles("预备党员名册", 9, &mut merges);
    rows.push(row(&[
        "序号",
        "姓名",
        "性别",
        "身份证号码",
        "所在党支部",
        "接收预备党员",
        "",
        "转正",
        "",
    ]));
    rows.push(row(&[
        "",
        "",
        "",
        "",
        "",
        "支部大会时间",
        "上级党委审批时间",
        "支部大会时间",
        "上级党委审批时间",
    ]));
    for c in 0u16..5 {
        merges.push((3, c, 4, c));
    }
    merges.push((3, 5, 3, 6));
    merges.push((3, 7, 3, 8));
    for (i, p) in people
        .iter()
        .filter(|p| !matches!(p.admitted, E))
        .enumerate()
    {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            s(p.sex),
            S(p.id.clone()),
            s(p.branch),
            p.admitted.clone(),
            p.approved.clone(),
            p.converted.clone(),
            p.conversion_approved.clone(),
        ]);
    }
    rows.extend(footer(rows.len() - 5));
    sheets.push(Sheet {
        name: "预备党员名册",
        rows,
        merges,
    });
    sheets
}

/// A yearly ledger with a three-row header: 发展党员各环节时间 over the stages over their dates.
fn yearly(people: &[&Who], year: &'static str) -> Sheet {
    let mut merges = vec![(0, 0, 0, 15)];
    let mut rows = vec![row(&[&format!("{year}年发展党员工作台账")])];
    rows.push(row(&[
        "序号",
        "姓名",
        "身份证号码",
        "所在党支部",
        "发展党员各环节时间",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "备注",
    ]));
    rows.push(row(&[
        "",
        "",
        "",
        "",
        "申请入党",
        "",
        "入党积极分子",
        "发展对象",
        "",
        "",
        "接收预备党员",
        "",
        "转正",
        "",
        "",
        "",
    ]));
    rows.push(row(&[
        "",
        "",
        "",
        "",
        "时间",
        "谈话时间",
        "确定时间",
        "确定时间",
        "政审时间",
        "集中培训时间",
        "支部大会时间",
        "上级党委审批时间",
        "支部大会时间",
        "上级党委审批时间",
        "",
        "",
    ]));
    for c in [0u16, 1, 2, 3, 15] {
        merges.push((1, c, 3, c));
    }
    merges.push((1, 4, 1, 14));
    merges.push((2, 4, 2, 5));
    merges.push((2, 7, 2, 9));
    merges.push((2, 10, 2, 11));
    merges.push((2, 12, 2, 13));
    for (i, p) in people.iter().enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            S(p.id.clone()),
            s(p.branch),
            p.applied.clone(),
            p.talked.clone(),
            p.activist.clone(),
            p.candidate.clone(),
            p.vetted.clone(),
            s(p.trained),
            p.admitted.clone(),
            p.approved.clone(),
            p.converted.clone(),
            p.conversion_approved.clone(),
            E,
            E,
        ]);
    }
    rows.push(row(&[&format!("合计 {}人", people.len())]));
    Sheet {
        name: year,
        rows,
        merges,
    }
}

/// Write the archive at `root` (replaced), its spreadsheets as .ods when `ods`.
pub fn write(root: &Path, ods: bool) -> Result<(), Box<dyn std::error::Error>> {
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    fs::create_dir_all(root)?;
    let people = people();
    let ext = if ods { "ods" } else { "xlsx" };
    let save = |path: &Path, sheets: &[Sheet]| {
        if ods {
            write_ods(path, sheets)
        } else {
            write_xlsx(path, sheets)
        }
    };
    save(
        &root.join(format!("发展党员名册（2018—2022）.{ext}")),
        &roster_sheets(&people),
    )?;
    let converted_2021: Vec<&Who> = people
        .iter()
        .filter(|p| matches!(p.converted, D(2021, ..)))
        .collect();
    save(
        &root.join(format!("2021年发展党员工作台账.{ext}")),
        &[yearly(&converted_2021, "2021")],
    )?;
    let admitted_2021: Vec<&Who> = people
        .iter()
        .filter(|p| matches!(&p.admitted, S(t) if t.starts_with("2021")))
        .collect();
    save(
        &root.join(format!("2022年发展党员工作台账.{ext}")),
        &[yearly(&admitted_2021, "2022")],
    )?;
    for p in &people {
        for doc in &super::ALL_DOCS[..p.docs] {
            let rel = format!("{}/{}/{doc}", p.branch, p.folder);
            super::write_file(&root.join(&rel), &format!("{ext}/{rel}"))?;
        }
    }
    Ok(())
}

/// A synthetic archive's ledger as four roster sheets (`gen_archive --rosters`): everyone on
/// 入党申请人名册, and each person again on the roster of every later stage they reached; the
/// last two sheets with two-row headers. The same people and values as the one-sheet ledger.
pub fn synthetic_sheets(people: &[&super::Person]) -> Vec<Sheet> {
    use super::V;
    let c = |v: &V| match v {
        V::E => E,
        V::S(t) => S(t.to_string()),
        V::T(t) => S(t.clone()),
        V::N(n) => N(*n),
        V::D(y, m, d) => D(*y, *m, *d),
    };
    let filled = |v: &V| !matches!(v, V::E);
    let id = |p: &super::Person| c(&p.id);
    let mut sheets = Vec::new();

    let mut rows = vec![row(&[
        "序号",
        "姓名",
        "性别",
        "民族",
        "身份证号码",
        "出生年月",
        "所在党支部",
        "申请入党时间",
        "谈话时间",
    ])];
    for (i, p) in people.iter().enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            s(p.sex),
            s(p.nation),
            id(p),
            c(&p.birth),
            s(p.branch),
            c(&p.dates[0]),
            c(&p.dates[1]),
        ]);
    }
    sheets.push(Sheet {
        name: "入党申请人名册",
        rows,
        merges: vec![],
    });

    let mut rows = vec![row(&[
        "序号",
        "姓名",
        "身份证号码",
        "所在党支部",
        "申请入党时间",
        "确定为入党积极分子时间",
    ])];
    for (i, p) in people.iter().filter(|p| filled(&p.dates[2])).enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            id(p),
            s(p.branch),
            c(&p.dates[0]),
            c(&p.dates[2]),
        ]);
    }
    sheets.push(Sheet {
        name: "入党积极分子名册",
        rows,
        merges: vec![],
    });

    let mut rows = vec![
        row(&[
            "序号",
            "姓名",
            "身份证号码",
            "所在党支部",
            "确定为入党积极分子时间",
            "发展对象",
            "",
            "",
        ]),
        row(&["", "", "", "", "", "确定时间", "政审时间", "集中培训时间"]),
    ];
    let mut merges: Vec<(u32, u16, u32, u16)> = (0u16..5).map(|k| (0, k, 1, k)).collect();
    merges.push((0, 5, 0, 7));
    for (i, p) in people.iter().filter(|p| filled(&p.dates[3])).enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            id(p),
            s(p.branch),
            c(&p.dates[2]),
            c(&p.dates[3]),
            c(&p.dates[4]),
            c(&p.dates[5]),
        ]);
    }
    sheets.push(Sheet {
        name: "发展对象名册",
        rows,
        merges,
    });

    let mut rows = vec![
        row(&[
            "序号",
            "姓名",
            "身份证号码",
            "所在党支部",
            "接收预备党员",
            "",
            "转正",
            "",
        ]),
        row(&[
            "",
            "",
            "",
            "",
            "支部大会时间",
            "上级党委审批时间",
            "支部大会时间",
            "上级党委审批时间",
        ]),
    ];
    let mut merges: Vec<(u32, u16, u32, u16)> = (0u16..4).map(|k| (0, k, 1, k)).collect();
    merges.push((0, 4, 0, 5));
    merges.push((0, 6, 0, 7));
    for (i, p) in people.iter().filter(|p| filled(&p.dates[6])).enumerate() {
        rows.push(vec![
            N(i as f64 + 1.0),
            s(p.name),
            id(p),
            s(p.branch),
            c(&p.dates[6]),
            c(&p.dates[7]),
            c(&p.dates[8]),
            c(&p.dates[9]),
        ]);
    }
    sheets.push(Sheet {
        name: "预备党员名册",
        rows,
        merges,
    });
    sheets
}
