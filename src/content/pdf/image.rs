//! A scanned PDF's page images as an OCR engine takes them: DCT (JPEG) passed through, CCITT
//! G3/G4 wrapped in a TIFF header, Flate or raw grey/RGB/bilevel pixels as PNM. No renderer:
//! a page is one image in a scanned PDF.

use super::PageImage;
use crate::inspect::Broken;
use crate::inspect::pdf::{Dict, Obj, Reader};

/// The page's largest image.
pub(super) fn page_image(pdf: &mut Reader<'_>, res: Option<&Obj>) -> PageImage {
    let Some(xobjects) = res
        .and_then(|r| pdf.resolve(r).ok())
        .and_then(|r| r.as_dict().and_then(|d| d.get(b"XObject")).cloned())
        .and_then(|x| pdf.resolve(&x).ok())
    else {
        return PageImage::Blank;
    };
    let mut best: Option<(f64, Obj, Dict)> = None;
    for (_, r) in xobjects
        .as_dict()
        .map(|d| d.0.as_slice())
        .unwrap_or_default()
    {
        let Ok((dict, _)) = pdf.stream(r, false) else {
            continue;
        };
        if !dict.get(b"Subtype").is_some_and(|s| s.is_name(b"Image")) {
            continue;
        }
        let dim = |k: &[u8]| dict.get(k).and_then(Obj::as_f64).unwrap_or(0.0);
        let area = dim(b"Width") * dim(b"Height");
        if best.as_ref().is_none_or(|(a, _, _)| area > *a) {
            best = Some((area, r.clone(), dict));
        }
    }
    let Some((_, r, dict)) = best else {
        return PageImage::Blank;
    };
    image_bytes(pdf, &r, &dict).unwrap_or_else(|e| PageImage::Unsupported(e.to_string()))
}

/// The image's bytes in a form the engine reads.
fn image_bytes(pdf: &mut Reader<'_>, r: &Obj, dict: &Dict) -> Result<PageImage, Broken> {
    let filters: Vec<Vec<u8>> = match dict.get(b"Filter") {
        None => Vec::new(),
        Some(Obj::Name(n)) => vec![n.to_vec()],
        Some(Obj::Array(a)) => a
            .iter()
            .filter_map(|f| match f {
                Obj::Name(n) => Some(n.to_vec()),
                _ => None,
            })
            .collect(),
        Some(_) => return Err("图像编码无法识别".into()),
    };
    let int = |k: &[u8]| dict.get(k).and_then(Obj::as_int).unwrap_or(0).max(0) as u32;
    let (w, h) = (int(b"Width"), int(b"Height"));
    let names: Vec<&[u8]> = filters.iter().map(Vec::as_slice).collect();
    match names.as_slice() {
        [b"DCTDecode"] => Ok(PageImage::Image(pdf.stream(r, false)?.1)),
        [b"CCITTFaxDecode"] => {
            let data = pdf.stream(r, false)?.1;
            let parms = match dict.get(b"DecodeParms") {
                Some(Obj::Dict(p)) => Some(p.clone()),
                Some(Obj::Array(a)) => a.first().and_then(Obj::as_dict).cloned(),
                _ => None,
            };
            let p = |k: &[u8]| parms.as_ref().and_then(|p| p.get(k)).cloned();
            let k = p(b"K").and_then(|k| k.as_int()).unwrap_or(0);
            let black_is_1 = matches!(p(b"BlackIs1"), Some(Obj::Bool(true)));
            let cols = p(b"Columns")
                .and_then(|c| c.as_int())
                .map_or(1728, |c| c as u32);
            let rows = p(b"Rows").and_then(|c| c.as_int()).map_or(h, |c| c as u32);
            Ok(PageImage::Image(ccitt_tiff(
                &data, cols, rows, k, black_is_1,
            )))
        }
        [] | [b"FlateDecode"] => {
            let bpc = int(b"BitsPerComponent");
            let comps = match dict.get(b"ColorSpace") {
                Some(Obj::Name(n)) if n[..] == *b"DeviceGray" || n[..] == *b"CalGray" => 1,
                Some(Obj::Name(n)) if n[..] == *b"DeviceRGB" || n[..] == *b"CalRGB" => 3,
                None if dict.get(b"ImageMask").is_some() => 1,
                _ => return Err("图像色彩空间不受支持（索引色、ICC 或 CMYK）".into()),
            };
            let data = pdf.stream(r, true)?.1;
            pnm(&data, w, h, comps, bpc)
                .map(PageImage::Image)
                .ok_or_else(|| format!("{bpc} 位 {comps} 通道的像素无法转换").into())
        }
        other => Err(format!(
            "图像编码为 {}，无法交给 OCR",
            other
                .iter()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .collect::<Vec<_>>()
                .join(" + ")
        )
        .into()),
    }
}

