//! `-v`: the request log on stderr through tracing (keys are never logged).

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// Installs the stderr logger for `-v` (our crates at debug) and `-vv` (plus the
/// HTTP stack at debug). Without `-v`, nothing is logged.
pub fn init(verbose: u8, ansi: bool) {
    if verbose == 0 {
        return;
    }
    let ours = if verbose >= 2 {
        LevelFilter::TRACE
    } else {
        LevelFilter::DEBUG
    };
    let mut targets = Targets::new()
        .with_target("rhombus_transport", ours)
        .with_target("rhombus_cli", ours)
        .with_target("rhombus", ours)
        .with_target("rhombus_sim", LevelFilter::INFO);
    if verbose >= 2 {
        targets = targets
            .with_target("reqwest", LevelFilter::DEBUG)
            .with_target("hyper_util", LevelFilter::DEBUG);
    }
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_target(false);
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(targets))
        .try_init();
}
