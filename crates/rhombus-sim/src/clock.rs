//! The simulator's clock: how much simulated time has passed since start.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How simulated time moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockMode {
    /// Time stands still until [`SimHandle::advance`](crate::SimHandle::advance)
    /// moves it: the mode for deterministic tests.
    #[default]
    Manual,
    /// Time follows the real monotonic clock from the moment the server starts
    /// (and `advance` still adds on top): the mode for demos and soak tests.
    Real,
}

/// Elapsed simulated time, shared by the server and the handle.
#[derive(Debug)]
pub(crate) struct Clock {
    mode: ClockMode,
    started: Instant,
    offset: Mutex<Duration>,
}

impl Clock {
    /// A clock at zero elapsed time.
    pub(crate) fn new(mode: ClockMode) -> Self {
        Self {
            mode,
            started: Instant::now(),
            offset: Mutex::new(Duration::ZERO),
        }
    }

    /// Simulated time since start.
    pub(crate) fn elapsed(&self) -> Duration {
        let offset = *self.offset.lock().unwrap_or_else(|e| e.into_inner());
        match self.mode {
            ClockMode::Manual => offset,
            ClockMode::Real => offset.saturating_add(self.started.elapsed()),
        }
    }

    /// Moves simulated time forward (saturating).
    pub(crate) fn advance(&self, by: Duration) {
        let mut offset = self.offset.lock().unwrap_or_else(|e| e.into_inner());
        *offset = offset.saturating_add(by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_advanced() {
        let clock = Clock::new(ClockMode::Manual);
        assert_eq!(clock.elapsed(), Duration::ZERO);
        clock.advance(Duration::from_secs(3));
        clock.advance(Duration::from_millis(250));
        assert_eq!(clock.elapsed(), Duration::from_millis(3250));
    }

    #[test]
    fn real_clock_includes_advances() {
        let clock = Clock::new(ClockMode::Real);
        clock.advance(Duration::from_secs(60));
        assert!(clock.elapsed() >= Duration::from_secs(60));
        clock.advance(Duration::MAX);
        assert_eq!(clock.elapsed(), Duration::MAX);
    }
}
