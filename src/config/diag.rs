//! Mistakes in a rule file, as diagnostics that name the file, line and column.

use miette::{Diagnostic, NamedSource, SourceSpan};

/// One mistake in a rules file, pointing at its line and column.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(dangan::rules))]
pub struct ConfigError {
    pub(super) message: String,
    #[source_code]
    pub(super) src: NamedSource<String>,
    #[label("{label}")]
    pub(super) span: SourceSpan,
    pub(super) label: String,
    #[help]
    pub(super) help: Option<String>,
}

/// Every mistake found in the rule files; the run stops with exit code 2.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("规则文件有 {} 处错误，审核未进行", .errors.len())]
pub struct ConfigErrors {
    #[related]
    pub errors: Vec<ConfigError>,
}

pub(super) struct Source {
    pub(super) name: String,
    pub(super) text: String,
}

impl Source {
    pub(super) fn error(
        &self,
        offset: usize,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ConfigError {
        let offset = offset.min(self.text.len());
        let len = self.text[offset..]
            .find('\n')
            .unwrap_or(self.text.len() - offset)
            .clamp(1, 80);
        let len = len.min(self.text.len().saturating_sub(offset));
        ConfigError {
            message,
            src: NamedSource::new(self.name.clone(), self.text.clone()),
            span: (offset, len).into(),
            label: label.to_string(),
            help,
        }
    }

    /// Byte offset of `needle` inside the block that `anchor` opens (the anchor line and the
    /// lines indented deeper than it); the anchor itself when the needle is not there.
    pub(super) fn locate(&self, anchor: &str, needle: Option<&str>) -> usize {
        let text = &self.text;
        let Some(a) = find_anchor(text, anchor) else {
            return 0;
        };
        let Some(needle) = needle else {
            return a;
        };
        let line_start = text[..a].rfind('\n').map_or(0, |i| i + 1);
        let base = leading_spaces(&text[line_start..]);
        let mut end = text.len();
        let mut pos = text[a..].find('\n').map_or(text.len(), |i| a + i + 1);
        while pos < text.len() {
            let line = &text[pos..];
            let trimmed = line.trim_start_matches(' ');
            let blank =
                trimmed.starts_with('\n') || trimmed.starts_with('\r') || trimmed.starts_with('#');
            if !blank && leading_spaces(line) <= base {
                end = pos;
                break;
            }
            pos = line.find('\n').map_or(text.len(), |i| pos + i + 1);
        }
        text[a..end].find(needle).map_or(a, |i| a + i)
    }
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `id: X` or `X:` (as a map key), at a word boundary.
fn find_anchor(text: &str, anchor: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(anchor) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + anchor.len()..].chars().next();
        let ok_before = before.is_none_or(|c| c == ' ' || c == '\n' || c == '"' || c == '\'');
        let ok_after =
            after.is_none_or(|c| matches!(c, ' ' | '\n' | '\r' | '"' | '\'' | ',' | '}' | '#'));
        if ok_before && ok_after {
            return Some(at);
        }
        from = at + anchor.len();
    }
    None
}

pub(super) fn yaml_error(src: &Source, e: &serde_yaml::Error) -> ConfigError {
    let offset = e.location().map_or(0, |l| l.index());
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let help = if msg.contains("unknown variant") {
        Some(format!(
            "可用的规则类型：{}",
            crate::rules::Kind::ALL
                .iter()
                .map(|k| k.name())
                .collect::<Vec<_>>()
                .join("、")
        ))
    } else {
        None
    };
    src.error(
        offset,
        format!("{}：YAML 有误：{msg}", src.name),
        "这里",
        help,
    )
}
