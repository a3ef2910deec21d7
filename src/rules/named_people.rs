//! named-people: the people a ledger cell names for a person (入党介绍人, 培养联系人) — how
//! many, not the person, and full members on the day that counts.

use crate::date::DateValue;
use crate::finding::Finding;
use crate::join::{ByHash, Person, hash_of};
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::MilestoneRef;
use crate::text::normalize;

pub struct NamedPeople;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    field: Option<String>,
    min: Option<usize>,
    max: Option<usize>,
    from: Option<String>,
    full_member_on: Option<String>,
    member_since: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Params {
    /// The text field naming the people (one cell 张三、李四, or numbered sub-columns).
    pub field: usize,
    pub min: usize,
    pub max: usize,
    /// Checked once this milestone is filled.
    pub from: MilestoneRef,
    /// Each named person the archive knows must have been a full member on this date.
    pub full_member_on: Option<MilestoneRef>,
    /// The milestone from which a person is a full member (转为正式党员时间).
    pub member_since: MilestoneRef,
}

impl RuleKind for NamedPeople {
    const NAME: &'static str = "named-people";
    const DOC: &'static str = "\
kind: named-people — 台账一栏中写的人（入党介绍人、培养联系人）：人数、不是本人、当时是正式党员。

参数：
  field: 字段键          写人名的文本字段（一格“张三、李四”，或编号的子列 1 | 2）
  min / max: 数字        人数范围（入党介绍人 2 / 2，培养联系人 1 / 2）
  from: 字段键           该环节已填写后才检查（入党介绍人从确定为发展对象起）
  full_member_on: 字段键 可选：所写的人在该日期必须已是正式党员（入党介绍人：接收为预备党员时间）
  member_since: 字段键   成为正式党员的环节（默认 converted）
人名以 、，,；; / 空格 和 及 分隔。所写的人在档案中能唯一找到（同支部同名优先，否则全档案唯一同名）
时才核对其身份：转正晚于该日期、或台账有转正一列而未填（尚未转正）即不是正式党员；档案中没有的人名
不核对（可能是本单位老党员）。台账没有该列时不检查；该列为空而 from 已填写时报告“未填写”。
消息变量：{field}、{names}（所写的人）、{detail}（问题所在）。subject：字段键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        // The people by their name's hash (16 bytes a person), for the names to look up.
        let by_name = ByHash::new(if params.full_member_on.is_some() {
            ctx.people
                .iter()
                .enumerate()
                .map(|(i, p)| (hash_of(&[&normalize(&p.name)]), i as u32))
                .collect()
        } else {
            Vec::new()
        });
        let title = &ctx.config.fields[params.field].title;
        for p in ctx.people {
            let Some(row) = ctx.row(p) else { continue };
            if !row.has_column(params.field) || ctx.milestone(row, params.from).is_none() {
                continue;
            }
            let text = row.text(Some(params.field)).unwrap_or("");
            let names = split_names(text);
            let mut problems = Vec::new();
            if names.len() < params.min || names.len() > params.max {
                problems.push(count_problem(names.len(), params));
            }
            let own = normalize(&p.name);
            if names.contains(&own) {
                problems.push(format!("写的是本人{}", p.name));
            }
            if let Some(on) = params.full_member_on.and_then(|m| ctx.milestone(row, m)) {
                for n in names.iter().filter(|n| **n != own) {
                    if let Some(why) = not_full_member(ctx, &by_name, p, n, on, params) {
                        problems.push(why);
                    }
                }
            }
            if problems.is_empty() {
                continue;
            }
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(ctx.config.fields[params.field].key.clone()),
                None,
                Some(row.location(Some(params.field))),
                &[
                    ("field", title),
                    ("names", &names.join("、")),
                    ("detail", &problems.join("；")),
                ],
            ));
        }
    }
}

fn count_problem(n: usize, params: &Params) -> String {
    let want = if params.min == params.max {
        format!("应为 {} 人", params.min)
    } else {
        format!("应为 {}–{} 人", params.min, params.max)
    };
    if n == 0 {
        format!("未填写（{want}）")
    } else {
        format!("写了 {n} 人，{want}")
    }
}

