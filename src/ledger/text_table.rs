//! Ledgers saved as text: .csv (Excel's "CSV (逗号分隔)" on Chinese Windows writes GBK with
//! CRLF; information systems export UTF-8, with or without a BOM) and .tsv. The encoding is
//! found from the bytes — a BOM (UTF-8, UTF-16 LE/BE), else UTF-8 if the bytes are valid
//! UTF-8, else GB18030 (a superset of GBK) — and the rows go to the same parser as a sheet's,
//! quoting and line breaks inside quoted cells handled by the `csv` crate. A file that is none
//! of these encodings is a problem that names it, never a table of mojibake.

use crate::broken::Broken;
use std::borrow::Cow;

use calamine::Data;

use super::RowSink;

/// The largest text table read (a ledger of 100,000 rows with long 备注 cells is ~50 MB).
const MAX_BYTES: u64 = 256 << 20;

pub(super) fn stream(
    path: &std::path::Path,
    tabs: bool,
    sink: &mut dyn RowSink,
) -> Result<(), Broken> {
    stream_within(path, tabs, sink, MAX_BYTES)
}

/// [`stream`] with the largest table read as a parameter.
fn stream_within(
    path: &std::path::Path,
    tabs: bool,
    sink: &mut dyn RowSink,
    max_bytes: u64,
) -> Result<(), Broken> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > max_bytes {
        return Err(format!(
            "超出检查上限（文本表格 {} MB，上限 {} MB），未读取",
            size >> 20,
            max_bytes >> 20
        )
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = decode(&bytes)?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    sink.start(&name, 0);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tabs { b'\t' } else { b',' })
        .from_reader(text.as_bytes());
    let mut row: Vec<Data> = Vec::new();
    for (r, record) in reader.records().enumerate() {
        let record = match record {
            Ok(rec) => rec,
            Err(e) => {
                sink.problem(format!("第 {} 行无法读取：{e}", r + 1));
                break;
            }
        };
        row.clear();
        row.extend(record.iter().map(|c| {
            if c.trim().is_empty() {
                Data::Empty
            } else {
                Data::String(c.to_string())
            }
        }));
        if row.iter().any(|c| !matches!(c, Data::Empty)) {
            sink.row(u32::try_from(r).unwrap_or(u32::MAX), &row, &[]);
        }
    }
    sink.finish();
    Ok(())
}

/// The text of a table file, whatever its encoding: BOM first, then UTF-8, then GB18030.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, Broken> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!("文字编码有误：文件开头标明 {}，内容却不是", enc.name()).into());
        }
        return Ok(text);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(
            "无法识别文字编码（既不是 UTF-8，也不是 GBK/GB18030）：请在 Excel 或 WPS 中另存为 .xlsx"
                .into(),
        );
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_a_ledger_comes_in() {
        let text = "姓名,申请入党时间\r\n张三,2021.03.05\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        for bytes in [text.as_bytes().to_vec(), gbk.into_owned(), bom, utf16] {
            assert_eq!(decode(&bytes).expect("decodes"), text);
        }
        // Neither UTF-8 nor GB18030: said, not guessed.
        assert!(decode(&[0x81, 0x20, 0xFF, 0xFF]).is_err());
    }

    /// Rows counted.
    struct Count(usize);

    impl RowSink for Count {
        fn start(&mut self, _: &str, _: u32) {}
        fn row(&mut self, _: u32, _: &[Data], _: &[u8]) {
            self.0 += 1;
        }
        fn finish(&mut self) {}
        fn problem(&mut self, _: String) {}
    }

    #[test]
    fn a_text_table_past_256_mib_is_refused_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("台账.csv");
        let file = std::fs::File::create(&path).expect("create");
        // A sparse file: nothing is written to the disk.
        file.set_len(MAX_BYTES + 1).expect("set_len");
        let mut rows = Count(0);
        let err = stream(&path, false, &mut rows)
            .expect_err("past the limit")
            .to_string();
        assert!(
            err.contains("超出检查上限（文本表格 256 MB，上限 256 MB）"),
            "{err}"
        );
        assert_eq!(rows.0, 0);
        // At a limit exactly the table is read; a byte past it, it is not.
        let table = "姓名,申请入党时间\n张三,2021.03.05\n";
        std::fs::write(&path, table).expect("write");
        let len = table.len() as u64;
        assert!(stream_within(&path, false, &mut rows, len).is_ok());
        assert_eq!(rows.0, 2);
        assert!(stream_within(&path, false, &mut rows, len - 1).is_err());
        assert_eq!(rows.0, 2);
    }
}
