//! low-resolution: a scan below the minimum resolution.

use crate::finding::Finding;
use crate::rules::Context;
use crate::rules::kind::{Parameters, Resolver, Rule, RuleKind};
use crate::rules::shared::files::file_finding;

pub struct LowResolution;

/// `min_dpi` as written.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParams {
    min_dpi: Option<f64>,
}

impl RuleKind for LowResolution {
    const NAME: &'static str = "low-resolution";
    const DOC: &'static str = "\
kind: low-resolution — 扫描分辨率低于 min_dpi（默认 200 dpi，DA/T 31-2017）。
JPEG 取 JFIF 密度或 EXIF XResolution/ResolutionUnit；PNG 取 pHYs；TIFF 取 XResolution/ResolutionUnit；
PDF 取每页最大图像的像素数与页面 MediaBox 之比（各页取最低）。文件未标注分辨率时记为未知，不报告。
JPEG 标注的是相机默认值（72、96 dpi 或比例 1）时——手机拍照——按像素数折合 A4 纸（横竖皆可）计算，消息中说明。
参数：min_dpi（数值）。消息变量：{file}、{dpi}、{min_dpi}、{basis}（按像素折算时的说明，否则为空）。
subject：文书键。";
    type Params = MinDpi;

    fn check(ctx: &Context<'_>, rule: &Rule, &MinDpi(min_dpi): &MinDpi, out: &mut Vec<Finding>) {
        for (d, f, i, class) in ctx.all_files() {
            let Some(dpi) = i.dpi else { continue };
            if i.problem().is_none() && dpi + 0.5 < min_dpi {
                let (dpi, basis) = if i.dpi_from_pixels {
                    (
                        format!("约 {dpi:.0}"),
                        "（照片标注的 72/96 dpi 是相机的默认值，这里按像素数折合 A4 纸计算）",
                    )
                } else {
                    (format!("{dpi:.0}"), "")
                };
                let min = format!("{min_dpi:.0}");
                let vars = [("dpi", dpi.as_str()), ("min_dpi", &min), ("basis", basis)];
                out.push(file_finding(ctx, rule, d, f, class, &vars));
            }
        }
    }
}

/// The least resolution, in dots per inch.
#[derive(Debug)]
pub struct MinDpi(pub f64);

impl Parameters for MinDpi {
    type Raw = RawParams;

    fn resolve(raw: RawParams, r: &mut Resolver<'_>) -> Option<MinDpi> {
        let min_dpi = raw.min_dpi.unwrap_or(200.0);
        if !(min_dpi.is_finite() && min_dpi > 0.0) {
            let message = format!("规则 {} 的 min_dpi 应为正数", r.id);
            r.error(Some("min_dpi:"), message, "无效的分辨率", None);
            return None;
        }
        Some(MinDpi(min_dpi))
    }
}
