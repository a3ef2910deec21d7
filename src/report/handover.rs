//! `dangan catalog ARCHIVE --output DIR`: each branch's dossier catalogs (卷内目录) and its
//! transfer list (移交清单), as a workbook (two sheets: 移交清单, and 卷内目录 with a block per
//! dossier, each printed on a page of its own) and a print-ready A4 page, from what the audit
//! found in the dossiers. With `--per-dossier`, each dossier's catalog also as a workbook of
//! its own under `DIR/卷内目录/<dossier>/`, to be copied into the dossier.
//!
//! A catalog lists the documents a dossier holds, in filing order (`catalog.order`), each
//! with its 形成时间 (the ledger date it records, where it records one), pages and files. Every
//! sheet carries a 姓名 column, so a written workbook read back by `dangan audit` — in a
//! dossier or in its branch folder — is checked as the catalog it is, and audits clean.
//! Nothing is written inside the archive; every file is written under a temporary name and
//! renamed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::config::Config;
use crate::date::DateValue;
use crate::finding::{Finding, Severity};
use crate::holdings::Holdings;
use crate::report::dir::{Cells, save};
use crate::report::html::{esc, file_stem, page_styled};
use crate::report::write_atomic;
use crate::results::{AuditResult, DossierReport};
use crate::rules::Kind;

/// One line of a catalog: a document and what makes it up.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub doc: usize,
    /// The ledger date the document records, if it records one.
    pub date: Option<DateValue>,
    /// None when a file's pages are not known (a spreadsheet's).
    pub pages: Option<u32>,
    /// Paths within the dossier; a combined file's part with its pages.
    pub files: Vec<String>,
}

/// A dossier's catalog and its line in the transfer list.
pub struct DossierCatalog<'a> {
    pub report: &'a DossierReport,
    pub items: Vec<Item>,
    /// Titles of the documents its stage requires and it lacks.
    pub missing: Vec<&'a str>,
    /// Errors and warnings (not waived) about the dossier.
    pub problems: usize,
    /// Files that are in no item: no document could be told from their names or bookmarks.
    pub unlisted: usize,
}

impl DossierCatalog<'_> {
    /// What the catalog's totals leave out, in words (empty when nothing).
    pub fn note(&self) -> String {
        let (_, unknown) = self.pages();
        let mut parts = Vec::new();
        if unknown > 0 {
            parts.push(format!("{unknown} 件页数未知"));
        }
        if self.unlisted > 0 {
            parts.push(format!(
                "{} 个文件未列入（未能识别是哪份材料）",
                self.unlisted
            ));
        }
        parts.join("；")
    }

    /// Pages of the items whose pages are known, and how many items are not.
    pub fn pages(&self) -> (u32, usize) {
        let known = self
            .items
            .iter()
            .filter_map(|i| i.pages)
            .fold(0u32, u32::saturating_add);
        let unknown = self.items.iter().filter(|i| i.pages.is_none()).count();
        (known, unknown)
    }
}

/// The catalog items of a dossier (`index`: document keys to their place), in filing order: a document filed inside another (a page
/// of the 入党志愿书 filed alone) is part of that one's item. The catalog itself is not one.
pub fn items(config: &Config, index: &HashMap<&str, usize>, d: &DossierReport) -> Vec<Item> {
    let mut h = Holdings::new(config, d.path());
    for f in &d.files {
        let doc = f.document.as_deref().and_then(|k| index.get(k)).copied();
        let parts = f.contents.iter().filter_map(|p| {
            let doc = *index.get(&*p.document)?;
            Some((doc, p.first_page, p.pages))
        });
        h.file(&f.file, doc, f.pages, parts);
    }
    let mut items: Vec<Item> = h
        .held
        .into_iter()
        .map(|held| Item {
            doc: held.doc,
            date: d
                .dated
                .iter()
                .find(|(x, _)| *x == held.doc)
                .map(|&(_, v)| v),
            pages: held.pages,
            files: held.files,
        })
        .collect();
    items.sort_by_key(|i| config.filing_rank(i.doc));
    items
}

