//! `dangan survey`: what dangan understood of an archive's spreadsheets, before anyone reads a
//! finding — each sheet's role, its header rows, each column's field and the columns not used,
//! the rows read and skipped, and how many people the rows made.
//!
//! It reads only the spreadsheets (no scan is opened) and never writes anything.

use std::fmt::Write as _;
use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::Config;
use crate::ledger::merge::{MergeCounts, merge_people};
use crate::ledger::{DateBounds, HeaderIndex, SheetRole, SheetSurvey};

/// One spreadsheet as read.
#[derive(Debug, serde::Serialize)]
pub struct SpreadsheetSurvey {
    pub file: String,
    /// Why it could not be read (as `unreadable-file` says).
    pub problem: Option<String>,
    pub sheets: Vec<SheetSurvey>,
}

/// The whole survey.
#[derive(Debug, serde::Serialize)]
pub struct Survey {
    /// Spreadsheets outside the dossiers: ledgers, rosters, root resume sheets.
    pub spreadsheets: Vec<SpreadsheetSurvey>,
    /// Spreadsheets inside dossier folders (a person's resume) and how many were resumes.
    pub dossier_spreadsheets: usize,
    pub dossier_resumes: usize,
    /// Of those, the ones with a catalog (卷内目录) sheet.
    pub dossier_catalogs: usize,
    /// Ledger rows and the people they made.
    pub people: MergeCounts,
    pub branches: usize,
    pub dossiers: usize,
    /// When no sheet is a ledger: the nearest miss, in words.
    pub near_miss: Option<String>,
    /// What was understood of the folders.
    pub folders: FolderSurvey,
    /// Enabled rules that stay silent on this archive because its ledgers lack the columns
    /// they read, with the reason.
    pub checks_not_run: Vec<CheckNotRun>,
}

/// A rule that cannot run on this archive's ledgers, and why.
#[derive(Debug, serde::Serialize)]
pub struct CheckNotRun {
    pub rule: String,
    pub reason: String,
}

/// The enabled rules whose ledger columns ([`crate::rules::Need`]) no ledger sheet has.
pub fn checks_not_run(config: &Config, spreadsheets: &[SpreadsheetSurvey]) -> Vec<CheckNotRun> {
    let mut present = vec![false; config.fields.len()];
    let mut ledger = false;
    let ledgers = spreadsheets.iter().flat_map(|b| b.sheets.iter());
    for sh in ledgers.filter(|sh| sh.role == SheetRole::Ledger) {
        ledger = true;
        for c in &sh.columns {
            if let Some(f) = c.field.as_deref().and_then(|k| config.field(k)) {
                present[f] = true;
            }
        }
    }
    let has = |f: usize| present.get(f).copied().unwrap_or(false);
    let mut out = Vec::new();
    for rule in config.rules.iter().filter(|r| r.enabled) {
        let needs = rule.params.needs();
        if needs.is_empty() {
            continue;
        }
        let reasons: Vec<String> = if ledger {
            needs.iter().filter_map(|n| n.unmet(config, &has)).collect()
        } else {
            vec!["未找到台账".into()]
        };
        if !reasons.is_empty() {
            out.push(CheckNotRun {
                rule: rule.id.clone(),
                reason: reasons.join("；"),
            });
        }
    }
    out
}

/// The content rules on scans when OCR is off (`content.ocr`; `dangan survey` takes no
/// `--ocr`): the image files among the documents each rule reads, whose text is not read. A
/// scanned PDF is not told from a born-digital one without opening it; the survey does not.
pub fn content_not_run(config: &Config, archive: &crate::walk::Archive) -> Vec<CheckNotRun> {
    if config.content.ocr {
        return Vec::new();
    }
    let classifier = config.classifier();
    let classes = archive.per_file_in(|d, f| {
        let image = matches!(f.ext().as_ref(), "jpg" | "jpeg" | "png" | "tif" | "tiff");
        image.then(|| classifier.classify_in(d.path(), f)).flatten()
    });
    let mut out = Vec::new();
    for rule in config.rules.iter().filter(|r| r.enabled) {
        let reads = rule.params.reads();
        if reads.documents.is_empty() {
            continue;
        }
        let n = classes
            .all()
            .iter()
            .filter(|c| c.is_some_and(|c| reads.documents.contains(&c)))
            .count();
        if n > 0 {
            out.push(CheckNotRun {
                rule: rule.id.clone(),
                reason: format!(
                    "未开启 OCR：{n} 个图片扫描件（jpg/png/tif）的文字未读取，不检查其内容（PDF 扫描件同样如此）；用 dangan audit --ocr 开启"
                ),
            });
        }
    }
    out
}

