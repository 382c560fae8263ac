//! `cargo xtask`: repository automation (one binary, few dependencies).
//!
//! Each task lives in its own module with its clap arguments and a
//! `run(args) -> Result<(), String>` entry point; this file only dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod api;
mod bench;
mod ci;
mod fuzz;
mod package;
mod release;
mod rss;
mod shell;
mod soak;
mod tools;

/// Repository automation for rhombus-rs.
#[derive(Parser)]
#[command(bin_name = "cargo xtask")]
struct Xtask {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Every check of .ci/run: fmt, clippy, MSRV, tests (both CLI builds),
    /// docs, dependency trees, unused deps, packaging, semver, short fuzzing
    Ci(ci::Options),
    /// Fuzz every target for N seconds after replaying the corpus and past crashes
    Fuzz(fuzz::Args),
    /// Write a generated getSplicedClipsInProgress payload (--clips N | --size 16MiB)
    #[command(disable_help_flag = true)]
    Gen {
        /// Passed to the generator.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Run the parse benchmarks and write target/bench-report/
    Bench(bench::Args),
    /// Peak memory of the release CLI on hostile and huge inputs (each ≤ 512 MiB)
    Rss(rss::Args),
    /// Run the transport soak example against the local simulator
    Soak(soak::Args),
    /// Semver-check the public API against the last release tag (cargo-semver-checks)
    Api(api::Args),
    /// Release every crate together with cargo-release: bump, date the
    /// changelog, commit, tag, publish in dependency order
    Release(release::Args),
}

fn main() -> ExitCode {
    let result = match Xtask::parse().task {
        Task::Ci(options) => ci::run(&options),
        Task::Fuzz(args) => fuzz::run(&args),
        Task::Rss(args) => rss::run(&args),
        // The generator lives in the bench crate: build it in release mode, pass the arguments through.
        Task::Gen { args } => shell::run(
            shell::cargo()
                .args(["run", "--quiet", "--release", "-p", "rhombus-benches"])
                .args(["--bin", "gen", "--"])
                .args(args),
        ),
        Task::Bench(args) => bench::run(&args),
        Task::Soak(args) => soak::run(&args),
        Task::Api(args) => api::run(&args),
        Task::Release(args) => release::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("xtask: {msg}");
            ExitCode::FAILURE
        }
    }
}
