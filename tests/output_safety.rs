//! Output and the file system (issue 13, items 9, 10, 14): reports are written through
//! exclusive temporary files, never through a planted link; FIFOs, devices and links are
//! written into or followed, never replaced; a closed pipe or stderr never costs the report.
#![cfg(unix)]

mod common;
use common::{AS_OF, fixture};

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("dangan")
}

/// `dangan audit ARCHIVE --as-of …`, to which a test adds its options.
fn audit(archive: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut c = Command::new(bin());
    c.arg("audit").arg(archive).args(["--as-of", AS_OF]);
    c
}

fn json_at(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).expect("report written");
    serde_json::from_str(&text).expect("valid JSON")
}

/// Names in `dir` that look like temporary report files.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dangan-tmp"))
        .collect()
}

#[test]
fn a_link_planted_at_the_old_temporary_name_is_not_written_through() {
    let dir = tempfile::tempdir().expect("tempdir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("victim");
    let out = dir.path().join("report.json");
    std::os::unix::fs::symlink(&victim, dir.path().join("report.json.dangan-tmp")).expect("plant");
    let status = audit(fixture("clean"))
        .args(["--format", "json", "-o"])
        .arg(&out)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "keep me",
        "the planted link was written through"
    );
    assert_eq!(json_at(&out)["summary"]["dossiers"], 5);
    // Only the planted link is left; dangan's own temporary file is gone.
    assert_eq!(leftovers(dir.path()), ["report.json.dangan-tmp"]);
}

#[test]
fn runs_writing_one_report_together_leave_valid_json() {
    let archive = big_archive();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.json");
    let runs: Vec<_> = (0..4)
        .map(|_| {
            Command::new(bin())
                .arg("audit")
                .arg(archive.path())
                .args([
                    "--as-of",
                    AS_OF,
                    "--format",
                    "json",
                    "--fail-on",
                    "never",
                    "-o",
                ])
                .arg(&out)
                .spawn()
                .expect("runs")
        })
        .collect();
    for mut r in runs {
        assert_eq!(r.wait().expect("waits").code(), Some(0));
    }
    assert_eq!(json_at(&out)["summary"]["dossiers"], 60);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

#[test]
fn a_fifo_is_written_into_and_a_link_is_followed_not_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A FIFO: a reader gets the report, and it is still a FIFO afterwards.
    let fifo = dir.path().join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            std::fs::File::open(&fifo)
                .expect("open fifo")
                .read_to_string(&mut s)
                .expect("read fifo");
            s
        })
    };
    let status = audit(fixture("clean"))
        .args(["--format", "json", "-o"])
        .arg(&fifo)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    let got = reader.join().expect("reader");
    assert!(got.contains("\"summary\""), "{got}");
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).expect("meta").file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced");

    // A link to a file: the file gets the report, the link stays a link.
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").expect("real");
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&real, &link).expect("link");
    let status = audit(fixture("clean"))
        .args(["--format", "json", "-o"])
        .arg(&link)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(json_at(&real)["summary"]["dossiers"], 5);

    // A dangling link is refused, and left as it was.
    let dangling = dir.path().join("dangling.json");
    std::os::unix::fs::symlink(dir.path().join("nowhere.json"), &dangling).expect("link");
    let out = audit(fixture("clean"))
        .args(["--format", "json", "-o"])
        .arg(&dangling)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dangling.json"));
    assert!(!dir.path().join("nowhere.json").exists());
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

