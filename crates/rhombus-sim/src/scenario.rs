//! Scenario: the knobs that decide which clips exist and how fast they move.

use std::time::Duration;

/// 2026-01-15T09:00:00Z in epoch milliseconds: the default instant of "elapsed zero".
pub const DEFAULT_BASE_EPOCH_MS: i64 = 1_768_467_600_000;

/// An inclusive range of durations a phase may take; each clip draws its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Shortest draw.
    pub min: Duration,
    /// Longest draw.
    pub max: Duration,
}

impl Span {
    /// A span between two whole-second bounds.
    pub const fn secs(min: u64, max: u64) -> Self {
        Self {
            min: Duration::from_secs(min),
            max: Duration::from_secs(max),
        }
    }

    /// A span between two millisecond bounds.
    pub const fn millis(min: u64, max: u64) -> Self {
        Self {
            min: Duration::from_millis(min),
            max: Duration::from_millis(max),
        }
    }

    /// The longest draw in milliseconds (capped like every scenario duration).
    pub(crate) fn max_ms(&self) -> u64 {
        capped_ms(self.max.max(self.min))
    }

    /// The shortest draw in milliseconds (capped).
    pub(crate) fn min_ms(&self) -> u64 {
        capped_ms(self.min)
    }
}

/// Which clips the simulator holds and how they move through
/// `INITIATING → UPLOADING → RENDERING → COMPLETE | FAILED` before disappearing.
///
/// The served state is a pure function of this scenario and the clock: the
/// same scenario at the same elapsed time always yields the same bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Seeds every random choice (ids, titles, devices, timings, failures).
    pub seed: u64,
    /// Epoch milliseconds that elapsed time zero corresponds to.
    pub base_epoch_ms: i64,
    /// How much of the timeline already ran before start, so that clips are in
    /// flight at elapsed zero.
    pub warmup: Duration,
    /// Gap between one new clip and the next (each draws extra jitter of up to
    /// half). About `lifetime / spawn_every` clips are listed at once; at most
    /// the newest 100 000 are considered.
    pub spawn_every: Duration,
    /// Stop creating clips after this many (`None`: a clip every `spawn_every`, forever).
    pub max_clips: Option<u64>,
    /// Time spent `INITIATING`.
    pub initiating: Span,
    /// Time spent `UPLOADING` (segments rise across it).
    pub uploading: Span,
    /// Time spent `RENDERING`.
    pub rendering: Span,
    /// How long a `COMPLETE` or `FAILED` clip stays listed.
    pub linger: Span,
    /// Probability in `[0, 1]` that a clip ends `FAILED` (during upload or render).
    pub failure_rate: f64,
    /// Probability in `[0, 1]` that a clip carries a value the spec's enums lack.
    pub oddity_rate: f64,
}

impl Default for Scenario {
    /// A steady office: a new clip every 20 s, each done in 2–6 minutes, about a
    /// dozen listed at any time, one in eight failing.
    fn default() -> Self {
        Self {
            seed: 0x0C11_95ED,
            base_epoch_ms: DEFAULT_BASE_EPOCH_MS,
            warmup: Duration::from_secs(600),
            spawn_every: Duration::from_secs(20),
            max_clips: None,
            initiating: Span::secs(2, 20),
            uploading: Span::secs(60, 240),
            rendering: Span::secs(10, 60),
            linger: Span::secs(60, 180),
            failure_rate: 0.125,
            oddity_rate: 0.1,
        }
    }
}

impl Scenario {
    /// The demo: five clips appear within the first three seconds and all reach
    /// `COMPLETE` or `FAILED` (at least one of each) within ~22 s of real time,
    /// then vanish 5 s later; no more clips come. Pair it with
    /// [`ClockMode::Real`](crate::ClockMode::Real).
    pub fn demo() -> Self {
        Self {
            seed: DEMO_SEED,
            warmup: Duration::from_millis(700),
            spawn_every: Duration::from_millis(700),
            max_clips: Some(5),
            initiating: Span::millis(1000, 2000),
            uploading: Span::secs(6, 12),
            rendering: Span::secs(2, 4),
            linger: Span::secs(5, 5),
            failure_rate: 0.3,
            ..Self::default()
        }
    }

    /// Names accepted by [`Scenario::preset`].
    pub const PRESETS: [&'static str; 3] = ["default", "demo", "busy"];

    /// A preset by name: `default` ([`Scenario::default`]), `demo`
    /// ([`Scenario::demo`]) or `busy` ([`Scenario::busy`]); `None` for others.
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "default" => Some(Self::default()),
            "demo" => Some(Self::demo()),
            "busy" => Some(Self::busy()),
            _ => None,
        }
    }

    /// A busy site: a clip every 2 s, about 150 listed at once, a quarter
    /// failing and a quarter carrying unknown enum values (for load and watch).
    pub fn busy() -> Self {
        Self {
            spawn_every: Duration::from_secs(2),
            failure_rate: 0.25,
            oddity_rate: 0.25,
            ..Self::default()
        }
    }

    /// The same scenario with another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The same scenario with elapsed zero at the current wall-clock time, so
    /// epoch values read as "now" (the demo wants this; tests want a fixed base).
    pub fn starting_now(mut self) -> Self {
        self.base_epoch_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(DEFAULT_BASE_EPOCH_MS, |d| d.as_millis() as i64);
        self
    }

    /// The longest a clip can stay listed, from creation to disappearance.
    pub(crate) fn max_lifetime_ms(&self) -> u64 {
        [self.initiating, self.uploading, self.rendering, self.linger]
            .iter()
            .map(Span::max_ms)
            .fold(0, u64::saturating_add)
    }
}

/// A seed for [`Scenario::demo`] whose five clips include both outcomes.
const DEMO_SEED: u64 = 2026;

/// Whole milliseconds of a duration, saturating.
pub(crate) fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Ten years: scenario durations are capped here so their sums never overflow.
const MAX_SCENARIO_MS: u64 = 10 * 365 * 86_400_000;

/// Milliseconds of a scenario duration, capped at ten years.
pub(crate) fn capped_ms(d: Duration) -> u64 {
    ms(d).min(MAX_SCENARIO_MS)
}
