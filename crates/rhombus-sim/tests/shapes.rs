//! Every shape's classes: a seeded run produces each at least once, and each
//! class a body claims is found in its bytes by an independent check.

mod common;

use rhombus_sim::{
    ApiPath, Class, DEEP_NESTING, HUGE_STRING_LEN, Scenario, Shape, SimConfig, shaped,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Fields of `SplicedClipType` in the reference.
const SPEC_CLIP: &[&str] = &[
    "accessSettings",
    "analyzeClip",
    "clipTargetLocation",
    "clipUuid",
    "consoleDelete",
    "deleted",
    "description",
    "deviceMap",
    "devicePresentationOrder",
    "deviceUuid",
    "deviceUuidMap",
    "deviceUuidToAlteredViewMap",
    "deviceUuidToFisheyePresentationMap",
    "duration",
    "integrationUploadList",
    "isPolicyEvent",
    "metadataBucketRegion",
    "orgUuid",
    "saveClip",
    "saveFrame",
    "segmentsUploaded",
    "sendToSharedStorage",
    "startTime",
    "status",
    "statusUpdatedAtMs",
    "thumbnailRelativeSecond",
    "timestampMs",
    "title",
    "totalSegments",
    "transactionUuid",
    "userUuid",
];
/// Undocumented fields the live shape already sends.
const LIVE_EXTRAS: &[&str] = &[
    "completedSubClipCount",
    "expectedSubClipCount",
    "parentClipUuid",
    "deviceIntervalMap",
    "pendingConsumers",
];
/// The statuses this version knows.
const STATUSES: &[&str] = rhombus_model::ClipStatus::TEXTS;

/// Classes found in a JSON body (java and drift bodies are valid JSON).
fn detect_in_json(bytes: &[u8]) -> BTreeSet<Class> {
    let body: Value = serde_json::from_slice(bytes).expect("java and drift bodies are JSON");
    let mut found = BTreeSet::new();
    let mut mark = |class, yes: bool| {
        if yes {
            found.insert(class);
        }
    };
    let envelope = body.as_object().unwrap();
    mark(
        Class::ErrorNull,
        envelope.get("error") == Some(&Value::Null),
    );
    mark(Class::AbsentField, !envelope.contains_key("errorMsg"));
    mark(
        Class::UnknownEnvelopeField,
        envelope
            .keys()
            .any(|k| !["error", "errorMsg", "splicedClips", "warningMsg"].contains(&k.as_str())),
    );
    mark(Class::UnicodeEscape, bytes.windows(2).any(|w| w == b"\\u"));
    let has_null = |v: &Value| v.as_array().is_some_and(|a| a.contains(&Value::Null));
    let map = |clip: &Value, key: &str| clip[key].as_object().cloned().unwrap_or_default();
    for clip in body["splicedClips"].as_array().unwrap() {
        let access = &clip["accessSettings"];
        mark(
            Class::NullInList,
            has_null(&access["allowedRoles"]) || has_null(&clip["devicePresentationOrder"]),
        );
        mark(
            Class::NullMapValue,
            map(clip, "deviceMap").values().any(Value::is_null),
        );
        mark(
            Class::NullInMapList,
            map(clip, "deviceUuidToAlteredViewMap")
                .values()
                .any(has_null),
        );
        mark(
            Class::AbsentField,
            SPEC_CLIP.iter().any(|f| clip.get(f).is_none()),
        );
        mark(
            Class::NullValue,
            access.get("visibility") == Some(&Value::Null),
        );
        let object = clip.as_object().unwrap();
        mark(
            Class::UnknownClipField,
            object
                .keys()
                .any(|k| !SPEC_CLIP.contains(&k.as_str()) && !LIVE_EXTRAS.contains(&k.as_str())),
        );
        mark(
            Class::UnknownNestedField,
            access
                .as_object()
                .is_some_and(|a| a.contains_key("linkExpiresAtMs")),
        );
        let devices = map(clip, "deviceMap");
        mark(
            Class::UnknownMapValueField,
            devices.values().any(|p| p.get("bytesUploaded").is_some()),
        );
        mark(
            Class::NewEnumValue,
            clip["status"]
                .as_str()
                .is_some_and(|s| !STATUSES.contains(&s) && s != "QUEUED"),
        );
        mark(Class::StringForInt, clip["duration"].is_string());
        mark(Class::IntegralFloat, clip["totalSegments"].is_f64());
        mark(
            Class::ArrayForNumber,
            clip["thumbnailRelativeSecond"].is_array(),
        );
        mark(
            Class::OutOfRangeInt,
            clip["segmentsUploaded"]
                .as_i64()
                .is_some_and(|n| n > i64::from(i32::MAX)),
        );
        let twin = map(clip, "deviceUuidMap");
        mark(
            Class::OtherShapeMapValue,
            twin.values().any(Value::is_array),
        );
        mark(
            Class::MapsDisagree,
            devices.keys().collect::<Vec<_>>() != twin.keys().collect::<Vec<_>>(),
        );
        mark(
            Class::ZeroTotal,
            devices.values().any(|p| p["totalSegments"] == 0),
        );
    }
    found
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Classes found in a hostile body's bytes (which need not be JSON, nor UTF-8).
fn detect_in_bytes(bytes: &[u8]) -> BTreeSet<Class> {
    let mut found = BTreeSet::new();
    let mut mark = |class, yes: bool| {
        if yes {
            found.insert(class);
        }
    };
    mark(Class::InvalidUtf8, std::str::from_utf8(bytes).is_err());
    mark(
        Class::DeepNesting,
        contains(bytes, &vec![b'['; DEEP_NESTING]),
    );
    mark(Class::HugeString, bytes.len() > HUGE_STRING_LEN);
    mark(
        Class::NonObjectElement,
        contains(bytes, b"[42,")
            || contains(bytes, b",42,")
            || contains(bytes, b",null,")
            || contains(bytes, b"[null,"),
    );
    // The repeated field opens its clip: no clip starts with `status` otherwise.
    mark(Class::DuplicateField, contains(bytes, b"{\"status\":"));
    // A clip id seen twice.
    let mut ids = BTreeMap::new();
    let marker = b"\"clipUuid\":\"";
    for at in 0..bytes.len().saturating_sub(marker.len() + 22) {
        if &bytes[at..at + marker.len()] == marker {
            *ids.entry(&bytes[at + marker.len()..at + marker.len() + 22])
                .or_insert(0) += 1;
        }
    }
    mark(Class::DuplicateClip, ids.values().any(|&n| n > 1));
    // deviceMap's first key again right after its first entry.
    let map_marker = b"\"deviceMap\":{\"";
    let repeated_key = (0..bytes.len().saturating_sub(map_marker.len())).any(|at| {
        if &bytes[at..at + map_marker.len()] != map_marker {
            return false;
        }
        let rest = &bytes[at + map_marker.len() - 1..];
        let key_end = rest[1..]
            .iter()
            .position(|&b| b == b'"')
            .map_or(0, |p| p + 2);
        let key = &rest[..key_end];
        let entry_end = rest.iter().position(|&b| b == b'}').unwrap_or(rest.len());
        rest[entry_end..].starts_with(&[b"},", key, b":{"].concat())
    });
    mark(Class::DuplicateMapKey, repeated_key);
    mark(Class::Truncated, unbalanced(bytes));
    found
}

/// True if the text ends inside a string or an open array or object.
fn unbalanced(bytes: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0i64, false, false);
    for &b in bytes {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => depth += 1,
            (false, _, b']' | b'}') => depth -= 1,
            (false, _, _) => {}
        }
    }
    in_string || depth != 0
}