/// The folder side of the survey.
#[derive(Debug, Default, serde::Serialize)]
pub struct FolderSurvey {
    pub layout: crate::walk::LayoutReport,
    /// Dossiers per branch, in archive order.
    pub branches: Vec<(String, usize)>,
    /// Folders inside dossiers that name a material (张伟/03-入党志愿书/…).
    pub material_folders: usize,
    /// Multi-page PDF/OFD files whose name names no document: with bookmarks that name
    /// documents, and without.
    pub combined_with_bookmarks: usize,
    pub combined_without: usize,
    /// Files per document, in rule-set order (documents with none left out).
    pub files_per_document: Vec<(String, usize)>,
    /// Names that match no document, grouped with digits as `*` (扫描*.jpg), commonest first:
    /// (pattern, files, an example path).
    pub unrecognised: Vec<(String, usize, String)>,
}

/// How many unrecognised name groups are listed.
const UNRECOGNISED_LISTED: usize = 20;

/// A file name with every run of digits as `*`: 扫描0001.jpg → 扫描*.jpg.
fn name_pattern(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut digits = false;
    for c in name.chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('*');
            }
            digits = true;
        } else {
            out.push(c);
            digits = false;
        }
    }
    out
}

fn folders(config: &Config, archive: &crate::walk::Archive) -> FolderSurvey {
    use crate::inspect::FileFormat;
    let classifier = config.classifier();
    let mut survey = FolderSurvey {
        layout: archive.layout.clone(),
        ..FolderSurvey::default()
    };
    for d in &archive.dossiers {
        match survey.branches.last_mut() {
            Some((b, n)) if b == d.branch() => *n += 1,
            _ => survey.branches.push((d.branch().to_string(), 1)),
        }
    }
    let mut material: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut per_doc = vec![0usize; config.documents.len()];
    let mut groups: std::collections::HashMap<String, (usize, String)> = Default::default();
    let classes = archive.per_file_in(|d, f| classifier.classify_in(d.path(), f));
    for (di, d) in archive.dossiers.iter().enumerate() {
        for (f, class) in d.files.iter().zip(&classes[di]) {
            let inner = f
                .rel
                .strip_prefix(d.path())
                .and_then(|r| r.strip_prefix('/'))
                .unwrap_or(&f.rel);
            let mut at = d.path().to_string();
            for folder in inner
                .split('/')
                .rev()
                .skip(1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
            {
                at = format!("{at}/{folder}");
                if classifier.classify(folder).is_some() {
                    material.insert(at.clone());
                }
            }
            if let Some(c) = class {
                per_doc[*c] += 1;
                continue;
            }
            let ext = f.ext();
            if ext == "pdf" || ext == "ofd" {
                let i = crate::inspect::inspect(&f.path(&archive.root), f.size);
                if matches!(i.format, FileFormat::Pdf | FileFormat::Ofd)
                    && i.pages.is_some_and(|p| p > 1)
                {
                    let named = i
                        .outline()
                        .is_some_and(|o| !classifier.parts(&o.0, i.pages).is_empty());
                    if named {
                        survey.combined_with_bookmarks += 1;
                    } else {
                        survey.combined_without += 1;
                    }
                    continue;
                }
            }
            let g = groups
                .entry(name_pattern(f.name()))
                .or_insert_with(|| (0, f.rel.to_string()));
            g.0 += 1;
        }
    }
    survey.material_folders = material.len();
    survey.files_per_document = config
        .documents
        .iter()
        .zip(per_doc)
        .filter(|(_, n)| *n > 0)
        .map(|(d, n)| (d.title.clone(), n))
        .collect();
    let mut groups: Vec<(String, usize, String)> =
        groups.into_iter().map(|(k, (n, e))| (k, n, e)).collect();
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    groups.truncate(UNRECOGNISED_LISTED);
    survey.unrecognised = groups;
    survey
}

/// The nearest a set of workbooks came to a ledger: `台账.xlsx 工作表“名册” 第 3 行认出 …`.
pub fn near_miss<'a>(
    books: impl IntoIterator<Item = (&'a str, &'a [SheetSurvey])>,
    config: &Config,
) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (file, sheets) in books {
        for s in sheets {
            let Some(c) = &s.candidate else { continue };
            if best.as_ref().is_none_or(|(n, _)| c.matched.len() > *n)
                && let Some(text) = s.near_miss(config)
            {
                best = Some((
                    c.matched.len(),
                    format!("{file} 工作表“{}” {text}", s.sheet),
                ));
            }
        }
    }
    best.map(|(_, t)| t)
}

