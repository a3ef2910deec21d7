fn main() -> std::process::ExitCode {
    tune_malloc();
    dangan::cli::run()
}

/// glibc raises its mmap threshold each time it frees a large block, up to 32 MiB; from then
/// on mid-sized buffers (file tails, growing lists) come from the heap arenas and stay resident
/// after use, one arena per reader thread. dangan keeps millions of small long-lived values
/// beside such transients, so the sliding threshold costs it: 308 MB peak at 100,000
/// dossiers with 8 readers against 269 MB with the threshold held at glibc's own default
/// (128 KiB), at no cost in time (bench/README.md). And glibc gives each thread that meets a
/// busy arena a new one, up to eight a core: the long-lived values end up spread over a dozen
/// arenas, each keeping its own free holes. Two arenas hold the peak at 100,000 dossiers to
/// 272 MB instead of 290 (532 instead of 569 at 200,000), in the same time; one arena would
/// save 20 MB more but makes the readers queue on it (+50% wall time). Elsewhere nothing is
/// changed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    // From glibc's <malloc.h>.
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    const M_ARENA_MAX: std::ffi::c_int = -8;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt only sets an allocator parameter; it is called once, before any other
    // thread exists. A refusal (return 0) leaves glibc's default behaviour, which is harmless.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        mallopt(M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}
