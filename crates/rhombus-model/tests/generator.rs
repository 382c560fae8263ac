//! The shared generator produces every class it promises, per mix, whether
//! it makes values up or renders a base document, so the property tests,
//! fuzzers and simulator built on it reach each one.

use rhombus_model::generate::{Choices, Class, Classes, KEPT, Mix, render, response};
use serde_json::Value;

/// A simple byte stream from the seed (splitmix64).
fn bytes(seed: u32, len: usize) -> Vec<u8> {
    let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (0..len)
        .map(|_| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as u8
        })
        .collect()
}

/// A base document: a made-up body of the spec mix with at least one clip.
fn base(seed: u32) -> Value {
    (0..)
        .map(|k| {
            let body = response(
                &mut Choices::new(&bytes(seed.wrapping_add(k << 20), 4096)),
                Mix::SPEC,
                &mut Classes::default(),
            );
            serde_json::from_slice::<Value>(&body).expect("spec bodies are JSON")
        })
        .find(|v| v["splicedClips"].as_array().is_some_and(|a| a.len() > 1))
        .expect("some seed makes clips")
}

fn made(mix: Mix, runs: u32) -> Classes {
    let mut classes = Classes::default();
    for seed in 0..runs {
        response(&mut Choices::new(&bytes(seed, 4096)), mix, &mut classes);
    }
    classes
}

fn rendered(mix: Mix, runs: u32) -> Classes {
    let mut classes = Classes::default();
    for seed in 0..runs {
        let base = base(seed);
        render(
            &base,
            &mut Choices::new(&bytes(!seed, 8192)),
            mix,
            &mut classes,
        );
    }
    classes
}

#[test]
fn each_mix_produces_every_class_it_allows_and_no_other() {
    for (mix, runs) in [
        (Mix::SPEC, 200),
        (Mix::JAVA, 200),
        (Mix::DRIFT, 200),
        (Mix::HOSTILE, 400),
    ] {
        for (how, classes) in [("made", made(mix, runs)), ("rendered", rendered(mix, runs))] {
            assert_eq!(classes.seen(), mix.classes(), "{how} {mix:?}: {classes:?}");
        }
    }
    assert_eq!(Mix::SPEC.classes(), [Class::AbsentField]);
    assert_eq!(Mix::HOSTILE.classes(), Class::ALL);
}

#[test]
fn class_names_are_stable_and_parse_back() {
    let names: Vec<_> = Class::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(
        names,
        [
            "absent-field",
            "null-field",
            "null-in-list",
            "null-in-map",
            "error-null",
            "escape",
            "unknown-field",
            "unknown-enum",
            "wrong-type",
            "integral-float",
            "out-of-range",
            "other-shape-map-value",
            "maps-disagree",
            "zero-total",
            "invalid-utf8",
            "duplicate-key",
            "duplicate-clip",
            "non-object-clip",
            "deep-nesting",
            "huge-string",
            "truncated",
        ]
    );
    for class in Class::ALL {
        assert_eq!(class.name().parse::<Class>(), Ok(class));
        assert_eq!(class.to_string(), class.name());
    }
}

#[test]
fn spec_bodies_are_json_with_every_value_of_its_type() {
    for seed in 0u8..=255 {
        let made = response(
            &mut Choices::new(&[seed; 64]),
            Mix::SPEC,
            &mut Classes::default(),
        );
        let base = base(u32::from(seed));
        let rendered = render(
            &base,
            &mut Choices::new(&bytes(u32::from(seed), 4096)),
            Mix::SPEC,
            &mut Classes::default(),
        );
        for body in [made, rendered] {
            let value: Value = serde_json::from_slice(&body).expect("valid JSON");
            assert!(value.is_object());
            let mut decoder = rhombus_model::Decoder::new().strict(true);
            assert!(
                decoder.decode(&body).is_ok(),
                "{}",
                String::from_utf8_lossy(&body)
            );
        }
    }
}

/// The clips of a body by id, with their kept values.
fn kept(body: &Value) -> Vec<Vec<(String, Value)>> {
    let mut clips: Vec<Vec<(String, Value)>> = body["splicedClips"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c.is_object())
        .map(|clip| {
            KEPT.iter()
                .filter_map(|k| clip.get(*k).map(|v| (k.to_string(), v.clone())))
                .collect()
        })
        .collect();
    clips.sort_by_key(|c| format!("{c:?}"));
    clips.dedup();
    clips
}

#[test]
fn rendering_keeps_every_clip_with_its_id_status_and_progress() {
    for seed in 0..100 {
        let base = base(seed);
        for mix in [Mix::SPEC, Mix::JAVA, Mix::DRIFT] {
            let body = render(
                &base,
                &mut Choices::new(&bytes(seed, 8192)),
                mix,
                &mut Classes::default(),
            );
            let body: Value = serde_json::from_slice(&body).expect("no hostile mix: JSON");
            assert_eq!(kept(&body), kept(&base), "{mix:?} seed {seed}");
        }
    }
}

#[test]
fn the_same_choices_give_the_same_body() {
    let base = base(3);
    let once = render(
        &base,
        &mut Choices::new(&bytes(9, 8192)),
        Mix::HOSTILE,
        &mut Classes::default(),
    );
    let mut n = 0u32;
    let again = render(
        &base,
        &mut Choices::from_fn(|| {
            n += 1;
            bytes(9, 8192).get(n as usize - 1).copied().unwrap_or(0xff)
        }),
        Mix::HOSTILE,
        &mut Classes::default(),
    );
    assert_eq!(once, again);
}
