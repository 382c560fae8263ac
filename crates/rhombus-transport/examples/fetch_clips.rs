//! Lists the spliced clips in progress once.
//!
//! `cargo run -p rhombus-transport --example fetch_clips` (against a local simulator),
//! or with `RHOMBUS_API_KEY=...` against the real API.

mod common;

use rhombus_transport::rhombus_model::Decoder;
use std::process::ExitCode;

use rhombus_transport::DisplayErrorContext;

#[tokio::main]
async fn main() -> ExitCode {
    let target = match common::target().await {
        Ok(target) => target,
        Err(err) => {
            eprintln!("error: {}", DisplayErrorContext(&err));
            return ExitCode::FAILURE;
        }
    };
    // Zero-copy: keep the body, borrow every string from it.
    let raw = match target.client.fetch_raw().await {
        Ok(raw) => raw,
        Err(err) => {
            eprintln!("error: {}", DisplayErrorContext(&err));
            return ExitCode::FAILURE;
        }
    };
    let mut decoder = Decoder::new();
    let response = match raw.decode(&mut decoder) {
        Ok(response) => response,
        Err(err) => {
            eprintln!("error: {}", DisplayErrorContext(&err));
            return ExitCode::FAILURE;
        }
    };
    if let Some(warning) = response.warning() {
        eprintln!("warning: {warning}");
    }
    for problem in &response.problems {
        eprintln!("warning: {problem}");
    }
    println!(
        "{} clips in progress ({} bytes from {}):",
        response.clips().count(),
        raw.bytes.len(),
        raw.endpoint.path()
    );
    for clip in response.clips() {
        let status = clip.status.map_or("-", |s| s.as_str());
        let progress = clip
            .progress()
            .and_then(|p| p.percent())
            .map_or_else(|| "-".to_owned(), |p| format!("{p}%"));
        let title = clip.title.unwrap_or("");
        println!("  {:<22}  {status:<10}  {progress:>4}  {title}", clip.id());
    }
    drop(target.sim);
    ExitCode::SUCCESS
}
