//! Who is who: the join between folders and ledger rows, and ID numbers.

use std::collections::{HashMap, HashSet};

use crate::config::{Kind, Rule};
use crate::finding::{Finding, Location};
use crate::idnum::{self, IdError};
use crate::ledger::{FieldValue, LedgerRow};
use crate::rules::Context;

pub const UNMATCHED_DOSSIER_DOC: &str = "\
kind: unmatched-dossier — 档案文件夹在台账中找不到对应的行。

文件夹名含身份证号时按号码对应，否则按（支部，姓名）对应；支部名写法不同时，全台账唯一的
姓名也可对应。每个文件夹只报告一次，其中的文件仍照常检查。文件夹名中的身份证号与前面某个文件夹
重复时由 duplicate-person 报告，这里不再报告。找不到台账时不报告（见 ledger-not-found）。
参数：无。消息变量：{dossier}、{name}、{detail}（同名多行等原因）。";

pub const UNMATCHED_ROW_DOC: &str = "\
kind: unmatched-ledger-row — 台账中的一行没有对应的档案文件夹。只报告这一条，不再逐项报告缺少的材料；
该行的日期、身份证号仍照常检查。身份证号与前面某行重复的行由 duplicate-person 报告，这里不再报告。参数：无。消息变量：{name}、{branch}。";

pub const UNMATCHED_RESUME_DOC: &str = "\
kind: unmatched-resume — 档案文件夹以外的简历表中，某人的简历按身份证号、姓名都对不上任何人
（台账行或档案文件夹），这些简历无法检查。每个表格中的每个姓名报告一次。
参数：无。消息变量：{file}、{resume_name}、{rows}（行数）。";

pub const DUPLICATE_DOC: &str = "\
kind: duplicate-person — 同一身份证号出现在台账的两行，或两个档案文件夹名中。第二次及以后的出现各报告一次。
参数：无。消息变量：{id}（已脱敏）、{other}（第一次出现的位置）。subject：id_number。";

pub const ID_NUMBER_DOC: &str = "\
kind: id-number — 身份证号不符合 GB 11643-1999：长度不是 18 位（或 15 位旧号码）、含非法字符、
校验码不符（权重 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2，模 11 对应 10X98765432），
或出生日期码不存在、晚于审核基准日。检查台账中的号码和档案文件夹名中的号码。
参数：无。消息变量：{id}（已脱敏）、{detail}。subject：id_number。";

pub const BIRTH_DATE_DOC: &str = "\
kind: birth-date-match — 台账出生年月与身份证号中的出生日期不一致。按台账填写的精度比较：
填到月（1990.03）时只比年月。参数：无。消息变量：{ledger}、{id_birth}。subject：birth。";

/// Whether duplicate-person is reporting repeated ID numbers: then the repeat of a number is
/// that rule's one finding, and is not reported again as a folder or row without a partner.
fn duplicates_reported(ctx: &Context<'_>) -> bool {
    ctx.config
        .rules
        .iter()
        .any(|r| r.enabled && r.kind == Kind::DuplicatePerson)
}

/// Every ledger row of the archive in ledger order, with its index among this run's rows
/// (None for a row of another shard's branch).
fn all_rows<'a>(ctx: &'a Context<'_>) -> Vec<(&'a LedgerRow, Option<usize>)> {
    let mut v: Vec<_> = ctx
        .ledger
        .iter()
        .enumerate()
        .map(|(i, r)| (r, Some(i)))
        .chain(ctx.foreign_rows.iter().map(|r| (r, None)))
        .collect();
    v.sort_by_key(|(r, _)| r.seq);
    v
}

/// Every dossier folder whose name carries an ID number, in archive order: (relative path,
/// normalised ID, the person of this run, or None for another shard's folder).
fn all_folders(ctx: &Context<'_>) -> Vec<(String, String, Option<usize>)> {
    let mut v: Vec<(String, String, Option<usize>)> = ctx
        .people
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let d = p.dossier?;
            let id = p.folder_id.as_ref()?;
            Some((
                ctx.archive.dossiers[d].path().to_string(),
                idnum::normalize(id),
                Some(i),
            ))
        })
        .chain(
            ctx.archive
                .foreign_folders
                .iter()
                .filter_map(|(rel, folder)| Some((rel.clone(), idnum::find_in(folder)?, None))),
        )
        .collect();
    v.sort_by(|a, b| crate::walk::archive_order(&a.0, &b.0));
    v
}

/// This run's ledger rows whose ID number already appeared on an earlier row.
fn repeated_rows(ctx: &Context<'_>) -> Vec<bool> {
    let mut seen = HashSet::new();
    let mut out = vec![false; ctx.ledger.len()];
    for (row, local) in all_rows(ctx) {
        let Some(id) = row.text(ctx.config.id_field) else {
            continue;
        };
        let repeat = !seen.insert(idnum::normalize(id));
        if let Some(i) = local {
            out[i] = repeat;
        }
    }
    out
}

