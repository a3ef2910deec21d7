//! fixtures/content: the clean archive with documents that have text — Word, OpenDocument,
//! OFD and a born-digital PDF whose CID font maps its codes through a ToUnicode CMap — and one
//! planted defect for each content rule beside its near miss at the threshold:
//!
//! | person | file | what | rule |
//! |---|---|---|---|
//! | 张三 | 入党申请书.docx | 2019-03-05, mentions 习近平新时代… | clean |
//! | 张三 | 思想汇报/思想汇报（2022年10月15日）.docx | the day before the 20th Congress, no 二十大 | near miss |
//! | 张三 | 思想汇报/思想汇报2022年第4季度.docx | 2022-10-16, no 二十大 | theory-not-current |
//! | 张三 | 思想汇报/思想汇报2024年第3季度（一）.odt | 2024-07-17, no 三中全会 | near miss |
//! | 张三 | 思想汇报/思想汇报2024年第3季度（二）.odt | 2024-07-18, no 三中全会 | theory-not-current |
//! | 陈明 | 思想汇报/思想汇报2023年第1季度.ofd | signed 李四, who is in the archive | document-of-another-person |
//! | 陈明 | 思想汇报/思想汇报2023年第2季度.ofd | signed by a name nobody in the archive has | near miss |
//! | 陈明 | 入党申请书.pdf | 2022年2月6日 against 申请入党 2022.01.05: 32 days | document-date-mismatch |
//! | 李四 | 入党申请书.pdf | 2023年5月1日 against 2023.03: 31 days after the month | near miss |
//! | 王芳 | 王芳入党申请书.docx | a title and nothing else | content-unreadable |
//! | 阿依古丽·买买提 | 自传.docx | 2025, mentions all three; signed with the middle dot the ledger uses | clean |

use std::fs;
use std::io::Write;
use std::path::Path;

pub const PLEDGE: &str = "我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身。";
pub const XI: &str =
    "我认真学习习近平新时代中国特色社会主义思想，用党的创新理论武装头脑，指导实践。";
pub const TWENTY: &str = "我深入学习党的二十大精神，坚定不移听党话、跟党走。";
const PLENUM: &str = "我认真学习党的二十届三中全会精神，拥护进一步全面深化改革。";

/// A letter to the party: its title, a salutation, the paragraphs, the closing, the signature
/// line and the date.
pub fn letter(title: &str, paragraphs: &[&str], signature: &str, date: &str) -> Vec<String> {
    let mut lines = vec![title.to_string(), "敬爱的党组织：".to_string()];
    lines.extend(paragraphs.iter().map(|p| p.to_string()));
    lines.extend([
        "此致".into(),
        "敬礼！".into(),
        signature.into(),
        date.into(),
    ]);
    lines
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn package(path: &Path, entries: &[(&str, String)], stored_first: bool) -> std::io::Result<()> {
    let mut zip = zip::ZipWriter::new(fs::File::create(path)?);
    for (i, (name, body)) in entries.iter().enumerate() {
        let options = if i == 0 && stored_first {
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored)
        } else {
            zip::write::SimpleFileOptions::default()
        };
        zip.start_file(*name, options)
            .map_err(std::io::Error::other)?;
        zip.write_all(body.as_bytes())?;
    }
    zip.finish().map_err(std::io::Error::other)?;
    Ok(())
}

/// A .docx: a paragraph a line.
pub fn docx(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let body: String = lines
        .iter()
        .map(|l| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                esc(l)
            )
        })
        .collect();
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
</Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
</Relationships>";
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    package(
        path,
        &[
            ("[Content_Types].xml", types.into()),
            ("_rels/.rels", rels.into()),
            ("word/document.xml", document),
        ],
        false,
    )
}

/// An .odt: a paragraph a line, the first a heading.
pub fn odt(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let body: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let tag = if i == 0 { "text:h" } else { "text:p" };
            format!("<{tag}>{}</{tag}>", esc(l))
        })
        .collect();
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>\
<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
</manifest:manifest>";
    package(
        path,
        &[
            ("mimetype", "application/vnd.oasis.opendocument.text".into()),
            ("META-INF/manifest.xml", manifest.into()),
            ("content.xml", content),
        ],
        true,
    )
}

/// An OFD: one page, a text object a line, 10 mm apart.
pub fn ofd(path: &Path, lines: &[String]) -> std::io::Result<()> {
    let ns = "xmlns:ofd=\"http://www.ofdspec.org/2016\"";
    let root = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD {ns} Version=\"1.0\" DocType=\"OFD\">\
<ofd:DocBody><ofd:DocInfo><ofd:DocID>dangan-fixture</ofd:DocID></ofd:DocInfo>\
<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
    );
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>100</ofd:MaxUnitID>\
<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>\
<ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>"
    );
    let objects: String = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "<ofd:TextObject ID=\"{}\" Boundary=\"20 {} 170 8\" Font=\"1\" Size=\"4.2\">\
<ofd:TextCode X=\"0\" Y=\"6\">{}</ofd:TextCode></ofd:TextObject>",
                i + 2,
                20 + i * 10,
                esc(l)
            )
        })
        .collect();
    let page = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID=\"1\">{objects}</ofd:Layer></ofd:Content></ofd:Page>"
    );
    package(
        path,
        &[
            ("OFD.xml", root),
            ("Doc_0/Document.xml", document),
            ("Doc_0/Pages/Page_0/Content.xml", page),
        ],
        false,
    )
}

