//! Decode a saved `getSplicedClipsInProgress` response and summarise it.
//!
//! ```console
//! $ cargo run -p rhombus-model --example decode_file -- response.json
//! ```
//!
//! Tolerant: clips that do not decode are reported with their JSON path and the
//! others are still shown.

use std::process::ExitCode;

use rhombus_model::{FindDrift, decode_tolerant};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: decode_file RESPONSE.json");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let decoded = match decode_tolerant(&bytes) {
        Ok(decoded) => decoded,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    for failure in &decoded.failures {
        eprintln!("{path}: clip {} skipped: {}", failure.index, failure.error);
    }
    let response = match decoded.response.into_result() {
        Ok(response) => response,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(warning) = response.warning() {
        eprintln!("warning: {warning}");
    }
    for clip in response.clips() {
        let status = clip.status.as_ref().map_or("-", |s| s.as_str());
        let progress = clip
            .progress()
            .map(|p| format!("{}/{} {}%", p.uploaded, p.total, p.percent().unwrap_or(0)))
            .unwrap_or_else(|| "-".to_owned());
        let title = clip.title.as_deref().unwrap_or("");
        println!("{:<22}  {status:<10}  {progress:<16}  {title}", clip.id());
    }
    for drift in response.drift() {
        eprintln!("note: {drift}");
    }
    ExitCode::SUCCESS
}
