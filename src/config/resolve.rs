//! Resolution: names to indices, strings to durations and regular expressions, each rule's
//! parameters checked by its kind. Every mistake is pushed to `errors`, pointing at its file
//! and line; a rule with a mistake is left out (and the load fails).

use indexmap::IndexMap;
use jiff::civil::Date;

use super::Config;
use super::diag::{ConfigError, Source};
use super::raw::{RawCatalog, RawDocument, RawField, RawFile, RawPlan, RawRule, RawStage, RawYear};
use crate::finding::Severity;
use crate::rules::{Kind, Resolver, Rule};
use crate::schema::{
    CatalogColumns, Document, End, Field, FieldType, Keys, LayoutConfig, MilestoneRef, PlanBy,
    PlanCategory, PlanColumns, ResumeColumns, Schema, Stage,
};
use crate::text::normalize_header;

/// A header alias, normalised; `group>sub` (入党积极分子>确定时间) names a sub-column under a
/// group cell of a two- or three-row header, each part normalised on its own.
pub fn header_alias(alias: &str) -> String {
    alias
        .split('>')
        .map(normalize_header)
        .collect::<Vec<_>>()
        .join(">")
}

/// The most memory one regular expression of a rule file may compile to (and its lazy DFA
/// use): 500 patterns then stay within about 400 MB, however they are written.
const REGEX_SIZE: usize = 256 << 10;
const REGEX_DFA: usize = 512 << 10;

/// A rule file's regular expression, within [`REGEX_SIZE`].
fn user_regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE)
        .dfa_size_limit(REGEX_DFA)
        .build()
}

