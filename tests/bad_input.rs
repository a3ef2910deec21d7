//! Bad input: every case gets a clear finding or error naming the file, and the run goes on.

mod common;
use common::{AS_OF, copy_tree, fixture};

use std::io::Write;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

/// A well-formed one-page PDF (a fixture's), made unique by a trailing comment.
fn pdf(tag: &str) -> Vec<u8> {
    let mut b = std::fs::read(fixture("clean").join("第一党支部/李四/入党申请书.pdf"))
        .expect("fixture pdf");
    b.extend_from_slice(format!("% {tag}\n").as_bytes());
    b
}

/// A copy of the clean archive to spoil.
fn clean_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("clean"), dir.path());
    dir
}

fn audit(archive: &Path) -> (i32, Value) {
    let out = Command::cargo_bin("dangan")
        .expect("binary")
        .arg("audit")
        .arg(archive)
        .args(["--as-of", AS_OF, "--format", "json"])
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("rule"), s("file"), s("message"))
        })
        .collect()
}

/// The clean archive plus one bad file: exactly one finding, about that file, and the clean
/// archive's five dossiers still audited.
fn one_finding_for(rel: &str, bytes: &[u8]) -> (String, String) {
    let dir = clean_copy();
    let path = dir.path().join(rel);
    std::fs::write(&path, bytes).expect("write bad file");
    let (_, json) = audit(dir.path());
    let f = findings(&json);
    assert_eq!(f.len(), 1, "{rel}: {f:#?}");
    assert_eq!(f[0].1, rel, "the finding names the file");
    assert_eq!(json["summary"]["dossiers"], 5, "the run goes on");
    assert_eq!(json["summary"]["ledger_rows"], 5);
    (f[0].0.clone(), f[0].2.clone())
}

#[test]
fn truncated_xlsx() {
    let good = std::fs::read(fixture("clean").join("发展党员工作台账.xlsx")).expect("ledger");
    let (rule, message) = one_finding_for("旧台账.xlsx", &good[..good.len() / 2]);
    assert_eq!(rule, "unreadable-file");
    assert!(
        message.contains("旧台账.xlsx") && message.contains("损坏"),
        "{message}"
    );
}

/// calamine reads an .ods or .xls whole when it opens it: a damaged sheet is a damaged
/// workbook, reported once, naming the file.
#[test]
fn truncated_ods_and_damaged_xls() {
    let good = std::fs::read(fixture("clean").join("第二党支部/第二党支部台账.ods")).expect("ods");
    let (rule, message) = one_finding_for("旧台账.ods", &good[..good.len() / 2]);
    assert_eq!(rule, "unreadable-file");
    assert!(message.contains("旧台账.ods"), "{message}");
    let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    xls.extend_from_slice(&[0u8; 4096]);
    let (rule, message) = one_finding_for("旧台账.xls", &xls);
    assert_eq!(rule, "unreadable-file");
    assert!(message.contains("旧台账.xls"), "{message}");
}

#[test]
fn xlsx_that_is_really_html() {
    let html = "<html><head><meta charset=utf-8></head><body><table><tr><td>姓名</td></tr></table></body></html>";
    let (rule, message) = one_finding_for("导出台账.xlsx", html.as_bytes());
    assert_eq!(rule, "unreadable-file");
    assert!(message.contains("扩展名与内容不符"), "{message}");
}

#[test]
fn encrypted_or_renamed_xls() {
    // An OLE compound-file header (what an encrypted .xlsx is) and nothing a reader can use.
    let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    bytes.extend_from_slice(&[0u8; 1024]);
    let (rule, message) = one_finding_for("加密台账.xlsx", &bytes);
    assert_eq!(rule, "unreadable-file");
    assert!(message.contains("密码"), "{message}");
}

#[test]
fn zip_bomb_named_xlsx_is_bounded() {
    // 64 MiB of one byte, deflated to about 64 KiB, where the workbook part should be.
    let dir = clean_copy();
    let path = dir.path().join("炸弹.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    zip.start_file(
        "[Content_Types].xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("entry");
    zip.write_all(b"<Types/>").expect("write");
    zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
        .expect("entry");
    let chunk = vec![b'<'; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&chunk).expect("write");
    }
    zip.finish().expect("finish");
    assert!(std::fs::metadata(&path).expect("meta").len() < 2 << 20);
    let (_, json) = audit(dir.path());
    let f = findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        (f[0].0.as_str(), f[0].1.as_str()),
        ("unreadable-file", "炸弹.xlsx")
    );
}

fn workbook(path: &Path, sheets: &[(&str, Vec<Vec<&str>>)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).expect("cell");
                }
            }
        }
    }
    wb.save(path).expect("save");
}

