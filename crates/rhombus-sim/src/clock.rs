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
    /// Like [`ClockMode::Real`], this many times faster: a clip that takes
    /// minutes of simulated time takes seconds (0 counts as 1).
    Fast(u32),
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
            ClockMode::Fast(factor) => {
                let run = self.started.elapsed();
                offset.saturating_add(run.checked_mul(factor.max(1)).unwrap_or(Duration::MAX))
            }
        }
    }

    /// The real time a span of simulated time takes (for `Retry-After`).
    pub(crate) fn to_real(&self, simulated: Duration) -> Duration {
        match self.mode {
            ClockMode::Fast(factor) => simulated / factor.max(1),
            ClockMode::Manual | ClockMode::Real => simulated,
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

    #[test]
    fn a_fast_clock_scales_real_time_and_waits_back() {
        let clock = Clock::new(ClockMode::Fast(60));
        assert_eq!(
            clock.to_real(Duration::from_secs(120)),
            Duration::from_secs(2)
        );
        std::thread::sleep(Duration::from_millis(20));
        // 20 ms of real time is at least 1.2 s of simulated time.
        assert!(clock.elapsed() >= Duration::from_millis(1_200));
        assert_eq!(
            Clock::new(ClockMode::Fast(0)).to_real(Duration::from_secs(3)),
            Duration::from_secs(3)
        );
        assert_eq!(
            Clock::new(ClockMode::Manual).to_real(Duration::from_secs(3)),
            Duration::from_secs(3)
        );
    }
}
