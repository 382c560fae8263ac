//! Serves a preset on real time until killed:
//! `cargo run -p rhombus-sim --example serve -- [default|demo|busy] [PORT]`.

use rhombus_sim::{ClockMode, Scenario, SimConfig};
use std::net::SocketAddr;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let preset = args.next().unwrap_or_else(|| "demo".into());
    let Some(scenario) = Scenario::preset(&preset) else {
        eprintln!(
            "unknown preset {preset:?}; try one of {:?}",
            Scenario::PRESETS
        );
        std::process::exit(2);
    };
    let port = args.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    let config = SimConfig::default()
        .with_addr(SocketAddr::from(([127, 0, 0, 1], port)))
        .with_clock(ClockMode::Real)
        .with_scenario(scenario.starting_now());
    let sim = rhombus_sim::start(config).await?;
    println!("rhombus-sim ({preset}) at {}", sim.url());
    println!(
        "try: curl -s -X POST {}/api/video/getSplicedClipsInProgress \\\n  -H 'x-auth-apikey: {}' -H 'x-auth-scheme: api-token' -d '{{}}'",
        sim.url(),
        rhombus_sim::DEFAULT_API_KEY
    );
    std::future::pending::<()>().await;
    Ok(())
}
