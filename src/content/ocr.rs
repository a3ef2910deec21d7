//! OCR with Tesseract, the standard open engine (Debian: tesseract-ocr, tesseract-ocr-chi-sim),
//! run as a program: found at run time, one process a page image, its TSV output read for the
//! words and their confidence. The program, not a binding: nothing to link or build, the
//! Debian package is all a machine needs, and a page takes about a second of the engine's own
//! time against a few milliseconds to start it (measured in bench/run.sh's OCR pass).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A page that takes longer is given up (a hostile or enormous image).
const PAGE_TIMEOUT: Duration = Duration::from_secs(180);

/// The engine, found and checked.
#[derive(Debug, Clone)]
pub struct Engine {
    program: PathBuf,
    /// `tesseract 5.3.0`
    pub version: String,
    pub language: String,
}

/// Where a program named without a folder is found on the PATH.
fn locate(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return program.is_file().then(|| program.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// Why Tesseract could not be used, or failed on a file: one line, for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OcrError(String);

impl From<String> for OcrError {
    fn from(why: String) -> OcrError {
        OcrError(why)
    }
}

/// A file whose OCR failed could not be read.
impl From<OcrError> for crate::inspect::Broken {
    fn from(e: OcrError) -> crate::inspect::Broken {
        e.0.into()
    }
}

/// What OCR read from one image.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ocr {
    pub text: String,
    /// Mean word confidence (0–100), weighted by characters; None without words.
    pub confidence: Option<f32>,
}

impl Engine {
    /// The program named by `DANGAN_TESSERACT`, else `tesseract` on the PATH, if it runs and
    /// has the language's model. The error is one line, for the user.
    pub fn find(language: &str) -> Result<Engine, OcrError> {
        Engine::find_remembered(language, None)
    }

    /// [`Engine::find`], remembering in `memo` (a folder of the cache) what the program said
    /// of itself: while the program and the language model are the files they were (size and
    /// modification time), a run asks nothing of it, and a run whose pages all come from the
    /// cache starts no process at all.
    pub fn find_remembered(language: &str, memo: Option<&Path>) -> Result<Engine, OcrError> {
        let program: PathBuf = std::env::var_os("DANGAN_TESSERACT")
            .map(PathBuf::from)
            .unwrap_or_else(|| "tesseract".into());
        let stamp = |p: &Path| {
            std::fs::metadata(p)
                .ok()
                .map(|m| format!("{} {}", m.len(), crate::cache::modified_ns(&m)))
        };
        let located = locate(&program);
        let memo_file = match (memo, &located) {
            (Some(dir), Some(path)) => {
                let key = format!(
                    "{}\0{}\0{language}",
                    path.display(),
                    stamp(path).unwrap_or_default()
                );
                Some(dir.join(format!(
                    "engine-{:016x}",
                    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
                )))
            }
            _ => None,
        };
        // The memo: version, then the model file and its stamp.
        if let Some(m) = &memo_file
            && let Ok(text) = std::fs::read_to_string(m)
            && let [version, model, model_stamp] = text.lines().collect::<Vec<_>>()[..]
            && stamp(Path::new(model)).as_deref() == Some(model_stamp)
        {
            return Ok(Engine {
                program,
                version: version.to_string(),
                language: language.to_string(),
            });
        }
        let version = Command::new(&program)
            .arg("--version")
            .output()
            .map_err(|_| {
                format!(
                    "未找到 OCR 引擎 Tesseract（{}）：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim，或用 DANGAN_TESSERACT 指定程序",
                    program.display()
                )
            })?;
        let text = String::from_utf8_lossy(&version.stdout).into_owned()
            + &String::from_utf8_lossy(&version.stderr);
        let version = text
            .lines()
            .next()
            .unwrap_or("tesseract")
            .trim()
            .to_string();
        let langs = Command::new(&program)
            .arg("--list-langs")
            .output()
            .map_err(|e| format!("Tesseract 无法运行：{e}"))?;
        let langs = String::from_utf8_lossy(&langs.stdout).into_owned();
        if !langs.lines().any(|l| l.trim() == language) {
            return Err(format!(
                "Tesseract 没有 {language} 语言模型：请安装 tesseract-ocr-chi-sim（或对应的 traineddata）"
            )
            .into());
        }
        // `List of available languages in "/usr/share/tesseract-ocr/5/tessdata/" (3):`
        let model = langs
            .lines()
            .next()
            .and_then(|l| l.split('"').nth(1))
            .map(|dir| Path::new(dir).join(format!("{language}.traineddata")));
        if let (Some(m), Some(model)) = (&memo_file, model)
            && let Some(st) = stamp(&model)
        {
            let _ = std::fs::write(m, format!("{version}\n{}\n{st}", model.display()));
        }
        Ok(Engine {
            program,
            version,
            language: language.to_string(),
        })
    }

    /// What the cache keys results by: the engine's version and language.
    pub fn tag(&self) -> String {
        format!("{} {}", self.version, self.language)
    }

    /// OCR of an image file (every page of a multi-page TIFF).
    pub fn file(&self, path: &Path) -> Result<Ocr, OcrError> {
        self.run(path.as_os_str(), None)
    }

    /// OCR of an image in memory (JPEG, TIFF, PNM), through the program's stdin.
    pub fn bytes(&self, image: &[u8]) -> Result<Ocr, OcrError> {
        self.run("stdin".as_ref(), Some(image))
    }

    /// OCR of a document's page images in one process: the language model is loaded once,
    /// not once a page (about 0.13 s a page saved here). The images go to a temporary folder
    /// (never the archive) named in a list the program reads. One result a page, in order.
    pub fn pages(&self, images: &[&[u8]]) -> Result<Vec<Ocr>, OcrError> {
        if let [one] = images {
            return Ok(vec![self.bytes(one)?]);
        }
        let dir = tempfile::tempdir().map_err(|e| format!("无法创建临时目录：{e}"))?;
        let mut list = String::new();
        for (i, image) in images.iter().enumerate() {
            let ext = match image {
                [0xFF, 0xD8, ..] => "jpg",
                [b'I', b'I', ..] | [b'M', b'M', ..] => "tif",
                _ => "pnm",
            };
            let path = dir.path().join(format!("page{i:04}.{ext}"));
            std::fs::write(&path, image).map_err(|e| format!("无法写入临时文件：{e}"))?;
            list.push_str(&path.to_string_lossy());
            list.push('\n');
        }
        let list_path = dir.path().join("pages.txt");
        std::fs::write(&list_path, list).map_err(|e| format!("无法写入临时文件：{e}"))?;
        let tsv = self.run_tsv(list_path.as_os_str(), None)?;
        let mut pages = parse_tsv_pages(&tsv);
        Ok((1..=images.len() as u32)
            .map(|n| pages.remove(&n).unwrap_or_default())
            .collect())
    }

    fn run(&self, input: &std::ffi::OsStr, stdin: Option<&[u8]>) -> Result<Ocr, OcrError> {
        self.run_tsv(input, stdin).map(|tsv| parse_tsv(&tsv))
    }

    /// The program's TSV for `input` (a path, a list of paths, or `stdin`).
    fn run_tsv(&self, input: &std::ffi::OsStr, stdin: Option<&[u8]>) -> Result<String, OcrError> {
        let mut child = Command::new(&self.program)
            .arg(input)
            .args(["stdout", "-l", &self.language, "tsv"])
            // One thread a process: the pages are spread over the cores by dangan.
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("Tesseract 无法启动：{e}"))?;
        let feeder = match (stdin, child.stdin.take()) {
            (Some(bytes), Some(mut pipe)) => {
                let bytes = bytes.to_vec();
                Some(std::thread::spawn(move || {
                    let _ = pipe.write_all(&bytes);
                }))
            }
            _ => None,
        };
        let mut out = String::new();
        let reader = child.stdout.take().map(|mut so| {
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = so.read_to_string(&mut s);
                s
            })
        });
        let start = Instant::now();
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if start.elapsed() > PAGE_TIMEOUT => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("OCR 超过 {} 秒未完成", PAGE_TIMEOUT.as_secs()).into());
                }
                Ok(None) => {
                    // A page takes about a second: look often at first, then less.
                    let waited = start.elapsed().as_millis() as u64;
                    std::thread::sleep(Duration::from_millis((waited / 50).clamp(1, 20)));
                }
                Err(e) => return Err(format!("Tesseract 运行失败：{e}").into()),
            }
        };
        if let Some(f) = feeder {
            let _ = f.join();
        }
        if let Some(r) = reader {
            out = r.join().unwrap_or_default();
        }
        if !status.success() {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            let why = err
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            return Err(format!("Tesseract 无法识别此图像：{why}").into());
        }
        Ok(out)
    }
}

