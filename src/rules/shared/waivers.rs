//! The finding about one waiver, shared by waiver-expired and waiver-unused.

use crate::finding::{Finding, Location};
use crate::rules::Rule;

/// One waiver of `file`, at `line`, reported under `rule`.
pub fn finding(
    rule: &Rule,
    file: &str,
    line: usize,
    waived_rule: &str,
    expires: &str,
    approved_by: &str,
) -> Finding {
    let line = line.to_string();
    let vars = [
        ("file", file),
        ("line", line.as_str()),
        ("rule", waived_rule),
        ("expires", expires),
        ("approved_by", approved_by),
    ];
    let mut f = rule.finding(&vars);
    f.subject = Some(waived_rule.to_string());
    f.file = Some(file.to_string());
    f.location = Some(Location {
        file: file.to_string(),
        sheet: None,
        cell: Some(format!("第{line}行")),
    });
    f
}
