//! `rhombus clips watch`: poll, and show each clip's progress until it finishes.
//!
//! The polling and diffing are the transport's [`Client::watch`]; this module
//! tracks what was seen ([`Tracker`]) and shows it: bars on a terminal, one plain
//! line per change when piped, or NDJSON change events.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rhombus_model::{Progress, SplicedClip};
use rhombus_transport::{Client, WatchEvent, WatchOptions};
use serde_json::json;

use super::Context;
use crate::cli::{OutputFormat, WatchArgs};
use crate::config::{Settings, Source};
use crate::error::{CliError, CliResult, ExitCode};
use crate::output::text::{fit, progress as progress_text, sanitize, truncate};

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

/// What is known about one clip.
struct Seen {
    clip: SplicedClip<'static>,
    first: (Instant, u64),
    finished: bool,
    gone: bool,
    /// Seen in the first poll.
    initial: bool,
    /// Already terminal when first seen (its `Terminal` event says nothing new).
    born_terminal: bool,
}

/// Every clip seen so far, in the order they appeared.
#[derive(Default)]
pub struct Tracker {
    order: Vec<String>,
    clips: HashMap<String, Seen>,
    polls: u64,
}

impl Tracker {
    fn update(&mut self, clip: &SplicedClip<'static>, now: Instant) {
        let uploaded = clip.progress().map_or(0, |p| p.uploaded);
        match self.clips.get_mut(clip.id()) {
            Some(seen) => seen.clip = clip.clone(),
            None => {
                self.order.push(clip.id().to_owned());
                self.clips.insert(
                    clip.id().to_owned(),
                    Seen {
                        clip: clip.clone(),
                        first: (now, uploaded),
                        finished: false,
                        gone: false,
                        initial: self.polls == 0,
                        born_terminal: clip.is_terminal(),
                    },
                );
            }
        }
    }

    /// Records one event.
    fn apply(&mut self, event: &WatchEvent, now: Instant) {
        match event {
            WatchEvent::Appeared(clip)
            | WatchEvent::StatusChanged { clip, .. }
            | WatchEvent::ProgressAdvanced { clip, .. } => self.update(clip, now),
            WatchEvent::Terminal(clip) => {
                self.update(clip, now);
                if let Some(seen) = self.clips.get_mut(clip.id()) {
                    seen.finished = true;
                }
            }
            WatchEvent::Disappeared(clip) => {
                if let Some(seen) = self.clips.get_mut(clip.id()) {
                    seen.gone = true;
                }
            }
            WatchEvent::Polled { .. } => self.polls += 1,
            _ => {}
        }
    }

    /// Whether the watch is over: every clip in `scope` finished or gone (after at
    /// least one poll; a first poll with no clips ends it at once).
    fn done(&self, scope: Scope<'_>) -> bool {
        let over = |s: &Seen| s.finished || s.gone;
        match scope {
            Scope::Clip(id) => self.clips.get(id).is_some_and(over),
            Scope::Follow => self.polls > 0 && self.clips.values().all(over),
            Scope::FirstPoll => {
                self.polls > 0 && self.clips.values().filter(|s| s.initial).all(over)
            }
        }
    }

    /// The estimated time left for a clip, from its upload rate since first seen.
    fn eta(&self, clip: &SplicedClip<'_>, now: Instant) -> Option<Duration> {
        if clip.is_terminal() {
            return None;
        }
        let seen = self.clips.get(clip.id())?;
        let progress = clip.progress()?;
        eta(seen.first, (now, progress.uploaded), progress.total)
    }

    /// `3 clips: 2 COMPLETE, 1 FAILED` (counts by last status, in first-seen order).
    fn summary(&self) -> String {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for id in &self.order {
            let seen = &self.clips[id];
            let label = match (&seen.clip.status, seen.gone && !seen.finished) {
                (_, true) => "gone".to_owned(),
                (Some(status), false) => sanitize(status.as_str()),
                (None, false) => "no status".to_owned(),
            };
            match counts.iter_mut().find(|(l, _)| *l == label) {
                Some((_, n)) => *n += 1,
                None => counts.push((label, 1)),
            }
        }
        let parts: Vec<String> = counts.iter().map(|(l, n)| format!("{n} {l}")).collect();
        match self.order.len() {
            0 => "no clips in progress".to_owned(),
            1 => format!("1 clip: {}", parts.join(", ")),
            n => format!("{n} clips: {}", parts.join(", ")),
        }
    }
}