/// Tesseract's TSV split by page (`page_num`, from 1): what was read on each.
pub fn parse_tsv_pages(tsv: &str) -> std::collections::BTreeMap<u32, Ocr> {
    let mut rows: std::collections::BTreeMap<u32, Vec<&str>> = std::collections::BTreeMap::new();
    for row in tsv.lines().skip(1) {
        if let Some(page) = row.split('\t').nth(1).and_then(|p| p.parse().ok()) {
            rows.entry(page).or_default().push(row);
        }
    }
    rows.into_iter()
        .map(|(page, rows)| (page, words(rows)))
        .collect()
}

/// Tesseract's TSV: a row per word (level 5) with its page, block, paragraph and line, its
/// confidence and text. Words of one line are joined with a space, lines with a line break.
pub fn parse_tsv(tsv: &str) -> Ocr {
    words(tsv.lines().skip(1))
}

/// The words of TSV rows (the header left out), as [`parse_tsv`] reads them.
fn words<'a>(rows: impl IntoIterator<Item = &'a str>) -> Ocr {
    let mut text = String::new();
    let mut line: Option<(&str, &str, &str, &str)> = None;
    let (mut weighted, mut chars) = (0f64, 0usize);
    for row in rows {
        let cols: Vec<&str> = row.split('\t').collect();
        let [level, page, block, par, ln, _, _, _, _, _, conf, word] = cols[..] else {
            continue;
        };
        let word = word.trim();
        if level != "5" || word.is_empty() {
            continue;
        }
        let here = (page, block, par, ln);
        match line {
            Some(l) if l == here => text.push(' '),
            Some(_) => text.push('\n'),
            None => {}
        }
        line = Some(here);
        text.push_str(word);
        if let Ok(c) = conf.trim().parse::<f64>()
            && c >= 0.0
        {
            let n = word.chars().count();
            weighted += c * n as f64;
            chars += n;
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    Ocr {
        text,
        confidence: (chars > 0).then(|| (weighted / chars as f64) as f32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_words_lines_and_confidence() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext
1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t
5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\t入党
5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t60\t申请书
5\t1\t1\t1\t2\t1\t0\t0\t10\t10\t80.5\t张三
5\t1\t1\t1\t2\t2\t0\t0\t10\t10\t95\t 
";
        let o = parse_tsv(tsv);
        assert_eq!(o.text, "入党 申请书\n张三\n");
        let c = o.confidence.unwrap();
        assert!(
            (c - (90.0 * 2.0 + 60.0 * 3.0 + 80.5 * 2.0) as f32 / 7.0).abs() < 0.01,
            "{c}"
        );
        assert_eq!(parse_tsv("level\n").confidence, None);
        let pages = parse_tsv_pages(&format!("{tsv}5\t2\t1\t1\t1\t1\t0\t0\t10\t10\t70\t李四\n"));
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[&1].text, "入党 申请书\n张三\n");
        assert_eq!(pages[&2].text, "李四\n");
        assert_eq!(pages[&2].confidence, Some(70.0));
    }
}
