//! `rhombus sim`: the simulator on loopback, until Ctrl-C (or `--for`).

use std::io::Write;
use std::net::SocketAddr;

use rhombus_sim::{ClockMode, RandomFaults, RateLimit, Scenario, SimConfig};

use super::Context;
use crate::cli::{SimArgs, SimPreset};
use crate::error::{CliError, CliResult, ExitCode};

/// Starts the simulator, prints its URL and a command to try, and serves.
pub async fn run(ctx: &Context, args: &SimArgs) -> CliResult {
    let mut scenario = match args.preset {
        SimPreset::Office => Scenario::default(),
        SimPreset::Demo => Scenario::demo(),
        SimPreset::Busy => Scenario::busy(),
    }
    .starting_now();
    if let Some(seed) = args.seed {
        scenario = scenario.with_seed(seed);
    }
    let seed = scenario.seed;
    let clock = match args.speed {
        1 => ClockMode::Real,
        factor => ClockMode::Fast(factor),
    };
    let rate_limit = args
        .rate_limit
        .map(|rate| RateLimit::new(args.burst, rate).with_retry_after(args.retry_after));
    let config = SimConfig::default()
        .with_addr(SocketAddr::from(([127, 0, 0, 1], args.port)))
        .with_clock(clock)
        .with_scenario(scenario)
        .with_shape(args.shapes)
        .with_rate_limit(rate_limit)
        .with_api_key(args.accept_key.clone());
    let fault_rate = args.fault_rate;
    let sim = rhombus_sim::start(config).await.map_err(|e| {
        CliError::new(
            ExitCode::Failure,
            format!("cannot listen on 127.0.0.1:{}: {e}", args.port),
        )
        .with_hint("pick another --port, or 0 for any free one")
    })?;
    if fault_rate > 0.0 {
        let mut random = RandomFaults::soak(seed, fault_rate);
        if !args.random_faults.is_empty() {
            random.menu.clone_from(&args.random_faults);
        }
        sim.set_random_faults(Some(random));
    }
    sim.push_faults(args.faults.iter().cloned());
    for &(path, status) in &args.path_status {
        sim.set_path_status(path, Some(status));
    }
    let mut out = ctx.stdout();
    writeln!(out, "{}", sim.url())?;
    writeln!(
        out,
        "rhombus --endpoint-url {} --api-key {} clips watch",
        sim.url(),
        args.accept_key
    )?;
    out.flush()?;
    drop(out);
    ctx.note(format!(
        "simulated Rhombus API ({:?} preset, {} shapes, seed {seed}, fault rate {fault_rate}, {} scripted faults, clock x{}) on {}; Ctrl-C to stop",
        args.preset,
        args.shapes,
        args.faults.len(),
        args.speed,
        sim.url()
    ));
    let stop = async {
        match args.run_for {
            Some(d) => tokio::time::sleep(d).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = stop => {}
    }
    sim.shutdown().await;
    Ok(ExitCode::Success)
}
