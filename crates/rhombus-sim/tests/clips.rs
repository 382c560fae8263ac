//! Clip progression on the manual clock, data realism and determinism.

mod common;

use common::{clips, fetch};
use rhombus_sim::{ApiPath, Scenario, SimConfig, SimHandle};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

async fn sim_with(scenario: Scenario) -> SimHandle {
    rhombus_sim::start(SimConfig::default().with_scenario(scenario))
        .await
        .unwrap()
}

fn rank(status: &str) -> u8 {
    match status {
        "QUEUED" => 0,
        "INITIATING" => 1,
        "UPLOADING" => 2,
        "RENDERING" => 3,
        "COMPLETE" | "FAILED" => 4,
        other => panic!("unexpected status {other}"),
    }
}

fn is_ruuid(s: &str) -> bool {
    s.len() == 22
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What one clip looked like at its last sighting.
#[derive(Debug, Clone)]
struct Seen {
    status: String,
    device_segments: BTreeMap<String, u64>,
    status_updated: i64,
}

fn snapshot(clip: &Value) -> Seen {
    let device_segments = clip["deviceMap"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["segmentsUploaded"].as_u64().unwrap()))
        .collect();
    Seen {
        status: clip["status"].as_str().unwrap().to_string(),
        device_segments,
        status_updated: clip["statusUpdatedAtMs"].as_i64().unwrap(),
    }
}

#[tokio::test]
async fn clips_progress_in_order_and_disappear_after_finishing() {
    let sim = sim_with(Scenario::default()).await;
    let mut last: BTreeMap<String, Seen> = BTreeMap::new();
    let mut gone = BTreeSet::new();
    let mut statuses_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for _ in 0..400 {
        let listed = clips(&sim).await;
        let now: BTreeSet<String> = listed
            .iter()
            .map(|c| c["clipUuid"].as_str().unwrap().to_string())
            .collect();
        for clip in &listed {
            let id = clip["clipUuid"].as_str().unwrap().to_string();
            assert!(!gone.contains(&id), "{id} came back after disappearing");
            let seen = snapshot(clip);
            if let Some(before) = last.get(&id) {
                assert!(
                    rank(&before.status) <= rank(&seen.status),
                    "{id}: {} then {}",
                    before.status,
                    seen.status
                );
                assert!(
                    !(rank(&before.status) == 4 && before.status != seen.status),
                    "{id} changed terminal status"
                );
                assert!(
                    before.status_updated <= seen.status_updated,
                    "{id} statusUpdatedAtMs went back"
                );
                for (device, segments) in &before.device_segments {
                    assert!(
                        seen.device_segments[device] >= *segments,
                        "{id}/{device} segments went down"
                    );
                }
            }
            let history = statuses_of.entry(id.clone()).or_default();
            if history.last() != Some(&seen.status) {
                history.push(seen.status.clone());
            }
            last.insert(id, seen);
        }
        for (id, seen) in &last {
            if !now.contains(id) && gone.insert(id.clone()) {
                assert_eq!(rank(&seen.status), 4, "{id} vanished while {}", seen.status);
            }
        }
        sim.advance(Duration::from_secs(3));
    }
    let full_runs = statuses_of
        .values()
        .filter(|h| h.len() == 4 && h[1] == "UPLOADING" && h[2] == "RENDERING")
        .count();
    assert!(
        full_runs > 5,
        "only {full_runs} clips seen through every phase: {statuses_of:?}"
    );
    assert!(statuses_of.values().any(|h| h.last().unwrap() == "FAILED"));
    assert!(
        statuses_of
            .values()
            .any(|h| h.last().unwrap() == "COMPLETE")
    );
    assert!(gone.len() > 10, "only {} clips disappeared", gone.len());
}

