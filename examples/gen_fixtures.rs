//! Writes the sample archives under `fixtures/`: `clean` (no findings; near misses at every
//! threshold), `defects` (each default rule triggered), `no-ledger`, `demo` (both together),
//! `rosters` / `rosters-ods` (ledgers as branches keep them: see `shapes/rosters.rs`), and
//! `folders` (dossiers filed as branches file them: see `shapes/folders.rs`), and `layouts/*`
//! (archives laid out the ways branches lay them out: see `shapes/layouts.rs`), and `catalogs`
//! (dossiers with their 卷内目录, per dossier and per branch: see `shapes/catalogs.rs`).
//!
//!     cargo run --example gen_fixtures -- fixtures
//!
//! The scans are tiny but well-formed (a one-page PDF, an 8×8 JPEG at 300 dpi), each unique.

use std::fs;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

#[path = "shapes/catalogs.rs"]
mod catalogs;
#[path = "shapes/content.rs"]
mod content;
#[path = "shapes/folders.rs"]
mod folders;
#[path = "shapes/layouts.rs"]
mod layouts;
#[path = "shapes/rosters.rs"]
mod rosters;
#[path = "shapes/round3.rs"]
mod round3;

/// A cell as a person might have typed it.
#[derive(Clone, Default, PartialEq)]
enum V {
    #[default]
    E,
    /// Text.
    S(&'static str),
    /// A real date cell.
    D(u16, u8, u8),
    /// A number in a general-format cell (an Excel serial, or 20200601).
    N(f64),
    /// A number to be written as text (ID numbers are text in real ledgers).
    T(String),
}
use V::*;

struct Person {
    branch: &'static str,
    /// None: no folder (a ledger row without a dossier).
    folder: Option<String>,
    /// False: a folder without a ledger row.
    in_ledger: bool,
    name: &'static str,
    sex: &'static str,
    nation: &'static str,
    id: V,
    birth: V,
    /// applied, talked, activist, candidate, vetted, trained, admitted, approved, converted,
    /// conversion_approved
    dates: [V; 10],
    files: Vec<&'static str>,
    /// (header row, rows) of a resume workbook in the folder.
    resume: Option<(Vec<&'static str>, Vec<Vec<V>>)>,
}

/// An 18-digit ID number with its GB 11643 check digit.
fn id(region: &str, birth: &str, seq: &str) -> String {
    let body = format!("{region}{birth}{seq}");
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(w)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

/// The same with a wrong check digit.
fn bad_id(region: &str, birth: &str, seq: &str) -> String {
    let good = id(region, birth, seq);
    let last = good.chars().last().unwrap_or('0');
    let wrong = if last == '1' { '2' } else { '1' };
    format!("{}{wrong}", &good[..17])
}

/// Excel serial number of a date (1900 system).
fn serial(y: i32, m: u32, d: u32) -> f64 {
    // Days from 1899-12-30, by a civil-from-days inverse.
    fn days(y: i32, m: u32, d: u32) -> i64 {
        let y = if m <= 2 { y - 1 } else { y } as i64;
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = m as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
    (days(y, m, d) - days(1899, 12, 30)) as f64
}

const ALL_DOCS: [&str; 8] = [
    "入党申请书.pdf",
    "入党积极分子考察登记表.pdf",
    "自传.pdf",
    "政审材料.pdf",
    "集中培训表.pdf",
    "入党志愿书.pdf",
    "预备党员考察表.pdf",
    "转正申请书.pdf",
];

fn docs(n: usize) -> Vec<&'static str> {
    ALL_DOCS[..n].to_vec()
}

fn resume_span() -> Vec<&'static str> {
    vec!["序号", "起止时间", "在何单位任何职"]
}

fn clean_people() -> Vec<Person> {
    let b1 = "第一党支部";
    let b2 = "第二党支部";
    let mut zhang_files = ALL_DOCS.to_vec();
    zhang_files.retain(|f| *f != "入党志愿书.pdf");
    zhang_files.extend([
        "入党志愿书（1）.jpg",
        "入党志愿书（2）.jpg",
        "思想汇报/思想汇报2020年第1季度.pdf",
        "Thumbs.db",
    ]);
    vec![
        // Full member; every interval exactly at its limit.
        Person {
            branch: b1,
            folder: Some("01-张三".into()),
            in_ledger: true,
            name: "张三",
            sex: "男",
            nation: "汉族",
            id: T(id("110101", "20010305", "213")),
            birth: S("2001.03"),
            dates: [
                S("2019.03.05"),
                S("2019年4月5日"),
                D(2019, 6, 1),
                N(20200601.0),
                S("2020-08-01"),
                S("2020.08.10-2020.08.12"),
                S("2020/9/15"),
                S("２０２０．１２．１５"),
                D(2021, 9, 15),
                S("2021.12.15"),
            ],
            files: zhang_files,
            resume: None,
        },
        // Probationary, admitted less than 15 months before the as-of date (so not yet due
        // for conversion); month-precision dates, an Excel serial, a resume with summer
        // breaks and an entry starting the month after the one before it ended (no gap).
        Person {
            branch: b1,
            folder: Some("李四".into()),
            in_ledger: true,
            name: "李四",
            sex: "女",
            nation: "汉族",
            id: T(id("320102", "19980712", "024")),
            birth: S("1998.07"),
            dates: [
                S("2023.03"),
                S("2023.03"),
                S("2023.05.10"),
                S("2024.05.10"),
                S("2025.06.01"),
                S("2025.06.10-12"),
                N(serial(2025, 9, 1)),
                S("2025.11.20"),
                E,
                E,
            ],
            files: {
                let mut f = docs(7);
                f.push("简历.xlsx");
                f
            },
            resume: Some((
                resume_span(),
                vec![
                    vec![N(1.0), S("2004.09—2010.07"), S("某小学学生")],
                    vec![N(2.0), S("2010.09—2013.07"), S("某中学学生")],
                    vec![N(3.0), S("2013.09-2016.07"), S("某高中学生")],
                    vec![N(4.0), S("2016.09—2020.07"), S("某大学学生")],
                    vec![N(5.0), S("2020.08—至今"), S("某局科员")],
                ],
            )),
        },
        // Activist; a minority name typed with a different middle dot in the folder.
        Person {
            branch: b2,
            folder: Some("阿依古丽・买买提".into()),
            in_ledger: true,
            name: "阿依古丽·买买提",
            sex: "女",
            nation: "维吾尔族",
            id: T(id("650102", "19990920", "046")),
            birth: D(1999, 9, 20),
            dates: [
                S("2023.03.01"),
                S("2023.03.20"),
                S("2023.09.01"),
                E,
                E,
                E,
                E,
                E,
                E,
                E,
            ],
            files: vec![
                "入党申请书.pdf",
                "入党积极分子考察登记表.pdf",
                "思想汇报2024年第1季度.pdf",
                ".DS_Store",
            ],
            resume: None,
        },
        // Applicant; the folder carries the ID number.
        Person {
            branch: b2,
            folder: Some(format!("王芳（{}）", id("440103", "20000101", "028"))),
            in_ledger: true,
            name: "王芳",
            sex: "女",
            nation: "汉族",
            id: T(id("440103", "20000101", "028")),
            birth: S("2000年1月"),
            dates: [S("2025.10.08"), S("2025.10.30"), E, E, E, E, E, E, E, E],
            files: vec!["王芳入党申请书.jpg"],
            resume: None,
        },
        // Probationary, admitted in 2025; the resume is in the root sheet 人员简历.xlsx.
        Person {
            branch: b2,
            folder: Some("05-陈明".into()),
            in_ledger: true,
            name: "陈明",
            sex: "男",
            nation: "回族",
            id: T(id("110105", "19950611", "017")),
            birth: S("1995-06-11"),
            dates: [
                S("2022.01.05"),
                S("2022.01.20"),
                S("2022.04.01"),
                S("2023.05.01"),
                S("2025.06.01"),
                S("2025.06.10-2025.06.12"),
                S("2025.10.10"),
                S("2025.12.20"),
                E,
                E,
            ],
            files: vec![
                "入党申请书.pdf",
                "积极分子考察表.pdf",
                "个人自传.pdf",
                "政审材料.pdf",
                "集中培训表.pdf",
                "入党志愿书.pdf",
                "预备党员考察表.pdf",
            ],
            resume: None,
        },
    ]
}

/// The findings a defect person is there for: (rule id, subject) — each exactly once.
type Planted = &'static [(&'static str, &'static str)];

/// The `defects` archive's people, each with the findings it is there to trigger (none: the
/// first of a pair whose second is reported). Written beside the archive as
/// `defects.planted.tsv`, which tests/cli.rs compares with what the audit finds, and checked
/// against rules/default.yaml here. A new person goes at the end: the ledger rows of the people
/// before it, and the cells tests pin (K15), do not move.
fn defect_table() -> Vec<(Planted, Person)> {
    let a = "机关第一党支部";
    let b = "机关第二党支部";
    let ok_dates = || {
        [
            S("2019.01.05"),
            S("2019.01.20"),
            S("2019.03.01"),
            S("2020.04.01"),
            S("2020.05.01"),
            S("2020.05.10-2020.05.12"),
            S("2020.06.01"),
            S("2020.08.01"),
            S("2021.06.01"),
            S("2021.07.01"),
        ]
    };
    let person = |branch,
                  folder: &str,
                  name,
                  id_v: V,
                  birth: V,
                  dates: [V; 10],
                  files: Vec<&'static str>| Person {
        branch,
        folder: Some(folder.to_string()),
        in_ledger: true,
        name,
        sex: "男",
        nation: "汉族",
        id: id_v,
        birth,
        dates,
        files,
        resume: None,
    };
    vec![
        // missing-document (autobiography) and unrecognized-file.
        (
            &[
                ("missing-document", "autobiography"),
                ("unrecognized-file", ""),
            ],
            person(
                a,
                "刘强",
                "刘强",
                T(id("110101", "19920101", "011")),
                S("1992.01"),
                [
                    S("2021.03.01"),
                    S("2021.03.15"),
                    S("2021.06.01"),
                    S("2022.07.01"),
                    E,
                    E,
                    E,
                    E,
                    E,
                    E,
                ],
                vec![
                    "入党申请书.pdf",
                    "入党积极分子考察登记表.pdf",
                    "扫描0001.jpg",
                ],
            ),
        ),
        // missing-milestone (candidate empty, admitted filled).
        (
            &[("missing-milestone", "candidate")],
            person(
                a,
                "周敏",
                "周敏",
                T(id("110101", "19930202", "022")),
                S("1993.02"),
                [
                    S("2020.09.01"),
                    S("2020.09.10"),
                    S("2021.01.05"),
                    E,
                    S("2022.03.01"),
                    S("2022.03.10-2022.03.12"),
                    S("2022.04.01"),
                    S("2022.05.01"),
                    E,
                    E,
                ],
                docs(7),
            ),
        ),
        // milestone-order (candidate before activist); activist-period-too-short must not also fire.
        (
            &[("milestone-order", "candidate")],
            person(
                a,
                "吴刚",
                "吴刚",
                T(id("110101", "19940303", "033")),
                S("1994.03"),
                [
                    S("2020.01.05"),
                    S("2020.01.20"),
                    S("2021.06.01"),
                    S("2021.03.01"),
                    E,
                    E,
                    E,
                    E,
                    E,
                    E,
                ],
                docs(3),
            ),
        ),
        // activist-period-too-short.
        (
            &[("activist-period-too-short", "candidate")],
            person(
                a,
                "杨帆",
                "杨帆",
                T(id("110101", "19930606", "013")),
                S("1993.06"),
                [
                    S("2021.01.05"),
                    S("2021.01.20"),
                    S("2021.06.01"),
                    S("2022.03.01"),
                    E,
                    E,
                    E,
                    E,
                    E,
                    E,
                ],
                docs(3),
            ),
        ),
        // approval-overdue and conversion-approval-overdue.
        (
            &[
                ("approval-overdue", "approved"),
                ("conversion-approval-overdue", "conversion_approved"),
            ],
            person(
                a,
                "郑洁",
                "郑洁",
                T(id("110101", "19950404", "044")),
                S("1995.04"),
                [
                    S("2019.01.05"),
                    S("2019.01.20"),
                    S("2019.03.01"),
                    S("2020.04.01"),
                    S("2020.05.01"),
                    S("2020.05.10-2020.05.12"),
                    S("2020.06.01"),
                    S("2020.10.15"),
                    S("2021.06.01"),
                    S("2021.10.01"),
                ],
                docs(8),
            ),
        ),
        // probation-too-short.
        (
            &[("probation-too-short", "converted")],
            person(
                a,
                "孙丽",
                "孙丽",
                T(id("110101", "19960505", "055")),
                S("1996.05"),
                [
                    S("2020.06.01"),
                    S("2020.06.15"),
                    S("2020.09.01"),
                    S("2021.10.01"),
                    S("2021.11.01"),
                    S("2021.11.10-2021.11.12"),
                    S("2022.01.10"),
                    S("2022.02.10"),
                    S("2022.12.20"),
                    S("2023.01.10"),
                ],
                docs(8),
            ),
        ),
        // applicant-under-18 and talk-overdue.
        (
            &[
                ("applicant-under-18", "applied"),
                ("talk-overdue", "talked"),
            ],
            person(
                a,
                "何伟",
                "何伟",
                T(id("110101", "20050601", "066")),
                S("2005.06"),
                [S("2023.03.01"), S("2023.05.15"), E, E, E, E, E, E, E, E],
                vec!["入党申请书.pdf"],
            ),
        ),
        // birth-date-mismatch.
        (
            &[("birth-date-mismatch", "birth")],
            person(
                b,
                "冯雪",
                "冯雪",
                T(id("110102", "19900315", "088")),
                S("1990.02"),
                [S("2022.03.01"), S("2022.03.10"), E, E, E, E, E, E, E, E],
                vec!["入党申请书.pdf"],
            ),
        ),
        // invalid-id-number.
        (
            &[("invalid-id-number", "id_number")],
            person(
                b,
                "钱进",
                "钱进",
                T(bad_id("110102", "19910606", "077")),
                S("1991.06"),
                [S("2022.03.01"), S("2022.03.10"), E, E, E, E, E, E, E, E],
                vec!["入党申请书.pdf"],
            ),
        ),
        // duplicate-person: the folder names the ID; a second row (a typo of the name) repeats it.
        (
            &[],
            person(
                b,
                &format!("陈晨（{}）", id("110102", "19970707", "099")),
                "陈晨",
                T(id("110102", "19970707", "099")),
                S("1997.07"),
                [S("2022.04.01"), S("2022.04.10"), E, E, E, E, E, E, E, E],
                vec!["入党申请书.pdf"],
            ),
        ),
        // invalid-date: unreadable, impossible and future dates; none of them also reported
        // as a missing milestone or an order problem.
        (
            &[
                ("invalid-date", "candidate"),
                ("invalid-date", "vetted"),
                ("invalid-date", "admitted"),
            ],
            person(
                b,
                "林峰",
                "林峰",
                T(id("110102", "19920808", "019")),
                S("1992.08"),
                [
                    S("2020.03.01"),
                    S("2020.03.10"),
                    S("2020.06.01"),
                    S("2022.13.40"),
                    S("2023年2月30日"),
                    S("2022.09.10-2022.09.12"),
                    S("2027.01.01"),
                    E,
                    E,
                    E,
                ],
                docs(7),
            ),
        ),
        // resume-gap, resume-overlap, resume-reversed, and an unreadable resume date.
        (
            &[
                ("resume-gap", "resume"),
                ("resume-overlap", "resume"),
                ("resume-reversed", "resume"),
                ("invalid-date", "resume"),
            ],
            Person {
                resume: Some((
                    vec!["起始年月", "终止年月", "单位及职务"],
                    vec![
                        vec![S("2000.09"), S("2006.07"), S("某小学学生")],
                        vec![S("2006.09"), S("2009.07"), S("某初中学生")],
                        vec![S("2010.03"), S("2013.07"), S("某高中学生")],
                        vec![S("2013.05"), S("2017.07"), S("某大学学生")],
                        vec![S("2019.07"), S("2017.09"), S("某公司职员")],
                        vec![S("2018.14"), S("2018.12"), S("某培训班")],
                        vec![S("2017.08"), S("至今"), S("某局科员")],
                    ],
                )),
                ..person(
                    b,
                    "高洁",
                    "高洁",
                    T(id("110102", "19940909", "020")),
                    S("1994.09"),
                    ok_dates(),
                    {
                        let mut f = docs(8);
                        f.push("简历.xlsx");
                        f
                    },
                )
            },
        ),
        // dossier-without-ledger-row.
        (
            &[("dossier-without-ledger-row", "")],
            Person {
                in_ledger: false,
                ..person(
                    a,
                    "王五",
                    "王五",
                    E,
                    E,
                    Default::default(),
                    vec!["入党申请书.pdf"],
                )
            },
        ),
        // ledger-row-without-dossier.
        (
            &[("ledger-row-without-dossier", "")],
            Person {
                folder: None,
                ..person(
                    a,
                    "",
                    "赵六",
                    T(id("110101", "19980101", "031")),
                    S("1998.01"),
                    [S("2024.03.01"), S("2024.03.10"), E, E, E, E, E, E, E, E],
                    vec![],
                )
            },
        ),
        // The duplicate row of 陈晨: reported as duplicate-person only.
        (
            &[("duplicate-person", "id_number")],
            Person {
                folder: None,
                ..person(
                    b,
                    "",
                    "陈辰",
                    T(id("110102", "19970707", "099")),
                    S("1997.07"),
                    [S("2022.04.01"), S("2022.04.10"), E, E, E, E, E, E, E, E],
                    vec![],
                )
            },
        ),
        // Born 1999-03 (ID number), the resume's first entry typed 1993 for 1999's school.
        (
            &[("resume-before-birth", "resume")],
            Person {
                resume: Some((
                    vec!["起始年月", "终止年月", "单位及职务"],
                    vec![
                        vec![S("1993.09"), S("2017.07"), S("某大学学生")],
                        vec![S("2017.07"), S("至今"), S("某局科员")],
                    ],
                )),
                ..person(
                    b,
                    "韩雪",
                    "韩雪",
                    T(id("110102", "19990315", "041")),
                    S("1999.03"),
                    ok_dates(),
                    {
                        let mut f = docs(8);
                        f.push("简历.xlsx");
                        f
                    },
                )
            },
        ),
    ]
}

/// The `defects` archive's people, in their order.
fn defect_people() -> Vec<Person> {
    defect_table().into_iter().map(|(_, p)| p).collect()
}

/// The findings planted outside the people: files at the archive's root and in a branch folder.
const PLANTED_ELSEWHERE: [(&str, &str, &str); 3] = [
    ("unrecognized-file", "", ""),
    ("unreadable-file", "", ""),
    ("resume-without-person", "", ""),
];

/// What the `defects` archive is there to trigger, one `rule<TAB>dossier or name<TAB>subject`
/// line a finding, sorted. Every rule is a default rule: a renamed or dropped rule is caught
/// here, not by a fixture that silently stops testing it.
fn planted_defects() -> Result<String, String> {
    let rules = include_str!("../rules/default.yaml");
    let mut lines = std::collections::BTreeSet::new();
    let people = defect_table().into_iter().flat_map(|(planted, p)| {
        let at = match &p.folder {
            Some(f) => format!("{}/{f}", p.branch),
            None => p.name.to_string(),
        };
        planted
            .iter()
            .map(move |(rule, subject)| (*rule, at.clone(), *subject))
    });
    let elsewhere = PLANTED_ELSEWHERE.map(|(r, at, s)| (r, at.to_string(), s));
    for (rule, at, subject) in people.chain(elsewhere) {
        if !rules.contains(&format!("  - id: {rule}\n")) {
            return Err(format!(
                "{at} is planted for {rule}, which is no default rule"
            ));
        }
        if !lines.insert(format!("{rule}\t{at}\t{subject}\n")) {
            return Err(format!("{rule} planted twice on {at} ({subject})"));
        }
    }
    Ok(lines.into_iter().collect())
}

/// Four activists whose files exercise the scan inspection rules.
fn scan_people() -> Vec<Person> {
    let dates = || {
        [
            S("2023.03.01"),
            S("2023.03.10"),
            S("2023.09.01"),
            E,
            E,
            E,
            E,
            E,
            E,
            E,
        ]
    };
    let person = |folder: &'static str, seq: &str| Person {
        branch: "档案室抽查支部",
        folder: Some(folder.to_string()),
        in_ledger: true,
        name: folder,
        sex: "女",
        nation: "汉族",
        id: T(id("310101", "19960101", seq)),
        birth: S("1996.01"),
        dates: dates(),
        files: vec![],
        resume: None,
    };
    vec![
        person("赵一", "012"),
        person("钱二", "024"),
        person("孙三", "036"),
        person("李丁", "048"),
    ]
}

