//! The rule set: the archive's vocabulary (fields, documents, stages, layout) and the rules,
//! read from YAML.
//!
//! `rules/default.yaml` is compiled into the binary; each `--rules FILE` is layered on top of
//! it. Layering is by key (a field, document or stage key; a rule id): alias lists
//! (`aliases`, `patterns`, `exclude`, the `ignore` lists and the `resume` column lists) add to
//! what is there, every other value replaces it. A mistake is a diagnostic that names the file,
//! line and column, and says which keys or values exist.
//!
//! One job a file: [`raw`] the YAML as written and its layering, [`resolve`] names to indices
//! (each rule's parameters by its kind, `crate::rules`), [`diag`] the diagnostics; the
//! resolved vocabulary is `crate::schema`, which the steps below the rules read.

mod diag;
mod raw;
mod resolve;

use std::path::Path;

use miette::NamedSource;

pub use diag::{ConfigError, ConfigErrors};
use diag::{Source, yaml_error};
use raw::{RawFile, overlay};

use crate::rating::Rating;
use crate::rules::Rule;
use crate::schema::Schema;

/// The default rule set, embedded.
pub const DEFAULT_RULES: &str = include_str!("../../rules/default.yaml");
const DEFAULT_NAME: &str = "rules/default.yaml（内置）";

/// The loaded rule set: the vocabulary, the rules and the branch rating.
#[derive(Debug)]
pub struct Config {
    pub ruleset_name: String,
    /// A hash of the rule files' texts, as loaded: the rule set a shard was audited with.
    pub fingerprint: String,
    pub effective: Option<String>,
    pub schema: Schema,
    pub rules: Vec<Rule>,
    pub ratings: Vec<Rating>,
    /// The documents' classifier, built on first use and shared by every step of a run (its
    /// automaton over every alias takes milliseconds to build: once, not once per rule).
    pub(crate) classifier: std::sync::OnceLock<crate::classify::Classifier>,
}

/// The vocabulary is read through the config everywhere above the rules.
impl std::ops::Deref for Config {
    type Target = Schema;

    fn deref(&self) -> &Schema {
        &self.schema
    }
}

impl Config {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    /// The classifier of the rule set's documents (file names to document kinds).
    pub fn classifier(&self) -> &crate::classify::Classifier {
        self.classifier
            .get_or_init(|| crate::classify::Classifier::new(&self.schema.documents))
    }
}

/// Load the embedded default rule set and layer each user file on top.
pub fn load(user_files: &[impl AsRef<Path>]) -> Result<Config, ConfigErrors> {
    let mut sources = vec![Source {
        name: DEFAULT_NAME.to_string(),
        text: DEFAULT_RULES.to_string(),
    }];
    let mut errors = Vec::new();
    for p in user_files {
        let p = p.as_ref();
        match crate::input::read_yaml(p) {
            Ok(text) => sources.push(Source {
                name: p.display().to_string(),
                text,
            }),
            Err(e) => errors.push(ConfigError {
                message: format!("无法读取规则文件 {}：{e}", p.display()),
                src: NamedSource::new(p.display().to_string(), String::new()),
                span: (0, 0).into(),
                label: String::new(),
                help: None,
            }),
        }
    }
    let mut merged = RawFile::default();
    for (i, src) in sources.iter().enumerate() {
        match serde_yaml::from_str::<Option<RawFile>>(&src.text) {
            Ok(raw) => overlay(&mut merged, raw.unwrap_or_default(), i),
            Err(e) => errors.push(yaml_error(src, &e)),
        }
    }
    if !errors.is_empty() {
        return Err(ConfigErrors { errors });
    }
    let config = resolve::resolve(merged, &sources, &mut errors);
    match config {
        Some(c) if errors.is_empty() => Ok(c),
        _ => Err(ConfigErrors { errors }),
    }
}
