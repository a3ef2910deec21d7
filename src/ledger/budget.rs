//! How large a spreadsheet becomes once read, found before calamine reads it. calamine builds
//! a dense grid per sheet for .xls and .ods (every cell from the first used to the last), so a
//! 5 KB .xls with one value in IV65536, or a 1 KB .ods whose one cell is repeated 99,000 ×
//! 1,000 times, would take gigabytes. The grid is sized here from the file's own structure —
//! the cell records of the .xls workbook stream, the repeat counts of the .ods content — and a
//! file past [`MAX_CELLS`] is reported instead of read.

use crate::broken::Broken;
use std::io::{BufReader, Read};
use std::path::Path;

/// The most grid cells (all sheets together) a spreadsheet may expand to: about 128 MB of
/// cells. A ledger of 100,000 people with 40 columns is exactly this.
pub const MAX_CELLS: u64 = 4_000_000;
/// The most bytes of an .ods's content.xml read (inflated).
const MAX_XML: u64 = 512 << 20;

/// The error for a file past the budget.
fn too_big(cells: u64) -> Broken {
    Broken::from(format!(
        "超出检查上限（展开后约 {cells} 个单元格，上限 {MAX_CELLS} 个），未读取：请删去表格中远处或重复的空白内容后另存"
    ))
}

/// Check that an .ods expands to at most [`MAX_CELLS`] cells with content.
pub fn check_ods(path: &Path) -> Result<(), Broken> {
    use quick_xml::events::Event;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("文件已损坏：{e}"))?;
    let Ok(content) = zip.by_name("content.xml") else {
        // calamine reports the missing part.
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content.take(MAX_XML)));
    let mut buf = Vec::new();
    let (mut rows, mut width, mut total) = (1u64, 0u64, 0u64);
    let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .and_then(|a| a.value.parse().ok())
            .unwrap_or(1)
    };
    // Width of the current row up to its last cell with content, in expanded columns.
    let mut at = 0u64;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("文件已损坏：{e}"))?;
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                rows = repeat(&e, "table:number-rows-repeated");
                (at, width) = (0, 0);
            }
            Event::Start(e) if is_cell(e.name().as_ref()) => {
                at = at.saturating_add(repeat(&e, "table:number-columns-repeated"));
                width = at;
            }
            Event::Empty(e) if is_cell(e.name().as_ref()) => {
                let n = repeat(&e, "table:number-columns-repeated");
                at = at.saturating_add(n);
                if e.attributes()
                    .flatten()
                    .any(|a| a.key.as_ref() == "office:value-type")
                {
                    width = at;
                }
            }
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                total = total.saturating_add(rows.saturating_mul(width));
                if total > MAX_CELLS {
                    return Err(too_big(total));
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

fn is_cell(name: &str) -> bool {
    name == "table:table-cell" || name == "table:covered-table-cell"
}

/// Check that an .xls's sheets span at most [`MAX_CELLS`] grid cells: the workbook stream's
/// cell records, found through the compound file's allocation tables.
pub fn check_xls(path: &Path) -> Result<(), Broken> {
    const MAX_XLS: u64 = 256 << 20;
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_XLS {
        return Err(format!(
            "超出检查上限（.xls 文件超过 {} MiB），未读取",
            MAX_XLS >> 20
        )
        .into());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let Some(stream) = Cfb::new(&bytes).and_then(|c| c.workbook()) else {
        // Not a compound file calamine can read either: it says why.
        return Ok(());
    };
    let cells = grid_cells(&stream);
    if cells > MAX_CELLS {
        return Err(too_big(cells));
    }
    Ok(())
}

/// The grid cells of every sheet (first used cell to last), from BIFF cell records.
fn grid_cells(stream: &[u8]) -> u64 {
    let mut total = 0u64;
    let mut bounds: Option<(u16, u16, u16, u16)> = None;
    let mut close = |b: &mut Option<(u16, u16, u16, u16)>| {
        if let Some((r0, r1, c0, c1)) = b.take() {
            let area = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
            total = total.saturating_add(area);
        }
    };
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let kind = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        let data = &stream[pos + 4..(pos + 4 + len).min(stream.len())];
        pos += 4 + len;
        match kind {
            // BOF: a new substream (a sheet), EOF: its end.
            0x0809 | 0x000A => close(&mut bounds),
            // NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA, BLANK, RSTRING, MULRK, MULBLANK.
            0x0203 | 0x027E | 0x00FD | 0x0204 | 0x0205 | 0x0006 | 0x0201 | 0x00D6 | 0x00BD
            | 0x00BE
                if data.len() >= 4 =>
            {
                let row = u16::from_le_bytes([data[0], data[1]]);
                let col = u16::from_le_bytes([data[2], data[3]]);
                // A MULRK / MULBLANK runs to the column in its last two bytes.
                let last = if matches!(kind, 0x00BD | 0x00BE) && data.len() >= 6 {
                    u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]).max(col)
                } else {
                    col
                };
                let b = bounds.get_or_insert((row, row, col, last));
                *b = (b.0.min(row), b.1.max(row), b.2.min(col), b.3.max(last));
            }
            _ => {}
        }
    }
    close(&mut bounds);
    total
}