/// The scans of `scan_people`: near misses for 赵一, broken files for 钱二, wrong formats,
/// low resolutions, an empty file and duplicates for 孙三, and a copy of 赵一's file for 李丁.
fn scan_files() -> Vec<(String, Vec<u8>)> {
    let b = "档案室抽查支部";
    let f = |who: &str, name: &str| format!("{b}/{who}/{name}");
    let shared = jpeg_with("shared-attachment", 300, false, false);
    vec![
        // 赵一: nothing wrong.
        (
            f("赵一", "入党申请书.pdf"),
            Pdf {
                tag: "zhao-app",
                pages: 2,
                image: Some((1700, 2200)),
                media: Some((612, 792)),
                incremental: true,
                ..Pdf::default()
            }
            .build(),
        ),
        (
            f("赵一", "入党积极分子考察登记表.tif"),
            tiff("zhao-tif", 3, 300, false),
        ),
        (
            f("赵一", "思想汇报2023年第4季度.jpg"),
            jpeg_with("zhao-200dpi", 200, true, false),
        ),
        (
            f("赵一", "思想汇报2024年第1季度.png"),
            png("zhao-png", Some(300.0), false, false),
        ),
        (f("赵一", "入党申请书附件.jpg"), shared.clone()),
        // 钱二: broken content.
        (
            f("钱二", "入党申请书.pdf"),
            Pdf {
                tag: "qian-cut",
                truncate: true,
                ..Pdf::default()
            }
            .build(),
        ),
        (
            f("钱二", "入党积极分子考察登记表.jpg"),
            jpeg_with("qian-no-eoi", 300, false, true),
        ),
        (
            f("钱二", "思想汇报2023年第4季度.png"),
            png("qian-crc", Some(300.0), true, false),
        ),
        (
            f("钱二", "思想汇报2024年第1季度.png"),
            png("qian-iend", Some(300.0), false, true),
        ),
        (
            f("钱二", "思想汇报2024年第2季度.tif"),
            tiff("qian-strip", 2, 300, true),
        ),
        (
            f("钱二", "思想汇报2024年第3季度.pdf"),
            "这不是 PDF，只是一段文字。\n".as_bytes().to_vec(),
        ),
        // 孙三: wrong formats, low resolution, an empty file, a duplicate inside the dossier.
        (
            f("孙三", "入党申请书.pdf"),
            png("sun-png-as-pdf", Some(300.0), false, false),
        ),
        (
            f("孙三", "入党积极分子考察登记表.tif"),
            jpeg_with("sun-jpeg-as-tif", 300, false, false),
        ),
        (
            f("孙三", "思想汇报2023年第4季度.jpg"),
            jpeg_with("sun-72", 72, false, false),
        ),
        (
            f("孙三", "思想汇报2024年第1季度.png"),
            png("sun-150", Some(150.0), false, false),
        ),
        (
            f("孙三", "思想汇报2024年第2季度.tif"),
            tiff("sun-100", 1, 100, false),
        ),
        (
            f("孙三", "思想汇报2024年第3季度.pdf"),
            Pdf {
                tag: "sun-pdf-100",
                image: Some((850, 1100)),
                media: Some((612, 792)),
                ..Pdf::default()
            }
            .build(),
        ),
        (f("孙三", "自传.pdf"), Vec::new()),
        (
            f("孙三", "思想汇报2024年第4季度.jpg"),
            jpeg_with("sun-dup", 300, false, false),
        ),
        (
            f("孙三", "思想汇报2024年第4季度（副本）.jpg"),
            jpeg_with("sun-dup", 300, false, false),
        ),
        // 李丁: the same file as one of 赵一's.
        (f("李丁", "入党申请书.jpg"), shared),
        (f("李丁", "入党积极分子考察登记表.pdf"), pdf("li-ding")),
    ]
}

