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

impl Finding {
    /// The identity of a finding across runs: rule, dossier (or branch and name for a ledger
    /// row without a folder), subject, and the file for a finding about a file. Never a cell,
    /// a line or the message text, which move when unrelated things change.
    pub fn key(&self) -> String {
        let who = match (&self.dossier, &self.name) {
            (Some(d), _) => d.clone(),
            (None, Some(n)) => format!("{}:{n}", self.branch.as_deref().unwrap_or("")),
            (None, None) => String::new(),
        };
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
