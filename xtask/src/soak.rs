//! `cargo xtask soak [--requests N]`: the transport's soak example against the
//! local simulator, in release mode.

use crate::shell;

/// `cargo xtask soak`: runs `cargo run --release -p rhombus-transport
/// --example soak`; the example's defaults apply to what is not given.
#[derive(clap::Args)]
pub struct Args {
    /// How many requests
    #[arg(long, value_name = "N")]
    requests: Option<u64>,
    /// Seed of the faults
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
}

/// Runs the task.
pub fn run(args: &Args) -> Result<(), String> {
    let mut cmd = shell::cargo();
    cmd.args(["run", "--release", "-p", "rhombus-transport"])
        .args(["--example", "soak", "--"]);
    for (option, value) in [("--requests", args.requests), ("--seed", args.seed)] {
        if let Some(value) = value {
            cmd.arg(option).arg(value.to_string());
        }
    }
    shell::run(&mut cmd)
}
