//! `--report-dir DIR`: a workbook and a page per branch for its secretary, and the
//! committee's summary (`index.html`, `summary.xlsx`). A branch's files hold that branch's
//! people and nothing else. Each file is written under a temporary name, then renamed.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::config::Config;
use crate::finding::{About, Finding, Severity};
use crate::idnum;
use crate::rating::{BranchRating, rate};
use crate::report::html::{esc, file_stem, page};
use crate::report::write_atomic;
use crate::results::{AuditResult, DossierReport, PersonFacts};

/// How names and numbers are shown.
#[derive(Debug, Clone, Copy)]
pub struct Privacy {
    pub show_id_numbers: bool,
}

impl Privacy {
    fn text(&self, s: &str) -> String {
        if self.show_id_numbers {
            s.to_string()
        } else {
            idnum::mask_all(s)
        }
    }

    fn id(&self, s: &str) -> String {
        if self.show_id_numbers {
            s.to_string()
        } else {
            idnum::mask(&idnum::normalize(s))
        }
    }
}

const UNASSIGNED: &str = "（未归属支部）";

/// Excel's most characters in one cell.
const CELL_MAX: usize = 32_767;

/// Text for a cell, cut visibly at Excel's limit (a ledger cell at the limit, quoted in a
/// message, would pass it): one long cell never costs the workbook.
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    // Bytes bound characters: most strings need no count.
    if s.len() <= CELL_MAX || s.chars().count() <= CELL_MAX {
        return std::borrow::Cow::Borrowed(s);
    }
    const MARK: &str = "…（超出 Excel 单元格上限，已截断）";
    let keep = CELL_MAX - MARK.chars().count();
    let mut out: String = s.chars().take(keep).collect();
    out.push_str(MARK);
    std::borrow::Cow::Owned(out)
}

/// Writing text into cells, always within Excel's limit.
pub(crate) trait Cells {
    fn text(
        &mut self,
        row: u32,
        col: u16,
        s: impl AsRef<str>,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, XlsxError>;
    fn text_with(
        &mut self,
        row: u32,
        col: u16,
        s: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, XlsxError>;
}

impl Cells for rust_xlsxwriter::Worksheet {
    fn text(
        &mut self,
        row: u32,
        col: u16,
        s: impl AsRef<str>,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, XlsxError> {
        self.write_string(row, col, fit(s.as_ref()))
    }

    fn text_with(
        &mut self,
        row: u32,
        col: u16,
        s: impl AsRef<str>,
        format: &Format,
    ) -> Result<&mut rust_xlsxwriter::Worksheet, XlsxError> {
        self.write_string_with_format(row, col, fit(s.as_ref()), format)
    }
}

/// Save a workbook atomically (see [`write_atomic`]).
pub(crate) fn save(wb: &mut Workbook, path: &Path) -> std::io::Result<()> {
    let bytes = wb.save_to_buffer().map_err(std::io::Error::other)?;
    write_atomic(path, &bytes)
}

fn sev_class(f: &Finding) -> &'static str {
    match (f.waived.is_some(), f.severity) {
        (true, _) => "waived",
        (_, Severity::Error) => "sev-error",
        (_, Severity::Warning) => "sev-warning",
        (_, Severity::Info) => "sev-info",
    }
}

fn sev_label(f: &Finding) -> &'static str {
    if f.waived.is_some() {
        "已豁免"
    } else {
        f.severity.label_zh()
    }
}

fn subject_title(config: &Config, f: &Finding) -> String {
    let Some(s) = f.subject.as_deref() else {
        return String::new();
    };
    let base = s.split('.').next().unwrap_or(s);
    if let Some(d) = config.documents.iter().find(|d| d.key == s) {
        return d.title.clone();
    }
    if let Some(field) = config.fields.iter().find(|x| x.key == base) {
        return field.title.clone();
    }
    match s {
        "resume" => "简历".into(),
        "id_number" => "身份证号码".into(),
        _ => s.to_string(),
    }
}

fn place(f: &Finding, privacy: Privacy) -> String {
    f.location
        .as_ref()
        .map(|l| privacy.text(&l.to_string()))
        .or_else(|| f.file.as_ref().map(|x| privacy.text(x)))
        .unwrap_or_default()
}

/// The person key a finding belongs to inside a branch: the dossier, or the ledger-only name.
fn who(f: &Finding) -> String {
    match f.about() {
        About::Dossier(d) => d.to_string(),
        About::LedgerOnly { name, .. } => format!("台账：{name}"),
        About::BranchFolder(_) | About::Archive => "（支部文件夹）".into(),
    }
}

struct Branch<'a> {
    name: String,
    findings: Vec<&'a Finding>,
    people: Vec<&'a PersonFacts>,
}

