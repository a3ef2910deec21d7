//! Word 97–2003 (.doc, and .wps saved in its format): the text of the `WordDocument` stream
//! through the piece table (the Clx in the 0Table/1Table stream, [MS-DOC] 2.9.38), each piece
//! UTF-16 or one byte a character (cp1252 for compressed pieces). The compound file is read
//! with the `cfb` crate; the piece table by hand (a few dozen lines).

use crate::inspect::Broken;
use std::fs::File;
use std::io::Read;

/// The most of one stream read (a 200-page document is a few MB).
const MAX_STREAM: u64 = 64 << 20;

fn stream(doc: &mut cfb::CompoundFile<&mut File>, name: &str) -> Result<Vec<u8>, Broken> {
    let s = doc
        .open_stream(name)
        .map_err(|_| format!("Word 文件中缺少 {name} 流"))?;
    let mut out = Vec::new();
    s.take(MAX_STREAM)
        .read_to_end(&mut out)
        .map_err(|e| format!("Word 文件的 {name} 流无法读取：{e}"))?;
    Ok(out)
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The text of a .doc; None for an OLE file that is no Word document (an .xls).
pub fn text(file: &mut File) -> Result<Option<String>, Broken> {
    let mut doc = cfb::CompoundFile::open(file).map_err(|_| Broken::from("OLE 复合文件已损坏"))?;
    if !doc.is_stream("/WordDocument") {
        return Ok(None);
    }
    let word = stream(&mut doc, "/WordDocument")?;
    let bad = || Broken::from("Word 文件的文档信息块（FIB）损坏");
    if word.get(0..2) != Some(&[0xEC, 0xA5]) {
        return Err(bad());
    }
    let flags = u16::from_le_bytes([word[10], word[11]]);
    if flags & 0x0100 != 0 {
        return Err("Word 文件已加密，无法读取文字".into());
    }
    let table = if flags & 0x0200 != 0 {
        "/1Table"
    } else {
        "/0Table"
    };
    // FibRgFcLcb97 starts at 154; fcClx/lcbClx are its 67th pair.
    let (fc_clx, lcb_clx) = (
        u32_at(&word, 0x1A2).ok_or_else(bad)?,
        u32_at(&word, 0x1A6).ok_or_else(bad)?,
    );
    let table = stream(&mut doc, table)?;
    let clx = table
        .get(fc_clx as usize..(fc_clx as usize).saturating_add(lcb_clx as usize))
        .ok_or_else(bad)?;
    pieces(clx, &word)
        .ok_or(Broken::from("Word 文件的文字片段表损坏"))
        .map(Some)
}

/// The text of the pieces the Clx lists: skip its Prc entries (0x01), read the PlcPcd (0x02).
fn pieces(clx: &[u8], word: &[u8]) -> Option<String> {
    let mut at = 0;
    while clx.get(at) == Some(&0x01) {
        let cb = u16::from_le_bytes([*clx.get(at + 1)?, *clx.get(at + 2)?]) as usize;
        at += 3 + cb;
    }
    if clx.get(at) != Some(&0x02) {
        return None;
    }
    let lcb = u32_at(clx, at + 1)? as usize;
    let plc = clx.get(at + 5..at + 5 + lcb)?;
    let n = lcb.checked_sub(4)? / 12;
    let cp = |i: usize| u32_at(plc, i * 4).map(|c| c as usize);
    let mut out = String::new();
    for i in 0..n {
        let (start, end) = (cp(i)?, cp(i + 1)?);
        let len = end.checked_sub(start)?;
        let fc = u32_at(plc, (n + 1) * 4 + i * 8 + 2)?;
        if fc & 0x4000_0000 != 0 {
            let from = (fc & 0x3FFF_FFFF) as usize / 2;
            let bytes = word.get(from..from + len)?;
            out.extend(bytes.iter().map(|&b| char::from(b)));
        } else {
            let from = fc as usize;
            let bytes = word.get(from..from + len * 2)?;
            let units = bytes.chunks(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
            out.extend(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)));
        }
    }
    // Paragraph marks and table cell marks end lines; field marks and other controls go.
    Some(
        out.chars()
            .filter_map(|c| match c {
                '\r' | '\u{7}' | '\u{b}' | '\u{c}' => Some('\n'),
                c if c.is_control() && c != '\n' && c != '\t' => None,
                c => Some(c),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_one_byte_and_utf16() {
        // The stream: "Ab\r" at byte 0 (compressed), "入党" as UTF-16 at 16.
        let mut word = b"Ab\r".to_vec();
        word.resize(16, 0);
        word.extend("入党".encode_utf16().flat_map(u16::to_le_bytes));
        // A Prc to skip, then the PlcPcd: CPs 0, 3, 5 and two Pcds.
        let mut clx = vec![0x01, 0x02, 0x00, 0xAA, 0xBB, 0x02];
        let mut plc = Vec::new();
        for cp in [0u32, 3, 5] {
            plc.extend(cp.to_le_bytes());
        }
        for fc in [0x4000_0000u32, 16] {
            plc.extend([0, 0]);
            plc.extend(fc.to_le_bytes());
            plc.extend([0, 0]);
        }
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(plc);
        assert_eq!(pieces(&clx, &word).as_deref(), Some("Ab\n入党"));
        // A piece past the stream's end is a damaged table, not a panic.
        assert_eq!(pieces(&clx, &word[..18]), None);
    }
}
