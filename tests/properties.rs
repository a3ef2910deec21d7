//! Property tests: the parsers and inspectors take anything and never panic, and what should
//! round-trip does. (cargo-fuzz needs nightly; proptest runs in every `cargo test`.)

use std::io::Write;

use dangan::date::{from_number, parse_date, parse_range};
use dangan::idnum;
use dangan::text::normalize_header;
use jiff::civil::Date;
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９.\\-/年月日至今—~ ]{0,24}",
        "(19|20)[0-9]{2}[.\\-/年](1[0-2]|0?[1-9])([.\\-/月]([0-3]?[0-9]))?[日]?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn date_parsers_take_anything(s in any_text(), n in any::<f64>()) {
        let _ = parse_date(&s);
        let _ = parse_range(&s);
        let _ = from_number(n, None);
        let _ = from_number(n, Some(2));
        let _ = normalize_header(&s);
    }

    #[test]
    fn real_dates_read_back_in_every_form(y in 1921i16..2100, m in 1i8..=12, d in 1i8..=31) {
        let Ok(date) = Date::new(y, m, d) else { return Ok(()) };
        let want = format!("{y:04}-{m:02}-{d:02}");
        for text in [
            format!("{y}-{m}-{d}"),
            format!("{y}.{m:02}.{d:02}"),
            format!("{y}/{m}/{d}"),
            format!("{y}年{m}月{d}日"),
            format!("{y:04}{m:02}{d:02}"),
        ] {
            let v = parse_date(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e:?}")))?;
            prop_assert_eq!(v.to_string(), want.clone());
            prop_assert_eq!(v.earliest(), date);
        }
        // The same span as a range, and "至今" on the right.
        let span = format!("{y}.{m:02}.{d:02}-{y}.{m:02}.{d:02}");
        let (a, _) = parse_range(&span).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(a.earliest(), date);
        let open_ended = format!("{y}.{m:02}-至今");
        prop_assert!(parse_range(&open_ended).is_ok());
    }

    #[test]
    fn impossible_days_are_refused(y in 1921i16..2100, m in 1i8..=12, d in 29i8..=40) {
        if Date::new(y, m, d).is_err() {
            let text = format!("{y}年{m}月{d}日");
            prop_assert!(parse_date(&text).is_err());
        }
    }

    #[test]
    fn id_numbers(body in "[1-6][0-9]{5}(19[5-9][0-9]|200[0-5])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}", junk in any::<String>()) {
        let as_of = Date::new(2026, 11, 28).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = idnum::check(&junk, as_of);
        let _ = idnum::find_in(&junk);
        let _ = idnum::mask_all(&junk);
        let w = [7u32, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = body.bytes().zip(w).map(|(c, w)| u32::from(c - b'0') * w).sum();
        let check = b"10X98765432"[(sum % 11) as usize] as char;
        let good = format!("{body}{check}");
        prop_assert!(idnum::check(&good, as_of).is_ok());
        let wrong = if check == '0' { '1' } else { '0' };
        let bad = format!("{body}{wrong}");
        prop_assert!(idnum::check(&bad, as_of).is_err());
        let folder = format!("张三（{good}）");
        prop_assert_eq!(idnum::find_in(&folder), Some(good.clone()));
        let masked = idnum::mask_all(&folder);
        prop_assert!(!masked.contains(&good[6..14]));
    }

    #[test]
    fn rule_files_never_panic(yaml in prop_oneof![
        any::<String>(),
        "rules:\n  - id: [a-z-]{1,12}\n    (kind|severity|max|min|from|to|enabled|chains|documents): [a-z0-9 \\[\\],.]{0,20}\n",
        "(fields|documents|stages|branch_rating):\n  [a-z_]{1,8}: [a-z0-9 {}:,\\[\\]]{0,30}\n",
    ]) {
        let mut f = tempfile::NamedTempFile::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
        f.write_all(yaml.as_bytes()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let _ = dangan::config::load(&[f.path()]);
    }
}

/// Every prefix and a few corruptions of well-formed scans: no panic, and a truncated file is
/// never taken for whole.
#[test]
fn inspectors_take_truncated_and_corrupted_files() {
    let root =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scans/档案室抽查支部/赵一");
    let dir = tempfile::tempdir().expect("tempdir");
    for name in [
        "入党申请书.pdf",
        "入党积极分子考察登记表.tif",
        "思想汇报2023年第4季度.jpg",
        "思想汇报2024年第1季度.png",
    ] {
        let bytes = std::fs::read(root.join(name)).expect("fixture scan");
        let whole = inspect_bytes(dir.path(), name, &bytes);
        assert!(whole.problem().is_none(), "{name}: {:?}", whole.problem());
        let step = (bytes.len() / 300).max(1);
        for cut in (1..bytes.len()).step_by(step) {
            let i = inspect_bytes(dir.path(), name, &bytes[..cut]);
            // A JPEG cut inside its trailing padding is still whole; other cuts are not.
            if !(name.ends_with(".jpg") && cut >= bytes.len() - 300) {
                assert!(
                    i.problem().is_some() || i.format == dangan::inspect::FileFormat::Unknown,
                    "{name} cut at {cut} of {} taken as whole",
                    bytes.len()
                );
            }
        }
        let mut rng = 0x2545F4914F6CDD1Du64;
        for _ in 0..300 {
            let mut b = bytes.clone();
            for _ in 0..4 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let at = (rng as usize) % b.len();
                b[at] = (rng >> 32) as u8;
            }
            let _ = inspect_bytes(dir.path(), name, &b);
        }
    }
}

fn inspect_bytes(dir: &std::path::Path, name: &str, bytes: &[u8]) -> dangan::inspect::Inspection {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    // Unguarded: a panic in any parser fails the test (inspect() would report it as a
    // problem and stay green).
    dangan::inspect::inspect_unguarded(&path, bytes.len() as u64)
}
