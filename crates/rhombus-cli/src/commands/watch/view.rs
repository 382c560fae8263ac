//! Showing a watch: bars on a terminal, plain lines when piped, NDJSON events.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rhombus_model::{ClipStatus, OwnedClip, Progress, SplicedClip, WriteJson};
use rhombus_transport::WatchEvent;
use serde_json::json;

use super::tracker::Tracker;
use super::{Mode, event_clip};
use crate::commands::Context;
use crate::output::line::compact;
use crate::output::text::{fit, progress as progress_text, sanitize, truncate};

/// Up to three devices as `DEVAAA.v0 3/10`, then `+N more`.
fn device_detail(clip: &SplicedClip<'_>) -> String {
    let shown: Vec<String> = clip
        .devices()
        .take(3)
        .map(|(id, d)| {
            let short: String = id.device().chars().take(6).collect();
            let facet = id.facet().map(|f| format!(".{f}")).unwrap_or_default();
            let progress = d
                .progress()
                .map_or_else(|| "-".to_owned(), |p| format!("{}/{}", p.uploaded, p.total));
            sanitize(&format!("{short}{facet} {progress}"))
        })
        .collect();
    let mut text = shown.join(", ");
    let total = clip.devices().count();
    if total > 3 {
        text.push_str(&format!(", +{} more", total - 3));
    }
    text
}

/// A status as shown: the server's text without control characters, `-` if none.
fn status_text(status: Option<ClipStatus<'_>>) -> String {
    status.map_or_else(|| "-".to_owned(), |s| sanitize(s.as_str()))
}

fn status_of(clip: &SplicedClip<'_>) -> String {
    status_text(clip.status)
}

/// The clip's id as shown (the server's text: no escape codes reach the terminal).
fn id_of(clip: &SplicedClip<'_>) -> String {
    sanitize(clip.id())
}

fn title_of(clip: &SplicedClip<'_>) -> String {
    truncate(&sanitize(clip.title.unwrap_or("")), 32)
}

/// The display, one of the modes.
pub enum View {
    Bars(Bars),
    Lines(io::BufWriter<io::StdoutLock<'static>>),
    Ndjson(io::BufWriter<io::StdoutLock<'static>>),
    Silent,
}

impl View {
    pub fn new(mode: Mode) -> Self {
        match mode {
            Mode::Bars => View::Bars(Bars::new()),
            Mode::Lines => View::Lines(io::BufWriter::new(io::stdout().lock())),
            Mode::Ndjson => View::Ndjson(io::BufWriter::new(io::stdout().lock())),
            Mode::Silent => View::Silent,
        }
    }

    pub fn show(&mut self, event: &WatchEvent, tracker: &Tracker, now: Instant) -> io::Result<()> {
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
                let mut line = Vec::new();
                if event_line(event, &mut line)? {
                    out.write_all(&line)?;
                    out.flush()?;
                }
                Ok(())
            }
            View::Silent => Ok(()),
        }
    }

    /// A warning on stderr, above the bars when there are bars.
    pub fn warn(&self, ctx: &Context, message: String) {
        match self {
            View::Bars(bars) if !ctx.global.quiet => {
                let _ = bars
                    .multi
                    .println(format!("warning: {}", sanitize(&message)));
            }
            _ => ctx.warn(message),
        }
    }

    pub fn finish(&mut self) {
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
        WatchEvent::Appeared(clip) => {
            let clip = clip.get();
            format!(
                "{} appeared {} {} \"{}\"",
                id_of(clip),
                status_of(clip),
                progress(clip),
                title_of(clip)
            )
        }
        WatchEvent::StatusChanged { clip, previous } => format!(
            "{} status {} -> {}",
            id_of(clip.get()),
            status_of(previous.get()),
            status_of(clip.get())
        ),
        WatchEvent::ProgressAdvanced { clip, .. } => {
            format!("{} progress {}", id_of(clip.get()), progress(clip.get()))
        }
        WatchEvent::Terminal(clip) if tracker.born_terminal(clip.get().id()) => {
            return None;
        }
        WatchEvent::Terminal(clip) => {
            format!("{} finished {}", id_of(clip.get()), status_of(clip.get()))
        }
        WatchEvent::Disappeared(clip) => {
            format!(
                "{} disappeared (last seen {})",
                id_of(clip.get()),
                status_of(clip.get())
            )
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

/// Appends a change event as one JSON line to `out`: `event`, `clipUuid`,
/// the change, and the whole clip (every value as sent, on the one line).
/// `false` for events that are not changes.
fn event_line(event: &WatchEvent, out: &mut Vec<u8>) -> io::Result<bool> {
    let (name, clip, change) = match event {
        WatchEvent::Appeared(clip) => ("appeared", clip, json!({})),
        WatchEvent::StatusChanged { clip, previous } => (
            "status_changed",
            clip,
            json!({"previousStatus": previous.get().status.map(|s| s.as_str())}),
        ),
        WatchEvent::ProgressAdvanced { clip, previous } => (
            "progress",
            clip,
            json!({"previousProgress": progress_json(*previous)}),
        ),
        WatchEvent::Terminal(clip) => ("terminal", clip, json!({})),
        WatchEvent::Disappeared(clip) => ("disappeared", clip, json!({})),
        WatchEvent::PollFailed {
            error,
            consecutive,
            fatal,
        } => {
            let value = json!({
                "event": "poll_failed",
                "error": error.to_string(),
                "consecutive": consecutive,
                "fatal": fatal,
            });
            serde_json::to_writer(&mut *out, &value)?;
            out.push(b'\n');
            return Ok(true);
        }
        _ => return Ok(false),
    };
    let mut head = json!({
        "event": name,
        "clipUuid": clip.get().id(),
        "status": clip.get().status.map(|s| s.as_str()),
        "progress": progress_json(clip.get().progress()),
    });
    if let (Some(head), serde_json::Value::Object(change)) = (head.as_object_mut(), change) {
        head.extend(change);
    }
    serde_json::to_writer(&mut *out, &head)?;
    // `{…}` reopened for the clip, written as it came (it cannot fail).
    out.pop();
    out.extend_from_slice(b",\"clip\":");
    let mut json = Vec::new();
    clip.get().write_json(&mut json);
    compact(&json, out);
    out.extend_from_slice(b"}\n");
    Ok(true)
}

/// One bar per clip on stderr.
pub struct Bars {
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
            let short: String = id_of(clip).chars().take(8).collect();
            bar.set_prefix(format!("{short} {}", fit(&title_of(clip), 24)));
            bar
        })
    }

