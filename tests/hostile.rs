//! Hostile files inside the archive (issue 13, items 1–7): each ends as a finding on that file
//! (or reads correctly), in bounded time, and the rest of the archive is audited. Every file
//! here is built in code; each case hung, aborted or misread before the budgets of
//! `src/inspect` (README "Robustness").

mod common;
use common::{AS_OF, copy_tree, fixture, pdf_of};

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

/// Each case's bound: 5 s for a release build (CI runs this file so, `cargo test --release`),
/// a minute for a debug build under `cargo test`'s parallel load — far below the minutes or
/// the abort these cases took before.
const TIME_LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 60 } else { 5 });

/// The most memory a run may take on a hostile file.
const MEMORY_LIMIT_MB: i64 = 500;

/// The largest peak memory (RSS) of any child this test process has waited for, in MB.
fn children_peak_mb() -> i64 {
    // SAFETY: getrusage writes into the struct it is given and nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0;
    assert!(ok, "getrusage");
    usage.ru_maxrss / 1024
}

/// The clean archive with `bytes` written at `rel` (replacing a dossier's file): the audit's
/// exit code, JSON and how long it took. Fails on a crash, a hang or a run that stopped.
fn audit_with(rel: &str, write: impl FnOnce(&Path)) -> (Value, Duration) {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&fixture("clean"), dir.path());
    write(&dir.path().join(rel));
    let start = Instant::now();
    let out = common::dangan()
        .arg("audit")
        .arg(dir.path())
        .args(["--as-of", AS_OF, "--format", "json"])
        .timeout(TIME_LIMIT)
        .output()
        .expect("dangan runs");
    let took = start.elapsed();
    let peak = children_peak_mb();
    assert!(
        peak < MEMORY_LIMIT_MB,
        "{rel}: a run took {peak} MB (at most {MEMORY_LIMIT_MB})"
    );
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "{rel}: exit {code:?} after {took:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    // The clean archive's five dossiers are all audited (and any the case adds).
    assert!(
        json["summary"]["dossiers"].as_u64().is_some_and(|n| n >= 5),
        "the run goes on: {json}"
    );
    (json, took)
}

/// The findings about `rel`: (rule, message).
fn about(json: &Value, rel: &str) -> Vec<(String, String)> {
    common::findings(json)
        .iter()
        .filter(|f| f["file"] == rel)
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_string();
            (s("rule"), s("message"))
        })
        .collect()
}

const TARGET: &str = "第一党支部/李四/入党申请书.pdf";

fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// Item 1: an object stream whose /Length is an object stored inside that same stream.
#[test]
fn a_stream_whose_length_is_inside_itself() {
    // Object 1: the object stream holding 2 (the catalog) and 3 (its own length).
    let a = b"<< /Type /Catalog /Pages 5 0 R >>";
    let b = b"60";
    let head = format!("2 0 3 {} ", a.len() + 1);
    let mut data = head.clone().into_bytes();
    data.extend_from_slice(a);
    data.push(b' ');
    data.extend_from_slice(b);
    let mut out = b"%PDF-1.7\n".to_vec();
    let obj1 = out.len();
    out.extend_from_slice(
        format!(
            "1 0 obj\n<< /Type /ObjStm /N 2 /First {} /Length 3 0 R >>\nstream\n",
            head.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\nendstream\nendobj\n");
    // Object 4: the cross-reference stream (W 1 4 2, uncompressed).
    let obj4 = out.len();
    let mut rows = Vec::new();
    let row = |t: u8, a: u32, b: u16| {
        let mut r = vec![t];
        r.extend_from_slice(&a.to_be_bytes());
        r.extend_from_slice(&b.to_be_bytes());
        r
    };
    rows.extend(row(0, 0, 0xffff));
    rows.extend(row(1, obj1 as u32, 0));
    rows.extend(row(2, 1, 0));
    rows.extend(row(2, 1, 1));
    rows.extend(row(1, obj4 as u32, 0));
    out.extend_from_slice(b"4 0 obj\n");
    out.extend_from_slice(&stream("/Type /XRef /Size 5 /W [1 4 2] /Root 2 0 R", &rows));
    out.extend_from_slice(format!("\nendobj\nstartxref\n{obj4}\n%%EOF\n").as_bytes());
    assert!(out.len() < 1024);
    let (json, _) = audit_with(TARGET, |p| std::fs::write(p, &out).expect("write"));
    let f = about(&json, TARGET);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "unreadable-file");
    assert!(f[0].1.contains("超出检查上限"), "{f:?}");
}

/// Item 2: 10,000 cross-reference sections all naming one /XRefStm that inflates to 64 MiB.
#[test]
fn many_sections_naming_one_big_cross_reference_stream() {
    let zeros = vec![0u8; 64 << 20];
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 6);
    drop(zeros);
    let mut out = b"%PDF-1.7\n".to_vec();
    let cat = out.len();
    out.extend_from_slice(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    let pages = out.len();
    out.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n");
    let xs = out.len();
    out.extend_from_slice(b"3 0 obj\n");
    out.extend_from_slice(&stream(
        "/Type /XRef /Size 3 /W [1 4 2] /Filter /FlateDecode",
        &packed,
    ));
    out.extend_from_slice(b"\nendobj\n");
    let mut prev: Option<usize> = None;
    for _ in 0..10_000 {
        let at = out.len();
        let p = prev.map(|p| format!(" /Prev {p}")).unwrap_or_default();
        out.extend_from_slice(
            format!(
                "xref\n0 3\n0000000000 65535 f \n{cat:010} 00000 n \n{pages:010} 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R /XRefStm {xs}{p} >>\n"
            )
            .as_bytes(),
        );
        prev = Some(at);
    }
    out.extend_from_slice(format!("startxref\n{}\n%%EOF\n", prev.unwrap_or(0)).as_bytes());
    let (json, took) = audit_with(TARGET, |p| std::fs::write(p, &out).expect("write"));
    assert!(took < TIME_LIMIT, "{took:?}");
    // Whole, and read once: no finding needed, but no hang.
    assert!(
        about(&json, TARGET)
            .iter()
            .all(|(r, _)| r == "unreadable-file"),
        "{json}"
    );
}

/// Items 3 and 4: 20,000 pages sharing one resource dictionary of 20,000 image references,
/// held by reference (3) or inline in the page tree's root, inherited by every page (4).
fn shared_resources(inline: bool) -> Vec<u8> {
    const PAGES: usize = 20_000;
    let images = 10;
    // 1 catalog, 2 pages root, 3 the XObject dictionary, 4..4+images images, then pages.
    let first_image = 4;
    let first_page = first_image + images;
    let xobjects: String = (0..PAGES)
        .map(|i| format!("/Im{i} {} 0 R ", first_image + i % images))
        .collect();
    let kids: String = (0..PAGES)
        .map(|i| format!("{} 0 R ", first_page + i))
        .collect();
    let res = if inline {
        format!("/Resources << /XObject << {xobjects}>> >>")
    } else {
        "/Resources << /XObject 3 0 R >>".to_string()
    };
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {PAGES} {res} >>").into_bytes(),
        format!("<< {xobjects}>>").into_bytes(),
    ];
    for _ in 0..images {
        objs.push(stream(
            "/Type /XObject /Subtype /Image /Width 1700 /Height 2200 /ColorSpace /DeviceGray /BitsPerComponent 8",
            b"x",
        ));
    }
    for _ in 0..PAGES {
        objs.push(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>".to_vec());
    }
    pdf_of(&objs, 1)
}

#[test]
fn pages_sharing_a_large_resource_dictionary_by_reference() {
    let bytes = shared_resources(false);
    let (json, took) = audit_with(TARGET, |p| std::fs::write(p, &bytes).expect("write"));
    assert!(took < TIME_LIMIT, "{took:?}");
    // Read right: 20,000 pages of 200-dpi images, no finding on the file.
    assert_eq!(about(&json, TARGET), Vec::<(String, String)>::new());
    let file = json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .find(|f| f["file"] == TARGET)
        .cloned()
        .unwrap_or_default();
    assert_eq!(file["pages"], 20_000, "{file}");
    assert_eq!(file["dpi"], 200.0, "{file}");
}

#[test]
fn pages_inheriting_a_large_inline_resource_dictionary() {
    let bytes = shared_resources(true);
    let (json, took) = audit_with(TARGET, |p| std::fs::write(p, &bytes).expect("write"));
    assert!(took < TIME_LIMIT, "{took:?}");
    assert_eq!(about(&json, TARGET), Vec::<(String, String)>::new());
}

/// Item 5: a page object of about 4,090 bytes, so that the first 4 KiB read ends just after
/// the `4 0` of `/Resources 4 0 R`: read further, and the 100-dpi scan is caught.
#[test]
fn a_reference_cut_by_the_read_window_reads_further() {
    let build = |pad: usize| {
        let objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Pad ({}) /Resources 4 0 R >>",
                "x".repeat(pad)
            )
            .into_bytes(),
            b"<< /XObject << /Im0 5 0 R >> >>".to_vec(),
            stream(
                "/Type /XObject /Subtype /Image /Width 850 /Height 1100 /ColorSpace /DeviceGray /BitsPerComponent 8",
                b"x",
            ),
        ];
        pdf_of(&objs, 1)
    };
    // Find the padding that puts the window's end right after "4 0".
    let probe = build(0);
    let page = find(&probe, b"3 0 obj").expect("page object");
    let r = find(&probe, b"/Resources 4 0 R").expect("reference") + "/Resources 4 0".len();
    let pad = 4096 - (r - page);
    let bytes = build(pad);
    let page = find(&bytes, b"3 0 obj").expect("page object");
    assert_eq!(
        &bytes[page + 4096 - 3..page + 4096],
        b"4 0",
        "the window ends inside the reference"
    );
    let (json, _) = audit_with(TARGET, |p| std::fs::write(p, &bytes).expect("write"));
    let f = about(&json, TARGET);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "low-resolution", "{f:?}");
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Item 6: a TIFF whose directories each hold strip tables of 500,000 entries (shared, so the
/// file stays small): read each table in one read, and stop at the file's budget.
#[test]
fn a_tiff_with_huge_strip_tables() {
    let rel = "第一党支部/李四/自传.tif";
    let n: u32 = 500_000;
    let dirs = 8u32;
    // Header, then the two tables (offsets all 8, lengths all 1), then the directories.
    let mut b = b"II*\0".to_vec();
    let first_dir = 8 + 8 * n;
    b.extend_from_slice(&first_dir.to_le_bytes());
    let offsets_at = 8u32;
    let counts_at = 8 + 4 * n;
    for _ in 0..n {
        b.extend_from_slice(&8u32.to_le_bytes());
    }
    for _ in 0..n {
        b.extend_from_slice(&1u32.to_le_bytes());
    }
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        let mut e = tag.to_le_bytes().to_vec();
        e.extend_from_slice(&kind.to_le_bytes());
        e.extend_from_slice(&count.to_le_bytes());
        e.extend_from_slice(&value.to_le_bytes());
        e
    };
    for d in 0..dirs {
        b.extend_from_slice(&2u16.to_le_bytes());
        b.extend(entry(0x0111, 4, n, offsets_at));
        b.extend(entry(0x0117, 4, n, counts_at));
        let next = if d + 1 < dirs {
            first_dir + (d + 1) * (2 + 24 + 4)
        } else {
            0
        };
        b.extend_from_slice(&next.to_le_bytes());
    }
    let (json, took) = audit_with(rel, |p| std::fs::write(p, &b).expect("write"));
    assert!(took < TIME_LIMIT, "{took:?}");
    let f = about(&json, rel);
    assert!(
        f.iter()
            .any(|(r, m)| r == "unreadable-file" && m.contains("超出检查上限")),
        "{f:?}"
    );
}

