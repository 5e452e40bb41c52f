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

    /// Ends the stage called `name`.
    pub fn mark(&mut self, name: &str) {
        if self.enabled {
            let now = Instant::now();
            eprintln!(
                "timing: {name:<22} {:>7.1} ms",
                (now - self.last).as_secs_f64() * 1000.0
            );
            self.last = now;
        }
    }
}
