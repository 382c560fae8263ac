//! Every shape's classes: a seeded run produces each at least once, each
//! class a body claims is found in it by an independent check (a diff
//! against the state for JSON bodies, a byte scan for hostile ones), and
//! every clip keeps its id, status and progress.

mod common;

use rhombus_model::ClipStatus;
use rhombus_sim::{ApiPath, Class, HUGE_STRING_LEN, Scenario, Shape, SimConfig, shaped};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// Classes found in a JSON body by comparing it with the state it was
/// written from (java and drift bodies are valid JSON).
fn detect_in_json(bytes: &[u8], state: &Value) -> BTreeSet<Class> {
    let body: Value = serde_json::from_slice(bytes).expect("java and drift bodies are JSON");
    let mut found = BTreeSet::new();
    if body["error"].is_null() && body.get("error").is_some() {
        found.insert(Class::ErrorNull);
    }
    let raw = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    if raw(b"\\u") || raw(b"\\/") {
        found.insert(Class::Escape);
    }
    diff(&body, state, true, &mut found);
    found
}

/// A key of a map (a device facet), not a field's name.
fn is_facet(key: &str) -> bool {
    key.len() > 22 && key.as_bytes()[22] == b'.'
}

fn diff(body: &Value, base: &Value, envelope: bool, found: &mut BTreeSet<Class>) {
    let mark = |found: &mut BTreeSet<Class>, class| {
        found.insert(class);
    };
    match (body, base) {
        (Value::Object(body), Value::Object(base)) => {
            for (key, was) in base {
                match body.get(key) {
                    None if !was.is_null() && is_facet(key) => mark(found, Class::MapsDisagree),
                    None if !was.is_null() => mark(found, Class::AbsentField),
                    None => {}
                    Some(Value::Null) if was.is_null() => {}
                    Some(Value::Null) if envelope && key == "error" => {}
                    Some(Value::Null) => mark(found, Class::NullField),
                    Some(now) => diff(now, was, false, found),
                }
            }
            for (key, now) in body.iter().filter(|(k, _)| !base.contains_key(*k)) {
                match now {
                    _ if !is_facet(key) => mark(found, Class::UnknownField),
                    Value::Null => mark(found, Class::NullInMap),
                    Value::Array(_) => mark(found, Class::OtherShapeMapValue),
                    _ if now["totalSegments"] == 0 => mark(found, Class::ZeroTotal),
                    _ => {}
                }
            }
        }
        (Value::Array(body), Value::Array(base)) => {
            let nulls = |list: &Vec<Value>| list.iter().filter(|v| v.is_null()).count();
            if nulls(body) > nulls(base) {
                mark(found, Class::NullInList);
            }
            let kept = body.iter().filter(|v| !v.is_null());
            for (now, was) in kept.zip(base.iter().filter(|v| !v.is_null())) {
                diff(now, was, false, found);
            }
        }
        (Value::Number(now), Value::Number(was)) if now != was => {
            match (now.as_i64(), was.as_i64()) {
                (None, Some(w)) if now.as_f64() == Some(w as f64) => {
                    mark(found, Class::IntegralFloat)
                }
                (n, Some(_)) if n.is_none_or(|n| i32::try_from(n).is_err()) => {
                    mark(found, Class::OutOfRange)
                }
                _ => {}
            }
        }
        (Value::String(now), Value::String(was)) if now != was => {
            let known = [
                ClipStatus::TEXTS,
                rhombus_model::Visibility::TEXTS,
                rhombus_model::Integration::TEXTS,
            ];
            if !known.iter().any(|texts| texts.contains(&now.as_str())) {
                mark(found, Class::UnknownEnum);
            }
        }
        (now, was) if std::mem::discriminant(now) != std::mem::discriminant(was) => {
            mark(found, Class::WrongType)
        }
        _ => {}
    }
}

/// What a byte scan of a body that need be neither JSON nor UTF-8 finds.
#[derive(Debug, Default)]
struct Scan {
    duplicate_key: bool,
    unbalanced: bool,
    /// Each element of `splicedClips`, as bytes.
    clips: Vec<Vec<u8>>,
}

