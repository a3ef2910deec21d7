//! resume-before-birth: a resume entry that starts before its person was born.

use crate::date::DateValue;
use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::schema::{End, MilestoneRef};

pub struct ResumeBeforeBirth;

impl RuleKind for ResumeBeforeBirth {
    const NAME: &'static str = "resume-before-birth";
    const DOC: &'static str = "\
kind: resume-before-birth — 一段经历的开始早于本人出生（按月比较：出生当月开始的不算）。出生日期
优先取身份证号中的出生日期，其次取台账出生年月；两者都没有的人不检查。只写到年的开始时间按该年
最后一个月比较。参数：无。消息变量：{text}、{start}、{birth}。subject：resume。";
    type Params = BeforeBirth;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &BeforeBirth, out: &mut Vec<Finding>) {
        for p in ctx.people {
            let Some(born) = ctx.row(p).and_then(|row| {
                params
                    .birth
                    .and_then(|m| ctx.milestone(row, m))
                    .or_else(|| ctx.id_birth(row).map(DateValue::day))
            }) else {
                continue;
            };
            let born_month = DateValue::day(born.earliest()).month_index();
            for &e in &p.resume {
                let entry = &ctx.resumes[e];
                let Ok(start) = entry.start.as_ref() else {
                    continue;
                };
                if DateValue::day(start.latest()).month_index() < born_month {
                    out.push(ctx.resume_finding(
                        rule,
                        p,
                        entry,
                        &[
                            ("text", &entry.text),
                            ("start", &start.to_string()),
                            ("birth", &born.to_string()),
                        ],
                    ));
                }
            }
        }
    }
}

/// The birth date the rule compares with: the schema's `birth` field (its value taken from the
/// ID number where that is valid, see [`Context::milestone`]).
#[derive(Debug)]
pub struct BeforeBirth {
    birth: Option<MilestoneRef>,
    id_number: Option<usize>,
}

impl Parameters for BeforeBirth {
    type Raw = crate::rules::kind::NoParams;

    fn resolve(_: Self::Raw, r: &mut Resolver<'_>) -> Option<Self> {
        let keys = &r.schema.keys;
        Some(BeforeBirth {
            birth: keys.birth.map(|field| MilestoneRef {
                field,
                end: End::Start,
            }),
            id_number: keys.id_number,
        })
    }

    /// A birth date: the ID number's column or the ledger's 出生年月.
    fn needs(&self) -> Vec<Need> {
        let columns: Vec<usize> = self
            .birth
            .map(|m| m.field)
            .into_iter()
            .chain(self.id_number)
            .collect();
        vec![Need::AtLeast(1, columns)]
    }
}
