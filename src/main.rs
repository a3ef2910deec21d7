fn main() -> std::process::ExitCode {
    fix_malloc_threshold();
    dangan::cli::run()
}

/// glibc raises its mmap threshold each time it frees a large block, up to 32 MiB; from then
/// on mid-sized buffers (file tails, growing lists) come from the heap arenas and stay resident
/// after use, one arena per reader thread. dangan keeps millions of small long-lived values
/// beside such transients, so the sliding threshold costs it: 308 MB peak at 100,000
/// dossiers with 8 readers against 269 MB with the threshold held at glibc's own default
/// (128 KiB), at no cost in time (bench/README.md). Elsewhere nothing is changed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fix_malloc_threshold() {
    // From glibc's <malloc.h>.
    const M_MMAP_THRESHOLD: std::ffi::c_int = -3;
    unsafe extern "C" {
        fn mallopt(param: std::ffi::c_int, value: std::ffi::c_int) -> std::ffi::c_int;
    }
    // SAFETY: mallopt only sets an allocator parameter; it is called once, before any other
    // thread exists. A refusal (return 0) leaves glibc's default behaviour, which is harmless.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_malloc_threshold() {}