pub fn survey(config: &Config, root: &Path, as_of: Date) -> std::io::Result<Survey> {
    let headers = HeaderIndex::new(config);
    let bounds = DateBounds {
        earliest: config.earliest,
        as_of,
    };
    let mut ahead = crate::ledger::ReadAhead::new(config, &headers, bounds);
    let tree = crate::layout::walk(root, config)?;
    let archive = crate::layout::arrange_archive(
        tree,
        config,
        config.classifier(),
        &|_: &str| true,
        &mut |files| ahead.read(root, files),
    );
    let loose: Vec<_> = archive
        .loose
        .iter()
        .filter(|f| f.is_spreadsheet())
        .map(|f| (f, ahead.take(&f.rel)))
        .collect();
    let books: Vec<_> = loose
        .into_par_iter()
        .map(|(f, read)| {
            let book = ahead.get(&archive.root, f, read);
            book.set_folder_branch(archive.layout.branch_of(&f.rel));
            (f, book)
        })
        .collect();
    let dossier_files: Vec<_> = archive
        .dossiers
        .iter()
        .flat_map(|d| d.files.iter())
        .filter(|f| f.is_spreadsheet())
        .collect();
    // A resume read ahead (in a folder without named files) is not read again.
    let read: Vec<_> = dossier_files.iter().map(|f| ahead.take(&f.rel)).collect();
    let roles: Vec<(bool, bool)> = dossier_files
        .par_iter()
        .zip(read)
        .map(|(f, read)| {
            let book = ahead.get(&archive.root, f, read);
            let has = |role| book.sheets.iter().any(|s| s.role == role);
            (has(SheetRole::Resume), has(SheetRole::Catalog))
        })
        .collect();
    let dossier_resumes = roles.iter().filter(|r| r.0).count();
    let dossier_catalogs = roles.iter().filter(|r| r.1).count();
    let mut rows = Vec::new();
    let mut spreadsheets = Vec::new();
    let mut ledger_found = false;
    for (f, mut book) in books {
        ledger_found |= book.has_ledger;
        rows.append(&mut book.ledger_rows);
        spreadsheets.push(SpreadsheetSurvey {
            file: f.rel.to_string(),
            problem: book.problem,
            sheets: book.sheets,
        });
    }
    let (_, people) = merge_people(rows, config);
    let near_miss = if ledger_found {
        None
    } else {
        near_miss(
            spreadsheets
                .iter()
                .map(|s| (s.file.as_str(), s.sheets.as_slice())),
            config,
        )
    };
    let mut branches: Vec<&str> = archive.dossiers.iter().map(|d| d.branch()).collect();
    branches.dedup();
    let mut not_run = checks_not_run(config, &spreadsheets);
    not_run.extend(content_not_run(config, &archive));
    Ok(Survey {
        checks_not_run: not_run,
        folders: folders(config, &archive),
        branches: branches.len(),
        dossiers: archive.dossiers.len(),
        spreadsheets,
        dossier_spreadsheets: dossier_files.len(),
        dossier_resumes,
        dossier_catalogs,
        people,
        near_miss,
    })
}

/// The survey for a person, in Chinese.
pub fn human(s: &Survey, config: &Config) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "表格（档案文件夹以外）：{} 个", s.spreadsheets.len());
    for book in &s.spreadsheets {
        let _ = writeln!(out, "\n{}", book.file);
        if let Some(p) = &book.problem {
            let _ = writeln!(out, "  无法读取：{p}");
        }
        for sh in &book.sheets {
            let role = match sh.role {
                SheetRole::Ledger => "台账/名册",
                SheetRole::Resume => "简历",
                SheetRole::Catalog => "卷内目录",
                SheetRole::Plan => "年度发展计划/支部名单",
                SheetRole::Skipped => "未使用",
            };
            let _ = write!(out, "  工作表“{}”：{role}", sh.sheet);
            if let Some((a, b)) = sh.header_rows {
                if a == b {
                    let _ = write!(out, "，表头第 {a} 行");
                } else {
                    let _ = write!(out, "，表头第 {a}–{b} 行");
                }
            }
            if sh.role != SheetRole::Skipped {
                let _ = write!(out, "，读取 {} 行", sh.rows_read);
                if sh.rows_skipped > 0 {
                    let _ = write!(out, "，跳过 {} 行", sh.rows_skipped);
                }
            }
            let _ = writeln!(out);
            if let Some(r) = &sh.reason {
                let _ = writeln!(out, "    {r}");
            }
            if let Some(text) = sh.near_miss(config) {
                let _ = writeln!(out, "    最接近台账表头：{text}");
            }
            for c in &sh.columns {
                let _ = match c.field.as_deref().and_then(|k| config.field(k)) {
                    None if c
                        .field
                        .as_deref()
                        .is_some_and(|k| k.starts_with("catalog.") || k.starts_with("plan.")) =>
                    {
                        writeln!(out, "    {:<4} {}列", c.cell, c.header)
                    }
                    Some(f) => writeln!(
                        out,
                        "    {:<4} {} → {}（{}）",
                        c.cell, c.header, config.fields[f].title, config.fields[f].key
                    ),
                    None => writeln!(out, "    {:<4} {}（未使用）", c.cell, c.header),
                };
            }
            for r in &sh.skipped {
                let _ = writeln!(out, "    跳过第 {} 行（{}）：{}", r.row, r.reason, r.text);
            }
            if sh.rows_skipped > sh.skipped.len() {
                let _ = writeln!(
                    out,
                    "    ……另有 {} 行跳过",
                    sh.rows_skipped - sh.skipped.len()
                );
            }
        }
    }
    let p = s.people;
    let _ = writeln!(out);
    if p.rows == 0 {
        let _ = writeln!(out, "未找到台账。");
        if let Some(n) = &s.near_miss {
            let _ = writeln!(out, "最接近的是 {n}。");
        }
    } else if p.merged > 0 {
        let _ = writeln!(
            out,
            "台账 {} 行，合并为 {} 人（{} 人出现在不止一张表中）。",
            p.rows, p.people, p.merged
        );
    } else {
        let _ = writeln!(out, "台账 {} 行，{} 人。", p.rows, p.people);
    }
    let _ = writeln!(
        out,
        "支部 {} 个，档案文件夹 {} 个；档案内表格 {} 个，其中简历 {} 个、卷内目录 {} 个。",
        s.branches, s.dossiers, s.dossier_spreadsheets, s.dossier_resumes, s.dossier_catalogs
    );
    human_folders(&mut out, &s.folders);
    human_checks_not_run(&mut out, &s.checks_not_run);
    out
}