fn branches(result: &AuditResult) -> Vec<Branch<'_>> {
    let mut map: BTreeMap<String, Branch<'_>> = BTreeMap::new();
    let key = |b: Option<&str>| {
        b.filter(|b| !b.is_empty())
            .unwrap_or(UNASSIGNED)
            .to_string()
    };
    for p in &result.people {
        let k = key(Some(&p.branch));
        map.entry(k.clone())
            .or_insert_with(|| Branch {
                name: k,
                findings: vec![],
                people: vec![],
            })
            .people
            .push(p);
    }
    for f in &result.findings {
        if f.branch.is_none() {
            continue; // archive-wide: the summary shows it
        }
        let k = key(f.branch.as_deref());
        map.entry(k.clone())
            .or_insert_with(|| Branch {
                name: k,
                findings: vec![],
                people: vec![],
            })
            .findings
            .push(f);
    }
    map.into_values().collect()
}

fn counts(findings: &[&Finding]) -> (usize, usize, usize) {
    let live = || findings.iter().filter(|f| f.waived.is_none());
    (
        live().filter(|f| f.severity == Severity::Error).count(),
        live().filter(|f| f.severity == Severity::Warning).count(),
        live().filter(|f| f.severity == Severity::Info).count(),
    )
}

/// Where a person's dossier stands, for the secretary's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// A ledger row without a folder.
    NoFolder,
    /// At least one error.
    Errors,
    /// No finding at all.
    Complete,
    /// Warnings or notes only.
    Notes,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::NoFolder => "无档案文件夹",
            Status::Errors => "有错误",
            Status::Complete => "完整",
            Status::Notes => "有提醒",
        }
    }

    /// The cell's class in the HTML page.
    fn class(self) -> &'static str {
        match self {
            Status::Complete => "ok",
            Status::Notes => "",
            Status::NoFolder | Status::Errors => "bad",
        }
    }
}

/// A person's status and how many live findings are about them.
fn status(p: &PersonFacts, findings: &[&Finding]) -> (Status, usize) {
    let mine: Vec<_> = findings
        .iter()
        .filter(|f| {
            f.waived.is_none()
                && (p.dossier.is_some() && f.dossier == p.dossier
                    || p.dossier.is_none()
                        && f.dossier.is_none()
                        && f.name.as_deref() == Some(&p.name))
        })
        .collect();
    let errors = mine
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let status = if p.dossier.is_none() {
        Status::NoFolder
    } else if errors > 0 {
        Status::Errors
    } else if mine.is_empty() {
        Status::Complete
    } else {
        Status::Notes
    };
    (status, mine.len())
}

// ---------------------------------------------------------------------------------------------
// A branch's workbook and page.

fn branch_xlsx(
    b: &Branch<'_>,
    as_of: jiff::civil::Date,
    config: &Config,
    reports: &HashMap<&str, &DossierReport>,
    privacy: Privacy,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color("#F2F2F2")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name("问题清单")?;
    let cols = [
        "档案",
        "姓名",
        "材料/字段",
        "级别",
        "问题",
        "位置",
        "依据",
        "规则",
    ];
    ws.write_row_with_format(0, 0, cols, &head)?;
    let mut rows: Vec<&&Finding> = b.findings.iter().collect();
    rows.sort_by_key(|f| (who(f), f.rule_order));
    for (i, f) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.text(r, 0, privacy.text(&who(f)))?;
        ws.text(r, 1, f.name.as_deref().unwrap_or(""))?;
        ws.text(r, 2, subject_title(config, f))?;
        ws.text(r, 3, sev_label(f))?;
        let mut msg = privacy.text(&f.message);
        if let Some(w) = &f.waived {
            msg.push_str(&format!(
                "（已豁免：{}，批准人 {}，至 {}）",
                w.reason, w.approved_by, w.expires
            ));
        }
        ws.text_with(r, 4, msg, &wrap)?;
        ws.text_with(r, 5, place(f, privacy), &wrap)?;
        ws.text_with(r, 6, &f.basis, &wrap)?;
        ws.text(r, 7, &f.rule)?;
    }
    // About 190 characters: one landscape A4 page wide at a readable scale.
    for (c, w) in [24, 8, 14, 6, 56, 30, 34, 18].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows.len().max(1) as u32, cols.len() as u16 - 1)?;

    let ws = wb.add_worksheet();
    ws.set_name("档案情况")?;
    let cols = ["档案", "姓名", "阶段", "状态", "问题数", "文件数", "页数"];
    ws.write_row_with_format(0, 0, cols, &head)?;
    for (i, p) in b.people.iter().enumerate() {
        let r = i as u32 + 1;
        let d = p
            .dossier
            .as_ref()
            .and_then(|d| reports.get(d.as_str()).copied());
        let (st, n) = status(p, &b.findings);
        ws.text(
            r,
            0,
            p.dossier
                .as_deref()
                .map(|d| privacy.text(d))
                .unwrap_or_else(|| "（无）".into()),
        )?;
        ws.text(r, 1, p.name.as_str())?;
        ws.text(r, 2, p.stage_title.as_deref().unwrap_or("未知"))?;
        ws.text(r, 3, st.label())?;
        ws.write_number(r, 4, n as f64)?;
        ws.write_number(r, 5, d.map_or(0, |d| d.files.len()) as f64)?;
        ws.write_number(
            r,
            6,
            d.map_or(0, |d| d.files.iter().filter_map(|f| f.pages).sum::<u32>()) as f64,
        )?;
    }
    for (c, w) in [32, 12, 12, 12, 8, 8, 8].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, b.people.len().max(1) as u32, cols.len() as u16 - 1)?;
    print_every_sheet(&mut wb, &b.name, as_of, &["问题清单"])?;
    Ok(wb)
}

