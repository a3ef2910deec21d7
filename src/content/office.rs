//! Word (.docx, and .wps/.doc saved as OOXML) and OpenDocument (.odt) text: the document's XML
//! inside the zip, its paragraphs as lines.

use crate::inspect::Broken;
use std::fs::File;

use quick_xml::events::Event;

/// The most of a document's XML read (a 200-page report is a few MB).
const MAX_XML: u64 = 32 << 20;

/// The text of a .docx: `word/document.xml`, a line per paragraph (`w:p`), `w:tab` and
/// `w:br` as a space and a line break. A workbook or a presentation (also OOXML) has none.
pub fn docx(file: &mut File) -> Result<Option<String>, Broken> {
    let mut zip = zip::ZipArchive::new(file).map_err(|_| "Word 文件（ZIP）已损坏".to_string())?;
    if zip.by_name("word/document.xml").is_err() {
        return Ok(None);
    }
    let xml = crate::inspect::ofd::entry_limited(&mut zip, "word/document.xml", MAX_XML)
        .map_err(|e| format!("Word 文件中{e}"))?;
    Ok(Some(paragraphs(&xml, "w:t", &["w:p"], "w:tab", "w:br")))
}

/// The text of an .odt: `content.xml`'s paragraphs and headings (`text:p`, `text:h`); a
/// spreadsheet (.ods) has none read here.
pub fn odt(file: &mut File) -> Result<Option<String>, Broken> {
    let mut zip =
        zip::ZipArchive::new(file).map_err(|_| "OpenDocument 文件（ZIP）已损坏".to_string())?;
    let mime = crate::inspect::ofd::entry_limited(&mut zip, "mimetype", 256).unwrap_or_default();
    if !mime.contains("opendocument.text") {
        return Ok(None);
    }
    let xml = crate::inspect::ofd::entry_limited(&mut zip, "content.xml", MAX_XML)
        .map_err(|e| format!("OpenDocument 文件中{e}"))?;
    Ok(Some(paragraphs(
        &xml,
        "",
        &["text:p", "text:h"],
        "text:tab",
        "text:line-break",
    )))
}

/// The text inside `text_in` elements (every element when empty), a line break at the end of
/// each paragraph element and at `br`, a space at `tab` and at ODF's `text:s`.
fn paragraphs(xml: &str, text_in: &str, para: &[&str], tab: &str, br: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::with_capacity(xml.len() / 8);
    let mut inside = text_in.is_empty();
    loop {
        let event = reader.read_event();
        let tag: &str = match &event {
            Ok(Event::Start(e) | Event::Empty(e)) => e.name().0,
            Ok(Event::End(e)) => e.name().0,
            _ => "",
        };
        match &event {
            Ok(Event::Start(_)) if tag == text_in => inside = true,
            Ok(Event::End(_)) if tag == text_in => inside = text_in.is_empty(),
            Ok(Event::End(_)) if para.contains(&tag) => out.push('\n'),
            Ok(Event::Empty(_)) => {
                if tag == tab || tag == "text:s" {
                    out.push(' ');
                } else if tag == br || para.contains(&tag) {
                    out.push('\n');
                }
            }
            Ok(Event::Text(t)) if inside => {
                out.push_str(t.as_ref());
            }
            Ok(Event::GeneralRef(r)) if inside => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else {
                    match r.as_ref() {
                        "amp" => out.push('&'),
                        "lt" => out.push('<'),
                        "gt" => out.push('>'),
                        "quot" => out.push('"'),
                        "apos" => out.push('\''),
                        _ => {}
                    }
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docx_paragraphs_tabs_and_entities() {
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>入党</w:t></w:r><w:r><w:t xml:space="preserve">申请书</w:t></w:r></w:p><w:p><w:r><w:t>申请人：张三</w:t><w:tab/><w:t>A&amp;B</w:t></w:r></w:p><w:p><w:r><w:instrText>PAGE</w:instrText></w:r></w:p></w:body></w:document>"#;
        assert_eq!(
            paragraphs(xml, "w:t", &["w:p"], "w:tab", "w:br"),
            "入党申请书\n申请人：张三 A&B\n\n"
        );
    }

    #[test]
    fn odt_paragraphs_and_headings() {
        let xml = r#"<office:document-content><office:body><office:text><text:h>思想汇报</text:h><text:p>敬爱的<text:s/>党组织：</text:p><text:p>汇报人：李四<text:line-break/>2023年3月15日</text:p></office:text></office:body></office:document-content>"#;
        assert_eq!(
            paragraphs(
                xml,
                "",
                &["text:p", "text:h"],
                "text:tab",
                "text:line-break"
            ),
            "思想汇报\n敬爱的 党组织：\n汇报人：李四\n2023年3月15日\n"
        );
    }
}
