//! waiver-expired: a waiver of the --waivers file that has expired: it no longer covers anything. Weighed after the audit, by
//! `crate::triage`, which asks [`fires`] of each waiver and builds the finding with
//! [`crate::rules::shared::waivers::finding`].

use jiff::civil::Date;

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Rule, RuleKind};

pub struct WaiverExpired;

impl RuleKind for WaiverExpired {
    const NAME: &'static str = "waiver-expired";
    const DOC: &'static str = "\
kind: waiver-expired — --waivers 文件中的一条豁免已过期（expires 早于审核基准日）：它不再生效，
被它豁免的问题重新计入。参数：无。消息变量：{file}、{line}、{rule}、{expires}、{approved_by}。";
    const AFTER_AUDIT: bool = true;
    type Params = ();

    fn check(_: &Context<'_>, _: &Rule, _: &(), _: &mut Vec<Finding>) {}
}

/// Whether a waiver that expires on `expires` (and covered a finding of this run, `used`)
/// is reported at `as_of`.
pub fn fires(expires: Date, as_of: Date, _used: bool) -> bool {
    expires < as_of
}

#[cfg(test)]
mod tests {
    use super::fires;
    use jiff::civil::date;

    #[test]
    fn a_waiver_holds_through_its_expiry_day() {
        let expires = date(2026, 11, 28);
        assert!(!fires(expires, date(2026, 11, 28), true));
        assert!(fires(expires, date(2026, 11, 29), true));
        assert!(fires(expires, date(2026, 11, 29), false));
    }
}