/// Every sheet of a workbook prints on A4, one page wide, its header row repeated, under a
/// page header naming it (`第一党支部 · 问题清单 · 审核基准日 2026-11-28`); the sheets named in
/// `wide` in landscape.
fn print_every_sheet(
    wb: &mut Workbook,
    what: &str,
    as_of: jiff::civil::Date,
    wide: &[&str],
) -> Result<(), XlsxError> {
    for ws in wb.worksheets_mut() {
        let name = ws.name();
        let title = format!("{what} · {name} · 审核基准日 {as_of}");
        crate::report::Print {
            header_row: 0,
            landscape: wide.contains(&name.as_str()),
            title: &title,
        }
        .apply(ws)?;
    }
    Ok(())
}

fn branch_html(b: &Branch<'_>, config: &Config, result: &AuditResult, privacy: Privacy) -> String {
    let (e, w, i) = counts(&b.findings);
    let mut body = String::new();
    body.push_str(&format!(
        "<div class=\"cards\"><div class=\"card\">档案<b>{}</b></div><div class=\"card\">错误<b class=\"sev-error\">{e}</b></div>\
         <div class=\"card\">警告<b class=\"sev-warning\">{w}</b></div><div class=\"card\">提示<b>{i}</b></div></div>\n",
        b.people.iter().filter(|p| p.dossier.is_some()).count()
    ));
    body.push_str("<h2>档案情况</h2>\n<table><tr><th>档案</th><th>姓名</th><th>阶段</th><th>状态</th><th>问题数</th></tr>\n");
    for p in &b.people {
        let (st, n) = status(p, &b.findings);
        let (cls, label) = (st.class(), st.label());
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"{cls}\">{label}</td><td class=\"num\">{n}</td></tr>\n",
            esc(&p.dossier.as_deref().map(|d| privacy.text(d)).unwrap_or_else(|| "（无）".into())),
            esc(&p.name),
            esc(p.stage_title.as_deref().unwrap_or("未知")),
        ));
    }
    body.push_str("</table>\n<h2>问题清单（按档案）</h2>\n");
    let mut groups: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for f in &b.findings {
        groups.entry(who(f)).or_default().push(f);
    }
    if groups.is_empty() {
        body.push_str("<p class=\"ok\">本支部未发现问题。</p>\n");
    }
    for (g, fs) in groups {
        let name = if g.starts_with("台账：") {
            String::new()
        } else {
            fs.iter().find_map(|f| f.name.clone()).unwrap_or_default()
        };
        body.push_str(&format!(
            "<section class=\"dossier\">\n<h3>{} {}</h3>\n<table class=\"findings\"><tr><th style=\"width:8%\">级别</th><th style=\"width:38%\">问题</th><th style=\"width:12%\">材料/字段</th><th style=\"width:20%\">位置</th><th style=\"width:22%\">依据</th></tr>\n",
            esc(&privacy.text(&g)),
            esc(&name)
        ));
        for f in fs {
            let waived = f
                .waived
                .as_ref()
                .map(|w| {
                    format!(
                        "<br><small>已豁免：{}（{}，至 {}）</small>",
                        esc(&w.reason),
                        esc(&w.approved_by),
                        esc(&w.expires)
                    )
                })
                .unwrap_or_default();
            body.push_str(&format!(
                "<tr><td class=\"{}\">{}</td><td>{}{waived}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                sev_class(f),
                sev_label(f),
                esc(&privacy.text(&f.message)),
                esc(&f.rule),
                esc(&subject_title(config, f)),
                esc(&place(f, privacy)),
                esc(&f.basis)
            ));
        }
        body.push_str("</table>\n</section>\n");
    }
    page(
        &format!("{} 发展党员档案问题清单", b.name),
        &format!(
            "审核基准日 {} · {}",
            result.as_of,
            esc(&config.ruleset_name)
        ),
        &body,
    )
}

// ---------------------------------------------------------------------------------------------
// The committee summary.

/// A statistic and the people it counts.
struct Stat<'a> {
    label: String,
    people: Vec<&'a PersonFacts>,
}

fn is_college(e: &str) -> bool {
    ["大专", "专科", "本科", "大学", "研究生", "硕士", "博士"]
        .iter()
        .any(|k| e.contains(k))
}

