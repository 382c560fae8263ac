//! `cargo xtask`: repository automation (one binary, few dependencies).

use std::process::ExitCode;

mod bench;
mod generate;
mod shell;

const USAGE: &str = "usage: cargo xtask <command> [args]

commands:
  gen     write a generated getSplicedClipsInProgress payload (--clips N | --size 16MiB)
  bench   run the parse benchmarks and write target/bench-report/ [--quick]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "gen" => generate::run(rest),
        "bench" => bench::run(rest),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("xtask: {msg}");
            ExitCode::FAILURE
        }
    }
}
