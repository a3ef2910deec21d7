//! OFD (GB/T 33190, the national fixed-layout format): a zip whose `OFD.xml` names the
//! document's `Document.xml`, which lists the pages and the outline (bookmarks). Only those two
//! small XML files are read, never page content.

use super::Broken;
use std::fs::File;
use std::io::Read;

use super::{Bookmark, Meta};

/// The most of one XML entry read (a Document.xml of 100,000 pages is about 10 MB).
const MAX_XML: u64 = 32 << 20;
const MAX_BOOKMARKS: usize = 10_000;

fn entry(zip: &mut zip::ZipArchive<&mut File>, name: &str) -> Result<String, Broken> {
    entry_limited(zip, name, MAX_XML).map_err(|e| format!("OFD 中{e}").into())
}

/// A zip entry's text, refused when larger than `max` bytes; the error names the entry
/// (「缺少 word/document.xml」, 「的 Doc_0/Document.xml 过大」).
pub(crate) fn entry_limited(
    zip: &mut zip::ZipArchive<&mut File>,
    name: &str,
    max: u64,
) -> Result<String, Broken> {
    let name = name.trim_start_matches('/');
    let e = zip.by_name(name).map_err(|_| format!("缺少 {name}"))?;
    if e.size() > max {
        return Err(format!("的 {name} 过大").into());
    }
    let mut s = String::new();
    e.take(max)
        .read_to_string(&mut s)
        .map_err(|_| format!("的 {name} 无法读取"))?;
    Ok(s)
}

pub(crate) fn local<'a>(n: &roxmltree::Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

/// Pages and bookmarks of an OFD file. A broken zip or OFD.xml is a problem; an outline that
/// cannot be followed is left out.
pub fn inspect(file: &mut File) -> Result<Meta, Broken> {
    let mut zip = zip::ZipArchive::new(file).map_err(|_| "OFD（ZIP）已损坏".to_string())?;
    let ofd = entry(&mut zip, "OFD.xml")?;
    let ofd = roxmltree::Document::parse(&ofd).map_err(|e| format!("OFD.xml 无法解析：{e}"))?;
    let root = ofd
        .descendants()
        .find(|n| local(n) == "DocRoot")
        .and_then(|n| n.text())
        .map(str::trim)
        .ok_or("OFD.xml 中没有 DocRoot")?
        .to_string();
    let text = entry(&mut zip, &root)?;
    let doc = roxmltree::Document::parse(&text).map_err(|e| format!("{root} 无法解析：{e}"))?;
    let pages: Vec<&str> = doc
        .descendants()
        .find(|n| local(n) == "Pages")
        .into_iter()
        .flat_map(|p| p.children().filter(|c| local(c) == "Page"))
        .map(|p| p.attribute("ID").unwrap_or_default())
        .collect();
    let page_of = |id: &str| pages.iter().position(|p| *p == id).map(|i| i as u32);
    let mut outline = Vec::new();
    if let Some(outlines) = doc.descendants().find(|n| local(n) == "Outlines") {
        let mut stack: Vec<(roxmltree::Node, u8)> = outlines
            .children()
            .filter(|c| local(c) == "OutlineElem")
            .map(|c| (c, 0))
            .collect();
        stack.reverse();
        while let Some((elem, depth)) = stack.pop() {
            if outline.len() >= MAX_BOOKMARKS {
                break;
            }
            // The element's own action, not its children's.
            let page = elem
                .children()
                .filter(|c| local(c) == "Actions")
                .flat_map(|a| a.descendants())
                .find(|d| local(d) == "Dest")
                .and_then(|d| d.attribute("PageID"))
                .and_then(page_of);
            outline.push(Bookmark {
                title: elem.attribute("Title").unwrap_or_default().to_string(),
                page,
                depth,
            });
            let kids: Vec<_> = elem
                .children()
                .filter(|c| local(c) == "OutlineElem")
                .collect();
            for k in kids.into_iter().rev() {
                stack.push((k, depth.saturating_add(1)));
            }
        }
    }
    Ok(Meta {
        dpi_from_pixels: false,
        dpi: None,
        pages: Some(pages.len() as u32),
        outline: (!outline.is_empty()).then(|| outline.into_boxed_slice()),
        text_layer: false,
    })
}