fn is_minority(e: &str) -> bool {
    let e = e.trim();
    !e.is_empty() && e != "汉" && e != "汉族"
}

fn age_at_most(p: &PersonFacts, years: i16, as_of: jiff::civil::Date) -> bool {
    p.birth.is_some_and(|b| {
        b.checked_add(jiff::Span::new().years(years + 1))
            .is_ok_and(|limit| limit > as_of)
    })
}

fn breakdown<'a>(people: &[&'a PersonFacts], as_of: jiff::civil::Date) -> Vec<Stat<'a>> {
    let pick = |f: &dyn Fn(&PersonFacts) -> bool| {
        people.iter().copied().filter(|p| f(p)).collect::<Vec<_>>()
    };
    let mut v = vec![
        Stat {
            label: "合计".into(),
            people: people.to_vec(),
        },
        Stat {
            label: "女性".into(),
            people: pick(&|p| p.sex.as_deref().is_some_and(|s| s.contains('女'))),
        },
        Stat {
            label: "35 岁及以下".into(),
            people: pick(&|p| age_at_most(p, 35, as_of)),
        },
        Stat {
            label: "大专及以上学历".into(),
            people: pick(&|p| p.education.as_deref().is_some_and(is_college)),
        },
        Stat {
            label: "少数民族".into(),
            people: pick(&|p| p.ethnicity.as_deref().is_some_and(is_minority)),
        },
    ];
    let mut cats: BTreeMap<String, Vec<&PersonFacts>> = BTreeMap::new();
    for p in people {
        if let Some(c) = p.category.as_deref().filter(|c| !c.is_empty()) {
            cats.entry(c.to_string()).or_default().push(p);
        }
    }
    for (c, ps) in cats {
        v.push(Stat {
            label: format!("人员类别：{c}"),
            people: ps,
        });
    }
    v
}

fn drill(s: &Stat<'_>, privacy: Privacy) -> String {
    if s.people.is_empty() {
        return "0".into();
    }
    let items: String = s
        .people
        .iter()
        .map(|p| {
            format!(
                "<li>{}（{}）</li>",
                esc(&p.name),
                esc(&privacy.text(&p.branch))
            )
        })
        .collect();
    format!(
        "<details><summary>{}</summary><ul>{items}</ul></details>",
        s.people.len()
    )
}

fn bar_chart(rows: &[(String, usize, usize)]) -> String {
    let max = rows.iter().map(|(_, e, w)| e + w).max().unwrap_or(0).max(1);
    let h = 22 * rows.len() + 10;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" height=\"{h}\" role=\"img\" aria-label=\"各支部问题数\">"
    );
    for (i, (name, e, w)) in rows.iter().enumerate() {
        let y = 5 + i * 22;
        let we = 480 * e / max;
        let ww = 480 * w / max;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text><rect x=\"180\" y=\"{y}\" width=\"{we}\" height=\"16\" fill=\"#c62828\"/>\
             <rect x=\"{}\" y=\"{y}\" width=\"{ww}\" height=\"16\" fill=\"#ef9a00\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">错误 {e} · 警告 {w}</text>",
            y + 12,
            esc(name),
            180 + we,
            186 + we + ww,
            y + 12
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The committee's statistics, computed once: the summary page and the summary workbook
/// render the same numbers.
struct Committee<'a> {
    /// 基本情况: each row of the breakdown, over the people in scope and over those admitted
    /// (接收为预备党员) in the as-of year.
    basics: Vec<(Stat<'a>, Stat<'a>)>,
    /// The people at each stage, labelled with the stage's title.
    stages: Vec<Stat<'a>>,
    /// Each rule, with its findings not waived.
    rules: Vec<(&'a crate::rules::Rule, usize)>,
    /// 年度发展计划: (year, category title, planned, done) over the branches the plan lists;
    /// done is None where no one's ledger text says (no 学历 column).
    plan: Vec<(i16, &'a str, u32, Option<usize>)>,
}

/// The plan against what was done: for each year and category of the 年度发展计划, the
/// admissions planned (summed over its rows) and the people of those branches admitted in the
/// year whom the category counts (`PlanCategory::counts`, as `plan-shortfall` counts them).
fn plan_progress<'a>(
    config: &'a Config,
    result: &AuditResult,
) -> Vec<(i16, &'a str, u32, Option<usize>)> {
    let mut planned: BTreeMap<(i16, usize), u32> = BTreeMap::new();
    let mut branches: BTreeMap<i16, std::collections::HashSet<String>> = BTreeMap::new();
    for row in &result.plan {
        let Some(y) = row.year else { continue };
        branches
            .entry(y)
            .or_default()
            .insert(crate::text::normalize(&row.branch));
        for &(k, n) in &row.counts {
            *planned.entry((y, k)).or_default() += n;
        }
    }
    planned
        .into_iter()
        .map(|((y, k), n)| {
            let cat = &config.plan.categories[k];
            let listed = &branches[&y];
            let known = cat.by == crate::schema::PlanBy::Everyone
                || result.people.iter().any(|p| p.text_by(cat.by).is_some());
            let done = result
                .people
                .iter()
                .filter(|p| p.admitted.is_some_and(|d| d.year() == y))
                .filter(|p| listed.contains(&crate::text::normalize(&p.branch)))
                .filter(|p| cat.counts(p.text_by(cat.by)))
                .count();
            (y, cat.title.as_str(), n, known.then_some(done))
        })
        .collect()
}

/// 完成率, as the committee writes it.
fn rate_text(planned: u32, done: Option<usize>) -> String {
    match done {
        Some(d) if planned > 0 => format!("{:.0}%", d as f64 * 100.0 / f64::from(planned)),
        _ => "—".into(),
    }
}

/// 已完成, or why it cannot be counted.
fn done_text(done: Option<usize>) -> String {
    done.map_or_else(|| "台账无此项".into(), |d| d.to_string())
}

impl<'a> Committee<'a> {
    fn of(config: &'a Config, result: &'a AuditResult) -> Committee<'a> {
        let all: Vec<&PersonFacts> = result.people.iter().collect();
        let year = result.as_of.year();
        let developed: Vec<&PersonFacts> = all
            .iter()
            .copied()
            .filter(|p| p.admitted.is_some_and(|d| d.year() == year))
            .collect();
        let mut developed = breakdown(&developed, result.as_of);
        let basics = breakdown(&all, result.as_of)
            .into_iter()
            .map(|stat| {
                let dev = match developed.iter().position(|x| x.label == stat.label) {
                    Some(k) => developed.swap_remove(k),
                    None => Stat {
                        label: stat.label.clone(),
                        people: Vec::new(),
                    },
                };
                (stat, dev)
            })
            .collect();
        let stages = config
            .stages
            .iter()
            .map(|st| Stat {
                label: st.title.clone(),
                people: all
                    .iter()
                    .copied()
                    .filter(|p| p.stage.as_deref() == Some(st.key.as_str()))
                    .collect(),
            })
            .collect();
        let mut per_rule: HashMap<&str, usize> = HashMap::new();
        for f in result.findings.iter().filter(|f| f.waived.is_none()) {
            *per_rule.entry(f.rule.as_str()).or_default() += 1;
        }
        let rules = config
            .rules
            .iter()
            .map(|r| (r, per_rule.get(r.id.as_str()).copied().unwrap_or(0)))
            .collect();
        Committee {
            basics,
            stages,
            rules,
            plan: plan_progress(config, result),
        }
    }
}

