//! The result cache: a re-audit of unchanged files reads none of them and says exactly what a
//! run without the cache says; a changed file is read again, and only it.

mod common;

use std::path::{Path, PathBuf};

use common::*;

/// Files modified less than this before a run are not cached (src/walk.rs `RACY`, 3 s): the
/// copies the tests make are left to settle this long first.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(3100);

struct Run {
    code: i32,
    json: String,
    stderr: String,
    inspected: usize,
    hashed: usize,
    /// Workbooks opened (not replayed from the cache).
    books: usize,
    /// Documents opened for their text (their readings not taken from the cache).
    documents: usize,
}

fn audit(archive: &Path, cache: Option<&Path>, extra: &[&str]) -> Run {
    let mut c = dangan();
    c.arg("audit")
        .arg(archive)
        .args(["--as-of", AS_OF, "--format", "json", "--fail-on", "never"])
        .args(extra)
        .env("DANGAN_TIMINGS", "1");
    match cache {
        Some(dir) => c.arg("--cache-dir").arg(dir),
        None => c.arg("--no-cache"),
    };
    let out = c.output().expect("dangan runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let counts = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: 读取文件：检查 "))
        .unwrap_or_else(|| panic!("no read counts in: {stderr}"));
    let (inspected, rest) = counts.split_once(" 个，散列 ").expect("counts");
    let books = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: 读取表格："))
        .and_then(|n| n.trim_end_matches(" 个").parse().ok())
        .unwrap_or_else(|| panic!("no workbook count in: {stderr}"));
    let documents = stderr
        .lines()
        .find_map(|l| l.strip_prefix("timing: 读取文书："))
        .and_then(|n| n.trim_end_matches(" 个").parse().ok())
        .unwrap_or(0);
    let inspected = inspected.parse().expect("number");
    let hashed = rest.trim_end_matches(" 个").parse().expect("number");
    Run {
        code: out.status.code().unwrap_or(-1),
        json: String::from_utf8(out.stdout).expect("utf-8"),
        stderr,
        inspected,
        hashed,
        books,
        documents,
    }
}

fn files_in(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .count()
}

