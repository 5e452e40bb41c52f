//! Stage timings for profiling: printed to stderr when `ANNEXA_TIMINGS` is set.

use std::time::Instant;

/// Marks the end of pipeline stages and prints how long each took.
pub struct Stages {
    last: Instant,
    enabled: bool,
}

impl Stages {
    /// Starts timing (a no-op unless `ANNEXA_TIMINGS` is set).
    pub fn start() -> Self {
        Stages {
            last: Instant::now(),
            enabled: std::env::var_os("ANNEXA_TIMINGS").is_some(),
        }
    }

    /// Prints `note` among the timings (what a stage found, such as what it took from a cache).
    pub fn note(&self, note: &str) {
        if self.enabled {
            eprintln!("timing: {note}");
        }
    }

    /// Ends the stage called `name`.
    pub fn mark(&mut self, name: &str) {
        if self.enabled {
            let now = Instant::now();
            eprintln!(
                "timing: {name:<22} {:>7.1} ms  peak {:>4} MB",
                (now - self.last).as_secs_f64() * 1000.0,
                peak_memory_kb() / 1024
            );
            self.last = now;
        }
    }
}

/// The process's peak resident memory so far, in KB.
fn peak_memory_kb() -> i64 {
    // SAFETY: `getrusage` fills the zeroed struct it is given and reads nothing else.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0;
    }
    usage.ru_maxrss
}
