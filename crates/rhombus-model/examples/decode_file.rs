//! Decodes a saved response and prints each clip's progress, then every
//! value that did not fit, with its path.
//!
//! `cargo run -p rhombus-model --example decode_file -- response.json`

use std::process::ExitCode;

use rhombus_model::Decoder;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: decode_file <response.json>");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(err) => {
            eprintln!("error: {path}: {err}");
            return ExitCode::from(2);
        }
    };
    let mut decoder = Decoder::new();
    let decoded = match decoder.decode_reader(std::io::BufReader::new(file)) {
        Ok(decoded) => decoded,
        Err(err) => {
            eprintln!("error: {path}: {err}");
            return ExitCode::FAILURE;
        }
    };
    for clip in decoded.clips() {
        let percent = clip.progress().and_then(|p| p.percent());
        let status = clip.status.map_or("-", |s| s.as_str());
        println!("{} {status} {percent:?}", clip.id());
    }
    for problem in &decoded.problems {
        eprintln!("warning: {problem}");
    }
    ExitCode::from(if decoded.problems.is_empty() { 0 } else { 3 })
}