/// `2019.03.05`, `2019.03`: a date as catalogs write it.
pub fn dotted(d: DateValue) -> String {
    d.to_string().replace('-', ".")
}

/// Every dossier's catalog, by branch (branches and dossiers in path order).
fn by_branch<'a>(
    config: &'a Config,
    result: &'a AuditResult,
) -> BTreeMap<&'a str, Vec<DossierCatalog<'a>>> {
    let mut findings: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for f in &result.findings {
        if let Some(d) = &f.dossier {
            findings.entry(d.as_str()).or_default().push(f);
        }
    }
    let required: Vec<&str> = config
        .rules
        .iter()
        .filter(|r| r.kind() == Kind::RequiredDocuments)
        .map(|r| r.id.as_str())
        .collect();
    let index: HashMap<&str, usize> = config
        .documents
        .iter()
        .enumerate()
        .map(|(i, doc)| (doc.key.as_str(), i))
        .collect();
    // Each dossier's catalog on its own (in parallel), then grouped by branch.
    let catalogs: Vec<DossierCatalog<'a>> = result
        .dossiers
        .par_iter()
        .map(|d| {
            let about = findings
                .get(d.dossier.as_str())
                .map_or(&[][..], Vec::as_slice);
            let mut missing: Vec<&str> = about
                .iter()
                .filter(|f| required.contains(&f.rule.as_str()) && f.waived.is_none())
                .filter_map(|f| f.subject.as_deref())
                .filter_map(|k| config.documents.iter().find(|doc| doc.key == k))
                .map(|doc| doc.title.as_str())
                .collect();
            missing.dedup();
            let problems = about
                .iter()
                .filter(|f| f.waived.is_none() && f.severity != Severity::Info)
                .count();
            let unlisted = d
                .files
                .iter()
                .filter(|f| f.document.is_none() && f.contents.is_empty())
                .count();
            DossierCatalog {
                report: d,
                items: items(config, &index, d),
                missing,
                problems,
                unlisted,
            }
        })
        .collect();
    let mut out: BTreeMap<&str, Vec<DossierCatalog<'a>>> = BTreeMap::new();
    for c in catalogs {
        out.entry(c.report.branch.as_str()).or_default().push(c);
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.report.dossier.cmp(&b.report.dossier));
    }
    out
}

/// Write every branch's workbook and page (and, with `per_dossier`, each dossier's own
/// workbook); returns the paths written.
pub fn write(
    dir: &Path,
    config: &Config,
    result: &AuditResult,
    per_dossier: bool,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let branches = by_branch(config, result);
    let written: Vec<std::io::Result<Vec<PathBuf>>> = branches
        .par_iter()
        .map(|(branch, list)| {
            let name = if branch.is_empty() {
                "未归属支部"
            } else {
                branch
            };
            let stem = file_stem(name);
            let xlsx = dir.join(format!("{stem}卷内目录.xlsx"));
            let mut wb =
                branch_workbook(config, result, name, list).map_err(std::io::Error::other)?;
            save(&mut wb, &xlsx)?;
            let html = dir.join(format!("{stem}卷内目录.html"));
            write_atomic(&html, branch_html(config, result, name, list).as_bytes())?;
            let mut files = vec![xlsx, html];
            if per_dossier {
                for c in list {
                    files.push(dossier_file(dir, config, c)?);
                }
            }
            Ok(files)
        })
        .collect();
    let mut all = Vec::new();
    for w in written {
        all.extend(w?);
    }
    // A branch since renamed or gone leaves no workbook of an earlier run behind.
    let branch_files: Vec<PathBuf> = all
        .iter()
        .filter(|p| p.parent() == Some(dir))
        .cloned()
        .collect();
    crate::report::dir::forget_earlier_runs(dir, &branch_files, ".dangan-catalogs")?;
    Ok(all)
}