/// The rule set as the engine uses it, from the layered YAML.
pub(super) fn resolve(
    raw: RawFile,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> Option<Config> {
    let meta = raw.ruleset.unwrap_or_default();
    let earliest = earliest(raw.dates.and_then(|d| d.earliest), sources, errors)?;
    let fields = fields(raw.fields.unwrap_or_default(), sources, errors);
    let documents = documents(raw.documents.unwrap_or_default(), &fields, sources, errors);
    let stages = stages(
        raw.stages.unwrap_or_default(),
        &fields,
        &documents,
        sources,
        errors,
    );
    let layout = layout(raw.layout.unwrap_or_default(), sources, errors);
    let resume = raw.resume.unwrap_or_default();
    let norm = |v: Vec<String>| v.iter().map(|s| normalize_header(s)).collect::<Vec<_>>();
    let ignore = raw.ignore.unwrap_or_default();
    let catalog = catalog(raw.catalog.unwrap_or_default(), &documents, sources, errors);
    let calendar = calendar(raw.calendar.unwrap_or_default(), sources, errors);
    let plan = plan(raw.plan.unwrap_or_default(), sources, errors);
    let content = content(raw.content.unwrap_or_default(), sources, errors);
    let mut schema = Schema {
        earliest,
        ignore_names: ignore.names.iter().map(|s| s.to_lowercase()).collect(),
        ignore_prefixes: ignore.prefixes,
        fields,
        keys: Keys::default(),
        resume: ResumeColumns {
            start: norm(resume.start),
            end: norm(resume.end),
            span: norm(resume.span),
            description: norm(resume.description),
        },
        catalog,
        plan,
        not_people: raw
            .ledger
            .unwrap_or_default()
            .not_people
            .iter()
            .map(|s| crate::text::normalize(s))
            .filter(|s| !s.is_empty())
            .collect(),
        layout,
        documents,
        stages,
        calendar,
        content,
    };
    schema.keys = keys(&schema, sources, errors)?;
    let rules = rules(raw.rules.unwrap_or_default(), &schema, sources, errors);
    Some(Config {
        ruleset_name: meta.name.unwrap_or_else(|| "dangan".into()),
        fingerprint: fingerprint(sources),
        effective: meta.effective,
        schema,
        rules,
        ratings: raw.branch_rating.unwrap_or_default(),
        classifier: std::sync::OnceLock::new(),
    })
}

/// The holiday calendar: each year's days as `MM-DD`, `MM-DD~MM-DD` or a full date.
fn calendar(
    raw: IndexMap<i16, RawYear>,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> crate::calendar::Calendar {
    let mut cal = crate::calendar::Calendar::default();
    for (year, y) in raw {
        let src = &sources[y.origin];
        let days = |list: &[String], errors: &mut Vec<ConfigError>| -> Vec<Date> {
            let mut out = Vec::new();
            for item in list {
                match calendar_days(year, item) {
                    Some(d) => out.extend(d),
                    None => errors.push(src.error(
                        src.locate(&format!("{year}:"), Some(item)),
                        format!("calendar {year} 的日期「{item}」无法识别"),
                        "应为 MM-DD、MM-DD~MM-DD 或 YYYY-MM-DD",
                        None,
                    )),
                }
            }
            out
        };
        let holidays = days(&y.holidays, errors);
        let workdays = days(&y.workdays, errors);
        cal.add_year(
            year,
            &holidays,
            &workdays,
            y.source.as_deref().unwrap_or(""),
        );
    }
    cal
}

/// `02-11~02-17` in `year` → those days; `2018-12-30` as it is. At most a year's days.
fn calendar_days(year: i16, item: &str) -> Option<Vec<Date>> {
    let day = |t: &str| -> Option<Date> {
        let t = t.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let (y, m, d) = match parts.as_slice() {
            [m, d] => (year, m.parse().ok()?, d.parse().ok()?),
            [y, m, d] => (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
            _ => return None,
        };
        Date::new(y, m, d).ok()
    };
    let (a, b) = match item.split_once(['~', '～']) {
        Some((a, b)) => (day(a)?, day(b)?),
        None => (day(item)?, day(item)?),
    };
    if b < a || a.until(b).ok()?.get_days() > 366 {
        return None;
    }
    let mut out = Vec::new();
    let mut d = a;
    while d <= b {
        out.push(d);
        d = d.tomorrow().ok()?;
    }
    Some(out)
}

/// The last rule file whose text holds `text` (the one that set it), else the last file:
/// where a mistake in a merged value is pointed at.
fn naming<'a>(sources: &'a [Source], text: &str) -> &'a Source {
    let last = &sources[sources.len() - 1];
    sources
        .iter()
        .rev()
        .find(|s| s.text.contains(text))
        .unwrap_or(last)
}

/// A hash of the rule files' texts, as loaded.
fn fingerprint(sources: &[Source]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for s in sources {
        h.update(s.text.as_bytes());
        h.update(b"\0");
    }
    format!("{:032x}", h.digest128())
}

/// `dates.earliest`: no date in an archive is before it (default 1921-07-01).
fn earliest(
    text: Option<String>,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> Option<Date> {
    let text = text.unwrap_or_else(|| "1921-07-01".to_string());
    match crate::date::parse_date(&text) {
        Ok(d) => Some(d.earliest()),
        Err(_) => {
            let src = naming(sources, &text);
            errors.push(src.error(
                src.locate("earliest:", Some(&text)),
                format!("dates.earliest 不是日期：{text}"),
                "应为 YYYY-MM-DD",
                None,
            ));
            Date::new(1921, 7, 1).ok()
        }
    }
}

fn fields(
    raw: IndexMap<String, RawField>,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> Vec<Field> {
    let mut fields = Vec::new();
    for (key, f) in raw {
        let src = &sources[f.origin];
        let (Some(kind), false) = (f.kind, f.aliases.is_empty()) else {
            errors.push(src.error(
                src.locate(&format!("{key}:"), None),
                format!("字段 {key} 需要 type（text、date、range）和至少一个 aliases"),
                "新字段不完整",
                None,
            ));
            continue;
        };
        fields.push(Field {
            title: f.title.unwrap_or_else(|| f.aliases[0].clone()),
            aliases: f.aliases.iter().map(|a| header_alias(a)).collect(),
            key,
            kind,
        });
    }
    fields
}

/// The fields, stages and documents the engine refers to ([`Keys`]): `name` must be there; a
/// date key must be a date field (the mistake points at the last file that names the field).
fn keys(s: &Schema, sources: &[Source], errors: &mut Vec<ConfigError>) -> Option<Keys> {
    let before = errors.len();
    let mut field = |key: &str, date: bool| -> Option<usize> {
        let i = s.field(key)?;
        if date && s.fields[i].kind == FieldType::Text {
            let anchor = format!("{key}:");
            let src = naming(sources, &anchor);
            errors.push(src.error(
                src.locate(&anchor, None),
                format!(
                    "字段 {key} 必须是日期字段（type: date 或 range）：dangan 按它计算阶段和统计"
                ),
                "应为日期字段",
                None,
            ));
        }
        Some(i)
    };
    let Some(name) = field("name", false) else {
        let last = &sources[sources.len() - 1];
        errors.push(last.error(0, "规则集缺少字段 name（姓名列）".into(), "", None));
        return None;
    };
    let stage = |key: &str| s.stages.iter().position(|st| st.key == key);
    let keys = Keys {
        name,
        branch: field("branch", false),
        id_number: field("id_number", false),
        birth: field("birth", true),
        applied: field("applied", true),
        admitted: field("admitted", true),
        activist: field("activist", true),
        sex: field("sex", false),
        ethnicity: field("ethnicity", false),
        education: field("education", false),
        category: field("category", false),
        activist_stage: stage("activist"),
        candidate_stage: stage("candidate"),
        resume: s.documents.iter().position(|d| d.key == "resume"),
        catalog: s.documents.iter().position(|d| d.key == "catalog"),
    };
    (errors.len() == before).then_some(keys)
}

fn documents(
    raw: IndexMap<String, RawDocument>,
    fields: &[Field],
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> Vec<Document> {
    let mut documents = Vec::new();
    // (document, the key it is part of, the file that said so)
    let mut parts: Vec<(usize, String, usize)> = Vec::new();
    for (key, d) in raw {
        let src = &sources[d.origin];
        if documents.len() == crate::classify::Class::MAX_DOCUMENTS {
            errors.push(src.error(
                src.locate(&format!("{key}:"), None),
                format!(
                    "文书种类过多：最多 {} 种",
                    crate::classify::Class::MAX_DOCUMENTS
                ),
                "超出上限",
                None,
            ));
            break;
        }
        if d.patterns.is_empty() && d.regex.is_empty() {
            errors.push(src.error(
                src.locate(&format!("{key}:"), None),
                format!("文书 {key} 没有 patterns（文件名关键词）或 regex"),
                "至少一个关键词",
                None,
            ));
            continue;
        }
        let mut regex = Vec::new();
        for r in &d.regex {
            match user_regex(r) {
                Ok(re) => regex.push(re),
                Err(e) => errors.push(src.error(
                    src.locate(&format!("{key}:"), Some(r)),
                    format!("文书 {key} 的正则表达式有误：{e}"),
                    "无法编译",
                    Some("按文件名（去掉扩展名、全角转半角、小写）匹配，如 ^\\d{4}-自传$".into()),
                )),
            }
        }
        let norm = |v: &[String]| {
            v.iter()
                .map(|p| crate::text::normalize(p).to_lowercase())
                .collect()
        };
        let milestone = d.milestone.as_deref().and_then(|m| {
            let found = milestone_ref(fields, m);
            if found.is_none() {
                errors.push(src.error(
                    src.locate(&format!("{key}:"), Some(m)),
                    format!("文书 {key} 的 milestone「{m}」不是日期字段"),
                    "未知字段",
                    Some(format!(
                        "可用的日期字段：{}（区间字段可写 .start / .end）",
                        date_field_names(fields)
                    )),
                ));
            }
            found
        });
        if let Some(whole) = d.part_of {
            parts.push((documents.len(), whole, d.origin));
        }
        documents.push(Document {
            milestone,
            part_of: None,
            title: d
                .title
                .or_else(|| d.patterns.first().cloned())
                .unwrap_or_else(|| key.clone()),
            regex,
            patterns: norm(&d.patterns),
            exclude: norm(&d.exclude),
            key,
        });
    }
    part_of(&mut documents, parts, sources, errors);
    documents
}

/// `part_of`: a document filed inside another (a page of the 入党志愿书 filed alone) is
/// catalogued and counted as that one (one step: the whole is not looked up in turn).
fn part_of(
    documents: &mut [Document],
    parts: Vec<(usize, String, usize)>,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) {
    for (doc, whole, origin) in parts {
        let found = documents
            .iter()
            .position(|d| d.key == whole)
            .filter(|&w| w != doc);
        match found {
            Some(w) => documents[doc].part_of = Some(w),
            None => {
                let src = &sources[origin];
                let key = &documents[doc].key;
                errors.push(src.error(
                    src.locate(&format!("{key}:"), Some(&whole)),
                    format!("文书 {key} 的 part_of「{whole}」不是另一份文书"),
                    "未知文书",
                    None,
                ));
            }
        }
    }
}

/// `applied`, `trained.end`: a date field, and which end of a range.
fn milestone_ref(fields: &[Field], name: &str) -> Option<MilestoneRef> {
    let (base, end) = match name.split_once('.') {
        Some((b, "start")) => (b, End::Start),
        Some((b, "end")) => (b, End::End),
        _ => (name, End::Start),
    };
    let field = fields
        .iter()
        .position(|f| f.key == base && f.kind != FieldType::Text)?;
    Some(MilestoneRef { field, end })
}

fn date_field_names(fields: &[Field]) -> String {
    fields
        .iter()
        .filter(|f| f.kind != FieldType::Text)
        .map(|f| f.key.as_str())
        .collect::<Vec<_>>()
        .join("、")
}

/// `content`: the defaults of `ContentSettings` where a key is not given.
fn content(
    raw: super::raw::RawContent,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> crate::schema::ContentSettings {
    let d = crate::schema::ContentSettings::default();
    let min_confidence = raw.min_confidence.unwrap_or(d.min_confidence);
    if !(0.0..=100.0).contains(&min_confidence) {
        let src = naming(sources, "min_confidence:");
        errors.push(src.error(
            src.locate("min_confidence:", None),
            format!("content.min_confidence 应在 0 到 100 之间，而不是 {min_confidence}"),
            "OCR 置信度超出范围",
            None,
        ));
    }
    crate::schema::ContentSettings {
        ocr: raw.ocr.unwrap_or(d.ocr),
        language: raw.language.unwrap_or(d.language),
        min_chars: raw.min_chars.unwrap_or(d.min_chars),
        min_confidence,
    }
}

/// `plan`: the column aliases, normalised, and the categories with whom they count.
fn plan(raw: RawPlan, sources: &[Source], errors: &mut Vec<ConfigError>) -> PlanColumns {
    let norm = |v: &[String]| v.iter().map(|s| normalize_header(s)).collect::<Vec<_>>();
    let mut categories = Vec::new();
    for c in raw.categories.unwrap_or_default() {
        let by = match c.by.as_deref().unwrap_or("everyone") {
            "everyone" => PlanBy::Everyone,
            "education" => PlanBy::Education,
            "ethnicity" => PlanBy::Ethnicity,
            "category" => PlanBy::Category,
            "sex" => PlanBy::Sex,
            other => {
                let src = naming(sources, other);
                errors.push(src.error(
                    src.locate("by:", Some(other)),
                    format!("plan.categories 中「{}」的 by 不能是「{other}」", c.key),
                    "未知的统计口径",
                    Some("可用的口径：everyone、education、ethnicity、category、sex".into()),
                ));
                continue;
            }
        };
        categories.push(PlanCategory {
            title: c.title.unwrap_or_else(|| c.key.clone()),
            aliases: norm(&c.aliases),
            key: c.key,
            by,
            any: c.any,
            not: c.not,
        });
    }
    PlanColumns {
        branch: norm(&raw.branch),
        year: norm(&raw.year),
        categories,
        list: norm(&raw.list),
    }
}

/// `catalog`: the column aliases, normalised, and the filing order.
fn catalog(
    raw: RawCatalog,
    documents: &[Document],
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> CatalogColumns {
    let norm = |v: Vec<String>| v.iter().map(|s| normalize_header(s)).collect::<Vec<_>>();
    let mut order = Vec::new();
    for key in raw.order.unwrap_or_default() {
        match documents.iter().position(|d| d.key == key) {
            Some(i) if !order.contains(&i) => order.push(i),
            Some(_) => {}
            None => {
                let src = naming(sources, &key);
                errors.push(src.error(
                    src.locate("order:", Some(&key)),
                    format!("catalog.order 中的文书「{key}」不存在"),
                    "未知文书",
                    Some(format!(
                        "可用的文书：{}",
                        documents
                            .iter()
                            .map(|d| d.key.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    )),
                ));
            }
        }
    }
    CatalogColumns {
        title: norm(raw.title),
        pages: norm(raw.pages),
        page_numbers: norm(raw.page_numbers),
        date: norm(raw.date),
        order,
    }
}

fn stages(
    raw: Vec<RawStage>,
    fields: &[Field],
    documents: &[Document],
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> Vec<Stage> {
    let doc_names = || {
        documents
            .iter()
            .map(|d| d.key.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut stages = Vec::new();
    for s in raw {
        let src = &sources[s.origin];
        let anchor = format!("key: {}", s.key);
        let Some(m) = s.milestone.as_deref() else {
            errors.push(src.error(
                src.locate(&anchor, None),
                format!("阶段 {} 缺少 milestone", s.key),
                "",
                None,
            ));
            continue;
        };
        let milestone = fields
            .iter()
            .position(|f| f.key == m)
            .filter(|&i| fields[i].kind != FieldType::Text);
        let Some(milestone) = milestone else {
            errors.push(src.error(
                src.locate(&anchor, Some(m)),
                format!("阶段 {} 的 milestone「{m}」不是日期字段", s.key),
                "未知字段",
                Some(format!("可用的日期字段：{}", date_field_names(fields))),
            ));
            continue;
        };
        let mut requires = Vec::new();
        for d in s.requires.unwrap_or_default() {
            match documents.iter().position(|x| x.key == d) {
                Some(i) => requires.push(i),
                None => errors.push(src.error(
                    src.locate(&anchor, Some(&d)),
                    format!("阶段 {} 要求的文书「{d}」不存在", s.key),
                    "未知文书",
                    Some(format!("可用的文书：{}", doc_names())),
                )),
            }
        }
        stages.push(Stage {
            title: s.title.unwrap_or_else(|| s.key.clone()),
            key: s.key,
            milestone,
            requires,
        });
    }
    stages
}

/// Each rule: the common keys here, the parameters by its kind (see `crate::rules::kind`).
fn rules(
    raw: Vec<RawRule>,
    schema: &Schema,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> Vec<Rule> {
    let mut rules = Vec::new();
    for r in raw {
        let src = &sources[r.origin];
        let anchor = format!("id: {}", r.id);
        let at = |needle: Option<&str>| src.locate(&anchor, needle);
        let Some(kind) = r.kind.map(|k| k.0) else {
            errors.push(src.error(
                at(None),
                format!("规则 {} 没有 kind，也不是对已有规则的修改", r.id),
                "缺少 kind",
                Some(format!(
                    "可用的规则类型：{}",
                    Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join("、")
                )),
            ));
            continue;
        };
        let mut resolver = Resolver::new(schema, &r.id);
        let params = kind.resolve(r.params, &mut resolver);
        let (Some(message), Some(basis)) = (r.message, r.basis) else {
            errors.push(src.error(
                at(None),
                format!("规则 {} 需要 message 和 basis", r.id),
                "",
                None,
            ));
            continue;
        };
        let failed = !resolver.errors.is_empty();
        for e in resolver.errors {
            errors.push(src.error(at(e.needle.as_deref()), e.message, e.label, e.help));
        }
        let Some(params) = params.filter(|_| !failed) else {
            continue;
        };
        rules.push(Rule {
            id: r.id,
            enabled: r.enabled.unwrap_or(true),
            severity: r.severity.unwrap_or(Severity::Error),
            message,
            basis,
            description: r.description,
            example: r.example,
            params,
            origin: src.name.clone(),
        });
    }
    rules
}

fn layout(
    raw: super::raw::RawLayout,
    sources: &[Source],
    errors: &mut Vec<ConfigError>,
) -> LayoutConfig {
    let mut layout = LayoutConfig {
        root: raw.root.unwrap_or_default(),
        groups: Vec::new(),
    };
    for g in &raw.groups {
        match user_regex(g) {
            Ok(re) => layout.groups.push(re),
            Err(e) => {
                let src = naming(sources, g);
                errors.push(src.error(
                    src.locate("groups:", Some(g)),
                    format!("layout.groups 的正则表达式有误：{e}"),
                    "无法编译",
                    Some("按整个文件夹名匹配，如 ^\\d{4}年$".into()),
                ));
            }
        }
    }
    layout
}
