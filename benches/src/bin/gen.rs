//! `gen --clips N | --size 16MiB [--seed S] [-o FILE]`: writes a generated
//! response to FILE (or stdout) in constant memory.

use std::io::Write;
use std::process::ExitCode;

use rhombus_benches::payload::{Amount, DEFAULT_SEED, parse_size, write_response};

const USAGE: &str = "usage: gen (--clips N | --size SIZE) [--seed S] [-o FILE]\n  SIZE: bytes or 512KiB, 16MiB, 2GiB";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("gen: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let mut amount = None;
    let mut seed = DEFAULT_SEED;
    let mut output = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--clips" => {
                let n = value()?;
                amount = Some(Amount::Clips(
                    n.parse().map_err(|_| format!("bad clip count {n:?}"))?,
                ));
            }
            "--size" => {
                let s = value()?;
                amount = Some(Amount::Bytes(
                    parse_size(&s).ok_or_else(|| format!("bad size {s:?}"))?,
                ));
            }
            "--seed" => {
                let s = value()?;
                seed = s.parse().map_err(|_| format!("bad seed {s:?}"))?;
            }
            "-o" | "--output" => output = Some(value()?),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    let amount = amount.ok_or_else(|| USAGE.to_owned())?;
    let written = match &output {
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
            write_response(file, amount, seed).map_err(|e| format!("{path}: {e}"))?
        }
        None => {
            let stdout = std::io::stdout().lock();
            let n = write_response(stdout, amount, seed).map_err(|e| e.to_string())?;
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            n
        }
    };
    eprintln!(
        "gen: wrote {written} bytes to {}",
        output.as_deref().unwrap_or("stdout")
    );
    Ok(())
}