/// The files `unreadable-file` names.
fn unreadable(json: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(json).expect("JSON");
    findings(&json)
        .iter()
        .filter(|f| f["rule"] == "unreadable-file")
        .map(|f| f["file"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Reports compared without printing them whole when they differ.
#[track_caller]
fn same(a: &str, b: &str, what: &str) {
    if a != b {
        let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
        let near = |s: &str| {
            s.get(at.saturating_sub(200)..(at + 200).min(s.len()))
                .unwrap_or("")
                .to_string()
        };
        panic!(
            "{what}: reports differ near byte {at}:\n{}\n----\n{}",
            near(a),
            near(b)
        );
    }
}

/// A copy of fixtures, settled (older than the cache's racy window).
fn settled_copy(names: &[&str]) -> (tempfile::TempDir, Vec<PathBuf>) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dirs: Vec<PathBuf> = names
        .iter()
        .map(|n| {
            let to = tmp.path().join(n);
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_tree(&fixture(n), &to);
            to
        })
        .collect();
    std::thread::sleep(SETTLE);
    (tmp, dirs)
}

#[test]
fn a_warm_cache_reads_no_file_and_gives_byte_identical_json() {
    let names = [
        "demo",
        "defects",
        "clean",
        "catalogs",
        "scans",
        "rosters",
        "rosters-ods",
        "round3",
        "content",
        "content-scans",
        "folders",
        "no-ledger",
        "layouts/branch-alone",
        "layouts/combined-alone",
        "layouts/groups-below",
        "layouts/scan-batches",
        "layouts/unlisted-group",
        "layouts/years-above",
    ];
    let (tmp, dirs) = settled_copy(&names);
    let cache = tmp.path().join("cache");
    for (name, dir) in names.iter().zip(&dirs) {
        let none = audit(dir, None, &[]);
        let cold = audit(dir, Some(&cache), &[]);
        let warm = audit(dir, Some(&cache), &[]);
        same(&cold.json, &none.json, &format!("{name}: a cold cache"));
        same(&warm.json, &none.json, &format!("{name}: a warm cache"));
        assert_eq!(warm.code, none.code, "{name}");
        assert!(none.inspected > 0, "{name}");
        assert_eq!(
            cold.inspected, none.inspected,
            "{name}: every file read once"
        );
        assert_eq!(cold.books, none.books, "{name}");
        assert_eq!(cold.documents, none.documents, "{name}");
        assert_eq!(
            (warm.inspected, warm.hashed, warm.books, warm.documents),
            (0, 0, 0, 0),
            "{name}: the warm run read files"
        );
    }
    // A shard keeps a cache of its own, and its fingerprints (every file's hash) come from it.
    let demo = &dirs[0];
    let none = audit(demo, None, &["--shard", "0/2"]);
    let cold = audit(demo, Some(&cache), &["--shard", "0/2"]);
    let warm = audit(demo, Some(&cache), &["--shard", "0/2"]);
    assert!(cold.hashed > 0);
    assert_eq!((warm.inspected, warm.hashed), (0, 0));
    same(&warm.json, &none.json, "shard 0/2, warm");
    same(&cold.json, &none.json, "shard 0/2, cold");
}

#[test]
fn a_changed_file_is_read_again_and_only_it() {
    let (tmp, dirs) = settled_copy(&["demo"]);
    let (demo, cache) = (&dirs[0], tmp.path().join("cache"));
    let first = audit(demo, Some(&cache), &[]);
    // The same size, other bytes: a broken PDF.
    let pdf = walkdir::WalkDir::new(demo)
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .expect("a PDF in the demo")
        .into_path();
    // The same size, other bytes: a broken PDF; and a ledger cut in half.
    let size = std::fs::metadata(&pdf).expect("stat").len() as usize;
    std::fs::write(&pdf, vec![b'x'; size]).expect("rewrite");
    let ledger = demo.join("发展党员工作台账.xlsx");
    let mut bytes = std::fs::read(&ledger).expect("ledger");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&ledger, &bytes).expect("spoil");
    let changed = audit(demo, Some(&cache), &[]);
    assert!(first.books >= 2, "{} workbooks", first.books);
    assert_eq!(
        (changed.inspected, changed.books),
        (2, 1),
        "only the changed files are read (the other workbook replayed)"
    );
    assert!(changed.hashed <= 1);
    same(
        &changed.json,
        &audit(demo, None, &[]).json,
        "two files changed",
    );
    let rel = pdf
        .strip_prefix(demo)
        .expect("inside")
        .to_string_lossy()
        .to_string();
    for (file, was) in [(rel.as_str(), &first), ("发展党员工作台账.xlsx", &first)] {
        assert!(!unreadable(&was.json).contains(&file.to_string()));
        assert!(
            unreadable(&changed.json).contains(&file.to_string()),
            "{file}"
        );
    }
    // Once they have settled, they are kept like the rest.
    std::thread::sleep(SETTLE);
    audit(demo, Some(&cache), &[]);
    let settled = audit(demo, Some(&cache), &[]);
    assert_eq!((settled.inspected, settled.books), (0, 0));
    // A file gone: nothing read, and the report is a fresh run's.
    std::fs::remove_file(&pdf).expect("remove");
    let gone = audit(demo, Some(&cache), &[]);
    assert_eq!((gone.inspected, gone.books), (0, 0));
    same(&gone.json, &audit(demo, None, &[]).json, "one file gone");
}

#[test]
fn a_file_changed_just_before_the_run_is_not_trusted_to_the_cache() {
    // Copied now: every file is younger than the racy window, so none is kept.
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = tmp.path().join("demo");
    copy_tree(&fixture("demo"), &demo);
    let cache = tmp.path().join("cache");
    audit(&demo, Some(&cache), &[]);
    let again = audit(&demo, Some(&cache), &[]);
    assert_eq!(again.inspected, audit(&demo, None, &[]).inspected);
}

#[test]
fn verifying_hashes_every_file_and_a_damaged_cache_is_ignored_with_one_line() {
    let (tmp, dirs) = settled_copy(&["defects"]);
    let (archive, cache) = (&dirs[0], tmp.path().join("cache"));
    let none = audit(archive, None, &[]);
    audit(archive, Some(&cache), &[]);
    // The first check reads again the files whose hash was not recorded (only files of a
    // size another shares are hashed by a plain run); the second finds every one recorded.
    let first = audit(archive, Some(&cache), &["--verify-cache"]);
    assert!(first.inspected < none.inspected);
    same(&first.json, &none.json, "verified once");
    let verified = audit(archive, Some(&cache), &["--verify-cache"]);
    same(&verified.json, &none.json, "verified twice");
    assert_eq!(verified.inspected, 0);
    assert!(
        verified.hashed >= none.inspected,
        "{} hashed",
        verified.hashed
    );
    // Damaged: said once, ignored, every file read again, the same report.
    let results = std::fs::read_dir(cache.join("results"))
        .expect("results folder")
        .filter_map(Result::ok)
        .map(|e| e.path().join("files.bin"))
        .collect::<Vec<_>>();
    assert_eq!(results.len(), 1, "one cache for one archive");
    std::fs::write(&results[0], b"dangan-results1\nbut cut short").expect("damage");
    let damaged = audit(archive, Some(&cache), &[]);
    assert_eq!(
        damaged.stderr.matches("已损坏").count(),
        1,
        "{}",
        damaged.stderr
    );
    assert_eq!(damaged.inspected, none.inspected);
    same(&damaged.json, &none.json, "damaged cache");
}

#[test]
fn the_cache_folder_is_never_inside_the_archive() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = tmp.path().join("demo");
    copy_tree(&fixture("demo"), &demo);
    let before = files_in(&demo);
    let out = dangan()
        .arg("audit")
        .arg(&demo)
        .args(["--as-of", AS_OF, "--cache-dir"])
        .arg(demo.join("第一党支部/.cache"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("在档案目录之内"));
    assert_eq!(files_in(&demo), before);
    assert!(!demo.join("第一党支部/.cache").exists());
}

#[cfg(unix)]
#[test]
fn a_cache_folder_reached_through_a_link_into_the_archive_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = tmp.path().join("demo");
    copy_tree(&fixture("demo"), &demo);
    let link = tmp.path().join("cache-link");
    std::os::unix::fs::symlink(demo.join("第一党支部"), &link).expect("symlink");
    let before = files_in(&demo);
    let out = dangan()
        .arg("audit")
        .arg(&demo)
        .args(["--as-of", AS_OF, "--cache-dir"])
        .arg(&link)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("在档案目录之内"));
    assert_eq!(files_in(&demo), before, "nothing written through the link");
}