/// Item 7: a sparse 4 GiB PNG (a few KB on disk) whose one text chunk claims nearly all of it.
#[test]
fn a_sparse_png_with_a_huge_text_chunk() {
    let rel = "第一党支部/李四/自传.png";
    let (json, took) = audit_with(rel, |p| {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            let mut h = crc32fast::Hasher::new();
            h.update(kind);
            h.update(data);
            c.extend_from_slice(&h.finalize().to_be_bytes());
            c
        };
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&100u32.to_be_bytes());
        ihdr.extend_from_slice(&100u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend(chunk(b"IHDR", &ihdr));
        let text_len: u32 = 0xFFFF_0000;
        b.extend_from_slice(&text_len.to_be_bytes());
        b.extend_from_slice(b"tEXt");
        let text_at = b.len() as u64;
        let f = std::fs::File::create(p).expect("create");
        use std::io::{Seek, Write};
        let mut f = f;
        f.write_all(&b).expect("write");
        // The text's bytes are a hole; its CRC, then IEND, follow.
        f.seek(std::io::SeekFrom::Start(text_at + u64::from(text_len)))
            .expect("seek");
        f.write_all(&[0, 0, 0, 0]).expect("crc");
        f.write_all(&chunk(b"IEND", b"")).expect("iend");
    });
    assert!(took < TIME_LIMIT, "{took:?}");
    // The chunk is not read (past the size whose every CRC is checked): the file is a whole
    // PNG as far as its structure goes.
    assert!(
        about(&json, rel)
            .iter()
            .all(|(r, _)| r != "unreadable-file"),
        "{json}"
    );
}

