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
    pub(super) catalog: Option<RawCatalog>,
    pub(super) plan: Option<RawPlan>,
    pub(super) content: Option<RawContent>,
    pub(super) ledger: Option<RawLedger>,
    pub(super) layout: Option<RawLayout>,
    pub(super) documents: Option<IndexMap<String, RawDocument>>,
    pub(super) stages: Option<Vec<RawStage>>,
    pub(super) rules: Option<Vec<RawRule>>,
    pub(super) branch_rating: Option<Vec<crate::rating::Rating>>,
    /// The holiday calendar, a year an entry; a file's entry for a year replaces it.
    pub(super) calendar: Option<IndexMap<i16, RawYear>>,
}

/// One year of the holiday calendar: days off and weekend days worked, as `MM-DD`,
/// `MM-DD~MM-DD` or full dates (`2018-12-30`), and the notice they come from.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawYear {
    pub(super) source: Option<String>,
    #[serde(default)]
    pub(super) holidays: Vec<String>,
    #[serde(default)]
    pub(super) workdays: Vec<String>,
    #[serde(skip)]
    pub(super) origin: usize,
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

/// Catalog (卷内目录) columns and the filing order.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCatalog {
    #[serde(default)]
    pub(super) title: Vec<String>,
    #[serde(default)]
    pub(super) pages: Vec<String>,
    #[serde(default)]
    pub(super) page_numbers: Vec<String>,
    #[serde(default)]
    pub(super) date: Vec<String>,
    /// Document keys in filing order (replaces).
    pub(super) order: Option<Vec<String>>,
}

/// The 年度发展计划 and 支部名单 sheets: column aliases (added to) and categories (a file
/// that sets them replaces them).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlan {
    #[serde(default)]
    pub(super) branch: Vec<String>,
    #[serde(default)]
    pub(super) year: Vec<String>,
    #[serde(default)]
    pub(super) list: Vec<String>,
    pub(super) categories: Option<Vec<RawPlanCategory>>,
}

/// `content:` — how documents' text is read (see `crate::schema::ContentSettings`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawContent {
    pub(super) ocr: Option<bool>,
    pub(super) language: Option<String>,
    pub(super) min_chars: Option<u32>,
    pub(super) min_confidence: Option<f32>,
}

/// One category of the plan: `{ key, title, aliases, by, any, not }`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlanCategory {
    pub(super) key: String,
    pub(super) title: Option<String>,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    /// everyone (default), education, ethnicity, category or sex.
    pub(super) by: Option<String>,
    #[serde(default)]
    pub(super) any: Vec<String>,
    #[serde(default)]
    pub(super) not: Vec<String>,
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
    /// The ledger milestone whose date the material bears.
    pub(super) milestone: Option<String>,
    /// The document it is filed inside (a page of the 入党志愿书).
    pub(super) part_of: Option<String>,
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

/// Layer the rule file `o` (the `origin`-th source) over what the files before it said.
pub(super) fn overlay(into: &mut RawFile, o: RawFile, origin: usize) {
    if let Some(m) = o.ruleset {
        let meta = into.ruleset.get_or_insert_with(RawMeta::default);
        replace(&mut meta.name, m.name);
        replace(&mut meta.effective, m.effective);
    }
    if let Some(d) = o.dates {
        replace(
            &mut into.dates.get_or_insert_with(RawDates::default).earliest,
            d.earliest,
        );
    }
    if let Some(ig) = o.ignore {
        let cur = into.ignore.get_or_insert_with(RawIgnore::default);
        cur.names.extend(ig.names);
        cur.prefixes.extend(ig.prefixes);
    }
    if let Some(r) = o.resume {
        let cur = into.resume.get_or_insert_with(RawResume::default);
        cur.start.extend(r.start);
        cur.end.extend(r.end);
        cur.span.extend(r.span);
        cur.description.extend(r.description);
    }
    if let Some(c) = o.catalog {
        let cur = into.catalog.get_or_insert_with(RawCatalog::default);
        cur.title.extend(c.title);
        cur.pages.extend(c.pages);
        cur.page_numbers.extend(c.page_numbers);
        cur.date.extend(c.date);
        replace(&mut cur.order, c.order);
    }
    if let Some(p) = o.plan {
        let cur = into.plan.get_or_insert_with(RawPlan::default);
        cur.branch.extend(p.branch);
        cur.year.extend(p.year);
        cur.list.extend(p.list);
        replace(&mut cur.categories, p.categories);
    }
    if let Some(c) = o.content {
        let cur = into.content.get_or_insert_with(RawContent::default);
        replace(&mut cur.ocr, c.ocr);
        replace(&mut cur.language, c.language);
        replace(&mut cur.min_chars, c.min_chars);
        replace(&mut cur.min_confidence, c.min_confidence);
    }
    if let Some(l) = o.ledger {
        let cur = into.ledger.get_or_insert_with(RawLedger::default);
        cur.not_people.extend(l.not_people);
    }
    if let Some(l) = o.layout {
        let cur = into.layout.get_or_insert_with(RawLayout::default);
        replace(&mut cur.root, l.root);
        cur.groups.extend(l.groups);
    }
    if o.branch_rating.is_some() {
        into.branch_rating = o.branch_rating;
    }
    for (year, mut y) in o.calendar.into_iter().flatten() {
        y.origin = origin;
        into.calendar
            .get_or_insert_with(IndexMap::new)
            .insert(year, y);
    }
    for (k, mut f) in o.fields.into_iter().flatten() {
        f.origin = origin;
        let cur = into.fields.get_or_insert_with(IndexMap::new);
        match cur.get_mut(&k) {
            Some(e) => e.overlay(f),
            None => drop(cur.insert(k, f)),
        }
    }
    for (k, mut d) in o.documents.into_iter().flatten() {
        d.origin = origin;
        let cur = into.documents.get_or_insert_with(IndexMap::new);
        match cur.get_mut(&k) {
            Some(e) => e.overlay(d),
            None => drop(cur.insert(k, d)),
        }
    }
    for mut st in o.stages.into_iter().flatten() {
        st.origin = origin;
        let cur = into.stages.get_or_insert_with(Vec::new);
        match cur.iter_mut().find(|e| e.key == st.key) {
            Some(e) => e.overlay(st),
            None => cur.push(st),
        }
    }
    for mut r in o.rules.into_iter().flatten() {
        r.origin = origin;
        let cur = into.rules.get_or_insert_with(Vec::new);
        match cur.iter_mut().find(|e| e.id == r.id) {
            Some(e) => e.overlay(r),
            None => cur.push(r),
        }
    }
}

/// A value an overlay sets replaces the one before.
fn replace<T>(into: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *into = value;
    }
}

impl RawField {
    fn overlay(&mut self, f: RawField) {
        replace(&mut self.title, f.title);
        replace(&mut self.kind, f.kind);
        self.aliases.extend(f.aliases);
        self.origin = f.origin;
    }
}

impl RawDocument {
    fn overlay(&mut self, d: RawDocument) {
        replace(&mut self.title, d.title);
        self.patterns.extend(d.patterns);
        self.regex.extend(d.regex);
        self.exclude.extend(d.exclude);
        replace(&mut self.milestone, d.milestone);
        replace(&mut self.part_of, d.part_of);
        self.origin = d.origin;
    }
}

impl RawStage {
    fn overlay(&mut self, s: RawStage) {
        replace(&mut self.title, s.title);
        replace(&mut self.milestone, s.milestone);
        replace(&mut self.requires, s.requires);
        self.origin = s.origin;
    }
}