fn summary_html(
    config: &Config,
    result: &AuditResult,
    ratings: &[BranchRating],
    privacy: Privacy,
    links: &[(String, String)],
) -> String {
    let view = Committee::of(config, result);
    let mut body = String::new();
    let s = &result.summary;
    body.push_str(&format!(
        "<div class=\"cards\"><div class=\"card\">档案<b>{}</b></div><div class=\"card\">台账行<b>{}</b></div><div class=\"card\">文件<b>{}</b></div>\
         <div class=\"card\">错误<b class=\"sev-error\">{}</b></div><div class=\"card\">警告<b class=\"sev-warning\">{}</b></div><div class=\"card\">提示<b>{}</b></div></div>\n",
        s.dossiers, s.ledger_rows, s.files, s.findings.error, s.findings.warning, s.findings.info
    ));
    if let Some(sc) = &s.scope {
        body.push_str(&format!(
            "<p>审核范围：{} 及以后申请入党或接收为预备党员的 {} 人；另有 {} 人不在范围内。</p>\n",
            esc(&sc.since),
            sc.people_in_scope,
            sc.people_out_of_scope
        ));
    }
    ratings_html(&mut body, ratings, links);
    basics_html(&mut body, &view, result.as_of.year(), privacy);
    plan_html(&mut body, &view);
    branches_html(&mut body, result);
    rules_html(&mut body, &view);
    worst_html(&mut body, result, privacy);
    global_html(&mut body, result, privacy);
    page(
        "发展党员档案审核汇总",
        &format!(
            "审核基准日 {} · {} · 共 {} 个支部",
            result.as_of,
            esc(&config.ruleset_name),
            ratings.len()
        ),
        &body,
    )
}

/// 四色研判, with links to each branch's lists.
fn ratings_html(body: &mut String, ratings: &[BranchRating], links: &[(String, String)]) {
    body.push_str("<h2>四色研判</h2>\n<table><tr><th>支部</th><th>研判</th><th>原因</th><th>最近接收</th><th>积极分子</th><th>发展对象</th><th>档案</th><th>有错误的档案</th><th>清单</th></tr>\n");
    for r in ratings {
        let link = links
            .iter()
            .find(|(b, _)| *b == r.branch)
            .map(|(_, stem)| {
                format!(
                    "<a href=\"{0}.html\">网页</a> · <a href=\"{0}.xlsx\">表格</a>",
                    esc(stem)
                )
            })
            .unwrap_or_default();
        body.push_str(&format!(
            "<tr><td>{}</td><td><span class=\"chip\" style=\"background:{}\">{}</span></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{link}</td></tr>\n",
            esc(&r.branch),
            esc(&r.hex),
            esc(&r.label),
            esc(&r.reasons.join("；")),
            r.last_admitted.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            r.activists,
            r.candidates,
            r.dossiers,
            r.defective
        ));
    }
    body.push_str("</table>\n");
}