/// Item 17: folders 张三 in UTF-8 and 张三 in GBK bytes side by side are two dossiers with two
/// paths, never one path twice.
#[cfg(unix)]
#[test]
fn the_same_name_in_utf8_and_gbk_gives_two_paths() {
    use std::os::unix::ffi::OsStrExt;
    let (json, _) = audit_with("第一党支部/李四/入党申请书.pdf", |p| {
        let pdf = std::fs::read(fixture("clean").join(TARGET)).expect("pdf");
        std::fs::write(p, &pdf).expect("write");
        let branch = p
            .parent()
            .and_then(Path::parent)
            .expect("branch folder")
            .to_path_buf();
        let (gbk, _, _) = encoding_rs::GBK.encode("张三");
        for (k, name) in [
            std::ffi::OsStr::new("张三"),
            std::ffi::OsStr::from_bytes(&gbk),
        ]
        .into_iter()
        .enumerate()
        {
            let folder = branch.join(name);
            std::fs::create_dir_all(&folder).expect("mkdir");
            let mut copy = pdf.clone();
            copy.extend_from_slice(format!("% copy {k}\n").as_bytes());
            std::fs::write(folder.join("入党申请书.pdf"), copy).expect("write");
        }
    });
    let paths: Vec<&str> = json["dossiers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["files"].as_array().into_iter().flatten())
        .filter_map(|f| f["file"].as_str())
        .filter(|f| f.contains("张三") && !f.contains("01-张三"))
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert_ne!(paths[0], paths[1], "one path for two files");
    assert!(paths.iter().any(|p| p.contains("〔GBK〕")), "{paths:?}");
}

/// Item 20: 20,000 comment segments before the image data hit the segment cap, and say so
/// (not "no SOS segment").
#[test]
fn a_jpeg_of_endless_comments_names_the_cap() {
    let rel = "第一党支部/李四/自传.jpg";
    let mut b = vec![0xFF, 0xD8];
    for _ in 0..20_000 {
        b.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x04, b'h', b'i']);
    }
    b.extend_from_slice(&[0xFF, 0xD9]);
    let (json, _) = audit_with(rel, |p| std::fs::write(p, &b).expect("write"));
    let f = about(&json, rel);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].1.contains("超出检查上限") && !f[0].1.contains("SOS"),
        "{f:?}"
    );
}

/// Item 20: a zero-byte spreadsheet is empty-file's alone.
#[test]
fn a_zero_byte_spreadsheet_is_one_empty_file() {
    let rel = "旧台账.xlsx";
    let (json, _) = audit_with(rel, |p| std::fs::write(p, b"").expect("write"));
    let f = about(&json, rel);
    let rules: Vec<&str> = f.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(rules, ["empty-file"], "{f:?}");
}

