//! waiver-unused: a waiver of the --waivers file that is in force and covered no finding. Weighed after the audit, by
//! `crate::triage`, which asks [`fires`] of each waiver and builds the finding with
//! [`crate::rules::shared::waivers::finding`].

use jiff::civil::Date;

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct WaiverUnused;

impl RuleKind for WaiverUnused {
    const NAME: &'static str = "waiver-unused";
    const DOC: &'static str = "\
kind: waiver-unused — --waivers 文件中的一条豁免没有对应任何问题（问题已整改，或写错了规则、档案）：
应当删除。参数：无。消息变量：{file}、{line}、{rule}、{expires}、{approved_by}。";
    const AFTER_AUDIT: bool = true;
    type Params = ();

    fn check(_: &Context<'_>, _: &Rule, _: &(), _: &mut Vec<Finding>) {}
}

/// Whether a waiver that expires on `expires` (and covered a finding of this run, `used`)
/// is reported at `as_of`.
pub fn fires(expires: Date, as_of: Date, used: bool) -> bool {
    expires >= as_of && !used
}

#[cfg(test)]
mod tests {
    use super::fires;
    use jiff::civil::date;

    #[test]
    fn a_waiver_in_force_that_covered_nothing() {
        let expires = date(2026, 11, 28);
        // In force through its expiry day, and used: nothing to say.
        assert!(!fires(expires, date(2026, 11, 28), true));
        // In force and unused: said, to its last day.
        assert!(fires(expires, date(2026, 11, 28), false));
        assert!(fires(expires, date(2026, 1, 1), false));
        // Expired: waiver-expired's, not this one's.
        assert!(!fires(expires, date(2026, 11, 29), false));
    }
}
