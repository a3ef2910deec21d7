//! fixtures/round3/*: the seven shapes of ledgers and scans that branches produce (issue 21),
//! each an archive of the clean archive's first branch — 张三, a full member, and 李四,
//! probationary — kept in that shape, each with one planted defect that must be found once:
//!
//! | fixture | the shape | the planted defect |
//! |---|---|---|
//! | stage-groups | a three-row header, stage groups over sub-columns named 时间 | 李四 (probationary) has no 入党志愿书: missing-document |
//! | placeholders | — 无 待定 / in the empty date cells | 李四 has no 预备党员考察表: missing-document |
//! | csv | the ledger as Excel's CSV on Chinese Windows: GBK, CRLF, a quoted 备注 with a line break | 李四 a candidate 11 months after activist: activist-period-too-short |
//! | phone-photos | 张三's 入党志愿书 as 3024×4032 photos tagged 72 dpi | 李四's 自传 a 1600×1200 photo tagged 96 dpi: low-resolution |
//! | name-separators | folders 热依拉丶阿不都 and 阿依古丽．买买提 for the ledger's · | 阿依古丽·买买提 has no 政审材料: missing-document |
//! | chinese-numerals | dates as 二〇一九年三月五日 | 李四's 上级党委审批 four months after admission: approval-overdue |
//! | example-sheet | a 填表说明 sheet with a 填写示例 table, and a 样表 sheet (the sample 王小明) | 李四's folder is missing: ledger-row-without-dossier |

use std::fs;
use std::path::Path;

use super::{Person, V, clean_people, workbook, write_archive};

type Res = Result<(), Box<dyn std::error::Error>>;

/// 张三 and 李四 of the clean archive.
fn people() -> Vec<Person> {
    clean_people()
        .into_iter()
        .filter(|p| p.branch == "第一党支部")
        .collect()
}

/// A cell as the text a clerk would type.
fn text(v: &V) -> String {
    match v {
        V::E => String::new(),
        V::S(s) => s.to_string(),
        V::T(s) => s.clone(),
        V::D(y, m, d) => format!("{y}.{m:02}.{d:02}"),
        V::N(n) if *n > 1e7 => format!("{n}"),
        // An Excel serial: the date it is.
        V::N(n) => dangan::date::from_excel_serial(*n).map_or_else(
            || n.to_string(),
            |d| format!("{}.{:02}.{:02}", d.year(), d.month(), d.day()),
        ),
    }
}

/// A one-sheet workbook: `rows` of text from row 0.
fn sheet(path: &Path, name: &str, rows: &[Vec<String>]) -> Res {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v)?;
            }
        }
    }
    wb.save(path)?;
    Ok(())
}

const LEDGER: &str = "发展党员工作台账.xlsx";
/// The fixtures' ledger header without its 序号 and 备注 columns.
fn header() -> &'static [&'static str] {
    &super::HEADER[1..super::HEADER.len() - 1]
}

/// A person's row under [`header`], each date through `date`.
fn row(p: &Person, date: &dyn Fn(&V) -> String) -> Vec<String> {
    let mut r = vec![
        p.name.to_string(),
        p.sex.to_string(),
        p.nation.to_string(),
        text(&p.id),
        text(&p.birth),
        p.branch.to_string(),
    ];
    r.extend(p.dates.iter().map(date));
    r
}

/// The archive of `people` with its ledger as written by `ledger` (the default .xlsx removed).
fn archive(root: &Path, people: &[Person], ledger: impl FnOnce(&Path, &[Person]) -> Res) -> Res {
    write_archive(root, people, None)?;
    fs::remove_file(root.join(LEDGER))?;
    ledger(root, people)
}