/// People whose folder's ID number already appeared in an earlier folder's name.
fn repeated_folders(ctx: &Context<'_>) -> Vec<bool> {
    let mut seen = HashSet::new();
    let mut out = vec![false; ctx.people.len()];
    for (_, id, person) in all_folders(ctx) {
        let repeat = !seen.insert(id);
        if let Some(p) = person {
            out[p] = repeat;
        }
    }
    out
}

pub fn unmatched_dossier(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    if !ctx.ledger_found {
        return;
    }
    let repeated = if duplicates_reported(ctx) {
        repeated_folders(ctx)
    } else {
        vec![false; ctx.people.len()]
    };
    for (i, p) in ctx.people.iter().enumerate() {
        if p.row.is_some() || repeated[i] {
            continue;
        }
        let Some(d) = p.dossier else { continue };
        let rel = &ctx.archive.dossiers[d].path().to_string();
        out.push(ctx.finding(
            rule,
            Some(p),
            None,
            Some(rel.clone()),
            Some(Location::file(rel.clone())),
            &[("detail", &p.unmatched_detail)],
        ));
    }
}

pub fn unmatched_row(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let repeated = if duplicates_reported(ctx) {
        repeated_rows(ctx)
    } else {
        vec![false; ctx.ledger.len()]
    };
    for p in ctx.people.iter().filter(|p| p.dossier.is_none()) {
        let Some(r) = p.row else { continue };
        if repeated[r] {
            continue;
        }
        let row = &ctx.ledger[r];
        out.push(ctx.finding(
            rule,
            Some(p),
            None,
            None,
            Some(row.location(Some(ctx.config.name_field))),
            &[],
        ));
    }
}

pub fn unmatched_resume(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    // One finding per (sheet, name), at the first row, in the order first seen.
    let mut groups: indexmap::IndexMap<(&str, &str, &str), (Location, usize)> =
        indexmap::IndexMap::new();
    for &e in ctx.orphan_resumes {
        let entry = &ctx.resumes[e];
        let name = entry.name().unwrap_or_default();
        groups
            .entry((&entry.sheet.file, &entry.sheet.sheet, name))
            .or_insert_with(|| (entry.location(), 0))
            .1 += 1;
    }
    for ((_, _, name), (loc, rows)) in groups {
        let shown = if name.is_empty() {
            "（未填姓名）"
        } else {
            name
        };
        let mut f = ctx.finding(
            rule,
            None,
            None,
            Some(loc.file.clone()),
            Some(loc.clone()),
            &[
                ("file", &loc.file),
                ("resume_name", shown),
                ("rows", &rows.to_string()),
            ],
        );
        f.branch = loc.file.split_once('/').map(|(b, _)| b.to_string());
        out.push(f);
    }
}

pub fn duplicate_person(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let subject = Some("id_number".to_string());
    let mut first_row: HashMap<String, &LedgerRow> = HashMap::new();
    for (row, local) in all_rows(ctx) {
        let Some(id) = row.text(ctx.config.id_field) else {
            continue;
        };
        let key = idnum::normalize(id);
        match first_row.get(&key) {
            None => {
                first_row.insert(key, row);
            }
            Some(first) => {
                let Some(r) = local else { continue };
                let first_name = first.text(Some(ctx.config.name_field)).unwrap_or_default();
                let other = format!(
                    "与{}（{}）相同",
                    first.location(ctx.config.id_field),
                    first_name
                );
                let p = ctx.person_of_row[r].map(|p| &ctx.people[p]);
                out.push(ctx.finding(
                    rule,
                    p,
                    subject.clone(),
                    None,
                    Some(row.location(ctx.config.id_field)),
                    &[("id", &idnum::mask(&key)), ("other", &other)],
                ));
            }
        }
    }
    let mut first_dir: HashMap<String, String> = HashMap::new();
    for (rel, id, person) in all_folders(ctx) {
        match first_dir.get(&id) {
            None => {
                first_dir.insert(id, rel);
            }
            Some(first_rel) => {
                let Some(p) = person else { continue };
                out.push(ctx.finding(
                    rule,
                    Some(&ctx.people[p]),
                    subject.clone(),
                    Some(rel.clone()),
                    Some(Location::file(rel.clone())),
                    &[
                        ("id", &idnum::mask(&id)),
                        ("other", &format!("与档案文件夹“{first_rel}”相同")),
                    ],
                ));
            }
        }
    }
}

fn describe(e: &IdError) -> String {
    match e {
        IdError::Malformed => "应为 18 位（末位可为 X），或 15 位旧号码".into(),
        IdError::CheckDigit(c) => format!("校验码不符，按前 17 位计算应为 {c}"),
        IdError::BirthDate => "其中的出生日期不存在或晚于审核基准日".into(),
    }
}