/// `DIR/卷内目录/<the dossier's path in the archive>/卷内目录.xlsx`: copied over the archive,
/// each lands in its dossier, grouping folders and all.
fn dossier_file(dir: &Path, config: &Config, c: &DossierCatalog<'_>) -> std::io::Result<PathBuf> {
    let mut path = dir.join("卷内目录");
    for part in c
        .report
        .path()
        .split('/')
        .filter(|p| !p.is_empty() && *p != "..")
    {
        path.push(part);
    }
    std::fs::create_dir_all(&path)?;
    path.push("卷内目录.xlsx");
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(1);
    let styles = Styles::new();
    let ws = wb.add_worksheet();
    catalog_sheet(ws, config, std::slice::from_ref(c), "卷内目录", &styles)
        .map_err(std::io::Error::other)?;
    save(&mut wb, &path)?;
    Ok(path)
}

struct Styles {
    title: Format,
    head: Format,
    cell: Format,
    wrap: Format,
    total: Format,
    block: Format,
}

impl Styles {
    fn new() -> Styles {
        let border = |f: Format| f.set_border(FormatBorder::Thin);
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            head: border(Format::new().set_bold().set_align(FormatAlign::Center)),
            cell: border(Format::new()),
            wrap: border(Format::new().set_text_wrap()),
            total: border(Format::new().set_bold()),
            block: Format::new().set_bold().set_background_color("#F2F2F2"),
        }
    }
}

/// The column headers of a written catalog: what `dangan audit` reads back.
pub const CATALOG_HEADER: [&str; 7] = ["序号", "姓名", "题名", "形成时间", "页数", "文件", "备注"];

/// The column headers of a transfer list.
pub const TRANSFER_HEADER: [&str; 9] = [
    "序号",
    "档案",
    "姓名",
    "阶段",
    "份数",
    "页数",
    "缺少的材料",
    "问题数",
    "备注",
];

/// Excel's most manual page breaks on a sheet: a branch with more dossiers prints them
/// without a page break before each.
const PAGE_BREAKS_MAX: usize = 1023;

/// Catalogs on one sheet: the title, the header (repeated on every printed page), then each
/// dossier's block — its line (档案, 姓名, 阶段), its items, its total — on a page of its own.
/// `title`: 卷内目录 for one dossier, 某支部卷内目录 for a branch.
fn catalog_sheet(
    ws: &mut Worksheet,
    config: &Config,
    list: &[DossierCatalog<'_>],
    title: &str,
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("卷内目录")?;
    let last = CATALOG_HEADER.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, title, &s.title)?;
    ws.write_row_with_format(1, 0, CATALOG_HEADER, &s.head)?;
    let mut r = 2u32;
    let mut breaks = Vec::with_capacity(list.len());
    let total = if list.len() == 1 { "合计" } else { "小计" };
    for c in list {
        breaks.push(r);
        ws.merge_range(r, 0, r, last, &dossier_line(config, c), &s.block)?;
        r += 1;
        let name = c.report.name.as_str();
        for (i, item) in c.items.iter().enumerate() {
            ws.write_number_with_format(r, 0, i as f64 + 1.0, &s.cell)?;
            ws.text_with(r, 1, name, &s.cell)?;
            ws.text_with(r, 2, &config.documents[item.doc].title, &s.wrap)?;
            ws.text_with(r, 3, item.date.map(dotted).unwrap_or_default(), &s.cell)?;
            match item.pages {
                Some(p) => ws.write_number_with_format(r, 4, f64::from(p), &s.cell)?,
                None => ws.write_blank(r, 4, &s.cell)?,
            };
            ws.text_with(
                r,
                5,
                crate::idnum::mask_all(&item.files.join("、")),
                &s.wrap,
            )?;
            ws.write_blank(r, 6, &s.cell)?;
            r += 1;
        }
        let (pages, _) = c.pages();
        ws.text_with(r, 0, total, &s.total)?;
        ws.merge_range(r, 1, r, 3, &format!("共 {} 件", c.items.len()), &s.total)?;
        ws.write_number_with_format(r, 4, f64::from(pages), &s.total)?;
        let note = c.note();
        ws.text_with(r, 5, note, &s.total)?;
        ws.write_blank(r, 6, &s.total)?;
        r += 2;
    }
    for (col, w) in [6.0, 10.0, 30.0, 12.0, 6.0, 40.0, 10.0].iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    if breaks.len() > 1 && breaks.len() - 1 <= PAGE_BREAKS_MAX {
        ws.set_page_breaks(&breaks[1..])?;
    }
    ws.set_paper_size(9); // A4
    ws.set_repeat_rows(1, 1)?;
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// `档案：第一党支部/张三　姓名：张三　阶段：预备党员`, ID numbers in folder names masked.
fn dossier_line(config: &Config, c: &DossierCatalog<'_>) -> String {
    format!(
        "档案：{}　姓名：{}　阶段：{}",
        crate::idnum::mask_all(&c.report.dossier),
        c.report.name,
        stage_title(config, c.report)
    )
}

fn stage_title<'a>(config: &'a Config, d: &DossierReport) -> &'a str {
    d.stage
        .as_deref()
        .and_then(|k| config.stages.iter().find(|s| s.key == k))
        .map_or("未知", |s| s.title.as_str())
}

