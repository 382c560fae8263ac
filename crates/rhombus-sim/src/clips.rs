//! Clip state over time: each clip's plan is drawn from (seed, index) and its
//! state at any instant is computed, never stored, so the served list is a pure function of
//! (scenario, elapsed time).

use crate::plan::{Plan, SYNTHETIC_BASE, epoch};
use crate::rng::Rng;
use crate::scenario::{Scenario, capped_ms};
use crate::wire::{Clip, Envelope, Progress};
use std::time::Duration;

/// At most this many of the newest clip indices are considered per instant,
/// so an extreme scenario (tiny `spawn_every`, huge spans) stays cheap.
const MAX_SCANNED: u64 = 100_000;

const CONSUMERS: &[&str] = &["THUMBNAIL", "SEARCH_INDEX", "SHARED_STORAGE"];
/// A status the spec's enum lacks, shown instead of `INITIATING` by odd clips.
const ODD_STATUS: &str = "QUEUED";

/// Where a clip is in its life at some instant.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Initiating,
    Uploading(f64),
    Rendering,
    Complete,
    Failed,
}

impl Plan {
    /// End of the clip's active life (offset from creation).
    fn ends(&self) -> u64 {
        self.fails_at
            .unwrap_or(self.initiating + self.uploading + self.rendering)
    }

    /// The working phase at offset `at` from creation, ignoring the end, plus
    /// the offset at which that phase began.
    fn live_phase(&self, at: u64) -> (Phase, u64) {
        let (up, render) = (self.initiating, self.initiating + self.uploading);
        if at < up {
            (Phase::Initiating, 0)
        } else if at < render {
            let frac = (at - up) as f64 / self.uploading.max(1) as f64;
            (Phase::Uploading(frac), up)
        } else {
            (Phase::Rendering, render)
        }
    }

    /// The phase at offset `at` from creation, plus the offset it began at.
    fn phase(&self, at: u64) -> (Phase, u64) {
        match self.fails_at {
            Some(f) if at >= f => (Phase::Failed, f),
            _ if at >= self.ends() => (Phase::Complete, self.ends()),
            _ => self.live_phase(at),
        }
    }

    /// The clip as served at timeline instant `now`, or `None` if not listed.
    fn at(&self, scenario: &Scenario, now: u64) -> Option<Clip> {
        let gone = self
            .created
            .saturating_add(self.ends())
            .saturating_add(self.linger);
        if now < self.created || now >= gone {
            return None;
        }
        let at = now - self.created;
        let (phase, since) = self.phase(at);
        // Progress freezes where the clip ended (complete: all uploaded).
        let (progress, _) = self.live_phase(at.min(self.ends().saturating_sub(1)));
        let mut clip = self.base.clone();
        clip.status = match phase {
            Phase::Initiating if self.odd => ODD_STATUS,
            Phase::Initiating => "INITIATING",
            Phase::Uploading(_) => "UPLOADING",
            Phase::Rendering => "RENDERING",
            Phase::Complete => "COMPLETE",
            Phase::Failed => "FAILED",
        };
        clip.status_updated_at_ms = epoch(scenario, self.created + since);
        for device in &self.devices {
            let uploaded = match progress {
                Phase::Initiating => 0,
                Phase::Uploading(frac) => {
                    (f64::from(device.total) * (frac * device.speed).min(1.0)) as u32
                }
                _ => device.total,
            };
            let entry = Progress {
                region: device.region,
                segments_uploaded: uploaded,
                total_segments: device.total,
            };
            clip.segments_uploaded += uploaded;
            clip.completed_sub_clip_count += u32::from(uploaded == device.total);
            clip.device_map.insert(device.facet.clone(), entry.clone());
            clip.device_uuid_map.insert(device.facet.clone(), entry);
        }
        clip.pending_consumers = match phase {
            Phase::Complete | Phase::Failed => Vec::new(),
            Phase::Rendering => CONSUMERS[..1].to_vec(),
            _ => CONSUMERS[..2].to_vec(),
        };
        Some(clip)
    }
}

/// When clip `index` is created on the timeline.
fn created_at(scenario: &Scenario, index: u64) -> u64 {
    let every = capped_ms(scenario.spawn_every).max(1);
    let jitter = Rng::keyed(scenario.seed, &[index, 1]).range(0, every / 2);
    index.saturating_mul(every).saturating_add(jitter)
}

