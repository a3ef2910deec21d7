//! `fixtures/folders`: dossiers filed the ways branches and scanning vendors file them
//! (shared/domain.md §2, §4). Each is complete and audits clean, but one:
//!
//! - 周伟: a folder per material (01-入党申请书/001.jpg, 06-入党志愿书/第1页.jpg …);
//! - 吴芳: the everyday names (申请书, 培养考察表, 政审综合材料, 函调材料, 党校结业证书, 志愿书,
//!   预备党员考察鉴定表) and the other materials of a real dossier (谈话记录, 推荐材料,
//!   支部大会决议, 公示情况反馈表, a page of the 志愿书 filed on its own);
//! - 郑强: 考察表.pdf fits the activist's and the probationer's assessment equally →
//!   ambiguous-file (info), and not also a missing 入党积极分子考察表;
//! - 冯丽: the whole dossier as one PDF whose nested bookmarks name the materials;
//! - 黄敏: one PDF whose bookmarks go to named destinations;
//! - 郭涛: one OFD whose outline names the materials; 孔亮: an OFD without one (unverifiable);
//! - 杨帆: one 6-page PDF whose outline cannot be followed, and 何静: two pages without
//!   bookmarks → combined-file-unverifiable (one warning listing what cannot be confirmed, not
//!   a missing-document for each).

use super::V::{E, S, T};
use super::{Person, id};

/// A complete ledger row's dates up to a stage (0 applicant … 4 full member).
pub fn dates(stage: usize) -> [super::V; 10] {
    let all = [
        "2019.03.05",
        "2019.03.20",
        "2019.06.01",
        "2020.06.01",
        "2020.08.01",
        "2020.08.10-2020.08.12",
        "2020.09.15",
        "2020.12.15",
        "2021.09.15",
        "2021.12.15",
    ];
    // The last field of each stage: applicant 1, activist 2, candidate 5, probationary 7, full 9.
    let upto = [1, 2, 5, 7, 9][stage];
    std::array::from_fn(|i| if i <= upto { S(all[i]) } else { E })
}

pub fn people() -> Vec<Person> {
    let b1 = "第一党支部";
    let b2 = "第二党支部";
    vec![
        Person {
            branch: b1,
            folder: Some("周伟".into()),
            in_ledger: true,
            name: "周伟",
            sex: "男",
            nation: "汉族",
            id: T(id("110101", "19950312", "311")),
            birth: S("1995.03"),
            dates: dates(4),
            files: vec![
                "01-入党申请书/001.jpg",
                "01-入党申请书/002.jpg",
                "02-入党积极分子考察登记表/001.jpg",
                "03-自传/001.jpg",
                "03-自传/002.jpg",
                "04-政审材料/001.jpg",
                "05-集中培训/001.jpg",
                "06-入党志愿书/第1页.jpg",
                "06-入党志愿书/第2页.jpg",
                "06-入党志愿书/第3页.jpg",
                "06-入党志愿书/第4页.jpg",
                "07-预备党员考察表/001.jpg",
                "08-转正申请书/001.jpg",
            ],
            resume: None,
        },
        Person {
            branch: b1,
            folder: Some("吴芳".into()),
            in_ledger: true,
            name: "吴芳",
            sex: "女",
            nation: "汉族",
            id: T(id("110101", "19970521", "322")),
            birth: S("1997.05"),
            dates: dates(3),
            files: vec![
                "申请书.pdf",
                "谈话记录.pdf",
                "推荐材料.pdf",
                "培养考察表.pdf",
                "个人自传.pdf",
                "政审综合材料.pdf",
                "函调材料.pdf",
                "党校结业证书.pdf",
                "公示情况反馈表.pdf",
                "志愿书.pdf",
                "入党介绍人意见.pdf",
                "支部大会决议.pdf",
                "预备党员考察鉴定表.pdf",
            ],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("郑强".into()),
            in_ledger: true,
            name: "郑强",
            sex: "男",
            nation: "汉族",
            id: T(id("110105", "19990817", "333")),
            birth: S("1999.08"),
            dates: dates(1),
            files: vec!["入党申请书.pdf", "考察表.pdf"],
            resume: None,
        },
        Person {
            branch: b1,
            folder: Some("冯丽".into()),
            in_ledger: true,
            name: "冯丽",
            sex: "女",
            nation: "汉族",
            id: T(id("110101", "19940211", "344")),
            birth: S("1994.02"),
            dates: dates(4),
            files: vec![],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("黄敏".into()),
            in_ledger: true,
            name: "黄敏",
            sex: "女",
            nation: "汉族",
            id: T(id("110105", "19980306", "355")),
            birth: S("1998.03"),
            dates: dates(1),
            files: vec![],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("郭涛".into()),
            in_ledger: true,
            name: "郭涛",
            sex: "男",
            nation: "汉族",
            id: T(id("110105", "19960903", "388")),
            birth: S("1996.09"),
            dates: dates(1),
            files: vec![],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("孔亮".into()),
            in_ledger: true,
            name: "孔亮",
            sex: "男",
            nation: "汉族",
            id: T(id("110105", "19951120", "399")),
            birth: S("1995.11"),
            dates: dates(0),
            files: vec![],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("何静".into()),
            in_ledger: true,
            name: "何静",
            sex: "女",
            nation: "汉族",
            id: T(id("110105", "20000101", "377")),
            birth: S("2000.01"),
            dates: dates(0),
            files: vec![],
            resume: None,
        },
        Person {
            branch: b2,
            folder: Some("杨帆".into()),
            in_ledger: true,
            name: "杨帆",
            sex: "男",
            nation: "汉族",
            id: T(id("110105", "19970615", "366")),
            birth: S("1997.06"),
            dates: dates(2),
            files: vec![],
            resume: None,
        },
    ]
}

