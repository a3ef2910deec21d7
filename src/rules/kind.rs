//! What a rule kind is, and what a rule is.
//!
//! A kind is one type implementing [`RuleKind`], in its own file under `src/rules/`: its name
//! in YAML, its documentation, its check, and its parameters — a type implementing
//! [`Parameters`], which says how they are written (a serde struct that refuses unknown keys)
//! and resolved against the [`Schema`]; `()` for a kind that takes none. The registry in
//! `src/rules/mod.rs` lists the kinds, one line each, and generates from that list the
//! [`Kind`](super::Kind) enum, the resolved [`Params`](super::Params) and the dispatch; a
//! registry line without its file does not compile, and a kind left out of it cannot be named
//! by the default rules (they fail to load).

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::date::Duration;
use crate::finding::{Finding, Severity};
use crate::schema::{End, FieldType, MilestoneRef, Schema};

use super::{Context, Kind, Params};

/// One kind of rule.
pub trait RuleKind {
    /// The kind's name in YAML (`kind: interval`).
    const NAME: &'static str;
    /// What it checks, which parameters it takes and which message variables it offers
    /// (Chinese); printed by `dangan explain`.
    const DOC: &'static str;
    /// Its findings are weighed after the audit, by `crate::triage` (the waiver kinds): its
    /// `check` is never called.
    const AFTER_AUDIT: bool = false;
    /// Its parameters, resolved; `()` for a kind that takes none.
    type Params: Parameters;

    /// Append this rule's findings to `out`.
    fn check(ctx: &Context<'_>, rule: &Rule, params: &Self::Params, out: &mut Vec<Finding>);
}

/// A kind's parameters: as written, and their resolution against the schema.
pub trait Parameters: Sized + std::fmt::Debug + Send + Sync {
    /// The parameters as written: a serde struct with `deny_unknown_fields`, every field
    /// optional (an overlay may change one key of a rule).
    type Raw: DeserializeOwned;

    /// Check the parameters against the schema. Every mistake is reported through
    /// [`Resolver::error`] (or one of its lookups); None drops the rule.
    fn resolve(raw: Self::Raw, r: &mut Resolver<'_>) -> Option<Self>;

    /// The ledger columns the rule reads: where the ledgers lack them it stays silent, and
    /// `dangan survey` says so (empty: the rule reads no ledger column, or only optional ones).
    fn needs(&self) -> Vec<Need> {
        Vec::new()
    }

    /// What the rule reads in documents' text: which documents, and the phrases it looks for
    /// (a content rule; empty for every other).
    fn reads(&self) -> Reads {
        Reads::default()
    }
}

/// The documents whose text a rule reads, and the phrases it looks for in them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reads {
    pub documents: Vec<usize>,
    pub phrases: Vec<String>,
}

/// Ledger columns a rule cannot run without.
#[derive(Debug, Clone, PartialEq)]
pub enum Need {
    /// This field's column.
    Column(usize),
    /// At least `n` of these fields' columns (a chain needs two dates to compare).
    AtLeast(usize, Vec<usize>),
    /// Any one of these needs (a rule over several chains runs where one chain can).
    AnyOf(Vec<Need>),
}

impl Need {
    /// The column of the milestone's field.
    pub fn milestone(m: MilestoneRef) -> Need {
        Need::Column(m.field)
    }

    /// Why the columns that `present` says the ledgers have do not meet this need, in
    /// Chinese; None when they do.
    pub fn unmet(&self, schema: &Schema, present: &dyn Fn(usize) -> bool) -> Option<String> {
        let title = |f: usize| format!("「{}」", schema.fields[f].title);
        match self {
            Need::Column(f) => (!present(*f)).then(|| format!("台账没有{}列", title(*f))),
            Need::AtLeast(n, fields) => {
                let have = fields.iter().filter(|&&f| present(f)).count();
                (have < *n).then(|| {
                    let all: String = fields.iter().map(|&f| title(f)).collect();
                    if *n == fields.len() {
                        let absent = fields.iter().filter(|&&f| !present(f));
                        format!(
                            "台账没有{}列",
                            absent.map(|&f| title(f)).collect::<String>()
                        )
                    } else if *n == 1 {
                        format!("台账没有{all}中的任何一列")
                    } else {
                        format!("{all}中至少需要 {n} 列，台账有 {have} 列")
                    }
                })
            }
            Need::AnyOf(needs) => {
                let why: Vec<String> = needs
                    .iter()
                    .map(|n| n.unmet(schema, present))
                    .collect::<Option<_>>()?;
                Some(why.join("；"))
            }
        }
    }
}

/// The parameters of a kind that takes none: any key is refused.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

impl Parameters for () {
    type Raw = NoParams;