    fn show(&mut self, event: &WatchEvent, tracker: &Tracker, now: Instant) {
        let Some(clip) = event_clip(event).map(OwnedClip::get) else {
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
                    id_of(clip),
                    title_of(clip),
                    status_of(previous.get()),
                    status_of(clip)
                ));
                bar.set_message(message);
            }
            WatchEvent::Terminal(_) if clip.status == Some(ClipStatus::Complete) => {
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
    use crate::commands::watch::test_support::{clip, titled};

    fn line(event: &WatchEvent) -> serde_json::Value {
        let mut out = Vec::new();
        assert!(event_line(event, &mut out).unwrap());
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\n').count(), 1, "one line: {text:?}");
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn plain_lines_and_events() {
        let now = Instant::now();
        let t = Tracker::default();
        let c = titled("A", "UPLOADING", 1, 4, Some("line\nbreak"));
        let line_text = plain_line(&WatchEvent::Appeared(c.clone()), &t, now).unwrap();
        assert_eq!(line_text, "A appeared UPLOADING 1/4  25% \"line break\"");
        let changed = WatchEvent::StatusChanged {
            clip: clip("A", "RENDERING", 4, 4),
            previous: clip("A", "UPLOADING", 3, 4),
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
        let value = line(&changed);
        assert_eq!(value["event"], "status_changed");
        assert_eq!(value["previousStatus"], "UPLOADING");
        assert_eq!(value["clip"]["clipUuid"], "A");
        assert_eq!(value["progress"]["total"], 4);
    }

    #[test]
    fn an_event_keeps_every_value_of_its_clip_on_one_line() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let json = format!(
            "{{\"clipUuid\":\"A\",\"duration\":\"long\",\n \"x\": {{ \"a\" : [1,\n 2] }},\"deep\":{deep}}}"
        );
        let clip = OwnedClip::parse(json.as_bytes()).unwrap();
        let mut out = Vec::new();
        assert!(event_line(&WatchEvent::Appeared(clip), &mut out).unwrap());
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\n').count(), 1, "{text:?}");
        assert!(
            text.contains(&format!(",\"clip\":{{\"clipUuid\":\"A\",\"duration\":\"long\",\"x\":{{\"a\":[1,2]}},\"deep\":{deep}}}}}\n")),
            "{text}"
        );
    }

    #[test]
    fn server_text_in_lines_has_no_control_characters() {
        let now = Instant::now();
        let t = Tracker::default();
        let id = "A\x1b[2J\nB";
        let events = [
            WatchEvent::Appeared(clip(id, "UPLOADING", 1, 4)),
            WatchEvent::StatusChanged {
                clip: clip(id, "RENDERING", 4, 4),
                previous: clip(id, "X\x1b]0;t\x07", 4, 4),
            },
            WatchEvent::ProgressAdvanced {
                clip: clip(id, "UPLOADING", 2, 4),
                previous: None,
            },
            WatchEvent::Terminal(clip(id, "COMPLETE", 4, 4)),
            WatchEvent::Disappeared(clip(id, "COMPLETE", 4, 4)),
        ];
        for event in &events {
            let line = plain_line(event, &t, now).unwrap();
            assert!(!line.contains(char::is_control), "{line:?}");
            assert!(line.starts_with("A [2J B "), "{line:?}");
        }
    }
}
