//! TIFF directories (IFDs): page count, resolution, and strip/tile offsets that must lie inside
//! the file. The same reader parses the EXIF block of a JPEG (a TIFF structure in APP1).

use super::Broken;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::Meta;

const X_RESOLUTION: u16 = 0x011A;
const Y_RESOLUTION: u16 = 0x011B;
const RESOLUTION_UNIT: u16 = 0x0128;
const STRIP_OFFSETS: u16 = 0x0111;
const STRIP_BYTE_COUNTS: u16 = 0x0117;
const TILE_OFFSETS: u16 = 0x0144;
const TILE_BYTE_COUNTS: u16 = 0x0145;

/// The most directories (pages) followed before the chain is called broken.
pub const MAX_PAGES: u32 = 10_000;
/// The most entries in one directory (a scan's have a few dozen).
const MAX_ENTRIES: u64 = 4_096;
/// The most directory entries and strip or tile offsets read from one file, all directories
/// together: a file past it is reported as past an inspection limit.
pub const MAX_FIELDS: u64 = 1 << 20;

/// Random access to the bytes of a TIFF structure.
pub trait Source {
    fn size(&self) -> u64;
    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Broken>;
}

pub struct FileSource<'a> {
    pub file: &'a mut File,
    pub size: u64,
}

impl Source for FileSource<'_> {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Broken> {
        if offset
            .checked_add(buf.len() as u64)
            .is_none_or(|end| end > self.size)
        {
            return Err(format!("目录指向文件末尾之外（偏移 {offset}）").into());
        }
        self.file
            .seek(SeekFrom::Start(offset))
            .and_then(|_| self.file.read_exact(buf))
            .map_err(|e| format!("读取失败：{e}").into())
    }
}

impl Source for &[u8] {
    fn size(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&mut self, offset: u64, buf: &mut [u8]) -> Result<(), Broken> {
        let start = usize::try_from(offset).map_err(|_| "偏移过大".to_string())?;
        let end = start
            .checked_add(buf.len())
            .filter(|&e| e <= <[u8]>::len(self));
        match end {
            Some(end) => {
                buf.copy_from_slice(&self[start..end]);
                Ok(())
            }
            None => Err(format!("目录指向数据末尾之外（偏移 {offset}）").into()),
        }
    }
}

struct Reader<'s, S: Source> {
    src: &'s mut S,
    little: bool,
    /// Directory entries and table values read so far (see `MAX_FIELDS`).
    fields: u64,
}

impl<S: Source> Reader<'_, S> {
    /// `n` more fields against the file's budget.
    fn spend(&mut self, n: u64) -> Result<(), Broken> {
        self.fields = self.fields.saturating_add(n);
        if self.fields > MAX_FIELDS {
            return Err(format!(
                "超出检查上限（目录项和图像数据表超过 {MAX_FIELDS} 项），未检查完"
            )
            .into());
        }
        Ok(())
    }

    /// `len` bytes at `off`, in one read.
    fn bytes(&mut self, off: u64, len: u64) -> Result<Vec<u8>, Broken> {
        let end = off.checked_add(len);
        if end.is_none_or(|e| e > self.src.size()) {
            return Err(format!("目录指向文件末尾之外（偏移 {off}）").into());
        }
        let mut buf = vec![0u8; len as usize];
        self.src.read_at(off, &mut buf)?;
        Ok(buf)
    }

    /// An unsigned integer of `b.len()` bytes (2, 4 or 8) in the file's byte order.
    fn decode(&self, b: &[u8]) -> u64 {
        let fold = |acc: u64, &x: &u8| (acc << 8) | u64::from(x);
        if self.little {
            b.iter().rev().fold(0, fold)
        } else {
            b.iter().fold(0, fold)
        }
    }

    fn u16(&mut self, off: u64) -> Result<u16, Broken> {
        let mut b = [0u8; 2];
        self.src.read_at(off, &mut b)?;
        Ok(if self.little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    }

    fn u32(&mut self, off: u64) -> Result<u32, Broken> {
        let mut b = [0u8; 4];
        self.src.read_at(off, &mut b)?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn u64(&mut self, off: u64) -> Result<u64, Broken> {
        let mut b = [0u8; 8];
        self.src.read_at(off, &mut b)?;
        Ok(if self.little {
            u64::from_le_bytes(b)
        } else {
            u64::from_be_bytes(b)
        })
    }
}

/// One directory entry.
#[derive(Clone, Copy)]
struct Entry {
    tag: u16,
    kind: u16,
    count: u64,
    /// Where the value is: inline in the entry, or at an offset.
    value_at: u64,
}

fn type_size(kind: u16) -> u64 {
    match kind {
        1 | 2 | 6 | 7 => 1,
        3 | 8 => 2,
        4 | 9 | 11 | 13 => 4,
        5 | 10 | 12 | 16 | 17 | 18 => 8,
        _ => 0,
    }
}

/// What one walk found.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Directories {
    pub pages: u32,
    pub dpi: Option<f64>,
}

