//! report-cadence: periods (quarters) between two milestones in which a dossier holds no
//! dated report (思想汇报) — one finding per person, the missing periods as ranges.

use std::collections::HashSet;

use crate::classify::{Classifier, Match};
use crate::date::months_named;
use crate::finding::Finding;
use crate::join::Person;
use crate::ledger::catalog_sheet::CatalogEntry;
use crate::rules::Context;
use crate::rules::kind::{Need, Parameters, Resolver, Rule, RuleKind};
use crate::rules::shared::catalog::catalogs;
use crate::rules::shared::documents::unverifiable;
use crate::schema::MilestoneRef;

pub struct ReportCadence;

/// The parameters as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    document: Option<String>,
    field: Option<String>,
    from: Option<String>,
    to: Option<String>,
    period: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Params {
    pub document: usize,
    /// A ledger text field listing the reports' dates (思想汇报时间: 2021.06、2021年第3季度).
    pub field: Option<usize>,
    pub from: MilestoneRef,
    /// The end of the duty; while it is empty, the as-of date.
    pub to: MilestoneRef,
    /// Months in a period: 1 (month), 3 (quarter), 6 (half-year).
    pub months: i64,
}

impl RuleKind for ReportCadence {
    const NAME: &'static str = "report-cadence";
    const DOC: &'static str = "\
kind: report-cadence — from 与 to 之间的每个周期（季度）都应有一份注明日期的材料（思想汇报）。

参数：document: 文书键（thought_report）；field: 台账中列出汇报日期的文本列（thought_reports：
“2021.06、2021年第3季度”，用、，,；; 或空格分隔；有一项不是日期或季度时不检查此人；没有档案文件夹的人按此列检查）；from / to: 字段键（activist、converted；to 未填写时到审核基准日）；
period: quarter（默认）、month 或 half-year。
材料的日期取自文件名（思想汇报（2021年第二季度）.pdf、思想汇报2021.06.pdf、2021年第3季度思想汇报.jpg，
或按材料分的文件夹名）和卷内目录（题名中的季度，或日期一栏）。要求的周期：from 之后开始的第一个完整周期
起，到 to（或审核基准日）之前结束的最后一个周期止。
不检查：没有档案文件夹的人；档案中有无法确定日期的该材料（思想汇报1.pdf、合订文件中的书签、无法确认
的合订文件）的人；本支部没有任何人有注明日期的该材料时，整个支部（dangan survey 说明原因）。
每人一条，缺的周期合并为区间。消息变量：{document}、{missing}（如 2021年第3季度至2022年第1季度）、
{count}（缺的周期数）、{from_field}、{from_value}、{until}。subject：文书键。";
    type Params = Params;

