//! What the documents say: the content rules on fixtures/content (Word, OpenDocument, OFD and a
//! born-digital PDF with a ToUnicode CMap), each planted defect found once, each near miss at
//! its threshold silent; and the OCR pipeline (scans, scanned PDFs, the cache) through a stand-
//! in engine that logs every call, so that these run on any machine. The real Tesseract is
//! tested by tests/ocr.rs.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

fn rule_files(json: &serde_json::Value) -> BTreeSet<(String, String)> {
    findings(json)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    v.iter()
        .map(|(r, f)| (r.to_string(), f.to_string()))
        .collect()
}

const Z: &str = "第一党支部/01-张三/思想汇报/";

#[test]
fn each_content_defect_is_found_once_and_its_near_miss_is_silent() {
    let (code, json) = audit_json(&fixture("content"), &[]);
    assert_eq!(code, 1);
    let want = pairs(&[
        (
            "theory-not-current",
            &format!("{Z}思想汇报2022年第4季度.docx"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2024年第3季度（二）.odt"),
        ),
        (
            "document-of-another-person",
            "第二党支部/05-陈明/思想汇报/思想汇报2023年第1季度.ofd",
        ),
        (
            "document-date-mismatch",
            "第二党支部/05-陈明/入党申请书.pdf",
        ),
        (
            "content-unreadable",
            "第二党支部/王芳（44010320000101028X）/王芳入党申请书.docx",
        ),
    ]);
    assert_eq!(rule_files(&json), want);
    check_snapshot("content", &json);
    let text = |rule: &str| {
        findings(&json)
            .iter()
            .filter(|f| f["rule"] == rule)
            .map(|f| f["message"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(text("theory-not-current").contains("文中落款 2022年10月16日"));
    assert!(text("document-of-another-person").contains("署名是「李四」"));
    assert!(text("document-of-another-person").contains("第一党支部/李四"));
    assert!(text("document-date-mismatch").contains("2022-01-05"));
    assert!(text("content-unreadable").contains("只识别出 5 个汉字"));
}

/// The thresholds moved by a rules overlay: the near misses fire and the defects go quiet, so
/// each boundary is where the rule says.
#[test]
fn the_thresholds_are_where_the_rules_put_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let overlay = dir.path().join("moved.yaml");
    std::fs::write(
        &overlay,
        "rules:
  - id: theory-not-current
    requirements:
      - { from: 2017-10-18, title: 十九大, any: [习近平新时代中国特色社会主义思想] }
      - { from: 2022-10-15, title: 二十大, any: [党的二十大] }
      - { from: 2024-07-19, title: 三中全会, any: [二十届三中全会] }
  - id: document-date-mismatch
    tolerance: 32d
content:
  min_chars: 5
",
    )
    .expect("write overlay");
    let (_, json) = audit_json(
        &fixture("content"),
        &["--rules", overlay.to_str().expect("utf-8")],
    );
    let got = rule_files(&json);
    let want = pairs(&[
        (
            "theory-not-current",
            &format!("{Z}思想汇报（2022年10月15日）.docx"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2022年第4季度.docx"),
        ),
        (
            "document-of-another-person",
            "第二党支部/05-陈明/思想汇报/思想汇报2023年第1季度.ofd",
        ),
    ]);
    // 王芳's five characters are now enough to read: a 2025 application that mentions none of
    // the theory (and her application's date is not in its text).
    let mut want = want;
    want.insert((
        "theory-not-current".into(),
        "第二党支部/王芳（44010320000101028X）/王芳入党申请书.docx".into(),
    ));
    assert_eq!(got, want);
}

/// Each content rule asks for the documents it reads: with the date rule alone on, the
/// applications are still read (and its one finding made).
#[test]
fn a_content_rule_alone_reads_its_own_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let overlay = dir.path().join("alone.yaml");
    std::fs::write(
        &overlay,
        "rules:
  - { id: theory-not-current, enabled: false }
  - { id: document-of-another-person, enabled: false }
  - { id: content-unreadable, enabled: false }
",
    )
    .expect("write overlay");
    let (_, json) = audit_json(
        &fixture("content"),
        &["--rules", overlay.to_str().expect("utf-8")],
    );
    let content: BTreeSet<(String, String)> = rule_files(&json)
        .into_iter()
        .filter(|(r, _)| {
            r.starts_with("document-") || r.starts_with("theory") || r.starts_with("content")
        })
        .collect();
    assert_eq!(
        content,
        pairs(&[(
            "document-date-mismatch",
            "第二党支部/05-陈明/入党申请书.pdf"
        )])
    );
}

#[test]
fn the_content_rules_are_silent_when_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let overlay = dir.path().join("off.yaml");
    let off: String = [
        "theory-not-current",
        "document-of-another-person",
        "document-date-mismatch",
        "content-unreadable",
    ]
    .iter()
    .map(|id| format!("  - {{ id: {id}, enabled: false }}\n"))
    .collect();
    std::fs::write(&overlay, format!("rules:\n{off}")).expect("write overlay");
    let (code, json) = audit_json(
        &fixture("content"),
        &["--rules", overlay.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0, "{json}");
    assert!(findings(&json).is_empty());
}

#[test]
fn ocr_without_the_engine_is_one_line_and_exit_2() {
    let out = dangan()
        .args(["audit", "--as-of", "2026-11-28", "--ocr"])
        .arg(fixture("content"))
        .env("DANGAN_TESSERACT", "/nonexistent/tesseract")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("未找到 OCR 引擎") && err.contains("tesseract-ocr-chi-sim"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// A stand-in for Tesseract: answers --version and --list-langs, logs each page it is given
/// (a path, or `stdin`) and prints the TSV in `$FAKE_OCR_DIR/tsv` for every page.
#[cfg(unix)]
fn fake_engine(dir: &Path, lines: &[&str], confidence: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let mut tsv = String::new();
    for (i, line) in lines.iter().enumerate() {
        tsv.push_str(&format!(
            "5\t1\t1\t1\t{}\t1\t0\t0\t10\t10\t{confidence}\t{line}\n",
            i + 1
        ));
    }
    std::fs::write(dir.join("tsv"), tsv).expect("tsv");
    let script = dir.join("tesseract");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh
case \"$1\" in
  --version) echo 'tesseract 0.0-stand-in'; exit 0;;
  --list-langs) echo 'List of available languages in \"/x\" (1):'; echo chi_sim; exit 0;;
esac
echo \"$1\" >> '{log}'
if [ \"$1\" = stdin ]; then cat > /dev/null; fi
printf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n'
cat '{tsv}'
",
            log = dir.join("log").display(),
            tsv = dir.join("tsv").display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    script
}

#[cfg(unix)]
fn ocr_audit(archive: &Path, engine: &Path, cache: &Path) -> (i32, serde_json::Value) {
    let out = dangan()
        .arg("audit")
        .arg(archive)
        .args([
            "--as-of",
            "2026-11-28",
            "--format",
            "json",
            "--ocr",
            "--cache-dir",
        ])
        .arg(cache)
        .env("DANGAN_TESSERACT", engine)
        .output()
        .expect("runs");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json)
}

/// The content findings about the two scans the OCR tests add (the stand-in engine reads the
/// same page from every scan it is given, so the clean archive's other scans are left aside).
#[cfg(unix)]
fn about_the_added_scans(json: &serde_json::Value) -> BTreeSet<(String, String)> {
    const CONTENT: [&str; 4] = [
        "theory-not-current",
        "document-of-another-person",
        "document-date-mismatch",
        "content-unreadable",
    ];
    rule_files(json)
        .into_iter()
        .filter(|(r, f)| {
            CONTENT.contains(&r.as_str()) && f.starts_with(&format!("{Z}思想汇报2023"))
        })
        .collect()
}

#[cfg(unix)]
fn log_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("log"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

/// The clean archive with 张三's thought report as a phone photo and as a scanned PDF (a
/// DCT page image), both to be read by OCR.
#[cfg(unix)]
fn scanned_archive(at: &Path) -> PathBuf {
    let archive = at.join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    copy_tree(&fixture("clean"), &archive);
    let dir = archive.join("第一党支部/01-张三/思想汇报");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let jpeg = std::fs::read(fixture("scans").join("档案室抽查支部/孙悦/入党申请书.jpg"))
        .or_else(|_| std::fs::read(first_jpeg(&fixture("scans"))))
        .expect("a JPEG among the fixtures");
    std::fs::write(dir.join("思想汇报2023年第1季度.jpg"), &jpeg).expect("jpeg");
    std::fs::write(dir.join("思想汇报2023年第2季度.pdf"), scanned_pdf(&jpeg)).expect("pdf");
    archive
}

#[cfg(unix)]
fn first_jpeg(dir: &Path) -> PathBuf {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "jpg"))
        .expect("a JPEG")
}

/// A one-page PDF whose page is one JPEG (DCTDecode) image, as scanners write them.
#[cfg(unix)]
fn scanned_pdf(jpeg: &[u8]) -> Vec<u8> {
    let content = "q 595 0 0 842 0 0 cm /Im0 Do Q";
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).into_bytes(),
    ];
    let mut image = format!(
        "<< /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
        jpeg.len()
    )
    .into_bytes();
    image.extend_from_slice(jpeg);
    image.extend_from_slice(b"\nendstream");
    objs.push(image);
    pdf_of(&objs, 1)
}