/// The clips listed at `elapsed_ms` after start, oldest first.
pub(crate) fn clips_at(scenario: &Scenario, elapsed_ms: u64) -> Vec<Clip> {
    let now = capped_ms(scenario.warmup).saturating_add(elapsed_ms);
    let every = capped_ms(scenario.spawn_every).max(1);
    let oldest = now.saturating_sub(scenario.max_lifetime_ms().saturating_add(every)) / every;
    let first = oldest.max((now / every).saturating_sub(MAX_SCANNED));
    let last = (now / every).min(scenario.max_clips.map_or(u64::MAX, |n| n.saturating_sub(1)));
    if scenario.max_clips == Some(0) {
        return Vec::new();
    }
    (first..=last)
        .filter_map(|i| Plan::draw(scenario, i, created_at(scenario, i)).at(scenario, now))
        .collect()
}

impl Scenario {
    /// The clip state at simulated time `elapsed`: the envelope of a
    /// fault-free success as a JSON value, in the live shape. It is the state
    /// [`shaped`](crate::shaped) writes in a shape.
    pub fn state_at(&self, elapsed: Duration) -> serde_json::Value {
        let list = clips_at(self, crate::scenario::ms(elapsed));
        serde_json::to_value(Envelope {
            error: false,
            error_msg: None,
            spliced_clips: &list,
            warning_msg: None,
        })
        .unwrap_or_default()
    }
}

/// `count` extra clips, all in flight at `elapsed_ms` (for the big-list fault).
pub(crate) fn synthetic_clips(scenario: &Scenario, elapsed_ms: u64, count: usize) -> Vec<Clip> {
    let now = capped_ms(scenario.warmup).saturating_add(elapsed_ms);
    (0..count as u64)
        .filter_map(|k| {
            let index = SYNTHETIC_BASE + k;
            let age = Rng::keyed(scenario.seed, &[index, 2]).range(0, scenario.uploading.min_ms());
            let mut plan = Plan::draw(scenario, index, now.saturating_sub(age));
            plan.fails_at = None;
            plan.at(scenario, now)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Span;

    #[test]
    fn extreme_scenarios_neither_panic_nor_hang() {
        let huge = Span {
            min: Duration::MAX,
            max: Duration::MAX,
        };
        let zero = Span::secs(0, 0);
        let scenarios = [
            Scenario {
                spawn_every: Duration::ZERO,
                max_clips: Some(3),
                initiating: huge,
                linger: huge,
                ..Scenario::default()
            },
            Scenario {
                warmup: Duration::MAX,
                initiating: zero,
                uploading: zero,
                rendering: zero,
                linger: zero,
                failure_rate: f64::NAN,
                ..Scenario::default()
            },
            Scenario {
                max_clips: Some(0),
                base_epoch_ms: i64::MAX,
                ..Scenario::default()
            },
            Scenario {
                spawn_every: Duration::from_secs(u64::MAX),
                ..Scenario::default()
            },
        ];
        for scenario in &scenarios {
            for elapsed in [0, 1, 86_400_000, u64::MAX] {
                let listed = clips_at(scenario, elapsed);
                assert!(listed.len() <= 100_000);
                let _ = synthetic_clips(scenario, elapsed, 2);
            }
        }
        assert!(clips_at(&scenarios[2], 0).is_empty());
    }

    #[test]
    fn segments_never_exceed_totals_and_complete_means_all_uploaded() {
        let scenario = Scenario::default();
        for step in 0..200 {
            for clip in clips_at(&scenario, step * 7_000) {
                for progress in clip.device_map.values() {
                    assert!(progress.segments_uploaded <= progress.total_segments);
                    if clip.status == "COMPLETE" || clip.status == "RENDERING" {
                        assert_eq!(progress.segments_uploaded, progress.total_segments);
                    }
                    if clip.status == "INITIATING" || clip.status == "QUEUED" {
                        assert_eq!(progress.segments_uploaded, 0);
                    }
                }
                assert!(clip.status_updated_at_ms >= clip.timestamp_ms);
            }
        }
    }
}
