//! Showing a watch: bars on a terminal, plain lines when piped, NDJSON events.

use std::collections::HashMap;
use std::io::{self, Write};
use std::time::Instant;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use rhombus_model::{ClipStatus, Progress, SplicedClip};
use rhombus_transport::WatchEvent;
use serde_json::json;

use super::tracker::Tracker;
use super::{Mode, event_clip};
use crate::commands::Context;
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
fn status_text(status: Option<&ClipStatus<'_>>) -> String {
    status.map_or_else(|| "-".to_owned(), |s| sanitize(s.as_str()))
}

fn status_of(clip: &SplicedClip<'_>) -> String {
    status_text(clip.status.as_ref())
}

/// The clip's id as shown (the server's text: no escape codes reach the terminal).
fn id_of(clip: &SplicedClip<'_>) -> String {
    sanitize(clip.id())
}

fn title_of(clip: &SplicedClip<'_>) -> String {
    truncate(&sanitize(clip.title.as_deref().unwrap_or("")), 32)
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
        WatchEvent::Appeared(clip) => format!(
            "{} appeared {} {} \"{}\"",
            id_of(clip),
            status_of(clip),
            progress(clip),
            title_of(clip)
        ),
        WatchEvent::StatusChanged { clip, previous } => format!(
            "{} status {} -> {}",
            id_of(clip),
            status_text(previous.as_ref()),
            status_of(clip)
        ),
        WatchEvent::ProgressAdvanced { clip, .. } => {
            format!("{} progress {}", id_of(clip), progress(clip))
        }
        WatchEvent::Terminal(clip) if tracker.born_terminal(clip.id()) => {
            return None;
        }
        WatchEvent::Terminal(clip) => format!("{} finished {}", id_of(clip), status_of(clip)),
        WatchEvent::Disappeared(clip) => {
            format!(
                "{} disappeared (last seen {})",
                id_of(clip),
                status_of(clip)
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
                    id_of(clip),
                    title_of(clip),
                    status_text(previous.as_ref()),
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
    use crate::commands::watch::test_support::clip;

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

    #[test]
    fn server_text_in_lines_has_no_control_characters() {
        let now = Instant::now();
        let t = Tracker::default();
        let id = "A\x1b[2J\nB";
        let events = [
            WatchEvent::Appeared(clip(id, "UPLOADING", 1, 4)),
            WatchEvent::StatusChanged {
                clip: clip(id, "RENDERING", 4, 4),
                previous: Some(rhombus_model::ClipStatus::parse("X\x1b]0;t\x07".to_owned())),
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