/// Walk the directory chain. `check_data`: verify strip/tile offsets against the source size
/// (TIFF files); `first_only`: stop after IFD0 (EXIF).
pub fn walk<S: Source>(
    src: &mut S,
    check_data: bool,
    first_only: bool,
) -> Result<Directories, Broken> {
    let mut hdr = [0u8; 4];
    src.read_at(0, &mut hdr)
        .map_err(|_| "TIFF 文件头不完整".to_string())?;
    let little = match &hdr[..2] {
        b"II" => true,
        b"MM" => false,
        _ => return Err("TIFF 字节序标记错误".into()),
    };
    let magic = if little {
        u16::from_le_bytes([hdr[2], hdr[3]])
    } else {
        u16::from_be_bytes([hdr[2], hdr[3]])
    };
    let big = match magic {
        42 => false,
        43 => true,
        _ => return Err("TIFF 标识错误".into()),
    };
    let mut r = Reader {
        src,
        little,
        fields: 0,
    };
    let mut next = if big { r.u64(8)? } else { u64::from(r.u32(4)?) };
    let mut out = Directories::default();
    let mut seen = std::collections::HashSet::new();
    while next != 0 {
        if !seen.insert(next) {
            return Err("TIFF 目录链成环".into());
        }
        if out.pages >= MAX_PAGES {
            return Err(format!("超出检查上限（超过 {MAX_PAGES} 个图像目录），未检查完").into());
        }
        let (count, first, esize) = if big {
            (r.u64(next)?, next + 8, 20u64)
        } else {
            (u64::from(r.u16(next)?), next + 2, 12u64)
        };
        if count > MAX_ENTRIES {
            return Err("TIFF 目录项数目异常".into());
        }
        r.spend(count)?;
        // The directory and the next directory's offset, in one read.
        let inline = if big { 8 } else { 4 };
        let dir = r.bytes(first, count * esize + inline)?;
        let mut entries = Vec::with_capacity(count as usize);
        for e in dir.chunks_exact(esize as usize).take(count as usize) {
            let tag = r.decode(&e[..2]) as u16;
            let kind = r.decode(&e[2..4]) as u16;
            let (n, field) = if big {
                (r.decode(&e[4..12]), &e[12..20])
            } else {
                (r.decode(&e[4..8]), &e[8..12])
            };
            let at = first + (e.as_ptr() as usize - dir.as_ptr() as usize) as u64;
            let bytes = type_size(kind).saturating_mul(n);
            let value_at = if bytes <= inline {
                at + if big { 12 } else { 8 }
            } else {
                r.decode(field)
            };
            entries.push(Entry {
                tag,
                kind,
                count: n,
                value_at,
            });
        }
        let next_at = (count * esize) as usize;
        let next_field = &dir[next_at..next_at + inline as usize];
        out.pages += 1;
        if out.pages == 1 {
            out.dpi = resolution(&mut r, &entries)?;
        }
        if check_data {
            check_pairs(&mut r, &entries, STRIP_OFFSETS, STRIP_BYTE_COUNTS)?;
            check_pairs(&mut r, &entries, TILE_OFFSETS, TILE_BYTE_COUNTS)?;
        }
        if first_only {
            break;
        }
        next = r.decode(next_field);
    }
    if out.pages == 0 {
        return Err("TIFF 没有图像目录".into());
    }
    Ok(out)
}

fn find(entries: &[Entry], tag: u16) -> Option<Entry> {
    entries.iter().copied().find(|e| e.tag == tag)
}

fn number<S: Source>(r: &mut Reader<'_, S>, e: Entry, i: u64) -> Result<u64, Broken> {
    let at = e.value_at + i * type_size(e.kind);
    match e.kind {
        3 => r.u16(at).map(u64::from),
        4 | 13 => r.u32(at).map(u64::from),
        16 => r.u64(at),
        _ => Err("TIFF 字段类型错误".into()),
    }
}

fn rational<S: Source>(r: &mut Reader<'_, S>, e: Option<Entry>) -> Result<Option<f64>, Broken> {
    let Some(e) = e.filter(|e| e.kind == 5 && e.count >= 1) else {
        return Ok(None);
    };
    let num = r.u32(e.value_at)?;
    let den = r.u32(e.value_at + 4)?;
    Ok((den != 0 && num != 0).then(|| f64::from(num) / f64::from(den)))
}