/// The names in a cell: 张三、李四 · 张三,李四 · 张三 李四 · 张三和李四.
pub fn split_names(text: &str) -> Vec<String> {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, '、' | '，' | ',' | '；' | ';' | '/' | '／' | '和' | '及')
    })
    .map(normalize)
    .filter(|n| !n.is_empty())
    .collect()
}

/// Why the person named `name` was not a full member on `on`, when the archive knows them.
fn not_full_member(
    ctx: &Context<'_>,
    by_name: &ByHash,
    of: &Person,
    name: &str,
    on: DateValue,
    params: &Params,
) -> Option<String> {
    let all = named(ctx.people, by_name, name);
    let same_branch: Vec<&&Person> = all.iter().filter(|q| q.branch == of.branch).collect();
    let q = match (same_branch.as_slice(), all.as_slice()) {
        ([q], _) => **q,
        ([], [q]) => *q,
        _ => return None,
    };
    let row = ctx.row(q)?;
    if !row.has_column(params.member_since.field) {
        return None;
    }
    match ctx.milestone(row, params.member_since) {
        Some(since) if since.earliest() > on.latest() => Some(format!(
            "{name}于 {since} 才转为正式党员，{on} 时还不是正式党员"
        )),
        Some(_) => None,
        None => Some(format!(
            "{name}在台账中尚未转为正式党员（{}），{on} 时不是正式党员",
            q.stage.map_or("未到任何阶段", |s| ctx.config.stages[s]
                .title
                .as_str())
        )),
    }
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let before = r.errors.len();
        let field = raw.field.as_deref().and_then(|f| r.text_field(f));
        let from = raw.from.as_deref().and_then(|m| r.milestone(m));
        let full_member_on = raw.full_member_on.as_deref().and_then(|m| r.milestone(m));
        let member_since = r.milestone(raw.member_since.as_deref().unwrap_or("converted"));
        if r.errors.len() > before {
            return None;
        }
        let (min, max) = (raw.min.unwrap_or(1), raw.max.unwrap_or(usize::MAX));
        match (field, from, member_since) {
            (Some(field), Some(from), Some(member_since)) if min <= max => Some(Params {
                field,
                min,
                max,
                from,
                full_member_on,
                member_since,
            }),
            _ => {
                let message = format!("规则 {} 需要 field、from，且 min 不大于 max", r.id);
                r.error(None, message, "", None);
                None
            }
        }
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::Column(self.field), Need::milestone(self.from)]
    }
}

/// The people of this normalised name, in order: each one's own name is checked, for two names
/// may share a hash.
fn named<'p>(people: &'p [Person], by_name: &ByHash, name: &str) -> Vec<&'p Person> {
    by_name
        .rows(hash_of(&[name]))
        .map(|i| &people[i])
        .filter(|q| normalize(&q.name) == name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_are_named_by_their_own_name_even_when_names_share_a_hash() {
        let c = crate::config::load(&[] as &[&str])
            .expect("default rules")
            .schema;
        let row = |branch: &str, name: &str| {
            crate::ledger::LedgerRow::of_texts(&c, &[("branch", branch), ("name", name)])
        };
        let rows = [
            row("一支部", "张三"),
            row("一支部", "李四"),
            row("二支部", "张 三"),
        ];
        let people = crate::join::join(&c, &[], &rows);
        let names = |found: Vec<&Person>| -> Vec<String> {
            found
                .iter()
                .map(|p| format!("{}{}", p.branch, p.name))
                .collect()
        };
        for name in ["张三", "李四", "王五"] {
            // Every person under the hash looked up, as if all names collided.
            let all = ByHash::new((0..3).map(|i| (hash_of(&[name]), i)).collect());
            let honest = ByHash::new(
                (0..3u32)
                    .map(|i| (hash_of(&[&normalize(&people[i as usize].name)]), i))
                    .collect(),
            );
            let want: Vec<String> = match name {
                "张三" => vec!["一支部张三".into(), "二支部张 三".into()],
                "李四" => vec!["一支部李四".into()],
                _ => vec![],
            };
            assert_eq!(
                names(named(&people, &all, name)),
                want,
                "{name}, all colliding"
            );
            assert_eq!(names(named(&people, &honest, name)), want, "{name}");
        }
    }
}
