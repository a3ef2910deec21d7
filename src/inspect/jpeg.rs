//! JPEG: segment structure up to the start of scan, JFIF/EXIF density, and the end marker.

use super::Broken;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use super::{Meta, read_at, tiff};

/// How far from the end the EOI marker is looked for: scanners append padding or trailers.
const TAIL: u64 = 64 * 1024;
/// The most segments read before the image data (a scan has a dozen).
pub const MAX_SEGMENTS: usize = 10_000;

pub fn inspect(file: &mut File, size: u64) -> Result<Meta, Broken> {
    file.seek(SeekFrom::Start(2)).map_err(|e| e.to_string())?;
    let mut r = BufReader::with_capacity(8192, &mut *file);
    let mut pos: u64 = 2;
    let mut jfif: Option<f64> = None;
    let mut jfif_stated = false;
    let mut exif: Option<f64> = None;
    // (width, height) from the frame header.
    let mut pixels: Option<(u16, u16)> = None;
    let mut scan = false;
    let mut byte = [0u8; 1];
    let mut segments = 0usize;
    while segments < MAX_SEGMENTS {
        segments += 1;
        // A marker: 0xFF (fill bytes allowed), then the code.
        r.read_exact(&mut byte)
            .map_err(|_| "JPEG 在图像数据之前就结束了（文件不完整）".to_string())?;
        pos += 1;
        if byte[0] != 0xFF {
            return Err(format!("JPEG 段结构损坏（偏移 {}）", pos - 1).into());
        }
        let mut code = 0xFF;
        while code == 0xFF {
            r.read_exact(&mut byte)
                .map_err(|_| "JPEG 段结构不完整".to_string())?;
            pos += 1;
            code = byte[0];
        }
        match code {
            0xD8 | 0x01 | 0xD0..=0xD7 => continue,
            0xD9 => return Err("JPEG 在图像数据之前出现结束标记".into()),
            _ => {}
        }
        let mut len = [0u8; 2];
        r.read_exact(&mut len)
            .map_err(|_| "JPEG 段长度不完整".to_string())?;
        let len = u64::from(u16::from_be_bytes(len));
        if len < 2 || pos + len > size {
            return Err(format!("JPEG 段长度越界（偏移 {pos}）").into());
        }
        let body = len - 2;
        let frame = matches!(code, 0xC0..=0xCF) && !matches!(code, 0xC4 | 0xC8 | 0xCC);
        let wanted = matches!(code, 0xE0 | 0xE1) || frame;
        if wanted && body <= 65_533 {
            let mut data = vec![0u8; body as usize];
            r.read_exact(&mut data)
                .map_err(|_| "JPEG 段数据不完整".to_string())?;
            if frame && data.len() >= 5 {
                let h = u16::from_be_bytes([data[1], data[2]]);
                let w = u16::from_be_bytes([data[3], data[4]]);
                pixels = (w > 0 && h > 0).then_some((w, h));
            } else if code == 0xE0 && data.starts_with(b"JFIF\0") && data.len() >= 12 {
                let units = data[7];
                let x = f64::from(u16::from_be_bytes([data[8], data[9]]));
                let y = f64::from(u16::from_be_bytes([data[10], data[11]]));
                let d = x.min(y);
                jfif_stated = units != 0;
                jfif = match units {
                    1 => Some(d),
                    2 => Some(d * 2.54),
                    _ => None,
                };
            } else if code == 0xE1 && data.starts_with(b"Exif\0\0") {
                let mut tiff_bytes: &[u8] = &data[6..];
                // A broken EXIF block does not make the image unreadable; its density is unknown.
                exif = tiff::walk(&mut tiff_bytes, false, true)
                    .ok()
                    .and_then(|d| d.dpi);
            }
        } else {
            r.seek_relative(body as i64).map_err(|e| e.to_string())?;
        }
        pos += len;
        if code == 0xDA {
            scan = true;
            break;
        }
    }
    if !scan {
        return Err(if segments >= MAX_SEGMENTS {
            format!("超出检查上限（图像数据之前的段超过 {MAX_SEGMENTS} 个），未检查完").into()
        } else {
            "JPEG 没有图像数据（缺少 SOS 段）".into()
        });
    }
    drop(r);
    let start = size.saturating_sub(TAIL).max(pos);
    let tail = read_at(file, start, (size - start) as usize).map_err(|e| e.to_string())?;
    if !tail.windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Err("JPEG 缺少结束标记（文件不完整或被截断）".into());
    }
    let (dpi, dpi_from_pixels) = density(if jfif_stated { jfif } else { exif.or(jfif) }, pixels);
    Ok(Meta {
        dpi,
        dpi_from_pixels,
        pages: Some(1),
        outline: None,
        text_layer: false,
    })
}

