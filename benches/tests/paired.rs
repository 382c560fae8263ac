//! The interleaved-rounds probe behind `cargo xtask bench`'s paired ratios.

use rhombus_benches::methods::Method;
use rhombus_benches::paired::measure;
use rhombus_benches::payload::{Amount, DEFAULT_SEED, generate};

#[test]
fn paired_rounds_time_every_method_in_every_round() {
    let payload = generate(Amount::Clips(30), DEFAULT_SEED);
    let rounds = measure(&payload, 3, 1).expect("every method decodes the generated payload");
    let methods: Vec<Method> = rounds.rates.iter().map(|(m, _)| *m).collect();
    assert_eq!(methods, Method::ALL);
    for (method, rates) in &rounds.rates {
        assert_eq!(rates.len(), 3, "{method:?}");
        assert!(
            rates.iter().all(|r| r.is_finite() && *r > 0.0),
            "{method:?}: {rates:?}"
        );
    }
    // A payload no method can decode is reported, not timed.
    assert!(measure(b"{\"splicedClips\":", 1, 1).is_none());
}
