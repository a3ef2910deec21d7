//! ledger-header: what a person should know about a ledger's header itself — a header one
//! character off an alias that was read as it, and date columns that were placed nowhere (their
//! dates are not read, and no rule sees them).

use crate::finding::Finding;
use crate::ledger::HeaderNote;
use crate::rules::Context;
use crate::rules::kind::{Parameters, Resolver, Rule, RuleKind};

pub struct LedgerHeaderKind;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    note: Option<String>,
}

/// Which notes a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// `read-as`: a header read as the alias one character from it.
    ReadAs,
    /// `unplaced-date`: date columns no field takes, once per sheet.
    UnplacedDate,
}

impl RuleKind for LedgerHeaderKind {
    const NAME: &'static str = "ledger-header";
    const DOC: &'static str = "\
kind: ledger-header — 台账表头本身的问题。

参数：note: read-as 或 unplaced-date。
read-as：表头与某个别名只差一个字（错一字、多一字或少一字，且只对得上一个字段，表头至少五个字），
按该别名读取，并逐列说明（如“接受为预备党员时间”按“接收为预备党员时间”读取）。
unplaced-date：表头写着时间（…时间、…日期、…年月）却对不上任何字段的列：这些列的日期没有读取，
每张工作表一条，列出各列及其单元格。在规则文件 fields 中为它加别名即可读取。
消息变量：{sheet}、{header}、{alias}、{field}（read-as）；{columns}（unplaced-date）。subject：header。";
    type Params = Note;

    fn check(ctx: &Context<'_>, rule: &Rule, note: &Note, out: &mut Vec<Finding>) {
        for sheet in crate::rules::ledger_sheets(ctx) {
            let name = sheet.at.sheet.to_string();
            let mut unplaced: Vec<(String, crate::finding::Location)> = Vec::new();
            for n in sheet.notes.iter() {
                match (n, note) {
                    (
                        HeaderNote::ReadAs {
                            row,
                            col,
                            header,
                            alias,
                            field,
                        },
                        Note::ReadAs,
                    ) => {
                        let title = &ctx.config.fields[*field].title;
                        let at = sheet.at.at(*row, *col);
                        let mut f = ctx.finding(
                            rule,
                            None,
                            Some("header".into()),
                            None,
                            Some(at),
                            &[
                                ("sheet", &name),
                                ("header", header),
                                ("alias", alias),
                                ("field", title),
                            ],
                        );
                        f.branch = sheet.folder_branch.get().map(|b| b.to_string());
                        out.push(f);
                    }
                    (HeaderNote::Unplaced { row, col, header }, Note::UnplacedDate) => {
                        unplaced.push((header.clone(), sheet.at.at(*row, *col)));
                    }
                    _ => {}
                }
            }
            let Some((_, first)) = unplaced.first() else {
                continue;
            };
            let columns: Vec<String> = unplaced
                .iter()
                .map(|(h, at)| format!("“{h}”（{}）", at.cell.as_deref().unwrap_or_default()))
                .collect();
            let mut f = ctx.finding(
                rule,
                None,
                Some("header".into()),
                None,
                Some(first.clone()),
                &[("sheet", &name), ("columns", &columns.join("、"))],
            );
            f.branch = sheet.folder_branch.get().map(|b| b.to_string());
            out.push(f);
        }
    }
}

impl Parameters for Note {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Note> {
        match raw.note.as_deref() {
            Some("read-as") => Some(Note::ReadAs),
            Some("unplaced-date") => Some(Note::UnplacedDate),
            other => {
                let message = format!(
                    "规则 {} 的 note 应为 read-as 或 unplaced-date（现为 {}）",
                    r.id,
                    other.unwrap_or("空")
                );
                r.error(Some("note:"), message, "未知的 note", None);
                None
            }
        }
    }
}