/// The resolution to judge a JPEG by: the one it states, unless that is a camera's default
/// and the frame's pixels are known — then the pixels over A4 (and true).
fn density(stated: Option<f64>, pixels: Option<(u16, u16)>) -> (Option<f64>, bool) {
    match (stated, pixels) {
        (Some(d), Some(px)) if is_camera_default(d) => (Some(over_a4(px)), true),
        _ => (stated, false),
    }
}

/// The densities cameras and phones write whatever they photographed (72 and 96 dpi, or a
/// ratio of 1): no scan resolution.
fn is_camera_default(dpi: f64) -> bool {
    [1.0, 72.0, 96.0].iter().any(|d| (dpi - d).abs() < 0.5)
}

/// The resolution of a photo of an A4 page (8.27 × 11.69 in) that fills the frame, either way
/// round: the lower of the two axes.
fn over_a4((w, h): (u16, u16)) -> f64 {
    let (short, long) = (f64::from(w.min(h)), f64::from(w.max(h)));
    (short / 8.27).min(long / 11.69)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(code: u8, body: &[u8]) -> Vec<u8> {
        let mut v = vec![0xFF, code];
        v.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
        v.extend_from_slice(body);
        v
    }

    /// SOI, JFIF without units, EXIF with XResolution 240/1 per inch, SOS, data, EOI.
    fn exif_jpeg(eoi: bool) -> Vec<u8> {
        let mut tiff = b"II*\0\x08\0\0\0".to_vec();
        tiff.extend_from_slice(&1u16.to_le_bytes());
        tiff.extend_from_slice(&0x011Au16.to_le_bytes());
        tiff.extend_from_slice(&5u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&26u32.to_le_bytes()); // value after the IFD
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(&240u32.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut v = vec![0xFF, 0xD8];
        v.extend(segment(0xE0, b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00"));
        v.extend(segment(0xE1, &app1));
        v.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        v.extend_from_slice(&[0x12, 0x34, 0x56]);
        if eoi {
            v.extend_from_slice(&[0xFF, 0xD9]);
        }
        v
    }

    fn run(bytes: &[u8]) -> Result<Meta, Broken> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("x.jpg");
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        let mut f = File::open(&path).map_err(|e| e.to_string())?;
        inspect(&mut f, bytes.len() as u64)
    }

    #[test]
    fn exif_density_when_jfif_states_none() {
        assert_eq!(run(&exif_jpeg(true)).unwrap().dpi, Some(240.0));
    }

    /// SOI, JFIF at `dpi` per inch, a frame of `w` × `h`, SOS, data, EOI.
    fn photo(dpi: u16, w: u16, h: u16) -> Vec<u8> {
        let mut jfif = b"JFIF\0\x01\x01\x01".to_vec();
        jfif.extend_from_slice(&dpi.to_be_bytes());
        jfif.extend_from_slice(&dpi.to_be_bytes());
        jfif.extend_from_slice(&[0, 0]);
        let mut sof = vec![8];
        sof.extend_from_slice(&h.to_be_bytes());
        sof.extend_from_slice(&w.to_be_bytes());
        sof.extend_from_slice(&[1, 1, 0x11, 0]);
        let mut v = vec![0xFF, 0xD8];
        v.extend(segment(0xE0, &jfif));
        v.extend(segment(0xC0, &sof));
        v.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        v.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
        v
    }

    #[test]
    fn a_phone_photo_tagged_72_dpi_is_judged_by_its_pixels() {
        // 3024 × 4032 over A4: min(3024 / 8.27, 4032 / 11.69) ≈ 345 dpi, either way round.
        for (w, h) in [(3024, 4032), (4032, 3024)] {
            let m = run(&photo(72, w, h)).unwrap();
            assert!(m.dpi_from_pixels);
            assert_eq!(m.dpi.map(|d| d.round()), Some(345.0), "{w}×{h}");
        }
        // 1600 × 1200 at 96: about 137 dpi over A4 — really too coarse.
        let m = run(&photo(96, 1600, 1200)).unwrap();
        assert_eq!(
            (m.dpi.map(|d| d.round()), m.dpi_from_pixels),
            (Some(137.0), true)
        );
        // A scanner's own 150 dpi is what it says.
        let m = run(&photo(150, 3024, 4032)).unwrap();
        assert_eq!((m.dpi, m.dpi_from_pixels), (Some(150.0), false));
    }

    #[test]
    fn missing_eoi_and_bad_segments() {
        assert!(run(&exif_jpeg(false)).is_err());
        let mut bad = exif_jpeg(true);
        bad[4] = 0xFF; // APP0 length now runs past the end
        bad[5] = 0xF0;
        assert!(run(&bad).is_err());
    }
}
