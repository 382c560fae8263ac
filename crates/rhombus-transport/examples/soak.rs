//! Soak test: many requests through random faults against the local simulator.
//!
//! ```text
//! cargo run --release -p rhombus-transport --example soak -- [--requests N] [--seed S]
//!     [--fault-rate P] [--concurrency C] [--deadline SECONDS]
//! ```
//!
//! Prints requests, retries, failures by kind, and whether every successful response
//! matched the simulator's truth (the exact body it meant to send at that moment).
//! Exit status: 0 all good, 1 a success did not match, 2 bad arguments, 3 the
//! deadline passed before every request finished.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use rhombus_sim::{ClockMode, Fault, RandomFaults, SimConfig, SimHandle};
use rhombus_transport::rhombus_model::{Decoder, OwnedResponse};
use rhombus_transport::{Client, Error, ErrorKind, RetryPolicy};

/// Command-line settings.
struct Args {
    requests: u64,
    seed: u64,
    fault_rate: f64,
    concurrency: usize,
    deadline: Duration,
}

impl Args {
    fn parse() -> Result<Args, String> {
        let mut args = Args {
            requests: 500,
            seed: 1,
            fault_rate: 0.3,
            concurrency: 8,
            deadline: Duration::from_secs(120),
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
            let bad = |v: &str| format!("invalid value {v:?} for {flag}");
            match flag.as_str() {
                "--requests" => {
                    let v = value()?;
                    args.requests = v.parse().map_err(|_| bad(&v))?;
                }
                "--seed" => {
                    let v = value()?;
                    args.seed = v.parse().map_err(|_| bad(&v))?;
                }
                "--fault-rate" => {
                    let v = value()?;
                    args.fault_rate = v
                        .parse()
                        .ok()
                        .filter(|p: &f64| (0.0..=1.0).contains(p))
                        .ok_or_else(|| bad(&v))?;
                }
                "--concurrency" => {
                    let v = value()?;
                    args.concurrency = v.parse().ok().filter(|c| *c > 0).ok_or_else(|| bad(&v))?;
                }
                "--deadline" => {
                    let v = value()?;
                    args.deadline = Duration::from_secs(v.parse().map_err(|_| bad(&v))?);
                }
                "-h" | "--help" => return Err(String::new()),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(args)
    }
}

/// The fault menu: the simulator's soak mix plus hangs (attempt timeouts) and a big list.
fn menu(seed: u64, rate: f64) -> RandomFaults {
    let mut faults = RandomFaults::soak(seed, rate);
    faults.menu.extend([Fault::Hang, Fault::BigList(300)]);
    faults
}

/// What one request ended as.
enum Outcome {
    /// Succeeded after `attempts`; `matched` says whether it equals the truth.
    Success { attempts: u32, matched: bool },
    /// Failed after `attempts`.
    Failure { attempts: u32, kind: String },
}

/// One request: fetch, decode, and compare with what the simulator meant to send.
async fn one(client: &Client, sim: &SimHandle, faults: &RandomFaults) -> Outcome {
    let fetched = client
        .fetch_with(|raw| {
            let response = raw.decode_owned(&Decoder::new())?;
            Ok((
                response,
                raw.attempts,
                raw.headers.clone(),
                raw.bytes.clone(),
            ))
        })
        .await;
    match fetched {
        Ok((response, attempts, headers, bytes)) => Outcome::Success {
            attempts,
            matched: matches_truth(sim, faults, &headers, &bytes, &response),
        },
        Err(err) => Outcome::Failure {
            attempts: err.attempts(),
            kind: kind_name(&err),
        },
    }
}

/// Whether the body and its decoding equal the simulator's truth for that moment.
fn matches_truth(
    sim: &SimHandle,
    faults: &RandomFaults,
    headers: &http::HeaderMap,
    bytes: &[u8],
    response: &OwnedResponse,
) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(elapsed) = header("x-rhombus-sim-elapsed-ms").and_then(|v| v.parse().ok()) else {
        return false;
    };
    let fault =
        header("x-rhombus-sim-fault").map(|name| faults.menu.iter().find(|f| f.name() == name));
    let fault = match fault {
        Some(Some(fault)) => Some(fault),
        Some(None) => return false,
        None => None,
    };
    let Some(truth) = sim.success_body_with(Duration::from_millis(elapsed), fault) else {
        return false;
    };
    let Ok(expected) = Decoder::new().decode_owned(truth.clone()) else {
        return false;
    };
    truth == bytes && expected == *response
}

fn kind_name(err: &Error) -> String {
    match err.kind() {
        ErrorKind::Status { status, .. } => format!("status {}", status.as_u16()),
        ErrorKind::Timeout(which) => format!("timeout ({which})"),
        kind => kind.as_str().to_owned(),
    }
}

/// Totals over the run.
#[derive(Default)]
struct Report {
    done: u64,
    succeeded: u64,
    matched: u64,
    attempts: u64,
    failures: BTreeMap<String, u64>,
}

impl Report {
    fn add(&mut self, outcome: Outcome) {
        self.done += 1;
        match outcome {
            Outcome::Success { attempts, matched } => {
                self.succeeded += 1;
                self.matched += u64::from(matched);
                self.attempts += u64::from(attempts);
            }
            Outcome::Failure { attempts, kind } => {
                self.attempts += u64::from(attempts);
                *self.failures.entry(kind).or_default() += 1;
            }
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!(
                "usage: soak [--requests N] [--seed S] [--fault-rate P] [--concurrency C] [--deadline SECONDS]"
            );
            return ExitCode::from(2);
        }
    };
    let config = SimConfig::default().with_clock(ClockMode::Real);
    let scenario = config.scenario.clone().with_seed(args.seed);
    let sim = rhombus_sim::start(config.with_scenario(scenario))
        .await
        .expect("start the simulator");
    let faults = menu(args.seed, args.fault_rate);
    sim.set_random_faults(Some(faults.clone()));
    let client = Client::builder()
        .base_url(sim.url())
        .api_key(sim.api_key())
        .retry_policy(
            RetryPolicy::default()
                .with_backoff(Duration::from_millis(1), Duration::from_millis(20))
                .with_max_retry_after(Duration::from_millis(20)),
        )
        .attempt_timeout(Duration::from_millis(500))
        .operation_timeout(Duration::from_secs(10))
        .build()
        .expect("client for the simulator");