/// 年度发展计划: planned, done and the rate per year and category (only with a plan).
fn plan_html(body: &mut String, view: &Committee<'_>) {
    if view.plan.is_empty() {
        return;
    }
    body.push_str(
        "<h3>发展计划完成情况</h3>\n<p>计划数取自年度发展计划；已完成为计划所列支部当年接收为预备党员的人数，类别按台账的学历、民族、人员类别统计。</p>\n\
         <table><tr><th>年度</th><th>类别</th><th>计划</th><th>已完成</th><th>完成率</th></tr>\n",
    );
    for &(y, title, planned, done) in &view.plan {
        body.push_str(&format!(
            "<tr><td>{y}</td><td>{}</td><td class=\"num\">{planned}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            esc(title),
            done_text(done),
            rate_text(planned, done)
        ));
    }
    body.push_str("</table>\n");
}

/// 基本情况 and the people per stage, each number opening the list of its people.
fn basics_html(body: &mut String, view: &Committee<'_>, year: i16, privacy: Privacy) {
    body.push_str(&format!(
        "<h2>基本情况</h2>\n<p>按台账统计；数字可展开查看所统计的人员。“今年发展”指 {year} 年接收为预备党员。</p>\n\
         <table><tr><th>项目</th><th>在册（审核范围内）</th><th>今年发展</th></tr>\n"
    ));
    for (stat, dev) in &view.basics {
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            esc(&stat.label),
            drill(stat, privacy),
            drill(dev, privacy)
        ));
    }
    body.push_str("</table>\n<h3>按阶段</h3>\n<table><tr><th>阶段</th><th>人数</th></tr>\n");
    for stat in &view.stages {
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>\n",
            esc(&stat.label),
            drill(stat, privacy)
        ));
    }
    body.push_str("</table>\n");
}

/// Defects per branch: a bar chart and a table.
fn branches_html(body: &mut String, result: &AuditResult) {
    let bs = branches(result);
    let rows: Vec<(String, usize, usize)> = bs
        .iter()
        .map(|b| {
            let (e, w, _) = counts(&b.findings);
            (b.name.clone(), e, w)
        })
        .collect();
    body.push_str("<h2>各支部问题</h2>\n");
    body.push_str(&bar_chart(&rows));
    body.push_str("\n<table><tr><th>支部</th><th>档案</th><th>完整</th><th>有错误</th><th>错误</th><th>警告</th><th>提示</th></tr>\n");
    for b in &bs {
        let (e, w, i) = counts(&b.findings);
        let with_dossier: Vec<_> = b.people.iter().filter(|p| p.dossier.is_some()).collect();
        let complete = with_dossier
            .iter()
            .filter(|p| status(p, &b.findings).0 == Status::Complete)
            .count();
        let bad = with_dossier
            .iter()
            .filter(|p| status(p, &b.findings).0 == Status::Errors)
            .count();
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{complete}</td><td class=\"num\">{bad}</td><td class=\"num\">{e}</td><td class=\"num\">{w}</td><td class=\"num\">{i}</td></tr>\n",
            esc(&b.name),
            with_dossier.len()
        ));
    }
    body.push_str("</table>\n");
}

/// The rules that found something, with their counts.
fn rules_html(body: &mut String, view: &Committee<'_>) {
    body.push_str("<h2>各规则问题数</h2>\n<table><tr><th>规则</th><th>级别</th><th>问题数</th><th>依据</th></tr>\n");
    for (r, n) in view.rules.iter().filter(|(_, n)| *n > 0) {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{n}</td><td>{}</td></tr>\n",
            esc(&r.id),
            r.severity.label_zh(),
            esc(&r.basis)
        ));
    }
    body.push_str("</table>\n");
}

/// The ten dossiers with the most errors (then findings).
fn worst_html(body: &mut String, result: &AuditResult, privacy: Privacy) {
    body.push_str("<h2>问题最多的档案</h2>\n<table><tr><th>档案</th><th>姓名</th><th>错误</th><th>问题总数</th></tr>\n");
    let mut worst: BTreeMap<String, (String, usize, usize)> = BTreeMap::new();
    for f in result.findings.iter().filter(|f| f.waived.is_none()) {
        if let Some(d) = &f.dossier {
            let e = worst
                .entry(d.clone())
                .or_insert((f.name.clone().unwrap_or_default(), 0, 0));
            e.2 += 1;
            if f.severity == Severity::Error {
                e.1 += 1;
            }
        }
    }
    let mut worst: Vec<_> = worst.into_iter().collect();
    worst.sort_by(|a, b| (b.1.1, b.1.2).cmp(&(a.1.1, a.1.2)).then(a.0.cmp(&b.0)));
    for (d, (name, e, n)) in worst.iter().take(10) {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{e}</td><td class=\"num\">{n}</td></tr>\n",
            esc(&privacy.text(d)),
            esc(name)
        ));
    }
    body.push_str("</table>\n");
}