fn resolution<S: Source>(r: &mut Reader<'_, S>, entries: &[Entry]) -> Result<Option<f64>, Broken> {
    let x = rational(r, find(entries, X_RESOLUTION))?;
    let y = rational(r, find(entries, Y_RESOLUTION))?.or(x);
    let unit = match find(entries, RESOLUTION_UNIT) {
        Some(e) => number(r, e, 0)?,
        None => 2,
    };
    let scale = match unit {
        2 => 1.0,
        3 => 2.54,
        _ => return Ok(None),
    };
    Ok(x.zip(y).map(|(x, y)| x.min(y) * scale))
}

/// Every (offset, byte count) pair of a strip or tile table must lie inside the source.
fn check_pairs<S: Source>(
    r: &mut Reader<'_, S>,
    entries: &[Entry],
    offsets: u16,
    counts: u16,
) -> Result<(), Broken> {
    let (Some(o), Some(c)) = (find(entries, offsets), find(entries, counts)) else {
        return Ok(());
    };
    let n = o.count.min(c.count);
    r.spend(n.saturating_mul(2))?;
    let size = r.src.size();
    // Each table in one read (the budget bounds them).
    let (os, cs) = (type_size(o.kind), type_size(c.kind));
    if !matches!(os, 2 | 4 | 8) || !matches!(cs, 2 | 4 | 8) {
        return Err("TIFF 字段类型错误".into());
    }
    let offs = r.bytes(o.value_at, n * os)?;
    let lens = r.bytes(c.value_at, n * cs)?;
    let pairs = offs
        .chunks_exact(os as usize)
        .zip(lens.chunks_exact(cs as usize));
    for (i, (off, len)) in pairs.enumerate() {
        let (off, len) = (r.decode(off), r.decode(len));
        if off.checked_add(len).is_none_or(|end| end > size) {
            return Err(format!(
                "图像数据指向文件末尾之外（第 {} 段，偏移 {off}，长度 {len}，文件 {size} 字节）",
                i + 1
            )
            .into());
        }
    }
    Ok(())
}

pub fn inspect_file(file: &mut File, size: u64) -> Result<Meta, Broken> {
    let mut src = FileSource { file, size };
    let d = walk(&mut src, true, false)?;
    Ok(Meta {
        dpi_from_pixels: false,
        dpi: d.dpi,
        pages: Some(d.pages),
        outline: None,
        text_layer: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big-endian BigTIFF with one directory: XResolution 600/2 per centimetre.
    fn bigtiff() -> Vec<u8> {
        let mut b = b"MM\0+\0\x08\0\0".to_vec();
        b.extend_from_slice(&16u64.to_be_bytes()); // first IFD at 16
        b.extend_from_slice(&2u64.to_be_bytes()); // two entries
        // XResolution RATIONAL ×1 inline (8 bytes fit in BigTIFF's 8-byte field).
        b.extend_from_slice(&0x011Au16.to_be_bytes());
        b.extend_from_slice(&5u16.to_be_bytes());
        b.extend_from_slice(&1u64.to_be_bytes());
        b.extend_from_slice(&600u32.to_be_bytes());
        b.extend_from_slice(&2u32.to_be_bytes());
        // ResolutionUnit SHORT = 3 (cm).
        b.extend_from_slice(&0x0128u16.to_be_bytes());
        b.extend_from_slice(&3u16.to_be_bytes());
        b.extend_from_slice(&1u64.to_be_bytes());
        b.extend_from_slice(&[0, 3, 0, 0, 0, 0, 0, 0]);
        b.extend_from_slice(&0u64.to_be_bytes()); // no next IFD
        b
    }

    #[test]
    fn bigtiff_big_endian_per_centimetre() {
        let bytes = bigtiff();
        let d = walk(&mut bytes.as_slice(), true, false).unwrap();
        assert_eq!(d.pages, 1);
        assert_eq!(d.dpi.map(|x| x.round()), Some(762.0)); // 300 per cm
    }

    #[test]
    fn loops_and_bad_offsets() {
        let mut bytes = bigtiff();
        let n = bytes.len();
        bytes[n - 8..].copy_from_slice(&16u64.to_be_bytes()); // next IFD = itself
        assert!(walk(&mut bytes.as_slice(), true, false).is_err());
        let mut bytes = bigtiff();
        bytes[8..16].copy_from_slice(&9999u64.to_be_bytes());
        assert!(walk(&mut bytes.as_slice(), true, false).is_err());
    }
}