    fn check(ctx: &Context<'_>, rule: &Rule, params: &Params, out: &mut Vec<Finding>) {
        let classifier = ctx.classifier;
        let dated: Vec<Option<Vec<(i64, i64)>>> = ctx
            .people
            .iter()
            .map(|p| reports(ctx, classifier, p, params))
            .collect();
        let branches: HashSet<&str> = ctx
            .people
            .iter()
            .zip(&dated)
            .filter(|(_, d)| d.as_ref().is_some_and(|v| !v.is_empty()))
            .map(|(p, _)| p.branch.as_str())
            .collect();
        let document = &ctx.config.documents[params.document];
        for (p, dated) in ctx.people.iter().zip(&dated) {
            let (Some(row), Some(dated)) = (ctx.row(p), dated) else {
                continue;
            };
            if !branches.contains(p.branch.as_str()) {
                continue;
            }
            let Some(from) = ctx.milestone(row, params.from) else {
                continue;
            };
            let until = ctx
                .milestone(row, params.to)
                .map_or(ctx.as_of, |d| d.earliest());
            let k = params.months;
            let month = |d: jiff::civil::Date| i64::from(d.year()) * 12 + i64::from(d.month()) - 1;
            // The first period that begins after the from-month; the last that ends before the
            // until-month.
            let first = (month(from.latest()) + 1 + k - 1).div_euclid(k);
            let last = month(until).div_euclid(k) - 1;
            let missing: Vec<i64> = (first..=last)
                .filter(|&q| {
                    let (a, b) = (q * k, q * k + k - 1);
                    !dated.iter().any(|&(x, y)| x <= b && y >= a)
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            out.push(ctx.finding(
                rule,
                Some(p),
                Some(document.key.clone()),
                None,
                None,
                &[
                    ("document", &document.title),
                    ("missing", &ranges(&missing, k)),
                    ("count", &missing.len().to_string()),
                    ("from_field", &ctx.config.milestone_title(params.from)),
                    ("from_value", &from.to_string()),
                    ("until", &until.to_string()),
                ],
            ));
        }
    }
}

/// The months a person's reports are dated to; None when the person has no dossier, or a
/// report of theirs gives no date (it may be any period's).
fn reports(
    ctx: &Context<'_>,
    classifier: &Classifier,
    p: &Person,
    params: &Params,
) -> Option<Vec<(i64, i64)>> {
    let doc = params.document;
    let listed = match params.field {
        Some(f) => ledger_months(ctx.row(p).and_then(|r| r.text(Some(f))))?,
        None => Vec::new(),
    };
    let Some(d) = p.dossier else {
        // No folder: the ledger's list alone, where it has one.
        return (!listed.is_empty()).then_some(listed);
    };
    let dir = &ctx.archive.dossiers[d];
    let mut out = listed;
    for (f, class) in dir.files.iter().zip(&ctx.classes[d]) {
        if class.get() != Some(doc) {
            continue;
        }
        // The file's own name, else the folders between it and the dossier.
        let below = f.rel.get(dir.rel.len() + 1..).unwrap_or(&f.rel);
        let named =
            months_named(f.stem()).or_else(|| below.rsplit('/').skip(1).find_map(months_named));
        out.push(named?);
    }
    if ctx.parts.of_dossier(d).any(|part| part.document == doc) || !unverifiable(ctx, d).is_empty()
    {
        return None;
    }
    for catalog in catalogs(ctx, classifier, p) {
        for (_, e, m) in &catalog.rows {
            if *m == Match::One(doc)
                && let Some(months) = catalog_months(e)
            {
                out.push(months);
            }
        }
    }
    Some(out)
}

/// The periods a ledger cell lists (2021.06、2021.09；2021年第4季度), split at 、，,；; and
/// spaces; None when an entry names no period (it may be any period's), so the person is not
/// judged; empty for an empty cell.
fn ledger_months(cell: Option<&str>) -> Option<Vec<(i64, i64)>> {
    let Some(cell) = cell else {
        return Some(Vec::new());
    };
    cell.split(|c: char| "、，,；;".contains(c) || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(months_named)
        .collect()
}

/// A catalog row's period: in its title (思想汇报（2020年第一季度）), else its date.
fn catalog_months(e: &CatalogEntry) -> Option<(i64, i64)> {
    months_named(&e.title).or_else(|| match &e.date {
        Some(Ok((d, _))) => Some((d.month_index(), d.month_index())),
        _ => None,
    })
}

/// Consecutive periods as ranges: 2021年第3季度至2022年第1季度、2023年第2季度.
fn ranges(periods: &[i64], k: i64) -> String {
    let name = |q: i64| {
        let (y, i) = ((q * k).div_euclid(12), (q * k).rem_euclid(12) / k + 1);
        match k {
            3 => format!("{y}年第{i}季度"),
            6 => format!("{y}年{}", if i == 1 { "上半年" } else { "下半年" }),
            _ => format!("{y}年{i}月"),
        }
    };
    let mut parts = Vec::new();
    let mut i = 0;
    while i < periods.len() {
        let mut j = i;
        while j + 1 < periods.len() && periods[j + 1] == periods[j] + 1 {
            j += 1;
        }
        parts.push(if i == j {
            name(periods[i])
        } else {
            format!("{}至{}", name(periods[i]), name(periods[j]))
        });
        i = j + 1;
    }
    parts.join("、")
}

impl Parameters for Params {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<Params> {
        let before = r.errors.len();
        let document = r.document(raw.document.as_deref().unwrap_or("thought_report"));
        let field = raw.field.as_deref().and_then(|f| r.text_field(f));
        let from = r.milestone(raw.from.as_deref().unwrap_or("activist"));
        let to = r.milestone(raw.to.as_deref().unwrap_or("converted"));
        let months = match raw.period.as_deref().unwrap_or("quarter") {
            "quarter" | "季度" => Some(3),
            "month" | "月" => Some(1),
            "half-year" | "半年" => Some(6),
            other => {
                let message = format!("规则 {} 的 period「{other}」无法识别", r.id);
                let help = "写作 quarter、month 或 half-year".to_string();
                r.error(Some(other), message, "未知周期", Some(help));
                None
            }
        };
        if r.errors.len() > before {
            return None;
        }
        Some(Params {
            field,
            document: document?,
            from: from?,
            to: to?,
            months: months?,
        })
    }

    fn needs(&self) -> Vec<Need> {
        vec![Need::milestone(self.from)]
    }
}

#[cfg(test)]
mod tests {
    use super::ranges;

    #[test]
    fn missing_quarters_read_as_ranges() {
        let q = |y: i64, n: i64| y * 4 + n - 1;
        assert_eq!(
            ranges(&[q(2021, 3), q(2021, 4), q(2022, 1), q(2023, 2)], 3),
            "2021年第3季度至2022年第1季度、2023年第2季度"
        );
        assert_eq!(ranges(&[q(2021, 1)], 3), "2021年第1季度");
    }

    #[test]
    fn missing_half_years_and_months_read_as_ranges() {
        let h = |y: i64, n: i64| y * 2 + n - 1;
        assert_eq!(
            ranges(&[h(2021, 2), h(2022, 1), h(2023, 2)], 6),
            "2021年下半年至2022年上半年、2023年下半年"
        );
        let m = |y: i64, n: i64| y * 12 + n - 1;
        assert_eq!(
            ranges(&[m(2021, 12), m(2022, 1), m(2022, 3)], 1),
            "2021年12月至2022年1月、2022年3月"
        );
    }
}