    fn resolve(_: NoParams, _: &mut Resolver<'_>) -> Option<()> {
        Some(())
    }
}

/// A rule: a kind plus its id, severity, message, basis and resolved parameters.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub enabled: bool,
    pub severity: Severity,
    pub message: String,
    pub basis: String,
    pub description: Option<String>,
    pub example: Option<String>,
    pub params: Params,
    /// Which file defined or last changed it.
    pub origin: String,
}

impl Rule {
    pub fn kind(&self) -> Kind {
        self.params.kind()
    }

    /// A finding of this rule with its message rendered from `vars`, about nothing yet: the
    /// one way a finding is made (the caller says whom and where it is about).
    pub fn finding(&self, vars: &[(&str, &str)]) -> Finding {
        Finding {
            rule: self.id.clone(),
            severity: self.severity,
            branch: None,
            dossier: None,
            name: None,
            subject: None,
            file: None,
            message: crate::text::render(&self.message, vars),
            basis: self.basis.clone(),
            location: None,
            waived: None,
            rule_order: 0,
            person: None,
        }
    }
}

/// A mistake in a rule's parameters: `needle` is the text to point at inside the rule's block
/// (None: the rule's `id:` line). The loader turns it into a diagnostic with file and line.
#[derive(Debug)]
pub struct ParamError {
    pub needle: Option<String>,
    pub message: String,
    pub label: &'static str,
    pub help: Option<String>,
}

/// What a kind's `resolve` may look up, and where it reports mistakes.
pub struct Resolver<'a> {
    pub schema: &'a Schema,
    /// The rule's id, for messages.
    pub id: &'a str,
    pub errors: Vec<ParamError>,
}

impl<'a> Resolver<'a> {
    pub fn new(schema: &'a Schema, id: &'a str) -> Self {
        Resolver {
            schema,
            id,
            errors: Vec::new(),
        }
    }

    pub fn error(
        &mut self,
        needle: Option<&str>,
        message: String,
        label: &'static str,
        help: Option<String>,
    ) {
        self.errors.push(ParamError {
            needle: needle.map(str::to_string),
            message,
            label,
            help,
        });
    }

    /// `trained.end` → the field and its end; a mistake names the date fields there are.
    pub fn milestone(&mut self, name: &str) -> Option<MilestoneRef> {
        let (base, end) = match name.split_once('.') {
            Some((b, "start")) => (b, End::Start),
            Some((b, "end")) => (b, End::End),
            _ => (name, End::Start),
        };
        let s = self.schema;
        match s
            .field(base)
            .filter(|&i| s.fields[i].kind != FieldType::Text)
        {
            Some(field) => Some(MilestoneRef { field, end }),
            None => {
                let message = format!("规则 {} 引用的时间字段「{name}」不存在", self.id);
                let help = format!(
                    "可用的日期字段：{}（区间字段可写 .start / .end）",
                    date_fields(s)
                );
                self.error(Some(name), message, "未知字段", Some(help));
                None
            }
        }
    }

    /// A text field by key; a mistake names the text fields there are.
    pub fn text_field(&mut self, key: &str) -> Option<usize> {
        let s = self.schema;
        match s
            .field(key)
            .filter(|&i| s.fields[i].kind == FieldType::Text)
        {
            Some(i) => Some(i),
            None => {
                let texts: Vec<&str> = s
                    .fields
                    .iter()
                    .filter(|f| f.kind == FieldType::Text)
                    .map(|f| f.key.as_str())
                    .collect();
                let message = format!("规则 {} 引用的文本字段「{key}」不存在", self.id);
                let help = format!("可用的文本字段：{}", texts.join("、"));
                self.error(Some(key), message, "未知字段", Some(help));
                None
            }
        }
    }