#[test]
fn the_default_cache_folder_is_the_users() {
    // $XDG_CACHE_HOME/dangan; an empty XDG_CACHE_HOME counts as unset: ~/.cache/dangan.
    let tmp = tempfile::tempdir().expect("tempdir");
    let (xdg, home) = (tmp.path().join("xdg"), tmp.path().join("home"));
    for (xdg_value, cache) in [
        (xdg.as_os_str(), xdg.join("dangan/results")),
        ("".as_ref(), home.join(".cache/dangan/results")),
    ] {
        let out = dangan()
            .arg("audit")
            .arg(fixture("clean"))
            .args(["--as-of", AS_OF, "--format", "json"])
            .env("XDG_CACHE_HOME", xdg_value)
            .env("HOME", &home)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(files_in(&cache) > 0, "no cache under {}", cache.display());
    }
}

#[test]
fn files_of_one_size_are_hashed_whole_only_when_their_beginnings_agree() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let demo = tmp.path().join("demo");
    copy_tree(&fixture("demo"), &demo);
    let before = audit(&demo, None, &[]);
    // Three 10 KB files of one size beside each other: a and b share their first 4 KiB and
    // differ after it, c differs at its first byte; d (in another dossier) is a copy of a.
    let head = vec![b'h'; 4096];
    let body = |tail: u8| [head.clone(), vec![tail; 6000]].concat();
    let first = demo.join("第一党支部/01-张三");
    let second = demo.join("第一党支部/李四");
    std::fs::write(first.join("入党申请书附件a.jpg"), body(b'a')).expect("a");
    std::fs::write(first.join("入党申请书附件b.jpg"), body(b'b')).expect("b");
    let mut c = body(b'a');
    c[0] = b'c';
    std::fs::write(first.join("入党申请书附件c.jpg"), c).expect("c");
    std::fs::write(second.join("入党申请书附件d.jpg"), body(b'a')).expect("d");
    let after = audit(&demo, None, &[]);
    // The demo's own files are small: their hashes came with their inspection. Only a, b and
    // d are read whole.
    assert_eq!(before.hashed, 0);
    assert_eq!(after.hashed, 3);
    let dups = |run: &Run| -> Vec<String> {
        let json: serde_json::Value = serde_json::from_str(&run.json).expect("JSON");
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == "duplicate-file")
            .filter_map(|f| f["file"].as_str().map(str::to_string))
            .collect()
    };
    let new: Vec<String> = dups(&after)
        .into_iter()
        .filter(|f| !dups(&before).contains(f))
        .collect();
    assert_eq!(new, ["第一党支部/李四/入党申请书附件d.jpg"], "{new:?}");
}