const OUTDATED: [&str; 6] = [
    "思想汇报",
    "敬爱的党组织：",
    "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定。",
    "我认真学习习近平新时代中国特色社会主义思想。",
    "汇报人：张三",
    "2023年3月15日",
];

#[cfg(unix)]
#[test]
fn scans_are_read_by_ocr_once_and_then_from_the_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = scanned_archive(dir.path());
    let engine = fake_engine(dir.path(), &OUTDATED, 92);
    let cache = dir.path().join("cache");
    let (code, first) = ocr_audit(&archive, &engine, &cache);
    assert_eq!(code, 1);
    let want = pairs(&[
        (
            "theory-not-current",
            &format!("{Z}思想汇报2023年第1季度.jpg"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2023年第2季度.pdf"),
        ),
    ]);
    assert_eq!(about_the_added_scans(&first), want);
    let calls = log_lines(dir.path());
    // The photo by its path; the scanned PDF's page image through stdin.
    assert!(
        calls
            .iter()
            .any(|c| c.ends_with("思想汇报2023年第1季度.jpg")),
        "{calls:?}"
    );
    assert!(calls.iter().any(|c| c == "stdin"), "{calls:?}");
    // Again: nothing goes to the engine, and the result is the same.
    let (_, second) = ocr_audit(&archive, &engine, &cache);
    assert_eq!(
        log_lines(dir.path()),
        calls,
        "the second run called OCR again"
    );
    assert_eq!(first["findings"], second["findings"]);
    // Without --ocr the scans are not read at all: no content finding.
    let (_, plain) = audit_json(&archive, &[]);
    assert!(about_the_added_scans(&plain).is_empty(), "{plain}");
}

