//! A finding is plain data: what rule, about whom, where, and why. Printers render it;
//! nothing downstream of the rules decides what is a defect.

use serde::Serialize;

/// How much a finding matters; `--fail-on` compares against it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Where in a spreadsheet (or which file) a finding points.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
pub struct Location {
    pub file: String,
    pub sheet: Option<String>,
    pub cell: Option<String>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            sheet: None,
            cell: None,
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " {sheet}")?;
            if let Some(cell) = &self.cell {
                write!(f, "!{cell}")?;
            }
        }
        Ok(())
    }
}

/// One defect. Field order is the JSON order documented in the README.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub branch: Option<String>,
    pub dossier: Option<String>,
    pub name: Option<String>,
    pub subject: Option<String>,
    pub file: Option<String>,
    pub message: String,
    pub basis: String,
    pub location: Option<Location>,
    /// Set when an approved waiver covers this finding: shown, not counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived: Option<Waived>,
    /// Position of the rule in the rule set, for a stable order; not printed.
    #[serde(skip)]
    pub rule_order: usize,
    /// The person the finding is about (index into the audit's people); not printed.
    #[serde(skip)]
    pub person: Option<usize>,
}

/// Why a finding is accepted for now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Waived {
    pub reason: String,
    pub approved_by: String,
    pub expires: String,
}

/// Whom or what a finding is about. Every report groups findings by this; each words it its
/// own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About<'a> {
    /// A dossier folder (its path relative to the archive).
    Dossier(&'a str),
    /// A ledger row whose person has no dossier folder.
    LedgerOnly {
        branch: Option<&'a str>,
        name: &'a str,
    },
    /// A branch folder itself (a loose file in it, a branch-wide check).
    BranchFolder(&'a str),
    /// The archive as a whole (its root, or something archive-wide).
    Archive,
}

impl Finding {
    pub fn about(&self) -> About<'_> {
        match (&self.dossier, &self.name, &self.branch) {
            (Some(d), _, _) => About::Dossier(d),
            (None, Some(n), b) => About::LedgerOnly {
                branch: b.as_deref(),
                name: n,
            },
            (None, None, Some(b)) => About::BranchFolder(b),
            (None, None, None) => About::Archive,
        }
    }

    /// Whom a finding is about, as baselines and waivers match it: the dossier path, or
    /// `branch:name` for a ledger row without a folder; empty for a folder or the archive.
    pub fn who(&self) -> String {
        match self.about() {
            About::Dossier(d) => d.to_string(),
            About::LedgerOnly { branch, name } => format!("{}:{name}", branch.unwrap_or("")),
            About::BranchFolder(_) | About::Archive => String::new(),
        }
    }

    /// The identity of a finding across runs: rule, dossier (or branch and name for a ledger
    /// row without a folder), subject, and the file for a finding about a file. Never a cell,
    /// a line or the message text, which move when unrelated things change.
    pub fn key(&self) -> String {
        let who = self.who();
        let file = match &self.location {
            Some(l) if l.sheet.is_none() => l.file.as_str(),
            _ => "",
        };
        format!(
            "{}|{who}|{}|{file}",
            self.rule,
            self.subject.as_deref().unwrap_or("")
        )
    }
}
