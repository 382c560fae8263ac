//! Interleaved timing for ratios between methods.
//!
//! Criterion measures one method after another, so a shared machine's slow
//! spell can land on one side of a ratio only. Here every round decodes the
//! payload with each method in turn, back to back, in an order that rotates
//! each round; a ratio is then taken within each round, where both sides ran
//! under the same conditions.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::methods::{Method, Scratch, run};

/// Each method's throughput in every round, MB/s (10^6 bytes/s).
#[derive(Debug)]
pub struct Rounds {
    /// One list per method, in [`Method::ALL`] order, one rate per round.
    pub rates: Vec<(Method, Vec<f64>)>,
}

/// Times `rounds` rounds of every method over `bytes`. Within a round each
/// method decodes `reps` times (at least once) and keeps its fastest decode,
/// so one interrupted decode does not stand for the round; every method gets
/// the same number of tries, so none is favoured by more chances at a fast one.
/// `None` if a method decodes no clips (it is broken on this payload).
pub fn measure(bytes: &[u8], rounds: usize, reps: usize) -> Option<Rounds> {
    let mut scratch: Vec<Scratch> = Method::ALL.iter().map(|_| Scratch::default()).collect();
    let mut rates: Vec<(Method, Vec<f64>)> = Method::ALL
        .iter()
        .map(|&m| (m, Vec::with_capacity(rounds)))
        .collect();
    let n = Method::ALL.len();
    for round in 0..rounds {
        for k in 0..n {
            let i = (round + k) % n;
            let mut fastest = Duration::MAX;
            for _ in 0..reps.max(1) {
                let t = Instant::now();
                let clips = run(Method::ALL[i], black_box(bytes), &mut scratch[i]);
                fastest = fastest.min(t.elapsed());
                if clips == 0 {
                    return None;
                }
            }
            let secs = fastest.as_secs_f64().max(1e-9);
            rates[i].1.push(bytes.len() as f64 / secs / 1e6);
        }
    }
    Some(Rounds { rates })
}