#[cfg(unix)]
#[test]
fn a_page_read_with_low_confidence_is_unreadable_not_wrong() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = scanned_archive(dir.path());
    let engine = fake_engine(dir.path(), &OUTDATED, 41);
    let (_, json) = ocr_audit(&archive, &engine, &dir.path().join("cache"));
    let want = pairs(&[
        (
            "content-unreadable",
            &format!("{Z}思想汇报2023年第1季度.jpg"),
        ),
        (
            "content-unreadable",
            &format!("{Z}思想汇报2023年第2季度.pdf"),
        ),
    ]);
    assert_eq!(about_the_added_scans(&json), want);
    assert!(json.to_string().contains("OCR 平均置信度 41%"), "{json}");
}

#[cfg(unix)]
#[test]
fn a_cache_inside_the_archive_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = scanned_archive(dir.path());
    let engine = fake_engine(dir.path(), &OUTDATED, 92);
    let out = dangan()
        .arg("audit")
        .arg(&archive)
        .args(["--as-of", "2026-11-28", "--ocr", "--cache-dir"])
        .arg(archive.join(".cache"))
        .env("DANGAN_TESSERACT", &engine)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("在档案目录之内"));
    assert!(!archive.join(".cache").exists());
}

/// Text as real writers make it, read without OCR: LibreOffice Writer's .docx, .odt and
/// Word 97 .doc, its born-digital PDFs (a subset font with a one-byte code space, each font run
/// placed by its own BT … Td; the current one stays silent) and
/// Tesseract's 双层PDF (an invisible GlyphLessFont layer over the page image, every character
/// spaced apart, one of them misread).
#[test]
fn real_text_layers_are_read_without_ocr() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    copy_tree(&fixture("clean"), &archive);
    let reports = archive.join(Z);
    std::fs::create_dir_all(&reports).expect("mkdir");
    let scans = root().join("fixtures/content-scans");
    for (from, to) in [
        ("outdated-born-digital.pdf", "思想汇报2023年第2季度.pdf"),
        ("outdated-layered.pdf", "思想汇报2023年第3季度.pdf"),
        ("current-dct.pdf", "思想汇报2023年第1季度.pdf"),
        ("outdated-libreoffice.docx", "思想汇报2023年第4季度.docx"),
        ("outdated-libreoffice.odt", "思想汇报2024年第1季度.odt"),
        ("outdated-libreoffice.doc", "思想汇报2024年第2季度.doc"),
        (
            "current-born-digital.pdf",
            "思想汇报2023年第1季度（电子版）.pdf",
        ),
    ] {
        std::fs::copy(scans.join(from), reports.join(to)).expect("copy");
    }
    let (_, json) = audit_json(&archive, &[]);
    let want = pairs(&[
        (
            "theory-not-current",
            &format!("{Z}思想汇报2023年第2季度.pdf"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2023年第3季度.pdf"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2023年第4季度.docx"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2024年第1季度.odt"),
        ),
        (
            "theory-not-current",
            &format!("{Z}思想汇报2024年第2季度.doc"),
        ),
    ]);
    assert_eq!(rule_files(&json), want);
    // Dated by what is written in them, not by their file names.
    let messages: Vec<&str> = findings(&json)
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .all(|m| m.contains("文中落款 2023年6月20日")),
        "{messages:?}"
    );
    // The image-only PDF is a scan: counted, not read.
    assert_eq!(json["summary"]["content"]["needs_ocr"], 16);
}

