//! The interleaved-rounds probe behind `cargo xtask bench`'s paired ratios.

use rhombus_benches::methods::Method;
use rhombus_benches::paired::measure;
use rhombus_benches::payload::{Amount, DEFAULT_SEED, generate};

/// The rate `measure` reports when a decode's time was clamped up from zero
/// (its floor is one nanosecond): a rate this high measured nothing.
fn clamped_rate(bytes: usize) -> f64 {
    bytes as f64 / 1e-9 / 1e6
}

#[test]
fn paired_rounds_time_every_method_in_every_round() {
    let payload = generate(Amount::Clips(30), DEFAULT_SEED);
    let rounds = measure(&payload, 3, 1).expect("every method decodes the generated payload");
    let methods: Vec<Method> = rounds.rates.iter().map(|(m, _)| *m).collect();
    assert_eq!(methods, Method::ALL);
    let ceiling = clamped_rate(payload.len());
    for (method, rates) in &rounds.rates {
        assert_eq!(rates.len(), 3, "{method:?}");
        // A real decode of 30 clips takes time: every rate is a measured one,
        // not the clamp's (a zero-length timing would hide a decode that did
        // no work, and make every ratio meaningless).
        assert!(
            rates
                .iter()
                .all(|r| r.is_finite() && *r > 0.0 && *r < ceiling),
            "{method:?}: {rates:?} (clamped rate {ceiling})"
        );
    }
    // A payload no method can decode is reported, not timed.
    assert!(measure(b"{\"splicedClips\":", 1, 1).is_none());
}