fn stage_groups(root: &Path) -> Res {
    let mut ps = people();
    ps[1].files.retain(|f| *f != "入党志愿书.pdf");
    archive(root, &ps, |root, ps| {
        let mut wb = workbook()?;
        let ws = wb.add_worksheet();
        let merged = rust_xlsxwriter::Format::new();
        ws.merge_range(0, 0, 0, 16, "发展党员工作台账", &merged)?;
        for (c, h) in ["姓名", "民族", "身份证号码", "所在党支部"]
            .iter()
            .enumerate()
        {
            ws.merge_range(1, c as u16, 2, c as u16, h, &merged)?;
        }
        let groups: [(&str, u16, u16); 5] = [
            ("入党申请", 4, 5),
            ("入党积极分子", 6, 6),
            ("发展对象", 7, 10),
            ("预备党员", 11, 12),
            ("转正", 13, 14),
        ];
        for (g, a, b) in groups {
            if a == b {
                ws.write_string(1, a, g)?;
            } else {
                ws.merge_range(1, a, 1, b, g, &merged)?;
            }
        }
        let subs = [
            "时间",
            "谈话时间",
            "时间",
            "时间",
            "政审时间",
            "集中培训时间",
            "谈话人",
            "时间",
            "上级党委审批时间",
            "时间",
            "审批时间",
        ];
        for (i, s) in subs.iter().enumerate() {
            ws.write_string(2, 4 + i as u16, *s)?;
        }
        for (r, p) in ps.iter().enumerate() {
            let d: Vec<String> = p.dates.iter().map(text).collect();
            let cells = [
                p.name.to_string(),
                p.nation.to_string(),
                text(&p.id),
                p.branch.to_string(),
                d[0].clone(),
                d[1].clone(),
                d[2].clone(),
                d[3].clone(),
                d[4].clone(),
                d[5].clone(),
                "王强".into(),
                d[6].clone(),
                d[7].clone(),
                d[8].clone(),
                d[9].clone(),
            ];
            for (c, v) in cells.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(3 + r as u32, c as u16, v)?;
                }
            }
        }
        wb.save(root.join(LEDGER))?;
        Ok(())
    })
}

fn placeholders(root: &Path) -> Res {
    let mut ps = people();
    ps[1].files.retain(|f| *f != "预备党员考察表.pdf");
    archive(root, &ps, |root, ps| {
        let mut rows = vec![header().iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        for p in ps {
            let mut r = row(p, &|v| match v {
                V::E => "—".to_string(),
                v => text(v),
            });
            // 李四 is not yet converted: her 转正审批 cell says 待定.
            if let Some(last) = r.last_mut().filter(|c| *c == "—") {
                *last = "待定".into();
            }
            rows.push(r);
        }
        sheet(&root.join(LEDGER), "台账", &rows)
    })
}

fn csv(root: &Path) -> Res {
    let mut ps = people();
    // 李四 a candidate 11 months after becoming an activist (2023.05.10 → 2024.04.10).
    ps[1].dates[3] = V::S("2024.04.10");
    archive(root, &ps, |root, ps| {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = header().join(",") + ",备注\r\n";
        for p in ps {
            let cells: Vec<String> = row(p, &text).iter().map(|c| quote(c)).collect();
            out += &cells.join(",");
            out += ",";
            out += &quote("曾任团支书，\n表现突出");
            out += "\r\n";
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&out);
        fs::write(root.join("发展党员工作台账.csv"), gbk)?;
        Ok(())
    })
}

/// A JPEG of `w` × `h` pixels tagged `dpi` (the frame header says so; the data is a stub).
fn photo(tag: &str, dpi: u16, w: u16, h: u16) -> Vec<u8> {
    let mut j = super::jpeg_with(tag, dpi, false, false);
    if let Some(sof) = j.windows(2).position(|x| x == [0xFF, 0xC0]) {
        j[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
        j[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    }
    j
}

fn phone_photos(root: &Path) -> Res {
    let mut ps = people();
    ps[1].files.retain(|f| *f != "自传.pdf");
    write_archive(root, &ps, None)?;
    let zhang = root.join("第一党支部/01-张三");
    for (i, f) in ["入党志愿书（1）.jpg", "入党志愿书（2）.jpg"]
        .iter()
        .enumerate()
    {
        fs::write(zhang.join(f), photo(&format!("张三 {i}"), 72, 3024, 4032))?;
    }
    fs::write(
        root.join("第一党支部/李四/自传.jpg"),
        photo("李四 自传", 96, 1600, 1200),
    )?;
    Ok(())
}

fn name_separators(root: &Path) -> Res {
    let mut ps = people();
    ps[0].name = "热依拉·阿不都";
    ps[0].folder = Some("01-热依拉丶阿不都".into());
    ps[1].name = "阿依古丽·买买提";
    ps[1].folder = Some("阿依古丽．买买提".into());
    ps[1].files.retain(|f| *f != "政审材料.pdf");
    write_archive(root, &ps, None)?;
    Ok(())
}

/// A date as a clerk writes it in Chinese numerals: 二〇一九年三月五日.
fn numerals(v: &V) -> String {
    let t = text(v);
    let digits = |s: &str| -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => "〇一二三四五六七八九".chars().nth(d as usize).unwrap_or(c),
                None => c,
            })
            .collect()
    };
    let number = |n: u32| match n {
        1..=9 => digits(&n.to_string()),
        10 => "十".into(),
        11..=19 => format!("十{}", digits(&(n - 10).to_string())),
        _ if n.is_multiple_of(10) => format!("{}十", digits(&(n / 10).to_string())),
        _ => format!(
            "{}十{}",
            digits(&(n / 10).to_string()),
            digits(&(n % 10).to_string())
        ),
    };
    let parts: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match parts[..] {
        // A single day; a range (2020.08.10-2020.08.12) stays as typed.
        [y, m, d] if y > 1900 => {
            format!("{}年{}月{}日", digits(&y.to_string()), number(m), number(d))
        }
        _ => t,
    }
}

