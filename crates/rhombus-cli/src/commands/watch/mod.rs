//! `rhombus clips watch`: poll, and show each clip's progress until it finishes.
//!
//! The polling and diffing are the transport's [`Client::watch`]; this module
//! tracks what was seen ([`Tracker`]) and shows it: bars on a terminal, one plain
//! line per change when piped, or NDJSON change events.

mod notes;
mod tracker;
mod view;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use rhombus_model::OwnedClip;
use rhombus_transport::{Client, WatchEvent, WatchOptions};

use super::Context;
use super::body::Reading;
use crate::cli::{OutputFormat, WatchArgs};
use crate::config::{Settings, Source};
use crate::error::{CliError, CliResult, ExitCode};
use notes::{Notes, shown};
use rhombus_transport::shorten;
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
    let reading = Reading::Whole;
    let decoder = reading.decoder(false, &args.limits);
    let client = ctx.client(&settings, reading.body_cap(&args.limits), &decoder)?;
    // `output = json` in ~/.rhombus/config is the Go CLI's everyday setting for
    // one-shot calls; it should not turn a watch into an event stream.
    let output = settings
        .output
        .as_ref()
        .filter(|o| o.value == OutputFormat::Ndjson || !matches!(o.source, Source::ConfigFile(_)))
        .map(|o| o.value);
    let how = How {
        scope: match (&args.clip, args.follow) {
            (Some(id), _) => Scope::Clip(id),
            (None, true) => Scope::Follow,
            (None, false) => Scope::FirstPoll,
        },
        interval: args.display.interval,
        mode: mode(ctx, output),
        deadline: Some(args.deadline),
    };
    watch_clips(ctx, &client, &settings.base_url.value, how).await
}

/// What to watch and how to show it.
pub struct How<'a> {
    /// Which clips to wait for.
    pub scope: Scope<'a>,
    /// Time between polls.
    pub interval: Duration,
    /// How changes are shown.
    pub mode: Mode,
    /// When to give up (`None`: never).
    pub deadline: Option<Duration>,
}

/// Polls until done (or the deadline), showing changes in `how.mode`.
///
/// A value that does not fit is warned about once per clip and cause and
/// the watch goes on (the clip's other values stay typed); the exit code
/// says so at the end (3).
pub async fn watch_clips(
    ctx: &Context,
    client: &Client,
    base_url: &str,
    how: How<'_>,
) -> CliResult {
    let scope = how.scope;
    let floor = client
        .retry_policy()
        .backoff(1, 1.0)
        .max(Duration::from_secs(1));
    let interval = if how.interval < floor {
        ctx.warn(format!(
            "polling every {} instead: never faster than the retry policy's base delay",
            humantime::format_duration(floor)
        ));
        floor
    } else {
        how.interval
    };
    let mut watch = client.watch(WatchOptions {
        interval,
        max_consecutive_failures: Some(MAX_FAILED_POLLS),
    });
    let mut tracker = Tracker::default();
    let mut notes = Notes::default();
    let mut view = View::new(how.mode);
    let mut last_warning = None;
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    let deadline = tokio::time::sleep(how.deadline.unwrap_or(Duration::MAX / 4));
    tokio::pin!(deadline);
    loop {
        let event = tokio::select! {
            _ = &mut interrupt => {
                view.finish();
                ctx.note(format!("interrupted; {}", tracker.summary()));
                return Ok(ExitCode::Interrupted);
            }
            _ = &mut deadline => {
                view.finish();
                ctx.note(tracker.summary());
                return Err(gave_up(&tracker, &notes, scope, how.deadline.unwrap_or_default()));
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
            (Some(clip), Scope::Clip(id)) => clip.get().id() == id,
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
            WatchEvent::Polled {
                clips,
                problems,
                warning,
            } => {
                for line in notes.poll(&clips, &problems, |id| tracker.in_scope(scope, id)) {
                    view.warn(ctx, line);
                }
                // Said once, not at every poll, until it changes.
                if warning.is_some() && warning != last_warning {
                    view.warn(
                        ctx,
                        format!(
                            "the Rhombus API says: {}",
                            shorten(warning.as_deref().unwrap_or(""))
                        ),
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
                    return undecoded(&notes);
                }
            }
            _ => {}
        }
    }
}

/// Success, or exit 3 when some value in the answers did not fit.
fn undecoded(notes: &Notes) -> CliResult {
    if notes.undecoded == 0 {
        return Ok(ExitCode::Success);
    }
    Err(CliError::new(
        ExitCode::Decode,
        format!(
            "{} value(s) in the answers did not fit this version's types (kept as sent; \
             see the warnings); the watch went on without them",
            notes.undecoded
        ),
    ))
}

/// The error at the deadline: the clips still waited for, and why some may
/// never end.
fn gave_up(tracker: &Tracker, notes: &Notes, scope: Scope<'_>, after: Duration) -> CliError {
    let pending: Vec<String> = tracker
        .pending(scope)
        .take(5)
        .map(|clip| match notes.why_pending(clip) {
            Some(why) => format!("{} ({why})", shown(clip.get().id())),
            None => shown(clip.get().id()),
        })
        .collect();
    let count = tracker.pending(scope).count();
    let more = count.saturating_sub(pending.len());
    let mut message = format!(
        "gave up after {} (--deadline) with {count} clip(s) not finished",
        humantime::format_duration(after)
    );
    if !pending.is_empty() {
        message.push_str(&format!(": {}", pending.join(", ")));
    }
    if more > 0 {
        message.push_str(&format!(" and {more} more"));
    }
    CliError::new(ExitCode::Failure, message)
        .with_hint("raise --deadline to wait longer; `rhombus clips ls` shows where they are")
}

/// The clip an event is about.
fn event_clip(event: &WatchEvent) -> Option<&OwnedClip> {
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

    use std::sync::Arc;

    use rhombus_model::{DecodeError, Decoder, OwnedClip};

    /// A clip with an id, a status and counts.
    pub fn clip(id: &str, status: &str, up: i32, total: i32) -> OwnedClip {
        titled(id, status, up, total, None)
    }

    /// [`clip`] with a title.
    pub fn titled(id: &str, status: &str, up: i32, total: i32, title: Option<&str>) -> OwnedClip {
        let json = serde_json::json!({
            "clipUuid": id, "status": status, "segmentsUploaded": up,
            "totalSegments": total, "title": title,
        });
        OwnedClip::parse(json.to_string().as_bytes()).expect("a clip")
    }

    /// The clips of a response body, and its problems, as a poll sees them.
    pub fn clips(body: &[u8]) -> (Vec<OwnedClip>, Vec<DecodeError>) {
        let owned = Decoder::new().decode_owned(body).expect("decodes");
        let problems = owned.problems().to_vec();
        (OwnedClip::all(&Arc::new(owned)), problems)
    }
}
