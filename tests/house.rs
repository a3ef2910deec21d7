//! The house: no module of src/ imports, through others, a module that imports it back (no
//! import circle), and no function there runs past 100 lines. Read from the source, so a
//! change that adds a circle or a long function fails here, not in a reviewer's head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A source file's module path: `src/ledger/read.rs` → [ledger, read]; `mod.rs` is its folder.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).expect("under src");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn sources() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    (src, files)
}

/// The code of a file: comment lines and its unit tests left out (a doc link is no import).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("source");
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module a path names: its longest prefix that is a file.
fn resolve<'a>(
    modules: &'a BTreeMap<Vec<String>, PathBuf>,
    path: &[String],
) -> Option<&'a PathBuf> {
    (1..=path.len())
        .rev()
        .find_map(|k| modules.get(&path[..k].to_vec()))
}

fn imports() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let (src, files) = sources();
    let modules: BTreeMap<Vec<String>, PathBuf> = files
        .iter()
        .map(|f| (module_of(&src, f), f.clone()))
        .collect();
    let word = regex::Regex::new(r"\b(crate::|(?:super::)+)((?:\w+::)*\w+)").expect("regex");
    let group = regex::Regex::new(r"use crate::\{([^}]*)\}").expect("regex");
    let mut graph = BTreeMap::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "lib.rs" || name == "main.rs" {
            continue;
        }
        let me = module_of(&src, f);
        let here = if name == "mod.rs" {
            me.clone()
        } else {
            me[..me.len() - 1].to_vec()
        };
        let text = code(f);
        let mut to = BTreeSet::new();
        for c in word.captures_iter(&text) {
            let head = &c[1];
            let rest: Vec<String> = c[2].split("::").map(str::to_string).collect();
            let base = if head == "crate::" {
                Vec::new()
            } else {
                let ups = head.matches("super::").count();
                here[..here.len().saturating_sub(ups)].to_vec()
            };
            let path = if head == "crate::" {
                rest
            } else {
                [base, rest].concat()
            };
            to.extend(resolve(&modules, &path).cloned());
        }
        for c in group.captures_iter(&text) {
            for part in c[1].split(',') {
                let path: Vec<String> = part.trim().split("::").map(str::to_string).collect();
                to.extend(resolve(&modules, &path).cloned());
            }
        }
        to.remove(f);
        graph.insert(f.clone(), to);
    }
    graph
}

#[test]
fn no_module_imports_itself_back() {
    let graph = imports();
    // A module is in a circle when it reaches itself: search from each.
    let mut circles = Vec::new();
    for start in graph.keys() {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&PathBuf> = graph[start].iter().collect();
        while let Some(m) = todo.pop() {
            if m == start {
                circles.push(start.clone());
                break;
            }
            if seen.insert(m) {
                todo.extend(graph.get(m).into_iter().flatten());
            }
        }
    }
    assert!(circles.is_empty(), "in an import circle: {circles:#?}");
    // The reader sees real imports (else the test passes on nothing).
    let ledger = graph
        .iter()
        .find(|(f, _)| f.ends_with("src/ledger/read.rs"))
        .expect("ledger/read.rs");
    assert!(
        ledger.1.iter().any(|t| t.ends_with("src/cache.rs")),
        "{ledger:?}"
    );
}

#[test]
fn no_function_runs_past_a_hundred_lines() {
    let (_, files) = sources();
    let start =
        regex::Regex::new(r"^(\s*)(pub(\([a-z]+\))? )?(const )?(async )?fn \w+").expect("regex");
    let mut long = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("source");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(c) = start.captures(line) else {
                continue;
            };
            if line.trim_end().ends_with(';') {
                continue;
            }
            let close = format!("{}}}", &c[1]);
            let end = lines[i + 1..]
                .iter()
                .position(|l| *l == close)
                .map_or(lines.len(), |k| i + 1 + k);
            if end - i + 1 > 100 {
                long.push(format!("{}:{} ({} lines)", f.display(), i + 1, end - i + 1));
            }
        }
    }
    assert!(long.is_empty(), "functions over 100 lines: {long:#?}");
}
