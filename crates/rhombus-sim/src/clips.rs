//! Clip generation: each clip is drawn from (seed, index) and its state at any
//! instant is computed, never stored, so the served list is a pure function of
//! (scenario, elapsed time).

use crate::rng::Rng;
use crate::scenario::{Scenario, Span, capped_ms};
use crate::wire::{
    AccessSettings, AlteredView, AspectRatio, Clip, DewarpedView, Interval, Location, Progress,
    Rect,
};
use std::collections::BTreeMap;

/// At most this many of the newest clip indices are considered per instant,
/// so an extreme scenario (tiny `spawn_every`, huge spans) stays cheap.
const MAX_SCANNED: u64 = 100_000;

/// Clip indices at or above this are reserved for the big-list fault.
pub(crate) const SYNTHETIC_BASE: u64 = 1 << 40;

const TITLES: &[&str] = &[
    "Lobby entrance",
    "Loading dock \"B\" – forklift",
    "Café patio, west side",
    "Parking lot\tnorth row",
    "Server room \\ rack 4",
    "受付 (reception) 東京",
    "Motion near gate 🚧",
    "Stairwell 2F→3F",
    "Employee entrance",
    "Bäckerei Lager / storeroom",
];
const REGIONS: &[&str] = &["us-west-2", "us-east-2", "eu-central-1"];
const VISIBILITY: &[&str] = &["PRIVATE", "ROLE_RESTRICTED", "ORG_WIDE"];
const INTEGRATIONS: &[&str] = &["SLACK", "WEBHOOKS", "MICROSOFT_TEAMS", "ZAPIER", "GOOGLE"];
const CONSUMERS: &[&str] = &["THUMBNAIL", "SEARCH_INDEX", "SHARED_STORAGE"];
/// Values the spec's enums do not list (yet), for clients' open-enum handling.
const ODD_STATUS: &str = "QUEUED";
const ODD_VISIBILITY: &str = "LINK_SHARED";
const ODD_INTEGRATION: &str = "GENETEC";

/// Everything about a clip that does not depend on time.
#[derive(Debug, Clone)]
struct Plan {
    created: u64,
    initiating: u64,
    uploading: u64,
    rendering: u64,
    linger: u64,
    /// Offset from `created` at which the clip fails, if it does.
    fails_at: Option<u64>,
    odd: bool,
    devices: Vec<Device>,
    base: Clip,
}