/// An archive whose JSON report is larger than a pipe's buffer (30 copies of a branch).
fn big_archive() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for i in 0..30 {
        common::copy_tree(
            &fixture("clean").join("第一党支部"),
            &dir.path().join(format!("支部{i:02}")),
        );
    }
    dir
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let archive = big_archive();
    for format in ["json", "human"] {
        let mut child = audit(archive.path())
            .args(["--format", format, "--fail-on", "never"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runs");
        let mut first = [0u8; 1];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("first byte");
        // The pipe is closed here (like `| head -c 1`).
        let out = child.wait_with_output().expect("waits");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn a_closed_stderr_does_not_stop_the_report() {
    // stderr is a pipe whose reader has gone (`2>&1 | head -1` after the first line): every
    // message dangan has to say (the reports written) meets a broken pipe.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.json");
    let reports = dir.path().join("reports");
    let mut child = Command::new(bin())
        .arg("audit")
        .arg(fixture("defects"))
        .args([
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--fail-on",
            "never",
            "-o",
        ])
        .arg(&out)
        .arg("--report-dir")
        .arg(&reports)
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stderr.take());
    let status = child.wait().expect("waits");
    assert_eq!(status.code(), Some(0));
    assert!(json_at(&out)["summary"]["dossiers"].as_u64().is_some());
    assert!(reports.join("index.html").exists());
}

#[test]
fn names_cannot_act_on_the_terminal_or_the_ci_log() {
    // Item 16: a file whose name holds a line break followed by a workflow command, escape
    // sequences (clear screen, set title), a bell, a CR and a right-to-left override.
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("clean"), dir.path());
    let hostile = "扫描\n::error file=x.rs::owned\u{1b}[2J\u{1b}]0;t\u{7}\r\u{202e}fdp.jpg";
    std::fs::write(dir.path().join("第一党支部/李四").join(hostile), b"x").expect("write");
    for format in ["human", "github"] {
        let out = audit(dir.path())
            .args(["--format", format, "--fail-on", "never"])
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(
            text.contains("owned"),
            "{format}: the file is reported: {text}"
        );
        for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
            assert!(!text.contains(bad), "{format}: raw {bad:?} in {text:?}");
        }
        let commands = text.lines().filter(|l| l.starts_with("::")).count();
        let findings = if format == "github" {
            text.lines().count()
        } else {
            0
        };
        assert_eq!(
            commands, findings,
            "{format}: a line of the name became a command: {text}"
        );
        // A line break in a name is shown as \n, or encoded as the runner reads it (%0A).
        let shown = if format == "github" {
            "%0A::error"
        } else {
            "\\n::error"
        };
        assert!(text.contains(shown), "{format}: shown escaped: {text}");
    }
}

#[test]
fn a_report_folder_not_yet_made_inside_the_archive_is_refused() {
    // Item 11: the check resolves the nearest folder that exists.
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("clean"), dir.path());
    let reports = dir.path().join("新报告/第一批");
    let out = audit(dir.path())
        .args(["--report-dir"])
        .arg(&reports)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("档案文件夹内"));
    assert!(
        !dir.path().join("新报告").exists(),
        "created inside the archive"
    );
    // The same through `..` from a folder that does not exist yet.
    let sneaky = dir.path().join("甲/../乙/report.json");
    let out = audit(dir.path())
        .args(["-o"])
        .arg(&sneaky)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    // merge --archive A writes nothing inside A either.
    let out = Command::new(bin())
        .args(["merge", "/nonexistent-shard.json", "--archive"])
        .arg(dir.path())
        .arg("-o")
        .arg(dir.path().join("合并.json"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("档案文件夹内"));
    assert!(!dir.path().join("合并.json").exists());
}

#[test]
fn devices_given_as_inputs_are_refused_not_read_forever() {
    // Item 20: --baseline /dev/zero and a shard /dev/zero.
    let out = audit(fixture("clean"))
        .args(["--baseline", "/dev/zero"])
        .timeout_secs(30)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("设备文件"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(bin())
        .args(["merge", "/dev/zero"])
        .timeout_secs(30)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("设备文件"));
}

/// `Command::output` with a deadline (std has none): the child is killed past it.
trait Deadline {
    fn timeout_secs(&mut self, secs: u64) -> &mut Self;
}

