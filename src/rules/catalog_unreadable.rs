//! catalog-unreadable: a catalog row dangan cannot check, said once with what it saw.

use crate::classify::Match;
use crate::finding::{Finding, Location};
use crate::ledger::catalog_sheet::{CatalogEntry, Pages};
use crate::rules::Context;
use crate::rules::invalid_date::reason;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::catalog::{catalogs, file_name, row_label};

pub struct CatalogUnreadable;

impl RuleKind for CatalogUnreadable {
    const NAME: &'static str = "catalog-unreadable";
    const DOC: &'static str = "\
kind: catalog-unreadable — 卷内目录中无法核对的行：题名为空、不是已知的材料名称或同时像两种
材料，页数不是数字或页号区间，日期无法识别；档案文件夹以外的目录中，姓名（身份证号）对不上
任何档案或台账行的行（每个目录中的每个姓名报告一次）。一行有几处问题时合为一条。档案中名为
“…目录”的表格，没有一个工作表有目录的表头时，也报告一次（指向文件）。
参数：无。消息变量：{catalog} 目录文件、{row}（第N行）、{reason}。subject：catalog。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        for p in ctx.people {
            for catalog in catalogs(ctx, classifier, p) {
                for (_, e, m) in &catalog.rows {
                    let why = problems(ctx, e, *m);
                    let Some(at) = why.first().map(|(_, at)| at.clone()) else {
                        continue;
                    };
                    let why: Vec<String> = why.into_iter().map(|(w, _)| w).collect();
                    out.push(ctx.finding(
                        rule,
                        Some(p),
                        Some("catalog".into()),
                        None,
                        Some(at),
                        &[
                            ("catalog", catalog.name()),
                            ("row", &row_label(e)),
                            ("reason", &why.join("；")),
                        ],
                    ));
                }
            }
        }
        orphans(ctx, rule, out);
        unread_files(ctx, rule, out);
    }
}

/// What makes a row uncheckable, in words, each with the cell it is in (empty when nothing
/// does).
fn problems(ctx: &Context<'_>, e: &CatalogEntry, m: Match) -> Vec<(String, Location)> {
    let docs = &ctx.config.documents;
    let mut why = Vec::new();
    match m {
        _ if e.title.trim().is_empty() => why.push(("题名为空".to_string(), e.location())),
        Match::None => why.push((
            format!(
                "题名“{}”不是已知的材料名称（如是本档案的材料，可在规则文件的 documents 中为它加别名）",
                e.title
            ),
            e.location(),
        )),
        Match::Tie(a, b) => why.push((
            format!(
                "题名“{}”既像{}，也像{}",
                e.title, docs[a].title, docs[b].title
            ),
            e.location(),
        )),
        Match::One(_) => {}
    }
    if let Pages::Unreadable(t) = &e.pages {
        why.push((
            format!("页数“{t}”不是页数（如 8）或页号（如 5-12）"),
            e.pages_location(),
        ));
    }
    if let Some(Err(bad)) = &e.date {
        why.push((
            format!("日期“{}”{}", bad.0, reason(ctx, bad.1)),
            e.date_location(),
        ));
    }
    why
}

/// Spreadsheets named as catalogs (卷内目录.xlsx) in which no sheet has a catalog header.
fn unread_files(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for &(d, i) in ctx.unread_catalogs {
        let f = &ctx.archive.dossiers[d].files[i];
        let reason = "没有一个工作表有目录的表头（需要“题名”或“材料名称”列，和“页数”或“页号”列），\
                      因此没有核对这份目录";
        out.push(ctx.finding(
            rule,
            ctx.dossier_person(d),
            Some("catalog".into()),
            Some(f.rel.to_string()),
            Some(Location {
                file: f.rel.to_string(),
                sheet: None,
                cell: None,
            }),
            &[
                ("catalog", file_name(&f.rel)),
                ("row", ""),
                ("reason", reason),
            ],
        ));
    }
}

/// Rows of catalogs outside the dossiers that name nobody: once per catalog and name.
fn orphans(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let mut groups: indexmap::IndexMap<(&str, &str), (&CatalogEntry, usize)> =
        indexmap::IndexMap::new();
    for &i in ctx.orphan_catalog {
        let e = &ctx.catalogs[i];
        let who = e.name.as_deref().or(e.id_number.as_deref()).unwrap_or("");
        groups.entry((&e.sheet.file, who)).or_insert((e, 0)).1 += 1;
    }
    for ((file, who), (e, rows)) in groups {
        let reason = if who.is_empty() {
            format!("没有姓名，不知道这 {rows} 行属于哪份档案（支部或全部档案的目录需要“姓名”列）")
        } else {
            format!("“{who}”（{rows} 行）在档案文件夹和台账中都找不到")
        };
        let loc: Location = e.location();
        let mut f = ctx.finding(
            rule,
            None,
            Some("catalog".into()),
            Some(file.to_string()),
            Some(loc),
            &[
                ("catalog", file_name(file)),
                ("row", &row_label(e)),
                ("reason", &reason),
            ],
        );
        f.branch = ctx.branch_of(file);
        out.push(f);
    }
}
