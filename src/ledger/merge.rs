//! One person, several rows: rosters per stage (入党申请人, 入党积极分子, 发展对象, 预备党员
//! sheets or workbooks) and ledgers per year list the same person again and again.
//!
//! Rows on different sheets with the same ID number — or, where a row has none, the same
//! normalised name in the same branch — are one person. Their values merge, each keeping its
//! cell; two rows that disagree on a field are a conflict (the `ledger-conflict` rule), equal
//! values are none. Two rows of one person on the same sheet are not merged: that is a repeated
//! row (`duplicate-person`).

use std::collections::HashMap;
use std::sync::Arc;

use compact_str::CompactString;

use super::{FieldValue, LedgerRow, LedgerSheet, Merged};
use crate::idnum;
use crate::schema::Schema;
use crate::text::normalize;

/// Two rows of one person that disagree on a field.
#[derive(Debug, Clone)]
pub struct Conflict {
    pub field: usize,
    /// Indices into the merged row's `sources`: the value kept, and the other.
    pub kept: u16,
    pub other: u16,
    pub other_value: FieldValue,
}

/// What merging did, for the summary and `dangan survey`.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct MergeCounts {
    /// Rows read.
    pub rows: usize,
    /// People they made.
    pub people: usize,
    /// People made of more than one row.
    pub merged: usize,
}

/// A value as a person reads it in a message.
pub fn shown(v: &FieldValue) -> String {
    match v {
        FieldValue::Empty => String::new(),
        FieldValue::Text(t) => t.to_string(),
        FieldValue::Date(d) => d.to_string(),
        FieldValue::Range(a, b) if a == b => a.to_string(),
        FieldValue::Range(a, b) => format!("{a}至{b}"),
        FieldValue::Either(a, _) => format!("{}.1", a.earliest().year()),
        FieldValue::Invalid(bad) => bad.0.clone(),
    }
}

/// How a second row's value meets the value already held.
enum Meet {
    /// Nothing to do (equal, or the new one says less).
    Keep,
    /// Take the new one (the held one is empty, or says less: a month against its day, one
    /// reading of 2021.1 against a date that settles it).
    Take,
    Conflict,
}

fn meet(held: &FieldValue, new: &FieldValue) -> Meet {
    use FieldValue as V;
    let within = |a: &crate::date::DateValue, b: &crate::date::DateValue| {
        a.earliest() >= b.earliest() && a.latest() <= b.latest()
    };
    match (held, new) {
        (_, V::Empty) => Meet::Keep,
        (V::Empty, _) => Meet::Take,
        // An unreadable date is reported once, by invalid-date: it stays.
        (V::Invalid(_), _) | (_, V::Invalid(_)) => Meet::Keep,
        (V::Text(a), V::Text(b)) => {
            if a == b || normalize(a) == normalize(b) || idnum::normalize(a) == idnum::normalize(b)
            {
                Meet::Keep
            } else {
                Meet::Conflict
            }
        }
        (V::Date(a), V::Date(b)) | (V::Range(a, _), V::Date(b)) | (V::Date(a), V::Range(b, _)) => {
            if within(a, b) {
                Meet::Keep
            } else if within(b, a) {
                Meet::Take
            } else {
                Meet::Conflict
            }
        }
        (V::Range(a, b), V::Range(c, d)) => {
            if (within(a, c) && within(b, d)) || (a == c && b == d) {
                Meet::Keep
            } else if within(c, a) && within(d, b) {
                Meet::Take
            } else {
                Meet::Conflict
            }
        }
        (V::Either(a, b), V::Date(d)) | (V::Either(a, b), V::Range(d, _)) => {
            if within(d, a) || within(d, b) {
                Meet::Take
            } else {
                Meet::Conflict
            }
        }
        (V::Date(d), V::Either(a, b)) | (V::Range(d, _), V::Either(a, b)) => {
            if within(d, a) || within(d, b) {
                Meet::Keep
            } else {
                Meet::Conflict
            }
        }
        (V::Either(a, b), V::Either(c, d)) => {
            if a == c && b == d {
                Meet::Keep
            } else {
                Meet::Conflict
            }
        }
        _ => Meet::Conflict,
    }
}

