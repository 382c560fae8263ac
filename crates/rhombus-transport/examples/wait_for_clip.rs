//! Waits for one clip to finish, printing what changes meanwhile.
//!
//! `cargo run -p rhombus-transport --example wait_for_clip [CLIP_UUID]`: against a
//! local simulator (then the clip defaults to the first one in flight), or with
//! `RHOMBUS_API_KEY=...` against the real API (then the clip uuid is required).

mod common;

use std::process::ExitCode;
use std::time::Duration;

use rhombus_transport::{Client, ClipOutcome, DisplayErrorContext, Error, WatchOptions};

/// Gives up after this long.
const LIMIT: Duration = Duration::from_secs(600);

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", DisplayErrorContext(&err));
            ExitCode::FAILURE
        }
    }
}

/// The first clip not yet finished, looking a few times (the demo starts empty).
async fn first_in_flight(client: &Client) -> Result<Option<String>, Error> {
    for _ in 0..10 {
        let response = client.spliced_clips().await?;
        if let Some(clip) = response.response().clips().find(|c| !c.is_terminal()) {
            return Ok(Some(clip.id().to_owned()));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(None)
}

async fn run() -> Result<ExitCode, Error> {
    let target = common::target().await?;
    let clip = match std::env::args().nth(1) {
        Some(uuid) => uuid,
        None => match first_in_flight(&target.client).await? {
            Some(uuid) => uuid,
            None => {
                eprintln!("no clip in progress; pass a clip uuid");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let interval = if target.sim.is_some() { 1 } else { 5 };
    let options = WatchOptions {
        interval: Duration::from_secs(interval),
        ..WatchOptions::default()
    };
    println!("waiting for clip {clip} (polling every {interval} s)");
    let outcome = tokio::time::timeout(LIMIT, target.client.wait_for_clip(&clip, options)).await;
    match outcome {
        Ok(Ok(ClipOutcome::Terminal(done))) => {
            let status = done.get().status.map_or("-", |s| s.as_str());
            println!("clip {clip} finished: {status}");
            Ok(ExitCode::SUCCESS)
        }
        Ok(Ok(ClipOutcome::Disappeared(_))) => {
            println!("clip {clip} left the list before a final status was seen");
            Ok(ExitCode::SUCCESS)
        }
        Ok(Ok(other)) => {
            println!("clip {clip}: {other:?}");
            Ok(ExitCode::SUCCESS)
        }
        Ok(Err(err)) => Err(err),
        Err(_) => {
            eprintln!("gave up after {LIMIT:?}");
            Ok(ExitCode::FAILURE)
        }
    }
}
