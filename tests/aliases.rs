//! Every alias in rules/default.yaml does what it says, generated from the YAML: each
//! document pattern classifies a file name to its document, each field alias maps a header
//! column to its field (a group-scoped alias `组>列` under its group). And the alias table
//! itself is pinned (tests/expected/aliases.txt, rewritten by DANGAN_BLESS=1): an alias deleted
//! from the YAML — 函调 from 政审材料 — shows as a diff to review, not as silence.

mod common;

use calamine::Data;
use dangan::classify::{Classifier, Match};
use dangan::ledger::{HeaderIndex, HeaderKind};
use serde_yaml::Value;

fn yaml() -> Value {
    serde_yaml::from_str(dangan::config::DEFAULT_RULES).expect("default rules parse")
}

fn strings(v: &Value) -> Vec<String> {
    v.as_sequence()
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// (key, alias) pairs as written, in YAML order.
type Aliases = Vec<(String, String)>;

/// (document key, pattern) and (field key, alias) as written, in YAML order.
fn table() -> (Aliases, Aliases) {
    let y = yaml();
    let pairs = |section: &str, list: &str| -> Aliases {
        y[section]
            .as_mapping()
            .expect("section")
            .iter()
            .flat_map(|(k, v)| {
                let key = k.as_str().unwrap_or_default().to_string();
                strings(&v[list]).into_iter().map(move |a| (key.clone(), a))
            })
            .collect()
    };
    (pairs("documents", "patterns"), pairs("fields", "aliases"))
}

#[test]
fn every_document_pattern_classifies_to_its_document() {
    let config = dangan::config::load(&[] as &[&str]).expect("default rules");
    let docs = &config.schema.documents;
    let classifier = Classifier::new(docs);
    let (patterns, _) = table();
    let mut wrong = Vec::new();
    for (key, pattern) in &patterns {
        let d = docs.iter().position(|x| &x.key == key).expect("document");
        // As the whole name, and inside an everyday one.
        for name in [pattern.clone(), format!("03-张三{pattern}（2021年）")] {
            let ok = match classifier.matches(&name) {
                Match::One(x) => x == d,
                // The same words in two documents (考察表): a tie naming this one, which the
                // dossier's stage or folder settles.
                Match::Tie(a, b) => a == d || b == d,
                Match::None => false,
            };
            if !ok {
                wrong.push(format!(
                    "{name} → {:?}, not {key}",
                    classifier.matches(&name)
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(patterns.len() > 60, "{} patterns", patterns.len());
}

#[test]
fn every_field_alias_maps_its_column() {
    let config = dangan::config::load(&[] as &[&str]).expect("default rules");
    let schema = &config.schema;
    let idx = HeaderIndex::new(schema);
    let (_, aliases) = table();
    let s = |t: &str| Data::String(t.to_string());
    let mut wrong = Vec::new();
    for (key, alias) in &aliases {
        let f = schema.field(key).expect("field");
        // A name column and a date column make the row a ledger header; the alias sits
        // between them, under its group when it has one.
        let (top, sub) = match alias.split_once('>') {
            Some((group, column)) => (group.to_string(), column.to_string()),
            None => (alias.clone(), String::new()),
        };
        // Two date columns of other fields beside it.
        let dates: Vec<&str> = [
            "申请入党时间",
            "确定为入党积极分子时间",
            "确定为发展对象时间",
        ]
        .into_iter()
        .filter(|d| schema.fields[f].title != *d)
        .take(2)
        .collect();
        let name = if key == "name" { "序号" } else { "姓名" };
        let row0 = vec![s(name), s(&top), s(dates[0]), s(dates[1])];
        let row1 = vec![Data::Empty, s(&sub), Data::Empty, Data::Empty];
        let rows: Vec<&[Data]> = if sub.is_empty() {
            vec![&row0]
        } else {
            vec![&row0, &row1]
        };
        let got = match dangan::ledger::header_at(&rows, &idx, schema) {
            Some(HeaderKind::Ledger(h)) => h.cols.iter().find(|(c, _)| *c == 1).map(|&(_, f)| f),
            _ => None,
        };
        if got != Some(f) {
            let got = got.map(|g| schema.fields[g].key.clone());
            wrong.push(format!("{alias} → {got:?}, not {key}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(aliases.len() > 60, "{} aliases", aliases.len());
}

#[test]
fn the_alias_table_is_pinned() {
    let (patterns, aliases) = table();
    let mut text = String::from("# documents: key\tpattern\n");
    for (k, p) in &patterns {
        text.push_str(&format!("{k}\t{p}\n"));
    }
    text.push_str("# fields: key\talias\n");
    for (k, a) in &aliases {
        text.push_str(&format!("{k}\t{a}\n"));
    }
    let path = common::root().join("tests/expected/aliases.txt");
    if std::env::var_os("DANGAN_BLESS").is_some() {
        std::fs::write(&path, &text).expect("write");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .expect("tests/expected/aliases.txt; run with DANGAN_BLESS=1");
    assert_eq!(
        text, want,
        "the aliases in rules/default.yaml changed: review, then DANGAN_BLESS=1"
    );
}

#[test]
fn a_rule_set_naming_more_documents_than_a_class_holds_is_refused_at_its_line() {
    use dangan::classify::Class;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("many.yaml");
    let mut yaml = String::from("documents:\n");
    // The default rules name some documents already: these are more than enough past the limit.
    for i in 0..Class::MAX_DOCUMENTS {
        yaml.push_str(&format!("  d{i}: {{ patterns: [文书{i}] }}\n"));
    }
    std::fs::write(&path, &yaml).expect("write rules");
    let errors = dangan::config::load(&[&path]).expect_err("too many documents");
    let text = format!("{errors:?}");
    assert!(text.contains("文书种类过多"), "{text}");
}
