//! Drawing a clip's time-independent plan (ids, devices, titles, timings,
//! fate) from (seed, index).

use crate::rng::Rng;
use crate::scenario::{Scenario, Span, capped_ms};
use crate::wire::{
    AccessSettings, AlteredView, AspectRatio, Clip, DewarpedView, Interval, Location, Rect,
};
use std::collections::BTreeMap;

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
/// Values the spec's enums do not list (yet), for clients' open-enum handling.
const ODD_VISIBILITY: &str = "LINK_SHARED";
const ODD_INTEGRATION: &str = "GENETEC";

/// Everything about a clip that does not depend on time.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub(crate) created: u64,
    pub(crate) initiating: u64,
    pub(crate) uploading: u64,
    pub(crate) rendering: u64,
    pub(crate) linger: u64,
    /// Offset from `created` at which the clip fails, if it does.
    pub(crate) fails_at: Option<u64>,
    pub(crate) odd: bool,
    pub(crate) devices: Vec<Device>,
    pub(crate) base: Clip,
}

#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub(crate) facet: String,
    pub(crate) region: &'static str,
    pub(crate) total: u32,
    /// Upload speed relative to the clip's upload phase (≥ 1: finishes early).
    pub(crate) speed: f64,
}

impl Plan {
    /// Draws clip `index`, created at timeline instant `created`.
    pub(crate) fn draw(scenario: &Scenario, index: u64, created: u64) -> Self {
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
pub(crate) fn epoch(scenario: &Scenario, timeline: u64) -> i64 {
    let timeline = i64::try_from(timeline).unwrap_or(i64::MAX);
    let warmup = capped_ms(scenario.warmup) as i64;
    scenario
        .base_epoch_ms
        .saturating_add(timeline)
        .saturating_sub(warmup)
}