/// A person's key: their ID number, else (branch, name).
fn keys(
    row: &LedgerRow,
    config: &Schema,
) -> (Option<CompactString>, (CompactString, CompactString)) {
    let id = row
        .text(config.keys.id_number)
        .map(idnum::normalize)
        .filter(|s| !s.is_empty())
        .map(CompactString::from);
    let name = crate::text::name_key(row.text(Some(config.keys.name)).unwrap_or_default());
    let branch = normalize(row.branch(config).unwrap_or_default());
    (id, (branch.into(), name.into()))
}

/// Merge the rows that are one person. Rows keep their order (a merged row stands where its
/// first row stood); `seq` is left as it was.
pub fn merge_people(rows: Vec<LedgerRow>, config: &Schema) -> (Vec<LedgerRow>, MergeCounts) {
    let total = rows.len();
    // Whether any two rows share a sheet-independent key at all: most ledgers are one sheet,
    // and then there is nothing to merge.
    let sheets = {
        let mut v: Vec<*const LedgerSheet> = rows.iter().map(|r| Arc::as_ptr(&r.sheet)).collect();
        v.sort_unstable();
        v.dedup();
        v.len()
    };
    if sheets < 2 {
        let counts = MergeCounts {
            rows: total,
            people: total,
            merged: 0,
        };
        return (rows, counts);
    }
    let groups = group_rows(&rows, config);
    let people = groups.len();
    let merged = groups.iter().filter(|g| g.len() > 1).count();
    let mut slots: Vec<Option<LedgerRow>> = rows.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(people);
    for g in groups {
        let mut it = g.into_iter();
        let Some(first) = it.next().and_then(|i| slots[i].take()) else {
            continue;
        };
        let rest: Vec<LedgerRow> = it.filter_map(|i| slots[i].take()).collect();
        out.push(if rest.is_empty() {
            first
        } else {
            combine(first, rest, config)
        });
    }
    (
        out,
        MergeCounts {
            rows: total,
            people,
            merged,
        },
    )
}

/// The rows that are one person, as groups of row indices in the rows' order.
fn group_rows(rows: &[LedgerRow], config: &Schema) -> Vec<Vec<usize>> {
    // An ID number's groups: more than one where a sheet repeats the number (duplicate-person);
    // a row of another sheet joins the first of them that has no row on its sheet yet.
    let mut by_id: HashMap<CompactString, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<(CompactString, CompactString), Vec<usize>> = HashMap::new();
    // Each group: its rows (indices into `rows`) and the sheets they are on.
    let mut groups: Vec<Vec<usize>> = Vec::with_capacity(rows.len());
    let mut group_ids: Vec<bool> = Vec::with_capacity(rows.len());
    let on_sheet = |g: &[usize], r: usize| {
        g.iter()
            .any(|&o| Arc::ptr_eq(&rows[o].sheet, &rows[r].sheet))
    };
    for (r, row) in rows.iter().enumerate() {
        let (id, name) = keys(row, config);
        let mut target = None;
        if let Some(id) = &id {
            target = by_id
                .get(id)
                .and_then(|gs| gs.iter().copied().find(|&g| !on_sheet(&groups[g], r)));
            if target.is_none() && !by_id.contains_key(id) {
                // A row of this person written without the number.
                let free: Vec<usize> = by_name
                    .get(&name)
                    .map(|v| {
                        v.iter()
                            .copied()
                            .filter(|&g| !group_ids[g] && !on_sheet(&groups[g], r))
                            .collect()
                    })
                    .unwrap_or_default();
                if let [g] = free[..] {
                    target = Some(g);
                }
            }
        } else if !name.1.is_empty() {
            let free: Vec<usize> = by_name
                .get(&name)
                .map(|v| {
                    v.iter()
                        .copied()
                        .filter(|&g| !on_sheet(&groups[g], r))
                        .collect()
                })
                .unwrap_or_default();
            // Two people of that name in the branch: which one cannot be told.
            let people: Vec<usize> = by_name.get(&name).cloned().unwrap_or_default();
            if let [g] = free[..]
                && people.len() == 1
            {
                target = Some(g);
            }
        }
        let g = match target {
            Some(g) => {
                groups[g].push(r);
                g
            }
            None => {
                groups.push(vec![r]);
                group_ids.push(false);
                let g = groups.len() - 1;
                by_name.entry(name.clone()).or_default().push(g);
                g
            }
        };
        if let Some(id) = id {
            group_ids[g] = true;
            let gs = by_id.entry(id).or_default();
            if !gs.contains(&g) {
                gs.push(g);
            }
        }
    }
    groups
}