/// Shard 1 of 3 holds 第二党支部 alone (陈明's): its one document-of-another-person message.
fn the_signer_message_of_shard_1(chen: &serde_json::Value) -> String {
    let branches: BTreeSet<&str> = chen["dossiers"]
        .as_array()
        .expect("dossiers")
        .iter()
        .filter_map(|d| d["branch"].as_str())
        .collect();
    assert_eq!(
        branches,
        ["第二党支部"].into(),
        "the shards moved: pick another split"
    );
    let msg: Vec<&str> = findings(chen)
        .iter()
        .filter(|f| f["rule"] == "document-of-another-person")
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert_eq!(msg.len(), 1, "{chen}");
    msg[0].to_string()
}

/// In a sharded run the signer may be another shard's: 李四 (第一党支部) and 陈明 (第二党支部)
/// fall in shards 2 and 1 of 3. The document is still judged, and the merge gives the whole
/// run's findings.
#[test]
fn a_signer_in_another_shard_is_known() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut shards = Vec::new();
    for k in 0..3 {
        let out = dir.path().join(format!("shard-{k}.json"));
        dangan()
            .arg("audit")
            .arg(fixture("content"))
            .args(["--as-of", AS_OF, "--format", "json", "--fail-on", "never"])
            .args(["--shard", &format!("{k}/3"), "-o"])
            .arg(&out)
            .assert()
            .success();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).expect("shard")).expect("json");
        shards.push((out, json));
    }
    let msg = the_signer_message_of_shard_1(&shards[1].1);
    assert!(msg.contains("第一党支部/李四"), "{msg}");
    let merged = dangan()
        .arg("merge")
        .args(shards.iter().map(|(p, _)| p))
        .args(["--archive"])
        .arg(fixture("content"))
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .expect("merge");
    let merged: serde_json::Value = serde_json::from_slice(&merged.stdout).expect("json");
    let (_, whole) = audit_json(&fixture("content"), &[]);
    assert_eq!(merged["findings"], whole["findings"]);
}

