//! Command-line interface: parse once, hand plain values to the library, map results to
//! exit codes (0 clean, 1 findings at or above --fail-on, 2 usage / rules / archive error).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::audit::audit;
use crate::config::{self, Config};
use crate::finding::Severity;
use crate::report::{self, write_atomic, write_atomic_with};
use crate::results::AuditResult;
use crate::triage::{self, Waivers};

#[derive(Parser, Debug)]
#[command(
    name = "dangan",
    version,
    about = "发展党员档案审核：材料是否齐全、时间是否合规、简历是否断档"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 审核一个档案文件夹（支部/个人档案/文件，外加台账表格）
    Audit(AuditArgs),
    /// 记录当前全部问题为基线：以后 audit --baseline 只报告新问题
    Baseline {
        #[command(flatten)]
        scope: ScopeArgs,
        /// 基线文件（JSON）
        #[arg(
            long,
            short,
            value_name = "FILE",
            default_value = "dangan-baseline.json"
        )]
        output: PathBuf,
    },
    /// 看看 dangan 读懂了什么：每个表格、工作表的用途，表头行，各列对应的字段，读取和跳过的行
    Survey(SurveyArgs),
    /// 列出生效的规则（id、级别、类型、依据）
    Rules(RulesListArgs),
    /// 合并各分片（audit --shard K/N --format json）的结果，输出与一次完整审核相同
    Merge(MergeArgs),
    /// 为每个支部写出卷内目录（每份档案的材料、形成时间、页数、文件）和档案移交清单（xlsx、A4 html）
    Catalog(CatalogArgs),
    /// 输出命令行补全脚本（bash、zsh、fish、powershell、elvish）
    Completions {
        /// 外壳：bash、zsh、fish、powershell 或 elvish
        shell: clap_complete::Shell,
    },
    /// 输出 man 手册页（roff 格式）：dangan man > dangan.1
    Man,
    /// 显示 dangan 从一个文件中读到的文字（内容规则所用）：来源、OCR 置信度、落款日期、署名和全文
    Text(TextArgs),
    /// 说明一条规则：做什么、参数、示例
    Explain {
        /// 规则 id，如 missing-document
        rule: String,
        #[command(flatten)]
        rules: RulesArgs,
    },
}

#[derive(clap::Args, Debug)]
pub struct CatalogArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// 输出文件夹（不能在档案文件夹内）：每个支部一个“支部名卷内目录.xlsx”和同名 .html
    #[arg(long, short, value_name = "DIR")]
    pub output: PathBuf,
    /// 另外为每份档案单独写一个 卷内目录.xlsx（DIR/卷内目录/档案路径/），可复制进档案文件夹
    #[arg(long)]
    pub per_dossier: bool,
}

