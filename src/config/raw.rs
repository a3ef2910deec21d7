//! The YAML as written, and the layering of rule files. Every value is optional so that an
//! overlay can say only what it changes: alias lists add to what is there, every other value
//! replaces it.

use indexmap::IndexMap;
use serde::Deserialize;

use crate::finding::Severity;
use crate::rules::Kind;
use crate::schema::{FieldType, RootKind};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFile {
    pub(super) ruleset: Option<RawMeta>,
    pub(super) dates: Option<RawDates>,
    pub(super) ignore: Option<RawIgnore>,
    pub(super) fields: Option<IndexMap<String, RawField>>,
    pub(super) resume: Option<RawResume>,
    pub(super) ledger: Option<RawLedger>,
    pub(super) layout: Option<RawLayout>,
    pub(super) documents: Option<IndexMap<String, RawDocument>>,
    pub(super) stages: Option<Vec<RawStage>>,
    pub(super) rules: Option<Vec<RawRule>>,
    pub(super) branch_rating: Option<Vec<crate::rating::Rating>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) name: Option<String>,
    pub(super) effective: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDates {
    pub(super) earliest: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIgnore {
    #[serde(default)]
    pub(super) names: Vec<String>,
    #[serde(default)]
    pub(super) prefixes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawField {
    pub(super) title: Option<String>,
    #[serde(rename = "type")]
    pub(super) kind: Option<FieldType>,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    #[serde(skip)]
    pub(super) origin: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResume {
    #[serde(default)]
    pub(super) start: Vec<String>,
    #[serde(default)]
    pub(super) end: Vec<String>,
    #[serde(default)]
    pub(super) span: Vec<String>,
    #[serde(default)]
    pub(super) description: Vec<String>,
}

/// How the archive's folders are laid out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLayout {
    pub(super) root: Option<RootKind>,
    /// Regular expressions over a whole folder name: grouping folders (years, batches, stages).
    #[serde(default)]
    pub(super) groups: Vec<String>,
}

/// How ledger sheets are read beyond their columns.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLedger {
    /// Rows that are not people: their first cell or their name starts with one of these.
    #[serde(default)]
    pub(super) not_people: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDocument {
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) patterns: Vec<String>,
    #[serde(default)]
    pub(super) regex: Vec<String>,
    #[serde(default)]
    pub(super) exclude: Vec<String>,
    #[serde(skip)]
    pub(super) origin: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStage {
    pub(super) key: String,
    pub(super) title: Option<String>,
    pub(super) milestone: Option<String>,
    pub(super) requires: Option<Vec<String>>,
    #[serde(skip)]
    pub(super) origin: usize,
}

/// A rule as written: the common keys, and the kind's parameters as a map (each kind reads
/// them with its own serde struct, which refuses a key it does not take). Read key by key
/// from the YAML itself, so that a mistake in a common key points at its line.
#[derive(Debug, Default)]
pub(super) struct RawRule {
    pub id: String,
    pub kind: Option<KindName>,
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub message: Option<String>,
    pub basis: Option<String>,
    pub description: Option<String>,
    pub example: Option<String>,
    pub params: serde_yaml::Mapping,
    pub origin: usize,
}

impl<'de> Deserialize<'de> for RawRule {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields;
        impl<'de> serde::de::Visitor<'de> for Fields {
            type Value = RawRule;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rule (id, kind, message, basis, …)")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<RawRule, A::Error> {
                let mut r = RawRule::default();
                let mut id = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "id" => id = Some(map.next_value()?),
                        "kind" => r.kind = map.next_value()?,
                        "enabled" => r.enabled = map.next_value()?,
                        "severity" => r.severity = map.next_value()?,
                        "message" => r.message = map.next_value()?,
                        "basis" => r.basis = map.next_value()?,
                        "description" => r.description = map.next_value()?,
                        "example" => r.example = map.next_value()?,
                        _ => {
                            let value: serde_yaml::Value = map.next_value()?;
                            r.params.insert(serde_yaml::Value::String(key), value);
                        }
                    }
                }
                r.id = id.ok_or_else(|| serde::de::Error::missing_field("id"))?;
                Ok(r)
            }
        }
        d.deserialize_map(Fields)
    }
}

/// A kind named in YAML: one of the registry's names (an unknown one is a YAML error at its
/// place, listing the kinds).
#[derive(Debug, Clone, Copy)]
pub(super) struct KindName(pub Kind);