/// `content.min_confidence` (60) is inclusive: a page read at 60 is judged (and is outdated),
/// one read at 59 is unreadable.
#[cfg(unix)]
#[test]
fn the_confidence_threshold_is_where_the_rules_put_it() {
    for (confidence, rule) in [(60, "theory-not-current"), (59, "content-unreadable")] {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = scanned_archive(dir.path());
        let engine = fake_engine(dir.path(), &OUTDATED, confidence);
        let (_, json) = ocr_audit(&archive, &engine, &dir.path().join("cache"));
        let want = pairs(&[
            (rule, &format!("{Z}思想汇报2023年第1季度.jpg")),
            (rule, &format!("{Z}思想汇报2023年第2季度.pdf")),
        ]);
        assert_eq!(
            about_the_added_scans(&json),
            want,
            "confidence {confidence}"
        );
    }
}

/// Why a document is unreadable, said right: few characters read with confidence at the
/// threshold is "only N characters", not a confidence problem; a file whose text cannot be
/// taken out (a damaged Word 97 file) says why.
#[cfg(unix)]
#[test]
fn an_unreadable_document_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = scanned_archive(dir.path());
    std::fs::write(
        archive.join(Z).join("思想汇报2023年第3季度.doc"),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 not a compound file",
    )
    .expect("doc");
    let engine = fake_engine(dir.path(), &["思想汇报", "张三"], 60);
    let (_, json) = ocr_audit(&archive, &engine, &dir.path().join("cache"));
    let reason = |file: &str| {
        findings(&json)
            .iter()
            .find(|f| f["rule"] == "content-unreadable" && f["file"] == format!("{Z}{file}"))
            .and_then(|f| f["message"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        reason("思想汇报2023年第1季度.jpg").contains("只识别出 6 个汉字"),
        "{json}"
    );
    assert!(
        reason("思想汇报2023年第3季度.doc").contains("OLE 复合文件已损坏"),
        "{json}"
    );
}

/// The content findings about the files in 张三's thought-report folder whose names start
/// with `prefix`.
#[cfg(unix)]
fn content_findings_about(json: &serde_json::Value, prefix: &str) -> BTreeSet<(String, String)> {
    rule_files(json)
        .into_iter()
        .filter(|(r, f)| {
            matches!(
                r.as_str(),
                "theory-not-current"
                    | "document-of-another-person"
                    | "document-date-mismatch"
                    | "content-unreadable"
            ) && f.starts_with(&format!("{Z}{prefix}"))
        })
        .collect()
}

/// A report signed by 李四 (another person of the archive) in 张三's folder is 李四's — unless
/// its text names 张三 too (a secretary's note, a name misread on the signature line): then it
/// is not judged. Both cases, the same scans.
#[cfg(unix)]
#[test]
fn a_document_signed_by_another_that_names_its_owner_is_not_judged() {
    let body = "我认真学习习近平新时代中国特色社会主义思想，深入学习党的二十大精神。";
    for (named, want) in [(false, true), (true, false)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let archive = scanned_archive(dir.path());
        let first = if named { "我是张三，" } else { "我" };
        let lines = [
            "思想汇报",
            "敬爱的党组织：",
            &format!("{first}志愿加入中国共产党，拥护党的纲领，遵守党的章程。"),
            body,
            "汇报人：李四",
            "2023年3月15日",
        ];
        let engine = fake_engine(dir.path(), &lines, 90);
        let (_, json) = ocr_audit(&archive, &engine, &dir.path().join("cache"));
        let got = content_findings_about(&json, "思想汇报2023");
        let expected = if want {
            pairs(&[
                (
                    "document-of-another-person",
                    &format!("{Z}思想汇报2023年第1季度.jpg"),
                ),
                (
                    "document-of-another-person",
                    &format!("{Z}思想汇报2023年第2季度.pdf"),
                ),
            ])
        } else {
            BTreeSet::new()
        };
        assert_eq!(got, expected, "owner named: {named}");
    }
}

/// A report with no date in its text is dated by its file name — the first day of the month it
/// names: 2022年11月 falls after 2022-10-16 (党的二十大 required), 2022年10月 before it.
#[cfg(unix)]
#[test]
fn a_month_in_the_file_name_dates_an_undated_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = scanned_archive(dir.path());
    let reports = archive.join(Z);
    let jpeg = std::fs::read(reports.join("思想汇报2023年第1季度.jpg")).expect("jpeg");
    for name in ["思想汇报2022年10月.jpg", "思想汇报2022年11月.jpg"] {
        std::fs::write(reports.join(name), &jpeg).expect("jpeg");
    }
    let lines = [
        "思想汇报",
        "敬爱的党组织：",
        "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务。",
        "我认真学习习近平新时代中国特色社会主义思想。",
        "汇报人：张三",
    ];
    let engine = fake_engine(dir.path(), &lines, 90);
    let (_, json) = ocr_audit(&archive, &engine, &dir.path().join("cache"));
    assert_eq!(
        content_findings_about(&json, "思想汇报2022"),
        pairs(&[("theory-not-current", &format!("{Z}思想汇报2022年11月.jpg"))])
    );
    let message = findings(&json)
        .iter()
        .find(|f| {
            f["rule"] == "theory-not-current" && f["file"] == format!("{Z}思想汇报2022年11月.jpg")
        })
        .and_then(|f| f["message"].as_str())
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("文件名 2022年11月"), "{message}");
}