/// Findings about the archive as a whole (no branch).
fn global_html(body: &mut String, result: &AuditResult, privacy: Privacy) {
    let global: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.branch.is_none())
        .collect();
    if global.is_empty() {
        return;
    }
    body.push_str("<h2>档案整体</h2>\n<table><tr><th>级别</th><th>问题</th><th>依据</th></tr>\n");
    for f in global {
        body.push_str(&format!(
            "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
            sev_class(f),
            sev_label(f),
            esc(&privacy.text(&f.message)),
            esc(&f.basis)
        ));
    }
    body.push_str("</table>\n");
}

fn summary_xlsx(
    config: &Config,
    result: &AuditResult,
    ratings: &[BranchRating],
    privacy: Privacy,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("#F2F2F2");
    let view = Committee::of(config, result);
    basics_sheet(&mut wb, &view, &head)?;
    plan_sheet(&mut wb, &view, &head)?;
    ratings_sheet(&mut wb, ratings, &head)?;
    rules_sheet(&mut wb, &view, &head)?;
    people_sheet(&mut wb, result, privacy, &head)?;
    let wide = ["四色研判", "各规则", "人员明细"];
    print_every_sheet(&mut wb, "发展党员档案审核汇总", result.as_of, &wide)?;
    Ok(wb)
}

fn basics_sheet(wb: &mut Workbook, view: &Committee<'_>, head: &Format) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("基本情况")?;
    ws.write_row_with_format(0, 0, ["项目", "在册（审核范围内）", "今年发展"], head)?;
    let mut r = 1;
    for (stat, dev) in &view.basics {
        ws.text(r, 0, &stat.label)?;
        ws.write_number(r, 1, stat.people.len() as f64)?;
        ws.write_number(r, 2, dev.people.len() as f64)?;
        r += 1;
    }
    for stat in &view.stages {
        ws.text(r, 0, format!("阶段：{}", stat.label))?;
        ws.write_number(r, 1, stat.people.len() as f64)?;
        r += 1;
    }
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 18)?;
    Ok(())
}

/// 发展计划: a sheet only where the archive has a 年度发展计划.
fn plan_sheet(wb: &mut Workbook, view: &Committee<'_>, head: &Format) -> Result<(), XlsxError> {
    if view.plan.is_empty() {
        return Ok(());
    }
    let ws = wb.add_worksheet();
    ws.set_name("发展计划")?;
    ws.write_row_with_format(0, 0, ["年度", "类别", "计划", "已完成", "完成率"], head)?;
    for (i, &(y, title, planned, done)) in view.plan.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, f64::from(y))?;
        ws.text(r, 1, title)?;
        ws.write_number(r, 2, f64::from(planned))?;
        match done {
            Some(d) => ws.write_number(r, 3, d as f64)?,
            None => ws.write_string(r, 3, done_text(done))?,
        };
        ws.text(r, 4, rate_text(planned, done))?;
    }
    ws.set_column_width(1, 16)?;
    Ok(())
}

