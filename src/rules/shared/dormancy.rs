//! A branch that has admitted no one for years: one computation for the rule
//! `branch-dormant` and the 四色研判 condition `no_admission_years`, so that the finding in
//! JSON and CI and the colour on the committee's page cannot disagree.

use jiff::civil::Date;
use jiff::{Span, Unit};

/// The branches a 年度发展计划 or 支部名单 lists that none of `known` (the branches of the
/// archive's people) is, compared normalised: a branch that admitted nobody has no folder and
/// no ledger row, and is exactly the one to name. Nothing is normalised without a plan.
pub fn listed_only<'a, 'k>(
    known: impl Iterator<Item = &'k str>,
    plan: &'a [crate::ledger::plan::PlanRow],
) -> Vec<&'a str> {
    if plan.is_empty() {
        return Vec::new();
    }
    let known: std::collections::HashSet<String> = known.map(crate::text::normalize).collect();
    plan.iter()
        .filter(|r| !known.contains(&crate::text::normalize(&r.branch)))
        .map(|r| r.branch.as_str())
        .collect()
}

/// Why a branch whose last admission was `last` counts as having admitted no one for
/// `years` years before `as_of`; None when it admitted someone since.
///
/// ```
/// use dangan::rules::shared::dormancy::no_admission_for;
/// use jiff::civil::date;
/// let as_of = date(2026, 11, 28);
/// assert_eq!(no_admission_for(Some(date(2023, 11, 29)), as_of, 3), None);
/// assert!(no_admission_for(Some(date(2023, 11, 28)), as_of, 3).is_some());
/// assert!(no_admission_for(None, as_of, 3).is_some());
/// ```
pub fn no_admission_for(last: Option<Date>, as_of: Date, years: u32) -> Option<String> {
    let cutoff = as_of
        .checked_sub(Span::new().years(years))
        .unwrap_or(Date::MIN);
    match last {
        Some(d) if d > cutoff => None,
        Some(d) => Some(format!(
            "{years} 年以上未接收预备党员（最近一次 {d}，距今 {}）",
            d.until((Unit::Year, as_of))
                .map(|s| format!("{}年{}个月", s.get_years(), s.get_months()))
                .unwrap_or_default()
        )),
        None => Some(format!(
            "{years} 年以上未接收预备党员（台账中没有接收记录）"
        )),
    }
}
