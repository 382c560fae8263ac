//! Faults: scripted (a queue consumed one per request) or drawn at random with
//! a seeded probability (for soak tests).

use crate::rng::Rng;
use std::collections::VecDeque;
use std::time::Duration;

/// How a `429` tells the client to come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `Retry-After: <HTTP date>`, this far after the moment of the response.
    Date(Duration),
    /// No `Retry-After` header at all.
    Absent,
}

/// One misbehaviour, applied to one request.
///
/// A fault is drawn only for a request that passed authentication, the rate
/// limit and the body check: a refused request never gets one. Faults that
/// replace the response (everything except [`Fault::Latency`],
/// [`Fault::Warning`], [`Fault::EmptyList`] and [`Fault::BigList`]) then
/// answer in its place; the others change the success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Latency(Duration),
    /// `429 Too Many Requests` with a `text/plain` body.
    RateLimited(RetryAfter),
    /// A server error: 500 with a JSON body, 502/503/504 with the HTML a load
    /// balancer would send, any other code with a text body.
    ServerError(u16),
    /// `200` with a chunked body; the connection closes after half the JSON.
    DropMidBody,
    /// `200` whose `Content-Length` is the full body, but only half is sent
    /// before the connection closes.
    TruncatedBody,
    /// `200` with correct framing around a JSON document cut in half.
    CutJson,
    /// `200` with `application/json` that is not valid JSON.
    InvalidJson,
    /// `200` with `"error": true` and this `errorMsg` (a failure in the body).
    ErrorBody(String),
    /// The normal success, plus this `warningMsg`.
    Warning(String),
    /// The normal success, with `"splicedClips": []`.
    EmptyList,
    /// The normal success, with this many extra in-flight clips appended.
    BigList(usize),
    /// Any status with any body, e.g. `403` with `Invalid api key`.
    Respond {
        /// HTTP status code.
        status: u16,
        /// `Content-Type` of the body.
        content_type: String,
        /// The body, sent as is.
        body: String,
    },
    /// Never answer (until the simulator shuts down): for client timeout tests.
    Hang,
    /// This status, with a text body whose first line arrives and whose rest
    /// never does (until the simulator shuts down): a body that stalls after
    /// its head.
    StallBody(u16),
}

impl Fault {
    /// `count` copies of [`Fault::ServerError`] with `status`: a 5xx burst.
    pub fn burst(status: u16, count: usize) -> Vec<Fault> {
        vec![Fault::ServerError(status); count]
    }

    /// [`Fault::Respond`] with a `text/plain` body.
    pub fn text(status: u16, body: impl Into<String>) -> Fault {
        Fault::Respond {
            status,
            content_type: "text/plain; charset=utf-8".into(),
            body: body.into(),
        }
    }

    /// A short stable name for logs, counters and the `x-rhombus-sim-fault` header.
    pub fn name(&self) -> &'static str {
        match self {
            Fault::Latency(_) => "latency",
            Fault::RateLimited(_) => "rate-limited",
            Fault::ServerError(_) => "server-error",
            Fault::DropMidBody => "drop-mid-body",
            Fault::TruncatedBody => "truncated-body",
            Fault::CutJson => "cut-json",
            Fault::InvalidJson => "invalid-json",
            Fault::ErrorBody(_) => "error-body",
            Fault::Warning(_) => "warning",
            Fault::EmptyList => "empty-list",
            Fault::BigList(_) => "big-list",
            Fault::Respond { .. } => "respond",
            Fault::Hang => "hang",
            Fault::StallBody(_) => "stall-body",
        }
    }
}

/// Faults drawn at random: each request, independently, gets a fault with
/// probability `probability`, picked uniformly from `menu`. The draw for the
/// n-th request depends only on `seed` and n, so a soak run replays exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    /// Seeds the draws.
    pub seed: u64,
    /// Chance in `[0, 1]` that a request gets a fault.
    pub probability: f64,
    /// The faults to pick from (an empty menu draws nothing).
    pub menu: Vec<Fault>,
}

impl RandomFaults {
    /// A soak mix of everything a client must survive and retry through
    /// (short latency, 429s in both `Retry-After` forms, 5xx, broken bodies,
    /// error bodies, warnings, empty lists), without hangs or big lists.
    pub fn soak(seed: u64, probability: f64) -> Self {
        let mut menu = vec![
            Fault::Latency(Duration::from_millis(20)),
            Fault::RateLimited(RetryAfter::Seconds(0)),
            Fault::RateLimited(RetryAfter::Date(Duration::ZERO)),
            Fault::DropMidBody,
            Fault::TruncatedBody,
            Fault::CutJson,
            Fault::InvalidJson,
            Fault::ErrorBody("Simulated backend failure".into()),
            Fault::Warning("Results may be incomplete".into()),
            Fault::EmptyList,
        ];
        menu.extend([500, 502, 503, 504].map(Fault::ServerError));
        Self {
            seed,
            probability,
            menu,
        }
    }

    fn draw(&self, request: u64) -> Option<Fault> {
        let mut rng = Rng::keyed(self.seed, &[request]);
        if self.menu.is_empty() || !rng.chance(self.probability) {
            return None;
        }
        Some(rng.pick(&self.menu).clone())
    }
}

/// The queue and the dice, together.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    pub queue: VecDeque<Fault>,
    pub random: Option<RandomFaults>,
}

impl FaultPlan {
    /// The fault for request number `request`: the queue first, then the dice.
    pub(crate) fn next(&mut self, request: u64) -> Option<Fault> {
        self.queue
            .pop_front()
            .or_else(|| self.random.as_ref()?.draw(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_comes_first_then_dice() {
        let mut plan = FaultPlan::default();
        plan.queue.extend(Fault::burst(503, 2));
        plan.random = Some(RandomFaults {
            seed: 1,
            probability: 1.0,
            menu: vec![Fault::EmptyList],
        });
        assert_eq!(plan.next(0), Some(Fault::ServerError(503)));
        assert_eq!(plan.next(1), Some(Fault::ServerError(503)));
        assert_eq!(plan.next(2), Some(Fault::EmptyList));
    }

    #[test]
    fn dice_are_seeded_and_respect_probability() {
        let dice = RandomFaults::soak(42, 0.3);
        let a: Vec<_> = (0..500).map(|n| dice.draw(n)).collect();
        let b: Vec<_> = (0..500).map(|n| dice.draw(n)).collect();
        assert_eq!(a, b);
        let hits = a.iter().flatten().count();
        assert!(
            (100..200).contains(&hits),
            "{hits} faults in 500 draws at p=0.3"
        );
        assert!(a.iter().flatten().all(|f| dice.menu.contains(f)));
        let never = RandomFaults::soak(42, 0.0);
        assert!((0..500).all(|n| never.draw(n).is_none()));
    }
}