fn ratings_sheet(
    wb: &mut Workbook,
    ratings: &[BranchRating],
    head: &Format,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("四色研判")?;
    let cols = [
        "支部",
        "研判",
        "原因",
        "最近接收",
        "积极分子",
        "发展对象",
        "档案",
        "有错误的档案",
    ];
    ws.write_row_with_format(0, 0, cols, head)?;
    for (i, rt) in ratings.iter().enumerate() {
        let r = i as u32 + 1;
        let colour = Format::new()
            .set_font_color(rust_xlsxwriter::Color::White)
            .set_bold()
            .set_background_color(rt.hex.as_str());
        ws.text(r, 0, &rt.branch)?;
        ws.text_with(r, 1, &rt.label, &colour)?;
        ws.text(r, 2, rt.reasons.join("；"))?;
        ws.text(
            r,
            3,
            rt.last_admitted.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        ws.write_number(r, 4, rt.activists as f64)?;
        ws.write_number(r, 5, rt.candidates as f64)?;
        ws.write_number(r, 6, rt.dossiers as f64)?;
        ws.write_number(r, 7, rt.defective as f64)?;
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(2, 50)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn rules_sheet(wb: &mut Workbook, view: &Committee<'_>, head: &Format) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("各规则")?;
    ws.write_row_with_format(0, 0, ["规则", "级别", "问题数", "依据"], head)?;
    for (r, (rule, n)) in (1u32..).zip(&view.rules) {
        ws.text(r, 0, &rule.id)?;
        ws.text(r, 1, rule.severity.label_zh())?;
        ws.write_number(r, 2, *n as f64)?;
        ws.text(r, 3, &rule.basis)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(3, 60)?;
    Ok(())
}

fn people_sheet(
    wb: &mut Workbook,
    result: &AuditResult,
    privacy: Privacy,
    head: &Format,
) -> Result<(), XlsxError> {
    // One row per person: at 100,000 people an in-memory sheet costs over 100 MB, so this one
    // streams its rows to a temporary file (outside the archive) as they are written.
    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name("人员明细")?;
    let cols = [
        "支部",
        "姓名",
        "身份证号码",
        "阶段",
        "性别",
        "民族",
        "学历",
        "人员类别",
        "出生日期",
        "接收为预备党员时间",
        "档案",
    ];
    ws.write_row_with_format(0, 0, cols, head)?;
    for (i, p) in result.people.iter().enumerate() {
        let r = i as u32 + 1;
        ws.text(r, 0, p.branch.as_str())?;
        ws.text(r, 1, p.name.as_str())?;
        ws.text(
            r,
            2,
            p.id_number
                .as_deref()
                .map(|x| privacy.id(x))
                .unwrap_or_default(),
        )?;
        ws.text(r, 3, p.stage_title.as_deref().unwrap_or(""))?;
        ws.text(r, 4, p.sex.as_deref().unwrap_or(""))?;
        ws.text(r, 5, p.ethnicity.as_deref().unwrap_or(""))?;
        ws.text(r, 6, p.education.as_deref().unwrap_or(""))?;
        ws.text(r, 7, p.category.as_deref().unwrap_or(""))?;
        ws.text(r, 8, p.birth.map(|d| d.to_string()).unwrap_or_default())?;
        ws.text(r, 9, p.admitted.map(|d| d.to_string()).unwrap_or_default())?;
        ws.text(
            r,
            10,
            p.dossier
                .as_deref()
                .map(|d| privacy.text(d))
                .unwrap_or_default(),
        )?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(
        0,
        0,
        result.people.len().max(1) as u32,
        cols.len() as u16 - 1,
    )?;
    Ok(())
}

/// Write every report file; returns the paths written.
pub fn write(
    dir: &Path,
    config: &Config,
    result: &AuditResult,
    privacy: Privacy,
) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    let mut links = Vec::new();
    let reports: HashMap<&str, &DossierReport> = result
        .dossiers
        .iter()
        .map(|d| (d.dossier.as_str(), d))
        .collect();
    // Branches are independent: build and write them in parallel.
    let per_branch: Vec<std::io::Result<(String, String, [PathBuf; 2])>> = branches(result)
        .par_iter()
        .map(|b| {
            let stem = file_stem(&b.name);
            let xlsx = dir.join(format!("{stem}.xlsx"));
            let mut wb = branch_xlsx(b, result.as_of, config, &reports, privacy)
                .map_err(std::io::Error::other)?;
            save(&mut wb, &xlsx)?;
            let html = dir.join(format!("{stem}.html"));
            write_atomic(&html, branch_html(b, config, result, privacy).as_bytes())?;
            Ok((b.name.clone(), stem, [xlsx, html]))
        })
        .collect();
    for r in per_branch {
        let (name, stem, files) = r?;
        written.extend(files);
        links.push((name, stem));
    }
    let ratings = rate(&config.ratings, config, result);
    let index = dir.join("index.html");
    write_atomic(
        &index,
        summary_html(config, result, &ratings, privacy, &links).as_bytes(),
    )?;
    written.push(index);
    let summary = dir.join("summary.xlsx");
    let mut wb = summary_xlsx(config, result, &ratings, privacy).map_err(std::io::Error::other)?;
    save(&mut wb, &summary)?;
    written.push(summary);
    forget_earlier_runs(dir, &written, MANIFEST)?;
    Ok(written)
}

/// The list of the files the last run wrote into a report folder.
const MANIFEST: &str = ".dangan-reports";

/// A report folder reused from an earlier run keeps only this run's files: the earlier run's
/// files that this one did not write (a branch since gone or renamed) are removed, so no page
/// shows a state the archive is no longer in. Only files dangan listed as its own (in
/// `manifest_name`, one per kind of output) are removed; anything else is left alone.
pub(crate) fn forget_earlier_runs(
    dir: &Path,
    written: &[PathBuf],
    manifest_name: &str,
) -> std::io::Result<()> {
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let manifest = dir.join(manifest_name);
    if let Ok(old) = std::fs::read_to_string(&manifest) {
        for name in old.lines() {
            let plain = !name.is_empty()
                && !name.contains(['/', '\\'])
                && name != "."
                && name != ".."
                && name != manifest_name;
            if plain && !names.iter().any(|n| n == name) {
                match std::fs::remove_file(dir.join(name)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
        }
    }
    write_atomic(&manifest, (names.join("\n") + "\n").as_bytes())
}