enum Frame {
    Object {
        keys: BTreeSet<Vec<u8>>,
        key_next: bool,
    },
    Array {
        clips: bool,
        start: Option<usize>,
    },
}

fn scan(bytes: &[u8]) -> Scan {
    let mut out = Scan::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut last_key: Vec<u8> = Vec::new();
    let mut i = 0;
    // Ends the clip element that started at `start`, if any.
    let end_clip = |stack: &mut Vec<Frame>, out: &mut Scan, at: usize| {
        if let Some(Frame::Array { clips: true, start }) = stack.last_mut() {
            if let Some(from) = start.take() {
                out.clips.push(bytes[from..at].to_vec());
            }
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if let Some(Frame::Array { start, .. }) = stack.last_mut() {
            if start.is_none() && !matches!(b, b',' | b']') {
                *start = Some(i);
            }
        }
        match b {
            b'"' => {
                let from = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if i >= bytes.len() {
                    out.unbalanced = true;
                    return out;
                }
                if let Some(Frame::Object { keys, key_next }) = stack.last_mut() {
                    if *key_next {
                        last_key = bytes[from..i].to_vec();
                        out.duplicate_key |= !keys.insert(last_key.clone());
                    }
                }
            }
            b'{' => stack.push(Frame::Object {
                keys: BTreeSet::new(),
                key_next: true,
            }),
            b'[' => {
                let clips = stack.len() == 1 && last_key == b"splicedClips";
                stack.push(Frame::Array { clips, start: None });
            }
            b':' => {
                if let Some(Frame::Object { key_next, .. }) = stack.last_mut() {
                    *key_next = false;
                }
            }
            b',' => {
                end_clip(&mut stack, &mut out, i);
                match stack.last_mut() {
                    Some(Frame::Object { key_next, .. }) => *key_next = true,
                    Some(Frame::Array { start, .. }) => *start = None,
                    None => {}
                }
            }
            b'}' | b']' => {
                end_clip(&mut stack, &mut out, i);
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    out.unbalanced |= !stack.is_empty();
    out
}

/// Classes of the hostile family found in a body's bytes.
fn detect_in_bytes(bytes: &[u8]) -> BTreeSet<Class> {
    let scan = scan(bytes);
    let mut found = BTreeSet::new();
    let mut mark = |class, yes: bool| {
        if yes {
            found.insert(class);
        }
    };
    let contains = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    mark(Class::InvalidUtf8, std::str::from_utf8(bytes).is_err());
    mark(Class::DeepNesting, contains(b"[[[[["));
    mark(Class::HugeString, bytes.len() > HUGE_STRING_LEN);
    mark(Class::DuplicateKey, scan.duplicate_key);
    mark(
        Class::NonObjectClip,
        scan.clips
            .iter()
            .any(|c| !c.starts_with(b"{") && c.as_slice() != b"null"),
    );
    mark(
        Class::DuplicateClip,
        scan.clips
            .windows(2)
            .any(|w| w[0] == w[1] && w[0].starts_with(b"{")),
    );
    mark(Class::Truncated, scan.unbalanced);
    found
}

/// The states and bodies of a seeded run: every 37 s over a scenario's
/// clips' lives.
fn run(shape: Shape, scenario: &Scenario) -> Vec<(Value, rhombus_sim::ShapedBody)> {
    (0..40)
        .map(|k| {
            let state = scenario.state_at(Duration::from_secs(k * 37));
            let body = shaped(scenario.seed ^ k, shape, &state);
            (state, body)
        })
        .collect()
}

#[test]
fn a_seeded_run_of_each_shape_produces_every_class_and_each_is_in_the_body() {
    let scenario = Scenario::default();
    for shape in [Shape::Spec, Shape::Java, Shape::Drift, Shape::Hostile] {
        let mut counts: BTreeMap<Class, usize> = BTreeMap::new();
        for (k, (state, body)) in run(shape, &scenario).iter().enumerate() {
            let (found, checked): (_, Vec<Class>) = match shape {
                Shape::Hostile => (
                    detect_in_bytes(&body.bytes),
                    rhombus_model::generate::Mix::HOSTILE
                        .classes()
                        .into_iter()
                        .filter(|c| !rhombus_model::generate::Mix::DRIFT.allows(*c))
                        .collect(),
                ),
                _ => (detect_in_json(&body.bytes, state), shape.classes()),
            };
            let missing: Vec<_> = body
                .classes
                .iter()
                .filter(|c| checked.contains(c) && !found.contains(c))
                .collect();
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
            .into_iter()
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
    for (state, body) in run(Shape::Live, &Scenario::default()) {
        assert!(body.classes.is_empty());
        assert_eq!(detect_in_json(&body.bytes, &state), BTreeSet::new());
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
        if shape != Shape::Live {
            assert_ne!(
                shaped(7, shape, &state),
                shaped(8, shape, &state),
                "{shape}"
            );
        }
    }
    assert!(Shape::Live.classes().is_empty());
    assert_eq!(Shape::Spec.classes(), [Class::AbsentField]);
    assert_eq!(Shape::Hostile.classes(), Class::ALL);
    for shape in Shape::ALL {
        assert_eq!(shape.name().parse::<Shape>(), Ok(shape));
    }
    assert!("xml".parse::<Shape>().is_err());
}

/// A clip's status and progress (segments uploaded, in all).
type Followed = (Option<String>, Option<(u64, u64)>);

/// Each clip's status and progress by id, as the model reads them.
fn followed(bytes: &[u8]) -> BTreeMap<String, Followed> {
    let mut decoder = rhombus_model::Decoder::new();
    let response = decoder.decode(bytes).expect("the body decodes");
    response
        .clips()
        .map(|clip| {
            let status = clip.status.as_ref().map(|s| s.to_string());
            let progress = clip.progress().map(|p| (p.uploaded, p.total));
            (clip.id().to_owned(), (status, progress))
        })
        .collect()
}

#[test]
fn every_shape_keeps_every_clip_with_its_id_status_and_progress() {
    for scenario in [Scenario::default(), Scenario::busy().with_seed(5)] {
        for at in [60, 120, 600] {
            let state = scenario.state_at(Duration::from_secs(at));
            let truth = followed(&shaped(0, Shape::Live, &state).bytes);
            assert!(truth.len() > 5);
            for shape in [Shape::Java, Shape::Drift, Shape::Hostile] {
                let drift = shape.mix().is_some_and(|mix| mix.drift);
                for seed in 0..6 {
                    let body = shaped(seed, shape, &state);
                    // A truncated body loses its last clip (and the
                    // decode fails there): nothing else to compare.
                    if body.classes.contains(&Class::Truncated) {
                        continue;
                    }
                    // Hostile bodies add clips (copies), never lose one.
                    let read = followed(&body.bytes);
                    for (id, (status, progress)) in &truth {
                        let Some((read_status, read_progress)) = read.get(id) else {
                            panic!("{shape} seed {seed} at {at}: lost clip {id}");
                        };
                        assert_eq!(read_progress, progress, "{shape} seed {seed} {id}");
                        // A shape without drift writes a status the
                        // reference lacks as one it has.
                        let known = status
                            .as_deref()
                            .is_some_and(|s| ClipStatus::TEXTS.contains(&s));
                        if known || drift {
                            assert_eq!(read_status, status, "{shape} seed {seed} {id}");
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn an_empty_list_still_carries_the_envelope_classes() {
    let state = serde_json::json!({"error": false, "errorMsg": null, "splicedClips": [], "warningMsg": null});
    for seed in 0..20 {
        let java = shaped(seed, Shape::Java, &state);
        assert!(java.classes.contains(&Class::ErrorNull), "{java:?}");
        let body: Value = serde_json::from_slice(&java.bytes).unwrap();
        assert_eq!(body["error"], Value::Null);
        let hostile = shaped(seed, Shape::Hostile, &state);
        assert!(
            hostile.classes.contains(&Class::NonObjectClip),
            "{:?}",
            hostile.classes
        );
    }
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
