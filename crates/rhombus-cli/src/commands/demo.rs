//! `rhombus demo`: the simulator's demo preset and `clips watch`, in one process.

use rhombus_sim::SimConfig;
use rhombus_transport::ClientBuilder;

use super::Context;
use super::watch::{How, Scope, mode, watch_clips};
use crate::cli::DemoArgs;
use crate::error::{CliError, CliResult, ExitCode};

/// The longest the demo may run.
const DEMO_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The key the demo's simulator accepts (nothing secret: it is local).
const DEMO_KEY: &str = "demo";

/// Runs the demo: five simulated clips, watched until they all finish (~20 s).
pub async fn run(ctx: &Context, args: &DemoArgs) -> CliResult {
    let sim = rhombus_sim::start(SimConfig::demo().with_api_key(DEMO_KEY))
        .await
        .map_err(|e| {
            CliError::new(
                ExitCode::Failure,
                format!("cannot start the simulator: {e}"),
            )
        })?;
    let url = sim.url();
    ctx.note(format!(
        "rhombus demo: a simulated Rhombus API on {url} is splicing 5 clips; watching them (about 20 s)"
    ));
    let client = ClientBuilder::new()
        .base_url(url.clone())
        .api_key(DEMO_KEY)
        .build()
        .map_err(|e| CliError::from_transport(&e, &url))?;
    let how = How {
        scope: Scope::Follow,
        interval: args.interval,
        mode: mode(ctx, ctx.global.output),
        // The demo's own limit, below, says what went wrong in its words.
        deadline: None,
    };
    let watch = watch_clips(ctx, &client, &url, how);
    // The demo's clips all end within ~20 s; never let a newcomer wait forever.
    let result = match tokio::time::timeout(DEMO_LIMIT, watch).await {
        Ok(result) => result,
        Err(_) => Err(CliError::new(
            ExitCode::Failure,
            format!(
                "the demo did not finish within {}",
                humantime::format_duration(DEMO_LIMIT)
            ),
        )),
    };
    sim.shutdown().await;
    if result.is_ok() {
        ctx.note(
            "that was a simulator; try it yourself with `rhombus sim`, or with a real key:\n  RHOMBUS_API_KEY=... rhombus clips watch",
        );
    }
    result
}