pub fn id_number(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let subject = Some("id_number".to_string());
    for p in ctx.people {
        let row = ctx.row(p);
        let row_id = row.and_then(|r| r.text(ctx.config.id_field));
        if let (Some(row), Some(id)) = (row, row_id)
            && let Err(e) = idnum::check(id, ctx.as_of)
        {
            out.push(ctx.finding(
                rule,
                Some(p),
                subject.clone(),
                None,
                Some(row.location(ctx.config.id_field)),
                &[
                    ("id", &idnum::mask(&idnum::normalize(id))),
                    ("detail", &describe(&e)),
                ],
            ));
        }
        // The folder's number, unless it is the very number already checked in the ledger, or
        // differs from it (then id-number-mismatch says so, once).
        if let (Some(d), Some(id), false) = (p.dossier, &p.folder_id, p.id_mismatch) {
            let same = row_id.is_some_and(|r| idnum::normalize(r) == idnum::normalize(id));
            if !same && let Err(e) = idnum::check(id, ctx.as_of) {
                let rel = &ctx.archive.dossiers[d].path().to_string();
                out.push(ctx.finding(
                    rule,
                    Some(p),
                    subject.clone(),
                    Some(rel.clone()),
                    Some(Location::file(rel.clone())),
                    &[
                        ("id", &idnum::mask(&idnum::normalize(id))),
                        ("detail", &describe(&e)),
                    ],
                ));
            }
        }
    }
}

pub fn birth_date(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let Some(bf) = ctx.config.birth_field else {
        return;
    };
    for p in ctx.people {
        let Some(row) = ctx.row(p) else { continue };
        let Some(ledger) = row.value(bf).and_then(FieldValue::date) else {
            continue;
        };
        let Some(id_birth) = ctx.id_birth(row) else {
            continue;
        };
        if id_birth < ledger.earliest() || id_birth > ledger.latest() {
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(ctx.config.fields[bf].key.clone()),
                None,
                Some(row.location(Some(bf))),
                &[
                    ("ledger", &ledger.to_string()),
                    ("id_birth", &id_birth.to_string()),
                ],
            ));
        }
    }
}

pub const ID_MISMATCH_DOC: &str = "\
kind: id-number-mismatch — 文件夹名中的身份证号不在台账中，而文件夹的姓名在本支部台账中恰好对应一行：
按姓名连接，报告这一处号码不一致（一个错误，一条问题；不再报告“无对应行”“无对应文件夹”）。
台账中的号码本身无效时不报告本条（由 id-number 报告）。参数：无。
消息变量：{folder_id}、{ledger_id}（均打码）。subject：id_number。";

pub fn id_number_mismatch(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for p in ctx.people.iter().filter(|p| p.id_mismatch) {
        let (Some(row), Some(folder_id), Some(d)) = (ctx.row(p), &p.folder_id, p.dossier) else {
            continue;
        };
        let Some(ledger_id) = row.text(ctx.config.id_field) else {
            continue;
        };
        if idnum::check(ledger_id, ctx.as_of).is_err() {
            continue;
        }
        let rel = &ctx.archive.dossiers[d].path().to_string();
        out.push(ctx.finding(
            rule,
            Some(p),
            Some("id_number".into()),
            Some(rel.clone()),
            Some(row.location(ctx.config.id_field)),
            &[
                ("folder_id", &idnum::mask(&idnum::normalize(folder_id))),
                ("ledger_id", &idnum::mask(&idnum::normalize(ledger_id))),
            ],
        ));
    }
}

pub const LEDGER_CONFLICT_DOC: &str = "\
kind: ledger-conflict — 同一人的多行（不同工作表或工作簿：按阶段分的名册、按年度的台账）在同一项上
填得不一样。身份证号相同，或某行没有身份证号时同一支部同名，即为同一人；各行合并为一人，每个值保留
自己的单元格。相同的值不报告；只到月的日期与同月某天、2021.1 这样两读的数字与其中一种读法相符，
都不算不一致。同一工作表上的两行不合并（由 duplicate-person 报告）。参数：无。
消息变量：{field}、{value}、{location}、{other_value}、{other_location}。subject：字段键。";

pub fn ledger_conflict(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for p in ctx.people {
        let Some(row) = ctx.row(p) else { continue };
        for c in row.conflicts() {
            let field = &ctx.config.fields[c.field];
            let here = row.source_location(c.kept, c.field);
            let there = row.source_location(c.other, c.field);
            let kept = row.values().get(c.field).map(crate::ledger::merge::shown);
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(field.key.clone()),
                None,
                Some(there.clone()),
                &[
                    ("field", &field.title),
                    ("value", kept.as_deref().unwrap_or_default()),
                    ("location", &here.to_string()),
                    ("other_value", &crate::ledger::merge::shown(&c.other_value)),
                    ("other_location", &there.to_string()),
                ],
            ));
        }
    }
}
