//! `cargo xtask`: repository automation (one binary, few dependencies).
//!
//! Each task lives in its own module with a `run(&[String]) -> Result<(), String>`
//! entry point; this file only dispatches.

use std::process::ExitCode;

mod api;
mod bench;
mod ci;
mod flags;
mod fuzz;
mod generate;
mod release;
mod shell;
mod soak;
mod tools;

/// A task: name, one-line summary, entry point.
type Task = (
    &'static str,
    &'static str,
    fn(&[String]) -> Result<(), String>,
);

const TASKS: &[Task] = &[
    (
        "ci",
        "run every check of .ci/run: fmt, clippy, MSRV, tests (both CLI builds), docs, dependency trees, unused deps, packaging, semver, short fuzzing",
        ci::run,
    ),
    (
        "fuzz",
        "fuzz every target for N seconds after replaying the corpus and past crashes [--seconds N] [--replay] [TARGET...]",
        fuzz::run,
    ),
    (
        "gen",
        "write a generated getSplicedClipsInProgress payload (--clips N | --size 16MiB)",
        generate::run,
    ),
    (
        "bench",
        "run the parse benchmarks and write target/bench-report/ [--quick]",
        bench::run,
    ),
    (
        "soak",
        "run the transport soak example against the local simulator [--requests N] [--seed S]",
        soak::run,
    ),
    (
        "api",
        "semver-check the public API against the last release tag (cargo-semver-checks) [--check]",
        api::run,
    ),
    (
        "release",
        "cargo-release every crate together: bump, date the changelog, commit, tag, publish <major|minor|patch|X.Y.Z> [--dry-run]",
        release::run,
    ),
];

fn usage() -> String {
    let mut text = String::from(
        "usage: cargo xtask <task> [args]   (cargo xtask <task> --help for details)\n\ntasks:\n",
    );
    for (name, summary, _) in TASKS {
        text.push_str(&format!("  {name:<8} {summary}\n"));
    }
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{}", usage());
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "-h" | "--help" | "help" => {
            shell::print(&usage());
            Ok(())
        }
        name => match TASKS.iter().find(|(n, _, _)| *n == name) {
            Some((_, _, run)) => run(rest),
            None => Err(format!("unknown task {name:?}\n{}", usage())),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("xtask: {msg}");
            ExitCode::FAILURE
        }
    }
}