fn chinese_numerals(root: &Path) -> Res {
    let mut ps = people();
    // 李四 approved four months after the branch admitted her (2025.09.01 → 2026.01.05).
    ps[1].dates[7] = V::S("2026.01.05");
    archive(root, &ps, |root, ps| {
        let mut rows = vec![header().iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        rows.extend(ps.iter().map(|p| row(p, &numerals)));
        sheet(&root.join(LEDGER), "台账", &rows)
    })
}

fn example_sheet(root: &Path) -> Res {
    let ps = people();
    write_archive(root, &ps, None)?;
    fs::remove_dir_all(root.join("第一党支部/李四"))?;
    // The county's form beside the ledger: instructions, a sample under 填写示例, a 样表 sheet.
    let sample: Vec<String> = [
        "王小明",
        "男",
        "汉族",
        "110105199001010019",
        "1990.01",
        "第一党支部",
        "2020.01.01",
        "2020.02.01",
        "2020.05.01",
        "2021.05.01",
        "2021.06.01",
        "2021.06.10",
        "2021.09.01",
        "2021.10.01",
        "2022.09.01",
        "2022.10.01",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let header: Vec<String> = header().iter().map(|h| h.to_string()).collect();
    let mut wb = workbook()?;
    let ws = wb.add_worksheet();
    ws.set_name("填表说明")?;
    ws.write_string(0, 0, "1. 日期一律写作 2021.03.05。")?;
    ws.write_string(1, 0, "填写示例：")?;
    for (r, row) in [&header, &sample].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(2 + r as u32, c as u16, v)?;
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("样表")?;
    for (r, row) in [&header, &sample].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, v)?;
        }
    }
    wb.save(root.join("发展党员工作台账填报说明.xlsx"))?;
    Ok(())
}

/// Every fixture of the table above, under `out` (fixtures/round3).
pub fn write(out: &Path) -> Res {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    stage_groups(&out.join("stage-groups"))?;
    placeholders(&out.join("placeholders"))?;
    csv(&out.join("csv"))?;
    phone_photos(&out.join("phone-photos"))?;
    name_separators(&out.join("name-separators"))?;
    chinese_numerals(&out.join("chinese-numerals"))?;
    example_sheet(&out.join("example-sheet"))?;
    Ok(())
}
