//! Comma-separated values (RFC 4180) with a header row.

use std::borrow::Cow;
use std::io::{self, Write};

use rhombus_model::{Item, Response, SplicedClip};

use super::ClipSink;
use super::text::device_ids;

const HEADER: &str = "clip_uuid,title,status,segments_uploaded,total_segments,percent,devices,device_uuids,start_time,duration_seconds";

/// Writes each clip as it arrives; the header goes first, even for no clips.
pub struct CsvSink<'w, W> {
    out: &'w mut W,
    header_written: bool,
}

impl<'w, W: Write> CsvSink<'w, W> {
    /// A CSV writer on `out`.
    pub fn new(out: &'w mut W) -> Self {
        CsvSink {
            out,
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            writeln!(self.out, "{HEADER}")?;
        }
        Ok(())
    }
}

/// Quotes a cell when it holds a comma, quote or line break.
fn cell(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// Free text (titles) a spreadsheet would run as a formula gets a leading `'`
/// (OWASP's CSV-injection advice); ids and numbers are left exactly as sent.
fn free_text(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The last millisecond RFC 3339 has a four-digit year for (9999-12-31T23:59:59.999Z).
const LAST_RFC3339_MS: i64 = 253_402_300_799_999;

/// `startTime` as RFC 3339 (UTC, milliseconds) between 1970 and 9999, the
/// years that writes; outside them, the epoch milliseconds as sent.
fn start_time(clip: &SplicedClip<'_>) -> Cow<'static, str> {
    match (clip.start_time, clip.start_time()) {
        (Some(ms), Some(time)) if (0..=LAST_RFC3339_MS).contains(&ms) => {
            Cow::Owned(humantime::format_rfc3339_millis(time).to_string())
        }
        (ms, _) => opt(ms),
    }
}

fn opt<T: ToString>(value: Option<T>) -> Cow<'static, str> {
    value.map_or(Cow::Borrowed(""), |v| Cow::Owned(v.to_string()))
}

impl<W: Write> CsvSink<'_, W> {
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()> {
        self.header()?;
        let progress = clip.progress();
        let devices: Vec<&str> = device_ids(clip).collect();
        let cells = [
            Cow::Borrowed(clip.id()),
            clip.title.map(free_text).unwrap_or_default(),
            Cow::Borrowed(clip.status.map_or("", |s| s.as_str())),
            opt(progress.map(|p| p.uploaded)),
            opt(progress.map(|p| p.total)),
            opt(progress.and_then(|p| p.percent())),
            Cow::Owned(devices.len().to_string()),
            Cow::Owned(devices.join(";")),
            start_time(clip),
            opt(clip.duration),
        ];
        for (i, text) in cells.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            self.out.write_all(cell(text).as_bytes())?;
        }
        self.out.write_all(b"\n")
    }
}

impl<W: Write> ClipSink for CsvSink<'_, W> {
    fn item(&mut self, item: &Item<'_, SplicedClip<'_>>) -> io::Result<()> {
        // A row is a clip; `null` and raw elements were warned about.
        match item.value() {
            Some(clip) => self.clip(clip),
            None => Ok(()),
        }
    }

    fn finish(&mut self, envelope: Option<&Response<'_>>) -> io::Result<()> {
        // A header for no clips, but not for an input that broke first.
        if envelope.is_some() {
            self.header()?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::fixture;

    #[test]
    fn csv() {
        let mut out = Vec::new();
        fixture::feed(&mut CsvSink::new(&mut out));
        insta::assert_snapshot!(String::from_utf8(out).unwrap());
    }

    #[test]
    fn quoting() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn titles_that_look_like_formulas_are_defused() {
        assert_eq!(
            free_text("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(free_text(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(free_text("Lobby entrance"), "Lobby entrance");
        let mut clip = SplicedClip::default();
        clip.title = Some("=1+1");
        clip.clip_uuid = Some("-AAAAAAAAAAAAAAAAAAAAA".into());
        let mut out = Vec::new();
        CsvSink::new(&mut out).clip(&clip).unwrap();
        let row = String::from_utf8(out).unwrap();
        assert!(
            row.lines()
                .nth(1)
                .unwrap()
                .starts_with("-AAAAAAAAAAAAAAAAAAAAA,'=1+1,"),
            "{row}"
        );
    }

    #[test]
    fn start_times_rfc3339_cannot_write_are_the_number_sent() {
        let row = |ms: i64| {
            let mut clip = SplicedClip::default();
            clip.start_time = Some(ms);
            start_time(&clip).into_owned()
        };
        assert_eq!(row(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(row(LAST_RFC3339_MS), "9999-12-31T23:59:59.999Z");
        assert_eq!(row(LAST_RFC3339_MS + 1), "253402300800000");
        assert_eq!(row(-1000), "-1000");
        assert_eq!(row(i64::MIN), i64::MIN.to_string());
        assert_eq!(start_time(&SplicedClip::default()), "");
    }

    #[test]
    fn header_even_without_clips() {
        let mut out = Vec::new();
        CsvSink::new(&mut out)
            .finish(Some(&Response::default()))
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{HEADER}\n"));
        let mut broken = Vec::new();
        CsvSink::new(&mut broken).finish(None).unwrap();
        assert_eq!(broken, b"", "no header for an input that broke first");
    }
}