/// One row from several: values fill in where the first is empty; disagreements are kept as
/// conflicts.
fn combine(first: LedgerRow, rest: Vec<LedgerRow>, config: &Schema) -> LedgerRow {
    let n = config.fields.len();
    let mut of_field = vec![0u16; n];
    let mut sources = vec![(Arc::clone(&first.sheet), first.row)];
    let mut conflicts = Vec::new();
    let mut has: Vec<bool> = (0..n)
        .map(|f| first.sheet.cols.get(f).is_some_and(Option::is_some))
        .collect();
    // A merged row keeps every field's value, indexed by field.
    let sheet = Arc::clone(&first.sheet);
    let row0 = first.row;
    let seq = first.seq;
    let mut values: Vec<FieldValue> = first.dense(n);
    for row in rest {
        let src = u16::try_from(sources.len()).unwrap_or(u16::MAX);
        for f in 0..n {
            if !row.sheet.cols.get(f).is_some_and(Option::is_some) {
                continue;
            }
            let Some(new) = row.value(f) else { continue };
            let held = if has[f] {
                &values[f]
            } else {
                &FieldValue::Empty
            };
            match meet(held, &new) {
                Meet::Keep => {}
                Meet::Take => {
                    values[f] = new;
                    of_field[f] = src;
                }
                Meet::Conflict => conflicts.push(Conflict {
                    field: f,
                    kept: of_field[f],
                    other: src,
                    other_value: new,
                }),
            }
            has[f] = true;
        }
        sources.push((Arc::clone(&row.sheet), row.row));
    }
    LedgerRow {
        sheet,
        row: row0,
        values: super::packed::Packed::pack(&values),
        seq,
        merged: Some(Box::new(Merged {
            sources,
            of_field: of_field.into_boxed_slice(),
            conflicts,
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::parse_date;
    use crate::ledger::SheetRef;

    fn config() -> Schema {
        crate::config::load(&[] as &[&str])
            .expect("default rules")
            .schema
    }

    /// A sheet with columns for the given field keys, in that order.
    fn sheet(config: &Schema, name: &str, keys: &[&str]) -> Arc<LedgerSheet> {
        let mut cols = vec![None; config.fields.len()];
        for (c, k) in keys.iter().enumerate() {
            cols[config.field(k).expect("field")] = Some(c as u32);
        }
        Arc::new(LedgerSheet::new(
            SheetRef {
                file: Arc::from("名册.xlsx"),
                sheet: Arc::from(name),
            },
            cols.into_boxed_slice(),
            Box::new([]),
        ))
    }

    fn row(
        config: &Schema,
        sheet: &Arc<LedgerSheet>,
        r: u32,
        cells: &[(&str, FieldValue)],
    ) -> LedgerRow {
        let mut values = vec![FieldValue::Empty; config.fields.len()];
        for (k, v) in cells {
            values[config.field(k).expect("field")] = v.clone();
        }
        LedgerRow::from_fields(Arc::clone(sheet), r, values)
    }

    fn text(s: &str) -> FieldValue {
        FieldValue::Text(s.into())
    }

    fn date(s: &str) -> FieldValue {
        FieldValue::Date(parse_date(s).expect("date"))
    }

    const ID: &str = "11010519491231002X";

    #[test]
    fn same_id_on_two_sheets_is_one_person_and_values_fill_in() {
        let c = config();
        let a = sheet(&c, "积极分子", &["name", "id_number", "branch", "activist"]);
        let b = sheet(
            &c,
            "发展对象",
            &["name", "id_number", "branch", "candidate"],
        );
        let rows = vec![
            row(
                &c,
                &a,
                4,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("branch", text("一支部")),
                    ("activist", date("2021.03.10")),
                ],
            ),
            row(
                &c,
                &b,
                4,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("branch", text("一支部")),
                    ("candidate", date("2022.05.06")),
                ],
            ),
        ];
        let (out, counts) = merge_people(rows, &c);
        assert_eq!((counts.rows, counts.people, counts.merged), (2, 1, 1));
        let p = &out[0];
        assert!(p.conflicts().is_empty());
        let cand = c.field("candidate").expect("candidate");
        assert_eq!(p.value(cand), Some(date("2022.05.06")));
        assert_eq!(p.location(Some(cand)).to_string(), "名册.xlsx 发展对象!D5");
    }

    #[test]
    fn different_values_are_a_conflict_and_the_first_is_kept() {
        let c = config();
        let a = sheet(&c, "积极分子", &["name", "id_number", "activist"]);
        let b = sheet(&c, "发展对象", &["name", "id_number", "activist"]);
        let rows = vec![
            row(
                &c,
                &a,
                4,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("activist", date("2021.03.10")),
                ],
            ),
            row(
                &c,
                &b,
                6,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("activist", date("2021.04.10")),
                ],
            ),
        ];
        let (out, _) = merge_people(rows, &c);
        let f = c.field("activist").expect("activist");
        assert_eq!(out[0].value(f), Some(date("2021.03.10")));
        let conflicts = out[0].conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            out[0].source_location(conflicts[0].other, f).to_string(),
            "名册.xlsx 发展对象!C7"
        );
    }

    #[test]
    fn a_month_and_a_day_of_it_agree_and_the_day_is_kept() {
        let c = config();
        let a = sheet(&c, "甲", &["name", "id_number", "activist"]);
        let b = sheet(&c, "乙", &["name", "id_number", "activist"]);
        let rows = vec![
            row(
                &c,
                &a,
                1,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("activist", date("2021.03")),
                ],
            ),
            row(
                &c,
                &b,
                1,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("activist", date("2021.03.10")),
                ],
            ),
        ];
        let (out, _) = merge_people(rows, &c);
        assert!(out[0].conflicts().is_empty());
        assert_eq!(
            out[0].value(c.field("activist").expect("f")),
            Some(date("2021.03.10"))
        );
    }

    #[test]
    fn a_date_settles_an_ambiguous_month() {
        let c = config();
        let a = sheet(&c, "甲", &["name", "id_number", "activist"]);
        let b = sheet(&c, "乙", &["name", "id_number", "activist"]);
        let either = FieldValue::Either(
            parse_date("2021.01").expect("d"),
            parse_date("2021.10").expect("d"),
        );
        let rows = vec![
            row(
                &c,
                &a,
                1,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("activist", either),
                ],
            ),
            row(
                &c,
                &b,
                1,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("activist", date("2021.10.08")),
                ],
            ),
        ];
        let (out, _) = merge_people(rows, &c);
        assert!(out[0].conflicts().is_empty());
        assert_eq!(out[0].ambiguous_cells(), 0);
    }

    #[test]
    fn rows_without_an_id_merge_by_branch_and_name_only_when_unambiguous() {
        let c = config();
        let a = sheet(&c, "申请人", &["name", "branch", "applied"]);
        let b = sheet(&c, "积极分子", &["name", "id_number", "branch", "activist"]);
        let rows = vec![
            row(
                &c,
                &a,
                1,
                &[
                    ("name", text("张三")),
                    ("branch", text("一支部")),
                    ("applied", date("2020.03.01")),
                ],
            ),
            row(
                &c,
                &a,
                2,
                &[
                    ("name", text("李四")),
                    ("branch", text("一支部")),
                    ("applied", date("2020.03.01")),
                ],
            ),
            row(
                &c,
                &a,
                3,
                &[
                    ("name", text("李四")),
                    ("branch", text("一支部")),
                    ("applied", date("2020.04.01")),
                ],
            ),
            row(
                &c,
                &b,
                1,
                &[
                    ("name", text("张三")),
                    ("id_number", text(ID)),
                    ("branch", text("一支部")),
                    ("activist", date("2021.03.10")),
                ],
            ),
            row(
                &c,
                &b,
                2,
                &[
                    ("name", text("李四")),
                    ("branch", text("一支部")),
                    ("activist", date("2021.03.10")),
                ],
            ),
        ];
        let (out, counts) = merge_people(rows, &c);
        // 张三's two rows are one person; the two 李四 of the first sheet cannot tell which
        // the third is, so nothing of 李四 merges.
        assert_eq!((counts.people, counts.merged), (4, 1));
        assert_eq!(out[0].sources().len(), 2);
    }

    #[test]
    fn a_repeated_row_pairs_with_its_repeat_on_the_next_sheet() {
        let c = config();
        let a = sheet(&c, "甲", &["name", "id_number"]);
        let b = sheet(&c, "乙", &["name", "id_number"]);
        let rows = vec![
            row(
                &c,
                &a,
                1,
                &[("name", text("张三")), ("id_number", text(ID))],
            ),
            row(
                &c,
                &a,
                2,
                &[("name", text("张三")), ("id_number", text(ID))],
            ),
            row(
                &c,
                &b,
                1,
                &[("name", text("张三")), ("id_number", text(ID))],
            ),
            row(
                &c,
                &b,
                2,
                &[("name", text("张三")), ("id_number", text(ID))],
            ),
        ];
        let (_, counts) = merge_people(rows, &c);
        assert_eq!((counts.people, counts.merged), (2, 2));
    }

    #[test]
    fn one_sheet_is_never_merged() {
        let c = config();
        let a = sheet(&c, "甲", &["name", "id_number"]);
        let rows = vec![
            row(
                &c,
                &a,
                1,
                &[("name", text("张三")), ("id_number", text(ID))],
            ),
            row(
                &c,
                &a,
                2,
                &[("name", text("张三")), ("id_number", text(ID))],
            ),
        ];
        let (out, counts) = merge_people(rows, &c);
        assert_eq!((out.len(), counts.merged), (2, 0));
    }

    #[test]
    fn how_a_second_rows_value_meets_the_one_held() {
        use FieldValue as V;
        let d = |s: &str| parse_date(s).expect(s);
        let (day, month, other) = (
            V::Date(d("2021.03.05")),
            V::Date(d("2021.03")),
            V::Date(d("2021.04.01")),
        );
        let text = |s: &str| V::Text(s.into());
        let range = |a: &str, b: &str| V::Range(d(a), d(b));
        let either = V::Either(d("2021.01"), d("2021.10"));
        let bad = V::Invalid(Box::new((
            "2021.02.30".into(),
            super::super::Invalid::NoSuchDate,
        )));
        let said = |held: &V, new: &V| match meet(held, new) {
            Meet::Keep => "keep",
            Meet::Take => "take",
            Meet::Conflict => "conflict",
        };
        let cases: Vec<(V, V, &str)> = vec![
            (day.clone(), V::Empty, "keep"),
            (V::Empty, day.clone(), "take"),
            (bad.clone(), day.clone(), "keep"),
            (day.clone(), bad.clone(), "keep"),
            (text("李四"), text("李四"), "keep"),
            (text("李 四"), text("李四"), "keep"),
            (
                text("32010219980712024x"),
                text("32010219980712024X"),
                "keep",
            ),
            (text("李四"), text("王五"), "conflict"),
            // A day within the month held says more: taken; the month after the day: kept.
            (month.clone(), day.clone(), "take"),
            (day.clone(), month.clone(), "keep"),
            (day.clone(), other.clone(), "conflict"),
            (day.clone(), day.clone(), "keep"),
            (range("2021.03.05", "2021.03.07"), day.clone(), "keep"),
            (month.clone(), range("2021.03.05", "2021.03.07"), "take"),
            // Ranges: within both ends kept, the other way taken, else a conflict.
            (
                range("2021.03.05", "2021.03.07"),
                range("2021.03", "2021.03"),
                "keep",
            ),
            (
                range("2021.03", "2021.04"),
                range("2021.03.05", "2021.04.07"),
                "take",
            ),
            (
                range("2021.03.05", "2021.03.07"),
                range("2021.03.05", "2021.03.08"),
                "conflict",
            ),
            (
                range("2021.03.05", "2021.03.07"),
                range("2021.03.06", "2021.03.07"),
                "conflict",
            ),
            // A date settles an ambiguous month when it falls in one of its readings.
            (either.clone(), d_in("2021.10.08"), "take"),
            (either.clone(), d_in("2021.05.08"), "conflict"),
            (d_in("2021.01.08"), either.clone(), "keep"),
            (d_in("2021.05.08"), either.clone(), "conflict"),
            (either.clone(), either.clone(), "keep"),
            (
                either.clone(),
                V::Either(d("2022.01"), d("2022.10")),
                "conflict",
            ),
            (text("2021.03"), day.clone(), "conflict"),
        ];
        for (held, new, want) in cases {
            assert_eq!(said(&held, &new), want, "{held:?} then {new:?}");
        }
    }

    fn d_in(s: &str) -> FieldValue {
        FieldValue::Date(parse_date(s).expect(s))
    }

    #[test]
    fn a_value_as_a_message_shows_it() {
        let d = |s: &str| parse_date(s).expect(s);
        assert_eq!(shown(&FieldValue::Empty), "");
        assert_eq!(shown(&FieldValue::Text("李四".into())), "李四");
        assert_eq!(shown(&FieldValue::Date(d("2021.03.05"))), "2021-03-05");
        assert_eq!(
            shown(&FieldValue::Range(d("2021.03"), d("2021.03"))),
            "2021-03"
        );
        assert_eq!(
            shown(&FieldValue::Range(d("2021.03"), d("2021.05"))),
            "2021-03至2021-05"
        );
        assert_eq!(
            shown(&FieldValue::Either(d("2021.01"), d("2021.10"))),
            "2021.1"
        );
    }

    #[test]
    fn a_number_repeated_on_its_sheet_never_joins_a_name_of_another_sheet() {
        // 张四 without a number on one sheet; on another, the number ID twice (张三, then 张四:
        // a repeated number, duplicate-person's). The second row is the number's, not the
        // numberless 张四's: the number has a group, only on this sheet.
        let c = config();
        let b = sheet(&c, "积极分子", &["name", "branch", "activist"]);
        let a = sheet(
            &c,
            "发展对象",
            &["name", "id_number", "branch", "candidate"],
        );
        let person = |s: &Arc<LedgerSheet>, r: u32, name: &str, id: Option<&str>| {
            let mut cells = vec![("name", text(name)), ("branch", text("一支部"))];
            if let Some(id) = id {
                cells.push(("id_number", text(id)));
            }
            row(&c, s, r, &cells)
        };
        let rows = vec![
            person(&b, 4, "张四", None),
            person(&a, 4, "张三", Some(ID)),
            person(&a, 5, "张四", Some(ID)),
        ];
        assert_eq!(group_rows(&rows, &c), vec![vec![0], vec![1], vec![2]]);
        // Without the repeat, the numbered 张四 is the numberless one.
        let rows = vec![person(&b, 4, "张四", None), person(&a, 5, "张四", Some(ID))];
        assert_eq!(group_rows(&rows, &c), vec![vec![0, 1]]);
    }

    #[test]
    fn two_numbers_are_two_people_whatever_their_names() {
        // 张三 with one number on a sheet, 张三 with another on the next: two people. Without a
        // number on the second sheet, the one 张三 of the branch is joined.
        let c = config();
        let a = sheet(&c, "积极分子", &["name", "id_number", "branch"]);
        let b = sheet(&c, "发展对象", &["name", "id_number", "branch"]);
        let person = |s: &Arc<LedgerSheet>, r: u32, id: &str| {
            row(
                &c,
                s,
                r,
                &[
                    ("name", text("张三")),
                    ("id_number", text(id)),
                    ("branch", text("一支部")),
                ],
            )
        };
        let other = "110105194912310021";
        let rows = vec![person(&a, 4, ID), person(&b, 4, other)];
        assert_eq!(group_rows(&rows, &c), vec![vec![0], vec![1]]);
        let rows = vec![person(&a, 4, ID), person(&b, 4, "")];
        assert_eq!(group_rows(&rows, &c), vec![vec![0, 1]]);
    }
}