fn write_cell(
    ws: &mut rust_xlsxwriter::Worksheet,
    r: u32,
    c: u16,
    v: &V,
    date_fmt: &Format,
) -> Result<(), XlsxError> {
    match v {
        E => {}
        S(s) => {
            ws.write_string(r, c, *s)?;
        }
        T(s) => {
            ws.write_string(r, c, s.as_str())?;
        }
        N(n) => {
            ws.write_number(r, c, *n)?;
        }
        D(y, m, d) => {
            ws.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(*y, *m, *d)?, date_fmt)?;
        }
    }
    Ok(())
}

const HEADER: [&str; 18] = [
    "序号",
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

/// A workbook whose bytes do not depend on the day it was written.
fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let when = ExcelDateTime::parse_from_str("2026-01-01T00:00:00Z")?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&when));
    Ok(wb)
}

fn write_ledger(path: &Path, people: &[&Person]) -> Result<(), XlsxError> {
    write_ledger_with_remarks(path, people, 0)
}

/// A ledger; with `remark_chars` > 0 each row also gets a 备注 (remarks) cell of that many
/// random CJK characters, unique per row: a column dangan does not read, which makes a big,
/// badly compressible file (a 50 MB ledger for the bad-input check).
fn write_ledger_with_remarks(
    path: &Path,
    people: &[&Person],
    remark_chars: usize,
) -> Result<(), XlsxError> {
    let mut remarks = Rng(0x5EED_0FBE_EF01);
    let mut wb = workbook()?;
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let ws = wb.add_worksheet();
    ws.set_name("2021年以来")?;
    ws.merge_range(
        0,
        0,
        0,
        HEADER.len() as u16 - 1,
        "某局机关发展党员工作台账（2021年以来）",
        &title,
    )?;
    ws.write_string(1, 0, "填报单位：机关党委")?;
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(2, c as u16, *h)?;
    }
    let remark_col = HEADER.len() as u16;
    if remark_chars > 0 {
        ws.write_string(2, remark_col, "备注")?;
    }
    let mut r = 3u32;
    for p in people.iter().filter(|p| p.in_ledger) {
        ws.write_number(r, 0, f64::from(r - 2))?;
        ws.write_string(r, 1, p.name)?;
        ws.write_string(r, 2, p.sex)?;
        ws.write_string(r, 3, p.nation)?;
        write_cell(ws, r, 4, &p.id, &date_fmt)?;
        write_cell(ws, r, 5, &p.birth, &date_fmt)?;
        ws.write_string(r, 6, p.branch)?;
        for (i, v) in p.dates.iter().enumerate() {
            write_cell(ws, r, 7 + i as u16, v, &date_fmt)?;
        }
        if remark_chars > 0 {
            let text: String = (0..remark_chars)
                .filter_map(|_| char::from_u32(0x4E00 + remarks.below(4000) as u32))
                .collect();
            ws.write_string(r, remark_col, text)?;
        }
        r += 1;
        if r == 6 {
            r += 1; // a blank row inside the table
        }
    }
    ws.write_string(r + 1, 0, "注：本表由各支部组织委员填报。")?;
    let notes = wb.add_worksheet();
    notes.set_name("填表说明")?;
    notes.write_string(0, 0, "时间一律填写到日。")?;
    wb.save(path)
}