#[derive(clap::Args, Debug)]
pub struct SurveyArgs {
    /// 档案根目录
    pub archive: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// 审核基准日（2026-11-28、2026/11/28 或 2026年11月28日），默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// 输出格式：human 或 json
    #[arg(long, value_enum, default_value_t = SurveyFormat::Human)]
    pub format: SurveyFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SurveyFormat {
    Human,
    Json,
}

#[derive(clap::Args, Debug)]
pub struct RulesListArgs {
    #[command(flatten)]
    pub rules: RulesArgs,
    /// text：终端列表；markdown：README 中的规则表
    #[arg(long, value_enum, default_value = "text")]
    pub format: RulesFormat,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Markdown,
}

#[derive(clap::Args, Debug)]
pub struct TextArgs {
    /// 文件（Word、OpenDocument、OFD、PDF；开启 --ocr 时还有 JPEG、PNG、TIFF 和扫描的 PDF）
    pub file: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// 用 OCR（Tesseract）识别扫描件（不使用缓存）
    #[arg(long)]
    pub ocr: bool,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    /// 叠加在默认规则之上的规则文件（可多次给出）
    #[arg(long = "rules", value_name = "FILE")]
    pub rules: Vec<PathBuf>,
}

/// What to audit: shared by `audit` and `baseline`.
#[derive(clap::Args, Debug)]
pub struct ScopeArgs {
    /// 档案根目录
    pub archive: PathBuf,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// 审核基准日（2026-11-28、2026/11/28 或 2026年11月28日），默认今天；晚于它的日期视为无效
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub as_of: Option<Date>,
    /// 只审核申请入党或接收为预备党员在此日期及以后的人（如 2021-01-01）
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    pub since: Option<Date>,
    /// 豁免文件（YAML）：经批准、有期限的例外，显示但不计入
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// 只审核第 K 个分片（共 N 个，K 从 0 起）的支部；输出 JSON 供 dangan merge 合并
    #[arg(long, value_name = "K/N", value_parser = crate::shard::Shard::parse)]
    pub shard: Option<crate::shard::Shard>,
    /// 同时读取的文件数。读文件多在等待磁盘或网络：档案在网络共享盘上时可调大
    #[arg(long, value_name = "N", default_value_t = crate::audit::DEFAULT_IO_THREADS,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub io_threads: u16,
    /// 用 OCR（Tesseract）识别扫描件的文字，供内容规则检查（规则文件中 content.ocr: true 亦可）
    #[arg(long)]
    pub ocr: bool,
    /// 缓存目录：上次读取的文件检查结果与 OCR 文字，未改动的文件不再读取（默认为用户缓存目录下的 dangan；不可在档案目录之内）
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// 不使用也不写入缓存：每个文件都重新读取
    #[arg(long)]
    pub no_cache: bool,
    /// 校验缓存：逐个文件计算内容散列，与缓存记录一致才采用（可发现同大小、同修改时间的替换）
    #[arg(long, conflicts_with = "no_cache")]
    pub verify_cache: bool,
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// 各分片的 JSON 报告
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    #[command(flatten)]
    pub rules: RulesArgs,
    /// 豁免文件（YAML）
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// 档案根目录（SARIF、GitHub 格式中的文件路径以它为基准；默认当前目录）
    #[arg(long, value_name = "ARCHIVE")]
    pub archive: Option<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// How and where a result is reported: shared by `audit` and `merge`.
#[derive(clap::Args, Debug)]
pub struct OutputArgs {
    /// 基线文件：只报告不在基线中的问题
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// 另外写出各支部的问题清单（xlsx、html）和汇总（index.html、summary.xlsx）
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// 报告中显示完整身份证号（默认脱敏：110101********1234）
    #[arg(long)]
    pub show_id_numbers: bool,
    /// 输出格式
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// 写入文件而不是标准输出（不能在档案文件夹内）
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 有此级别及以上的问题时退出码为 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// 文字报告后列出每份档案的材料、文件数和页数
    #[arg(long)]
    pub list: bool,
}

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Junit,
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Never,
}

/// An `--as-of` that is no usable day: what was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum AsOfError {
    #[error("“{0}”不是日期：写作 2026-11-28、2026/11/28、2026.11.28 或 2026年11月28日")]
    NotADate(String),
    #[error("“{0}”没有写到日：请写出哪一天，如 2026-11-28")]
    NoDay(String),
    /// Before the Party was founded every date in every dossier would be "in the future".
    #[error("审核基准日 {0} 早于 1921-07-01：请给出审核当天或之前一个合理的日期")]
    BeforeFounding(Date),
}

/// A day on the command line, in any form the ledgers write one: 2026-11-28, 2026/11/28,
/// 2026.11.28, 20261128, 2026年11月28日.
fn parse_as_of(s: &str) -> Result<Date, AsOfError> {
    let v = crate::date::parse_date(s).map_err(|_| AsOfError::NotADate(s.to_string()))?;
    if !v.is_day() {
        return Err(AsOfError::NoDay(s.to_string()));
    }
    let d = v.earliest();
    // Before the Party was founded every date in every dossier would be "in the future".
    if d < jiff::civil::date(1921, 7, 1) {
        return Err(AsOfError::BeforeFounding(d));
    }
    Ok(d)
}

fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