impl<'de> Deserialize<'de> for KindName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The name is checked inside the visitor, so that a mistake carries the scalar's place.
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = KindName;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rule kind")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<KindName, E> {
                Kind::from_name(name).map(KindName).ok_or_else(|| {
                    let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                    E::custom(format!(
                        "unknown variant `{name}`, expected one of {}",
                        names.join(", ")
                    ))
                })
            }
        }
        d.deserialize_str(Name)
    }
}

impl RawRule {
    /// Layer `o` over this rule: every key `o` sets replaces this one's.
    fn overlay(&mut self, o: RawRule) {
        macro_rules! take {
            ($($f:ident),*) => { $( if o.$f.is_some() { self.$f = o.$f; } )* };
        }
        take!(
            kind,
            enabled,
            severity,
            message,
            basis,
            description,
            example
        );
        for (k, v) in o.params {
            self.params.insert(k, v);
        }
        self.origin = o.origin;
    }
}

pub(super) fn overlay(into: &mut RawFile, o: RawFile, origin: usize) {
    if let Some(m) = o.ruleset {
        let meta = into.ruleset.get_or_insert_with(RawMeta::default);
        if m.name.is_some() {
            meta.name = m.name;
        }
        if m.effective.is_some() {
            meta.effective = m.effective;
        }
    }
    if let Some(d) = o.dates
        && d.earliest.is_some()
    {
        into.dates.get_or_insert_with(RawDates::default).earliest = d.earliest;
    }
    if let Some(ig) = o.ignore {
        let cur = into.ignore.get_or_insert_with(RawIgnore::default);
        cur.names.extend(ig.names);
        cur.prefixes.extend(ig.prefixes);
    }
    if let Some(fields) = o.fields {
        let cur = into.fields.get_or_insert_with(IndexMap::new);
        for (k, mut f) in fields {
            f.origin = origin;
            match cur.get_mut(&k) {
                Some(e) => {
                    if f.title.is_some() {
                        e.title = f.title;
                    }
                    if f.kind.is_some() {
                        e.kind = f.kind;
                    }
                    e.aliases.extend(f.aliases);
                    e.origin = origin;
                }
                None => {
                    cur.insert(k, f);
                }
            }
        }
    }
    if let Some(r) = o.resume {
        let cur = into.resume.get_or_insert_with(RawResume::default);
        cur.start.extend(r.start);
        cur.end.extend(r.end);
        cur.span.extend(r.span);
        cur.description.extend(r.description);
    }
    if let Some(l) = o.ledger {
        let cur = into.ledger.get_or_insert_with(RawLedger::default);
        cur.not_people.extend(l.not_people);
    }
    if let Some(l) = o.layout {
        let cur = into.layout.get_or_insert_with(RawLayout::default);
        if l.root.is_some() {
            cur.root = l.root;
        }
        cur.groups.extend(l.groups);
    }
    if let Some(docs) = o.documents {
        let cur = into.documents.get_or_insert_with(IndexMap::new);
        for (k, mut d) in docs {
            d.origin = origin;
            match cur.get_mut(&k) {
                Some(e) => {
                    if d.title.is_some() {
                        e.title = d.title;
                    }
                    e.patterns.extend(d.patterns);
                    e.regex.extend(d.regex);
                    e.exclude.extend(d.exclude);
                    e.origin = origin;
                }
                None => {
                    cur.insert(k, d);
                }
            }
        }
    }
    if let Some(stages) = o.stages {
        let cur = into.stages.get_or_insert_with(Vec::new);
        for mut s in stages {
            s.origin = origin;
            match cur.iter_mut().find(|e| e.key == s.key) {
                Some(e) => {
                    if s.title.is_some() {
                        e.title = s.title;
                    }
                    if s.milestone.is_some() {
                        e.milestone = s.milestone;
                    }
                    if s.requires.is_some() {
                        e.requires = s.requires;
                    }
                    e.origin = origin;
                }
                None => cur.push(s),
            }
        }
    }
    if o.branch_rating.is_some() {
        into.branch_rating = o.branch_rating;
    }
    if let Some(rules) = o.rules {
        let cur = into.rules.get_or_insert_with(Vec::new);
        for mut r in rules {
            r.origin = origin;
            match cur.iter_mut().find(|e| e.id == r.id) {
                Some(e) => e.overlay(r),
                None => cur.push(r),
            }
        }
    }
}
