//! `paired FILE [ROUNDS] [REPS]`: decodes FILE with every method in
//! interleaved rounds (see `rhombus_benches::paired`) and prints one JSON
//! object: `{"bytes": N, "rounds": R, "rates": {"<method>": [MB/s per round]}}`.

use std::process::ExitCode;

use rhombus_benches::paired::measure;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(rounds), Some(reps)) = (
        args.first(),
        args.get(1).map_or(Some(15), |s| s.parse::<usize>().ok()),
        args.get(2).map_or(Some(3), |s| s.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: paired FILE [ROUNDS] [REPS]");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("paired: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rounds = rounds.max(1);
    let Some(result) = measure(&bytes, rounds, reps) else {
        eprintln!("paired: a method decoded no clips from {path}");
        return ExitCode::FAILURE;
    };
    let rates: serde_json::Map<String, serde_json::Value> = result
        .rates
        .iter()
        .map(|(m, r)| (m.id().to_owned(), serde_json::json!(r)))
        .collect();
    println!(
        "{}",
        serde_json::json!({ "bytes": bytes.len(), "rounds": rounds, "rates": rates })
    );
    ExitCode::SUCCESS
}
