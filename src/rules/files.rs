//! Files and folders that cannot be read, and an archive without a ledger.

use crate::config::{Params, Rule};
use crate::finding::{Finding, Location, Severity};
use crate::inspect::FileFormat;
use crate::rules::Context;

pub const UNREADABLE_DOC: &str = "\
kind: unreadable-file — 无法读取的文件或文件夹：没有权限、符号链接失效或成环、表格损坏或无法解析。

审核不会因此中止，其余文件照常检查。参数：无。消息变量：{file}（相对路径）、{detail}（原因）。";

pub const LEDGER_NOT_FOUND_DOC: &str = "\
kind: ledger-not-found — 档案根目录和支部文件夹中的表格都没有可识别的台账表头
（“姓名”加至少两个时间列，见 fields 中的 aliases）。

报告一次；此时不逐个报告档案找不到台账行。参数：无。
消息变量：{detail}，最接近台账表头的工作表及它缺少什么（没有可比的表格时为空）。";

pub fn unreadable(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for u in ctx.unreadable {
        let person = u
            .dossier
            .and_then(|d| ctx.person_of_dossier[d])
            .map(|p| &ctx.people[p]);
        // The document the file was taken for, as the other file findings say.
        let class = u.dossier.and_then(|d| {
            let files = &ctx.archive.dossiers[d].files;
            let i = files.iter().position(|f| *f.rel == *u.rel)?;
            ctx.classes[d][i]
        });
        let mut f = ctx.finding(
            rule,
            person,
            doc_key(ctx, class),
            Some(u.rel.clone()),
            Some(Location::file(u.rel.clone())),
            &[("file", &u.rel), ("detail", &u.detail)],
        );
        if f.branch.is_none() {
            f.branch = u.rel.split_once('/').map(|(b, _)| b.to_string());
        }
        out.push(f);
    }
}

pub fn ledger_not_found(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    if !ctx.ledger_found {
        let detail = ctx
            .ledger_near_miss
            .map(|n| format!("（最接近的是 {n}）"))
            .unwrap_or_default();
        out.push(ctx.finding(rule, None, None, None, None, &[("detail", &detail)]));
    }
}

pub const EMPTY_DOC: &str = "\
kind: empty-file — 0 字节的文件（上传或拷贝失败）。只报告这一条，不再报告为无法读取；按文件名仍算作该材料已有。
参数：无。消息变量：{file}。subject：该文件对应的文书键（无法对应时为 null）。";

pub const FORMAT_MISMATCH_DOC: &str = "\
kind: format-mismatch — 文件内容的真实格式（按文件头特征判断）与扩展名不符，如改名为 .pdf 的 PNG、
改名为 .tif 的 JPEG。已报告为无法读取的文件不再报告。不认识的扩展名不检查。
参数：无。消息变量：{file}、{actual}（真实格式）、{ext}（扩展名）。subject：文书键。";

pub const LOW_RESOLUTION_DOC: &str = "\
kind: low-resolution — 扫描分辨率低于 min_dpi（默认 200 dpi，DA/T 31-2017）。
JPEG 取 JFIF 密度或 EXIF XResolution/ResolutionUnit；PNG 取 pHYs；TIFF 取 XResolution/ResolutionUnit；
PDF 取每页最大图像的像素数与页面 MediaBox 之比（各页取最低）。文件未标注分辨率时记为未知，不报告。
参数：min_dpi（数值）。消息变量：{file}、{dpi}、{min_dpi}。subject：文书键。";

pub const DUPLICATE_DOC: &str = "\
kind: duplicate-file — 两个文件内容逐字节相同。分属两份档案时按本规则的 severity 报告（可能归错了人）；
同一档案内按 same_dossier 报告（默认 warning；off 不报告）。每组相同文件中，第一个之后的每个各报告一次。
参数：same_dossier: error|warning|info|off。消息变量：{file}、{other}（第一个相同的文件）。subject：文书键。";

fn doc_key(ctx: &Context<'_>, class: Option<usize>) -> Option<String> {
    class.map(|c| ctx.config.documents[c].key.clone())
}

/// A finding about one file: the person of its dossier, or for a loose file its branch folder.
fn file_finding(
    ctx: &Context<'_>,
    rule: &Rule,
    dossier: Option<usize>,
    f: &crate::walk::FileEntry,
    class: Option<usize>,
    vars: &[(&str, &str)],
) -> Finding {
    let person = dossier.and_then(|d| ctx.dossier_person(d));
    let mut all = vec![("file", &*f.rel)];
    all.extend_from_slice(vars);
    let mut finding = ctx.finding(
        rule,
        person,
        doc_key(ctx, class),
        Some(f.rel.to_string()),
        Some(Location::file(f.rel.clone())),
        &all,
    );
    if finding.branch.is_none() {
        finding.branch = f.rel.split_once('/').map(|(b, _)| b.to_string());
    }
    finding
}

pub fn empty(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for (d, f, _, class) in ctx.all_files() {
        if f.size == 0 {
            out.push(file_finding(ctx, rule, d, f, class, &[]));
        }
    }
}

pub fn format_mismatch(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for (d, f, i, class) in ctx.all_files() {
        // A file already reported as unreadable is not reported again for its extension.
        if f.size == 0
            || i.problem.is_some()
            || i.format == FileFormat::Unknown
            || ctx.is_unreadable(&f.rel)
        {
            continue;
        }
        let Some(expected) = FileFormat::expected_for(&f.ext()) else {
            continue;
        };
        if !expected.contains(&i.format) {
            let ext = format!(".{}", f.ext());
            out.push(file_finding(
                ctx,
                rule,
                d,
                f,
                class,
                &[("actual", i.format.name()), ("ext", &ext)],
            ));
        }
    }
}

pub fn low_resolution(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    let Params::LowResolution { min_dpi } = rule.params else {
        return;
    };
    for (d, f, i, class) in ctx.all_files() {
        let Some(dpi) = i.dpi else { continue };
        if i.problem.is_none() && dpi + 0.5 < min_dpi {
            let (dpi, min) = (format!("{dpi:.0}"), format!("{min_dpi:.0}"));
            out.push(file_finding(
                ctx,
                rule,
                d,
                f,
                class,
                &[("dpi", &dpi), ("min_dpi", &min)],
            ));
        }
    }
}

/// The severity a repeated file is reported at: the rule's when it repeats a file of another
/// dossier, `same_dossier`'s within one (None: not reported). The merge of shards uses it too.
pub fn duplicate_severity(rule: &Rule, same_dossier: bool) -> Option<Severity> {
    match rule.params {
        Params::DuplicateFile {
            same_dossier: within,
        } if same_dossier => within,
        Params::DuplicateFile { .. } => Some(rule.severity),
        _ => None,
    }
}

pub fn duplicate(ctx: &Context<'_>, rule: &Rule, out: &mut Vec<Finding>) {
    for group in ctx.duplicate_groups {
        let Some(&(d0, i0)) = group.first() else {
            continue;
        };
        let first = &ctx.archive.dossiers[d0].files[i0];
        for &(d, i) in &group[1..] {
            let Some(severity) = duplicate_severity(rule, d == d0) else {
                continue;
            };
            let f = &ctx.archive.dossiers[d].files[i];
            let mut finding = file_finding(
                ctx,
                rule,
                Some(d),
                f,
                ctx.classes[d][i],
                &[("other", &first.rel)],
            );
            finding.severity = severity;
            out.push(finding);
        }
    }
}