#[tokio::test]
async fn clips_look_like_the_real_api() {
    let sim = sim_with(Scenario::default()).await;
    let mut seen_odd = false;
    let mut device_counts = BTreeSet::new();
    for _ in 0..20 {
        for clip in clips(&sim).await {
            for key in ["clipUuid", "orgUuid", "userUuid", "transactionUuid"] {
                assert!(
                    is_ruuid(clip[key].as_str().unwrap()),
                    "{key}: {}",
                    clip[key]
                );
            }
            let order: Vec<&str> = clip["devicePresentationOrder"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            device_counts.insert(order.len());
            assert!((1..=4).contains(&order.len()));
            for facet in &order {
                let (ruuid, suffix) = facet.split_once('.').unwrap();
                assert!(is_ruuid(ruuid) && suffix == "v0", "{facet}");
            }
            assert_eq!(clip["deviceUuid"], order[0]);
            let keys = |map: &str| -> BTreeSet<&str> {
                clip[map]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect()
            };
            let facets: BTreeSet<&str> = order.iter().copied().collect();
            for map in [
                "deviceMap",
                "deviceUuidMap",
                "deviceUuidToAlteredViewMap",
                "deviceUuidToFisheyePresentationMap",
                "deviceIntervalMap",
            ] {
                assert_eq!(keys(map), facets, "{map}");
            }
            let sum: u64 = clip["deviceMap"]
                .as_object()
                .unwrap()
                .values()
                .map(|p| p["segmentsUploaded"].as_u64().unwrap())
                .sum();
            assert_eq!(clip["segmentsUploaded"].as_u64(), Some(sum));
            assert_eq!(clip["deviceMap"], clip["deviceUuidMap"]);
            assert_eq!(
                clip["expectedSubClipCount"].as_u64(),
                Some(order.len() as u64)
            );
            let ts = clip["timestampMs"].as_i64().unwrap();
            assert!(
                (1_767_225_600_000..1_798_761_600_000).contains(&ts),
                "timestampMs {ts} not in 2026"
            );
            assert!(clip["startTime"].as_i64().unwrap() < ts);
            assert!(clip["accessSettings"]["visibility"].is_string());
            assert!(clip["integrationUploadList"].is_array());
            assert!(clip["pendingConsumers"].is_array());
            assert!(
                clip.get("parentClipUuid").is_some() && clip.get("completedSubClipCount").is_some()
            );
            seen_odd |= clip["status"] == "QUEUED"
                || clip["accessSettings"]["visibility"] == "LINK_SHARED"
                || clip["integrationUploadList"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|v| v == "GENETEC");
        }
        sim.advance(Duration::from_secs(60));
    }
    assert!(seen_odd, "no unknown enum value in 20 minutes");
    assert!(
        device_counts.len() >= 3,
        "device counts seen: {device_counts:?}"
    );
}

#[tokio::test]
async fn same_seed_same_bytes_other_seed_other_bytes() {
    let a = sim_with(Scenario::default().with_seed(7)).await;
    let b = sim_with(Scenario::default().with_seed(7)).await;
    let c = sim_with(Scenario::default().with_seed(8)).await;
    for step in [0, 17, 3600] {
        for sim in [&a, &b, &c] {
            sim.advance(Duration::from_secs(step));
        }
        let (_, elapsed_a, body_a) = fetch(&a, ApiPath::Event).await;
        let (_, elapsed_b, body_b) = fetch(&b, ApiPath::Video).await;
        let (_, _, body_c) = fetch(&c, ApiPath::Video).await;
        assert_eq!(elapsed_a, elapsed_b);
        assert_eq!(body_a, body_b);
        assert_ne!(body_a, body_c);
        assert_eq!(body_a, a.body_at(Duration::from_millis(elapsed_a.unwrap())));
    }
}

#[tokio::test]
async fn the_demo_finishes_by_itself_with_both_outcomes() {
    let sim = sim_with(Scenario::demo()).await;
    assert!(
        !clips(&sim).await.is_empty(),
        "the demo starts with a clip listed"
    );
    let mut ids = BTreeSet::new();
    let mut last_status = BTreeMap::new();
    for _ in 0..25 {
        for clip in clips(&sim).await {
            let id = clip["clipUuid"].as_str().unwrap().to_string();
            ids.insert(id.clone());
            last_status.insert(id, clip["status"].as_str().unwrap().to_string());
        }
        sim.advance(Duration::from_secs(1));
    }
    assert_eq!(ids.len(), 5);
    let outcomes: BTreeSet<&str> = last_status.values().map(String::as_str).collect();
    assert_eq!(
        outcomes,
        BTreeSet::from(["COMPLETE", "FAILED"]),
        "{last_status:?}"
    );
    sim.advance(Duration::from_secs(6));
    assert!(clips(&sim).await.is_empty());
}

#[tokio::test]
async fn presets_by_name() {
    for name in Scenario::PRESETS {
        assert!(Scenario::preset(name).is_some(), "{name}");
    }
    assert_eq!(Scenario::preset("demo"), Some(Scenario::demo()));
    assert_eq!(Scenario::preset("nope"), None);
    let busy = sim_with(Scenario::busy()).await;
    let default = sim_with(Scenario::default()).await;
    assert!(clips(&busy).await.len() > 3 * clips(&default).await.len());
}

#[tokio::test]
async fn on_real_time_each_body_matches_the_instant_in_its_header() {
    let config = SimConfig::demo();
    let sim = rhombus_sim::start(config).await.unwrap();
    let mut instants = BTreeSet::new();
    for _ in 0..5 {
        let (status, elapsed, body) = fetch(&sim, ApiPath::Video).await;
        assert_eq!(status, 200);
        let elapsed = elapsed.expect("x-rhombus-sim-elapsed-ms header");
        assert_eq!(body, sim.body_at(Duration::from_millis(elapsed)));
        instants.insert(elapsed);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(instants.len() > 1, "real time did not move: {instants:?}");
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    for clip in clips(&sim).await {
        let ts = clip["timestampMs"].as_i64().unwrap();
        assert!(
            (now_ms - 60_000..=now_ms).contains(&ts),
            "demo timestamps are not recent: {ts}"
        );
    }
}