/// Time left at the average rate between `first` and `now` (instant, segments uploaded).
pub fn eta(first: (Instant, u64), now: (Instant, u64), total: u64) -> Option<Duration> {
    let elapsed = now.0.checked_duration_since(first.0)?;
    let done = now.1.checked_sub(first.1)?;
    if done == 0 || elapsed.is_zero() || now.1 >= total {
        return None;
    }
    let left = (total - now.1) as f64;
    let secs = elapsed.as_secs_f64() * left / done as f64;
    (secs.is_finite() && secs < 86_400.0 * 365.0).then(|| Duration::from_secs(secs.ceil() as u64))
}

/// Up to three devices as `DEVAAA.v0 3/10`, then `+N more`.
fn device_detail(clip: &SplicedClip<'_>) -> String {
    let devices: Vec<String> = clip
        .devices()
        .map(|(id, d)| {
            let short: String = id.device().chars().take(6).collect();
            let facet = id.facet().map(|f| format!(".{f}")).unwrap_or_default();
            let progress = d
                .progress()
                .map_or_else(|| "-".to_owned(), |p| format!("{}/{}", p.uploaded, p.total));
            sanitize(&format!("{short}{facet} {progress}"))
        })
        .collect();
    let mut text = devices
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if devices.len() > 3 {
        text.push_str(&format!(", +{} more", devices.len() - 3));
    }
    text
}

fn status_of(clip: &SplicedClip<'_>) -> String {
    clip.status
        .as_ref()
        .map_or_else(|| "-".to_owned(), |s| sanitize(s.as_str()))
}

