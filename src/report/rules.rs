//! The rule set as text: the list (`dangan rules`), the README's table
//! (`dangan rules --format markdown`) and one rule explained (`dangan explain`).

use crate::config::Config;

/// A rule's severity, or "off" when it is not enabled.
fn state(r: &crate::rules::Rule) -> &'static str {
    if r.enabled {
        r.severity.as_str()
    } else {
        "off"
    }
}

/// The rule table of the README (`dangan rules --format markdown`): a test keeps the README
/// equal to it.
pub fn markdown(c: &Config) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from("| id | severity | kind (code) | 说明 |\n|---|---|---|---|\n");
    for r in &c.rules {
        let state = state(r);
        let file = r.kind().module();
        out.push_str(&format!(
            "| {} | {state} | {} (`{}`) | {} |\n",
            r.id,
            r.kind().name(),
            file.trim_start_matches("src/"),
            cell(r.description.as_deref().unwrap_or(""))
        ));
    }
    out
}

/// `dangan rules`: every rule with its severity (or off), kind and basis.
pub fn list(c: &Config) -> String {
    let mut out = format!("{}\n\n", c.ruleset_name);
    let width = c.rules.iter().map(|r| r.id.len()).max().unwrap_or(10);
    for r in &c.rules {
        let state = state(r);
        out.push_str(&format!(
            "{:<width$}  {:<7}  {:<20}  {}\n",
            r.id,
            state,
            r.kind().name(),
            r.basis
        ));
    }
    out
}

/// `dangan explain RULE`: what a rule checks, on what basis, with what message, and where it
/// is defined and coded.
pub fn explain(c: &Config, id: &str) -> Option<String> {
    let r = c.rule(id)?;
    let mut out = format!(
        "{}  ({}{})\n\n",
        r.id,
        state(r),
        if r.enabled { "" } else { "，已停用" }
    );
    if let Some(d) = &r.description {
        out.push_str(&format!("{d}\n\n"));
    }
    out.push_str(&format!("依据：{}\n消息：{}\n", r.basis, r.message));
    if let Some(e) = &r.example {
        out.push_str(&format!("示例：{e}\n"));
    }
    out.push_str(&format!(
        "定义于：{}\n\n{}\n代码：{}\n",
        r.origin,
        r.kind().doc(),
        r.kind().module()
    ));
    Some(out)
}