#[derive(Debug, Clone)]
struct Device {
    facet: String,
    region: &'static str,
    total: u32,
    /// Upload speed relative to the clip's upload phase (≥ 1: finishes early).
    speed: f64,
}

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
    fn draw(scenario: &Scenario, index: u64, created: u64) -> Self {
        let seed = scenario.seed;
        let mut rng = Rng::keyed(seed, &[index]);
        let mut span = |s: Span| rng.range(s.min_ms(), s.max_ms());
        let (initiating, uploading, rendering, linger) = (
            span(scenario.initiating),
            span(scenario.uploading),
            span(scenario.rendering),
            span(scenario.linger),
        );
        let fails_at = rng.chance(scenario.failure_rate).then(|| {
            // Fail somewhere between 20% into the upload and the end of rendering.
            let lo = initiating + uploading / 5;
            rng.range(lo, (initiating + uploading + rendering).saturating_sub(1))
        });
        let odd = rng.chance(scenario.oddity_rate);
        let duration = rng.range(20, 300) as u32;
        let fisheye = rng.chance(0.3);
        let region = *rng.pick(REGIONS);
        let devices: Vec<Device> = (0..rng.range(1, 4))
            .map(|_| Device {
                facet: format!("{}.v0", rng.ruuid()),
                region,
                total: duration.div_ceil(2) + rng.range(0, 3) as u32,
                speed: 1.0 + rng.unit() * 0.6,
            })
            .collect();
        let created_epoch = epoch(scenario, created);
        let start_time = created_epoch.saturating_sub(rng.range(60_000, 3 * 3_600_000) as i64);
        let facets = || devices.iter().map(|d| d.facet.clone());
        let base = Clip {
            access_settings: AccessSettings {
                allowed_roles: (0..rng.range(0, 2)).map(|_| rng.ruuid()).collect(),
                allowed_users: (0..rng.range(0, 2)).map(|_| rng.ruuid()).collect(),
                visibility: if odd && rng.chance(0.5) {
                    ODD_VISIBILITY
                } else {
                    VISIBILITY[rng.range(0, VISIBILITY.len() as u64 - 1) as usize]
                },
            },
            analyze_clip: rng.chance(0.5),
            clip_target_location: Location { region },
            clip_uuid: rng.ruuid(),
            console_delete: false,
            deleted: false,
            description: rng
                .chance(0.6)
                .then(|| format!("Saved from {} camera(s)", devices.len())),
            device_map: BTreeMap::new(),
            device_presentation_order: facets().collect(),
            device_uuid: devices[0].facet.clone(),
            device_uuid_map: BTreeMap::new(),
            device_uuid_to_altered_view_map: facets()
                .map(|f| (f, vec![altered_view(&mut rng, fisheye)]))
                .collect(),
            device_uuid_to_fisheye_presentation_map: facets()
                .map(|f| {
                    let n = if fisheye { rng.range(1, 2) } else { 0 };
                    (f, (0..n).map(|_| dewarp(&mut rng)).collect())
                })
                .collect(),
            duration,
            integration_upload_list: {
                let mut list: Vec<String> = (0..rng.range(0, 2))
                    .map(|_| rng.pick(INTEGRATIONS).to_string())
                    .collect();
                if odd {
                    list.push(ODD_INTEGRATION.to_string());
                }
                list
            },
            is_policy_event: rng.chance(0.2),
            metadata_bucket_region: region.to_string(),
            org_uuid: Rng::keyed(seed, &[u64::MAX]).ruuid(),
            save_clip: true,
            save_frame: rng.chance(0.3),
            segments_uploaded: 0,
            send_to_shared_storage: rng.chance(0.2),
            start_time,
            status: "INITIATING",
            status_updated_at_ms: created_epoch,
            thumbnail_relative_second: (rng.range(0, u64::from(duration) * 4) as f64) / 4.0,
            timestamp_ms: created_epoch,
            title: format!("{} #{}", rng.pick(TITLES), index % 1000),
            total_segments: devices.iter().map(|d| d.total).sum(),
            transaction_uuid: rng.ruuid(),
            user_uuid: rng.ruuid(),
            completed_sub_clip_count: 0,
            expected_sub_clip_count: devices.len() as u32,
            parent_clip_uuid: rng.chance(0.15).then(|| rng.ruuid()),
            device_interval_map: facets()
                .map(|f| {
                    let end_time_ms = start_time + i64::from(duration) * 1000;
                    (
                        f,
                        Interval {
                            start_time_ms: start_time,
                            end_time_ms,
                        },
                    )
                })
                .collect(),
            pending_consumers: Vec::new(),
        };
        Self {
            created,
            initiating,
            uploading,
            rendering,
            linger,
            fails_at,
            odd,
            devices,
            base,
        }
    }

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

fn altered_view(rng: &mut Rng, fisheye: bool) -> AlteredView {
    let x = rng.range(0, 2500) as u32;
    let y = rng.range(0, 2500) as u32;
    AlteredView {
        crop: Rect {
            x,
            y,
            width: 10_000 - x - rng.range(0, 2500) as u32,
            height: 10_000 - y - rng.range(0, 2500) as u32,
        },
        dewarp: fisheye.then(|| dewarp(rng)),
    }
}

fn dewarp(rng: &mut Rng) -> DewarpedView {
    let quarter = |rng: &mut Rng, lo: u64, hi: u64| rng.range(lo * 4, hi * 4) as f32 / 4.0;
    DewarpedView {
        aspect_ratio: {
            let &(width, height) = rng.pick(&[(16, 9), (4, 3), (1, 1)]);
            AspectRatio { width, height }
        },
        pitch_degrees: quarter(rng, 0, 90) - 45.0,
        roll_degrees: quarter(rng, 0, 20) - 10.0,
        vertical_field_of_view_degrees: rng.range(40, 110) as u32,
        yaw_degrees: quarter(rng, 0, 359),
    }
}

/// Timeline milliseconds → epoch milliseconds.
fn epoch(scenario: &Scenario, timeline: u64) -> i64 {
    let timeline = i64::try_from(timeline).unwrap_or(i64::MAX);
    let warmup = capped_ms(scenario.warmup) as i64;
    scenario
        .base_epoch_ms
        .saturating_add(timeline)
        .saturating_sub(warmup)
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
    use std::time::Duration;

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