#[test]
fn runs_sharing_one_cache_at_once_leave_it_whole() {
    let (tmp, dirs) = settled_copy(&["demo"]);
    let (demo, cache) = (&dirs[0], tmp.path().join("cache"));
    let none = audit(demo, None, &[]);
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("dangan"))
            .arg("audit")
            .arg(demo)
            .args(["--as-of", AS_OF, "--format", "json", "--fail-on", "never"])
            .arg("--cache-dir")
            .arg(&cache)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("dangan starts")
    };
    let runs: Vec<_> = (0..4).map(|_| spawn()).collect();
    for run in runs {
        let out = run.wait_with_output().expect("dangan ends");
        same(
            &String::from_utf8(out.stdout).expect("utf-8"),
            &none.json,
            "a run beside others",
        );
    }
    let after = audit(demo, Some(&cache), &[]);
    assert_eq!((after.inspected, after.books), (0, 0));
    same(&after.json, &none.json, "after the crowd");
}

#[test]
fn a_documents_reading_is_kept_until_it_or_the_rules_change() {
    let (tmp, dirs) = settled_copy(&["content"]);
    let (content, cache) = (&dirs[0], tmp.path().join("cache"));
    let none = audit(content, None, &[]);
    let first = audit(content, Some(&cache), &[]);
    assert!(
        none.documents >= 10,
        "Word, OpenDocument and text-layer documents are read: {}",
        none.documents
    );
    assert_eq!(first.documents, none.documents);
    let warm = audit(content, Some(&cache), &[]);
    assert_eq!(warm.documents, 0, "a warm run reads no document");
    same(&warm.json, &none.json, "the readings from the cache");
    // Other phrases (or settings) to look for: every document is read again, once.
    let rules = tmp.path().join("phrases.yaml");
    std::fs::write(
        &rules,
        "rules:\n  - id: theory-not-current\n    requirements:\n      - { from: 2017-10-18, title: 十九大, any: [习近平新时代中国特色社会主义思想] }\n",
    )
    .expect("write rules");
    let other = ["--rules", rules.to_str().expect("utf-8")];
    let again = audit(content, Some(&cache), &other);
    assert_eq!(again.documents, none.documents, "another lens reads again");
    same(
        &again.json,
        &audit(content, None, &other).json,
        "other phrases",
    );
    assert_eq!(audit(content, Some(&cache), &other).documents, 0);
    // One document rewritten (another of the archive's in its place): it alone is read.
    let docx = content.join("第一党支部/01-张三/入党申请书.docx");
    let other_docx = content.join("第一党支部/01-张三/思想汇报/思想汇报2022年第4季度.docx");
    std::fs::copy(&other_docx, &docx).expect("replace");
    std::thread::sleep(SETTLE);
    let changed = audit(content, Some(&cache), &other);
    assert_eq!((changed.inspected, changed.documents), (1, 1));
    same(
        &changed.json,
        &audit(content, None, &other).json,
        "one document changed",
    );
    // A run that reads fewer documents (the applications alone, with the same phrases) and
    // writes the readings (an application changed) keeps the others' for the next run.
    let fewer = tmp.path().join("fewer.yaml");
    let mut yaml = String::from(
        "rules:\n  - id: theory-not-current\n    documents: [application]\n    requirements:\n      - { from: 2017-10-18, title: 十九大, any: [习近平新时代中国特色社会主义思想] }\n",
    );
    for id in [
        "document-of-another-person",
        "document-date-mismatch",
        "content-unreadable",
    ] {
        yaml.push_str(&format!("  - {{ id: {id}, enabled: false }}\n"));
    }
    std::fs::write(&fewer, yaml).expect("write rules");
    let applications = audit(
        content,
        Some(&cache),
        &["--rules", fewer.to_str().expect("utf-8")],
    );
    assert_eq!(applications.documents, 0, "the applications from the cache");
    std::fs::copy(&other_docx, &docx).expect("replace again");
    std::thread::sleep(SETTLE);
    let one = audit(
        content,
        Some(&cache),
        &["--rules", fewer.to_str().expect("utf-8")],
    );
    assert_eq!((one.inspected, one.documents), (1, 1));
    let back = audit(content, Some(&cache), &other);
    assert_eq!((back.inspected, back.documents), (0, 0));
    same(
        &back.json,
        &audit(content, None, &other).json,
        "readings kept through a run that did not read them",
    );
}