#[test]
fn empty_sheets_duplicate_columns_and_far_cells() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("一支部/张三")).expect("mkdir");
    std::fs::write(root.join("一支部/张三/入党申请书.pdf"), pdf("copy-1")).expect("pdf");
    let ledger = root.join("台账.xlsx");
    workbook(
        &ledger,
        &[
            ("空表", vec![]),
            (
                "台账",
                vec![
                    vec![
                        "姓名",
                        "所在党支部",
                        "申请入党时间",
                        "谈话时间",
                        "姓名",
                        "申请入党时间",
                    ],
                    vec![
                        "张三",
                        "一支部",
                        "2024.03.01",
                        "2024.03.10",
                        "李四",
                        "1999.01.01",
                    ],
                ],
            ),
        ],
    );
    // A value in the last cell of the sheet (XFD1048576) must not make anyone allocate the grid.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "备注").expect("cell");
    ws.write_string(1_048_575, 16_383, "远处的值")
        .expect("cell");
    wb.save(root.join("远处.xlsx")).expect("save");
    let (code, json) = audit(root);
    // The first of two 姓名 / 申请入党时间 columns is used: 张三 joins, nothing is wrong with him.
    assert_eq!(json["summary"]["ledger_rows"], 1);
    let f = findings(&json);
    let rules: Vec<_> = f.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(rules, ["unrecognized-file"], "{f:#?}");
    assert_eq!(
        f[0].1, "远处.xlsx",
        "a sheet with no ledger or resume header is named"
    );
    assert_eq!(code, 0);
}

#[cfg(unix)]
#[test]
fn names_that_are_neither_utf8_nor_gbk_and_long_paths() {
    use std::os::unix::ffi::OsStrExt;
    let dir = clean_copy();
    let dossier = dir.path().join("第一党支部/李四");
    std::fs::write(
        dossier.join(std::ffi::OsStr::from_bytes(b"\xff\xfe\xfd.pdf")),
        pdf("copy-2"),
    )
    .expect("write");
    // A 4,000-character path below the dossier (ASCII, so it stays under the 4,096-byte limit).
    let mut deep = dossier.clone();
    while deep.as_os_str().len() < 3_900 {
        deep = deep.join("d".repeat(99));
    }
    std::fs::create_dir_all(&deep).expect("deep dirs");
    std::fs::write(deep.join("思想汇报.pdf"), pdf("copy-3")).expect("deep file");
    let (_, json) = audit(dir.path());
    let f = findings(&json);
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0].0, "unrecognized-file");
    assert!(
        f[0].1.starts_with("第一党支部/李四/") && f[0].1.ends_with(".pdf"),
        "{f:#?}"
    );
    // The deep file was found and classified (no finding for it), the run went on.
    let files: Vec<&str> = json["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .filter_map(|x| x["document"].as_str())
        .collect();
    assert!(files.contains(&"thought_report"));
}

#[cfg(unix)]
#[test]
fn unreadable_dossier_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = clean_copy();
    let locked = dir.path().join("第一党支部/李四");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    // A copy of the binary where any user may run it (the checkout may be private to root).
    let bin_dir = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(bin_dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    let bin = bin_dir.path().join("dangan");
    std::fs::copy(assert_cmd::cargo::cargo_bin("dangan"), &bin).expect("copy binary");
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // Root reads everything: run as nobody when we are root.
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    cmd.arg("audit")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--format", "json"]);
    // The copy was just written: while another test of this file forks, its child may still
    // hold the copy open for writing, and exec fails with ETXTBSY ("Text file busy"). That is
    // the test's own race, not dangan's: try again.
    let mut out = cmd.output().expect("runs");
    for _ in 0..20 {
        if !String::from_utf8_lossy(&out.stderr).contains("Text file busy") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        out = cmd.output().expect("runs");
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).expect("chmod back");
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let f = findings(&json);
    let locked_finding = f
        .iter()
        .find(|x| x.0 == "unreadable-file")
        .unwrap_or_else(|| panic!("{f:#?}"));
    assert_eq!(locked_finding.1, "第一党支部/李四");
    assert!(
        locked_finding.2.contains("没有读取权限"),
        "{locked_finding:?}"
    );
    assert_eq!(
        json["summary"]["dossiers"], 5,
        "the other dossiers are still audited"
    );
}

/// A workbook whose zip is whole but whose sheet's XML breaks off in its second row: the sheet
/// is reported, naming it, and the run goes on.
#[test]
fn a_sheet_that_breaks_off_partway() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = dir.path().join("made.xlsx");
    workbook(
        &made,
        &[(
            "名单",
            vec![
                vec!["说明：本表为支部名单"],
                vec!["第一党支部"],
                vec!["第二党支部"],
            ],
        )],
    );
    let bytes = std::fs::read(&made).expect("read");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut data).expect("entry data");
        if name == "xl/worksheets/sheet1.xml" {
            let text = String::from_utf8(data).expect("xml");
            let at = text.match_indices("</row>").nth(1).expect("a second row").0;
            data = text.as_bytes()[..at].to_vec();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&data).expect("write");
    }
    let broken = out.finish().expect("finish").into_inner();
    let (rule, message) = one_finding_for("支部名单.xlsx", &broken);
    assert_eq!(rule, "unreadable-file");
    assert!(
        message.contains("支部名单.xlsx") && message.contains("工作表“名单”无法读取"),
        "{message}"
    );
}