impl Deadline for Command {
    fn timeout_secs(&mut self, secs: u64) -> &mut Self {
        // `timeout(1)` kills the child past the deadline and exits 124.
        let program = self.get_program().to_owned();
        let args: Vec<_> = self.get_args().map(|a| a.to_owned()).collect();
        let mut wrapped = Command::new("timeout");
        wrapped.arg(secs.to_string()).arg(program).args(args);
        *self = wrapped;
        self
    }
}

#[test]
fn links_out_of_the_archive_and_special_files_are_reported_not_followed() {
    // Item 18 and 20: a link inside a dossier to /etc, and a FIFO among the scans.
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(&fixture("clean"), dir.path());
    let dossier = dir.path().join("第一党支部/李四");
    std::os::unix::fs::symlink("/etc", dossier.join("参考材料")).expect("link");
    let made = Command::new("mkfifo")
        .arg(dossier.join("扫描管道.pdf"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // A link that stays inside the archive is followed as before.
    std::os::unix::fs::symlink(
        dir.path().join("第一党支部/李四/自传.pdf"),
        dir.path().join("第一党支部/01-张三/自传-链接.pdf"),
    )
    .expect("inner link");
    let (_, json) = common::audit_json(dir.path(), &[]);
    let files: Vec<&str> = json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .filter_map(|f| f["file"].as_str())
        .collect();
    assert!(
        !files.iter().any(|f| f.contains("参考材料/")),
        "files outside the archive were listed: {files:?}"
    );
    assert!(
        files.iter().any(|f| f.ends_with("自传-链接.pdf")),
        "{files:?}"
    );
    let said = |name: &str, words: &str| {
        common::findings(&json).iter().any(|f| {
            f["file"].as_str().is_some_and(|p| p.ends_with(name))
                && f["message"].as_str().is_some_and(|m| m.contains(words))
        })
    };
    assert!(said("参考材料", "档案之外"), "{json}");
    assert!(said("扫描管道.pdf", "不是普通文件"), "{json}");
    assert!(!said("扫描管道.pdf", "空文件"), "{json}");

    // The kernel's pseudo-file-systems are refused as archives.
    let out = Command::new(bin())
        .args(["audit", "/proc", "--as-of", AS_OF])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("伪文件系统"));
}

/// A ledger workbook of (branch, name, applied) rows.
fn ledger(path: &Path, rows: &[(&str, &str, &str)]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["所在党支部", "姓名", "申请入党时间", "谈话时间"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (r, (b, n, a)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, *b).expect("cell");
        ws.write_string(r, 1, *n).expect("cell");
        ws.write_string(r, 2, *a).expect("cell");
        ws.write_string(r, 3, "2024.03.20").expect("cell");
    }
    wb.save(path).expect("save");
}

#[test]
fn report_files_never_collide_and_long_cells_or_names_cost_nothing() {
    // Items 12 and 13: branches whose file names would collide with each other or with the
    // committee's pages; a 90-character branch; a cell of 32,767 characters (Excel's limit).
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    let long_branch = "很长的支部名称".repeat(13); // 91 characters, 273 bytes
    let huge = "x".repeat(32_767);
    let branches = [
        "甲:支部",
        "甲?支部",
        "甲_支部",
        "index",
        "Summary",
        long_branch.as_str(),
    ];
    let mut rows: Vec<(&str, &str, &str)> = branches
        .iter()
        .zip(["张一", "张二", "张三", "张四", "张五", "张六"])
        .map(|(b, n)| (*b, n, "2024.03.01"))
        .collect();
    rows.push(("甲_支部", "李七", huge.as_str()));
    ledger(&archive.join("台账.xlsx"), &rows);
    let reports = dir.path().join("reports");
    let json_out = dir.path().join("report.json");
    let out = Command::new(bin())
        .arg("audit")
        .arg(&archive)
        .args([
            "--as-of",
            AS_OF,
            "--format",
            "json",
            "--fail-on",
            "never",
            "-o",
        ])
        .arg(&json_out)
        .arg("--report-dir")
        .arg(&reports)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(json_at(&json_out)["summary"].is_object());
    // One workbook and one page per branch, plus the committee's two: every name distinct.
    let names: Vec<String> = std::fs::read_dir(&reports)
        .expect("reports")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".dangan-reports")
        .collect();
    assert_eq!(names.len(), branches.len() * 2 + 2, "{names:?}");
    assert!(
        stderr.contains(&format!("已写出 {} 个报告文件", names.len())),
        "{stderr}"
    );
    let index = std::fs::read_to_string(reports.join("index.html")).expect("index");
    assert!(
        index.contains("<title>发展党员档案审核汇总</title>"),
        "the committee's page was overwritten by a branch's"
    );
    // Each branch's page holds that branch's person and no other branch's.
    for (b, n) in branches
        .iter()
        .zip(["张一", "张二", "张三", "张四", "张五", "张六"])
    {
        let holding: Vec<&String> = names
            .iter()
            .filter(|f| f.ends_with(".html") && *f != "index.html")
            .filter(|f| {
                std::fs::read_to_string(reports.join(f))
                    .expect("page")
                    .contains(n)
            })
            .collect();
        assert_eq!(holding.len(), 1, "{b}: {holding:?}");
        // The committee's page links to it.
        assert!(
            index.contains(holding[0].as_str()),
            "{b}: no link to {}",
            holding[0]
        );
    }
}

