//! Comma-separated values with a header row, written by the `csv` crate
//! (RFC 4180: a cell holding a comma, quote or line break is quoted).
//!
//! Formula injection: a spreadsheet runs a cell that starts with `=`, `+`,
//! `-` or `@` (or TAB / CR) as a formula. Text the server sends gets a
//! leading `'` when it starts with one of them (OWASP's advice): titles and
//! statuses always; ids only when they hold more than the id alphabet
//! (`A-Z a-z 0-9 - _`, with `.` and `;` between ids), because a real uuid
//! may begin with `-` and a cell made of those characters cannot call a
//! function. Numbers are formatted here from integers and never changed: a
//! negative number stays a number.

use std::borrow::Cow;
use std::io::{self, Write};

use rhombus_model::{Item, Response, SplicedClip};

use super::ClipSink;
use super::text::device_ids;

const HEADER: [&str; 10] = [
    "clip_uuid",
    "title",
    "status",
    "segments_uploaded",
    "total_segments",
    "percent",
    "devices",
    "device_uuids",
    "start_time",
    "duration_seconds",
];

/// Writes each clip as it arrives; the header goes first, even for no clips.
pub struct CsvSink<'w, W: Write> {
    out: ::csv::Writer<&'w mut W>,
    header_written: bool,
}

impl<'w, W: Write> CsvSink<'w, W> {
    /// A CSV writer on `out`.
    pub fn new(out: &'w mut W) -> Self {
        CsvSink {
            out: ::csv::WriterBuilder::new()
                .terminator(::csv::Terminator::Any(b'\n'))
                .from_writer(out),
            header_written: false,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.header_written = true;
            self.out.write_record(HEADER).map_err(io_error)?;
        }
        Ok(())
    }
}

/// What kind of server text a cell holds, for [`defused`].
#[derive(Clone, Copy, PartialEq, Eq)]
enum Text {
    /// Titles and statuses: anything at all.
    Free,
    /// Clip and device ids.
    Ids,
}

/// A CSV error as the I/O error it carries, kind kept (a broken pipe stays
/// one, so a closed stdout ends quietly).
fn io_error(err: ::csv::Error) -> io::Error {
    match err.into_kind() {
        ::csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// `text` as written: with a leading `'` when a spreadsheet would run it
/// as a formula (see the module docs).
fn defused(text: &str, kind: Text) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let id_shaped = kind == Text::Ids
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.;".contains(&b));
    if risky && !id_shaped {
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
        let devices_joined = devices.join(";");
        let cells = [
            defused(clip.id(), Text::Ids),
            defused(clip.title.unwrap_or_default(), Text::Free),
            defused(clip.status.map_or("", |s| s.as_str()), Text::Free),
            opt(progress.map(|p| p.uploaded)),
            opt(progress.map(|p| p.total)),
            opt(progress.and_then(|p| p.percent())),
            Cow::Owned(devices.len().to_string()),
            defused(&devices_joined, Text::Ids),
            start_time(clip),
            opt(clip.duration),
        ];
        self.out
            .write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(io_error)?;
        Ok(())
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

    /// The CSV rows `clip` is written as, after the header.
    fn row(clip: &SplicedClip<'_>) -> String {
        let mut out = Vec::new();
        let mut sink = CsvSink::new(&mut out);
        sink.clip(clip).unwrap();
        sink.finish(Some(&Response::default())).unwrap();
        drop(sink);
        let text = String::from_utf8(out).unwrap();
        text.split_once('\n').unwrap().1.to_owned()
    }

    #[test]
    fn cells_are_quoted_where_csv_needs_it() {
        let mut clip = SplicedClip::default();
        clip.title = Some("say \"hi\", twice\nthen stop");
        assert!(
            row(&clip).starts_with(",\"say \"\"hi\"\", twice\nthen stop\","),
            "{}",
            row(&clip)
        );
    }

    #[test]
    fn free_text_that_looks_like_a_formula_is_defused() {
        for risky in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(defused(risky, Text::Free), format!("'{risky}"), "{risky:?}");
        }
        assert_eq!(defused("Lobby entrance", Text::Free), "Lobby entrance");
        assert_eq!(defused("", Text::Free), "");
    }

    #[test]
    fn ids_keep_a_leading_dash_but_not_a_formula() {
        assert_eq!(
            defused("-AAAAAAAAAAAAAAAAAAAAA.v0;BBB", Text::Ids),
            "-AAAAAAAAAAAAAAAAAAAAA.v0;BBB"
        );
        assert_eq!(defused("-2+3", Text::Ids), "'-2+3");
        assert_eq!(
            defused("=cmd|' /C calc'!A0", Text::Ids),
            "'=cmd|' /C calc'!A0"
        );
        let mut clip = SplicedClip::default();
        clip.title = Some("=1+1");
        clip.clip_uuid = Some("-AAAAAAAAAAAAAAAAAAAAA".into());
        clip.start_time = Some(-1000);
        let row = row(&clip);
        assert!(row.starts_with("-AAAAAAAAAAAAAAAAAAAAA,'=1+1,"), "{row}");
        assert!(
            row.ends_with(",-1000,\n"),
            "a negative number stays a number: {row}"
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
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{}\n", HEADER.join(","))
        );
        let mut broken = Vec::new();
        CsvSink::new(&mut broken).finish(None).unwrap();
        assert_eq!(broken, b"", "no header for an input that broke first");
    }
}