/// The rules that cannot run, those lacking the same columns said together, in rule-set order.
fn human_checks_not_run(out: &mut String, checks: &[CheckNotRun]) {
    if checks.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n无法运行的检查（缺少所需的数据：这些规则在所说的范围内不报告任何问题）："
    );
    let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
    for c in checks {
        match by_reason.iter_mut().find(|(r, _)| *r == c.reason) {
            Some((_, rules)) => rules.push(&c.rule),
            None => by_reason.push((&c.reason, vec![&c.rule])),
        }
    }
    for (reason, rules) in by_reason {
        let _ = writeln!(out, "  {reason}：{}", rules.join("、"));
    }
}

fn human_folders(out: &mut String, f: &FolderSurvey) {
    let l = &f.layout;
    let how = if l.pinned {
        "（规则文件指定）"
    } else {
        ""
    };
    let _ = writeln!(out, "\n文件夹结构{how}：");
    match &l.root_branch {
        Some(b) => {
            let _ = writeln!(out, "  根目录是一个支部：{b}（其下每个文件夹是一份档案）");
        }
        None => {
            let _ = writeln!(out, "  根目录是整个档案（其下是支部文件夹）");
        }
    }
    for (above, label) in [
        (true, "支部之上的分组文件夹"),
        (false, "支部与个人之间的分组文件夹"),
    ] {
        let groups: Vec<&String> = l
            .groups
            .iter()
            .filter(|g| g.1 == above)
            .map(|g| &g.0)
            .collect();
        if let Some(first) = groups.first() {
            let _ = writeln!(out, "  {label} {} 个，如 {first}", groups.len());
        }
    }
    for (folder, detail) in &l.notes {
        let shown = if folder.is_empty() {
            "."
        } else {
            folder.as_str()
        };
        let _ = writeln!(out, "  无法确定：{shown}：{detail}");
    }
    let per: Vec<String> = f
        .branches
        .iter()
        .map(|(b, n)| format!("{b} {n} 份"))
        .collect();
    if !per.is_empty() {
        let _ = writeln!(out, "  各支部档案：{}", per.join("，"));
    }
    if f.material_folders > 0 {
        let _ = writeln!(
            out,
            "  按材料分的文件夹 {} 个（其中的文件算作该材料）",
            f.material_folders
        );
    }
    if f.combined_with_bookmarks + f.combined_without > 0 {
        let _ = writeln!(
            out,
            "  合订文件（多页 PDF/OFD，文件名不含材料名称）：有书签 {} 个，无可用书签 {} 个",
            f.combined_with_bookmarks, f.combined_without
        );
    }
    let docs: Vec<String> = f
        .files_per_document
        .iter()
        .map(|(d, n)| format!("{d} {n}"))
        .collect();
    if !docs.is_empty() {
        let _ = writeln!(out, "  各材料的文件数：{}", docs.join(" · "));
    }
    if !f.unrecognised.is_empty() {
        let _ = writeln!(
            out,
            "  无法识别的文件名（数字记作 *；可在规则文件中为材料添加别名）："
        );
        for (pattern, n, example) in &f.unrecognised {
            let _ = writeln!(out, "    {pattern}：{n} 个，如 {example}");
        }
    }
}
