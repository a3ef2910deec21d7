//! dangan (档案): audits member-development dossier archives (发展党员档案) for completeness
//! and consistency against rules written in YAML.
//!
//! Data flows one way: [`walk`] → [`classify`] / [`inspect`] / [`ledger`] → [`join`] → [`rules`]
//! → [`report`].
//! [`config`] loads the rule set; [`audit`] runs the pipeline; [`cli`] is the thin front.

/// A line to standard error that never panics: a closed or broken stderr loses the message,
/// not the run (and not the report being written).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod audit;
pub mod broken;
pub mod bytes;
pub mod cache;
pub mod calendar;
pub mod classify;
pub mod cli;
pub mod config;
pub mod content;
pub mod date;
pub mod duplicates;
pub mod finding;
pub mod holdings;
pub mod idnum;
pub mod input;
pub mod inspect;
pub mod join;
pub mod layout;
pub mod ledger;
pub mod memory;
pub mod rating;
pub mod report;
pub mod results;
pub mod rules;
pub mod schema;
pub mod shard;
pub mod survey;
pub mod text;
pub mod triage;
pub mod walk;