fn branch_workbook(
    config: &Config,
    result: &AuditResult,
    branch: &str,
    list: &[DossierCatalog<'_>],
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // A catalog is small and written per branch: speed before the last percent of size.
    wb.set_zip_compression_level(1);
    let s = Styles::new();
    let ws = wb.add_worksheet();
    transfer_sheet(ws, config, result, branch, list, &s)?;
    let ws = wb.add_worksheet();
    catalog_sheet(ws, config, list, &format!("{branch}卷内目录"), &s)?;
    Ok(wb)
}

fn transfer_sheet(
    ws: &mut Worksheet,
    config: &Config,
    result: &AuditResult,
    branch: &str,
    list: &[DossierCatalog<'_>],
    s: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("移交清单")?;
    let last = TRANSFER_HEADER.len() as u16 - 1;
    ws.merge_range(
        0,
        0,
        0,
        last,
        &format!("{branch}发展党员档案移交清单"),
        &s.title,
    )?;
    ws.merge_range(
        1,
        0,
        1,
        last,
        &format!("审核基准日 {}　共 {} 卷", result.as_of, list.len()),
        &Format::new(),
    )?;
    ws.write_row_with_format(2, 0, TRANSFER_HEADER, &s.head)?;
    let mut r = 3u32;
    let (mut items, mut pages, mut problems) = (0usize, 0u32, 0usize);
    for (i, c) in list.iter().enumerate() {
        let (p, _) = c.pages();
        ws.write_number_with_format(r, 0, i as f64 + 1.0, &s.cell)?;
        ws.text_with(r, 1, crate::idnum::mask_all(&c.report.dossier), &s.wrap)?;
        ws.text_with(r, 2, &c.report.name, &s.cell)?;
        ws.text_with(r, 3, stage_title(config, c.report), &s.cell)?;
        ws.write_number_with_format(r, 4, c.items.len() as f64, &s.cell)?;
        ws.write_number_with_format(r, 5, f64::from(p), &s.cell)?;
        ws.text_with(r, 6, c.missing.join("、"), &s.wrap)?;
        ws.write_number_with_format(r, 7, c.problems as f64, &s.cell)?;
        let note = c.note();
        ws.text_with(r, 8, note, &s.cell)?;
        items += c.items.len();
        pages = pages.saturating_add(p);
        problems += c.problems;
        r += 1;
    }
    ws.text_with(r, 0, "合计", &s.total)?;
    ws.merge_range(r, 1, r, 3, &format!("{} 卷", list.len()), &s.total)?;
    ws.write_number_with_format(r, 4, items as f64, &s.total)?;
    ws.write_number_with_format(r, 5, f64::from(pages), &s.total)?;
    ws.write_blank(r, 6, &s.total)?;
    ws.write_number_with_format(r, 7, problems as f64, &s.total)?;
    ws.write_blank(r, 8, &s.total)?;
    for (col, w) in [6.0, 32.0, 10.0, 10.0, 6.0, 6.0, 30.0, 7.0, 14.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(col as u16, *w)?;
    }
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_repeat_rows(2, 2)?;
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Print rules: A4, the transfer list first, each dossier's catalog on a page of its own.
const PRINT_CSS: &str = "\
@page{size:A4;margin:15mm}\
section.catalog{break-before:page}\
section.catalog h2{text-align:center;letter-spacing:.5em}\
table.cat{table-layout:fixed;width:100%}\
td:first-child{white-space:nowrap}\
td.num{text-align:right}\
tr.total td{font-weight:bold}\
@media print{footer{display:none}}";

fn branch_html(
    config: &Config,
    result: &AuditResult,
    branch: &str,
    list: &[DossierCatalog<'_>],
) -> String {
    let mut body = String::new();
    body.push_str("<h2>档案移交清单</h2>\n<table>\n<thead><tr>");
    for h in TRANSFER_HEADER {
        body.push_str(&format!("<th>{h}</th>"));
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    let (mut items, mut pages, mut problems) = (0usize, 0u32, 0usize);
    for (i, c) in list.iter().enumerate() {
        let (p, _) = c.pages();
        let note = c.note();
        body.push_str(&format!(
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{p}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            i + 1,
            esc(&crate::idnum::mask_all(&c.report.dossier)),
            esc(&c.report.name),
            esc(stage_title(config, c.report)),
            c.items.len(),
            esc(&c.missing.join("、")),
            c.problems,
            esc(&note),
        ));
        items += c.items.len();
        pages = pages.saturating_add(p);
        problems += c.problems;
    }
    body.push_str(&format!(
        "<tr class=\"total\"><td>合计</td><td colspan=\"3\">{} 卷</td><td class=\"num\">{items}</td>\
         <td class=\"num\">{pages}</td><td></td><td class=\"num\">{problems}</td><td></td></tr>\n</tbody>\n</table>\n",
        list.len()
    ));
    for c in list {
        body.push_str(&format!(
            "<section class=\"catalog\">\n<h2>卷内目录</h2>\n<p>{}</p>\n<table class=\"cat\">\n\
             <colgroup><col style=\"width:7%\"><col style=\"width:30%\"><col style=\"width:12%\">\
             <col style=\"width:7%\"><col style=\"width:36%\"><col style=\"width:8%\"></colgroup>\n<thead><tr>",
            esc(&dossier_line(config, c))
        ));
        for h in ["序号", "题名", "形成时间", "页数", "文件", "备注"] {
            body.push_str(&format!("<th>{h}</th>"));
        }
        body.push_str("</tr></thead>\n<tbody>\n");
        for (i, item) in c.items.iter().enumerate() {
            body.push_str(&format!(
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td></td></tr>\n",
                i + 1,
                esc(&config.documents[item.doc].title),
                item.date.map(dotted).unwrap_or_default(),
                item.pages.map(|p| p.to_string()).unwrap_or_default(),
                esc(&crate::idnum::mask_all(&item.files.join("、"))),
            ));
        }
        let (p, _) = c.pages();
        let note = c.note();
        body.push_str(&format!(
            "<tr class=\"total\"><td>合计</td><td colspan=\"2\">共 {} 件</td><td class=\"num\">{p}</td><td>{}</td><td></td></tr>\n</tbody>\n</table>\n</section>\n",
            c.items.len(),
            esc(&note)
        ));
    }
    let meta = format!("审核基准日 {}　共 {} 卷", result.as_of, list.len());
    page_styled(
        &format!("{branch} 卷内目录与移交清单"),
        &meta,
        &body,
        PRINT_CSS,
    )
}

#[cfg(test)]
mod tests {
    use crate::classify::Classifier;

    /// A written catalog is read back by the same vocabulary: every document's title names it.
    #[test]
    fn every_document_title_names_its_document() {
        let config = crate::config::load(&[] as &[&str]).expect("default rules");
        let c = Classifier::new(&config.documents);
        for (i, d) in config.documents.iter().enumerate() {
            assert_eq!(c.classify(&d.title), Some(i), "{} ({})", d.title, d.key);
        }
    }
}