fn title_of(clip: &SplicedClip<'_>) -> String {
    truncate(&sanitize(clip.title.as_deref().unwrap_or("")), 32)
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

/// The display, one of the modes.
enum View {
    Bars(Bars),
    Lines(io::BufWriter<io::StdoutLock<'static>>),
    Ndjson(io::BufWriter<io::StdoutLock<'static>>),
    Silent,
}

impl View {
    fn new(mode: Mode) -> Self {
        match mode {
            Mode::Bars => View::Bars(Bars::new()),
            Mode::Lines => View::Lines(io::BufWriter::new(io::stdout().lock())),
            Mode::Ndjson => View::Ndjson(io::BufWriter::new(io::stdout().lock())),
            Mode::Silent => View::Silent,
        }
    }

    fn show(&mut self, event: &WatchEvent, tracker: &Tracker, now: Instant) -> io::Result<()> {
        match self {
            View::Bars(bars) => {
                bars.show(event, tracker, now);
                Ok(())
            }
            View::Lines(out) => {
                if let Some(line) = plain_line(event, tracker, now) {
                    writeln!(out, "{line}")?;
                    out.flush()?;
                }
                Ok(())
            }
            View::Ndjson(out) => {
                if let Some(value) = event_json(event) {
                    crate::output::text::write_json_line(out, &value)?;
                    out.flush()?;
                }
                Ok(())
            }
            View::Silent => Ok(()),
        }
    }

    /// A warning on stderr, above the bars when there are bars.
    fn warn(&self, ctx: &Context, message: String) {
        match self {
            View::Bars(bars) if !ctx.global.quiet => {
                let _ = bars.multi.println(format!("warning: {message}"));
            }
            _ => ctx.warn(message),
        }
    }

    fn finish(&mut self) {
        match self {
            View::Bars(bars) => bars.finish(),
            View::Lines(out) | View::Ndjson(out) => {
                let _ = out.flush();
            }
            View::Silent => {}
        }
    }
}

/// `7/20  35% ETA 12s [DEVAAA.v0 3/10, …]`: progress, estimate, per-device detail.
fn progress_detail(clip: &SplicedClip<'_>, tracker: &Tracker, now: Instant) -> String {
    let mut text = progress_text(clip.progress());
    if let Some(eta) = tracker.eta(clip, now) {
        text.push_str(&format!(" ETA {}", humantime::format_duration(eta)));
    }
    let devices = device_detail(clip);
    if !devices.is_empty() {
        text.push_str(&format!(" [{devices}]"));
    }
    text
}

/// One line for a change, or `None` for events that are not changes.
fn plain_line(event: &WatchEvent, tracker: &Tracker, now: Instant) -> Option<String> {
    let progress = |clip: &SplicedClip<'_>| progress_detail(clip, tracker, now);
    Some(match event {
        WatchEvent::Appeared(clip) => format!(
            "{} appeared {} {} \"{}\"",
            clip.id(),
            status_of(clip),
            progress(clip),
            title_of(clip)
        ),
        WatchEvent::StatusChanged { clip, previous } => format!(
            "{} status {} -> {}",
            clip.id(),
            previous.as_ref().map_or("-", |s| s.as_str()),
            status_of(clip)
        ),
        WatchEvent::ProgressAdvanced { clip, .. } => {
            format!("{} progress {}", clip.id(), progress(clip))
        }
        WatchEvent::Terminal(clip)
            if tracker
                .clips
                .get(clip.id())
                .is_some_and(|s| s.born_terminal) =>
        {
            return None;
        }
        WatchEvent::Terminal(clip) => format!("{} finished {}", clip.id(), status_of(clip)),
        WatchEvent::Disappeared(clip) => {
            format!("{} disappeared (last seen {})", clip.id(), status_of(clip))
        }
        _ => return None,
    })
}

fn progress_json(p: Option<Progress>) -> serde_json::Value {
    p.map_or(
        serde_json::Value::Null,
        |p| json!({"uploaded": p.uploaded, "total": p.total}),
    )
}

/// A change event as JSON: `event`, `clipUuid`, the change, and the whole clip.
fn event_json(event: &WatchEvent) -> Option<serde_json::Value> {
    let with_clip = |name: &str, clip: &SplicedClip<'_>, extra: serde_json::Value| {
        let mut value = json!({
            "event": name,
            "clipUuid": clip.id(),
            "status": clip.status.as_ref().map(|s| s.as_str()),
            "progress": progress_json(clip.progress()),
        });
        if let (Some(obj), serde_json::Value::Object(more)) = (value.as_object_mut(), extra) {
            obj.extend(more);
            obj.insert(
                "clip".into(),
                serde_json::to_value(clip).unwrap_or(serde_json::Value::Null),
            );
        }
        value
    };
    Some(match event {
        WatchEvent::Appeared(clip) => with_clip("appeared", clip, json!({})),
        WatchEvent::StatusChanged { clip, previous } => with_clip(
            "status_changed",
            clip,
            json!({"previousStatus": previous.as_ref().map(|s| s.as_str())}),
        ),
        WatchEvent::ProgressAdvanced { clip, previous } => with_clip(
            "progress",
            clip,
            json!({"previousProgress": progress_json(*previous)}),
        ),
        WatchEvent::Terminal(clip) => with_clip("terminal", clip, json!({})),
        WatchEvent::Disappeared(clip) => with_clip("disappeared", clip, json!({})),
        WatchEvent::PollFailed {
            error,
            consecutive,
            fatal,
        } => json!({
            "event": "poll_failed",
            "error": error.to_string(),
            "consecutive": consecutive,
            "fatal": fatal,
        }),
        _ => return None,
    })
}

/// One bar per clip on stderr.
struct Bars {
    multi: MultiProgress,
    bars: HashMap<String, ProgressBar>,
    style: ProgressStyle,
}

impl Bars {
    fn new() -> Self {
        let style = ProgressStyle::with_template("{prefix} {bar:20.cyan/blue} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        Bars {
            multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
            bars: HashMap::new(),
            style,
        }
    }

    fn message(clip: &SplicedClip<'_>, tracker: &Tracker, now: Instant) -> String {
        format!(
            "{:<10} {}",
            status_of(clip),
            progress_detail(clip, tracker, now)
        )
    }

    fn bar(&mut self, clip: &SplicedClip<'_>) -> &ProgressBar {
        let style = self.style.clone();
        let multi = &self.multi;
        self.bars.entry(clip.id().to_owned()).or_insert_with(|| {
            let bar = multi.add(ProgressBar::new(1).with_style(style));
            let short: String = clip.id().chars().take(8).collect();
            bar.set_prefix(format!("{short} {}", fit(&title_of(clip), 24)));
            bar
        })
    }

    fn show(&mut self, event: &WatchEvent, tracker: &Tracker, now: Instant) {
        let Some(clip) = event_clip(event) else {
            return;
        };
        let message = Self::message(clip, tracker, now);
        let bar = self.bar(clip).clone();
        if let Some(p) = clip.progress() {
            bar.set_length(p.total.max(1));
            bar.set_position(p.uploaded.min(p.total.max(1)));
        }
        match event {
            WatchEvent::StatusChanged { previous, .. } => {
                let _ = self.multi.println(format!(
                    "{} {}: {} -> {}",
                    clip.id(),
                    title_of(clip),
                    previous.as_ref().map_or("-", |s| s.as_str()),
                    status_of(clip)
                ));
                bar.set_message(message);
            }
            WatchEvent::Terminal(_)
                if clip
                    .status
                    .as_ref()
                    .is_some_and(|s| s.as_str() == "COMPLETE") =>
            {
                if let Some(p) = clip.progress() {
                    bar.set_position(p.total.max(1));
                }
                bar.finish_with_message(message);
            }
            WatchEvent::Terminal(_) => bar.abandon_with_message(message),
            WatchEvent::Disappeared(_) if !bar.is_finished() => {
                bar.abandon_with_message(format!("{message} (gone from the list)"));
            }
            _ => bar.set_message(message),
        }
    }

    fn finish(&mut self) {
        for bar in self.bars.values() {
            if !bar.is_finished() {
                bar.abandon();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(id: &str, status: &str, up: i32, total: i32) -> SplicedClip<'static> {
        let mut clip = SplicedClip::default();
        clip.clip_uuid = Some(id.to_owned().into());
        clip.status = Some(rhombus_model::ClipStatus::parse(status.to_owned()));
        clip.segments_uploaded = Some(up);
        clip.total_segments = Some(total);
        clip
    }

    #[test]
    fn eta_from_average_rate() {
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_secs(10);
        assert_eq!(eta((t0, 2), (t1, 7), 12), Some(Duration::from_secs(10)));
        assert_eq!(eta((t0, 2), (t1, 2), 12), None, "no progress, no estimate");
        assert_eq!(eta((t0, 2), (t1, 12), 12), None, "done");
        assert_eq!(eta((t1, 2), (t0, 7), 12), None, "time went backwards");
        assert_eq!(eta((t0, 9), (t1, 7), 12), None, "progress went backwards");
    }

    #[test]
    fn done_when_every_seen_clip_is_over() {
        let now = Instant::now();
        let mut t = Tracker::default();
        assert!(!t.done(Scope::FirstPoll), "nothing polled yet");
        t.apply(&WatchEvent::Appeared(clip("A", "UPLOADING", 1, 4)), now);
        t.apply(&WatchEvent::Appeared(clip("B", "UPLOADING", 1, 4)), now);
        t.apply(&polled(), now);
        assert!(!t.done(Scope::FirstPoll));
        t.apply(&WatchEvent::Appeared(clip("C", "INITIATING", 0, 4)), now);
        t.apply(&WatchEvent::Terminal(clip("A", "COMPLETE", 4, 4)), now);
        assert!(t.done(Scope::Clip("A")));
        assert!(!t.done(Scope::FirstPoll));
        assert!(!t.done(Scope::Clip("Z")), "an unseen clip is not done");
        t.apply(&WatchEvent::Disappeared(clip("B", "UPLOADING", 2, 4)), now);
        assert!(t.done(Scope::FirstPoll), "C came later");
        assert!(!t.done(Scope::Follow), "C is still running");
        t.apply(&WatchEvent::Terminal(clip("C", "FAILED", 1, 4)), now);
        assert!(t.done(Scope::Follow));
        assert_eq!(t.summary(), "3 clips: 1 COMPLETE, 1 gone, 1 FAILED");
    }

    fn polled() -> WatchEvent {
        WatchEvent::Polled {
            clips: std::sync::Arc::from(Vec::new()),
            warning: None,
        }
    }

    #[test]
    fn an_empty_first_poll_ends_the_watch() {
        let mut t = Tracker::default();
        t.apply(&polled(), Instant::now());
        assert!(t.done(Scope::FirstPoll));
        assert!(!t.done(Scope::Clip("A")), "a named clip may still appear");
    }

    #[test]
    fn plain_lines_and_events() {
        let now = Instant::now();
        let t = Tracker::default();
        let mut c = clip("A", "UPLOADING", 1, 4);
        c.title = Some("line\nbreak".into());
        let line = plain_line(&WatchEvent::Appeared(c.clone()), &t, now).unwrap();
        assert_eq!(line, "A appeared UPLOADING 1/4  25% \"line break\"");
        let changed = WatchEvent::StatusChanged {
            clip: clip("A", "RENDERING", 4, 4),
            previous: Some(rhombus_model::ClipStatus::Uploading),
        };
        assert_eq!(
            plain_line(&changed, &t, now).unwrap(),
            "A status UPLOADING -> RENDERING"
        );
        let mut done = Tracker::default();
        let complete = clip("B", "COMPLETE", 4, 4);
        done.apply(&WatchEvent::Appeared(complete.clone()), now);
        done.apply(&WatchEvent::Terminal(complete.clone()), now);
        assert_eq!(
            plain_line(&WatchEvent::Terminal(complete), &done, now),
            None,
            "a clip that appeared finished is not reported finishing"
        );
        let value = event_json(&changed).unwrap();
        assert_eq!(value["event"], "status_changed");
        assert_eq!(value["previousStatus"], "UPLOADING");
        assert_eq!(value["clip"]["clipUuid"], "A");
        assert_eq!(value["progress"]["total"], 4);
    }
}
