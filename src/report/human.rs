//! The report for a person at a terminal: grouped by branch, then dossier, in Chinese.

use std::fmt::Write;

use crate::finding::{About, Finding, Severity};
use crate::results::AuditResult;
use crate::text::visible;

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity(&self, s: Severity) -> String {
        let code = match s {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "36",
        };
        self.paint(code, s.label_zh())
    }
}

/// The heading of a group of findings about one person or one place.
fn who(f: &Finding) -> String {
    match f.about() {
        About::Dossier(d) => format!("档案 {}", visible(d)),
        About::LedgerOnly { name, .. } => {
            format!("{}（台账中有此人，无档案文件夹）", visible(name))
        }
        About::BranchFolder(_) => "支部文件夹".to_string(),
        About::Archive => "档案根目录".to_string(),
    }
}

/// Each dossier's documents with their files and pages (`--list`).
pub fn document_list(result: &AuditResult, config: &crate::config::Config) -> String {
    let mut out = String::from("\n材料清单（每份档案的材料、文件数和页数）\n");
    let stage_title = |k: &str| {
        config
            .stages
            .iter()
            .find(|s| s.key == k)
            .map_or(k, |s| s.title.as_str())
            .to_string()
    };
    for d in &result.dossiers {
        // Documents in rule-set order, then files that are no document.
        let mut parts = Vec::new();
        for doc in &config.documents {
            let files: Vec<_> = d
                .files
                .iter()
                .filter(|f| f.document.as_deref() == Some(doc.key.as_str()))
                .collect();
            // Inside combined files, by their bookmarks.
            let inside: Vec<(&str, &crate::results::FilePart)> = d
                .files
                .iter()
                .flat_map(|f| f.contents.iter().map(move |p| (&*f.file, p)))
                .filter(|(_, p)| &*p.document == doc.key.as_str())
                .collect();
            if files.is_empty() && inside.is_empty() {
                continue;
            }
            let pages: u32 = files.iter().filter_map(|f| f.pages).sum::<u32>()
                + inside.iter().filter_map(|(_, p)| p.pages).sum::<u32>();
            let known = files.iter().filter(|f| f.pages.is_some()).count()
                + inside.iter().filter(|(_, p)| p.pages.is_some()).count();
            let pages = match known {
                0 => "页数未知".to_string(),
                k if k < files.len() + inside.len() => format!("{pages}页以上"),
                _ => format!("{pages}页"),
            };
            let mut notes: Vec<String> = Vec::new();
            if files.len() > 1 {
                notes.push(format!("{}个文件", files.len()));
            }
            for (file, p) in &inside {
                let name = file.rsplit('/').next().unwrap_or(file);
                notes.push(match (p.first_page, p.pages) {
                    (Some(a), Some(n)) if n > 1 => format!("{name} 第{a}–{}页", a + n - 1),
                    (Some(a), _) => format!("{name} 第{a}页"),
                    _ => format!("{name} 书签"),
                });
            }
            parts.push(if notes.is_empty() {
                format!("{} {pages}", doc.title)
            } else {
                format!("{} {pages}（{}）", doc.title, notes.join("，"))
            });
        }
        let other = d
            .files
            .iter()
            .filter(|f| f.document.is_none() && f.contents.is_empty())
            .count();
        if other > 0 {
            parts.push(format!("未识别 {other}个文件"));
        }
        let stage = d
            .stage
            .as_deref()
            .map(stage_title)
            .unwrap_or_else(|| "阶段未知".into());
        let _ = writeln!(
            out,
            "  {} {}（{stage}）：{}",
            visible(&d.dossier),
            visible(&d.name),
            if parts.is_empty() {
                "（空）".to_string()
            } else {
                visible(&parts.join(" · ")).into_owned()
            }
        );
    }
    out
}

pub fn render(result: &AuditResult, color: bool) -> String {
    let st = Style { color };
    let mut out = String::new();
    let mut branch: Option<Option<&str>> = None;
    let mut group: Option<String> = None;
    for f in &result.findings {
        let b = f.branch.as_deref();
        if branch != Some(b) {
            branch = Some(b);
            group = None;
            let title = visible(b.unwrap_or("（未归属支部）"));
            let _ = writeln!(out, "\n{}", st.paint("1", &format!("■ {title}")));
        }
        let g = who(f);
        if group.as_deref() != Some(g.as_str()) {
            let _ = writeln!(out, "  {}", st.paint("1", &g));
            group = Some(g);
        }
        let label = match &f.waived {
            Some(_) => st.paint("2", "豁免"),
            None => st.severity(f.severity),
        };
        let _ = writeln!(
            out,
            "    {label} {}  {}",
            st.paint("2", &format!("[{}]", f.rule)),
            visible(&f.message)
        );
        if let Some(w) = &f.waived {
            let _ = writeln!(
                out,
                "         已豁免：{}（批准人：{}，有效期至 {}）",
                visible(&w.reason),
                visible(&w.approved_by),
                w.expires
            );
        }
        if let Some(l) = &f.location {
            let _ = writeln!(out, "         位置：{}", visible(&l.to_string()));
        }
        let _ = writeln!(out, "         依据：{}", visible(&f.basis));
    }
    let s = &result.summary;
    let c = s.findings;
    let _ = writeln!(
        out,
        "\n审核基准日 {}：共 {} 份档案、台账 {} 行{}、文件 {} 个；{} {}，{} {}，{} {}。",
        result.as_of,
        s.dossiers,
        s.ledger_rows,
        if s.ledger_people != s.ledger_rows {
            format!("（{} 人）", s.ledger_people)
        } else {
            String::new()
        },
        s.files,
        st.severity(Severity::Error),
        c.error,
        st.severity(Severity::Warning),
        c.warning,
        st.severity(Severity::Info),
        c.info
    );
    if let Some(sc) = &s.scope {
        let _ = writeln!(
            out,
            "审核范围：{} 及以后申请入党或接收为预备党员的 {} 人（另有 {} 人不在范围内，未列出）。",
            sc.since, sc.people_in_scope, sc.people_out_of_scope
        );
    }
    if let Some(b) = &s.baseline {
        let _ = writeln!(
            out,
            "基线：{} 个已知问题未列出；基线中 {} 个问题已整改。",
            b.known, b.fixed
        );
    }
    if s.waived > 0 {
        let _ = writeln!(out, "已豁免 {} 个问题（显示但不计入）。", s.waived);
    }
    let _ = writeln!(
        out,
        "扫描件共 {} 页；{} 个扫描件未标注分辨率（无法核对 200 dpi 要求）。",
        s.pages, s.unknown_resolution
    );
    if let Some(c) = &s.content {
        content_line(&mut out, c);
    }
    if result.findings.is_empty() {
        let _ = writeln!(out, "未发现问题。");
    }
    out
}

/// What the content rules could read: only the parts that are not zero.
fn content_line(out: &mut String, c: &crate::results::ContentCounts) {
    let mut parts = vec![format!("读取了 {} 份材料的文字", c.read + c.unreadable)];
    if c.unreadable + c.failed > 0 {
        parts.push(format!("{} 份无法可靠识别", c.unreadable + c.failed));
    }
    if c.needs_ocr > 0 {
        parts.push(format!(
            "{} 份扫描件未识别文字（加 --ocr 开启 OCR）",
            c.needs_ocr
        ));
    }
    if c.no_text > 0 {
        parts.push(format!(
            "{} 份为不能读取文字的格式（如 BMP、.xls）",
            c.no_text
        ));
    }
    let _ = writeln!(out, "内容检查：{}。", parts.join("；"));
}