/// Item 20: an as-of date before 1921-07-01 is refused (it turned every date into an error).
#[test]
fn an_as_of_date_before_the_party_is_refused() {
    let out = common::dangan()
        .arg("audit")
        .arg(fixture("clean"))
        .args(["--as-of", "1900-01-01"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1921-07-01"));
}

/// Item 8: a 1 KB .ods whose one text cell is repeated 99,000 × 1,000 times.
#[test]
fn an_ods_of_one_cell_repeated_a_hundred_million_times() {
    let rel = "汇总.ods";
    let (json, took) = audit_with(rel, |p| {
        use std::io::Write;
        let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row table:number-rows-repeated="99000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string"><text:p>姓名</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(p).expect("create"));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).expect("entry");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("write");
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(content.as_bytes()).expect("write");
        zip.start_file(
            "META-INF/manifest.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .expect("entry");
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).expect("write");
        zip.finish().expect("finish");
    });
    assert!(took < TIME_LIMIT, "{took:?}");
    let f = about(&json, rel);
    assert!(
        f.iter()
            .any(|(r, m)| r == "unreadable-file" && m.contains("超出检查上限")),
        "{f:?}"
    );
}

/// A minimal .xls (BIFF8 in a compound file): one sheet with numbers at the given cells, its
/// workbook stream a regular one (padded to 4 KiB).
fn xls(cells: &[(u16, u16, f64)]) -> Vec<u8> {
    compound(&biff(cells), false)
}

/// The workbook stream of one sheet with numbers at the given cells.
fn biff(cells: &[(u16, u16, f64)]) -> Vec<u8> {
    let rec = |kind: u16, data: &[u8]| {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    };
    let bof = |dt: u16| {
        let mut d = 0x0600u16.to_le_bytes().to_vec();
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        rec(0x0809, &d)
    };
    let mut globals = bof(0x0005);
    let sheet_name = b"Sheet1";
    let boundsheet_len = 4 + 6 + 2 + 2 + sheet_name.len();
    let sheet_at = globals.len() + boundsheet_len + 4;
    let mut bs = (sheet_at as u32).to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, sheet_name.len() as u8, 0]);
    bs.extend_from_slice(sheet_name);
    globals.extend(rec(0x0085, &bs));
    globals.extend(rec(0x000A, &[]));
    let mut stream = globals;
    stream.extend(bof(0x0010));
    for &(r, c, v) in cells {
        let mut d = r.to_le_bytes().to_vec();
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&v.to_le_bytes());
        stream.extend(rec(0x0203, &d));
    }
    stream.extend(rec(0x000A, &[]));
    stream
}

