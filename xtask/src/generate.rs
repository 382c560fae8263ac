//! `cargo xtask gen`: the payload generator lives in the bench crate; this
//! builds it in release mode and passes the arguments through.

use crate::shell;

/// Runs the generator with `args` (`--clips N | --size 16MiB [--seed S] [-o FILE]`).
pub fn run(args: &[String]) -> Result<(), String> {
    shell::run(
        shell::cargo()
            .args([
                "run",
                "--quiet",
                "--release",
                "-p",
                "rhombus-benches",
                "--bin",
                "gen",
                "--",
            ])
            .args(args),
    )
}