/// A born-digital PDF as word processors write it: a Type0 font with Identity-H encoding whose
/// two-byte codes are glyph numbers of a subset (not Unicode), mapped back to text by a
/// ToUnicode CMap of bfchar entries; a line a `Td`.
pub fn text_pdf(lines: &[String]) -> Vec<u8> {
    let mut glyphs: Vec<char> = Vec::new();
    let mut content = String::from("BT /F1 12 Tf 72 780 Td 16 TL\n");
    for (i, line) in lines.iter().enumerate() {
        let mut hex = String::new();
        for c in line.chars() {
            let g = match glyphs.iter().position(|&x| x == c) {
                Some(g) => g,
                None => {
                    glyphs.push(c);
                    glyphs.len() - 1
                }
            } + 1;
            hex.push_str(&format!("{g:04X}"));
        }
        if i > 0 {
            content.push_str("0 -16 Td ");
        }
        content.push_str(&format!("<{hex}> Tj\n"));
    }
    content.push_str("ET");
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n\
1 begincodespacerange <0000> <FFFF> endcodespacerange\n",
    );
    for chunk in glyphs.chunks(100).enumerate() {
        let (k, chunk) = chunk;
        cmap.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (j, c) in chunk.iter().enumerate() {
            let mut units = [0u16; 2];
            let utf16: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            cmap.push_str(&format!("<{:04X}> <{utf16}>\n", k * 100 + j + 1));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end");
    let stream = |s: &str| format!("<< /Length {} >>\nstream\n{s}\nendstream", s.len());
    let objs: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".into(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".into(),
        stream(&content),
        "<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+NotoSansCJKsc-Regular /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>".into(),
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /AAAAAA+NotoSansCJKsc-Regular /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>".into(),
        stream(&cmap),
    ];
    super::pdf_file(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", &objs)
}

/// The content archive: the clean one, with the documents of the table above.
pub fn write(root: &Path) -> Result<(), Box<dyn std::error::Error>> {
    super::write_archive(root, &super::clean_people(), Some("第二党支部"))?;
    let b1 = root.join("第一党支部");
    let b2 = root.join("第二党支部");
    let zhang = b1.join("01-张三");
    fs::remove_file(zhang.join("入党申请书.pdf"))?;
    docx(
        &zhang.join("入党申请书.docx"),
        &letter("入党申请书", &[PLEDGE, XI], "申请人：张三", "2019年3月5日"),
    )?;
    let reports = zhang.join("思想汇报");
    fs::create_dir_all(&reports)?;
    docx(
        &reports.join("思想汇报（2022年10月15日）.docx"),
        &letter(
            "思想汇报",
            &[PLEDGE, XI],
            "汇报人：张三",
            "二〇二二年十月十五日",
        ),
    )?;
    docx(
        &reports.join("思想汇报2022年第4季度.docx"),
        &letter("思想汇报", &[PLEDGE, XI], "汇报人：张三", "2022年10月16日"),
    )?;
    odt(
        &reports.join("思想汇报2024年第3季度（一）.odt"),
        &letter(
            "思想汇报",
            &[PLEDGE, XI, TWENTY],
            "汇报人：张三",
            "2024年7月17日",
        ),
    )?;
    odt(
        &reports.join("思想汇报2024年第3季度（二）.odt"),
        &letter(
            "思想汇报",
            &[PLEDGE, XI, TWENTY],
            "汇报人：张三",
            "2024年7月18日",
        ),
    )?;
    let chen = b2.join("05-陈明");
    let chen_reports = chen.join("思想汇报");
    fs::create_dir_all(&chen_reports)?;
    ofd(
        &chen_reports.join("思想汇报2023年第1季度.ofd"),
        &letter(
            "思想汇报",
            &[PLEDGE, XI, TWENTY],
            "汇报人：李四",
            "2023年3月15日",
        ),
    )?;
    ofd(
        &chen_reports.join("思想汇报2023年第2季度.ofd"),
        &letter(
            "思想汇报",
            &[PLEDGE, XI, TWENTY],
            "汇报人：赵明远",
            "2023年6月15日",
        ),
    )?;
    fs::write(
        chen.join("入党申请书.pdf"),
        text_pdf(&letter(
            "入党申请书",
            &[PLEDGE, XI],
            "申请人：陈明",
            "2022年2月6日",
        )),
    )?;
    fs::write(
        b1.join("李四").join("入党申请书.pdf"),
        text_pdf(&letter(
            "入党申请书",
            &[PLEDGE, XI, TWENTY],
            "申请人：李四",
            "2023年5月1日",
        )),
    )?;
    let wang = fs::read_dir(&b2)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("王芳"))
        })
        .ok_or("王芳's folder")?;
    fs::remove_file(wang.join("王芳入党申请书.jpg"))?;
    docx(
        &wang.join("王芳入党申请书.docx"),
        &["入党申请书".to_string()],
    )?;
    // A 2025 application would have to mention the Third Plenum too: the clean one does.
    docx(
        &b2.join("阿依古丽・买买提").join("自传.docx"),
        &letter(
            "自传",
            &[PLEDGE, XI, TWENTY, PLENUM],
            "本人签名：阿依古丽·买买提",
            "2025年3月1日",
        ),
    )?;
    Ok(())
}