/// The demo's 年度发展计划: a two-row header (计划发展党员数 over its categories, 支部 and
/// 年度 merged down), a 合计 row, and a 支部名单 sheet. 2025: 第一党支部 plans 1 and admitted
/// 李四 (met; its 高知识群体 cannot be counted: the ledger has no 学历 column); 第二党支部
/// plans 2 with 1 少数民族 and admitted 陈明 (回族): short of its total; 机关第三党支部 plans 1
/// and has no folder and no ledger row: short, and dormant. 2026 is not over on the as-of date.
fn write_plan(path: &Path) -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let merged = Format::new().set_align(FormatAlign::Center);
    let ws = wb.add_worksheet();
    ws.set_name("年度计划")?;
    ws.write_string(0, 0, "机关党委年度发展党员计划")?;
    ws.merge_range(1, 0, 2, 0, "支部", &merged)?;
    ws.merge_range(1, 1, 2, 1, "年度", &merged)?;
    ws.merge_range(1, 2, 1, 4, "计划发展党员数", &merged)?;
    ws.write_row(2, 2, ["总数", "高知识群体", "少数民族"])?;
    let rows: [(&str, f64, [Option<f64>; 3]); 5] = [
        ("第一党支部", 2025.0, [Some(1.0), Some(1.0), None]),
        ("第二党支部", 2025.0, [Some(2.0), None, Some(1.0)]),
        ("机关第三党支部", 2025.0, [Some(1.0), None, None]),
        ("第一党支部", 2026.0, [Some(3.0), None, None]),
        ("合计", 2025.0, [Some(4.0), Some(1.0), Some(1.0)]),
    ];
    for (i, (branch, year, counts)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, *branch)?;
        ws.write_number(r, 1, *year)?;
        for (c, n) in counts.iter().enumerate() {
            if let Some(n) = n {
                ws.write_number(r, 2 + c as u16, *n)?;
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("支部名单")?;
    ws.write_row(0, 0, ["序号", "支部名称", "支部书记"])?;
    let branches = [
        "机关第一党支部",
        "机关第二党支部",
        "机关第三党支部",
        "档案室抽查支部",
        "第一党支部",
        "第二党支部",
    ];
    for (i, b) in branches.iter().enumerate() {
        ws.write_number(1 + i as u32, 0, (i + 1) as f64)?;
        ws.write_string(1 + i as u32, 1, *b)?;
    }
    wb.save(path)
}

fn write_resume(
    path: &Path,
    header: &[&str],
    rows: &[Vec<V>],
    with_name: Option<&str>,
) -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let date_fmt = Format::new().set_num_format("yyyy-mm");
    let ws = wb.add_worksheet();
    ws.set_name("简历")?;
    ws.write_string(0, 0, "个人简历")?;
    let off = u16::from(with_name.is_some());
    if with_name.is_some() {
        ws.write_string(1, 0, "姓名")?;
    }
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, off + c as u16, *h)?;
    }
    for (r, row) in rows.iter().enumerate() {
        if let Some(n) = with_name {
            ws.write_string(2 + r as u32, 0, n)?;
        }
        for (c, v) in row.iter().enumerate() {
            write_cell(ws, 2 + r as u32, off + c as u16, v, &date_fmt)?;
        }
    }
    wb.save(path)
}