/// The bodies of a seeded run: every 37 s over a scenario's clips' lives.
fn run(shape: Shape, scenario: &Scenario) -> Vec<rhombus_sim::ShapedBody> {
    (0..40)
        .map(|k| {
            let state = scenario.state_at(Duration::from_secs(k * 37));
            shaped(scenario.seed ^ k, shape, &state)
        })
        .collect()
}

#[test]
fn a_seeded_run_of_each_shape_produces_every_class_and_each_is_in_the_bytes() {
    let scenario = Scenario::default();
    for shape in [Shape::Java, Shape::Drift, Shape::Hostile] {
        let mut counts: BTreeMap<Class, usize> = BTreeMap::new();
        for (k, body) in run(shape, &scenario).iter().enumerate() {
            let found = match shape {
                Shape::Hostile => detect_in_bytes(&body.bytes),
                _ => detect_in_json(&body.bytes),
            };
            let missing: Vec<_> = body.classes.difference(&found).collect();
            assert!(
                missing.is_empty(),
                "{shape} body {k} claims {missing:?} but they are not in it"
            );
            for class in &body.classes {
                assert!(
                    shape.classes().contains(class),
                    "{shape} produced {class:?}"
                );
                *counts.entry(*class).or_default() += 1;
            }
        }
        let never: Vec<_> = shape
            .classes()
            .iter()
            .filter(|c| !counts.contains_key(c))
            .collect();
        assert!(
            never.is_empty(),
            "{shape} never produced {never:?}; counts {counts:?}"
        );
        println!("{shape}: {counts:?}");
    }
}