/// Raw pixels as PNM: 8-bit grey (P5), 8-bit RGB (P6), 1-bit (P4, where 1 is black — the
/// opposite of DeviceGray's, so inverted). None for other depths or short data.
fn pnm(data: &[u8], w: u32, h: u32, comps: u32, bpc: u32) -> Option<Vec<u8>> {
    let (w, h) = (w as usize, h as usize);
    let (magic, row) = match (comps, bpc) {
        (1, 8) => ("P5", w),
        (3, 8) => ("P6", w * 3),
        (1, 1) => ("P4", w.div_ceil(8)),
        _ => return None,
    };
    let len = row.checked_mul(h)?;
    let pixels = data.get(..len)?;
    let mut out = format!("{magic}\n{w} {h}\n{}", if bpc == 1 { "" } else { "255\n" }).into_bytes();
    if bpc == 1 {
        out.extend(pixels.iter().map(|b| !b));
    } else {
        out.extend_from_slice(pixels);
    }
    Some(out)
}

/// CCITT fax data wrapped in a one-strip TIFF: K < 0 is Group 4 (compression 4), K = 0 one-
/// dimensional Group 3, K > 0 two-dimensional Group 3 (compression 3 with T4Options bit 0).
fn ccitt_tiff(data: &[u8], cols: u32, rows: u32, k: i64, black_is_1: bool) -> Vec<u8> {
    let (compression, options_tag, options) = if k < 0 {
        (4u16, 293u16, 0u32)
    } else {
        (3, 292, u32::from(k > 0))
    };
    // Fax data codes white and black runs; PDF shows them as coded unless BlackIs1, which
    // turns them over (white runs drawn black). TIFF: WhiteIsZero (0) shows them as coded.
    let photometric = if black_is_1 { 1u16 } else { 0 };
    let entries: [(u16, u16, u32); 10] = [
        (256, 4, cols),
        (257, 4, rows),
        (258, 3, 1),
        (259, 3, u32::from(compression)),
        (262, 3, u32::from(photometric)),
        (273, 4, 0), // StripOffsets, set below
        (277, 3, 1),
        (278, 4, rows),
        (279, 4, data.len() as u32),
        (options_tag, 4, options),
    ];
    let ifd_len = 2 + entries.len() * 12 + 4;
    let data_at = (8 + ifd_len) as u32;
    let mut out = Vec::with_capacity(data_at as usize + data.len());
    out.extend_from_slice(b"II*\0");
    out.extend_from_slice(&8u32.to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    let mut sorted = entries;
    sorted.sort_by_key(|e| e.0);
    for (tag, typ, value) in sorted {
        let value = if tag == 273 { data_at } else { value };
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        if typ == 3 {
            out.extend_from_slice(&(value as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
        } else {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ccitt_header_is_a_tiff() {
        let t = ccitt_tiff(&[1, 2, 3], 2480, 3508, -1, false);
        assert_eq!(&t[..4], b"II*\0");
        assert_eq!(&t[t.len() - 3..], &[1, 2, 3]);
        let mut f = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut f, &t).unwrap();
        let meta = crate::inspect::tiff::inspect_file(&mut f, t.len() as u64);
        assert_eq!(meta.map(|m| m.pages), Ok(Some(1)));
        // PhotometricInterpretation (tag 262) follows BlackIs1: img2pdf writes a BlackIsZero
        // G4 TIFF as BlackIs1 true, and poppler draws it white on black only the other way.
        let photometric = |t: &[u8]| {
            let n = u16::from_le_bytes([t[8], t[9]]) as usize;
            (0..n)
                .map(|i| &t[10 + i * 12..22 + i * 12])
                .find(|e| u16::from_le_bytes([e[0], e[1]]) == 262)
                .map(|e| u16::from_le_bytes([e[8], e[9]]))
        };
        assert_eq!(photometric(&ccitt_tiff(&[0], 8, 8, -1, true)), Some(1));
        assert_eq!(photometric(&ccitt_tiff(&[0], 8, 8, -1, false)), Some(0));
    }

    /// The page image of a one-page PDF whose page draws one image: `dict` its dictionary
    /// (without /Length), `data` its bytes as stored.
    fn page_image_of(dict: &str, data: &[u8]) -> PageImage {
        let page = b"q 2 0 0 1 0 0 cm /Im0 Do Q";
        let objs: [Vec<u8>; 5] = [
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
            [format!("<< /Length {} >>\nstream\n", page.len()).as_bytes(), page, b"\nendstream"].concat(),
            [
                format!("<< /Type /XObject /Subtype /Image {dict} /Length {} >>\nstream\n", data.len()).as_bytes(),
                data,
                b"\nendstream",
            ]
            .concat(),
        ];
        let mut pdf = b"%PDF-1.7\n".to_vec();
        let mut at = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            at.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            pdf.extend_from_slice(o);
            pdf.extend_from_slice(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend_from_slice(b"xref\n0 6\n0000000000 65535 f \n");
        for a in at {
            pdf.extend_from_slice(format!("{a:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
        );
        let mut file = tempfile::tempfile().expect("temp file");
        std::io::Write::write_all(&mut file, &pdf).expect("write");
        let mut images = super::super::page_images(&mut file, pdf.len() as u64).expect("pages");
        assert_eq!(images.len(), 1);
        images.remove(0)
    }

    #[test]
    fn page_images_by_filter_and_colour_space() {
        let image = |dict: &str, data: &[u8]| match page_image_of(dict, data) {
            PageImage::Image(b) => Ok(b),
            PageImage::Unsupported(why) => Err(why),
            PageImage::Blank => Err("blank".into()),
        };
        // DCT passed through, its filter named alone or in an array.
        let jpeg = b"\xff\xd8\xff\xe0 a JPEG";
        let dct = "/Width 2 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8";
        assert_eq!(
            image(&format!("{dct} /Filter /DCTDecode"), jpeg),
            Ok(jpeg.to_vec())
        );
        assert_eq!(
            image(&format!("{dct} /Filter [/DCTDecode]"), jpeg),
            Ok(jpeg.to_vec())
        );
        // Raw pixels as PNM: grey one byte a pixel, RGB three.
        let raw =
            |space: &str| format!("/Width 2 /Height 1 /ColorSpace /{space} /BitsPerComponent 8");
        let grey = image(&raw("CalGray"), &[0, 255]).expect("grey");
        assert!(grey.starts_with(b"P5\n2 1\n255\n"), "{grey:?}");
        let rgb = image(&raw("DeviceRGB"), &[0, 0, 0, 255, 255, 255]).expect("rgb");
        assert!(rgb.starts_with(b"P6\n2 1\n255\n"), "{rgb:?}");
        // Six bytes, as two RGB pixels would take: refused for the colour space alone.
        assert!(image(&raw("DeviceCMYK"), &[0; 6]).is_err());
    }

    #[test]
    fn pnm_of_raw_pixels() {
        assert_eq!(
            pnm(&[0, 255], 2, 1, 1, 8).unwrap(),
            b"P5\n2 1\n255\n\x00\xff"
        );
        assert_eq!(pnm(&[0b1010_0000], 3, 1, 1, 1).unwrap(), b"P4\n3 1\n\x5f");
        assert!(pnm(&[0], 2, 1, 1, 8).is_none());
    }
}
