//! The progress bar and, with `DANGAN_TIMINGS`, each phase's wall time and memory.

/// A progress bar on stderr for long runs; a no-op unless asked for and stderr is a terminal.
/// With `DANGAN_TIMINGS` set in the environment, each phase's wall time goes to stderr (for
/// profiling and the benchmark).
pub(super) struct Progress {
    pub(super) bar: Option<indicatif::ProgressBar>,
    pub(super) timings: Option<std::sync::Mutex<(&'static str, std::time::Instant)>>,
    /// With the timings, the highest resident set seen since the last lap (sampled every few
    /// milliseconds: the process's peak alone cannot say which phase reached it).
    sampled: Option<std::sync::Arc<Sampler>>,
}

/// The resident set, sampled by a thread of its own while the timings are on.
#[derive(Default)]
struct Sampler {
    /// The highest resident set since the last lap, in pages.
    highest: std::sync::atomic::AtomicU64,
    done: std::sync::atomic::AtomicBool,
}

impl Sampler {
    fn start() -> Option<std::sync::Arc<Sampler>> {
        use std::sync::atomic::Ordering::Relaxed;
        let sampler = std::sync::Arc::new(Sampler::default());
        let here = std::sync::Arc::clone(&sampler);
        std::thread::Builder::new()
            .name("dangan-rss".into())
            .spawn(move || {
                while !here.done.load(Relaxed) {
                    here.highest.fetch_max(resident_pages(), Relaxed);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            })
            .ok()?;
        Some(sampler)
    }

    /// The highest resident set since the last call, in MB, and a new start.
    fn lap(&self) -> f64 {
        let pages = self
            .highest
            .swap(resident_pages(), std::sync::atomic::Ordering::Relaxed);
        pages as f64 * 4096.0 / (1024.0 * 1024.0)
    }
}

/// The resident set in pages of 4 KiB (Linux; 0 elsewhere).
fn resident_pages() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

impl Progress {
    pub(super) fn new(on: bool) -> Self {
        use std::io::IsTerminal;
        let timings = std::env::var_os("DANGAN_TIMINGS")
            .map(|_| std::sync::Mutex::new(("开始", std::time::Instant::now())));
        let sampled = timings.as_ref().and_then(|_| Sampler::start());
        if !on || !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                timings,
                sampled,
            };
        }
        let pb = indicatif::ProgressBar::new_spinner();
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        Progress {
            bar: Some(pb),
            timings,
            sampled,
        }
    }

    pub(super) fn lap(&self, next: &'static str) {
        if let Some(t) = &self.timings
            && let Ok(mut t) = t.lock()
        {
            let (rss, peak) = resident_mb();
            let phase = self.sampled.as_ref().map_or(0.0, |s| s.lap());
            crate::say!(
                "timing: {:<12} {:>9.1} ms  RSS {rss:>6.1} MB (peak {peak:>6.1} MB; in the phase {phase:>6.1} MB)",
                t.0,
                t.1.elapsed().as_secs_f64() * 1000.0,
            );
            *t = (next, std::time::Instant::now());
        }
    }

    pub(super) fn phase(&self, message: &'static str, total: Option<u64>) {
        self.lap(message);
        if let Some(pb) = &self.bar {
            let style = match total {
                Some(n) => {
                    pb.set_length(n);
                    pb.set_position(0);
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {msg} [{bar:30}] {human_pos}/{human_len} 剩余 {eta}",
                    )
                }
                None => indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}"),
            };
            if let Ok(style) = style {
                pb.set_style(style.progress_chars("=> "));
            }
            pb.set_message(message);
        }
    }

    /// A line of the timings (nothing without `DANGAN_TIMINGS`).
    pub(super) fn note(&self, line: impl FnOnce() -> String) {
        if self.timings.is_some() {
            crate::say!("timing: {}", line());
        }
    }

    pub(super) fn tick(&self) {
        if let Some(pb) = &self.bar {
            pb.inc(1);
        }
    }
}

/// The process's resident set and its peak so far, in MB (Linux; 0 elsewhere), for the
/// phase timings.
pub(super) fn resident_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.lap("");
        if let Some(s) = &self.sampled {
            s.done.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        if let Some(pb) = &self.bar {
            pb.finish_and_clear();
        }
    }
}