#[test]
fn a_reused_report_folder_keeps_only_this_runs_files() {
    // Item 15: a branch gone since the last run leaves no page behind; the user's own files
    // in the folder stay.
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    common::copy_tree(&fixture("clean"), &archive);
    let reports = dir.path().join("reports");
    let run = || {
        let status = audit(&archive)
            .args(["--fail-on", "never", "--report-dir"])
            .arg(&reports)
            .stdout(Stdio::null())
            .status()
            .expect("runs");
        assert_eq!(status.code(), Some(0));
    };
    run();
    assert!(reports.join("第二党支部.html").exists());
    std::fs::write(reports.join("说明.txt"), "mine").expect("user file");
    // 第二党支部 leaves the archive (and the ledger).
    std::fs::remove_dir_all(archive.join("第二党支部")).expect("remove branch");
    std::fs::remove_file(archive.join("发展党员工作台账.xlsx")).expect("remove ledger");
    run();
    assert!(
        !reports.join("第二党支部.html").exists(),
        "a page of the earlier run is left"
    );
    assert!(!reports.join("第二党支部.xlsx").exists());
    assert!(reports.join("第一党支部.html").exists());
    assert_eq!(
        std::fs::read_to_string(reports.join("说明.txt")).expect("user file"),
        "mine"
    );
}

#[test]
fn a_device_given_as_the_output_is_written_into_not_replaced() {
    // Item 10: run as root, the old code replaced /dev/null with a regular file. The device
    // here is a null device made in a temporary folder (`mknod`, as root), so that a
    // regression replaces that one and not the machine's; without root, a FIFO stands in.
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let device = dir.path().join("null");
    let made = Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("not root: a FIFO stands in for the device");
        let fifo = Command::new("mkfifo")
            .arg(&device)
            .status()
            .expect("mkfifo");
        assert!(fifo.success());
        let reader = {
            let device = device.clone();
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = std::fs::File::open(&device).and_then(|mut f| f.read_to_string(&mut s));
            })
        };
        let status = audit(fixture("clean"))
            .args(["--format", "json", "-o"])
            .arg(&device)
            .status()
            .expect("runs");
        assert_eq!(status.code(), Some(0));
        reader.join().expect("reader");
        let kind = std::fs::symlink_metadata(&device)
            .expect("meta")
            .file_type();
        assert!(kind.is_fifo(), "the FIFO was replaced");
        return;
    }
    let status = audit(fixture("clean"))
        .args(["--format", "json", "-o"])
        .arg(&device)
        .status()
        .expect("runs");
    assert_eq!(status.code(), Some(0));
    let kind = std::fs::symlink_metadata(&device)
        .expect("meta")
        .file_type();
    assert!(kind.is_char_device(), "the device was replaced");
}