#[test]
fn the_checks_find_nothing_in_live_bodies() {
    for body in run(Shape::Live, &Scenario::default()) {
        assert!(body.classes.is_empty());
        assert_eq!(detect_in_json(&body.bytes), BTreeSet::new());
        assert_eq!(detect_in_bytes(&body.bytes), BTreeSet::new());
    }
}

#[test]
fn shapes_are_pure_functions_of_seed_and_state() {
    let state = Scenario::default().state_at(Duration::from_secs(300));
    for shape in Shape::ALL {
        assert_eq!(
            shaped(7, shape, &state),
            shaped(7, shape, &state),
            "{shape}"
        );
    }
    assert_ne!(
        shaped(7, Shape::Java, &state),
        shaped(8, Shape::Java, &state)
    );
    assert!(Shape::Live.classes().is_empty() && Shape::Spec.classes().is_empty());
    for shape in Shape::ALL {
        assert_eq!(shape.name().parse::<Shape>(), Ok(shape));
    }
    assert!("xml".parse::<Shape>().is_err());
}

#[test]
fn spec_java_and_drift_keep_every_clip() {
    let state = Scenario::default().state_at(Duration::from_secs(120));
    let ids = |v: &Value| -> BTreeSet<String> {
        v["splicedClips"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["clipUuid"].as_str().map(str::to_owned))
            .collect()
    };
    let truth = ids(&state);
    assert!(truth.len() > 5);
    for shape in [Shape::Spec, Shape::Java, Shape::Drift] {
        for seed in 0..10 {
            let body: Value = serde_json::from_slice(&shaped(seed, shape, &state).bytes).unwrap();
            // An escaped id reads back as the same id.
            assert_eq!(ids(&body), truth, "{shape} seed {seed}");
        }
    }
}

#[test]
fn an_empty_list_still_carries_the_envelope_classes() {
    let state = serde_json::json!({"error": false, "errorMsg": null, "splicedClips": [], "warningMsg": null});
    let java = shaped(1, Shape::Java, &state);
    assert_eq!(java.classes, [Class::AbsentField, Class::ErrorNull].into());
    assert_eq!(
        java.bytes,
        br#"{"error":null,"warningMsg":null,"splicedClips":[]}"#
    );
    let drift = shaped(1, Shape::Drift, &state);
    assert_eq!(drift.classes, [Class::UnknownEnvelopeField].into());
    let hostile = shaped(1, Shape::Hostile, &state);
    assert!(
        hostile.classes.contains(&Class::NonObjectElement),
        "{:?}",
        hostile.classes
    );
}

#[tokio::test]
async fn the_simulator_serves_its_shape_and_the_truth_matches() {
    for shape in [Shape::Java, Shape::Drift, Shape::Hostile] {
        let sim = rhombus_sim::start(SimConfig::default().with_shape(shape))
            .await
            .unwrap();
        assert_eq!(sim.shape(), shape);
        let (status, elapsed, body) = common::fetch(&sim, ApiPath::Event).await;
        assert_eq!(status, 200);
        let elapsed = Duration::from_millis(elapsed.unwrap());
        assert_eq!(body, sim.body_at(elapsed), "{shape}");
        assert_ne!(
            body,
            shaped(0, Shape::Live, &sim.scenario().state_at(elapsed)).bytes
        );
        sim.shutdown().await;
    }
}