/// Just enough of a compound file (MS-CFB) to read one stream.
struct Cfb<'a> {
    bytes: &'a [u8],
    shift: u32,
    fat: Vec<u32>,
}

const END: u32 = 0xFFFF_FFFE;

impl<'a> Cfb<'a> {
    fn new(bytes: &'a [u8]) -> Option<Self> {
        if bytes.len() < 512 || bytes[..8] != *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
            return None;
        }
        let u32_at = |o: usize| u32::from_le_bytes(bytes[o..o + 4].try_into().unwrap_or([0; 4]));
        let shift = u32::from(u16::from_le_bytes([bytes[0x1E], bytes[0x1F]]));
        if !(9..=12).contains(&shift) {
            return None;
        }
        let mut cfb = Cfb {
            bytes,
            shift,
            fat: Vec::new(),
        };
        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109).map(|i| u32_at(0x4C + 4 * i)).collect();
        let mut difat = u32_at(0x44);
        let per = (1usize << shift) / 4;
        for _ in 0..u32_at(0x48).min(10_000) {
            let Some(s) = cfb.sector(difat) else { break };
            let ids: Vec<u32> = s
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            fat_sectors.extend_from_slice(&ids[..per - 1]);
            difat = ids[per - 1];
        }
        let count = (u32_at(0x2C) as usize).min(fat_sectors.len());
        for &s in &fat_sectors[..count] {
            let sector = cfb.sector(s)?;
            cfb.fat.extend(
                sector
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
            );
        }
        Some(cfb)
    }

    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let size = 1usize << self.shift;
        let start = (id as usize).checked_add(1)?.checked_mul(size)?;
        self.bytes.get(start..start.checked_add(size)?)
    }

    /// The bytes of the chain of sectors from `first` (loops and overruns end it).
    fn chain(&self, first: u32, limit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut id = first;
        let mut steps = 0usize;
        while id != END && steps <= self.fat.len() && out.len() < limit {
            let Some(s) = self.sector(id) else { break };
            out.extend_from_slice(s);
            id = self.fat.get(id as usize).copied().unwrap_or(END);
            steps += 1;
        }
        out.truncate(limit);
        out
    }

    /// The workbook stream ("Workbook", or "Book" in BIFF5), from the regular or the mini
    /// stream.
    fn workbook(&self) -> Option<Vec<u8>> {
        let u32_at = |o: usize| -> Option<u32> {
            Some(u32::from_le_bytes(
                self.bytes.get(o..o + 4)?.try_into().ok()?,
            ))
        };
        let dir = self.chain(u32_at(0x30)?, 64 << 20);
        let entries: Vec<&[u8]> = dir.chunks_exact(128).collect();
        let name = |e: &[u8]| {
            let n = usize::from(u16::from_le_bytes([e[0x40], e[0x41]])).min(64);
            let units: Vec<u16> = e[..n.saturating_sub(2)]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        };
        let start = |e: &[u8]| u32::from_le_bytes([e[0x74], e[0x75], e[0x76], e[0x77]]);
        let size = |e: &[u8]| u32::from_le_bytes([e[0x78], e[0x79], e[0x7A], e[0x7B]]) as usize;
        let book = entries
            .iter()
            .find(|e| e[0x42] == 2 && matches!(name(e).as_str(), "Workbook" | "Book"))?;
        let cutoff = u32_at(0x38)? as usize;
        if size(book) >= cutoff {
            return Some(self.chain(start(book), size(book)));
        }
        // A small stream lives in the mini stream (the root entry's), 64-byte sectors.
        let root = entries.iter().find(|e| e[0x42] == 5)?;
        let mini = self.chain(start(root), size(root));
        let minifat: Vec<u32> = self
            .chain(u32_at(0x3C)?, 64 << 20)
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let mut out = Vec::new();
        let mut id = start(book);
        let mut steps = 0usize;
        while id != END && steps <= minifat.len() && out.len() < size(book) {
            let at = (id as usize).checked_mul(64)?;
            out.extend_from_slice(mini.get(at..at + 64)?);
            id = minifat.get(id as usize).copied().unwrap_or(END);
            steps += 1;
        }
        out.truncate(size(book));
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// An .ods in `dir` whose content.xml holds one sheet of `rows` (none: no content.xml).
    fn ods(dir: &Path, rows: Option<&str>) -> std::path::PathBuf {
        let path = dir.join("台账.ods");
        let file = std::fs::File::create(&path).expect("create");
        let mut zip = zip::ZipWriter::new(file);
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("mimetype", opts).expect("zip");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .expect("zip");
        if let Some(rows) = rows {
            zip.start_file("content.xml", opts).expect("zip");
            let xml = format!(
                r#"<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:table="t" xmlns:text="x"><office:body><office:spreadsheet><table:table table:name="S">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
            );
            zip.write_all(xml.as_bytes()).expect("zip");
        }
        zip.finish().expect("zip");
        path
    }

    fn row(repeat: u64, cells: &str) -> String {
        format!(
            r#"<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>"#
        )
    }

    /// `n` cells with a number; `n` empty cells; `n` cells with text inside.
    fn valued(n: u64) -> String {
        format!(
            r#"<table:table-cell table:number-columns-repeated="{n}" office:value-type="float" office:value="1"/>"#
        )
    }
    fn empty(n: u64) -> String {
        format!(r#"<table:table-cell table:number-columns-repeated="{n}"/>"#)
    }
    fn texts(n: u64) -> String {
        format!(
            r#"<table:table-cell table:number-columns-repeated="{n}"><text:p>x</text:p></table:table-cell>"#
        )
    }

    fn check(rows: &str) -> Result<(), String> {
        let dir = tempfile::tempdir().expect("tempdir");
        check_ods(&ods(dir.path(), Some(rows))).map_err(|e| e.to_string())
    }

    #[test]
    fn an_ods_is_refused_past_the_cell_limit_and_read_at_it() {
        // 1,000 rows × 4,000 columns is the limit exactly; one column more is past it.
        assert_eq!(check(&row(1000, &valued(4000))), Ok(()));
        let past = check(&row(1000, &valued(4001))).expect_err("past the limit");
        assert!(
            past.contains("超出检查上限") && past.contains("4001000"),
            "{past}"
        );
        // Text cells and covered cells count as cells with numbers do.
        assert!(check(&row(1000, &texts(4001))).is_err());
        let covered = r#"<table:covered-table-cell table:number-columns-repeated="4001" office:value-type="float"/>"#;
        assert!(check(&row(1000, covered)).is_err());
        // Rows add up: two of 2,000,000 cells are at the limit, three past it.
        let half = row(500, &valued(4000));
        assert_eq!(check(&half.repeat(2)), Ok(()));
        assert!(check(&half.repeat(3)).is_err());
        // A row without a repeat count is one row.
        let once = r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        assert_eq!(check(&once.repeat(3)), Ok(()));
    }

    #[test]
    fn empty_cells_count_only_before_a_cell_with_content() {
        // Formatting carried to the sheet's last column (16,000 empty cells) is not data.
        assert_eq!(check(&row(1000, &(valued(1) + &empty(16_000)))), Ok(()));
        // Empty cells before a value widen the row up to it.
        assert!(check(&row(1000, &(empty(16_000) + &valued(1)))).is_err());
        assert!(check(&row(1000, &(empty(16_000) + &texts(1)))).is_err());
        // What is inside a cell (a space, text:s) is no cell: 2,001 columns, not 4,001.
        let spaced = r#"<table:table-cell><text:p>a<text:s/>b</text:p></table:table-cell>"#;
        assert_eq!(
            check(&row(1000, &(spaced.repeat(2000) + &valued(1)))),
            Ok(())
        );
    }

    #[test]
    fn an_ods_without_content_is_left_to_the_reader_and_a_damaged_one_is_said() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(check_ods(&ods(dir.path(), None)).is_ok());
        let bad = dir.path().join("坏.ods");
        std::fs::write(&bad, b"PK\x03\x04 not a zip").expect("write");
        let err = check_ods(&bad).expect_err("damaged").to_string();
        assert!(err.contains("文件已损坏"), "{err}");
    }

    /// A BIFF record: kind, length, data.
    fn rec(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    /// A cell record of `kind` at (row, col), with `more` bytes after them.
    fn cell(kind: u16, row: u16, col: u16, more: &[u8]) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(more);
        rec(kind, &d)
    }

    #[test]
    fn an_xls_sheets_grid_runs_from_its_first_used_cell_to_its_last() {
        let (bof, eof) = (rec(0x0809, &[0; 16]), rec(0x000A, &[]));
        // A NUMBER record: row, column, format, and the value (2.0, whose last bytes are no
        // column).
        let value = [[0u8, 0].as_slice(), &2.0f64.to_le_bytes()].concat();
        let number = |r, c| cell(0x0203, r, c, &value);
        // Rows 2 to 9, columns 1 to 4: 8 × 4.
        let sheet = [bof.clone(), number(2, 4), number(9, 1), eof.clone()].concat();
        assert_eq!(grid_cells(&sheet), 32);
        // Each sheet its own grid; a text cell (LABELSST) counts as a number does.
        let second = [bof.clone(), cell(0x00FD, 7, 7, &[0; 6]), eof.clone()].concat();
        assert_eq!(grid_cells(&[sheet.clone(), second].concat()), 33);
        // A MULBLANK runs from its column to the one in its last two bytes.
        let mul = cell(0x00BE, 0, 1, &[0, 0, 0, 0, 20, 0]);
        assert_eq!(grid_cells(&[bof.clone(), mul, eof.clone()].concat()), 20);
        // A record too short for a cell is none; a record cut off by the stream's end is read
        // as far as it goes.
        let short = rec(0x0203, &[5, 0]);
        assert_eq!(grid_cells(&[bof.clone(), short, eof].concat()), 0);
        let mut cut = [bof, number(3, 3)].concat();
        cut.truncate(cut.len() - 4);
        assert_eq!(grid_cells(&cut), 1);
    }

    #[test]
    fn an_xls_past_256_mib_is_refused_unread() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("台账.xls");
        let file = std::fs::File::create(&path).expect("create");
        // Sparse files: nothing is written to the disk. 256 MiB is check_xls's MAX_XLS.
        file.set_len((256 << 20) + 1).expect("set_len");
        let err = check_xls(&path).expect_err("past the limit").to_string();
        assert!(err.contains("超过 256 MiB"), "{err}");
        // At the limit it is read: no compound file, so left to calamine to say what it is.
        file.set_len(256 << 20).expect("set_len");
        assert!(check_xls(&path).is_ok());
        std::fs::write(&path, b"not a workbook").expect("write");
        assert!(check_xls(&path).is_ok());
    }
}
