//! duplicate-person: one ID number on two ledger rows or in two folder names.

use std::collections::HashMap;

use crate::finding::{Finding, Location};
use crate::idnum;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};
use crate::rules::shared::identity::{Repeat, all_folders, repeats};

pub struct DuplicatePerson;

impl RuleKind for DuplicatePerson {
    const NAME: &'static str = "duplicate-person";
    const DOC: &'static str = "\
kind: duplicate-person — 同一身份证号出现在台账的两行，或两个档案文件夹名中。第二次及以后的出现各报告一次。
参数：无。消息变量：{id}（已脱敏）、{other}（第一次出现的位置）。subject：id_number。";
    type Params = ();

    fn check(ctx: &Context<'_>, rule: &Rule, _: &(), out: &mut Vec<Finding>) {
        rows(ctx, rule, out);
        folders(ctx, rule, out);
    }
}

fn rows(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let keys = &ctx.config.keys;
    for Repeat {
        row,
        local,
        first,
        id: key,
    } in repeats(ctx)
    {
        let Some(r) = local else { continue };
        let first_name = first.text(Some(keys.name)).unwrap_or_default();
        let other = format!("与{}（{}）相同", first.location(keys.id_number), first_name);
        let p = ctx.person_of_row[r].map(|p| &ctx.people[p]);
        out.push(ctx.finding(
            rule,
            p,
            Some("id_number".into()),
            None,
            Some(row.location(keys.id_number)),
            &[("id", &idnum::mask(&key)), ("other", &other)],
        ));
    }
}

fn folders(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let mut first_dir: HashMap<String, String> = HashMap::new();
    for (rel, id, person) in all_folders(ctx) {
        let Some(first_rel) = first_dir.get(&id) else {
            first_dir.insert(id, rel);
            continue;
        };
        let Some(p) = person else { continue };
        out.push(ctx.finding(
            rule,
            Some(&ctx.people[p]),
            Some("id_number".into()),
            Some(rel.clone()),
            Some(Location::file(rel.clone())),
            &[
                ("id", &idnum::mask(&id)),
                ("other", &format!("与档案文件夹“{first_rel}”相同")),
            ],
        ));
    }
}