/// The signer known only by a ledger row in another shard (李四's folder is missing): the
/// other shards' rows name people too.
#[test]
fn a_signer_known_only_by_another_shards_ledger_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).expect("mkdir");
    copy_tree(&fixture("content"), &archive);
    std::fs::remove_dir_all(archive.join("第一党支部/李四")).expect("remove 李四's folder");
    let out = dangan()
        .arg("audit")
        .arg(&archive)
        .args(["--as-of", AS_OF, "--format", "json", "--fail-on", "never"])
        .args(["--shard", "1/3"])
        .output()
        .expect("runs");
    let chen: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let msg = the_signer_message_of_shard_1(&chen);
    assert!(
        msg.contains("署名是「李四」") && msg.contains("第一党支部"),
        "{msg}"
    );
}

/// Fonts without a ToUnicode map (`dangan text`): a simple font's codes read as Latin-1,
/// control codes dropped; a Type0 font with a UCS-2 CMap reads two bytes a character.
#[test]
fn fonts_without_a_map() {
    // Sixteen times 中文: enough Chinese for a text layer (a thinner one is taken for a scan).
    let content = format!(
        "BT /F1 12 Tf (Hi\\001!) Tj /F2 12 Tf <{}> Tj ET",
        "4E2D6587".repeat(16)
    );
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(content.as_bytes());
    stream.extend_from_slice(b"\nendstream");
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H >>".to_vec(),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fonts.pdf");
    std::fs::write(&path, pdf_of(&objs, 1)).expect("pdf");
    let out = dangan().arg("text").arg(&path).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let want = format!("Hi!{}", "中文".repeat(16));
    assert!(stdout.lines().any(|l| l == want), "{stdout}");
}

/// A page that shows "Head", draws the form `Fm1` (sixteen times 中文 in a font of the form's
/// own; the form draws itself too), shows "Tail" and draws an image — or, without `page_text`,
/// only draws them: a text layer drawn wholly as a form. (The image drawn elsewhere than the
/// form: each draw shows what its own name stands for.)
fn form_pdf(page_text: bool) -> Vec<u8> {
    let stream = |dict: &str, content: &[u8]| {
        let mut s = format!("<< {dict} /Length {} >>\nstream\n", content.len()).into_bytes();
        s.extend_from_slice(content);
        s.extend_from_slice(b"\nendstream");
        s
    };
    let form = format!("BT /F2 12 Tf <{}> Tj ET /Fm1 Do", "4E2D6587".repeat(16));
    let (fonts, page): (&str, &[u8]) = if page_text {
        (
            "/Font << /F1 5 0 R >>",
            b"BT /F1 12 Tf 0 700 Td (Head) Tj ET /Fm1 Do BT /F1 12 Tf 0 600 Td (Tail) Tj ET q /Im0 Do Q",
        )
    } else {
        ("", b"q /Im0 Do Q /Fm1 Do")
    };
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /Resources << {fonts} /XObject << /Fm1 7 0 R /Im0 8 0 R >> >> /Contents 4 0 R >>").into_bytes(),
        stream("", page),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H >>".to_vec(),
        stream(
            "/Type /XObject /Subtype /Form /BBox [0 0 500 500] /Resources << /Font << /F2 6 0 R >> >>",
            form.as_bytes(),
        ),
        stream(
            "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"\x80",
        ),
    ];
    pdf_of(&objs, 1)
}