    /// The duration under `key` (`1 year`, `3个月`).
    pub fn duration(&mut self, key: &str, text: &str) -> Option<Duration> {
        let d = Duration::parse(text);
        if d.is_none() {
            let message = format!("规则 {} 的 {key}「{text}」不是时长", self.id);
            let help = "写作 1 year、3 months、18 years、5 days，或 1年、3个月".to_string();
            self.error(
                Some(&format!("{key}:")),
                message,
                "无法识别的时长",
                Some(help),
            );
        }
        d
    }

    /// A document's index by key.
    pub fn document(&mut self, key: &str) -> Option<usize> {
        let s = self.schema;
        let i = s.documents.iter().position(|d| d.key == key);
        if i.is_none() {
            let keys: Vec<&str> = s.documents.iter().map(|d| d.key.as_str()).collect();
            let message = format!("规则 {} 的文书「{key}」不存在", self.id);
            let help = format!("可用的文书：{}", keys.join("、"));
            self.error(Some(key), message, "未知文书", Some(help));
        }
        i
    }

    /// A stage's index by key.
    pub fn stage(&mut self, key: &str) -> Option<usize> {
        let s = self.schema;
        let i = s.stages.iter().position(|st| st.key == key);
        if i.is_none() {
            let keys: Vec<&str> = s.stages.iter().map(|st| st.key.as_str()).collect();
            let message = format!("规则 {} 的阶段「{key}」不存在", self.id);
            let help = format!("可用的阶段：{}", keys.join("、"));
            self.error(Some(key), message, "未知阶段", Some(help));
        }
        i
    }
}

/// The date fields of a schema, for a help line.
pub fn date_fields(s: &Schema) -> String {
    s.fields
        .iter()
        .filter(|f| f.kind != FieldType::Text)
        .map(|f| f.key.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// Read a kind's parameters from the keys a rule has beyond the common ones. An unknown key
/// is a mistake pointing at it, naming the keys the kind takes.
pub fn read_params<K: RuleKind>(
    params: serde_yaml::Mapping,
    r: &mut Resolver<'_>,
) -> Option<RawOf<K>> {
    match serde_yaml::from_value::<RawOf<K>>(serde_yaml::Value::Mapping(params)) {
        Ok(raw) => Some(raw),
        Err(e) => {
            let text = e.to_string();
            let takes = field_names::<RawOf<K>>();
            match unknown_field(&text) {
                Some(key) => {
                    let help = if takes.is_empty() {
                        "该类型没有参数".to_string()
                    } else {
                        format!("{} 类型可用的参数：{}", K::NAME, takes.join("、"))
                    };
                    let message = format!("规则 {} 的类型 {} 不接受参数 {key}", r.id, K::NAME);
                    r.error(Some(&format!("{key}:")), message, "多余的参数", Some(help));
                }
                None => {
                    let message = format!("规则 {} 的参数有误：{text}", r.id);
                    r.error(None, message, "", None);
                }
            }
            None
        }
    }
}

/// A kind's parameters as written.
type RawOf<K> = <<K as RuleKind>::Params as Parameters>::Raw;

/// `unknown field `x`, expected …` → `x`.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

/// The keys a serde struct takes, asked of its `Deserialize` impl (the list serde passes to
/// `deserialize_struct`): the documentation and the errors cannot drift from the struct.
pub fn field_names<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(FieldCapture(&mut fields));
    fields
}

struct FieldCapture<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for FieldCapture<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("field capture"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field capture"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Two {
        alpha: Option<u32>,
        beta: Option<String>,
    }

    #[test]
    fn a_structs_keys_are_read_from_its_deserialize_impl() {
        assert_eq!(field_names::<Two>(), ["alpha", "beta"]);
        assert!(field_names::<NoParams>().is_empty());
    }

    #[test]
    fn the_unknown_key_is_taken_from_serdes_message() {
        assert_eq!(
            unknown_field("unknown field `max_gapp`, expected one of `max_gap`"),
            Some("max_gapp")
        );
        assert_eq!(unknown_field("invalid type: string"), None);
    }
}