    println!(
        "soak: {} requests, seed {}, fault rate {:.2}, concurrency {}, deadline {:?}",
        args.requests, args.seed, args.fault_rate, args.concurrency, args.deadline
    );
    let started = Instant::now();
    let mut report = Report::default();
    let mut outcomes = futures_util::stream::iter(0..args.requests)
        .map(|_| one(&client, &sim, &faults))
        .buffer_unordered(args.concurrency);
    let finished = tokio::time::timeout(args.deadline, async {
        while let Some(outcome) = outcomes.next().await {
            report.add(outcome);
        }
    })
    .await
    .is_ok();
    drop(outcomes);
    let elapsed = started.elapsed();

    let counters = sim.counters();
    let failed = report.done - report.succeeded;
    println!("requests:  {} finished of {}", report.done, args.requests);
    println!("succeeded: {}   failed: {failed}", report.succeeded);
    println!(
        "attempts:  {} (retries: {}); the simulator saw {} requests",
        report.attempts,
        report.attempts.saturating_sub(report.done),
        counters.total
    );
    let by_kind: Vec<_> = report
        .failures
        .iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect();
    println!(
        "failures by kind: {}",
        if by_kind.is_empty() {
            "none".into()
        } else {
            by_kind.join(", ")
        }
    );
    let injected: Vec<_> = counters
        .by_fault
        .iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect();
    println!("faults injected: {}", injected.join(", "));
    println!(
        "successes matching the simulator's truth: {}/{}",
        report.matched, report.succeeded
    );
    println!("elapsed: {:.2} s", elapsed.as_secs_f64());
    sim.shutdown().await;

    if report.matched != report.succeeded {
        println!(
            "FAIL: {} successful responses did not match",
            report.succeeded - report.matched
        );
        ExitCode::from(1)
    } else if !finished {
        println!("INCOMPLETE: the {:?} deadline passed first", args.deadline);
        ExitCode::from(3)
    } else {
        println!("OK");
        ExitCode::SUCCESS
    }
}
