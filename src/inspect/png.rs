//! PNG: the chunk chain from IHDR to IEND, chunk CRCs, and the pHYs density.

use super::Broken;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use super::Meta;

/// Below this size every chunk's CRC is checked; above it, every chunk but IDAT and those
/// larger than `CRC_CHUNK_MAX` (whose data is skipped with a seek, so a large scan, or a
/// sparse file claiming a 4 GiB text chunk, costs a few reads).
const CRC_ALL_BELOW: u64 = 16 * 1024 * 1024;
const CRC_CHUNK_MAX: u64 = 1024 * 1024;

pub fn inspect(file: &mut File, size: u64) -> Result<Meta, Broken> {
    file.seek(SeekFrom::Start(8)).map_err(|e| e.to_string())?;
    let mut r = BufReader::with_capacity(16 * 1024, &mut *file);
    let mut pos = 8u64;
    let mut dpi = None;
    let mut first = true;
    for _ in 0..1_000_000 {
        let mut hdr = [0u8; 8];
        r.read_exact(&mut hdr)
            .map_err(|_| "PNG 缺少 IEND（文件不完整或被截断）".to_string())?;
        let len = u64::from(u32::from_be_bytes([hdr[0], hdr[1], hdr[2], hdr[3]]));
        let kind = [hdr[4], hdr[5], hdr[6], hdr[7]];
        let name = String::from_utf8_lossy(&kind).to_string();
        if first && &kind != b"IHDR" {
            return Err("PNG 第一个数据块不是 IHDR".into());
        }
        first = false;
        if pos + 12 + len > size {
            return Err(format!("PNG 数据块 {name} 超出文件末尾（文件不完整）").into());
        }
        let check = size < CRC_ALL_BELOW || (&kind != b"IDAT" && len <= CRC_CHUNK_MAX);
        if check {
            // Streamed through a small buffer: memory does not grow with the chunk.
            let mut h = crc32fast::Hasher::new();
            h.update(&kind);
            let mut buf = [0u8; 8192];
            let mut left = len;
            let mut head = [0u8; 9];
            while left > 0 {
                let n = left.min(buf.len() as u64) as usize;
                r.read_exact(&mut buf[..n])
                    .map_err(|_| format!("PNG 数据块 {name} 不完整"))?;
                if left == len && n >= 9 {
                    head.copy_from_slice(&buf[..9]);
                }
                h.update(&buf[..n]);
                left -= n as u64;
            }
            let mut crc = [0u8; 4];
            r.read_exact(&mut crc)
                .map_err(|_| format!("PNG 数据块 {name} 缺少 CRC"))?;
            if h.finalize() != u32::from_be_bytes(crc) {
                return Err(format!("PNG 数据块 {name} 的 CRC 校验错误（文件已损坏）").into());
            }
            if &kind == b"pHYs" && len == 9 && head[8] == 1 {
                let x = f64::from(u32::from_be_bytes([head[0], head[1], head[2], head[3]]));
                let y = f64::from(u32::from_be_bytes([head[4], head[5], head[6], head[7]]));
                dpi = Some(x.min(y) * 0.0254);
            }
        } else {
            r.seek_relative(len as i64 + 4).map_err(|e| e.to_string())?;
        }
        pos += 12 + len;
        if &kind == b"IEND" {
            return Ok(Meta {
                dpi_from_pixels: false,
                dpi,
                pages: Some(1),
                outline: None,
                text_layer: false,
            });
        }
    }
    Err("PNG 数据块过多".into())
}