/// A one-page PDF with a valid xref; `tag` makes each file unique.
fn pdf(tag: &str) -> Vec<u8> {
    Pdf {
        tag,
        ..Pdf::default()
    }
    .build()
}

/// A PDF to order: pages, a page image of some pixel size on an A4/Letter MediaBox, an
/// incremental update appended, or the file cut short.
#[derive(Default)]
struct Pdf<'a> {
    tag: &'a str,
    pages: usize,
    /// Pixel size of a grey image drawn over each page.
    image: Option<(u32, u32)>,
    /// MediaBox size in points (default A4).
    media: Option<(u32, u32)>,
    incremental: bool,
    truncate: bool,
}

impl Pdf<'_> {
    fn build(&self) -> Vec<u8> {
        let pages = self.pages.max(1);
        let (mw, mh) = self.media.unwrap_or((595, 842));
        // Objects: 1 catalog, 2 pages, 3 info, then per page: page, content, [image].
        let per = if self.image.is_some() { 3 } else { 2 };
        let page_num = |k: usize| 4 + k * per;
        let mut objs: Vec<Vec<u8>> = Vec::new();
        objs.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        let kids: Vec<String> = (0..pages).map(|k| format!("{} 0 R", page_num(k))).collect();
        objs.push(
            format!(
                "<< /Type /Pages /Kids [{}] /Count {pages} >>",
                kids.join(" ")
            )
            .into_bytes(),
        );
        objs.push(format!("<< /Title ({}) >>", octal(self.tag)).into_bytes());
        for k in 0..pages {
            let n = page_num(k);
            let res = if self.image.is_some() {
                format!("/Resources << /XObject << /Im0 {} 0 R >> >> ", n + 2)
            } else {
                String::new()
            };
            objs.push(
                format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {mw} {mh}] {res}/Contents {} 0 R >>", n + 1)
                    .into_bytes(),
            );
            let content = format!("q {mw} 0 0 {mh} 0 0 cm /Im0 Do Q % {k}");
            objs.push(
                format!(
                    "<< /Length {} >>\nstream\n{content}\nendstream",
                    content.len()
                )
                .into_bytes(),
            );
            if let Some((w, h)) = self.image {
                let raw = vec![0xEEu8; (w * h) as usize];
                let z = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
                let mut o = format!(
                    "<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray \
                     /BitsPerComponent 8 /Filter /FlateDecode /Length {} >>\nstream\n",
                    z.len()
                )
                .into_bytes();
                o.extend_from_slice(&z);
                o.extend_from_slice(b"\nendstream");
                objs.push(o);
            }
        }
        let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objs.len() + 1
            )
            .as_bytes(),
        );
        if self.incremental {
            // An incremental update: a new Info object, a new xref section pointing back.
            let at = out.len();
            out.extend_from_slice(
                format!(
                    "3 0 obj\n<< /Title ({}) /Producer (update) >>\nendobj\n",
                    octal(self.tag)
                )
                .as_bytes(),
            );
            let xref2 = out.len();
            out.extend_from_slice(format!("xref\n3 1\n{at:010} 00000 n \n").as_bytes());
            out.extend_from_slice(
                format!(
                    "trailer\n<< /Size {} /Root 1 0 R /Info 3 0 R /Prev {xref} >>\nstartxref\n{xref2}\n%%EOF\n",
                    objs.len() + 1
                )
                .as_bytes(),
            );
        }
        if self.truncate {
            out.truncate(out.len() * 2 / 3);
        }
        out
    }
}

/// A PDF of numbered objects (object i+1 is `objs[i]`) after `header`, with a classic
/// cross-reference table and a trailer naming object 1 the catalog.
fn pdf_file(header: &[u8], objs: &[String]) -> Vec<u8> {
    let mut out = header.to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn octal(s: &str) -> String {
    s.bytes().map(|b| format!("\\{b:03o}")).collect()
}

/// An 8×8 grey JPEG, JFIF density 300 dpi, with `tag` in a COM segment.
fn jpeg(tag: &str) -> Vec<u8> {
    jpeg_with(tag, 300, false, false)
}

/// A JPEG at `dpi` (JFIF units: inches), with bytes after the end marker, or without it.
fn jpeg_with(tag: &str, dpi: u16, trailing: bool, no_eoi: bool) -> Vec<u8> {
    const BASE: &str = "ffd8ffe000104a46494600010101012c012c0000ffdb004300100b0c0e0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768673e4d71797064785c656763ffc0000b080008000801011100ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffda0008010100003f00f40affd9";
    let bytes: Vec<u8> = (0..BASE.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&BASE[i..i + 2], 16).unwrap_or(0))
        .collect();
    let com = tag.as_bytes();
    let len = (com.len() + 2) as u16;
    let mut out = bytes[..20].to_vec();
    out[14..16].copy_from_slice(&dpi.to_be_bytes());
    out[16..18].copy_from_slice(&dpi.to_be_bytes());
    out.extend_from_slice(&[0xff, 0xfe]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(com);
    out.extend_from_slice(&bytes[20..]);
    if no_eoi {
        out.truncate(out.len() - 2);
    }
    if trailing {
        out.extend_from_slice(&[0u8; 300]);
    }
    out
}

/// An 8×8 grey PNG with `tag` in a tEXt chunk; optional pHYs density, a bad IDAT CRC, or no IEND.
fn png(tag: &str, dpi: Option<f64>, bad_crc: bool, no_iend: bool) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8], corrupt: bool) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut h = crc32fast::Hasher::new();
        h.update(kind);
        h.update(data);
        let crc = h.finalize() ^ u32::from(corrupt);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&8u32.to_be_bytes());
    ihdr.extend_from_slice(&8u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr, false);
    if let Some(dpi) = dpi {
        let ppm = (dpi / 0.0254).round() as u32;
        let mut phys = Vec::new();
        phys.extend_from_slice(&ppm.to_be_bytes());
        phys.extend_from_slice(&ppm.to_be_bytes());
        phys.push(1);
        chunk(&mut out, b"pHYs", &phys, false);
    }
    let mut text = b"Comment\0".to_vec();
    text.extend_from_slice(tag.as_bytes());
    chunk(&mut out, b"tEXt", &text, false);
    let raw: Vec<u8> = (0..8)
        .flat_map(|_| std::iter::once(0u8).chain([0xEE; 8]))
        .collect();
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
        bad_crc,
    );
    if !no_iend {
        chunk(&mut out, b"IEND", &[], false);
    }
    out
}