/// A PDF of `pages` blank A4 pages with bookmarks: (depth, title, zero-based page). With
/// `named`, bookmarks go to named destinations (a /Names /Dests tree) instead of pages;
/// with `broken`, the outline's /First points at an object that does not exist.
pub fn outlined_pdf(
    tag: &str,
    pages: usize,
    marks: &[(u8, &str, usize)],
    named: bool,
    broken: bool,
) -> Vec<u8> {
    let utf16 = |s: &str| {
        let mut hex = String::from("<FEFF");
        for u in s.encode_utf16() {
            hex.push_str(&format!("{u:04X}"));
        }
        hex + ">"
    };
    let page_obj = |k: usize| 5 + k;
    let item_obj = |i: usize| 5 + pages + i;
    let n = marks.len();
    // Parent (None: the outline root), next sibling, first and last child of each item.
    let parent: Vec<Option<usize>> = (0..n)
        .map(|i| (0..i).rev().find(|&j| marks[j].0 < marks[i].0))
        .collect();
    let next: Vec<Option<usize>> = (0..n)
        .map(|i| {
            (i + 1..n)
                .take_while(|&j| marks[j].0 >= marks[i].0)
                .find(|&j| marks[j].0 == marks[i].0)
        })
        .collect();
    let prev: Vec<Option<usize>> = (0..n)
        .map(|i| (0..n).find(|&j| next[j] == Some(i)))
        .collect();
    let children =
        |p: Option<usize>| -> Vec<usize> { (0..n).filter(|&i| parent[i] == p).collect() };
    let mut objs: Vec<String> = Vec::new();
    let names = if named {
        " /Names << /Dests << /Kids [4 0 R] >> >>"
    } else {
        ""
    };
    objs.push(format!(
        "<< /Type /Catalog /Pages 2 0 R /Outlines 3 0 R{names} >>"
    ));
    let kids: Vec<String> = (0..pages).map(|k| format!("{} 0 R", page_obj(k))).collect();
    objs.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    ));
    let top = children(None);
    objs.push(if broken {
        "<< /Type /Outlines /First 999 0 R /Last 999 0 R /Count 1 >>".to_string()
    } else if let (Some(f), Some(l)) = (top.first(), top.last()) {
        format!(
            "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {} >>",
            item_obj(*f),
            item_obj(*l),
            n
        )
    } else {
        "<< /Type /Outlines /Count 0 >>".to_string()
    });
    // Object 4: the name tree's one leaf.
    let leaf: Vec<String> = marks
        .iter()
        .enumerate()
        .map(|(i, m)| format!("(d{i:03}) [{} 0 R /Fit]", page_obj(m.2)))
        .collect();
    objs.push(format!(
        "<< /Names [{}] /Limits [(d000) (d{:03})] >>",
        leaf.join(" "),
        n.max(1) - 1
    ));
    for _ in 0..pages {
        objs.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string());
    }
    for (i, (_, title, page)) in marks.iter().enumerate() {
        let mut o = format!(
            "<< /Title {} /Parent {} 0 R",
            utf16(title),
            parent[i].map_or(3, item_obj)
        );
        if let Some(p) = prev[i] {
            o += &format!(" /Prev {} 0 R", item_obj(p));
        }
        if let Some(x) = next[i] {
            o += &format!(" /Next {} 0 R", item_obj(x));
        }
        let kids = children(Some(i));
        if let (Some(f), Some(l)) = (kids.first(), kids.last()) {
            o += &format!(
                " /First {} 0 R /Last {} 0 R /Count {}",
                item_obj(*f),
                item_obj(*l),
                kids.len()
            );
        }
        if named {
            o += &format!(" /A << /S /GoTo /D (d{i:03}) >>");
        } else {
            o += &format!(" /Dest [{} 0 R /Fit]", page_obj(*page));
        }
        objs.push(o + " >>");
    }
    super::pdf_file(format!("%PDF-1.7\n% {tag}\n").as_bytes(), &objs)
}

