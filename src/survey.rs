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
use crate::ledger::{DateBounds, HeaderIndex, SheetRole, SheetSurvey, read_workbook};

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
    /// Ledger rows and the people they made.
    pub people: MergeCounts,
    pub branches: usize,
    pub dossiers: usize,
    /// When no sheet is a ledger: the nearest miss, in words.
    pub near_miss: Option<String>,
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
    let archive = crate::layout::walk_archive(root, config, &|_: &str| true)?;
    let headers = HeaderIndex::new(config);
    let bounds = DateBounds {
        earliest: config.earliest,
        as_of,
    };
    let loose: Vec<_> = archive
        .loose
        .iter()
        .filter(|f| f.is_spreadsheet())
        .collect();
    let books: Vec<_> = loose
        .par_iter()
        .map(|f| {
            let branch = archive.layout.branch_of(&f.rel);
            read_workbook(&archive.root, f, branch, config, &headers, bounds)
        })
        .collect();
    let dossier_files: Vec<_> = archive
        .dossiers
        .iter()
        .flat_map(|d| d.files.iter())
        .filter(|f| f.is_spreadsheet())
        .collect();
    let dossier_resumes = dossier_files
        .par_iter()
        .filter(|f| {
            read_workbook(&archive.root, f, None, config, &headers, bounds)
                .sheets
                .iter()
                .any(|s| s.role == SheetRole::Resume)
        })
        .count();
    let mut rows = Vec::new();
    let mut spreadsheets = Vec::new();
    let mut ledger_found = false;
    for (f, mut book) in loose.iter().zip(books) {
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
    let mut branches: Vec<&str> = archive.dossiers.iter().map(|d| d.branch.as_str()).collect();
    branches.dedup();
    Ok(Survey {
        branches: branches.len(),
        dossiers: archive.dossiers.len(),
        spreadsheets,
        dossier_spreadsheets: dossier_files.len(),
        dossier_resumes,
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
        "支部文件夹 {} 个，档案文件夹 {} 个；档案内表格 {} 个，其中简历 {} 个。",
        s.branches, s.dossiers, s.dossier_spreadsheets, s.dossier_resumes
    );
    out
}
