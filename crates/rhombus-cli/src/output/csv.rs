//! Comma-separated values (RFC 4180) with a header row.

use std::io::{self, Write};

use rhombus_model::SplicedClip;

use super::ClipSink;
use super::text::device_ids;

const HEADER: &str = "clip_uuid,title,status,segments_uploaded,total_segments,percent,devices,device_uuids,start_time,duration_seconds";

/// Writes each clip as it arrives; the header goes first, even for no clips.
pub struct CsvSink<'w> {
    out: &'w mut dyn Write,
    header_written: bool,
}

impl<'w> CsvSink<'w> {
    /// A CSV writer on `out`.
    pub fn new(out: &'w mut dyn Write) -> Self {
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
fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Free text (titles) a spreadsheet would run as a formula gets a leading `'`
/// (OWASP's CSV-injection advice); ids and numbers are left exactly as sent.
fn free_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl ClipSink for CsvSink<'_> {
    fn clip(&mut self, clip: &SplicedClip<'_>) -> io::Result<()> {
        self.header()?;
        let progress = clip.progress();
        let devices: Vec<&str> = device_ids(clip).collect();
        let cells = [
            clip.id().to_owned(),
            opt(clip.title.as_deref().map(free_text)),
            opt(clip.status.as_ref().map(|s| s.as_str())),
            opt(progress.map(|p| p.uploaded)),
            opt(progress.map(|p| p.total)),
            opt(progress.and_then(|p| p.percent())),
            devices.len().to_string(),
            devices.join(";"),
            opt(clip.start_time().map(humantime::format_rfc3339_millis)),
            opt(clip.duration),
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        writeln!(self.out, "{}", line.join(","))
    }

    fn finish(&mut self) -> io::Result<()> {
        self.header()?;
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
        clip.title = Some("=1+1".into());
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
    fn header_even_without_clips() {
        let mut out = Vec::new();
        CsvSink::new(&mut out).finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), format!("{HEADER}\n"));
    }
}