/// A little-endian TIFF of `pages` 8×8 grey pages at `dpi`; `bad_strip` points the last
/// page's strip past the end of the file.
fn tiff(tag: &str, pages: usize, dpi: u32, bad_strip: bool) -> Vec<u8> {
    let mut out = b"II*\0\0\0\0\0".to_vec();
    let mut text = tag.as_bytes().to_vec();
    text.push(0);
    let text_at = out.len() as u32;
    out.extend_from_slice(&text);
    let mut prev_next_at = 4usize;
    for p in 0..pages {
        let pixels_at = out.len() as u32;
        out.extend_from_slice(&[0xEE; 64]);
        let res_at = out.len() as u32;
        out.extend_from_slice(&dpi.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if out.len() % 2 == 1 {
            out.push(0);
        }
        let ifd_at = out.len() as u32;
        out[prev_next_at..prev_next_at + 4].copy_from_slice(&ifd_at.to_le_bytes());
        let strip = if bad_strip && p + 1 == pages {
            pixels_at + 100_000
        } else {
            pixels_at
        };
        // (tag, type, count, value)
        let entries: [(u16, u16, u32, u32); 12] = [
            (256, 3, 1, 8),
            (257, 3, 1, 8),
            (258, 3, 1, 8),
            (259, 3, 1, 1),
            (262, 3, 1, 1),
            (270, 2, text.len() as u32, text_at),
            (273, 4, 1, strip),
            (278, 3, 1, 8),
            (279, 4, 1, 64),
            (282, 5, 1, res_at),
            (283, 5, 1, res_at),
            (296, 3, 1, 2),
        ];
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (t, k, n, v) in entries {
            out.extend_from_slice(&t.to_le_bytes());
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&n.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        prev_next_at = out.len();
        out.extend_from_slice(&0u32.to_le_bytes());
    }
    out
}

fn write_file(path: &Path, rel: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let bytes = if name == "Thumbs.db" || name == ".DS_Store" {
        b"system file".to_vec()
    } else if name.ends_with(".jpg") {
        jpeg(rel)
    } else {
        pdf(rel)
    };
    fs::write(path, bytes)
}

/// An OpenDocument spreadsheet (.ods) ledger for one branch, without a branch column: its rows
/// take the branch of the folder it sits in.
fn write_ods(path: &Path, people: &[&Person]) -> Result<(), Box<dyn std::error::Error>> {
    fn cell(v: &V) -> String {
        let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
        match v {
            E => "<table:table-cell/>".into(),
            S(s) => format!(
                "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                esc(s)
            ),
            T(s) => format!(
                "<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>",
                esc(s)
            ),
            N(n) => format!(
                "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
            ),
            D(y, m, d) => format!(
                "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y}-{m}-{d}</text:p></table:table-cell>"
            ),
        }
    }
    let mut rows = String::new();
    rows.push_str("<table:table-row>");
    let title = format!("{}发展党员台账", people.first().map_or("", |p| p.branch));
    rows.push_str(&cell(&T(title)));
    rows.push_str("</table:table-row>");
    let header: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|h| *h != "所在党支部")
        .collect();
    rows.push_str("<table:table-row>");
    for h in &header {
        rows.push_str(&cell(&S(h)));
    }
    rows.push_str("</table:table-row>");
    for p in people {
        rows.push_str("<table:table-row>");
        rows.push_str(&cell(&N(1.0)));
        rows.push_str(&cell(&S(p.name)));
        rows.push_str(&cell(&S(p.sex)));
        rows.push_str(&cell(&S(p.nation)));
        rows.push_str(&cell(&p.id));
        rows.push_str(&cell(&p.birth));
        for v in &p.dates {
            rows.push_str(&cell(v));
        }
        rows.push_str("</table:table-row>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:spreadsheet><table:table table:name=\"台账\">{rows}</table:table>\
</office:spreadsheet></office:body></office:document-content>"
    );
    ods_package(path, &content)
}

/// An .ods file around its content.xml (the mimetype stored first, then the manifest).
fn ods_package(path: &Path, content: &str) -> Result<(), Box<dyn std::error::Error>> {
    use std::io::Write;
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    let mut zip = zip::ZipWriter::new(fs::File::create(path)?);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored)?;
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("META-INF/manifest.xml", deflated)?;
    zip.write_all(manifest.as_bytes())?;
    zip.start_file("content.xml", deflated)?;
    zip.write_all(content.as_bytes())?;
    zip.finish()?;
    Ok(())
}

/// Write an archive; the people of `ods_branch` go into an .ods ledger in their branch folder.
fn write_archive(
    root: &Path,
    people: &[Person],
    ods_branch: Option<&str>,
) -> Result<(), Box<dyn std::error::Error>> {
    // A defect person's name used twice would silently match the other's dossier or row:
    // refused, with both (a name shared on purpose shares the person's ID number too).
    let mut seen: std::collections::HashMap<&str, &Person> = std::collections::HashMap::new();
    for p in people {
        if let Some(other) = seen.insert(p.name, p)
            && other.id != p.id
        {
            return Err(format!(
                "{}: the name {} is used by two people of the archive ({} and {}): give the new one a name of its own",
                root.display(),
                p.name,
                other.branch,
                p.branch
            )
            .into());
        }
    }
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    fs::create_dir_all(root)?;
    let (ods, xlsx): (Vec<&Person>, Vec<&Person>) =
        people.iter().partition(|p| Some(p.branch) == ods_branch);
    write_ledger(&root.join("发展党员工作台账.xlsx"), &xlsx)?;
    if let Some(b) = ods_branch {
        fs::create_dir_all(root.join(b))?;
        write_ods(&root.join(b).join(format!("{b}台账.ods")), &ods)?;
    }
    for p in people {
        let Some(folder) = &p.folder else { continue };
        let dir = root.join(p.branch).join(folder);
        fs::create_dir_all(&dir)?;
        for f in &p.files {
            if f.ends_with(".xlsx") {
                continue;
            }
            let rel = format!("{}/{folder}/{f}", p.branch);
            write_file(&dir.join(f), &rel)?;
        }
        if let Some((header, rows)) = &p.resume {
            write_resume(&dir.join("简历.xlsx"), header, rows, None)?;
        }
    }
    Ok(())
}

/// A small deterministic random number generator (xorshift64*), so an archive is the same for
/// a seed on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

fn ymd(d: jiff::civil::Date) -> String {
    format!("{:04}.{:02}.{:02}", d.year(), d.month(), d.day())
}

/// A synthetic archive in the contract's layout: `dossiers` people in branches of 40 with a
/// realistic stage mix, the documents their stage requires as small unique scans (PDF, JPEG,
/// TIFF, PNG), a ledger of every row, a root resume sheet, and — at `rate` — planted defects,
/// listed in `expected-findings.json` beside the archive (rule, dossier, subject).
pub(crate) fn write_synthetic(
    root: &Path,
    dossiers: usize,
    seed: u64,
    rate: f64,
    remark_chars: usize,
    rosters: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    use jiff::ToSpan;
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    const GIVEN: &[&str] = &[
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
    ];
    // Stage documents, cumulative, with the file each is written as.
    const DOCS: [&[&str]; 5] = [
        &["入党申请书.pdf"],
        &["入党积极分子考察登记表.jpg"],
        &["自传.pdf"],
        &[
            "政审材料.pdf",
            "集中培训表.png",
            "入党志愿书.tif",
            "预备党员考察表.pdf",
        ],
        &["转正申请书.jpg"],
    ];
    const DOC_KEYS: [&[&str]; 5] = [
        &["application"],
        &["activist_assessment"],
        &["autobiography"],
        &["vetting", "training", "volunteer", "probation_assessment"],
        &["conversion"],
    ];
    if root.exists() {
        fs::remove_dir_all(root)?;
    }
    fs::create_dir_all(root)?;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let mut people = Vec::with_capacity(dossiers);
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut expected: Vec<serde_json::Value> = Vec::new();
    let mut resumes: Vec<Vec<V>> = Vec::new();
    let as_of = jiff::civil::date(2026, 11, 28);
    for i in 0..dossiers {
        let branch = leak(format!("第{:04}党支部", i / 40 + 1));
        let name = leak(format!(
            "{}{}{}",
            SURNAMES[i % 10],
            GIVEN[(i / 10) % 12],
            GIVEN[(i / 120) % 12]
        ));
        let folder = format!("{:02}-{name}", i % 40 + 1);
        let dossier = format!("{branch}/{folder}");
        let stage = match rng.below(100) {
            0..20 => 0,
            20..50 => 1,
            50..65 => 2,
            65..80 => 3,
            _ => 4,
        };
        let birth_year = 1975 + rng.below(25) as i16;
        let birth = jiff::civil::date(birth_year, 1 + rng.below(12) as i8, 1 + rng.below(28) as i8);
        let id_number = id(
            &format!("11{:04}", i / 1000),
            &format!("{:04}{:02}{:02}", birth.year(), birth.month(), birth.day()),
            &format!("{:03}", i % 1000),
        );
        let mut applied = jiff::civil::date(
            2018 + rng.below(6) as i16,
            1 + rng.below(12) as i8,
            1 + rng.below(28) as i8,
        );
        // A probationary member was admitted within the last year (19 months after applying):
        // one admitted years ago and never converted is overdue (conversion-overdue).
        if stage == 3 {
            applied = as_of.checked_sub((20 + rng.below(12) as i64).months())?;
        }
        let mut talked = applied.checked_add(10.days())?;
        let activist = applied.checked_add(3.months())?;
        let candidate = activist.checked_add(13.months())?;
        let vetted = candidate.checked_add(1.month())?;
        let train = candidate.checked_add(40.days())?;
        let admitted = candidate.checked_add(3.months())?;
        let approved = admitted.checked_add(1.month())?;
        let mut converted = admitted.checked_add(1.year())?;
        let conv_ok = converted.checked_add(1.month())?;
        // One planted defect, at `rate`.
        let mut drop_doc: Option<(usize, usize)> = None;
        let mut low_res = false;
        let mut empty = false;
        let mut gap = false;
        let mut before_birth = false;
        if rng.chance(rate) {
            let mut plant = |rule: &str, subject: &str| {
                expected.push(
                    serde_json::json!({"rule": rule, "dossier": dossier, "subject": subject}),
                );
            };
            match rng.below(7) {
                0 => {
                    let s = rng.below(stage as u64 + 1) as usize;
                    let d = rng.below(DOCS[s].len() as u64) as usize;
                    drop_doc = Some((s, d));
                    plant("missing-document", DOC_KEYS[s][d]);
                }
                1 => {
                    talked = applied.checked_add(45.days())?;
                    plant("talk-overdue", "talked");
                }
                2 if stage == 4 => {
                    converted = admitted.checked_add(10.months())?;
                    plant("probation-too-short", "converted");
                }
                3 => {
                    low_res = true;
                    plant("low-resolution", "application");
                }
                4 => {
                    empty = true;
                    plant("empty-file", "application");
                }
                5 => {
                    gap = true;
                    plant("resume-gap", "resume");
                }
                _ => {
                    // Middle school typed a decade early: it starts before the birth.
                    before_birth = true;
                    plant("resume-before-birth", "resume");
                }
            }
        }
        let t = |d: jiff::civil::Date| T(ymd(d));
        let upto = |k: usize, v: V| if stage >= k { v } else { E };
        let dates = [
            t(applied),
            t(talked),
            upto(1, t(activist)),
            upto(2, t(candidate)),
            upto(3, t(vetted)),
            upto(
                3,
                T(format!(
                    "{}-{}",
                    ymd(train),
                    ymd(train.checked_add(2.days())?)
                )),
            ),
            upto(3, t(admitted)),
            upto(3, t(approved)),
            upto(4, t(converted)),
            upto(4, t(conv_ok.max(converted.checked_add(1.month())?))),
        ];
        debug_assert!(conv_ok <= as_of);
        people.push(Person {
            branch,
            folder: Some(folder.clone()),
            in_ledger: true,
            name,
            sex: if rng.chance(0.45) { "女" } else { "男" },
            nation: if rng.chance(0.08) { "回族" } else { "汉族" },
            id: T(id_number.clone()),
            birth: T(format!("{:04}.{:02}", birth.year(), birth.month())),
            dates,
            files: vec![],
            resume: None,
        });
        let dir = root.join(branch).join(&folder);
        fs::create_dir_all(&dir)?;
        for (s, docs) in DOCS.iter().enumerate().take(stage + 1) {
            for (d, file) in docs.iter().enumerate() {
                if drop_doc == Some((s, d)) {
                    continue;
                }
                let tag = format!("{dossier}/{file}");
                let bytes = if s == 0 && empty {
                    Vec::new()
                } else if s == 0 && low_res {
                    jpeg_with(&tag, 72, false, false)
                } else {
                    match file.rsplit('.').next() {
                        Some("jpg") => jpeg(&tag),
                        Some("png") => png(&tag, Some(300.0), false, false),
                        Some("tif") => tiff(&tag, 2, 300, false),
                        _ => pdf(&tag),
                    }
                };
                let name = if s == 0 && low_res {
                    "入党申请书.jpg"
                } else {
                    file
                };
                files.push((dir.join(name), bytes));
            }
        }
        // Resume: school, university, work to the present; a planted gap of a year.
        let school_end = birth_year + 18;
        let work_start = if gap { school_end + 5 } else { school_end + 4 };
        let school_start = if before_birth {
            birth_year - 1
        } else {
            birth_year + 12
        };
        for (span, what) in [
            (
                format!("{}.09—{}.07", school_start, school_end),
                "某中学学生",
            ),
            (
                format!("{}.09—{}.07", school_end, school_end + 4),
                "某大学学生",
            ),
            (format!("{}.08—至今", work_start), "某单位职员"),
        ] {
            resumes.push(vec![
                T(name.to_string()),
                T(id_number.clone()),
                T(span),
                S(what),
            ]);
        }
    }
    let refs: Vec<&Person> = people.iter().collect();
    if rosters {
        rosters::write_xlsx(
            &root.join("发展党员名册.xlsx"),
            &rosters::synthetic_sheets(&refs),
        )?;
    } else {
        write_ledger_with_remarks(&root.join("发展党员工作台账.xlsx"), &refs, remark_chars)?;
    }
    {
        // A sheet holds 1,048,576 rows: past a million resume lines (333,334 dossiers and
        // more) the lines go on in sheets 简历2, 简历3 …
        const SHEET_ROWS: usize = 1_000_000;
        let mut wb = workbook()?;
        let fmt = Format::new();
        for (n, chunk) in resumes.chunks(SHEET_ROWS).enumerate() {
            let ws = wb.add_worksheet();
            ws.set_name(if n == 0 {
                "简历".to_string()
            } else {
                format!("简历{}", n + 1)
            })?;
            for (c, h) in ["姓名", "身份证号码", "起止时间", "单位及职务"]
                .iter()
                .enumerate()
            {
                ws.write_string(0, c as u16, *h)?;
            }
            for (r, row) in chunk.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    write_cell(ws, r as u32 + 1, c as u16, v, &fmt)?;
                }
            }
        }
        wb.save(root.join("人员简历.xlsx"))?;
    }
    for (path, bytes) in files {
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, bytes)?;
    }
    // A branch with no admission in the three years before the as-of date is branch-dormant.
    let cutoff = as_of.checked_sub(3.years())?;
    let mut admitting: std::collections::BTreeMap<&str, bool> = std::collections::BTreeMap::new();
    for p in &people {
        let recent = match &p.dates[6] {
            T(d) => jiff::civil::Date::strptime("%Y.%m.%d", d).is_ok_and(|d| d > cutoff),
            _ => false,
        };
        *admitting.entry(p.branch).or_default() |= recent;
    }
    for (_, _) in admitting.iter().filter(|(_, recent)| !**recent) {
        expected.push(
            serde_json::json!({"rule": "branch-dormant", "dossier": null, "subject": "branch"}),
        );
    }
    expected.sort_by_key(|v| v.to_string());
    let listing = root.with_extension("expected-findings.json");
    fs::write(&listing, serde_json::to_string_pretty(&expected)? + "\n")?;
    println!(
        "synthetic archive: {dossiers} dossiers under {}, seed {seed}, {} planted defects listed in {}",
        root.display(),
        expected.len(),
        listing.display()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--archive") {
        let usage = "usage: gen_fixtures --archive OUT DOSSIERS [SEED] [DEFECT_RATE] \
                     [REMARK_CHARS (a 备注 column of that many characters a row)]";
        let out = PathBuf::from(args.get(1).ok_or(usage)?);
        let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
        let seed: u64 = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(1);
        let rate: f64 = args.get(4).and_then(|n| n.parse().ok()).unwrap_or(0.0);
        let remarks: usize = args.get(5).and_then(|n| n.parse().ok()).unwrap_or(0);
        return write_synthetic(&out, n, seed, rate, remarks, false);
    }
    let out = PathBuf::from(args.first().cloned().unwrap_or_else(|| "fixtures".into()));

    let clean = clean_people();
    let root = out.join("clean");
    write_archive(&root, &clean, Some("第二党支部"))?;
    // 陈明's resume lives in a root sheet with a name column (start and end columns).
    write_resume(
        &root.join("人员简历.xlsx"),
        &["起始年月", "终止年月", "单位及职务"],
        &[
            vec![S("2001.09"), S("2007.07"), S("某小学学生")],
            vec![S("2007.09"), S("2013.07"), S("某中学学生")],
            vec![S("2013.09"), S("2017.07"), S("某大学学生")],
            vec![D(2017, 8, 1), S("至今"), S("某局科员")],
        ],
        Some("陈明"),
    )?;
    fs::write(root.join("~$发展党员工作台账.xlsx"), b"lock")?;

    fs::write(out.join("defects.planted.tsv"), planted_defects()?)?;
    let defects = defect_people();
    let root = out.join("defects");
    write_archive(&root, &defects, None)?;
    fs::write(
        root.join("机关第二党支部/统计表.xlsx"),
        b"this is not a spreadsheet",
    )?;
    fs::write(root.join("说明.txt"), "本档案为测试样例。\n")?;
    // A root resume sheet for 周伟, who is in neither the ledger nor the folders.
    write_resume(
        &root.join("人员简历.xlsx"),
        &["起止时间", "单位及职务"],
        &[
            vec![S("2012.09—2016.07"), S("某大学学生")],
            vec![S("2016.08—至今"), S("某局科员")],
        ],
        Some("周伟"),
    )?;

    let root = out.join("no-ledger");
    if root.exists() {
        fs::remove_dir_all(&root)?;
    }
    write_file(&root.join("一支部/张三/入党申请书.pdf"), "no-ledger/张三")?;

    let root = out.join("scans");
    write_archive(&root, &scan_people(), None)?;
    for (rel, bytes) in scan_files() {
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, bytes)?;
    }

    let mut demo = clean_people();
    demo.extend(defect_people());
    let root = out.join("demo");
    demo.extend(scan_people());
    write_archive(&root, &demo, None)?;
    for (rel, bytes) in scan_files() {
        fs::write(root.join(&rel), bytes)?;
    }
    fs::write(
        root.join("机关第二党支部/统计表.xlsx"),
        b"this is not a spreadsheet",
    )?;
    write_plan(&root.join("年度发展党员计划.xlsx"))?;
    // Two thought reports with text: one current, one whose theory is not (theory-not-current).
    let reports = root.join("第一党支部/01-张三/思想汇报");
    fs::create_dir_all(&reports)?;
    use content::{PLEDGE, TWENTY, XI, docx, letter};
    docx(
        &reports.join("思想汇报2023年第1季度.docx"),
        &letter(
            "思想汇报",
            &[PLEDGE, XI, TWENTY],
            "汇报人：张三",
            "2023年3月15日",
        ),
    )?;
    docx(
        &reports.join("思想汇报2023年第2季度.docx"),
        &letter("思想汇报", &[PLEDGE, XI], "汇报人：张三", "2023年6月20日"),
    )?;
    write_archive(&out.join("folders"), &folders::people(), None)?;
    for (rel, bytes) in folders::combined_files() {
        fs::write(out.join("folders").join(rel), bytes)?;
    }
    layouts::write(&out.join("layouts"))?;
    catalogs::write(&out.join("catalogs"))?;
    rosters::write(&out.join("rosters"), false)?;
    rosters::write(&out.join("rosters-ods"), true)?;
    content::write(&out.join("content"))?;
    round3::write(&out.join("round3"))?;
    println!("fixtures written under {}", out.display());
    Ok(())
}
