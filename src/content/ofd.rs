//! OFD text: each page's `Content.xml`, its `TextCode` elements in order, a line break where a
//! text object starts lower on the page than the one before.

use crate::inspect::Broken;
use std::fs::File;

use crate::inspect::ofd::{entry_limited, local};

/// The most of one XML entry read.
const MAX_XML: u64 = 32 << 20;
/// Pages read for their text (a dossier document has a few).
const MAX_PAGES: usize = 500;

/// The text of an OFD file, page by page.
pub fn text(file: &mut File) -> Result<String, Broken> {
    let mut zip = zip::ZipArchive::new(file).map_err(|_| "OFD（ZIP）已损坏".to_string())?;
    let read = |zip: &mut zip::ZipArchive<&mut File>, name: &str| {
        entry_limited(zip, name, MAX_XML).map_err(|e| format!("OFD 中{e}"))
    };
    let ofd = read(&mut zip, "OFD.xml")?;
    let ofd = roxmltree::Document::parse(&ofd).map_err(|e| format!("OFD.xml 无法解析：{e}"))?;
    let root = ofd
        .descendants()
        .find(|n| local(n) == "DocRoot")
        .and_then(|n| n.text())
        .map(|s| s.trim().trim_start_matches('/').to_string())
        .ok_or("OFD.xml 中没有 DocRoot")?;
    let base = root.rsplit_once('/').map_or("", |(dir, _)| dir).to_string();
    let doc = read(&mut zip, &root)?;
    let doc = roxmltree::Document::parse(&doc).map_err(|e| format!("{root} 无法解析：{e}"))?;
    let pages: Vec<String> = doc
        .descendants()
        .filter(|n| local(n) == "Page")
        .filter_map(|p| p.attribute("BaseLoc"))
        .map(|loc| join(&base, loc))
        .take(MAX_PAGES)
        .collect();
    let mut out = String::new();
    for page in pages {
        let xml = read(&mut zip, &page)?;
        let xml = roxmltree::Document::parse(&xml).map_err(|e| format!("{page} 无法解析：{e}"))?;
        page_text(&xml, &mut out);
        out.push('\n');
    }
    Ok(out)
}

/// A path in the package: absolute (`/Doc_0/…`) from the root, else from `base`.
fn join(base: &str, loc: &str) -> String {
    match loc.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None if base.is_empty() => loc.to_string(),
        None => format!("{base}/{loc}"),
    }
}

/// A page's text objects in document order; a new line when one starts below the last
/// (its Boundary's y, in millimetres, grows downwards).
fn page_text(page: &roxmltree::Document<'_>, out: &mut String) {
    let mut last_y: Option<f64> = None;
    for obj in page.descendants().filter(|n| local(n) == "TextObject") {
        let y = obj
            .attribute("Boundary")
            .and_then(|b| b.split_whitespace().nth(1))
            .and_then(|y| y.parse::<f64>().ok());
        if let (Some(y), Some(last)) = (y, last_y)
            && (y - last).abs() > 1.0
        {
            out.push('\n');
        }
        last_y = y.or(last_y);
        for code in obj.children().filter(|c| local(c) == "TextCode") {
            out.push_str(code.text().unwrap_or_default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_objects_in_lines() {
        let xml = r#"<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>
            <ofd:TextObject Boundary="20 30 100 8"><ofd:TextCode X="0" Y="6">入党</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject Boundary="60 30.4 100 8"><ofd:TextCode X="0" Y="6">申请书</ofd:TextCode></ofd:TextObject>
            <ofd:TextObject Boundary="20 50 100 8"><ofd:TextCode X="0" Y="6">申请人：张三</ofd:TextCode></ofd:TextObject>
        </ofd:Layer></ofd:Content></ofd:Page>"#;
        let doc = roxmltree::Document::parse(xml).unwrap();
        let mut out = String::new();
        page_text(&doc, &mut out);
        assert_eq!(out, "入党申请书\n申请人：张三");
    }

    #[test]
    fn page_locations() {
        assert_eq!(
            join("Doc_0", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(join("Doc_0", "/Doc_0/P/C.xml"), "Doc_0/P/C.xml");
        assert_eq!(join("", "P/C.xml"), "P/C.xml");
    }
}
