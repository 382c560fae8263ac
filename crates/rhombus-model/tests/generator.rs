//! The shared generator produces every class it promises, per mix, so the
//! property tests and fuzzers built on it reach each one.

use rhombus_model::generate::{Choices, Classes, Mix, response};

fn classes(mix: Mix, runs: u32) -> Classes {
    let mut classes = Classes::default();
    for seed in 0..runs {
        // A simple byte stream from the seed (splitmix64).
        let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let bytes: Vec<u8> = (0..4096)
            .map(|_| {
                state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
                let mut z = state;
                z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                (z ^ (z >> 31)) as u8
            })
            .collect();
        response(&mut Choices::new(&bytes), mix, &mut classes);
    }
    classes
}

#[test]
fn each_mix_produces_every_class_it_allows_and_no_other() {
    let spec = classes(Mix::SPEC, 200);
    assert_eq!(spec.seen(), ["absent_field"]);
    let java = classes(Mix::JAVA, 200);
    assert_eq!(
        java.seen(),
        [
            "null_in_list",
            "null_in_map",
            "null_field",
            "absent_field",
            "escape"
        ]
    );
    let drift = classes(Mix::DRIFT, 200);
    for class in [
        "unknown_field",
        "unknown_enum",
        "wrong_type",
        "integral_float",
        "out_of_range",
    ] {
        assert!(drift.seen().contains(&class), "{class}: {drift:?}");
    }
    assert!(!drift.seen().contains(&"invalid_utf8"));
    let hostile = classes(Mix::HOSTILE, 400);
    assert_eq!(hostile.seen().len(), 16, "{hostile:?}");
}

#[test]
fn spec_bodies_are_json_with_every_value_of_its_type() {
    for seed in 0u8..=255 {
        let body = response(
            &mut Choices::new(&[seed; 64]),
            Mix::SPEC,
            &mut Classes::default(),
        );
        let value: serde_json::Value = serde_json::from_slice(&body).expect("valid JSON");
        assert!(value.is_object());
        let mut decoder = rhombus_model::Decoder::new().strict(true);
        assert!(
            decoder.decode(&body).is_ok(),
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
}
