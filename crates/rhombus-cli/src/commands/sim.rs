//! `rhombus sim`: the simulator on loopback, until Ctrl-C (or `--for`).

use std::io::Write;
use std::net::SocketAddr;

use rhombus_sim::{ClockMode, RandomFaults, Scenario, SimConfig};

use super::Context;
use crate::cli::{SimArgs, SimPreset};
use crate::error::{CliError, CliResult, ExitCode};

/// Starts the simulator, prints its URL and a command to try, and serves.
pub async fn run(ctx: &Context, args: &SimArgs) -> CliResult {
    let mut scenario = match args.preset {
        SimPreset::Office => Scenario::default(),
        SimPreset::Demo => Scenario::demo(),
    }
    .starting_now();
    if let Some(seed) = args.seed {
        scenario = scenario.with_seed(seed);
    }
    let seed = scenario.seed;
    let config = SimConfig::default()
        .with_addr(SocketAddr::from(([127, 0, 0, 1], args.port)))
        .with_clock(ClockMode::Real)
        .with_scenario(scenario)
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
        sim.set_random_faults(Some(RandomFaults::soak(seed, fault_rate)));
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
        "simulated Rhombus API ({:?} preset, seed {seed}, fault rate {fault_rate}) on {}; Ctrl-C to stop",
        args.preset,
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