/// `dangan text` of a PDF: its lines.
fn text_lines(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("form.pdf");
    std::fs::write(&path, pdf).expect("pdf");
    let out = dangan().arg("text").arg(&path).output().expect("runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// A one-page PDF showing the hex string `shown` in the font `font` (object 5; object 6 is
/// free for its ToUnicode map).
fn font_pdf(font: &str, to_unicode: &[u8], shown: &str) -> Vec<u8> {
    let stream = |content: &[u8]| {
        let mut s = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        s.extend_from_slice(content);
        s.extend_from_slice(b"\nendstream");
        s
    };
    let objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_vec(),
        stream(format!("BT /F1 12 Tf 0 700 Td <{shown}> Tj ET").as_bytes()),
        font.as_bytes().to_vec(),
        stream(to_unicode),
    ];
    pdf_of(&objs, 1)
}

/// How a font's codes become text: a Type0 font's two-byte codes through its ToUnicode map,
/// even one that names no code space; without a map, as UCS-2 only when its encoding says so
/// (an Identity-H font without one shows nothing that can be read).
#[test]
fn a_fonts_codes_are_read_as_its_kind_and_map_say() {
    let type0 = |rest: &str| format!("<< /Type /Font /Subtype /Type0 /BaseFont /X {rest} >>");
    // Thirty characters and more: a text layer, not a scan's stray caption.
    let (one, two) = ("4E2D".repeat(30), "4E2D6587".repeat(15));
    let map = b"/CIDInit /ProcSet findresource begin begincmap 1 beginbfchar <4E2D> <6587> endbfchar endcmap";
    // `dangan text` ends with the text read.
    let text = |font: &str, map: &[u8], shown: &str| {
        let lines = text_lines(&font_pdf(font, map, shown));
        lines.last().cloned().unwrap_or_default()
    };
    let mapped = text(&type0("/Encoding /Identity-H /ToUnicode 6 0 R"), map, &one);
    assert_eq!(mapped, "文".repeat(30));
    let ucs2 = text(&type0("/Encoding /UniGB-UCS2-H"), b"", &two);
    assert_eq!(ucs2, "中文".repeat(15));
    let identity = text(&type0("/Encoding /Identity-H"), b"", &two);
    assert!(!identity.contains('中'), "{identity}");
}

/// Text drawn by a Form XObject (`/Fm1 Do`), with fonts of the form's own: read where it is
/// drawn, between the page's own lines, once (the form draws itself: not followed again); the
/// image the page draws is looked up, nothing read from it.
#[test]
fn text_inside_a_form_xobject() {
    let lines = text_lines(&form_pdf(true));
    let chinese = "中文".repeat(16);
    let at = |l: &str| lines.iter().position(|x| *x == l);
    let (head, form, tail) = (at("Head"), at(&chinese), at("Tail"));
    assert!(
        head.is_some() && head < form && form < tail,
        "Head, the form's text, Tail, each on its own line: {lines:?}"
    );
    assert_eq!(
        lines.iter().filter(|l| **l == chinese).count(),
        1,
        "the form drawn once: {lines:?}"
    );
}

/// A page whose only text is drawn by a form has a text layer (the inspection looks into the
/// forms' resources for fonts), not a scan to OCR.
#[test]
fn a_text_layer_drawn_wholly_as_a_form() {
    let lines = text_lines(&form_pdf(false));
    let chinese = "中文".repeat(16);
    assert!(
        lines.contains(&chinese) && lines.iter().any(|l| l.contains("PDF 文字层")),
        "{lines:?}"
    );
}