/// The combined files of `fixtures/folders` (written after the people's own files).
pub fn combined_files() -> Vec<(String, Vec<u8>)> {
    let b1 = "第一党支部";
    let b2 = "第二党支部";
    vec![
        // 冯丽: the whole dossier in one PDF, nested bookmarks (the 志愿书's pages below it).
        (
            format!("{b1}/冯丽/冯丽发展党员档案.pdf"),
            outlined_pdf(
                "冯丽",
                14,
                &[
                    (0, "一、入党申请书", 0),
                    (0, "二、入党积极分子培养教育考察登记表", 2),
                    (0, "三、自传", 3),
                    (0, "四、政审材料", 5),
                    (0, "五、集中培训表", 6),
                    (0, "六、入党志愿书", 7),
                    (1, "第1页", 7),
                    (1, "第2页", 8),
                    (1, "第3页", 9),
                    (1, "第4页", 10),
                    (0, "七、预备党员考察表", 11),
                    (0, "八、转正申请书", 12),
                ],
                false,
                false,
            ),
        ),
        // 黄敏: bookmarks to named destinations.
        (
            format!("{b2}/黄敏/黄敏材料.pdf"),
            outlined_pdf(
                "黄敏",
                3,
                &[(0, "入党申请书", 0), (0, "入党积极分子考察登记表", 1)],
                true,
                false,
            ),
        ),
        // 何静: two pages, no bookmarks at all: unverifiable.
        (
            format!("{b2}/何静/何静档案.pdf"),
            outlined_pdf("何静", 2, &[], false, false),
        ),
        // 郭涛: an OFD whose outline names the materials (one nested below a group).
        (
            format!("{b2}/郭涛/郭涛档案.ofd"),
            ofd(
                "郭涛",
                4,
                &[
                    (0, "申请入党阶段", 0),
                    (1, "入党申请书", 0),
                    (0, "入党积极分子考察登记表", 2),
                ],
            ),
        ),
        // 孔亮: a 3-page OFD without an outline: unverifiable.
        (format!("{b2}/孔亮/孔亮档案.ofd"), ofd("孔亮", 3, &[])),
        // 杨帆: an outline that cannot be followed, no document named: unverifiable.
        (
            format!("{b2}/杨帆/杨帆档案.pdf"),
            outlined_pdf("杨帆", 6, &[(0, "入党申请书", 0)], false, true),
        ),
    ]
}

/// An OFD of `pages` pages (GB/T 33190: OFD.xml → Doc_0/Document.xml) with bookmarks
/// (depth, title, zero-based page).
pub fn ofd(tag: &str, pages: usize, marks: &[(u8, &str, usize)]) -> Vec<u8> {
    use std::io::Write as _;
    let ns = "http://www.ofdspec.org/2016";
    let ofd_xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<ofd:OFD xmlns:ofd=\"{ns}\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody>\
<ofd:DocInfo><ofd:DocID>{tag}</ofd:DocID></ofd:DocInfo>\
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    );
    let page_list: String = (0..pages)
        .map(|k| {
            format!(
                "<ofd:Page ID=\"{}\" BaseLoc=\"Pages/Page_{k}/Content.xml\"/>",
                10 + k
            )
        })
        .collect();
    // Nested OutlineElem elements from the flat (depth, title, page) list.
    let mut outline = String::new();
    let mut open: Vec<u8> = Vec::new();
    for (depth, title, page) in marks {
        while open.last().is_some_and(|d| d >= depth) {
            outline.push_str("</ofd:OutlineElem>");
            open.pop();
        }
        outline.push_str(&format!(
            "<ofd:OutlineElem Title=\"{title}\"><ofd:Actions><ofd:Action Event=\"CLICK\">\
<ofd:Goto><ofd:Dest Type=\"Fit\" PageID=\"{}\"/></ofd:Goto></ofd:Action></ofd:Actions>",
            10 + page
        ));
        open.push(*depth);
    }
    for _ in open {
        outline.push_str("</ofd:OutlineElem>");
    }
    let outlines = if marks.is_empty() {
        String::new()
    } else {
        format!("<ofd:Outlines>{outline}</ofd:Outlines>")
    };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<ofd:Document xmlns:ofd=\"{ns}\"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>\
<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>\
<ofd:Pages>{page_list}</ofd:Pages>{outlines}</ofd:Document>"
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts =
            zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
        let mut put = |name: &str, body: &str| -> zip::result::ZipResult<()> {
            zip.start_file(name, opts)?;
            zip.write_all(body.as_bytes())?;
            Ok(())
        };
        let page = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page xmlns:ofd=\"http://www.ofdspec.org/2016\"/>";
        let written = put("OFD.xml", &ofd_xml)
            .and_then(|()| put("Doc_0/Document.xml", &document))
            .and_then(|()| {
                (0..pages).try_for_each(|k| put(&format!("Doc_0/Pages/Page_{k}/Content.xml"), page))
            });
        if written.is_ok() {
            let _ = zip.finish();
        }
    }
    buf.into_inner()
}