fn load_rules(args: &RulesArgs) -> Result<Config, ExitCode> {
    config::load(&args.rules).map_err(|e| {
        crate::say!("{:?}", miette::Report::new(e));
        ExitCode::from(2)
    })
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    report::clean_up_on_interrupt();
    match cli.command {
        Command::Audit(args) => run_audit(args),
        Command::Merge(args) => run_merge(args),
        Command::Catalog(args) => run_catalog(args),
        Command::Survey(args) => run_survey(args),
        Command::Text(args) => run_text(&args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "dangan", &mut buf);
            out(&String::from_utf8_lossy(&buf));
            ExitCode::SUCCESS
        }
        Command::Man => {
            let mut buf = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut buf) {
                Ok(()) => {
                    out(&String::from_utf8_lossy(&buf));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("dangan: 无法生成手册页：{e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Baseline { scope, output } => run_baseline(scope, &output),
        Command::Rules(args) => match load_rules(&args.rules) {
            Ok(c) => {
                out(&match args.format {
                    RulesFormat::Text => report::rules::list(&c),
                    RulesFormat::Markdown => report::rules::markdown(&c),
                });
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Command::Explain { rule, rules } => match load_rules(&rules) {
            Ok(c) => match report::rules::explain(&c, &rule) {
                Some(text) => {
                    out(&text);
                    ExitCode::SUCCESS
                }
                None => {
                    crate::say!(
                        "错误：没有 id 为“{rule}”的规则。可用的规则：{}",
                        c.rules
                            .iter()
                            .map(|r| r.id.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    );
                    ExitCode::from(2)
                }
            },
            Err(code) => code,
        },
    }
}

/// Which archive a shard ran on, the same wherever it is mounted: a hash of the root folder's
/// name and the names directly inside it.
fn archive_identity(root: &Path) -> String {
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(root)
        .map(|d| d.filter_map(Result::ok).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    names.sort();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(crate::layout::root_name(root).as_bytes());
    for n in &names {
        h.update(b"\0");
        h.update(n.as_encoded_bytes());
    }
    format!("{:032x}", h.digest128())
}

/// The cache folder: `--cache-dir`, else the user's; None with `--no-cache`.
fn cache_dir(scope: &ScopeArgs) -> Option<PathBuf> {
    if scope.no_cache {
        return None;
    }
    scope.cache_dir.clone().or_else(crate::cache::default_dir)
}

/// The result cache of this archive (and shard). A cache folder given with `--cache-dir` that
/// cannot be used is an error; the default one, a line and a run without the cache.
fn results_cache(scope: &ScopeArgs) -> Result<Option<crate::cache::Results>, ExitCode> {
    let Some(dir) = cache_dir(scope) else {
        return Ok(None);
    };
    let tag = scope
        .shard
        .map_or(String::new(), |s| format!("{}/{}", s.index, s.count));
    match crate::cache::Results::open(&dir, &scope.archive, &tag) {
        Ok((mut results, note)) => {
            if let Some(note) = note {
                crate::say!("{note}");
            }
            results.verify = scope.verify_cache;
            Ok(Some(results))
        }
        Err(e) if scope.cache_dir.is_some() => {
            crate::say!("错误：{e}");
            Err(ExitCode::from(2))
        }
        Err(e) => {
            crate::say!("注意：{e}；本次不使用缓存");
            Ok(None)
        }
    }
}

/// How documents' text is read in this run: with `--ocr` (or `content.ocr: true`), Tesseract,
/// found now — its absence is one line and exit 2 — and the text cache.
fn text_reading(scope: &ScopeArgs, config: &Config) -> Result<crate::content::Reading, ExitCode> {
    let settings = &config.schema.content;
    let mut reading = crate::content::Reading {
        min_layer_chars: settings.min_chars,
        ..Default::default()
    };
    if !(scope.ocr || settings.ocr) {
        return Ok(reading);
    }
    let dir = cache_dir(scope);
    // The engine's answers are remembered beside the cache (never inside the archive).
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let memo = dir
        .as_deref()
        .filter(|d| !abs(d).starts_with(abs(&scope.archive)) && std::fs::create_dir_all(d).is_ok());
    let engine =
        crate::content::ocr::Engine::find_remembered(&settings.language, memo).map_err(|e| {
            crate::say!("错误：{e}");
            ExitCode::from(2)
        })?;
    if !scope.no_cache {
        match dir.map(|d| crate::content::cache::Cache::open(&d, &scope.archive, &engine.tag())) {
            Some(Ok(cache)) => reading.cache = Some(cache),
            Some(Err(e)) if scope.cache_dir.is_some() => {
                crate::say!("错误：{e}");
                return Err(ExitCode::from(2));
            }
            Some(Err(e)) => crate::say!("注意：{e}；本次不使用 OCR 缓存"),
            None => crate::say!(
                "注意：找不到用户缓存目录，本次不使用 OCR 缓存（可用 --cache-dir 指定）"
            ),
        }
    }
    reading.ocr = Some(engine);
    Ok(reading)
}

/// `dangan text FILE`: what the content rules would read in one file.
fn run_text(args: &TextArgs) -> ExitCode {
    let config = match load_rules(&args.rules) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let settings = &config.schema.content;
    let mut reading = crate::content::Reading {
        min_layer_chars: settings.min_chars,
        ..Default::default()
    };
    if args.ocr || settings.ocr {
        match crate::content::ocr::Engine::find(&settings.language) {
            Ok(e) => reading.ocr = Some(e),
            Err(e) => {
                crate::say!("错误：{e}");
                return ExitCode::from(2);
            }
        }
    }
    let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    let inspection = crate::inspect::inspect(&args.file, size);
    if let Some(p) = inspection.problem() {
        crate::say!("错误：{}：{p}", args.file.display());
        return ExitCode::from(2);
    }
    let text = match crate::content::extract(&args.file, size, &inspection, &reading) {
        crate::content::Extracted::Text(t) => t,
        crate::content::Extracted::NeedsOcr => {
            out("这是扫描件，没有文字层：加 --ocr 用 OCR 识别。\n");
            return ExitCode::from(1);
        }
        crate::content::Extracted::NoText => {
            out(&format!("{} 格式不读取文字。\n", inspection.format.name()));
            return ExitCode::from(1);
        }
        crate::content::Extracted::Failed(why) => {
            crate::say!("错误：{}：{why}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let lens = crate::content::facts::Lens::new(Vec::new(), settings.clone());
    let facts = lens.read(&text, "");
    let mut head = format!("来源：{}", text.source.name());
    if let Some(c) = text.confidence {
        head.push_str(&format!("（平均置信度 {c:.0}%）"));
    }
    head.push_str(&format!("；汉字 {} 个", facts.chars));
    if !facts.readable {
        head.push_str("；无法可靠识别，内容规则不检查");
    }
    let written = facts
        .written
        .as_ref()
        .map_or("未找到".to_string(), |w| format!("{}（{}）", w.1, w.0));
    let signers = if facts.signers.is_empty() {
        "未找到".to_string()
    } else {
        facts.signers.join("、")
    };
    out(&format!(
        "{head}\n落款日期：{written}\n署名：{signers}\n\n{}",
        text.text
    ));
    ExitCode::SUCCESS
}

/// Load the rules and waivers, audit, apply the waivers: what `audit` and `baseline` share.
/// `people`: whether the committee's statistics (`--report-dir`) will be written.
/// `dated`: whether each dossier's documents get the ledger dates they record (`catalog`).
fn audited(
    scope: &ScopeArgs,
    people: bool,
    dated: bool,
) -> Result<(Config, AuditResult), ExitCode> {
    let config = load_rules(&scope.rules)?;
    let waivers = match &scope.waivers {
        Some(path) => match Waivers::load(path, &config) {
            Ok(w) => Some(w),
            Err(e) => {
                crate::say!("{:?}", miette::Report::new(e));
                return Err(ExitCode::from(2));
            }
        },
        None => None,
    };
    let options = crate::audit::Options {
        as_of: scope.as_of.unwrap_or_else(today),
        since: scope.since,
        progress: std::env::var_os("CI").is_none(),
        shard: scope.shard,
        people,
        io_threads: usize::from(scope.io_threads),
        dated,
        reading: text_reading(scope, &config)?,
        results: results_cache(scope)?,
    };
    let mut result = audit(&config, &scope.archive, options).map_err(|e| {
        crate::say!("错误：{e}");
        ExitCode::from(2)
    })?;
    if let Some(w) = &waivers {
        triage::apply_waivers(&mut result, w, &config);
    }
    if let Some(data) = result.shard.as_mut() {
        let hash = |p: &Path| {
            crate::input::read(p, crate::input::MAX_YAML)
                .map(|b| format!("{:032x}", xxhash_rust::xxh3::xxh3_128(&b)))
                .unwrap_or_default()
        };
        data.run = Some(crate::shard::RunIdentity {
            archive: archive_identity(&scope.archive),
            rules: config.fingerprint.clone(),
            since: scope.since,
            waivers: scope.waivers.as_deref().map(hash),
        });
    }
    Ok((config, result))
}

fn refuse_inside(out: &Path, archive: &Path) -> Result<(), ExitCode> {
    if inside(out, archive) {
        crate::say!(
            "错误：{} 位于被审核的档案文件夹内；dangan 不向档案写入任何内容",
            out.display()
        );
        return Err(ExitCode::from(2));
    }
    Ok(())
}

/// `dangan catalog`: the audit, then each branch's catalogs and transfer list. Exit 0 when
/// written (the defects are in the transfer list, not in the exit code), 2 when not.
fn run_catalog(args: CatalogArgs) -> ExitCode {
    if let Err(code) = refuse_inside(&args.output, &args.scope.archive) {
        return code;
    }
    let (config, result) = match audited(&args.scope, false, true) {
        Ok(r) => r,
        Err(code) => return code,
    };
    match crate::report::handover::write(&args.output, &config, &result, args.per_dossier) {
        Ok(files) => {
            crate::say!(
                "已写出 {} 份档案的卷内目录和移交清单（{} 个文件）到 {}",
                result.dossiers.len(),
                files.len(),
                args.output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::say!("错误：无法写出卷内目录到 {}：{e}", args.output.display());
            ExitCode::from(2)
        }
    }
}

fn run_baseline(scope: ScopeArgs, output: &Path) -> ExitCode {
    if let Err(code) = refuse_inside(output, &scope.archive) {
        return code;
    }
    let (_, result) = match audited(&scope, false, false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let baseline = triage::Baseline::of(&result);
    let text = serde_json::to_string_pretty(&baseline).unwrap_or_default() + "\n";
    match write_atomic(output, text.as_bytes()) {
        Ok(()) => {
            crate::say!(
                "已记录 {} 个问题为基线：{}",
                baseline.entries.len(),
                output.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            crate::say!("错误：无法写出基线文件 {}：{e}", output.display());
            ExitCode::from(2)
        }
    }
}

fn run_audit(args: AuditArgs) -> ExitCode {
    let archive = &args.scope.archive;
    if let Err(code) = refuse_outputs_inside(&args.out, archive) {
        return code;
    }
    if args.scope.shard.is_some()
        && (args.out.format != Format::Json || args.out.report_dir.is_some())
    {
        crate::say!(
            "错误：--shard 的结果要由 dangan merge 合并：请使用 --format json，并把 --report-dir 交给 merge"
        );
        return ExitCode::from(2);
    }
    let baseline = match load_baseline(&args.out) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let (config, result) = match audited(&args.scope, args.out.report_dir.is_some(), false) {
        Ok(r) => r,
        Err(code) => return code,
    };
    report_result(&config, result, baseline.as_ref(), &args.out, archive)
}

fn run_merge(args: MergeArgs) -> ExitCode {
    if let Some(archive) = &args.archive
        && let Err(code) = refuse_outputs_inside(&args.out, archive)
    {
        return code;
    }
    let archive = args.archive.as_deref().unwrap_or(Path::new("."));
    let config = match load_rules(&args.rules) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let baseline = match load_baseline(&args.out) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let mut shards = Vec::new();
    for path in &args.shards {
        let read = crate::input::read(path, crate::input::MAX_SHARD)
            .map_err(|e| e.to_string())
            .and_then(|b| {
                serde_json::from_slice::<crate::shard::ShardReport>(&b).map_err(|e| e.to_string())
            });
        match read {
            Ok(r) => shards.push(r),
            Err(e) => {
                crate::say!("错误：无法读取分片报告 {}：{e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let mut result = match crate::shard::merge(&config, shards) {
        Ok(r) => r,
        Err(e) => {
            crate::say!("错误：{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &args.waivers {
        match Waivers::load(path, &config) {
            Ok(w) => triage::apply_waivers(&mut result, &w, &config),
            Err(e) => {
                crate::say!("{:?}", miette::Report::new(e));
                return ExitCode::from(2);
            }
        }
    }
    report_result(&config, result, baseline.as_ref(), &args.out, archive)
}

fn load_baseline(out: &OutputArgs) -> Result<Option<triage::Baseline>, ExitCode> {
    match &out.baseline {
        Some(path) => triage::Baseline::load(path).map(Some).map_err(|e| {
            crate::say!("错误：{e}");
            ExitCode::from(2)
        }),
        None => Ok(None),
    }
}

/// Baseline, report directory, the report itself, the exit code: what `audit` and `merge`
/// share once they have a result.
fn report_result(
    config: &Config,
    mut result: AuditResult,
    baseline: Option<&triage::Baseline>,
    args: &OutputArgs,
    archive: &Path,
) -> ExitCode {
    if let Some(b) = baseline {
        triage::apply_baseline(&mut result, b);
    }
    // A report folder that cannot be written does not cost the main report: it is still
    // written, and the run then ends with 2.
    let mut dir_failed = false;
    if let Some(dir) = &args.report_dir {
        let privacy = report::dir::Privacy {
            show_id_numbers: args.show_id_numbers,
        };
        match report::dir::write(dir, config, &result, privacy) {
            Ok(files) => crate::say!("已写出 {} 个报告文件到 {}", files.len(), dir.display()),
            Err(e) => {
                crate::say!("错误：无法写出报告到 {}：{e}", dir.display());
                dir_failed = true;
            }
        }
    }
    let color = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    // The report is written as it is produced (the JSON of a large archive is large).
    let produce = |w: &mut dyn Write| -> std::io::Result<()> {
        match args.format {
            Format::Json => report::json::write(&result, w),
            Format::Human => {
                w.write_all(report::human::render(&result, color).as_bytes())?;
                if args.list {
                    w.write_all(report::human::document_list(&result, config).as_bytes())?;
                }
                Ok(())
            }
            Format::Sarif => {
                w.write_all(report::sarif::render(&result, config, archive).as_bytes())
            }
            Format::Junit => w.write_all(report::junit::render(&result).as_bytes()),
            Format::Github => w.write_all(report::github::render(&result, archive).as_bytes()),
        }
    };
    let written = match &args.output {
        Some(path) => write_atomic_with(path, produce),
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            produce(&mut out).and_then(|()| out.flush())
        }
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        crate::say!("错误：无法写出报告：{e}");
        return ExitCode::from(2);
    }
    if dir_failed {
        return ExitCode::from(2);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Never => None,
    };
    match threshold {
        Some(s) if result.summary.findings.at_least(s) > 0 => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    }
}

/// Whether `path` would land inside `dir`: both compared on canonical forms, the path's by its
/// nearest folder that exists (a report folder not yet created inside the archive is still
/// inside it).
fn inside(path: &Path, dir: &Path) -> bool {
    let Ok(dir) = dir.canonicalize() else {
        return false;
    };
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(path),
            Err(_) => return false,
        }
    };
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    let mut at = abs.as_path();
    loop {
        if let Ok(real) = at.canonicalize() {
            let mut full = real;
            for part in rest.iter().rev() {
                if part == ".." {
                    full.pop();
                } else if part != "." {
                    full.push(part);
                }
            }
            return full.starts_with(&dir);
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return false,
        }
    }
}

/// Refuse reports (`-o`, `--report-dir`) that would be written inside the archive.
fn refuse_outputs_inside(out: &OutputArgs, archive: &Path) -> Result<(), ExitCode> {
    for path in [out.output.as_deref(), out.report_dir.as_deref()]
        .into_iter()
        .flatten()
    {
        refuse_inside(path, archive)?;
    }
    Ok(())
}

fn run_survey(args: SurveyArgs) -> ExitCode {
    let config = match load_rules(&args.rules) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let as_of = args.as_of.unwrap_or_else(today);
    let survey = match crate::survey::survey(&config, &args.archive, as_of) {
        Ok(s) => s,
        Err(e) => {
            crate::say!("无法读取档案文件夹 {}：{e}", args.archive.display());
            return ExitCode::from(2);
        }
    };
    let text = match args.format {
        SurveyFormat::Human => crate::survey::human(&survey, &config),
        SurveyFormat::Json => match serde_json::to_string_pretty(&survey) {
            Ok(s) => s + "\n",
            Err(e) => {
                crate::say!("{e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            crate::say!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Text to standard output; a closed pipe (`dangan rules | head -1`) ends it quietly.
fn out(text: &str) {
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