/// A compound file (MS-CFB, 512-byte sectors) holding `stream` as its Workbook: a regular
/// stream (padded to at least 4 KiB), or with `mini` one in the mini stream (64-byte sectors,
/// kept in the root entry's stream, chained by the mini FAT), as small workbooks are.
fn compound(stream: &[u8], mini: bool) -> Vec<u8> {
    let free = 0xFFFF_FFFFu32;
    let end = 0xFFFF_FFFEu32;
    let mut stream = stream.to_vec();
    let size = if mini {
        assert!(stream.len() < 4096, "a mini stream is under 4 KiB");
        let size = stream.len();
        stream.resize(stream.len().div_ceil(64) * 64, 0);
        size
    } else {
        stream.resize(stream.len().max(4096), 0);
        stream.len()
    };
    let data_len = stream.len();
    stream.resize(stream.len().div_ceil(512) * 512, 0);
    let sectors = stream.len() / 512;
    // Sector 0: the FAT; 1: the directory; 2: the mini FAT; 3..: the stream (the workbook, or
    // the mini stream holding it).
    let mut header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    header.extend_from_slice(&[0; 16]);
    header.extend_from_slice(&0x003Eu16.to_le_bytes());
    header.extend_from_slice(&3u16.to_le_bytes());
    header.extend_from_slice(&0xFFFEu16.to_le_bytes());
    header.extend_from_slice(&9u16.to_le_bytes());
    header.extend_from_slice(&6u16.to_le_bytes());
    header.extend_from_slice(&[0; 6]);
    header.extend_from_slice(&0u32.to_le_bytes()); // directory sectors (v3: 0)
    header.extend_from_slice(&1u32.to_le_bytes()); // FAT sectors
    header.extend_from_slice(&1u32.to_le_bytes()); // first directory sector
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&4096u32.to_le_bytes()); // the mini stream's cutoff
    header.extend_from_slice(&(if mini { 2 } else { end }).to_le_bytes()); // mini FAT
    header.extend_from_slice(&u32::from(mini).to_le_bytes());
    header.extend_from_slice(&end.to_le_bytes()); // DIFAT
    header.extend_from_slice(&0u32.to_le_bytes());
    header.extend_from_slice(&0u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    for _ in 1..109 {
        header.extend_from_slice(&free.to_le_bytes());
    }
    let mut fat: Vec<u32> = vec![0xFFFF_FFFD, end, if mini { end } else { free }];
    for i in 0..sectors {
        fat.push(if i + 1 < sectors { (4 + i) as u32 } else { end });
    }
    fat.resize(128, free);
    let mut out = header;
    for v in fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
        for (i, u) in units.iter().enumerate() {
            e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
        }
        e[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
        e[0x42] = kind;
        e[0x43] = 1;
        e[0x44..0x48].copy_from_slice(&free.to_le_bytes());
        e[0x48..0x4C].copy_from_slice(&free.to_le_bytes());
        e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    if mini {
        // The root entry's stream is the mini stream; the workbook is its sectors from 0.
        out.extend(entry("Root Entry", 5, 1, 3, data_len as u32));
        out.extend(entry("Workbook", 2, free, 0, size as u32));
    } else {
        out.extend(entry("Root Entry", 5, 1, end, 0));
        out.extend(entry("Workbook", 2, free, 3, size as u32));
    }
    out.extend(vec![0u8; 256]);
    // The mini FAT: the workbook's mini sectors chained in order.
    let mut minifat: Vec<u32> = (0..data_len / 64)
        .map(|i| {
            if (i + 1) * 64 < data_len {
                (i + 1) as u32
            } else {
                end
            }
        })
        .collect();
    minifat.resize(128, free);
    for v in minifat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend(stream);
    out
}

/// Item 8: a small .xls with a value in IV65536 (the last cell of a BIFF8 sheet).
#[test]
fn an_xls_with_a_value_in_its_last_cell() {
    let rel = "旧台账.xls";
    let bytes = xls(&[(0, 0, 1.0), (65_535, 255, 2.0)]);
    assert!(bytes.len() < 8 * 1024);
    let (json, took) = audit_with(rel, |p| std::fs::write(p, &bytes).expect("write"));
    assert!(took < TIME_LIMIT, "{took:?}");
    let f = about(&json, rel);
    assert!(
        f.iter()
            .any(|(r, m)| r == "unreadable-file" && m.contains("超出检查上限")),
        "{f:?}"
    );
    // The same workbook with its cells near each other is read (not refused), and so is one
    // whose grid is the limit exactly (15,625 rows × 256 columns = 4,000,000 cells); a row
    // more is past it.
    let refused = |bytes: Vec<u8>| {
        let (json, _) = audit_with(rel, |p| std::fs::write(p, &bytes).expect("write"));
        about(&json, rel)
            .iter()
            .any(|(r, m)| r == "unreadable-file" && m.contains("超出检查上限"))
    };
    let grid = |last_row: u16| biff(&[(0, 0, 1.0), (last_row, 255, 2.0)]);
    assert!(!refused(xls(&[(0, 0, 1.0), (3, 255, 2.0)])));
    assert!(!refused(xls(&[(0, 0, 1.0), (15_624, 255, 2.0)])));
    assert!(refused(xls(&[(0, 0, 1.0), (15_625, 255, 2.0)])));
    // A small workbook is kept in the compound file's mini stream: sized all the same.
    assert!(!refused(compound(&grid(15_624), true)));
    assert!(refused(compound(&grid(15_625), true)));
    assert!(refused(compound(&grid(65_535), true)));
    // The workbook is found by its name, not its place: a stream listed before it in the
    // directory (SummaryInformation, as Excel writes one) is not taken for it.
    assert!(!refused(decoy_first(compound(&grid(15_624), true))));
    assert!(refused(decoy_first(compound(&grid(15_625), true))));
    // A damaged directory that says the workbook is longer than its chain of sectors: it is
    // sized by the sectors there are.
    let longer = |mut cfb: Vec<u8>| {
        let at = 1024 + 128 + 0x78; // the directory's second entry (the workbook): its size
        let size = u32::from_le_bytes([cfb[at], cfb[at + 1], cfb[at + 2], cfb[at + 3]]);
        cfb[at..at + 4].copy_from_slice(&(size + 64).to_le_bytes());
        cfb
    };
    assert!(!refused(longer(compound(&grid(15_624), true))));
    assert!(refused(longer(compound(&grid(15_625), true))));
    // And one that says it is shorter than its chain, which then leads out of the mini
    // stream: sized by the sectors it says it has (the first two, holding both far cells).
    let shorter = |mut cfb: Vec<u8>| {
        let at = 1024 + 128 + 0x78;
        cfb[at..at + 4].copy_from_slice(&128u32.to_le_bytes());
        let next = 1536 + 4; // the mini FAT (sector 2): the workbook's second sector's next
        cfb[next..next + 4].copy_from_slice(&1000u32.to_le_bytes());
        cfb
    };
    let long = |last_row: u16| {
        let mut cells = vec![(0, 0, 1.0), (last_row, 255, 2.0)];
        cells.extend((1..=10).map(|r| (r, 0, 0.0)));
        biff(&cells)
    };
    assert!(!refused(shorter(compound(&long(15_624), true))));
    assert!(refused(shorter(compound(&long(15_625), true))));
}

/// A compound file of [`compound`] with an empty stream, `\u{5}SummaryInformation`, listed
/// before the workbook in its directory (the root's child is then the workbook, its left
/// sibling the other stream).
fn decoy_first(mut cfb: Vec<u8>) -> Vec<u8> {
    const DIR: usize = 1024; // sector 1
    let workbook = cfb[DIR + 128..DIR + 256].to_vec();
    cfb[DIR + 256..DIR + 384].copy_from_slice(&workbook);
    let mut e = vec![0u8; 128];
    let units: Vec<u16> = "\u{5}SummaryInformation"
        .encode_utf16()
        .chain([0])
        .collect();
    for (i, u) in units.iter().enumerate() {
        e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
    }
    e[0x40..0x42].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
    e[0x42] = 2;
    e[0x43] = 1;
    for at in [0x44, 0x48, 0x4C] {
        e[at..at + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    }
    e[0x74..0x78].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    cfb[DIR + 128..DIR + 256].copy_from_slice(&e);
    cfb[DIR + 0x4C..DIR + 0x50].copy_from_slice(&2u32.to_le_bytes());
    cfb[DIR + 256 + 0x44..DIR + 256 + 0x48].copy_from_slice(&1u32.to_le_bytes());
    cfb
}

/// Run `dangan audit clean` with extra arguments: (exit code, stderr, seconds).
fn audit_clean_with(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, f64) {
    let start = Instant::now();
    let out = common::dangan()
        .arg("audit")
        .arg(fixture("clean"))
        .args(["--as-of", AS_OF, "--format", "json"])
        .args(args)
        .timeout(TIME_LIMIT)
        .output()
        .expect("runs");
    let peak = children_peak_mb();
    assert!(peak < MEMORY_LIMIT_MB, "a run took {peak} MB");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        start.elapsed().as_secs_f64(),
    )
}

/// Item 19: a rule file of 120,000 aliases of one 64 KiB string, and one nested 300,000
/// levels deep, are refused at once with the limit named.
#[test]
fn rule_files_that_would_explode_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.yaml");
    let mut text = format!("x-big: &s \"{}\"\nx-list:\n", "x".repeat(64 << 10));
    for _ in 0..120_000 {
        text.push_str("  - *s\n");
    }
    std::fs::write(&bomb, text).expect("write");
    let (code, err, secs) = audit_clean_with(&["--rules".as_ref(), bomb.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("别名"), "{err}");
    assert!(secs < TIME_LIMIT.as_secs_f64(), "{secs}");

    let deep = dir.path().join("deep.yaml");
    std::fs::write(&deep, "- ".repeat(300_000) + "x\n").expect("write");
    let (code, err, secs) = audit_clean_with(&["--rules".as_ref(), deep.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("嵌套层级过深"), "{err}");
    assert!(secs < TIME_LIMIT.as_secs_f64(), "{secs}");

    let flow = dir.path().join("flow.yaml");
    std::fs::write(&flow, "a: ".to_string() + &"[".repeat(300_000)).expect("write");
    let (code, err, _) = audit_clean_with(&["--rules".as_ref(), flow.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("嵌套层级过深"), "{err}");
}

/// Item 19: 100,000 waivers load in linear time.
#[test]
fn a_hundred_thousand_waivers_load_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("waivers.yaml");
    let mut text = String::from("waivers:\n");
    for i in 0..100_000 {
        text.push_str(&format!(
            "  - rule: missing-document\n    dossier: \"第一党支部/人{i}\"\n    reason: 补档中\n    approved_by: 组织委员\n    expires: 2099-12-31\n"
        ));
    }
    std::fs::write(&path, text).expect("write");
    let (code, err, secs) = audit_clean_with(&["--waivers".as_ref(), path.as_os_str()]);
    assert!(matches!(code, Some(0 | 1)), "{err}");
    assert!(secs < TIME_LIMIT.as_secs_f64(), "{secs}");
}

/// Item 20: an image whose /Width is +inf or NaN gives no resolution, and the summary counts
/// the file's resolution as unknown.
#[test]
fn an_infinite_image_width_is_an_unknown_resolution() {
    for width in ["+inf", "NaN"] {
        let objs: Vec<Vec<u8>> = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 4 0 R >>".to_vec(),
            b"<< /XObject << /Im0 5 0 R >> >>".to_vec(),
            stream(
                &format!("/Type /XObject /Subtype /Image /Width {width} /Height 1100"),
                b"x",
            ),
        ];
        let bytes = pdf_of(&objs, 1);
        let (clean, _) = audit_with(TARGET, |_| {});
        let (json, _) = audit_with(TARGET, |p| std::fs::write(p, &bytes).expect("write"));
        let file = json["dossiers"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|d| d["files"].as_array().into_iter().flatten())
            .find(|f| f["file"] == TARGET)
            .cloned()
            .unwrap_or_default();
        assert_eq!(file["dpi"], Value::Null, "{width}: {file}");
        assert_eq!(file["pages"], 1, "{width}: {file}");
        // The clean archive's file had no resolution either: the count is unchanged, and the
        // file is not taken for a low-resolution scan.
        assert_eq!(
            json["summary"]["unknown_resolution"], clean["summary"]["unknown_resolution"],
            "{width}"
        );
        assert!(about(&json, TARGET).is_empty(), "{width}: {json}");
    }
}

/// Item 19: 500 regular expressions that each compile to megabytes are refused, each naming
/// the limit, without taking gigabytes first.
#[test]
fn heavy_regular_expressions_are_refused_within_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("regex.yaml");
    let mut text = String::from("documents:\n");
    for i in 0..500 {
        text.push_str(&format!(
            "  doc{i}:\n    title: 文书{i}\n    regex: ['^\\w{{50}}(\\w|\\s){{30}}x{i}$']\n"
        ));
    }
    std::fs::write(&path, text).expect("write");
    let (code, err, secs) = audit_clean_with(&["--rules".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("size limit"), "{err}");
    assert!(secs < TIME_LIMIT.as_secs_f64(), "{secs}");
}

/// Forms nested nine deep, each drawing the next ten times: 10⁹ draws of an empty form if
/// followed. The text reader stops at its cap and the run goes on.
#[test]
fn forms_drawing_forms_ten_times_each() {
    const DEPTH: u32 = 9;
    // Objects: 1 catalog, 2 pages, 3 page, 4 page content, 5.. the forms (the last draws
    // nothing).
    let draw_ten = "/Fm Do ".repeat(10);
    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 99 0 R >> /XObject << /Fm 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", format!("BT /F1 12 Tf (x) Tj ET {draw_ten}").as_bytes()),
    ];
    for level in 0..DEPTH {
        let n = 5 + level;
        let (resources, content) = if level + 1 < DEPTH {
            (
                format!("/Resources << /XObject << /Fm {} 0 R >> >>", n + 1),
                draw_ten.clone(),
            )
        } else {
            (String::new(), String::new())
        };
        objs.push(stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 1 1] {resources}"),
            content.as_bytes(),
        ));
    }
    let (json, took) = audit_with(TARGET, |p| {
        std::fs::write(p, pdf_of(&objs, 1)).expect("write");
    });
    assert!(took < TIME_LIMIT, "{took:?}");
    // Its text (one letter) is no application's: not unreadable, just without what the
    // content rules look for.
    assert!(
        about(&json, TARGET)
            .iter()
            .all(|(rule, _)| rule != "unreadable-file"),
        "{json}"
    );
}
