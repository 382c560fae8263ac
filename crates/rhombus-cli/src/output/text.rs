//! Small text helpers shared by the renderers: safe titles, times, progress, colors.

use std::time::{Duration, SystemTime};

use rhombus_model::{Progress, SplicedClip};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Text from the server made safe for a terminal: control characters (newlines,
/// escape sequences) become spaces, so a title cannot break a row or inject codes.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// How many terminal columns `text` takes (wide CJK and emoji count two).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// `text` cut or padded with spaces to exactly `columns` terminal columns.
pub fn fit(text: &str, columns: usize) -> String {
    let mut out = truncate(text, columns);
    let pad = columns.saturating_sub(width(&out));
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// At most `max` terminal columns, with `…` marking a cut.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max.saturating_sub(1) {
            break;
        }
        used += w;
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// `3/10 30%`, `0/0`, or `-` when the clip has no counts.
pub fn progress(progress: Option<Progress>) -> String {
    match progress {
        Some(p) => match p.percent() {
            Some(pct) => format!("{}/{} {pct:>3}%", p.uploaded, p.total),
            None => format!("{}/{}", p.uploaded, p.total),
        },
        None => "-".to_owned(),
    }
}

/// `12s ago`, `5m ago`, `3h ago`, `2d ago`, or `in 4s` for the future.
pub fn relative(time: SystemTime, now: SystemTime) -> String {
    let (delta, future) = match now.duration_since(time) {
        Ok(d) => (d, false),
        Err(e) => (e.duration(), true),
    };
    let secs = delta.as_secs();
    let amount = match secs {
        0..60 => format!("{secs}s"),
        60..3_600 => format!("{}m", secs / 60),
        3_600..86_400 => format!("{}h", secs / 3_600),
        _ => format!("{}d", secs / 86_400),
    };
    if future {
        format!("in {amount}")
    } else {
        format!("{amount} ago")
    }
}

/// A clip's `duration` (seconds) as `1m 30s`, or `-`.
pub fn duration(clip: &SplicedClip<'_>) -> String {
    match clip.duration {
        Some(secs) if secs >= 0 => {
            humantime::format_duration(Duration::from_secs(secs as u64)).to_string()
        }
        Some(secs) => secs.to_string(),
        None => "-".to_owned(),
    }
}

/// The devices a clip involves: its progress map's keys, else its main device.
pub fn device_ids<'c>(clip: &SplicedClip<'c>) -> impl Iterator<Item = &'c str> + use<'c> {
    let main = match clip.devices().next() {
        None => clip.device_uuid.map(|d| d.as_str()),
        Some(_) => None,
    };
    clip.devices().map(|(id, _)| id.as_str()).chain(main)
}

/// How many devices a clip involves (see [`device_ids`]).
pub fn device_count(clip: &SplicedClip<'_>) -> usize {
    device_ids(clip).count()
}

/// The ANSI color code for a status, if it gets one.
pub fn status_color(status: &str) -> Option<&'static str> {
    Some(match status {
        "COMPLETE" => "32",
        "FAILED" => "31",
        "UPLOADING" | "RENDERING" | "INITIATING" => "33",
        "OFFLINE" => "35",
        "DELETED" | "UNKNOWN" => "2",
        _ => return None,
    })
}

/// `text` wrapped in the status's color when `color` is on.
pub fn paint_status(text: &str, status: &str, color: bool) -> String {
    match status_color(status) {
        Some(code) if color => format!("\x1b[{code}m{text}\x1b[0m"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_control_characters() {
        assert_eq!(sanitize("a\nb\x1b[31mc\t"), "a b [31mc ");
    }

    #[test]
    fn server_text_is_cut_with_a_note() {}

    #[test]
    fn truncate_marks_cuts() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abcd", 4), "abcd");
        assert_eq!(truncate("ééééé", 3), "éé…");
        assert_eq!(truncate("東京東京", 5), "東京…");
        assert_eq!(width("東京 🚧"), 7);
        assert_eq!(fit("東京", 6), "東京  ");
        assert_eq!(fit("abcdef", 4), "abc…");
    }

    #[test]
    fn relative_times() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ago = |s| relative(now - Duration::from_secs(s), now);
        assert_eq!(ago(5), "5s ago");
        assert_eq!(ago(125), "2m ago");
        assert_eq!(ago(7_300), "2h ago");
        assert_eq!(ago(200_000), "2d ago");
        assert_eq!(relative(now + Duration::from_secs(4), now), "in 4s");
    }

    #[test]
    fn progress_text() {
        assert_eq!(progress(None), "-");
        assert_eq!(progress(Progress::from_counts(Some(0), Some(0))), "0/0");
        assert_eq!(
            progress(Progress::from_counts(Some(7), Some(20))),
            "7/20  35%"
        );
    }
}
