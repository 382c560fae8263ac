//! `rhombus clips watch`: poll, and show each clip's progress until it finishes.
//!
//! The polling and diffing are the transport's [`Client::watch`]; this module
//! tracks what was seen ([`Tracker`]) and shows it: bars on a terminal, one plain
//! line per change when piped, or NDJSON change events.

mod tracker;
mod view;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use rhombus_model::SplicedClip;
use rhombus_transport::{Client, WatchEvent, WatchOptions};

use super::Context;
use crate::cli::{OutputFormat, WatchArgs};
use crate::config::{Settings, Source};
use crate::error::{CliError, CliResult, ExitCode};
use tracker::Tracker;
use view::View;

/// Failed polls in a row before giving up (each poll already retries).
const MAX_FAILED_POLLS: u32 = 5;

/// How changes are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// indicatif bars on stderr (stdout and stderr are terminals).
    Bars,
    /// One plain line per change on stdout.
    Lines,
    /// One JSON change event per line on stdout.
    Ndjson,
    /// Nothing but errors (`--quiet` on a terminal).
    Silent,
}

/// Which clips the watch waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    /// The clips of the first poll.
    FirstPoll,
    /// Every clip seen, including ones that appear later.
    Follow,
    /// One clip.
    Clip(&'a str),
}

/// Picks the mode: NDJSON when asked for JSON, bars on a terminal, lines otherwise.
pub fn mode(ctx: &Context, output: Option<OutputFormat>) -> Mode {
    match output {
        Some(OutputFormat::Ndjson | OutputFormat::Json) => Mode::Ndjson,
        _ if ctx.stdout_tty && ctx.global.quiet => Mode::Silent,
        _ if ctx.stdout_tty && ctx.stderr_tty => Mode::Bars,
        _ => Mode::Lines,
    }
}

/// Watches the clips of the resolved settings.
pub async fn run(ctx: &Context, args: &WatchArgs) -> CliResult {
    let settings: Settings = ctx.settings()?;
    let client = ctx.client(&settings)?;
    // `output = json` in ~/.rhombus/config is the Go CLI's everyday setting for
    // one-shot calls; it should not turn a watch into an event stream.
    let output = settings
        .output
        .as_ref()
        .filter(|o| o.value == OutputFormat::Ndjson || !matches!(o.source, Source::ConfigFile(_)))
        .map(|o| o.value);
    watch_clips(
        ctx,
        &client,
        &settings.base_url.value,
        match (&args.clip, args.follow) {
            (Some(id), _) => Scope::Clip(id),
            (None, true) => Scope::Follow,
            (None, false) => Scope::FirstPoll,
        },
        args.display.interval,
        mode(ctx, output),
    )
    .await
}

/// Polls until done, showing changes in `mode`.
pub async fn watch_clips(
    ctx: &Context,
    client: &Client,
    base_url: &str,
    scope: Scope<'_>,
    interval: Duration,
    mode: Mode,
) -> CliResult {
    let floor = client
        .retry_policy()
        .backoff(1, 1.0)
        .max(Duration::from_secs(1));
    let interval = if interval < floor {
        ctx.warn(format!(
            "polling every {} instead: never faster than the retry policy's base delay",
            humantime::format_duration(floor)
        ));
        floor
    } else {
        interval
    };
    let mut watch = client.watch(WatchOptions {
        interval,
        max_consecutive_failures: Some(MAX_FAILED_POLLS),
    });
    let mut tracker = Tracker::default();
    let mut view = View::new(mode);
    let mut last_warning = None;
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    loop {
        let event = tokio::select! {
            _ = &mut interrupt => {
                view.finish();
                ctx.note(format!("interrupted; {}", tracker.summary()));
                return Ok(ExitCode::Interrupted);
            }
            event = watch.next() => event,
        };
        let Some(event) = event else {
            view.finish();
            return Err(CliError::new(
                ExitCode::Failure,
                "the watch ended unexpectedly",
            ));
        };
        let now = Instant::now();
        let relevant = match (event_clip(&event), scope) {
            (Some(clip), Scope::Clip(id)) => clip.id() == id,
            _ => true,
        };
        if relevant {
            tracker.apply(&event, now);
            view.show(&event, &tracker, now)?;
        }
        match event {
            WatchEvent::PollFailed {
                error, fatal: true, ..
            } => {
                view.finish();
                return Err(CliError::from_transport(&error, base_url));
            }
            WatchEvent::PollFailed {
                error, consecutive, ..
            } => view.warn(
                ctx,
                format!(
                    "poll failed ({consecutive} in a row), polling again: {}",
                    CliError::from_transport(&error, base_url).message
                ),
            ),
            WatchEvent::Polled { warning, .. } => {
                // Said once, not at every poll, until it changes.
                if warning.is_some() && warning != last_warning {
                    view.warn(
                        ctx,
                        format!("the Rhombus API says: {}", warning.as_deref().unwrap_or("")),
                    );
                }
                last_warning = warning;
                if let Scope::Clip(id) = scope {
                    if tracker.never_saw(id) {
                        view.finish();
                        return Err(CliError::new(
                            ExitCode::Failure,
                            format!("clip {id} is not among the clips in progress"),
                        )
                        .with_hint(
                            "it may have finished and left the list, or the id is mistyped; \
                             `rhombus clips ls` lists the clips in progress",
                        ));
                    }
                }
                if tracker.done(scope) {
                    view.finish();
                    ctx.note(tracker.summary());
                    return Ok(ExitCode::Success);
                }
            }
            _ => {}
        }
    }
}

/// The clip an event is about.
fn event_clip(event: &WatchEvent) -> Option<&SplicedClip<'static>> {
    match event {
        WatchEvent::Appeared(clip)
        | WatchEvent::StatusChanged { clip, .. }
        | WatchEvent::ProgressAdvanced { clip, .. }
        | WatchEvent::Terminal(clip)
        | WatchEvent::Disappeared(clip) => Some(clip),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Clips for the watch tests.

    use rhombus_model::SplicedClip;

    /// A clip with an id, a status and counts.
    pub fn clip(id: &str, status: &str, up: i32, total: i32) -> SplicedClip<'static> {
        let mut clip = SplicedClip::default();
        clip.clip_uuid = Some(id.to_owned().into());
        clip.status = Some(rhombus_model::ClipStatus::parse(status.to_owned()));
        clip.segments_uploaded = Some(up);
        clip.total_segments = Some(total);
        clip
    }
}
